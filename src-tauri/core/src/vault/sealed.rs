//! What a record holds once opened, and how it is sealed and opened: every record is
//! AES-256-GCM under the record key, bound by its associated data to the vault, its key
//! (kind and account) and its version byte. The layout is in `docs/vault-format.md`.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::format::{self, RecordKey, RECORD_V1, RECORD_V2};
use super::*;
use crate::model::{RecoveryCodes, Stamp, Tombstone};
use crate::revision::Revision;

/// The plaintext of an account record.
#[derive(Serialize)]
pub(super) struct AccountOut<'a> {
    pub account: &'a Account,
    pub stamp: &'a Stamp,
}

#[derive(Deserialize)]
pub(super) struct AccountIn {
    pub account: Account,
    pub stamp: Stamp,
}

/// The plaintext of a recovery-codes record.
#[derive(Serialize, Deserialize)]
pub(super) struct RecoveryRecord {
    pub codes: RecoveryCodes,
    pub revision: Revision,
    /// The change that made this set of codes (see `sync::merge::CodesState::set`).
    #[serde(default)]
    pub set: Option<Revision>,
}

/// The plaintext of a tombstone is [`Tombstone`] itself.
pub(super) type TombstoneRecord = Tombstone;

/// Seals `plaintext` (as JSON) for `key` of the vault `vault_id`: version byte ‖ nonce ‖
/// ciphertext ‖ tag.
pub(super) fn seal<T: Serialize>(
    record_key: &Key,
    vault_id: &[u8; format::VAULT_ID_LEN],
    key: &RecordKey,
    plaintext: &T,
    size_hint: usize,
) -> Result<Vec<u8>, VaultError> {
    // Sized up front so the plaintext is not left behind by a reallocation.
    let mut json = Zeroizing::new(Vec::with_capacity(512 + 2 * size_hint));
    serde_json::to_writer(&mut *json, plaintext)
        .map_err(|_| VaultError::Internal("a record could not be serialised"))?;
    let sealed = crypto::seal(
        record_key,
        &format::record_ad(vault_id, RECORD_V2, key),
        &json,
    )?;
    let mut value = Vec::with_capacity(1 + sealed.len());
    value.push(RECORD_V2);
    value.extend_from_slice(&sealed);
    Ok(value)
}

impl Vault {
    pub(super) fn seal_value<T: Serialize>(
        &self,
        key: &RecordKey,
        plaintext: &T,
        size_hint: usize,
    ) -> Result<Vec<u8>, VaultError> {
        seal(&self.record_key, &self.vault_id, key, plaintext, size_hint)
    }

    /// Opens a record stored under `key`. A record from a later version of Ringlet
    /// (version byte above [`RECORD_V2`]) is read as far as this version knows its fields,
    /// or is [`VaultError::NewerRecord`] when it cannot be; it is never rewritten (see
    /// [`refuse_newer`](Self::refuse_newer)).
    pub(super) fn open_value<T: DeserializeOwned>(
        &self,
        key: &RecordKey,
        value: &[u8],
    ) -> Result<T, VaultError> {
        let id = format::key_account(key);
        let unreadable = || VaultError::Damaged(Damage::RecordUnreadable(id));
        let (&version, sealed) = value.split_first().ok_or_else(unreadable)?;
        if version < RECORD_V2 {
            return Err(unreadable());
        }
        let plaintext = crypto::open(
            &self.record_key,
            &format::record_ad(&self.vault_id, version, key),
            sealed,
        )
        .ok_or_else(unreadable)?;
        // The parser's message could quote plaintext: never pass it on.
        serde_json::from_slice(&plaintext).map_err(|_| {
            if version > RECORD_V2 {
                VaultError::NewerRecord(id)
            } else {
                Damage::RecordUndecodable(id).into()
            }
        })
    }

    /// Fails with [`VaultError::NewerRecord`] when the record stored under `key` was
    /// written by a later version: rewriting it would drop what this version cannot read.
    /// Only a record that authenticates counts: one whose version byte was damaged is
    /// damage, which may be overwritten or removed.
    pub(super) fn refuse_newer(&self, key: &RecordKey) -> Result<(), VaultError> {
        let Some(value) = self.records.get(key)? else {
            return Ok(());
        };
        match value.split_first() {
            Some((&version, sealed)) if version > RECORD_V2 => {
                let ad = format::record_ad(&self.vault_id, version, key);
                if crypto::open(&self.record_key, &ad, sealed).is_some() {
                    Err(VaultError::NewerRecord(format::key_account(key)))
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }
}

/// Opens an account record of format v1 (read only to upgrade): version byte 1 ‖ nonce ‖
/// AES-256-GCM(record key, the account's JSON) ‖ tag.
pub(super) fn open_v1_account(
    record_key: &Key,
    vault_id: &[u8; format::VAULT_ID_LEN],
    id: AccountId,
    value: &[u8],
) -> Result<Account, VaultError> {
    let unreadable = || VaultError::Damaged(Damage::RecordUnreadable(id));
    let (&version, sealed) = value.split_first().ok_or_else(unreadable)?;
    if version != RECORD_V1 {
        return Err(unreadable());
    }
    let plaintext = crypto::open(record_key, &format::record_ad_v1(vault_id, &id), sealed)
        .ok_or_else(unreadable)?;
    serde_json::from_slice(&plaintext).map_err(|_| Damage::RecordUndecodable(id).into())
}

/// A rough size of an account's JSON, to size the buffer it is written into.
pub(super) fn account_size(account: &Account) -> usize {
    3 * (account.issuer.len() + account.name.len() + account.note.len())
        + 4 * account.otp.secret.len()
        + account.tags.iter().map(|t| 3 * t.len() + 4).sum::<usize>()
}
