//! Turning a file a person hands us into accounts: QR images and text files of
//! `otpauth://` URIs. Shared by the desktop app and the CLI so both read files the same way.
//!
//! This module only parses; storing is the vault's job. Later format importers
//! (Aegis, 2FAS, …) plug in here as one module per format.

use std::io::Read;
use std::path::Path;

use crate::migration::{self, MigrationBatch, MigrationError};
use crate::model::Account;
use crate::qr::{self, QrError};
use crate::uri::{self, UriError};

/// The largest file read for import: the QR decoder's cap, since screenshots are the biggest input.
pub const MAX_FILE_BYTES: u64 = qr::MAX_FILE_BYTES;

/// Most entries (accounts, export-code accounts, problems, other lines) one import may hold:
/// far above anyone's account count, it bounds the work and the confirmation list a
/// hostile file can cause.
pub const MAX_ENTRIES: usize = 10_000;

/// Longest text shown back to a person for something that is not an authenticator code.
const MAX_SHOWN_TEXT: usize = 120;

/// One thing found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A valid account, ready for confirmation.
    Account(Account),
    /// An `otpauth://` URI that could not be used, with the reason.
    Invalid(UriError),
    /// A QR code or line that is not an authenticator code at all; `text` is shortened for display.
    NotOtp { text: String },
    /// One Google Authenticator export code (`otpauth-migration://`), with its accounts
    /// (each usable or with its own problem) and its place among the export's codes;
    /// group several with [`migration::merge`] or [`migration::progress`].
    Migration(MigrationBatch),
    /// An `otpauth-migration://` export code that could not be read at all, with the reason.
    /// Its text is not kept: it may hold secrets.
    InvalidMigration(MigrationError),
    /// An authenticator format Ringlet does not read yet. Its text is not kept: it may hold secrets.
    Unsupported { what: &'static str },
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Qr(#[from] QrError),
    #[error("The file could not be read: {0}")]
    Io(#[from] std::io::Error),
    #[error("The file is larger than {} MiB; Ringlet does not import files that big.", MAX_FILE_BYTES / (1024 * 1024))]
    TooLarge,
    #[error("This file is neither an image with a QR code nor a text file of otpauth:// links.")]
    NotRecognised,
    #[error("This holds more than {MAX_ENTRIES} entries; Ringlet imports at most {MAX_ENTRIES} at a time. Split it into smaller files.")]
    TooManyEntries,
}

/// Reads a file (at most [`MAX_FILE_BYTES`]) and scans it with [`scan_bytes`].
pub fn scan_file(path: &Path) -> Result<Vec<Found>, ImportError> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge);
    }
    scan_bytes(&bytes)
}

/// Images are decoded for QR codes (an empty list: no QR code in the image); UTF-8 text is
/// read as one URI a line. Text with no `otpauth` line at all (another app's JSON export,
/// say) is [`ImportError::NotRecognised`], not one complaint per line.
/// More than [`MAX_ENTRIES`] entries is [`ImportError::TooManyEntries`].
pub fn scan_bytes(bytes: &[u8]) -> Result<Vec<Found>, ImportError> {
    if image::guess_format(bytes).is_ok() {
        let texts = qr::decode(bytes)?;
        let found = texts.iter().map(|text| classify(text)).collect();
        return within_limit(found);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| ImportError::NotRecognised)?;
    let found = scan_text(text)?;
    if found
        .iter()
        .all(|item| matches!(item, Found::NotOtp { .. }))
    {
        return Err(ImportError::NotRecognised);
    }
    Ok(found)
}

/// One URI a line; a byte-order mark, blank lines and `#` comments are skipped. More than
/// [`MAX_ENTRIES`] entries is refused before any line past the limit is parsed.
pub fn scan_text(text: &str) -> Result<Vec<Found>, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let found = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .take(MAX_ENTRIES + 1)
        .map(classify)
        .collect();
    within_limit(found)
}

/// How many entries `found` holds: one per item, an export code's accounts each.
pub fn entry_count(found: &[Found]) -> usize {
    found
        .iter()
        .map(|item| match item {
            Found::Migration(batch) => batch.entries.len().max(1),
            _ => 1,
        })
        .sum()
}

fn within_limit(found: Vec<Found>) -> Result<Vec<Found>, ImportError> {
    if entry_count(&found) > MAX_ENTRIES {
        return Err(ImportError::TooManyEntries);
    }
    Ok(found)
}

/// Decides what one decoded text is.
pub fn classify(text: &str) -> Found {
    let trimmed = text.trim();
    if migration::is_migration(trimmed) {
        return match migration::parse(trimmed) {
            Ok(batch) => Found::Migration(batch),
            Err(error) => Found::InvalidMigration(error),
        };
    }
    if !trimmed.to_ascii_lowercase().starts_with("otpauth://") {
        return Found::NotOtp {
            text: shorten(trimmed),
        };
    }
    match uri::parse(trimmed) {
        Ok(account) => Found::Account(account),
        Err(error) => Found::Invalid(error),
    }
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(MAX_SHOWN_TEXT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_of_more_than_max_entries_links_is_refused() {
        let line = "otpauth://totp/Many:me?secret=JBSWY3DPEHPK3PXP\n";
        let at_limit = line.repeat(MAX_ENTRIES);
        let found = scan_bytes(at_limit.as_bytes()).map(|found| entry_count(&found));
        assert_eq!(found.ok(), Some(MAX_ENTRIES));
        let over = format!("# comments and blank lines are not entries\n\n{at_limit}{line}");
        assert!(matches!(
            scan_bytes(over.as_bytes()),
            Err(ImportError::TooManyEntries)
        ));
        assert!(ImportError::TooManyEntries
            .to_string()
            .contains("at most 10000 at a time"));
    }

    #[test]
    fn text_that_is_not_a_uri_is_reported_as_such() {
        assert_eq!(
            classify("https://example.com"),
            Found::NotOtp {
                text: "https://example.com".into()
            }
        );
    }

    #[test]
    fn long_text_is_shortened_on_a_char_boundary() {
        let long = "é".repeat(500);
        let Found::NotOtp { text } = classify(&long) else {
            panic!("expected NotOtp");
        };
        assert_eq!(text.chars().count(), MAX_SHOWN_TEXT + 1);
        assert!(text.ends_with('…'));
    }

    #[test]
    fn comments_and_blank_lines_are_skipped() {
        let found = scan_text("# exported\n\n   \nhello\n").map(|found| found.len());
        assert_eq!(found.ok(), Some(1));
    }

    #[test]
    fn text_without_any_otpauth_line_is_not_recognised() {
        let json = b"{\n  \"version\": 1,\n  \"entries\": []\n}\n";
        assert!(matches!(scan_bytes(json), Err(ImportError::NotRecognised)));
        assert!(matches!(
            scan_bytes(b"# only a comment\n\n"),
            Err(ImportError::NotRecognised)
        ));
    }

    #[test]
    fn a_byte_order_mark_does_not_hide_the_first_line() {
        let text = "\u{feff}otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP\n";
        let found = scan_bytes(text.as_bytes()).unwrap_or_default();
        assert!(matches!(found.as_slice(), [Found::Account(_)]), "{found:?}");
    }

    #[test]
    fn migration_exports_are_read() {
        // From dim13/otpauth's migration/convert_test.go: Example:alice@google.com.
        let found = classify(
            " otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC\n",
        );
        let Found::Migration(batch) = found else {
            panic!("expected a migration batch: {found:?}");
        };
        let accounts: Vec<&Account> = batch.accounts().collect();
        assert_eq!(accounts.len(), 1);
        assert_eq!(accounts[0].issuer, "Example");
        assert_eq!(accounts[0].name, "alice@google.com");
    }

    #[test]
    fn broken_migration_exports_are_flagged_without_keeping_their_text() {
        let found = classify("otpauth-migration://offline?data=CjEKCkhlbGxvId");
        assert!(
            matches!(found, Found::InvalidMigration(MigrationError::NotBase64)),
            "{found:?}"
        );
        assert!(!format!("{found:?}").contains("CjEK"));
        assert!(!found_text(&found).contains("CjEK"));
    }

    fn found_text(found: &Found) -> String {
        match found {
            Found::InvalidMigration(error) => error.to_string(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn random_bytes_are_not_recognised() {
        assert!(matches!(
            scan_bytes(&[0xff, 0x00, 0x13, 0x37]),
            Err(ImportError::NotRecognised)
        ));
    }
}
