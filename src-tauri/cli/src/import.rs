//! How `import` and `add` word what the core's importer ([`ringlet_core::import`]) found,
//! for the terminal, and the password prompt for encrypted files. What is read, which
//! accounts are duplicates and what is stored are the core's [`ImportPlan`]'s.
//!
//! Problems never quote a QR code's text: it may hold a secret in another format.

use std::io::{self, IsTerminal};
use std::path::Path;

use zeroize::Zeroizing;

use ringlet_core::import::{
    self, as_clause, Cause, ExportPart, ImportError, ImportPlan, Item, Opened,
};
use ringlet_core::Account;

use crate::error::CliError;

/// At most this many bad entries of one file are reported one by one.
const MAX_PROBLEMS: usize = 10;

/// Opens `path`, as the format whose id is `format` when given (`--format`), else as the
/// format its bytes show. An encrypted file's password is `password` (from
/// `--import-password-file`) when given, else asked on the terminal.
pub fn open(
    path: &Path,
    format: Option<&str>,
    password: Option<&[u8]>,
) -> Result<Result<Opened, ImportError>, CliError> {
    let chosen = match format {
        Some(id) => Some(
            import::format_by_id(id)
                .ok_or_else(|| CliError::Usage(format!("Unknown format {id:?}.")))?,
        ),
        None => None,
    };
    let open_with = |password: Option<&[u8]>| match chosen {
        Some(format) => import::open_file_as(format, path, password),
        None => import::open_file(path, password),
    };
    let opened = open_with(None);
    let Ok(Opened::NeedsPassword { format }) = opened else {
        return Ok(opened);
    };
    if let Some(password) = password {
        return Ok(open_with(Some(password)));
    }
    if !io::stdin().is_terminal() {
        return Err(CliError::Input(format!(
            "{} is an encrypted {format}: give its password with --import-password-file FILE, or run ringlet-cli on a terminal to type it.",
            path.display()
        )));
    }
    let password =
        rpassword::prompt_password(format!("Password of {} ({format}): ", path.display()))
            .map_err(|error| CliError::Input(format!("Cannot read the password: {error}")))?;
    let password = Zeroizing::new(password.into_bytes());
    Ok(open_with(Some(&password)))
}

/// The "read" half of `ringlet-cli formats`: every format read, by id.
pub fn formats() -> String {
    let mut rows: Vec<(&str, String)> = import::format_ids()
        .into_iter()
        .map(|id| {
            let names: Vec<&str> = import::FORMATS
                .iter()
                .filter(|f| f.id() == id)
                .map(|f| f.name())
                .collect();
            (id, names.join("; "))
        })
        .collect();
    rows.push((
        "ringlet",
        "Ringlet backup (ringlet-cli restore FILE)".to_owned(),
    ));
    // One column for the names, however long the longest id is.
    let width = rows.iter().map(|(id, _)| id.len()).max().unwrap_or(0);
    let mut out = String::from("Read (ringlet-cli import FILE [--format NAME]):\n");
    for (id, names) in rows {
        out.push_str(&format!("  {id:<width$} {names}\n"));
    }
    out
}

/// What went wrong with `source` in `plan`, one line each: the file as a whole, or its
/// entries (at most [`MAX_PROBLEMS`], then a count of the rest).
pub fn problems(plan: &ImportPlan, source: &str) -> Vec<String> {
    let mut lines: Vec<String> = plan
        .errors()
        .iter()
        .filter(|failed| failed.source == source)
        .map(|failed| match failed.error {
            ImportError::NothingFound => "no QR code found".to_owned(),
            ref error => as_clause(&error.to_string()),
        })
        .collect();
    let bad: Vec<String> = plan
        .candidates()
        .iter()
        .filter(|candidate| candidate.source == source)
        .filter_map(|candidate| candidate.problem())
        .map(|problem| format!("item {}: {}", problem.item, describe(&problem.cause)))
        .collect();
    let more = bad.len().saturating_sub(MAX_PROBLEMS);
    lines.extend(bad.into_iter().take(MAX_PROBLEMS));
    if more > 0 {
        lines.push(format!("{more} more problems"));
    }
    lines
}

/// The account of one `otpauth://` URI, or why the text is not one.
pub fn account_from_text(text: &str) -> Result<Account, String> {
    let found = import::read_link(text, 1);
    if !found.parts.is_empty() {
        let count = found.items.len();
        return Err(format!(
            "this is a Google Authenticator export code (otpauth-migration://) of {count} account{}; import it with `ringlet-cli import FILE`, FILE being its QR image or a text file holding the link",
            if count == 1 { "" } else { "s" }
        ));
    }
    match found.items.into_iter().next() {
        Some(Item::Account(account)) => Ok(account),
        Some(Item::Problem(problem)) => Err(describe(&problem.cause)),
        None => Err(describe(&Cause::NotAuthenticator {
            kind: "nothing",
            preview: String::new(),
        })),
    }
}

fn describe(cause: &Cause) -> String {
    match cause {
        Cause::InvalidLink(error) => format!(
            "not a valid otpauth:// link: {}",
            as_clause(&error.to_string())
        ),
        Cause::NotAuthenticator { .. } => {
            "not an authenticator code (not an otpauth:// URI)".to_owned()
        }
        Cause::InvalidExport(error) => format!(
            "not a readable Google Authenticator export code (otpauth-migration://): {}",
            as_clause(&error.to_string())
        ),
        Cause::ExportEntry { part, error } => {
            format!("{}: {}", code_name(part), as_clause(&error.to_string()))
        }
        Cause::InvalidEntry(error) => as_clause(&error.to_string()),
    }
}

/// "export code 2 of 3", or "export code" for a single-code export.
fn code_name(part: &ExportPart) -> String {
    if part.batch_size > 1 {
        format!(
            "export code {} of {}",
            u64::from(part.batch_index) + 1,
            part.batch_size
        )
    } else {
        "export code".to_owned()
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

    /// The plan of one file, as `import` makes it.
    fn plan_of(path: &Path) -> ImportPlan {
        let mut plan = ImportPlan::new(Vec::new());
        let opened = open(path, None, None).unwrap_or_else(|e| panic!("{e:?}"));
        plan.add_source("file", opened);
        plan
    }

    #[test]
    fn export_codes_in_a_text_file_are_imported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.txt");
        std::fs::write(&path, format!("# from my phone\n{EXPORT}\n")).unwrap();
        let plan = plan_of(&path);
        assert!(problems(&plan, "file").is_empty());
        let accounts: Vec<&Account> = plan
            .candidates()
            .iter()
            .filter_map(|c| c.account())
            .collect();
        assert_eq!(accounts.len(), 1);
        assert_eq!(accounts[0].issuer, "Example");
        assert_eq!(accounts[0].name, "alice@google.com");
        assert!(plan.notes().is_empty(), "a one-code export is complete");
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
        let problems = problems(&plan_of(&path), "file");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("item 1: not an authenticator code"));
        assert!(problems[1].starts_with("item 2: not a valid otpauth:// link"));
    }

    #[test]
    fn many_bad_lines_are_summarised() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.txt");
        std::fs::write(&path, "otpauth://totp/X:y?issuer=X\n".repeat(25)).unwrap();
        let problems = problems(&plan_of(&path), "file");
        assert_eq!(problems.len(), MAX_PROBLEMS + 1);
        assert_eq!(problems[MAX_PROBLEMS], "15 more problems");
    }

    #[test]
    fn binary_garbage_is_neither_image_nor_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("junk.bin");
        std::fs::write(&path, [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
        let plan = plan_of(&path);
        assert!(plan.candidates().is_empty());
        let problems = problems(&plan, "file");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("neither an image"), "{problems:?}");
    }

    #[test]
    fn missing_file_is_reported() {
        let plan = plan_of(Path::new("/no/such/file.png"));
        let problems = problems(&plan, "file");
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("the file could not be read"),
            "{problems:?}"
        );
    }
}
