//! Preferences that protect nothing (`preferences.json`, in clear): the quick picker's
//! global shortcut, how codes are shown (the next code, dots, compact rows) and the theme.

use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

use ringlet_core::preferences::{Preferences, SHORTCUTS};

use crate::error::AppError;
use crate::state::AppState;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreferencesView {
    /// The preferences themselves: `quickShortcut` (`null`: off), `nextCode`, `hideCodes`,
    /// `compact`, `sort`, `theme`.
    #[serde(flatten)]
    pub preferences: Preferences,
    /// The combinations Settings offers.
    pub shortcuts: &'static [&'static str],
    /// False on Wayland, where the desktop owns global shortcuts.
    pub shortcut_available: bool,
    /// The saved file could not be used (the defaults apply).
    pub problem: Option<String>,
    /// Ringlet starts at login (the OS holds this, not the file); `null`: not available.
    pub start_at_login: Option<bool>,
}

#[tauri::command]
pub fn get_preferences<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> PreferencesView {
    let (preferences, problem) = match Preferences::load(state.vault_dir()) {
        Ok(preferences) => (preferences, None),
        Err(error) => (Preferences::default(), Some(error.to_string())),
    };
    PreferencesView {
        preferences,
        shortcuts: SHORTCUTS,
        shortcut_available: !crate::shortcut::is_wayland(),
        problem,
        start_at_login: crate::autostart::is_on(&app),
    }
}

/// Starts Ringlet at login, or stops doing so.
#[tauri::command]
pub fn set_start_at_login<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    enabled: bool,
) -> Result<(), AppError> {
    state.touch();
    crate::autostart::set(&app, enabled).map_err(AppError::File)
}

/// Saves the preferences and takes the chosen shortcut at once. A combination another
/// program holds is refused (kind `shortcut`) and not saved.
#[tauri::command]
pub fn save_preferences<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    preferences: Preferences,
) -> Result<(), AppError> {
    state.touch();
    preferences
        .validate()
        .map_err(|e| AppError::InvalidInput(e.to_string()))?;
    if let Err(problem) = crate::shortcut::apply(&app, &preferences) {
        // Whatever was saved before stays in force.
        crate::shortcut::apply_saved(&app);
        return Err(AppError::Shortcut(problem));
    }
    preferences
        .save(state.vault_dir())
        .map_err(|e| AppError::InvalidInput(e.to_string()))?;
    crate::appearance::apply_theme(&app, preferences.theme);
    Ok(())
}
