//! A text file of `otpauth://` links, one an account and a line, written by Ringlet's own
//! codec ([`crate::otpauth::to_uri`]); the format Ringlet's `otpauth_list` importer, and
//! most authenticator apps, read. A first line starting with `#` says what the file holds
//! (importers skip it).
//!
//! Key URI format: github.com/google/google-authenticator/wiki/Key-Uri-Format. Steam
//! accounts are written as `otpauth://steam/…`, which Ringlet reads back but many apps do
//! not. Lost: tags, notes, pins, icons, recovery codes, clock offsets (a link has no place
//! for them).

use zeroize::Zeroizing;

use super::{About, AccountsFile, ExportError, Protection};
use crate::model::Account;
use crate::otpauth;

pub struct UriList;

pub const ABOUT: About = About {
    id: "uri-list",
    name: "otpauth:// links, one a line (plain text)",
    protection: Protection::Plain,
    loses: "tags, notes, pins, icons, recovery codes, clock offsets; Steam is Ringlet's otpauth://steam/ form",
    numbered: false,
    extension: "txt",
};

impl AccountsFile for UriList {
    fn file(
        &self,
        accounts: &[&Account],
        _password: Option<&[u8]>,
    ) -> Result<Zeroizing<Vec<u8>>, ExportError> {
        let mut text = Zeroizing::new(String::with_capacity(128 * (accounts.len() + 1)));
        text.push_str(&format!(
            "# Ringlet: {} account{}, secret keys in clear. Keep this file private.\n",
            accounts.len(),
            if accounts.len() == 1 { "" } else { "s" }
        ));
        for account in accounts {
            text.push_str(&Zeroizing::new(otpauth::to_uri(account)));
            text.push('\n');
        }
        Ok(Zeroizing::new(text.as_bytes().to_vec()))
    }
}
