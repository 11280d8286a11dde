//! The records: every account sealed on its own (AES-256-GCM under the record key, the
//! vault id and the record id as associated data), read, added, changed and removed, each
//! change written crash-safely through the index.

use std::collections::BTreeMap;
use std::sync::{MutexGuard, PoisonError};

use super::format::{self, RECORD_VERSION};
use super::index::{self, Index, RecordId};
use super::store::Store;
use super::*;

impl Vault {
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
            .ok_or(VaultError::Internal("the account was not stored"))
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
    pub(super) fn apply(
        &self,
        changes: Vec<(AccountId, Option<Vec<u8>>)>,
    ) -> Result<(), VaultError> {
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

    pub(super) fn lock_index(&self) -> MutexGuard<'_, Index> {
        // A panic half-way through `apply` leaves a pending change, which the next
        // `apply` settles: the state stays usable.
        self.index.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn write_index(&self, index: &Index) -> Result<(), VaultError> {
        let bytes = index.encode(&self.vault_id, &self.index_key);
        files::write_atomically(&self.dir.join(INDEX_FILE), &bytes)?;
        Ok(())
    }

    pub(super) fn seal_record(
        &self,
        id: AccountId,
        account: &Account,
    ) -> Result<Vec<u8>, VaultError> {
        // Sized up front so the plaintext is not left behind by a reallocation.
        let estimate =
            256 + 6 * (account.issuer.len() + account.name.len()) + 4 * account.otp.secret.len();
        let mut plaintext = Zeroizing::new(Vec::with_capacity(estimate));
        serde_json::to_writer(&mut *plaintext, account)
            .map_err(|_| VaultError::Internal("the account could not be serialised"))?;
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

    pub(super) fn open_record(&self, id: AccountId, value: &[u8]) -> Result<Account, VaultError> {
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

/// Every stored record: id → SHA-256 of its value.
pub(super) fn stored_hashes(
    records: &dyn Store,
) -> Result<BTreeMap<RecordId, index::Hash>, VaultError> {
    let mut out = BTreeMap::new();
    for (key, value) in records.iter()? {
        out.insert(record_id(&key)?.0, index::record_hash(&value));
    }
    Ok(out)
}

pub(super) fn record_id(key: &[u8]) -> Result<AccountId, VaultError> {
    <[u8; 16]>::try_from(key)
        .map(AccountId)
        .map_err(|_| Damage::MalformedRecordId.into())
}
