//! A small read-only reader of SQLite database files, enough to take one table's rows out
//! of another authenticator app's internal database (Google Authenticator, Microsoft
//! Authenticator, Stratum). Pure Rust, no SQLite library: the files are hostile input.
//!
//! Written from SQLite's own description of its file format,
//! <https://www.sqlite.org/fileformat2.html>: the 100-byte header (page size, 1 meaning
//! 65 536; reserved bytes at the end of each page; text encoding), the schema table
//! `sqlite_master` on page 1 (each table's root page and `CREATE TABLE` statement, from
//! which the column names are read), table b-trees (interior pages 0x05, leaf pages 0x0D),
//! payloads spilling to overflow pages, and the record format (varints; serial types NULL,
//! 1-, 2-, 3-, 4-, 6- and 8-byte integers, 64-bit floats, the constants 0 and 1, blobs and
//! text). A column declared `INTEGER PRIMARY KEY` is the row id, stored as NULL in the
//! record: its value is taken from the row id.
//!
//! Not read: index b-trees and `WITHOUT ROWID` tables, column defaults (a row written
//! before an `ALTER TABLE … ADD COLUMN` reads NULL there), the free list. A database in WAL
//! mode is read from the main file only: changes still in its `-wal` file (not handed to
//! us) are not seen. The page count in the header is used when it is current (its change
//! counter is the file's): a shorter file is refused as cut short; otherwise the file's
//! length says how many pages there are.
//!
//! Bounded for hostile files: every page number is checked against the file, a walk
//! visits each page at most once (a page reached twice is an error, which also ends
//! cycles), b-trees deeper than [`MAX_DEPTH`], more than [`MAX_CELLS`] cells,
//! [`MAX_PAGES_VISITED`] pages or [`MAX_VALUES`] values in one walk, and records over
//! [`MAX_RECORD_BYTES`] are refused; a row keeps only as many values as its table has
//! columns. Nothing here panics on any input (fuzzed through the database importers).

use std::collections::HashSet;

use zeroize::Zeroizing;

use super::entry::{self, EntryError};
use super::{Contents, ImportError, Item, MAX_ENTRIES};

/// The first 16 bytes of every SQLite 3 database.
pub const MAGIC: &[u8] = b"SQLite format 3\0";
const HEADER_LEN: usize = 100;
const MIN_PAGE_SIZE: usize = 512;
const MAX_PAGE_SIZE: usize = 65_536;
/// SQLite refuses files whose usable page size (page size less reserved bytes) is below this.
const MIN_USABLE: usize = 480;
const LEAF_TABLE: u8 = 0x0d;
const INTERIOR_TABLE: u8 = 0x05;

/// Deepest table b-tree walked: SQLite itself gives up past 20 levels, and a real
/// authenticator's table is one or two levels deep.
pub const MAX_DEPTH: usize = 20;
/// Most cells (rows and child pointers) one walk reads: far above any authenticator's
/// table, it bounds the work a hostile file of tiny pages can ask for.
pub const MAX_CELLS: usize = 100_000;
/// Most pages one walk visits, overflow pages included.
pub const MAX_PAGES_VISITED: usize = 100_000;
/// Largest record read: an account row is a few hundred bytes; icons may be larger, but
/// not more than this.
pub const MAX_RECORD_BYTES: usize = 1024 * 1024;
/// Most columns a table or record may have (SQLite's own default limit).
pub const MAX_COLUMNS: usize = 2000;
/// Most values one walk keeps (rows × the columns kept of each): a hostile file of many
/// rows of many empty columns would otherwise cost memory far beyond its size.
pub const MAX_VALUES: usize = 1_000_000;
/// `sqlite_master`'s columns: type, name, tbl_name, rootpage, sql.
const SCHEMA_COLUMNS: usize = 5;

/// Why a database, a table or one row could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqliteError {
    /// No SQLite header.
    NotSqlite,
    /// A page size SQLite never writes, or reserved bytes leaving too little of a page.
    PageSize,
    /// A text encoding other than UTF-8 and UTF-16.
    Encoding,
    /// A page number outside the file.
    PageOutOfRange,
    /// A file shorter than the page count its header gives.
    CutShort,
    /// A page reached a second time in one walk.
    PageTwice,
    /// A b-tree deeper than [`MAX_DEPTH`].
    TooDeep,
    /// More than [`MAX_CELLS`] cells, [`MAX_PAGES_VISITED`] pages or [`MAX_VALUES`]
    /// values in one walk.
    TooLarge,
    /// A page of the table's b-tree that is not a table page.
    NotTablePage,
    /// A cell, record or overflow chain that does not fit where it says it is.
    Damaged,
    /// A record over [`MAX_RECORD_BYTES`].
    RecordTooLarge,
}

impl SqliteError {
    /// The reason, as a clause for [`super::ImportError::Damaged`].
    pub fn reason(self) -> &'static str {
        match self {
            SqliteError::NotSqlite => "it is not an SQLite database",
            SqliteError::PageSize => "its page size is not one SQLite writes",
            SqliteError::Encoding => "its text encoding is not one SQLite writes",
            SqliteError::PageOutOfRange => "a page number points past the end of the file",
            SqliteError::CutShort => "it is cut short (its header counts more pages than it holds)",
            SqliteError::PageTwice => "a page of its table is reached twice",
            SqliteError::TooDeep => "its table is nested deeper than SQLite builds tables",
            SqliteError::TooLarge => "its table has more rows or pages than Ringlet reads",
            SqliteError::NotTablePage => "a page of its table is not a table page",
            SqliteError::Damaged => "a row does not fit in its page",
            SqliteError::RecordTooLarge => "a row is larger than Ringlet reads",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
}

/// One value of a row. Text and blobs are wiped when dropped: they may be secrets.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(Zeroizing<String>),
    Blob(Zeroizing<Vec<u8>>),
}

impl Value {
    /// The text, or `None` for any other kind of value.
    pub fn text(&self) -> Option<&str> {
        match self {
            Value::Text(text) => Some(text),
            _ => None,
        }
    }

    /// A whole number: an integer, a float with no fraction, or text holding one.
    pub fn integer(&self) -> Option<i64> {
        match self {
            Value::Integer(n) => Some(*n),
            Value::Real(f) if f.fract() == 0.0 && f.abs() < 9.0e18 => Some(*f as i64),
            Value::Text(text) => text.trim().parse().ok(),
            _ => None,
        }
    }
}

static NULL: Value = Value::Null;

/// One column of a table, from its `CREATE TABLE` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    /// `INTEGER PRIMARY KEY`: the row id under a name.
    rowid: bool,
}

/// A table of the schema: its name, root page and columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableInfo {
    pub name: String,
    root: u32,
    pub columns: Vec<Column>,
}

impl TableInfo {
    /// The place of the column named `name` (ASCII case ignored, as SQLite does).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|column| column.name.eq_ignore_ascii_case(name))
    }
}

/// One row: its values in the table's column order (NULL for columns the record does not
/// reach).
#[derive(Debug, Clone, PartialEq)]
pub struct Row(Vec<Value>);

impl Row {
    /// The value of the column at `column` ([`TableInfo::column`]); NULL when `None`.
    pub fn get(&self, column: Option<usize>) -> &Value {
        column.and_then(|at| self.0.get(at)).unwrap_or(&NULL)
    }
}

/// An opened database file.
pub struct Database<'a> {
    bytes: &'a [u8],
    page_size: usize,
    usable: usize,
    pages: usize,
    encoding: Encoding,
}

impl<'a> Database<'a> {
    /// Checks the header of `bytes`; nothing else is read yet.
    pub fn open(bytes: &'a [u8]) -> Result<Database<'a>, SqliteError> {
        if bytes.len() < HEADER_LEN || !bytes.starts_with(MAGIC) {
            return Err(SqliteError::NotSqlite);
        }
        let page_size = match u16_at(bytes, 16).ok_or(SqliteError::NotSqlite)? {
            1 => MAX_PAGE_SIZE,
            size => usize::from(size),
        };
        if !(MIN_PAGE_SIZE..=MAX_PAGE_SIZE).contains(&page_size) || !page_size.is_power_of_two() {
            return Err(SqliteError::PageSize);
        }
        let reserved = usize::from(*bytes.get(20).ok_or(SqliteError::NotSqlite)?);
        let usable = page_size - reserved;
        if usable < MIN_USABLE {
            return Err(SqliteError::PageSize);
        }
        let encoding = match u32_at(bytes, 56).ok_or(SqliteError::NotSqlite)? {
            // 0: a database with nothing in it yet.
            0 | 1 => Encoding::Utf8,
            2 => Encoding::Utf16Le,
            3 => Encoding::Utf16Be,
            _ => return Err(SqliteError::Encoding),
        };
        let mut pages = bytes.len() / page_size;
        if pages == 0 {
            return Err(SqliteError::PageOutOfRange);
        }
        // The page count in the header holds when the change counter it was written with
        // is the file's (older writers left it stale); a file shorter than that count was
        // cut short (a copy stopped early), and pages after it are not the database's.
        let counted = u32_at(bytes, 28).ok_or(SqliteError::NotSqlite)?;
        if counted != 0 && u32_at(bytes, 24) == u32_at(bytes, 92) {
            let counted = usize::try_from(counted).map_err(|_| SqliteError::CutShort)?;
            if counted > pages {
                return Err(SqliteError::CutShort);
            }
            pages = counted;
        }
        Ok(Database {
            bytes,
            page_size,
            usable,
            pages,
            encoding,
        })
    }

    /// The table named `name` (ASCII case ignored), if the schema has it.
    pub fn table(&self, name: &str) -> Result<Option<TableInfo>, SqliteError> {
        Ok(self.schema(Some(name))?.into_iter().next())
    }

    /// The tables of the schema (`sqlite_master`) whose statement could be read, only
    /// those named `only` when given (other tables' statements are not parsed); a row of
    /// the schema that cannot be read is left out.
    fn schema(&self, only: Option<&str>) -> Result<Vec<TableInfo>, SqliteError> {
        let mut tables = Vec::new();
        for row in self.walk(1, SCHEMA_COLUMNS)? {
            let Ok((_, record)) = row else { continue };
            let row = Row(record);
            if row.get(Some(0)).text() != Some("table") {
                continue;
            }
            let (Some(name), Some(root), Some(sql)) = (
                row.get(Some(1)).text(),
                row.get(Some(3)).integer(),
                row.get(Some(4)).text(),
            ) else {
                continue;
            };
            if only.is_some_and(|only| !name.eq_ignore_ascii_case(only)) {
                continue;
            }
            let (Ok(root), Some(columns)) = (u32::try_from(root), columns(sql)) else {
                continue;
            };
            tables.push(TableInfo {
                name: name.to_owned(),
                root,
                columns,
            });
        }
        Ok(tables)
    }

    /// Every row of `table`, in row-id order; a row that cannot be read is its error.
    pub fn rows(&self, table: &TableInfo) -> Result<Vec<Result<Row, SqliteError>>, SqliteError> {
        let rowid_at = table.columns.iter().position(|column| column.rowid);
        Ok(self
            .walk(table.root, table.columns.len())?
            .into_iter()
            .map(|row| {
                let (rowid, mut values) = row?;
                if values.len() < table.columns.len() {
                    values.resize(table.columns.len(), Value::Null);
                }
                if let Some(at) = rowid_at {
                    values[at] = Value::Integer(rowid);
                }
                Ok(Row(values))
            })
            .collect())
    }

    /// The bytes of page `number` (1-based), whole.
    fn page(&self, number: u32) -> Result<&'a [u8], SqliteError> {
        let index = usize::try_from(number)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .filter(|&index| index < self.pages)
            .ok_or(SqliteError::PageOutOfRange)?;
        let start = index * self.page_size;
        self.bytes
            .get(start..start + self.page_size)
            .ok_or(SqliteError::PageOutOfRange)
    }

    /// The rows of the table b-tree rooted at `root`: (row id, the first `columns` values)
    /// or the row's error.
    fn walk(&self, root: u32, columns: usize) -> Result<Vec<RawRow>, SqliteError> {
        let mut walk = Walk {
            db: self,
            visited: HashSet::new(),
            cells: 0,
            columns,
            values: 0,
            rows: Vec::new(),
        };
        walk.table_page(root, 0)?;
        Ok(walk.rows)
    }
}

type RawRow = Result<(i64, Vec<Value>), SqliteError>;

/// One walk of a b-tree: the pages seen, the cells counted, the values a row keeps and
/// those kept so far, the rows found.
struct Walk<'d, 'a> {
    db: &'d Database<'a>,
    visited: HashSet<u32>,
    cells: usize,
    columns: usize,
    values: usize,
    rows: Vec<RawRow>,
}

impl<'a> Walk<'_, 'a> {
    /// Page `number`, marked seen: a page seen before is [`SqliteError::PageTwice`].
    fn visit(&mut self, number: u32) -> Result<&'a [u8], SqliteError> {
        if self.visited.len() >= MAX_PAGES_VISITED {
            return Err(SqliteError::TooLarge);
        }
        let page = self.db.page(number)?;
        if !self.visited.insert(number) {
            return Err(SqliteError::PageTwice);
        }
        // Only the usable part: the reserved bytes at the end belong to extensions.
        page.get(..self.db.usable).ok_or(SqliteError::Damaged)
    }

    fn table_page(&mut self, number: u32, depth: usize) -> Result<(), SqliteError> {
        if depth > MAX_DEPTH {
            return Err(SqliteError::TooDeep);
        }
        let page = self.visit(number)?;
        // Page 1 starts with the file header.
        let at = if number == 1 { HEADER_LEN } else { 0 };
        let kind = *page.get(at).ok_or(SqliteError::Damaged)?;
        let count = usize::from(u16_at(page, at + 3).ok_or(SqliteError::Damaged)?);
        let (pointers, right) = match kind {
            LEAF_TABLE => (at + 8, None),
            INTERIOR_TABLE => (
                at + 12,
                Some(u32_at(page, at + 8).ok_or(SqliteError::Damaged)?),
            ),
            _ => return Err(SqliteError::NotTablePage),
        };
        if pointers + 2 * count > page.len() {
            return Err(SqliteError::Damaged);
        }
        self.cells += count;
        if self.cells > MAX_CELLS {
            return Err(SqliteError::TooLarge);
        }
        for index in 0..count {
            let cell = usize::from(u16_at(page, pointers + 2 * index).ok_or(SqliteError::Damaged)?);
            let cell = page.get(cell..).ok_or(SqliteError::Damaged)?;
            if kind == LEAF_TABLE {
                let row = self.leaf_cell(cell);
                // Past a walk's bounds the walk ends; other errors are the row's own.
                if let Err(SqliteError::TooLarge) = row {
                    return Err(SqliteError::TooLarge);
                }
                self.rows.push(row);
            } else {
                let child = u32_at(cell, 0).ok_or(SqliteError::Damaged)?;
                self.table_page(child, depth + 1)?;
            }
        }
        if let Some(right) = right {
            self.table_page(right, depth + 1)?;
        }
        Ok(())
    }

    /// A leaf cell: payload size, row id, the payload's first part, then its overflow pages.
    fn leaf_cell(&mut self, cell: &[u8]) -> RawRow {
        let (size, used) = varint(cell).ok_or(SqliteError::Damaged)?;
        let (rowid, more) =
            varint(cell.get(used..).ok_or(SqliteError::Damaged)?).ok_or(SqliteError::Damaged)?;
        let size = usize::try_from(size)
            .ok()
            .filter(|&size| size <= MAX_RECORD_BYTES)
            .ok_or(SqliteError::RecordTooLarge)?;
        let start = used + more;
        let local = self.local_size(size);
        let here = cell.get(start..start + local).ok_or(SqliteError::Damaged)?;
        // Grown as bytes are found, never to the declared size up front: a hostile size
        // would otherwise cost an allocation (and its wiping) per row.
        let mut payload = Zeroizing::new(Vec::new());
        payload.extend_from_slice(here);
        if local < size {
            let mut next = u32_at(cell, start + local).ok_or(SqliteError::Damaged)?;
            while payload.len() < size {
                let page = self.visit(next)?;
                next = u32_at(page, 0).ok_or(SqliteError::Damaged)?;
                let take = (size - payload.len()).min(page.len() - 4);
                payload.extend_from_slice(page.get(4..4 + take).ok_or(SqliteError::Damaged)?);
            }
        }
        // The row id is a signed 64-bit integer stored as its two's complement.
        let values = record(&payload, self.db.encoding, self.columns)?;
        self.values += values.len();
        if self.values > MAX_VALUES {
            return Err(SqliteError::TooLarge);
        }
        Ok((rowid as i64, values))
    }

    /// How much of a payload of `size` bytes a table leaf cell keeps on its own page.
    fn local_size(&self, size: usize) -> usize {
        let usable = self.db.usable;
        let max_local = usable - 35;
        if size <= max_local {
            return size;
        }
        let min_local = (usable - 12) * 32 / 255 - 23;
        let local = min_local + (size - min_local) % (usable - 4);
        if local <= max_local {
            local
        } else {
            min_local
        }
    }
}

/// A record's values, its first `keep` only: a header of serial types, then the values
/// they describe.
fn record(payload: &[u8], encoding: Encoding, keep: usize) -> Result<Vec<Value>, SqliteError> {
    let (header_len, mut at) = varint(payload).ok_or(SqliteError::Damaged)?;
    let header_len = usize::try_from(header_len)
        .ok()
        .filter(|&len| len >= at && len <= payload.len())
        .ok_or(SqliteError::Damaged)?;
    let mut body = header_len;
    let mut values = Vec::new();
    while at < header_len && values.len() < keep {
        if values.len() == MAX_COLUMNS {
            return Err(SqliteError::Damaged);
        }
        let (serial, used) = varint(&payload[at..header_len]).ok_or(SqliteError::Damaged)?;
        at += used;
        let size = serial_size(serial).ok_or(SqliteError::Damaged)?;
        let end = body.checked_add(size).ok_or(SqliteError::Damaged)?;
        let field = payload.get(body..end).ok_or(SqliteError::Damaged)?;
        body = end;
        values.push(value(serial, field, encoding));
    }
    Ok(values)
}

/// The size in bytes of a value of serial type `serial`; `None` for the reserved 10 and 11.
fn serial_size(serial: u64) -> Option<usize> {
    match serial {
        0 | 8 | 9 => Some(0),
        1..=4 => usize::try_from(serial).ok(),
        5 => Some(6),
        6 | 7 => Some(8),
        10 | 11 => None,
        _ => usize::try_from((serial - 12) / 2).ok(),
    }
}

fn value(serial: u64, field: &[u8], encoding: Encoding) -> Value {
    match serial {
        0 => Value::Null,
        1..=6 => Value::Integer(signed(field)),
        7 => Value::Real(f64::from_be_bytes(field.try_into().unwrap_or([0; 8]))),
        8 => Value::Integer(0),
        9 => Value::Integer(1),
        _ if serial.is_multiple_of(2) => Value::Blob(Zeroizing::new(field.to_vec())),
        _ => Value::Text(Zeroizing::new(text(field, encoding))),
    }
}

/// A big-endian two's-complement integer of 1 to 8 bytes.
fn signed(bytes: &[u8]) -> i64 {
    let mut iter = bytes.iter();
    let first = iter.next().map_or(0, |&byte| i64::from(byte as i8));
    iter.fold(first, |value, &byte| (value << 8) | i64::from(byte))
}

fn text(bytes: &[u8], encoding: Encoding) -> String {
    let units = |to_unit: fn([u8; 2]) -> u16| {
        let units = bytes
            .chunks_exact(2)
            .map(|pair| to_unit([pair[0], pair[1]]));
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect()
    };
    match encoding {
        Encoding::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
        Encoding::Utf16Le => units(u16::from_le_bytes),
        Encoding::Utf16Be => units(u16::from_be_bytes),
    }
}

/// SQLite's variable-length integer: 1 to 9 bytes, seven bits a byte big-endian with the
/// high bit saying more follows, the ninth byte giving all eight. With the bytes it took.
fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for index in 0..9 {
        let byte = *bytes.get(index)?;
        if index == 8 {
            return Some(((value << 8) | u64::from(byte), 9));
        }
        value = (value << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Some((value, index + 1));
        }
    }
    None
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(
        bytes.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(
        bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// The columns a `CREATE TABLE name (…)` statement declares, in order; `None` when it
/// declares none (`CREATE TABLE … AS SELECT`) or more than [`MAX_COLUMNS`].
fn columns(sql: &str) -> Option<Vec<Column>> {
    let tokens = tokens(sql);
    let open = tokens.iter().position(|token| token.is_punct('('))?;
    let mut columns = Vec::new();
    let mut integer_keys: Vec<String> = Vec::new();
    let mut depth = 0usize;
    let mut definition: Vec<&Token> = Vec::new();
    for token in &tokens[open + 1..] {
        let end = depth == 0 && (token.is_punct(',') || token.is_punct(')'));
        if end {
            define(&definition, &mut columns, &mut integer_keys);
            definition.clear();
            if token.is_punct(')') {
                break;
            }
            continue;
        }
        if token.is_punct('(') {
            depth += 1;
        } else if token.is_punct(')') {
            depth = depth.saturating_sub(1);
        }
        definition.push(token);
        if columns.len() > MAX_COLUMNS {
            return None;
        }
    }
    // `PRIMARY KEY (id)` as a table constraint makes an INTEGER column the row id too.
    if let [key] = integer_keys.as_slice() {
        if let Some(column) = columns
            .iter_mut()
            .find(|column| column.0.name.eq_ignore_ascii_case(key) && column.1)
        {
            column.0.rowid = true;
        }
    }
    let columns: Vec<Column> = columns.into_iter().map(|(column, _)| column).collect();
    (!columns.is_empty() && columns.len() <= MAX_COLUMNS).then_some(columns)
}

/// Words that start a table constraint rather than a column.
const TABLE_CONSTRAINTS: &[&str] = &["constraint", "primary", "unique", "check", "foreign"];
/// Words that end a column's type and start its constraints.
const COLUMN_CONSTRAINTS: &[&str] = &[
    "constraint",
    "primary",
    "not",
    "null",
    "unique",
    "check",
    "default",
    "collate",
    "references",
    "generated",
    "as",
];

/// One definition between the commas of `CREATE TABLE (…)`: a column (with whether its
/// type is exactly INTEGER), or a table constraint (its `PRIMARY KEY` columns noted).
fn define(definition: &[&Token], columns: &mut Vec<(Column, bool)>, keys: &mut Vec<String>) {
    let Some((first, rest)) = definition.split_first() else {
        return;
    };
    if first.is_word_in(TABLE_CONSTRAINTS) {
        let primary = definition
            .windows(2)
            .any(|pair| pair[0].is_word("primary") && pair[1].is_word("key"));
        if primary {
            keys.extend(
                definition
                    .iter()
                    .skip_while(|token| !token.is_punct('('))
                    .skip(1)
                    .take_while(|token| !token.is_punct(')'))
                    .filter(|token| token.name().is_some() && !token.is_word_in(&["asc", "desc"]))
                    .filter_map(|token| token.name().map(str::to_owned)),
            );
        }
        return;
    }
    let Some(name) = first.name() else { return };
    let type_words: Vec<&&Token> = rest
        .iter()
        .take_while(|token| !token.is_word_in(COLUMN_CONSTRAINTS))
        .collect();
    let integer = matches!(type_words.as_slice(), [word] if word.is_word("integer"));
    let primary = rest
        .windows(2)
        .any(|pair| pair[0].is_word("primary") && pair[1].is_word("key"));
    let descending = rest.iter().any(|token| token.is_word("desc"));
    columns.push((
        Column {
            name: name.to_owned(),
            // SQLite's quirk: `INTEGER PRIMARY KEY DESC` is not the row id.
            rowid: integer && primary && !descending,
        },
        integer,
    ));
}

#[derive(Debug)]
enum Token {
    /// A bare word (keyword or name).
    Word(String),
    /// A name in "…", `…` or […], or a string in '…' (SQLite takes it as a name where one
    /// is expected).
    Quoted(String),
    Punct(char),
}

impl Token {
    fn is_punct(&self, c: char) -> bool {
        matches!(self, Token::Punct(p) if *p == c)
    }

    fn is_word(&self, keyword: &str) -> bool {
        matches!(self, Token::Word(word) if word.eq_ignore_ascii_case(keyword))
    }

    fn is_word_in(&self, keywords: &[&str]) -> bool {
        keywords.iter().any(|keyword| self.is_word(keyword))
    }

    fn name(&self) -> Option<&str> {
        match self {
            Token::Word(name) | Token::Quoted(name) => Some(name),
            Token::Punct(_) => None,
        }
    }
}

/// `sql` as words, quoted names and punctuation; comments dropped.
fn tokens(sql: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '-' if chars.peek() == Some(&'-') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut star = false;
                for c in chars.by_ref() {
                    if star && c == '/' {
                        break;
                    }
                    star = c == '*';
                }
            }
            '"' | '`' | '\'' | '[' => {
                let close = if c == '[' { ']' } else { c };
                let mut name = String::new();
                while let Some(c) = chars.next() {
                    if c == close {
                        // A doubled quote is the quote itself ("a""b"), except in […].
                        if close != ']' && chars.peek() == Some(&close) {
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    name.push(c);
                }
                tokens.push(Token::Quoted(name));
            }
            c if c.is_alphanumeric() || c == '_' || c == '$' => {
                let mut word = String::from(c);
                while let Some(&c) = chars.peek() {
                    if !(c.is_alphanumeric() || c == '_' || c == '$') {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                tokens.push(Token::Word(word));
            }
            c => tokens.push(Token::Punct(c)),
        }
    }
    tokens
}

/// Why `bytes`, which begin as an SQLite database, cannot be read as one (its header or its
/// schema); `None` for anything else, a readable database included. No importer recognises
/// such a file (they look for their table), so this names the damage instead of "not
/// recognised".
pub fn damage(bytes: &[u8]) -> Option<SqliteError> {
    if !bytes.starts_with(MAGIC) {
        return None;
    }
    if bytes.len() < HEADER_LEN {
        return Some(SqliteError::CutShort);
    }
    match Database::open(bytes) {
        Err(error) => Some(error),
        Ok(db) => db.schema(None).err(),
    }
}

/// For the importers: the table `name` of the database `bytes`, when it has every column
/// of `columns`. What their recognisers look for: the header and the schema, no row.
pub fn table_with<'a>(
    bytes: &'a [u8],
    name: &str,
    columns: &[&str],
) -> Option<(Database<'a>, TableInfo)> {
    let db = Database::open(bytes).ok()?;
    let table = db.table(name).ok()??;
    columns
        .iter()
        .all(|column| table.column(column).is_some())
        .then_some((db, table))
}

/// For the importers: the rows of `table`, a file that cannot be walked an
/// [`ImportError`] of `format`; more than [`MAX_ENTRIES`] rows is refused.
/// Every row of `table` as one import item: `read(row, item number)` for a row that
/// decodes, a malformed-entry problem for one that does not (one bad row never fails the
/// file).
pub fn import_items(
    db: &Database<'_>,
    table: &TableInfo,
    format: &'static str,
    mut read: impl FnMut(&Row, usize) -> Item,
) -> Result<Contents, ImportError> {
    let mut contents = Contents::default();
    for (index, row) in import_rows(db, table, format)?.iter().enumerate() {
        let item = index + 1;
        contents.items.push(match row {
            Ok(row) => read(row, item),
            Err(_) => entry::problem(item, "", "", EntryError::Malformed),
        });
    }
    Ok(contents)
}

fn import_rows(
    db: &Database<'_>,
    table: &TableInfo,
    format: &'static str,
) -> Result<Vec<Result<Row, SqliteError>>, ImportError> {
    let rows = db.rows(table).map_err(|error| match error {
        SqliteError::TooLarge => ImportError::TooManyEntries,
        error => ImportError::Damaged {
            format,
            reason: error.reason(),
        },
    })?;
    if rows.len() > MAX_ENTRIES {
        return Err(ImportError::TooManyEntries);
    }
    Ok(rows)
}

#[cfg(test)]
pub mod testing {
    //! Writing small SQLite files for tests, independently of the reader: one table b-tree
    //! per table, leaf pages only (or, when asked, one interior page over several leaves),
    //! overflow pages for long rows.

    /// A value to write.
    #[derive(Clone, Debug)]
    pub enum Cell {
        Null,
        Int(i64),
        Real(f64),
        Text(String),
        Blob(Vec<u8>),
    }

    impl From<&str> for Cell {
        fn from(text: &str) -> Cell {
            Cell::Text(text.to_owned())
        }
    }

    impl From<i64> for Cell {
        fn from(n: i64) -> Cell {
            Cell::Int(n)
        }
    }

    pub fn varint(mut value: u64) -> Vec<u8> {
        if value > 0x00ff_ffff_ffff_ffff {
            let mut out = Vec::new();
            let last = value as u8;
            value >>= 8;
            let mut groups = Vec::new();
            for _ in 0..8 {
                groups.push((value & 0x7f) as u8);
                value >>= 7;
            }
            for group in groups.iter().rev() {
                out.push(group | 0x80);
            }
            out.push(last);
            return out;
        }
        let mut groups = vec![(value & 0x7f) as u8];
        value >>= 7;
        while value > 0 {
            groups.push((value & 0x7f) as u8 | 0x80);
            value >>= 7;
        }
        groups.reverse();
        groups
    }

    pub fn record(values: &[Cell]) -> Vec<u8> {
        let mut header = Vec::new();
        let mut body = Vec::new();
        for value in values {
            match value {
                Cell::Null => header.push(0),
                Cell::Int(0) => header.push(8),
                Cell::Int(1) => header.push(9),
                Cell::Int(n) => {
                    let n = *n;
                    let (serial, len) = if i8::try_from(n).is_ok() {
                        (1, 1)
                    } else if i16::try_from(n).is_ok() {
                        (2, 2)
                    } else if (-(1 << 23)..(1 << 23)).contains(&n) {
                        (3, 3)
                    } else if i32::try_from(n).is_ok() {
                        (4, 4)
                    } else if (-(1 << 47)..(1 << 47)).contains(&n) {
                        (5, 6)
                    } else {
                        (6, 8)
                    };
                    header.push(serial);
                    body.extend_from_slice(&n.to_be_bytes()[8 - len..]);
                }
                Cell::Real(f) => {
                    header.push(7);
                    body.extend_from_slice(&f.to_be_bytes());
                }
                Cell::Text(text) => {
                    header.extend(varint(text.len() as u64 * 2 + 13));
                    body.extend_from_slice(text.as_bytes());
                }
                Cell::Blob(blob) => {
                    header.extend(varint(blob.len() as u64 * 2 + 12));
                    body.extend_from_slice(blob);
                }
            }
        }
        // The header's size counts itself (one byte here: headers stay under 127 bytes).
        let mut out = varint(header.len() as u64 + 1);
        out.extend(header);
        out.extend(body);
        out
    }

    /// A table to write: its `CREATE TABLE` statement and rows (row id, values).
    pub struct Table<'a> {
        pub name: &'a str,
        pub sql: &'a str,
        pub rows: Vec<(i64, Vec<Cell>)>,
    }

    /// The page size of the files written.
    pub const PAGE: usize = 1024;

    /// A database of `tables`, [`PAGE`]-byte pages; `split` rows a leaf when given (an interior
    /// page over the leaves), else one leaf a table.
    pub fn database(tables: &[Table<'_>], split: Option<usize>) -> Vec<u8> {
        let mut pages: Vec<Vec<u8>> = vec![Vec::new()];
        let mut schema = Vec::new();
        for (index, table) in tables.iter().enumerate() {
            let root = write_tree(&mut pages, &table.rows, split);
            schema.push((
                index as i64 + 1,
                vec![
                    Cell::from("table"),
                    Cell::from(table.name),
                    Cell::from(table.name),
                    Cell::Int(root as i64),
                    Cell::from(table.sql),
                ],
            ));
        }
        pages[0] = leaf(&schema, &mut pages, 100);
        let mut header = Vec::from(&b"SQLite format 3\0"[..]);
        header.extend_from_slice(&(PAGE as u16).to_be_bytes());
        header.extend_from_slice(&[1, 1, 0, 64, 32, 32]);
        header.resize(100, 0);
        header[28..32].copy_from_slice(&(pages.len() as u32).to_be_bytes());
        header[44..48].copy_from_slice(&4u32.to_be_bytes());
        header[56..60].copy_from_slice(&1u32.to_be_bytes());
        pages[0][..100].copy_from_slice(&header);
        pages.concat()
    }

    fn write_tree(
        pages: &mut Vec<Vec<u8>>,
        rows: &[(i64, Vec<Cell>)],
        split: Option<usize>,
    ) -> u32 {
        let Some(per_leaf) = split else {
            pages.push(Vec::new());
            let at = pages.len() - 1;
            pages[at] = leaf(rows, pages, 0);
            return at as u32 + 1;
        };
        pages.push(Vec::new());
        let interior_at = pages.len() - 1;
        let mut children = Vec::new();
        for chunk in rows.chunks(per_leaf.max(1)) {
            pages.push(Vec::new());
            let at = pages.len() - 1;
            pages[at] = leaf(chunk, pages, 0);
            children.push((at as u32 + 1, chunk.last().map_or(0, |row| row.0)));
        }
        let Some((right, _)) = children.pop() else {
            pages[interior_at] = leaf(&[], pages, 0);
            return interior_at as u32 + 1;
        };
        let mut page = vec![0u8; PAGE];
        page[0] = 0x05;
        page[3..5].copy_from_slice(&(children.len() as u16).to_be_bytes());
        page[8..12].copy_from_slice(&right.to_be_bytes());
        let mut end = PAGE;
        for (index, (child, key)) in children.iter().enumerate() {
            let mut cell = child.to_be_bytes().to_vec();
            cell.extend(varint(*key as u64));
            end -= cell.len();
            page[end..end + cell.len()].copy_from_slice(&cell);
            page[12 + 2 * index..14 + 2 * index].copy_from_slice(&(end as u16).to_be_bytes());
        }
        page[5..7].copy_from_slice(&(end as u16).to_be_bytes());
        pages[interior_at] = page;
        interior_at as u32 + 1
    }

    /// A leaf page of `rows` whose header starts at `at`; long payloads go to overflow
    /// pages pushed onto `pages`.
    fn leaf(rows: &[(i64, Vec<Cell>)], pages: &mut Vec<Vec<u8>>, at: usize) -> Vec<u8> {
        let usable = PAGE;
        let mut page = vec![0u8; PAGE];
        page[at] = 0x0d;
        page[at + 3..at + 5].copy_from_slice(&(rows.len() as u16).to_be_bytes());
        let mut end = PAGE;
        for (index, (rowid, values)) in rows.iter().enumerate() {
            let payload = record(values);
            let mut cell = varint(payload.len() as u64);
            cell.extend(varint(*rowid as u64));
            let max_local = usable - 35;
            if payload.len() <= max_local {
                cell.extend_from_slice(&payload);
            } else {
                let min_local = (usable - 12) * 32 / 255 - 23;
                let k = min_local + (payload.len() - min_local) % (usable - 4);
                let local = if k <= max_local { k } else { min_local };
                cell.extend_from_slice(&payload[..local]);
                let first = pages.len() as u32 + 1;
                cell.extend_from_slice(&first.to_be_bytes());
                let chunks: Vec<&[u8]> = payload[local..].chunks(usable - 4).collect();
                for (n, chunk) in chunks.iter().enumerate() {
                    let mut overflow = vec![0u8; PAGE];
                    let next = if n + 1 < chunks.len() {
                        pages.len() as u32 + 2
                    } else {
                        0
                    };
                    overflow[..4].copy_from_slice(&next.to_be_bytes());
                    overflow[4..4 + chunk.len()].copy_from_slice(chunk);
                    pages.push(overflow);
                }
            }
            end -= cell.len();
            page[end..end + cell.len()].copy_from_slice(&cell);
            let pointer = at + 8 + 2 * index;
            page[pointer..pointer + 2].copy_from_slice(&(end as u16).to_be_bytes());
        }
        page[at + 5..at + 7].copy_from_slice(&(end as u16).to_be_bytes());
        page
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{database, Cell, Table};
    use super::*;

    const SQL: &str = "CREATE TABLE accounts (_id INTEGER PRIMARY KEY, \"name\" TEXT NOT NULL, [secret] varchar(32) DEFAULT 'x,y', n integer, f REAL, b BLOB)";

    fn rows(count: i64) -> Vec<(i64, Vec<Cell>)> {
        (1..=count)
            .map(|id| {
                (
                    id,
                    vec![
                        Cell::Null,
                        Cell::Text(format!("name {id}")),
                        Cell::from("JBSWY3DPEHPK3PXP"),
                        Cell::Int(id * 1_000_003 - 70_000),
                        Cell::Real(0.5),
                        Cell::Blob(vec![1, 2, 3]),
                    ],
                )
            })
            .collect()
    }

    fn read_all(bytes: &[u8]) -> Result<Vec<Row>, SqliteError> {
        let db = Database::open(bytes)?;
        let table = db.table("ACCOUNTS")?.ok_or(SqliteError::Damaged)?;
        db.rows(&table)?.into_iter().collect()
    }

    #[test]
    fn columns_come_from_the_create_statement() {
        let found = columns(SQL).unwrap_or_default();
        let names: Vec<&str> = found.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["_id", "name", "secret", "n", "f", "b"]);
        assert!(found[0].rowid && !found[3].rowid);
        let table_key = columns(
            "CREATE TABLE t (-- a comment, with a comma\n id integer, v text, /* x, y */ PRIMARY KEY (id))",
        )
        .unwrap_or_default();
        assert_eq!(table_key.len(), 2);
        assert!(table_key[0].rowid);
        let not_rowid = columns("CREATE TABLE t (id INT PRIMARY KEY, k INTEGER PRIMARY KEY DESC)")
            .unwrap_or_default();
        assert!(not_rowid.iter().all(|c| !c.rowid));
        assert_eq!(columns("CREATE TABLE t AS SELECT 1"), None);
    }

    #[test]
    fn rows_read_back_with_the_row_id_in_its_column() {
        let bytes = database(
            &[Table {
                name: "accounts",
                sql: SQL,
                rows: rows(3),
            }],
            None,
        );
        let rows = read_all(&bytes).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(rows.len(), 3);
        let db = Database::open(&bytes).unwrap_or_else(|e| panic!("{e:?}"));
        let Ok(Some(table)) = db.table("accounts") else {
            panic!("no table");
        };
        let row = &rows[2];
        assert_eq!(row.get(table.column("_ID")), &Value::Integer(3));
        assert_eq!(row.get(table.column("name")).text(), Some("name 3"));
        assert_eq!(
            row.get(table.column("n")).integer(),
            Some(3_000_009 - 70_000)
        );
        assert_eq!(row.get(table.column("f")), &Value::Real(0.5));
        assert_eq!(row.get(table.column("missing")), &Value::Null);
    }

    #[test]
    fn every_integer_size_reads_back() {
        for n in [
            0,
            1,
            -1,
            127,
            -128,
            300,
            -40_000,
            8_000_000,
            -2_000_000_000,
            1 << 40,
            -(1 << 46),
            i64::MAX,
            i64::MIN,
        ] {
            let encoded = testing::record(&[Cell::Int(n)]);
            assert_eq!(
                record(&encoded, Encoding::Utf8, MAX_COLUMNS),
                Ok(vec![Value::Integer(n)]),
                "{n}"
            );
        }
        for n in [0, 1, 127, 128, 16_383, 16_384, u64::MAX >> 8, u64::MAX] {
            let encoded = testing::varint(n);
            assert_eq!(varint(&encoded), Some((n, encoded.len())), "{n}");
        }
    }

    #[test]
    fn a_row_keeps_only_as_many_values_as_its_table_has_columns() {
        let encoded = testing::record(&[Cell::Int(5), Cell::from("x"), Cell::Null]);
        assert_eq!(
            record(&encoded, Encoding::Utf8, 1),
            Ok(vec![Value::Integer(5)])
        );
    }

    #[test]
    fn interior_pages_and_overflow_pages_are_followed() {
        let mut many = rows(40);
        many[5].1[2] = Cell::Text("A".repeat(3080));
        let bytes = database(
            &[Table {
                name: "accounts",
                sql: SQL,
                rows: many,
            }],
            Some(4),
        );
        let rows = read_all(&bytes).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(rows.len(), 40);
        assert_eq!(rows[5].get(Some(2)).text().map(str::len), Some(3080));
        assert_eq!(rows[39].get(Some(0)), &Value::Integer(40));
    }

    #[test]
    fn a_page_reached_twice_is_refused() {
        let bytes = database(
            &[Table {
                name: "accounts",
                sql: SQL,
                rows: rows(12),
            }],
            Some(4),
        );
        // The interior page (2) points at leaves 3 and 4, right-most 5: point its right-most
        // pointer back at itself.
        let mut cyclic = bytes.clone();
        let interior = testing::PAGE;
        cyclic[interior + 8..interior + 12].copy_from_slice(&2u32.to_be_bytes());
        assert_eq!(read_all(&cyclic).err(), Some(SqliteError::PageTwice));
        let mut outside = bytes.clone();
        outside[interior + 8..interior + 12].copy_from_slice(&999u32.to_be_bytes());
        assert_eq!(read_all(&outside).err(), Some(SqliteError::PageOutOfRange));
    }

    #[test]
    fn an_overflow_chain_looping_back_is_a_bad_row_not_a_hang() {
        let mut long = rows(2);
        // Long enough for three overflow pages, and short enough that the leaf keeps only
        // the least of it (the writer does not split a leaf that fills up).
        long[0].1[2] = Cell::Text("A".repeat(3080));
        let mut bytes = database(
            &[Table {
                name: "accounts",
                sql: SQL,
                rows: long,
            }],
            None,
        );
        // Pages: 1 schema, 2 leaf, 3 to 5 overflow. Page 4's next pointer back to 3.
        assert_eq!(bytes.len(), 5 * testing::PAGE);
        let page_4 = 3 * testing::PAGE;
        bytes[page_4..page_4 + 4].copy_from_slice(&3u32.to_be_bytes());
        let db = Database::open(&bytes).unwrap_or_else(|e| panic!("{e:?}"));
        let Ok(Some(table)) = db.table("accounts") else {
            panic!("no table");
        };
        let rows = db.rows(&table).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(rows[0].as_ref().err(), Some(&SqliteError::PageTwice));
        assert!(rows[1].is_ok());
    }

    #[test]
    fn headers_sqlite_never_writes_are_refused() {
        let bytes = database(&[], None);
        assert!(Database::open(&bytes).is_ok());
        let mut odd = bytes.clone();
        odd[16..18].copy_from_slice(&1000u16.to_be_bytes());
        assert_eq!(Database::open(&odd).err(), Some(SqliteError::PageSize));
        let mut big = bytes.clone();
        big[16..18].copy_from_slice(&1u16.to_be_bytes());
        // 65 536-byte pages: the file is shorter than one page.
        assert!(bytes.len() < 65_536);
        assert_eq!(
            Database::open(&big).err(),
            Some(SqliteError::PageOutOfRange)
        );
        let mut reserved = bytes.clone();
        reserved[16..18].copy_from_slice(&512u16.to_be_bytes());
        reserved[20] = 40;
        assert_eq!(Database::open(&reserved).err(), Some(SqliteError::PageSize));
        // The header counts the pages: a file missing its last page is cut short.
        let two = database(
            &[Table {
                name: "t",
                sql: "CREATE TABLE t (a)",
                rows: Vec::new(),
            }],
            None,
        );
        let cut = &two[..two.len() - testing::PAGE / 2];
        assert_eq!(Database::open(cut).err(), Some(SqliteError::CutShort));
        let mut stale = cut.to_vec();
        stale[24] = 9;
        assert!(Database::open(&stale).is_ok());
        assert_eq!(
            Database::open(b"SQLite format 2\0").err(),
            Some(SqliteError::NotSqlite)
        );
    }

    #[test]
    fn damage_names_what_stops_a_database_being_read_and_nothing_else() {
        let two = database(
            &[Table {
                name: "t",
                sql: "CREATE TABLE t (a)",
                rows: Vec::new(),
            }],
            None,
        );
        assert_eq!(damage(&two), None);
        assert_eq!(damage(b"{\"not\": \"sqlite\"}"), None);
        assert_eq!(
            damage(&two[..two.len() - testing::PAGE / 2]),
            Some(SqliteError::CutShort)
        );
        assert_eq!(
            damage(&two[..MAGIC.len() + 10]),
            Some(SqliteError::CutShort)
        );
        // A schema page that is not a table page.
        let mut schema = two.clone();
        schema[HEADER_LEN] = 0x42;
        assert!(damage(&schema).is_some());
    }

    #[test]
    fn every_cut_and_every_flipped_byte_is_an_error_or_rows_never_a_panic() {
        let mut long = rows(30);
        long[3].1[2] = Cell::Text("B".repeat(2000));
        let bytes = database(
            &[Table {
                name: "accounts",
                sql: SQL,
                rows: long,
            }],
            Some(5),
        );
        for cut in (0..bytes.len()).step_by(97) {
            let _ = read_all(&bytes[..cut]);
        }
        for at in 0..bytes.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut damaged = bytes.clone();
                damaged[at] ^= flip;
                let _ = read_all(&damaged);
            }
        }
    }
}
