import { test } from 'node:test';
import assert from 'node:assert/strict';

import { pickerRows, moveChoice, needsRefresh, PICKER_ROWS } from '../js/pickerModel.js';

const accounts = Array.from({ length: 12 }, (_, i) => ({ id: `id${i}`, expiresAt: 1000 + i }));

test('the picker shows at most eight rows, in the search’s order', () => {
  assert.equal(PICKER_ROWS, 8);
  assert.equal(pickerRows(accounts, null).length, 8);
  assert.deepEqual(pickerRows(accounts, ['id3', 'id1', 'gone']).map((a) => a.id), ['id3', 'id1']);
  assert.deepEqual(pickerRows(accounts, []), []);
});

test('the arrows move the choice and stop at the ends', () => {
  assert.equal(moveChoice('ArrowDown', 0, 3), 1);
  assert.equal(moveChoice('ArrowDown', 2, 3), 2);
  assert.equal(moveChoice('ArrowUp', 0, 3), 0);
  assert.equal(moveChoice('ArrowUp', 2, 3), 1);
  assert.equal(moveChoice('ArrowDown', 0, 0), null);
  assert.equal(moveChoice('a', 0, 3), null);
});

test('a code past its time asks for a refresh; HOTP rows never do', () => {
  assert.equal(needsRefresh([{ expiresAt: 5000 }], 4999), false);
  assert.equal(needsRefresh([{ expiresAt: 5000 }], 5000), true);
  assert.equal(needsRefresh([{ expiresAt: null }], 9e12), false);
});
