//! The backups folder: free names (`ringlet-YYYYMMDD-HHMMSS[-N].rbak`, UTC), the list of
//! backups newest first, and rotation (the last 10, one a day for 30 days).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::calendar::{days_from_civil, file_stamp};
use super::{EXTENSION, MAGIC, NAME_PREFIX, PREFIX_LEN};

/// Which backups [`rotate`] keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RotationPolicy {
    /// The newest this many are always kept.
    pub keep_last: usize,
    /// Also kept: the newest backup of each of the last this many days (UTC), today
    /// included.
    pub daily_days: u32,
}

impl Default for RotationPolicy {
    /// The last 10, and one a day for 30 days.
    fn default() -> Self {
        RotationPolicy {
            keep_last: 10,
            daily_days: 30,
        }
    }
}

/// One backup file found by [`list`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    pub path: PathBuf,
    /// When it was made (Unix seconds, UTC), from its file name.
    pub created: u64,
    /// Number of accounts its header announces; `None` when the header cannot be read.
    /// Not authenticated until the backup is opened with [`read`].
    pub accounts: Option<u32>,
    /// File size in bytes.
    pub size: u64,
    /// Disambiguates backups made within the same second (1 for the first).
    seq: u32,
}

/// `dir/ringlet-YYYYMMDD-HHMMSS.rbak`, or with `-2`, `-3`… after the last backup of that
/// second: never a number below one in use, or a backup made after the rotation removed
/// that second's first would take its place and sort as the oldest (and be removed).
pub(super) fn free_name(dir: &Path, created: u64) -> PathBuf {
    let stamp = file_stamp(created);
    let last_of_that_second = list(dir)
        .unwrap_or_default()
        .iter()
        .filter(|backup| backup.created == created)
        .map(|backup| backup.seq)
        .max()
        .unwrap_or(0);
    let mut seq = last_of_that_second.saturating_add(1);
    loop {
        let name = if seq == 1 {
            format!("{NAME_PREFIX}{stamp}.{EXTENSION}")
        } else {
            format!("{NAME_PREFIX}{stamp}-{seq}.{EXTENSION}")
        };
        let path = dir.join(name);
        if !path.exists() {
            return path;
        }
        seq = seq.saturating_add(1);
    }
}

/// The backups in `dir`, newest first. A missing folder holds none. Only files named
/// like backups (`ringlet-YYYYMMDD-HHMMSS[-N].rbak`) are listed.
pub fn list(dir: &Path) -> io::Result<Vec<BackupInfo>> {
    let read_dir = match fs::read_dir(dir) {
        Ok(read_dir) => read_dir,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for entry in read_dir {
        let entry = entry?;
        let name = entry.file_name();
        let Some((created, seq)) = name.to_str().and_then(parse_name) else {
            continue;
        };
        let meta = entry.metadata()?;
        if !meta.is_file() {
            continue;
        }
        let path = entry.path();
        out.push(BackupInfo {
            accounts: announced_accounts(&path),
            path,
            created,
            size: meta.len(),
            seq,
        });
    }
    out.sort_by_key(|b| std::cmp::Reverse((b.created, b.seq)));
    Ok(out)
}

fn announced_accounts(path: &Path) -> Option<u32> {
    use std::io::Read;
    let mut head = [0u8; PREFIX_LEN];
    fs::File::open(path).ok()?.read_exact(&mut head).ok()?;
    if head[..8] != MAGIC[..] {
        return None;
    }
    let mut word = [0u8; 4];
    word.copy_from_slice(&head[PREFIX_LEN - 4..]);
    Some(u32::from_be_bytes(word))
}

/// Deletes the backups of `dir` that `policy` does not keep, given the time `now` (Unix
/// seconds). Returns the deleted files. Files not named like backups are never touched.
pub fn rotate(dir: &Path, policy: &RotationPolicy, now: u64) -> io::Result<Vec<PathBuf>> {
    rotate_keeping(dir, policy, now, None)
}

/// [`rotate`], never removing `newest` (the backup just written, whatever its name says:
/// after the clock was set back it sorts older than the others).
pub(super) fn rotate_keeping(
    dir: &Path,
    policy: &RotationPolicy,
    now: u64,
    newest: Option<&Path>,
) -> io::Result<Vec<PathBuf>> {
    rotate_matching(dir, policy, now, newest, |_| true)
}

/// [`rotate_keeping`] over the backups for which `ours` holds (the others are neither
/// counted nor removed): a second folder may hold other vaults' backups.
pub(super) fn rotate_matching(
    dir: &Path,
    policy: &RotationPolicy,
    now: u64,
    newest: Option<&Path>,
    ours: impl Fn(&Path) -> bool,
) -> io::Result<Vec<PathBuf>> {
    let today = now / 86_400;
    let mut days_kept = std::collections::BTreeSet::new();
    let mut removed = Vec::new();
    let backups = list(dir)?.into_iter().filter(|backup| ours(&backup.path));
    for (position, backup) in backups.enumerate() {
        let day = backup.created / 86_400;
        // Newest first, so the first one seen of a day is that day's newest.
        let daily =
            today.saturating_sub(day) < u64::from(policy.daily_days) && days_kept.insert(day);
        if position < policy.keep_last || daily || Some(backup.path.as_path()) == newest {
            continue;
        }
        fs::remove_file(&backup.path)?;
        removed.push(backup.path);
    }
    Ok(removed)
}

/// Parses `ringlet-YYYYMMDD-HHMMSS[-N].rbak` into (Unix seconds, N).
fn parse_name(name: &str) -> Option<(u64, u32)> {
    let stem = name
        .strip_prefix(NAME_PREFIX)?
        .strip_suffix(EXTENSION)?
        .strip_suffix('.')?;
    let (date, rest) = stem.split_at_checked(8)?;
    let rest = rest.strip_prefix('-')?;
    let (time, seq) = rest.split_at_checked(6)?;
    let seq = match seq {
        "" => 1,
        more => more
            .strip_prefix('-')?
            .parse::<u32>()
            .ok()
            .filter(|n| *n >= 2)?,
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(date) || !digits(time) {
        return None;
    }
    let num = |s: &str| s.parse::<u32>().ok();
    let (y, m, d) = (num(&date[..4])?, num(&date[4..6])?, num(&date[6..])?);
    let (hh, mm, ss) = (num(&time[..2])?, num(&time[2..4])?, num(&time[4..])?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 59 {
        return None;
    }
    let days = days_from_civil(i64::from(y), m, d);
    let secs = days * 86_400 + i64::from(hh * 3600 + mm * 60 + ss);
    Some((u64::try_from(secs).ok()?, seq))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::backup::format_utc;

    /// A backup made in a second whose first backup the rotation removed comes after the
    /// last one of that second, never in the first's place (found by making twelve backups
    /// through the app's command: the twelfth was removed as soon as it was written).
    #[test]
    fn a_new_name_comes_after_the_last_of_its_second() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let created = 1_700_000_000;
        let stamp = file_stamp(created);
        let first = free_name(dir.path(), created);
        assert_eq!(
            first.file_name().and_then(|n| n.to_str()),
            Some(format!("{NAME_PREFIX}{stamp}.{EXTENSION}").as_str())
        );
        for seq in [2, 5] {
            let name = format!("{NAME_PREFIX}{stamp}-{seq}.{EXTENSION}");
            fs::write(dir.path().join(name), b"").unwrap_or_else(|e| panic!("{e}"));
        }
        let next = free_name(dir.path(), created);
        assert_eq!(
            next.file_name().and_then(|n| n.to_str()),
            Some(format!("{NAME_PREFIX}{stamp}-6.{EXTENSION}").as_str())
        );
    }

    /// The backup just written stays, even when a clock set back makes it sort oldest.
    #[test]
    fn the_newest_backup_is_never_rotated_away() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let policy = RotationPolicy {
            keep_last: 2,
            daily_days: 0,
        };
        let path = |secs: u64| {
            dir.path()
                .join(format!("{NAME_PREFIX}{}.{EXTENSION}", file_stamp(secs)))
        };
        for secs in [2_000, 3_000, 4_000] {
            fs::write(path(secs), b"").unwrap_or_else(|e| panic!("{e}"));
        }
        let written_after_the_clock_went_back = path(1_000);
        fs::write(&written_after_the_clock_went_back, b"").unwrap_or_else(|e| panic!("{e}"));
        let removed = rotate_keeping(
            dir.path(),
            &policy,
            5_000,
            Some(&written_after_the_clock_went_back),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(removed, [path(2_000)]);
        assert!(written_after_the_clock_went_back.exists());
    }

    #[test]
    fn dates_round_trip() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00:00");
        assert_eq!(format_utc(1_700_000_000), "2023-11-14 22:13:20");
        for secs in [0u64, 59, 86_399, 951_782_400, 1_700_000_000, 4_102_444_799] {
            let name = format!("{NAME_PREFIX}{}.{EXTENSION}", file_stamp(secs));
            assert_eq!(parse_name(&name), Some((secs, 1)), "{name}");
        }
        assert_eq!(
            parse_name("ringlet-20231114-221320-3.rbak"),
            Some((1_700_000_000, 3))
        );
        for bad in [
            "ringlet-20231114-221320.rbak.tmp",
            "ringlet-20231114-221320-1.rbak",
            "ringlet-2023111-221320.rbak",
            "ringlet-20231314-221320.rbak",
            "other-20231114-221320.rbak",
            "ringlet-20231114-2213xx.rbak",
        ] {
            assert_eq!(parse_name(bad), None, "{bad}");
        }
    }
}
