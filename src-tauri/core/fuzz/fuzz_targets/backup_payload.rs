//! The backup payload decoder: the input is the plaintext a backup seals (JSON: in version 2
//! `{"entries": [{"account", "stamp", "recovery_codes"}]}`, the account and stamp serialised
//! as in a vault record; in version 1 `{"accounts": [...]}`); the harness builds a complete,
//! valid backup around it (version 1 when the JSON has "accounts", else 2) under a key it
//! knows, and `vault::backup::decode` opens it. A version-2 backup copies the vault's slot
//! with its header layout and key epoch: the input's length modulo 4 picks them
//! (`common::vault::Epoch::CHOICES`: layout 2 at epoch 0, 1 or 0xFFFF_FFFE, or layout 1).
//! Whatever decodes must be usable without a panic (stored accounts are not re-validated).
//! A version-2 backup that opens no longer opens with its head naming another epoch (layout
//! 2) or layout (layout 1), checksum recomputed: both are bound into the slot's AD.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use ringlet_core::vault::backup;

#[path = "../common/mod.rs"]
mod common;
use common::vault::{
    backup_file, backup_relabelled, kek, Epoch, BACKUP_VERSION, BACKUP_VERSION_1, HEADER_LAYOUT_1,
    PASSWORD,
};
use common::{check_account, Source};

static KEK: OnceLock<[u8; 32]> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let kek = KEK.get_or_init(kek);
    // The header's account count must match the payload's: count what serde_json sees.
    // A payload with "accounts" is sealed as a version-1 backup, any other as version 2
    // ("entries").
    let json = serde_json::from_slice::<serde_json::Value>(data).ok();
    let count_of = |field: &str| {
        json.as_ref()
            .and_then(|v| v.get(field))
            .and_then(|a| a.as_array())
            .map(Vec::len)
    };
    let (version, count) = match count_of("accounts") {
        Some(n) => (BACKUP_VERSION_1, n as u32),
        None => (BACKUP_VERSION, count_of("entries").unwrap_or(0) as u32),
    };
    let at = Epoch::CHOICES[data.len() % 4];
    let out = backup_file(kek, version, at, count, data);
    match backup::decode(&out, PASSWORD) {
        Ok(entries) => {
            assert_eq!(entries.len(), count as usize);
            for entry in &entries {
                check_account(&entry.account, Source::Stored);
                if version == BACKUP_VERSION_1 {
                    assert!(entry.stamp.is_none() && entry.recovery_codes.is_none());
                }
            }
            if version == BACKUP_VERSION {
                let other = if at.layout == HEADER_LAYOUT_1 {
                    Epoch::v2(0)
                } else {
                    Epoch::v2(at.epoch ^ 1)
                };
                match backup::decode(&backup_relabelled(&out, other), PASSWORD) {
                    Err(backup::BackupError::WrongPassword) => {}
                    Err(e) => panic!("a backup relabelled {at:?} -> {other:?}: {e}"),
                    Ok(_) => panic!("a backup relabelled {at:?} -> {other:?} still opens"),
                }
            }
        }
        Err(backup::BackupError::Damaged(_)) => {}
        Err(e) => panic!("a backup built with the right key ({at:?}) failed with {e}"),
    }
});
