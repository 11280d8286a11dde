//! The vault record decoder (version byte, AES-256-GCM under the record key with the
//! record's AD, JSON of an account, recovery codes or tombstone) through `entries`, `get`,
//! `recovery_codes`, `tombstones` and `damaged_records` of a real `Vault` under a key the
//! harness knows, whose records are built from the input.
//! Fast: goes through `vault::fuzzing::FuzzVault` (cfg(fuzzing) only), which keeps the
//! records in memory instead of sled; the index listing the records is checked by the same
//! code `Vault::open` runs. `vault_open_record` feeds the same inputs through
//! `Vault::open` and sled, end to end.
//!
//! Inputs: `common::vault::fuzzed_record`. First byte even: the rest is the record's
//! plaintext (JSON), sealed by the harness with the right key and AD (under version byte
//! 2, or a later or earlier one); odd: the rest is stored as the record's raw value
//! (version byte, nonce, ciphertext, tag). The first byte also picks the record's kind
//! (account, recovery codes beside a valid account, tombstone) and the header's key epoch,
//! which the index names (a `FuzzVault` has no header and does not check it; records are
//! sealed alike at every epoch). Checks: `common::check_record_vault`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ringlet_core::vault::fuzzing::FuzzVault;

#[path = "../common/mod.rs"]
mod common;
use common::check_record_vault;
use common::vault::{fresh_dir, fuzzed_record, index_file, DATA_KEY, VAULT_ID};

thread_local! {
    static VAULT: FuzzVault =
        FuzzVault::new(&fresh_dir("vault-record"), VAULT_ID, DATA_KEY).expect("vault");
}

fuzz_target!(|data: &[u8]| {
    VAULT.with(|fuzz| {
        let Some(fuzzed) = fuzzed_record(data) else {
            return;
        };
        fuzz.set_records(fuzzed.records.iter().map(|(key, value)| (key, value)));
        match fuzz.open_index(&index_file(&fuzzed.index_content())) {
            Ok(report) => assert!(report.consistent && !report.changed, "{report:?}"),
            Err(e) => panic!("an index matching its records was refused: {e}"),
        }
        check_record_vault(fuzz.vault(), &fuzzed);
    });
});
