//! Upgrading a vault from format v1 to v2, as one crash-safe change, the first time a
//! build that writes v2 opens it with the right password (`Vault::open` or quick unlock).
//!
//! v1 keeps its records in the sled tree `records` and says so in a v1 `vault.index`;
//! v2 keeps them in the tree `records.v2` and says so in a v2 index. The upgrade checks
//! the v1 vault as any open does, opens every v1 record, writes them all as v2 records
//! into a fresh `records.v2` tree, flushes, and only then replaces `vault.index` with the
//! v2 index (atomically: temporary file, fsync, rename). That rename is the one moment
//! the vault changes format: a kill before it leaves v1 untouched (the next open starts
//! the upgrade again, discarding the half-written tree), a kill after it leaves v2
//! complete. The v1 tree is dropped afterwards, again at any later open if a kill left it.

use std::path::Path;

use super::format::{RecordKind, VAULT_ID_LEN};
use super::index::{self, Index};
use super::records::v1_record_id;
use super::sealed::{self, open_v1_account, AccountOut};
use super::store::{self, SledStore, Store};
use super::*;
use crate::model::Stamp;
use crate::revision::{DeviceId, Hlc, Revision};

/// The sled tree of format v1.
const V1_RECORDS_TREE: &str = "records";

/// A random id for a new copy of a vault.
pub(super) fn new_device_id() -> Result<DeviceId, VaultError> {
    let mut bytes = [0u8; 16];
    crypto::random_fill(&mut bytes)?;
    Ok(DeviceId(bytes))
}

/// Every account of a v1 vault, after the same checks as any open: the records are
/// exactly those the (v1) index vouches for, a change a crash interrupted accepted in
/// either state, and every record opens. Writes nothing.
pub(super) fn read_v1(
    db: &sled::Db,
    index: &Index,
    record_key: &Key,
    vault_id: &[u8; VAULT_ID_LEN],
) -> Result<Vec<(AccountId, Account)>, VaultError> {
    let tree = SledStore::open_tree(db, V1_RECORDS_TREE)?;
    let stored = tree.iter()?;
    let mut hashes = std::collections::BTreeMap::new();
    for (key, value) in &stored {
        let id = v1_record_id(key)?;
        hashes.insert(RecordKind::Account.key(&id), index::record_hash(value));
    }
    index.settle(&hashes)?;
    let mut accounts = Vec::with_capacity(stored.len());
    for (key, value) in &stored {
        let id = v1_record_id(key)?;
        accounts.push((id, open_v1_account(record_key, vault_id, id, value)?));
    }
    Ok(accounts)
}

/// Writes `accounts` (read by [`read_v1`]) as the records of a v2 vault and commits the
/// upgrade by replacing the index. Returns the v2 index. Each account keeps its id; all
/// get the upgrade's time as creation and modification time.
pub(super) fn to_v2(
    db: &sled::Db,
    dir: &Path,
    vault_id: &[u8; VAULT_ID_LEN],
    index_key: &Key,
    record_key: &Key,
    v1_index: &Index,
    accounts: Vec<(AccountId, Account)>,
) -> Result<Index, VaultError> {
    // A tree an interrupted upgrade left half-written.
    store::drop_tree(db, RECORDS_TREE)?;
    let tree = SledStore::open_tree(db, RECORDS_TREE)?;
    let clock = Hlc::default().tick(crate::otp::now_ms());
    let revision = Revision {
        clock,
        device: new_device_id()?,
    };
    let stamp = Stamp {
        order: 0,
        created_ms: clock.wall_ms,
        modified_ms: clock.wall_ms,
        revision,
        trashed_ms: None,
    };
    // A v1 vault's header is layout 1: key epoch 0.
    let mut index = Index::new(0, revision.device);
    index.clock = clock;
    index.generation = v1_index.generation.saturating_add(1);
    for (id, account) in &accounts {
        let key = RecordKind::Account.key(id);
        let value = sealed::seal(
            record_key,
            vault_id,
            &key,
            &AccountOut {
                account,
                stamp: &stamp,
            },
            sealed::account_size(account),
        )?;
        tree.insert(&key, &value)?;
        index.records.insert(key, index::record_hash(&value));
    }
    tree.flush()?;
    files::write_atomically(&dir.join(INDEX_FILE), &index.encode(vault_id, index_key))?;
    // Best effort: the vault is whole without it, and every open drops it if it is left.
    if store::drop_tree(db, V1_RECORDS_TREE).unwrap_or(false) {
        let _ = db.flush();
    }
    Ok(index)
}
