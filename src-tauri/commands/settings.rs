//! Settings → Security and Password: the auto-lock and clipboard delays, and changing the
//! vault's password.

use tauri::{AppHandle, Runtime, State};
use zeroize::Zeroizing;

use ringlet_core::settings::Settings;

use crate::error::AppError;
use crate::state::AppState;

/// Shortest delays accepted: anything shorter locks or wipes before a person can act.
const MIN_AUTO_LOCK_SECONDS: u32 = 30;
const MIN_CLIPBOARD_SECONDS: u32 = 5;
/// A day: longer is what "never" is for.
const MAX_DELAY_SECONDS: u32 = 24 * 60 * 60;

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
    check_delay(
        settings.auto_lock_seconds,
        MIN_AUTO_LOCK_SECONDS,
        "The auto-lock delay",
    )?;
    check_delay(
        settings.clipboard_clear_seconds,
        MIN_CLIPBOARD_SECONDS,
        "The clipboard delay",
    )?;
    settings
        .save(state.vault_dir())
        .map_err(|error| AppError::InvalidInput(error.to_string()))?;
    state.reload_settings();
    let saved = state.settings();
    crate::apply_screen_capture_protection(&app, saved.screen_capture_protection);
    Ok(saved)
}

fn check_delay(seconds: Option<u32>, min: u32, what: &str) -> Result<(), AppError> {
    match seconds {
        Some(value) if !(min..=MAX_DELAY_SECONDS).contains(&value) => Err(AppError::InvalidInput(
            format!("{what} must be between {min} seconds and a day, or never."),
        )),
        _ => Ok(()),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_are_bounded_but_never_is_allowed() {
        assert!(check_delay(None, 30, "x").is_ok());
        assert!(check_delay(Some(30), 30, "x").is_ok());
        assert!(check_delay(Some(86_400), 30, "x").is_ok());
        let short = check_delay(Some(29), 30, "The auto-lock delay");
        assert_eq!(
            short.map_err(|e| e.to_string()),
            Err("The auto-lock delay must be between 30 seconds and a day, or never.".into())
        );
        assert!(check_delay(Some(86_401), 30, "x").is_err());
    }
}
