//! Fuzz-only entry points into the sync file's reader (compiled only under `cfg(fuzzing)`,
//! which cargo-fuzz passes; no app, CLI, test or release build has it). The key is fixed
//! and known to the harness, so that fuzzed bodies sealed by the harness reach the JSON
//! decoder, the caps and the merge, as a file from a computer holding the vault's key would.

use super::file::{self, Body};
use super::merge::{self, Replica};
use super::SyncError;
use crate::revision::DeviceId;
use crate::vault::crypto::{self, Key};

/// The device whose file the harness builds.
pub const DEVICE: DeviceId = DeviceId([0x5a; 16]);
/// The sync key the harness seals with.
const KEY_BYTES: [u8; 32] = [0x42; 32];

fn key() -> Key {
    let mut key = Key::zeroed();
    key.copy_from_slice(&KEY_BYTES);
    key
}

/// A device file of [`DEVICE`] whose body is `plaintext`, sealed as `file::encode` seals,
/// beside `header` (any bytes: the reader only binds them into the associated data).
pub fn seal(header: &[u8], plaintext: &[u8]) -> Option<Vec<u8>> {
    let sealed = crypto::seal(&key(), &file::body_ad(DEVICE, header), plaintext).ok()?;
    let mut out = b"RINGLETS".to_vec();
    out.extend_from_slice(&1u16.to_be_bytes());
    out.extend_from_slice(&u32::try_from(header.len()).ok()?.to_be_bytes());
    out.extend_from_slice(header);
    out.extend_from_slice(&u32::try_from(sealed.len()).ok()?.to_be_bytes());
    out.extend_from_slice(&sealed);
    Some(out)
}

/// Reads `bytes` as [`DEVICE`]'s file, as a sync does: split, then opened under the key.
pub fn read(bytes: &[u8]) -> Result<Body, SyncError> {
    let parts = file::split(bytes)?;
    file::open(DEVICE, &parts, &key())
}

/// The merge a sync runs: `incoming` into `base`.
pub fn merge(base: &Replica, incoming: &Replica) -> Replica {
    merge::merge(base, incoming)
}
