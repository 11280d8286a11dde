//! One decoded text (a QR code's, a line of a file) → entries: an `otpauth://` link is one
//! account, a Google Authenticator export code (`otpauth-migration://`) is several, and
//! anything else is a problem that quotes a short, cleaned preview of it.

use super::google_authenticator;
use super::{not_authenticator, Cause, Contents, Item, Problem};
use crate::otpauth;

/// The entries of `text`, the `item`-th text (1-based) of its file.
pub fn read_link(text: &str, item: usize) -> Contents {
    let trimmed = text.trim();
    let problem = |cause| Problem {
        item,
        issuer: String::new(),
        name: String::new(),
        cause,
    };
    if google_authenticator::is_migration(trimmed) {
        return match google_authenticator::parse(trimmed) {
            Ok(batch) => {
                let part = batch.position();
                let items = batch
                    .entries
                    .into_iter()
                    .map(|entry| match entry {
                        Ok(account) => Item::Account(account),
                        Err(error) => Item::Problem(Problem {
                            item,
                            issuer: error.issuer.clone(),
                            name: error.name.clone(),
                            cause: Cause::ExportEntry { part, error },
                        }),
                    })
                    .collect();
                Contents {
                    items,
                    parts: vec![part],
                }
            }
            Err(error) => Contents {
                items: vec![Item::Problem(problem(Cause::InvalidExport(error)))],
                parts: Vec::new(),
            },
        };
    }
    let item = if is_otpauth_link(trimmed) {
        match otpauth::parse(trimmed) {
            Ok(account) => Item::Account(account),
            Err(error) => Item::Problem(problem(Cause::InvalidLink(error))),
        }
    } else {
        Item::Problem(problem(not_authenticator(trimmed)))
    };
    Contents {
        items: vec![item],
        parts: Vec::new(),
    }
}

/// True when `text` (trimmed) is meant as an authenticator link: `otpauth://` or an
/// export code, in any case.
pub fn is_authenticator_link(text: &str) -> bool {
    let text = text.trim();
    is_otpauth_link(text) || google_authenticator::is_migration(text)
}

fn is_otpauth_link(text: &str) -> bool {
    text.get(..10)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("otpauth://"))
}
