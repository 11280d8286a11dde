//! The emergency kit: a printable page for the day this computer is gone. It says where
//! the vault and its backups are, how to restore one with Ringlet and with `ringlet-cli`,
//! and leaves lines to write the vault's password by hand (never printed by Ringlet).
//! Optionally — only after the password is typed again, behind a plain warning — it also
//! carries every account's card as the printable sheet prints it (QR code, key) and the
//! account's recovery codes, so the paper alone restores everything.
//!
//! It is the printable sheet's page ([`super::sheet`]): the same head (no script, no
//! outside resource), style, cards and escaping; only the first part is the kit's own.
//! Not an export format: without secrets it holds no account, so it is not listed in
//! `formats` and no importer reads it back.

use std::fmt::Write as _;
use std::path::Path;

use zeroize::Zeroizing;

use super::sheet::{card, escape, line, open_page};
use crate::model::{Account, RecoveryCodes};
use crate::vault::backup::{format_utc, status::BackupStatus};
use crate::vault::{Vault, VaultError};

/// What the kit's first part says: where things are, and when the kit was made.
pub struct KitFacts<'a> {
    pub vault_dir: &'a Path,
    pub backup_dir: &'a Path,
    pub second_folder: Option<&'a Path>,
    /// Unix seconds.
    pub made: u64,
}

const KIT_STYLE: &str = "\
.facts dt{font-weight:bold;margin-top:.4em}.facts dd{margin:0 0 0 1em;font:10pt ui-monospace,monospace;overflow-wrap:anywhere}
.blank{border-bottom:1px solid #000;height:2.2em;margin:0 0 .2em}
ol li{margin:.25em 0}
code{font:10pt ui-monospace,monospace;overflow-wrap:anywhere}
.codes{font:10pt ui-monospace,monospace;columns:2;margin-top:.4em}
.used{text-decoration:line-through;color:#666}
h2{font-size:13pt;margin:1.2em 0 .4em}
";

/// The kit of the open `vault` made at `made` (Unix seconds); with every account's
/// secrets and recovery codes when `with_secrets` (the caller has asked for the password
/// again).
pub fn for_vault(
    vault: &Vault,
    with_secrets: bool,
    made: u64,
) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let backup_dir = vault.backup_dir();
    let status = BackupStatus::load(&backup_dir);
    let facts = KitFacts {
        vault_dir: vault.dir(),
        backup_dir: &backup_dir,
        second_folder: status.second_folder.as_deref(),
        made,
    };
    if !with_secrets {
        return Ok(page(&facts, None));
    }
    let mut accounts = Vec::new();
    for entry in vault.entries()? {
        let codes = vault.recovery_codes(entry.id)?;
        accounts.push((entry.account, codes));
    }
    Ok(page(&facts, Some(&accounts)))
}

/// The page: facts and steps, then, when given, each account with its recovery codes.
pub fn page(facts: &KitFacts, secrets: Option<&[(Account, RecoveryCodes)]>) -> Zeroizing<Vec<u8>> {
    let mut html = Zeroizing::new(String::with_capacity(
        8192 + 7000 * secrets.map_or(0, <[_]>::len),
    ));
    open_page(&mut html, "Ringlet emergency kit", KIT_STYLE);
    let _ = writeln!(
        html,
        "<p>Made {} (UTC). Print it and keep the paper where you would look if this computer were lost or broken.</p>",
        format_utc(facts.made)
    );
    if let Some(accounts) = secrets {
        let _ = writeln!(
            html,
            "<p class=\"warning\">This page holds the secret keys and recovery codes of {} account{}: whoever sees it can sign in as you. Print it, keep the paper somewhere safe, and delete this file.</p>",
            accounts.len(),
            if accounts.len() == 1 { "" } else { "s" }
        );
    }
    html.push_str("<dl class=\"facts\">\n");
    fact(&mut html, "The vault", facts.vault_dir);
    fact(&mut html, "Its backups", facts.backup_dir);
    if let Some(second) = facts.second_folder {
        fact(&mut html, "Copies of the backups", second);
    }
    html.push_str("</dl>\n<h2>The vault's password</h2>\n<p>Write it by hand; Ringlet never prints it. Every backup opens with the password the vault had when it was made.</p>\n");
    html.push_str("<div class=\"blank\"></div><div class=\"blank\"></div>\n");
    html.push_str("<h2>To restore with Ringlet</h2>\n<ol>\n<li>Install Ringlet and create a vault (any password for now).</li>\n<li>Copy the newest <code>ringlet-…rbak</code> file from a backup folder above (or from a copy you keep) into the new vault's <code>backups</code> folder.</li>\n<li>Open Settings → Backups, choose that backup, Restore, and type the password written above.</li>\n</ol>\n");
    html.push_str("<h2>To restore with ringlet-cli</h2>\n<ol>\n<li><code>ringlet-cli restore FILE.rbak</code> makes a vault from the backup when there is none (its password is the backup's), or adds the missing accounts to the vault there is.</li>\n<li>A vault that no longer opens: <code>ringlet-cli recover FILE.rbak</code> moves it aside (nothing is deleted) and rebuilds it from the backup.</li>\n</ol>\n");
    if let Some(accounts) = secrets {
        html.push_str("<h2>Accounts</h2>\n<div class=\"cards\">\n");
        for (account, codes) in accounts {
            card(&mut html, account);
            recovery_codes(&mut html, codes);
            html.push_str("</section>\n");
        }
        html.push_str("</div>\n");
    }
    html.push_str("</body>\n</html>\n");
    Zeroizing::new(html.as_bytes().to_vec())
}

fn fact(html: &mut String, term: &str, path: &Path) {
    let _ = writeln!(
        html,
        "<dt>{}</dt><dd>{}</dd>",
        escape(term),
        escape(&path.display().to_string())
    );
}

/// An account's recovery codes, the used ones struck through.
fn recovery_codes(html: &mut String, codes: &RecoveryCodes) {
    if codes.codes.is_empty() {
        return;
    }
    line(html, "extra", "Recovery codes:");
    html.push_str("<div class=\"codes\">\n");
    for code in &codes.codes {
        let class = if code.used { " class=\"used\"" } else { "" };
        let _ = writeln!(html, "<div{class}>{}</div>", escape(&code.code));
    }
    html.push_str("</div>\n");
}
