//! Ringlet's encrypted Aegis export, opened by an independent reader: `aegis_decrypt.py`
//! follows Aegis's published scheme (`docs/vault.md`) with Python's `cryptography`, and
//! what it prints must be the vault's accounts, field by field.
//!
//! Without python3 or its `cryptography` package the test is recorded as not run
//! (`common::not_run`); `src-tauri/scripts/dev test` installs both and sets
//! `RINGLET_REQUIRE_PYTHON_CRYPTOGRAPHY=1`, which turns their absence into a failure.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use ringlet_core::export::{self, Source};
use ringlet_core::model::OtpKind;
use serde_json::Value;

use common::accounts::{mix, vault_with};

const PASSWORD: &str = "an export password";

/// Why the independent reader cannot run here, if it cannot.
fn reader_missing() -> Option<String> {
    match Command::new("python3")
        .args(["-c", "import cryptography.hazmat.primitives.kdf.scrypt"])
        .output()
    {
        Err(error) => Some(format!("needs python3 ({error})")),
        Ok(out) if !out.status.success() => Some(format!(
            "needs Python's cryptography package (pip install cryptography, or apt install python3-cryptography): {}",
            String::from_utf8_lossy(&out.stderr)
        )),
        Ok(_) => None,
    }
}

fn decrypt(file: &Path, password: &str) -> (i32, String, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/aegis_decrypt.py");
    let mut child = Command::new("python3")
        .arg(script)
        .arg(file)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(format!("{password}\n").as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn pythons_cryptography_decrypts_the_encrypted_aegis_export_to_the_vaults_accounts() {
    if let Some(reason) = reader_missing() {
        if std::env::var_os("RINGLET_REQUIRE_PYTHON_CRYPTOGRAPHY").is_some_and(|v| v == "1") {
            panic!("{reason}");
        }
        common::not_run(&reason);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let vault = vault_with(&dir.path().join("vault"), b"vault password", &mix());
    let format = export::export_by_id("aegis-encrypted").unwrap();
    let exported = format
        .write(&Source::of(&vault).unwrap(), Some(PASSWORD.as_bytes()))
        .unwrap();
    let file = dir.path().join("aegis.json");
    std::fs::write(&file, &exported.files[0]).unwrap();

    let (code, _, stderr) = decrypt(&file, "not the password");
    assert_eq!(code, 2, "a wrong password must not open it: {stderr}");
    let (code, stdout, stderr) = decrypt(&file, PASSWORD);
    assert_eq!(code, 0, "{stderr}");
    let printed: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(printed["db_version"], 3);
    // Compared by label, whatever the order (the vault lists pinned accounts first).
    let mut entries = printed["entries"].as_array().unwrap().clone();
    entries.sort_by_cached_key(|e| {
        let text = |key: &str| e[key].as_str().unwrap_or_default().to_lowercase();
        (text("issuer"), text("name"))
    });
    let mut want = mix();
    want.sort_by_cached_key(|a| (a.issuer.to_lowercase(), a.name.to_lowercase()));
    assert_eq!(entries.len(), want.len());
    for (entry, account) in entries.iter().zip(&want) {
        let who = format!("{:?}/{:?}", account.issuer, account.name);
        let otp = &account.otp;
        assert_eq!(entry["issuer"], account.issuer.as_str(), "{who}");
        assert_eq!(entry["name"], account.name.as_str(), "{who}");
        assert_eq!(entry["type"], otp.kind.name(), "{who}");
        assert_eq!(
            entry["secret"],
            data_encoding::BASE32_NOPAD.encode(otp.secret.expose()),
            "{who}: secret"
        );
        assert_eq!(entry["algo"], otp.algorithm.as_str(), "{who}");
        assert_eq!(entry["digits"], otp.digits, "{who}");
        assert_eq!(
            entry["period"].as_u64(),
            otp.kind.period().map(u64::from),
            "{who}"
        );
        let counter = match otp.kind {
            OtpKind::Hotp { counter } => Some(counter),
            _ => None,
        };
        assert_eq!(entry["counter"].as_u64(), counter, "{who}");
        assert_eq!(entry["note"], account.note.as_str(), "{who}");
        assert_eq!(entry["favorite"], account.pinned, "{who}");
        assert_eq!(
            entry["groups"],
            serde_json::json!(account.tags),
            "{who}: groups"
        );
    }
}
