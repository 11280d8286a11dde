// How codes are shown, as pure functions: when the next code appears beside the current
// one, what a copy in a period's last seconds says, and the preferences as page classes.

import { groupCode } from './format.js';
import { secondsLeft } from './ring.js';

/** The next code shows in a period's last seconds (or always, as a preference). */
export const NEXT_CODE_SECONDS = 10;
/** A copy this close to the end says that the code is about to change. */
export const COPY_HINT_SECONDS = 3;

/** Whether a row shows its next code now. */
export function showsNext(account, now, nextCode = 'lastSeconds') {
  if (!account || account.nextCode == null || account.expiresAt == null) return false;
  return nextCode === 'always' || secondsLeft(account.expiresAt, now) <= NEXT_CODE_SECONDS;
}

/** What a copy says: a warning with the next code in a period's last seconds. */
export function copyMessage(account, now, { next = false } = {}) {
  if (next) return 'Next code copied';
  if (account && account.expiresAt != null && account.nextCode != null) {
    const left = secondsLeft(account.expiresAt, now);
    if (left <= COPY_HINT_SECONDS) {
      return `Copied — this code expires in ${left} s. The next one is ${groupCode(account.nextCode, account.type)}.`;
    }
  }
  return 'Code copied';
}

/** The page's classes for the display preferences. */
export function displayClasses(preferences) {
  const p = preferences || {};
  return {
    'codes-hidden': Boolean(p.hideCodes),
    compact: Boolean(p.compact),
    'next-always': p.nextCode === 'always',
  };
}
