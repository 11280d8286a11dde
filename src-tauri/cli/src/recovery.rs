//! `recovery QUERY add FILE|-`, `recovery QUERY list`, `recovery QUERY use CODE`: the
//! recovery codes kept with one account, sealed apart from it in the vault. Reading a
//! block of codes in any layout is the core's (`ringlet_core::recovery_codes`).

use std::io::Read;
use std::path::Path;

use zeroize::Zeroizing;

use ringlet_core::recovery_codes::{self, Left};
use ringlet_core::vault::Vault;

use crate::args::RecoveryAction;
use crate::commands::{find_one, print};
use crate::error::CliError;
use crate::output;

/// The longest file of codes read: a page of text.
const MAX_CODES_FILE: u64 = 64 * 1024;

pub fn run(
    vault: &Vault,
    dir: &Path,
    query: &str,
    action: &RecoveryAction,
) -> Result<(), CliError> {
    let vault_error = |error| CliError::from_vault(error, dir);
    let entries = vault.entries().map_err(vault_error)?;
    let entry = find_one(entries, query)?;
    let label = output::label(&entry.account);
    let mut codes = vault.recovery_codes(entry.id).map_err(vault_error)?;
    match action {
        RecoveryAction::List => {
            if codes.codes.is_empty() {
                return print(&format!("{label} has no recovery codes.\n"));
            }
            let mut out = String::new();
            for (place, code) in codes.codes.iter().enumerate() {
                let used = if code.used { "  (used)" } else { "" };
                out.push_str(&format!(
                    "{:>3}. {}{used}\n",
                    place + 1,
                    output::printable(&code.code)
                ));
            }
            out.push_str(&format!("{}.\n", Left(&codes)));
            print(&out)
        }
        RecoveryAction::Add(source) => {
            let text = read_codes(source)?;
            let found = recovery_codes::parse(&text);
            if found.is_empty() {
                return Err(CliError::Input(
                    "No recovery codes found in that text: give one code a line, or codes separated by spaces or commas.".into(),
                ));
            }
            let added = codes.add(&found);
            vault
                .set_recovery_codes(entry.id, &codes)
                .map_err(vault_error)?;
            let noun = if added == 1 { "code" } else { "codes" };
            print(&format!(
                "Added {added} recovery {noun} to {label}: {}.\n",
                Left(&codes)
            ))
        }
        RecoveryAction::Use(code) => {
            codes
                .mark_used(code)
                .map_err(|error| CliError::Input(error.to_string()))?;
            vault
                .set_recovery_codes(entry.id, &codes)
                .map_err(vault_error)?;
            print(&format!("Marked used. {label}: {}.\n", Left(&codes)))
        }
    }
}

/// The text of a file of codes, or of standard input for `-`.
fn read_codes(source: &Path) -> Result<Zeroizing<String>, CliError> {
    let mut text = Zeroizing::new(String::new());
    let read = if source == Path::new("-") {
        std::io::stdin()
            .take(MAX_CODES_FILE)
            .read_to_string(&mut text)
    } else {
        std::fs::File::open(source)
            .and_then(|file| file.take(MAX_CODES_FILE).read_to_string(&mut text))
    };
    read.map_err(|error| {
        CliError::Input(format!(
            "Cannot read the codes from {}: {error}",
            source.display()
        ))
    })?;
    Ok(text)
}
