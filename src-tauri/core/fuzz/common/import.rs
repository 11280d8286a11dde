//! Shared by the `import_*` targets: one family of other apps' formats on arbitrary bytes,
//! as a whole file (without a password, then with one: key derivation is cheap in fuzz
//! builds, its caps are not) and as the content its decryption would give.

use ringlet_core::import::{self, fuzzing, Contents, Item, Opened};
use ringlet_core::otpauth;

use crate::common::{check_account, Source};

/// Every format whose id is `id`, and its reader of decrypted content, on `data`.
pub fn run(id: &str, data: &[u8]) {
    for format in import::FORMATS.iter().filter(|format| format.id() == id) {
        let _ = format.recognises(data);
        for password in [None, Some(&b"pw"[..])] {
            if let Ok(Opened::Read(contents)) = import::open_bytes_as(*format, data, password) {
                check(contents);
            }
        }
    }
    if let Some(Ok(contents)) = fuzzing::read_decrypted(id, data) {
        check(contents);
    }
}

/// Accounts must compute codes and survive their own link; problems must print.
fn check(contents: Contents) {
    assert!(contents.entry_count() <= import::MAX_ENTRIES);
    for item in &contents.items {
        match item {
            Item::Account(account) => {
                check_account(account, Source::Validated);
                let back = otpauth::parse(&otpauth::to_uri(account))
                    .expect("the link of an imported account must parse");
                assert!(back.otp == account.otp, "{back:?} vs {account:?}");
            }
            Item::Problem(problem) => {
                let _ = problem.to_string();
            }
        }
    }
}
