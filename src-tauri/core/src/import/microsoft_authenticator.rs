//! Microsoft Authenticator's internal database on Android (`databases/PhoneFactor`,
//! copied from a rooted phone): an SQLite file read with `sqlite.rs`.
//!
//! Read from the database as the app writes it (the `accounts` table of
//! `shared/fixtures/aegis-importers/microsoft_authenticator.sqlite`) and the schema Aegis's
//! `MicrosoftAuthImporter` reads: `name` (the issuer shown), `username`, `oath_secret_key`
//! (Base32) and `account_type`, 0 for a standard TOTP account (SHA-1, 6 digits, 30 s).
//! Columns are found by name in the table's `CREATE TABLE` statement.
//!
//! Not read: Microsoft's own work and personal accounts (`account_type` other than 0: sign-in
//! approvals and Microsoft's codes, each reported as a problem), and secrets the app keeps
//! only encrypted under the phone's keystore (`encrypted_oath_secret_key` with an empty
//! `oath_secret_key`: a problem, "no secret key"). Dropped on import: ordering, PINs,
//! tenant and cloud fields, and every other column.

use super::entry::{self, EntryError, Fields, Kind};
use super::sqlite::{self, Row, TableInfo};
use super::{Contents, Format, ImportError, Item};

pub struct MicrosoftAuthenticator;

const NAME: &str = "Microsoft Authenticator database";
const TABLE: &str = "accounts";
const COLUMNS: &[&str] = &["name", "username", "oath_secret_key", "account_type"];
/// `account_type` of a standard (OATH TOTP) account.
const TOTP: i64 = 0;

impl Format for MicrosoftAuthenticator {
    fn name(&self) -> &'static str {
        NAME
    }

    fn id(&self) -> &'static str {
        "microsoft-authenticator"
    }

    fn recognises(&self, bytes: &[u8]) -> bool {
        sqlite::table_with(bytes, TABLE, COLUMNS).is_some()
    }

    fn read(&self, bytes: &[u8], _password: Option<&[u8]>) -> Result<Contents, ImportError> {
        let (db, table) = sqlite::table_with(bytes, TABLE, COLUMNS)
            .ok_or(ImportError::NotThisFormat { format: NAME })?;
        sqlite::import_items(&db, &table, NAME, |row, item| {
            let text = |column: &str| row.get(table.column(column)).text().unwrap_or("");
            let (issuer, name) = (text("name"), text("username"));
            read_account(&table, row, issuer, name)
                .unwrap_or_else(|error| entry::problem(item, issuer, name, error))
        })
    }
}

fn read_account(
    table: &TableInfo,
    row: &Row,
    issuer: &str,
    name: &str,
) -> Result<Item, EntryError> {
    match row.get(table.column("account_type")).integer() {
        Some(TOTP) => {}
        _ => {
            return Err(EntryError::UnsupportedKind {
                kind: "Microsoft account".into(),
            })
        }
    }
    let fields = Fields {
        issuer,
        name,
        secret: row
            .get(table.column("oath_secret_key"))
            .text()
            .unwrap_or(""),
        ..Fields::default()
    };
    Ok(Item::Account(entry::account(Kind::Totp, &fields)?))
}

#[cfg(test)]
mod tests {
    use super::super::sqlite::testing::{database, Cell, Table};
    use super::super::{open_bytes, Cause, Opened};
    use super::*;

    #[test]
    fn totp_accounts_are_read_and_microsoft_ones_are_problems() {
        // Columns in another order than the app's: they are found by name.
        let sql = "CREATE TABLE `accounts` (`_id` INTEGER PRIMARY KEY AUTOINCREMENT, `account_type` INTEGER NOT NULL, `oath_secret_key` TEXT NOT NULL, `username` TEXT NOT NULL, `name` TEXT NOT NULL)";
        let row = |kind: i64, secret: &str, user: &str, name: &str| -> Vec<Cell> {
            vec![
                Cell::Null,
                kind.into(),
                secret.into(),
                user.into(),
                name.into(),
            ]
        };
        let bytes = database(
            &[Table {
                name: "accounts",
                sql,
                rows: vec![
                    (1, row(0, "JBSWY3DPEHPK3PXP", "me", "Site")),
                    (2, row(1, "c2VjcmV0", "me@outlook.com", "Microsoft")),
                    (3, row(0, "", "you", "Encrypted")),
                ],
            }],
            None,
        );
        let Ok(Opened::Read(contents)) = open_bytes(&bytes, None) else {
            panic!("not read");
        };
        let [Item::Account(site), Item::Problem(msa), Item::Problem(encrypted)] =
            contents.items.as_slice()
        else {
            panic!("{contents:?}");
        };
        assert_eq!((site.issuer.as_str(), site.name.as_str()), ("Site", "me"));
        assert_eq!((site.otp.digits, site.otp.kind.period()), (6, Some(30)));
        assert_eq!(msa.name, "me@outlook.com");
        assert!(matches!(
            msa.cause,
            Cause::InvalidEntry(EntryError::UnsupportedKind { .. })
        ));
        assert_eq!(
            encrypted.cause,
            Cause::InvalidEntry(EntryError::Missing("secret key"))
        );
    }
}
