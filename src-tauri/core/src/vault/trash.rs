//! The trash: a deleted account is first moved there (its stamp's `trashed_ms` set, a
//! change like any other, so sync carries it), kept [`TRASH_DAYS`] days, and can come back.
//! Emptying the trash, or its expiry, removes the account for good, leaving a tombstone.

use super::*;
use crate::model::{Stamp, TRASH_DAYS};

const DAY_MS: u64 = 24 * 60 * 60 * 1000;

impl Vault {
    /// The accounts in the trash, most recently trashed first.
    pub fn trash(&self) -> Result<Vec<Entry>, VaultError> {
        let mut trashed = self.all_entries()?;
        trashed.retain(|entry| entry.stamp.trashed_ms.is_some());
        trashed.sort_by_key(|entry| std::cmp::Reverse(entry.stamp.trashed_ms));
        Ok(trashed)
    }

    /// Moves the account `id` (in use) to the trash, durable before returning.
    pub fn move_to_trash(&self, id: AccountId) -> Result<(), VaultError> {
        self.set_trashed(id, true)
    }

    /// Brings the account `id` back from the trash, durable before returning.
    pub fn restore_from_trash(&self, id: AccountId) -> Result<(), VaultError> {
        self.set_trashed(id, false)
    }

    /// Removes for good every account that has been in the trash [`TRASH_DAYS`] days at
    /// `now_ms` (or all of them with `everything`); returns how many.
    pub fn empty_trash(&self, now_ms: u64, everything: bool) -> Result<usize, VaultError> {
        let keep_ms = TRASH_DAYS * DAY_MS;
        let mut removed = 0;
        for entry in self.trash()? {
            let trashed = entry.stamp.trashed_ms.unwrap_or(now_ms);
            if everything || now_ms.saturating_sub(trashed) >= keep_ms {
                self.remove(entry.id)?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Days `entry` has left in the trash at `now_ms`, counting the day begun: 30 just
    /// after it was trashed, 1 on its last day, 0 once it is due to go.
    pub fn trash_days_left(entry: &Entry, now_ms: u64) -> u64 {
        let trashed = entry.stamp.trashed_ms.unwrap_or(now_ms);
        let gone_at = trashed.saturating_add(TRASH_DAYS * DAY_MS);
        gone_at.saturating_sub(now_ms).div_ceil(DAY_MS)
    }

    fn set_trashed(&self, id: AccountId, trashed: bool) -> Result<(), VaultError> {
        let entry = self.get(id)?;
        if entry.stamp.trashed_ms.is_some() == trashed {
            // Moving to the trash what is already there, or back what is in use.
            return Err(VaultError::AccountNotFound(id));
        }
        let key = format::RecordKind::Account.key(&id);
        self.refuse_newer(&key)?;
        self.change(|revision| {
            let now = revision.clock.wall_ms;
            let stamp = Stamp {
                modified_ms: now,
                revision,
                trashed_ms: trashed.then_some(now),
                ..entry.stamp.clone()
            };
            Ok(vec![self.account_change(id, &entry.account, &stamp)?])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Algorithm, OtpKind, OtpParams, Secret};

    fn vault() -> (tempfile::TempDir, Vault) {
        crate::vault::keep_weak_kdf_for_tests();
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let vault = Vault::create_with(dir.path(), b"trash test", KdfParams::fast_for_tests())
            .unwrap_or_else(|e| panic!("{e}"));
        (dir, vault)
    }

    fn account(issuer: &str) -> Account {
        Account::new(
            issuer,
            "me",
            OtpParams {
                secret: Secret::new(issuer.as_bytes().to_vec()),
                algorithm: Algorithm::Sha1,
                digits: 6,
                kind: OtpKind::Totp { period: 30 },
            },
        )
    }

    fn issuers(entries: &[Entry]) -> Vec<String> {
        entries.iter().map(|e| e.account.issuer.clone()).collect()
    }

    #[test]
    fn trashed_accounts_leave_the_list_and_come_back() {
        let (_dir, vault) = vault();
        let a = vault.add(&account("A")).unwrap_or_else(|e| panic!("{e}"));
        vault.add(&account("B")).unwrap_or_else(|e| panic!("{e}"));
        vault.move_to_trash(a).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(issuers(&vault.entries().unwrap_or_default()), ["B"]);
        assert_eq!(issuers(&vault.trash().unwrap_or_default()), ["A"]);
        assert!(matches!(
            vault.move_to_trash(a),
            Err(VaultError::AccountNotFound(_))
        ));
        vault
            .restore_from_trash(a)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(issuers(&vault.entries().unwrap_or_default()), ["A", "B"]);
        assert!(vault.trash().unwrap_or_default().is_empty());
        assert!(
            vault.tombstones().unwrap_or_default().is_empty(),
            "nothing removed"
        );
    }

    /// Expiry takes a clock: an account trashed 29 days ago stays, 30 days ago goes, and
    /// leaves a tombstone for sync.
    #[test]
    fn the_trash_keeps_an_account_thirty_days() {
        let (_dir, vault) = vault();
        let a = vault.add(&account("A")).unwrap_or_else(|e| panic!("{e}"));
        vault.move_to_trash(a).unwrap_or_else(|e| panic!("{e}"));
        let trashed = vault.trash().unwrap_or_default()[0].clone();
        let at = trashed.stamp.trashed_ms.unwrap_or_default();
        assert_eq!(Vault::trash_days_left(&trashed, at), 30);
        let day = 24 * 60 * 60 * 1000;
        assert_eq!(vault.empty_trash(at + 29 * day, false).ok(), Some(0));
        assert_eq!(Vault::trash_days_left(&trashed, at + 1), 30);
        assert_eq!(Vault::trash_days_left(&trashed, at + 29 * day + 1), 1);
        assert_eq!(Vault::trash_days_left(&trashed, at + 30 * day), 0);
        assert_eq!(vault.empty_trash(at + 30 * day, false).ok(), Some(1));
        assert!(vault.trash().unwrap_or_default().is_empty());
        assert_eq!(vault.tombstones().unwrap_or_default().len(), 1);
    }

    #[test]
    fn emptying_the_trash_removes_only_what_is_in_it() {
        let (_dir, vault) = vault();
        let a = vault.add(&account("A")).unwrap_or_else(|e| panic!("{e}"));
        vault.add(&account("B")).unwrap_or_else(|e| panic!("{e}"));
        vault.move_to_trash(a).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(vault.empty_trash(0, true).ok(), Some(1));
        assert_eq!(issuers(&vault.entries().unwrap_or_default()), ["B"]);
    }
}
