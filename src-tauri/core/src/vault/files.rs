//! File-system helpers: the vault's lock file and atomic replacement of the header.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use super::error::VaultError;

/// Creates `dir` (and parents) if needed; a newly made vault folder is private (0700 on Unix).
pub(crate) fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

fn private_file_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// Takes the vault's exclusive lock: an OS advisory lock (`flock` on Unix, `LockFileEx` on
/// Windows) on `path`, held until the returned file is dropped. The lock is per open file,
/// so a second `Vault` in the same process is refused as surely as another process.
///
/// The lock file is created when missing, and never written to.
pub(crate) fn lock(path: &Path) -> Result<File, VaultError> {
    let file = private_file_options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(VaultError::InUse),
        Err(fs::TryLockError::Error(e)) => Err(VaultError::Io(e)),
    }
}

/// Replaces `path` with `bytes` atomically: write a temporary file next to it, fsync it,
/// rename it over `path`, fsync the folder (Unix). A crash leaves the old or the new file,
/// never a mix.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no parent folder"))?;
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(".tmp");
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut file = private_file_options()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)?;
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// Reads a file of at most `max` bytes; a larger one is `Damaged` (`what` names it).
pub(crate) fn read_limited(path: &Path, max: u64, what: &str) -> Result<Vec<u8>, VaultError> {
    use std::io::Read;
    let file = File::open(path)?;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(VaultError::damaged(format!("the {what} is too large")));
    }
    Ok(bytes)
}
