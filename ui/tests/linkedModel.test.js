import { test } from 'node:test';
import assert from 'node:assert/strict';

import { ago, headingText, changeMessage, visibleRows, nextRefreshIn, hasLinkedMatch } from '../js/linkedModel.js';

const NOW = 1_767_225_600_000;

test('ago says minutes, hours and days, singular and plural', () => {
  assert.equal(ago(NOW - 10_000, NOW), 'just now');
  assert.equal(ago(NOW - 60_000, NOW), '1 minute ago');
  assert.equal(ago(NOW - 3 * 60_000, NOW), '3 minutes ago');
  assert.equal(ago(NOW - 2 * 3_600_000, NOW), '2 hours ago');
  assert.equal(ago(NOW - 3 * 86_400_000, NOW), '3 days ago');
  // A file dated in the future (another computer's clock) is "just now", not negative.
  assert.equal(ago(NOW + 60_000, NOW), 'just now');
});

test('the heading names the group and when its backup was written', () => {
  assert.equal(headingText({ name: 'Aegis on Pixel', updatedMs: NOW - 180_000 }, NOW),
    'Linked: Aegis on Pixel, updated 3 minutes ago');
  assert.equal(headingText({ name: 'Aegis', updatedMs: null }, NOW), 'Linked: Aegis, no backup read yet');
});

test('a change is said by its summary, else by why a newer file was skipped', () => {
  assert.equal(changeMessage({ name: 'Aegis', summary: '1 added (Gamma)', skipped: [] }), 'Aegis: 1 added (Gamma).');
  assert.equal(changeMessage({ name: 'Aegis', summary: '', skipped: ['b.json was skipped: damaged.'] }),
    'Aegis: b.json was skipped: damaged.');
  assert.equal(changeMessage({ name: 'Aegis', summary: '', skipped: [] }), '');
  assert.equal(changeMessage(null), '');
});

test('a search keeps the matching rows in its order; no search keeps all', () => {
  const rows = [{ id: 'linked:a:0' }, { id: 'linked:a:1' }, { id: 'linked:a:2' }];
  assert.deepEqual(visibleRows(rows, null), rows);
  assert.deepEqual(visibleRows(rows, ['x', 'linked:a:2', 'linked:a:0']).map((r) => r.id), ['linked:a:2', 'linked:a:0']);
});

test('the next refresh is at the soonest code change, bounded', () => {
  const groups = [{ accounts: [{ expiresAt: NOW + 7_000 }, { expiresAt: null }] }, { accounts: [{ expiresAt: NOW + 20_000 }] }];
  assert.equal(nextRefreshIn(groups, NOW), 7_050);
  assert.equal(nextRefreshIn([], NOW), 30_050);
  assert.equal(nextRefreshIn([{ accounts: [{ expiresAt: NOW - 5 }] }], NOW), 30_050);
});

test('a search with a linked row among its ids is told apart', () => {
  assert.equal(hasLinkedMatch(['0123', 'linked:ab:1']), true);
  assert.equal(hasLinkedMatch(['0123']), false);
  assert.equal(hasLinkedMatch(null), false);
});
