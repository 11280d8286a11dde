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

/**
 * What the unlock screen says after the backend locked the vault, by the reason it gave:
 * idle time, the screen locking, the computer going to sleep, the lid closing; nothing
 * after a lock the person asked for.
 * @param {string|undefined} reason
 */
export function lockedMessage(reason) {
  switch (reason) {
    case 'idle': return 'Ringlet locked itself after a while without use. Unlock to continue.';
    case 'screen_locked': return 'Ringlet locked when the screen locked. Unlock to continue.';
    case 'suspend': return 'Ringlet locked when the computer went to sleep. Unlock to continue.';
    case 'lid_closed': return 'Ringlet locked when the lid was closed. Unlock to continue.';
    default: return '';
  }
}
