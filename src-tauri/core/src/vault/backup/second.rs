//! The second backup folder: each verified backup copied there too, read back and opened
//! again, and that folder rotated like `backups/` — but only this vault's backups in it
//! (a USB stick may hold several vaults' backups). An unreachable folder (a stick pulled
//! out, a path gone, a read-only disk) is a sentence for the person, never an error of
//! the backup: the primary backup is already made, and the next backup tries again.
//!
//! Nothing is written outside the chosen folder: it is never created (a missing mount
//! point must not become a folder on the system disk), and only `ringlet-*.rbak` files
//! (and their `.tmp` while written) are made there, 0600.

use std::fs;
use std::path::Path;

use super::folder::{free_name, rotate_matching, RotationPolicy};
use super::status::Verified;
use super::{read_bytes, EXTENSION, PREFIX_LEN};
use crate::vault::files::write_atomically;
use crate::vault::format::VAULT_ID_LEN;
use crate::vault::Vault;

impl Vault {
    /// Copies the verified backup `primary` (holding `accounts`) into `folder`, verifies
    /// the copy, and rotates `folder`'s backups of this vault. `now` is Unix seconds.
    pub(super) fn copy_to_second_folder(
        &self,
        folder: &Path,
        primary: &Path,
        accounts: usize,
        now: u64,
    ) -> Result<Verified, String> {
        if !folder.is_dir() {
            return Err(format!(
                "{} is not reachable (a USB stick removed, or the folder moved or deleted); backups continue in the vault's folder.",
                folder.display()
            ));
        }
        let bytes = read_bytes(primary).map_err(|error| error.to_string())?;
        let created = created_of(&bytes).unwrap_or(now);
        let copy = free_name(folder, created);
        write_atomically(&copy, &bytes).map_err(|error| {
            format!(
                "a backup could not be written into {}: {error}.",
                folder.display()
            )
        })?;
        match self.verify_backup(&copy) {
            Ok(count) if count == accounts => {}
            outcome => {
                let aside = copy.with_extension(format!("{EXTENSION}.unverified"));
                let _ = fs::rename(&copy, &aside);
                let why = match outcome {
                    Ok(count) => format!("it holds {count} accounts instead of {accounts}"),
                    Err(error) => error.to_string(),
                };
                return Err(format!(
                    "the copy in {} did not read back ({why}); it was set aside as .unverified.",
                    folder.display()
                ));
            }
        }
        let ours = self.vault_id;
        rotate_matching(
            folder,
            &RotationPolicy::default(),
            now,
            Some(&copy),
            |path| vault_id_of(path) == Some(ours),
        )
        .map_err(|error| {
            format!(
                "old backups in {} could not be removed: {error}.",
                folder.display()
            )
        })?;
        Ok(Verified {
            time: now,
            accounts,
            file: copy,
        })
    }
}

/// The creation time a backup's header holds.
fn created_of(bytes: &[u8]) -> Option<u64> {
    let word: [u8; 8] = bytes
        .get(10 + VAULT_ID_LEN..18 + VAULT_ID_LEN)?
        .try_into()
        .ok()?;
    Some(u64::from_be_bytes(word))
}

/// The id of the vault the backup at `path` was made from, from its header.
fn vault_id_of(path: &Path) -> Option<[u8; VAULT_ID_LEN]> {
    use std::io::Read;
    let mut head = [0u8; PREFIX_LEN];
    fs::File::open(path).ok()?.read_exact(&mut head).ok()?;
    head.get(10..10 + VAULT_ID_LEN)?.try_into().ok()
}
