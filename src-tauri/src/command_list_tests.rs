//! The app's commands are named in four places that nothing else ties together: the
//! handler list in `lib.rs`, the ACL manifest in `build.rs`, the main window's capability
//! and the UI's `api.js`. A name missing from one of them only shows when the app runs
//! (a command "not found" or "not allowed"), so this test reads all four and compares.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const LIB_RS: &str = "src-tauri/src/lib.rs";
const BUILD_RS: &str = "src-tauri/build.rs";
const CAPABILITY: &str = "src-tauri/capabilities/main.json";
const API_JS: &str = "ui/js/api.js";

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Drops `// …` comments, so a commented-out entry does not count.
fn without_line_comments(source: &str) -> String {
    source
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text between `open` (which ends with an opening bracket) and its matching closing
/// bracket.
fn bracketed<'a>(source: &'a str, open: &str, file: &str) -> &'a str {
    let start = source
        .find(open)
        .unwrap_or_else(|| panic!("{file}: `{open}` not found"))
        + open.len();
    let (opening, closing) = match open.chars().last() {
        Some('[') => ('[', ']'),
        Some('(') => ('(', ')'),
        _ => panic!("`{open}` must end with an opening bracket"),
    };
    let mut depth = 1;
    for (offset, c) in source[start..].char_indices() {
        if c == opening {
            depth += 1;
        } else if c == closing {
            depth -= 1;
            if depth == 0 {
                return &source[start..start + offset];
            }
        }
    }
    panic!("{file}: `{open}` is never closed")
}

/// Every name once; a name written twice in one list is itself a mistake worth failing on.
fn unique(names: Vec<String>, file: &str) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    for name in names {
        assert!(set.insert(name.clone()), "{file}: `{name}` is listed twice");
    }
    assert!(
        !set.is_empty(),
        "{file}: no command found (has the format changed?)"
    );
    set
}

/// `commands::vault::vault_status,` … inside `tauri::generate_handler![ … ]`.
fn handler_names() -> BTreeSet<String> {
    let source = without_line_comments(&read(LIB_RS));
    let list = bracketed(&source, "generate_handler![", LIB_RS);
    let names = list
        .split(',')
        .map(str::trim)
        // A `#[cfg(…)]` before an entry is not part of its path.
        .map(|item| match item.rfind(']') {
            Some(end) if item.starts_with("#[") => item[end + 1..].trim(),
            _ => item,
        })
        .filter(|item| !item.is_empty())
        .map(|path| {
            assert!(
                path.starts_with("commands::"),
                "{LIB_RS}: `{path}` is not a `commands::module::name` path"
            );
            path.rsplit("::").next().unwrap_or_default().to_string()
        })
        .collect();
    unique(names, LIB_RS)
}

/// Every quoted string of `const COMMANDS: &[&str] = &[ … ];`.
fn manifest_names() -> BTreeSet<String> {
    let source = without_line_comments(&read(BUILD_RS));
    let after = source
        .find("const COMMANDS")
        .map(|at| &source[at..])
        .unwrap_or_else(|| panic!("{BUILD_RS}: `const COMMANDS` not found"));
    let list = bracketed(after, "= &[", BUILD_RS);
    let names = list
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    unique(names, BUILD_RS)
}

/// `allow-vault-status` → `vault_status`. Permissions with a namespace (`core:…`, a
/// plugin's) are not the app's commands; an app permission other than `allow-…` would grant
/// nothing, so it fails the test.
fn capability_names() -> BTreeSet<String> {
    let capability: serde_json::Value =
        serde_json::from_str(&read(CAPABILITY)).unwrap_or_else(|e| panic!("{CAPABILITY}: {e}"));
    let permissions = capability["permissions"]
        .as_array()
        .unwrap_or_else(|| panic!("{CAPABILITY}: no `permissions` array"));
    let names = permissions
        .iter()
        // A permission is a string or an object with an `identifier` (when it has a scope).
        .map(|p| p.as_str().or_else(|| p["identifier"].as_str()))
        .map(|p| p.unwrap_or_else(|| panic!("{CAPABILITY}: unreadable permission {p:?}")))
        .filter(|id| !id.contains(':'))
        .map(|id| {
            let command = id.strip_prefix("allow-").unwrap_or_else(|| {
                panic!("{CAPABILITY}: `{id}` is an app permission that allows nothing")
            });
            command.replace('-', "_")
        })
        .collect();
    unique(names, CAPABILITY)
}

/// `invoke('vault_status'` (or with double quotes): the UI's calls. `invoke(cmd` inside the
/// wrapper itself has no quote and is skipped.
fn ui_names() -> BTreeSet<String> {
    let source = read(API_JS);
    let mut names = Vec::new();
    for (at, _) in source.match_indices("invoke(") {
        let rest = &source[at + "invoke(".len()..];
        let Some(quote) = rest.chars().next().filter(|c| matches!(c, '\'' | '"')) else {
            continue;
        };
        let name = rest[1..]
            .split(quote)
            .next()
            .unwrap_or_else(|| panic!("{API_JS}: unterminated name after `invoke(`"));
        names.push(name.to_string());
    }
    // The same command may be called from several functions; only the set matters here.
    let set: BTreeSet<String> = names.into_iter().collect();
    assert!(!set.is_empty(), "{API_JS}: no `invoke('…')` found");
    set
}

/// For every name that is not in all the lists: the lists that lack it.
fn differences(lists: &[(&str, BTreeSet<String>)]) -> BTreeMap<String, Vec<String>> {
    let all: BTreeSet<&String> = lists.iter().flat_map(|(_, names)| names).collect();
    all.into_iter()
        .filter_map(|name| {
            let missing: Vec<String> = lists
                .iter()
                .filter(|(_, names)| !names.contains(name))
                .map(|(file, _)| file.to_string())
                .collect();
            (!missing.is_empty()).then(|| (name.clone(), missing))
        })
        .collect()
}

#[test]
fn the_four_lists_of_commands_agree() {
    let lists = [
        (LIB_RS, handler_names()),
        (BUILD_RS, manifest_names()),
        (CAPABILITY, capability_names()),
        (API_JS, ui_names()),
    ];
    let differences = differences(&lists);
    let report: Vec<String> = differences
        .iter()
        .map(|(name, missing)| format!("`{name}` is missing from {}", missing.join(", ")))
        .collect();
    assert!(
        report.is_empty(),
        "the lists of commands differ:\n  {}",
        report.join("\n  ")
    );
}

#[test]
fn a_difference_names_the_command_and_the_list() {
    let set = |names: &[&str]| names.iter().map(|n| n.to_string()).collect();
    let lists = [
        ("a", set(&["lock_vault", "list_codes"])),
        ("b", set(&["lock_vault"])),
        ("c", set(&["lock_vault", "list_codes", "extra"])),
    ];
    let found = differences(&lists);
    assert_eq!(found.len(), 2);
    assert_eq!(found["list_codes"], ["b"]);
    assert_eq!(found["extra"], ["a", "b"]);
}

/// `listen('vault-locked'` (or with double quotes): the events the UI listens to.
fn ui_event_names() -> BTreeSet<String> {
    let source = read(API_JS);
    let names: BTreeSet<String> = source
        .match_indices("listen(")
        .filter_map(|(at, _)| {
            let rest = &source[at + "listen(".len()..];
            let quote = rest.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
            rest[1..].split(quote).next().map(str::to_string)
        })
        .collect();
    assert!(!names.is_empty(), "{API_JS}: no `listen('…')` found");
    names
}

/// Every `emit(` or `emit_to(` in the app's sources outside tests names its event through
/// `events::`, so the list in `events.rs` is the whole truth.
fn emits_by_literal() -> Vec<String> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src");
    let mut found = Vec::new();
    let mut stack = vec![folder];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if !name.ends_with(".rs") || name.ends_with("tests.rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap_or_default();
            // A file's test module, at its end, may emit what it likes.
            let shipped = source.split("mod tests {").next().unwrap_or_default();
            for (number, line) in shipped.lines().enumerate() {
                let compact: String = line.split_whitespace().collect();
                if compact.contains(".emit(\"") || compact.contains(".emit_to(") {
                    found.push(format!("{}:{}: {}", name, number + 1, line.trim()));
                }
            }
        }
    }
    found
}

#[test]
fn the_ui_listens_to_exactly_the_events_the_backend_sends() {
    let backend: BTreeSet<String> = crate::events::EVENTS
        .iter()
        .map(|e| e.to_string())
        .collect();
    assert_eq!(
        backend.len(),
        crate::events::EVENTS.len(),
        "an event is listed twice"
    );
    let lists = [
        ("src-tauri/src/events.rs", backend),
        (API_JS, ui_event_names()),
    ];
    let report: Vec<String> = differences(&lists)
        .iter()
        .map(|(name, missing)| format!("`{name}` is missing from {}", missing.join(", ")))
        .collect();
    assert!(
        report.is_empty(),
        "the lists of events differ:\n  {}",
        report.join("\n  ")
    );
}

#[test]
fn every_event_is_sent_by_its_name_in_events_rs() {
    let literal = emits_by_literal();
    assert!(
        literal.is_empty(),
        "events sent by a string, not through `events::`:\n  {}",
        literal.join("\n  ")
    );
}
