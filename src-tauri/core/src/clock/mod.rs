//! This computer's clock as codes need it. A TOTP code is right only when the clock is: a
//! clock two minutes off gives codes every service refuses. So:
//!
//! - [`sntp`] asks a time server how far the clock is off (the app does it at unlock and
//!   every few hours when the person turned the check on; `ringlet-cli clock check` when asked);
//! - [`calibrate`] finds the offset offline, from the code another device shows;
//! - a **machine offset** ([`MachineOffset`]) corrects every time-based code on this
//!   computer, until it is removed: set by hand, from a code, or from the time server
//!   (then only until the clock is right again). It follows the clock when the clock is set
//!   ([`anchor`]), so a code is never corrected twice;
//! - an **account's own offset** (`Account::time_offset`) is for the rare service whose own
//!   clock is off; it travels with the account (sync, backups);
//! - [`CodeClock`] is the moment codes are computed for: the clock, plus both.
//!
//! The settings ([`ClockSettings`]: the check, its server, the machine offset) are this
//! computer's, never synced: `clock.sealed` beside the vault, sealed under a sub-key of the
//! vault's key, so someone who can write the folder cannot turn network use on, point it at
//! their own server or shift the codes. They are read once the vault is open.

pub mod anchor;
pub mod calibrate;
pub mod sntp;
pub mod words;

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::model::Account;
use crate::vault::files::write_atomically;
use crate::vault::Vault;

pub use anchor::Anchor;

/// The file beside the vault.
pub const CLOCK_FILE: &str = "clock.sealed";
/// Far above any valid file: a larger one is not read.
const MAX_CLOCK_BYTES: u64 = 16 * 1024;
/// The time server asked unless the person names another: the NTP Pool's, which hands out
/// a nearby volunteer server.
pub const DEFAULT_SERVER: &str = "pool.ntp.org";
/// Off by more than this, a clock is worth a word: services accept the code of the period
/// before or after (±30 s), and a code is typed some seconds before its period ends.
pub const WORTH_SAYING_SECONDS: i64 = 10;
/// The largest machine offset: a day. Further off is a wrong date, which only setting the
/// clock fixes (and a day covers a clock set in the wrong time zone).
pub const MAX_MACHINE_OFFSET_SECONDS: i64 = 86_400;
/// The most a check may move an offset from the server by itself. A time server is not
/// authenticated (SNTP): one that lies, or someone on the path, could otherwise move the codes
/// far ahead without a word, where a code seen on screen would stay valid for long. A larger
/// change shows the banner and waits for the person's "Correct codes".
pub const FOLLOW_AT_MOST_SECONDS: i64 = 5 * 60;
/// The largest offset of one account: an hour. A service whose clock were further off would
/// refuse everyone's codes.
pub const MAX_ACCOUNT_OFFSET_SECONDS: i32 = 3_600;
/// How long the app waits for a time server, name resolution included.
pub const CHECK_LIMIT: Duration = Duration::from_secs(5);
/// The app asks the time server again after this long (and whenever the clock was set).
pub const CHECK_EVERY: Duration = Duration::from_secs(4 * 60 * 60);
/// After a check that failed (offline, say), the next one waits this long.
pub const RETRY_AFTER: Duration = Duration::from_secs(30 * 60);

/// This computer's clock settings, kept in `clock.sealed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ClockSettings {
    /// Ask the time server at unlock and every few hours. `None`: not asked yet (the app
    /// asks once); off until the person says yes, as it touches the network.
    pub check: Option<bool>,
    /// The time server: a host name or address, `:PORT` when not 123.
    pub server: String,
    /// The offset every time-based code on this computer is corrected by.
    pub offset: Option<MachineOffset>,
}

impl Default for ClockSettings {
    fn default() -> Self {
        ClockSettings {
            check: None,
            server: DEFAULT_SERVER.into(),
            offset: None,
        }
    }
}

/// Where a machine offset came from: it says how long it lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OffsetSource {
    /// Typed by the person: until they change it.
    Manual,
    /// Found from a code another device showed: until changed.
    Code,
    /// What the time server said: kept up to date by each check, removed once the clock is right.
    Server,
}

impl OffsetSource {
    /// How the app and the CLI say where it came from.
    pub fn said(self) -> &'static str {
        match self {
            OffsetSource::Manual => "set by hand",
            OffsetSource::Code => "found from a code",
            OffsetSource::Server => "from the time server, until the clock is right",
        }
    }
}

/// The offset every time-based code on this computer is corrected by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MachineOffset {
    /// Seconds this clock lacked when it was set: positive when the clock is behind.
    pub seconds: i64,
    pub source: OffsetSource,
    /// When it was set, on this clock (Unix milliseconds).
    pub set_at_ms: u64,
    /// This clock against the time since boot then ([`anchor`]): the offset follows the
    /// clock when the clock is set. `None` where it cannot be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<Anchor>,
}

impl MachineOffset {
    /// An offset of `seconds` set now (`now_ms`), anchored where the system allows.
    pub fn set(seconds: i64, source: OffsetSource, now_ms: u64) -> MachineOffset {
        MachineOffset {
            seconds,
            source,
            set_at_ms: now_ms,
            anchor: Anchor::read(now_ms),
        }
    }

    /// The offset in force when the clock stands at `now` against the time since boot: as
    /// set, less what the clock was itself set by since (same boot only). `None` once that
    /// leaves less than half a second: the clock was put right.
    pub fn in_force(&self, now: Option<&Anchor>) -> Option<i64> {
        let moved_ms = match (&self.anchor, now) {
            (Some(then), Some(now)) => then.clock_moved_ms(now).unwrap_or(0),
            _ => 0,
        };
        let ms = self.seconds.saturating_mul(1000).saturating_sub(moved_ms);
        let seconds =
            sntp::round_ms(ms).clamp(-MAX_MACHINE_OFFSET_SECONDS, MAX_MACHINE_OFFSET_SECONDS);
        (seconds != 0).then_some(seconds)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ClockError {
    #[error("The clock settings could not be read: {0}")]
    Read(std::io::Error),
    #[error("The clock settings were not written by Ringlet for this vault (copied from elsewhere, or made before a password change), so they are not used.")]
    Unsealed,
    #[error("The clock settings are not valid ({0}), so they are not used.")]
    Invalid(String),
    #[error("The clock settings could not be saved: {0}")]
    Write(std::io::Error),
    #[error("An offset of this computer's clock is at most a day ({MAX_MACHINE_OFFSET_SECONDS} s) either way; set the clock itself when it is further off.")]
    OffsetTooLarge,
    #[error(transparent)]
    Server(#[from] sntp::SntpError),
}

impl ClockSettings {
    /// The settings of `vault`, from its folder: the defaults when there is no file yet.
    pub fn load(vault: &Vault) -> Result<ClockSettings, ClockError> {
        let path = vault.dir().join(CLOCK_FILE);
        match std::fs::metadata(&path) {
            Ok(meta) if meta.len() > MAX_CLOCK_BYTES => {
                return Err(ClockError::Invalid("the file is far too large".into()))
            }
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(ClockSettings::default())
            }
            Err(error) => return Err(ClockError::Read(error)),
        }
        let sealed = std::fs::read(&path).map_err(ClockError::Read)?;
        let json = vault
            .open_local(CLOCK_FILE, &sealed)
            .ok_or(ClockError::Unsealed)?;
        let settings: ClockSettings = serde_json::from_slice(&json)
            .map_err(|error| ClockError::Invalid(error.to_string()))?;
        settings
            .validate()
            .map_err(|error| ClockError::Invalid(error.to_string()))?;
        Ok(settings)
    }

    /// Writes the settings, sealed for `vault`, atomically into its folder once they are valid.
    pub fn save(&self, vault: &Vault) -> Result<(), ClockError> {
        self.validate()?;
        let json =
            serde_json::to_vec(self).map_err(|e| ClockError::Write(std::io::Error::other(e)))?;
        let sealed = vault
            .seal_local(CLOCK_FILE, &json)
            .map_err(|e| ClockError::Write(std::io::Error::other(e)))?;
        write_atomically(&vault.dir().join(CLOCK_FILE), &sealed).map_err(ClockError::Write)
    }

    /// The server is one [`sntp::Server::parse`] reads; the offset within its bounds.
    pub fn validate(&self) -> Result<(), ClockError> {
        sntp::Server::parse(&self.server)?;
        if let Some(offset) = &self.offset {
            if offset.seconds.abs() > MAX_MACHINE_OFFSET_SECONDS {
                return Err(ClockError::OffsetTooLarge);
            }
            if offset
                .anchor
                .as_ref()
                .is_some_and(|anchor| !anchor.is_plausible())
            {
                return Err(ClockError::Invalid("its boot id is not one".into()));
            }
        }
        Ok(())
    }

    /// The machine offset in force now (`now_ms` on this clock), in seconds; 0 when none.
    pub fn offset_now(&self, now_ms: u64) -> i64 {
        self.offset
            .as_ref()
            .and_then(|offset| offset.in_force(Anchor::read(now_ms).as_ref()))
            .unwrap_or(0)
    }

    /// Sets the machine offset to `seconds` from `source`, now; 0 removes it.
    pub fn set_offset(
        &mut self,
        seconds: i64,
        source: OffsetSource,
        now_ms: u64,
    ) -> Result<(), ClockError> {
        if seconds.abs() > MAX_MACHINE_OFFSET_SECONDS {
            return Err(ClockError::OffsetTooLarge);
        }
        self.offset = (seconds != 0).then(|| MachineOffset::set(seconds, source, now_ms));
        Ok(())
    }

    /// What a check that measured `measured` seconds (this clock's raw offset) changes: an
    /// offset from the server follows it (by at most [`FOLLOW_AT_MOST_SECONDS`]; further
    /// waits for the person), and goes once the clock is right again. Returns true when the
    /// settings changed (to be saved).
    pub fn follow_server(&mut self, measured: i64, now_ms: u64) -> bool {
        let Some(offset) = &self.offset else {
            return false;
        };
        if offset.source != OffsetSource::Server {
            return false;
        }
        if measured.abs() < WORTH_SAYING_SECONDS {
            self.offset = None;
            return true;
        }
        let in_force = self.offset_now(now_ms);
        if in_force == measured
            || measured.abs() > MAX_MACHINE_OFFSET_SECONDS
            || (measured - in_force).abs() > FOLLOW_AT_MOST_SECONDS
        {
            return false;
        }
        self.offset = Some(MachineOffset::set(measured, OffsetSource::Server, now_ms));
        true
    }

    /// Writes down what the clock did to the offset: in this boot, the offset in force
    /// becomes the offset as set (gone once the clock was put right); an offset anchored in
    /// an earlier boot (or not anchored) is anchored anew, as set. True when it changed (to
    /// be saved); the app does it at unlock and between checks, so a reboot after the clock
    /// was set does not bring an offset back.
    pub fn settle(&mut self, now_ms: u64) -> bool {
        let Some(offset) = self.offset.as_ref() else {
            return false;
        };
        let Some(now) = Anchor::read(now_ms) else {
            return false;
        };
        let same_boot = offset
            .anchor
            .as_ref()
            .is_some_and(|then| then.clock_moved_ms(&now).is_some());
        let seconds = if same_boot {
            match offset.in_force(Some(&now)) {
                Some(seconds) if seconds == offset.seconds => return false,
                Some(seconds) => seconds,
                None => {
                    self.offset = None;
                    return true;
                }
            }
        } else {
            offset.seconds
        };
        self.offset = Some(MachineOffset {
            seconds,
            anchor: Some(now),
            ..offset.clone()
        });
        true
    }
}

/// The moment codes are computed for: this computer's clock with the machine offset in
/// force, and each account's own offset on top.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeClock {
    /// This computer's clock (Unix milliseconds).
    now_ms: u64,
    /// The machine offset in force (seconds).
    machine: i64,
}

/// One account's moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeMoment {
    /// The Unix time its code is computed for.
    pub unix: u64,
    /// Seconds added to this computer's clock: the machine's and the account's.
    pub offset: i64,
}

impl CodeClock {
    /// The clock at `now_ms` with a machine offset of `machine` seconds.
    pub fn at(now_ms: u64, machine: i64) -> CodeClock {
        CodeClock { now_ms, machine }
    }

    /// Now, corrected as `settings` say.
    pub fn now(settings: &ClockSettings) -> CodeClock {
        let now_ms = crate::otp::now_ms();
        CodeClock::at(now_ms, settings.offset_now(now_ms))
    }

    /// The machine offset in force (seconds; 0 when none).
    pub fn machine_offset(&self) -> i64 {
        self.machine
    }

    /// The moment `account`'s code is for.
    pub fn for_account(&self, account: &Account) -> CodeMoment {
        self.with_offset(self.machine.saturating_add(i64::from(account.time_offset)))
    }

    /// The moment at this clock plus `offset` seconds (a time before 1970 reads as 0).
    pub fn with_offset(&self, offset: i64) -> CodeMoment {
        let seconds = i64::try_from(self.now_ms / 1000).unwrap_or(i64::MAX);
        CodeMoment {
            unix: u64::try_from(seconds.saturating_add(offset)).unwrap_or(0),
            offset,
        }
    }
}

impl CodeMoment {
    /// When the code of a `period`-second account changes, on this computer's clock (Unix
    /// milliseconds): what the window's countdown compares with its own clock.
    pub fn expires_ms(&self, period: u32) -> u64 {
        let period = u64::from(period.max(1));
        let next = (self.unix / period)
            .saturating_add(1)
            .saturating_mul(period);
        let here = i128::from(next) - i128::from(self.offset);
        u64::try_from(here.max(0) * 1000).unwrap_or(u64::MAX)
    }

    /// The start of the next period, on the corrected clock (the next code's time).
    pub fn next_period(&self, period: u32) -> u64 {
        let period = u64::from(period.max(1));
        (self.unix / period)
            .saturating_add(1)
            .saturating_mul(period)
    }
}

#[cfg(test)]
mod tests;
