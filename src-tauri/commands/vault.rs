//! Creating, unlocking and locking the vault.

use tauri::{AppHandle, Runtime, State};
use zeroize::Zeroizing;

use ringlet_core::vault::Vault;

use crate::dto::VaultStatus;
use crate::error::AppError;
use crate::state::{AppState, Session};

#[tauri::command]
pub fn vault_status(state: State<'_, AppState>) -> VaultStatus {
    let unlocked = state.slot().is_some();
    let status = if unlocked {
        "unlocked"
    } else if Vault::exists(state.vault_dir()) {
        "locked"
    } else {
        "missing"
    };
    VaultStatus {
        state: status,
        path: state.vault_dir().display().to_string(),
    }
}

/// Argon2 takes about half a second: run on a worker thread, not the UI's.
#[tauri::command(async)]
pub fn create_vault(state: State<'_, AppState>, password: String) -> Result<(), AppError> {
    let password = Zeroizing::new(password);
    if password.is_empty() {
        return Err(AppError::InvalidInput(
            "Choose a password for the vault.".into(),
        ));
    }
    let vault = Vault::create(state.vault_dir(), password.as_bytes())?;
    state.reload_settings();
    state.touch();
    *state.slot() = Some(Session::new(vault));
    Ok(())
}

#[tauri::command(async)]
pub fn unlock_vault(state: State<'_, AppState>, password: String) -> Result<(), AppError> {
    let password = Zeroizing::new(password);
    let mut slot = state.slot();
    if slot.is_some() {
        return Ok(());
    }
    let vault = Vault::open(state.vault_dir(), password.as_bytes())?;
    state.reload_settings();
    state.touch();
    *slot = Some(Session::new(vault));
    Ok(())
}

/// Dropping the session drops the data key and every decrypted secret.
#[tauri::command]
pub fn lock_vault<R: Runtime>(app: AppHandle<R>) {
    crate::autolock::lock(&app, "request");
}

/// The UI reports the person's keyboard and pointer use, which keeps the auto-lock away.
#[tauri::command]
pub fn user_active(state: State<'_, AppState>) {
    state.touch();
}
