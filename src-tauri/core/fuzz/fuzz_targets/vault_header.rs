//! `Vault::open` on an arbitrary `vault.header` (the header decoder: structure, version,
//! slot count and kinds, Argon2id bounds, trailing bytes), with its unkeyed checksum
//! recomputed so the fuzzer gets past it, and Argon2id parameters kept small.
#![no_main]

use std::fs;
use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use ringlet_core::vault::{Vault, VaultError, HEADER_FILE};

#[path = "../common/mod.rs"]
mod common;
use common::vault::{clamp_kdf, fresh_dir, sha256, HEADER_PREFIX_LEN, PASSWORD, SLOT_LEN};

static DIR: OnceLock<PathBuf> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let dir = DIR.get_or_init(|| fresh_dir("vault-header"));
    let mut bytes = data.to_vec();
    for slot in 0..8 {
        clamp_kdf(&mut bytes, HEADER_PREFIX_LEN + slot * SLOT_LEN + 1);
    }
    let checksum = sha256(&bytes);
    bytes.extend_from_slice(&checksum);
    fs::write(dir.join(HEADER_FILE), &bytes).expect("write header");
    match Vault::open(dir, PASSWORD) {
        // No slot can open without the harness's key: nothing else is possible.
        Err(VaultError::Damaged(_) | VaultError::WrongPassword) => {}
        Err(e) => panic!("unexpected error opening a fuzzed header: {e}"),
        Ok(_) => panic!("a fuzzed header opened"),
    }
});
