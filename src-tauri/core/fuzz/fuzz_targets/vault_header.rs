//! `Vault::open` on an arbitrary `vault.header` (the header decoder: structure, layout 1 or 2
//! and its key epoch, slot count and kinds, Argon2id bounds, trailing bytes, a later
//! version), with its unkeyed checksum recomputed so the fuzzer gets past it, and Argon2id
//! parameters kept small (at the slot offsets of the layout the version field names).
//!
//! Checks: a version above 2 is `NewerFormat` (unless the file is too short or long to be a
//! header), never damage. Seeds sealed with the harness's key (`make_seeds.py`, `real-*`)
//! open their password slot; the fuzzer then reaches the header MAC, and a slot that opens
//! must be byte for byte the one the harness seals for the header's vault id, layout and
//! key epoch: each of them is bound into the slot's AD.
#![no_main]

use std::fs;
use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use ringlet_core::vault::{Damage, Vault, VaultError, HEADER_FILE};

#[path = "../common/mod.rs"]
mod common;
use common::vault::{
    clamp_kdf, fresh_dir, header_slots_at, kek, sha256, slot_of, Epoch, HEADER_LAYOUT_1,
    HEADER_LAYOUT_2, PASSWORD, SLOT_LEN,
};

static DIR: OnceLock<PathBuf> = OnceLock::new();
static KEK: OnceLock<[u8; 32]> = OnceLock::new();

/// True when the header `bytes` (decoded by the core: layout 1 or 2, well formed) hold a
/// password slot equal to the harness's slot for their vault id, layout and key epoch.
fn holds_harness_slot(bytes: &[u8], layout: u16) -> bool {
    let mut vault_id = [0u8; 16];
    vault_id.copy_from_slice(&bytes[10..26]);
    let epoch = if layout == HEADER_LAYOUT_1 {
        0
    } else {
        u32::from_be_bytes([bytes[26], bytes[27], bytes[28], bytes[29]])
    };
    let at = header_slots_at(bytes);
    let count = usize::from(bytes[at - 1]);
    let expected = slot_of(KEK.get_or_init(kek), &vault_id, Epoch { layout, epoch });
    (0..count)
        .filter_map(|i| bytes.get(at + i * SLOT_LEN..at + (i + 1) * SLOT_LEN))
        .any(|slot| slot[0] == 1 && slot == expected.as_slice())
}

fuzz_target!(|data: &[u8]| {
    let dir = DIR.get_or_init(|| fresh_dir("vault-header"));
    let mut bytes = data.to_vec();
    // The slots the count byte names (at most 8), so that a MAC after them stays intact.
    let slots_at = header_slots_at(&bytes);
    let count = bytes
        .get(slots_at - 1)
        .map_or(0, |&n| usize::from(n).min(8));
    for slot in 0..count {
        clamp_kdf(&mut bytes, slots_at + slot * SLOT_LEN + 1);
    }
    let checksum = sha256(&bytes);
    bytes.extend_from_slice(&checksum);
    fs::write(dir.join(HEADER_FILE), &bytes).expect("write header");
    let version = bytes
        .get(8..10)
        .map(|v| u16::from_be_bytes([v[0], v[1]]))
        .filter(|_| bytes.starts_with(b"RINGLETV"));
    let newer = version.is_some_and(|v| v > HEADER_LAYOUT_2);
    match Vault::open(dir, PASSWORD) {
        Err(VaultError::NewerFormat(v)) => {
            assert!(
                newer && Some(v) == version,
                "NewerFormat({v}) for version {version:?}"
            );
        }
        // The folder holds no record database: a header whose slot opens gets this far.
        Err(VaultError::Damaged(Damage::HeaderMac | Damage::MissingDatabase)) => {
            let layout = version.expect("a header that decoded");
            assert!(
                holds_harness_slot(&bytes, layout),
                "a password slot opened that the harness did not seal for this header's \
                 vault id, layout and key epoch"
            );
        }
        Err(VaultError::Damaged(damage)) => {
            // Too short, or too long, to be read as a header at all.
            assert!(
                !newer || matches!(damage, Damage::HeaderLayout(_) | Damage::TooLarge(_)),
                "a header of version {version:?} is damaged ({damage}), not newer"
            );
        }
        Err(VaultError::WrongPassword) => assert!(!newer),
        Err(e) => panic!("unexpected error opening a fuzzed header: {e}"),
        Ok(_) => panic!("a fuzzed header opened"),
    }
});
