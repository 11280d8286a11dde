//! Stratum's (formerly Authenticator Pro's) backups: plain JSON, encrypted, and the legacy
//! encrypted form.
//!
//! Specification: Authenticator Pro's `doc/BACKUP_FORMAT.md` (github.com/jamie-mh/
//! AuthenticatorPro) and its `Backup/Encryption` classes. Plain: `{Authenticators,
//! Categories, AuthenticatorCategories, CustomIcons}`; an authenticator has `Type` (1 HOTP,
//! 2 TOTP, 3 mOTP, 4 Steam, 5 Yandex), `Issuer`, `Username`, `Secret` (Base32), `Algorithm`
//! (0 SHA-1, 1 SHA-256, 2 SHA-512), `Digits`, `Period`, `Counter`; `AuthenticatorCategories`
//! binds a secret to a category id, and categories become tags.
//! Encrypted: "AUTHENTICATORPRO", a 16-byte salt, a 12-byte IV, then AES-256-GCM ciphertext
//! and tag under Argon2id(password, salt; 3 passes, 64 MiB, 4 lanes). Legacy:
//! "AuthenticatorPro", a 20-byte salt, a 16-byte IV, then AES-256-CBC (PKCS#7) under
//! PBKDF2-HMAC-SHA1(password, salt, 64 000 iterations). The legacy form has no MAC: a wrong
//! password shows as padding or JSON that does not read.
//!
//! Dropped on import: icons and custom icons, ranking and copy counts, mOTP and Yandex
//! entries (their PINs; reported as problems).
//!
//! The app's internal database holds the same fields: `stratum_db.rs` reads it and checks
//! each account with [`read_entry`].

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::value::RawValue;
use zeroize::Zeroizing;

use super::cipher::{aes_cbc_open, aes_gcm_open};
use super::entry::{self, json, read_each, EntryError, Fields, Kind, Number};
use super::kdf::{self, Pbkdf2Hash};
use super::{Contents, Format, ImportError, Item};

pub struct Stratum;

const NAME: &str = "Stratum (Authenticator Pro) backup";

const HEADER: &[u8] = b"AUTHENTICATORPRO";
const SALT_LEN: usize = 16;
const IV_LEN: usize = 12;
const ARGON2_MEMORY_KIB: u64 = 65_536;
const ARGON2_PASSES: u64 = 3;
const ARGON2_LANES: u64 = 4;

const LEGACY_HEADER: &[u8] = b"AuthenticatorPro";
const LEGACY_SALT_LEN: usize = 20;
const LEGACY_IV_LEN: usize = 16;
const LEGACY_ITERATIONS: u64 = 64_000;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Backup<'a> {
    #[serde(borrow)]
    authenticators: Vec<&'a RawValue>,
    #[serde(default)]
    categories: Option<Vec<Category>>,
    #[serde(default)]
    authenticator_categories: Option<Vec<Binding>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Category {
    id: String,
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Binding {
    category_id: String,
    authenticator_secret: Zeroizing<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Authenticator {
    #[serde(rename = "Type")]
    pub(super) kind: u64,
    #[serde(default)]
    pub(super) issuer: Option<String>,
    #[serde(default)]
    pub(super) username: Option<String>,
    #[serde(default)]
    pub(super) secret: Zeroizing<String>,
    #[serde(default)]
    pub(super) algorithm: u64,
    #[serde(default)]
    pub(super) digits: Number,
    #[serde(default)]
    pub(super) period: Number,
    #[serde(default)]
    pub(super) counter: Number,
}

impl Format for Stratum {
    fn name(&self) -> &'static str {
        NAME
    }

    fn id(&self) -> &'static str {
        "stratum"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        bytes.starts_with(HEADER)
            || bytes.starts_with(LEGACY_HEADER)
            || json::<Backup>(bytes).is_some()
    }

    fn is_encrypted(&self, bytes: &[u8]) -> bool {
        bytes.starts_with(HEADER) || bytes.starts_with(LEGACY_HEADER)
    }

    fn read(&self, bytes: &[u8], password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let wrong = || ImportError::WrongPassword { format: NAME };
        if let Some(rest) = bytes.strip_prefix(HEADER) {
            let password = password.ok_or_else(wrong)?;
            let (salt, rest) = rest.split_at_checked(SALT_LEN).ok_or_else(cut_short)?;
            let (iv, sealed) = rest.split_at_checked(IV_LEN).ok_or_else(cut_short)?;
            let key = kdf::argon2id(
                password,
                salt,
                ARGON2_MEMORY_KIB,
                ARGON2_PASSES,
                ARGON2_LANES,
            )?;
            let plain = aes_gcm_open(&key, iv, sealed, b"").ok_or_else(wrong)?;
            return read_backup(&plain).map_err(|_| damaged("what it holds is not a backup"));
        }
        if let Some(rest) = bytes.strip_prefix(LEGACY_HEADER) {
            let password = password.ok_or_else(wrong)?;
            let (salt, rest) = rest
                .split_at_checked(LEGACY_SALT_LEN)
                .ok_or_else(cut_short)?;
            let (iv, ciphertext) = rest.split_at_checked(LEGACY_IV_LEN).ok_or_else(cut_short)?;
            let key = kdf::pbkdf2(Pbkdf2Hash::Sha1, password, salt, LEGACY_ITERATIONS)?;
            // No MAC: padding or JSON that does not read is what a wrong password looks like.
            let plain = aes_cbc_open(&key, iv, ciphertext).ok_or_else(wrong)?;
            return read_backup(&plain).map_err(|_| wrong());
        }
        read_backup(bytes)
    }
}

fn damaged(reason: &'static str) -> ImportError {
    ImportError::Damaged {
        format: NAME,
        reason,
    }
}

fn cut_short() -> ImportError {
    damaged("it ends before its salt and IV")
}

pub(super) fn read_backup(json: &[u8]) -> Result<Contents, ImportError> {
    let backup: Backup = entry::json(json).ok_or(ImportError::NotThisFormat { format: NAME })?;
    let categories = backup.categories.unwrap_or_default();
    let bindings = backup.authenticator_categories.unwrap_or_default();
    let category_names = entry::names(categories.iter().map(|c| (c.id.as_str(), c.name.as_str())));
    // Secret → its categories' names, built once: each entry then looks up its own.
    let mut tags_of: HashMap<&str, Vec<&str>> = HashMap::new();
    for binding in &bindings {
        if let Some(name) = category_names.get(binding.category_id.as_str()) {
            tags_of
                .entry(binding.authenticator_secret.as_str())
                .or_default()
                .push(name);
        }
    }
    read_each(&backup.authenticators, |item, entry: Authenticator| {
        let issuer = entry.issuer.as_deref().unwrap_or("");
        let name = entry.username.as_deref().unwrap_or("");
        Some(
            read_entry(&entry, issuer, name, &tags_of)
                .unwrap_or_else(|error| entry::problem(item, issuer, name, error)),
        )
    })
}

pub(super) fn read_entry(
    entry: &Authenticator,
    issuer: &str,
    name: &str,
    tags_of: &HashMap<&str, Vec<&str>>,
) -> Result<Item, EntryError> {
    let kind = match entry.kind {
        1 => Kind::Hotp,
        2 => Kind::Totp,
        4 => Kind::Steam,
        3 => {
            return Err(EntryError::UnsupportedKind {
                kind: "mOTP".into(),
            })
        }
        5 => {
            return Err(EntryError::UnsupportedKind {
                kind: "Yandex".into(),
            })
        }
        other => {
            return Err(EntryError::UnsupportedKind {
                kind: format!("type {other}"),
            })
        }
    };
    let algorithm = match entry.algorithm {
        0 => "SHA1",
        1 => "SHA256",
        2 => "SHA512",
        _ => return Err(EntryError::Malformed),
    };
    let fields = Fields {
        issuer,
        name,
        secret: &entry.secret,
        algorithm: Some(algorithm),
        digits: entry.digits.0,
        period: entry.period.0,
        counter: entry.counter.0,
    };
    let mut account = entry::account(kind, &fields)?;
    let tags = tags_of
        .get(entry.secret.as_str())
        .into_iter()
        .flatten()
        .copied();
    entry::add_tags(&mut account, tags)?;
    Ok(Item::Account(account))
}

#[cfg(test)]
mod tests {
    use super::super::cipher::testing::{aes_cbc_seal, aes_gcm_seal};
    use super::super::{open_bytes, Cause, Opened};
    use super::*;

    const BACKUP: &str = r#"{"Authenticators":[
        {"Type":2,"Issuer":"Good","Username":"me","Secret":"JBSWY3DPEHPK3PXP","Algorithm":1,"Digits":7,"Period":20,"Counter":0},
        {"Type":5,"Issuer":"Yandex","Username":"y","Secret":"JBSWY3DPEHPK3PXP","Pin":"1234","Algorithm":0,"Digits":8,"Period":30},
        {"Type":1,"Issuer":"Counter","Username":null,"Secret":"GEZDGNBVGY3TQOJQ","Algorithm":0,"Digits":6,"Period":30,"Counter":9},
        {"Type":4,"Issuer":"Steam","Username":"s","Secret":"GEZDGNBVGY3TQOJQ","Algorithm":0,"Digits":5,"Period":30}
    ],"Categories":[{"Id":"c1","Name":"Work"}],
    "AuthenticatorCategories":[{"CategoryId":"c1","AuthenticatorSecret":"JBSWY3DPEHPK3PXP"}]}"#;

    fn check(contents: &Contents) {
        let [Item::Account(good), Item::Problem(yandex), Item::Account(counter), Item::Account(steam)] =
            contents.items.as_slice()
        else {
            panic!("{contents:?}");
        };
        assert_eq!(good.tags, ["Work"]);
        assert_eq!(good.otp.kind.period(), Some(20));
        assert!(matches!(
            yandex.cause,
            Cause::InvalidEntry(EntryError::UnsupportedKind { .. })
        ));
        assert_eq!(
            (counter.name.as_str(), counter.otp.kind.counter()),
            ("", Some(9))
        );
        assert!(counter.tags.is_empty());
        assert_eq!(steam.otp.kind.name(), "steam");
    }

    fn read(bytes: &[u8], password: Option<&[u8]>) -> Result<Opened, ImportError> {
        open_bytes(bytes, password)
    }

    #[test]
    fn plain_backups_are_read_with_categories_as_tags() {
        match read(BACKUP.as_bytes(), None) {
            Ok(Opened::Read(contents)) => check(&contents),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn both_encrypted_forms_open_with_the_password() {
        // The current form's Argon2id cost is fixed by the format (64 MiB): one run.
        let key = kdf::argon2id(
            b"pw",
            &[1; SALT_LEN],
            ARGON2_MEMORY_KIB,
            ARGON2_PASSES,
            ARGON2_LANES,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut current = HEADER.to_vec();
        current.extend([1; SALT_LEN]);
        current.extend([2; IV_LEN]);
        current.extend(aes_gcm_seal(&key, &[2; IV_LEN], BACKUP.as_bytes()));

        let key = kdf::pbkdf2(
            Pbkdf2Hash::Sha1,
            b"pw",
            &[3; LEGACY_SALT_LEN],
            LEGACY_ITERATIONS,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut legacy = LEGACY_HEADER.to_vec();
        legacy.extend([3; LEGACY_SALT_LEN]);
        legacy.extend([4; LEGACY_IV_LEN]);
        legacy.extend(aes_cbc_seal(&key, &[4; LEGACY_IV_LEN], BACKUP.as_bytes()));

        for file in [current, legacy] {
            assert_eq!(
                read(&file, None).ok(),
                Some(Opened::NeedsPassword { format: NAME })
            );
            match read(&file, Some(b"pw")) {
                Ok(Opened::Read(contents)) => check(&contents),
                other => panic!("{other:?}"),
            }
            assert!(matches!(
                read(&file, Some(b"no")),
                Err(ImportError::WrongPassword { .. })
            ));
            assert!(read(&file[..30], Some(b"pw")).is_err());
        }
    }
}
