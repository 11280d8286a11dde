// The one timer behind every countdown ring.
//
// One timer repaints all rings, once a second, just after each whole second (when the
// seconds shown change and codes expire: the backend's expiry times are whole seconds).
// A finer tick would only move the ring by a pixel at the cost of a repaint; at four a
// second the list kept WebKit busy. When any code has expired it asks for one refresh
// (list_codes); it stops while the document is hidden and, once visible again, refreshes at
// once and restarts. Dependencies are injected so the scheduling can be tested without a
// browser.

/** Tick this long after each whole second, so a timer that fires a little early still
 *  lands after the boundary. */
export const TICK_LAG_MS = 20;
/** Never ask the backend again sooner than this after a refresh started. */
export const MIN_REFRESH_GAP_MS = 1000;

/** Milliseconds from `now` to the next tick: just after the next whole second. */
export function delayToNextTick(now) {
  const intoSecond = ((now % 1000) + 1000) % 1000;
  return 1000 - intoSecond + TICK_LAG_MS;
}

/**
 * Should this tick trigger a refresh?
 * @param {{accounts: Array<{expiresAt: number|null}>, now: number, inFlight: boolean,
 *          lastRefreshAt: number, minGapMs?: number}} s
 */
export function shouldRefresh({ accounts, now, inFlight, lastRefreshAt, minGapMs = MIN_REFRESH_GAP_MS }) {
  if (inFlight) return false;
  if (now - lastRefreshAt < minGapMs) return false;
  return accounts.some((a) => typeof a.expiresAt === 'number' && a.expiresAt <= now);
}

/** Milliseconds until the soonest expiry (Infinity when nothing is time-based). */
export function nextExpiryIn(accounts, now) {
  let best = Infinity;
  for (const a of accounts) {
    if (typeof a.expiresAt === 'number') best = Math.min(best, Math.max(0, a.expiresAt - now));
  }
  return best;
}

/**
 * @param {object} deps
 * @param {() => Array<{expiresAt: number|null}>} deps.getAccounts
 * @param {(now: number) => void} deps.paint       repaint every ring
 * @param {() => Promise<unknown>} deps.refresh     reload the codes (list_codes)
 * @param {{hidden: boolean, addEventListener: Function, removeEventListener: Function}} deps.doc
 * @param {() => number} [deps.now]
 * @param {Function} [deps.setTimeout]
 * @param {Function} [deps.clearTimeout]
 */
export function createTicker(deps) {
  const now = deps.now || (() => Date.now());
  const setT = deps.setTimeout || ((fn, ms) => setTimeout(fn, ms));
  const clearT = deps.clearTimeout || ((id) => clearTimeout(id));
  const doc = deps.doc;

  let active = false; // the main screen wants the ticker
  let handle = null;
  let inFlight = false;
  let lastRefreshAt = -Infinity;

  function runRefresh(t) {
    inFlight = true;
    lastRefreshAt = t;
    let p;
    try {
      p = Promise.resolve(deps.refresh());
    } catch (e) {
      p = Promise.reject(e);
    }
    return p.catch(() => {}).finally(() => {
      inFlight = false;
    });
  }

  function tick() {
    const t = now();
    handle = setT(tick, delayToNextTick(t));
    deps.paint(t);
    if (shouldRefresh({ accounts: deps.getAccounts(), now: t, inFlight, lastRefreshAt })) {
      runRefresh(t);
    }
  }

  function startLoop() {
    if (handle !== null) return;
    tick();
  }

  function stopLoop() {
    if (handle === null) return;
    clearT(handle);
    handle = null;
  }

  function onVisibility() {
    if (!active) return;
    if (doc.hidden) {
      stopLoop();
    } else {
      if (!inFlight) runRefresh(now());
      startLoop();
    }
  }

  doc.addEventListener('visibilitychange', onVisibility);

  return {
    /** Turn the ticker on (main screen shown) or off (locked, setup). */
    setActive(on) {
      active = on;
      if (on && !doc.hidden) startLoop();
      else stopLoop();
    },
    /** Let the ticker know a refresh happened elsewhere (e.g. after adding an account). */
    noteRefreshed() {
      lastRefreshAt = now();
    },
    isRunning: () => handle !== null,
    isRefreshing: () => inFlight,
    destroy() {
      stopLoop();
      active = false;
      doc.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
