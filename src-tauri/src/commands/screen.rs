//! Scan screen: find QR codes on every monitor, for a setup page open in a browser. Ringlet's
//! own window is hidden during the capture so it cannot cover a code. On X11 the root window
//! is read through GDK; on Wayland, which gives no application the screen, the desktop's
//! screenshot portal is asked (it may ask the person first). `RINGLET_SCREEN_CAPTURE=portal`
//! or `=x11` forces one way. Where neither works, and on systems not wired yet, a message
//! points to Ctrl+V instead.

use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime, State};

use ringlet_core::import::{self, ImportError, Opened};

use crate::commands::import::preview_sources;
use crate::dto::ImportPreview;
use crate::error::AppError;
use crate::state::AppState;

/// Long enough for the window manager to unmap Ringlet and repaint what was behind it.
const HIDE_BEFORE_CAPTURE: Duration = Duration::from_millis(300);

const PASTE_INSTEAD: &str =
    "Take a screenshot (Print Screen) and paste it here with Ctrl+V instead.";

#[tauri::command(async)]
pub fn scan_screen<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<ImportPreview, AppError> {
    state.touch();
    state.with_session(|_| Ok(()))?;
    let window = app.get_webview_window("main");
    if let Some(window) = &window {
        let _ = window.hide();
    }
    std::thread::sleep(HIDE_BEFORE_CAPTURE);
    let shot = capture(&app);
    if let Some(window) = &window {
        let _ = window.show();
        let _ = window.set_focus();
    }
    let found = match import::read_bytes(&shot?) {
        Err(ImportError::NothingFound) => {
            return Err(AppError::ScreenCapture(format!(
                "No QR code was found on the screen. Make sure the whole code is visible. {PASTE_INSTEAD}"
            )))
        }
        found => found?,
    };
    preview_sources(
        &state,
        vec![("Screen".to_string(), Ok(Opened::Read(found)))],
        std::collections::HashMap::new(),
    )
}

/// An image of every monitor: the X11 root window, or the portal's screenshot on Wayland.
#[cfg(target_os = "linux")]
fn capture<R: Runtime>(app: &AppHandle<R>) -> Result<Vec<u8>, AppError> {
    let from_portal = || {
        crate::portal::screenshot()
            .map_err(|error| AppError::ScreenCapture(format!("{error} {PASTE_INSTEAD}")))
    };
    match std::env::var("RINGLET_SCREEN_CAPTURE").as_deref() {
        Ok("portal") => return from_portal(),
        Ok("x11") => {}
        _ => {}
    }
    // GDK must be called on the main thread.
    let (sender, receiver) = std::sync::mpsc::channel();
    app.run_on_main_thread(move || {
        let _ = sender.send(capture_root_window());
    })
    .map_err(|error| AppError::ScreenCapture(format!("The screen could not be read: {error}")))?;
    let root = receiver
        .recv_timeout(Duration::from_secs(10))
        .map_err(|_| AppError::ScreenCapture("The screen could not be read in time.".into()))??;
    match root {
        Some(png) => Ok(png),
        None => from_portal(),
    }
}

/// A PNG of the whole X11 screen (every monitor: the root window spans them all); `None`
/// on Wayland, where there is no root window to read.
#[cfg(target_os = "linux")]
fn capture_root_window() -> Result<Option<Vec<u8>>, AppError> {
    use gdk::prelude::{DisplayExtManual, WindowExtManual};

    let display = gdk::Display::default()
        .ok_or_else(|| AppError::ScreenCapture("There is no screen to scan.".into()))?;
    if display.backend().is_wayland() {
        return Ok(None);
    }
    let root = gdk::Window::default_root_window();
    let pixbuf = root
        .pixbuf(0, 0, root.width(), root.height())
        .ok_or_else(|| {
            AppError::ScreenCapture(format!("The screen could not be read. {PASTE_INSTEAD}"))
        })?;
    // Fast compression: the PNG only travels to the scanner in memory.
    pixbuf
        .save_to_bufferv("png", &[("compression", "1")])
        .map(Some)
        .map_err(|error| AppError::ScreenCapture(format!("The screen could not be read: {error}")))
}

#[cfg(not(target_os = "linux"))]
fn capture<R: Runtime>(_app: &AppHandle<R>) -> Result<Vec<u8>, AppError> {
    Err(AppError::ScreenCapture(format!(
        "Scanning the screen is not available on this system yet. {PASTE_INSTEAD}"
    )))
}
