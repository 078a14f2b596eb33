//! CSV tables: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK.
//!
//! The text is decoded once (see [`super::encoding`]) and registered in
//! [`Sources`], so every cell can point at its file, line and column with a
//! caret under it. Rows are streamed through the `csv` crate.

use super::encoding::{self, Encoding};
use super::header::{self, HeaderSpec, SEARCHED_ROWS};
use super::table::{CellValue, Row, Table};
use crate::diag::{Diagnostic, FileId, Location, Sources, Span};

pub struct CsvTable<'a> {
    sources: &'a Sources,
    file: FileId,
    name: String,
    headers: Vec<String>,
    /// Records before the first data row (title rows and the header).
    skip: usize,
    /// Byte offset of the header record, for pointing at a header cell.
    header_start: usize,
    /// A warning when the header was found below the first row.
    note: Option<Diagnostic>,
}

/// Decode `bytes` and register the text; the returned id opens a [`CsvTable`].
pub fn register(
    sources: &mut Sources,
    name: &str,
    bytes: Vec<u8>,
    forced: Option<Encoding>,
) -> Result<FileId, Diagnostic> {
    // Sniffed before the bytes become the text: GB18030 decoding changes them.
    let utf16 = encoding::looks_like_utf16(&bytes);
    let (text, used) = encoding::decode(bytes, forced).map_err(|(e, bytes)| {
        let line = bytes[..e.offset.min(bytes.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        Diagnostic::error_t(
            "data-bad-byte",
            crate::args![
                encoding = e.encoding.name(),
                byte = format!("0x{:02X}", bytes.get(e.offset).copied().unwrap_or(0)),
                offset = e.offset,
                line = line
            ],
        )
        .at_file(name)
        .note_t(
            match (forced, e.encoding) {
                (Some(_), _) => "data-bad-byte-forced-note",
                (None, Encoding::Utf8) => "data-bad-byte-utf8-note",
                _ => "data-bad-byte-gb18030-note",
            },
            crate::args![],
        )
    })?;
    if let Some(offset) = text.find('\0') {
        if let (None, Some(utf16)) = (forced, utf16) {
            return Err(
                Diagnostic::error_t("data-utf16-without-bom", crate::args![encoding = utf16.name()])
                    .at_file(name)
                    .note_t(
                        "data-utf16-without-bom-note",
                        crate::args![name = utf16.name().to_ascii_lowercase()],
                    ),
            );
        }
        return Err(Diagnostic::error_t(
            "data-nul-character",
            crate::args![offset = offset, encoding = used.name()],
        )
        .at_file(name)
        .note_t("data-nul-character-note", crate::args![]));
    }
    Ok(sources.add(name, text))
}

impl<'a> CsvTable<'a> {
    /// Open a registered CSV text; `renames` maps header names to new names; `header`
    /// says where the header is (found when not given: see [`super::header`]).
    pub fn open(
        sources: &'a Sources,
        file: FileId,
        renames: &[(String, String)],
        header: HeaderSpec,
    ) -> Result<CsvTable<'a>, Diagnostic> {
        let source = sources.get(file);
        let name = source.name.clone();
        if source.text.trim().is_empty() {
            return Err(Diagnostic::error_t("data-csv-empty", crate::args![]).at_file(&name));
        }
        let mut reader = reader(&source.text);
        let wanted = SEARCHED_ROWS.max(header.row.unwrap_or(0) + header.rows.unwrap_or(1));
        let mut first_rows: Vec<Vec<String>> = Vec::new();
        let mut starts: Vec<usize> = Vec::new();
        let mut record = ::csv::StringRecord::new();
        while first_rows.len() < wanted {
            match reader.read_record(&mut record) {
                Ok(true) => {
                    starts.push(record_start(&source.text, &record));
                    first_rows.push(record.iter().map(|h| h.trim().to_string()).collect());
                }
                Ok(false) => break,
                Err(e) => {
                    if first_rows.is_empty() {
                        return Err(Diagnostic::error_t(
                            "data-csv-header-unreadable",
                            crate::args![error = e.to_string()],
                        )
                        .at_file(&name));
                    }
                    break; // the scan reports it at its row
                }
            }
        }
        // Rows are numbered by their lines: blank lines hold no record, and a quoted cell may
        // span lines.
        let numbers: Vec<usize> = starts.iter().map(|&start| source.line_col(start).0).collect();
        let found = header::find(&first_rows, &numbers, header).map_err(|e| e.at_file(&name))?;
        let note = found.note(&first_rows);
        let skip = found.data_start();
        let header_start = starts.get(found.index).copied().unwrap_or(0);
        let raw = found.names;
        super::table::check_renames(&name, &raw, renames)?;
        let headers = raw
            .iter()
            .map(|h| {
                let h = h.trim();
                renames
                    .iter()
                    .find(|(from, _)| from == h)
                    .map_or(h, |(_, to)| to.as_str())
                    .to_string()
            })
            .collect();
        let table = CsvTable {
            sources,
            file,
            name,
            headers,
            skip,
            header_start,
            note: None,
        };
        let note = note.map(|n| n.at(table.locate_header(0)));
        Ok(CsvTable { note, ..table })
    }

    fn span_of(&self, record_start: usize, column: usize) -> Span {
        let text = &self.sources.get(self.file).text;
        match locate_field(text, record_start, column) {
            Some(range) => Span::new(self.file, range.start, range.end),
            None => Span::new(self.file, record_start, record_start),
        }
    }
}

/// Where a record starts: with CRLF endings the reported position can sit on the previous
/// line's '\n'.
fn record_start(text: &str, record: &::csv::StringRecord) -> usize {
    let mut start = record.position().map_or(0, |p| p.byte() as usize);
    while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
        start += 1;
    }
    start
}

fn reader(text: &str) -> ::csv::Reader<&[u8]> {
    ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
}

struct CsvRow<'t> {
    table: &'t CsvTable<'t>,
    record: &'t ::csv::StringRecord,
    start: usize,
    /// The line the record starts on, counted while scanning (no index of line starts is
    /// built for rows that have no problem).
    line: u64,
}

impl Row for CsvRow<'_> {
    fn len(&self) -> usize {
        self.record.len()
    }

    fn cell(&self, column: usize) -> CellValue<'_> {
        match self.record.get(column) {
            Some(text) if text.trim().is_empty() => CellValue::Empty,
            Some(text) => CellValue::Text(text),
            None => CellValue::Empty,
        }
    }

    fn locate(&self, column: usize) -> Location {
        self.table.sources.locate(self.table.span_of(self.start, column))
    }

    fn token(&self) -> u64 {
        self.start as u64
    }

    fn place_of(&self, token: u64, _column: usize, lang: crate::i18n::Lang) -> String {
        let offset = usize::try_from(token).unwrap_or(usize::MAX);
        let (line, _) = self.table.sources.get(self.table.file).line_col(offset);
        crate::i18n::text_in(lang, "data-place-line", crate::args![line = line])
    }

    fn number(&self) -> u32 {
        u32::try_from(self.line).unwrap_or(u32::MAX)
    }
}

impl Table for CsvTable<'_> {
    fn name(&self) -> &str {
        &self.name
    }

    fn file(&self) -> &str {
        &self.name
    }

    fn headers(&self) -> &[String] {
        &self.headers
    }

    fn locate_header(&self, column: usize) -> Location {
        self.sources.locate(self.span_of(self.header_start, column))
    }

    fn cite(&self, column: usize) -> super::CellCite {
        super::CellCite::Line {
            file: self.name.clone(),
            header: self.headers[column].clone(),
        }
    }

    fn notes(&self) -> Vec<Diagnostic> {
        self.note.iter().cloned().collect()
    }

    fn rows_hint(&self) -> usize {
        // Every row but the last ends in a newline; quoted newlines only overcount.
        let text = self.sources.get(self.file).text.as_bytes();
        text.iter().filter(|&&b| b == b'\n').count() + 1
    }

    fn scan(&mut self, visit: &mut dyn FnMut(&dyn Row)) -> Result<(), Diagnostic> {
        let text = &self.sources.get(self.file).text;
        let mut reader = reader(text);
        let mut record = ::csv::StringRecord::new();
        let mut index = 0usize;
        // Line numbers: the newlines before each record, counted from the previous one.
        let (mut counted_to, mut line) = (0usize, 1u64);
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => return Ok(()),
                Ok(true) if index < self.skip => index += 1,
                Ok(true) => {
                    let start = record_start(text, &record);
                    if start > counted_to {
                        line += text.as_bytes()[counted_to..start]
                            .iter()
                            .filter(|&&b| b == b'\n')
                            .count() as u64;
                        counted_to = start;
                    }
                    visit(&CsvRow {
                        table: self,
                        record: &record,
                        start,
                        line,
                    });
                }
                Err(err) => {
                    let at = err.position().map_or(0, |p| p.byte() as usize);
                    return Err(
                        Diagnostic::error_t("data-csv-row-unreadable", crate::args![error = err.to_string()])
                            .at(self.sources.locate(Span::new(self.file, at, at))),
                    );
                }
            }
        }
    }
}

/// Byte range of field `index` of the record starting at `start`, quote-aware.
fn locate_field(text: &str, start: usize, index: usize) -> Option<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut i = start;
    let mut field = 0;
    let mut field_start = start;
    let mut in_quotes = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_quotes {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
        } else if b == b'"' {
            in_quotes = true;
        } else if b == b',' || b == b'\n' || b == b'\r' {
            if field == index {
                return Some(field_start..i);
            }
            if b != b',' {
                return None;
            }
            field += 1;
            field_start = i + 1;
        }
        i += 1;
    }
    (field == index).then_some(field_start..bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_fields_with_quotes_and_commas() {
        let text = "a,b,c\n1,\"x, y\",3\n";
        let start = 6;
        assert_eq!(&text[locate_field(text, start, 0).unwrap()], "1");
        assert_eq!(&text[locate_field(text, start, 1).unwrap()], "\"x, y\"");
        assert_eq!(&text[locate_field(text, start, 2).unwrap()], "3");
        assert_eq!(locate_field(text, start, 3), None);
    }
}
