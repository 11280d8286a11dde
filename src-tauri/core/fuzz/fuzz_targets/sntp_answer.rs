//! A time server's answer (`clock::sntp`), arbitrary bytes from the network: read and
//! measured as the clock check does, with the request's send and receive times taken from
//! the input too. Nothing may panic or overflow; a measurement is one the check can use.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ringlet_core::clock::sntp::fuzzing;

fuzz_target!(|data: &[u8]| {
    let (times, packet) = data.split_at(data.len().min(16));
    let mut sent = [0u8; 8];
    let mut received = [0u8; 8];
    sent[..times.len().min(8)].copy_from_slice(&times[..times.len().min(8)]);
    if times.len() > 8 {
        received[..times.len() - 8].copy_from_slice(&times[8..]);
    }
    let sent = u64::from_le_bytes(sent) % (1 << 45);
    let received = sent + u64::from_le_bytes(received) % 20_000;
    if let Some(measured) = fuzzing::answer(packet, sent, received) {
        assert!(measured.round_trip_ms >= 0 && measured.round_trip_ms <= 10_000);
        assert_eq!(measured.at_ms, received);
        let _ = measured.offset_seconds();
    }
});
