//! HOTP's one rule, for the app and the CLI alike: the stored counter is the one the next
//! code uses, and showing a code saves counter + 1 *before* the code is shown, so a code
//! that was shown is never shown again (a crash after the save loses a code, never repeats
//! one).

use crate::model::{AccountId, Entry, OtpKind};
use crate::otp::{self, OtpError};
use crate::vault::{Vault, VaultError};

/// A code that may now be shown.
#[derive(Debug)]
pub struct ShownHotp {
    /// The account as it is now stored: its counter is the next one, `counter + 1`.
    pub entry: Entry,
    /// The counter the code was made with.
    pub counter: u64,
    pub code: String,
}

#[derive(Debug, thiserror::Error)]
pub enum HotpError {
    #[error("Only counter-based (HOTP) accounts have a next code.")]
    NotHotp,
    #[error("This account's counter cannot go any higher.")]
    CounterExhausted,
    #[error(transparent)]
    Otp(#[from] OtpError),
    #[error(transparent)]
    Vault(#[from] VaultError),
}

/// Makes the code of the account `id`'s stored counter, saves the counter + 1 durably, and
/// only then returns the code. Nothing is saved when the code cannot be made.
pub fn advance_then_show(vault: &Vault, id: AccountId) -> Result<ShownHotp, HotpError> {
    let mut entry = vault.get(id)?;
    let OtpKind::Hotp { counter } = entry.account.otp.kind else {
        return Err(HotpError::NotHotp);
    };
    let code = otp::generate(&entry.account.otp, 0)?;
    let next = counter.checked_add(1).ok_or(HotpError::CounterExhausted)?;
    entry.account.otp.kind = OtpKind::Hotp { counter: next };
    vault.update(id, &entry.account)?;
    Ok(ShownHotp {
        entry,
        counter,
        code,
    })
}
