//! The IPC contract as the UI sees it: commands are sent through Tauri's own invoke path
//! (argument parsing, the command, serialisation of the answer) on the mock runtime, and
//! the JSON that comes back is compared exactly. `error.rs` tests `AppError`'s JSON alone;
//! these tests show that this JSON is what actually reaches the webview.
//!
//! Vaults are made here with `fast_kdf()` so an unlock takes microseconds,
//! not the half second of a real vault; `create_vault` itself is not sent (it calibrates
//! Argon2 for one to two seconds).

use std::path::Path;
use std::time::Duration;

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

use ringlet_core::settings::Settings;
use ringlet_core::vault::{KdfParams, Vault};

use crate::error::AppError;
use crate::state::AppState;

pub(crate) const PASSWORD: &str = "correct horse battery staple";
/// RFC 4226's secret ("12345678901234567890"): counter 0 gives 755224 (its appendix D).
const RFC_HOTP_URI: &str =
    "otpauth://hotp/Example:alice@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example&counter=0";

/// The app as `run` builds it, on the mock runtime, with a window labelled as the real one.
/// `build` does not run the app's `setup` (Tauri runs it when the app starts running), so
/// there is no idle watcher here: nothing locks or backs up behind a test's back.
/// The app is returned too, so that it lives as long as the window the test uses.
pub(crate) fn app(vault_dir: &Path) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let app = crate::builder(mock_builder(), AppState::new(vault_dir.to_path_buf()))
        .build(mock_context(noop_assets()))
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    (app, window)
}

/// Sends `cmd` with `args` as the UI's `invoke(cmd, args)` would, from Ringlet's own page,
/// and returns the answer as JSON: `Ok` resolves the UI's promise, `Err` rejects it.
pub(crate) fn invoke(
    window: &WebviewWindow<MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    tauri::test::get_ipc_response(window, request).map(|body| body.deserialize().unwrap())
}

/// A locked vault with `PASSWORD`, as the app finds it at start-up.
pub(crate) fn locked_vault(dir: &Path) {
    drop(Vault::create_with(dir, PASSWORD.as_bytes(), fast_kdf()).unwrap());
}

#[test]
fn vault_status_of_an_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    assert_eq!(
        invoke(&window, "vault_status", json!({})),
        Ok(json!({
            "state": "missing",
            "path": dir.path().display().to_string(),
            "quickUnlock": false,
        }))
    );
}

/// The floor on new passwords holds in the backend, whatever a webview sends.
#[test]
fn a_short_password_makes_no_vault() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    let refused = invoke(&window, "create_vault", json!({"password": "seven77"}));
    assert_eq!(
        refused
            .as_ref()
            .err()
            .map(|error| (&error["kind"], &error["field"])),
        Some((&json!("invalid_input"), &json!("password"))),
        "{refused:?}"
    );
    assert!(!Vault::exists(dir.path()));
}

#[test]
fn a_wrong_password_is_refused_as_kind_and_message() {
    let dir = tempfile::tempdir().unwrap();
    locked_vault(dir.path());
    let (_app, window) = app(dir.path());
    assert_eq!(
        invoke(&window, "vault_status", json!({}))
            .ok()
            .map(|status| status["state"].clone()),
        Some(json!("locked"))
    );
    assert_eq!(
        invoke(&window, "unlock_vault", json!({"password": "wrong"})),
        Err(json!({"kind": "wrong_password", "message": "Wrong password."}))
    );
    // The refusal left nothing open.
    assert_eq!(
        invoke(&window, "vault_status", json!({}))
            .ok()
            .map(|status| status["state"].clone()),
        Some(json!("locked"))
    );
}

#[test]
fn list_codes_is_refused_while_locked() {
    let locked = json!({
        "kind": "vault_locked",
        "message": "The vault is locked. Unlock it first.",
    });
    // No vault at all, and a vault that exists but is not unlocked.
    let empty = tempfile::tempdir().unwrap();
    let (_app, window) = app(empty.path());
    assert_eq!(
        invoke(&window, "list_codes", json!({})),
        Err(locked.clone())
    );

    let dir = tempfile::tempdir().unwrap();
    locked_vault(dir.path());
    let (_app, window) = app(dir.path());
    assert_eq!(invoke(&window, "list_codes", json!({})), Err(locked));
}

/// A vault folder whose header is gone is "damaged", never "missing": no new vault is made
/// over its records, and recovery from a backup is open to it.
#[test]
fn a_vault_without_its_header_offers_recovery_not_a_new_vault() {
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::create_with(dir.path(), PASSWORD.as_bytes(), fast_kdf()).unwrap();
    vault
        .add(&ringlet_core::otpauth::parse(RFC_HOTP_URI).unwrap())
        .unwrap();
    let backup = vault.backup_now().unwrap();
    drop(vault);
    std::fs::remove_file(dir.path().join(ringlet_core::vault::HEADER_FILE)).unwrap();
    let (_app, window) = app(dir.path());
    let status = invoke(&window, "vault_status", json!({})).unwrap();
    assert_eq!(status["state"], "damaged");
    let refused = invoke(&window, "create_vault", json!({"password": PASSWORD})).unwrap_err();
    assert_eq!(refused["kind"], "vault_damaged", "{refused}");
    let name = backup.file_name().unwrap().to_str().unwrap();
    let recovered = json!({"name": name, "password": PASSWORD});
    invoke(&window, "recover_from_backup", recovered).unwrap();
    let status = invoke(&window, "vault_status", json!({})).unwrap();
    assert_eq!(status["state"], "unlocked");
    assert_eq!(
        invoke(&window, "list_codes", json!({}))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// Dropped files are checked against the lock before anything else, then bounded in
/// number before any is read.
#[test]
fn drops_are_refused_while_locked_and_bounded_when_unlocked() {
    use crate::commands::import::preview_files;
    use tauri::Manager;
    let dir = tempfile::tempdir().unwrap();
    locked_vault(dir.path());
    let (app, window) = app(dir.path());
    let state = app.state::<AppState>();
    let link = dir.path().join("link.txt");
    std::fs::write(&link, format!("{RFC_HOTP_URI}\n")).unwrap();
    let too_many = vec![link.clone(); ringlet_core::import::batch::MAX_FILES + 1];
    assert!(matches!(
        preview_files(&state, &too_many),
        Err(AppError::Locked)
    ));
    invoke(&window, "unlock_vault", json!({"password": PASSWORD})).unwrap();
    let refused = preview_files(&state, &too_many).unwrap_err();
    assert!(
        refused.to_string().contains("at most 100 files"),
        "{refused}"
    );
    let preview = preview_files(&state, &[link]).unwrap();
    assert_eq!(preview.candidates.len(), 1);
}

/// Backups made through the command the Settings dialog uses are rotated: of twelve made
/// today, the newest ten stay (one a day for 30 days adds nothing on a single day), and the
/// list the command gives names them.
#[test]
fn backup_now_keeps_the_newest_ten() {
    let dir = tempfile::tempdir().unwrap();
    locked_vault(dir.path());
    let (_app, window) = app(dir.path());
    invoke(&window, "unlock_vault", json!({"password": PASSWORD})).unwrap();
    let made: Vec<String> = (0..12)
        .map(|_| {
            let backup = invoke(&window, "backup_now", json!({})).unwrap();
            backup["name"].as_str().unwrap().to_owned()
        })
        .collect();
    let mut on_disk: Vec<String> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        // Beside the backups: `status.json`, what they did (vault::backup::status).
        .filter(|name| name.ends_with(".rbak"))
        .collect();
    on_disk.sort();
    let mut newest_ten = made[2..].to_vec();
    newest_ten.sort();
    assert_eq!(on_disk, newest_ten);
    let listed = invoke(&window, "list_backups", json!({})).unwrap();
    assert_eq!(
        listed["backups"].as_array().map(Vec::len),
        Some(10),
        "{listed}"
    );
}

/// The idle lock is the backend's: after it, the commands are refused as locked and the
/// session is gone (its vault closed, so another process may open it). An unlock while a
/// session exists still checks the password.
#[test]
fn the_idle_lock_is_enforced_by_the_backend() {
    use tauri::Manager;
    let dir = tempfile::tempdir().unwrap();
    locked_vault(dir.path());
    let (app, window) = app(dir.path());
    invoke(&window, "unlock_vault", json!({"password": PASSWORD})).unwrap();
    let refused = invoke(
        &window,
        "unlock_vault",
        json!({"password": "not the password"}),
    );
    assert_eq!(refused.unwrap_err()["kind"], "wrong_password");
    assert!(invoke(&window, "list_codes", json!({})).is_ok());

    let state = app.state::<AppState>();
    let limit = u64::from(state.settings().auto_lock_seconds.unwrap());
    state.pretend_idle_for(Duration::from_secs(limit - 5));
    crate::autolock::lock_if_idle(app.handle());
    assert!(state.is_unlocked(), "locked before the delay");
    state.pretend_idle_for(Duration::from_secs(limit));
    crate::autolock::lock_if_idle(app.handle());
    assert!(!state.is_unlocked());
    let refused = invoke(&window, "list_codes", json!({})).unwrap_err();
    assert_eq!(refused["kind"], "vault_locked");
    // The session's vault was closed: its folder lock is free.
    drop(Vault::open(dir.path(), PASSWORD.as_bytes()).unwrap());
    let refused = invoke(
        &window,
        "unlock_vault",
        json!({"password": "not the password"}),
    );
    assert_eq!(refused.unwrap_err()["kind"], "wrong_password");
}

/// Writes `settings` into the locked vault in `dir`, sealed under its key.
fn seal_settings(dir: &Path, settings: &Settings) {
    let vault = Vault::open(dir, PASSWORD.as_bytes()).unwrap();
    settings.save_sealed(dir, &vault).unwrap();
}

/// Settings are the vault's: sealed under its key, in force only once verified. Making
/// one less strict asks for the password; a stricter one does not.
#[test]
fn settings_are_sealed_and_weakening_one_asks_for_the_password() {
    let dir = tempfile::tempdir().unwrap();
    locked_vault(dir.path());
    let chosen = Settings {
        auto_lock_seconds: Some(60),
        ..Settings::default()
    };
    seal_settings(dir.path(), &chosen);
    let (_app, window) = app(dir.path());
    invoke(&window, "unlock_vault", json!({"password": PASSWORD})).unwrap();
    let in_force = invoke(&window, "get_settings", json!({})).unwrap();
    assert_eq!(in_force["autoLockSeconds"], 60);

    let never = json!({"settings": {"autoLockSeconds": null, "clipboardClearSeconds": 20}});
    let path = dir.path().join("settings.json");
    let file_before = std::fs::read(&path).unwrap();
    let refused = invoke(&window, "save_settings", never.clone()).unwrap_err();
    assert_eq!(refused["kind"], "password_required");
    assert_eq!(
        refused["message"],
        "Making the auto-lock less strict asks for the vault password."
    );
    let mut wrong = never.clone();
    wrong["password"] = json!("not the password");
    let refused = invoke(&window, "save_settings", wrong).unwrap_err();
    assert_eq!(refused["kind"], "wrong_password");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        file_before,
        "nothing was saved"
    );

    let mut right = never;
    right["password"] = json!(PASSWORD);
    let saved = invoke(&window, "save_settings", right).unwrap();
    assert_eq!(saved["autoLockSeconds"], Value::Null);
    // Stricter again: no password.
    let stricter = json!({"settings": {"autoLockSeconds": 120}});
    assert_eq!(
        invoke(&window, "save_settings", stricter).unwrap()["autoLockSeconds"],
        120
    );

    // The file edited behind Ringlet's back is not used: the defaults are in force.
    invoke(&window, "lock_vault", json!({})).unwrap();
    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace("120", "86400");
    std::fs::write(&path, edited).unwrap();
    invoke(&window, "unlock_vault", json!({"password": PASSWORD})).unwrap();
    let in_force = invoke(&window, "get_settings", json!({})).unwrap();
    assert_eq!(in_force["autoLockSeconds"], 300);
}

/// The OS's lock signals lock the vault as the settings say (the D-Bus side is tested on a
/// real bus in `os_lock`).
#[cfg(target_os = "linux")]
#[test]
fn the_os_locks_the_vault_as_the_settings_say() {
    use crate::os_lock::{on_event, OsEvent};
    use tauri::Manager;
    let dir = tempfile::tempdir().unwrap();
    locked_vault(dir.path());
    let (app, window) = app(dir.path());
    let state = app.state::<AppState>();
    let events = [
        OsEvent::ScreenLocked,
        OsEvent::Suspending,
        OsEvent::LidClosed,
    ];
    let none = Settings {
        lock_on_screen_lock: false,
        lock_on_suspend: false,
        lock_on_lid_close: false,
        ..Settings::default()
    };
    seal_settings(dir.path(), &none);
    invoke(&window, "unlock_vault", json!({"password": PASSWORD})).unwrap();
    for event in events {
        on_event(app.handle(), event);
        assert!(state.is_unlocked(), "{event:?} locked against the settings");
    }
    invoke(&window, "lock_vault", json!({})).unwrap();
    // Settings are read again at unlock: now the defaults, which lock on every event.
    std::fs::remove_file(dir.path().join("settings.json")).unwrap();
    for event in events {
        invoke(&window, "unlock_vault", json!({"password": PASSWORD})).unwrap();
        on_event(app.handle(), event);
        assert!(!state.is_unlocked(), "{event:?} did not lock by default");
    }
}

#[test]
fn unlock_add_next_code_and_lock() {
    let dir = tempfile::tempdir().unwrap();
    locked_vault(dir.path());
    let (_app, window) = app(dir.path());

    // A command that returns nothing resolves with `null`.
    assert_eq!(
        invoke(&window, "unlock_vault", json!({"password": PASSWORD})),
        Ok(Value::Null)
    );
    assert_eq!(
        invoke(&window, "vault_status", json!({})),
        Ok(json!({
            "state": "unlocked",
            "path": dir.path().display().to_string(),
            "quickUnlock": false,
        }))
    );
    assert_eq!(invoke(&window, "list_codes", json!({})), Ok(json!([])));

    let added = invoke(&window, "add_account_uri", json!({"uri": RFC_HOTP_URI})).unwrap();
    let id = added["id"].as_str().unwrap().to_string();
    let row = |counter: u64, code: Value| {
        json!({
            "id": id,
            "issuer": "Example",
            "account": "alice@example.com",
            "type": "hotp",
            "algorithm": "SHA1",
            "digits": 6,
            "period": null,
            "counter": counter,
            "code": code,
            "expiresAt": null,
            "nextCode": null,
            "tags": [],
            "note": "",
            "pinned": false,
            "recoveryLeft": 0,
            "recoveryTotal": 0,
            "icon": {"kind": "letter", "choice": "auto", "name": null, "src": null, "letter": "E", "hue": 289},
            "linked": false,
            "timeOffset": 0,
            "timeOffsetSaid": null,
        })
    };
    // An HOTP code is only shown once asked for: none yet.
    assert_eq!(added, row(0, Value::Null));
    // The counter is saved as the next one before the code for counter 0 is shown.
    assert_eq!(
        invoke(&window, "next_hotp", json!({"id": id})),
        Ok(row(1, json!("755224")))
    );
    assert_eq!(
        invoke(&window, "list_codes", json!({})),
        Ok(json!([row(1, json!("755224"))]))
    );

    assert_eq!(invoke(&window, "lock_vault", json!({})), Ok(Value::Null));
    assert_eq!(
        invoke(&window, "list_codes", json!({})).map_err(|e| e["kind"].clone()),
        Err(json!("vault_locked"))
    );
}

/// The search box and `ringlet-cli code` share the core's rule; the app answers ids, best
/// first, and sees an account added since the list was last read.
#[test]
fn search_answers_ids_best_first_and_sees_changes() {
    let dir = tempfile::tempdir().unwrap();
    locked_vault(dir.path());
    let (_app, window) = app(dir.path());
    invoke(&window, "unlock_vault", json!({"password": PASSWORD})).unwrap();
    let add = |issuer: &str| {
        let uri = format!("otpauth://totp/{issuer}:me?secret=JBSWY3DPEHPK3PXP&issuer={issuer}");
        invoke(&window, "add_account_uri", json!({ "uri": uri })).unwrap()["id"].clone()
    };
    let github = add("GitHub");
    let hub = add("Hub");
    add("Bank");
    invoke(&window, "list_codes", json!({})).unwrap();
    assert_eq!(
        invoke(&window, "search_accounts", json!({"query": "HUB"})),
        Ok(json!([hub, github])),
        "the whole name first, then inside a word; case does not matter"
    );
    // Added after the list was read: found all the same. Equal matches keep the list's
    // order, which is by issuer.
    let gitea = add("Gitea");
    assert_eq!(
        invoke(&window, "search_accounts", json!({"query": "git"})),
        Ok(json!([gitea, github]))
    );
    assert_eq!(
        invoke(
            &window,
            "search_accounts",
            json!({"query": "x".repeat(2000)})
        )
        .map_err(|e| e["kind"].clone()),
        Err(json!("invalid_input"))
    );
    invoke(&window, "lock_vault", json!({})).unwrap();
    assert_eq!(
        invoke(&window, "search_accounts", json!({"query": "git"})).map_err(|e| e["kind"].clone()),
        Err(json!("vault_locked"))
    );
}

/// Settings → Export: the core's formats, and an export refused before any file is asked
/// for when the vault password is wrong, the file's password too short, the format
/// unknown or the vault locked.
#[test]
fn export_lists_the_core_formats_and_refuses_before_the_save_dialog() {
    let dir = tempfile::tempdir().unwrap();
    locked_vault(dir.path());
    let (_app, window) = app(dir.path());
    let formats = invoke(&window, "export_formats", json!({})).unwrap();
    let ids: Vec<&str> = formats
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ringlet_core::export::export_ids());
    assert_eq!(
        formats[2],
        json!({
            "id": "aegis-encrypted",
            "name": "Aegis vault (JSON), encrypted with a password",
            "protection": "export_password",
            // What the core says it loses, passed through.
            "loses": ringlet_core::export::export_by_id("aegis-encrypted").unwrap().loses(),
            "shown": false,
        })
    );
    let export = |args: Value| {
        invoke(&window, "export_accounts", args)
            .map_err(|e| (e["kind"].clone(), e["field"].clone()))
    };
    assert_eq!(
        export(json!({"format": "aegis", "password": PASSWORD})),
        Err((json!("vault_locked"), Value::Null))
    );
    invoke(&window, "unlock_vault", json!({"password": PASSWORD})).unwrap();
    assert_eq!(
        export(json!({"format": "aegis", "password": "not it"})),
        Err((json!("wrong_password"), Value::Null))
    );
    assert_eq!(
        export(
            json!({"format": "aegis-encrypted", "password": PASSWORD, "exportPassword": "short"})
        ),
        Err((json!("invalid_input"), json!("exportPassword")))
    );
    assert_eq!(
        export(json!({"format": "keepass", "password": PASSWORD})),
        Err((json!("invalid_input"), Value::Null))
    );
}

/// Arguments the command cannot read never reach it: Tauri refuses them with a plain
/// string, not `{kind, message}` (the UI's `normalizeError` shows it as `internal`).
/// A locked vault answers a restore before any password is tried, and recovery (which sets
/// the folder aside) is refused unless an unlock found the vault damaged.
#[test]
fn restore_and_recovery_are_refused_where_they_do_not_belong() {
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::create_with(dir.path(), PASSWORD.as_bytes(), fast_kdf()).unwrap();
    let backup = vault.backup_now().unwrap();
    drop(vault);
    let name = backup.file_name().unwrap().to_str().unwrap().to_owned();
    let (_app, window) = app(dir.path());
    let args = json!({"name": name, "password": PASSWORD});
    let refused = invoke(&window, "restore_backup", args.clone()).unwrap_err();
    assert_eq!(refused["kind"], "vault_locked");
    let refused = invoke(&window, "recover_from_backup", args.clone()).unwrap_err();
    assert_eq!(refused["kind"], "invalid_input");
    assert!(refused["message"]
        .as_str()
        .unwrap()
        .contains("failed to open as damaged"));
    assert!(
        dir.path().join("vault.header").is_file(),
        "the healthy vault stays"
    );

    // Once an unlock has found the vault damaged, recovery is offered.
    let index = dir.path().join("vault.index");
    let mut bytes = std::fs::read(&index).unwrap();
    bytes[20] ^= 1;
    std::fs::write(&index, bytes).unwrap();
    let damaged = invoke(&window, "unlock_vault", json!({"password": PASSWORD})).unwrap_err();
    assert_eq!(damaged["kind"], "vault_damaged");
    let recovered = invoke(&window, "recover_from_backup", args).unwrap();
    assert_eq!(recovered, json!({"added": 0, "skipped": 0}));
}

/// Every password check counts toward one pace: wrong unlocks, a wrong password for a
/// reveal or a change, a wrong backup password; the right one starts the count again.
#[test]
fn wrong_passwords_count_across_commands() {
    use tauri::Manager;
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::create_with(dir.path(), PASSWORD.as_bytes(), fast_kdf()).unwrap();
    let id = vault
        .add(&ringlet_core::otpauth::parse(RFC_HOTP_URI).unwrap())
        .unwrap();
    let backup = vault.backup_now().unwrap();
    drop(vault);
    let name = backup.file_name().unwrap().to_str().unwrap().to_owned();
    let (app, window) = app(dir.path());
    let count = || app.state::<AppState>().wrong_passwords();
    for n in 1..=2 {
        let refused = invoke(&window, "unlock_vault", json!({"password": "wrong"})).unwrap_err();
        assert_eq!(refused["kind"], "wrong_password");
        assert_eq!(count(), n);
    }
    invoke(&window, "unlock_vault", json!({"password": PASSWORD})).unwrap();
    assert_eq!(count(), 0);
    // A new password under the floor is refused before any password is checked.
    let short = json!({"current": PASSWORD, "new": "seven77"});
    let refused = invoke(&window, "change_password", short).unwrap_err();
    assert_eq!(refused["field"], "password", "{refused}");
    assert_eq!(count(), 0);
    let wrong = "not the password";
    let reveal = json!({"id": id.to_string(), "password": wrong});
    assert!(invoke(&window, "reveal_account", reveal).is_err());
    assert_eq!(count(), 1);
    let change = json!({"current": wrong, "new": "a new one"});
    assert!(invoke(&window, "change_password", change).is_err());
    assert_eq!(count(), 2);
    let restore = json!({"name": name, "password": wrong});
    let refused = invoke(&window, "restore_backup", restore).unwrap_err();
    assert_eq!(refused["kind"], "backup", "the wire is unchanged");
    assert_eq!(count(), 3);
    // Turning quick unlock off needs no password and does not reset the count.
    invoke(&window, "set_quick_unlock", json!({"enabled": false})).unwrap();
    assert_eq!(count(), 3);
}

#[test]
fn unreadable_arguments_are_refused_by_tauri_as_a_string() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    let refusal = invoke(&window, "unlock_vault", json!({})).unwrap_err();
    let text = refusal.as_str().unwrap_or_default();
    assert!(
        text.contains("unlock_vault") && text.contains("password"),
        "{refusal}"
    );
    assert_eq!(
        invoke(&window, "no_such_command", json!({})),
        Err(json!("Command no_such_command not found"))
    );
}

/// `mock_context` carries no ACL at all, and Tauri checks an app command against the ACL
/// only when the app has an ACL manifest: on it the app's commands are allowed from any
/// window, and the tests above would pass with a command missing from the capability. The
/// generated context carries `build.rs`'s manifest and `capabilities/`, so here the
/// capability itself is what lets the main window in and keeps everything else out.
#[test]
fn the_capabilities_grant_the_main_window_and_the_picker_and_nothing_more() {
    let dir = tempfile::tempdir().unwrap();
    let app = crate::builder(mock_builder(), AppState::new(dir.path().to_path_buf()))
        .build(tauri::generate_context!())
        .unwrap();
    // tauri.conf.json's window is only made when the app runs; made by hand here.
    let main = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    assert_eq!(
        invoke(&main, "vault_status", json!({})).map(|status| status["state"].clone()),
        Ok(json!("missing"))
    );
    // The clipboard and dialog plugins are used from Rust only.
    for plugin_command in ["plugin:clipboard-manager|read_text", "plugin:dialog|open"] {
        let refusal = invoke(&main, plugin_command, json!({})).unwrap_err();
        assert!(
            refusal.as_str().is_some_and(|r| r.contains("not allowed")),
            "{plugin_command}: {refusal}"
        );
    }
    // The quick picker's capability allows its few commands and nothing that changes the
    // vault or shows a secret.
    let picker = WebviewWindowBuilder::new(&app, crate::picker::LABEL, Default::default())
        .build()
        .unwrap();
    assert_eq!(
        invoke(&picker, "vault_status", json!({})).map(|status| status["state"].clone()),
        Ok(json!("missing"))
    );
    for refused in [
        "add_account_uri",
        "delete_account",
        "reveal_account",
        "save_settings",
        "save_preferences",
        "paste_import",
    ] {
        let refusal = invoke(&picker, refused, json!({})).unwrap_err();
        assert!(
            refusal.as_str().is_some_and(|r| r.contains("not allowed")),
            "{refused} from the picker: {refusal}"
        );
    }
    // Any other window may call nothing.
    let other = WebviewWindowBuilder::new(&app, "other", Default::default())
        .build()
        .unwrap();
    let refusal = invoke(&other, "vault_status", json!({})).unwrap_err();
    assert!(
        refusal.as_str().is_some_and(|r| r.contains("not allowed")),
        "{refusal}"
    );
}

/// Fast key derivation for test vaults, kept at unlock in this test process (test builds
/// only: `keep_weak_kdf_for_tests`).
pub(crate) fn fast_kdf() -> KdfParams {
    ringlet_core::vault::keep_weak_kdf_for_tests();
    KdfParams::fast_for_tests()
}
