//! Unit data: the table of counties (or provinces) a formula runs on.
//!
//! Data arrives as CSV in various encodings ([`csv`], [`encoding`]), as
//! spreadsheets ([`xlsx`]), or as a folder of several tables described by a
//! `dataset.toml` ([`dataset`]). Each file becomes a [`table::Table`]; the
//! columns the formula needs are found by name or alias, read into typed
//! columns, and joined on the key ([`load`]). The result is a [`Dataset`]: one
//! row per unit, sorted by key (byte order), so everything downstream is
//! deterministic whatever the order of rows in the files.

pub mod csv;
pub mod dataset;
pub mod encoding;
pub mod filter;
pub mod header;
pub mod load;
pub mod table;
pub mod texts;
pub mod warnings;
pub mod workbook_limits;
pub mod xlsx;

pub use load::{load, DataRequest, DataSource, Loaded};

/// Where a recorded input's bytes come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordedKind {
    /// A file read from disk.
    Disk,
    /// A file compiled into the binary (the demo data).
    Embedded,
    /// A formula compiled into the binary.
    Builtin,
}

/// The files a recomputation may read: name as written, and where its bytes come from.
pub type Recorded = std::collections::BTreeMap<String, RecordedKind>;

/// Refuse a file that is not among `recorded` (when set), or that is recorded as coming
/// from somewhere else (a disk file recorded as built in): a recomputation reads only
/// the files its manifest records, from where it records them, and nothing of another
/// file is read or echoed.
pub fn check_recorded(recorded: Option<&Recorded>, name: &str, kind: RecordedKind) -> crate::error::Result<()> {
    let Some(names) = recorded else { return Ok(()) };
    let problem = match names.get(name) {
        Some(k) if *k == kind => return Ok(()),
        Some(k) => crate::diag::Diagnostic::error_t(
            "data-recorded-elsewhere",
            crate::args![name = name, kind = describe(kind), recorded = describe(*k)],
        ),
        None => crate::diag::Diagnostic::error_t("data-not-recorded", crate::args![name = name]),
    };
    Err(crate::error::Error::Invalid(vec![
        problem.note_t("data-recorded-note", crate::args![])
    ]))
}

/// The kind's selector in the catalogue's messages (`data-recorded-elsewhere`).
fn describe(kind: RecordedKind) -> &'static str {
    match kind {
        RecordedKind::Disk => "disk",
        RecordedKind::Embedded => "embedded",
        RecordedKind::Builtin => "builtin",
    }
}

/// A path as written, found on disk under `base` when it is relative (a run reproduced
/// from a moved archive reads there but keeps the names as written).
pub fn on_disk(base: Option<&std::path::Path>, path: &std::path::Path) -> std::path::PathBuf {
    match base {
        Some(base) if path.is_relative() => base.join(path),
        _ => path.to_path_buf(),
    }
}

use rust_decimal::Decimal;

pub use texts::Texts;

/// One input column, typed as the formula declares it.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    Num(Vec<Decimal>),
    Bool(Vec<bool>),
    Text(Texts),
}

impl Column {
    pub fn len(&self) -> usize {
        match self {
            Column::Num(v) => v.len(),
            Column::Bool(v) => v.len(),
            Column::Text(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value at `row` as text, for audit output.
    pub fn display(&self, row: usize) -> String {
        match self {
            Column::Num(v) => crate::money::format_plain(v[row]),
            Column::Bool(v) => v[row].to_string(),
            Column::Text(v) => v[row].to_string(),
        }
    }

    /// Append the rows of `more`, a column of the same type (false, and nothing appended,
    /// if it is not).
    pub(crate) fn append(&mut self, more: Column) -> bool {
        match (self, more) {
            (Column::Num(v), Column::Num(more)) => v.extend(more),
            (Column::Bool(v), Column::Bool(more)) => v.extend(more),
            (Column::Text(v), Column::Text(more)) => more.iter().for_each(|t| v.push(t)),
            _ => return false,
        }
        true
    }

    /// Reorder rows: row i of the result is row `order[i]` of self.
    fn permute(&mut self, order: &[usize]) {
        fn apply<T: Clone>(v: &mut Vec<T>, order: &[usize]) {
            *v = order.iter().map(|&i| v[i].clone()).collect();
        }
        match self {
            Column::Num(v) => apply(v, order),
            Column::Bool(v) => apply(v, order),
            Column::Text(v) => *v = v.permuted(order),
        }
    }
}

/// A file the data was read from, for manifests and verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFile {
    pub name: String,
    pub sha256: String,
    pub bytes: u64,
    /// Compiled into the binary (the shipped demo) rather than read from disk.
    pub embedded: bool,
}

impl DataFile {
    pub fn new(name: impl Into<String>, bytes: &[u8], embedded: bool) -> DataFile {
        DataFile {
            name: name.into(),
            sha256: crate::audit::hash::sha256_hex(bytes),
            bytes: bytes.len() as u64,
            embedded,
        }
    }
}

/// The units a formula runs on, sorted by key.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Display name of where the data came from (a file, a folder, a list of files).
    pub origin: String,
    /// The dataset's name and provenance, from dataset.toml when there is one.
    pub name: String,
    pub provenance: String,
    /// Every file read (dataset.toml included), with its hash, in the order read.
    pub files: Vec<DataFile>,
    /// For each formula input, the file its column was read from.
    pub input_files: Vec<String>,
    /// Rows of the tables that are not units, counted with the reason (`where`, skip_keys,
    /// empty keys): shown in summary.json.
    pub left_out: Vec<String>,
    pub keys: Texts,
    pub labels: Option<Texts>,
    /// One column per formula input, in the formula's input order.
    pub columns: Vec<Column>,
    /// Per table read, in the order read: each unit's row number in it (0 when the unit is
    /// not in that table and took the inputs' defaults).
    pub table_rows: Vec<Vec<u32>>,
    /// Per formula input: the table its column was read from and how to cite its cells
    /// (None for data not read from files).
    pub input_cells: Vec<Option<(usize, CellCite)>>,
}

/// How to cite the cells of one column once its table is gone: explain names the cell
/// every input value of a unit was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellCite {
    /// A CSV file: the unit's line, under the column's header.
    Line { file: String, header: String },
    /// A sheet: the column's letters and the unit's row.
    Cell {
        file: String,
        sheet: String,
        column: String,
    },
}

#[cfg(test)]
impl Dataset {
    /// A dataset of whole-number columns for unit tests, named `origin`.
    pub(crate) fn of_numbers(origin: &str, keys: &[&str], columns: &[&[i64]]) -> Dataset {
        Dataset {
            origin: origin.into(),
            name: String::new(),
            provenance: String::new(),
            files: Vec::new(),
            input_files: Vec::new(),
            table_rows: Vec::new(),
            input_cells: Vec::new(),
            left_out: Vec::new(),
            keys: keys.iter().map(|k| k.to_string()).collect(),
            labels: None,
            columns: columns
                .iter()
                .map(|c| Column::Num(c.iter().map(|&x| rust_decimal::Decimal::from(x)).collect()))
                .collect(),
        }
    }
}

impl Dataset {
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Sort rows by key so results do not depend on the order of rows in the file.
    pub fn sort_by_key(&mut self) {
        let mut order: Vec<usize> = (0..self.keys.len()).collect();
        order.sort_by(|&a, &b| self.keys[a].cmp(&self.keys[b]));
        if order.iter().enumerate().all(|(i, &o)| i == o) {
            return;
        }
        self.keys = self.keys.permuted(&order);
        if let Some(labels) = &self.labels {
            self.labels = Some(labels.permuted(&order));
        }
        for column in &mut self.columns {
            column.permute(&order);
        }
        for rows in &mut self.table_rows {
            if rows.len() == order.len() {
                *rows = order.iter().map(|&i| rows[i]).collect();
            }
        }
    }

    /// SHA-256 of the data as loaded: keys, labels and every input, in key order.
    /// Unchanged when rows or columns are merely reordered or a file is re-encoded.
    pub fn content_sha256(&self) -> String {
        use rayon::prelude::*;
        // Rows are rendered to the hashed bytes in blocks, in parallel for a large table
        // (a window of blocks at a time, to bound memory), and hashed in row order: the
        // digest is of the same bytes however they were cut.
        const BLOCK: usize = 4096;
        const WINDOW: usize = 16 * BLOCK;
        let mut hash = crate::audit::hash::ContentHash::default();
        let mut start = 0;
        while start < self.len() {
            let end = (start + WINDOW).min(self.len());
            let blocks = (start..end).step_by(BLOCK).map(|b| b..(b + BLOCK).min(end));
            let rendered: Vec<Vec<u8>> = if crate::threads::worth_parallel(end - start) {
                blocks
                    .collect::<Vec<_>>()
                    .into_par_iter()
                    .map(|rows| self.content_bytes(rows))
                    .collect()
            } else {
                blocks.map(|rows| self.content_bytes(rows)).collect()
            };
            for bytes in &rendered {
                hash.bytes(bytes);
            }
            start = end;
        }
        hash.finish()
    }

    /// The bytes [`Dataset::content_sha256`] hashes for `rows`: per row its key, label
    /// and input values as text, each ended by [`ContentHash::FIELD`], the row by
    /// [`ContentHash::ROW`].
    ///
    /// [`ContentHash::FIELD`]: crate::audit::hash::ContentHash::FIELD
    /// [`ContentHash::ROW`]: crate::audit::hash::ContentHash::ROW
    fn content_bytes(&self, rows: std::ops::Range<usize>) -> Vec<u8> {
        use crate::audit::hash::ContentHash;
        let mut out = Vec::with_capacity(rows.len() * 16 * (self.columns.len() + 2));
        let field = |out: &mut Vec<u8>, text: &[u8]| {
            out.extend_from_slice(text);
            out.push(ContentHash::FIELD);
        };
        for row in rows {
            field(&mut out, self.keys[row].as_bytes());
            if let Some(labels) = &self.labels {
                field(&mut out, labels[row].as_bytes());
            }
            for column in &self.columns {
                match column {
                    Column::Num(values) => {
                        crate::money::write_digits_bytes(values[row], None, &mut out);
                        out.push(ContentHash::FIELD);
                    }
                    Column::Bool(values) => field(&mut out, if values[row] { b"true" } else { b"false" }),
                    Column::Text(values) => field(&mut out, values[row].as_bytes()),
                }
            }
            out.push(ContentHash::ROW);
        }
        out
    }

    /// `110101` or `110101 (Dongcheng)` for messages.
    /// The row of the unit a person names: by its key, else by its exact label (`explain
    /// 东乡族自治县`). An error says what is wrong: no such unit (with the closest keys and
    /// labels, and a reminder when rows were left out), or a label several units share.
    pub fn find_unit(&self, wanted: &str) -> Result<usize, String> {
        let key = table::normalize_key(wanted);
        if let Ok(row) = self.keys.binary_search(&key) {
            return Ok(row);
        }
        let no_labels = Texts::new();
        let labels = self.labels.as_ref().unwrap_or(&no_labels);
        let named: Vec<usize> = (0..labels.len()).filter(|&r| &labels[r] == wanted.trim()).collect();
        match named.as_slice() {
            [row] => Ok(*row),
            [] => {
                let near = crate::diag::closest(wanted.trim(), self.keys.iter().chain(labels.iter()), 3);
                let listed: Vec<String> = near.iter().map(|n| format!("'{n}'")).collect();
                let (names, left_out) = (listed.join(", "), self.left_out.join("; "));
                let id = match (near.is_empty(), self.left_out.is_empty()) {
                    (true, true) => "data-no-such-unit",
                    (false, true) => "data-no-such-unit-hint",
                    (true, false) => "data-no-such-unit-left-out",
                    (false, false) => "data-no-such-unit-hint-left-out",
                };
                Err(crate::tr!(
                    id,
                    key = &key,
                    data = &self.origin,
                    names = names,
                    left_out = left_out
                ))
            }
            several => Err(crate::tr!(
                "data-label-shared",
                count = several.len(),
                label = wanted.trim(),
                keys = several.iter().map(|&r| &self.keys[r]).collect::<Vec<_>>().join(", ")
            )),
        }
    }

    /// Where input `input` of unit `row` was read: `fiscal.csv:12, column 'revenue'` or
    /// `census.xlsx: 表1!F123` (for a person: in the process language). None when it was not read from a file, or the unit is not in
    /// the input's table (it took the input's default).
    pub fn cell_of(&self, input: usize, row: usize) -> Option<String> {
        let (table, cite) = self.input_cells.get(input)?.as_ref()?;
        let number = *self.table_rows.get(*table)?.get(row)?;
        if number == 0 {
            return None;
        }
        Some(match cite {
            CellCite::Line { file, header } => {
                crate::tr!("data-cell-citation", file = file, line = number, column = header)
            }
            CellCite::Cell { file, sheet, column } => format!("{file}: {sheet}!{column}{number}"),
        })
    }

    pub fn describe_unit(&self, row: usize) -> String {
        match &self.labels {
            Some(labels) if !labels[row].is_empty() => {
                format!("{} ({})", &self.keys[row], &labels[row])
            }
            _ => self.keys[row].to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The content hash as it was first written: field by field, one row after another.
    fn hashed_row_by_row(data: &Dataset) -> String {
        let mut hash = crate::audit::hash::ContentHash::default();
        for row in 0..data.len() {
            hash.field(&data.keys[row]);
            if let Some(labels) = &data.labels {
                hash.field(&labels[row]);
            }
            for column in &data.columns {
                match column {
                    Column::Num(values) => hash.field(&crate::money::format_plain(values[row])),
                    Column::Bool(values) => hash.field(if values[row] { "true" } else { "false" }),
                    Column::Text(values) => hash.field(&values[row]),
                }
            }
            hash.end_row();
        }
        hash.finish()
    }

    #[test]
    fn content_hash_in_parallel_blocks_is_the_row_by_row_hash() {
        // Past the parallel threshold and the window (262,144 rows), with a part window.
        for units in [3, 20_000, 300_001] {
            let keys: Vec<String> = (0..units).map(|i| format!("{i:07}")).collect();
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            let numbers: Vec<i64> = (0..units as i64).map(|i| i * 7919 - 1_000_000).collect();
            let mut data = Dataset::of_numbers("t", &keys, &[&numbers]);
            if let Column::Num(values) = &mut data.columns[0] {
                values[1] = rust_decimal::Decimal::new(-12_345, 3); // -12.345
            }
            data.labels = Some((0..units).map(|i| format!("County, {i}")).collect());
            data.columns
                .push(Column::Bool((0..units).map(|i| i % 3 == 0).collect()));
            data.columns
                .push(Column::Text((0..units).map(|i| format!("t{}", i % 5)).collect()));
            let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
            assert_eq!(
                pool.install(|| data.content_sha256()),
                hashed_row_by_row(&data),
                "{units} units"
            );
        }
    }
}
