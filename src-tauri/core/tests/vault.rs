//! Integration tests of the encrypted vault (format v1).
//!
//! All but one use `KdfParams::fast_for_tests()`; `create_meets_policy` runs the real
//! calibration. Records are tampered with by opening the vault's sled database directly.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use ringlet_core::model::{Account, AccountId, Algorithm, OtpKind, OtpParams, Secret};
use ringlet_core::vault::{KdfParams, Vault, VaultError, HEADER_FILE, RECORDS_DIR};

const PW: &[u8] = b"correct horse battery staple";

fn account(issuer: &str, name: &str, secret: &[u8]) -> Account {
    Account {
        issuer: issuer.to_string(),
        name: name.to_string(),
        otp: OtpParams {
            secret: Secret::new(secret.to_vec()),
            algorithm: Algorithm::Sha1,
            digits: 6,
            kind: OtpKind::Totp { period: 30 },
        },
    }
}

fn new_vault(dir: &Path) -> Vault {
    Vault::create_with(dir, PW, KdfParams::fast_for_tests()).unwrap()
}

/// Every file under `dir`, by path, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Runs `f` on the vault's `records` tree with the vault closed.
fn with_records<T>(dir: &Path, f: impl FnOnce(&sled::Tree) -> T) -> T {
    let db = sled::open(dir.join(RECORDS_DIR)).unwrap();
    let tree = db.open_tree("records").unwrap();
    let out = f(&tree);
    tree.flush().unwrap();
    out
}

fn raw_record(dir: &Path, id: AccountId) -> Vec<u8> {
    with_records(dir, |t| t.get(id.as_bytes()).unwrap().unwrap().to_vec())
}

fn set_raw_record(dir: &Path, id: AccountId, value: &[u8]) {
    with_records(dir, |t| {
        t.insert(id.as_bytes(), value).unwrap();
    });
}

fn assert_damaged<T: std::fmt::Debug>(result: Result<T, VaultError>, what: &str) -> String {
    match result {
        Err(VaultError::Damaged(text)) => text,
        other => panic!("{what}: expected Damaged, got {other:?}"),
    }
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
        Vault::create_with(&dir, PW, KdfParams::fast_for_tests()),
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
            let vault = Vault::open(dir, PW).unwrap();
            let text = assert_damaged(vault.get(victim), &format!("offset {offset}"));
            assert!(text.contains(&victim.to_string()), "{text}");
            assert_damaged(vault.entries(), "entries");
            assert_eq!(vault.damaged_records().unwrap(), vec![victim]);
            assert_eq!(vault.get(other).unwrap().account.issuer, "Other");
        }
    }
    for bad in [
        &original[..len - 1],
        &original[..20],
        &original[..1],
        &[][..],
    ] {
        set_raw_record(dir, victim, bad);
        let vault = Vault::open(dir, PW).unwrap();
        assert_damaged(vault.get(victim), "truncated");
    }
    // A damaged record can still be removed, and the vault is healthy again.
    let vault = Vault::open(dir, PW).unwrap();
    vault.remove(victim).unwrap();
    assert_eq!(vault.entries().unwrap().len(), 1);
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
        t.remove(id.as_bytes()).unwrap();
        t.insert(moved.as_bytes(), value.as_slice()).unwrap();
    });
    let vault = Vault::open(dir, PW).unwrap();
    let text = assert_damaged(vault.get(moved), "moved record");
    assert!(text.contains(&moved.to_string()));
    assert!(matches!(vault.get(id), Err(VaultError::AccountNotFound(_))));
    drop(vault);
    // A key that is not 16 bytes long.
    with_records(dir, |t| {
        t.insert([1u8; 15], value.as_slice()).unwrap();
    });
    assert_damaged(Vault::open(dir, PW).unwrap().entries(), "short key");
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
    let vault = Vault::open(dir, PW).unwrap();
    assert_damaged(vault.get(a), "a");
    assert_damaged(vault.get(b), "b");
    let mut damaged = vault.damaged_records().unwrap();
    damaged.sort();
    let mut both = vec![a, b];
    both.sort();
    assert_eq!(damaged, both);
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
    let vault = Vault::open(&two, PW).unwrap();
    assert_damaged(vault.get(foreign), "same id");
    assert_damaged(vault.get(own), "other id");
    drop(vault);

    // The whole record database of another vault.
    let three = tmp.path().join("three");
    drop(new_vault(&three));
    std::fs::remove_dir_all(three.join(RECORDS_DIR)).unwrap();
    copy_dir(&one.join(RECORDS_DIR), &three.join(RECORDS_DIR));
    let text = assert_damaged(Vault::open(&three, PW), "foreign database");
    assert!(text.contains("another vault"), "{text}");

    // No record database at all.
    std::fs::remove_dir_all(three.join(RECORDS_DIR)).unwrap();
    assert_damaged(Vault::open(&three, PW), "missing database");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn flipped_header_bytes_never_open() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = new_vault(dir).add(&account("H", "h", b"hhhh")).unwrap();
    let path = dir.join(HEADER_FILE);
    let original = std::fs::read(&path).unwrap();
    assert_eq!(original.len(), 180);
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
    let text = assert_damaged(Vault::open(dir, PW), "mac edit");
    assert!(text.contains("integrity"), "{text}");

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
    let err = Vault::open(dir, PW).unwrap().get(id).unwrap_err();
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
        format!("The vault is damaged: record {id} failed its integrity check.")
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

    // Slot parameters sit right after magic, version, vault id, slot count and slot kind.
    let header = std::fs::read(dir.join(HEADER_FILE)).unwrap();
    let word = |at: usize| u32::from_be_bytes(header[at..at + 4].try_into().unwrap());
    let params = KdfParams {
        memory_kib: word(28),
        iterations: word(32),
        parallelism: word(36),
    };
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
    assert!(create_time.as_secs_f64() < 5.0, "{create_time:?}");
}

#[test]
fn corrupted_database_file_never_yields_wrong_data() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let expected = {
        let vault = new_vault(dir);
        for i in 0..3u8 {
            vault
                .add(&account(&format!("Issuer{i}"), "user", &[i; 20]))
                .unwrap();
        }
        vault.entries().unwrap()
    };
    let db_file = dir.join(RECORDS_DIR).join("db");
    let original = std::fs::read(&db_file).unwrap();
    // The file is mostly zero padding: aim at the part that holds data.
    let used = original.iter().rposition(|&b| b != 0).unwrap_or(0) + 1;
    let step = (used / 60).max(1);
    let (mut refused, mut intact, mut fewer) = (0, 0, 0);
    for offset in (0..used).step_by(step) {
        let mut bad = original.clone();
        bad[offset] ^= 0x55;
        std::fs::write(&db_file, &bad).unwrap();
        let outcome = Vault::open(dir, PW).and_then(|vault| vault.entries());
        if let Ok(entries) = outcome {
            // sled may recover by dropping a damaged tail of its log: fewer entries is
            // acceptable, a changed one is not.
            for entry in &entries {
                let same = expected.iter().find(|e| e.id == entry.id);
                assert_eq!(Some(entry), same, "flip at {offset}");
            }
            if entries.len() < expected.len() {
                fewer += 1;
            }
            intact += 1;
        } else {
            refused += 1;
        }
        std::fs::write(&db_file, &original).unwrap();
    }
    eprintln!(
        "database flips: {refused} refused, {intact} read back correct data \
         ({fewer} of them with records missing)"
    );
}
