//! The microsoft-authenticator importer (`ringlet_core::import`'s format id "microsoft-authenticator") on arbitrary bytes: whole
//! files with and without a password, and the content its decryption gives, if any.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/import.rs"]
mod import_check;

fuzz_target!(|data: &[u8]| {
    import_check::run("microsoft-authenticator", data);
});
