//! Making and opening a vault: the header read and checked, a key slot opened, the header
//! MAC, the record database and the index checked, a change a crash interrupted settled.

use std::fs;
use std::path::Path;
use std::sync::Mutex;

use super::format::{self, Header, VAULT_ID_LEN};
use super::index::{self, Index};
use super::records::stored_hashes;
use super::slots::{kdf_below_policy, open_password_slot, password_slot};
use super::store::{self, SledStore};
use super::*;

impl Vault {
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
        let mut vault_id = [0u8; VAULT_ID_LEN];
        crypto::random_fill(&mut vault_id)?;
        let data_key = crypto::random_key()?;
        let mut header = Header {
            version: format::HEADER_V2,
            vault_id,
            epoch: 0,
            slots: Vec::new(),
        };
        header.slots = vec![password_slot(&header, &data_key, password, kdf)?];
        Self::create_from(dir, header, data_key)
    }

    /// Creates a vault in `dir` (which must hold none) with `header` (its id, key epoch
    /// and slots) over `data_key`: a new vault, or this computer's copy of a synced one.
    pub(super) fn create_from(
        dir: &Path,
        header: Header,
        data_key: Key,
    ) -> Result<Vault, VaultError> {
        if Self::exists(dir) {
            return Err(VaultError::AlreadyExists);
        }
        files::create_private_dir(dir)?;
        let lock = files::lock(&dir.join(LOCK_FILE))?;
        if Self::exists(dir) {
            return Err(VaultError::AlreadyExists);
        }
        // Records and an index without a header: a vault that lost its header (its
        // backups' slots still open them) is never replaced; the leftovers of a creation
        // that stopped half-way (still marked) can go.
        if Self::has_vault_files(dir) {
            return Err(Damage::MissingHeader.into());
        }
        let records_dir = dir.join(RECORDS_DIR);
        if records_dir.exists() {
            fs::remove_dir_all(&records_dir)?;
        }
        files::write_atomically(&dir.join(CREATING_FILE), b"")?;

        let vault_id = header.vault_id;
        let mac_key = crypto::derive_subkey(&data_key, &vault_id, INFO_HEADER_MAC);
        let mac = crypto::hmac_sign(&mac_key, &header.body());

        let db = store::open_sled(&records_dir)?;
        let meta = SledStore::open_tree(&db, META_TREE)?;
        meta.insert(META_VAULT_ID, &vault_id)?;
        meta.flush()?;
        let records = SledStore::open_tree(&db, &records_tree(header.epoch))?;
        records.flush()?;
        let index = Index::new(header.epoch, upgrade::new_device_id()?);

        let vault = Vault {
            dir: dir.to_path_buf(),
            vault_id,
            record_key: crypto::derive_subkey(&data_key, &vault_id, INFO_RECORD_KEY),
            index_key: crypto::derive_subkey(&data_key, &vault_id, INFO_INDEX_MAC),
            data_key,
            header,
            records: Box::new(records),
            index: Mutex::new(index.clone()),
            _lock: lock,
        };
        vault.write_index(&index)?;
        // The header goes last: until it exists the folder is not a vault.
        files::write_atomically(&dir.join(HEADER_FILE), &vault.header.encode(&mac))?;
        // Best effort: once the header exists the marker means nothing (see CREATING_FILE).
        let _ = fs::remove_file(dir.join(CREATING_FILE));
        Ok(vault)
    }

    /// Opens the vault in `dir` with `password`.
    ///
    /// Errors: [`VaultError::NotFound`] (no vault file at all), [`VaultError::InUse`] (another `Vault`
    /// holds it), [`VaultError::WrongPassword`], [`VaultError::Damaged`] (also when the
    /// record database does not hold exactly the records `vault.index` lists, and when the
    /// password slot refuses a password that opens the newest backup of the same key:
    /// [`Damage::HeaderSlot`]). Nothing is
    /// written unless the password is right and every check has passed; then a change
    /// interrupted by a crash is settled in `vault.index`, and a password slot below
    /// [`KdfParams::POLICY_MINIMUM`] is re-wrapped with calibrated parameters (best
    /// effort: a failure there does not fail the open).
    pub fn open(dir: &Path, password: &[u8]) -> Result<Vault, VaultError> {
        let (lock, header, mac) = Self::read_header(dir)?;
        let (data_key, as_typed) = match open_password_slot(&header, password) {
            Err(VaultError::WrongPassword)
                if backup::newest_slot_opens(
                    &dir.join(BACKUPS_DIR),
                    &header.vault_id,
                    header.epoch,
                    password,
                ) =>
            {
                return Err(Damage::HeaderSlot.into());
            }
            opened => opened?,
        };
        let slot_kdf = header
            .password_slot()
            .map(|slot| slot.kdf)
            .ok_or(Damage::HeaderLayout("has no password slot"))?;
        let mut vault = Self::finish_open(dir, lock, header, &mac, to_key(&data_key)?)?;
        if kdf_below_policy(&slot_kdf) || as_typed {
            // Best effort: the vault opened, and an upgrade can wait for the next unlock.
            let kdf = if kdf_below_policy(&slot_kdf) {
                KdfParams::calibrated()
            } else {
                slot_kdf
            };
            let _ = vault.rewrap(password, kdf);
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

    pub(super) fn read_header_bytes(dir: &Path) -> Result<Vec<u8>, VaultError> {
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
    pub(super) fn read_header(
        dir: &Path,
    ) -> Result<(File, Header, [u8; crypto::MAC_LEN]), VaultError> {
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
    pub(super) fn finish_open(
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
        let index_key = crypto::derive_subkey(&data_key, &vault_id, INFO_INDEX_MAC);
        let index = rotate::read_index(dir, &vault_id, &index_key, header.epoch)?;
        let record_key = crypto::derive_subkey(&data_key, &vault_id, INFO_RECORD_KEY);
        let (index, settled) = if index.version == index::VERSION_1 {
            // Checked like any vault, then rewritten as v2 in one change: see `upgrade`.
            let v1 = upgrade::read_v1(&db, &index, &record_key, &vault_id)?;
            let upgraded =
                upgrade::to_v2(&db, dir, &vault_id, &index_key, &record_key, &index, v1)?;
            (upgraded, None)
        } else {
            let tree = records_tree(header.epoch);
            let stored = stored_hashes(&SledStore::open_tree(&db, &tree)?)?;
            let (settled, changed) = index.settle(&stored)?;
            (index, changed.then_some(settled))
        };
        let records = SledStore::open_tree(&db, &records_tree(header.epoch))?;

        let vault = Vault {
            dir: dir.to_path_buf(),
            vault_id,
            header,
            record_key,
            index_key,
            data_key,
            records: Box::new(records),
            index: Mutex::new(index),
            _lock: lock,
        };
        // A change a crash interrupted: record what the database holds. If this write
        // fails (a full disk), the pending change stays and is settled before the next one.
        if let Some(settled) = settled {
            if vault.write_index(&settled).is_ok() {
                *vault.lock_index() = settled;
            }
        }
        // What an interrupted upgrade or key change left behind (best effort: the vault is
        // whole without it, and the next open tries again).
        let _ = vault.finish_key_change(None);
        Ok(vault)
    }
}
