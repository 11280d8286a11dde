//! End to end, the twin of `vault_index` (same inputs): `Vault::open` of a real vault
//! (valid header and three valid records in sled: two accounts and the recovery codes of
//! one, built under a key the harness knows) with a fuzzed v2 `vault.index` that carries a
//! valid HMAC: the index decoder, the check of its key epoch against the header's, and the
//! crash rule's settling (committed, pending, lost, altered, unknown), reached through the
//! file, the sled store and the settled index written back. Slow (sled is opened per
//! input): `vault_index` fuzzes the same decoders in memory, much faster.
//!
//! The input picks the header (layout 2 at key epoch 0, 1 or 0xFFFF_FFFE, or layout 1): one
//! vault folder per choice, its records in the tree named for its epoch. It also picks
//! where the index goes (`common::vault::Placement`): `vault.index`; `vault.index.next`
//! beside an old index of another key (a password change killed after its commit, which
//! `open` must finish); `vault.index` under another key (a header rolled back to a copy
//! from before a password change); or `vault.index` beside the `.next` of an abandoned
//! password change (which `open` must remove).
//!
//! Inputs: `common::vault::fuzzed_index`. For those built from operations, `Vault::open`
//! must open exactly when the crash rule says so; in every case an index under another key
//! never opens, and is `HeaderRolledBack` exactly when it names a later epoch than the
//! header; an open that succeeds leaves no `vault.index.next`.
#![no_main]

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use ringlet_core::vault::{Damage, Vault, VaultError, HEADER_FILE, INDEX_FILE};

#[path = "../common/mod.rs"]
mod common;
use common::check_index_vault;
use common::vault::{
    foreign_index, fresh_dir, fuzzed_index, header, index_records, kek, sha256, write_records,
    Epoch, Hash, Key, Placement, PASSWORD,
};

/// Written beside `vault.index` during a password change (`docs/vault-format.md`).
const INDEX_NEXT_FILE: &str = "vault.index.next";

struct Setup {
    /// One vault folder per `Epoch::CHOICES`, in that order.
    dirs: Vec<PathBuf>,
    /// key → hash of the stored value, for the three stored records.
    stored: BTreeMap<Key, Hash>,
}

static SETUP: OnceLock<Setup> = OnceLock::new();

fn setup() -> Setup {
    // The header's fast Argon2id parameters stay at every open (see `common::vault::KDF`).
    ringlet_core::vault::keep_weak_kdf_for_tests();
    let kek = kek();
    let records = index_records();
    let dirs = Epoch::CHOICES
        .iter()
        .enumerate()
        .map(|(i, at)| {
            let dir = fresh_dir(&format!("vault-index-{i}"));
            fs::write(dir.join(HEADER_FILE), header(&kek, *at)).expect("header");
            write_records(&dir, *at, &records);
            dir
        })
        .collect();
    let stored = records.iter().map(|(key, v)| (*key, sha256(v))).collect();
    Setup { dirs, stored }
}

fuzz_target!(|data: &[u8]| {
    let setup = SETUP.get_or_init(setup);
    let Some(fuzzed) = fuzzed_index(data, &setup.stored) else {
        return;
    };
    let dir = &setup.dirs[fuzzed.at.choice()];
    let index_path = dir.join(INDEX_FILE);
    let next_path = dir.join(INDEX_NEXT_FILE);
    let file = fuzzed.file();
    // What an earlier input's open left (it failed, or was not asked to finish) goes first.
    let _ = fs::remove_file(&next_path);
    let mut old_index = None;
    match fuzzed.placement {
        Placement::Current | Placement::RolledBack => {
            fs::write(&index_path, &file).expect("write index");
        }
        Placement::Committed => {
            let old = foreign_index(fuzzed.at.epoch.saturating_sub(1));
            fs::write(&index_path, &old).expect("write old index");
            fs::write(&next_path, &file).expect("write next index");
            old_index = Some(old);
        }
        Placement::Abandoned => {
            fs::write(&index_path, &file).expect("write index");
            // No choice is the last epoch: + 1 exists.
            fs::write(&next_path, foreign_index(fuzzed.at.epoch + 1)).expect("write next");
        }
    }
    let result = Vault::open(dir, PASSWORD);

    if fuzzed.placement == Placement::RolledBack {
        // Built from operations, the index names the header's epoch + 1.
        let later = fuzzed.named_epoch().is_some_and(|e| e > fuzzed.at.epoch);
        match result {
            Err(VaultError::Damaged(Damage::HeaderRolledBack)) => assert!(
                later,
                "HeaderRolledBack for an index naming epoch {:?}, header at {:?}",
                fuzzed.named_epoch(),
                fuzzed.at
            ),
            Err(VaultError::Damaged(Damage::IndexMac)) => assert!(
                !later,
                "an index under another key naming a later epoch is IndexMac, not HeaderRolledBack"
            ),
            // Raw bytes too short (or long) to be read as an index at all.
            Err(VaultError::Damaged(Damage::IndexLayout(_) | Damage::TooLarge(_)))
                if fuzzed.listed.is_none() => {}
            Err(e) => panic!("an index under another key failed with: {e}"),
            Ok(_) => panic!("an index under another key was accepted"),
        }
        return;
    }

    let opens = fuzzed.listed.as_ref().map(|l| l.should_open(&setup.stored));
    match result {
        Ok(vault) => {
            assert_ne!(
                opens,
                Some(false),
                "an index the crash rule refuses was accepted"
            );
            check_index_vault(&vault);
            assert!(
                !next_path.exists(),
                "{INDEX_NEXT_FILE} left after an open ({:?})",
                fuzzed.placement
            );
            let now = fs::read(&index_path).expect("the index");
            if let Some(old) = old_index {
                assert_ne!(
                    now, old,
                    "the old index stayed in place of the committed one"
                );
            }
            // Nothing pending: nothing to settle, so the fuzzed index is in place as written.
            if fuzzed.listed.as_ref().is_some_and(|l| l.pending.is_empty()) {
                assert!(now == file, "an index with nothing pending was rewritten");
            }
        }
        Err(e) => {
            assert_ne!(
                opens,
                Some(true),
                "an index the crash rule accepts failed: {e}"
            );
            assert!(
                !matches!(e, VaultError::Damaged(Damage::HeaderRolledBack)),
                "HeaderRolledBack with the index under the header's key ({:?})",
                fuzzed.placement
            );
        }
    }
});
