//! The vault record decoder (version byte, AES-256-GCM under the record key with the
//! record's AD, JSON of an account) through `entries`, `get` and `damaged_records` of a
//! real `Vault` under a key the harness knows, whose one record is built from the input.
//! Fast: goes through `vault::fuzzing::FuzzVault` (cfg(fuzzing) only), which keeps the
//! records in memory instead of sled; the index listing the record is checked by the same
//! code `Vault::open` runs. `vault_open_record` feeds the same inputs through
//! `Vault::open` and sled, end to end.
//!
//! First byte even: the rest is the record's plaintext (JSON of an account), sealed by the
//! harness with the right key and AD. First byte odd: the rest is stored as the record's
//! raw value (version byte, nonce, ciphertext, tag).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ringlet_core::vault::fuzzing::FuzzVault;
use ringlet_core::AccountId;

#[path = "../common/mod.rs"]
mod common;
use common::vault::{
    fresh_dir, fuzzed_record, index_content, index_file, sha256, DATA_KEY, RECORD_ID as ID,
    VAULT_ID,
};
use common::{check_account, Source};

thread_local! {
    static VAULT: FuzzVault =
        FuzzVault::new(&fresh_dir("vault-record"), VAULT_ID, DATA_KEY).expect("vault");
}

fuzz_target!(|data: &[u8]| {
    VAULT.with(|fuzz| {
        let Some(value) = fuzzed_record(data) else {
            return;
        };
        fuzz.set_records([(ID, &value)]);
        let index = index_content(7, &[(ID, sha256(&value))], &[]);
        match fuzz.open_index(&index_file(&index)) {
            Ok(report) => assert!(report.consistent && !report.changed, "{report:?}"),
            Err(e) => panic!("an index matching its records was refused: {e}"),
        }
        let vault = fuzz.vault();
        match vault.entries() {
            Ok(entries) => {
                assert_eq!(entries.len(), 1);
                entries
                    .iter()
                    .for_each(|e| check_account(&e.account, Source::Stored));
                assert!(vault.damaged_records().expect("listing").is_empty());
                let entry = vault.get(AccountId(ID)).expect("the listed record");
                assert!(entry.account == entries[0].account);
            }
            Err(e) => {
                let _ = e.to_string();
                assert_eq!(
                    vault.damaged_records().expect("listing"),
                    vec![AccountId(ID)]
                );
                assert!(vault.get(AccountId(ID)).is_err());
            }
        }
    });
});
