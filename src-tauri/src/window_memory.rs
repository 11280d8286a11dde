//! The main window opens where it was left: size, position and maximized, in logical
//! pixels (`ringlet_core::window_place`, in `window.json` beside the vault). The window is
//! built at that place, not moved there once shown: WebKitGTK does not paint a page whose
//! window is moved before its first paint. A move or resize is written once the window has
//! been still for a second, so a drag writes one file, not one per step, and a killed app
//! loses at most that second.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::time::Duration;

use tauri::{AppHandle, Manager, Monitor, Runtime, WebviewWindow, WebviewWindowBuilder};

use ringlet_core::window_place::{Rect, WindowPlace};

use crate::state::AppState;

const MAIN: &str = "main";
const SETTLED: Duration = Duration::from_secs(1);

/// The writer's end: each move or resize of the main window is a message.
struct Moves(Mutex<Sender<()>>);

/// Builds the main window from tauri.conf.json, where it was left (hidden unless
/// `visible`), and starts the writer.
pub fn open_main<R: Runtime>(app: &AppHandle<R>, visible: bool) -> tauri::Result<WebviewWindow<R>> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|window| window.label == MAIN)
        .cloned()
        .unwrap_or_default();
    let mut builder = WebviewWindowBuilder::from_config(app, &config)?.visible(visible);
    if let Some(place) = WindowPlace::load(app.state::<AppState>().vault_dir()) {
        let screens: Vec<Rect> = app
            .available_monitors()
            .unwrap_or_default()
            .iter()
            .map(logical_rect)
            .collect();
        let min = (
            config.min_width.unwrap_or(0.0) as u32,
            config.min_height.unwrap_or(0.0) as u32,
        );
        let to = place.restore(&screens, min);
        builder = builder
            .inner_size(f64::from(to.width), f64::from(to.height))
            .maximized(to.maximized);
        if let Some((x, y)) = to.position {
            builder = builder.position(f64::from(x), f64::from(y));
        }
    }
    let window = builder.build()?;
    let (moved, moves) = mpsc::channel();
    app.manage(Moves(Mutex::new(moved)));
    let writer_app = app.clone();
    let spawned = std::thread::Builder::new()
        .name("window-memory".into())
        .spawn(move || write_when_settled(&writer_app, &moves));
    if let Err(error) = spawned {
        eprintln!("ringlet: the window's place will not be kept: {error}");
    }
    Ok(window)
}

/// The main window moved or changed size.
pub fn moved<R: Runtime>(app: &AppHandle<R>) {
    if let Some(moves) = app.try_state::<Moves>() {
        if let Ok(moved) = moves.0.lock() {
            let _ = moved.send(());
        }
    }
}

fn logical_rect(monitor: &Monitor) -> Rect {
    let scale = monitor.scale_factor();
    let position = monitor.position().to_logical::<i32>(scale);
    let size = monitor.size().to_logical::<u32>(scale);
    Rect {
        x: position.x,
        y: position.y,
        width: size.width,
        height: size.height,
    }
}

fn write_when_settled<R: Runtime>(app: &AppHandle<R>, moves: &Receiver<()>) {
    while moves.recv().is_ok() {
        loop {
            match moves.recv_timeout(SETTLED) {
                Ok(()) => continue,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if let Some(window) = app.get_webview_window(MAIN) {
            write(app, &window);
        }
    }
}

fn write<R: Runtime>(app: &AppHandle<R>, window: &WebviewWindow<R>) {
    let dir = app.state::<AppState>().vault_dir().clone();
    if window.is_minimized().unwrap_or(true) || !window.is_visible().unwrap_or(false) {
        return;
    }
    let maximized = window.is_maximized().unwrap_or(false);
    // A maximized window keeps the size and place it had before, to return to.
    let rect = match (maximized, WindowPlace::load(&dir)) {
        (true, Some(before)) => before.rect,
        _ => {
            let (Ok(position), Ok(size), Ok(scale)) = (
                window.outer_position(),
                window.inner_size(),
                window.scale_factor(),
            ) else {
                return;
            };
            let position = position.to_logical::<i32>(scale);
            let size = size.to_logical::<u32>(scale);
            Rect {
                x: position.x,
                y: position.y,
                width: size.width,
                height: size.height,
            }
        }
    };
    if let Err(error) = (WindowPlace { rect, maximized }).save(&dir) {
        eprintln!("ringlet: the window's place could not be kept: {error}");
    }
}
