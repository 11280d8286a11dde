//! `import::scan_bytes`: what the app and the CLI do with a dropped, picked or pasted file
//! (image, text of links, export codes), on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ringlet_core::import::{self, Found};
use ringlet_core::migration;

#[path = "../common/mod.rs"]
mod common;
use common::{check_account, Source};

fuzz_target!(|data: &[u8]| {
    // rqrr's panics are contained where it is called; every other one still aborts.
    ringlet_core::qr::contain_rqrr_panics();
    let Ok(found) = import::scan_bytes(data) else {
        return;
    };
    let mut batches = Vec::new();
    for item in found {
        match item {
            Found::Account(account) => check_account(&account, Source::Uri),
            Found::Migration(batch) => {
                for account in batch.accounts() {
                    check_account(account, Source::Validated);
                }
                batches.push(batch);
            }
            Found::Invalid(e) => {
                let _ = e.to_string();
            }
            Found::InvalidMigration(e) => {
                let _ = e.to_string();
            }
            Found::NotOtp { text } => assert!(text.chars().count() <= 200),
            Found::Unsupported { .. } => {}
        }
    }
    for merged in migration::merge(batches) {
        let _ = merged.progress.note();
    }
});
