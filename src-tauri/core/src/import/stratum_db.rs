//! Stratum's (formerly Authenticator Pro's) internal database on Android (`proauth.db3`,
//! copied from a rooted phone, unencrypted): an SQLite file read with `sqlite.rs`.
//!
//! Read from the database as the app writes it (`shared/fixtures/aegis-importers/
//! stratum_internal.db`) and the schema Aegis's `AuthenticatorProImporter` reads. The
//! `authenticator` table has the backup's fields as columns (`stratum.rs` describes them):
//! `type` (1 HOTP, 2 TOTP, 3 mOTP, 4 Steam, 5 Yandex), `issuer`, `username`, `secret`
//! (Base32), `algorithm` (0 SHA-1, 1 SHA-256, 2 SHA-512), `digits`, `period`, `counter`.
//! Where the database has `category` (`id`, `name`) and `authenticatorcategory`
//! (`categoryId`, `authenticatorSecret`), an account's categories become its tags. Columns
//! are found by name in each table's `CREATE TABLE` statement; each account is checked by
//! the backup importer's own rules.
//!
//! Not read: a database encrypted by the app (SQLCipher: it has no SQLite header and is
//! not recognised). Dropped on import: icons and custom icons, ranking and copy counts,
//! mOTP and Yandex entries (their PINs; reported as problems). Categories whose tables
//! cannot be read are left out; the accounts are still read.

use std::collections::HashMap;

use zeroize::Zeroizing;

use super::entry::{self, EntryError, Number};
use super::sqlite::{self, Database, Row, TableInfo};
use super::stratum::{read_entry, Authenticator};
use super::{Contents, Format, ImportError};

pub struct StratumDb;

const NAME: &str = "Stratum (Authenticator Pro) database";
const TABLE: &str = "authenticator";
const COLUMNS: &[&str] = &["type", "issuer", "username", "secret", "algorithm"];

impl Format for StratumDb {
    fn name(&self) -> &'static str {
        NAME
    }

    fn id(&self) -> &'static str {
        "stratum-db"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        sqlite::table_with(bytes, TABLE, COLUMNS).is_some()
    }

    fn read(&self, bytes: &[u8], _password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let (db, table) = sqlite::table_with(bytes, TABLE, COLUMNS)
            .ok_or(ImportError::NotThisFormat { format: NAME })?;
        let categories = categories(&db);
        let mut tags_of: HashMap<&str, Vec<&str>> = HashMap::new();
        for (category, secret) in &categories.bindings {
            if let Some(name) = categories.names.get(category.as_str()) {
                tags_of.entry(secret.as_str()).or_default().push(name);
            }
        }
        sqlite::import_items(&db, &table, NAME, |row, item| {
            let authenticator = authenticator(&table, row);
            let issuer = authenticator.issuer.as_deref().unwrap_or("");
            let name = authenticator.username.as_deref().unwrap_or("");
            let read = match authenticator.kind {
                Some(_) => read_entry(&authenticator.entry, issuer, name, &tags_of),
                None => Err(EntryError::Malformed),
            };
            read.unwrap_or_else(|error| entry::problem(item, issuer, name, error))
        })
    }
}

/// A row as the backup importer's entry, and whether its type could be read at all.
struct Read {
    entry: Authenticator,
    kind: Option<u64>,
    issuer: Option<String>,
    username: Option<String>,
}

fn authenticator(table: &TableInfo, row: &Row) -> Read {
    let value = |column: &str| row.get(table.column(column));
    let text = |column: &str| value(column).text().map(str::to_owned);
    // A count the file gives as a negative number is no count: read as missing, which the
    // entry's checks then take as the default (digits, period) or refuse.
    let number = |column: &str| Number(value(column).integer().and_then(|n| u64::try_from(n).ok()));
    let kind = value("type").integer().and_then(|n| u64::try_from(n).ok());
    Read {
        entry: Authenticator {
            kind: kind.unwrap_or(0),
            issuer: None,
            username: None,
            secret: Zeroizing::new(value("secret").text().unwrap_or("").to_owned()),
            algorithm: value("algorithm")
                .integer()
                .map_or(0, |n| u64::try_from(n).unwrap_or(u64::MAX)),
            digits: number("digits"),
            period: number("period"),
            counter: number("counter"),
        },
        kind,
        issuer: text("issuer"),
        username: text("username"),
    }
}

/// Category id → name, and (category id, secret) pairs: empty when the tables are missing
/// or cannot be read.
#[derive(Default)]
struct Categories {
    names: HashMap<String, String>,
    bindings: Vec<(String, Zeroizing<String>)>,
}

fn categories(db: &Database<'_>) -> Categories {
    let mut found = Categories::default();
    let rows = |name: &str, columns: [&str; 2]| -> Vec<(String, Zeroizing<String>)> {
        let Ok(Some(table)) = db.table(name) else {
            return Vec::new();
        };
        let at = columns.map(|column| table.column(column));
        if at.iter().any(Option::is_none) {
            return Vec::new();
        }
        let Ok(rows) = db.rows(&table) else {
            return Vec::new();
        };
        rows.iter()
            .flatten()
            .filter_map(|row| {
                let first = row.get(at[0]).text()?;
                let second = row.get(at[1]).text()?;
                Some((first.to_owned(), Zeroizing::new(second.to_owned())))
            })
            .take(crate::import::MAX_ENTRIES)
            .collect()
    };
    for (id, name) in rows("category", ["id", "name"]) {
        found.names.entry(id).or_insert_with(|| name.to_string());
    }
    found.bindings = rows(
        "authenticatorcategory",
        ["categoryId", "authenticatorSecret"],
    );
    found
}

#[cfg(test)]
mod tests {
    use super::super::sqlite::testing::{database, Cell, Table};
    use super::super::{open_bytes, Cause, Item, Opened};
    use super::*;

    const SQL: &str = "CREATE TABLE \"authenticator\" (\n\"type\" integer ,\n\"icon\" varchar ,\n\"issuer\" varchar(32) ,\n\"username\" varchar(40) ,\n\"secret\" varchar primary key not null ,\n\"pin\" varchar ,\n\"algorithm\" integer ,\n\"digits\" integer ,\n\"period\" integer ,\n\"counter\" integer ,\n\"ranking\" integer )";

    fn row(
        kind: i64,
        issuer: &str,
        secret: &str,
        algorithm: i64,
        digits: i64,
        counter: i64,
    ) -> Vec<Cell> {
        vec![
            kind.into(),
            Cell::Null,
            issuer.into(),
            "me".into(),
            secret.into(),
            Cell::Null,
            algorithm.into(),
            digits.into(),
            30.into(),
            counter.into(),
            0.into(),
        ]
    }

    #[test]
    fn accounts_are_read_with_categories_as_tags() {
        let bytes = database(
            &[
                Table {
                    name: "authenticator",
                    sql: SQL,
                    rows: vec![
                        (1, row(2, "Good", "JBSWY3DPEHPK3PXP", 1, 7, 0)),
                        (2, row(1, "Counter", "GEZDGNBVGY3TQOJQ", 0, 6, 9)),
                        (3, row(5, "Yandex", "GEZDGNBVGY3TQOJQ", 0, 8, 0)),
                        (4, row(4, "Steam", "GEZDGNBVGY3TQOJR", 0, 5, 0)),
                        (5, row(2, "Odd", "GEZDGNBVGY3TQOJS", 7, 6, 0)),
                    ],
                },
                Table {
                    name: "category",
                    sql: "CREATE TABLE \"category\" (\"id\" varchar(8) primary key not null, \"name\" varchar(32), \"ranking\" integer)",
                    rows: vec![(1, vec!["c1".into(), "Work".into(), 0.into()])],
                },
                Table {
                    name: "authenticatorcategory",
                    sql: "CREATE TABLE \"authenticatorcategory\" (\"categoryId\" varchar, \"authenticatorSecret\" varchar, \"ranking\" integer)",
                    rows: vec![(1, vec!["c1".into(), "JBSWY3DPEHPK3PXP".into(), 0.into()])],
                },
            ],
            None,
        );
        let Ok(Opened::Read(contents)) = open_bytes(&bytes, None) else {
            panic!("not read");
        };
        let [Item::Account(good), Item::Account(counter), Item::Problem(yandex), Item::Account(steam), Item::Problem(odd)] =
            contents.items.as_slice()
        else {
            panic!("{contents:?}");
        };
        assert_eq!(good.tags, ["Work"]);
        assert_eq!((good.otp.digits, good.otp.kind.period()), (7, Some(30)));
        assert_eq!(counter.otp.kind.counter(), Some(9));
        assert!(counter.tags.is_empty());
        assert!(matches!(
            yandex.cause,
            Cause::InvalidEntry(EntryError::UnsupportedKind { .. })
        ));
        assert_eq!(steam.otp.kind.name(), "steam");
        assert_eq!(odd.issuer, "Odd");
    }

    #[test]
    fn without_category_tables_accounts_have_no_tags() {
        let bytes = database(
            &[Table {
                name: "authenticator",
                sql: SQL,
                rows: vec![(1, row(2, "Good", "JBSWY3DPEHPK3PXP", 0, 6, 0))],
            }],
            None,
        );
        let Ok(Opened::Read(contents)) = open_bytes(&bytes, None) else {
            panic!("not read");
        };
        assert!(
            matches!(contents.items.as_slice(), [Item::Account(a)] if a.tags.is_empty()),
            "{contents:?}"
        );
    }
}
