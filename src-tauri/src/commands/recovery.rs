//! An account's recovery codes: read while its recovery view is open, pasted text parsed
//! by the core (`recovery_codes::parse`) for the person to confirm, saved (added to the set
//! or replacing it), marked used, copied through the clipboard guard, and exported as a
//! text file chosen in a native dialog (written here, readable by its owner only).

use std::path::Path;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;
use zeroize::Zeroizing;

use ringlet_core::model::{account_label, display_label, RecoveryCodes};
use ringlet_core::recovery_codes::{self, same_code};

use crate::clipboard::ClipboardGuard;
use crate::commands::accounts::parse_id;
use crate::dto::{ParsedCodes, RecoveryCodesView};
use crate::error::AppError;
use crate::state::AppState;

/// The longest text of codes read: a page of text, as `ringlet-cli recovery add` reads.
const MAX_PASTE_BYTES: usize = 64 * 1024;

const NO_CODES: &str =
    "No recovery codes found in that text. Paste one code a line, or codes separated by spaces or commas.";

#[tauri::command(async)]
pub fn get_recovery_codes(
    state: State<'_, AppState>,
    id: String,
) -> Result<RecoveryCodesView, AppError> {
    state.touch();
    let id = parse_id(&id)?;
    state.with_session(|session| Ok(RecoveryCodesView::of(&session.vault.recovery_codes(id)?)))
}

/// The codes in `text`, in any layout, for the person to confirm; nothing is saved.
#[tauri::command(async)]
pub fn parse_recovery_codes(
    state: State<'_, AppState>,
    id: String,
    text: String,
) -> Result<ParsedCodes, AppError> {
    let text = Zeroizing::new(text);
    state.touch();
    let id = parse_id(&id)?;
    if text.len() > MAX_PASTE_BYTES {
        return Err(AppError::InvalidInput(
            "That text is too long for a list of recovery codes.".into(),
        ));
    }
    state.with_session(|session| {
        let kept = session.vault.recovery_codes(id)?;
        let codes = recovery_codes::parse(&text);
        if codes.is_empty() {
            return Err(AppError::InvalidInput(NO_CODES.into()));
        }
        let known = codes
            .iter()
            .filter(|code| kept.codes.iter().any(|k| same_code(&k.code, code)))
            .count();
        Ok(ParsedCodes { codes, known })
    })
}

/// Saves the confirmed `codes` (read again by the core's rule, so only codes are kept):
/// added to the account's set, or replacing it (a service regenerated them).
#[tauri::command(async)]
pub fn save_recovery_codes(
    state: State<'_, AppState>,
    id: String,
    codes: Vec<String>,
    replace: bool,
) -> Result<RecoveryCodesView, AppError> {
    state.touch();
    let id = parse_id(&id)?;
    let codes = recovery_codes::parse(&Zeroizing::new(codes.join("\n")));
    if codes.is_empty() {
        return Err(AppError::InvalidInput(NO_CODES.into()));
    }
    state.with_session(|session| {
        let mut set = if replace {
            session.vault.get(id)?;
            RecoveryCodes::default()
        } else {
            session.vault.recovery_codes(id)?
        };
        set.add(&codes);
        session.vault.set_recovery_codes(id, &set)?;
        session.changed();
        Ok(RecoveryCodesView::of(&set))
    })
}

#[tauri::command(async)]
pub fn mark_recovery_code_used(
    state: State<'_, AppState>,
    id: String,
    code: String,
) -> Result<RecoveryCodesView, AppError> {
    state.touch();
    let id = parse_id(&id)?;
    state.with_session(|session| {
        let mut set = session.vault.recovery_codes(id)?;
        set.mark_used(&code)
            .map_err(|error| AppError::InvalidInput(error.to_string()))?;
        session.vault.set_recovery_codes(id, &set)?;
        session.changed();
        Ok(RecoveryCodesView::of(&set))
    })
}

/// Copies one of the account's codes (as stored) through the clipboard guard: wiped after
/// the delay codes are, and on lock and quit.
#[tauri::command(async)]
pub fn copy_recovery_code<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    clipboard: State<'_, ClipboardGuard>,
    id: String,
    code: String,
) -> Result<(), AppError> {
    state.touch();
    let id = parse_id(&id)?;
    let stored = state.with_session(|session| {
        let set = session.vault.recovery_codes(id)?;
        set.codes
            .into_iter()
            .find(|known| same_code(&known.code, &code))
            .map(|known| known.code)
            .ok_or_else(|| {
                AppError::InvalidInput("That is not one of this account's recovery codes.".into())
            })
    })?;
    clipboard.copy(&app, stored, state.clipboard_clear_after())
}

/// Saves the account's codes as a text file where the person chooses (a native dialog,
/// from Rust). Returns the file's path, or `None` when the dialog was cancelled.
#[tauri::command(async)]
pub fn export_recovery_codes<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
) -> Result<Option<String>, AppError> {
    state.touch();
    let id = parse_id(&id)?;
    let (label, codes) = state.with_session(|session| {
        let account = session.vault.get(id)?.account;
        let codes = session.vault.recovery_codes(id)?;
        Ok((
            display_label(&account_label(&account.issuer, &account.name)),
            codes,
        ))
    })?;
    if codes.codes.is_empty() {
        return Err(AppError::InvalidInput(
            "This account has no recovery codes to export.".into(),
        ));
    }
    let chosen = app
        .dialog()
        .file()
        .set_title("Export recovery codes")
        .set_file_name(file_name(&label))
        .add_filter("Text files", &["txt"])
        .blocking_save_file();
    let Some(path) = chosen.and_then(|file| file.into_path().ok()) else {
        return Ok(None);
    };
    let text = Zeroizing::new(recovery_codes::as_text(&label, &codes));
    write_private(&path, text.as_bytes()).map_err(|error| AppError::File(error.to_string()))?;
    Ok(Some(path.display().to_string()))
}

/// "GitHub (alice)" → "GitHub-alice-recovery-codes.txt": letters, digits, `-` and `_` only.
fn file_name(label: &str) -> String {
    let mut stem = String::new();
    for c in label.chars().take(60) {
        if c.is_alphanumeric() || c == '_' {
            stem.push(c);
        } else if !stem.is_empty() && !stem.ends_with('-') {
            stem.push('-');
        }
    }
    let stem = stem.trim_end_matches('-');
    if stem.is_empty() {
        "recovery-codes.txt".into()
    } else {
        format!("{stem}-recovery-codes.txt")
    }
}

/// Writes `bytes` to `path`, readable and writable by its owner only (a file it replaces
/// included), and flushed to disk.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_letters_and_digits_only() {
        assert_eq!(
            file_name("GitHub (alice)"),
            "GitHub-alice-recovery-codes.txt"
        );
        assert_eq!(
            file_name("../../etc/passwd"),
            "etc-passwd-recovery-codes.txt"
        );
        assert_eq!(file_name("…"), "recovery-codes.txt");
    }

    #[cfg(unix)]
    #[test]
    fn an_export_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("codes.txt");
        std::fs::write(&path, "older, world-readable").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_private(&path, b"a1b2c-3d4e5\n").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(std::fs::read(&path).unwrap(), b"a1b2c-3d4e5\n");
    }
}
