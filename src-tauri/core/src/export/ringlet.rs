//! Ringlet's own encrypted backup (`docs/backup-format.md`), written wherever the person
//! asks: the same bytes as an automatic backup ([`Vault::backup_bytes`]), opened again
//! with the vault's key before they are returned. It opens with the vault's password (the
//! one it had when the export was made), by `ringlet-cli restore` or `recover`.
//!
//! Lost: nothing. Accounts, tags, notes, pins, icons' names, order, times and recovery
//! codes all come back. The trash is not exported.
//!
//! [`Vault::backup_bytes`]: crate::vault::Vault::backup_bytes

use zeroize::Zeroizing;

use super::{About, ExportError, ExportFormat, Exported, Protection, Source};

pub struct Ringlet;

const ABOUT: About = About {
    id: "ringlet",
    name: "Ringlet backup",
    protection: Protection::VaultPassword,
    loses: "nothing (the trash is not exported)",
    numbered: false,
    extension: crate::vault::backup::EXTENSION,
};

impl ExportFormat for Ringlet {
    fn about(&self) -> &About {
        &ABOUT
    }

    fn write(
        &self,
        source: &Source<'_>,
        _password: Option<&[u8]>,
    ) -> Result<Exported, ExportError> {
        let (bytes, accounts) = source.vault().backup_bytes()?;
        Ok(Exported {
            files: vec![Zeroizing::new(bytes)],
            accounts,
            left_out: Vec::new(),
        })
    }
}
