//! `ringlet-cli import` of other authenticator apps' files (`--format`,
//! `--import-password-file`) and `ringlet-cli formats`, through the real binary.
//!
//! Encrypted files come from `shared/fixtures/aegis-importers` (read there, never copied);
//! without that folder those tests are recorded as not run. Plain files are written here.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use common::{test_cli, TestVault};

const PASSWORD: &str = "correct horse battery staple";

/// A 2FAS backup (schema 4) of two accounts, one in a group.
const TWOFAS: &str = r#"{"services":[
    {"name":"Forge","secret":"JBSWY3DPEHPK3PXP","groupId":"g","otp":{"account":"ada","digits":6,"period":30,"algorithm":"SHA1","tokenType":"TOTP"}},
    {"name":"Bank","secret":"GEZDGNBVGY3TQOJQ","otp":{"account":"bob","digits":8,"algorithm":"SHA256","counter":4,"tokenType":"HOTP"}},
    {"name":"Yandex","secret":"GEZDGNBVGY3TQOJQ","otp":{"account":"y","tokenType":"YAOTP"}}
],"groups":[{"id":"g","name":"Work"}],"schemaVersion":4,"appOrigin":"android"}"#;

struct Setup(TestVault);

impl Setup {
    fn new() -> Setup {
        Setup(TestVault::with(PASSWORD, &[]))
    }

    fn write(&self, name: &str, content: &[u8]) -> PathBuf {
        self.0.write(name, content)
    }

    /// Runs the CLI on this vault, standard input closed (not a terminal).
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let run = self.0.run(args);
        (run.code, run.stdout, run.stderr)
    }

    fn accounts(&self) -> Vec<Value> {
        let (code, stdout, stderr) = self.run(&["list", "--json"]);
        assert_eq!(code, 0, "{stderr}");
        serde_json::from_str::<Vec<Value>>(&stdout).expect("list --json")
    }
}

fn text(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

#[test]
fn formats_lists_every_reader_by_id_and_what_is_written() {
    let output = test_cli().arg("formats").output().expect("run");
    assert!(output.status.success());
    let listed = String::from_utf8_lossy(&output.stdout);
    for id in [
        "aegis",
        "twofas",
        "andotp",
        "stratum",
        "bitwarden",
        "proton",
        "ente",
        "otpauth",
        "qr",
        "freeotp-xml",
        "freeotp-backup",
        "battlenet",
        "duo",
        "totp-authenticator",
        "authenticator-plus",
        "google-authenticator-db",
        "microsoft-authenticator",
        "stratum-db",
        "lastpass",
        "winauth",
    ] {
        assert!(
            listed.lines().any(|l| l.trim_start().starts_with(id)),
            "{id} missing:\n{listed}"
        );
    }
    assert!(
        listed
            .lines()
            .any(|l| l.trim_start().starts_with("ringlet ")
                && l.trim_end()
                    .ends_with(" Ringlet backup (ringlet-cli restore FILE)")),
        "{listed}"
    );
    // The names of what is read start in one column, whatever the longest id.
    let read: Vec<&str> = listed
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("Written"))
        .collect();
    let name_columns: std::collections::BTreeSet<usize> = read
        .iter()
        .map(|l| {
            let id_end = 2 + l[2..].find(' ').unwrap_or(0);
            id_end + l[id_end..].len() - l[id_end..].trim_start().len()
        })
        .collect();
    assert_eq!(name_columns.len(), 1, "names not in one column:\n{listed}");
    for id in ringlet_core::export::export_ids() {
        assert!(
            listed
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("{id} "))),
            "{id} not listed as written:\n{listed}"
        );
    }
}

#[test]
fn a_plain_export_of_another_app_is_imported_with_its_problems_named() {
    let setup = Setup::new();
    let file = setup.write("backup.2fas", TWOFAS.as_bytes());
    let (code, stdout, stderr) = setup.run(&["import", text(&file)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Imported 2 accounts."), "{stdout}");
    assert!(
        stderr.contains("item 3:") && stderr.contains("are not supported"),
        "{stderr}"
    );
    let accounts = setup.accounts();
    assert!(accounts
        .iter()
        .any(|a| a["issuer"] == "Bank" && a["counter"] == 4));
}

#[test]
fn format_forces_one_reader_and_refuses_other_files() {
    let setup = Setup::new();
    let file = setup.write("backup.json", TWOFAS.as_bytes());
    let (code, stdout, stderr) = setup.run(&["import", "--format", "twofas", text(&file)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Imported 2 accounts."), "{stdout}");

    let (code, stdout, stderr) = setup.run(&["import", text(&file), "--format=aegis"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stderr.contains("this file is not of the kind chosen (Aegis backup)"),
        "{stderr}"
    );

    let (code, _, stderr) = setup.run(&["import", text(&file), "--format", "keepass"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("Unknown format"), "{stderr}");
}

#[test]
fn an_encrypted_export_opens_with_the_import_password_file() {
    let Some(fixtures) = common::shared("fixtures/aegis-importers") else {
        return;
    };
    let setup = Setup::new();
    let file = fixtures.join("aegis_encrypted.json");

    // No password file and no terminal: refused, saying how to give it.
    let (code, _, stderr) = setup.run(&["import", text(&file)]);
    assert_eq!(code, 1);
    assert!(stderr.contains("--import-password-file"), "{stderr}");
    assert!(setup.accounts().is_empty());

    let wrong = setup.write("wrong.txt", b"nope\n");
    let (code, _, stderr) = setup.run(&[
        "import",
        text(&file),
        "--import-password-file",
        text(&wrong),
    ]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("the password is wrong for this Aegis backup"),
        "{stderr}"
    );
    assert!(setup.accounts().is_empty());

    let right = setup.write("right.txt", b"test\n");
    let (code, stdout, stderr) = setup.run(&[
        "import",
        text(&file),
        "--import-password-file",
        text(&right),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Imported 7 accounts."), "{stdout}");
    assert_eq!(setup.accounts().len(), 7);
}

#[test]
fn every_readable_fixture_imports_through_the_cli() {
    let Some(fixtures) = common::shared("fixtures/aegis-importers") else {
        return;
    };
    let expected: Value = serde_json::from_str(
        &fs::read_to_string(fixtures.join("expected.json")).expect("expected.json"),
    )
    .expect("JSON");
    for (file, count) in [
        ("2fas_authenticator_encrypted_v4.2fas", 5),
        ("andotp_encrypted.bin", 7),
        ("stratum_encrypted_legacy.bin", 7),
        ("bitwarden.csv", 4),
        ("ente_auth.txt", 7),
        ("proton_authenticator.json", 3),
        ("freeotp.xml", 4),
        ("freeotp_v2_api34.xml", 6),
        ("battle_net_authenticator.xml", 1),
        ("duo.json", 2),
        ("totp_authenticator.bin", 3),
        ("totp_authenticator_internal.xml", 3),
        ("authenticator_plus.zip", 7),
        ("google_authenticator.sqlite", 6),
        ("microsoft_authenticator.sqlite", 7),
        ("stratum_internal.db", 7),
    ] {
        let setup = Setup::new();
        let mut args = vec!["import".to_owned(), text(&fixtures.join(file)).to_owned()];
        if let Some(password) = expected["files"][file]["password"].as_str() {
            let path = setup.write("import-password.txt", format!("{password}\n").as_bytes());
            args.extend(["--import-password-file".to_owned(), text(&path).to_owned()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, stdout, stderr) = setup.run(&args);
        assert_eq!(code, 0, "{file}: {stderr}");
        assert!(
            stdout.contains(&format!(
                "Imported {count} account{}.",
                if count == 1 { "" } else { "s" }
            )),
            "{file}: {stdout}"
        );
        assert!(stderr.is_empty(), "{file}: {stderr}");
    }
}

#[test]
fn a_hostile_kdf_cost_is_refused_naming_the_limit_and_adds_nothing() {
    let setup = Setup::new();
    // An Aegis export whose password slot asks scrypt for N = 2^30 (128 GiB at r = 8).
    let hostile = r#"{"version":1,"header":{"slots":[{"type":1,"uuid":"u","key":"00","key_params":{"nonce":"000000000000000000000000","tag":"00000000000000000000000000000000"},"n":1073741824,"r":8,"p":1,"salt":"00"}],"params":{"nonce":"000000000000000000000000","tag":"00000000000000000000000000000000"}},"db":"AAAA"}"#;
    let file = setup.write("hostile.json", hostile.as_bytes());
    let password = setup.write("pw.txt", b"anything\n");
    let started = std::time::Instant::now();
    let (code, _, stderr) = setup.run(&[
        "import",
        text(&file),
        "--import-password-file",
        text(&password),
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("limit of 2^20"), "{stderr}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert!(setup.accounts().is_empty());
}
