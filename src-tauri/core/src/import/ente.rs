//! Ente Auth's plain text export: one `otpauth://` link a line, each with Ente's own
//! `codeDisplay` parameter.
//!
//! Read from Ente's documentation (github.com/ente-io/ente, `docs/docs/auth/migration/
//! export.md`) and its `Code` model (`auth/lib/models/code.dart`, `code_display.dart`):
//! `codeDisplay` is percent-encoded JSON `{pinned, trashed, tags, note, …}`. Tags become
//! tags, `pinned` pinned, the note the account's note; trashed entries are left out and
//! reported. Everything else of the link is read as any link ([`otpauth::parse`]).
//!
//! Not read yet: Ente's encrypted export (`{version, kdfParams: {memLimit, opsLimit, salt},
//! encryptedData, encryptionNonce}`: Argon2id, then libsodium's XChaCha20-Poly1305
//! secretstream). It is recognised ([`EnteEncrypted`]) and refused with a sentence saying
//! how to export in plain text, rather than asking for a password it cannot use.
//! Dropped on import: last-used times, tap counts, icon choices.

use serde::Deserialize;

use super::entry::{self, EntryError};
use super::link::read_link;
use super::otpauth_list::lines;
use super::{Contents, Format, ImportError, Item, MAX_ENTRIES};

pub struct Ente;
pub struct EnteEncrypted;

const ENCRYPTED_NAME: &str = "Ente Auth encrypted export (recognised, not read yet)";

/// Enough of Ente's encrypted export to know it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EncryptedExport {
    #[serde(rename = "kdfParams")]
    _kdf_params: serde::de::IgnoredAny,
    #[serde(rename = "encryptedData")]
    _encrypted_data: serde::de::IgnoredAny,
    #[serde(rename = "encryptionNonce")]
    _encryption_nonce: serde::de::IgnoredAny,
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

    fn read(&self, _bytes: &[u8], _password: Option<&[u8]>) -> Result<Contents, ImportError> {
        Err(ImportError::CannotRead {
            format: ENCRYPTED_NAME,
            reason: "Ringlet cannot read Ente Auth's encrypted export yet. In Ente Auth, export again choosing plain text, import that file, then delete it.",
        })
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

    #[test]
    fn the_encrypted_export_is_refused_without_asking_a_password() {
        let file = r#"{"version":1,"kdfParams":{"memLimit":4096,"opsLimit":3,"salt":"c2FsdA=="},"encryptedData":"AAAA","encryptionNonce":"AAAA"}"#;
        let error = open_bytes(file.as_bytes(), None).expect_err("refused");
        assert!(matches!(error, ImportError::CannotRead { .. }));
        assert!(error.to_string().contains("plain text"), "{error}");
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
