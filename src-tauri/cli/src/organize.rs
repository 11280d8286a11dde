//! `edit`, `remove` and `trash`: what is shown of an account, and the trash a removed one
//! waits in for 30 days. The rules are the core's (`ringlet_core::edit`, `Vault::trash`).

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::Path;

use ringlet_core::edit::AccountEdit;
use ringlet_core::model::TRASH_DAYS;
use ringlet_core::otp::now_ms;
use ringlet_core::vault::{Vault, VaultError};

use crate::commands::{find_one, print};
use crate::error::CliError;
use crate::output;

pub fn edit(vault: &Vault, dir: &Path, query: &str, changes: &AccountEdit) -> Result<(), CliError> {
    let vault_error = |error| CliError::from_vault(error, dir);
    let entry = find_one(vault.entries().map_err(vault_error)?, query)?;
    let edited = changes
        .apply(&entry.account)
        .map_err(|error| CliError::Input(error.to_string()))?;
    vault.update(entry.id, &edited).map_err(vault_error)?;
    print(&format!("Changed {}.\n", output::label(&edited)))
}

pub fn remove(vault: &Vault, dir: &Path, query: &str, yes: bool) -> Result<(), CliError> {
    let vault_error = |error| CliError::from_vault(error, dir);
    purge_expired(vault, dir)?;
    let entry = find_one(vault.entries().map_err(vault_error)?, query)?;
    let label = output::label(&entry.account);
    if !yes && !confirmed(&format!("Move {label} to the trash?"))? {
        return print("Nothing was changed.\n");
    }
    vault.move_to_trash(entry.id).map_err(vault_error)?;
    print(&format!(
        "Moved {label} to the trash. It stays there {TRASH_DAYS} days; `ringlet-cli trash restore` brings it back.\n"
    ))
}

pub fn list(vault: &Vault, dir: &Path) -> Result<(), CliError> {
    purge_expired(vault, dir)?;
    let trash = vault
        .trash()
        .map_err(|error| CliError::from_vault(error, dir))?;
    if trash.is_empty() {
        return print("The trash is empty.\n");
    }
    let now = now_ms();
    let mut out = String::new();
    for entry in &trash {
        let left = Vault::trash_days_left(entry, now);
        let days = if left == 1 { "day" } else { "days" };
        out.push_str(&format!(
            "{}  {}  ({left} {days} left)\n",
            &entry.id.to_string()[..output::SHORT_ID],
            output::label(&entry.account)
        ));
    }
    print(&out)
}

pub fn restore(vault: &Vault, dir: &Path, query: &str) -> Result<(), CliError> {
    let vault_error = |error| CliError::from_vault(error, dir);
    let entry = find_one(vault.trash().map_err(vault_error)?, query)?;
    vault.restore_from_trash(entry.id).map_err(vault_error)?;
    print(&format!("Restored {}.\n", output::label(&entry.account)))
}

pub fn empty(vault: &Vault, dir: &Path, yes: bool) -> Result<(), CliError> {
    let vault_error = |error: VaultError| CliError::from_vault(error, dir);
    let count = vault.trash().map_err(vault_error)?.len();
    if count == 0 {
        return print("The trash is empty.\n");
    }
    let noun = if count == 1 { "account" } else { "accounts" };
    if !yes && !confirmed(&format!("Remove {count} {noun} for good?"))? {
        return print("Nothing was changed.\n");
    }
    let removed = vault.empty_trash(now_ms(), true).map_err(vault_error)?;
    print(&format!("Removed {removed} {noun} for good.\n"))
}

/// What has been in the trash 30 days goes for good whenever the trash is looked at.
fn purge_expired(vault: &Vault, dir: &Path) -> Result<(), CliError> {
    vault
        .empty_trash(now_ms(), false)
        .map(drop)
        .map_err(|error| CliError::from_vault(error, dir))
}

/// Asks `question` on the terminal; without one, `--yes` is the only way to say yes.
pub(crate) fn confirmed(question: &str) -> Result<bool, CliError> {
    if !io::stdin().is_terminal() {
        return Err(CliError::Input(format!(
            "{question} Add --yes to confirm when not on a terminal."
        )));
    }
    eprint!("{question} [y/N] ");
    let _ = io::stderr().flush();
    let mut answer = String::new();
    io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|error| CliError::Input(format!("Cannot read the answer: {error}")))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}
