use super::*;
use crate::model::{Account, Algorithm, OtpKind, OtpParams, Secret, Stamp};
use crate::revision::Revision;

fn entry(n: u8, issuer: &str, name: &str, pinned: bool, order: i64) -> Entry {
    let mut account = Account::new(
        issuer,
        name,
        OtpParams {
            secret: Secret::new(vec![n; 20]),
            algorithm: Algorithm::Sha1,
            digits: 6,
            kind: OtpKind::Totp { period: 30 },
        },
    );
    account.pinned = pinned;
    Entry {
        id: AccountId([n; 16]),
        account,
        stamp: Stamp {
            order,
            created_ms: 0,
            modified_ms: 0,
            revision: Revision {
                clock: Default::default(),
                device: Default::default(),
            },
            trashed_ms: None,
        },
    }
}

fn accounts() -> Vec<Entry> {
    vec![
        entry(1, "GitHub", "zoe", false, 0),
        entry(2, "dropbox", "bob", false, 0),
        entry(3, "Mastodon", "amy", true, 0),
        entry(4, "Bank", "carl", false, 0),
        entry(5, "apple", "dan", true, 0),
    ]
}

fn issuers(entries: &[Entry]) -> Vec<&str> {
    entries.iter().map(|e| e.account.issuer.as_str()).collect()
}

fn sorted(mut entries: Vec<Entry>, by: SortBy, usage: &UsageBook) -> Vec<Entry> {
    sort(&mut entries, by, usage);
    entries
}

fn usage() -> UsageBook {
    let mut book = UsageBook::default();
    for _ in 0..3 {
        book.record(AccountId([4; 16]), 100);
    }
    book.record(AccountId([1; 16]), 500);
    book.record(AccountId([3; 16]), 50);
    book
}

#[test]
fn pinned_accounts_stay_on_top_in_every_order() {
    for by in SortBy::ALL {
        let list = sorted(accounts(), by, &usage());
        let pins: Vec<bool> = list.iter().map(|e| e.account.pinned).collect();
        assert_eq!(pins, [true, true, false, false, false], "{by}");
    }
}

#[test]
fn issuer_and_name_orders_ignore_case() {
    let none = UsageBook::default();
    assert_eq!(
        issuers(&sorted(accounts(), SortBy::Issuer, &none)),
        ["apple", "Mastodon", "Bank", "dropbox", "GitHub"]
    );
    let by_name = sorted(accounts(), SortBy::Name, &none);
    let names: Vec<&str> = by_name.iter().map(|e| e.account.name.as_str()).collect();
    assert_eq!(names, ["amy", "dan", "bob", "carl", "zoe"]);
}

#[test]
fn most_used_and_recently_used_come_first_and_unused_by_issuer() {
    assert_eq!(
        issuers(&sorted(accounts(), SortBy::Used, &usage())),
        ["Mastodon", "apple", "Bank", "GitHub", "dropbox"]
    );
    assert_eq!(
        issuers(&sorted(accounts(), SortBy::Recent, &usage())),
        ["Mastodon", "apple", "GitHub", "Bank", "dropbox"]
    );
}

#[test]
fn the_manual_order_is_the_stamps_order_with_ties_by_issuer() {
    let mut list = accounts();
    list[0].stamp.order = -5; // GitHub
    list[3].stamp.order = 7; // Bank
    assert_eq!(
        issuers(&sorted(list, SortBy::Manual, &UsageBook::default())),
        ["apple", "Mastodon", "GitHub", "dropbox", "Bank"]
    );
}

fn apply(mut list: Vec<Entry>, orders: &[(AccountId, i64)]) -> Vec<Entry> {
    for (id, order) in orders {
        list.iter_mut().find(|e| e.id == *id).unwrap().stamp.order = *order;
    }
    sorted(list, SortBy::Manual, &UsageBook::default())
}

#[test]
fn a_move_from_another_order_numbers_the_list_as_shown() {
    let shown = sorted(accounts(), SortBy::Used, &usage());
    // Mastodon, apple | Bank, GitHub, dropbox: dropbox to the top of its part.
    let orders = move_to(&shown, AccountId([2; 16]), 0);
    let after = apply(shown, &orders);
    assert_eq!(
        issuers(&after),
        ["Mastodon", "apple", "dropbox", "Bank", "GitHub"]
    );
}

#[test]
fn a_move_in_the_manual_order_changes_one_account_when_there_is_room() {
    let mut list = accounts();
    for (n, entry) in (1i64..).zip(list.iter_mut()) {
        entry.stamp.order = n * ORDER_GAP;
    }
    let shown = sorted(list, SortBy::Manual, &UsageBook::default());
    assert_eq!(
        issuers(&shown),
        ["Mastodon", "apple", "GitHub", "dropbox", "Bank"]
    );
    // Alt+Up on Bank: one account changes.
    let orders = move_to(&shown, AccountId([4; 16]), 3);
    assert_eq!(orders, [(AccountId([4; 16]), 1536)]);
    let once = apply(shown, &orders);
    assert_eq!(
        issuers(&once),
        ["Mastodon", "apple", "GitHub", "Bank", "dropbox"]
    );
    // To the top of its part, and one past the end: one account each.
    let orders = move_to(&once, AccountId([2; 16]), 2);
    assert_eq!(orders.len(), 1);
    let top = apply(once, &orders);
    assert_eq!(
        issuers(&top),
        ["Mastodon", "apple", "dropbox", "GitHub", "Bank"]
    );
    let orders = move_to(&top, AccountId([2; 16]), 99);
    assert_eq!(orders.len(), 1);
    assert_eq!(
        issuers(&apply(top, &orders)),
        ["Mastodon", "apple", "GitHub", "Bank", "dropbox"]
    );
}

#[test]
fn a_move_stays_within_the_pinned_or_unpinned_part() {
    let shown = sorted(accounts(), SortBy::Manual, &UsageBook::default());
    // An unpinned account dragged above the pins lands first of the unpinned.
    let after = apply(shown.clone(), &move_to(&shown, AccountId([1; 16]), 0));
    assert_eq!(
        issuers(&after),
        ["apple", "Mastodon", "GitHub", "Bank", "dropbox"]
    );
    // A pinned one dragged to the end lands last of the pinned.
    let after = apply(after.clone(), &move_to(&after, AccountId([5; 16]), 4));
    assert_eq!(
        issuers(&after),
        ["Mastodon", "apple", "GitHub", "Bank", "dropbox"]
    );
    // Alt+Up on the first account, or a move to where it is: nothing changes.
    assert!(move_to(&after, AccountId([3; 16]), 0).is_empty());
    assert!(
        move_to(&after, AccountId([9; 16]), 0).is_empty(),
        "an unknown id"
    );
}

#[test]
fn with_no_room_left_the_list_is_numbered_again() {
    let mut list = accounts();
    for (n, entry) in list.iter_mut().enumerate() {
        entry.stamp.order = n as i64; // neighbours one apart: no room between
    }
    let shown = sorted(list, SortBy::Manual, &UsageBook::default());
    assert_eq!(
        issuers(&shown),
        ["Mastodon", "apple", "GitHub", "dropbox", "Bank"]
    );
    let orders = move_to(&shown, AccountId([4; 16]), 3);
    assert!(orders.len() > 1);
    assert_eq!(
        issuers(&apply(shown, &orders)),
        ["Mastodon", "apple", "GitHub", "Bank", "dropbox"]
    );
}

#[test]
fn sort_names_read_and_print_as_the_cli_writes_them() {
    for by in SortBy::ALL {
        assert_eq!(by.as_str().parse::<SortBy>(), Ok(by));
        assert_eq!(serde_json::to_string(&by).unwrap(), format!("\"{by}\""));
    }
    assert!("size"
        .parse::<SortBy>()
        .unwrap_err()
        .to_string()
        .contains("issuer, name"));
}
