//! Importing from images: scan files for QR codes, show what was found, add what the
//! person confirms. Found accounts stay in Rust; the UI sees labels and a pending id.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tauri::{AppHandle, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tauri_plugin_dialog::DialogExt;
use zeroize::Zeroizing;

use ringlet_core::import::{self, ImportError, ImportPlan, Opened};

use crate::commands::accounts::view_of;
use crate::dto::{AccountView, ImportPreview};
use crate::error::AppError;
use crate::password::Password;
use crate::paste::Pasted;
use crate::state::AppState;

/// Extensions the Open dialog filters on first; any file may be chosen, and every file
/// is recognised by its content, whatever its name.
const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "bmp", "webp", "tif", "tiff"];
const EXPORT_EXTENSIONS: &[&str] = &["json", "txt", "2fas", "bin", "xml", "csv", "aegis"];

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
        .set_title("Import accounts: QR code images, or another app's export")
        .add_filter(
            "QR code images and exports",
            &[IMAGE_EXTENSIONS, EXPORT_EXTENSIONS].concat(),
        )
        .add_filter("All files", &["*"])
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
        let plan = std::mem::take(&mut session.pending_import);
        session.pending_files.clear();
        let chosen: Vec<usize> = ids.iter().filter_map(|id| candidate_place(id)).collect();
        let added = plan.commit(&session.vault, &chosen)?;
        if !added.is_empty() {
            session.changed();
        }
        added.into_iter().map(|id| view_of(session, id)).collect()
    })
}

#[tauri::command]
pub fn cancel_import(state: State<'_, AppState>) -> Result<(), AppError> {
    state.with_session(|session| {
        session.pending_import = ImportPlan::default();
        session.pending_files.clear();
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
    let read = match crate::paste::read_x11() {
        Some(Pasted::Image(bytes)) => import::read_bytes(&bytes),
        Some(Pasted::Files(paths)) if !paths.is_empty() => return preview_files(&state, &paths),
        Some(Pasted::Text(text)) => import::read_bytes(text.as_bytes()),
        Some(Pasted::Other(types)) => {
            return Err(AppError::InvalidInput(format!(
                "The clipboard holds {} — not something Ringlet can read. Copy a QR code image, an image file or an otpauth:// link, or take a screenshot of the code.",
                describe_types(&types)
            )))
        }
        Some(Pasted::Files(_)) | Some(Pasted::Empty) => return Err(empty_clipboard()),
        // No X11 display: the clipboard plugin's own reads.
        None => {
            let clipboard = app.clipboard();
            if let Ok(image) = clipboard.read_image() {
                import::read_bytes(&png_of(image.width(), image.height(), image.rgba())?)
            } else {
                let text = Zeroizing::new(clipboard.read_text().unwrap_or_default());
                if text.trim().is_empty() {
                    return Err(empty_clipboard());
                }
                import::read_bytes(text.as_bytes())
            }
        }
    };
    let opened = match read {
        Ok(contents) => Ok(Opened::Read(contents)),
        // An image without a code is shown in the preview, as a dropped one is.
        Err(nothing @ ImportError::NothingFound) => Err(nothing),
        Err(ImportError::NotRecognised) => {
            return Err(AppError::InvalidInput(
                "The clipboard holds neither a QR code image nor an otpauth:// link.".into(),
            ))
        }
        Err(other) => return Err(other.into()),
    };
    preview_sources(
        &state,
        vec![("Clipboard".to_string(), opened)],
        HashMap::new(),
    )
}

fn empty_clipboard() -> AppError {
    AppError::InvalidInput(
        "The clipboard is empty. Copy a QR code image or an otpauth:// link first.".into(),
    )
}

/// A clipboard's types as a person reads them: "text/html and application/x-foo".
fn describe_types(types: &[String]) -> String {
    let shown: Vec<String> = types
        .iter()
        .take(4)
        .map(|kind| ringlet_core::model::display_label(kind))
        .collect();
    match shown.as_slice() {
        [] => "nothing Ringlet knows".to_owned(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
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

/// Opens `paths` and replaces the pending import with what was found.
pub fn preview_files(state: &AppState, paths: &[PathBuf]) -> Result<ImportPreview, AppError> {
    // Nothing is decoded for a locked vault: a drop on the unlock screen reads no file.
    if !state.is_unlocked() {
        return Err(AppError::Locked);
    }
    let opened = import::batch::open_files(paths, None)
        .map_err(|error| AppError::InvalidInput(error.to_string()))?;
    let mut files = HashMap::new();
    let mut sources = Vec::with_capacity(opened.len());
    for (path, opened) in opened {
        // The file name, or the whole path when two files share a name.
        let mut name = source_name(&path);
        if files.contains_key(&name) {
            name = path.display().to_string();
        }
        files.insert(name.clone(), path);
        sources.push((name, opened));
    }
    preview_sources(state, sources, files)
}

/// Files a launch asked to import while the vault was locked ("Open with Ringlet"), read
/// now that it is open: their preview, or `null` when there were none. The main window asks
/// once it shows the list.
#[tauri::command(async)]
pub fn take_opened_files(state: State<'_, AppState>) -> Result<Option<ImportPreview>, AppError> {
    if !state.is_unlocked() {
        return Err(AppError::Locked);
    }
    let files = state.take_opened_files();
    if files.is_empty() {
        return Ok(None);
    }
    preview_files(&state, &files).map(Some)
}

/// An encrypted file of the pending import, read again with its password: the preview
/// with its accounts in place of the question. A wrong password is `wrong_password`, and
/// the file keeps waiting for another try.
#[tauri::command(async)]
pub fn open_encrypted_import(
    state: State<'_, AppState>,
    source: String,
    password: Password,
) -> Result<ImportPreview, AppError> {
    state.touch();
    let path =
        state.with_session(|session| {
            session.pending_files.get(&source).cloned().ok_or_else(|| {
                AppError::InvalidInput("That file is no longer being imported.".into())
            })
        })?;
    // Read outside the session lock: a file's key derivation may take seconds.
    let opened = import::open_file(&path, Some(password.as_bytes()));
    state.with_session(|session| {
        session.pending_import.unlock_source(&source, opened)?;
        Ok(ImportPreview::of(&session.pending_import))
    })
}

/// Turns opened sources into the pending import and its preview. Decoding has already
/// run, before the session lock is taken, so the list keeps refreshing meanwhile.
pub(crate) fn preview_sources(
    state: &AppState,
    sources: Vec<(String, Result<Opened, ImportError>)>,
    files: HashMap<String, PathBuf>,
) -> Result<ImportPreview, AppError> {
    state.with_session(|session| {
        let mut plan = ImportPlan::for_vault(&session.vault)?;
        for (source, opened) in sources {
            plan.add_source(&source, opened);
        }
        let preview = ImportPreview::of(&plan);
        session.pending_import = plan;
        session.pending_files = files;
        Ok(preview)
    })
}

/// The candidate id the UI sends back: its place in the plan.
fn candidate_place(id: &str) -> Option<usize> {
    id.strip_prefix('c')?.parse().ok()
}

fn source_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
