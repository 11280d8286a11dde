//! WinAuth's export: a text file of `otpauth://` links, one a line, saved as it is or inside
//! a password-protected zip.
//!
//! Read from WinAuth's source (github.com/winauth/winauth: `WinAuthAuthenticator.ToUrl`, and
//! its export, which zips the text file with the classic zip password, "ZipCrypto", read by
//! `zip.rs`). Each link is `otpauth://totp|hotp/Issuer:label?secret=…&digits=…&issuer=…`,
//! plus WinAuth's own parameters: `icon` (a skin name, or `base64:` and a whole image),
//! `serial` (Battle.net), `counter` (HOTP), and for Steam `deviceid` and `data` (Steam's
//! session JSON) on a `totp` link of 5 digits. There is no sample export in
//! `shared/fixtures`: the tests build files from this description.
//!
//! A plain list with none of WinAuth's own parameters is any list of links
//! (`otpauth_list.rs`); one whose links carry `deviceid` or an inline `base64:` icon is
//! WinAuth's and read here, so that its Steam accounts and big icons read right. A zip is
//! WinAuth's when it holds one text file (not Authenticator Plus's `Accounts.txt`).
//!
//! Steam accounts (`deviceid`/`data`) become Steam Guard accounts, whose codes are not
//! digits. Dropped on import: icons, Steam's device id and session data, Battle.net's
//! serial, and WinAuth's settings (hot keys, auto-refresh, copy options), which the export
//! does not hold. Not read: PGP-encrypted exports.

use zeroize::Zeroizing;

use super::link::{is_authenticator_link, read_link};
use super::otpauth_list::lines;
use super::zip::{self, ZipError};
use super::{Contents, Format, ImportError, MAX_ENTRIES};

/// WinAuth's password-protected (or plain) zip of its text export.
pub struct WinAuthZip;
/// WinAuth's text export, when its links carry WinAuth's own parameters.
pub struct WinAuthText;

const ZIP_NAME: &str = "WinAuth export (zip)";
const TEXT_NAME: &str = "WinAuth export";
/// Authenticator Plus's file, which `authenticator_plus.rs` reads.
const AUTHENTICATOR_PLUS: &str = "Accounts.txt";

/// The zip's one text file, when it is WinAuth's.
fn text_entry(bytes: &[u8]) -> Option<zip::Entry> {
    let entries = zip::entries(bytes).ok()?;
    let mut files = entries
        .into_iter()
        .filter(|entry| !entry.name.ends_with('/'));
    let entry = files.next()?;
    let is_text = entry
        .name
        .rsplit('.')
        .next()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("txt"));
    (files.next().is_none() && is_text && entry.name != AUTHENTICATOR_PLUS).then_some(entry)
}

impl Format for WinAuthZip {
    fn name(&self) -> &'static str {
        ZIP_NAME
    }

    fn id(&self) -> &'static str {
        "winauth"
    }

    /// A zip of one text file: encrypted (its content cannot be looked at before the
    /// password), or plain and holding links.
    fn recognises(&self, bytes: &[u8]) -> bool {
        let Some(entry) = text_entry(bytes) else {
            return false;
        };
        entry.is_encrypted()
            || zip::read(bytes, &entry, None).is_ok_and(|text| {
                lines(&text).is_some_and(|mut lines| lines.any(is_authenticator_link))
            })
    }

    fn is_encrypted(&self, bytes: &[u8]) -> bool {
        text_entry(bytes).is_some_and(|entry| entry.is_encrypted())
    }

    fn read(&self, bytes: &[u8], password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let entry = match zip::entries(bytes) {
            Err(ZipError::TooLarge) => return Err(ImportError::TooManyEntries),
            _ => text_entry(bytes),
        }
        .ok_or(ImportError::NotThisFormat { format: ZIP_NAME })?;
        let text = zip::read(bytes, &entry, password).map_err(|error| match error {
            ZipError::WrongPassword => ImportError::WrongPassword { format: ZIP_NAME },
            ZipError::TooLarge => ImportError::CannotRead {
                format: ZIP_NAME,
                reason: "This WinAuth export's text file is larger than Ringlet reads out of a zip (4 MiB), so it was not unpacked.",
            },
            ZipError::Unsupported => ImportError::CannotRead {
                format: ZIP_NAME,
                reason: "This WinAuth export is compressed or encrypted in a way Ringlet does not read (only DEFLATE and the classic zip password are).",
            },
            ZipError::Damaged => ImportError::Damaged {
                format: ZIP_NAME,
                reason: "the zip is cut short or broken",
            },
        })?;
        read_text(&text).ok_or(ImportError::Damaged {
            format: ZIP_NAME,
            reason: "its text file is not UTF-8 text",
        })
    }
}

impl Format for WinAuthText {
    fn name(&self) -> &'static str {
        TEXT_NAME
    }

    fn id(&self) -> &'static str {
        "winauth"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        has_winauth_links(bytes)
    }

    fn read(&self, bytes: &[u8], _password: Option<&[u8]>) -> Result<Contents, ImportError> {
        read_text(bytes).ok_or(ImportError::NotThisFormat { format: TEXT_NAME })
    }
}

/// True when a line of `bytes` is a link with a parameter only WinAuth writes: Steam's
/// `deviceid`, or an icon inlined as `base64:`. Ente's lists (`codeDisplay`) are Ente's.
pub(super) fn has_winauth_links(bytes: &[u8]) -> bool {
    lines(bytes).is_some_and(|mut lines| lines.any(|line| winauth_params(line).any(|p| p)))
        && !super::ente::has_code_display(bytes)
}

/// For each parameter of `line` (an otpauth link): whether it is one only WinAuth writes.
fn winauth_params(line: &str) -> impl Iterator<Item = bool> + '_ {
    let query = line
        .get(..10)
        .filter(|scheme| scheme.eq_ignore_ascii_case("otpauth://"))
        .and_then(|_| line.split_once('?'))
        .map_or("", |(_, query)| query);
    query.split('&').map(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        name.eq_ignore_ascii_case("deviceid")
            || (name.eq_ignore_ascii_case("icon") && is_inline_icon(value))
    })
}

/// `base64:…`, or `base64%3a…` as WinAuth's URL encoding writes it (any case).
fn is_inline_icon(value: &str) -> bool {
    ["base64:", "base64%3a"].iter().any(|prefix| {
        value
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    })
}

/// Each line of `text` as a link, with WinAuth's own parameters handled; `None` when it
/// is not UTF-8. More than [`MAX_ENTRIES`] lines is refused by the caller's count.
fn read_text(text: &[u8]) -> Option<Contents> {
    let lines = lines(text)?;
    let mut contents = Contents::default();
    for (index, line) in lines.take(MAX_ENTRIES + 1).enumerate() {
        contents.append(read_link(&standard(line), index + 1));
    }
    Some(contents)
}

/// `line` as a standard link: `icon`, `deviceid` and `data` taken out, and a TOTP link
/// that had Steam's `deviceid` or `data` marked Steam (`encoder=steam`, KeePassXC's form,
/// which the link parser reads). Other lines are kept as they are.
fn standard(line: &str) -> Zeroizing<String> {
    let is_link = line
        .get(..10)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("otpauth://"));
    let (true, Some((head, query))) = (is_link, line.split_once('?')) else {
        return Zeroizing::new(line.to_owned());
    };
    let mut steam = false;
    let mut kept: Vec<&str> = Vec::new();
    for pair in query.split('&') {
        let name = pair.split_once('=').map_or(pair, |(name, _)| name);
        if name.eq_ignore_ascii_case("icon") {
            continue;
        }
        if name.eq_ignore_ascii_case("deviceid") || name.eq_ignore_ascii_case("data") {
            steam = true;
            continue;
        }
        kept.push(pair);
    }
    let totp = head
        .get(10..15)
        .is_some_and(|kind| kind.eq_ignore_ascii_case("totp/"));
    if steam && totp {
        kept.push("encoder=steam");
    }
    Zeroizing::new(format!("{head}?{}", kept.join("&")))
}

#[cfg(test)]
mod tests {
    use super::super::zip::testing::archive;
    use super::super::{open_bytes, Item, Opened, FORMATS};
    use super::*;

    /// Lines as `ToUrl` writes them: a Google account with a skin, a Battle.net account,
    /// a Steam account (5 digits, device id, session data) with an inline icon, a counter.
    const EXPORT: &str = "otpauth://totp/Google:me%40example.com?secret=JBSWY3DPEHPK3PXP&digits=6&issuer=Google&icon=GoogleAuthenticator\n\
otpauth://totp/Battle.net:US123?secret=GEZDGNBVGY3TQOJQ&digits=8&issuer=Battle.net&serial=US1234567890\n\
otpauth://totp/Steam:gamer?secret=GEZDGNBVGY3TQOJR&digits=5&issuer=Steam&deviceid=android%3A1234&data=%7B%22shared_secret%22%3A%22x%22%7D&icon=base64%3aAAAA\n\
otpauth://hotp/Counter?secret=GEZDGNBVGY3TQOJS&digits=6&counter=4\n";

    fn check(contents: &Contents) {
        let [Item::Account(google), Item::Account(battle), Item::Account(steam), Item::Account(counter)] =
            contents.items.as_slice()
        else {
            panic!("{contents:?}");
        };
        assert_eq!(
            (google.issuer.as_str(), google.name.as_str()),
            ("Google", "me@example.com")
        );
        assert_eq!(battle.otp.digits, 8);
        assert_eq!(steam.otp.kind.name(), "steam");
        assert_eq!(steam.issuer, "Steam");
        assert_eq!(counter.otp.kind.counter(), Some(4));
    }

    fn claimed(bytes: &[u8]) -> Vec<&'static str> {
        FORMATS
            .iter()
            .filter(|format| format.recognises(bytes))
            .map(|format| format.name())
            .collect()
    }

    #[test]
    fn the_zipped_export_opens_with_its_password() {
        let file = archive("winauth-2024-01-01.txt", EXPORT.as_bytes(), Some(b"pw"));
        assert_eq!(claimed(&file), [ZIP_NAME]);
        assert_eq!(
            open_bytes(&file, None).ok(),
            Some(Opened::NeedsPassword { format: ZIP_NAME })
        );
        match open_bytes(&file, Some(b"pw")) {
            Ok(Opened::Read(contents)) => check(&contents),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            open_bytes(&file, Some(b"px")),
            Err(ImportError::WrongPassword { .. })
        ));
        // A zip without a password is read when it holds links, and not claimed otherwise.
        let plain = archive("export.txt", EXPORT.as_bytes(), None);
        assert_eq!(claimed(&plain), [ZIP_NAME]);
        assert!(claimed(&archive("notes.txt", b"hello", None)).is_empty());
        assert!(claimed(&archive("photo.png", b"x", Some(b"pw"))).is_empty());
    }

    #[test]
    fn the_plain_export_is_winauths_when_its_links_say_so() {
        assert_eq!(claimed(EXPORT.as_bytes()), [TEXT_NAME]);
        match open_bytes(EXPORT.as_bytes(), None) {
            Ok(Opened::Read(contents)) => check(&contents),
            other => panic!("{other:?}"),
        }
        // Without Steam or an inline icon, any list of links reads the same.
        let plain = "otpauth://totp/Google:me?secret=JBSWY3DPEHPK3PXP&digits=6&icon=Google\n";
        assert_eq!(claimed(plain.as_bytes()), ["list of otpauth:// links"]);
    }

    #[test]
    fn an_inline_icon_too_long_for_a_link_is_dropped_not_the_account() {
        let icon = "A".repeat(crate::otpauth::MAX_URI_LEN);
        let line = format!(
            "otpauth://totp/Big:me?secret=JBSWY3DPEHPK3PXP&digits=6&icon=base64%3A{icon}\nnot a link\n"
        );
        let Ok(Opened::Read(contents)) = open_bytes(line.as_bytes(), None) else {
            panic!("not read");
        };
        assert!(
            matches!(contents.items.as_slice(), [Item::Account(a), Item::Problem(_)] if a.issuer == "Big"),
            "{contents:?}"
        );
    }
}
