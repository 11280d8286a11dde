//! Google Authenticator exports of many accounts span several QR codes ("batches") that
//! share a `batch_id`: which codes of each export were seen, and which are missing.

use std::collections::BTreeSet;

/// How many missing code numbers a note lists before "…".
const MAX_LISTED: usize = 10;

/// Where one export code sits: which export, how many codes it has, which one it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExportPart {
    pub batch_id: i32,
    pub batch_size: u32,
    pub batch_index: u32,
}

/// Which codes of one export were seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportProgress {
    pub batch_id: i32,
    pub batch_size: u32,
    /// The 0-based indexes seen, sorted, each once.
    pub found: Vec<u32>,
}

impl ExportProgress {
    /// The 0-based indexes not seen, in order.
    pub fn missing(&self) -> Vec<u32> {
        (0..self.batch_size)
            .filter(|index| self.found.binary_search(index).is_err())
            .collect()
    }

    pub fn is_complete(&self) -> bool {
        self.found.len() >= self.batch_size as usize
    }

    /// For a person, when codes are missing: "2 of 3 export codes imported — add the rest
    /// (code 2 is missing)." Codes are numbered from 1, as Google Authenticator shows them.
    pub fn note(&self) -> Option<String> {
        if self.is_complete() {
            return None;
        }
        let missing = self.missing();
        let numbers: Vec<String> = missing
            .iter()
            .take(MAX_LISTED)
            .map(|index| (u64::from(*index) + 1).to_string())
            .collect();
        let list = match numbers.as_slice() {
            [one] => format!("code {one} is missing"),
            [init @ .., last] if missing.len() <= MAX_LISTED => {
                format!("codes {} and {last} are missing", init.join(", "))
            }
            _ => format!(
                "codes {}, … are missing ({} in all)",
                numbers.join(", "),
                missing.len()
            ),
        };
        Some(format!(
            "{} of {} export codes imported — add the rest ({list}).",
            self.found.len(),
            self.batch_size
        ))
    }
}

/// Groups code positions by export (same `batch_id` and `batch_size`), in the order the
/// exports were first seen. A code seen twice counts once.
pub fn progress(positions: impl IntoIterator<Item = ExportPart>) -> Vec<ExportProgress> {
    let mut groups: Vec<(ExportProgress, BTreeSet<u32>)> = Vec::new();
    for position in positions {
        let slot = groups.iter_mut().find(|(group, _)| {
            group.batch_id == position.batch_id && group.batch_size == position.batch_size
        });
        match slot {
            Some((_, seen)) => {
                seen.insert(position.batch_index);
            }
            None => groups.push((
                ExportProgress {
                    batch_id: position.batch_id,
                    batch_size: position.batch_size,
                    found: Vec::new(),
                },
                BTreeSet::from([position.batch_index]),
            )),
        }
    }
    groups
        .into_iter()
        .map(|(mut group, seen)| {
            group.found = seen.into_iter().collect();
            group
        })
        .collect()
}
