//! Getting the vault password, in this order:
//!
//! 1. `--password-file FILE`: the first line of FILE (only the line break, `\n` or `\r\n`,
//!    is removed; spaces are part of the password);
//! 2. standard input is a terminal: asked with no echo (twice when creating a vault);
//! 3. otherwise: the first line of standard input.
//!
//! Every copy is held in [`Zeroizing`] buffers, so it is wiped when dropped.

use std::fs::File;
use std::io::{self, BufRead, IsTerminal, Read};
use std::path::Path;

use zeroize::Zeroizing;

use ringlet_core::vault::check_new_password;

use crate::error::CliError;

/// Longest password file read; a password is one short line.
const MAX_PASSWORD_FILE: u64 = 64 * 1024;

/// What the password is for. A new one (a new vault, `passwd`) is asked twice on a
/// terminal and must have [`MIN_PASSWORD_CHARS`](ringlet_core::vault::MIN_PASSWORD_CHARS) characters, unless `allow_short`
/// (`--allow-short-password`); never empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Open,
    Create { allow_short: bool },
}

pub type Password = Zeroizing<Vec<u8>>;

/// The password, from `file` when given, else from the terminal or standard input.
pub fn obtain(file: Option<&Path>, purpose: Purpose) -> Result<Password, CliError> {
    let password = match file {
        Some(path) => from_file(path)?,
        None if io::stdin().is_terminal() => from_terminal(purpose)?,
        None => from_stdin()?,
    };
    if let Purpose::Create { allow_short } = purpose {
        check_new(&password, allow_short)?;
    }
    Ok(password)
}

/// A new password: never empty, and at least [`MIN_PASSWORD_CHARS`](ringlet_core::vault::MIN_PASSWORD_CHARS) characters unless
/// `allow_short`.
fn check_new(password: &[u8], allow_short: bool) -> Result<(), CliError> {
    if password.is_empty() {
        return Err(CliError::Input(
            "The password must not be empty.".to_owned(),
        ));
    }
    if allow_short {
        return Ok(());
    }
    check_new_password(password).map_err(|too_short| {
        CliError::Input(format!(
            "{too_short} (--allow-short-password takes a shorter one.)"
        ))
    })
}

/// The password of an encrypted export: the first line of `file`, else asked twice on the
/// terminal; at least [`MIN_PASSWORD_CHARS`](ringlet_core::vault::MIN_PASSWORD_CHARS)
/// characters, as a vault password (no override: the file leaves the machine).
pub fn new_export(file: Option<&Path>) -> Result<Password, CliError> {
    let check = |password: Password| -> Result<Password, CliError> {
        check_new_password(&password)
            .map_err(|too_short| CliError::Input(format!("The export password: {too_short}")))?;
        Ok(password)
    };
    if let Some(path) = file {
        return check(from_file(path)?);
    }
    if !io::stdin().is_terminal() {
        return Err(CliError::Input(
            "An encrypted export needs its own password: give it with --export-password-file FILE, or run ringlet-cli on a terminal to type it."
                .to_owned(),
        ));
    }
    let ask = |prompt: &str| -> Result<Password, CliError> {
        let answer = rpassword::prompt_password(prompt)
            .map_err(|error| CliError::Input(format!("Cannot read the password: {error}")))?;
        Ok(Zeroizing::new(answer.into_bytes()))
    };
    let first = check(ask("Password for the exported file: ")?)?;
    if first != ask("Repeat that password: ")? {
        return Err(CliError::Input("The two passwords differ.".to_owned()));
    }
    Ok(first)
}

/// A WebDAV folder's password (`sync join https://…`): the first line of `file`, else asked
/// on the terminal; never read from standard input (the vault's password may come there),
/// never from the command line.
pub fn webdav(file: Option<&Path>, user: &str) -> Result<Password, CliError> {
    if let Some(path) = file {
        return from_file(path);
    }
    if !io::stdin().is_terminal() {
        return Err(CliError::Input(
            "A WebDAV folder needs its password: give it with --webdav-password-file FILE, or run ringlet-cli on a terminal to type it."
                .to_owned(),
        ));
    }
    let answer = rpassword::prompt_password(format!("WebDAV password for {user}: "))
        .map_err(|error| CliError::Input(format!("Cannot read the password: {error}")))?;
    Ok(Zeroizing::new(answer.into_bytes()))
}

/// The first line of `path` (the vault's, a backup's or an imported file's password).
pub fn from_file(path: &Path) -> Result<Password, CliError> {
    let unreadable = |error: io::Error| {
        CliError::Input(format!(
            "Cannot read the password file {}: {error}",
            path.display()
        ))
    };
    let file = File::open(path).map_err(unreadable)?;
    let mut content = Zeroizing::new(Vec::with_capacity(1024));
    file.take(MAX_PASSWORD_FILE)
        .read_to_end(&mut content)
        .map_err(unreadable)?;
    Ok(first_line(content))
}

fn from_stdin() -> Result<Password, CliError> {
    let mut line = Zeroizing::new(Vec::with_capacity(256));
    let read = io::stdin()
        .lock()
        .read_until(b'\n', &mut line)
        .map_err(|error| {
            CliError::Input(format!(
                "Cannot read the password from standard input: {error}"
            ))
        })?;
    if read == 0 {
        return Err(CliError::Input(
            "No password: standard input is empty. Give one with --password-file FILE, or run on a terminal."
                .to_owned(),
        ));
    }
    Ok(first_line(line))
}

fn from_terminal(purpose: Purpose) -> Result<Password, CliError> {
    let ask = |prompt: &str| -> Result<Password, CliError> {
        let answer = rpassword::prompt_password(prompt)
            .map_err(|error| CliError::Input(format!("Cannot read the password: {error}")))?;
        Ok(Zeroizing::new(answer.into_bytes()))
    };
    match purpose {
        Purpose::Open => ask("Vault password: "),
        Purpose::Create { allow_short } => {
            let first = ask("New vault password: ")?;
            check_new(&first, allow_short)?;
            let second = ask("Repeat the password: ")?;
            if first != second {
                return Err(CliError::Input("The two passwords differ.".to_owned()));
            }
            Ok(first)
        }
    }
}

/// The first line of `content`, without its `\n` or `\r\n`. Truncating in place keeps the
/// rest of the buffer inside the same zeroizing allocation (wiped in full on drop).
fn first_line(mut content: Password) -> Password {
    if let Some(end) = content.iter().position(|&byte| byte == b'\n') {
        content.truncate(end);
    }
    if content.last() == Some(&b'\r') {
        content.pop();
    }
    content
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(bytes: &[u8]) -> Vec<u8> {
        first_line(Zeroizing::new(bytes.to_vec())).to_vec()
    }

    #[test]
    fn only_the_line_break_is_removed() {
        assert_eq!(line(b"hunter2\n"), b"hunter2");
        assert_eq!(line(b"hunter2\r\n"), b"hunter2");
        assert_eq!(line(b"hunter2"), b"hunter2");
        assert_eq!(line(b" spaced pass \n"), b" spaced pass ");
        assert_eq!(line(b"first\nsecond\n"), b"first");
        assert_eq!(line(b"\n"), b"");
    }

    #[test]
    fn password_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pw");
        std::fs::write(&path, "correct horse\r\nignored\n").unwrap();
        let password = obtain(Some(&path), Purpose::Open).unwrap();
        assert_eq!(password.as_slice(), b"correct horse");
    }

    #[test]
    fn empty_password_refused_for_a_new_vault() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pw");
        std::fs::write(&path, "\n").unwrap();
        for allow_short in [false, true] {
            assert!(matches!(
                obtain(Some(&path), Purpose::Create { allow_short }),
                Err(CliError::Input(_))
            ));
        }
    }

    #[test]
    fn a_short_new_password_needs_the_override() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pw");
        std::fs::write(&path, "seven77\n").unwrap();
        let refused = obtain(Some(&path), Purpose::Create { allow_short: false });
        let Err(CliError::Input(message)) = refused else {
            panic!("a seven-character password was taken: {refused:?}");
        };
        assert!(message.contains("at least 8 characters"), "{message}");
        assert!(message.contains("--allow-short-password"), "{message}");
        let allowed = obtain(Some(&path), Purpose::Create { allow_short: true }).unwrap();
        assert_eq!(allowed.as_slice(), b"seven77");
        // Opening an existing vault takes any password.
        assert!(obtain(Some(&path), Purpose::Open).is_ok());
    }

    #[test]
    fn missing_password_file_is_bad_input() {
        let error = obtain(Some(Path::new("/no/such/pw")), Purpose::Open).unwrap_err();
        assert_eq!(error.exit_code(), crate::error::EXIT_INPUT);
        assert!(error.to_string().contains("/no/such/pw"));
    }
}
