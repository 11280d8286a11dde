//! The `vault.index` decoder and the crash rule's settling (committed, pending, lost,
//! altered, unknown), fed a fuzzed index with a valid HMAC over three valid stored records.
//! Fast: goes through `vault::fuzzing::FuzzVault` (cfg(fuzzing) only), a real `Vault`
//! under a key the harness knows with its records in memory instead of sled, and calls
//! the same `Index::decode` and `Index::settle` that `Vault::open` calls.
//! `vault_open_index` feeds the same inputs through `Vault::open` and sled, end to end.
//!
//! First byte even: the rest is the index body after magic, version and vault id (raw).
//! First byte odd: each following byte picks a record (3 stored, 2 unknown) and what the
//! index says of it (committed with the right or a wrong hash, pending put right or wrong,
//! pending delete), so the settling logic is reached with matching hashes; the harness
//! then predicts, independently, whether the vault must open.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use ringlet_core::vault::fuzzing::FuzzVault;

#[path = "../common/mod.rs"]
mod common;
use common::vault::{
    fresh_dir, index_content, index_file, record_value, sha256, DATA_KEY, INDEX_MAGIC, VAULT_ID,
};

const ACCOUNT: &str = r#"{"issuer":"Fuzz","name":"a@b","otp":{"secret":[1,2,3,4,5,6,7,8,9,10],"algorithm":"SHA1","digits":6,"kind":{"type":"totp","period":30}}}"#;

type Id = [u8; 16];
type Hash = [u8; 32];

struct Setup {
    vault: FuzzVault,
    /// id → hash of the stored value, for the three stored records.
    stored: BTreeMap<Id, Hash>,
}

thread_local! {
    static SETUP: Setup = setup();
}

fn setup() -> Setup {
    let vault = FuzzVault::new(&fresh_dir("vault-index"), VAULT_ID, DATA_KEY).expect("vault");
    let records: Vec<(Id, Vec<u8>)> = (1u8..=3)
        .map(|i| ([i; 16], record_value(&[i; 16], ACCOUNT.as_bytes())))
        .collect();
    vault.set_records(records.iter().map(|(id, v)| (id, v)));
    let stored = records.iter().map(|(id, v)| (*id, sha256(v))).collect();
    Setup { vault, stored }
}

/// The crash rule, written again from its documentation: every record is in its committed
/// state or, when the index lists a pending change of it, in its new one.
fn should_open(
    stored: &BTreeMap<Id, Hash>,
    records: &BTreeMap<Id, Hash>,
    pending: &BTreeMap<Id, Option<Hash>>,
) -> bool {
    let mut ids: Vec<&Id> = stored.keys().chain(records.keys()).collect();
    ids.extend(pending.keys());
    ids.into_iter().all(|id| {
        let found = stored.get(id);
        found == records.get(id) || pending.get(id).is_some_and(|new| found == new.as_ref())
    })
}

fuzz_target!(|data: &[u8]| {
    SETUP.with(|setup| {
        let Some((&mode, rest)) = data.split_first() else {
            return;
        };
        // Some(expected outcome) when the harness knows it (mode odd).
        let mut expect: Option<(bool, bool)> = None;
        let content = if mode & 1 == 0 {
            let mut content = INDEX_MAGIC.to_vec();
            content.extend_from_slice(&1u16.to_be_bytes());
            content.extend_from_slice(&VAULT_ID);
            content.extend_from_slice(rest);
            content
        } else {
            let mut records = BTreeMap::new();
            let mut pending = BTreeMap::new();
            for &b in rest {
                let id = [1 + b % 5; 16];
                let right = setup.stored.get(&id).copied().unwrap_or([0xEE; 32]);
                let wrong = [b; 32];
                match (b / 5) % 6 {
                    0 => drop(records.insert(id, right)),
                    1 => drop(records.insert(id, wrong)),
                    2 => drop(pending.insert(id, Some(right))),
                    3 => drop(pending.insert(id, Some(wrong))),
                    4 => drop(pending.insert(id, None)),
                    _ => {}
                }
            }
            expect = Some((
                should_open(&setup.stored, &records, &pending),
                !pending.is_empty(),
            ));
            let records: Vec<_> = records.into_iter().collect();
            let pending: Vec<_> = pending.into_iter().collect();
            index_content(u64::from(mode), &records, &pending)
        };
        match setup.vault.open_index(&index_file(&content)) {
            Ok(report) => {
                assert!(report.consistent, "settled index inconsistent: {report:?}");
                assert_eq!(report.settled, 3);
                if let Some((opens, changed)) = expect {
                    assert!(opens, "an index the crash rule refuses was accepted");
                    assert_eq!(report.changed, changed);
                }
                let entries = setup
                    .vault
                    .vault()
                    .entries()
                    .expect("every stored record is valid");
                assert_eq!(entries.len(), 3);
            }
            Err(e) => {
                let _ = e.to_string();
                if let Some((opens, _)) = expect {
                    assert!(!opens, "an index the crash rule accepts failed: {e}");
                }
            }
        }
    });
});
