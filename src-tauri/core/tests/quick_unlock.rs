//! Quick unlock (the vault's keyring slot).
//!
//! The slot logic runs here against two stores: `MapStore`, an in-process map standing in
//! for a keyring that works or fails on demand, and — in the tests marked `#[ignore]`, which
//! `src-tauri/scripts/dev test` runs inside `dbus-run-session` with a real
//! gnome-keyring-daemon — the operating system's keyring through `SystemKeyring`. The
//! keyring-unavailable case with the real client is `tests/keyring_unavailable.rs`.

mod common;

use std::collections::BTreeMap;
use std::sync::Mutex;

use zeroize::Zeroizing;

use ringlet_core::keyring::{KeyringError, SecretStore, SystemKeyring};
use ringlet_core::model::{Account, Algorithm, OtpKind, OtpParams, Secret};
use ringlet_core::vault::backup;
use ringlet_core::vault::{Vault, VaultError, HEADER_FILE};

use common::fast_kdf;

const PW: &[u8] = b"correct horse battery staple";

fn account(name: &str) -> Account {
    Account::new(
        "Example",
        name,
        OtpParams {
            secret: Secret::new(b"12345678901234567890".to_vec()),
            algorithm: Algorithm::Sha1,
            digits: 6,
            kind: OtpKind::Totp { period: 30 },
        },
    )
}

/// A keyring in a map; `broken` makes every call fail the way an absent Secret Service does.
#[derive(Default)]
struct MapStore {
    entries: Mutex<BTreeMap<String, Vec<u8>>>,
    broken: Mutex<bool>,
}

impl MapStore {
    fn check(&self) -> Result<(), KeyringError> {
        if *self.broken.lock().unwrap() {
            Err(KeyringError::Unavailable(
                "no Secret Service on the bus".into(),
            ))
        } else {
            Ok(())
        }
    }
    fn break_it(&self) {
        *self.broken.lock().unwrap() = true;
    }
    fn len(&self) -> usize {
        self.entries.lock().unwrap().len()
    }
    fn overwrite_all(&self, value: &[u8]) {
        for v in self.entries.lock().unwrap().values_mut() {
            *v = value.to_vec();
        }
    }
}

impl SecretStore for MapStore {
    fn get(&self, entry: &str) -> Result<Zeroizing<Vec<u8>>, KeyringError> {
        self.check()?;
        self.entries
            .lock()
            .unwrap()
            .get(entry)
            .map(|v| Zeroizing::new(v.clone()))
            .ok_or(KeyringError::Missing)
    }
    fn set(&self, entry: &str, secret: &[u8]) -> Result<(), KeyringError> {
        self.check()?;
        self.entries
            .lock()
            .unwrap()
            .insert(entry.into(), secret.to_vec());
        Ok(())
    }
    fn delete(&self, entry: &str) -> Result<(), KeyringError> {
        self.check()?;
        self.entries.lock().unwrap().remove(entry);
        Ok(())
    }
}

fn vault_with_one_account(dir: &std::path::Path) -> Vault {
    let vault = Vault::create_with(dir, PW, fast_kdf()).unwrap();
    vault.add(&account("alice")).unwrap();
    vault
}

fn names(vault: &Vault) -> Vec<String> {
    vault
        .entries()
        .unwrap()
        .into_iter()
        .map(|e| e.account.name)
        .collect()
}

fn quick_unlock_error(result: Result<Vault, VaultError>) -> KeyringError {
    match result {
        Err(VaultError::QuickUnlock(e)) => e,
        Err(other) => panic!("expected a quick-unlock error, got {other}"),
        Ok(_) => panic!("expected a quick-unlock error, the vault opened"),
    }
}

#[test]
fn off_by_default_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    drop(vault_with_one_account(tmp.path()));
    assert!(!Vault::quick_unlock_enabled(tmp.path()).unwrap());
    let store = MapStore::default();
    assert_eq!(
        quick_unlock_error(Vault::open_with_keyring(tmp.path(), &store)),
        KeyringError::NotEnabled
    );
}

#[test]
fn enabled_opens_without_the_password_and_the_password_still_works() {
    let tmp = tempfile::tempdir().unwrap();
    let store = MapStore::default();
    let mut vault = vault_with_one_account(tmp.path());
    vault.enable_quick_unlock(&store).unwrap();
    assert!(vault.has_quick_unlock());
    assert_eq!(store.len(), 1);
    drop(vault);

    assert!(Vault::quick_unlock_enabled(tmp.path()).unwrap());
    let vault = Vault::open_with_keyring(tmp.path(), &store).unwrap();
    assert_eq!(names(&vault), ["alice"]);
    drop(vault);
    let vault = Vault::open(tmp.path(), PW).unwrap();
    assert_eq!(names(&vault), ["alice"]);
    assert!(matches!(
        Vault::open(tmp.path(), b"wrong"),
        Err(VaultError::InUse)
    ));
    drop(vault);
    assert!(matches!(
        Vault::open(tmp.path(), b"wrong"),
        Err(VaultError::WrongPassword)
    ));
}

#[test]
fn a_broken_keyring_never_locks_anyone_out() {
    let tmp = tempfile::tempdir().unwrap();
    let store = MapStore::default();
    let mut vault = vault_with_one_account(tmp.path());
    vault.enable_quick_unlock(&store).unwrap();
    drop(vault);
    let header = std::fs::read(tmp.path().join(HEADER_FILE)).unwrap();

    store.break_it();
    let err = quick_unlock_error(Vault::open_with_keyring(tmp.path(), &store));
    assert!(matches!(err, KeyringError::Unavailable(_)));
    let message = VaultError::QuickUnlock(err).to_string();
    assert!(message.contains("cannot be reached"), "{message}");
    assert!(message.contains("Your password still opens the vault"));
    // Nothing was written, and the password works.
    assert_eq!(std::fs::read(tmp.path().join(HEADER_FILE)).unwrap(), header);
    assert_eq!(names(&Vault::open(tmp.path(), PW).unwrap()), ["alice"]);
}

#[test]
fn a_missing_or_replaced_key_is_reported_not_guessed() {
    let tmp = tempfile::tempdir().unwrap();
    let store = MapStore::default();
    let mut vault = vault_with_one_account(tmp.path());
    vault.enable_quick_unlock(&store).unwrap();
    drop(vault);

    store.overwrite_all(&[7u8; 32]);
    assert_eq!(
        quick_unlock_error(Vault::open_with_keyring(tmp.path(), &store)),
        KeyringError::WrongKey
    );
    store.overwrite_all(b"short");
    assert_eq!(
        quick_unlock_error(Vault::open_with_keyring(tmp.path(), &store)),
        KeyringError::WrongKey
    );
    // The vault copied to another computer: its keyring has no entry.
    let elsewhere = MapStore::default();
    assert_eq!(
        quick_unlock_error(Vault::open_with_keyring(tmp.path(), &elsewhere)),
        KeyringError::Missing
    );
    assert_eq!(names(&Vault::open(tmp.path(), PW).unwrap()), ["alice"]);
}

#[test]
fn turning_it_on_with_a_broken_keyring_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let store = MapStore::default();
    let mut vault = vault_with_one_account(tmp.path());
    let header = std::fs::read(tmp.path().join(HEADER_FILE)).unwrap();
    store.break_it();
    assert!(matches!(
        vault.enable_quick_unlock(&store),
        Err(VaultError::QuickUnlock(KeyringError::Unavailable(_)))
    ));
    assert!(!vault.has_quick_unlock());
    assert_eq!(std::fs::read(tmp.path().join(HEADER_FILE)).unwrap(), header);
}

#[test]
fn turning_it_off_removes_the_slot_and_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    let store = MapStore::default();
    let mut vault = vault_with_one_account(tmp.path());
    vault.enable_quick_unlock(&store).unwrap();
    // Turning it on again replaces the slot and its key: one entry, not two.
    vault.enable_quick_unlock(&store).unwrap();
    assert_eq!(store.len(), 1);
    assert_eq!(vault.disable_quick_unlock(&store).unwrap(), None);
    assert!(!vault.has_quick_unlock());
    assert_eq!(store.len(), 0);
    drop(vault);
    assert!(!Vault::quick_unlock_enabled(tmp.path()).unwrap());
    assert_eq!(
        quick_unlock_error(Vault::open_with_keyring(tmp.path(), &store)),
        KeyringError::NotEnabled
    );
}

#[test]
fn turning_it_off_with_a_broken_keyring_still_turns_it_off() {
    let tmp = tempfile::tempdir().unwrap();
    let store = MapStore::default();
    let mut vault = vault_with_one_account(tmp.path());
    vault.enable_quick_unlock(&store).unwrap();
    store.break_it();
    let left = vault.disable_quick_unlock(&store).unwrap();
    assert!(matches!(left, Some(KeyringError::Unavailable(_))));
    drop(vault);
    assert!(!Vault::quick_unlock_enabled(tmp.path()).unwrap());
}

#[test]
fn a_password_change_keeps_quick_unlock_and_backups_never_carry_it() {
    let tmp = tempfile::tempdir().unwrap();
    let store = MapStore::default();
    let mut vault = vault_with_one_account(tmp.path());
    vault.enable_quick_unlock(&store).unwrap();
    let change = vault
        .change_password_with(b"new password", fast_kdf(), Some(&store))
        .unwrap();
    assert!(change.quick_unlock_turned_off.is_none());
    let backup_file = vault.backup_now().unwrap();
    drop(vault);

    assert!(matches!(
        Vault::open(tmp.path(), PW),
        Err(VaultError::WrongPassword)
    ));
    assert_eq!(
        names(&Vault::open(tmp.path(), b"new password").unwrap()),
        ["alice"]
    );
    assert_eq!(
        names(&Vault::open_with_keyring(tmp.path(), &store).unwrap()),
        ["alice"]
    );
    // The backup opens with the password alone, on a machine without this keyring.
    let restored = backup::read(&backup_file, b"new password").unwrap();
    assert_eq!(restored.len(), 1);
}

/// Without the keyring's key, a password change (which makes a new data key) cannot wrap
/// the new key for quick unlock: quick unlock goes off and the change says so.
#[test]
fn a_password_change_without_the_keyring_turns_quick_unlock_off() {
    let tmp = tempfile::tempdir().unwrap();
    let store = MapStore::default();
    let mut vault = vault_with_one_account(tmp.path());
    vault.enable_quick_unlock(&store).unwrap();
    store.break_it();
    let change = vault
        .change_password_with(b"new password", fast_kdf(), Some(&store))
        .unwrap();
    assert!(matches!(
        change.quick_unlock_turned_off,
        Some(KeyringError::Unavailable(_))
    ));
    assert!(!vault.has_quick_unlock());
    drop(vault);
    assert!(!Vault::quick_unlock_enabled(tmp.path()).unwrap());
    assert_eq!(
        names(&Vault::open(tmp.path(), b"new password").unwrap()),
        ["alice"]
    );
}

#[test]
fn a_keyring_slot_is_covered_by_the_header_checks() {
    let tmp = tempfile::tempdir().unwrap();
    let store = MapStore::default();
    let mut vault = vault_with_one_account(tmp.path());
    vault.enable_quick_unlock(&store).unwrap();
    drop(vault);
    let path = tmp.path().join(HEADER_FILE);
    let header = std::fs::read(&path).unwrap();
    // Every byte flipped: damaged (checksum), never opened and never "wrong password".
    for i in (0..header.len()).step_by(7) {
        let mut bad = header.clone();
        bad[i] ^= 0x01;
        std::fs::write(&path, &bad).unwrap();
        assert!(
            matches!(
                Vault::open_with_keyring(tmp.path(), &store),
                Err(VaultError::Damaged(_))
            ),
            "flip at {i}"
        );
        assert!(matches!(
            Vault::quick_unlock_enabled(tmp.path()),
            Err(VaultError::Damaged(_))
        ));
    }
}

/// The real thing: Secret Service (gnome-keyring in CI), macOS Keychain or Windows
/// Credential Manager. Run by `dev test` inside a D-Bus session with gnome-keyring-daemon.
#[test]
#[ignore = "needs a running OS keyring; `src-tauri/scripts/dev test` runs it in a D-Bus session"]
fn system_keyring_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let store = SystemKeyring;
    let mut vault = vault_with_one_account(tmp.path());
    vault.enable_quick_unlock(&store).unwrap();
    drop(vault);

    let vault = Vault::open_with_keyring(tmp.path(), &store).unwrap();
    assert_eq!(names(&vault), ["alice"]);
    let mut vault = vault;
    assert_eq!(vault.disable_quick_unlock(&store).unwrap(), None);
    drop(vault);

    // Made again after turning off: a new entry; the old one is gone from the keyring.
    let mut vault = Vault::open(tmp.path(), PW).unwrap();
    vault.enable_quick_unlock(&store).unwrap();
    drop(vault);
    assert_eq!(
        names(&Vault::open_with_keyring(tmp.path(), &store).unwrap()),
        ["alice"]
    );
    let mut vault = Vault::open(tmp.path(), PW).unwrap();
    assert_eq!(vault.disable_quick_unlock(&store).unwrap(), None);
}

#[test]
#[ignore = "needs a running OS keyring; `src-tauri/scripts/dev test` runs it in a D-Bus session"]
fn system_keyring_entry_removed_behind_our_back_is_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let store = SystemKeyring;
    let mut vault = vault_with_one_account(tmp.path());
    vault.enable_quick_unlock(&store).unwrap();
    drop(vault);
    // Another program (or the person, in Seahorse) deletes every Ringlet entry of this vault.
    let vault = Vault::open(tmp.path(), PW).unwrap();
    let entry = vault.quick_unlock_entry().unwrap();
    drop(vault);
    store.delete(&entry).unwrap();
    assert_eq!(
        quick_unlock_error(Vault::open_with_keyring(tmp.path(), &store)),
        KeyringError::Missing
    );
    assert_eq!(names(&Vault::open(tmp.path(), PW).unwrap()), ["alice"]);
}
