//! TOTP Authenticator (Binary Boot, `com.authenticator.authservice2`): its encrypted backup
//! and its own settings file (`shared_prefs/TOTP_Authenticator_Preferences.xml`, from a
//! rooted phone).
//!
//! Read from the files as the app writes them and Aegis's `TotpAuthenticatorImporter`:
//! - the backup is Base64 text of AES-256-CBC (PKCS#7, a zero IV) under SHA-256 of the
//!   password (no salt, no stretching: there is no cost for a file to inflate). Decrypted,
//!   it is a JSON object whose one key is the account list as JSON text, and whose value is
//!   the time of the backup.
//! - the settings file is an Android shared-preferences `<map>` whose
//!   `STATIC_TOTP_CODES_LIST` holds, XML-escaped, the same list.
//!
//! The list's entries (objects, or JSON texts of objects) carry `key` in `base` 16, 32 or
//! 64, `issuer`, `name`, and `digits` and `period` as decimal strings. The app computes
//! TOTP with SHA-1 only, so every account is SHA-1; digits and period are read as stored
//! (Aegis resets them to 6 and 30). The app writes names in lower case: they stay so.
//!
//! Dropped on import: icons, favourites, widgets, notification settings, the settings
//! file's other preferences (including its stored default backup password).

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use zeroize::Zeroizing;

use super::cipher::{aes_cbc_open, AES_BLOCK_LEN};
use super::entry::{self, json_list, read_each, EntryError, Fields, Kind, Number};
use super::kdf::KEY_LEN;
use super::{prefs, Contents, Format, ImportError, Item};
use crate::model::Secret;
use crate::otpauth;

pub struct TotpAuthenticator;
pub struct TotpAuthenticatorSettings;

const NAME: &str = "TOTP Authenticator backup";
const SETTINGS_NAME: &str = "TOTP Authenticator settings";
const LIST: &str = "STATIC_TOTP_CODES_LIST";
/// The smallest backup worth a password prompt: one account's JSON is some hundreds of
/// bytes, and a shorter Base64 text is more likely something else.
const MIN_SEALED_LEN: usize = 64;

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    base: Number,
    key: Zeroizing<String>,
    #[serde(default)]
    issuer: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    digits: Number,
    #[serde(default)]
    period: Number,
}

/// The backup's ciphertext: the whole file is Base64 (line breaks allowed) of whole AES
/// blocks. Base32 secrets and other upper-case texts are not taken for it: a ciphertext
/// this long has lower-case letters.
fn sealed(bytes: &[u8]) -> Option<Vec<u8>> {
    let text: Vec<u8> = entry::without_bom(bytes)
        .iter()
        .copied()
        .filter(|byte| !byte.is_ascii_whitespace())
        .collect();
    if !text.iter().any(u8::is_ascii_lowercase) {
        return None;
    }
    let sealed = data_encoding::BASE64.decode(&text).ok()?;
    (sealed.len() >= MIN_SEALED_LEN && sealed.len().is_multiple_of(AES_BLOCK_LEN)).then_some(sealed)
}

impl Format for TotpAuthenticator {
    fn name(&self) -> &'static str {
        NAME
    }

    fn id(&self) -> &'static str {
        "totp-authenticator"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        sealed(bytes).is_some()
    }

    fn is_encrypted(&self, _bytes: &[u8]) -> bool {
        true
    }

    fn read(&self, bytes: &[u8], password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let sealed = sealed(bytes).ok_or(ImportError::NotThisFormat { format: NAME })?;
        let password = password.ok_or(ImportError::WrongPassword { format: NAME })?;
        let digest = ring::digest::digest(&ring::digest::SHA256, password);
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        key.copy_from_slice(digest.as_ref());
        let plain = aes_cbc_open(&key, &[0; AES_BLOCK_LEN], &sealed)
            .ok_or(ImportError::WrongPassword { format: NAME })?;
        // Valid padding by chance under a wrong key leaves no JSON object behind it.
        let list = serde_json::from_slice::<FirstKey>(&plain)
            .map_err(|_| ImportError::WrongPassword { format: NAME })?;
        read_list(&list.0, NAME)
    }
}

impl Format for TotpAuthenticatorSettings {
    fn name(&self) -> &'static str {
        SETTINGS_NAME
    }

    fn id(&self) -> &'static str {
        "totp-authenticator-xml"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        prefs::strings(bytes)
            .is_some_and(|entries| entries.iter().any(|entry| entry.name.as_str() == LIST))
    }

    fn read(&self, bytes: &[u8], _password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let entries = prefs::strings(bytes).ok_or(ImportError::NotThisFormat {
            format: SETTINGS_NAME,
        })?;
        if !prefs::is_whole(bytes) {
            return Err(ImportError::Damaged {
                format: SETTINGS_NAME,
                reason: "it ends before its closing </map>",
            });
        }
        let list = prefs::string(&entries, LIST).ok_or(ImportError::Damaged {
            format: SETTINGS_NAME,
            reason: "its account list cannot be read",
        })?;
        read_list(&list, SETTINGS_NAME)
    }
}

/// What a decrypted backup holds, for the fuzz target (`import::fuzzing`): the fuzzer
/// cannot forge a ciphertext that decrypts.
#[cfg(fuzzing)]
pub fn read_decrypted(plain: &[u8]) -> Result<Contents, ImportError> {
    let list = serde_json::from_slice::<FirstKey>(plain).map_err(|_| ImportError::Damaged {
        format: NAME,
        reason: "its content is not the app's JSON",
    })?;
    read_list(&list.0, NAME)
}

/// The accounts of the list `json`: an array of entries, each an object or the JSON text of
/// one.
fn read_list(json: &str, format: &'static str) -> Result<Contents, ImportError> {
    let entries: Vec<&RawValue> = json_list(json.as_bytes()).ok_or(ImportError::Damaged {
        format,
        reason: "its account list is not a JSON list",
    })?;
    read_each(&entries, |item, entry: OneEntry| {
        let entry = match entry.0 {
            Some(entry) => entry,
            None => return Some(entry::problem(item, "", "", EntryError::Malformed)),
        };
        let issuer = entry.issuer.as_deref().unwrap_or("");
        let name = entry.name.as_deref().unwrap_or("");
        Some(
            read_entry(&entry, issuer, name)
                .unwrap_or_else(|error| entry::problem(item, issuer, name, error)),
        )
    })
}

/// An entry written as an object or as a JSON string holding one (`None`: a string that is
/// not an entry).
struct OneEntry(Option<Entry>);

impl<'de> Deserialize<'de> for OneEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Text(Zeroizing<String>),
            Object(Entry),
        }
        Ok(OneEntry(match Either::deserialize(deserializer)? {
            Either::Object(entry) => Some(entry),
            Either::Text(text) => serde_json::from_str(&text).ok(),
        }))
    }
}

/// A JSON object's first key, the rest ignored: the backup keeps its list there.
struct FirstKey(Zeroizing<String>);

impl<'de> Deserialize<'de> for FirstKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct First;
        impl<'de> Visitor<'de> for First {
            type Value = FirstKey;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object with one key")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FirstKey, A::Error> {
                let (key, _) = map
                    .next_entry::<Zeroizing<String>, IgnoredAny>()?
                    .ok_or_else(|| serde::de::Error::custom("an empty object"))?;
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(FirstKey(key))
            }
        }
        deserializer.deserialize_map(First)
    }
}

fn read_entry(entry: &Entry, issuer: &str, name: &str) -> Result<Item, EntryError> {
    let text = entry.key.trim();
    let key = match entry.base.0 {
        Some(16) => Secret::new(
            data_encoding::HEXLOWER_PERMISSIVE
                .decode(text.as_bytes())
                .map_err(|_| EntryError::Malformed)?,
        ),
        Some(32) => otpauth::parse_secret(text)?,
        Some(64) => Secret::new(
            data_encoding::BASE64
                .decode(text.as_bytes())
                .map_err(|_| EntryError::Malformed)?,
        ),
        _ => return Err(EntryError::Malformed),
    };
    let fields = Fields {
        issuer,
        name,
        digits: entry.digits.0,
        period: entry.period.0,
        ..Fields::default()
    };
    Ok(Item::Account(entry::account_with_key(
        Kind::Totp,
        &fields,
        key,
    )?))
}

#[cfg(test)]
mod tests {
    use super::super::cipher::testing::aes_cbc_seal;
    use super::super::{open_bytes, Cause, Opened};
    use super::*;

    const LIST_JSON: &str = r#"[{"base":16,"digits":"7","issuer":"Site","key":"48656C6C6F21DEADBEEF","name":"me","period":"20"},
        "{\"base\":32,\"digits\":\"6\",\"issuer\":\"Text\",\"key\":\"JBSWY3DPEHPK3PXP\",\"name\":\"you\",\"period\":\"30\"}",
        {"base":99,"digits":"6","issuer":"Odd","key":"AAAA","name":"odd","period":"30"},
        "not an entry"]"#;

    fn backup(password: &[u8]) -> String {
        let digest = ring::digest::digest(&ring::digest::SHA256, password);
        let mut key = [0u8; KEY_LEN];
        key.copy_from_slice(digest.as_ref());
        let plain = serde_json::json!({ LIST_JSON: "1608293023" }).to_string();
        data_encoding::BASE64.encode(&aes_cbc_seal(&key, &[0; 16], plain.as_bytes()))
    }

    fn check(contents: &Contents) {
        let [Item::Account(site), Item::Account(text), Item::Problem(odd), Item::Problem(not)] =
            contents.items.as_slice()
        else {
            panic!("{contents:?}");
        };
        assert_eq!(site.otp.secret.expose(), b"Hello!\xde\xad\xbe\xef");
        assert_eq!((site.otp.digits, site.otp.kind.period()), (7, Some(20)));
        assert_eq!(text.issuer, "Text");
        assert_eq!(
            (odd.name.as_str(), &odd.cause),
            ("odd", &Cause::InvalidEntry(EntryError::Malformed))
        );
        assert_eq!(not.item, 4);
    }

    #[test]
    fn the_backup_opens_with_its_password_only() {
        let file = backup(b"pw");
        assert_eq!(
            open_bytes(file.as_bytes(), None).ok(),
            Some(Opened::NeedsPassword { format: NAME })
        );
        let Ok(Opened::Read(contents)) = open_bytes(file.as_bytes(), Some(b"pw")) else {
            panic!("not read");
        };
        check(&contents);
        assert!(matches!(
            open_bytes(file.as_bytes(), Some(b"px")),
            Err(ImportError::WrongPassword { .. })
        ));
        // Cut short: no longer whole blocks of Base64, or no longer the right padding.
        for cut in [file.len() / 2, file.len() - 4] {
            assert!(open_bytes(&file.as_bytes()[..cut], Some(b"pw")).is_err());
        }
        // An upper-case text (a Base32 key, say) is not taken for a backup.
        assert!(!TotpAuthenticator.recognises("JBSWY3DPEHPK3PXP".repeat(8).as_bytes()));
    }

    #[test]
    fn the_settings_file_holds_the_same_list() {
        let escaped = LIST_JSON.replace('&', "&amp;").replace('"', "&quot;");
        let file = format!("<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n    <int name=\"RATE_US_COUNTER\" value=\"13\" />\n    <string name=\"{LIST}\">{escaped}</string>\n</map>\n");
        let Ok(Opened::Read(contents)) = open_bytes(file.as_bytes(), None) else {
            panic!("not read");
        };
        check(&contents);
    }
}
