//! The clock check in the background (issue #13), a task on Tauri's async runtime: while the
//! vault is unlocked and the person turned the check on, the time server is asked at once
//! after an unlock, every few hours after (time asleep counts), after a failure a little
//! sooner, and whenever this computer's clock was set; on a blocking thread, one check at a
//! time. Nothing is asked while the vault is locked: no code is shown then.
//!
//! What a check found is kept here, past a lock, for the banner and Settings → Clock. An
//! offset taken from the server follows each check and goes once the clock is right
//! (`ClockSettings::follow_server`). The window is told (`clock-changed`) after each check
//! and when the offset changed by itself. A failure (offline, say) is no banner and no
//! error for the person; it is logged once while it lasts, not at each retry.

use std::sync::Mutex;
use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager, Runtime};

use ringlet_core::clock::sntp::{self, Measurement};
use ringlet_core::clock::{Anchor, CHECK_EVERY, CHECK_LIMIT, RETRY_AFTER};

use crate::commands::clock::{view, ClockView};
use crate::events;
use crate::state::{awake_clock, lock_or_recover, AppState};

/// How often the task looks for a reason to check (and writes down what a change of the
/// clock did to the offset).
const LOOK_EVERY: Duration = Duration::from_secs(10);
/// The clock moved by more than this since the last check: it was set, so check again.
const CLOCK_SET_MS: i64 = 2_000;

/// What the checks found, kept past a lock.
#[derive(Default)]
pub struct ClockWatch {
    inner: Mutex<Watch>,
    /// Held for the whole of a check: one at a time.
    running: Mutex<()>,
}

#[derive(Default)]
struct Watch {
    last: Option<Checked>,
    /// When the last check ended, on the awake clock.
    checked_at: Option<Duration>,
    /// This clock against the time since boot at the last check.
    anchor: Option<Anchor>,
    /// The failure last logged: not logged again while it lasts.
    logged: Option<String>,
    checking: bool,
}

/// One check's result.
#[derive(Debug, Clone)]
pub struct Checked {
    /// When it ended, on this computer's clock (Unix milliseconds).
    pub at_ms: u64,
    pub server: String,
    /// What the server said, or why nothing could be had from it.
    pub result: Result<Measurement, String>,
}

impl ClockWatch {
    /// The last check's result, and whether one is running.
    pub fn last(&self) -> (Option<Checked>, bool) {
        let watch = lock_or_recover(&self.inner);
        (watch.last.clone(), watch.checking)
    }

    /// Forgets the last check (the server changed, or the check was just turned on): the
    /// next look checks at once.
    pub fn forget(&self) {
        let mut watch = lock_or_recover(&self.inner);
        watch.last = None;
        watch.checked_at = None;
    }

    /// True when a check is due: none yet, its time has come, or the clock was set since.
    fn due(&self, now_ms: u64) -> bool {
        let watch = lock_or_recover(&self.inner);
        let (Some(last), Some(checked_at)) = (&watch.last, watch.checked_at) else {
            return true;
        };
        let wait = if last.result.is_ok() {
            CHECK_EVERY
        } else {
            RETRY_AFTER
        };
        let clock_set = match (&watch.anchor, Anchor::read(now_ms)) {
            (Some(then), Some(now)) => then
                .clock_moved_ms(&now)
                .is_some_and(|moved| moved.abs() > CLOCK_SET_MS),
            _ => false,
        };
        clock_set || awake_clock().saturating_sub(checked_at) >= wait
    }
}

/// Starts the background task (once, at start-up).
pub fn start<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(LOOK_EVERY).await;
            let app = app.clone();
            let _ = tauri::async_runtime::spawn_blocking(move || look(&app)).await;
        }
    });
}

/// A look now, off the caller's thread (after an unlock, or the check turned on).
pub fn look_soon<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || look(&app));
}

/// One look: what a change of the clock did to the offset is written down (and the window
/// told); a check runs when the person wants them and one is due.
pub(crate) fn look<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let now_ms = ringlet_core::otp::now_ms();
    let (wanted, settled) = state
        .with_session(|session| {
            let mut clock = session.clock.clone();
            let settled = clock.settle(now_ms);
            if settled {
                // The clock was set: the offset in force already says so; this keeps it so
                // past a reboot. A failure only costs that.
                if let Err(error) = session.save_clock(clock) {
                    eprintln!("ringlet: {error}");
                }
            }
            Ok((session.clock.check == Some(true), settled))
        })
        .unwrap_or((false, false));
    // Told once the session is let go: the view takes it again.
    if settled {
        tell(app);
    }
    if wanted && app.state::<ClockWatch>().due(now_ms) {
        // Busy: a check is running already, which is as good.
        let _ = check(app, false);
    }
}

/// Asks the time server now (the server of the open vault's settings), keeps what it said,
/// lets an offset from the server follow it, and tells the window. With `wait`, waits for
/// a check already running, else returns `None` at once.
pub fn check<R: Runtime>(app: &AppHandle<R>, wait: bool) -> Option<ClockView> {
    let watch = app.state::<ClockWatch>();
    let _one_at_a_time = if wait {
        lock_or_recover(&watch.running)
    } else {
        watch.running.try_lock().ok()?
    };
    let state = app.state::<AppState>();
    let server = state
        .with_session(|session| Ok(session.clock.server.clone()))
        .ok()?;
    lock_or_recover(&watch.inner).checking = true;
    // The vault is not held meanwhile: a slow server never holds the window.
    let result = sntp::query(&server, CHECK_LIMIT).map_err(|error| error.to_string());
    let at_ms = ringlet_core::otp::now_ms();
    {
        let mut inner = lock_or_recover(&watch.inner);
        match &result {
            Err(error) if inner.logged.as_deref() != Some(error) => {
                eprintln!("ringlet: the clock check failed: {error}");
                inner.logged = Some(error.clone());
            }
            Err(_) => {}
            Ok(_) => inner.logged = None,
        }
        inner.last = Some(Checked {
            at_ms,
            server,
            result: result.clone(),
        });
        inner.checked_at = Some(awake_clock());
        inner.anchor = Anchor::read(at_ms);
        inner.checking = false;
    }
    if let Ok(measured) = &result {
        let _ = state.with_session(|session| {
            let mut clock = session.clock.clone();
            if clock.follow_server(measured.offset_seconds(), at_ms) {
                session.save_clock(clock)?;
            }
            Ok(())
        });
    }
    tell(app)
}

/// Tells the window what the clock is now (while unlocked); returns it.
fn tell<R: Runtime>(app: &AppHandle<R>) -> Option<ClockView> {
    let shown = view(app).ok()?;
    let _ = app.emit(events::CLOCK_CHANGED, &shown);
    Some(shown)
}
