//! What changed between two readings of a linked folder. An account is known by what
//! computes its codes (the fields [`Account::same_as`] compares): a renamed account is
//! "changed", a new secret is one removed and one added.

use std::collections::HashMap;

use crate::model::{account_label, Account};

/// The accounts added, removed and changed, by label (`Issuer (name)`). Never a secret.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

/// How many labels a summary names before it counts the rest.
const NAMED_IN_SUMMARY: usize = 3;

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// "1 added (GitHub (alice)); 2 removed (Mail, Bank); 1 changed (Work)", or "no change".
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        for (labels, what) in [
            (&self.added, "added"),
            (&self.removed, "removed"),
            (&self.changed, "changed"),
        ] {
            if labels.is_empty() {
                continue;
            }
            let mut named: Vec<&str> = labels
                .iter()
                .take(NAMED_IN_SUMMARY)
                .map(String::as_str)
                .collect();
            let more;
            if labels.len() > NAMED_IN_SUMMARY {
                more = format!("{} more", labels.len() - NAMED_IN_SUMMARY);
                named.push(&more);
            }
            parts.push(format!("{} {what} ({})", labels.len(), named.join(", ")));
        }
        if parts.is_empty() {
            "no change".to_owned()
        } else {
            parts.join("; ")
        }
    }
}

/// The fields [`Account::same_as`] compares, as a key.
fn identity(account: &Account) -> (Vec<u8>, &'static str, u8, &'static str, Option<u32>) {
    let otp = &account.otp;
    (
        otp.secret.expose().to_vec(),
        otp.algorithm.as_str(),
        otp.digits,
        otp.kind.name(),
        otp.kind.period(),
    )
}

/// What changed from `before` to `after`. Accounts that share a key (a duplicate in the
/// phone's app) are paired in file order.
pub fn diff(before: &[Account], after: &[Account]) -> Diff {
    let mut unmatched: HashMap<_, Vec<usize>> = HashMap::new();
    for (place, account) in before.iter().enumerate().rev() {
        unmatched.entry(identity(account)).or_default().push(place);
    }
    let mut result = Diff::default();
    let mut matched = vec![false; before.len()];
    for account in after {
        match unmatched
            .get_mut(&identity(account))
            .and_then(|places| places.pop())
        {
            Some(place) => {
                matched[place] = true;
                if before[place] != *account {
                    result.changed.push(label(account));
                }
            }
            None => result.added.push(label(account)),
        }
    }
    for (place, account) in before.iter().enumerate() {
        if !matched[place] {
            result.removed.push(label(account));
        }
    }
    result
}

fn label(account: &Account) -> String {
    let label = account_label(&account.issuer, &account.name);
    if label.is_empty() {
        "(no name)".to_owned()
    } else {
        label
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Algorithm, OtpKind, OtpParams, Secret};

    fn account(issuer: &str, secret: &[u8]) -> Account {
        Account::new(
            issuer,
            "me",
            OtpParams {
                secret: Secret::new(secret.to_vec()),
                algorithm: Algorithm::Sha1,
                digits: 6,
                kind: OtpKind::Totp { period: 30 },
            },
        )
    }

    #[test]
    fn added_removed_and_changed_are_told_apart() {
        let before = [account("A", b"a"), account("B", b"b"), account("C", b"c")];
        let mut renamed = account("B", b"b");
        renamed.name = "other".into();
        let after = [account("A", b"a"), renamed, account("D", b"d")];
        let diff = diff(&before, &after);
        assert_eq!(diff.added, ["D (me)"]);
        assert_eq!(diff.removed, ["C (me)"]);
        assert_eq!(diff.changed, ["B (other)"]);
        assert_eq!(
            diff.summary(),
            "1 added (D (me)); 1 removed (C (me)); 1 changed (B (other))"
        );
    }

    #[test]
    fn duplicates_pair_in_order_and_a_second_copy_is_added() {
        let before = [account("A", b"a")];
        let after = [account("A", b"a"), account("A", b"a")];
        let diff = diff(&before, &after);
        assert_eq!(diff.added, ["A (me)"]);
        assert!(diff.removed.is_empty() && diff.changed.is_empty());
        assert!(super::diff(&after, &after).is_empty());
        assert_eq!(super::diff(&after, &after).summary(), "no change");
    }

    #[test]
    fn a_long_summary_counts_the_rest() {
        let after: Vec<Account> = (0..5u8).map(|i| account("X", &[i])).collect();
        assert_eq!(
            diff(&[], &after).summary(),
            "5 added (X (me), X (me), X (me), 2 more)"
        );
    }
}
