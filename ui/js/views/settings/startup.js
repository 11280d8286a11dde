// Settings → Start-up: start Ringlet when I log in (the OS's autostart, which holds the
// choice), and start with the window in the tray. Ringlet starts locked either way.

import * as api from '../../api.js';
import { errorMessage } from '../../errors.js';
import { $ } from '../dom.js';

/**
 * @param {{getPreferences: () => Promise<object>,
 *          savePreferences: (p: object) => Promise<void>}} handlers
 */
export function createStartupSection(handlers) {
  const atLogin = $('#startup-login');
  const hidden = $('#startup-hidden');
  const error = $('#startup-error');

  async function load() {
    try {
      const preferences = await handlers.getPreferences();
      atLogin.checked = preferences.startAtLogin === true;
      // Where the OS cannot say (or do) it, the choice is not offered.
      atLogin.disabled = preferences.startAtLogin == null;
      hidden.checked = preferences.startHidden;
      error.textContent = '';
    } catch (message) {
      error.textContent = String(message);
    }
  }

  atLogin.addEventListener('change', async () => {
    error.textContent = '';
    try {
      await api.setStartAtLogin(atLogin.checked);
    } catch (err) {
      error.textContent = errorMessage(err);
    }
    await load();
  });
  hidden.addEventListener('change', async () => {
    error.textContent = '';
    try {
      await handlers.savePreferences({ startHidden: hidden.checked });
    } catch (message) {
      error.textContent = String(message);
      await load();
    }
  });
  return { load, clearMessage: () => { error.textContent = ''; } };
}
