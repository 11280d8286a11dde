// Pure mapping from whatever a backend call rejected with to something to show.

export const KINDS = [
  'wrong_password', 'vault_missing', 'vault_exists', 'vault_locked', 'vault_damaged',
  'vault_newer', 'vault_in_use', 'invalid_input', 'not_found', 'io', 'settings', 'backup', 'screen_capture', 'internal',
  'password_required', 'typing', 'shortcut', 'sync',
];

export const WRONG_PASSWORD_MESSAGE = 'Wrong password. Nothing was changed.';

const FALLBACK = {
  wrong_password: WRONG_PASSWORD_MESSAGE,
  vault_missing: 'There is no vault yet. Create one to start.',
  vault_exists: 'A vault already exists.',
  vault_locked: 'The vault is locked. Unlock it to continue.',
  vault_damaged: 'The vault file is damaged and cannot be read.',
  vault_newer: 'A newer version of Ringlet wrote this. Update Ringlet to use it.',
  vault_in_use: 'The vault is open in another Ringlet window.',
  invalid_input: 'That input is not valid.',
  not_found: 'That account no longer exists.',
  io: 'Ringlet could not read or write a file.',
  settings: 'The settings could not be saved.',
  backup: 'That backup could not be used.',
  screen_capture: 'The screen could not be read.',
  internal: 'Something went wrong inside Ringlet.',
  password_required: 'This change asks for the vault password.',
  typing: 'The code could not be typed; it was copied instead.',
  shortcut: 'That shortcut could not be taken.',
  sync: 'Sync could not run.',
};

/**
 * Normalise a rejection into {kind, message}.
 * Backend errors are {kind, message}; anything else (a string, an Error, a
 * missing Tauri bridge) becomes kind "internal".
 */
export function normalizeError(err) {
  if (err && typeof err === 'object' && typeof err.kind === 'string') {
    const kind = KINDS.includes(err.kind) ? err.kind : 'internal';
    const msg = typeof err.message === 'string' ? err.message.trim() : '';
    return { kind, message: msg || FALLBACK[kind] };
  }
  if (typeof err === 'string' && err.trim()) return { kind: 'internal', message: err.trim() };
  if (err instanceof Error && err.message) return { kind: 'internal', message: err.message };
  return { kind: 'internal', message: FALLBACK.internal };
}

/** The text to show the person for a failure. */
export function errorMessage(err) {
  const e = normalizeError(err);
  if (e.kind === 'wrong_password') return WRONG_PASSWORD_MESSAGE;
  return e.message;
}

/** The form field a failure belongs to (`secret`, `period`, `exportPassword`, …), or null. */
export function errorField(err) {
  return err && typeof err === 'object' && typeof err.field === 'string' && /^[a-z][a-zA-Z]*$/.test(err.field)
    ? err.field
    : null;
}

/** Where the app should go after this failure, or null to stay put. */
export function screenForError(err) {
  const { kind } = normalizeError(err);
  if (kind === 'vault_locked') return 'unlock';
  if (kind === 'vault_missing') return 'setup';
  return null;
}
