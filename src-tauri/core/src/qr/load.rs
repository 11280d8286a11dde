//! Step 1: bytes → pixels, with limits checked from the header first.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};

use super::{QrError, MAX_ALLOC, MAX_SIDE};

/// Decodes `bytes` into an image, refusing oversized ones before decoding any pixel.
///
/// Animated GIF and WebP give their first frame: that is what the `image` crate's still
/// decoders return, and a QR screenshot is never animated on purpose.
pub(super) fn load(bytes: &[u8]) -> Result<DynamicImage, QrError> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        // Only a failing seek on the reader could error here; a Cursor never does.
        .map_err(|e| damaged(e.to_string()))?;
    let Some(format) = reader.format() else {
        return Err(QrError::NotAnImage);
    };

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

    // The decoded pixels count against MAX_ALLOC, so whatever the decoder allocates on top
    // (JPEG planes, PNG rows) must fit in what is left: the whole load stays under the cap.
    let mut limits = full_limits();
    limits
        .reserve(
            decoder
                .total_bytes()
                .saturating_add(untracked_scratch(format, width, height)),
        )
        .map_err(|e| from_image_error(e, Some((width, height))))?;
    decoder
        .set_limits(limits)
        .map_err(|e| from_image_error(e, Some((width, height))))?;
    DynamicImage::from_decoder(decoder).map_err(|e| from_image_error(e, Some((width, height))))
}

/// What a decoder allocates beyond the limits it is given, counted here instead. The WebP
/// decoder (image-webp 0.2) decodes a lossless image without alpha into a full RGBA buffer
/// before keeping its RGB, and a lossy one into YUV planes (1.5 bytes a pixel): up to 4
/// bytes a pixel that `Limits` never sees (found by the `image_load` fuzz target: a 28-byte
/// file announcing 4113×15429 pixels made it allocate 242 MiB on top of the output).
fn untracked_scratch(format: ImageFormat, width: u32, height: u32) -> u64 {
    match format {
        ImageFormat::WebP => u64::from(width) * u64::from(height) * 4,
        _ => 0,
    }
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

pub(super) fn damaged(detail: String) -> QrError {
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
