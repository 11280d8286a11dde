//! Merging two copies of a vault, record by record: the rules of `docs/sync.md`.
//!
//! A [`Replica`] is everything one copy holds that sync carries: each account, live or
//! deleted (its tombstone), and each account's recovery codes. [`merge`] is commutative,
//! associative and idempotent, so every copy that has seen the same files holds the same
//! vault, whatever order the files came in (the property test below checks it):
//! - an account: the newer revision wins (hybrid logical clock, then device id); a delete
//!   is a revision like any edit, so it wins over older edits and loses to newer ones;
//! - an HOTP counter: the highest any copy has seen, whichever revision wins, so a code is
//!   never offered twice (a tombstone keeps it too, for an edit that brings the account back);
//! - recovery codes: the newest *set* wins (a set is replaced when a service issues new
//!   codes); within one set, codes are a union and "used" wins.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{Account, AccountId, OtpKind, RecoveryCode, RecoveryCodes, Stamp, Tombstone};
use crate::recovery_codes;
use crate::revision::{Hlc, Revision};

/// One account as a copy of the vault holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "lowercase")]
#[allow(clippy::large_enum_variant)] // Most states are live accounts: boxing would not save.
pub enum AccountState {
    Live { account: Account, stamp: Stamp },
    Deleted { tombstone: Tombstone },
}

impl AccountState {
    pub fn revision(&self) -> Revision {
        match self {
            AccountState::Live { stamp, .. } => stamp.revision,
            AccountState::Deleted { tombstone } => tombstone.revision,
        }
    }

    /// The HOTP counter this state vouches for (0 for other kinds).
    fn counter(&self) -> u64 {
        match self {
            AccountState::Live { account, .. } => account.otp.kind.counter().unwrap_or(0),
            AccountState::Deleted { tombstone } => tombstone.counter_floor,
        }
    }

    /// Which of two states of one account wins: the newer revision; at the same revision
    /// (which two honest copies never write), the delete.
    fn rank(&self) -> (Revision, bool) {
        (
            self.revision(),
            matches!(self, AccountState::Deleted { .. }),
        )
    }
}

/// An account's recovery codes as a copy holds them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodesState {
    pub codes: RecoveryCodes,
    /// The last change to these codes.
    pub revision: Revision,
    /// The change that made this set (its first codes, or a replacement when a service
    /// issued new ones); `None` for codes saved before sync existed, one set per account.
    #[serde(default)]
    pub set: Option<Revision>,
}

/// Everything sync carries of one copy of a vault.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Replica {
    pub accounts: BTreeMap<AccountId, AccountState>,
    pub recovery: BTreeMap<AccountId, CodesState>,
}

impl Replica {
    /// The latest clock reading of any revision it holds: a copy that merges it must issue
    /// later revisions from then on.
    pub fn latest_clock(&self) -> Hlc {
        let accounts = self.accounts.values().map(|s| s.revision().clock);
        let codes = self.recovery.values().map(|c| c.revision.clock);
        accounts.chain(codes).max().unwrap_or_default()
    }

    /// The recovery codes to keep for `id`: none when the account is deleted.
    pub fn live_codes(&self, id: &AccountId) -> Option<&CodesState> {
        match self.accounts.get(id) {
            Some(AccountState::Live { .. }) => self.recovery.get(id),
            _ => None,
        }
    }
}

/// The merge of two copies (see the module documentation).
pub fn merge(a: &Replica, b: &Replica) -> Replica {
    let mut out = a.clone();
    merge_into(&mut out, b);
    out
}

/// Merges `other` into `into`.
pub fn merge_into(into: &mut Replica, other: &Replica) {
    for (id, theirs) in &other.accounts {
        let merged = match into.accounts.get(id) {
            Some(ours) => merge_account(ours, theirs),
            None => theirs.clone(),
        };
        into.accounts.insert(*id, merged);
    }
    for (id, theirs) in &other.recovery {
        let merged = match into.recovery.get(id) {
            Some(ours) => merge_codes(ours, theirs),
            None => theirs.clone(),
        };
        into.recovery.insert(*id, merged);
    }
}

fn merge_account(a: &AccountState, b: &AccountState) -> AccountState {
    let counter = a.counter().max(b.counter());
    let mut winner = if a.rank() >= b.rank() { a } else { b }.clone();
    match &mut winner {
        AccountState::Live { account, .. } => {
            if let OtpKind::Hotp { counter: kept } = &mut account.otp.kind {
                *kept = counter;
            }
        }
        AccountState::Deleted { tombstone } => tombstone.counter_floor = counter,
    }
    winner
}

fn merge_codes(a: &CodesState, b: &CodesState) -> CodesState {
    if a.set != b.set {
        return if a.set > b.set { a } else { b }.clone();
    }
    CodesState {
        codes: union(&a.codes, &b.codes),
        revision: a.revision.max(b.revision),
        set: a.set,
    }
}

/// Two lists of one set: the same list with "used" from either; otherwise every code of
/// either, used where either used it, in the order of their normalised text (an order
/// that does not depend on which list came first).
fn union(a: &RecoveryCodes, b: &RecoveryCodes) -> RecoveryCodes {
    let key = |code: &RecoveryCode| recovery_codes::normalized(&code.code);
    let same_list = a.codes.len() == b.codes.len()
        && a.codes.iter().zip(&b.codes).all(|(x, y)| key(x) == key(y));
    if same_list {
        let codes = a
            .codes
            .iter()
            .zip(&b.codes)
            .map(|(x, y)| RecoveryCode {
                code: x.code.clone().min(y.code.clone()),
                used: x.used || y.used,
            })
            .collect();
        return RecoveryCodes { codes };
    }
    let mut by_key: BTreeMap<String, RecoveryCode> = BTreeMap::new();
    for code in a.codes.iter().chain(&b.codes) {
        by_key
            .entry(key(code))
            .and_modify(|kept| {
                kept.used |= code.used;
                if code.code < kept.code {
                    kept.code = code.code.clone();
                }
            })
            .or_insert_with(|| code.clone());
    }
    RecoveryCodes {
        codes: by_key.into_values().collect(),
    }
}
