//! Turning a file a person hands us into accounts, one file per format behind one trait
//! ([`Format`]), as GNOME Authenticator's `backup/` does. Shared by the desktop app and
//! the CLI so both read files the same way.
//!
//! A format is recognised from the file's bytes, never from its name. It asks for a
//! password only when the file is encrypted ([`Opened::NeedsPassword`]). It reports a
//! problem per entry and keeps going: one bad entry never fails the whole file.
//!
//! This module only parses; [`plan`] marks duplicates and commits what the person chose
//! to the vault in one change.
//!
//! Registering a format: one file in this folder and one line in [`FORMATS`].

use std::fmt;
use std::io::Read;
use std::path::Path;

use zeroize::Zeroizing;

use crate::model::Account;
use crate::otpauth::UriError;
use crate::qr::{self, QrError};

mod aegis;
mod andotp;
mod authenticator_plus;
mod authy;
pub mod batch;
mod battle_net;
mod bitwarden;
pub(crate) mod cipher;
mod duo;
mod ente;
mod entry;
mod freeotp_backup;
mod freeotp_plus;
mod freeotp_xml;
#[cfg(fuzzing)]
pub mod fuzzing;
pub mod google_authenticator;
mod google_authenticator_db;
mod google_batches;
pub mod kdf;
mod lastpass;
mod link;
mod microsoft_authenticator;
mod otpauth_list;
pub mod plan;
mod prefs;
mod protobuf;
mod proton;
mod qr_image;
mod redact;
mod sqlite;
mod steam;
mod stratum;
mod stratum_db;
mod totp_authenticator;
mod twofas;
mod winauth;
mod zip;

pub use entry::EntryError;
pub use google_authenticator::{ExportPart, MigrationEntryError, MigrationError};
pub use link::read_link;
pub use plan::{Candidate, CommitReport, ImportPlan, SourceError};

/// Every format Ringlet reads, tried in this order; the first that recognises a file's
/// bytes reads it. Recognisers do not overlap (a test holds them to it); the SQLite
/// databases first (a signature, then the tables they hold), the otpauth list after the
/// formats whose files hold links (Ente's, WinAuth's), then the two with no signature: TOTP
/// Authenticator's backup (bare Base64) and andOTP's encrypted file, last.
pub static FORMATS: &[&dyn Format] = &[
    &qr_image::QrImage,
    &google_authenticator_db::GoogleAuthenticatorDb,
    &microsoft_authenticator::MicrosoftAuthenticator,
    &stratum_db::StratumDb,
    &aegis::Aegis,
    &twofas::TwoFas,
    &stratum::Stratum,
    &bitwarden::BitwardenJson,
    &bitwarden::BitwardenCsv,
    &proton::Proton,
    &lastpass::LastPass,
    &steam::Steam,
    &freeotp_plus::FreeOtpPlus,
    &freeotp_xml::FreeOtpXml,
    &freeotp_backup::FreeOtpBackup,
    &authy::Authy,
    &battle_net::BattleNet,
    &totp_authenticator::TotpAuthenticatorSettings,
    &andotp::AndOtpJson,
    &duo::Duo,
    &authenticator_plus::AuthenticatorPlus,
    &winauth::WinAuthZip,
    &ente::Ente,
    &ente::EnteEncrypted,
    &winauth::WinAuthText,
    &otpauth_list::OtpauthList,
    &totp_authenticator::TotpAuthenticator,
    &andotp::AndOtpEncrypted,
];

/// Every [`Format::id`], once each, in the order of [`FORMATS`].
pub fn format_ids() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = Vec::new();
    for format in FORMATS {
        if !ids.contains(&format.id()) {
            ids.push(format.id());
        }
    }
    ids
}

/// The format whose [`Format::id`] is `id`.
pub fn format_by_id(id: &str) -> Option<&'static dyn Format> {
    FORMATS.iter().copied().find(|format| format.id() == id)
}

/// The largest file read for import: the QR decoder's cap, since screenshots are the biggest input.
pub const MAX_FILE_BYTES: u64 = qr::MAX_FILE_BYTES;

/// Most entries (accounts and problems) one import may hold: far above anyone's account
/// count, it bounds the work and the confirmation list a hostile file can cause.
pub const MAX_ENTRIES: usize = 10_000;

/// One import format.
pub trait Format: Sync {
    /// What people call it: "QR code image", "Aegis backup".
    fn name(&self) -> &'static str;

    /// A short stable name for the command line (`--format aegis`): lower case, no spaces.
    /// Formats that share an id are one family (Bitwarden's JSON and CSV).
    fn id(&self) -> &'static str;

    /// True when `bytes` are a file of this format. Cheap: it looks, it does not read.
    fn recognises(&self, bytes: &[u8]) -> bool;

    /// True when this file (already recognised) needs a password to be read.
    fn is_encrypted(&self, _bytes: &[u8]) -> bool {
        false
    }

    /// Every entry of the file. `password` is given when [`is_encrypted`](Self::is_encrypted).
    fn read(&self, bytes: &[u8], password: Option<&[u8]>) -> Result<Contents, ImportError>;
}

/// What a file gave.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Contents {
    /// Accounts and per-entry problems, in file order.
    pub items: Vec<Item>,
    /// For exports that span several files or codes (Google Authenticator's): which parts
    /// this file holds, so that an import can say which are still missing.
    pub parts: Vec<ExportPart>,
}

impl Contents {
    /// How many entries this holds, against [`MAX_ENTRIES`].
    pub fn entry_count(&self) -> usize {
        self.items.len()
    }

    /// Adds `more` after what this holds.
    pub fn append(&mut self, more: Contents) {
        self.items.extend(more.items);
        self.parts.extend(more.parts);
    }
}

/// The outcome of opening a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    Read(Contents),
    /// The file is encrypted: ask the person for its password and open it again.
    NeedsPassword {
        format: &'static str,
    },
}

/// One entry of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A valid account, ready for confirmation.
    Account(Account),
    /// An entry that cannot be imported, and why.
    Problem(Problem),
}

/// An entry that cannot be imported. Never holds a secret: labels and the reason only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based place in its file of the text the entry came from (a QR code, a line).
    pub item: usize,
    /// The entry's issuer and name, where they could be read (empty otherwise).
    pub issuer: String,
    pub name: String,
    pub cause: Cause,
}

/// Why an entry cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    /// An `otpauth://` link that could not be used.
    InvalidLink(UriError),
    /// A text that is not an authenticator code at all: what kind of text it is ("a web
    /// address") and a short preview with what may be secret hidden (see `redact.rs`);
    /// never the text itself.
    NotAuthenticator { kind: &'static str, preview: String },
    /// A Google Authenticator export code that could not be read at all. Its text is not
    /// kept: it may hold secrets.
    InvalidExport(MigrationError),
    /// One account of a Google Authenticator export code, in `part` of its export.
    ExportEntry {
        part: ExportPart,
        error: MigrationEntryError,
    },
    /// An entry of another app's file (Aegis, 2FAS, …) that cannot be used.
    InvalidEntry(EntryError),
}

impl fmt::Display for Problem {
    /// The sentence shown beside the entry in the app's confirmation list.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.cause {
            Cause::InvalidLink(error) => write!(f, "{error}"),
            Cause::NotAuthenticator { kind, preview } if preview.is_empty() => {
                write!(f, "Not an authenticator code: {kind}")
            }
            Cause::NotAuthenticator { kind, preview } => {
                write!(f, "Not an authenticator code: {kind} ({preview})")
            }
            Cause::InvalidExport(error) => write!(f, "{error}"),
            Cause::ExportEntry { error, .. } => write!(f, "{error}"),
            Cause::InvalidEntry(error) => write!(f, "{error}"),
        }
    }
}

/// Why a whole file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Qr(#[from] QrError),
    #[error("The file could not be read: {0}")]
    Io(#[from] std::io::Error),
    #[error("The file is larger than {} MiB; Ringlet does not import files that big.", MAX_FILE_BYTES / (1024 * 1024))]
    TooLarge,
    #[error("This file is neither an image with a QR code, a text file of otpauth:// links nor an export Ringlet reads from another authenticator app.")]
    NotRecognised,
    #[error("No QR code was found in this image.")]
    NothingFound,
    #[error("This holds more than {MAX_ENTRIES} entries; Ringlet imports at most {MAX_ENTRIES} at a time. Split it into smaller files.")]
    TooManyEntries,
    #[error("The password is wrong for this {format}.")]
    WrongPassword { format: &'static str },
    #[error("This file asks for more key-derivation work than Ringlet allows ({limit}), so it was not opened. The apps that write such files stay far below this.")]
    KdfOverLimit { limit: String },
    #[error("This file's key-derivation settings cannot be used: {reason}.")]
    KdfUnusable { reason: String },
    #[error("This {format} is damaged or incomplete: {reason}.")]
    Damaged {
        format: &'static str,
        reason: &'static str,
    },
    /// A file of a known kind that Ringlet cannot read, and why (a sentence).
    #[error("{reason}")]
    CannotRead {
        format: &'static str,
        reason: &'static str,
    },
    #[error("This file is not of the kind chosen ({format}).")]
    NotThisFormat { format: &'static str },
}

/// Reads a file (at most [`MAX_FILE_BYTES`]) and opens it with [`open_bytes`].
pub fn open_file(path: &Path, password: Option<&[u8]>) -> Result<Opened, ImportError> {
    open_bytes(&read_file(path)?, password)
}

/// The bytes of `path`, at most [`MAX_FILE_BYTES`], wiped when dropped: a plain export
/// holds secrets.
fn read_file(path: &Path) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge);
    }
    Ok(bytes)
}

/// Finds the format of `bytes` and reads them. An encrypted file without `password` is
/// [`Opened::NeedsPassword`]. Bytes no format recognises are [`ImportError::NotRecognised`];
/// more than [`MAX_ENTRIES`] entries is [`ImportError::TooManyEntries`].
pub fn open_bytes(bytes: &[u8], password: Option<&[u8]>) -> Result<Opened, ImportError> {
    let Some(format) = FORMATS
        .iter()
        .copied()
        .find(|format| format.recognises(bytes))
    else {
        // An app's database copied while the app was writing it, or cut short by a copy:
        // say what is wrong with it rather than that it is unknown.
        return Err(match sqlite::damage(bytes) {
            Some(error) => ImportError::Damaged {
                format: "SQLite database",
                reason: error.reason(),
            },
            None => ImportError::NotRecognised,
        });
    };
    open_as(format, bytes, password)
}

/// [`open_bytes`] with the format chosen by the person (`--format`): bytes it does not
/// recognise are [`ImportError::NotThisFormat`].
pub fn open_bytes_as(
    format: &dyn Format,
    bytes: &[u8],
    password: Option<&[u8]>,
) -> Result<Opened, ImportError> {
    if !format.recognises(bytes) {
        return Err(ImportError::NotThisFormat {
            format: format.name(),
        });
    }
    open_as(format, bytes, password)
}

/// [`open_file`] with the format chosen by the person.
pub fn open_file_as(
    format: &dyn Format,
    path: &Path,
    password: Option<&[u8]>,
) -> Result<Opened, ImportError> {
    open_bytes_as(format, &read_file(path)?, password)
}

fn open_as(
    format: &dyn Format,
    bytes: &[u8],
    password: Option<&[u8]>,
) -> Result<Opened, ImportError> {
    let password = if format.is_encrypted(bytes) {
        match password {
            Some(password) => Some(password),
            None => {
                return Ok(Opened::NeedsPassword {
                    format: format.name(),
                })
            }
        }
    } else {
        None
    };
    let contents = format.read(bytes, password)?;
    if contents.entry_count() > MAX_ENTRIES {
        return Err(ImportError::TooManyEntries);
    }
    Ok(Opened::Read(contents))
}

/// [`open_bytes`] for bytes that are known not to be encrypted (a pasted link or image).
pub fn read_bytes(bytes: &[u8]) -> Result<Contents, ImportError> {
    match open_bytes(bytes, None)? {
        Opened::Read(contents) => Ok(contents),
        Opened::NeedsPassword { .. } => Err(ImportError::NotRecognised),
    }
}

/// `The secret key is empty.` → `the secret key is empty`: a sentence made to follow a
/// colon inside another one.
pub fn as_clause(sentence: &str) -> String {
    let sentence = sentence.trim_end_matches('.');
    let mut chars = sentence.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A text that is not an authenticator code, as a problem may name it.
fn not_authenticator(text: &str) -> Cause {
    let described = redact::describe(text);
    Cause::NotAuthenticator {
        kind: described.kind,
        preview: described.preview,
    }
}

#[cfg(test)]
mod recognition_tests;

#[cfg(test)]
mod tests {
    use super::*;

    fn contents(bytes: &[u8]) -> Contents {
        read_bytes(bytes).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_file_of_more_than_max_entries_links_is_refused() {
        let line = "otpauth://totp/Many:me?secret=JBSWY3DPEHPK3PXP\n";
        let at_limit = line.repeat(MAX_ENTRIES);
        assert_eq!(contents(at_limit.as_bytes()).entry_count(), MAX_ENTRIES);
        let over = format!("# comments and blank lines are not entries\n\n{at_limit}{line}");
        assert!(matches!(
            read_bytes(over.as_bytes()),
            Err(ImportError::TooManyEntries)
        ));
        assert!(ImportError::TooManyEntries
            .to_string()
            .contains("at most 10000 at a time"));
    }

    #[test]
    fn text_that_is_not_a_uri_is_reported_as_such() {
        let found = read_link("https://example.com/reset?token=abc", 1);
        let [Item::Problem(problem)] = found.items.as_slice() else {
            panic!("expected one problem: {found:?}");
        };
        assert_eq!(
            problem.cause,
            Cause::NotAuthenticator {
                kind: "a web address",
                preview: "https://example.com/…".into()
            }
        );
        assert_eq!(
            problem.to_string(),
            "Not an authenticator code: a web address (https://example.com/…)"
        );
        assert!(!format!("{found:?}").contains("token"));
    }

    #[test]
    fn long_text_is_shortened_on_a_char_boundary() {
        let long = "é".repeat(500);
        let found = read_link(&long, 1);
        let [Item::Problem(Problem {
            cause: Cause::NotAuthenticator { kind, preview },
            ..
        })] = found.items.as_slice()
        else {
            panic!("expected NotAuthenticator: {found:?}");
        };
        assert_eq!(*kind, "text");
        assert!(preview.chars().count() <= 41, "{preview}");
        assert!(preview.ends_with('…'));
    }

    #[test]
    fn comments_and_blank_lines_are_skipped() {
        let found =
            contents(b"# exported\n\n   \nhello\notpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP\n");
        assert_eq!(found.items.len(), 2);
        assert!(matches!(&found.items[0], Item::Problem(p) if p.item == 1));
    }

    #[test]
    fn text_without_any_otpauth_line_is_not_recognised() {
        let json = b"{\n  \"version\": 1,\n  \"entries\": []\n}\n";
        assert!(matches!(read_bytes(json), Err(ImportError::NotRecognised)));
        assert!(matches!(
            read_bytes(b"# only a comment\n\n"),
            Err(ImportError::NotRecognised)
        ));
        assert!(matches!(
            read_bytes(b"hello\nworld\n"),
            Err(ImportError::NotRecognised)
        ));
    }

    #[test]
    fn a_byte_order_mark_does_not_hide_the_first_line() {
        let text = "\u{feff}otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP\n";
        let found = contents(text.as_bytes());
        assert!(
            matches!(found.items.as_slice(), [Item::Account(_)]),
            "{found:?}"
        );
    }

    #[test]
    fn migration_exports_are_read() {
        // From dim13/otpauth's migration/convert_test.go: Example:alice@google.com.
        let found = read_link(
            " otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC\n",
            1,
        );
        let [Item::Account(account)] = found.items.as_slice() else {
            panic!("expected one account: {found:?}");
        };
        assert_eq!(account.issuer, "Example");
        assert_eq!(account.name, "alice@google.com");
        assert_eq!(found.parts.len(), 1);
        assert_eq!(found.parts[0].batch_size, 1);
    }

    #[test]
    fn broken_migration_exports_are_flagged_without_keeping_their_text() {
        let found = read_link("otpauth-migration://offline?data=CjEKCkhlbGxvId", 1);
        let [Item::Problem(problem)] = found.items.as_slice() else {
            panic!("expected one problem: {found:?}");
        };
        assert_eq!(
            problem.cause,
            Cause::InvalidExport(MigrationError::NotBase64)
        );
        assert!(!format!("{found:?}").contains("CjEK"));
        assert!(!problem.to_string().contains("CjEK"));
    }

    #[test]
    fn random_bytes_are_not_recognised() {
        assert!(matches!(
            read_bytes(&[0xff, 0x00, 0x13, 0x37]),
            Err(ImportError::NotRecognised)
        ));
    }

    #[test]
    fn formats_are_recognised_by_content_not_name() {
        let png = qr_png("otpauth://totp/Png:me?secret=JBSWY3DPEHPK3PXP");
        let named: Vec<&str> = FORMATS
            .iter()
            .filter(|format| format.recognises(&png))
            .map(|format| format.name())
            .collect();
        assert_eq!(named, ["QR code image"]);
        let read = contents(&png);
        let [Item::Account(account)] = read.items.as_slice() else {
            panic!("the PNG's code was not read: {read:?}");
        };
        assert_eq!(account.issuer, "Png");
    }

    #[test]
    fn an_image_without_a_code_says_so() {
        let blank = image::GrayImage::from_pixel(64, 64, image::Luma([255]));
        let mut png = Vec::new();
        let encoded = blank.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png);
        assert!(encoded.is_ok());
        assert!(matches!(read_bytes(&png), Err(ImportError::NothingFound)));
    }

    /// A PNG of `link`'s QR code, drawn by the reveal window's renderer.
    fn qr_png(link: &str) -> Vec<u8> {
        let account = crate::otpauth::parse(link).unwrap_or_else(|e| panic!("{e}"));
        let revealed = crate::reveal::Revealed::new(&account).unwrap_or_else(|e| panic!("{e}"));
        let (pixels, side) = revealed.grey_pixels(4);
        let side = u32::try_from(side).unwrap_or_else(|e| panic!("{e}"));
        let picture = image::GrayImage::from_raw(side, side, pixels.to_vec())
            .unwrap_or_else(|| panic!("the pixels fit the picture"));
        let mut png = Vec::new();
        picture
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap_or_else(|e| panic!("{e}"));
        png
    }
}
