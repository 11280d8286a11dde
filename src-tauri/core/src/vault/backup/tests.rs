//! Verification of every backup written, and the second backup folder: against a real
//! vault on disk and real folders.

use std::fs;
use std::path::{Path, PathBuf};

use super::status::BackupStatus;
use super::{list, EXTENSION};
use crate::model::{Account, Algorithm, OtpKind, OtpParams, Secret};
use crate::vault::kdf::KdfParams;
use crate::vault::{Vault, VaultError};

fn ok<T, E: std::fmt::Display>(result: Result<T, E>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

fn vault_with(dir: &Path, accounts: usize) -> Vault {
    let vault = ok(Vault::create_with(
        dir,
        b"backup tests",
        KdfParams::fast_for_tests(),
    ));
    let accounts: Vec<Account> = (0..accounts)
        .map(|n| {
            Account::new(
                format!("Issuer {n}"),
                "me",
                OtpParams {
                    secret: Secret::new(vec![n as u8; 20]),
                    algorithm: Algorithm::Sha1,
                    digits: 6,
                    kind: OtpKind::Totp { period: 30 },
                },
            )
        })
        .collect();
    ok(vault.add_many(&accounts));
    vault
}

fn names(folder: &Path) -> Vec<PathBuf> {
    ok(list(folder)).into_iter().map(|info| info.path).collect()
}

/// A newest backup damaged between its write and its read-back is caught: set aside as
/// `.unverified`, recorded as the newest's warning, and the last verified backup stays the
/// one before it.
#[test]
fn a_corrupted_newest_backup_is_caught_and_recorded() {
    let temp = ok(tempfile::tempdir());
    let vault = vault_with(&temp.path().join("vault"), 3);
    let good = ok(vault.backup_now());
    let dir = vault.backup_dir();
    let before = BackupStatus::load(&dir);
    assert_eq!(
        before.last_verified.as_ref().map(|v| (v.accounts, &v.file)),
        Some((3, &good))
    );

    let (mut bytes, created, count) = ok(vault.encode_backup());
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x40;
    let path = super::free_name(&dir, created + 1);
    ok(fs::write(&path, &bytes));
    let outcome = vault.after_writing(&dir, path.clone(), count, created + 1);
    assert!(
        matches!(outcome, Err(VaultError::BackupNotVerified(_))),
        "{outcome:?}"
    );
    assert!(!path.exists());
    let aside = path.with_extension(format!("{EXTENSION}.unverified"));
    assert!(aside.exists());
    assert_eq!(
        names(&dir),
        std::slice::from_ref(&good),
        "never listed as a backup"
    );

    let after = BackupStatus::load(&dir);
    assert_eq!(after.last_verified, before.last_verified);
    let unverified = after.unverified.unwrap_or_else(|| panic!("not recorded"));
    assert_eq!(unverified.file, aside);
    assert!(
        unverified.why.contains("does not open"),
        "{}",
        unverified.why
    );

    // The next good backup clears the warning.
    ok(vault.backup_now());
    assert_eq!(BackupStatus::load(&dir).unverified, None);
}

/// Every backup is copied into the second folder, verified there, and that folder rotated
/// like the first — leaving another vault's backups and other files alone.
#[test]
fn the_second_folder_gets_verified_rotated_copies() {
    let temp = ok(tempfile::tempdir());
    let vault = vault_with(&temp.path().join("vault"), 2);
    let stick = temp.path().join("stick");
    ok(fs::create_dir(&stick));
    let other = vault_with(&temp.path().join("other"), 1);
    let others_backup = ok(other.write_backup(&stick));
    ok(fs::write(stick.join("notes.txt"), b"mine"));

    let dir = vault.backup_dir();
    let mut status = BackupStatus::load(&dir);
    status.set_second_folder(Some(stick.clone()));
    ok(status.save(&dir));

    let (_, created, count) = ok(vault.encode_backup());
    for n in 0..12u64 {
        // Twelve backups a second apart, written as `backup_now` does.
        let (bytes, _, _) = ok(vault.encode_backup());
        let path = super::free_name(&dir, created + n);
        ok(fs::write(&path, &bytes));
        ok(vault.after_writing(&dir, path, count, created + n));
    }
    let copies: Vec<PathBuf> = names(&stick)
        .into_iter()
        .filter(|path| *path != others_backup)
        .collect();
    // The last 10 and one a day (today's newest is among them).
    assert_eq!(copies.len(), 10, "{copies:?}");
    assert!(
        others_backup.exists(),
        "another vault's backup is never rotated"
    );
    assert!(stick.join("notes.txt").exists());
    for copy in &copies {
        assert_eq!(ok(vault.verify_backup(copy)), 2);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = ok(fs::metadata(copy)).permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", copy.display());
        }
    }
    let status = BackupStatus::load(&dir);
    assert_eq!(status.second_folder_problem, None);
    assert_eq!(
        status.second_folder_verified.map(|v| v.file),
        Some(copies[0].clone())
    );
}

/// A second folder out of reach (removed, or a file in its place) is one recorded problem:
/// the backup itself is made, nothing is created where the folder was, and copies resume
/// by themselves once it is back.
#[test]
fn an_unreachable_second_folder_warns_and_recovers() {
    let temp = ok(tempfile::tempdir());
    let vault = vault_with(&temp.path().join("vault"), 1);
    let stick = temp.path().join("stick");
    let dir = vault.backup_dir();
    let mut status = BackupStatus::load(&dir);
    status.set_second_folder(Some(stick.clone()));
    ok(status.save(&dir));

    let first = ok(vault.backup_now());
    assert!(first.exists(), "the primary backup is unaffected");
    assert!(!stick.exists(), "the missing folder is never created");
    let problem = BackupStatus::load(&dir)
        .second_folder_problem
        .unwrap_or_else(|| panic!("no warning"));
    assert!(problem.why.contains("not reachable"), "{}", problem.why);

    ok(fs::write(&stick, b"a file where the folder was"));
    ok(vault.backup_now());
    let again = BackupStatus::load(&dir)
        .second_folder_problem
        .unwrap_or_else(|| panic!("no warning"));
    assert_eq!(
        again.since, problem.since,
        "one warning, since the first failure"
    );

    ok(fs::remove_file(&stick));
    ok(fs::create_dir(&stick));
    let newest = ok(vault.backup_now());
    let status = BackupStatus::load(&dir);
    assert_eq!(status.second_folder_problem, None);
    let copies = names(&stick);
    assert_eq!(copies.len(), 1);
    assert_eq!(ok(fs::read(&copies[0])), ok(fs::read(&newest)));
}
