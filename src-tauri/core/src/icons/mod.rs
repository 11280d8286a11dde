//! An account's picture, decided once for the app and the CLI: the bundled icon its issuer
//! matches (by name or by one of its known domains), a letter avatar with a stable colour,
//! or a custom image the person chose, made here into a small PNG kept in the account.
//! Nothing is ever fetched over the network.
//!
//! The bundled icons are simple-icons' (CC0 1.0), copied in by `icons/issuers/update` from
//! the list in `icons/issuers/list.txt`; [`bundled`] is the table it writes.

mod bundled;

use std::io::Cursor;

use image::imageops::FilterType;

use crate::model::{Account, Icon};
use crate::qr::{self, QrError};

pub use bundled::SIMPLE_ICONS_VERSION;

/// One icon Ringlet ships.
#[derive(Debug)]
pub struct Bundled {
    /// Its name (simple-icons' slug), what [`Icon::Bundled`] stores.
    pub name: &'static str,
    /// The service's names, as written: an issuer equal to one (case, spaces and
    /// punctuation ignored) matches.
    pub titles: &'static [&'static str],
    /// The service's domains: an issuer that is one, or a subdomain of one, matches.
    pub domains: &'static [&'static str],
    /// Its place in `bundled::SVGS`.
    index: usize,
}

impl Bundled {
    /// The SVG, one path with its brand colour as fill: shown only as an image
    /// (`<img src="data:…">`), never as markup.
    pub fn svg(&self) -> &'static str {
        bundled::SVGS[self.index]
    }
}

/// Icons are one by their name.
impl PartialEq for Bundled {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Bundled {}

/// Every icon Ringlet ships.
pub fn all() -> &'static [Bundled] {
    bundled::BUNDLED
}

/// The bundled icon named `name`.
pub fn named(name: &str) -> Option<&'static Bundled> {
    all().iter().find(|icon| icon.name == name)
}

/// The bundled icon an issuer names: its title or name (`"GitHub"`, `"git hub"`), or one of
/// its domains or a subdomain of one (`"github.com"`, `"https://accounts.google.com/"`).
pub fn bundled_for(issuer: &str) -> Option<&'static Bundled> {
    let key = fold(issuer);
    if key.is_empty() {
        return None;
    }
    if let Some(icon) = all()
        .iter()
        .find(|icon| fold(icon.name) == key || icon.titles.iter().any(|t| fold(t) == key))
    {
        return Some(icon);
    }
    let host = host_of(issuer)?;
    all().iter().find(|icon| {
        icon.domains.iter().any(|domain| {
            host == *domain
                || host
                    .strip_suffix(domain)
                    .is_some_and(|rest| rest.ends_with('.'))
        })
    })
}

/// What an account shows, resolved: the person's choice, else the bundled icon its issuer
/// matches, else the letter avatar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown<'a> {
    Bundled(&'static Bundled),
    Image(&'a [u8]),
    Letter(Avatar),
    None,
}

impl Shown<'_> {
    /// The picture as a `data:` address for an `<img>` (where an SVG's scripts never run),
    /// `None` for a letter or no picture.
    pub fn data_url(&self) -> Option<String> {
        let base64 = |bytes: &[u8]| data_encoding::BASE64.encode(bytes);
        match self {
            Shown::Bundled(icon) => Some(format!(
                "data:image/svg+xml;base64,{}",
                base64(icon.svg().as_bytes())
            )),
            Shown::Image(png) => Some(format!("data:image/png;base64,{}", base64(png))),
            Shown::Letter(_) | Shown::None => None,
        }
    }
}

/// A letter avatar: the label's first letter on a colour picked by a hash of the label
/// (the same on every computer and in every version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Avatar {
    pub letter: String,
    /// A hue, 0–359 degrees (the UI picks lightness and saturation for its theme).
    pub hue: u16,
}

/// The picture of `account`.
pub fn shown(account: &Account) -> Shown<'_> {
    let letter = || Shown::Letter(avatar(&account.issuer, &account.name));
    match &account.icon {
        Some(Icon::Image { png }) => Shown::Image(png),
        Some(Icon::Bundled { name }) => named(name).map_or_else(letter, Shown::Bundled),
        Some(Icon::None) => Shown::None,
        Some(Icon::Letter | Icon::Custom { .. }) => letter(),
        None => bundled_for(&account.issuer).map_or_else(letter, Shown::Bundled),
    }
}

/// The letter avatar of an account: the issuer's first letter or digit (the name's when the
/// issuer has none), upper case; its hue from FNV-1a of the folded issuer (or name).
pub fn avatar(issuer: &str, name: &str) -> Avatar {
    let source = if fold(issuer).is_empty() {
        name
    } else {
        issuer
    };
    let letter = source
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_else(|| "?".to_owned());
    let mut hash: u32 = 0x811c_9dc5;
    for byte in fold(source).bytes() {
        hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    Avatar {
        letter,
        hue: (hash % 360) as u16,
    }
}

/// Lower case, letters and digits only: "Git Hub!" and "github" are one key.
fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The host an issuer written as a web address or a domain names: `"https://www.GitHub.com/x"`
/// → `github.com`; `None` when it is no domain (no dot, or spaces).
fn host_of(issuer: &str) -> Option<String> {
    let text = issuer.trim().to_lowercase();
    let text = text
        .split_once("://")
        .map_or(text.as_str(), |(_, rest)| rest);
    let host = text.split(['/', '?', '#', ':']).next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    let host = host.rsplit_once('@').map_or(host, |(_, domain)| domain);
    let valid = host.contains('.')
        && !host.starts_with('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    valid.then(|| host.to_owned())
}

/// Largest image file a custom icon is made from: a photo from a phone is a few MiB.
pub const MAX_CUSTOM_SOURCE_BYTES: u64 = 16 * 1024 * 1024;
/// Largest side of the source image, in pixels: far above any photo, and the decode of one
/// stays a few hundred MiB at most (`qr`'s allocation cap applies too).
pub const MAX_CUSTOM_SOURCE_SIDE: u32 = 8192;
/// The side of a custom icon, in pixels: the list shows icons at 32 CSS px, so 64 is sharp
/// on a 2× screen.
pub const CUSTOM_SIDE: u32 = 64;
/// Largest PNG kept in an account record: every copy of the vault and every sync file
/// carries it, so it stays a small part of a record. A 64×64 RGBA image is 16 KiB raw.
pub const MAX_CUSTOM_PNG_BYTES: usize = 24 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum IconError {
    #[error("This file is not an image Ringlet can read (PNG, JPEG, GIF, BMP, WebP, TIFF).")]
    NotAnImage,
    #[error("This image is too large ({width}×{height} pixels). An icon is made from images up to {MAX_CUSTOM_SOURCE_SIDE}×{MAX_CUSTOM_SOURCE_SIDE} pixels.")]
    TooLarge { width: u32, height: u32 },
    #[error("This file is too large ({} MiB). An icon is made from image files up to {} MiB.", .0.div_ceil(1024 * 1024), MAX_CUSTOM_SOURCE_BYTES / (1024 * 1024))]
    FileTooLarge(u64),
    #[error("This image is damaged or incomplete, so Ringlet cannot read it.")]
    Damaged,
    #[error("This image could not be made into an icon small enough to keep.")]
    TooBusy,
    #[error("Ringlet could not read this file: {0}")]
    Io(#[from] std::io::Error),
}

/// A custom icon from the bytes of an image file: decoded with the QR reader's limits (the
/// dimensions checked from the header before any pixel), shrunk to fit
/// [`CUSTOM_SIDE`]×[`CUSTOM_SIDE`] (never enlarged), written as a PNG of at most
/// [`MAX_CUSTOM_PNG_BYTES`]. What the file held beyond its pixels (metadata, text chunks,
/// other frames) is not kept.
pub fn custom_icon(bytes: &[u8]) -> Result<Vec<u8>, IconError> {
    if bytes.len() as u64 > MAX_CUSTOM_SOURCE_BYTES {
        return Err(IconError::FileTooLarge(bytes.len() as u64));
    }
    let loaded = qr::load_image(bytes).map_err(|error| match error {
        QrError::NotAnImage => IconError::NotAnImage,
        QrError::TooLarge { width, height } => IconError::TooLarge { width, height },
        _ => IconError::Damaged,
    })?;
    let image = loaded.pixels();
    if image.width() > MAX_CUSTOM_SOURCE_SIDE || image.height() > MAX_CUSTOM_SOURCE_SIDE {
        return Err(IconError::TooLarge {
            width: image.width(),
            height: image.height(),
        });
    }
    for side in [CUSTOM_SIDE, CUSTOM_SIDE * 3 / 4, CUSTOM_SIDE / 2] {
        let small = if image.width() > side || image.height() > side {
            image.resize(side, side, FilterType::Triangle)
        } else {
            image.clone()
        };
        let mut png = Vec::new();
        small
            .to_rgba8()
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .map_err(|_| IconError::Damaged)?;
        if png.len() <= MAX_CUSTOM_PNG_BYTES {
            return Ok(png);
        }
    }
    Err(IconError::TooBusy)
}

/// [`custom_icon`] of a file, read only up to the cap.
pub fn custom_icon_from_file(path: &std::path::Path) -> Result<Vec<u8>, IconError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_CUSTOM_SOURCE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_CUSTOM_SOURCE_BYTES {
        let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(IconError::FileTooLarge(size));
    }
    custom_icon(&bytes)
}

#[cfg(test)]
mod tests;
