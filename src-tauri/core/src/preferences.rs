//! Preferences that protect nothing, kept in clear in `preferences.json` beside the vault,
//! so they apply before it is unlocked: the quick picker's global shortcut (it opens the
//! picker's unlock prompt while locked), and later the theme and the language of the unlock
//! screen. Settings that protect (auto-lock, clipboard wipe, capture protection) stay
//! sealed in `settings.json` ([`crate::settings`]).
//!
//! Anyone who can write the vault folder can change these; the worst they can do is pick
//! another shortcut from [`SHORTCUTS`] or turn it off. A file that is not valid is left
//! unused (the defaults apply) and said once.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::vault::files::write_atomically;

pub const PREFERENCES_FILE: &str = "preferences.json";
/// Far above any valid file: a larger one is not read.
const MAX_PREFERENCES_BYTES: u64 = 16 * 1024;

/// The global shortcuts the quick picker may take: common free combinations, one of which
/// a person picks in Settings (no free text to validate, and none that a desktop uses for
/// itself, such as Super alone or Alt+Tab).
pub const SHORTCUTS: &[&str] = &["Ctrl+Alt+Space", "Ctrl+Shift+Space", "Super+Alt+Space"];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Preferences {
    /// The quick picker's global shortcut, one of [`SHORTCUTS`]; `None`: off (the default,
    /// until the person turns it on).
    pub quick_shortcut: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PreferencesError {
    #[error("The preferences file {path} could not be read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("The preferences file {path} is not valid ({reason}); the defaults are used until it is saved again.")]
    Invalid { path: PathBuf, reason: String },
    #[error("The preferences could not be saved: {0}")]
    Write(std::io::Error),
    #[error("{0:?} is not one of the shortcuts Ringlet offers ({list}).", list = SHORTCUTS.join(", "))]
    UnknownShortcut(String),
}

impl Preferences {
    /// The preferences in folder `dir`: the defaults when there is no file yet.
    pub fn load(dir: &Path) -> Result<Preferences, PreferencesError> {
        let path = dir.join(PREFERENCES_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Preferences::default())
            }
            Err(source) => return Err(PreferencesError::Read { path, source }),
        };
        let invalid = |reason: String| PreferencesError::Invalid {
            path: path.clone(),
            reason,
        };
        if bytes.len() as u64 > MAX_PREFERENCES_BYTES {
            return Err(invalid("it is far too large".into()));
        }
        let preferences: Preferences =
            serde_json::from_slice(&bytes).map_err(|error| invalid(error.to_string()))?;
        preferences
            .validate()
            .map_err(|error| invalid(error.to_string()))?;
        Ok(preferences)
    }

    /// Writes the preferences atomically into `dir`, once they are valid.
    pub fn save(&self, dir: &Path) -> Result<(), PreferencesError> {
        self.validate()?;
        let json = serde_json::to_vec_pretty(self)
            .map_err(|error| PreferencesError::Write(std::io::Error::other(error)))?;
        write_atomically(&dir.join(PREFERENCES_FILE), &json).map_err(PreferencesError::Write)
    }

    pub fn validate(&self) -> Result<(), PreferencesError> {
        match &self.quick_shortcut {
            Some(shortcut) if !SHORTCUTS.contains(&shortcut.as_str()) => {
                Err(PreferencesError::UnknownShortcut(shortcut.clone()))
            }
            _ => Ok(()),
        }
    }

    /// Sets one preference from `NAME=VALUE` (the CLI's `preferences set`): `quickShortcut=
    /// Ctrl+Alt+Space`, or `off`.
    pub fn assign(&mut self, assignment: &str) -> Result<(), PreferencesError> {
        let unknown = || PreferencesError::Invalid {
            path: PathBuf::from(PREFERENCES_FILE),
            reason: format!("{assignment:?} is not NAME=VALUE of a preference (quickShortcut)"),
        };
        let (name, value) = assignment.split_once('=').ok_or_else(unknown)?;
        match name.trim() {
            "quickShortcut" => {
                let value = value.trim();
                self.quick_shortcut =
                    (!value.eq_ignore_ascii_case("off")).then(|| value.to_owned());
            }
            _ => return Err(unknown()),
        }
        self.validate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_means_defaults_and_saved_reads_back() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            Preferences::load(dir.path()).ok(),
            Some(Preferences::default())
        );
        assert_eq!(
            Preferences::default().quick_shortcut,
            None,
            "off until turned on"
        );
        let chosen = Preferences {
            quick_shortcut: Some("Ctrl+Shift+Space".into()),
        };
        chosen.save(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(Preferences::load(dir.path()).ok(), Some(chosen));
    }

    #[test]
    fn a_shortcut_not_offered_or_a_hostile_file_is_refused() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let odd = Preferences {
            quick_shortcut: Some("Alt+Tab".into()),
        };
        assert!(matches!(
            odd.save(dir.path()),
            Err(PreferencesError::UnknownShortcut(_))
        ));
        let path = dir.path().join(PREFERENCES_FILE);
        for body in [
            r#"{"quickShortcut": "Alt+F4"}"#,
            r#"{"quickShortcut": 7}"#,
            r#"{"somethingElse": true}"#,
            "not json",
        ] {
            std::fs::write(&path, body).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                matches!(
                    Preferences::load(dir.path()),
                    Err(PreferencesError::Invalid { .. })
                ),
                "{body}"
            );
        }
        std::fs::write(&path, vec![b' '; 20 * 1024]).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            Preferences::load(dir.path()),
            Err(PreferencesError::Invalid { .. })
        ));
    }

    #[test]
    fn assignments_set_or_turn_off_the_shortcut() {
        let mut preferences = Preferences::default();
        preferences
            .assign("quickShortcut=Ctrl+Alt+Space")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            preferences.quick_shortcut.as_deref(),
            Some("Ctrl+Alt+Space")
        );
        preferences
            .assign("quickShortcut=off")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(preferences.quick_shortcut, None);
        assert!(preferences.assign("quickShortcut=Ctrl+Q").is_err());
        assert!(preferences.assign("theme=dark").is_err());
    }
}
