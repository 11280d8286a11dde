//! `otpauth::parse_secret` (typed secrets) on arbitrary text. A secret it accepts, written
//! back as Base32, must read back to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ringlet_core::otpauth;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(secret) = otpauth::parse_secret(&text) {
        let again = data_encoding::BASE32_NOPAD.encode(secret.expose());
        let back = otpauth::parse_secret(&again).expect("a Base32 re-encoding must parse");
        assert!(back == secret, "Base32 re-encoding changed the secret");
    }
});
