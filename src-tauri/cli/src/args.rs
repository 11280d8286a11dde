//! The command line: `ringlet-cli [--vault DIR] [--password-file FILE] COMMAND [ARGS]`.
//!
//! Hand-written on purpose (no parsing crate); the usage text is `usage.rs`. Options may
//! come before or after the command, as `--name VALUE` or `--name=VALUE`; `--` ends the
//! options. `-h`/`--help` anywhere (before `--`) asks for the usage text, `-V`/`--version`
//! for the version.

use std::ffi::OsString;
use std::path::PathBuf;

use ringlet_core::edit::AccountEdit;
use ringlet_core::order::{SortBy, UnknownSort};

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
    Version,
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
    Export(Export),
    List {
        json: bool,
        /// `--sort`: `None` is the order chosen in the app (its preferences).
        sort: Option<SortBy>,
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
    /// `backup folder PATH|off`: the second backup folder; `None` turns it off.
    BackupFolder {
        folder: Option<PathBuf>,
    },
    /// `backup reminder on|off`: the monthly reminder to copy a backup off the computer.
    BackupReminder {
        on: bool,
    },
    /// `backup kit -o FILE [--with-secrets] [--yes]`: the emergency kit.
    BackupKit {
        output: PathBuf,
        with_secrets: bool,
        yes: bool,
    },
    Restore {
        file: PathBuf,
        backup_password_file: Option<PathBuf>,
    },
    Recover {
        file: PathBuf,
    },
    Sync(SyncAction),
    Linked(LinkedAction),
    Clock(ClockAction),
}

/// What `linked` does (folders where a phone's authenticator drops its backups).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkedAction {
    /// `linked add FOLDER [--name NAME] [--import-password-file FILE]`.
    Add {
        folder: PathBuf,
        name: Option<String>,
        import_password_file: Option<PathBuf>,
    },
    List,
    /// `linked rename NAME NEW-NAME`.
    Rename {
        name: String,
        new_name: String,
    },
    /// `linked remove NAME`.
    Remove {
        name: String,
    },
    /// `linked copy QUERY`: a linked account copied into the vault.
    Copy {
        query: String,
    },
}

/// What `clock` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClockAction {
    /// `clock`: the check, its server and the offset in force.
    Status,
    /// `clock check`: ask the time server now.
    Check,
    /// `clock correct`: ask it, and correct codes by what it says until the clock is right.
    Correct,
    /// `clock offset SECONDS|off`.
    Offset(Option<i64>),
    /// `clock calibrate QUERY CODE [--yes]`.
    Calibrate {
        query: String,
        code: String,
        yes: bool,
    },
    /// `clock auto on|off`: the app's check.
    Auto(bool),
    /// `clock server HOST[:PORT]|default`.
    Server(Option<String>),
}

/// What `sync` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncAction {
    /// `sync join FOLDER|URL [--name NAME] [--webdav-user USER] [--webdav-password-file FILE]`.
    Join {
        /// A local folder, or a WebDAV folder's `https://` address.
        folder: PathBuf,
        name: Option<String>,
        webdav_user: Option<String>,
        webdav_password_file: Option<PathBuf>,
    },
    Now,
    Status,
    Leave,
    /// `sync remove DEVICE`: a lost computer.
    Remove {
        device: String,
    },
    /// `sync new-password [--new-password-file FILE]`: the password changed on another
    /// computer, taken here.
    NewPassword {
        new_password_file: Option<PathBuf>,
    },
}

/// `export --format ID -o FILE [--export-password-file FILE] [--yes] [--force]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// An id of `ringlet_core::export::EXPORTS`.
    pub format: String,
    pub output: PathBuf,
    pub export_password_file: Option<PathBuf>,
    /// A plain export is written without asking.
    pub yes: bool,
    /// An existing file is replaced.
    pub force: bool,
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

mod values;

use values::{
    account_offset, at_least_one, expect_count, export_format, import_format, machine_offset,
    parse_time, query_of, text_value, utf8,
};

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
    let mut sort: Option<SortBy> = None;
    let mut allow_short_password = false;
    let mut edits = AccountEdit::default();
    let mut yes = false;
    let mut at: Option<OsString> = None;
    let mut new_password_file: Option<PathBuf> = None;
    let mut backup_password_file: Option<PathBuf> = None;
    let mut uri_file: Option<PathBuf> = None;
    let mut format: Option<String> = None;
    let mut import_password_file: Option<PathBuf> = None;
    let mut output: Option<PathBuf> = None;
    let mut export_password_file: Option<PathBuf> = None;
    let mut force = false;
    let mut with_secrets = false;
    let mut webdav_user: Option<String> = None;
    let mut webdav_password_file: Option<PathBuf> = None;
    let mut help = false;
    let mut version = false;
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
        if text == "-V" || text == "--version" {
            version = true;
            continue;
        }
        // A negative number is a value (`clock offset -90`), not an option.
        let negative_number = text.len() > 1 && text[1..].bytes().all(|b| b.is_ascii_digit());
        if !text.starts_with('-') || text == "-" || negative_number {
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
            "--sort" => {
                let word = utf8(&value(name)?, "The order")?;
                sort = Some(
                    word.parse()
                        .map_err(|error: UnknownSort| usage(error.to_string()))?,
                );
            }
            "--import-password-file" => import_password_file = Some(PathBuf::from(value(name)?)),
            "-o" | "--output" => output = Some(PathBuf::from(value(name)?)),
            "--export-password-file" => export_password_file = Some(PathBuf::from(value(name)?)),
            "--webdav-user" => webdav_user = Some(text_value(value(name)?, name)?),
            "--webdav-password-file" => webdav_password_file = Some(PathBuf::from(value(name)?)),
            "--issuer" => edits.issuer = Some(text_value(value(name)?, name)?),
            "--name" => edits.name = Some(text_value(value(name)?, name)?),
            "--time-offset" => edits.time_offset = Some(account_offset(&value(name)?)?),
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
            "--json"
            | "--allow-short-password"
            | "--pin"
            | "--unpin"
            | "--yes"
            | "--force"
            | "--with-secrets" => {
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
                    "--force" => force = true,
                    "--with-secrets" => with_secrets = true,
                    _ => allow_short_password = true,
                }
            }
            _ => return Err(usage(format!("Unknown option {name}."))),
        }
    }

    if help || version {
        return Ok(Cli {
            vault,
            password_file,
            command: if help {
                Command::Help
            } else {
                Command::Version
            },
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
        "export" => {
            expect_count(&name, &rest, 0)?;
            Command::Export(Export {
                format: export_format(format.take())?,
                output: output
                    .take()
                    .ok_or_else(|| usage("export needs -o FILE, the file to write."))?,
                export_password_file: export_password_file.take(),
                yes: std::mem::take(&mut yes),
                force: std::mem::take(&mut force),
            })
        }
        "list" => {
            expect_count(&name, &rest, 0)?;
            Command::List {
                json,
                sort: sort.take(),
            }
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
                    "edit needs at least one of --issuer, --name, --tags, --note, --pin, --unpin, --time-offset.",
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
            [Some("folder"), Some("off")] => Command::BackupFolder { folder: None },
            [Some("folder"), _] => Command::BackupFolder {
                folder: Some(PathBuf::from(&rest[1])),
            },
            [Some("reminder"), Some(word @ ("on" | "off"))] => Command::BackupReminder {
                on: word == "on",
            },
            [Some("kit")] => Command::BackupKit {
                output: output
                    .take()
                    .ok_or_else(|| usage("backup kit needs -o FILE, the page to write."))?,
                with_secrets: std::mem::take(&mut with_secrets),
                yes: std::mem::take(&mut yes),
            },
            _ => {
                return Err(usage(
                    "`backup` takes `create`, `list`, `folder PATH|off`, `reminder on|off` or `kit -o FILE`.",
                ))
            }
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
        "sync" => {
            let words: Vec<String> = rest
                .iter()
                .map(|word| utf8(word, "A sync argument"))
                .collect::<Result<_, _>>()?;
            let action = match words.iter().map(String::as_str).collect::<Vec<_>>()[..] {
                ["join", folder] => SyncAction::Join {
                    folder: PathBuf::from(folder),
                    // `--name` names this computer here, not an account.
                    name: edits.name.take(),
                    webdav_user: webdav_user.take(),
                    webdav_password_file: webdav_password_file.take(),
                },
                ["now"] => SyncAction::Now,
                ["status"] => SyncAction::Status,
                ["leave"] => SyncAction::Leave,
                ["remove", device] => SyncAction::Remove {
                    device: device.to_owned(),
                },
                ["new-password"] => SyncAction::NewPassword {
                    new_password_file: new_password_file.take(),
                },
                _ => {
                    return Err(usage(
                        "`sync` takes `join FOLDER|URL [--name NAME] [--webdav-user USER] [--webdav-password-file FILE]`, `now`, `status`, `leave`, `remove DEVICE` or `new-password`.",
                    ))
                }
            };
            Command::Sync(action)
        }
        "linked" => {
            let words: Vec<String> = rest
                .iter()
                .map(|word| utf8(word, "A linked argument"))
                .collect::<Result<_, _>>()?;
            let action = match words.iter().map(String::as_str).collect::<Vec<_>>()[..] {
                ["add", folder] => LinkedAction::Add {
                    folder: PathBuf::from(folder),
                    // `--name` names the linked folder here, not an account.
                    name: edits.name.take(),
                    import_password_file: import_password_file.take(),
                },
                ["list"] => LinkedAction::List,
                ["rename", name, new_name] => LinkedAction::Rename {
                    name: name.to_owned(),
                    new_name: new_name.to_owned(),
                },
                ["remove", name] => LinkedAction::Remove {
                    name: name.to_owned(),
                },
                ["copy", query] => LinkedAction::Copy {
                    query: query.to_owned(),
                },
                _ => {
                    return Err(usage(
                        "`linked` takes `add FOLDER [--name NAME] [--import-password-file FILE]`, `list`, `rename NAME NEW-NAME`, `remove NAME` or `copy QUERY`.",
                    ))
                }
            };
            Command::Linked(action)
        }
        "clock" => {
            let words: Vec<String> = rest
                .iter()
                .map(|word| utf8(word, "A clock argument"))
                .collect::<Result<_, _>>()?;
            let action = match words.iter().map(String::as_str).collect::<Vec<_>>()[..] {
                [] | ["status"] => ClockAction::Status,
                ["check"] => ClockAction::Check,
                ["correct"] => ClockAction::Correct,
                ["offset", "off"] => ClockAction::Offset(None),
                ["offset", seconds] => ClockAction::Offset(Some(machine_offset(seconds)?)),
                ["calibrate", query, code] if !query.trim().is_empty() => ClockAction::Calibrate {
                    query: query.to_owned(),
                    code: code.to_owned(),
                    yes: std::mem::take(&mut yes),
                },
                ["auto", "on"] => ClockAction::Auto(true),
                ["auto", "off"] => ClockAction::Auto(false),
                ["server", "default"] => ClockAction::Server(None),
                ["server", host] => ClockAction::Server(Some(host.to_owned())),
                _ => {
                    return Err(usage(
                        "`clock` takes nothing (or `status`), `check`, `correct`, `offset SECONDS|off`, `calibrate QUERY CODE`, `auto on|off` or `server HOST[:PORT]|default`.",
                    ))
                }
            };
            Command::Clock(action)
        }
        _ => return Err(usage(format!("Unknown command {name:?}."))),
    };

    if edits != AccountEdit::default() {
        return Err(usage(
            "--issuer, --name, --tags, --note, --pin, --unpin and --time-offset apply only to `edit` (and --name to `sync join` and `linked add`).",
        ));
    }
    if yes {
        return Err(usage(
            "--yes applies only to `remove`, `trash empty`, `export`, `backup kit` and `clock calibrate`.",
        ));
    }
    if with_secrets {
        return Err(usage("--with-secrets applies only to `backup kit`."));
    }
    if sort.is_some() {
        return Err(usage("--sort applies only to `list`."));
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
        return Err(usage(
            "--new-password-file applies only to `passwd` and `sync new-password`.",
        ));
    }
    if backup_password_file.is_some() {
        return Err(usage("--backup-password-file applies only to `restore`."));
    }
    if uri_file.is_some() {
        return Err(usage("--uri-file applies only to `add`."));
    }
    if format.is_some() {
        return Err(usage("--format applies only to `import` and `export`."));
    }
    if output.is_some() {
        return Err(usage("-o applies only to `export` and `backup kit`."));
    }
    if export_password_file.is_some() {
        return Err(usage("--export-password-file applies only to `export`."));
    }
    if force {
        return Err(usage("--force applies only to `export`."));
    }
    if import_password_file.is_some() {
        return Err(usage(
            "--import-password-file applies only to `import` and `linked add`.",
        ));
    }
    if webdav_user.is_some() || webdav_password_file.is_some() {
        return Err(usage(
            "--webdav-user and --webdav-password-file apply only to `sync join URL`.",
        ));
    }

    Ok(Cli {
        vault,
        password_file,
        command,
    })
}

#[cfg(test)]
mod tests;
