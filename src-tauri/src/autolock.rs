//! Locking: on request, and after the idle time set in the settings. Locking drops the
//! session (the vault's key and every decrypted secret), wipes a copied code still on the
//! clipboard and tells the UI, which then shows the unlock screen with no account data.
//! The same once-a-second tick writes the automatic backup once changes have settled.

use std::time::Duration;

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use ringlet_core::vault::VaultError;

use crate::clipboard::ClipboardGuard;
use crate::error::AppError;
use crate::events;
use crate::state::AppState;

/// How often the idle time and pending backups are checked.
const CHECK_EVERY: Duration = Duration::from_secs(1);

/// A backup waits until the vault has not changed for this long (an import adds many).
const BACKUP_QUIET: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, Serialize)]
pub struct Locked {
    /// `idle` or `request`.
    pub reason: &'static str,
}

pub fn lock<R: Runtime>(app: &AppHandle<R>, reason: &'static str) {
    let state = app.state::<AppState>();
    let mut slot = state.slot();
    let was_unlocked = slot.is_some();
    // The last changes must not wait for the next unlock to be backed up.
    let backup = slot
        .as_mut()
        .map_or(Ok(false), |session| session.back_up_if_due(Duration::ZERO));
    // Dropped while the mutex is still held: the keys are wiped in place (vault/key.rs)
    // before any other thread can see the slot empty, and no copy leaves the mutex.
    drop(slot.take());
    drop(slot);
    report_backup(app, backup);
    app.state::<ClipboardGuard>().clear_if_ours(app, None);
    crate::reveal::close_all(app);
    crate::picker::close(app);
    crate::tray::update(app, None);
    if was_unlocked {
        // The UI may be gone (quitting); nothing to do then.
        let _ = app.emit(events::VAULT_LOCKED, Locked { reason });
    }
}

/// Starts the thread that writes due backups and locks the vault after the configured
/// idle time.
pub fn watch_idle<R: Runtime>(app: AppHandle<R>) {
    std::thread::spawn(move || loop {
        std::thread::sleep(CHECK_EVERY);
        let state = app.state::<AppState>();
        let backup = match state.slot().as_mut() {
            Some(session) => {
                session.empty_expired_trash();
                session.back_up_if_due(BACKUP_QUIET)
            }
            None => continue,
        };
        report_backup(&app, backup);
        lock_if_idle(&app);
    });
}

/// Locks the vault when it has been idle for the auto-lock delay (time asleep counts).
pub fn lock_if_idle<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let Some(limit) = state.settings().auto_lock_seconds else {
        return;
    };
    if state.idle_for() >= Duration::from_secs(u64::from(limit)) {
        lock(app, "idle");
    }
}

/// A failed backup does not stop anything, but the person must know their changes are not
/// backed up.
/// Says a failed automatic backup, and after every attempt sends the window the backups'
/// state (the last verified one, an unverified newest, the second folder's warning).
fn report_backup<R: Runtime>(app: &AppHandle<R>, result: Result<bool, VaultError>) {
    match result {
        Ok(false) => return,
        Ok(true) => {}
        Err(error) => {
            eprintln!("ringlet: automatic backup failed: {error}");
            let wire = serde_json::to_value(AppError::BackupFailed(error.to_string())).ok();
            let _ = app.emit(events::APP_ERROR, wire);
        }
    }
    let view = crate::commands::backup_safety::status_view(app.state::<AppState>().vault_dir());
    let _ = app.emit(events::BACKUP_STATUS, view);
}
