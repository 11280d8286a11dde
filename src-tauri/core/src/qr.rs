//! QR codes in images: image bytes → every QR text found.
//!
//! The pipeline is a plain sequence of small steps, each one a function below, so that a
//! later, more robust version can add steps (thresholds, scales, other decoders) without
//! reshaping it:
//!
//! 1. `load`: guess the format from the content, read the header, refuse images larger
//!    than [`MAX_SIDE`]×[`MAX_SIDE`] *before* any pixel is decoded (a few-KB "decompression
//!    bomb" fails fast), then decode with an allocation cap ([`MAX_ALLOC`]).
//! 2. `to_luma_on_white`: 8-bit grey, alpha flattened onto **white** (a transparent QR
//!    PNG's background becomes white, whatever RGB hides under alpha 0).
//! 3. `scan_passes`: run rqrr on a sequence of `Pass`es — the image as is, then inverted
//!    (light-on-dark codes), then shrunk to 1/2 and 1/3 (box average), each also inverted —
//!    stopping at the first pass that finds anything. Fallback passes cost nothing on
//!    images that decode the first time; an image without any code pays for all of them.
//! 4. `scan`: one rqrr run: prepare, detect grids, decode each, skip the ones that fail.
//!
//! Results are deduplicated and in a stable order (reading order of the codes in the image:
//! top to bottom, then left to right). No input may panic: the whole decode runs under
//! `catch_unwind`, and a panic is reported as a damaged image.

use std::collections::HashSet;
use std::fs::File;
use std::io::{Cursor, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use image::{DynamicImage, GrayImage, ImageDecoder, ImageError, ImageReader, Limits};

/// Largest accepted width and height, in pixels. 16384 is well above any screen (8K is
/// 7680×4320) and keeps the grey buffer under 256 MiB.
pub const MAX_SIDE: u32 = 16_384;

/// Largest allocation the image decoder may make for the decoded pixels.
pub const MAX_ALLOC: u64 = 256 * 1024 * 1024;

/// Largest file [`decode_file`] reads. A QR screenshot is a few MiB at most.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// No QR code fits in fewer pixels than this on either side: the smallest code (version 1,
/// 21 modules) with its 4-module quiet zone on both sides, at one pixel per module.
const MIN_QR_SIDE: u32 = 29;

#[derive(Debug, thiserror::Error)]
pub enum QrError {
    /// Not an image, or an image format Ringlet does not read.
    #[error("This file is not an image Ringlet can read (PNG, JPEG, GIF, BMP, WebP, TIFF).")]
    NotAnImage,

    /// The header announces more pixels (or more pixel memory) than Ringlet accepts.
    #[error(
        "This image is too large ({width}×{height} pixels). Ringlet reads images up to \
         {max}×{max} pixels and {mib} MiB of pixel data.",
        max = MAX_SIDE,
        mib = MAX_ALLOC / (1024 * 1024)
    )]
    TooLarge { width: u32, height: u32 },

    /// The file itself is larger than [`MAX_FILE_BYTES`].
    #[error(
        "This file is too large ({} MiB). Ringlet reads image files up to {} MiB.",
        .size.div_ceil(1024 * 1024),
        MAX_FILE_BYTES / (1024 * 1024)
    )]
    FileTooLarge { size: u64 },

    /// The image is recognised but its data is damaged or truncated. `detail` is for logs,
    /// not for the person.
    #[error("This image is damaged or incomplete, so Ringlet cannot read it.")]
    Damaged { detail: String },

    /// The file could not be read at all.
    #[error("Ringlet could not read this file: {0}")]
    Io(#[from] std::io::Error),
}

/// Every QR text found in the image `bytes`, deduplicated, in a stable order.
///
/// `Ok(empty)` means the image was read but holds no QR code Ringlet could decode.
pub fn decode(bytes: &[u8]) -> Result<Vec<String>, QrError> {
    match catch_unwind(AssertUnwindSafe(|| decode_unguarded(bytes))) {
        Ok(result) => result,
        Err(panic) => {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic while decoding".to_owned());
            Err(QrError::Damaged {
                detail: format!("panic: {detail}"),
            })
        }
    }
}

/// Reads the file at `path` (at most [`MAX_FILE_BYTES`]) and [`decode`]s it.
pub fn decode_file(path: &Path) -> Result<Vec<String>, QrError> {
    let file = File::open(path)?;
    // Read at most one byte past the cap: enough to tell an oversized file, never all of it.
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    let read = bytes.len() as u64;
    if read > MAX_FILE_BYTES {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(read);
        return Err(QrError::FileTooLarge {
            size: size.max(read),
        });
    }
    decode(&bytes)
}

fn decode_unguarded(bytes: &[u8]) -> Result<Vec<String>, QrError> {
    let image = load(bytes)?;
    let luma = to_luma_on_white(image);
    Ok(scan_passes(&luma))
}

// ---------------------------------------------------------------------------------------
// Step 1: bytes → pixels, with limits checked from the header first.
// ---------------------------------------------------------------------------------------

/// Decodes `bytes` into an image, refusing oversized ones before decoding any pixel.
fn load(bytes: &[u8]) -> Result<DynamicImage, QrError> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        // Only a failing seek on the reader could error here; a Cursor never does.
        .map_err(|e| damaged(e.to_string()))?;
    if reader.format().is_none() {
        return Err(QrError::NotAnImage);
    }

    // The header alone: no dimension limit yet, so that a too-large image is reported with
    // its dimensions rather than as an anonymous limit error.
    let mut header_only = reader;
    header_only.limits(alloc_only_limits());
    let mut decoder = header_only
        .into_decoder()
        .map_err(|e| from_image_error(e, None))?;

    let (width, height) = decoder.dimensions();
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(QrError::TooLarge { width, height });
    }
    if width == 0 || height == 0 {
        return Err(damaged(format!("image has no pixels ({width}×{height})")));
    }

    let mut limits = full_limits();
    limits
        .reserve(decoder.total_bytes())
        .map_err(|e| from_image_error(e, Some((width, height))))?;
    decoder
        .set_limits(limits)
        .map_err(|e| from_image_error(e, Some((width, height))))?;
    DynamicImage::from_decoder(decoder).map_err(|e| from_image_error(e, Some((width, height))))
}

fn alloc_only_limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = None;
    limits.max_image_height = None;
    limits.max_alloc = Some(MAX_ALLOC);
    limits
}

fn full_limits() -> Limits {
    let mut limits = alloc_only_limits();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits
}

fn damaged(detail: String) -> QrError {
    QrError::Damaged { detail }
}

/// Maps the image crate's error to ours; `dims` are the header's, once known.
fn from_image_error(error: ImageError, dims: Option<(u32, u32)>) -> QrError {
    match error {
        ImageError::Unsupported(_) => QrError::NotAnImage,
        ImageError::Limits(_) => match dims {
            Some((width, height)) => QrError::TooLarge { width, height },
            // A limit hit while reading the header (some decoder buffering its metadata):
            // the dimensions are unknown, the image is still too big to handle.
            None => damaged(format!("limit reached while reading the header: {error}")),
        },
        // Reading from memory, an I/O error means the data ended early: a truncated file.
        ImageError::IoError(_)
        | ImageError::Decoding(_)
        | ImageError::Parameter(_)
        | ImageError::Encoding(_) => damaged(error.to_string()),
    }
}

// ---------------------------------------------------------------------------------------
// Step 2: pixels → 8-bit grey on white.
// ---------------------------------------------------------------------------------------

/// 8-bit grey; transparent and semi-transparent pixels are composited onto white.
///
/// Dropping alpha instead would turn the usual "transparent black" background of a QR PNG
/// into black, making the whole code unreadable.
fn to_luma_on_white(image: DynamicImage) -> GrayImage {
    if !image.color().has_alpha() {
        return match image {
            DynamicImage::ImageLuma8(grey) => grey,
            other => other.to_luma8(),
        };
    }
    let grey_alpha = image.to_luma_alpha8();
    drop(image);
    let (width, height) = grey_alpha.dimensions();
    let raw = grey_alpha.into_raw();
    let flattened: Vec<u8> = raw
        .chunks_exact(2)
        .map(|la| {
            let (l, a) = (u32::from(la[0]), u32::from(la[1]));
            // l·a + 255·(1 − a), rounded; always ≤ 255.
            ((l * a + 255 * (255 - a) + 127) / 255) as u8
        })
        .collect();
    // The length is width·height by construction; fall back to an empty image rather
    // than panic if that ever stopped holding.
    GrayImage::from_raw(width, height, flattened).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// Step 3: the passes, first one to find anything wins.
// ---------------------------------------------------------------------------------------

/// One way of presenting the grey image to rqrr: shrunk by `shrink` (box average of
/// `shrink`×`shrink` blocks; 1 = as decoded), then inverted or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Pass {
    shrink: u32,
    /// Light modules on a dark background (dark-mode screenshots, white-on-colour codes).
    invert: bool,
}

impl Pass {
    const fn new(shrink: u32, invert: bool) -> Self {
        Pass { shrink, invert }
    }
}

/// The passes, in order. Every fallback runs only when all the passes before it found
/// nothing, so they cost nothing on images that decode the first time.
const PASSES: [Pass; 6] = [
    Pass::new(1, false),
    Pass::new(1, true),
    Pass::new(2, false),
    Pass::new(2, true),
    Pass::new(3, false),
    Pass::new(3, true),
];

fn scan_passes(luma: &GrayImage) -> Vec<String> {
    let mut shrunk: Option<(u32, GrayImage)> = None;
    for pass in PASSES {
        if !pass_applies(pass, luma) {
            continue;
        }
        let found = if pass.shrink == 1 {
            if pass.invert {
                scan(inverted(luma))
            } else {
                scan(luma.clone())
            }
        } else {
            if shrunk.as_ref().map(|(f, _)| *f) != Some(pass.shrink) {
                shrunk = Some((pass.shrink, shrink(luma, pass.shrink)));
            }
            match &shrunk {
                Some((_, small)) if pass.invert => scan(inverted(small)),
                Some((_, small)) => scan(small.clone()),
                None => Vec::new(),
            }
        };
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// A shrunk pass runs only if the shrunk image can still hold a QR code at one pixel per
/// module (the smallest code with its quiet zone is 29 modules wide). Shrinking helps busy
/// 4K screenshots (rqrr groups finder patterns wrongly at full size) and noisy or JPEG
/// images (the box average smooths the noise) alike, so it is not limited to large images.
fn pass_applies(pass: Pass, luma: &GrayImage) -> bool {
    pass.shrink == 1 || luma.width().min(luma.height()) / pass.shrink >= MIN_QR_SIDE
}

fn inverted(luma: &GrayImage) -> GrayImage {
    let mut out = luma.clone();
    for p in out.iter_mut() {
        *p = 255 - *p;
    }
    out
}

/// Shrinks by `factor`, averaging `factor`×`factor` blocks (a partial last block is
/// dropped).
fn shrink(luma: &GrayImage, factor: u32) -> GrayImage {
    let factor = factor.max(1);
    let (w, h) = (luma.width() / factor, luma.height() / factor);
    let src = luma.as_raw();
    let stride = luma.width() as usize;
    let f = factor as usize;
    let area = factor * factor;
    GrayImage::from_fn(w, h, |x, y| {
        let (x0, y0) = (x as usize * f, y as usize * f);
        let mut sum = 0u32;
        for row in y0..y0 + f {
            let start = row * stride + x0;
            sum += src[start..start + f]
                .iter()
                .map(|&v| u32::from(v))
                .sum::<u32>();
        }
        image::Luma([((sum + area / 2) / area) as u8])
    })
}

// ---------------------------------------------------------------------------------------
// Step 4: one rqrr run.
// ---------------------------------------------------------------------------------------

/// Every decodable QR code of `luma`, in reading order, deduplicated.
fn scan(luma: GrayImage) -> Vec<String> {
    // Smaller than the smallest code: nothing to find (and rqrr need not see degenerate
    // sizes).
    if luma.width().min(luma.height()) < 21 {
        return Vec::new();
    }
    let mut prepared = rqrr::PreparedImage::prepare(luma);
    let mut found: Vec<((i32, i32), String)> = prepared
        .detect_grids()
        .into_iter()
        .filter_map(|grid| {
            let mut payload = Vec::new();
            // A grid that fails (bad format info, too many errors) is skipped: it is
            // usually a false finder-pattern match, and never worth failing the image.
            grid.decode_to(&mut payload).ok()?;
            let top = grid.bounds.iter().map(|p| p.y).min().unwrap_or(0);
            let left = grid.bounds.iter().map(|p| p.x).min().unwrap_or(0);
            Some(((top, left), payload_text(payload)))
        })
        .collect();
    found.sort_by_key(|(position, _)| *position);
    let mut seen = HashSet::new();
    found
        .into_iter()
        .map(|(_, text)| text)
        .filter(|text| seen.insert(text.clone()))
        .collect()
}

/// The payload as text.
///
/// Valid UTF-8 (which covers ASCII, hence every otpauth URI) is taken as is. Anything else
/// is read as ISO-8859-1, the QR standard's default byte-mode encoding: every byte maps to
/// one character, so nothing is dropped or replaced, and the text still reaches the URI
/// parser, which then says clearly that it is not an account — better than pretending the
/// image held no QR code at all.
fn payload_text(payload: Vec<u8>) -> String {
    match String::from_utf8(payload) {
        Ok(text) => text,
        Err(e) => e.into_bytes().iter().map(|&b| char::from(b)).collect(),
    }
}
