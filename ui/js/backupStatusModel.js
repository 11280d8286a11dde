// The backups' state in words (#13 §4): the last verified backup, the second folder, and
// what the window's line says (a warning, or the monthly reminder). Pure: tested with
// node --test. Times arrive in Unix seconds.

import { pluralize } from './format.js';
import { timeAgo } from './syncModel.js';

const ms = (secs) => Number(secs) * 1000;

/** "Last verified backup: 3 minutes ago, 42 accounts", or that there is none yet. */
export function verifiedText(status, now = Date.now()) {
  const last = status && status.lastVerified;
  if (!last) return 'No verified backup yet: Ringlet makes one a few seconds after a change.';
  return `Last verified backup: ${timeAgo(ms(last.time), now)}, ${pluralize(last.accounts, 'account')}`;
}

/** The newest backup did not verify: said until one does. */
export function unverifiedText(status, now = Date.now()) {
  const bad = status && status.unverified;
  if (!bad) return '';
  return `The newest backup (${timeAgo(ms(bad.time), now)}) did not verify: ${bad.why}. It was set aside; check the disk, then back up again.`;
}

/** What Settings says of the second folder. */
export function secondFolderText(status, now = Date.now()) {
  if (!status || !status.secondFolder) {
    return 'Backups are kept only on this computer. Choose a second folder — a USB stick, or a folder a sync tool copies — and every backup is copied there too.';
  }
  const copy = status.secondFolderVerified;
  return copy
    ? `Every backup is also copied here; the last copy was verified ${timeAgo(ms(copy.time), now)}.`
    : 'Every backup is also copied here.';
}

/** The second folder could not be reached: one sentence, since the first failure. */
export function secondFolderProblemText(status, now = Date.now()) {
  const problem = status && status.secondFolderProblem;
  if (!problem) return '';
  return `No copy since ${timeAgo(ms(problem.since), now)}: ${problem.why}`;
}

/**
 * The window's line, most urgent first: an unverified backup, an unreachable second
 * folder, then the reminder. `null`: nothing to say.
 * @returns {{kind: 'warning' | 'reminder', text: string} | null}
 */
export function bannerFor(status, now = Date.now()) {
  if (!status) return null;
  if (status.unverified) return { kind: 'warning', text: unverifiedText(status, now) };
  if (status.secondFolder && status.secondFolderProblem) {
    return {
      kind: 'warning',
      text: `Backups are not reaching your second folder. ${secondFolderProblemText(status, now)}`,
    };
  }
  if (status.reminderDue) {
    return {
      kind: 'reminder',
      text: 'It has been a month: copy a backup somewhere off this computer (a USB stick, another disk), or choose a second folder in Settings → Backups.',
    };
  }
  return null;
}
