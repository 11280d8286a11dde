//! What the backups did and where else they go, kept in `<vault>/backups/status.json`:
//! the last backup that was read back and opened (time, accounts, file), the newest one
//! that did not verify, the person's second backup folder and whether it was reachable at
//! the last backup, and the monthly "copy a backup off this computer" reminder.
//!
//! Plain JSON, nothing secret: `ringlet-cli backup list` reads it without the password.
//! It lives in `backups/` so that a recovery, which moves that folder into the new vault,
//! keeps it. Someone who can write the vault folder can edit it; the worst they can do is
//! point the copies at another folder (they hold only encrypted backups, and that person
//! can already copy `backups/`) or silence the reminder. A file that does not parse is read
//! as empty: the next backup writes it again.
//!
//! Time is a parameter (Unix seconds) everywhere, so tests need not wait a month.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::vault::files::write_atomically;

/// The file name inside the backups folder.
pub const STATUS_FILE: &str = "status.json";
/// Far above any valid file: a larger one is not read.
const MAX_STATUS_BYTES: u64 = 64 * 1024;
/// How often the reminder asks, and how long "Done" quiets it: a month.
pub const REMINDER_EVERY_SECS: u64 = 30 * 86_400;
/// How long "Remind me later" quiets it: long enough not to nag, short enough to matter.
pub const REMINDER_LATER_SECS: u64 = 3 * 86_400;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct BackupStatus {
    /// The newest backup that was read back and opened with the vault's key.
    pub last_verified: Option<Verified>,
    /// The newest backup, when it did not verify (cleared by the next one that does).
    pub unverified: Option<Unverified>,
    /// Where every backup is also copied (a USB stick, a folder a sync tool carries).
    pub second_folder: Option<PathBuf>,
    /// Why the last copy into the second folder failed; `None` when it worked.
    pub second_folder_problem: Option<Problem>,
    /// The newest copy in the second folder that verified.
    pub second_folder_verified: Option<Verified>,
    pub reminder: Reminder,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Verified {
    /// Unix seconds.
    pub time: u64,
    pub accounts: usize,
    pub file: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Unverified {
    pub time: u64,
    /// The file as set aside (`*.rbak.unverified`).
    pub file: PathBuf,
    /// Why, as a sentence.
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// When the folder was first found unreachable (the first of a run of failures).
    pub since: u64,
    pub why: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Reminder {
    /// The person turned the reminder off.
    pub off: bool,
    /// When it is next due (Unix seconds); `None` until the first verified backup, which
    /// sets it a month later.
    pub next: Option<u64>,
}

/// What the person answered the reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderAnswer {
    /// Copied a backup off the computer: quiet for a month.
    Done,
    /// Not now: asked again in a few days.
    Later,
    /// Never again (until turned on).
    Off,
    /// Turned on again: due a month from now.
    On,
}

impl BackupStatus {
    /// The status kept in the backups folder `backup_dir`: empty when there is none yet,
    /// or when the file is unreadable (rewritten at the next backup).
    pub fn load(backup_dir: &Path) -> BackupStatus {
        let path = backup_dir.join(STATUS_FILE);
        crate::vault::files::read_limited(&path, MAX_STATUS_BYTES, "backup status")
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Saves it (atomically, 0600), creating the backups folder if needed.
    pub fn save(&self, backup_dir: &Path) -> std::io::Result<()> {
        crate::vault::files::create_private_dir(backup_dir)?;
        let bytes = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        write_atomically(&backup_dir.join(STATUS_FILE), &bytes)
    }

    /// A backup verified at `now`: the newest, and the reminder's clock starts.
    pub fn verified(&mut self, now: u64, accounts: usize, file: PathBuf) {
        self.last_verified = Some(Verified {
            time: now,
            accounts,
            file,
        });
        self.unverified = None;
        self.reminder
            .next
            .get_or_insert(now.saturating_add(REMINDER_EVERY_SECS));
    }

    /// The newest backup did not verify: kept as a warning until one does.
    pub fn not_verified(&mut self, now: u64, file: PathBuf, why: String) {
        self.unverified = Some(Unverified {
            time: now,
            file,
            why,
        });
    }

    /// The outcome of a copy into the second folder. A run of failures keeps the time of
    /// the first, so the warning says since when.
    pub fn second_folder_result(&mut self, now: u64, result: Result<Verified, String>) {
        match result {
            Ok(verified) => {
                self.second_folder_problem = None;
                self.second_folder_verified = Some(verified);
            }
            Err(why) => {
                let since = self
                    .second_folder_problem
                    .as_ref()
                    .map_or(now, |problem| problem.since);
                self.second_folder_problem = Some(Problem { since, why });
            }
        }
    }

    /// Sets or clears the second folder; its past problem and copy go with the old one.
    pub fn set_second_folder(&mut self, folder: Option<PathBuf>) {
        self.second_folder = folder;
        self.second_folder_problem = None;
        self.second_folder_verified = None;
    }

    /// True when the monthly reminder should show at `now`: on, no second folder (whose
    /// copies already leave the computer, or could), and its time has come.
    pub fn reminder_due(&self, now: u64) -> bool {
        !self.reminder.off
            && self.second_folder.is_none()
            && self.reminder.next.is_some_and(|next| now >= next)
    }

    pub fn answer_reminder(&mut self, now: u64, answer: ReminderAnswer) {
        match answer {
            ReminderAnswer::Done | ReminderAnswer::On => {
                self.reminder.off = false;
                self.reminder.next = Some(now.saturating_add(REMINDER_EVERY_SECS));
            }
            ReminderAnswer::Later => {
                self.reminder.next = Some(now.saturating_add(REMINDER_LATER_SECS));
            }
            ReminderAnswer::Off => self.reminder.off = true,
        }
    }
}

/// Checks a folder the person chose as the second backup folder: it must exist, be a
/// folder, and lie outside the vault folder (whose `backups/` it would rotate twice, and
/// which a recovery moves aside). Returns it made absolute.
pub fn check_second_folder(vault_dir: &Path, folder: &Path) -> Result<PathBuf, String> {
    let shown = folder.display();
    let folder = folder
        .canonicalize()
        .map_err(|error| format!("{shown} cannot be used as a backup folder: {error}."))?;
    if !folder.is_dir() {
        return Err(format!("{shown} is not a folder."));
    }
    if let Ok(vault) = vault_dir.canonicalize() {
        if folder.starts_with(&vault) {
            return Err(format!(
                "{shown} is inside the vault folder; choose a folder elsewhere (a USB stick, or a folder a sync tool copies)."
            ));
        }
    }
    Ok(folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: u64 = 86_400;

    /// The reminder: not before the first verified backup, then a month later; "later"
    /// asks again in three days, "done" in a month; off stays off; a second folder hides it.
    #[test]
    fn the_reminder_follows_its_schedule() {
        let t0 = 1_800_000_000;
        let mut status = BackupStatus::default();
        assert!(!status.reminder_due(t0 + 365 * DAY), "no backup yet");
        status.verified(t0, 3, PathBuf::from("b"));
        assert!(!status.reminder_due(t0 + 29 * DAY));
        assert!(status.reminder_due(t0 + 30 * DAY));
        // A later backup does not push it back: the month counts from the first.
        status.verified(t0 + 10 * DAY, 3, PathBuf::from("c"));
        assert!(status.reminder_due(t0 + 30 * DAY));

        let now = t0 + 31 * DAY;
        status.answer_reminder(now, ReminderAnswer::Later);
        assert!(!status.reminder_due(now + 2 * DAY));
        assert!(status.reminder_due(now + 3 * DAY));

        status.answer_reminder(now + 3 * DAY, ReminderAnswer::Done);
        assert!(!status.reminder_due(now + 32 * DAY));
        assert!(status.reminder_due(now + 33 * DAY));

        status.set_second_folder(Some(PathBuf::from("/media/stick")));
        assert!(
            !status.reminder_due(now + 100 * DAY),
            "a second folder is set"
        );
        status.set_second_folder(None);
        assert!(status.reminder_due(now + 100 * DAY));

        status.answer_reminder(now + 100 * DAY, ReminderAnswer::Off);
        assert!(!status.reminder_due(now + 1000 * DAY), "turned off");
        status.answer_reminder(now + 1000 * DAY, ReminderAnswer::On);
        assert!(!status.reminder_due(now + 1001 * DAY));
        assert!(status.reminder_due(now + 1030 * DAY));
    }

    #[test]
    fn a_run_of_failures_keeps_its_first_time_and_a_success_clears_it() {
        let mut status = BackupStatus::default();
        status.second_folder_result(100, Err("gone".into()));
        status.second_folder_result(200, Err("still gone".into()));
        let problem = status.second_folder_problem.clone();
        assert_eq!(
            problem,
            Some(Problem {
                since: 100,
                why: "still gone".into()
            })
        );
        status.second_folder_result(
            300,
            Ok(Verified {
                time: 300,
                accounts: 1,
                file: PathBuf::from("x"),
            }),
        );
        assert_eq!(status.second_folder_problem, None);
    }

    #[test]
    fn a_broken_file_reads_as_empty_and_a_saved_one_round_trips() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join(STATUS_FILE), b"{not json")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(BackupStatus::load(dir.path()), BackupStatus::default());
        let mut status = BackupStatus::default();
        status.verified(5, 42, PathBuf::from("/v/backups/ringlet-1.rbak"));
        status.set_second_folder(Some(PathBuf::from("/media/stick")));
        status.save(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(BackupStatus::load(dir.path()), status);
    }

    #[test]
    fn a_second_folder_must_exist_and_lie_outside_the_vault() {
        let temp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let vault = temp.path().join("vault");
        let inside = vault.join("backups");
        let outside = temp.path().join("stick");
        for dir in [&inside, &outside] {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
        }
        assert!(check_second_folder(&vault, &inside).is_err());
        assert!(check_second_folder(&vault, &vault).is_err());
        assert!(check_second_folder(&vault, &temp.path().join("gone")).is_err());
        let file = temp.path().join("file");
        std::fs::write(&file, b"").unwrap_or_else(|e| panic!("{e}"));
        assert!(check_second_folder(&vault, &file).is_err());
        assert_eq!(
            check_second_folder(&vault, &outside).ok(),
            outside.canonicalize().ok()
        );
    }
}
