//! The records: every account, its recovery codes and the tombstones of deleted accounts,
//! each sealed on its own (see `sealed.rs`), read, added, changed and removed, each change
//! written crash-safely through the index and stamped with a revision.

use std::collections::BTreeMap;
use std::sync::{MutexGuard, PoisonError};

use super::format::{RecordKey, RecordKind};
use super::index::{self, Index};
use super::sealed::{self, AccountIn, AccountOut, RecoveryRecord, TombstoneRecord};
use super::store::Store;
use super::*;
use crate::model::{RecoveryCodes, Stamp, Tombstone};
use crate::revision::Revision;

/// One change to the record store: key → new sealed value (`None`: delete).
pub(super) type Changes = Vec<(RecordKey, Option<Vec<u8>>)>;

/// An account to add with what a backup kept about it (see [`Vault::add_restored`]).
#[derive(Debug, Clone, Copy)]
pub struct Restored<'a> {
    pub account: &'a Account,
    /// Its place in the manual order and when it was first added, when known.
    pub stamp: Option<&'a Stamp>,
    pub recovery_codes: Option<&'a RecoveryCodes>,
}

impl Vault {
    /// Every account in use (not in the trash: see [`trash`](Self::trash)), pinned ones
    /// first, each part sorted case-insensitively by issuer, then name, then id (the app's
    /// list and `ringlet-cli list` show this order). Recovery codes are not opened.
    /// Fails with [`VaultError::Damaged`] naming the first record that does not open;
    /// [`damaged_records`](Self::damaged_records) lists them all.
    pub fn entries(&self) -> Result<Vec<Entry>, VaultError> {
        let mut entries = self.all_entries()?;
        entries.retain(|entry| entry.stamp.trashed_ms.is_none());
        Ok(entries)
    }

    /// Every account, those in the trash included, sorted as [`entries`](Self::entries).
    pub(super) fn all_entries(&self) -> Result<Vec<Entry>, VaultError> {
        let mut entries = Vec::new();
        for (key, value) in self.records.iter()? {
            let (kind, id) = parse_key(&key)?;
            if kind == RecordKind::Account {
                entries.push(self.open_entry(id, &value)?);
            }
        }
        entries.sort_by_cached_key(|e| {
            (
                !e.account.pinned,
                e.account.issuer.to_lowercase(),
                e.account.name.to_lowercase(),
                e.id,
            )
        });
        Ok(entries)
    }

    /// The ids of every account, those in the trash included, without opening a record.
    pub fn all_ids(&self) -> Result<Vec<AccountId>, VaultError> {
        let mut ids = Vec::new();
        for (key, _) in self.records.iter()? {
            let (kind, id) = parse_key(&key)?;
            if kind == RecordKind::Account {
                ids.push(id);
            }
        }
        Ok(ids)
    }

    /// Gives accounts new places in the manual order (`crate::order::move_to`'s answer), as
    /// one change: each record re-stamped with the change's revision, so sync carries the
    /// move like any edit. Accounts are otherwise unchanged.
    pub fn set_orders(&self, orders: &[(AccountId, i64)]) -> Result<(), VaultError> {
        if orders.is_empty() {
            return Ok(());
        }
        let mut kept = Vec::with_capacity(orders.len());
        for (id, order) in orders {
            let key = RecordKind::Account.key(id);
            self.refuse_newer(&key)?;
            kept.push((*id, *order, self.get(*id)?));
        }
        self.change(|revision| {
            let mut changes = Vec::with_capacity(kept.len());
            for (id, order, entry) in &kept {
                let stamp = Stamp {
                    order: *order,
                    modified_ms: revision.clock.wall_ms,
                    revision,
                    ..entry.stamp.clone()
                };
                changes.push(self.account_change(*id, &entry.account, &stamp)?);
            }
            Ok(changes)
        })
    }

    /// Ids of the accounts with a record that fails its integrity check (so that they can
    /// be removed). A record written by a newer version is not damaged.
    pub fn damaged_records(&self) -> Result<Vec<AccountId>, VaultError> {
        let mut damaged = Vec::new();
        for (key, value) in self.records.iter()? {
            let (kind, id) = parse_key(&key)?;
            let key = kind.key(&id);
            let opened = match kind {
                RecordKind::Account => self.open_value::<AccountIn>(&key, &value).map(drop),
                RecordKind::RecoveryCodes => {
                    self.open_value::<RecoveryRecord>(&key, &value).map(drop)
                }
                RecordKind::Tombstone => self.open_value::<TombstoneRecord>(&key, &value).map(drop),
            };
            if matches!(opened, Err(VaultError::Damaged(_))) && !damaged.contains(&id) {
                damaged.push(id);
            }
        }
        Ok(damaged)
    }

    /// The account stored under `id`.
    pub fn get(&self, id: AccountId) -> Result<Entry, VaultError> {
        let value = self
            .records
            .get(&RecordKind::Account.key(&id))?
            .ok_or(VaultError::AccountNotFound(id))?;
        self.open_entry(id, &value)
    }

    /// Stores `account` under a new random id, durable (database and index) before
    /// returning.
    pub fn add(&self, account: &Account) -> Result<AccountId, VaultError> {
        let ids = self.add_many(std::slice::from_ref(account))?;
        ids.into_iter()
            .next()
            .ok_or(VaultError::Internal("the account was not stored"))
    }

    /// Stores every account under a new random id as one change (one flush, two index
    /// writes), durable before returning. Ids are returned in the order of `accounts`.
    /// After a crash the vault holds any subset of them, never a damaged record.
    pub fn add_many(&self, accounts: &[Account]) -> Result<Vec<AccountId>, VaultError> {
        let restored: Vec<Restored> = accounts
            .iter()
            .map(|account| Restored {
                account,
                stamp: None,
                recovery_codes: None,
            })
            .collect();
        self.add_restored(&restored)
    }

    /// As [`add_many`](Self::add_many), keeping what a backup kept: each account's place
    /// in the manual order, when it was first added, and its recovery codes.
    pub fn add_restored(&self, items: &[Restored]) -> Result<Vec<AccountId>, VaultError> {
        let mut ids: Vec<AccountId> = Vec::with_capacity(items.len());
        for _ in items {
            ids.push(self.unused_id(&ids)?);
        }
        if ids.is_empty() {
            return Ok(ids);
        }
        self.change(|revision| {
            let mut changes = Vec::with_capacity(items.len());
            for (id, item) in ids.iter().zip(items) {
                let now = revision.clock.wall_ms;
                let stamp = Stamp {
                    order: item.stamp.map_or(0, |s| s.order),
                    created_ms: item.stamp.map_or(now, |s| s.created_ms),
                    modified_ms: now,
                    revision,
                    trashed_ms: None,
                };
                changes.push(self.account_change(*id, item.account, &stamp)?);
                if let Some(codes) = item.recovery_codes.filter(|c| !c.codes.is_empty()) {
                    changes.push(self.recovery_change(*id, codes, revision, Some(revision))?);
                }
            }
            Ok(changes)
        })?;
        Ok(ids)
    }

    /// Replaces the account stored under `id` (which must exist), durable before
    /// returning. Its order and creation time stay. A damaged record can be overwritten
    /// this way; one written by a newer version cannot ([`VaultError::NewerRecord`]).
    pub fn update(&self, id: AccountId, account: &Account) -> Result<(), VaultError> {
        let key = RecordKind::Account.key(&id);
        let stored = self
            .records
            .get(&key)?
            .ok_or(VaultError::AccountNotFound(id))?;
        self.refuse_newer(&key)?;
        let kept = self.open_value::<AccountIn>(&key, &stored).ok();
        self.change(|revision| {
            let now = revision.clock.wall_ms;
            let stamp = Stamp {
                order: kept.as_ref().map_or(0, |k| k.stamp.order),
                created_ms: kept.as_ref().map_or(now, |k| k.stamp.created_ms),
                modified_ms: now,
                revision,
                // An account edited in the trash stays there.
                trashed_ms: kept.as_ref().and_then(|k| k.stamp.trashed_ms),
            };
            Ok(vec![self.account_change(id, account, &stamp)?])
        })
    }

    /// Deletes the account stored under `id` (damaged or not) and its recovery codes,
    /// leaving a tombstone, durable before returning. Also clears what
    /// [`damaged_records`](Self::damaged_records) may name without an account: a damaged
    /// tombstone (written again) or recovery codes left alone.
    pub fn remove(&self, id: AccountId) -> Result<(), VaultError> {
        let key = RecordKind::Account.key(&id);
        let codes_key = RecordKind::RecoveryCodes.key(&id);
        let tombstone_key = RecordKind::Tombstone.key(&id);
        let has_account = self.records.get(&key)?.is_some();
        let has_codes = self.records.get(&codes_key)?.is_some();
        if !has_account && !has_codes {
            // Already removed, unless its tombstone is damaged (then it is written again).
            let damaged_tombstone = match self.records.get(&tombstone_key)? {
                Some(value) => matches!(
                    self.open_value::<TombstoneRecord>(&tombstone_key, &value),
                    Err(VaultError::Damaged(_))
                ),
                None => false,
            };
            if !damaged_tombstone {
                return Err(VaultError::AccountNotFound(id));
            }
        }
        self.refuse_newer(&key)?;
        self.refuse_newer(&codes_key)?;
        // Kept in the tombstone for sync (see `sync::merge`); a damaged record has none.
        let counter_floor = self
            .get(id)
            .ok()
            .and_then(|entry| entry.account.otp.kind.counter())
            .unwrap_or(0);
        self.change(|revision| {
            let tombstone = Tombstone {
                deleted_ms: revision.clock.wall_ms,
                revision,
                counter_floor,
            };
            let mut changes = vec![(
                tombstone_key,
                Some(self.seal_value(&tombstone_key, &tombstone, 0)?),
            )];
            if has_account {
                changes.push((key, None));
            }
            if has_codes {
                changes.push((codes_key, None));
            }
            Ok(changes)
        })
    }

    /// The recovery codes kept for the account `id` (empty when it has none). The only
    /// call that opens them.
    pub fn recovery_codes(&self, id: AccountId) -> Result<RecoveryCodes, VaultError> {
        self.get(id)?;
        self.stored_recovery_codes(id)
    }

    /// For every account with recovery codes: how many are left and how many there are,
    /// read in one pass over the records (the list shows "8 of 10 left" on each row).
    pub fn recovery_tallies(&self) -> Result<BTreeMap<AccountId, (usize, usize)>, VaultError> {
        let mut tallies = BTreeMap::new();
        for (key, value) in self.records.iter()? {
            let (kind, id) = parse_key(&key)?;
            if kind == RecordKind::RecoveryCodes {
                let codes = self
                    .open_value::<RecoveryRecord>(&kind.key(&id), &value)?
                    .codes;
                if !codes.codes.is_empty() {
                    tallies.insert(id, (codes.left(), codes.codes.len()));
                }
            }
        }
        Ok(tallies)
    }

    /// The recovery codes stored for `id`, without checking that the account exists (the
    /// caller just listed it).
    pub(super) fn stored_recovery_codes(&self, id: AccountId) -> Result<RecoveryCodes, VaultError> {
        let key = RecordKind::RecoveryCodes.key(&id);
        match self.records.get(&key)? {
            Some(value) => Ok(self.open_value::<RecoveryRecord>(&key, &value)?.codes),
            None => Ok(RecoveryCodes::default()),
        }
    }

    /// Replaces the recovery codes of the account `id`, durable before returning. Codes
    /// that keep every code stored (some marked used, more added) continue the stored set;
    /// any other list (a service issued new codes, or none: cleared) starts a new set,
    /// which replaces the old one on every synced copy (see `sync::merge`).
    pub fn set_recovery_codes(
        &self,
        id: AccountId,
        codes: &RecoveryCodes,
    ) -> Result<(), VaultError> {
        self.get(id)?;
        let key = RecordKind::RecoveryCodes.key(&id);
        self.refuse_newer(&key)?;
        let stored = match self.records.get(&key)? {
            Some(value) => self.open_value::<RecoveryRecord>(&key, &value).ok(),
            None if codes.codes.is_empty() => return Ok(()),
            None => None,
        };
        let continued = stored.filter(|stored| {
            !codes.codes.is_empty()
                && stored.codes.codes.iter().all(|old| {
                    codes
                        .codes
                        .iter()
                        .any(|new| crate::recovery_codes::same_code(&old.code, &new.code))
                })
        });
        self.change(|revision| {
            let set = match continued {
                Some(stored) => stored.set,
                None => Some(revision),
            };
            Ok(vec![self.recovery_change(id, codes, revision, set)?])
        })
    }

    /// The tombstones of deleted accounts, by account id.
    pub fn tombstones(&self) -> Result<Vec<(AccountId, Tombstone)>, VaultError> {
        let mut out = Vec::new();
        for (key, value) in self.records.iter()? {
            let (kind, id) = parse_key(&key)?;
            if kind == RecordKind::Tombstone {
                out.push((id, self.open_value(&kind.key(&id), &value)?));
            }
        }
        Ok(out)
    }

    fn open_entry(&self, id: AccountId, value: &[u8]) -> Result<Entry, VaultError> {
        let record: AccountIn = self.open_value(&RecordKind::Account.key(&id), value)?;
        Ok(Entry {
            id,
            account: record.account,
            stamp: record.stamp,
        })
    }

    pub(super) fn account_change(
        &self,
        id: AccountId,
        account: &Account,
        stamp: &Stamp,
    ) -> Result<(RecordKey, Option<Vec<u8>>), VaultError> {
        let key = RecordKind::Account.key(&id);
        let value = self.seal_value(
            &key,
            &AccountOut { account, stamp },
            sealed::account_size(account),
        )?;
        Ok((key, Some(value)))
    }

    pub(super) fn recovery_change(
        &self,
        id: AccountId,
        codes: &RecoveryCodes,
        revision: Revision,
        set: Option<Revision>,
    ) -> Result<(RecordKey, Option<Vec<u8>>), VaultError> {
        let key = RecordKind::RecoveryCodes.key(&id);
        let size = codes.codes.iter().map(|c| 2 * c.code.len() + 24).sum();
        let record = RecoveryRecord {
            codes: codes.clone(),
            revision,
            set,
        };
        Ok((key, Some(self.seal_value(&key, &record, size)?)))
    }

    /// A random account id no record uses (nor `taken`).
    fn unused_id(&self, taken: &[AccountId]) -> Result<AccountId, VaultError> {
        loop {
            let mut bytes = [0u8; 16];
            crypto::random_fill(&mut bytes)?;
            let id = AccountId(bytes);
            let used = taken.contains(&id)
                || self.records.get(&RecordKind::Account.key(&id))?.is_some()
                || self.records.get(&RecordKind::Tombstone.key(&id))?.is_some();
            if !used {
                return Ok(id);
            }
        }
    }

    /// Makes one change crash-safely. `build` gets the change's revision (the vault's
    /// clock moved on, this copy's device) and returns the records to write:
    /// 1. `vault.index` with the change as pending; 2. the database, flushed;
    /// 3. `vault.index` with the change committed. Only then is the change acknowledged.
    pub(super) fn change(
        &self,
        build: impl FnOnce(Revision) -> Result<Changes, VaultError>,
    ) -> Result<(), VaultError> {
        let mut index = self.lock_index();
        self.settle_pending(&mut index)?;
        let clock = index.clock.tick(crate::otp::now_ms());
        let changes = build(Revision {
            clock,
            device: index.device,
        })?;
        self.commit(&mut index, clock, &changes)
    }

    /// Writes `changes` as [`change`](Self::change) does, with the vault's clock moved to
    /// `clock`; `index` is the settled index, locked.
    pub(super) fn commit(
        &self,
        index: &mut MutexGuard<'_, Index>,
        clock: crate::revision::Hlc,
        changes: &Changes,
    ) -> Result<(), VaultError> {
        let mut staged = (**index).clone();
        staged.clock = clock;
        staged.pending = changes
            .iter()
            .map(|(key, value)| (*key, value.as_deref().map(index::record_hash)))
            .collect();
        self.write_index(&staged)?;
        **index = staged;
        for (key, value) in changes {
            match value {
                Some(value) => self.records.insert(key, value)?,
                None => {
                    self.records.remove(key)?;
                }
            }
        }
        self.records.flush()?;
        let committed = index.committed();
        self.write_index(&committed)?;
        **index = committed;
        Ok(())
    }

    /// An earlier change failed half-way: find out what the database holds, and write the
    /// index that says so.
    pub(super) fn settle_pending(&self, index: &mut Index) -> Result<(), VaultError> {
        if !index.pending.is_empty() {
            let (settled, changed) = index.settle(&stored_hashes(self.records.as_ref())?)?;
            if changed {
                self.write_index(&settled)?;
            }
            *index = settled;
        }
        Ok(())
    }

    pub(super) fn lock_index(&self) -> MutexGuard<'_, Index> {
        // A panic half-way through `change` leaves a pending change, which the next
        // `change` settles: the state stays usable.
        self.index.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn write_index(&self, index: &Index) -> Result<(), VaultError> {
        let bytes = index.encode(&self.vault_id, &self.index_key);
        files::write_atomically(&self.dir.join(INDEX_FILE), &bytes)?;
        Ok(())
    }
}

/// Every stored record: key → SHA-256 of its value.
pub(super) fn stored_hashes(
    records: &dyn Store,
) -> Result<BTreeMap<RecordKey, index::Hash>, VaultError> {
    let mut out = BTreeMap::new();
    for (key, value) in records.iter()? {
        let (kind, id) = parse_key(&key)?;
        out.insert(kind.key(&id), index::record_hash(&value));
    }
    Ok(out)
}

pub(super) fn parse_key(key: &[u8]) -> Result<(RecordKind, AccountId), VaultError> {
    RecordKind::of(key).ok_or_else(|| Damage::MalformedRecordId.into())
}

/// The v1 record id of a stored key (format v1 keys are the bare 16-byte account id).
pub(super) fn v1_record_id(key: &[u8]) -> Result<AccountId, VaultError> {
    <[u8; 16]>::try_from(key)
        .map(AccountId)
        .map_err(|_| Damage::MalformedRecordId.into())
}
