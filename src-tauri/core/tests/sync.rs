//! Sync between real vaults on disk sharing one folder (the engine's part, carrying files
//! between computers, is played by the folder itself; `tests/e2e` runs real Syncthing).

mod common;

use std::path::PathBuf;

use ringlet_core::model::{Account, AccountId, Algorithm, OtpKind, OtpParams, Secret};
use ringlet_core::recovery_codes;
use ringlet_core::sync::{self, merge::Replica, LocalFolder, SyncError};
use ringlet_core::vault::{Vault, VaultError};

use common::fast_kdf;

const PW: &[u8] = b"correct horse battery";

fn totp(issuer: &str, name: &str) -> Account {
    Account::new(
        issuer,
        name,
        OtpParams {
            secret: Secret::new(format!("{issuer}{name}").into_bytes()),
            algorithm: Algorithm::Sha1,
            digits: 6,
            kind: OtpKind::Totp { period: 30 },
        },
    )
}

fn hotp(issuer: &str, counter: u64) -> Account {
    Account {
        otp: OtpParams {
            kind: OtpKind::Hotp { counter },
            ..totp(issuer, "h").otp
        },
        ..totp(issuer, "h")
    }
}

struct Setup {
    _tmp: tempfile::TempDir,
    folder: PathBuf,
    root: PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let tmp = tempfile::tempdir().unwrap();
        let folder = tmp.path().join("Sync");
        std::fs::create_dir(&folder).unwrap();
        let root = tmp.path().to_path_buf();
        Setup {
            _tmp: tmp,
            folder,
            root,
        }
    }

    fn folder(&self) -> LocalFolder {
        LocalFolder::new(&self.folder)
    }

    fn dir(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// The first computer: a new vault, syncing through the folder.
    fn first(&self, name: &str) -> Vault {
        let vault = Vault::create_with(&self.dir(name), PW, fast_kdf()).unwrap();
        sync::join(&vault, &self.folder(), Some(name)).unwrap();
        vault
    }

    /// Another computer joining the vault in the folder.
    fn join(&self, name: &str) -> Vault {
        sync::join_new(&self.dir(name), &self.folder(), PW, Some(name))
            .unwrap()
            .0
    }
}

fn find(vault: &Vault, issuer: &str) -> AccountId {
    vault
        .entries()
        .unwrap()
        .into_iter()
        .find(|e| e.account.issuer == issuer)
        .unwrap_or_else(|| panic!("{issuer} not in the vault"))
        .id
}

fn replica(vault: &Vault) -> Replica {
    vault.replica().unwrap().replica
}

/// Syncs every vault in turn until a round changes nothing; returns the rounds taken.
fn settle(vaults: &[&Vault]) -> usize {
    for round in 1..=5 {
        let mut changed = false;
        for vault in vaults {
            let report = sync::sync_now(vault).unwrap();
            assert!(report.problems.is_empty(), "{:?}", report.problems);
            changed |= !report.applied.is_empty() || report.published;
        }
        if !changed {
            return round;
        }
    }
    panic!("the vaults did not settle in 5 rounds");
}

fn assert_converged(vaults: &[&Vault]) {
    let first = replica(vaults[0]);
    for vault in &vaults[1..] {
        assert_eq!(replica(vault), first, "field by field");
    }
}

#[test]
fn a_second_computer_joins_and_changes_flow_both_ways() {
    let setup = Setup::new();
    let laptop = setup.first("laptop");
    laptop.add(&totp("GitHub", "alice")).unwrap();
    sync::sync_now(&laptop).unwrap();

    let desktop = setup.join("desktop");
    assert_eq!(desktop.vault_id(), laptop.vault_id());
    assert_ne!(desktop.device_id(), laptop.device_id());
    assert_eq!(
        desktop.entries().unwrap()[0].account,
        totp("GitHub", "alice")
    );

    // Added on the desktop, seen on the laptop, by label.
    desktop.add(&totp("Mastodon", "bob")).unwrap();
    sync::sync_now(&desktop).unwrap();
    let report = sync::sync_now(&laptop).unwrap();
    assert_eq!(report.applied.added, vec!["Mastodon (bob)".to_owned()]);
    assert_eq!(report.merged_devices, 1);

    // Edited on one, removed on the other: each arrives.
    let github = find(&laptop, "GitHub");
    let mut renamed = totp("GitHub", "alice");
    renamed.note = "work".into();
    laptop.update(github, &renamed).unwrap();
    desktop.remove(find(&desktop, "Mastodon")).unwrap();
    sync::sync_now(&desktop).unwrap();
    let report = sync::sync_now(&laptop).unwrap();
    assert_eq!(report.applied.removed, vec!["Mastodon (bob)".to_owned()]);
    let report = sync::sync_now(&desktop).unwrap();
    assert_eq!(report.applied.updated, vec!["GitHub (alice)".to_owned()]);
    settle(&[&laptop, &desktop]);
    assert_converged(&[&laptop, &desktop]);
    let entries = desktop.entries().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].account.note, "work");

    // The trash travels too, both ways.
    laptop.move_to_trash(github).unwrap();
    sync::sync_now(&laptop).unwrap();
    let report = sync::sync_now(&desktop).unwrap();
    assert_eq!(report.applied.trashed, vec!["GitHub (alice)".to_owned()]);
    desktop.restore_from_trash(github).unwrap();
    sync::sync_now(&desktop).unwrap();
    let report = sync::sync_now(&laptop).unwrap();
    assert_eq!(report.applied.restored, vec!["GitHub (alice)".to_owned()]);

    // The joined vault opens on its own with the same password.
    drop(desktop);
    let reopened = Vault::open(&setup.dir("desktop"), PW).unwrap();
    assert_eq!(reopened.entries().unwrap().len(), 1);
}

#[test]
fn three_vaults_converge_whatever_the_order() {
    let setup = Setup::new();
    let a = setup.first("a");
    let b = setup.join("b");
    let c = setup.join("c");
    a.add(&hotp("Bank", 5)).unwrap();
    a.add(&totp("Mail", "me")).unwrap();
    settle(&[&a, &b, &c]);

    // HOTP advanced on two copies apart; a rename on the third; recovery codes used apart.
    let bank = |v: &Vault| find(v, "Bank");
    a.update(bank(&a), &hotp("Bank", 9)).unwrap();
    b.update(bank(&b), &hotp("Bank", 7)).unwrap();
    let mail = find(&c, "Mail");
    let mut renamed = totp("Mail", "me");
    renamed.tags = vec!["home".into()];
    c.update(mail, &renamed).unwrap();
    let mut codes = ringlet_core::model::RecoveryCodes::default();
    codes.add(&recovery_codes::parse("1111-2222\n3333-4444\n5555-6666"));
    a.set_recovery_codes(find(&a, "Mail"), &codes).unwrap();
    settle(&[&a, &b, &c]);
    let mut used_b = b.recovery_codes(find(&b, "Mail")).unwrap();
    used_b.mark_used("11112222").unwrap();
    b.set_recovery_codes(find(&b, "Mail"), &used_b).unwrap();
    let mut used_c = c.recovery_codes(find(&c, "Mail")).unwrap();
    used_c.mark_used("3333 4444").unwrap();
    c.set_recovery_codes(find(&c, "Mail"), &used_c).unwrap();

    for order in [[&c, &a, &b], [&b, &c, &a]] {
        settle(&order);
    }
    assert_converged(&[&a, &b, &c]);
    for vault in [&a, &b, &c] {
        let bank = vault.get(bank(vault)).unwrap();
        assert_eq!(
            bank.account.otp.kind,
            OtpKind::Hotp { counter: 9 },
            "never a used code again"
        );
        let mail = find(vault, "Mail");
        assert_eq!(
            vault.get(mail).unwrap().account.tags,
            vec!["home".to_owned()]
        );
        assert_eq!(vault.recovery_codes(mail).unwrap().left(), 1, "used wins");
    }
}

#[test]
fn a_folder_of_another_vault_is_never_merged() {
    let setup = Setup::new();
    let first = setup.first("first");
    first.add(&totp("GitHub", "alice")).unwrap();
    sync::sync_now(&first).unwrap();
    let other = Vault::create_with(&setup.dir("other"), PW, fast_kdf()).unwrap();
    other.add(&totp("Other", "x")).unwrap();
    let refused = sync::join(&other, &setup.folder(), None).unwrap_err();
    assert!(matches!(refused, SyncError::OtherVault { .. }), "{refused}");
    assert!(refused.to_string().contains("never merges two vaults"));
    assert_eq!(other.entries().unwrap().len(), 1);
    assert!(!setup.dir("other").join(sync::SYNC_FILE).exists());

    // A wrong password builds nothing.
    let wrong = sync::join_new(
        &setup.dir("third"),
        &setup.folder(),
        b"wrong password",
        None,
    );
    assert!(
        matches!(wrong, Err(SyncError::Vault(VaultError::WrongPassword))),
        "{wrong:?}"
    );
    assert!(!Vault::exists(&setup.dir("third")));
    // An empty folder has nothing to join.
    let empty = tempfile::tempdir().unwrap();
    let nothing = sync::join_new(
        &setup.dir("fourth"),
        &LocalFolder::new(empty.path()),
        PW,
        None,
    );
    assert!(
        matches!(nothing, Err(SyncError::NothingToJoin { .. })),
        "{nothing:?}"
    );
}

fn device_file(setup: &Setup, vault: &Vault) -> PathBuf {
    setup
        .folder
        .join(format!("{}.ringlet-sync", vault.device_id()))
}

fn problems(vault: &Vault) -> Vec<String> {
    sync::sync_now(vault).unwrap().problems
}

fn assert_problem(problems: &[String], needle: &str) {
    assert!(
        problems.iter().any(|p| p.contains(needle)),
        "no problem saying {needle:?} in {problems:?}"
    );
}

#[test]
fn a_hostile_folder_is_refused_file_by_file_and_nothing_is_lost() {
    let setup = Setup::new();
    let a = setup.first("a");
    let b = setup.join("b");
    a.add(&totp("Kept", "k")).unwrap();
    settle(&[&a, &b]);
    let before = replica(&a);
    let b_file = device_file(&setup, &b);
    let good = std::fs::read(&b_file).unwrap();

    // One byte altered: refused by the MAC.
    let mut altered = good.clone();
    let last = altered.len() - 40;
    altered[last] ^= 1;
    std::fs::write(&b_file, &altered).unwrap();
    assert_problem(&problems(&a), "does not authenticate");

    // Cut short (still being copied): refused until whole.
    std::fs::write(&b_file, &good[..good.len() / 2]).unwrap();
    assert_problem(&problems(&a), "incomplete");

    // Renamed to another device: the name is bound in.
    std::fs::write(&b_file, &good).unwrap();
    let renamed = setup
        .folder
        .join(format!("{}.ringlet-sync", "ab".repeat(16)));
    std::fs::copy(&b_file, &renamed).unwrap();
    assert_problem(&problems(&a), "does not authenticate");
    std::fs::remove_file(&renamed).unwrap();

    // An older copy brought back after a newer one was read: a replay.
    b.add(&totp("Newer", "n")).unwrap();
    sync::sync_now(&b).unwrap();
    sync::sync_now(&a).unwrap();
    std::fs::write(&b_file, &good).unwrap();
    assert_problem(&problems(&a), "older copy");

    // Another vault's file, a huge file, a link loop.
    let other_dir = setup.dir("other");
    let other = Vault::create_with(&other_dir, PW, fast_kdf()).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    sync::join(&other, &LocalFolder::new(elsewhere.path()), None).unwrap();
    let foreign = std::fs::read_dir(elsewhere.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    std::fs::copy(foreign.path(), setup.folder.join(foreign.file_name())).unwrap();
    let huge = setup
        .folder
        .join(format!("{}.ringlet-sync", "cd".repeat(16)));
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(10 * 1024 * 1024 * 1024)
        .unwrap();
    let looped = setup
        .folder
        .join(format!("{}.ringlet-sync", "ef".repeat(16)));
    std::os::unix::fs::symlink(&looped, &looped).unwrap();
    let found = problems(&a);
    assert_problem(&found, "another vault");
    assert_problem(&found, "larger than Ringlet reads");
    assert_problem(&found, "not a plain file");

    // Through all of it, nothing of the vault was lost.
    let after = replica(&a);
    for (id, state) in &before.accounts {
        assert_eq!(after.accounts.get(id), Some(state));
    }
    assert!(a
        .entries()
        .unwrap()
        .iter()
        .any(|e| e.account.issuer == "Newer"));
    // The copy that found its own file rolled back writes it again, and once the hostile
    // files are gone the folder syncs without a problem.
    assert!(sync::sync_now(&b).unwrap().published);
    for path in [&huge, &looped, &setup.folder.join(foreign.file_name())] {
        std::fs::remove_file(path).unwrap();
    }
    assert_eq!(problems(&a), Vec::<String>::new());
    assert_converged(&[&a, &b]);
}

#[test]
fn leaving_keeps_the_vault_whole_and_others_see_it_left() {
    let setup = Setup::new();
    let a = setup.first("a");
    let b = setup.join("b");
    b.add(&totp("Mine", "m")).unwrap();
    settle(&[&a, &b]);
    sync::leave(&b).unwrap();
    assert!(!setup.dir("b").join(sync::SYNC_FILE).exists());
    assert_eq!(b.entries().unwrap().len(), 1);
    assert!(matches!(sync::sync_now(&b), Err(SyncError::NotJoined)));
    sync::sync_now(&a).unwrap();
    let state = sync::SyncState::load(&setup.dir("a")).unwrap().unwrap();
    let peer = &state.peers[&b.device_id()];
    assert!(peer.left);
    assert_eq!(peer.name, "b");
}

#[test]
fn an_unreachable_folder_is_an_error_that_changes_nothing() {
    let setup = Setup::new();
    let a = setup.first("a");
    a.add(&totp("Kept", "k")).unwrap();
    std::fs::remove_dir_all(&setup.folder).unwrap();
    let error = sync::sync_now(&a).unwrap_err();
    assert!(error.to_string().contains("is not reachable"), "{error}");
    assert_eq!(a.entries().unwrap().len(), 1);
    let state = sync::SyncState::load(&setup.dir("a")).unwrap().unwrap();
    assert_problem(&state.problems, "is not reachable");
}

fn issuers(vault: &Vault) -> Vec<String> {
    let mut out: Vec<String> = vault
        .entries()
        .unwrap()
        .into_iter()
        .map(|e| e.account.issuer)
        .collect();
    out.sort();
    out
}

#[test]
fn a_password_changed_on_one_computer_is_taken_on_the_others() {
    const NEW: &[u8] = b"a brand new password";
    let setup = Setup::new();
    let mut a = setup.first("a");
    let mut b = setup.join("b");
    let c = setup.join("c");
    a.add(&totp("Before", "x")).unwrap();
    settle(&[&a, &b, &c]);
    assert!(matches!(
        sync::adopt_password(&mut b, NEW, None),
        Err(SyncError::NoNewerPassword)
    ));

    a.change_password_with(NEW, fast_kdf(), None).unwrap();
    a.add(&totp("After", "y")).unwrap();
    let report = sync::sync_now(&a).unwrap();
    assert!(
        report.published,
        "the file is sealed again under the new key"
    );
    // Meanwhile b changes its own copy; nothing of it may be lost.
    b.add(&totp("Offline", "z")).unwrap();
    let report = sync::sync_now(&b).unwrap();
    assert_eq!(report.password_changed_on.as_deref(), Some("'a'"));
    assert!(
        report.problems.is_empty(),
        "said once: {:?}",
        report.problems
    );
    assert!(!issuers(&b).contains(&"After".to_owned()));

    // The old password opens nothing new: refused, and b is unchanged.
    assert!(matches!(
        sync::adopt_password(&mut b, PW, None),
        Err(SyncError::Vault(VaultError::WrongPassword))
    ));
    assert_eq!(issuers(&b), ["Before", "Offline"]);
    let (_, report) = sync::adopt_password(&mut b, NEW, None).unwrap();
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    assert_problem(
        &report.problems,
        "'c' was skipped: that computer still uses",
    );
    assert_eq!(issuers(&b), ["After", "Before", "Offline"]);

    // c, still on the old key, reads a's and b's files as newer; a and b read c's as older.
    let report = sync::sync_now(&a).unwrap();
    assert_problem(&report.problems, "still uses the vault's old password");
    let mut c = c;
    sync::adopt_password(&mut c, NEW, None).unwrap();
    settle(&[&a, &b, &c]);
    assert_converged(&[&a, &b, &c]);
    assert_eq!(issuers(&c), ["After", "Before", "Offline"]);

    // b's copy opens with the new password only.
    let b_dir = b.dir().to_path_buf();
    drop(b);
    assert!(matches!(
        Vault::open(&b_dir, PW),
        Err(VaultError::WrongPassword)
    ));
    assert_eq!(issuers(&Vault::open(&b_dir, NEW).unwrap()).len(), 3);
}
