//! The IPC contract of linked folders (issue #11): each command refused while locked, and
//! the exact JSON of a group: rows as the list's (`linked: true`, a code, no secret), the
//! backup's file, format and time; renamed, an account copied into the vault, removed.
//! The folder holds a plain Aegis backup written by Ringlet's own exporter.

use serde_json::{json, Value};

use ringlet_core::export::{self, Source};
use ringlet_core::model::{Account, Algorithm, OtpKind, OtpParams, Secret};
use ringlet_core::vault::Vault;

use crate::ipc_contract_tests::{app, fast_kdf, invoke, locked_vault, PASSWORD};

#[test]
fn every_linked_command_is_refused_while_locked() {
    let dir = tempfile::tempdir().unwrap();
    locked_vault(dir.path());
    let (_app, window) = app(dir.path());
    let commands: [(&str, Value); 5] = [
        ("linked_groups", json!({})),
        (
            "linked_add",
            json!({"folder": dir.path(), "password": null}),
        ),
        (
            "linked_rename",
            json!({"id": "0011223344556677", "name": "x"}),
        ),
        ("linked_remove", json!({"id": "0011223344556677"})),
        ("linked_copy", json!({"id": "linked:0011223344556677:0"})),
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
fn a_linked_group_its_rows_rename_copy_and_remove() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("vault");
    locked_vault(&dir);
    let folder = root.path().join("Aegis");
    std::fs::create_dir(&folder).unwrap();
    // The phone: one TOTP account (RFC 6238's secret), written as a plain Aegis backup.
    let phone = Vault::create_with(&root.path().join("phone"), b"phone", fast_kdf()).unwrap();
    let otp = OtpParams {
        secret: Secret::new(b"12345678901234567890".to_vec()),
        algorithm: Algorithm::Sha1,
        digits: 6,
        kind: OtpKind::Totp { period: 30 },
    };
    phone.add(&Account::new("GitHub", "alice", otp)).unwrap();
    let written = export::export_by_id("aegis")
        .unwrap()
        .write(&Source::of(&phone).unwrap(), None)
        .unwrap();
    std::fs::write(folder.join("aegis-backup.json"), &written.files[0]).unwrap();

    let (_app, window) = app(&dir);
    invoke(&window, "unlock_vault", json!({"password": PASSWORD})).unwrap();
    assert_eq!(invoke(&window, "linked_groups", json!({})), Ok(json!([])));

    let added = invoke(
        &window,
        "linked_add",
        json!({"folder": folder, "password": null}),
    )
    .unwrap();
    assert_eq!(added["needsPassword"], Value::Null);
    let group = &added["group"];
    let id = group["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 16);
    let row = &group["accounts"][0];
    assert_eq!(row["id"], json!(format!("linked:{id}:0")));
    assert_eq!(row["linked"], json!(true));
    assert_eq!(row["code"].as_str().unwrap().len(), 6);
    let mut fields: Vec<&str> = group
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "accounts",
            "error",
            "file",
            "folder",
            "format",
            "id",
            "name",
            "skipped",
            "updatedMs"
        ]
    );
    assert_eq!(group["name"], json!("Aegis"));
    assert_eq!(group["file"], json!("aegis-backup.json"));
    assert_eq!(group["format"], json!("Aegis backup"));
    assert_eq!(group["skipped"], json!([]));
    assert!(group["updatedMs"].as_u64().unwrap() > 0);
    // Linked twice: said in words.
    let again = invoke(
        &window,
        "linked_add",
        json!({"folder": folder, "password": null}),
    )
    .unwrap_err();
    assert_eq!(again["kind"], json!("invalid_input"));
    assert!(again["message"]
        .as_str()
        .unwrap()
        .contains("already linked as \"Aegis\""));

    invoke(
        &window,
        "linked_rename",
        json!({"id": id, "name": "Aegis on Pixel"}),
    )
    .unwrap();
    let groups = invoke(&window, "linked_groups", json!({})).unwrap();
    assert_eq!(groups[0]["name"], json!("Aegis on Pixel"));
    // Search finds the linked row after the vault's own (none here).
    let found = invoke(&window, "search_accounts", json!({"query": "github"})).unwrap();
    assert_eq!(found, json!([format!("linked:{id}:0")]));

    let copied = invoke(
        &window,
        "linked_copy",
        json!({"id": format!("linked:{id}:0")}),
    )
    .unwrap();
    assert_eq!(copied["linked"], json!(false));
    assert_eq!(copied["issuer"], json!("GitHub"));
    let codes = invoke(&window, "list_codes", json!({})).unwrap();
    assert_eq!(codes.as_array().unwrap().len(), 1);

    invoke(&window, "linked_remove", json!({"id": id})).unwrap();
    assert_eq!(invoke(&window, "linked_groups", json!({})), Ok(json!([])));
    // The folder is left as it was.
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1);
}
