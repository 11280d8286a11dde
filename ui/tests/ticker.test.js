import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shouldRefresh, nextExpiryIn, createTicker, MIN_REFRESH_GAP_MS } from '../js/ticker.js';

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

/** A fake clock, interval scheduler and document. */
function harness(accounts) {
  const h = {
    time: T,
    intervals: new Map(),
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
  h.fire = () => { for (const fn of h.intervals.values()) fn(); };
  h.ticker = createTicker({
    getAccounts: () => h.accounts,
    paint: (now) => h.paints.push(now),
    refresh: () => {
      h.refreshes++;
      return new Promise((resolve) => { h.pendingRefresh = resolve; });
    },
    doc: h.doc,
    now: () => h.time,
    setInterval: (fn, ms) => { assert.equal(ms, 250); const id = h.nextId++; h.intervals.set(id, fn); return id; },
    clearInterval: (id) => h.intervals.delete(id),
  });
  return h;
}

const flush = () => new Promise((r) => setImmediate(r));

test('ticker: one interval drives all rings, painting immediately', () => {
  const h = harness([{ expiresAt: T + 20_000 }, { expiresAt: T + 5_000 }, { expiresAt: null }]);
  assert.equal(h.intervals.size, 0, 'nothing runs before the main screen shows');
  h.ticker.setActive(true);
  assert.equal(h.intervals.size, 1);
  assert.deepEqual(h.paints, [T]);
  h.ticker.setActive(true);
  assert.equal(h.intervals.size, 1, 'activating twice does not add a second timer');
  h.time += 250;
  h.fire();
  assert.deepEqual(h.paints, [T, T + 250]);
  assert.equal(h.refreshes, 0);
});

test('ticker: refreshes once when a code expires, not on every tick', async () => {
  const h = harness([{ expiresAt: T + 500 }, { expiresAt: T + 500 }]);
  h.ticker.setActive(true);
  h.time += 500;
  h.fire();
  assert.equal(h.refreshes, 1);
  h.time += 250;
  h.fire();
  h.time += 250;
  h.fire();
  assert.equal(h.refreshes, 1, 'no new call while the first is in flight');
  h.accounts = [{ expiresAt: T + 30_500 }, { expiresAt: T + 30_500 }];
  h.pendingRefresh();
  await flush();
  assert.equal(h.ticker.isRefreshing(), false);
  h.time += 250;
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
  assert.equal(h.paints.at(-1), T + 60_000, 'repaints at once');
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
    setInterval: (fn) => { intervals.set(1, fn); return 1; },
    clearInterval: (id) => intervals.delete(id),
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
