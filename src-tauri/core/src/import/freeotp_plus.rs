//! FreeOTP+'s JSON export (`freeotp-backup.json`).
//!
//! Read from FreeOTP+'s source (github.com/helloworld1/FreeOTPPlus: `Token`, `TokenPersistence`
//! and its export): `{tokenOrder, tokens}`; each token has `type` (TOTP, HOTP), `algo`,
//! `digits`, `period`, `counter`, `issuerExt` (the issuer shown), `label` (the account
//! name) and `secret`, the key as a list of signed bytes (-128 to 127). FreeOTP keeps the
//! counter of the next HOTP code, as Ringlet does, so it is kept as stored.
//!
//! Dropped on import: the order, images and colours, `issuerInt`/`issuerAlt`, and the
//! token's lock setting.

use serde::Deserialize;
use serde_json::value::RawValue;
use zeroize::Zeroizing;

use super::entry::{self, json, read_each, EntryError, Fields, Kind, Number};
use super::{Contents, Format, ImportError, Item};
use crate::model::Secret;

pub struct FreeOtpPlus;

const NAME: &str = "FreeOTP+ export";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Export<'a> {
    #[serde(borrow)]
    tokens: Vec<&'a RawValue>,
    #[serde(rename = "tokenOrder")]
    _token_order: serde::de::IgnoredAny,
}

/// One token, as FreeOTP and FreeOTP+ store it in every form (also `freeotp_xml.rs`, and
/// `freeotp_backup.rs`, whose tokens keep their key apart: an empty `secret` here).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Token {
    #[serde(rename = "type")]
    pub(super) kind: String,
    #[serde(default)]
    algo: Option<String>,
    #[serde(default)]
    digits: Number,
    #[serde(default)]
    period: Number,
    #[serde(default)]
    counter: Number,
    #[serde(default)]
    pub(super) issuer_ext: Option<String>,
    #[serde(default)]
    pub(super) label: Option<String>,
    #[serde(default)]
    secret: Zeroizing<Vec<i16>>,
}

impl Format for FreeOtpPlus {
    fn name(&self) -> &'static str {
        NAME
    }

    fn id(&self) -> &'static str {
        "freeotp"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        json::<Export>(bytes).is_some()
    }

    fn read(&self, bytes: &[u8], _password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let export: Export = json(bytes).ok_or(ImportError::NotThisFormat { format: NAME })?;
        read_each(&export.tokens, |item, token: Token| {
            let issuer = token.issuer_ext.as_deref().unwrap_or("");
            let name = token.label.as_deref().unwrap_or("");
            Some(
                read_token(&token, issuer, name)
                    .unwrap_or_else(|error| entry::problem(item, issuer, name, error)),
            )
        })
    }
}

/// Java's signed bytes (-128 to 127; 128 to 255 taken as written) as bytes; anything else
/// is no byte. FreeOTP writes keys, salts and nonces so.
pub(super) fn java_bytes(list: &[i16]) -> Option<Zeroizing<Vec<u8>>> {
    let mut out = Zeroizing::new(Vec::with_capacity(list.len()));
    for &value in list {
        let byte = i8::try_from(value)
            .map(|signed| signed as u8)
            .or_else(|_| u8::try_from(value))
            .ok()?;
        out.push(byte);
    }
    Some(out)
}

/// The account `token` holds, labelled `issuer` and `name`.
pub(super) fn read_token(token: &Token, issuer: &str, name: &str) -> Result<Item, EntryError> {
    Kind::named(&token.kind)?;
    let key = java_bytes(&token.secret).ok_or(EntryError::Malformed)?;
    token_account(token, issuer, name, key, None)
}

/// The account of `token` with its `key` (FreeOTP's backups keep keys apart);
/// `algorithm` stands in for a token that names none.
pub(super) fn token_account(
    token: &Token,
    issuer: &str,
    name: &str,
    mut key: Zeroizing<Vec<u8>>,
    algorithm: Option<&str>,
) -> Result<Item, EntryError> {
    let kind = Kind::named(&token.kind)?;
    let fields = Fields {
        issuer,
        name,
        algorithm: token.algo.as_deref().or(algorithm),
        digits: token.digits.0,
        period: token.period.0,
        counter: token.counter.0,
        ..Fields::default()
    };
    let account = entry::account_with_key(kind, &fields, Secret::new(std::mem::take(&mut *key)))?;
    Ok(Item::Account(account))
}

#[cfg(test)]
mod tests {
    use super::super::{open_bytes, Cause, Opened};
    use super::*;

    #[test]
    fn tokens_are_read_with_their_signed_byte_keys() {
        let file = r#"{"tokenOrder":["A:me","B:you"],"tokens":[
            {"algo":"SHA256","counter":0,"digits":7,"issuerExt":"A","label":"me","period":20,"secret":[72,101,108,108,111,33,-34,-83,-66,-17],"type":"TOTP"},
            {"algo":"SHA1","counter":4,"digits":6,"issuerExt":"B","label":"you","period":30,"secret":[1,2,300],"type":"HOTP"},
            {"algo":"SHA1","counter":4,"digits":6,"issuerExt":"C","label":"c","period":30,"secret":[1,2,3,4,5,6,7,8,9,10],"type":"HOTP"}
        ]}"#;
        let Ok(Opened::Read(contents)) = open_bytes(file.as_bytes(), None) else {
            panic!("not read");
        };
        let [Item::Account(a), Item::Problem(b), Item::Account(c)] = contents.items.as_slice()
        else {
            panic!("{contents:?}");
        };
        assert_eq!(a.otp.secret.expose(), b"Hello!\xde\xad\xbe\xef");
        assert_eq!((a.otp.digits, a.otp.kind.period()), (7, Some(20)));
        assert_eq!(b.cause, Cause::InvalidEntry(EntryError::Malformed));
        assert_eq!(c.otp.kind.counter(), Some(4));
    }
}
