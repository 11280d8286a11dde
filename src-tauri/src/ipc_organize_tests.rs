//! The IPC contract of organizing (issue #13): editing an account, its icon, the list's
//! order, the trash, and an account's recovery codes — each command's exact JSON, its refusal while locked, and an
//! account it does not find. Same harness as `ipc_contract_tests.rs` (the mock runtime,
//! Tauri's own invoke path).

use serde_json::{json, Value};
use tauri::test::MockRuntime;
use tauri::WebviewWindow;

use crate::ipc_contract_tests::{app, invoke, locked_vault, PASSWORD};

const GITHUB: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const ZULU: &str = "otpauth://totp/Zulu:zed?secret=KRSXG5CTMVRXEZLU&issuer=Zulu";
const NOBODY: &str = "00000000000000000000000000000000";

/// Every command this file covers, with arguments it could run with.
fn commands(id: &str) -> Vec<(&'static str, Value)> {
    vec![
        (
            "edit_account",
            json!({"id": id, "changes": {"pinned": true}}),
        ),
        ("move_account", json!({"id": id, "to": 0})),
        ("pick_icon", json!({"id": id})),
        ("list_trash", json!({})),
        ("restore_from_trash", json!({"id": id})),
        ("delete_for_good", json!({"id": id})),
        ("empty_trash", json!({})),
        ("get_recovery_codes", json!({"id": id})),
        (
            "parse_recovery_codes",
            json!({"id": id, "text": "1111-2222"}),
        ),
        (
            "save_recovery_codes",
            json!({"id": id, "codes": ["1111-2222"], "replace": false}),
        ),
        (
            "mark_recovery_code_used",
            json!({"id": id, "code": "1111-2222"}),
        ),
        ("copy_recovery_code", json!({"id": id, "code": "1111-2222"})),
        ("export_recovery_codes", json!({"id": id})),
    ]
}

/// The app on a vault in `dir`, unlocked (the other contract files use it too).
pub(crate) fn unlocked(
    dir: &std::path::Path,
) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    locked_vault(dir);
    let (app, window) = app(dir);
    invoke(&window, "unlock_vault", json!({"password": PASSWORD})).unwrap();
    (app, window)
}

fn add(window: &WebviewWindow<MockRuntime>, uri: &str) -> String {
    let added = invoke(window, "add_account_uri", json!({ "uri": uri })).unwrap();
    added["id"].as_str().unwrap().to_owned()
}

fn issuers(window: &WebviewWindow<MockRuntime>) -> Vec<String> {
    let rows = invoke(window, "list_codes", json!({})).unwrap();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|row| row["issuer"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_organizing_command_is_refused_while_locked() {
    let dir = tempfile::tempdir().unwrap();
    locked_vault(dir.path());
    let (_app, window) = app(dir.path());
    for (cmd, args) in commands(NOBODY) {
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
fn an_account_that_is_not_there_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = unlocked(dir.path());
    let message = format!("No account with id {NOBODY} is stored in the vault.");
    for (cmd, args) in commands(NOBODY) {
        if matches!(cmd, "list_trash" | "empty_trash") {
            continue;
        }
        assert_eq!(
            invoke(&window, cmd, args),
            Err(json!({"kind": "not_found", "message": message})),
            "{cmd}"
        );
    }
    // In use, so not in the trash: neither restored nor deleted for good from there.
    let id = add(&window, GITHUB);
    for cmd in ["restore_from_trash", "delete_for_good"] {
        let refused = invoke(&window, cmd, json!({ "id": id })).unwrap_err();
        assert_eq!(refused["kind"], "not_found", "{cmd}");
    }
    assert_eq!(issuers(&window), ["GitHub"]);
}

#[test]
fn an_edit_changes_labels_tags_note_and_pin_and_names_a_bad_field() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = unlocked(dir.path());
    add(&window, GITHUB);
    let zulu = add(&window, ZULU);
    let changes = json!({
        "issuer": " Zulu Bank ", "tags": ["work", " Work", "home"], "note": "the joint one", "pinned": true,
    });
    let edited = invoke(
        &window,
        "edit_account",
        json!({"id": zulu, "changes": changes}),
    )
    .unwrap();
    assert_eq!(
        (
            &edited["issuer"],
            &edited["account"],
            &edited["tags"],
            &edited["note"],
            &edited["pinned"]
        ),
        (
            &json!("Zulu Bank"),
            &json!("zed"),
            &json!(["work", "home"]),
            &json!("the joint one"),
            &json!(true)
        )
    );
    assert!(
        edited["code"].as_str().is_some_and(|c| c.len() == 6),
        "{edited}"
    );
    // Pinned first, in the list as in `ringlet-cli list`.
    assert_eq!(issuers(&window), ["Zulu Bank", "GitHub"]);

    let too_many: Vec<String> = (0..=ringlet_core::edit::MAX_TAGS)
        .map(|n| format!("t{n}"))
        .collect();
    assert_eq!(
        invoke(
            &window,
            "edit_account",
            json!({"id": zulu, "changes": {"tags": too_many}})
        ),
        Err(json!({
            "kind": "invalid_input",
            "message": "An account carries at most 32 tags.",
            "field": "tags",
        }))
    );
    let no_label = json!({"id": zulu, "changes": {"issuer": "", "name": " "}});
    assert_eq!(
        invoke(&window, "edit_account", no_label).unwrap_err()["field"],
        "issuer"
    );
    // The secret is not a field of an edit: Tauri refuses the arguments before the command.
    let secret = json!({"id": zulu, "changes": {"secret": "JBSWY3DPEHPK3PXP"}});
    assert!(invoke(&window, "edit_account", secret)
        .unwrap_err()
        .is_string());
}

#[test]
fn recovery_codes_are_parsed_saved_counted_and_marked_used() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = unlocked(dir.path());
    let id = add(&window, GITHUB);
    assert_eq!(
        invoke(&window, "get_recovery_codes", json!({ "id": id })),
        Ok(json!({"codes": [], "left": 0, "total": 0}))
    );
    let pasted = "SAVE YOUR BACKUP CODES\n1. 5928 2374    3. 1234-5678\n2. 8837 1190\n";
    assert_eq!(
        invoke(
            &window,
            "parse_recovery_codes",
            json!({"id": id, "text": pasted})
        ),
        Ok(json!({"codes": ["5928 2374", "1234-5678", "8837 1190"], "known": 0}))
    );
    let nothing = invoke(
        &window,
        "parse_recovery_codes",
        json!({"id": id, "text": "Keep these safe."}),
    );
    assert_eq!(nothing.unwrap_err()["kind"], "invalid_input");
    // Nothing was saved by reading.
    assert_eq!(
        invoke(&window, "get_recovery_codes", json!({ "id": id })).unwrap()["total"],
        0
    );

    let codes = json!(["5928 2374", "1234-5678", "8837 1190"]);
    let saved = json!({"id": id, "codes": codes, "replace": false});
    assert_eq!(
        invoke(&window, "save_recovery_codes", saved),
        Ok(json!({
            "codes": [
                {"code": "5928 2374", "used": false},
                {"code": "1234-5678", "used": false},
                {"code": "8837 1190", "used": false},
            ],
            "left": 3,
            "total": 3,
        }))
    );
    let used = invoke(
        &window,
        "mark_recovery_code_used",
        json!({"id": id, "code": "12345678"}),
    )
    .unwrap();
    assert_eq!(used["codes"][1], json!({"code": "1234-5678", "used": true}));
    assert_eq!((&used["left"], &used["total"]), (&json!(2), &json!(3)));
    let again = invoke(
        &window,
        "mark_recovery_code_used",
        json!({"id": id, "code": "1234-5678"}),
    );
    assert_eq!(
        again,
        Err(
            json!({"kind": "invalid_input", "message": "That recovery code is already marked used."})
        )
    );
    // The row carries the counts, never the codes.
    let row = invoke(&window, "list_codes", json!({})).unwrap()[0].clone();
    assert_eq!(
        (&row["recoveryLeft"], &row["recoveryTotal"]),
        (&json!(2), &json!(3))
    );
    assert!(!row.to_string().contains("5928"), "{row}");

    // Adding more says which are known; replacing starts the set over.
    let more = json!({"id": id, "text": "5928-2374\n4444 5555"});
    assert_eq!(
        invoke(&window, "parse_recovery_codes", more).unwrap()["known"],
        1
    );
    let replaced = json!({"id": id, "codes": ["4444 5555"], "replace": true});
    assert_eq!(
        invoke(&window, "save_recovery_codes", replaced),
        Ok(json!({"codes": [{"code": "4444 5555", "used": false}], "left": 1, "total": 1}))
    );
    // Only one of the account's codes is copied.
    let stranger = json!({"id": id, "code": "9999-9999"});
    assert_eq!(
        invoke(&window, "copy_recovery_code", stranger),
        Err(
            json!({"kind": "invalid_input", "message": "That is not one of this account's recovery codes."})
        )
    );
}

#[test]
fn a_deleted_account_waits_in_the_trash_until_restored_or_removed() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = unlocked(dir.path());
    let github = add(&window, GITHUB);
    let zulu = add(&window, ZULU);
    assert_eq!(invoke(&window, "list_trash", json!({})), Ok(json!([])));
    invoke(&window, "delete_account", json!({ "id": github })).unwrap();
    assert_eq!(issuers(&window), ["Zulu"]);
    assert_eq!(
        invoke(&window, "list_trash", json!({})),
        Ok(json!([{"id": github, "issuer": "GitHub", "account": "alice", "daysLeft": 30}]))
    );
    let restored = invoke(&window, "restore_from_trash", json!({ "id": github })).unwrap();
    assert_eq!(
        (&restored["id"], &restored["issuer"]),
        (&json!(github), &json!("GitHub"))
    );
    assert_eq!(issuers(&window), ["GitHub", "Zulu"]);

    for id in [&github, &zulu] {
        invoke(&window, "delete_account", json!({ "id": id })).unwrap();
    }
    assert_eq!(
        invoke(&window, "delete_for_good", json!({ "id": github })),
        Ok(Value::Null)
    );
    assert_eq!(
        invoke(&window, "restore_from_trash", json!({ "id": github })).unwrap_err()["kind"],
        "not_found"
    );
    assert_eq!(invoke(&window, "empty_trash", json!({})), Ok(json!(1)));
    assert_eq!(invoke(&window, "list_trash", json!({})), Ok(json!([])));
    assert_eq!(invoke(&window, "empty_trash", json!({})), Ok(json!(0)));
}

const CONTOSO: &str = "otpauth://totp/Contoso:carl?secret=MFRGGZDFMZTWQ2LK&issuer=Contoso";

fn rows(window: &WebviewWindow<MockRuntime>) -> Vec<Value> {
    invoke(window, "list_codes", json!({}))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn each_row_carries_its_icon_as_an_image_address_or_a_letter() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = unlocked(dir.path());
    let github = add(&window, GITHUB);
    add(&window, CONTOSO);
    let listed = rows(&window);
    let contoso = &listed[0]["icon"];
    assert_eq!(
        contoso,
        &json!({"kind": "letter", "choice": "auto", "name": null, "src": null, "letter": "C", "hue": 32})
    );
    let icon = &listed[1]["icon"];
    assert_eq!(
        (
            &icon["kind"],
            &icon["choice"],
            &icon["name"],
            &icon["letter"]
        ),
        (
            &json!("bundled"),
            &json!("auto"),
            &json!("github"),
            &json!("G")
        )
    );
    assert!(icon["src"]
        .as_str()
        .unwrap()
        .starts_with("data:image/svg+xml;base64,PHN2Zy"));
    // The edit dialog's choices.
    for (kind, shown) in [("letter", "letter"), ("none", "none"), ("auto", "bundled")] {
        let edited = invoke(
            &window,
            "edit_account",
            json!({"id": github, "changes": {"icon": {"kind": kind}}}),
        )
        .unwrap();
        assert_eq!(
            (&edited["icon"]["choice"], &edited["icon"]["kind"]),
            (&json!(kind), &json!(shown))
        );
    }
    let unknown = json!({"id": github, "changes": {"icon": {"kind": "bundled", "name": "nope"}}});
    assert_eq!(
        invoke(&window, "edit_account", unknown),
        Err(
            json!({"kind": "invalid_input", "message": "Ringlet has no icon named \"nope\".", "field": "icon"})
        )
    );
    // A picture never comes from the window.
    let image = json!({"id": github, "changes": {"icon": {"kind": "image", "png": "AQID"}}});
    assert!(invoke(&window, "edit_account", image)
        .unwrap_err()
        .is_string());
}

#[test]
fn the_list_follows_the_chosen_order_and_a_move_lasts_past_a_lock() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = unlocked(dir.path());
    add(&window, GITHUB);
    let zulu = add(&window, ZULU);
    add(&window, CONTOSO);
    assert_eq!(issuers(&window), ["Contoso", "GitHub", "Zulu"]);
    std::fs::write(dir.path().join("preferences.json"), r#"{"sort": "name"}"#).unwrap();
    assert_eq!(
        issuers(&window),
        ["GitHub", "Contoso", "Zulu"],
        "alice, carl, zed"
    );

    assert_eq!(
        invoke(&window, "move_account", json!({"id": zulu, "to": 0})),
        Ok(Value::Null)
    );
    assert_eq!(issuers(&window), ["Zulu", "GitHub", "Contoso"]);
    let saved = std::fs::read_to_string(dir.path().join("preferences.json")).unwrap();
    assert!(saved.contains(r#""sort": "manual""#), "{saved}");
    // Past the end: the last place.
    assert_eq!(
        invoke(&window, "move_account", json!({"id": zulu, "to": 99})),
        Ok(Value::Null)
    );
    assert_eq!(issuers(&window), ["GitHub", "Contoso", "Zulu"]);
    invoke(&window, "lock_vault", json!({})).unwrap();
    invoke(&window, "unlock_vault", json!({"password": PASSWORD})).unwrap();
    assert_eq!(issuers(&window), ["GitHub", "Contoso", "Zulu"]);
    let negative = json!({"id": zulu, "to": -1});
    assert!(invoke(&window, "move_account", negative)
        .unwrap_err()
        .is_string());
}
