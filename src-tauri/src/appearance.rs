//! The windows' theme: light, dark or the OS's (`preferences.json`). The pages read the same
//! preference themselves (`data-theme`, which picks each colour's light or dark value);
//! this makes the native parts agree: GTK's dark variant (title bars, the reveal window,
//! file dialogs), and the title bars on Windows and macOS.

use std::path::Path;

use tauri::{AppHandle, Manager, Runtime};

use ringlet_core::preferences::{Preferences, Theme};

/// The saved preferences, or the defaults (said once on stderr) when the file is not valid.
pub fn saved_preferences(dir: &Path) -> Preferences {
    Preferences::load(dir).unwrap_or_else(|error| {
        eprintln!("ringlet: {error}");
        Preferences::default()
    })
}

pub fn apply_theme<R: Runtime>(app: &AppHandle<R>, theme: Theme) {
    app.set_theme(match theme {
        Theme::System => None,
        Theme::Light => Some(tauri::Theme::Light),
        Theme::Dark => Some(tauri::Theme::Dark),
    });
}

/// At start: the saved theme, unless it is the OS's (then nothing is overridden, so a
/// dark variant the OS set for every program stays).
pub fn apply_saved_theme<R: Runtime>(app: &AppHandle<R>) {
    let dir = app
        .state::<crate::state::AppState>()
        .vault_dir()
        .to_path_buf();
    let theme = saved_preferences(&dir).theme;
    if theme != Theme::System {
        apply_theme(app, theme);
    }
}
