//! The clock (issue #13): the main window's banner, the first-run question and the offset
//! shown while it is set, and Settings → Clock. `clock_status` (what the window shows),
//! `save_clock_check` (the check on or off, and its server), `check_clock_now`,
//! `set_clock_offset` (by hand, from a code, or what the server said) and
//! `calibrate_clock` (the offset a code from another device says; nothing saved). Every
//! sentence is made here, from the core's words, so the app and the CLI say the same.

use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime, State};

use ringlet_core::clock::calibrate::calibrate;
use ringlet_core::clock::sntp::Server;
use ringlet_core::clock::{
    words, ClockError, OffsetSource, DEFAULT_SERVER, MAX_MACHINE_OFFSET_SECONDS,
};

use crate::clock::{Checked, ClockWatch};
use crate::commands::accounts::parse_id;
use crate::error::AppError;
use crate::state::AppState;

/// What the window shows of the clock.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClockView {
    /// The check is on, off, or `null`: not asked yet (the list asks once).
    pub check: Option<bool>,
    pub server: String,
    pub default_server: &'static str,
    /// The offset every time-based code on this computer is corrected by now, in seconds
    /// (positive: the clock is behind); 0 when none.
    pub offset: i64,
    /// Where it came from (`manual`, `code`, `server`), while one is in force.
    pub offset_source: Option<OffsetSource>,
    /// The main window's line while an offset is in force.
    pub offset_said: Option<String>,
    /// A check is running.
    pub checking: bool,
    pub last: Option<LastCheckView>,
    /// The banner: codes are off by more than `WORTH_SAYING_SECONDS` by the last check.
    pub warning: Option<WarningView>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LastCheckView {
    pub at_ms: u64,
    pub server: String,
    /// This clock's offset by the server, in seconds, when it answered.
    pub offset: Option<i64>,
    /// What it said, or why nothing could be had from it.
    pub said: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WarningView {
    pub said: String,
    /// The offset "Correct codes" would use (the server's), unless it is too far to correct.
    pub correct_by: Option<i64>,
    pub correct_said: Option<String>,
}

/// What a code from another device says about this clock (nothing saved).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CalibrationView {
    /// The offset found, in seconds; 0: the clock agrees with the code.
    pub seconds: i64,
    /// Right to within this many seconds.
    pub within: u32,
    pub said: String,
    /// The offset with its sign, as the button that uses it says it: `+2 min`.
    pub signed: String,
}

/// The clock as the window shows it (the vault unlocked).
pub fn view<R: Runtime>(app: &AppHandle<R>) -> Result<ClockView, AppError> {
    let (last, checking) = app.state::<ClockWatch>().last();
    app.state::<AppState>().with_session(|session| {
        let clock = &session.clock;
        let offset = session.code_clock().machine_offset();
        let source = (offset != 0)
            .then(|| clock.offset.as_ref().map(|offset| offset.source))
            .flatten();
        let offset_said = source.map(|source| words::offset_in_force(offset, source));
        Ok(ClockView {
            check: clock.check,
            server: clock.server.clone(),
            default_server: DEFAULT_SERVER,
            offset,
            offset_source: source,
            offset_said,
            checking,
            warning: last.as_ref().and_then(|last| warning(last, offset)),
            last: last.as_ref().map(last_view),
        })
    })
}

fn last_view(last: &Checked) -> LastCheckView {
    let (offset, said) = match &last.result {
        Ok(measured) => {
            let offset = measured.offset_seconds();
            (Some(offset), words::server_says(&last.server, offset))
        }
        Err(error) => (None, error.clone()),
    };
    LastCheckView {
        at_ms: last.at_ms,
        server: last.server.clone(),
        offset,
        said,
    }
}

/// The banner, when the codes shown (with the offset in force) are off by more than
/// `WORTH_SAYING_SECONDS` by the last check.
fn warning(last: &Checked, in_force: i64) -> Option<WarningView> {
    let measured = last.result.as_ref().ok()?.offset_seconds();
    let said = words::warning(measured, in_force)?;
    let correct_by = (measured.abs() <= MAX_MACHINE_OFFSET_SECONDS).then_some(measured);
    Some(WarningView {
        said,
        correct_by,
        correct_said: correct_by.map(|by| format!("Correct codes by {}", words::span(by))),
    })
}

#[tauri::command(async)]
pub fn clock_status<R: Runtime>(app: AppHandle<R>) -> Result<ClockView, AppError> {
    view(&app)
}

/// Turns the check on or off, with its server (`None`: as it is; empty: the default). The
/// next look checks at once when it is on.
#[tauri::command(async)]
pub fn save_clock_check<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    check: bool,
    server: Option<String>,
) -> Result<ClockView, AppError> {
    state.touch();
    let server = match server.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(DEFAULT_SERVER.to_owned()),
        Some(named) => Some(Server::parse(named).map_err(ClockError::from)?.to_string()),
    };
    let changed = state.with_session(|session| {
        let mut clock = session.clock.clone();
        clock.check = Some(check);
        if let Some(server) = server {
            clock.server = server;
        }
        let changed = clock.server != session.clock.server || session.clock.check != Some(check);
        session.save_clock(clock)?;
        Ok(changed)
    })?;
    if changed {
        app.state::<ClockWatch>().forget();
        if check {
            crate::clock::look_soon(&app);
        }
    }
    view(&app)
}

/// Asks the time server now, on or off (Settings → Clock's "Check now"), and waits for it.
#[tauri::command(async)]
pub fn check_clock_now<R: Runtime>(app: AppHandle<R>) -> Result<ClockView, AppError> {
    app.state::<AppState>().touch();
    match crate::clock::check(&app, true) {
        Some(shown) => Ok(shown),
        None => view(&app),
    }
}

/// Sets this computer's offset: `seconds` typed by hand (`manual`) or found from a code
/// (`code`), or what the last check measured (`server`: until the clock is right; `seconds`
/// not used). `None` or 0 removes it.
#[tauri::command(async)]
pub fn set_clock_offset<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    seconds: Option<i64>,
    from: OffsetSource,
) -> Result<ClockView, AppError> {
    state.touch();
    let seconds = match from {
        OffsetSource::Server => {
            let (last, _) = app.state::<ClockWatch>().last();
            let measured = last.and_then(|last| last.result.ok());
            measured
                .map(|measured| measured.offset_seconds())
                .ok_or_else(|| {
                    AppError::InvalidInput(
                        "No time server has answered yet: check the clock first.".into(),
                    )
                })?
        }
        OffsetSource::Manual | OffsetSource::Code => seconds.unwrap_or(0),
    };
    state.with_session(|session| {
        let mut clock = session.clock.clone();
        clock.set_offset(seconds, from, ringlet_core::otp::now_ms())?;
        session.save_clock(clock)
    })?;
    view(&app)
}

/// The offset at which account `id` gives `code` (typed from another device) nearest to
/// this clock. Nothing is saved: the window offers to use it.
#[tauri::command(async)]
pub fn calibrate_clock(
    state: State<'_, AppState>,
    id: String,
    code: String,
) -> Result<CalibrationView, AppError> {
    state.touch();
    let id = parse_id(&id)?;
    if code.len() > 64 {
        return Err(AppError::InvalidInput("That is not a code.".into()));
    }
    let account = state.with_session(|session| Ok(session.vault.get(id)?.account))?;
    let found = calibrate(&account.otp, &code, ringlet_core::otp::now_ms())?;
    let said = words::calibration(&found);
    Ok(CalibrationView {
        seconds: found.seconds,
        within: found.within,
        said,
        signed: words::signed(found.seconds),
    })
}
