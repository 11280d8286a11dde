//! The IPC contract of Settings → Sync (issue #16): each command's exact JSON, its refusal
//! while locked, and a sync's problem as a `sync` error in words. Same harness as
//! `ipc_contract_tests.rs` (the mock runtime, Tauri's own invoke path); the other computer
//! is a second copy of the vault made by the core, syncing through the same folder.

use serde_json::{json, Value};

use ringlet_core::model::{Account, Algorithm, OtpKind, OtpParams, Secret};
use ringlet_core::sync::{self, LocalFolder};
use ringlet_core::vault::Vault;

use crate::ipc_contract_tests::{app, invoke, locked_vault, PASSWORD};

fn totp(issuer: &str, name: &str) -> Account {
    let otp = OtpParams {
        secret: Secret::new(format!("{issuer}:{name}").into_bytes()),
        algorithm: Algorithm::Sha1,
        digits: 6,
        kind: OtpKind::Totp { period: 30 },
    };
    Account::new(issuer, name, otp)
}

#[test]
fn every_sync_command_is_refused_while_locked() {
    let dir = tempfile::tempdir().unwrap();
    locked_vault(dir.path());
    let (_app, window) = app(dir.path());
    let commands: [(&str, Value); 6] = [
        ("sync_status", json!({})),
        ("sync_join", json!({})),
        ("sync_now", json!({})),
        ("sync_leave", json!({})),
        ("sync_remove_device", json!({"device": "laptop"})),
        ("sync_new_password", json!({"password": PASSWORD})),
    ];
    for (cmd, args) in commands {
        assert_eq!(
            invoke(&window, cmd, args),
            Err(
                json!({"kind": "vault_locked", "message": "The vault is locked. Unlock it first."})
            ),
            "{cmd}"
        );
    }
}

#[test]
fn status_now_remove_new_password_and_leave() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("vault");
    let folder = root.path().join("Sync");
    std::fs::create_dir(&folder).unwrap();
    locked_vault(&dir);
    let (_app, window) = app(&dir);
    invoke(&window, "unlock_vault", json!({"password": PASSWORD})).unwrap();

    // Not syncing: said so, and sync now is a `sync` error in words.
    assert_eq!(
        invoke(&window, "sync_status", json!({})),
        Ok(json!({
            "joined": false, "folder": "", "deviceName": "", "lastSyncMs": null,
            "devices": [], "problems": [], "passwordChangedOn": null,
        }))
    );
    assert_eq!(
        invoke(&window, "sync_now", json!({})),
        Err(json!({
            "kind": "sync",
            "message": "This vault does not sync yet: `ringlet-cli sync join FOLDER` starts.",
        }))
    );

    // This copy joins (as the CLI would; the app's join opens a folder dialog), another
    // computer builds its copy and adds an account.
    // The app holds the vault while unlocked: locked, it is joined through the core.
    let other_dir = root.path().join("other");
    invoke(&window, "lock_vault", json!({})).unwrap();
    {
        let here = Vault::open(&dir, PASSWORD.as_bytes()).unwrap();
        sync::join(&here, &LocalFolder::new(&folder), Some("desk")).unwrap();
    }
    let (other, _) = sync::join_new(
        &other_dir,
        &LocalFolder::new(&folder),
        PASSWORD.as_bytes(),
        Some("laptop"),
    )
    .unwrap();
    other.add(&totp("Zulu", "zed")).unwrap();
    sync::sync_now(&other).unwrap();
    invoke(&window, "unlock_vault", json!({"password": PASSWORD})).unwrap();

    let result = invoke(&window, "sync_now", json!({})).unwrap();
    assert_eq!(result["changes"], json!(["Added: Zulu (zed)"]));
    let status = &result["status"];
    assert_eq!(status["joined"], json!(true));
    assert_eq!(status["folder"], json!(folder.display().to_string()));
    assert_eq!(status["deviceName"], json!("desk"));
    assert!(status["lastSyncMs"].as_u64().is_some(), "{status}");
    assert_eq!(status["problems"], json!([]));
    let devices = status["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 1, "{status}");
    assert_eq!(devices[0]["name"], json!("laptop"));
    assert_eq!(devices[0]["id"].as_str().unwrap().len(), 8);
    assert_eq!(
        (devices[0]["left"].clone(), devices[0]["removed"].clone()),
        (json!(false), json!(false))
    );
    let listed = invoke(&window, "list_codes", json!({})).unwrap();
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .any(|row| row["issuer"] == "Zulu"));
    // A sync answers labels and times, never a secret.
    assert!(!result.to_string().contains("Zulu:zed"), "{result}");

    // No newer password anywhere: a `sync` error, not a wrong password.
    assert_eq!(
        invoke(
            &window,
            "sync_new_password",
            json!({"password": "whatever"})
        ),
        Err(json!({
            "kind": "sync",
            "message": "No computer in the sync folder has changed the vault's password: this copy is current.",
        }))
    );

    let removed = invoke(&window, "sync_remove_device", json!({"device": "laptop"})).unwrap();
    assert_eq!(removed["devices"][0]["removed"], json!(true));
    assert_eq!(
        invoke(&window, "sync_remove_device", json!({"device": "nobody"})).unwrap_err()["kind"],
        json!("sync")
    );
    let left = invoke(&window, "sync_leave", json!({})).unwrap();
    assert_eq!(left["joined"], json!(false));
    assert!(!dir.join(sync::SYNC_FILE).exists());
}
