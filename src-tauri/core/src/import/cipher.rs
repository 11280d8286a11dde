//! The ciphers other apps' encrypted files use, opened into [`Zeroizing`] buffers: AES-GCM
//! (Aegis, 2FAS, andOTP, Authenticator Pro, Proton) through ring, AES-256-CBC with PKCS#7
//! (Authenticator Pro's legacy backups, Bitwarden, Authy) through RustCrypto's `cbc`,
//! Bitwarden's encrypt-then-MAC check, and libsodium's XChaCha20-Poly1305 secretstream
//! (Ente Auth) from RustCrypto's ChaCha20 and Poly1305. A failed open is `None`: with a good file, that
//! means a wrong password; each importer says which.

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, KeyIvInit};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use zeroize::Zeroizing;

use super::kdf::KEY_LEN;

/// The AES-GCM tag every one of these formats appends: 16 bytes.
pub const GCM_TAG_LEN: usize = 16;
/// AES's block, and so CBC's IV: 16 bytes.
pub const AES_BLOCK_LEN: usize = 16;

/// AES-256-GCM with a 96-bit nonce: `sealed` is the ciphertext followed by its tag.
pub fn aes_gcm_open(
    key: &[u8; KEY_LEN],
    nonce: &[u8],
    sealed: &[u8],
    aad: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
    if sealed.len() < GCM_TAG_LEN {
        return None;
    }
    let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key).ok()?);
    let mut buffer = Zeroizing::new(sealed.to_vec());
    let plain_len = key
        .open_in_place(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(aad),
            &mut buffer,
        )
        .ok()?
        .len();
    buffer.truncate(plain_len);
    Some(buffer)
}

/// AES-256-GCM sealing, as the open above reads it back: the ciphertext followed by its
/// 16-byte tag, no associated data. What the exporters write other apps' files with; the
/// caller gives a fresh random nonce each time. `None` only if ring refuses the key.
pub fn aes_gcm_seal(key: &[u8; KEY_LEN], nonce: &[u8; NONCE_LEN], plain: &[u8]) -> Option<Vec<u8>> {
    let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key).ok()?);
    let mut buffer = Vec::with_capacity(plain.len() + GCM_TAG_LEN);
    buffer.extend_from_slice(plain);
    key.seal_in_place_append_tag(
        Nonce::assume_unique_for_key(*nonce),
        Aad::empty(),
        &mut buffer,
    )
    .ok()?;
    Some(buffer)
}

/// AES-256-CBC with PKCS#7 padding. Unauthenticated: callers check a MAC first, or
/// treat what comes out as untrusted (Authenticator Pro's legacy format has no MAC).
pub fn aes_cbc_open(
    key: &[u8; KEY_LEN],
    iv: &[u8],
    ciphertext: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    let iv: [u8; AES_BLOCK_LEN] = iv.try_into().ok()?;
    if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(AES_BLOCK_LEN) {
        return None;
    }
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    let plain_len = cbc::Decryptor::<aes::Aes256>::new(key.into(), &iv.into())
        .decrypt_padded_mut::<Pkcs7>(&mut buffer)
        .ok()?
        .len();
    buffer.truncate(plain_len);
    Some(buffer)
}

/// True when `mac` is HMAC-SHA256 under `mac_key` of `message`, compared in constant time.
pub fn hmac_sha256_matches(mac_key: &[u8], message: &[u8], mac: &[u8]) -> bool {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, mac_key);
    ring::hmac::verify(&key, message, mac).is_ok()
}

/// The first message of a libsodium `crypto_secretstream_xchacha20poly1305` stream (what
/// `crypto_secretstream_xchacha20poly1305_pull` returns, without associated data): its tag
/// byte and plaintext, or `None` when it does not authenticate. `header` is the stream's
/// 24-byte header; `sealed` the encrypted tag byte, the ciphertext and the 16-byte MAC.
/// Follows libsodium's `secretstream/xchacha20poly1305/secretstream_xchacha20poly1305.c`.
pub fn secretstream_open(
    key: &[u8; KEY_LEN],
    header: &[u8],
    sealed: &[u8],
) -> Option<(u8, Zeroizing<Vec<u8>>)> {
    use chacha20::cipher::{KeyIvInit as _, StreamCipher, StreamCipherSeek};
    use poly1305::universal_hash::KeyInit as _;

    const BLOCK: usize = 64;
    const MAC_LEN: usize = 16;
    let header: &[u8; 24] = header.try_into().ok()?;
    let (head, tail) = header.split_at(16);
    let mut subkey = Zeroizing::new([0u8; KEY_LEN]);
    let derived = chacha20::hchacha::<chacha20::cipher::consts::U10>(key.into(), head.into());
    subkey.copy_from_slice(&derived);
    // The stream's first nonce: counter 1 (little-endian), then the header's last 8 bytes.
    let mut nonce = [0u8; 12];
    let (counter, inonce) = nonce.split_at_mut(4);
    counter.copy_from_slice(&1u32.to_le_bytes());
    inonce.copy_from_slice(tail);
    let (encrypted_tag, rest) = sealed.split_first()?;
    let (ciphertext, mac) = rest.split_at_checked(rest.len().checked_sub(MAC_LEN)?)?;
    let mut stream = chacha20::ChaCha20::new(subkey.as_ref().into(), &nonce.into());

    // Block 0 keys Poly1305; block 1 carries the tag byte; the message starts at block 2.
    let mut poly_key = Zeroizing::new([0u8; 32]);
    stream.apply_keystream(poly_key.as_mut());
    let mut tag_block = [0u8; BLOCK];
    tag_block[0] = *encrypted_tag;
    stream.seek(BLOCK as u64);
    stream.apply_keystream(&mut tag_block);
    let tag = tag_block[0];
    tag_block[0] = *encrypted_tag;

    let mut authenticated = Vec::with_capacity(BLOCK + ciphertext.len() + 32);
    authenticated.extend_from_slice(&tag_block);
    authenticated.extend_from_slice(ciphertext);
    // libsodium pads with (0x10 - 64 + mlen) & 0xf zero bytes: mlen mod 16, not what would
    // round the input up to a whole block. Its streams are written so; so are they read.
    authenticated.resize(authenticated.len() + (ciphertext.len() & 0xf), 0);
    authenticated.extend_from_slice(&0u64.to_le_bytes());
    authenticated.extend_from_slice(&((BLOCK + ciphertext.len()) as u64).to_le_bytes());
    let expected =
        poly1305::Poly1305::new(poly_key.as_ref().into()).compute_unpadded(&authenticated);
    let difference = expected
        .iter()
        .zip(mac)
        .fold(0u8, |difference, (a, b)| difference | (a ^ b));
    if difference != 0 {
        return None;
    }
    let mut plain = Zeroizing::new(ciphertext.to_vec());
    stream.seek(2 * BLOCK as u64);
    stream.apply_keystream(&mut plain);
    Some((tag, plain))
}

#[cfg(test)]
pub mod testing {
    //! Sealing, for tests that build encrypted files of other apps.
    use super::*;
    use aes::cipher::BlockEncryptMut;

    pub fn aes_gcm_seal(key: &[u8; KEY_LEN], nonce: &[u8; NONCE_LEN], plain: &[u8]) -> Vec<u8> {
        super::aes_gcm_seal(key, nonce, plain).unwrap_or_else(|| panic!("sealed"))
    }

    pub fn aes_gcm_seal_with(
        key: &[u8; KEY_LEN],
        nonce: &[u8; NONCE_LEN],
        plain: &[u8],
        aad: &[u8],
    ) -> Vec<u8> {
        let key =
            LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key).unwrap_or_else(|e| panic!("{e}")));
        let mut buffer = plain.to_vec();
        key.seal_in_place_append_tag(
            Nonce::assume_unique_for_key(*nonce),
            Aad::from(aad),
            &mut buffer,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        buffer
    }

    pub fn aes_cbc_seal(key: &[u8; KEY_LEN], iv: &[u8; AES_BLOCK_LEN], plain: &[u8]) -> Vec<u8> {
        cbc::Encryptor::<aes::Aes256>::new(key.into(), iv.into())
            .encrypt_padded_vec_mut::<Pkcs7>(plain)
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{aes_cbc_seal, aes_gcm_seal};
    use super::*;

    #[test]
    fn sealed_texts_open_and_altered_ones_do_not() {
        let key = [7u8; KEY_LEN];
        let mut sealed = aes_gcm_seal(&key, &[1; NONCE_LEN], b"hello");
        let opened = aes_gcm_open(&key, &[1; NONCE_LEN], &sealed, b"");
        assert_eq!(opened.as_deref().map(Vec::as_slice), Some(&b"hello"[..]));
        sealed[0] ^= 1;
        assert!(aes_gcm_open(&key, &[1; NONCE_LEN], &sealed, b"").is_none());
        assert!(aes_gcm_open(&key, &[1; 8], &sealed, b"").is_none());
        assert!(aes_gcm_open(&key, &[1; NONCE_LEN], &sealed[..3], b"").is_none());

        let sealed = aes_cbc_seal(&key, &[2; AES_BLOCK_LEN], b"a longer text than one block");
        let opened = aes_cbc_open(&key, &[2; AES_BLOCK_LEN], &sealed);
        assert_eq!(
            opened.as_deref().map(Vec::as_slice),
            Some(&b"a longer text than one block"[..])
        );
        assert!(aes_cbc_open(&key, &[2; AES_BLOCK_LEN], &sealed[..sealed.len() - 1]).is_none());
    }
}
