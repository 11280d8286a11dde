//! How often and how lately each account's code was used (copied or typed), for the
//! "most used" and "recently used" orders. Kept on this computer only, in `usage.sealed`
//! beside the vault, never in the account records: a record changed on every copy would
//! give every copy a new revision, so sync would carry a stream of changes and a copy on
//! one computer could win over an edit made meanwhile on another. Each computer orders by
//! its own use. Sealed (AES-256-GCM under a sub-key of the vault's data key), so the file
//! does not tell when accounts were used; one that does not open (sealed before a password
//! change, damaged) counts as no use yet.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::AccountId;
use crate::vault::files::write_atomically;
use crate::vault::Vault;

pub const USAGE_FILE: &str = "usage.sealed";
/// Far above any real file (about 80 bytes an account): a larger one is not read.
const MAX_USAGE_BYTES: u64 = 4 * 1024 * 1024;

/// One account's use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Codes copied or typed.
    pub count: u64,
    /// When the last one was, in Unix milliseconds.
    pub last_ms: u64,
}

/// Every account's use, by id (an account never used has none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageBook(pub BTreeMap<AccountId, Usage>);

impl UsageBook {
    /// The use of account `id` (zero when never used).
    pub fn of(&self, id: AccountId) -> Usage {
        self.0.get(&id).copied().unwrap_or_default()
    }

    /// One more use of `id` at `now_ms`.
    pub fn record(&mut self, id: AccountId, now_ms: u64) {
        let usage = self.0.entry(id).or_default();
        usage.count = usage.count.saturating_add(1);
        usage.last_ms = usage.last_ms.max(now_ms);
    }

    /// The book of `vault`, read from its folder: empty when there is none yet or it does not
    /// open.
    pub fn load(vault: &Vault) -> UsageBook {
        Self::read(vault).unwrap_or_default()
    }

    fn read(vault: &Vault) -> Option<UsageBook> {
        let path = vault.dir().join(USAGE_FILE);
        if std::fs::metadata(&path).ok()?.len() > MAX_USAGE_BYTES {
            return None;
        }
        let sealed = std::fs::read(&path).ok()?;
        let json = vault.open_local(USAGE_FILE, &sealed)?;
        serde_json::from_slice(&json).ok()
    }

    /// Writes the book atomically into the vault's folder, accounts no longer in `ids`
    /// (deleted for good) left out.
    pub fn save(&mut self, vault: &Vault, ids: &[AccountId]) -> std::io::Result<()> {
        self.0.retain(|id, _| ids.contains(id));
        let json = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        let sealed = vault
            .seal_local(USAGE_FILE, &json)
            .map_err(std::io::Error::other)?;
        write_atomically(&vault.dir().join(USAGE_FILE), &sealed)
    }
}

/// Records one use of account `id` in the vault's book, now: what copying or typing a code
/// does in the app.
pub fn record_use(vault: &Vault, id: AccountId, now_ms: u64) -> std::io::Result<UsageBook> {
    let mut book = UsageBook::load(vault);
    book.record(id, now_ms);
    let ids: Vec<AccountId> = match vault.all_ids() {
        Ok(ids) => ids,
        Err(_) => book.0.keys().copied().collect(),
    };
    book.save(vault, &ids)?;
    Ok(book)
}
