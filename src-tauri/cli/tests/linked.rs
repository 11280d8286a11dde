//! `ringlet-cli linked` through the real binary: a folder holding an encrypted Aegis backup
//! written by `ringlet-cli export` from a "phone" vault, linked to another vault (the
//! password asked for, a wrong one refused with nothing kept), listed, its codes found by
//! `code`, an HOTP account refused, one account copied into the vault, and the link removed.

mod common;

use std::fs;

use common::accounts::mix;
use common::{run_cli, TestVault};

const PASSWORD: &str = "correct horse battery staple";
const BACKUP_PASSWORD: &str = "the phone's backup password";

#[test]
fn a_linked_aegis_folder_is_listed_its_codes_shown_and_an_account_copied_in() {
    let phone = TestVault::with(PASSWORD, &mix());
    let desktop = TestVault::with(PASSWORD, &[]);
    let folder = phone.path("Aegis backups");
    fs::create_dir(&folder).unwrap();
    let backup_password = phone.write("backup-password.txt", format!("{BACKUP_PASSWORD}\n"));
    let wrong = phone.write("wrong.txt", "not the password\n");
    let backup = folder.join("aegis-backup-20260101.json");
    let exported = phone.run(&[
        "export",
        "--format",
        "aegis-encrypted",
        "-o",
        backup.to_str().unwrap(),
        "--export-password-file",
        backup_password.to_str().unwrap(),
    ]);
    assert_eq!(exported.code, 0, "{}", exported.stderr);
    let folder_arg = folder.to_str().unwrap();

    // Encrypted, no password given and no terminal: said how to give it.
    let run = desktop.run(&["linked", "add", folder_arg]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("--import-password-file"),
        "{}",
        run.stderr
    );
    let run = desktop.run(&[
        "linked",
        "add",
        folder_arg,
        "--import-password-file",
        wrong.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("The password is wrong"),
        "{}",
        run.stderr
    );
    assert!(!desktop.vault.join("linked.json").exists());

    let run = desktop.run(&[
        "linked",
        "add",
        folder_arg,
        "--name",
        "Aegis on Pixel",
        "--import-password-file",
        backup_password.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("Linked \"Aegis on Pixel\""),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("8 accounts"), "{}", run.stdout);

    let run = desktop.run(&["linked", "list"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("Linked: Aegis on Pixel"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("GitHub (alice@example.com)"),
        "{}",
        run.stdout
    );

    // `code` finds a linked account when the vault has none that matches: the same code as the phone's.
    let at = "1767225600";
    let linked = desktop.run(&["code", "GitHub", "--at", at]);
    assert_eq!(linked.code, 0, "{}", linked.stderr);
    let on_phone = phone.run(&["code", "GitHub", "--at", at]);
    assert_eq!(linked.stdout, on_phone.stdout);
    // An HOTP account's counter lives on the phone.
    let run = desktop.run(&["code", "Old VPN"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("counter lives on the phone"),
        "{}",
        run.stderr
    );

    // Copied into the vault: the vault's own from then on, and only once.
    let run = desktop.run(&["linked", "copy", "GitHub"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let listed = desktop.run(&["list"]);
    assert!(listed.stdout.contains("GitHub"), "{}", listed.stdout);
    assert_eq!(
        listed
            .stdout
            .lines()
            .filter(|l| l.contains("GitHub"))
            .count(),
        1
    );
    let run = desktop.run(&["linked", "copy", "GitHub"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("already holds this account"),
        "{}",
        run.stderr
    );

    // Renamed, then removed: the folder and its backup are left as they were.
    let run = desktop.run(&["linked", "rename", "aegis on pixel", "Pixel"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = desktop.run(&["linked", "remove", "Pixel"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(fs::read_dir(&folder).unwrap().count(), 1);
    let run = desktop.run(&["linked", "list"]);
    assert!(run.stdout.starts_with("No linked folder"), "{}", run.stdout);
    let run = run_cli(
        &desktop.vault,
        &desktop.password_file,
        &["linked", "remove", "Pixel"],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("No linked folder is called"),
        "{}",
        run.stderr
    );
}
