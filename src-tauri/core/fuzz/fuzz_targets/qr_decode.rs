//! `qr::decode` (format guess, size caps, the decoding passes) on arbitrary bytes, then
//! each text through `import::read_link` as the app does. Slow (image decoders and the whole
//! search per input): `image_load` and `qr_pixels` fuzz its two halves much faster.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ringlet_core::qr;

#[path = "../common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    // rqrr's panics are contained where it is called; every other one still aborts.
    ringlet_core::qr::contain_rqrr_panics();
    if let Ok(texts) = qr::decode(data) {
        common::check_qr_texts(texts);
    }
});
