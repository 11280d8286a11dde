//! 2FAS Authenticator's backup (`.2fas`, schema version 4), plain and encrypted.
//!
//! Written as 2FAS's Android app writes it (github.com/twofas/2fas-android, `BackupContent`
//! and `ServiceDto`; the shape of the files in `shared/fixtures/aegis-importers`):
//! `{services, groups: [{id, name, isExpanded, updatedAt}], updatedAt, schemaVersion: 4,
//! appOrigin: "android"}`. Each service: `name` (the title 2FAS shows: the issuer, or the
//! account name when there is none), `secret` (Base32), `updatedAt`, `otp: {label,
//! account, issuer, digits, period, algorithm, tokenType (TOTP, HOTP, STEAM), counter,
//! source: "Manual"}`, `order: {position}`, `icon` (a two-letter label) and `groupId`.
//!
//! Encrypted: `services` is empty and `servicesEncrypted` = Base64(ciphertext ‖ tag) ":"
//! Base64(salt) ":" Base64(IV), the services' JSON sealed with AES-256-GCM under
//! PBKDF2-HMAC-SHA256(password, 256-byte random salt, 10 000 iterations), a 12-byte
//! random IV; `reference` is 2FAS's fixed check string sealed the same way (same salt and
//! key, its own IV), which 2FAS decrypts to tell a wrong password. The groups stay
//! readable, as 2FAS leaves them.
//!
//! Lost: every tag but the first (a service has one group), notes, pins, icons, order
//! beyond the list's, recovery codes; an account with no issuer comes back with its name
//! as issuer too (2FAS's title is the issuer).

use serde::Serialize;
use zeroize::Zeroizing;

use super::{
    base32, group_id, random, tag_groups, to_json, About, AccountsFile, ExportError, Protection,
};
use crate::import::cipher::aes_gcm_seal;
use crate::import::kdf::{self, Pbkdf2Hash};
use crate::model::{Account, OtpKind};

/// 2FAS's backup; plain or encrypted as its [`About`] says.
pub struct TwoFas;

pub const PLAIN: About = About {
    id: "twofas",
    name: "2FAS backup (.2fas), plain",
    protection: Protection::Plain,
    loses: LOSES,
    numbered: false,
    extension: "2fas",
};

pub const ENCRYPTED: About = About {
    id: "twofas-encrypted",
    name: "2FAS backup (.2fas), encrypted with a password",
    protection: Protection::ExportPassword,
    loses: LOSES,
    numbered: false,
    extension: "2fas",
};

const LOSES: &str =
    "tags but the first, notes, pins, icons, recovery codes, clock offsets; no issuer: the name becomes the issuer";
const SCHEMA_VERSION: u32 = 4;
/// 2FAS's fixed PBKDF2 cost and salt length.
const PBKDF2_ITERATIONS: u64 = 10_000;
const SALT_LEN: usize = 256;
const IV_LEN: usize = 12;
/// 2FAS's own icon collection for services with a label icon (in every file 2FAS writes).
const ICON_COLLECTION: &str = "a5b3fb65-4ec5-43e6-8ec1-49e24ca9e7ad";
/// The check string 2FAS seals into `reference` (2fas-android, `BackupContent.Reference`).
const REFERENCE: &str = "tRViSsLKzd86Hprh4ceC2OP7xazn4rrt4xhfEUbOjxLX8Rc3mkISXE0lWbmnWfggogbBJhtYgpK6fMl1D6mtsy92R3HkdGfwuXbzLebqVFJsR7IZ2w58t938iymwG4824igYy1wi6n2WDpO1Q1P69zwJGs2F5a1qP4MyIiDSD7NCV2OvidXQCBnDlGfmz0f1BQySRkkt4ryiJeCjD2o4QsveJ9uDBUn8ELyOrESv5R5DMDkD4iAF8TXU7KyoJujd";

impl AccountsFile for TwoFas {
    fn file(
        &self,
        accounts: &[&Account],
        password: Option<&[u8]>,
    ) -> Result<Zeroizing<Vec<u8>>, ExportError> {
        file(accounts, password, crate::otp::now_ms())
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct File<'a> {
    services: Vec<Service<'a>>,
    groups: Vec<Group<'a>>,
    updated_at: u64,
    schema_version: u32,
    app_origin: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    services_encrypted: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Group<'a> {
    id: &'a str,
    name: &'a str,
    is_expanded: bool,
    updated_at: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Service<'a> {
    name: &'a str,
    secret: Zeroizing<String>,
    updated_at: u64,
    otp: Otp<'a>,
    order: Order,
    icon: Icon,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_id: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Otp<'a> {
    label: String,
    account: &'a str,
    issuer: &'a str,
    digits: u8,
    period: u32,
    algorithm: &'static str,
    token_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
    source: &'static str,
}

#[derive(Serialize)]
struct Order {
    position: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Icon {
    selected: &'static str,
    label: IconLabel,
    icon_collection: IconCollection,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IconLabel {
    text: String,
    background_color: &'static str,
}

#[derive(Serialize)]
struct IconCollection {
    id: &'static str,
}

fn service<'a>(
    account: &'a Account,
    position: usize,
    groups: &'a [(String, String)],
    now: u64,
) -> Service<'a> {
    let otp = &account.otp;
    let title = if account.issuer.is_empty() {
        &account.name
    } else {
        &account.issuer
    };
    let (token_type, period, counter) = match otp.kind {
        OtpKind::Totp { period } => ("TOTP", period, None),
        OtpKind::Steam { period } => ("STEAM", period, None),
        // 2FAS writes a period for every service; HOTP ignores it.
        OtpKind::Hotp { counter } => ("HOTP", 30, Some(counter)),
    };
    Service {
        name: title,
        secret: base32(account),
        updated_at: now,
        otp: Otp {
            label: crate::model::account_label(&account.issuer, &account.name),
            account: &account.name,
            issuer: &account.issuer,
            digits: otp.digits,
            period,
            algorithm: otp.algorithm.as_str(),
            token_type,
            counter,
            source: "Manual",
        },
        order: Order { position },
        icon: Icon {
            selected: "Label",
            label: IconLabel {
                text: title.chars().take(2).collect::<String>().to_uppercase(),
                background_color: "LightBlue",
            },
            icon_collection: IconCollection {
                id: ICON_COLLECTION,
            },
        },
        group_id: account.tags.first().and_then(|tag| group_id(groups, tag)),
    }
}

/// The `.2fas` file of `accounts`, encrypted when `password` is given. `now`: Unix ms.
fn file(
    accounts: &[&Account],
    password: Option<&[u8]>,
    now: u64,
) -> Result<Zeroizing<Vec<u8>>, ExportError> {
    // Only first tags become groups: a service has one.
    let groups = tag_groups(accounts.iter().filter_map(|account| account.tags.first()))?;
    let services: Vec<Service<'_>> = accounts
        .iter()
        .enumerate()
        .map(|(position, account)| service(account, position, &groups, now))
        .collect();
    let mut out = File {
        services: Vec::new(),
        groups: groups
            .iter()
            .map(|(id, name)| Group {
                id,
                name,
                is_expanded: true,
                updated_at: now,
            })
            .collect(),
        updated_at: now,
        schema_version: SCHEMA_VERSION,
        app_origin: "android",
        services_encrypted: None,
        reference: None,
    };
    match password {
        None => out.services = services,
        Some(password) => {
            let salt = random::<SALT_LEN>()?;
            let key = kdf::pbkdf2(Pbkdf2Hash::Sha256, password, &salt, PBKDF2_ITERATIONS)
                .map_err(|_| ExportError::Internal("PBKDF2 refused 2FAS's own cost"))?;
            let seal = |plain: &[u8]| -> Result<String, ExportError> {
                let iv = random::<IV_LEN>()?;
                let sealed = aes_gcm_seal(&key, &iv, plain)
                    .ok_or(ExportError::Internal("AES-GCM sealing failed"))?;
                let b64 = |bytes: &[u8]| data_encoding::BASE64.encode(bytes);
                Ok(format!("{}:{}:{}", b64(&sealed), b64(&salt), b64(&iv)))
            };
            out.services_encrypted = Some(seal(&to_json(&services)?)?);
            out.reference = Some(seal(REFERENCE.as_bytes())?);
        }
    }
    to_json(&out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::cipher::aes_gcm_open;
    use crate::model::{Algorithm, OtpParams, Secret};

    #[test]
    fn the_reference_decrypts_to_2fas_check_string_with_the_services_key() {
        let account = Account::new(
            "Forge",
            "ada",
            OtpParams {
                secret: Secret::new(b"12345678901234567890".to_vec()),
                algorithm: Algorithm::Sha1,
                digits: 6,
                kind: OtpKind::Totp { period: 30 },
            },
        );
        let bytes = file(&[&account], Some(b"password"), 1).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(json["services"].as_array().map(Vec::len), Some(0));
        let open = |field: &str| {
            let text = json[field].as_str().unwrap();
            let parts: Vec<Vec<u8>> = text
                .split(':')
                .map(|p| data_encoding::BASE64.decode(p.as_bytes()).unwrap())
                .collect();
            assert_eq!((parts[1].len(), parts[2].len()), (SALT_LEN, IV_LEN));
            let key = kdf::pbkdf2(
                Pbkdf2Hash::Sha256,
                b"password",
                &parts[1],
                PBKDF2_ITERATIONS,
            )
            .unwrap();
            (
                aes_gcm_open(&key, &parts[2], &parts[0], b"").unwrap(),
                parts,
            )
        };
        let (reference, reference_parts) = open("reference");
        assert_eq!(reference.as_slice(), REFERENCE.as_bytes());
        let (services, services_parts) = open("servicesEncrypted");
        assert_eq!(reference_parts[1], services_parts[1], "one salt");
        assert_ne!(reference_parts[2], services_parts[2], "two IVs");
        assert!(String::from_utf8_lossy(&services).contains("GEZDGNBV"));
    }
}
