//! Google Authenticator's "Transfer accounts" QR codes: `otpauth-migration://offline?data=…`
//! links, each drawn as a PNG for a phone's camera.
//!
//! The payload is the protobuf `MigrationPayload` that [`crate::import::google_authenticator`]
//! reads (its header has the schema, read from Aegis's `google_auth.proto` and
//! dim13/otpauth): `otp_parameters` (secret bytes, name, issuer, algorithm 1–3, digits 1 =
//! six / 2 = eight, type 1 = HOTP / 2 = TOTP, counter), `version` 1, and `batch_size`,
//! `batch_index` and `batch_id` (one random positive id shared by the export's codes).
//! `name` is written `Issuer:name` as Google Authenticator writes it (`:name` when there
//! is no issuer and the name holds a colon, so that no part of it is read as an issuer).
//! `data` is Base64 with `+`, `/` and `=` percent-encoded.
//!
//! Codes are kept small enough for a phone camera: at most [`MAX_ACCOUNTS_PER_CODE`] (10,
//! about what Google Authenticator's own exports hold a code) and at most
//! [`MAX_LINK_LEN`] bytes of link (QR version 26 at error correction M, 121 modules a side,
//! drawn 6 pixels a module: read from a screen or a printed page). Accounts are packed in
//! vault order, a new code starting when the next account would break either bound.
//!
//! Left out, each named with the reason (Google Authenticator would compute other codes):
//! Steam accounts, periods other than 30 seconds, digit counts other than 6 or 8, and an
//! account whose link alone is longer than [`MAX_LINK_LEN`]. Lost: tags, notes, pins,
//! icons, recovery codes.

use zeroize::Zeroizing;

use super::{random, About, ExportError, ExportFormat, Exported, LeftOut, Protection, Source};
use crate::model::{Account, Algorithm, OtpKind};
use crate::reveal::{grey_pixels, qr_modules};

pub struct GoogleQr;

/// Most accounts in one code: about what Google Authenticator's own exports hold in one.
pub const MAX_ACCOUNTS_PER_CODE: usize = 10;
/// Longest link in one code, in bytes: a QR code of version 26 at error correction M at
/// most (121 modules a side), which a phone camera reads at [`PIXELS_PER_MODULE`].
pub const MAX_LINK_LEN: usize = 1000;
/// The PNGs' scale: 6 pixels a module, (121 + 8) × 6 = 774 pixels for the largest code.
pub const PIXELS_PER_MODULE: usize = 6;
/// Google Authenticator's only period.
const PERIOD: u32 = 30;
const PREFIX: &str = "otpauth-migration://offline?data=";

const ABOUT: About = About {
    id: "google-qr",
    name: "Google Authenticator transfer QR codes (PNG images)",
    protection: Protection::Plain,
    loses: "tags, notes, pins, icons, recovery codes, clock offsets; leaves out Steam, periods other than 30 s, digits other than 6 or 8",
    numbered: true,
    extension: "png",
};

impl ExportFormat for GoogleQr {
    fn about(&self) -> &About {
        &ABOUT
    }

    fn write(
        &self,
        source: &Source<'_>,
        _password: Option<&[u8]>,
    ) -> Result<Exported, ExportError> {
        let accounts = source.accounts();
        let export = links(&accounts)?;
        let files = export
            .links
            .iter()
            .map(|link| png(link))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Exported {
            files,
            accounts: export.accounts,
            left_out: export.left_out,
        })
    }
}

/// An export's links, one a QR code, in order.
pub struct Links {
    pub links: Vec<Zeroizing<String>>,
    /// How many accounts they hold.
    pub accounts: usize,
    pub left_out: Vec<LeftOut>,
}

/// The links of an export of `accounts` (see the module's text for the bounds).
pub fn links(accounts: &[&Account]) -> Result<Links, ExportError> {
    let mut left_out = Vec::new();
    let mut batches: Vec<Vec<Zeroizing<Vec<u8>>>> = Vec::new();
    let mut current: Vec<Zeroizing<Vec<u8>>> = Vec::new();
    let mut count = 0;
    for account in accounts {
        if let Some(reason) = not_carried(account) {
            left_out.push(LeftOut::new(account, reason));
            continue;
        }
        let entry = entry(account);
        if link_len(std::slice::from_ref(&entry)) > MAX_LINK_LEN {
            left_out.push(LeftOut::new(
                account,
                "its link is too long for one QR code",
            ));
            continue;
        }
        current.push(entry);
        if current.len() > MAX_ACCOUNTS_PER_CODE || link_len(&current) > MAX_LINK_LEN {
            let next = current.pop().into_iter().collect();
            batches.push(std::mem::replace(&mut current, next));
        }
        count += 1;
    }
    if !current.is_empty() {
        batches.push(current);
    }
    if batches.is_empty() {
        return Err(ExportError::NothingToExport(
            "Google Authenticator has no Steam codes, and only 30-second codes of 6 or 8 digits",
        ));
    }
    // Positive, so that it takes at most 5 bytes (a negative int32 takes 10).
    let batch_id = i32::from_be_bytes(random::<4>()?) & i32::MAX;
    let size = batches.len();
    let links = batches
        .iter()
        .enumerate()
        .map(|(index, entries)| link(&payload(entries, size, index, batch_id)))
        .collect();
    Ok(Links {
        links,
        accounts: count,
        left_out,
    })
}

/// The code of `link` as a PNG (8-bit grey), [`PIXELS_PER_MODULE`] pixels a module.
pub fn png(link: &str) -> Result<Zeroizing<Vec<u8>>, ExportError> {
    use image::ImageEncoder;
    let (modules, width) =
        qr_modules(link).map_err(|_| ExportError::Internal("a link did not fit a QR code"))?;
    let (pixels, side) = grey_pixels(&modules, width, PIXELS_PER_MODULE);
    let side = u32::try_from(side).map_err(|_| ExportError::Internal("the image is too large"))?;
    let mut out = Zeroizing::new(Vec::new());
    image::codecs::png::PngEncoder::new(&mut *out)
        .write_image(&pixels, side, side, image::ExtendedColorType::L8)
        .map_err(|_| ExportError::Internal("the PNG could not be encoded"))?;
    Ok(out)
}

/// Why Google Authenticator cannot carry `account`, if it cannot.
fn not_carried(account: &Account) -> Option<&'static str> {
    match account.otp.kind {
        OtpKind::Steam { .. } => Some("Google Authenticator has no Steam codes"),
        OtpKind::Totp { period } if period != PERIOD => {
            Some("Google Authenticator's codes change every 30 seconds only")
        }
        _ if !matches!(account.otp.digits, 6 | 8) => {
            Some("Google Authenticator shows 6 or 8 digits only")
        }
        _ => None,
    }
}

/// One `OtpParameters` message.
fn entry(account: &Account) -> Zeroizing<Vec<u8>> {
    let otp = &account.otp;
    let name = if !account.issuer.is_empty() {
        format!("{}:{}", account.issuer, account.name)
    } else if account.name.contains(':') {
        format!(":{}", account.name)
    } else {
        account.name.clone()
    };
    let mut out = Zeroizing::new(Vec::with_capacity(64 + name.len() + account.issuer.len()));
    bytes_field(&mut out, 1, otp.secret.expose());
    bytes_field(&mut out, 2, name.as_bytes());
    bytes_field(&mut out, 3, account.issuer.as_bytes());
    let algorithm = match otp.algorithm {
        Algorithm::Sha1 => 1,
        Algorithm::Sha256 => 2,
        Algorithm::Sha512 => 3,
    };
    varint_field(&mut out, 4, algorithm);
    varint_field(&mut out, 5, if otp.digits == 8 { 2 } else { 1 });
    match otp.kind {
        OtpKind::Hotp { counter } => {
            varint_field(&mut out, 6, 1);
            varint_field(&mut out, 7, counter);
        }
        _ => varint_field(&mut out, 6, 2),
    }
    out
}

/// The `MigrationPayload` of `entries`, code `index` of `size`.
fn payload(
    entries: &[Zeroizing<Vec<u8>>],
    size: usize,
    index: usize,
    batch_id: i32,
) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(
        entries.iter().map(|e| e.len() + 3).sum::<usize>() + 16,
    ));
    for entry in entries {
        bytes_field(&mut out, 1, entry);
    }
    varint_field(&mut out, 2, 1);
    varint_field(&mut out, 3, size as u64);
    varint_field(&mut out, 4, index as u64);
    varint_field(&mut out, 5, u64::from(batch_id.unsigned_abs()));
    out
}

/// The length of the link of `entries` with the largest batch fields the export can have.
fn link_len(entries: &[Zeroizing<Vec<u8>>]) -> usize {
    link(&payload(
        entries,
        u32::MAX as usize,
        u32::MAX as usize,
        i32::MAX,
    ))
    .len()
}

fn link(payload: &[u8]) -> Zeroizing<String> {
    let base64 = Zeroizing::new(data_encoding::BASE64.encode(payload));
    let mut out = Zeroizing::new(String::with_capacity(PREFIX.len() + base64.len() * 3 / 2));
    out.push_str(PREFIX);
    for c in base64.chars() {
        match c {
            '+' => out.push_str("%2B"),
            '/' => out.push_str("%2F"),
            '=' => out.push_str("%3D"),
            c => out.push(c),
        }
    }
    out
}

fn varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn varint_field(out: &mut Vec<u8>, number: u64, value: u64) {
    varint(out, number << 3);
    varint(out, value);
}

fn bytes_field(out: &mut Vec<u8>, number: u64, bytes: &[u8]) {
    varint(out, (number << 3) | 2);
    varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::google_authenticator;
    use crate::model::{OtpParams, Secret};

    fn account(issuer: &str, name: &str, kind: OtpKind) -> Account {
        Account::new(
            issuer,
            name,
            OtpParams {
                secret: Secret::new(b"12345678901234567890".to_vec()),
                algorithm: Algorithm::Sha512,
                digits: 8,
                kind,
            },
        )
    }

    #[test]
    fn codes_hold_at_most_ten_accounts_and_read_back_in_order() {
        let many: Vec<Account> = (0..23)
            .map(|i| account(&format!("Issuer {i}"), "a:b", OtpKind::Hotp { counter: i }))
            .collect();
        let refs: Vec<&Account> = many.iter().collect();
        let export = links(&refs).unwrap();
        assert_eq!(export.links.len(), 3);
        let mut back = Vec::new();
        for (index, link) in export.links.iter().enumerate() {
            assert!(link.len() <= MAX_LINK_LEN);
            let batch = google_authenticator::parse(link).unwrap();
            assert_eq!((batch.batch_size, batch.batch_index), (3, index as u32));
            assert!(batch.batch_id >= 0);
            assert!(batch.entries.len() <= MAX_ACCOUNTS_PER_CODE);
            back.extend(batch.accounts().cloned());
        }
        assert_eq!(back, many);
    }

    #[test]
    fn long_labels_start_a_new_code_and_a_label_too_long_for_any_is_left_out() {
        let long = account(&"L".repeat(300), "x", OtpKind::Totp { period: 30 });
        let huge = account(&"H".repeat(2000), "x", OtpKind::Totp { period: 30 });
        let steam = account("Steam", "s", OtpKind::Steam { period: 30 });
        let slow = account("Slow", "s", OtpKind::Totp { period: 60 });
        let export = links(&[&long, &huge, &long, &long, &steam, &slow]).unwrap();
        assert_eq!(export.accounts, 3);
        assert!(
            export.links.len() >= 2,
            "three 300-byte issuers do not fit one code"
        );
        assert!(export.links.iter().all(|l| l.len() <= MAX_LINK_LEN));
        let reasons: Vec<&str> = export.left_out.iter().map(|l| l.reason).collect();
        assert_eq!(
            reasons,
            [
                "its link is too long for one QR code",
                "Google Authenticator has no Steam codes",
                "Google Authenticator's codes change every 30 seconds only"
            ]
        );
        assert!(matches!(
            links(&[&steam]),
            Err(ExportError::NothingToExport(_))
        ));
    }
}
