//! `ringlet-cli export` through the real binary: files made 0600, the warning and the
//! confirmation of a plain export, the export password (file, too short, wrong), the vault
//! password refused or the vault in use, files kept unless `--force`, and round trips
//! through `ringlet-cli import` and `restore` into a second vault.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use ringlet_core::vault::Vault;
use serde_json::Value;

use common::accounts::{mix, vault_with};
use common::{run_cli, Run, TestVault};

const PASSWORD: &str = "correct horse battery staple";
const EXPORT_PASSWORD: &str = "export password";

/// A vault holding the mix of `common::accounts` (8 accounts).
struct Setup(TestVault);

impl std::ops::Deref for Setup {
    type Target = TestVault;
    fn deref(&self) -> &TestVault {
        &self.0
    }
}

impl Setup {
    fn new() -> Setup {
        Setup(TestVault::with(PASSWORD, &mix()))
    }

    fn run_on(&self, vault: &Path, password_file: &Path, args: &[&str]) -> Run {
        run_cli(vault, password_file, args)
    }

    /// A second, empty vault: `(folder, password file)`.
    fn other_vault(&self) -> (PathBuf, PathBuf) {
        let dir = self.path("other");
        drop(vault_with(&dir, PASSWORD.as_bytes(), &[]));
        (dir, self.password_file.clone())
    }
}

fn text(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

fn assert_private(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path).expect("written").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{}", path.display());
    }
}

/// `list --json` of a vault, each account's fields but its id, times and order (which a
/// new vault gives anew), sorted; and the code GitHub's account gives at a fixed time,
/// which proves its secret came through.
fn listed(setup: &Setup, vault: &Path) -> (Vec<String>, String) {
    let run = setup.run_on(vault, &setup.password_file, &["list", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let accounts: Vec<Value> = serde_json::from_str(&run.stdout).expect("list --json");
    let mut out: Vec<String> = accounts
        .iter()
        .map(|a| {
            let keep = [
                "issuer",
                "account",
                "type",
                "algorithm",
                "digits",
                "period",
                "counter",
                "tags",
                "note",
                "pinned",
            ];
            let kept: serde_json::Map<String, Value> = keep
                .iter()
                .filter_map(|k| a.get(*k).map(|v| (k.to_string(), v.clone())))
                .collect();
            Value::Object(kept).to_string()
        })
        .collect();
    out.sort();
    let code = setup.run_on(
        vault,
        &setup.password_file,
        &["code", "GitHub", "--at", "1000"],
    );
    assert_eq!(code.code, 0, "{}", code.stderr);
    (out, code.stdout)
}

#[test]
fn a_plain_export_warns_what_it_exposes_and_needs_yes_off_a_terminal() {
    let setup = Setup::new();
    let out = setup.path("accounts.json");
    let refused = setup.run(&["export", "--format", "aegis", "-o", text(&out)]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("warning: ")
            && refused
                .stderr
                .contains("will hold the secret keys of 8 accounts in clear"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("--yes"), "{}", refused.stderr);
    assert!(!out.exists(), "written without confirmation");

    let written = setup.run(&["export", "--format", "aegis", "-o", text(&out), "--yes"]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    assert!(written.stderr.contains("in clear"), "{}", written.stderr);
    assert!(
        written.stdout.contains("Exported 8 accounts"),
        "{}",
        written.stdout
    );
    assert_private(&out);
    assert!(fs::read_to_string(&out)
        .unwrap()
        .contains("GEZDGNBVGY3TQOJQ"));
}

#[test]
fn encrypted_exports_take_their_password_from_a_file_and_import_back_with_it() {
    let setup = Setup::new();
    let password = setup.write("export-password.txt", format!("{EXPORT_PASSWORD}\n"));
    let (other, _) = setup.other_vault();
    for (format, file) in [
        ("aegis-encrypted", "a.json"),
        ("twofas-encrypted", "b.2fas"),
    ] {
        let out = setup.path(file);
        let run = setup.run(&[
            "export",
            "--format",
            format,
            "-o",
            text(&out),
            "--export-password-file",
            text(&password),
        ]);
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        assert!(!run.stderr.contains("in clear"), "{}", run.stderr);
        assert_private(&out);
        assert!(!fs::read_to_string(&out).unwrap().contains("GEZDGNBV"));

        let wrong = setup.write("wrong.txt", "not the password\n");
        let run = setup.run_on(
            &other,
            &setup.password_file,
            &["import", text(&out), "--import-password-file", text(&wrong)],
        );
        assert_ne!(run.code, 0, "{format}: opened with a wrong password");
        assert!(run.stderr.contains("password is wrong"), "{}", run.stderr);
    }
    let run = setup.run_on(
        &other,
        &setup.password_file,
        &[
            "import",
            text(&setup.path("a.json")),
            "--import-password-file",
            text(&password),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Imported 8 accounts"), "{}", run.stdout);
    assert_eq!(listed(&setup, &other), listed(&setup, &setup.vault));
}

#[test]
fn a_short_export_password_is_refused_before_the_vault_is_opened() {
    let setup = Setup::new();
    let short = setup.write("short.txt", "seven77\n");
    let out = setup.path("a.json");
    // A wrong vault password would say "Wrong password." (exit 2): the export password is
    // checked first.
    let wrong_vault = setup.write("wrong-vault.txt", "nope\n");
    let run = setup.run_on(
        &setup.vault,
        &wrong_vault,
        &[
            "export",
            "--format",
            "aegis-encrypted",
            "-o",
            text(&out),
            "--export-password-file",
            text(&short),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("at least 8 characters"),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
    // Off a terminal, no password file: refused, nothing written.
    let run = setup.run(&["export", "--format", "twofas-encrypted", "-o", text(&out)]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("--export-password-file"),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
}

#[test]
fn a_wrong_vault_password_or_a_vault_in_use_writes_nothing() {
    let setup = Setup::new();
    let out = setup.path("links.txt");
    let wrong = setup.write("wrong.txt", "not it\n");
    let run = setup.run_on(
        &setup.vault,
        &wrong,
        &["export", "--format", "uri-list", "-o", text(&out), "--yes"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!out.exists());

    let held = Vault::open(&setup.vault, PASSWORD.as_bytes()).expect("hold the vault open");
    let run = setup.run(&["export", "--format", "uri-list", "-o", text(&out), "--yes"]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(!out.exists());
    drop(held);

    let run = setup.run_on(
        &setup.path("nowhere"),
        &setup.password_file,
        &["export", "--format", "uri-list", "-o", text(&out), "--yes"],
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("No vault"), "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn an_existing_file_is_kept_unless_force() {
    let setup = Setup::new();
    let out = setup.write("links.txt", "mine\n");
    let run = setup.run(&["export", "--format", "uri-list", "-o", text(&out), "--yes"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert_eq!(fs::read_to_string(&out).unwrap(), "mine\n");
    let run = setup.run(&[
        "export",
        "--format",
        "uri-list",
        "-o",
        text(&out),
        "--yes",
        "--force",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(fs::read_to_string(&out).unwrap().lines().count(), 9);
    assert_private(&out);
}

#[test]
fn plain_exports_import_back_through_the_cli() {
    let setup = Setup::new();
    let (other, _) = setup.other_vault();
    let out = setup.path("links.txt");
    let run = setup.run(&["export", "--format", "uri-list", "-o", text(&out), "--yes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = setup.run_on(&other, &setup.password_file, &["import", text(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A list of links carries no tags, notes or pins: everything else matches.
    let (mut want, want_code) = listed(&setup, &setup.vault);
    let untag = |row: &mut String| {
        let mut value: Value = serde_json::from_str(row).unwrap();
        value["tags"] = Value::Array(Vec::new());
        value["note"] = Value::String(String::new());
        value["pinned"] = Value::Bool(false);
        *row = value.to_string();
    };
    want.iter_mut().for_each(untag);
    want.sort();
    assert_eq!(listed(&setup, &other), (want, want_code));
}

#[test]
fn google_qr_writes_numbered_pngs_that_import_back_and_names_what_it_left_out() {
    let setup = Setup::new();
    let (other, _) = setup.other_vault();
    let out = setup.path("codes.png");
    let run = setup.run(&["export", "--format", "google-qr", "-o", text(&out), "--yes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for left in ["Steam (gamer)", "Seven (digits)", "Société Générale"] {
        assert!(
            run.stderr.contains(&format!("note: left out {left}")),
            "{left}: {}",
            run.stderr
        );
    }
    assert!(!out.exists(), "the numbered files only");
    let first = setup.path("codes-1.png");
    assert_private(&first);
    let run = setup.run_on(&other, &setup.password_file, &["import", text(&first)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Imported 5 accounts"), "{}", run.stdout);
}

#[test]
fn a_ringlet_export_restores_into_a_new_vault_with_the_vault_password() {
    let setup = Setup::new();
    let out = setup.path("backup.rbak");
    let run = setup.run(&["export", "--format", "ringlet", "-o", text(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("in clear"), "{}", run.stderr);
    assert_private(&out);
    let password = setup.write("export-password.txt", format!("{EXPORT_PASSWORD}\n"));
    let run = setup.run(&[
        "export",
        "--format",
        "ringlet",
        "-o",
        text(&setup.path("again.rbak")),
        "--export-password-file",
        text(&password),
    ]);
    assert_eq!(
        run.code, 1,
        "a ringlet backup takes the vault's password only"
    );

    let restored = setup.path("restored");
    let run = setup.run_on(&restored, &setup.password_file, &["restore", text(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(listed(&setup, &restored), listed(&setup, &setup.vault));
}

#[test]
fn a_sheet_is_one_private_html_page_with_hostile_labels_escaped() {
    let setup = Setup::new();
    let out = setup.path("sheet.html");
    let run = setup.run(&["export", "--format", "sheet", "-o", text(&out), "--yes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_private(&out);
    let html = fs::read_to_string(&out).unwrap();
    assert!(!html.contains("<script"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_eq!(html.matches("<svg").count(), 8);
}
