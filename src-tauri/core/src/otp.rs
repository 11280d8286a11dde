//! Computing one-time codes: TOTP (RFC 6238), HOTP (RFC 4226) and Steam Guard.
//!
//! One engine does all three: `totp-rs`. HOTP is TOTP with a one-second step evaluated
//! at "time" = counter, and Steam is TOTP with Steam's alphabet. `totp-rs`'s unchecked
//! constructor panics (or overflows) on a zero period or 10+ digits, so [`validate`]
//! checks every bound first and [`generate`] never constructs an engine from bad input.
//!
//! The clock is read in exactly one place, [`now`]; everything else takes the time
//! (or counter) as a parameter so that it can be tested against published vectors.

use std::time::{SystemTime, UNIX_EPOCH};

use totp_rs::{Algorithm as Engine, TOTP};
use zeroize::Zeroize;

use crate::model::{Algorithm, OtpKind, OtpParams};

/// Fewest digits a TOTP/HOTP code may have. Fewer would be trivially guessable.
pub const MIN_DIGITS: u8 = 4;
/// Most digits a TOTP/HOTP code may have. RFC 4226's truncation yields 31 bits,
/// so more than 10 digits would only add leading zeros.
pub const MAX_DIGITS: u8 = 10;
/// Steam Guard codes are always five characters long.
pub const STEAM_DIGITS: u8 = 5;
/// Longest period accepted, in seconds: one day. Anything longer is surely a mistake.
pub const MAX_PERIOD: u32 = 86_400;
/// Largest secret accepted, in bytes. Real secrets are 10–64 bytes; this only
/// stops absurd input from reaching the HMAC.
pub const MAX_SECRET_BYTES: usize = 1024;

/// Why a code cannot be computed. Messages are meant for a person and never contain
/// the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OtpError {
    #[error("The account has no secret key, so no code can be computed.")]
    EmptySecret,
    #[error("The secret key is {len} bytes long; at most {MAX_SECRET_BYTES} bytes are supported.")]
    SecretTooLong { len: usize },
    #[error(
        "A code must have between {MIN_DIGITS} and {MAX_DIGITS} digits; this account says {digits}."
    )]
    Digits { digits: u8 },
    #[error(
        "Steam Guard codes always have {STEAM_DIGITS} characters; this account says {digits}."
    )]
    SteamDigits { digits: u8 },
    #[error("Steam Guard codes always use SHA1; this account says {algorithm}.")]
    SteamAlgorithm { algorithm: Algorithm },
    #[error("The period must be between 1 and {MAX_PERIOD} seconds; this code says {period}.")]
    Period { period: u32 },
}

/// Checks every bound the engine relies on, so that [`generate`] cannot panic.
pub fn validate(params: &OtpParams) -> Result<(), OtpError> {
    check_secret(params.secret.expose())?;
    match params.kind {
        OtpKind::Totp { period } => {
            check_digits(params.digits)?;
            check_period(period)
        }
        OtpKind::Hotp { .. } => check_digits(params.digits),
        OtpKind::Steam { period } => {
            if params.digits != STEAM_DIGITS {
                return Err(OtpError::SteamDigits {
                    digits: params.digits,
                });
            }
            if params.algorithm != Algorithm::Sha1 {
                return Err(OtpError::SteamAlgorithm {
                    algorithm: params.algorithm,
                });
            }
            check_period(period)
        }
    }
}

/// The code for `params` at `unix_time` (seconds since the epoch). HOTP ignores the
/// time and uses the counter stored in `params.kind`.
pub fn generate(params: &OtpParams, unix_time: u64) -> Result<String, OtpError> {
    validate(params)?;
    let secret = params.secret.expose();
    match params.kind {
        OtpKind::Totp { period } => Ok(run(
            engine(params.algorithm),
            params.digits,
            u64::from(period),
            secret,
            unix_time,
        )),
        OtpKind::Hotp { counter } => hotp(secret, params.algorithm, params.digits, counter),
        OtpKind::Steam { period } => Ok(run(
            Engine::Steam,
            STEAM_DIGITS,
            u64::from(period),
            secret,
            unix_time,
        )),
    }
}

/// An RFC 4226 HOTP code for `counter`: TOTP with a one-second step at time = counter.
pub fn hotp(
    secret: &[u8],
    algorithm: Algorithm,
    digits: u8,
    counter: u64,
) -> Result<String, OtpError> {
    check_secret(secret)?;
    check_digits(digits)?;
    Ok(run(engine(algorithm), digits, 1, secret, counter))
}

/// An RFC 6238 TOTP code; a convenience for callers that hold raw parameters.
pub fn totp(
    secret: &[u8],
    algorithm: Algorithm,
    digits: u8,
    period: u32,
    unix_time: u64,
) -> Result<String, OtpError> {
    check_secret(secret)?;
    check_digits(digits)?;
    check_period(period)?;
    Ok(run(
        engine(algorithm),
        digits,
        u64::from(period),
        secret,
        unix_time,
    ))
}

/// Seconds until the code for `period` changes, from `period` (just changed) down to 1.
/// A period of 0 is treated as 1 so that the countdown never divides by zero.
pub fn seconds_remaining(period: u32, unix_time: u64) -> u32 {
    let period = period.max(1);
    let elapsed = unix_time % u64::from(period);
    // `elapsed < period`, so it fits in a u32.
    period - u32::try_from(elapsed).unwrap_or(0)
}

/// The current Unix time in seconds. A clock set before 1970 reads as 0 rather than
/// panicking: the codes will be wrong, but the app stays up to say so.
pub fn now() -> u64 {
    now_ms() / 1000
}

/// The current Unix time in milliseconds (0 before 1970), for the vault's timestamps and
/// revisions. Every clock read in the core goes through here.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

fn check_secret(secret: &[u8]) -> Result<(), OtpError> {
    if secret.is_empty() {
        return Err(OtpError::EmptySecret);
    }
    if secret.len() > MAX_SECRET_BYTES {
        return Err(OtpError::SecretTooLong { len: secret.len() });
    }
    Ok(())
}

fn check_digits(digits: u8) -> Result<(), OtpError> {
    if (MIN_DIGITS..=MAX_DIGITS).contains(&digits) {
        Ok(())
    } else {
        Err(OtpError::Digits { digits })
    }
}

fn check_period(period: u32) -> Result<(), OtpError> {
    if (1..=MAX_PERIOD).contains(&period) {
        Ok(())
    } else {
        Err(OtpError::Period { period })
    }
}

fn engine(algorithm: Algorithm) -> Engine {
    match algorithm {
        Algorithm::Sha1 => Engine::SHA1,
        Algorithm::Sha256 => Engine::SHA256,
        Algorithm::Sha512 => Engine::SHA512,
    }
}

/// Runs the engine on already-validated parameters (`step` ≥ 1, digits within bounds).
fn run(algorithm: Engine, digits: u8, step: u64, secret: &[u8], time: u64) -> String {
    let mut totp = TOTP::new_unchecked(algorithm, usize::from(digits), 1, step, secret.to_vec());
    let code = if digits >= 10 && algorithm != Engine::Steam {
        // totp-rs computes 10^digits in a u32, which overflows at 10 digits. The
        // truncated value is below 2^31 < 10^10, so a 10-digit code is that value
        // zero-padded: truncate the engine's HMAC ourselves.
        ten_digits(&totp.sign(time))
    } else {
        totp.generate(time)
    };
    // totp-rs is built without its zeroize feature: wipe its copy of the key here.
    totp.secret.zeroize();
    code
}

/// RFC 4226 dynamic truncation of `hmac`, written as 10 zero-padded digits.
fn ten_digits(hmac: &[u8]) -> String {
    let offset = hmac.last().map_or(0, |last| usize::from(last & 0x0f));
    let mut word = [0u8; 4];
    if let Some(bytes) = hmac.get(offset..offset + 4) {
        word.copy_from_slice(bytes);
    }
    let value = u32::from_be_bytes(word) & 0x7fff_ffff;
    format!("{value:010}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Secret;

    fn params(secret: &[u8], digits: u8, kind: OtpKind) -> OtpParams {
        OtpParams {
            secret: Secret::new(secret.to_vec()),
            algorithm: Algorithm::Sha1,
            digits,
            kind,
        }
    }

    #[test]
    fn ten_digits_extends_the_nine_digit_code() {
        // RFC 4226 Appendix D lists the truncated decimal value for counter 0 as 1284755224.
        let code = hotp(b"12345678901234567890", Algorithm::Sha1, 10, 0);
        assert_eq!(code.as_deref(), Ok("1284755224"));
        let code = hotp(b"12345678901234567890", Algorithm::Sha1, 9, 0);
        assert_eq!(code.as_deref(), Ok("284755224"));
    }

    #[test]
    fn steam_rejects_other_digits_and_algorithms() {
        let mut steam = params(b"key", 6, OtpKind::Steam { period: 30 });
        assert_eq!(validate(&steam), Err(OtpError::SteamDigits { digits: 6 }));
        steam.digits = 5;
        steam.algorithm = Algorithm::Sha256;
        assert!(matches!(
            validate(&steam),
            Err(OtpError::SteamAlgorithm { .. })
        ));
    }

    #[test]
    fn errors_read_as_sentences_without_the_secret() {
        let message = OtpError::Period { period: 0 }.to_string();
        assert_eq!(
            message,
            "The period must be between 1 and 86400 seconds; this code says 0."
        );
        let long = params(&[b'z'; 2000], 6, OtpKind::Totp { period: 30 });
        let error = validate(&long).err().map(|e| format!("{e} {e:?}"));
        assert!(error.is_some_and(|text| !text.contains("zzz")));
    }

    #[test]
    fn period_zero_countdown_does_not_divide_by_zero() {
        assert_eq!(seconds_remaining(0, 12345), 1);
        // 2^64 - 1 = (2^32 - 1)(2^32 + 1), and 2^64 - 1 ≡ 15 (mod 30).
        assert_eq!(seconds_remaining(u32::MAX, u64::MAX), u32::MAX);
        assert_eq!(seconds_remaining(30, u64::MAX), 15);
    }

    #[test]
    fn now_is_after_2020() {
        assert!(now() > 1_577_836_800);
    }
}
