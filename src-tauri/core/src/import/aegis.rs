//! Aegis Authenticator's vault export (`aegis-export-*.json`, also its automatic backups),
//! plain and encrypted.
//!
//! Specification: Aegis's `docs/vault.md` (github.com/beemdevelopment/Aegis). A JSON object
//! `{version: 1, header: {slots, params}, db}`. Plain: `slots` and `params` are null and
//! `db` is the database object. Encrypted: `db` is Base64 of AES-256-GCM ciphertext under
//! the master key (`params` holds its nonce and tag, in hex); each password slot (type 1)
//! holds the master key, AES-256-GCM-encrypted under scrypt(password, salt, n, r, p).
//! The database: `{version, entries, groups}`; each entry has `type` (totp, hotp, steam,
//! motp, yandex), `name`, `issuer`, `note`, `favorite`, `info` (`secret` in Base32, `algo`,
//! `digits`, `period`, `counter`) and its groups: a list of group uuids (database v3, names
//! in `groups`) or one `group` name (older databases). Groups become tags, `favorite`
//! becomes pinned.
//!
//! Dropped on import: icons, uuids, usage counts, biometric and raw key slots (only
//! password slots are tried), and mOTP and Yandex entries (reported as problems).

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::value::RawValue;
use zeroize::Zeroizing;

use super::cipher::aes_gcm_open;
use super::entry::{self, json, read_each, EntryError, Fields, Kind, Number};
use super::kdf::{self, KEY_LEN};
use super::{Contents, Format, ImportError, Item};

pub struct Aegis;

const NAME: &str = "Aegis backup";

/// Most password slots tried: each costs a scrypt run, and Aegis writes one or two.
const MAX_PASSWORD_SLOTS: usize = 8;
/// Aegis's slot type for a password.
const PASSWORD_SLOT: u64 = 1;

#[derive(Deserialize)]
struct File<'a> {
    version: u64,
    header: Header,
    #[serde(borrow)]
    db: &'a RawValue,
}

#[derive(Deserialize)]
struct Header {
    slots: Option<Vec<Slot>>,
    params: Option<Sealing>,
}

#[derive(Deserialize)]
struct Slot {
    #[serde(rename = "type")]
    kind: u64,
    key: Option<String>,
    key_params: Option<Sealing>,
    n: Option<u64>,
    r: Option<u64>,
    p: Option<u64>,
    salt: Option<String>,
}

#[derive(Deserialize)]
struct Sealing {
    nonce: String,
    tag: String,
}

#[derive(Deserialize)]
struct Database<'a> {
    #[serde(borrow)]
    entries: Vec<&'a RawValue>,
    #[serde(default)]
    groups: Vec<Group>,
}

#[derive(Deserialize)]
struct Group {
    uuid: String,
    name: String,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    favorite: bool,
    info: Info,
    /// Database v3: the uuids of the entry's groups.
    #[serde(default)]
    groups: Vec<String>,
    /// Older databases: the one group's name.
    #[serde(default)]
    group: Option<String>,
}

#[derive(Deserialize)]
struct Info {
    #[serde(default)]
    secret: Zeroizing<String>,
    algo: Option<String>,
    #[serde(default)]
    digits: Number,
    #[serde(default)]
    period: Number,
    #[serde(default)]
    counter: Number,
}

fn file(bytes: &[u8]) -> Option<File<'_>> {
    json::<File>(bytes).filter(|file| file.version == 1)
}

impl Format for Aegis {
    fn name(&self) -> &'static str {
        NAME
    }

    fn id(&self) -> &'static str {
        "aegis"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        file(bytes).is_some()
    }

    fn is_encrypted(&self, bytes: &[u8]) -> bool {
        file(bytes).is_some_and(|file| file.header.slots.is_some() || is_string(file.db))
    }

    fn read(&self, bytes: &[u8], password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let file = file(bytes).ok_or(ImportError::NotThisFormat { format: NAME })?;
        match (&file.header.slots, password) {
            (Some(slots), Some(password)) => {
                let plain = decrypt(slots, file.header.params.as_ref(), file.db, password)?;
                read_database(&plain)
            }
            (Some(_), None) => Err(ImportError::WrongPassword { format: NAME }),
            (None, _) => read_database(file.db.get().as_bytes()),
        }
    }
}

fn is_string(raw: &RawValue) -> bool {
    raw.get().starts_with('"')
}

fn damaged(reason: &'static str) -> ImportError {
    ImportError::Damaged {
        format: NAME,
        reason,
    }
}

fn hex(text: &str, what: &'static str) -> Result<Vec<u8>, ImportError> {
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(text.trim().as_bytes())
        .map_err(|_| damaged(what))
}

/// The database's JSON, opened with the first password slot the password fits.
fn decrypt(
    slots: &[Slot],
    params: Option<&Sealing>,
    db: &RawValue,
    password: &[u8],
) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    let params = params.ok_or_else(|| damaged("the database's nonce and tag are missing"))?;
    let db: String = serde_json::from_str(db.get())
        .map_err(|_| damaged("the encrypted database is not a text"))?;
    let mut sealed = data_encoding::BASE64
        .decode(db.trim().as_bytes())
        .map_err(|_| damaged("the encrypted database is not Base64"))?;
    sealed.extend(hex(&params.tag, "the database's tag is not hexadecimal")?);
    let nonce = hex(&params.nonce, "the database's nonce is not hexadecimal")?;

    let password_slots: Vec<&Slot> = slots.iter().filter(|s| s.kind == PASSWORD_SLOT).collect();
    if password_slots.is_empty() {
        return Err(ImportError::CannotRead {
            format: NAME,
            reason: "This Aegis backup has no password slot (it is unlocked by fingerprint only), so no password can open it. Export it from Aegis again with a password.",
        });
    }
    if password_slots.len() > MAX_PASSWORD_SLOTS {
        return Err(damaged("it has more password slots than Aegis ever writes"));
    }
    for slot in password_slots {
        let master_key = open_slot(slot, password)?;
        if let Some(master_key) = master_key {
            return aes_gcm_open(&master_key, &nonce, &sealed, b"")
                .ok_or_else(|| damaged("the database does not match its key"));
        }
    }
    Err(ImportError::WrongPassword { format: NAME })
}

/// The master key in `slot` when `password` opens it.
fn open_slot(
    slot: &Slot,
    password: &[u8],
) -> Result<Option<Zeroizing<[u8; KEY_LEN]>>, ImportError> {
    let missing = || damaged("a password slot lacks its key, salt or scrypt parameters");
    let (Some(key), Some(sealing), Some(n), Some(r), Some(p), Some(salt)) = (
        &slot.key,
        &slot.key_params,
        slot.n,
        slot.r,
        slot.p,
        &slot.salt,
    ) else {
        return Err(missing());
    };
    let salt = hex(salt, "a slot's salt is not hexadecimal")?;
    let nonce = hex(&sealing.nonce, "a slot's nonce is not hexadecimal")?;
    let mut sealed = hex(key, "a slot's key is not hexadecimal")?;
    sealed.extend(hex(&sealing.tag, "a slot's tag is not hexadecimal")?);
    let slot_key = kdf::scrypt(password, &salt, n, r, p)?;
    let Some(master) = aes_gcm_open(&slot_key, &nonce, &sealed, b"") else {
        return Ok(None);
    };
    let master: [u8; KEY_LEN] = master
        .as_slice()
        .try_into()
        .map_err(|_| damaged("the master key is not 32 bytes long"))?;
    Ok(Some(Zeroizing::new(master)))
}

pub(super) fn read_database(json: &[u8]) -> Result<Contents, ImportError> {
    let database: Database =
        serde_json::from_slice(json).map_err(|_| damaged("its database is not Aegis's"))?;
    let groups = entry::names(
        database
            .groups
            .iter()
            .map(|g| (g.uuid.as_str(), g.name.as_str())),
    );
    let groups = &groups;
    read_each(&database.entries, |item, entry: Entry| {
        Some(
            read_entry(entry, groups).unwrap_or_else(|(issuer, name, error)| {
                entry::problem(item, &issuer, &name, error)
            }),
        )
    })
}

fn read_entry(
    entry: Entry,
    groups: &HashMap<&str, &str>,
) -> Result<Item, (String, String, EntryError)> {
    let fail = |error| (entry.issuer.clone(), entry.name.clone(), error);
    let kind = Kind::named(&entry.kind).map_err(fail)?;
    let fields = Fields {
        issuer: &entry.issuer,
        name: &entry.name,
        secret: &entry.info.secret,
        algorithm: entry.info.algo.as_deref(),
        digits: entry.info.digits.0,
        period: entry.info.period.0,
        counter: entry.info.counter.0,
    };
    let mut account = entry::account(kind, &fields).map_err(fail)?;
    let named_groups = entry
        .groups
        .iter()
        .filter_map(|uuid| groups.get(uuid.as_str()).copied());
    entry::add_tags(
        &mut account,
        entry.group.as_deref().into_iter().chain(named_groups),
    )
    .map_err(fail)?;
    entry::set_note(&mut account, entry.note.as_deref().unwrap_or("")).map_err(fail)?;
    account.pinned = entry.favorite;
    Ok(Item::Account(account))
}

#[cfg(test)]
mod tests {
    use super::super::cipher::testing::aes_gcm_seal;
    use super::super::{open_bytes, Cause, Opened};
    use super::*;

    const GOOD: &str = r#"{"type":"totp","name":"me","issuer":"Good","favorite":true,"note":"n",
        "groups":["g1"],"info":{"secret":"JBSWY3DPEHPK3PXP","algo":"SHA256","digits":8,"period":60}}"#;
    const HOTP: &str = r#"{"type":"hotp","name":"you","issuer":"Old","group":"Legacy",
        "info":{"secret":"JBSWY3DPEHPK3PXP","algo":"SHA1","digits":6,"counter":7}}"#;
    const MOTP: &str = r#"{"type":"motp","name":"m","issuer":"Mobile","info":{"secret":"JBSWY3DPEHPK3PXP","pin":"1234"}}"#;
    const BROKEN: &str =
        r#"{"type":"totp","name":"b","issuer":"Broken","info":{"secret":"not base32!"}}"#;

    fn database() -> String {
        format!(
            r#"{{"version":3,"entries":[{GOOD},{MOTP},{BROKEN},{HOTP},42],"groups":[{{"uuid":"g1","name":"Work"}}]}}"#
        )
    }

    fn plain_file() -> String {
        format!(
            r#"{{"version":1,"header":{{"slots":null,"params":null}},"db":{}}}"#,
            database()
        )
    }

    /// An encrypted export as Aegis writes it, with a cheap scrypt (N = 2^4).
    fn encrypted_file(password: &[u8]) -> String {
        let master = [9u8; KEY_LEN];
        let slot_key =
            kdf::scrypt(password, b"saltsalt", 16, 8, 1).unwrap_or_else(|e| panic!("{e}"));
        let sealed_key = aes_gcm_seal(&slot_key, &[1; 12], &master);
        let (key, key_tag) = sealed_key.split_at(KEY_LEN);
        let sealed_db = aes_gcm_seal(&master, &[2; 12], database().as_bytes());
        let (db, db_tag) = sealed_db.split_at(sealed_db.len() - 16);
        let hex = |b: &[u8]| data_encoding::HEXLOWER.encode(b);
        format!(
            r#"{{"version":1,"header":{{"slots":[{{"type":2,"uuid":"x"}},{{"type":1,"uuid":"y","key":"{}","key_params":{{"nonce":"{}","tag":"{}"}},"n":16,"r":8,"p":1,"salt":"{}"}}],"params":{{"nonce":"{}","tag":"{}"}}}},"db":"{}"}}"#,
            hex(key),
            hex(&[1; 12]),
            hex(key_tag),
            hex(b"saltsalt"),
            hex(&[2; 12]),
            hex(db_tag),
            data_encoding::BASE64.encode(db)
        )
    }

    fn read(bytes: &[u8], password: Option<&[u8]>) -> Contents {
        match open_bytes(bytes, password) {
            Ok(Opened::Read(contents)) => contents,
            other => panic!("expected contents: {other:?}"),
        }
    }

    fn check_entries(contents: &Contents) {
        let [Item::Account(good), Item::Problem(motp), Item::Problem(broken), Item::Account(hotp), Item::Problem(number)] =
            contents.items.as_slice()
        else {
            panic!("{contents:?}");
        };
        assert_eq!((good.issuer.as_str(), good.otp.digits), ("Good", 8));
        assert_eq!(good.tags, ["Work"]);
        assert!(good.pinned);
        assert_eq!(good.note, "n");
        assert_eq!(hotp.tags, ["Legacy"]);
        assert_eq!(hotp.otp.kind.counter(), Some(7));
        assert!(matches!(
            &motp.cause,
            Cause::InvalidEntry(EntryError::UnsupportedKind { kind }) if kind == "motp"
        ));
        assert_eq!((motp.item, motp.issuer.as_str()), (2, "Mobile"));
        assert_eq!(broken.issuer, "Broken");
        assert_eq!(number.cause, Cause::InvalidEntry(EntryError::Malformed));
    }

    #[test]
    fn a_plain_export_gives_each_entry_with_tags_and_pin() {
        let file = plain_file();
        assert!(!Aegis.is_encrypted(file.as_bytes()));
        check_entries(&read(file.as_bytes(), None));
    }

    #[test]
    fn an_encrypted_export_asks_for_its_password_and_opens_with_it() {
        let file = encrypted_file(b"hunter2");
        assert_eq!(
            open_bytes(file.as_bytes(), None).ok(),
            Some(Opened::NeedsPassword { format: NAME })
        );
        check_entries(&read(file.as_bytes(), Some(b"hunter2")));
        assert!(matches!(
            open_bytes(file.as_bytes(), Some(b"wrong")),
            Err(ImportError::WrongPassword { .. })
        ));
    }

    #[test]
    fn a_cut_short_or_hostile_file_is_a_clear_error() {
        let file = encrypted_file(b"pw");
        let cut = &file.as_bytes()[..file.len() / 2];
        assert!(matches!(
            open_bytes(cut, Some(b"pw")),
            Err(ImportError::NotRecognised)
        ));
        let costly = file.replace(r#""n":16"#, r#""n":4194304"#);
        assert!(matches!(
            open_bytes(costly.as_bytes(), Some(b"pw")),
            Err(ImportError::KdfOverLimit { .. })
        ));
        let damaged_db = file.replace(r#""db":""#, r#""db":"AAAA"#);
        assert!(matches!(
            open_bytes(damaged_db.as_bytes(), Some(b"pw")),
            Err(ImportError::Damaged { .. })
        ));
    }
}
