//! Step 5: rxing (a Rust port of ZXing) on the grey working view: the first reader of
//! every located region, and the multi-code look last.
//!
//! ZXing samples modules from its own finder-pattern geometry, so it reads what rqrr
//! locates but cannot decode: codes with round or dotted finders, 1.5 px modules, heavy
//! blur. It is also quick where the code is: [`read_one`] reads the regions the passes
//! located before rqrr does. Over a whole large image it is about as slow as rqrr, which is
//! why [`read_all`] of what the passes left comes last.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use ::rxing::{BarcodeFormat, DecodeHintValue, DecodeHints};
use image::GrayImage;

use super::findings::Found;

/// Most rxing threads running at once, abandoned ones included (see [`within`]). A
/// search waits for its own, so this is only reached when hostile images have left threads
/// spinning: rxing is then skipped rather than more of them piled onto the CPU.
const MAX_RUNNING: usize = 4;
static RUNNING: AtomicUsize = AtomicUsize::new(0);

/// `f` on a thread of its own, given up after `deadline`: rxing cannot be interrupted,
/// and on adversarial images (a page tiled with finder patterns) it runs for minutes. The
/// abandoned thread finishes in the background and its result is dropped; a panic in it
/// is caught the same way (the channel closes). `None` also when [`MAX_RUNNING`] threads
/// are still running.
fn within<T: Send + 'static>(
    deadline: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    within_counted(&RUNNING, MAX_RUNNING, deadline, f)
}

/// [`within`], counting its threads in `running`, at most `max` at once.
fn within_counted<T: Send + 'static>(
    running: &'static AtomicUsize,
    max: usize,
    deadline: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    /// A place among the running threads, given back when the thread ends (or is never
    /// started: the closure holding it is dropped).
    struct Slot(&'static AtomicUsize);
    impl Drop for Slot {
        fn drop(&mut self) {
            self.0.fetch_sub(1, Ordering::SeqCst);
        }
    }
    running
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
            (n < max).then_some(n + 1)
        })
        .ok()?;
    let slot = Slot(running);
    let (send, receive) = mpsc::channel();
    let spawned = thread::Builder::new()
        .name("qr-rxing".into())
        .spawn(move || {
            let _slot = slot;
            // The receiver may have given up already; nothing to do then.
            let _ = send.send(f());
        });
    spawned.ok()?;
    receive.recv_timeout(deadline).ok()
}

/// [`read_all`] given up after `deadline` (see [`within`]).
pub(super) fn read_all_within(grey: GrayImage, deadline: Duration) -> Vec<Found> {
    within(deadline, move || read_all(&grey)).unwrap_or_default()
}

/// [`read_one`] given up after `deadline` (see [`within`]).
pub(super) fn read_one_within(grey: GrayImage, deadline: Duration) -> Option<(Found, [i32; 4])> {
    within(deadline, move || read_one(&grey)).flatten()
}

/// The one QR code rxing reads in `grey` (dark on light), with the bounding box of the
/// points it gives (the code's corners; finder centres when its older reader read it):
/// `(left, top, right, bottom)`, in `grey`'s pixels.
///
/// Used on small regions where finder patterns were seen: it samples the grid straight
/// from the finder geometry, several times quicker than rqrr's grid fitting, which costs
/// ~10 ms a code whatever the image size.
pub(super) fn read_one(grey: &GrayImage) -> Option<(Found, [i32; 4])> {
    let (w, h) = grey.dimensions();
    if w.min(h) < 21 {
        return None;
    }
    let mut hints = DecodeHints::default()
        .with(DecodeHintValue::PossibleFormats(HashSet::from([
            BarcodeFormat::QR_CODE,
        ])))
        .with(DecodeHintValue::TryHarder(true));
    let result = ::rxing::helpers::detect_in_luma_with_hints(
        grey.as_raw().clone(),
        w,
        h,
        Some(BarcodeFormat::QR_CODE),
        &mut hints,
    )
    .ok()?;
    if *result.getBarcodeFormat() != BarcodeFormat::QR_CODE {
        return None;
    }
    let points = result.getPoints();
    if points.is_empty() {
        return None;
    }
    let clamp = |v: f32| v.clamp(0.0, i32::MAX as f32) as i32;
    let fold = |init: f32, f: fn(f32, f32) -> f32, x: bool| {
        clamp(
            points
                .iter()
                .map(|p| if x { p.x } else { p.y })
                .fold(init, f),
        )
    };
    let bounds = [
        fold(f32::MAX, f32::min, true),
        fold(f32::MAX, f32::min, false),
        fold(f32::MIN, f32::max, true),
        fold(f32::MIN, f32::max, false),
    ];
    Some((
        Found {
            top: bounds[1],
            left: bounds[0],
            text: result.getText().to_owned(),
        },
        bounds,
    ))
}

/// Every QR code rxing finds in `grey`, both polarities, positions in `grey`'s pixels.
pub(super) fn read_all(grey: &GrayImage) -> Vec<Found> {
    let (w, h) = grey.dimensions();
    if w.min(h) < 21 {
        return Vec::new();
    }
    let mut hints = DecodeHints::default()
        .with(DecodeHintValue::PossibleFormats(HashSet::from([
            BarcodeFormat::QR_CODE,
        ])))
        .with(DecodeHintValue::TryHarder(true))
        .with(DecodeHintValue::AlsoInverted(true));
    // The generic multi-reader: it also retries the quarters around what it finds, which
    // is what reads 1.5 px modules and heavy blur (its QR-only multi-reader misses those).
    // rxing reports "nothing found" as an error too.
    let results = ::rxing::helpers::detect_multiple_in_luma_with_hints(
        grey.as_raw().clone(),
        w,
        h,
        &mut hints,
    )
    .unwrap_or_default();
    results
        .into_iter()
        .filter(|r| *r.getBarcodeFormat() == BarcodeFormat::QR_CODE)
        .map(|r| {
            let points = r.getPoints();
            let left = points.iter().map(|p| p.x).fold(f32::MAX, f32::min);
            let top = points.iter().map(|p| p.y).fold(f32::MAX, f32::min);
            Found {
                top: top.clamp(0.0, i32::MAX as f32) as i32,
                left: left.clamp(0.0, i32::MAX as f32) as i32,
                text: r.getText().to_owned(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abandoned_threads_are_capped_and_their_places_given_back() {
        static RUNNING: AtomicUsize = AtomicUsize::new(0);
        let (release, wait) = mpsc::channel::<()>();
        let wait = std::sync::Arc::new(std::sync::Mutex::new(wait));
        // Two threads that outlive their deadline, holding both places.
        for _ in 0..2 {
            let wait = std::sync::Arc::clone(&wait);
            let given_up = within_counted(&RUNNING, 2, Duration::from_millis(1), move || {
                let _ = wait.lock().map(|w| w.recv());
            });
            assert_eq!(given_up, None);
        }
        assert_eq!(RUNNING.load(Ordering::SeqCst), 2);
        // A third is not started at all.
        let ran = std::sync::Arc::new(AtomicUsize::new(0));
        let counter = std::sync::Arc::clone(&ran);
        let third = within_counted(&RUNNING, 2, Duration::from_secs(5), move || {
            counter.fetch_add(1, Ordering::SeqCst)
        });
        assert_eq!(third, None);
        assert_eq!(ran.load(Ordering::SeqCst), 0);
        // Once they end, their places are free again.
        for _ in 0..2 {
            release.send(()).unwrap();
        }
        let freed = (0..500).any(|_| {
            std::thread::sleep(Duration::from_millis(10));
            RUNNING.load(Ordering::SeqCst) == 0
        });
        assert!(freed);
        assert_eq!(
            within_counted(&RUNNING, 2, Duration::from_secs(5), || 7),
            Some(7)
        );
        // A panic gives its place back too.
        assert_eq!(
            within_counted(&RUNNING, 2, Duration::from_secs(5), || -> u8 {
                panic!("rxing")
            }),
            None
        );
        let freed = (0..500).any(|_| {
            std::thread::sleep(Duration::from_millis(10));
            RUNNING.load(Ordering::SeqCst) == 0
        });
        assert!(freed);
    }
}
