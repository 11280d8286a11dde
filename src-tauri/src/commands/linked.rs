//! Settings → Linked folders and the list's linked groups (`ringlet_core::linked`): each
//! group's accounts as rows (codes computed here; no secret, and never the backup's
//! password, crosses), adding a folder (Rust's folder dialog, then its password only if the
//! backup is encrypted), renaming, removing, and copying an account into the vault.

use std::path::PathBuf;

use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

use ringlet_core::clock::CodeClock;
use ringlet_core::linked::{self, LinkedError, LinkedGroup};
use ringlet_core::model::display_label;
use ringlet_core::search::{SearchIndex, Searchable};
use ringlet_core::{otp, Account, OtpKind};

use crate::dto::AccountView;
use crate::error::AppError;
use crate::linked::groups;
use crate::password::Password;
use crate::state::{AppState, Session};

/// One linked group as the list and Settings show it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkedGroupView {
    pub id: String,
    pub name: String,
    pub folder: String,
    /// The backup in use: its file, format and modification time (Unix milliseconds).
    pub file: Option<String>,
    pub format: Option<String>,
    pub updated_ms: Option<u64>,
    /// Why newer files were not used, one sentence each.
    pub skipped: Vec<String>,
    /// The folder could not be read, or the kept password no longer opens.
    pub error: Option<String>,
    pub accounts: Vec<AccountView>,
}

/// What adding a folder came to: linked, or its backup's password is needed (asked, then
/// `linked_add` again with `folder` and the password).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkedAddView {
    pub folder: String,
    /// The format of the encrypted backup whose password is needed.
    pub needs_password: Option<String>,
    pub group: Option<LinkedGroupView>,
}

/// The id a linked account goes by in the window: `linked:<link id>:<place in its backup>`.
fn row_id(group: &LinkedGroup, place: usize) -> String {
    format!("linked:{}:{place}", group.link.id)
}

fn view(group: &LinkedGroup, clock: &CodeClock) -> Result<LinkedGroupView, AppError> {
    let backup = group.backup.as_ref();
    let accounts = group
        .accounts()
        .iter()
        .enumerate()
        .map(|(place, account)| {
            // HOTP: no code; its counter lives on the phone.
            let mut row = AccountView::of_account(row_id(group, place), account, clock, None)?;
            row.linked = true;
            Ok(row)
        })
        .collect::<Result<_, AppError>>()?;
    Ok(LinkedGroupView {
        id: group.link.id.clone(),
        name: display_label(&group.link.name),
        folder: group.link.folder.display().to_string(),
        file: backup.map(|b| display_label(&b.file)),
        format: backup.map(|b| b.format.to_owned()),
        updated_ms: backup.map(|b| b.modified_ms),
        skipped: group
            .skipped
            .iter()
            .map(|s| display_label(&s.to_string()))
            .collect(),
        error: group.error.clone(),
        accounts,
    })
}

/// The account a `linked:…` row id names.
pub(crate) fn account_of(session: &mut Session, id: &str) -> Result<Account, AppError> {
    let gone = || {
        AppError::InvalidInput("That linked account is no longer in its folder's backup.".into())
    };
    let rest = id.strip_prefix("linked:").ok_or_else(gone)?;
    let (link, place) = rest.split_once(':').ok_or_else(gone)?;
    let place: usize = place.parse().map_err(|_| gone())?;
    groups(session)?
        .iter()
        .find(|group| group.link.id == link)
        .and_then(|group| group.accounts().get(place))
        .cloned()
        .ok_or_else(gone)
}

/// A linked row's current code (or, with `next`, the next period's), for the clipboard.
pub(crate) fn code_of(session: &mut Session, id: &str, next: bool) -> Result<String, AppError> {
    let account = account_of(session, id)?;
    let period = match account.otp.kind {
        OtpKind::Hotp { .. } => return Err(AppError::InvalidInput(
            "An HOTP account of a linked folder has no code here: its counter lives on the phone."
                .into(),
        )),
        OtpKind::Totp { period } | OtpKind::Steam { period } => period,
    };
    // The same corrected clock as the vault's rows (the machine's and the account's offsets).
    let moment = session.code_clock().for_account(&account);
    let at = if next {
        moment.next_period(period)
    } else {
        moment.unix
    };
    Ok(otp::generate(&account.otp, at)?)
}

/// The linked rows matching `query`, by the core's one search rule.
pub(crate) fn search(session: &mut Session, query: &str) -> Result<Vec<String>, AppError> {
    let groups = groups(session)?;
    let rows: Vec<(String, Searchable)> = groups
        .iter()
        .flat_map(|group| {
            group
                .accounts()
                .iter()
                .enumerate()
                .map(move |(place, account)| {
                    (row_id(group, place), Searchable::of_account(account))
                })
        })
        .collect();
    let places: Vec<(usize, Searchable)> = rows
        .iter()
        .enumerate()
        .map(|(place, (_, searchable))| (place, searchable.clone()))
        .collect();
    Ok(SearchIndex::new(places)
        .find(query)
        .into_iter()
        .map(|(place, _)| rows[place].0.clone())
        .collect())
}

#[tauri::command(async)]
pub fn linked_groups(state: State<'_, AppState>) -> Result<Vec<LinkedGroupView>, AppError> {
    state.with_session(|session| {
        let clock = session.code_clock();
        groups(session)?.iter().map(|g| view(g, &clock)).collect()
    })
}

/// Links a folder: without `folder`, the one picked in Rust's folder dialog (`None`:
/// cancelled). The password is sent only once the answer said it is needed.
#[tauri::command(async)]
pub fn linked_add<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    folder: Option<String>,
    password: Option<Password>,
) -> Result<Option<LinkedAddView>, AppError> {
    state.touch();
    if !state.is_unlocked() {
        return Err(AppError::Locked);
    }
    let folder = match folder {
        Some(folder) => PathBuf::from(folder),
        None => match crate::commands::sync::pick_folder(
            &app,
            "Choose the folder your phone's backups arrive in",
        )? {
            Some(folder) => folder,
            None => return Ok(None),
        },
    };
    let shown = folder.display().to_string();
    state.with_session(|session| {
        let password = password.as_ref().map(Password::as_bytes);
        match linked::add(&session.vault, &folder, None, password) {
            Ok(group) => {
                let view = view(&group, &session.code_clock())?;
                groups(session)?.push(group);
                Ok(Some(LinkedAddView {
                    folder: shown,
                    needs_password: None,
                    group: Some(view),
                }))
            }
            Err(LinkedError::NeedsPassword { format }) if password.is_none() => {
                Ok(Some(LinkedAddView {
                    folder: shown,
                    needs_password: Some(format.to_owned()),
                    group: None,
                }))
            }
            Err(error) => Err(error.into()),
        }
    })
}

#[tauri::command(async)]
pub fn linked_rename(state: State<'_, AppState>, id: String, name: String) -> Result<(), AppError> {
    state.touch();
    state.with_session(|session| {
        let renamed = linked::rename(session.vault.dir(), &id, &name)?;
        for group in groups(session)?.iter_mut().filter(|g| g.link.id == id) {
            group.link.name = renamed.name.clone();
        }
        Ok(())
    })
}

/// Forgets the link and its password; the folder is left as it is.
#[tauri::command(async)]
pub fn linked_remove(state: State<'_, AppState>, id: String) -> Result<(), AppError> {
    state.touch();
    state.with_session(|session| {
        linked::remove(session.vault.dir(), &id)?;
        groups(session)?.retain(|g| g.link.id != id);
        Ok(())
    })
}

/// Copies a linked account into the vault, as its own: its row.
#[tauri::command(async)]
pub fn linked_copy<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
) -> Result<AccountView, AppError> {
    state.touch();
    let added = state.with_session(|session| {
        let account = account_of(session, &id)?;
        let added = linked::copy_into_vault(&session.vault, &account)?;
        session.changed();
        crate::commands::accounts::view_of(session, added)
    })?;
    let entries = state.slot().as_ref().and_then(|s| s.vault.entries().ok());
    crate::tray::update(&app, entries.as_deref());
    Ok(added)
}
