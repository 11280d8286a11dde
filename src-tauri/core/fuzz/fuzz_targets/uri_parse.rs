//! `otpauth::parse` (and `import::read_link`, which routes a text to it) on arbitrary text.
//! A parsed account must compute codes, and `otpauth::to_uri` must read back to it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ringlet_core::otpauth;

#[path = "../common/mod.rs"]
mod common;
use common::{check_account, Source};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(account) = otpauth::parse(&text) {
        check_account(&account, Source::Uri);
    }
    common::check_link(&text);
});
