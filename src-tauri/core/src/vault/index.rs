//! `vault.index`: the record-set integrity check kept outside sled.
//!
//! sled 0.34 can come back from a damaged data file with records silently missing (it
//! truncates its log to the last point it can read). The index lists every record the
//! vault acknowledged — its id and the SHA-256 of its sealed bytes — under an HMAC keyed
//! from the data key, so a lost, rolled-back or foreign record is seen at open.
//! See the [module documentation](super) for the layout and the crash rule.

use std::collections::BTreeMap;

use super::crypto::{self, MAC_LEN};
use super::error::{Damage, RecordsMismatch, VaultError};
use super::format::{Reader, RecordKey, RecordKind, KEY_LEN, VAULT_ID_LEN};
use crate::model::AccountId;
use crate::revision::{DeviceId, Hlc};

/// First bytes of every index file.
const MAGIC: &[u8; 8] = b"RINGLETI";
/// Format v1: 16-byte record ids, no device or clock. Read to upgrade, never written.
pub(crate) const VERSION_1: u16 = 1;
/// Format v2, the one written.
pub(crate) const VERSION_2: u16 = 2;
const V1_ID_LEN: usize = 16;
const ENTRY_LEN: usize = KEY_LEN + MAC_LEN;
/// magic ‖ version ‖ vault id ‖ key epoch ‖ device id ‖ clock (u64 ‖ u32) ‖ generation ‖
/// record count
const PREFIX_LEN: usize = 8 + 2 + VAULT_ID_LEN + 4 + 16 + 12 + 8 + 4;
/// The shortest index of either version (v1 has neither device nor clock).
const MIN_LEN: usize = 8 + 2 + VAULT_ID_LEN + 8 + 4 + 4 + MAC_LEN;
/// Most records an index may list (far beyond any person's accounts).
const MAX_RECORDS: usize = 100_000;
/// Largest index file a reader accepts before parsing.
pub(crate) const MAX_INDEX_LEN: u64 =
    (PREFIX_LEN + 2 * MAX_RECORDS * (ENTRY_LEN + 1) + 4 + MAC_LEN) as u64;
const PENDING_DELETE: u8 = 0;
const PENDING_PUT: u8 = 1;

pub(crate) type Hash = [u8; MAC_LEN];

/// The hash the index keeps of a stored record value.
pub(crate) fn record_hash(value: &[u8]) -> Hash {
    crypto::sha256(value)
}

/// The record set the vault vouches for, and the change in flight if any.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Index {
    /// [`VERSION_2`], or [`VERSION_1`] for an index read from a vault still to upgrade.
    pub version: u16,
    /// The key epoch of the records: the header's must be the same (a header from before a
    /// password change is refused). 0 in a v1 index.
    pub epoch: u32,
    /// This copy of the vault: the device part of the revisions it writes.
    pub device: DeviceId,
    /// The latest revision clock this copy has issued.
    pub clock: Hlc,
    /// Number of committed changes since the vault was created.
    pub generation: u64,
    /// Every committed record: key → SHA-256 of its stored value.
    pub records: BTreeMap<RecordKey, Hash>,
    /// The change being written, if any: key → new hash (`None`: the record is deleted).
    /// Each of these records may be found in its committed state or in its new one.
    pub pending: BTreeMap<RecordKey, Option<Hash>>,
}

impl Index {
    /// The index of a new, empty vault (format v2).
    pub fn new(epoch: u32, device: DeviceId) -> Index {
        Index {
            version: VERSION_2,
            epoch,
            device,
            clock: Hlc::default(),
            generation: 0,
            records: BTreeMap::new(),
            pending: BTreeMap::new(),
        }
    }

    /// The index with its pending change applied and committed (generation + 1).
    pub fn committed(&self) -> Index {
        let mut records = self.records.clone();
        for (id, hash) in &self.pending {
            match hash {
                Some(hash) => records.insert(*id, *hash),
                None => records.remove(id),
            };
        }
        Index {
            generation: self.generation.saturating_add(1),
            records,
            pending: BTreeMap::new(),
            ..self.clone()
        }
    }

    /// The file's bytes (always format v2): everything, then HMAC-SHA256 of everything.
    pub fn encode(&self, vault_id: &[u8; VAULT_ID_LEN], mac_key: &[u8; 32]) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            PREFIX_LEN + self.records.len() * ENTRY_LEN + 4 + self.pending.len() * 49 + MAC_LEN,
        );
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION_2.to_be_bytes());
        out.extend_from_slice(vault_id);
        out.extend_from_slice(&self.epoch.to_be_bytes());
        out.extend_from_slice(&self.device.0);
        out.extend_from_slice(&self.clock.wall_ms.to_be_bytes());
        out.extend_from_slice(&self.clock.counter.to_be_bytes());
        out.extend_from_slice(&self.generation.to_be_bytes());
        out.extend_from_slice(&count(self.records.len()).to_be_bytes());
        for (key, hash) in &self.records {
            out.extend_from_slice(key);
            out.extend_from_slice(hash);
        }
        out.extend_from_slice(&count(self.pending.len()).to_be_bytes());
        for (key, hash) in &self.pending {
            out.extend_from_slice(key);
            match hash {
                Some(hash) => {
                    out.push(PENDING_PUT);
                    out.extend_from_slice(hash);
                }
                None => out.push(PENDING_DELETE),
            }
        }
        let mac = crypto::hmac_sign(mac_key, &out);
        out.extend_from_slice(&mac);
        out
    }

    /// Parses and authenticates an index file of the vault `vault_id`, format v2 or v1
    /// (v1 record ids become account keys). A later version is
    /// [`VaultError::NewerFormat`]: this build must not rewrite what it cannot read.
    pub fn decode(
        bytes: &[u8],
        vault_id: &[u8; VAULT_ID_LEN],
        mac_key: &[u8; 32],
    ) -> Result<Index, VaultError> {
        let damaged = |how: &'static str| VaultError::Damaged(Damage::IndexLayout(how));
        if bytes.len() < MIN_LEN || bytes.get(..8) != Some(&MAGIC[..]) {
            return Err(damaged("(vault.index) is not a Ringlet index file"));
        }
        let (content, mac) = bytes.split_at(bytes.len() - MAC_LEN);
        if !crypto::hmac_verify(mac_key, content, mac) {
            return Err(Damage::IndexMac.into());
        }
        // After the MAC, so that a flipped bit is damage, not "made by a newer version".
        // Every later format keeps magic ‖ version first and this MAC last.
        let mut r = Reader::new(&content[8..], "the record index");
        let version = r.u16()?;
        if version > VERSION_2 {
            return Err(VaultError::NewerFormat(version));
        }
        if version != VERSION_1 && version != VERSION_2 {
            return Err(damaged("has a version this version of Ringlet cannot read"));
        }
        if r.array::<VAULT_ID_LEN>()? != *vault_id {
            return Err(Damage::ForeignIndex.into());
        }
        let (epoch, device, clock) = if version == VERSION_2 {
            let epoch = r.u32()?;
            let device = DeviceId(r.array()?);
            let clock = Hlc {
                wall_ms: r.u64()?,
                counter: r.u32()?,
            };
            (epoch, device, clock)
        } else {
            (0, DeviceId::default(), Hlc::default())
        };
        let read_key = |r: &mut Reader| -> Result<RecordKey, VaultError> {
            if version == VERSION_1 {
                Ok(RecordKind::Account.key(&AccountId(r.array::<V1_ID_LEN>()?)))
            } else {
                r.array()
            }
        };
        let generation = r.u64()?;
        let n = r.u32()? as usize;
        if n > MAX_RECORDS {
            return Err(damaged("lists too many records"));
        }
        let mut records = BTreeMap::new();
        for _ in 0..n {
            let id = read_key(&mut r)?;
            let hash: Hash = r.array()?;
            if records.insert(id, hash).is_some() {
                return Err(damaged("lists a record twice"));
            }
        }
        let n = r.u32()? as usize;
        if n > MAX_RECORDS {
            return Err(damaged("lists too many pending changes"));
        }
        let mut pending = BTreeMap::new();
        for _ in 0..n {
            let id = read_key(&mut r)?;
            let hash = match r.u8()? {
                PENDING_PUT => Some(r.array::<MAC_LEN>()?),
                PENDING_DELETE => None,
                _ => return Err(damaged("has a pending change of an unknown kind")),
            };
            if pending.insert(id, hash).is_some() {
                return Err(damaged("lists a pending change twice"));
            }
        }
        if !r.rest().is_empty() {
            return Err(damaged("has unexpected trailing bytes"));
        }
        Ok(Index {
            version,
            epoch,
            device,
            clock,
            generation,
            records,
            pending,
        })
    }

    /// The key epoch an index file names, read without its MAC (which needs the key of that
    /// epoch): only to tell a header older than the records from a damaged index.
    pub fn unverified_epoch(bytes: &[u8]) -> Option<u32> {
        let version = u16::from_be_bytes([*bytes.get(8)?, *bytes.get(9)?]);
        if version != VERSION_2 {
            return Some(0);
        }
        let at = 10 + VAULT_ID_LEN;
        Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    }

    /// Checks the records actually stored (`actual`: id → hash of the stored value)
    /// against the index. Every record must be in its committed state; a record with a
    /// pending change may also be in its new state. On success returns the index that
    /// describes `actual` (committed, generation + 1 when a change was pending) and whether
    /// it differs from `self` (so must be written); otherwise `Damaged` naming the records.
    pub fn settle(&self, actual: &BTreeMap<RecordKey, Hash>) -> Result<(Index, bool), VaultError> {
        let mut missing = Vec::new();
        let mut altered = Vec::new();
        let mut unknown = Vec::new();
        let ids = self
            .records
            .keys()
            .chain(actual.keys())
            .chain(self.pending.keys());
        let mut seen = std::collections::BTreeSet::new();
        for id in ids {
            if !seen.insert(*id) {
                continue;
            }
            let found = actual.get(id);
            let old = self.records.get(id);
            if found == old {
                continue;
            }
            let new = self.pending.get(id);
            if let Some(new) = new {
                if found == new.as_ref() {
                    continue;
                }
            }
            // Report against the most recent expectation.
            let expected = match new {
                Some(new) => new.as_ref(),
                None => old,
            };
            let id = super::format::key_account(id);
            match (expected.or(old), found) {
                (Some(_), None) => missing.push(id),
                (None, Some(_)) => unknown.push(id),
                _ => altered.push(id),
            }
        }
        if missing.is_empty() && altered.is_empty() && unknown.is_empty() {
            if self.pending.is_empty() {
                return Ok((self.clone(), false));
            }
            let settled = Index {
                generation: self.generation.saturating_add(1),
                records: actual.clone(),
                pending: BTreeMap::new(),
                ..self.clone()
            };
            return Ok((settled, true));
        }
        Err(Damage::RecordsMismatch(RecordsMismatch {
            lost: missing,
            altered,
            unknown,
        })
        .into())
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VID: [u8; VAULT_ID_LEN] = [7; VAULT_ID_LEN];
    const KEY: [u8; 32] = [3; 32];

    fn h(b: u8) -> Hash {
        [b; MAC_LEN]
    }

    /// An account key.
    fn k(b: u8) -> RecordKey {
        RecordKind::Account.key(&AccountId([b; 16]))
    }

    fn sample() -> Index {
        Index {
            version: VERSION_2,
            epoch: 4,
            device: DeviceId([5; 16]),
            clock: Hlc {
                wall_ms: 1_700_000_000_000,
                counter: 2,
            },
            generation: 5,
            records: [(k(1), h(1)), (k(2), h(2))].into_iter().collect(),
            pending: [(k(3), Some(h(3))), (k(1), None)].into_iter().collect(),
        }
    }

    #[test]
    fn round_trip_and_every_flip_refused() {
        let index = sample();
        let bytes = index.encode(&VID, &KEY);
        assert_eq!(Index::decode(&bytes, &VID, &KEY).unwrap(), index);
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x04;
            assert!(Index::decode(&bad, &VID, &KEY).is_err(), "flip at {i}");
        }
        for len in 0..bytes.len() {
            assert!(Index::decode(&bytes[..len], &VID, &KEY).is_err());
        }
        assert!(Index::decode(&bytes, &[8; VAULT_ID_LEN], &KEY).is_err());
        assert!(Index::decode(&bytes, &VID, &[4; 32]).is_err());
    }

    #[test]
    fn a_later_version_is_refused_as_newer_not_damaged() {
        let mut bytes = sample().encode(&VID, &KEY);
        bytes[8..10].copy_from_slice(&3u16.to_be_bytes());
        let body = bytes.len() - MAC_LEN;
        let mac = crypto::hmac_sign(&KEY, &bytes[..body]);
        bytes[body..].copy_from_slice(&mac);
        assert!(matches!(
            Index::decode(&bytes, &VID, &KEY),
            Err(VaultError::NewerFormat(3))
        ));
    }

    #[test]
    fn a_v1_index_reads_as_account_keys() {
        // magic ‖ version 1 ‖ vault id ‖ generation ‖ one record ‖ one pending delete ‖ mac
        let mut v1 = MAGIC.to_vec();
        v1.extend_from_slice(&1u16.to_be_bytes());
        v1.extend_from_slice(&VID);
        v1.extend_from_slice(&9u64.to_be_bytes());
        v1.extend_from_slice(&1u32.to_be_bytes());
        v1.extend_from_slice(&[1; 16]);
        v1.extend_from_slice(&h(1));
        v1.extend_from_slice(&1u32.to_be_bytes());
        v1.extend_from_slice(&[2; 16]);
        v1.push(PENDING_DELETE);
        let mac = crypto::hmac_sign(&KEY, &v1);
        v1.extend_from_slice(&mac);
        let index = Index::decode(&v1, &VID, &KEY).unwrap();
        assert_eq!(index.version, VERSION_1);
        assert_eq!(index.generation, 9);
        assert_eq!(index.records, [(k(1), h(1))].into_iter().collect());
        assert_eq!(index.pending, [(k(2), None)].into_iter().collect());
        // What is written is v2, whatever was read.
        let again = Index::decode(&index.encode(&VID, &KEY), &VID, &KEY).unwrap();
        assert_eq!(again.version, VERSION_2);
        assert_eq!(again.records, index.records);
    }

    #[test]
    fn settle_accepts_old_and_new_states_only() {
        let index = sample();
        let old: BTreeMap<_, _> = index.records.clone();
        let (settled, write) = index.settle(&old).unwrap();
        assert!(write);
        assert_eq!(settled.records, old);
        assert_eq!(settled.generation, 6);
        let new = index.committed().records;
        assert_eq!(index.settle(&new).unwrap().0.records, new);
        // Half applied: record 3 written, record 1 not yet deleted.
        let mut half = old.clone();
        half.insert(k(3), h(3));
        assert!(index.settle(&half).is_ok());
        // Record 2 (not pending) lost, or rolled back.
        let mut lost = old.clone();
        lost.remove(&k(2));
        let text = index.settle(&lost).unwrap_err().to_string();
        assert!(text.contains("1 record was lost"), "{text}");
        assert!(text.contains(&AccountId([2; 16]).to_string()), "{text}");
        let mut rolled = old.clone();
        rolled.insert(k(2), h(9));
        assert!(index
            .settle(&rolled)
            .unwrap_err()
            .to_string()
            .contains("altered"));
        let mut extra = old;
        extra.insert(k(9), h(9));
        assert!(index
            .settle(&extra)
            .unwrap_err()
            .to_string()
            .contains("not in the index"));
        // No pending change: nothing to write.
        let committed = index.committed();
        assert_eq!(
            committed.settle(&committed.records).unwrap(),
            (committed.clone(), false)
        );
    }
}
