//! One pass's bitmap read where [`plan_checked`] says: each region by rxing first, then by
//! rqrr where rxing read nothing, or where another code could still be.

use image::GrayImage;

use super::binarize::{Bitmap, Crop};
use super::deadline::Deadline;
use super::finders::Finder;
use super::findings::{Found, Scan};
use super::grey::grey_crop;
use super::plan::{code_regions, plan_checked, Plan};
use super::{rqrr, rxing};

/// How long rxing may take to read one located region in a pass: a few milliseconds on
/// any region holding a code.
const READ_DEADLINE: std::time::Duration = std::time::Duration::from_millis(500);

/// One view's bitmap searched as [`plan_checked`] says, and where it looked.
/// With `quick` (the grey the bitmap was made from, and whether the bitmap was inverted),
/// each region is first read by rxing, whose grid sampling is several times quicker than
/// rqrr's grid fitting (~10 ms a code); rqrr then only runs where rxing read nothing, or
/// where finder-like places outside the code read could still make another code.
pub(super) fn scan_view(
    bitmap: &Bitmap,
    quick: Option<(&GrayImage, bool)>,
    deadline: Deadline,
) -> (Scan, Looked) {
    let (plan, inline) = plan_checked(bitmap);
    let areas: Vec<(Crop, Option<Vec<Finder>>)> = match plan {
        Plan::Skip => return (Scan::default(), Looked::Nowhere),
        Plan::Whole(finders) => vec![(Crop::whole(bitmap), finders)],
        Plan::Regions(regions) => regions
            .into_iter()
            .map(|r| (r.crop, Some(r.finders)))
            .collect(),
    };
    let looked = Looked::At(areas.iter().map(|(crop, _)| *crop).collect());
    let mut result = Scan::default();
    for (crop, finders) in areas {
        if deadline.passed() {
            break;
        }
        // A thread of its own (with a time limit) only where rxing's search could blow up:
        // handing over to a thread costs a scheduling slice on a busy machine.
        let read = quick.and_then(|(grey, invert)| {
            let part = grey_crop(grey, crop, invert);
            if inline {
                rxing::read_one(&part)
            } else {
                rxing::read_one_within(part, deadline.at_most(READ_DEADLINE))
            }
        });
        let Some((found, [l, t, r, b])) = read else {
            result.extend(rqrr::scan_crop(bitmap, crop, deadline));
            continue;
        };
        let (x0, y0) = (crop.x0 as i32, crop.y0 as i32);
        result.found.push(Found {
            top: found.top.saturating_add(y0),
            left: found.left.saturating_add(x0),
            text: found.text,
        });
        // The rectangle of the code read, which rqrr need not see again, and the places
        // outside it (their centres more than half a finder out).
        let clamp = |v: i32| v.max(0) as usize;
        let blank = Crop {
            x0: clamp(l.saturating_add(x0) - 1),
            y0: clamp(t.saturating_add(y0) - 1),
            x1: clamp(r.saturating_add(x0).saturating_add(2)),
            y1: clamp(b.saturating_add(y0).saturating_add(2)),
        };
        let rest = finders.map(|finders| {
            finders
                .into_iter()
                .filter(|f| {
                    let (x, y, half) = (f.x as i32 - x0, f.y as i32 - y0, f.size as i32 / 2);
                    x < l - half
                        || x > r.saturating_add(half)
                        || y < t - half
                        || y > b.saturating_add(half)
                })
                .collect::<Vec<_>>()
        });
        match rest.and_then(|rest| code_regions(&rest, bitmap.width, bitmap.height)) {
            Some(others) => {
                for other in others {
                    result.extend(rqrr::scan_crop_without(
                        bitmap,
                        other.crop,
                        Some(blank),
                        deadline,
                    ));
                }
            }
            None => result.extend(rqrr::scan_crop_without(bitmap, crop, Some(blank), deadline)),
        }
    }
    (result, looked)
}

/// Where [`scan_view`] looked, in the view's pixels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Looked {
    Nowhere,
    At(Vec<Crop>),
}

impl Looked {
    pub fn describe(&self, whole: Crop) -> String {
        match self {
            Looked::Nowhere => "nowhere".to_owned(),
            Looked::At(crops) if crops == &[whole] => "whole".to_owned(),
            Looked::At(crops) => format!("{} regions", crops.len()),
        }
    }
}
