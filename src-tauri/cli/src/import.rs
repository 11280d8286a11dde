//! Reading accounts out of files for `import`: QR code images and text files of
//! `otpauth://` URIs. Nothing here touches the vault; `commands::import` stores what this
//! returns.
//!
//! A file is text when it is valid UTF-8 with no NUL byte (every image format Ringlet reads
//! starts with bytes that are not), otherwise it goes to the QR decoder, whose own format
//! guess decides whether it is an image at all.
//!
//! Problems never quote the text found: a QR code may hold a secret in another format.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use ringlet_core::{qr, uri, Account};

/// Largest file read, as for the QR decoder: 64 MiB.
const MAX_FILE_BYTES: u64 = qr::MAX_FILE_BYTES;

/// What one file gave: the accounts read and what could not be read, in file order.
#[derive(Debug, Default)]
pub struct FileReport {
    pub accounts: Vec<Account>,
    pub problems: Vec<String>,
}

/// Every account in the file at `path`, and every problem met.
pub fn read_file(path: &Path) -> FileReport {
    let mut report = FileReport::default();
    let bytes = match read_capped(path) {
        Ok(bytes) => bytes,
        Err(problem) => {
            report.problems.push(problem);
            return report;
        }
    };
    match std::str::from_utf8(&bytes) {
        Ok(text) if !text.contains('\0') => read_text(text, &mut report),
        _ => read_image(&bytes, &mut report),
    }
    report
}

fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    let file = File::open(path).map_err(|error| format!("cannot read the file: {error}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| format!("cannot read the file: {error}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "the file is too large (Ringlet reads files up to {} MiB)",
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    Ok(bytes)
}

/// At most this many bad lines of one text file are reported one by one.
const MAX_LINE_PROBLEMS: usize = 10;

/// Lines of `otpauth://` URIs; blank lines and `#` comments are skipped. A text file with
/// no `otpauth` line at all (another app's JSON export, say) is one problem, not one per line.
fn read_text(text: &str, report: &mut FileReport) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<(usize, &str)> = text
        .lines()
        .map(str::trim)
        .enumerate()
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .collect();
    if !lines.iter().any(|(_, line)| looks_like_otpauth(line)) {
        report.problems.push(
            "not an authenticator code: no otpauth:// URI found in this text file".to_owned(),
        );
        return;
    }
    let mut bad_lines = 0usize;
    for (index, line) in lines {
        match account_from_text(line) {
            Ok(account) => report.accounts.push(account),
            Err(problem) => {
                bad_lines += 1;
                if bad_lines <= MAX_LINE_PROBLEMS {
                    report
                        .problems
                        .push(format!("line {}: {problem}", index + 1));
                }
            }
        }
    }
    if bad_lines > MAX_LINE_PROBLEMS {
        report.problems.push(format!(
            "{} more lines that are not valid otpauth:// URIs",
            bad_lines - MAX_LINE_PROBLEMS
        ));
    }
}

fn looks_like_otpauth(text: &str) -> bool {
    text.get(..8)
        .is_some_and(|start| start.eq_ignore_ascii_case("otpauth:"))
        || text
            .get(..18)
            .is_some_and(|start| start.eq_ignore_ascii_case("otpauth-migration:"))
}

fn read_image(bytes: &[u8], report: &mut FileReport) {
    match qr::decode(bytes) {
        Ok(texts) if texts.is_empty() => report.problems.push("no QR code found".to_owned()),
        Ok(texts) => {
            let several = texts.len() > 1;
            for (index, text) in texts.iter().enumerate() {
                match account_from_text(text.trim()) {
                    Ok(account) => report.accounts.push(account),
                    Err(problem) if several => report
                        .problems
                        .push(format!("QR code {}: {problem}", index + 1)),
                    Err(problem) => report.problems.push(format!("QR code: {problem}")),
                }
            }
        }
        Err(qr::QrError::NotAnImage) => report
            .problems
            .push("neither an image with a QR code nor a text file of otpauth:// URIs".to_owned()),
        Err(error) => report.problems.push(error.to_string()),
    }
}

/// The account of one `otpauth://` URI, or why the text is not one.
pub fn account_from_text(text: &str) -> Result<Account, String> {
    let lower = text.get(..24).unwrap_or(text).to_ascii_lowercase();
    if lower.starts_with("otpauth-migration:") {
        return Err(
            "a Google Authenticator export (otpauth-migration://), which ringlet-cli cannot import yet"
                .to_owned(),
        );
    }
    if !lower.starts_with("otpauth:") {
        return Err("not an authenticator code (not an otpauth:// URI)".to_owned());
    }
    uri::parse(text).map_err(|error| {
        format!(
            "not a valid otpauth:// link: {}",
            sentence_part(&error.to_string())
        )
    })
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
        // A multi-byte character at the cut-off point must not panic.
        assert!(account_from_text("ééééééééééééééééééééééééé").is_err());
    }

    #[test]
    fn text_file_comments_and_blank_lines_are_skipped() {
        let mut report = FileReport::default();
        read_text("# exported\n\n   \n# nothing else\n", &mut report);
        assert!(report.accounts.is_empty());
        assert_eq!(report.problems.len(), 1);
        assert!(report.problems[0].contains("no otpauth"));
    }

    #[test]
    fn a_text_file_without_otpauth_lines_is_one_problem() {
        let mut report = FileReport::default();
        read_text("{\n  \"version\": 1,\n  \"entries\": []\n}\n", &mut report);
        assert_eq!(report.problems.len(), 1);
        assert!(report.problems[0].starts_with("not an authenticator code"));
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let mut report = FileReport::default();
        read_text(
            "# header\nhello world\notpauth://totp/X:y?issuer=X\n",
            &mut report,
        );
        assert_eq!(report.problems.len(), 2, "{:?}", report.problems);
        assert!(report.problems[0].starts_with("line 2: not an authenticator code"));
        assert!(report.problems[1].starts_with("line 3: not a valid otpauth:// link"));
    }

    #[test]
    fn many_bad_lines_are_summarised() {
        let mut report = FileReport::default();
        let text = "otpauth://totp/X:y?issuer=X\n".repeat(25);
        read_text(&text, &mut report);
        assert_eq!(report.problems.len(), MAX_LINE_PROBLEMS + 1);
        assert!(report.problems[MAX_LINE_PROBLEMS].starts_with("15 more lines"));
    }

    #[test]
    fn binary_garbage_is_neither_image_nor_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("junk.bin");
        std::fs::write(&path, [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
        let report = read_file(&path);
        assert!(report.accounts.is_empty());
        assert_eq!(report.problems.len(), 1);
    }

    #[test]
    fn missing_file_is_reported() {
        let report = read_file(Path::new("/no/such/file.png"));
        assert_eq!(report.problems.len(), 1);
        assert!(report.problems[0].starts_with("cannot read the file"));
    }
}
