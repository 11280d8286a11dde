//! Shared by the fuzz targets (each includes it with `#[path]`): the checks run on whatever
//! a decoder returns, and a builder of real vault files (format v1, documented in
//! `docs/vault-format.md` and `docs/backup-format.md`) under a key the harness knows, so that the
//! fuzzer gets past checksums, MACs and AEADs and reaches the decoders behind them.
//!
//! The builder is a second, independent writer of the format: if it and the core ever
//! disagree, the vault targets fail their assertions at once (every seed would be
//! "damaged"), which is itself a useful check of the documentation.
#![allow(dead_code)]

use ringlet_core::model::display_label;
use ringlet_core::{otp, otpauth, Account};

/// Times at which every decoded account's code is computed: the epoch, "now"-ish and 2100.
pub const TIMES: [u64; 3] = [0, 1_700_000_000, 4_102_444_800];

/// Where an account came from: how much the rest of Ringlet may assume about it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `otpauth::parse`: validated, and `otpauth::to_uri` must read back to the same account.
    Uri,
    /// Other parsers that validate (migration payloads): codes must compute.
    Validated,
    /// Decrypted vault records and backups: not validated on read, so anything goes,
    /// except a panic.
    Stored,
}

/// What the app does with an account it was handed: labels, codes, the canonical link.
pub fn check_account(account: &Account, source: Source) {
    let _ = display_label(&account.issuer);
    let _ = display_label(&account.name);
    for t in TIMES {
        let code = otp::generate(&account.otp, t);
        if source != Source::Stored {
            let code = code.expect("a parsed account must compute a code");
            assert!(!code.is_empty());
        }
    }
    let _ = otp::seconds_remaining(account.otp.kind.period().unwrap_or(30).max(1), TIMES[1]);
    let link = otpauth::to_uri(account);
    let back = otpauth::parse(&link);
    if source != Source::Stored {
        // MAX_URI_LEN is sized so that the link of every account Ringlet accepts reads back.
        assert!(link.len() <= otpauth::MAX_URI_LEN, "{} bytes", link.len());
    }
    if source == Source::Uri {
        let back = back.expect("otpauth::to_uri of a parsed account must parse");
        assert!(
            back == *account,
            "otpauth::to_uri of a parsed account reads back differently: {back:?} vs {account:?}"
        );
    }
}

/// What the app does with the texts of the QR codes in an image: each is read as the
/// import screen does, and an account it holds must behave as [`check_account`] expects.
pub fn check_qr_texts(texts: Vec<String>) {
    for text in texts {
        check_link(&text);
        let _ = otpauth::parse(&text);
    }
}

/// One text read as a link: its accounts must behave, its problems must print.
pub fn check_link(text: &str) {
    check_contents(ringlet_core::import::read_link(text, 1));
}

/// Entries of a file or link: an `otpauth://` account must round-trip through its URI
/// (an export code's accounts are only validated), every problem must print.
pub fn check_contents(contents: ringlet_core::import::Contents) {
    use ringlet_core::import::Item;
    let source = if contents.parts.is_empty() {
        Source::Uri
    } else {
        Source::Validated
    };
    for item in &contents.items {
        match item {
            Item::Account(account) => check_account(account, source),
            Item::Problem(problem) => {
                let _ = problem.to_string();
            }
        }
    }
    for progress in ringlet_core::import::google_authenticator::progress(contents.parts) {
        let _ = progress.note();
    }
}

pub mod vault {
    //! Vault files under a known key. Nonces are fixed: this is a test harness, never a vault.

    use std::fs;
    use std::path::{Path, PathBuf};

    use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};
    use ring::{digest, hkdf, hmac};

    pub const PASSWORD: &[u8] = b"fuzz password";
    pub const VAULT_ID: [u8; 16] = *b"ringlet-fuzz-vid";
    pub const DATA_KEY: [u8; 32] = [0x42; 32];
    pub const SALT: [u8; 16] = [0x17; 16];
    /// `KdfParams::fast_for_tests()`: exempt from the re-wrap at unlock, so `open` stays fast.
    pub const KDF: (u32, u32, u32) = (64, 1, 1);

    pub const HEADER_MAGIC: &[u8; 8] = b"RINGLETV";
    pub const INDEX_MAGIC: &[u8; 8] = b"RINGLETI";
    pub const BACKUP_MAGIC: &[u8; 8] = b"RINGLETB";
    /// magic ‖ version ‖ vault id ‖ slot count
    pub const HEADER_PREFIX_LEN: usize = 8 + 2 + 16 + 1;
    /// kind ‖ memory ‖ iterations ‖ parallelism ‖ salt ‖ nonce ‖ wrapped key ‖ tag
    pub const SLOT_LEN: usize = 1 + 12 + 16 + 12 + 32 + 16;
    /// magic ‖ version ‖ vault id ‖ created ‖ account count
    pub const BACKUP_PREFIX_LEN: usize = 8 + 2 + 16 + 8 + 4;

    pub fn sha256(data: &[u8]) -> [u8; 32] {
        let mut out = [0u8; 32];
        out.copy_from_slice(digest::digest(&digest::SHA256, data).as_ref());
        out
    }

    pub fn hmac(key: &[u8; 32], data: &[u8]) -> [u8; 32] {
        let mut out = [0u8; 32];
        out.copy_from_slice(hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data).as_ref());
        out
    }

    struct Len(usize);
    impl hkdf::KeyType for Len {
        fn len(&self) -> usize {
            self.0
        }
    }

    /// HKDF-SHA256(salt = vault id, ikm = data key, info).
    pub fn subkey(info: &[u8]) -> [u8; 32] {
        let mut out = [0u8; 32];
        hkdf::Salt::new(hkdf::HKDF_SHA256, &VAULT_ID)
            .extract(&DATA_KEY)
            .expand(&[info], Len(32))
            .and_then(|okm| okm.fill(&mut out))
            .expect("hkdf");
        out
    }

    /// nonce (fixed) ‖ AES-256-GCM(key, plaintext, ad) ‖ tag.
    pub fn seal(key: &[u8; 32], ad: &[u8], plaintext: &[u8]) -> Vec<u8> {
        let nonce = [7u8; 12];
        let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key).expect("key"));
        let mut body = plaintext.to_vec();
        key.seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(ad),
            &mut body,
        )
        .expect("seal");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&body);
        out
    }

    pub fn kek() -> [u8; 32] {
        use argon2::{Algorithm, Argon2, Params, Version};
        let params = Params::new(KDF.0, KDF.1, KDF.2, Some(32)).expect("params");
        let mut out = [0u8; 32];
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(PASSWORD, &SALT, &mut out)
            .expect("argon2");
        out
    }

    /// kind ‖ memory ‖ iterations ‖ parallelism ‖ salt of the known slot.
    pub fn slot_params() -> Vec<u8> {
        let mut out = vec![1u8];
        out.extend_from_slice(&KDF.0.to_be_bytes());
        out.extend_from_slice(&KDF.1.to_be_bytes());
        out.extend_from_slice(&KDF.2.to_be_bytes());
        out.extend_from_slice(&SALT);
        out
    }

    /// The known slot: params ‖ AES-256-GCM(KEK, data key), AD = "ringlet/slot" ‖ magic ‖
    /// version ‖ vault id ‖ params.
    pub fn slot(kek: &[u8; 32]) -> Vec<u8> {
        let params = slot_params();
        let mut ad = b"ringlet/slot".to_vec();
        ad.extend_from_slice(HEADER_MAGIC);
        ad.extend_from_slice(&1u16.to_be_bytes());
        ad.extend_from_slice(&VAULT_ID);
        ad.extend_from_slice(&params);
        let mut out = params;
        out.extend_from_slice(&seal(kek, &ad, &DATA_KEY));
        out
    }

    /// A valid `vault.header` opening with [`PASSWORD`].
    pub fn header(kek: &[u8; 32]) -> Vec<u8> {
        let mut out = HEADER_MAGIC.to_vec();
        out.extend_from_slice(&1u16.to_be_bytes());
        out.extend_from_slice(&VAULT_ID);
        out.push(1);
        out.extend_from_slice(&slot(kek));
        let mac = hmac(&subkey(b"ringlet v1 header mac"), &out);
        out.extend_from_slice(&mac);
        let checksum = sha256(&out);
        out.extend_from_slice(&checksum);
        out
    }

    /// A stored record value: version 1 ‖ sealed plaintext, AD bound to vault and id.
    pub fn record_value(id: &[u8; 16], plaintext: &[u8]) -> Vec<u8> {
        let mut ad = b"ringlet/record".to_vec();
        ad.extend_from_slice(&1u16.to_be_bytes());
        ad.extend_from_slice(&VAULT_ID);
        ad.extend_from_slice(id);
        let mut out = vec![1u8];
        out.extend_from_slice(&seal(&subkey(b"ringlet v1 record key"), &ad, plaintext));
        out
    }

    /// The body of a `vault.index` (everything but its MAC).
    pub fn index_content(
        generation: u64,
        records: &[([u8; 16], [u8; 32])],
        pending: &[([u8; 16], Option<[u8; 32]>)],
    ) -> Vec<u8> {
        let mut out = INDEX_MAGIC.to_vec();
        out.extend_from_slice(&1u16.to_be_bytes());
        out.extend_from_slice(&VAULT_ID);
        out.extend_from_slice(&generation.to_be_bytes());
        out.extend_from_slice(&(records.len() as u32).to_be_bytes());
        for (id, hash) in records {
            out.extend_from_slice(id);
            out.extend_from_slice(hash);
        }
        out.extend_from_slice(&(pending.len() as u32).to_be_bytes());
        for (id, hash) in pending {
            out.extend_from_slice(id);
            match hash {
                Some(hash) => {
                    out.push(1);
                    out.extend_from_slice(hash);
                }
                None => out.push(0),
            }
        }
        out
    }

    /// `content` ‖ HMAC-SHA256(index key, content): an index the vault authenticates.
    pub fn index_file(content: &[u8]) -> Vec<u8> {
        let mut out = content.to_vec();
        out.extend_from_slice(&hmac(&subkey(b"ringlet v1 index mac"), content));
        out
    }

    /// Replaces the records of `dir/records.sled` (created if missing) with `records`.
    pub fn write_records(dir: &Path, records: &[([u8; 16], Vec<u8>)]) {
        let db = sled::Config::new()
            .path(dir.join("records.sled"))
            .open()
            .expect("sled open");
        let meta = db.open_tree("meta").expect("meta");
        meta.insert(b"vault_id", &VAULT_ID[..])
            .expect("meta insert");
        let tree = db.open_tree("records").expect("records");
        tree.clear().expect("clear");
        for (id, value) in records {
            tree.insert(id, value.as_slice()).expect("insert");
        }
        db.flush().expect("flush");
    }

    /// An empty private folder for one target in this process, under `$TMPDIR`.
    pub fn fresh_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ringlet-fuzz-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    /// Keeps Argon2id parameters at `at` (memory, passes, lanes as big-endian u32s) small:
    /// memory < 2 MiB, passes < 3, lanes < 5 — zero and Argon2's other invalid values stay
    /// reachable. Without this the fuzzer would spend its time in legitimately slow
    /// derivations (the readers accept up to 1 GiB and 16 passes by design).
    pub fn clamp_kdf(bytes: &mut [u8], at: usize) {
        const LIMITS: [u32; 3] = [2048, 3, 5];
        for (i, limit) in LIMITS.iter().enumerate() {
            let start = at + 4 * i;
            if let Some(word) = bytes.get_mut(start..start + 4) {
                let value = u32::from_be_bytes([word[0], word[1], word[2], word[3]]) % limit;
                word.copy_from_slice(&value.to_be_bytes());
            }
        }
    }

    // --- The inputs the index and record targets share with their end-to-end twins ---

    pub type Id = [u8; 16];
    pub type Hash = [u8; 32];

    /// The account in each of the index targets' three stored records.
    const INDEX_ACCOUNT: &str = r#"{"issuer":"Fuzz","name":"a@b","otp":{"secret":[1,2,3,4,5,6,7,8,9,10],"algorithm":"SHA1","digits":6,"kind":{"type":"totp","period":30}}}"#;

    /// The three valid records (ids `[1; 16]` to `[3; 16]`) the index targets store.
    pub fn index_records() -> Vec<(Id, Vec<u8>)> {
        (1u8..=3)
            .map(|i| ([i; 16], record_value(&[i; 16], INDEX_ACCOUNT.as_bytes())))
            .collect()
    }

    /// What the records of an index listed, when the input was built from operations.
    pub struct Listed {
        pub records: std::collections::BTreeMap<Id, Hash>,
        pub pending: std::collections::BTreeMap<Id, Option<Hash>>,
    }

    /// The `vault.index` content an index target's input describes, over `stored` (id → hash
    /// of the stored value). First byte even: the rest is the index body after magic,
    /// version and vault id (raw). First byte odd: each following byte picks a record (3
    /// stored, 2 unknown) and what the index says of it (committed with the right or a wrong
    /// hash, pending put right or wrong, pending delete), so the settling logic is reached
    /// with matching hashes; `Listed` then says what the index lists.
    pub fn fuzzed_index(
        data: &[u8],
        stored: &std::collections::BTreeMap<Id, Hash>,
    ) -> Option<(Vec<u8>, Option<Listed>)> {
        let (&mode, rest) = data.split_first()?;
        if mode & 1 == 0 {
            let mut content = INDEX_MAGIC.to_vec();
            content.extend_from_slice(&1u16.to_be_bytes());
            content.extend_from_slice(&VAULT_ID);
            content.extend_from_slice(rest);
            return Some((content, None));
        }
        let mut listed = Listed {
            records: Default::default(),
            pending: Default::default(),
        };
        for &b in rest {
            let id = [1 + b % 5; 16];
            let right = stored.get(&id).copied().unwrap_or([0xEE; 32]);
            let wrong = [b; 32];
            match (b / 5) % 6 {
                0 => drop(listed.records.insert(id, right)),
                1 => drop(listed.records.insert(id, wrong)),
                2 => drop(listed.pending.insert(id, Some(right))),
                3 => drop(listed.pending.insert(id, Some(wrong))),
                4 => drop(listed.pending.insert(id, None)),
                _ => {}
            }
        }
        let records: Vec<_> = listed.records.iter().map(|(k, v)| (*k, *v)).collect();
        let pending: Vec<_> = listed.pending.iter().map(|(k, v)| (*k, *v)).collect();
        Some((
            index_content(u64::from(mode), &records, &pending),
            Some(listed),
        ))
    }

    impl Listed {
        /// The crash rule, written again from its documentation: the vault opens when every
        /// record is in its committed state or, when the index lists a pending change of it,
        /// in its new one.
        pub fn should_open(&self, stored: &std::collections::BTreeMap<Id, Hash>) -> bool {
            let mut ids: Vec<&Id> = stored.keys().chain(self.records.keys()).collect();
            ids.extend(self.pending.keys());
            ids.into_iter().all(|id| {
                let found = stored.get(id);
                found == self.records.get(id)
                    || self
                        .pending
                        .get(id)
                        .is_some_and(|new| found == new.as_ref())
            })
        }
    }

    /// The id of the record targets' one record.
    pub const RECORD_ID: Id = [0x33; 16];

    /// The stored value a record target's input describes: first byte even, the rest is the
    /// record's plaintext, sealed by the harness; odd, the raw stored value.
    pub fn fuzzed_record(data: &[u8]) -> Option<Vec<u8>> {
        let (&mode, rest) = data.split_first()?;
        Some(if mode & 1 == 0 {
            record_value(&RECORD_ID, rest)
        } else {
            rest.to_vec()
        })
    }
}
