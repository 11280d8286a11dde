//! FreeOTP's backups (2.0 and later, `externalBackup.xml` despite its name): a Java-serialized
//! `HashMap<String, String>`, every token's key wrapped by a master key wrapped under the
//! backup password.
//!
//! Read from FreeOTP's source (github.com/freeotp/freeotp-android: `TokenPersistence`,
//! `MasterKey`, `EncryptedKey`), Aegis's `FreeOtpImporter` and Java's Object Serialization
//! Stream Protocol (docs.oracle.com/javase/8/docs/platform/serialization/spec/protocol.html).
//! The map holds:
//! - `masterKey`: JSON `{mAlgorithm: "PBKDF2withHmacSHA512", mIterations, mSalt,
//!   mEncryptedKey}`; the key derived from the password (256 bits) opens `mEncryptedKey`.
//! - an encrypted key (`mEncryptedKey`, and each token's): `{mCipher: "AES/GCM/NoPadding",
//!   mCipherText, mParameters, mToken}`, byte lists of Java's signed bytes; `mParameters` is
//!   the DER of GCM's parameters (`SEQUENCE { OCTET STRING nonce, INTEGER tag length }`),
//!   `mToken` the key's algorithm ("AES", "HmacSHA1", …), also the associated data.
//! - for each token `UUID`: `{"key": "<an encrypted key, as a JSON string>"}`, and
//!   `UUID-token`: the token's JSON without its secret (`type`, `algo`, `digits`, `period`,
//!   `counter`, `issuerExt`, `label`). A token without `algo` takes its key's (`HmacSHA256`
//!   is SHA-256), else SHA-1. The counter is kept as stored.
//!
//! Dropped on import: images, colours, `issuerInt`/`issuerAlt`, the lock setting and the
//! order of tokens.

use std::collections::HashMap;

use serde::Deserialize;
use zeroize::Zeroizing;

use super::cipher::{aes_gcm_open, GCM_TAG_LEN};
use super::entry::{self, EntryError, Kind};
use super::freeotp_plus::{java_bytes, token_account, Token};
use super::kdf::{self, Pbkdf2Hash, KEY_LEN};
use super::{Contents, Format, ImportError, Item, MAX_ENTRIES};

pub struct FreeOtpBackup;

const NAME: &str = "FreeOTP backup";
/// Java serialization's magic and version, then a new object of a new class
/// `java.util.HashMap`.
const HEADER: &[u8] = b"\xac\xed\x00\x05\x73\x72\x00\x11java.util.HashMap";
const MASTER_KEY: &str = "masterKey";
const TOKEN_SUFFIX: &str = "-token";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MasterKey {
    #[serde(rename = "mAlgorithm")]
    algorithm: String,
    #[serde(rename = "mIterations")]
    iterations: u64,
    #[serde(rename = "mSalt")]
    salt: Vec<i16>,
    #[serde(rename = "mEncryptedKey")]
    encrypted_key: EncryptedKey,
}

#[derive(Deserialize)]
struct EncryptedKey {
    #[serde(rename = "mCipher")]
    cipher: String,
    #[serde(rename = "mCipherText")]
    cipher_text: Vec<i16>,
    #[serde(rename = "mParameters")]
    parameters: Vec<i16>,
    #[serde(rename = "mToken")]
    token: String,
}

#[derive(Deserialize)]
struct WrappedKey {
    key: String,
}

impl Format for FreeOtpBackup {
    fn name(&self) -> &'static str {
        NAME
    }

    fn id(&self) -> &'static str {
        "freeotp-backup"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        bytes.starts_with(HEADER)
            && bytes
                .windows(MASTER_KEY.len())
                .any(|window| window == MASTER_KEY.as_bytes())
    }

    fn is_encrypted(&self, _bytes: &[u8]) -> bool {
        true
    }

    fn read(&self, bytes: &[u8], password: Option<&[u8]>) -> Result<Contents, ImportError> {
        if !self.recognises(bytes) {
            return Err(ImportError::NotThisFormat { format: NAME });
        }
        let map = java::string_map(bytes).ok_or(ImportError::Damaged {
            format: NAME,
            reason: "its serialized map cannot be read",
        })?;
        let password = password.ok_or(ImportError::WrongPassword { format: NAME })?;
        let master = find(&map, MASTER_KEY)
            .and_then(|json| serde_json::from_str::<MasterKey>(json).ok())
            .ok_or(ImportError::Damaged {
                format: NAME,
                reason: "its master key is missing or malformed",
            })?;
        let master_key = open_master_key(&master, password)?;
        let index: HashMap<&str, &str> = map
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str()))
            .collect();
        let mut contents = Contents::default();
        let tokens = map
            .iter()
            .filter_map(|(key, value)| Some((key.strip_suffix(TOKEN_SUFFIX)?, value)));
        for (index_in_file, (uuid, json)) in tokens.enumerate() {
            let item = index_in_file + 1;
            let Ok(token) = serde_json::from_str::<Token>(json) else {
                contents
                    .items
                    .push(entry::problem(item, "", "", EntryError::Malformed));
                continue;
            };
            let issuer = token.issuer_ext.as_deref().unwrap_or("");
            let name = token.label.as_deref().unwrap_or("");
            let read = read_token(&token, index.get(uuid).copied(), &master_key, issuer, name);
            contents
                .items
                .push(read.unwrap_or_else(|error| entry::problem(item, issuer, name, error)));
        }
        Ok(contents)
    }
}

fn find<'a>(map: &'a [(String, Zeroizing<String>)], key: &str) -> Option<&'a str> {
    map.iter()
        .find(|(name, _)| name == key)
        .map(|(_, value)| value.as_str())
}

/// The master key, or [`ImportError::WrongPassword`] when it does not open.
fn open_master_key(
    master: &MasterKey,
    password: &[u8],
) -> Result<Zeroizing<[u8; KEY_LEN]>, ImportError> {
    let hash = match master.algorithm.to_ascii_lowercase().as_str() {
        "pbkdf2withhmacsha512" => Pbkdf2Hash::Sha512,
        "pbkdf2withhmacsha256" => Pbkdf2Hash::Sha256,
        "pbkdf2withhmacsha1" => Pbkdf2Hash::Sha1,
        _ => {
            return Err(ImportError::CannotRead {
                format: NAME,
                reason:
                    "This FreeOTP backup derives its key with a function Ringlet does not know.",
            })
        }
    };
    let salt = java_bytes(&master.salt).ok_or(ImportError::Damaged {
        format: NAME,
        reason: "its salt is not a list of bytes",
    })?;
    let derived = kdf::pbkdf2(hash, password, &salt, master.iterations)?;
    let plain = open_key(&master.encrypted_key, &derived)
        .ok_or(ImportError::WrongPassword { format: NAME })?;
    let key: [u8; KEY_LEN] = plain
        .as_slice()
        .try_into()
        .map_err(|_| ImportError::Damaged {
            format: NAME,
            reason: "its master key is not 256 bits",
        })?;
    Ok(Zeroizing::new(key))
}

/// One encrypted key opened with `key`: AES-GCM, the nonce from `mParameters`, `mToken`
/// as associated data.
fn open_key(sealed: &EncryptedKey, key: &[u8; KEY_LEN]) -> Option<Zeroizing<Vec<u8>>> {
    if !sealed.cipher.eq_ignore_ascii_case("AES/GCM/NoPadding") {
        return None;
    }
    let parameters = java_bytes(&sealed.parameters)?;
    let nonce = gcm_nonce(&parameters)?;
    let cipher_text = java_bytes(&sealed.cipher_text)?;
    aes_gcm_open(key, nonce, &cipher_text, sealed.token.as_bytes())
}

/// The nonce of GCM's parameters in DER: `SEQUENCE { OCTET STRING nonce, INTEGER 16 }`
/// (`GCMParameterSpec`), or on Android 6 the bare `OCTET STRING nonce` (`IvParameterSpec`,
/// with GCM's default 128-bit tag). Short lengths only: the whole is a few bytes. The tag
/// must be ring's 16 bytes.
fn gcm_nonce(der: &[u8]) -> Option<&[u8]> {
    fn octets(der: &[u8]) -> Option<(&[u8], &[u8])> {
        let [0x04, nonce_len, rest @ ..] = der else {
            return None;
        };
        rest.split_at_checked(usize::from(*nonce_len))
    }
    match der {
        [0x30, length, body @ ..] if usize::from(*length) == body.len() => {
            let (nonce, rest) = octets(body)?;
            match rest {
                [0x02, 0x01, tag] if usize::from(*tag) == GCM_TAG_LEN => Some(nonce),
                _ => None,
            }
        }
        _ => match octets(der)? {
            (nonce, []) => Some(nonce),
            _ => None,
        },
    }
}

fn read_token(
    token: &Token,
    wrapped: Option<&str>,
    master_key: &[u8; KEY_LEN],
    issuer: &str,
    name: &str,
) -> Result<Item, EntryError> {
    Kind::named(&token.kind)?;
    let wrapped = wrapped.ok_or(EntryError::Missing("secret key"))?;
    let wrapped: WrappedKey = serde_json::from_str(wrapped).map_err(|_| EntryError::Malformed)?;
    let sealed: EncryptedKey =
        serde_json::from_str(&wrapped.key).map_err(|_| EntryError::Malformed)?;
    let secret = open_key(&sealed, master_key).ok_or(EntryError::Undecryptable)?;
    // The key's own algorithm names the HMAC when the token does not.
    token_account(
        token,
        issuer,
        name,
        secret,
        sealed.token.strip_prefix("Hmac"),
    )
}

/// Just enough of Java's serialization to read a `java.util.HashMap` of strings.
mod java {
    use zeroize::Zeroizing;

    use super::{HEADER, MAX_ENTRIES};

    const TC_NULL: u8 = 0x70;
    const TC_REFERENCE: u8 = 0x71;
    const TC_STRING: u8 = 0x74;
    const TC_LONGSTRING: u8 = 0x7c;
    const TC_BLOCKDATA: u8 = 0x77;
    const TC_ENDBLOCKDATA: u8 = 0x78;
    /// The first handle a stream assigns.
    const BASE_HANDLE: u32 = 0x7e_0000;

    struct Reader<'a> {
        bytes: &'a [u8],
        /// The strings read so far, by handle (`None`: a handle that is not a string).
        handles: Vec<Option<usize>>,
        strings: Vec<Zeroizing<String>>,
    }

    impl<'a> Reader<'a> {
        fn take(&mut self, n: usize) -> Option<&'a [u8]> {
            let (head, rest) = self.bytes.split_at_checked(n)?;
            self.bytes = rest;
            Some(head)
        }

        fn byte(&mut self) -> Option<u8> {
            self.take(1)?.first().copied()
        }

        fn u16(&mut self) -> Option<u16> {
            Some(u16::from_be_bytes(self.take(2)?.try_into().ok()?))
        }

        fn u32(&mut self) -> Option<u32> {
            Some(u32::from_be_bytes(self.take(4)?.try_into().ok()?))
        }

        /// A string object (new or referenced) or null, as an index into `strings`.
        fn string(&mut self) -> Option<Option<usize>> {
            let length = match self.byte()? {
                TC_NULL => return Some(None),
                TC_REFERENCE => {
                    let handle = self.u32()?.checked_sub(BASE_HANDLE)?;
                    let found = self.handles.get(usize::try_from(handle).ok()?)?;
                    return Some(Some((*found)?));
                }
                TC_STRING => usize::from(self.u16()?),
                TC_LONGSTRING => {
                    let long = u64::from_be_bytes(self.take(8)?.try_into().ok()?);
                    usize::try_from(long).ok()?
                }
                _ => return None,
            };
            let text = modified_utf8(self.take(length)?)?;
            self.strings.push(text);
            let index = self.strings.len() - 1;
            self.handles.push(Some(index));
            Some(Some(index))
        }
    }

    /// The (key, value) pairs of the serialized `HashMap<String, String>` in `bytes`, in
    /// stream order; pairs with a null are left out. `None` when the stream is anything else.
    pub fn string_map(bytes: &[u8]) -> Option<Vec<(String, Zeroizing<String>)>> {
        let mut reader = Reader {
            bytes: bytes.strip_prefix(HEADER)?,
            handles: Vec::new(),
            strings: Vec::new(),
        };
        // The class descriptor: serialVersionUID, flags, then HashMap's primitive fields.
        reader.take(8)?;
        let _flags = reader.byte()?;
        let field_count = reader.u16()?;
        let mut field_bytes = 0usize;
        for _ in 0..field_count {
            let size = match reader.byte()? {
                b'B' | b'Z' => 1,
                b'C' | b'S' => 2,
                b'F' | b'I' => 4,
                b'D' | b'J' => 8,
                _ => return None,
            };
            let name_len = usize::from(reader.u16()?);
            reader.take(name_len)?;
            field_bytes = field_bytes.checked_add(size)?;
        }
        // No class annotation, no serializable superclass.
        if reader.byte()? != TC_ENDBLOCKDATA || reader.byte()? != TC_NULL {
            return None;
        }
        // Handles: the class descriptor, then the map itself.
        reader.handles.extend([None, None]);
        reader.take(field_bytes)?;
        // writeObject's block: capacity and size, then the pairs.
        if reader.byte()? != TC_BLOCKDATA || reader.byte()? != 8 {
            return None;
        }
        let _capacity = reader.u32()?;
        let size = usize::try_from(reader.u32()?).ok()?;
        // Each token takes two pairs; the master key one more.
        if size > 2 * MAX_ENTRIES + 1 {
            return None;
        }
        let mut pairs = Vec::with_capacity(size);
        for _ in 0..size {
            let key = reader.string()?;
            let value = reader.string()?;
            if let (Some(key), Some(value)) = (key, value) {
                let key = reader.strings.get(key)?.as_str().to_owned();
                let value = reader.strings.get(value)?.clone();
                pairs.push((key, value));
            }
        }
        (reader.byte()? == TC_ENDBLOCKDATA).then_some(pairs)
    }

    /// Java's modified UTF-8 (NUL as two bytes, characters beyond the BMP as two
    /// three-byte surrogates) as a string.
    fn modified_utf8(bytes: &[u8]) -> Option<Zeroizing<String>> {
        if let Ok(text) = std::str::from_utf8(bytes) {
            if !text.contains('\0') {
                return Some(Zeroizing::new(text.to_owned()));
            }
        }
        let mut units = Zeroizing::new(Vec::with_capacity(bytes.len()));
        let mut rest = bytes;
        while let [first, tail @ ..] = rest {
            let (unit, tail) = match (*first, tail) {
                (0x01..=0x7f, _) => (u16::from(*first), tail),
                (0xc0..=0xdf, [second, tail @ ..]) if second & 0xc0 == 0x80 => (
                    (u16::from(first & 0x1f) << 6) | u16::from(second & 0x3f),
                    tail,
                ),
                (0xe0..=0xef, [second, third, tail @ ..])
                    if second & 0xc0 == 0x80 && third & 0xc0 == 0x80 =>
                {
                    (
                        (u16::from(first & 0x0f) << 12)
                            | (u16::from(second & 0x3f) << 6)
                            | u16::from(third & 0x3f),
                        tail,
                    )
                }
                _ => return None,
            };
            units.push(unit);
            rest = tail;
        }
        String::from_utf16(&units).ok().map(Zeroizing::new)
    }

    #[cfg(test)]
    pub mod testing {
        //! Writing the stream, for tests.
        use super::*;

        /// A `HashMap` stream of `size` pairs whose objects are `body`.
        pub fn stream(size: u32, body: &[u8]) -> Vec<u8> {
            let mut out = HEADER.to_vec();
            out.extend_from_slice(&[0x05, 0x07, 0xda, 0xc1, 0xc3, 0x16, 0x60, 0xd1, 0x03]);
            out.extend_from_slice(&2u16.to_be_bytes());
            out.push(b'F');
            out.extend_from_slice(&10u16.to_be_bytes());
            out.extend_from_slice(b"loadFactor");
            out.push(b'I');
            out.extend_from_slice(&9u16.to_be_bytes());
            out.extend_from_slice(b"threshold");
            out.extend_from_slice(&[TC_ENDBLOCKDATA, TC_NULL]);
            out.extend_from_slice(&0.75f32.to_be_bytes());
            out.extend_from_slice(&12u32.to_be_bytes());
            out.extend_from_slice(&[TC_BLOCKDATA, 8]);
            out.extend_from_slice(&16u32.to_be_bytes());
            out.extend_from_slice(&size.to_be_bytes());
            out.extend_from_slice(body);
            out.push(TC_ENDBLOCKDATA);
            out
        }

        pub fn serialize(pairs: &[(&str, &str)]) -> Vec<u8> {
            let mut body = Vec::new();
            for (key, value) in pairs {
                for text in [key, value] {
                    body.push(TC_STRING);
                    body.extend_from_slice(&(text.len() as u16).to_be_bytes());
                    body.extend_from_slice(text.as_bytes());
                }
            }
            stream(pairs.len() as u32, &body)
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn modified_utf8_reads_nul_and_surrogate_pairs() {
            let text = modified_utf8(b"a\xc0\x80\xed\xa0\xbd\xed\xb8\x80");
            assert_eq!(text.as_deref().map(String::as_str), Some("a\0\u{1f600}"));
            assert!(modified_utf8(b"\xff").is_none());
        }

        #[test]
        fn references_reuse_a_string_and_bad_handles_are_refused() {
            // Handles: 0 the class, 1 the map, 2 "a", 3 "b".
            let body = [
                &[TC_STRING, 0, 1, b'a', TC_STRING, 0, 1, b'b'][..],
                &[
                    TC_REFERENCE,
                    0x00,
                    0x7e,
                    0x00,
                    0x03,
                    TC_REFERENCE,
                    0x00,
                    0x7e,
                    0x00,
                    0x02,
                ],
            ]
            .concat();
            let pairs = string_map(&testing::stream(2, &body)).unwrap_or_else(|| panic!("a map"));
            assert_eq!(pairs.len(), 2);
            assert_eq!((pairs[1].0.as_str(), pairs[1].1.as_str()), ("b", "a"));
            // A reference to the map itself, or past the end, is no string.
            for handle in [1u8, 9] {
                let body = [
                    TC_STRING,
                    0,
                    1,
                    b'a',
                    TC_REFERENCE,
                    0x00,
                    0x7e,
                    0x00,
                    handle,
                ];
                assert!(string_map(&testing::stream(1, &body)).is_none());
            }
            // A size larger than what follows, or than the cap, is refused.
            assert!(string_map(&testing::stream(3, &body)).is_none());
            assert!(string_map(&testing::stream(u32::MAX, &body)).is_none());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::cipher::testing::aes_gcm_seal_with;
    use super::super::{open_bytes, Cause, Opened};
    use super::*;

    fn signed(bytes: &[u8]) -> String {
        let list: Vec<String> = bytes.iter().map(|b| (*b as i8).to_string()).collect();
        format!("[{}]", list.join(","))
    }

    fn sealed_json(key: &[u8; KEY_LEN], nonce: [u8; 12], plain: &[u8], token: &str) -> String {
        let mut parameters = vec![0x30, 17, 0x04, 12];
        parameters.extend_from_slice(&nonce);
        parameters.extend_from_slice(&[0x02, 0x01, 16]);
        let sealed = aes_gcm_seal_with(key, &nonce, plain, token.as_bytes());
        format!(
            r#"{{"mCipher":"AES/GCM/NoPadding","mCipherText":{},"mParameters":{},"mToken":"{token}"}}"#,
            signed(&sealed),
            signed(&parameters)
        )
    }

    /// A backup under password "pw" with a good TOTP token, one whose key does not open and
    /// one whose key is missing.
    fn backup() -> Vec<u8> {
        let salt = [9u8; 32];
        let derived =
            kdf::pbkdf2(Pbkdf2Hash::Sha512, b"pw", &salt, 1000).unwrap_or_else(|e| panic!("{e}"));
        let master = [5u8; KEY_LEN];
        let master_key = format!(
            r#"{{"mAlgorithm":"PBKDF2withHmacSHA512","mEncryptedKey":{},"mIterations":1000,"mSalt":{}}}"#,
            sealed_json(&derived, [1; 12], &master, "AES"),
            signed(&salt)
        );
        let good = serde_json::json!({"key": sealed_json(&master, [2; 12], b"Hello!\xde\xad\xbe\xef", "HmacSHA256")}).to_string();
        let bad = serde_json::json!({"key": sealed_json(&[6; KEY_LEN], [3; 12], b"abcdefghij", "HmacSHA1")}).to_string();
        java::testing::serialize(&[
            ("u1", &good),
            (
                "u1-token",
                r#"{"issuerExt":"Site","label":"me","type":"TOTP","digits":7}"#,
            ),
            (MASTER_KEY, &master_key),
            (
                "u2-token",
                r#"{"issuerExt":"Bad","label":"b","type":"TOTP"}"#,
            ),
            ("u2", &bad),
            (
                "u3-token",
                r#"{"issuerExt":"Gone","label":"g","type":"HOTP","counter":4}"#,
            ),
        ])
    }

    #[test]
    fn tokens_open_with_the_password_and_bad_ones_are_problems() {
        let file = backup();
        assert_eq!(
            open_bytes(&file, None).ok(),
            Some(Opened::NeedsPassword { format: NAME })
        );
        let Ok(Opened::Read(contents)) = open_bytes(&file, Some(b"pw")) else {
            panic!("not read");
        };
        let [Item::Account(site), Item::Problem(bad), Item::Problem(gone)] =
            contents.items.as_slice()
        else {
            panic!("{contents:?}");
        };
        assert_eq!(site.otp.secret.expose(), b"Hello!\xde\xad\xbe\xef");
        // No `algo`: the key's HmacSHA256.
        assert_eq!(site.otp.algorithm, crate::model::Algorithm::Sha256);
        assert_eq!((site.issuer.as_str(), site.otp.digits), ("Site", 7));
        assert_eq!(bad.cause, Cause::InvalidEntry(EntryError::Undecryptable));
        assert_eq!(
            (gone.item, &gone.cause),
            (3, &Cause::InvalidEntry(EntryError::Missing("secret key")))
        );
    }

    #[test]
    fn both_encodings_of_the_gcm_parameters_give_the_nonce() {
        let nonce = [7u8; 12];
        let full = [&[0x30, 17, 0x04, 12][..], &nonce, &[0x02, 0x01, 16]].concat();
        let bare = [&[0x04, 12][..], &nonce].concat();
        assert_eq!(gcm_nonce(&full), Some(&nonce[..]));
        assert_eq!(gcm_nonce(&bare), Some(&nonce[..]));
        // A 12-byte tag (ring opens 16 only), a wrong length, trailing bytes: refused.
        let short_tag = [&[0x30, 17, 0x04, 12][..], &nonce, &[0x02, 0x01, 12]].concat();
        assert_eq!(gcm_nonce(&short_tag), None);
        assert_eq!(gcm_nonce(&full[..full.len() - 1]), None);
        assert_eq!(gcm_nonce(&[&bare[..], &[0]].concat()), None);
        assert_eq!(gcm_nonce(&[0x04, 200, 1]), None);
    }

    #[test]
    fn a_wrong_password_a_cut_file_and_a_costly_kdf_are_refused() {
        let file = backup();
        assert!(matches!(
            open_bytes(&file, Some(b"px")),
            Err(ImportError::WrongPassword { .. })
        ));
        for cut in [file.len() / 2, file.len() - 1] {
            assert!(matches!(
                open_bytes(&file[..cut], Some(b"pw")),
                Err(ImportError::Damaged { .. })
            ));
        }
        let over = java::testing::serialize(&[(
            MASTER_KEY,
            r#"{"mAlgorithm":"PBKDF2withHmacSHA512","mEncryptedKey":{"mCipher":"AES/GCM/NoPadding","mCipherText":[],"mParameters":[],"mToken":"AES"},"mIterations":4000000000,"mSalt":[1]}"#,
        )]);
        assert!(matches!(
            open_bytes(&over, Some(b"pw")),
            Err(ImportError::KdfOverLimit { .. })
        ));
    }
}
