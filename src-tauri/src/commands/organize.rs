//! Editing what is shown of an account (issuer, name, tags, note, pin: the core's
//! `AccountEdit`, never the secret) and the trash: restore (the list's Undo, Settings →
//! Trash), delete for good, empty.

use tauri::State;

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
