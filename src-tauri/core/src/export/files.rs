//! Putting an export on disk: private and whole, or not at all.
//!
//! * Each file is written to a temporary file beside it, created new with mode 0600 (Unix),
//!   flushed to disk, then moved into place; the folder is flushed too. A crash leaves the
//!   old file or the new one, never a mix, and the secrets are never readable by others,
//!   not even for a moment.
//! * An existing file is never replaced unless `overwrite` (the CLI's `--force`): without
//!   it, the temporary file is hard-linked to its name, which fails when the name is taken
//!   even if the file appeared after the check. On a file system without hard links the
//!   check is made just before the rename instead.
//! * A numbered export (Google Authenticator's codes) goes to `out-1.png`, `out-2.png`, …
//!   beside the `out.png` asked for ([`numbered`]); every name is checked before any is
//!   written.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::ExportError;
use crate::vault::files::sync_dir;

/// Where the files of an export of `count` files go when asked for `path`: `path` itself
/// for one file of a format that is not numbered, else `stem-1.ext`, `stem-2.ext`, ….
pub fn paths(path: &Path, count: usize, numbered: bool) -> Vec<PathBuf> {
    if !numbered {
        return vec![path.to_path_buf()];
    }
    (1..=count)
        .map(|number| numbered_path(path, number))
        .collect()
}

/// `out.png` → `out-3.png`; `out` → `out-3`.
pub fn numbered_path(path: &Path, number: usize) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem}-{number}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{number}"),
    };
    path.with_file_name(name)
}

/// Refuses when one of `paths` exists and `overwrite` is false: the check made before the
/// passwords are asked, so that nobody types one for nothing.
pub fn check_free(paths: &[PathBuf], overwrite: bool) -> Result<(), ExportError> {
    if overwrite {
        return Ok(());
    }
    match paths.iter().find(|path| path.symlink_metadata().is_ok()) {
        Some(taken) => Err(ExportError::Exists(taken.clone())),
        None => Ok(()),
    }
}

/// Writes `files[i]` to `paths[i]`, each private and atomically (see the module's text).
pub fn write_all<B: AsRef<[u8]>>(
    paths: &[PathBuf],
    files: &[B],
    overwrite: bool,
) -> Result<(), ExportError> {
    if paths.len() != files.len() {
        return Err(ExportError::Internal("files and names do not match"));
    }
    check_free(paths, overwrite)?;
    for (path, bytes) in paths.iter().zip(files) {
        write_one(path, bytes.as_ref(), overwrite).map_err(|error| match error {
            WriteError::Exists => ExportError::Exists(path.clone()),
            WriteError::Io(error) => ExportError::Io {
                path: path.clone(),
                error,
            },
        })?;
    }
    Ok(())
}

enum WriteError {
    Exists,
    Io(io::Error),
}

impl From<io::Error> for WriteError {
    fn from(error: io::Error) -> Self {
        WriteError::Io(error)
    }
}

fn write_one(path: &Path, bytes: &[u8], overwrite: bool) -> Result<(), WriteError> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let suffix = super::random::<6>()
        .map(|bytes| data_encoding::HEXLOWER.encode(&bytes))
        .map_err(|_| io::Error::other("no random name for the temporary file"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{suffix}.tmp"));
    let tmp = dir.join(tmp_name);

    let result = (|| {
        let mut file = private_new_file().open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        if overwrite {
            fs::rename(&tmp, path)?;
        } else {
            match fs::hard_link(&tmp, path) {
                Ok(()) => fs::remove_file(&tmp)?,
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                    return Err(WriteError::Exists)
                }
                // No hard links here (some FAT or network file systems): check, then rename.
                Err(_) if path.symlink_metadata().is_ok() => return Err(WriteError::Exists),
                Err(_) => fs::rename(&tmp, path)?,
            }
        }
        sync_dir(dir)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// A new file (never an existing one, which might be readable by others), 0600 on Unix.
fn private_new_file() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_names_keep_the_extension() {
        assert_eq!(
            paths(Path::new("/x/out.png"), 2, true),
            [PathBuf::from("/x/out-1.png"), PathBuf::from("/x/out-2.png")]
        );
        assert_eq!(
            numbered_path(Path::new("codes"), 3),
            PathBuf::from("codes-3")
        );
        assert_eq!(
            paths(Path::new("/x/out.json"), 1, false),
            [PathBuf::from("/x/out.json")]
        );
    }

    #[test]
    fn files_are_private_and_never_replaced_unless_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.json");
        write_all(std::slice::from_ref(&path), &[b"first"], false).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"first");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let refused = write_all(std::slice::from_ref(&path), &[b"second"], false);
        assert!(matches!(refused, Err(ExportError::Exists(p)) if p == path));
        assert_eq!(fs::read(&path).unwrap(), b"first");
        write_all(std::slice::from_ref(&path), &[b"second"], true).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        // No temporary file is left behind.
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_file_that_appears_after_the_check_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.txt");
        fs::write(&path, b"mine").unwrap();
        // What write_all does past its check, as if the file had appeared meanwhile.
        assert!(matches!(
            write_one(&path, b"new", false),
            Err(WriteError::Exists)
        ));
        assert_eq!(fs::read(&path).unwrap(), b"mine");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn one_taken_name_stops_a_numbered_export_before_any_file_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let names = paths(&dir.path().join("codes.png"), 3, true);
        fs::write(&names[2], b"mine").unwrap();
        let refused = write_all(&names, &[b"1", b"2", b"3"], false);
        assert!(matches!(refused, Err(ExportError::Exists(p)) if p == names[2]));
        assert!(!names[0].exists() && !names[1].exists());
    }
}
