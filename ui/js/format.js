// Pure text formatting for accounts and codes. No DOM, no backend.

/**
 * Split a code into readable groups.
 * - Steam codes (and anything of 5 characters or fewer) stay in one piece.
 * - 8 characters: 4 + 4.
 * - Otherwise groups of 3 from the left; a lone trailing character joins the
 *   group before it (7 → 3 + 4, 10 → 3 + 3 + 4).
 * @param {string|null|undefined} code
 * @param {string} [type]
 * @returns {string}
 */
export function groupCode(code, type) {
  if (code == null) return '';
  const s = String(code);
  if (type === 'steam' || s.length <= 5) return s;
  if (s.length === 8) return `${s.slice(0, 4)} ${s.slice(4)}`;
  const groups = [];
  for (let i = 0; i < s.length; i += 3) groups.push(s.slice(i, i + 3));
  if (groups.length > 1 && groups[groups.length - 1].length === 1) {
    const last = groups.pop();
    groups[groups.length - 1] += last;
  }
  return groups.join(' ');
}

/** The masked code shown for an HOTP account whose code has not been generated yet. */
export function placeholderCode(digits, type) {
  const n = Number.isInteger(digits) && digits > 0 && digits <= 10 ? digits : 6;
  return groupCode('•'.repeat(n), type);
}

/** The code text a row shows: the grouped code, or dots until an HOTP code exists. */
export function displayCode(account) {
  if (account.code == null || account.code === '') {
    return placeholderCode(account.digits, account.type);
  }
  return groupCode(account.code, account.type);
}

/** "GitHub (alice)", "GitHub", "alice", or "this account" when both are empty. */
export function accountLabel(account) {
  const issuer = (account.issuer || '').trim();
  const name = (account.account || '').trim();
  if (issuer && name) return `${issuer} (${name})`;
  return issuer || name || 'this account';
}

/** Title line of a row: the issuer, falling back to the account name. */
export function primaryText(account) {
  const issuer = (account.issuer || '').trim();
  return issuer || (account.account || '').trim() || 'Unnamed account';
}

/** Muted line of a row: the account name, or '' when the issuer already shows it. */
export function secondaryText(account) {
  const issuer = (account.issuer || '').trim();
  return issuer ? (account.account || '').trim() : '';
}

/** Longest label quoted inside a sentence (a confirmation, a toast). */
export const SHORT_LABEL_MAX = 80;

/**
 * A label cut to `max` characters with "…", for quoting it inside a sentence. Counts
 * code points, so a surrogate pair is never split; trailing spaces before the "…" go.
 */
export function shortenLabel(text, max = SHORT_LABEL_MAX) {
  const chars = Array.from(String(text ?? ''));
  if (chars.length <= max) return chars.join('');
  return `${chars.slice(0, Math.max(1, max - 1)).join('').trimEnd()}…`;
}

/** accountLabel, shortened for quoting in a sentence. */
export function shortAccountLabel(account) {
  return shortenLabel(accountLabel(account));
}

/** Accessible name of a row, read by screen readers. */
export function rowAriaLabel(account) {
  const code = account.code ? groupCode(account.code, account.type) : 'no code yet';
  return `${accountLabel(account)}${account.pinned ? ', pinned' : ''}, ${code}`;
}

export function pluralize(n, singular, plural = `${singular}s`) {
  return `${n} ${n === 1 ? singular : plural}`;
}
