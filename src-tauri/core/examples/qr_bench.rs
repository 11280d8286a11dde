//! The benchmark's candidate: reads image paths on stdin, one a line, and prints one JSON
//! line per image, as `shared/qr-bench/anchors.py --candidate` expects:
//! `{"file", "texts", "load_us", "decode_us"}` (plus `"passes"`: the steps that found
//! something, and `"error"` when the image could not be read).
//!
//! `load_us` is reading the file and decoding the image; `decode_us` is everything after
//! (grey conversion included), timed in-process like the zxing-cpp anchor.
//! Run it through `src-tauri/scripts/bench-qr`.

use std::io::{BufRead, Write};
use std::time::Instant;

use ringlet_core::qr;
use serde_json::json;

fn main() {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(path) = line else { break };
        let path = path.trim();
        if path.is_empty() {
            continue;
        }
        let start = Instant::now();
        let loaded = std::fs::read(path)
            .map_err(qr::QrError::from)
            .and_then(|bytes| qr::load_image(&bytes));
        let load_us = start.elapsed().as_micros();
        let record = match loaded {
            Ok(image) => {
                let start = Instant::now();
                let result = qr::decode_traced(&image);
                let decode_us = start.elapsed().as_micros();
                match result {
                    Ok((texts, passes)) => json!({"file": path, "texts": texts, "load_us": load_us,
                        "decode_us": decode_us, "passes": passes}),
                    Err(e) => json!({"file": path, "texts": [], "load_us": load_us,
                        "decode_us": decode_us, "error": format!("{e:?}")}),
                }
            }
            Err(e) => json!({"file": path, "texts": [], "load_us": load_us, "decode_us": 0,
                "error": format!("{e:?}")}),
        };
        if writeln!(out, "{record}").and_then(|_| out.flush()).is_err() {
            break;
        }
    }
}
