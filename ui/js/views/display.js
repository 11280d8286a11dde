// The display preferences (next code always, codes as dots, compact rows) as classes on
// the page, which the CSS reads; loaded at start and applied again when Settings saves.

import * as api from '../api.js';
import { displayClasses } from '../codeDisplay.js';

/** Puts `preferences`' classes on the page. */
export function applyDisplay(preferences) {
  for (const [name, on] of Object.entries(displayClasses(preferences))) {
    document.body.classList.toggle(name, on);
  }
}

/** Reads the saved preferences (kept in clear: they apply on the lock screen too). */
export function loadDisplay() {
  return api.getPreferences().then(applyDisplay, () => {});
}
