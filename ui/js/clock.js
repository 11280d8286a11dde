// Wiring of the clock in the main window (issue #13): the bar above the list (asked once,
// the warning, the offset in force), kept up to date by clock_status after an unlock, by the
// backend's clock-changed event, and by changes made in Settings → Clock; the codes are
// fetched again whenever the offset in force changed.

import * as api from './api.js';
import { changedByItself } from './clockModel.js';
import { createClockBar } from './views/clockBar.js';

/**
 * @param {{backgroundError: (err: unknown) => void, toast: {show: Function},
 *          refresh: () => Promise<void>, openSettings: () => void, focusSearch: () => void,
 *          settingsChanged: (view: object) => void, active: () => boolean}} deps
 *   `active`: the main list is on screen (no clock view is shown elsewhere).
 */
export function createClock({ backgroundError, toast, refresh, openSettings, focusSearch, settingsChanged, active }) {
  const bar = createClockBar({
    saveCheck: (check) => api.saveClockCheck(check).catch(backgroundError),
    correct: () => api.setClockOffset(null, 'server').catch(backgroundError),
    openSettings,
    changed: (view) => shown(view, { refreshed: false }),
    done: focusSearch,
  });
  let offset = 0;

  /** `view` is what the clock is now: codes fetched again when the offset in force moved. */
  function shown(view, { refreshed = true } = {}) {
    if (refreshed) bar.render(view);
    if (view && view.offset !== offset) {
      offset = view.offset;
      refresh().catch(backgroundError);
    }
  }

  api.onClockChanged((view) => {
    if (!active()) return;
    const said = changedByItself(bar.view(), view);
    if (said) toast.show(said, 'info', 6000);
    shown(view);
    settingsChanged(view);
  }).catch(() => {});

  return {
    /** After an unlock: what the clock is (the codes came with the offset already in force). */
    async load() {
      const view = await api.clockStatus().catch(backgroundError);
      if (!view || !active()) return;
      offset = view.offset;
      bar.render(view);
    },
    /** A change made in Settings → Clock. */
    changed: shown,
    /** Locked: nothing of the clock stays on screen. */
    clear() {
      offset = 0;
      bar.clear();
    },
  };
}
