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
//! 4. [`scan`]: where to look. Finder-like places (1:1:3:1:1 across and down, square
//!    however turned) are located in one read of the bitmap; only where three of them sit
//!    as a code's three finders could is there anything to decode. A bitmap with no such
//!    trio is not searched at all, which makes the image without a code cheap.
//! 5. Each such region is read by rxing (a ZXing port, [`fallback`]) first: it samples the
//!    grid straight from the finders, well under a millisecond where rqrr's grid fitting
//!    costs ~10 ms a code. rqrr reads the region when rxing cannot, or what remains of it
//!    (the code read blanked) when finder-like places outside that code could make another;
//!    grids rqrr locates but cannot decode are remembered as places to look at more closely.
//!
//! [`PASSES`] orders the views, cheapest and most often right first; a pass that decodes
//! something and leaves no located-but-failed grid behind ends the search. A large
//! screenshot is first read shrunk (a 4K page at ⅓ still has 2 px per module), which is
//! where most of the speed comes from. Grids located but not decoded are then cut out at
//! full resolution and tried again, and a last fallback hands rxing's multi-code reader the
//! regions the full-size passes located and the grids rqrr left undecoded. Every decoded
//! text is kept, so an image holding several codes gives them all.
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
mod fallback;
#[cfg(fuzzing)]
pub mod fuzzing;
mod grey;
mod load;
mod scan;

use std::collections::HashSet;
use std::fs::File;
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use image::{DynamicImage, GrayImage};

use binarize::{binarize, Bitmap, Threshold};
use deadline::{Deadline, SEARCH_BUDGET};
use grey::{grey_view, grey_view_rows, upscale2, Rect};
use load::damaged;
use scan::Missed;

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
/// (`scan::scan_whole`: that look at that bitmap is lost, the search goes on), so the
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

/// Step 1 of [`decode`]: the image, with every limit applied.
pub fn load_image(bytes: &[u8]) -> Result<LoadedImage, QrError> {
    guarded(|| load::load(bytes).map(LoadedImage))
}

/// The rest of [`decode`]: every QR text of a loaded image.
pub fn decode_loaded(image: &LoadedImage) -> Result<Vec<String>, QrError> {
    decode_within(image, SEARCH_BUDGET, &mut |_| {})
}

/// [`decode_loaded`], also telling which passes found something (for the benchmark).
#[cfg(feature = "bench")]
pub fn decode_traced(image: &LoadedImage) -> Result<(Vec<String>, Vec<String>), QrError> {
    let mut trace = Vec::new();
    let texts = decode_within(image, SEARCH_BUDGET, &mut |step| trace.push(step))?;
    Ok((texts, trace))
}

/// [`decode_loaded`] with `budget` for the search; `trace` hears which steps found something.
fn decode_within(
    image: &LoadedImage,
    budget: std::time::Duration,
    trace: &mut dyn FnMut(String),
) -> Result<Vec<String>, QrError> {
    guarded(|| {
        let deadline = Deadline::after(budget);
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

// ---------------------------------------------------------------------------------------
// The passes.
// ---------------------------------------------------------------------------------------

/// One way of presenting the image to rqrr.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Pass {
    /// Box-shrink factor over the working view; 0 stands for the coarse factor of a large
    /// screenshot (see [`coarse_factor`]).
    shrink: u32,
    /// Doubled after shrinking (codes at 1.5–2 px per module).
    upscale: bool,
    threshold: Threshold,
    /// Light modules on a dark background.
    invert: bool,
}

const fn pass(shrink: u32, upscale: bool, threshold: Threshold, invert: bool) -> Pass {
    Pass {
        shrink,
        upscale,
        threshold,
        invert,
    }
}

use Threshold::{Local, Otsu};

/// The passes, in order. Every fallback runs only when the passes before it left the
/// search unfinished, so they cost nothing on images that decode the first time.
const PASSES: [Pass; 16] = [
    pass(0, false, Local, false),
    pass(0, false, Local, true),
    // Half size before full size when the coarse view was a third or less.
    pass(2, false, Local, false),
    pass(2, false, Local, true),
    pass(1, false, Local, false),
    pass(1, false, Local, true),
    pass(1, false, Otsu, false),
    pass(1, false, Otsu, true),
    pass(2, false, Local, false),
    pass(2, false, Local, true),
    pass(3, false, Local, false),
    pass(3, false, Local, true),
    pass(1, true, Local, false),
    pass(1, true, Local, true),
    pass(1, true, Otsu, false),
    pass(1, true, Otsu, true),
];

/// Views up to this long side get the doubled passes: codes at 1.5–2 px per module.
const UPSCALE_MAX_SIDE: u32 = 1024;

/// A working view at least this long is first read shrunk to about [`COARSE_SIDE`].
const COARSE_FROM: u32 = 2400;
const COARSE_SIDE: u32 = 1280;

/// The coarse factor for a working view whose long side is `long`; 1 when no coarse pass
/// is worth it.
fn coarse_factor(long: u32) -> u32 {
    if long >= COARSE_FROM {
        (long / COARSE_SIDE).max(2)
    } else {
        1
    }
}

/// How long the rxing fallback may run. Its finder search is cubic in the number of
/// finder-like patterns: on a page tiled with them it runs for minutes, while the corpus
/// images it reads take under 0.7 s (release build, loaded machine).
const RXING_DEADLINE: std::time::Duration = std::time::Duration::from_secs(2);

/// How long rxing may take to read one located region in a pass: a few milliseconds on
/// any region holding a code.
const READ_DEADLINE: std::time::Duration = std::time::Duration::from_millis(500);

/// What has been found so far, in full-resolution pixels.
#[derive(Default)]
struct Findings {
    found: Vec<(i64, i64, String)>,
    missed: Vec<Rect>,
}

impl Findings {
    fn add(&mut self, scan: scan::Scan, map: &ViewMap) -> bool {
        let any_missed = !scan.missed.is_empty();
        for f in scan.found {
            let (left, top) = map.point(f.left, f.top);
            self.found.push((top, left, f.text));
        }
        for m in scan.missed {
            self.missed.push(map.rect(m));
        }
        any_missed
    }

    fn texts(mut self) -> Vec<String> {
        self.found.sort_by_key(|(top, left, _)| (*top, *left));
        let mut seen = HashSet::new();
        self.found
            .into_iter()
            .map(|(_, _, text)| text)
            .filter(|text| seen.insert(text.clone()))
            .collect()
    }
}

/// How a view's pixels map back to the decoded image's.
#[derive(Clone, Copy, Debug)]
struct ViewMap {
    origin_x: i64,
    origin_y: i64,
    /// Full-resolution pixels per view pixel, times 2 (so that upscaled views are exact).
    half_scale: i64,
}

impl ViewMap {
    fn point(&self, x: i32, y: i32) -> (i64, i64) {
        (
            self.origin_x + i64::from(x) * self.half_scale / 2,
            self.origin_y + i64::from(y) * self.half_scale / 2,
        )
    }

    fn rect(&self, m: Missed) -> Rect {
        let (l, t) = self.point(m.left, m.top);
        let (r, b) = self.point(m.right, m.bottom);
        let clamp = |v: i64| v.clamp(0, i64::from(u32::MAX)) as u32;
        Rect {
            x: clamp(l),
            y: clamp(t),
            w: clamp(r - l),
            h: clamp(b - t),
        }
    }
}

/// The whole search over one decoded image; `trace` hears which steps found something.
fn search(image: &DynamicImage, deadline: Deadline, trace: &mut dyn FnMut(String)) -> Vec<String> {
    let long = image.width().max(image.height());
    // The working view: the image itself unless it is larger than WORK_SIDE.
    let base = long.div_ceil(WORK_SIDE).max(1);
    let coarse = coarse_factor(long / base);
    let mut findings = Findings::default();
    let mut views: Vec<(u32, bool, GrayImage)> = Vec::new();
    let mut done = false;
    let mut tried: Vec<Pass> = Vec::new();
    type Key = (u32, bool, bool, Threshold);
    let mut last: Option<(Key, Option<GrayImage>, Bitmap)> = None;
    let mut base_looked: Vec<Looked> = Vec::new();

    for p in PASSES {
        if deadline.passed() {
            trace("out of time".to_owned());
            break;
        }
        let shrink = if p.shrink == 0 { coarse } else { p.shrink };
        // The coarse pass only exists for large views; a shrunk pass is the same as the
        // coarse one when the factors agree.
        if (p.shrink == 0 && coarse == 1) || (p.shrink > 1 && shrink == coarse) {
            continue;
        }
        let tried_as = Pass { shrink, ..p };
        if tried.contains(&tried_as)
            || (p.shrink == 2 && coarse < 3 && !tried.iter().any(|t| t.shrink == 1))
        {
            continue;
        }
        tried.push(tried_as);
        let factor = base * shrink;
        let (w, h) = (image.width() / factor, image.height() / factor);
        if w.min(h) < MIN_QR_SIDE && !(p.upscale && w.min(h) >= MIN_QR_SIDE / 2) {
            continue;
        }
        if p.upscale && w.max(h) > UPSCALE_MAX_SIDE {
            continue;
        }
        let t_view = std::time::Instant::now();
        // The coarse look reads one row in `coarse`; a miss there is retried in full.
        let sparse = p.shrink == 0;
        let index = match views.iter().position(|v| v.0 == factor && v.1 == sparse) {
            Some(i) => i,
            None => {
                views.push((
                    factor,
                    sparse,
                    grey_view_rows(image, Rect::whole(image), factor, sparse),
                ));
                views.len() - 1
            }
        };
        let Some((_, _, view)) = views.get(index) else {
            continue;
        };
        let view_ms = t_view.elapsed().as_secs_f64() * 1000.0;
        let t_bin = std::time::Instant::now();
        // The inverted pass follows the upright one of the same view: its grey source and
        // bitmap are kept.
        let key = (factor, sparse, p.upscale, p.threshold);
        let (upscaled, upright) = match last.take() {
            Some((k, upscaled, bitmap)) if k == key => (upscaled, bitmap),
            _ => {
                let upscaled = p.upscale.then(|| upscale2(view));
                let bitmap = binarize(upscaled.as_ref().unwrap_or(view), p.threshold);
                (upscaled, bitmap)
            }
        };
        let source = upscaled.as_ref().unwrap_or(view);
        let bitmap = if p.invert {
            upright.inverted()
        } else {
            upright.clone()
        };
        let map = ViewMap {
            origin_x: 0,
            origin_y: 0,
            half_scale: i64::from(factor) * if p.upscale { 1 } else { 2 },
        };
        let bin_ms = t_bin.elapsed().as_secs_f64() * 1000.0;
        let started = std::time::Instant::now();
        // rxing binarizes as our local threshold does: under Otsu's it would only repeat
        // the local pass.
        let quick = (p.threshold == Local).then_some((source, p.invert));
        let (result, looked) = scan_view(&bitmap, quick, deadline);
        let how = looked.describe(scan::Crop::whole(&bitmap));
        // What the base view's local passes looked at is where the last rxing look goes.
        if factor == base && !sparse && !p.upscale && p.threshold == Local {
            base_looked.push(looked);
        }
        trace(format!(
            "{}{}{:?}{}: {} found, {} missed ({how}), view {view_ms:.1} bin {bin_ms:.1} scan {:.1} ms",
            shrink,
            if p.upscale { "x2" } else { "" },
            p.threshold,
            if p.invert { " inverted" } else { "" },
            result.found.len(),
            result.missed.len(),
            started.elapsed().as_secs_f64() * 1000.0,
        ));
        last = Some((key, upscaled, upright));
        let found_now = !result.found.is_empty();
        let missed_now = findings.add(result, &map);
        if found_now {
            // Grids located but not decoded beside decoded ones are most likely more codes:
            // they get the closer look and rxing below rather than every other pass.
            done = !missed_now;
            break;
        }
    }

    if !done && !deadline.passed() {
        look_closer(image, base, &mut findings, deadline, trace);
        let fresh;
        let view = match views.iter().find(|(f, sparse, _)| *f == base && !sparse) {
            Some((_, _, view)) => view,
            None => {
                fresh = grey_view(image, Rect::whole(image), base);
                &fresh
            }
        };
        // rxing binarizes as our local threshold does, and cannot locate a code without
        // three finder patterns in place: it looks where the base view's local passes (both
        // polarities) found such trios, and around grids rqrr left undecoded; nowhere else,
        // which is most of the cost of an image without a code saved. A view tiled with
        // finder patterns is a trap for rxing (see RXING_DEADLINE) and holds no readable
        // code: the passes looked nowhere in it.
        let started = std::time::Instant::now();
        if base_looked.len() < 2 {
            let bitmap = binarize(view, Local);
            base_looked = [bitmap.inverted(), bitmap]
                .iter()
                .map(|b| match scan::plan(b) {
                    scan::Plan::Skip => Looked::Nowhere,
                    scan::Plan::Whole(_) => Looked::At(vec![scan::Crop::whole(b)]),
                    scan::Plan::Regions(regions) => {
                        Looked::At(regions.into_iter().map(|r| r.crop).collect())
                    }
                })
                .collect();
        }
        let whole = scan::Crop {
            x0: 0,
            y0: 0,
            x1: view.width() as usize,
            y1: view.height() as usize,
        };
        let mut areas: Vec<scan::Crop> = Vec::new();
        for looked in &base_looked {
            if let Looked::At(crops) = looked {
                areas.extend(crops);
            }
        }
        for m in &findings.missed {
            // A quarter of the grid on every side, as in look_closer, in the view's pixels.
            let margin = m.w.max(m.h) / 4 + 8;
            let b = base as usize;
            areas.push(scan::Crop {
                x0: m.x.saturating_sub(margin) as usize / b,
                y0: m.y.saturating_sub(margin) as usize / b,
                x1: (m.x.saturating_add(m.w).saturating_add(margin) as usize / b).min(whole.x1),
                y1: (m.y.saturating_add(m.h).saturating_add(margin) as usize / b).min(whole.y1),
            });
        }
        let mut merged: Vec<scan::Crop> = Vec::new();
        for mut area in areas {
            while let Some(i) = merged.iter().position(|m| m.overlaps(&area)) {
                area = area.union(&merged.swap_remove(i));
            }
            merged.push(area);
        }
        let run = !merged.is_empty();
        let mut grey = Vec::new();
        for area in merged {
            if deadline.passed() {
                break;
            }
            let crop = if area == whole {
                view.clone()
            } else {
                grey_crop(view, area, false)
            };
            for mut found in fallback::rxing_scan_within(crop, deadline.at_most(RXING_DEADLINE)) {
                found.left = found.left.saturating_add(area.x0 as i32);
                found.top = found.top.saturating_add(area.y0 as i32);
                grey.push(found);
            }
        }
        trace(format!(
            "rxing{}: {} found, {} ms",
            if run { "" } else { " skipped" },
            grey.len(),
            started.elapsed().as_millis()
        ));
        let map = ViewMap {
            origin_x: 0,
            origin_y: 0,
            half_scale: 2 * i64::from(base),
        };
        findings.add(
            scan::Scan {
                found: grey,
                missed: Vec::new(),
            },
            &map,
        );
    }
    findings.texts()
}

/// One view's bitmap searched as [`scan::plan`] says, and where it looked. With `quick`
/// (the grey the bitmap was made from, and whether the bitmap was inverted), each region is
/// first read by rxing,
/// whose grid sampling is several times quicker than rqrr's grid fitting (~10 ms a code);
/// rqrr then only runs where rxing read nothing, or where finder-like places outside the
/// code read could still make another code.
fn scan_view(
    bitmap: &Bitmap,
    quick: Option<(&GrayImage, bool)>,
    deadline: Deadline,
) -> (scan::Scan, Looked) {
    let (plan, inline) = scan::plan_checked(bitmap);
    let areas: Vec<(scan::Crop, Option<Vec<scan::Finder>>)> = match plan {
        scan::Plan::Skip => return (scan::Scan::default(), Looked::Nowhere),
        scan::Plan::Whole(finders) => vec![(scan::Crop::whole(bitmap), finders)],
        scan::Plan::Regions(regions) => regions
            .into_iter()
            .map(|r| (r.crop, Some(r.finders)))
            .collect(),
    };
    let looked = Looked::At(areas.iter().map(|(crop, _)| *crop).collect());
    let mut result = scan::Scan::default();
    for (crop, finders) in areas {
        if deadline.passed() {
            break;
        }
        // A thread of its own (with a time limit) only where rxing's search could blow up:
        // handing over to a thread costs a scheduling slice on a busy machine.
        let read = quick.and_then(|(grey, invert)| {
            let part = grey_crop(grey, crop, invert);
            if inline {
                fallback::rxing_read(&part)
            } else {
                fallback::rxing_read_within(part, deadline.at_most(READ_DEADLINE))
            }
        });
        let Some((found, [l, t, r, b])) = read else {
            result.extend(scan::scan_crop(bitmap, crop, deadline));
            continue;
        };
        let (x0, y0) = (crop.x0 as i32, crop.y0 as i32);
        result.found.push(scan::Found {
            top: found.top.saturating_add(y0),
            left: found.left.saturating_add(x0),
            text: found.text,
        });
        // The rectangle of the code read, which rqrr need not see again, and the places
        // outside it (their centres more than half a finder out).
        let clamp = |v: i32| v.max(0) as usize;
        let blank = scan::Crop {
            x0: clamp(l.saturating_add(x0) - 1),
            y0: clamp(t.saturating_add(y0) - 1),
            x1: clamp(r.saturating_add(x0).saturating_add(2)),
            y1: clamp(b.saturating_add(y0).saturating_add(2)),
        };
        let rest = finders.map(|finders| {
            finders
                .into_iter()
                .filter(|f| {
                    let (x, y, half) = (f.x as i32 - x0, f.y as i32 - y0, f.size as i32 / 2);
                    x < l - half
                        || x > r.saturating_add(half)
                        || y < t - half
                        || y > b.saturating_add(half)
                })
                .collect::<Vec<_>>()
        });
        match rest.and_then(|rest| scan::code_regions(&rest, bitmap.width, bitmap.height)) {
            Some(others) => {
                for other in others {
                    result.extend(scan::scan_crop_without(
                        bitmap,
                        other.crop,
                        Some(blank),
                        deadline,
                    ));
                }
            }
            None => result.extend(scan::scan_crop_without(bitmap, crop, Some(blank), deadline)),
        }
    }
    (result, looked)
}

/// Where [`scan_view`] looked, in the view's pixels.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Looked {
    Nowhere,
    At(Vec<scan::Crop>),
}

impl Looked {
    fn describe(&self, whole: scan::Crop) -> String {
        match self {
            Looked::Nowhere => "nowhere".to_owned(),
            Looked::At(crops) if crops == &[whole] => "whole".to_owned(),
            Looked::At(crops) => format!("{} regions", crops.len()),
        }
    }
}

/// The `crop` part of `grey`, inverted when `invert` (rxing wants dark on light).
fn grey_crop(grey: &GrayImage, crop: scan::Crop, invert: bool) -> GrayImage {
    let (w, h) = (grey.width() as usize, grey.height() as usize);
    let (x0, x1) = (crop.x0.min(w), crop.x1.min(w));
    let (y0, y1) = (crop.y0.min(h), crop.y1.min(h));
    let width = x1.saturating_sub(x0);
    let mut out = Vec::with_capacity(width * y1.saturating_sub(y0));
    for y in y0..y1 {
        if let Some(row) = grey.as_raw().get(y * w + x0..y * w + x0 + width) {
            out.extend(row.iter().map(|&v| if invert { 255 - v } else { v }));
        }
    }
    let height = out.len().checked_div(width).unwrap_or(0);
    GrayImage::from_raw(width as u32, height as u32, out).unwrap_or_default()
}

/// Grids that were located but not decoded, cut out with a margin at working resolution
/// and tried with every threshold and polarity, doubled when small.
fn look_closer(
    image: &DynamicImage,
    base: u32,
    findings: &mut Findings,
    deadline: Deadline,
    trace: &mut dyn FnMut(String),
) {
    let mut regions: Vec<Rect> = Vec::new();
    for m in &findings.missed {
        // Regions overlapping a decoded code or an earlier region are the same grid.
        let overlaps =
            |r: &Rect| m.x < r.x + r.w && r.x < m.x + m.w && m.y < r.y + r.h && r.y < m.y + m.h;
        if regions.iter().any(overlaps) || regions.len() >= 8 {
            continue;
        }
        regions.push(*m);
    }
    for region in regions {
        // A quarter of the code's size on every side holds the quiet zone and any error
        // in the located corners.
        let margin = region.w.max(region.h) / 4 + 8;
        let crop = Rect {
            x: region.x.saturating_sub(margin),
            y: region.y.saturating_sub(margin),
            w: region.w + 2 * margin,
            h: region.h + 2 * margin,
        };
        let view = grey_view(image, crop, base);
        if view.width().min(view.height()) < MIN_QR_SIDE {
            continue;
        }
        let small = view.width().max(view.height()) <= UPSCALE_MAX_SIDE / 2;
        for upscale in [false, true] {
            if upscale && !small {
                continue;
            }
            let source = if upscale {
                upscale2(&view)
            } else {
                view.clone()
            };
            for threshold in [Local, Otsu] {
                let bitmap: Bitmap = binarize(&source, threshold);
                for invert in [false, true] {
                    let bitmap = if invert {
                        bitmap.inverted()
                    } else {
                        bitmap.clone()
                    };
                    let map = ViewMap {
                        origin_x: i64::from(crop.x),
                        origin_y: i64::from(crop.y),
                        half_scale: i64::from(base) * if upscale { 1 } else { 2 },
                    };
                    let result = scan::scan(&bitmap, deadline);
                    if !result.found.is_empty() {
                        trace(format!("closer {upscale} {threshold:?} {invert}"));
                        findings.add(result, &map);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coarse_factor_only_for_large_views() {
        assert_eq!(coarse_factor(1920), 1);
        assert_eq!(coarse_factor(2560), 2);
        assert_eq!(coarse_factor(3840), 3);
        assert_eq!(coarse_factor(4096), 3);
    }

    #[test]
    fn view_map_scales_back_to_full_resolution() {
        let map = ViewMap {
            origin_x: 10,
            origin_y: 20,
            half_scale: 6,
        };
        assert_eq!(map.point(5, 5), (25, 35));
        let upscaled = ViewMap {
            origin_x: 0,
            origin_y: 0,
            half_scale: 1,
        };
        assert_eq!(upscaled.point(10, 4), (5, 2));
    }

    #[test]
    fn grey_crop_cuts_clamps_and_inverts() {
        let grey = GrayImage::from_fn(4, 3, |x, y| image::Luma([(10 * x + 100 * y) as u8]));
        let crop = scan::Crop {
            x0: 1,
            y0: 1,
            x1: 3,
            y1: 9,
        };
        let part = grey_crop(&grey, crop, false);
        assert_eq!(part.dimensions(), (2, 2));
        assert_eq!(part.as_raw(), &vec![110, 120, 210, 220]);
        let inverted = grey_crop(&grey, crop, true);
        assert_eq!(inverted.as_raw(), &vec![145, 135, 45, 35]);
        let outside = scan::Crop {
            x0: 5,
            y0: 0,
            x1: 9,
            y1: 2,
        };
        assert_eq!(grey_crop(&grey, outside, false).dimensions(), (0, 0));
    }

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
        let none = std::time::Duration::ZERO;
        assert!(matches!(
            decode_within(&image, none, &mut |_| {}),
            Err(QrError::OutOfTime)
        ));
        assert_eq!(decode_loaded(&image).ok(), Some(vec![text.to_owned()]));
        assert!(QrError::OutOfTime.to_string().contains("after 6 seconds"));
    }

    #[test]
    fn findings_are_in_reading_order_and_unique() {
        let mut f = Findings::default();
        f.found.push((50, 0, "b".into()));
        f.found.push((10, 90, "a".into()));
        f.found.push((50, 0, "b".into()));
        assert_eq!(f.texts(), vec!["a".to_owned(), "b".to_owned()]);
    }
}
