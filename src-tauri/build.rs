// The app's own commands are opted into the ACL here; capabilities/ grants them to the main window.
const COMMANDS: &[&str] = &[
    "vault_status",
    "user_active",
    "create_vault",
    "unlock_vault",
    "quick_unlock",
    "quick_unlock_status",
    "set_quick_unlock",
    "lock_vault",
    "list_codes",
    "search_accounts",
    "hide_window",
    "close_picker",
    "picker_target",
    "type_code",
    "take_opened_files",
    "export_formats",
    "export_accounts",
    "get_preferences",
    "save_preferences",
    "add_account_uri",
    "add_account_manual",
    "delete_account",
    "reveal_account",
    "copy_code",
    "next_hotp",
    "edit_account",
    "move_account",
    "pick_icon",
    "list_trash",
    "restore_from_trash",
    "delete_for_good",
    "empty_trash",
    "get_recovery_codes",
    "parse_recovery_codes",
    "save_recovery_codes",
    "mark_recovery_code_used",
    "copy_recovery_code",
    "export_recovery_codes",
    "pick_images",
    "paste_import",
    "scan_screen",
    "confirm_import",
    "cancel_import",
    "open_encrypted_import",
    "get_settings",
    "save_settings",
    "change_password",
    "list_backups",
    "backup_now",
    "restore_backup",
    "recover_from_backup",
    "sync_status",
    "sync_join",
    "sync_join_webdav",
    "sync_now",
    "sync_leave",
    "sync_remove_device",
    "sync_new_password",
    "join_vault",
];

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}
