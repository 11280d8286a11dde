//! `uri::parse` (and `import::classify`, which routes a text to it) on arbitrary text.
//! A parsed account must compute codes, and `uri::to_uri` must read back to it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ringlet_core::import::{self, Found};
use ringlet_core::uri;

#[path = "../common/mod.rs"]
mod common;
use common::{check_account, Source};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(account) = uri::parse(&text) {
        check_account(&account, Source::Uri);
    }
    if let Found::Account(account) = import::classify(&text) {
        check_account(&account, Source::Uri);
    }
});
