//! File-system helpers: the vault's lock file and atomic replacement of the header, the
//! index and backup files.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use super::error::{Damage, VaultError};

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
    #[cfg_attr(not(unix), allow(unused_mut))]
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
/// A lock held by someone else is waited for up to [`LOCK_PATIENCE`] (750 ms) before
/// [`VaultError::InUse`]. The lock file is created when missing. Once the lock is taken, the holder writes its
/// process id and program name into it (`pid 1234\nprogram ringlet-cli\n`), so that a
/// second opener can say who holds the vault ([`lock_holder`]). The file is not vault data.
pub(crate) fn lock(path: &Path) -> Result<File, VaultError> {
    let mut file = private_file_options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)?;
    // A lock can be held for a moment by a process on its way out, or by a child another
    // thread has just forked and not yet exec'd (it shares our open files until exec):
    // wait a little before saying "in use".
    let started = std::time::Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => {
                // Best effort: the lock itself is what matters.
                let _ = write_holder(&mut file);
                return Ok(file);
            }
            Err(fs::TryLockError::WouldBlock) if started.elapsed() < LOCK_PATIENCE => {
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            Err(fs::TryLockError::WouldBlock) => return Err(VaultError::InUse),
            Err(fs::TryLockError::Error(e)) => return Err(VaultError::Io(e)),
        }
    }
}

/// How long [`lock`] waits for a lock held by someone else before giving up.
const LOCK_PATIENCE: std::time::Duration = std::time::Duration::from_millis(750);

fn write_holder(file: &mut File) -> io::Result<()> {
    use std::io::{Seek, SeekFrom};
    let program = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let text = format!("pid {}\nprogram {}\n", std::process::id(), program);
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    file.write_all(text.as_bytes())
}

/// Who holds the lock file at `path`, as written by [`lock`]: e.g. "ringlet-cli, process
/// 1234". `None` when the file cannot be read or holds nothing usable. The text is
/// filtered (letters, digits, `-_. `; at most 64 characters): the file is not trusted.
pub(crate) fn lock_holder(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    File::open(path)
        .ok()?
        .take(512)
        .read_to_end(&mut bytes)
        .ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let mut pid = None;
    let mut program = String::new();
    for line in text.lines() {
        if let Some(value) = line.strip_prefix("pid ") {
            pid = value.trim().parse::<u32>().ok();
        } else if let Some(value) = line.strip_prefix("program ") {
            program = value
                .chars()
                .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' '))
                .take(64)
                .collect::<String>()
                .trim()
                .to_owned();
        }
    }
    match (pid, program.is_empty()) {
        (Some(pid), false) => Some(format!("{program}, process {pid}")),
        (Some(pid), true) => Some(format!("process {pid}")),
        (None, false) => Some(program),
        (None, true) => None,
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
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
pub(crate) fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// Reads a file of at most `max` bytes; a larger one is `Damaged` (`what` names it).
pub(crate) fn read_limited(
    path: &Path,
    max: u64,
    what: &'static str,
) -> Result<Vec<u8>, VaultError> {
    use std::io::Read;
    let file = File::open(path)?;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(Damage::TooLarge(what).into());
    }
    Ok(bytes)
}
