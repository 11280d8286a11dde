//! The vault's symmetric cryptography, all from `ring`: AES-256-GCM with a fresh random
//! 96-bit nonce per seal, HKDF-SHA256 to derive sub-keys from the data key, HMAC-SHA256
//! for the header and SHA-256 for the header's checksum.
//!
//! Keys live in [`Key`]s (their own locked page, wiped in place); a `ring` key object is
//! built for one operation and dropped right after.

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};
use ring::{digest, hkdf, hmac};
use zeroize::Zeroizing;

use super::error::VaultError;

pub(crate) use super::key::{Key, KEY_LEN};
/// Length of an AES-GCM tag.
pub(crate) const TAG_LEN: usize = 16;
/// Bytes a sealed box adds to its plaintext: nonce and tag.
pub(crate) const SEAL_OVERHEAD: usize = NONCE_LEN + TAG_LEN;
/// Length of an HMAC-SHA256 tag and of a SHA-256 digest.
pub(crate) const MAC_LEN: usize = 32;

/// Fills `buf` from the operating system's random number generator.
pub(crate) fn random_fill(buf: &mut [u8]) -> Result<(), VaultError> {
    SystemRandom::new()
        .fill(buf)
        .map_err(|_| VaultError::Internal("the system random number generator failed"))
}

pub(crate) fn random_key() -> Result<Key, VaultError> {
    let mut key = Key::zeroed();
    random_fill(key.as_mut())?;
    Ok(key)
}

fn aead_key(key: &[u8; KEY_LEN]) -> LessSafeKey {
    // AES_256_GCM takes exactly KEY_LEN bytes, so this cannot fail.
    match UnboundKey::new(&AES_256_GCM, key) {
        Ok(unbound) => LessSafeKey::new(unbound),
        Err(_) => unreachable!("AES-256-GCM key of the right length was rejected"),
    }
}

/// Seals `plaintext` under `key`, binding `ad`. Output: nonce ‖ ciphertext ‖ tag.
pub(crate) fn seal(
    key: &[u8; KEY_LEN],
    ad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, VaultError> {
    let mut nonce = [0u8; NONCE_LEN];
    random_fill(&mut nonce)?;
    // Reserve everything up front so the buffer never reallocates while it holds plaintext.
    let mut out = Vec::with_capacity(NONCE_LEN + plaintext.len() + TAG_LEN);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(plaintext);
    let tag = aead_key(key)
        .seal_in_place_separate_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(ad),
            &mut out[NONCE_LEN..],
        )
        .map_err(|_| VaultError::Internal("encryption failed"))?;
    out.extend_from_slice(tag.as_ref());
    Ok(out)
}

/// Opens a box made by [`seal`]. `None` when it is too short or fails authentication
/// (wrong key, wrong associated data or altered bytes: AES-GCM cannot tell which).
pub(crate) fn open(key: &[u8; KEY_LEN], ad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if sealed.len() < SEAL_OVERHEAD {
        return None;
    }
    let (nonce, body) = sealed.split_at(NONCE_LEN);
    let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
    let mut buf = Zeroizing::new(body.to_vec());
    let len = aead_key(key)
        .open_in_place(nonce, Aad::from(ad), buf.as_mut_slice())
        .ok()?
        .len();
    buf.truncate(len);
    Some(buf)
}

struct Len(usize);

impl hkdf::KeyType for Len {
    fn len(&self) -> usize {
        self.0
    }
}

/// HKDF-SHA256 (RFC 5869) of `ikm` with `salt` and `info`, 32 bytes out.
pub(crate) fn derive_subkey(ikm: &[u8; KEY_LEN], salt: &[u8], info: &[u8]) -> Key {
    let mut out = Key::zeroed();
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, salt).extract(ikm);
    let info = [info];
    // 32 bytes is far below HKDF-SHA256's limit of 255 * 32, so neither call can fail.
    match prk
        .expand(&info, Len(KEY_LEN))
        .and_then(|okm| okm.fill(out.as_mut()))
    {
        Ok(()) => out,
        Err(_) => unreachable!("HKDF-SHA256 refused a 32-byte output"),
    }
}

pub(crate) fn hmac_sign(key: &[u8; KEY_LEN], data: &[u8]) -> [u8; MAC_LEN] {
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data);
    let mut out = [0u8; MAC_LEN];
    out.copy_from_slice(tag.as_ref());
    out
}

/// Constant-time check of an HMAC-SHA256 tag.
pub(crate) fn hmac_verify(key: &[u8; KEY_LEN], data: &[u8], tag: &[u8]) -> bool {
    hmac::verify(&hmac::Key::new(hmac::HMAC_SHA256, key), data, tag).is_ok()
}

pub(crate) fn sha256(data: &[u8]) -> [u8; MAC_LEN] {
    let mut out = [0u8; MAC_LEN];
    out.copy_from_slice(digest::digest(&digest::SHA256, data).as_ref());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_round_trip_and_binding() {
        let key = [7u8; KEY_LEN];
        let sealed = seal(&key, b"ad", b"hello").unwrap();
        assert_eq!(sealed.len(), 5 + SEAL_OVERHEAD);
        assert_eq!(open(&key, b"ad", &sealed).unwrap().as_slice(), b"hello");
        assert!(open(&key, b"other", &sealed).is_none());
        assert!(open(&[8u8; KEY_LEN], b"ad", &sealed).is_none());
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            assert!(open(&key, b"ad", &bad).is_none(), "flip at {i} accepted");
        }
        assert!(open(&key, b"ad", &sealed[..SEAL_OVERHEAD - 1]).is_none());
    }

    #[test]
    fn nonces_are_fresh() {
        let key = [1u8; KEY_LEN];
        let a = seal(&key, b"", b"same").unwrap();
        let b = seal(&key, b"", b"same").unwrap();
        assert_ne!(a[..NONCE_LEN], b[..NONCE_LEN]);
    }

    #[test]
    fn subkeys_differ_by_info() {
        let ikm = [3u8; KEY_LEN];
        assert_ne!(
            *derive_subkey(&ikm, b"s", b"a"),
            *derive_subkey(&ikm, b"s", b"b")
        );
    }
}
