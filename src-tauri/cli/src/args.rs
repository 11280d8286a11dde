//! The command line: `ringlet-cli [--vault DIR] [--password-file FILE] COMMAND [ARGS]`.
//!
//! Hand-written on purpose (no parsing crate): eleven commands and nine options. Options may
//! come before or after the command, as `--name VALUE` or `--name=VALUE`; `--` ends the
//! options. `-h`/`--help` anywhere (before `--`) asks for the usage text.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::error::CliError;

pub const USAGE: &str = "\
Usage: ringlet-cli [--vault DIR] [--password-file FILE] COMMAND [ARGS]

The accounts of a Ringlet vault and their one-time codes, from the command line.

Commands:
  init                     Create a new vault (on a terminal the password is asked twice).
  add - | add --uri-file FILE | add URI
                           Add the account of an otpauth:// URI; prints its id. With -
                           the URI is read from standard input (asked without echo on
                           a terminal; then give the password with --password-file when
                           standard input is not a terminal), with --uri-file from the
                           first line of FILE. A URI given as an argument works too,
                           but other users can see it in the process list and your
                           shell keeps it in its history: a warning says so.
  import FILE... [--format auto|NAME] [--import-password-file FILE]
                           Add every account found in the files: QR code images, text
                           files of otpauth:// URIs (one a line; blank lines and lines
                           starting with # are ignored) and other authenticator apps'
                           exports, plain or encrypted (`formats` lists them). The
                           format is recognised from each file's content; --format NAME
                           reads every file as that format only. An encrypted file's
                           password is read from the first line of
                           --import-password-file FILE, else asked on the terminal.
                           Accounts already in the vault are skipped.
  formats                  List the file formats Ringlet reads and writes. Needs no vault.
  list [--json]            List the accounts (never their secrets).
  code QUERY [--at UNIX_SECONDS]
                           Print the code of the one account that QUERY names: every
                           word of QUERY is in its issuer or account name (case and
                           accents ignored), or its issuer or name is QUERY exactly.
                           --at computes a time-based
                           code for another moment. For an HOTP account the code of the
                           stored counter is printed and the counter in the vault is
                           advanced by one (--at does not apply).
  decode-qr IMAGE...       Print the text of every QR code in the images, one a line.
                           Needs no vault and no password.
  passwd [--new-password-file FILE]
                           Change the vault password (the new one is read from FILE,
                           or asked twice on the terminal). The vault gets a new key;
                           the backups in DIR/backups are re-encrypted for the new
                           password (copies kept elsewhere keep the old one).
  backup create            Write an encrypted backup into DIR/backups (kept: the last
                           10 and one a day for 30 days); prints its path.
  backup list              List the backups in DIR/backups, newest first (no password).
  restore FILE [--backup-password-file FILE]
                           Add the accounts of a backup that the vault does not hold
                           yet. The backup opens with the vault password unless
                           --backup-password-file is given. With no vault in DIR, a
                           new vault is created with the backup's password.
  recover FILE             For a vault that no longer opens: move its folder aside as
                           DIR.damaged-<time> (nothing is deleted) and make a new vault
                           from the backup FILE, with the backup's password; the backups
                           and settings move into the new folder. Asks the backup's
                           password (or --password-file).

Options:
  --vault DIR              The vault folder. Default: $RINGLET_VAULT, else the desktop
                           app's data folder.
  --password-file FILE     Read the password from the first line of FILE. Without it the
                           password is asked on the terminal (not echoed), or read from
                           the first line of standard input when that is not a terminal.
  -h, --help               Print this help.

Exit status: 0 done, 1 bad input or usage, 2 wrong password, 3 vault (or backup)
damaged or unreadable, 4 vault in use by another Ringlet process.
";

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
    Init,
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
        let mut value = |name: &str| -> Result<OsString, CliError> {
            match inline_value.clone().or_else(|| args.next()) {
                Some(value) if !value.is_empty() => Ok(value),
                Some(_) => Err(usage(format!("{name} needs a non-empty value."))),
                None => Err(usage(format!("{name} needs a value."))),
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
            "--json" => {
                if inline_value.is_some() {
                    return Err(usage("--json takes no value."));
                }
                json = true;
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
            Command::Init
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

    if json && !matches!(command, Command::List { .. }) {
        return Err(usage("--json applies only to `list`."));
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
        assert_eq!(command(&["init"]), Command::Init);
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
    fn safety_commands_parse() {
        assert_eq!(
            command(&["passwd"]),
            Command::Passwd {
                new_password_file: None
            }
        );
        assert_eq!(
            command(&["passwd", "--new-password-file", "/n"]),
            Command::Passwd {
                new_password_file: Some("/n".into())
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
