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
    /// Byte offset of the first data record (None: the file has none).
    data_start: Option<usize>,
    /// The bytes this table scans (the whole text, or a part's lines), and the line the
    /// first of them is on.
    range: std::ops::Range<usize>,
    first_line: u64,
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
        // The data starts past the records read, or within them (a sheet-like CSV with a
        // title is found by the rows read at the top).
        let data_start = match starts.get(skip) {
            Some(&start) => Some(start),
            None => Some(reader.position().byte() as usize).filter(|&at| at < source.text.len()),
        };
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
            data_start,
            range: 0..source.text.len(),
            first_line: 1,
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
        let text = &self.sources.get(self.file).text.as_bytes()[self.range.clone()];
        newlines(text) + 1
    }

    /// Split at newlines, in a file without quotes (a quoted cell may hold a newline, and
    /// only a reading from the start knows whether it does), past the header's rows, never
    /// before a line that starts with a byte-order mark: each part scans whole records and
    /// numbers them by their lines in the file.
    fn parts(&self, n: usize) -> Option<Vec<Box<dyn Table + Send + '_>>> {
        let text = self.sources.get(self.file).text.as_bytes();
        let data_start = self.data_start?;
        if n < 2 || self.range != (0..text.len()) || text.contains(&b'"') {
            return None;
        }
        let mut ends = Vec::with_capacity(n);
        for i in 1..n {
            let target = (data_start + (text.len() - data_start) * i / n).max(ends.last().copied().unwrap_or(0));
            match text[target..].iter().position(|&b| b == b'\n') {
                Some(at) if target + at + 1 < text.len() => ends.push(target + at + 1),
                _ => break,
            }
        }
        ends.dedup();
        // The CSV reader drops a byte-order mark at the start of what it reads: a part must
        // not start with one that a whole reading keeps in its first cell.
        if ends.iter().any(|&end| text[end..].starts_with("\u{feff}".as_bytes())) {
            return None;
        }
        ends.push(text.len());
        if ends.len() < 2 {
            return None;
        }
        let mut parts: Vec<Box<dyn Table + Send + '_>> = Vec::with_capacity(ends.len());
        let (mut start, mut line) = (0, 1);
        for end in ends {
            parts.push(Box::new(CsvTable {
                sources: self.sources,
                file: self.file,
                name: self.name.clone(),
                headers: self.headers.clone(),
                // The first part has the title and header rows; the others only data.
                skip: if start == 0 { self.skip } else { 0 },
                header_start: self.header_start,
                data_start: self.data_start,
                range: start..end,
                first_line: line,
                note: None,
            }));
            line += newlines(&text[start..end]) as u64;
            start = end;
        }
        Some(parts)
    }

    fn scan(&mut self, visit: &mut dyn FnMut(&dyn Row)) -> Result<(), Diagnostic> {
        let whole = &self.sources.get(self.file).text;
        let base = self.range.start;
        let text = &whole[self.range.clone()];
        let mut reader = reader(text);
        let mut record = ::csv::StringRecord::new();
        let mut index = 0usize;
        // Line numbers: the newlines before each record, counted from the previous one.
        let (mut counted_to, mut line) = (0usize, self.first_line);
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
                        start: base + start,
                        line,
                    });
                }
                Err(err) => {
                    let at = base + err.position().map_or(0, |p| p.byte() as usize);
                    return Err(
                        Diagnostic::error_t("data-csv-row-unreadable", crate::args![error = err.to_string()])
                            .at(self.sources.locate(Span::new(self.file, at, at))),
                    );
                }
            }
        }
    }
}

fn newlines(text: &[u8]) -> usize {
    text.iter().filter(|&&b| b == b'\n').count()
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
