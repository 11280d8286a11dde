//! Reading and writing `otpauth://` links, the format QR codes and exports carry.
//!
//! The parser is our own rather than `totp-rs`'s because real services are sloppy and
//! a person should never be told "invalid URL" for a code their other app accepts:
//!
//! * the scheme (`otpauth`) and the type (`totp`, `hotp`, `steam`) are matched in any case;
//! * surrounding whitespace is trimmed, unknown parameters are ignored, parameter names
//!   are matched in any case, an empty optional parameter counts as absent;
//! * the secret may be lower-case, spaced, hyphenated or `=`-padded Base32, and 80-bit
//!   (16-character) secrets are fine;
//! * the label may be `Issuer:Name` (colon literal or `%3A`, spaces around it allowed)
//!   or just `Name`; the `issuer` parameter wins over the label prefix when both are
//!   given and differ, the prefix is used when the parameter is absent;
//! * label and values are percent-decoded; in query values `+` is a space (as in
//!   `issuer=Air+Canada`) while `%2B` is a plus; in the label `+` stays a plus;
//! * algorithms are matched in any case, with or without a dash (`sha-256`, `SHA256`);
//! * `otpauth://steam/…` and `otpauth://totp/…&encoder=steam` (KeePassXC's form) are
//!   Steam Guard, which always has 5 characters and SHA1: their `digits` and
//!   `algorithm` parameters are ignored;
//! * defaults are SHA1, 6 digits, 30 seconds; HOTP needs a `counter`.
//!
//! The input is bounded (see [`MAX_URI_LEN`], [`MAX_LABEL_PART_LEN`],
//! [`MAX_SECRET_TEXT_LEN`]) so a hostile QR code cannot make us do unbounded work.
//! Errors never contain the secret; they quote short non-secret values (a digit count,
//! an algorithm name) to help the person see what was wrong.
//!
//! [`to_uri`] writes a canonical link that [`parse`] reads back to the same account,
//! provided the issuer and name have no surrounding whitespace (which [`parse`] trims,
//! so it never produces such names).

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use zeroize::Zeroizing;

use crate::model::{Account, Algorithm, OtpKind, OtpParams, Secret};
use crate::otp::{self, OtpError, MAX_DIGITS, MAX_PERIOD, MAX_SECRET_BYTES, MIN_DIGITS};

/// Longest link accepted, in bytes after trimming. Real links are well under 1 KiB and a
/// QR code holds at most about 3 KiB, but [`to_uri`] of any account Ringlet accepts must
/// read back: the issuer twice (label and `issuer`) and the name, each up to
/// [`MAX_LABEL_PART_LEN`] bytes percent-encoded (3 bytes each), plus the secret and the
/// parameters.
pub const MAX_URI_LEN: usize = 3 * 3 * MAX_LABEL_PART_LEN + 8 * 1024;
pub use crate::model::MAX_LABEL_PART_LEN;
/// Longest Base32 text [`parse_secret`] looks at, separators and padding included.
pub const MAX_SECRET_TEXT_LEN: usize = 4 * 1024;

const DEFAULT_DIGITS: u8 = 6;
const DEFAULT_PERIOD: u32 = 30;
/// How much of a rejected value an error message quotes.
const QUOTE_LEN: usize = 24;

/// Why a link or a typed secret was rejected. Messages are meant for a person and
/// never contain the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UriError {
    #[error("There is no text to read.")]
    Empty,
    #[error("The link is {len} bytes long; at most {MAX_URI_LEN} bytes are accepted.")]
    TooLong { len: usize },
    #[error("This is not an otpauth:// link{}.", scheme_note(.scheme))]
    NotOtpauth { scheme: Option<String> },
    #[error(
        "This is a Google Authenticator export (otpauth-migration://), not a single otpauth:// account link."
    )]
    MigrationExport,
    #[error("The link does not say which kind of code it is (totp, hotp or steam).")]
    MissingType,
    #[error("“{found}” is not a kind of code Ringlet knows; expected totp, hotp or steam.")]
    UnknownType { found: String },
    #[error("The link has no secret key (the “secret” parameter is missing or empty).")]
    MissingSecret,
    #[error("The secret key is empty.")]
    EmptySecret,
    #[error(
        "The secret key contains characters that are not Base32: only the letters A–Z and the digits 2–7 are allowed."
    )]
    SecretNotBase32,
    #[error(
        "The secret key has a length no Base32 encoder produces; a character is probably missing or extra."
    )]
    SecretBadLength,
    #[error("The secret key is too long; at most {MAX_SECRET_BYTES} bytes are supported.")]
    SecretTooLong,
    #[error("An HOTP link must give a counter (the “counter” parameter is missing or empty).")]
    MissingCounter,
    #[error("The counter must be a whole number of at most 20 digits; this link says “{found}”.")]
    InvalidCounter { found: String },
    #[error(
        "A code must have between {MIN_DIGITS} and {MAX_DIGITS} digits; this link says “{found}”."
    )]
    Digits { found: String },
    #[error("The period must be between 1 and {MAX_PERIOD} seconds; this link says “{found}”.")]
    Period { found: String },
    #[error("“{found}” is not an algorithm Ringlet knows; expected SHA1, SHA256 or SHA512.")]
    UnknownAlgorithm { found: String },
    #[error("The {part} of the link has a broken %-escape (a % must be followed by two hexadecimal digits).")]
    BadPercentEncoding { part: &'static str },
    #[error("The {part} of the link is not valid UTF-8 text.")]
    NotUtf8 { part: &'static str },
    #[error("The {part} is {len} bytes long; at most {MAX_LABEL_PART_LEN} bytes are accepted.")]
    LabelPartTooLong { part: &'static str, len: usize },
    #[error("The link gives the “{name}” parameter more than once.")]
    DuplicateParameter { name: &'static str },
    #[error(transparent)]
    Otp(#[from] OtpError),
}

fn scheme_note(scheme: &Option<String>) -> String {
    match scheme {
        Some(scheme) => format!(" (it is a “{scheme}:” link)"),
        None => String::new(),
    }
}

/// The parameters we understand, each seen at most once.
#[derive(Default)]
struct Query<'a> {
    secret: Option<&'a str>,
    issuer: Option<&'a str>,
    algorithm: Option<&'a str>,
    digits: Option<&'a str>,
    period: Option<&'a str>,
    counter: Option<&'a str>,
    encoder: Option<&'a str>,
}

impl<'a> Query<'a> {
    /// Splits the raw query. Values stay encoded: only those we use get decoded, so a
    /// broken unknown parameter cannot make the link fail.
    fn split(raw: &'a str) -> Result<Self, UriError> {
        let mut query = Query::default();
        for pair in raw.split('&').filter(|pair| !pair.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let (slot, name) = match name.to_ascii_lowercase().as_str() {
                "secret" => (&mut query.secret, "secret"),
                "issuer" => (&mut query.issuer, "issuer"),
                "algorithm" => (&mut query.algorithm, "algorithm"),
                "digits" => (&mut query.digits, "digits"),
                "period" => (&mut query.period, "period"),
                "counter" => (&mut query.counter, "counter"),
                "encoder" => (&mut query.encoder, "encoder"),
                _ => continue,
            };
            if slot.is_some() {
                return Err(UriError::DuplicateParameter { name });
            }
            *slot = Some(value);
        }
        Ok(query)
    }
}

/// Reads one `otpauth://` link into an account.
pub fn parse(text: &str) -> Result<Account, UriError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(UriError::Empty);
    }
    if text.len() > MAX_URI_LEN {
        return Err(UriError::TooLong { len: text.len() });
    }
    let rest = strip_scheme(text)?;
    let (path, raw_query) = rest.split_once('?').unwrap_or((rest, ""));
    let (host, raw_label) = path.split_once('/').unwrap_or((path, ""));
    let query = Query::split(raw_query)?;

    let host = host.to_ascii_lowercase();
    let encoder = query
        .encoder
        .map(|raw| decode_value(raw, "encoder"))
        .transpose()?;
    let steam_encoder = encoder.is_some_and(|e| e.trim().eq_ignore_ascii_case("steam"));
    let kind_name = match host.as_str() {
        "" => return Err(UriError::MissingType),
        "totp" if steam_encoder => "steam",
        "totp" | "hotp" | "steam" => host.as_str(),
        _ => {
            return Err(UriError::UnknownType {
                found: quote(&host),
            })
        }
    };

    let secret = match nonempty(query.secret) {
        Some(raw) => parse_secret(&decode_value(raw, "secret")?)?,
        None => return Err(UriError::MissingSecret),
    };

    let (kind, algorithm, digits) = match kind_name {
        "steam" => (
            OtpKind::Steam {
                period: parse_period(query.period)?,
            },
            Algorithm::Sha1,
            otp::STEAM_DIGITS,
        ),
        "hotp" => (
            OtpKind::Hotp {
                counter: parse_counter(query.counter)?,
            },
            parse_algorithm(query.algorithm)?,
            parse_digits(query.digits)?,
        ),
        _ => (
            OtpKind::Totp {
                period: parse_period(query.period)?,
            },
            parse_algorithm(query.algorithm)?,
            parse_digits(query.digits)?,
        ),
    };

    let (issuer, name) = split_label(&decode_label(raw_label)?, query.issuer)?;
    let account = Account::new(
        issuer,
        name,
        OtpParams {
            secret,
            algorithm,
            digits,
            kind,
        },
    );
    // Everything was checked above; this keeps parse and generate agreeing on bounds.
    otp::validate(&account.otp)?;
    Ok(account)
}

/// Writes the canonical link for `account`: `otpauth://TYPE/Issuer:Name?secret=…&issuer=…
/// &algorithm=…&digits=…&period=…` (or `counter=…` for HOTP), which [`parse`] reads back
/// to the same account. The result contains the secret: do not log it.
pub fn to_uri(account: &Account) -> String {
    let otp = &account.otp;
    let mut uri = format!("otpauth://{}/", otp.kind.name());
    if !account.issuer.is_empty() {
        uri.extend(utf8_percent_encode(&account.issuer, LABEL));
        uri.push(':');
    } else if account.name.contains(':') {
        // An empty prefix keeps a colon in the name from being read as a separator.
        uri.push(':');
    }
    uri.extend(utf8_percent_encode(&account.name, LABEL));
    uri.push_str("?secret=");
    uri.push_str(&data_encoding::BASE32_NOPAD.encode(otp.secret.expose()));
    if !account.issuer.is_empty() {
        uri.push_str("&issuer=");
        uri.extend(utf8_percent_encode(&account.issuer, VALUE));
    }
    uri.push_str("&algorithm=");
    uri.push_str(otp.algorithm.as_str());
    uri.push_str(&format!("&digits={}", otp.digits));
    match otp.kind {
        OtpKind::Totp { period } | OtpKind::Steam { period } => {
            uri.push_str(&format!("&period={period}"));
        }
        OtpKind::Hotp { counter } => uri.push_str(&format!("&counter={counter}")),
    }
    uri
}

/// Decodes a Base32 secret as people and services write it: any case, with spaces,
/// hyphens or `=` padding, any length a Base32 encoder can produce. Bits left over
/// after the last whole byte are ignored, as every other authenticator does.
pub fn parse_secret(base32: &str) -> Result<Secret, UriError> {
    if base32.len() > MAX_SECRET_TEXT_LEN {
        return Err(UriError::SecretTooLong);
    }
    let mut symbols = 0usize;
    let mut padding = false;
    // Reserve up front so the key is never copied by a reallocation and left in freed memory.
    let mut bytes = Zeroizing::new(Vec::with_capacity(base32.len() * 5 / 8 + 1));
    let mut buffer: u32 = 0;
    let mut bits = 0u32;
    for c in base32.chars() {
        if c.is_whitespace() || c == '-' {
            continue;
        }
        if c == '=' {
            padding = true;
            continue;
        }
        let value = match c.to_ascii_uppercase() {
            upper @ 'A'..='Z' => u32::from(upper) - u32::from('A'),
            digit @ '2'..='7' => u32::from(digit) - u32::from('2') + 26,
            _ => return Err(UriError::SecretNotBase32),
        };
        if padding {
            // Padding only ever comes at the end.
            return Err(UriError::SecretNotBase32);
        }
        symbols += 1;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            bytes.push(((buffer >> bits) & 0xff) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    if symbols == 0 {
        return Err(UriError::EmptySecret);
    }
    if matches!(symbols % 8, 1 | 3 | 6) {
        return Err(UriError::SecretBadLength);
    }
    if bytes.len() > MAX_SECRET_BYTES {
        return Err(UriError::SecretTooLong);
    }
    // Moves the buffer (no copy) into the Secret, which wipes it on drop.
    Ok(Secret::new(std::mem::take(&mut *bytes)))
}

/// Label characters written as-is: RFC 3986 unreserved plus `@`, common in logins.
const LABEL: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');
/// Query-value characters written as-is: RFC 3986 unreserved.
const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Returns what follows `otpauth://`, or says why the text is not such a link.
fn strip_scheme(text: &str) -> Result<&str, UriError> {
    const SCHEME: &str = "otpauth://";
    if let (Some(head), Some(rest)) = (text.get(..SCHEME.len()), text.get(SCHEME.len()..)) {
        if head.eq_ignore_ascii_case(SCHEME) {
            return Ok(rest);
        }
    }
    let scheme = text.split_once(':').map(|(scheme, _)| scheme);
    if scheme.is_some_and(|s| s.eq_ignore_ascii_case("otpauth-migration")) {
        return Err(UriError::MigrationExport);
    }
    // Only name the scheme when it looks like one, so arbitrary text is not echoed,
    // and not when it is ours but lacks the "//".
    let scheme = scheme.filter(|s| {
        !s.eq_ignore_ascii_case("otpauth")
            && (1..=QUOTE_LEN).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    Err(UriError::NotOtpauth {
        scheme: scheme.map(str::to_ascii_lowercase),
    })
}

/// Splits the decoded label into (issuer, name). A non-empty `issuer` parameter wins;
/// when the label starts with exactly that issuer and a colon, that prefix is removed
/// (so an issuer may itself contain a colon). Otherwise the first colon separates.
fn split_label(label: &str, issuer_param: Option<&str>) -> Result<(String, String), UriError> {
    let issuer_param = issuer_param
        .map(|raw| decode_value(raw, "issuer"))
        .transpose()?
        .map(|issuer| issuer.trim().to_owned())
        .filter(|issuer| !issuer.is_empty());
    let (prefix, name) = match issuer_param
        .as_deref()
        .and_then(|issuer| label.strip_prefix(issuer))
        .and_then(|rest| rest.trim_start().strip_prefix(':'))
    {
        Some(name) => (None, name),
        None => match label.split_once(':') {
            Some((prefix, name)) => (Some(prefix), name),
            None => (None, label),
        },
    };
    let issuer = issuer_param.unwrap_or_else(|| prefix.unwrap_or("").trim().to_owned());
    let name = name.trim().to_owned();
    check_label_parts(&issuer, &name)?;
    Ok((issuer, name))
}

/// Refuses an issuer or account name over [`MAX_LABEL_PART_LEN`], wherever it comes from.
pub fn check_label_parts(issuer: &str, name: &str) -> Result<(), UriError> {
    for (part, text) in [("issuer", issuer), ("account name", name)] {
        if text.len() > MAX_LABEL_PART_LEN {
            return Err(UriError::LabelPartTooLong {
                part,
                len: text.len(),
            });
        }
    }
    Ok(())
}

/// An algorithm as apps name it outside a link (`SHA1`, `sha-256`, `HmacSHA512`), with the
/// rules of the `algorithm` parameter.
pub fn algorithm_named(name: &str) -> Result<Algorithm, UriError> {
    parse_algorithm(Some(name))
}

fn parse_algorithm(raw: Option<&str>) -> Result<Algorithm, UriError> {
    let Some(raw) = nonempty(raw) else {
        return Ok(Algorithm::Sha1);
    };
    let decoded = decode_value(raw, "algorithm")?;
    let normalized: String = decoded
        .trim()
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .collect::<String>()
        .to_ascii_uppercase();
    match normalized
        .strip_prefix("HMAC")
        .unwrap_or(normalized.as_str())
    {
        "SHA1" => Ok(Algorithm::Sha1),
        "SHA256" => Ok(Algorithm::Sha256),
        "SHA512" => Ok(Algorithm::Sha512),
        _ => Err(UriError::UnknownAlgorithm {
            found: quote(&decoded),
        }),
    }
}

fn parse_digits(raw: Option<&str>) -> Result<u8, UriError> {
    let Some(raw) = nonempty(raw) else {
        return Ok(DEFAULT_DIGITS);
    };
    let decoded = decode_value(raw, "digits")?;
    number(&decoded)
        .and_then(|n| u8::try_from(n).ok())
        .filter(|n| (MIN_DIGITS..=MAX_DIGITS).contains(n))
        .ok_or_else(|| UriError::Digits {
            found: quote(&decoded),
        })
}

fn parse_period(raw: Option<&str>) -> Result<u32, UriError> {
    let Some(raw) = nonempty(raw) else {
        return Ok(DEFAULT_PERIOD);
    };
    let decoded = decode_value(raw, "period")?;
    number(&decoded)
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| (1..=MAX_PERIOD).contains(n))
        .ok_or_else(|| UriError::Period {
            found: quote(&decoded),
        })
}

fn parse_counter(raw: Option<&str>) -> Result<u64, UriError> {
    let Some(raw) = nonempty(raw) else {
        return Err(UriError::MissingCounter);
    };
    let decoded = decode_value(raw, "counter")?;
    number(&decoded).ok_or_else(|| UriError::InvalidCounter {
        found: quote(&decoded),
    })
}

/// A plain decimal number (surrounding spaces allowed, no sign), or `None`.
fn number(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn nonempty(raw: Option<&str>) -> Option<&str> {
    raw.filter(|raw| !raw.is_empty())
}

/// A short, printable excerpt of a rejected value for an error message.
fn quote(text: &str) -> String {
    excerpt(text, QUOTE_LEN)
}

/// At most `max` characters of `text`, control characters replaced, "…" when cut: how a
/// parser quotes what it rejected without letting it break the message.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    let mut shown: String = text
        .chars()
        .take(max)
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if text.chars().count() > max {
        shown.push('…');
    }
    shown
}

fn decode_label(raw: &str) -> Result<String, UriError> {
    percent_decode(raw, false, "label")
}

fn decode_value(raw: &str, part: &'static str) -> Result<String, UriError> {
    percent_decode(raw, true, part)
}

/// Strict percent-decoding: a `%` not followed by two hex digits is an error rather
/// than passed through, and the result must be UTF-8. In query values `+` is a space.
fn percent_decode(raw: &str, plus_is_space: bool, part: &'static str) -> Result<String, UriError> {
    let input = raw.as_bytes();
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while let Some(&byte) = input.get(i) {
        match byte {
            b'%' => {
                let high = input.get(i + 1).and_then(|&b| hex(b));
                let low = input.get(i + 2).and_then(|&b| hex(b));
                match (high, low) {
                    (Some(high), Some(low)) => out.push(high << 4 | low),
                    _ => return Err(UriError::BadPercentEncoding { part }),
                }
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| UriError::NotUtf8 { part })
}

fn hex(byte: u8) -> Option<u8> {
    char::from(byte)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_is_strict() {
        assert_eq!(percent_decode("a%20b+c", true, "x").as_deref(), Ok("a b c"));
        assert_eq!(percent_decode("a%2Bb", true, "x").as_deref(), Ok("a+b"));
        assert_eq!(percent_decode("a+b", false, "x").as_deref(), Ok("a+b"));
        assert_eq!(percent_decode("%e2%82%AC", false, "x").as_deref(), Ok("€"));
        assert_eq!(
            percent_decode("100%", true, "issuer"),
            Err(UriError::BadPercentEncoding { part: "issuer" })
        );
        assert_eq!(
            percent_decode("%G1", true, "issuer"),
            Err(UriError::BadPercentEncoding { part: "issuer" })
        );
        assert_eq!(
            percent_decode("%FF", false, "label"),
            Err(UriError::NotUtf8 { part: "label" })
        );
    }

    #[test]
    fn secret_lengths_follow_base32_groups() {
        // "f" / "fo" / "foo" / "foob" / "fooba" from RFC 4648 section 10.
        for (text, bytes) in [
            ("MY", &b"f"[..]),
            ("MZXQ", b"fo"),
            ("MZXW6", b"foo"),
            ("MZXW6YQ", b"foob"),
            ("MZXW6YTB", b"fooba"),
        ] {
            assert_eq!(
                parse_secret(text).map(|s| s.expose().to_vec()),
                Ok(bytes.to_vec())
            );
        }
        for bad in ["M", "MZX", "MZXW6Y"] {
            assert_eq!(parse_secret(bad), Err(UriError::SecretBadLength));
        }
    }

    #[test]
    fn quotes_are_short_and_printable() {
        assert_eq!(quote("md5"), "md5");
        assert_eq!(quote(&"x".repeat(100)).chars().count(), QUOTE_LEN + 1);
        assert_eq!(quote("a\nb"), "a\u{FFFD}b");
    }

    #[test]
    fn not_otpauth_names_only_plausible_schemes() {
        assert_eq!(
            strip_scheme("https://example.com"),
            Err(UriError::NotOtpauth {
                scheme: Some("https".into())
            })
        );
        assert_eq!(
            strip_scheme("JBSWY3DPEHPK3PXP"),
            Err(UriError::NotOtpauth { scheme: None })
        );
        assert_eq!(
            strip_scheme("secret words: JBSWY3DP"),
            Err(UriError::NotOtpauth { scheme: None })
        );
    }
}
