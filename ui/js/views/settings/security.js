// Settings → Security: the auto-lock and clipboard delays and locking with the OS (screen
// lock, sleep, lid), saved as soon as one changes.

import { $, h, clear } from '../dom.js';
import {
  AUTO_LOCK_CHOICES, CLIPBOARD_CHOICES, LOCK_SWITCHES, selectOptions, settingsFromValues, normalizeSettings,
} from '../../settingsModel.js';

/**
 * @param {{getSettings: () => Promise<object>, saveSettings: (s: object, password?: string|null) => Promise<object>}} handlers
 *   saveSettings rejects with {passwordRequired: message} when the change asks for the password.
 * @param {{dialog: HTMLDialogElement, closeBtn: HTMLElement}} where
 */
export function createSecuritySection(handlers, { dialog, closeBtn }) {

  const autoLock = $('#setting-auto-lock');
  const clipboard = $('#setting-clipboard');
  const switches = LOCK_SWITCHES.map((key) => dialog.querySelector(`input[data-setting="${key}"]`));
  const controls = [autoLock, clipboard, ...switches];
  const confirmForm = $('#settings-confirm');
  const confirmWhy = $('#settings-confirm-why');
  const confirmPassword = $('#settings-confirm-password');
  const settingsError = $('#settings-error');
  const settingsStatus = $('#settings-status');
  let saved = null; // the settings as the backend last reported them
  let awaiting = null; // settings waiting for the password that makes them less strict
  let saveSeq = 0;
  let loadSeq = 0;

  function fillSelect(select, choices, current) {
    clear(select);
    for (const o of selectOptions(choices, current)) {
      select.append(h('option', { value: o.value, text: o.label, selected: o.selected }));
    }
  }

  function renderSettings(s) {
    fillSelect(autoLock, AUTO_LOCK_CHOICES, s.autoLockSeconds);
    fillSelect(clipboard, CLIPBOARD_CHOICES, s.clipboardClearSeconds);
    for (const box of switches) box.checked = s[box.dataset.setting];
    for (const control of controls) control.disabled = false;
  }

  function setSettingsMessage(error, status = '') {
    settingsError.textContent = error || '';
    settingsStatus.textContent = status;
  }

  async function loadSettings() {
    const seq = ++loadSeq;
    for (const control of controls) control.disabled = true;
    try {
      const s = normalizeSettings(await handlers.getSettings());
      if (seq !== loadSeq) return;
      saved = s;
      renderSettings(s);
      // The selects were disabled while loading, so opening focused the close button.
      if (document.activeElement === closeBtn || !dialog.contains(document.activeElement)) autoLock.focus();
    } catch (msg) {
      if (seq === loadSeq) setSettingsMessage(String(msg));
    }
  }

  /** Asks for the vault password before `wanted`, which makes a setting less strict. */
  function askPassword(wanted, why) {
    awaiting = wanted;
    confirmWhy.textContent = why;
    confirmPassword.value = '';
    confirmForm.hidden = false;
    for (const control of controls) control.disabled = true;
    confirmPassword.focus();
  }

  function closeConfirm() {
    awaiting = null;
    confirmPassword.value = '';
    confirmForm.hidden = true;
    if (saved) renderSettings(saved);
  }

  async function save(wanted, password = null) {
    const seq = ++saveSeq;
    setSettingsMessage('');
    try {
      const result = normalizeSettings(await handlers.saveSettings(wanted, password));
      if (seq !== saveSeq) return;
      saved = result;
      closeConfirm();
      setSettingsMessage('', 'Saved.');
    } catch (msg) {
      if (seq !== saveSeq) return;
      if (msg && msg.passwordRequired) {
        askPassword(wanted, msg.passwordRequired);
        return;
      }
      closeConfirm();
      setSettingsMessage(String(msg));
    }
  }

  function saveSettings() {
    const values = Object.fromEntries(switches.map((box) => [box.dataset.setting, box.checked]));
    save(settingsFromValues({ autoLock: autoLock.value, clipboard: clipboard.value, switches: values }, saved));
  }

  confirmForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (awaiting) save(awaiting, confirmPassword.value);
  });
  $('#settings-confirm-cancel').addEventListener('click', () => {
    closeConfirm();
    autoLock.focus();
  });

  for (const control of controls) control.addEventListener('change', saveSettings);

  return {
    load: loadSettings,
    clearMessage: () => setSettingsMessage(''),
    /** No password lingers once Settings closes; an unconfirmed change is dropped. */
    reset: () => {
      awaiting = null;
      confirmPassword.value = '';
      confirmForm.hidden = true;
    },
  };
}
