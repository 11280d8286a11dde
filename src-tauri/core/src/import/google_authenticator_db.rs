//! Google Authenticator's internal database on Android (`databases/databases`, copied from
//! a rooted phone): an SQLite file read with `sqlite.rs`.
//!
//! Read from the database as the app writes it (the `accounts` table of
//! `shared/fixtures/aegis-importers/google_authenticator.sqlite`) and the schema Aegis's
//! `GoogleAuthImporter` reads: `email` (the label, often "Issuer:name"), `secret` (Base32),
//! `counter`, `type` (0 TOTP, 1 HOTP), `issuer` (newer versions; may be NULL). Columns are
//! found by name in the table's `CREATE TABLE` statement. Google's codes are always SHA-1,
//! 6 digits and 30 seconds. The issuer is the `issuer` column, else the part of `email`
//! before a colon; the name is `email` without that issuer prefix.
//!
//! Dropped on import: `provider`, `original_name` and the audit-log tables. An account of
//! another type is a problem.

use super::entry::{self, EntryError, Fields, Kind};
use super::sqlite::{self, Row, TableInfo};
use super::{Contents, Format, ImportError, Item};

pub struct GoogleAuthenticatorDb;

const NAME: &str = "Google Authenticator database";
const TABLE: &str = "accounts";
/// What tells this database from others with an `accounts` table (Microsoft's has
/// `oath_secret_key`, not `secret`).
const COLUMNS: &[&str] = &["email", "secret", "type"];

impl Format for GoogleAuthenticatorDb {
    fn name(&self) -> &'static str {
        NAME
    }

    fn id(&self) -> &'static str {
        "google-authenticator-db"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        sqlite::table_with(bytes, TABLE, COLUMNS).is_some()
    }

    fn read(&self, bytes: &[u8], _password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let (db, table) = sqlite::table_with(bytes, TABLE, COLUMNS)
            .ok_or(ImportError::NotThisFormat { format: NAME })?;
        sqlite::import_items(&db, &table, NAME, |row, item| read_row(&table, row, item))
    }
}

fn read_row(table: &TableInfo, row: &Row, item: usize) -> Item {
    let text = |column: &str| row.get(table.column(column)).text().unwrap_or("");
    let email = text("email").trim();
    let (issuer, name) = match text("issuer").trim() {
        "" => match email.split_once(':') {
            Some((issuer, name)) => (issuer.trim(), name.trim()),
            None => ("", email),
        },
        issuer => {
            let name = email
                .strip_prefix(issuer)
                .and_then(|rest| rest.strip_prefix(':'))
                .unwrap_or(email);
            (issuer, name.trim())
        }
    };
    read_account(table, row, issuer, name)
        .unwrap_or_else(|error| entry::problem(item, issuer, name, error))
}

fn read_account(
    table: &TableInfo,
    row: &Row,
    issuer: &str,
    name: &str,
) -> Result<Item, EntryError> {
    let secret = row
        .get(table.column("secret"))
        .text()
        .ok_or(EntryError::Missing("secret key"))?;
    let kind = match row.get(table.column("type")).integer() {
        Some(0) | None => Kind::Totp,
        Some(1) => Kind::Hotp,
        Some(other) => {
            return Err(EntryError::UnsupportedKind {
                kind: format!("type {other}"),
            })
        }
    };
    let counter = match kind {
        Kind::Hotp => Some(match row.get(table.column("counter")).integer() {
            None => 0,
            Some(counter) => u64::try_from(counter).map_err(|_| EntryError::Malformed)?,
        }),
        _ => None,
    };
    let fields = Fields {
        issuer,
        name,
        secret,
        counter,
        ..Fields::default()
    };
    Ok(Item::Account(entry::account(kind, &fields)?))
}

#[cfg(test)]
mod tests {
    use super::super::sqlite::testing::{database, Cell, Table};
    use super::super::{open_bytes, Cause, Opened};
    use super::*;

    const SQL: &str = "CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT NOT NULL, secret TEXT NOT NULL, counter INTEGER DEFAULT 0, type INTEGER, provider INTEGER DEFAULT 0, issuer TEXT DEFAULT NULL, original_name TEXT DEFAULT NULL)";

    fn row(email: &str, secret: &str, counter: i64, kind: i64, issuer: Cell) -> Vec<Cell> {
        vec![
            Cell::Null,
            email.into(),
            secret.into(),
            counter.into(),
            kind.into(),
            0.into(),
            issuer,
            email.into(),
        ]
    }

    #[test]
    fn totp_and_hotp_rows_are_read_and_bad_ones_are_problems() {
        let bytes = database(
            &[Table {
                name: "accounts",
                sql: SQL,
                rows: vec![
                    (1, row("Site:me", "JBSWY3DPEHPK3PXP", 0, 0, "Site".into())),
                    (2, row("Old:you", "jbsw y3dp ehpk 3pxp", 7, 1, Cell::Null)),
                    (3, row("plain", "JBSWY3DPEHPK3PXP", 0, 2, Cell::Null)),
                    (4, row("Bad:key", "not base32!", 0, 0, "Bad".into())),
                ],
            }],
            None,
        );
        assert!(GoogleAuthenticatorDb.recognises(&bytes));
        let Ok(Opened::Read(contents)) = open_bytes(&bytes, None) else {
            panic!("not read");
        };
        let [Item::Account(site), Item::Account(old), Item::Problem(other), Item::Problem(bad)] =
            contents.items.as_slice()
        else {
            panic!("{contents:?}");
        };
        assert_eq!((site.issuer.as_str(), site.name.as_str()), ("Site", "me"));
        assert_eq!(site.otp.kind.period(), Some(30));
        assert_eq!((old.issuer.as_str(), old.name.as_str()), ("Old", "you"));
        assert_eq!(old.otp.kind.counter(), Some(7));
        assert!(matches!(
            other.cause,
            Cause::InvalidEntry(EntryError::UnsupportedKind { .. })
        ));
        assert_eq!(bad.issuer, "Bad");
        assert!(!bad.to_string().contains("not base32"));
    }

    #[test]
    fn another_database_is_not_this_one() {
        let other = database(
            &[Table {
                name: "accounts",
                sql: "CREATE TABLE accounts (_id INTEGER PRIMARY KEY, name TEXT, oath_secret_key TEXT)",
                rows: vec![],
            }],
            None,
        );
        assert!(!GoogleAuthenticatorDb.recognises(&other));
        assert!(!GoogleAuthenticatorDb.recognises(b"SQLite format 3\0"));
    }
}
