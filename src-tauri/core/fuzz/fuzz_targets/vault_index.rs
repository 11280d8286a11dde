//! The `vault.index` decoder and the crash rule's settling (committed, pending, lost,
//! altered, unknown), fed a fuzzed v2 index with a valid HMAC over three valid stored
//! records (two accounts, the recovery codes of one).
//! Fast: goes through `vault::fuzzing::FuzzVault` (cfg(fuzzing) only), a real `Vault`
//! under a key the harness knows with its records in memory instead of sled, and calls
//! the same `Index::decode` and `Index::settle` that `Vault::open` calls.
//! `vault_open_index` feeds the same inputs through `Vault::open` and sled, end to end.
//!
//! Inputs: `common::vault::fuzzed_index`. For those built from operations the harness
//! predicts, independently, whether the vault must open. The index names a key epoch
//! (the header's, chosen by the input); a `FuzzVault` has no header and reads the index as
//! `Index::decode` does, whatever its epoch and placement: `vault_open_index` checks the
//! epoch against the header's, and acts out the placements (an interrupted or abandoned
//! password change, a header rolled back).
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use ringlet_core::vault::fuzzing::FuzzVault;

#[path = "../common/mod.rs"]
mod common;
use common::check_index_vault;
use common::vault::{
    fresh_dir, fuzzed_index, index_file, index_records, sha256, Hash, Key, DATA_KEY, VAULT_ID,
};

struct Setup {
    vault: FuzzVault,
    /// key → hash of the stored value, for the three stored records.
    stored: BTreeMap<Key, Hash>,
}

thread_local! {
    static SETUP: Setup = setup();
}

fn setup() -> Setup {
    let vault = FuzzVault::new(&fresh_dir("vault-index"), VAULT_ID, DATA_KEY).expect("vault");
    let records = index_records();
    vault.set_records(records.iter().map(|(key, v)| (key, v)));
    let stored = records.iter().map(|(key, v)| (*key, sha256(v))).collect();
    Setup { vault, stored }
}

fuzz_target!(|data: &[u8]| {
    SETUP.with(|setup| {
        let Some(fuzzed) = fuzzed_index(data, &setup.stored) else {
            return;
        };
        // Some((opens, changes)) when the harness knows the outcome.
        let expect = fuzzed
            .listed
            .as_ref()
            .map(|l| (l.should_open(&setup.stored), !l.pending.is_empty()));
        match setup.vault.open_index(&index_file(&fuzzed.content)) {
            Ok(report) => {
                assert!(report.consistent, "settled index inconsistent: {report:?}");
                assert_eq!(report.settled, 3);
                if let Some((opens, changed)) = expect {
                    assert!(opens, "an index the crash rule refuses was accepted");
                    assert_eq!(report.changed, changed);
                }
                check_index_vault(setup.vault.vault());
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
