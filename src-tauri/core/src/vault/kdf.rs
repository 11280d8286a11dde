//! Password-based key derivation: Argon2id (RFC 9106, version 0x13) from RustCrypto `argon2`.

use std::io;
use std::time::{Duration, Instant};

use argon2::{Algorithm, Argon2, Params, Version};
use zeroize::Zeroizing;

use super::crypto::{Key, KEY_LEN};
use super::error::VaultError;

/// Argon2id cost parameters, stored in each password slot of the vault header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KdfParams {
    /// Memory in KiB (1024 bytes).
    pub memory_kib: u32,
    /// Number of passes over the memory (Argon2's `t`).
    pub iterations: u32,
    /// Lanes (Argon2's `p`). Ringlet computes them one after another, so 1 is best.
    pub parallelism: u32,
}

/// How long one derivation should take on the machine that creates the vault.
pub const CALIBRATION_TARGET: Duration = Duration::from_millis(500);
/// Calibration stops measuring once it has spent this long, whatever it found.
const CALIBRATION_BUDGET: Duration = Duration::from_millis(2500);
/// Above this many passes calibration doubles the memory instead (up to `MAX_CALIBRATED_MEMORY_KIB`).
const MAX_CALIBRATED_ITERATIONS: u32 = 12;
const MAX_CALIBRATED_MEMORY_KIB: u32 = 256 * 1024;

impl KdfParams {
    /// The weakest parameters `create` accepts: 64 MiB, 3 passes, 1 lane
    /// (the second recommended option of RFC 9106 §4).
    pub const POLICY_MINIMUM: KdfParams = KdfParams {
        memory_kib: 64 * 1024,
        iterations: 3,
        parallelism: 1,
    };

    /// Upper bounds accepted when reading a header, so that a corrupted or hostile header
    /// cannot make `open` allocate without limit or run for hours.
    pub const MAXIMUM: KdfParams = KdfParams {
        memory_kib: 1024 * 1024,
        iterations: 16,
        parallelism: 16,
    };

    /// Tiny parameters (64 KiB, 1 pass) that derive a key in well under a millisecond.
    ///
    /// **Only for tests.** A vault made with these can be brute-forced at millions of
    /// passwords per second. Nothing in Ringlet's app or CLI may use them, and an unlock
    /// raises them to the policy like any weak parameters, unless a test build asked
    /// otherwise ([`keep_weak_kdf_for_tests`]).
    pub fn fast_for_tests() -> KdfParams {
        KdfParams {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
        }
    }

    /// Parameters for a new vault on this machine: starting from [`POLICY_MINIMUM`](Self::POLICY_MINIMUM),
    /// passes (and then memory, up to 256 MiB) are raised until one derivation takes about
    /// [`CALIBRATION_TARGET`] (0.5 s). Calibration itself takes about 1–2 s and never much
    /// more than 2.5 s; the result is never below the policy minimum.
    pub fn calibrated() -> KdfParams {
        Self::calibrated_timed().0
    }

    /// Like [`calibrated`](Self::calibrated), also returning the time one derivation took
    /// with the returned parameters (as last measured, or estimated when the budget ran out).
    pub fn calibrated_timed() -> (KdfParams, Duration) {
        let started = Instant::now();
        let mut params = Self::POLICY_MINIMUM;
        loop {
            let took = params.measure();
            if took >= CALIBRATION_TARGET.mul_f64(0.95) {
                return (params, took);
            }
            let next = params.scaled_for(took);
            if next == params {
                return (params, took);
            }
            // Estimate the next measurement; stop if it would blow the budget.
            let ratio = f64::from(next.memory_kib) * f64::from(next.iterations)
                / (f64::from(params.memory_kib) * f64::from(params.iterations));
            let estimate = took.mul_f64(ratio);
            if started.elapsed() + estimate > CALIBRATION_BUDGET {
                return (next, estimate);
            }
            params = next;
        }
    }

    /// Parameters expected to take about the target time, given that `self` took `took`.
    fn scaled_for(self, took: Duration) -> KdfParams {
        let took = took.max(Duration::from_micros(100)).as_secs_f64();
        // Cost is about proportional to memory × passes.
        let mut memory = self.memory_kib;
        let per_pass = took / f64::from(self.iterations);
        let mut wanted = (CALIBRATION_TARGET.as_secs_f64() / per_pass).ceil();
        while wanted > f64::from(MAX_CALIBRATED_ITERATIONS) && memory < MAX_CALIBRATED_MEMORY_KIB {
            memory *= 2;
            wanted = (wanted / 2.0).ceil();
        }
        let iterations = wanted.clamp(
            f64::from(Self::POLICY_MINIMUM.iterations),
            f64::from(Self::MAXIMUM.iterations),
        ) as u32;
        KdfParams {
            memory_kib: memory,
            // Never go down from what was measured.
            iterations: iterations.max(self.iterations + u32::from(memory == self.memory_kib)),
            parallelism: self.parallelism,
        }
        .min(Self::MAXIMUM)
    }

    fn min(self, other: KdfParams) -> KdfParams {
        KdfParams {
            memory_kib: self.memory_kib.min(other.memory_kib),
            iterations: self.iterations.min(other.iterations),
            parallelism: self.parallelism.min(other.parallelism),
        }
    }

    /// Times one derivation with these parameters (dummy password and salt).
    pub fn measure(&self) -> Duration {
        let started = Instant::now();
        let _ = derive_key(self, b"calibration password", &[0u8; 16]);
        started.elapsed()
    }

    /// True when the parameters are at least [`POLICY_MINIMUM`](Self::POLICY_MINIMUM) in
    /// memory and passes.
    pub fn meets_policy(&self) -> bool {
        self.memory_kib >= Self::POLICY_MINIMUM.memory_kib
            && self.iterations >= Self::POLICY_MINIMUM.iterations
            && self.parallelism >= 1
    }

    /// Argon2 accepts them and they are within [`MAXIMUM`](Self::MAXIMUM).
    pub(crate) fn is_usable(&self) -> bool {
        self.memory_kib <= Self::MAXIMUM.memory_kib
            && self.iterations <= Self::MAXIMUM.iterations
            && self.parallelism <= Self::MAXIMUM.parallelism
            && self.argon2_params().is_some()
    }

    fn argon2_params(&self) -> Option<Params> {
        Params::new(
            self.memory_kib,
            self.iterations,
            self.parallelism,
            Some(KEY_LEN),
        )
        .ok()
    }

    pub(crate) fn invalid_input_error(&self) -> VaultError {
        VaultError::Io(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "unusable key-derivation parameters (memory {} KiB, {} passes, {} lanes)",
                self.memory_kib, self.iterations, self.parallelism
            ),
        ))
    }
}

/// Argon2id(password, salt) with `params`, 32 bytes out. `None` when the parameters are
/// unusable (callers check [`KdfParams::is_usable`] first) or the salt is too short.
pub(crate) fn derive_key(params: &KdfParams, password: &[u8], salt: &[u8]) -> Option<Key> {
    if !params.is_usable() {
        return None;
    }
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.argon2_params()?);
    let mut out = Key::zeroed();
    argon
        .hash_password_into(password, salt, out.as_mut())
        .ok()?;
    Some(out)
}

/// A password as key derivation takes it: its Unicode NFC form when it is UTF-8, so that
/// "é" typed as one character (most keyboards) or as "e" and a combining accent (some input
/// methods, macOS file names pasted) gives the same key. Other bytes are taken as given.
pub(crate) fn normalized(password: &[u8]) -> Zeroizing<Vec<u8>> {
    use unicode_normalization::UnicodeNormalization;
    match std::str::from_utf8(password) {
        Ok(text) => Zeroizing::new(text.nfc().collect::<String>().into_bytes()),
        Err(_) => Zeroizing::new(password.to_vec()),
    }
}

/// What [`unwrap_with_password`] found.
pub(crate) enum Unwrapped<T> {
    /// `unwrap` accepted the key of the password's NFC form, or (`as_typed`) of the bytes
    /// as given: a slot made before passwords were normalised, which should be made again.
    Opened {
        value: T,
        as_typed: bool,
    },
    WrongPassword,
    /// The parameters are unusable: the slot is damaged, not the password wrong.
    UnusableParams,
}

/// Derives the key of `password` with `params` and `salt` and hands it to `unwrap` (which
/// opens a wrapped key with it). The NFC form is tried first; when it fails and the bytes
/// as given differ, they are tried too, so vaults and backups made before normalisation
/// still open (at the cost of a second derivation for those passwords only).
pub(crate) fn unwrap_with_password<T>(
    params: &KdfParams,
    password: &[u8],
    salt: &[u8],
    unwrap: impl Fn(&Key) -> Option<T>,
) -> Unwrapped<T> {
    let nfc = normalized(password);
    let Some(kek) = derive_key(params, &nfc, salt) else {
        return Unwrapped::UnusableParams;
    };
    if let Some(value) = unwrap(&kek) {
        return Unwrapped::Opened {
            value,
            as_typed: false,
        };
    }
    if nfc.as_slice() != password {
        if let Some(value) = derive_key(params, password, salt).and_then(|kek| unwrap(&kek)) {
            return Unwrapped::Opened {
                value,
                as_typed: true,
            };
        }
    }
    Unwrapped::WrongPassword
}

/// Test builds only: vaults made with weak parameters (such as
/// [`KdfParams::fast_for_tests`]) keep them at unlock in this process, so that suites
/// opening vaults hundreds of times stay fast. Exists only with the `test-support`
/// feature, which the test builds turn on and no shipped binary has. A binary run by a
/// test (the CLI) gets the same from the environment variable [`KEEP_WEAK_KDF_ENV`].
#[cfg(feature = "test-support")]
pub fn keep_weak_kdf_for_tests() {
    test_support::KEEP_WEAK.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// See [`keep_weak_kdf_for_tests`]; read only by builds with the `test-support` feature.
pub const KEEP_WEAK_KDF_ENV: &str = "RINGLET_TEST_KEEP_WEAK_KDF";

/// True when a test build asked to keep weak parameters; always false in other builds.
pub(crate) fn weak_kdf_kept() -> bool {
    #[cfg(feature = "test-support")]
    {
        test_support::KEEP_WEAK.load(std::sync::atomic::Ordering::SeqCst)
            || std::env::var_os(KEEP_WEAK_KDF_ENV).is_some_and(|v| v == "1")
    }
    #[cfg(not(feature = "test-support"))]
    {
        false
    }
}

#[cfg(feature = "test-support")]
mod test_support {
    pub(super) static KEEP_WEAK: std::sync::atomic::AtomicBool =
        std::sync::atomic::AtomicBool::new(false);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivation_is_deterministic_and_salted() {
        let p = KdfParams::fast_for_tests();
        let a = derive_key(&p, b"pw", &[1u8; 16]).unwrap();
        let b = derive_key(&p, b"pw", &[1u8; 16]).unwrap();
        let c = derive_key(&p, b"pw", &[2u8; 16]).unwrap();
        assert_eq!(*a, *b);
        assert_ne!(*a, *c);
    }

    #[test]
    fn out_of_range_params_are_refused() {
        let too_big = KdfParams {
            memory_kib: u32::MAX,
            iterations: 3,
            parallelism: 1,
        };
        assert!(!too_big.is_usable());
        assert!(derive_key(&too_big, b"pw", &[0u8; 16]).is_none());
        let zero = KdfParams {
            memory_kib: 64,
            iterations: 0,
            parallelism: 1,
        };
        assert!(!zero.is_usable());
        assert!(KdfParams::POLICY_MINIMUM.is_usable());
        assert!(KdfParams::fast_for_tests().is_usable());
        assert!(!KdfParams::fast_for_tests().meets_policy());
    }

    #[test]
    fn scaling_raises_cost_until_target() {
        let min = KdfParams::POLICY_MINIMUM;
        // 30 ms for 3 passes: 10 ms a pass → 50 passes wanted → memory doubled to the
        // calibration cap (256 MiB), passes halved each time.
        let next = min.scaled_for(Duration::from_millis(30));
        assert_eq!(next.memory_kib, MAX_CALIBRATED_MEMORY_KIB);
        assert_eq!(next.iterations, 13);
        // 150 ms for 3 passes: 50 ms a pass → 10 passes at 64 MiB.
        let next = min.scaled_for(Duration::from_millis(150));
        assert_eq!((next.memory_kib, next.iterations), (min.memory_kib, 10));
        // Slow already: keeps the policy minimum plus one pass at most.
        let slow = min.scaled_for(Duration::from_millis(450));
        assert_eq!(slow.memory_kib, min.memory_kib);
        assert_eq!(slow.iterations, 4);
    }
}
