//! An image holding QR codes: a screenshot of a website's set-up page, a photo, an export
//! code shown by a phone. Every code found is read as a link ([`super::link`]).
//!
//! Recognised by the image's magic bytes (PNG, JPEG, GIF, BMP, WebP, TIFF, …); decoding is
//! the QR pipeline's ([`crate::qr`]). Nothing is dropped beyond what a link carries.

use super::link::read_link;
use super::{Contents, Format, ImportError};
use crate::qr;

pub struct QrImage;

impl Format for QrImage {
    fn name(&self) -> &'static str {
        "QR code image"
    }

    fn id(&self) -> &'static str {
        "qr"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        image::guess_format(bytes).is_ok()
    }

    fn read(&self, bytes: &[u8], _password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let texts = qr::decode(bytes)?;
        if texts.is_empty() {
            return Err(ImportError::NothingFound);
        }
        let mut contents = Contents::default();
        for (index, text) in texts.iter().enumerate() {
            contents.append(read_link(text, index + 1));
        }
        Ok(contents)
    }
}
