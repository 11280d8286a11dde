//! A device's file in a sync folder, read as a sync reads it (`sync::file::split`, then
//! opened under the sync key), and what it carries merged as a sync merges it.
//!
//! Inputs: first byte even: the rest is the body's plaintext (JSON), sealed by the harness
//! under the key it knows (`sync::fuzzing`), so the fuzzer reaches the JSON decoder, the
//! caps on accounts and names, and the merge, as a file from a computer holding the vault's
//! key would; odd: the rest is the file's raw bytes (magic, version, lengths, header copy,
//! sealed body), as anyone who can write to the sync folder could leave there.
//!
//! Checks: no panic; a device name as shown is at most `MAX_NAME_CHARS`; merging what was
//! read is commutative and idempotent (the laws every computer's convergence rests on).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ringlet_core::sync::file::MAX_NAME_CHARS;
use ringlet_core::sync::fuzzing;
use ringlet_core::sync::merge::Replica;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let bytes = if first % 2 == 0 {
        match fuzzing::seal(b"a header copy", rest) {
            Some(bytes) => bytes,
            None => return,
        }
    } else {
        rest.to_vec()
    };
    match fuzzing::read(&bytes) {
        Ok(body) => {
            assert!(body.name.chars().count() <= MAX_NAME_CHARS, "{:?}", body.name);
            let empty = Replica::default();
            let merged = fuzzing::merge(&empty, &body.replica);
            assert_eq!(merged, fuzzing::merge(&body.replica, &empty), "commutative");
            assert_eq!(fuzzing::merge(&merged, &merged), merged, "idempotent");
            assert_eq!(fuzzing::merge(&merged, &body.replica), merged, "idempotent");
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
