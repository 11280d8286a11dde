import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  shouldRefresh, nextExpiryIn, createTicker, delayToNextTick, MIN_REFRESH_GAP_MS, TICK_LAG_MS,
} from '../js/ticker.js';

const T = 1_700_000_000_000;

test('shouldRefresh when any code has expired', () => {
  const accounts = [{ expiresAt: T + 10_000 }, { expiresAt: T - 1 }];
  assert.equal(shouldRefresh({ accounts, now: T, inFlight: false, lastRefreshAt: -Infinity }), true);
});

test('no refresh while every code is still valid or HOTP', () => {
  const accounts = [{ expiresAt: T + 10_000 }, { expiresAt: null }];
  assert.equal(shouldRefresh({ accounts, now: T, inFlight: false, lastRefreshAt: -Infinity }), false);
  assert.equal(shouldRefresh({ accounts: [], now: T, inFlight: false, lastRefreshAt: -Infinity }), false);
});

test('expiry exactly now counts as expired', () => {
  assert.equal(shouldRefresh({ accounts: [{ expiresAt: T }], now: T, inFlight: false, lastRefreshAt: 0 }), true);
});

test('no second refresh while one is in flight', () => {
  assert.equal(shouldRefresh({ accounts: [{ expiresAt: T - 1 }], now: T, inFlight: true, lastRefreshAt: -Infinity }), false);
});

test('refreshes are spaced out even if the backend returns stale codes', () => {
  const accounts = [{ expiresAt: T - 1 }];
  assert.equal(shouldRefresh({ accounts, now: T, inFlight: false, lastRefreshAt: T - 200 }), false);
  assert.equal(shouldRefresh({ accounts, now: T, inFlight: false, lastRefreshAt: T - MIN_REFRESH_GAP_MS }), true);
});

test('nextExpiryIn finds the soonest expiry', () => {
  assert.equal(nextExpiryIn([{ expiresAt: T + 9000 }, { expiresAt: T + 4000 }, { expiresAt: null }], T), 4000);
  assert.equal(nextExpiryIn([{ expiresAt: null }], T), Infinity);
  assert.equal(nextExpiryIn([{ expiresAt: T - 10 }], T), 0);
});

test('ticks land just after each whole second, never more than once a second', () => {
  assert.equal(delayToNextTick(T), 1000 + TICK_LAG_MS, 'T is a whole second: wait for the next one');
  assert.equal(delayToNextTick(T + TICK_LAG_MS), 1000);
  assert.equal(delayToNextTick(T + 999), 1 + TICK_LAG_MS);
  assert.equal(delayToNextTick(T + 400), 600 + TICK_LAG_MS);
  for (let into = 0; into < 1000; into += 7) {
    const at = T + into + delayToNextTick(T + into);
    assert.equal(at % 1000, TICK_LAG_MS, `from ${into} ms into a second`);
    assert.ok(at > T + into);
  }
});

/** A fake clock, timeout scheduler and document. */
function harness(accounts) {
  const h = {
    time: T + TICK_LAG_MS,
    intervals: new Map(),
    delays: [],
    nextId: 1,
    paints: [],
    refreshes: 0,
    pendingRefresh: null,
    accounts,
    doc: {
      hidden: false,
      listeners: {},
      addEventListener(name, fn) { this.listeners[name] = fn; },
      removeEventListener(name) { delete this.listeners[name]; },
    },
  };
  h.setVisible = (visible) => {
    h.doc.hidden = !visible;
    h.doc.listeners.visibilitychange?.();
  };
  /** Runs the pending timeout (there is at most one), as the browser would. */
  h.fire = () => {
    const pending = [...h.intervals];
    h.intervals.clear();
    for (const [, fn] of pending) fn();
  };
  h.ticker = createTicker({
    getAccounts: () => h.accounts,
    paint: (now) => h.paints.push(now),
    refresh: () => {
      h.refreshes++;
      return new Promise((resolve) => { h.pendingRefresh = resolve; });
    },
    doc: h.doc,
    now: () => h.time,
    setTimeout: (fn, ms) => { h.delays.push(ms); const id = h.nextId++; h.intervals.set(id, fn); return id; },
    clearTimeout: (id) => h.intervals.delete(id),
  });
  return h;
}

const flush = () => new Promise((r) => setImmediate(r));

test('ticker: one timer drives all rings, painting immediately, then once a second', () => {
  const h = harness([{ expiresAt: T + 20_000 }, { expiresAt: T + 5_000 }, { expiresAt: null }]);
  const start = h.time;
  assert.equal(h.intervals.size, 0, 'nothing runs before the main screen shows');
  h.ticker.setActive(true);
  assert.equal(h.intervals.size, 1);
  assert.deepEqual(h.paints, [start]);
  h.ticker.setActive(true);
  assert.equal(h.intervals.size, 1, 'activating twice does not add a second timer');
  h.time += 1000;
  h.fire();
  assert.deepEqual(h.paints, [start, start + 1000]);
  assert.deepEqual(h.delays, [1000, 1000], 'one repaint a second, just after the whole second');
  assert.equal(h.refreshes, 0);
});

test('ticker: refreshes once when a code expires, not on every tick', async () => {
  const h = harness([{ expiresAt: T + 1000 }, { expiresAt: T + 1000 }]);
  h.ticker.setActive(true);
  h.time += 1000;
  h.fire();
  assert.equal(h.refreshes, 1);
  h.time += 1000;
  h.fire();
  h.time += 1000;
  h.fire();
  assert.equal(h.refreshes, 1, 'no new call while the first is in flight');
  h.accounts = [{ expiresAt: T + 31_000 }, { expiresAt: T + 31_000 }];
  h.pendingRefresh();
  await flush();
  assert.equal(h.ticker.isRefreshing(), false);
  h.time += 1000;
  h.fire();
  assert.equal(h.refreshes, 1);
});

test('ticker: stops while hidden and refreshes at once when visible again', async () => {
  const h = harness([{ expiresAt: T + 20_000 }]);
  h.ticker.setActive(true);
  assert.equal(h.ticker.isRunning(), true);
  h.setVisible(false);
  assert.equal(h.ticker.isRunning(), false);
  assert.equal(h.intervals.size, 0);
  h.time += 60_000;
  h.setVisible(true);
  assert.equal(h.refreshes, 1, 'immediate refresh on becoming visible');
  assert.equal(h.ticker.isRunning(), true);
  assert.equal(h.intervals.size, 1);
  assert.equal(h.paints.at(-1), T + TICK_LAG_MS + 60_000, 'repaints at once');
  h.fire();
  assert.equal(h.refreshes, 1, 'expired codes do not cause a second call while the first runs');
  h.pendingRefresh();
  await flush();
});

test('ticker: does not start when activated while hidden', () => {
  const h = harness([{ expiresAt: T + 20_000 }]);
  h.doc.hidden = true;
  h.ticker.setActive(true);
  assert.equal(h.intervals.size, 0);
  h.setVisible(true);
  assert.equal(h.intervals.size, 1);
});

test('ticker: inactive (locked) ignores visibility changes', () => {
  const h = harness([{ expiresAt: T - 1 }]);
  h.ticker.setActive(true);
  h.ticker.setActive(false);
  assert.equal(h.intervals.size, 0);
  h.setVisible(false);
  h.setVisible(true);
  assert.equal(h.intervals.size, 0);
  assert.equal(h.refreshes, 1, 'only the refresh from the first active tick');
});

test('ticker: a failing refresh does not wedge the loop', async () => {
  let calls = 0;
  let time = T;
  const intervals = new Map();
  const doc = { hidden: false, addEventListener() {}, removeEventListener() {} };
  const ticker = createTicker({
    getAccounts: () => [{ expiresAt: T }],
    paint() {},
    refresh: () => { calls++; return Promise.reject(new Error('boom')); },
    doc,
    now: () => time,
    setTimeout: (fn) => { intervals.set(1, fn); return 1; },
    clearTimeout: (id) => intervals.delete(id),
  });
  ticker.setActive(true);
  assert.equal(calls, 1);
  await flush();
  assert.equal(ticker.isRefreshing(), false);
  time += MIN_REFRESH_GAP_MS;
  intervals.get(1)();
  assert.equal(calls, 2);
  await flush();
  ticker.destroy();
  assert.equal(intervals.size, 0);
});

test('ticker: noteRefreshed delays the next expiry-driven refresh', () => {
  const h = harness([{ expiresAt: T - 1 }]);
  h.ticker.noteRefreshed();
  h.ticker.setActive(true);
  assert.equal(h.refreshes, 0);
  h.time += MIN_REFRESH_GAP_MS;
  h.fire();
  assert.equal(h.refreshes, 1);
});
