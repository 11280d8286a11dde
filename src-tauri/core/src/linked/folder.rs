//! Choosing the backup a linked folder holds: the newest file (by modification time) that
//! the importers read, with [`crate::import::open_bytes`] as any import. What is newer but
//! cannot be used (half-written, damaged, another password) is skipped with its reason,
//! and the file before it is read instead. Only reads: Ringlet never writes into a linked
//! folder.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use zeroize::Zeroizing;

use super::LinkedError;
use crate::import::{self, ImportError, Item, Opened};
use crate::model::Account;

/// Most files of a folder looked at, newest first: an app's backup folder keeps a few
/// dozen (Aegis keeps 10 by default); this bounds a folder of unrelated files.
pub const MAX_FILES_LOOKED_AT: usize = 200;

/// Most files actually opened before giving up: each may cost a key derivation (Aegis's
/// scrypt, 2FAS's PBKDF2), so a folder of damaged files cannot keep Ringlet busy.
pub const MAX_FILES_OPENED: usize = 8;

/// How long a file must have been left alone before it is read: a phone's backup arriving
/// through Syncthing or a cloud client is written over seconds, and a half-written file
/// read too early would look damaged.
pub const SETTLE: Duration = Duration::from_secs(3);

/// The backup in use: which file, and what it holds. Kept in memory only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    /// The file's name inside the folder.
    pub file: String,
    /// Its modification time, in Unix milliseconds.
    pub modified_ms: u64,
    /// Which format it is ("Aegis backup").
    pub format: &'static str,
    /// Its accounts, in the file's order.
    pub accounts: Vec<Account>,
    /// How many of its entries could not be read.
    pub problems: usize,
}

/// A file newer than the backup in use that was not used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub file: String,
    pub reason: SkipReason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// Changed less than [`SETTLE`] ago: read at the next look.
    StillBeingWritten,
    /// Encrypted, and no password is kept for this folder.
    NeedsPassword { format: &'static str },
    /// Encrypted with another password than the one kept.
    WrongPassword { format: &'static str },
    /// No importer recognises it: half-written, damaged, or another kind of file.
    NotABackup,
    /// The importers could not read it (damaged, half-written): their sentence.
    Unreadable(String),
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let file = &self.file;
        match &self.reason {
            SkipReason::StillBeingWritten => {
                write!(f, "{file} is still being written; it is read once it settles.")
            }
            SkipReason::NeedsPassword { format } => write!(
                f,
                "{file} is an encrypted {format} and no password is kept for this folder."
            ),
            SkipReason::WrongPassword { format } => write!(
                f,
                "{file} is an encrypted {format} whose password is not the one kept for this folder (was it changed on the phone?)."
            ),
            SkipReason::NotABackup => write!(
                f,
                "{file} was skipped: it is not a backup Ringlet reads (half-written, damaged, or another kind of file)."
            ),
            SkipReason::Unreadable(reason) => write!(f, "{file} was skipped: {reason}"),
        }
    }
}

/// What a look at the folder found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Look {
    /// The newest backup that reads, if any.
    pub backup: Option<Backup>,
    /// Newer files that were not used, newest first.
    pub skipped: Vec<Skipped>,
}

/// The regular files of `folder` (hidden ones, such as a sync client's temporary files,
/// left out), newest first, at most [`MAX_FILES_LOOKED_AT`]; each with its modification
/// time (Unix milliseconds) and length.
pub fn files(folder: &Path) -> Result<Vec<(PathBuf, u64, u64)>, LinkedError> {
    let unreadable = |error: std::io::Error| LinkedError::FolderUnreadable {
        folder: folder.to_path_buf(),
        error: error.to_string(),
    };
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(unreadable)? {
        let Ok(entry) = entry else { continue };
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let modified = meta.modified().map(unix_ms).unwrap_or(0);
        found.push((entry.path(), modified, meta.len()));
    }
    // Newest first; a tie (coarse clocks) by name, the later name first: apps name their
    // backups by date.
    found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
    found.truncate(MAX_FILES_LOOKED_AT);
    Ok(found)
}

/// The newest backup of `folder` that reads with `password`. Files changed after
/// `settled_before` (Unix milliseconds) are skipped as still being written; `None` reads
/// every file (the command line, which runs once).
pub fn look(
    folder: &Path,
    password: Option<&[u8]>,
    settled_before: Option<u64>,
) -> Result<Look, LinkedError> {
    let mut look = Look::default();
    let mut opened = 0usize;
    for (path, modified_ms, len) in files(folder)? {
        let file = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let skip = |reason| Skipped {
            file: file.clone(),
            reason,
        };
        if settled_before.is_some_and(|limit| modified_ms > limit) {
            look.skipped.push(skip(SkipReason::StillBeingWritten));
            continue;
        }
        if len > import::MAX_FILE_BYTES {
            continue;
        }
        if opened == MAX_FILES_OPENED {
            break;
        }
        let Ok(bytes) = std::fs::read(&path).map(Zeroizing::new) else {
            continue;
        };
        // A half-written or damaged backup is often not recognised at all; said as such
        // (a folder an app writes its backups to holds little else).
        let Some(format) = import::FORMATS.iter().find(|f| f.recognises(&bytes)) else {
            look.skipped.push(skip(SkipReason::NotABackup));
            continue;
        };
        opened += 1;
        let reason = match import::open_bytes(&bytes, password) {
            Ok(Opened::Read(contents)) => {
                let mut accounts = Vec::new();
                let mut problems = 0usize;
                for item in contents.items {
                    match item {
                        Item::Account(account) => accounts.push(account),
                        Item::Problem(_) => problems += 1,
                    }
                }
                look.backup = Some(Backup {
                    file,
                    modified_ms,
                    format: format.name(),
                    accounts,
                    problems,
                });
                return Ok(look);
            }
            Ok(Opened::NeedsPassword { format }) => SkipReason::NeedsPassword { format },
            Err(ImportError::WrongPassword { format }) => SkipReason::WrongPassword { format },
            Err(error) => SkipReason::Unreadable(error.to_string()),
        };
        look.skipped.push(skip(reason));
    }
    Ok(look)
}

/// `time` in Unix milliseconds (0 before 1970).
pub fn unix_ms(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// What changes when a file of `folder` is added, removed, written or renamed: compared
/// between two looks, it tells whether the folder is worth reading again.
pub fn fingerprint(folder: &Path) -> Option<Vec<(PathBuf, u64, u64)>> {
    files(folder).ok()
}
