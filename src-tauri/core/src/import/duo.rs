//! Duo Mobile's account store (`files/duokit/accounts.json`, copied from a rooted phone).
//!
//! Read from the file as it appears on devices and Aegis's `DuoImporter`: a JSON list of
//! accounts, each with `name` (the label shown), `accountType`, `otpGenerator` holding
//! `otpSecret` (Base32) and, for HOTP accounts, `counter`; an account without a counter is
//! TOTP. Duo's codes are SHA-1, 6 digits, 30 seconds. Duo names no issuer: it stays empty.
//! The counter is kept as stored (Duo's own accounts count up from what the file says).
//!
//! Not read: Duo Push accounts (they hold no OTP secret: each is a problem). Dropped on
//! import: logos, `pkey`, and every other field.

use serde::Deserialize;
use serde_json::value::RawValue;
use zeroize::Zeroizing;

use super::entry::{self, json, json_list, read_each, EntryError, Fields, Kind, Number};
use super::{Contents, Format, ImportError, Item};

pub struct Duo;

const NAME: &str = "Duo Mobile accounts";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Account {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    otp_generator: Option<Generator>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Generator {
    otp_secret: Zeroizing<String>,
    #[serde(default)]
    counter: Number,
}

/// Enough of the first account to know the file.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Probe {
    #[serde(rename = "otpGenerator")]
    _otp_generator: GeneratorProbe,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GeneratorProbe {
    #[serde(rename = "otpSecret")]
    _otp_secret: serde::de::IgnoredAny,
}

fn accounts(bytes: &[u8]) -> Option<Vec<&RawValue>> {
    let accounts = json_list(bytes)?;
    json::<Probe>(accounts.first()?.get().as_bytes())?;
    Some(accounts)
}

impl Format for Duo {
    fn name(&self) -> &'static str {
        NAME
    }

    fn id(&self) -> &'static str {
        "duo"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        accounts(bytes).is_some()
    }

    fn read(&self, bytes: &[u8], _password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let accounts = accounts(bytes).ok_or(ImportError::NotThisFormat { format: NAME })?;
        read_each(&accounts, |item, account: Account| {
            let name = account.name.as_deref().unwrap_or("");
            Some(
                read_account(&account, name)
                    .unwrap_or_else(|error| entry::problem(item, "", name, error)),
            )
        })
    }
}

fn read_account(account: &Account, name: &str) -> Result<Item, EntryError> {
    let generator = account
        .otp_generator
        .as_ref()
        .ok_or(EntryError::Missing("secret key"))?;
    let kind = match generator.counter.0 {
        Some(_) => Kind::Hotp,
        None => Kind::Totp,
    };
    let fields = Fields {
        name,
        secret: &generator.otp_secret,
        counter: generator.counter.0,
        ..Fields::default()
    };
    Ok(Item::Account(entry::account(kind, &fields)?))
}

#[cfg(test)]
mod tests {
    use super::super::{open_bytes, Cause, Opened};
    use super::*;

    #[test]
    fn totp_and_hotp_accounts_are_read_and_push_ones_are_problems() {
        let file = r#"[
            {"version":1.0,"accountType":"OtpAccount","name":"me","otpGenerator":{"otpSecret":"JBSWY3DPEHPK3PXP"}},
            {"version":1.0,"accountType":"DuoPushAccount","name":"push"},
            {"version":1.0,"accountType":"OtpAccount","name":"bad","otpGenerator":{"otpSecret":"not base32!"}},
            {"version":1.0,"accountType":"OtpAccount","name":"count","otpGenerator":{"otpSecret":"JBSWY3DPEHPK3PXP","counter":3.0}}
        ]"#;
        let Ok(Opened::Read(contents)) = open_bytes(file.as_bytes(), None) else {
            panic!("not read");
        };
        let [Item::Account(me), Item::Problem(push), Item::Problem(bad), Item::Account(count)] =
            contents.items.as_slice()
        else {
            panic!("{contents:?}");
        };
        assert_eq!((me.issuer.as_str(), me.name.as_str()), ("", "me"));
        assert_eq!(me.otp.kind.period(), Some(30));
        assert_eq!(
            push.cause,
            Cause::InvalidEntry(EntryError::Missing("secret key"))
        );
        assert_eq!(bad.name, "bad");
        assert!(!bad.to_string().contains("not base32"));
        assert_eq!(count.otp.kind.counter(), Some(3));
    }

    #[test]
    fn a_cut_file_and_other_lists_are_not_read() {
        let file = r#"[{"name":"me","otpGenerator":{"otpSecret":"JBSWY3DPEHPK3PXP"}}]"#;
        assert!(Duo.recognises(file.as_bytes()));
        assert!(!Duo.recognises(&file.as_bytes()[..file.len() - 2]));
        assert!(!Duo.recognises(br#"[{"secret":"JBSWY3DPEHPK3PXP","type":"TOTP"}]"#));
    }
}
