import { test } from 'node:test';
import assert from 'node:assert/strict';

import { createActivityReporter, lockedMessage } from '../js/activity.js';

test('activity is reported at most once per interval', () => {
  let clock = 1_000;
  let sent = 0;
  const reporter = createActivityReporter({ send: () => { sent += 1; }, now: () => clock, intervalMs: 10_000 });
  assert.equal(reporter.report(), true);
  clock += 9_999;
  assert.equal(reporter.report(), false);
  clock += 1;
  assert.equal(reporter.report(), true);
  assert.equal(sent, 2);
});

test('lockedMessage: each reason the backend gives has its sentence; a requested lock has none', () => {
  assert.match(lockedMessage('idle'), /without use/);
  assert.match(lockedMessage('screen_locked'), /screen locked/);
  assert.match(lockedMessage('suspend'), /went to sleep/);
  assert.match(lockedMessage('lid_closed'), /lid was closed/);
  assert.equal(lockedMessage('request'), '');
  assert.equal(lockedMessage(undefined), '');
});
