//! Where this computer's clock stood against the time since boot when an offset was set, so
//! that the offset follows the clock when someone sets the clock.
//!
//! The clock less the time since boot (Linux: `CLOCK_REALTIME − CLOCK_BOOTTIME`) is the
//! same all through one boot, sleep included, until the clock is *set*: then it moves by
//! exactly what the clock was moved by. So an offset of +2 min 13 s set before the person
//! put their clock right by +2 min 13 s is, after, 0: no code is corrected twice. The slow
//! slewing of an NTP daemon is not seen this way (it changes the rate of both clocks); the
//! app's next check with the time server catches that. Across a reboot nothing is known (a
//! new boot id), and an offset applies as it was set.
//!
//! Elsewhere than Linux there is no anchor: an offset applies as it was set.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The longest boot id read or kept (Linux's is a 36-character UUID).
const MAX_BOOT_ID_LEN: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Anchor {
    /// The boot it was taken in.
    pub boot: String,
    /// This computer's clock less the time since boot, in milliseconds.
    pub clock_less_uptime_ms: i64,
}

impl Anchor {
    /// The anchor now, `now_ms` being this computer's clock just read; `None` where the time
    /// since boot or the boot's id cannot be read.
    pub fn read(now_ms: u64) -> Option<Anchor> {
        let uptime = since_boot()?;
        let boot = boot_id()?;
        Some(Anchor::at(boot, now_ms, uptime))
    }

    /// The anchor of boot `boot` when the clock read `now_ms` and the time since boot was `uptime`.
    pub fn at(boot: String, now_ms: u64, uptime: Duration) -> Anchor {
        let now = i64::try_from(now_ms).unwrap_or(i64::MAX);
        let up = i64::try_from(uptime.as_millis()).unwrap_or(i64::MAX);
        Anchor {
            boot,
            clock_less_uptime_ms: now.saturating_sub(up),
        }
    }

    /// How far the clock was set (forward: positive) between `self` and `now`, in
    /// milliseconds; `None` when they are not of the same boot.
    pub fn clock_moved_ms(&self, now: &Anchor) -> Option<i64> {
        (self.boot == now.boot && !self.boot.is_empty()).then(|| {
            now.clock_less_uptime_ms
                .saturating_sub(self.clock_less_uptime_ms)
        })
    }

    /// A boot id as Ringlet writes it: not empty, not absurdly long.
    pub(crate) fn is_plausible(&self) -> bool {
        !self.boot.is_empty() && self.boot.len() <= MAX_BOOT_ID_LEN
    }
}

/// The time since boot, sleep included (Linux's `CLOCK_BOOTTIME`); `None` elsewhere or if the
/// call fails. The app's idle time counts on it too, so that a night asleep counts.
pub fn since_boot() -> Option<Duration> {
    #[cfg(target_os = "linux")]
    {
        let mut now = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `now` is a valid, writable timespec; the call only writes into it.
        if unsafe { libc::clock_gettime(libc::CLOCK_BOOTTIME, &mut now) } == 0 {
            if let (Ok(secs), Ok(nanos)) = (u64::try_from(now.tv_sec), u32::try_from(now.tv_nsec)) {
                return Some(Duration::new(secs, nanos));
            }
        }
        None
    }
    #[cfg(not(target_os = "linux"))]
    None
}

/// This boot's id (Linux: a random UUID the kernel makes at each boot).
fn boot_id() -> Option<String> {
    #[cfg(target_os = "linux")]
    {
        let text = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
        let id = text.trim();
        (!id.is_empty() && id.len() <= MAX_BOOT_ID_LEN).then(|| id.to_owned())
    }
    #[cfg(not(target_os = "linux"))]
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_set_forward_moves_the_anchor_by_as_much() {
        let then = Anchor::at("boot-a".into(), 1_000_000, Duration::from_secs(100));
        // 60 s later by the time since boot; the clock was set forward 133 s meanwhile.
        let now = Anchor::at(
            "boot-a".into(),
            1_000_000 + 60_000 + 133_000,
            Duration::from_secs(160),
        );
        assert_eq!(then.clock_moved_ms(&now), Some(133_000));
        let untouched = Anchor::at("boot-a".into(), 1_060_000, Duration::from_secs(160));
        assert_eq!(then.clock_moved_ms(&untouched), Some(0));
    }

    #[test]
    fn another_boot_says_nothing() {
        let then = Anchor::at("boot-a".into(), 1_000_000, Duration::from_secs(100));
        let now = Anchor::at("boot-b".into(), 1_000_000, Duration::from_secs(5));
        assert_eq!(then.clock_moved_ms(&now), None);
        let blank = Anchor::at(String::new(), 1, Duration::ZERO);
        assert_eq!(blank.clock_moved_ms(&blank), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn this_boot_reads_and_stays_put_between_two_reads() {
        let first = Anchor::read(crate::otp::now_ms());
        let second = Anchor::read(crate::otp::now_ms());
        let (Some(first), Some(second)) = (first, second) else {
            panic!("Linux has CLOCK_BOOTTIME and a boot id");
        };
        assert!(first.is_plausible());
        let moved = first.clock_moved_ms(&second);
        assert!(moved.is_some_and(|ms| ms.abs() <= 5), "{moved:?}");
    }
}
