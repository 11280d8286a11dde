//! End to end, the twin of `vault_record` (same inputs): the vault record decoder through
//! `Vault::open` + `entries`/`get`/`recovery_codes`/`tombstones`/`damaged_records`: a real
//! vault (valid header, v2 index listing the records) whose records, stored in sled, are
//! built from the input.
//! First byte even: the rest is the record's plaintext (JSON), sealed by the harness with
//! the right key and AD (under version byte 2, or a later or earlier one); odd: the rest is
//! stored as the record's raw value (version byte, nonce, ciphertext, tag). The first byte
//! also picks the record's kind, the header's layout and key epoch (the index names the
//! same epoch, the records are in the tree named for it) and a stray records tree of
//! another epoch left beside them (what an interrupted password change or upgrade leaves):
//! see `common::vault::fuzzed_record`.
//! Checks: `common::check_record_vault`; `open` reads the tree of the header's epoch (the
//! stray one holds records the index does not list), and leaves no other records tree
//! (checked when the next input writes the database).
//! Slow: sled is opened twice per input; `vault_record` fuzzes the same decoder in memory.
#![no_main]

use std::fs;
use std::path::PathBuf;
use std::sync::Mutex;

use libfuzzer_sys::fuzz_target;
use ringlet_core::vault::{Vault, HEADER_FILE, INDEX_FILE};

#[path = "../common/mod.rs"]
mod common;
use common::check_record_vault;
use common::vault::{
    fresh_dir, fuzzed_record, header, index_file, index_records, kek, write_trees, Epoch, PASSWORD,
};

struct State {
    dir: PathBuf,
    /// The header of each of `Epoch::CHOICES`.
    headers: Vec<Vec<u8>>,
    /// The choice whose header `vault.header` holds.
    header_written: Option<usize>,
    /// The records tree of the last vault opened: the only one `open` may have left.
    last_tree: Option<String>,
}

static STATE: Mutex<Option<State>> = Mutex::new(None);

fn setup() -> State {
    // The header's fast Argon2id parameters stay at every open (see `common::vault::KDF`).
    ringlet_core::vault::keep_weak_kdf_for_tests();
    let kek = kek();
    State {
        dir: fresh_dir("vault-record"),
        headers: Epoch::CHOICES.iter().map(|at| header(&kek, *at)).collect(),
        header_written: None,
        last_tree: None,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(fuzzed) = fuzzed_record(data) else {
        return;
    };
    let mut state = STATE.lock().unwrap_or_else(|e| e.into_inner());
    let state = state.get_or_insert_with(setup);
    let tree = fuzzed.at.records_tree();
    let before = write_trees(
        &state.dir,
        &[
            (&tree, &fuzzed.records),
            (&fuzzed.stray_tree, &index_records()),
        ],
    );
    if let Some(last) = &state.last_tree {
        assert_eq!(
            before,
            vec![last.clone()],
            "the last open left records trees other than its epoch's"
        );
    }
    let choice = fuzzed.at.choice();
    if state.header_written != Some(choice) {
        fs::write(state.dir.join(HEADER_FILE), &state.headers[choice]).expect("header");
        state.header_written = Some(choice);
    }
    fs::write(
        state.dir.join(INDEX_FILE),
        index_file(&fuzzed.index_content()),
    )
    .expect("write index");
    let vault = match Vault::open(&state.dir, PASSWORD) {
        Ok(vault) => vault,
        Err(e) => panic!(
            "a vault whose index matches its records failed to open ({:?}): {e}",
            fuzzed.at
        ),
    };
    check_record_vault(&vault, &fuzzed);
    drop(vault);
    state.last_tree = Some(tree);
});
