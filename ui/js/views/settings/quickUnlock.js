// Settings → Quick unlock: a key to the vault in the system keyring, turned on with the
// password and off without it.

import { $, show, setBusy } from '../dom.js';
import { quickUnlockView } from '../../settingsModel.js';

/**
 * @param {{quickUnlockStatus: () => Promise<object>,
 *          setQuickUnlock: (enabled: boolean, password: string|null) => Promise<object>}} handlers
 */
export function createQuickUnlockSection(handlers) {

  const quickForm = $('#quick-form');
  const quickState = $('#quick-state');
  const quickEntry = $('#quick-entry');
  const quickPwField = $('#quick-password-field');
  const quickPw = $('#quick-password');
  const quickSubmit = $('#quick-submit');
  const quickSubmitLabel = quickSubmit.querySelector('.btn-label');
  const quickError = $('#quick-error');
  const quickStatus = $('#quick-status');
  let quick = quickUnlockView(null);
  let quickBusy = false;

  function renderQuick(view) {
    quick = view;
    quickState.textContent = view.state;
    quickState.dataset.enabled = String(view.enabled);
    quickEntry.textContent = view.entry;
    show(quickEntry, !!view.entry);
    quickSubmitLabel.textContent = view.action;
    quickSubmit.classList.toggle('btn-primary', !view.enabled);
    show(quickPwField, view.needsPassword);
  }

  function setQuickMessage(error, status = '') {
    quickError.textContent = error || '';
    quickStatus.textContent = status;
    quickPw.setAttribute('aria-invalid', error && quick.needsPassword ? 'true' : 'false');
  }

  async function loadQuick() {
    quickSubmit.disabled = true;
    try {
      renderQuick(quickUnlockView(await handlers.quickUnlockStatus()));
      quickSubmit.disabled = false;
    } catch (msg) {
      setQuickMessage(String(msg));
    }
  }

  quickPw.addEventListener('input', () => { if (quickError.textContent) setQuickMessage(''); });

  quickForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (quickBusy) return;
    const turnOn = !quick.enabled;
    if (turnOn && !quickPw.value) {
      setQuickMessage('Enter your password to turn on quick unlock.');
      quickPw.focus();
      return;
    }
    quickBusy = true;
    setBusy(quickSubmit, true);
    setQuickMessage('');
    try {
      const result = await handlers.setQuickUnlock(turnOn, turnOn ? quickPw.value : null);
      quickForm.reset();
      renderQuick(quickUnlockView(result));
      const note = result && typeof result.note === 'string' ? result.note : '';
      setQuickMessage(note, note ? '' : (turnOn ? 'Quick unlock is on.' : 'Quick unlock is off.'));
    } catch (msg) {
      setQuickMessage(String(msg));
      if (quick.needsPassword) {
        quickPw.focus();
        quickPw.select();
      }
    } finally {
      quickBusy = false;
      setBusy(quickSubmit, false);
    }
  });

  return {
    load: loadQuick,
    clearMessage: () => setQuickMessage(''),
    reset: () => quickForm.reset(),
    stop: () => { quickBusy = false; },
  };
}
