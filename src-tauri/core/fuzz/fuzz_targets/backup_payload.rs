//! The backup payload decoder: the input is the plaintext a backup seals (JSON of the
//! accounts, the same serialisation as a vault record); the harness builds a complete,
//! valid backup around it under a key it knows, and `vault::backup::decode` opens it.
//! Whatever decodes must be usable without a panic (stored accounts are not re-validated).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use ringlet_core::vault::backup;

#[path = "../common/mod.rs"]
mod common;
use common::vault::{kek, seal, sha256, slot, subkey, BACKUP_MAGIC, PASSWORD, VAULT_ID};
use common::{check_account, Source};

static SLOT: OnceLock<Vec<u8>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let slot = SLOT.get_or_init(|| slot(&kek()));
    // The header's account count must match the payload's: count what serde_json sees.
    let count = serde_json::from_slice::<serde_json::Value>(data)
        .ok()
        .and_then(|v| v.get("accounts").and_then(|a| a.as_array()).map(Vec::len))
        .unwrap_or(0) as u32;
    let mut out = BACKUP_MAGIC.to_vec();
    out.extend_from_slice(&1u16.to_be_bytes());
    out.extend_from_slice(&VAULT_ID);
    out.extend_from_slice(&1_700_000_000u64.to_be_bytes());
    out.extend_from_slice(&count.to_be_bytes());
    out.extend_from_slice(slot);
    out.extend_from_slice(&((data.len() + 28) as u32).to_be_bytes());
    let mut ad = b"ringlet/backup".to_vec();
    ad.extend_from_slice(&out);
    out.extend_from_slice(&seal(&subkey(b"ringlet v1 backup key"), &ad, data));
    let checksum = sha256(&out);
    out.extend_from_slice(&checksum);
    match backup::decode(&out, PASSWORD) {
        Ok(accounts) => {
            assert_eq!(accounts.len(), count as usize);
            accounts
                .iter()
                .for_each(|a| check_account(a, Source::Stored));
        }
        Err(backup::BackupError::Damaged(_)) => {}
        Err(e) => panic!("a backup built with the right key failed with {e}"),
    }
});
