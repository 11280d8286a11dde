//! Importing from images: scan files for QR codes, show what was found, add what the
//! person confirms. Found accounts stay in Rust; the UI sees labels and a pending id.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use ringlet_core::import::{self, Found};
use ringlet_core::Account;

use crate::commands::accounts::add;
use crate::dto::{AccountView, Candidate, ImportPreview, SourceError};
use crate::error::AppError;
use crate::state::{AppState, PendingAccount};

/// Extensions offered in the Open dialog; dropped files are recognised by content instead.
const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "bmp", "webp", "tif", "tiff"];

/// Opens the native file dialog (from Rust: the UI has no dialog permission) and previews
/// the chosen images. `None` when the person cancels.
#[tauri::command(async)]
pub fn pick_images<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<ImportPreview>, AppError> {
    state.with_session(|_| Ok(()))?;
    let picked = app
        .dialog()
        .file()
        .set_title("Import QR codes from images")
        .add_filter("Images", IMAGE_EXTENSIONS)
        .blocking_pick_files();
    let Some(picked) = picked else {
        return Ok(None);
    };
    let paths: Vec<PathBuf> = picked
        .into_iter()
        .filter_map(|file| file.into_path().ok())
        .collect();
    preview_files(&state, &paths).map(Some)
}

#[tauri::command(async)]
pub fn confirm_import(
    state: State<'_, AppState>,
    ids: Vec<String>,
) -> Result<Vec<AccountView>, AppError> {
    state.with_session(|session| {
        let pending = std::mem::take(&mut session.pending_import);
        let chosen: Vec<Account> = pending
            .into_iter()
            .filter(|candidate| ids.contains(&candidate.id))
            .map(|candidate| candidate.account)
            .collect();
        chosen.iter().map(|account| add(session, account)).collect()
    })
}

#[tauri::command]
pub fn cancel_import(state: State<'_, AppState>) -> Result<(), AppError> {
    state.with_session(|session| {
        session.pending_import.clear();
        Ok(())
    })
}

/// Scans `paths` and replaces the pending import with what was found. Decoding runs
/// before the session lock is taken, so the list keeps refreshing meanwhile.
pub fn preview_files(state: &AppState, paths: &[PathBuf]) -> Result<ImportPreview, AppError> {
    let scans: Vec<(String, Result<Vec<Found>, import::ImportError>)> = paths
        .iter()
        .map(|path| (source_name(path), import::scan_file(path)))
        .collect();
    state.with_session(|session| {
        let existing: Vec<Account> = session
            .vault
            .entries()?
            .into_iter()
            .map(|entry| entry.account)
            .collect();
        let mut preview = ImportPreview {
            candidates: Vec::new(),
            errors: Vec::new(),
        };
        let mut pending: Vec<PendingAccount> = Vec::new();
        for (source, scan) in scans {
            let found = match scan {
                Ok(found) if found.is_empty() => {
                    preview.errors.push(SourceError {
                        source,
                        message: "No QR code was found in this image.".into(),
                    });
                    continue;
                }
                Ok(found) => found,
                Err(error) => {
                    preview.errors.push(SourceError {
                        source,
                        message: error.to_string(),
                    });
                    continue;
                }
            };
            for item in found {
                preview
                    .candidates
                    .push(candidate(item, &source, &existing, &mut pending));
            }
        }
        session.pending_import = pending;
        Ok(preview)
    })
}

/// One row of the preview. Accounts already in the vault, or found twice, are marked duplicate.
fn candidate(
    item: Found,
    source: &str,
    existing: &[Account],
    pending: &mut Vec<PendingAccount>,
) -> Candidate {
    let problem_row = |problem: String| Candidate {
        id: String::new(),
        issuer: String::new(),
        account: String::new(),
        kind: String::new(),
        source: source.to_string(),
        duplicate: false,
        problem: Some(problem),
    };
    match item {
        Found::Account(account) => {
            let duplicate = existing.iter().any(|known| known.same_as(&account))
                || pending.iter().any(|known| known.account.same_as(&account));
            let id = format!("c{}", pending.len());
            let row = Candidate {
                id: id.clone(),
                issuer: account.issuer.clone(),
                account: account.name.clone(),
                kind: account.otp.kind.name().to_string(),
                source: source.to_string(),
                duplicate,
                problem: None,
            };
            pending.push(PendingAccount { id, account });
            row
        }
        Found::Invalid(error) => problem_row(error.to_string()),
        Found::NotOtp { text } => problem_row(format!("Not an authenticator code: {text}")),
        Found::Unsupported { what } => problem_row(format!(
            "{what} cannot be imported by this version of Ringlet yet."
        )),
    }
}

fn source_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
