//! Settings → Security and Password: the auto-lock and clipboard delays, and changing the
//! vault's password.

use tauri::{AppHandle, Runtime, State};
use zeroize::Zeroizing;

use ringlet_core::settings::Settings;

use crate::error::AppError;
use crate::state::AppState;

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Settings {
    state.settings()
}

#[tauri::command(async)]
pub fn save_settings<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    settings: Settings,
) -> Result<Settings, AppError> {
    state.touch();
    state.with_session(|_| Ok(()))?;
    settings.save(state.vault_dir())?;
    state.reload_settings();
    let saved = state.settings();
    crate::apply_screen_capture_protection(&app, saved.screen_capture_protection);
    Ok(saved)
}

/// The current password is asked again, so an unlocked window left alone cannot be used
/// to take the vault over. Only the key slot is rewritten; a backup follows.
#[tauri::command(async)]
pub fn change_password(
    state: State<'_, AppState>,
    current: String,
    new: String,
) -> Result<(), AppError> {
    state.touch();
    let current = Zeroizing::new(current);
    let new = Zeroizing::new(new);
    if new.is_empty() {
        return Err(AppError::InvalidInput("Choose a new password.".into()));
    }
    state.with_session(|session| {
        session.vault.verify_password(current.as_bytes())?;
        session.vault.change_password(new.as_bytes())?;
        session.changed();
        Ok(())
    })
}
