// Pure validation and payload building for the "Add account" dialog.

export const TYPES = ['totp', 'hotp', 'steam'];
export const ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'];
export const STEAM_DIGITS = 5;

/** Remove spaces, dashes and padding; upper-case. "jbsw y3dp-ehpk====" → "JBSWY3DPEHPK". */
export function normalizeSecret(secret) {
  return String(secret ?? '').replace(/[\s-]+/g, '').replace(/=+$/, '').toUpperCase();
}

export function isBase32(s) {
  return /^[A-Z2-7]+$/.test(s);
}

function toInt(v) {
  const s = String(v ?? '').trim();
  if (!/^\d+$/.test(s)) return NaN;
  return Number(s);
}

/** Defaults that the form shows for a type. */
export function defaultsFor(type) {
  if (type === 'steam') return { algorithm: 'SHA1', digits: STEAM_DIGITS, period: 30, counter: null };
  if (type === 'hotp') return { algorithm: 'SHA1', digits: 6, period: null, counter: 0 };
  return { algorithm: 'SHA1', digits: 6, period: 30, counter: null };
}

/**
 * Validate the manual-entry fields and build the add_account_manual payload.
 * @param {{issuer?: string, account?: string, secret?: string, type?: string,
 *          algorithm?: string, digits?: string|number, period?: string|number,
 *          counter?: string|number}} form raw field values
 * @returns {{ok: true, entry: object} | {ok: false, errors: Record<string,string>}}
 */
export function buildManualEntry(form) {
  const errors = {};
  const issuer = String(form.issuer ?? '').trim();
  const account = String(form.account ?? '').trim();
  const type = TYPES.includes(form.type) ? form.type : 'totp';
  const secret = normalizeSecret(form.secret);

  if (!issuer && !account) errors.issuer = 'Enter an issuer or an account name.';
  if (!secret) errors.secret = 'Enter the secret key.';
  else if (!isBase32(secret)) errors.secret = 'The secret must be Base32: letters A–Z and digits 2–7.';

  let algorithm = ALGORITHMS.includes(form.algorithm) ? form.algorithm : 'SHA1';
  let digits;
  if (type === 'steam') {
    algorithm = 'SHA1';
    digits = STEAM_DIGITS;
  } else {
    digits = toInt(form.digits === '' || form.digits == null ? 6 : form.digits);
    if (!(digits >= 6 && digits <= 8)) errors.digits = 'Digits must be 6, 7 or 8.';
  }

  let period = null;
  let counter = null;
  if (type === 'hotp') {
    counter = toInt(form.counter === '' || form.counter == null ? 0 : form.counter);
    if (!Number.isSafeInteger(counter)) errors.counter = 'The counter must be a whole number, 0 or more.';
  } else {
    period = toInt(form.period === '' || form.period == null ? 30 : form.period);
    if (!(period >= 1 && period <= 3600)) errors.period = 'The period must be between 1 and 3600 seconds.';
  }

  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, entry: { issuer, account, secret, type, algorithm, digits, period, counter } };
}

/** Light check of a pasted URI before asking the backend, which does the real parsing. */
export function checkUri(text) {
  const uri = String(text ?? '').trim();
  if (!uri) return { ok: false, error: 'Paste an otpauth:// link.' };
  if (!/^otpauth(-migration)?:\/\//i.test(uri)) {
    return { ok: false, error: 'The link must start with otpauth://' };
  }
  return { ok: true, uri };
}
