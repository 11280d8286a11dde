//! Links to pages outside Ringlet. The window never shows a web page: a navigation to one
//! (a link in the UI, or script that sets `location`) is refused by the navigation guard,
//! which hands web addresses here. A native dialog, drawn by Rust where script in the page
//! cannot click it, shows the whole address and asks; only then does the system's own
//! browser open it.

use std::sync::atomic::{AtomicBool, Ordering};

use tauri::{AppHandle, Emitter, Manager, Runtime, Url};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

use crate::events;

use crate::error::AppError;

/// Title of the confirmation dialog (the e2e tests find the window by it).
pub const CONFIRM_TITLE: &str = "Open in your web browser?";

/// One question at a time: a page that navigates in a loop gets one dialog, not a pile.
static ASKING: AtomicBool = AtomicBool::new(false);

/// Only plain web pages are offered to the browser: `file:`, `javascript:`, custom schemes
/// that start other programs, and addresses that hide a user name before the host (where
/// `https://bank.com@evil.example/` reads as `bank.com`) never are.
pub fn is_web_page(url: &Url) -> bool {
    matches!(url.scheme(), "https" | "http")
        && url.host_str().is_some_and(|host| !host.is_empty())
        && url.username().is_empty()
        && url.password().is_none()
}

/// Asks, in a native dialog, whether to open `url` in the system browser, and opens it if
/// the person says so. Returns at once; a question already on screen swallows this one.
pub fn offer<R: Runtime>(app: &AppHandle<R>, url: Url) {
    if !is_web_page(&url) || ASKING.swap(true, Ordering::SeqCst) {
        return;
    }
    let app_for_answer = app.clone();
    let mut dialog = app.dialog().message(format!(
            "Ringlet does not show web pages itself. Open this address in your web browser?\n\n{url}"
        ))
        .title(CONFIRM_TITLE)
        .kind(MessageDialogKind::Info)
        .buttons(MessageDialogButtons::OkCancelCustom(
            "Open in browser".into(),
            "Cancel".into(),
        ));
    // Above Ringlet's window and tied to it, as its own question.
    if let Some(window) = app.get_webview_window("main") {
        dialog = dialog.parent(&window);
    }
    dialog.show(move |open| {
        ASKING.store(false, Ordering::SeqCst);
        if open {
            // The browser may run in the foreground of the opener: not on this thread.
            std::thread::spawn(move || {
                if let Err(error) = open::that(url.as_str()) {
                    let error = AppError::InvalidInput(format!(
                        "Ringlet could not start your web browser ({error}). The address is {url}"
                    ));
                    let _ =
                        app_for_answer.emit(events::APP_ERROR, serde_json::to_value(&error).ok());
                }
            });
        }
    });
}

#[cfg(test)]
mod tests {
    use super::is_web_page;

    fn web(url: &str) -> bool {
        is_web_page(&tauri::Url::parse(url).unwrap_or_else(|e| panic!("{url}: {e}")))
    }

    #[test]
    fn only_plain_web_pages_are_offered_to_the_browser() {
        assert!(web("https://2fa.directory/"));
        assert!(web("http://example.com/path?q=1#top"));
        for refused in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "data:text/html,<p>hi</p>",
            "mailto:someone@example.com",
            "ftp://example.com/",
            "steam://run/1",
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP",
            "https://bank.com@evil.example/",
            "https://user:pass@example.com/",
        ] {
            assert!(!web(refused), "{refused}");
        }
    }
}
