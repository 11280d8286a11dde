import { test } from 'node:test';
import assert from 'node:assert/strict';

import { showsNext, copyMessage, displayClasses, NEXT_CODE_SECONDS, COPY_HINT_SECONDS } from '../js/codeDisplay.js';

const at = (secondsToGo) => ({ type: 'totp', code: '123456', nextCode: '654321', expiresAt: 1_000_000 + secondsToGo * 1000 });
const NOW = 1_000_000;

test('the next code shows in the last ten seconds, or always', () => {
  assert.equal(NEXT_CODE_SECONDS, 10);
  assert.equal(showsNext(at(11), NOW), false);
  assert.equal(showsNext(at(10), NOW), true);
  assert.equal(showsNext(at(25), NOW, 'always'), true);
  assert.equal(showsNext({ type: 'hotp', code: '1', nextCode: null, expiresAt: null }, NOW, 'always'), false);
});

test('a copy in the last seconds says when the code expires and gives the next one', () => {
  assert.equal(COPY_HINT_SECONDS, 3);
  assert.equal(copyMessage(at(2), NOW), 'Copied — this code expires in 2 s. The next one is 654 321.');
  assert.equal(copyMessage(at(4), NOW), 'Code copied');
  assert.equal(copyMessage(at(2), NOW, { next: true }), 'Next code copied');
});

test('the preferences become page classes', () => {
  assert.deepEqual(displayClasses({ hideCodes: true, compact: false, nextCode: 'always' }),
    { 'codes-hidden': true, compact: false, 'next-always': true });
  assert.deepEqual(displayClasses(null), { 'codes-hidden': false, compact: false, 'next-always': false });
});
