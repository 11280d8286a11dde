import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  normalizeError, errorMessage, errorField, screenForError, WRONG_PASSWORD_MESSAGE, KINDS,
} from '../js/errors.js';

test('backend errors keep their kind and message', () => {
  assert.deepEqual(normalizeError({ kind: 'invalid_input', message: 'The secret is not valid Base32.' }),
    { kind: 'invalid_input', message: 'The secret is not valid Base32.' });
  assert.equal(errorMessage({ kind: 'io', message: 'Disk full' }), 'Disk full');
});

test('a missing or empty message falls back to a per-kind text', () => {
  for (const kind of KINDS) {
    const e = normalizeError({ kind, message: '' });
    assert.equal(e.kind, kind);
    assert.ok(e.message.length > 5, kind);
  }
  assert.match(errorMessage({ kind: 'vault_in_use' }), /another/);
});

test('wrong password always shows the agreed text', () => {
  assert.equal(errorMessage({ kind: 'wrong_password', message: 'wrong password' }), WRONG_PASSWORD_MESSAGE);
  assert.equal(WRONG_PASSWORD_MESSAGE, 'Wrong password. Nothing was changed.');
});

test('unknown kinds and non-objects become internal', () => {
  assert.deepEqual(normalizeError({ kind: 'weird', message: 'x' }), { kind: 'internal', message: 'x' });
  assert.deepEqual(normalizeError('plain string'), { kind: 'internal', message: 'plain string' });
  assert.deepEqual(normalizeError(new Error('oops')), { kind: 'internal', message: 'oops' });
  assert.equal(normalizeError(undefined).kind, 'internal');
  assert.equal(normalizeError(null).kind, 'internal');
  assert.ok(normalizeError({}).message.length > 0);
});

test('vault_locked sends the person to the unlock screen', () => {
  assert.equal(screenForError({ kind: 'vault_locked', message: 'locked' }), 'unlock');
  assert.equal(screenForError({ kind: 'vault_missing', message: '' }), 'setup');
  assert.equal(screenForError({ kind: 'invalid_input', message: '' }), null);
  assert.equal(screenForError('boom'), null);
});

test('a form error names its field; anything else names none', () => {
  assert.equal(errorField({ kind: 'invalid_input', message: 'Enter the period.', field: 'period' }), 'period');
  assert.equal(errorField({ kind: 'invalid_input', message: 'Bad.' }), null);
  assert.equal(errorField({ kind: 'invalid_input', message: 'Bad.', field: 'x"><img' }), null);
  assert.equal(errorField({ kind: 'invalid_input', message: 'Short.', field: 'exportPassword' }), 'exportPassword');
  assert.equal(errorField('text'), null);
  assert.equal(errorField(null), null);
});
