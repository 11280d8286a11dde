//! QR codes in images: image bytes → every QR text found.
//!
//! The pipeline, each step in its own module:
//!
//! 1. [`load`]: guess the format from the content, read the header, refuse images larger
//!    than [`MAX_SIDE`]×[`MAX_SIDE`] *before* any pixel is decoded (a few-KB "decompression
//!    bomb" fails fast), then decode under an allocation cap ([`MAX_ALLOC`]).
//! 2. [`grey`]: 8-bit grey, alpha composited onto **white**, converted and box-shrunk in one
//!    read of the pixels. Nothing larger than [`WORK_SIDE`] on its long side is ever made,
//!    so memory stays bounded whatever the input.
//! 3. [`binarize`]: our own thresholds (local 8×8-block, and Otsu's global level) rather
//!    than rqrr's, which are slower and miss low-contrast codes.
//! 4. Where to look. Finder-like places (1:1:3:1:1 across and down, square however turned)
//!    are located in one read of the bitmap ([`finders`]); only where three of them sit as
//!    a code's three finders could is there anything to decode ([`plan`]). A bitmap with
//!    no such trio is not searched at all, which makes the image without a code cheap.
//! 5. Each such region is read by rxing (a ZXing port, [`rxing`]) first: it samples the
//!    grid straight from the finders, well under a millisecond where rqrr's grid fitting
//!    costs ~10 ms a code. [`rqrr`] reads the region when rxing cannot, or what remains of
//!    it (the code read blanked) when finder-like places outside that code could make
//!    another ([`scan_view`]); grids rqrr locates but cannot decode are remembered as
//!    places to look at more closely ([`findings`]).
//!
//! [`passes`] orders the views, cheapest and most often right first; a pass that decodes
//! something and leaves no located-but-failed grid behind ends the search. A large
//! screenshot is first read shrunk (a 4K page at ⅓ still has 2 px per module), which is
//! where most of the speed comes from. Grids located but not decoded are then cut out at
//! full resolution and tried again ([`look_closer`]), and a last fallback hands rxing's
//! multi-code reader the regions the full-size passes located and the grids rqrr left
//! undecoded ([`last_look`]). Every decoded text is kept, so an image holding several codes
//! gives them all. Only the benchmark hears which steps found what ([`trace`]).
//!
//! Results are deduplicated and in a stable order (reading order of the codes in the image:
//! top to bottom, then left to right). No input may panic: the whole decode runs under
//! `catch_unwind`, and a panic is reported as a damaged image.
//!
//! No input may take long either: every step is bounded on its own (finder-like places
//! counted before any search, regions merged in time linear in the trios, rxing on a
//! thread with a time limit), and [`deadline`] bounds the whole search of one image.

mod binarize;
mod deadline;
mod finders;
mod findings;
#[cfg(fuzzing)]
pub mod fuzzing;
mod grey;
mod last_look;
mod load;
mod look_closer;
mod passes;
mod plan;
mod rqrr;
mod rxing;
mod scan_view;
mod trace;

use std::fs::File;
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use image::DynamicImage;

use deadline::{Deadline, SEARCH_BUDGET};
use findings::Findings;
use last_look::last_look;
use load::damaged;
use look_closer::look_closer;
use passes::{Schedule, Views, PASSES};
use trace::{Silent, Trace};

/// Largest accepted width and height, in pixels. 16384 is well above any screen (8K is
/// 7680×4320).
pub const MAX_SIDE: u32 = 16_384;

/// Largest allocation the image decoder may make, pixels included. With the working views
/// (at most [`WORK_SIDE`] on a side) on top, a decode stays under 256 MiB.
pub const MAX_ALLOC: u64 = 192 * 1024 * 1024;

/// Largest file [`decode_file`] reads. A QR screenshot is a few MiB at most.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Longest side of any grey view. A larger image is shrunk to fit before any pass: a code
/// in it would have to be under 4 px per module at 16K to be lost, and it bounds the
/// memory of every pass to a few 16 MiB buffers.
pub const WORK_SIDE: u32 = 4096;

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

    /// The search ran out of time (see [`deadline`]) before finding any code.
    #[error(
        "Ringlet stopped looking after {} seconds: this image is unusually busy (noise or \
         patterns all over it). Crop it to the QR code and try again.",
        SEARCH_BUDGET.as_secs()
    )]
    OutOfTime,

    /// The file could not be read at all.
    #[error("Ringlet could not read this file: {0}")]
    Io(#[from] std::io::Error),
}

/// Keeps the panics of rqrr quiet: they are contained where rqrr is called
/// (`rqrr::scan_whole`: that look at that bitmap is lost, the search goes on), so the
/// default report on standard error would only alarm the person reading it. Every other
/// panic goes to the hook installed before (the default report, or libFuzzer's abort in
/// the fuzz targets). Call once at start-up; later calls do nothing.
pub fn contain_rqrr_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_rqrr = info
                .location()
                .is_some_and(|at| at.file().replace('\\', "/").contains("vendor/rqrr/src/"));
            if !in_rqrr {
                previous(info);
            }
        }));
    });
}

/// Every QR text found in the image `bytes`, deduplicated, in a stable order.
///
/// `Ok(empty)` means the image was read but holds no QR code Ringlet could decode;
/// [`QrError::OutOfTime`], that the search stopped before finding any.
pub fn decode(bytes: &[u8]) -> Result<Vec<String>, QrError> {
    let image = load_image(bytes)?;
    decode_loaded(&image)
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

/// A decoded image, ready for [`decode_loaded`]. The two halves of [`decode`] are public
/// so that the benchmark can time image decoding and QR decoding apart.
pub struct LoadedImage(DynamicImage);

impl LoadedImage {
    /// The pixels (a custom icon is made from them: `icons::custom_icon`).
    pub(crate) fn pixels(&self) -> &DynamicImage {
        &self.0
    }
}

/// Step 1 of [`decode`]: the image, with every limit applied.
pub fn load_image(bytes: &[u8]) -> Result<LoadedImage, QrError> {
    guarded(|| load::load(bytes).map(LoadedImage))
}

/// The rest of [`decode`]: every QR text of a loaded image.
pub fn decode_loaded(image: &LoadedImage) -> Result<Vec<String>, QrError> {
    decode_within(image, Deadline::after(SEARCH_BUDGET), &mut Silent)
}

/// Test builds only (the `test-support` feature, which no shipped binary has): [`decode`]
/// with the search's time limit and each step's own limit `stretch` times as long. For
/// tests of what is found, which run beside builds on a loaded machine where an image can
/// take several times its usual wall time; the limits at their real values have tests of
/// their own (`qr::deadline`'s, and those that call [`decode`]).
#[cfg(feature = "test-support")]
pub fn decode_with_stretched_limits(bytes: &[u8], stretch: u32) -> Result<Vec<String>, QrError> {
    let image = load_image(bytes)?;
    decode_within(
        &image,
        Deadline::stretched(SEARCH_BUDGET, stretch),
        &mut Silent,
    )
}

/// [`decode_loaded`], also telling which passes found something (for the benchmark).
#[cfg(feature = "bench")]
pub fn decode_traced(image: &LoadedImage) -> Result<(Vec<String>, Vec<String>), QrError> {
    let mut trace = Vec::new();
    let texts = decode_within(image, Deadline::after(SEARCH_BUDGET), &mut trace)?;
    Ok((texts, trace))
}

/// [`decode_loaded`] with `deadline` for the search (taken before the call: it counts from
/// when it was made); `trace` hears which steps found something.
fn decode_within(
    image: &LoadedImage,
    deadline: Deadline,
    trace: &mut impl Trace,
) -> Result<Vec<String>, QrError> {
    guarded(|| {
        let texts = search(&image.0, deadline, trace);
        // Codes found before the deadline are real; none found by then says nothing about
        // the image, and the person should hear that rather than "no QR code".
        if texts.is_empty() && deadline.passed() {
            return Err(QrError::OutOfTime);
        }
        Ok(texts)
    })
}

/// Runs `f`, turning a panic anywhere below into [`QrError::Damaged`].
fn guarded<T>(f: impl FnOnce() -> Result<T, QrError>) -> Result<T, QrError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(panic) => {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic while decoding".to_owned());
            Err(damaged(format!("panic: {detail}")))
        }
    }
}

/// The whole search over one decoded image; `trace` hears which steps found something.
fn search(image: &DynamicImage, deadline: Deadline, trace: &mut impl Trace) -> Vec<String> {
    let mut schedule = Schedule::new(image);
    let mut views = Views::new(image);
    let mut findings = Findings::default();
    // Where the base view's local passes looked: where the last rxing look goes.
    let mut base_looked = Vec::new();
    for pass in PASSES {
        if deadline.passed() {
            trace.step(|| "out of time".to_owned());
            break;
        }
        let Some(step) = schedule.admit(pass) else {
            continue;
        };
        let Some((scan, looked, map)) = views.read(&step, deadline, trace) else {
            continue;
        };
        if step.base_local {
            base_looked.push(looked);
        }
        let found_now = !scan.found.is_empty();
        let missed_now = findings.add(scan, &map);
        if found_now {
            // Grids located but not decoded beside decoded ones are most likely more codes:
            // they get the closer look and rxing below rather than every other pass.
            if !missed_now {
                return findings.texts();
            }
            break;
        }
    }
    if !deadline.passed() {
        let base = schedule.base;
        look_closer(image, base, &mut findings, deadline, trace);
        let view = views.full(base);
        last_look(
            image,
            base,
            view,
            base_looked,
            &mut findings,
            deadline,
            trace,
        );
    }
    findings.texts()
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::GrayImage;

    #[test]
    fn a_search_out_of_time_says_so_instead_of_finding_nothing() {
        let text = "otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP";
        let code = qrcode::QrCode::new(text.as_bytes()).expect("a short text fits");
        let (modules, colours) = (code.width() as u32, code.to_colors());
        // 4 px a module, a 4-module quiet zone.
        let picture = GrayImage::from_fn((modules + 8) * 4, (modules + 8) * 4, |x, y| {
            let (mx, my) = ((x / 4).wrapping_sub(4), (y / 4).wrapping_sub(4));
            let dark = mx < modules
                && my < modules
                && colours[(my * modules + mx) as usize] == qrcode::Color::Dark;
            image::Luma([if dark { 0 } else { 255 }])
        });
        let image = LoadedImage(DynamicImage::ImageLuma8(picture));
        let none = Deadline::after(std::time::Duration::ZERO);
        assert!(matches!(
            decode_within(&image, none, &mut Silent),
            Err(QrError::OutOfTime)
        ));
        assert_eq!(decode_loaded(&image).ok(), Some(vec![text.to_owned()]));
        assert!(QrError::OutOfTime.to_string().contains("after 6 seconds"));
    }
}
