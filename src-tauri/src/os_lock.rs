//! Locking with the operating system: the vault locks when the screen locks, when the
//! computer is about to sleep and when the lid closes, each as its setting says. One file
//! per system: `linux.rs` (logind and the screen savers over D-Bus), `windows.rs` (WTS
//! session events and power broadcasts). macOS (NSWorkspace notifications) is not wired
//! yet: there the idle clock and auto-lock apply.

use tauri::{AppHandle, Manager, Runtime};

use crate::state::AppState;

#[cfg(target_os = "linux")]
mod linux;
#[cfg(windows)]
mod windows;

#[cfg(target_os = "linux")]
pub use linux::watch;
#[cfg(windows)]
pub use windows::watch;

/// What the operating system announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OsEvent {
    ScreenLocked,
    Suspending,
    LidClosed,
}

impl OsEvent {
    /// The reason the `vault-locked` event gives the UI.
    pub fn reason(self) -> &'static str {
        match self {
            OsEvent::ScreenLocked => "screen_locked",
            OsEvent::Suspending => "suspend",
            OsEvent::LidClosed => "lid_closed",
        }
    }
}

/// Locks the vault for `event` when the settings ask for it.
pub fn on_event<R: Runtime>(app: &AppHandle<R>, event: OsEvent) {
    let settings = app.state::<AppState>().settings();
    let wanted = match event {
        OsEvent::ScreenLocked => settings.lock_on_screen_lock,
        OsEvent::Suspending => settings.lock_on_suspend,
        OsEvent::LidClosed => settings.lock_on_lid_close,
    };
    if wanted {
        crate::autolock::lock(app, event.reason());
    }
}
