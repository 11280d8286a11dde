//! `sync join|now|status|leave|remove|new-password`: the core's sync (`ringlet_core::sync`) on the
//! command line. Changes are printed by account label; problems with single files go to
//! standard error as warnings and do not fail the command.

use std::path::Path;

use ringlet_core::sync::{
    self, FolderKind, FolderVault, LocalFolder, SyncError, SyncFolder, SyncReport, SyncState,
    WebDavFolder,
};
use ringlet_core::vault::{backup::format_utc, Vault};

use ringlet_core::keyring::{SecretStore, SystemKeyring};

use crate::args::SyncAction;
use crate::commands::{note, print};
use crate::error::CliError;
use crate::password::{self, Purpose};
use crate::safety::key_change_notes;

/// Runs `action` on the vault in `dir`; `open` opens it (asking for the password).
pub fn run(
    dir: &Path,
    password_file: Option<&Path>,
    action: &SyncAction,
    open: impl FnOnce() -> Result<Vault, CliError>,
) -> Result<(), CliError> {
    let sync_error = |error| sync_error(error, dir);
    match action {
        SyncAction::Join {
            folder,
            name,
            webdav_user,
            webdav_password_file,
        } => {
            let folder = folder_of(
                folder,
                webdav_user.as_deref(),
                webdav_password_file.as_deref(),
            )?;
            join(dir, password_file, folder.as_ref(), name.as_deref(), open)
        }
        SyncAction::Now => {
            let vault = open()?;
            let report = sync::sync_now(&vault).map_err(sync_error)?;
            print_report(&report)
        }
        SyncAction::NewPassword { new_password_file } => {
            let mut vault = open()?;
            let new = password::obtain(new_password_file.as_deref(), Purpose::Open)?;
            // Quick unlock's key (asked only when it is on) wraps the new data key too.
            let keyring = vault
                .has_quick_unlock()
                .then_some(&SystemKeyring as &dyn SecretStore);
            let adopted = sync::adopt_password(&mut vault, &new, keyring);
            drop(new);
            let (change, report) = adopted.map_err(sync_error)?;
            print(&format!(
                "Took the vault's new password: this computer's copy now opens with it only.\n{}",
                key_change_notes(&change)
            ))?;
            print_report(&report)
        }
        SyncAction::Status => status(dir),
        SyncAction::Leave => {
            let vault = open()?;
            sync::leave(&vault).map_err(sync_error)?;
            print("This vault no longer syncs. Its accounts stay here; the sync folder keeps this computer's last copy for the others, which show that it left.\n")
        }
        SyncAction::Remove { device } => {
            let vault = open()?;
            let name = sync::remove_device(&vault, device).map_err(sync_error)?;
            print(&format!(
                "Removed '{name}': its changes are no longer merged here, nor on the computers that sync after this one. It keeps the accounts it already had; change the vault's password (`ringlet-cli passwd`) so that it cannot read what is written from now on.\n"
            ))
        }
    }
}

/// The folder `sync join` names: a WebDAV folder for an `http(s)://` address (its password
/// from `--webdav-password-file` or the terminal, never the command line), else a local one.
fn folder_of(
    folder: &Path,
    webdav_user: Option<&str>,
    webdav_password_file: Option<&Path>,
) -> Result<Box<dyn SyncFolder>, CliError> {
    let address = folder.to_string_lossy();
    if sync::is_webdav_address(&address) {
        let Some(user) = webdav_user else {
            return Err(CliError::Usage(
                "A WebDAV folder needs its user: --webdav-user USER (the password is read from --webdav-password-file FILE, or asked).".to_owned(),
            ));
        };
        // The address is checked before a password is asked for.
        WebDavFolder::new(&address, user, b"").map_err(|e| CliError::Input(e.to_string()))?;
        let password = password::webdav(webdav_password_file, user)?;
        let folder = WebDavFolder::new(&address, user, &password)
            .map_err(|e| CliError::Input(e.to_string()))?;
        return Ok(Box::new(folder));
    }
    if webdav_user.is_some() || webdav_password_file.is_some() {
        return Err(CliError::Usage(
            "--webdav-user and --webdav-password-file apply only to a WebDAV folder (an https:// address).".to_owned(),
        ));
    }
    if !folder.is_dir() {
        return Err(CliError::Input(format!(
            "{} is not a folder. Create it (or let the sync engine create it) first.",
            folder.display()
        )));
    }
    Ok(Box::new(LocalFolder::new(folder)))
}

fn join(
    dir: &Path,
    password_file: Option<&Path>,
    folder: &dyn SyncFolder,
    name: Option<&str>,
    open: impl FnOnce() -> Result<Vault, CliError>,
) -> Result<(), CliError> {
    let shown = folder.display_name();
    let (vault, report, built) = if Vault::has_vault_files(dir) {
        let vault = open()?;
        let report = sync::join(&vault, folder, name).map_err(|e| sync_error(e, dir))?;
        (vault, report, false)
    } else {
        // Nothing here: the folder must hold a vault, before any password is asked.
        if let FolderVault::Empty = sync::inspect(folder).map_err(|e| sync_error(e, dir))? {
            return Err(sync_error(
                SyncError::NothingToJoin {
                    folder: shown.clone(),
                },
                dir,
            ));
        }
        let password = password::obtain(password_file, Purpose::Open)?;
        let joined = sync::join_new(dir, folder, &password, name);
        drop(password);
        let (vault, report) = joined.map_err(|e| sync_error(e, dir))?;
        (vault, report, true)
    };
    let state = SyncState::load(dir).map_err(|e| sync_error(e, dir))?;
    let device = state.map(|s| s.name).unwrap_or_default();
    if built {
        let accounts = vault.entries().map(|e| e.len()).unwrap_or(0);
        print(&format!(
            "Built this computer's copy of the vault from {shown} as '{device}': {accounts} account{}. It opens with the same password.\n",
            if accounts == 1 { "" } else { "s" }
        ))?;
        warn_problems(&report);
        Ok(())
    } else {
        print(&format!(
            "This vault now syncs through {shown} as '{device}'.\n"
        ))?;
        print_report(&report)
    }
}

fn print_report(report: &SyncReport) -> Result<(), CliError> {
    let mut text = String::new();
    for (what, labels) in [
        ("Added", &report.applied.added),
        ("Updated", &report.applied.updated),
        ("Moved to the trash", &report.applied.trashed),
        ("Back from the trash", &report.applied.restored),
        ("Removed for good", &report.applied.removed),
    ] {
        for label in labels {
            text.push_str(&format!("{what}: {label}\n"));
        }
    }
    if text.is_empty() {
        text.push_str("Nothing changed here.\n");
    }
    if report.published {
        text.push_str("Wrote this computer's changes to the sync folder.\n");
    }
    print(&text)?;
    warn_problems(report);
    Ok(())
}

fn warn_problems(report: &SyncReport) {
    for problem in &report.problems {
        note(&format!("warning: {problem}"));
    }
    if let Some(computer) = &report.password_changed_on {
        note(&format!(
            "The vault's password was changed on {computer}: `ringlet-cli sync new-password` takes it on this computer (it asks for the new password)."
        ));
    }
}

fn status(dir: &Path) -> Result<(), CliError> {
    let Some(state) = SyncState::load(dir).map_err(|e| sync_error(e, dir))? else {
        return print("This vault does not sync. `ringlet-cli sync join FOLDER` starts.\n");
    };
    let when = |ms: u64| format_utc(ms / 1000) + " UTC";
    let kind = match (&state.kind, &state.webdav) {
        (FolderKind::WebDav, Some(login)) => format!(" (WebDAV, user {:?})", login.user),
        (FolderKind::WebDav, None) => " (WebDAV)".to_owned(),
        (FolderKind::Local, _) => String::new(),
    };
    let mut text = format!(
        "Sync folder: {}{kind}\nThis computer: '{}'\nLast sync: {}\n",
        state.folder.display(),
        state.name,
        state.last_sync_ms.map_or_else(|| "never".to_owned(), when)
    );
    if state.peers.is_empty() {
        text.push_str("No other computer has written to the folder yet.\n");
    } else {
        text.push_str("Other computers (last wrote):\n");
        for (device, peer) in &state.peers {
            let id = device.to_string();
            let mark = if state.removed.contains(device) {
                " (removed)"
            } else if peer.left {
                " (left)"
            } else {
                ""
            };
            text.push_str(&format!(
                "  '{}'{mark}, {}, id {}\n",
                peer.name,
                when(peer.written_ms),
                &id[..8]
            ));
        }
    }
    for problem in &state.problems {
        text.push_str(&format!("Problem: {problem}\n"));
    }
    if let Some(computer) = &state.password_changed_on {
        text.push_str(&format!(
            "The vault's password was changed on {computer}: `ringlet-cli sync new-password` takes it here.\n"
        ));
    }
    print(&text)
}

fn sync_error(error: SyncError, dir: &Path) -> CliError {
    match error {
        SyncError::Vault(error) => CliError::from_vault(error, dir),
        SyncError::StateDamaged(_) => CliError::Damaged(error.to_string()),
        other => CliError::Input(other.to_string()),
    }
}
