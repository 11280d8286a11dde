//! andOTP's backups: plain JSON, and the two encrypted forms (`.json.aes`).
//!
//! Read from andOTP's source (github.com/andOTP/andOTP: `Entry.java`'s JSON keys,
//! `EncryptionHelper.java`, `BackupHelper.java`). Plain: a JSON array of entries, each with
//! `secret` (Base32), `issuer`, `label`, `digits`, `type` (TOTP, HOTP, STEAM, MOTP),
//! `algorithm`, `period`, `counter` and `tags` (which become tags). Old versions had no
//! `issuer`: their label reads "Issuer - Issuer:Account".
//! Encrypted, new form: a 4-byte big-endian PBKDF2 iteration count, a 12-byte salt, a 12-byte
//! IV, then AES-256-GCM ciphertext and tag under PBKDF2-HMAC-SHA1(password, salt), 256 bits.
//! Old form: the 12-byte IV and the ciphertext, under SHA-256(password).
//! The encrypted forms carry no signature: a binary file that no other format recognises
//! and that is long enough is taken for one, so it is the last format tried.
//!
//! Dropped on import: thumbnails, last-used times and usage counts, mOTP entries (problems).

use serde::Deserialize;
use serde_json::value::RawValue;
use zeroize::Zeroizing;

use super::cipher::{aes_gcm_open, GCM_TAG_LEN};
use super::entry::{self, json, json_list, read_each, EntryError, Fields, Kind, Number};
use super::kdf::{self, Pbkdf2Hash, MAX_PBKDF2_ITERATIONS};
use super::{Contents, Format, ImportError, Item, FORMATS};

pub struct AndOtpJson;
pub struct AndOtpEncrypted;

const NAME: &str = "andOTP backup";
const ENCRYPTED_NAME: &str = "andOTP encrypted backup";
const ID: &str = "andotp";

const ITERATIONS_LEN: usize = 4;
const SALT_LEN: usize = 12;
const IV_LEN: usize = 12;

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    secret: Zeroizing<String>,
    #[serde(default)]
    issuer: Option<String>,
    #[serde(default)]
    label: String,
    #[serde(rename = "type")]
    kind: String,
    algorithm: Option<String>,
    #[serde(default)]
    digits: Number,
    #[serde(default)]
    period: Number,
    #[serde(default)]
    counter: Number,
    #[serde(default)]
    tags: Vec<String>,
}

/// Enough of an entry to know the file is andOTP's: both keys are there.
#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "secret")]
    _secret: serde::de::IgnoredAny,
    #[serde(rename = "type")]
    _kind: serde::de::IgnoredAny,
}

fn entries(bytes: &[u8]) -> Option<Vec<&RawValue>> {
    let entries = json_list(bytes)?;
    let first = entries.first()?;
    json::<Probe>(first.get().as_bytes())?;
    Some(entries)
}

impl Format for AndOtpJson {
    fn name(&self) -> &'static str {
        NAME
    }

    fn id(&self) -> &'static str {
        ID
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        entries(bytes).is_some()
    }

    fn read(&self, bytes: &[u8], _password: Option<&[u8]>) -> Result<Contents, ImportError> {
        read_entries(bytes)
    }
}

fn read_entries(json: &[u8]) -> Result<Contents, ImportError> {
    let entries = entries(json).ok_or(ImportError::NotThisFormat { format: NAME })?;
    read_each(&entries, |item, entry: Entry| {
        let (issuer, name) = labels(&entry);
        Some(
            read_entry(&entry, issuer, name)
                .unwrap_or_else(|error| entry::problem(item, issuer, name, error)),
        )
    })
}

/// (issuer, name): old entries' label "Issuer - Issuer:Account" split, the repeated issuer
/// taken off the name.
fn labels(entry: &Entry) -> (&str, &str) {
    let label = entry.label.trim();
    if let Some(issuer) = entry.issuer.as_deref().filter(|i| !i.trim().is_empty()) {
        return (issuer, label);
    }
    match label.split_once(" - ") {
        Some((issuer, rest)) => {
            let name = rest
                .strip_prefix(issuer)
                .and_then(|rest| rest.strip_prefix(':'))
                .unwrap_or(rest);
            (issuer, name)
        }
        None => ("", label),
    }
}

fn read_entry(entry: &Entry, issuer: &str, name: &str) -> Result<Item, EntryError> {
    let kind = Kind::named(&entry.kind)?;
    let fields = Fields {
        issuer,
        name,
        secret: &entry.secret,
        algorithm: entry.algorithm.as_deref(),
        digits: entry.digits.0,
        period: entry.period.0,
        counter: entry.counter.0,
    };
    let mut account = entry::account(kind, &fields)?;
    entry::add_tags(&mut account, entry.tags.iter().map(String::as_str))?;
    Ok(Item::Account(account))
}

/// Known containers that are not andOTP's, so they are not taken for its signature-less
/// encrypted form: SQLite (Google's, Microsoft's and Stratum's databases), ZIP, gzip and
/// Java serialization (FreeOTP's backups).
const OTHER_SIGNATURES: &[&[u8]] = &[
    b"SQLite format 3\0",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\xac\xed\x00\x05",
];

impl Format for AndOtpEncrypted {
    fn name(&self) -> &'static str {
        ENCRYPTED_NAME
    }

    fn id(&self) -> &'static str {
        ID
    }

    /// A binary file (not UTF-8) of at least an IV and a tag, with no other format's
    /// signature and recognised by no other format.
    fn recognises(&self, bytes: &[u8]) -> bool {
        bytes.len() >= IV_LEN + GCM_TAG_LEN
            && std::str::from_utf8(bytes).is_err()
            && !OTHER_SIGNATURES
                .iter()
                .any(|magic| bytes.starts_with(magic))
            && !FORMATS
                .iter()
                .filter(|format| format.name() != ENCRYPTED_NAME)
                .any(|format| format.recognises(bytes))
    }

    fn is_encrypted(&self, _bytes: &[u8]) -> bool {
        true
    }

    /// The new form when its iteration count is within the cap, then the old form. The
    /// two cannot be told apart from the bytes: an old file's first four bytes are random
    /// (and over the cap 99.8 % of the time), so a count over the cap is never run and the
    /// file is tried as the old form only.
    fn read(&self, bytes: &[u8], password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let password = password.ok_or(ImportError::WrongPassword {
            format: ENCRYPTED_NAME,
        })?;
        let wrong = || ImportError::WrongPassword {
            format: ENCRYPTED_NAME,
        };
        if let Some(new) = NewForm::of(bytes) {
            if new.iterations <= MAX_PBKDF2_ITERATIONS {
                let iterations = u64::from(new.iterations);
                let key = kdf::pbkdf2(Pbkdf2Hash::Sha1, password, new.salt, iterations)?;
                if let Some(plain) = aes_gcm_open(&key, new.iv, new.sealed, b"") {
                    return read_decrypted(&plain);
                }
            }
        }
        let key = old_form_key(password).ok_or_else(wrong)?;
        let (iv, sealed) = bytes.split_at_checked(IV_LEN).ok_or_else(wrong)?;
        match aes_gcm_open(&key, iv, sealed, b"") {
            Some(plain) => read_decrypted(&plain),
            None => Err(wrong()),
        }
    }
}

/// The old form's key: SHA-256 of the password.
fn old_form_key(password: &[u8]) -> Option<kdf::Key> {
    let digest = ring::digest::digest(&ring::digest::SHA256, password);
    let key: [u8; kdf::KEY_LEN] = digest.as_ref().try_into().ok()?;
    Some(Zeroizing::new(key))
}

/// The parts of a file read as the new form.
struct NewForm<'a> {
    iterations: u32,
    salt: &'a [u8],
    iv: &'a [u8],
    sealed: &'a [u8],
}

impl<'a> NewForm<'a> {
    fn of(bytes: &'a [u8]) -> Option<NewForm<'a>> {
        let (count, rest) = bytes.split_first_chunk::<ITERATIONS_LEN>()?;
        let (salt, rest) = rest.split_at_checked(SALT_LEN)?;
        let (iv, sealed) = rest.split_at_checked(IV_LEN)?;
        Some(NewForm {
            iterations: u32::from_be_bytes(*count),
            salt,
            iv,
            sealed,
        })
    }
}

pub(super) fn read_decrypted(plain: &[u8]) -> Result<Contents, ImportError> {
    read_entries(plain).map_err(|error| match error {
        ImportError::NotThisFormat { .. } => ImportError::Damaged {
            format: ENCRYPTED_NAME,
            reason: "what it holds is not a list of andOTP entries",
        },
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::super::cipher::testing::aes_gcm_seal;
    use super::super::{open_bytes, Cause, Opened};
    use super::*;

    const ENTRIES: &str = r#"[
        {"secret":"JBSWY3DPEHPK3PXP","issuer":"Good","label":"me","digits":6,"type":"TOTP","algorithm":"SHA1","period":30,"tags":["Work"]},
        {"secret":"JBSWY3DPEHPK3PXP","issuer":"Mobile","label":"m","digits":6,"type":"MOTP","algorithm":"MD5","period":10},
        {"secret":"JBSWY3DPEHPK3PXP","label":"Old - Old:you","digits":8,"type":"HOTP","algorithm":"SHA512","counter":3},
        {"secret":"JBSWY3DPEHPK3PXP","issuer":"Valve","label":"s","digits":5,"type":"STEAM","algorithm":"SHA1","period":30}
    ]"#;

    fn check(contents: &Contents) {
        let [Item::Account(good), Item::Problem(motp), Item::Account(old), Item::Account(steam)] =
            contents.items.as_slice()
        else {
            panic!("{contents:?}");
        };
        assert_eq!(good.tags, ["Work"]);
        assert!(matches!(
            motp.cause,
            Cause::InvalidEntry(EntryError::UnsupportedKind { .. })
        ));
        assert_eq!((old.issuer.as_str(), old.name.as_str()), ("Old", "you"));
        assert_eq!(old.otp.kind.counter(), Some(3));
        assert_eq!(steam.otp.kind.name(), "steam");
    }

    fn new_form(password: &[u8], iterations: u32) -> Vec<u8> {
        let key = kdf::pbkdf2(
            Pbkdf2Hash::Sha1,
            password,
            &[5; SALT_LEN],
            u64::from(iterations),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut file = iterations.to_be_bytes().to_vec();
        file.extend([5; SALT_LEN]);
        file.extend([6; IV_LEN]);
        file.extend(aes_gcm_seal(&key, &[6; IV_LEN], ENTRIES.as_bytes()));
        file
    }

    fn read(bytes: &[u8], password: Option<&[u8]>) -> Result<Opened, ImportError> {
        open_bytes(bytes, password)
    }

    #[test]
    fn plain_backups_are_read() {
        match read(ENTRIES.as_bytes(), None) {
            Ok(Opened::Read(contents)) => check(&contents),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn both_encrypted_forms_open_with_the_password() {
        let new = new_form(b"pw", 1000);
        let key = old_form_key(b"pw").unwrap_or_else(|| panic!("a key"));
        let mut old = [7u8; IV_LEN].to_vec();
        old.extend(aes_gcm_seal(&key, &[7; IV_LEN], ENTRIES.as_bytes()));
        for file in [new, old] {
            assert_eq!(
                read(&file, None).ok(),
                Some(Opened::NeedsPassword {
                    format: ENCRYPTED_NAME
                })
            );
            match read(&file, Some(b"pw")) {
                Ok(Opened::Read(contents)) => check(&contents),
                other => panic!("{other:?}"),
            }
            assert!(matches!(
                read(&file, Some(b"pW")),
                Err(ImportError::WrongPassword { .. })
            ));
            let cut = &file[..20];
            assert!(read(cut, Some(b"pw")).is_err());
        }
    }

    #[test]
    fn an_iteration_count_over_the_cap_is_never_run() {
        let mut file = new_form(b"pw", 1000);
        file[..4].copy_from_slice(&u32::MAX.to_be_bytes());
        let started = std::time::Instant::now();
        assert!(matches!(
            read(&file, Some(b"pw")),
            Err(ImportError::WrongPassword { .. })
        ));
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn other_binary_files_are_not_taken_for_encrypted_backups() {
        let mut sqlite = b"SQLite format 3\0".to_vec();
        sqlite.extend([0xff; 64]);
        assert!(!AndOtpEncrypted.recognises(&sqlite));
        assert!(!AndOtpEncrypted.recognises(&[0xff; 20]));
    }
}
