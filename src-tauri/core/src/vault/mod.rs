//! The encrypted vault: where accounts are stored, sealed under a key only the password opens.
//!
//! # Format v1
//!
//! A vault is a folder holding:
//!
//! | path            | what |
//! |-----------------|------|
//! | `vault.header`  | version, vault id, key slots, MAC, checksum (below). Written at creation and when the password slot changes ([`Vault::change_password`], the KDF upgrade at unlock), always atomically (temp file, fsync, rename, fsync folder). [`Vault::exists`] means "this file is present". |
//! | `vault.index`   | the record-set integrity check: every record's id and hash, a generation and a pending change, under an HMAC (below). Written atomically around every change. |
//! | `vault.lock`    | holds the OS advisory lock (`flock`/`LockFileEx`) of the `Vault` that has the folder open; the holder writes `pid N` and `program NAME` lines into it ([`Vault::lock_holder`]). Not vault data. |
//! | `records.sled/` | a sled 0.34.7 database: tree `records` maps each 16-byte account id to a sealed record; tree `meta` holds `vault_id` → the 16-byte vault id. |
//! | `backups/`      | encrypted backups (`ringlet-YYYYMMDD-HHMMSS.rbak`, see [`backup`] and `docs/backup-format.md`). Not needed to open the vault. |
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
//! * **Keyring slot** (quick unlock, optional, off by default): a random 32-byte key kept in
//!   the OS keyring ([`crate::keyring`], service `Ringlet`, entry
//!   `vault <vault id hex> key <slot salt hex>`); the slot holds AES-256-GCM(that key, data
//!   key). [`Vault::enable_quick_unlock`] / [`Vault::disable_quick_unlock`] add and remove
//!   it; a password change keeps it. The password slot always stays: quick unlock is a
//!   second way in, never the only one.
//! * **Sub-keys**: HKDF-SHA256 (salt = vault id, ikm = data key) with info
//!   `"ringlet v1 record key"` (AES-256-GCM key of records), `"ringlet v1 header mac"`
//!   (HMAC-SHA256 key of the header), `"ringlet v1 index mac"` (HMAC-SHA256 key of
//!   `vault.index`) and `"ringlet v1 backup key"` (AES-256-GCM key of backup payloads).
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
//! slot count (1..=8)         u8       one password slot, at most one keyring slot
//! per slot (89 bytes):
//!   kind                     u8       1 = password (Argon2id v0x13), 2 = keyring
//!   memory_kib               u32      0 in a keyring slot
//!   iterations               u32      0 in a keyring slot
//!   parallelism              u32      0 in a keyring slot
//!   salt                     16 bytes the Argon2id salt, or the keyring entry's name part
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
//! 2. the password slot's AEAD under Argon2id(password) — it does not open:
//!    [`VaultError::WrongPassword`] (or, for [`Vault::open_with_keyring`], the keyring slot's
//!    AEAD under the keyring's key — [`VaultError::QuickUnlock`] saying why);
//! 3. the MAC under the unwrapped data key — mismatch: [`VaultError::Damaged`] (the header
//!    was altered by someone who could recompute the unkeyed checksum);
//! 4. `records.sled/` exists and its `meta` tree names the same vault id;
//! 5. `vault.index` exists, its HMAC verifies and it names the same vault id, and the
//!    records sled holds are exactly the ones it lists (the crash rule below) — otherwise
//!    [`VaultError::Damaged`] naming the lost, altered or unknown record ids.
//!
//! Only then may `open` write: it settles a change a crash interrupted (rewrites
//! `vault.index`), and re-wraps a password slot whose Argon2id parameters are below
//! [`KdfParams::POLICY_MINIMUM`] with freshly calibrated ones (same password, same data
//! key; best effort). The exact [`KdfParams::fast_for_tests`] parameters are exempt so
//! that tests stay fast; neither the app nor the CLI can create a vault with them.
//!
//! ## Password change
//!
//! [`Vault::change_password`] wraps the same data key under Argon2id(new password) with a
//! new salt and replaces `vault.header` atomically: records and index are not touched, a
//! crash leaves either the old or the new password working.
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
//! ## `vault.index` (big-endian integers)
//!
//! sled 0.34 can open a damaged data file without an error and with records missing (it
//! truncates its log to the last point it can read: in a measurement, 47 of 61 bit flips
//! in `db` did so). The index, kept outside sled, makes such a loss visible:
//!
//! ```text
//! "RINGLETI"                 8 bytes  magic
//! version = 1                u16
//! vault id                   16 bytes
//! generation                 u64      committed changes since creation (0 at creation)
//! record count n             u32      ≤ 100 000
//! n × (id 16 bytes ‖ SHA-256 of the record's stored value 32 bytes), ascending by id
//! pending count p            u32
//! p × (id 16 bytes ‖ kind u8 (1 put, 0 delete) ‖ for a put: SHA-256 of the new value)
//! mac                        32 bytes HMAC-SHA256(index MAC key, every byte above)
//! ```
//!
//! Each seal uses a fresh nonce, so a record's hash names one write of it: a record lost,
//! rolled back to an older value (an HOTP counter), moved or added behind the vault's back
//! does not match.
//!
//! **Crash rule.** Every change (add, update, remove, a batch of adds) is written in three
//! steps, and acknowledged (`Ok`) only after the third:
//! 1. `vault.index` rewritten atomically with the change as *pending* (committed set
//!    unchanged);
//! 2. the records written to sled and flushed;
//! 3. `vault.index` rewritten atomically with the change *committed* (generation + 1,
//!    nothing pending).
//!
//! At open, every record not in the pending change must be exactly as committed; each
//! record in the pending change may be in its committed state or its new one (sled may
//! have made any part of the batch durable before the kill). A kill at any point
//! therefore leaves a vault that opens: before step 2 the change is absent, after it
//! present; `open` then settles the index to what sled holds. An acknowledged change is in
//! the committed set, so if sled later loses it, the vault reports it as damaged instead
//! of opening without it. If step 2 or 3 fails (a full disk), the error is returned and
//! the pending change stays; the next change (or the next open) settles it first.
//!
//! Not protected: rolling the whole folder (header, index and records together) back to
//! an older copy of itself.
//!
//! ## Concurrency
//!
//! One `Vault` at a time per folder: a second [`Vault::open`] (same process or another)
//! gets [`VaultError::InUse`]; [`Vault::lock_holder`] then tells which program and process
//! holds it (read from `vault.lock`, when written). Every write is flushed to disk before
//! it returns `Ok`.
//!
//! ## Backups
//!
//! [`Vault::backup_now`] (the call to make after a change) writes an encrypted backup into
//! `backups/` and rotates the folder (the last 10, one a day for 30 days:
//! [`backup::RotationPolicy`]); [`backup::read`] opens one with the password alone.

pub mod backup;
mod crypto;
mod error;
pub(crate) mod files;
mod format;
#[cfg(fuzzing)]
pub mod fuzzing;
mod index;
mod kdf;
pub mod recovery;
mod store;

use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use zeroize::Zeroizing;

pub use self::error::{Damage, RecordsMismatch, VaultError};
pub use self::kdf::{KdfParams, CALIBRATION_TARGET};

use self::crypto::{Key, KEY_LEN};
use self::format::{Header, Slot, SlotKind, RECORD_VERSION, SALT_LEN, VAULT_ID_LEN};
use self::index::{Index, RecordId};
use self::store::{SledStore, Store};
use crate::keyring::{self, KeyringError, SecretStore};
use crate::model::{Account, AccountId, Entry};

/// Name of the header file inside a vault folder.
pub const HEADER_FILE: &str = "vault.header";
/// Name of the record index file inside a vault folder.
pub const INDEX_FILE: &str = "vault.index";
/// Name of the lock file inside a vault folder.
pub const LOCK_FILE: &str = "vault.lock";
/// Name of the sled database folder inside a vault folder.
pub const RECORDS_DIR: &str = "records.sled";
/// Name of the folder of automatic backups inside a vault folder.
pub const BACKUPS_DIR: &str = "backups";

const RECORDS_TREE: &str = "records";
const META_TREE: &str = "meta";
const META_VAULT_ID: &[u8] = b"vault_id";
const INFO_RECORD_KEY: &[u8] = b"ringlet v1 record key";
const INFO_HEADER_MAC: &[u8] = b"ringlet v1 header mac";
const INFO_INDEX_MAC: &[u8] = b"ringlet v1 index mac";

/// An open, unlocked vault. Holds the folder's lock until dropped.
pub struct Vault {
    dir: PathBuf,
    vault_id: [u8; VAULT_ID_LEN],
    header: Header,
    data_key: Key,
    record_key: Key,
    index_key: Key,
    records: Box<dyn Store>,
    /// What `vault.index` says (the record set vouched for, and a change in flight).
    index: Mutex<Index>,
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

/// True when a slot's parameters should be raised at unlock. The exact
/// [`KdfParams::fast_for_tests`] parameters, which neither the app nor the CLI ever
/// writes, are left alone so that test suites stay fast.
fn kdf_below_policy(params: &KdfParams) -> bool {
    !params.meets_policy() && *params != KdfParams::fast_for_tests()
}

fn to_key(bytes: &[u8]) -> Result<Key, VaultError> {
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    if bytes.len() != KEY_LEN {
        return Err(Damage::KeyLength.into());
    }
    key.copy_from_slice(bytes);
    Ok(key)
}

impl Vault {
    /// True when `dir` holds a vault (its header file is present).
    pub fn exists(dir: &Path) -> bool {
        dir.join(HEADER_FILE).is_file()
    }

    /// True when `dir` holds any of a vault's files (header, index or record database):
    /// a folder where [`open`](Self::open) reports [`VaultError::Damaged`] rather than
    /// [`VaultError::NotFound`] when the header is gone.
    pub fn has_vault_files(dir: &Path) -> bool {
        Self::exists(dir) || dir.join(INDEX_FILE).exists() || dir.join(RECORDS_DIR).exists()
    }

    /// Who holds the vault in `dir` open, when known: e.g. "ringlet-cli, process 1234".
    /// Meant for the message of [`VaultError::InUse`]; read from `vault.lock`, where every
    /// `Vault` writes its process id and program name once it has the lock.
    pub fn lock_holder(dir: &Path) -> Option<String> {
        files::lock_holder(&dir.join(LOCK_FILE))
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
        let header = Header {
            vault_id,
            slots: vec![password_slot(&vault_id, &data_key, password, kdf)?],
        };
        let mac_key = crypto::derive_subkey(&data_key, &vault_id, INFO_HEADER_MAC);
        let mac = crypto::hmac_sign(&mac_key, &header.body());

        let db = store::open_sled(&records_dir)?;
        let meta = SledStore::open_tree(&db, META_TREE)?;
        meta.insert(META_VAULT_ID, &vault_id)?;
        meta.flush()?;
        let records = SledStore::open_tree(&db, RECORDS_TREE)?;
        records.flush()?;

        let vault = Vault {
            dir: dir.to_path_buf(),
            vault_id,
            record_key: crypto::derive_subkey(&data_key, &vault_id, INFO_RECORD_KEY),
            index_key: crypto::derive_subkey(&data_key, &vault_id, INFO_INDEX_MAC),
            data_key,
            header,
            records: Box::new(records),
            index: Mutex::new(Index::default()),
            _lock: lock,
        };
        vault.write_index(&Index::default())?;
        // The header goes last: until it exists the folder is not a vault.
        files::write_atomically(&dir.join(HEADER_FILE), &vault.header.encode(&mac))?;
        Ok(vault)
    }

    /// Opens the vault in `dir` with `password`.
    ///
    /// Errors: [`VaultError::NotFound`] (no vault file at all), [`VaultError::InUse`] (another `Vault`
    /// holds it), [`VaultError::WrongPassword`], [`VaultError::Damaged`] (also when the
    /// record database does not hold exactly the records `vault.index` lists). Nothing is
    /// written unless the password is right and every check has passed; then a change
    /// interrupted by a crash is settled in `vault.index`, and a password slot below
    /// [`KdfParams::POLICY_MINIMUM`] is re-wrapped with calibrated parameters (best
    /// effort: a failure there does not fail the open).
    pub fn open(dir: &Path, password: &[u8]) -> Result<Vault, VaultError> {
        let (lock, header, mac) = Self::read_header(dir)?;
        let slot = header
            .password_slot()
            .ok_or(Damage::HeaderLayout("has no password slot"))?;
        let kek = kdf::derive_key(&slot.kdf, password, &slot.salt).ok_or(Damage::HeaderLayout(
            "has key-derivation parameters out of range",
        ))?;
        let data_key = crypto::open(&kek, &header.slot_ad(slot), &slot.wrapped_key)
            .ok_or(VaultError::WrongPassword)?;
        let slot_kdf = slot.kdf;
        let mut vault = Self::finish_open(dir, lock, header, &mac, to_key(&data_key)?)?;
        if kdf_below_policy(&slot_kdf) {
            // Best effort: the vault opened, and an upgrade can wait for the next unlock.
            let _ = vault.rewrap(password, KdfParams::calibrated());
        }
        Ok(vault)
    }

    /// Opens the vault in `dir` with the key its keyring slot names in `keyring` (quick
    /// unlock). Fails with [`VaultError::QuickUnlock`] saying why when the vault has no
    /// keyring slot or the keyring does not give the right key; otherwise as
    /// [`open`](Self::open). The password slot is never touched.
    pub fn open_with_keyring(dir: &Path, keyring: &dyn SecretStore) -> Result<Vault, VaultError> {
        let (lock, header, mac) = Self::read_header(dir)?;
        let slot = header.keyring_slot().ok_or(KeyringError::NotEnabled)?;
        let stored = keyring.get(&keyring::entry_name(&header.vault_id, &slot.salt))?;
        let kek = to_key(&stored).map_err(|_| KeyringError::WrongKey)?;
        let data_key = crypto::open(&kek, &header.slot_ad(slot), &slot.wrapped_key)
            .ok_or(KeyringError::WrongKey)?;
        Self::finish_open(dir, lock, header, &mac, to_key(&data_key)?)
    }

    /// True when the vault in `dir` has quick unlock on (its header has a keyring slot).
    /// Reads the header only; needs no password.
    pub fn quick_unlock_enabled(dir: &Path) -> Result<bool, VaultError> {
        let bytes = Self::read_header_bytes(dir)?;
        Ok(Header::decode(&bytes)?.0.keyring_slot().is_some())
    }

    fn read_header_bytes(dir: &Path) -> Result<Vec<u8>, VaultError> {
        let header_path = dir.join(HEADER_FILE);
        if !header_path.is_file() {
            if Self::has_vault_files(dir) {
                return Err(Damage::MissingHeader.into());
            }
            return Err(VaultError::NotFound);
        }
        files::read_limited(&header_path, format::MAX_HEADER_LEN, "header")
    }

    /// Takes the folder's lock and reads the header (checksum and structure checked; the
    /// MAC needs the data key and is checked by [`finish_open`](Self::finish_open)).
    fn read_header(dir: &Path) -> Result<(File, Header, [u8; crypto::MAC_LEN]), VaultError> {
        if !dir.join(HEADER_FILE).is_file() {
            // The same NotFound / Damaged answer as without the lock.
            Self::read_header_bytes(dir)?;
        }
        let lock = files::lock(&dir.join(LOCK_FILE))?;
        let bytes = Self::read_header_bytes(dir)?;
        let (header, mac) = Header::decode(&bytes)?;
        Ok((lock, header, mac))
    }

    /// The checks after a slot gave up the data key: header MAC, record database, index.
    fn finish_open(
        dir: &Path,
        lock: File,
        header: Header,
        mac: &[u8; crypto::MAC_LEN],
        data_key: Key,
    ) -> Result<Vault, VaultError> {
        let vault_id = header.vault_id;
        let mac_key = crypto::derive_subkey(&data_key, &vault_id, INFO_HEADER_MAC);
        if !crypto::hmac_verify(&mac_key, &header.body(), mac) {
            return Err(Damage::HeaderMac.into());
        }

        let records_dir = dir.join(RECORDS_DIR);
        if !records_dir.is_dir() {
            return Err(Damage::MissingDatabase.into());
        }
        let db = store::open_sled(&records_dir)?;
        let meta = SledStore::open_tree(&db, META_TREE)?;
        match meta.get(META_VAULT_ID)? {
            Some(id) if id == vault_id => {}
            Some(_) => return Err(Damage::ForeignDatabase.into()),
            None => return Err(Damage::UnnamedDatabase.into()),
        }
        let records = SledStore::open_tree(&db, RECORDS_TREE)?;

        let index_key = crypto::derive_subkey(&data_key, &vault_id, INFO_INDEX_MAC);
        let index_path = dir.join(INDEX_FILE);
        if !index_path.is_file() {
            return Err(Damage::MissingIndex.into());
        }
        let bytes = files::read_limited(&index_path, index::MAX_INDEX_LEN, "record index")?;
        let index = Index::decode(&bytes, &vault_id, &index_key)?;
        let (settled, changed) = index.settle(&stored_hashes(&records)?)?;

        let vault = Vault {
            dir: dir.to_path_buf(),
            vault_id,
            header,
            record_key: crypto::derive_subkey(&data_key, &vault_id, INFO_RECORD_KEY),
            index_key,
            data_key,
            records: Box::new(records),
            index: Mutex::new(index),
            _lock: lock,
        };
        // A change a crash interrupted: record what the database holds. If this write
        // fails (a full disk), the pending change stays and is settled before the next one.
        if changed && vault.write_index(&settled).is_ok() {
            *vault.lock_index() = settled;
        }
        Ok(vault)
    }

    /// The data key, for the end-to-end test that searches IPC traffic for it. Compiled
    /// only with the `test-support` feature, which no shipped binary enables.
    #[cfg(feature = "test-support")]
    #[doc(hidden)]
    pub fn data_key_for_tests(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(self.data_key.to_vec())
    }

    /// True when quick unlock is on (the header has a keyring slot).
    pub fn has_quick_unlock(&self) -> bool {
        self.header.keyring_slot().is_some()
    }

    /// The keyring entry quick unlock uses (account name under service
    /// [`keyring::SERVICE`]), so a person can find it in their keyring manager.
    pub fn quick_unlock_entry(&self) -> Option<String> {
        self.header
            .keyring_slot()
            .map(|slot| keyring::entry_name(&self.vault_id, &slot.salt))
    }

    /// Turns quick unlock on: a fresh random key goes into `keyring`, and a keyring slot
    /// wrapping the data key under it into the header (replacing an older keyring slot,
    /// whose keyring entry is then removed). The key is stored before the header names it,
    /// so a failure at either step leaves quick unlock as it was.
    pub fn enable_quick_unlock(&mut self, keyring: &dyn SecretStore) -> Result<(), VaultError> {
        let mut salt = [0u8; SALT_LEN];
        crypto::random_fill(&mut salt)?;
        let slot_key = crypto::random_key()?;
        let mut slot = Slot {
            kind: SlotKind::Keyring,
            kdf: format::NO_KDF,
            salt,
            wrapped_key: Vec::new(),
        };
        slot.wrapped_key = crypto::seal(
            &slot_key,
            &format::slot_ad(&self.vault_id, &slot),
            self.data_key.as_ref(),
        )?;
        let entry = keyring::entry_name(&self.vault_id, &salt);
        keyring.set(&entry, slot_key.as_ref())?;
        let old_entry = self.quick_unlock_entry();
        let mut slots = self.header.slots_except(SlotKind::Keyring);
        slots.push(slot);
        if let Err(e) = self.write_header(slots) {
            let _ = keyring.delete(&entry);
            return Err(e);
        }
        if let Some(old) = old_entry {
            let _ = keyring.delete(&old);
        }
        Ok(())
    }

    /// Turns quick unlock off: the keyring slot leaves the header, then its key leaves the
    /// keyring. Returns the keyring's error when the key could not be removed (quick unlock
    /// is off all the same: the header no longer has a slot it opens).
    pub fn disable_quick_unlock(
        &mut self,
        keyring: &dyn SecretStore,
    ) -> Result<Option<KeyringError>, VaultError> {
        let Some(entry) = self.quick_unlock_entry() else {
            return Ok(None);
        };
        self.write_header(self.header.slots_except(SlotKind::Keyring))?;
        Ok(keyring.delete(&entry).err())
    }

    /// The vault's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The Argon2id parameters of the vault's password slot.
    pub fn kdf_params(&self) -> KdfParams {
        self.header
            .password_slot()
            .map(|slot| slot.kdf)
            .unwrap_or(KdfParams::POLICY_MINIMUM)
    }

    /// Checks `password` against the vault's password slot without writing anything: asked
    /// again before a password change, so an unlocked, unattended window cannot be used to
    /// take the vault over.
    pub fn verify_password(&self, password: &[u8]) -> Result<(), VaultError> {
        let slot = self
            .header
            .password_slot()
            .ok_or(Damage::HeaderLayout("has no password slot"))?;
        let kek = kdf::derive_key(&slot.kdf, password, &slot.salt).ok_or(Damage::HeaderLayout(
            "has key-derivation parameters out of range",
        ))?;
        match crypto::open(&kek, &self.header.slot_ad(slot), &slot.wrapped_key) {
            Some(_) => Ok(()),
            None => Err(VaultError::WrongPassword),
        }
    }

    /// Changes the password: the data key is wrapped again under the new password (new
    /// salt) and the header replaced atomically. Records are not touched. Keeps the
    /// slot's Argon2id parameters when they meet the policy, else calibrates new ones.
    pub fn change_password(&mut self, new_password: &[u8]) -> Result<(), VaultError> {
        let current = self.kdf_params();
        let kdf = if kdf_below_policy(&current) {
            KdfParams::calibrated()
        } else {
            current
        };
        self.rewrap(new_password, kdf)
    }

    /// Like [`change_password`](Self::change_password), with the given parameters.
    pub fn change_password_with(
        &mut self,
        new_password: &[u8],
        kdf: KdfParams,
    ) -> Result<(), VaultError> {
        if !kdf.is_usable() {
            return Err(kdf.invalid_input_error());
        }
        self.rewrap(new_password, kdf)
    }

    /// Replaces the header's password slot with one for `password` under `kdf`. Other
    /// slots (quick unlock) stay: they wrap the same data key.
    fn rewrap(&mut self, password: &[u8], kdf: KdfParams) -> Result<(), VaultError> {
        let mut slots = vec![password_slot(
            &self.vault_id,
            &self.data_key,
            password,
            kdf,
        )?];
        slots.extend(self.header.slots_except(SlotKind::Password));
        self.write_header(slots)
    }

    /// Writes a header with `slots`, atomically: a crash leaves the old header or the new one.
    fn write_header(&mut self, slots: Vec<Slot>) -> Result<(), VaultError> {
        let header = Header {
            vault_id: self.vault_id,
            slots,
        };
        let mac_key = crypto::derive_subkey(&self.data_key, &self.vault_id, INFO_HEADER_MAC);
        let mac = crypto::hmac_sign(&mac_key, &header.body());
        files::write_atomically(&self.dir.join(HEADER_FILE), &header.encode(&mac))?;
        self.header = header;
        Ok(())
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

    /// Stores `account` under a new random id, durable (database and index) before
    /// returning.
    pub fn add(&self, account: &Account) -> Result<AccountId, VaultError> {
        let ids = self.add_many(std::slice::from_ref(account))?;
        ids.into_iter()
            .next()
            .ok_or_else(|| VaultError::Io(std::io::Error::other("the account was not stored")))
    }

    /// Stores every account under a new random id as one change (one flush, two index
    /// writes), durable before returning. Ids are returned in the order of `accounts`.
    /// After a crash the vault holds any subset of them, never a damaged record.
    pub fn add_many(&self, accounts: &[Account]) -> Result<Vec<AccountId>, VaultError> {
        let mut ids: Vec<AccountId> = Vec::with_capacity(accounts.len());
        let mut changes = Vec::with_capacity(accounts.len());
        for account in accounts {
            let id = loop {
                let mut bytes = [0u8; 16];
                crypto::random_fill(&mut bytes)?;
                let id = AccountId(bytes);
                if !ids.contains(&id) && self.records.get(&bytes)?.is_none() {
                    break id;
                }
            };
            ids.push(id);
            changes.push((id, Some(self.seal_record(id, account)?)));
        }
        if !changes.is_empty() {
            self.apply(changes)?;
        }
        Ok(ids)
    }

    /// Replaces the account stored under `id` (which must exist), durable before
    /// returning. A damaged record can be overwritten this way.
    pub fn update(&self, id: AccountId, account: &Account) -> Result<(), VaultError> {
        if self.records.get(id.as_bytes())?.is_none() {
            return Err(VaultError::AccountNotFound(id));
        }
        let value = self.seal_record(id, account)?;
        self.apply(vec![(id, Some(value))])
    }

    /// Deletes the account stored under `id` (damaged or not), durable before returning.
    pub fn remove(&self, id: AccountId) -> Result<(), VaultError> {
        if self.records.get(id.as_bytes())?.is_none() {
            return Err(VaultError::AccountNotFound(id));
        }
        self.apply(vec![(id, None)])
    }

    /// Writes a change (`Some(value)`: put, `None`: delete) crash-safely:
    /// 1. `vault.index` with the change as pending; 2. the database, flushed;
    /// 3. `vault.index` with the change committed. Only then is the change acknowledged.
    fn apply(&self, changes: Vec<(AccountId, Option<Vec<u8>>)>) -> Result<(), VaultError> {
        let mut index = self.lock_index();
        if !index.pending.is_empty() {
            // An earlier change failed half-way: find out what the database holds first.
            let (settled, changed) = index.settle(&stored_hashes(self.records.as_ref())?)?;
            if changed {
                self.write_index(&settled)?;
            }
            *index = settled;
        }
        let mut staged = index.clone();
        staged.pending = changes
            .iter()
            .map(|(id, value)| (id.0, value.as_deref().map(index::record_hash)))
            .collect();
        self.write_index(&staged)?;
        *index = staged;
        for (id, value) in &changes {
            match value {
                Some(value) => self.records.insert(id.as_bytes(), value)?,
                None => {
                    self.records.remove(id.as_bytes())?;
                }
            }
        }
        self.records.flush()?;
        let committed = index.committed();
        self.write_index(&committed)?;
        *index = committed;
        Ok(())
    }

    fn lock_index(&self) -> MutexGuard<'_, Index> {
        // A panic half-way through `apply` leaves a pending change, which the next
        // `apply` settles: the state stays usable.
        self.index.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn write_index(&self, index: &Index) -> Result<(), VaultError> {
        let bytes = index.encode(&self.vault_id, &self.index_key);
        files::write_atomically(&self.dir.join(INDEX_FILE), &bytes)?;
        Ok(())
    }

    fn seal_record(&self, id: AccountId, account: &Account) -> Result<Vec<u8>, VaultError> {
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
        Ok(value)
    }

    fn open_record(&self, id: AccountId, value: &[u8]) -> Result<Account, VaultError> {
        let failed = || VaultError::Damaged(Damage::RecordUnreadable(id));
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
        serde_json::from_slice(&plaintext).map_err(|_| Damage::RecordUndecodable(id).into())
    }
}

/// A password slot wrapping `data_key` under Argon2id(`password`) with a fresh salt.
fn password_slot(
    vault_id: &[u8; VAULT_ID_LEN],
    data_key: &Key,
    password: &[u8],
    kdf: KdfParams,
) -> Result<Slot, VaultError> {
    let mut salt = [0u8; SALT_LEN];
    crypto::random_fill(&mut salt)?;
    let kek = kdf::derive_key(&kdf, password, &salt).ok_or_else(|| kdf.invalid_input_error())?;
    let mut slot = Slot {
        kind: SlotKind::Password,
        kdf,
        salt,
        wrapped_key: Vec::new(),
    };
    let ad = format::slot_ad(vault_id, &slot);
    slot.wrapped_key = crypto::seal(&kek, &ad, data_key.as_ref())?;
    Ok(slot)
}

/// Every stored record: id → SHA-256 of its value.
fn stored_hashes(records: &dyn Store) -> Result<BTreeMap<RecordId, index::Hash>, VaultError> {
    let mut out = BTreeMap::new();
    for (key, value) in records.iter()? {
        out.insert(record_id(&key)?.0, index::record_hash(&value));
    }
    Ok(out)
}

fn record_id(key: &[u8]) -> Result<AccountId, VaultError> {
    <[u8; 16]>::try_from(key)
        .map(AccountId)
        .map_err(|_| Damage::MalformedRecordId.into())
}

// The app keeps a `Vault` in a `Mutex` in Tauri state: it must stay `Send`.
const _: fn() = || {
    fn is_send<T: Send>() {}
    is_send::<Vault>();
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Algorithm, OtpKind, OtpParams, Secret};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    /// Where a failing store stops: at the first write (what a crash after step 1 of
    /// `apply` leaves), or right after the flush (a crash after step 2).
    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    enum FailAt {
        Write,
        AfterFlush,
    }

    /// The vault's own store, failing from `at` on while `failing` is set.
    struct FailingStore {
        inner: Box<dyn Store>,
        at: FailAt,
        failing: Arc<AtomicBool>,
    }

    impl FailingStore {
        fn fails(&self, at: FailAt) -> Result<(), VaultError> {
            if self.at == at && self.failing.load(Ordering::SeqCst) {
                return Err(VaultError::Io(std::io::Error::other(
                    "the test store fails here",
                )));
            }
            Ok(())
        }
    }

    impl Store for FailingStore {
        fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, VaultError> {
            self.inner.get(key)
        }
        fn insert(&self, key: &[u8], value: &[u8]) -> Result<(), VaultError> {
            self.fails(FailAt::Write)?;
            self.inner.insert(key, value)
        }
        fn remove(&self, key: &[u8]) -> Result<bool, VaultError> {
            self.fails(FailAt::Write)?;
            self.inner.remove(key)
        }
        fn iter(&self) -> Result<Vec<store::Pair>, VaultError> {
            self.inner.iter()
        }
        fn flush(&self) -> Result<(), VaultError> {
            self.inner.flush()?;
            self.fails(FailAt::AfterFlush)
        }
    }

    /// A stand-in while the real store is moved into its wrapper.
    impl Store for () {
        fn get(&self, _: &[u8]) -> Result<Option<Vec<u8>>, VaultError> {
            Ok(None)
        }
        fn insert(&self, _: &[u8], _: &[u8]) -> Result<(), VaultError> {
            Ok(())
        }
        fn remove(&self, _: &[u8]) -> Result<bool, VaultError> {
            Ok(false)
        }
        fn iter(&self) -> Result<Vec<store::Pair>, VaultError> {
            Ok(Vec::new())
        }
        fn flush(&self) -> Result<(), VaultError> {
            Ok(())
        }
    }

    /// Makes `vault`'s writes fail at `at`; clearing the returned flag lets them through.
    fn fail_writes(vault: &mut Vault, at: FailAt) -> Arc<AtomicBool> {
        let failing = Arc::new(AtomicBool::new(true));
        let inner = std::mem::replace(&mut vault.records, Box::new(()));
        vault.records = Box::new(FailingStore {
            inner,
            at,
            failing: Arc::clone(&failing),
        });
        failing
    }

    const PW: &[u8] = b"pw";

    fn account(name: &str, counter: u64) -> Account {
        Account {
            issuer: "Issuer".into(),
            name: name.into(),
            otp: OtpParams {
                secret: Secret::new(name.as_bytes().to_vec()),
                algorithm: Algorithm::Sha1,
                digits: 6,
                kind: OtpKind::Hotp { counter },
            },
        }
    }

    fn names(vault: &Vault) -> Vec<(String, u64)> {
        vault
            .entries()
            .unwrap()
            .into_iter()
            .map(|e| (e.account.name, e.account.otp.kind.counter().unwrap_or(0)))
            .collect()
    }

    /// A change interrupted after each of its steps: the vault opens, with the change
    /// absent (after step 1) or present (after step 2), and the index settled.
    #[test]
    fn interrupted_changes_open_in_the_old_or_new_state() {
        for at in [FailAt::Write, FailAt::AfterFlush] {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path();
            let (kept, gone) = {
                let mut vault = Vault::create_with(dir, PW, KdfParams::fast_for_tests()).unwrap();
                let kept = vault.add(&account("kept", 1)).unwrap();
                let gone = vault.add(&account("gone", 1)).unwrap();
                let new = AccountId([0xAB; 16]);
                let value = vault.seal_record(new, &account("new", 1)).unwrap();
                let updated = vault.seal_record(kept, &account("kept", 2)).unwrap();
                fail_writes(&mut vault, at);
                let interrupted = vault.apply(vec![
                    (new, Some(value)),
                    (kept, Some(updated)),
                    (gone, None),
                ]);
                assert!(interrupted.is_err(), "{at:?}");
                (kept, gone)
            };
            let vault = Vault::open(dir, PW).unwrap();
            let expected: Vec<(String, u64)> = if at == FailAt::Write {
                vec![("gone".into(), 1), ("kept".into(), 1)]
            } else {
                vec![("kept".into(), 2), ("new".into(), 1)]
            };
            assert_eq!(names(&vault), expected, "stopped at {at:?}");
            let index = vault.lock_index().clone();
            assert!(index.pending.is_empty());
            assert_eq!(index.generation, 3, "two adds, then the settled change");
            assert_eq!(index.records.contains_key(&gone.0), at == FailAt::Write);
            assert!(index.records.contains_key(&kept.0));
            drop(vault);
            // Settled on disk too: opens again the same.
            assert_eq!(names(&Vault::open(dir, PW).unwrap()), expected);
        }
    }

    /// A change whose sled write failed is settled before the next change.
    #[test]
    fn pending_change_is_settled_before_the_next() {
        let tmp = tempfile::tempdir().unwrap();
        let mut vault = Vault::create_with(tmp.path(), PW, KdfParams::fast_for_tests()).unwrap();
        let id = AccountId([1; 16]);
        let value = vault.seal_record(id, &account("a", 1)).unwrap();
        let failing = fail_writes(&mut vault, FailAt::AfterFlush);
        assert!(vault.apply(vec![(id, Some(value))]).is_err());
        assert_eq!(vault.lock_index().pending.len(), 1);
        failing.store(false, Ordering::SeqCst);
        vault.add(&account("b", 1)).unwrap();
        let index = vault.lock_index().clone();
        assert!(index.pending.is_empty());
        assert_eq!(index.records.len(), 2);
        assert_eq!(index.generation, 2);
    }

    /// A record sled lost after it was acknowledged is never accepted as "not yet written".
    #[test]
    fn acknowledged_record_lost_is_damaged() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let id = {
            let vault = Vault::create_with(dir, PW, KdfParams::fast_for_tests()).unwrap();
            vault.add(&account("a", 1)).unwrap();
            let id = vault.add(&account("b", 1)).unwrap();
            vault.records.remove(id.as_bytes()).unwrap();
            vault.records.flush().unwrap();
            id
        };
        let text = Vault::open(dir, PW).unwrap_err().to_string();
        assert!(text.contains("1 record was lost"), "{text}");
        assert!(text.contains(&id.to_string()), "{text}");
    }
}
