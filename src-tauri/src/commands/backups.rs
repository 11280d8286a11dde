//! Settings → Backups: the encrypted backups beside the vault, made after each change,
//! and restoring from them — into the open vault, or in place of a damaged one.

use std::path::{Path, PathBuf};

use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

use ringlet_core::import::ImportPlan;
use ringlet_core::vault::backup::{self, BackupError, BackupInfo};
use ringlet_core::vault::recovery::{self, RecoverError};
use ringlet_core::vault::{VaultError, BACKUPS_DIR};

use crate::error::AppError;
use crate::password::Password;
use crate::state::{AppState, Session};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupView {
    /// The file name, which is how the UI names a backup back to us.
    pub name: String,
    /// Unix seconds.
    pub created: u64,
    pub accounts: Option<u32>,
    pub size: u64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Backups {
    pub folder: String,
    pub backups: Vec<BackupView>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreReport {
    pub added: usize,
    pub skipped: usize,
}

/// Listing needs no password: names, dates and sizes only. Works while locked, for the
/// recovery of a damaged vault.
#[tauri::command(async)]
pub fn list_backups(state: State<'_, AppState>) -> Result<Backups, AppError> {
    let folder = backups_dir(state.vault_dir());
    let backups = backup::list(&folder)
        .map_err(VaultError::from)?
        .iter()
        .map(view)
        .collect();
    Ok(Backups {
        folder: folder.display().to_string(),
        backups,
    })
}

#[tauri::command(async)]
pub fn backup_now(state: State<'_, AppState>) -> Result<BackupView, AppError> {
    state.touch();
    state.with_session(|session| {
        let path = session.vault.backup_now()?;
        session.backup_due = None;
        let listed = backup::list(&backups_dir(session.vault.dir())).map_err(VaultError::from)?;
        listed
            .iter()
            .find(|info| info.path == path)
            .map(view)
            .ok_or_else(|| AppError::Backup("The new backup could not be found.".into()))
    })
}

/// Adds the backup's accounts that the open vault does not have. The backup opens with
/// the password the vault had when it was made, so it is asked for.
#[tauri::command(async)]
pub fn restore_backup(
    state: State<'_, AppState>,
    name: String,
    password: Password,
) -> Result<RestoreReport, AppError> {
    state.touch();
    // Checked before the password is: a locked vault is no place to try passwords on.
    if !state.is_unlocked() {
        return Err(AppError::Locked);
    }
    let path = backup_path(state.vault_dir(), &name)?;
    let accounts =
        state.password_check(|| backup::read(&path, password.as_bytes()).map_err(backup_error))?;
    state.with_session(|session| {
        let report = ImportPlan::restore(&session.vault, accounts)?;
        if !report.added.is_empty() {
            session.changed();
        }
        Ok(RestoreReport {
            added: report.added.len(),
            skipped: report.skipped,
        })
    })
}

/// For a vault that cannot be opened: the damaged folder is moved aside (nothing is
/// deleted), a new vault is made with the backup's password and its accounts, and the
/// backups follow it. The new vault is then unlocked.
#[tauri::command(async)]
pub fn recover_from_backup<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    name: String,
    password: Password,
) -> Result<RestoreReport, AppError> {
    state.touch();
    let dir = state.vault_dir().clone();
    let path = backup_path(&dir, &name)?;
    let recovered = state.password_check(|| {
        let mut slot = state.slot();
        if slot.is_some() {
            return Err(AppError::InvalidInput(
                "The vault is open; restore from Settings → Backups instead.".into(),
            ));
        }
        // Recovery sets the vault folder aside: only for a vault an unlock found damaged,
        // never against a healthy one.
        if !state.damage_seen() {
            return Err(AppError::InvalidInput(
                "Recovery is only for a vault that failed to open as damaged. Unlock the vault instead.".into(),
            ));
        }
        let recovered = recovery::recover_from_backup(&dir, &path, password.as_bytes())
            .map_err(|e| match e {
                RecoverError::Backup(error) => backup_error(error),
                RecoverError::Vault(error) => AppError::from(error),
            })?;
        let restored = recovered.restored;
        // The settings moved in were sealed for the damaged vault's key: the defaults
        // apply until they are saved again, and the person is told.
        let problem = state.load_settings(&recovered.vault);
        let mut session = Session::new(recovered.vault);
        session.changed();
        *slot = Some(session);
        Ok((restored, problem))
    })?;
    let (recovered, problem) = recovered;
    crate::session_started(&app, problem);
    Ok(RestoreReport {
        added: recovered,
        skipped: 0,
    })
}

fn backups_dir(vault_dir: &Path) -> PathBuf {
    vault_dir.join(BACKUPS_DIR)
}

/// The UI names a backup by its file name; anything that could step outside the backups
/// folder is refused.
fn backup_path(vault_dir: &Path, name: &str) -> Result<PathBuf, AppError> {
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\'])
        && name.ends_with(&format!(".{}", backup::EXTENSION));
    if !plain {
        return Err(AppError::Backup("That is not one of the backups.".into()));
    }
    let path = backups_dir(vault_dir).join(name);
    if !path.is_file() {
        return Err(AppError::Backup("That backup no longer exists.".into()));
    }
    Ok(path)
}

fn view(info: &BackupInfo) -> BackupView {
    BackupView {
        name: info
            .path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default(),
        created: info.created,
        accounts: info.accounts,
        size: info.size,
    }
}

fn backup_error(error: BackupError) -> AppError {
    match error {
        BackupError::WrongPassword => AppError::BackupPassword(
            "This backup does not open with that password. It opens with the password the vault had when the backup was made.".into(),
        ),
        other => AppError::Backup(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_backup_names_are_accepted() {
        let dir = tempfile::tempdir().unwrap();
        let backups = dir.path().join(BACKUPS_DIR);
        std::fs::create_dir_all(&backups).unwrap();
        std::fs::write(backups.join("ringlet-20261123-040000.rbak"), b"x").unwrap();
        assert!(backup_path(dir.path(), "ringlet-20261123-040000.rbak").is_ok());
        for hostile in [
            "../vault.header",
            "/etc/passwd",
            "..",
            "",
            ".rbak",
            "a/b.rbak",
            "x.txt",
        ] {
            assert!(backup_path(dir.path(), hostile).is_err(), "{hostile}");
        }
        assert!(backup_path(dir.path(), "ringlet-20000101-000000.rbak").is_err());
    }
}
