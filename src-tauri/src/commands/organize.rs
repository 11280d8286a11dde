//! Editing what is shown of an account (issuer, name, tags, note, pin, icon: the core's
//! `AccountEdit`, never the secret), a custom icon from an image file (the native dialog
//! opened here, the image decoded by the core), the manual order (a drag or Alt+↑/↓), and
//! the trash: restore (the list's Undo, Settings → Trash), delete for good, empty.

use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use ringlet_core::icons;
use ringlet_core::model::Icon;
use ringlet_core::order::{self, SortBy};
use ringlet_core::preferences::Preferences;
use ringlet_core::usage::UsageBook;

use ringlet_core::edit::AccountEdit;
use ringlet_core::otp::now_ms;
use ringlet_core::vault::VaultError;

use crate::commands::accounts::{parse_id, view_of};
use crate::dto::{AccountView, TrashedView};
use crate::error::AppError;
use crate::state::AppState;

/// Applies `changes` to the account (a field left out stays as it is) and returns its row.
#[tauri::command(async)]
pub fn edit_account(
    state: State<'_, AppState>,
    id: String,
    changes: AccountEdit,
) -> Result<AccountView, AppError> {
    state.touch();
    let id = parse_id(&id)?;
    state.with_session(|session| {
        let entry = session.vault.get(id)?;
        if entry.stamp.trashed_ms.is_some() {
            return Err(VaultError::AccountNotFound(id).into());
        }
        let edited = changes.apply(&entry.account)?;
        session.vault.update(id, &edited)?;
        session.changed();
        view_of(session, id)
    })
}

/// Image files a custom icon may be made from (the dialog's filter; the core reads the
/// content, whatever the name says).
const ICON_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "bmp", "webp", "tif", "tiff", "PNG", "JPG", "JPEG",
];

/// The title of the dialog that picks an icon's image (the e2e test finds it by it).
pub const PICK_ICON_TITLE: &str = "Choose an image for the account's icon";

/// Asks for an image file in the native dialog, makes it the account's icon (decoded and
/// shrunk by the core to a small PNG kept in the account record, so sync carries it) and
/// returns the row; `None` when the dialog was cancelled. An image that cannot be used is
/// refused with the core's reason and nothing changes.
#[tauri::command(async)]
pub fn pick_icon<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
) -> Result<Option<AccountView>, AppError> {
    state.touch();
    let id = parse_id(&id)?;
    state.with_session(|session| live(session, id).map(drop))?;
    let picked = app
        .dialog()
        .file()
        .set_title(PICK_ICON_TITLE)
        .add_filter("Images", ICON_EXTENSIONS)
        .add_filter("All files", &["*"])
        .blocking_pick_file();
    let Some(path) = picked.and_then(|file| file.into_path().ok()) else {
        return Ok(None);
    };
    let png = icons::custom_icon_from_file(&path)
        .map_err(|error| AppError::InvalidInput(error.to_string()))?;
    state.with_session(|session| {
        let mut account = live(session, id)?.account;
        account.icon = Some(Icon::Image { png });
        session.vault.update(id, &account)?;
        session.changed();
        view_of(session, id).map(Some)
    })
}

/// Moves the account to position `to` of the list as it is shown (within the pinned or the
/// other accounts), by the core's `order::move_to`: a vault change, so sync carries it. The
/// list is in the manual order afterwards (the preference is set to it).
#[tauri::command(async)]
pub fn move_account(state: State<'_, AppState>, id: String, to: usize) -> Result<(), AppError> {
    state.touch();
    let id = parse_id(&id)?;
    let dir = state.vault_dir().clone();
    let mut preferences = Preferences::load(&dir).unwrap_or_default();
    state.with_session(|session| {
        live(session, id)?;
        let mut shown = session.vault.entries()?;
        order::sort(
            &mut shown,
            preferences.sort,
            &UsageBook::load(&session.vault),
        );
        let orders = order::move_to(&shown, id, to);
        if !orders.is_empty() {
            session.vault.set_orders(&orders)?;
            session.changed();
        }
        Ok(())
    })?;
    if preferences.sort != SortBy::Manual {
        preferences.sort = SortBy::Manual;
        preferences
            .save(&dir)
            .map_err(|e| AppError::InvalidInput(e.to_string()))?;
    }
    Ok(())
}

/// The account `id`, when it is in use (not in the trash).
fn live(
    session: &crate::state::Session,
    id: ringlet_core::AccountId,
) -> Result<ringlet_core::Entry, AppError> {
    let entry = session.vault.get(id)?;
    if entry.stamp.trashed_ms.is_some() {
        return Err(VaultError::AccountNotFound(id).into());
    }
    Ok(entry)
}

/// The accounts in the trash, most recently deleted first, with the days each has left.
#[tauri::command(async)]
pub fn list_trash(state: State<'_, AppState>) -> Result<Vec<TrashedView>, AppError> {
    state.with_session(|session| {
        let now = now_ms();
        Ok(session
            .vault
            .trash()?
            .iter()
            .map(|entry| TrashedView::of(entry, now))
            .collect())
    })
}

/// Brings a deleted account back into the list (the Undo of a delete, and Settings →
/// Trash); returns its row.
#[tauri::command(async)]
pub fn restore_from_trash(state: State<'_, AppState>, id: String) -> Result<AccountView, AppError> {
    state.touch();
    let id = parse_id(&id)?;
    state.with_session(|session| {
        session.vault.restore_from_trash(id)?;
        session.changed();
        view_of(session, id)
    })
}

/// Removes an account in the trash for good (its recovery codes too), leaving a tombstone.
/// An account in use is not found here: it goes to the trash first.
#[tauri::command(async)]
pub fn delete_for_good(state: State<'_, AppState>, id: String) -> Result<(), AppError> {
    state.touch();
    let id = parse_id(&id)?;
    state.with_session(|session| {
        if session.vault.get(id)?.stamp.trashed_ms.is_none() {
            return Err(VaultError::AccountNotFound(id).into());
        }
        session.vault.remove(id)?;
        session.changed();
        Ok(())
    })
}

/// Removes every account in the trash for good; returns how many.
#[tauri::command(async)]
pub fn empty_trash(state: State<'_, AppState>) -> Result<usize, AppError> {
    state.touch();
    state.with_session(|session| {
        let removed = session.vault.empty_trash(now_ms(), true)?;
        if removed > 0 {
            session.changed();
        }
        Ok(removed)
    })
}
