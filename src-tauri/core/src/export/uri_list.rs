//! A text file of `otpauth://` links, one an account and a line, written by Ringlet's own
//! codec ([`crate::otpauth::to_uri`]); the format Ringlet's `otpauth_list` importer, and
//! most authenticator apps, read. A first line starting with `#` says what the file holds
//! (importers skip it).
//!
//! Key URI format: github.com/google/google-authenticator/wiki/Key-Uri-Format. Steam
//! accounts are written as `otpauth://steam/…`, which Ringlet reads back but many apps do
//! not. Lost: tags, notes, pins, icons, recovery codes (a link has no place for them).

use zeroize::Zeroizing;

use super::{ExportError, ExportFormat, Exported, Protection, Source};
use crate::otpauth;

pub struct UriList;

impl ExportFormat for UriList {
    fn id(&self) -> &'static str {
        "uri-list"
    }

    fn name(&self) -> &'static str {
        "otpauth:// links, one a line (plain text)"
    }

    fn protection(&self) -> Protection {
        Protection::Plain
    }

    fn loses(&self) -> &'static str {
        "tags, notes, pins, icons, recovery codes; Steam is Ringlet's otpauth://steam/ form"
    }

    fn write(
        &self,
        source: &Source<'_>,
        _password: Option<&[u8]>,
    ) -> Result<Exported, ExportError> {
        let accounts = source.accounts();
        let mut text = Zeroizing::new(String::with_capacity(128 * (accounts.len() + 1)));
        text.push_str(&format!(
            "# Ringlet: {} account{}, secret keys in clear. Keep this file private.\n",
            accounts.len(),
            if accounts.len() == 1 { "" } else { "s" }
        ));
        for account in &accounts {
            text.push_str(&Zeroizing::new(otpauth::to_uri(account)));
            text.push('\n');
        }
        Ok(Exported {
            files: vec![Zeroizing::new(text.as_bytes().to_vec())],
            accounts: accounts.len(),
            left_out: Vec::new(),
        })
    }
}
