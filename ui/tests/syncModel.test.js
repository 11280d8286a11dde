import test from 'node:test';
import assert from 'node:assert/strict';

import { timeAgo, deviceLine, lastSyncText, syncResultMessage, passwordChangedText } from '../js/syncModel.js';

const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);
const MINUTE = 60_000;

test('how long ago, in words', () => {
  assert.equal(timeAgo(NOW - 5_000, NOW), 'just now');
  assert.equal(timeAgo(NOW - MINUTE, NOW), '1 minute ago');
  assert.equal(timeAgo(NOW - 3 * MINUTE, NOW), '3 minutes ago');
  assert.equal(timeAgo(NOW - 90 * MINUTE, NOW), '1 hour ago');
  assert.equal(timeAgo(NOW - 47 * 60 * MINUTE, NOW), '47 hours ago');
  assert.equal(timeAgo(NOW - 5 * 24 * 60 * MINUTE, NOW), '5 days ago');
  // A clock behind the other computer's: never "in the future".
  assert.equal(timeAgo(NOW + 10 * MINUTE, NOW), 'just now');
  assert.equal(timeAgo(0, NOW), 'never');
  assert.equal(timeAgo(undefined, NOW), 'never');
});

test('each other computer says when it last wrote, or that it left or was removed', () => {
  const laptop = { name: 'laptop', id: '1a2b3c4d', lastWroteMs: NOW - 2 * MINUTE, left: false, removed: false };
  assert.deepEqual(deviceLine(laptop, NOW), { name: 'laptop', detail: 'last wrote 2 minutes ago' });
  assert.deepEqual(deviceLine({ ...laptop, left: true }, NOW), { name: 'laptop', detail: 'stopped syncing 2 minutes ago' });
  assert.equal(deviceLine({ ...laptop, left: true, removed: true }, NOW).detail, 'removed: its changes are no longer merged');
  assert.equal(deviceLine({ ...laptop, name: '' }, NOW).name, 'Computer 1a2b3c4d');
});

test('the last sync and what a sync changed', () => {
  assert.equal(lastSyncText({ lastSyncMs: null }, NOW), 'Not synced yet.');
  assert.equal(lastSyncText({ lastSyncMs: NOW - 3 * MINUTE }, NOW), 'Last sync: 3 minutes ago.');
  assert.equal(syncResultMessage({ changes: [] }), 'Synced. Nothing changed here.');
  assert.equal(syncResultMessage({ changes: ['Added: GitHub (alice)'] }), 'Synced: Added: GitHub (alice).');
  const many = ['Added: A', 'Added: B', 'Updated: C', 'Removed for good: D', 'Added: E'];
  assert.equal(syncResultMessage({ changes: many }), 'Synced: Added: A; Added: B; Updated: C; and 2 more.');
  assert.match(passwordChangedText("'laptop'"), /changed on 'laptop'\. Type the new password/);
});
