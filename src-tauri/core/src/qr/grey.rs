//! Step 2: pixels → 8-bit grey on white, shrunk and cropped in the same pass.
//!
//! Converting and shrinking together reads the decoded pixels once and never allocates a
//! full-size grey copy: for a 4K screenshot that is most of the cost of getting to a grey
//! image, and for a huge image it is what keeps memory bounded.

use image::{DynamicImage, GrayImage};

use super::binarize::Crop;

/// A rectangle of the decoded image, in its pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Rect {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

impl Rect {
    pub fn whole(image: &DynamicImage) -> Rect {
        Rect {
            x: 0,
            y: 0,
            w: image.width(),
            h: image.height(),
        }
    }
}

/// The grey view of `rect` of `image`, shrunk by `factor` (box average of `factor`×`factor`
/// blocks; a partial last block is dropped), alpha composited onto white.
///
/// Dropping alpha instead would turn the usual "transparent black" background of a QR PNG
/// into black, making the whole code unreadable.
pub(super) fn grey_view(image: &DynamicImage, rect: Rect, factor: u32) -> GrayImage {
    grey_view_rows(image, rect, factor, false)
}

/// [`grey_view`]; with `sparse`, each block averages its middle row only: a third of the
/// reading at factor 3, for the quick first look at a large screenshot, whose modules are
/// sharp and several pixels tall.
pub(super) fn grey_view_rows(
    image: &DynamicImage,
    rect: Rect,
    factor: u32,
    sparse: bool,
) -> GrayImage {
    let f = factor.max(1);
    let rect = clamp(rect, image.width(), image.height());
    let stride = image.width() as usize;
    match image {
        DynamicImage::ImageLuma8(p) => {
            shrink::<_, 1>(p.as_raw(), stride, rect, f, sparse, |p| luma(p[0], 255))
        }
        DynamicImage::ImageLumaA8(p) => {
            shrink::<_, 2>(p.as_raw(), stride, rect, f, sparse, |p| luma(p[0], p[1]))
        }
        DynamicImage::ImageRgb8(p) => shrink::<_, 3>(p.as_raw(), stride, rect, f, sparse, |p| {
            luma(rgb(p[0].into(), p[1].into(), p[2].into()), 255)
        }),
        DynamicImage::ImageRgba8(p) => shrink::<_, 4>(p.as_raw(), stride, rect, f, sparse, |p| {
            luma(rgb(p[0].into(), p[1].into(), p[2].into()), p[3])
        }),
        DynamicImage::ImageLuma16(p) => {
            shrink::<_, 1>(p.as_raw(), stride, rect, f, sparse, |p| luma(hi(p[0]), 255))
        }
        DynamicImage::ImageLumaA16(p) => shrink::<_, 2>(p.as_raw(), stride, rect, f, sparse, |p| {
            luma(hi(p[0]), hi(p[1]))
        }),
        DynamicImage::ImageRgb16(p) => shrink::<_, 3>(p.as_raw(), stride, rect, f, sparse, |p| {
            luma(rgb(hi(p[0]).into(), hi(p[1]).into(), hi(p[2]).into()), 255)
        }),
        DynamicImage::ImageRgba16(p) => shrink::<_, 4>(p.as_raw(), stride, rect, f, sparse, |p| {
            luma(
                rgb(hi(p[0]).into(), hi(p[1]).into(), hi(p[2]).into()),
                hi(p[3]),
            )
        }),
        // Float images (TIFF, rarely) and any future variant: convert per pixel. This is
        // slow, but no screenshot or phone photo comes as floats.
        other => {
            let rgba = other.to_rgba8();
            shrink::<_, 4>(rgba.as_raw(), stride, rect, f, sparse, |p| {
                luma(rgb(p[0].into(), p[1].into(), p[2].into()), p[3])
            })
        }
    }
}

fn clamp(rect: Rect, width: u32, height: u32) -> Rect {
    let x = rect.x.min(width);
    let y = rect.y.min(height);
    Rect {
        x,
        y,
        w: rect.w.min(width - x),
        h: rect.h.min(height - y),
    }
}

/// The high byte of a 16-bit sample.
fn hi(v: u16) -> u8 {
    (v >> 8) as u8
}

/// Rec. 709 luma in fixed point (weights sum to 256), as the `image` crate computes it.
fn rgb(r: u32, g: u32, b: u32) -> u8 {
    ((r * 54 + g * 183 + b * 19 + 128) >> 8) as u8
}

/// `l` composited onto white with opacity `a`: l·a + 255·(1 − a), rounded.
pub(super) fn luma(l: u8, a: u8) -> u8 {
    if a == 255 {
        return l;
    }
    let (l, a) = (u32::from(l), u32::from(a));
    ((l * a + 255 * (255 - a) + 127) / 255) as u8
}

/// Box-shrinks `rect` of an interleaved buffer (`C` samples per pixel, `stride` pixels per
/// row) by `f`, mapping each pixel to grey with `px`.
///
/// Each source row is first mapped to grey in a row buffer (a loop the compiler can
/// vectorise, as `C` is a constant), then added into per-column sums.
fn shrink<T: Copy, const C: usize>(
    raw: &[T],
    stride: usize,
    rect: Rect,
    f: u32,
    sparse: bool,
    px: impl Fn(&[T; C]) -> u8,
) -> GrayImage {
    let (out_w, out_h) = ((rect.w / f) as usize, (rect.h / f) as usize);
    let f = f as usize;
    let rows = if sparse { 1 } else { f };
    let area = (rows * f) as u32;
    let mut out = Vec::with_capacity(out_w * out_h);
    let mut line = vec![0u8; out_w * f];
    let mut sums = vec![0u32; out_w];
    for oy in 0..out_h {
        let y0 = rect.y as usize + oy * f;
        if f == 1 {
            let start = (y0 * stride + rect.x as usize) * C;
            let Some(row) = raw.get(start..start + out_w * C) else {
                break;
            };
            out.extend(row.as_chunks::<C>().0.iter().map(&px));
            continue;
        }
        sums.fill(0);
        let first = y0 + (f - rows) / 2;
        for y in first..first + rows {
            let start = (y * stride + rect.x as usize) * C;
            let Some(row) = raw.get(start..start + out_w * f * C) else {
                break;
            };
            for (l, p) in line.iter_mut().zip(row.as_chunks::<C>().0) {
                *l = px(p);
            }
            // Fixed block widths for the usual factors, so that the compiler unrolls them.
            match f {
                2 => add_blocks::<2>(&mut sums, &line),
                3 => add_blocks::<3>(&mut sums, &line),
                4 => add_blocks::<4>(&mut sums, &line),
                _ => {
                    for (sum, block) in sums.iter_mut().zip(line.chunks_exact(f)) {
                        *sum += block.iter().map(|&v| u32::from(v)).sum::<u32>();
                    }
                }
            }
        }
        // Rounded division by `area` as a multiplication: exact, as every sum is below
        // 2^16·area (see `divide_rounded`).
        let reciprocal = reciprocal(area);
        out.extend(sums.iter().map(|&s| divide_rounded(s, area, reciprocal)));
    }
    // The length is out_w·out_h by construction; an empty image rather than a panic if
    // that ever stopped holding (a row out of range ends the loop early).
    GrayImage::from_raw(out_w as u32, out_h as u32, out).unwrap_or_default()
}

/// Adds each block of `N` grey values of `line` into its column sum.
fn add_blocks<const N: usize>(sums: &mut [u32], line: &[u8]) {
    for (sum, block) in sums.iter_mut().zip(line.as_chunks::<N>().0) {
        *sum += block.iter().map(|&v| u32::from(v)).sum::<u32>();
    }
}

/// ⌈2^32 / `area`⌉, for [`divide_rounded`].
fn reciprocal(area: u32) -> u64 {
    (1u64 << 32).div_ceil(u64::from(area.max(1)))
}

/// (`sum` + `area`/2) / `area`, rounded down, computed with `reciprocal(area)`: exact while
/// the dividend is below 2^32 / `area` (grey sums of at most 16×16 blocks are far below).
fn divide_rounded(sum: u32, area: u32, reciprocal: u64) -> u8 {
    let dividend = u64::from(sum + area / 2);
    ((dividend * reciprocal) >> 32).min(255) as u8
}

/// Doubles the size with bilinear interpolation: codes drawn at 1.5–2 pixels per module
/// get modules wide enough for rqrr's finder-pattern scan.
pub(super) fn upscale2(grey: &GrayImage) -> GrayImage {
    let (w, h) = grey.dimensions();
    let src = grey.as_raw();
    let (w, h) = (w as usize, h as usize);
    if w == 0 || h == 0 {
        return GrayImage::default();
    }
    let at = |x: usize, y: usize| u32::from(src[y.min(h - 1) * w + x.min(w - 1)]);
    let mut out = Vec::with_capacity(4 * w * h);
    for oy in 0..2 * h {
        // Output pixel centres sit at ¼ and ¾ between source pixel centres.
        let (y0, wy) = if oy % 2 == 0 {
            ((oy / 2).saturating_sub(1), if oy == 0 { 0 } else { 3 })
        } else {
            (oy / 2, 1)
        };
        for ox in 0..2 * w {
            let (x0, wx) = if ox % 2 == 0 {
                ((ox / 2).saturating_sub(1), if ox == 0 { 0 } else { 3 })
            } else {
                (ox / 2, 1)
            };
            // Weights in quarters: (4 − w) for the first sample, w for the second.
            let top = at(x0, y0) * (4 - wx) + at(x0 + 1, y0) * wx;
            let bottom = at(x0, y0 + 1) * (4 - wx) + at(x0 + 1, y0 + 1) * wx;
            out.push(((top * (4 - wy) + bottom * wy + 8) / 16) as u8);
        }
    }
    GrayImage::from_raw(2 * w as u32, 2 * h as u32, out).unwrap_or_default()
}

/// The `crop` part of `grey`, inverted when `invert` (rxing wants dark on light).
pub(super) fn grey_crop(grey: &GrayImage, crop: Crop, invert: bool) -> GrayImage {
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

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Luma, LumaA, Rgba, RgbaImage};

    #[test]
    fn alpha_is_flattened_onto_white() {
        assert_eq!(luma(0, 0), 255);
        assert_eq!(luma(0, 255), 0);
        assert_eq!(luma(0, 128), 127);
        assert_eq!(luma(200, 255), 200);
        let la =
            image::GrayAlphaImage::from_fn(2, 1, |x, _| LumaA([0, if x == 0 { 0 } else { 255 }]));
        let grey = grey_view(
            &DynamicImage::ImageLumaA8(la.clone()),
            Rect {
                x: 0,
                y: 0,
                w: 2,
                h: 1,
            },
            1,
        );
        assert_eq!(grey.as_raw(), &vec![255, 0]);
    }

    #[test]
    fn shrink_averages_blocks_and_drops_partial_ones() {
        // 5×2 grey: two 2×2 blocks (0 and 200 average) and a partial column dropped.
        let img = GrayImage::from_fn(5, 2, |x, _| Luma([if x < 2 { 0 } else { 200 }]));
        let dynamic = DynamicImage::ImageLuma8(img);
        let out = grey_view(&dynamic, Rect::whole(&dynamic), 2);
        assert_eq!(out.dimensions(), (2, 1));
        assert_eq!(out.as_raw(), &vec![0, 200]);
    }

    #[test]
    fn crop_reads_only_the_rectangle() {
        let img = RgbaImage::from_fn(6, 6, |x, y| {
            if x >= 3 && y >= 3 {
                Rgba([0, 0, 0, 255])
            } else {
                Rgba([255, 255, 255, 255])
            }
        });
        let dynamic = DynamicImage::ImageRgba8(img);
        let out = grey_view(
            &dynamic,
            Rect {
                x: 3,
                y: 3,
                w: 10,
                h: 10,
            },
            1,
        );
        assert_eq!(out.dimensions(), (3, 3));
        assert!(out.iter().all(|&p| p == 0));
        let rgb16 = DynamicImage::ImageRgb16(image::ImageBuffer::from_pixel(
            2,
            2,
            image::Rgb([65535u16, 65535, 65535]),
        ));
        assert!(grey_view(&rgb16, Rect::whole(&rgb16), 1)
            .iter()
            .all(|&p| p == 255));
    }

    #[test]
    fn division_by_reciprocal_is_exact() {
        for area in 1..=256u32 {
            let r = reciprocal(area);
            for sum in (0..=255 * area).step_by(area.div_ceil(7) as usize) {
                let expected = ((sum + area / 2) / area) as u8;
                assert_eq!(divide_rounded(sum, area, r), expected, "{sum} / {area}");
            }
        }
    }

    #[test]
    fn upscale_doubles_and_interpolates() {
        let img = GrayImage::from_fn(2, 1, |x, _| Luma([if x == 0 { 0 } else { 160 }]));
        let out = upscale2(&img);
        assert_eq!(out.dimensions(), (4, 2));
        assert_eq!(out.as_raw()[..4], [0, 40, 120, 160]);
    }

    #[test]
    fn grey_crop_cuts_clamps_and_inverts() {
        let grey = GrayImage::from_fn(4, 3, |x, y| Luma([(10 * x + 100 * y) as u8]));
        let crop = Crop {
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
        let outside = Crop {
            x0: 5,
            y0: 0,
            x1: 9,
            y1: 2,
        };
        assert_eq!(grey_crop(&grey, outside, false).dimensions(), (0, 0));
    }
}
