//! The one error type of `ringlet-cli`, and the one place that maps errors to exit codes.
//!
//! | code | meaning                                                   |
//! |------|-----------------------------------------------------------|
//! | 0    | done                                                      |
//! | 1    | bad input or usage (including "no vault here")           |
//! | 2    | wrong password                                            |
//! | 3    | vault damaged or unreadable                               |
//! | 4    | vault in use by another Ringlet process                   |
//!
//! No message carries a secret or a password: vault errors only name ids and paths, and
//! the CLI's own messages name files, issuers and account names.

use std::io;
use std::path::{Path, PathBuf};

use ringlet_core::vault::VaultError;

/// Exit code for success.
pub const EXIT_OK: u8 = 0;
/// Exit code for bad input or usage.
pub const EXIT_INPUT: u8 = 1;
/// Exit code for a wrong password.
pub const EXIT_WRONG_PASSWORD: u8 = 2;
/// Exit code for a vault that is damaged or cannot be read.
pub const EXIT_DAMAGED: u8 = 3;
/// Exit code for a vault held open by another process.
pub const EXIT_IN_USE: u8 = 4;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The command line itself is wrong; `main` adds a hint to run `--help`.
    #[error("{0}")]
    Usage(String),
    /// The command line is well formed but its input is not usable (a bad URI, no
    /// matching account, an unreadable file, nothing found…).
    #[error("{0}")]
    Input(String),
    /// A command that needs a vault found none.
    #[error("No vault at {}. Create one with `ringlet-cli init`.", .0.display())]
    NoVault(PathBuf),
    /// `init` found a vault already there.
    #[error("A vault already exists at {}.", .0.display())]
    VaultExists(PathBuf),
    #[error("Wrong password.")]
    WrongPassword,
    /// The vault failed an integrity check, or its files cannot be read or written.
    #[error("{0}")]
    Damaged(String),
    /// Holds who has the vault open (e.g. "ringlet-cli, process 1234") when known.
    #[error(
        "The vault is in use by another Ringlet process ({}). Close it and try again.",
        .0.as_deref().unwrap_or("the app or ringlet-cli")
    )]
    InUse(Option<String>),
    /// Standard output could not be written (e.g. a closed pipe).
    #[error("Cannot write the output: {0}")]
    Output(io::Error),
}

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_)
            | CliError::Input(_)
            | CliError::NoVault(_)
            | CliError::VaultExists(_)
            | CliError::Output(_) => EXIT_INPUT,
            CliError::WrongPassword => EXIT_WRONG_PASSWORD,
            CliError::Damaged(_) => EXIT_DAMAGED,
            CliError::InUse(_) => EXIT_IN_USE,
        }
    }

    pub fn is_usage(&self) -> bool {
        matches!(self, CliError::Usage(_))
    }

    /// A vault error in the context of the vault folder `dir`.
    pub fn from_vault(error: VaultError, dir: &Path) -> CliError {
        match error {
            VaultError::WrongPassword => CliError::WrongPassword,
            VaultError::Damaged(damage) => CliError::Damaged(format!(
                "The vault at {} is damaged: {damage}.",
                dir.display()
            )),
            VaultError::InUse => CliError::InUse(ringlet_core::vault::Vault::lock_holder(dir)),
            VaultError::NotFound => CliError::NoVault(dir.to_path_buf()),
            VaultError::AlreadyExists => CliError::VaultExists(dir.to_path_buf()),
            VaultError::AccountNotFound(id) => CliError::Input(format!(
                "No account with id {id} is in the vault (was it removed meanwhile?)."
            )),
            // Not damage, and not the person's input: nothing can be done but update.
            error @ (VaultError::NewerFormat(_) | VaultError::NewerRecord(_)) => {
                CliError::Damaged(error.to_string())
            }
            // The CLI never uses quick unlock; kept for completeness.
            error @ VaultError::QuickUnlock(_) => CliError::Input(error.to_string()),
            VaultError::Io(error) => CliError::Damaged(format!(
                "Cannot read or write the vault at {}: {error}",
                dir.display()
            )),
            error @ (VaultError::Internal(_) | VaultError::BackupNotVerified(_)) => {
                CliError::Damaged(error.to_string())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ringlet_core::vault::Damage;

    #[test]
    fn every_vault_error_has_its_exit_code() {
        let dir = Path::new("/some/vault");
        let code = |e: VaultError| CliError::from_vault(e, dir).exit_code();
        assert_eq!(code(VaultError::WrongPassword), EXIT_WRONG_PASSWORD);
        assert_eq!(code(Damage::HeaderMac.into()), EXIT_DAMAGED);
        assert_eq!(code(VaultError::Io(io::Error::other("disk"))), EXIT_DAMAGED);
        assert_eq!(code(VaultError::InUse), EXIT_IN_USE);
        assert_eq!(code(VaultError::NotFound), EXIT_INPUT);
        assert_eq!(code(VaultError::AlreadyExists), EXIT_INPUT);
        assert_eq!(code(VaultError::NewerFormat(3)), EXIT_DAMAGED);
        assert_eq!(
            code(VaultError::AccountNotFound(ringlet_core::AccountId(
                [1; 16]
            ))),
            EXIT_INPUT
        );
    }

    #[test]
    fn missing_vault_message_tells_how_to_create_one() {
        let message = CliError::from_vault(VaultError::NotFound, Path::new("/v")).to_string();
        assert_eq!(
            message,
            "No vault at /v. Create one with `ringlet-cli init`."
        );
    }

    #[test]
    fn damaged_message_names_the_folder() {
        let id = ringlet_core::AccountId([0x12; 16]);
        let message =
            CliError::from_vault(Damage::RecordUnreadable(id).into(), Path::new("/v")).to_string();
        assert_eq!(
            message,
            format!("The vault at /v is damaged: record {id} failed its integrity check.")
        );
    }

    #[test]
    fn usage_errors_are_flagged() {
        assert!(CliError::Usage("x".into()).is_usage());
        assert!(!CliError::Input("x".into()).is_usage());
        assert_eq!(CliError::Usage("x".into()).exit_code(), EXIT_INPUT);
    }
}
