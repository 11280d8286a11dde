//! `clock`: this computer's clock as codes need it (issue #13). The app's Settings → Clock
//! from the command line: the same settings (`clock.sealed`, under the vault's key), the
//! same time server check, the same offsets and the same words; `code` applies them.
//! `check` and `correct` ask the time server because the person asked; nothing else here
//! touches the network.

use ringlet_core::clock::calibrate::calibrate;
use ringlet_core::clock::sntp::{self, Server};
use ringlet_core::clock::{
    words, ClockError, ClockSettings, CodeClock, OffsetSource, CHECK_LIMIT, WORTH_SAYING_SECONDS,
};
use ringlet_core::otp::now_ms;
use ringlet_core::vault::Vault;
use ringlet_core::Account;

use crate::args::ClockAction;
use crate::commands::{find_one, note, print};
use crate::error::CliError;
use crate::organize::confirmed;

pub fn run(vault: &Vault, action: &ClockAction) -> Result<(), CliError> {
    let mut clock = load(vault);
    match action {
        ClockAction::Status => {}
        ClockAction::Check => {
            let measured = ask(&clock)?;
            print(&format!(
                "{}\n",
                words::server_says(&clock.server, measured)
            ))?;
            // A check keeps an offset from the server up to date, as the app's do.
            if clock.follow_server(measured, now_ms()) {
                save(vault, &clock)?;
            }
        }
        ClockAction::Correct => {
            let measured = ask(&clock)?;
            print(&format!(
                "{}\n",
                words::server_says(&clock.server, measured)
            ))?;
            if measured.abs() <= WORTH_SAYING_SECONDS {
                if clock.follow_server(measured, now_ms()) {
                    save(vault, &clock)?;
                }
                return print("Nothing to correct.\n");
            }
            clock.set_offset(measured, OffsetSource::Server, now_ms())?;
            save(vault, &clock)?;
        }
        ClockAction::Offset(seconds) => {
            clock.set_offset(seconds.unwrap_or(0), OffsetSource::Manual, now_ms())?;
            save(vault, &clock)?;
        }
        ClockAction::Calibrate { query, code, yes } => {
            let entries = vault
                .entries()
                .map_err(|error| CliError::from_vault(error, vault.dir()))?;
            let account = find_one(entries, query)?.account;
            let found = calibrate(&account.otp, code, now_ms())
                .map_err(|error| CliError::Input(error.to_string()))?;
            print(&format!("{}\n", words::calibration(&found)))?;
            if found.seconds == 0 {
                return Ok(());
            }
            let question = format!(
                "Correct every code on this computer by {}?",
                words::signed(found.seconds)
            );
            if !yes && !confirmed(&question)? {
                return print("Nothing was changed.\n");
            }
            clock.set_offset(found.seconds, OffsetSource::Code, now_ms())?;
            save(vault, &clock)?;
        }
        ClockAction::Auto(on) => {
            clock.check = Some(*on);
            save(vault, &clock)?;
        }
        ClockAction::Server(host) => {
            clock.server = match host {
                Some(host) => Server::parse(host).map_err(ClockError::from)?.to_string(),
                None => ringlet_core::clock::DEFAULT_SERVER.to_owned(),
            };
            save(vault, &clock)?;
        }
    }
    print(&status(&clock))
}

/// The clock settings of `vault`: the defaults, said on standard error, when the file
/// cannot be used.
pub fn load(vault: &Vault) -> ClockSettings {
    ClockSettings::load(vault).unwrap_or_else(|problem| {
        note(&format!("note: {problem}"));
        ClockSettings::default()
    })
}

fn save(vault: &Vault, clock: &ClockSettings) -> Result<(), CliError> {
    Ok(clock.save(vault)?)
}

/// This clock's offset by the time server, in seconds.
fn ask(clock: &ClockSettings) -> Result<i64, CliError> {
    sntp::query(&clock.server, CHECK_LIMIT)
        .map(|measured| measured.offset_seconds())
        .map_err(|error| CliError::Input(error.to_string()))
}

fn status(clock: &ClockSettings) -> String {
    let check = match clock.check {
        Some(true) => "on: the app asks the time server at unlock and every few hours",
        Some(false) => "off (ringlet-cli clock auto on turns it on)",
        None => "off, not asked yet (the app asks once; ringlet-cli clock auto on|off)",
    };
    let offset = CodeClock::now(clock).machine_offset();
    let in_force = match clock.offset.as_ref().filter(|_| offset != 0) {
        Some(set) => words::offset_in_force(offset, set.source),
        None => "Codes use this computer's clock as it is (no offset).".to_owned(),
    };
    format!(
        "Clock check: {check}\nTime server: {}\n{in_force}\n",
        clock.server
    )
}

/// What `code` says on standard error when `account`'s code is corrected: by how much,
/// and for what (this computer's clock, the account's own offset).
pub fn corrected_note(clock: &CodeClock, account: &Account, at_given: bool) -> Option<String> {
    let machine = if at_given { 0 } else { clock.machine_offset() };
    let own = i64::from(account.time_offset);
    match (machine, own) {
        (0, 0) => None,
        (machine, 0) => Some(format!(
            "note: this computer's clock is corrected by {} (ringlet-cli clock).",
            words::signed(machine)
        )),
        (0, own) => Some(format!(
            "note: this account's codes are corrected by {}.",
            words::signed(own)
        )),
        (machine, own) => Some(format!(
            "note: corrected by {}: this computer's clock {}, this account {}.",
            words::signed(machine + own),
            words::signed(machine),
            words::signed(own)
        )),
    }
}

impl From<ClockError> for CliError {
    fn from(error: ClockError) -> CliError {
        CliError::Input(error.to_string())
    }
}
