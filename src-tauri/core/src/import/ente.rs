//! Ente Auth's plain text export: one `otpauth://` link a line, each with Ente's own
//! `codeDisplay` parameter.
//!
//! Read from Ente's documentation (github.com/ente-io/ente, `docs/docs/auth/migration/
//! export.md`) and its `Code` model (`auth/lib/models/code.dart`, `code_display.dart`):
//! `codeDisplay` is percent-encoded JSON `{pinned, trashed, tags, note, …}`. Tags become
//! tags, `pinned` pinned, the note the account's note; trashed entries are left out and
//! reported. Everything else of the link is read as any link ([`otpauth::parse`]).
//!
//! Ente's encrypted export ([`EnteEncrypted`]; same documentation, "Auth Encrypted Export
//! format"): `{version: 1, kdfParams: {memLimit (bytes), opsLimit, salt}, encryptedData,
//! encryptionNonce}`, Base64. The key is libsodium's `crypto_pwhash` (Argon2id v1.3, one
//! lane, memLimit / 1024 KiB, opsLimit passes; the file's own costs, capped by
//! [`super::kdf`]); `encryptedData` is one message of libsodium's XChaCha20-Poly1305
//! secretstream whose header is `encryptionNonce`, and holds the plain text export.
//! Dropped on import: last-used times, tap counts, icon choices.

use serde::Deserialize;

use super::cipher::secretstream_open;
use super::entry::{self, EntryError, Number};
use super::kdf;
use super::link::read_link;
use super::otpauth_list::lines;
use super::{Contents, Format, ImportError, Item, MAX_ENTRIES};

pub struct Ente;
pub struct EnteEncrypted;

const ENCRYPTED_NAME: &str = "Ente Auth encrypted export";
/// libsodium's `crypto_pwhash` runs Argon2id on one lane.
const ARGON2_LANES: u64 = 1;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EncryptedExport {
    kdf_params: KdfParams,
    encrypted_data: String,
    encryption_nonce: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KdfParams {
    #[serde(default)]
    mem_limit: Number,
    #[serde(default)]
    ops_limit: Number,
    #[serde(default)]
    salt: String,
}

impl Format for EnteEncrypted {
    fn name(&self) -> &'static str {
        ENCRYPTED_NAME
    }

    fn id(&self) -> &'static str {
        "ente"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        entry::json::<EncryptedExport>(bytes).is_some()
    }

    fn is_encrypted(&self, _bytes: &[u8]) -> bool {
        true
    }

    fn read(&self, bytes: &[u8], password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let wrong = || ImportError::WrongPassword {
            format: ENCRYPTED_NAME,
        };
        let export: EncryptedExport = entry::json(bytes).ok_or(ImportError::NotThisFormat {
            format: ENCRYPTED_NAME,
        })?;
        let password = password.ok_or_else(wrong)?;
        let base64 = |text: &str| {
            data_encoding::BASE64
                .decode(text.trim().as_bytes())
                .map_err(|_| damaged("a value is not Base64"))
        };
        let params = &export.kdf_params;
        let (Some(memory_bytes), Some(passes)) = (params.mem_limit.0, params.ops_limit.0) else {
            return Err(damaged("its key-derivation limits are missing"));
        };
        let key = kdf::argon2id(
            password,
            &base64(&params.salt)?,
            memory_bytes / 1024,
            passes,
            ARGON2_LANES,
        )?;
        let header = base64(&export.encryption_nonce)?;
        let sealed = base64(&export.encrypted_data)?;
        let (_tag, plain) = secretstream_open(&key, &header, &sealed).ok_or_else(wrong)?;
        read_text(&plain).map_err(|_| damaged("what it holds is not a text export"))
    }
}

fn damaged(reason: &'static str) -> ImportError {
    ImportError::Damaged {
        format: ENCRYPTED_NAME,
        reason,
    }
}

const PARAMETER: &str = "codedisplay=";

#[derive(Deserialize, Default)]
struct CodeDisplay {
    #[serde(default)]
    pinned: bool,
    #[serde(default)]
    trashed: bool,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    note: Option<String>,
}

/// True when a line of `bytes` is an `otpauth://` link with a `codeDisplay` parameter.
pub(super) fn has_code_display(bytes: &[u8]) -> bool {
    lines(bytes).is_some_and(|mut lines| lines.any(|line| code_display_of(line).is_some()))
}

/// The raw (encoded) `codeDisplay` value of a link.
fn code_display_of(line: &str) -> Option<&str> {
    let scheme = line.get(..10)?;
    if !scheme.eq_ignore_ascii_case("otpauth://") {
        return None;
    }
    let (_, query) = line.split_once('?')?;
    query.split('&').find_map(|pair| {
        let head = pair.get(..PARAMETER.len())?;
        head.eq_ignore_ascii_case(PARAMETER)
            .then(|| pair.get(PARAMETER.len()..))
            .flatten()
    })
}

impl Format for Ente {
    fn name(&self) -> &'static str {
        "Ente Auth export"
    }

    fn id(&self) -> &'static str {
        "ente"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        has_code_display(bytes)
    }

    fn read(&self, bytes: &[u8], _password: Option<&[u8]>) -> Result<Contents, ImportError> {
        read_text(bytes)
    }
}

/// The plain text export (also what the encrypted one holds): links, one a line.
pub(super) fn read_text(bytes: &[u8]) -> Result<Contents, ImportError> {
    let lines = lines(bytes).ok_or(ImportError::NotRecognised)?;
    let mut contents = Contents::default();
    for (index, line) in lines.take(MAX_ENTRIES + 1).enumerate() {
        let item = index + 1;
        let mut found = read_link(line, item);
        if let Some(raw) = code_display_of(line) {
            for entry in &mut found.items {
                if let Item::Account(account) = entry {
                    if let Err(error) = apply(raw, account) {
                        *entry = entry::problem(item, &account.issuer, &account.name, error);
                    }
                }
            }
        }
        contents.append(found);
    }
    Ok(contents)
}

/// Ente's display settings on `account`; a trashed entry is [`EntryError::Trashed`].
fn apply(raw: &str, account: &mut crate::model::Account) -> Result<(), EntryError> {
    let spaced = raw.replace('+', " ");
    let json = percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .map_err(|_| EntryError::Malformed)?;
    let display: CodeDisplay = serde_json::from_str(&json).map_err(|_| EntryError::Malformed)?;
    if display.trashed {
        return Err(EntryError::Trashed);
    }
    entry::add_tags(account, display.tags.iter().map(String::as_str))?;
    entry::set_note(account, display.note.as_deref().unwrap_or(""))?;
    account.pinned = display.pinned;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{open_bytes, Cause, Opened, FORMATS};
    use super::*;

    /// Made with libsodium 1.0.18 itself (`crypto_pwhash` Argon2id, opsLimit 2, memLimit
    /// 64 KiB; `crypto_secretstream_xchacha20poly1305_push` with TAG_FINAL), password "test":
    /// an independent writer of the format.
    const ENCRYPTED: &str = r#"{"version": 1, "kdfParams": {"memLimit": 65536, "opsLimit": 2, "salt": "AAECAwQFBgcICQoLDA0ODw=="}, "encryptedData": "rbLzuh9sH6DNxgdk+gNy0AMxw1PoXHTjh/uwZc//rCRXZjmkwdsWwsCN5kbCgUxRXG7+m8tZ139EPk257p5MDIxQY9VXnnTaOe1a8y0TnQKz5eLYQXQlFtA+iYBrYKb4TkHAu4j1egV/aTQUpFG/1ddgIQWudfJSSxxIs+wQxrZtL5aU7L5XYX2QctVduit+PCSPNKEWQz+fSIpoAeDDHvhpLWjZeWZYqy3Kh4xTOXUco85CGHZpgfzU7Yz/IiJ4KAriB1OVmPhYWnJ+Vrl3+JEGnQ1wo6wq7i1HKryvHqNPvZUgkwy9pkrzmKtalLtF", "encryptionNonce": "KVmhoK9/DlVrW/aMb8h/GBYSPYfn+Khq"}"#;

    #[test]
    fn the_encrypted_export_opens_with_its_password() {
        assert_eq!(
            open_bytes(ENCRYPTED.as_bytes(), None).ok(),
            Some(Opened::NeedsPassword {
                format: ENCRYPTED_NAME
            })
        );
        let key = kdf::argon2id(b"test", &(0u8..16).collect::<Vec<u8>>(), 64, 2, 1)
            .unwrap_or_else(|e| panic!("{e}"));
        // libsodium's own key for this file.
        assert_eq!(
            data_encoding::HEXLOWER.encode(key.as_ref()),
            "2a942611764525d207fa03491d584150bdd00a3aafd57ecdc07cca90df1d872a"
        );
        let opened = open_bytes(ENCRYPTED.as_bytes(), Some(b"test"));
        let Ok(Opened::Read(contents)) = opened else {
            panic!("not read: {opened:?}");
        };
        let [Item::Account(site), Item::Account(bank)] = contents.items.as_slice() else {
            panic!("{contents:?}");
        };
        assert_eq!(
            (site.issuer.as_str(), site.tags.as_slice()),
            ("Site", &["Work".to_string()][..])
        );
        assert!(site.pinned);
        assert_eq!(bank.otp.kind.counter(), Some(3));
        assert!(matches!(
            open_bytes(ENCRYPTED.as_bytes(), Some(b"tesT")),
            Err(ImportError::WrongPassword { .. })
        ));
        // One bit of the data flipped: the MAC refuses it, as a wrong password.
        let altered = ENCRYPTED.replacen("rbLz", "rbLy", 1);
        assert!(matches!(
            open_bytes(altered.as_bytes(), Some(b"test")),
            Err(ImportError::WrongPassword { .. })
        ));
        let costly = ENCRYPTED.replacen(r#""memLimit": 65536"#, r#""memLimit": 4294967296"#, 1);
        assert!(matches!(
            open_bytes(costly.as_bytes(), Some(b"test")),
            Err(ImportError::KdfOverLimit { .. })
        ));
    }

    fn with_display(json: &str) -> String {
        let encoded: String =
            percent_encoding::utf8_percent_encode(json, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        format!("otpauth://totp/Site:me?secret=JBSWY3DPEHPK3PXP&issuer=Site&codeDisplay={encoded}")
    }

    #[test]
    fn code_display_gives_tags_pin_and_note_and_trash_is_reported() {
        let file = [
            with_display(r#"{"pinned":true,"trashed":false,"tags":["Work","Home"],"note":"n"}"#),
            with_display(r#"{"pinned":false,"trashed":true,"tags":[]}"#),
            with_display("not json"),
            "otpauth://totp/Plain:me?secret=JBSWY3DPEHPK3PXP".to_string(),
        ]
        .join("\n");
        let recognised: Vec<&str> = FORMATS
            .iter()
            .filter(|f| f.recognises(file.as_bytes()))
            .map(|f| f.id())
            .collect();
        assert_eq!(recognised, ["ente"]);
        let Ok(Opened::Read(contents)) = open_bytes(file.as_bytes(), None) else {
            panic!("not read");
        };
        let [Item::Account(tagged), Item::Problem(trashed), Item::Problem(bad), Item::Account(plain)] =
            contents.items.as_slice()
        else {
            panic!("{contents:?}");
        };
        assert_eq!(tagged.tags, ["Work", "Home"]);
        assert!(tagged.pinned);
        assert_eq!(tagged.note, "n");
        assert_eq!((trashed.item, trashed.issuer.as_str()), (2, "Site"));
        assert_eq!(trashed.cause, Cause::InvalidEntry(EntryError::Trashed));
        assert_eq!(bad.cause, Cause::InvalidEntry(EntryError::Malformed));
        assert!(!plain.pinned && plain.tags.is_empty());
    }
}
