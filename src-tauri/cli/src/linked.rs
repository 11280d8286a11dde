//! `linked add|list|rename|remove|copy`: folders where a phone's authenticator drops its
//! backups (`ringlet_core::linked`), on the command line. The accounts they hold are read
//! each time, never stored, unless copied into the vault; `code QUERY` finds them too.

use std::io::{self, IsTerminal};
use std::path::Path;

use ringlet_core::linked::{self, LinkedError, LinkedGroup};
use ringlet_core::search::{self, Searchable};
use ringlet_core::vault::{backup::format_utc, Vault};
use ringlet_core::{Account, OtpKind};
use zeroize::Zeroizing;

use crate::args::LinkedAction;
use crate::commands::{note, print};
use crate::error::CliError;
use crate::output;
use crate::password;

pub fn run(
    dir: &Path,
    action: &LinkedAction,
    open: impl FnOnce() -> Result<Vault, CliError>,
) -> Result<(), CliError> {
    match action {
        LinkedAction::Add {
            folder,
            name,
            import_password_file,
        } => {
            // Read first: a password file that cannot be read stops before the vault is opened.
            let given = import_password_file
                .as_deref()
                .map(password::from_file)
                .transpose()?;
            let vault = open()?;
            let added = match linked::add(
                &vault,
                folder,
                name.as_deref(),
                given.as_deref().map(Vec::as_slice),
            ) {
                Err(LinkedError::NeedsPassword { format }) if given.is_none() => {
                    let typed = ask_password(folder, format)?;
                    linked::add(&vault, folder, name.as_deref(), Some(&typed))
                }
                other => other,
            };
            let group = added.map_err(|e| linked_error(e, dir))?;
            print(&format!(
                "Linked \"{}\" ({}): {}.\n",
                output::printable(&group.link.name),
                group.link.folder.display(),
                in_use(&group)
            ))
        }
        LinkedAction::List => {
            let vault = open()?;
            let groups = LinkedGroup::load_all(&vault, None).map_err(|e| linked_error(e, dir))?;
            if groups.is_empty() {
                return print("No linked folder. Add one with `ringlet-cli linked add FOLDER`.\n");
            }
            let mut out = String::new();
            for group in &groups {
                out.push_str(&format!(
                    "Linked: {} ({})\n  {}\n",
                    output::printable(&group.link.name),
                    group.link.folder.display(),
                    in_use(group)
                ));
                if let Some(error) = &group.error {
                    out.push_str(&format!("  problem: {}\n", output::printable(error)));
                }
                for skipped in &group.skipped {
                    out.push_str(&format!(
                        "  note: {}\n",
                        output::printable(&skipped.to_string())
                    ));
                }
                for account in group.accounts() {
                    out.push_str(&format!(
                        "  {:<6} {}\n",
                        account.otp.kind.name(),
                        output::label(account)
                    ));
                }
            }
            print(&out)
        }
        LinkedAction::Rename { name, new_name } => {
            let link = linked::rename(dir, name, new_name).map_err(|e| linked_error(e, dir))?;
            print(&format!(
                "Renamed to \"{}\".\n",
                output::printable(&link.name)
            ))
        }
        LinkedAction::Remove { name } => {
            let link = linked::remove(dir, name).map_err(|e| linked_error(e, dir))?;
            print(&format!(
                "Removed the link to {} (the folder and its files are left as they are).\n",
                link.folder.display()
            ))
        }
        LinkedAction::Copy { query } => {
            let vault = open()?;
            let groups = LinkedGroup::load_all(&vault, None).map_err(|e| linked_error(e, dir))?;
            let Some((_, account)) = find_linked(&groups, query)? else {
                return Err(CliError::Input(format!(
                    "No linked account matches \"{}\".",
                    output::printable(query)
                )));
            };
            let id = linked::copy_into_vault(&vault, &account).map_err(|e| linked_error(e, dir))?;
            note(&format!(
                "Copied {} into the vault.",
                output::label(&account)
            ));
            print(&format!("{id}\n"))
        }
    }
}

/// "aegis-backup-20260101.json, updated 2026-01-01 10:00:00 UTC, 12 accounts", or why none is read.
fn in_use(group: &LinkedGroup) -> String {
    match &group.backup {
        Some(backup) => format!(
            "{}, updated {} UTC, {} account{}{}",
            output::printable(&backup.file),
            format_utc(backup.modified_ms / 1000),
            backup.accounts.len(),
            if backup.accounts.len() == 1 { "" } else { "s" },
            match backup.problems {
                0 => String::new(),
                n => format!(
                    " ({n} entr{} could not be read)",
                    if n == 1 { "y" } else { "ies" }
                ),
            }
        ),
        None => "no backup read".to_owned(),
    }
}

fn ask_password(folder: &Path, format: &str) -> Result<Zeroizing<Vec<u8>>, CliError> {
    if !io::stdin().is_terminal() {
        return Err(CliError::Input(format!(
            "The newest backup in {} is an encrypted {format}: give its password with --import-password-file FILE, or run ringlet-cli on a terminal to type it.",
            folder.display()
        )));
    }
    let typed = rpassword::prompt_password(format!(
        "Password of the {format} in {}: ",
        folder.display()
    ))
    .map_err(|error| CliError::Input(format!("Cannot read the password: {error}")))?;
    Ok(Zeroizing::new(typed.into_bytes()))
}

fn linked_error(error: LinkedError, dir: &Path) -> CliError {
    match error {
        LinkedError::Vault(error) => CliError::from_vault(error, dir),
        error => CliError::Input(error.to_string()),
    }
}

/// The one linked account `query` names (as `code` finds the vault's): the group's name
/// with it, or `None` when none matches.
pub fn find_linked(
    groups: &[LinkedGroup],
    query: &str,
) -> Result<Option<(String, Account)>, CliError> {
    let all: Vec<(&LinkedGroup, &Account)> = groups
        .iter()
        .flat_map(|group| group.accounts().iter().map(move |account| (group, account)))
        .collect();
    let found = search::SearchIndex::new(
        all.iter()
            .enumerate()
            .map(|(place, (_, account))| (place, Searchable::of_account(account))),
    )
    .find(query);
    let Some(chosen) = crate::commands::one_of(&found, query, "linked accounts", |place| {
        output::label(all[place].1)
    })?
    else {
        return Ok(None);
    };
    let (group, account) = all[chosen];
    Ok(Some((group.link.name.clone(), account.clone())))
}

/// `code QUERY` for a linked account: TOTP and Steam computed here; HOTP refused, as its
/// counter lives on the phone.
pub fn check_can_show(group: &str, account: &Account) -> Result<(), CliError> {
    if matches!(account.otp.kind, OtpKind::Hotp { .. }) {
        return Err(CliError::Input(format!(
            "{} is an HOTP account of the linked folder \"{}\": its counter lives on the phone, so Ringlet does not compute its codes. Copy it into the vault (`ringlet-cli linked copy`) to make it Ringlet's own.",
            output::label(account),
            output::printable(group)
        )));
    }
    Ok(())
}
