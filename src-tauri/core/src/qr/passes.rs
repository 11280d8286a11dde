//! The pass table: which views of the image are read, in which order, and one pass run on
//! them (grey views and bitmaps kept for the passes that read them again).

use image::{DynamicImage, GrayImage};

use super::binarize::{binarize, Bitmap, Crop, Threshold};
use super::deadline::Deadline;
use super::findings::{Scan, ViewMap};
use super::grey::{grey_view_rows, upscale2, Rect};
use super::scan_view::{scan_view, Looked};
use super::trace::Trace;
use super::{MIN_QR_SIDE, WORK_SIDE};

/// One way of presenting the image to rqrr.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Pass {
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
pub(super) const PASSES: [Pass; 16] = [
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
pub(super) const UPSCALE_MAX_SIDE: u32 = 1024;

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

/// Which of [`PASSES`] run on one image.
pub(super) struct Schedule {
    /// Shrink factor of the working view: the image itself unless it is larger than
    /// [`WORK_SIDE`].
    pub base: u32,
    coarse: u32,
    width: u32,
    height: u32,
    /// The passes admitted so far, their shrink factor resolved.
    tried: Vec<Pass>,
}

/// A pass as it runs on one image.
pub(super) struct Step {
    /// The pass, its shrink factor resolved.
    pass: Pass,
    /// Shrink factor over the decoded image: the working view's times the pass's.
    factor: u32,
    /// The coarse look, which reads one row in `factor`.
    sparse: bool,
    /// A local pass over the working view itself: where it looked is where the last rxing
    /// look goes.
    pub base_local: bool,
}

impl Schedule {
    pub fn new(image: &DynamicImage) -> Schedule {
        let long = image.width().max(image.height());
        let base = long.div_ceil(WORK_SIDE).max(1);
        Schedule {
            base,
            coarse: coarse_factor(long / base),
            width: image.width(),
            height: image.height(),
            tried: Vec::new(),
        }
    }

    /// `p` as it runs on this image, or `None` when it repeats a pass already run, or the
    /// view it reads is too small (or too large to double) to hold a code.
    pub fn admit(&mut self, p: Pass) -> Option<Step> {
        let coarse = self.coarse;
        let shrink = if p.shrink == 0 { coarse } else { p.shrink };
        // The coarse pass only exists for large views; a shrunk pass is the same as the
        // coarse one when the factors agree.
        if (p.shrink == 0 && coarse == 1) || (p.shrink > 1 && shrink == coarse) {
            return None;
        }
        let tried_as = Pass { shrink, ..p };
        if self.tried.contains(&tried_as)
            || (p.shrink == 2 && coarse < 3 && !self.tried.iter().any(|t| t.shrink == 1))
        {
            return None;
        }
        self.tried.push(tried_as);
        let factor = self.base * shrink;
        let (w, h) = (self.width / factor, self.height / factor);
        if w.min(h) < MIN_QR_SIDE && !(p.upscale && w.min(h) >= MIN_QR_SIDE / 2) {
            return None;
        }
        if p.upscale && w.max(h) > UPSCALE_MAX_SIDE {
            return None;
        }
        let sparse = p.shrink == 0;
        Some(Step {
            pass: tried_as,
            factor,
            sparse,
            base_local: factor == self.base && !sparse && !p.upscale && p.threshold == Local,
        })
    }
}

/// Which bitmap a pass reads: its view (factor, sparse), doubled or not, and threshold.
type BitmapKey = (u32, bool, bool, Threshold);

/// The grey views made so far, and the last pass's bitmap.
pub(super) struct Views<'a> {
    image: &'a DynamicImage,
    /// By shrink factor and sparseness.
    greys: Vec<(u32, bool, GrayImage)>,
    /// The inverted pass follows the upright one of the same view: its grey source and
    /// bitmap are kept.
    last: Option<(BitmapKey, Option<GrayImage>, Bitmap)>,
}

impl<'a> Views<'a> {
    pub fn new(image: &'a DynamicImage) -> Views<'a> {
        Views {
            image,
            greys: Vec::new(),
            last: None,
        }
    }

    /// The whole view shrunk by `factor`, every row read, if a pass made it.
    pub fn full(&self, factor: u32) -> Option<&GrayImage> {
        self.greys
            .iter()
            .find(|(f, sparse, _)| *f == factor && !sparse)
            .map(|(_, _, view)| view)
    }

    /// Runs `step`: what it found, where it looked, and how its view maps to the image.
    pub fn read(
        &mut self,
        step: &Step,
        deadline: Deadline,
        trace: &mut impl Trace,
    ) -> Option<(Scan, Looked, ViewMap)> {
        let Step {
            pass: p,
            factor,
            sparse,
            ..
        } = *step;
        let t_view = std::time::Instant::now();
        let index = match self
            .greys
            .iter()
            .position(|v| v.0 == factor && v.1 == sparse)
        {
            Some(i) => i,
            None => {
                let whole = Rect::whole(self.image);
                let view = grey_view_rows(self.image, whole, factor, sparse);
                self.greys.push((factor, sparse, view));
                self.greys.len() - 1
            }
        };
        let (_, _, view) = self.greys.get(index)?;
        let view_ms = t_view.elapsed().as_secs_f64() * 1000.0;
        let t_bin = std::time::Instant::now();
        let key = (factor, sparse, p.upscale, p.threshold);
        let (upscaled, upright) = match self.last.take() {
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
        trace.step(|| {
            format!(
                "{}{}{:?}{}: {} found, {} missed ({}), view {view_ms:.1} bin {bin_ms:.1} scan {:.1} ms",
                p.shrink,
                if p.upscale { "x2" } else { "" },
                p.threshold,
                if p.invert { " inverted" } else { "" },
                result.found.len(),
                result.missed.len(),
                looked.describe(Crop::whole(&bitmap)),
                started.elapsed().as_secs_f64() * 1000.0,
            )
        });
        self.last = Some((key, upscaled, upright));
        Some((result, looked, map))
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
}
