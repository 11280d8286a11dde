//! Many files at once: a drop, a pick in the Open dialog, `ringlet-cli import a b c`. The
//! batch is bounded in number of files and in total size before any file is read, and only
//! regular files are opened: a folder, a FIFO (which would block the read) or a device is
//! refused by name.

use std::io;
use std::path::{Path, PathBuf};

use super::{open_file, ImportError, Opened, MAX_FILE_BYTES};

/// Most files one import takes: far more than anyone drops at once.
pub const MAX_FILES: usize = 100;

/// Most bytes all files of one import may hold together.
pub const MAX_TOTAL_BYTES: u64 = 4 * MAX_FILE_BYTES;

/// Why a batch is refused as a whole, before any of its files is read.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum BatchError {
    #[error("Ringlet imports at most {MAX_FILES} files at a time, and these are {0}. Import them in smaller groups.")]
    TooManyFiles(usize),
    #[error("These files hold more than {} MiB together. Import them a few at a time.", MAX_TOTAL_BYTES / (1024 * 1024))]
    TooMuchData,
}

/// What one file of a batch gave.
pub type Opening = (PathBuf, Result<Opened, ImportError>);

/// Opens every file of `paths` (see the module documentation). A file that cannot be used
/// is an error of its own; the others are still read. `password` is given to every file.
pub fn open_files(paths: &[PathBuf], password: Option<&[u8]>) -> Result<Vec<Opening>, BatchError> {
    if paths.len() > MAX_FILES {
        return Err(BatchError::TooManyFiles(paths.len()));
    }
    let sizes: Vec<Result<u64, ImportError>> =
        paths.iter().map(|path| regular_size(path)).collect();
    let total: u64 = sizes.iter().filter_map(|size| size.as_ref().ok()).sum();
    if total > MAX_TOTAL_BYTES {
        return Err(BatchError::TooMuchData);
    }
    Ok(paths
        .iter()
        .zip(sizes)
        .map(|(path, size)| {
            let opened = size.and_then(|_| open_file(path, password));
            (path.clone(), opened)
        })
        .collect())
}

/// The size of `path` when it is a regular file (a link to one counts).
fn regular_size(path: &Path) -> Result<u64, ImportError> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file"
        };
        return Err(ImportError::Io(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("it is {what}"),
        )));
    }
    Ok(meta.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "otpauth://totp/Batch:me?secret=JBSWY3DPEHPK3PXP\n";

    #[test]
    fn files_are_read_each_with_its_own_result() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let good = dir.path().join("links.txt");
        std::fs::write(&good, LINK).unwrap_or_else(|e| panic!("{e}"));
        let folder = dir.path().join("a folder");
        std::fs::create_dir(&folder).unwrap_or_else(|e| panic!("{e}"));
        let missing = dir.path().join("missing.png");
        let opened =
            open_files(&[good.clone(), folder, missing], None).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(opened[0], (ref path, Ok(Opened::Read(_))) if *path == good));
        let Err(ImportError::Io(error)) = &opened[1].1 else {
            panic!("a folder was opened: {:?}", opened[1]);
        };
        assert_eq!(error.to_string(), "it is a folder");
        assert!(matches!(opened[2].1, Err(ImportError::Io(_))));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_being_read() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|status| status.success()), "mkfifo");
        // Opening a FIFO for reading with no writer would block this test forever.
        let opened = open_files(&[fifo], None).unwrap_or_else(|e| panic!("{e}"));
        let Err(ImportError::Io(error)) = &opened[0].1 else {
            panic!("a FIFO was opened: {:?}", opened[0]);
        };
        assert_eq!(error.to_string(), "it is not a regular file");
    }

    #[test]
    fn a_batch_over_its_bounds_is_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("links.txt");
        std::fs::write(&path, LINK).unwrap_or_else(|e| panic!("{e}"));
        let at_limit = vec![path.clone(); MAX_FILES];
        assert_eq!(
            open_files(&at_limit, None).map(|opened| opened.len()),
            Ok(MAX_FILES)
        );
        let over = vec![path; MAX_FILES + 1];
        assert_eq!(
            open_files(&over, None).err(),
            Some(BatchError::TooManyFiles(101))
        );

        // Sparse files: large on paper, nothing written, never read.
        let big = dir.path().join("big.png");
        let file = std::fs::File::create(&big).unwrap_or_else(|e| panic!("{e}"));
        file.set_len(MAX_TOTAL_BYTES / 2 + 1)
            .unwrap_or_else(|e| panic!("{e}"));
        let refused = open_files(&[big.clone(), big], None);
        assert_eq!(refused.err(), Some(BatchError::TooMuchData));
        assert!(BatchError::TooMuchData.to_string().contains("256 MiB"));
    }
}
