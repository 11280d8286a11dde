//! Integration tests of the encrypted vault (format v2; the upgrade from v1 is in `upgrade.rs`).
//!
//! All but one use `fast_kdf()`; `create_meets_policy` runs the real
//! calibration. Records are tampered with by opening the vault's sled database directly.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use ringlet_core::import::ImportPlan;
use ringlet_core::model::{Account, AccountId, Algorithm, Entry, OtpKind, OtpParams, Secret};
use ringlet_core::vault::backup::{self, BackupError, RotationPolicy};
use ringlet_core::vault::{
    Damage, KdfParams, RecordsMismatch, Vault, VaultError, BACKUPS_DIR, CREATING_FILE, HEADER_FILE,
    INDEX_FILE, LOCK_FILE, RECORDS_DIR,
};

use common::{copy_dir, fast_kdf, header_params, snapshot};

const PW: &[u8] = b"correct horse battery staple";

fn account(issuer: &str, name: &str, secret: &[u8]) -> Account {
    Account::new(
        issuer.to_string(),
        name.to_string(),
        OtpParams {
            secret: Secret::new(secret.to_vec()),
            algorithm: Algorithm::Sha1,
            digits: 6,
            kind: OtpKind::Totp { period: 30 },
        },
    )
}

fn new_vault(dir: &Path) -> Vault {
    Vault::create_with(dir, PW, fast_kdf()).unwrap()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Runs `f` on the vault's record tree (format v2) with the vault closed.
fn with_records<T>(dir: &Path, f: impl FnOnce(&sled::Tree) -> T) -> T {
    let db = sled::open(dir.join(RECORDS_DIR)).unwrap();
    let tree = db.open_tree("records.v2").unwrap();
    let out = f(&tree);
    tree.flush().unwrap();
    out
}

/// The key of an account's record: kind 1 (account) ‖ id.
fn key(id: AccountId) -> Vec<u8> {
    let mut key = vec![1u8];
    key.extend_from_slice(id.as_bytes());
    key
}

fn raw_record(dir: &Path, id: AccountId) -> Vec<u8> {
    with_records(dir, |t| t.get(key(id)).unwrap().unwrap().to_vec())
}

fn set_raw_record(dir: &Path, id: AccountId, value: &[u8]) {
    with_records(dir, |t| {
        t.insert(key(id), value).unwrap();
    });
}

fn assert_damaged<T: std::fmt::Debug>(result: Result<T, VaultError>, what: &str) -> Damage {
    match result {
        Err(VaultError::Damaged(damage)) => damage,
        other => panic!("{what}: expected Damaged, got {other:?}"),
    }
}

/// The records `damage` reports as lost, altered or unknown to the index.
fn mismatch(damage: Damage) -> RecordsMismatch {
    match damage {
        Damage::RecordsMismatch(mismatch) => mismatch,
        other => panic!("expected records that do not match the index, got {other:?}"),
    }
}

fn sorted(mut ids: Vec<AccountId>) -> Vec<AccountId> {
    ids.sort();
    ids
}

#[test]
fn round_trip_and_sort_order() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    assert!(!Vault::exists(&dir));
    let vault = new_vault(&dir);
    assert!(Vault::exists(&dir));
    assert_eq!(vault.dir(), dir);
    assert!(vault.entries().unwrap().is_empty());

    let a = vault.add(&account("github", "zed", b"secret-a")).unwrap();
    let b = vault.add(&account("GitHub", "alice", b"secret-b")).unwrap();
    let c = vault.add(&account("Amazon", "bob", b"secret-c")).unwrap();
    let d = vault.add(&account("", "nobody", b"secret-d")).unwrap();
    assert_ne!(a, b);

    let names: Vec<_> = vault
        .entries()
        .unwrap()
        .into_iter()
        .map(|e| (e.id, e.account.issuer, e.account.name))
        .collect();
    assert_eq!(
        names,
        vec![
            (d, "".to_string(), "nobody".to_string()),
            (c, "Amazon".to_string(), "bob".to_string()),
            (b, "GitHub".to_string(), "alice".to_string()),
            (a, "github".to_string(), "zed".to_string()),
        ]
    );

    // Same issuer and name, case aside: the id breaks the tie.
    let e = vault.add(&account("AMAZON", "BOB", b"secret-e")).unwrap();
    let order: Vec<_> = vault.entries().unwrap().iter().map(|x| x.id).collect();
    let (first, second) = if c < e { (c, e) } else { (e, c) };
    assert_eq!(order[1..3], [first, second]);

    let got = vault.get(b).unwrap();
    assert_eq!(got.id, b);
    assert_eq!(got.account, account("GitHub", "alice", b"secret-b"));

    let mut hotp = account("Bank", "carol", b"secret-h");
    hotp.otp.kind = OtpKind::Hotp { counter: 41 };
    hotp.otp.algorithm = Algorithm::Sha512;
    hotp.otp.digits = 8;
    vault.update(b, &hotp).unwrap();
    assert_eq!(vault.get(b).unwrap().account, hotp);

    vault.remove(a).unwrap();
    assert!(matches!(vault.get(a), Err(VaultError::AccountNotFound(id)) if id == a));
    assert!(matches!(
        vault.remove(a),
        Err(VaultError::AccountNotFound(_))
    ));
    assert!(matches!(
        vault.update(a, &hotp),
        Err(VaultError::AccountNotFound(_))
    ));
    assert_eq!(vault.entries().unwrap().len(), 4);
}

/// Pinned accounts come first (the app's list and `ringlet-cli list` alike), each part in
/// the usual order; a pin is an edit like any other and survives a reopen.
#[test]
fn pinned_accounts_come_first() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let vault = new_vault(&dir);
    vault.add(&account("Amazon", "bob", b"secret-a")).unwrap();
    let zulu = vault.add(&account("Zulu", "zed", b"secret-z")).unwrap();
    vault.add(&account("GitHub", "alice", b"secret-g")).unwrap();
    let mut pinned = vault.get(zulu).unwrap().account;
    pinned.pinned = true;
    vault.update(zulu, &pinned).unwrap();
    drop(vault);
    let vault = Vault::open(&dir, PW).unwrap();
    let issuers: Vec<String> = vault
        .entries()
        .unwrap()
        .into_iter()
        .map(|e| e.account.issuer)
        .collect();
    assert_eq!(issuers, ["Zulu", "Amazon", "GitHub"]);
}

/// The list's "N of M left" for every account comes from one pass; accounts without codes
/// are not named.
#[test]
fn recovery_tallies_count_left_and_total() {
    let tmp = tempfile::tempdir().unwrap();
    let vault = new_vault(&tmp.path().join("vault"));
    let with = vault.add(&account("GitHub", "alice", b"secret-g")).unwrap();
    vault.add(&account("Amazon", "bob", b"secret-a")).unwrap();
    let mut codes = ringlet_core::model::RecoveryCodes::default();
    codes.add(&ringlet_core::recovery_codes::parse(
        "1111-2222 3333-4444 5555-6666",
    ));
    codes.mark_used("3333 4444").unwrap();
    vault.set_recovery_codes(with, &codes).unwrap();
    let tallies = vault.recovery_tallies().unwrap();
    assert_eq!(tallies.into_iter().collect::<Vec<_>>(), [(with, (2, 3))]);
}

#[test]
fn reopen_after_drop_shows_everything() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut expected = Vec::new();
    {
        let vault = new_vault(dir);
        for i in 0..5 {
            let acc = account(&format!("Issuer{i}"), &format!("user{i}"), &[i as u8; 20]);
            expected.push((vault.add(&acc).unwrap(), acc));
        }
        let gone = expected.remove(2).0;
        vault.remove(gone).unwrap();
        let mut changed = expected[0].1.clone();
        changed.otp.kind = OtpKind::Hotp { counter: 7 };
        vault.update(expected[0].0, &changed).unwrap();
        expected[0].1 = changed;
    }
    for _ in 0..2 {
        let vault = Vault::open(dir, PW).unwrap();
        let entries = vault.entries().unwrap();
        assert_eq!(entries.len(), expected.len());
        for (id, acc) in &expected {
            assert_eq!(&vault.get(*id).unwrap().account, acc);
        }
    }
}

#[test]
fn create_and_open_report_presence() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("a").join("b");
    assert!(matches!(Vault::open(&dir, PW), Err(VaultError::NotFound)));
    drop(new_vault(&dir));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
    assert!(matches!(
        Vault::create_with(&dir, PW, fast_kdf()),
        Err(VaultError::AlreadyExists)
    ));
    assert!(matches!(
        Vault::create(&dir, PW),
        Err(VaultError::AlreadyExists)
    ));
    Vault::open(&dir, PW).unwrap();
    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(
        Vault::open(empty.path(), PW),
        Err(VaultError::NotFound)
    ));
}

#[test]
fn wrong_password_changes_nothing_on_disk() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    {
        let vault = new_vault(dir);
        vault
            .add(&account("Issuer", "name", b"0123456789"))
            .unwrap();
    }
    let before = snapshot(dir);
    assert!(before.len() > 2, "{:?}", before.keys());
    for wrong in [&b"wrong"[..], b"", b"correct horse battery stapl"] {
        assert!(matches!(
            Vault::open(dir, wrong),
            Err(VaultError::WrongPassword)
        ));
    }
    assert_eq!(snapshot(dir), before, "a wrong password changed the files");
    assert_eq!(Vault::open(dir, PW).unwrap().entries().unwrap().len(), 1);
}

#[test]
fn flipped_record_bytes_are_damaged() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (victim, other) = {
        let vault = new_vault(dir);
        (
            vault
                .add(&account("Victim", "v", b"victim-secret"))
                .unwrap(),
            vault.add(&account("Other", "o", b"other-secret")).unwrap(),
        )
    };
    let original = raw_record(dir, victim);
    let len = original.len();
    // version byte, nonce (1..13), ciphertext, tag (last 16).
    let offsets = [0, 1, 7, 12, 13, len / 2, len - 16, len - 9, len - 1];
    for offset in offsets {
        for bit in [0x01u8, 0x80] {
            let mut bad = original.clone();
            bad[offset] ^= bit;
            set_raw_record(dir, victim, &bad);
            // The index no longer vouches for the record: the vault does not open.
            let found = mismatch(assert_damaged(
                Vault::open(dir, PW),
                &format!("offset {offset}"),
            ));
            assert_eq!(found.altered, [victim], "only the victim, never {other}");
            assert!(
                found.lost.is_empty() && found.unknown.is_empty(),
                "{found:?}"
            );
        }
    }
    for bad in [
        &original[..len - 1],
        &original[..20],
        &original[..1],
        &[][..],
    ] {
        set_raw_record(dir, victim, bad);
        assert_damaged(Vault::open(dir, PW), "truncated");
    }
    // Put back, the vault is healthy again.
    set_raw_record(dir, victim, &original);
    let vault = Vault::open(dir, PW).unwrap();
    assert_eq!(vault.entries().unwrap().len(), 2);
    assert!(vault.damaged_records().unwrap().is_empty());
}

#[test]
fn flipped_record_key_is_damaged() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = new_vault(dir).add(&account("I", "n", b"s")).unwrap();
    let value = raw_record(dir, id);
    let mut moved = id;
    moved.0[5] ^= 0x04;
    with_records(dir, |t| {
        t.remove(key(id)).unwrap();
        t.insert(key(moved), value.as_slice()).unwrap();
    });
    let found = mismatch(assert_damaged(Vault::open(dir, PW), "moved record"));
    assert_eq!((found.lost, found.unknown), (vec![id], vec![moved]));
    // A key that is not 16 bytes long.
    with_records(dir, |t| {
        t.remove(key(moved)).unwrap();
        t.insert(key(id), value.as_slice()).unwrap();
        t.insert([1u8; 15], value.as_slice()).unwrap();
    });
    assert_eq!(
        assert_damaged(Vault::open(dir, PW), "short key"),
        Damage::MalformedRecordId
    );
}

#[test]
fn swapped_records_are_damaged() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (a, b) = {
        let vault = new_vault(dir);
        (
            vault.add(&account("A", "a", b"aaaa")).unwrap(),
            vault.add(&account("B", "b", b"bbbb")).unwrap(),
        )
    };
    let (va, vb) = (raw_record(dir, a), raw_record(dir, b));
    set_raw_record(dir, a, &vb);
    set_raw_record(dir, b, &va);
    let found = mismatch(assert_damaged(Vault::open(dir, PW), "swapped"));
    assert_eq!(sorted(found.altered), sorted(vec![a, b]));
}

#[test]
fn record_from_another_vault_is_damaged() {
    let tmp = tempfile::tempdir().unwrap();
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    let foreign = new_vault(&one).add(&account("F", "f", b"ffff")).unwrap();
    let own = new_vault(&two).add(&account("O", "o", b"oooo")).unwrap();
    let value = raw_record(&one, foreign);
    // Under the same id it had, and over an existing id.
    set_raw_record(&two, foreign, &value);
    set_raw_record(&two, own, &value);
    let found = mismatch(assert_damaged(Vault::open(&two, PW), "foreign record"));
    let named = sorted([found.lost, found.altered, found.unknown].concat());
    assert_eq!(named, sorted(vec![foreign, own]));

    // The whole record database of another vault.
    let three = tmp.path().join("three");
    drop(new_vault(&three));
    std::fs::remove_dir_all(three.join(RECORDS_DIR)).unwrap();
    copy_dir(&one.join(RECORDS_DIR), &three.join(RECORDS_DIR));
    assert_eq!(
        assert_damaged(Vault::open(&three, PW), "foreign database"),
        Damage::ForeignDatabase
    );

    // No record database at all.
    std::fs::remove_dir_all(three.join(RECORDS_DIR)).unwrap();
    assert_eq!(
        assert_damaged(Vault::open(&three, PW), "missing database"),
        Damage::MissingDatabase
    );
}

#[test]
fn flipped_header_bytes_never_open() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = new_vault(dir).add(&account("H", "h", b"hhhh")).unwrap();
    let path = dir.join(HEADER_FILE);
    let original = std::fs::read(&path).unwrap();
    // Layout 2: magic, version, vault id, key epoch, slot count, one 89-byte slot, MAC and
    // checksum.
    assert_eq!(original.len(), 8 + 2 + 16 + 4 + 1 + 89 + 32 + 32);
    for offset in 0..original.len() {
        let mut bad = original.clone();
        bad[offset] ^= 0x20;
        std::fs::write(&path, &bad).unwrap();
        match Vault::open(dir, PW) {
            Err(VaultError::Damaged(_)) => {}
            other => panic!("flip at {offset}: {other:?}"),
        }
    }
    for len in [0, 8, 100, original.len() - 1] {
        std::fs::write(&path, &original[..len]).unwrap();
        assert_damaged(Vault::open(dir, PW), "truncated header");
    }
    let mut longer = original.clone();
    longer.push(0);
    std::fs::write(&path, &longer).unwrap();
    assert_damaged(Vault::open(dir, PW), "longer header");

    // A deliberate edit that recomputes the unkeyed checksum: the slot's AEAD or the
    // header MAC still refuses it.
    let body_len = original.len() - 32;
    let mac_start = body_len - 32;
    for offset in [10, 20, 27, 30, 40, 60, 100, mac_start, mac_start + 31] {
        let mut bad = original[..body_len].to_vec();
        bad[offset] ^= 0x01;
        let checksum = ring::digest::digest(&ring::digest::SHA256, &bad);
        bad.extend_from_slice(checksum.as_ref());
        std::fs::write(&path, &bad).unwrap();
        match Vault::open(dir, PW) {
            Err(VaultError::Damaged(_)) | Err(VaultError::WrongPassword) => {}
            other => panic!("edit at {offset}: {other:?}"),
        }
    }
    let mut bad = original[..body_len].to_vec();
    bad[mac_start] ^= 0x01;
    let checksum = ring::digest::digest(&ring::digest::SHA256, &bad);
    bad.extend_from_slice(checksum.as_ref());
    std::fs::write(&path, &bad).unwrap();
    assert_eq!(
        assert_damaged(Vault::open(dir, PW), "mac edit"),
        Damage::HeaderMac
    );

    std::fs::write(&path, &original).unwrap();
    assert_eq!(
        Vault::open(dir, PW).unwrap().get(id).unwrap().account.name,
        "h"
    );
}

#[test]
fn second_opener_in_same_process_is_in_use() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let first = new_vault(dir);
    first.add(&account("I", "n", b"s")).unwrap();
    assert!(matches!(Vault::open(dir, PW), Err(VaultError::InUse)));
    // Even with a wrong password the lock is reported first, and nothing is harmed.
    assert!(matches!(Vault::open(dir, b"nope"), Err(VaultError::InUse)));
    assert_eq!(first.entries().unwrap().len(), 1);
    let moved = std::thread::spawn(move || {
        let second = Vault::open(first.dir(), PW);
        assert!(matches!(second, Err(VaultError::InUse)));
        first
    })
    .join()
    .unwrap();
    drop(moved);
    let again = Vault::open(dir, PW).unwrap();
    assert_eq!(again.entries().unwrap().len(), 1);
}

const HOLD_ENV: &str = "RINGLET_VAULT_TEST_HOLD_DIR";

/// Not a test on its own: the child process of `second_opener_in_other_process_is_in_use`.
#[test]
#[ignore = "helper run by second_opener_in_other_process_is_in_use"]
fn helper_hold_vault_open() {
    let Some(dir) = std::env::var_os(HOLD_ENV) else {
        return;
    };
    let vault = Vault::open(Path::new(&dir), PW).unwrap();
    // Straight to the file descriptor: the test harness may capture or buffer `println!`.
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "READY");
        let _ = out.flush();
    }
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    drop(vault);
}

#[test]
fn second_opener_in_other_process_is_in_use() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    drop(new_vault(dir));
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "helper_hold_vault_open",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(HOLD_ENV, dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert!(
        lines.any(|l| l.map(|l| l.contains("READY")).unwrap_or(false)),
        "the helper process did not open the vault"
    );
    assert!(matches!(Vault::open(dir, PW), Err(VaultError::InUse)));
    drop(child.stdin.take());
    assert!(child.wait().unwrap().success());
    Vault::open(dir, PW).unwrap();
}

#[test]
fn files_hold_no_plaintext() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let secret = b"\x8e\x13Qz!kS\xf0\x07\x99ZebraKeyX\x42\x17";
    let issuer = "QuixoticIssuerZz";
    let name = "platypus.tester@example.org";
    let base32 = data_encoding::BASE32_NOPAD.encode(secret);
    {
        let vault = new_vault(dir);
        let id = vault.add(&account(issuer, name, secret)).unwrap();
        vault.add(&account(issuer, "second", secret)).unwrap();
        vault.update(id, &account(issuer, name, secret)).unwrap();
        // Check with the vault still open (after its flushes) and after it closes.
        check_no_plaintext(
            dir,
            &[
                secret,
                issuer.as_bytes(),
                name.as_bytes(),
                base32.as_bytes(),
                base32.to_lowercase().as_bytes(),
                PW,
            ],
        );
    }
    check_no_plaintext(
        dir,
        &[
            secret,
            issuer.as_bytes(),
            name.as_bytes(),
            base32.as_bytes(),
            base32.to_lowercase().as_bytes(),
            PW,
        ],
    );
    assert_eq!(Vault::open(dir, PW).unwrap().entries().unwrap().len(), 2);
}

fn check_no_plaintext(dir: &Path, needles: &[&[u8]]) {
    let files = snapshot(dir);
    assert!(files.values().map(Vec::len).sum::<usize>() > 0);
    for (path, bytes) in &files {
        for needle in needles {
            assert!(
                !contains(bytes, needle),
                "{} holds {:?} in clear",
                path.display(),
                String::from_utf8_lossy(needle)
            );
        }
        // The issuer as JSON would also show a shorter fragment.
        assert!(!contains(bytes, b"Quixotic"), "{}", path.display());
        assert!(!contains(bytes, b"platypus"), "{}", path.display());
    }
}

#[test]
fn debug_and_errors_show_nothing_secret() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let vault = new_vault(dir);
    let id = vault
        .add(&account(
            "SecretiveIssuer",
            "hidden.name",
            b"topsecretbytes",
        ))
        .unwrap();
    let shown = format!("{vault:?} {vault:#?}");
    for bad in [
        "SecretiveIssuer",
        "hidden.name",
        "topsecret",
        "correct horse",
    ] {
        assert!(!shown.contains(bad), "{shown}");
    }
    drop(vault);
    let mut value = raw_record(dir, id);
    let last = value.len() - 1;
    value[last] ^= 1;
    set_raw_record(dir, id, &value);
    let err = Vault::open(dir, PW).unwrap_err();
    let wrong = Vault::open(dir, b"guess").unwrap_err();
    let text = format!("{err} {err:?} {wrong} {wrong:?}");
    for bad in [
        "SecretiveIssuer",
        "hidden.name",
        "topsecret",
        "correct horse",
        "guess",
    ] {
        assert!(!text.contains(bad), "{text}");
    }
    assert_eq!(wrong.to_string(), "Wrong password.");
    assert_eq!(
        err.to_string(),
        format!(
            "The vault is damaged: the record database does not match its index: \
             1 record is not the one last written (altered or rolled back: {id})."
        )
    );
    assert_eq!(
        VaultError::InUse.to_string(),
        "The vault is in use by another Ringlet process (the app or ringlet-cli). Close it and try again."
    );
}

#[test]
fn unusable_kdf_params_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = KdfParams {
        memory_kib: 64,
        iterations: 0,
        parallelism: 1,
    };
    assert!(Vault::create_with(tmp.path(), PW, bad).is_err());
    assert!(!Vault::exists(tmp.path()));
}

#[test]
fn vault_is_send() {
    fn is_send<T: Send>() {}
    is_send::<Vault>();
    is_send::<VaultError>();
}

/// The one test that runs the real calibration: the result meets the policy minimum and
/// one derivation takes about half a second.
#[test]
fn create_meets_policy() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let started = Instant::now();
    let vault = Vault::create(dir, PW).unwrap();
    let create_time = started.elapsed();
    vault.add(&account("P", "p", b"pppp")).unwrap();
    drop(vault);

    let params = header_params(dir);
    assert!(params.meets_policy(), "{params:?}");
    assert!(params.memory_kib >= KdfParams::POLICY_MINIMUM.memory_kib);
    assert!(params.iterations >= KdfParams::POLICY_MINIMUM.iterations);
    assert_eq!(params.parallelism, 1);

    let started = Instant::now();
    let vault = Vault::open(dir, PW).unwrap();
    let open_time = started.elapsed();
    assert_eq!(vault.entries().unwrap().len(), 1);
    eprintln!(
        "calibrated {params:?}: create {create_time:?}, open {open_time:?}, one derivation {:?}",
        params.measure()
    );
    // Calibration stops after 2.5 s (CALIBRATION_BUDGET) and aims at half a second a
    // derivation; a loaded 2-core machine can stretch both two- or threefold. A calibration
    // that ignored its budget would take far longer.
    assert!(create_time.as_secs_f64() < 10.0, "{create_time:?}");
}

/// A new vault in `dir` holding three accounts, closed again; its entries.
fn vault_with_three_accounts(dir: &Path) -> Vec<Entry> {
    let vault = new_vault(dir);
    for i in 0..3u8 {
        vault
            .add(&account(&format!("Issuer{i}"), "user", &[i; 20]))
            .unwrap();
    }
    vault.entries().unwrap()
}

#[test]
fn corrupted_database_file_never_yields_wrong_data() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let expected = vault_with_three_accounts(dir);
    let db_file = dir.join(RECORDS_DIR).join("db");
    let original = std::fs::read(&db_file).unwrap();
    // The file is mostly zero padding: aim at the part that holds data.
    let used = original.iter().rposition(|&b| b != 0).unwrap_or(0) + 1;
    let step = (used / 60).max(1);
    let (mut refused, mut intact, mut lost) = (0, 0, 0);
    for offset in (0..used).step_by(step) {
        let mut bad = original.clone();
        bad[offset] ^= 0x55;
        std::fs::write(&db_file, &bad).unwrap();
        let outcome = Vault::open(dir, PW).and_then(|vault| vault.entries());
        match outcome {
            // sled may recover by dropping a damaged tail of its log; the index makes
            // that visible: an open that succeeds has every record, unchanged.
            Ok(entries) => {
                assert_eq!(entries, expected, "flip at {offset}");
                intact += 1;
            }
            Err(VaultError::Damaged(damage)) => {
                if matches!(&damage, Damage::RecordsMismatch(m) if !m.lost.is_empty()) {
                    lost += 1;
                }
                refused += 1;
            }
            Err(other) => panic!("flip at {offset}: {other:?}"),
        }
        std::fs::write(&db_file, &original).unwrap();
    }
    eprintln!(
        "database flips: {refused} refused ({lost} of them as lost records), \
         {intact} read back all the data"
    );
    // The flips reached the data: damage was detected, not only absent. (In a typical run
    // every flip is refused, most of them as lost records.)
    assert!(
        refused > 0,
        "no flip was detected as damage ({intact} read back whole)"
    );
    assert!(
        lost > 0,
        "no flip showed as records lost to sled's recovery"
    );
}

/// The snapshot files (`snap.<lsn hex>`) in the record database.
fn sled_snapshots(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join(RECORDS_DIR))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("snap."))
        .collect();
    names.sort();
    names
}

/// A process killed while sled wrote a snapshot leaves `snap.<lsn>.generating`, torn.
/// sled 0.34.7 would read it as the newest snapshot and call the database corrupt at
/// every later open; the vault opens with everything instead.
#[test]
fn a_snapshot_torn_by_a_kill_loses_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let expected = vault_with_three_accounts(dir);
    // Opening replays the log and writes a snapshot; the next write moves the log on.
    {
        let vault = Vault::open(dir, PW).unwrap();
        vault.add(&account("Later", "user", &[9; 20])).unwrap();
    }
    let issuers = |vault: &Vault| -> Vec<String> {
        let entries = vault.entries().unwrap();
        entries.iter().map(|e| e.account.issuer.clone()).collect()
    };
    let expected_after = issuers(&Vault::open(dir, PW).unwrap());
    assert_eq!(expected_after.len(), expected.len() + 1);

    let snapshots = sled_snapshots(dir);
    let newest = snapshots.last().expect("sled wrote a snapshot");
    let lsn = u64::from_str_radix(newest.trim_start_matches("snap."), 16).unwrap();
    let complete = std::fs::read(dir.join(RECORDS_DIR).join(newest)).unwrap();
    let torn = dir
        .join(RECORDS_DIR)
        .join(format!("snap.{:016X}.generating", lsn + 0x80));
    std::fs::write(&torn, &complete[..complete.len() / 2]).unwrap();

    for _ in 0..2 {
        let vault = Vault::open(dir, PW).unwrap();
        assert_eq!(issuers(&vault), expected_after);
        assert!(vault.damaged_records().unwrap().is_empty());
    }
    assert!(!torn.exists());
    assert!(sled_snapshots(dir)
        .iter()
        .all(|n| !n.ends_with(".generating")));
}

#[test]
fn lost_or_rolled_back_records_are_damaged() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (a, b, old_b) = {
        let vault = new_vault(dir);
        let a = vault.add(&account("A", "a", b"aaaa")).unwrap();
        let mut hotp = account("B", "b", b"bbbb");
        hotp.otp.kind = OtpKind::Hotp { counter: 1 };
        let b = vault.add(&hotp).unwrap();
        drop(vault);
        let old_b = raw_record(dir, b);
        let vault = Vault::open(dir, PW).unwrap();
        hotp.otp.kind = OtpKind::Hotp { counter: 2 };
        vault.update(b, &hotp).unwrap();
        (a, b, old_b)
    };
    let value_a = raw_record(dir, a);
    // A record that vanished from sled.
    with_records(dir, |t| {
        t.remove(key(a)).unwrap();
    });
    let found = mismatch(assert_damaged(Vault::open(dir, PW), "lost record"));
    assert_eq!(found.lost, [a]);
    set_raw_record(dir, a, &value_a);
    // An HOTP counter rolled back to an older (authentic) value.
    let new_b = raw_record(dir, b);
    set_raw_record(dir, b, &old_b);
    let found = mismatch(assert_damaged(Vault::open(dir, PW), "rolled back"));
    assert_eq!(found.altered, [b]);
    set_raw_record(dir, b, &new_b);
    // Every record gone.
    with_records(dir, |t| t.clear().unwrap());
    let found = mismatch(assert_damaged(Vault::open(dir, PW), "all lost"));
    assert_eq!(sorted(found.lost), sorted(vec![a, b]));
    set_raw_record(dir, a, &value_a);
    set_raw_record(dir, b, &new_b);
    assert_eq!(Vault::open(dir, PW).unwrap().entries().unwrap().len(), 2);
}

#[test]
fn damaged_or_missing_index_never_opens() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    {
        let vault = new_vault(dir);
        vault.add(&account("A", "a", b"aaaa")).unwrap();
        vault.add(&account("B", "b", b"bbbb")).unwrap();
    }
    let path = dir.join(INDEX_FILE);
    let original = std::fs::read(&path).unwrap();
    for offset in 0..original.len() {
        let mut bad = original.clone();
        bad[offset] ^= 0x08;
        std::fs::write(&path, &bad).unwrap();
        assert_damaged(Vault::open(dir, PW), &format!("index flip at {offset}"));
    }
    for len in [0, 10, original.len() / 2, original.len() - 1] {
        std::fs::write(&path, &original[..len]).unwrap();
        assert_damaged(Vault::open(dir, PW), "truncated index");
    }
    // An older index (one record fewer) of the same vault.
    std::fs::write(&path, &original).unwrap();
    let before_add = original.clone();
    Vault::open(dir, PW)
        .unwrap()
        .add(&account("C", "c", b"cccc"))
        .unwrap();
    std::fs::write(&path, &before_add).unwrap();
    let found = mismatch(assert_damaged(Vault::open(dir, PW), "old index"));
    assert_eq!(found.unknown.len(), 1, "{found:?}");
    std::fs::remove_file(&path).unwrap();
    assert_eq!(
        assert_damaged(Vault::open(dir, PW), "no index"),
        Damage::MissingIndex
    );
    // A wrong password is still a wrong password, and writes nothing.
    assert!(matches!(
        Vault::open(dir, b"nope"),
        Err(VaultError::WrongPassword)
    ));
}

fn record_bytes(dir: &Path) -> BTreeMap<Vec<u8>, Vec<u8>> {
    with_records(dir, |t| {
        t.iter()
            .map(|item| {
                let (k, v) = item.unwrap();
                (k.to_vec(), v.to_vec())
            })
            .collect()
    })
}

#[test]
fn verify_password_checks_without_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut vault = new_vault(dir);
    vault.add(&account("A", "a", b"aaaa")).unwrap();
    let header_before = std::fs::read(dir.join(HEADER_FILE)).unwrap();
    assert!(vault.verify_password(PW).is_ok());
    assert!(matches!(
        vault.verify_password(b"not it"),
        Err(VaultError::WrongPassword)
    ));
    assert_eq!(std::fs::read(dir.join(HEADER_FILE)).unwrap(), header_before);
    vault.change_password(b"second", None).unwrap();
    assert!(vault.verify_password(b"second").is_ok());
    assert!(matches!(
        vault.verify_password(PW),
        Err(VaultError::WrongPassword)
    ));
}

/// A password change makes a new data key: every record is sealed again (an old copy of
/// the header, with the old password, opens nothing since), in one change.
#[test]
fn change_password_makes_a_new_key() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let ids = {
        let vault = new_vault(dir);
        vec![
            vault.add(&account("A", "a", b"aaaa")).unwrap(),
            vault.add(&account("B", "b", b"bbbb")).unwrap(),
        ]
    };
    let records_before = record_bytes(dir);
    let header_before = std::fs::read(dir.join(HEADER_FILE)).unwrap();
    {
        let mut vault = Vault::open(dir, PW).unwrap();
        let change = vault.change_password(b"new password", None).unwrap();
        assert_eq!(change.backups_reencrypted, 0);
        assert!(change.quick_unlock_turned_off.is_none());
        // Still usable after the change, under the new key.
        assert_eq!(vault.entries().unwrap().len(), 2);
        assert_eq!(vault.kdf_params(), fast_kdf());
        vault.add(&account("C", "c", b"cccc")).unwrap();
    }
    assert_ne!(std::fs::read(dir.join(HEADER_FILE)).unwrap(), header_before);
    assert!(matches!(
        Vault::open(dir, PW),
        Err(VaultError::WrongPassword)
    ));
    let vault = Vault::open(dir, b"new password").unwrap();
    for id in &ids {
        vault.get(*id).unwrap();
    }
    assert_eq!(vault.entries().unwrap().len(), 3);
    drop(vault);
    let records_after = record_bytes(dir);
    for (key, value) in &records_before {
        assert_ne!(
            records_after.get(key),
            Some(value),
            "a record kept its old seal"
        );
    }
    assert!(!dir.join("vault.index.next").exists());

    // The old header put back: the old password opens it, but the records are not under
    // its key, and the vault says so.
    let current_header = std::fs::read(dir.join(HEADER_FILE)).unwrap();
    std::fs::write(dir.join(HEADER_FILE), &header_before).unwrap();
    assert!(matches!(
        Vault::open(dir, PW),
        Err(VaultError::Damaged(Damage::HeaderRolledBack))
    ));
    std::fs::write(dir.join(HEADER_FILE), current_header).unwrap();

    // Explicit parameters; unusable ones are refused and change nothing.
    let mut vault = Vault::open(dir, b"new password").unwrap();
    let bad = KdfParams {
        memory_kib: 8,
        iterations: 0,
        parallelism: 1,
    };
    assert!(vault.change_password_with(b"x", bad, None).is_err());
    let other = KdfParams {
        memory_kib: 128,
        iterations: 2,
        parallelism: 1,
    };
    vault.change_password_with(b"third", other, None).unwrap();
    drop(vault);
    assert_eq!(header_params(dir), other);
    assert_eq!(
        Vault::open(dir, b"third").unwrap().entries().unwrap().len(),
        3
    );
}

#[test]
fn lock_holder_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let vault = new_vault(dir);
    assert!(matches!(Vault::open(dir, PW), Err(VaultError::InUse)));
    let holder = Vault::lock_holder(dir).unwrap();
    assert!(
        holder.contains(&format!("process {}", std::process::id())),
        "{holder}"
    );
    drop(vault);
    // A hostile lock file is filtered.
    std::fs::write(
        dir.join(LOCK_FILE),
        "pid 12\nprogram \x1b[31mevil\u{202e}\n",
    )
    .unwrap();
    assert_eq!(
        Vault::lock_holder(dir).as_deref(),
        Some("31mevil, process 12")
    );
    std::fs::write(dir.join(LOCK_FILE), "garbage").unwrap();
    assert_eq!(Vault::lock_holder(dir), None);
    Vault::open(dir, PW).unwrap();
}

fn hotp(issuer: &str, counter: u64) -> Account {
    let mut a = account(issuer, "h", issuer.as_bytes());
    a.otp.kind = OtpKind::Hotp { counter };
    a
}

#[test]
fn backup_round_trip_and_restore() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let accounts = vec![
        account("GitHub", "alice", b"secret-a"),
        hotp("Bank", 42),
        account("Ünïcode ✓", "名前", b"secret-u"),
    ];
    let vault = new_vault(&dir);
    vault.add_many(&accounts).unwrap();
    let path = vault.backup_now().unwrap();
    assert_eq!(path.parent().unwrap(), dir.join(BACKUPS_DIR));
    let name = path.file_name().unwrap().to_str().unwrap();
    assert!(
        name.starts_with("ringlet-") && name.ends_with(".rbak"),
        "{name}"
    );
    let second = vault.write_backup(&vault.backup_dir()).unwrap();
    assert_ne!(second, path);

    let read = backup::read(&path, PW).unwrap();
    let sort = |v: &mut Vec<Account>| v.sort_by(|a, b| a.issuer.cmp(&b.issuer));
    let mut read_accounts: Vec<Account> = read.iter().map(|e| e.account.clone()).collect();
    let mut expected = accounts.clone();
    sort(&mut read_accounts);
    sort(&mut expected);
    assert_eq!(read_accounts, expected);
    assert!(matches!(
        backup::read(&path, b"wrong"),
        Err(BackupError::WrongPassword)
    ));
    let listed = backup::list(&vault.backup_dir()).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].path, second, "newest first");
    assert_eq!(listed[1].accounts, Some(3));
    check_no_plaintext(&vault.backup_dir(), &[b"secret-a", b"GitHub", b"alice", PW]);

    // A password change re-encrypts the backups under the new key: they open with the new
    // password only, like the backups made after it. A copy kept elsewhere is untouched.
    drop(vault);
    let copy = tmp.path().join("copy.rbak");
    std::fs::copy(&path, &copy).unwrap();
    let mut vault = Vault::open(&dir, PW).unwrap();
    let change = vault.change_password(b"new", None).unwrap();
    assert_eq!(
        (change.backups_reencrypted, change.backups_left.len()),
        (2, 0)
    );
    let newer = vault.backup_now().unwrap();
    assert_eq!(backup::read(&path, b"new").unwrap().len(), 3);
    assert!(matches!(
        backup::read(&path, PW),
        Err(BackupError::WrongPassword)
    ));
    assert_eq!(backup::read(&copy, PW).unwrap().len(), 3);
    assert_eq!(backup::read(&newer, b"new").unwrap().len(), 3);
    assert!(matches!(
        backup::read(&newer, PW),
        Err(BackupError::WrongPassword)
    ));
    drop(vault);

    // Restore into another vault: only what is missing is added.
    let other = tmp.path().join("other");
    let target = new_vault(&other);
    target.add(&hotp("Bank", 7)).unwrap();
    let report = ImportPlan::restore(&target, read.clone()).unwrap();
    assert_eq!((report.added.len(), report.skipped), (2, 1));
    let again = ImportPlan::restore(&target, read).unwrap();
    assert_eq!((again.added.len(), again.skipped), (0, 3));
    assert_eq!(target.entries().unwrap().len(), 3);
}

#[test]
fn damaged_backups_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let vault = new_vault(&dir);
    vault.add(&account("A", "a", b"aaaa")).unwrap();
    let path = vault.write_backup(tmp.path()).unwrap();
    let original = std::fs::read(&path).unwrap();
    let bad_path = tmp.path().join("bad.rbak");
    for offset in 0..original.len() {
        let mut bad = original.clone();
        bad[offset] ^= 0x02;
        std::fs::write(&bad_path, &bad).unwrap();
        match backup::read(&bad_path, PW) {
            Err(BackupError::Damaged(_)) => {}
            other => panic!("flip at {offset}: {other:?}"),
        }
    }
    for len in [0, 8, 40, 100, original.len() - 1] {
        std::fs::write(&bad_path, &original[..len]).unwrap();
        assert!(matches!(
            backup::read(&bad_path, PW),
            Err(BackupError::Damaged(_))
        ));
    }
    // Hostile KDF parameters with a recomputed checksum: refused before any derivation.
    // The caps: memory ≤ 1 GiB, passes ≤ 16, lanes ≤ 16; one over each, and far over.
    // (Version 2: the slot's kind byte at 44, after the header layout and key epoch.)
    for (offset, value) in [
        (45, u32::MAX), // memory_kib
        (45, 1024 * 1024 + 1),
        (49, 17), // passes
        (49, u32::MAX),
        (53, 17), // lanes
    ] {
        let mut hostile = original[..original.len() - 32].to_vec();
        hostile[offset..offset + 4].copy_from_slice(&value.to_be_bytes());
        let checksum = ring::digest::digest(&ring::digest::SHA256, &hostile);
        hostile.extend_from_slice(checksum.as_ref());
        std::fs::write(&bad_path, &hostile).unwrap();
        let started = Instant::now();
        let text = match backup::read(&bad_path, PW) {
            Err(BackupError::Damaged(text)) => text,
            other => panic!("{value} at {offset}: {other:?}"),
        };
        assert!(text.contains("out of range"), "{text}");
        assert!(started.elapsed().as_secs() < 2);
    }
    // A newer format version.
    let mut newer = original[..original.len() - 32].to_vec();
    newer[9] = 3;
    let checksum = ring::digest::digest(&ring::digest::SHA256, &newer);
    newer.extend_from_slice(checksum.as_ref());
    std::fs::write(&bad_path, &newer).unwrap();
    let error = backup::read(&bad_path, PW).unwrap_err().to_string();
    assert!(error.contains("version 3"), "{error}");
    assert!(matches!(
        backup::read(&tmp.path().join("none.rbak"), PW),
        Err(BackupError::Io(_))
    ));
}

#[test]
fn rotation_keeps_last_ten_and_one_a_day() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let day = 86_400u64;
    let now = 1_700_000_000u64; // 2023-11-14 22:13:20 UTC
    let name = |t: u64| {
        let s = backup::format_utc(t)
            .replace(['-', ':'], "")
            .replace(' ', "-");
        dir.join(format!("ringlet-{s}.rbak"))
    };
    let mut times = Vec::new();
    // 15 today (a minute apart), 3 a day for the 40 days before.
    for i in 0..15 {
        times.push(now - i * 60);
    }
    for d in 1..=40 {
        for h in 0..3 {
            times.push(now - d * day - h * 3600);
        }
    }
    for t in &times {
        std::fs::write(name(*t), b"x").unwrap();
    }
    std::fs::write(dir.join("notes.txt"), b"keep me").unwrap();
    std::fs::write(dir.join("ringlet-20231114-221320.rbak.tmp"), b"keep").unwrap();
    let removed = backup::rotate(dir, &RotationPolicy::default(), now).unwrap();
    let left: Vec<u64> = backup::list(dir)
        .unwrap()
        .iter()
        .map(|b| b.created)
        .collect();
    // The 10 newest (all today), plus the newest of each of the 29 days before today.
    assert_eq!(left.len(), 10 + 29, "{left:?}");
    assert_eq!(removed.len(), times.len() - left.len());
    assert_eq!(&left[..10], &times[..10]);
    for d in 1..30u64 {
        let newest_of_day = times
            .iter()
            .copied()
            .filter(|t| t / day == (now - d * day) / day)
            .max()
            .unwrap();
        assert!(left.contains(&newest_of_day), "day -{d}");
    }
    assert!(dir.join("notes.txt").exists());
    assert!(dir.join("ringlet-20231114-221320.rbak.tmp").exists());
    // A custom policy.
    let policy = RotationPolicy {
        keep_last: 2,
        daily_days: 0,
    };
    backup::rotate(dir, &policy, now).unwrap();
    assert_eq!(backup::list(dir).unwrap().len(), 2);
    assert!(backup::list(&dir.join("missing")).unwrap().is_empty());
}

/// RFC 4226, appendix D: the secret "12345678901234567890" gives 755224, then 287082.
#[test]
fn hotp_codes_are_saved_as_used_before_they_are_shown() {
    use ringlet_core::hotp::{advance_then_show, HotpError};
    let tmp = tempfile::tempdir().unwrap();
    let vault = new_vault(&tmp.path().join("vault"));
    let mut rfc = account("RFC", "4226", b"12345678901234567890");
    rfc.otp.kind = OtpKind::Hotp { counter: 0 };
    let id = vault.add(&rfc).unwrap();

    let first = advance_then_show(&vault, id).unwrap();
    assert_eq!((first.code.as_str(), first.counter), ("755224", 0));
    assert_eq!(first.entry.account.otp.kind, OtpKind::Hotp { counter: 1 });
    assert_eq!(
        vault.get(id).unwrap().account.otp.kind,
        OtpKind::Hotp { counter: 1 }
    );
    let second = advance_then_show(&vault, id).unwrap();
    assert_eq!((second.code.as_str(), second.counter), ("287082", 1));

    let totp = vault
        .add(&account("Time", "t", b"12345678901234567890"))
        .unwrap();
    assert!(matches!(
        advance_then_show(&vault, totp),
        Err(HotpError::NotHotp)
    ));
    let mut last = rfc.clone();
    last.otp.kind = OtpKind::Hotp { counter: u64::MAX };
    let last = vault.add(&last).unwrap();
    assert!(matches!(
        advance_then_show(&vault, last),
        Err(HotpError::CounterExhausted)
    ));
    assert_eq!(
        vault.get(last).unwrap().account.otp.kind,
        OtpKind::Hotp { counter: u64::MAX },
        "nothing is saved when no code can be shown"
    );
}

/// Flips one bit of the last byte of the header's (only) password slot, its wrapped key,
/// and writes the checksum again: a slot altered on purpose, which the checksum cannot see.
fn alter_password_slot(dir: &Path) {
    const MAC_LEN: usize = 32;
    let path = dir.join(HEADER_FILE);
    let mut bytes = std::fs::read(&path).unwrap();
    let end = bytes.len() - MAC_LEN;
    bytes[end - MAC_LEN - 1] ^= 1;
    let checksum = ring::digest::digest(&ring::digest::SHA256, &bytes[..end]);
    bytes[end..].copy_from_slice(checksum.as_ref());
    std::fs::write(&path, bytes).unwrap();
}

/// A slot altered so that every password reads as wrong is told apart from a forgotten
/// password: the password that opens the vault's newest backup names the damage.
#[test]
fn an_altered_password_slot_is_told_from_a_forgotten_password() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    {
        let vault = new_vault(dir);
        vault.add(&account("A", "a", b"aaaa")).unwrap();
        vault.backup_now().unwrap();
    }
    alter_password_slot(dir);
    assert!(
        matches!(
            Vault::open(dir, PW),
            Err(VaultError::Damaged(Damage::HeaderSlot))
        ),
        "the backup's password must name the damaged slot"
    );
    // A password that opens nothing is still only wrong.
    assert!(matches!(
        Vault::open(dir, b"not the password"),
        Err(VaultError::WrongPassword)
    ));
    // Without a backup there is nothing to tell them apart by.
    std::fs::remove_dir_all(dir.join(BACKUPS_DIR)).unwrap();
    assert!(matches!(
        Vault::open(dir, PW),
        Err(VaultError::WrongPassword)
    ));
}

/// An old password proves nothing about the slot: a backup made before a password change
/// (an older key epoch) is never asked, even when it is the newest file.
#[test]
fn an_old_password_that_opens_an_old_backup_is_still_wrong() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let old_backup = {
        let vault = new_vault(dir);
        vault.add(&account("A", "a", b"aaaa")).unwrap();
        std::fs::read(vault.backup_now().unwrap()).unwrap()
    };
    {
        let mut vault = Vault::open(dir, PW).unwrap();
        vault.change_password(b"new password", None).unwrap();
    }
    // The old backup comes back as the newest file of the folder.
    std::fs::write(
        dir.join(BACKUPS_DIR).join("ringlet-20991231-235959.rbak"),
        old_backup,
    )
    .unwrap();
    assert_eq!(
        backup::list(&dir.join(BACKUPS_DIR)).unwrap()[0].created,
        4_102_444_799
    );
    assert!(matches!(
        Vault::open(dir, PW),
        Err(VaultError::WrongPassword)
    ));
    assert!(Vault::open(dir, b"new password").is_ok());
}

/// A vault whose header is gone is damaged, never an empty folder: creating a vault there
/// is refused and the records stay (a backup's copy of the slot still opens them).
#[test]
fn a_vault_without_its_header_is_never_created_over() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    new_vault(dir).add(&account("A", "a", b"aaaa")).unwrap();
    std::fs::remove_file(dir.join(HEADER_FILE)).unwrap();
    let records = record_bytes(dir);
    assert!(Vault::has_vault_files(dir));
    assert!(matches!(
        Vault::open(dir, PW),
        Err(VaultError::Damaged(Damage::MissingHeader))
    ));
    assert!(matches!(
        Vault::create_with(dir, PW, fast_kdf()),
        Err(VaultError::Damaged(Damage::MissingHeader))
    ));
    assert_eq!(record_bytes(dir), records);
    assert!(dir.join(INDEX_FILE).is_file());
}

/// What a creation that stopped before its header leaves (still marked as a creation) is
/// no vault: it opens as "no vault here", and the next creation starts over.
#[test]
fn an_interrupted_creation_is_started_over() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    drop(new_vault(dir));
    std::fs::remove_file(dir.join(HEADER_FILE)).unwrap();
    std::fs::write(dir.join(CREATING_FILE), b"").unwrap();
    assert!(!Vault::has_vault_files(dir));
    assert!(matches!(Vault::open(dir, PW), Err(VaultError::NotFound)));
    let vault = Vault::create_with(dir, PW, fast_kdf()).unwrap();
    assert!(vault.entries().unwrap().is_empty());
    assert!(
        !dir.join(CREATING_FILE).exists(),
        "the mark goes with the header"
    );
}

/// Every backup is read back and opened with the vault's key before it counts; a damaged
/// file, or one of another vault, does not verify.
#[test]
fn backups_are_verified_with_the_vault_key() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let vault = new_vault(dir);
    vault.add(&account("A", "a", b"aaaa")).unwrap();
    vault.add(&account("B", "b", b"bbbb")).unwrap();
    let path = vault.backup_now().unwrap();
    assert_eq!(vault.verify_backup(&path).unwrap(), 2);
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 40;
    bytes[last] ^= 1;
    let damaged = dir.join("damaged.rbak");
    std::fs::write(&damaged, &bytes).unwrap();
    assert!(matches!(
        vault.verify_backup(&damaged),
        Err(BackupError::Damaged(_))
    ));
    let other_dir = tempfile::tempdir().unwrap();
    let other = new_vault(other_dir.path());
    assert!(
        other.verify_backup(&path).is_err(),
        "another vault's key opens it"
    );
}
