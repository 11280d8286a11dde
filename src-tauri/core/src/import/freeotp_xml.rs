//! FreeOTP's token store (`shared_prefs/tokens.xml`, FreeOTP before 2.0) and FreeOTP+'s, which
//! kept the same layout: copied from a rooted phone or an adb backup.
//!
//! Read from FreeOTP's `TokenPersistence` (github.com/freeotp/freeotp-android, 1.x) and
//! Aegis's `FreeOtpImporter`: an Android shared-preferences `<map>` in which every
//! `<string>` but `tokenOrder` is named "issuer:label" and holds, XML-escaped, one token as
//! JSON: `type` (TOTP, HOTP), `algo`, `digits`, `period`, `counter`, `issuerExt`, `label`
//! and `secret` as a list of signed bytes, the same token FreeOTP+ exports (see
//! `freeotp_plus.rs`, whose reader of a token this shares). The counter is kept as stored:
//! FreeOTP keeps the counter of the next code.
//!
//! Dropped on import: the order (`tokenOrder`), images, `issuerInt`/`issuerAlt`.

use super::entry::{self, EntryError};
use super::freeotp_plus::{read_token, Token};
use super::{prefs, Contents, Format, ImportError};

pub struct FreeOtpXml;

const NAME: &str = "FreeOTP token store";
/// The one entry of the store that is not a token.
const ORDER: &str = "tokenOrder";

/// True when `bytes` are a shared-preferences map holding FreeOTP's token order.
fn is_store(bytes: &[u8]) -> bool {
    prefs::strings(bytes).is_some_and(|entries| {
        entries
            .iter()
            .any(|entry| entry.name.as_str() == ORDER && entry.value().is_some())
    })
}

impl Format for FreeOtpXml {
    fn name(&self) -> &'static str {
        NAME
    }

    fn id(&self) -> &'static str {
        "freeotp-xml"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        is_store(bytes)
    }

    fn read(&self, bytes: &[u8], _password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let entries = prefs::strings(bytes).ok_or(ImportError::NotThisFormat { format: NAME })?;
        if !is_store(bytes) {
            return Err(ImportError::NotThisFormat { format: NAME });
        }
        if !prefs::is_whole(bytes) {
            return Err(ImportError::Damaged {
                format: NAME,
                reason: "it ends before its closing </map>",
            });
        }
        let mut contents = Contents::default();
        let tokens = entries.iter().filter(|entry| entry.name.as_str() != ORDER);
        for (index, stored) in tokens.enumerate() {
            let item = index + 1;
            // A value that is not a token's JSON is one malformed entry, not a failed file.
            let token = stored
                .value()
                .and_then(|json| serde_json::from_str::<Token>(&json).ok());
            contents.items.push(match token {
                Some(token) => {
                    let issuer = token.issuer_ext.as_deref().unwrap_or("");
                    let name = token.label.as_deref().unwrap_or("");
                    read_token(&token, issuer, name)
                        .unwrap_or_else(|error| entry::problem(item, issuer, name, error))
                }
                None => entry::problem(item, "", "", EntryError::Malformed),
            });
        }
        Ok(contents)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{open_bytes, Cause, Item, Opened};
    use super::*;

    fn store(tokens: &[(&str, &str)]) -> String {
        let mut file =
            String::from("<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n");
        for (name, json) in tokens {
            let escaped = json.replace('&', "&amp;").replace('"', "&quot;");
            file.push_str(&format!("    <string name=\"{name}\">{escaped}</string>\n"));
        }
        file.push_str("    <string name=\"tokenOrder\">[&quot;A:me&quot;]</string>\n</map>\n");
        file
    }

    #[test]
    fn tokens_are_read_and_a_bad_one_is_a_problem_beside_the_good() {
        let file = store(&[
            (
                "A:me",
                r#"{"algo":"SHA256","counter":0,"digits":7,"issuerExt":"A","label":"me","period":20,"secret":[72,101,108,108,111,33,-34,-83,-66,-17],"type":"TOTP"}"#,
            ),
            (
                "B:you",
                r#"{"algo":"SHA1","digits":6,"issuerExt":"B","label":"you","secret":[1,2,3],"type":"MOTP"}"#,
            ),
            ("C:not json", "not json"),
            (
                "D:h",
                r#"{"algo":"SHA1","counter":9,"digits":6,"issuerExt":"D","label":"h","period":30,"secret":[1,2,3,4,5,6,7,8,9,10],"type":"HOTP"}"#,
            ),
        ]);
        let Ok(Opened::Read(contents)) = open_bytes(file.as_bytes(), None) else {
            panic!("not read");
        };
        let [Item::Account(a), Item::Problem(b), Item::Problem(c), Item::Account(d)] =
            contents.items.as_slice()
        else {
            panic!("{contents:?}");
        };
        assert_eq!(a.otp.secret.expose(), b"Hello!\xde\xad\xbe\xef");
        assert_eq!((a.issuer.as_str(), a.otp.digits), ("A", 7));
        assert!(matches!(
            b.cause,
            Cause::InvalidEntry(EntryError::UnsupportedKind { .. })
        ));
        assert_eq!(
            (c.item, &c.cause),
            (3, &Cause::InvalidEntry(EntryError::Malformed))
        );
        assert_eq!(d.otp.kind.counter(), Some(9));
    }

    #[test]
    fn a_cut_store_is_damaged_and_other_maps_are_not_claimed() {
        let file = store(&[]);
        let cut = &file.as_bytes()[..file.len() - "</map>\n".len()];
        assert!(matches!(
            FreeOtpXml.read(cut, None),
            Err(ImportError::Damaged { .. })
        ));
        // Cut inside an element: not a store at all.
        assert!(FreeOtpXml
            .read(&file.as_bytes()[..file.len() - 12], None)
            .is_err());
        assert!(!FreeOtpXml.recognises(b"<map><string name=\"other\">x</string></map>"));
    }
}
