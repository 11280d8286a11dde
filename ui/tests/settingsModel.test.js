import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NEVER, AUTO_LOCK_CHOICES, CLIPBOARD_CHOICES, normalizeSeconds, optionValue, parseOptionValue,
  durationLabel, selectOptions, settingsFromValues, normalizeSettings, passwordChangeDecision,
  WRONG_CURRENT_PASSWORD, quickUnlockView, LOCK_SWITCHES,
} from '../js/settingsModel.js';

test('the agreed choices, in order', () => {
  assert.deepEqual(AUTO_LOCK_CHOICES.map((c) => c.seconds), [null, 60, 300, 900, 3600]);
  assert.deepEqual(AUTO_LOCK_CHOICES.map((c) => c.label), ['Never', '1 minute', '5 minutes', '15 minutes', '1 hour']);
  assert.deepEqual(CLIPBOARD_CHOICES.map((c) => c.seconds), [null, 10, 20, 45, 90]);
  assert.deepEqual(CLIPBOARD_CHOICES.map((c) => c.label), ['Never', '10 seconds', '20 seconds', '45 seconds', '90 seconds']);
});

test('option values round-trip, null is "never"', () => {
  for (const s of [null, 10, 60, 3600]) assert.equal(parseOptionValue(optionValue(s)), s);
  assert.equal(optionValue(null), NEVER);
  assert.equal(optionValue(300), '300');
});

test('unexpected values read as never', () => {
  for (const v of [undefined, null, '', 'soon', '-5', '1.5', '0', ' 12x']) assert.equal(parseOptionValue(v), null, String(v));
  assert.equal(parseOptionValue(' 45 '), 45);
  for (const v of [0, -1, 1.5, NaN, '60', Infinity]) assert.equal(normalizeSeconds(v), null, String(v));
});

test('durationLabel names any number of seconds', () => {
  assert.equal(durationLabel(null), 'Never');
  assert.equal(durationLabel(1), '1 second');
  assert.equal(durationLabel(30), '30 seconds');
  assert.equal(durationLabel(60), '1 minute');
  assert.equal(durationLabel(90), '1 minute 30 seconds');
  assert.equal(durationLabel(120), '2 minutes');
  assert.equal(durationLabel(3600), '1 hour');
  assert.equal(durationLabel(5400), '1 hour 30 minutes');
  assert.equal(durationLabel(7201), '2 hours 1 second');
  assert.equal(durationLabel(86400), '24 hours');
});

test('selectOptions marks the current value', () => {
  const opts = selectOptions(AUTO_LOCK_CHOICES, 300);
  assert.equal(opts.length, 5);
  assert.deepEqual(opts.filter((o) => o.selected).map((o) => o.value), ['300']);
  const never = selectOptions(CLIPBOARD_CHOICES, null);
  assert.deepEqual(never.filter((o) => o.selected).map((o) => o.label), ['Never']);
});

test('an unknown current value is shown as an extra option, in order by length', () => {
  const opts = selectOptions(AUTO_LOCK_CHOICES, 120);
  assert.deepEqual(opts.map((o) => o.label), ['Never', '1 minute', '2 minutes', '5 minutes', '15 minutes', '1 hour']);
  assert.deepEqual(opts.filter((o) => o.selected).map((o) => o.value), ['120']);

  const long = selectOptions(AUTO_LOCK_CHOICES, 7200);
  assert.equal(long[long.length - 1].label, '2 hours');
  assert.equal(long[long.length - 1].selected, true);

  const short = selectOptions(CLIPBOARD_CHOICES, 5);
  assert.deepEqual(short.map((o) => o.value), [NEVER, '5', '10', '20', '45', '90']);
  // The choices themselves are untouched.
  assert.equal(CLIPBOARD_CHOICES.length, 5);
});

test('a value that is not a delay at all shows as never, with no extra option', () => {
  for (const v of [undefined, 0, -30, 'ten']) {
    const opts = selectOptions(CLIPBOARD_CHOICES, v);
    assert.equal(opts.length, 5, String(v));
    assert.equal(opts.find((o) => o.selected).value, NEVER);
  }
});

test('settingsFromValues builds the camelCase payload and keeps other settings', () => {
  assert.deepEqual(settingsFromValues({ autoLock: '60', clipboard: NEVER }), { clipboardClearSeconds: null, autoLockSeconds: 60 });
  assert.deepEqual(
    settingsFromValues({ autoLock: NEVER, clipboard: '20' }, { autoLockSeconds: 300, clipboardClearSeconds: 45, screenCaptureProtection: false }),
    { autoLockSeconds: null, clipboardClearSeconds: 20, screenCaptureProtection: false },
  );
});

test('normalizeSettings tolerates missing or odd values', () => {
  const on = { lockOnScreenLock: true, lockOnSuspend: true, lockOnLidClose: true };
  assert.deepEqual(normalizeSettings(null), { ...on, clipboardClearSeconds: null, autoLockSeconds: null });
  assert.deepEqual(normalizeSettings({ clipboardClearSeconds: 20 }), { ...on, clipboardClearSeconds: 20, autoLockSeconds: null });
  assert.deepEqual(normalizeSettings({ clipboardClearSeconds: '20', autoLockSeconds: 300, other: 1 }),
    { ...on, clipboardClearSeconds: null, autoLockSeconds: 300, other: 1 });
  // Only an explicit false turns a lock switch off.
  assert.equal(normalizeSettings({ lockOnSuspend: false }).lockOnSuspend, false);
  assert.equal(normalizeSettings({ lockOnSuspend: 0 }).lockOnSuspend, true);
});

test('settingsFromValues carries the lock switches, and only booleans', () => {
  assert.deepEqual(LOCK_SWITCHES, ['lockOnScreenLock', 'lockOnSuspend', 'lockOnLidClose']);
  const payload = settingsFromValues(
    { autoLock: '300', clipboard: '20', switches: { lockOnScreenLock: false, lockOnSuspend: true, lockOnLidClose: 'no', other: false } },
    { lockOnLidClose: true },
  );
  assert.deepEqual(payload, {
    lockOnScreenLock: false, lockOnSuspend: true, lockOnLidClose: true, clipboardClearSeconds: 20, autoLockSeconds: 300,
  });
});

const STRONG = 'correct horse battery staple 42';

test('change password: the current password is required first', () => {
  assert.deepEqual(passwordChangeDecision({ current: '', password: STRONG, confirm: STRONG, acknowledgedWeak: null }),
    { action: 'error', field: 'current', message: 'Enter your current password.' });
  assert.equal(passwordChangeDecision({ current: 'old', password: '', confirm: '', acknowledgedWeak: null }).field, 'password');
});

test('change password: mismatch, same password', () => {
  const mismatch = passwordChangeDecision({ current: 'old', password: STRONG, confirm: `${STRONG}!`, acknowledgedWeak: null });
  assert.deepEqual(mismatch, { action: 'error', field: 'confirm', message: 'The passwords do not match.' });
  const same = passwordChangeDecision({ current: STRONG, password: STRONG, confirm: STRONG, acknowledgedWeak: null });
  assert.equal(same.action, 'error');
  assert.equal(same.field, 'password');
});

test('change password: a weak one warns first, the second press goes ahead', () => {
  const first = passwordChangeDecision({ current: 'old', password: 'abcdefgh', confirm: 'abcdefgh', acknowledgedWeak: null });
  assert.equal(first.action, 'warn');
  assert.ok(first.reasons.length > 0);
  assert.deepEqual(passwordChangeDecision({ current: 'old', password: 'abcdefgh', confirm: 'abcdefgh', acknowledgedWeak: 'abcdefgh' }), { action: 'change' });
  // Warned about another password: warn again.
  assert.equal(passwordChangeDecision({ current: 'old', password: 'abcdefghi', confirm: 'abcdefghi', acknowledgedWeak: 'abcdefgh' }).action, 'warn');
  // Under the floor: an error, confirmed or not.
  assert.equal(passwordChangeDecision({ current: 'old', password: 'abc', confirm: 'abc', acknowledgedWeak: 'abc' }).action, 'error');
  assert.deepEqual(passwordChangeDecision({ current: 'old', password: STRONG, confirm: STRONG, acknowledgedWeak: null }), { action: 'change' });
});

test('the wrong-current-password text', () => {
  assert.equal(WRONG_CURRENT_PASSWORD, 'The current password is wrong.');
});

test('quick unlock: off asks for the password to turn on, on names the keyring entry', () => {
  const off = quickUnlockView({ enabled: false, keyringEntry: null });
  assert.equal(off.enabled, false);
  assert.equal(off.needsPassword, true);
  assert.equal(off.action, 'Turn on quick unlock');
  assert.equal(off.state, 'Off. Only the password unlocks Ringlet.');
  assert.equal(off.entry, '');

  const on = quickUnlockView({ enabled: true, keyringEntry: 'vault ab key cd' });
  assert.equal(on.enabled, true);
  assert.equal(on.needsPassword, false);
  assert.equal(on.action, 'Turn off quick unlock');
  assert.equal(on.state, 'On. Ringlet can be unlocked from your system keyring.');
  assert.equal(on.entry, 'Keyring entry “vault ab key cd”, service Ringlet.');

  // Anything odd from the backend reads as off, the safe state to show.
  for (const odd of [null, undefined, {}, { enabled: 'yes' }, [], { enabled: false, keyringEntry: 'stale' }]) {
    const view = quickUnlockView(odd);
    assert.equal(view.enabled, false);
    assert.equal(view.entry, '');
  }
  assert.equal(quickUnlockView({ enabled: true }).entry, '');
});
