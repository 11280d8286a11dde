//! Recovery codes: reading a block of them in whatever layout a service printed, and
//! keeping track of which are used. One set per account, stored sealed apart from it
//! (`Vault::recovery_codes`, `Vault::set_recovery_codes`).
//!
//! Layouts read: one code a line; several on a line separated by commas, semicolons, tabs
//! or wide gaps (two columns); numbered (`1.`, `2)`, `#3`, `04:`) or bulleted lines; codes
//! grouped by single spaces or dashes (`5928 2374`, `xxxxx-xxxxx`); and the text files
//! services offer for download, whose headings and advice are skipped: a code has a digit,
//! or is at least 16 characters long.

use std::fmt;

use crate::model::{RecoveryCode, RecoveryCodes};

/// Most codes one account keeps: services hand out 5 to 20.
pub const MAX_CODES: usize = 100;
/// Longest code, without its separators.
pub const MAX_CODE_CHARS: usize = 64;
/// Shortest code, without its separators (shorter ones are dates and list numbers).
const MIN_CODE_CHARS: usize = 6;
/// A letters-only word shorter than this is taken for prose, not a code.
const MIN_LETTERS_ONLY_CHARS: usize = 16;
/// Longest group of a code written in groups ("5928 2374", "abcd efgh ijkl").
const MAX_GROUP_CHARS: usize = 5;

/// The codes in `text`, in order, each once, at most [`MAX_CODES`]; as written, with
/// their inner single spaces or dashes.
pub fn parse(text: &str) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for chunk in text
        .split(['\n', '\r', ',', ';', '\t'])
        .flat_map(split_wide_gaps)
    {
        for code in codes_in(without_numbering(chunk.trim())) {
            if !codes.iter().any(|known| same_code(known, &code)) {
                codes.push(code);
            }
            if codes.len() == MAX_CODES {
                return codes;
            }
        }
    }
    codes
}

/// A code as matching sees it: without spaces and dashes, lower-cased.
pub(crate) fn normalized(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// True when `a` and `b` are the same code, however they are grouped or cased.
pub fn same_code(a: &str, b: &str) -> bool {
    normalized(a) == normalized(b)
}

/// Splits at runs of two or more spaces: the gap between two columns of codes.
fn split_wide_gaps(line: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let bytes = line.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b' ' && bytes.get(at + 1) == Some(&b' ') {
            parts.push(&line[start..at]);
            while at < bytes.len() && bytes[at] == b' ' {
                at += 1;
            }
            start = at;
        } else {
            at += 1;
        }
    }
    parts.push(&line[start..]);
    parts
}

/// `chunk` without a leading list marker: `1.`, `2)`, `(3)`, `#4`, `05:`, `-`, `*`, `•`.
fn without_numbering(chunk: &str) -> &str {
    let bulleted = ['-', '*', '•', '·'].iter().find_map(|bullet| {
        chunk
            .strip_prefix(*bullet)
            .filter(|rest| rest.starts_with(' '))
    });
    if let Some(rest) = bulleted {
        return rest.trim_start();
    }
    let inner = chunk
        .strip_prefix('(')
        .or_else(|| chunk.strip_prefix('#'))
        .unwrap_or(chunk);
    let digits = inner.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &inner[digits..];
        for marker in [". ", ") ", ": ", ".", ")", ":"] {
            if let Some(after) = rest.strip_prefix(marker) {
                if marker.ends_with(' ') || after.starts_with(|c: char| c.is_whitespace()) {
                    return after.trim_start();
                }
            }
        }
        if chunk.starts_with('#') && rest.starts_with(' ') {
            return rest.trim_start();
        }
    }
    chunk
}

/// The codes of one chunk: one code written in short groups ("5928 2374"), or words
/// separated by single spaces, each kept when it looks like a code.
fn codes_in(chunk: &str) -> Vec<String> {
    let words: Vec<&str> = chunk.split(' ').filter(|word| !word.is_empty()).collect();
    let grouped = words.len() > 1
        && words.len() <= 5
        && words.iter().all(|word| {
            word.chars().count() <= MAX_GROUP_CHARS
                && word.chars().all(|c| c.is_ascii_alphanumeric())
        });
    if grouped {
        let code = words.join(" ");
        return looks_like_a_code(&code)
            .then_some(code)
            .into_iter()
            .collect();
    }
    words
        .into_iter()
        .filter(|word| looks_like_a_code(word))
        .map(str::to_owned)
        .collect()
}

fn looks_like_a_code(code: &str) -> bool {
    let inner: String = code.chars().filter(|c| *c != ' ' && *c != '-').collect();
    let length = inner.chars().count();
    !code.starts_with('-')
        && !code.ends_with('-')
        && inner.chars().all(|c| c.is_ascii_alphanumeric())
        && (MIN_CODE_CHARS..=MAX_CODE_CHARS).contains(&length)
        && (inner.chars().any(|c| c.is_ascii_digit()) || length >= MIN_LETTERS_ONLY_CHARS)
}

/// Why a code could not be marked used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UseError {
    #[error("That is not one of this account's recovery codes.")]
    Unknown,
    #[error("That recovery code is already marked used.")]
    AlreadyUsed,
}

impl RecoveryCodes {
    /// How many are not used yet.
    pub fn left(&self) -> usize {
        self.codes.iter().filter(|code| !code.used).count()
    }

    /// Adds the `codes` this set does not hold yet (unused), up to [`MAX_CODES`] in all;
    /// returns how many were added.
    pub fn add(&mut self, codes: &[String]) -> usize {
        let mut added = 0;
        for code in codes {
            if self.codes.len() >= MAX_CODES {
                break;
            }
            if !self.codes.iter().any(|known| same_code(&known.code, code)) {
                self.codes.push(RecoveryCode {
                    code: code.clone(),
                    used: false,
                });
                added += 1;
            }
        }
        added
    }

    /// Marks `code` used; spaces, dashes and case do not matter.
    pub fn mark_used(&mut self, code: &str) -> Result<(), UseError> {
        let found = self
            .codes
            .iter_mut()
            .find(|known| same_code(&known.code, code))
            .ok_or(UseError::Unknown)?;
        if found.used {
            return Err(UseError::AlreadyUsed);
        }
        found.used = true;
        Ok(())
    }
}

/// "8 of 10 recovery codes left".
pub struct Left<'a>(pub &'a RecoveryCodes);

impl fmt::Display for Left<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.0.codes.len();
        let noun = if total == 1 { "code" } else { "codes" };
        write!(f, "{} of {total} recovery {noun} left", self.0.left())
    }
}

/// An account's codes as a text file (the app's export): a heading naming the account,
/// one code a line with used ones marked, nothing else; [`parse`] reads the codes back.
/// `label` is the account's display label.
pub fn as_text(label: &str, codes: &RecoveryCodes) -> String {
    let mut text = format!(
        "Recovery codes for {label}\n{}.\nEach code signs you in once. Keep this file somewhere safe.\n\n",
        Left(codes)
    );
    for code in &codes.codes {
        text.push_str(&code.code);
        if code.used {
            text.push_str("    (used)");
        }
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Layouts as services print them; each with the codes a person expects.
    #[test]
    fn real_world_layouts() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "GitHub's download: one a line",
                "a1b2c-3d4e5\nf6a7b-8c9d0\n\n1a2b3-c4d5e\n",
                &["a1b2c-3d4e5", "f6a7b-8c9d0", "1a2b3-c4d5e"],
            ),
            (
                "Google's text file: numbered, two columns, codes in two groups",
                "SAVE YOUR BACKUP CODES\nKeep these backup codes somewhere safe but accessible.\n\n\
                 1. 5928 2374        6. 1234 5678\n 2. 8837 1190        7. 9981 0024\n\
                 (jane.doe@gmail.com)\n* You can only use each backup code once.\n\
                 * Generated: Dec 3, 2026\n",
                &["5928 2374", "1234 5678", "8837 1190", "9981 0024"],
            ),
            (
                "Microsoft: one long code in dashed groups",
                "Your recovery code: ABCD1-EFGH2-IJKL3-MNOP4-QRST5",
                &["ABCD1-EFGH2-IJKL3-MNOP4-QRST5"],
            ),
            (
                "comma-separated, pasted from a web page",
                "kd82jd9s, 8sk2kd0a,x82kd02l ; 0s9dk2mx",
                &["kd82jd9s", "8sk2kd0a", "x82kd02l", "0s9dk2mx"],
            ),
            (
                "space-separated long codes on one line",
                "ab12cd34ef ab12cd34eg ab12cd34eh",
                &["ab12cd34ef", "ab12cd34eg", "ab12cd34eh"],
            ),
            (
                "bulleted and numbered with parentheses",
                "- 1111-2222\n* 3333-4444\n(3) 5555-6666\n#4 7777-8888\n05: 9999-0000\n",
                &["1111-2222", "3333-4444", "5555-6666", "7777-8888", "9999-0000"],
            ),
            (
                "a letters-only code long enough to be one (Bitwarden-like)",
                "Recovery code:\nABCDEFGHIJKLMNOPQRSTUVWXYZABCDEF\n",
                &["ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEF"],
            ),
            (
                "tabs between columns, Windows line ends, repeats kept once",
                "aaaa1111\tbbbb2222\r\ncccc3333\taaaa1111\r\n",
                &["aaaa1111", "bbbb2222", "cccc3333"],
            ),
        ];
        for (layout, text, expected) in cases {
            assert_eq!(parse(text), *expected, "{layout}");
        }
    }

    #[test]
    fn prose_and_odd_tokens_are_not_codes() {
        assert!(
            parse("Keep these somewhere safe.\nThank you!\nGenerated on 2026-12-03.\n").is_empty()
        );
        assert!(parse("---\n- \n1.\nab1\n").is_empty());
        let too_long = "a1".repeat(MAX_CODE_CHARS);
        assert!(parse(&too_long).is_empty());
    }

    #[test]
    fn at_most_max_codes_are_read() {
        let text: String = (0..MAX_CODES + 20)
            .map(|n| format!("code{n:04}\n"))
            .collect();
        assert_eq!(parse(&text).len(), MAX_CODES);
    }

    #[test]
    fn codes_are_added_once_and_used_once() {
        let mut set = RecoveryCodes::default();
        assert_eq!(set.add(&parse("5928 2374\n1234-5678\n")), 2);
        assert_eq!(
            set.add(&parse("59282374\n9999 0000\n")),
            1,
            "the same code grouped otherwise"
        );
        assert_eq!(Left(&set).to_string(), "3 of 3 recovery codes left");
        assert_eq!(set.mark_used("5928-2374"), Ok(()));
        assert_eq!(set.mark_used("59282374"), Err(UseError::AlreadyUsed));
        assert_eq!(set.mark_used("0000 0000"), Err(UseError::Unknown));
        assert_eq!(Left(&set).to_string(), "2 of 3 recovery codes left");
        assert!(set.codes[0].used && !set.codes[1].used);
    }

    #[test]
    fn the_text_file_reads_back_with_used_codes_marked() {
        let mut set = RecoveryCodes::default();
        set.add(&parse("a1b2c-3d4e5\nf6a7b-8c9d0\n"));
        assert_eq!(set.mark_used("f6a7b8c9d0"), Ok(()));
        let text = as_text("GitHub (alice)", &set);
        assert_eq!(
            text,
            "Recovery codes for GitHub (alice)\n1 of 2 recovery codes left.\n\
             Each code signs you in once. Keep this file somewhere safe.\n\n\
             a1b2c-3d4e5\nf6a7b-8c9d0    (used)\n"
        );
        assert_eq!(parse(&text), ["a1b2c-3d4e5", "f6a7b-8c9d0"]);
    }
}
