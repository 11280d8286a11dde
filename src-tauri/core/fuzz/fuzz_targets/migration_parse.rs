//! `google_authenticator::parse` (Google Authenticator `otpauth-migration://` links) on arbitrary text,
//! then what the app does with a batch: accounts, positions, progress notes, merging.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/migration.rs"]
mod migration_check;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    migration_check::run(&text);
});
