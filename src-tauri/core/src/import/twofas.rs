//! 2FAS Authenticator's backup (`.2fas`, schema versions 1 to 4, and the older `.json`
//! export, which is schema 1), plain and encrypted.
//!
//! Read from 2FAS's backup code (github.com/twofas/2fas-android, `backup` module:
//! `BackupDto`, `ServiceDto`, `EncryptionHelper`) and its documented export. A JSON object
//! `{schemaVersion, services, groups, servicesEncrypted?, reference?}`. Each service has
//! `name` (the title 2FAS shows, used as issuer), `secret` (Base32), `groupId` and `otp`:
//! `account`, `issuer`, `digits`, `period`, `algorithm`, `counter` and `tokenType` (TOTP,
//! HOTP, STEAM; schemas 1 and 2 have none: TOTP). Encrypted files have an empty `services`
//! and `servicesEncrypted` = "ciphertext:salt:iv", each Base64: the services array as JSON,
//! AES-256-GCM (tag appended) under PBKDF2-HMAC-SHA256(password, salt, 10 000 iterations).
//! Groups become tags.
//!
//! Dropped on import: icons and badges, order, the `reference` check value, update times.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::value::RawValue;
use zeroize::Zeroizing;

use super::cipher::aes_gcm_open;
use super::entry::{self, json, read_each, EntryError, Fields, Kind, Number};
use super::kdf::{self, Pbkdf2Hash};
use super::{Contents, Format, ImportError, Item};

pub struct TwoFas;

const NAME: &str = "2FAS backup";
/// 2FAS's fixed PBKDF2 cost.
const PBKDF2_ITERATIONS: u64 = 10_000;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct File<'a> {
    #[serde(borrow)]
    services: Vec<&'a RawValue>,
    schema_version: Option<u64>,
    app_origin: Option<&'a RawValue>,
    #[serde(default)]
    services_encrypted: Option<String>,
    #[serde(default)]
    groups: Vec<Group>,
}

#[derive(Deserialize)]
pub(super) struct Group {
    id: String,
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Service {
    #[serde(default)]
    name: String,
    #[serde(default)]
    secret: Zeroizing<String>,
    #[serde(default)]
    otp: Otp,
    group_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Otp {
    account: Option<String>,
    issuer: Option<String>,
    #[serde(default)]
    digits: Number,
    #[serde(default)]
    period: Number,
    algorithm: Option<String>,
    #[serde(default)]
    counter: Number,
    token_type: Option<String>,
}

fn file(bytes: &[u8]) -> Option<File<'_>> {
    json::<File>(bytes).filter(|file| {
        file.schema_version.is_some()
            || file.app_origin.is_some()
            || file.services_encrypted.is_some()
    })
}

fn encrypted_services<'a>(file: &'a File<'_>) -> Option<&'a str> {
    file.services_encrypted
        .as_deref()
        .filter(|text| !text.trim().is_empty())
}

impl Format for TwoFas {
    fn name(&self) -> &'static str {
        NAME
    }

    fn id(&self) -> &'static str {
        "twofas"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        file(bytes).is_some()
    }

    fn is_encrypted(&self, bytes: &[u8]) -> bool {
        file(bytes).is_some_and(|file| encrypted_services(&file).is_some())
    }

    fn read(&self, bytes: &[u8], password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let file = file(bytes).ok_or(ImportError::NotThisFormat { format: NAME })?;
        match (encrypted_services(&file), password) {
            (Some(sealed), Some(password)) => {
                let plain = decrypt(sealed, password)?;
                read_decrypted(&plain, &file.groups)
            }
            (Some(_), None) => Err(ImportError::WrongPassword { format: NAME }),
            (None, _) => read_services(&file.services, &file.groups),
        }
    }
}

fn damaged(reason: &'static str) -> ImportError {
    ImportError::Damaged {
        format: NAME,
        reason,
    }
}

fn decrypt(sealed: &str, password: &[u8]) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    let parts: Vec<&str> = sealed.trim().split(':').collect();
    let [ciphertext, salt, iv] = parts.as_slice() else {
        return Err(damaged("its encrypted services are not ciphertext:salt:iv"));
    };
    let base64 = |text: &str| {
        data_encoding::BASE64
            .decode(text.trim().as_bytes())
            .map_err(|_| damaged("its encrypted services are not Base64"))
    };
    let (ciphertext, salt, iv) = (base64(ciphertext)?, base64(salt)?, base64(iv)?);
    let key = kdf::pbkdf2(Pbkdf2Hash::Sha256, password, &salt, PBKDF2_ITERATIONS)?;
    aes_gcm_open(&key, &iv, &ciphertext, b"").ok_or(ImportError::WrongPassword { format: NAME })
}

/// The services of an encrypted backup, once decrypted: a JSON list.
pub(super) fn read_decrypted(plain: &[u8], groups: &[Group]) -> Result<Contents, ImportError> {
    let services: Vec<&RawValue> = serde_json::from_slice(plain)
        .map_err(|_| damaged("its decrypted services are not a list"))?;
    read_services(&services, groups)
}

fn read_services(services: &[&RawValue], groups: &[Group]) -> Result<Contents, ImportError> {
    let groups = entry::names(groups.iter().map(|g| (g.id.as_str(), g.name.as_str())));
    let groups = &groups;
    read_each(services, |item, service: Service| {
        let issuer = if service.name.trim().is_empty() {
            service.otp.issuer.clone().unwrap_or_default()
        } else {
            service.name.clone()
        };
        let name = service.otp.account.clone().unwrap_or_default();
        Some(
            read_service(&service, &issuer, &name, groups)
                .unwrap_or_else(|error| entry::problem(item, &issuer, &name, error)),
        )
    })
}

fn read_service(
    service: &Service,
    issuer: &str,
    name: &str,
    groups: &HashMap<&str, &str>,
) -> Result<Item, EntryError> {
    let kind = match service.otp.token_type.as_deref() {
        Some(kind) => Kind::named(kind)?,
        None => Kind::Totp,
    };
    let fields = Fields {
        issuer,
        name,
        secret: &service.secret,
        algorithm: service.otp.algorithm.as_deref(),
        digits: service.otp.digits.0,
        period: service.otp.period.0,
        counter: service.otp.counter.0,
    };
    let mut account = entry::account(kind, &fields)?;
    let group = service
        .group_id
        .as_deref()
        .and_then(|id| groups.get(id).copied());
    entry::add_tags(&mut account, group)?;
    Ok(Item::Account(account))
}

#[cfg(test)]
mod tests {
    use super::super::cipher::testing::aes_gcm_seal;
    use super::super::{open_bytes, Cause, Opened};
    use super::*;

    const SERVICES: &str = r#"[
        {"name":"Good","secret":"JBSWY3DPEHPK3PXP","groupId":"g","otp":{"account":"me","digits":7,"period":20,"algorithm":"SHA256","tokenType":"TOTP"}},
        {"name":"Bad","secret":"JBSWY3DPEHPK3PXP","otp":{"account":"you","tokenType":"YANDEX"}},
        {"name":"Counter","secret":"JBSWY3DPEHPK3PXP","otp":{"account":"c","tokenType":"HOTP","counter":5}},
        {"name":"Old","secret":"JBSWY3DPEHPK3PXP","otp":{"account":"o"}}
    ]"#;
    const GROUPS: &str = r#"[{"id":"g","name":"Work"}]"#;

    fn encrypted(password: &[u8]) -> String {
        let salt = [3u8; 256];
        let iv = [4u8; 12];
        let key = kdf::pbkdf2(Pbkdf2Hash::Sha256, password, &salt, PBKDF2_ITERATIONS)
            .unwrap_or_else(|e| panic!("{e}"));
        let sealed = aes_gcm_seal(&key, &iv, SERVICES.as_bytes());
        let b64 = |b: &[u8]| data_encoding::BASE64.encode(b);
        format!(
            r#"{{"services":[],"groups":{GROUPS},"schemaVersion":4,"servicesEncrypted":"{}:{}:{}"}}"#,
            b64(&sealed),
            b64(&salt),
            b64(&iv)
        )
    }

    fn check(contents: &Contents) {
        let [Item::Account(good), Item::Problem(bad), Item::Account(counter), Item::Account(old)] =
            contents.items.as_slice()
        else {
            panic!("{contents:?}");
        };
        assert_eq!(good.tags, ["Work"]);
        assert_eq!((good.otp.digits, good.otp.kind.period()), (7, Some(20)));
        assert_eq!((bad.item, bad.issuer.as_str()), (2, "Bad"));
        assert!(matches!(
            bad.cause,
            Cause::InvalidEntry(EntryError::UnsupportedKind { .. })
        ));
        assert_eq!(counter.otp.kind.counter(), Some(5));
        assert_eq!(old.otp.kind.period(), Some(30));
    }

    #[test]
    fn plain_backups_are_read_entry_by_entry() {
        let file = format!(r#"{{"services":{SERVICES},"groups":{GROUPS},"schemaVersion":3}}"#);
        match open_bytes(file.as_bytes(), None) {
            Ok(Opened::Read(contents)) => check(&contents),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn encrypted_backups_need_the_password() {
        let file = encrypted(b"secret");
        assert_eq!(
            open_bytes(file.as_bytes(), None).ok(),
            Some(Opened::NeedsPassword { format: NAME })
        );
        match open_bytes(file.as_bytes(), Some(b"secret")) {
            Ok(Opened::Read(contents)) => check(&contents),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            open_bytes(file.as_bytes(), Some(b"Secret")),
            Err(ImportError::WrongPassword { .. })
        ));
        // The IV, Base64 of twelve 4s, left out.
        let cut = file.replacen(":BAQEBAQEBAQEBAQE\"", "\"", 1);
        assert!(matches!(
            open_bytes(cut.as_bytes(), Some(b"secret")),
            Err(ImportError::Damaged { .. })
        ));
    }
}
