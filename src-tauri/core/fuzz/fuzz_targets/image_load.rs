//! The image loader alone (`qr::load_image`): the format guess from the content, the size
//! limits read from the header before any pixel is decoded, and the decoders under the
//! allocation cap, on arbitrary bytes. The fast twin of `qr_decode`'s first half: a loaded
//! image must be within the limits, and every refusal must be a message for a person.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ringlet_core::qr::{self, MAX_SIDE};

fuzz_target!(|data: &[u8]| {
    match qr::load_image(data) {
        Ok(image) => {
            let (width, height) = qr::fuzzing::loaded_size(&image);
            assert!(
                width <= MAX_SIDE && height <= MAX_SIDE,
                "loaded {width}x{height}"
            );
        }
        Err(error) => assert!(!error.to_string().is_empty()),
    }
});
