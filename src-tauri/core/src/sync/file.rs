//! A device's file in a sync folder, `<device id>.ringlet-sync` (layout in `docs/sync.md`):
//!
//! `RINGLETS` ‖ version (u16) ‖ header length (u32) ‖ the vault's header (password slot
//! only) ‖ body length (u32) ‖ nonce ‖ AES-256-GCM(sync key, body) ‖ tag.
//!
//! The body is JSON padded to a multiple of 4 KiB, so the file's size says little about
//! how many accounts it holds. Its associated data binds the file to the vault's header
//! (vault id, key epoch) and to the device named by the file name, and the body carries
//! the device's sequence number: a file renamed to another device, altered, or an older
//! copy brought back is refused.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::merge::Replica;
use super::SyncError;
use crate::revision::DeviceId;
use crate::vault::crypto::{self, Key, SEAL_OVERHEAD};

/// The file name's ending.
pub const SUFFIX: &str = ".ringlet-sync";
const MAGIC: &[u8; 8] = b"RINGLETS";
const VERSION: u16 = 1;
/// Largest file read (some 100 000 accounts).
pub const MAX_FILE_LEN: u64 = 64 * 1024 * 1024;
/// Largest header copy (the vault's own cap is far below).
const MAX_HEADER_LEN: usize = 4096;
/// The body's plaintext is padded to a multiple of this.
const PAD_TO: usize = 4096;
/// Most accounts one file may carry.
const MAX_ACCOUNTS: usize = 100_000;
/// Longest device name kept, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// What a device says in its file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Body {
    /// Moves on at each write of this device's file: an older one is a replay.
    pub seq: u64,
    /// When it was written (the writer's clock, Unix milliseconds).
    pub written_ms: u64,
    /// The name the person gave this device ("laptop").
    pub name: String,
    /// Written by `sync leave`: the device stopped syncing.
    #[serde(default)]
    pub left: bool,
    /// Devices the person removed (lost laptops): their files are no longer merged.
    #[serde(default)]
    pub removed: Vec<DeviceId>,
    pub replica: Replica,
}

/// The device a file name belongs to: `<32 hex digits>.ringlet-sync`, nothing else.
pub fn device_of(file_name: &str) -> Option<DeviceId> {
    let hex = file_name.strip_suffix(SUFFIX)?;
    if hex.len() != 32 || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let bytes = data_encoding::HEXLOWER.decode(hex.as_bytes()).ok()?;
    <[u8; 16]>::try_from(bytes).ok().map(DeviceId)
}

/// The file name of `device`.
pub fn file_name(device: DeviceId) -> String {
    format!("{device}{SUFFIX}")
}

/// A file split into its header copy and sealed body (nothing opened yet).
pub struct Parts<'a> {
    pub header: &'a [u8],
    pub sealed: &'a [u8],
}

/// Splits a file; a file cut short (still being copied) or of another kind is refused.
pub fn split(bytes: &[u8]) -> Result<Parts<'_>, SyncError> {
    let damaged = |why: &'static str| SyncError::DamagedFile(why);
    let rest = bytes
        .strip_prefix(&MAGIC[..])
        .ok_or(damaged("it is not a Ringlet sync file"))?;
    let (version, rest) = take_u16(rest).ok_or(SyncError::Incomplete)?;
    if version > VERSION {
        return Err(SyncError::NewerFile(version));
    }
    if version != VERSION {
        return Err(damaged("its version is unknown"));
    }
    let (header_len, rest) = take_u32(rest).ok_or(SyncError::Incomplete)?;
    if header_len as usize > MAX_HEADER_LEN {
        return Err(damaged("its header is too long"));
    }
    let header = rest
        .get(..header_len as usize)
        .ok_or(SyncError::Incomplete)?;
    let rest = &rest[header.len()..];
    let (body_len, rest) = take_u32(rest).ok_or(SyncError::Incomplete)?;
    let body_len = body_len as usize;
    if rest.len() < body_len {
        return Err(SyncError::Incomplete);
    }
    if rest.len() > body_len || body_len < SEAL_OVERHEAD {
        return Err(damaged("its length does not match"));
    }
    Ok(Parts {
        header,
        sealed: rest,
    })
}

/// The associated data of a file's body.
pub(super) fn body_ad(device: DeviceId, header: &[u8]) -> Vec<u8> {
    let mut ad = Vec::with_capacity(12 + 8 + 2 + 16 + 32);
    ad.extend_from_slice(b"ringlet/sync");
    ad.extend_from_slice(MAGIC);
    ad.extend_from_slice(&VERSION.to_be_bytes());
    ad.extend_from_slice(&device.0);
    ad.extend_from_slice(&crypto::sha256(header));
    ad
}

/// The file `device` writes: `header` (see `Vault::header_for_sync`) and `body` sealed
/// under `key`.
pub(crate) fn encode(
    device: DeviceId,
    header: &[u8],
    key: &Key,
    body: &Body,
) -> Result<Vec<u8>, SyncError> {
    let mut json = Zeroizing::new(Vec::with_capacity(64 * 1024));
    serde_json::to_writer(&mut *json, body)
        .map_err(|_| SyncError::Internal("the sync file could not be written"))?;
    let padded = json.len().div_ceil(PAD_TO).max(1) * PAD_TO;
    let mut plain = Zeroizing::new(Vec::with_capacity(padded));
    plain.extend_from_slice(&json);
    plain.resize(padded, b' ');
    let sealed = crypto::seal(key, &body_ad(device, header), &plain)?;
    let header_len =
        u32::try_from(header.len()).map_err(|_| SyncError::Internal("header too long"))?;
    let sealed_len = u32::try_from(sealed.len()).map_err(|_| SyncError::TooLarge)?;
    let mut out = Vec::with_capacity(8 + 2 + 4 + header.len() + 4 + sealed.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_be_bytes());
    out.extend_from_slice(&header_len.to_be_bytes());
    out.extend_from_slice(header);
    out.extend_from_slice(&sealed_len.to_be_bytes());
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Opens the body of `device`'s file under `key`. Any change to the file, or a file of
/// another device renamed, fails here.
pub(crate) fn open(device: DeviceId, parts: &Parts<'_>, key: &Key) -> Result<Body, SyncError> {
    let plain = crypto::open(key, &body_ad(device, parts.header), parts.sealed).ok_or(
        SyncError::DamagedFile("it does not authenticate (altered, or damaged)"),
    )?;
    let mut body: Body = serde_json::from_slice(&plain)
        .map_err(|_| SyncError::DamagedFile("its contents do not decode"))?;
    if body.replica.accounts.len() > MAX_ACCOUNTS || body.replica.recovery.len() > MAX_ACCOUNTS {
        return Err(SyncError::TooLarge);
    }
    body.name = clean_name(&body.name);
    Ok(body)
}

/// A device name as shown: what disguises labels removed, at most [`MAX_NAME_CHARS`].
pub fn clean_name(name: &str) -> String {
    crate::model::display_label(name)
        .chars()
        .take(MAX_NAME_CHARS)
        .collect()
}

fn take_u16(bytes: &[u8]) -> Option<(u16, &[u8])> {
    let (head, rest) = bytes.split_first_chunk::<2>()?;
    Some((u16::from_be_bytes(*head), rest))
}

fn take_u32(bytes: &[u8]) -> Option<(u32, &[u8])> {
    let (head, rest) = bytes.split_first_chunk::<4>()?;
    Some((u32::from_be_bytes(*head), rest))
}
