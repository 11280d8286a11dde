//! The main window's own moves that the UI asks for.

use tauri::{AppHandle, Runtime, WebviewWindow};

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

/// The quick picker is done: a code was copied, or the person pressed Esc.
#[tauri::command]
pub fn close_picker<R: Runtime>(app: AppHandle<R>) {
    crate::picker::close(&app);
}
