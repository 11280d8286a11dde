//! Step 4c: rqrr on a black-and-white view, or the regions of it the plan says, under the
//! search's deadline.

use std::rc::Rc;

use image::{GenericImage, GenericImageView, Luma};

use super::binarize::{Bitmap, Crop};
use super::deadline::{Clock, Deadline};
use super::findings::{Found, Missed, Scan};
use super::plan::{plan, Plan};

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
    let mut prepared =
        ::rqrr::PreparedImage::without_preparation(ClockedPixels::new(bitmap, &clock));
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
}
