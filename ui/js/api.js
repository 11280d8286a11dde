// The only module that talks to the Tauri backend (window.__TAURI__).
// Every function returns a Promise; failures reject with {kind, message}.

const NO_BACKEND = Object.freeze({ kind: 'internal', message: 'The Ringlet backend is not available.' });

function tauri() {
  return typeof window !== 'undefined' ? window.__TAURI__ : undefined;
}

function invoke(cmd, args) {
  const t = tauri();
  if (!t || !t.core || typeof t.core.invoke !== 'function') return Promise.reject(NO_BACKEND);
  try {
    return args === undefined ? t.core.invoke(cmd) : t.core.invoke(cmd, args);
  } catch (e) {
    return Promise.reject(e);
  }
}

/** Listen to a backend event; resolves to an unlisten function. cb receives the payload. */
function listen(name, cb) {
  const t = tauri();
  if (!t || !t.event || typeof t.event.listen !== 'function') return Promise.resolve(() => {});
  return t.event.listen(name, (event) => cb(event ? event.payload : undefined));
}

export const vaultStatus = () => invoke('vault_status');
export const userActive = () => invoke('user_active');
export const createVault = (password) => invoke('create_vault', { password });
export const unlockVault = (password) => invoke('unlock_vault', { password });
export const quickUnlock = () => invoke('quick_unlock');
export const quickUnlockStatus = () => invoke('quick_unlock_status');
export const setQuickUnlock = (enabled, password) => invoke('set_quick_unlock', { enabled, password });
export const lockVault = () => invoke('lock_vault');
export const listCodes = () => invoke('list_codes');
/** Ids of the accounts matching `query`, best first (the core's one rule, as the CLI's). */
export const searchAccounts = (query) => invoke('search_accounts', { query });
/** Puts the main window away (minimised: there is no tray to bring it back from yet). */
export const hideWindow = () => invoke('hide_window');
/** The quick picker is done (a code copied, or Esc). */
export const closePicker = () => invoke('close_picker');
/** The title of the window the picker types into, or null where typing is not available. */
export const pickerTarget = () => invoke('picker_target');
/** Types the code into that window and closes the picker (kind `typing`: copied instead). */
export const typeCode = (id) => invoke('type_code', { id });
/** Files opened with Ringlet while it was locked: their preview, or null. */
export const takeOpenedFiles = () => invoke('take_opened_files');
export const addAccountUri = (uri) => invoke('add_account_uri', { uri });
export const addAccountManual = (entry) => invoke('add_account_manual', { entry });
export const deleteAccount = (id) => invoke('delete_account', { id });
export const revealAccount = (id, password) => invoke('reveal_account', { id, password });
/** Copies the code (in Rust), or with `next` the next period's. */
export const copyCode = (id, next = false) => invoke('copy_code', { id, next });
export const nextHotp = (id) => invoke('next_hotp', { id });
/** `changes`: {issuer?, name?, tags?, note?, pinned?, icon?: {kind: auto|letter|none}}; a field left out stays. Resolves to the row. */
export const editAccount = (id, changes) => invoke('edit_account', { id, changes });
/** Moves the account to position `to` of the list as shown; the list is in the manual order after. */
export const moveAccount = (id, to) => invoke('move_account', { id, to });
/** Rust's file dialog, then the image made the account's icon: resolves to the row, or null when cancelled. */
export const pickIcon = (id) => invoke('pick_icon', { id });
export const listTrash = () => invoke('list_trash');
/** The Undo of a delete, and Settings → Trash's Restore: resolves to the row. */
export const restoreFromTrash = (id) => invoke('restore_from_trash', { id });
export const deleteForGood = (id) => invoke('delete_for_good', { id });
export const emptyTrash = () => invoke('empty_trash');
/** The account's recovery codes {codes: [{code, used}], left, total}: only while its recovery view is open. */
export const getRecoveryCodes = (id) => invoke('get_recovery_codes', { id });
/** Codes read by Rust from pasted text, to confirm: {codes, known}. Nothing is saved. */
export const parseRecoveryCodes = (id, text) => invoke('parse_recovery_codes', { id, text });
export const saveRecoveryCodes = (id, codes, replace) => invoke('save_recovery_codes', { id, codes, replace });
export const markRecoveryCodeUsed = (id, code) => invoke('mark_recovery_code_used', { id, code });
export const copyRecoveryCode = (id, code) => invoke('copy_recovery_code', { id, code });
/** A native save dialog, the file written by Rust: resolves to its path, or null if cancelled. */
export const exportRecoveryCodes = (id) => invoke('export_recovery_codes', { id });
export const pickImages = () => invoke('pick_images');
export const pasteImport = () => invoke('paste_import');
export const scanScreen = () => invoke('scan_screen');
export const confirmImport = (ids) => invoke('confirm_import', { ids });
export const cancelImport = () => invoke('cancel_import');
/** An encrypted file of the pending import, read with its own password: a new preview. */
export const openEncryptedImport = (source, password) => invoke('open_encrypted_import', { source, password });
export const getSettings = () => invoke('get_settings');
/** Making a setting less strict needs `password` (else a `password_required` error). */
export const saveSettings = (settings, password = null) => invoke('save_settings', { settings, password });
export const changePassword = (current, next) => invoke('change_password', { current, new: next });
export const listBackups = () => invoke('list_backups');
/** Preferences kept in clear, and {shortcuts, shortcutAvailable, problem, startAtLogin}. */
export const getPreferences = () => invoke('get_preferences');
/** Saves them and takes the chosen shortcut (kind `shortcut`: another program holds it). */
export const savePreferences = (preferences) => invoke('save_preferences', { preferences });
/** Starts Ringlet at login (the OS's autostart), or stops. */
export const setStartAtLogin = (enabled) => invoke('set_start_at_login', { enabled });
/** The formats Settings → Export offers: {id, name, protection, loses, shown}. */
export const exportFormats = () => invoke('export_formats');
/** Checks the vault password, then writes where the person picks (Rust's save dialog). */
export const exportAccounts = (format, password, exportPassword = null) =>
  invoke('export_accounts', { format, password, exportPassword });
export const backupNow = () => invoke('backup_now');
export const restoreBackup = (name, password) => invoke('restore_backup', { name, password });
export const recoverFromBackup = (name, password) => invoke('recover_from_backup', { name, password });
export const backupStatus = () => invoke('backup_status');
/** The native folder dialog; resolves to the new status, or null when cancelled. */
export const chooseBackupFolder = () => invoke('choose_backup_folder');
export const stopBackupFolder = () => invoke('stop_backup_folder');
/** answer: 'done' | 'later' | 'off' | 'on' */
export const answerBackupReminder = (answer) => invoke('answer_backup_reminder', { answer });
/** The native save dialog; resolves to {file} (null when cancelled). */
export const saveEmergencyKit = (withSecrets, password) =>
  invoke('save_emergency_kit', { withSecrets, password: withSecrets ? password : null });
/** Settings → Sync: {joined, folder, deviceName, lastSyncMs, devices, problems, passwordChangedOn}. */
export const syncStatus = () => invoke('sync_status');
/** Rust's folder dialog, then the vault syncs through it: {status, changes}, or null if cancelled. */
export const syncJoin = () => invoke('sync_join');
/** A folder on a WebDAV server instead: {status, changes}. */
export const syncJoinWebdav = (address, user, password) => invoke('sync_join_webdav', { address, user, password });
export const syncNow = () => invoke('sync_now');
export const syncLeave = () => invoke('sync_leave');
export const syncRemoveDevice = (device) => invoke('sync_remove_device', { device });
/** The password changed on another computer, taken here: {status, changes}. */
export const syncNewPassword = (password) => invoke('sync_new_password', { password });
/** First run: the vault another computer syncs, built here from the folder picked in Rust's
 *  dialog and unlocked with `password`: {accounts}, or null if cancelled. */
export const joinVault = (password) => invoke('join_vault', { password });

/** The clock: {check, server, defaultServer, offset, offsetSource, offsetSaid, checking, last, warning}. */
export const clockStatus = () => invoke('clock_status');
/** The check on or off, with its server (null: as it is; '': the default). */
export const saveClockCheck = (check, server = null) => invoke('save_clock_check', { check, server });
/** Asks the time server now and waits for it. */
export const checkClockNow = () => invoke('check_clock_now');
/** `from`: 'manual' or 'code' with `seconds` (null or 0 removes it), or 'server' (the last check's). */
export const setClockOffset = (seconds, from) => invoke('set_clock_offset', { seconds, from });
/** The offset a code typed from another device says: {seconds, within, said}; nothing saved. */
export const calibrateClock = (id, code) => invoke('calibrate_clock', { id, code });

/** @param {(preview: object) => void} cb */
export const onImportPreview = (cb) => listen('import-preview', cb);
/** @param {(payload: {active: boolean}) => void} cb */
export const onDropHover = (cb) => listen('drop-hover', cb);
/** An error from work the backend did on its own (a dropped file it could not scan). */
export const onBackgroundError = (cb) => listen('app-error', cb);
/** The backend locked the vault: payload {reason: 'idle'|'request'|'screen_locked'|'suspend'|'lid_closed'}. */
export const onVaultLocked = (cb) => listen('vault-locked', cb);
/** Another window (the quick picker) unlocked the vault. */
export const onVaultUnlocked = (cb) => listen('vault-unlocked', cb);
/** Linked folders (a phone app's backups, read-only): each group with its rows (codes, no secret). */
export const linkedGroups = () => invoke('linked_groups');
/** Without `folder`, Rust's folder dialog (null: cancelled). Resolves to {folder, needsPassword, group}:
 *  when `needsPassword` names a format, call again with the folder and the backup's password. */
export const linkedAdd = (folder = null, password = null) => invoke('linked_add', { folder, password });
export const linkedRename = (id, name) => invoke('linked_rename', { id, name });
export const linkedRemove = (id) => invoke('linked_remove', { id });
/** Copies a linked row's account into the vault: resolves to its new row. */
export const linkedCopy = (id) => invoke('linked_copy', { id });
/** A linked folder's newer backup was read: payload {name, summary, skipped}. */
export const onLinkedChanged = (cb) => listen('linked-changed', cb);
/** A sync ran: payload {accountsChanged}. */
export const onSyncChanged = (cb) => listen('sync-changed', cb);
/** An automatic backup was attempted: the backups' state (as backupStatus). */
export const onBackupStatus = (cb) => listen('backup-status', cb);
/** A clock check ended, or the offset changed by itself: payload as clockStatus(). */
export const onClockChanged = (cb) => listen('clock-changed', cb);
