//! An account typed by hand: the "Add account" form's fields, read by serde as they come
//! (kind and algorithm as enums), checked as an `otpauth://` link's would be, and turned
//! into an [`Account`]. Each problem names the field it belongs to, so a form can mark it.

use serde::Deserialize;
use zeroize::Zeroizing;

use crate::model::{Account, Algorithm, OtpKind, OtpParams};
use crate::otp::{self, OtpError};
use crate::otpauth::{self, UriError};

/// Steam Guard codes are always 5 characters, every 30 seconds.
pub const STEAM_DIGITS: u8 = 5;
pub const STEAM_PERIOD: u32 = 30;

/// The kinds a person can choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DraftKind {
    Totp,
    Hotp,
    Steam,
}

/// The form as it arrives. `secret` is wiped when the draft is dropped (and the draft has
/// no `Debug`, so it cannot be printed).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountDraft {
    pub issuer: String,
    pub account: String,
    pub secret: Zeroizing<String>,
    #[serde(rename = "type")]
    pub kind: DraftKind,
    pub algorithm: Algorithm,
    pub digits: u8,
    pub period: Option<u32>,
    pub counter: Option<u64>,
}

/// A field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Issuer,
    Secret,
    Digits,
    Period,
    Counter,
}

impl Field {
    /// The field's name in the form (and on the wire).
    pub fn name(self) -> &'static str {
        match self {
            Field::Issuer => "issuer",
            Field::Secret => "secret",
            Field::Digits => "digits",
            Field::Period => "period",
            Field::Counter => "counter",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DraftError {
    #[error("{0}")]
    Secret(UriError),
    #[error("Enter the period.")]
    MissingPeriod,
    #[error("Enter the counter.")]
    MissingCounter,
    #[error("{0}")]
    Otp(OtpError),
    #[error("{0}")]
    Label(UriError),
    #[error("Enter an issuer or an account name, so you can tell this account apart.")]
    NoLabel,
}

impl DraftError {
    /// The field the problem belongs to.
    pub fn field(&self) -> Field {
        match self {
            DraftError::Secret(_) => Field::Secret,
            DraftError::MissingPeriod => Field::Period,
            DraftError::MissingCounter => Field::Counter,
            DraftError::Otp(OtpError::Digits { .. } | OtpError::SteamDigits { .. }) => {
                Field::Digits
            }
            DraftError::Otp(OtpError::Period { .. }) => Field::Period,
            DraftError::Otp(_) => Field::Secret,
            DraftError::Label(_) | DraftError::NoLabel => Field::Issuer,
        }
    }
}

impl AccountDraft {
    /// The account, with the checks an `otpauth://` link gets. Steam implies 5 digits,
    /// SHA-1 and 30 seconds, whatever the form says.
    pub fn into_account(self) -> Result<Account, DraftError> {
        let secret = otpauth::parse_secret(&self.secret).map_err(DraftError::Secret)?;
        let (kind, algorithm, digits) = match self.kind {
            DraftKind::Totp => (
                OtpKind::Totp {
                    period: self.period.ok_or(DraftError::MissingPeriod)?,
                },
                self.algorithm,
                self.digits,
            ),
            DraftKind::Hotp => (
                OtpKind::Hotp {
                    counter: self.counter.ok_or(DraftError::MissingCounter)?,
                },
                self.algorithm,
                self.digits,
            ),
            DraftKind::Steam => (
                OtpKind::Steam {
                    period: STEAM_PERIOD,
                },
                Algorithm::Sha1,
                STEAM_DIGITS,
            ),
        };
        let otp = OtpParams {
            secret,
            algorithm,
            digits,
            kind,
        };
        otp::validate(&otp).map_err(DraftError::Otp)?;
        let issuer = self.issuer.trim().to_string();
        let name = self.account.trim().to_string();
        otpauth::check_label_parts(&issuer, &name).map_err(DraftError::Label)?;
        if issuer.is_empty() && name.is_empty() {
            return Err(DraftError::NoLabel);
        }
        Ok(Account::new(issuer, name, otp))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(json: serde_json::Value) -> AccountDraft {
        serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"))
    }

    fn form(kind: &str) -> serde_json::Value {
        serde_json::json!({
            "issuer": " Example ", "account": "alice", "secret": "jbsw y3dp-ehpk 3pxp",
            "type": kind, "algorithm": "SHA256", "digits": 8, "period": 60, "counter": 7
        })
    }

    #[test]
    fn each_kind_becomes_its_account() {
        let totp = draft(form("totp"))
            .into_account()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(totp.issuer, "Example");
        assert_eq!(totp.otp.kind, OtpKind::Totp { period: 60 });
        assert_eq!(
            (totp.otp.algorithm, totp.otp.digits),
            (Algorithm::Sha256, 8)
        );
        assert_eq!(totp.otp.secret.expose(), b"Hello!\xde\xad\xbe\xef");
        let hotp = draft(form("hotp"))
            .into_account()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(hotp.otp.kind, OtpKind::Hotp { counter: 7 });
    }

    #[test]
    fn steam_implies_five_digits_sha1_and_thirty_seconds() {
        let steam = draft(form("steam"))
            .into_account()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(steam.otp.kind, OtpKind::Steam { period: 30 });
        assert_eq!(
            (steam.otp.algorithm, steam.otp.digits),
            (Algorithm::Sha1, 5)
        );
    }

    #[test]
    fn kind_and_algorithm_are_read_by_serde() {
        let mut unknown = form("motp");
        assert!(serde_json::from_value::<AccountDraft>(unknown.clone()).is_err());
        unknown["type"] = "totp".into();
        unknown["algorithm"] = "MD5".into();
        assert!(serde_json::from_value::<AccountDraft>(unknown).is_err());
    }

    #[test]
    fn problems_name_their_field() {
        let case = |change: &dyn Fn(&mut serde_json::Value)| {
            let mut json = form("totp");
            change(&mut json);
            draft(json)
                .into_account()
                .map_err(|e| (e.field().name(), e.to_string()))
        };
        let field = |change: &dyn Fn(&mut serde_json::Value)| case(change).err().map(|e| e.0);
        assert_eq!(
            field(&|j| j["secret"] = "not base32!".into()),
            Some("secret")
        );
        assert_eq!(
            field(&|j| j["period"] = serde_json::Value::Null),
            Some("period")
        );
        assert_eq!(field(&|j| j["period"] = 0.into()), Some("period"));
        assert_eq!(field(&|j| j["digits"] = 11.into()), Some("digits"));
        assert_eq!(
            case(&|j| {
                j["issuer"] = " ".into();
                j["account"] = "".into();
            })
            .err(),
            Some((
                "issuer",
                "Enter an issuer or an account name, so you can tell this account apart.".into()
            ))
        );
        let mut hotp = form("hotp");
        hotp["counter"] = serde_json::Value::Null;
        let missing = draft(hotp).into_account().err();
        assert_eq!(missing.map(|e| e.field()), Some(Field::Counter));
    }
}
