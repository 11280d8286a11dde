//! What a person needs to move an account to another device: its `otpauth://` link as a
//! QR code, and its secret key written out to type by hand. Everything here holds the
//! secret: it is built only after the password was asked again, and shown outside the
//! webview (see the app's `reveal` window).

use zeroize::Zeroizing;

use crate::model::{Account, OtpKind};
use crate::otpauth;

/// Modules of quiet zone around the code, as the QR standard asks.
pub const QUIET_ZONE: usize = 4;

/// An account, ready to be shown.
pub struct Revealed {
    /// The canonical `otpauth://` link (the QR code's text).
    pub uri: Zeroizing<String>,
    /// The Base32 secret in groups of four, the way authenticator apps ask for it.
    pub key: Zeroizing<String>,
    /// Type, algorithm, digits and period or counter, for entering the key by hand.
    pub details: String,
    /// The QR code's dark modules, row by row, `width × width`, without quiet zone.
    pub modules: Zeroizing<Vec<bool>>,
    pub width: usize,
}

#[derive(Debug, thiserror::Error)]
#[error("This account's link is too long for a QR code.")]
pub struct TooLong;

impl Revealed {
    pub fn new(account: &Account) -> Result<Revealed, TooLong> {
        let uri = Zeroizing::new(otpauth::to_uri(account));
        let (modules, width) = qr_modules(&uri)?;
        let key = grouped_key(account);
        let otp = &account.otp;
        let details = match otp.kind {
            OtpKind::Totp { period } => format!(
                "Time-based (TOTP), {}, {} digits, every {period} s",
                otp.algorithm.as_str(),
                otp.digits
            ),
            OtpKind::Steam { period } => format!("Steam Guard, every {period} s"),
            OtpKind::Hotp { counter } => format!(
                "Counter-based (HOTP), {}, {} digits, next counter {counter}",
                otp.algorithm.as_str(),
                otp.digits
            ),
        };
        Ok(Revealed {
            uri,
            key,
            details,
            modules,
            width,
        })
    }

    /// Grey pixels (0 dark, 255 light) of the code with its quiet zone, `scale` pixels per
    /// module: `(pixels, side)`.
    pub fn grey_pixels(&self, scale: usize) -> (Zeroizing<Vec<u8>>, usize) {
        grey_pixels(&self.modules, self.width, scale)
    }
}

/// The QR code of `text` (error correction M, as phones read best): its dark modules, row
/// by row, `width × width`, without quiet zone. Shared by the reveal window and the
/// exports that draw codes.
pub fn qr_modules(text: &str) -> Result<(Zeroizing<Vec<bool>>, usize), TooLong> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|_| TooLong)?;
    let width = code.width();
    let modules = Zeroizing::new(
        code.to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect(),
    );
    Ok((modules, width))
}

/// Grey pixels (0 dark, 255 light) of the modules of [`qr_modules`] with the quiet zone,
/// `scale` pixels per module: `(pixels, side)`.
pub fn grey_pixels(modules: &[bool], width: usize, scale: usize) -> (Zeroizing<Vec<u8>>, usize) {
    let scale = scale.max(1);
    let side = (width + 2 * QUIET_ZONE) * scale;
    let mut pixels = Zeroizing::new(vec![255u8; side * side]);
    for (index, _) in modules.iter().enumerate().filter(|(_, dark)| **dark) {
        let (mx, my) = (index % width + QUIET_ZONE, index / width + QUIET_ZONE);
        for y in my * scale..(my + 1) * scale {
            pixels[y * side + mx * scale..y * side + (mx + 1) * scale].fill(0);
        }
    }
    (pixels, side)
}

/// The account's Base32 secret in groups of four, the way authenticator apps ask for it.
pub fn grouped_key(account: &Account) -> Zeroizing<String> {
    let base32 = Zeroizing::new(data_encoding::BASE32_NOPAD.encode(account.otp.secret.expose()));
    let mut key = Zeroizing::new(String::with_capacity(base32.len() * 5 / 4 + 1));
    for (i, c) in base32.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            key.push(' ');
        }
        key.push(c);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Algorithm, OtpParams, Secret};

    fn account(kind: OtpKind) -> Account {
        Account::new(
            "Example Co",
            "alice@example.com",
            OtpParams {
                secret: Secret::new(b"12345678901234567890".to_vec()),
                algorithm: Algorithm::Sha1,
                digits: 6,
                kind,
            },
        )
    }

    #[test]
    fn the_key_is_grouped_by_four_and_the_details_say_how_to_type_it() {
        let shown = Revealed::new(&account(OtpKind::Totp { period: 30 })).unwrap();
        assert_eq!(&*shown.key, "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
        assert_eq!(
            shown.details,
            "Time-based (TOTP), SHA1, 6 digits, every 30 s"
        );
        let hotp = Revealed::new(&account(OtpKind::Hotp { counter: 7 })).unwrap();
        assert!(hotp.details.ends_with("next counter 7"), "{}", hotp.details);
    }

    #[test]
    fn the_qr_code_reads_back_as_the_same_account() {
        let original = account(OtpKind::Totp { period: 30 });
        let shown = Revealed::new(&original).unwrap();
        let (pixels, side) = shown.grey_pixels(4);
        let mut png = Vec::new();
        {
            use image::ImageEncoder;
            image::codecs::png::PngEncoder::new(&mut png)
                .write_image(
                    &pixels,
                    side as u32,
                    side as u32,
                    image::ExtendedColorType::L8,
                )
                .unwrap();
        }
        // Through our own decoder, as a phone's camera would read it.
        let texts = crate::qr::decode(&png).unwrap();
        assert_eq!(texts, vec![shown.uri.to_string()]);
        let back = otpauth::parse(&texts[0]).unwrap();
        assert!(back.same_as(&original));
        assert_eq!(back.issuer, original.issuer);
        assert_eq!(back.name, original.name);
    }

    #[test]
    fn the_quiet_zone_is_light() {
        let shown = Revealed::new(&account(OtpKind::Totp { period: 30 })).unwrap();
        let (pixels, side) = shown.grey_pixels(2);
        assert_eq!(side, (shown.width + 8) * 2);
        assert!(pixels[..side * QUIET_ZONE * 2].iter().all(|&p| p == 255));
        assert!(pixels.contains(&0));
    }
}
