import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextIndex, isActivationKey, diffIds, replaceAccount } from '../js/listNav.js';

test('arrow keys move within bounds', () => {
  assert.equal(nextIndex('ArrowDown', 0, 3), 1);
  assert.equal(nextIndex('ArrowDown', 2, 3), 2);
  assert.equal(nextIndex('ArrowUp', 2, 3), 1);
  assert.equal(nextIndex('ArrowUp', 0, 3), 0);
  assert.equal(nextIndex('Home', 2, 3), 0);
  assert.equal(nextIndex('End', 0, 3), 2);
});

test('no current row focuses the first one; empty lists and other keys do nothing', () => {
  assert.equal(nextIndex('ArrowDown', -1, 3), 0);
  assert.equal(nextIndex('ArrowUp', -1, 3), 0);
  assert.equal(nextIndex('ArrowDown', 0, 0), null);
  assert.equal(nextIndex('a', 0, 3), null);
  assert.equal(nextIndex('Tab', 0, 3), null);
});

test('Enter and Space copy', () => {
  assert.equal(isActivationKey('Enter'), true);
  assert.equal(isActivationKey(' '), true);
  assert.equal(isActivationKey('Escape'), false);
});

test('diffIds plans a keyed update', () => {
  assert.deepEqual(diffIds(['a', 'b', 'c'], ['c', 'a', 'd']), {
    remove: ['b'], create: ['d'], update: ['c', 'a'], order: ['c', 'a', 'd'],
  });
  assert.deepEqual(diffIds([], ['x']), { remove: [], create: ['x'], update: [], order: ['x'] });
});

test('replaceAccount swaps by id and keeps order', () => {
  const list = [{ id: 'a', code: null }, { id: 'b', code: null }];
  const next = replaceAccount(list, { id: 'a', code: '123456' });
  assert.deepEqual(next.map((x) => x.id), ['a', 'b']);
  assert.equal(next[0].code, '123456');
  assert.equal(list[0].code, null, 'input untouched');
  assert.deepEqual(replaceAccount(list, { id: 'z' }).map((x) => x.id), ['a', 'b', 'z']);
});
