//! The vault's key slots: the password slot (Argon2id) and quick unlock's keyring slot, the
//! password check and change, and the header rewritten when they change.

use super::format::{self, Header, Slot, SlotKind, SALT_LEN};
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
        open_password_slot(&self.header, password).map(|_| ())
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

/// The shortest password a new vault or a password change takes, in characters of its NFC
/// form. NIST SP 800-63B's floor for a memorised secret; the UI warns below 10 and asks for
/// a confirmation, but no surface may go under this (the CLI only with
/// `--allow-short-password`, for scripts and tests that know what they do).
pub const MIN_PASSWORD_CHARS: usize = 8;

/// A new password shorter than [`MIN_PASSWORD_CHARS`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("The password is too short: use at least {MIN_PASSWORD_CHARS} characters. A few unrelated words are easy to remember and hard to guess.")]
pub struct PasswordTooShort;

/// Checks a password chosen for a new vault or a password change against the floor.
/// Bytes that are not UTF-8 count one character each.
pub fn check_new_password(password: &[u8]) -> Result<(), PasswordTooShort> {
    let normalized = kdf::normalized(password);
    let chars = match std::str::from_utf8(&normalized) {
        Ok(text) => text.chars().count(),
        Err(_) => normalized.len(),
    };
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordTooShort);
    }
    Ok(())
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
    let kek = kdf::derive_key(&kdf, &kdf::normalized(password), &salt)
        .ok_or_else(|| kdf.invalid_input_error())?;
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

/// The data key the password slot of `header` wraps, opened with `password` (see
/// [`kdf::unwrap_with_password`]); `true` when only the password as typed, not its NFC
/// form, opened it: the slot predates normalisation and should be wrapped again.
pub(super) fn open_password_slot(
    header: &Header,
    password: &[u8],
) -> Result<(Zeroizing<Vec<u8>>, bool), VaultError> {
    let slot = header
        .password_slot()
        .ok_or(Damage::HeaderLayout("has no password slot"))?;
    let ad = header.slot_ad(slot);
    match kdf::unwrap_with_password(&slot.kdf, password, &slot.salt, |kek| {
        crypto::open(kek, &ad, &slot.wrapped_key)
    }) {
        kdf::Unwrapped::Opened { value, as_typed } => Ok((value, as_typed)),
        kdf::Unwrapped::WrongPassword => Err(VaultError::WrongPassword),
        kdf::Unwrapped::UnusableParams => {
            Err(Damage::HeaderLayout("has key-derivation parameters out of range").into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "Café" with "é" as one character (NFC, what most keyboards type) and as "e" plus a
    /// combining acute accent (NFD, what some input methods and pasted macOS text give).
    const COMPOSED: &str = "Caf\u{e9} au lait";
    const DECOMPOSED: &str = "Cafe\u{301} au lait";

    fn fast_kdf() -> KdfParams {
        crate::vault::keep_weak_kdf_for_tests();
        KdfParams::fast_for_tests()
    }

    #[test]
    fn new_passwords_have_a_floor_counted_in_characters() {
        assert_eq!(check_new_password(b"seven77"), Err(PasswordTooShort));
        assert_eq!(check_new_password(b"eight888"), Ok(()));
        assert_eq!(check_new_password(b""), Err(PasswordTooShort));
        // Eight characters, sixteen bytes: long enough.
        assert_eq!(
            check_new_password(
                "\u{3b1}\u{3b2}\u{3b3}\u{3b4}\u{3b5}\u{3b6}\u{3b7}\u{3b8}".as_bytes()
            ),
            Ok(())
        );
        // Seven characters once "e" and its combining accent are one "é".
        assert_eq!(
            check_new_password("cafe\u{301}s12".as_bytes()),
            Err(PasswordTooShort)
        );
        assert!(PasswordTooShort
            .to_string()
            .contains("at least 8 characters"));
    }

    #[test]
    fn a_password_opens_in_either_unicode_form() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let dir = tmp.path();
        drop(Vault::create_with(dir, DECOMPOSED.as_bytes(), fast_kdf()));
        for typed in [COMPOSED, DECOMPOSED] {
            let vault = Vault::open(dir, typed.as_bytes());
            assert!(vault.is_ok(), "{typed:?}: {:?}", vault.err());
        }
        let vault = Vault::open(dir, COMPOSED.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert!(vault.verify_password(DECOMPOSED.as_bytes()).is_ok());
        assert!(matches!(
            vault.verify_password(b"Cafe au lait"),
            Err(VaultError::WrongPassword)
        ));
    }

    /// A vault whose slot was made from the bytes as typed, before passwords were
    /// normalised, opens with those bytes and is wrapped again under the NFC form.
    #[test]
    fn a_slot_made_before_normalisation_opens_and_is_made_again() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let dir = tmp.path();
        {
            let mut vault = Vault::create_with(dir, b"placeholder", fast_kdf())
                .unwrap_or_else(|e| panic!("{e}"));
            // The old rule: Argon2id over the bytes as given.
            let mut salt = [7u8; SALT_LEN];
            crypto::random_fill(&mut salt).unwrap_or_else(|e| panic!("{e}"));
            let kek = kdf::derive_key(&fast_kdf(), DECOMPOSED.as_bytes(), &salt)
                .unwrap_or_else(|| panic!("derive"));
            let mut slot = Slot {
                kind: SlotKind::Password,
                kdf: fast_kdf(),
                salt,
                wrapped_key: Vec::new(),
            };
            slot.wrapped_key =
                crypto::seal(&kek, &vault.header.slot_ad(&slot), vault.data_key.as_ref())
                    .unwrap_or_else(|e| panic!("{e}"));
            vault
                .write_header(vec![slot])
                .unwrap_or_else(|e| panic!("{e}"));
        }
        assert!(matches!(
            Vault::open(dir, COMPOSED.as_bytes()),
            Err(VaultError::WrongPassword)
        ));
        drop(Vault::open(dir, DECOMPOSED.as_bytes()).unwrap_or_else(|e| panic!("{e}")));
        // Wrapped again under the NFC form: now either form opens.
        assert!(Vault::open(dir, COMPOSED.as_bytes()).is_ok());
        assert!(Vault::open(dir, DECOMPOSED.as_bytes()).is_ok());
    }
}
