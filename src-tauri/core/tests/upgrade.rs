//! Vault format v2: the upgrade of a real v1 vault (`tests/fixtures/vault-v1`, made by the
//! last build that wrote v1), and what v2 records carry (stamps, revisions, tombstones,
//! recovery codes sealed apart).

mod common;

use std::path::{Path, PathBuf};

use ringlet_core::import::ImportPlan;
use ringlet_core::model::{Account, Entry, Icon, OtpKind, RecoveryCode, RecoveryCodes};
use ringlet_core::vault::backup;
use ringlet_core::vault::{Damage, Vault, VaultError, INDEX_FILE, RECORDS_DIR};
use ringlet_core::{otp, otpauth};
use serde_json::Value;

use common::{copy_dir, fast_kdf, snapshot};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/vault-v1")
}

/// The fixture's password. The fixture was made with fast test parameters: this process
/// keeps them at unlock (`kdf_upgrade.rs` checks that a build without that switch raises them).
fn password() -> Vec<u8> {
    ringlet_core::vault::keep_weak_kdf_for_tests();
    std::fs::read(fixture().join("password")).unwrap()
}

/// A copy of the fixture's vault folder in a temporary folder (never opened in place).
fn copy_of_fixture(tmp: &Path) -> PathBuf {
    let dir = tmp.join("vault");
    copy_dir(&fixture().join("vault"), &dir);
    dir
}

/// Every file of the vault but its lock file (which an open writes its pid into).
fn files(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut files = snapshot(dir);
    files.remove(&dir.join("vault.lock"));
    files
}

fn sample(issuer: &str) -> Account {
    let secret = data_encoding::BASE32_NOPAD.encode(format!("secret of {issuer}").as_bytes());
    otpauth::parse(&format!("otpauth://totp/{issuer}:me?secret={secret}")).unwrap()
}

fn index_version(dir: &Path) -> u16 {
    let bytes = std::fs::read(dir.join(INDEX_FILE)).unwrap();
    u16::from_be_bytes([bytes[8], bytes[9]])
}

fn tree_names(dir: &Path) -> Vec<String> {
    let db = sled::open(dir.join(RECORDS_DIR)).unwrap();
    db.tree_names()
        .into_iter()
        .map(|name| String::from_utf8_lossy(&name).into_owned())
        .collect()
}

/// Every account of `vault` against `expected.json`: labels, parameters and the codes
/// the v1 build computed.
fn assert_matches_fixture(entries: &[Entry]) {
    let expected: Value =
        serde_json::from_slice(&std::fs::read(fixture().join("expected.json")).unwrap()).unwrap();
    let times: Vec<u64> = expected["times"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_u64().unwrap())
        .collect();
    let wanted = expected["accounts"].as_array().unwrap();
    assert_eq!(entries.len(), wanted.len());
    for want in wanted {
        let issuer = want["issuer"].as_str().unwrap();
        let name = want["name"].as_str().unwrap();
        let entry = entries
            .iter()
            .find(|e| e.account.issuer == issuer && e.account.name == name)
            .unwrap_or_else(|| panic!("{issuer} / {name} missing"));
        let otp = &entry.account.otp;
        assert_eq!(otp.kind.name(), want["kind"].as_str().unwrap());
        assert_eq!(otp.algorithm.as_str(), want["algorithm"].as_str().unwrap());
        assert_eq!(u64::from(otp.digits), want["digits"].as_u64().unwrap());
        assert_eq!(otp.kind.period().map(u64::from), want["period"].as_u64());
        assert_eq!(otp.kind.counter(), want["counter"].as_u64());
        let codes: Vec<String> = match otp.kind {
            OtpKind::Hotp { counter } => (0..3)
                .map(|i| {
                    let mut at = otp.clone();
                    at.kind = OtpKind::Hotp {
                        counter: counter + i,
                    };
                    otp::generate(&at, 0).unwrap()
                })
                .collect(),
            _ => times
                .iter()
                .map(|&t| otp::generate(otp, t).unwrap())
                .collect(),
        };
        let want_codes: Vec<&str> = want["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert_eq!(codes, want_codes, "{issuer} / {name}");
        assert!(entry.account.tags.is_empty() && entry.account.note.is_empty());
    }
}

#[test]
fn a_v1_vault_opens_upgraded_with_every_account_and_code_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_of_fixture(tmp.path());
    assert_eq!(index_version(&dir), 1);
    let before_ms = otp::now_ms();
    let vault = Vault::open(&dir, &password()).unwrap();
    let entries = vault.entries().unwrap();
    assert_matches_fixture(&entries);
    // Every account was stamped by the upgrade, by one device, in one change.
    let device = entries[0].stamp.revision.device;
    for entry in &entries {
        assert!(entry.stamp.created_ms >= before_ms);
        assert_eq!(entry.stamp.modified_ms, entry.stamp.created_ms);
        assert_eq!(entry.stamp.revision.device, device);
    }
    drop(vault);
    assert_eq!(index_version(&dir), 2);
    assert!(
        !tree_names(&dir).contains(&"records".to_string()),
        "the v1 tree is dropped"
    );
    // And it opens again, as v2, the same.
    let vault = Vault::open(&dir, &password()).unwrap();
    let again = vault.entries().unwrap();
    assert_eq!(again, entries);
    // A change after the upgrade: same device, a later revision.
    let first = again[0].clone();
    vault.update(first.id, &first.account).unwrap();
    let updated = vault.get(first.id).unwrap();
    assert_eq!(updated.stamp.revision.device, device);
    assert!(updated.stamp.revision > first.stamp.revision);
    assert_eq!(updated.stamp.created_ms, first.stamp.created_ms);
}

#[test]
fn a_wrong_password_leaves_a_v1_vault_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_of_fixture(tmp.path());
    let before = files(&dir);
    assert!(matches!(
        Vault::open(&dir, b"not the password"),
        Err(VaultError::WrongPassword)
    ));
    assert!(files(&dir) == before, "a file changed");
}

#[test]
fn a_damaged_v1_vault_is_reported_not_upgraded() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_of_fixture(tmp.path());
    {
        let db = sled::open(dir.join(RECORDS_DIR)).unwrap();
        let tree = db.open_tree("records").unwrap();
        let (key, _) = tree.iter().next().unwrap().unwrap();
        tree.remove(key).unwrap();
        tree.flush().unwrap();
    }
    let index_before = std::fs::read(dir.join(INDEX_FILE)).unwrap();
    match Vault::open(&dir, &password()) {
        Err(VaultError::Damaged(Damage::RecordsMismatch(m))) => assert_eq!(m.lost.len(), 1),
        other => panic!("expected a lost record, got {other:?}"),
    }
    // sled writes its own files when opened; the vault's index is left as it was.
    assert!(std::fs::read(dir.join(INDEX_FILE)).unwrap() == index_before);
    assert!(tree_names(&dir).contains(&"records".to_string()));
}

/// What a kill during the upgrade can leave: a half-written v2 tree beside an intact v1
/// vault (before the commit), or the v1 tree beside a complete v2 vault (after it).
#[test]
fn an_interrupted_upgrade_opens_as_v1_redone_or_as_v2_cleaned() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_of_fixture(tmp.path());
    {
        let db = sled::open(dir.join(RECORDS_DIR)).unwrap();
        let half = db.open_tree("records.v2").unwrap();
        half.insert([1u8; 17], &b"half-written"[..]).unwrap();
        half.flush().unwrap();
    }
    let vault = Vault::open(&dir, &password()).unwrap();
    assert_matches_fixture(&vault.entries().unwrap());
    drop(vault);

    // After the commit, the v1 tree left behind is dropped at the next open.
    {
        let db = sled::open(dir.join(RECORDS_DIR)).unwrap();
        let old = db.open_tree("records").unwrap();
        old.insert([7u8; 16], &b"left over"[..]).unwrap();
        old.flush().unwrap();
    }
    let vault = Vault::open(&dir, &password()).unwrap();
    assert_matches_fixture(&vault.entries().unwrap());
    drop(vault);
    assert!(!tree_names(&dir).contains(&"records".to_string()));
}

#[test]
fn v2_records_carry_tags_note_icon_pin_and_stamps() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let vault = Vault::create_with(&dir, b"pw", fast_kdf()).unwrap();
    let mut account = sample("GitHub");
    account.tags = vec!["work".into(), "code".into()];
    account.note = "the personal one".into();
    account.icon = Some(Icon::Bundled {
        name: "github".into(),
    });
    account.pinned = true;
    let id = vault.add(&account).unwrap();
    drop(vault);
    let vault = Vault::open(&dir, b"pw").unwrap();
    let entry = vault.get(id).unwrap();
    assert_eq!(entry.account, account);
    assert!(entry.stamp.created_ms > 0);
    let device = entry.stamp.revision.device;

    // Each change has a later revision than the one before, from the same device.
    let mut last = entry.stamp.revision;
    for pinned in [false, true, false] {
        let mut changed = entry.account.clone();
        changed.pinned = pinned;
        vault.update(id, &changed).unwrap();
        let now = vault.get(id).unwrap().stamp;
        assert!(now.revision > last);
        assert_eq!(now.revision.device, device);
        assert_eq!(now.created_ms, entry.stamp.created_ms);
        last = now.revision;
    }
}

#[test]
fn removing_leaves_a_tombstone_and_takes_the_recovery_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let vault = Vault::create_with(&dir, b"pw", fast_kdf()).unwrap();
    let id = vault.add(&sample("Example")).unwrap();
    let codes = RecoveryCodes {
        codes: vec![
            RecoveryCode {
                code: "abcd-1234".into(),
                used: false,
            },
            RecoveryCode {
                code: "efgh-5678".into(),
                used: true,
            },
        ],
    };
    vault.set_recovery_codes(id, &codes).unwrap();
    assert_eq!(vault.recovery_codes(id).unwrap(), codes);
    let removed_at = vault.get(id).unwrap().stamp.revision;
    vault.remove(id).unwrap();
    assert!(matches!(vault.get(id), Err(VaultError::AccountNotFound(_))));
    assert!(matches!(
        vault.recovery_codes(id),
        Err(VaultError::AccountNotFound(_))
    ));
    drop(vault);
    let vault = Vault::open(&dir, b"pw").unwrap();
    let tombstones = vault.tombstones().unwrap();
    assert_eq!(tombstones.len(), 1);
    assert_eq!(tombstones[0].0, id);
    assert!(tombstones[0].1.revision > removed_at);
    // Only the tombstone is left: no account and no codes record.
    drop(vault);
    let db = sled::open(dir.join(RECORDS_DIR)).unwrap();
    let kinds: Vec<u8> = db
        .open_tree("records.v2")
        .unwrap()
        .iter()
        .keys()
        .map(|k| k.unwrap()[0])
        .collect();
    assert_eq!(kinds, vec![3]);
}

/// Recovery codes are a record of their own: setting them leaves the account's record
/// byte for byte as it was, so listing accounts (which opens account records only) never
/// decrypts them.
#[test]
fn recovery_codes_are_sealed_apart_from_the_account() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let vault = Vault::create_with(&dir, b"pw", fast_kdf()).unwrap();
    let id = vault.add(&sample("Example")).unwrap();
    drop(vault);
    let stored = |kind: u8| {
        let mut key = vec![kind];
        key.extend_from_slice(id.as_bytes());
        let db = sled::open(dir.join(RECORDS_DIR)).unwrap();
        let tree = db.open_tree("records.v2").unwrap();
        tree.get(&key).unwrap().map(|v| v.to_vec())
    };
    let account_before = stored(1).unwrap();
    assert_eq!(stored(2), None);
    let vault = Vault::open(&dir, b"pw").unwrap();
    let codes = RecoveryCodes {
        codes: vec![RecoveryCode {
            code: "secret-recovery-code-1".into(),
            used: false,
        }],
    };
    vault.set_recovery_codes(id, &codes).unwrap();
    drop(vault);
    assert_eq!(stored(1).unwrap(), account_before);
    let sealed = stored(2).unwrap();
    assert!(!sealed
        .windows(b"secret-recovery".len())
        .any(|w| w == b"secret-recovery"));
    let vault = Vault::open(&dir, b"pw").unwrap();
    assert_eq!(vault.recovery_codes(id).unwrap(), codes);
    // Emptied: an empty set stays (a synced copy learns that the codes were cleared),
    // and no code is left in it.
    vault
        .set_recovery_codes(id, &RecoveryCodes::default())
        .unwrap();
    assert_eq!(vault.recovery_codes(id).unwrap(), RecoveryCodes::default());
    assert!(vault.recovery_tallies().unwrap().is_empty());
    drop(vault);
    let emptied = stored(2).unwrap();
    assert!(
        emptied.len() < sealed.len(),
        "the code is gone from the record"
    );
}

/// A backup in format 1 (written before vault format v2) still opens and restores.
#[test]
fn a_v1_backup_still_restores() {
    let entries = backup::read(&fixture().join("backup-v1.rbak"), &password()).unwrap();
    assert!(entries
        .iter()
        .all(|e| e.stamp.is_none() && e.recovery_codes.is_none()));
    let tmp = tempfile::tempdir().unwrap();
    let vault = Vault::create_with(&tmp.path().join("v"), b"pw", fast_kdf()).unwrap();
    let report = ImportPlan::restore(&vault, entries).unwrap();
    assert_eq!(report.skipped, 0);
    assert_matches_fixture(&vault.entries().unwrap());
}

/// A backup (format 2) keeps everything a v2 record holds, and the recovery codes; a
/// restore brings them back with the account's order and creation time.
#[test]
fn a_v2_backup_keeps_tags_notes_order_and_recovery_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let vault = Vault::create_with(&tmp.path().join("a"), b"pw", fast_kdf()).unwrap();
    let mut account = sample("GitHub");
    account.tags = vec!["work".into()];
    account.note = "the personal one".into();
    account.pinned = true;
    let id = vault.add(&account).unwrap();
    vault.add(&sample("Plain")).unwrap();
    let codes = RecoveryCodes {
        codes: vec![RecoveryCode {
            code: "1111-2222".into(),
            used: true,
        }],
    };
    vault.set_recovery_codes(id, &codes).unwrap();
    let original = vault.get(id).unwrap();
    let path = vault.write_backup(&tmp.path().join("backups")).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(u16::from_be_bytes([bytes[8], bytes[9]]), 2);

    let entries = backup::read(&path, b"pw").unwrap();
    assert_eq!(entries.len(), 2);
    let target = Vault::create_with(&tmp.path().join("b"), b"pw", fast_kdf()).unwrap();
    let report = ImportPlan::restore(&target, entries).unwrap();
    assert_eq!(report.added.len(), 2);
    let restored = target
        .entries()
        .unwrap()
        .into_iter()
        .find(|e| e.account.issuer == "GitHub")
        .unwrap();
    assert_eq!(restored.account, account);
    assert_eq!(restored.stamp.created_ms, original.stamp.created_ms);
    assert_eq!(restored.stamp.order, original.stamp.order);
    assert_eq!(target.recovery_codes(restored.id).unwrap(), codes);
    let other = target
        .entries()
        .unwrap()
        .into_iter()
        .find(|e| e.account.issuer == "Plain")
        .unwrap();
    assert!(target.recovery_codes(other.id).unwrap().codes.is_empty());
}
