import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessPassword, setupDecision, characterClasses, COMMON_PASSWORDS, MIN_LENGTH, MIN_PASSWORD_CHARS } from '../js/password.js';

test('character classes are counted', () => {
  assert.equal(characterClasses('abc'), 1);
  assert.equal(characterClasses('abcDEF'), 2);
  assert.equal(characterClasses('abcDEF123'), 3);
  assert.equal(characterClasses('aB3!'), 4);
  assert.equal(characterClasses('pässwörd'), 2, 'non-ASCII letters count as "other"');
});

test('short passwords are weak', () => {
  const a = assessPassword('Ab3$xyz');
  assert.equal(a.weak, true);
  assert.ok(a.reasons.some((r) => r.includes(String(MIN_LENGTH))));
});

test('a single character class is weak, even when long', () => {
  const a = assessPassword('abcdefghijklmnopqrstuvwxyz');
  assert.equal(a.weak, true);
  assert.ok(a.reasons.some((r) => /one kind/.test(r)));
});

test('the common list has about twenty entries and they are weak', () => {
  assert.ok(COMMON_PASSWORDS.length >= 20);
  for (const pw of COMMON_PASSWORDS) assert.equal(assessPassword(pw).weak, true, pw);
  assert.ok(assessPassword('Qwerty123').reasons.some((r) => /common/.test(r)), 'case-insensitive');
});

test('containing "ringlet" or "password" is weak', () => {
  assert.equal(assessPassword('MyRinglet-Vault-2024').weak, true);
  assert.equal(assessPassword('SuperPassword#9876').weak, true);
  assert.ok(assessPassword('xxRINGLETxx-42').reasons.some((r) => r.includes('ringlet')));
});

test('a long mixed password is not weak and scores higher', () => {
  const fair = assessPassword('tulip-orbit7');
  assert.equal(fair.weak, false);
  assert.ok(fair.score >= 2);
  const strong = assessPassword('Correct-Horse-Battery-9');
  assert.equal(strong.weak, false);
  assert.equal(strong.score, 4);
  assert.equal(strong.label, 'Strong');
  assert.ok(strong.score > fair.score || fair.score === 4);
});

test('weak passwords score at most 1', () => {
  for (const pw of ['a', 'abc12', 'password', 'ringlet12345!A', 'abcdefghijklmnop']) {
    const a = assessPassword(pw);
    assert.equal(a.weak, true, pw);
    assert.ok(a.score <= 1, pw);
  }
});

test('empty password', () => {
  const a = assessPassword('');
  assert.equal(a.weak, true);
  assert.equal(a.score, 0);
});

test('setupDecision: empty and mismatch are errors', () => {
  assert.deepEqual(setupDecision({ password: '', confirm: '', acknowledgedWeak: null }),
    { action: 'error', field: 'password', message: 'Choose a password.' });
  const d = setupDecision({ password: 'Correct-Horse-9', confirm: 'Correct-Horse-8', acknowledgedWeak: null });
  assert.equal(d.action, 'error');
  assert.equal(d.field, 'confirm');
  assert.match(d.message, /do not match/);
});

test('setupDecision: mismatch wins over weakness', () => {
  assert.equal(setupDecision({ password: 'abc', confirm: 'abd', acknowledgedWeak: 'abc' }).action, 'error');
});

test('setupDecision: weak warns first, then creates on the second press', () => {
  const first = setupDecision({ password: 'ringlet1', confirm: 'ringlet1', acknowledgedWeak: null });
  assert.equal(first.action, 'warn');
  assert.ok(first.reasons.length >= 2);
  const second = setupDecision({ password: 'ringlet1', confirm: 'ringlet1', acknowledgedWeak: 'ringlet1' });
  assert.deepEqual(second, { action: 'create' });
});

test('setupDecision: acknowledging one weak password does not cover another', () => {
  const d = setupDecision({ password: 'qwerty123', confirm: 'qwerty123', acknowledgedWeak: 'ringlet1' });
  assert.equal(d.action, 'warn');
});

test('setupDecision: under the floor is an error, however often confirmed', () => {
  assert.equal(MIN_PASSWORD_CHARS, 8);
  for (const short of ['abc123', 'seven77']) {
    assert.deepEqual(setupDecision({ password: short, confirm: short, acknowledgedWeak: short }),
      { action: 'error', field: 'password', message: 'Use at least 8 characters.' });
  }
  // Counted as the backend counts: "e" and a combining accent are one character.
  const decomposed = 'cafe\u0301s12';
  assert.equal(setupDecision({ password: decomposed, confirm: decomposed, acknowledgedWeak: decomposed }).action, 'error');
  assert.equal(setupDecision({ password: 'eight888', confirm: 'eight888', acknowledgedWeak: 'eight888' }).action, 'create');
});

test('setupDecision: a good password creates straight away', () => {
  assert.deepEqual(setupDecision({ password: 'Correct-Horse-9', confirm: 'Correct-Horse-9', acknowledgedWeak: null }), { action: 'create' });
});
