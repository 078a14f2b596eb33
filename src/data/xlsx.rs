//! Spreadsheet tables (XLSX, XLSM, XLSB, XLS, ODS) through calamine.
//!
//! The first non-empty row of the sheet is the header. Numbers stored as text
//! are read exactly from their text. Numbers stored as numbers arrive from the
//! file as binary floating point (that is how Excel stores them); each is
//! converted by the shortest decimal that round-trips to the same float, so a
//! cell showing 1234.56 is read as exactly 1234.56. A number with more than 15
//! significant digits cannot be stored exactly by Excel at all; such cells are
//! flagged so the loader can warn. Dates and formula errors (`#DIV/0!`) are
//! reported as bad cells with their sheet!A1 address.

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Range, Reader};
use rust_decimal::Decimal;

use super::header::{HeaderSpec, SEARCHED_ROWS};
use super::table::{CellValue, Row, Table};
use crate::diag::{a1, Diagnostic, Location};
use crate::money;

pub struct SheetTable {
    name: String,
    file: String,
    sheet: String,
    range: Range<Data>,
    /// Absolute (row, column) of the range's first cell, for A1 addresses.
    origin: (usize, usize),
    headers: Vec<String>,
    /// The header's row within the range, and the rows before the first data row.
    header_row: usize,
    skip: usize,
    /// A warning when the header was found below the first row.
    note: Option<Diagnostic>,
}

/// Open `sheet` (or the first sheet) of a workbook held in memory.
pub fn open(
    file: &str,
    bytes: Vec<u8>,
    sheet: Option<&str>,
    renames: &[(String, String)],
    header: HeaderSpec,
) -> Result<SheetTable, Diagnostic> {
    super::workbook_limits::check(file, &bytes)?;
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        Diagnostic::error_t("data-workbook-unreadable", crate::args![error = e.to_string()])
            .at_file(file)
            .note_t("data-workbook-unreadable-note", crate::args![])
    })?;
    let names = workbook.sheet_names();
    let sheet = match sheet {
        Some(wanted) => {
            if !names.iter().any(|n| n == wanted) {
                let sheets = names.join(", ");
                let note = match crate::diag::did_you_mean(wanted, names.iter().map(String::as_str)) {
                    Some(hint) => crate::tr!("data-no-such-sheet-hint", hint = hint, sheets = &sheets),
                    None => crate::tr!("data-no-such-sheet-note", sheets = &sheets),
                };
                return Err(Diagnostic::error_t("data-no-such-sheet", crate::args![sheet = wanted])
                    .at_file(file)
                    .note(note));
            }
            wanted.to_string()
        }
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Diagnostic::error_t("data-workbook-no-sheets", crate::args![]).at_file(file))?,
    };
    let range = workbook.worksheet_range(&sheet).map_err(|e| {
        Diagnostic::error_t(
            "data-sheet-unreadable",
            crate::args![sheet = &sheet, error = e.to_string()],
        )
        .at_file(file)
    })?;
    let origin = range.start().map_or((0, 0), |(r, c)| (r as usize, c as usize));
    if range.is_empty() {
        return Err(Diagnostic::error_t("data-sheet-empty", crate::args![sheet = &sheet]).at_file(file));
    }
    let wanted = SEARCHED_ROWS.max(header.row.unwrap_or(0) + header.rows.unwrap_or(1));
    let first_rows: Vec<Vec<String>> = range
        .rows()
        .take(wanted)
        .map(|row| row.iter().map(header_text).collect())
        .collect();
    // Rows as the sheet numbers them: the range starts at the first used row.
    let numbers: Vec<usize> = (0..first_rows.len()).map(|i| origin.0 + i + 1).collect();
    let found = super::header::find(&first_rows, &numbers, header).map_err(|e| e.at_file(file))?;
    let note = found.note(&first_rows);
    let raw = found.names.clone();
    super::table::check_renames(file, &raw, renames)?;
    let headers = raw
        .iter()
        .map(|h| {
            renames
                .iter()
                .find(|(from, _)| from == h)
                .map_or(h.clone(), |(_, to)| to.clone())
        })
        .collect();
    let header_row = found.index;
    let skip = found.data_start();
    let mut table = SheetTable {
        name: format!("{file}#{sheet}"),
        file: file.to_string(),
        sheet,
        range,
        origin,
        headers,
        header_row,
        skip,
        note: None,
    };
    table.note = note.map(|n| n.at(table.locate(header_row, 0)));
    Ok(table)
}

fn header_text(cell: &Data) -> String {
    match value(cell) {
        CellValue::Text(t) => t.trim().to_string(),
        CellValue::Number { value, .. } => money::format_plain(value),
        CellValue::Bool(b) => b.to_string(),
        CellValue::Date(d) | CellValue::Error(d) | CellValue::OutOfRange(d) => d,
        CellValue::Empty => String::new(),
    }
}

/// A float from the file as the shortest decimal that reads back as the same float.
fn shortest_decimal(f: f64 /* float-ok */) -> Option<(Decimal, bool)> {
    // float-ok: the file stores binary floats; this is the one conversion point.
    if !f.is_finite() {
        return None;
    }
    // Rust's Display prints the shortest text that reads back as the same float.
    let text = format!("{f}");
    let value = money::parse_decimal(&text).ok()?;
    let digits = value
        .normalize()
        .mantissa()
        .unsigned_abs()
        .to_string()
        .trim_end_matches('0')
        .len();
    Some((value, digits <= 15))
}

fn value(cell: &Data) -> CellValue<'_> {
    match cell {
        Data::Empty => CellValue::Empty,
        Data::String(s) if s.trim().is_empty() => CellValue::Empty,
        Data::String(s) => CellValue::Text(s),
        Data::Int(i) => CellValue::Number {
            value: Decimal::from(*i),
            precise: i.unsigned_abs() < 1_000_000_000_000_000,
        },
        Data::Float(f) => match shortest_decimal(*f) {
            Some((value, precise)) => CellValue::Number { value, precise },
            None if f.is_finite() => CellValue::OutOfRange(format!("{f:e}")),
            None => CellValue::Error(format!("{f}")),
        },
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(d) => CellValue::Date(excel_date(d.as_f64())),
        Data::DateTimeIso(d) | Data::DurationIso(d) => CellValue::Date(d.clone()),
        Data::Error(e) => CellValue::Error(e.to_string()),
    }
}

/// An Excel date serial (days since 1899-12-30) as `YYYY-MM-DD`, for messages.
fn excel_date(serial: f64 /* float-ok */) -> String {
    // float-ok: a date serial only ever becomes text in a message.
    let days = serial.floor() as i64 - 25_569; // days from 1970-01-01
    let (year, month, day) = crate::civil::date_from_days(days);
    format!("{year:04}-{month:02}-{day:02}")
}

struct SheetRow<'t> {
    table: &'t SheetTable,
    cells: &'t [Data],
    /// Row index within the range.
    row: usize,
}

impl Row for SheetRow<'_> {
    fn len(&self) -> usize {
        self.cells.len()
    }

    fn cell(&self, column: usize) -> CellValue<'_> {
        self.cells.get(column).map_or(CellValue::Empty, value)
    }

    fn locate(&self, column: usize) -> Location {
        self.table.locate(self.row, column)
    }

    fn token(&self) -> u64 {
        self.row as u64
    }

    fn number(&self) -> u32 {
        u32::try_from(self.table.origin.0 + self.row + 1).unwrap_or(u32::MAX)
    }

    fn place_of(&self, token: u64, column: usize, _lang: crate::i18n::Lang) -> String {
        let row = usize::try_from(token).unwrap_or(usize::MAX);
        a1(self.table.origin.0.saturating_add(row), self.table.origin.1 + column)
    }
}

impl SheetTable {
    fn locate(&self, row: usize, column: usize) -> Location {
        Location::Cell {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            cell: a1(self.origin.0 + row, self.origin.1 + column),
        }
    }

    /// Cells holding numbers with more than 15 significant digits (stored inexactly by Excel).
    pub fn imprecise_cells(&self, columns: &[usize]) -> Vec<Location> {
        let mut found = Vec::new();
        for (r, row) in self.range.rows().enumerate().skip(self.skip) {
            for &c in columns {
                if let Some(CellValue::Number { precise: false, .. }) = row.get(c).map(value) {
                    found.push(self.locate(r, c));
                }
            }
        }
        found
    }
}

impl Table for SheetTable {
    fn name(&self) -> &str {
        &self.name
    }

    fn file(&self) -> &str {
        &self.file
    }

    fn headers(&self) -> &[String] {
        &self.headers
    }

    fn locate_header(&self, column: usize) -> Location {
        self.locate(self.header_row, column)
    }

    fn cite(&self, column: usize) -> super::CellCite {
        let letters = crate::diag::a1(0, self.origin.1 + column);
        super::CellCite::Cell {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            column: letters.trim_end_matches('1').to_string(),
        }
    }

    fn notes(&self) -> Vec<Diagnostic> {
        self.note.iter().cloned().collect()
    }

    fn rows_hint(&self) -> usize {
        self.range.height()
    }

    /// A sheet's rows are read as one (its cells are decoded when the sheet is opened).
    fn parts(&self, _n: usize) -> Option<Vec<Box<dyn Table + Send + '_>>> {
        None
    }

    fn scan(&mut self, visit: &mut dyn FnMut(&dyn Row)) -> Result<(), Diagnostic> {
        for (row, cells) in self.range.rows().enumerate().skip(self.skip) {
            visit(&SheetRow {
                table: self,
                cells,
                row,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_serials_read_as_dates() {
        assert_eq!(excel_date(45717.0), "2025-03-01");
        assert_eq!(excel_date(1.0), "1899-12-31");
        assert_eq!(excel_date(25569.5), "1970-01-01");
    }

    #[test]
    fn floats_become_their_shortest_decimal() {
        assert_eq!(
            shortest_decimal(1234.56).map(|(d, _)| d.to_string()),
            Some("1234.56".into())
        );
        assert_eq!(shortest_decimal(0.1).map(|(d, _)| d.to_string()), Some("0.1".into()));
        assert_eq!(
            shortest_decimal(110101.0).map(|(d, _)| money::format_plain(d)),
            Some("110101".into())
        );
        assert_eq!(
            shortest_decimal(1e20).map(|(d, p)| (money::format_plain(d), p)),
            Some(("100000000000000000000".into(), true))
        );
        assert_eq!(
            shortest_decimal(0.1 + 0.2).map(|(_, p)| p),
            Some(false),
            "0.30000000000000004 has 17 digits"
        );
        assert_eq!(shortest_decimal(f64::NAN), None); // float-ok
    }
}
