// Pure password-strength assessment for the setup screen.

/** Below this many characters a password is weak: it may be used after a second press. */
export const MIN_LENGTH = 10;

/** The floor no new password may go under, however often it is confirmed. The backend
 *  refuses shorter ones too (Rust's MIN_PASSWORD_CHARS; a Rust test keeps the two equal). */
export const MIN_PASSWORD_CHARS = 8;

/** Characters as the backend counts them: of the NFC form. */
export function characterCount(text) {
  return [...text.normalize('NFC')].length;
}

export const COMMON_PASSWORDS = [
  '123456', '123456789', '12345678', '1234567890', 'qwerty', 'qwertyuiop',
  'password', 'password1', '111111', '123123', 'abc123', 'iloveyou',
  'admin', 'letmein', 'welcome', 'monkey', 'dragon', 'football',
  'sunshine', 'princess', 'qwerty123', '1q2w3e4r', 'passw0rd', 'trustno1',
];

const BANNED_PARTS = ['ringlet', 'password'];

/** How many of: lowercase, uppercase, digits, other characters. */
export function characterClasses(pw) {
  let n = 0;
  if (/[a-z]/.test(pw)) n++;
  if (/[A-Z]/.test(pw)) n++;
  if (/[0-9]/.test(pw)) n++;
  if (/[^a-zA-Z0-9]/.test(pw)) n++;
  return n;
}

/**
 * @param {string} pw
 * @returns {{score: 0|1|2|3|4, label: string, weak: boolean, reasons: string[]}}
 *   score drives the meter; weak means the person must confirm before using it.
 */
export function assessPassword(pw) {
  const text = String(pw ?? '');
  const lower = text.toLowerCase();
  const length = [...text].length;
  const classes = characterClasses(text);
  const reasons = [];

  if (length === 0) return { score: 0, label: '', weak: true, reasons: ['Enter a password.'] };

  if (length < MIN_LENGTH) reasons.push(`It is shorter than ${MIN_LENGTH} characters.`);
  if (classes <= 1) reasons.push('It uses only one kind of character.');
  if (COMMON_PASSWORDS.includes(lower)) reasons.push('It is a very common password.');
  const banned = BANNED_PARTS.find((w) => lower.includes(w));
  if (banned) reasons.push(`It contains “${banned}”, which is easy to guess.`);

  const weak = reasons.length > 0;

  let score;
  if (weak) {
    score = length >= 8 && classes >= 2 && !COMMON_PASSWORDS.includes(lower) ? 1 : 0;
  } else {
    // Not weak: at least 10 characters and two character classes.
    score = 2;
    if (length >= 14 || classes >= 3) score = 3;
    if (length >= 16 && classes >= 3) score = 4;
    if (length >= 20) score = 4;
  }
  const label = ['Very weak', 'Weak', 'Fair', 'Good', 'Strong'][score];
  return { score, label, weak, reasons };
}

/**
 * Decide what pressing "Create vault" does.
 * @param {{password: string, confirm: string, acknowledgedWeak: string|null}} s
 *   acknowledgedWeak is the weak password the person was already warned about.
 * @returns {{action: 'error', field: 'password'|'confirm', message: string} | {action: 'warn', reasons: string[]} | {action: 'create'}}
 */
export function setupDecision({ password, confirm, acknowledgedWeak }) {
  if (!password) return { action: 'error', field: 'password', message: 'Choose a password.' };
  if (password !== confirm) return { action: 'error', field: 'confirm', message: 'The passwords do not match.' };
  if (characterCount(password) < MIN_PASSWORD_CHARS) {
    return { action: 'error', field: 'password', message: `Use at least ${MIN_PASSWORD_CHARS} characters.` };
  }
  const a = assessPassword(password);
  if (a.weak && acknowledgedWeak !== password) return { action: 'warn', reasons: a.reasons };
  return { action: 'create' };
}
