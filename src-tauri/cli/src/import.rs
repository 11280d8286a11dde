//! Reading accounts out of files for `import`, through the core's shared scanner
//! (`ringlet_core::import`), and wording what went wrong for the terminal. Nothing here
//! touches the vault; `commands::import` stores what this returns.
//!
//! Problems never quote a QR code's text: it may hold a secret in another format.

use std::path::Path;

use ringlet_core::import::{self, Found};
use ringlet_core::Account;

/// What one file gave: the accounts read and what could not be read, in file order.
#[derive(Debug, Default)]
pub struct FileReport {
    pub accounts: Vec<Account>,
    pub problems: Vec<String>,
}

/// At most this many bad items of one file are reported one by one.
const MAX_PROBLEMS: usize = 10;

/// Every account in the file at `path`, and every problem met.
pub fn read_file(path: &Path) -> FileReport {
    let mut report = FileReport::default();
    let found = match import::scan_file(path) {
        Ok(found) => found,
        Err(error) => {
            report.problems.push(sentence_part(&error.to_string()));
            return report;
        }
    };
    if found.is_empty() {
        report.problems.push("no QR code found".to_owned());
    }
    let mut bad = 0usize;
    for (index, item) in found.into_iter().enumerate() {
        let problem = match item {
            Found::Account(account) => {
                report.accounts.push(account);
                continue;
            }
            other => describe(&other),
        };
        bad += 1;
        if bad <= MAX_PROBLEMS {
            report
                .problems
                .push(format!("item {}: {problem}", index + 1));
        }
    }
    if bad > MAX_PROBLEMS {
        report.problems.push(format!(
            "{} more items that are not valid otpauth:// URIs",
            bad - MAX_PROBLEMS
        ));
    }
    report
}

/// The account of one `otpauth://` URI, or why the text is not one.
pub fn account_from_text(text: &str) -> Result<Account, String> {
    match import::classify(text) {
        Found::Account(account) => Ok(account),
        other => Err(describe(&other)),
    }
}

fn describe(found: &Found) -> String {
    match found {
        Found::Account(_) => String::new(),
        Found::Invalid(error) => format!(
            "not a valid otpauth:// link: {}",
            sentence_part(&error.to_string())
        ),
        Found::NotOtp { .. } => "not an authenticator code (not an otpauth:// URI)".to_owned(),
        Found::Unsupported { what } => format!(
            "{} (otpauth-migration://), which ringlet-cli cannot import yet",
            sentence_part(what)
        ),
    }
}

/// `The secret key is empty.` → `the secret key is empty`, to follow a colon.
fn sentence_part(sentence: &str) -> String {
    let sentence = sentence.trim_end_matches('.');
    let mut chars = sentence.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_otpauth_text_is_not_an_authenticator_code() {
        let problem = account_from_text("https://example.com/").unwrap_err();
        assert!(problem.contains("not an authenticator code"), "{problem}");
        let problem = account_from_text("otpauth-migration://offline?data=AAAA").unwrap_err();
        assert!(problem.contains("otpauth-migration"), "{problem}");
        assert!(!problem.contains("AAAA"), "{problem}");
    }

    #[test]
    fn bad_lines_are_reported_with_their_position() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.txt");
        std::fs::write(
            &path,
            "# header\nhello world\notpauth://totp/X:y?issuer=X\n",
        )
        .unwrap();
        let report = read_file(&path);
        assert_eq!(report.problems.len(), 2, "{:?}", report.problems);
        assert!(report.problems[0].starts_with("item 1: not an authenticator code"));
        assert!(report.problems[1].starts_with("item 2: not a valid otpauth:// link"));
    }

    #[test]
    fn many_bad_lines_are_summarised() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.txt");
        std::fs::write(&path, "otpauth://totp/X:y?issuer=X\n".repeat(25)).unwrap();
        let report = read_file(&path);
        assert_eq!(report.problems.len(), MAX_PROBLEMS + 1);
        assert!(report.problems[MAX_PROBLEMS].starts_with("15 more items"));
    }

    #[test]
    fn binary_garbage_is_neither_image_nor_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("junk.bin");
        std::fs::write(&path, [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
        let report = read_file(&path);
        assert!(report.accounts.is_empty());
        assert_eq!(report.problems.len(), 1);
        assert!(
            report.problems[0].contains("neither an image"),
            "{:?}",
            report.problems
        );
    }

    #[test]
    fn missing_file_is_reported() {
        let report = read_file(Path::new("/no/such/file.png"));
        assert_eq!(report.problems.len(), 1);
        assert!(
            report.problems[0].starts_with("the file could not be read"),
            "{:?}",
            report.problems
        );
    }
}
