//! End-to-end tests: the real `ringlet-cli` binary against real vaults in temporary folders.
//!
//! Vaults are made in this process with `fast_kdf()` so that each unlock
//! takes well under a millisecond; only the `init` tests pay for the calibrated
//! (≈0.5 s) parameters that `ringlet-cli init` uses. Expected codes are the published
//! RFC 4226 / RFC 6238 vectors, not values computed by the code under test.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use ringlet_core::vault::{KdfParams, Vault};
use serde_json::Value;
use tempfile::TempDir;

use common::{fast_kdf, test_cli};

const BIN: &str = env!("CARGO_BIN_EXE_ringlet-cli");
const PASSWORD: &str = "correct horse battery staple";

/// Base32 of the RFC test key "12345678901234567890" (20 bytes, SHA1).
const RFC_SECRET_SHA1: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
/// Base32 of "12345678901234567890123456789012" (32 bytes, RFC 6238's SHA256 key).
const RFC_SECRET_SHA256: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA";
/// Base32 of "1234567890" × 6 + "1234" (64 bytes, RFC 6238's SHA512 key).
const RFC_SECRET_SHA512: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA";

/// A temporary folder with a password file and a vault path (the vault may not exist yet).
struct Setup {
    _temp: TempDir,
    vault: PathBuf,
    password_file: PathBuf,
}

impl Setup {
    /// No vault yet.
    fn empty() -> Setup {
        let temp = tempfile::tempdir().expect("temp dir");
        let vault = temp.path().join("vault");
        let password_file = temp.path().join("password.txt");
        fs::write(&password_file, format!("{PASSWORD}\n")).expect("password file");
        Setup {
            _temp: temp,
            vault,
            password_file,
        }
    }

    /// An empty vault with fast key derivation, closed again.
    fn with_vault() -> Setup {
        let setup = Setup::empty();
        let vault = Vault::create_with(&setup.vault, PASSWORD.as_bytes(), fast_kdf())
            .expect("create vault");
        drop(vault);
        setup
    }

    fn temp(&self) -> &Path {
        self._temp.path()
    }

    /// Runs the CLI with `--vault` and `--password-file`, no stdin and no RINGLET_VAULT.
    fn run(&self, args: &[&str]) -> Run {
        let mut command = test_cli();
        command
            .arg("--vault")
            .arg(&self.vault)
            .arg("--password-file")
            .arg(&self.password_file)
            .args(args);
        Run::of(command)
    }

    fn add(&self, uri: &str) -> String {
        let run = self.run(&["add", uri]);
        run.assert_code(0);
        run.stdout.trim().to_owned()
    }

    fn list_json(&self) -> Vec<Value> {
        let run = self.run(&["list", "--json"]);
        run.assert_code(0);
        match serde_json::from_str::<Value>(&run.stdout) {
            Ok(Value::Array(items)) => items,
            other => panic!("list --json is not an array: {other:?}\n{}", run.stdout),
        }
    }
}

/// What one run of the CLI did.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn of(mut command: Command) -> Run {
        command.env_remove("RINGLET_VAULT").stdin(Stdio::null());
        Run::from_output(command.output().expect("run ringlet-cli"))
    }

    fn from_output(output: Output) -> Run {
        Run {
            code: output
                .status
                .code()
                .expect("exited normally, not by a signal"),
            stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
        }
    }

    fn assert_code(&self, code: i32) {
        assert_eq!(
            self.code, code,
            "expected exit code {code}\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        assert!(
            !self.stderr.contains("panicked"),
            "the CLI panicked: {}",
            self.stderr
        );
    }
}

fn is_hex_id(text: &str) -> bool {
    text.len() == 32
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn totp_uri(issuer: &str, name: &str, secret: &str, extra: &str) -> String {
    format!("otpauth://totp/{issuer}:{name}?secret={secret}&issuer={issuer}{extra}")
}

// ---------------------------------------------------------------------------------------
// init

#[test]
fn init_creates_a_vault_and_refuses_a_second() {
    let setup = Setup::empty();
    let run = setup.run(&["init"]);
    run.assert_code(0);
    assert!(Vault::exists(&setup.vault));
    // The vault opens with the password from the file's first line (without the newline).
    drop(Vault::open(&setup.vault, PASSWORD.as_bytes()).expect("open the new vault"));

    let again = setup.run(&["init"]);
    again.assert_code(1);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert!(again.stderr.starts_with("error: "), "{}", again.stderr);
    // The first vault is untouched.
    drop(Vault::open(&setup.vault, PASSWORD.as_bytes()).expect("still opens"));
}

#[test]
fn init_reads_the_password_from_stdin_when_not_a_terminal() {
    let setup = Setup::empty();
    let mut child = test_cli()
        .arg("--vault")
        .arg(&setup.vault)
        .arg("init")
        .env_remove("RINGLET_VAULT")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"piped secret\r\nsecond line ignored\n")
        .expect("write stdin");
    let run = Run::from_output(child.wait_with_output().expect("wait"));
    run.assert_code(0);
    drop(Vault::open(&setup.vault, b"piped secret").expect("opens with the first line"));
}

// ---------------------------------------------------------------------------------------
// add and list

/// The link can stay off the command line: `add -` reads it from standard input,
/// `add --uri-file FILE` from a file, and neither warns; a link given as an argument still
/// works, with a warning that others can see it. `add -` with a piped standard input needs
/// the password from a file (standard input holds the link).
#[test]
fn add_reads_the_link_from_stdin_or_a_file_and_warns_about_arguments() {
    let setup = Setup::with_vault();
    let piped = |args: &[&str], with_password: bool, input: &[u8]| {
        let mut command = test_cli();
        command.arg("--vault").arg(&setup.vault);
        if with_password {
            command.arg("--password-file").arg(&setup.password_file);
        }
        let mut child = command
            .args(args)
            .env_remove("RINGLET_VAULT")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        // The CLI may refuse before it reads (then the pipe is closed): what it did is
        // judged by its exit and output, not by this write.
        let _ = child.stdin.take().expect("stdin").write_all(input);
        Run::from_output(child.wait_with_output().expect("wait"))
    };
    let from_stdin = totp_uri("Piped", "alice", RFC_SECRET_SHA1, "");
    let run = piped(
        &["add", "-"],
        true,
        format!("\n  {from_stdin}\n").as_bytes(),
    );
    run.assert_code(0);
    assert!(is_hex_id(run.stdout.trim()), "{run:?}");
    assert!(!run.stderr.contains("warning"), "{run:?}");

    let file = setup.temp().join("link.txt");
    fs::write(
        &file,
        totp_uri("From File", "bob", RFC_SECRET_SHA1, "") + "\n",
    )
    .unwrap();
    let run = setup.run(&["add", "--uri-file", file.to_str().unwrap()]);
    run.assert_code(0);
    assert!(!run.stderr.contains("warning"), "{run:?}");

    let run = setup.run(&["add", &totp_uri("Argument", "carol", RFC_SECRET_SHA1, "")]);
    run.assert_code(0);
    assert!(run.stderr.contains("process list"), "{run:?}");
    assert!(run.stderr.contains("add -"), "{run:?}");

    let run = piped(&["add", "-"], false, from_stdin.as_bytes());
    run.assert_code(1);
    assert!(run.stderr.contains("--password-file"), "{run:?}");

    let issuers: Vec<String> = setup
        .list_json()
        .iter()
        .map(|item| item["issuer"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(issuers, ["Argument", "From File", "Piped"]);
}

#[test]
fn add_prints_the_new_id() {
    let setup = Setup::with_vault();
    let id = setup.add(&totp_uri("GitHub", "alice", RFC_SECRET_SHA1, ""));
    assert!(is_hex_id(&id), "not a 32-hex id: {id:?}");

    let vault = Vault::open(&setup.vault, PASSWORD.as_bytes()).expect("open");
    let entry = vault.get(id.parse().expect("id parses")).expect("stored");
    assert_eq!(entry.account.issuer, "GitHub");
    assert_eq!(entry.account.name, "alice");
    assert_eq!(entry.account.otp.secret.expose(), b"12345678901234567890");
}

#[test]
fn add_refuses_what_is_not_an_otpauth_uri() {
    let setup = Setup::with_vault();
    for bad in [
        "https://example.com/",
        "otpauth://totp/X:y?issuer=X",
        "otpauth://nope/X:y?secret=JBSWY3DPEHPK3PXP",
    ] {
        let run = setup.run(&["add", bad]);
        run.assert_code(1);
        assert!(run.stdout.is_empty(), "{bad}: {}", run.stdout);
        // After the warning about a link on the command line, the error, on its own line.
        let last = run.stderr.lines().last().unwrap_or("");
        assert!(last.starts_with("error: "), "{bad}: {}", run.stderr);
    }
    assert!(setup.list_json().is_empty());
}

#[test]
fn list_shows_accounts_but_never_secrets() {
    let setup = Setup::with_vault();
    let totp = setup.add(&totp_uri(
        "GitHub",
        "alice@example.com",
        "JBSWY3DPEHPK3PXP",
        "&algorithm=SHA256&digits=7&period=20",
    ));
    let hotp = setup.add(
        "otpauth://hotp/Bank:bob?secret=KRSXG5CTMVRXEZLU&issuer=Bank&counter=5&algorithm=SHA512&digits=8",
    );
    let steam =
        setup.add("otpauth://steam/Steam:carol?secret=ONSWG4TFOQYTEMZUGU3DOOBZ&issuer=Steam");
    let secrets = [
        "JBSWY3DPEHPK3PXP",
        "KRSXG5CTMVRXEZLU",
        "ONSWG4TFOQYTEMZUGU3DOOBZ",
    ];

    let table = setup.run(&["list"]);
    table.assert_code(0);
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", table.stdout);
    for word in ["ID", "ISSUER", "ACCOUNT", "TYPE"] {
        assert!(lines[0].contains(word), "{}", lines[0]);
    }
    let row = |id: &str| {
        lines
            .iter()
            .find(|line| line.starts_with(&id[..8]))
            .unwrap_or_else(|| panic!("no row for {id}:\n{}", table.stdout))
            .split_whitespace()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        row(&totp),
        [&totp[..8], "GitHub", "alice@example.com", "totp"]
    );
    assert_eq!(row(&hotp), [&hotp[..8], "Bank", "bob", "hotp"]);
    assert_eq!(row(&steam), [&steam[..8], "Steam", "carol", "steam"]);

    let items = setup.list_json();
    assert_eq!(items.len(), 3);
    // Each item, its times and revision checked and taken out, then the rest compared.
    let find = |id: &str| {
        let mut item = items
            .iter()
            .find(|item| item["id"] == id)
            .unwrap_or_else(|| panic!("no {id} in {items:?}"))
            .clone();
        let map = item.as_object_mut().unwrap();
        let created = map.remove("created_ms").unwrap().as_u64().unwrap();
        let modified = map.remove("modified_ms").unwrap().as_u64().unwrap();
        let revision = map.remove("revision").unwrap();
        assert!(
            created > 1_700_000_000_000 && modified >= created,
            "{created} {modified}"
        );
        assert_eq!(revision["wall_ms"].as_u64(), Some(modified));
        assert_eq!(revision["device"].as_str().unwrap().len(), 32);
        item
    };
    let unorganised = serde_json::json!({"tags": [], "note": "", "icon": null,
        "pinned": false, "recoveryLeft": 0, "order": 0});
    let with = |fields: serde_json::Value| {
        let mut all = unorganised.clone();
        all.as_object_mut()
            .unwrap()
            .extend(fields.as_object().unwrap().clone());
        all
    };
    assert_eq!(
        find(&totp),
        with(
            serde_json::json!({"id": totp, "issuer": "GitHub", "account": "alice@example.com",
            "type": "totp", "algorithm": "SHA256", "digits": 7, "period": 20, "timeOffset": 0})
        )
    );
    assert_eq!(
        find(&hotp),
        with(
            serde_json::json!({"id": hotp, "issuer": "Bank", "account": "bob",
            "type": "hotp", "algorithm": "SHA512", "digits": 8, "counter": 5})
        )
    );
    assert_eq!(
        find(&steam),
        with(
            serde_json::json!({"id": steam, "issuer": "Steam", "account": "carol",
            "type": "steam", "algorithm": "SHA1", "digits": 5, "period": 30, "timeOffset": 0})
        )
    );

    let json = setup.run(&["list", "--json"]);
    for output in [&table.stdout, &table.stderr, &json.stdout, &json.stderr] {
        for secret in secrets {
            assert!(!output.contains(secret), "secret {secret} leaked: {output}");
            assert!(!output.to_lowercase().contains(&secret.to_lowercase()));
        }
        assert!(!output.contains("secret"), "{output}");
    }
}

#[test]
fn list_sorts_as_asked_or_as_the_app_chose_pinned_first() {
    let setup = Setup::with_vault();
    setup.add(&totp_uri("Zulu", "amy", "JBSWY3DPEHPK3PXP", ""));
    setup.add(&totp_uri("Bank", "zed", "KRSXG5CTMVRXEZLU", ""));
    setup.add(&totp_uri("Mail", "bob", "MFRGGZDFMZTWQ2LK", ""));
    let order = |args: &[&str]| -> Vec<String> {
        let run = setup.run(&[&["list", "--json"], args].concat());
        run.assert_code(0);
        let listed: Vec<Value> = serde_json::from_str(&run.stdout).expect("JSON");
        listed
            .iter()
            .map(|a| a["issuer"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(order(&[]), ["Bank", "Mail", "Zulu"]);
    assert_eq!(order(&["--sort", "name"]), ["Zulu", "Mail", "Bank"]);
    assert_eq!(order(&["--sort=issuer"]), ["Bank", "Mail", "Zulu"]);
    // Never used here: by issuer within the same count.
    assert_eq!(order(&["--sort", "used"]), ["Bank", "Mail", "Zulu"]);
    setup.run(&["edit", "mail", "--pin"]).assert_code(0);
    assert_eq!(order(&["--sort", "name"]), ["Mail", "Zulu", "Bank"]);
    // Without --sort: the app's choice, from preferences.json beside the vault.
    fs::write(setup.vault.join("preferences.json"), r#"{"sort": "name"}"#).expect("preferences");
    assert_eq!(order(&[]), ["Mail", "Zulu", "Bank"]);
    let run = setup.run(&["list", "--sort", "size"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("issuer, name, used, recent, manual"),
        "{}",
        run.stderr
    );
    setup
        .run(&["code", "zulu", "--sort", "name"])
        .assert_code(1);
}

#[test]
fn list_of_an_empty_vault() {
    let setup = Setup::with_vault();
    let run = setup.run(&["list"]);
    run.assert_code(0);
    assert!(run.stdout.contains("no accounts"), "{}", run.stdout);
    assert!(setup.list_json().is_empty());
}

// ---------------------------------------------------------------------------------------
// code

#[test]
fn code_matches_the_rfc_6238_vectors() {
    let setup = Setup::with_vault();
    setup.add(&totp_uri("RfcEight", "sha1", RFC_SECRET_SHA1, "&digits=8"));
    setup.add(&totp_uri("RfcSix", "sha1", RFC_SECRET_SHA1, "&digits=6"));
    setup.add(&totp_uri(
        "Rfc256",
        "sha256",
        RFC_SECRET_SHA256,
        "&digits=8&algorithm=SHA256",
    ));
    setup.add(&totp_uri(
        "Rfc512",
        "sha512",
        RFC_SECRET_SHA512,
        "&digits=8&algorithm=SHA512",
    ));

    // (query, time, code) from RFC 6238 appendix B; the query is matched case-insensitively.
    let vectors = [
        ("rfceight", "59", "94287082"),
        ("RFCEIGHT", "1111111109", "07081804"),
        ("RfcEight", "2000000000", "69279037"),
        ("rfcsix", "59", "287082"),
        ("SHA256", "59", "46119246"),
        ("rfc256", "1111111111", "67062674"),
        ("Sha512", "59", "90693936"),
        ("rfc512", "20000000000", "47863826"),
    ];
    for (query, time, expected) in vectors {
        let run = setup.run(&["code", query, "--at", time]);
        run.assert_code(0);
        assert_eq!(run.stdout, format!("{expected}\n"), "{query} at {time}");
    }
    // Options may also come first.
    let run = setup.run(&["--at", "59", "code", "rfcsix"]);
    run.assert_code(0);
    assert_eq!(run.stdout, "287082\n");
}

#[test]
fn code_without_at_uses_the_clock() {
    let setup = Setup::with_vault();
    setup.add(&totp_uri("Now", "me", RFC_SECRET_SHA1, ""));
    let run = setup.run(&["code", "now"]);
    run.assert_code(0);
    let code = run.stdout.trim_end();
    assert_eq!(code.len(), 6, "{code:?}");
    assert!(code.bytes().all(|b| b.is_ascii_digit()), "{code:?}");
}

#[test]
fn code_needs_exactly_one_match() {
    let setup = Setup::with_vault();
    setup.add(&totp_uri("GitHub", "alice", "JBSWY3DPEHPK3PXP", ""));
    setup.add(&totp_uri("GitLab", "alice", "KRSXG5CTMVRXEZLU", ""));
    setup.add(&totp_uri("Dropbox", "bob", RFC_SECRET_SHA1, ""));

    let several = setup.run(&["code", "git"]);
    several.assert_code(1);
    assert!(several.stdout.is_empty());
    assert!(
        several.stderr.contains(
            "Several accounts match \"git\": GitHub (alice), GitLab (alice). Be more specific."
        ),
        "{}",
        several.stderr
    );

    let by_name = setup.run(&["code", "ALICE"]);
    by_name.assert_code(1);
    assert!(by_name.stderr.contains("GitHub (alice), GitLab (alice)"));

    let none = setup.run(&["code", "nothing-like-this"]);
    none.assert_code(1);
    assert!(none.stdout.is_empty());
    assert!(
        none.stderr
            .contains("No account matches \"nothing-like-this\""),
        "{}",
        none.stderr
    );

    // One match by account name, case-insensitively.
    let one = setup.run(&["code", "BOB", "--at", "59"]);
    one.assert_code(0);
    assert_eq!(one.stdout, "287082\n");
}

#[test]
fn code_ignores_accents_and_prefers_the_account_named_exactly() {
    let setup = Setup::with_vault();
    setup.add(&totp_uri("Société Générale", "marie", RFC_SECRET_SHA1, ""));
    setup.add(&totp_uri("GitHub", "alice", "JBSWY3DPEHPK3PXP", ""));
    setup.add(&totp_uri(
        "GitHub Enterprise",
        "alice",
        "KRSXG5CTMVRXEZLU",
        "",
    ));

    let accented = setup.run(&["code", "societe", "--at", "59"]);
    accented.assert_code(0);
    assert_eq!(accented.stdout, "287082\n");

    // "github" names GitHub exactly, and GitHub Enterprise only in part.
    let exact = setup.run(&["code", "github", "--at", "59"]);
    exact.assert_code(0);
    let enterprise = setup.run(&["code", "enterprise", "--at", "59"]);
    enterprise.assert_code(0);
    assert_ne!(exact.stdout, enterprise.stdout, "two different accounts");
    let both = setup.run(&["code", "git"]);
    both.assert_code(1);
    assert!(
        both.stderr
            .contains("GitHub (alice), GitHub Enterprise (alice)"),
        "{}",
        both.stderr
    );
}

#[test]
fn hotp_code_advances_the_stored_counter() {
    let setup = Setup::with_vault();
    let id = setup.add(&format!(
        "otpauth://hotp/Counter:alice?secret={RFC_SECRET_SHA1}&issuer=Counter&counter=0"
    ));
    // RFC 4226 appendix D: counters 0, 1, 2.
    for expected in ["755224", "287082"] {
        let run = setup.run(&["code", "counter"]);
        run.assert_code(0);
        assert_eq!(run.stdout, format!("{expected}\n"));
    }
    // --at does not apply to HOTP: the stored counter (now 2) is used.
    let run = setup.run(&["code", "counter", "--at", "59"]);
    run.assert_code(0);
    assert_eq!(run.stdout, "359152\n");

    let items = setup.list_json();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], id.as_str());
    assert_eq!(items[0]["counter"], 3);
    // Durable: the vault itself says so.
    let vault = Vault::open(&setup.vault, PASSWORD.as_bytes()).expect("open");
    let entry = vault.get(id.parse().expect("id")).expect("entry");
    assert_eq!(entry.account.otp.kind.counter(), Some(3));
}

// ---------------------------------------------------------------------------------------
// exit codes of vault problems

#[test]
fn wrong_password_exits_2() {
    let setup = Setup::with_vault();
    let wrong = setup.temp().join("wrong.txt");
    fs::write(&wrong, "not the password\n").expect("write");
    let mut command = test_cli();
    command
        .arg("--vault")
        .arg(&setup.vault)
        .arg("--password-file")
        .arg(&wrong)
        .arg("list");
    let run = Run::of(command);
    run.assert_code(2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("Wrong password"), "{}", run.stderr);
    // The trailing-space variant of the right password is wrong too: only the line break is stripped.
    fs::write(&wrong, format!("{PASSWORD} \n")).expect("write");
    let mut command = test_cli();
    command
        .arg("--vault")
        .arg(&setup.vault)
        .arg("--password-file")
        .arg(&wrong)
        .arg("list");
    Run::of(command).assert_code(2);
}

#[test]
fn damaged_vault_exits_3() {
    let setup = Setup::with_vault();
    setup.add(&totp_uri("GitHub", "alice", "JBSWY3DPEHPK3PXP", ""));
    let header = setup.vault.join("vault.header");
    let mut bytes = fs::read(&header).expect("read header");
    assert!(bytes.len() > 40);
    for byte in &mut bytes[20..28] {
        *byte ^= 0x5a;
    }
    fs::write(&header, &bytes).expect("write header");

    for args in [
        &["list"][..],
        &["code", "github"],
        &["add", "otpauth://totp/A:b?secret=KRSXG5CTMVRXEZLU"],
    ] {
        let run = setup.run(args);
        run.assert_code(3);
        assert!(run.stdout.is_empty());
        assert!(run.stderr.contains("damaged"), "{}", run.stderr);
    }
}

#[test]
fn damaged_record_database_exits_3() {
    let setup = Setup::with_vault();
    setup.add(&totp_uri("GitHub", "alice", "JBSWY3DPEHPK3PXP", ""));
    // Flip bytes in every file of the record database.
    let mut flipped = 0;
    let mut stack = vec![setup.vault.join("records.sled")];
    while let Some(dir) = stack.pop() {
        for item in fs::read_dir(&dir).expect("read dir") {
            let path = item.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let mut bytes = fs::read(&path).expect("read");
            if bytes.is_empty() {
                continue;
            }
            for byte in bytes.iter_mut().step_by(3) {
                *byte ^= 0xa5;
            }
            fs::write(&path, &bytes).expect("write");
            flipped += 1;
        }
    }
    assert!(flipped > 0);
    let run = setup.run(&["list"]);
    run.assert_code(3);
    assert!(
        run.stderr.contains("damaged") || run.stderr.contains("Cannot read"),
        "{}",
        run.stderr
    );
}

#[test]
fn vault_in_use_exits_4() {
    let setup = Setup::with_vault();
    let held = Vault::open(&setup.vault, PASSWORD.as_bytes()).expect("hold the vault open");
    let run = setup.run(&["list"]);
    run.assert_code(4);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("in use"), "{}", run.stderr);
    drop(held);
    setup.run(&["list"]).assert_code(0);
}

#[test]
fn missing_vault_exits_1_without_asking_for_a_password() {
    let setup = Setup::empty();
    // No --password-file and an empty stdin: had it asked, the message would be about the password.
    let mut command = test_cli();
    command.arg("--vault").arg(&setup.vault).arg("list");
    let run = Run::of(command);
    run.assert_code(1);
    assert_eq!(
        run.stderr.trim_end(),
        format!(
            "error: No vault at {}. Create one with `ringlet-cli init`.",
            setup.vault.display()
        )
    );
}

// ---------------------------------------------------------------------------------------
// import

/// Aegis's importer fixture `plain.txt` (in `shared/`, beside the project).
#[test]
fn import_the_plain_text_fixture() {
    let Some(fixtures) = common::shared("fixtures/aegis-importers") else {
        return;
    };
    let setup = Setup::with_vault();
    let file = fixtures.join("plain.txt");
    let file = file.to_str().expect("UTF-8 path");
    let run = setup.run(&["import", file]);
    run.assert_code(0);
    assert!(
        run.stdout.contains("Imported 7 accounts."),
        "{}",
        run.stdout
    );

    let items = setup.list_json();
    assert_eq!(items.len(), 7);
    let kinds: Vec<&str> = items.iter().filter_map(|i| i["type"].as_str()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "totp").count(), 3);
    assert_eq!(kinds.iter().filter(|k| **k == "hotp").count(), 3);
    assert_eq!(kinds.iter().filter(|k| **k == "steam").count(), 1);
    let wwe = items
        .iter()
        .find(|i| i["issuer"] == "WWE")
        .expect("WWE imported");
    assert_eq!(wwe["counter"], 10300);
    assert_eq!(wwe["algorithm"], "SHA512");
    assert!(items.iter().any(|i| i["issuer"] == "Air Canada"));

    // Importing again adds nothing and says why.
    let again = setup.run(&["import", file]);
    again.assert_code(0);
    assert!(
        again.stdout.contains("Imported 0 accounts."),
        "{}",
        again.stdout
    );
    assert!(
        again.stdout.contains("7 already in the vault, skipped."),
        "{}",
        again.stdout
    );
    assert_eq!(setup.list_json().len(), 7);
}

/// Setup links of every kind, as services show them in QR codes.
const SETUP_LINKS: [&str; 12] = [
    "otpauth://totp/Dropbox:admin?secret=KZXW6YPBOI3TSMRQ&issuer=Dropbox&algorithm=SHA1&period=60",
    "otpauth://totp/PyPI:frank@mail.example?secret=NB2HI4DTHIXS63LBNFWC4ZLYMFWXA3DF&issuer=PyPI&digits=8",
    "otpauth://totp/GitHub:dave%2B2fa@example.org?secret=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U&issuer=GitHub&digits=8",
    "otpauth://totp/ACME%20Corp:erin@example.org?secret=I4YNEA2JRZLUHA4TIDWI554NUQ&issuer=ACME%20Corp",
    "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
    "otpauth://totp/Cloud%20Host:ops?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA&issuer=Cloud%20Host&algorithm=SHA256",
    "otpauth://totp/Mail:grace?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA&issuer=Mail&algorithm=SHA512&digits=8",
    "otpauth://hotp/Bank:heidi?secret=ONSWG4TFORZWK3TEMVZXI4TJNZTWC3LF&issuer=Bank&counter=5",
    "otpauth://hotp/Old%20VPN:ivan?secret=MZXW6YTBOJRGC4TCMF4GK3LQNRSQ&issuer=Old%20VPN&digits=8&counter=0",
    "otpauth://steam/Steam:judy?secret=KRUGKIDROVUWG2ZAMJZG653OEBTG66BA&issuer=Steam",
    "otpauth://totp/mallory?secret=OBQXG43XN5ZGIMJSGM2DKNRXHA4TAMJS",
    "otpauth://totp/%C3%89cole:ni%C3%B1a?secret=N5XGKIDUO5XSA5DIOJSWKIDGN52XEIDGNF3GK&issuer=%C3%89cole",
];

#[test]
fn import_many_qr_code_images() {
    let setup = Setup::with_vault();
    let mut files = Vec::new();
    let mut expected = BTreeSet::new();
    for (i, link) in SETUP_LINKS.iter().enumerate() {
        // Modules of 3 to 8 pixels, as screenshots and saved images have them.
        let file = setup.temp().join(format!("code-{i:02}.png"));
        common::write_qr_png(&file, link, 3 + i as u32 % 6);
        files.push(file.to_string_lossy().into_owned());
        expected.insert((*link).to_owned());
    }
    assert!(files.len() >= 10, "too few images: {}", files.len());

    let mut args = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    let run = setup.run(&args);
    run.assert_code(0);
    assert!(
        run.stdout
            .contains(&format!("Imported {} accounts.", expected.len())),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    assert_eq!(setup.list_json().len(), expected.len());
    // Nothing printed carries a secret.
    for uri in &expected {
        let secret = uri
            .split("secret=")
            .nth(1)
            .and_then(|rest| rest.split('&').next())
            .expect("secret");
        assert!(!run.stdout.contains(secret) && !run.stderr.contains(secret));
    }
}

#[test]
fn import_reports_what_it_cannot_use() {
    let setup = Setup::with_vault();
    let text = setup.temp().join("links.txt");
    fs::write(
        &text,
        "# my codes\n\nhttps://example.com/not-a-code\n   \n# end\n",
    )
    .expect("write");
    // An image with no QR code: an 800×600 checkerboard of 4-pixel squares.
    let no_qr = setup.temp().join("checker.png");
    let checker = image::GrayImage::from_fn(800, 600, |x, y| {
        image::Luma([if (x / 4 + y / 4) % 2 == 0 { 0 } else { 255 }])
    });
    fs::write(&no_qr, common::png(&checker)).expect("write");
    let broken_export = setup.temp().join("broken-export.txt");
    // A Google Authenticator export cut short: its first field says 53 bytes follow.
    fs::write(
        &broken_export,
        "otpauth-migration://offline?data=CjUKEPql\n",
    )
    .expect("write");
    let missing = setup.temp().join("missing.png");
    let paths = [&text, &no_qr, &broken_export, &missing].map(|p| p.to_string_lossy().into_owned());

    let mut args = vec!["import"];
    args.extend(paths.iter().map(String::as_str));
    let run = setup.run(&args);
    run.assert_code(1);
    assert!(
        run.stdout.contains("Imported 0 accounts."),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains(&format!(
            "{}: this file is neither an image with a QR code, a text file of otpauth:// links nor an export Ringlet reads",
            paths[0]
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("{}: no QR code found", paths[1])),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!(
            "{}: item 1: not a readable Google Authenticator export code (otpauth-migration://): the export code is damaged: its data ends in the middle of a field",
            paths[2]
        )),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("CjUKEPql"),
        "QR text leaked: {}",
        run.stderr
    );
    assert!(run.stderr.contains(&paths[3]), "{}", run.stderr);

    // With one good line among them, the import succeeds and still reports the rest.
    let mixed = setup.temp().join("mixed.txt");
    fs::write(
        &mixed,
        format!(
            "# two lines\notpauth://totp/Good:one?secret={RFC_SECRET_SHA1}&issuer=Good\nhttps://example.com/\n"
        ),
    )
    .expect("write");
    let mixed = mixed.to_str().expect("UTF-8");
    let run = setup.run(&["import", mixed, &paths[1]]);
    run.assert_code(0);
    assert!(run.stdout.contains("Imported 1 account."), "{}", run.stdout);
    assert!(
        run.stderr
            .contains(&format!("{mixed}: item 2: not an authenticator code")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("no QR code found"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------
// import of Google Authenticator exports

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// What `tests/fixtures/migration_1of3.png` holds (made by make_migration_fixtures.py):
/// code 1 of a three-code export (batch id -1512345678) with "Fixture Bank" alice
/// (TOTP SHA256, 8 digits, RFC 6238's SHA256 key) and "Fixture Git:bob" (TOTP SHA1,
/// 6 digits, the RFC key, no issuer field).
const EXPORT_CODE_1_OF_3: &str = "otpauth-migration://offline?data=ClYKIDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyEh5GaXh0dXJlIEJhbms6YWxpY2VAZXhhbXBsZS5jb20aDEZpeHR1cmUgQmFuayACKAIwAgovChQxMjM0NTY3ODkwMTIzNDU2Nzg5MBIPRml4dHVyZSBHaXQ6Ym9iGgAgASgBMAIQARgDIAAost%2Ftrvr%2F%2F%2F%2F%2FAQ%3D%3D";
/// `tests/fixtures/migration_3of3.png`: code 3 of the same export, with "Fixture Mail"
/// carol (HOTP, counter 7, the RFC key) and "Fixture Old" dave, which uses MD5.
const EXPORT_CODE_3_OF_3: &str = "otpauth-migration://offline?data=CjMKFDEyMzQ1Njc4OTAxMjM0NTY3ODkwEgVjYXJvbBoMRml4dHVyZSBNYWlsIAEoATABOAcKJQoKMDEyMzQ1Njc4ORIEZGF2ZRoLRml4dHVyZSBPbGQgBCgBMAIQARgDIAIost%2Ftrvr%2F%2F%2F%2F%2FAQ%3D%3D";

#[test]
fn the_export_fixtures_hold_the_expected_links() {
    for (name, expected) in [
        ("migration_1of3.png", EXPORT_CODE_1_OF_3),
        ("migration_3of3.png", EXPORT_CODE_3_OF_3),
    ] {
        let bytes = fs::read(fixture(name)).expect("fixture");
        let texts = ringlet_core::qr::decode(&bytes).expect("decodes");
        assert_eq!(texts, [expected], "{name}");
        // decode-qr prints the link as it is, `%2F` and all.
        let mut command = test_cli();
        command.arg("decode-qr").arg(fixture(name));
        let run = Run::of(command);
        run.assert_code(0);
        assert_eq!(run.stdout, format!("{expected}\n"));
    }
}

#[test]
fn import_google_authenticator_export_codes() {
    let setup = Setup::with_vault();
    let first = fixture("migration_1of3.png");
    let third = fixture("migration_3of3.png");
    let (first, third) = (
        first.to_str().expect("UTF-8"),
        third.to_str().expect("UTF-8"),
    );

    // One code of three: its accounts, and which codes are still missing.
    let run = setup.run(&["import", first]);
    run.assert_code(0);
    assert!(
        run.stdout.contains("Imported 2 accounts."),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("1 of 3 export codes imported — add the rest (codes 2 and 3 are missing)."),
        "{}",
        run.stdout
    );
    assert!(run.stderr.is_empty(), "{}", run.stderr);

    // The first again with the third: duplicates skipped, the MD5 account reported,
    // code 2 still missing.
    let run = setup.run(&["import", first, third]);
    run.assert_code(0);
    assert!(run.stdout.contains("Imported 1 account."), "{}", run.stdout);
    assert!(
        run.stdout.contains("2 already in the vault, skipped."),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("2 of 3 export codes imported — add the rest (code 2 is missing)."),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stderr.trim_end(),
        format!(
            "{third}: item 1: export code 3 of 3: account 2 (Fixture Old: dave) uses the MD5 algorithm, which Ringlet does not support"
        )
    );

    let items = setup.list_json();
    let mut rows: Vec<(String, String, String, String, u64)> = items
        .iter()
        .map(|item| {
            (
                item["issuer"].as_str().unwrap_or_default().to_owned(),
                item["account"].as_str().unwrap_or_default().to_owned(),
                item["type"].as_str().unwrap_or_default().to_owned(),
                item["algorithm"].as_str().unwrap_or_default().to_owned(),
                item["digits"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    rows.sort();
    let row = |issuer: &str, account: &str, kind: &str, algorithm: &str, digits: u64| {
        (
            issuer.into(),
            account.into(),
            kind.into(),
            algorithm.into(),
            digits,
        )
    };
    assert_eq!(
        rows,
        [
            row("Fixture Bank", "alice@example.com", "totp", "SHA256", 8),
            row("Fixture Git", "bob", "totp", "SHA1", 6),
            row("Fixture Mail", "carol", "hotp", "SHA1", 6),
        ]
    );

    // The keys arrived intact: RFC 6238 and RFC 4226 vectors.
    for (query, expected) in [("alice", "46119246"), ("bob", "287082")] {
        let run = setup.run(&["code", query, "--at", "59"]);
        run.assert_code(0);
        assert_eq!(run.stdout, format!("{expected}\n"), "{query}");
    }
    let run = setup.run(&["code", "carol"]);
    run.assert_code(0);
    assert_eq!(run.stdout, "162583\n"); // RFC 4226, counter 7
}

/// A whole Google Authenticator export in one code (one of one): Coinbase, GitLab
/// and Fastmail accounts, 261 characters.
const EXPORT_CODE_1_OF_1: &str = "otpauth-migration://offline?data=CjIKCok5jQtmWOLQ6oYSFGRhdmUrMmZhQGV4YW1wbGUub3JnGghDb2luYmFzZSABKAIwAQo6ChSN4%2FwcrSHWe9qRwEwkI%2Fkm3tk2sxIUZGF2ZSsyZmFAZXhhbXBsZS5vcmcaBkdpdExhYiACKAIwAQoqCgp8k6GDGsU3tFTXEgxncmFjZV9ob3BwZXIaCEZhc3RtYWlsIAEoATACEAEYASAAKLqrqKMH";

#[test]
fn import_an_export_code_image() {
    let setup = Setup::with_vault();
    let text = EXPORT_CODE_1_OF_1;
    let batch = ringlet_core::import::google_authenticator::parse(text).expect("the export parses");
    let expected = batch.accounts().count();
    assert!(expected >= 2, "{expected}");

    // A dense code (65 modules) of 3-pixel modules.
    let image = setup.temp().join("export.png");
    common::write_qr_png(&image, text, 3);
    let run = setup.run(&["import", image.to_str().expect("UTF-8")]);
    run.assert_code(0);
    assert!(
        run.stdout
            .contains(&format!("Imported {expected} accounts.")),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    assert!(
        !run.stdout.contains("export codes imported"),
        "{}",
        run.stdout
    );
    assert_eq!(setup.list_json().len(), expected);
    // Nothing printed carries the link's data.
    let data = text.split_once("data=").map_or("", |(_, data)| data);
    assert!(!run.stdout.contains(&data[..20]) && !run.stderr.contains(&data[..20]));
}

// ---------------------------------------------------------------------------------------
// decode-qr

#[test]
fn decode_qr_prints_the_text_and_needs_no_vault() {
    let temp = tempfile::tempdir().expect("temp dir");
    let expected = [SETUP_LINKS[0], SETUP_LINKS[2]];
    let (first, second) = (
        temp.path().join("first.png"),
        temp.path().join("second.png"),
    );
    common::write_qr_png(&first, expected[0], 4);
    common::write_qr_png(&second, expected[1], 6);

    // No vault, no password file, empty stdin, and a --vault that does not exist.
    let mut command = test_cli();
    command
        .arg("--vault")
        .arg("/nonexistent/ringlet/vault")
        .arg("decode-qr")
        .arg(&first)
        .arg(&second);
    let run = Run::of(command);
    run.assert_code(0);
    assert_eq!(run.stdout, format!("{}\n{}\n", expected[0], expected[1]));
}

#[test]
fn a_panic_rqrr_has_on_an_image_stays_inside() {
    // A JPEG on which rqrr 0.11 asserts (found by fuzzing): the search contains it and goes
    // on, and the person sees an answer, not a panic report.
    let image = Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "../core/fuzz/artifacts-found/qr_decode/crash-65cadbb091458fb7959a4de8e74e9a834f4df790",
    );
    let mut command = test_cli();
    command.arg("decode-qr").arg(&image);
    let run = Run::of(command);
    run.assert_code(1);
    assert!(run.stderr.contains("no QR code found"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

/// A fake QR code: the three finder patterns of a 21-module code around modules drawn at
/// random, so no code is there to read. 10-pixel modules.
fn fake_qr() -> image::GrayImage {
    let mut seed: u32 = 0x2545_f491;
    let mut random_bit = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed & 1 == 1
    };
    let size = 21;
    let finder = |x: u32, y: u32| -> Option<bool> {
        for (fx, fy) in [(0, 0), (size - 7, 0), (0, size - 7)] {
            let (dx, dy) = (x.wrapping_sub(fx), y.wrapping_sub(fy));
            if dx < 7 && dy < 7 {
                let ring = dx.min(dy).min(6 - dx).min(6 - dy);
                return Some(ring != 1);
            }
            // The light separator around each finder.
            if dx.wrapping_add(1) < 9 && dy.wrapping_add(1) < 9 {
                return Some(false);
            }
        }
        None
    };
    let modules: Vec<bool> = (0..size * size)
        .map(|i| finder(i % size, i / size).unwrap_or_else(&mut random_bit))
        .collect();
    image::GrayImage::from_fn((size + 8) * 10, (size + 8) * 10, |x, y| {
        let (mx, my) = ((x / 10).wrapping_sub(4), (y / 10).wrapping_sub(4));
        let dark = mx < size && my < size && modules[(my * size + mx) as usize];
        image::Luma([if dark { 0 } else { 255 }])
    })
}

#[test]
fn decode_qr_without_a_code_exits_1() {
    let temp = tempfile::tempdir().expect("temp dir");
    let image = temp.path().join("fake-qr.png");
    fs::write(&image, common::png(&fake_qr())).expect("write");
    let readable = temp.path().join("code.png");
    common::write_qr_png(&readable, SETUP_LINKS[1], 5);
    let mut command = test_cli();
    command.arg("decode-qr").arg(&image);
    let run = Run::of(command);
    run.assert_code(1);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("No QR code found"), "{}", run.stderr);

    let missing = temp.path().join("does-not-exist.png");
    let mut command = test_cli();
    command.arg("decode-qr").arg(&missing);
    let run = Run::of(command);
    run.assert_code(1);
    assert!(
        run.stderr.contains(&missing.display().to_string()),
        "{}",
        run.stderr
    );

    // One readable code among unreadable files is enough to succeed.
    let mut command = test_cli();
    command
        .arg("decode-qr")
        .arg(&missing)
        .arg(&image)
        .arg(&readable);
    let run = Run::of(command);
    run.assert_code(0);
    assert!(
        run.stdout.starts_with("otpauth://totp/PyPI:"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains(&missing.display().to_string()));
}

// ---------------------------------------------------------------------------------------
// usage and environment

#[test]
fn help_and_usage_errors() {
    for flag in ["--help", "-h"] {
        let mut command = test_cli();
        command.arg(flag);
        let run = Run::of(command);
        run.assert_code(0);
        assert!(
            run.stdout.starts_with("Usage: ringlet-cli"),
            "{}",
            run.stdout
        );
        for name in [
            "init",
            "add",
            "import",
            "list",
            "code",
            "decode-qr",
            "--password-file",
        ] {
            assert!(run.stdout.contains(name), "help lacks {name}");
        }
    }
    let bad: [&[&str]; 6] = [
        &[],
        &["frobnicate"],
        &["list", "--bogus"],
        &["code"],
        &["code", "x", "--at", "yesterday"],
        &["--vault"],
    ];
    for args in bad {
        let mut command = test_cli();
        command.args(args);
        let run = Run::of(command);
        run.assert_code(1);
        assert!(run.stdout.is_empty(), "{args:?}");
        assert!(
            run.stderr.starts_with("error: "),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("--help"), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn ringlet_vault_environment_variable_is_honoured() {
    let setup = Setup::with_vault();
    setup.add(&totp_uri("EnvCo", "dana", RFC_SECRET_SHA1, ""));

    let run = Run::from_output(
        test_cli()
            .arg("--password-file")
            .arg(&setup.password_file)
            .args(["code", "envco", "--at", "59"])
            .env("RINGLET_VAULT", &setup.vault)
            .stdin(Stdio::null())
            .output()
            .expect("run"),
    );
    run.assert_code(0);
    assert_eq!(run.stdout, "287082\n");

    // --vault wins over the variable.
    let elsewhere = setup.temp().join("elsewhere");
    let run = Run::from_output(
        test_cli()
            .arg("--vault")
            .arg(&elsewhere)
            .arg("--password-file")
            .arg(&setup.password_file)
            .arg("list")
            .env("RINGLET_VAULT", &setup.vault)
            .stdin(Stdio::null())
            .output()
            .expect("run"),
    );
    run.assert_code(1);
    assert!(run.stderr.contains("No vault at"), "{}", run.stderr);
}

#[test]
fn password_from_stdin_when_no_file_is_given() {
    let setup = Setup::with_vault();
    let mut child = test_cli()
        .arg("--vault")
        .arg(&setup.vault)
        .arg("list")
        .env_remove("RINGLET_VAULT")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .expect("write");
    let run = Run::from_output(child.wait_with_output().expect("wait"));
    run.assert_code(0);
    assert!(run.stdout.contains("no accounts"), "{}", run.stdout);

    // Empty stdin: a clear error, not a hang or a panic.
    let mut command = test_cli();
    command.arg("--vault").arg(&setup.vault).arg("list");
    let run = Run::of(command);
    run.assert_code(1);
    assert!(run.stderr.contains("password"), "{}", run.stderr);
}

/// The shipped behaviour: a CLI run without the test switch raises a vault's fast test
/// parameters to the policy at unlock, as it would any weak parameters.
#[test]
fn the_cli_raises_fast_test_params_at_unlock() {
    let setup = Setup::with_vault();
    let output = Command::new(BIN)
        .arg("--vault")
        .arg(&setup.vault)
        .arg("--password-file")
        .arg(&setup.password_file)
        .arg("list")
        .env_remove(ringlet_core::vault::KEEP_WEAK_KDF_ENV)
        .env_remove("RINGLET_VAULT")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let vault = Vault::open(&setup.vault, PASSWORD.as_bytes()).unwrap();
    assert!(
        vault.kdf_params().meets_policy(),
        "{:?}",
        vault.kdf_params()
    );
    // And with the switch, a test build keeps them (what the other tests rely on).
    let kept = Setup::with_vault();
    kept.run(&["list"]).assert_code(0);
    let vault = Vault::open(&kept.vault, PASSWORD.as_bytes()).unwrap();
    assert_eq!(vault.kdf_params(), KdfParams::fast_for_tests());
}

// ---------------------------------------------------------------------------------------
// settings

#[test]
fn settings_are_shown_and_set_sealed_for_the_vault() {
    let setup = Setup::with_vault();
    let shown = setup.run(&["settings"]);
    shown.assert_code(0);
    let defaults: Value = serde_json::from_str(&shown.stdout).expect("settings as JSON");
    assert_eq!(defaults["autoLockSeconds"], 300);
    assert_eq!(defaults["lockOnSuspend"], true);

    let set = setup.run(&[
        "settings",
        "set",
        "autoLockSeconds=never",
        "clipboardClearSeconds=5",
        "lockOnSuspend=false",
    ]);
    set.assert_code(0);
    // What the app reads: sealed under the vault's key.
    let vault = Vault::open(&setup.vault, PASSWORD.as_bytes()).expect("open");
    let saved =
        ringlet_core::settings::Settings::load_sealed(&setup.vault, &vault).expect("sealed");
    drop(vault);
    assert_eq!(saved.auto_lock_seconds, None);
    assert_eq!(saved.clipboard_clear_seconds, Some(5));
    assert!(!saved.lock_on_suspend);

    let refused = setup.run(&["settings", "set", "autoLockSeconds=5"]);
    refused.assert_code(1);
    assert!(
        refused.stderr.contains("between 30 seconds and a day"),
        "{}",
        refused.stderr
    );

    // A file edited by hand is not used, and the CLI says so.
    let path = setup.vault.join("settings.json");
    let edited = fs::read_to_string(&path)
        .unwrap()
        .replace("\"clipboardClearSeconds\":5", "\"clipboardClearSeconds\":9");
    fs::write(&path, edited).unwrap();
    let shown = setup.run(&["settings"]);
    shown.assert_code(0);
    assert!(
        shown
            .stderr
            .contains("not written by Ringlet for this vault"),
        "{}",
        shown.stderr
    );
    let in_force: Value = serde_json::from_str(&shown.stdout).unwrap();
    assert_eq!(in_force["clipboardClearSeconds"], 20);
}

// ---------------------------------------------------------------------------------------
// recovery

#[test]
fn recovery_codes_are_added_listed_and_used() {
    let setup = Setup::with_vault();
    setup.add(&totp_uri("GitHub", "alice", RFC_SECRET_SHA1, ""));
    let codes = setup.temp().join("github-recovery-codes.txt");
    fs::write(
        &codes,
        "a1b2c-3d4e5\nf6a7b-8c9d0\n1a2b3-c4d5e\n\nKeep them safe.\n",
    )
    .unwrap();
    let added = setup.run(&["recovery", "github", "add", codes.to_str().unwrap()]);
    added.assert_code(0);
    assert!(
        added.stdout.contains("Added 3 recovery codes"),
        "{}",
        added.stdout
    );
    assert!(
        added.stdout.contains("3 of 3 recovery codes left"),
        "{}",
        added.stdout
    );

    let used = setup.run(&["recovery", "github", "use", "F6A7B 8C9D0"]);
    used.assert_code(0);
    assert!(
        used.stdout.contains("2 of 3 recovery codes left"),
        "{}",
        used.stdout
    );
    let again = setup.run(&["recovery", "github", "use", "f6a7b-8c9d0"]);
    again.assert_code(1);
    assert!(
        again.stderr.contains("already marked used"),
        "{}",
        again.stderr
    );
    let unknown = setup.run(&["recovery", "github", "use", "zzzzz-zzzzz"]);
    unknown.assert_code(1);

    let listed = setup.run(&["recovery", "github", "list"]);
    listed.assert_code(0);
    assert_eq!(
        listed.stdout,
        "  1. a1b2c-3d4e5\n  2. f6a7b-8c9d0  (used)\n  3. 1a2b3-c4d5e\n2 of 3 recovery codes left.\n"
    );
    assert_eq!(setup.list_json()[0]["recoveryLeft"], 2);
    // Sealed like every record: no code in clear anywhere in the vault's files.
    for file in walk(&setup.vault) {
        let bytes = fs::read(&file).unwrap_or_default();
        assert!(
            !bytes.windows(11).any(|w| w == b"a1b2c-3d4e5"),
            "{} holds a recovery code in clear",
            file.display()
        );
    }
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

// ---------------------------------------------------------------------------------------
// edit, remove, trash

#[test]
fn edit_changes_labels_tags_note_and_pin() {
    let setup = Setup::with_vault();
    setup.add(&totp_uri("GitHub", "alice", RFC_SECRET_SHA1, ""));
    let edited = setup.run(&[
        "edit",
        "github",
        "--issuer",
        "GitHub Enterprise",
        "--tags",
        "work, code",
        "--note",
        "laptop",
        "--pin",
    ]);
    edited.assert_code(0);
    let item = &setup.list_json()[0];
    assert_eq!(item["issuer"], "GitHub Enterprise");
    assert_eq!(item["tags"], serde_json::json!(["work", "code"]));
    assert_eq!(item["note"], "laptop");
    assert_eq!(item["pinned"], true);
    let cleared = setup.run(&["edit", "enterprise", "--tags=", "--unpin"]);
    cleared.assert_code(0);
    let item = &setup.list_json()[0];
    assert_eq!(item["tags"], serde_json::json!([]));
    assert_eq!(item["pinned"], false);
    assert_eq!(item["note"], "laptop", "what was not given stays");
    let refused = setup.run(&["edit", "enterprise", "--issuer", " ", "--name", " "]);
    refused.assert_code(1);
    assert!(
        refused.stderr.contains("issuer or a name"),
        "{}",
        refused.stderr
    );
}

#[test]
fn code_finds_an_account_by_tag_and_note_as_the_app_does() {
    let setup = Setup::with_vault();
    setup.add(&totp_uri("GitHub", "alice", "JBSWY3DPEHPK3PXP", ""));
    setup.add(&totp_uri("GitLab", "alice", RFC_SECRET_SHA1, ""));
    setup
        .run(&["edit", "gitlab", "--tags", "Wörk", "--note", "the runner"])
        .assert_code(0);
    for query in ["tag:work", "runner", "git tag:wo"] {
        let run = setup.run(&["--at", "59", "code", query]);
        run.assert_code(0);
        assert_eq!(run.stdout, "287082\n", "{query}: GitLab's code");
    }
    let several = setup.run(&["code", "git"]);
    several.assert_code(1);
}

#[test]
fn remove_moves_to_the_trash_and_restore_brings_back() {
    let setup = Setup::with_vault();
    setup.add(&totp_uri("GitHub", "alice", RFC_SECRET_SHA1, ""));
    setup.add(&totp_uri("Example", "bob", RFC_SECRET_SHA1, ""));
    // Not on a terminal: only --yes confirms.
    let unconfirmed = setup.run(&["remove", "github"]);
    unconfirmed.assert_code(1);
    assert!(
        unconfirmed.stderr.contains("--yes"),
        "{}",
        unconfirmed.stderr
    );
    assert_eq!(setup.list_json().len(), 2);

    setup.run(&["remove", "github", "--yes"]).assert_code(0);
    let names: Vec<Value> = setup
        .list_json()
        .iter()
        .map(|i| i["issuer"].clone())
        .collect();
    assert_eq!(names, ["Example"]);
    let trash = setup.run(&["trash", "list"]);
    trash.assert_code(0);
    assert!(
        trash.stdout.contains("GitHub (alice)  (30 days left)"),
        "{}",
        trash.stdout
    );

    setup.run(&["trash", "restore", "github"]).assert_code(0);
    assert_eq!(setup.list_json().len(), 2);
    assert!(setup
        .run(&["trash", "list"])
        .stdout
        .contains("The trash is empty."));

    setup.run(&["remove", "example", "--yes"]).assert_code(0);
    let emptied = setup.run(&["trash", "empty", "--yes"]);
    emptied.assert_code(0);
    assert!(
        emptied.stdout.contains("Removed 1 account for good."),
        "{}",
        emptied.stdout
    );
    let vault = Vault::open(&setup.vault, PASSWORD.as_bytes()).unwrap();
    assert!(vault.trash().unwrap().is_empty());
    assert_eq!(vault.tombstones().unwrap().len(), 1);
}
