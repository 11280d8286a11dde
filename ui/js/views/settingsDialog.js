// Settings: Security (auto-lock and clipboard delays), Quick unlock, Display, Start-up, Clock
// (the time server check and this computer's offset), Quick picker (its shortcut), Password
// (change it), Backups (list, back up now, restore one into the open vault), Sync, Linked
// folders, Trash and Export. One file a section
// under settings/; this one opens, closes and wipes the whole.

import { $, openDialog, closeDialog } from './dom.js';
import { createSecuritySection } from './settings/security.js';
import { createQuickUnlockSection } from './settings/quickUnlock.js';
import { createPasswordSection } from './settings/password.js';
import { createBackupsSection } from './settings/backups.js';
import { createBackupSafetySection } from './settings/backupSafety.js';
import { createExportSection } from './settings/export.js';
import { createPickerShortcutSection } from './settings/pickerShortcut.js';
import { createDisplaySection } from './settings/displayPrefs.js';
import { createStartupSection } from './settings/startup.js';
import { createTrashSection } from './settings/trash.js';
import { createSyncSection } from './settings/sync.js';
import { createLinkedSection } from './settings/linked.js';
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
  const safety = createBackupSafetySection(handlers);
  const backups = createBackupsSection(handlers, { dialog, onBackedUp: () => safety.refresh() });
  const password = createPasswordSection(handlers, { onChanged: () => backups.refresh() });
  const exporting = createExportSection(handlers);
  const pickerShortcut = createPickerShortcutSection(handlers);
  const display = createDisplaySection(handlers);
  const startup = createStartupSection(handlers);
  const trash = createTrashSection(handlers);
  const syncing = createSyncSection(handlers);
  const linked = createLinkedSection();
  const clock = createClockSection(handlers);

  function wipe() {
    // No password lingers in the page once Settings is closed.
    password.reset();
    quick.reset();
    security.reset();
    backups.wipe();
    safety.wipe();
    safety.stop();
    exporting.reset();
    syncing.wipe();
    linked.wipe();
    clock.wipe();
  }

  function close() {
    backups.closeRestore();
    closeDialog(dialog);
  }

  closeBtn.addEventListener('click', () => {
    if (!backups.isBusy() && !exporting.isBusy() && !safety.isBusy()) close();
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
    startup.clearMessage();
    trash.clearView();
    syncing.clearView();
    linked.clearView();
    clock.clearMessage();
    openDialog(dialog);
    security.load();
    quick.load();
    backups.refresh();
    safety.refresh();
    safety.start();
    exporting.load();
    pickerShortcut.load();
    display.load();
    startup.load();
    trash.refresh();
    syncing.refresh();
    linked.refresh();
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
    /** A backup ran: Settings → Backups shows its state while open. */
    backupStatus: (status) => {
      if (!dialog.open) return;
      safety.update(status);
      backups.refresh();
    },
    /** The clock changed by itself: Settings → Clock shows it while open. */
    clockChanged: (view) => { if (dialog.open) clock.update(view); },
  };
}
