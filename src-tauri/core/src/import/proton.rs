//! Proton Authenticator's JSON export, plain and password-protected.
//!
//! Read from Proton's exporter (github.com/protonpass/proton-pass-common,
//! `proton-authenticator/src/entry/exporter.rs` and `password_exporter.rs`). Plain:
//! `{version: 1, entries: [{id, content: {uri, entry_type, name}, note}]}`. Each `uri` is an
//! `otpauth://` link (Steam entries: `steam://SECRET`); `name` stands in for a link without
//! an account name, and `note` is kept as the account's note.
//! Password-protected: `{version: 1, salt, content}`, Base64: `content` is a 12-byte nonce,
//! then AES-256-GCM ciphertext and tag of the plain export, with the associated data
//! "proton.authenticator.export.v1", under Argon2id(password, salt; 19 MiB, 2 passes,
//! 1 lane), costs fixed by the format.
//!
//! Dropped on import: entry ids and order.

use serde::Deserialize;
use serde_json::value::RawValue;
use zeroize::Zeroizing;

use super::cipher::aes_gcm_open;
use super::entry::{self, bounded, json, read_each, Fields, Kind};
use super::kdf;
use super::{Cause, Contents, Format, ImportError, Item, Problem};
use crate::otpauth;

pub struct Proton;

const NAME: &str = "Proton Authenticator export";

/// The password-protected form's fixed costs, nonce and associated data.
const ARGON2_MEMORY_KIB: u64 = 19 * 1024;
const ARGON2_PASSES: u64 = 2;
const ARGON2_LANES: u64 = 1;
const NONCE_LEN: usize = 12;
const ASSOCIATED_DATA: &[u8] = b"proton.authenticator.export.v1";

#[derive(Deserialize)]
struct Protected {
    version: u64,
    salt: String,
    content: String,
}

fn protected(bytes: &[u8]) -> Option<Protected> {
    json::<Protected>(bytes).filter(|file| file.version >= 1)
}

#[derive(Deserialize)]
struct Export<'a> {
    version: u64,
    #[serde(borrow)]
    entries: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct Entry {
    content: Content,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
struct Content {
    uri: Zeroizing<String>,
    #[serde(default)]
    name: String,
}

/// Enough of an entry to know the file is Proton's: it has `content`.
#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "content")]
    _content: serde::de::IgnoredAny,
}

fn export(bytes: &[u8]) -> Option<Export<'_>> {
    json::<Export>(bytes).filter(|export| {
        export.version >= 1
            && export
                .entries
                .first()
                .is_some_and(|first| json::<Probe>(first.get().as_bytes()).is_some())
    })
}

impl Format for Proton {
    fn name(&self) -> &'static str {
        NAME
    }

    fn id(&self) -> &'static str {
        "proton"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        export(bytes).is_some() || protected(bytes).is_some()
    }

    fn is_encrypted(&self, bytes: &[u8]) -> bool {
        protected(bytes).is_some()
    }

    fn read(&self, bytes: &[u8], password: Option<&[u8]>) -> Result<Contents, ImportError> {
        if let Some(file) = protected(bytes) {
            let password = password.ok_or(ImportError::WrongPassword { format: NAME })?;
            let plain = decrypt(&file, password)?;
            return read_plain(&plain).map_err(|_| damaged("what it holds is not an export"));
        }
        read_plain(bytes)
    }
}

/// A plain export, or what a password-protected one holds.
pub(super) fn read_plain(bytes: &[u8]) -> Result<Contents, ImportError> {
    let export = export(bytes).ok_or(ImportError::NotThisFormat { format: NAME })?;
    read_each(&export.entries, |item, entry: Entry| {
        Some(read_entry(item, &entry))
    })
}

fn damaged(reason: &'static str) -> ImportError {
    ImportError::Damaged {
        format: NAME,
        reason,
    }
}

fn decrypt(file: &Protected, password: &[u8]) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    let base64 = |text: &str| {
        data_encoding::BASE64
            .decode(text.trim().as_bytes())
            .map_err(|_| damaged("its salt or content is not Base64"))
    };
    let (salt, content) = (base64(&file.salt)?, base64(&file.content)?);
    let (nonce, sealed) = content
        .split_at_checked(NONCE_LEN)
        .ok_or_else(|| damaged("its content ends before the nonce"))?;
    let key = kdf::argon2id(
        password,
        &salt,
        ARGON2_MEMORY_KIB,
        ARGON2_PASSES,
        ARGON2_LANES,
    )?;
    aes_gcm_open(&key, nonce, sealed, ASSOCIATED_DATA)
        .ok_or(ImportError::WrongPassword { format: NAME })
}

fn read_entry(item: usize, entry: &Entry) -> Item {
    let uri = entry.content.uri.trim();
    let title = entry.content.name.as_str();
    let found = match uri.get(.."steam://".len()) {
        Some(head) if head.eq_ignore_ascii_case("steam://") => {
            let fields = Fields {
                issuer: "Steam",
                name: title,
                secret: uri.get("steam://".len()..).unwrap_or(""),
                ..Fields::default()
            };
            entry::account(Kind::Steam, &fields)
                .map_err(|error| entry::problem(item, "Steam", title, error))
        }
        _ => otpauth::parse(uri).map_err(|error| {
            Item::Problem(Problem {
                item,
                issuer: String::new(),
                name: bounded(title),
                cause: Cause::InvalidLink(error),
            })
        }),
    };
    let mut account = match found {
        Ok(account) => account,
        Err(problem) => return problem,
    };
    if account.name.is_empty() {
        account.name = bounded(title);
    }
    if let Err(error) = entry::set_note(&mut account, entry.note.as_deref().unwrap_or("")) {
        return entry::problem(item, &account.issuer, &account.name, error);
    }
    Item::Account(account)
}

#[cfg(test)]
mod tests {
    use super::super::cipher::testing::aes_gcm_seal_with;
    use super::super::{open_bytes, Opened};
    use super::*;

    #[test]
    fn password_protected_exports_open_with_the_password() {
        let plain = r#"{"version":1,"entries":[{"id":"1","content":{"uri":"otpauth://totp/Site:me?secret=JBSWY3DPEHPK3PXP","entry_type":"Totp","name":"me"},"note":null}]}"#;
        let salt = [7u8; 16];
        let key = kdf::argon2id(b"pw", &salt, ARGON2_MEMORY_KIB, ARGON2_PASSES, ARGON2_LANES)
            .unwrap_or_else(|e| panic!("{e}"));
        let nonce = [9u8; NONCE_LEN];
        let mut content = nonce.to_vec();
        content.extend(aes_gcm_seal_with(
            &key,
            &nonce,
            plain.as_bytes(),
            ASSOCIATED_DATA,
        ));
        let b64 = |b: &[u8]| data_encoding::BASE64.encode(b);
        let file = format!(
            r#"{{"version":1,"salt":"{}","content":"{}"}}"#,
            b64(&salt),
            b64(&content)
        );
        assert_eq!(
            open_bytes(file.as_bytes(), None).ok(),
            Some(Opened::NeedsPassword { format: NAME })
        );
        let Ok(Opened::Read(contents)) = open_bytes(file.as_bytes(), Some(b"pw")) else {
            panic!("not read");
        };
        assert!(matches!(contents.items.as_slice(), [Item::Account(a)] if a.issuer == "Site"));
        assert!(matches!(
            open_bytes(file.as_bytes(), Some(b"px")),
            Err(ImportError::WrongPassword { .. })
        ));
        let cut = format!(
            r#"{{"version":1,"salt":"{}","content":"AAAA"}}"#,
            b64(&salt)
        );
        assert!(matches!(
            open_bytes(cut.as_bytes(), Some(b"pw")),
            Err(ImportError::Damaged { .. })
        ));
    }

    #[test]
    fn entries_are_read_one_by_one() {
        let file = r#"{"version":1,"entries":[
            {"id":"1","content":{"uri":"otpauth://totp/Site:me?secret=JBSWY3DPEHPK3PXP","entry_type":"Totp","name":"me"},"note":"kept"},
            {"id":"2","content":{"uri":"otpauth://totp/Broken?secret=not-base32!","entry_type":"Totp","name":"b"},"note":null},
            {"id":"3","content":{"uri":"steam://JBSWY3DPEHPK3PXP","entry_type":"Steam","name":"gamer"},"note":null},
            {"id":"4","content":{"uri":"otpauth://totp/?secret=JBSWY3DPEHPK3PXP&issuer=X","entry_type":"Totp","name":"titled"}}
        ]}"#;
        let Ok(Opened::Read(contents)) = open_bytes(file.as_bytes(), None) else {
            panic!("not read");
        };
        let [Item::Account(site), Item::Problem(broken), Item::Account(steam), Item::Account(titled)] =
            contents.items.as_slice()
        else {
            panic!("{contents:?}");
        };
        assert_eq!((site.issuer.as_str(), site.note.as_str()), ("Site", "kept"));
        assert_eq!((broken.item, broken.name.as_str()), (2, "b"));
        assert!(matches!(broken.cause, Cause::InvalidLink(_)));
        assert_eq!(
            (steam.otp.kind.name(), steam.name.as_str()),
            ("steam", "gamer")
        );
        assert_eq!(titled.name, "titled");
    }
}
