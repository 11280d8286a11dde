//! Locking: on request, and after the idle time set in the settings. Locking drops the
//! session (the vault's key and every decrypted secret), wipes a copied code still on the
//! clipboard and tells the UI, which then shows the unlock screen with no account data.

use std::time::Duration;

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::clipboard::ClipboardGuard;
use crate::state::AppState;

/// How often the idle time is checked.
const CHECK_EVERY: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, Serialize)]
pub struct Locked {
    /// `idle` or `request`.
    pub reason: &'static str,
}

pub fn lock<R: Runtime>(app: &AppHandle<R>, reason: &'static str) {
    let was_unlocked = app.state::<AppState>().slot().take().is_some();
    app.state::<ClipboardGuard>().clear_if_ours(app, None);
    if was_unlocked {
        // The UI may be gone (quitting); nothing to do then.
        let _ = app.emit("vault-locked", Locked { reason });
    }
}

/// Starts the thread that locks the vault after the configured idle time.
pub fn watch_idle<R: Runtime>(app: AppHandle<R>) {
    std::thread::spawn(move || loop {
        std::thread::sleep(CHECK_EVERY);
        let state = app.state::<AppState>();
        let Some(limit) = state.settings().auto_lock_seconds else {
            continue;
        };
        if state.is_unlocked() && state.idle_for() >= Duration::from_secs(u64::from(limit)) {
            lock(&app, "idle");
        }
    });
}
