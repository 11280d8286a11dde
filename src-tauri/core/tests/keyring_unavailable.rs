//! The real keyring client with no keyring to talk to: quick unlock fails with a message
//! saying so, quickly, and the password opens the vault. Its own test binary because it
//! points this process's D-Bus session address at a socket that does not exist.
#![cfg(target_os = "linux")]

mod common;

use std::time::{Duration, Instant};

use ringlet_core::keyring::{KeyringError, SecretStore, SystemKeyring};
use ringlet_core::vault::{Vault, VaultError};

use common::fast_kdf;

#[test]
fn no_secret_service_is_a_clear_error_and_the_password_still_works() {
    let tmp = tempfile::tempdir().unwrap();
    // The only test in this binary, run before any keyring call: nothing else reads the
    // environment concurrently.
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        format!("unix:path={}", tmp.path().join("no-bus").display()),
    );

    let mut vault = Vault::create_with(tmp.path(), b"pw", fast_kdf()).unwrap();
    let started = Instant::now();
    let err = vault.enable_quick_unlock(&SystemKeyring).unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    let VaultError::QuickUnlock(KeyringError::Unavailable(detail)) = &err else {
        panic!("expected the keyring to be unavailable, got {err}");
    };
    assert!(!detail.is_empty());
    let message = err.to_string();
    assert!(
        message.starts_with("Quick unlock did not work: the system keyring cannot be reached"),
        "{message}"
    );
    assert!(!vault.has_quick_unlock());
    drop(vault);

    assert!(matches!(
        SystemKeyring.get("vault 00 key 00"),
        Err(KeyringError::Unavailable(_))
    ));
    assert!(Vault::open(tmp.path(), b"pw").is_ok());
}
