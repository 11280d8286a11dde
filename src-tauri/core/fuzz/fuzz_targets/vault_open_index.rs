//! End to end, the twin of `vault_index` (same inputs): `Vault::open` of a real vault
//! (valid header and three valid records in sled, built under a key the harness knows)
//! with a fuzzed `vault.index` that carries a valid HMAC: the index decoder and the crash
//! rule's settling (committed, pending, lost, altered, unknown), reached through the file,
//! the sled store and the settled index written back. Slow (sled is opened per input):
//! `vault_index` fuzzes the same decoders in memory, much faster.
//!
//! Inputs: `common::vault::fuzzed_index`; for those built from operations, `Vault::open`
//! must open exactly when the crash rule says so.
#![no_main]

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use ringlet_core::vault::{Vault, HEADER_FILE, INDEX_FILE};

#[path = "../common/mod.rs"]
mod common;
use common::vault::{
    fresh_dir, fuzzed_index, header, index_file, index_records, kek, sha256, write_records, Hash,
    Id, PASSWORD,
};
use common::{check_account, Source};

struct Setup {
    dir: PathBuf,
    /// id → hash of the stored value, for the three stored records.
    stored: BTreeMap<Id, Hash>,
}

static SETUP: OnceLock<Setup> = OnceLock::new();

fn setup() -> Setup {
    let dir = fresh_dir("vault-index");
    fs::write(dir.join(HEADER_FILE), header(&kek())).expect("header");
    let records = index_records();
    write_records(&dir, &records);
    let stored = records.iter().map(|(id, v)| (*id, sha256(v))).collect();
    Setup { dir, stored }
}

fuzz_target!(|data: &[u8]| {
    let setup = SETUP.get_or_init(setup);
    let Some((content, listed)) = fuzzed_index(data, &setup.stored) else {
        return;
    };
    let opens = listed.map(|l| l.should_open(&setup.stored));
    fs::write(setup.dir.join(INDEX_FILE), index_file(&content)).expect("write index");
    match Vault::open(&setup.dir, PASSWORD) {
        Ok(vault) => {
            assert_ne!(
                opens,
                Some(false),
                "an index the crash rule refuses was accepted"
            );
            let entries = vault.entries().expect("every stored record is valid");
            assert_eq!(entries.len(), 3);
            entries
                .iter()
                .for_each(|e| check_account(&e.account, Source::Stored));
        }
        Err(e) => {
            assert_ne!(
                opens,
                Some(true),
                "an index the crash rule accepts failed: {e}"
            );
        }
    }
});
