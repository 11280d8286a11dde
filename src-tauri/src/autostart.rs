//! Settings → "Start Ringlet when I log in" (tauri-plugin-autostart): an XDG autostart
//! entry on Linux (`~/.config/autostart/Ringlet.desktop`), the Run key on Windows, a launch
//! agent on macOS. The OS holds the choice, so it is read from there, never kept in a file
//! of Ringlet's. Ringlet always starts locked; whether the window shows at start is the
//! `startHidden` preference.

use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_autostart::AutoLaunchManager;

/// The entry's name (and the Linux file's): as the desktop shows the app.
const NAME: &str = "Ringlet";

pub fn plugin<R: Runtime>() -> TauriPlugin<R> {
    tauri_plugin_autostart::Builder::new()
        .app_name(NAME)
        .build()
}

/// Whether Ringlet starts at login; `None` where that cannot be told (no plugin, as in the
/// IPC tests, or the OS would not say).
pub fn is_on<R: Runtime>(app: &AppHandle<R>) -> Option<bool> {
    app.try_state::<AutoLaunchManager>()?.is_enabled().ok()
}

pub fn set<R: Runtime>(app: &AppHandle<R>, on: bool) -> Result<(), String> {
    let manager = app
        .try_state::<AutoLaunchManager>()
        .ok_or_else(|| "Starting at login is not available here.".to_owned())?;
    let done = if on {
        manager.enable()
    } else {
        manager.disable()
    };
    done.map_err(|error| format!("Starting at login could not be changed: {error}"))
}
