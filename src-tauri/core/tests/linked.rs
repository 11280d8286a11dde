//! Linked folders against real files: a folder the test fills, one after the other, with
//! Aegis and 2FAS backups written by Ringlet's own exporters (encrypted and plain) from a
//! "phone" vault, read by a real vault on disk. Also a damaged, a half-written and a
//! still-settling newest file, a wrong password, the copy into the vault, and a vault
//! password change (the backup password sealed again).

mod common;

use std::fs::{self, File};
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use ringlet_core::export::{self, Source};
use ringlet_core::linked::{self, LinkedError, LinkedGroup, Links, SkipReason, LINKED_FILE};
use ringlet_core::model::{Account, Algorithm, OtpKind};
use ringlet_core::vault::Vault;

use common::accounts::{account, vault_with};
use common::{fast_kdf, snapshot};

const BACKUP_PASSWORD: &[u8] = b"the phone's backup password";

fn totp(issuer: &str, secret: &[u8]) -> Account {
    account(
        issuer,
        "me@example.com",
        secret,
        (Algorithm::Sha1, 6, OtpKind::Totp { period: 30 }),
    )
}

/// Writes `vault`'s accounts as `format` into `folder/file`, dated `seconds` after 2026-01-01.
fn drop_backup(vault: &Vault, format: &str, folder: &Path, file: &str, seconds: u64) {
    let format = export::export_by_id(format).unwrap();
    let password = format.is_encrypted().then_some(BACKUP_PASSWORD);
    let exported = format
        .write(&Source::of(vault).unwrap(), password)
        .unwrap_or_else(|e| panic!("{e}"));
    let path = folder.join(file);
    fs::write(&path, &exported.files[0]).unwrap();
    set_time(&path, seconds);
}

fn set_time(path: &Path, seconds: u64) {
    let time = UNIX_EPOCH + Duration::from_secs(1_767_225_600 + seconds);
    File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

fn issuers(group: &LinkedGroup) -> Vec<&str> {
    group.accounts().iter().map(|a| a.issuer.as_str()).collect()
}

struct Setup {
    _dir: tempfile::TempDir,
    phone: Vault,
    vault: Vault,
    folder: std::path::PathBuf,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let phone = vault_with(
        &dir.path().join("phone"),
        b"phone vault",
        &[
            totp("Alpha", b"alpha secret 12345"),
            totp("Beta", b"beta secret 123456"),
        ],
    );
    let vault =
        Vault::create_with(&dir.path().join("vault"), b"desktop vault", fast_kdf()).unwrap();
    let folder = dir.path().join("Aegis backups");
    fs::create_dir(&folder).unwrap();
    Setup {
        _dir: dir,
        phone,
        vault,
        folder,
    }
}

#[test]
fn successive_aegis_and_2fas_backups_update_the_group_with_the_right_diff() {
    let Setup {
        _dir,
        phone,
        vault,
        folder,
    } = setup();
    drop_backup(
        &phone,
        "aegis-encrypted",
        &folder,
        "aegis-backup-1.json",
        10,
    );

    // Encrypted: the password is asked; a wrong one is said and nothing is kept.
    assert!(matches!(
        linked::add(&vault, &folder, None, None),
        Err(LinkedError::NeedsPassword {
            format: "Aegis backup"
        })
    ));
    let wrong = linked::add(&vault, &folder, None, Some(b"not it")).unwrap_err();
    assert!(
        matches!(wrong, LinkedError::WrongPassword { .. }),
        "{wrong}"
    );
    assert!(wrong.to_string().contains("password is wrong"), "{wrong}");
    assert!(!vault.dir().join(LINKED_FILE).exists());

    let before = snapshot(&folder);
    let mut group = linked::add(&vault, &folder, None, Some(BACKUP_PASSWORD)).unwrap();
    assert_eq!(group.link.name, "Aegis");
    assert_eq!(issuers(&group), ["Alpha", "Beta"]);
    assert_eq!(group.backup.as_ref().unwrap().file, "aegis-backup-1.json");
    // The password is kept sealed, never in clear; the accounts are not in the vault.
    let kept = fs::read(vault.dir().join(LINKED_FILE)).unwrap();
    assert!(!String::from_utf8_lossy(&kept).contains("phone's backup password"));
    assert!(vault.entries().unwrap().is_empty());

    // Unchanged folder: a poll reads nothing.
    assert!(group.poll(&vault, None).is_none());

    // The phone: Alpha removed, Beta renamed, Gamma added; its next backup is a 2FAS one.
    let alpha = phone
        .entries()
        .unwrap()
        .into_iter()
        .find(|e| e.account.issuer == "Alpha")
        .unwrap();
    phone.remove(alpha.id).unwrap();
    let beta = phone
        .entries()
        .unwrap()
        .into_iter()
        .find(|e| e.account.issuer == "Beta")
        .unwrap();
    let mut renamed = beta.account.clone();
    renamed.name = "work@example.com".into();
    phone.update(beta.id, &renamed).unwrap();
    phone.add(&totp("Gamma", b"gamma secret 12345")).unwrap();
    drop_backup(
        &phone,
        "twofas-encrypted",
        &folder,
        "2fas-backup-2.2fas",
        20,
    );

    let update = group.poll(&vault, None).expect("the folder changed");
    assert_eq!(update.diff.added, ["Gamma (me@example.com)"]);
    assert_eq!(update.diff.removed, ["Alpha (me@example.com)"]);
    assert_eq!(update.diff.changed, ["Beta (work@example.com)"]);
    assert_eq!(group.backup.as_ref().unwrap().format, "2FAS backup");
    assert_eq!(issuers(&group), ["Beta", "Gamma"]);

    // A plain Aegis backup next: read with no password needed.
    phone.add(&totp("Delta", b"delta secret 12345")).unwrap();
    drop_backup(&phone, "aegis", &folder, "aegis-backup-3.json", 30);
    let update = group.poll(&vault, None).unwrap();
    assert_eq!(update.diff.added, ["Delta (me@example.com)"]);
    assert!(update.diff.removed.is_empty() && update.diff.changed.is_empty());

    // Read from the file again (as at the next start), the link finds the same.
    let groups = LinkedGroup::load_all(&vault, None).unwrap();
    assert_eq!(issuers(&groups[0]), ["Beta", "Delta", "Gamma"]);

    // Ringlet wrote nothing into the folder: only the test's own files are there.
    let after = snapshot(&folder);
    assert!(before.keys().all(|k| after.contains_key(k)));
    assert_eq!(after.len(), 3);
}

#[test]
fn a_damaged_or_half_written_newest_file_keeps_the_previous_backup_and_says_why() {
    let Setup {
        _dir,
        phone,
        vault,
        folder,
    } = setup();
    drop_backup(
        &phone,
        "aegis-encrypted",
        &folder,
        "aegis-backup-1.json",
        10,
    );
    let mut group = linked::add(
        &vault,
        &folder,
        Some("Aegis on Pixel"),
        Some(BACKUP_PASSWORD),
    )
    .unwrap();
    assert_eq!(group.link.name, "Aegis on Pixel");

    // Half-written: the first half of a newer backup.
    phone.add(&totp("Gamma", b"gamma secret 12345")).unwrap();
    drop_backup(
        &phone,
        "aegis-encrypted",
        &folder,
        "aegis-backup-2.json",
        20,
    );
    let newer = fs::read(folder.join("aegis-backup-2.json")).unwrap();
    fs::write(
        folder.join("aegis-backup-2.json"),
        &newer[..newer.len() / 2],
    )
    .unwrap();
    set_time(&folder.join("aegis-backup-2.json"), 20);
    let update = group.poll(&vault, None).unwrap();
    assert!(update.diff.is_empty());
    assert_eq!(group.backup.as_ref().unwrap().file, "aegis-backup-1.json");
    assert_eq!(issuers(&group), ["Alpha", "Beta"]);
    assert_eq!(group.skipped[0].reason, SkipReason::NotABackup);
    assert!(
        update.skipped[0].starts_with("aegis-backup-2.json was skipped: it is not a backup"),
        "{:?}",
        update.skipped
    );

    // Damaged: whole, but its encrypted database altered.
    let text = String::from_utf8(newer.clone()).unwrap();
    let db_at = text.find("\"db\"").unwrap() + 10;
    let mut damaged = text.into_bytes();
    damaged[db_at] = if damaged[db_at] == b'A' { b'B' } else { b'A' };
    fs::write(folder.join("aegis-backup-2.json"), &damaged).unwrap();
    set_time(&folder.join("aegis-backup-2.json"), 21);
    let update = group.poll(&vault, None).unwrap();
    assert_eq!(group.backup.as_ref().unwrap().file, "aegis-backup-1.json");
    assert_eq!(update.skipped.len(), 1, "{:?}", update.skipped);
    assert!(
        update.skipped[0].starts_with("aegis-backup-2.json"),
        "{:?}",
        update.skipped
    );

    // Still being written (changed after the settling limit): not read yet.
    fs::write(folder.join("aegis-backup-2.json"), &newer).unwrap();
    set_time(&folder.join("aegis-backup-2.json"), 22);
    let settling_limit = 1_767_225_600_000 + 21_000;
    let update = group.poll(&vault, Some(settling_limit)).unwrap();
    assert_eq!(group.skipped[0].reason, SkipReason::StillBeingWritten);
    assert!(update.skipped[0].contains("still being written"));
    assert_eq!(issuers(&group), ["Alpha", "Beta"]);
    // Once settled, it is read and the change said.
    let update = group.poll(&vault, None).unwrap();
    assert_eq!(update.diff.added, ["Gamma (me@example.com)"]);
    assert!(group.skipped.is_empty());
}

#[test]
fn copy_into_vault_makes_a_linked_account_the_vaults_own_once() {
    let Setup {
        _dir,
        phone,
        vault,
        folder,
    } = setup();
    drop_backup(&phone, "twofas", &folder, "2fas-backup.2fas", 10);
    let group = linked::add(&vault, &folder, None, None).unwrap();
    assert_eq!(group.link.name, "2FAS");
    assert_eq!(group.link.password_sealed, None);
    let beta = group
        .accounts()
        .iter()
        .find(|a| a.issuer == "Beta")
        .unwrap();
    let id = linked::copy_into_vault(&vault, beta).unwrap();
    let entry = vault.get(id).unwrap();
    assert!(entry.account.same_as(beta));
    assert_eq!(vault.entries().unwrap().len(), 1);
    assert!(matches!(
        linked::copy_into_vault(&vault, beta),
        Err(LinkedError::AlreadyInVault(_))
    ));
}

#[test]
fn links_are_named_renamed_removed_and_the_password_survives_a_vault_password_change() {
    let Setup {
        _dir,
        phone,
        mut vault,
        folder,
    } = setup();
    drop_backup(&phone, "aegis-encrypted", &folder, "a.json", 10);
    linked::add(&vault, &folder, None, Some(BACKUP_PASSWORD)).unwrap();
    assert!(matches!(
        linked::add(&vault, &folder, Some("again"), Some(BACKUP_PASSWORD)),
        Err(LinkedError::AlreadyLinked { .. })
    ));
    linked::rename(vault.dir(), "aegis", "Aegis on Pixel").unwrap();
    assert!(matches!(
        linked::rename(vault.dir(), "Aegis on Pixel", " \n"),
        Err(LinkedError::NameEmpty)
    ));

    vault
        .change_password(b"a new desktop password", None)
        .unwrap();
    let groups = LinkedGroup::load_all(&vault, None).unwrap();
    assert_eq!(groups[0].error, None);
    assert_eq!(issuers(&groups[0]), ["Alpha", "Beta"]);

    let removed = linked::remove(vault.dir(), "AEGIS ON PIXEL").unwrap();
    assert_eq!(removed.folder, fs::canonicalize(&folder).unwrap());
    assert!(Links::load(vault.dir()).unwrap().links.is_empty());
    assert!(matches!(
        linked::remove(vault.dir(), "Aegis on Pixel"),
        Err(LinkedError::NotFound(_))
    ));
    // A folder with nothing Ringlet reads is refused with the reason.
    let empty = _dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    fs::write(empty.join("notes.txt"), "shopping list").unwrap();
    let error = linked::add(&vault, &empty, None, None).unwrap_err();
    assert!(
        error.to_string().contains("holds no backup Ringlet reads"),
        "{error}"
    );
}
