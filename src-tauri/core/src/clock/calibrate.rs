//! The clock's offset found offline, from the code another device (the phone) shows for one
//! account right now: the codes of every period within [`WINDOW_SECONDS`] of this clock are
//! computed, and the one that matches says which period the other device is in.
//!
//! One code places the true time within one period, so the offset found puts this clock in
//! the middle of that period: it is right to within half a period (±15 s for 30 s codes),
//! which every service accepts. When the code is this clock's own period's, the clock is
//! right to within a period and no offset is offered. The account's own offset (for a
//! service whose clock is off) is not applied: the other device does not know it.

use crate::model::{OtpKind, OtpParams};
use crate::otp::{self, OtpError};

/// How far from this clock a code is looked for: a quarter of an hour either way.
pub const WINDOW_SECONDS: u64 = 15 * 60;

/// What a code typed from another device says about this clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calibration {
    /// The offset found, in seconds (positive: this clock is behind); 0 when the code is
    /// this clock's own period's.
    pub seconds: i64,
    /// How sure: the offset is right to within this many seconds (half a period).
    pub within: u32,
    /// How many periods away from this clock's the code was found.
    pub periods: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalibrationError {
    #[error("Counter-based (HOTP) codes do not depend on the clock; choose a time-based account.")]
    NotTimeBased,
    #[error("Type the code as the other device shows it: {digits} {what}.")]
    NotACode { digits: u8, what: &'static str },
    #[error("No code of this account within 15 minutes of this computer's clock is {0}. Check that it is this account's current code, or set the offset by hand if the clock is further off.")]
    NoMatch(String),
    #[error("That code comes up more than once within 15 minutes, so it does not say which time it is. Wait for the next code and type that one.")]
    Ambiguous,
    #[error(transparent)]
    Otp(#[from] OtpError),
}

/// The offset at which `params` gives `typed` nearest to `now_ms` on this clock.
pub fn calibrate(
    params: &OtpParams,
    typed: &str,
    now_ms: u64,
) -> Result<Calibration, CalibrationError> {
    let period = match params.kind {
        OtpKind::Totp { period } | OtpKind::Steam { period } => period.max(1),
        OtpKind::Hotp { .. } => return Err(CalibrationError::NotTimeBased),
    };
    let code = normalise(params, typed)?;
    otp::validate(params)?;
    let step = u64::from(period);
    let reach = i64::try_from(WINDOW_SECONDS.div_ceil(step)).unwrap_or(0);
    let now_s = now_ms / 1000;
    let here = i64::try_from(now_s / step).unwrap_or(i64::MAX);
    let mut found = Vec::new();
    for periods in -reach..=reach {
        let Some(start) = here
            .checked_add(periods)
            .and_then(|index| u64::try_from(index).ok())
            .and_then(|index| index.checked_mul(step))
        else {
            continue;
        };
        if otp::generate(params, start)? == code {
            found.push(periods);
        }
    }
    let periods = match found.as_slice() {
        [] => return Err(CalibrationError::NoMatch(code)),
        [only] => *only,
        _ => return Err(CalibrationError::Ambiguous),
    };
    let within = period / 2;
    if periods == 0 {
        return Ok(Calibration {
            seconds: 0,
            within: period,
            periods,
        });
    }
    // The middle of the matched period, less this clock's time.
    let middle_ms = (i128::from(here + periods) * i128::from(step) * 1000) + i128::from(step) * 500;
    let offset_ms = i64::try_from(middle_ms - i128::from(now_ms)).unwrap_or(0);
    Ok(Calibration {
        seconds: super::sntp::round_ms(offset_ms),
        within,
        periods,
    })
}

/// The code as typed, with the spaces and dashes people copy along: digits for TOTP,
/// Steam's letters and digits in capitals.
fn normalise(params: &OtpParams, typed: &str) -> Result<String, CalibrationError> {
    let steam = matches!(params.kind, OtpKind::Steam { .. });
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let fits = code.chars().count() == usize::from(params.digits)
        && code.chars().all(|c| {
            if steam {
                c.is_ascii_alphanumeric()
            } else {
                c.is_ascii_digit()
            }
        });
    if !fits {
        return Err(CalibrationError::NotACode {
            digits: params.digits,
            what: if steam {
                "letters and digits"
            } else {
                "digits"
            },
        });
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Algorithm, Secret};

    /// RFC 6238's SHA-1 key.
    fn totp(digits: u8) -> OtpParams {
        OtpParams {
            secret: Secret::new(b"12345678901234567890".to_vec()),
            algorithm: Algorithm::Sha1,
            digits,
            kind: OtpKind::Totp { period: 30 },
        }
    }

    /// The code another device shows when the true time is `true_ms`.
    fn shown(params: &OtpParams, true_ms: u64) -> String {
        otp::generate(params, true_ms / 1000).unwrap()
    }

    #[test]
    fn a_clock_two_minutes_behind_is_found_to_within_fifteen_seconds() {
        let params = totp(6);
        let here = 1_765_432_107_250u64;
        for offset_s in [133i64, -133, 31, -31, 899 - 15, -(899 - 15), 600] {
            let true_ms = here.checked_add_signed(offset_s * 1000).unwrap();
            let found = calibrate(&params, &shown(&params, true_ms), here).unwrap();
            assert!(
                (found.seconds - offset_s).abs() <= 15,
                "{offset_s}: {found:?}"
            );
            assert_eq!(found.within, 15);
            // Using it, this clock's codes are the other device's.
            let corrected = here.checked_add_signed(found.seconds * 1000).unwrap();
            assert_eq!(
                shown(&params, corrected),
                shown(&params, true_ms),
                "{offset_s}"
            );
        }
    }

    #[test]
    fn the_code_of_this_clocks_own_period_offers_no_offset() {
        let params = totp(8);
        let here = 1_765_432_107_250u64;
        let found = calibrate(&params, &shown(&params, here), here).unwrap();
        assert_eq!(
            found,
            Calibration {
                seconds: 0,
                within: 30,
                periods: 0
            }
        );
    }

    #[test]
    fn a_code_from_further_than_fifteen_minutes_or_a_wrong_one_is_not_found() {
        let params = totp(8);
        let here = 1_765_432_107_250u64;
        let far = shown(&params, here + 20 * 60 * 1000);
        assert!(matches!(
            calibrate(&params, &far, here),
            Err(CalibrationError::NoMatch(_))
        ));
        let message = calibrate(&params, "0000 0000", here).map_err(|e| e.to_string());
        assert!(message.is_err_and(|m| m.contains("00000000") && m.contains("15 minutes")));
    }

    #[test]
    fn spaces_and_dashes_are_ignored_and_other_text_is_refused() {
        let params = totp(6);
        let here = 1_765_432_107_250u64;
        let code = shown(&params, here + 90_000);
        let spaced = format!(" {}-{} ", &code[..3], &code[3..]);
        assert!(calibrate(&params, &spaced, here).is_ok());
        for bad in ["12345", "1234567", "12a456", ""] {
            assert_eq!(
                calibrate(&params, bad, here),
                Err(CalibrationError::NotACode {
                    digits: 6,
                    what: "digits"
                }),
                "{bad}"
            );
        }
    }

    #[test]
    fn hotp_has_no_clock_and_steam_codes_are_read_in_capitals() {
        let mut hotp = totp(6);
        hotp.kind = OtpKind::Hotp { counter: 3 };
        assert_eq!(
            calibrate(&hotp, "123456", 0),
            Err(CalibrationError::NotTimeBased)
        );
        let steam = OtpParams {
            digits: 5,
            kind: OtpKind::Steam { period: 30 },
            ..totp(5)
        };
        let here = 1_765_432_107_250u64;
        let code = shown(&steam, here - 300_000).to_lowercase();
        let found = calibrate(&steam, &code, here).unwrap();
        assert!((found.seconds + 300).abs() <= 15, "{found:?}");
    }

    #[test]
    fn a_code_that_comes_up_twice_is_ambiguous() {
        // Four digits over 61 periods repeat now and then (about one window in six): the
        // first such window from a fixed time, found by looking, is deterministic.
        let params = totp(4);
        let codes_around = |here: u64| -> Vec<String> {
            (-30i64..=30)
                .map(|k| shown(&params, here.checked_add_signed(k * 30_000).unwrap()))
                .collect()
        };
        let (here, code) = (0..200u64)
            .map(|n| 1_765_432_107_250 + n * 61 * 30_000)
            .find_map(|here| {
                let codes = codes_around(here);
                codes
                    .iter()
                    .enumerate()
                    .find(|(i, code)| codes[i + 1..].contains(code))
                    .map(|(_, code)| (here, code.clone()))
            })
            .expect("a repeated four-digit code within 200 windows");
        assert_eq!(
            calibrate(&params, &code, here),
            Err(CalibrationError::Ambiguous)
        );
    }
}
