//! Settings → Sync: the folder this vault syncs through, the other computers and when each
//! last wrote, the last sync and its problems; join (the folder chosen in Rust's native
//! dialog), sync now, leave, remove a lost computer, and take a password changed on another
//! computer. The core does the work (`ringlet_core::sync`); the background runs are
//! `crate::sync`'s.

use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use ringlet_core::keyring::SystemKeyring;
use ringlet_core::sync::{
    self, FolderVault, LocalFolder, SyncFolder, SyncReport, SyncState, WebDavFolder,
};
use ringlet_core::vault::{Vault, VaultError};

use crate::error::AppError;
use crate::password::Password;
use crate::state::{AppState, Session};

/// One other computer, as its last file said.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceView {
    pub name: String,
    /// The start of its id, which tells two computers of the same name apart.
    pub id: String,
    /// Unix milliseconds.
    pub last_wrote_ms: u64,
    pub left: bool,
    pub removed: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatusView {
    pub joined: bool,
    pub folder: String,
    /// What the other computers call this one.
    pub device_name: String,
    pub last_sync_ms: Option<u64>,
    pub devices: Vec<DeviceView>,
    /// What the last sync could not do, in words.
    pub problems: Vec<String>,
    /// The computer (in words) where the vault's password was changed, until it is taken here.
    pub password_changed_on: Option<String>,
}

/// A sync run: the status after it, and what it changed here, by account label.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncResultView {
    pub status: SyncStatusView,
    pub changes: Vec<String>,
}

pub fn status_view(state: Option<SyncState>) -> SyncStatusView {
    let Some(state) = state else {
        return SyncStatusView {
            joined: false,
            folder: String::new(),
            device_name: String::new(),
            last_sync_ms: None,
            devices: Vec::new(),
            problems: Vec::new(),
            password_changed_on: None,
        };
    };
    let devices = state
        .peers
        .iter()
        .map(|(device, peer)| DeviceView {
            name: peer.name.clone(),
            id: device.to_string().chars().take(8).collect(),
            last_wrote_ms: peer.written_ms,
            left: peer.left,
            removed: state.removed.contains(device),
        })
        .collect();
    SyncStatusView {
        joined: true,
        folder: state.folder.display().to_string(),
        device_name: state.name,
        last_sync_ms: state.last_sync_ms,
        devices,
        problems: state.problems,
        password_changed_on: state.password_changed_on,
    }
}

/// What a sync changed here, one line an account ("Added: GitHub (alice)").
pub fn changes(report: &SyncReport) -> Vec<String> {
    let applied = &report.applied;
    [
        ("Added", &applied.added),
        ("Updated", &applied.updated),
        ("Moved to the trash", &applied.trashed),
        ("Back from the trash", &applied.restored),
        ("Removed for good", &applied.removed),
    ]
    .into_iter()
    .flat_map(|(what, labels)| labels.iter().map(move |label| format!("{what}: {label}")))
    .collect()
}

fn current_status(state: &AppState) -> Result<SyncStatusView, AppError> {
    Ok(status_view(SyncState::load(state.vault_dir())?))
}

/// The status after a sync, and what it changed here.
fn result_view(state: &AppState, report: &SyncReport) -> Result<SyncResultView, AppError> {
    Ok(SyncResultView {
        status: current_status(state)?,
        changes: changes(report),
    })
}

/// The open vault starts syncing through `folder` (its first sync included).
fn join_open_vault<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    folder: &dyn SyncFolder,
) -> Result<SyncResultView, AppError> {
    let report = state.with_session(|session| {
        let report = sync::join(&session.vault, folder, None)?;
        if !report.applied.is_empty() {
            session.changed();
        }
        Ok(report)
    })?;
    crate::sync::after_run(app, &report);
    result_view(state, &report)
}

#[tauri::command(async)]
pub fn sync_status(state: State<'_, AppState>) -> Result<SyncStatusView, AppError> {
    // Device names and the folder are the vault's business: shown only while it is open.
    if !state.is_unlocked() {
        return Err(AppError::Locked);
    }
    current_status(&state)
}

/// The native folder dialog (opened from Rust: the UI has no dialog permission). `None`:
/// the person cancelled.
fn pick_sync_folder<R: Runtime>(app: &AppHandle<R>) -> Result<Option<LocalFolder>, AppError> {
    Ok(pick_folder(app, "Choose the sync folder")?.map(LocalFolder::new))
}

/// The native folder dialog titled `title`, starting in the home folder. `None`: cancelled.
pub(crate) fn pick_folder<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
) -> Result<Option<std::path::PathBuf>, AppError> {
    let mut dialog = app.dialog().file().set_title(title);
    // In a folder, not GTK's Recent view (where no folder can be chosen).
    if let Ok(home) = app.path().home_dir() {
        dialog = dialog.set_directory(home);
    }
    let Some(folder) = dialog.blocking_pick_folder() else {
        return Ok(None);
    };
    folder
        .into_path()
        .map(Some)
        .map_err(|_| AppError::InvalidInput("Choose a folder on this computer.".into()))
}

/// Starts syncing the open vault through the folder the person picks. `None`: cancelled.
#[tauri::command(async)]
pub fn sync_join<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<SyncResultView>, AppError> {
    state.touch();
    if !state.is_unlocked() {
        return Err(AppError::Locked);
    }
    let Some(folder) = pick_sync_folder(&app)? else {
        return Ok(None);
    };
    join_open_vault(&app, &state, &folder).map(Some)
}

/// Starts syncing the open vault through a folder on a WebDAV server (https, or http to
/// this computer). Its password is kept sealed under the vault's key.
#[tauri::command(async)]
pub fn sync_join_webdav<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    address: String,
    user: String,
    password: Password,
) -> Result<SyncResultView, AppError> {
    state.touch();
    if !state.is_unlocked() {
        return Err(AppError::Locked);
    }
    if user.trim().is_empty() {
        return Err(AppError::InvalidInput(
            "Type the user name the WebDAV server knows you by.".into(),
        ));
    }
    let folder = WebDavFolder::new(&address, user.trim(), password.as_bytes())?;
    join_open_vault(&app, &state, &folder)
}

#[tauri::command(async)]
pub fn sync_now<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<SyncResultView, AppError> {
    state.touch();
    let report = crate::sync::run(&app)?;
    result_view(&state, &report)
}

/// Stops syncing; the vault here stays whole.
#[tauri::command(async)]
pub fn sync_leave(state: State<'_, AppState>) -> Result<SyncStatusView, AppError> {
    state.touch();
    state.with_session(|session| Ok(sync::leave(&session.vault)?))?;
    current_status(&state)
}

/// A lost computer: its file is no longer merged here, nor where this one's file is read.
#[tauri::command(async)]
pub fn sync_remove_device(
    state: State<'_, AppState>,
    device: String,
) -> Result<SyncStatusView, AppError> {
    state.touch();
    state.with_session(|session| Ok(sync::remove_device(&session.vault, &device).map(|_| ())?))?;
    current_status(&state)
}

/// Takes the password changed on another computer: this copy moves to the vault's new key
/// (records and backups sealed again) and opens with that password from now on. Paced like
/// every password check.
#[tauri::command(async)]
pub fn sync_new_password<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    password: Password,
) -> Result<SyncResultView, AppError> {
    state.touch();
    if !state.is_unlocked() {
        return Err(AppError::Locked);
    }
    let report = state.password_check(|| {
        state.with_session(|session| {
            let (_, report) = sync::adopt_password(
                &mut session.vault,
                password.as_bytes(),
                Some(&SystemKeyring),
            )?;
            session.changed();
            Ok(report)
        })
    })?;
    crate::sync::after_run(&app, &report);
    result_view(&state, &report)
}

/// What joining built here.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JoinedView {
    pub accounts: usize,
}

/// The first run on a computer whose vault lives on another: the person types the vault's
/// password and picks the sync folder the other computer syncs through; this computer's
/// copy is built from it (`sync::join_new`) and unlocked. `None`: the dialog was cancelled.
/// Paced like every password check.
#[tauri::command(async)]
pub fn join_vault<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    password: Password,
) -> Result<Option<JoinedView>, AppError> {
    if password.is_empty() {
        return Err(AppError::InvalidInput(
            "Type the password of the vault you use on your other computer.".into(),
        ));
    }
    if state.is_unlocked() || Vault::has_vault_files(state.vault_dir()) {
        return Err(VaultError::AlreadyExists.into());
    }
    let Some(folder) = pick_sync_folder(&app)? else {
        return Ok(None);
    };
    // Said before any password is tried.
    if let FolderVault::Empty = sync::inspect(&folder)? {
        return Err(AppError::Sync(format!(
            "{} holds no Ringlet vault. Choose the folder your other computer syncs through (Settings → Sync there shows it).",
            folder.path().display()
        )));
    }
    let (vault, report) = state.password_check(|| {
        Ok(sync::join_new(
            state.vault_dir(),
            &folder,
            password.as_bytes(),
            None,
        )?)
    })?;
    let accounts = vault.entries().map(|entries| entries.len()).unwrap_or(0);
    let problem = state.load_settings(&vault);
    state.touch();
    *state.slot() = Some(Session::new(vault));
    crate::session_started(&app, problem);
    crate::sync::after_run(&app, &report);
    Ok(Some(JoinedView { accounts }))
}
