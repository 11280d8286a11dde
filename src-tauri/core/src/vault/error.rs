//! What can go wrong with a vault, in words a person can act on.
//!
//! No variant carries a secret, a key, an issuer or an account name: only record ids
//! (random, not secret), paths and descriptions written by this module.

use std::io;

use crate::keyring::KeyringError;
use crate::model::AccountId;

/// Everything [`Vault`](super::Vault) operations can fail with.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The password does not open any key slot of the vault.
    #[error("Wrong password.")]
    WrongPassword,
    /// The vault's files failed an integrity check or cannot be read as a vault.
    /// The text says which part (a record id, the header, the record database).
    #[error("The vault is damaged: {0}.")]
    Damaged(String),
    /// Another `Vault` (in this or another process) holds the vault open.
    #[error(
        "The vault is in use by another Ringlet process (the app or ringlet-cli). Close it and try again."
    )]
    InUse,
    /// There is no vault in the folder (no header file).
    #[error("There is no vault in this folder.")]
    NotFound,
    /// `create` was asked to make a vault where one already exists.
    #[error("A vault already exists in this folder.")]
    AlreadyExists,
    /// No account with this id is stored in the vault.
    #[error("No account with id {0} is stored in the vault.")]
    AccountNotFound(AccountId),
    /// Quick unlock (the keyring slot) did not give the data key, or could not be turned on.
    #[error("Quick unlock did not work: {0} Your password still opens the vault.")]
    QuickUnlock(#[from] KeyringError),
    /// The operating system refused a read or a write.
    #[error("Could not read or write the vault's files: {0}")]
    Io(#[from] io::Error),
}

impl VaultError {
    pub(crate) fn damaged(description: impl Into<String>) -> Self {
        VaultError::Damaged(description.into())
    }
}
