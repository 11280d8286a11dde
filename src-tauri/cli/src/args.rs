//! The command line: `ringlet-cli [--vault DIR] [--password-file FILE] COMMAND [ARGS]`.
//!
//! Hand-written on purpose (no parsing crate); the usage text is `usage.rs`. Options may
//! come before or after the command, as `--name VALUE` or `--name=VALUE`; `--` ends the
//! options. `-h`/`--help` anywhere (before `--`) asks for the usage text.

use std::ffi::OsString;
use std::path::PathBuf;

use ringlet_core::edit::AccountEdit;

use crate::error::CliError;

/// A parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cli {
    pub vault: Option<PathBuf>,
    pub password_file: Option<PathBuf>,
    pub command: Command,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help,
    Init {
        allow_short_password: bool,
    },
    Add {
        uri: UriSource,
    },
    Import {
        files: Vec<PathBuf>,
        /// `--format NAME`: a format id of `ringlet_core::import::FORMATS`; `None` is `auto`.
        format: Option<String>,
        import_password_file: Option<PathBuf>,
    },
    Formats,
    List {
        json: bool,
    },
    Code {
        query: String,
        at: Option<u64>,
    },
    DecodeQr {
        images: Vec<PathBuf>,
    },
    Passwd {
        new_password_file: Option<PathBuf>,
        allow_short_password: bool,
    },
    Edit {
        query: String,
        changes: AccountEdit,
    },
    Remove {
        query: String,
        yes: bool,
    },
    TrashList,
    TrashRestore {
        query: String,
    },
    TrashEmpty {
        yes: bool,
    },
    Recovery {
        query: String,
        action: RecoveryAction,
    },
    Settings {
        assignments: Vec<String>,
    },
    BackupCreate,
    BackupList,
    Restore {
        file: PathBuf,
        backup_password_file: Option<PathBuf>,
    },
    Recover {
        file: PathBuf,
    },
}

/// What `recovery QUERY` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecoveryAction {
    /// Read codes from a file, `-` for standard input.
    Add(PathBuf),
    List,
    Use(String),
}

/// Where `add` reads its link from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UriSource {
    /// Given on the command line: visible to other users and kept in shell history.
    Argument(String),
    /// `add -`: standard input.
    Stdin,
    /// `add --uri-file FILE`.
    File(PathBuf),
}

fn usage(message: impl Into<String>) -> CliError {
    CliError::Usage(message.into())
}

/// Parses the arguments (without the program name).
pub fn parse<I>(args: I) -> Result<Cli, CliError>
where
    I: IntoIterator<Item = OsString>,
{
    let mut args = args.into_iter();
    let mut vault = None;
    let mut password_file = None;
    let mut json = false;
    let mut allow_short_password = false;
    let mut edits = AccountEdit::default();
    let mut yes = false;
    let mut at: Option<OsString> = None;
    let mut new_password_file: Option<PathBuf> = None;
    let mut backup_password_file: Option<PathBuf> = None;
    let mut uri_file: Option<PathBuf> = None;
    let mut format: Option<String> = None;
    let mut import_password_file: Option<PathBuf> = None;
    let mut help = false;
    let mut positionals: Vec<OsString> = Vec::new();
    let mut options_ended = false;

    while let Some(arg) = args.next() {
        if options_ended {
            positionals.push(arg);
            continue;
        }
        // Options are ASCII; an argument that is not valid Unicode is a positional (a path).
        let Some(text) = arg.to_str() else {
            positionals.push(arg);
            continue;
        };
        if text == "--" {
            options_ended = true;
            continue;
        }
        if text == "-h" || text == "--help" {
            help = true;
            continue;
        }
        if !text.starts_with('-') || text == "-" {
            positionals.push(arg);
            continue;
        }
        let (name, inline_value) = match text.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(OsString::from(value))),
            _ => (text, None),
        };
        let mut optional_value = |name: &str| -> Result<OsString, CliError> {
            inline_value
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| usage(format!("{name} needs a value.")))
        };
        let mut value = |name: &str| -> Result<OsString, CliError> {
            match optional_value(name)? {
                value if !value.is_empty() => Ok(value),
                _ => Err(usage(format!("{name} needs a non-empty value."))),
            }
        };
        match name {
            "--vault" => vault = Some(PathBuf::from(value(name)?)),
            "--password-file" => password_file = Some(PathBuf::from(value(name)?)),
            "--at" => at = Some(value(name)?),
            "--new-password-file" => new_password_file = Some(PathBuf::from(value(name)?)),
            "--backup-password-file" => backup_password_file = Some(PathBuf::from(value(name)?)),
            "--uri-file" => uri_file = Some(PathBuf::from(value(name)?)),
            "--format" => format = Some(utf8(&value(name)?, "The format")?),
            "--import-password-file" => import_password_file = Some(PathBuf::from(value(name)?)),
            "--issuer" => edits.issuer = Some(text_value(value(name)?, name)?),
            "--name" => edits.name = Some(text_value(value(name)?, name)?),
            "--note" => edits.note = Some(text_value(optional_value(name)?, name)?),
            "--tags" => {
                let tags = text_value(optional_value(name)?, name)?;
                edits.tags = Some(
                    tags.split(',')
                        .map(str::trim)
                        .filter(|tag| !tag.is_empty())
                        .map(str::to_owned)
                        .collect(),
                );
            }
            "--json" | "--allow-short-password" | "--pin" | "--unpin" | "--yes" => {
                if inline_value.is_some() {
                    return Err(usage(format!("{name} takes no value.")));
                }
                match name {
                    "--json" => json = true,
                    "--pin" | "--unpin" if edits.pinned.is_some() => {
                        return Err(usage("Give --pin or --unpin, once."));
                    }
                    "--pin" => edits.pinned = Some(true),
                    "--unpin" => edits.pinned = Some(false),
                    "--yes" => yes = true,
                    _ => allow_short_password = true,
                }
            }
            _ => return Err(usage(format!("Unknown option {name}."))),
        }
    }

    if help {
        return Ok(Cli {
            vault,
            password_file,
            command: Command::Help,
        });
    }

    let mut positionals = positionals.into_iter();
    let Some(name) = positionals.next() else {
        return Err(usage("No command given."));
    };
    let name = name.to_string_lossy().into_owned();
    let rest: Vec<OsString> = positionals.collect();

    let command = match name.as_str() {
        "help" => {
            expect_count(&name, &rest, 0)?;
            Command::Help
        }
        "init" => {
            expect_count(&name, &rest, 0)?;
            Command::Init {
                allow_short_password,
            }
        }
        "add" => match uri_file.take() {
            Some(file) => {
                expect_count(&name, &rest, 0)?;
                Command::Add {
                    uri: UriSource::File(file),
                }
            }
            None => {
                expect_count(&name, &rest, 1)?;
                let uri = utf8(&rest[0], "The URI")?;
                Command::Add {
                    uri: if uri == "-" {
                        UriSource::Stdin
                    } else {
                        UriSource::Argument(uri)
                    },
                }
            }
        },
        "import" => Command::Import {
            files: at_least_one(&name, rest, "FILE")?,
            format: import_format(format.take())?,
            import_password_file: import_password_file.take(),
        },
        "formats" => {
            expect_count(&name, &rest, 0)?;
            Command::Formats
        }
        "list" => {
            expect_count(&name, &rest, 0)?;
            Command::List { json }
        }
        "code" => {
            expect_count(&name, &rest, 1)?;
            let query = utf8(&rest[0], "The query")?;
            if query.trim().is_empty() {
                return Err(usage("code needs a non-empty QUERY."));
            }
            let at = match &at {
                None => None,
                Some(value) => Some(parse_time(value)?),
            };
            Command::Code { query, at }
        }
        "decode-qr" => Command::DecodeQr {
            images: at_least_one(&name, rest, "IMAGE")?,
        },
        "passwd" => {
            expect_count(&name, &rest, 0)?;
            Command::Passwd {
                new_password_file: new_password_file.take(),
                allow_short_password,
            }
        }
        "edit" => {
            expect_count(&name, &rest, 1)?;
            let query = query_of(&rest[0])?;
            if edits == AccountEdit::default() {
                return Err(usage(
                    "edit needs at least one of --issuer, --name, --tags, --note, --pin, --unpin.",
                ));
            }
            Command::Edit {
                query,
                changes: std::mem::take(&mut edits),
            }
        }
        "remove" => {
            expect_count(&name, &rest, 1)?;
            Command::Remove {
                query: query_of(&rest[0])?,
                yes: std::mem::take(&mut yes),
            }
        }
        "trash" => match rest.iter().map(|a| a.to_str()).collect::<Vec<_>>()[..] {
            [Some("list")] => Command::TrashList,
            [Some("restore"), Some(query)] => Command::TrashRestore {
                query: query_of(&OsString::from(query))?,
            },
            [Some("empty")] => Command::TrashEmpty {
                yes: std::mem::take(&mut yes),
            },
            _ => return Err(usage("`trash` takes `list`, `restore QUERY` or `empty`.")),
        },
        "recovery" => {
            let query = rest
                .first()
                .map(|query| utf8(query, "The query"))
                .transpose()?;
            let verb = rest.get(1).and_then(|verb| verb.to_str());
            let action = match (verb, &rest[rest.len().min(2)..]) {
                (Some("add"), [file]) => RecoveryAction::Add(PathBuf::from(file)),
                (Some("list"), []) => RecoveryAction::List,
                (Some("use"), [code]) => RecoveryAction::Use(utf8(code, "The code")?),
                _ => {
                    return Err(usage(
                        "`recovery` takes QUERY then `add FILE`, `list` or `use CODE`.",
                    ))
                }
            };
            match query {
                Some(query) if !query.trim().is_empty() => Command::Recovery { query, action },
                _ => return Err(usage("recovery needs a non-empty QUERY.")),
            }
        }
        "settings" => {
            let words: Vec<String> = rest
                .iter()
                .map(|word| utf8(word, "A setting"))
                .collect::<Result<_, _>>()?;
            match words.split_first() {
                None => Command::Settings {
                    assignments: Vec::new(),
                },
                Some((set, assignments)) if set == "set" && !assignments.is_empty() => {
                    Command::Settings {
                        assignments: assignments.to_vec(),
                    }
                }
                _ => return Err(usage("`settings` takes nothing, or `set NAME=VALUE...`.")),
            }
        }
        "backup" => match rest.iter().map(|a| a.to_str()).collect::<Vec<_>>()[..] {
            [Some("create")] => Command::BackupCreate,
            [Some("list")] => Command::BackupList,
            _ => return Err(usage("`backup` takes `create` or `list`.")),
        },
        "restore" => {
            expect_count(&name, &rest, 1)?;
            Command::Restore {
                file: PathBuf::from(&rest[0]),
                backup_password_file: backup_password_file.take(),
            }
        }
        "recover" => {
            expect_count(&name, &rest, 1)?;
            Command::Recover {
                file: PathBuf::from(&rest[0]),
            }
        }
        _ => return Err(usage(format!("Unknown command {name:?}."))),
    };

    if edits != AccountEdit::default() {
        return Err(usage(
            "--issuer, --name, --tags, --note, --pin and --unpin apply only to `edit`.",
        ));
    }
    if yes {
        return Err(usage("--yes applies only to `remove` and `trash empty`."));
    }
    if json && !matches!(command, Command::List { .. }) {
        return Err(usage("--json applies only to `list`."));
    }
    if allow_short_password && !matches!(command, Command::Init { .. } | Command::Passwd { .. }) {
        return Err(usage(
            "--allow-short-password applies only to `init` and `passwd`.",
        ));
    }
    if at.is_some() && !matches!(command, Command::Code { .. }) {
        return Err(usage("--at applies only to `code`."));
    }
    if new_password_file.is_some() {
        return Err(usage("--new-password-file applies only to `passwd`."));
    }
    if backup_password_file.is_some() {
        return Err(usage("--backup-password-file applies only to `restore`."));
    }
    if uri_file.is_some() {
        return Err(usage("--uri-file applies only to `add`."));
    }
    if format.is_some() {
        return Err(usage("--format applies only to `import`."));
    }
    if import_password_file.is_some() {
        return Err(usage("--import-password-file applies only to `import`."));
    }

    Ok(Cli {
        vault,
        password_file,
        command,
    })
}

/// An option's text value (UTF-8).
fn text_value(value: OsString, name: &str) -> Result<String, CliError> {
    utf8(&value, name)
}

/// A QUERY argument: UTF-8 and not blank.
fn query_of(arg: &OsString) -> Result<String, CliError> {
    let query = utf8(arg, "The query")?;
    if query.trim().is_empty() {
        return Err(usage("The QUERY must not be empty."));
    }
    Ok(query)
}

/// `--format`'s value: `auto` (or none) is `None`, else one of the importers' ids.
fn import_format(format: Option<String>) -> Result<Option<String>, CliError> {
    match format.as_deref() {
        None | Some("auto") => Ok(None),
        Some(id) if ringlet_core::import::format_by_id(id).is_some() => Ok(format),
        Some(other) => Err(usage(format!(
            "Unknown format {other:?}; --format takes auto or one of: {}.",
            ringlet_core::import::format_ids().join(", ")
        ))),
    }
}

fn expect_count(command: &str, rest: &[OsString], count: usize) -> Result<(), CliError> {
    if rest.len() == count {
        return Ok(());
    }
    Err(usage(match count {
        0 => format!("`{command}` takes no arguments."),
        1 => format!("`{command}` takes exactly one argument."),
        _ => format!("`{command}` takes {count} arguments."),
    }))
}

fn at_least_one(command: &str, rest: Vec<OsString>, what: &str) -> Result<Vec<PathBuf>, CliError> {
    if rest.is_empty() {
        return Err(usage(format!("`{command}` needs at least one {what}.")));
    }
    Ok(rest.into_iter().map(PathBuf::from).collect())
}

fn utf8(arg: &OsString, what: &str) -> Result<String, CliError> {
    arg.to_str()
        .map(str::to_owned)
        .ok_or_else(|| CliError::Input(format!("{what} is not valid UTF-8 text.")))
}

fn parse_time(value: &OsString) -> Result<u64, CliError> {
    value
        .to_str()
        .and_then(|text| text.parse::<u64>().ok())
        .ok_or_else(|| {
            usage(format!(
                "--at needs a Unix time in seconds (a whole number ≥ 0), not {:?}.",
                value.to_string_lossy()
            ))
        })
}

#[cfg(test)]
mod tests {
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
        assert_eq!(before.command, Command::List { json: false });
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
        assert_eq!(command(&["list", "--json"]), Command::List { json: true });
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
}
