//! What can go wrong with a vault, in words a person can act on.
//!
//! No variant carries a secret, a key, an issuer or an account name: only record ids
//! (random, not secret), paths and descriptions written by this module.

use std::fmt::{self, Write};
use std::io;

use crate::keyring::KeyringError;
use crate::model::AccountId;

use super::{HEADER_FILE, INDEX_FILE, RECORDS_DIR};

/// Everything [`Vault`](super::Vault) operations can fail with.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The password does not open any key slot of the vault.
    #[error("Wrong password.")]
    WrongPassword,
    /// The vault's files failed an integrity check or cannot be read as a vault;
    /// [`Damage`] says which part and how.
    #[error("The vault is damaged: {0}.")]
    Damaged(Damage),
    /// Another `Vault` (in this or another process) holds the vault open.
    #[error(
        "The vault is in use by another Ringlet process (the app or ringlet-cli). Close it and try again."
    )]
    InUse,
    /// There is no vault in the folder (no header file).
    #[error("There is no vault in this folder.")]
    NotFound,
    /// `create` was asked to make a vault where one already exists.
    #[error("A vault already exists in this folder.")]
    AlreadyExists,
    /// The vault was written by a later version of Ringlet, in a format this one cannot
    /// read: nothing is opened or rewritten.
    #[error(
        "This vault was written by a newer version of Ringlet (vault format {0}); this version reads formats 1 and 2. Update Ringlet to open it. Nothing was changed."
    )]
    NewerFormat(u16),
    /// The account's record was written by a later version of Ringlet: this one shows
    /// what it knows of it but does not rewrite it, so nothing that version stored is lost.
    #[error(
        "Account {0} was saved by a newer version of Ringlet. Update Ringlet to change it; this version leaves it as it is."
    )]
    NewerRecord(AccountId),
    /// No account with this id is stored in the vault.
    #[error("No account with id {0} is stored in the vault.")]
    AccountNotFound(AccountId),
    /// Quick unlock (the keyring slot) did not give the data key, or could not be turned on.
    #[error("Quick unlock did not work: {0} Your password still opens the vault.")]
    QuickUnlock(#[from] KeyringError),
    /// A backup just written did not read back as the vault it was made from; it was set
    /// aside as `*.rbak.unverified`.
    #[error("The backup just written did not read back ({0}); it was set aside as .unverified, and your vault is unchanged. Check the disk, then back up again.")]
    BackupNotVerified(String),
    /// The operating system refused a read or a write.
    #[error("Could not read or write the vault's files: {0}")]
    Io(#[from] io::Error),
    /// Something that cannot fail did (the system's random number generator, encryption,
    /// serialising an account): a bug or a broken system, not the person's doing.
    #[error("Something went wrong inside Ringlet: {0}. Nothing was changed.")]
    Internal(&'static str),
}

impl From<Damage> for VaultError {
    fn from(damage: Damage) -> Self {
        VaultError::Damaged(damage)
    }
}

/// What is damaged in a vault, and how. Each sentence follows "The vault is damaged: ".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Damage {
    #[error(
        "its header ({HEADER_FILE}) is missing, and without it the records cannot be decrypted"
    )]
    MissingHeader,
    #[error("the header failed its checksum (the file was altered or truncated)")]
    HeaderChecksum,
    #[error("the header failed its integrity check")]
    HeaderMac,
    /// The password slot does not open with the password that opens the vault's newest
    /// backup of the same key: the slot was altered, the password is not forgotten.
    #[error("its header's password slot was altered: the password you typed opens the vault's newest backup, but not the vault")]
    HeaderSlot,
    #[error("the header has format version {0}, which this version of Ringlet cannot read")]
    HeaderVersion(u16),
    /// The header's layout is wrong; the text says how ("has no password slot", …).
    #[error("the header {0}")]
    HeaderLayout(&'static str),
    /// The index names a later key epoch than the header: the header is an old copy (from
    /// before a password change), and what it opens is not the vault's current key.
    #[error(
        "its header is older than its records (it was rolled back or replaced by a copy from before a password change)"
    )]
    HeaderRolledBack,
    #[error("the header holds a key of the wrong size")]
    KeyLength,
    #[error("the record database ({RECORDS_DIR}) is missing")]
    MissingDatabase,
    #[error("the record database belongs to another vault")]
    ForeignDatabase,
    #[error("the record database does not name its vault")]
    UnnamedDatabase,
    /// The storage engine's own report; the text says what it found.
    #[error("the record database {0}")]
    Database(&'static str),
    #[error("the record index ({INDEX_FILE}) is missing")]
    MissingIndex,
    #[error("the record index failed its integrity check (the file was altered or truncated)")]
    IndexMac,
    #[error("the record index belongs to another vault")]
    ForeignIndex,
    /// The index's layout is wrong; the text says how ("lists a record twice", …).
    #[error("the record index {0}")]
    IndexLayout(&'static str),
    /// Records lost, altered or rolled back, or unknown to the index.
    #[error("the record database does not match its index: {0}")]
    RecordsMismatch(RecordsMismatch),
    #[error("record {0} failed its integrity check")]
    RecordUnreadable(AccountId),
    #[error("record {0} could not be decoded")]
    RecordUndecodable(AccountId),
    #[error("a record has a malformed id")]
    MalformedRecordId,
    /// A file ends early; the text names it ("the header", "the record index").
    #[error("{0} is truncated")]
    Truncated(&'static str),
    /// A file is larger than any of its kind can be; the text names it.
    #[error("the {0} is too large")]
    TooLarge(&'static str),
}

/// How the records stored differ from what the index says was last written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecordsMismatch {
    /// Listed by the index, gone from the database.
    pub lost: Vec<AccountId>,
    /// Present, but not the version last written (altered or rolled back).
    pub altered: Vec<AccountId>,
    /// In the database, unknown to the index.
    pub unknown: Vec<AccountId>,
}

/// How many record ids a message names before "and N more".
const NAMED_IDS: usize = 5;

impl fmt::Display for RecordsMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if !self.lost.is_empty() {
            parts.push(format!(
                "{} lost (the index lists {} that the record database no longer holds: {})",
                plural(self.lost.len(), "record was", "records were"),
                if self.lost.len() == 1 { "it" } else { "them" },
                name_ids(&self.lost)
            ));
        }
        if !self.altered.is_empty() {
            parts.push(format!(
                "{} not the one{} last written (altered or rolled back: {})",
                plural(self.altered.len(), "record is", "records are"),
                if self.altered.len() == 1 { "" } else { "s" },
                name_ids(&self.altered)
            ));
        }
        if !self.unknown.is_empty() {
            parts.push(format!(
                "{} not in the index ({})",
                plural(self.unknown.len(), "record is", "records are"),
                name_ids(&self.unknown)
            ));
        }
        f.write_str(&parts.join("; "))
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn name_ids(ids: &[AccountId]) -> String {
    let mut out = String::new();
    for (i, id) in ids.iter().take(NAMED_IDS).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{id}");
    }
    if ids.len() > NAMED_IDS {
        let _ = write!(out, " and {} more", ids.len() - NAMED_IDS);
    }
    out
}
