//! The one error that crosses IPC. The UI receives `{kind, message}`: `kind` is stable
//! for the UI to branch on, `message` is written for the person who reads it.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use ringlet_core::clock::calibrate::CalibrationError;
use ringlet_core::clock::ClockError;
use ringlet_core::draft::DraftError;
use ringlet_core::edit::EditError;
use ringlet_core::import::ImportError;
use ringlet_core::otp::OtpError;
use ringlet_core::otpauth::UriError;
use ringlet_core::qr::QrError;
use ringlet_core::settings::SettingsError;
use ringlet_core::vault::{PasswordTooShort, VaultError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Uri(#[from] UriError),
    #[error(transparent)]
    Otp(#[from] OtpError),
    #[error(transparent)]
    Qr(#[from] QrError),
    #[error(transparent)]
    Import(#[from] ImportError),
    /// A form's field holds something unusable: the wire names the field.
    #[error(transparent)]
    Form(#[from] DraftError),
    /// The edit dialog's field holds something the account cannot carry: the wire names
    /// the field.
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// A backup file could not be used: wrong password, damaged, unreadable, not one of
    /// the vault's backups.
    #[error("{0}")]
    Backup(String),
    /// A backup did not open with the password given (on the wire a `backup` error, as
    /// before; apart here so that it counts as a wrong password).
    #[error("{0}")]
    BackupPassword(String),
    /// The screen could not be captured, or held no QR code.
    #[error("{0}")]
    ScreenCapture(String),
    #[error("The vault is locked. Unlock it first.")]
    Locked,
    /// The change asks for the vault password again (making a setting less strict); the
    /// message names what.
    #[error("{0}")]
    PasswordRequired(String),
    #[error("{0}")]
    InvalidInput(String),
    /// A new password below the floor ([`ringlet_core::vault::MIN_PASSWORD_CHARS`]); on the
    /// wire an `invalid_input` error naming the `password` field.
    #[error(transparent)]
    PasswordTooShort(#[from] PasswordTooShort),
    /// An export's own password below the same floor: the `exportPassword` field.
    #[error(transparent)]
    ExportPasswordTooShort(PasswordTooShort),
    #[error("The code could not be copied to the clipboard: {0}")]
    Clipboard(String),
    /// A file the person chose (an export) could not be written.
    #[error("The file could not be written: {0}")]
    File(String),
    #[error("Your latest changes are saved, but the automatic backup failed: {0}")]
    BackupFailed(String),
    /// The window system refused what the app asked of it.
    #[error("{0}")]
    Window(String),
    /// The global shortcut asked for could not be taken.
    #[error("{0}")]
    Shortcut(String),
    /// A code could not be typed into the other window (it was copied instead).
    #[error(transparent)]
    Typing(#[from] crate::typing::TypingError),
    /// Sync could not run: the folder is unreachable, holds another vault, … (in words).
    #[error("{0}")]
    Sync(String),
    /// The clock settings: a server name or an offset that cannot be used (the wire names
    /// the field), or the file that could not be written.
    #[error(transparent)]
    Clock(#[from] ClockError),
    /// A code typed to find the clock's offset says nothing usable (the wire names the field).
    #[error(transparent)]
    Calibration(#[from] CalibrationError),
}

impl From<ringlet_core::linked::LinkedError> for AppError {
    fn from(error: ringlet_core::linked::LinkedError) -> AppError {
        match error {
            ringlet_core::linked::LinkedError::Vault(error) => AppError::Vault(error),
            other => AppError::InvalidInput(other.to_string()),
        }
    }
}

impl From<ringlet_core::sync::SyncError> for AppError {
    fn from(error: ringlet_core::sync::SyncError) -> AppError {
        match error {
            ringlet_core::sync::SyncError::Vault(error) => AppError::Vault(error),
            other => AppError::Sync(other.to_string()),
        }
    }
}

impl AppError {
    /// The stable name the UI branches on.
    pub fn kind(&self) -> &'static str {
        match self {
            AppError::Vault(error) => match error {
                VaultError::WrongPassword => "wrong_password",
                VaultError::Damaged(_) => "vault_damaged",
                VaultError::InUse => "vault_in_use",
                VaultError::NotFound => "vault_missing",
                VaultError::AlreadyExists => "vault_exists",
                VaultError::AccountNotFound(_) => "not_found",
                VaultError::NewerFormat(_) | VaultError::NewerRecord(_) => "vault_newer",
                VaultError::QuickUnlock(_) => "quick_unlock_failed",
                VaultError::Io(_) => "io",
                VaultError::BackupNotVerified(_) => "backup",
                VaultError::Internal(_) => "internal",
            },
            // Another app's file: its own password, not the vault's (not paced).
            AppError::Import(ImportError::WrongPassword { .. }) => "wrong_password",
            AppError::Uri(_)
            | AppError::Otp(_)
            | AppError::Qr(_)
            | AppError::Import(_)
            | AppError::Form(_)
            | AppError::Edit(_) => "invalid_input",
            AppError::Settings(SettingsError::OutOfRange { .. }) => "invalid_input",
            AppError::Settings(_) => "settings",
            AppError::Backup(_) | AppError::BackupPassword(_) => "backup",
            AppError::ScreenCapture(_) => "screen_capture",
            AppError::InvalidInput(_)
            | AppError::PasswordTooShort(_)
            | AppError::ExportPasswordTooShort(_) => "invalid_input",
            AppError::Locked => "vault_locked",
            AppError::PasswordRequired(_) => "password_required",
            AppError::Clipboard(_) | AppError::BackupFailed(_) | AppError::File(_) => "io",
            AppError::Window(_) => "internal",
            AppError::Typing(_) => "typing",
            AppError::Shortcut(_) => "shortcut",
            AppError::Sync(_) => "sync",
            AppError::Clock(ClockError::Server(_) | ClockError::OffsetTooLarge) => "invalid_input",
            AppError::Clock(_) => "io",
            AppError::Calibration(_) => "invalid_input",
        }
    }
}

impl AppError {
    /// A password was checked and was wrong (the vault's or a backup's): what paces the
    /// next attempt.
    pub fn is_wrong_password(&self) -> bool {
        matches!(
            self,
            AppError::Vault(VaultError::WrongPassword) | AppError::BackupPassword(_)
        )
    }
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let field = match self {
            AppError::Form(error) => Some(error.field().name()),
            AppError::Edit(error) => Some(error.field()),
            AppError::Settings(SettingsError::OutOfRange { field, .. }) => Some(*field),
            AppError::PasswordTooShort(_) => Some("password"),
            AppError::ExportPasswordTooShort(_) => Some("exportPassword"),
            AppError::Clock(ClockError::Server(_)) => Some("server"),
            AppError::Clock(ClockError::OffsetTooLarge) => Some("offset"),
            AppError::Calibration(CalibrationError::NotTimeBased) => Some("account"),
            AppError::Calibration(_) => Some("code"),
            _ => None,
        };
        let mut wire = serializer.serialize_struct("AppError", 2 + usize::from(field.is_some()))?;
        wire.serialize_field("kind", self.kind())?;
        wire.serialize_field("message", &self.to_string())?;
        if let Some(field) = field {
            wire.serialize_field("field", field)?;
        }
        wire.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ringlet_core::AccountId;
    use serde_json::json;

    fn wire(error: AppError) -> serde_json::Value {
        serde_json::to_value(error).unwrap_or_default()
    }

    #[test]
    fn a_change_that_needs_the_password_says_so_in_its_kind() {
        let message = "Making the auto-lock less strict asks for the vault password.";
        assert_eq!(
            wire(AppError::PasswordRequired(message.into())),
            json!({"kind": "password_required", "message": message})
        );
        // The UI knows the kind (else it would show it as "internal").
        let ui = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/js/errors.js"),
        )
        .unwrap_or_default();
        assert!(ui.contains("'password_required'"));
    }

    #[test]
    fn a_short_new_password_names_the_password_field() {
        assert_eq!(
            wire(PasswordTooShort.into()),
            json!({
                "kind": "invalid_input",
                "message": PasswordTooShort.to_string(),
                "field": "password",
            })
        );
        // The setup and password-change forms refuse the same passwords before asking.
        let ui = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/js/password.js"),
        )
        .unwrap_or_default();
        let floor = ringlet_core::vault::MIN_PASSWORD_CHARS;
        assert!(
            ui.contains(&format!("export const MIN_PASSWORD_CHARS = {floor};")),
            "ui/js/password.js must hold the backend's floor, {floor}"
        );
    }

    #[test]
    fn wrong_password_has_a_stable_wire_shape() {
        assert_eq!(
            wire(VaultError::WrongPassword.into()),
            json!({"kind": "wrong_password", "message": "Wrong password."})
        );
    }

    #[test]
    fn a_form_error_names_its_field() {
        assert_eq!(
            wire(DraftError::MissingPeriod.into()),
            json!({"kind": "invalid_input", "message": "Enter the period.", "field": "period"})
        );
        assert_eq!(wire(DraftError::NoLabel.into())["field"], "issuer");
    }

    #[test]
    fn an_edit_error_names_its_field() {
        assert_eq!(
            wire(EditError::TagTooLong.into()),
            json!({
                "kind": "invalid_input",
                "message": "A tag is at most 64 characters long.",
                "field": "tags",
            })
        );
        assert_eq!(wire(EditError::NoLabel.into())["field"], "issuer");
        assert_eq!(
            wire(EditError::LabelTooLong("name").into())["field"],
            "name"
        );
        assert_eq!(wire(EditError::NoteTooLong.into())["field"], "note");
    }

    #[test]
    fn settings_errors_have_their_own_kind_and_name_the_setting() {
        let out_of_range = SettingsError::OutOfRange {
            field: "autoLockSeconds",
            what: "The auto-lock delay",
            min: 30,
        };
        assert_eq!(
            wire(out_of_range.into()),
            json!({
                "kind": "invalid_input",
                "message": "The auto-lock delay must be between 30 seconds and a day, or never.",
                "field": "autoLockSeconds"
            })
        );
        let unwritable = SettingsError::Write(std::io::Error::other("disk full"));
        assert_eq!(
            wire(unwritable.into()),
            json!({"kind": "settings", "message": "The settings could not be saved: disk full"})
        );
    }

    #[test]
    fn an_internal_failure_is_not_called_an_io_error() {
        assert_eq!(
            wire(VaultError::Internal("encryption failed").into()),
            json!({
                "kind": "internal",
                "message": "Something went wrong inside Ringlet: encryption failed. Nothing was changed."
            })
        );
    }

    #[test]
    fn backups_and_screen_capture_have_their_own_kinds() {
        assert_eq!(
            wire(AppError::Backup("That backup no longer exists.".into())),
            json!({"kind": "backup", "message": "That backup no longer exists."})
        );
        assert_eq!(
            wire(AppError::ScreenCapture(
                "There is no screen to scan.".into()
            )),
            json!({"kind": "screen_capture", "message": "There is no screen to scan."})
        );
    }

    #[test]
    fn clock_errors_name_the_field_they_belong_to() {
        let server = ringlet_core::clock::sntp::Server::parse("not a server").err();
        let server = wire(ClockError::Server(server.unwrap_or_else(|| panic!("refused"))).into());
        assert_eq!(server["kind"], "invalid_input");
        assert_eq!(server["field"], "server");
        assert_eq!(wire(ClockError::OffsetTooLarge.into())["field"], "offset");
        assert_eq!(
            wire(CalibrationError::Ambiguous.into()),
            json!({
                "kind": "invalid_input",
                "message": CalibrationError::Ambiguous.to_string(),
                "field": "code",
            })
        );
        assert_eq!(
            wire(CalibrationError::NotTimeBased.into())["field"],
            "account"
        );
        let unwritable = ClockError::Write(std::io::Error::other("disk full"));
        assert_eq!(wire(unwritable.into())["kind"], "io");
    }

    #[test]
    fn locked_vault_tells_the_person_what_to_do() {
        assert_eq!(
            wire(AppError::Locked),
            json!({"kind": "vault_locked", "message": "The vault is locked. Unlock it first."})
        );
    }

    #[test]
    fn damage_and_contention_are_distinct_kinds() {
        let damaged = wire(VaultError::Damaged(ringlet_core::vault::Damage::HeaderMac).into());
        assert_eq!(damaged["kind"], "vault_damaged");
        assert_eq!(
            damaged["message"],
            "The vault is damaged: the header failed its integrity check."
        );
        assert_eq!(wire(VaultError::InUse.into())["kind"], "vault_in_use");
        assert_eq!(wire(VaultError::NotFound.into())["kind"], "vault_missing");
        assert_eq!(
            wire(VaultError::AlreadyExists.into())["kind"],
            "vault_exists"
        );
        assert_eq!(
            wire(VaultError::NewerFormat(3).into())["kind"],
            "vault_newer"
        );
        let newer = wire(VaultError::NewerRecord(AccountId([0; 16])).into());
        assert_eq!(newer["kind"], "vault_newer");
        assert!(newer["message"]
            .as_str()
            .unwrap()
            .contains("Update Ringlet to change it"));
        assert_eq!(
            wire(VaultError::AccountNotFound(AccountId([0; 16])).into())["kind"],
            "not_found"
        );
    }

    #[test]
    fn bad_input_carries_the_parsers_message() {
        let Err(error) = ringlet_core::otpauth::parse("https://example.com/not-otp") else {
            panic!("a web address is not an otpauth URI");
        };
        let message = error.to_string();
        let value = wire(error.into());
        assert_eq!(value["kind"], "invalid_input");
        assert_eq!(value["message"], message.as_str());
        assert!(!message.is_empty());
        assert_eq!(value.as_object().map(|o| o.len()), Some(2));
    }
}
