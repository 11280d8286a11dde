//! The encrypted vault: a folder holding `vault.header` (key slots), `vault.index` (what
//! the record database must hold) and `records.sled` (the sealed accounts). The format,
//! byte by byte, and the rules that keep it crash-safe are in `docs/vault-format.md`.
//!
//! [`Vault::backup_now`] (the call to make after a change) writes an encrypted backup into
//! `backups/` and rotates the folder (the last 10, one a day for 30 days:
//! [`backup::RotationPolicy`]); [`backup::read`] opens one with the password alone.

pub mod backup;
pub(crate) mod crypto;
mod error;
pub(crate) mod files;
mod format;
#[cfg(fuzzing)]
pub mod fuzzing;
mod index;
mod kdf;
mod key;
mod open;
mod records;
pub mod recovery;
mod replica;
mod rotate;
mod sealed;
mod slots;
mod store;
mod trash;
mod upgrade;

use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use zeroize::Zeroizing;

pub use self::error::{Damage, RecordsMismatch, VaultError};
#[cfg(feature = "test-support")]
pub use self::kdf::keep_weak_kdf_for_tests;
pub use self::kdf::{KdfParams, CALIBRATION_TARGET, KEEP_WEAK_KDF_ENV};
pub use self::records::Restored;
pub(crate) use self::replica::header_identity;
pub use self::replica::{account_label, Applied, ReplicaRead};
pub use self::rotate::PasswordChange;
pub use self::slots::{check_new_password, PasswordTooShort, MIN_PASSWORD_CHARS};

use self::crypto::{Key, KEY_LEN};
use self::format::{Header, VAULT_ID_LEN};
use self::index::Index;
use self::store::Store;
use crate::keyring::{self, KeyringError, SecretStore};
use crate::model::{Account, AccountId, Entry};

/// Name of the header file inside a vault folder.
pub const HEADER_FILE: &str = "vault.header";
/// Name of the record index file inside a vault folder.
pub const INDEX_FILE: &str = "vault.index";
/// Name of the lock file inside a vault folder.
pub const LOCK_FILE: &str = "vault.lock";
/// Name of the sled database folder inside a vault folder.
pub const RECORDS_DIR: &str = "records.sled";
/// Present only while a vault is being created, before its header is written: the record
/// database and index beside it then belong to no vault yet, and the next creation may
/// remove them. Without it, files with no header are a damaged vault whose header was lost
/// (a backup's copy of the slot still opens them), never to be removed.
pub const CREATING_FILE: &str = "vault.creating";
/// Name of the folder of automatic backups inside a vault folder.
pub const BACKUPS_DIR: &str = "backups";

/// The records of format v2 under the key of epoch 0 (the tree of format v1 is
/// `upgrade::V1_RECORDS_TREE`); see [`records_tree`].
const RECORDS_TREE: &str = "records.v2";
/// Written beside `vault.index` during a password change: the index under the new key,
/// renamed into place once the new header is written.
const INDEX_NEXT_FILE: &str = "vault.index.next";

/// The tree holding the records sealed under the key of `epoch`.
fn records_tree(epoch: u32) -> String {
    if epoch == 0 {
        RECORDS_TREE.to_owned()
    } else {
        format!("{RECORDS_TREE}.e{epoch}")
    }
}
const META_TREE: &str = "meta";
const META_VAULT_ID: &[u8] = b"vault_id";
const INFO_RECORD_KEY: &[u8] = b"ringlet v1 record key";
const INFO_HEADER_MAC: &[u8] = b"ringlet v1 header mac";
const INFO_INDEX_MAC: &[u8] = b"ringlet v1 index mac";
const INFO_SETTINGS_MAC: &[u8] = b"ringlet v1 settings mac";
const INFO_SYNC_CREDENTIAL: &[u8] = b"ringlet v1 sync credential";
const INFO_LOCAL_SEAL: &[u8] = b"ringlet v1 local file";

/// An open, unlocked vault. Holds the folder's lock until dropped.
pub struct Vault {
    dir: PathBuf,
    vault_id: [u8; VAULT_ID_LEN],
    header: Header,
    data_key: Key,
    record_key: Key,
    index_key: Key,
    records: Box<dyn Store>,
    /// What `vault.index` says (the record set vouched for, and a change in flight).
    index: Mutex<Index>,
    /// Declared last so it is dropped last: the lock outlives the database handle.
    _lock: File,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vault")
            .field("dir", &self.dir)
            .field("keys", &"<redacted>")
            .finish_non_exhaustive()
    }
}

fn to_key(bytes: &[u8]) -> Result<Key, VaultError> {
    let mut key = Key::zeroed();
    if bytes.len() != KEY_LEN {
        return Err(Damage::KeyLength.into());
    }
    key.copy_from_slice(bytes);
    Ok(key)
}

impl Vault {
    /// True when `dir` holds a vault (its header file is present).
    pub fn exists(dir: &Path) -> bool {
        dir.join(HEADER_FILE).is_file()
    }

    /// True when `dir` holds any of a vault's files (header, index or record database) but
    /// for those of an interrupted creation: a folder where [`open`](Self::open) reports
    /// [`VaultError::Damaged`] rather than [`VaultError::NotFound`] when the header is
    /// gone, and where [`create`](Self::create) refuses to start over.
    pub fn has_vault_files(dir: &Path) -> bool {
        Self::exists(dir)
            || (!Self::creation_interrupted(dir)
                && (dir.join(INDEX_FILE).exists() || dir.join(RECORDS_DIR).exists()))
    }

    /// True when a creation stopped before it wrote the header (see [`CREATING_FILE`]).
    fn creation_interrupted(dir: &Path) -> bool {
        !Self::exists(dir) && dir.join(CREATING_FILE).exists()
    }

    /// Who holds the vault in `dir` open, when known: e.g. "ringlet-cli, process 1234".
    /// Meant for the message of [`VaultError::InUse`]; read from `vault.lock`, where every
    /// `Vault` writes its process id and program name once it has the lock.
    pub fn lock_holder(dir: &Path) -> Option<String> {
        files::lock_holder(&dir.join(LOCK_FILE))
    }

    /// The MAC that seals `settings.json`'s `bytes` to this vault (see `crate::settings`):
    /// under a sub-key of the data key, so it changes with every password change.
    pub(crate) fn settings_mac(&self, bytes: &[u8]) -> [u8; crypto::MAC_LEN] {
        let key = crypto::derive_subkey(&self.data_key, &self.vault_id, INFO_SETTINGS_MAC);
        crypto::hmac_sign(&key, bytes)
    }

    /// Seals a sync folder's password (see `sync::state::WebDavLogin`), or a linked folder's
    /// backup password (`crate::linked`), under a sub-key of
    /// the data key: it opens only in this vault, and only until the next password change
    /// (which seals it again).
    pub(crate) fn seal_sync_credential(
        &self,
        ad: &[u8],
        secret: &[u8],
    ) -> Result<Vec<u8>, VaultError> {
        let key = crypto::derive_subkey(&self.data_key, &self.vault_id, INFO_SYNC_CREDENTIAL);
        crypto::seal(&key, &[&self.vault_id[..], ad].concat(), secret)
    }

    pub(crate) fn open_sync_credential(
        &self,
        ad: &[u8],
        sealed: &[u8],
    ) -> Option<Zeroizing<Vec<u8>>> {
        let key = crypto::derive_subkey(&self.data_key, &self.vault_id, INFO_SYNC_CREDENTIAL);
        crypto::open(&key, &[&self.vault_id[..], ad].concat(), sealed)
    }

    pub(crate) fn verify_settings_mac(&self, bytes: &[u8], mac: &[u8]) -> bool {
        let key = crypto::derive_subkey(&self.data_key, &self.vault_id, INFO_SETTINGS_MAC);
        crypto::hmac_verify(&key, bytes, mac)
    }

    /// Seals `bytes` of a file kept beside the vault and never synced (`crate::usage`), under
    /// a sub-key of the data key, bound to `name`: nonce ‖ ciphertext ‖ tag.
    pub(crate) fn seal_local(&self, name: &str, bytes: &[u8]) -> Result<Vec<u8>, VaultError> {
        let key = crypto::derive_subkey(&self.data_key, &self.vault_id, INFO_LOCAL_SEAL);
        crypto::seal(&key, name.as_bytes(), bytes)
    }

    /// Opens what [`seal_local`](Self::seal_local) sealed; `None` when it does not open
    /// (another vault's, or sealed before a password change).
    pub(crate) fn open_local(&self, name: &str, sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let key = crypto::derive_subkey(&self.data_key, &self.vault_id, INFO_LOCAL_SEAL);
        crypto::open(&key, name.as_bytes(), sealed)
    }

    /// The data key, for the end-to-end test that searches IPC traffic for it. Compiled
    /// only with the `test-support` feature, which no shipped binary enables.
    #[cfg(feature = "test-support")]
    #[doc(hidden)]
    pub fn data_key_for_tests(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(self.data_key.to_vec())
    }

    /// The vault's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

// The app keeps a `Vault` in a `Mutex` in Tauri state: it must stay `Send`.
const _: fn() = || {
    fn is_send<T: Send>() {}
    is_send::<Vault>();
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Algorithm, OtpKind, OtpParams, Secret};
    use crate::vault::format::{self, RecordKind};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    /// Where a failing store stops: at the first write (what a crash after step 1 of
    /// `apply` leaves), or right after the flush (a crash after step 2).
    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    enum FailAt {
        Write,
        AfterFlush,
    }

    /// The vault's own store, failing from `at` on while `failing` is set.
    struct FailingStore {
        inner: Box<dyn Store>,
        at: FailAt,
        failing: Arc<AtomicBool>,
    }

    impl FailingStore {
        fn fails(&self, at: FailAt) -> Result<(), VaultError> {
            if self.at == at && self.failing.load(Ordering::SeqCst) {
                return Err(VaultError::Io(std::io::Error::other(
                    "the test store fails here",
                )));
            }
            Ok(())
        }
    }

    impl Store for FailingStore {
        fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, VaultError> {
            self.inner.get(key)
        }
        fn insert(&self, key: &[u8], value: &[u8]) -> Result<(), VaultError> {
            self.fails(FailAt::Write)?;
            self.inner.insert(key, value)
        }
        fn remove(&self, key: &[u8]) -> Result<bool, VaultError> {
            self.fails(FailAt::Write)?;
            self.inner.remove(key)
        }
        fn iter(&self) -> Result<Vec<store::Pair>, VaultError> {
            self.inner.iter()
        }
        fn flush(&self) -> Result<(), VaultError> {
            self.inner.flush()?;
            self.fails(FailAt::AfterFlush)
        }
    }

    /// A stand-in while the real store is moved into its wrapper.
    impl Store for () {
        fn get(&self, _: &[u8]) -> Result<Option<Vec<u8>>, VaultError> {
            Ok(None)
        }
        fn insert(&self, _: &[u8], _: &[u8]) -> Result<(), VaultError> {
            Ok(())
        }
        fn remove(&self, _: &[u8]) -> Result<bool, VaultError> {
            Ok(false)
        }
        fn iter(&self) -> Result<Vec<store::Pair>, VaultError> {
            Ok(Vec::new())
        }
        fn flush(&self) -> Result<(), VaultError> {
            Ok(())
        }
    }

    /// Makes `vault`'s writes fail at `at`; clearing the returned flag lets them through.
    fn fail_writes(vault: &mut Vault, at: FailAt) -> Arc<AtomicBool> {
        let failing = Arc::new(AtomicBool::new(true));
        let inner = std::mem::replace(&mut vault.records, Box::new(()));
        vault.records = Box::new(FailingStore {
            inner,
            at,
            failing: Arc::clone(&failing),
        });
        failing
    }

    const PW: &[u8] = b"pw";

    fn fast_kdf() -> KdfParams {
        crate::vault::keep_weak_kdf_for_tests();
        KdfParams::fast_for_tests()
    }

    fn account(name: &str, counter: u64) -> Account {
        Account::new(
            "Issuer",
            name,
            OtpParams {
                secret: Secret::new(name.as_bytes().to_vec()),
                algorithm: Algorithm::Sha1,
                digits: 6,
                kind: OtpKind::Hotp { counter },
            },
        )
    }

    fn stamp(revision: crate::revision::Revision) -> crate::model::Stamp {
        crate::model::Stamp {
            order: 0,
            created_ms: 0,
            modified_ms: 0,
            revision,
            trashed_ms: None,
        }
    }

    fn names(vault: &Vault) -> Vec<(String, u64)> {
        vault
            .entries()
            .unwrap()
            .into_iter()
            .map(|e| (e.account.name, e.account.otp.kind.counter().unwrap_or(0)))
            .collect()
    }

    /// A change interrupted after each of its steps: the vault opens, with the change
    /// absent (after step 1) or present (after step 2), and the index settled.
    #[test]
    fn interrupted_changes_open_in_the_old_or_new_state() {
        for at in [FailAt::Write, FailAt::AfterFlush] {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path();
            let (kept, gone) = {
                let mut vault = Vault::create_with(dir, PW, fast_kdf()).unwrap();
                let kept = vault.add(&account("kept", 1)).unwrap();
                let gone = vault.add(&account("gone", 1)).unwrap();
                let new = AccountId([0xAB; 16]);
                fail_writes(&mut vault, at);
                let interrupted = vault.change(|revision| {
                    Ok(vec![
                        vault.account_change(new, &account("new", 1), &stamp(revision))?,
                        vault.account_change(kept, &account("kept", 2), &stamp(revision))?,
                        (RecordKind::Account.key(&gone), None),
                    ])
                });
                assert!(interrupted.is_err(), "{at:?}");
                (kept, gone)
            };
            let vault = Vault::open(dir, PW).unwrap();
            let expected: Vec<(String, u64)> = if at == FailAt::Write {
                vec![("gone".into(), 1), ("kept".into(), 1)]
            } else {
                vec![("kept".into(), 2), ("new".into(), 1)]
            };
            assert_eq!(names(&vault), expected, "stopped at {at:?}");
            let index = vault.lock_index().clone();
            assert!(index.pending.is_empty());
            assert_eq!(index.generation, 3, "two adds, then the settled change");
            let key = |id| RecordKind::Account.key(&id);
            assert_eq!(index.records.contains_key(&key(gone)), at == FailAt::Write);
            assert!(index.records.contains_key(&key(kept)));
            drop(vault);
            // Settled on disk too: opens again the same.
            assert_eq!(names(&Vault::open(dir, PW).unwrap()), expected);
        }
    }

    /// A change whose sled write failed is settled before the next change.
    #[test]
    fn pending_change_is_settled_before_the_next() {
        let tmp = tempfile::tempdir().unwrap();
        let mut vault = Vault::create_with(tmp.path(), PW, fast_kdf()).unwrap();
        let id = AccountId([1; 16]);
        let failing = fail_writes(&mut vault, FailAt::AfterFlush);
        let failed = vault.change(|revision| {
            Ok(vec![vault.account_change(
                id,
                &account("a", 1),
                &stamp(revision),
            )?])
        });
        assert!(failed.is_err());
        assert_eq!(vault.lock_index().pending.len(), 1);
        failing.store(false, Ordering::SeqCst);
        vault.add(&account("b", 1)).unwrap();
        let index = vault.lock_index().clone();
        assert!(index.pending.is_empty());
        assert_eq!(index.records.len(), 2);
        assert_eq!(index.generation, 2);
    }

    /// A record sled lost after it was acknowledged is never accepted as "not yet written".
    #[test]
    fn acknowledged_record_lost_is_damaged() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let id = {
            let vault = Vault::create_with(dir, PW, fast_kdf()).unwrap();
            vault.add(&account("a", 1)).unwrap();
            let id = vault.add(&account("b", 1)).unwrap();
            vault.records.remove(&RecordKind::Account.key(&id)).unwrap();
            vault.records.flush().unwrap();
            id
        };
        let text = Vault::open(dir, PW).unwrap_err().to_string();
        assert!(text.contains("1 record was lost"), "{text}");
        assert!(text.contains(&id.to_string()), "{text}");
    }

    /// A record a later version wrote (version byte 3, a field this version does not
    /// know) is shown as far as it is understood, and never rewritten.
    #[test]
    fn a_newer_record_is_read_but_never_rewritten() {
        let tmp = tempfile::tempdir().unwrap();
        let vault = Vault::create_with(tmp.path(), PW, fast_kdf()).unwrap();
        let newer = |id: AccountId, json: serde_json::Value| {
            let key = RecordKind::Account.key(&id);
            let sealed = crypto::seal(
                &vault.record_key,
                &format::record_ad(&vault.vault_id, 3, &key),
                json.to_string().as_bytes(),
            )
            .unwrap();
            let mut value = vec![3u8];
            value.extend_from_slice(&sealed);
            (key, Some(value))
        };
        let readable = AccountId([0x31; 16]);
        vault
            .change(|revision| {
                let mut json = serde_json::json!({
                    "account": account("future", 5),
                    "stamp": stamp(revision),
                    "colour": "teal",
                });
                json["account"]["shared_with"] = serde_json::json!(["bob"]);
                Ok(vec![newer(readable, json)])
            })
            .unwrap();
        let entries = vault.entries().unwrap();
        assert_eq!(entries[0].account, account("future", 5));
        for refused in [
            vault.update(readable, &account("changed", 6)),
            vault.remove(readable),
        ] {
            assert!(
                matches!(refused, Err(VaultError::NewerRecord(id)) if id == readable),
                "{refused:?}"
            );
        }
        assert_eq!(vault.get(readable).unwrap().account, account("future", 5));
        assert!(vault.damaged_records().unwrap().is_empty());

        // Written in a shape this version cannot read at all: said so, not "damaged".
        let unreadable = AccountId([0x32; 16]);
        vault
            .change(|_| Ok(vec![newer(unreadable, serde_json::json!({"v": 3}))]))
            .unwrap();
        assert!(matches!(
            vault.get(unreadable),
            Err(VaultError::NewerRecord(id)) if id == unreadable
        ));
        assert!(VaultError::NewerRecord(unreadable)
            .to_string()
            .contains("newer version of Ringlet"));
    }

    /// A record whose version byte was damaged (2 flipped to 3) does not authenticate: it
    /// is damage, listed by `damaged_records` and removable, not "newer". Removing also
    /// clears a damaged tombstone or recovery codes left without an account.
    #[test]
    fn damage_is_never_taken_for_a_newer_record() {
        let tmp = tempfile::tempdir().unwrap();
        let vault = Vault::create_with(tmp.path(), PW, fast_kdf()).unwrap();
        let id = vault.add(&account("a", 1)).unwrap();
        let key = RecordKind::Account.key(&id);
        let mut value = vault.records.get(&key).unwrap().unwrap();
        value[0] = 3;
        vault.change(|_| Ok(vec![(key, Some(value))])).unwrap();
        assert_eq!(vault.damaged_records().unwrap(), vec![id]);
        vault.remove(id).unwrap();
        assert!(vault.damaged_records().unwrap().is_empty());

        // A damaged tombstone, no account: named, then cleared by remove.
        let tombstone = RecordKind::Tombstone.key(&id);
        vault
            .change(|_| Ok(vec![(tombstone, Some(vec![2, 0, 1, 2]))]))
            .unwrap();
        assert_eq!(vault.damaged_records().unwrap(), vec![id]);
        vault.remove(id).unwrap();
        assert!(vault.damaged_records().unwrap().is_empty());
        assert_eq!(vault.tombstones().unwrap().len(), 1);
        let other = AccountId([0x77; 16]);
        assert!(matches!(
            vault.remove(other),
            Err(VaultError::AccountNotFound(_))
        ));
    }
}
