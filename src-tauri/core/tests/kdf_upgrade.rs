//! Weak key-derivation parameters are raised to the policy at unlock, whatever they are:
//! the fast test parameters included. This file never calls `keep_weak_kdf_for_tests`, so
//! it sees what every shipped build does (the switch is per process, and each file in
//! `tests/` is its own process).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{header_params, snapshot};

use ringlet_core::model::{Account, Algorithm, OtpKind, OtpParams, Secret};
use ringlet_core::vault::{KdfParams, Vault, VaultError, RECORDS_DIR};

const PW: &[u8] = b"correct horse battery staple";

fn account() -> Account {
    Account::new(
        "A",
        "a",
        OtpParams {
            secret: Secret::new(b"aaaa".to_vec()),
            algorithm: Algorithm::Sha1,
            digits: 6,
            kind: OtpKind::Totp { period: 30 },
        },
    )
}

fn record_bytes(dir: &Path) -> BTreeMap<Vec<u8>, Vec<u8>> {
    let db = sled::open(dir.join(RECORDS_DIR)).unwrap();
    let tree = db.open_tree("records.v2").unwrap();
    tree.iter()
        .map(|item| {
            let (k, v) = item.unwrap();
            (k.to_vec(), v.to_vec())
        })
        .collect()
}

/// Slots below the policy are upgraded at unlock (calibration: a second or two), but
/// never on a wrong password; the records stay as they were.
fn assert_upgraded_at_unlock(weak: KdfParams) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    Vault::create_with(dir, PW, weak)
        .unwrap()
        .add(&account())
        .unwrap();
    let before = snapshot(dir);
    assert!(matches!(
        Vault::open(dir, b"wrong"),
        Err(VaultError::WrongPassword)
    ));
    assert_eq!(snapshot(dir), before, "a wrong password upgraded the slot");
    assert_eq!(header_params(dir), weak);
    let records_before = record_bytes(dir);

    let vault = Vault::open(dir, PW).unwrap();
    assert!(
        vault.kdf_params().meets_policy(),
        "{:?}",
        vault.kdf_params()
    );
    drop(vault);
    assert!(header_params(dir).meets_policy());
    assert_eq!(record_bytes(dir), records_before);
    assert_eq!(Vault::open(dir, PW).unwrap().entries().unwrap().len(), 1);
}

#[test]
fn weak_kdf_params_are_upgraded_at_unlock() {
    assert_upgraded_at_unlock(KdfParams {
        memory_kib: 256,
        iterations: 1,
        parallelism: 1,
    });
}

/// The parameters tests use get no exemption: a vault carrying them is upgraded too.
#[test]
fn the_fast_test_params_are_upgraded_like_any_other() {
    assert_upgraded_at_unlock(KdfParams::fast_for_tests());
}
