//! The vault's key slots: the password slot (Argon2id) and quick unlock's keyring slot, the
//! password check and change, and the header rewritten when they change.

use super::format::{self, Slot, SlotKind, SALT_LEN};
use super::*;

impl Vault {
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
            &self.header.slot_ad(&slot),
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

    /// Replaces the header's password slot with one for `password` under `kdf`, for the
    /// same data key (the KDF upgrade at unlock; a password change makes a new key, see
    /// `rotate.rs`). Other slots (quick unlock) stay: they wrap the same data key.
    pub(super) fn rewrap(&mut self, password: &[u8], kdf: KdfParams) -> Result<(), VaultError> {
        let mut slots = vec![password_slot(&self.header, &self.data_key, password, kdf)?];
        slots.extend(self.header.slots_except(SlotKind::Password));
        self.write_header(slots)
    }

    /// Writes a header with `slots`, atomically: a crash leaves the old header or the new one.
    pub(super) fn write_header(&mut self, slots: Vec<Slot>) -> Result<(), VaultError> {
        let header = Header {
            slots,
            ..self.header.clone()
        };
        let mac_key = crypto::derive_subkey(&self.data_key, &self.vault_id, INFO_HEADER_MAC);
        let mac = crypto::hmac_sign(&mac_key, &header.body());
        files::write_atomically(&self.dir.join(HEADER_FILE), &header.encode(&mac))?;
        self.header = header;
        Ok(())
    }
}

/// True when a slot's parameters should be raised at unlock: whenever they are below the
/// policy, whatever they are, except in a test build that asked to keep them
/// (`keep_weak_kdf_for_tests`, test-support builds only).
pub(super) fn kdf_below_policy(params: &KdfParams) -> bool {
    !params.meets_policy() && !kdf::weak_kdf_kept()
}

/// A password slot for a header like `header` (its vault, layout and key epoch) wrapping
/// `data_key` under Argon2id(`password`) with a fresh salt.
pub(super) fn password_slot(
    header: &Header,
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
    let ad = header.slot_ad(&slot);
    slot.wrapped_key = crypto::seal(&kek, &ad, data_key.as_ref())?;
    Ok(slot)
}
