//! The commands that keep a vault safe: `passwd`, `backup create`, `backup list` and
//! `restore FILE`.
//!
//! `restore` adds to the vault in the folder the accounts of the backup it does not hold
//! yet (by secret, algorithm, digits and kind — the import rule), as one change. When the
//! folder holds no vault, it creates one whose password is the backup's, then restores
//! into it: that is how a backup is taken to another machine.

use std::io::{self, Write};
use std::path::Path;

use ringlet_core::import::ImportPlan;
use ringlet_core::keyring::{SecretStore, SystemKeyring};
use ringlet_core::vault::backup::{self, BackupError};
use ringlet_core::vault::recovery::{self, RecoverError};
use ringlet_core::vault::{PasswordChange, Vault};

use crate::commands::note;
use crate::error::CliError;
use crate::password::{self, Password, Purpose};

fn out(text: &str) -> Result<(), CliError> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(CliError::Output)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Opens the vault in `dir`, returning it with the password that opened it.
fn open(dir: &Path, password_file: Option<&Path>) -> Result<(Vault, Password), CliError> {
    if !Vault::has_vault_files(dir) {
        return Err(CliError::NoVault(dir.to_path_buf()));
    }
    let password = password::obtain(password_file, Purpose::Open)?;
    let vault = Vault::open(dir, &password).map_err(|e| CliError::from_vault(e, dir))?;
    Ok((vault, password))
}

/// `passwd`: a new password and a new data key for the vault: every record sealed again,
/// the backups re-encrypted, quick unlock carried over through the system keyring.
pub fn passwd(
    dir: &Path,
    password_file: Option<&Path>,
    new_password_file: Option<&Path>,
    new_purpose: Purpose,
) -> Result<(), CliError> {
    let (mut vault, old) = open(dir, password_file)?;
    drop(old);
    let new = password::obtain(new_password_file, new_purpose)?;
    // The keyring is asked only when quick unlock is on: its key wraps the new data key too.
    let keyring = vault
        .has_quick_unlock()
        .then_some(&SystemKeyring as &dyn SecretStore);
    let change = vault
        .change_password(&new, keyring)
        .map_err(|e| CliError::from_vault(e, dir))?;
    drop(new);
    out(&format!(
        "Changed the vault password and its key.\n{}",
        key_change_notes(&change)
    ))
}

/// What a change of the data key did besides the change itself (backups re-encrypted or
/// left, quick unlock turned off), one line each: `passwd` and `sync new-password`.
pub fn key_change_notes(change: &PasswordChange) -> String {
    let mut text = String::new();
    if change.backups_reencrypted > 0 {
        text.push_str(&format!(
            "{} re-encrypted: {} with the new password only.\n",
            plural(change.backups_reencrypted, "backup", "backups"),
            if change.backups_reencrypted == 1 {
                "it opens"
            } else {
                "they open"
            }
        ));
    }
    if !change.backups_left.is_empty() {
        text.push_str(&format!(
            "{} made before an earlier password change (or unreadable) left as {}: {} with the password {} made with.\n",
            plural(change.backups_left.len(), "backup", "backups"),
            if change.backups_left.len() == 1 { "it is" } else { "they are" },
            if change.backups_left.len() == 1 { "it opens" } else { "they open" },
            if change.backups_left.len() == 1 { "it was" } else { "they were" },
        ));
    }
    if let Some(error) = &change.quick_unlock_turned_off {
        text.push_str(&format!(
            "Quick unlock is now off ({error}); turn it on again in the app.\n"
        ));
    }
    text
}

/// `backup create`: a backup in `<vault>/backups`, then rotation.
pub fn create(dir: &Path, password_file: Option<&Path>) -> Result<(), CliError> {
    let (vault, password) = open(dir, password_file)?;
    drop(password);
    let path = vault
        .backup_now()
        .map_err(|e| CliError::from_vault(e, dir))?;
    out(&format!("{}\n", path.display()))
}

/// `backup list`: the backups in `<vault>/backups`, newest first. Needs no password.
pub fn list(dir: &Path) -> Result<(), CliError> {
    let folder = dir.join(ringlet_core::vault::BACKUPS_DIR);
    let backups = backup::list(&folder)
        .map_err(|error| CliError::Input(format!("Cannot read {}: {error}", folder.display())))?;
    let status = crate::backups::status_lines(&folder);
    if backups.is_empty() {
        return out(&format!("No backups in {}.\n{status}", folder.display()));
    }
    let mut text = String::from("CREATED (UTC)        ACCOUNTS  SIZE      FILE\n");
    for info in backups {
        let accounts = info
            .accounts
            .map_or_else(|| "?".to_owned(), |n| n.to_string());
        text.push_str(&format!(
            "{}  {:<8}  {:<8}  {}\n",
            backup::format_utc(info.created),
            accounts,
            info.size,
            info.path.display()
        ));
    }
    text.push_str(&status);
    out(&text)
}

fn backup_error(error: BackupError, file: &Path, hint: bool) -> CliError {
    match error {
        BackupError::WrongPassword => {
            note(&format!(
                "error: the backup {} does not open with this password.",
                file.display()
            ));
            if hint {
                note(
                    "A backup opens with the password the vault had when it was made; \
                     give that one with --backup-password-file FILE.",
                );
            }
            CliError::WrongPassword
        }
        BackupError::Damaged(_) => CliError::Damaged(format!("{} — {error}", file.display())),
        BackupError::Io(_) => CliError::Input(format!("{} — {error}", file.display())),
    }
}

/// `restore FILE`.
pub fn restore(
    dir: &Path,
    password_file: Option<&Path>,
    file: &Path,
    backup_password_file: Option<&Path>,
) -> Result<(), CliError> {
    if !file.is_file() {
        return Err(CliError::Input(format!(
            "No backup file at {}.",
            file.display()
        )));
    }
    if !Vault::exists(dir) {
        let password = password::obtain(backup_password_file.or(password_file), Purpose::Open)?;
        let entries = backup::read(file, &password).map_err(|e| backup_error(e, file, false))?;
        let vault = Vault::create(dir, &password).map_err(|e| CliError::from_vault(e, dir))?;
        drop(password);
        let restored: Vec<_> = entries.iter().map(|entry| entry.restored()).collect();
        vault
            .add_restored(&restored)
            .map_err(|e| CliError::from_vault(e, dir))?;
        return out(&format!(
            "Created a vault at {} (its password is the backup's) and restored {}.\n",
            dir.display(),
            plural(entries.len(), "account", "accounts")
        ));
    }
    let (vault, password) = open(dir, password_file)?;
    let accounts = match backup_password_file {
        Some(path) => {
            let backup_password = password::obtain(Some(path), Purpose::Open)?;
            backup::read(file, &backup_password).map_err(|e| backup_error(e, file, false))?
        }
        None => backup::read(file, &password).map_err(|e| backup_error(e, file, true))?,
    };
    drop(password);
    let report = ImportPlan::restore(&vault, accounts).map_err(|e| CliError::from_vault(e, dir))?;
    let mut text = format!(
        "Restored {}.\n",
        plural(report.added.len(), "account", "accounts")
    );
    if report.skipped > 0 {
        text.push_str(&format!(
            "{} already in the vault, skipped.\n",
            report.skipped
        ));
    }
    out(&text)
}

/// `recover FILE`: a new vault from the backup, the damaged folder moved aside.
pub fn recover(dir: &Path, password_file: Option<&Path>, file: &Path) -> Result<(), CliError> {
    if !file.is_file() {
        return Err(CliError::Input(format!(
            "No backup file at {}.",
            file.display()
        )));
    }
    let password = password::obtain(password_file, Purpose::Open)?;
    let recovered =
        recovery::recover_from_backup(dir, file, &password).map_err(|error| match error {
            RecoverError::Backup(error) => backup_error(error, file, false),
            RecoverError::Vault(error) => CliError::from_vault(error, dir),
        })?;
    out(&format!(
        "The damaged vault folder is now {}; nothing in it was deleted.\nMade a new vault at {} (its password is the backup's) with {}.\n",
        recovered.set_aside.display(),
        dir.display(),
        plural(recovered.restored, "account", "accounts")
    ))
}
