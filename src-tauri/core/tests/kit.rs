//! The emergency kit's page from a real vault: where the vault is and how to restore,
//! no secret unless asked; with secrets, each account's QR code read back by Ringlet's own
//! QR decoder into its `otpauth://` link, and its recovery codes printed.

mod common;

use ringlet_core::export::kit;
use ringlet_core::model::{RecoveryCode, RecoveryCodes};
use ringlet_core::reveal::{grouped_key, Revealed};
use ringlet_core::vault::backup::status::BackupStatus;

const PASSWORD: &[u8] = b"kit test password";
const NOW: u64 = 1_800_000_000;

fn ok<T, E: std::fmt::Display>(result: Result<T, E>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

/// The QR codes of the page, as PNG images: each `<svg>`'s path of unit squares drawn
/// 6 pixels a module.
fn qr_images(html: &str) -> Vec<Vec<u8>> {
    let mut images = Vec::new();
    for svg in html.split("<svg").skip(1) {
        let side: u32 = ok(svg
            .split("viewBox=\"0 0 ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .ok_or("no view box")
            .and_then(|side| side.parse().map_err(|_| "bad side")));
        let path = ok(svg
            .split("d=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .ok_or("no path"));
        const SCALE: u32 = 6;
        let mut image =
            image::GrayImage::from_pixel(side * SCALE, side * SCALE, image::Luma([255]));
        for square in path.split('M').filter(|s| !s.is_empty()) {
            let corner = ok(square.strip_suffix("h1v1h-1z").ok_or("not a square"));
            let (x, y) = ok(corner.split_once(' ').ok_or("no y"));
            let (x, y): (u32, u32) = (ok(x.parse()), ok(y.parse()));
            for dy in 0..SCALE {
                for dx in 0..SCALE {
                    image.put_pixel(x * SCALE + dx, y * SCALE + dy, image::Luma([0]));
                }
            }
        }
        let mut png = Vec::new();
        ok(image.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png));
        images.push(png);
    }
    images
}

#[test]
fn the_kit_says_where_and_how_and_holds_no_secret_unless_asked() {
    let temp = ok(tempfile::tempdir());
    let dir = temp.path().join("my <vault>");
    let accounts = common::accounts::mix();
    let vault = common::accounts::vault_with(&dir, PASSWORD, &accounts);
    let stick = temp.path().join("stick");
    ok(std::fs::create_dir(&stick));
    let mut status = BackupStatus::load(&vault.backup_dir());
    status.set_second_folder(Some(stick.clone()));
    ok(status.save(&vault.backup_dir()));

    let page = ok(kit::for_vault(&vault, false, NOW));
    let html = ok(String::from_utf8(page.to_vec()));
    let escaped = |path: &std::path::Path| {
        path.display()
            .to_string()
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    assert!(html.contains(&escaped(&dir)), "the vault's path");
    assert!(html.contains(&escaped(&vault.backup_dir())), "its backups");
    assert!(html.contains(&escaped(&stick)), "the second folder");
    assert!(html.contains("ringlet-cli restore"));
    assert!(html.contains("Settings → Backups"));
    assert!(html.contains("class=\"blank\""), "lines for the password");
    assert!(html.contains("default-src 'none'"));
    assert!(!html.contains("<script"));
    assert!(!html.contains("<svg"), "no QR code without secrets");
    assert!(!html.contains("otpauth"));
    for account in &accounts {
        let key = grouped_key(account);
        assert!(!html.contains(key.as_str()), "{}'s key", account.issuer);
        assert!(!html.contains(&account.issuer) || account.issuer.is_empty());
    }
    assert!(!html.contains(std::str::from_utf8(PASSWORD).unwrap_or_default()));
}

#[test]
fn with_secrets_every_qr_code_reads_back_and_recovery_codes_are_printed() {
    let temp = ok(tempfile::tempdir());
    let accounts = common::accounts::mix();
    let vault = common::accounts::vault_with(&temp.path().join("vault"), PASSWORD, &accounts);
    let first = ok(vault.entries())[0].id;
    let codes = RecoveryCodes {
        codes: vec![
            RecoveryCode {
                code: "abcd-efgh".into(),
                used: false,
            },
            RecoveryCode {
                code: "<ijkl-mnop>".into(),
                used: true,
            },
        ],
    };
    ok(vault.set_recovery_codes(first, &codes));

    let page = ok(kit::for_vault(&vault, true, NOW));
    let html = ok(String::from_utf8(page.to_vec()));
    assert!(
        html.contains("whoever sees it can sign in as you"),
        "the warning"
    );
    assert!(html.contains("<div>abcd-efgh</div>"));
    assert!(html.contains("<div class=\"used\">&lt;ijkl-mnop&gt;</div>"));

    let mut expected: Vec<String> = ok(vault.entries())
        .iter()
        .filter_map(|entry| Revealed::new(&entry.account).ok())
        .map(|revealed| revealed.uri.to_string())
        .collect();
    assert!(!expected.is_empty());
    let mut read: Vec<String> = qr_images(&html)
        .iter()
        .flat_map(|png| ok(ringlet_core::qr::decode(png)))
        .collect();
    expected.sort();
    read.sort();
    assert_eq!(read, expected);
}
