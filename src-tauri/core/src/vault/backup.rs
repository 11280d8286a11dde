//! Encrypted backups: one self-describing file holding every account of a vault, which
//! opens with the vault's password on any machine. The format is documented in
//! `docs/backup-format.md`; in short:
//!
//! ```text
//! "RINGLETB"            8 bytes  magic
//! version = 1           u16
//! vault id              16 bytes  of the vault the backup was made from
//! created               u64      Unix seconds (UTC)
//! account count         u32
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
//! JSON = `{"accounts": [Account, …]}` (the same serialisation as a vault record).
//!
//! Backups live in `<vault>/backups/ringlet-YYYYMMDD-HHMMSS.rbak` (UTC; `-2`, `-3`… when
//! two are made within a second) and are rotated by [`RotationPolicy`].

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

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
use crate::model::Account;

const MAGIC: &[u8; 8] = b"RINGLETB";
/// The only backup format this code writes and reads.
pub const BACKUP_VERSION: u16 = 1;
/// File name extension of backups.
pub const EXTENSION: &str = "rbak";
const NAME_PREFIX: &str = "ringlet-";
const INFO_BACKUP_KEY: &[u8] = b"ringlet v1 backup key";
const AD_PREFIX: &[u8] = b"ringlet/backup";
/// magic ‖ version ‖ vault id ‖ created ‖ account count
const PREFIX_LEN: usize = 8 + 2 + VAULT_ID_LEN + 8 + 4;
const HEAD_LEN: usize = PREFIX_LEN + SLOT_PARAMS_LEN + WRAPPED_KEY_LEN + 4;
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

#[derive(Serialize)]
struct PayloadOut<'a> {
    accounts: &'a [Account],
}

#[derive(Deserialize)]
struct PayloadIn {
    accounts: Vec<Account>,
}

/// Which backups [`rotate`] keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RotationPolicy {
    /// The newest this many are always kept.
    pub keep_last: usize,
    /// Also kept: the newest backup of each of the last this many days (UTC), today
    /// included.
    pub daily_days: u32,
}

impl Default for RotationPolicy {
    /// The last 10, and one a day for 30 days.
    fn default() -> Self {
        RotationPolicy {
            keep_last: 10,
            daily_days: 30,
        }
    }
}

/// One backup file found by [`list`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    pub path: PathBuf,
    /// When it was made (Unix seconds, UTC), from its file name.
    pub created: u64,
    /// Number of accounts its header announces; `None` when the header cannot be read.
    /// Not authenticated until the backup is opened with [`read`].
    pub accounts: Option<u32>,
    /// File size in bytes.
    pub size: u64,
    /// Disambiguates backups made within the same second (1 for the first).
    seq: u32,
}

/// Now, in Unix seconds.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
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
        let accounts: Vec<Account> = self.entries()?.into_iter().map(|e| e.account).collect();
        // The password slot only: a backup must open on a machine without this keyring.
        let slot = self
            .header
            .password_slot()
            .ok_or(Damage::HeaderLayout("holds no password slot"))?;
        let created = now();
        let bytes = encode(&self.vault_id, slot, &self.data_key, created, &accounts)?;
        files::create_private_dir(dir)?;
        let path = free_name(dir, created);
        files::write_atomically(&path, &bytes)?;
        Ok(path)
    }

    /// The call to make after a change: writes a backup into [`backup_dir`](Self::backup_dir)
    /// and rotates that folder with the default [`RotationPolicy`]. Returns the new file.
    pub fn backup_now(&self) -> Result<PathBuf, VaultError> {
        let dir = self.backup_dir();
        let path = self.write_backup(&dir)?;
        rotate(&dir, &RotationPolicy::default(), now())?;
        Ok(path)
    }
}

fn encode(
    vault_id: &[u8; VAULT_ID_LEN],
    slot: &Slot,
    data_key: &crypto::Key,
    created: u64,
    accounts: &[Account],
) -> Result<Vec<u8>, VaultError> {
    let mut json = Zeroizing::new(Vec::with_capacity(256 + 512 * accounts.len()));
    serde_json::to_writer(&mut *json, &PayloadOut { accounts })
        .map_err(|_| VaultError::Io(io::Error::other("the accounts could not be serialised")))?;
    let payload_len = u32::try_from(json.len() + SEAL_OVERHEAD)
        .map_err(|_| VaultError::Io(io::Error::other("too many accounts for one backup")))?;
    let mut out = Vec::with_capacity(HEAD_LEN + json.len() + SEAL_OVERHEAD + MAC_LEN);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&BACKUP_VERSION.to_be_bytes());
    out.extend_from_slice(vault_id);
    out.extend_from_slice(&created.to_be_bytes());
    out.extend_from_slice(
        &u32::try_from(accounts.len())
            .unwrap_or(u32::MAX)
            .to_be_bytes(),
    );
    out.extend_from_slice(&slot.params_bytes());
    out.extend_from_slice(&slot.wrapped_key);
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
pub fn read(path: &Path, password: &[u8]) -> Result<Vec<Account>, BackupError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    fs::File::open(path)?
        .take(MAX_BACKUP_LEN + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_BACKUP_LEN {
        return Err(damaged("the file is too large to be a Ringlet backup"));
    }
    decode(&bytes, password)
}

/// Opens backup bytes with `password` (see [`read`]).
pub fn decode(bytes: &[u8], password: &[u8]) -> Result<Vec<Account>, BackupError> {
    let head = parse_head(bytes)?;
    let content = &bytes[..bytes.len() - MAC_LEN];
    if crypto::sha256(content) != bytes[bytes.len() - MAC_LEN..] {
        return Err(damaged(
            "it failed its checksum (the file was altered or truncated)",
        ));
    }
    let payload = &content[HEAD_LEN..];
    if payload.len() != head.payload_len as usize {
        return Err(damaged("its length does not match its header"));
    }
    let kek = kdf::derive_key(&head.slot.kdf, password, &head.slot.salt)
        .ok_or_else(|| damaged("its key-derivation parameters are out of range"))?;
    let data_key = crypto::open(
        &kek,
        &format::slot_ad(&head.vault_id, &head.slot),
        &head.slot.wrapped_key,
    )
    .ok_or(BackupError::WrongPassword)?;
    let data_key =
        super::to_key(&data_key).map_err(|_| damaged("it holds a key of the wrong size"))?;
    let key = crypto::derive_subkey(&data_key, &head.vault_id, INFO_BACKUP_KEY);
    let json = crypto::open(&key, &payload_ad(&content[..HEAD_LEN]), payload)
        .ok_or_else(|| damaged("it failed its integrity check"))?;
    // The parser's message could quote plaintext: never pass it on.
    let parsed: PayloadIn =
        serde_json::from_slice(&json).map_err(|_| damaged("its accounts could not be decoded"))?;
    if parsed.accounts.len() != head.accounts as usize {
        return Err(damaged(
            "it holds a different number of accounts than it says",
        ));
    }
    Ok(parsed.accounts)
}

struct Head {
    vault_id: [u8; VAULT_ID_LEN],
    accounts: u32,
    slot: Slot,
    payload_len: u32,
}

fn parse_head(bytes: &[u8]) -> Result<Head, BackupError> {
    if bytes.len() < 8 || bytes[..8] != MAGIC[..] {
        return Err(damaged("it is not a Ringlet backup"));
    }
    if bytes.len() < HEAD_LEN + SEAL_OVERHEAD + MAC_LEN {
        return Err(damaged("it is truncated"));
    }
    let be32 = |at: usize| {
        let mut word = [0u8; 4];
        word.copy_from_slice(&bytes[at..at + 4]);
        u32::from_be_bytes(word)
    };
    let version = u16::from_be_bytes([bytes[8], bytes[9]]);
    if version != BACKUP_VERSION {
        return Err(damaged(format!(
            "it has format version {version}, which this version of Ringlet cannot read"
        )));
    }
    let mut vault_id = [0u8; VAULT_ID_LEN];
    vault_id.copy_from_slice(&bytes[10..10 + VAULT_ID_LEN]);
    let accounts = be32(PREFIX_LEN - 4);
    let s = PREFIX_LEN;
    if bytes[s] != SLOT_KIND_PASSWORD_ARGON2ID {
        return Err(damaged("its key slot is of an unknown kind"));
    }
    let kdf = KdfParams {
        memory_kib: be32(s + 1),
        iterations: be32(s + 5),
        parallelism: be32(s + 9),
    };
    let mut salt = [0u8; SALT_LEN];
    salt.copy_from_slice(&bytes[s + 13..s + 13 + SALT_LEN]);
    let wrapped_key = bytes[s + SLOT_PARAMS_LEN..s + SLOT_PARAMS_LEN + WRAPPED_KEY_LEN].to_vec();
    let payload_len = be32(HEAD_LEN - 4);
    Ok(Head {
        vault_id,
        accounts,
        slot: Slot {
            kind: SlotKind::Password,
            kdf,
            salt,
            wrapped_key,
        },
        payload_len,
    })
    .and_then(|head: Head| {
        // Bounds are checked before any derivation: a hostile file cannot make the reader
        // allocate more than 1 GiB or run more than 16 passes.
        if head.slot.kdf.is_usable() {
            Ok(head)
        } else {
            Err(damaged("its key-derivation parameters are out of range"))
        }
    })
}

/// `dir/ringlet-YYYYMMDD-HHMMSS.rbak`, or with `-2`, `-3`… when that name is taken.
fn free_name(dir: &Path, created: u64) -> PathBuf {
    let stamp = file_stamp(created);
    let mut seq = 1u32;
    loop {
        let name = if seq == 1 {
            format!("{NAME_PREFIX}{stamp}.{EXTENSION}")
        } else {
            format!("{NAME_PREFIX}{stamp}-{seq}.{EXTENSION}")
        };
        let path = dir.join(name);
        if !path.exists() {
            return path;
        }
        seq += 1;
    }
}

/// The backups in `dir`, newest first. A missing folder holds none. Only files named
/// like backups (`ringlet-YYYYMMDD-HHMMSS[-N].rbak`) are listed.
pub fn list(dir: &Path) -> io::Result<Vec<BackupInfo>> {
    let read_dir = match fs::read_dir(dir) {
        Ok(read_dir) => read_dir,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for entry in read_dir {
        let entry = entry?;
        let name = entry.file_name();
        let Some((created, seq)) = name.to_str().and_then(parse_name) else {
            continue;
        };
        let meta = entry.metadata()?;
        if !meta.is_file() {
            continue;
        }
        let path = entry.path();
        out.push(BackupInfo {
            accounts: announced_accounts(&path),
            path,
            created,
            size: meta.len(),
            seq,
        });
    }
    out.sort_by_key(|b| std::cmp::Reverse((b.created, b.seq)));
    Ok(out)
}

fn announced_accounts(path: &Path) -> Option<u32> {
    use std::io::Read;
    let mut head = [0u8; PREFIX_LEN];
    fs::File::open(path).ok()?.read_exact(&mut head).ok()?;
    if head[..8] != MAGIC[..] {
        return None;
    }
    let mut word = [0u8; 4];
    word.copy_from_slice(&head[PREFIX_LEN - 4..]);
    Some(u32::from_be_bytes(word))
}

/// Deletes the backups of `dir` that `policy` does not keep, given the time `now` (Unix
/// seconds). Returns the deleted files. Files not named like backups are never touched.
pub fn rotate(dir: &Path, policy: &RotationPolicy, now: u64) -> io::Result<Vec<PathBuf>> {
    let today = now / 86_400;
    let mut days_kept = std::collections::BTreeSet::new();
    let mut removed = Vec::new();
    for (position, backup) in list(dir)?.into_iter().enumerate() {
        let day = backup.created / 86_400;
        // Newest first, so the first one seen of a day is that day's newest.
        let daily =
            today.saturating_sub(day) < u64::from(policy.daily_days) && days_kept.insert(day);
        if position < policy.keep_last || daily {
            continue;
        }
        fs::remove_file(&backup.path)?;
        removed.push(backup.path);
    }
    Ok(removed)
}

/// `YYYY-MM-DD HH:MM:SS` (UTC) of a Unix time.
pub fn format_utc(secs: u64) -> String {
    let (y, m, d, hh, mm, ss) = split_time(secs);
    format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
}

fn file_stamp(secs: u64) -> String {
    let (y, m, d, hh, mm, ss) = split_time(secs);
    format!("{y:04}{m:02}{d:02}-{hh:02}{mm:02}{ss:02}")
}

fn split_time(secs: u64) -> (i64, u32, u32, u64, u64, u64) {
    let days = (secs / 86_400) as i64;
    let rest = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    (y, m, d, rest / 3600, rest / 60 % 60, rest % 60)
}

/// Parses `ringlet-YYYYMMDD-HHMMSS[-N].rbak` into (Unix seconds, N).
fn parse_name(name: &str) -> Option<(u64, u32)> {
    let stem = name
        .strip_prefix(NAME_PREFIX)?
        .strip_suffix(EXTENSION)?
        .strip_suffix('.')?;
    let (date, rest) = stem.split_at_checked(8)?;
    let rest = rest.strip_prefix('-')?;
    let (time, seq) = rest.split_at_checked(6)?;
    let seq = match seq {
        "" => 1,
        more => more
            .strip_prefix('-')?
            .parse::<u32>()
            .ok()
            .filter(|n| *n >= 2)?,
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(date) || !digits(time) {
        return None;
    }
    let num = |s: &str| s.parse::<u32>().ok();
    let (y, m, d) = (num(&date[..4])?, num(&date[4..6])?, num(&date[6..])?);
    let (hh, mm, ss) = (num(&time[..2])?, num(&time[2..4])?, num(&time[4..])?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 59 {
        return None;
    }
    let days = days_from_civil(i64::from(y), m, d);
    let secs = days * 86_400 + i64::from(hh * 3600 + mm * 60 + ss);
    Some((u64::try_from(secs).ok()?, seq))
}

/// (year, month, day) of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00:00");
        assert_eq!(format_utc(1_700_000_000), "2023-11-14 22:13:20");
        for secs in [0u64, 59, 86_399, 951_782_400, 1_700_000_000, 4_102_444_799] {
            let name = format!("{NAME_PREFIX}{}.{EXTENSION}", file_stamp(secs));
            assert_eq!(parse_name(&name), Some((secs, 1)), "{name}");
        }
        assert_eq!(
            parse_name("ringlet-20231114-221320-3.rbak"),
            Some((1_700_000_000, 3))
        );
        for bad in [
            "ringlet-20231114-221320.rbak.tmp",
            "ringlet-20231114-221320-1.rbak",
            "ringlet-2023111-221320.rbak",
            "ringlet-20231314-221320.rbak",
            "other-20231114-221320.rbak",
            "ringlet-20231114-2213xx.rbak",
        ] {
            assert_eq!(parse_name(bad), None, "{bad}");
        }
    }
}
