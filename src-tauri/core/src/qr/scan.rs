//! Step 4: one rqrr run on a black-and-white view.

use std::rc::Rc;

use image::{GenericImage, GenericImageView, Luma};

use super::binarize::Bitmap;
use super::deadline::{Clock, Deadline};

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
/// [`locate`]. Each code has three; 60 leaves room for many codes and for the icons and
/// glyphs of a busy page.
pub(super) const MAX_FINDER_CANDIDATES: usize = 60;

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
/// [`Located::many_wide`]).
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

/// Every grid rqrr finds in `bitmap`, following [`plan`]: decoded, or located and failed;
/// what it found by `deadline`.
pub(super) fn scan(bitmap: &Bitmap, deadline: Deadline) -> Scan {
    match plan(bitmap) {
        Plan::Skip => Scan::default(),
        Plan::Whole(_) => scan_whole(bitmap, deadline),
        Plan::Regions(regions) => {
            let mut result = Scan::default();
            for region in regions {
                result.extend(scan_crop(bitmap, region.crop, deadline));
            }
            result
        }
    }
}

impl Scan {
    pub fn extend(&mut self, other: Scan) {
        self.found.extend(other.found);
        self.missed.extend(other.missed);
    }
}

/// rqrr on the `crop` part of `bitmap`, positions in the bitmap's pixels.
pub(super) fn scan_crop(bitmap: &Bitmap, crop: Crop, deadline: Deadline) -> Scan {
    scan_crop_without(bitmap, crop, None, deadline)
}

/// [`scan_crop`] with the `blank` rectangle (bitmap pixels) made light first: a code
/// already read there is not located and decoded a second time.
pub(super) fn scan_crop_without(
    bitmap: &Bitmap,
    crop: Crop,
    blank: Option<Crop>,
    deadline: Deadline,
) -> Scan {
    if crop == Crop::whole(bitmap) && blank.is_none() {
        return scan_whole(bitmap, deadline);
    }
    let part = scan_whole(&blanked(bitmap, crop, blank), deadline);
    let (dx, dy) = (crop.x0 as i32, crop.y0 as i32);
    Scan {
        found: part
            .found
            .into_iter()
            .map(|f| Found {
                top: f.top.saturating_add(dy),
                left: f.left.saturating_add(dx),
                text: f.text,
            })
            .collect(),
        missed: part
            .missed
            .into_iter()
            .map(|m| Missed {
                left: m.left.saturating_add(dx),
                top: m.top.saturating_add(dy),
                right: m.right.saturating_add(dx),
                bottom: m.bottom.saturating_add(dy),
            })
            .collect(),
    }
}

/// The `crop` part of `bitmap`, with the `blank` rectangle (bitmap pixels) light.
fn blanked(bitmap: &Bitmap, crop: Crop, blank: Option<Crop>) -> Bitmap {
    let mut part = bitmap.crop(crop);
    if let Some(blank) = blank {
        let x0 = blank.x0.saturating_sub(crop.x0).min(part.width);
        let x1 = blank.x1.saturating_sub(crop.x0).min(part.width);
        let rows = blank.y0.saturating_sub(crop.y0)..blank.y1.saturating_sub(crop.y0);
        for y in rows.take_while(|&y| y < part.height) {
            if let Some(row) = part.bits.get_mut(y * part.width + x0..y * part.width + x1) {
                row.fill(0);
            }
        }
    }
    part
}

/// rqrr on the whole of `bitmap`: the grids it located and decoded by `deadline`.
pub(super) fn scan_whole(bitmap: &Bitmap, deadline: Deadline) -> Scan {
    let (w, h) = (bitmap.width, bitmap.height);
    if w.min(h) < 21 || bitmap.bits.len() != w * h || deadline.passed() {
        return Scan::default();
    }
    // rqrr 0.11 asserts on some degenerate grids (a perspective mapping a point past
    // i32, geometry.rs): such a panic loses this bitmap's look, not the whole search.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rqrr_grids(bitmap, deadline)
    }))
    .unwrap_or_default()
}

/// The body of [`scan_whole`], which may panic inside rqrr.
fn rqrr_grids(bitmap: &Bitmap, deadline: Deadline) -> Scan {
    let clock = Rc::new(Clock::new(deadline));
    let mut prepared = rqrr::PreparedImage::without_preparation(ClockedPixels::new(bitmap, &clock));
    let mut result = Scan::default();
    for grid in prepared.detect_grids() {
        // Past the deadline rqrr saw a blank image: nothing it made since can be trusted.
        if clock.passed_now() {
            break;
        }
        let xs = grid.bounds.iter().map(|p| p.x);
        let ys = grid.bounds.iter().map(|p| p.y);
        let (left, right) = (xs.clone().min().unwrap_or(0), xs.max().unwrap_or(0));
        let (top, bottom) = (ys.clone().min().unwrap_or(0), ys.max().unwrap_or(0));
        let mut payload = Vec::new();
        let decoded = grid.decode_to(&mut payload);
        if clock.passed_now() {
            break;
        }
        // A grid that fails (bad format info, too many errors) is kept as a place worth a
        // closer look, never as a failure of the image: it may be a false finder match.
        match decoded {
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

/// A bitmap as rqrr reads and marks it (0 light, 1 dark, higher values its own marks),
/// blank once `clock` has passed: rqrr cannot be interrupted, and on a bitmap full of
/// finder-like noise its grouping (every pair of candidate finders beside each one, each
/// pair tried on a copy of the image) runs for seconds. A blank image ends its flood fills
/// and grid fits at once. Copies share the pixels until one is written.
#[derive(Clone)]
struct ClockedPixels {
    width: u32,
    height: u32,
    pixels: Rc<Vec<Luma<u8>>>,
    clock: Rc<Clock>,
    /// What `get_pixel_mut` hands out for a pixel it cannot give.
    spare: Luma<u8>,
}

impl ClockedPixels {
    fn new(bitmap: &Bitmap, clock: &Rc<Clock>) -> ClockedPixels {
        ClockedPixels {
            width: bitmap.width as u32,
            height: bitmap.height as u32,
            pixels: Rc::new(bitmap.bits.iter().map(|&b| Luma([b])).collect()),
            clock: Rc::clone(clock),
            spare: Luma([0]),
        }
    }

    fn index(&self, x: u32, y: u32) -> Option<usize> {
        (x < self.width && y < self.height).then(|| y as usize * self.width as usize + x as usize)
    }
}

impl GenericImageView for ClockedPixels {
    type Pixel = Luma<u8>;

    fn dimensions(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    fn get_pixel(&self, x: u32, y: u32) -> Luma<u8> {
        if self.clock.passed() {
            return Luma([0]);
        }
        self.index(x, y)
            .and_then(|i| self.pixels.get(i).copied())
            .unwrap_or(Luma([0]))
    }
}

impl GenericImage for ClockedPixels {
    fn get_pixel_mut(&mut self, x: u32, y: u32) -> &mut Luma<u8> {
        match self.index(x, y) {
            Some(i) if !self.clock.passed() => match Rc::make_mut(&mut self.pixels).get_mut(i) {
                Some(pixel) => pixel,
                None => &mut self.spare,
            },
            _ => &mut self.spare,
        }
    }

    fn put_pixel(&mut self, x: u32, y: u32, pixel: Luma<u8>) {
        if self.clock.passed() {
            return;
        }
        if let Some(i) = self.index(x, y) {
            if let Some(p) = Rc::make_mut(&mut self.pixels).get_mut(i) {
                *p = pixel;
            }
        }
    }

    fn blend_pixel(&mut self, x: u32, y: u32, pixel: Luma<u8>) {
        self.put_pixel(x, y, pixel);
    }
}

/// A finder-like place: its centre and its width (7 modules), in the bitmap's pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Finder {
    pub x: usize,
    pub y: usize,
    pub size: usize,
}

/// A rectangle of a bitmap: columns `x0..x1`, rows `y0..y1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Crop {
    pub x0: usize,
    pub y0: usize,
    pub x1: usize,
    pub y1: usize,
}

impl Crop {
    pub fn whole(bitmap: &Bitmap) -> Crop {
        Crop {
            x0: 0,
            y0: 0,
            x1: bitmap.width,
            y1: bitmap.height,
        }
    }

    fn area(&self) -> usize {
        (self.x1 - self.x0) * (self.y1 - self.y0)
    }

    pub fn overlaps(&self, other: &Crop) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }

    pub fn union(&self, other: &Crop) -> Crop {
        Crop {
            x0: self.x0.min(other.x0),
            y0: self.y0.min(other.y0),
            x1: self.x1.max(other.x1),
            y1: self.y1.max(other.y1),
        }
    }
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
    fn blanked_rectangle_is_light_before_rqrr() {
        // scan_crop_without's blanking, checked on what rqrr would see: a crop of an all-dark
        // bitmap with a rectangle made light.
        let dark = Bitmap {
            width: 10,
            height: 10,
            bits: vec![1; 100],
        };
        let crop = Crop {
            x0: 2,
            y0: 2,
            x1: 8,
            y1: 8,
        };
        let blank = Crop {
            x0: 0,
            y0: 0,
            x1: 4,
            y1: 5,
        };
        let part = blanked(&dark, crop, Some(blank));
        assert_eq!((part.width, part.height), (6, 6));
        for y in 0..6 {
            for x in 0..6 {
                let light = x < 2 && y < 3;
                assert_eq!(part.bits[y * 6 + x], u8::from(!light), "({x}, {y})");
            }
        }
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
        let scan = scan(&blank, later());
        assert!(scan.found.is_empty() && scan.missed.is_empty());
        let tiny = Bitmap {
            width: 10,
            height: 10,
            bits: vec![1; 100],
        };
        assert!(super::scan(&tiny, later()).found.is_empty());
    }

    fn later() -> Deadline {
        Deadline::after(std::time::Duration::from_secs(60))
    }

    /// `text` as a QR code, 4 px per module, with a 4-module quiet zone.
    fn qr_bitmap(text: &str) -> Bitmap {
        let code = qrcode::QrCode::new(text.as_bytes()).expect("a short text fits");
        let modules = code.width();
        let colours = code.to_colors();
        let side = (modules + 8) * 4;
        let mut bits = vec![0u8; side * side];
        for (i, colour) in colours.iter().enumerate() {
            if *colour == qrcode::Color::Dark {
                let (mx, my) = (i % modules + 4, i / modules + 4);
                for y in my * 4..my * 4 + 4 {
                    bits[y * side + mx * 4..y * side + mx * 4 + 4].fill(1);
                }
            }
        }
        Bitmap {
            width: side,
            height: side,
            bits,
        }
    }

    #[test]
    fn rqrr_reads_by_the_deadline_and_reports_nothing_after_it() {
        let text = "otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP";
        let bitmap = qr_bitmap(text);
        let read = scan_whole(&bitmap, later());
        assert_eq!(read.found.len(), 1);
        assert_eq!(read.found[0].text, text);
        let late = scan_whole(&bitmap, Deadline::after(std::time::Duration::ZERO));
        assert!(late.found.is_empty() && late.missed.is_empty());
    }

    #[test]
    fn clocked_pixels_go_blank_and_ignore_writes_once_out_of_time() {
        let bitmap = qr_bitmap("x");
        let dark = bitmap
            .bits
            .iter()
            .position(|&b| b == 1)
            .expect("a dark module");
        let (x, y) = ((dark % bitmap.width) as u32, (dark / bitmap.width) as u32);
        let clock = Rc::new(Clock::new(later()));
        let mut pixels = ClockedPixels::new(&bitmap, &clock);
        assert_eq!(pixels.get_pixel(x, y), Luma([1]));
        // Copies share the pixels until one is written.
        let copy = pixels.clone();
        pixels.put_pixel(x, y, Luma([7]));
        assert_eq!(
            (pixels.get_pixel(x, y), copy.get_pixel(x, y)),
            (Luma([7]), Luma([1]))
        );
        assert_eq!(pixels.get_pixel(u32::MAX, 0), Luma([0]));

        let gone = Rc::new(Clock::new(Deadline::after(std::time::Duration::ZERO)));
        let mut late = ClockedPixels::new(&bitmap, &gone);
        assert_eq!(late.get_pixel(x, y), Luma([0]));
        late.put_pixel(x, y, Luma([7]));
        assert_eq!(late.pixels.get(dark), Some(&Luma([1])));
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
