//! A text file of `otpauth://` links (and Google Authenticator `otpauth-migration://`
//! export codes), one a line: what many apps export as "plain text" or "URI list", and
//! what a person pastes.
//!
//! Format: UTF-8, one link a line; a byte-order mark, blank lines and `#` comments are
//! skipped. Recognised when at least one line is an authenticator link, so another app's
//! JSON or CSV export is not read as a list of bad lines. Nothing is dropped: a link holds
//! only what Ringlet keeps. A list whose links carry Ente Auth's `codeDisplay` is Ente's
//! ([`super::ente`]); one whose links carry WinAuth's own parameters (Steam's `deviceid`,
//! inline icons) is WinAuth's ([`super::winauth`]).

use super::link::{is_authenticator_link, read_link};
use super::{Contents, Format, ImportError, MAX_ENTRIES};

pub struct OtpauthList;

pub(super) fn lines(bytes: &[u8]) -> Option<impl Iterator<Item = &str>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Some(
        text.lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#')),
    )
}

impl Format for OtpauthList {
    fn name(&self) -> &'static str {
        "list of otpauth:// links"
    }

    fn id(&self) -> &'static str {
        "otpauth"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        lines(bytes).is_some_and(|mut lines| lines.any(is_authenticator_link))
            && !super::ente::has_code_display(bytes)
            && !super::winauth::has_winauth_links(bytes)
    }

    /// More than [`MAX_ENTRIES`] lines is refused before any line past the limit is parsed.
    fn read(&self, bytes: &[u8], _password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let lines = lines(bytes).ok_or(ImportError::NotRecognised)?;
        let mut contents = Contents::default();
        for (index, line) in lines.take(MAX_ENTRIES + 1).enumerate() {
            contents.append(read_link(line, index + 1));
        }
        Ok(contents)
    }
}
