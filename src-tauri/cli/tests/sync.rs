//! `ringlet-cli sync` end to end: the real binary on real vaults sharing one folder, with
//! the exact command lines the README gives.

mod common;

use std::path::Path;

use ringlet_core::model::{Account, Algorithm, OtpKind};
use ringlet_core::vault::Vault;

use common::{accounts, run_cli, Run, TestVault};

fn totp(issuer: &str, name: &str) -> Account {
    let secret = format!("{issuer}:{name}");
    let otp = (Algorithm::Sha1, 6, OtpKind::Totp { period: 30 });
    accounts::account(issuer, name, secret.as_bytes(), otp)
}

const PASSWORD: &str = "correct horse battery staple";

fn ok(run: &Run) -> &str {
    assert_eq!(run.code, 0, "{run:?}");
    &run.stdout
}

fn issuers(vault: &Path) -> Vec<String> {
    let mut out: Vec<String> = Vault::open(vault, PASSWORD.as_bytes())
        .unwrap()
        .entries()
        .unwrap()
        .into_iter()
        .map(|e| e.account.issuer)
        .collect();
    out.sort();
    out
}

#[test]
fn join_now_status_and_leave_between_two_computers() {
    let laptop = TestVault::with(PASSWORD, &[totp("GitHub", "alice")]);
    let folder = laptop.path("Sync");
    std::fs::create_dir(&folder).unwrap();
    let folder_arg = folder.to_str().unwrap();
    let joined = laptop.run(&["sync", "join", folder_arg, "--name", "laptop"]);
    assert!(ok(&joined).contains("now syncs through"), "{joined:?}");
    assert!(joined.stdout.contains("'laptop'"));

    // A second computer with no vault builds its copy from the folder.
    let desktop = laptop.path("desktop-vault");
    let built = run_cli(
        &desktop,
        &laptop.password_file,
        &["sync", "join", folder_arg, "--name", "desktop"],
    );
    assert!(
        ok(&built).contains("Built this computer's copy"),
        "{built:?}"
    );
    assert!(built.stdout.contains("1 account."), "{built:?}");
    assert_eq!(issuers(&desktop), ["GitHub"]);

    // Added on the desktop, synced, seen on the laptop by label.
    let link = laptop.write(
        "link.txt",
        "otpauth://totp/Mastodon:bob?secret=JBSWY3DPEHPK3PXP&issuer=Mastodon\n",
    );
    ok(&run_cli(
        &desktop,
        &laptop.password_file,
        &["add", "--uri-file", link.to_str().unwrap()],
    ));
    let wrote = run_cli(&desktop, &laptop.password_file, &["sync", "now"]);
    assert!(
        ok(&wrote).contains("Wrote this computer's changes"),
        "{wrote:?}"
    );
    let merged = laptop.run(&["sync", "now"]);
    assert!(ok(&merged).contains("Added: Mastodon (bob)"), "{merged:?}");
    assert_eq!(issuers(&laptop.vault), ["GitHub", "Mastodon"]);
    let again = laptop.run(&["sync", "now"]);
    assert!(ok(&again).contains("Nothing changed here."), "{again:?}");

    // Status needs no password: the folder, this computer, the other and when it wrote.
    let status = run_cli(
        &laptop.vault,
        Path::new("/nonexistent"),
        &["sync", "status"],
    );
    let text = ok(&status);
    assert!(
        text.contains(&format!("Sync folder: {}", folder.display())),
        "{text}"
    );
    assert!(text.contains("This computer: 'laptop'"), "{text}");
    assert!(text.contains("'desktop',"), "{text}");
    assert!(text.contains(" UTC"), "{text}");

    // Leaving keeps the vault whole; the laptop then shows the desktop left.
    let left = run_cli(&desktop, &laptop.password_file, &["sync", "leave"]);
    assert!(ok(&left).contains("no longer syncs"), "{left:?}");
    assert_eq!(issuers(&desktop), ["GitHub", "Mastodon"]);
    let status = run_cli(&desktop, &laptop.password_file, &["sync", "status"]);
    assert!(ok(&status).contains("does not sync"), "{status:?}");
    ok(&laptop.run(&["sync", "now"]));
    let status = laptop.run(&["sync", "status"]);
    assert!(ok(&status).contains("'desktop' (left)"), "{status:?}");
}

#[test]
fn another_vault_a_wrong_password_and_an_empty_folder_are_refused() {
    let first = TestVault::with(PASSWORD, &[totp("GitHub", "alice")]);
    let folder = first.path("Sync");
    std::fs::create_dir(&folder).unwrap();
    let folder_arg = folder.to_str().unwrap();
    ok(&first.run(&["sync", "join", folder_arg]));

    // A computer with a vault of its own: never merged into this one.
    let other = TestVault::with(PASSWORD, &[totp("Other", "x")]);
    let refused = other.run(&["sync", "join", folder_arg]);
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(refused.stderr.contains("another vault"), "{refused:?}");
    assert!(
        refused.stderr.contains("never merges two vaults"),
        "{refused:?}"
    );
    assert!(!other.vault.join("sync.json").exists());

    // No vault here: a wrong password builds nothing (exit 2).
    let wrong = first.write("wrong", "not the password\n");
    let nothing = first.path("third");
    let run = run_cli(&nothing, &wrong, &["sync", "join", folder_arg]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(!Vault::exists(&nothing));

    // No vault here and none in the folder: said so, no password asked.
    let empty = first.path("Empty");
    std::fs::create_dir(&empty).unwrap();
    let run = run_cli(&nothing, &wrong, &["sync", "join", empty.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("no vault on this computer and none in"),
        "{run:?}"
    );

    // Not joined yet.
    let lonely = TestVault::with(PASSWORD, &[]);
    let run = lonely.run(&["sync", "now"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("does not sync yet"), "{run:?}");
}

#[test]
fn a_password_changed_on_the_laptop_is_taken_on_the_desktop() {
    let laptop = TestVault::with(PASSWORD, &[totp("GitHub", "alice")]);
    let folder = laptop.path("Sync");
    std::fs::create_dir(&folder).unwrap();
    let folder_arg = folder.to_str().unwrap();
    ok(&laptop.run(&["sync", "join", folder_arg, "--name", "laptop"]));
    let desktop = laptop.path("desktop-vault");
    let password = &laptop.password_file;
    ok(&run_cli(
        &desktop,
        password,
        &["sync", "join", folder_arg, "--name", "desktop"],
    ));

    const NEW: &str = "a brand new password";
    let new_file = laptop.write("new", format!("{NEW}\n"));
    let new_arg = new_file.to_str().unwrap();
    ok(&laptop.run(&["passwd", "--new-password-file", new_arg]));
    ok(&run_cli(&laptop.vault, &new_file, &["sync", "now"]));

    // The desktop, still on the old password, is told what to do.
    let told = run_cli(&desktop, password, &["sync", "now"]);
    assert_eq!(told.code, 0, "{told:?}");
    assert!(told.stderr.contains("changed on 'laptop'"), "{told:?}");
    assert!(
        told.stderr.contains("ringlet-cli sync new-password"),
        "{told:?}"
    );

    // The old password is not the new one: refused (exit 2), the copy unchanged.
    let refused = run_cli(
        &desktop,
        password,
        &[
            "sync",
            "new-password",
            "--new-password-file",
            password.to_str().unwrap(),
        ],
    );
    assert_eq!(refused.code, 2, "{refused:?}");
    let took = run_cli(
        &desktop,
        password,
        &["sync", "new-password", "--new-password-file", new_arg],
    );
    assert!(ok(&took).contains("now opens with it only"), "{took:?}");
    assert!(!took.stderr.contains("warning"), "{took:?}");

    // From now on the desktop opens with the new password, and syncs again.
    let old = run_cli(&desktop, password, &["list"]);
    assert_eq!(old.code, 2, "{old:?}");
    let link = laptop.write(
        "link.txt",
        "otpauth://totp/Mastodon:bob?secret=JBSWY3DPEHPK3PXP&issuer=Mastodon\n",
    );
    ok(&run_cli(
        &desktop,
        &new_file,
        &["add", "--uri-file", link.to_str().unwrap()],
    ));
    ok(&run_cli(&desktop, &new_file, &["sync", "now"]));
    let merged = run_cli(&laptop.vault, &new_file, &["sync", "now"]);
    assert!(ok(&merged).contains("Added: Mastodon (bob)"), "{merged:?}");
    assert!(!merged.stderr.contains("warning"), "{merged:?}");
}
