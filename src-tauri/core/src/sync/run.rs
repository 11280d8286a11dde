//! One sync, in steps ([`SyncRun`]): this device's changes written to the sync folder and
//! every other device's merged, the vault held only to begin and to merge.

use std::collections::BTreeMap;

use super::file::{self, Body};
use super::merge::{self, Replica};
use super::{open_folder, Peer, SyncError, SyncFolder, SyncReport, SyncState};
use crate::revision::DeviceId;
use crate::vault::Vault;

/// Writes this device's changes to the sync folder and merges every other device's.
pub fn sync_now(vault: &Vault) -> Result<SyncReport, SyncError> {
    let mut run = SyncRun::begin(vault)?;
    run.download();
    run.merge(vault);
    run.upload();
    run.finish()
}

/// One sync in steps, so that a caller holding its vault behind a lock (the app) needs the
/// vault only for [`begin`](Self::begin) and [`merge`](Self::merge), and reads and writes
/// the folder (a WebDAV server, maybe slow) without it. A failing step makes the later ones
/// do nothing; [`finish`](Self::finish) saves `sync.json` with what happened either way.
pub struct SyncRun {
    folder: Option<Box<dyn SyncFolder>>,
    state: SyncState,
    dir: std::path::PathBuf,
    me: DeviceId,
    downloaded: Vec<(super::folder::Listed, Result<Vec<u8>, SyncError>)>,
    /// This device's file to write, and the digest of the replica it carries.
    upload: Option<(Vec<u8>, String)>,
    report: SyncReport,
    failed: Option<SyncError>,
}

impl SyncRun {
    /// Step 1, with the vault: `sync.json` read and the folder opened (a WebDAV password is
    /// sealed under the vault's key).
    pub fn begin(vault: &Vault) -> Result<SyncRun, SyncError> {
        let state = SyncState::load(vault.dir())?.ok_or(SyncError::NotJoined)?;
        let (folder, failed) = match open_folder(vault, &state) {
            Ok(folder) => (Some(folder), None),
            Err(error) => (None, Some(error)),
        };
        Ok(SyncRun {
            folder,
            state,
            dir: vault.dir().to_path_buf(),
            me: vault.device_id(),
            downloaded: Vec::new(),
            upload: None,
            report: SyncReport::default(),
            failed,
        })
    }

    /// Step 2, no vault: every device's file read from the folder.
    pub fn download(&mut self) {
        let (Some(folder), None) = (&self.folder, &self.failed) else {
            return;
        };
        let listing = match folder.list() {
            Ok(listing) => listing,
            Err(error) => {
                self.failed = Some(error);
                return;
            }
        };
        self.report.problems = listing.problems;
        for listed in listing.files {
            match folder.read(&listed.name) {
                Err(error) if error.stops_sync() => {
                    self.failed = Some(error);
                    return;
                }
                read => self.downloaded.push((listed, read)),
            }
        }
    }

    /// Step 3, with the vault: what was read merged and applied (one vault change), and
    /// this device's file sealed if it must be written.
    pub fn merge(&mut self, vault: &Vault) {
        if self.failed.is_some() {
            return;
        }
        if let Err(error) = self.merge_with(vault) {
            self.failed = Some(error);
        }
    }

    fn merge_with(&mut self, vault: &Vault) -> Result<(), SyncError> {
        let me = self.me;
        let state = &mut self.state;
        let report = &mut self.report;
        let key = vault.sync_key();
        let mut bodies: BTreeMap<DeviceId, Body> = BTreeMap::new();
        let mut own_seq = 0;
        for (listed, read) in std::mem::take(&mut self.downloaded) {
            let who = if listed.device == me {
                "this computer".to_owned()
            } else {
                state.name_of(listed.device)
            };
            match read.and_then(|bytes| open_body(vault, listed.device, &bytes, &key)) {
                Ok(body) if listed.device == me => {
                    own_seq = body.seq;
                    bodies.insert(listed.device, body);
                }
                Ok(body) => {
                    let seen = state.peers.get(&listed.device).map_or(0, |p| p.seq);
                    if body.seq < seen {
                        report.problems.push(format!(
                            "An older copy of the file from {who} came back (number {} after {seen}): it was ignored.",
                            body.seq
                        ));
                        continue;
                    }
                    bodies.insert(listed.device, body);
                }
                // This computer's own file from before its password change: rewritten below.
                Err(SyncError::OlderPassword) if listed.device == me => {}
                // Said once, by the field the app and the CLI turn into what to do.
                Err(SyncError::PasswordChangedThere) => report.password_changed_on = Some(who),
                Err(problem) => report
                    .problems
                    .push(format!("The file from {who} was skipped: {problem}.")),
            }
        }
        let mut removed = state.removed.clone();
        for body in bodies.values() {
            for device in &body.removed {
                if !removed.contains(device) && *device != me {
                    removed.push(*device);
                }
            }
        }

        let mut merged = vault.replica()?.replica;
        for (device, body) in &bodies {
            if removed.contains(device) {
                continue;
            }
            merge::merge_into(&mut merged, &body.replica);
            if *device != me {
                report.merged_devices += 1;
                state.peers.insert(
                    *device,
                    Peer {
                        name: body.name.clone(),
                        seq: body.seq,
                        written_ms: body.written_ms,
                        left: body.left,
                    },
                );
            }
        }
        report.applied = vault.apply_replica(&merged)?;
        state.removed = removed;

        let replica = vault.replica()?.replica;
        let digest = replica_digest(&replica)?;
        let own_current = own_seq == state.seq && own_seq > 0;
        if state.published.as_deref() != Some(digest.as_str()) || !own_current {
            state.seq = state.seq.max(own_seq) + 1;
            self.upload = Some((seal_own_file(vault, state, replica, false)?, digest));
        }
        Ok(())
    }

    /// What the run did so far (after [`merge`](Self::merge): what it changed here).
    pub fn report(&self) -> &SyncReport {
        &self.report
    }

    /// Step 4, no vault: this device's file written, if it must be.
    pub fn upload(&mut self) {
        let (Some(folder), None) = (&self.folder, &self.failed) else {
            return;
        };
        let Some((bytes, digest)) = self.upload.take() else {
            return;
        };
        match folder.write(&file::file_name(self.me), &bytes) {
            Ok(()) => {
                self.state.published = Some(digest);
                self.report.published = true;
            }
            Err(error) => self.failed = Some(error),
        }
    }

    /// Step 5: `sync.json` saved with the time and what went wrong, if anything.
    pub fn finish(mut self) -> Result<SyncReport, SyncError> {
        self.state.last_sync_ms = Some(crate::otp::now_ms());
        match &self.failed {
            Some(error) => self.state.problems = vec![error.to_string()],
            None => {
                self.state.problems = self.report.problems.clone();
                self.state.password_changed_on = self.report.password_changed_on.clone();
            }
        }
        self.state.save(&self.dir)?;
        match self.failed {
            Some(error) => Err(error),
            None => Ok(self.report),
        }
    }
}

/// Opens one device's file as read: the same vault, the same key epoch, intact.
fn open_body(
    vault: &Vault,
    device: DeviceId,
    bytes: &[u8],
    key: &crate::vault::crypto::Key,
) -> Result<Body, SyncError> {
    let parts = file::split(bytes)?;
    let (vault_id, epoch) = crate::vault::header_identity(parts.header).ok_or(
        SyncError::DamagedFile("its copy of the vault header does not read"),
    )?;
    if vault_id != vault.vault_id() {
        return Err(SyncError::NotMerged("it belongs to another vault"));
    }
    if epoch > vault.key_epoch() {
        return Err(SyncError::PasswordChangedThere);
    }
    if epoch < vault.key_epoch() {
        return Err(SyncError::OlderPassword);
    }
    file::open(device, &parts, key)
}

/// This device's file, sealed: its state's counter, name and removed devices, and `replica`.
fn seal_own_file(
    vault: &Vault,
    state: &SyncState,
    replica: Replica,
    left: bool,
) -> Result<Vec<u8>, SyncError> {
    let body = Body {
        seq: state.seq,
        written_ms: crate::otp::now_ms(),
        name: state.name.clone(),
        left,
        removed: state.removed.clone(),
        replica,
    };
    file::encode(
        vault.device_id(),
        &vault.header_for_sync(),
        &vault.sync_key(),
        &body,
    )
}

pub(super) fn publish(
    vault: &Vault,
    folder: &dyn SyncFolder,
    state: &SyncState,
    replica: Replica,
    left: bool,
) -> Result<(), SyncError> {
    let bytes = seal_own_file(vault, state, replica, left)?;
    folder.write(&file::file_name(vault.device_id()), &bytes)
}

/// SHA-256 of a replica's JSON (hex): whether this device's file needs writing again.
/// (After a password change its own file, sealed under the old key, does not read as
/// current, so it is written again whatever the digest.)
fn replica_digest(replica: &Replica) -> Result<String, SyncError> {
    let json = zeroize::Zeroizing::new(
        serde_json::to_vec(replica)
            .map_err(|_| SyncError::Internal("the vault could not be read for sync"))?,
    );
    Ok(data_encoding::HEXLOWER.encode(&crate::vault::crypto::sha256(&json)))
}
