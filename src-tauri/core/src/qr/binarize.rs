//! Step 3: grey → black and white, which is what rqrr's finder-pattern scan reads.
//!
//! rqrr's own thresholding is a one-dimensional running average along each row; it is the
//! slowest part of rqrr (a division per pixel) and loses low-contrast and unevenly lit codes.
//! These are ours, fed to rqrr through `PreparedImage::prepare_from_bitmap`.

use image::GrayImage;

/// A black-and-white image: one byte per pixel, 1 = dark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Bitmap {
    pub width: usize,
    pub height: usize,
    pub bits: Vec<u8>,
}

impl Bitmap {
    /// Light modules on a dark background (dark-mode screenshots, white-on-colour codes)
    /// become dark on light.
    pub fn inverted(&self) -> Bitmap {
        Bitmap {
            width: self.width,
            height: self.height,
            bits: self.bits.iter().map(|&b| b ^ 1).collect(),
        }
    }

    /// The part of the bitmap inside `crop` (clamped to the bitmap).
    pub fn crop(&self, crop: Crop) -> Bitmap {
        let (x0, x1) = (crop.x0.min(self.width), crop.x1.min(self.width));
        let (y0, y1) = (crop.y0.min(self.height), crop.y1.min(self.height));
        let width = x1.saturating_sub(x0);
        let mut bits = Vec::with_capacity(width * y1.saturating_sub(y0));
        for y in y0..y1 {
            if let Some(row) = self
                .bits
                .get(y * self.width + x0..y * self.width + x0 + width)
            {
                bits.extend_from_slice(row);
            }
        }
        Bitmap {
            width,
            height: bits.len().checked_div(width).unwrap_or(0),
            bits,
        }
    }
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

    pub fn area(&self) -> usize {
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

/// The threshold methods, tried in this order of usefulness.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Threshold {
    /// Local: each 8×8 block is compared with the mean of its 5×5 neighbouring blocks
    /// (ZXing's "hybrid" binarizer). Handles uneven light, shading and busy pages.
    Local,
    /// One level for the whole image, chosen by Otsu's method. Handles blur and low
    /// contrast, where local thresholds fray module edges.
    Otsu,
}

pub(super) fn binarize(grey: &GrayImage, method: Threshold) -> Bitmap {
    match method {
        Threshold::Local if grey.width() >= 5 * BLOCK && grey.height() >= 5 * BLOCK => local(grey),
        // Too small for 5×5 blocks: a global level is as good.
        Threshold::Local | Threshold::Otsu => global(grey, otsu_level(grey)),
    }
}

/// Dark if at or below `level`.
fn global(grey: &GrayImage, level: u8) -> Bitmap {
    Bitmap {
        width: grey.width() as usize,
        height: grey.height() as usize,
        bits: grey.iter().map(|&p| u8::from(p <= level)).collect(),
    }
}

/// Otsu's level: the one maximising the variance between the dark and light classes.
pub(super) fn otsu_level(grey: &GrayImage) -> u8 {
    let mut histogram = [0u64; 256];
    for &p in grey.iter() {
        histogram[usize::from(p)] += 1;
    }
    let total: u64 = histogram.iter().sum();
    let sum_all: u64 = histogram
        .iter()
        .enumerate()
        .map(|(v, &n)| v as u64 * n)
        .sum();
    let (mut dark_n, mut dark_sum) = (0u64, 0u64);
    let (mut best, mut best_level) = (0f64, 127u8);
    for (level, &n) in histogram.iter().enumerate().take(255) {
        dark_n += n;
        dark_sum += level as u64 * n;
        let light_n = total - dark_n;
        if dark_n == 0 || light_n == 0 {
            continue;
        }
        let dark_mean = dark_sum as f64 / dark_n as f64;
        let light_mean = (sum_all - dark_sum) as f64 / light_n as f64;
        let between = dark_n as f64 * light_n as f64 * (dark_mean - light_mean).powi(2);
        if between > best {
            best = between;
            best_level = level as u8;
        }
    }
    best_level
}

const BLOCK: u32 = 8;
/// Blocks whose pixels span less than this are "flat": inside a module or the background.
const MIN_DYNAMIC_RANGE: u32 = 24;

/// ZXing's hybrid binarizer: per-block black points, smoothed over 5×5 blocks.
fn local(grey: &GrayImage) -> Bitmap {
    let (w, h) = (grey.width() as usize, grey.height() as usize);
    let b = BLOCK as usize;
    let (bw, bh) = (w.div_ceil(b), h.div_ceil(b));
    let src = grey.as_raw();
    // The last block of a row or column is shifted back inside the image.
    let block_x = |bx: usize| (bx * b).min(w - b);
    let block_y = |by: usize| (by * b).min(h - b);

    let mut black = vec![0u32; bw * bh];
    for by in 0..bh {
        let y0 = block_y(by);
        for bx in 0..bw {
            let x0 = block_x(bx);
            let (mut sum, mut min, mut max) = (0u32, 255u32, 0u32);
            for row in src[y0 * w..].chunks(w).take(b) {
                for &p in &row[x0..x0 + b] {
                    let p = u32::from(p);
                    sum += p;
                    min = min.min(p);
                    max = max.max(p);
                }
            }
            let mut average = sum / (BLOCK * BLOCK);
            if max - min <= MIN_DYNAMIC_RANGE {
                // A flat block is assumed light (half its minimum is below every pixel)
                // unless its neighbours say it sits inside something darker.
                average = min / 2;
                if by > 0 && bx > 0 {
                    let neighbours = (black[(by - 1) * bw + bx]
                        + 2 * black[by * bw + bx - 1]
                        + black[(by - 1) * bw + bx - 1])
                        / 4;
                    if min < neighbours {
                        average = neighbours;
                    }
                }
            }
            black[by * bw + bx] = average;
        }
    }

    let mut bits = vec![0u8; w * h];
    for by in 0..bh {
        let y0 = block_y(by);
        let cy = by.clamp(2, bh.saturating_sub(3).max(2));
        for bx in 0..bw {
            let x0 = block_x(bx);
            let cx = bx.clamp(2, bw.saturating_sub(3).max(2));
            let mut sum = 0u32;
            for ny in cy - 2..=cy + 2 {
                for nx in cx - 2..=cx + 2 {
                    sum += black[ny.min(bh - 1) * bw + nx.min(bw - 1)];
                }
            }
            let level = sum / 25;
            for y in y0..y0 + b {
                let row = &src[y * w + x0..y * w + x0 + b];
                for (bit, &p) in bits[y * w + x0..y * w + x0 + b].iter_mut().zip(row) {
                    *bit = u8::from(u32::from(p) <= level);
                }
            }
        }
    }
    Bitmap {
        width: w,
        height: h,
        bits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    #[test]
    fn otsu_splits_two_levels() {
        let grey = GrayImage::from_fn(10, 10, |x, _| Luma([if x < 5 { 40 } else { 220 }]));
        let level = otsu_level(&grey);
        assert!((40..220).contains(&level), "{level}");
        let bits = binarize(&grey, Threshold::Otsu);
        assert_eq!(bits.bits[0], 1);
        assert_eq!(bits.bits[9], 0);
    }

    #[test]
    fn local_threshold_follows_uneven_light() {
        // A checkerboard of 4-px squares whose brightness rises left to right: dark squares
        // on the right are lighter than light squares on the left, so no single level works.
        let grey = GrayImage::from_fn(64, 64, |x, y| {
            let base = x * 2;
            let dark = ((x / 4) + (y / 4)) % 2 == 0;
            Luma([(if dark { base } else { base + 60 }).min(255) as u8])
        });
        let bits = binarize(&grey, Threshold::Local);
        for (x, y) in [(1, 1), (60, 1), (5, 1), (57, 1)] {
            let dark = ((x / 4) + (y / 4)) % 2 == 0;
            assert_eq!(bits.bits[y * 64 + x], u8::from(dark), "({x},{y})");
        }
    }

    #[test]
    fn flat_image_is_all_light() {
        let grey = GrayImage::from_pixel(48, 48, Luma([128]));
        assert!(binarize(&grey, Threshold::Local)
            .bits
            .iter()
            .all(|&b| b == 0));
    }

    #[test]
    fn invert_flips_every_pixel() {
        let bitmap = Bitmap {
            width: 2,
            height: 1,
            bits: vec![0, 1],
        };
        assert_eq!(bitmap.inverted().bits, vec![1, 0]);
        assert_eq!(bitmap.inverted().inverted(), bitmap);
    }

    #[test]
    fn crop_keeps_the_rectangle_and_clamps() {
        // 4×3, bit = x + 4y odd.
        let bitmap = Bitmap {
            width: 4,
            height: 3,
            bits: (0..12).map(|i| (i % 2) as u8).collect(),
        };
        let part = bitmap.crop(Crop {
            x0: 1,
            y0: 1,
            x1: 3,
            y1: 3,
        });
        assert_eq!((part.width, part.height), (2, 2));
        assert_eq!(part.bits, vec![1, 0, 1, 0]);
        let clamped = bitmap.crop(Crop {
            x0: 3,
            y0: 2,
            x1: 10,
            y1: 10,
        });
        assert_eq!((clamped.width, clamped.height), (1, 1));
        assert_eq!(clamped.bits, vec![1]);
        let empty = bitmap.crop(Crop {
            x0: 5,
            y0: 0,
            x1: 9,
            y1: 3,
        });
        assert_eq!((empty.width, empty.height, empty.bits.len()), (0, 0, 0));
    }
}
