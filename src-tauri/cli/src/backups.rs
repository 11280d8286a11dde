//! `backup folder PATH|off`, `backup reminder on|off`, `backup kit -o FILE`, and the
//! status lines `backup list` prints under its table: the last verified backup, a newest
//! backup that did not verify, the second folder and whether it was reachable, the
//! reminder when it is due. The rules are the core's (`vault::backup::status`,
//! `export::kit`); this file words them.
//!
//! The kit is `backup kit` rather than an export format: without `--with-secrets` it holds
//! no account, and it is about restoring backups; `formats` lists what importers read back.

use std::path::Path;

use ringlet_core::export::{files, kit};
use ringlet_core::vault::backup::status::{BackupStatus, ReminderAnswer};
use ringlet_core::vault::backup::{self, format_utc};
use ringlet_core::vault::Vault;

use crate::commands::{note, print};
use crate::error::CliError;
use crate::organize::confirmed;

/// `backup folder PATH|off`: sets (then makes a backup, copied there at once) or clears the
/// second backup folder.
pub fn folder(dir: &Path, vault: &Vault, folder: Option<&Path>) -> Result<(), CliError> {
    let backup_dir = vault.backup_dir();
    let mut status = BackupStatus::load(&backup_dir);
    let Some(folder) = folder else {
        status.set_second_folder(None);
        status
            .save(&backup_dir)
            .map_err(|error| not_saved(&backup_dir, error))?;
        return print("Backups are no longer copied to a second folder.\n");
    };
    let folder = backup::status::check_second_folder(dir, folder).map_err(CliError::Input)?;
    status.set_second_folder(Some(folder.clone()));
    status
        .save(&backup_dir)
        .map_err(|error| not_saved(&backup_dir, error))?;
    vault
        .backup_now()
        .map_err(|error| CliError::from_vault(error, dir))?;
    let status = BackupStatus::load(&backup_dir);
    match (
        &status.second_folder_problem,
        &status.second_folder_verified,
    ) {
        (None, Some(copy)) => print(&format!(
            "Backups are now copied to {} too; the first copy, {}, verified.\n",
            folder.display(),
            copy.file.display()
        )),
        (Some(problem), _) => Err(CliError::Input(format!(
            "{} is set as the second backup folder, but the first copy failed: {}",
            folder.display(),
            problem.why
        ))),
        (None, None) => print(&format!(
            "Backups are now copied to {} too.\n",
            folder.display()
        )),
    }
}

/// `backup reminder on|off`.
pub fn reminder(vault: &Vault, on: bool) -> Result<(), CliError> {
    let backup_dir = vault.backup_dir();
    let mut status = BackupStatus::load(&backup_dir);
    let answer = if on {
        ReminderAnswer::On
    } else {
        ReminderAnswer::Off
    };
    status.answer_reminder(backup::now(), answer);
    status
        .save(&backup_dir)
        .map_err(|error| not_saved(&backup_dir, error))?;
    print(if on {
        "The monthly reminder to copy a backup off this computer is on (it shows only while no second folder is set).\n"
    } else {
        "The monthly reminder to copy a backup off this computer is off.\n"
    })
}

/// `backup kit -o FILE [--with-secrets] [--yes]`: the emergency kit, 0600, never over an
/// existing file. With secrets it is announced and confirmed as a plain export is.
pub fn kit(
    dir: &Path,
    output: &Path,
    with_secrets: bool,
    yes: bool,
    open: impl FnOnce() -> Result<Vault, CliError>,
) -> Result<(), CliError> {
    let paths = [output.to_path_buf()];
    files::check_free(&paths, false).map_err(|error| CliError::Input(error.to_string()))?;
    let vault = open()?;
    let page = kit::for_vault(&vault, with_secrets, backup::now())
        .map_err(|error| CliError::from_vault(error, dir))?;
    if with_secrets {
        note(&format!(
            "warning: {} will hold every account's secret key and recovery codes in clear: anyone who can read it can sign in as you. Print it, keep the paper safe, and delete the file.",
            output.display()
        ));
        if !yes && !confirmed(&format!("Write {}?", output.display()))? {
            return print("Nothing was written.\n");
        }
    }
    files::write_all(&paths, &[page.as_slice()], false)
        .map_err(|error| CliError::Input(error.to_string()))?;
    print(&format!(
        "Wrote the emergency kit to {}{}.\n",
        output.display(),
        if with_secrets {
            ", with every account's secrets"
        } else {
            " (no secret in it)"
        }
    ))
}

/// The lines `backup list` prints under its table; warnings start with `warning:`.
pub fn status_lines(backup_dir: &Path) -> String {
    let status = BackupStatus::load(backup_dir);
    let mut text = String::new();
    match &status.last_verified {
        Some(verified) => text.push_str(&format!(
            "Last verified backup: {} UTC, {} ({})\n",
            format_utc(verified.time),
            accounts(verified.accounts),
            verified.file.display()
        )),
        None => text.push_str("Last verified backup: none yet\n"),
    }
    if let Some(unverified) = &status.unverified {
        text.push_str(&format!(
            "warning: the newest backup, made {} UTC, did not verify ({}); it was set aside as {}.\n",
            format_utc(unverified.time),
            unverified.why,
            unverified.file.display()
        ));
    }
    match (&status.second_folder, &status.second_folder_problem) {
        (None, _) => text.push_str("Second folder: none (ringlet-cli backup folder PATH)\n"),
        (Some(folder), None) => {
            text.push_str(&format!("Second folder: {}", folder.display()));
            if let Some(copy) = &status.second_folder_verified {
                text.push_str(&format!(
                    ", last copy verified {} UTC",
                    format_utc(copy.time)
                ));
            }
            text.push('\n');
        }
        (Some(folder), Some(problem)) => text.push_str(&format!(
            "warning: the second folder {} has not received a backup since {} UTC: {}\n",
            folder.display(),
            format_utc(problem.since),
            problem.why
        )),
    }
    if status.reminder_due(backup::now()) {
        text.push_str("reminder: copy a backup somewhere off this computer (a USB stick, another disk), or set a second folder with `ringlet-cli backup folder PATH`.\n");
    }
    text
}

fn not_saved(backup_dir: &Path, error: std::io::Error) -> CliError {
    CliError::Input(format!(
        "Could not save the backup settings in {}: {error}",
        backup_dir.display()
    ))
}

fn accounts(n: usize) -> String {
    format!("{n} account{}", if n == 1 { "" } else { "s" })
}
