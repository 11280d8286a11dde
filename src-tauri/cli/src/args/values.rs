//! The values of the command line's arguments and options, checked: UTF-8 text, a query,
//! a format id, a time, a clock offset, how many arguments a command takes.

use std::ffi::OsString;
use std::path::PathBuf;

use super::usage;
use crate::error::CliError;

/// An option's text value (UTF-8).
pub(super) fn text_value(value: OsString, name: &str) -> Result<String, CliError> {
    utf8(&value, name)
}

/// A QUERY argument: UTF-8 and not blank.
pub(super) fn query_of(arg: &OsString) -> Result<String, CliError> {
    let query = utf8(arg, "The query")?;
    if query.trim().is_empty() {
        return Err(usage("The QUERY must not be empty."));
    }
    Ok(query)
}

/// `--format`'s value: `auto` (or none) is `None`, else one of the importers' ids.
pub(super) fn import_format(format: Option<String>) -> Result<Option<String>, CliError> {
    match format.as_deref() {
        None | Some("auto") => Ok(None),
        Some(id) if ringlet_core::import::format_by_id(id).is_some() => Ok(format),
        Some(other) => Err(usage(format!(
            "Unknown format {other:?}; --format takes auto or one of: {}.",
            ringlet_core::import::format_ids().join(", ")
        ))),
    }
}

/// `export`'s `--format`: required, one of the exporters' ids.
pub(super) fn export_format(format: Option<String>) -> Result<String, CliError> {
    let ids = || ringlet_core::export::export_ids().join(", ");
    match format {
        Some(id) if ringlet_core::export::export_by_id(&id).is_some() => Ok(id),
        Some(other) => Err(usage(format!(
            "Unknown export format {other:?}; --format takes one of: {}.",
            ids()
        ))),
        None => Err(usage(format!("export needs --format, one of: {}.", ids()))),
    }
}

pub(super) fn expect_count(command: &str, rest: &[OsString], count: usize) -> Result<(), CliError> {
    if rest.len() == count {
        return Ok(());
    }
    Err(usage(match count {
        0 => format!("`{command}` takes no arguments."),
        1 => format!("`{command}` takes exactly one argument."),
        _ => format!("`{command}` takes {count} arguments."),
    }))
}

pub(super) fn at_least_one(
    command: &str,
    rest: Vec<OsString>,
    what: &str,
) -> Result<Vec<PathBuf>, CliError> {
    if rest.is_empty() {
        return Err(usage(format!("`{command}` needs at least one {what}.")));
    }
    Ok(rest.into_iter().map(PathBuf::from).collect())
}

pub(super) fn utf8(arg: &OsString, what: &str) -> Result<String, CliError> {
    arg.to_str()
        .map(str::to_owned)
        .ok_or_else(|| CliError::Input(format!("{what} is not valid UTF-8 text.")))
}

pub(super) fn parse_time(value: &OsString) -> Result<u64, CliError> {
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

/// `clock offset`'s seconds: a whole number, `+` allowed, within a day either way.
pub(super) fn machine_offset(text: &str) -> Result<i64, CliError> {
    let limit = ringlet_core::clock::MAX_MACHINE_OFFSET_SECONDS;
    seconds(text)
        .filter(|seconds| seconds.abs() <= limit)
        .ok_or_else(|| {
            usage(format!(
                "`clock offset` takes whole seconds between -{limit} and {limit} (positive when the clock is behind), or off; not {text:?}."
            ))
        })
}

/// `--time-offset`'s seconds: a whole number, `+` allowed, within an hour either way.
pub(super) fn account_offset(value: &OsString) -> Result<i32, CliError> {
    let limit = ringlet_core::clock::MAX_ACCOUNT_OFFSET_SECONDS;
    value
        .to_str()
        .and_then(seconds)
        .filter(|seconds| seconds.abs() <= i64::from(limit))
        .and_then(|seconds| i32::try_from(seconds).ok())
        .ok_or_else(|| {
            usage(format!(
                "--time-offset takes whole seconds between -{limit} and {limit} (0 removes it), not {:?}.",
                value.to_string_lossy()
            ))
        })
}

/// A whole number of seconds, with an optional sign.
fn seconds(text: &str) -> Option<i64> {
    let text = text.trim();
    match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => None,
        Some(rest) => rest.parse().ok(),
        None => text.parse().ok(),
    }
}
