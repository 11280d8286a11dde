//! The events the backend sends the window, named once. `api.js` listens to each, the
//! command-list test holds the two lists equal, and the end-to-end secrets test reads this
//! list to record every event a person's session brings.

/// A file dropped on the window, or an encrypted one unlocked, was read: an `ImportPreview`.
pub const IMPORT_PREVIEW: &str = "import-preview";
/// Something is dragged over the window (`{active}`), so the drop overlay shows.
pub const DROP_HOVER: &str = "drop-hover";
/// An error from work the backend did on its own: `{kind, message}`.
pub const APP_ERROR: &str = "app-error";
/// The backend locked the vault: `{reason}`.
pub const VAULT_LOCKED: &str = "vault-locked";
/// A window unlocked the vault (the quick picker, or the main window): the others follow.
pub const VAULT_UNLOCKED: &str = "vault-unlocked";

/// A sync ran (in the background or asked for): `{accountsChanged}`. The list updates in
/// place when it changed; Settings → Sync shows the new status.
pub const SYNC_CHANGED: &str = "sync-changed";

/// A linked folder's newest backup was read (`{name, summary, skipped}`): what it added,
/// removed or changed, or why a newer file was skipped. The list's linked groups update.
pub const LINKED_CHANGED: &str = "linked-changed";

/// An automatic backup was attempted: the backups' state (`BackupStatusView`), for the
/// window's warning and Settings → Backups.
pub const BACKUP_STATUS: &str = "backup-status";
/// The clock changed: a check ended, or the offset in force changed by itself (the clock
/// was set): the `ClockView` the window shows.
pub const CLOCK_CHANGED: &str = "clock-changed";

/// Every event above; the only names `emit` is called with (held to that by a test).
#[cfg(test)]
pub const EVENTS: &[&str] = &[
    IMPORT_PREVIEW,
    DROP_HOVER,
    APP_ERROR,
    VAULT_LOCKED,
    VAULT_UNLOCKED,
    SYNC_CHANGED,
    LINKED_CHANGED,
    BACKUP_STATUS,
    CLOCK_CHANGED,
];
