//! Helpers for the test files in `tests/`: the CLI under test (which keeps the test vaults'
//! fast key derivation), QR code images as PNG files, and, from the core's test helpers
//! (`src-tauri/core/tests/common/mod.rs`, included here), fast key derivation, QR images,
//! where the shared corpus and fixtures are, the record of a check that could not run, and
//! folder copies. Each test file compiles this module on its own (`mod common;`) and uses
//! only part of it.
#![allow(dead_code)]

use std::io::Cursor;
use std::path::Path;
use std::process::Command;

use image::{GrayImage, ImageFormat};

#[path = "../../../core/tests/common/mod.rs"]
mod core_common;
pub use core_common::*;

/// The CLI under test, which keeps the test vaults' fast key derivation too.
pub fn test_cli() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ringlet-cli"));
    command.env(ringlet_core::vault::KEEP_WEAK_KDF_ENV, "1");
    command
}

/// `image` as a PNG.
pub fn png(image: &GrayImage) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image
        .write_to(&mut out, ImageFormat::Png)
        .expect("encode png");
    out.into_inner()
}

/// `qr_image` as a PNG file at `path`.
pub fn write_qr_png(path: &Path, text: &str, module: u32) {
    std::fs::write(path, png(&qr_image(text, module)))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}
