//! Steam Desktop Authenticator's `.maFile`s (and the manifest-style file that holds several
//! under `accounts`).
//!
//! Read from Steam Desktop Authenticator's `SteamGuardAccount` (github.com/Jessecar96/
//! SteamDesktopAuthenticator, SteamAuth library): a JSON object with `shared_secret` (the
//! TOTP key, Base64), `account_name`, `steamid`, `revocation_code`, `identity_secret`,
//! `serial_number`, …; newer exports put such objects in an `accounts` map. Each becomes a
//! Steam Guard account (5 characters, SHA-1, 30 s) issued by "Steam". The file must not be
//! encrypted (SDA's own encryption is not read: such a file has no readable `shared_secret`).
//!
//! Dropped on import: the revocation code, identity secret (trade confirmations), device
//! id, session and every other field: Ringlet only computes codes.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;
use zeroize::Zeroizing;

use super::entry::{self, json, read_each, EntryError, Fields, Kind};
use super::{Contents, Format, ImportError, Item};
use crate::model::Secret;

pub struct Steam;

const NAME: &str = "Steam maFile";
const ISSUER: &str = "Steam";

#[derive(Deserialize)]
struct Many<'a> {
    #[serde(borrow)]
    accounts: BTreeMap<String, &'a RawValue>,
}

/// Enough of an account to know the file: both keys are there.
#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "shared_secret")]
    _shared_secret: serde::de::IgnoredAny,
    #[serde(rename = "account_name")]
    _account_name: serde::de::IgnoredAny,
}

#[derive(Deserialize)]
struct Account {
    shared_secret: Zeroizing<String>,
    #[serde(default)]
    account_name: String,
}

/// The file's accounts: the one object, or those under `accounts`.
fn accounts(bytes: &[u8]) -> Option<Vec<&RawValue>> {
    if let Some(many) = json::<Many>(bytes) {
        let accounts: Vec<&RawValue> = many.accounts.into_values().collect();
        let first = accounts.first()?;
        json::<Probe>(first.get().as_bytes())?;
        return Some(accounts);
    }
    json::<Probe>(bytes)?;
    let one: &RawValue = json(bytes)?;
    Some(vec![one])
}

impl Format for Steam {
    fn name(&self) -> &'static str {
        NAME
    }

    fn id(&self) -> &'static str {
        "steam"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        accounts(bytes).is_some()
    }

    fn read(&self, bytes: &[u8], _password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let accounts = accounts(bytes).ok_or(ImportError::NotThisFormat { format: NAME })?;
        read_each(&accounts, |item, account: Account| {
            Some(
                read_account(&account).unwrap_or_else(|error| {
                    entry::problem(item, ISSUER, &account.account_name, error)
                }),
            )
        })
    }
}

fn read_account(account: &Account) -> Result<Item, EntryError> {
    let key = data_encoding::BASE64
        .decode(account.shared_secret.trim().as_bytes())
        .map_err(|_| EntryError::Malformed)?;
    let fields = Fields {
        issuer: ISSUER,
        name: &account.account_name,
        ..Fields::default()
    };
    let account = entry::account_with_key(Kind::Steam, &fields, Secret::new(key))?;
    Ok(Item::Account(account))
}

#[cfg(test)]
mod tests {
    use super::super::{open_bytes, Cause, Opened};
    use super::*;

    const ONE: &str =
        r#"{"shared_secret":"SGVsbG8h3q2+7w==","account_name":"gamer","revocation_code":"R1"}"#;

    fn read(bytes: &str) -> Contents {
        match open_bytes(bytes.as_bytes(), None) {
            Ok(Opened::Read(contents)) => contents,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn one_account_or_many_become_steam_guard_accounts() {
        let contents = read(ONE);
        let [Item::Account(one)] = contents.items.as_slice() else {
            panic!("{contents:?}");
        };
        assert_eq!((one.issuer.as_str(), one.name.as_str()), ("Steam", "gamer"));
        assert_eq!((one.otp.kind.name(), one.otp.digits), ("steam", 5));
        assert_eq!(one.otp.secret.expose(), b"Hello!\xde\xad\xbe\xef");

        let many = format!(
            r#"{{"accounts":{{"a":{ONE},"b":{{"shared_secret":"not base64!","account_name":"bad"}}}}}}"#
        );
        let contents = read(&many);
        let [Item::Account(_), Item::Problem(bad)] = contents.items.as_slice() else {
            panic!("{contents:?}");
        };
        assert_eq!((bad.item, bad.name.as_str()), (2, "bad"));
        assert_eq!(bad.cause, Cause::InvalidEntry(EntryError::Malformed));
    }
}
