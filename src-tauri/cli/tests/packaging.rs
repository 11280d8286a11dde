//! What the packages ship beside the binaries agrees with the binaries: the man page
//! (`docs/ringlet-cli.1`) and the bash, zsh and fish completions (`cli/completions/`) name
//! every command, sub-command and option that `ringlet-cli --help` names (the text of
//! `usage.rs`), and every format the core reads and writes; the one version number
//! (`[workspace.package]` in Cargo.toml) is what `--version` prints and what CHANGELOG.md,
//! the AppStream metainfo and the man page say. `dev package --check` then checks the
//! installed files themselves.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::test_cli;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(relative: &str) -> String {
    let path = project_root().join(relative);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("read {}: {error}", path.display()))
}

const MAN_PAGE: &str = "docs/ringlet-cli.1";
const COMPLETIONS: [&str; 3] = [
    "src-tauri/cli/completions/ringlet-cli.bash",
    "src-tauri/cli/completions/_ringlet-cli",
    "src-tauri/cli/completions/ringlet-cli.fish",
];

fn help_text() -> String {
    let output = test_cli()
        .arg("--help")
        .output()
        .expect("run ringlet-cli --help");
    assert!(output.status.success());
    String::from_utf8(output.stdout).expect("UTF-8 help")
}

/// The commands of the help's "Commands:" section, with the sub-commands their synopsis
/// line names (`trash list | trash restore QUERY`: trash, list, restore, ...): every
/// lower-case word of a synopsis that is not an option or a placeholder.
fn commands_in_help(help: &str) -> BTreeSet<String> {
    let section = help
        .split("Commands:")
        .nth(1)
        .and_then(|rest| rest.split("Options:").next())
        .expect("a Commands: section");
    let mut names = BTreeSet::new();
    for line in section.lines() {
        // A synopsis starts two spaces in; descriptions are indented further.
        let Some(synopsis) = line.strip_prefix("  ") else {
            continue;
        };
        if synopsis.starts_with(' ') || synopsis.is_empty() {
            continue;
        }
        // The synopsis ends where its description starts (two or more spaces).
        let synopsis = synopsis.split("  ").next().unwrap_or_default();
        for word in synopsis.split(|c: char| c.is_whitespace() || c == '|') {
            if !word.is_empty()
                && word.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                && !word.starts_with('-')
            {
                names.insert(word.to_owned());
            }
        }
    }
    names
}

/// The top-level commands of the help: the first word of each synopsis.
fn top_level_commands(help: &str) -> BTreeSet<String> {
    let section = help
        .split("Commands:")
        .nth(1)
        .and_then(|rest| rest.split("Options:").next())
        .expect("a Commands: section");
    section
        .lines()
        .filter_map(|line| line.strip_prefix("  "))
        .filter(|synopsis| !synopsis.starts_with(' '))
        .filter_map(|synopsis| synopsis.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// The commands a completion file offers first: bash's `local commands="..."`, fish's
/// `set -l commands ...`, the `'name:description'` entries of zsh's `commands=( ... )`.
fn offered_commands(file: &str, text: &str) -> BTreeSet<String> {
    let words = |line: &str| -> BTreeSet<String> {
        line.split(|c: char| c.is_whitespace() || c == '"')
            .filter(|word| !word.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let line_after = |prefix: &str| {
        text.lines()
            .find_map(|line| line.trim().strip_prefix(prefix).map(str::to_owned))
            .unwrap_or_else(|| panic!("{file} has no line starting {prefix:?}"))
    };
    if file.ends_with(".bash") {
        words(&line_after("local commands=\""))
    } else if file.ends_with(".fish") {
        words(&line_after("set -l commands "))
    } else {
        text.lines()
            .skip_while(|line| line.trim() != "commands=(")
            .skip(1)
            .take_while(|line| line.trim() != ")")
            .filter_map(|line| line.trim().strip_prefix('\''))
            .filter_map(|entry| entry.split_once(':').map(|(name, _)| name.to_owned()))
            .collect()
    }
}

/// Every `--option` (and `-o`, `-h`, `-V`) the help names.
fn options_in_help(help: &str) -> BTreeSet<String> {
    let mut options = BTreeSet::new();
    for word in help.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
        let long = word.starts_with("--")
            && word.len() > 2
            && word[2..]
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-');
        let short = matches!(word, "-o" | "-h" | "-V");
        if long || short {
            options.insert(word.to_owned());
        }
    }
    options
}

/// The words of a file, with roff's `\-` read as `-` and `\fB`-style font changes dropped.
fn words_of(text: &str) -> BTreeSet<String> {
    let text = text
        .replace("\\-", "-")
        .replace("\\fB", " ")
        .replace("\\fI", " ")
        .replace("\\fR", " ")
        .replace("\\fP", " ");
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

fn assert_names_all(file: &str, words: &BTreeSet<String>, names: &BTreeSet<String>, what: &str) {
    let missing: Vec<&String> = names.iter().filter(|name| !words.contains(*name)).collect();
    assert!(
        missing.is_empty(),
        "{file} does not name the {what} {missing:?}"
    );
}

#[test]
fn the_help_is_read_as_expected() {
    // Guards the parsing above: were it to find nothing, the checks below would pass on nothing.
    let help = help_text();
    let commands = commands_in_help(&help);
    for name in [
        "init",
        "export",
        "decode-qr",
        "trash",
        "empty",
        "recovery",
        "use",
        "recover",
    ] {
        assert!(commands.contains(name), "{name} not found in {commands:?}");
    }
    assert!(commands.len() >= 20, "{commands:?}");
    let options = options_in_help(&help);
    for name in [
        "--vault",
        "--import-password-file",
        "--unpin",
        "-o",
        "--version",
    ] {
        assert!(options.contains(name), "{name} not found in {options:?}");
    }
}

#[test]
fn the_man_page_names_every_command_and_option_of_the_help() {
    let help = help_text();
    let words = words_of(&read(MAN_PAGE));
    assert_names_all(MAN_PAGE, &words, &commands_in_help(&help), "commands");
    assert_names_all(MAN_PAGE, &words, &options_in_help(&help), "options");
}

#[test]
fn every_completion_names_every_command_option_and_format() {
    let help = help_text();
    let formats: BTreeSet<String> = ringlet_core::import::format_ids()
        .into_iter()
        .chain(ringlet_core::export::export_ids())
        .map(str::to_owned)
        .collect();
    for file in COMPLETIONS {
        let text = read(file);
        let offered = offered_commands(file, &text);
        assert_eq!(
            offered,
            top_level_commands(&help),
            "{file}: the commands it offers"
        );
        let words = words_of(&text);
        assert_names_all(file, &words, &commands_in_help(&help), "commands");
        let long_options: BTreeSet<String> = options_in_help(&help)
            .into_iter()
            .filter(|option| option.starts_with("--"))
            .collect();
        // fish writes `-l vault` for --vault.
        let words_as_options: BTreeSet<String> = words
            .iter()
            .flat_map(|word| [word.clone(), format!("--{word}")])
            .collect();
        assert_names_all(file, &words_as_options, &long_options, "options");
        assert_names_all(file, &words, &formats, "formats");
    }
}

/// The completions parse in their shells (when the shell is installed: `dev package`
/// installs all three).
#[test]
fn the_completions_parse_in_their_shells() {
    for (shell, flag, file) in [
        ("bash", "-n", COMPLETIONS[0]),
        ("zsh", "-n", COMPLETIONS[1]),
        ("fish", "--no-execute", COMPLETIONS[2]),
    ] {
        match Command::new(shell)
            .arg(flag)
            .arg(project_root().join(file))
            .output()
        {
            Ok(output) => assert!(
                output.status.success(),
                "{shell} {flag} {file}: {}",
                String::from_utf8_lossy(&output.stderr)
            ),
            Err(error) => common::not_run(&format!("no {shell} to parse {file} ({error})")),
        }
    }
}

#[test]
fn one_version_everywhere() {
    let output = test_cli()
        .arg("--version")
        .output()
        .expect("run ringlet-cli --version");
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("ringlet-cli {VERSION}\n")
    );
    let output = test_cli().arg("-V").output().expect("run ringlet-cli -V");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("ringlet-cli {VERSION}\n")
    );

    let changelog = read("CHANGELOG.md");
    assert!(
        changelog.contains(&format!("## [{VERSION}]")),
        "CHANGELOG.md has no section for {VERSION}"
    );
    let metainfo = read("packaging/linux/app.ringlet.desktop.metainfo.xml");
    let newest = metainfo
        .split("<release version=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next());
    assert_eq!(newest, Some(VERSION), "the metainfo's newest release");
    assert!(
        read(MAN_PAGE).contains(&format!("\"Ringlet {VERSION}\"")),
        "{MAN_PAGE}'s .TH line"
    );
    // Tauri takes the version from Cargo.toml when tauri.conf.json names none.
    let config: serde_json::Value =
        serde_json::from_str(&read("tauri.conf.json")).expect("tauri.conf.json");
    assert!(
        config.get("version").is_none(),
        "tauri.conf.json has its own version"
    );
}
