//! Authy's token store on Android (`com.authy.storage.tokens.authenticator.xml`, copied from
//! a rooted phone or a backup), plain and with encrypted secrets.
//!
//! Read from Aegis's documentation of its Authy importer and Authy's shared-preferences file
//! as it appears on devices: an Android shared-preferences XML `<map>` whose `<string
//! name="com.authy.storage.tokens.authenticator.key">` holds, XML-escaped, a JSON list of
//! tokens: `originalIssuer`, `originalName` ("Issuer:Account"), `name`, `digits` and the key,
//! either as `decryptedSecret` (Base32) or as `encryptedSecret` (Base64) with its own `salt`:
//! AES-256-CBC (PKCS#7, zero IV) under PBKDF2-HMAC-SHA1(backup password, salt, 1000
//! iterations). Authy's third-party tokens are TOTP, SHA-1, 30 seconds.
//!
//! Not read: Authy's own 7-digit tokens (another store, `com.authy.storage.tokens.authy`).
//! Dropped on import: logos, timestamps, upload state.

use serde::Deserialize;
use serde_json::value::RawValue;
use zeroize::Zeroizing;

use super::cipher::{aes_cbc_open, AES_BLOCK_LEN};
use super::entry::{self, json_list, read_each, EntryError, Fields, Kind, Number};
use super::kdf::{self, Pbkdf2Hash};
use super::prefs::unescape;
use super::{Contents, Format, ImportError, Item};
use crate::otpauth;

pub struct Authy;

const NAME: &str = "Authy token store";
const ELEMENT: &str = r#"<string name="com.authy.storage.tokens.authenticator.key">"#;
/// Authy's fixed PBKDF2 cost for backup-password-encrypted secrets.
const PBKDF2_ITERATIONS: u64 = 1000;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Token {
    #[serde(default)]
    original_issuer: Option<String>,
    #[serde(default)]
    original_name: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    digits: Number,
    #[serde(default)]
    decrypted_secret: Option<Zeroizing<String>>,
    #[serde(default)]
    encrypted_secret: Option<String>,
    #[serde(default)]
    salt: Option<String>,
}

/// The JSON text of the token list, XML entities resolved.
fn tokens_json(bytes: &[u8]) -> Option<Zeroizing<String>> {
    let text = std::str::from_utf8(entry::without_bom(bytes)).ok()?;
    if !text.trim_start().starts_with('<') {
        return None;
    }
    let (_, rest) = text.split_once(ELEMENT)?;
    let (escaped, _) = rest.split_once("</string>")?;
    unescape(escaped)
}

fn is_encrypted(json: &str) -> bool {
    json.contains("\"encryptedSecret\"")
}

impl Format for Authy {
    fn name(&self) -> &'static str {
        NAME
    }

    fn id(&self) -> &'static str {
        "authy"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        tokens_json(bytes).is_some_and(|json| json_list(json.as_bytes()).is_some())
    }

    fn is_encrypted(&self, bytes: &[u8]) -> bool {
        tokens_json(bytes).is_some_and(|json| is_encrypted(&json))
    }

    fn read(&self, bytes: &[u8], password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let json = tokens_json(bytes).ok_or(ImportError::NotThisFormat { format: NAME })?;
        // Android writes the whole map at once: a file without its end was cut short.
        let whole =
            std::str::from_utf8(bytes).is_ok_and(|text| text.trim_end().ends_with("</map>"));
        if !whole {
            return Err(ImportError::Damaged {
                format: NAME,
                reason: "it ends before its closing </map>",
            });
        }
        let tokens: Vec<&RawValue> =
            json_list(json.as_bytes()).ok_or(ImportError::NotThisFormat { format: NAME })?;
        let mut opened_any = false;
        let mut sealed_any = false;
        let contents = read_each(&tokens, |item, token: Token| {
            let (issuer, name) = labels(&token);
            let secret = match (&token.decrypted_secret, &token.encrypted_secret) {
                (Some(secret), _) => Ok(secret.clone()),
                (None, Some(sealed)) => {
                    sealed_any = true;
                    let opened = open_secret(sealed, token.salt.as_deref(), password);
                    opened_any |= opened.is_ok();
                    opened
                }
                (None, None) => Err(EntryError::Missing("secret key")),
            };
            let account = secret.and_then(|secret| {
                let fields = Fields {
                    issuer: &issuer,
                    name: &name,
                    secret: &secret,
                    digits: token.digits.0,
                    ..Fields::default()
                };
                entry::account(Kind::Totp, &fields)
            });
            Some(match account {
                Ok(account) => Item::Account(account),
                Err(error) => entry::problem(item, &issuer, &name, error),
            })
        })?;
        // With a wrong password no secret opens; with the right one, a damaged one may not.
        if sealed_any && !opened_any {
            return Err(ImportError::WrongPassword { format: NAME });
        }
        Ok(contents)
    }
}

/// (issuer, name): `originalName` "Issuer:Account" with the issuer taken off, else `name`
/// "Issuer: Account".
fn labels(token: &Token) -> (String, String) {
    let issuer = token.original_issuer.as_deref().unwrap_or("").trim();
    let label = token
        .original_name
        .as_deref()
        .or(token.name.as_deref())
        .unwrap_or("")
        .trim();
    let name = match label.split_once(':') {
        Some((prefix, rest)) if issuer.is_empty() || prefix.trim() == issuer => {
            let issuer = if issuer.is_empty() {
                prefix.trim()
            } else {
                issuer
            };
            return (issuer.to_owned(), rest.trim().to_owned());
        }
        _ => label,
    };
    (issuer.to_owned(), name.to_owned())
}

/// An `encryptedSecret`: the Base32 text of the key, or why it does not open.
fn open_secret(
    sealed: &str,
    salt: Option<&str>,
    password: Option<&[u8]>,
) -> Result<Zeroizing<String>, EntryError> {
    let password = password.ok_or(EntryError::Missing("password"))?;
    let salt = salt.ok_or(EntryError::Missing("salt"))?;
    let sealed = data_encoding::BASE64
        .decode(sealed.trim().as_bytes())
        .map_err(|_| EntryError::Malformed)?;
    let key = kdf::pbkdf2(
        Pbkdf2Hash::Sha1,
        password,
        salt.as_bytes(),
        PBKDF2_ITERATIONS,
    )
    .map_err(|_| EntryError::Malformed)?;
    let plain =
        aes_cbc_open(&key, &[0; AES_BLOCK_LEN], &sealed).ok_or(EntryError::Undecryptable)?;
    let text = std::str::from_utf8(&plain).map_err(|_| EntryError::Undecryptable)?;
    // A wrong key rarely leaves valid padding, and never Base32 behind it.
    otpauth::parse_secret(text).map_err(|_| EntryError::Undecryptable)?;
    Ok(Zeroizing::new(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::super::cipher::testing::aes_cbc_seal;
    use super::super::{open_bytes, Cause, Opened};
    use super::*;

    fn store(tokens: &str) -> String {
        let escaped = tokens.replace('&', "&amp;").replace('"', "&quot;");
        // Android's shared-preferences layout.
        format!("<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n    <int name=\"key_version\" value=\"121\" />\n    {ELEMENT}{escaped}</string>\n</map>\n")
    }

    #[test]
    fn plain_tokens_are_read_and_bad_ones_reported() {
        let file = store(
            r#"[{"accountType":"authenticator","decryptedSecret":"JBSWY3DPEHPK3PXP","digits":7,"originalIssuer":"Site","originalName":"Site:me","name":"Site: me"},
               {"accountType":"authenticator","decryptedSecret":"not base32!","digits":6,"originalIssuer":"Bad","originalName":"Bad:b"},
               {"accountType":"authenticator","decryptedSecret":"JBSWY3DPEHPK3PXP","digits":6,"name":"Other: you & me"}]"#,
        );
        let Ok(Opened::Read(contents)) = open_bytes(file.as_bytes(), None) else {
            panic!("not read");
        };
        let [Item::Account(site), Item::Problem(bad), Item::Account(other)] =
            contents.items.as_slice()
        else {
            panic!("{contents:?}");
        };
        assert_eq!(
            (site.issuer.as_str(), site.name.as_str(), site.otp.digits),
            ("Site", "me", 7)
        );
        assert_eq!(
            (bad.item, bad.issuer.as_str(), bad.name.as_str()),
            (2, "Bad", "b")
        );
        assert_eq!(
            (other.issuer.as_str(), other.name.as_str()),
            ("Other", "you & me")
        );
    }

    #[test]
    fn encrypted_secrets_need_the_backup_password() {
        let salt = "saltsaltsaltsalt";
        let key = kdf::pbkdf2(Pbkdf2Hash::Sha1, b"pw", salt.as_bytes(), PBKDF2_ITERATIONS)
            .unwrap_or_else(|e| panic!("{e}"));
        let sealed =
            data_encoding::BASE64.encode(&aes_cbc_seal(&key, &[0; 16], b"JBSWY3DPEHPK3PXP"));
        let file = store(&format!(
            r#"[{{"digits":6,"encryptedSecret":"{sealed}","salt":"{salt}","originalIssuer":"Site","originalName":"Site:me"}},
                {{"digits":6,"encryptedSecret":"AAAA","salt":"{salt}","originalIssuer":"Cut","originalName":"Cut:c"}}]"#
        ));
        assert_eq!(
            open_bytes(file.as_bytes(), None).ok(),
            Some(Opened::NeedsPassword { format: NAME })
        );
        let Ok(Opened::Read(contents)) = open_bytes(file.as_bytes(), Some(b"pw")) else {
            panic!("not read");
        };
        let [Item::Account(site), Item::Problem(cut)] = contents.items.as_slice() else {
            panic!("{contents:?}");
        };
        assert_eq!(site.otp.secret.expose(), b"Hello!\xde\xad\xbe\xef");
        assert_eq!(cut.cause, Cause::InvalidEntry(EntryError::Undecryptable));
        assert!(matches!(
            open_bytes(file.as_bytes(), Some(b"px")),
            Err(ImportError::WrongPassword { .. })
        ));
    }
}
