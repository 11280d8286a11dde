// Settings: Security (auto-lock and clipboard delays), Password (change it) and
// Backups (list, back up now, restore one into the open vault).

import { $, h, clear, show, openDialog, closeDialog } from './dom.js';
import { assessPassword } from '../password.js';
import {
  AUTO_LOCK_CHOICES, CLIPBOARD_CHOICES, selectOptions, settingsFromValues, normalizeSettings,
  passwordChangeDecision, WRONG_CURRENT_PASSWORD, quickUnlockView,
} from '../settingsModel.js';
import {
  formatCreated, backupDetails, normalizeBackups, restoreMessage, restorePrompt, NO_BACKUPS,
} from '../backupModel.js';

function setBusy(button, busy) {
  button.disabled = busy;
  button.classList.toggle('busy', busy);
  button.setAttribute('aria-busy', busy ? 'true' : 'false');
}

/**
 * @param {{
 *   getSettings: () => Promise<object>,
 *   saveSettings: (s: {clipboardClearSeconds: number|null, autoLockSeconds: number|null}) => Promise<object>,
 *   changePassword: (current: string, next: string) => Promise<void>,
 *   quickUnlockStatus: () => Promise<object>,
 *   setQuickUnlock: (enabled: boolean, password: string|null) => Promise<object>,
 *   listBackups: () => Promise<object>,
 *   backupNow: () => Promise<object>,
 *   restoreBackup: (name: string, password: string) => Promise<{added: number, skipped: number}>,
 * }} handlers  Each rejects with a message string to show inline.
 */
export function createSettingsDialog(handlers) {
  const dialog = $('#settings-dialog');
  const closeBtn = $('#settings-close');

  /* ------------------------------------------------------- Security */

  const autoLock = $('#setting-auto-lock');
  const clipboard = $('#setting-clipboard');
  const settingsError = $('#settings-error');
  const settingsStatus = $('#settings-status');
  let saved = null; // the settings as the backend last reported them
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
    autoLock.disabled = false;
    clipboard.disabled = false;
  }

  function setSettingsMessage(error, status = '') {
    settingsError.textContent = error || '';
    settingsStatus.textContent = status;
  }

  async function loadSettings() {
    const seq = ++loadSeq;
    autoLock.disabled = true;
    clipboard.disabled = true;
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

  async function saveSettings() {
    const seq = ++saveSeq;
    const wanted = settingsFromValues({ autoLock: autoLock.value, clipboard: clipboard.value }, saved);
    setSettingsMessage('');
    try {
      const result = normalizeSettings(await handlers.saveSettings(wanted));
      if (seq !== saveSeq) return;
      saved = result;
      renderSettings(result);
      setSettingsMessage('', 'Saved.');
    } catch (msg) {
      if (seq !== saveSeq) return;
      setSettingsMessage(String(msg));
      if (saved) renderSettings(saved); // show what is really in force
    }
  }

  autoLock.addEventListener('change', saveSettings);
  clipboard.addEventListener('change', saveSettings);

  /* --------------------------------------------------- Quick unlock */

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

  /* ------------------------------------------------------- Password */

  const pwForm = $('#password-form');
  const pw = { current: $('#password-current'), password: $('#password-new'), confirm: $('#password-confirm') };
  const pwSubmit = $('#password-submit');
  const pwSubmitLabel = pwSubmit.querySelector('.btn-label');
  const pwError = $('#password-error');
  const pwStatus = $('#password-status');
  const meter = $('#password-strength');
  const meterLabel = $('#password-strength-label');
  const warning = $('#password-warning');
  const reasonsList = $('#password-warning-reasons');
  let acknowledgedWeak = null;
  let pwBusy = false;

  function setPwError(msg, field = null) {
    pwError.textContent = msg || '';
    for (const [k, el] of Object.entries(pw)) el.setAttribute('aria-invalid', k === field ? 'true' : 'false');
  }

  function hideWarning() {
    acknowledgedWeak = null;
    show(warning, false);
    pwSubmitLabel.textContent = 'Change password';
    pwSubmit.classList.remove('btn-warning');
  }

  function updateMeter() {
    const value = pw.password.value;
    const a = assessPassword(value);
    meter.dataset.score = value ? String(a.score) : 'none';
    meterLabel.textContent = value ? `Strength: ${a.label}` : '';
  }

  function resetPasswordForm() {
    pwForm.reset();
    hideWarning();
    setPwError('');
    pwStatus.textContent = '';
    updateMeter();
  }

  pw.password.addEventListener('input', () => {
    updateMeter();
    if (acknowledgedWeak !== null && acknowledgedWeak !== pw.password.value) hideWarning();
  });
  for (const el of Object.values(pw)) {
    el.addEventListener('input', () => {
      if (pwError.textContent) setPwError('');
      pwStatus.textContent = '';
    });
  }

  pwForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (pwBusy) return;
    pwStatus.textContent = '';
    const decision = passwordChangeDecision({
      current: pw.current.value, password: pw.password.value, confirm: pw.confirm.value, acknowledgedWeak,
    });
    if (decision.action === 'error') {
      setPwError(decision.message, decision.field);
      pw[decision.field].focus();
      return;
    }
    if (decision.action === 'warn') {
      setPwError('');
      clear(reasonsList);
      for (const r of decision.reasons) reasonsList.append(h('li', { text: r }));
      show(warning, true);
      acknowledgedWeak = pw.password.value;
      pwSubmitLabel.textContent = 'Change password anyway';
      pwSubmit.classList.add('btn-warning');
      return;
    }
    pwBusy = true;
    setBusy(pwSubmit, true);
    setPwError('');
    try {
      await handlers.changePassword(pw.current.value, pw.password.value);
      resetPasswordForm();
      pwStatus.textContent = 'Password changed.';
      refreshBackups(); // a backup follows the change
    } catch (msg) {
      const text = String(msg);
      const wrongCurrent = text === WRONG_CURRENT_PASSWORD;
      setPwError(text, wrongCurrent ? 'current' : null);
      if (wrongCurrent) {
        pw.current.focus();
        pw.current.select();
      }
    } finally {
      pwBusy = false;
      setBusy(pwSubmit, false);
    }
  });

  /* -------------------------------------------------------- Backups */

  const folder = $('#backup-folder');
  const list = $('#backup-list');
  const empty = $('#backup-empty');
  const backupError = $('#backup-error');
  const backupStatus = $('#backup-status');
  const backupNowBtn = $('#backup-now');
  let backupSeq = 0;

  function setBackupMessage(error, status = '') {
    backupError.textContent = error || '';
    backupStatus.textContent = status;
  }

  function backupRow(b) {
    const when = formatCreated(b.created);
    const restore = h('button', {
      className: 'restore btn btn-small', type: 'button', text: 'Restore…',
      attrs: { 'aria-label': `Restore the backup of ${when}` },
    });
    restore.addEventListener('click', () => openRestore(b, restore));
    return h('li', { className: 'backup', title: b.name, dataset: { name: b.name } }, [
      h('div', { className: 'backup-text' }, [
        h('span', { className: 'backup-date', text: when }),
        h('span', { className: 'backup-details', text: backupDetails(b) }),
      ]),
      restore,
    ]);
  }

  function renderBackups(listing) {
    const { folder: path, backups } = normalizeBackups(listing);
    folder.textContent = path;
    folder.title = path;
    show(folder, !!path);
    const focusedName = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest('#backup-list li.backup')?.dataset.name : undefined;
    clear(list);
    for (const b of backups) list.append(backupRow(b));
    show(list, backups.length > 0);
    empty.textContent = NO_BACKUPS;
    show(empty, backups.length === 0);
    if (focusedName) {
      const again = [...list.children].find((li) => li.dataset.name === focusedName);
      (again ? again.querySelector('button.restore') : backupNowBtn).focus();
    }
  }

  async function refreshBackups() {
    const seq = ++backupSeq;
    try {
      const listing = await handlers.listBackups();
      if (seq === backupSeq) renderBackups(listing);
    } catch (msg) {
      if (seq === backupSeq) setBackupMessage(String(msg));
    }
  }

  backupNowBtn.addEventListener('click', async () => {
    if (backupNowBtn.disabled) return;
    setBusy(backupNowBtn, true);
    setBackupMessage('');
    try {
      await handlers.backupNow();
      await refreshBackups();
      setBackupMessage('', 'Backed up.');
    } catch (msg) {
      setBackupMessage(String(msg));
    } finally {
      setBusy(backupNowBtn, false);
    }
  });

  /* -------------------------------------------------------- Restore */

  const restoreDialog = $('#restore-dialog');
  const restoreForm = $('#restore-form');
  const restoreText = $('#restore-text');
  const restorePw = $('#restore-password');
  const restoreError = $('#restore-error');
  const restoreSubmit = $('#restore-submit');
  const restoreCancel = $('#restore-cancel');
  let restoring = null; // {backup, opener}
  let restoreBusy = false;

  function setRestoreError(msg) {
    restoreError.textContent = msg || '';
    restorePw.setAttribute('aria-invalid', msg ? 'true' : 'false');
  }

  function openRestore(backup, opener) {
    restoring = { backup, opener };
    restoreForm.reset();
    setRestoreError('');
    restoreText.textContent = restorePrompt(backup);
    openDialog(restoreDialog);
    restorePw.focus();
  }

  function closeRestore() {
    if (restoreBusy) return;
    const opener = restoring && restoring.opener;
    restoring = null;
    restoreForm.reset();
    closeDialog(restoreDialog);
    if (dialog.open) (opener && opener.isConnected ? opener : backupNowBtn).focus();
  }

  restoreCancel.addEventListener('click', closeRestore);
  restoreDialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    closeRestore();
  });
  restorePw.addEventListener('input', () => { if (restoreError.textContent) setRestoreError(''); });

  restoreForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (restoreBusy || !restoring) return;
    if (!restorePw.value) {
      setRestoreError('Enter the password of the backup.');
      restorePw.focus();
      return;
    }
    restoreBusy = true;
    setBusy(restoreSubmit, true);
    restoreCancel.disabled = true;
    restorePw.readOnly = true;
    setRestoreError('');
    try {
      const report = await handlers.restoreBackup(restoring.backup.name, restorePw.value);
      restoreBusy = false;
      closeRestore();
      setBackupMessage('', restoreMessage(report));
    } catch (msg) {
      setRestoreError(String(msg));
      restorePw.focus();
      restorePw.select();
    } finally {
      restoreBusy = false;
      setBusy(restoreSubmit, false);
      restoreCancel.disabled = false;
      restorePw.readOnly = false;
    }
  });

  /* ---------------------------------------------------------- Whole */

  function wipe() {
    // No password lingers in the page once Settings is closed.
    resetPasswordForm();
    quickForm.reset();
    restoreForm.reset();
    restoring = null;
  }

  function close() {
    closeDialog(restoreDialog);
    closeDialog(dialog);
  }

  closeBtn.addEventListener('click', () => {
    if (!restoreBusy) close();
  });
  dialog.addEventListener('close', wipe);

  function open() {
    wipe();
    setSettingsMessage('');
    setQuickMessage('');
    setBackupMessage('');
    clear(list);
    show(list, false);
    show(empty, false);
    folder.textContent = '';
    openDialog(dialog);
    loadSettings();
    loadQuick();
    refreshBackups();
  }

  return {
    open,
    /** Close both dialogs (e.g. when the vault got locked). */
    close: () => {
      restoreBusy = false;
      pwBusy = false;
      quickBusy = false;
      close();
      wipe();
    },
    isOpen: () => dialog.open,
  };
}
