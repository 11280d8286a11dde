//! Encrypted backups: one self-describing file holding every account of a vault, which
//! opens with the vault's password on any machine. The format is documented in
//! `docs/backup-format.md`; in short:
//!
//! ```text
//! "RINGLETB"            8 bytes  magic
//! version = 2           u16      (1: written before vault format v2; still read)
//! vault id              16 bytes  of the vault the backup was made from
//! created               u64      Unix seconds (UTC)
//! account count         u32
//! slot header layout    u16      (not in version 1) the vault header's layout and
//! key epoch             u32      (not in version 1) key epoch, which the slot's AD binds
//! password slot         89 bytes  a copy of the vault's slot: kind = 1, memory_kib,
//!                                 iterations, parallelism (u32), salt (16),
//!                                 nonce ‖ AES-256-GCM(KEK, data key) ‖ tag (60)
//! payload length        u32
//! payload               nonce ‖ AES-256-GCM(backup key, JSON) ‖ tag
//!                       AD = "ringlet/backup" ‖ every byte from the magic to the payload length
//! checksum              32 bytes  SHA-256 of every byte above (tells damage from a wrong password)
//! ```
//!
//! backup key = HKDF-SHA256(salt = vault id, ikm = data key, info = "ringlet v1 backup key");
//! JSON (version 2) = `{"entries": [{"account": Account, "stamp": Stamp, "recovery_codes":
//! RecoveryCodes (when the account has any)}, …]}`, the account and stamp as in a vault
//! record; version 1 held `{"accounts": [Account, …]}`.
//!
//! Backups live in `<vault>/backups/ringlet-YYYYMMDD-HHMMSS.rbak` (UTC; `-2`, `-3`… when
//! two are made within a second) and are rotated by [`RotationPolicy`].

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::crypto::{self, MAC_LEN, SEAL_OVERHEAD};
use super::error::Damage;
use super::files;
use super::format::{
    self, Slot, SlotKind, SALT_LEN, SLOT_KIND_PASSWORD_ARGON2ID, SLOT_PARAMS_LEN, VAULT_ID_LEN,
    WRAPPED_KEY_LEN,
};
use super::kdf::{self, KdfParams};
use super::{Vault, VaultError, BACKUPS_DIR};
use crate::model::{Account, RecoveryCodes, Stamp};
use crate::vault::Restored;

mod calendar;
mod folder;
mod second;
pub mod status;
#[cfg(test)]
mod tests;

pub use self::calendar::{format_utc, now};
use self::folder::free_name;
pub use self::folder::{list, rotate, BackupInfo, RotationPolicy};

const MAGIC: &[u8; 8] = b"RINGLETB";
/// The backup format this code writes; it reads this one and version 1.
pub const BACKUP_VERSION: u16 = 2;
const BACKUP_VERSION_1: u16 = 1;
/// File name extension of backups.
pub const EXTENSION: &str = "rbak";
const NAME_PREFIX: &str = "ringlet-";
const INFO_BACKUP_KEY: &[u8] = b"ringlet v1 backup key";
const AD_PREFIX: &[u8] = b"ringlet/backup";
/// magic ‖ version ‖ vault id ‖ created ‖ account count
const PREFIX_LEN: usize = 8 + 2 + VAULT_ID_LEN + 8 + 4;
/// Largest backup file read (far beyond thousands of accounts).
pub const MAX_BACKUP_LEN: u64 = 64 * 1024 * 1024;

/// What can go wrong reading a backup.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The password does not open the backup (it opens with the password the vault had
    /// when the backup was made).
    #[error("The backup does not open with this password.")]
    WrongPassword,
    /// The file is not a Ringlet backup, was made by a newer version, or is damaged.
    #[error("The backup file is damaged or unreadable: {0}.")]
    Damaged(String),
    /// The file could not be read.
    #[error("Could not read the backup file: {0}")]
    Io(#[from] io::Error),
}

fn damaged(what: impl Into<String>) -> BackupError {
    BackupError::Damaged(what.into())
}

/// One account as a backup keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupEntry {
    pub account: Account,
    /// `None` in a version-1 backup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stamp: Option<Stamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_codes: Option<RecoveryCodes>,
}

impl BackupEntry {
    /// What [`Vault::add_restored`] takes to add it back.
    pub fn restored(&self) -> Restored<'_> {
        Restored {
            account: &self.account,
            stamp: self.stamp.as_ref(),
            recovery_codes: self.recovery_codes.as_ref(),
        }
    }
}

#[derive(Deserialize)]
struct Payload {
    entries: Vec<BackupEntry>,
}

#[derive(Deserialize)]
struct PayloadV1 {
    accounts: Vec<Account>,
}

impl Vault {
    /// The folder of this vault's automatic backups: `<vault>/backups`.
    pub fn backup_dir(&self) -> PathBuf {
        self.dir.join(BACKUPS_DIR)
    }

    /// Writes a backup of every account into `dir` (created 0700 if missing), atomically,
    /// and returns its path. Fails with [`VaultError::Damaged`] when a record does not
    /// open: a backup never holds partial data.
    pub fn write_backup(&self, dir: &Path) -> Result<PathBuf, VaultError> {
        let (bytes, created, count) = self.encode_backup()?;
        files::create_private_dir(dir)?;
        let path = free_name(dir, created);
        files::write_atomically(&path, &bytes)?;
        self.keep_if_verified(path, count)
            .map(|(path, _)| path)
            .map_err(|(_, error)| error)
    }

    /// Reads a backup just written back and opens it before it counts: a backup that would
    /// not restore is never kept as the newest. It is set aside as `.unverified` (not
    /// deleted) for whoever looks into why. `Ok((path, accounts))`, or `Err((where it was
    /// set aside, why))`.
    pub(crate) fn keep_if_verified(
        &self,
        path: PathBuf,
        accounts: usize,
    ) -> Result<(PathBuf, usize), (PathBuf, VaultError)> {
        let verified = self.verify_backup(&path);
        if verified.as_ref().ok() == Some(&accounts) {
            return Ok((path, accounts));
        }
        let why = match verified {
            Ok(count) => format!("it holds {count} accounts instead of {accounts}"),
            Err(error) => error.to_string(),
        };
        let aside = path.with_extension(format!("{EXTENSION}.unverified"));
        let _ = fs::rename(&path, &aside);
        Err((aside, VaultError::BackupNotVerified(why)))
    }

    /// A backup of every account as bytes, opened again with this vault's key before they
    /// are returned (what `export --format ringlet` writes wherever the person asks):
    /// `(bytes, accounts in it)`.
    pub fn backup_bytes(&self) -> Result<(Vec<u8>, usize), VaultError> {
        let (bytes, _, count) = self.encode_backup()?;
        match decode_with_key(&bytes, &self.vault_id, &self.data_key) {
            Some((_, entries)) if entries.len() == count => Ok((bytes, count)),
            Some((_, entries)) => Err(VaultError::BackupNotVerified(format!(
                "it holds {} accounts instead of {count}",
                entries.len()
            ))),
            None => Err(VaultError::BackupNotVerified(
                "it does not open with this vault's key".to_owned(),
            )),
        }
    }

    /// Every account (with its stamp and recovery codes) sealed as a backup: `(bytes,
    /// creation time, accounts in it)`. Fails with [`VaultError::Damaged`] when a record
    /// does not open: a backup never holds partial data.
    fn encode_backup(&self) -> Result<(Vec<u8>, u64, usize), VaultError> {
        let mut entries = Vec::new();
        for entry in self.entries()? {
            // Listed just now: only its codes record is read, not the account again.
            let codes = self.stored_recovery_codes(entry.id)?;
            entries.push(BackupEntry {
                account: entry.account,
                stamp: Some(entry.stamp),
                recovery_codes: (!codes.codes.is_empty()).then_some(codes),
            });
        }
        // The password slot only: a backup must open on a machine without this keyring.
        let slot = self
            .header
            .password_slot()
            .ok_or(Damage::HeaderLayout("holds no password slot"))?;
        let created = now();
        let slot = SlotCopy {
            header_version: self.header.version,
            epoch: self.header.epoch,
            slot,
        };
        let bytes = encode(&self.vault_id, &slot, &self.data_key, created, &entries)?;
        Ok((bytes, created, entries.len()))
    }

    /// Reads the backup at `path` and opens it with this vault's key (no password): how
    /// many accounts it holds. Fails when it was made under another key or is damaged.
    pub fn verify_backup(&self, path: &Path) -> Result<usize, BackupError> {
        let bytes = read_bytes(path)?;
        decode_with_key(&bytes, &self.vault_id, &self.data_key)
            .map(|(_, entries)| entries.len())
            .ok_or_else(|| damaged("it does not open with this vault's key"))
    }

    /// The call to make after a change: writes a backup into [`backup_dir`](Self::backup_dir),
    /// verifies it, rotates that folder with the default [`RotationPolicy`], copies it into
    /// the second folder if one is set, and records all of it in [`status::BackupStatus`].
    /// Returns the new file. A second folder out of reach is recorded, not returned: the
    /// backup itself is made.
    pub fn backup_now(&self) -> Result<PathBuf, VaultError> {
        let dir = self.backup_dir();
        let (bytes, created, count) = self.encode_backup()?;
        files::create_private_dir(&dir)?;
        let path = free_name(&dir, created);
        files::write_atomically(&path, &bytes)?;
        self.after_writing(&dir, path, count, now())
    }

    /// Verifies the backup just written at `path`, then rotates, copies and records (see
    /// [`backup_now`](Self::backup_now)); `now` is Unix seconds.
    pub(crate) fn after_writing(
        &self,
        dir: &Path,
        path: PathBuf,
        count: usize,
        now: u64,
    ) -> Result<PathBuf, VaultError> {
        let mut status = status::BackupStatus::load(dir);
        let kept = self.keep_if_verified(path, count);
        let (path, count) = match kept {
            Ok(kept) => kept,
            Err((aside, error)) => {
                let why = match &error {
                    VaultError::BackupNotVerified(why) => why.clone(),
                    other => other.to_string(),
                };
                status.not_verified(now, aside, why);
                // The warning matters more than the status file: the error is said anyway.
                let _ = status.save(dir);
                return Err(error);
            }
        };
        status.verified(now, count, path.clone());
        folder::rotate_keeping(dir, &RotationPolicy::default(), now, Some(&path))?;
        if let Some(second) = status.second_folder.clone() {
            let copied = self.copy_to_second_folder(&second, &path, count, now);
            status.second_folder_result(now, copied);
        }
        status.save(dir)?;
        Ok(path)
    }
}

/// The slot of the vault a backup is made from, with what its AD needs: the header's
/// layout and key epoch.
pub(crate) struct SlotCopy<'a> {
    pub header_version: u16,
    pub epoch: u32,
    pub slot: &'a Slot,
}

pub(crate) fn encode(
    vault_id: &[u8; VAULT_ID_LEN],
    slot: &SlotCopy,
    data_key: &crypto::Key,
    created: u64,
    entries: &[BackupEntry],
) -> Result<Vec<u8>, VaultError> {
    let mut json = Zeroizing::new(Vec::with_capacity(256 + 1024 * entries.len()));
    #[derive(Serialize)]
    struct PayloadOut<'a> {
        entries: &'a [BackupEntry],
    }
    serde_json::to_writer(&mut *json, &PayloadOut { entries })
        .map_err(|_| VaultError::Internal("the accounts could not be serialised"))?;
    let payload_len = u32::try_from(json.len() + SEAL_OVERHEAD)
        .map_err(|_| VaultError::Internal("too many accounts for one backup"))?;
    let head_len = head_len(BACKUP_VERSION);
    let mut out = Vec::with_capacity(head_len + json.len() + SEAL_OVERHEAD + MAC_LEN);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&BACKUP_VERSION.to_be_bytes());
    out.extend_from_slice(vault_id);
    out.extend_from_slice(&created.to_be_bytes());
    out.extend_from_slice(
        &u32::try_from(entries.len())
            .unwrap_or(u32::MAX)
            .to_be_bytes(),
    );
    out.extend_from_slice(&slot.header_version.to_be_bytes());
    out.extend_from_slice(&slot.epoch.to_be_bytes());
    out.extend_from_slice(&slot.slot.params_bytes());
    out.extend_from_slice(&slot.slot.wrapped_key);
    out.extend_from_slice(&payload_len.to_be_bytes());
    let key = crypto::derive_subkey(data_key, vault_id, INFO_BACKUP_KEY);
    let sealed = crypto::seal(&key, &payload_ad(&out), &json)?;
    out.extend_from_slice(&sealed);
    let checksum = crypto::sha256(&out);
    out.extend_from_slice(&checksum);
    Ok(out)
}

fn payload_ad(head: &[u8]) -> Vec<u8> {
    let mut ad = AD_PREFIX.to_vec();
    ad.extend_from_slice(head);
    ad
}

/// Reads the backup at `path` with `password` and returns its accounts.
pub fn read(path: &Path, password: &[u8]) -> Result<Vec<BackupEntry>, BackupError> {
    decode(&read_bytes(path)?, password)
}

pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>, BackupError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    fs::File::open(path)?
        .take(MAX_BACKUP_LEN + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_BACKUP_LEN {
        return Err(damaged("the file is too large to be a Ringlet backup"));
    }
    Ok(bytes)
}

/// Opens backup bytes with `password` (see [`read`]).
pub fn decode(bytes: &[u8], password: &[u8]) -> Result<Vec<BackupEntry>, BackupError> {
    let head = parse_head(bytes)?;
    let ad = format::slot_ad(&head.vault_id, head.header_version, head.epoch, &head.slot);
    let data_key =
        match kdf::unwrap_with_password(&head.slot.kdf, password, &head.slot.salt, |kek| {
            crypto::open(kek, &ad, &head.slot.wrapped_key)
        }) {
            kdf::Unwrapped::Opened { value, .. } => value,
            kdf::Unwrapped::WrongPassword => return Err(BackupError::WrongPassword),
            kdf::Unwrapped::UnusableParams => {
                return Err(damaged("its key-derivation parameters are out of range"))
            }
        };
    let data_key =
        super::to_key(&data_key).map_err(|_| damaged("it holds a key of the wrong size"))?;
    open_payload(bytes, &head, &data_key)
}

/// True when `password` opens the newest backup in `backup_dir` made under the key of epoch
/// `epoch` of vault `vault_id`: what tells a damaged password slot from a forgotten
/// password. Only a backup of the same epoch is asked, since every password change moves
/// the epoch on, so an old password that opens an older backup proves nothing. One key
/// derivation at most.
pub(crate) fn newest_slot_opens(
    backup_dir: &Path,
    vault_id: &[u8; VAULT_ID_LEN],
    epoch: u32,
    password: &[u8],
) -> bool {
    let newest_of_this_key = list(backup_dir)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|info| read_bytes(&info.path).ok())
        .filter_map(|bytes| parse_head(&bytes).ok())
        .find(|head| head.vault_id == *vault_id && head.epoch == epoch);
    let Some(head) = newest_of_this_key else {
        return false;
    };
    let ad = format::slot_ad(&head.vault_id, head.header_version, head.epoch, &head.slot);
    matches!(
        kdf::unwrap_with_password(&head.slot.kdf, password, &head.slot.salt, |kek| {
            crypto::open(kek, &ad, &head.slot.wrapped_key)
        }),
        kdf::Unwrapped::Opened { .. }
    )
}

/// Opens backup bytes with the data key of the vault they were made from (no password):
/// what a password change uses to re-encrypt the vault's backups. `None` when they were
/// made under another key (before an earlier key change) or cannot be read.
pub(crate) fn decode_with_key(
    bytes: &[u8],
    vault_id: &[u8; VAULT_ID_LEN],
    data_key: &crypto::Key,
) -> Option<(u64, Vec<BackupEntry>)> {
    let head = parse_head(bytes).ok()?;
    if head.vault_id != *vault_id {
        return None;
    }
    let entries = open_payload(bytes, &head, data_key).ok()?;
    Some((head.created, entries))
}

/// The checksum, the length, then the payload under the backup key of `data_key`.
fn open_payload(
    bytes: &[u8],
    head: &Head,
    data_key: &crypto::Key,
) -> Result<Vec<BackupEntry>, BackupError> {
    let content = &bytes[..bytes.len() - MAC_LEN];
    let head_len = head_len(head.version);
    let payload = &content[head_len..];
    if payload.len() != head.payload_len as usize {
        return Err(damaged("its length does not match its header"));
    }
    let key = crypto::derive_subkey(data_key, &head.vault_id, INFO_BACKUP_KEY);
    let json = crypto::open(&key, &payload_ad(&content[..head_len]), payload)
        .ok_or_else(|| damaged("it failed its integrity check"))?;
    // The parser's message could quote plaintext: never pass it on.
    let undecodable = |_| damaged("its accounts could not be decoded");
    let entries: Vec<BackupEntry> = if head.version == BACKUP_VERSION_1 {
        let parsed: PayloadV1 = serde_json::from_slice(&json).map_err(undecodable)?;
        parsed
            .accounts
            .into_iter()
            .map(|account| BackupEntry {
                account,
                stamp: None,
                recovery_codes: None,
            })
            .collect()
    } else {
        let parsed: Payload = serde_json::from_slice(&json).map_err(undecodable)?;
        parsed.entries
    };
    if entries.len() != head.accounts as usize {
        return Err(damaged(
            "it holds a different number of accounts than it says",
        ));
    }
    Ok(entries)
}

/// Length of the head (everything before the payload) of a backup of `version`: version 2
/// adds the slot's header layout (u16) and key epoch (u32) before the slot.
fn head_len(version: u16) -> usize {
    let slot_context = if version == BACKUP_VERSION_1 { 0 } else { 6 };
    PREFIX_LEN + slot_context + SLOT_PARAMS_LEN + WRAPPED_KEY_LEN + 4
}

struct Head {
    version: u16,
    vault_id: [u8; VAULT_ID_LEN],
    created: u64,
    accounts: u32,
    header_version: u16,
    epoch: u32,
    slot: Slot,
    payload_len: u32,
}

/// Parses the head and checks the checksum: everything that needs no key.
fn parse_head(bytes: &[u8]) -> Result<Head, BackupError> {
    if bytes.len() < 10 || bytes[..8] != MAGIC[..] {
        return Err(damaged("it is not a Ringlet backup"));
    }
    let version = u16::from_be_bytes([bytes[8], bytes[9]]);
    if version != BACKUP_VERSION && version != BACKUP_VERSION_1 {
        return Err(damaged(format!(
            "it has format version {version}, which this version of Ringlet cannot read"
        )));
    }
    let head_len = head_len(version);
    if bytes.len() < head_len + SEAL_OVERHEAD + MAC_LEN {
        return Err(damaged("it is truncated"));
    }
    let be32 = |at: usize| {
        let mut word = [0u8; 4];
        word.copy_from_slice(&bytes[at..at + 4]);
        u32::from_be_bytes(word)
    };
    let mut vault_id = [0u8; VAULT_ID_LEN];
    vault_id.copy_from_slice(&bytes[10..10 + VAULT_ID_LEN]);
    let mut created = [0u8; 8];
    created.copy_from_slice(&bytes[26..34]);
    let accounts = be32(PREFIX_LEN - 4);
    let (header_version, epoch, s) = if version == BACKUP_VERSION_1 {
        (format::HEADER_V1, 0, PREFIX_LEN)
    } else {
        let layout = u16::from_be_bytes([bytes[PREFIX_LEN], bytes[PREFIX_LEN + 1]]);
        if layout != format::HEADER_V1 && layout != format::HEADER_V2 {
            return Err(damaged("its key slot is of an unknown layout"));
        }
        (layout, be32(PREFIX_LEN + 2), PREFIX_LEN + 6)
    };
    if bytes[s] != SLOT_KIND_PASSWORD_ARGON2ID {
        return Err(damaged("its key slot is of an unknown kind"));
    }
    let kdf = KdfParams {
        memory_kib: be32(s + 1),
        iterations: be32(s + 5),
        parallelism: be32(s + 9),
    };
    // Bounds are checked before any derivation: a hostile file cannot make the reader
    // allocate more than 1 GiB or run more than 16 passes.
    if !kdf.is_usable() {
        return Err(damaged("its key-derivation parameters are out of range"));
    }
    let mut salt = [0u8; SALT_LEN];
    salt.copy_from_slice(&bytes[s + 13..s + 13 + SALT_LEN]);
    let wrapped_key = bytes[s + SLOT_PARAMS_LEN..s + SLOT_PARAMS_LEN + WRAPPED_KEY_LEN].to_vec();
    let payload_len = be32(head_len - 4);
    let content = &bytes[..bytes.len() - MAC_LEN];
    if crypto::sha256(content) != bytes[bytes.len() - MAC_LEN..] {
        return Err(damaged(
            "it failed its checksum (the file was altered or truncated)",
        ));
    }
    Ok(Head {
        version,
        vault_id,
        created: u64::from_be_bytes(created),
        accounts,
        header_version,
        epoch,
        slot: Slot {
            kind: SlotKind::Password,
            kdf,
            salt,
            wrapped_key,
        },
        payload_len,
    })
}
