//! Revisions: which change wrote a record, ordered so that two copies of a vault can be
//! merged per record (the sync issue). A revision is a hybrid logical clock (wall-clock
//! milliseconds, then a counter that breaks ties and survives a clock set back) and the
//! id of the device that made the change.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The id of one copy of a vault (one vault folder): 16 random bytes, shown as hex.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct DeviceId(pub [u8; 16]);

impl fmt::Display for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&data_encoding::HEXLOWER.encode(&self.0))
    }
}

impl fmt::Debug for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceId({self})")
    }
}

impl Serialize for DeviceId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DeviceId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        data_encoding::HEXLOWER_PERMISSIVE
            .decode(text.as_bytes())
            .ok()
            .and_then(|bytes| <[u8; 16]>::try_from(bytes).ok())
            .map(DeviceId)
            .ok_or_else(|| serde::de::Error::custom("not a device id: expected 32 hex digits"))
    }
}

/// A hybrid logical clock reading. Ordered by wall time, then counter.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Hlc {
    /// Unix milliseconds: the wall clock, or a later reading already seen.
    pub wall_ms: u64,
    /// Changes made within the same `wall_ms`.
    pub counter: u32,
}

impl Hlc {
    /// The reading for a new change: later than `self` (the latest reading this vault has
    /// issued or seen) and, unless the clock went back, at the wall clock `now_ms`.
    pub fn tick(self, now_ms: u64) -> Hlc {
        if now_ms > self.wall_ms {
            Hlc {
                wall_ms: now_ms,
                counter: 0,
            }
        } else {
            match self.counter.checked_add(1) {
                Some(counter) => Hlc {
                    wall_ms: self.wall_ms,
                    counter,
                },
                None => Hlc {
                    wall_ms: self.wall_ms.saturating_add(1),
                    counter: 0,
                },
            }
        }
    }
}

/// Which change wrote a record: when (the clock) and where (the device). Totally ordered:
/// of two revisions of one record, the greater one wins a merge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Revision {
    pub clock: Hlc,
    pub device: DeviceId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_follows_the_wall_clock_and_never_goes_back() {
        let start = Hlc {
            wall_ms: 1_000,
            counter: 3,
        };
        assert_eq!(
            start.tick(2_000),
            Hlc {
                wall_ms: 2_000,
                counter: 0
            }
        );
        // The same millisecond, or a clock set back: the counter moves on.
        assert_eq!(
            start.tick(1_000),
            Hlc {
                wall_ms: 1_000,
                counter: 4
            }
        );
        assert_eq!(start.tick(10), start.tick(1_000));
        let full = Hlc {
            wall_ms: 5,
            counter: u32::MAX,
        };
        assert!(full.tick(0) > full);
    }

    #[test]
    fn revisions_order_by_clock_then_device() {
        let a = Revision {
            clock: Hlc {
                wall_ms: 1,
                counter: 0,
            },
            device: DeviceId([9; 16]),
        };
        let b = Revision {
            clock: Hlc {
                wall_ms: 1,
                counter: 1,
            },
            device: DeviceId([0; 16]),
        };
        assert!(b > a);
        let c = Revision {
            device: DeviceId([10; 16]),
            ..a
        };
        assert!(c > a);
        let text = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<Revision>(&text).unwrap(), a);
        assert!(text.contains(&"09".repeat(16)), "{text}");
    }
}
