//! Starting again from a backup when the vault cannot be opened: the damaged folder is moved
//! aside as `<name>.damaged-<unix seconds>` (nothing is deleted), a new vault is made in its
//! place with the backup's password and accounts, and the backups and preferences move into
//! it. The app's unlock screen and `ringlet-cli recover` both do exactly this.

use std::path::{Path, PathBuf};

use super::backup::{self, BackupError};
use super::{files, Vault, VaultError, BACKUPS_DIR, LOCK_FILE};
use crate::settings::SETTINGS_FILE;

/// A vault rebuilt from a backup.
#[derive(Debug)]
pub struct Recovered {
    /// The new vault, open.
    pub vault: Vault,
    /// Where the damaged folder now is.
    pub set_aside: PathBuf,
    /// How many accounts the backup gave.
    pub restored: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum RecoverError {
    /// The backup could not be read: nothing was moved.
    #[error(transparent)]
    Backup(#[from] BackupError),
    #[error(transparent)]
    Vault(#[from] VaultError),
}

/// Rebuilds the vault folder `dir` from the backup file `backup_file`, which opens with
/// `password` (the new vault's password too). The backup is read before anything moves,
/// and a folder another Ringlet program holds open is left alone.
pub fn recover_from_backup(
    dir: &Path,
    backup_file: &Path,
    password: &[u8],
) -> Result<Recovered, RecoverError> {
    let entries = backup::read(backup_file, password)?;
    // Held until the new vault stands, so no other Ringlet program is inside the folder.
    let held = files::lock(&dir.join(LOCK_FILE))?;
    let set_aside = set_aside(dir)?;
    let vault = Vault::create(dir, password)?;
    drop(held);
    let restored: Vec<_> = entries.iter().map(|entry| entry.restored()).collect();
    vault.add_restored(&restored)?;
    // The history and the preferences are the person's: they move into the new folder. A
    // failure here loses nothing (both stay in the folder set aside).
    let _ = std::fs::rename(set_aside.join(BACKUPS_DIR), dir.join(BACKUPS_DIR));
    let _ = std::fs::rename(set_aside.join(SETTINGS_FILE), dir.join(SETTINGS_FILE));
    Ok(Recovered {
        vault,
        set_aside,
        restored: entries.len(),
    })
}

/// Renames `dir` to `<name>.damaged-<unix seconds>` beside it.
fn set_aside(dir: &Path) -> Result<PathBuf, VaultError> {
    let name = dir
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "vault".into());
    let aside = dir.with_file_name(format!("{name}.damaged-{}", backup::now()));
    std::fs::rename(dir, &aside)?;
    Ok(aside)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_vault_is_moved_aside_not_deleted() {
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("vault");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("vault.header"), b"damaged").unwrap();
        let aside = set_aside(&dir).unwrap();
        assert!(!dir.exists());
        assert_eq!(
            std::fs::read(aside.join("vault.header")).unwrap_or_default(),
            b"damaged"
        );
        assert!(aside
            .file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with("vault.damaged-")));
    }
}
