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

/// Where a vault's sync files live: a folder on this computer ([`LocalFolder`]) or on a
/// WebDAV server ([`super::webdav::WebDavFolder`]). The same files, the same rules: only
/// names of device files listed, each read whole up to [`MAX_FILE_LEN`], each device's file
/// replaced atomically by that device alone.
pub trait SyncFolder {
    /// The device files in the folder, and what was skipped, in words.
    fn list(&self) -> Result<Listing, SyncError>;
    /// One device file, whole; [`SyncError::TooLarge`] above [`MAX_FILE_LEN`].
    fn read(&self, name: &str) -> Result<Vec<u8>, SyncError>;
    /// Replaces the file `name` atomically: a reader sees the old file or the new one.
    fn write(&self, name: &str, bytes: &[u8]) -> Result<(), SyncError>;
    /// The folder as the person knows it (a path, or the server's address).
    fn display_name(&self) -> String;
    /// Makes the folder ready to join (a WebDAV folder is created when missing).
    fn prepare(&self) -> Result<(), SyncError> {
        Ok(())
    }
    /// What `sync.json` keeps to reach the folder again.
    fn remembered(&self) -> Remembered<'_>;
}

/// What reaches a folder again, as `sync.json` keeps it (the WebDAV password sealed).
#[derive(Debug)]
pub enum Remembered<'a> {
    Local(&'a Path),
    WebDav {
        url: &'a str,
        user: &'a str,
        password: &'a [u8],
    },
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

impl SyncFolder for LocalFolder {
    fn list(&self) -> Result<Listing, SyncError> {
        LocalFolder::list(self)
    }

    fn read(&self, name: &str) -> Result<Vec<u8>, SyncError> {
        LocalFolder::read(self, name)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> Result<(), SyncError> {
        LocalFolder::write(self, name, bytes)
    }

    fn display_name(&self) -> String {
        self.path.display().to_string()
    }

    fn remembered(&self) -> Remembered<'_> {
        Remembered::Local(&self.path)
    }
}
