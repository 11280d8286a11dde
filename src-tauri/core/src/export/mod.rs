//! Writing a vault's accounts out for another app, a printer or a later restore: one file
//! per format behind one trait ([`ExportFormat`]), the mirror of [`crate::import`]'s
//! `Format`. Shared by the CLI and, later, the app, so both write files the same way.
//!
//! A format turns the vault's accounts ([`Source`]) into the bytes of one or more files
//! ([`Exported`]) and says which accounts it had to leave out and why (a Steam account in
//! a Google Authenticator code, a label too long for a QR code): it never writes an
//! account that would come back computing other codes. [`files`] puts the bytes on disk,
//! private (0600) and atomically.
//!
//! Every format's header cites its specification and says what is lost; `README.md`
//! has the table. Registering a format: one file in this folder and one line in
//! [`EXPORTS`].

use std::path::PathBuf;

use zeroize::Zeroizing;

use crate::model::{Account, Entry};
use crate::vault::{check_new_password, PasswordTooShort, Vault, VaultError};

mod aegis;
pub mod files;
pub mod google_qr;
pub mod kit;
mod ringlet;
mod sheet;
mod twofas;
mod uri_list;

/// Every format Ringlet writes, in the order `ringlet-cli formats` lists them.
pub static EXPORTS: &[&dyn ExportFormat] = &[
    &ringlet::Ringlet,
    &OneFile {
        about: aegis::PLAIN,
        format: aegis::Aegis,
    },
    &OneFile {
        about: aegis::ENCRYPTED,
        format: aegis::Aegis,
    },
    &OneFile {
        about: twofas::PLAIN,
        format: twofas::TwoFas,
    },
    &OneFile {
        about: twofas::ENCRYPTED,
        format: twofas::TwoFas,
    },
    &OneFile {
        about: uri_list::ABOUT,
        format: uri_list::UriList,
    },
    &google_qr::GoogleQr,
    &OneFile {
        about: sheet::ABOUT,
        format: sheet::Sheet,
    },
];

/// The format whose [`ExportFormat::id`] is `id`.
pub fn export_by_id(id: &str) -> Option<&'static dyn ExportFormat> {
    EXPORTS.iter().copied().find(|format| format.id() == id)
}

/// Every [`ExportFormat::id`], in the order of [`EXPORTS`].
pub fn export_ids() -> Vec<&'static str> {
    EXPORTS.iter().map(|format| format.id()).collect()
}

/// What protects a written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protection {
    /// Nothing: whoever reads the file reads every secret key in it.
    Plain,
    /// A password given for this export (`--export-password-file`, or asked twice),
    /// at least [`crate::vault::MIN_PASSWORD_CHARS`] characters.
    ExportPassword,
    /// The vault's own password, as its backups are (Ringlet's backup format).
    VaultPassword,
}

/// What a format is: what `formats`, the README and the CLI's warnings say of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct About {
    /// A short stable name for the command line (`--format aegis-encrypted`).
    pub id: &'static str,
    /// What people call it: "Aegis vault (JSON), encrypted with a password".
    pub name: &'static str,
    /// What protects the file.
    pub protection: Protection,
    /// What this format cannot carry: "icons, order, recovery codes".
    pub loses: &'static str,
    /// Several files, numbered (Google Authenticator's codes), rather than one.
    pub numbered: bool,
    /// The files' extension, without the dot (`json`, `2fas`): what a save dialog proposes.
    pub extension: &'static str,
}

/// One export format.
pub trait ExportFormat: Sync {
    /// What it is.
    fn about(&self) -> &About;

    /// The files' bytes. `password` is the export password when [`protection`](Self::protection)
    /// is [`Protection::ExportPassword`] (checked here against the vault's floor), else unused.
    fn write(&self, source: &Source<'_>, password: Option<&[u8]>) -> Result<Exported, ExportError>;

    fn id(&self) -> &'static str {
        self.about().id
    }

    fn name(&self) -> &'static str {
        self.about().name
    }

    fn protection(&self) -> Protection {
        self.about().protection
    }

    /// True when the file is encrypted (with an export password or the vault's).
    fn is_encrypted(&self) -> bool {
        self.protection() != Protection::Plain
    }

    fn loses(&self) -> &'static str {
        self.about().loses
    }

    fn is_numbered(&self) -> bool {
        self.about().numbered
    }
}

/// A format that is one file made from the accounts alone: all but Ringlet's backup (the
/// vault's own bytes) and Google's codes (several files).
pub(crate) trait AccountsFile: Sync {
    /// The file; `password` is given (already checked) when the format is encrypted.
    fn file(
        &self,
        accounts: &[&Account],
        password: Option<&[u8]>,
    ) -> Result<Zeroizing<Vec<u8>>, ExportError>;
}

/// An [`AccountsFile`] and what it is: plain, or encrypted with an export password.
pub(crate) struct OneFile<F> {
    pub about: About,
    pub format: F,
}

impl<F: AccountsFile> ExportFormat for OneFile<F> {
    fn about(&self) -> &About {
        &self.about
    }

    fn write(&self, source: &Source<'_>, password: Option<&[u8]>) -> Result<Exported, ExportError> {
        let password = match self.about.protection {
            Protection::ExportPassword => Some(export_password(password)?),
            Protection::Plain | Protection::VaultPassword => None,
        };
        let accounts = source.accounts();
        Ok(Exported {
            files: vec![self.format.file(&accounts, password)?],
            accounts: accounts.len(),
            left_out: Vec::new(),
        })
    }
}

/// What is exported: an unlocked vault and its accounts, read once.
pub struct Source<'a> {
    vault: &'a Vault,
    entries: Vec<Entry>,
}

impl<'a> Source<'a> {
    /// Every account of `vault` (the trash is not exported), in the vault's order.
    pub fn of(vault: &'a Vault) -> Result<Source<'a>, VaultError> {
        Ok(Source {
            entries: vault.entries()?,
            vault,
        })
    }

    pub fn accounts(&self) -> Vec<&Account> {
        self.entries.iter().map(|entry| &entry.account).collect()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub(crate) fn vault(&self) -> &Vault {
        self.vault
    }
}

/// What a format wrote.
#[derive(Debug, Default)]
pub struct Exported {
    /// One file's bytes, or several for a numbered format; wiped when dropped (plain
    /// exports hold every secret).
    pub files: Vec<Zeroizing<Vec<u8>>>,
    /// How many accounts the files hold.
    pub accounts: usize,
    /// The accounts the format could not carry, and why; not in the files.
    pub left_out: Vec<LeftOut>,
}

/// An account a format could not carry: its labels and why. Never a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    pub issuer: String,
    pub name: String,
    pub reason: &'static str,
}

impl LeftOut {
    pub(crate) fn new(account: &Account, reason: &'static str) -> LeftOut {
        LeftOut {
            issuer: account.issuer.clone(),
            name: account.name.clone(),
            reason,
        }
    }
}

/// Why an export could not be made or written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("This format is encrypted with a password of its own, and none was given.")]
    PasswordMissing,
    #[error(transparent)]
    PasswordTooShort(#[from] PasswordTooShort),
    #[error("{0}")]
    Vault(#[from] VaultError),
    #[error("None of the vault's accounts can be written in this format ({0}).")]
    NothingToExport(&'static str),
    #[error("{} already exists; Ringlet does not overwrite a file unless asked to (--force).", .0.display())]
    Exists(PathBuf),
    #[error("{} could not be written: {error}", .path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("The export could not be made: {0}.")]
    Internal(&'static str),
}

/// The export password of a format protected by one: given, and long enough.
pub(crate) fn export_password(password: Option<&[u8]>) -> Result<&[u8], ExportError> {
    let password = password.ok_or(ExportError::PasswordMissing)?;
    check_new_password(password)?;
    Ok(password)
}

/// `len` bytes from the system's secure random source.
pub(crate) fn random<const LEN: usize>() -> Result<[u8; LEN], ExportError> {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; LEN];
    ring::rand::SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| ExportError::Internal("the system's random source failed"))?;
    Ok(bytes)
}

/// A random (version 4) UUID, as Aegis and 2FAS name entries and groups.
pub(crate) fn uuid_v4() -> Result<String, ExportError> {
    let mut b = random::<16>()?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex = data_encoding::HEXLOWER.encode(&b);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    ))
}

/// The distinct `tags`, in the order they first appear, each with a fresh UUID: the
/// groups of Aegis and 2FAS.
pub(crate) fn tag_groups<'t>(
    tags: impl IntoIterator<Item = &'t String>,
) -> Result<Vec<(String, String)>, ExportError> {
    let mut groups: Vec<(String, String)> = Vec::new();
    for tag in tags {
        if !groups.iter().any(|(_, name)| name == tag) {
            groups.push((uuid_v4()?, tag.clone()));
        }
    }
    Ok(groups)
}

/// The UUID of the group named `tag` in `groups`.
pub(crate) fn group_id<'g>(groups: &'g [(String, String)], tag: &str) -> Option<&'g str> {
    groups
        .iter()
        .find(|(_, name)| name == tag)
        .map(|(id, _)| id.as_str())
}

/// `value` as pretty JSON (as Aegis and 2FAS write theirs), in a buffer wiped when dropped.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<Zeroizing<Vec<u8>>, ExportError> {
    let mut out = Zeroizing::new(Vec::with_capacity(4096));
    serde_json::to_writer_pretty(&mut *out, value)
        .map_err(|_| ExportError::Internal("the accounts could not be written as JSON"))?;
    Ok(out)
}

/// A secret key in Base32 without padding, wiped when dropped.
pub(crate) fn base32(account: &Account) -> Zeroizing<String> {
    Zeroizing::new(data_encoding::BASE32_NOPAD.encode(account.otp.secret.expose()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_every_format_says_what_it_loses() {
        let ids = export_ids();
        for (i, id) in ids.iter().enumerate() {
            assert!(!ids[..i].contains(id), "{id} twice");
            assert_eq!(export_by_id(id).map(|f| f.id()), Some(*id));
        }
        assert_eq!(
            ids,
            [
                "ringlet",
                "aegis",
                "aegis-encrypted",
                "twofas",
                "twofas-encrypted",
                "uri-list",
                "google-qr",
                "sheet"
            ]
        );
        for format in EXPORTS {
            assert!(!format.loses().is_empty(), "{}", format.id());
            assert_eq!(
                format.is_encrypted(),
                format.id() == "ringlet" || format.id().ends_with("-encrypted"),
                "{}",
                format.id()
            );
        }
    }

    #[test]
    fn uuids_are_version_4_and_differ() {
        let (a, b) = (uuid_v4().unwrap(), uuid_v4().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
    }

    #[test]
    fn a_short_or_missing_export_password_is_refused() {
        assert!(matches!(
            export_password(None),
            Err(ExportError::PasswordMissing)
        ));
        assert!(matches!(
            export_password(Some(b"seven77")),
            Err(ExportError::PasswordTooShort(_))
        ));
        assert!(export_password(Some(b"eight888")).is_ok());
    }
}
