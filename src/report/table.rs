//! One writer and one reader for the plain tables equalize writes and reads back:
//! CSV, and JSON lines with one object per row.
//!
//! JSON lines keep the columns in header order (keys are written in order and read
//! back in order, never sorted), so a table survives a write and a read unchanged in
//! either format: sweep shards merge into the bytes of one run, and `verify` and
//! `compare` read published files by column name.

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

/// A table of text cells: a header and rows of the same width.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The index of a column by name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

/// Write a table. CSV ends lines with `\n` whatever the platform.
pub fn write(format: Format, header: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>> {
    let internal = |e: &dyn std::fmt::Display| Error::Internal(format!("table: {e}"));
    match format {
        Format::Csv => {
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(Vec::new());
            w.write_record(header).map_err(|e| internal(&e))?;
            for row in rows {
                w.write_record(row).map_err(|e| internal(&e))?;
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
                    serde_json::to_writer(&mut out, value).map_err(|e| internal(&e))?;
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
                rows.push(record.iter().map(String::from).collect());
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
                let (names, values): (Vec<String>, Vec<String>) = fields.into_iter().unzip();
                if table.rows.is_empty() && table.header.is_empty() {
                    table.header = names;
                } else if names != table.header {
                    return Err(bad(
                        i + 1,
                        format!(
                            "the fields {} differ from the first line's {}",
                            names.join(","),
                            table.header.join(",")
                        ),
                    ));
                }
                table.rows.push(values);
            }
            Ok(table)
        }
    }
}

/// A JSON object of strings, its fields in the order written.
struct OrderedRow(Vec<(String, String)>);

impl<'de> Deserialize<'de> for OrderedRow {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct RowVisitor;
        impl<'de> Visitor<'de> for RowVisitor {
            type Value = OrderedRow;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of string fields")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<OrderedRow, A::Error> {
                let mut fields = Vec::new();
                while let Some(entry) = map.next_entry::<String, String>()? {
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

    fn sample() -> (Vec<String>, Vec<Vec<String>>) {
        let header = ["scenario", "key", "total"].map(String::from).to_vec();
        let rows = vec![
            ["0", "640122", "1.50"].map(String::from).to_vec(),
            ["1", "a,\"b\"", "中文"].map(String::from).to_vec(),
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
            assert_eq!(table.rows, rows, "{format:?}");
        }
    }

    #[test]
    fn json_lines_keep_header_order_not_sorted_keys() {
        let (header, rows) = sample();
        let bytes = write(Format::Jsonl, &header, &rows).unwrap();
        let first = std::str::from_utf8(&bytes).unwrap().lines().next().unwrap();
        assert_eq!(first, r#"{"scenario":"0","key":"640122","total":"1.50"}"#);
    }

    #[test]
    fn json_lines_with_other_fields_are_refused_with_the_line() {
        let bytes = b"{\"a\":\"1\",\"b\":\"2\"}\n{\"b\":\"2\",\"a\":\"1\"}\n";
        let err = read(Format::Jsonl, bytes, "u.jsonl").unwrap_err();
        assert!(err.to_string().contains("u.jsonl:2: the fields b,a differ"), "{err}");
        let err = read(Format::Jsonl, b"{\"a\":1}\n", "u.jsonl").unwrap_err();
        assert!(err.to_string().contains("u.jsonl:1:"), "{err}");
    }
}
