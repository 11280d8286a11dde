//! The migration payload decoder (a bounded protobuf reader) on arbitrary bytes: the bytes
//! are wrapped the way an export QR code carries them (Base64, percent-encoded, in an
//! `otpauth-migration://offline?data=` link), since the module exposes no byte-level entry.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/migration.rs"]
mod migration_check;

fuzz_target!(|data: &[u8]| {
    let b64 = data_encoding::BASE64.encode(data);
    let mut link = String::with_capacity(b64.len() * 3 + 40);
    link.push_str("otpauth-migration://offline?data=");
    for c in b64.chars() {
        match c {
            '+' => link.push_str("%2B"),
            '/' => link.push_str("%2F"),
            '=' => link.push_str("%3D"),
            c => link.push(c),
        }
    }
    migration_check::run(&link);
});
