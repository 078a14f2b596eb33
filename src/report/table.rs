//! One writer and one reader for the plain tables equalize writes and reads back:
//! CSV, and JSON lines with one object per row.
//!
//! JSON lines keep the columns in header order (keys are written in order and read
//! back in order, never sorted), so a table survives a write and a read unchanged in
//! either format: sweep shards merge into the bytes of one run, and `verify` and
//! `compare` read published files by column name. Cells are typed for JSON lines:
//! whole numbers (indices, counts) as JSON numbers, exact decimals and text as strings
//! (a JSON number would be read as a float), and a missing value as `null`; in CSV all
//! three are text, a missing value empty.

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The format of a table file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Jsonl,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
        }
    }
}

/// One cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// A whole number (an index, a count), kept as its digits.
    Int(String),
    /// Text or an exact decimal.
    Str(String),
    /// No value.
    Null,
}

impl Cell {
    pub fn int(n: usize) -> Cell {
        Cell::Int(n.to_string())
    }

    pub fn str(text: impl Into<String>) -> Cell {
        Cell::Str(text.into())
    }

    /// The cell as CSV shows it.
    pub fn text(&self) -> &str {
        match self {
            Cell::Int(t) | Cell::Str(t) => t,
            Cell::Null => "",
        }
    }
}

/// A table: a header and rows of the same width.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The index of a column by name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The rows as text, as CSV shows them.
    pub fn text_rows(self) -> Vec<Vec<String>> {
        self.rows
            .into_iter()
            .map(|row| row.iter().map(|c| c.text().to_string()).collect())
            .collect()
    }
}

/// Write a table. CSV ends lines with `\n` whatever the platform.
pub fn write(format: Format, header: &[String], rows: &[Vec<Cell>]) -> Result<Vec<u8>> {
    let internal = |e: &dyn std::fmt::Display| Error::Internal(format!("table: {e}"));
    match format {
        Format::Csv => {
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(Vec::new());
            w.write_record(header).map_err(|e| internal(&e))?;
            for row in rows {
                w.write_record(row.iter().map(Cell::text)).map_err(|e| internal(&e))?;
            }
            w.into_inner().map_err(|e| internal(&e))
        }
        Format::Jsonl => {
            let mut out = Vec::new();
            for row in rows {
                out.push(b'{');
                for (i, (name, value)) in header.iter().zip(row).enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    serde_json::to_writer(&mut out, name).map_err(|e| internal(&e))?;
                    out.push(b':');
                    match value {
                        Cell::Int(digits) => out.extend_from_slice(digits.as_bytes()),
                        Cell::Str(text) => serde_json::to_writer(&mut out, text).map_err(|e| internal(&e))?,
                        Cell::Null => out.extend_from_slice(b"null"),
                    }
                }
                out.extend_from_slice(b"}\n");
            }
            Ok(out)
        }
    }
}

/// Read a table written by [`write`] (or by anyone: CSV with a header row, or JSON
/// lines whose objects all have the same string fields in the same order). `name`
/// says which file in error messages.
pub fn read(format: Format, bytes: &[u8], name: &str) -> Result<Table> {
    let bad = |line: usize, what: String| Error::usage(format!("{name}:{line}: {what}"));
    match format {
        Format::Csv => {
            let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(bytes);
            let header = reader
                .headers()
                .map_err(|e| bad(1, e.to_string()))?
                .iter()
                .map(String::from)
                .collect();
            let mut rows = Vec::new();
            for (i, record) in reader.records().enumerate() {
                let record = record.map_err(|e| bad(i + 2, e.to_string()))?;
                rows.push(record.iter().map(Cell::str).collect());
            }
            Ok(Table { header, rows })
        }
        Format::Jsonl => {
            let mut table = Table::default();
            for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let OrderedRow(fields) = serde_json::from_slice(line).map_err(|e| bad(i + 1, e.to_string()))?;
                let (names, values): (Vec<String>, Vec<Cell>) = fields.into_iter().unzip();
                if table.rows.is_empty() && table.header.is_empty() {
                    table.header = names;
                } else if names != table.header {
                    return Err(bad(
                        i + 1,
                        crate::tr!(
                            "report-jsonl-fields-differ",
                            fields = names.join(","),
                            first = table.header.join(",")
                        ),
                    ));
                }
                table.rows.push(values);
            }
            Ok(table)
        }
    }
}

/// A JSON object of strings, whole numbers and nulls, its fields in the order written.
struct OrderedRow(Vec<(String, Cell)>);

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct CellVisitor;
        impl<'de> Visitor<'de> for CellVisitor {
            type Value = Cell;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string, a whole number or null")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Cell, E> {
                Ok(Cell::Str(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Cell, E> {
                Ok(Cell::Int(v.to_string()))
            }
            fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Cell, E> {
                Ok(Cell::Null)
            }
        }
        deserializer.deserialize_any(CellVisitor)
    }
}

impl<'de> Deserialize<'de> for OrderedRow {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct RowVisitor;
        impl<'de> Visitor<'de> for RowVisitor {
            type Value = OrderedRow;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of string, whole-number or null fields")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<OrderedRow, A::Error> {
                let mut fields = Vec::new();
                while let Some(entry) = map.next_entry::<String, Cell>()? {
                    fields.push(entry);
                }
                Ok(OrderedRow(fields))
            }
        }
        deserializer.deserialize_map(RowVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Vec<String>, Vec<Vec<Cell>>) {
        let header = ["scenario", "key", "total"].map(String::from).to_vec();
        let rows = vec![
            vec![Cell::int(0), Cell::str("640122"), Cell::str("1.50")],
            vec![Cell::int(1), Cell::str("a,\"b\""), Cell::Null],
        ];
        (header, rows)
    }

    #[test]
    fn both_formats_read_back_what_they_wrote_in_column_order() {
        let (header, rows) = sample();
        for format in [Format::Csv, Format::Jsonl] {
            let bytes = write(format, &header, &rows).unwrap();
            let table = read(format, &bytes, "t").unwrap();
            assert_eq!(table.header, header, "{format:?}");
            assert_eq!(write(format, &table.header, &table.rows).unwrap(), bytes, "{format:?}");
        }
        let table = read(Format::Jsonl, &write(Format::Jsonl, &header, &rows).unwrap(), "t").unwrap();
        assert_eq!(table.rows, rows);
    }

    #[test]
    fn json_lines_keep_header_order_and_types() {
        let (header, rows) = sample();
        let bytes = write(Format::Jsonl, &header, &rows).unwrap();
        let text = std::str::from_utf8(&bytes).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], r#"{"scenario":0,"key":"640122","total":"1.50"}"#);
        assert_eq!(lines[1], r#"{"scenario":1,"key":"a,\"b\"","total":null}"#);
        let csv = String::from_utf8(write(Format::Csv, &header, &rows).unwrap()).unwrap();
        assert_eq!(csv, "scenario,key,total\n0,640122,1.50\n1,\"a,\"\"b\"\"\",\n");
    }

    #[test]
    fn json_lines_with_other_fields_are_refused_with_the_line() {
        let bytes = b"{\"a\":\"1\",\"b\":\"2\"}\n{\"b\":\"2\",\"a\":\"1\"}\n";
        let err = read(Format::Jsonl, bytes, "u.jsonl").unwrap_err();
        assert!(err.to_string().contains("u.jsonl:2: the fields b,a differ"), "{err}");
        let err = read(Format::Jsonl, b"{\"a\":1.5}\n", "u.jsonl").unwrap_err();
        assert!(err.to_string().contains("u.jsonl:1:"), "{err}");
    }
}
