//! Step 4a: finder-like places (the three squares in a code's corners), located in one
//! read of a bitmap.

use super::binarize::Bitmap;

/// Above this many finder-like places, a bitmap is noise or a trap, not codes: see
/// [`locate`]. Each code has three; 60 leaves room for many codes and for the icons and
/// glyphs of a busy page.
pub(super) const MAX_FINDER_CANDIDATES: usize = 60;

/// A finder-like place: its centre and its width (7 modules), in the bitmap's pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Finder {
    pub x: usize,
    pub y: usize,
    pub size: usize,
}

/// What one look for finder patterns found.
pub(super) struct Located {
    /// Distinct places matching strictly (each run within half a module, across and down),
    /// counted up to the strict limit + 1.
    pub strict: usize,
    /// Places matching loosely (runs within a module, the centre within a module and a
    /// half), or `None` past the loose limit.
    pub loose: Option<Vec<Finder>>,
    /// More than [`MAX_FINDER_CANDIDATES`] places match as widely as rxing's own finder
    /// test can (outer runs within a module, the centre within three): its search, cubic
    /// in them, could run for minutes here.
    pub many_wide: bool,
}

/// Finder-like places (runs in the ratio 1:1:3:1:1 across, as rqrr's own scan looks for
/// them, and down through the centre), in one read of the bitmap.
///
/// The strict count guards against traps: rqrr tries every pair of candidate finder
/// patterns and copies the whole image for each try, and rxing's search is cubic in them,
/// so a bitmap full of them (JPEG speckle under a local threshold, a page tiled with
/// finder patterns) can take minutes; real images have a handful per code, and text glyphs
/// rarely pass the vertical check. The loose list, tolerant enough to keep every finder
/// rqrr's or ZXing's scan would accept, says where codes can be.
pub(super) fn locate(bitmap: &Bitmap, strict_limit: usize, loose_limit: usize) -> Located {
    let (w, h) = (bitmap.width, bitmap.height);
    let mut strict: Vec<Finder> = Vec::new();
    let mut loose: Vec<Finder> = Vec::new();
    let mut loose_full = false;
    let mut wide: Vec<Finder> = Vec::new();
    if w == 0 || bitmap.bits.len() != w * h {
        return Located {
            strict: 0,
            loose: Some(loose),
            many_wide: false,
        };
    }
    let near = |found: &[Finder], cx: usize, y: usize, size: usize| {
        found.iter().any(|f| {
            f.x.abs_diff(cx) <= f.size.max(size) / 2 && f.y.abs_diff(y) <= f.size.max(size)
        })
    };
    let mut runs: [usize; 5] = [0; 5];
    for (y, row) in bitmap.bits.chunks_exact(w).enumerate() {
        let mut len = 0usize;
        let mut colour = row.first().copied().unwrap_or(0);
        let mut count = 0usize;
        for (x, &b) in row.iter().chain(std::iter::once(&2)).enumerate() {
            if b == colour {
                len += 1;
                continue;
            }
            runs.rotate_left(1);
            runs[4] = len;
            count += 1;
            // The run just closed was dark and it ends a 5-run window that starts dark.
            if colour == 1 && count >= 5 && finder_ratio(&runs, WIDE) {
                let size: usize = runs.iter().sum();
                let cx = x - runs[4] - runs[3] - runs[2] / 2 - 1;
                let check_strict = finder_ratio(&runs, STRICT) && !near(&strict, cx, y, size);
                let check_loose =
                    !loose_full && finder_ratio(&runs, LOOSE) && !near(&loose, cx, y, size);
                let check_wide = wide.len() <= MAX_FINDER_CANDIDATES && !near(&wide, cx, y, size);
                if check_strict || check_loose || check_wide {
                    let (down, middle) = vertical_runs(bitmap, cx, y);
                    let finder = Finder {
                        x: cx,
                        y: middle,
                        size,
                    };
                    // A finder is square however it is turned: the line down through its
                    // centre is about as long as the line across (perspective aside). Text
                    // glyphs that pass the ratio both ways rarely are.
                    let tall: usize = down.iter().sum();
                    let square = 2 * tall.max(size) <= 3 * tall.min(size);
                    if check_strict && finder_ratio(&down, STRICT) {
                        strict.push(finder);
                        if strict.len() > strict_limit {
                            return Located {
                                strict: strict.len(),
                                loose: None,
                                many_wide: true,
                            };
                        }
                    }
                    if check_loose && square && finder_ratio(&down, LOOSE) {
                        loose.push(finder);
                        loose_full = loose.len() > loose_limit;
                    }
                    if check_wide && finder_ratio(&down, WIDE) {
                        wide.push(finder);
                    }
                }
            }
            colour = b;
            len = 1;
        }
    }
    Located {
        strict: strict.len(),
        loose: (!loose_full).then_some(loose),
        many_wide: wide.len() > MAX_FINDER_CANDIDATES,
    }
}

/// How many distinct places look like a finder pattern both across and down, strictly,
/// counting up to `limit` + 1 (see [`locate`]).
#[cfg(test)]
fn finder_candidates(bitmap: &Bitmap, limit: usize) -> usize {
    locate(bitmap, limit, 0).strict
}

/// The runs of the column through (`x`, `y`), a dark pixel: two runs up, the centre run,
/// two runs down; and the row in the middle of the centre run.
fn vertical_runs(bitmap: &Bitmap, x: usize, y: usize) -> ([usize; 5], usize) {
    let at = |y: usize| bitmap.bits.get(y * bitmap.width + x).copied().unwrap_or(0);
    // Run lengths going up from y (centre run first), then down.
    let walk = |up: bool| {
        let mut lens = [0usize; 3];
        let mut yy = y as isize;
        for (i, len) in lens.iter_mut().enumerate() {
            let want = if i == 1 { 0 } else { 1 };
            while yy >= 0 && (yy as usize) < bitmap.height && at(yy as usize) == want {
                *len += 1;
                yy += if up { -1 } else { 1 };
            }
        }
        lens
    };
    let (up, down) = (walk(true), walk(false));
    // The centre pixel is counted in both walks.
    let stone = (up[0] + down[0]).saturating_sub(1);
    let middle = (y + 1).saturating_sub(up[0]) + stone / 2;
    ([up[2], up[1], stone, down[1], down[2]], middle)
}

/// Tolerances of [`finder_ratio`], in half modules: (each outer run, the centre run).
type Tolerance = (usize, usize);
/// ZXing's classic test: every run within half a module.
const STRICT: Tolerance = (1, 1);
/// Wider than both rqrr's (¾ of the outer runs' mean, integer-rounded) and ZXing's
/// classic test (half a module, 1.5 modules on the centre run).
const LOOSE: Tolerance = (2, 3);
/// rxing's test at its widest: half a module plus a quantisation allowance of up to half
/// a module, three times that on the centre run.
const WIDE: Tolerance = (2, 6);

/// Whether `runs` are in the ratio 1:1:3:1:1 within `tolerance`.
fn finder_ratio(runs: &[usize; 5], (outer, centre): Tolerance) -> bool {
    let total: usize = runs.iter().sum();
    if total < 7 || runs.contains(&0) {
        return false;
    }
    // In fourteenths of the whole (half modules): |14·run − 2·modules·total| < tol·total.
    let ok = |run: usize, modules: usize, tol: usize| {
        (run * 14).abs_diff(modules * 2 * total) < tol * total
    };
    ok(runs[0], 1, outer)
        && ok(runs[1], 1, outer)
        && ok(runs[2], 3, centre)
        && ok(runs[3], 1, outer)
        && ok(runs[4], 1, outer)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A 20×20 bitmap with finder patterns (2 px per module) at the given offsets.
    pub(in crate::qr) fn with_finders(
        at: &[(usize, usize)],
        width: usize,
        height: usize,
    ) -> Bitmap {
        let mut bits = vec![0u8; width * height];
        for &(ox, oy) in at {
            for y in 0..14 {
                for x in 0..14 {
                    let (i, j) = (x / 2, y / 2);
                    let ring = i.min(j).min(6 - i).min(6 - j);
                    bits[(oy + y) * width + ox + x] = u8::from(ring != 1);
                }
            }
        }
        Bitmap {
            width,
            height,
            bits,
        }
    }

    #[test]
    fn located_finders_have_their_centres_and_sizes() {
        let three = with_finders(&[(2, 2), (40, 2), (2, 40)], 60, 60);
        let located = locate(&three, 10, 10);
        assert_eq!(located.strict, 3);
        let mut finders = located.loose.expect("under the loose limit");
        finders.sort_by_key(|f| (f.y, f.x));
        assert_eq!(finders.len(), 3);
        for (f, (x, y)) in finders.iter().zip([(9, 9), (47, 9), (9, 47)]) {
            // The centre within a module (2 px) of the pattern's, the width 7 modules.
            assert!(
                f.x.abs_diff(x) <= 2 && f.y.abs_diff(y) <= 2,
                "{f:?} vs ({x}, {y})"
            );
            assert_eq!(f.size, 14);
        }
        // Past the loose limit, no list: the caller cannot plan and looks everywhere.
        assert!(locate(&three, 10, 1).loose.is_none());
    }

    #[test]
    fn finders_squashed_one_way_are_not_kept_loosely() {
        // The finder pattern drawn twice as tall as wide: the ratios hold both ways, but no
        // turned square is that shape.
        let (w, h) = (30, 40);
        let mut bits = vec![0u8; w * h];
        for y in 0..28 {
            for x in 0..14 {
                let (i, j) = (x / 2, y / 4);
                let ring = i.min(j).min(6 - i).min(6 - j);
                bits[(y + 6) * w + x + 8] = u8::from(ring != 1);
            }
        }
        let tall = Bitmap {
            width: w,
            height: h,
            bits,
        };
        assert_eq!(locate(&tall, 10, 10).loose, Some(Vec::new()));
    }

    #[test]
    fn tolerances_nest() {
        let exact = [2, 2, 6, 2, 2];
        let fat_centre = [1, 1, 6, 1, 1];
        let fatter_centre = [1, 1, 8, 1, 1];
        let lopsided = [3, 1, 3, 1, 1];
        assert!([STRICT, LOOSE, WIDE]
            .iter()
            .all(|&t| finder_ratio(&exact, t)));
        assert!(!finder_ratio(&fat_centre, STRICT));
        assert!(finder_ratio(&fat_centre, LOOSE) && finder_ratio(&fat_centre, WIDE));
        assert!(!finder_ratio(&fatter_centre, LOOSE) && finder_ratio(&fatter_centre, WIDE));
        assert!(!finder_ratio(&lopsided, WIDE));
        assert!(!finder_ratio(&[1, 0, 3, 1, 1], WIDE));
    }

    #[test]
    fn finder_patterns_are_counted_once_each() {
        assert_eq!(finder_candidates(&with_finders(&[(3, 3)], 20, 20), 10), 1);
        let three = with_finders(&[(2, 2), (30, 2), (2, 30)], 50, 50);
        assert_eq!(finder_candidates(&three, 10), 3);
        // The count stops just past the limit.
        let many: Vec<(usize, usize)> = (0..5)
            .flat_map(|i| (0..5).map(move |j| (i * 16, j * 16)))
            .collect();
        assert_eq!(finder_candidates(&with_finders(&many, 80, 80), 10), 11);
        // Stripes of the right widths across but not down: no candidate.
        let row = [1u8, 1, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1];
        let stripes = Bitmap {
            width: 14,
            height: 14,
            bits: row.iter().copied().cycle().take(14 * 14).collect(),
        };
        assert_eq!(finder_candidates(&stripes, 10), 0);
    }
}
