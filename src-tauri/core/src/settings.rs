//! Preferences kept beside the vault in `settings.json`: plain JSON, nothing secret, so
//! they can be read before the vault is unlocked (the auto-lock delay applies to the
//! unlocked vault, the clipboard delay to every copy).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::vault::files::write_atomically;

/// The file name inside the vault folder.
pub const SETTINGS_FILE: &str = "settings.json";

/// A settings file larger than this is not ours.
const MAX_SETTINGS_BYTES: u64 = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Settings {
    /// Seconds after which a copied code is wiped from the clipboard, if it is still there;
    /// `None` never wipes.
    pub clipboard_clear_seconds: Option<u32>,
    /// Seconds without use after which the app locks the vault; `None` never locks.
    pub auto_lock_seconds: Option<u32>,
    /// Ask the OS to keep the window out of screenshots and screen sharing. Honoured on
    /// Windows and on macOS before 15; Linux has no such mechanism.
    pub screen_capture_protection: bool,
}

impl Default for Settings {
    /// What a careful person would choose: Aegis and KeePassXC clear the clipboard after
    /// a short while, and lock after a few idle minutes.
    fn default() -> Self {
        Settings {
            clipboard_clear_seconds: Some(20),
            auto_lock_seconds: Some(5 * 60),
            screen_capture_protection: true,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("The settings file {path} could not be read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("The settings file {path} is not valid ({reason}); the defaults are used until it is saved again.")]
    Invalid { path: PathBuf, reason: String },
    #[error("The settings could not be saved: {0}")]
    Write(std::io::Error),
}

impl Settings {
    /// The settings of the vault folder `dir`: the defaults when there is no file yet.
    pub fn load(dir: &Path) -> Result<Settings, SettingsError> {
        let path = dir.join(SETTINGS_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Settings::default())
            }
            Err(source) => return Err(SettingsError::Read { path, source }),
        };
        if bytes.len() as u64 > MAX_SETTINGS_BYTES {
            return Err(SettingsError::Invalid {
                path,
                reason: "it is far too large".into(),
            });
        }
        serde_json::from_slice(&bytes).map_err(|error| SettingsError::Invalid {
            path,
            reason: error.to_string(),
        })
    }

    /// Writes the settings atomically into the vault folder `dir`.
    pub fn save(&self, dir: &Path) -> Result<(), SettingsError> {
        let json = serde_json::to_vec_pretty(self)
            .map_err(|error| SettingsError::Write(std::io::Error::other(error)))?;
        write_atomically(&dir.join(SETTINGS_FILE), &json).map_err(SettingsError::Write)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_gives_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Settings::load(dir.path()).unwrap(), Settings::default());
        assert_eq!(Settings::default().clipboard_clear_seconds, Some(20));
        assert_eq!(Settings::default().auto_lock_seconds, Some(300));
    }

    #[test]
    fn saved_settings_load_back_and_never_is_null() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            clipboard_clear_seconds: None,
            auto_lock_seconds: Some(42),
            screen_capture_protection: false,
        };
        settings.save(dir.path()).unwrap();
        let text = std::fs::read_to_string(dir.path().join(SETTINGS_FILE)).unwrap();
        assert!(text.contains("\"clipboardClearSeconds\": null"), "{text}");
        assert_eq!(Settings::load(dir.path()).unwrap(), settings);
    }

    #[test]
    fn a_partial_file_keeps_defaults_for_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(SETTINGS_FILE), r#"{"autoLockSeconds": 60}"#).unwrap();
        let settings = Settings::load(dir.path()).unwrap();
        assert_eq!(settings.auto_lock_seconds, Some(60));
        assert_eq!(settings.clipboard_clear_seconds, Some(20));
        assert!(settings.screen_capture_protection);
    }

    #[test]
    fn a_broken_file_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(SETTINGS_FILE), "{not json").unwrap();
        let error = Settings::load(dir.path()).unwrap_err();
        assert!(matches!(error, SettingsError::Invalid { .. }));
        assert!(error.to_string().contains("defaults are used"));
    }
}
