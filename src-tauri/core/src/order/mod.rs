//! The order of the account list, one rule for the app and `ringlet-cli list --sort`:
//! pinned accounts first, then by issuer, name, most used, recently used, or the person's
//! own order (`Stamp::order`, set by dragging or Alt+↑/↓: [`move_to`]). Ties fall back to
//! issuer, then name (case ignored), then id, so the order is total and stable.

use std::cmp::{Ordering, Reverse};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::model::{AccountId, Entry};
use crate::usage::UsageBook;

/// How the list is sorted (a preference of this computer).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SortBy {
    /// By issuer, then name: the order Ringlet always had.
    #[default]
    Issuer,
    /// By name (the login), then issuer.
    Name,
    /// Most codes copied or typed on this computer first.
    Used,
    /// The latest code copied or typed on this computer first.
    Recent,
    /// The person's own order.
    Manual,
}

impl SortBy {
    pub const ALL: [SortBy; 5] = [
        SortBy::Issuer,
        SortBy::Name,
        SortBy::Used,
        SortBy::Recent,
        SortBy::Manual,
    ];

    /// `issuer`, `name`, `used`, `recent` or `manual`: the CLI's and the preference's word.
    pub fn as_str(self) -> &'static str {
        match self {
            SortBy::Issuer => "issuer",
            SortBy::Name => "name",
            SortBy::Used => "used",
            SortBy::Recent => "recent",
            SortBy::Manual => "manual",
        }
    }
}

impl fmt::Display for SortBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an order Ringlet knows (issuer, name, used, recent, manual).")]
pub struct UnknownSort(pub String);

impl FromStr for SortBy {
    type Err = UnknownSort;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        SortBy::ALL
            .into_iter()
            .find(|sort| sort.as_str() == text)
            .ok_or_else(|| UnknownSort(text.to_owned()))
    }
}

/// Sorts `entries` as the list shows them: pinned first, then by `by` (`usage` is read
/// for [`SortBy::Used`] and [`SortBy::Recent`] only).
pub fn sort(entries: &mut [Entry], by: SortBy, usage: &UsageBook) {
    entries.sort_by_cached_key(|entry| {
        let use_of = usage.of(entry.id);
        let issuer = entry.account.issuer.to_lowercase();
        let name = entry.account.name.to_lowercase();
        let (first, second) = match by {
            SortBy::Name => (name.clone(), issuer.clone()),
            _ => (issuer.clone(), name.clone()),
        };
        let rank: (Reverse<u64>, i64) = match by {
            SortBy::Used => (Reverse(use_of.count), 0),
            SortBy::Recent => (Reverse(use_of.last_ms), 0),
            SortBy::Manual => (Reverse(0), entry.stamp.order),
            SortBy::Issuer | SortBy::Name => (Reverse(0), 0),
        };
        (!entry.account.pinned, rank, first, second, entry.id)
    });
}

/// Room left between two neighbours' places when the manual order is numbered afresh, so
/// that most later moves change one account only.
pub const ORDER_GAP: i64 = 1024;

/// The new places that move account `id` to position `to` of `shown` (the list as it is
/// shown, pinned first), kept within its part of the list (pinned or not): `(id, order)`
/// for each account whose place changes, empty when nothing moves. When `shown` is in the
/// manual order and there is room between the new neighbours, only the moved account
/// changes; otherwise the whole list is numbered afresh in the order shown (the order a
/// person sees becomes the manual order), and only the accounts whose number changed are
/// returned. Sorting with [`SortBy::Manual`] afterwards gives the moved list.
pub fn move_to(shown: &[Entry], id: AccountId, to: usize) -> Vec<(AccountId, i64)> {
    let Some(from) = shown.iter().position(|entry| entry.id == id) else {
        return Vec::new();
    };
    let pinned = shown[from].account.pinned;
    let (start, end) = group(shown, pinned);
    let to = to.clamp(start, end.saturating_sub(1).max(start));
    let mut moved: Vec<&Entry> = shown.iter().collect();
    let entry = moved.remove(from);
    moved.insert(to, entry);
    let in_manual_order = is_manual_order(shown);
    if from == to && in_manual_order {
        return Vec::new();
    }
    if in_manual_order {
        let before = (to > start).then(|| moved[to - 1].stamp.order);
        let after = (to + 1 < end).then(|| moved[to + 1].stamp.order);
        let place = match (before, after) {
            (Some(before), Some(after)) if after.checked_sub(before).is_some_and(|d| d >= 2) => {
                Some(before + (after - before) / 2)
            }
            (None, Some(after)) => after.checked_sub(ORDER_GAP),
            (Some(before), None) => before.checked_add(ORDER_GAP),
            _ => None,
        };
        if let Some(place) = place {
            return vec![(id, place)];
        }
    }
    moved
        .iter()
        .zip(1i64..)
        .filter_map(|(entry, n)| {
            let order = n * ORDER_GAP;
            (entry.stamp.order != order).then_some((entry.id, order))
        })
        .collect()
}

/// The positions `[start, end)` of the pinned (or the other) accounts in `shown`.
fn group(shown: &[Entry], pinned: bool) -> (usize, usize) {
    let pinned_count = shown.iter().filter(|e| e.account.pinned).count();
    if pinned {
        (0, pinned_count)
    } else {
        (pinned_count, shown.len())
    }
}

fn is_manual_order(shown: &[Entry]) -> bool {
    shown.windows(2).all(|pair| {
        let (a, b) = (&pair[0], &pair[1]);
        match b.account.pinned.cmp(&a.account.pinned) {
            Ordering::Less => true,
            Ordering::Greater => false,
            Ordering::Equal => {
                let key = |e: &Entry| {
                    (
                        e.stamp.order,
                        e.account.issuer.to_lowercase(),
                        e.account.name.to_lowercase(),
                        e.id,
                    )
                };
                key(a) < key(b)
            }
        }
    })
}

#[cfg(test)]
mod tests;
