//! Proton Authenticator's JSON export (plain).
//!
//! Read from Proton Authenticator's export as written by its apps (github.com/protonpass/
//! proton-authenticator, `authenticator-rs` exporter): `{version: 1, entries: [{id,
//! content: {uri, entry_type, name}, note}]}`. Each `uri` is an `otpauth://` link (Steam
//! entries: `steam://SECRET`); `name` stands in for a link without an account name, and
//! `note` is kept as the account's note.
//!
//! Not read: the password-protected export (its scheme is not published where Ringlet could
//! check it; such a file is not recognised). Dropped on import: entry ids and order.

use serde::Deserialize;
use serde_json::value::RawValue;
use zeroize::Zeroizing;

use super::entry::{self, bounded, json, read_each, Fields, Kind};
use super::{Cause, Contents, Format, ImportError, Item, Problem};
use crate::otpauth;

pub struct Proton;

const NAME: &str = "Proton Authenticator export";

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
        export(bytes).is_some()
    }

    fn read(&self, bytes: &[u8], _password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let export = export(bytes).ok_or(ImportError::NotThisFormat { format: NAME })?;
        read_each(&export.entries, |item, entry: Entry| {
            Some(read_entry(item, &entry))
        })
    }
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
    use super::super::{open_bytes, Opened};
    use super::*;

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
