//! `import::open_bytes`: what the app and the CLI do with a dropped, picked or pasted file
//! (image, text of links, export codes), on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ringlet_core::import::{self, Opened};

#[path = "../common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    // rqrr's panics are contained where it is called; every other one still aborts.
    ringlet_core::qr::contain_rqrr_panics();
    if let Ok(Opened::Read(contents)) = import::open_bytes(data, None) {
        assert!(contents.entry_count() <= import::MAX_ENTRIES);
        common::check_contents(contents);
    }
});
