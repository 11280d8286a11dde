//! What sync reads from a vault and writes back: the records as a [`Replica`], and a merged
//! replica applied in one crash-safe change that keeps every record's own revision (a
//! merge makes no new revision, or copies would never settle). Also the keys and the copy
//! of the header a sync folder carries, and a vault made from one (joining a computer).

use std::path::Path;

use super::format::{Header, RecordKind};
use super::records::Changes;
use super::sealed::{AccountIn, AccountOut, RecoveryRecord, TombstoneRecord};
use super::slots::open_password_slot;
use super::*;
use crate::model::display_label;
use crate::revision::{DeviceId, Hlc};
use crate::sync::merge::{AccountState, CodesState, Replica};

const INFO_SYNC_KEY: &[u8] = b"ringlet v1 sync file";

/// A vault's replica, and the accounts it could not include.
#[derive(Debug, Default)]
pub struct ReplicaRead {
    pub replica: Replica,
    /// Records that did not open (damaged: a copy from another device may repair them), or
    /// that a newer Ringlet wrote (never rewritten: sync leaves them alone).
    pub left_out: Vec<AccountId>,
}

/// What applying a merged replica changed, by account label.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Applied {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    /// Moved to the trash on another copy.
    pub trashed: Vec<String>,
    /// Brought back from the trash on another copy.
    pub restored: Vec<String>,
    /// Removed for good.
    pub removed: Vec<String>,
}

impl Applied {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.updated.is_empty()
            && self.trashed.is_empty()
            && self.restored.is_empty()
            && self.removed.is_empty()
    }
}

/// The label sync reports for an account: "Issuer (name)", or the one that is set.
pub fn account_label(account: &Account) -> String {
    let issuer = display_label(&account.issuer);
    let name = display_label(&account.name);
    match (issuer.is_empty(), name.is_empty()) {
        (false, false) => format!("{issuer} ({name})"),
        (false, true) => issuer,
        (true, false) => name,
        (true, true) => "(no name)".to_owned(),
    }
}

impl Vault {
    /// This copy's device id (the device part of the revisions it writes).
    pub fn device_id(&self) -> DeviceId {
        self.lock_index().device
    }

    /// The vault's id: the same on every computer that syncs it.
    pub fn vault_id(&self) -> [u8; 16] {
        self.vault_id
    }

    /// The key epoch (moves on at each password change).
    pub fn key_epoch(&self) -> u32 {
        self.header.epoch
    }

    /// The key that seals this vault's files in a sync folder.
    pub(crate) fn sync_key(&self) -> Key {
        crypto::derive_subkey(&self.data_key, &self.vault_id, INFO_SYNC_KEY)
    }

    /// The header as a sync folder carries it: the password slot only (quick unlock stays
    /// with this computer), under its MAC.
    pub(crate) fn header_for_sync(&self) -> Vec<u8> {
        let header = Header {
            slots: self.header.slots_except(format::SlotKind::Keyring),
            ..self.header.clone()
        };
        let mac_key = crypto::derive_subkey(&self.data_key, &self.vault_id, INFO_HEADER_MAC);
        header.encode(&crypto::hmac_sign(&mac_key, &header.body()))
    }

    /// Every record sync carries. Records that do not open are left out and named.
    pub fn replica(&self) -> Result<ReplicaRead, VaultError> {
        let mut read = ReplicaRead::default();
        for (key, value) in self.records.iter()? {
            let (kind, id) = records::parse_key(&key)?;
            let key = kind.key(&id);
            let opened = match kind {
                RecordKind::Account => self.open_value::<AccountIn>(&key, &value).map(|record| {
                    read.replica.accounts.insert(
                        id,
                        AccountState::Live {
                            account: record.account,
                            stamp: record.stamp,
                        },
                    );
                }),
                RecordKind::Tombstone => {
                    self.open_value::<TombstoneRecord>(&key, &value)
                        .map(|tombstone| {
                            // An account record beside its tombstone (never written so) wins.
                            read.replica
                                .accounts
                                .entry(id)
                                .or_insert(AccountState::Deleted { tombstone });
                        })
                }
                RecordKind::RecoveryCodes => {
                    self.open_value::<RecoveryRecord>(&key, &value)
                        .map(|record| {
                            read.replica.recovery.insert(
                                id,
                                CodesState {
                                    codes: record.codes,
                                    revision: record.revision,
                                    set: record.set,
                                },
                            );
                        })
                }
            };
            match opened {
                Ok(()) => {}
                Err(VaultError::Damaged(_) | VaultError::NewerRecord(_)) => {
                    if !read.left_out.contains(&id) {
                        read.left_out.push(id);
                    }
                }
                Err(other) => return Err(other),
            }
        }
        for id in &read.left_out {
            read.replica.accounts.remove(id);
            read.replica.recovery.remove(id);
        }
        Ok(read)
    }

    /// Makes this vault hold `merged` (a merge of its own replica with others): one
    /// crash-safe change, each record keeping its revision, the vault's clock moved past
    /// every revision seen. Accounts a newer Ringlet wrote here are left as they are.
    pub fn apply_replica(&self, merged: &Replica) -> Result<Applied, VaultError> {
        let ours = self.replica()?;
        let newer: Vec<AccountId> = ours
            .left_out
            .iter()
            .copied()
            .filter(|id| {
                [
                    RecordKind::Account,
                    RecordKind::RecoveryCodes,
                    RecordKind::Tombstone,
                ]
                .iter()
                .any(|kind| {
                    matches!(
                        self.refuse_newer(&kind.key(id)),
                        Err(VaultError::NewerRecord(_))
                    )
                })
            })
            .collect();
        let mut changes: Changes = Vec::new();
        let mut applied = Applied::default();
        for (id, state) in &merged.accounts {
            if newer.contains(id) {
                continue;
            }
            let before = ours.replica.accounts.get(id);
            if before != Some(state) {
                self.state_changes(*id, state, before, &mut changes, &mut applied)?;
            }
            let codes_key = RecordKind::RecoveryCodes.key(id);
            match (merged.live_codes(id), ours.replica.live_codes(id)) {
                (Some(codes), before) if before != Some(codes) => {
                    changes.push(self.recovery_change(
                        *id,
                        &codes.codes,
                        codes.revision,
                        codes.set,
                    )?);
                }
                (None, _)
                    if matches!(state, AccountState::Deleted { .. })
                        && self.records.get(&codes_key)?.is_some() =>
                {
                    changes.push((codes_key, None));
                }
                _ => {}
            }
        }
        if changes.is_empty() {
            return Ok(applied);
        }
        let mut index = self.lock_index();
        self.settle_pending(&mut index)?;
        let clock: Hlc = index.clock.max(merged.latest_clock());
        self.commit(&mut index, clock, &changes)?;
        Ok(applied)
    }

    fn state_changes(
        &self,
        id: AccountId,
        state: &AccountState,
        before: Option<&AccountState>,
        changes: &mut Changes,
        applied: &mut Applied,
    ) -> Result<(), VaultError> {
        let account_key = RecordKind::Account.key(&id);
        let tombstone_key = RecordKind::Tombstone.key(&id);
        match state {
            AccountState::Live { account, stamp } => {
                let value = self.seal_value(
                    &account_key,
                    &AccountOut { account, stamp },
                    sealed::account_size(account),
                )?;
                changes.push((account_key, Some(value)));
                if self.records.get(&tombstone_key)?.is_some() {
                    changes.push((tombstone_key, None));
                }
                let label = account_label(account);
                match before {
                    Some(AccountState::Live { stamp: was, .. }) => {
                        match (was.trashed_ms.is_some(), stamp.trashed_ms.is_some()) {
                            (false, true) => applied.trashed.push(label),
                            (true, false) => applied.restored.push(label),
                            _ => applied.updated.push(label),
                        }
                    }
                    _ => applied.added.push(label),
                }
            }
            AccountState::Deleted { tombstone } => {
                changes.push((
                    tombstone_key,
                    Some(self.seal_value(&tombstone_key, tombstone, 0)?),
                ));
                if self.records.get(&account_key)?.is_some() {
                    changes.push((account_key, None));
                }
                if let Some(AccountState::Live { account, .. }) = before {
                    applied.removed.push(account_label(account));
                }
            }
        }
        Ok(())
    }

    /// Makes a vault in `dir` (which must hold none) from a sync folder's copy of the
    /// header, opened with `password`: the same vault id, key epoch, data key and password
    /// slot, a device id of its own, no records yet.
    pub fn create_joined(
        dir: &Path,
        header_bytes: &[u8],
        password: &[u8],
    ) -> Result<Vault, VaultError> {
        let (header, mac) = Header::decode(header_bytes)?;
        let (data_key, _) = open_password_slot(&header, password)?;
        let data_key = to_key(&data_key)?;
        let mac_key = crypto::derive_subkey(&data_key, &header.vault_id, INFO_HEADER_MAC);
        if !crypto::hmac_verify(&mac_key, &header.body(), &mac) {
            return Err(Damage::HeaderMac.into());
        }
        Self::create_from(dir, header, data_key)
    }
}

/// The vault id and key epoch a header copy names (its checksum checked; its MAC needs
/// the key). `None` when it is not a header.
pub(crate) fn header_identity(bytes: &[u8]) -> Option<([u8; 16], u32)> {
    Header::decode(bytes)
        .ok()
        .map(|(header, _)| (header.vault_id, header.epoch))
}
