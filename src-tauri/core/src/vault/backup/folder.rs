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

/// `dir/ringlet-YYYYMMDD-HHMMSS.rbak`, or with `-2`, `-3`… when that name is taken.
pub(super) fn free_name(dir: &Path, created: u64) -> PathBuf {
    let stamp = file_stamp(created);
    let mut seq = 1u32;
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
        seq += 1;
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
    let today = now / 86_400;
    let mut days_kept = std::collections::BTreeSet::new();
    let mut removed = Vec::new();
    for (position, backup) in list(dir)?.into_iter().enumerate() {
        let day = backup.created / 86_400;
        // Newest first, so the first one seen of a day is that day's newest.
        let daily =
            today.saturating_sub(day) < u64::from(policy.daily_days) && days_kept.insert(day);
        if position < policy.keep_last || daily {
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
