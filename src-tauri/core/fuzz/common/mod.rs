//! Shared by the fuzz targets (each includes it with `#[path]`): the checks run on whatever
//! a decoder returns, and a builder of real vault files (vault format v2: header of layout 2
//! at a key epoch, or of layout 1; records keyed by kind and account id in the tree named
//! for the epoch; v2 index naming the epoch; and backups of versions 1 and 2; documented in
//! `docs/vault-format.md` and `docs/backup-format.md`, the core's `src/vault/` being the
//! authority) under a key the harness knows, so that the fuzzer gets past checksums, MACs
//! and AEADs and reaches the decoders behind them.
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
    //! Vault files of format v2 under a known key: header layout 2 (or 1) at a chosen key
    //! epoch, records in the tree named for that epoch, v2 index, backups of versions 1
    //! and 2. Nonces are fixed: this is a test harness, never a vault.
    //!
    //! A real vault gets a new data key at each password change (each key epoch); the
    //! harness's vaults keep [`DATA_KEY`] at every epoch, and use [`OTHER_DATA_KEY`] for
    //! the files of "another epoch's key" (an old `vault.index`, an abandoned
    //! `vault.index.next`).

    use std::fs;
    use std::path::{Path, PathBuf};

    use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};
    use ring::{digest, hkdf, hmac};

    pub const PASSWORD: &[u8] = b"fuzz password";
    pub const VAULT_ID: [u8; 16] = *b"ringlet-fuzz-vid";
    pub const DATA_KEY: [u8; 32] = [0x42; 32];
    /// The data key of "another key epoch": what files left by a password change, or an
    /// index newer than the header, are MAC'd under.
    pub const OTHER_DATA_KEY: [u8; 32] = [0x24; 32];
    pub const SALT: [u8; 16] = [0x17; 16];
    /// `KdfParams::fast_for_tests()`. `Vault::open` raises parameters below the policy at
    /// unlock: a target that opens the vault calls `vault::keep_weak_kdf_for_tests()` (the
    /// core's `test-support` feature) so that they stay and `open` stays fast.
    pub const KDF: (u32, u32, u32) = (64, 1, 1);

    pub const HEADER_MAGIC: &[u8; 8] = b"RINGLETV";
    pub const INDEX_MAGIC: &[u8; 8] = b"RINGLETI";
    pub const BACKUP_MAGIC: &[u8; 8] = b"RINGLETB";
    /// Header layout 1: no key epoch field (epoch 0). Written by format-v1 builds (and kept
    /// by format-v2 builds until a password change); still read.
    pub const HEADER_LAYOUT_1: u16 = 1;
    /// Header layout 2, the one written: the key epoch after the vault id, in every slot's AD.
    pub const HEADER_LAYOUT_2: u16 = 2;
    /// Layout 1: magic ‖ version ‖ vault id ‖ slot count
    pub const HEADER_PREFIX_LEN_1: usize = 8 + 2 + 16 + 1;
    /// Layout 2: magic ‖ version ‖ vault id ‖ key epoch ‖ slot count
    pub const HEADER_PREFIX_LEN_2: usize = HEADER_PREFIX_LEN_1 + 4;
    /// kind ‖ memory ‖ iterations ‖ parallelism ‖ salt ‖ nonce ‖ wrapped key ‖ tag
    pub const SLOT_LEN: usize = 1 + 12 + 16 + 12 + 32 + 16;
    /// magic ‖ version ‖ vault id ‖ created ‖ account count
    pub const BACKUP_PREFIX_LEN: usize = 8 + 2 + 16 + 8 + 4;
    /// The backup version written (its head has the slot's header layout and key epoch).
    pub const BACKUP_VERSION: u16 = 2;
    /// The backup version of format-v1 builds (no layout, no epoch; payload `{"accounts"}`).
    pub const BACKUP_VERSION_1: u16 = 1;
    /// The creation time of the harness's backups.
    pub const BACKUP_CREATED: u64 = 1_700_000_000;

    fn version_field(bytes: &[u8]) -> Option<u16> {
        Some(u16::from_be_bytes([*bytes.get(8)?, *bytes.get(9)?]))
    }

    /// Where the slots of header bytes start, by the layout their version field names
    /// (layout 1's prefix when it says 1, else layout 2's).
    pub fn header_slots_at(bytes: &[u8]) -> usize {
        if version_field(bytes) == Some(HEADER_LAYOUT_1) {
            HEADER_PREFIX_LEN_1
        } else {
            HEADER_PREFIX_LEN_2
        }
    }

    /// Where the slot of backup bytes starts: after the prefix, and in version 2 (or any
    /// version but 1) after the slot's header layout (u16) and key epoch (u32).
    pub fn backup_slot_at(bytes: &[u8]) -> usize {
        if version_field(bytes) == Some(BACKUP_VERSION_1) {
            BACKUP_PREFIX_LEN
        } else {
            BACKUP_PREFIX_LEN + 2 + 4
        }
    }

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

    /// HKDF-SHA256(salt = vault id, ikm = `data_key`, info).
    pub fn subkey_of(data_key: &[u8; 32], info: &[u8]) -> [u8; 32] {
        let mut out = [0u8; 32];
        hkdf::Salt::new(hkdf::HKDF_SHA256, &VAULT_ID)
            .extract(data_key)
            .expand(&[info], Len(32))
            .and_then(|okm| okm.fill(&mut out))
            .expect("hkdf");
        out
    }

    /// HKDF-SHA256(salt = vault id, ikm = data key, info).
    pub fn subkey(info: &[u8]) -> [u8; 32] {
        subkey_of(&DATA_KEY, info)
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

    /// What a header's slots are bound to besides the vault: the header's layout and key
    /// epoch. The index names the same epoch, the records live in the tree named for it,
    /// and a backup copies both beside its slot.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct Epoch {
        /// [`HEADER_LAYOUT_2`], or [`HEADER_LAYOUT_1`] (no epoch field: epoch 0).
        pub layout: u16,
        pub epoch: u32,
    }

    impl Epoch {
        /// A layout-2 header at key epoch `epoch`.
        pub const fn v2(epoch: u32) -> Epoch {
            Epoch {
                layout: HEADER_LAYOUT_2,
                epoch,
            }
        }

        /// A layout-1 header (epoch 0).
        pub const LAYOUT_1: Epoch = Epoch {
            layout: HEADER_LAYOUT_1,
            epoch: 0,
        };

        /// What two bits of an input pick: layout 2 at epoch 0 (a vault never re-keyed), 1
        /// (after one password change) and 0xFFFF_FFFE (its two byte orders differ, and a
        /// later epoch still exists), and layout 1.
        pub const CHOICES: [Epoch; 4] = [
            Epoch::v2(0),
            Epoch::v2(1),
            Epoch::v2(0xFFFF_FFFE),
            Epoch::LAYOUT_1,
        ];

        /// [`CHOICES`](Self::CHOICES)`[bits & 3]`.
        pub fn pick(bits: u8) -> Epoch {
            Self::CHOICES[usize::from(bits & 3)]
        }

        /// The index of this epoch in [`CHOICES`](Self::CHOICES).
        pub fn choice(self) -> usize {
            Self::CHOICES
                .iter()
                .position(|c| *c == self)
                .expect("one of the choices")
        }

        /// The sled tree of its records (see [`records_tree`]).
        pub fn records_tree(self) -> String {
            records_tree(self.epoch)
        }
    }

    /// The sled tree of the records sealed under the key of `epoch`: `records.v2` at epoch
    /// 0, `records.v2.e<N>` (decimal) at epoch N. Format v1's tree was `records`.
    pub fn records_tree(epoch: u32) -> String {
        if epoch == 0 {
            RECORDS_TREE.to_owned()
        } else {
            format!("{RECORDS_TREE}.e{epoch}")
        }
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

    /// The known slot of the vault `vault_id` whose header is `at`: params ‖
    /// AES-256-GCM(KEK, data key), AD = "ringlet/slot" ‖ magic ‖ layout ‖ vault id ‖
    /// key epoch (layout 2 only) ‖ params.
    pub fn slot_of(kek: &[u8; 32], vault_id: &[u8; 16], at: Epoch) -> Vec<u8> {
        let params = slot_params();
        let mut ad = b"ringlet/slot".to_vec();
        ad.extend_from_slice(HEADER_MAGIC);
        ad.extend_from_slice(&at.layout.to_be_bytes());
        ad.extend_from_slice(vault_id);
        if at.layout != HEADER_LAYOUT_1 {
            ad.extend_from_slice(&at.epoch.to_be_bytes());
        }
        ad.extend_from_slice(&params);
        let mut out = params;
        out.extend_from_slice(&seal(kek, &ad, &DATA_KEY));
        out
    }

    /// [`slot_of`] the harness's vault.
    pub fn slot(kek: &[u8; 32], at: Epoch) -> Vec<u8> {
        slot_of(kek, &VAULT_ID, at)
    }

    /// A valid `vault.header` of layout and key epoch `at` opening with [`PASSWORD`]:
    /// magic ‖ layout ‖ vault id ‖ key epoch (layout 2 only) ‖ 1 ‖ the known slot ‖
    /// HMAC(header MAC key, all before) ‖ SHA-256(all before).
    pub fn header(kek: &[u8; 32], at: Epoch) -> Vec<u8> {
        let mut out = HEADER_MAGIC.to_vec();
        out.extend_from_slice(&at.layout.to_be_bytes());
        out.extend_from_slice(&VAULT_ID);
        if at.layout != HEADER_LAYOUT_1 {
            out.extend_from_slice(&at.epoch.to_be_bytes());
        }
        out.push(1);
        out.extend_from_slice(&slot(kek, at));
        let mac = hmac(&subkey(b"ringlet v1 header mac"), &out);
        out.extend_from_slice(&mac);
        let checksum = sha256(&out);
        out.extend_from_slice(&checksum);
        out
    }

    /// The version of records and of `vault.index` in format v2 (the header's layout is
    /// separate: see [`HEADER_LAYOUT_2`]).
    pub const FORMAT: u16 = 2;
    /// Version byte of every record format v2 writes.
    pub const RECORD_VERSION: u8 = 2;
    /// The sled tree of format v2's records at key epoch 0 (format v1's was `records`);
    /// see [`records_tree`].
    pub const RECORDS_TREE: &str = "records.v2";

    pub type Id = [u8; 16];
    pub type Hash = [u8; 32];
    /// A record's key: kind ‖ account id.
    pub type Key = [u8; 17];

    /// Record kinds: the first byte of a key.
    pub const ACCOUNT: u8 = 1;
    pub const RECOVERY_CODES: u8 = 2;
    pub const TOMBSTONE: u8 = 3;

    /// The key of the record of `kind` of account `id`.
    pub fn key(kind: u8, id: &Id) -> Key {
        let mut key = [0u8; 17];
        key[0] = kind;
        key[1..].copy_from_slice(id);
        key
    }

    /// A stored record value: version byte ‖ sealed plaintext, AD = "ringlet/record" ‖
    /// version (u16) ‖ vault id ‖ key. (No epoch: a password change seals every record
    /// again under the new key, with the same AD.)
    pub fn record_value_as(version: u8, key: &Key, plaintext: &[u8]) -> Vec<u8> {
        let mut ad = b"ringlet/record".to_vec();
        ad.extend_from_slice(&u16::from(version).to_be_bytes());
        ad.extend_from_slice(&VAULT_ID);
        ad.extend_from_slice(key);
        let mut out = vec![version];
        out.extend_from_slice(&seal(&subkey(b"ringlet v1 record key"), &ad, plaintext));
        out
    }

    /// A current record value (version 2) stored under `key`.
    pub fn record_value(key: &Key, plaintext: &[u8]) -> Vec<u8> {
        record_value_as(RECORD_VERSION, key, plaintext)
    }

    /// The device id of the vaults the harness writes (in the index and in revisions).
    pub const DEVICE_ID: Id = *b"ringlet-fuzz-dev";
    /// The revision clock of the indexes the harness writes: wall_ms, counter.
    pub const CLOCK: (u64, u32) = (1_700_000_000_000, 7);

    /// JSON of a revision at `CLOCK` on `DEVICE_ID`.
    pub fn revision_json() -> String {
        format!(
            r#"{{"clock":{{"wall_ms":{},"counter":{}}},"device":"{}"}}"#,
            CLOCK.0,
            CLOCK.1,
            data_encoding::HEXLOWER.encode(&DEVICE_ID)
        )
    }

    /// Plaintext of an account record: `account` (JSON of an account) and a stamp.
    pub fn account_record_json(account: &str) -> String {
        format!(
            r#"{{"account":{account},"stamp":{{"order":0,"created_ms":{},"modified_ms":{},"revision":{}}}}}"#,
            CLOCK.0 - 1000,
            CLOCK.0,
            revision_json()
        )
    }

    /// Plaintext of a recovery-codes record holding `codes`, none used.
    pub fn recovery_record_json(codes: &[&str]) -> String {
        let codes: Vec<String> = codes
            .iter()
            .map(|c| format!(r#"{{"code":"{c}","used":false}}"#))
            .collect();
        format!(
            r#"{{"codes":{{"codes":[{}]}},"revision":{}}}"#,
            codes.join(","),
            revision_json()
        )
    }

    /// The body of a v2 `vault.index` (everything but its MAC) naming key epoch `epoch`,
    /// at device `DEVICE_ID` and clock `CLOCK`; `records` and `pending` in any order (they
    /// are written by key).
    pub fn index_content(
        epoch: u32,
        generation: u64,
        records: &[(Key, Hash)],
        pending: &[(Key, Option<Hash>)],
    ) -> Vec<u8> {
        let records: std::collections::BTreeMap<_, _> = records.iter().copied().collect();
        let pending: std::collections::BTreeMap<_, _> = pending.iter().copied().collect();
        let mut out = INDEX_MAGIC.to_vec();
        out.extend_from_slice(&FORMAT.to_be_bytes());
        out.extend_from_slice(&VAULT_ID);
        out.extend_from_slice(&epoch.to_be_bytes());
        out.extend_from_slice(&DEVICE_ID);
        out.extend_from_slice(&CLOCK.0.to_be_bytes());
        out.extend_from_slice(&CLOCK.1.to_be_bytes());
        out.extend_from_slice(&generation.to_be_bytes());
        out.extend_from_slice(&(records.len() as u32).to_be_bytes());
        for (key, hash) in &records {
            out.extend_from_slice(key);
            out.extend_from_slice(hash);
        }
        out.extend_from_slice(&(pending.len() as u32).to_be_bytes());
        for (key, hash) in &pending {
            out.extend_from_slice(key);
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

    /// `content` ‖ HMAC-SHA256(index key of `data_key`, content).
    pub fn index_file_under(data_key: &[u8; 32], content: &[u8]) -> Vec<u8> {
        let mut out = content.to_vec();
        out.extend_from_slice(&hmac(
            &subkey_of(data_key, b"ringlet v1 index mac"),
            content,
        ));
        out
    }

    /// `content` ‖ HMAC-SHA256(index key, content): an index the vault authenticates.
    pub fn index_file(content: &[u8]) -> Vec<u8> {
        index_file_under(&DATA_KEY, content)
    }

    /// An index of another key (MAC'd under [`OTHER_DATA_KEY`]'s index key) naming key
    /// epoch `epoch` and listing nothing: the `vault.index` a committed password change had
    /// not yet replaced, or the `vault.index.next` of an abandoned one.
    pub fn foreign_index(epoch: u32) -> Vec<u8> {
        index_file_under(&OTHER_DATA_KEY, &index_content(epoch, 1, &[], &[]))
    }

    /// Writes `dir/records.sled` (created if missing) in one session: names the database
    /// after [`VAULT_ID`] and replaces the contents of each tree of `trees` (name, records).
    /// Returns the names of the records trees (`records…`) the database held before.
    pub fn write_trees(dir: &Path, trees: &[(&str, &[(Key, Vec<u8>)])]) -> Vec<String> {
        let db = open_sled(&dir.join("records.sled"));
        let before = db
            .tree_names()
            .into_iter()
            .map(|name| String::from_utf8_lossy(&name).into_owned())
            .filter(|name| name.starts_with("records"))
            .collect();
        let meta = db.open_tree("meta").expect("meta");
        meta.insert(b"vault_id", &VAULT_ID[..])
            .expect("meta insert");
        for (name, records) in trees {
            let tree = db.open_tree(name).expect("records");
            tree.clear().expect("clear");
            for (key, value) in records.iter() {
                tree.insert(key, value.as_slice()).expect("insert");
            }
        }
        db.flush().expect("flush");
        before
    }

    /// Opens (creating if needed) the sled database at `path`. sled's exclusive lock on its
    /// data file can outlive a dropped `Db` for a moment (the `Vault` of the last input,
    /// while sled's threads wind down): like the core's `store::open_sled`, retry briefly.
    fn open_sled(path: &Path) -> sled::Db {
        let mut attempts = 0;
        loop {
            match sled::Config::new().path(path).open() {
                Ok(db) => return db,
                Err(sled::Error::Io(e))
                    if attempts < 100 && e.to_string().contains("could not acquire lock") =>
                {
                    attempts += 1;
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                Err(e) => panic!("sled open: {e:?}"),
            }
        }
    }

    /// Replaces the records of the tree of `at` in `dir/records.sled` (created if
    /// missing) with `records`.
    pub fn write_records(dir: &Path, at: Epoch, records: &[(Key, Vec<u8>)]) {
        write_trees(dir, &[(&at.records_tree(), records)]);
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

    /// A complete backup of `version` holding `count` accounts in `plaintext` (its JSON),
    /// with the known slot of a vault whose header is `at` (version 1 has no layout or
    /// epoch in its head: its slot is layout 1's, whatever `at`):
    /// magic ‖ version ‖ vault id ‖ created ‖ count ‖ (version 2: layout ‖ epoch) ‖ slot ‖
    /// payload length ‖ AES-256-GCM(backup key, plaintext), AD = "ringlet/backup" ‖ all
    /// before ‖ SHA-256(all before).
    pub fn backup_file(
        kek: &[u8; 32],
        version: u16,
        at: Epoch,
        count: u32,
        plaintext: &[u8],
    ) -> Vec<u8> {
        let at = if version == BACKUP_VERSION_1 {
            Epoch::LAYOUT_1
        } else {
            at
        };
        let mut out = BACKUP_MAGIC.to_vec();
        out.extend_from_slice(&version.to_be_bytes());
        out.extend_from_slice(&VAULT_ID);
        out.extend_from_slice(&BACKUP_CREATED.to_be_bytes());
        out.extend_from_slice(&count.to_be_bytes());
        if version != BACKUP_VERSION_1 {
            out.extend_from_slice(&at.layout.to_be_bytes());
            out.extend_from_slice(&at.epoch.to_be_bytes());
        }
        out.extend_from_slice(&slot(kek, at));
        out.extend_from_slice(&((plaintext.len() + 28) as u32).to_be_bytes());
        let mut ad = b"ringlet/backup".to_vec();
        ad.extend_from_slice(&out);
        out.extend_from_slice(&seal(&subkey(b"ringlet v1 backup key"), &ad, plaintext));
        let checksum = sha256(&out);
        out.extend_from_slice(&checksum);
        out
    }

    /// `backup` (version 2) with its head's key epoch and layout set to `at`'s (the rest
    /// unchanged: slot, payload) and its checksum recomputed.
    pub fn backup_relabelled(backup: &[u8], at: Epoch) -> Vec<u8> {
        let mut out = backup[..backup.len() - 32].to_vec();
        out[BACKUP_PREFIX_LEN..BACKUP_PREFIX_LEN + 2].copy_from_slice(&at.layout.to_be_bytes());
        out[BACKUP_PREFIX_LEN + 2..BACKUP_PREFIX_LEN + 6].copy_from_slice(&at.epoch.to_be_bytes());
        let checksum = sha256(&out);
        out.extend_from_slice(&checksum);
        out
    }

    // --- The inputs the index and record targets share with their end-to-end twins ---

    /// The account of the index targets' two account records, and of the valid account
    /// record beside the record targets' recovery codes.
    const ACCOUNT_JSON: &str = r#"{"issuer":"Fuzz","name":"a@b","otp":{"secret":[1,2,3,4,5,6,7,8,9,10],"algorithm":"SHA1","digits":6,"kind":{"type":"totp","period":30}},"tags":["work"],"pinned":true}"#;

    /// The recovery codes the index targets store for account `[1; 16]`.
    pub const INDEX_CODES: [&str; 2] = ["1234-5678", "abcd-efgh"];

    /// The keys an index target's operations pick from: the three stored records (the
    /// accounts `[1; 16]` and `[2; 16]`, the recovery codes of `[1; 16]`) and two keys
    /// nothing is stored under (a tombstone of `[1; 16]`, differing from a stored key only
    /// by its kind, and the account `[3; 16]`).
    pub fn index_keys() -> [Key; 5] {
        [
            key(ACCOUNT, &[1; 16]),
            key(ACCOUNT, &[2; 16]),
            key(RECOVERY_CODES, &[1; 16]),
            key(TOMBSTONE, &[1; 16]),
            key(ACCOUNT, &[3; 16]),
        ]
    }

    /// The three valid records the index targets store (see [`index_keys`]): two accounts
    /// and the recovery codes ([`INDEX_CODES`]) of the first.
    pub fn index_records() -> Vec<(Key, Vec<u8>)> {
        let keys = index_keys();
        let account = account_record_json(ACCOUNT_JSON);
        vec![
            (keys[0], record_value(&keys[0], account.as_bytes())),
            (keys[1], record_value(&keys[1], account.as_bytes())),
            (
                keys[2],
                record_value(&keys[2], recovery_record_json(&INDEX_CODES).as_bytes()),
            ),
        ]
    }

    /// What the records of an index listed, when the input was built from operations.
    pub struct Listed {
        pub records: std::collections::BTreeMap<Key, Hash>,
        pub pending: std::collections::BTreeMap<Key, Option<Hash>>,
    }

    /// Where an index target's fuzzed index goes (bits 3-4 of its first byte), acted out by
    /// `vault_open_index`. `vault_index` has no files and no header: it reads the fuzzed
    /// index as under `Current`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Placement {
        /// `vault.index`.
        Current,
        /// `vault.index.next`, beside a `vault.index` of the previous key (a
        /// [`foreign_index`] naming the header's epoch - 1, or 0): a password change
        /// committed (the header is the new one) and killed before its index was renamed.
        /// `open` puts it in place and goes on as under `Current`.
        Committed,
        /// `vault.index`, MAC'd under the key of another epoch ([`OTHER_DATA_KEY`]) and,
        /// built from operations, naming the header's epoch + 1: the header is an old copy.
        /// Never opens; `HeaderRolledBack` exactly when the index names a later epoch than
        /// the header.
        RolledBack,
        /// `vault.index`, beside the `vault.index.next` of a password change abandoned
        /// before its commit (a [`foreign_index`] naming the header's epoch + 1). As
        /// `Current`; an `open` that succeeds has removed the `.next`.
        Abandoned,
    }

    /// An index target's input, decoded (see [`fuzzed_index`]).
    pub struct FuzzedIndex {
        /// The header's layout and key epoch (the records are in the tree named for it).
        pub at: Epoch,
        pub placement: Placement,
        /// The index body (everything but the MAC).
        pub content: Vec<u8>,
        /// What the index lists, when it was built from operations.
        pub listed: Option<Listed>,
    }

    impl FuzzedIndex {
        /// The index file: `content` and its MAC, under the vault's key, or under
        /// [`OTHER_DATA_KEY`]'s for [`Placement::RolledBack`].
        pub fn file(&self) -> Vec<u8> {
            match self.placement {
                Placement::RolledBack => index_file_under(&OTHER_DATA_KEY, &self.content),
                _ => index_file(&self.content),
            }
        }

        /// The key epoch the index names (bytes 26-29), if it is that long.
        pub fn named_epoch(&self) -> Option<u32> {
            let bytes = self.content.get(26..30)?;
            Some(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
        }
    }

    /// The `vault.index` an index target's input describes, over `stored` (key → hash of
    /// the stored value). First byte: bits 1-2 pick the header's layout and key epoch
    /// ([`Epoch::pick`]), bits 3-4 the [`Placement`]. Bit 0 clear: the rest is the index
    /// body after magic, version (2) and vault id (raw: key epoch, device id, clock,
    /// generation, records, pending). Bit 0 set: the index names the header's epoch (the
    /// next one under `RolledBack`), its generation is the first byte, and each following
    /// byte picks a key of [`index_keys`] (3 stored, 2 not) and what the index says of it
    /// (committed with the right or a wrong hash, pending put right or wrong, pending
    /// delete), so the settling logic is reached with matching hashes; `listed` then says
    /// what the index lists.
    pub fn fuzzed_index(
        data: &[u8],
        stored: &std::collections::BTreeMap<Key, Hash>,
    ) -> Option<FuzzedIndex> {
        let (&mode, rest) = data.split_first()?;
        let at = Epoch::pick(mode >> 1);
        let placement = [
            Placement::Current,
            Placement::Committed,
            Placement::RolledBack,
            Placement::Abandoned,
        ][usize::from((mode >> 3) & 3)];
        if mode & 1 == 0 {
            let mut content = INDEX_MAGIC.to_vec();
            content.extend_from_slice(&FORMAT.to_be_bytes());
            content.extend_from_slice(&VAULT_ID);
            content.extend_from_slice(rest);
            return Some(FuzzedIndex {
                at,
                placement,
                content,
                listed: None,
            });
        }
        let keys = index_keys();
        let mut listed = Listed {
            records: Default::default(),
            pending: Default::default(),
        };
        for &b in rest {
            let key = keys[usize::from(b % 5)];
            let right = stored.get(&key).copied().unwrap_or([0xEE; 32]);
            let wrong = [b; 32];
            match (b / 5) % 6 {
                0 => drop(listed.records.insert(key, right)),
                1 => drop(listed.records.insert(key, wrong)),
                2 => drop(listed.pending.insert(key, Some(right))),
                3 => drop(listed.pending.insert(key, Some(wrong))),
                4 => drop(listed.pending.insert(key, None)),
                _ => {}
            }
        }
        let records: Vec<_> = listed.records.iter().map(|(k, v)| (*k, *v)).collect();
        let pending: Vec<_> = listed.pending.iter().map(|(k, v)| (*k, *v)).collect();
        // No choice is the last epoch: + 1 exists.
        let epoch = match placement {
            Placement::RolledBack => at.epoch + 1,
            _ => at.epoch,
        };
        Some(FuzzedIndex {
            at,
            placement,
            content: index_content(epoch, u64::from(mode), &records, &pending),
            listed: Some(listed),
        })
    }

    impl Listed {
        /// The crash rule, written again from its documentation: the vault opens when every
        /// record is in its committed state or, when the index lists a pending change of it,
        /// in its new one.
        pub fn should_open(&self, stored: &std::collections::BTreeMap<Key, Hash>) -> bool {
            let mut keys: Vec<&Key> = stored.keys().chain(self.records.keys()).collect();
            keys.extend(self.pending.keys());
            keys.into_iter().all(|key| {
                let found = stored.get(key);
                found == self.records.get(key)
                    || self
                        .pending
                        .get(key)
                        .is_some_and(|new| found == new.as_ref())
            })
        }
    }

    /// The account id of the record targets' records.
    pub const RECORD_ID: Id = [0x33; 16];

    /// What a record target stores, built from its input.
    pub struct FuzzedRecord {
        /// The key the fuzzed value is stored under: kind ‖ [`RECORD_ID`].
        pub key: Key,
        /// The fuzzed value as stored.
        pub value: Vec<u8>,
        /// Every stored record: the fuzzed one and, beside recovery codes, a valid account
        /// record of [`RECORD_ID`] (codes belong to an account).
        pub records: Vec<(Key, Vec<u8>)>,
        /// The header's layout and key epoch; the records are in its tree.
        pub at: Epoch,
        /// A records tree of another epoch that `vault_open_record` leaves beside them
        /// (holding [`index_records`], which the index does not list): the next epoch's (a
        /// password change abandoned before its commit) or the previous one's (`records`,
        /// format v1's, at epoch 0: a change or upgrade killed before it dropped the old
        /// tree). `open` must read the current tree only, and drop this one.
        pub stray_tree: String,
    }

    impl FuzzedRecord {
        /// The fuzzed record's kind: [`ACCOUNT`], [`RECOVERY_CODES`] or [`TOMBSTONE`].
        pub fn kind(&self) -> u8 {
            self.key[0]
        }

        /// Key → hash of every stored record: what a valid index lists.
        pub fn listing(&self) -> Vec<(Key, Hash)> {
            self.records.iter().map(|(k, v)| (*k, sha256(v))).collect()
        }

        /// The body of the valid index listing the records, at the header's epoch.
        pub fn index_content(&self) -> Vec<u8> {
            index_content(self.at.epoch, 7, &self.listing(), &[])
        }
    }

    /// The records a record target's input describes. First byte: bit 0 clear, the rest
    /// is the record's plaintext (JSON), sealed by the harness with the right key and AD
    /// under the version byte bits 1-2 pick (2, the current one; 3 and 255, from a later
    /// version; 1, from an earlier one); bit 0 set, the rest is the raw stored value
    /// (version byte, nonce, ciphertext, tag). Bits 3-4 pick the record's kind: an account
    /// (0 or 3), recovery codes (1, stored beside a valid account record) or a tombstone (2).
    /// Bits 5-6 pick the header's layout and key epoch ([`Epoch::pick`]), bit 7 the stray
    /// tree (0: the next epoch's, 1: the previous one's).
    pub fn fuzzed_record(data: &[u8]) -> Option<FuzzedRecord> {
        let (&mode, rest) = data.split_first()?;
        let kind = [ACCOUNT, RECOVERY_CODES, TOMBSTONE, ACCOUNT][usize::from((mode >> 3) & 3)];
        let fuzzed_key = key(kind, &RECORD_ID);
        let value = if mode & 1 == 0 {
            let version = [RECORD_VERSION, 3, 1, 255][usize::from((mode >> 1) & 3)];
            record_value_as(version, &fuzzed_key, rest)
        } else {
            rest.to_vec()
        };
        let mut records = Vec::with_capacity(2);
        if kind == RECOVERY_CODES {
            let account = key(ACCOUNT, &RECORD_ID);
            records.push((
                account,
                record_value(&account, account_record_json(ACCOUNT_JSON).as_bytes()),
            ));
        }
        records.push((fuzzed_key, value.clone()));
        let at = Epoch::pick(mode >> 5);
        let stray_tree = match (mode >> 7, at.epoch) {
            // No choice is the last epoch: + 1 exists.
            (0, epoch) => records_tree(epoch + 1),
            (_, 0) => "records".to_owned(),
            (_, epoch) => records_tree(epoch - 1),
        };
        Some(FuzzedRecord {
            key: fuzzed_key,
            value,
            records,
            at,
            stray_tree,
        })
    }
}

/// What the record targets check of a vault holding [`vault::FuzzedRecord`]'s records
/// under a valid index, whatever the fuzzed record holds: the record is read through the
/// call that opens its kind (`entries` and `get`, `recovery_codes`, `tombstones`), and
/// * if it opens, its version byte is 2 or later, and `damaged_records` is empty;
/// * if it is `NewerRecord`, its version byte is later than 2, and it is not damaged;
/// * if it is `Damaged`, `damaged_records` lists exactly its account;
/// * no other error is possible.
///
/// The records beside it (the account beside recovery codes) stay readable.
pub fn check_record_vault(vault: &ringlet_core::vault::Vault, fuzzed: &vault::FuzzedRecord) {
    use ringlet_core::vault::VaultError;
    use ringlet_core::AccountId;

    let id = AccountId(vault::RECORD_ID);
    let opened: Result<(), VaultError> = match fuzzed.kind() {
        vault::ACCOUNT => {
            let got = vault.get(id);
            match vault.entries() {
                Ok(entries) => {
                    assert_eq!(entries.len(), 1);
                    assert_eq!(entries[0].id, id);
                    check_account(&entries[0].account, Source::Stored);
                    let entry = got.expect("the listed record");
                    assert!(entry == entries[0], "get and entries disagree");
                    Ok(())
                }
                Err(e) => {
                    let got = got.expect_err("get opened a record entries refused");
                    assert_eq!(got.to_string(), e.to_string());
                    Err(e)
                }
            }
        }
        vault::RECOVERY_CODES => {
            // Listing accounts never opens recovery codes.
            let entries = vault
                .entries()
                .expect("the account beside the codes is valid");
            assert_eq!(entries.len(), 1);
            check_account(&entries[0].account, Source::Stored);
            assert!(vault.get(id).expect("the account beside the codes") == entries[0]);
            vault.recovery_codes(id).map(|codes| {
                for code in &codes.codes {
                    let _ = format!("{code:?}");
                    let _ = code.code.len();
                }
            })
        }
        vault::TOMBSTONE => {
            assert!(vault.entries().expect("no account record").is_empty());
            assert!(
                matches!(vault.get(id), Err(VaultError::AccountNotFound(found)) if found == id)
            );
            vault.tombstones().map(|tombstones| {
                assert_eq!(tombstones.len(), 1);
                assert_eq!(tombstones[0].0, id);
            })
        }
        kind => unreachable!("kind {kind}"),
    };
    let version = fuzzed.value.first().copied();
    let damaged = vault.damaged_records().expect("listing");
    match opened {
        Ok(()) => {
            assert!(
                version.is_some_and(|v| v >= vault::RECORD_VERSION),
                "a record of version {version:?} opened"
            );
            assert!(damaged.is_empty(), "a record that opens is damaged");
        }
        Err(VaultError::NewerRecord(which)) => {
            assert_eq!(which, id);
            assert!(
                version.is_some_and(|v| v > vault::RECORD_VERSION),
                "a record of version {version:?} is called newer"
            );
            assert!(damaged.is_empty(), "a newer record is listed as damaged");
        }
        Err(e @ VaultError::Damaged(_)) => {
            let _ = e.to_string();
            assert_eq!(damaged, vec![id]);
        }
        Err(e) => panic!("unexpected error reading a record: {e}"),
    }
}

/// What the index targets check of a vault that opened over [`vault::index_records`]:
/// its two accounts list and behave, and the recovery codes of the first read back.
pub fn check_index_vault(vault: &ringlet_core::vault::Vault) {
    let entries = vault.entries().expect("every stored record is valid");
    assert_eq!(entries.len(), 2);
    entries
        .iter()
        .for_each(|e| check_account(&e.account, Source::Stored));
    let codes = vault
        .recovery_codes(ringlet_core::AccountId([1; 16]))
        .expect("the stored recovery codes");
    let codes: Vec<&str> = codes.codes.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(codes, vault::INDEX_CODES);
}
