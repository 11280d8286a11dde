//! The main window's own moves that the UI asks for.

use tauri::{AppHandle, Runtime, State, WebviewWindow};

use crate::commands::accounts::{copy_account_code, parse_id, view_of};
use crate::error::AppError;
use crate::picker::TypingTarget;
use crate::state::AppState;
use crate::typing::{self, TypingError};

/// Esc on an empty search box puts the window away, as a launcher does: hidden where the
/// tray can bring it back, else minimised (hidden, it could only be found again by starting
/// Ringlet a second time).
#[tauri::command]
pub fn hide_window<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
) -> Result<(), AppError> {
    let away = if crate::tray::can_hide(&app) {
        window.hide()
    } else {
        window.minimize()
    };
    away.map_err(|error| AppError::Window(format!("The window could not be put away: {error}")))
}

/// The quick picker is done: a code was copied, or the person pressed Esc.
#[tauri::command]
pub fn close_picker<R: Runtime>(app: AppHandle<R>) {
    crate::picker::close(&app);
}

/// The title of the window the quick picker types into (Shift+Enter), or `null` where
/// typing is not available.
#[tauri::command]
pub fn picker_target(target: State<'_, TypingTarget>) -> Option<String> {
    target.title()
}

/// Types the account's current code into the window that had the keyboard before the
/// picker opened, and closes the picker. Where that cannot be done the code is copied
/// instead, the picker stays, and the error says so (kind `typing`).
#[tauri::command(async)]
pub fn type_code<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    target: State<'_, TypingTarget>,
    id: String,
) -> Result<(), AppError> {
    state.touch();
    let id = parse_id(&id)?;
    let code = state
        .with_session(|session| view_of(session, id))?
        .code
        .ok_or_else(|| AppError::InvalidInput("Generate a code for this account first.".into()))?;
    let typed = match target.take() {
        Some(target) => typing::type_into(&target, &code),
        None => Err(TypingError::Unavailable),
    };
    match typed {
        Ok(()) => {
            crate::commands::accounts::record_use(&state, id);
            crate::picker::close(&app);
            Ok(())
        }
        // The picker stays open to say so.
        Err(error) => {
            copy_account_code(&app, &id.to_string(), false)?;
            Err(error.into())
        }
    }
}
