// What the Settings dialog asks of the backend, with each error turned into what the
// dialog shows: a password asked again, a wrong password said in place, anything else
// handed to `fail` (which may change screen, e.g. to unlock).

import * as api from './api.js';
import { errorField, normalizeError } from './errors.js';
import { WRONG_CURRENT_PASSWORD } from './settingsModel.js';
import { updatePreferences } from './views/display.js';

/**
 * @param {{fail: (err: unknown) => never, afterRestore: () => Promise<void>,
 *          confirm: (question: object) => void, onPreferences?: (p: object) => void,
 *          accounts?: () => object[], onClock?: (view: object) => void}} deps
 *   `afterRestore` refreshes the list once accounts came back (a backup's, the trash's);
 *   `confirm` asks a yes-or-no question (the confirmation dialog); `onPreferences` applies
 *   saved preferences to the page; `accounts` are the list's rows (the clock's calibration
 *   offers the time-based ones); `onClock` hears of every clock change made in Settings.
 */
export function settingsActions({
  fail, afterRestore, confirm, onPreferences = () => {}, onBackupStatus = () => {},
  accounts = () => [], onClock = () => {},
}) {
  /** Runs `call`; a wrong password throws `wrong` for the dialog, anything else fails. */
  async function withPassword(call, wrong) {
    try {
      return await call();
    } catch (err) {
      if (normalizeError(err).kind === 'wrong_password') throw wrong;
      fail(err);
    }
  }

  /** A sync call: its own problems (the folder unreachable, another vault's) are said in
   *  the section; the list follows what it merged. */
  async function syncCall(call) {
    try {
      const result = await call();
      await afterRestore();
      return result;
    } catch (err) {
      const { kind, message } = normalizeError(err);
      if (kind === 'sync' || kind === 'invalid_input') throw message;
      fail(err);
    }
  }

  /** A clock call: bad input is said in the section, anything else fails as usual. */
  async function clockCall(call) {
    try {
      return await call();
    } catch (err) {
      const { kind, message } = normalizeError(err);
      if (kind === 'invalid_input' || kind === 'not_found') throw { message, field: errorField(err) };
      fail(err);
    }
  }

  return {
    getSettings: () => api.getSettings().catch(fail),
    async saveSettings(settings, password) {
      try {
        return await api.saveSettings(settings, password);
      } catch (err) {
        const { kind, message } = normalizeError(err);
        // The Security section asks for the password and tries again.
        if (kind === 'password_required') throw { passwordRequired: message };
        if (kind === 'wrong_password' && password) throw { passwordRequired: 'The password is wrong.' };
        fail(err);
      }
    },
    quickUnlockStatus: () => api.quickUnlockStatus().catch(fail),
    setQuickUnlock: (enabled, password) =>
      withPassword(() => api.setQuickUnlock(enabled, password), 'The password is wrong.'),
    changePassword: (current, next) =>
      withPassword(() => api.changePassword(current, next), WRONG_CURRENT_PASSWORD),
    getPreferences: () => api.getPreferences().catch(fail),
    /** Saves `changes` over the saved preferences, and applies what the page shows. */
    async savePreferences(changes) {
      try {
        onPreferences(await updatePreferences(changes));
      } catch (err) {
        const { kind, message } = normalizeError(err);
        if (kind === 'shortcut' || kind === 'invalid_input') throw message;
        fail(err);
      }
    },
    exportFormats: () => api.exportFormats().catch(fail),
    clockStatus: () => api.clockStatus().catch(fail),
    /** The clock's calls: a form's own error is said in Settings → Clock ({message, field}). */
    saveClockCheck: (check, server) => clockCall(() => api.saveClockCheck(check, server)),
    checkClockNow: () => clockCall(api.checkClockNow),
    setClockOffset: (seconds, from) => clockCall(() => api.setClockOffset(seconds, from)),
    calibrateClock: (id, code) => clockCall(() => api.calibrateClock(id, code)),
    accounts,
    onClock,
    async exportAccounts(format, password, exportPassword) {
      try {
        return await api.exportAccounts(format, password, exportPassword);
      } catch (err) {
        const { kind, message } = normalizeError(err);
        if (kind === 'wrong_password') throw { message: 'The vault password is wrong.', field: 'password' };
        if (kind === 'invalid_input') throw { message, field: errorField(err) };
        fail(err);
      }
    },
    listBackups: () => api.listBackups().catch(fail),
    backupNow: () => api.backupNow().catch(fail),
    backupStatus: () => api.backupStatus().catch(fail),
    chooseBackupFolder: () => api.chooseBackupFolder().catch(fail),
    stopBackupFolder: () => api.stopBackupFolder().catch(fail),
    answerBackupReminder: (answer) => api.answerBackupReminder(answer).catch(fail),
    onBackupStatus,
    async saveEmergencyKit(withSecrets, password) {
      try {
        return await api.saveEmergencyKit(withSecrets, password);
      } catch (err) {
        const { kind } = normalizeError(err);
        if (kind === 'wrong_password') throw { message: 'The vault password is wrong.', field: 'password' };
        fail(err);
      }
    },
    listTrash: () => api.listTrash().catch(fail),
    async restoreFromTrash(id) {
      const restored = await api.restoreFromTrash(id).catch(fail);
      await afterRestore();
      return restored;
    },
    deleteForGood: (id) => api.deleteForGood(id).catch(fail),
    syncStatus: () => api.syncStatus().catch(fail),
    syncJoin: () => syncCall(api.syncJoin),
    syncNow: () => syncCall(api.syncNow),
    syncJoinWebdav: (address, user, password) => syncCall(() => api.syncJoinWebdav(address, user, password)),
    syncLeave: () => syncCall(api.syncLeave),
    syncRemoveDevice: (id) => syncCall(() => api.syncRemoveDevice(id)),
    async syncNewPassword(password) {
      const result = await withPassword(() => api.syncNewPassword(password), 'That is not the vault’s new password.');
      await afterRestore();
      return result;
    },
    emptyTrash: () => api.emptyTrash().catch(fail),
    confirm,
    async restoreBackup(name, password) {
      let report;
      try {
        report = await api.restoreBackup(name, password);
      } catch (err) {
        fail(err);
      }
      await afterRestore();
      return report;
    },
  };
}
