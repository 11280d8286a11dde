import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  clockBar, offsetFromForm, formFromOffset, changedByItself, calibrationChoices, accountOffset,
  MAX_OFFSET_SECONDS,
} from '../js/clockModel.js';

const warning = { said: 'Your computer’s clock is 3 min behind — codes may be refused.', correctBy: 180 };

test('the bar asks once, warns until put away, and says the offset while one is set', () => {
  assert.deepEqual(clockBar(null), { ask: false, warning: null, offset: null });
  assert.equal(clockBar({ check: null }).ask, true, 'not asked yet');
  assert.equal(clockBar({ check: false }).ask, false);
  assert.equal(clockBar({ check: true }).ask, false);
  assert.equal(clockBar({ check: true, warning }).warning, warning);
  assert.equal(clockBar({ check: true, warning }, warning.said).warning, null, 'put away');
  const worse = { ...warning, said: 'Your computer’s clock is 5 min behind — codes may be refused.' };
  assert.equal(clockBar({ check: true, warning: worse }, warning.said).warning, worse, 'a new warning shows again');
  assert.equal(clockBar({ check: true, offsetSaid: 'Codes use this computer’s clock +3 min (set by hand).' }).offset,
    'Codes use this computer’s clock +3 min (set by hand).');
  assert.equal(clockBar({ check: true, offsetSaid: null }).offset, null);
});

test('the offset form reads seconds or minutes:seconds, behind positive, within a day', () => {
  assert.deepEqual(offsetFromForm('133', 'behind'), { seconds: 133 });
  assert.deepEqual(offsetFromForm(' 2:13 ', 'ahead'), { seconds: -133 });
  assert.deepEqual(offsetFromForm('', 'ahead'), { seconds: 0 });
  assert.deepEqual(offsetFromForm(String(MAX_OFFSET_SECONDS), 'behind'), { seconds: 86_400 });
  for (const bad of ['-5', '2:60', '1.5', 'soon', '2:3']) {
    assert.ok('error' in offsetFromForm(bad, 'behind'), bad);
  }
  assert.match(offsetFromForm('86401', 'behind').error, /At most a day/);
  assert.deepEqual(formFromOffset(-133), { amount: '133', direction: 'ahead' });
  assert.deepEqual(formFromOffset(0), { amount: '', direction: 'behind' });
  assert.deepEqual(offsetFromForm(formFromOffset(-45).amount, formFromOffset(-45).direction), { seconds: -45 });
});

test('an offset that went away by itself is said; other changes are not', () => {
  assert.match(changedByItself({ offset: 180, offsetSource: 'server' }, { offset: 0 }), /right again/);
  assert.match(changedByItself({ offset: -60, offsetSource: 'manual' }, { offset: 0 }), /was set/);
  assert.equal(changedByItself({ offset: 180, offsetSource: 'server' }, { offset: 175 }), null);
  assert.equal(changedByItself({ offset: 0 }, { offset: 0 }), null);
  assert.equal(changedByItself(null, { offset: 0 }), null);
});

test('only time-based accounts can be calibrated from', () => {
  const choices = calibrationChoices([
    { id: 'a', type: 'totp', issuer: 'GitHub', account: 'alice' },
    { id: 'b', type: 'hotp', issuer: 'Bank', account: 'bob' },
    { id: 'c', type: 'steam', issuer: 'Steam', account: '' },
    { id: 'd', type: 'totp', issuer: '', account: 'carol' },
  ]);
  assert.deepEqual(choices, [
    { id: 'a', label: 'GitHub (alice)' },
    { id: 'c', label: 'Steam' },
    { id: 'd', label: 'carol' },
  ]);
  assert.deepEqual(calibrationChoices(undefined), []);
});

test('an account’s offset field is whole seconds with a sign, blank for none', () => {
  assert.equal(accountOffset(''), 0);
  assert.equal(accountOffset(' -20 '), -20);
  assert.equal(accountOffset('+15'), 15);
  assert.ok(Number.isNaN(accountOffset('1.5')));
  assert.ok(Number.isNaN(accountOffset('soon')));
});
