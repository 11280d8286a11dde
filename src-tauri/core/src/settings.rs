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

/// Shortest auto-lock delay: shorter locks before a person can act.
pub const MIN_AUTO_LOCK_SECONDS: u32 = 30;
/// Shortest clipboard delay: shorter wipes a code before it can be pasted.
pub const MIN_CLIPBOARD_SECONDS: u32 = 5;
/// Longest delay, a day: longer is what "never" is for.
pub const MAX_DELAY_SECONDS: u32 = 24 * 60 * 60;

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
    /// Lock when the screen locks (Linux: the freedesktop and GNOME screen savers, logind's
    /// session lock).
    pub lock_on_screen_lock: bool,
    /// Lock when the computer is about to sleep or hibernate.
    pub lock_on_suspend: bool,
    /// Lock when the laptop's lid closes.
    pub lock_on_lid_close: bool,
}

impl Default for Settings {
    /// What a careful person would choose: Aegis and KeePassXC clear the clipboard after
    /// a short while, and lock after a few idle minutes.
    fn default() -> Self {
        Settings {
            clipboard_clear_seconds: Some(20),
            auto_lock_seconds: Some(5 * 60),
            screen_capture_protection: true,
            lock_on_screen_lock: true,
            lock_on_suspend: true,
            lock_on_lid_close: true,
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
    #[error("{what} must be between {min} seconds and a day, or never.")]
    OutOfRange {
        /// The setting's name in `settings.json`.
        field: &'static str,
        what: &'static str,
        min: u32,
    },
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
        let settings: Settings =
            serde_json::from_slice(&bytes).map_err(|error| SettingsError::Invalid {
                path: path.clone(),
                reason: error.to_string(),
            })?;
        settings
            .validate()
            .map_err(|error| SettingsError::Invalid {
                path,
                reason: error.to_string(),
            })?;
        Ok(settings)
    }

    /// Every delay is within its bounds (or never). A hand-edited file is held to the same
    /// bounds as the Settings dialog.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let check = |seconds: Option<u32>, min: u32, field, what| match seconds {
            Some(value) if !(min..=MAX_DELAY_SECONDS).contains(&value) => {
                Err(SettingsError::OutOfRange { field, what, min })
            }
            _ => Ok(()),
        };
        check(
            self.auto_lock_seconds,
            MIN_AUTO_LOCK_SECONDS,
            "autoLockSeconds",
            "The auto-lock delay",
        )?;
        check(
            self.clipboard_clear_seconds,
            MIN_CLIPBOARD_SECONDS,
            "clipboardClearSeconds",
            "The clipboard delay",
        )
    }

    /// Writes the settings atomically into the vault folder `dir`, once they are valid.
    pub fn save(&self, dir: &Path) -> Result<(), SettingsError> {
        self.validate()?;
        let json = serde_json::to_vec_pretty(self)
            .map_err(|error| SettingsError::Write(std::io::Error::other(error)))?;
        write_atomically(&dir.join(SETTINGS_FILE), &json).map_err(SettingsError::Write)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_from_before_the_lock_switches_locks_with_the_os() {
        let dir = tempfile::tempdir().unwrap();
        let old = r#"{"clipboardClearSeconds": 20, "autoLockSeconds": 300, "screenCaptureProtection": true}"#;
        std::fs::write(dir.path().join(SETTINGS_FILE), old).unwrap();
        let settings = Settings::load(dir.path()).unwrap();
        assert!(
            settings.lock_on_screen_lock && settings.lock_on_suspend && settings.lock_on_lid_close
        );
    }

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
            lock_on_suspend: false,
            ..Settings::default()
        };
        settings.save(dir.path()).unwrap();
        let text = std::fs::read_to_string(dir.path().join(SETTINGS_FILE)).unwrap();
        assert!(text.contains("\"clipboardClearSeconds\": null"), "{text}");
        assert_eq!(Settings::load(dir.path()).unwrap(), settings);
    }

    #[test]
    fn out_of_range_delays_are_refused_on_save_and_on_load() {
        let dir = tempfile::tempdir().unwrap();
        for (json, field) in [
            (r#"{"autoLockSeconds": 1}"#, "autoLockSeconds"),
            (r#"{"autoLockSeconds": 86401}"#, "autoLockSeconds"),
            (r#"{"clipboardClearSeconds": 0}"#, "clipboardClearSeconds"),
        ] {
            let settings: Settings = serde_json::from_str(json).unwrap();
            match settings.validate() {
                Err(SettingsError::OutOfRange { field: named, .. }) => assert_eq!(named, field),
                other => panic!("{json}: {other:?}"),
            }
            assert!(settings.save(dir.path()).is_err(), "{json} was saved");
            std::fs::write(dir.path().join(SETTINGS_FILE), json).unwrap();
            assert!(
                matches!(
                    Settings::load(dir.path()),
                    Err(SettingsError::Invalid { .. })
                ),
                "{json} was loaded"
            );
        }
        let edges = Settings {
            clipboard_clear_seconds: Some(MIN_CLIPBOARD_SECONDS),
            auto_lock_seconds: Some(MAX_DELAY_SECONDS),
            ..Settings::default()
        };
        assert!(edges.validate().is_ok());
        assert!(Settings::default().validate().is_ok());
    }

    #[test]
    fn delays_are_bounded_but_never_is_allowed() {
        let lock = |seconds| Settings {
            auto_lock_seconds: seconds,
            ..Settings::default()
        };
        assert!(lock(None).validate().is_ok());
        assert!(lock(Some(30)).validate().is_ok());
        assert!(lock(Some(86_400)).validate().is_ok());
        assert_eq!(
            lock(Some(29)).validate().map_err(|e| e.to_string()),
            Err("The auto-lock delay must be between 30 seconds and a day, or never.".into())
        );
        assert!(lock(Some(86_401)).validate().is_err());
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
