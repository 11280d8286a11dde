//! Fuzz-only entry points into the vault's private decoders. Compiled only
//! under `cfg(fuzzing)` (cargo-fuzz passes `--cfg fuzzing`): no other build (app, CLI,
//! tests, release) has it.
//!
//! [`Vault::open`] opens sled, which costs milliseconds per input (the fuzz targets that go
//! through it run at a few hundred inputs a second at best). A `FuzzVault` is a real
//! [`Vault`] — record and index keys derived from a data key the harness knows, exactly as
//! `open` derives them, the folder lock held — whose record store is an in-memory map
//! instead of sled. What runs on the fuzzed bytes is the vault's own code:
//! `FuzzVault::open_index` does what `open` does with `vault.index` (size limit,
//! `Index::decode`, `Index::settle` against the stored records, the settled index
//! installed), and the record decoder is reached through the ordinary [`Vault::entries`],
//! [`Vault::get`] and [`Vault::damaged_records`]. Nothing here writes to disk after
//! `FuzzVault::new`.

#![doc(hidden)]

pub use self::imp::{FuzzVault, IndexReport};

mod imp {
    use std::collections::BTreeMap;
    use std::path::Path;
    use std::sync::{Arc, Mutex, PoisonError};

    use crate::vault::crypto::{self, Key, KEY_LEN};
    use crate::vault::format::{Header, VAULT_ID_LEN};
    use crate::vault::index::{self, Index};
    use crate::vault::records::stored_hashes;
    use crate::vault::store::{Pair, Store};
    use crate::vault::{
        files, Damage, Vault, VaultError, INFO_INDEX_MAC, INFO_RECORD_KEY, LOCK_FILE,
    };

    type Records = Arc<Mutex<BTreeMap<Vec<u8>, Vec<u8>>>>;

    /// A [`Store`] in memory, shared with the [`FuzzVault`] that replaces its contents.
    struct MemStore(Records);

    impl MemStore {
        fn map(&self) -> std::sync::MutexGuard<'_, BTreeMap<Vec<u8>, Vec<u8>>> {
            self.0.lock().unwrap_or_else(PoisonError::into_inner)
        }
    }

    impl Store for MemStore {
        fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, VaultError> {
            Ok(self.map().get(key).cloned())
        }

        fn insert(&self, key: &[u8], value: &[u8]) -> Result<(), VaultError> {
            self.map().insert(key.to_vec(), value.to_vec());
            Ok(())
        }

        fn remove(&self, key: &[u8]) -> Result<bool, VaultError> {
            Ok(self.map().remove(key).is_some())
        }

        fn iter(&self) -> Result<Vec<Pair>, VaultError> {
            Ok(self
                .map()
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect())
        }

        fn flush(&self) -> Result<(), VaultError> {
            Ok(())
        }
    }

    /// A vault with known keys and an in-memory record store, for the fuzz targets.
    pub struct FuzzVault {
        vault: Vault,
        records: Records,
    }

    /// What `FuzzVault::open_index` found about an index that `open` would accept.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct IndexReport {
        /// `open` would rewrite `vault.index` (a pending change was settled).
        pub changed: bool,
        /// Records the index listed as committed.
        pub listed: usize,
        /// Pending changes the index listed.
        pub pending: usize,
        /// Records in the settled index.
        pub settled: usize,
        /// The settled index describes exactly the stored records with nothing pending,
        /// settles again to itself without a change, and survives an encode/decode round trip.
        pub consistent: bool,
    }

    impl FuzzVault {
        /// A vault of id `vault_id` under `data_key`, holding no record, whose lock file is
        /// taken in `dir` (created if missing). Fails like `open` when another `Vault` holds
        /// `dir`.
        pub fn new(
            dir: &Path,
            vault_id: [u8; VAULT_ID_LEN],
            data_key: [u8; KEY_LEN],
        ) -> Result<FuzzVault, VaultError> {
            files::create_private_dir(dir)?;
            let lock = files::lock(&dir.join(LOCK_FILE))?;
            let data_key = {
                let mut key = Key::zeroed();
                key.copy_from_slice(&data_key);
                key
            };
            let records = Records::default();
            let vault = Vault {
                dir: dir.to_path_buf(),
                vault_id,
                header: Header {
                    version: crate::vault::format::HEADER_V2,
                    vault_id,
                    epoch: 0,
                    slots: Vec::new(),
                },
                record_key: crypto::derive_subkey(&data_key, &vault_id, INFO_RECORD_KEY),
                index_key: crypto::derive_subkey(&data_key, &vault_id, INFO_INDEX_MAC),
                data_key,
                records: Box::new(MemStore(Arc::clone(&records))),
                index: std::sync::Mutex::new(Index::new(0, Default::default())),
                _lock: lock,
            };
            Ok(FuzzVault { vault, records })
        }

        /// The vault: call its read methods (`entries`, `get`, `damaged_records`). Its write
        /// methods would write `vault.index` into the folder: not for fuzzing.
        pub fn vault(&self) -> &Vault {
            &self.vault
        }

        /// Replaces every stored (key, value) pair, as sled would hold them.
        pub fn set_records<K, V>(&self, records: impl IntoIterator<Item = (K, V)>)
        where
            K: AsRef<[u8]>,
            V: AsRef<[u8]>,
        {
            let mut map = self.records.lock().unwrap_or_else(PoisonError::into_inner);
            map.clear();
            for (key, value) in records {
                map.insert(key.as_ref().to_vec(), value.as_ref().to_vec());
            }
        }

        /// What [`Vault::open`] does with the bytes of `vault.index`, once header and record
        /// database have passed: the size limit, `Index::decode` (HMAC, vault id, structure),
        /// `Index::settle` against the records stored now, and the settled index installed as
        /// the vault's own (without writing the file). An error is the one `open` returns.
        pub fn open_index(&self, bytes: &[u8]) -> Result<IndexReport, VaultError> {
            if bytes.len() as u64 > index::MAX_INDEX_LEN {
                return Err(Damage::TooLarge("record index").into());
            }
            let vault = &self.vault;
            let index = Index::decode(bytes, &vault.vault_id, &vault.index_key)?;
            let actual = stored_hashes(vault.records.as_ref())?;
            let (settled, changed) = index.settle(&actual)?;
            // Written back, an index is always format v2 (a v1 index is read to upgrade).
            let round_trip = Index::decode(
                &settled.encode(&vault.vault_id, &vault.index_key),
                &vault.vault_id,
                &vault.index_key,
            )
            .ok()
            .map(|written| Index {
                version: settled.version,
                ..written
            });
            let again = settled.settle(&actual).ok();
            let consistent = settled.records == actual
                && settled.pending.is_empty()
                && changed != index.pending.is_empty()
                && round_trip.as_ref() == Some(&settled)
                && again == Some((settled.clone(), false));
            let report = IndexReport {
                changed,
                listed: index.records.len(),
                pending: index.pending.len(),
                settled: settled.records.len(),
                consistent,
            };
            *vault.lock_index() = settled;
            Ok(report)
        }
    }
}
