// Tells the backend the person is using the window, so the auto-lock (which runs in Rust)
// counts idle time from their last key or click. At most one report per interval.

/**
 * @param {{send: () => void, now?: () => number, intervalMs?: number}} options
 * @returns {{report: () => boolean}} report() returns true when it sent.
 */
export function createActivityReporter({ send, now = () => Date.now(), intervalMs = 10_000 }) {
  let lastSent = -Infinity;
  return {
    report() {
      const t = now();
      if (t - lastSent < intervalMs) return false;
      lastSent = t;
      send();
      return true;
    },
  };
}
