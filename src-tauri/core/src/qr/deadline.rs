//! The time one image's search may take.
//!
//! Each step is bounded on its own (finder-like places counted before any search, rxing on
//! a thread given up after a while), but a hostile image can still string many slow steps
//! together, or make rqrr's grouping of candidate finders run for seconds (a noisy JPEG
//! doubled in size). One deadline for the whole search bounds the sum: what was found
//! before it is kept, nothing is searched after it.

use std::cell::Cell;
use std::time::{Duration, Instant};

/// How long the search of one image may take; every step after it is skipped. The slowest
/// image of the QR corpus (a 4K screenshot, release build) takes under a second; the
/// budget is wall time, so it leaves room for a machine busy with other work (3 s was
/// exceeded by corpus images in the test suite run beside two fuzzers on two cores).
pub(super) const SEARCH_BUDGET: Duration = Duration::from_secs(6);

#[derive(Clone, Copy, Debug)]
pub(super) struct Deadline {
    end: Instant,
    /// What the steps' own time limits are multiplied by (see [`Deadline::at_most`]): 1,
    /// except in tests that stretch every limit (`qr::decode_with_stretched_limits`).
    stretch: u32,
}

impl Deadline {
    pub fn after(budget: Duration) -> Deadline {
        Deadline::stretched(budget, 1)
    }

    /// `budget` times `stretch` from now, and each step's limit `stretch` times its own.
    pub fn stretched(budget: Duration, stretch: u32) -> Deadline {
        let stretch = stretch.max(1);
        let now = Instant::now();
        let end = now
            .checked_add(budget.saturating_mul(stretch))
            .unwrap_or(now + budget);
        Deadline { end, stretch }
    }

    pub fn passed(&self) -> bool {
        Instant::now() >= self.end
    }

    /// A step's own time `limit` (stretched with the deadline), or the time left if that
    /// is shorter.
    pub fn at_most(&self, limit: Duration) -> Duration {
        limit
            .saturating_mul(self.stretch)
            .min(self.end.saturating_duration_since(Instant::now()))
    }
}

/// A [`Deadline`] checked from a hot loop: the clock is read once every
/// [`Clock::READS_PER_CHECK`] calls, and once passed it stays passed.
#[derive(Debug)]
pub(super) struct Clock {
    deadline: Deadline,
    until_check: Cell<u32>,
    passed: Cell<bool>,
}

impl Clock {
    /// About 0.1–1 ms of rqrr's pixel reads: reading the clock costs ~20 ns.
    const READS_PER_CHECK: u32 = 1 << 14;

    pub fn new(deadline: Deadline) -> Clock {
        Clock {
            deadline,
            until_check: Cell::new(0),
            passed: Cell::new(deadline.passed()),
        }
    }

    /// Whether the deadline has passed, as of the last check.
    pub fn passed(&self) -> bool {
        if self.passed.get() {
            return true;
        }
        let left = self.until_check.get();
        if left > 0 {
            self.until_check.set(left - 1);
            return false;
        }
        self.until_check.set(Self::READS_PER_CHECK);
        let passed = self.deadline.passed();
        self.passed.set(passed);
        passed
    }

    /// Whether the deadline has passed, reading the clock now.
    pub fn passed_now(&self) -> bool {
        self.until_check.set(0);
        self.passed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_in_the_past_has_passed_and_leaves_no_time() {
        let gone = Deadline::after(Duration::ZERO);
        assert!(gone.passed());
        assert_eq!(gone.at_most(Duration::from_secs(2)), Duration::ZERO);
        assert!(Clock::new(gone).passed());
    }

    #[test]
    fn a_deadline_ahead_gives_at_most_the_limit() {
        let ahead = Deadline::after(Duration::from_secs(60));
        assert!(!ahead.passed());
        assert_eq!(
            ahead.at_most(Duration::from_millis(500)),
            Duration::from_millis(500)
        );
        assert!(ahead.at_most(Duration::from_secs(120)) <= Duration::from_secs(60));
        let clock = Clock::new(ahead);
        assert!((0..3 * Clock::READS_PER_CHECK).all(|_| !clock.passed()));
    }

    #[test]
    fn a_stretched_deadline_stretches_the_steps_limits_too() {
        let normal = Deadline::after(Duration::from_secs(6));
        let stretched = Deadline::stretched(Duration::from_secs(6), 10);
        assert!(stretched.end >= normal.end + Duration::from_secs(50));
        assert_eq!(
            normal.at_most(Duration::from_millis(500)),
            Duration::from_millis(500)
        );
        assert_eq!(
            stretched.at_most(Duration::from_millis(500)),
            Duration::from_secs(5)
        );
        // Still never past the deadline itself.
        assert!(stretched.at_most(Duration::from_secs(10)) <= Duration::from_secs(60));
        assert!(Deadline::stretched(Duration::ZERO, 10).passed());
    }

    #[test]
    fn a_clock_notices_its_deadline_within_one_check_and_stays_passed() {
        // Half a second: a loaded machine may pause this thread between the two lines
        // below for longer than a few milliseconds.
        let clock = Clock::new(Deadline::after(Duration::from_millis(500)));
        assert!(!clock.passed_now());
        std::thread::sleep(Duration::from_millis(600));
        let reads = (0..=Clock::READS_PER_CHECK + 1)
            .position(|_| clock.passed())
            .map(|n| n as u32);
        assert!(matches!(reads, Some(n) if n <= Clock::READS_PER_CHECK + 1));
        assert!(clock.passed());
    }
}
