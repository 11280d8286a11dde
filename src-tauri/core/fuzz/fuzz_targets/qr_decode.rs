//! `qr::decode` (format guess, size caps, the decoding passes) on arbitrary bytes, then
//! each text through `import::classify` as the app does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ringlet_core::import::{self, Found};
use ringlet_core::{qr, uri};

#[path = "../common/mod.rs"]
mod common;
use common::{check_account, Source};

fuzz_target!(|data: &[u8]| {
    common::let_known_rqrr_panic_unwind();
    if let Ok(texts) = qr::decode(data) {
        for text in texts {
            if let Found::Account(account) = import::classify(&text) {
                check_account(&account, Source::Uri);
            }
            let _ = uri::parse(&text);
        }
    }
});
