import { test } from 'node:test';
import assert from 'node:assert/strict';

import { orderByIds, isBlank, searchKeyAction, noMatchMessage } from '../js/searchModel.js';

const accounts = [{ id: 'a', issuer: 'GitHub' }, { id: 'b', issuer: 'Bank' }, { id: 'c', issuer: 'Hub' }];

test('the backend’s order is kept and ids the list lacks are skipped', () => {
  assert.deepEqual(orderByIds(accounts, ['c', 'a']).map((a) => a.issuer), ['Hub', 'GitHub']);
  assert.deepEqual(orderByIds(accounts, ['gone', 'b']).map((a) => a.id), ['b']);
  assert.deepEqual(orderByIds(accounts, []), []);
});

test('a blank query shows the whole list', () => {
  assert.equal(isBlank(''), true);
  assert.equal(isBlank('  \t'), true);
  assert.equal(isBlank(undefined), true);
  assert.equal(isBlank(' g'), false);
});

test('Esc clears, then hides; Enter copies the top match; ↓ goes to the list', () => {
  assert.equal(searchKeyAction({ key: 'Escape' }, 'git'), 'clear');
  assert.equal(searchKeyAction({ key: 'Escape' }, ''), 'hide');
  assert.equal(searchKeyAction({ key: 'Escape' }, '   '), 'hide');
  assert.equal(searchKeyAction({ key: 'Enter' }, 'git'), 'copy-top');
  assert.equal(searchKeyAction({ key: 'Enter', shiftKey: true }, 'git'), 'copy-top-next');
  assert.equal(searchKeyAction({ key: 'ArrowDown' }, ''), 'focus-list');
  assert.equal(searchKeyAction({ key: 'Enter', ctrlKey: true }, 'git'), null);
  assert.equal(searchKeyAction({ key: 'g' }, 'git'), null);
});

test('nothing found says what was searched for', () => {
  assert.equal(noMatchMessage('  zz '), 'No account matches “zz”.');
});
