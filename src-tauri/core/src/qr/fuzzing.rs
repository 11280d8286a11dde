//! Fuzz-only entry point into the QR search on pixels, skipping the file decoder. Compiled
//! only under `cfg(fuzzing)` (cargo-fuzz passes `--cfg fuzzing`).
//!
//! The image targets (`qr_decode`, `import_scan`) run the whole pipeline on file bytes, at
//! about a hundred inputs a second: most of the time goes into decoding PNG and JPEG, and
//! a mutated file mostly fails its decoder's checks before any pixel reaches the search.
//! `qr_pixels` hands the search (grey views, thresholds, finder location, rqrr, rxing, the
//! deadline) pixels the fuzzer controls one by one, in every pixel layout the loader can
//! produce; `image_load` fuzzes the other half, the loader and its limits, alone.

#![doc(hidden)]

pub use self::imp::{decode_pixels, loaded_size};

mod imp {
    use image::{DynamicImage, GenericImageView, ImageBuffer};

    use crate::qr::{decode_loaded, LoadedImage, QrError};

    /// Every QR text [`crate::qr::decode`] would find in an image of `width` columns whose
    /// pixels are `pixels`, laid out as `layout` picks (grey, grey and alpha, RGB, RGBA, in
    /// 8 or 16 bits; 16-bit samples little-endian). Trailing bytes that fill no whole row
    /// are ignored; `None` when no row is whole.
    pub fn decode_pixels(
        layout: u8,
        width: u32,
        pixels: &[u8],
    ) -> Option<Result<Vec<String>, QrError>> {
        let width = width.max(1);
        let channels: u32 = [1, 2, 3, 4][usize::from(layout % 4)];
        let wide = layout & 4 != 0;
        let row = (width * channels * if wide { 2 } else { 1 }) as usize;
        let height = u32::try_from(pixels.len() / row).ok().filter(|&h| h > 0)?;
        let bytes = &pixels[..row * height as usize];
        let image = if wide {
            let samples: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|p| u16::from_le_bytes([p[0], p[1]]))
                .collect();
            match channels {
                1 => DynamicImage::ImageLuma16(ImageBuffer::from_raw(width, height, samples)?),
                2 => DynamicImage::ImageLumaA16(ImageBuffer::from_raw(width, height, samples)?),
                3 => DynamicImage::ImageRgb16(ImageBuffer::from_raw(width, height, samples)?),
                _ => DynamicImage::ImageRgba16(ImageBuffer::from_raw(width, height, samples)?),
            }
        } else {
            let samples = bytes.to_vec();
            match channels {
                1 => DynamicImage::ImageLuma8(ImageBuffer::from_raw(width, height, samples)?),
                2 => DynamicImage::ImageLumaA8(ImageBuffer::from_raw(width, height, samples)?),
                3 => DynamicImage::ImageRgb8(ImageBuffer::from_raw(width, height, samples)?),
                _ => DynamicImage::ImageRgba8(ImageBuffer::from_raw(width, height, samples)?),
            }
        };
        Some(decode_loaded(&LoadedImage(image)))
    }

    /// Width and height of a loaded image, to check the loader's limits held.
    pub fn loaded_size(image: &LoadedImage) -> (u32, u32) {
        image.0.dimensions()
    }
}
