//! Ringlet's desktop shell: start-up only. The commands live in [`commands`], the state
//! in [`state`], and everything they do is in `ringlet-core`.

mod appearance;
mod autolock;
mod autostart;
mod clipboard;
mod clock;
#[cfg(test)]
mod command_list_tests;
mod commands;
mod dto;
mod error;
mod events;
mod external;
mod instance;
#[cfg(test)]
mod ipc_clock_tests;
#[cfg(test)]
mod ipc_contract_tests;
#[cfg(test)]
mod ipc_linked_tests;
#[cfg(test)]
mod ipc_organize_tests;
#[cfg(test)]
mod ipc_sync_tests;
mod linked;
mod os_lock;
mod password;
mod paste;
mod picker;
#[cfg(target_os = "linux")]
mod portal;
mod rendering;
mod reveal;
mod shortcut;
mod state;
mod sync;
#[cfg(all(test, target_os = "linux"))]
mod test_bus;
mod tray;
mod typing;
mod window_memory;

use tauri::{DragDropEvent, Emitter, Manager, RunEvent, Runtime, WindowEvent};

use crate::clipboard::ClipboardGuard;

pub use error::AppError;
pub use state::AppState;

/// Starts the desktop app. Called by `main`.
pub fn run() {
    rendering::configure();
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    // Answered before anything else: no vault folder, no running instance, no window.
    if let Some(text) = instance::informational(&args) {
        print!("{text}");
        return;
    }
    let Some(vault_dir) = ringlet_core::paths::default_vault_dir() else {
        eprintln!("Ringlet cannot find a folder for its vault: set HOME or RINGLET_VAULT.");
        std::process::exit(1);
    };
    disable_core_dumps();
    let listener = match instance::claim(&vault_dir, &args) {
        instance::Claim::First(listener) => listener,
        instance::Claim::Forwarded => std::process::exit(0),
        instance::Claim::Unanswered(error) => {
            eprintln!("Ringlet is already running for this vault but did not answer ({error}). Close it, or end its process, and start Ringlet again.");
            std::process::exit(1);
        }
    };
    let cwd = std::env::current_dir().unwrap_or_default();
    let first_request = instance::Request::parse(&args, &cwd);
    ringlet_core::qr::contain_rqrr_panics();
    // Here rather than in `builder`: the mock runtime of the tests has no keyboard to grab.
    let desktop = tauri::Builder::default()
        .plugin(tauri_plugin_global_shortcut::Builder::new().build())
        .plugin(autostart::plugin());
    let app = match builder(desktop, AppState::new(vault_dir)).build(tauri::generate_context!()) {
        Ok(app) => app,
        Err(error) => {
            eprintln!("Ringlet could not start: {error}");
            std::process::exit(1);
        }
    };
    #[cfg(target_os = "linux")]
    if let Some(listener) = listener {
        let handle = app.handle().clone();
        listener.serve(move |args, cwd| {
            let request = instance::Request::parse(&args, &cwd);
            let app = handle.clone();
            let _ = handle.run_on_main_thread(move || launched(&app, request));
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = listener;
    // The main window is made here, where it was left, rather than from tauri.conf.json
    // (`create: false`): moved once shown, its page would not be painted.
    let start_hidden =
        appearance::saved_preferences(app.state::<AppState>().vault_dir()).start_hidden;
    let main = match window_memory::open_main(app.handle(), !start_hidden) {
        Ok(main) => main,
        Err(error) => {
            eprintln!("Ringlet could not open its window: {error}");
            std::process::exit(1);
        }
    };
    let protect = app.state::<AppState>().settings().screen_capture_protection;
    apply_screen_capture_protection(app.handle(), protect);
    shortcut::apply_saved(app.handle());
    appearance::apply_saved_theme(app.handle());
    tray::start(app.handle());
    // Started hidden with no tray to bring the window back: minimized instead.
    if start_hidden && !tray::can_hide(app.handle()) {
        let _ = main.show();
        let _ = main.minimize();
    }
    let mut first_request = Some(first_request);
    app.run(move |handle, event| match event {
        RunEvent::Ready => {
            // This launch's own `--quick` or files, once the main window is there.
            if let Some(request) = first_request.take() {
                if request.quick || !request.files.is_empty() {
                    launched(handle, request);
                }
            }
        }
        RunEvent::Exit => {
            reveal::close_all(handle);
            picker::close(handle);
        }
        _ => {}
    });
}

/// The window only ever shows Ringlet's own pages (and the isolation pattern's frame): a
/// link or script that tries to load anything else, remote or `data:`, is refused (web
/// addresses are offered to the system browser instead, after a question: [`external`]).
fn is_own_page(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        // How Windows and Android serve the embedded pages.
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        // The isolation frame: `isolation-<random>://localhost/`.
        scheme => scheme.starts_with("isolation") && url.host_str() == Some("localhost"),
    }
}

/// A core dump of an unlocked Ringlet would hold the vault's key: make none, and keep
/// other processes of the same user from attaching a debugger (Linux).
fn disable_core_dumps() {
    #[cfg(unix)]
    {
        let none = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: setrlimit reads the struct we pass and changes only this process's limit.
        unsafe {
            libc::setrlimit(libc::RLIMIT_CORE, &none);
        }
    }
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_DUMPABLE takes an integer and affects only this process.
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0);
    }
}

/// The app without its context, generic over the runtime so tests can build it on the
/// mock runtime.
pub fn builder<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder
        // Plugins hear the exit in the order they were added, and before `run`'s callback:
        // this one must wipe a copied code while the clipboard plugin still has its clipboard
        // (it lets go of it on exit, after which reading it panics).
        .plugin(
            tauri::plugin::Builder::<R>::new("wipe-on-quit")
                .on_event(|app, event| {
                    if let RunEvent::Exit = event {
                        // A code left on the clipboard outlives the app on some platforms.
                        app.state::<ClipboardGuard>().clear_if_ours(app, None);
                    }
                })
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(
            tauri::plugin::Builder::<R>::new("navigation-guard")
                .on_navigation(|webview, url| {
                    if is_own_page(url) {
                        return true;
                    }
                    // A web address is not loaded here; the person may open it in their browser.
                    external::offer(webview.app_handle(), url.clone());
                    false
                })
                .build(),
        )
        .manage(state)
        .manage(ClipboardGuard::default())
        .manage(sync::SyncRunner::default())
        .manage(clock::ClockWatch::default())
        .manage(picker::TypingTarget::default())
        .setup(|app| {
            autolock::watch_idle(app.handle().clone());
            sync::start(app.handle().clone());
            linked::start(app.handle().clone());
            clock::start(app.handle().clone());
            #[cfg(any(target_os = "linux", windows))]
            os_lock::watch(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::vault::vault_status,
            commands::vault::user_active,
            commands::vault::create_vault,
            commands::vault::unlock_vault,
            commands::vault::quick_unlock,
            commands::vault::quick_unlock_status,
            commands::vault::set_quick_unlock,
            commands::vault::lock_vault,
            commands::accounts::list_codes,
            commands::accounts::search_accounts,
            commands::window::hide_window,
            commands::window::close_picker,
            commands::window::picker_target,
            commands::window::type_code,
            commands::import::take_opened_files,
            commands::export::export_formats,
            commands::export::export_accounts,
            commands::preferences::get_preferences,
            commands::preferences::save_preferences,
            commands::preferences::set_start_at_login,
            commands::accounts::add_account_uri,
            commands::accounts::add_account_manual,
            commands::accounts::delete_account,
            commands::accounts::reveal_account,
            commands::accounts::copy_code,
            commands::accounts::next_hotp,
            commands::organize::edit_account,
            commands::organize::move_account,
            commands::organize::pick_icon,
            commands::organize::list_trash,
            commands::organize::restore_from_trash,
            commands::organize::delete_for_good,
            commands::organize::empty_trash,
            commands::recovery::get_recovery_codes,
            commands::recovery::parse_recovery_codes,
            commands::recovery::save_recovery_codes,
            commands::recovery::mark_recovery_code_used,
            commands::recovery::copy_recovery_code,
            commands::recovery::export_recovery_codes,
            commands::import::pick_images,
            commands::import::paste_import,
            commands::screen::scan_screen,
            commands::import::confirm_import,
            commands::import::cancel_import,
            commands::import::open_encrypted_import,
            commands::settings::get_settings,
            commands::settings::save_settings,
            commands::settings::change_password,
            commands::backups::list_backups,
            commands::backups::backup_now,
            commands::backups::restore_backup,
            commands::backups::recover_from_backup,
            commands::backup_safety::backup_status,
            commands::backup_safety::choose_backup_folder,
            commands::backup_safety::stop_backup_folder,
            commands::backup_safety::answer_backup_reminder,
            commands::backup_safety::save_emergency_kit,
            commands::sync::sync_status,
            commands::sync::sync_join,
            commands::sync::sync_join_webdav,
            commands::sync::sync_now,
            commands::sync::sync_leave,
            commands::sync::sync_remove_device,
            commands::sync::sync_new_password,
            commands::sync::join_vault,
            commands::linked::linked_groups,
            commands::linked::linked_add,
            commands::linked::linked_rename,
            commands::linked::linked_remove,
            commands::linked::linked_copy,
            commands::clock::clock_status,
            commands::clock::save_clock_check,
            commands::clock::check_clock_now,
            commands::clock::set_clock_offset,
            commands::clock::calibrate_clock,
        ])
        .on_window_event(|window, event| match event {
            WindowEvent::DragDrop(drop) if window.label() == "main" => {
                on_drag_drop(window.app_handle(), drop);
            }
            WindowEvent::Moved(_) | WindowEvent::Resized(_) if window.label() == "main" => {
                window_memory::moved(window.app_handle());
            }
            // Closing the window keeps Ringlet in the tray, where one is there to show it.
            WindowEvent::CloseRequested { api, .. }
                if window.label() == "main" && tray::can_hide(window.app_handle()) =>
            {
                api.prevent_close();
                let _ = window.hide();
            }
            _ => {}
        })
}

/// After an unlock: the other windows are told, the vault's own settings are in force
/// (capture protection applied), a settings file that could not be used is said, in the
/// log and to the person, and the clock is checked if the person wants it.
pub(crate) fn session_started<R: Runtime>(
    app: &tauri::AppHandle<R>,
    problem: Option<ringlet_core::settings::SettingsError>,
) {
    let _ = app.emit(events::VAULT_UNLOCKED, ());
    clock::look_soon(app);
    let protect = app.state::<AppState>().settings().screen_capture_protection;
    apply_screen_capture_protection(app, protect);
    if let Some(problem) = problem {
        eprintln!("ringlet: {problem}");
        let _ = app.emit(
            events::APP_ERROR,
            serde_json::to_value(AppError::from(problem)).ok(),
        );
    }
}

/// Keeps codes out of screenshots and screen sharing where the OS can (Windows, macOS
/// before 15). Where it cannot, the call does nothing, and the README says so.
pub(crate) fn apply_screen_capture_protection<R: Runtime>(app: &tauri::AppHandle<R>, on: bool) {
    if let Some(window) = app.get_webview_window("main") {
        if let Err(error) = window.set_content_protected(on) {
            eprintln!("ringlet: screen-capture protection could not be set: {error}");
        }
    }
}

/// Files dropped on the window are read in Rust: the webview never sees their contents,
/// and the UI gets a preview of what was found.
fn on_drag_drop<R: Runtime>(app: &tauri::AppHandle<R>, event: &DragDropEvent) {
    let hover = |active: bool| {
        // A lost hover event only leaves the overlay state stale; nothing to recover.
        let _ = app.emit(events::DROP_HOVER, dto::DropHover { active });
    };
    match event {
        DragDropEvent::Enter { .. } => hover(true),
        DragDropEvent::Leave => hover(false),
        DragDropEvent::Drop { paths, .. } => {
            hover(false);
            preview_in_background(app, paths.clone());
        }
        _ => {}
    }
}

/// Reads `paths` for an import on a worker thread; the UI gets the preview (or the error)
/// as an event. A dropped file and a file opened with Ringlet take this way.
fn preview_in_background<R: Runtime>(app: &tauri::AppHandle<R>, paths: Vec<std::path::PathBuf>) {
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        match commands::import::preview_files(&state, &paths) {
            Ok(preview) => {
                let _ = app.emit(events::IMPORT_PREVIEW, preview);
            }
            Err(error) => {
                let _ = app.emit(events::APP_ERROR, serde_json::to_value(&error).ok());
            }
        }
    });
}

/// What a launch asked for, in the running instance: the quick picker, or the main window
/// brought forward; files to import are read at once when the vault is open, else kept for
/// the unlock.
fn launched<R: Runtime>(app: &tauri::AppHandle<R>, request: instance::Request) {
    if request.quick {
        picker::open(app);
    } else if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    if request.files.is_empty() {
        return;
    }
    let state = app.state::<AppState>();
    if state.is_unlocked() {
        preview_in_background(app, request.files);
    } else {
        state.keep_opened_files(request.files);
    }
}

#[cfg(test)]
mod tests {
    use super::is_own_page;

    fn own(url: &str) -> bool {
        is_own_page(&tauri::Url::parse(url).unwrap_or_else(|e| panic!("{url}: {e}")))
    }

    /// The configuration compiled into the app (not only the file): prototypes frozen
    /// against pollution, and a CSP with no inline script and no eval. The end-to-end
    /// hostile test shows the CSP holding in the real window.
    #[test]
    fn the_built_config_freezes_prototypes_and_forbids_inline_script() {
        let context: tauri::Context<tauri::Wry> = tauri::generate_context!();
        let security = &context.config().app.security;
        assert!(security.freeze_prototype, "freezePrototype is off");
        let csp = security
            .csp
            .as_ref()
            .map(|csp| csp.to_string())
            .unwrap_or_default();
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert!(csp.contains("default-src 'self'"), "{csp}");
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{csp}"
        );
    }

    #[test]
    fn only_ringlets_own_pages_load() {
        assert!(own("tauri://localhost/"));
        assert!(own("tauri://localhost/index.html"));
        assert!(own("http://tauri.localhost/"));
        assert!(own(
            "isolation-04c87c7a-51c1-4fb1-ace7-26142c6324dd://localhost/"
        ));
        for foreign in [
            "https://example.com/",
            "http://localhost:8080/",
            "https://tauri.localhost.example.com/",
            "tauri://example.com/",
            "data:text/html,<script>alert(1)</script>",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "isolation-x://example.com/",
            "about:blank",
        ] {
            assert!(!own(foreign), "{foreign}");
        }
    }
}
