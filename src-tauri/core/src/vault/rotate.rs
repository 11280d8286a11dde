//! A password change makes a new data key: every record is sealed again under it, the
//! backups are re-encrypted, and the header's key epoch moves on, so that an old password
//! with an old copy of the header opens nothing written since (see `docs/vault-format.md`,
//! "Password change").
//!
//! One crash-safe change, committed by the header's atomic rename:
//! 1. the records go, re-sealed, into a fresh tree for the new epoch (flushed);
//! 2. the index of the new epoch is written to `vault.index.next`, and each backup
//!    re-encrypted to `<name>.rbak.next`;
//! 3. the new header (new epoch, slots wrapping the new key) replaces the old one: the
//!    commit. A kill before it leaves the old password working and nothing changed;
//! 4. `vault.index.next` and the backups are renamed into place, the old tree dropped.
//!    A kill during this step is finished by the next open ([`Vault::finish_key_change`]),
//!    which tells a committed change from an abandoned one by which key opens the files.

use std::fs;
use std::path::{Path, PathBuf};

use super::backup::{self, SlotCopy};
use super::format::{self, RecordKind, HEADER_V2};
use super::index::{self, Index};
use super::slots::password_slot;
use super::*;

/// What a password change did besides the change itself.
#[derive(Debug, Default)]
pub struct PasswordChange {
    /// Backups re-encrypted: they open with the new password only.
    pub backups_reencrypted: usize,
    /// Backups this vault's key did not open (made before an earlier password change, or
    /// damaged): left as they are, they open with the password they were made with.
    pub backups_left: Vec<PathBuf>,
    /// Quick unlock was on and the keyring did not give its key: it is now off.
    pub quick_unlock_turned_off: Option<KeyringError>,
}

const NEXT_SUFFIX: &str = "next";

impl Vault {
    /// Changes the password and the data key (see the module documentation). Keeps the
    /// slot's Argon2id parameters when they meet the policy, else calibrates new ones.
    /// Quick unlock stays on when `keyring` gives its key. Fails with
    /// [`VaultError::Damaged`], changing nothing, when a record does not open.
    pub fn change_password(
        &mut self,
        new_password: &[u8],
        keyring: Option<&dyn SecretStore>,
    ) -> Result<PasswordChange, VaultError> {
        let current = self.kdf_params();
        let kdf = if slots::kdf_below_policy(&current) {
            KdfParams::calibrated()
        } else {
            current
        };
        self.change_key(new_password, kdf, keyring)
    }

    /// Like [`change_password`](Self::change_password), with the given parameters.
    pub fn change_password_with(
        &mut self,
        new_password: &[u8],
        kdf: KdfParams,
        keyring: Option<&dyn SecretStore>,
    ) -> Result<PasswordChange, VaultError> {
        if !kdf.is_usable() {
            return Err(kdf.invalid_input_error());
        }
        self.change_key(new_password, kdf, keyring)
    }

    fn change_key(
        &mut self,
        new_password: &[u8],
        kdf: KdfParams,
        keyring: Option<&dyn SecretStore>,
    ) -> Result<PasswordChange, VaultError> {
        let epoch = self
            .header
            .epoch
            .checked_add(1)
            .ok_or(VaultError::Internal("the key epoch is exhausted"))?;
        let data_key = crypto::random_key()?;
        let mut header = Header {
            version: HEADER_V2,
            vault_id: self.vault_id,
            epoch,
            slots: Vec::new(),
        };
        header
            .slots
            .push(password_slot(&header, &data_key, new_password, kdf)?);
        self.move_to_key(header, data_key, keyring)
    }

    /// Takes the data key that another copy of this vault moved to when its password was
    /// changed there (sync): `header_bytes` is that copy's header, `password` its new
    /// password. The records, index and backups here are sealed again under that key, as
    /// a password change here would (one crash-safe change); this copy's quick unlock
    /// stays on when `keyring` gives its key. Refused, changing nothing, for another
    /// vault's header, one no newer than this copy's, or a password that does not open it.
    pub fn adopt_key(
        &mut self,
        header_bytes: &[u8],
        password: &[u8],
        keyring: Option<&dyn SecretStore>,
    ) -> Result<PasswordChange, VaultError> {
        let (theirs, mac) = Header::decode(header_bytes)?;
        if theirs.vault_id != self.vault_id {
            return Err(VaultError::Internal("the header belongs to another vault"));
        }
        if theirs.epoch <= self.header.epoch {
            return Err(VaultError::Internal(
                "the header is not newer than this vault's",
            ));
        }
        let (data_key, _) = slots::open_password_slot(&theirs, password)?;
        let data_key = to_key(&data_key)?;
        let mac_key = crypto::derive_subkey(&data_key, &self.vault_id, INFO_HEADER_MAC);
        if !crypto::hmac_verify(&mac_key, &theirs.body(), &mac) {
            return Err(Damage::HeaderMac.into());
        }
        let header = Header {
            slots: theirs.slots_except(format::SlotKind::Keyring),
            ..theirs
        };
        self.move_to_key(header, data_key, keyring)
    }

    /// The change itself: every record, the index and the backups sealed again under
    /// `data_key`, committed by writing `header` (its password slot wraps `data_key`; the
    /// keyring slot is added here when `keyring` gives quick unlock's key).
    fn move_to_key(
        &mut self,
        mut header: Header,
        data_key: Key,
        keyring: Option<&dyn SecretStore>,
    ) -> Result<PasswordChange, VaultError> {
        let index = self.settled_index()?;
        let epoch = header.epoch;
        let record_key = crypto::derive_subkey(&data_key, &self.vault_id, INFO_RECORD_KEY);
        let index_key = crypto::derive_subkey(&data_key, &self.vault_id, INFO_INDEX_MAC);
        let next_tree = records_tree(epoch);
        let cleanup = |vault: &Vault| {
            let _ = vault.records.drop_sibling(&next_tree);
            let _ = fs::remove_file(vault.dir.join(INDEX_NEXT_FILE));
            remove_next_backups(&vault.backup_dir());
        };

        let staged = (|| {
            let (records, next_index) =
                self.stage_key_change(&index, epoch, &record_key, &index_key)?;
            let quick_unlock_turned_off = self.add_keyring_slot(&mut header, &data_key, keyring)?;
            let mut report = self.stage_backups(&header, &data_key)?;
            report.quick_unlock_turned_off = quick_unlock_turned_off;
            Ok::<_, VaultError>((records, next_index, report))
        })();
        let (records, next_index, mut report) = match staged {
            Ok(staged) => staged,
            Err(error) => {
                cleanup(self);
                return Err(error);
            }
        };

        // Settings sealed under the old key, to be sealed again under the new one (a file
        // that did not verify stays as it is: it was not in force anyway).
        let settings_path = self.dir.join(crate::settings::SETTINGS_FILE);
        let settings = settings_path
            .exists()
            .then(|| crate::settings::Settings::load_sealed(&self.dir, self).ok())
            .flatten();

        // The WebDAV folder's password, sealed under the old key: sealed again after.
        let sync_login = crate::sync::login_before_key_change(self);
        // Linked folders' backup passwords, the same way.
        let linked_passwords = crate::linked::passwords_before_key_change(self);

        // This computer's clock settings (`clock.sealed`), sealed under the old key too.
        let clock = crate::clock::ClockSettings::load(self).ok();

        // The commit.
        let mac_key = crypto::derive_subkey(&data_key, &self.vault_id, INFO_HEADER_MAC);
        let mac = crypto::hmac_sign(&mac_key, &header.body());
        let encoded = header.encode(&mac);
        let header_path = self.dir.join(HEADER_FILE);
        if let Err(error) = files::write_atomically(&header_path, &encoded) {
            // The rename may have happened before the failure (a folder fsync): then the
            // change is committed and what it staged must stay.
            if fs::read(&header_path).ok().as_deref() != Some(&encoded[..]) {
                cleanup(self);
                return Err(error.into());
            }
        }
        let old_entry = self.quick_unlock_entry();
        let old_tree = records_tree(self.header.epoch);
        self.header = header;
        self.data_key = data_key;
        self.record_key = record_key;
        self.index_key = index_key;
        self.records = records;
        *self.lock_index() = next_index;
        if report.quick_unlock_turned_off.is_some() {
            if let (Some(entry), Some(keyring)) = (old_entry, keyring) {
                let _ = keyring.delete(&entry);
            }
        }
        // Best effort: a crash before this leaves a file the next unlock does not verify,
        // and the defaults (the strictest) apply until the settings are saved again.
        if let Some(settings) = settings {
            let _ = settings.save_sealed(&self.dir, self);
        }
        // Best effort too: if lost, the next sync asks for the WebDAV password again.
        if let Some(login) = sync_login {
            let _ = crate::sync::reseal_login(self, login);
        }
        // Best effort: if lost, the link says so and is added again with its password.
        if let Some(passwords) = linked_passwords {
            let _ = crate::linked::reseal_passwords(self, passwords);
        }
        // Best effort: if lost, the app asks again whether to check the clock.
        if let Some(clock) = clock {
            let _ = clock.save(self);
        }
        // Done at the next open if this fails: the vault is already under the new key.
        let _ = self.finish_key_change(Some(&old_tree));
        report.backups_left.sort();
        Ok(report)
    }

    /// The index with any change a failure left pending settled (written when it changed).
    fn settled_index(&self) -> Result<Index, VaultError> {
        let mut index = self.lock_index();
        self.settle_pending(&mut index)?;
        Ok(index.clone())
    }

    /// Step 1 and the index of step 2: every record sealed again under `record_key` in the
    /// tree of `epoch`, flushed, and its index in `vault.index.next`.
    fn stage_key_change(
        &self,
        index: &Index,
        epoch: u32,
        record_key: &Key,
        index_key: &Key,
    ) -> Result<(Box<dyn Store>, Index), VaultError> {
        let name = records_tree(epoch);
        self.records.drop_sibling(&name)?;
        let tree = self.records.sibling(&name)?;
        let mut next = Index {
            epoch,
            generation: index.generation.saturating_add(1),
            records: Default::default(),
            pending: Default::default(),
            ..index.clone()
        };
        for (key, value) in self.records.iter()? {
            let (kind, id) = RecordKind::of(&key).ok_or(Damage::MalformedRecordId)?;
            let key = kind.key(&id);
            let unreadable = || VaultError::Damaged(Damage::RecordUnreadable(id));
            let (&version, sealed) = value.split_first().ok_or_else(unreadable)?;
            let ad = format::record_ad(&self.vault_id, version, &key);
            // The plaintext as stored, fields this version does not know included.
            let plaintext = Zeroizing::new(
                crypto::open(&self.record_key, &ad, sealed)
                    .ok_or_else(unreadable)?
                    .to_vec(),
            );
            let mut resealed = vec![version];
            resealed.extend_from_slice(&crypto::seal(record_key, &ad, &plaintext)?);
            tree.insert(&key, &resealed)?;
            next.records.insert(key, index::record_hash(&resealed));
        }
        tree.flush()?;
        files::write_atomically(
            &self.dir.join(INDEX_NEXT_FILE),
            &next.encode(&self.vault_id, index_key),
        )?;
        Ok((tree, next))
    }

    /// Adds to `header` the keyring slot wrapping `data_key` under quick unlock's key,
    /// when quick unlock is on and `keyring` gives that key; else quick unlock goes off,
    /// and the reason is returned.
    fn add_keyring_slot(
        &self,
        header: &mut Header,
        data_key: &Key,
        keyring: Option<&dyn SecretStore>,
    ) -> Result<Option<KeyringError>, VaultError> {
        let Some(old) = self.header.keyring_slot() else {
            return Ok(None);
        };
        let slot_key = match keyring {
            Some(keyring) => keyring
                .get(&keyring::entry_name(&self.vault_id, &old.salt))
                .and_then(|stored| to_key(&stored).map_err(|_| KeyringError::WrongKey)),
            None => Err(KeyringError::Unavailable("not asked for".into())),
        };
        match slot_key {
            Ok(slot_key) => {
                let mut slot = old.clone();
                slot.wrapped_key =
                    crypto::seal(&slot_key, &header.slot_ad(&slot), data_key.as_ref())?;
                header.slots.push(slot);
                Ok(None)
            }
            Err(error) => Ok(Some(error)),
        }
    }

    /// The backups of step 2: each one this vault's key opens, re-encrypted under the new
    /// key and password slot into `<name>.rbak.next`.
    fn stage_backups(&self, header: &Header, data_key: &Key) -> Result<PasswordChange, VaultError> {
        let mut report = PasswordChange::default();
        let dir = self.backup_dir();
        let slot = header
            .password_slot()
            .ok_or(VaultError::Internal("the new header has no password slot"))?;
        let copy = SlotCopy {
            header_version: header.version,
            epoch: header.epoch,
            slot,
        };
        for info in backup::list(&dir).unwrap_or_default() {
            let opened = backup::read_bytes(&info.path)
                .ok()
                .and_then(|bytes| backup::decode_with_key(&bytes, &self.vault_id, &self.data_key));
            match opened {
                Some((created, entries)) => {
                    let bytes = backup::encode(&self.vault_id, &copy, data_key, created, &entries)?;
                    files::write_atomically(&next_name(&info.path), &bytes)?;
                    report.backups_reencrypted += 1;
                }
                None => report.backups_left.push(info.path),
            }
        }
        Ok(report)
    }

    /// Step 4, also run by every open: puts in place what a committed key change staged,
    /// and removes what an abandoned one left. `old_tree`: the tree the change replaced,
    /// when known; any tree other than the current epoch's is dropped either way.
    pub(super) fn finish_key_change(&self, old_tree: Option<&str>) -> Result<(), VaultError> {
        let next = self.dir.join(INDEX_NEXT_FILE);
        if next.exists() {
            let current = |path: &Path| {
                index_of_epoch(path, &self.vault_id, &self.index_key, self.header.epoch).is_some()
            };
            if current(&next) && !current(&self.dir.join(INDEX_FILE)) {
                fs::rename(&next, self.dir.join(INDEX_FILE))?;
                files::sync_dir(&self.dir)?;
            } else {
                fs::remove_file(&next)?;
            }
        }
        let dir = self.backup_dir();
        for path in next_backups(&dir) {
            let ours = backup::read_bytes(&path)
                .ok()
                .and_then(|bytes| backup::decode_with_key(&bytes, &self.vault_id, &self.data_key))
                .is_some();
            if ours {
                let mut target = path.clone();
                target.set_extension("");
                fs::rename(&path, &target)?;
            } else {
                fs::remove_file(&path)?;
            }
        }
        let current = records_tree(self.header.epoch);
        if let Some(old) = old_tree {
            self.records.drop_sibling(old)?;
        }
        for name in self.records.tree_names()? {
            if name.starts_with("records") && name != current {
                self.records.drop_sibling(&name)?;
            }
        }
        Ok(())
    }
}

/// The index file at `path` when it opens under `index_key` and names `epoch`.
fn index_of_epoch(
    path: &Path,
    vault_id: &[u8; format::VAULT_ID_LEN],
    index_key: &Key,
    epoch: u32,
) -> Option<Index> {
    let bytes = files::read_limited(path, index::MAX_INDEX_LEN, "record index").ok()?;
    Index::decode(&bytes, vault_id, index_key)
        .ok()
        .filter(|index| index.epoch == epoch)
}

/// The index an open uses, for a header of key epoch `epoch` whose key gives `index_key`:
/// `vault.index`, or, when a key change was committed but not finished, the
/// `vault.index.next` it staged (then renamed into place). An index that names a later
/// epoch than the header means the header was rolled back to an older copy.
pub(super) fn read_index(
    dir: &Path,
    vault_id: &[u8; format::VAULT_ID_LEN],
    index_key: &Key,
    epoch: u32,
) -> Result<Index, VaultError> {
    let path = dir.join(INDEX_FILE);
    if !path.is_file() {
        return Err(Damage::MissingIndex.into());
    }
    let bytes = files::read_limited(&path, index::MAX_INDEX_LEN, "record index")?;
    match Index::decode(&bytes, vault_id, index_key) {
        Ok(index) if index.epoch == epoch => Ok(index),
        Ok(_) => Err(Damage::IndexLayout("belongs to another key epoch").into()),
        Err(VaultError::Damaged(Damage::IndexMac)) => {
            let next = dir.join(INDEX_NEXT_FILE);
            if let Some(index) = index_of_epoch(&next, vault_id, index_key, epoch) {
                fs::rename(&next, &path)?;
                files::sync_dir(dir)?;
                return Ok(index);
            }
            if Index::unverified_epoch(&bytes).is_some_and(|named| named > epoch) {
                return Err(Damage::HeaderRolledBack.into());
            }
            Err(Damage::IndexMac.into())
        }
        Err(error) => Err(error),
    }
}

/// `<path>.next`.
fn next_name(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(NEXT_SUFFIX);
    PathBuf::from(name)
}

/// The `*.rbak.next` files in `dir`.
fn next_backups(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let suffix = format!(".{}.{NEXT_SUFFIX}", backup::EXTENSION);
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.to_string_lossy().ends_with(&suffix))
        .collect()
}

fn remove_next_backups(dir: &Path) {
    for path in next_backups(dir) {
        let _ = fs::remove_file(path);
    }
}
