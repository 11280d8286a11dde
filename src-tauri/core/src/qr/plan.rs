//! Step 4b: where to look in a bitmap: the regions around trios of finder-like places
//! placed as a code's three finders could be.

use super::binarize::{Bitmap, Crop};
use super::finders::{locate, Finder, MAX_FINDER_CANDIDATES};

/// Most loosely matched finder-like places kept to plan where rqrr looks; past this, rqrr
/// gets the whole bitmap as before (the three-at-a-time search below is cubic in them).
const MAX_LOOSE_FINDERS: usize = 120;

/// Past this many regions, or this share of the bitmap in them (in percent), the regions
/// save nothing: rqrr gets the whole bitmap.
const MAX_REGIONS: usize = 12;
const MAX_REGION_SHARE: usize = 50;

/// Where rqrr (or a quicker reader) should look in a bitmap.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Plan {
    /// Nowhere: a trap (too many finder-like places), or no three finder-like places sit
    /// as a code's three finders could, and no code can be located without them.
    Skip,
    /// The whole bitmap: too many places to tell (`None`), or regions covering most of it
    /// (the places found).
    Whole(Option<Vec<Finder>>),
    /// These regions only.
    Regions(Vec<Region>),
}

/// A part of a bitmap that may hold a code, and the finder-like places that make it so.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Region {
    pub crop: Crop,
    pub finders: Vec<Finder>,
}

/// Where to look in `bitmap` (see [`Plan`]).
///
/// Looking only where three finder-like places sit as a code's could (see
/// [`code_regions`]) spares rqrr its flood fills of the whole page and its whole-image
/// copy for every trio it tests, and spares it altogether on a page without a code.
pub(super) fn plan(bitmap: &Bitmap) -> Plan {
    plan_checked(bitmap).0
}

/// [`plan`], and whether rxing may run on this bitmap's regions without a time limit (see
/// [`Located::many_wide`](super::finders::Located::many_wide)).
pub(super) fn plan_checked(bitmap: &Bitmap) -> (Plan, bool) {
    let (w, h) = (bitmap.width, bitmap.height);
    // Smaller than the smallest code: nothing to find.
    if w.min(h) < 21 || bitmap.bits.len() != w * h {
        return (Plan::Skip, false);
    }
    let located = locate(bitmap, MAX_FINDER_CANDIDATES, MAX_LOOSE_FINDERS);
    if located.strict > MAX_FINDER_CANDIDATES {
        return (Plan::Skip, false);
    }
    let plan = match located.loose {
        None => Plan::Whole(None),
        Some(finders) => match code_regions(&finders, w, h) {
            Some(regions) if regions.is_empty() => Plan::Skip,
            Some(regions) => Plan::Regions(regions),
            None => Plan::Whole(Some(finders)),
        },
    };
    (plan, !located.many_wide)
}

/// The parts of a `width`×`height` bitmap (`None`: too many, or most of it) where three of `finders` sit as a code's three
/// finders could: similar sizes, one of them at a corner with the other two along two
/// sides of similar length at a right angle (give or take perspective), at least one
/// finder apart and at most a version-40 code apart. Each region holds the trio, the
/// fourth corner they imply and a quiet zone; overlapping regions are merged.
///
/// The tolerances are wider than rqrr's own grouping (sides within 25 %, each within about
/// 11° of the corner finder's axes) and than ZXing's, so that no trio either would accept
/// is left out.
pub(super) fn code_regions(finders: &[Finder], width: usize, height: usize) -> Option<Vec<Region>> {
    // Members are kept as a bit set, one bit a finder.
    if finders.len() > Members::BITS as usize {
        return None;
    }
    // Each trio's region is merged at once into those it overlaps, until no two overlap: a
    // code found by several trios (or several codes side by side) is one region. Merging as
    // they come keeps the work linear in the trios, of which noise can make a million.
    let mut merged: Vec<(Crop, Members)> = Vec::new();
    let point = |f: &Finder| (f.x as i64, f.y as i64);
    for (i, a) in finders.iter().enumerate() {
        for (j, b) in finders.iter().enumerate() {
            if j == i || !similar_size(a, b) {
                continue;
            }
            for (k, c) in finders.iter().enumerate().skip(j + 1) {
                if k == i || !similar_size(a, c) || !similar_size(b, c) {
                    continue;
                }
                let ((ax, ay), (bx, by), (cx, cy)) = (point(a), point(b), point(c));
                let (ux, uy, vx, vy) = (bx - ax, by - ay, cx - ax, cy - ay);
                let (uu, vv) = (ux * ux + uy * uy, vx * vx + vy * vy);
                let size = a.size.max(b.size).max(c.size) as i64;
                // Sides: from one finder width (finders never overlap, at least 14 modules
                // apart) to 30 (170 modules for version 40, plus slack), lengths within 2×
                // of each other (squared: 4×).
                let (short, long) = (uu.min(vv), uu.max(vv));
                if short < size * size || long > 900 * size * size || long > 4 * short {
                    continue;
                }
                // The angle at `a` between 45° and 135°: |cos| ≤ 0.71, squared ≤ ½.
                let dot = ux * vx + uy * vy;
                if 2 * dot * dot > uu * vv {
                    continue;
                }
                let (dx, dy) = (bx + cx - ax, by + cy - ay);
                // Half a finder and the 4-module quiet zone around the centres, plus room
                // for perspective on the guessed fourth corner.
                let side = ((long as f64).sqrt()) as i64;
                let margin = size + side / 8 + 4;
                let clamp = |v: i64, max: usize| v.clamp(0, max as i64) as usize;
                let crop = Crop {
                    x0: clamp(ax.min(bx).min(cx).min(dx) - margin, width),
                    y0: clamp(ay.min(by).min(cy).min(dy) - margin, height),
                    x1: clamp(ax.max(bx).max(cx).max(dx) + margin + 1, width),
                    y1: clamp(ay.max(by).max(cy).max(dy) + margin + 1, height),
                };
                if crop.area() == 0 {
                    continue;
                }
                let (mut crop, mut members) = (crop, 1 << i | 1 << j | 1 << k);
                while let Some(m) = merged.iter().position(|(other, _)| other.overlaps(&crop)) {
                    let (other, other_members) = merged.swap_remove(m);
                    crop = crop.union(&other);
                    members |= other_members;
                }
                merged.push((crop, members));
            }
        }
    }
    let covered: usize = merged.iter().map(|(c, _)| c.area()).sum();
    if merged.len() > MAX_REGIONS || covered * 100 > MAX_REGION_SHARE * width * height {
        return None;
    }
    merged.sort_by_key(|(c, _)| (c.y0, c.x0));
    Some(
        merged
            .into_iter()
            .map(|(crop, members)| Region {
                crop,
                finders: finders
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| members & 1 << i != 0)
                    .map(|(_, f)| *f)
                    .collect(),
            })
            .collect(),
    )
}

/// The finders (by index) whose trios made a region.
type Members = u128;

/// Finder widths within 2.5× of each other (perspective shrinks the far ones).
fn similar_size(a: &Finder, b: &Finder) -> bool {
    2 * a.size.max(b.size) <= 5 * a.size.min(b.size)
}

#[cfg(test)]
mod tests {
    use super::super::finders::tests::with_finders;
    use super::*;

    fn finder(x: usize, y: usize, size: usize) -> Finder {
        Finder { x, y, size }
    }

    #[test]
    fn regions_hold_trios_placed_as_codes() {
        // A code's three finders (14 px wide, 100 px apart): one region, holding them, the
        // fourth corner they imply and a margin, and not the whole bitmap.
        let code = [
            finder(100, 100, 14),
            finder(200, 100, 14),
            finder(100, 200, 14),
        ];
        let regions = code_regions(&code, 1000, 1000).expect("a small part of the bitmap");
        assert_eq!(regions.len(), 1);
        let crop = regions[0].crop;
        assert!(
            crop.x0 < 93 && crop.y0 < 93 && crop.x1 > 207 && crop.y1 > 207,
            "{crop:?}"
        );
        assert!(crop.x1 < 300 && crop.y1 < 300, "{crop:?}");
        assert_eq!(regions[0].finders.len(), 3);
        // Turned 45°: the fourth corner lies below the trio, and is inside the region.
        let turned = [
            finder(300, 100, 20),
            finder(371, 171, 20),
            finder(229, 171, 20),
        ];
        let regions = code_regions(&turned, 1000, 1000).expect("a small part of the bitmap");
        assert_eq!(regions.len(), 1);
        assert!(regions[0].crop.y1 > 242, "{:?}", regions[0].crop);
    }

    #[test]
    fn no_region_without_a_plausible_trio() {
        // In a row (icons, text), of very different sizes, or too close: no code there.
        let row = [
            finder(100, 100, 14),
            finder(150, 100, 14),
            finder(200, 100, 14),
        ];
        assert_eq!(code_regions(&row, 1000, 1000), Some(Vec::new()));
        let sizes = [
            finder(100, 100, 14),
            finder(200, 100, 60),
            finder(100, 200, 14),
        ];
        assert_eq!(code_regions(&sizes, 1000, 1000), Some(Vec::new()));
        let close = [
            finder(100, 100, 14),
            finder(110, 100, 14),
            finder(100, 110, 14),
        ];
        assert_eq!(code_regions(&close, 1000, 1000), Some(Vec::new()));
        assert_eq!(code_regions(&[], 1000, 1000), Some(Vec::new()));
    }

    #[test]
    fn regions_over_most_of_the_bitmap_mean_the_whole() {
        let code = [finder(10, 10, 14), finder(90, 10, 14), finder(10, 90, 14)];
        assert_eq!(code_regions(&code, 100, 100), None);
    }

    #[test]
    fn plans_follow_the_finders() {
        let blank = Bitmap {
            width: 60,
            height: 60,
            bits: vec![0; 3600],
        };
        assert_eq!(plan(&blank), Plan::Skip);
        let lone = with_finders(&[(20, 20)], 60, 60);
        assert_eq!(plan(&lone), Plan::Skip);
        let three = with_finders(&[(2, 2), (60, 2), (2, 60)], 200, 200);
        match plan(&three) {
            Plan::Regions(regions) => {
                assert_eq!(regions.len(), 1);
                assert_eq!(regions[0].finders.len(), 3);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn many_wide_matches_are_flagged_for_rxing() {
        // 81 squares whose centre is too big for our tests but not for rxing's: a ring of
        // 1 px, a gap of 1 px, an 8 px centre.
        let (side, cell) = (9 * 14, 14);
        let mut bits = vec![0u8; side * side];
        for (cy, cx) in (0..9).flat_map(|i| (0..9).map(move |j| (i, j))) {
            for y in 0..12 {
                for x in 0..12 {
                    let ring = x.min(y).min(11 - x).min(11 - y);
                    bits[(cy * cell + y + 1) * side + cx * cell + x + 1] = u8::from(ring != 1);
                }
            }
        }
        let tiled = Bitmap {
            width: side,
            height: side,
            bits,
        };
        let located = locate(&tiled, MAX_FINDER_CANDIDATES, MAX_LOOSE_FINDERS);
        assert!(located.many_wide);
        assert_eq!(located.strict, 0);
        assert_eq!(located.loose, Some(Vec::new()));
        assert_eq!(plan_checked(&tiled), (Plan::Skip, false));
    }

    #[test]
    fn a_crowd_of_finders_makes_one_region_holding_them_all() {
        // 120 finder-like places 30 px apart (noise under a threshold looks like this): every
        // overlapping trio's region merged into one, with every place that made it.
        let crowd: Vec<Finder> = (0..120)
            .map(|i| finder(5000 + 30 * (i % 12), 5000 + 30 * (i / 12), 14))
            .collect();
        let regions = code_regions(&crowd, 20_000, 20_000).expect("a small part of the bitmap");
        assert_eq!(regions.len(), 1);
        assert_eq!(regions[0].finders, crowd);
        // More places than a region can name: too many to tell.
        let more: Vec<Finder> = (0..129).map(|i| finder(5000 + 30 * i, 5000, 14)).collect();
        assert_eq!(code_regions(&more, 20_000, 20_000), None);
    }
}
