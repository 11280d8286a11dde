// Settings → Display: when the next code shows, codes as dots until a row is hovered or
// focused, compact rows, the theme. Saved at once (preferences.json, in clear), applied at once.

import { $ } from '../dom.js';

/**
 * @param {{getPreferences: () => Promise<object>,
 *          savePreferences: (p: object) => Promise<void>}} handlers
 */
export function createDisplaySection(handlers) {
  const next = $('#display-next');
  const hide = $('#display-hide');
  const compact = $('#display-compact');
  const theme = $('#display-theme');
  const error = $('#display-error');

  async function load() {
    try {
      const preferences = await handlers.getPreferences();
      next.value = preferences.nextCode;
      hide.checked = preferences.hideCodes;
      compact.checked = preferences.compact;
      theme.value = preferences.theme;
      error.textContent = '';
    } catch (message) {
      error.textContent = String(message);
    }
  }

  async function save() {
    error.textContent = '';
    try {
      await handlers.savePreferences({ nextCode: next.value, hideCodes: hide.checked, compact: compact.checked, theme: theme.value });
    } catch (message) {
      error.textContent = String(message);
      await load();
    }
  }

  for (const control of [next, hide, compact, theme]) control.addEventListener('change', save);
  return { load, clearMessage: () => { error.textContent = ''; } };
}
