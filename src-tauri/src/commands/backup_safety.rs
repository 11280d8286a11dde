//! Settings → Backups, the part that makes backups safe to rely on (#13 §4): the status
//! (last verified backup, an unverified newest one, the second folder and its warning, the
//! monthly reminder), the second folder chosen through the native folder dialog, the
//! reminder's answers, and the emergency kit saved through the native save dialog. The
//! rules are the core's (`vault::backup::status`, `export::kit`).

use std::path::{Path, PathBuf};

use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use ringlet_core::export::{files, kit};
use ringlet_core::vault::backup::status::{self, BackupStatus, ReminderAnswer};
use ringlet_core::vault::backup::{self};
use ringlet_core::vault::{Vault, BACKUPS_DIR};

use crate::error::AppError;
use crate::password::Password;
use crate::state::AppState;

/// What the window shows of the backups' state: times in Unix seconds, nothing secret.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupStatusView {
    /// Now, by the backend's clock, so that "3 minutes ago" is counted from the same clock.
    pub now: u64,
    pub last_verified: Option<VerifiedView>,
    pub unverified: Option<UnverifiedView>,
    pub second_folder: Option<String>,
    pub second_folder_problem: Option<ProblemView>,
    pub second_folder_verified: Option<VerifiedView>,
    pub reminder_due: bool,
    pub reminder_off: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifiedView {
    pub time: u64,
    pub accounts: usize,
    /// The file name only.
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnverifiedView {
    pub time: u64,
    pub why: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProblemView {
    pub since: u64,
    pub why: String,
}

/// The view of the status in the backups folder of the vault at `vault_dir`.
pub fn status_view(vault_dir: &Path) -> BackupStatusView {
    let status = BackupStatus::load(&vault_dir.join(BACKUPS_DIR));
    let now = backup::now();
    let verified = |v: &status::Verified| VerifiedView {
        time: v.time,
        accounts: v.accounts,
        name: v
            .file
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    BackupStatusView {
        now,
        last_verified: status.last_verified.as_ref().map(verified),
        unverified: status.unverified.as_ref().map(|u| UnverifiedView {
            time: u.time,
            why: u.why.clone(),
        }),
        second_folder: status
            .second_folder
            .as_ref()
            .map(|folder| folder.display().to_string()),
        second_folder_problem: status.second_folder_problem.as_ref().map(|p| ProblemView {
            since: p.since,
            why: p.why.clone(),
        }),
        second_folder_verified: status.second_folder_verified.as_ref().map(verified),
        reminder_due: status.reminder_due(now),
        reminder_off: status.reminder.off,
    }
}

/// The backups' state. Paths and times only, but the vault's business: while unlocked.
#[tauri::command(async)]
pub fn backup_status(state: State<'_, AppState>) -> Result<BackupStatusView, AppError> {
    if !state.is_unlocked() {
        return Err(AppError::Locked);
    }
    Ok(status_view(state.vault_dir()))
}

/// Changes the status under the session's lock (no backup writes it meanwhile).
fn change_status(
    state: &AppState,
    change: impl FnOnce(&Vault, &mut BackupStatus) -> Result<(), AppError>,
) -> Result<BackupStatusView, AppError> {
    state.with_session(|session| {
        let dir = session.vault.backup_dir();
        let mut status = BackupStatus::load(&dir);
        change(&session.vault, &mut status)?;
        status.save(&dir).map_err(|error| {
            AppError::Backup(format!("The backup settings could not be saved: {error}"))
        })?;
        Ok(())
    })?;
    Ok(status_view(state.vault_dir()))
}

/// The native folder dialog, starting in the home folder (not GTK's Recent view, where no
/// folder can be chosen), then a backup made at once so the person sees it land there.
/// `None`: cancelled.
#[tauri::command(async)]
pub fn choose_backup_folder<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<BackupStatusView>, AppError> {
    state.touch();
    if !state.is_unlocked() {
        return Err(AppError::Locked);
    }
    let mut dialog = app
        .dialog()
        .file()
        .set_title("Choose a second folder for backups");
    if let Ok(home) = app.path().home_dir() {
        dialog = dialog.set_directory(home);
    }
    let Some(picked) = dialog.blocking_pick_folder() else {
        return Ok(None);
    };
    let picked: PathBuf = picked
        .into_path()
        .map_err(|_| AppError::InvalidInput("Choose a folder on this computer.".into()))?;
    let folder =
        status::check_second_folder(state.vault_dir(), &picked).map_err(AppError::InvalidInput)?;
    change_status(&state, |_, status| {
        status.set_second_folder(Some(folder));
        Ok(())
    })?;
    state.with_session(|session| {
        session.vault.backup_now()?;
        session.backup_due = None;
        Ok(())
    })?;
    Ok(Some(status_view(state.vault_dir())))
}

/// Backups are no longer copied to the second folder (what is there stays).
#[tauri::command(async)]
pub fn stop_backup_folder(state: State<'_, AppState>) -> Result<BackupStatusView, AppError> {
    state.touch();
    change_status(&state, |_, status| {
        status.set_second_folder(None);
        Ok(())
    })
}

/// The reminder's answer: `done`, `later`, `off` or `on`.
#[tauri::command(async)]
pub fn answer_backup_reminder(
    state: State<'_, AppState>,
    answer: String,
) -> Result<BackupStatusView, AppError> {
    state.touch();
    let answer = match answer.as_str() {
        "done" => ReminderAnswer::Done,
        "later" => ReminderAnswer::Later,
        "off" => ReminderAnswer::Off,
        "on" => ReminderAnswer::On,
        other => {
            return Err(AppError::InvalidInput(format!(
                "{other:?} is not an answer to the reminder."
            )))
        }
    };
    change_status(&state, |_, status| {
        status.answer_reminder(backup::now(), answer);
        Ok(())
    })
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KitReport {
    /// Where it was written; `None` when the person cancelled the save dialog.
    pub file: Option<String>,
}

/// The emergency kit through the native save dialog, 0600, never over an existing file.
/// With secrets, only after the vault password is typed again (paced like every password
/// check).
#[tauri::command(async)]
pub fn save_emergency_kit<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    with_secrets: bool,
    password: Option<Password>,
) -> Result<KitReport, AppError> {
    state.touch();
    if !state.is_unlocked() {
        return Err(AppError::Locked);
    }
    let page = if with_secrets {
        let password = password.ok_or_else(|| {
            AppError::InvalidInput(
                "Type the vault's password to put the accounts in the kit.".into(),
            )
        })?;
        state.password_check(|| {
            state.with_session(|session| {
                session.vault.verify_password(password.as_bytes())?;
                Ok(kit::for_vault(&session.vault, true, backup::now())?)
            })
        })?
    } else {
        state.with_session(|session| Ok(kit::for_vault(&session.vault, false, backup::now())?))?
    };
    let picked = app
        .dialog()
        .file()
        .set_title("Save the emergency kit")
        .set_file_name("ringlet-emergency-kit.html")
        .blocking_save_file()
        .and_then(|file| file.into_path().ok());
    let Some(path) = picked else {
        return Ok(KitReport { file: None });
    };
    files::write_all(std::slice::from_ref(&path), &[page.as_slice()], false).map_err(|error| {
        AppError::InvalidInput(format!(
            "{error} Choose a new name: the kit never replaces a file."
        ))
    })?;
    Ok(KitReport {
        file: Some(path.display().to_string()),
    })
}
