//! The clipboard, written from Rust only. A copied code is wiped after the configured delay,
//! on lock and on quit — but only while the clipboard still holds that code, so something
//! the person copied since is never destroyed.

use std::sync::Mutex;
use std::time::Duration;

use tauri::{AppHandle, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::error::AppError;

#[derive(Default)]
pub struct ClipboardGuard {
    /// The last code Ringlet put on the clipboard and a number that changes with each copy,
    /// so a timer started for an older copy does nothing.
    last: Mutex<Option<(String, u64)>>,
}

impl ClipboardGuard {
    /// Writes `code` (marked as secret for clipboard managers that honour it) and, when
    /// `clear_after` is set, wipes it later if it is still there.
    pub fn copy<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        code: String,
        clear_after: Option<Duration>,
    ) -> Result<(), AppError> {
        app.clipboard()
            .write_secret(code.as_str())
            .map_err(|error| AppError::Clipboard(error.to_string()))?;
        let generation = {
            let mut last = self.lock();
            let generation = last.as_ref().map_or(0, |(_, g)| g.wrapping_add(1));
            *last = Some((code, generation));
            generation
        };
        if let Some(delay) = clear_after {
            let app = app.clone();
            std::thread::spawn(move || {
                std::thread::sleep(delay);
                use tauri::Manager;
                app.state::<ClipboardGuard>()
                    .clear_if_ours(&app, Some(generation));
            });
        }
        Ok(())
    }

    /// Wipes the clipboard if it still holds the code Ringlet copied (that very copy, when
    /// `generation` is given). Failures are ignored: there is nothing left to protect if the
    /// clipboard cannot be read.
    pub fn clear_if_ours<R: Runtime>(&self, app: &AppHandle<R>, generation: Option<u64>) {
        let mut last = self.lock();
        let Some((code, copied)) = last.as_ref() else {
            return;
        };
        if generation.is_some_and(|wanted| wanted != *copied) {
            return;
        }
        if app.clipboard().read_text().ok().as_deref() == Some(code.as_str()) {
            let _ = app.clipboard().clear();
        }
        *last = None;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(String, u64)>> {
        self.last
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
