//! The QR search on pixels the fuzzer sets one by one (`qr::fuzzing::decode_pixels`,
//! cfg(fuzzing) only): grey views, thresholds, finder location, rqrr, rxing and the search
//! deadline, without the file decoders in front of them. The fast twin of `qr_decode`'s
//! second half; its texts go through `import::read_link` as the app does.
//!
//! Input: a layout byte (grey, grey+alpha, RGB, RGBA; bit 2: 16-bit samples), the width
//! (2 bytes, little-endian, taken modulo 1024, plus 1), then the pixels row by row.
//! Images this small must never reach the search's time limit: an input that does is
//! reported, as the slow input it is.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ringlet_core::qr::{self, QrError};

#[path = "../common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    // rqrr's panics are contained where it is called; every other one still aborts.
    ringlet_core::qr::contain_rqrr_panics();
    let [layout, low, high, pixels @ ..] = data else {
        return;
    };
    let width = u32::from(u16::from_le_bytes([*low, *high]) % 1024) + 1;
    match qr::fuzzing::decode_pixels(*layout, width, pixels) {
        None => {}
        Some(Ok(texts)) => common::check_qr_texts(texts),
        Some(Err(QrError::OutOfTime)) => {
            panic!(
                "the search of {} bytes of pixels ran out of time",
                pixels.len()
            )
        }
        // Pixels in memory are never a damaged file; a caught panic would say so.
        Some(Err(error)) => panic!("pixels in memory reported as: {error:?}"),
    }
});
