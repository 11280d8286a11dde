//! Where the sync files live: a folder that a sync engine carries (Syncthing, Nextcloud,
//! Dropbox, a USB stick). Only files named like a device's file are read; each is read
//! whole, up to a cap, and only when it is a regular file (a link, a folder or a device
//! file of that name is reported, never followed). Each device writes its own file only,
//! atomically (a temporary name, then a rename).

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::file::{self, MAX_FILE_LEN};
use super::SyncError;
use crate::revision::DeviceId;

/// One device's file found in the folder.
#[derive(Debug, Clone)]
pub struct Listed {
    pub name: String,
    pub device: DeviceId,
}

/// What listing a folder found: the device files, and what was skipped, in words.
#[derive(Debug, Default)]
pub struct Listing {
    pub files: Vec<Listed>,
    pub problems: Vec<String>,
}

/// A sync folder on this computer.
#[derive(Debug, Clone)]
pub struct LocalFolder {
    path: PathBuf,
}

impl LocalFolder {
    pub fn new(path: impl Into<PathBuf>) -> LocalFolder {
        LocalFolder { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn unreachable(&self, error: std::io::Error) -> SyncError {
        SyncError::Unreachable {
            folder: self.path.display().to_string(),
            reason: error.to_string(),
        }
    }

    /// The device files in the folder.
    pub fn list(&self) -> Result<Listing, SyncError> {
        let mut listing = Listing::default();
        let entries = fs::read_dir(&self.path).map_err(|e| self.unreachable(e))?;
        for entry in entries {
            let entry = entry.map_err(|e| self.unreachable(e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(device) = file::device_of(&name) else {
                continue;
            };
            // Not followed: a link (even a loop) is named and left alone.
            match entry.file_type() {
                Ok(kind) if kind.is_file() => listing.files.push(Listed { name, device }),
                Ok(_) => listing.problems.push(format!(
                    "{name} is not a plain file (a link or a folder): skipped."
                )),
                Err(error) => listing
                    .problems
                    .push(format!("{name} could not be read: {error}")),
            }
        }
        listing.files.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(listing)
    }

    /// Reads one device file, whole, refusing one over the cap before reading it.
    pub fn read(&self, name: &str) -> Result<Vec<u8>, SyncError> {
        let path = self.path.join(name);
        let meta = fs::symlink_metadata(&path).map_err(|e| self.unreachable(e))?;
        if !meta.is_file() {
            return Err(SyncError::DamagedFile("it is not a plain file"));
        }
        if meta.len() > MAX_FILE_LEN {
            return Err(SyncError::TooLarge);
        }
        let mut bytes = Vec::new();
        fs::File::open(&path)
            .and_then(|f| f.take(MAX_FILE_LEN + 1).read_to_end(&mut bytes))
            .map_err(|e| self.unreachable(e))?;
        if bytes.len() as u64 > MAX_FILE_LEN {
            return Err(SyncError::TooLarge);
        }
        Ok(bytes)
    }

    /// Replaces this device's file `name` atomically.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<(), SyncError> {
        crate::vault::files::write_atomically(&self.path.join(name), bytes)
            .map_err(|e| self.unreachable(e))
    }
}
