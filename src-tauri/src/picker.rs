//! The quick picker: a small window above the others, opened by `ringlet --quick` (through
//! the running instance) from anywhere, with a search box and the matching accounts'
//! codes. Enter copies a code and closes it. It is a second webview on Ringlet's own page
//! `picker.html`, with a capability of its own (`capabilities/picker.json`) that allows
//! only what it needs.

use std::sync::Mutex;

use tauri::{AppHandle, Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

use crate::typing::{self, Target};

/// The picker window's label, which its capability names.
pub const LABEL: &str = "picker";

/// The window that had the keyboard when the picker opened: where Shift+Enter types.
#[derive(Default)]
pub struct TypingTarget(Mutex<Option<Target>>);

impl TypingTarget {
    pub fn title(&self) -> Option<String> {
        self.slot().as_ref().map(|target| target.title.clone())
    }

    /// The target, handed over once (the picker closes as it types).
    pub fn take(&self) -> Option<Target> {
        self.slot().take()
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<Target>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Shows the picker, made afresh or brought forward, with the keyboard in it. A fresh one
/// first notes the window that has the keyboard, to type into.
pub fn open<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(LABEL) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
        return;
    }
    *app.state::<TypingTarget>().slot() = typing::focused();
    let built = WebviewWindowBuilder::new(app, LABEL, WebviewUrl::App("picker.html".into()))
        .title("Ringlet")
        .inner_size(440.0, 380.0)
        .resizable(false)
        .always_on_top(true)
        .skip_taskbar(true)
        .center()
        .focused(true)
        // Files are imported in the main window; nothing is dropped here.
        .disable_drag_drop_handler()
        .build();
    if let Err(error) = built {
        eprintln!("ringlet: the quick picker could not open: {error}");
    }
}

/// Closes the picker if it is open (after a copy, on Esc, on lock, on quit).
pub fn close<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(LABEL) {
        let _ = window.destroy();
    }
}
