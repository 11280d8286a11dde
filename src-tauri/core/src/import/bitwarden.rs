//! Bitwarden's vault exports (JSON and CSV) and the Bitwarden Authenticator app's JSON
//! export: the logins' `totp` fields.
//!
//! Read from Bitwarden's help pages ("Export vault data", "Encrypted exports", "Condition a
//! Bitwarden .csv or .json") and its clients' source (github.com/bitwarden/clients:
//! `BitwardenJsonExport` types, the password-protected importer; github.com/bitwarden/
//! sdk-internal: `bitwarden-crypto` KDF, key stretching and `EncString`).
//! JSON: `{encrypted: false, folders, items}`; each item of type 1 (login) has `name`,
//! `folderId`, `favorite`, `notes` and `login: {username, totp}`. The Authenticator app
//! writes the same shape without folders. `totp` is an `otpauth://` link, a bare Base32
//! secret or `steam://SECRET`; the item's name stands in for a missing issuer and the
//! login's username for a missing account name. Folders become tags, favourites pinned.
//! CSV: a header row naming the columns (`folder`, `favorite`, `name`, `login_username`,
//! `login_totp`, …), one item a row.
//! Password-protected JSON: `{encrypted: true, passwordProtected: true, salt, kdfType (0
//! PBKDF2-SHA256, 1 Argon2id), kdfIterations, kdfMemory (MiB), kdfParallelism,
//! encKeyValidation_DO_NOT_EDIT, data}`. The key: PBKDF2(password, salt) or
//! Argon2id(password, SHA-256(salt)), stretched by HKDF-Expand-SHA256 into an encryption
//! key ("enc") and a MAC key ("mac"). Each value is an `EncString` "2.IV|DATA|MAC" (Base64):
//! AES-256-CBC, and HMAC-SHA256 over IV‖DATA, checked before anything is decrypted.
//! `data` holds the plain JSON export. Account-restricted exports (`encrypted: true`
//! without `passwordProtected`) are sealed with the Bitwarden account's own key and are
//! refused with that reason.
//!
//! Dropped on import: everything but the TOTP of each login (passwords, URIs, notes, cards,
//! identities, secure notes, custom fields, collections); items without a TOTP are skipped.

use serde::Deserialize;
use serde_json::value::RawValue;
use zeroize::Zeroizing;

use super::cipher::{aes_cbc_open, hmac_sha256_matches};
use super::entry::{self, bounded, json, read_each, EntryError, Fields, Kind, Number};
use super::kdf::{self, Key, Pbkdf2Hash, KEY_LEN};
use super::{Cause, Contents, Format, ImportError, Item, Problem, MAX_ENTRIES};
use crate::model::Account;
use crate::otpauth;

pub struct BitwardenJson;
pub struct BitwardenCsv;

const NAME: &str = "Bitwarden export";
const CSV_NAME: &str = "Bitwarden CSV export";
const ID: &str = "bitwarden";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Export<'a> {
    encrypted: bool,
    #[serde(default)]
    password_protected: bool,
    #[serde(borrow, default)]
    items: Option<Vec<&'a RawValue>>,
    #[serde(default)]
    folders: Option<Vec<Folder>>,
    salt: Option<String>,
    #[serde(default)]
    kdf_type: Number,
    #[serde(default)]
    kdf_iterations: Number,
    #[serde(default)]
    kdf_memory: Number,
    #[serde(default)]
    kdf_parallelism: Number,
    #[serde(rename = "encKeyValidation_DO_NOT_EDIT")]
    key_check: Option<String>,
    data: Option<String>,
}

#[derive(Deserialize)]
struct Folder {
    id: String,
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Cipher {
    #[serde(default)]
    name: Option<String>,
    folder_id: Option<String>,
    #[serde(default)]
    favorite: bool,
    login: Option<Login>,
}

#[derive(Deserialize)]
struct Login {
    username: Option<String>,
    totp: Option<Zeroizing<String>>,
}

impl Format for BitwardenJson {
    fn name(&self) -> &'static str {
        NAME
    }

    fn id(&self) -> &'static str {
        ID
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        json::<Export>(bytes).is_some()
    }

    fn is_encrypted(&self, bytes: &[u8]) -> bool {
        json::<Export>(bytes).is_some_and(|export| export.encrypted && export.password_protected)
    }

    fn read(&self, bytes: &[u8], password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let export: Export = json(bytes).ok_or(ImportError::NotThisFormat { format: NAME })?;
        if !export.encrypted {
            return read_items(&export);
        }
        if !export.password_protected {
            return Err(ImportError::CannotRead {
                format: NAME,
                reason: "This Bitwarden export is account-restricted: it is encrypted with the Bitwarden account's own key, which never leaves Bitwarden, so no other app can read it. Export again from Bitwarden choosing \"Password protected\" (or an unencrypted .json), and import that file.",
            });
        }
        let password = password.ok_or(ImportError::WrongPassword { format: NAME })?;
        let (enc_key, mac_key) = derive_keys(&export, password)?;
        let check = export
            .key_check
            .as_deref()
            .ok_or_else(|| damaged("its key check is missing"))?;
        open(check, &enc_key, &mac_key)?.ok_or(ImportError::WrongPassword { format: NAME })?;
        let data = export
            .data
            .as_deref()
            .ok_or_else(|| damaged("its data is missing"))?;
        let plain = open(data, &enc_key, &mac_key)?
            .ok_or_else(|| damaged("its data does not match its MAC"))?;
        read_decrypted(&plain)
    }
}

/// The `data` of a password-protected export, once decrypted: a plain export.
pub(super) fn read_decrypted(plain: &[u8]) -> Result<Contents, ImportError> {
    let inner: Export = json(plain).ok_or_else(|| damaged("its data is not an export"))?;
    if inner.encrypted {
        return Err(damaged("its data is encrypted again"));
    }
    read_items(&inner)
}

fn damaged(reason: &'static str) -> ImportError {
    ImportError::Damaged {
        format: NAME,
        reason,
    }
}

/// The encryption and MAC keys of a password-protected export.
fn derive_keys(export: &Export<'_>, password: &[u8]) -> Result<(Key, Key), ImportError> {
    let salt = export
        .salt
        .as_deref()
        .ok_or_else(|| damaged("its salt is missing"))?;
    let iterations = export
        .kdf_iterations
        .0
        .ok_or_else(|| damaged("its KDF iterations are missing"))?;
    let master = match export.kdf_type.0 {
        Some(0) => kdf::pbkdf2(Pbkdf2Hash::Sha256, password, salt.as_bytes(), iterations)?,
        Some(1) => {
            let memory_mib = export
                .kdf_memory
                .0
                .ok_or_else(|| damaged("its Argon2 memory is missing"))?;
            let lanes = export
                .kdf_parallelism
                .0
                .ok_or_else(|| damaged("its Argon2 parallelism is missing"))?;
            let salt = ring::digest::digest(&ring::digest::SHA256, salt.as_bytes());
            kdf::argon2id(
                password,
                salt.as_ref(),
                memory_mib.saturating_mul(1024),
                iterations,
                lanes,
            )?
        }
        _ => return Err(damaged("its KDF type is not one Bitwarden uses")),
    };
    let prk = ring::hkdf::Prk::new_less_safe(ring::hkdf::HKDF_SHA256, master.as_ref());
    let expand = |info: &[u8]| -> Result<Key, ImportError> {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        prk.expand(&[info], ring::hkdf::HKDF_SHA256)
            .and_then(|okm| okm.fill(key.as_mut()))
            .map_err(|_| damaged("its key could not be stretched"))?;
        Ok(key)
    };
    Ok((expand(b"enc")?, expand(b"mac")?))
}

/// An `EncString` of type 2 ("2.IV|DATA|MAC"): `None` when the MAC does not match, which
/// is checked before any decryption.
fn open(
    enc_string: &str,
    enc_key: &Key,
    mac_key: &Key,
) -> Result<Option<Zeroizing<Vec<u8>>>, ImportError> {
    let body = enc_string
        .trim()
        .strip_prefix("2.")
        .ok_or_else(|| damaged("a value is not AES-CBC with HMAC (type 2)"))?;
    let parts: Vec<&str> = body.split('|').collect();
    let [iv, data, mac] = parts.as_slice() else {
        return Err(damaged("a value is not IV|DATA|MAC"));
    };
    let base64 = |text: &str| {
        data_encoding::BASE64
            .decode(text.as_bytes())
            .map_err(|_| damaged("a value is not Base64"))
    };
    let (iv, data, mac) = (base64(iv)?, base64(data)?, base64(mac)?);
    let signed = [iv.as_slice(), data.as_slice()].concat();
    if !hmac_sha256_matches(mac_key.as_ref(), &signed, &mac) {
        return Ok(None);
    }
    aes_cbc_open(enc_key, &iv, &data)
        .map(Some)
        .ok_or_else(|| damaged("a value's padding is wrong"))
}

fn read_items(export: &Export<'_>) -> Result<Contents, ImportError> {
    let items = export.items.as_deref().unwrap_or_default();
    let folders = export.folders.as_deref().unwrap_or_default();
    let folders = entry::names(folders.iter().map(|f| (f.id.as_str(), f.name.as_str())));
    read_each(items, |item, cipher: Cipher| {
        // Cards, notes and logins without a TOTP are not authenticator entries.
        let login = cipher.login.as_ref()?;
        let totp = login.totp.as_deref().filter(|t| !t.trim().is_empty())?;
        let folder = cipher
            .folder_id
            .as_deref()
            .and_then(|id| folders.get(id).copied());
        let found = totp_account(
            totp,
            cipher.name.as_deref().unwrap_or(""),
            login.username.as_deref().unwrap_or(""),
            item,
        );
        Some(finish(found, folder, cipher.favorite, item))
    })
}

fn finish(
    found: Result<Account, Box<Problem>>,
    folder: Option<&str>,
    pinned: bool,
    item: usize,
) -> Item {
    match found {
        Ok(mut account) => {
            if let Err(error) = entry::add_tags(&mut account, folder) {
                return entry::problem(item, &account.issuer, &account.name, error);
            }
            account.pinned = pinned;
            Item::Account(account)
        }
        Err(problem) => Item::Problem(*problem),
    }
}

/// The account of a login's `totp` field: a link, `steam://SECRET` or a bare secret.
/// `title` and `username` fill in what the field does not say.
fn totp_account(
    totp: &str,
    title: &str,
    username: &str,
    item: usize,
) -> Result<Account, Box<Problem>> {
    let totp = totp.trim();
    let scheme = |prefix: &str| {
        totp.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    if scheme("otpauth://") {
        let mut account = otpauth::parse(totp)
            .map_err(|error| entry::problem_of(item, title, username, Cause::InvalidLink(error)))?;
        if account.issuer.is_empty() {
            account.issuer = bounded(title);
        }
        if account.name.is_empty() {
            account.name = bounded(username);
        }
        return Ok(account);
    }
    let (kind, secret) = match totp.get("steam://".len()..) {
        Some(secret) if scheme("steam://") => (Kind::Steam, secret),
        _ => (Kind::Totp, totp),
    };
    let fields = Fields {
        issuer: title,
        name: username,
        secret,
        ..Fields::default()
    };
    entry::account(kind, &fields).map_err(|error| {
        Box::new(entry::problem_of(
            item,
            title,
            username,
            Cause::InvalidEntry(error),
        ))
    })
}

/// The CSV's header row, when it names the `login_totp` column.
fn csv_columns(bytes: &[u8]) -> Option<Vec<String>> {
    let text = entry::without_bom(bytes);
    let first_line = text.split(|&b| b == b'\n').next()?;
    let header = std::str::from_utf8(first_line).ok()?;
    let columns: Vec<String> = header
        .trim_end_matches('\r')
        .split(',')
        .map(|column| column.trim().trim_matches('"').to_owned())
        .collect();
    columns.iter().any(|c| c == "login_totp").then_some(columns)
}

impl Format for BitwardenCsv {
    fn name(&self) -> &'static str {
        CSV_NAME
    }

    fn id(&self) -> &'static str {
        ID
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        csv_columns(bytes).is_some()
    }

    fn read(&self, bytes: &[u8], _password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let columns = csv_columns(bytes).ok_or(ImportError::NotThisFormat { format: CSV_NAME })?;
        let column = |name: &str| columns.iter().position(|c| c == name);
        let (totp_at, name_at, user_at, folder_at, favorite_at) = (
            column("login_totp"),
            column("name"),
            column("login_username"),
            column("folder"),
            column("favorite"),
        );
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(entry::without_bom(bytes));
        let mut contents = Contents::default();
        for (index, record) in reader.records().enumerate() {
            let item = index + 1;
            if item > MAX_ENTRIES {
                return Err(ImportError::TooManyEntries);
            }
            let Ok(record) = record else {
                contents
                    .items
                    .push(entry::problem(item, "", "", EntryError::Malformed));
                continue;
            };
            let field = |at: Option<usize>| at.and_then(|at| record.get(at)).unwrap_or("");
            let totp = Zeroizing::new(field(totp_at).to_owned());
            if totp.trim().is_empty() {
                continue;
            }
            let folder = Some(field(folder_at)).filter(|f| !f.trim().is_empty());
            let pinned = field(favorite_at).trim() == "1";
            let found = totp_account(&totp, field(name_at), field(user_at), item);
            contents.items.push(finish(found, folder, pinned, item));
        }
        Ok(contents)
    }
}

#[cfg(test)]
mod tests;
