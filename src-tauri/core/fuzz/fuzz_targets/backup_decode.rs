//! `vault::backup::decode` on arbitrary bytes, twice: as given, and with the unkeyed
//! SHA-256 checksum recomputed (so the fuzzer gets past it into the header, the bounds
//! and the slot) with the Argon2id parameters kept small (see `clamp_kdf`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ringlet_core::vault::backup;

#[path = "../common/mod.rs"]
mod common;
use common::vault::{clamp_kdf, sha256, BACKUP_PREFIX_LEN, PASSWORD};
use common::{check_account, Source};

fuzz_target!(|data: &[u8]| {
    if let Ok(accounts) = backup::decode(data, PASSWORD) {
        accounts
            .iter()
            .for_each(|a| check_account(a, Source::Stored));
    }
    let mut bytes = data.to_vec();
    clamp_kdf(&mut bytes, BACKUP_PREFIX_LEN + 1);
    let checksum = sha256(&bytes);
    bytes.extend_from_slice(&checksum);
    match backup::decode(&bytes, PASSWORD) {
        Ok(accounts) => accounts
            .iter()
            .for_each(|a| check_account(a, Source::Stored)),
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
