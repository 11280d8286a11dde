//! Aegis Authenticator's vault file (format version 1, database version 3, as Aegis 3
//! writes its exports), plain and encrypted.
//!
//! Specification: Aegis's `docs/vault.md` (github.com/beemdevelopment/Aegis), and its
//! `Vault.java` / `VaultEntry.java` / `VaultGroup.java` for the database's fields.
//! `{version: 1, header: {slots, params}, db}`. The database:
//! `{version: 3, entries, groups: [{uuid, name}], icons_optimized: true}`; each entry:
//! `{type, uuid, name, issuer, note, favorite, icon: null, info: {secret (Base32, no
//! padding), algo, digits, period | counter}, groups: [group uuids]}`.
//!
//! Plain: `slots` and `params` are null and `db` is the database object. Encrypted: a
//! random 256-bit master key seals the database's JSON with AES-256-GCM (`db` = Base64
//! with padding of the ciphertext; `params` = the nonce and tag, hex); one password slot
//! (type 1, a random UUID) holds the master key sealed with AES-256-GCM under
//! scrypt(password, 32-byte random salt, N = 2^15, r = 8, p = 1) — the key, nonce, tag
//! and salt in hex, `repaired: true` and `is_backup: false` as Aegis writes them.
//!
//! Tags become groups (one group per distinct tag, every tag of an account kept), pinned
//! becomes `favorite`, the note is kept. Lost: icons (Aegis gets none), order, times,
//! recovery codes.

use serde::Serialize;
use zeroize::Zeroizing;

use super::{
    base32, group_id, random, tag_groups, to_json, uuid_v4, About, AccountsFile, ExportError,
    Protection,
};
use crate::import::cipher::aes_gcm_seal;
use crate::import::kdf::{self, KEY_LEN};
use crate::model::{Account, OtpKind};

/// Aegis's vault file; plain or encrypted as its [`About`] says.
pub struct Aegis;

pub const PLAIN: About = About {
    id: "aegis",
    name: "Aegis vault (JSON), plain",
    protection: Protection::Plain,
    loses: LOSES,
    numbered: false,
    extension: "json",
};

pub const ENCRYPTED: About = About {
    id: "aegis-encrypted",
    name: "Aegis vault (JSON), encrypted with a password",
    protection: Protection::ExportPassword,
    loses: LOSES,
    numbered: false,
    extension: "json",
};

const LOSES: &str = "icons, order, recovery codes, clock offsets";
/// The database version Aegis writes today (groups by UUID).
const DB_VERSION: u32 = 3;
/// Aegis's scrypt parameters (`docs/vault.md`: the same as Android's disk encryption).
pub const SCRYPT_N: u64 = 1 << 15;
pub const SCRYPT_R: u64 = 8;
pub const SCRYPT_P: u64 = 1;
/// Aegis's salt: 256 random bits.
const SALT_LEN: usize = 32;
/// AES-GCM's 96-bit nonce, and its 128-bit tag.
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
/// Aegis's slot type for a password.
const PASSWORD_SLOT: u32 = 1;

impl AccountsFile for Aegis {
    fn file(
        &self,
        accounts: &[&Account],
        password: Option<&[u8]>,
    ) -> Result<Zeroizing<Vec<u8>>, ExportError> {
        match password {
            Some(password) => encrypted_file(accounts, password),
            None => plain_file(accounts),
        }
    }
}

#[derive(Serialize)]
struct File<'a, Db: Serialize + ?Sized> {
    version: u32,
    header: Header,
    db: &'a Db,
}

#[derive(Serialize)]
struct Header {
    slots: Option<Vec<Slot>>,
    params: Option<Sealing>,
}

#[derive(Serialize)]
struct Slot {
    #[serde(rename = "type")]
    kind: u32,
    uuid: String,
    key: String,
    key_params: Sealing,
    n: u64,
    r: u64,
    p: u64,
    salt: String,
    repaired: bool,
    is_backup: bool,
}

#[derive(Serialize)]
struct Sealing {
    nonce: String,
    tag: String,
}

#[derive(Serialize)]
struct Database<'a> {
    version: u32,
    entries: Vec<Entry<'a>>,
    groups: Vec<Group<'a>>,
    icons_optimized: bool,
}

#[derive(Serialize)]
struct Group<'a> {
    uuid: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct Entry<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    uuid: String,
    name: &'a str,
    issuer: &'a str,
    note: &'a str,
    favorite: bool,
    icon: Option<()>,
    info: Info,
    groups: Vec<&'a str>,
}

#[derive(Serialize)]
struct Info {
    secret: Zeroizing<String>,
    algo: &'static str,
    digits: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
}

/// The database of `accounts`, handed to `write` (as its own JSON or inside the file's).
fn with_database<R>(
    accounts: &[&Account],
    write: impl FnOnce(&Database<'_>) -> Result<R, ExportError>,
) -> Result<R, ExportError> {
    let groups = tag_groups(accounts.iter().flat_map(|account| &account.tags))?;
    let mut entries = Vec::with_capacity(accounts.len());
    for account in accounts {
        entries.push(entry(account, &groups)?);
    }
    write(&Database {
        version: DB_VERSION,
        entries,
        groups: groups
            .iter()
            .map(|(uuid, name)| Group { uuid, name })
            .collect(),
        icons_optimized: true,
    })
}

fn entry<'a>(
    account: &'a Account,
    groups: &'a [(String, String)],
) -> Result<Entry<'a>, ExportError> {
    let otp = &account.otp;
    Ok(Entry {
        kind: otp.kind.name(),
        uuid: uuid_v4()?,
        name: &account.name,
        issuer: &account.issuer,
        note: &account.note,
        favorite: account.pinned,
        icon: None,
        info: Info {
            secret: base32(account),
            algo: otp.algorithm.as_str(),
            digits: otp.digits,
            period: otp.kind.period(),
            counter: match otp.kind {
                OtpKind::Hotp { counter } => Some(counter),
                _ => None,
            },
        },
        groups: account
            .tags
            .iter()
            .filter_map(|tag| group_id(groups, tag))
            .collect(),
    })
}

fn plain_file(accounts: &[&Account]) -> Result<Zeroizing<Vec<u8>>, ExportError> {
    with_database(accounts, |db| {
        to_json(&File {
            version: 1,
            header: Header {
                slots: None,
                params: None,
            },
            db,
        })
    })
}

fn encrypted_file(
    accounts: &[&Account],
    password: &[u8],
) -> Result<Zeroizing<Vec<u8>>, ExportError> {
    let hex = |bytes: &[u8]| data_encoding::HEXLOWER.encode(bytes);
    let sealing_failed = || ExportError::Internal("AES-GCM sealing failed");
    let master = Zeroizing::new(random::<KEY_LEN>()?);
    let salt = random::<SALT_LEN>()?;
    let slot_key = kdf::scrypt(password, &salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
        .map_err(|_| ExportError::Internal("scrypt refused Aegis's own parameters"))?;
    let key_nonce = random::<NONCE_LEN>()?;
    let sealed_key =
        aes_gcm_seal(&slot_key, &key_nonce, master.as_ref()).ok_or_else(sealing_failed)?;
    let (key, key_tag) = sealed_key.split_at(KEY_LEN);

    let db_nonce = random::<NONCE_LEN>()?;
    let sealed_db = aes_gcm_seal(
        &master,
        &db_nonce,
        &with_database(accounts, |db| to_json(db))?,
    )
    .ok_or_else(sealing_failed)?;
    let (db, db_tag) = sealed_db.split_at(sealed_db.len() - TAG_LEN);

    to_json(&File {
        version: 1,
        header: Header {
            slots: Some(vec![Slot {
                kind: PASSWORD_SLOT,
                uuid: uuid_v4()?,
                key: hex(key),
                key_params: Sealing {
                    nonce: hex(&key_nonce),
                    tag: hex(key_tag),
                },
                n: SCRYPT_N,
                r: SCRYPT_R,
                p: SCRYPT_P,
                salt: hex(&salt),
                repaired: true,
                is_backup: false,
            }]),
            params: Some(Sealing {
                nonce: hex(&db_nonce),
                tag: hex(db_tag),
            }),
        },
        db: data_encoding::BASE64.encode(db).as_str(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{open_bytes, Item, Opened};
    use crate::model::{Algorithm, OtpParams, Secret};

    fn account(issuer: &str, tags: &[&str]) -> Account {
        let mut account = Account::new(
            issuer,
            "me",
            OtpParams {
                secret: Secret::new(b"12345678901234567890".to_vec()),
                algorithm: Algorithm::Sha256,
                digits: 8,
                kind: OtpKind::Totp { period: 60 },
            },
        );
        account.tags = tags.iter().map(|t| t.to_string()).collect();
        account
    }

    #[test]
    fn the_plain_file_has_aegis_shape_and_groups_by_uuid() {
        let (a, b) = (account("A", &["Work", "Home"]), account("B", &["Home"]));
        let file = plain_file(&[&a, &b]).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&file).unwrap();
        assert_eq!(json["version"], 1);
        assert!(json["header"]["slots"].is_null() && json["header"]["params"].is_null());
        assert_eq!(json["db"]["version"], 3);
        let groups = json["db"]["groups"].as_array().unwrap();
        assert_eq!(groups.len(), 2);
        let entry = &json["db"]["entries"][1];
        assert_eq!(entry["groups"][0], groups[1]["uuid"]);
        assert_eq!(entry["info"]["secret"], "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(entry["info"]["period"], 60);
        assert!(entry["info"].get("counter").is_none());
    }

    #[test]
    fn the_encrypted_file_opens_with_its_password_only() {
        let a = account("A", &["Work"]);
        let file = encrypted_file(&[&a], b"long enough").unwrap();
        let json: serde_json::Value = serde_json::from_slice(&file).unwrap();
        let slot = &json["header"]["slots"][0];
        assert_eq!(
            (slot["type"].as_u64(), slot["n"].as_u64()),
            (Some(1), Some(32768))
        );
        assert_eq!(slot["salt"].as_str().map(str::len), Some(64));
        assert!(!String::from_utf8_lossy(&file).contains("GEZDGNBV"));
        match open_bytes(&file, Some(b"long enough")) {
            Ok(Opened::Read(contents)) => {
                let [Item::Account(back)] = contents.items.as_slice() else {
                    panic!("{contents:?}");
                };
                assert_eq!(back, &a);
            }
            other => panic!("{other:?}"),
        }
        assert!(open_bytes(&file, Some(b"long enougH")).is_err());
    }
}
