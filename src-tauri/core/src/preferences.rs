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

use crate::order::SortBy;
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
    /// When the next period's code shows beside the current one.
    pub next_code: NextCode,
    /// Codes show as dots until their row is hovered, focused or clicked (copying works).
    pub hide_codes: bool,
    /// Smaller rows, for many accounts.
    pub compact: bool,
    /// How the account list is sorted (`crate::order`); pinned accounts stay on top.
    pub sort: SortBy,
    /// Light or dark, or as the OS says.
    pub theme: Theme,
    /// Start with the window in the tray (minimized where there is no tray), as when
    /// Ringlet starts at login. It starts locked either way.
    pub start_hidden: bool,
}

/// The colour theme of every window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Theme {
    /// As the OS says (and follows it when it changes).
    #[default]
    System,
    Light,
    Dark,
}

/// When the next code shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum NextCode {
    /// In a period's last 10 seconds, when a code may expire before it is typed.
    #[default]
    LastSeconds,
    Always,
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

    /// Sets one preference from `NAME=VALUE`: `quickShortcut=Ctrl+Alt+Space` (or `off`),
    /// `nextCode=always|lastSeconds`, `hideCodes=true|false`, `compact=true|false`,
    /// `sort=issuer|name|used|recent|manual`, `theme=system|light|dark`,
    /// `startHidden=true|false`.
    pub fn assign(&mut self, assignment: &str) -> Result<(), PreferencesError> {
        let unknown = || {
            PreferencesError::Invalid {
            path: PathBuf::from(PREFERENCES_FILE),
            reason: format!(
                "{assignment:?} is not NAME=VALUE of a preference (quickShortcut, nextCode, hideCodes, compact, sort, theme, startHidden)"
            ),
        }
        };
        let (name, value) = assignment.split_once('=').ok_or_else(unknown)?;
        let value = value.trim();
        let flag = || match value {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(unknown()),
        };
        // A refused value leaves the preferences as they were.
        let mut changed = self.clone();
        match name.trim() {
            "quickShortcut" => {
                changed.quick_shortcut =
                    (!value.eq_ignore_ascii_case("off")).then(|| value.to_owned());
            }
            "nextCode" => {
                changed.next_code = match value {
                    "always" => NextCode::Always,
                    "lastSeconds" => NextCode::LastSeconds,
                    _ => return Err(unknown()),
                }
            }
            "hideCodes" => changed.hide_codes = flag()?,
            "compact" => changed.compact = flag()?,
            "startHidden" => changed.start_hidden = flag()?,
            "sort" => changed.sort = value.parse().map_err(|_| unknown())?,
            "theme" => {
                changed.theme = match value {
                    "system" => Theme::System,
                    "light" => Theme::Light,
                    "dark" => Theme::Dark,
                    _ => return Err(unknown()),
                }
            }
            _ => return Err(unknown()),
        }
        changed.validate()?;
        *self = changed;
        Ok(())
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
            next_code: NextCode::Always,
            hide_codes: true,
            compact: true,
            sort: SortBy::Recent,
            theme: Theme::Dark,
            start_hidden: true,
        };
        chosen.save(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(Preferences::load(dir.path()).ok(), Some(chosen));
    }

    #[test]
    fn a_shortcut_not_offered_or_a_hostile_file_is_refused() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let odd = Preferences {
            quick_shortcut: Some("Alt+Tab".into()),
            ..Preferences::default()
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
        assert!(preferences.assign("colour=dark").is_err());
        preferences
            .assign("nextCode=always")
            .unwrap_or_else(|e| panic!("{e}"));
        preferences
            .assign("hideCodes=true")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(preferences.next_code, NextCode::Always);
        assert!(preferences.hide_codes);
        assert!(preferences.assign("hideCodes=yes").is_err());
        preferences
            .assign("sort=manual")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(preferences.sort, SortBy::Manual);
        assert!(preferences.assign("sort=size").is_err());
        preferences
            .assign("theme=dark")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(preferences.theme, Theme::Dark);
        assert!(preferences.assign("theme=blue").is_err());
        assert_eq!(
            preferences.theme,
            Theme::Dark,
            "a refused value changes nothing"
        );
    }

    #[test]
    fn a_file_from_before_these_preferences_still_reads() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(
            dir.path().join(PREFERENCES_FILE),
            r#"{"quickShortcut": "Ctrl+Alt+Space"}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let read = Preferences::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.next_code, NextCode::LastSeconds);
        assert!(!read.hide_codes && !read.compact);
        assert_eq!(read.sort, SortBy::Issuer, "the order Ringlet always had");
    }
}
