// The clock in the window, as pure logic: which of the main window's clock lines show (the
// first-run question, the warning, the offset in force), the offset form read into seconds
// and back, and what to say when the offset changed by itself. The sentences themselves come
// from Rust (clock_status), as the CLI says them. Tested with node --test.

/** The largest offset of this computer's clock: a day either way (as in Rust). */
export const MAX_OFFSET_SECONDS = 86_400;

/**
 * What the clock bar shows for `view` (clock_status's answer).
 * @param {object|null} view
 * @param {string|null} dismissed  the warning the person put away ("Not now"), by its words
 * @returns {{ask: boolean, warning: object|null, offset: string|null}}
 */
export function clockBar(view, dismissed = null) {
  if (!view) return { ask: false, warning: null, offset: null };
  const warning = view.warning && view.warning.said !== dismissed ? view.warning : null;
  return {
    // Not asked yet: the check is off until the person says yes, and asked once.
    ask: view.check === null || view.check === undefined,
    warning,
    offset: view.offsetSaid || null,
  };
}

/**
 * The offset form (an amount, and whether the clock is behind or ahead) read into seconds:
 * positive when the clock is behind. The amount is seconds ("133") or minutes and seconds
 * ("2:13"); blank is 0.
 * @returns {{seconds: number}|{error: string}}
 */
export function offsetFromForm(amount, direction) {
  const text = String(amount ?? '').trim();
  let seconds;
  if (text === '') seconds = 0;
  else if (/^\d+$/.test(text)) seconds = Number(text);
  else if (/^\d+:[0-5]\d$/.test(text)) {
    const [minutes, rest] = text.split(':').map(Number);
    seconds = minutes * 60 + rest;
  } else {
    return { error: 'Give the offset in seconds (133) or minutes and seconds (2:13).' };
  }
  if (seconds > MAX_OFFSET_SECONDS) {
    return { error: 'At most a day: set the clock itself when it is further off.' };
  }
  return { seconds: direction === 'ahead' && seconds > 0 ? -seconds : seconds };
}

/** The offset form for `seconds`: {amount, direction}. */
export function formFromOffset(seconds) {
  const n = Number(seconds) || 0;
  return { amount: n === 0 ? '' : String(Math.abs(n)), direction: n < 0 ? 'ahead' : 'behind' };
}

/**
 * What to tell the person when the clock changed by itself (a check, or the clock being
 * set) from `before` to `after`: only when an offset in force went away.
 */
export function changedByItself(before, after) {
  if (!before || !after || !before.offset || after.offset) return null;
  return before.offsetSource === 'server'
    ? 'Your computer’s clock is right again: codes are no longer corrected.'
    : 'Your computer’s clock was set: codes are no longer corrected.';
}

/** The time-based accounts a code can be typed for, labelled for the calibration menu. */
export function calibrationChoices(accounts) {
  return (accounts || [])
    .filter((account) => account.type === 'totp' || account.type === 'steam')
    .map((account) => ({
      id: account.id,
      label: account.issuer && account.account ? `${account.issuer} (${account.account})` : account.issuer || account.account || 'Account',
    }));
}

/** The edit dialog's clock offset field ("-20", "", "+15") as whole seconds; NaN if not one. */
export function accountOffset(text) {
  const trimmed = String(text ?? '').trim();
  if (trimmed === '') return 0;
  return /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : NaN;
}
