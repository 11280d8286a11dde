//! Where sealed records live: a small key-value [`Store`] trait and its sled 0.34.7
//! implementation. The store sees only record ids and ciphertext.

use std::io;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::thread;
use std::time::Duration;

use super::error::{Damage, VaultError};
use super::files::sync_dir;

/// A stored (key, value) pair.
pub(crate) type Pair = (Vec<u8>, Vec<u8>);

/// The few operations the vault needs from a key-value store. Writes are durable only
/// after [`flush`](Store::flush), which the vault calls before any write returns.
pub(crate) trait Store: Send {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, VaultError>;
    fn insert(&self, key: &[u8], value: &[u8]) -> Result<(), VaultError>;
    /// True when the key was present.
    fn remove(&self, key: &[u8]) -> Result<bool, VaultError>;
    /// Every (key, value) pair, in key order.
    fn iter(&self) -> Result<Vec<Pair>, VaultError>;
    fn flush(&self) -> Result<(), VaultError>;
    /// Another tree of the same database (created if missing): where a password change
    /// writes the records under the new key.
    fn sibling(&self, _name: &str) -> Result<Box<dyn Store>, VaultError> {
        Err(VaultError::Internal("this store has no other trees"))
    }
    /// Removes the tree `name` of the same database, if it is there.
    fn drop_sibling(&self, _name: &str) -> Result<(), VaultError> {
        Err(VaultError::Internal("this store has no other trees"))
    }
    /// The names of every tree of the database.
    fn tree_names(&self) -> Result<Vec<String>, VaultError> {
        Ok(Vec::new())
    }
}

/// One sled tree, and the database it is in.
pub(crate) struct SledStore {
    db: sled::Db,
    tree: sled::Tree,
}

/// Runs a sled call, turning its errors and any panic (sled can panic on corrupt files)
/// into `VaultError`s.
fn guarded<T>(f: impl FnOnce() -> sled::Result<T>) -> Result<T, VaultError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(map_sled_error(e)),
        Err(_) => Err(Damage::Database("could not be read (the storage engine failed)").into()),
    }
}

fn map_sled_error(e: sled::Error) -> VaultError {
    match e {
        sled::Error::Io(io) => VaultError::Io(io),
        sled::Error::Corruption { .. } => Damage::Database("is corrupt").into(),
        sled::Error::CollectionNotFound(_) => Damage::Database("is missing a part").into(),
        // Unsupported, ReportableBug (and FailPoint when sled is built for testing).
        #[allow(unreachable_patterns)]
        _ => Damage::Database("could not be read").into(),
    }
}

fn is_lock_conflict(e: &sled::Error) -> bool {
    matches!(e, sled::Error::Io(io) if io.kind() == io::ErrorKind::Other
        && io.to_string().contains("could not acquire lock"))
}

/// Opens (creating if needed) the sled database at `path`.
///
/// sled takes an exclusive `flock` on its data file. The vault already holds its own lock
/// when it gets here, so a conflict means a `Db` of this process is still shutting down
/// (sled joins its threads on drop, but be tolerant) or a foreign process holds it: retry
/// briefly, then report [`VaultError::InUse`].
pub(crate) fn open_sled(path: &Path) -> Result<sled::Db, VaultError> {
    const ATTEMPTS: u32 = 20;
    discard_unfinished_snapshots(path)?;
    for attempt in 1..=ATTEMPTS {
        let config = sled::Config::new().path(path);
        match catch_unwind(AssertUnwindSafe(|| config.open())) {
            Ok(Ok(db)) => return Ok(db),
            Ok(Err(e)) if is_lock_conflict(&e) => {
                if attempt == ATTEMPTS {
                    return Err(VaultError::InUse);
                }
                thread::sleep(Duration::from_millis(50));
            }
            Ok(Err(e)) => return Err(map_sled_error(e)),
            Err(_) => {
                return Err(
                    Damage::Database("could not be opened (the storage engine failed)").into(),
                )
            }
        }
    }
    Err(VaultError::InUse)
}

/// sled 0.34.7 writes a snapshot as `snap.<lsn>.generating`, fsyncs it and renames it to
/// `snap.<lsn>`, but when it opens it reads the newest `snap.*` file, an unfinished
/// `.generating` one included: a process killed before the rename (sled writes a
/// snapshot at every open that finds new log entries) left a database it called corrupt
/// for good. Such a file never became part of the database (the previous snapshot and
/// the log still hold everything), so it is removed first. The caller holds the vault
/// lock, so no other Ringlet process is writing one.
fn discard_unfinished_snapshots(path: &Path) -> Result<(), VaultError> {
    let entries = match std::fs::read_dir(path) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let mut removed = false;
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            std::fs::remove_file(entry.path())?;
            removed = true;
        }
    }
    if removed {
        sync_dir(path)?;
    }
    Ok(())
}

/// Removes the tree `name` from `db` if it is there; true when it was.
pub(crate) fn drop_tree(db: &sled::Db, name: &str) -> Result<bool, VaultError> {
    guarded(|| db.drop_tree(name))
}

impl SledStore {
    pub(crate) fn open_tree(db: &sled::Db, name: &str) -> Result<SledStore, VaultError> {
        let tree = guarded(|| db.open_tree(name))?;
        Ok(SledStore {
            db: db.clone(),
            tree,
        })
    }
}

impl Store for SledStore {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, VaultError> {
        guarded(|| self.tree.get(key)).map(|v| v.map(|v| v.to_vec()))
    }

    fn insert(&self, key: &[u8], value: &[u8]) -> Result<(), VaultError> {
        guarded(|| self.tree.insert(key, value)).map(|_| ())
    }

    fn remove(&self, key: &[u8]) -> Result<bool, VaultError> {
        guarded(|| self.tree.remove(key)).map(|old| old.is_some())
    }

    fn iter(&self) -> Result<Vec<Pair>, VaultError> {
        guarded(|| {
            self.tree
                .iter()
                .map(|item| item.map(|(k, v)| (k.to_vec(), v.to_vec())))
                .collect()
        })
    }

    fn flush(&self) -> Result<(), VaultError> {
        guarded(|| self.tree.flush()).map(|_| ())
    }

    fn sibling(&self, name: &str) -> Result<Box<dyn Store>, VaultError> {
        Ok(Box::new(SledStore::open_tree(&self.db, name)?))
    }

    fn drop_sibling(&self, name: &str) -> Result<(), VaultError> {
        drop_tree(&self.db, name).map(drop)
    }

    fn tree_names(&self) -> Result<Vec<String>, VaultError> {
        Ok(guarded(|| Ok(self.db.tree_names()))?
            .into_iter()
            .map(|name| String::from_utf8_lossy(&name).into_owned())
            .collect())
    }
}
