//! Pacing of password attempts: after a few wrong passwords in a row, each further attempt
//! waits, twice as long each time up to a ceiling, so that a window left unlocked (or a
//! locked one) cannot be used to try passwords quickly. Argon2id already makes one attempt
//! cost about half a second; this multiplies that for anyone guessing, and costs a person
//! who mistyped nothing. The app keeps one pace for every password check it makes (unlock,
//! reveal, change, quick unlock, backups) and runs them one at a time.

use std::time::{Duration, Instant};

/// Wrong passwords in a row that cost no wait.
pub const FREE_ATTEMPTS: u32 = 3;
/// The longest wait before an attempt.
pub const MAX_WAIT: Duration = Duration::from_secs(30);

/// The wrong passwords given in a row, and when the last one was.
#[derive(Debug, Default, Clone)]
pub struct PasswordPace {
    failures: u32,
    last_failure: Option<Instant>,
}

impl PasswordPace {
    /// How long the next attempt must wait at `now`: nothing for the first
    /// [`FREE_ATTEMPTS`] wrong passwords, then 1 s, 2 s, 4 s … up to [`MAX_WAIT`], less the
    /// time already passed since the last wrong one.
    pub fn wait(&self, now: Instant) -> Duration {
        let Some(last) = self.last_failure else {
            return Duration::ZERO;
        };
        let Some(over) = self.failures.checked_sub(FREE_ATTEMPTS) else {
            return Duration::ZERO;
        };
        let full = Duration::from_secs(1u64 << over.min(16)).min(MAX_WAIT);
        full.saturating_sub(now.saturating_duration_since(last))
    }

    /// A wrong password at `now`.
    pub fn failed(&mut self, now: Instant) {
        self.failures = self.failures.saturating_add(1);
        self.last_failure = Some(now);
    }

    /// The right password: the count starts again.
    pub fn passed(&mut self) {
        *self = PasswordPace::default();
    }

    /// Wrong passwords in a row so far.
    pub fn failures(&self) -> u32 {
        self.failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_after_the_free_attempts_up_to_the_ceiling() {
        let start = Instant::now();
        let mut pace = PasswordPace::default();
        let mut waits = Vec::new();
        for _ in 0..12 {
            waits.push(pace.wait(start).as_secs());
            pace.failed(start);
        }
        // Three wrong passwords cost nothing; the fourth attempt waits 1 s, then 2 s, …
        assert_eq!(waits, [0, 0, 0, 1, 2, 4, 8, 16, 30, 30, 30, 30]);
        // Time already waited counts.
        assert_eq!(
            pace.wait(start + Duration::from_secs(20)),
            Duration::from_secs(10)
        );
        assert_eq!(pace.wait(start + Duration::from_secs(60)), Duration::ZERO);
        pace.passed();
        assert_eq!(pace.failures(), 0);
        assert_eq!(pace.wait(start), Duration::ZERO);
    }
}
