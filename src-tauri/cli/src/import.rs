//! Reading accounts out of files for `import`, through the core's shared scanner
//! (`ringlet_core::import`), and wording what went wrong for the terminal. Nothing here
//! touches the vault; `commands::import` stores what this returns.
//!
//! Problems never quote a QR code's text: it may hold a secret in another format.
//!
//! Google Authenticator export codes (`otpauth-migration://`) give their accounts like
//! any other item; where each code sits in its export is kept so that `import` can say
//! which codes of a multi-code export are still missing.

use std::path::Path;

use ringlet_core::import::{self, Found};
use ringlet_core::migration::{BatchPosition, MigrationBatch};
use ringlet_core::Account;

/// What one file gave: the accounts read and what could not be read, in file order.
#[derive(Debug, Default)]
pub struct FileReport {
    pub accounts: Vec<Account>,
    pub problems: Vec<String>,
    /// Where each Google Authenticator export code of the file sits in its export.
    pub export_codes: Vec<BatchPosition>,
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
    let mut complain = |problem: String| {
        bad += 1;
        if bad <= MAX_PROBLEMS {
            report.problems.push(problem);
        }
    };
    for (index, item) in found.into_iter().enumerate() {
        let item_number = index + 1;
        match item {
            Found::Account(account) => report.accounts.push(account),
            Found::Migration(batch) => {
                report.export_codes.push(batch.position());
                let code = code_name(&batch);
                for entry in batch.entries {
                    match entry {
                        Ok(account) => report.accounts.push(account),
                        Err(error) => complain(format!(
                            "item {item_number}: {code}: {}",
                            sentence_part(&error.to_string())
                        )),
                    }
                }
            }
            other => complain(format!("item {item_number}: {}", describe(&other))),
        }
    }
    if bad > MAX_PROBLEMS {
        report
            .problems
            .push(format!("{} more problems", bad - MAX_PROBLEMS));
    }
    report
}

/// "export code 2 of 3", or "export code" for a single-code export.
fn code_name(batch: &MigrationBatch) -> String {
    if batch.batch_size > 1 {
        format!(
            "export code {} of {}",
            u64::from(batch.batch_index) + 1,
            batch.batch_size
        )
    } else {
        "export code".to_owned()
    }
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
        Found::Migration(batch) => {
            let count = batch.entries.len();
            format!(
                "this is a Google Authenticator export code (otpauth-migration://) of {count} account{}; import it with `ringlet-cli import FILE`, FILE being its QR image or a text file holding the link",
                if count == 1 { "" } else { "s" }
            )
        }
        Found::InvalidMigration(error) => format!(
            "not a readable Google Authenticator export code (otpauth-migration://): {}",
            sentence_part(&error.to_string())
        ),
        Found::Unsupported { what } => format!("{what}, which ringlet-cli cannot import yet"),
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
        assert!(problem.contains("damaged"), "{problem}");
        assert!(!problem.contains("AAAA"), "{problem}");
    }

    /// dim13/otpauth's test export (migration/convert_test.go): Example:alice@google.com.
    const EXPORT: &str = "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC";

    #[test]
    fn add_points_export_codes_to_import() {
        let problem = account_from_text(EXPORT).unwrap_err();
        assert!(problem.contains("export code"), "{problem}");
        assert!(problem.contains("of 1 account;"), "{problem}");
        assert!(problem.contains("ringlet-cli import"), "{problem}");
    }

    #[test]
    fn export_codes_in_a_text_file_are_imported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.txt");
        std::fs::write(&path, format!("# from my phone\n{EXPORT}\n")).unwrap();
        let report = read_file(&path);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert_eq!(report.accounts.len(), 1);
        assert_eq!(report.accounts[0].issuer, "Example");
        assert_eq!(report.accounts[0].name, "alice@google.com");
        assert_eq!(report.export_codes.len(), 1);
        assert_eq!(report.export_codes[0].batch_size, 1);
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
        assert_eq!(report.problems[MAX_PROBLEMS], "15 more problems");
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
