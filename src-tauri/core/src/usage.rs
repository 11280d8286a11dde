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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Account, Algorithm, OtpKind, OtpParams, Secret};
    use crate::vault::KdfParams;

    fn vault(dir: &std::path::Path, password: &[u8]) -> Vault {
        crate::vault::keep_weak_kdf_for_tests();
        Vault::create_with(dir, password, KdfParams::fast_for_tests())
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn account(issuer: &str) -> Account {
        Account::new(
            issuer,
            "alice",
            OtpParams {
                secret: Secret::new(issuer.as_bytes().to_vec()),
                algorithm: Algorithm::Sha1,
                digits: 6,
                kind: OtpKind::Totp { period: 30 },
            },
        )
    }

    #[test]
    fn uses_are_counted_sealed_on_disk_and_read_back_after_a_reopen() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let opened = vault(dir.path(), b"pw");
        let github = opened
            .add(&account("GitHub"))
            .unwrap_or_else(|e| panic!("{e}"));
        let zulu = opened
            .add(&account("Zulu"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(UsageBook::load(&opened).of(github), Usage::default());
        record_use(&opened, github, 1_000).unwrap_or_else(|e| panic!("{e}"));
        record_use(&opened, github, 3_000).unwrap_or_else(|e| panic!("{e}"));
        record_use(&opened, zulu, 2_000).unwrap_or_else(|e| panic!("{e}"));
        let on_disk = std::fs::read(dir.path().join(USAGE_FILE)).unwrap_or_else(|e| panic!("{e}"));
        let id_text = github.to_string();
        assert!(
            !on_disk
                .windows(id_text.len())
                .any(|w| w == id_text.as_bytes()),
            "the file is sealed"
        );
        drop(opened);
        let reopened = Vault::open(dir.path(), b"pw").unwrap_or_else(|e| panic!("{e}"));
        let book = UsageBook::load(&reopened);
        assert_eq!(
            book.of(github),
            Usage {
                count: 2,
                last_ms: 3_000
            }
        );
        assert_eq!(
            book.of(zulu),
            Usage {
                count: 1,
                last_ms: 2_000
            }
        );
        // An account deleted for good leaves the book at the next use.
        reopened.remove(zulu).unwrap_or_else(|e| panic!("{e}"));
        let book = record_use(&reopened, github, 4_000).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(book.0.len(), 1);
    }

    #[test]
    fn a_book_that_does_not_open_counts_as_no_use() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let opened = vault(dir.path(), b"pw");
        let id = opened
            .add(&account("GitHub"))
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join(USAGE_FILE), b"garbage").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(UsageBook::load(&opened), UsageBook::default());
        // Another vault's book does not open either.
        let other_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let other = vault(other_dir.path(), b"pw");
        record_use(&other, id, 5).unwrap_or_else(|e| panic!("{e}"));
        std::fs::copy(
            other_dir.path().join(USAGE_FILE),
            dir.path().join(USAGE_FILE),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(UsageBook::load(&opened), UsageBook::default());
    }
}
