//! How accounts are shown: the table and JSON of `list`, and the short names used in
//! messages. Nothing here ever reads a secret.

use ringlet_core::model::account_label;
use ringlet_core::{Account, Entry};
use serde_json::{json, Value};

/// How many hex digits of an id the table shows.
pub const SHORT_ID: usize = 8;

/// The account's label ([`account_label`]) made safe for a terminal, for messages.
pub fn label(account: &Account) -> String {
    let label = printable(&account_label(&account.issuer, &account.name));
    if label.is_empty() {
        "(unnamed account)".to_owned()
    } else {
        label
    }
}

/// `text` with control characters (terminal escapes, line breaks) escaped, so that a name
/// read from a QR code cannot rewrite the terminal or break a table row.
pub fn printable(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}

/// `text` as printed: escaped with [`printable`] for a terminal, exact for a pipe or a
/// file (where scripts need the very text).
pub fn for_output(text: &str, terminal: bool) -> std::borrow::Cow<'_, str> {
    if terminal {
        std::borrow::Cow::Owned(printable(text))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The human form of `list`: a table of short id, issuer, account and type.
pub fn table(entries: &[Entry]) -> String {
    if entries.is_empty() {
        return "The vault holds no accounts.\n".to_owned();
    }
    let header = ["ID", "ISSUER", "ACCOUNT", "TYPE"];
    let rows: Vec<[String; 4]> = entries
        .iter()
        .map(|entry| {
            let id = entry.id.to_string();
            [
                id.chars().take(SHORT_ID).collect(),
                printable(&entry.account.issuer),
                printable(&entry.account.name),
                entry.account.otp.kind.name().to_owned(),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut push_row = |cells: [&str; 4]| {
        let mut line = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                line.push_str(cell);
            } else {
                let pad = widths[i].saturating_sub(cell.chars().count());
                line.push_str(cell);
                line.push_str(&" ".repeat(pad + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    };
    push_row(header);
    for row in &rows {
        push_row([&row[0], &row[1], &row[2], &row[3]]);
    }
    out
}

/// One account for `list --json`: id, issuer, account, type, algorithm, digits,
/// `period` and `timeOffset` (totp, steam: seconds added to the clock for this account's
/// codes) or `counter` (hotp), then what the person and the vault keep
/// with it: tags, note, icon, pinned, order, created_ms, modified_ms and revision, and
/// `recoveryLeft`, how many of its recovery codes are unused. Never the secret, never
/// recovery codes.
pub fn entry_json(entry: &Entry, recovery_left: usize) -> Value {
    let account = &entry.account;
    let stamp = &entry.stamp;
    let mut object = json!({
        "id": entry.id.to_string(),
        "issuer": account.issuer,
        "account": account.name,
        "type": account.otp.kind.name(),
        "algorithm": account.otp.algorithm.as_str(),
        "digits": account.otp.digits,
        "tags": account.tags,
        "note": account.note,
        "icon": account.icon,
        "pinned": account.pinned,
        "recoveryLeft": recovery_left,
        "order": stamp.order,
        "created_ms": stamp.created_ms,
        "modified_ms": stamp.modified_ms,
        "revision": {
            "wall_ms": stamp.revision.clock.wall_ms,
            "counter": stamp.revision.clock.counter,
            "device": stamp.revision.device.to_string(),
        },
    });
    if let Value::Object(map) = &mut object {
        if let Some(period) = account.otp.kind.period() {
            map.insert("period".to_owned(), json!(period));
            map.insert("timeOffset".to_owned(), json!(account.time_offset));
        }
        if let Some(counter) = account.otp.kind.counter() {
            map.insert("counter".to_owned(), json!(counter));
        }
    }
    object
}

/// The JSON form of `list`: an array of [`entry_json`] objects, pretty-printed;
/// `recovery_left[i]` goes with `entries[i]`.
pub fn list_json(entries: &[Entry], recovery_left: &[usize]) -> String {
    let array = Value::Array(
        entries
            .iter()
            .zip(recovery_left)
            .map(|(entry, left)| entry_json(entry, *left))
            .collect(),
    );
    // Serialising a `Value` cannot fail; fall back to the compact form all the same.
    serde_json::to_string_pretty(&array).unwrap_or_else(|_| array.to_string()) + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use ringlet_core::model::{Icon, Stamp};
    use ringlet_core::revision::{DeviceId, Hlc, Revision};
    use ringlet_core::{AccountId, Algorithm, OtpKind, OtpParams, Secret};

    fn entry(issuer: &str, name: &str, kind: OtpKind) -> Entry {
        Entry {
            id: AccountId([0xab; 16]),
            account: Account::new(
                issuer,
                name,
                OtpParams {
                    secret: Secret::new(b"12345678901234567890".to_vec()),
                    algorithm: Algorithm::Sha256,
                    digits: 7,
                    kind,
                },
            ),
            stamp: Stamp {
                order: 3,
                created_ms: 1_700_000_000_000,
                modified_ms: 1_700_000_001_000,
                revision: Revision {
                    clock: Hlc {
                        wall_ms: 1_700_000_001_000,
                        counter: 2,
                    },
                    device: DeviceId([0xcd; 16]),
                },
                trashed_ms: None,
            },
        }
    }

    #[test]
    fn labels() {
        let totp = OtpKind::Totp { period: 30 };
        assert_eq!(
            label(&entry("GitHub", "alice", totp).account),
            "GitHub (alice)"
        );
        assert_eq!(label(&entry("", "alice", totp).account), "alice");
        assert_eq!(label(&entry("GitHub", "", totp).account), "GitHub");
        assert_eq!(label(&entry("", "", totp).account), "(unnamed account)");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(for_output("a\u{1b}[2Jb", true), "a\\u{1b}[2Jb");
        assert_eq!(for_output("a\u{1b}[2Jb", false), "a\u{1b}[2Jb");
        assert_eq!(printable("a\u{1b}[2Jb\nc"), "a\\u{1b}[2Jb\\nc");
        assert_eq!(printable("Bank of Example é"), "Bank of Example é");
    }

    #[test]
    fn json_has_exactly_the_documented_fields() {
        let mut github = entry("GitHub", "alice", OtpKind::Totp { period: 30 });
        github.account.tags = vec!["work".into()];
        github.account.note = "main login".into();
        github.account.icon = Some(Icon::Bundled {
            name: "github".into(),
        });
        github.account.pinned = true;
        github.account.time_offset = -20;
        let totp = entry_json(&github, 3);
        assert_eq!(
            totp,
            json!({"id": "ab".repeat(16), "issuer": "GitHub", "account": "alice", "type": "totp",
                   "algorithm": "SHA256", "digits": 7, "period": 30, "timeOffset": -20,
                   "tags": ["work"], "note": "main login",
                   "icon": {"kind": "bundled", "name": "github"}, "pinned": true,
                   "recoveryLeft": 3, "order": 3, "created_ms": 1_700_000_000_000u64,
                   "modified_ms": 1_700_000_001_000u64,
                   "revision": {"wall_ms": 1_700_000_001_000u64, "counter": 2,
                                "device": "cd".repeat(16)}})
        );
        let hotp = entry_json(&entry("X", "y", OtpKind::Hotp { counter: 5 }), 0);
        assert_eq!(hotp["counter"], json!(5));
        assert!(hotp.get("period").is_none() && hotp.get("timeOffset").is_none());
        let steam = entry_json(&entry("Steam", "z", OtpKind::Steam { period: 30 }), 0);
        assert_eq!(steam["type"], json!("steam"));
        assert_eq!(steam["period"], json!(30));
        assert!(steam.get("counter").is_none());
    }

    #[test]
    fn table_aligns_columns_and_shortens_ids() {
        let entries = vec![
            entry("GitHub", "alice@example.com", OtpKind::Totp { period: 30 }),
            entry("X", "y", OtpKind::Hotp { counter: 0 }),
        ];
        let text = table(&entries);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "ID        ISSUER  ACCOUNT            TYPE");
        assert_eq!(lines[1], "abababab  GitHub  alice@example.com  totp");
        assert_eq!(lines[2], "abababab  X       y                  hotp");
        assert_eq!(table(&[]), "The vault holds no accounts.\n");
    }
}
