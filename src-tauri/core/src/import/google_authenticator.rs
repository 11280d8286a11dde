//! Google Authenticator's export QR codes: `otpauth-migration://offline?data=…`.
//!
//! There is no published specification; the format was read from the apps that import it:
//! Aegis (`app/src/main/proto/google_auth.proto`), `extract_otp_secrets` and dim13/otpauth
//! (`migration/migration.proto`).
//!
//! The `data` parameter is standard Base64 (with `+` and `/`, usually percent-encoded as
//! `%2B`, `%2F` and `%3D`) of a protobuf `MigrationPayload`, as published by the apps
//! that read it (Aegis's `google_auth.proto`, `extract_otp_secrets`, `otpauth`):
//!
//! ```text
//! message MigrationPayload {
//!   repeated OtpParameters otp_parameters = 1;
//!   int32 version = 2; int32 batch_size = 3; int32 batch_index = 4; int32 batch_id = 5;
//! }
//! message OtpParameters {
//!   bytes secret = 1; string name = 2; string issuer = 3;
//!   Algorithm algorithm = 4;   // 0 unspecified, 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5
//!   DigitCount digits = 5;     // 0 unspecified, 1 six, 2 eight
//!   OtpType type = 6;          // 0 unspecified, 1 HOTP, 2 TOTP
//!   int64 counter = 7;
//! }
//! ```
//!
//! The payload is read by hand with a small, bounded reader: no protobuf crate, no
//! recursion, every length checked against what is left, so no input can make it panic,
//! allocate without bound or loop for long.
//!
//! What is read, and how:
//!
//! * unspecified algorithm, digits and type mean SHA1, 6 digits and TOTP; the period is
//!   always 30 seconds (the format has no field for it);
//! * an entry using MD5, an unknown enum value, no secret or broken text is reported on
//!   its own ([`MigrationEntryError`]) while the other entries of the code still import;
//! * `name` may carry an `Issuer:` prefix: removed when it equals the issuer (ignoring
//!   ASCII case), used as the issuer when the issuer is empty;
//! * a `+` in `data` stays a `+`; a literal space (what a sloppy copy turns a `+` into)
//!   is read as `+`; line breaks are ignored; the URL-safe alphabet (`-`, `_`) and
//!   missing `=` padding are accepted;
//! * negative `int32` values (ten-byte varints; `batch_id` often is one) are read as
//!   protobuf does, from the low 32 bits; unknown fields are skipped by wire type.
//!
//! An export of many accounts spans several QR codes ("batches") sharing a `batch_id`;
//! [`progress`] groups them and says which codes are missing.
//!
//! What Ringlet drops: nothing the format carries (it has no icons, groups or notes). MD5
//! entries are refused one by one (Ringlet computes no MD5 codes).
//!
//! Errors and `Debug` output never contain a secret: they name accounts by issuer and
//! name only.

use zeroize::Zeroizing;

use crate::model::{Account, Algorithm, OtpKind, OtpParams, Secret, MAX_LABEL_PART_LEN};
use crate::otp::{self, OtpError, MAX_SECRET_BYTES};

pub use super::google_batches::{progress, ExportPart, ExportProgress};
pub use super::protobuf::Damage;
use super::protobuf::{int32, Reader, Value};

/// Longest export link accepted, in bytes after trimming (Base64 of [`MAX_DATA_BYTES`],
/// fully percent-encoded, fits). A QR code holds at most about 3 KiB.
pub const MAX_TEXT_LEN: usize = 256 * 1024;
/// Largest decoded payload accepted, in bytes.
pub const MAX_DATA_BYTES: usize = 64 * 1024;
/// Most accounts read from one export code.
pub const MAX_ENTRIES: usize = 1000;
/// Most codes one export may say it spans.
pub const MAX_BATCH_SIZE: u32 = 1000;
/// Google Authenticator's exports have no period: it is always 30 seconds.
pub const PERIOD: u32 = 30;

/// How much of an issuer or name an error message quotes.
const QUOTE_LEN: usize = 40;

/// One Google Authenticator export QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationBatch {
    /// The accounts of this code, in order, each usable or with the reason it is not.
    pub entries: Vec<Result<Account, MigrationEntryError>>,
    /// How many codes the export spans (at least 1).
    pub batch_size: u32,
    /// Which of them this is, from 0 (shown to people as `batch_index + 1`).
    pub batch_index: u32,
    /// The export's random identifier, shared by all its codes; often negative.
    pub batch_id: i32,
}

impl MigrationBatch {
    /// Where this code sits in its export.
    pub fn position(&self) -> ExportPart {
        ExportPart {
            batch_id: self.batch_id,
            batch_size: self.batch_size,
            batch_index: self.batch_index,
        }
    }

    /// The usable accounts of this code.
    pub fn accounts(&self) -> impl Iterator<Item = &Account> {
        self.entries.iter().filter_map(|entry| entry.as_ref().ok())
    }
}

/// Why a whole export link could not be read. Messages are meant for a person and
/// never contain the secret or the link's data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MigrationError {
    #[error("There is no text to read.")]
    Empty,
    #[error("This is not a Google Authenticator export link (otpauth-migration://).")]
    NotMigration,
    #[error("The export link is {len} bytes long; at most {MAX_TEXT_LEN} bytes are accepted.")]
    TooLong { len: usize },
    #[error("The export link has no data (the “data” parameter is missing or empty).")]
    MissingData,
    #[error("The export link gives the “data” parameter more than once.")]
    DuplicateData,
    #[error("The export link's data has a broken %-escape (a % must be followed by two hexadecimal digits).")]
    BadPercentEncoding,
    #[error("The export link's data is not valid Base64; it was probably cut short or changed while being copied.")]
    NotBase64,
    #[error(
        "The export holds about {len} bytes of data; at most {MAX_DATA_BYTES} bytes are accepted."
    )]
    DataTooLarge { len: usize },
    #[error("The export code is damaged: {0}.")]
    Damaged(Damage),
    #[error("The export code holds more than {MAX_ENTRIES} accounts; Ringlet reads at most that many from one code.")]
    TooManyEntries,
    #[error("The export code says it is code {number} of {size}, which cannot be right; it is probably damaged.")]
    BadBatch { number: i64, size: i64 },
}

/// One account of an export code that cannot be imported, and why. The other accounts
/// of the code are not affected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Account {position}{} {problem}.", label_note(.issuer, .name))]
pub struct MigrationEntryError {
    /// 1-based position of the account in its export code.
    pub position: usize,
    /// The issuer, when it could be read (empty otherwise).
    pub issuer: String,
    /// The account name, when it could be read (empty otherwise).
    pub name: String,
    pub problem: EntryProblem,
}

/// Why one account of an export code cannot be imported. Each message follows
/// "Account 3 (Issuer: name)".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryProblem {
    #[error("uses the MD5 algorithm, which Ringlet does not support")]
    Md5,
    #[error(
        "uses an algorithm Ringlet does not know (number {value}); expected SHA1, SHA256 or SHA512"
    )]
    UnknownAlgorithm { value: u64 },
    #[error("has a digit count Ringlet does not know (number {value}); expected 6 or 8 digits")]
    UnknownDigits { value: u64 },
    #[error("is of a kind Ringlet does not know (number {value}); expected TOTP or HOTP")]
    UnknownType { value: u64 },
    #[error("has no secret key")]
    EmptySecret,
    #[error("has a {len}-byte secret key; at most {MAX_SECRET_BYTES} bytes are supported")]
    SecretTooLong { len: usize },
    #[error("has a negative HOTP counter")]
    NegativeCounter,
    #[error("has an {part} of {len} bytes; at most {MAX_LABEL_PART_LEN} bytes are accepted")]
    TextTooLong { part: &'static str, len: usize },
    #[error("has an {part} that is not valid UTF-8 text")]
    NotUtf8 { part: &'static str },
    #[error("is damaged: {0}")]
    Damaged(Damage),
    #[error("cannot be used: {}", super::as_clause(&.0.to_string()))]
    Unusable(OtpError),
}

fn label_note(issuer: &str, name: &str) -> String {
    let label = match (issuer.is_empty(), name.is_empty()) {
        (true, true) => return String::new(),
        (false, true) => quote(issuer),
        (true, false) => quote(name),
        (false, false) => format!("{}: {}", quote(issuer), quote(name)),
    };
    format!(" ({label})")
}

/// A short, printable excerpt for an error message.
fn quote(text: &str) -> String {
    crate::otpauth::excerpt(text, QUOTE_LEN)
}

// ---------------------------------------------------------------------------------------
// The link

/// Reads one `otpauth-migration://` link (one export QR code).
pub fn parse(text: &str) -> Result<MigrationBatch, MigrationError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(MigrationError::Empty);
    }
    if text.len() > MAX_TEXT_LEN {
        return Err(MigrationError::TooLong { len: text.len() });
    }
    let rest = strip_scheme(text).ok_or(MigrationError::NotMigration)?;
    let raw = data_parameter(rest)?;
    let data = decode_data(raw)?;
    parse_payload(&data)
}

/// True when `text` (trimmed) starts with the `otpauth-migration:` scheme, in any case.
pub fn is_migration(text: &str) -> bool {
    strip_scheme(text.trim()).is_some()
}

fn strip_scheme(text: &str) -> Option<&str> {
    const SCHEME: &str = "otpauth-migration:";
    let head = text.get(..SCHEME.len())?;
    if head.eq_ignore_ascii_case(SCHEME) {
        text.get(SCHEME.len()..)
    } else {
        None
    }
}

/// The raw (still encoded) value of the one `data` query parameter.
fn data_parameter(rest: &str) -> Result<&str, MigrationError> {
    let query = rest.split_once('?').map_or("", |(_, query)| query);
    let query = query.split_once('#').map_or(query, |(query, _)| query);
    let mut data = None;
    for pair in query.split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if name.trim().eq_ignore_ascii_case("data") {
            if data.is_some() {
                return Err(MigrationError::DuplicateData);
            }
            data = Some(value);
        }
    }
    data.filter(|value| !value.trim().is_empty())
        .ok_or(MigrationError::MissingData)
}

/// Percent-decodes and Base64-decodes `data`. A space is a `+` mangled by a copy, line
/// breaks are ignored, and the URL-safe alphabet is accepted. Every buffer holding the
/// secret is wiped when dropped.
fn decode_data(raw: &str) -> Result<Zeroizing<Vec<u8>>, MigrationError> {
    let input = raw.as_bytes();
    let mut text = Zeroizing::new(Vec::with_capacity(input.len()));
    let mut i = 0;
    while let Some(&byte) = input.get(i) {
        let byte = if byte == b'%' {
            let high = input.get(i + 1).and_then(|&b| hex(b));
            let low = input.get(i + 2).and_then(|&b| hex(b));
            let (Some(high), Some(low)) = (high, low) else {
                return Err(MigrationError::BadPercentEncoding);
            };
            i += 3;
            (high << 4) | low
        } else {
            i += 1;
            byte
        };
        match byte {
            b' ' | b'-' => text.push(b'+'),
            b'_' => text.push(b'/'),
            b'\r' | b'\n' | b'\t' => {}
            other => text.push(other),
        }
    }
    while text.last() == Some(&b'=') {
        text.pop();
    }
    // Four Base64 characters make three bytes.
    let estimate = text.len() / 4 * 3 + text.len() % 4;
    if estimate > MAX_DATA_BYTES {
        return Err(MigrationError::DataTooLarge { len: estimate });
    }
    if text.is_empty() {
        return Err(MigrationError::MissingData);
    }
    let len = data_encoding::BASE64_NOPAD
        .decode_len(text.len())
        .map_err(|_| MigrationError::NotBase64)?;
    let mut data = Zeroizing::new(vec![0u8; len]);
    let written = data_encoding::BASE64_NOPAD
        .decode_mut(&text, &mut data)
        .map_err(|_| MigrationError::NotBase64)?;
    data.truncate(written);
    Ok(data)
}

fn hex(byte: u8) -> Option<u8> {
    char::from(byte)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

// ---------------------------------------------------------------------------------------
// The protobuf payload

fn parse_payload(data: &[u8]) -> Result<MigrationBatch, MigrationError> {
    let mut reader = Reader::new(data);
    let mut entries = Vec::new();
    let (mut size, mut index, mut id) = (0i32, 0i32, 0i32);
    while let Some((number, value)) = reader.next_field().map_err(MigrationError::Damaged)? {
        match (number, value) {
            (1, Value::Bytes(bytes)) => {
                if entries.len() >= MAX_ENTRIES {
                    return Err(MigrationError::TooManyEntries);
                }
                let position = entries.len() + 1;
                entries.push(parse_entry(bytes, position));
            }
            (3, Value::Varint(v)) => size = int32(v),
            (4, Value::Varint(v)) => index = int32(v),
            (5, Value::Varint(v)) => id = int32(v),
            (1 | 3 | 4 | 5, _) => return Err(MigrationError::Damaged(Damage::WrongEncoding)),
            _ => {} // the version and fields this format does not have
        }
    }
    // An unset size means one code.
    let size = if size == 0 { 1 } else { size };
    let bad = || MigrationError::BadBatch {
        number: i64::from(index) + 1,
        size: i64::from(size),
    };
    let batch_size = u32::try_from(size)
        .ok()
        .filter(|size| *size <= MAX_BATCH_SIZE)
        .ok_or_else(bad)?;
    let batch_index = u32::try_from(index)
        .ok()
        .filter(|index| *index < batch_size)
        .ok_or_else(bad)?;
    Ok(MigrationBatch {
        entries,
        batch_size,
        batch_index,
        batch_id: id,
    })
}

/// The raw fields of one `OtpParameters`.
#[derive(Default)]
struct RawEntry<'a> {
    secret: &'a [u8],
    name: &'a [u8],
    issuer: &'a [u8],
    algorithm: u64,
    digits: u64,
    kind: u64,
    counter: u64,
}

fn parse_entry(bytes: &[u8], position: usize) -> Result<Account, MigrationEntryError> {
    let mut raw = RawEntry::default();
    let mut damage = None;
    let mut reader = Reader::new(bytes);
    loop {
        match reader.next_field() {
            Ok(None) => break,
            Ok(Some((number, value))) => match (number, value) {
                (1, Value::Bytes(b)) => raw.secret = b,
                (2, Value::Bytes(b)) => raw.name = b,
                (3, Value::Bytes(b)) => raw.issuer = b,
                (4, Value::Varint(v)) => raw.algorithm = v,
                (5, Value::Varint(v)) => raw.digits = v,
                (6, Value::Varint(v)) => raw.kind = v,
                (7, Value::Varint(v)) => raw.counter = v,
                (1..=7, _) => damage = damage.or(Some(Damage::WrongEncoding)),
                _ => {}
            },
            Err(error) => {
                damage = Some(error);
                break;
            }
        }
    }

    let name = text(raw.name, "account name");
    let issuer = text(raw.issuer, "issuer");
    // The label names the entry in errors, as far as it could be read.
    let (label_issuer, label_name) = split_name(
        issuer.as_deref().unwrap_or(""),
        name.as_deref().unwrap_or(""),
    );
    let fail = |problem: EntryProblem| MigrationEntryError {
        position,
        issuer: label_issuer.clone(),
        name: label_name.clone(),
        problem,
    };
    if let Some(damage) = damage {
        return Err(fail(EntryProblem::Damaged(damage)));
    }
    name.map_err(&fail)?;
    issuer.map_err(&fail)?;

    let algorithm = match raw.algorithm {
        0 | 1 => Algorithm::Sha1,
        2 => Algorithm::Sha256,
        3 => Algorithm::Sha512,
        4 => return Err(fail(EntryProblem::Md5)),
        value => return Err(fail(EntryProblem::UnknownAlgorithm { value })),
    };
    // 6 and 8 are not DigitCount values, but some tools write the count itself.
    let digits = match raw.digits {
        0 | 1 | 6 => 6,
        2 | 8 => 8,
        value => return Err(fail(EntryProblem::UnknownDigits { value })),
    };
    let kind = match raw.kind {
        0 | 2 => OtpKind::Totp { period: PERIOD },
        1 => {
            // An int64 on the wire: above i64::MAX it was negative.
            if i64::try_from(raw.counter).is_err() {
                return Err(fail(EntryProblem::NegativeCounter));
            }
            OtpKind::Hotp {
                counter: raw.counter,
            }
        }
        value => return Err(fail(EntryProblem::UnknownType { value })),
    };
    if raw.secret.is_empty() {
        return Err(fail(EntryProblem::EmptySecret));
    }
    if raw.secret.len() > MAX_SECRET_BYTES {
        return Err(fail(EntryProblem::SecretTooLong {
            len: raw.secret.len(),
        }));
    }
    let otp = OtpParams {
        secret: Secret::new(raw.secret.to_vec()),
        algorithm,
        digits,
        kind,
    };
    otp::validate(&otp).map_err(|error| fail(EntryProblem::Unusable(error)))?;
    Ok(Account::new(label_issuer, label_name, otp))
}

fn text(bytes: &[u8], part: &'static str) -> Result<String, EntryProblem> {
    if bytes.len() > MAX_LABEL_PART_LEN {
        return Err(EntryProblem::TextTooLong {
            part,
            len: bytes.len(),
        });
    }
    std::str::from_utf8(bytes)
        .map(|text| text.trim().to_owned())
        .map_err(|_| EntryProblem::NotUtf8 { part })
}

/// Google's naming: `name` may be `Issuer:login`. The prefix is dropped when it is the
/// issuer (ignoring ASCII case, so an issuer may contain a colon), and becomes the
/// issuer when none is given.
fn split_name(issuer: &str, name: &str) -> (String, String) {
    let issuer = issuer.trim();
    let name = name.trim();
    if !issuer.is_empty() {
        let stripped = name
            .get(..issuer.len())
            .filter(|prefix| prefix.eq_ignore_ascii_case(issuer))
            .and_then(|_| name.get(issuer.len()..))
            .and_then(|rest| rest.trim_start().strip_prefix(':'));
        return match stripped {
            Some(rest) => (issuer.to_owned(), rest.trim().to_owned()),
            None => (issuer.to_owned(), name.to_owned()),
        };
    }
    match name.split_once(':') {
        Some((prefix, rest)) => (prefix.trim().to_owned(), rest.trim().to_owned()),
        None => (String::new(), name.to_owned()),
    }
}

// ---------------------------------------------------------------------------------------
// Exports spanning several codes

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_are_bounded() {
        let mut reader = Reader::new(&[0x80; 11]);
        assert_eq!(reader.varint(), Err(Damage::LongNumber));
        let mut reader = Reader::new(&[0x80, 0x80]);
        assert_eq!(reader.varint(), Err(Damage::Truncated));
        let mut reader = Reader::new(&[0xff, 0xff, 0xff, 0xff, 0x0f]);
        assert_eq!(reader.varint().map(int32), Ok(-1));
        let minus_one = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert_eq!(Reader::new(&minus_one).varint().map(int32), Ok(-1));
    }

    #[test]
    fn names_follow_google() {
        let split = |issuer: &str, name: &str| split_name(issuer, name);
        assert_eq!(
            split("Example", "Example:alice"),
            ("Example".into(), "alice".into())
        );
        assert_eq!(
            split("example", "Example: alice"),
            ("example".into(), "alice".into())
        );
        assert_eq!(split("", "GitHub:bob"), ("GitHub".into(), "bob".into()));
        assert_eq!(
            split("Other", "GitHub:bob"),
            ("Other".into(), "GitHub:bob".into())
        );
        assert_eq!(split("A:B", "A:B:carol"), ("A:B".into(), "carol".into()));
        assert_eq!(split("", "plain"), ("".into(), "plain".into()));
    }

    #[test]
    fn notes_list_missing_codes() {
        let group = |size, found: &[u32]| ExportProgress {
            batch_id: 1,
            batch_size: size,
            found: found.to_vec(),
        };
        assert_eq!(group(2, &[0, 1]).note(), None);
        assert_eq!(
            group(3, &[0, 2]).note().as_deref(),
            Some("2 of 3 export codes imported — add the rest (code 2 is missing).")
        );
        assert_eq!(
            group(4, &[1]).note().as_deref(),
            Some("1 of 4 export codes imported — add the rest (codes 1, 3 and 4 are missing).")
        );
        let many = group(20, &[0]).note().unwrap_or_default();
        assert!(
            many.contains("codes 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, … are missing (19 in all)"),
            "{many}"
        );
    }
}
