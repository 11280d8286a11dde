//! Crash safety, proven by killing: the real `ringlet-cli` runs writing commands (`add`,
//! `import` of a file of several links, `code` on an HOTP account, which advances its
//! counter, and `restore`) in a loop and is killed with SIGKILL at random moments spread
//! over the run time of one command. Then the vault must open, hold every account whose
//! `add` printed its id, every import whole or not at all (one import is one change), an
//! HOTP counter at least as far as the codes shown, every restored account once, and
//! nothing damaged.
//!
//! `RINGLET_CRASH_CYCLES` sets the number of cycles (default 40; the full run uses 200+),
//! `RINGLET_CRASH_SEED` the seed of the PRNG (printed, so a failure can be replayed),
//! `RINGLET_CRASH_KEEP` keeps the vault directory for a post-mortem.
//!
//! The upgrade test kills `list` while it opens a copy of a real format-v1 vault
//! (`tests/fixtures/vault-v1`), which upgrades it to v2: afterwards the vault is v1
//! untouched or v2 complete, never in between (`RINGLET_CRASH_UPGRADE_CYCLES`, default 40).
//!
//! The full-disk test mounts a small tmpfs (root only; otherwise it is recorded as not run,
//! with the reason: see `common::not_run`), fills it and checks that writes fail with an
//! error and lose nothing acknowledged.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ringlet_core::model::{Account, Algorithm, OtpKind, OtpParams, Secret};
use ringlet_core::vault::Vault;

use common::{cli_on, copy_dir, env_number, fast_kdf, Rng};

const PASSWORD: &str = "correct horse battery staple";
/// Accounts in each file the harness imports.
const IMPORT_SIZE: usize = 4;

fn account(issuer: &str, secret: &[u8], kind: OtpKind) -> Account {
    Account::new(
        issuer,
        "user",
        OtpParams {
            secret: Secret::new(secret.to_vec()),
            algorithm: Algorithm::Sha1,
            digits: 6,
            kind,
        },
    )
}

fn base32(bytes: &[u8]) -> String {
    data_encoding::BASE32_NOPAD.encode(bytes)
}

fn cli(vault: &Path, password_file: &Path, args: &[&str]) -> Command {
    cli_on(vault, password_file, args)
}

/// What one run printed and how it ended.
struct Outcome {
    /// `Some(code)` when it exited by itself; `None` when the kill got it.
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Starts `command`, kills it after `delay` (SIGKILL; a no-op if it has already exited).
fn run_and_kill(mut command: Command, delay: Duration) -> Outcome {
    let mut child = command.spawn().expect("start ringlet-cli");
    std::thread::sleep(delay);
    let _ = child.kill();
    let output = child.wait_with_output().expect("wait for ringlet-cli");
    Outcome {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn printed_id(stdout: &str) -> Option<String> {
    stdout
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 32 && l.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_owned)
}

#[test]
fn killed_writers_lose_nothing_acknowledged() {
    let cycles = env_number("RINGLET_CRASH_CYCLES", 40);
    let seed = env_number("RINGLET_CRASH_SEED", 0x5EED_0004);
    eprintln!(
        "crash harness: {cycles} cycles, seed {seed:#x} (RINGLET_CRASH_CYCLES, RINGLET_CRASH_SEED)"
    );
    let mut rng = Rng(seed);
    let mut temp = tempfile::tempdir().unwrap();
    if std::env::var_os("RINGLET_CRASH_KEEP").is_some() {
        // For post-mortems: the vault stays on disk after a failure.
        temp.disable_cleanup(true);
        eprintln!("keeping {}", temp.path().display());
    }
    let dir = temp.path().join("vault");
    let password_file = temp.path().join("pw");
    fs::write(&password_file, PASSWORD).unwrap();

    // The vault: one HOTP account whose counter `code` advances.
    {
        let vault = Vault::create_with(&dir, PASSWORD.as_bytes(), fast_kdf()).unwrap();
        vault
            .add(&account(
                "Counter",
                b"hotp-secret-12345",
                OtpKind::Hotp { counter: 0 },
            ))
            .unwrap();
    }
    // A backup of three accounts (another vault, same password) for `restore`.
    let backup = {
        let other = temp.path().join("other");
        let vault = Vault::create_with(&other, PASSWORD.as_bytes(), fast_kdf()).unwrap();
        let restored: Vec<Account> = (0..3u8)
            .map(|i| {
                account(
                    &format!("Restored{i}"),
                    &[i + 100; 20],
                    OtpKind::Totp { period: 30 },
                )
            })
            .collect();
        vault.add_many(&restored).unwrap();
        vault.write_backup(temp.path()).unwrap()
    };
    let backup_arg = backup.to_str().unwrap().to_owned();

    // How long one command takes (median of three), to spread the kills over it.
    let mut acknowledged_ids = Vec::new();
    let mut times = Vec::new();
    for i in 0..3 {
        let started = Instant::now();
        let uri = format!(
            "otpauth://totp/Probe{i}:u?secret={}&issuer=Probe{i}",
            base32(format!("probe-secret-{i:04}").as_bytes())
        );
        let probe = cli(&dir, &password_file, &["add", &uri]).output().unwrap();
        times.push(started.elapsed());
        assert!(probe.status.success(), "{probe:?}");
        acknowledged_ids.push(printed_id(&String::from_utf8_lossy(&probe.stdout)).unwrap());
    }
    times.sort();
    let one_run = times[1].max(Duration::from_millis(5));
    eprintln!("one add takes {one_run:?}");

    let mut attempted_issuers = BTreeSet::new();
    let (mut imports_attempted, mut imports_acknowledged) = (BTreeSet::new(), BTreeSet::new());
    let (mut codes_shown, mut code_attempts, mut restored_ack) = (0u64, 0u64, false);
    let (mut killed, mut finished, mut mid_change) = (0u32, 0u32, 0u32);
    // On a busy machine a run takes longer than the probe said and the kills all land
    // before the writes: after a streak of kills that left nothing pending, the window
    // stretches (up to eight times the probe).
    let (mut window, mut early_streak) = (one_run, 0u32);
    for cycle in 0..cycles {
        // Anywhere in the run time of one command (a share finishes before the kill).
        let delay = Duration::from_micros(rng.below(window.as_micros() as u64 * 5 / 4));
        let op = rng.below(10);
        let (args, kind): (Vec<String>, &str) = match op {
            0..=5 => {
                let issuer = format!("Crash{cycle}");
                attempted_issuers.insert(issuer.clone());
                let secret = base32(format!("crash-secret-{cycle:06}").as_bytes());
                (
                    vec![
                        "add".into(),
                        format!("otpauth://totp/{issuer}:u?secret={secret}&issuer={issuer}"),
                    ],
                    "add",
                )
            }
            6 => {
                let file = temp.path().join(format!("import{cycle}.txt"));
                let links: String = (0..IMPORT_SIZE)
                    .map(|k| {
                        let issuer = format!("Import{cycle}x{k}");
                        let secret = base32(format!("import-{cycle:06}-{k}").as_bytes());
                        format!("otpauth://totp/{issuer}:u?secret={secret}&issuer={issuer}\n")
                    })
                    .collect();
                fs::write(&file, links).unwrap();
                imports_attempted.insert(cycle);
                (
                    vec!["import".into(), file.to_string_lossy().into_owned()],
                    "import",
                )
            }
            7 | 8 => {
                code_attempts += 1;
                (vec!["code".into(), "Counter".into()], "code")
            }
            _ => (vec!["restore".into(), backup_arg.clone()], "restore"),
        };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let outcome = run_and_kill(cli(&dir, &password_file, &args), delay);
        match outcome.code {
            Some(0) => {
                finished += 1;
                early_streak = 0;
            }
            Some(code) => panic!(
                "cycle {cycle} ({kind}): exited {code} without being killed: {}",
                outcome.stderr
            ),
            None => {
                killed += 1;
                if change_pending(&dir) {
                    mid_change += 1;
                    early_streak = 0;
                } else {
                    early_streak += 1;
                }
            }
        }
        if early_streak >= 6 && window < one_run * 8 {
            window = window * 3 / 2;
            early_streak = 0;
        }
        match kind {
            "add" => {
                if let Some(id) = printed_id(&outcome.stdout) {
                    acknowledged_ids.push(id);
                }
            }
            "code" => {
                if outcome
                    .stdout
                    .lines()
                    .any(|l| l.trim().len() == 6 && l.trim().bytes().all(|b| b.is_ascii_digit()))
                {
                    codes_shown += 1;
                }
            }
            "import" => {
                if outcome
                    .stdout
                    .contains(&format!("Imported {IMPORT_SIZE} accounts."))
                {
                    imports_acknowledged.insert(cycle);
                }
            }
            _ => restored_ack |= outcome.stdout.contains("Restored"),
        }
    }
    eprintln!(
        "{killed} killed ({mid_change} inside a change: the index left pending), {finished} \
         finished; {} adds acknowledged, {codes_shown} of {code_attempts} codes shown, restore \
         acknowledged: {restored_ack}",
        acknowledged_ids.len()
    );
    // How many kills landed between the index's pending step and its commit is reported,
    // not asserted: one in five cycles on an idle machine, but none at all in some runs on
    // a loaded one (the window is a few milliseconds). The password-change harness below,
    // whose change is long, asserts that its kills land inside it.

    // The CLI opens it and lists everything.
    let listed = cli(&dir, &password_file, &["list", "--json"])
        .output()
        .unwrap();
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let vault = Vault::open(&dir, PASSWORD.as_bytes()).unwrap();
    assert!(vault.damaged_records().unwrap().is_empty());
    let entries = vault.entries().unwrap();
    let ids: BTreeSet<String> = entries.iter().map(|e| e.id.to_string()).collect();
    for id in &acknowledged_ids {
        assert!(ids.contains(id), "acknowledged account {id} is missing");
    }
    let mut issuers = BTreeSet::new();
    for entry in &entries {
        let issuer = &entry.account.issuer;
        assert!(issuers.insert(issuer.clone()), "{issuer} is there twice");
        assert!(
            issuer == "Counter"
                || issuer.starts_with("Probe")
                || issuer.starts_with("Import")
                || issuer.starts_with("Restored")
                || attempted_issuers.contains(issuer),
            "unexpected account {issuer}"
        );
    }
    let counter = entries
        .iter()
        .find(|e| e.account.issuer == "Counter")
        .and_then(|e| e.account.otp.kind.counter())
        .unwrap();
    assert!(
        counter >= codes_shown && counter <= code_attempts,
        "counter {counter}: {codes_shown} codes shown of {code_attempts} attempts"
    );
    // One import is one change: all of a file's accounts, or none of them.
    for cycle in &imports_attempted {
        let present = (0..IMPORT_SIZE)
            .filter(|k| issuers.contains(&format!("Import{cycle}x{k}")))
            .count();
        assert!(
            present == 0 || present == IMPORT_SIZE,
            "import of cycle {cycle} left {present} of {IMPORT_SIZE} accounts"
        );
        if imports_acknowledged.contains(cycle) {
            assert_eq!(present, IMPORT_SIZE, "acknowledged import of cycle {cycle}");
        }
    }
    eprintln!(
        "{} imports attempted, {} acknowledged",
        imports_attempted.len(),
        imports_acknowledged.len()
    );
    if restored_ack {
        for i in 0..3 {
            assert!(
                issuers.contains(&format!("Restored{i}")),
                "Restored{i} missing"
            );
        }
    }
}

/// Unmounts the tmpfs when the test ends, however it ends.
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn full_disk_loses_nothing_acknowledged() {
    let temp = tempfile::tempdir().unwrap();
    let mount_point = temp.path().join("small");
    fs::create_dir(&mount_point).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=4m", "tmpfs"])
        .arg(&mount_point)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output();
    match mounted {
        Ok(output) if output.status.success() => {}
        Ok(output) => {
            common::not_run(&format!(
                "cannot mount a tmpfs here, which needs root ({})",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
            return;
        }
        Err(error) => {
            common::not_run(&format!("no `mount` to mount a tmpfs ({error})"));
            return;
        }
    }
    let _mount = Mount(mount_point.clone());
    let dir = mount_point.join("vault");
    let password_file = temp.path().join("pw");
    fs::write(&password_file, PASSWORD).unwrap();
    drop(Vault::create_with(&dir, PASSWORD.as_bytes(), fast_kdf()).unwrap());

    // Fill the file system completely.
    let filler_path = mount_point.join("filler");
    let mut filler = fs::File::create(&filler_path).unwrap();
    let chunk = vec![0xA5u8; 4096];
    while filler.write_all(&chunk).is_ok() {}
    let _ = filler.write_all(&[0]);
    let _ = filler.sync_all();
    let full = filler.metadata().unwrap().len();

    let mut acknowledged = Vec::new();
    let (mut failures, mut n) = (0, 0);
    // Free a little more room each round: writes fail at different points.
    // (sled grows its data file by a 512 KiB segment at a time.)
    for free in [
        0u64, 512, 4096, 65536, 262144, 524288, 540672, 557056, 786432, 1048576,
    ] {
        filler.set_len(full.saturating_sub(free)).unwrap();
        for _ in 0..3 {
            n += 1;
            let issuer = format!("Full{n}");
            let uri = format!(
                "otpauth://totp/{issuer}:u?secret={}&issuer={issuer}",
                base32(format!("full-secret-{n:04}").as_bytes())
            );
            let output = cli(&dir, &password_file, &["add", &uri]).output().unwrap();
            let stdout = String::from_utf8_lossy(&output.stdout);
            let stderr = String::from_utf8_lossy(&output.stderr);
            match output.status.code() {
                Some(0) => acknowledged.push(printed_id(&stdout).expect("an id")),
                Some(3) => {
                    if failures == 0 {
                        eprintln!("first refused add ({free} bytes freed): {}", stderr.trim());
                    }
                    failures += 1;
                    assert!(printed_id(&stdout).is_none());
                    assert!(
                        stderr.contains("space")
                            || stderr.contains("read or write")
                            || stderr.contains("damaged"),
                        "{stderr}"
                    );
                }
                other => panic!("add on a full disk: exit {other:?}: {stderr}"),
            }
        }
    }
    eprintln!(
        "full disk: {} adds acknowledged, {failures} refused",
        acknowledged.len()
    );
    assert!(failures > 0, "the disk never filled up");

    // With room again, every acknowledged account is there and nothing is damaged.
    drop(filler);
    fs::remove_file(&filler_path).unwrap();
    let vault = Vault::open(&dir, PASSWORD.as_bytes()).unwrap();
    let ids: BTreeSet<String> = vault
        .entries()
        .unwrap()
        .iter()
        .map(|e| e.id.to_string())
        .collect();
    for id in &acknowledged {
        assert!(ids.contains(id), "acknowledged account {id} is missing");
    }
    // And it still takes writes.
    vault
        .add(&account(
            "After",
            b"after-secret",
            OtpKind::Totp { period: 30 },
        ))
        .unwrap();
}

/// True when `vault.index` (format v2) names a pending change: a kill landed after the
/// index's first write of a change and before its commit.
fn change_pending(dir: &Path) -> bool {
    let bytes = fs::read(dir.join("vault.index")).unwrap_or_default();
    let be32 = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_be_bytes(b.try_into().unwrap()) as usize)
    };
    // magic, version, vault id, key epoch, device id, clock, generation: 66 bytes; then
    // the record count, the records (key 17 + hash 32), the pending count.
    let Some(records) = be32(66) else {
        return false;
    };
    be32(70 + records * 49).is_some_and(|pending| pending > 0)
}

fn index_version(dir: &Path) -> u16 {
    let bytes = fs::read(dir.join("vault.index")).unwrap();
    u16::from_be_bytes([bytes[8], bytes[9]])
}

#[test]
fn killed_upgrade_leaves_v1_untouched_or_v2_complete() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/vault-v1");
    let cycles = env_number("RINGLET_CRASH_UPGRADE_CYCLES", 40);
    let seed = env_number("RINGLET_CRASH_SEED", 0x5EED_0004);
    let mut rng = Rng(seed ^ 0xABCD);
    let temp = tempfile::tempdir().unwrap();
    let password_file = fixture.join("password");
    let password = fs::read(&password_file).unwrap();
    let v1_index = fs::read(fixture.join("vault/vault.index")).unwrap();
    let expected: serde_json::Value =
        serde_json::from_slice(&fs::read(fixture.join("expected.json")).unwrap()).unwrap();
    let mut wanted: Vec<(String, String, String)> = expected["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["issuer"].as_str().unwrap().to_owned(),
                a["name"].as_str().unwrap().to_owned(),
                a["codes"][0].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    wanted.sort();

    // How long one whole upgrade takes, to spread the kills over it.
    let probe = temp.path().join("probe");
    copy_dir(&fixture.join("vault"), &probe);
    let started = Instant::now();
    let out = cli(&probe, &password_file, &["list"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let whole = started.elapsed();
    assert_eq!(index_version(&probe), 2);
    eprintln!("upgrade harness: {cycles} cycles, one upgrade takes {whole:?}");

    let (mut stayed_v1, mut became_v2) = (0, 0);
    // On a busy machine a run takes longer than the probe said and every kill lands before
    // the upgrade commits: after a streak of such kills the window stretches (up to eight
    // times the probe), as in the writers' harness.
    let (mut window, mut early_streak) = (whole, 0u32);
    for cycle in 0..cycles {
        let dir = temp.path().join(format!("v{cycle}"));
        copy_dir(&fixture.join("vault"), &dir);
        let delay = Duration::from_micros(rng.below(window.as_micros() as u64 * 6 / 5));
        run_and_kill(cli(&dir, &password_file, &["list"]), delay);
        match index_version(&dir) {
            1 => {
                assert!(
                    fs::read(dir.join("vault.index")).unwrap() == v1_index,
                    "cycle {cycle}: v1 index changed"
                );
                stayed_v1 += 1;
                early_streak += 1;
            }
            2 => {
                became_v2 += 1;
                early_streak = 0;
            }
            other => panic!("cycle {cycle}: index version {other}"),
        }
        if early_streak >= 4 && window < whole * 8 {
            window = window * 3 / 2;
            early_streak = 0;
        }
        // Either way it opens (upgrading now if it was still v1) with every account whole.
        let vault = Vault::open(&dir, &password)
            .unwrap_or_else(|e| panic!("cycle {cycle} (delay {delay:?}): {e}"));
        let mut got: Vec<(String, String, String)> = vault
            .entries()
            .unwrap()
            .into_iter()
            .map(|e| {
                let code = match e.account.otp.kind {
                    OtpKind::Hotp { .. } => ringlet_core::otp::generate(&e.account.otp, 0),
                    _ => ringlet_core::otp::generate(&e.account.otp, 59),
                }
                .unwrap();
                (e.account.issuer, e.account.name, code)
            })
            .collect();
        got.sort();
        assert_eq!(got, wanted, "cycle {cycle} (delay {delay:?})");
        drop(vault);
        fs::remove_dir_all(&dir).unwrap();
    }
    eprintln!("upgrade harness: {stayed_v1} kills left v1, {became_v2} found v2 complete");
    // Both sides of the commit were reached, or the kills missed the upgrade.
    assert!(
        stayed_v1 > 0 && became_v2 > 0,
        "{stayed_v1} v1, {became_v2} v2"
    );
}

/// The files an interrupted password change may leave before the next open tidies them.
fn staged_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if dir.join("vault.index.next").exists() {
        out.push(dir.join("vault.index.next"));
    }
    if let Ok(entries) = fs::read_dir(dir.join("backups")) {
        for entry in entries.flatten() {
            if entry.path().to_string_lossy().ends_with(".next") {
                out.push(entry.path());
            }
        }
    }
    out
}

#[test]
fn killed_password_changes_leave_one_password_and_every_account() {
    use ringlet_core::model::{RecoveryCode, RecoveryCodes};
    use ringlet_core::vault::backup;

    let cycles = env_number("RINGLET_CRASH_PASSWD_CYCLES", 30);
    let seed = env_number("RINGLET_CRASH_SEED", 0x5EED_0004);
    let mut rng = Rng(seed ^ 0x9A55);
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("vault");
    let codes = RecoveryCodes {
        codes: vec![RecoveryCode {
            code: "1234-5678".into(),
            used: false,
        }],
    };
    let mut wanted: Vec<(String, String)> = Vec::new();
    // Enough records and backups that re-sealing them takes a good part of a run, so that
    // kills land inside the change, not only before or after it.
    const ACCOUNTS: usize = 300;
    {
        let vault = Vault::create_with(&dir, b"password-0", fast_kdf()).unwrap();
        let mut accounts: Vec<Account> = Vec::new();
        for i in 0..ACCOUNTS as u64 {
            let kind = if i % 3 == 0 {
                OtpKind::Hotp { counter: i }
            } else {
                OtpKind::Totp { period: 30 }
            };
            let account = account(
                &format!("Issuer {i}"),
                format!("pw-secret-{i}").as_bytes(),
                kind,
            );
            let code = ringlet_core::otp::generate(&account.otp, 59).unwrap();
            wanted.push((account.issuer.clone(), code));
            accounts.push(account);
        }
        let ids = vault.add_many(&accounts).unwrap();
        vault.set_recovery_codes(ids[1], &codes).unwrap();
        for _ in 0..4 {
            vault.backup_now().unwrap();
        }
    }
    wanted.sort();
    let password_file = |n: usize| {
        let path = temp.path().join(format!("password-{n}"));
        fs::write(&path, format!("password-{n}")).unwrap();
        path
    };

    // How long one whole change takes, on a copy.
    let probe = temp.path().join("probe");
    copy_dir(&dir, &probe);
    let started = Instant::now();
    let out = cli(
        &probe,
        &password_file(0),
        &[
            "passwd",
            "--new-password-file",
            password_file(99).to_str().unwrap(),
        ],
    )
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let whole = started.elapsed();
    eprintln!("password-change harness: {cycles} cycles, one change takes {whole:?}");

    let mut current = 0usize;
    let (mut kept_old, mut took_new, mut staged_seen) = (0, 0, 0);
    // On a busy machine a change takes longer than the probe said and every kill lands
    // before the commit (seen: a 72 ms probe, then 30 kills that all kept the old password):
    // after a streak of such kills the window stretches (up to eight times the probe), as in
    // the writers' harness.
    let (mut window, mut early_streak) = (whole, 0u32);
    for cycle in 0..cycles as usize {
        let next = cycle + 1;
        let delay = Duration::from_micros(rng.below(window.as_micros() as u64 * 6 / 5));
        run_and_kill(
            cli(
                &dir,
                &password_file(current),
                &[
                    "passwd",
                    "--new-password-file",
                    password_file(next).to_str().unwrap(),
                ],
            ),
            delay,
        );
        if !staged_files(&dir).is_empty() {
            staged_seen += 1;
        }
        let vault = match Vault::open(&dir, format!("password-{next}").as_bytes()) {
            Ok(vault) => {
                took_new += 1;
                current = next;
                early_streak = 0;
                vault
            }
            Err(ringlet_core::vault::VaultError::WrongPassword) => {
                kept_old += 1;
                early_streak += 1;
                if early_streak >= 4 && window < whole * 8 {
                    window = window * 3 / 2;
                    early_streak = 0;
                }
                Vault::open(&dir, format!("password-{current}").as_bytes()).unwrap_or_else(|e| {
                    panic!("cycle {cycle} (delay {delay:?}): neither password opens: {e}")
                })
            }
            Err(e) => panic!("cycle {cycle} (delay {delay:?}): {e}"),
        };
        let entries = vault.entries().unwrap();
        let mut got: Vec<(String, String)> = entries
            .iter()
            .map(|e| {
                (
                    e.account.issuer.clone(),
                    ringlet_core::otp::generate(&e.account.otp, 59).unwrap(),
                )
            })
            .collect();
        got.sort();
        assert_eq!(got, wanted, "cycle {cycle} (delay {delay:?})");
        let with_codes = entries
            .iter()
            .find(|e| e.account.issuer == "Issuer 1")
            .unwrap();
        assert_eq!(
            vault.recovery_codes(with_codes.id).unwrap(),
            codes,
            "cycle {cycle}"
        );
        assert!(vault.damaged_records().unwrap().is_empty());
        drop(vault);
        // The open finished or undid the change: nothing staged is left, and every backup
        // opens with the password that opens the vault.
        assert_eq!(staged_files(&dir), Vec::<PathBuf>::new(), "cycle {cycle}");
        for info in backup::list(&dir.join("backups")).unwrap() {
            let read = backup::read(&info.path, format!("password-{current}").as_bytes());
            assert_eq!(
                read.map(|e| e.len()).ok(),
                Some(ACCOUNTS),
                "cycle {cycle}: {}",
                info.path.display()
            );
        }
    }
    eprintln!(
        "password-change harness: {kept_old} kills kept the old password, {took_new} found the new one, {staged_seen} left staged files"
    );
    // Both sides of the commit were reached, or the kills missed the change.
    assert!(
        kept_old > 0 && took_new > 0,
        "{kept_old} old, {took_new} new"
    );
}
