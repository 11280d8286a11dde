//! Hostile and odd files through the real binary: `decode-qr` and `import` answer with a
//! clear message and exit 1, quickly, never a panic — and the vault is left as it was.

mod common;

use std::fs;
use std::process::Output;
use std::time::{Duration, Instant};

use ringlet_core::vault::Vault;

use common::{fast_kdf, test_cli};

const BIN: &str = env!("CARGO_BIN_EXE_ringlet-cli");
const PASSWORD: &str = "hostile files 1";

/// CRC-32 (IEEE), for building PNG chunks by hand.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
    out
}

/// A PNG whose header claims 30 000 × 30 000 pixels: a few dozen bytes that would need
/// 900 MB (grey) to decode.
fn decompression_bomb() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&30_000u32.to_be_bytes());
    ihdr.extend_from_slice(&30_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit grey
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    png.extend(chunk(b"IEND", &[]));
    png
}

fn run(args: &[&str]) -> (Output, Duration) {
    let started = Instant::now();
    let output = test_cli()
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {BIN}: {error}"));
    (output, started.elapsed())
}

/// A clean QR code of a setup link, 180 pixels square (4-pixel modules).
fn clean_image() -> Vec<u8> {
    common::png(&common::qr_image(
        "otpauth://totp/Dropbox:admin?secret=KZXW6YPBOI3TSMRQ&issuer=Dropbox&period=60",
        4,
    ))
}

#[test]
fn hostile_images_get_a_clear_error_fast() {
    let temp = tempfile::tempdir().unwrap();
    let png = clean_image();
    // Whole, it reads: only the cut makes it damaged.
    assert_eq!(ringlet_core::qr::decode(&png).expect("decodes").len(), 1);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("bomb.png", decompression_bomb(), "too large"),
        (
            "truncated.png",
            png[..png.len() / 3].to_vec(),
            "damaged or incomplete",
        ),
        ("empty.png", Vec::new(), "not an image"),
        (
            "random.bin",
            (0..4096u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect(),
            "not an image",
        ),
        (
            "text.png",
            b"this is not an image at all".to_vec(),
            "not an image",
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = temp.path().join(name);
        fs::write(&path, bytes).unwrap();
        let (output, took) = run(&["decode-qr", path.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&output.stderr).to_lowercase();
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        assert!(
            stderr.contains(expected),
            "{name}: expected \"{expected}\" in {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(took < Duration::from_secs(20), "{name} took {took:?}");
    }
}

#[test]
fn importing_hostile_files_adds_nothing_and_keeps_the_vault() {
    let temp = tempfile::tempdir().unwrap();
    let vault_dir = temp.path().join("vault");
    drop(Vault::create_with(&vault_dir, PASSWORD.as_bytes(), fast_kdf()).unwrap());
    let password_file = temp.path().join("password");
    fs::write(&password_file, format!("{PASSWORD}\n")).unwrap();
    let bomb = temp.path().join("bomb.png");
    fs::write(&bomb, decompression_bomb()).unwrap();
    let json = temp.path().join("export.json");
    fs::write(&json, br#"{"entries": [{"secret": "JBSWY3DPEHPK3PXP"}]}"#).unwrap();

    let (output, _) = run(&[
        "--vault",
        vault_dir.to_str().unwrap(),
        "--password-file",
        password_file.to_str().unwrap(),
        "import",
        bomb.to_str().unwrap(),
        json.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("bomb.png") && stderr.contains("too large"),
        "{stderr}"
    );
    assert!(stderr.contains("export.json"), "{stderr}");
    assert!(
        !stderr.contains("JBSWY3DPEHPK3PXP"),
        "a secret was echoed: {stderr}"
    );
    let vault = Vault::open(&vault_dir, PASSWORD.as_bytes()).unwrap();
    assert!(vault.entries().unwrap().is_empty());
}
