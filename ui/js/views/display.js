// The display preferences (next code always, codes as dots, compact rows, the theme) on
// the page, which the CSS reads; loaded at start and applied again when Settings saves.

import * as api from '../api.js';
import { displayClasses } from '../codeDisplay.js';
import { themeOf, withChanges } from '../preferencesModel.js';

/** Puts `preferences`' classes and theme on the page. */
export function applyDisplay(preferences) {
  for (const [name, on] of Object.entries(displayClasses(preferences))) {
    document.body.classList.toggle(name, on);
  }
  applyTheme(preferences);
}

/** Light or dark as chosen; without data-theme the colours follow the OS. */
export function applyTheme(preferences) {
  const theme = themeOf(preferences);
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

/** Saves `changes` over the saved preferences; answers what was saved. */
export async function updatePreferences(changes) {
  const preferences = withChanges(await api.getPreferences(), changes);
  await api.savePreferences(preferences);
  return preferences;
}

/** Reads the saved preferences (kept in clear: they apply on the lock screen too). */
export function loadDisplay() {
  return api.getPreferences().then(applyDisplay, () => {});
}
