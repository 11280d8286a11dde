//! What every importer of another app's file shares: one entry's fields → an [`Account`]
//! with the same bounds as a link ([`otpauth`]'s parsers, [`otp::validate`],
//! [`check_label_parts`]), per-entry problems that never quote a secret, and reading a
//! JSON file's entries one at a time so that one bad entry is one problem.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::{Cause, Contents, ImportError, Item, Problem, MAX_ENTRIES};
use crate::model::{Account, Algorithm, OtpKind, OtpParams, Secret, MAX_LABEL_PART_LEN};
use crate::otp::{self, STEAM_DIGITS};
use crate::otpauth::{self, check_label_parts, UriError};

/// Most tags one imported account keeps: groups and categories are few in practice, and
/// this bounds the labels a hostile file can attach to every entry.
pub const MAX_TAGS: usize = 64;

/// Why one entry of another app's file cannot be imported. Never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("The entry is not in the shape this format's entries have.")]
    Malformed,
    #[error("The entry has no {0}.")]
    Missing(&'static str),
    #[error("“{kind}” codes are not supported: Ringlet reads TOTP, HOTP and Steam codes.")]
    UnsupportedKind { kind: String },
    #[error("The entry is in the trash of the app it came from, so it was left out.")]
    Trashed,
    #[error("The entry's secret key does not decrypt: it is damaged.")]
    Undecryptable,
    #[error("The entry has more than {MAX_TAGS} tags.")]
    TooManyTags,
    #[error(transparent)]
    Invalid(#[from] UriError),
}

/// The kinds of code an entry may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Totp,
    Hotp,
    Steam,
}

impl Kind {
    /// `totp`, `HOTP`, `Steam`, …: the names apps write. Anything else (mOTP, Yandex, …)
    /// is [`EntryError::UnsupportedKind`], quoted short.
    pub fn named(name: &str) -> Result<Kind, EntryError> {
        match name.trim().to_ascii_lowercase().as_str() {
            "totp" => Ok(Kind::Totp),
            "hotp" => Ok(Kind::Hotp),
            "steam" => Ok(Kind::Steam),
            _ => Err(EntryError::UnsupportedKind {
                kind: otpauth::excerpt(name.trim(), 24),
            }),
        }
    }
}

/// One entry as another app stores it, before any check.
#[derive(Debug, Default)]
pub struct Fields<'a> {
    pub issuer: &'a str,
    pub name: &'a str,
    /// The key in Base32, as people and apps write it.
    pub secret: &'a str,
    /// `SHA1`, `sha256`, `HmacSHA512`, …; `None` is SHA-1.
    pub algorithm: Option<&'a str>,
    /// `None` is 6 (Steam: always 5).
    pub digits: Option<u64>,
    /// `None` is 30 seconds.
    pub period: Option<u64>,
    /// HOTP only; `None` is 0.
    pub counter: Option<u64>,
}

const DEFAULT_DIGITS: u64 = 6;
const DEFAULT_PERIOD: u64 = 30;

/// The account `fields` describe, held to the bounds a link is held to.
pub fn account(kind: Kind, fields: &Fields<'_>) -> Result<Account, EntryError> {
    check_label_parts(fields.issuer.trim(), fields.name.trim())?;
    if fields.secret.trim().is_empty() {
        return Err(EntryError::Missing("secret key"));
    }
    let secret = otpauth::parse_secret(fields.secret)?;
    account_with_key(kind, fields, secret)
}

/// [`account`] for formats that store the key as bytes (Steam's Base64, FreeOTP's byte
/// lists): `fields.secret` is ignored.
pub fn account_with_key(
    kind: Kind,
    fields: &Fields<'_>,
    secret: Secret,
) -> Result<Account, EntryError> {
    let issuer = fields.issuer.trim();
    let name = fields.name.trim();
    check_label_parts(issuer, name)?;
    if secret.is_empty() {
        return Err(EntryError::Missing("secret key"));
    }
    let period = || {
        let period = fields.period.unwrap_or(DEFAULT_PERIOD);
        u32::try_from(period).map_err(|_| UriError::Period {
            found: period.to_string(),
        })
    };
    let algorithm = match fields.algorithm.map(str::trim).filter(|a| !a.is_empty()) {
        Some(name) => otpauth::algorithm_named(name)?,
        None => Algorithm::Sha1,
    };
    let digits = fields.digits.unwrap_or(DEFAULT_DIGITS);
    let digits = u8::try_from(digits).map_err(|_| UriError::Digits {
        found: digits.to_string(),
    })?;
    let (kind, algorithm, digits) = match kind {
        Kind::Totp => (OtpKind::Totp { period: period()? }, algorithm, digits),
        Kind::Hotp => (
            OtpKind::Hotp {
                counter: fields.counter.unwrap_or(0),
            },
            algorithm,
            digits,
        ),
        Kind::Steam => (
            OtpKind::Steam { period: period()? },
            Algorithm::Sha1,
            STEAM_DIGITS,
        ),
    };
    let otp = OtpParams {
        secret,
        algorithm,
        digits,
        kind,
    };
    otp::validate(&otp).map_err(UriError::from)?;
    Ok(Account::new(issuer, name, otp))
}

/// Most tag names one entry may list, repeats included: a list of a million copies of one
/// group would otherwise cost a million dedup checks per entry.
const MAX_TAG_NAMES: usize = 4 * MAX_TAGS;

/// An id → name table (groups, folders, categories), first of each id kept; looked up
/// once per entry, so a file of many entries and many groups stays linear.
pub fn names<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> HashMap<&'a str, &'a str> {
    let mut names = HashMap::new();
    for (id, name) in pairs {
        names.entry(id).or_insert(name);
    }
    names
}

/// Adds `tags` (trimmed, empty ones and repeats left out) to `account`, within the bounds.
pub fn add_tags<'t>(
    account: &mut Account,
    tags: impl IntoIterator<Item = &'t str>,
) -> Result<(), EntryError> {
    for (index, tag) in tags.into_iter().enumerate() {
        if index == MAX_TAG_NAMES {
            return Err(EntryError::TooManyTags);
        }
        let tag = tag.trim();
        if tag.is_empty() || account.tags.iter().any(|kept| kept == tag) {
            continue;
        }
        if tag.len() > MAX_LABEL_PART_LEN {
            return Err(UriError::LabelPartTooLong {
                part: "tag",
                len: tag.len(),
            }
            .into());
        }
        if account.tags.len() == MAX_TAGS {
            return Err(EntryError::TooManyTags);
        }
        account.tags.push(tag.to_owned());
    }
    Ok(())
}

/// Sets `account`'s note, within the bound of a label part.
pub fn set_note(account: &mut Account, note: &str) -> Result<(), EntryError> {
    let note = note.trim();
    if note.len() > MAX_LABEL_PART_LEN {
        return Err(UriError::LabelPartTooLong {
            part: "note",
            len: note.len(),
        }
        .into());
    }
    note.clone_into(&mut account.note);
    Ok(())
}

/// The problem of the `item`-th entry (1-based). `issuer` and `name` are kept only within
/// the label bound, so a hostile label does not travel further.
pub fn problem(item: usize, issuer: &str, name: &str, error: EntryError) -> Item {
    Item::Problem(problem_of(item, issuer, name, Cause::InvalidEntry(error)))
}

/// [`problem`] for any cause (a link's, say).
pub fn problem_of(item: usize, issuer: &str, name: &str, cause: Cause) -> Problem {
    Problem {
        item,
        issuer: bounded(issuer),
        name: bounded(name),
        cause,
    }
}

/// `text` trimmed, when within the label bound; empty otherwise: what a problem or a
/// stand-in label may keep of another app's title.
pub fn bounded(text: &str) -> String {
    if text.len() > MAX_LABEL_PART_LEN {
        String::new()
    } else {
        text.trim().to_owned()
    }
}

/// `bytes` without a UTF-8 byte-order mark.
pub fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// `bytes`, a JSON object, read into `T`, or `None`. Only an object: serde would also fill
/// a struct from an array, field by field, and so take another app's list for this one.
pub fn json<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Option<T> {
    let bytes = without_bom(bytes);
    let first = bytes.iter().find(|byte| !byte.is_ascii_whitespace())?;
    if *first != b'{' {
        return None;
    }
    serde_json::from_slice(bytes).ok()
}

/// `bytes`, a JSON array, as its elements (borrowed, each read later on its own).
pub fn json_list(bytes: &[u8]) -> Option<Vec<&RawValue>> {
    serde_json::from_slice(without_bom(bytes)).ok()
}

/// Reads each of `entries` with `read` (`None`: an entry that is not an account and not
/// a problem either, left out), keeping going past bad ones: an entry that is not a `T` is
/// an [`EntryError::Malformed`] problem. More than [`MAX_ENTRIES`] entries is refused
/// before any is read.
pub fn read_each<'a, T: Deserialize<'a>>(
    entries: &[&'a RawValue],
    mut read: impl FnMut(usize, T) -> Option<Item>,
) -> Result<Contents, ImportError> {
    if entries.len() > MAX_ENTRIES {
        return Err(ImportError::TooManyEntries);
    }
    let mut contents = Contents::default();
    for (index, raw) in entries.iter().enumerate() {
        let item = index + 1;
        let found = match serde_json::from_str::<T>(raw.get()) {
            Ok(entry) => read(item, entry),
            Err(_) => Some(problem(item, "", "", EntryError::Malformed)),
        };
        contents.items.extend(found);
    }
    Ok(contents)
}

/// A JSON number or a decimal string as a whole number: apps write both.
#[derive(Debug, Clone, Copy, Default)]
pub struct Number(pub Option<u64>);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Whole(u64),
            Float(f64),
            Text(String),
            Null(()),
        }
        use serde::de::Error;
        let not_a_count = || D::Error::custom("not a whole number");
        Ok(Number(match Either::deserialize(deserializer)? {
            Either::Whole(n) => Some(n),
            // Duo writes `1.0`; a fraction or a negative number is no count.
            Either::Float(f) if f >= 0.0 && f.fract() == 0.0 && f < 1.8e19 => Some(f as u64),
            Either::Float(_) => return Err(not_a_count()),
            Either::Text(text) => Some(text.trim().parse().map_err(|_| not_a_count())?),
            Either::Null(()) => None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "JBSWY3DPEHPK3PXP";

    fn fields() -> Fields<'static> {
        Fields {
            issuer: " Example ",
            name: "me",
            secret: SECRET,
            ..Fields::default()
        }
    }

    #[test]
    fn defaults_are_totp_sha1_six_digits_thirty_seconds() {
        let account = account(Kind::Totp, &fields()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(account.issuer, "Example");
        assert_eq!(account.otp.digits, 6);
        assert_eq!(account.otp.kind, OtpKind::Totp { period: 30 });
        assert_eq!(account.otp.algorithm, Algorithm::Sha1);
    }

    #[test]
    fn out_of_bounds_fields_are_problems_that_quote_no_secret() {
        let cases = [
            Fields {
                digits: Some(300),
                ..fields()
            },
            Fields {
                digits: Some(3),
                ..fields()
            },
            Fields {
                period: Some(0),
                ..fields()
            },
            Fields {
                period: Some(u64::MAX),
                ..fields()
            },
            Fields {
                algorithm: Some("MD5"),
                ..fields()
            },
            Fields {
                secret: "not base32!",
                ..fields()
            },
            Fields {
                secret: "",
                ..fields()
            },
        ];
        for case in cases {
            let error = account(Kind::Totp, &case).expect_err("refused");
            assert!(!error.to_string().contains(SECRET), "{error}");
        }
        let long = "x".repeat(MAX_LABEL_PART_LEN + 1);
        assert!(account(
            Kind::Totp,
            &Fields {
                name: &long,
                ..fields()
            }
        )
        .is_err());
    }

    #[test]
    fn steam_is_five_digits_sha1_whatever_the_file_says() {
        let steam = Fields {
            digits: Some(8),
            algorithm: Some("SHA512"),
            ..fields()
        };
        let account = account(Kind::Steam, &steam).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (account.otp.digits, account.otp.algorithm),
            (5, Algorithm::Sha1)
        );
    }

    #[test]
    fn unknown_kinds_are_named_short() {
        let error = Kind::named("MOTP").expect_err("not supported");
        assert_eq!(
            error,
            EntryError::UnsupportedKind {
                kind: "MOTP".into()
            }
        );
        assert!(error.to_string().contains("TOTP, HOTP and Steam"));
    }

    #[test]
    fn tags_are_trimmed_deduplicated_and_bounded() {
        let mut account = account(Kind::Totp, &fields()).unwrap_or_else(|e| panic!("{e}"));
        assert!(add_tags(&mut account, [" Work ", "Work", "", "Home"]).is_ok());
        assert_eq!(account.tags, ["Work", "Home"]);
        // A million copies of one name stop at the bound on names, not after a million checks.
        let mut other = account.clone();
        assert_eq!(
            add_tags(&mut other, std::iter::repeat_n("Work", 1_000_000)),
            Err(EntryError::TooManyTags)
        );
        let many: Vec<String> = (0..=MAX_TAGS).map(|n| n.to_string()).collect();
        assert_eq!(
            add_tags(&mut account, many.iter().map(String::as_str)),
            Err(EntryError::TooManyTags)
        );
    }
}
