//! End-to-end tests of `passwd`, `backup create`, `backup list` and `restore`, and of the
//! "in use" message naming the holder: the real `ringlet-cli` binary against vaults made
//! with fast key derivation.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use ringlet_core::model::{Account, Algorithm, OtpKind, OtpParams, Secret};
use ringlet_core::vault::{backup, Vault, BACKUPS_DIR};
use tempfile::TempDir;

use common::{fast_kdf, run_cli, Run};

const PASSWORD: &str = "correct horse battery staple";

struct Setup {
    temp: TempDir,
    vault: PathBuf,
    password_file: PathBuf,
}

fn account(issuer: &str, secret: &[u8]) -> Account {
    Account::new(
        issuer,
        "user",
        OtpParams {
            secret: Secret::new(secret.to_vec()),
            algorithm: Algorithm::Sha1,
            digits: 6,
            kind: OtpKind::Totp { period: 30 },
        },
    )
}

impl Setup {
    fn new(accounts: &[Account]) -> Setup {
        let temp = tempfile::tempdir().unwrap();
        let vault = temp.path().join("vault");
        let password_file = temp.path().join("pw");
        fs::write(&password_file, format!("{PASSWORD}\n")).unwrap();
        let v = Vault::create_with(&vault, PASSWORD.as_bytes(), fast_kdf()).unwrap();
        v.add_many(accounts).unwrap();
        Setup {
            temp,
            vault,
            password_file,
        }
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.temp.path().join(name);
        fs::write(&path, text).unwrap();
        path
    }

    fn run_with(&self, vault: &Path, password_file: &Path, args: &[&str]) -> Run {
        run_cli(vault, password_file, args)
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_with(&self.vault, &self.password_file, args)
    }

    fn issuers(&self, password: &[u8]) -> Vec<String> {
        let mut out: Vec<String> = Vault::open(&self.vault, password)
            .unwrap()
            .entries()
            .unwrap()
            .into_iter()
            .map(|e| e.account.issuer)
            .collect();
        out.sort();
        out
    }
}

fn ok(run: &Run) {
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn passwd_changes_the_password_only() {
    let setup = Setup::new(&[account("A", b"aaaa"), account("B", b"bbbb")]);
    let new_pw = setup.file("new", "a new password\n");
    let run = setup.run(&["passwd", "--new-password-file", new_pw.to_str().unwrap()]);
    ok(&run);
    assert!(run.stdout.contains("Changed"), "{run:?}");
    let old = setup.run(&["list"]);
    assert_eq!(old.code, 2, "{old:?}");
    let listed = setup.run_with(&setup.vault, &new_pw, &["list"]);
    ok(&listed);
    assert!(listed.stdout.contains('A') && listed.stdout.contains('B'));
    assert_eq!(setup.issuers(b"a new password"), ["A", "B"]);
    // An empty new password is refused and changes nothing.
    let empty = setup.file("empty", "\n");
    let run = setup.run_with(
        &setup.vault,
        &new_pw,
        &["passwd", "--new-password-file", empty.to_str().unwrap()],
    );
    assert_eq!(run.code, 1, "{run:?}");
    ok(&setup.run_with(&setup.vault, &new_pw, &["list"]));
    // So is a short one, unless asked for: the floor is the CLI's, not only the app's.
    let short = setup.file("short", "seven77\n");
    let passwd_to_short = |extra: &[&str]| {
        let mut args = vec!["passwd", "--new-password-file", short.to_str().unwrap()];
        args.extend_from_slice(extra);
        setup.run_with(&setup.vault, &new_pw, &args)
    };
    let refused = passwd_to_short(&[]);
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(
        refused.stderr.contains("at least 8 characters"),
        "{refused:?}"
    );
    ok(&setup.run_with(&setup.vault, &new_pw, &["list"]));
    ok(&passwd_to_short(&["--allow-short-password"]));
    ok(&setup.run_with(&setup.vault, &short, &["list"]));
}

#[test]
fn backup_create_list_and_restore() {
    let setup = Setup::new(&[account("A", b"aaaa"), account("B", b"bbbb")]);
    let empty = setup.run(&["backup", "list"]);
    ok(&empty);
    assert!(empty.stdout.contains("No backups"), "{empty:?}");

    let made = setup.run(&["backup", "create"]);
    ok(&made);
    let path = PathBuf::from(made.stdout.trim());
    assert_eq!(path.parent().unwrap(), setup.vault.join(BACKUPS_DIR));
    assert_eq!(backup::read(&path, PASSWORD.as_bytes()).unwrap().len(), 2);
    let listed = setup.run(&["backup", "list"]);
    ok(&listed);
    assert!(listed.stdout.contains(path.to_str().unwrap()), "{listed:?}");
    assert!(
        listed.stdout.lines().nth(1).unwrap().contains(" 2 "),
        "{listed:?}"
    );

    // Restoring into the same vault adds nothing.
    let run = setup.run(&["restore", path.to_str().unwrap()]);
    ok(&run);
    assert!(run.stdout.contains("Restored 0 accounts"), "{run:?}");
    assert!(run.stdout.contains("2 already in the vault"), "{run:?}");

    // Into a vault that lost one account and has another: only the missing one comes back.
    {
        let vault = Vault::open(&setup.vault, PASSWORD.as_bytes()).unwrap();
        let a = vault.entries().unwrap()[0].id;
        vault.remove(a).unwrap();
        vault.add(&account("C", b"cccc")).unwrap();
    }
    let run = setup.run(&["restore", path.to_str().unwrap()]);
    ok(&run);
    assert!(run.stdout.contains("Restored 1 account."), "{run:?}");
    assert_eq!(setup.issuers(PASSWORD.as_bytes()), ["A", "B", "C"]);

    // A password change re-encrypts the backups in the vault's folder under the new key;
    // a copy kept elsewhere still needs the password it was made with.
    let copy = setup.temp.path().join("copy.rbak");
    fs::copy(&path, &copy).unwrap();
    let new_pw = setup.file("new", "changed it\n");
    let run = setup.run(&["passwd", "--new-password-file", new_pw.to_str().unwrap()]);
    ok(&run);
    assert!(run.stdout.contains("1 backup re-encrypted"), "{run:?}");
    assert!(matches!(
        backup::read(&path, PASSWORD.as_bytes()),
        Err(backup::BackupError::WrongPassword)
    ));
    assert_eq!(backup::read(&path, b"changed it").unwrap().len(), 2);
    let run = setup.run_with(&setup.vault, &new_pw, &["restore", path.to_str().unwrap()]);
    ok(&run);
    assert!(run.stdout.contains("2 already in the vault"), "{run:?}");
    let path = copy;
    let run = setup.run_with(&setup.vault, &new_pw, &["restore", path.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("--backup-password-file"), "{run:?}");
    let run = setup.run_with(
        &setup.vault,
        &new_pw,
        &[
            "restore",
            path.to_str().unwrap(),
            "--backup-password-file",
            setup.password_file.to_str().unwrap(),
        ],
    );
    ok(&run);
    assert!(run.stdout.contains("2 already in the vault"), "{run:?}");

    // Damaged and missing backups.
    let mut bytes = fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    let bad = setup.temp.path().join("bad.rbak");
    fs::write(&bad, &bytes).unwrap();
    let run = setup.run_with(&setup.vault, &new_pw, &["restore", bad.to_str().unwrap()]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.stderr.contains("damaged"), "{run:?}");
    let run = setup.run_with(&setup.vault, &new_pw, &["restore", "/no/such.rbak"]);
    assert_eq!(run.code, 1, "{run:?}");
}

/// On another machine (no vault yet) a backup and its password make a new vault.
/// The new vault is made with calibrated parameters: this test takes a few seconds.
#[test]
fn restore_without_a_vault_creates_one() {
    let setup = Setup::new(&[account("A", b"aaaa"), account("B", b"bbbb")]);
    let made = setup.run(&["backup", "create"]);
    ok(&made);
    let path = made.stdout.trim().to_owned();
    let elsewhere = setup.temp.path().join("elsewhere");
    let wrong = setup.file("wrong", "nope\n");
    let run = setup.run_with(&elsewhere, &wrong, &["restore", &path]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(!Vault::exists(&elsewhere));
    let run = setup.run_with(&elsewhere, &setup.password_file, &["restore", &path]);
    ok(&run);
    assert!(run.stdout.contains("restored 2 accounts"), "{run:?}");
    let vault = Vault::open(&elsewhere, PASSWORD.as_bytes()).unwrap();
    assert_eq!(vault.entries().unwrap().len(), 2);
    assert!(vault.kdf_params().meets_policy());
}

#[test]
fn in_use_names_the_holder() {
    let setup = Setup::new(&[]);
    let held = Vault::open(&setup.vault, PASSWORD.as_bytes()).unwrap();
    let run = setup.run(&["list"]);
    assert_eq!(run.code, 4, "{run:?}");
    assert!(
        run.stderr
            .contains(&format!("process {}", std::process::id())),
        "{run:?}"
    );
    drop(held);
    ok(&setup.run(&["list"]));
}

#[test]
fn recover_rebuilds_a_damaged_vault_and_keeps_the_damaged_folder() {
    let setup = Setup::new(&[account("A", b"aaaa"), account("B", b"bbbb")]);
    let made = setup.run(&["backup", "create"]);
    ok(&made);
    let backup_file = setup.temp.path().join("kept.rbak");
    fs::copy(made.stdout.trim(), &backup_file).unwrap();
    fs::write(
        setup.vault.join("settings.json"),
        r#"{"autoLockSeconds": 600}"#,
    )
    .unwrap();
    // Damage the header: the vault no longer opens.
    let header = setup.vault.join("vault.header");
    let mut bytes = fs::read(&header).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    fs::write(&header, &bytes).unwrap();
    assert_eq!(setup.run(&["list"]).code, 3, "the vault reads as damaged");
    let aside = || -> Vec<PathBuf> {
        fs::read_dir(setup.temp.path())
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.to_string_lossy().contains("vault.damaged-"))
            .collect()
    };

    // A wrong password or a missing file moves nothing.
    let wrong = setup.file("wrong", "not the password\n");
    let refused = setup.run_with(
        &setup.vault,
        &wrong,
        &["recover", backup_file.to_str().unwrap()],
    );
    assert_eq!(refused.code, 2, "{refused:?}");
    let missing = setup.run(&["recover", "/no/such/backup.rbak"]);
    assert_eq!(missing.code, 1, "{missing:?}");
    assert!(aside().is_empty());
    assert_eq!(fs::read(&header).unwrap(), bytes);

    let run = setup.run(&["recover", backup_file.to_str().unwrap()]);
    ok(&run);
    assert!(run.stdout.contains("nothing in it was deleted"), "{run:?}");
    assert!(run.stdout.contains("2 accounts"), "{run:?}");
    let [damaged] = aside().try_into().unwrap_or_else(|all| panic!("{all:?}"));
    assert_eq!(
        fs::read(damaged.join("vault.header")).unwrap(),
        bytes,
        "kept as it was"
    );
    assert_eq!(setup.issuers(PASSWORD.as_bytes()), ["A", "B"]);
    assert_eq!(
        fs::read_to_string(setup.vault.join("settings.json")).unwrap(),
        r#"{"autoLockSeconds": 600}"#,
        "the settings moved into the new vault"
    );
    let backups = fs::read_dir(setup.vault.join(BACKUPS_DIR)).unwrap().count();
    assert!(backups >= 1, "the backups moved into the new vault");
    ok(&setup.run(&["list"]));
}

/// `backup folder PATH`: a copy lands there at once and at each backup; `backup list` says
/// the last verified backup and the folder; a folder gone is one warning in `backup list`
/// while backups go on; the copies resume when it is back; `off` stops them.
#[test]
fn a_second_folder_is_written_warned_about_and_resumed() {
    let setup = Setup::new(&[account("A", b"aaaa"), account("B", b"bbbb")]);
    let stick = setup.temp.path().join("stick");
    let listed = setup.run(&["backup", "list"]);
    ok(&listed);
    assert!(
        listed.stdout.contains("Last verified backup: none yet"),
        "{listed:?}"
    );

    let missing = setup.run(&["backup", "folder", stick.to_str().unwrap()]);
    assert_eq!(missing.code, 1, "a folder that does not exist: {missing:?}");
    assert!(!stick.exists());

    fs::create_dir(&stick).unwrap();
    let set = setup.run(&["backup", "folder", stick.to_str().unwrap()]);
    ok(&set);
    assert!(set.stdout.contains("verified"), "{set:?}");
    let copies = backup::list(&stick).unwrap();
    assert_eq!(copies.len(), 1);
    assert_eq!(
        backup::read(&copies[0].path, PASSWORD.as_bytes())
            .unwrap()
            .len(),
        2
    );
    let listed = setup.run(&["backup", "list"]);
    ok(&listed);
    assert!(
        listed.stdout.contains("Last verified backup: ") && listed.stdout.contains("2 accounts"),
        "{listed:?}"
    );
    assert!(
        listed.stdout.contains(&format!(
            "Second folder: {}",
            stick.canonicalize().unwrap().display()
        )),
        "{listed:?}"
    );
    assert!(!listed.stdout.contains("warning"), "{listed:?}");

    // The stick is pulled out: the backup is made, the warning shows, nothing is created.
    let aside = setup.temp.path().join("stick-away");
    fs::rename(&stick, &aside).unwrap();
    ok(&setup.run(&["backup", "create"]));
    ok(&setup.run(&["backup", "create"]));
    assert!(!stick.exists());
    assert_eq!(
        backup::list(&setup.vault.join(BACKUPS_DIR)).unwrap().len(),
        3
    );
    let listed = setup.run(&["backup", "list"]);
    ok(&listed);
    assert_eq!(listed.stdout.matches("warning:").count(), 1, "{listed:?}");
    assert!(listed.stdout.contains("not reachable"), "{listed:?}");

    // Back: the next backup lands there and the warning is gone.
    fs::rename(&aside, &stick).unwrap();
    ok(&setup.run(&["backup", "create"]));
    assert_eq!(backup::list(&stick).unwrap().len(), 2);
    let listed = setup.run(&["backup", "list"]);
    assert!(!listed.stdout.contains("warning"), "{listed:?}");

    ok(&setup.run(&["backup", "folder", "off"]));
    ok(&setup.run(&["backup", "create"]));
    assert_eq!(backup::list(&stick).unwrap().len(), 2, "no copy once off");
    let inside = setup.run(&[
        "backup",
        "folder",
        setup.vault.join(BACKUPS_DIR).to_str().unwrap(),
    ]);
    assert_eq!(inside.code, 1, "the vault's own backups folder: {inside:?}");
}

/// `backup kit`: 0600, the vault's path and the restore steps, no secret; never over a
/// file; `--with-secrets` warns, asks (refused without a terminal), and with `--yes`
/// carries the keys.
#[test]
fn the_emergency_kit_is_written_once_and_holds_secrets_only_when_asked() {
    let setup = Setup::new(&[account("Kit Bank", b"12345678901234567890")]);
    let key = "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ";
    let page = setup.temp.path().join("kit.html");
    let run = setup.run(&["backup", "kit", "-o", page.to_str().unwrap()]);
    ok(&run);
    let html = fs::read_to_string(&page).unwrap();
    assert!(html.contains(&setup.vault.display().to_string()), "{html}");
    assert!(html.contains("ringlet-cli restore"));
    assert!(!html.contains(key) && !html.contains("Kit Bank"), "{html}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&page).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let again = setup.run(&[
        "backup",
        "kit",
        "-o",
        page.to_str().unwrap(),
        "--with-secrets",
        "--yes",
    ]);
    assert_eq!(again.code, 1, "{again:?}");
    assert_eq!(
        fs::read_to_string(&page).unwrap(),
        html,
        "never overwritten"
    );

    let secret_page = setup.temp.path().join("kit-secrets.html");
    let unasked = setup.run(&[
        "backup",
        "kit",
        "-o",
        secret_page.to_str().unwrap(),
        "--with-secrets",
    ]);
    assert!(unasked.stderr.contains("warning"), "{unasked:?}");
    assert!(!secret_page.exists(), "{unasked:?}");
    let run = setup.run(&[
        "backup",
        "kit",
        "-o",
        secret_page.to_str().unwrap(),
        "--with-secrets",
        "--yes",
    ]);
    ok(&run);
    let html = fs::read_to_string(&secret_page).unwrap();
    assert!(html.contains(key) && html.contains("Kit Bank") && html.contains("<svg"));
}

#[test]
fn the_reminder_is_turned_off_and_on() {
    let setup = Setup::new(&[account("A", b"aaaa")]);
    ok(&setup.run(&["backup", "create"]));
    let status = || backup::status::BackupStatus::load(&setup.vault.join(BACKUPS_DIR));
    assert!(!status().reminder.off);
    ok(&setup.run(&["backup", "reminder", "off"]));
    assert!(status().reminder.off);
    ok(&setup.run(&["backup", "reminder", "on"]));
    assert!(!status().reminder.off);
    assert_eq!(setup.run(&["backup", "reminder", "maybe"]).code, 1);
}
