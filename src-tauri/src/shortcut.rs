//! The quick picker's own global shortcut (off until the person picks one in Settings),
//! through tauri-plugin-global-shortcut: X11, Windows and macOS. On Wayland a program cannot
//! grab keys for itself; there the person binds `ringlet --quick` in the desktop's own
//! keyboard settings (the README says how), and Settings says so.

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_global_shortcut::{GlobalShortcut, ShortcutState};

use ringlet_core::preferences::Preferences;

/// A Wayland session, where global shortcuts belong to the desktop.
pub fn is_wayland() -> bool {
    std::env::var_os("WAYLAND_DISPLAY").is_some()
        || std::env::var("XDG_SESSION_TYPE").is_ok_and(|kind| kind == "wayland")
}

/// Takes the shortcut `preferences` names (dropping any other first). Fails with a sentence
/// for the person when another program holds that combination.
pub fn apply<R: Runtime>(app: &AppHandle<R>, preferences: &Preferences) -> Result<(), String> {
    // Not there in tests on the mock runtime, nor when the plugin could not start.
    let Some(shortcuts) = app.try_state::<GlobalShortcut<R>>() else {
        return Ok(());
    };
    let _ = shortcuts.unregister_all();
    let Some(combination) = preferences.quick_shortcut.as_deref() else {
        return Ok(());
    };
    if is_wayland() {
        return Err(
            "On Wayland, bind `ringlet --quick` in your desktop's keyboard settings instead."
                .into(),
        );
    }
    shortcuts
        .on_shortcut(combination, |app, _, event| {
            if event.state == ShortcutState::Pressed {
                crate::picker::open(app);
            }
        })
        .map_err(|error| format!("{combination} could not be taken ({error}); another program may use it. Choose another."))
}

/// At start: the saved shortcut, if any. Problems go to the log; Settings shows the rest.
pub fn apply_saved<R: Runtime>(app: &AppHandle<R>) {
    let dir = app
        .state::<crate::state::AppState>()
        .vault_dir()
        .to_path_buf();
    let preferences = crate::appearance::saved_preferences(&dir);
    if let Err(problem) = apply(app, &preferences) {
        eprintln!("ringlet: the quick picker's shortcut: {problem}");
    }
}
