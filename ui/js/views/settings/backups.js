// Settings → Backups: the folder, the list newest first, back up now, and restoring one
// into the open vault (its own small dialog asks for the backup's password).

import { $, h, clear, show, openDialog, closeDialog, setBusy } from '../dom.js';
import {
  formatCreated, backupDetails, normalizeBackups, restoreMessage, restorePrompt, NO_BACKUPS,
} from '../../backupModel.js';

/**
 * @param {{listBackups: () => Promise<object>, backupNow: () => Promise<object>,
 *          restoreBackup: (name: string, password: string) => Promise<{added: number, skipped: number}>}} handlers
 * @param {{dialog: HTMLDialogElement, onBackedUp?: () => void}} where  the Settings dialog;
 *   onBackedUp: a backup was made here (its verification shows beside it)
 */
export function createBackupsSection(handlers, { dialog, onBackedUp = () => {} }) {

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
      onBackedUp();
      await refreshBackups();
      setBackupMessage('', 'Backed up.');
    } catch (msg) {
      setBackupMessage(String(msg));
    } finally {
      setBusy(backupNowBtn, false);
    }
  });


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

  return {
    refresh: refreshBackups,
    /** Empty list and messages, before the listing arrives. */
    clearView() {
      setBackupMessage('');
      clear(list);
      show(list, false);
      show(empty, false);
      folder.textContent = '';
    },
    /** No password lingers: the restore form emptied and forgotten. */
    wipe() {
      restoreForm.reset();
      restoring = null;
    },
    closeRestore: () => closeDialog(restoreDialog),
    isBusy: () => restoreBusy,
    stop: () => { restoreBusy = false; },
  };
}
