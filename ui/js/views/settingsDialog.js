// Settings: Security (auto-lock and clipboard delays), Quick unlock, Display, Clock (the time
// server check and this computer's offset), Quick picker (its shortcut), Password (change
// it), Backups (list, back up now, restore one into the open vault), Sync, Trash and Export.
// One file a section
// under settings/; this one opens, closes and wipes the whole.

import { $, openDialog, closeDialog } from './dom.js';
import { createSecuritySection } from './settings/security.js';
import { createQuickUnlockSection } from './settings/quickUnlock.js';
import { createPasswordSection } from './settings/password.js';
import { createBackupsSection } from './settings/backups.js';
import { createExportSection } from './settings/export.js';
import { createPickerShortcutSection } from './settings/pickerShortcut.js';
import { createDisplaySection } from './settings/displayPrefs.js';
import { createTrashSection } from './settings/trash.js';
import { createSyncSection } from './settings/sync.js';
import { createClockSection } from './settings/clock.js';

/**
 * @param {{
 *   getSettings: () => Promise<object>,
 *   saveSettings: (s: object, password?: string|null) => Promise<object>,
 *     rejects with {passwordRequired: message} when the change asks for the password,
 *   changePassword: (current: string, next: string) => Promise<object>,
 *   quickUnlockStatus: () => Promise<object>,
 *   setQuickUnlock: (enabled: boolean, password: string|null) => Promise<object>,
 *   listBackups: () => Promise<object>,
 *   backupNow: () => Promise<object>,
 *   restoreBackup: (name: string, password: string) => Promise<{added: number, skipped: number}>,
 * } & Parameters<typeof createTrashSection>[0]} handlers  Each rejects with a message string to show inline.
 */
export function createSettingsDialog(handlers) {
  const dialog = $('#settings-dialog');
  const closeBtn = $('#settings-close');

  const security = createSecuritySection(handlers, { dialog, closeBtn });
  const quick = createQuickUnlockSection(handlers);
  const backups = createBackupsSection(handlers, { dialog });
  const password = createPasswordSection(handlers, { onChanged: () => backups.refresh() });
  const exporting = createExportSection(handlers);
  const pickerShortcut = createPickerShortcutSection(handlers);
  const display = createDisplaySection(handlers);
  const trash = createTrashSection(handlers);
  const syncing = createSyncSection(handlers);
  const clock = createClockSection(handlers);

  function wipe() {
    // No password lingers in the page once Settings is closed.
    password.reset();
    quick.reset();
    security.reset();
    backups.wipe();
    exporting.reset();
    syncing.wipe();
    clock.wipe();
  }

  function close() {
    backups.closeRestore();
    closeDialog(dialog);
  }

  closeBtn.addEventListener('click', () => {
    if (!backups.isBusy() && !exporting.isBusy()) close();
  });
  dialog.addEventListener('close', wipe);

  /** Opens Settings; with `section` 'clock', at Settings → Clock. */
  function open(section = null) {
    wipe();
    security.clearMessage();
    quick.clearMessage();
    backups.clearView();
    exporting.clearMessage();
    pickerShortcut.clearMessage();
    display.clearMessage();
    trash.clearView();
    syncing.clearView();
    clock.clearMessage();
    openDialog(dialog);
    security.load();
    quick.load();
    backups.refresh();
    exporting.load();
    pickerShortcut.load();
    display.load();
    trash.refresh();
    syncing.refresh();
    clock.load();
    if (section === 'clock') clock.focus();
  }

  return {
    open,
    /** Close both dialogs (e.g. when the vault got locked). */
    close: () => {
      backups.stop();
      password.stop();
      quick.stop();
      close();
      wipe();
    },
    isOpen: () => dialog.open,
    /** A sync ran: Settings → Sync shows the new status while open. */
    syncChanged: () => { if (dialog.open) syncing.update(); },
    /** The clock changed by itself: Settings → Clock shows it while open. */
    clockChanged: (view) => { if (dialog.open) clock.update(view); },
  };
}
