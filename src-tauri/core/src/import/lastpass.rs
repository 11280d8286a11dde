//! LastPass Authenticator's JSON export ("Export accounts to file" in the app's settings).
//!
//! Read from the format as other importers describe it (Bitwarden Authenticator's
//! `LastPassJsonExport` model, 2FAS's `LastPassData`): an object with `version` and
//! `accounts`, in the newer form also `deviceId`, `deviceSecret`, `localDeviceId`,
//! `deviceName` and `folders` (`id`, `name`). Each account has `issuerName`, `userName`
//! (and `originalIssuerName`/`originalUserName`, used when the shown ones are empty),
//! `secret` (Base32), `algorithm` (`SHA1`, …), `digits`, `timeStep` (the TOTP period) and
//! `folderData` (`folderId`, `position`). LastPass Authenticator's codes are all TOTP.
//! There is no sample export in `shared/fixtures`: the tests build files from this
//! description.
//!
//! An account's folder becomes its tag. Dropped on import: the device's id and secret,
//! account ids, favourites, creation times, push-notification flags, positions in
//! folders.

use std::collections::HashMap;

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::value::RawValue;
use zeroize::Zeroizing;

use super::entry::{self, json, read_each, EntryError, Fields, Kind, Number};
use super::{Contents, Format, ImportError, Item};

pub struct LastPass;

const NAME: &str = "LastPass Authenticator export";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Export<'a> {
    #[serde(rename = "version")]
    _version: IgnoredAny,
    #[serde(borrow)]
    accounts: Vec<&'a RawValue>,
    #[serde(default)]
    folders: Option<Vec<Folder>>,
    #[serde(default)]
    local_device_id: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct Folder {
    #[serde(default)]
    id: Number,
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Account {
    #[serde(default)]
    issuer_name: Option<String>,
    #[serde(default)]
    user_name: Option<String>,
    #[serde(default)]
    original_issuer_name: Option<String>,
    #[serde(default)]
    original_user_name: Option<String>,
    #[serde(default)]
    secret: Zeroizing<String>,
    #[serde(default)]
    algorithm: Option<String>,
    #[serde(default)]
    digits: Number,
    #[serde(default)]
    time_step: Number,
    #[serde(default)]
    folder_data: Option<FolderData>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FolderData {
    #[serde(default)]
    folder_id: Number,
}

/// Enough of an account to know the file when it names no device.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Probe {
    #[serde(rename = "issuerName")]
    _issuer_name: IgnoredAny,
    #[serde(rename = "secret")]
    _secret: IgnoredAny,
    #[serde(rename = "timeStep")]
    _time_step: IgnoredAny,
}

fn export(bytes: &[u8]) -> Option<Export<'_>> {
    let export: Export = json(bytes)?;
    let known = export.local_device_id.is_some()
        || export
            .accounts
            .first()
            .is_some_and(|first| serde_json::from_str::<Probe>(first.get()).is_ok());
    known.then_some(export)
}

impl Format for LastPass {
    fn name(&self) -> &'static str {
        NAME
    }

    fn id(&self) -> &'static str {
        "lastpass"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        export(bytes).is_some()
    }

    fn read(&self, bytes: &[u8], _password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let export = export(bytes).ok_or(ImportError::NotThisFormat { format: NAME })?;
        let folders = export.folders.unwrap_or_default();
        // Folder id → name, first of each id kept.
        let mut folder_names: HashMap<u64, &str> = HashMap::new();
        for folder in &folders {
            if let Some(id) = folder.id.0 {
                folder_names.entry(id).or_insert(folder.name.as_str());
            }
        }
        read_each(&export.accounts, |item, account: Account| {
            let shown = |shown: &Option<String>, original: &Option<String>| {
                let shown = shown.as_deref().unwrap_or("");
                if shown.trim().is_empty() {
                    original.as_deref().unwrap_or("").to_owned()
                } else {
                    shown.to_owned()
                }
            };
            let issuer = shown(&account.issuer_name, &account.original_issuer_name);
            let name = shown(&account.user_name, &account.original_user_name);
            let folder = account
                .folder_data
                .as_ref()
                .and_then(|data| data.folder_id.0)
                .and_then(|id| folder_names.get(&id).copied());
            Some(
                read_account(&account, &issuer, &name, folder)
                    .unwrap_or_else(|error| entry::problem(item, &issuer, &name, error)),
            )
        })
    }
}

fn read_account(
    account: &Account,
    issuer: &str,
    name: &str,
    folder: Option<&str>,
) -> Result<Item, EntryError> {
    let fields = Fields {
        issuer,
        name,
        secret: &account.secret,
        algorithm: account.algorithm.as_deref(),
        digits: account.digits.0,
        period: account.time_step.0,
        counter: None,
    };
    let mut account = entry::account(Kind::Totp, &fields)?;
    entry::add_tags(&mut account, folder)?;
    Ok(Item::Account(account))
}

#[cfg(test)]
mod tests {
    use super::super::{open_bytes, Opened, FORMATS};
    use super::*;

    /// The newer form, as the models above describe it.
    const NEWER: &str = r#"{"deviceId":"d","deviceSecret":"s","localDeviceId":"l","deviceName":"Pixel","version":3,
        "accounts":[
            {"accountID":"1","issuerName":"Site","originalIssuerName":"Site","userName":"me","originalUserName":"me","pushNotification":false,"secret":"JBSWY3DPEHPK3PXP","timeStep":30,"digits":6,"creationTimestamp":1700000000000,"isFavorite":false,"algorithm":"SHA1","folderData":{"folderId":1,"position":0}},
            {"accountID":"2","issuerName":"","originalIssuerName":"Bank","userName":"you","originalUserName":"you","secret":"GEZDGNBVGY3TQOJQ","timeStep":60,"digits":8,"algorithm":"SHA256","folderData":{"folderId":7,"position":0}},
            {"accountID":"3","issuerName":"Broken","userName":"x","secret":"not base32!","timeStep":30,"digits":6,"algorithm":"SHA1"},
            {"accountID":"4","issuerName":"Odd","userName":"y","secret":"GEZDGNBVGY3TQOJQ","timeStep":30,"digits":6,"algorithm":"MD5"}
        ],
        "folders":[{"id":0,"name":"Favorites","isOpened":true},{"id":1,"name":"Work","isOpened":true}]}"#;

    /// The older form: a version and the accounts.
    const OLDER: &str = r#"{"version":1,"accounts":[{"issuerName":"Site","userName":"me","secret":"JBSWY3DPEHPK3PXP","timeStep":30,"digits":6,"algorithm":"SHA1"}]}"#;

    #[test]
    fn both_forms_are_read_with_folders_as_tags_and_bad_accounts_as_problems() {
        let Ok(Opened::Read(contents)) = open_bytes(NEWER.as_bytes(), None) else {
            panic!("not read");
        };
        let [Item::Account(site), Item::Account(bank), Item::Problem(broken), Item::Problem(odd)] =
            contents.items.as_slice()
        else {
            panic!("{contents:?}");
        };
        assert_eq!((site.issuer.as_str(), site.name.as_str()), ("Site", "me"));
        assert_eq!(site.tags, ["Work"]);
        assert_eq!(bank.issuer, "Bank");
        assert!(bank.tags.is_empty());
        assert_eq!((bank.otp.digits, bank.otp.kind.period()), (8, Some(60)));
        assert_eq!(broken.issuer, "Broken");
        assert!(!broken.to_string().contains("not base32"));
        assert_eq!(odd.issuer, "Odd");

        let Ok(Opened::Read(contents)) = open_bytes(OLDER.as_bytes(), None) else {
            panic!("not read");
        };
        assert!(
            matches!(contents.items.as_slice(), [Item::Account(a)] if a.issuer == "Site"),
            "{contents:?}"
        );
    }

    #[test]
    fn only_lastpass_claims_its_exports_and_it_claims_no_other_object() {
        for file in [NEWER, OLDER] {
            let claimed: Vec<&str> = FORMATS
                .iter()
                .filter(|format| format.recognises(file.as_bytes()))
                .map(|format| format.id())
                .collect();
            assert_eq!(claimed, ["lastpass"]);
        }
        assert!(!LastPass.recognises(br#"{"version":1,"accounts":[]}"#));
        assert!(!LastPass.recognises(br#"{"version":1,"accounts":[{"secret":"A"}]}"#));
        assert!(LastPass.recognises(br#"{"version":3,"localDeviceId":"l","accounts":[]}"#));
        assert!(!LastPass.recognises(&NEWER.as_bytes()[..NEWER.len() - 2]));
    }
}
