//! `sync.json` in the vault folder: which sync folder this copy uses, its device name, the
//! sequence number of its last write, and what it knows of the other devices (the highest
//! sequence number seen from each, which makes an older file a replay). Not secret: a
//! folder path or server address, a user name, device names and counters; the vault's
//! folder is the person's own. The one secret, a WebDAV folder's password, is kept sealed
//! under a sub-key of the vault's data key ([`WebDavLogin`]), never in clear.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::SyncError;
use crate::revision::DeviceId;
use crate::vault::files;

/// The file's name in the vault folder.
pub const SYNC_FILE: &str = "sync.json";
const MAX_STATE_LEN: u64 = 4 * 1024 * 1024;

/// This copy's sync set-up and what it has seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncState {
    /// The local folder's path, or the WebDAV folder's address (`kind` says which).
    pub folder: PathBuf,
    /// Where the folder is; files written before WebDAV existed say nothing: local.
    #[serde(default)]
    pub kind: FolderKind,
    /// How to log in to the WebDAV folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webdav: Option<WebDavLogin>,
    /// This device's name, shown on the others.
    pub name: String,
    /// The sequence number of this device's last write.
    #[serde(default)]
    pub seq: u64,
    /// SHA-256 (hex) of the replica last written, so an unchanged vault is not written again.
    #[serde(default)]
    pub published: Option<String>,
    /// Devices removed from this vault's sync.
    #[serde(default)]
    pub removed: Vec<DeviceId>,
    #[serde(default)]
    pub peers: BTreeMap<DeviceId, Peer>,
    /// When this copy last merged the folder (Unix milliseconds).
    #[serde(default)]
    pub last_sync_ms: Option<u64>,
    /// What the last sync could not do, in words.
    #[serde(default)]
    pub problems: Vec<String>,
    /// The computer (in words) on which the last sync found the vault's password changed:
    /// until the new password is taken here, its changes cannot be merged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_changed_on: Option<String>,
}

/// Where the sync folder is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FolderKind {
    /// A folder on this computer, which a sync engine carries.
    #[default]
    Local,
    /// A folder on a WebDAV server, reached directly.
    WebDav,
}

/// A WebDAV folder's user, and its password sealed: AES-256-GCM under a sub-key of the
/// vault's data key (HKDF, info `ringlet v1 sync credential`), its associated data binding
/// the vault id, the folder's address and the user. Sealed again at a password change,
/// like `settings.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebDavLogin {
    pub user: String,
    /// Base64 of nonce ‖ ciphertext ‖ tag.
    pub password_sealed: String,
}

/// Another device, as its last file said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Peer {
    pub name: String,
    pub seq: u64,
    pub written_ms: u64,
    #[serde(default)]
    pub left: bool,
}

impl SyncState {
    pub fn new(folder: PathBuf, name: String) -> SyncState {
        SyncState {
            folder,
            kind: FolderKind::Local,
            webdav: None,
            name,
            seq: 0,
            published: None,
            removed: Vec::new(),
            peers: BTreeMap::new(),
            last_sync_ms: None,
            problems: Vec::new(),
            password_changed_on: None,
        }
    }

    /// The state kept in the vault folder `dir`, if this copy syncs.
    pub fn load(dir: &Path) -> Result<Option<SyncState>, SyncError> {
        let path = dir.join(SYNC_FILE);
        if !path.exists() {
            return Ok(None);
        }
        let bytes = files::read_limited(&path, MAX_STATE_LEN, "sync.json")?;
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| SyncError::StateDamaged(e.to_string()))
    }

    pub fn save(&self, dir: &Path) -> Result<(), SyncError> {
        let bytes = serde_json::to_vec_pretty(self)
            .map_err(|_| SyncError::Internal("sync.json could not be written"))?;
        files::write_atomically(&dir.join(SYNC_FILE), &bytes).map_err(VaultErrorIo)?;
        Ok(())
    }

    pub fn remove(dir: &Path) -> Result<(), SyncError> {
        match std::fs::remove_file(dir.join(SYNC_FILE)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(VaultErrorIo(e).into()),
        }
    }

    /// The name shown for `device`: its own, or the start of its id.
    pub fn name_of(&self, device: DeviceId) -> String {
        match self.peers.get(&device) {
            Some(peer) if !peer.name.is_empty() => format!("'{}'", peer.name),
            _ => format!("device {}", &device.to_string()[..8]),
        }
    }
}

/// An I/O failure on the vault folder's own files.
struct VaultErrorIo(std::io::Error);

impl From<VaultErrorIo> for SyncError {
    fn from(error: VaultErrorIo) -> SyncError {
        SyncError::Vault(crate::vault::VaultError::Io(error.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sync_json_from_before_webdav_loads_as_a_local_folder() {
        let old = r#"{"folder":"/home/a/Sync","name":"laptop","seq":3,"published":null,"removed":[],"peers":{},"last_sync_ms":null,"problems":[]}"#;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(SYNC_FILE), old).unwrap();
        let state = SyncState::load(dir.path()).unwrap().unwrap();
        assert_eq!(state.kind, FolderKind::Local);
        assert_eq!(state.webdav, None);
        assert_eq!(state.folder, PathBuf::from("/home/a/Sync"));
        assert_eq!(state.seq, 3);
        // Written again, a local folder's file says nothing of WebDAV.
        state.save(dir.path()).unwrap();
        let saved = std::fs::read_to_string(dir.path().join(SYNC_FILE)).unwrap();
        assert!(!saved.contains("webdav\":"), "{saved}");
    }
}
