//! `vault::backup::decode` on arbitrary bytes, twice: as given, and with the unkeyed
//! SHA-256 checksum recomputed (so the fuzzer gets past it into the head, the bounds and
//! the slot: in version 2 after the slot's header layout and key epoch) with the Argon2id
//! parameters kept small (see `clamp_kdf`) where the version field puts the slot.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ringlet_core::vault::backup;

#[path = "../common/mod.rs"]
mod common;
use common::vault::{backup_slot_at, clamp_kdf, sha256, PASSWORD};
use common::{check_account, Source};

fuzz_target!(|data: &[u8]| {
    if let Ok(entries) = backup::decode(data, PASSWORD) {
        entries
            .iter()
            .for_each(|e| check_account(&e.account, Source::Stored));
    }
    let mut bytes = data.to_vec();
    let slot_at = backup_slot_at(&bytes);
    clamp_kdf(&mut bytes, slot_at + 1);
    let checksum = sha256(&bytes);
    bytes.extend_from_slice(&checksum);
    match backup::decode(&bytes, PASSWORD) {
        Ok(entries) => entries
            .iter()
            .for_each(|e| check_account(&e.account, Source::Stored)),
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
