// Pure logic of the Settings dialog: the choices of the two delay selects, and the
// decision behind "Change password". No DOM, no backend.

import { setupDecision } from './password.js';

/** Value of the "never" option (a select's values are strings; null is not one). */
export const NEVER = 'never';

/** "Lock after": seconds, null = never. */
export const AUTO_LOCK_CHOICES = Object.freeze([
  { seconds: null, label: 'Never' },
  { seconds: 60, label: '1 minute' },
  { seconds: 300, label: '5 minutes' },
  { seconds: 900, label: '15 minutes' },
  { seconds: 3600, label: '1 hour' },
]);

/** "Clear copied codes after": seconds, null = never. */
export const CLIPBOARD_CHOICES = Object.freeze([
  { seconds: null, label: 'Never' },
  { seconds: 10, label: '10 seconds' },
  { seconds: 20, label: '20 seconds' },
  { seconds: 45, label: '45 seconds' },
  { seconds: 90, label: '90 seconds' },
]);

/** A delay as the backend holds it: a positive whole number of seconds, or null (never). */
export function normalizeSeconds(value) {
  return Number.isInteger(value) && value > 0 ? value : null;
}

/** The option value for a delay: "never" or the seconds as a string. */
export function optionValue(seconds) {
  const s = normalizeSeconds(seconds);
  return s === null ? NEVER : String(s);
}

/** Back from an option value to seconds or null. Anything unexpected reads as never. */
export function parseOptionValue(value) {
  if (value === NEVER || value == null) return null;
  const text = String(value).trim();
  if (!/^\d+$/.test(text)) return null;
  return normalizeSeconds(Number(text));
}

function unit(n, singular) {
  return `${n} ${singular}${n === 1 ? '' : 's'}`;
}

/** "45 seconds", "1 minute", "2 hours", "1 hour 30 minutes", "1 minute 30 seconds". */
export function durationLabel(seconds) {
  const s = normalizeSeconds(seconds);
  if (s === null) return 'Never';
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (hours === 0 && minutes === 0) return unit(rest, 'second');
  if (hours === 0) return rest ? `${unit(minutes, 'minute')} ${unit(rest, 'second')}` : unit(minutes, 'minute');
  const parts = [unit(hours, 'hour')];
  if (minutes) parts.push(unit(minutes, 'minute'));
  if (rest) parts.push(unit(rest, 'second'));
  return parts.join(' ');
}

/**
 * The options of a select for the current value. A value that is not one of the
 * choices (set by hand in settings.json, or by an older version) is shown as an extra
 * option in its place by length, so opening Settings never changes it silently.
 * @returns {{value: string, label: string, selected: boolean}[]}
 */
export function selectOptions(choices, current) {
  const cur = normalizeSeconds(current);
  const list = choices.map((c) => ({ seconds: normalizeSeconds(c.seconds), label: c.label }));
  if (!list.some((c) => c.seconds === cur)) {
    const extra = { seconds: cur, label: durationLabel(cur) };
    const at = list.findIndex((c) => c.seconds !== null && c.seconds > cur);
    list.splice(at < 0 ? list.length : at, 0, extra);
  }
  return list.map((c) => ({ value: optionValue(c.seconds), label: c.label, selected: c.seconds === cur }));
}

/**
 * The payload of save_settings, from the two selects' values. Other settings the backend
 * reported (`base`, e.g. ones a newer version added) are sent back unchanged, so saving
 * these two never resets them.
 */
export function settingsFromValues({ autoLock, clipboard, switches = {} }, base = null) {
  const rest = base && typeof base === 'object' && !Array.isArray(base) ? base : {};
  const flags = {};
  for (const key of LOCK_SWITCHES) {
    if (typeof switches[key] === 'boolean') flags[key] = switches[key];
  }
  return {
    ...rest,
    ...flags,
    clipboardClearSeconds: parseOptionValue(clipboard),
    autoLockSeconds: parseOptionValue(autoLock),
  };
}

/** The on/off settings of Settings → Security: lock with the screen, the sleep, the lid. */
export const LOCK_SWITCHES = ['lockOnScreenLock', 'lockOnSuspend', 'lockOnLidClose'];

/**
 * Settings as received from get_settings / save_settings, tolerating missing keys; keys
 * this dialog does not show are kept as they are.
 */
export function normalizeSettings(settings) {
  const s = settings && typeof settings === 'object' && !Array.isArray(settings) ? settings : {};
  const flags = {};
  // A missing switch reads as on: the careful default, as the backend's.
  for (const key of LOCK_SWITCHES) flags[key] = s[key] !== false;
  return {
    ...s,
    ...flags,
    clipboardClearSeconds: normalizeSeconds(s.clipboardClearSeconds),
    autoLockSeconds: normalizeSeconds(s.autoLockSeconds),
  };
}

export const WRONG_CURRENT_PASSWORD = 'The current password is wrong.';

/**
 * Decide what pressing "Change password" does. The strength rules and the warning are
 * the setup screen's: a weak new password needs a second press.
 * @param {{current: string, password: string, confirm: string, acknowledgedWeak: string|null}} s
 * @returns {{action: 'error', field: 'current'|'password'|'confirm', message: string}
 *          | {action: 'warn', reasons: string[]} | {action: 'change'}}
 */
export function passwordChangeDecision({ current, password, confirm, acknowledgedWeak }) {
  if (!current) return { action: 'error', field: 'current', message: 'Enter your current password.' };
  if (!password) return { action: 'error', field: 'password', message: 'Choose a new password.' };
  if (password === current) {
    return { action: 'error', field: 'password', message: 'The new password is the same as the current one.' };
  }
  const d = setupDecision({ password, confirm, acknowledgedWeak });
  if (d.action === 'create') return { action: 'change' };
  return d;
}

/**
 * What Settings → Quick unlock shows for the status the backend reports.
 * @param {{enabled?: boolean, keyringEntry?: string|null}|null|undefined} status
 * @returns {{enabled: boolean, state: string, entry: string, action: string, needsPassword: boolean}}
 */
export function quickUnlockView(status) {
  const enabled = !!(status && status.enabled === true);
  const entry = enabled && status && typeof status.keyringEntry === 'string' ? status.keyringEntry : '';
  return {
    enabled,
    state: enabled ? 'On. Ringlet can be unlocked from your system keyring.' : 'Off. Only the password unlocks Ringlet.',
    // So the person can find (or remove) it in their keyring manager.
    entry: entry ? `Keyring entry “${entry}”, service Ringlet.` : '',
    action: enabled ? 'Turn off quick unlock' : 'Turn on quick unlock',
    // Adding a way in asks for the password again; removing one does not.
    needsPassword: !enabled,
  };
}
