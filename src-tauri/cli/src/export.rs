//! `export --format ID -o FILE [--export-password-file FILE] [--yes] [--force]`: the vault's
//! accounts written for another app, a printer or a later restore, by the core's
//! exporters ([`ringlet_core::export`]), and the "written" half of `formats`.
//!
//! * A plain export (secrets in clear) is announced on standard error, naming the files
//!   and what anyone who reads them gets, and written only once confirmed: `--yes`, or
//!   `y` on the terminal (as `remove` asks).
//! * An encrypted one takes its own password from the first line of
//!   `--export-password-file`, else asks it twice on the terminal; at least 8 characters,
//!   as a vault password. `--format ringlet` is a Ringlet backup: it opens with the vault's
//!   password, so it takes no export password.
//! * Files are created 0600, atomically; an existing file is kept unless `--force`.
//!   Google Authenticator's codes go to numbered files: `-o codes.png` writes
//!   `codes-1.png`, `codes-2.png`, ….

use std::path::{Path, PathBuf};

use ringlet_core::export::{self, files, ExportError, Protection, Source};
use ringlet_core::vault::Vault;

use crate::args::Export;
use crate::commands::{note, print};
use crate::error::CliError;
use crate::organize::confirmed;
use crate::output;
use crate::password;

pub fn run(
    dir: &Path,
    export: &Export,
    open: impl FnOnce() -> Result<Vault, CliError>,
) -> Result<(), CliError> {
    let format = export::export_by_id(&export.format)
        .ok_or_else(|| CliError::Usage(format!("Unknown export format {:?}.", export.format)))?;
    // Before any password is asked: a name that is taken, or a password file that is
    // missing or too short, stops here.
    let first = files::paths(&export.output, 1, format.is_numbered());
    files::check_free(&first, export.force).map_err(|error| failed(error, dir))?;
    let export_password = match (format.protection(), &export.export_password_file) {
        (Protection::ExportPassword, file) => Some(password::new_export(file.as_deref())?),
        (_, Some(_)) => {
            return Err(CliError::Usage(format!(
                "--export-password-file applies only to the formats encrypted with a password of their own ({}); {}.",
                password_formats().join(", "),
                if format.is_encrypted() {
                    "a ringlet backup opens with the vault's password"
                } else {
                    "this one is not encrypted"
                }
            )))
        }
        (_, None) => None,
    };

    let vault = open()?;
    let source = Source::of(&vault).map_err(|error| CliError::from_vault(error, dir))?;
    let exported = format
        .write(&source, export_password.as_deref().map(Vec::as_slice))
        .map_err(|error| failed(error, dir))?;
    drop(export_password);
    let paths = files::paths(&export.output, exported.files.len(), format.is_numbered());
    files::check_free(&paths, export.force).map_err(|error| failed(error, dir))?;

    for left in &exported.left_out {
        note(&format!(
            "note: left out {}: {}.",
            output::printable(&ringlet_core::model::account_label(
                &left.issuer,
                &left.name
            )),
            left.reason
        ));
    }
    let written = names(&paths);
    let accounts = plural(exported.accounts, "account");
    if !format.is_encrypted() {
        note(&format!(
            "warning: {written} will hold the secret keys of {accounts} in clear ({}): anyone who can read {} can make your codes. Keep {} private, and delete {} once used.",
            format.name(),
            them(&paths, "it", "them"),
            them(&paths, "it", "them"),
            them(&paths, "it", "them"),
        ));
        if !export.yes && !confirmed(&format!("Write {written}?"))? {
            return print("Nothing was written.\n");
        }
    }
    files::write_all(&paths, &exported.files, export.force).map_err(|error| failed(error, dir))?;
    print(&format!("Exported {accounts} to {written}.\n"))
}

/// The ids of the formats that take an export password.
fn password_formats() -> Vec<&'static str> {
    export::EXPORTS
        .iter()
        .filter(|format| format.protection() == Protection::ExportPassword)
        .map(|format| format.id())
        .collect()
}

fn failed(error: ExportError, dir: &Path) -> CliError {
    match error {
        ExportError::Vault(error) => CliError::from_vault(error, dir),
        error => CliError::Input(error.to_string()),
    }
}

/// `out.json`, or `codes-1.png … codes-3.png (3 files)`.
fn names(paths: &[PathBuf]) -> String {
    match paths {
        [one] => one.display().to_string(),
        [first, .., last] => format!(
            "{} … {} ({} files)",
            first.display(),
            last.display(),
            paths.len()
        ),
        [] => "no file".to_owned(),
    }
}

fn them<'a>(paths: &[PathBuf], one: &'a str, many: &'a str) -> &'a str {
    if paths.len() == 1 {
        one
    } else {
        many
    }
}

fn plural(count: usize, noun: &str) -> String {
    format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
}

/// The "written" half of `ringlet-cli formats`.
pub fn written() -> String {
    let mut out = String::from("Written (ringlet-cli export --format NAME -o FILE):\n");
    for format in export::EXPORTS {
        out.push_str(&format!(
            "  {:<17} {}; {}; loses: {}\n",
            format.id(),
            format.name(),
            match format.protection() {
                Protection::Plain => "plain",
                Protection::ExportPassword => "encrypted (--export-password-file)",
                Protection::VaultPassword => "encrypted (the vault password; read by `restore`)",
            },
            format.loses()
        ));
    }
    out
}
