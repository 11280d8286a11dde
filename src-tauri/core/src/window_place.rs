//! Where the main window was: its size and position (logical pixels), kept in clear in `window.json` beside
//! the vault (a file of its own, so that it is written while the window moves without
//! racing a save of the preferences), and the rule for using it again: only where it still
//! fits on a screen, since a monitor may have gone since.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::vault::files::write_atomically;

pub const WINDOW_FILE: &str = "window.json";
/// Far above any valid file: a larger one is not read.
const MAX_WINDOW_FILE_BYTES: u64 = 4 * 1024;
/// Of the window's title strip, this much must be on a screen to be reached with a pointer.
const MIN_VISIBLE: i64 = 48;

/// A rectangle of the desktop, in logical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WindowPlace {
    /// The window's outer position and inner size, as it was before any maximizing.
    pub rect: Rect,
    pub maximized: bool,
}

/// What to do with a saved place on the screens there are now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Restore {
    pub width: u32,
    pub height: u32,
    /// `None`: the desktop places the window (the old place is off every screen).
    pub position: Option<(i32, i32)>,
    pub maximized: bool,
}

impl WindowPlace {
    /// The saved place, or `None` when there is none or it cannot be used (a damaged or
    /// foreign file is no reason to stop Ringlet starting; it is replaced at the next move).
    pub fn load(dir: &Path) -> Option<WindowPlace> {
        let path = dir.join(WINDOW_FILE);
        let size = std::fs::metadata(&path).ok()?.len();
        if size > MAX_WINDOW_FILE_BYTES {
            return None;
        }
        serde_json::from_slice(&std::fs::read(path).ok()?).ok()
    }

    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        write_atomically(&dir.join(WINDOW_FILE), &json)
    }

    /// The place to use on `screens` (each screen's rectangle), with the size kept within
    /// `min` and the largest screen. The position is kept only when the top of the window,
    /// where it is dragged, is on a screen.
    pub fn restore(&self, screens: &[Rect], min: (u32, u32)) -> Restore {
        let largest = screens
            .iter()
            .map(|s| (s.width, s.height))
            .max_by_key(|(w, h)| u64::from(*w) * u64::from(*h));
        let (max_width, max_height) = largest.unwrap_or((u32::MAX, u32::MAX));
        let width = self.rect.width.clamp(min.0, max_width.max(min.0));
        let height = self.rect.height.clamp(min.1, max_height.max(min.1));
        let title = Rect {
            height: MIN_VISIBLE as u32,
            width,
            ..self.rect
        };
        let reachable = screens.iter().any(|screen| {
            let (across, down) = overlap(&title, screen);
            across >= MIN_VISIBLE && down >= MIN_VISIBLE
        });
        Restore {
            width,
            height,
            position: reachable.then_some((self.rect.x, self.rect.y)),
            maximized: self.maximized,
        }
    }
}

/// The width and height of the overlap of two rectangles (0 where they do not meet).
fn overlap(a: &Rect, b: &Rect) -> (i64, i64) {
    let span = |start_a: i32, len_a: u32, start_b: i32, len_b: u32| {
        let start = i64::from(start_a).max(i64::from(start_b));
        let end =
            (i64::from(start_a) + i64::from(len_a)).min(i64::from(start_b) + i64::from(len_b));
        (end - start).max(0)
    };
    (
        span(a.x, a.width, b.x, b.width),
        span(a.y, a.height, b.y, b.height),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCREEN: Rect = Rect {
        x: 0,
        y: 0,
        width: 1920,
        height: 1080,
    };
    const MIN: (u32, u32) = (360, 460);

    fn place(x: i32, y: i32, width: u32, height: u32) -> WindowPlace {
        WindowPlace {
            rect: Rect {
                x,
                y,
                width,
                height,
            },
            maximized: false,
        }
    }

    #[test]
    fn a_place_on_the_screen_is_used_as_it_was() {
        assert_eq!(
            place(100, 200, 600, 800).restore(&[SCREEN], MIN),
            Restore {
                width: 600,
                height: 800,
                position: Some((100, 200)),
                maximized: false
            }
        );
    }

    #[test]
    fn a_place_on_a_screen_that_is_gone_leaves_the_position_to_the_desktop() {
        let second = Rect { x: 1920, ..SCREEN };
        let on_second = place(2500, 100, 600, 800);
        assert_eq!(
            on_second.restore(&[SCREEN, second], MIN).position,
            Some((2500, 100))
        );
        assert_eq!(on_second.restore(&[SCREEN], MIN).position, None);
        // Only a sliver of the title strip on the screen: not reachable.
        assert_eq!(
            place(1900, 10, 600, 800).restore(&[SCREEN], MIN).position,
            None
        );
        assert_eq!(
            place(100, -40, 600, 800).restore(&[SCREEN], MIN).position,
            None
        );
        assert_eq!(
            place(100, 1070, 600, 800).restore(&[SCREEN], MIN).position,
            None
        );
        // No screen known (Wayland tells none): the size is still used.
        let blind = place(100, 100, 600, 800).restore(&[], MIN);
        assert_eq!(
            (blind.width, blind.height, blind.position),
            (600, 800, None)
        );
    }

    #[test]
    fn a_size_out_of_bounds_is_brought_within_them() {
        let huge = place(0, 0, 90_000, 90_000).restore(&[SCREEN], MIN);
        assert_eq!((huge.width, huge.height), (1920, 1080));
        let tiny = place(0, 0, 1, 0).restore(&[SCREEN], MIN);
        assert_eq!((tiny.width, tiny.height), MIN);
        let extreme = place(i32::MIN, i32::MAX, u32::MAX, u32::MAX).restore(&[SCREEN], MIN);
        assert_eq!(extreme.position, None);
    }

    #[test]
    fn saved_reads_back_and_a_damaged_file_is_no_place() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(WindowPlace::load(dir.path()), None);
        let saved = WindowPlace {
            maximized: true,
            ..place(-300, 20, 700, 900)
        };
        saved.save(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(WindowPlace::load(dir.path()), Some(saved));
        for body in ["", "{", "[]", r#"{"rect": 3}"#, "\u{0}\u{1}"] {
            std::fs::write(dir.path().join(WINDOW_FILE), body).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(WindowPlace::load(dir.path()), None, "{body:?}");
        }
        std::fs::write(dir.path().join(WINDOW_FILE), vec![b' '; 8 * 1024])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(WindowPlace::load(dir.path()), None);
    }
}
