//! Quick unlock's key store: the operating system's keyring (Secret Service on Linux, the
//! Keychain on macOS, Credential Manager on Windows), behind a small trait so the vault's
//! slot logic does not depend on which one.
//!
//! The keyring holds one random 32-byte key per vault with quick unlock on; the vault's
//! header holds the data key wrapped under it (a slot of kind 2, see [`crate::vault`]). A
//! keyring that is missing, locked, broken or slow never stands between a person and their
//! vault: every failure is a [`KeyringError`] whose text says what happened, and the
//! password slot is untouched by quick unlock.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use zeroize::Zeroizing;

/// The service name every Ringlet entry is stored under.
pub const SERVICE: &str = "Ringlet";

/// How long a keyring call may take before we give up on it. A Secret Service that has to
/// be started, or asks the person to unlock a collection, can take a few seconds; a dead
/// D-Bus peer never answers.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(15);

/// Why quick unlock (or turning it on or off) did not work. No variant carries key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyringError {
    /// The vault has no keyring slot.
    #[error("quick unlock is off for this vault.")]
    NotEnabled,
    /// No keyring service answers: none installed, no D-Bus session, or it crashed.
    #[error("the system keyring cannot be reached ({0}).")]
    Unavailable(String),
    /// The keyring did not answer within [`CALL_TIMEOUT`].
    #[error("the system keyring did not answer within {} seconds.", CALL_TIMEOUT.as_secs())]
    NoAnswer,
    /// The keyring answers but refused access (a locked collection, a dismissed prompt).
    #[error("the system keyring refused access ({0}).")]
    Refused(String),
    /// The entry is not there.
    #[error("its key is not in this computer's keyring (it was removed, or the vault was copied from another computer).")]
    Missing,
    /// The entry is there but does not open the vault's keyring slot.
    #[error("the key in the system keyring does not open this vault (it was changed by another program).")]
    WrongKey,
}

/// Where quick unlock keeps its keys.
pub trait SecretStore: Send + Sync {
    /// The secret stored under `entry`; [`KeyringError::Missing`] when there is none.
    fn get(&self, entry: &str) -> Result<Zeroizing<Vec<u8>>, KeyringError>;
    /// Stores `secret` under `entry`, replacing any older one.
    fn set(&self, entry: &str, secret: &[u8]) -> Result<(), KeyringError>;
    /// Removes `entry`; removing an entry that is not there succeeds.
    fn delete(&self, entry: &str) -> Result<(), KeyringError>;
}

/// The operating system's keyring, through the `keyring` crate. Every call runs on its own
/// thread and is given up after [`CALL_TIMEOUT`].
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemKeyring;

impl SecretStore for SystemKeyring {
    fn get(&self, entry: &str) -> Result<Zeroizing<Vec<u8>>, KeyringError> {
        let entry = entry.to_owned();
        with_timeout(move || Ok(Zeroizing::new(os_entry(&entry)?.get_secret()?)))
    }

    fn set(&self, entry: &str, secret: &[u8]) -> Result<(), KeyringError> {
        let entry = entry.to_owned();
        let secret = Zeroizing::new(secret.to_vec());
        with_timeout(move || Ok(os_entry(&entry)?.set_secret(&secret)?))
    }

    fn delete(&self, entry: &str) -> Result<(), KeyringError> {
        let entry = entry.to_owned();
        with_timeout(move || match os_entry(&entry)?.delete_credential() {
            Err(::keyring::Error::NoEntry) => Ok(()),
            other => Ok(other?),
        })
    }
}

fn os_entry(entry: &str) -> Result<::keyring::Entry, KeyringError> {
    Ok(::keyring::Entry::new(SERVICE, entry)?)
}

/// Runs a keyring call on a thread of its own so that a keyring that never answers cannot
/// freeze the caller. The thread of a call given up on is left to finish (or not) alone.
fn with_timeout<T: Send + 'static>(
    call: impl FnOnce() -> Result<T, KeyringError> + Send + 'static,
) -> Result<T, KeyringError> {
    with_time_limit(CALL_TIMEOUT, call)
}

fn with_time_limit<T: Send + 'static>(
    limit: Duration,
    call: impl FnOnce() -> Result<T, KeyringError> + Send + 'static,
) -> Result<T, KeyringError> {
    let (tx, rx) = mpsc::channel();
    thread::Builder::new()
        .name("ringlet-keyring".into())
        .spawn(move || {
            let _ = tx.send(call());
        })
        .map_err(|e| KeyringError::Unavailable(format!("could not start a thread: {e}")))?;
    rx.recv_timeout(limit)
        .unwrap_or(Err(KeyringError::NoAnswer))
}

impl From<::keyring::Error> for KeyringError {
    fn from(e: ::keyring::Error) -> Self {
        use ::keyring::Error as E;
        match e {
            E::NoEntry => KeyringError::Missing,
            E::NoStorageAccess(inner) => KeyringError::Refused(one_line(&inner.to_string())),
            E::PlatformFailure(inner) => KeyringError::Unavailable(one_line(&inner.to_string())),
            // Bad attributes, ambiguous entries, bad encodings: the keyring holds something
            // we did not write, which for our purpose is as good as missing.
            E::Ambiguous(_) | E::BadEncoding(_) => KeyringError::WrongKey,
            other => KeyringError::Unavailable(one_line(&other.to_string())),
        }
    }
}

/// Platform errors can be long and multi-line (D-Bus messages); keep a short first line.
fn one_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    let mut out: String = line.chars().take(160).collect();
    if line.chars().count() > 160 {
        out.push('…');
    }
    if out.is_empty() {
        out.push_str("no detail given");
    }
    out
}

/// The entry name of a vault's keyring slot: the vault id and the slot's salt, so that two
/// vaults (or a slot made again after turning quick unlock off and on) never share a key.
pub(crate) fn entry_name(vault_id: &[u8], salt: &[u8]) -> String {
    format!(
        "vault {} key {}",
        data_encoding::HEXLOWER.encode(vault_id),
        data_encoding::HEXLOWER.encode(salt)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_messages_are_cut_to_one_short_line() {
        assert_eq!(one_line("first\nsecond"), "first");
        assert_eq!(one_line(""), "no detail given");
        let long = "x".repeat(300);
        let cut = one_line(&long);
        assert_eq!(cut.chars().count(), 161);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn a_call_that_does_not_return_in_time_is_given_up() {
        let slow = with_time_limit(Duration::from_millis(50), || {
            thread::sleep(Duration::from_secs(2));
            Ok(1)
        });
        assert_eq!(slow, Err(KeyringError::NoAnswer));
        assert_eq!(with_timeout(|| Ok(7)), Ok(7));
        assert_eq!(
            with_timeout::<()>(|| Err(KeyringError::Missing)),
            Err(KeyringError::Missing)
        );
    }

    #[test]
    fn entry_names_differ_per_vault_and_per_slot() {
        let a = entry_name(&[1; 16], &[2; 16]);
        assert!(a.starts_with("vault 0101"));
        assert_ne!(a, entry_name(&[1; 16], &[3; 16]));
        assert_ne!(a, entry_name(&[4; 16], &[2; 16]));
    }

    #[test]
    fn keyring_errors_map_to_what_a_person_can_act_on() {
        assert_eq!(
            KeyringError::from(::keyring::Error::NoEntry),
            KeyringError::Missing
        );
        let refused = KeyringError::from(::keyring::Error::NoStorageAccess(Box::new(
            std::io::Error::other("collection is locked\nmore detail"),
        )));
        assert_eq!(
            refused,
            KeyringError::Refused("collection is locked".into())
        );
        assert!(refused.to_string().contains("refused access"));
    }
}
