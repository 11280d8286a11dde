//! Authenticator Plus's export: a password-protected zip holding `Accounts.txt`, one
//! `otpauth://` link a line.
//!
//! Read from the export as the app writes it and Aegis's `AuthenticatorPlusImporter`: the
//! zip uses PKWARE's traditional encryption ("ZipCrypto", see `zip.rs`) under the export
//! password, and `Accounts.txt` is read as a list of links (`otpauth_list.rs`). (The app's
//! internal SQLCipher database, `authplus.db`, is not read.)
//!
//! Dropped on import: the app's categories and ordering, which the links do not carry.

use super::otpauth_list::OtpauthList;
use super::zip::{self, ZipError};
use super::{Contents, Format, ImportError};

pub struct AuthenticatorPlus;

const NAME: &str = "Authenticator Plus export";
const ACCOUNTS: &str = "Accounts.txt";

fn accounts(bytes: &[u8]) -> Option<zip::Entry> {
    zip::entries(bytes)
        .ok()?
        .into_iter()
        .find(|entry| entry.name == ACCOUNTS)
}

impl Format for AuthenticatorPlus {
    fn name(&self) -> &'static str {
        NAME
    }

    fn id(&self) -> &'static str {
        "authenticator-plus"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        accounts(bytes).is_some()
    }

    fn is_encrypted(&self, bytes: &[u8]) -> bool {
        accounts(bytes).is_some_and(|entry| entry.is_encrypted())
    }

    fn read(&self, bytes: &[u8], password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let entry = match zip::entries(bytes) {
            Ok(entries) => entries.into_iter().find(|entry| entry.name == ACCOUNTS),
            Err(ZipError::TooLarge) => return Err(ImportError::TooManyEntries),
            Err(_) => None,
        }
        .ok_or(ImportError::NotThisFormat { format: NAME })?;
        let text = zip::read(bytes, &entry, password).map_err(|error| match error {
            ZipError::WrongPassword => ImportError::WrongPassword { format: NAME },
            ZipError::TooLarge => ImportError::CannotRead {
                format: NAME,
                reason: "This Authenticator Plus export's account list is larger than Ringlet reads out of a zip (4 MiB), so it was not unpacked.",
            },
            ZipError::Unsupported => ImportError::CannotRead {
                format: NAME,
                reason: "This Authenticator Plus export is compressed or encrypted in a way Ringlet does not read (only DEFLATE and the classic zip password are).",
            },
            ZipError::Damaged => ImportError::Damaged {
                format: NAME,
                reason: "the zip is cut short or broken",
            },
        })?;
        OtpauthList.read(&text, None)
    }
}

#[cfg(test)]
mod tests {
    use super::super::zip::testing::archive;
    use super::super::{open_bytes, Item, Opened};
    use super::*;

    const LINKS: &str = "otpauth://totp/Site:me?secret=JBSWY3DPEHPK3PXP&issuer=Site\nnot a link\notpauth://hotp/B:you?secret=JBSWY3DPEHPK3PXP&counter=3\n";

    #[test]
    fn the_links_open_with_the_password_and_a_bad_line_is_a_problem() {
        let file = archive(ACCOUNTS, LINKS.as_bytes(), Some(b"pw"));
        assert_eq!(
            open_bytes(&file, None).ok(),
            Some(Opened::NeedsPassword { format: NAME })
        );
        let Ok(Opened::Read(contents)) = open_bytes(&file, Some(b"pw")) else {
            panic!("not read");
        };
        let [Item::Account(site), Item::Problem(_), Item::Account(b)] = contents.items.as_slice()
        else {
            panic!("{contents:?}");
        };
        assert_eq!(site.issuer, "Site");
        assert_eq!(b.otp.kind.counter(), Some(3));
        assert!(matches!(
            open_bytes(&file, Some(b"px")),
            Err(ImportError::WrongPassword { .. })
        ));
        assert!(open_bytes(&file[..file.len() / 2], Some(b"pw")).is_err());
        // Another zip is not this export.
        assert!(!AuthenticatorPlus.recognises(&archive("other.txt", b"x", None)));
    }
}
