//! Creating, unlocking and locking the vault.

use tauri::{AppHandle, Runtime, State};

use ringlet_core::keyring::SystemKeyring;
use ringlet_core::vault::{check_new_password, Vault, VaultError};

use crate::dto::{QuickUnlockStatus, VaultStatus};
use crate::error::AppError;
use crate::password::Password;
use crate::state::{AppState, Session};

#[tauri::command]
pub fn vault_status(state: State<'_, AppState>) -> VaultStatus {
    let unlocked = state.slot().is_some();
    let dir = state.vault_dir();
    let status = if unlocked {
        "unlocked"
    } else if Vault::exists(dir) {
        "locked"
    } else if Vault::has_vault_files(dir) {
        // Records without a header: never offer a new vault over them. Opening says
        // "damaged" before any password is asked, which is what lets recovery run.
        if let Err(VaultError::Damaged(_)) = Vault::open(dir, b"") {
            state.saw_damage();
        }
        "damaged"
    } else {
        "missing"
    };
    VaultStatus {
        state: status,
        path: dir.display().to_string(),
        // A damaged header shows up when unlocking; here it only hides the button.
        quick_unlock: !unlocked && Vault::quick_unlock_enabled(dir).unwrap_or(false),
    }
}

/// Argon2 takes about half a second: run on a worker thread, not the UI's.
#[tauri::command(async)]
pub fn create_vault<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    password: Password,
) -> Result<(), AppError> {
    if password.is_empty() {
        return Err(AppError::InvalidInput(
            "Choose a password for the vault.".into(),
        ));
    }
    check_new_password(password.as_bytes())?;
    let vault = Vault::create(state.vault_dir(), password.as_bytes())?;
    let problem = state.load_settings(&vault);
    state.touch();
    *state.slot() = Some(Session::new(vault));
    crate::session_started(&app, problem);
    Ok(())
}

#[tauri::command(async)]
pub fn unlock_vault<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    password: Password,
) -> Result<(), AppError> {
    state.password_check(|| {
        start_session(
            &app,
            &state,
            |dir| Vault::open(dir, password.as_bytes()),
            |vault| vault.verify_password(password.as_bytes()),
        )
    })
}

/// Quick unlock: the key comes from the OS keyring. Never tried on its own (after an
/// auto-lock that would undo the lock): only when the person asks.
#[tauri::command(async)]
pub fn quick_unlock<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<(), AppError> {
    // Already unlocked: the keyring's key is this session's key; nothing to check.
    start_session(
        &app,
        &state,
        |dir| Vault::open_with_keyring(dir, &SystemKeyring),
        |_| Ok(()),
    )
}

/// Opens the vault with `open` and starts the session. When a session is already there
/// (a second window's unlock, a lock that raced), the credential is still checked, by
/// `check` against the open vault: an unlock never succeeds on a wrong password.
fn start_session<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    open: impl FnOnce(&std::path::Path) -> Result<Vault, VaultError>,
    check: impl FnOnce(&Vault) -> Result<(), VaultError>,
) -> Result<(), AppError> {
    let mut slot = state.slot();
    if let Some(session) = slot.as_ref() {
        return Ok(check(&session.vault)?);
    }
    let vault = match open(state.vault_dir()) {
        Ok(vault) => vault,
        Err(error) => {
            if matches!(error, VaultError::Damaged(_)) {
                state.saw_damage();
            }
            return Err(error.into());
        }
    };
    let problem = state.load_settings(&vault);
    state.touch();
    *slot = Some(Session::new(vault));
    drop(slot);
    crate::session_started(app, problem);
    Ok(())
}

#[tauri::command]
pub fn quick_unlock_status(state: State<'_, AppState>) -> Result<QuickUnlockStatus, AppError> {
    state.with_session(|session| Ok(status_of(&session.vault, None)))
}

/// Turning quick unlock on asks for the password again (an unattended unlocked window must
/// not be enough to add a way in); turning it off does not.
#[tauri::command(async)]
pub fn set_quick_unlock(
    state: State<'_, AppState>,
    enabled: bool,
    password: Option<Password>,
) -> Result<QuickUnlockStatus, AppError> {
    state.touch();
    let password = password.unwrap_or_default();
    if !enabled {
        return state.with_session(|session| {
            let left = session.vault.disable_quick_unlock(&SystemKeyring)?;
            let note = left.map(|e| {
                format!(
                    "Quick unlock is off, but its key could not be removed from the system keyring: {e} Remove the “{}” entry by hand.",
                    ringlet_core::keyring::SERVICE
                )
            });
            Ok(status_of(&session.vault, note))
        });
    }
    if password.is_empty() {
        return Err(AppError::InvalidInput(
            "Enter your password to turn on quick unlock.".into(),
        ));
    }
    state.password_check(|| {
        state.with_session(|session| {
            session.vault.verify_password(password.as_bytes())?;
            session.vault.enable_quick_unlock(&SystemKeyring)?;
            Ok(status_of(&session.vault, None))
        })
    })
}

fn status_of(vault: &Vault, note: Option<String>) -> QuickUnlockStatus {
    QuickUnlockStatus {
        enabled: vault.has_quick_unlock(),
        keyring_entry: vault.quick_unlock_entry(),
        note,
    }
}

/// Dropping the session drops the data key and every decrypted secret.
#[tauri::command]
pub fn lock_vault<R: Runtime>(app: AppHandle<R>) {
    crate::autolock::lock(&app, "request");
}

/// The UI reports the person's keyboard and pointer use, which keeps the auto-lock away.
#[tauri::command]
pub fn user_active(state: State<'_, AppState>) {
    state.touch();
}
