//! Settings → Export: the vault's accounts written for another app, a printer or a later
//! restore, by the core's exporters (as `ringlet-cli export`). The vault password is asked
//! again first (paced, as every password check). Files go where the person picks in a
//! native save dialog opened from Rust, private (0600) and atomically; Google
//! Authenticator's codes are shown one after another in a native window, never the webview.

use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use ringlet_core::export::{self, files, google_qr, ExportError, Protection, Source};
use ringlet_core::model::{account_label, display_label};

use crate::error::AppError;
use crate::password::Password;
use crate::state::AppState;

/// One format the Export section offers (the core's list, in its order).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportFormatView {
    pub id: &'static str,
    pub name: &'static str,
    /// `plain`, `export_password` (a password of its own) or `vault_password`.
    pub protection: &'static str,
    pub loses: &'static str,
    /// Shown in a window rather than written to a file (Google Authenticator's codes).
    pub shown: bool,
}

/// What an export did.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportReport {
    pub accounts: usize,
    /// The files written (none when the codes were shown, or the dialog was cancelled).
    pub files: Vec<String>,
    /// How many codes the window shows (Google Authenticator's export).
    pub codes_shown: usize,
    /// Accounts the format could not carry: "GitHub (alice): Steam codes …".
    pub left_out: Vec<String>,
    /// The save dialog was closed without a file.
    pub cancelled: bool,
}

const GOOGLE_QR: &str = "google-qr";

#[tauri::command]
pub fn export_formats() -> Vec<ExportFormatView> {
    export::EXPORTS
        .iter()
        .map(|format| ExportFormatView {
            id: format.id(),
            name: format.name(),
            protection: match format.protection() {
                Protection::Plain => "plain",
                Protection::ExportPassword => "export_password",
                Protection::VaultPassword => "vault_password",
            },
            loses: format.loses(),
            shown: format.id() == GOOGLE_QR,
        })
        .collect()
}

/// Checks `password` against the vault, makes the export, then writes it where the person
/// picks (or shows Google Authenticator's codes). `export_password` is the file's own
/// password, for the formats that have one.
#[tauri::command(async)]
pub fn export_accounts<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    format: String,
    password: Password,
    export_password: Option<Password>,
) -> Result<ExportReport, AppError> {
    state.touch();
    let format = export::export_by_id(&format)
        .ok_or_else(|| AppError::InvalidInput(format!("Unknown export format {format:?}.")))?;
    let own_password = export_password.as_ref().map(|p| p.as_bytes());
    let made = state.password_check(|| {
        state.with_session(|session| {
            session.vault.verify_password(password.as_bytes())?;
            let source = Source::of(&session.vault)?;
            if format.id() == GOOGLE_QR {
                let accounts = source.accounts();
                let links = google_qr::links(&accounts).map_err(export_error)?;
                return Ok(Made::Codes(links));
            }
            format
                .write(&source, own_password)
                .map(Made::Files)
                .map_err(export_error)
        })
    })?;
    match made {
        Made::Codes(links) => {
            let report = ExportReport {
                accounts: links.accounts,
                files: Vec::new(),
                codes_shown: links.links.len(),
                left_out: left_out(&links.left_out),
                cancelled: false,
            };
            crate::reveal::show_codes(&app, &links.links)?;
            Ok(report)
        }
        Made::Files(exported) => {
            let suggested = format!("ringlet-{}.{}", format.id(), format.about().extension);
            let picked = app
                .dialog()
                .file()
                .set_title(format!("Export accounts: {}", format.name()))
                .set_file_name(suggested)
                .blocking_save_file()
                .and_then(|file| file.into_path().ok());
            let mut report = ExportReport {
                accounts: exported.accounts,
                files: Vec::new(),
                codes_shown: 0,
                left_out: left_out(&exported.left_out),
                cancelled: picked.is_none(),
            };
            let Some(path) = picked else {
                return Ok(report);
            };
            let paths = files::paths(&path, exported.files.len(), format.is_numbered());
            // The save dialog asked before a file was replaced.
            files::write_all(&paths, &exported.files, true).map_err(export_error)?;
            report.files = paths.iter().map(|p| p.display().to_string()).collect();
            Ok(report)
        }
    }
}

enum Made {
    Codes(google_qr::Links),
    Files(export::Exported),
}

fn left_out(accounts: &[export::LeftOut]) -> Vec<String> {
    accounts
        .iter()
        .map(|account| {
            let label = display_label(&account_label(&account.issuer, &account.name));
            format!("{label}: {}", account.reason)
        })
        .collect()
}

fn export_error(error: ExportError) -> AppError {
    match error {
        ExportError::Vault(error) => error.into(),
        ExportError::PasswordTooShort(error) => AppError::ExportPasswordTooShort(error),
        other => AppError::InvalidInput(other.to_string()),
    }
}
