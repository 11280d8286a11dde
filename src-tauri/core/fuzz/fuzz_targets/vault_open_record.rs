//! End to end, the twin of `vault_record` (same inputs): the vault record decoder through
//! `Vault::open` + `entries`/`get`/`damaged_records`: a real vault (valid header, index
//! listing the one record) whose one record, stored in sled, is built from the input.
//! First byte even: the rest is the record's plaintext (JSON of an account), sealed by the
//! harness with the right key and AD. First byte odd: the rest is stored as the record's
//! raw value (version byte, nonce, ciphertext, tag).
//! Slow: sled is opened twice per input; `vault_record` fuzzes the same decoder in memory.
#![no_main]

use std::fs;
use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use ringlet_core::vault::{Vault, HEADER_FILE, INDEX_FILE};
use ringlet_core::AccountId;

#[path = "../common/mod.rs"]
mod common;
use common::vault::{
    fresh_dir, fuzzed_record, header, index_content, index_file, kek, sha256, write_records,
    PASSWORD, RECORD_ID as ID,
};
use common::{check_account, Source};

static DIR: OnceLock<PathBuf> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let dir = DIR.get_or_init(|| {
        let dir = fresh_dir("vault-record");
        fs::write(dir.join(HEADER_FILE), header(&kek())).expect("header");
        dir
    });
    let Some(value) = fuzzed_record(data) else {
        return;
    };
    write_records(dir, &[(ID, value.clone())]);
    let index = index_content(7, &[(ID, sha256(&value))], &[]);
    fs::write(dir.join(INDEX_FILE), index_file(&index)).expect("write index");
    let vault = match Vault::open(dir, PASSWORD) {
        Ok(vault) => vault,
        Err(e) => panic!("a vault whose index matches its records failed to open: {e}"),
    };
    match vault.entries() {
        Ok(entries) => {
            assert_eq!(entries.len(), 1);
            entries
                .iter()
                .for_each(|e| check_account(&e.account, Source::Stored));
            assert!(vault.damaged_records().expect("listing").is_empty());
        }
        Err(e) => {
            let _ = e.to_string();
            assert_eq!(
                vault.damaged_records().expect("listing"),
                vec![AccountId(ID)]
            );
        }
    }
    let _ = vault.get(AccountId(ID));
});
