//! What the app holds between commands: where the vault is and, while unlocked, the
//! open vault with the session's transient data.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use ringlet_core::vault::Vault;
use ringlet_core::{Account, AccountId};

use crate::error::AppError;

pub struct AppState {
    vault_dir: PathBuf,
    session: Mutex<Option<Session>>,
}

/// Everything that exists only while the vault is unlocked. Dropping it (on lock)
/// drops the vault's key and every decrypted secret.
pub struct Session {
    pub vault: Vault,
    /// HOTP accounts whose code was generated in this session, with the counter it used:
    /// their code stays on screen until the vault is locked.
    pub hotp_shown: HashMap<AccountId, u64>,
    /// Accounts found by the last image scan, waiting for the person to confirm.
    pub pending_import: Vec<PendingAccount>,
}

pub struct PendingAccount {
    pub id: String,
    pub account: Account,
}

impl Session {
    pub fn new(vault: Vault) -> Self {
        Session {
            vault,
            hotp_shown: HashMap::new(),
            pending_import: Vec::new(),
        }
    }
}

impl AppState {
    pub fn new(vault_dir: PathBuf) -> Self {
        AppState {
            vault_dir,
            session: Mutex::new(None),
        }
    }

    pub fn vault_dir(&self) -> &PathBuf {
        &self.vault_dir
    }

    /// The session slot. A panic in another command must not lock the person out, so a
    /// poisoned lock is taken over rather than propagated.
    pub fn slot(&self) -> MutexGuard<'_, Option<Session>> {
        self.session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` with the unlocked session, or fails with [`AppError::Locked`].
    pub fn with_session<T>(
        &self,
        f: impl FnOnce(&mut Session) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut slot = self.slot();
        let session = slot.as_mut().ok_or(AppError::Locked)?;
        f(session)
    }
}
