//! Sync: one vault on several computers, through a folder that any sync engine carries.
//! The design is `docs/sync.md`; in short:
//! - each device writes one file of its own in the folder, `<device id>.ringlet-sync`
//!   ([`file`]): its whole replica, sealed under the vault's sync key, atomically replaced;
//! - [`sync_now`] reads every other device's file, [`merge`]s them into this vault (a
//!   merge makes no new revision) and writes this device's file again when it changed;
//! - joining a computer reads the vault's header from a file in the folder, opens its
//!   password slot with the vault's password and builds a local vault from the files.
//!
//! The folder is on this computer ([`LocalFolder`]) or on a WebDAV server
//! ([`WebDavFolder`]), behind one trait, [`SyncFolder`]. The sled folder itself is never in
//! the sync folder.

pub mod file;
pub mod folder;
#[cfg(fuzzing)]
pub mod fuzzing;
pub mod merge;
mod run;
mod state;
pub mod webdav;

use std::path::Path;

pub use self::folder::{LocalFolder, Remembered, SyncFolder};
use self::run::publish;
pub use self::run::{sync_now, SyncRun};
pub use self::state::{FolderKind, Peer, SyncState, WebDavLogin, SYNC_FILE};
pub use self::webdav::{is_webdav_address, WebDavFolder};
use crate::revision::DeviceId;
use crate::vault::{Applied, Vault, VaultError};

/// Why sync could not go on (a problem with one file is reported, not an error).
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("The sync folder {folder} is not reachable: {reason}.")]
    Unreachable { folder: String, reason: String },
    #[error("{address} is not a WebDAV folder's address: {reason}.")]
    BadAddress { address: String, reason: String },
    #[error("{address} is plain http: the WebDAV password would cross the network in clear. Use https://, or plain http only to this computer (localhost, 127.0.0.1, ::1).")]
    PlainHttp { address: String },
    #[error("The WebDAV server {folder} refused the user {user:?} or its password (HTTP {status}): check both, then join the folder again with them.")]
    WebDavLogin {
        folder: String,
        user: String,
        status: u16,
    },
    #[error("The folder {folder} is not on the WebDAV server (HTTP 404): check the address, or join to create it.")]
    WebDavMissing { folder: String },
    #[error("{folder} is not a WebDAV folder: the server does not list it (HTTP {status}). For Nextcloud and ownCloud the address is https://HOST/remote.php/dav/files/USER/FOLDER.")]
    NotWebDav { folder: String, status: u16 },
    #[error("The WebDAV server {folder} could not {what}: it answered {status}.")]
    WebDavServer {
        folder: String,
        what: &'static str,
        status: String,
    },
    #[error("The WebDAV password saved for {folder} does not open (sync.json was altered, or saved by another vault): `ringlet-cli sync join {folder} --webdav-user USER` again.")]
    WebDavPasswordLost { folder: String },
    #[error("This vault does not sync yet: `ringlet-cli sync join FOLDER` starts.")]
    NotJoined,
    #[error("The folder {folder} holds the sync files of another vault. Ringlet never merges two vaults: choose another folder, or set this computer's vault aside (export it first) and join that vault instead.")]
    OtherVault { folder: String },
    #[error("The folder {folder} holds the sync files of more than one vault: Ringlet cannot tell which to join.")]
    SeveralVaults { folder: String },
    #[error("There is no vault on this computer and none in {folder}: create one first (`ringlet-cli init`), then join the folder.")]
    NothingToJoin { folder: String },
    #[error("No device named {0:?} has written to this vault's sync folder (`ringlet-cli sync status` lists them).")]
    UnknownDevice(String),
    #[error("More than one device goes by {0:?}: name it by the start of its id (`ringlet-cli sync status`).")]
    AmbiguousDevice(String),
    #[error("it is damaged: {0}")]
    DamagedFile(&'static str),
    /// A file that is whole but cannot be merged here, and why.
    #[error("{0}")]
    NotMerged(&'static str),
    /// A file sealed under a newer key: the password was changed on that computer.
    #[error("the vault's password was changed there; type the new password on this computer to go on syncing")]
    PasswordChangedThere,
    /// A file sealed under an older key: that computer has not taken the new password yet.
    #[error("that computer still uses the vault's old password; its changes arrive once the new password is typed there")]
    OlderPassword,
    #[error(
        "No computer in the sync folder has changed the vault's password: this copy is current."
    )]
    NoNewerPassword,
    #[error("it is incomplete (still being copied?); it is read again at the next sync")]
    Incomplete,
    #[error("a newer version of Ringlet wrote it (sync file version {0}); update Ringlet on this computer")]
    NewerFile(u16),
    #[error("it is larger than Ringlet reads ({} MiB)", file::MAX_FILE_LEN / (1024 * 1024))]
    TooLarge,
    #[error("sync.json in the vault folder is damaged ({0}). `ringlet-cli sync leave`, then join again: nothing in the vault is lost.")]
    StateDamaged(String),
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error("Internal error: {0}.")]
    Internal(&'static str),
}

/// What one sync did.
#[derive(Debug, Default)]
pub struct SyncReport {
    /// Changes brought into this vault, by account label.
    pub applied: Applied,
    /// Files skipped and other problems, in words.
    pub problems: Vec<String>,
    /// Other devices whose files were merged.
    pub merged_devices: usize,
    /// This device's file was written (its vault had changed).
    pub published: bool,
    /// The computer, in words (`'laptop'`, or `device 1a2b3c4d`), whose file is sealed
    /// under a newer key: the vault's password
    /// was changed there, and [`adopt_password`] takes it here.
    pub password_changed_on: Option<String>,
}

/// What a sync folder holds.
#[derive(Debug)]
pub enum FolderVault {
    /// No Ringlet sync file.
    Empty,
    /// Files of one vault: its id, and its header copies, newest key epoch first.
    Vault {
        vault_id: [u8; 16],
        headers: Vec<Vec<u8>>,
    },
}

impl SyncError {
    /// Whether this error is about the folder as a whole (it stops a sync), not one file.
    pub fn stops_sync(&self) -> bool {
        matches!(
            self,
            SyncError::Unreachable { .. }
                | SyncError::WebDavLogin { .. }
                | SyncError::WebDavMissing { .. }
                | SyncError::NotWebDav { .. }
                | SyncError::WebDavServer { .. }
        )
    }
}

/// Reads what vault the folder's files belong to (headers only: no vault password needed).
pub fn inspect(folder: &dyn SyncFolder) -> Result<FolderVault, SyncError> {
    let listing = folder.list()?;
    let mut found: Option<[u8; 16]> = None;
    let mut headers: Vec<(u32, Vec<u8>)> = Vec::new();
    for listed in &listing.files {
        let bytes = match folder.read(&listed.name) {
            Ok(bytes) => bytes,
            Err(error) if error.stops_sync() => return Err(error),
            Err(_) => continue,
        };
        let Ok(parts) = file::split(&bytes) else {
            continue;
        };
        let Some((vault_id, epoch)) = crate::vault::header_identity(parts.header) else {
            continue;
        };
        match found {
            Some(id) if id != vault_id => {
                return Err(SyncError::SeveralVaults {
                    folder: folder.display_name(),
                })
            }
            _ => found = Some(vault_id),
        }
        if !headers.iter().any(|(_, h)| h == parts.header) {
            headers.push((epoch, parts.header.to_vec()));
        }
    }
    Ok(match found {
        None => FolderVault::Empty,
        Some(vault_id) => {
            headers.sort_by_key(|(epoch, _)| std::cmp::Reverse(*epoch));
            FolderVault::Vault {
                vault_id,
                headers: headers.into_iter().map(|(_, h)| h).collect(),
            }
        }
    })
}

/// The name this computer goes by when none is given: its host name.
pub fn default_device_name() -> String {
    let name = file::clean_name(&gethostname::gethostname().to_string_lossy());
    if name.is_empty() {
        "this computer".to_owned()
    } else {
        name
    }
}

/// Starts syncing the open `vault` through `folder` (empty, or holding this same vault),
/// then syncs once. A WebDAV folder is created when missing, and its password kept sealed
/// in `sync.json`.
pub fn join(
    vault: &Vault,
    folder: &dyn SyncFolder,
    name: Option<&str>,
) -> Result<SyncReport, SyncError> {
    folder.prepare()?;
    if let FolderVault::Vault { vault_id, .. } = inspect(folder)? {
        if vault_id != vault.vault_id() {
            return Err(SyncError::OtherVault {
                folder: folder.display_name(),
            });
        }
    }
    let name = name
        .map(file::clean_name)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(default_device_name);
    let state = match folder.remembered() {
        Remembered::Local(path) => SyncState::new(absolute(path), name),
        Remembered::WebDav {
            url,
            user,
            password,
        } => {
            let mut state = SyncState::new(url.into(), name);
            state.kind = FolderKind::WebDav;
            state.webdav = Some(seal_login(vault, url, user, password)?);
            state
        }
    };
    state.save(vault.dir())?;
    sync_now(vault)
}

/// The associated data of a sealed WebDAV password: the folder's address and the user.
fn login_ad(url: &str, user: &str) -> Vec<u8> {
    let mut ad = b"ringlet/sync webdav password\0".to_vec();
    ad.extend_from_slice(url.as_bytes());
    ad.push(0);
    ad.extend_from_slice(user.as_bytes());
    ad
}

fn seal_login(
    vault: &Vault,
    url: &str,
    user: &str,
    password: &[u8],
) -> Result<WebDavLogin, SyncError> {
    let sealed = vault.seal_sync_credential(&login_ad(url, user), password)?;
    Ok(WebDavLogin {
        user: user.to_owned(),
        password_sealed: data_encoding::BASE64.encode(&sealed),
    })
}

/// The folder `state` names, ready to use (a WebDAV password opened with the vault's key).
pub fn open_folder(vault: &Vault, state: &SyncState) -> Result<Box<dyn SyncFolder>, SyncError> {
    match state.kind {
        FolderKind::Local => Ok(Box::new(LocalFolder::new(&state.folder))),
        FolderKind::WebDav => {
            let url = state.folder.to_string_lossy();
            let lost = || SyncError::WebDavPasswordLost {
                folder: url.to_string(),
            };
            let login = state.webdav.as_ref().ok_or_else(lost)?;
            let sealed = data_encoding::BASE64
                .decode(login.password_sealed.as_bytes())
                .map_err(|_| lost())?;
            let password = vault
                .open_sync_credential(&login_ad(&url, &login.user), &sealed)
                .ok_or_else(lost)?;
            Ok(Box::new(WebDavFolder::new(&url, &login.user, &password)?))
        }
    }
}

/// A WebDAV login, opened under the vault's current key, for [`reseal_login`] after a
/// password change (`None` when the vault syncs through a local folder).
pub(crate) struct LoginToReseal {
    state: SyncState,
    password: zeroize::Zeroizing<Vec<u8>>,
}

pub(crate) fn login_before_key_change(vault: &Vault) -> Option<LoginToReseal> {
    let state = SyncState::load(vault.dir()).ok().flatten()?;
    let login = state.webdav.as_ref()?;
    let sealed = data_encoding::BASE64
        .decode(login.password_sealed.as_bytes())
        .ok()?;
    let url = state.folder.to_string_lossy().into_owned();
    let password = vault.open_sync_credential(&login_ad(&url, &login.user), &sealed)?;
    Some(LoginToReseal { state, password })
}

pub(crate) fn reseal_login(vault: &Vault, login: LoginToReseal) -> Result<(), SyncError> {
    let LoginToReseal {
        mut state,
        password,
    } = login;
    let Some(user) = state.webdav.as_ref().map(|l| l.user.clone()) else {
        return Ok(());
    };
    let url = state.folder.to_string_lossy().into_owned();
    state.webdav = Some(seal_login(vault, &url, &user, &password)?);
    state.save(vault.dir())
}

/// Builds this computer's vault in `dir` (which holds none) from the vault in `folder`,
/// opened with its `password`, then syncs once.
pub fn join_new(
    dir: &Path,
    folder: &dyn SyncFolder,
    password: &[u8],
    name: Option<&str>,
) -> Result<(Vault, SyncReport), SyncError> {
    let FolderVault::Vault { headers, .. } = inspect(folder)? else {
        return Err(SyncError::NothingToJoin {
            folder: folder.display_name(),
        });
    };
    // Copies of the header differ only by their slot's salt or a later key epoch: the
    // newest that opens with the password is the one (a few at most are tried).
    let mut last = VaultError::WrongPassword;
    let mut vault = None;
    for header in headers.iter().take(4) {
        match Vault::create_joined(dir, header, password) {
            Ok(made) => {
                vault = Some(made);
                break;
            }
            Err(error) => last = error,
        }
    }
    let vault = vault.ok_or(last)?;
    let report = join(&vault, folder, name)?;
    Ok((vault, report))
}

/// Takes here the password that was changed on another computer (see
/// [`SyncReport::password_changed_on`]): the newest header in the folder that `password`
/// opens gives this copy its data key ([`Vault::adopt_key`]: records and backups sealed
/// again, one crash-safe change), then syncs. The password this copy opened with no longer
/// opens it; quick unlock stays on when `keyring` gives its key.
pub fn adopt_password(
    vault: &mut Vault,
    password: &[u8],
    keyring: Option<&dyn crate::keyring::SecretStore>,
) -> Result<(crate::vault::PasswordChange, SyncReport), SyncError> {
    let state = SyncState::load(vault.dir())?.ok_or(SyncError::NotJoined)?;
    let folder = open_folder(vault, &state)?;
    let FolderVault::Vault { vault_id, headers } = inspect(folder.as_ref())? else {
        return Err(SyncError::NoNewerPassword);
    };
    if vault_id != vault.vault_id() {
        return Err(SyncError::OtherVault {
            folder: folder.display_name(),
        });
    }
    let newer: Vec<&Vec<u8>> = headers
        .iter()
        .filter(|h| crate::vault::header_identity(h).is_some_and(|(_, e)| e > vault.key_epoch()))
        .collect();
    if newer.is_empty() {
        return Err(SyncError::NoNewerPassword);
    }
    // Newest first; a few at most are tried (each costs a key derivation).
    let mut last = VaultError::WrongPassword;
    for header in newer.into_iter().take(4) {
        match vault.adopt_key(header, password, keyring) {
            Ok(change) => return Ok((change, sync_now(vault)?)),
            Err(error) => last = error,
        }
    }
    Err(last.into())
}

/// Stops syncing: this device's file says it left (the others show it), `sync.json` goes.
/// The vault stays whole.
pub fn leave(vault: &Vault) -> Result<(), SyncError> {
    let Some(mut state) = SyncState::load(vault.dir())? else {
        return Err(SyncError::NotJoined);
    };
    // Best effort: a folder that is gone (or a server that cannot be reached) cannot be told.
    if let Ok(folder) = open_folder(vault, &state) {
        if folder.list().is_ok() {
            state.seq += 1;
            let replica = vault.replica()?.replica;
            let _ = publish(vault, folder.as_ref(), &state, replica, true);
        }
    }
    SyncState::remove(vault.dir())
}

/// Removes a device from this vault's sync (a lost laptop), named by its name or the
/// start of its id: its file is no longer merged here, and every device that reads this
/// one's file stops merging it too. What it already had, it keeps: only a password change
/// (a new data key) keeps it out of what is written from then on. Returns its name.
pub fn remove_device(vault: &Vault, which: &str) -> Result<String, SyncError> {
    let mut state = SyncState::load(vault.dir())?.ok_or(SyncError::NotJoined)?;
    let wanted = which.trim().to_lowercase();
    let found: Vec<(DeviceId, String)> = state
        .peers
        .iter()
        .filter(|(device, peer)| {
            peer.name.to_lowercase() == wanted
                || (wanted.len() >= 4 && device.to_string().starts_with(&wanted))
        })
        .map(|(device, peer)| (*device, peer.name.clone()))
        .collect();
    let (device, name) = match found.as_slice() {
        [one] => one.clone(),
        [] => return Err(SyncError::UnknownDevice(which.to_owned())),
        _ => return Err(SyncError::AmbiguousDevice(which.to_owned())),
    };
    if !state.removed.contains(&device) {
        state.removed.push(device);
    }
    state.published = None;
    state.save(vault.dir())?;
    sync_now(vault)?;
    Ok(name)
}

fn absolute(path: &Path) -> std::path::PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
