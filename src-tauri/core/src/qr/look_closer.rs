//! The closer look: grids the passes located but could not decode, cut out at working
//! resolution and read again with every threshold and polarity.

use image::DynamicImage;

use super::binarize::{binarize, Bitmap, Threshold};
use super::deadline::Deadline;
use super::findings::{Findings, ViewMap};
use super::grey::{grey_view, upscale2, Rect};
use super::passes::UPSCALE_MAX_SIDE;
use super::rqrr;
use super::trace::Trace;
use super::MIN_QR_SIDE;

/// Grids that were located but not decoded, cut out with a margin at working resolution
/// (`base`) and tried with every threshold and polarity, doubled when small.
pub(super) fn look_closer(
    image: &DynamicImage,
    base: u32,
    findings: &mut Findings,
    deadline: Deadline,
    trace: &mut impl Trace,
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
            for threshold in [Threshold::Local, Threshold::Otsu] {
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
                    let result = rqrr::scan(&bitmap, deadline);
                    if !result.found.is_empty() {
                        trace.step(|| format!("closer {upscale} {threshold:?} {invert}"));
                        findings.add(result, &map);
                    }
                }
            }
        }
    }
}
