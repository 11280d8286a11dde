//! The domain types every layer shares: an account, its OTP parameters and its secret.
//!
//! A [`Secret`] is wiped from memory when dropped and never prints its bytes, so an
//! `Account` can be logged or put in an error message without leaking the key.

use std::fmt;

use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// The shared key of an OTP account, as raw bytes (not Base32).
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop, Serialize)]
#[serde(transparent)]
pub struct Secret(Vec<u8>);

/// Read from a decrypted record as a list of bytes (how it is written), into a buffer sized
/// for the longest secret before the first byte: a `Vec` grown byte by byte would leave
/// copies of the key in every buffer it outgrew, unwiped. The big buffer is wiped, and the
/// secret kept in one of its exact size.
impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Bytes;
        impl<'de> serde::de::Visitor<'de> for Bytes {
            type Value = Secret;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "at most {} bytes", crate::otp::MAX_SECRET_BYTES)
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Secret, A::Error> {
                let max = crate::otp::MAX_SECRET_BYTES;
                let mut bytes = zeroize::Zeroizing::new(Vec::with_capacity(max));
                while let Some(byte) = seq.next_element::<u8>()? {
                    if bytes.len() == max {
                        return Err(serde::de::Error::invalid_length(max + 1, &self));
                    }
                    bytes.push(byte);
                }
                Ok(Secret(bytes.to_vec()))
            }
        }
        deserializer.deserialize_seq(Bytes)
    }
}

impl Secret {
    pub fn new(bytes: Vec<u8>) -> Self {
        Secret(bytes)
    }

    /// The raw key bytes. Callers must not copy them into anything that outlives the call.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(<{} bytes redacted>)", self.0.len())
    }
}

/// HMAC hash function of an account. Steam always uses SHA-1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Algorithm {
    Sha1,
    Sha256,
    Sha512,
}

impl Algorithm {
    /// The name used in otpauth URIs and in the CLI's JSON: `SHA1`, `SHA256`, `SHA512`.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How codes are derived: from the clock (TOTP, Steam) or from a counter (HOTP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum OtpKind {
    /// RFC 6238: a new code every `period` seconds.
    Totp { period: u32 },
    /// RFC 4226: the next code is generated on demand; `counter` is the value the next code uses.
    Hotp { counter: u64 },
    /// Steam Guard: TOTP with a 5-character code from Steam's alphabet.
    Steam { period: u32 },
}

impl OtpKind {
    /// `totp`, `hotp` or `steam`, as in otpauth URIs and the CLI's JSON.
    pub fn name(&self) -> &'static str {
        match self {
            OtpKind::Totp { .. } => "totp",
            OtpKind::Hotp { .. } => "hotp",
            OtpKind::Steam { .. } => "steam",
        }
    }

    /// The period in seconds for time-based kinds, `None` for HOTP.
    pub fn period(&self) -> Option<u32> {
        match *self {
            OtpKind::Totp { period } | OtpKind::Steam { period } => Some(period),
            OtpKind::Hotp { .. } => None,
        }
    }

    /// The counter for HOTP, `None` for time-based kinds.
    pub fn counter(&self) -> Option<u64> {
        match *self {
            OtpKind::Hotp { counter } => Some(counter),
            _ => None,
        }
    }
}

/// Everything needed to compute a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtpParams {
    pub secret: Secret,
    pub algorithm: Algorithm,
    pub digits: u8,
    pub kind: OtpKind,
}

/// One account as a person sees it: who issued it, which login it is, and how to compute its codes.
/// An account has no identity until the vault stores it (see [`Entry`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The service, e.g. "GitHub". May be empty when the URI named none.
    pub issuer: String,
    /// The login at that service, e.g. "alice@example.com".
    pub name: String,
    pub otp: OtpParams,
    /// The person's own labels, in their order (an import's groups or categories).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Free text the person keeps with the account.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// The picture shown beside the account; `None`: the issuer's initial.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<Icon>,
    /// Shown above the accounts that are not pinned.
    #[serde(default, skip_serializing_if = "is_false")]
    pub pinned: bool,
    /// Seconds added to the clock for this account's codes alone, for the rare service whose
    /// own clock is off (positive: its codes come earlier); at most
    /// `clock::MAX_ACCOUNT_OFFSET_SECONDS` either way. Synced and backed up with the account.
    #[serde(default, skip_serializing_if = "is_no_offset")]
    pub time_offset: i32,
}

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_no_offset(value: &i32) -> bool {
    *value == 0
}

/// An account's picture. `None` on the account (the default): the bundled icon its issuer
/// matches (`icons::bundled_for`), else a letter avatar.
///
/// Written so that Ringlet 0.1.0 (whose `Icon` was `{"kind": "bundled"|"custom", "name"}`,
/// and which another computer may still run against the same sync folder) reads every
/// record: a bundled icon is `{"kind": "bundled", "name": "github"}`; the others are
/// `"custom"` with a reserved name: `{"kind": "custom", "name": "image", "png": Base64}`,
/// `{"kind": "custom", "name": "letter"}`, `{"kind": "custom", "name": "none"}` (0.1.0
/// ignores `png`). An unknown kind or name reads as [`Icon::Custom`], shown as the letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "IconWire", into = "IconWire")]
pub enum Icon {
    /// One of the icons Ringlet ships, by its name (e.g. `github`), chosen by the person.
    Bundled { name: String },
    /// A picture the person chose, kept in the account record itself (so sync carries
    /// it): a PNG of at most `icons::MAX_CUSTOM_PNG_BYTES`, made by `icons::custom_icon`.
    Image { png: Vec<u8> },
    /// The letter avatar even where a bundled icon matches.
    Letter,
    /// No picture at all.
    None,
    /// A kind or name this version does not know (a later version's): shown as the letter,
    /// kept as read.
    Custom { kind: String, name: String },
}

/// How an [`Icon`] is written.
#[derive(Serialize, Deserialize)]
struct IconWire {
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "base64_bytes"
    )]
    png: Option<Vec<u8>>,
}

impl From<IconWire> for Icon {
    fn from(wire: IconWire) -> Icon {
        match (wire.kind.as_str(), wire.name.as_str(), wire.png) {
            ("bundled", _, _) => Icon::Bundled { name: wire.name },
            ("custom", "image", Some(png)) => Icon::Image { png },
            ("custom", "letter", _) => Icon::Letter,
            ("custom", "none", _) => Icon::None,
            _ => Icon::Custom {
                kind: wire.kind,
                name: wire.name,
            },
        }
    }
}

impl From<Icon> for IconWire {
    fn from(icon: Icon) -> IconWire {
        let custom = |name: &str, png| IconWire {
            kind: "custom".into(),
            name: name.into(),
            png,
        };
        match icon {
            Icon::Bundled { name } => IconWire {
                kind: "bundled".into(),
                name,
                png: None,
            },
            Icon::Image { png } => custom("image", Some(png)),
            Icon::Letter => custom("letter", None),
            Icon::None => custom("none", None),
            Icon::Custom { kind, name } => IconWire {
                kind,
                name,
                png: None,
            },
        }
    }
}

/// Bytes as one Base64 string in JSON (a third of the size of a list of numbers), bounded.
mod base64_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        bytes: &Option<Vec<u8>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(bytes) => serializer.serialize_str(&data_encoding::BASE64.encode(bytes)),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Vec<u8>>, D::Error> {
        let Some(text) = Option::<String>::deserialize(deserializer)? else {
            return Ok(None);
        };
        if text.len() > crate::icons::MAX_CUSTOM_PNG_BYTES.div_ceil(3) * 4 {
            return Err(serde::de::Error::custom(
                "the icon is larger than any Ringlet writes",
            ));
        }
        data_encoding::BASE64
            .decode(text.as_bytes())
            .map(Some)
            .map_err(serde::de::Error::custom)
    }
}

impl Account {
    /// An account with no tags, note, icon or clock offset, not pinned.
    pub fn new(issuer: impl Into<String>, name: impl Into<String>, otp: OtpParams) -> Account {
        Account {
            issuer: issuer.into(),
            name: name.into(),
            otp,
            tags: Vec::new(),
            note: String::new(),
            icon: None,
            pinned: false,
            time_offset: 0,
        }
    }

    /// True when `other` computes the same codes for the same login: what an import
    /// should treat as a duplicate.
    pub fn same_as(&self, other: &Account) -> bool {
        self.otp.secret == other.otp.secret
            && self.otp.algorithm == other.otp.algorithm
            && self.otp.digits == other.otp.digits
            && self.otp.kind.name() == other.otp.kind.name()
            && self.otp.kind.period() == other.otp.kind.period()
    }
}

/// How an account is named in messages and window titles: `Issuer (name)`, or whichever
/// of the two it has (empty when it has neither). Raw: clean it for where it goes.
pub fn account_label(issuer: &str, name: &str) -> String {
    match (issuer.is_empty(), name.is_empty()) {
        (false, false) => format!("{issuer} ({name})"),
        (false, true) => issuer.to_string(),
        _ => name.to_string(),
    }
}

/// A label (issuer or account name) made safe to show: labels come from QR codes and files
/// written by strangers, so bidirectional overrides and isolates (which can make
/// "moc.knab" read as "bank.com"), zero-width characters and other control characters are
/// removed, and surrounding whitespace trimmed. Stored labels are kept as given.
pub fn display_label(label: &str) -> String {
    label
        .chars()
        .filter(|&c| !is_disguising(c))
        .collect::<String>()
        .trim()
        .to_string()
}

fn is_disguising(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'                  // Arabic letter mark
                | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' // Hangul fillers (render blank)
                | '\u{180E}'            // Mongolian vowel separator
                | '\u{200B}'..='\u{200F}' // zero-width space/joiners, LRM, RLM
                | '\u{202A}'..='\u{202E}' // embeddings and overrides
                | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
                | '\u{2066}'..='\u{2069}' // isolates
                | '\u{FEFF}'            // zero-width no-break space
        )
}

/// Longest issuer or account name Ringlet accepts, in bytes (16 384 Latin characters).
/// Far above any real label, yet a bound on what a hostile link, export or file can make
/// the vault store and the window lay out; the list truncates long labels on screen.
pub const MAX_LABEL_PART_LEN: usize = 16 * 1024;

/// A stable, random identifier the vault gives an account: 16 bytes, shown as 32 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId(pub [u8; 16]);

impl AccountId {
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&data_encoding::HEXLOWER.encode(&self.0))
    }
}

impl fmt::Debug for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccountId({self})")
    }
}

impl std::str::FromStr for AccountId {
    type Err = InvalidAccountId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes = data_encoding::HEXLOWER_PERMISSIVE
            .decode(s.as_bytes())
            .map_err(|_| InvalidAccountId)?;
        let array: [u8; 16] = bytes.try_into().map_err(|_| InvalidAccountId)?;
        Ok(AccountId(array))
    }
}

impl Serialize for AccountId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for AccountId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an account id: expected 32 hexadecimal digits")]
pub struct InvalidAccountId;

/// An account as stored in the vault, with its id and what the vault keeps about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: AccountId,
    pub account: Account,
    pub stamp: Stamp,
}

/// What the vault records about a stored account besides the account itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Position in the person's manual order (smaller first; ties by issuer and name).
    #[serde(default)]
    pub order: i64,
    /// When the account was added, in Unix milliseconds (for an account that came from
    /// a format-v1 vault: when the vault was upgraded).
    pub created_ms: u64,
    /// When the account last changed, in Unix milliseconds.
    pub modified_ms: u64,
    /// The change that wrote this version of the record (sync merges by it).
    pub revision: crate::revision::Revision,
    /// When the account was moved to the trash, in Unix milliseconds; `None` while it is
    /// in use. The trash keeps it [`TRASH_DAYS`] days, then it is removed for good.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trashed_ms: Option<u64>,
}

/// How long the trash keeps an account before removing it for good.
pub const TRASH_DAYS: u64 = 30;

/// The one-time codes a service hands out for when the authenticator is lost. Stored
/// sealed apart from the account, read only when a person opens them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RecoveryCodes {
    pub codes: Vec<RecoveryCode>,
}

/// One recovery code, as the service wrote it, and whether it has been used.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCode {
    pub code: String,
    #[serde(default)]
    pub used: bool,
}

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecoveryCode(<redacted>, used: {})", self.used)
    }
}

/// What is left of a deleted account: when it was deleted and by which change, so that a
/// merge with another copy of the vault deletes it there too instead of bringing it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    pub deleted_ms: u64,
    pub revision: crate::revision::Revision,
    /// The highest HOTP counter the account reached (0 for other kinds): an edit newer than
    /// the delete that brings the account back (on another copy) never reuses a code.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub counter_floor: u64,
}

fn is_zero(value: &u64) -> bool {
    *value == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_read_into_a_buffer_of_its_exact_size() {
        let secret: Secret = serde_json::from_str("[72,101,108,108,111]").unwrap();
        assert_eq!(secret.expose(), b"Hello");
        assert_eq!(
            secret.0.capacity(),
            5,
            "the kept buffer is not the one it was read into"
        );
        let longest = format!("[{}]", vec!["7"; crate::otp::MAX_SECRET_BYTES].join(","));
        let read: Secret = serde_json::from_str(&longest).unwrap();
        assert_eq!(read.len(), crate::otp::MAX_SECRET_BYTES);
        let too_long = format!(
            "[{}]",
            vec!["7"; crate::otp::MAX_SECRET_BYTES + 1].join(",")
        );
        assert!(serde_json::from_str::<Secret>(&too_long).is_err());
        assert!(serde_json::from_str::<Secret>("\"SGVsbG8\"").is_err());
        assert!(serde_json::from_str::<Secret>("[256]").is_err());
    }

    #[test]
    fn secret_debug_hides_bytes() {
        let secret = Secret::new(b"supersecretkey".to_vec());
        let shown = format!("{secret:?}");
        assert!(!shown.contains("supersecret"), "{shown}");
        assert!(!shown.contains("115"), "{shown}"); // 's' as a decimal byte
        assert!(shown.contains("14 bytes"));
    }

    #[test]
    fn display_label_removes_what_can_disguise_a_label() {
        // RIGHT-TO-LEFT OVERRIDE makes "moc.elgoog" display as "google.com".
        assert_eq!(display_label("\u{202E}moc.elgoog"), "moc.elgoog");
        assert_eq!(display_label("Pay\u{200B}Pal"), "PayPal");
        assert_eq!(display_label("a\u{2066}b\u{2069}c\u{FEFF}"), "abc");
        assert_eq!(display_label("line\nbreak\ttab\u{7}"), "linebreaktab");
        assert_eq!(display_label("  GitHub  "), "GitHub");
        // Ordinary right-to-left text and combining marks stay.
        assert_eq!(display_label("שלום"), "שלום");
        assert_eq!(display_label("Café"), "Café");
        assert_eq!(display_label("e\u{301}"), "e\u{301}");
    }

    #[test]
    fn account_id_round_trips_through_text() {
        let id = AccountId([0xab; 16]);
        let text = id.to_string();
        assert_eq!(text.len(), 32);
        assert_eq!(text.parse::<AccountId>(), Ok(id));
        assert_eq!("xyz".parse::<AccountId>(), Err(InvalidAccountId));
        assert_eq!("abab".parse::<AccountId>(), Err(InvalidAccountId));
    }

    #[test]
    fn otp_kind_reports_period_and_counter() {
        assert_eq!(OtpKind::Totp { period: 30 }.period(), Some(30));
        assert_eq!(OtpKind::Hotp { counter: 7 }.counter(), Some(7));
        assert_eq!(OtpKind::Hotp { counter: 7 }.period(), None);
        assert_eq!(OtpKind::Steam { period: 30 }.name(), "steam");
    }
}
