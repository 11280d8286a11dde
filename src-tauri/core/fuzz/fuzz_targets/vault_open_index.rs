//! End to end, the twin of `vault_index` (same inputs): `Vault::open` of a real vault
//! (valid header and three valid records in sled, built under a key the harness knows)
//! with a fuzzed `vault.index` that carries a valid HMAC: the index decoder and the crash
//! rule's settling (committed, pending, lost, altered, unknown), reached through the file,
//! the sled store and the settled index written back. Slow (sled is opened per input):
//! `vault_index` fuzzes the same decoders in memory, much faster.
//!
//! First byte even: the rest is the index body after magic, version and vault id (raw).
//! First byte odd: each following byte picks a record (3 stored, 2 unknown) and what the
//! index says of it (committed with the right or a wrong hash, pending put right or wrong,
//! pending delete), so the settling logic is reached with matching hashes.
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
    fresh_dir, header, index_content, index_file, kek, record_value, sha256, write_records,
    INDEX_MAGIC, PASSWORD, VAULT_ID,
};
use common::{check_account, Source};

const ACCOUNT: &str = r#"{"issuer":"Fuzz","name":"a@b","otp":{"secret":[1,2,3,4,5,6,7,8,9,10],"algorithm":"SHA1","digits":6,"kind":{"type":"totp","period":30}}}"#;

struct Setup {
    dir: PathBuf,
    /// id → hash of the stored value, for the three stored records.
    stored: BTreeMap<[u8; 16], [u8; 32]>,
}

static SETUP: OnceLock<Setup> = OnceLock::new();

fn setup() -> Setup {
    let dir = fresh_dir("vault-index");
    fs::write(dir.join(HEADER_FILE), header(&kek())).expect("header");
    let records: Vec<([u8; 16], Vec<u8>)> = (1u8..=3)
        .map(|i| ([i; 16], record_value(&[i; 16], ACCOUNT.as_bytes())))
        .collect();
    write_records(&dir, &records);
    let stored = records.iter().map(|(id, v)| (*id, sha256(v))).collect();
    Setup { dir, stored }
}

fuzz_target!(|data: &[u8]| {
    let setup = SETUP.get_or_init(setup);
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut exact = false;
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
        exact = records == setup.stored && pending.is_empty();
        let records: Vec<_> = records.into_iter().collect();
        let pending: Vec<_> = pending.into_iter().collect();
        index_content(u64::from(mode), &records, &pending)
    };
    fs::write(setup.dir.join(INDEX_FILE), index_file(&content)).expect("write index");
    match Vault::open(&setup.dir, PASSWORD) {
        Ok(vault) => {
            let entries = vault.entries().expect("every stored record is valid");
            assert_eq!(entries.len(), 3);
            entries
                .iter()
                .for_each(|e| check_account(&e.account, Source::Stored));
        }
        Err(e) => {
            assert!(
                !exact,
                "an index listing exactly the stored records failed: {e}"
            );
        }
    }
});
