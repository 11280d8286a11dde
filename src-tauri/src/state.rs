//! What the app holds between commands: where the vault is and, while unlocked, the
//! open vault with the session's transient data.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use ringlet_core::clock::{ClockSettings, CodeClock};
use ringlet_core::import::ImportPlan;
use ringlet_core::pace::PasswordPace;
use ringlet_core::search::SearchIndex;
use ringlet_core::settings::{Settings, SettingsError};
use ringlet_core::vault::{Vault, VaultError};
use ringlet_core::AccountId;

use crate::error::AppError;

pub struct AppState {
    vault_dir: PathBuf,
    session: Mutex<Option<Session>>,
    settings: Mutex<Settings>,
    /// When the person last did something, on the [`awake_clock`]; the auto-lock counts
    /// from here.
    last_activity: Mutex<Duration>,
    /// An unlock in this process found the vault damaged: only then is recovery (which
    /// sets the folder aside and makes a new vault) offered.
    damage_seen: std::sync::atomic::AtomicBool,
    /// One pace for every password check (see [`AppState::password_check`]).
    pace: Mutex<PasswordPace>,
    /// Files a launch asked to import ("Open with Ringlet") while the vault was locked:
    /// the main window takes them once it is unlocked.
    opened_files: Mutex<Vec<PathBuf>>,
}

/// Everything that exists only while the vault is unlocked. Dropping it (on lock)
/// drops the vault's key and every decrypted secret.
pub struct Session {
    pub vault: Vault,
    /// HOTP accounts whose code was generated in this session, with the counter it used:
    /// their code stays on screen until the vault is locked.
    pub hotp_shown: HashMap<AccountId, u64>,
    /// What the last import found, waiting for the person to confirm.
    pub pending_import: ImportPlan,
    /// The files of that import, by the source name the UI knows them by: an encrypted
    /// one is read again when its password is given.
    pub pending_files: HashMap<String, PathBuf>,
    /// When the vault last changed without a backup since: backups wait for a quiet moment.
    pub backup_due: Option<Instant>,
    /// When the vault last changed without a sync since (`crate::sync` waits for quiet too).
    pub sync_due: Option<Instant>,
    /// The trash has not been looked at in this session yet.
    trash_due: bool,
    /// The list as search sees it, folded at the first search after a change: a keystroke
    /// folds only the query. `None` after a change.
    pub search_index: Option<SearchIndex<AccountId>>,
    /// The linked folders' groups (`core::linked`), read at the first look after unlock;
    /// their accounts live here only, and go with the session.
    pub linked: Option<Vec<ringlet_core::linked::LinkedGroup>>,
    /// This computer's clock settings (`clock.sealed`): the check, its server, the offset
    /// codes are corrected by. Read with the vault; saved at each change.
    pub clock: ClockSettings,
}

impl Session {
    pub fn new(vault: Vault) -> Self {
        let clock = open_clock(&vault);
        Session {
            clock,
            vault,
            hotp_shown: HashMap::new(),
            pending_import: ImportPlan::default(),
            pending_files: HashMap::new(),
            backup_due: None,
            sync_due: None,
            trash_due: true,
            search_index: None,
            linked: None,
        }
    }

    /// Once a session, on the idle watcher's thread rather than in the unlock itself (it
    /// opens every record): what has been in the trash 30 days goes for good. Best effort:
    /// the next session tries again.
    pub fn empty_expired_trash(&mut self) {
        if std::mem::take(&mut self.trash_due) {
            let _ = self.vault.empty_trash(ringlet_core::otp::now_ms(), false);
        }
    }

    /// The moment codes are computed for now: this computer's clock and its offset.
    pub fn code_clock(&self) -> CodeClock {
        CodeClock::now(&self.clock)
    }

    /// Saves `clock` as this computer's clock settings, then puts them in force.
    pub fn save_clock(&mut self, clock: ClockSettings) -> Result<(), AppError> {
        clock.save(&self.vault)?;
        self.clock = clock;
        Ok(())
    }

    /// Call after every change to the vault: an encrypted backup follows shortly.
    pub fn changed(&mut self) {
        self.backup_due = Some(Instant::now());
        self.sync_due = self.backup_due;
        self.search_index = None;
    }

    /// Writes the encrypted backup (and rotates old ones) if a change is waiting for one
    /// and has been quiet for `quiet`. `Ok(true)` when one was made; the failure, if any,
    /// for the person to see.
    pub fn back_up_if_due(&mut self, quiet: Duration) -> Result<bool, VaultError> {
        match self.backup_due {
            Some(since) if since.elapsed() >= quiet => {
                self.backup_due = None;
                self.vault.backup_now().map(|_| true)
            }
            _ => Ok(false),
        }
    }
}

/// The clock settings of `vault` just opened: the defaults (the check not asked yet, no
/// offset) when the file cannot be used, which is logged; what the clock did to the offset
/// since is written down (`ClockSettings::settle`; best effort).
fn open_clock(vault: &Vault) -> ClockSettings {
    let mut clock = ClockSettings::load(vault).unwrap_or_else(|problem| {
        eprintln!("ringlet: {problem}");
        ClockSettings::default()
    });
    if clock.settle(ringlet_core::otp::now_ms()) {
        let _ = clock.save(vault);
    }
    clock
}

/// A clock that keeps running while the computer sleeps, so that waking after an hour
/// counts an hour of idle time. `Instant` stops during suspend on Linux (CLOCK_MONOTONIC)
/// and macOS; CLOCK_BOOTTIME (`core::clock::anchor::since_boot`) does not. Elsewhere (or if
/// the call fails), `Instant` since the first read, and locking on suspend covers the sleep.
pub fn awake_clock() -> Duration {
    if let Some(since_boot) = ringlet_core::clock::anchor::since_boot() {
        return since_boot;
    }
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed()
}

impl AppState {
    pub fn new(vault_dir: PathBuf) -> Self {
        let state = AppState {
            vault_dir,
            session: Mutex::new(None),
            settings: Mutex::new(Settings::default()),
            last_activity: Mutex::new(awake_clock()),
            damage_seen: std::sync::atomic::AtomicBool::new(false),
            pace: Mutex::new(PasswordPace::default()),
            opened_files: Mutex::new(Vec::new()),
        };
        // Until a vault is open its settings cannot be verified: the defaults (the
        // strictest) are in force.
        state
    }

    /// Puts the settings of `vault` (just opened) in force, verified under its key. A file
    /// that is not this vault's, or is broken, must not keep anyone from their codes: the
    /// defaults apply, and the problem is returned for the person to see.
    pub fn load_settings(&self, vault: &Vault) -> Option<SettingsError> {
        let (settings, problem) = match Settings::load_sealed(&self.vault_dir, vault) {
            Ok(settings) => (settings, None),
            Err(problem) => (Settings::default(), Some(problem)),
        };
        self.set_settings(settings);
        problem
    }

    /// The settings in force from now on (already saved).
    pub fn set_settings(&self, settings: Settings) {
        *lock_or_recover(&self.settings) = settings;
    }

    pub fn settings(&self) -> Settings {
        lock_or_recover(&self.settings).clone()
    }

    /// How long a copied code (or recovery code) stays on the clipboard; `None`: until
    /// something else replaces it.
    pub fn clipboard_clear_after(&self) -> Option<Duration> {
        self.settings()
            .clipboard_clear_seconds
            .map(|seconds| Duration::from_secs(u64::from(seconds)))
    }

    /// Records that the person did something (not the list refreshing itself).
    pub fn touch(&self) {
        *lock_or_recover(&self.last_activity) = awake_clock();
    }

    /// Time since the person last did something, time asleep included.
    pub fn idle_for(&self) -> Duration {
        awake_clock().saturating_sub(*lock_or_recover(&self.last_activity))
    }

    /// Tests only: as if the person had last done something `idle` ago.
    #[cfg(test)]
    pub fn pretend_idle_for(&self, idle: Duration) {
        *lock_or_recover(&self.last_activity) = awake_clock().saturating_sub(idle);
    }

    pub fn is_unlocked(&self) -> bool {
        self.slot().is_some()
    }

    /// Keeps files a launch asked to import until the vault is unlocked.
    pub fn keep_opened_files(&self, files: Vec<PathBuf>) {
        lock_or_recover(&self.opened_files).extend(files);
    }

    /// The files kept by [`keep_opened_files`](Self::keep_opened_files), handed over once.
    pub fn take_opened_files(&self) -> Vec<PathBuf> {
        std::mem::take(&mut *lock_or_recover(&self.opened_files))
    }

    /// Runs `check`, a command's whole password check, one at a time and paced: it first
    /// waits out what the wrong passwords before it earned (`ringlet_core::pace`), and a
    /// wrong password it finds counts for the next. Called before any other lock is taken,
    /// so the wait never holds the session.
    pub fn password_check<T>(
        &self,
        check: impl FnOnce() -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut pace = lock_or_recover(&self.pace);
        let wait = pace.wait(Instant::now());
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
        let result = check();
        match &result {
            Ok(_) => pace.passed(),
            Err(error) if error.is_wrong_password() => pace.failed(Instant::now()),
            Err(_) => {}
        }
        result
    }

    /// Wrong passwords in a row, across every password check.
    pub fn wrong_passwords(&self) -> u32 {
        lock_or_recover(&self.pace).failures()
    }

    /// Records that an unlock found the vault damaged.
    pub fn saw_damage(&self) {
        self.damage_seen
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// True once an unlock in this process found the vault damaged.
    pub fn damage_seen(&self) -> bool {
        self.damage_seen.load(std::sync::atomic::Ordering::SeqCst)
    }

    pub fn vault_dir(&self) -> &PathBuf {
        &self.vault_dir
    }

    /// The session slot.
    pub fn slot(&self) -> MutexGuard<'_, Option<Session>> {
        lock_or_recover(&self.session)
    }

    /// Runs `f` with the unlocked session, or fails with [`AppError::Locked`].
    pub fn with_session<T>(
        &self,
        f: impl FnOnce(&mut Session) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut slot = self.slot();
        let session = slot.as_mut().ok_or(AppError::Locked)?;
        f(session)
    }
}

/// A panic in one command must not lock the person out: a poisoned lock is taken over.
pub(crate) fn lock_or_recover<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
