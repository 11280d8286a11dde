//! Importing from images: scan files for QR codes, show what was found, add what the
//! person confirms. Found accounts stay in Rust; the UI sees labels and a pending id.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tauri_plugin_dialog::DialogExt;
use zeroize::Zeroizing;

use ringlet_core::import::{self, Found};
use ringlet_core::migration;
use ringlet_core::model::display_label;
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
    state.touch();
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
    state.touch();
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

/// Ctrl+V outside a text field: the clipboard is read here, in Rust, so a pasted link's
/// secret never passes through the webview. An image is scanned for QR codes; text is read
/// as otpauth:// links, one a line.
#[tauri::command(async)]
pub fn paste_import<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<ImportPreview, AppError> {
    state.touch();
    state.with_session(|_| Ok(()))?;
    let clipboard = app.clipboard();
    let scan = if let Ok(image) = clipboard.read_image() {
        png_of(image.width(), image.height(), image.rgba())
            .and_then(|png| import::scan_bytes(&png).map_err(AppError::from))
    } else {
        let text = Zeroizing::new(clipboard.read_text().unwrap_or_default());
        if text.trim().is_empty() {
            return Err(AppError::InvalidInput(
                "The clipboard is empty. Copy a QR code image or an otpauth:// link first.".into(),
            ));
        }
        import::scan_bytes(text.as_bytes()).map_err(AppError::from)
    };
    let scan = scan.map_err(|error| match error {
        AppError::Import(import::ImportError::NotRecognised) => AppError::InvalidInput(
            "The clipboard holds neither a QR code image nor an otpauth:// link.".into(),
        ),
        other => other,
    })?;
    preview_scans(&state, vec![("Clipboard".to_string(), Ok(scan))])
}

/// The clipboard hands over raw RGBA; the scanner reads image files.
fn png_of(width: u32, height: u32, rgba: &[u8]) -> Result<Vec<u8>, AppError> {
    let unreadable =
        || AppError::InvalidInput("The image on the clipboard could not be read.".into());
    let image = image::RgbaImage::from_raw(width, height, rgba.to_vec()).ok_or_else(unreadable)?;
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|_| unreadable())?;
    Ok(png)
}

/// Scans `paths` and replaces the pending import with what was found.
pub fn preview_files(state: &AppState, paths: &[PathBuf]) -> Result<ImportPreview, AppError> {
    let scans = paths
        .iter()
        .map(|path| (source_name(path), import::scan_file(path)))
        .collect();
    preview_scans(state, scans)
}

/// Turns scans into the preview and the pending import. Decoding has already run, before
/// the session lock is taken, so the list keeps refreshing meanwhile.
pub(crate) fn preview_scans(
    state: &AppState,
    scans: Vec<(String, Result<Vec<Found>, import::ImportError>)>,
) -> Result<ImportPreview, AppError> {
    state.with_session(|session| {
        let existing: Vec<Account> = session
            .vault
            .entries()?
            .into_iter()
            .map(|entry| entry.account)
            .collect();
        let mut preview = PreviewBuilder::new(existing);
        // Each file is within the limit; many dropped at once are held to it together.
        let mut entries = 0;
        for (source, scan) in scans {
            match scan {
                Ok(found) if found.is_empty() => {
                    preview.error(&source, "No QR code was found in this image.".into())
                }
                Ok(found) => {
                    let count = import::entry_count(&found);
                    if entries + count > import::MAX_ENTRIES {
                        preview.error(&source, import::ImportError::TooManyEntries.to_string());
                    } else {
                        entries += count;
                        found
                            .into_iter()
                            .for_each(|item| preview.add(item, &source));
                    }
                }
                Err(error) => preview.error(&source, error.to_string()),
            }
        }
        let (preview, pending) = preview.finish();
        session.pending_import = pending;
        Ok(preview)
    })
}

/// Builds the preview rows and the pending accounts behind them. Accounts already in the
/// vault, or found twice, are marked duplicate.
struct PreviewBuilder {
    existing: Vec<Account>,
    preview: ImportPreview,
    pending: Vec<PendingAccount>,
    export_codes: Vec<migration::BatchPosition>,
}

impl PreviewBuilder {
    fn new(existing: Vec<Account>) -> Self {
        PreviewBuilder {
            existing,
            preview: ImportPreview {
                candidates: Vec::new(),
                errors: Vec::new(),
                notes: Vec::new(),
            },
            pending: Vec::new(),
            export_codes: Vec::new(),
        }
    }

    fn error(&mut self, source: &str, message: String) {
        self.preview.errors.push(SourceError {
            source: source.to_string(),
            message,
        });
    }

    fn add(&mut self, item: Found, source: &str) {
        match item {
            Found::Account(account) => self.account(account, source),
            Found::Migration(batch) => {
                self.export_codes.push(batch.position());
                for entry in batch.entries {
                    match entry {
                        Ok(account) => self.account(account, source),
                        Err(error) => {
                            self.problem(source, &error.issuer, &error.name, error.to_string())
                        }
                    }
                }
            }
            Found::InvalidMigration(error) => self.problem(source, "", "", error.to_string()),
            Found::Invalid(error) => self.problem(source, "", "", error.to_string()),
            Found::NotOtp { text } => self.problem(
                source,
                "",
                "",
                format!("Not an authenticator code: {}", display_label(&text)),
            ),
            Found::Unsupported { what } => self.problem(
                source,
                "",
                "",
                format!("{what} cannot be imported by this version of Ringlet yet."),
            ),
        }
    }

    fn account(&mut self, account: Account, source: &str) {
        let duplicate = self.existing.iter().any(|known| known.same_as(&account))
            || self
                .pending
                .iter()
                .any(|known| known.account.same_as(&account));
        let id = format!("c{}", self.pending.len());
        self.preview.candidates.push(Candidate {
            id: id.clone(),
            issuer: display_label(&account.issuer),
            account: display_label(&account.name),
            kind: account.otp.kind.name().to_string(),
            source: source.to_string(),
            duplicate,
            problem: None,
        });
        self.pending.push(PendingAccount { id, account });
    }

    fn problem(&mut self, source: &str, issuer: &str, name: &str, problem: String) {
        self.preview.candidates.push(Candidate {
            id: String::new(),
            issuer: display_label(issuer),
            account: display_label(name),
            kind: String::new(),
            source: source.to_string(),
            duplicate: false,
            problem: Some(problem),
        });
    }

    /// The preview, with a note for each Google Authenticator export missing some codes.
    fn finish(mut self) -> (ImportPreview, Vec<PendingAccount>) {
        self.preview.notes = migration::progress(self.export_codes)
            .iter()
            .filter_map(migration::ExportProgress::note)
            .collect();
        (self.preview, self.pending)
    }
}

fn source_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
