// Settings → Quick picker: the global shortcut that opens it (off until chosen). Rust takes
// the combination at once and refuses one another program holds; on Wayland the desktop
// owns shortcuts, and the section says to bind `ringlet --quick` there instead.

import { $, h } from '../dom.js';

const OFF = '';

/**
 * @param {{getPreferences: () => Promise<object>,
 *          savePreferences: (p: {quickShortcut: string|null}) => Promise<void>}} handlers
 *   savePreferences rejects with a message to show.
 */
export function createPickerShortcutSection(handlers) {
  const select = $('#picker-shortcut');
  const hint = $('#picker-shortcut-hint');
  const error = $('#picker-shortcut-error');
  const status = $('#picker-shortcut-status');
  const defaultHint = hint.textContent;
  let saved = OFF;

  function say(problem, done = '') {
    error.textContent = problem || '';
    status.textContent = done;
  }

  async function load() {
    let preferences;
    try {
      preferences = await handlers.getPreferences();
    } catch (message) {
      say(String(message));
      return;
    }
    select.replaceChildren(
      h('option', { value: OFF, text: 'Off' }),
      ...preferences.shortcuts.map((combination) => h('option', { value: combination, text: combination })),
    );
    saved = preferences.quickShortcut || OFF;
    select.value = saved;
    select.disabled = !preferences.shortcutAvailable;
    hint.textContent = preferences.shortcutAvailable
      ? defaultHint
      : 'On Wayland the desktop owns global shortcuts: bind the command ringlet --quick in your desktop’s keyboard settings (the README says how).';
    say(preferences.problem || '');
  }

  select.addEventListener('change', async () => {
    const chosen = select.value;
    say('');
    try {
      await handlers.savePreferences({ quickShortcut: chosen === OFF ? null : chosen });
      saved = chosen;
      say('', chosen === OFF ? 'The shortcut is off.' : `${chosen} opens the quick picker.`);
    } catch (message) {
      select.value = saved;
      say(String(message));
    }
  });

  return { load, clearMessage: () => say('') };
}
