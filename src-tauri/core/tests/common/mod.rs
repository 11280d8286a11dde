//! Helpers for the test files in `tests/`: fast key derivation for test vaults, where the
//! shared QR corpus and other apps' fixtures are (`shared/`, beside the project), and the
//! record of a check that could not run. Each test file compiles this module on its own
//! (`mod common;`) and uses only part of it.
#![allow(dead_code)]

pub mod accounts;
pub mod sntp_server;

use std::io::Write;
use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use ringlet_core::vault::{KdfParams, HEADER_FILE};

/// Fast key derivation for test vaults, kept at unlock in this test process (test builds
/// only: `keep_weak_kdf_for_tests`).
pub fn fast_kdf() -> KdfParams {
    ringlet_core::vault::keep_weak_kdf_for_tests();
    KdfParams::fast_for_tests()
}

/// The folder of the shared QR corpus and other apps' fixtures: `$RINGLET_SHARED`, else
/// `shared/` beside the project (as `src-tauri/scripts/fuzz` and `bench-qr` find it). A
/// fresh clone may have none.
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("RINGLET_SHARED") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => beside_the_project().join("shared"),
    }
}

/// The folder that holds the project: three up from the crate under test (`src-tauri/core`
/// or `src-tauri/cli`, which includes this file).
fn beside_the_project() -> &'static Path {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate_dir.ancestors().nth(3).unwrap_or(crate_dir)
}

/// `part` of the shared folder (`qr-corpus`, `fixtures/aegis-importers`) when it is there.
/// When it is not, records that the calling test did not run (see `not_run`) and gives
/// `None`: the test returns at once.
#[track_caller]
pub fn shared(part: &str) -> Option<PathBuf> {
    let dir = shared_dir().join(part);
    if dir.is_dir() {
        return Some(dir);
    }
    not_run(&format!(
        "needs {} (set RINGLET_SHARED, or put shared/ beside the project)",
        dir.display()
    ));
    None
}

/// Records that the calling test could not run, and why: printed, and appended as one line
/// (`FILE: TEST<tab>REASON`) to the file `$RINGLET_NOT_RUN_FILE` names, which
/// `src-tauri/scripts/dev test` lists at its end. Cargo shows nothing of a test that
/// passes, so a test that returns early must call this.
#[track_caller]
pub fn not_run(reason: &str) {
    // One line, whatever the reason quotes (a command's stderr may have several).
    let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
    let file = std::panic::Location::caller().file();
    let thread = std::thread::current();
    let check = format!("{file}: {}", thread.name().unwrap_or("(unnamed test)"));
    eprintln!("NOT RUN {check}: {reason}");
    let Some(path) = std::env::var_os("RINGLET_NOT_RUN_FILE") else {
        return;
    };
    // One write of one line in append mode: lines from tests running side by side stay whole.
    let line = format!("{check}\t{reason}\n");
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| file.write_all(line.as_bytes()));
    if let Err(error) = written {
        panic!("cannot record a check not run in {path:?}: {error}");
    }
}

/// Copies the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Every file under `dir`, by path, with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// The Argon2id parameters of the header's password slot, read from the file.
pub fn header_params(dir: &Path) -> KdfParams {
    let header = std::fs::read(dir.join(HEADER_FILE)).unwrap();
    // The first slot's parameters follow magic, version, vault id, (layout 2: key epoch)
    // and the slot count, then the slot's kind byte.
    let slot = if header[8..10] == [0, 1] { 27 } else { 31 };
    let word = |at: usize| u32::from_be_bytes(header[at..at + 4].try_into().unwrap());
    KdfParams {
        memory_kib: word(slot + 1),
        iterations: word(slot + 5),
        parallelism: word(slot + 9),
    }
}

/// A QR code of `text` (error correction M) drawn by the `qrcode` crate, `module` pixels to
/// a module, with the standard quiet zone of four modules: black on white, 8-bit grey.
pub fn qr_image(text: &str, module: u32) -> image::GrayImage {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .expect("the text fits in a QR code");
    let modules = code.width() as u32;
    let colours = code.to_colors();
    let side = (modules + 8) * module;
    image::GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = ((x / module).wrapping_sub(4), (y / module).wrapping_sub(4));
        let dark = mx < modules
            && my < modules
            && colours[(my * modules + mx) as usize] == qrcode::Color::Dark;
        image::Luma([if dark { 0 } else { 255 }])
    })
}

/// SplitMix64: a small seeded generator, so a failing run replays from its printed seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// The number in the environment variable `name`, else `default`.
pub fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}
