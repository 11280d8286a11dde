//! The encrypted vault: where accounts are stored, sealed under a key only the password opens.
//!
//! # Format v1
//!
//! A vault is a folder holding:
//!
//! | path            | what |
//! |-----------------|------|
//! | `vault.header`  | version, vault id, key slots, MAC, checksum (below). Written once at creation, atomically (temp file, fsync, rename, fsync folder). [`Vault::exists`] means "this file is present". |
//! | `vault.lock`    | empty; holds the OS advisory lock (`flock`/`LockFileEx`) of the `Vault` that has the folder open. |
//! | `records.sled/` | a sled 0.34.7 database: tree `records` maps each 16-byte account id to a sealed record; tree `meta` holds `vault_id` → the 16-byte vault id. |
//!
//! On Unix the folder is created 0700 and the header and lock files 0600.
//!
//! ## Keys
//!
//! * **Data key**: 32 random bytes made at creation. Never stored in clear.
//! * **Password slot**: KEK = Argon2id v0x13 (RustCrypto `argon2`) of the password with the
//!   slot's 16-byte random salt and the slot's parameters, 32 bytes out; the slot holds
//!   AES-256-GCM(KEK, data key). [`Vault::create`] calibrates the parameters
//!   ([`KdfParams::calibrated`]): from [`KdfParams::POLICY_MINIMUM`] (64 MiB, t = 3, p = 1)
//!   passes, then memory (≤ 256 MiB), are raised until one derivation takes about 0.5 s.
//! * **Sub-keys**: HKDF-SHA256 (salt = vault id, ikm = data key) with info
//!   `"ringlet v1 record key"` (AES-256-GCM key of records) and `"ringlet v1 header mac"`
//!   (HMAC-SHA256 key of the header).
//!
//! Every AES-256-GCM seal (from `ring`) uses a fresh random 96-bit nonce from
//! `ring::rand::SystemRandom`, stored as `nonce ‖ ciphertext ‖ tag`.
//!
//! ## `vault.header` (big-endian integers)
//!
//! ```text
//! "RINGLETV"                 8 bytes  magic
//! version = 1                u16
//! vault id                   16 bytes random, made at creation
//! slot count (1..=8)         u8       v1 writes exactly one
//! per slot (89 bytes):
//!   kind = 1                 u8       password, Argon2id v0x13
//!   memory_kib               u32
//!   iterations               u32
//!   parallelism              u32
//!   salt                     16 bytes
//!   nonce ‖ AES-256-GCM(KEK, data key) ‖ tag   12 + 32 + 16 bytes
//!                            AD = "ringlet/slot" ‖ magic ‖ version ‖ vault id ‖ slot's kind..salt
//! mac                        32 bytes HMAC-SHA256(header MAC key, every byte above)
//! checksum                   32 bytes SHA-256(every byte above), unkeyed
//! ```
//!
//! Opening checks, in order, and writes nothing until all have passed (a wrong password
//! leaves every file byte-identical; sled is not even opened):
//! 1. the checksum, structure, version and parameter bounds ([`KdfParams::MAXIMUM`]) —
//!    any failure is [`VaultError::Damaged`]: accidental corruption is told apart from a
//!    wrong password;
//! 2. each slot's AEAD under Argon2id(password) — none opens: [`VaultError::WrongPassword`];
//! 3. the MAC under the unwrapped data key — mismatch: [`VaultError::Damaged`] (the header
//!    was altered by someone who could recompute the unkeyed checksum);
//! 4. `records.sled/` exists and its `meta` tree names the same vault id.
//!
//! ## Records
//!
//! Value of key `id` (16 bytes, random, not secret) in tree `records`:
//!
//! ```text
//! record version = 1         u8
//! nonce ‖ AES-256-GCM(record key, plaintext) ‖ tag
//!     AD = "ringlet/record" ‖ format version (u16) ‖ vault id ‖ id
//!     plaintext = serde_json of model::Account (issuer, name, secret, algorithm, digits, kind)
//! ```
//!
//! Every field of the account is encrypted. The AD binds the record to its id and its vault,
//! so a record moved to another id or copied from another vault fails authentication and is
//! reported as [`VaultError::Damaged`] naming the record, never decoded into wrong data.
//!
//! Not protected: deleting a record, or rolling the whole folder (or one record) back to an
//! older copy of itself made with the same data key. A record-set MAC would be needed for that.
//!
//! ## Concurrency
//!
//! One `Vault` at a time per folder: a second [`Vault::open`] (same process or another)
//! gets [`VaultError::InUse`]. Every write is flushed to disk before it returns `Ok`.

mod crypto;
mod error;
mod files;
mod format;
mod kdf;
mod store;

use std::fmt;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

pub use self::error::VaultError;
pub use self::kdf::{KdfParams, CALIBRATION_TARGET};

use self::crypto::{Key, KEY_LEN};
use self::format::{Header, Slot, RECORD_VERSION, SALT_LEN, VAULT_ID_LEN};
use self::store::{SledStore, Store};
use crate::model::{Account, AccountId, Entry};

/// Name of the header file inside a vault folder.
pub const HEADER_FILE: &str = "vault.header";
/// Name of the lock file inside a vault folder.
pub const LOCK_FILE: &str = "vault.lock";
/// Name of the sled database folder inside a vault folder.
pub const RECORDS_DIR: &str = "records.sled";

const RECORDS_TREE: &str = "records";
const META_TREE: &str = "meta";
const META_VAULT_ID: &[u8] = b"vault_id";
const INFO_RECORD_KEY: &[u8] = b"ringlet v1 record key";
const INFO_HEADER_MAC: &[u8] = b"ringlet v1 header mac";

/// An open, unlocked vault. Holds the folder's lock until dropped.
pub struct Vault {
    dir: PathBuf,
    vault_id: [u8; VAULT_ID_LEN],
    record_key: Key,
    records: Box<dyn Store>,
    /// Declared last so it is dropped last: the lock outlives the database handle.
    _lock: File,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vault")
            .field("dir", &self.dir)
            .field("keys", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl Vault {
    /// True when `dir` holds a vault (its header file is present).
    pub fn exists(dir: &Path) -> bool {
        dir.join(HEADER_FILE).is_file()
    }

    /// Creates a new, empty vault in `dir` (created 0700 if missing) with Argon2id
    /// parameters calibrated for this machine (about 0.5 s per unlock; calibration takes
    /// one to two seconds more).
    pub fn create(dir: &Path, password: &[u8]) -> Result<Vault, VaultError> {
        if Self::exists(dir) {
            return Err(VaultError::AlreadyExists);
        }
        Self::create_with(dir, password, KdfParams::calibrated())
    }

    /// Creates a new, empty vault in `dir` with the given Argon2id parameters.
    /// Fails with [`VaultError::AlreadyExists`] when `dir` already holds a vault.
    pub fn create_with(dir: &Path, password: &[u8], kdf: KdfParams) -> Result<Vault, VaultError> {
        if !kdf.is_usable() {
            return Err(kdf.invalid_input_error());
        }
        if Self::exists(dir) {
            return Err(VaultError::AlreadyExists);
        }
        files::create_private_dir(dir)?;
        let lock = files::lock(&dir.join(LOCK_FILE))?;
        if Self::exists(dir) {
            return Err(VaultError::AlreadyExists);
        }
        // Without a header, records left by an interrupted creation can never be decrypted.
        let records_dir = dir.join(RECORDS_DIR);
        if records_dir.exists() {
            fs::remove_dir_all(&records_dir)?;
        }

        let mut vault_id = [0u8; VAULT_ID_LEN];
        crypto::random_fill(&mut vault_id)?;
        let data_key = crypto::random_key()?;
        let mut salt = [0u8; SALT_LEN];
        crypto::random_fill(&mut salt)?;
        let kek =
            kdf::derive_key(&kdf, password, &salt).ok_or_else(|| kdf.invalid_input_error())?;
        let mut header = Header {
            vault_id,
            slots: Vec::new(),
        };
        let mut slot = Slot {
            kdf,
            salt,
            wrapped_key: Vec::new(),
        };
        slot.wrapped_key = crypto::seal(&kek, &header.slot_ad(&slot), data_key.as_ref())?;
        header.slots.push(slot);
        let mac_key = crypto::derive_subkey(&data_key, &vault_id, INFO_HEADER_MAC);
        let mac = crypto::hmac_sign(&mac_key, &header.body());
        let record_key = crypto::derive_subkey(&data_key, &vault_id, INFO_RECORD_KEY);

        let db = store::open_sled(&records_dir)?;
        let meta = SledStore::open_tree(&db, META_TREE)?;
        meta.insert(META_VAULT_ID, &vault_id)?;
        meta.flush()?;
        let records = SledStore::open_tree(&db, RECORDS_TREE)?;
        records.flush()?;

        // The header goes last: until it exists the folder is not a vault.
        files::write_atomically(&dir.join(HEADER_FILE), &header.encode(&mac))?;

        Ok(Vault {
            dir: dir.to_path_buf(),
            vault_id,
            record_key,
            records: Box::new(records),
            _lock: lock,
        })
    }

    /// Opens the vault in `dir` with `password`.
    ///
    /// Errors: [`VaultError::NotFound`] (no header), [`VaultError::InUse`] (another `Vault`
    /// holds it), [`VaultError::WrongPassword`], [`VaultError::Damaged`]. Nothing is written
    /// unless the password is right and the header intact.
    pub fn open(dir: &Path, password: &[u8]) -> Result<Vault, VaultError> {
        let header_path = dir.join(HEADER_FILE);
        if !header_path.is_file() {
            return Err(VaultError::NotFound);
        }
        let lock = files::lock(&dir.join(LOCK_FILE))?;
        let bytes = files::read_limited(&header_path, format::MAX_HEADER_LEN, "header")?;
        let (header, mac) = Header::decode(&bytes)?;

        let mut data_key = None;
        for slot in &header.slots {
            let kek = kdf::derive_key(&slot.kdf, password, &slot.salt).ok_or_else(|| {
                VaultError::damaged("the header has key-derivation parameters out of range")
            })?;
            if let Some(key) = crypto::open(&kek, &header.slot_ad(slot), &slot.wrapped_key) {
                data_key = Some(key);
                break;
            }
        }
        let data_key = data_key.ok_or(VaultError::WrongPassword)?;
        let data_key: Key = {
            let mut key = Zeroizing::new([0u8; KEY_LEN]);
            if data_key.len() != KEY_LEN {
                return Err(VaultError::damaged(
                    "the header holds a key of the wrong size",
                ));
            }
            key.copy_from_slice(&data_key);
            key
        };
        let vault_id = header.vault_id;
        let mac_key = crypto::derive_subkey(&data_key, &vault_id, INFO_HEADER_MAC);
        if !crypto::hmac_verify(&mac_key, &header.body(), &mac) {
            return Err(VaultError::damaged("the header failed its integrity check"));
        }

        let records_dir = dir.join(RECORDS_DIR);
        if !records_dir.is_dir() {
            return Err(VaultError::damaged(format!(
                "the record database ({RECORDS_DIR}) is missing"
            )));
        }
        let db = store::open_sled(&records_dir)?;
        let meta = SledStore::open_tree(&db, META_TREE)?;
        match meta.get(META_VAULT_ID)? {
            Some(id) if id == vault_id => {}
            Some(_) => {
                return Err(VaultError::damaged(
                    "the record database belongs to another vault",
                ))
            }
            None => {
                return Err(VaultError::damaged(
                    "the record database does not name its vault",
                ))
            }
        }
        let records = SledStore::open_tree(&db, RECORDS_TREE)?;
        Ok(Vault {
            dir: dir.to_path_buf(),
            vault_id,
            record_key: crypto::derive_subkey(&data_key, &vault_id, INFO_RECORD_KEY),
            records: Box::new(records),
            _lock: lock,
        })
    }

    /// The vault's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every account, sorted case-insensitively by issuer, then name, then id.
    /// Fails with [`VaultError::Damaged`] naming the first record that does not open;
    /// [`damaged_records`](Self::damaged_records) lists them all.
    pub fn entries(&self) -> Result<Vec<Entry>, VaultError> {
        let mut entries = Vec::new();
        for (key, value) in self.records.iter()? {
            let id = record_id(&key)?;
            entries.push(Entry {
                id,
                account: self.open_record(id, &value)?,
            });
        }
        entries.sort_by_cached_key(|e| {
            (
                e.account.issuer.to_lowercase(),
                e.account.name.to_lowercase(),
                e.id,
            )
        });
        Ok(entries)
    }

    /// Ids of the records that fail their integrity check (so that they can be removed).
    pub fn damaged_records(&self) -> Result<Vec<AccountId>, VaultError> {
        let mut damaged = Vec::new();
        for (key, value) in self.records.iter()? {
            let id = record_id(&key)?;
            if self.open_record(id, &value).is_err() {
                damaged.push(id);
            }
        }
        Ok(damaged)
    }

    /// The account stored under `id`.
    pub fn get(&self, id: AccountId) -> Result<Entry, VaultError> {
        let value = self
            .records
            .get(id.as_bytes())?
            .ok_or(VaultError::AccountNotFound(id))?;
        Ok(Entry {
            id,
            account: self.open_record(id, &value)?,
        })
    }

    /// Stores `account` under a new random id, flushed to disk before returning.
    pub fn add(&self, account: &Account) -> Result<AccountId, VaultError> {
        let id = loop {
            let mut bytes = [0u8; 16];
            crypto::random_fill(&mut bytes)?;
            if self.records.get(&bytes)?.is_none() {
                break AccountId(bytes);
            }
        };
        self.write_record(id, account)?;
        Ok(id)
    }

    /// Replaces the account stored under `id` (which must exist), flushed before returning.
    /// A damaged record can be overwritten this way.
    pub fn update(&self, id: AccountId, account: &Account) -> Result<(), VaultError> {
        if self.records.get(id.as_bytes())?.is_none() {
            return Err(VaultError::AccountNotFound(id));
        }
        self.write_record(id, account)
    }

    /// Deletes the account stored under `id` (damaged or not), flushed before returning.
    pub fn remove(&self, id: AccountId) -> Result<(), VaultError> {
        if !self.records.remove(id.as_bytes())? {
            return Err(VaultError::AccountNotFound(id));
        }
        self.records.flush()
    }

    fn write_record(&self, id: AccountId, account: &Account) -> Result<(), VaultError> {
        // Sized up front so the plaintext is not left behind by a reallocation.
        let estimate =
            256 + 6 * (account.issuer.len() + account.name.len()) + 4 * account.otp.secret.len();
        let mut plaintext = Zeroizing::new(Vec::with_capacity(estimate));
        serde_json::to_writer(&mut *plaintext, account).map_err(|_| {
            VaultError::Io(std::io::Error::other("the account could not be serialised"))
        })?;
        let sealed = crypto::seal(
            &self.record_key,
            &format::record_ad(&self.vault_id, &id),
            &plaintext,
        )?;
        let mut value = Vec::with_capacity(1 + sealed.len());
        value.push(RECORD_VERSION);
        value.extend_from_slice(&sealed);
        self.records.insert(id.as_bytes(), &value)?;
        self.records.flush()
    }

    fn open_record(&self, id: AccountId, value: &[u8]) -> Result<Account, VaultError> {
        let failed = || VaultError::damaged(format!("record {id} failed its integrity check"));
        let (version, sealed) = value.split_first().ok_or_else(failed)?;
        if *version != RECORD_VERSION {
            return Err(failed());
        }
        let plaintext = crypto::open(
            &self.record_key,
            &format::record_ad(&self.vault_id, &id),
            sealed,
        )
        .ok_or_else(failed)?;
        // The parser's message could quote plaintext: never pass it on.
        serde_json::from_slice(&plaintext)
            .map_err(|_| VaultError::damaged(format!("record {id} could not be decoded")))
    }
}

fn record_id(key: &[u8]) -> Result<AccountId, VaultError> {
    <[u8; 16]>::try_from(key)
        .map(AccountId)
        .map_err(|_| VaultError::damaged("a record has a malformed id"))
}

// The app keeps a `Vault` in a `Mutex` in Tauri state: it must stay `Send`.
const _: fn() = || {
    fn is_send<T: Send>() {}
    is_send::<Vault>();
};
