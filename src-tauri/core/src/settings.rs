//! Preferences kept beside the vault in `settings.json`: plain JSON, nothing secret, sealed
//! with a MAC under a sub-key of the vault's data key, so that someone who can write the
//! folder but cannot open the vault cannot turn the auto-lock or the clipboard wipe off.
//! They are read once the vault is open (every setting applies to the unlocked vault); a
//! file whose MAC does not hold is not used: the defaults apply, and the person is told.
//!
//! ```text
//! {"settings": {...the fields below, camelCase...}, "mac": "<HMAC-SHA256, hex>"}
//! ```
//! The MAC covers the exact bytes of the `settings` value as written, so a later version's
//! fields survive a round trip through an earlier one only if it does not rewrite them.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::vault::files::write_atomically;
use crate::vault::Vault;

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
    /// The file's MAC does not hold under this vault's key: edited by hand or by someone
    /// else, copied from another vault, or written before settings were sealed.
    #[error("The settings file {path} was not written by Ringlet for this vault (edited, copied from elsewhere, or made by an older version), so it is not used: the defaults apply until you save the settings again.")]
    Unsealed { path: PathBuf },
    /// A `NAME=VALUE` that names no setting or gives it a value of the wrong kind.
    #[error("{0}")]
    Assignment(String),
    #[error("{what} must be between {min} seconds and a day, or never.")]
    OutOfRange {
        /// The setting's name in `settings.json`.
        field: &'static str,
        what: &'static str,
        min: u32,
    },
}

/// `settings.json` as stored: the settings' exact bytes and their MAC.
#[derive(Deserialize)]
struct SealedFile<'a> {
    #[serde(borrow)]
    settings: &'a serde_json::value::RawValue,
    mac: String,
}

impl Settings {
    /// The settings of the vault `vault` in folder `dir`: the defaults when there is no
    /// file yet; [`SettingsError::Unsealed`] when its MAC does not hold (the caller uses
    /// the defaults and says so).
    pub fn load_sealed(dir: &Path, vault: &Vault) -> Result<Settings, SettingsError> {
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
        let Ok(sealed) = serde_json::from_slice::<SealedFile>(&bytes) else {
            return Err(SettingsError::Unsealed { path });
        };
        let body = sealed.settings.get().as_bytes();
        let mac = data_encoding::HEXLOWER_PERMISSIVE.decode(sealed.mac.as_bytes());
        if !mac.is_ok_and(|mac| vault.verify_settings_mac(body, &mac)) {
            return Err(SettingsError::Unsealed { path });
        }
        let settings: Settings =
            serde_json::from_slice(body).map_err(|error| SettingsError::Invalid {
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

    /// Writes the settings, sealed for `vault`, atomically into its folder `dir`, once they
    /// are valid.
    pub fn save_sealed(&self, dir: &Path, vault: &Vault) -> Result<(), SettingsError> {
        self.validate()?;
        let body = serde_json::to_string(self)
            .map_err(|error| SettingsError::Write(std::io::Error::other(error)))?;
        let mac = data_encoding::HEXLOWER.encode(&vault.settings_mac(body.as_bytes()));
        let file = format!("{{\"settings\": {body},\n \"mac\": \"{mac}\"}}\n");
        write_atomically(&dir.join(SETTINGS_FILE), file.as_bytes()).map_err(SettingsError::Write)
    }

    /// Sets one setting from `NAME=VALUE`, NAME as in `settings.json`: a delay in seconds
    /// or `never` (`autoLockSeconds=60`, `clipboardClearSeconds=never`), a switch `true` or
    /// `false` (`lockOnSuspend=false`). The result is held to the same bounds as the
    /// Settings dialog.
    pub fn assign(&mut self, assignment: &str) -> Result<(), SettingsError> {
        let wrong = |message: String| SettingsError::Assignment(message);
        let (name, value) = assignment
            .split_once('=')
            .ok_or_else(|| wrong(format!("{assignment:?} is not NAME=VALUE.")))?;
        let mut fields = serde_json::to_value(&*self).map_err(|e| wrong(e.to_string()))?;
        let names = fields
            .as_object()
            .map(|fields| fields.keys().cloned().collect::<Vec<_>>().join(", "))
            .unwrap_or_default();
        let slot = fields.get_mut(name).ok_or_else(|| {
            wrong(format!(
                "There is no setting {name:?}. The settings are: {names}."
            ))
        })?;
        *slot = match value {
            "never" => serde_json::Value::Null,
            "true" => serde_json::Value::Bool(true),
            "false" => serde_json::Value::Bool(false),
            number => number
                .parse::<u32>()
                .map(serde_json::Value::from)
                .map_err(|_| {
                    wrong(format!(
                        "{value:?} is not a value for {name}: give seconds, never, true or false."
                    ))
                })?,
        };
        let next: Settings = serde_json::from_value(fields)
            .map_err(|_| wrong(format!("{value:?} is not a value for {name}.")))?;
        next.validate()?;
        *self = next;
        Ok(())
    }

    /// What `new` makes less strict than `self`, by name: turning a protection off, or a
    /// longer delay. Empty when nothing is weakened (the app then asks no password).
    pub fn weakened_by(&self, new: &Settings) -> Vec<&'static str> {
        // `None` (never) is the longest delay of all.
        let longer = |old: Option<u32>, new: Option<u32>| match (old, new) {
            (Some(old), Some(new)) => new > old,
            (Some(_), None) => true,
            (None, _) => false,
        };
        let turned_off = |old: bool, new: bool| old && !new;
        let mut weakened = Vec::new();
        if longer(self.auto_lock_seconds, new.auto_lock_seconds) {
            weakened.push("the auto-lock");
        }
        if longer(self.clipboard_clear_seconds, new.clipboard_clear_seconds) {
            weakened.push("clearing copied codes");
        }
        if turned_off(
            self.screen_capture_protection,
            new.screen_capture_protection,
        ) {
            weakened.push("screen-capture protection");
        }
        if turned_off(self.lock_on_screen_lock, new.lock_on_screen_lock) {
            weakened.push("locking with the screen");
        }
        if turned_off(self.lock_on_suspend, new.lock_on_suspend) {
            weakened.push("locking before sleep");
        }
        if turned_off(self.lock_on_lid_close, new.lock_on_lid_close) {
            weakened.push("locking when the lid closes");
        }
        weakened
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::KdfParams;

    /// A vault (fast key derivation) in its own folder.
    fn vault() -> (tempfile::TempDir, Vault) {
        crate::vault::keep_weak_kdf_for_tests();
        let dir = tempfile::tempdir().unwrap();
        let vault =
            Vault::create_with(dir.path(), b"settings test", KdfParams::fast_for_tests()).unwrap();
        (dir, vault)
    }

    /// Writes `body` as the settings of `vault`, sealed as Ringlet seals them.
    fn write_sealed(dir: &Path, vault: &Vault, body: &str) {
        let mac = data_encoding::HEXLOWER.encode(&vault.settings_mac(body.as_bytes()));
        let file = format!(r#"{{"settings": {body}, "mac": "{mac}"}}"#);
        std::fs::write(dir.join(SETTINGS_FILE), file).unwrap();
    }

    fn load(dir: &Path, vault: &Vault) -> Result<Settings, SettingsError> {
        Settings::load_sealed(dir, vault)
    }

    #[test]
    fn a_file_from_before_the_lock_switches_locks_with_the_os() {
        let (dir, vault) = vault();
        let old = r#"{"clipboardClearSeconds": 20, "autoLockSeconds": 300, "screenCaptureProtection": true}"#;
        write_sealed(dir.path(), &vault, old);
        let settings = load(dir.path(), &vault).unwrap();
        assert!(
            settings.lock_on_screen_lock && settings.lock_on_suspend && settings.lock_on_lid_close
        );
    }

    #[test]
    fn missing_file_gives_the_defaults() {
        let (dir, vault) = vault();
        assert_eq!(load(dir.path(), &vault).unwrap(), Settings::default());
        assert_eq!(Settings::default().clipboard_clear_seconds, Some(20));
        assert_eq!(Settings::default().auto_lock_seconds, Some(300));
    }

    #[test]
    fn saved_settings_load_back_and_never_is_null() {
        let (dir, vault) = vault();
        let settings = Settings {
            clipboard_clear_seconds: None,
            auto_lock_seconds: Some(42),
            screen_capture_protection: false,
            lock_on_suspend: false,
            ..Settings::default()
        };
        settings.save_sealed(dir.path(), &vault).unwrap();
        let text = std::fs::read_to_string(dir.path().join(SETTINGS_FILE)).unwrap();
        assert!(text.contains("\"clipboardClearSeconds\":null"), "{text}");
        assert_eq!(load(dir.path(), &vault).unwrap(), settings);
    }

    /// Someone who can write the folder but not open the vault cannot weaken a setting:
    /// an edited, unsealed, foreign or re-sealed-elsewhere file is refused as a whole.
    #[test]
    fn a_file_not_sealed_for_this_vault_is_not_used() {
        let (dir, vault) = vault();
        let path = dir.path().join(SETTINGS_FILE);
        Settings::default().save_sealed(dir.path(), &vault).unwrap();
        let sealed = std::fs::read_to_string(&path).unwrap();
        let unsealed = |what: &str, text: &str| {
            std::fs::write(&path, text).unwrap();
            let loaded = load(dir.path(), &vault);
            assert!(
                matches!(loaded, Err(SettingsError::Unsealed { .. })),
                "{what}: {loaded:?}"
            );
        };
        unsealed("edited", &sealed.replace("300", "86400"));
        unsealed("no MAC", r#"{"settings": {"autoLockSeconds": null}}"#);
        unsealed("the old plain file", r#"{"autoLockSeconds": null}"#);
        unsealed("not JSON", "{not json");
        let (_other_dir, other) = self::vault();
        let mac =
            data_encoding::HEXLOWER.encode(&other.settings_mac(br#"{"autoLockSeconds":null}"#));
        unsealed(
            "sealed by another vault",
            &format!(r#"{{"settings": {{"autoLockSeconds":null}}, "mac": "{mac}"}}"#),
        );
        let error = SettingsError::Unsealed { path: path.clone() };
        assert!(error.to_string().contains("the defaults apply"), "{error}");
        std::fs::write(&path, &sealed).unwrap();
        assert_eq!(load(dir.path(), &vault).unwrap(), Settings::default());
    }

    /// A password change gives the vault a new key: the settings are sealed again under it.
    #[test]
    fn settings_survive_a_password_change() {
        let (dir, mut vault) = vault();
        let chosen = Settings {
            auto_lock_seconds: None,
            ..Settings::default()
        };
        chosen.save_sealed(dir.path(), &vault).unwrap();
        vault
            .change_password_with(b"another password", KdfParams::fast_for_tests(), None)
            .unwrap();
        assert_eq!(load(dir.path(), &vault).unwrap(), chosen);
        drop(vault);
        let reopened = Vault::open(dir.path(), b"another password").unwrap();
        assert_eq!(load(dir.path(), &reopened).unwrap(), chosen);
    }

    #[test]
    fn out_of_range_delays_are_refused_on_save_and_on_load() {
        let (dir, vault) = vault();
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
            assert!(
                settings.save_sealed(dir.path(), &vault).is_err(),
                "{json} was saved"
            );
            write_sealed(dir.path(), &vault, json);
            assert!(
                matches!(load(dir.path(), &vault), Err(SettingsError::Invalid { .. })),
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
        let (dir, vault) = vault();
        write_sealed(dir.path(), &vault, r#"{"autoLockSeconds": 60}"#);
        let settings = load(dir.path(), &vault).unwrap();
        assert_eq!(settings.auto_lock_seconds, Some(60));
        assert_eq!(settings.clipboard_clear_seconds, Some(20));
        assert!(settings.screen_capture_protection);
    }

    #[test]
    fn a_setting_is_assigned_by_its_name() {
        let mut settings = Settings::default();
        settings.assign("autoLockSeconds=60").unwrap();
        settings.assign("clipboardClearSeconds=never").unwrap();
        settings.assign("lockOnSuspend=false").unwrap();
        assert_eq!(
            settings,
            Settings {
                auto_lock_seconds: Some(60),
                clipboard_clear_seconds: None,
                lock_on_suspend: false,
                ..Settings::default()
            }
        );
        for (bad, says) in [
            ("autoLockSeconds", "NAME=VALUE"),
            ("autoLock=60", "no setting \"autoLock\""),
            ("lockOnSuspend=60", "not a value for lockOnSuspend"),
            ("autoLockSeconds=true", "not a value for autoLockSeconds"),
            ("autoLockSeconds=soon", "give seconds, never, true or false"),
            ("autoLockSeconds=5", "between 30 seconds and a day"),
        ] {
            let refused = settings.clone().assign(bad).map_err(|e| e.to_string());
            assert!(
                refused.as_ref().is_err_and(|e| e.contains(says)),
                "{bad}: {refused:?}"
            );
        }
    }

    #[test]
    fn what_weakens_a_setting_is_named() {
        let strict = Settings::default();
        assert!(strict.weakened_by(&strict).is_empty());
        let stricter = Settings {
            auto_lock_seconds: Some(60),
            clipboard_clear_seconds: Some(10),
            ..Settings::default()
        };
        assert!(
            strict.weakened_by(&stricter).is_empty(),
            "shorter delays are stricter"
        );
        assert_eq!(
            strict.weakened_by(&Settings {
                auto_lock_seconds: None,
                ..Settings::default()
            }),
            ["the auto-lock"]
        );
        assert_eq!(
            stricter.weakened_by(&Settings {
                auto_lock_seconds: Some(61),
                clipboard_clear_seconds: None,
                ..stricter.clone()
            }),
            ["the auto-lock", "clearing copied codes"]
        );
        let all_off = Settings {
            screen_capture_protection: false,
            lock_on_screen_lock: false,
            lock_on_suspend: false,
            lock_on_lid_close: false,
            ..Settings::default()
        };
        assert_eq!(strict.weakened_by(&all_off).len(), 4);
        assert!(
            all_off.weakened_by(&strict).is_empty(),
            "turning protections on"
        );
        let never = Settings {
            auto_lock_seconds: None,
            ..Settings::default()
        };
        assert!(never.weakened_by(&strict).is_empty());
    }
}
