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

/// What one run of the CLI gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The CLI under test on the vault `vault`, its password the first line of
/// `password_file`, with `args`; standard input closed (not a terminal), its output piped,
/// `RINGLET_VAULT` unset.
pub fn cli_on(vault: &Path, password_file: &Path, args: &[&str]) -> Command {
    let mut command = test_cli();
    command
        .arg("--vault")
        .arg(vault)
        .arg("--password-file")
        .arg(password_file)
        .args(args)
        .env_remove("RINGLET_VAULT")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    command
}

/// Runs [`cli_on`] to its end. A run that panicked fails the test.
pub fn run_cli(vault: &Path, password_file: &Path, args: &[&str]) -> Run {
    let output = cli_on(vault, password_file, args)
        .output()
        .expect("run ringlet-cli");
    let run = Run {
        code: output.status.code().expect("exited, not killed"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// A temporary folder holding a vault (fast key derivation) and a file with its password,
/// for tests that run the CLI on it.
pub struct TestVault {
    pub temp: tempfile::TempDir,
    pub vault: std::path::PathBuf,
    pub password_file: std::path::PathBuf,
}

impl TestVault {
    /// A vault with `password`, holding `accounts`.
    pub fn with(password: &str, accounts: &[ringlet_core::Account]) -> TestVault {
        let temp = tempfile::tempdir().expect("temp dir");
        let vault = temp.path().join("vault");
        drop(accounts::vault_with(&vault, password.as_bytes(), accounts));
        let password_file = temp.path().join("password.txt");
        std::fs::write(&password_file, format!("{password}\n")).expect("password file");
        TestVault {
            temp,
            vault,
            password_file,
        }
    }

    /// `name` in the temporary folder.
    pub fn path(&self, name: &str) -> std::path::PathBuf {
        self.temp.path().join(name)
    }

    /// Writes `content` to `name` in the temporary folder.
    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> std::path::PathBuf {
        let path = self.path(name);
        std::fs::write(&path, content).expect("write");
        path
    }

    /// [`run_cli`] on this vault with its password.
    pub fn run(&self, args: &[&str]) -> Run {
        run_cli(&self.vault, &self.password_file, args)
    }
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
