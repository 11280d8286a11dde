import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ringFraction, isUrgent, dashOffset, remainingMs, secondsLeft, URGENT_MS } from '../js/ring.js';

const T = 1_700_000_000_000;

test('ringFraction is 1 for a fresh code and 0 when expired', () => {
  assert.equal(ringFraction(T + 30_000, 30, T), 1);
  assert.equal(ringFraction(T, 30, T), 0);
  assert.equal(ringFraction(T - 5_000, 30, T), 0);
});

test('ringFraction is proportional to the time left', () => {
  assert.equal(ringFraction(T + 15_000, 30, T), 0.5);
  assert.equal(ringFraction(T + 6_000, 60, T), 0.1);
});

test('ringFraction is clamped when the clock lags behind', () => {
  assert.equal(ringFraction(T + 45_000, 30, T), 1);
});

test('ringFraction falls back to a 30 s period', () => {
  assert.equal(ringFraction(T + 15_000, null, T), 0.5);
  assert.equal(ringFraction(T + 15_000, 0, T), 0.5);
});

test('ringFraction of an HOTP account (no expiry) is 0', () => {
  assert.equal(ringFraction(null, null, T), 0);
});

test('isUrgent in the last five seconds only', () => {
  assert.equal(URGENT_MS, 5000);
  assert.equal(isUrgent(T + 10_000, T), false);
  assert.equal(isUrgent(T + 5_001, T), false);
  assert.equal(isUrgent(T + 5_000, T), true);
  assert.equal(isUrgent(T + 1, T), true);
  assert.equal(isUrgent(T - 1, T), true);
  assert.equal(isUrgent(null, T), false);
});

test('dashOffset empties the circle as the fraction drops', () => {
  const c = 100;
  assert.equal(dashOffset(1, c), 0);
  assert.equal(dashOffset(0, c), 100);
  assert.equal(dashOffset(0.25, c), 75);
  assert.equal(dashOffset(2, c), 0);
  assert.equal(dashOffset(-1, c), 100);
});

test('remainingMs and secondsLeft', () => {
  assert.equal(remainingMs(T + 1234, T), 1234);
  assert.equal(remainingMs(T - 1, T), 0);
  assert.equal(remainingMs(undefined, T), 0);
  assert.equal(secondsLeft(T + 1234, T), 2);
  assert.equal(secondsLeft(T + 30_000, T), 30);
  assert.equal(secondsLeft(T, T), 0);
});
