//! The checks shared by the two migration targets.

use ringlet_core::import::google_authenticator as migration;

use super::common::{check_account, Source};

pub fn run(text: &str) {
    let _ = migration::is_migration(text);
    let Ok(batch) = migration::parse(text) else {
        return;
    };
    for entry in &batch.entries {
        match entry {
            Ok(account) => check_account(account, Source::Validated),
            Err(problem) => {
                let _ = problem.to_string();
            }
        }
    }
    let position = batch.position();
    for progress in migration::progress([position, position]) {
        let _ = progress.missing();
        let _ = progress.is_complete();
        let _ = progress.note();
    }
}
