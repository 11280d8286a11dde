//! Sync in the background, as a task on Tauri's async runtime: while the vault is unlocked
//! and syncs, it looks every few seconds for a reason to sync, and syncs (on a blocking
//! thread, never the window's) when there is one:
//! - the vault changed here and has been quiet for a moment (an import adds many);
//! - a file in the sync folder changed: its names, sizes and times are compared, which works
//!   on network shares and USB sticks where change notifications do not;
//! - just after unlocking, and at least every few minutes.
//!
//! A sync that brought changes tells the window, which updates its list in place.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use ringlet_core::sync::{self, SyncReport, SyncRun, SyncState};

use crate::error::AppError;
use crate::events;
use crate::state::{lock_or_recover, AppState};

/// How often the task looks for a reason to sync.
const LOOK_EVERY: Duration = Duration::from_secs(2);
/// A change here waits this long without another before it is synced.
const QUIET: Duration = Duration::from_secs(2);
/// A sync at least this often while unlocked, whatever else happens.
const AT_LEAST_EVERY: Duration = Duration::from_secs(300);

/// What the background runs remember between looks.
#[derive(Default)]
pub struct SyncRunner {
    inner: Mutex<Runner>,
    /// Held for the whole of a sync: one at a time (the background's or Sync now).
    running: Mutex<()>,
}

#[derive(Default)]
struct Runner {
    last_run: Option<Instant>,
    /// The sync folder as the last run left it.
    folder_seen: Option<u64>,
}

/// What the window is told after a sync: whether its list changed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncChanged {
    pub accounts_changed: bool,
}

/// Starts the background task (once, at start-up).
pub fn start<R: Runtime>(app: AppHandle<R>) {
    look_every(app, LOOK_EVERY, look);
}

/// Runs `look` every `period` on a blocking thread (never the window's), one look at a
/// time: the background tasks' loop (sync here, linked folders in `crate::linked`).
pub fn look_every<R: Runtime>(app: AppHandle<R>, period: Duration, look: fn(&AppHandle<R>)) {
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(period).await;
            let app = app.clone();
            let _ = tauri::async_runtime::spawn_blocking(move || look(&app)).await;
        }
    });
}

/// One look: syncs when there is a reason to.
fn look<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let runner = app.state::<SyncRunner>();
    // Locked first: no file is read every two seconds while the vault is locked.
    let unlocked = state.is_unlocked();
    let sync_state = match unlocked.then(|| SyncState::load(state.vault_dir())) {
        Some(Ok(Some(sync_state))) => sync_state,
        // Locked, or not syncing: the next unlock syncs at once.
        _ => {
            lock_or_recover(&runner.inner).last_run = None;
            return;
        }
    };
    let changed_here = state
        .slot()
        .as_ref()
        .and_then(|session| session.sync_due)
        .is_some_and(|since| since.elapsed() >= QUIET);
    let due = {
        let runner = lock_or_recover(&runner.inner);
        match runner.last_run {
            None => true,
            Some(last) => {
                changed_here
                    || last.elapsed() >= AT_LEAST_EVERY
                    || runner.folder_seen != folder_signature(&sync_state.folder)
            }
        }
    };
    if due {
        // A failure is in sync.json's problems, shown in Settings → Sync; a background run
        // does not interrupt the person with it.
        let _ = run(app);
    }
}

/// Syncs the open vault now, and tells the window what changed. The vault is held only
/// to begin and to merge: the folder (a WebDAV server, maybe slow) is read and written
/// while the window goes on using it.
pub fn run<R: Runtime>(app: &AppHandle<R>) -> Result<SyncReport, AppError> {
    let runner = app.state::<SyncRunner>();
    let _one_at_a_time = lock_or_recover(&runner.running);
    let state = app.state::<AppState>();
    let result = (|| {
        let mut run = state.with_session(|session| {
            session.sync_due = None;
            Ok(SyncRun::begin(&session.vault)?)
        })?;
        run.download();
        state.with_session(|session| {
            run.merge(&session.vault);
            if !run.report().applied.is_empty() {
                // A backup follows, and search folds the list again; the merge goes to the
                // folder with this run, so it is not a change to sync again.
                session.changed();
                session.sync_due = None;
            }
            Ok(())
        })?;
        run.upload();
        Ok::<_, AppError>(run.finish()?)
    })();
    let folder = SyncState::load(state.vault_dir())
        .ok()
        .flatten()
        .map(|s| s.folder);
    {
        let runner = app.state::<SyncRunner>();
        let mut runner = lock_or_recover(&runner.inner);
        runner.last_run = Some(Instant::now());
        runner.folder_seen = folder.and_then(|folder| folder_signature(&folder));
    }
    match &result {
        Ok(report) => after_run(app, report),
        // Settings → Sync shows the problem sync.json now holds.
        Err(_) => {
            let _ = app.emit(
                events::SYNC_CHANGED,
                SyncChanged {
                    accounts_changed: false,
                },
            );
        }
    }
    result
}

/// Tells the window a sync ran, and whether its list changed.
pub fn after_run<R: Runtime>(app: &AppHandle<R>, report: &SyncReport) {
    let accounts_changed = !report.applied.is_empty();
    if accounts_changed {
        let state = app.state::<AppState>();
        let entries = state
            .slot()
            .as_ref()
            .and_then(|session| session.vault.entries().ok());
        if let Some(entries) = entries {
            crate::tray::update(app, Some(entries.as_slice()));
        }
    }
    let _ = app.emit(events::SYNC_CHANGED, SyncChanged { accounts_changed });
}

/// The device files in `folder`, by name, size and time, hashed: what a change there
/// changes. `None` when the folder cannot be read (the sync then says why).
fn folder_signature(folder: &Path) -> Option<u64> {
    let mut seen: Vec<(String, u64, Option<std::time::SystemTime>)> = std::fs::read_dir(folder)
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let name = entry.file_name().to_string_lossy().into_owned();
            sync::file::device_of(&name)?;
            let meta = entry.metadata().ok()?;
            Some((name, meta.len(), meta.modified().ok()))
        })
        .collect();
    seen.sort();
    let mut hasher = DefaultHasher::new();
    seen.hash(&mut hasher);
    Some(hasher.finish())
}
