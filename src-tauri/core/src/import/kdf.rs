//! Key derivation for other apps' encrypted files, with the one set of caps every importer
//! goes through: a file names its own KDF cost, so a hostile one could ask for an hour of
//! CPU or gigabytes of memory. Every parameter is checked here, before any work is done,
//! and a file over a cap is refused with [`ImportError::KdfOverLimit`] naming the limit.
//!
//! The caps sit far above what the apps themselves use (Aegis: scrypt N = 2^15, r = 8,
//! p = 1; 2FAS: PBKDF2 10 000; FreeOTP: PBKDF2-SHA512 100 000; andOTP: PBKDF2 ≈ 150 000; Bitwarden: PBKDF2 600 000 or
//! Argon2id 64 MiB × 3; Ente: Argon2id up to 1 GiB × 4) and below what would hang the app.
//!
//! Every derived key is returned in a [`Zeroizing`] buffer.
//!
//! Fuzz builds (`cfg(fuzzing)`) check every parameter and cap as above, then derive with
//! one SHA-256 instead of the real function: the fuzzer's time goes to the parsers, not to
//! key stretching.

use std::num::NonZeroU32;

use zeroize::Zeroizing;

use super::ImportError;

/// Largest scrypt cost N: 2^20 (1 GiB of memory at r = 8); Aegis writes 2^15.
pub const MAX_SCRYPT_LOG_N: u8 = 20;
/// Largest scrypt r·p: work grows with N·r·p and memory with N·r; 64 allows r = 8, p = 8.
pub const MAX_SCRYPT_R_TIMES_P: u64 = 64;
/// Largest scrypt memory (128·N·r bytes), the same bound as Argon2's: 1 GiB.
pub const MAX_SCRYPT_MEMORY_BYTES: u64 = 1 << 30;
/// Most PBKDF2 iterations: 10 million, several seconds; apps write 10 000 to 600 000.
pub const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;
/// Most Argon2 memory, in KiB: 1 GiB, Ente's own largest setting.
pub const MAX_ARGON2_MEMORY_KIB: u32 = 1024 * 1024;
/// Most Argon2 passes: 16; apps write 2 to 4.
pub const MAX_ARGON2_PASSES: u32 = 16;
/// Most Argon2 lanes: 16; apps write 1 to 4, and lanes multiply the threads' memory blocks.
pub const MAX_ARGON2_LANES: u32 = 16;

/// The length of every key the importers derive: AES-256 and the like.
pub const KEY_LEN: usize = 32;

/// A derived 256-bit key, wiped when dropped.
pub type Key = Zeroizing<[u8; KEY_LEN]>;

fn over(limit: String) -> ImportError {
    ImportError::KdfOverLimit { limit }
}

/// The hash inside PBKDF2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pbkdf2Hash {
    Sha1,
    Sha256,
    /// FreeOTP's backups.
    Sha512,
}

/// PBKDF2-HMAC with `iterations` (1 to [`MAX_PBKDF2_ITERATIONS`]).
pub fn pbkdf2(
    hash: Pbkdf2Hash,
    password: &[u8],
    salt: &[u8],
    iterations: u64,
) -> Result<Key, ImportError> {
    if iterations > u64::from(MAX_PBKDF2_ITERATIONS) {
        return Err(over(format!(
            "PBKDF2 with {iterations} iterations, over the limit of {MAX_PBKDF2_ITERATIONS}"
        )));
    }
    let iterations = u32::try_from(iterations)
        .ok()
        .and_then(NonZeroU32::new)
        .ok_or_else(|| over("PBKDF2 with 0 iterations".to_string()))?;
    let algorithm = match hash {
        Pbkdf2Hash::Sha1 => ring::pbkdf2::PBKDF2_HMAC_SHA1,
        Pbkdf2Hash::Sha256 => ring::pbkdf2::PBKDF2_HMAC_SHA256,
        Pbkdf2Hash::Sha512 => ring::pbkdf2::PBKDF2_HMAC_SHA512,
    };
    if cfg!(fuzzing) {
        return Ok(cheap_key(password, salt));
    }
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    ring::pbkdf2::derive(algorithm, iterations, salt, password, key.as_mut());
    Ok(key)
}

/// scrypt with cost `n` (a power of two, 2 to 2^[`MAX_SCRYPT_LOG_N`]), block size `r`
/// and parallelism `p`, checked against the caps first.
pub fn scrypt(password: &[u8], salt: &[u8], n: u64, r: u64, p: u64) -> Result<Key, ImportError> {
    if n < 2 || !n.is_power_of_two() {
        return Err(ImportError::KdfUnusable {
            reason: format!("scrypt's N must be a power of two above 1, and this file says {n}"),
        });
    }
    let log_n = n.trailing_zeros();
    if log_n > u32::from(MAX_SCRYPT_LOG_N) {
        return Err(over(format!(
            "scrypt N of 2^{log_n}, over the limit of 2^{MAX_SCRYPT_LOG_N}"
        )));
    }
    if r == 0 || p == 0 {
        return Err(ImportError::KdfUnusable {
            reason: "scrypt's r and p must be at least 1".to_string(),
        });
    }
    match r.checked_mul(p) {
        Some(product) if product <= MAX_SCRYPT_R_TIMES_P => {}
        _ => {
            return Err(over(format!(
                "scrypt r·p of {r}·{p}, over the limit of {MAX_SCRYPT_R_TIMES_P}"
            )))
        }
    }
    if 128u64.saturating_mul(n).saturating_mul(r) > MAX_SCRYPT_MEMORY_BYTES {
        return Err(over(format!(
            "scrypt memory of 128·N·r = 128·2^{log_n}·{r} bytes, over the limit of 1 GiB"
        )));
    }
    // All three fit: log_n ≤ 20 and r, p ≤ 64.
    let (Ok(log_n), Ok(r), Ok(p)) = (u8::try_from(log_n), u32::try_from(r), u32::try_from(p))
    else {
        return Err(over(format!("scrypt r = {r}, p = {p}")));
    };
    let params =
        scrypt::Params::new(log_n, r, p, KEY_LEN).map_err(|_| ImportError::KdfUnusable {
            reason: format!("scrypt refuses N = 2^{log_n}, r = {r}, p = {p}"),
        })?;
    if cfg!(fuzzing) {
        return Ok(cheap_key(password, salt));
    }
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    scrypt::scrypt(password, salt, &params, key.as_mut()).map_err(|_| {
        ImportError::KdfUnusable {
            reason: "scrypt could not derive a key of this length".to_string(),
        }
    })?;
    Ok(key)
}

/// Argon2id (version 1.3) with `memory_kib`, `passes` and `lanes` checked against the caps.
pub fn argon2id(
    password: &[u8],
    salt: &[u8],
    memory_kib: u64,
    passes: u64,
    lanes: u64,
) -> Result<Key, ImportError> {
    if memory_kib > u64::from(MAX_ARGON2_MEMORY_KIB) {
        return Err(over(format!(
            "Argon2 memory of {memory_kib} KiB, over the limit of 1 GiB ({MAX_ARGON2_MEMORY_KIB} KiB)"
        )));
    }
    if passes > u64::from(MAX_ARGON2_PASSES) {
        return Err(over(format!(
            "Argon2 with {passes} passes, over the limit of {MAX_ARGON2_PASSES}"
        )));
    }
    if lanes > u64::from(MAX_ARGON2_LANES) {
        return Err(over(format!(
            "Argon2 with {lanes} lanes, over the limit of {MAX_ARGON2_LANES}"
        )));
    }
    // Each fits a u32 now.
    let as_u32 = |value: u64| u32::try_from(value).unwrap_or(u32::MAX);
    let params = argon2::Params::new(
        as_u32(memory_kib),
        as_u32(passes),
        as_u32(lanes),
        Some(KEY_LEN),
    )
    .map_err(|error| ImportError::KdfUnusable {
        reason: format!("Argon2 refuses these parameters ({error})"),
    })?;
    if cfg!(fuzzing) {
        return Ok(cheap_key(password, salt));
    }
    let engine = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    engine
        .hash_password_into(password, salt, key.as_mut())
        .map_err(|error| ImportError::KdfUnusable {
            reason: format!("Argon2 could not derive the key ({error})"),
        })?;
    Ok(key)
}

/// Fuzz builds only: SHA-256(password ‖ salt) in place of the real derivation.
fn cheap_key(password: &[u8], salt: &[u8]) -> Key {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    context.update(password);
    context.update(salt);
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    for (out, byte) in key.iter_mut().zip(context.finish().as_ref()) {
        *out = *byte;
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused_for_its_limit(result: Result<Key, ImportError>, names: &str) {
        match result {
            Err(ImportError::KdfOverLimit { limit }) => {
                assert!(limit.contains(names), "{limit}");
            }
            Err(other) => panic!("expected KdfOverLimit naming {names}, got {other}"),
            Ok(_) => panic!("expected KdfOverLimit naming {names}, got a key"),
        }
    }

    #[test]
    fn costs_over_the_caps_are_refused_before_any_work() {
        // Each of these would take minutes or gigabytes if it ran: the test's speed is the proof.
        refused_for_its_limit(scrypt(b"pw", b"salt", 1 << 21, 8, 1), "2^20");
        refused_for_its_limit(scrypt(b"pw", b"salt", 1 << 14, 8, 9), "r·p");
        refused_for_its_limit(scrypt(b"pw", b"salt", 1 << 20, 64, 1), "1 GiB");
        refused_for_its_limit(
            pbkdf2(Pbkdf2Hash::Sha256, b"pw", b"salt", 10_000_001),
            "10000000",
        );
        refused_for_its_limit(argon2id(b"pw", b"saltsalt", 2 * 1024 * 1024, 3, 1), "1 GiB");
        refused_for_its_limit(argon2id(b"pw", b"saltsalt", 64, 17, 1), "16");
        refused_for_its_limit(argon2id(b"pw", b"saltsalt", 64, 1, 1000), "lanes");
        let error = over("scrypt N of 2^21, over the limit of 2^20".into()).to_string();
        assert!(error.contains("limit"), "{error}");
    }

    #[test]
    fn unusable_parameters_are_refused() {
        assert!(matches!(
            scrypt(b"pw", b"salt", 1000, 8, 1),
            Err(ImportError::KdfUnusable { .. })
        ));
        assert!(matches!(
            pbkdf2(Pbkdf2Hash::Sha1, b"pw", b"salt", 0),
            Err(ImportError::KdfOverLimit { .. })
        ));
        assert!(matches!(
            argon2id(b"pw", b"short", 64, 1, 1),
            Err(ImportError::KdfUnusable { .. })
        ));
    }

    #[test]
    fn derivations_match_published_vectors() {
        // RFC 7914 §12, first vector (first 32 bytes).
        let key = scrypt(b"", b"", 16, 1, 1).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            data_encoding::HEXLOWER.encode(key.as_ref()),
            "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
        );
        // RFC 6070, second vector (first 20 bytes of 32).
        let key =
            pbkdf2(Pbkdf2Hash::Sha1, b"password", b"salt", 2).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            data_encoding::HEXLOWER.encode(&key[..20]),
            "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"
        );
    }
}
