//! The Battle.net app's authenticator (`shared_prefs/com.blizzard.messenger.authenticator_preferences.xml`,
//! copied from a rooted phone).
//!
//! Read from the file as it appears on devices, Aegis's `BattleNetImporter` and the
//! long-known Battle.net mobile authenticator mask (e.g. github.com/stbuehler's gist
//! 8616943): an Android shared-preferences `<map>` whose `…AUTHENTICATOR_DEVICE_SECRET` and
//! `…AUTHENTICATOR_SERIAL` are hex, each byte XORed with a fixed 57-byte mask
//! (`…AUTHENTICATOR_CREDENTIALS_ENCRYPTION_TYPE` "MASK"). Unmasked, the secret is the key's
//! hex text and the serial reads "EU-1234-5678-9012". The code is TOTP, SHA-1, 8 digits,
//! 30 seconds, issued by "Battle.net" to the serial.
//!
//! Not read: any encryption type but MASK (none is known). Dropped on import: the region,
//! the server time difference and the app's other settings.

use zeroize::Zeroizing;

use super::entry::{self, EntryError, Fields, Kind};
use super::{prefs, Contents, Format, ImportError, Item};
use crate::model::Secret;

pub struct BattleNet;

const NAME: &str = "Battle.net authenticator";
const ISSUER: &str = "Battle.net";
const SECRET: &str = "com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET";
const SERIAL: &str = "com.blizzard.messenger.AUTHENTICATOR_SERIAL";
const ENCRYPTION: &str = "com.blizzard.messenger.AUTHENTICATOR_CREDENTIALS_ENCRYPTION_TYPE";
/// Battle.net's codes have 8 digits.
const DIGITS: u64 = 8;
/// The fixed mask every masked value is XORed with, byte by byte.
const MASK: [u8; 57] = [
    0x39, 0x8e, 0x27, 0xfc, 0x50, 0x27, 0x6a, 0x65, 0x60, 0x65, 0xb0, 0xe5, 0x25, 0xf4, 0xc0, 0x6c,
    0x04, 0xc6, 0x10, 0x75, 0x28, 0x6b, 0x8e, 0x7a, 0xed, 0xa5, 0x9d, 0xa9, 0x81, 0x3b, 0x5d, 0xd6,
    0xc8, 0x0d, 0x2f, 0xb3, 0x80, 0x68, 0x77, 0x3f, 0xa5, 0x9b, 0xa4, 0x7c, 0x17, 0xca, 0x6c, 0x64,
    0x79, 0x01, 0x5c, 0x1d, 0x5b, 0x8b, 0x8f, 0x6b, 0x9a,
];

impl Format for BattleNet {
    fn name(&self) -> &'static str {
        NAME
    }

    fn id(&self) -> &'static str {
        "battlenet"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        prefs::strings(bytes)
            .is_some_and(|entries| entries.iter().any(|entry| entry.name.as_str() == SECRET))
    }

    fn read(&self, bytes: &[u8], _password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let entries = prefs::strings(bytes).ok_or(ImportError::NotThisFormat { format: NAME })?;
        if !prefs::is_whole(bytes) {
            return Err(ImportError::Damaged {
                format: NAME,
                reason: "it ends before its closing </map>",
            });
        }
        if let Some(kind) = prefs::string(&entries, ENCRYPTION) {
            if kind.trim() != "MASK" {
                return Err(ImportError::CannotRead {
                    format: NAME,
                    reason: "This Battle.net authenticator's secret is protected in a way Ringlet does not know (not MASK).",
                });
            }
        }
        let secret =
            prefs::string(&entries, SECRET).ok_or(ImportError::NotThisFormat { format: NAME })?;
        // A serial that does not unmask is left out: the account still works without it.
        let serial = prefs::string(&entries, SERIAL)
            .and_then(|serial| unmask(&serial))
            .and_then(|serial| String::from_utf8(serial.to_vec()).ok())
            .unwrap_or_default();
        let item = read_secret(&secret, &serial)
            .unwrap_or_else(|error| entry::problem(1, ISSUER, &serial, error));
        Ok(Contents {
            items: vec![item],
            parts: Vec::new(),
        })
    }
}

/// The hex text `masked`, unmasked byte by byte; `None` when it is not hex or longer than
/// the mask.
fn unmask(masked: &str) -> Option<Zeroizing<Vec<u8>>> {
    let bytes = Zeroizing::new(
        data_encoding::HEXLOWER_PERMISSIVE
            .decode(masked.trim().as_bytes())
            .ok()?,
    );
    if bytes.len() > MASK.len() {
        return None;
    }
    Some(Zeroizing::new(
        bytes
            .iter()
            .zip(MASK)
            .map(|(byte, mask)| byte ^ mask)
            .collect(),
    ))
}

fn read_secret(masked: &str, serial: &str) -> Result<Item, EntryError> {
    let hex = unmask(masked).ok_or(EntryError::Malformed)?;
    let key = data_encoding::HEXLOWER_PERMISSIVE
        .decode(&hex)
        .map_err(|_| EntryError::Malformed)?;
    let fields = Fields {
        issuer: ISSUER,
        name: serial,
        digits: Some(DIGITS),
        ..Fields::default()
    };
    Ok(Item::Account(entry::account_with_key(
        Kind::Totp,
        &fields,
        Secret::new(key),
    )?))
}

#[cfg(test)]
mod tests {
    use super::super::{open_bytes, Cause, Opened};
    use super::*;

    fn masked(text: &[u8]) -> String {
        let bytes: Vec<u8> = text.iter().zip(MASK).map(|(b, m)| b ^ m).collect();
        data_encoding::HEXLOWER.encode(&bytes)
    }

    fn store(secret: &str) -> String {
        format!(
            "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n    <string name=\"{ENCRYPTION}\">MASK</string>\n    <string name=\"{SECRET}\">{secret}</string>\n    <string name=\"{SERIAL}\">{}</string>\n</map>\n",
            masked(b"EU-1234-5678-9012")
        )
    }

    #[test]
    fn the_masked_secret_and_serial_become_one_account() {
        let file = store(&masked(b"48656c6c6f21deadbeef0102030405060708090a"));
        let Ok(Opened::Read(contents)) = open_bytes(file.as_bytes(), None) else {
            panic!("not read");
        };
        let [Item::Account(account)] = contents.items.as_slice() else {
            panic!("{contents:?}");
        };
        assert_eq!(
            (
                account.issuer.as_str(),
                account.name.as_str(),
                account.otp.digits
            ),
            ("Battle.net", "EU-1234-5678-9012", 8)
        );
        assert_eq!(&account.otp.secret.expose()[..6], b"Hello!");
    }

    #[test]
    fn a_secret_that_does_not_unmask_is_a_problem_and_a_cut_file_is_damaged() {
        let file = store("zz");
        let Ok(Opened::Read(contents)) = open_bytes(file.as_bytes(), None) else {
            panic!("not read");
        };
        let [Item::Problem(problem)] = contents.items.as_slice() else {
            panic!("{contents:?}");
        };
        assert_eq!(problem.cause, Cause::InvalidEntry(EntryError::Malformed));
        assert_eq!(problem.name, "EU-1234-5678-9012");
        let file = store(&masked(b"48656c6c6f21deadbeef0102030405060708090a"));
        assert!(matches!(
            open_bytes(&file.as_bytes()[..file.len() - 7], None),
            Err(ImportError::Damaged { .. })
        ));
    }
}
