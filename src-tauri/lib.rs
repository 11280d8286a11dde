//! Ringlet's desktop shell: start-up only. The commands live in [`commands`], the state
//! in [`state`], and everything they do is in `ringlet-core`.

mod commands;
mod dto;
mod error;
mod state;

use tauri::{DragDropEvent, Emitter, Manager, Runtime, WindowEvent};

pub use error::AppError;
pub use state::AppState;

/// Starts the desktop app. Called by `main`.
pub fn run() {
    let Some(vault_dir) = ringlet_core::paths::default_vault_dir() else {
        eprintln!("Ringlet cannot find a folder for its vault: set HOME or RINGLET_VAULT.");
        std::process::exit(1);
    };
    let app = builder(tauri::Builder::default(), AppState::new(vault_dir));
    if let Err(error) = app.run(tauri::generate_context!()) {
        eprintln!("Ringlet could not start: {error}");
        std::process::exit(1);
    }
}

/// The app without its context, generic over the runtime so tests can build it on the
/// mock runtime.
pub fn builder<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::vault::vault_status,
            commands::vault::create_vault,
            commands::vault::unlock_vault,
            commands::vault::lock_vault,
            commands::accounts::list_codes,
            commands::accounts::add_account_uri,
            commands::accounts::add_account_manual,
            commands::accounts::delete_account,
            commands::accounts::copy_code,
            commands::accounts::next_hotp,
            commands::import::pick_images,
            commands::import::confirm_import,
            commands::import::cancel_import,
        ])
        .on_window_event(|window, event| {
            if let WindowEvent::DragDrop(drop) = event {
                on_drag_drop(window.app_handle(), drop);
            }
        })
}

/// Files dropped on the window are read in Rust: the webview never sees their contents,
/// and the UI gets a preview of what was found.
fn on_drag_drop<R: Runtime>(app: &tauri::AppHandle<R>, event: &DragDropEvent) {
    let hover = |active: bool| {
        // A lost hover event only leaves the overlay state stale; nothing to recover.
        let _ = app.emit("drop-hover", dto::DropHover { active });
    };
    match event {
        DragDropEvent::Enter { .. } => hover(true),
        DragDropEvent::Leave => hover(false),
        DragDropEvent::Drop { paths, .. } => {
            hover(false);
            let app = app.clone();
            let paths = paths.clone();
            tauri::async_runtime::spawn_blocking(move || {
                let state = app.state::<AppState>();
                match commands::import::preview_files(&state, &paths) {
                    Ok(preview) => {
                        let _ = app.emit("import-preview", preview);
                    }
                    Err(error) => {
                        let _ = app.emit("app-error", serde_json::to_value(&error).ok());
                    }
                }
            });
        }
        _ => {}
    }
}
