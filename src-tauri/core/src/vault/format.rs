//! The byte layout of `vault.header` (the same in formats v1 and v2), and the keys and
//! associated data of sealed records.
//! See the [module documentation](super) for the full description.

use super::crypto::{MAC_LEN, SEAL_OVERHEAD};
use super::error::{Damage, VaultError};
use super::kdf::KdfParams;
use crate::model::AccountId;

/// First bytes of every header file.
pub(crate) const MAGIC: &[u8; 8] = b"RINGLETV";
/// Header layout 1: no key epoch (read; written only by format-v1 builds).
pub(crate) const HEADER_V1: u16 = 1;
/// Header layout 2: the key epoch after the vault id, bound into every slot's AD. The one
/// written. (The vault's format is the index's version, see `index.rs`.)
pub(crate) const HEADER_V2: u16 = 2;
pub(crate) const VAULT_ID_LEN: usize = 16;
pub(crate) const SALT_LEN: usize = 16;
/// Slot kind 1: the data key wrapped under Argon2id(password).
pub(crate) const SLOT_KIND_PASSWORD_ARGON2ID: u8 = 1;
/// Slot kind 2: the data key wrapped under a random key kept in the OS keyring (quick unlock).
pub(crate) const SLOT_KIND_KEYRING: u8 = 2;
/// Headers may hold several slots: one password slot, at most one keyring slot, room for
/// later kinds (e.g. a recovery key).
const MAX_SLOTS: usize = 8;

/// magic ‖ version ‖ vault id ‖ (layout 2: epoch) ‖ slot count
const PREFIX_LEN_V1: usize = 8 + 2 + VAULT_ID_LEN + 1;
const PREFIX_LEN: usize = PREFIX_LEN_V1 + 4;
/// kind ‖ memory ‖ iterations ‖ parallelism ‖ salt — the part of a slot that is its AEAD's AD.
pub(crate) const SLOT_PARAMS_LEN: usize = 1 + 4 + 4 + 4 + SALT_LEN;
pub(crate) const WRAPPED_KEY_LEN: usize = 32 + SEAL_OVERHEAD;
const SLOT_LEN: usize = SLOT_PARAMS_LEN + WRAPPED_KEY_LEN;
/// Largest header a reader accepts before parsing.
pub(crate) const MAX_HEADER_LEN: u64 = (PREFIX_LEN + MAX_SLOTS * SLOT_LEN + 2 * MAC_LEN) as u64;

/// What unwraps a slot's key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SlotKind {
    /// Argon2id(password, salt) with the slot's parameters.
    Password,
    /// A random 32-byte key stored in the OS keyring under an entry named after the vault id
    /// and the slot's salt (see `keyring::entry_name`). Its KDF parameters are all zero.
    Keyring,
}

impl SlotKind {
    fn byte(self) -> u8 {
        match self {
            SlotKind::Password => SLOT_KIND_PASSWORD_ARGON2ID,
            SlotKind::Keyring => SLOT_KIND_KEYRING,
        }
    }
}

/// A keyring slot has no key derivation: its parameters are stored as zeros.
pub(crate) const NO_KDF: KdfParams = KdfParams {
    memory_kib: 0,
    iterations: 0,
    parallelism: 0,
};

/// One key slot.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Slot {
    pub kind: SlotKind,
    /// [`NO_KDF`] for a keyring slot.
    pub kdf: KdfParams,
    /// Argon2id salt of a password slot; names the keyring entry of a keyring slot.
    pub salt: [u8; SALT_LEN],
    /// nonce ‖ AES-256-GCM(KEK, data key) ‖ tag. Not secret without the password (or the
    /// keyring's key).
    pub wrapped_key: Vec<u8>,
}

impl Slot {
    pub(crate) fn params_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(SLOT_PARAMS_LEN);
        out.push(self.kind.byte());
        out.extend_from_slice(&self.kdf.memory_kib.to_be_bytes());
        out.extend_from_slice(&self.kdf.iterations.to_be_bytes());
        out.extend_from_slice(&self.kdf.parallelism.to_be_bytes());
        out.extend_from_slice(&self.salt);
        out
    }
}

/// The parsed header. `mac` is checked by the caller once the data key is known.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Header {
    /// [`HEADER_V2`], or [`HEADER_V1`] as read from a vault whose header was last written
    /// by a format-v1 build.
    pub version: u16,
    pub vault_id: [u8; VAULT_ID_LEN],
    /// Which data key the slots wrap: 0 at creation, + 1 at each password change (which
    /// makes a new data key). Layout 1 headers are epoch 0.
    pub epoch: u32,
    pub slots: Vec<Slot>,
}

impl Header {
    /// The password slot (a decoded header always has exactly one).
    pub fn password_slot(&self) -> Option<&Slot> {
        self.slots.iter().find(|s| s.kind == SlotKind::Password)
    }

    /// The keyring slot, when quick unlock is on.
    pub fn keyring_slot(&self) -> Option<&Slot> {
        self.slots.iter().find(|s| s.kind == SlotKind::Keyring)
    }

    /// Copies of every slot but those of `kind`: the start of a header that replaces them.
    pub fn slots_except(&self, kind: SlotKind) -> Vec<Slot> {
        self.slots
            .iter()
            .filter(|s| s.kind != kind)
            .cloned()
            .collect()
    }

    /// Everything the HMAC covers: prefix and slots.
    pub fn body(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(PREFIX_LEN + self.slots.len() * SLOT_LEN);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.version.to_be_bytes());
        out.extend_from_slice(&self.vault_id);
        if self.version != HEADER_V1 {
            out.extend_from_slice(&self.epoch.to_be_bytes());
        }
        // Callers never build more than MAX_SLOTS slots.
        out.push(self.slots.len().min(MAX_SLOTS) as u8);
        for slot in self.slots.iter().take(MAX_SLOTS) {
            out.extend_from_slice(&slot.params_bytes());
            out.extend_from_slice(&slot.wrapped_key);
        }
        out
    }

    /// Associated data of a slot's AEAD: "ringlet/slot" ‖ magic ‖ version ‖ vault id ‖
    /// (layout 2: epoch) ‖ slot params. Binds the wrapped key to this vault, its key epoch
    /// and the parameters that derive its KEK.
    pub fn slot_ad(&self, slot: &Slot) -> Vec<u8> {
        slot_ad(&self.vault_id, self.version, self.epoch, slot)
    }

    /// The file's bytes: body ‖ HMAC(body) ‖ SHA-256(body ‖ HMAC).
    pub fn encode(&self, mac: &[u8; MAC_LEN]) -> Vec<u8> {
        let mut out = self.body();
        out.extend_from_slice(mac);
        let checksum = super::crypto::sha256(&out);
        out.extend_from_slice(&checksum);
        out
    }

    /// Parses a header file. Returns the header and its HMAC (not yet verified).
    /// Any structural problem, an unknown version or a checksum mismatch is `Damaged`.
    pub fn decode(bytes: &[u8]) -> Result<(Header, [u8; MAC_LEN]), VaultError> {
        let damaged = |how: &'static str| VaultError::Damaged(Damage::HeaderLayout(how));
        if bytes.len() < PREFIX_LEN_V1 + 2 * MAC_LEN || bytes.get(..8) != Some(&MAGIC[..]) {
            return Err(damaged("is not a Ringlet vault header"));
        }
        let (content, checksum) = bytes.split_at(bytes.len() - MAC_LEN);
        if super::crypto::sha256(content) != checksum {
            return Err(Damage::HeaderChecksum.into());
        }
        let mut r = Reader::new(&content[8..], "the header");
        let version = r.u16()?;
        if version > HEADER_V2 {
            // The checksum held: a later Ringlet wrote it.
            return Err(VaultError::NewerFormat(version));
        }
        if version != HEADER_V1 && version != HEADER_V2 {
            return Err(Damage::HeaderVersion(version).into());
        }
        let vault_id: [u8; VAULT_ID_LEN] = r.array()?;
        let epoch = if version == HEADER_V1 { 0 } else { r.u32()? };
        let count = usize::from(r.u8()?);
        if count == 0 || count > MAX_SLOTS {
            return Err(damaged("has an invalid number of key slots"));
        }
        let mut slots = Vec::with_capacity(count);
        for _ in 0..count {
            let kind = match r.u8()? {
                SLOT_KIND_PASSWORD_ARGON2ID => SlotKind::Password,
                SLOT_KIND_KEYRING => SlotKind::Keyring,
                _ => return Err(damaged("has a key slot of an unknown kind")),
            };
            let kdf = KdfParams {
                memory_kib: r.u32()?,
                iterations: r.u32()?,
                parallelism: r.u32()?,
            };
            let params_fit = match kind {
                SlotKind::Password => kdf.is_usable(),
                SlotKind::Keyring => kdf == NO_KDF,
            };
            if !params_fit {
                return Err(damaged("has key-derivation parameters out of range"));
            }
            if slots.iter().any(|s: &Slot| s.kind == kind) {
                return Err(damaged("has two key slots of the same kind"));
            }
            let salt: [u8; SALT_LEN] = r.array()?;
            let wrapped_key = r.take(WRAPPED_KEY_LEN)?.to_vec();
            slots.push(Slot {
                kind,
                kdf,
                salt,
                wrapped_key,
            });
        }
        if !slots.iter().any(|s| s.kind == SlotKind::Password) {
            return Err(damaged("has no password slot"));
        }
        let mac: [u8; MAC_LEN] = r.array()?;
        if !r.rest().is_empty() {
            return Err(damaged("has unexpected trailing bytes"));
        }
        Ok((
            Header {
                version,
                vault_id,
                epoch,
                slots,
            },
            mac,
        ))
    }
}

/// Associated data of a slot's AEAD in the vault `vault_id` whose header has layout
/// `version` and key epoch `epoch` (see [`Header::slot_ad`]). Backups carry a copy of the
/// vault's slot, with the version and epoch, and open it with the same AD.
pub(crate) fn slot_ad(
    vault_id: &[u8; VAULT_ID_LEN],
    version: u16,
    epoch: u32,
    slot: &Slot,
) -> Vec<u8> {
    let mut ad = b"ringlet/slot".to_vec();
    ad.extend_from_slice(MAGIC);
    ad.extend_from_slice(&version.to_be_bytes());
    ad.extend_from_slice(vault_id);
    if version != HEADER_V1 {
        ad.extend_from_slice(&epoch.to_be_bytes());
    }
    ad.extend_from_slice(&slot.params_bytes());
    ad
}

/// Reads big-endian fields from a vault file; running out of bytes is damage to `what`.
pub(super) struct Reader<'a> {
    bytes: &'a [u8],
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub(super) fn new(bytes: &'a [u8], what: &'static str) -> Self {
        Reader { bytes, what }
    }

    pub(super) fn take(&mut self, n: usize) -> Result<&'a [u8], VaultError> {
        if self.bytes.len() < n {
            return Err(Damage::Truncated(self.what).into());
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    pub(super) fn array<const N: usize>(&mut self) -> Result<[u8; N], VaultError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub(super) fn u8(&mut self) -> Result<u8, VaultError> {
        Ok(self.array::<1>()?[0])
    }

    pub(super) fn u16(&mut self) -> Result<u16, VaultError> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    pub(super) fn u32(&mut self) -> Result<u32, VaultError> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    pub(super) fn u64(&mut self) -> Result<u64, VaultError> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    /// Bytes not read yet.
    pub(super) fn rest(&self) -> &'a [u8] {
        self.bytes
    }
}

/// Version byte of a record in format v1 (the account's JSON, no stamp), read only to upgrade.
pub(crate) const RECORD_V1: u8 = 1;
/// Version byte of every record this build writes (format v2).
pub(crate) const RECORD_V2: u8 = 2;

/// Length of a record key in format v2: kind ‖ account id.
pub(crate) const KEY_LEN: usize = 1 + 16;
/// Key of a record in format v2.
pub(crate) type RecordKey = [u8; KEY_LEN];

/// What a record holds; the first byte of its key. Every record belongs to one account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RecordKind {
    /// The account and its stamp.
    Account = 1,
    /// The account's recovery codes, sealed apart so that listing accounts never opens them.
    RecoveryCodes = 2,
    /// What is left of a deleted account: its revision, so a merge knows it was deleted.
    Tombstone = 3,
}

impl RecordKind {
    pub(crate) fn key(self, id: &AccountId) -> RecordKey {
        let mut key = [0u8; KEY_LEN];
        key[0] = self as u8;
        key[1..].copy_from_slice(id.as_bytes());
        key
    }

    /// The kind and account of a stored key; `None` for a key no record can have.
    pub(crate) fn of(key: &[u8]) -> Option<(RecordKind, AccountId)> {
        let key: &RecordKey = key.try_into().ok()?;
        let kind = match key[0] {
            1 => RecordKind::Account,
            2 => RecordKind::RecoveryCodes,
            3 => RecordKind::Tombstone,
            _ => return None,
        };
        Some((kind, key_account(key)))
    }
}

/// The account a record key belongs to.
pub(crate) fn key_account(key: &RecordKey) -> AccountId {
    let mut id = [0u8; 16];
    id.copy_from_slice(&key[1..]);
    AccountId(id)
}

/// Associated data of a record in format v1: "ringlet/record" ‖ 1 (u16) ‖ vault id ‖ id.
pub(crate) fn record_ad_v1(vault_id: &[u8; VAULT_ID_LEN], id: &AccountId) -> Vec<u8> {
    let mut ad = b"ringlet/record".to_vec();
    ad.extend_from_slice(&1u16.to_be_bytes());
    ad.extend_from_slice(vault_id);
    ad.extend_from_slice(id.as_bytes());
    ad
}

/// Associated data of a record from format v2 on: "ringlet/record" ‖ record version (u16)
/// ‖ vault id ‖ key. A record moved to another key (another account or kind) or into
/// another vault, or given another version byte, no longer opens.
pub(crate) fn record_ad(vault_id: &[u8; VAULT_ID_LEN], version: u8, key: &RecordKey) -> Vec<u8> {
    let mut ad = b"ringlet/record".to_vec();
    ad.extend_from_slice(&u16::from(version).to_be_bytes());
    ad.extend_from_slice(vault_id);
    ad.extend_from_slice(key);
    ad
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Header {
        Header {
            version: HEADER_V2,
            vault_id: [9u8; VAULT_ID_LEN],
            epoch: 7,
            slots: vec![Slot {
                kind: SlotKind::Password,
                kdf: KdfParams::fast_for_tests(),
                salt: [4u8; SALT_LEN],
                wrapped_key: vec![5u8; WRAPPED_KEY_LEN],
            }],
        }
    }

    #[test]
    fn header_round_trips() {
        let header = sample();
        let bytes = header.encode(&[6u8; MAC_LEN]);
        assert_eq!(bytes.len(), PREFIX_LEN + SLOT_LEN + 2 * MAC_LEN);
        let (back, mac) = Header::decode(&bytes).unwrap();
        assert!(back == header);
        assert_eq!(mac, [6u8; MAC_LEN]);
    }

    #[test]
    fn every_flip_and_truncation_is_damaged() {
        let bytes = sample().encode(&[6u8; MAC_LEN]);
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x10;
            assert!(
                matches!(Header::decode(&bad), Err(VaultError::Damaged(_))),
                "flip at {i}"
            );
        }
        for len in 0..bytes.len() {
            assert!(matches!(
                Header::decode(&bytes[..len]),
                Err(VaultError::Damaged(_))
            ));
        }
    }

    /// A layout-1 header (written by format-v1 builds) reads as key epoch 0, keeps its
    /// layout when written again, and its slots' AD has no epoch.
    #[test]
    fn a_layout_1_header_is_epoch_0_and_stays_layout_1() {
        let v1 = Header {
            version: HEADER_V1,
            epoch: 0,
            ..sample()
        };
        let bytes = v1.encode(&[6u8; MAC_LEN]);
        assert_eq!(bytes.len(), PREFIX_LEN_V1 + SLOT_LEN + 2 * MAC_LEN);
        let (back, _) = Header::decode(&bytes).unwrap();
        assert!(back == v1);
        let slot = &v1.slots[0];
        let v2 = Header {
            version: HEADER_V2,
            ..v1.clone()
        };
        assert_ne!(v1.slot_ad(slot), v2.slot_ad(slot));
        let later = Header {
            epoch: 1,
            ..v2.clone()
        };
        assert_ne!(v2.slot_ad(slot), later.slot_ad(slot), "the epoch is bound");
    }
}
