//! The main window's own moves that the UI asks for.

use tauri::{Runtime, WebviewWindow};

use crate::error::AppError;

/// Esc on an empty search box puts the window away, as a launcher does. With no tray to
/// bring it back from, away means minimised: hidden, it could only be found again by
/// starting Ringlet a second time.
#[tauri::command]
pub fn hide_window<R: Runtime>(window: WebviewWindow<R>) -> Result<(), AppError> {
    window
        .minimize()
        .map_err(|error| AppError::Window(format!("The window could not be minimised: {error}")))
}
