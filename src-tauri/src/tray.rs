//! The tray icon: show or hide the window, the quick picker, lock, quit, and the pinned
//! accounts, whose entry copies the current code (computed in Rust, as a row's copy).
//! Linux: a StatusNotifierItem with its menu over D-Bus (libayatana-appindicator);
//! Windows and macOS: their own trays.
//!
//! The window closes to the tray only where a tray host is there to bring it back (on
//! Linux, a StatusNotifierWatcher on the session bus); elsewhere closing quits, as before.

use std::sync::Mutex;

use tauri::menu::{Menu, MenuBuilder, MenuEvent};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};

use ringlet_core::model::{account_label, display_label, Entry};

const TRAY_ID: &str = "ringlet";
const SHOW: &str = "show";
const PICKER: &str = "picker";
const LOCK: &str = "lock";
const QUIT: &str = "quit";
/// A pinned account's entry: `copy:` and its id.
const COPY: &str = "copy:";

/// What the menu shows: whether the vault is open, and its pinned accounts (id, label).
#[derive(Default, Clone, PartialEq, Eq)]
struct Shown {
    unlocked: bool,
    pinned: Vec<(String, String)>,
}

/// The menu as last built, so an unchanged list does not rebuild it.
#[derive(Default)]
pub struct TrayMenu(Mutex<Option<Shown>>);

/// Puts the icon in the tray. Failing (no tray on this desktop) is said once in the log.
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    app.manage(TrayMenu::default());
    let built = menu(app, &Shown::default()).and_then(|menu| {
        let mut tray = TrayIconBuilder::with_id(TRAY_ID)
            .tooltip("Ringlet")
            .menu(&menu)
            .on_menu_event(on_menu_event);
        if let Some(icon) = app.default_window_icon() {
            tray = tray.icon(icon.clone());
        }
        tray.build(app)
    });
    if let Err(error) = built {
        eprintln!("ringlet: no tray icon: {error}");
    }
}

/// The menu after the vault locked or unlocked, or its list changed.
pub fn update<R: Runtime>(app: &AppHandle<R>, entries: Option<&[Entry]>) {
    let Some(state) = app.try_state::<TrayMenu>() else {
        return;
    };
    let shown = Shown {
        unlocked: entries.is_some(),
        pinned: entries
            .unwrap_or_default()
            .iter()
            .filter(|entry| entry.account.pinned)
            .map(|entry| {
                let label = account_label(&entry.account.issuer, &entry.account.name);
                (entry.id.to_string(), display_label(&label))
            })
            .collect(),
    };
    let mut last = state
        .0
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if last.as_ref() == Some(&shown) {
        return;
    }
    let (Some(tray), Ok(menu)) = (app.tray_by_id(TRAY_ID), menu(app, &shown)) else {
        return;
    };
    if tray.set_menu(Some(menu)).is_ok() {
        *last = Some(shown);
    }
}

fn menu<R: Runtime>(app: &AppHandle<R>, shown: &Shown) -> tauri::Result<Menu<R>> {
    let mut menu = MenuBuilder::new(app)
        .text(SHOW, "Show or hide Ringlet")
        .text(PICKER, "Quick picker…")
        .separator();
    for (id, label) in &shown.pinned {
        // GTK reads an underscore as a mnemonic: a label's own are doubled.
        menu = menu.text(
            format!("{COPY}{id}"),
            format!("Copy {}", label.replace('_', "__")),
        );
    }
    if !shown.pinned.is_empty() {
        menu = menu.separator();
    }
    if shown.unlocked {
        menu = menu.text(LOCK, "Lock");
    }
    menu.text(QUIT, "Quit Ringlet").build()
}

fn on_menu_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let id = event.id().as_ref();
    match id {
        SHOW => toggle_main(app),
        PICKER => crate::picker::open(app),
        LOCK => crate::autolock::lock(app, "request"),
        QUIT => app.exit(0),
        _ => {
            if let Some(account) = id.strip_prefix(COPY) {
                if let Err(error) =
                    crate::commands::accounts::copy_account_code(app, account, false)
                {
                    eprintln!("ringlet: the tray could not copy a code: {error}");
                }
            }
        }
    }
}

fn toggle_main<R: Runtime>(app: &AppHandle<R>) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    if window.is_visible().unwrap_or(false) && !window.is_minimized().unwrap_or(false) {
        let _ = window.hide();
    } else {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// The window may hide (on close, on Esc): the icon is up and a host shows it.
pub fn can_hide<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.try_state::<TrayMenu>().is_some() && app.tray_by_id(TRAY_ID).is_some() && host_present()
}

/// A tray host is there to bring a hidden window back: on Linux, a StatusNotifierWatcher
/// on the session bus (KDE, GNOME with its AppIndicator extension, most panels).
pub fn host_present() -> bool {
    #[cfg(target_os = "linux")]
    {
        let Ok(connection) = dbus::blocking::Connection::new_session() else {
            return false;
        };
        let proxy = connection.with_proxy(
            "org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            std::time::Duration::from_secs(2),
        );
        proxy
            .method_call::<(bool,), _, _, _>(
                "org.freedesktop.DBus",
                "NameHasOwner",
                ("org.kde.StatusNotifierWatcher",),
            )
            .is_ok_and(|(owned,)| owned)
    }
    #[cfg(not(target_os = "linux"))]
    true
}
