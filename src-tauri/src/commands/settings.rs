//! Settings → Security and Password: the auto-lock and clipboard delays, and changing the
//! vault's password.

use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

use ringlet_core::keyring::SystemKeyring;
use ringlet_core::settings::Settings;
use ringlet_core::vault::check_new_password;

use crate::error::AppError;
use crate::password::Password;
use crate::state::AppState;

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Settings {
    state.settings()
}

/// Saves the settings, sealed for the open vault. Making any of them less strict (a
/// protection off, a longer delay) asks for the vault password, so that an unlocked window
/// left alone cannot be made to stay unlocked: without it the answer is a
/// `password_required` error naming what would be weakened.
#[tauri::command(async)]
pub fn save_settings<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    settings: Settings,
    password: Option<Password>,
) -> Result<Settings, AppError> {
    state.touch();
    state.with_session(|_| Ok(()))?;
    settings.validate()?;
    let weakened = state.settings().weakened_by(&settings);
    let save = |session: &mut crate::state::Session| {
        Ok(settings.save_sealed(state.vault_dir(), &session.vault)?)
    };
    if weakened.is_empty() {
        state.with_session(save)?;
    } else {
        let Some(password) = password.filter(|password| !password.is_empty()) else {
            return Err(AppError::PasswordRequired(format!(
                "Making {} less strict asks for the vault password.",
                listed(&weakened)
            )));
        };
        state.password_check(|| {
            state.with_session(|session| {
                session.vault.verify_password(password.as_bytes())?;
                save(session)
            })
        })?;
    }
    state.set_settings(settings.clone());
    crate::apply_screen_capture_protection(&app, settings.screen_capture_protection);
    Ok(settings)
}

/// "a", "a and b", "a, b and c".
fn listed(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [only] => (*only).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// What a password change did, for the Settings dialog to say.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordChanged {
    /// Backups re-encrypted under the new key: they open with the new password.
    pub backups_reencrypted: usize,
    /// Backups made before an earlier password change (or damaged), left as they are.
    pub backups_left: usize,
    /// Set when quick unlock had to be turned off, saying why.
    pub note: Option<String>,
}

/// The current password is asked again, so an unlocked window left alone cannot be used
/// to take the vault over. The vault gets a new data key (every record sealed again, the
/// backups re-encrypted, quick unlock carried over); a backup follows.
#[tauri::command(async)]
pub fn change_password(
    state: State<'_, AppState>,
    current: Password,
    new: Password,
) -> Result<PasswordChanged, AppError> {
    state.touch();
    if new.is_empty() {
        return Err(AppError::InvalidInput("Choose a new password.".into()));
    }
    check_new_password(new.as_bytes())?;
    state.password_check(|| {
        state.with_session(|session| {
            session.vault.verify_password(current.as_bytes())?;
            let change = session
                .vault
                .change_password(new.as_bytes(), Some(&SystemKeyring))?;
            session.changed();
            Ok(PasswordChanged {
                backups_reencrypted: change.backups_reencrypted,
                backups_left: change.backups_left.len(),
                note: change.quick_unlock_turned_off.map(|error| {
                    format!("Quick unlock is now off: {error} Turn it on again in Settings.")
                }),
            })
        })
    })
}
