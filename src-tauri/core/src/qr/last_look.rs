//! The last look, when the passes and the closer look left the search unfinished: rxing's
//! multi-code reader on the working view, where codes can be and nowhere else.

use image::{DynamicImage, GrayImage};

use super::binarize::{binarize, Crop, Threshold};
use super::deadline::Deadline;
use super::findings::{Findings, Scan, ViewMap};
use super::grey::{grey_crop, grey_view, Rect};
use super::plan::{plan, Plan};
use super::rxing;
use super::scan_view::Looked;
use super::trace::Trace;

/// How long the rxing fallback may run. Its finder search is cubic in the number of
/// finder-like patterns: on a page tiled with them it runs for minutes, while the corpus
/// images it reads take under 0.7 s (release build, loaded machine).
const RXING_DEADLINE: std::time::Duration = std::time::Duration::from_secs(2);

/// rxing's multi-code reader on the working view (shrunk by `base`; `view` if a pass made
/// it), where the base view's local passes looked (`base_looked`) and around the grids
/// left undecoded; what it reads goes into `findings`.
pub(super) fn last_look(
    image: &DynamicImage,
    base: u32,
    view: Option<&GrayImage>,
    base_looked: Vec<Looked>,
    findings: &mut Findings,
    deadline: Deadline,
    trace: &mut impl Trace,
) {
    let fresh;
    let view = match view {
        Some(view) => view,
        None => {
            fresh = grey_view(image, Rect::whole(image), base);
            &fresh
        }
    };
    let started = std::time::Instant::now();
    let whole = Crop {
        x0: 0,
        y0: 0,
        x1: view.width() as usize,
        y1: view.height() as usize,
    };
    let areas = rxing_areas(view, base, base_looked, &findings.missed);
    let run = !areas.is_empty();
    let mut grey = Vec::new();
    for area in areas {
        if deadline.passed() {
            break;
        }
        let crop = if area == whole {
            view.clone()
        } else {
            grey_crop(view, area, false)
        };
        for mut found in rxing::read_all_within(crop, deadline.at_most(RXING_DEADLINE)) {
            found.left = found.left.saturating_add(area.x0 as i32);
            found.top = found.top.saturating_add(area.y0 as i32);
            grey.push(found);
        }
    }
    trace.step(|| {
        format!(
            "rxing{}: {} found, {} ms",
            if run { "" } else { " skipped" },
            grey.len(),
            started.elapsed().as_millis()
        )
    });
    let map = ViewMap {
        origin_x: 0,
        origin_y: 0,
        half_scale: 2 * i64::from(base),
    };
    findings.add(
        Scan {
            found: grey,
            missed: Vec::new(),
        },
        &map,
    );
}

/// Where in `view` (the working view, shrunk by `base`) rxing looks, merged so that no two
/// overlap.
///
/// rxing binarizes as our local threshold does, and cannot locate a code without three
/// finder patterns in place: it looks where the base view's local passes (both
/// polarities) found such trios, and around grids rqrr left undecoded (`missed`, in
/// full-resolution pixels); nowhere else, which is most of the cost of an image without a
/// code saved. A view tiled with finder patterns is a trap for rxing (see
/// [`RXING_DEADLINE`]) and holds no readable code: the passes looked nowhere in it.
fn rxing_areas(
    view: &GrayImage,
    base: u32,
    mut base_looked: Vec<Looked>,
    missed: &[Rect],
) -> Vec<Crop> {
    // The base view's local passes did not both run: where they would have looked.
    if base_looked.len() < 2 {
        let bitmap = binarize(view, Threshold::Local);
        base_looked = [bitmap.inverted(), bitmap]
            .iter()
            .map(|b| match plan(b) {
                Plan::Skip => Looked::Nowhere,
                Plan::Whole(_) => Looked::At(vec![Crop::whole(b)]),
                Plan::Regions(regions) => Looked::At(regions.into_iter().map(|r| r.crop).collect()),
            })
            .collect();
    }
    let (width, height) = (view.width() as usize, view.height() as usize);
    let mut areas: Vec<Crop> = Vec::new();
    for looked in &base_looked {
        if let Looked::At(crops) = looked {
            areas.extend(crops);
        }
    }
    for m in missed {
        // A quarter of the grid on every side, as in look_closer, in the view's pixels.
        let margin = m.w.max(m.h) / 4 + 8;
        let b = base as usize;
        areas.push(Crop {
            x0: m.x.saturating_sub(margin) as usize / b,
            y0: m.y.saturating_sub(margin) as usize / b,
            x1: (m.x.saturating_add(m.w).saturating_add(margin) as usize / b).min(width),
            y1: (m.y.saturating_add(m.h).saturating_add(margin) as usize / b).min(height),
        });
    }
    let mut merged: Vec<Crop> = Vec::new();
    for mut area in areas {
        while let Some(i) = merged.iter().position(|m| m.overlaps(&area)) {
            area = area.union(&merged.swap_remove(i));
        }
        merged.push(area);
    }
    merged
}
