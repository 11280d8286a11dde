//! The parser's tests (`args.rs`): every command, option placement and usage error.
use super::*;

fn parse_strs(args: &[&str]) -> Result<Cli, CliError> {
    parse(args.iter().map(OsString::from))
}

fn command(args: &[&str]) -> Command {
    match parse_strs(args) {
        Ok(cli) => cli.command,
        Err(error) => panic!("{args:?} did not parse: {error}"),
    }
}

fn usage_error(args: &[&str]) -> String {
    match parse_strs(args) {
        Err(CliError::Usage(message)) => message,
        other => panic!("{args:?}: expected a usage error, got {other:?}"),
    }
}

#[test]
fn global_options_before_and_after_the_command() {
    let before = parse_strs(&["--vault", "/v", "--password-file", "/p", "list"]).unwrap();
    let after = parse_strs(&["list", "--vault=/v", "--password-file=/p"]).unwrap();
    assert_eq!(before, after);
    assert_eq!(before.vault, Some(PathBuf::from("/v")));
    assert_eq!(before.password_file, Some(PathBuf::from("/p")));
    assert_eq!(
        before.command,
        Command::List {
            json: false,
            sort: None
        }
    );
}

#[test]
fn every_command_parses() {
    assert_eq!(
        command(&["init"]),
        Command::Init {
            allow_short_password: false
        }
    );
    assert_eq!(
        command(&["init", "--allow-short-password"]),
        Command::Init {
            allow_short_password: true
        }
    );
    assert_eq!(
        command(&["add", "otpauth://totp/x?secret=AA"]),
        Command::Add {
            uri: UriSource::Argument("otpauth://totp/x?secret=AA".into())
        }
    );
    assert_eq!(
        command(&["add", "-"]),
        Command::Add {
            uri: UriSource::Stdin
        }
    );
    assert_eq!(
        command(&["add", "--uri-file", "link.txt"]),
        Command::Add {
            uri: UriSource::File("link.txt".into())
        }
    );
    assert_eq!(
        command(&["import", "a.png", "b.txt"]),
        Command::Import {
            files: vec!["a.png".into(), "b.txt".into()],
            format: None,
            import_password_file: None,
        }
    );
    assert_eq!(
        command(&[
            "import",
            "a.json",
            "--format=aegis",
            "--import-password-file",
            "pw"
        ]),
        Command::Import {
            files: vec!["a.json".into()],
            format: Some("aegis".into()),
            import_password_file: Some("pw".into()),
        }
    );
    assert_eq!(
        command(&["import", "--format", "auto", "a.json"]),
        Command::Import {
            files: vec!["a.json".into()],
            format: None,
            import_password_file: None,
        }
    );
    assert_eq!(command(&["formats"]), Command::Formats);
    assert_eq!(
        command(&["list", "--json"]),
        Command::List {
            json: true,
            sort: None
        }
    );
    assert_eq!(
        command(&["list", "--sort", "recent"]),
        Command::List {
            json: false,
            sort: Some(ringlet_core::order::SortBy::Recent)
        }
    );
    assert_eq!(
        command(&["code", "git", "--at", "59"]),
        Command::Code {
            query: "git".into(),
            at: Some(59)
        }
    );
    assert_eq!(
        command(&["--at=0", "code", "git"]),
        Command::Code {
            query: "git".into(),
            at: Some(0)
        }
    );
    assert_eq!(
        command(&["decode-qr", "x.png"]),
        Command::DecodeQr {
            images: vec!["x.png".into()]
        }
    );
}

#[test]
fn edit_remove_and_trash_parse() {
    assert_eq!(
        command(&["edit", "git", "--tags", "work, home,,", "--note=", "--pin"]),
        Command::Edit {
            query: "git".into(),
            changes: AccountEdit {
                tags: Some(vec!["work".into(), "home".into()]),
                note: Some(String::new()),
                pinned: Some(true),
                ..AccountEdit::default()
            }
        }
    );
    assert_eq!(
        command(&["edit", "git", "--issuer", "GitHub", "--name", "me", "--unpin"]),
        Command::Edit {
            query: "git".into(),
            changes: AccountEdit {
                issuer: Some("GitHub".into()),
                name: Some("me".into()),
                pinned: Some(false),
                ..AccountEdit::default()
            }
        }
    );
    assert!(usage_error(&["edit", "git"]).contains("at least one"));
    assert!(usage_error(&["edit", "git", "--pin", "--unpin"]).contains("once"));
    assert!(usage_error(&["edit", "git", "--issuer", ""]).contains("non-empty"));
    assert!(usage_error(&["list", "--pin"]).contains("only to `edit`"));
    assert_eq!(
        command(&["remove", "git", "--yes"]),
        Command::Remove {
            query: "git".into(),
            yes: true
        }
    );
    assert_eq!(command(&["trash", "list"]), Command::TrashList);
    assert_eq!(
        command(&["trash", "restore", "git"]),
        Command::TrashRestore {
            query: "git".into()
        }
    );
    assert_eq!(
        command(&["trash", "empty", "--yes"]),
        Command::TrashEmpty { yes: true }
    );
    assert!(usage_error(&["trash"]).contains("`list`"));
    assert!(usage_error(&["list", "--yes"]).contains("--yes applies only"));
}

#[test]
fn recovery_takes_a_query_and_a_verb() {
    assert_eq!(
        command(&["recovery", "git", "add", "-"]),
        Command::Recovery {
            query: "git".into(),
            action: RecoveryAction::Add("-".into())
        }
    );
    assert_eq!(
        command(&["recovery", "git", "list"]),
        Command::Recovery {
            query: "git".into(),
            action: RecoveryAction::List
        }
    );
    assert_eq!(
        command(&["recovery", "git", "use", "1234-5678"]),
        Command::Recovery {
            query: "git".into(),
            action: RecoveryAction::Use("1234-5678".into())
        }
    );
    for wrong in [
        &["recovery"][..],
        &["recovery", "git"],
        &["recovery", "git", "add"],
        &["recovery", "git", "list", "x"],
        &["recovery", "git", "burn", "x"],
    ] {
        assert!(usage_error(wrong).contains("add FILE"), "{wrong:?}");
    }
    assert!(usage_error(&["recovery", " ", "list"]).contains("non-empty QUERY"));
}

#[test]
fn settings_shows_or_sets() {
    assert_eq!(
        command(&["settings"]),
        Command::Settings {
            assignments: vec![]
        }
    );
    assert_eq!(
        command(&[
            "settings",
            "set",
            "autoLockSeconds=60",
            "lockOnSuspend=false"
        ]),
        Command::Settings {
            assignments: vec!["autoLockSeconds=60".into(), "lockOnSuspend=false".into()]
        }
    );
    assert!(usage_error(&["settings", "set"]).contains("set NAME=VALUE"));
    assert!(usage_error(&["settings", "autoLockSeconds=60"]).contains("set NAME=VALUE"));
}

#[test]
fn safety_commands_parse() {
    assert_eq!(
        command(&["passwd"]),
        Command::Passwd {
            new_password_file: None,
            allow_short_password: false
        }
    );
    assert_eq!(
        command(&[
            "passwd",
            "--new-password-file",
            "/n",
            "--allow-short-password"
        ]),
        Command::Passwd {
            new_password_file: Some("/n".into()),
            allow_short_password: true
        }
    );
    assert_eq!(command(&["backup", "create"]), Command::BackupCreate);
    assert_eq!(command(&["backup", "list"]), Command::BackupList);
    assert_eq!(
        command(&["restore", "b.rbak", "--backup-password-file=/p"]),
        Command::Restore {
            file: "b.rbak".into(),
            backup_password_file: Some("/p".into())
        }
    );
    assert_eq!(
        command(&["backup", "folder", "/media/stick"]),
        Command::BackupFolder {
            folder: Some("/media/stick".into())
        }
    );
    assert_eq!(
        command(&["backup", "folder", "off"]),
        Command::BackupFolder { folder: None }
    );
    assert_eq!(
        command(&["backup", "folder", "./off"]),
        Command::BackupFolder {
            folder: Some("./off".into())
        }
    );
    assert_eq!(
        command(&["backup", "reminder", "off"]),
        Command::BackupReminder { on: false }
    );
    assert_eq!(
        command(&["backup", "kit", "-o", "kit.html", "--with-secrets", "--yes"]),
        Command::BackupKit {
            output: "kit.html".into(),
            with_secrets: true,
            yes: true
        }
    );
    assert!(usage_error(&["backup", "kit"]).contains("-o FILE"));
    assert!(usage_error(&["backup", "folder"]).contains("folder PATH|off"));
    assert!(usage_error(&["list", "--with-secrets"]).contains("only to `backup kit`"));
    assert!(usage_error(&["backup"]).contains("create"));
    assert!(usage_error(&["backup", "delete"]).contains("create"));
    assert!(usage_error(&["restore"]).contains("exactly one"));
    assert_eq!(
        command(&["recover", "b.rbak"]),
        Command::Recover {
            file: PathBuf::from("b.rbak")
        }
    );
    assert!(usage_error(&["recover"]).contains("exactly one"));
    assert!(usage_error(&["list", "--new-password-file", "x"]).contains("passwd"));
    assert!(usage_error(&["list", "--allow-short-password"]).contains("`init` and `passwd`"));
    assert!(usage_error(&["init", "--allow-short-password=yes"]).contains("takes no value"));
    assert!(usage_error(&["passwd", "--backup-password-file", "x"]).contains("restore"));
}

#[test]
fn help_wins_anywhere() {
    assert_eq!(command(&["-h"]), Command::Help);
    assert_eq!(command(&["code", "--help"]), Command::Help);
    assert_eq!(command(&["help"]), Command::Help);
}

#[test]
fn double_dash_ends_options() {
    assert_eq!(
        command(&["code", "--", "--weird"]),
        Command::Code {
            query: "--weird".into(),
            at: None
        }
    );
}

#[test]
fn usage_errors() {
    assert!(usage_error(&[]).contains("No command"));
    assert!(usage_error(&["frobnicate"]).contains("Unknown command"));
    assert!(usage_error(&["list", "--bogus"]).contains("Unknown option --bogus"));
    assert!(usage_error(&["--vault"]).contains("needs a value"));
    assert!(usage_error(&["--vault=", "list"]).contains("non-empty"));
    assert!(usage_error(&["add"]).contains("exactly one"));
    assert!(usage_error(&["add", "a", "b"]).contains("exactly one"));
    assert!(usage_error(&["import"]).contains("at least one"));
    assert!(usage_error(&["decode-qr"]).contains("at least one"));
    assert!(usage_error(&["init", "x"]).contains("no arguments"));
    assert!(usage_error(&["code", "x", "--at", "-5"]).contains("--at"));
    assert!(usage_error(&["code", "x", "--at", "soon"]).contains("--at"));
    assert!(usage_error(&["code", ""]).contains("QUERY"));
    assert!(usage_error(&["list", "--at", "5"]).contains("only to `code`"));
    assert!(usage_error(&["code", "x", "--json"]).contains("only to `list`"));
    assert!(usage_error(&["list", "--json=yes"]).contains("no value"));
    let unknown = usage_error(&["import", "a", "--format", "keepass"]);
    assert!(
        unknown.contains("Unknown format") && unknown.contains("aegis"),
        "{unknown}"
    );
    assert!(usage_error(&["list", "--format", "aegis"]).contains("only to `import`"));
    assert!(usage_error(&["list", "--import-password-file", "p"]).contains("only to `import`"));
    assert!(usage_error(&["formats", "x"]).contains("no arguments"));
}

#[test]
fn export_takes_a_format_an_output_and_its_options() {
    assert_eq!(
        command(&[
            "export",
            "--format",
            "aegis-encrypted",
            "-o",
            "out.json",
            "--export-password-file=pw",
            "--force"
        ]),
        Command::Export(Export {
            format: "aegis-encrypted".into(),
            output: "out.json".into(),
            export_password_file: Some("pw".into()),
            yes: false,
            force: true,
        })
    );
    assert_eq!(
        command(&[
            "export",
            "--yes",
            "--output=codes.png",
            "--format=google-qr"
        ]),
        Command::Export(Export {
            format: "google-qr".into(),
            output: "codes.png".into(),
            export_password_file: None,
            yes: true,
            force: false,
        })
    );
    assert!(usage_error(&["export", "-o", "x"]).contains("needs --format"));
    assert!(usage_error(&["export", "--format", "aegis"]).contains("needs -o FILE"));
    let unknown = usage_error(&["export", "--format", "keepass", "-o", "x"]);
    assert!(unknown.contains("uri-list"), "{unknown}");
    assert!(usage_error(&["list", "-o", "x"]).contains("only to `export`"));
    assert!(usage_error(&["list", "--force"]).contains("only to `export`"));
    assert!(
        usage_error(&["import", "a", "--export-password-file", "p"]).contains("only to `export`")
    );
}

#[test]
fn sync_join_takes_a_webdav_user_and_password_file_and_nothing_else_does() {
    assert_eq!(
        command(&[
            "sync",
            "join",
            "https://cloud.example.org/remote.php/dav/files/alice/Ringlet",
            "--webdav-user",
            "alice",
            "--webdav-password-file=pw",
            "--name",
            "laptop",
        ]),
        Command::Sync(SyncAction::Join {
            folder: PathBuf::from("https://cloud.example.org/remote.php/dav/files/alice/Ringlet"),
            name: Some("laptop".to_owned()),
            webdav_user: Some("alice".to_owned()),
            webdav_password_file: Some(PathBuf::from("pw")),
        })
    );
    for args in [
        &["sync", "now", "--webdav-user", "alice"][..],
        &["list", "--webdav-password-file", "pw"],
    ] {
        assert!(
            usage_error(args).contains("apply only to `sync join URL`"),
            "{args:?}"
        );
    }
}

#[test]
fn clock_takes_its_actions_and_a_negative_offset_is_a_value() {
    assert_eq!(command(&["clock"]), Command::Clock(ClockAction::Status));
    assert_eq!(
        command(&["clock", "status"]),
        Command::Clock(ClockAction::Status)
    );
    assert_eq!(
        command(&["clock", "check"]),
        Command::Clock(ClockAction::Check)
    );
    assert_eq!(
        command(&["clock", "correct"]),
        Command::Clock(ClockAction::Correct)
    );
    assert_eq!(
        command(&["clock", "offset", "-90"]),
        Command::Clock(ClockAction::Offset(Some(-90)))
    );
    assert_eq!(
        command(&["clock", "offset", "+133"]),
        Command::Clock(ClockAction::Offset(Some(133)))
    );
    assert_eq!(
        command(&["clock", "offset", "off"]),
        Command::Clock(ClockAction::Offset(None))
    );
    assert_eq!(
        command(&["clock", "calibrate", "github", "123 456", "--yes"]),
        Command::Clock(ClockAction::Calibrate {
            query: "github".into(),
            code: "123 456".into(),
            yes: true
        })
    );
    assert_eq!(
        command(&["clock", "auto", "off"]),
        Command::Clock(ClockAction::Auto(false))
    );
    assert_eq!(
        command(&["clock", "server", "time.example.org:1230"]),
        Command::Clock(ClockAction::Server(Some("time.example.org:1230".into())))
    );
    assert_eq!(
        command(&["clock", "server", "default"]),
        Command::Clock(ClockAction::Server(None))
    );
    for args in [
        &["clock", "offset"][..],
        &["clock", "offset", "86401"],
        &["clock", "auto", "maybe"],
        &["clock", "calibrate", "github"],
        &["clock", "calibrate", " ", "123456"],
        &["clock", "reset"],
    ] {
        assert!(parse_strs(args).is_err(), "{args:?}");
    }
    assert!(usage_error(&["clock", "check", "--yes"]).contains("`clock calibrate`"));
    // A dash and letters is still an option.
    assert!(usage_error(&["clock", "offset", "-x"]).contains("Unknown option -x"));
}

#[test]
fn edit_takes_an_accounts_time_offset_within_an_hour() {
    assert_eq!(
        command(&["edit", "github", "--time-offset", "-20"]),
        Command::Edit {
            query: "github".into(),
            changes: AccountEdit {
                time_offset: Some(-20),
                ..AccountEdit::default()
            }
        }
    );
    assert_eq!(
        command(&["edit", "github", "--time-offset=0"]),
        Command::Edit {
            query: "github".into(),
            changes: AccountEdit {
                time_offset: Some(0),
                ..AccountEdit::default()
            }
        }
    );
    assert!(usage_error(&["edit", "github", "--time-offset", "3601"]).contains("-3600 and 3600"));
    assert!(usage_error(&["list", "--time-offset", "5"]).contains("apply only to `edit`"));
}
