//! What the readers found: codes and failed grids in a view's pixels, gathered in the
//! decoded image's pixels, and how one maps to the other.

use std::collections::HashSet;

use super::grey::Rect;

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

/// What one look at a view found.
#[derive(Debug, Default)]
pub(super) struct Scan {
    pub found: Vec<Found>,
    pub missed: Vec<Missed>,
}

impl Scan {
    pub fn extend(&mut self, other: Scan) {
        self.found.extend(other.found);
        self.missed.extend(other.missed);
    }
}

/// What has been found so far, in full-resolution pixels.
#[derive(Default)]
pub(super) struct Findings {
    found: Vec<(i64, i64, String)>,
    pub missed: Vec<Rect>,
}

impl Findings {
    /// Adds `scan`, a look at the view `map` describes; whether it located a grid it could
    /// not decode.
    pub fn add(&mut self, scan: Scan, map: &ViewMap) -> bool {
        let any_missed = !scan.missed.is_empty();
        for f in scan.found {
            let (left, top) = map.point(f.left, f.top);
            self.found.push((top, left, f.text));
        }
        for m in scan.missed {
            self.missed.push(map.rect(m));
        }
        any_missed
    }

    /// The texts found, in reading order, each once.
    pub fn texts(mut self) -> Vec<String> {
        self.found.sort_by_key(|(top, left, _)| (*top, *left));
        let mut seen = HashSet::new();
        self.found
            .into_iter()
            .map(|(_, _, text)| text)
            .filter(|text| seen.insert(text.clone()))
            .collect()
    }
}

/// How a view's pixels map back to the decoded image's.
#[derive(Clone, Copy, Debug)]
pub(super) struct ViewMap {
    pub origin_x: i64,
    pub origin_y: i64,
    /// Full-resolution pixels per view pixel, times 2 (so that upscaled views are exact).
    pub half_scale: i64,
}

impl ViewMap {
    fn point(&self, x: i32, y: i32) -> (i64, i64) {
        (
            self.origin_x + i64::from(x) * self.half_scale / 2,
            self.origin_y + i64::from(y) * self.half_scale / 2,
        )
    }

    fn rect(&self, m: Missed) -> Rect {
        let (l, t) = self.point(m.left, m.top);
        let (r, b) = self.point(m.right, m.bottom);
        let clamp = |v: i64| v.clamp(0, i64::from(u32::MAX)) as u32;
        Rect {
            x: clamp(l),
            y: clamp(t),
            w: clamp(r - l),
            h: clamp(b - t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_map_scales_back_to_full_resolution() {
        let map = ViewMap {
            origin_x: 10,
            origin_y: 20,
            half_scale: 6,
        };
        assert_eq!(map.point(5, 5), (25, 35));
        let upscaled = ViewMap {
            origin_x: 0,
            origin_y: 0,
            half_scale: 1,
        };
        assert_eq!(upscaled.point(10, 4), (5, 2));
    }

    #[test]
    fn findings_are_in_reading_order_and_unique() {
        let mut f = Findings::default();
        f.found.push((50, 0, "b".into()));
        f.found.push((10, 90, "a".into()));
        f.found.push((50, 0, "b".into()));
        assert_eq!(f.texts(), vec!["a".to_owned(), "b".to_owned()]);
    }
}
