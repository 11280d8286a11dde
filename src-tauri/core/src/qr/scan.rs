//! Step 4: one rqrr run on a black-and-white view.

use super::binarize::Bitmap;

/// A decoded code: its text and where its top-left corner is, in the view's pixels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Found {
    pub top: i32,
    pub left: i32,
    pub text: String,
}

/// A grid rqrr located but could not decode: its bounding box in the view's pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Missed {
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
}

#[derive(Debug, Default)]
pub(super) struct Scan {
    pub found: Vec<Found>,
    pub missed: Vec<Missed>,
}

/// Above this many finder-like places, a bitmap is noise or a trap, not codes: see
/// [`finder_candidates`]. Each code has three; 60 leaves room for many codes and for the
/// icons and glyphs of a busy page.
pub(super) const MAX_FINDER_CANDIDATES: usize = 60;

/// Every grid rqrr finds in `bitmap`: decoded, or located and failed.
pub(super) fn scan(bitmap: &Bitmap) -> Scan {
    let (w, h) = (bitmap.width, bitmap.height);
    // Smaller than the smallest code: nothing to find (and rqrr need not see degenerate
    // sizes).
    if w.min(h) < 21 || bitmap.bits.len() != w * h {
        return Scan::default();
    }
    if finder_candidates(bitmap, MAX_FINDER_CANDIDATES) > MAX_FINDER_CANDIDATES {
        return Scan::default();
    }
    let bits = &bitmap.bits;
    let mut prepared = rqrr::PreparedImage::prepare_from_bitmap(w, h, |x, y| bits[y * w + x] != 0);
    let mut result = Scan::default();
    for grid in prepared.detect_grids() {
        let xs = grid.bounds.iter().map(|p| p.x);
        let ys = grid.bounds.iter().map(|p| p.y);
        let (left, right) = (xs.clone().min().unwrap_or(0), xs.max().unwrap_or(0));
        let (top, bottom) = (ys.clone().min().unwrap_or(0), ys.max().unwrap_or(0));
        let mut payload = Vec::new();
        // A grid that fails (bad format info, too many errors) is kept as a place worth a
        // closer look, never as a failure of the image: it may be a false finder match.
        match grid.decode_to(&mut payload) {
            Ok(_) => result.found.push(Found {
                top,
                left,
                text: payload_text(payload),
            }),
            Err(_) => result.missed.push(Missed {
                left,
                top,
                right,
                bottom,
            }),
        }
    }
    result
}

/// How many distinct places look like a finder pattern both across and down (runs in the
/// ratio 1:1:3:1:1, as rqrr's own scan looks for them), counting up to `limit` + 1.
///
/// rqrr tries every pair of candidate finder patterns and copies the whole image for each
/// try, and rxing's search is cubic in them, so a bitmap full of them (JPEG speckle under a
/// local threshold, a page tiled with finder patterns) can take minutes. Counting them
/// first is one cheap pass; real images have a handful per code, text glyphs rarely pass
/// the vertical check.
pub(super) fn finder_candidates(bitmap: &Bitmap, limit: usize) -> usize {
    let (w, h) = (bitmap.width, bitmap.height);
    if w == 0 || bitmap.bits.len() != w * h {
        return 0;
    }
    // Centres and sizes of the distinct candidates so far.
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
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
            if colour == 1 && count >= 5 && is_finder_ratio(&runs) {
                let size: usize = runs.iter().sum();
                let cx = x - runs[4] - runs[3] - runs[2] / 2 - 1;
                let near = |&(fx, fy, fs): &(usize, usize, usize)| {
                    fx.abs_diff(cx) <= fs.max(size) / 2 && fy.abs_diff(y) <= fs.max(size)
                };
                if !found.iter().any(near) && vertical_finder(bitmap, cx, y) {
                    found.push((cx, y, size));
                    if found.len() > limit {
                        return found.len();
                    }
                }
            }
            colour = b;
            len = 1;
        }
    }
    found.len()
}

/// Whether the column through (`x`, `y`), a dark pixel, crosses a finder pattern.
fn vertical_finder(bitmap: &Bitmap, x: usize, y: usize) -> bool {
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
    let runs = [up[2], up[1], up[0] + down[0] - 1, down[1], down[2]];
    is_finder_ratio(&runs)
}

fn is_finder_ratio(runs: &[usize; 5]) -> bool {
    let total: usize = runs.iter().sum();
    if total < 7 {
        return false;
    }
    // In sevenths of the whole: 1, 1, 3, 1, 1, each within half a module.
    let ok = |run: usize, modules: usize| {
        let (run, total) = (run * 14, total);
        run + total > modules * 2 * total && run < modules * 2 * total + total
    };
    ok(runs[0], 1) && ok(runs[1], 1) && ok(runs[2], 3) && ok(runs[3], 1) && ok(runs[4], 1)
}

/// The payload as text.
///
/// Valid UTF-8 (which covers ASCII, hence every otpauth URI) is taken as is. Anything else
/// is read as ISO-8859-1, the QR standard's default byte-mode encoding: every byte maps to
/// one character, so nothing is dropped or replaced, and the text still reaches the URI
/// parser, which then says clearly that it is not an account — better than pretending the
/// image held no QR code at all.
pub(super) fn payload_text(payload: Vec<u8>) -> String {
    match String::from_utf8(payload) {
        Ok(text) => text,
        Err(e) => e.into_bytes().iter().map(|&b| char::from(b)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_fallback_keeps_every_byte() {
        assert_eq!(payload_text(b"otpauth://x".to_vec()), "otpauth://x");
        assert_eq!(payload_text(vec![0x61, 0xe9]), "aé");
    }

    /// A 20×20 bitmap with finder patterns (2 px per module) at the given offsets.
    fn with_finders(at: &[(usize, usize)], width: usize, height: usize) -> Bitmap {
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

    #[test]
    fn tiny_or_blank_bitmaps_find_nothing() {
        let blank = Bitmap {
            width: 50,
            height: 50,
            bits: vec![0; 2500],
        };
        let scan = scan(&blank);
        assert!(scan.found.is_empty() && scan.missed.is_empty());
        let tiny = Bitmap {
            width: 10,
            height: 10,
            bits: vec![1; 100],
        };
        assert!(super::scan(&tiny).found.is_empty());
    }
}
