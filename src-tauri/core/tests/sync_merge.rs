//! The merge's algebra, checked on random replicas (seeded: a failure prints its seed and
//! replays with `RINGLET_MERGE_SEED`), and its rules on hand-made cases.

mod common;

use std::collections::BTreeMap;

use ringlet_core::model::{
    Account, AccountId, Algorithm, OtpKind, OtpParams, RecoveryCode, RecoveryCodes, Secret, Stamp,
    Tombstone,
};
use ringlet_core::revision::{DeviceId, Hlc, Revision};
use ringlet_core::sync::merge::{merge, AccountState, CodesState, Replica};

use common::{env_number, Rng};

fn revision(wall_ms: u64, counter: u32, device: u8) -> Revision {
    Revision {
        clock: Hlc { wall_ms, counter },
        device: DeviceId([device; 16]),
    }
}

/// The account an honest copy holds at `rev`: its fields follow from the id and the
/// revision (two copies with one revision hold one content), but for the HOTP counter,
/// which merges raise.
fn live(id: u8, rev: Revision, counter: u64) -> AccountState {
    let kind = if id.is_multiple_of(2) {
        OtpKind::Hotp { counter }
    } else {
        OtpKind::Totp { period: 30 }
    };
    let tag = format!("{}-{}", rev.clock.wall_ms, rev.clock.counter);
    let mut account = Account::new(
        format!("Issuer {id}"),
        format!("user {tag}"),
        OtpParams {
            secret: Secret::new(vec![id; 10]),
            algorithm: Algorithm::Sha1,
            digits: 6,
            kind,
        },
    );
    account.pinned = rev.clock.counter % 2 == 1;
    AccountState::Live {
        account,
        stamp: Stamp {
            order: 0,
            created_ms: 1,
            modified_ms: rev.clock.wall_ms,
            revision: rev,
            trashed_ms: (rev.device.0[0] == 2).then_some(rev.clock.wall_ms),
        },
    }
}

fn codes(list: &[(&str, bool)]) -> RecoveryCodes {
    RecoveryCodes {
        codes: list
            .iter()
            .map(|(code, used)| RecoveryCode {
                code: (*code).to_owned(),
                used: *used,
            })
            .collect(),
    }
}

const CODE_POOL: [&str; 6] = [
    "aaaa-1111",
    "bbbb2222",
    "cccc-3333",
    "AAAA1111",
    "dddd4444",
    "eeee5555",
];

fn random_replica(rng: &mut Rng) -> Replica {
    let mut replica = Replica::default();
    for id in 0..5u8 {
        if rng.chance(30) {
            continue;
        }
        let rev = revision(rng.below(4), rng.below(3) as u32, rng.below(3) as u8);
        let state = if rng.chance(25) {
            AccountState::Deleted {
                tombstone: Tombstone {
                    deleted_ms: rev.clock.wall_ms,
                    revision: rev,
                    // Only an HOTP account has a counter to keep (an account's kind never
                    // changes: edits keep the secret and its parameters).
                    counter_floor: if id.is_multiple_of(2) {
                        rng.below(20)
                    } else {
                        0
                    },
                },
            }
        } else {
            live(id, rev, rng.below(20))
        };
        replica.accounts.insert(AccountId([id; 16]), state);
        if rng.chance(60) {
            let set = (!rng.chance(20)).then(|| revision(rng.below(3), 0, rng.below(2) as u8));
            let count = 1 + rng.below(4) as usize;
            let start = rng.below(3) as usize;
            let list: Vec<(&str, bool)> = CODE_POOL[start..start + count]
                .iter()
                .map(|code| (*code, rng.chance(30)))
                .collect();
            replica.recovery.insert(
                AccountId([id; 16]),
                CodesState {
                    codes: codes(&list),
                    revision: revision(rng.below(4), 0, rng.below(3) as u8),
                    set,
                },
            );
        }
    }
    replica
}

#[test]
fn merge_is_commutative_associative_and_idempotent() {
    let seed = env_number("RINGLET_MERGE_SEED", 0x5EED_2026);
    let mut rng = Rng(seed);
    for case in 0..20_000 {
        let (a, b, c) = (
            random_replica(&mut rng),
            random_replica(&mut rng),
            random_replica(&mut rng),
        );
        let context = format!("seed {seed}, case {case}");
        assert_eq!(merge(&a, &b), merge(&b, &a), "commutative, {context}");
        assert_eq!(
            merge(&merge(&a, &b), &c),
            merge(&a, &merge(&b, &c)),
            "associative, {context}"
        );
        assert_eq!(merge(&a, &a), merge(&a, &Replica::default()), "{context}");
        let ab = merge(&a, &b);
        assert_eq!(merge(&ab, &b), ab, "idempotent, {context}");
    }
}

#[test]
fn the_newer_revision_wins_and_a_delete_is_a_revision_like_any_edit() {
    let id = AccountId([1; 16]);
    let old = live(1, revision(10, 0, 1), 0);
    let new = live(1, revision(10, 1, 0), 0);
    let one = |state: &AccountState| Replica {
        accounts: BTreeMap::from([(id, state.clone())]),
        ..Replica::default()
    };
    assert_eq!(merge(&one(&old), &one(&new)).accounts[&id], new);
    // Same clock: the device id breaks the tie.
    let other_device = live(1, revision(10, 0, 2), 0);
    assert_eq!(
        merge(&one(&old), &one(&other_device)).accounts[&id],
        other_device
    );

    let deleted = AccountState::Deleted {
        tombstone: Tombstone {
            deleted_ms: 20,
            revision: revision(20, 0, 0),
            counter_floor: 0,
        },
    };
    assert_eq!(merge(&one(&new), &one(&deleted)).accounts[&id], deleted);
    let edited_after = live(1, revision(30, 0, 1), 0);
    assert_eq!(
        merge(&one(&deleted), &one(&edited_after)).accounts[&id],
        edited_after
    );
}

#[test]
fn an_hotp_counter_is_the_highest_either_side_reached() {
    let id = AccountId([2; 16]);
    // The newer edit (a rename) was made on a copy that had not seen the counter move on.
    let advanced = live(2, revision(10, 0, 1), 7);
    let renamed = live(2, revision(20, 0, 2), 3);
    let one = |state: &AccountState| Replica {
        accounts: BTreeMap::from([(id, state.clone())]),
        ..Replica::default()
    };
    let merged = merge(&one(&advanced), &one(&renamed));
    let AccountState::Live { account, stamp } = &merged.accounts[&id] else {
        panic!("deleted");
    };
    assert_eq!(account.otp.kind, OtpKind::Hotp { counter: 7 });
    assert_eq!(
        stamp.revision,
        revision(20, 0, 2),
        "the rename's fields win"
    );
    assert!(account.name.starts_with("user 20-"));
}

#[test]
fn recovery_codes_merge_as_a_set_and_used_wins() {
    let id = AccountId([3; 16]);
    let set = Some(revision(5, 0, 1));
    let side = |list: &[(&str, bool)], wall| Replica {
        recovery: BTreeMap::from([(
            id,
            CodesState {
                codes: codes(list),
                revision: revision(wall, 0, 1),
                set,
            },
        )]),
        ..Replica::default()
    };
    // One copy used the first code, the other the second: both are used.
    let a = side(&[("aaaa-1111", true), ("bbbb-2222", false)], 6);
    let b = side(&[("aaaa1111", false), ("bbbb-2222", true)], 7);
    let merged = merge(&a, &b).recovery[&id].clone();
    assert_eq!(merged.codes.left(), 0);
    assert_eq!(merged.codes.codes.len(), 2);
    assert_eq!(merged.revision, revision(7, 0, 1));
    // One copy added a code: the union.
    let c = side(
        &[
            ("aaaa-1111", false),
            ("bbbb-2222", false),
            ("cccc-3333", false),
        ],
        8,
    );
    let merged = merge(&a, &c).recovery[&id].clone();
    assert_eq!(merged.codes.codes.len(), 3);
    assert_eq!(merged.codes.left(), 2);

    // A newer set (the service issued new codes) replaces the old one, even when the
    // old one was used later on another copy.
    let mut replaced = side(&[("zzzz-9999", false)], 9);
    replaced.recovery.get_mut(&id).unwrap().set = Some(revision(9, 0, 2));
    let old_used_later = side(&[("aaaa-1111", true), ("bbbb-2222", true)], 12);
    let merged = merge(&old_used_later, &replaced).recovery[&id].clone();
    assert_eq!(merged.codes, codes(&[("zzzz-9999", false)]));
}
