//! Limits on a workbook's structure, checked before it is read.
//!
//! A spreadsheet is a zip of XML parts (XLSX, XLSM, XLSB, ODS), and a few hundred bytes
//! of it can declare a sheet of 17 billion cells, a shared-string table of 2^64 entries
//! or a part that unpacks to gigabytes. The reader would try to allocate all of it. So
//! every part is first unpacked here, within a total limit, and the parts that size the
//! reader's allocations are checked: the extent of each sheet's cells, the declared count
//! of shared strings, and the rows and columns an ODS sheet repeats. Each limit has its
//! own message. The binary formats are checked the same way: an XLSB sheet part's records
//! ([`xlsb_extent`]), and an XLS file's workbook stream inside its compound file
//! ([`xls_extent`]), whose declared dimensions the reader also reserves.

use std::io::{Cursor, Read};

use crate::diag::Diagnostic;

/// Most bytes all parts of a workbook may unpack to.
pub const MAX_UNPACKED_BYTES: u64 = 256 << 20;
/// Most cells a sheet may span (rows times columns from its first cell to its last).
pub const MAX_CELLS: u64 = 10_000_000;

/// The error `id` with its arguments, for a workbook refused before it is read.
fn refuse(file: &str, id: &'static str, args: &[(&str, crate::i18n::Arg)]) -> Diagnostic {
    Diagnostic::error_t(id, args)
        .at_file(file)
        .note_t("data-workbook-refused-note", crate::args![])
}

/// Check a workbook's structure; `Ok` for anything that is not a zip (left to the reader).
pub fn check(file: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    if bytes.starts_with(&CFB_MAGIC) {
        return xls_extent(file, bytes);
    }
    if !bytes.starts_with(b"PK") {
        return Ok(());
    }
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // not a zip after all: the reader says what is wrong with it
    };
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive.by_index(index).map_err(|e| {
            refuse(
                file,
                "data-workbook-part-unreadable",
                crate::args![part = index, error = e.to_string()],
            )
        })?;
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        let budget = MAX_UNPACKED_BYTES - total;
        let lower = name.to_ascii_lowercase();
        let xml = lower.ends_with(".xml");
        let sheet_bin = lower.ends_with(".bin") && lower.contains("worksheets/");
        let kept = xml || sheet_bin;
        let mut limited = entry.take(budget + 1);
        let mut part = Vec::new();
        // Only XML parts are kept to be looked at; others are counted as they stream by.
        let read = if kept {
            limited.read_to_end(&mut part).map(|n| n as u64)
        } else {
            std::io::copy(&mut limited, &mut std::io::sink())
        };
        // A damaged part is refused here: a reader could stop before noticing.
        let read = read.map_err(|e| {
            refuse(
                file,
                "data-workbook-part-damaged",
                crate::args![part = &name, error = e.to_string()],
            )
        })?;
        total += read;
        if total > MAX_UNPACKED_BYTES {
            return Err(refuse(
                file,
                "data-workbook-too-large",
                crate::args![limit = MAX_UNPACKED_BYTES, part = &name],
            ));
        }
        if sheet_bin {
            xlsb_extent(file, &name, &part)?;
            continue;
        }
        if !xml {
            continue;
        }
        let text = String::from_utf8_lossy(&part);
        if tags(&text, "sst").next().is_some() {
            shared_strings(file, &name, &text)?;
        }
        if tags(&text, "sheetData").next().is_some() {
            sheet_extent(file, &name, &text)?;
        }
        if text.contains("table-row") {
            ods_extent(file, &text)?;
        }
    }
    Ok(())
}

/// The value of `attribute="..."` (or `'...'`) in `tag`, matched by local name (any
/// namespace prefix), if there.
fn attribute<'t>(tag: &'t str, attribute: &str) -> Option<&'t str> {
    let mut rest = tag;
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq].trim_end();
        let name = name.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
        let local = name.rsplit(':').next().unwrap_or(name);
        let value = rest[eq + 1..].trim_start();
        let quote = value.chars().next()?;
        if quote != '"' && quote != '\'' {
            rest = &rest[eq + 1..];
            continue;
        }
        let end = value[1..].find(quote)? + 1;
        if local == attribute {
            return Some(&value[1..end]);
        }
        rest = &value[end + 1..];
    }
    None
}

/// Every tag in `text`, as (local name without a namespace prefix, the tag up to its `>`).
fn all_tags(text: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let at = rest.find('<')?;
        let after = &rest[at + 1..];
        let end = after.find('>').unwrap_or(after.len());
        let tag = &after[..end];
        rest = &after[end..];
        let tag_name = tag.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
        Some((tag_name.rsplit(':').next().unwrap_or(tag_name), tag))
    })
}

/// Each tag whose local name is `name` (any namespace prefix), up to its `>`.
fn tags<'t>(text: &'t str, name: &'t str) -> impl Iterator<Item = &'t str> + 't {
    all_tags(text)
        .filter(move |(local, _)| *local == name)
        .map(|(_, tag)| tag)
}

fn shared_strings(file: &str, part: &str, text: &str) -> Result<(), Diagnostic> {
    let Some(header) = tags(text, "sst").next() else {
        return Ok(());
    };
    // `uniqueCount` is what a reader allocates for; `count` counts uses, and may be larger.
    if let Some(value) = attribute(header, "uniqueCount") {
        let declared: u128 = value.trim().parse().unwrap_or(u128::MAX);
        // Every shared string takes at least `<si/>` (5 bytes) of the part.
        if declared > (text.len() as u128) / 5 + 1 {
            return Err(refuse(
                file,
                "data-workbook-shared-strings",
                crate::args![part = part, count = value, bytes = text.len()],
            ));
        }
    }
    Ok(())
}

/// Zero-based (row, column) of an A1 reference.
fn cell_ref(reference: &str) -> Option<(u64, u64)> {
    let reference = reference.trim().trim_start_matches('$');
    let letters = reference.chars().take_while(char::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let column = reference[..letters].bytes().try_fold(0u64, |n, b| {
        Some(n * 26 + u64::from(b.to_ascii_uppercase().checked_sub(b'A')?) + 1)
    })?;
    let row: u64 = reference[letters..].trim_start_matches('$').parse().ok()?;
    Some((row.checked_sub(1)?, column - 1))
}

/// The cells a sheet spans: from its first cell to its last, rows and columns. Cells
/// without an `r` take the next column of their row, rows without one the next row, as
/// readers do.
fn sheet_extent(file: &str, part: &str, text: &str) -> Result<(), Diagnostic> {
    type Corner = Option<(u64, u64)>;
    let (mut low, mut high): (Corner, Corner) = (None, None);
    let mut row: u64 = 0;
    let mut column: u64 = 0;
    for (local, tag) in all_tags(text) {
        match local {
            "row" => {
                row = attribute(tag, "r")
                    .and_then(|r| r.trim().parse::<u64>().ok())
                    .and_then(|r| r.checked_sub(1))
                    .unwrap_or(row.saturating_add(u64::from(low.is_some())));
                column = 0;
            }
            "c" => {
                let (r, c) = attribute(tag, "r").and_then(cell_ref).unwrap_or((row, column));
                row = r;
                column = c.saturating_add(1);
                low = Some(low.map_or((r, c), |(r0, c0)| (r0.min(r), c0.min(c))));
                high = Some(high.map_or((r, c), |(r1, c1)| (r1.max(r), c1.max(c))));
            }
            _ => {}
        }
    }
    if let (Some((r0, c0)), Some((r1, c1))) = (low, high) {
        let cells = (r1 - r0 + 1).saturating_mul(c1 - c0 + 1);
        if cells > MAX_CELLS {
            return Err(refuse(
                file,
                "data-sheet-too-many-cells",
                crate::args![
                    part = part,
                    rows = r1 - r0 + 1,
                    columns = c1 - c0 + 1,
                    cells = cells,
                    limit = MAX_CELLS
                ],
            ));
        }
    }
    Ok(())
}

/// The corners of the cells a sheet holds, refused beyond [`MAX_CELLS`].
#[derive(Default)]
struct Extent {
    low: Option<(u64, u64)>,
    high: Option<(u64, u64)>,
}

impl Extent {
    fn add(&mut self, row: u64, column: u64) {
        self.low = Some(self.low.map_or((row, column), |(r, c)| (r.min(row), c.min(column))));
        self.high = Some(self.high.map_or((row, column), |(r, c)| (r.max(row), c.max(column))));
    }

    fn check(&self, file: &str, part: &str) -> Result<(), Diagnostic> {
        let (Some((r0, c0)), Some((r1, c1))) = (self.low, self.high) else {
            return Ok(());
        };
        spans(file, part, r1 - r0 + 1, c1 - c0 + 1)
    }
}

fn spans(file: &str, part: &str, rows: u64, columns: u64) -> Result<(), Diagnostic> {
    let cells = rows.saturating_mul(columns);
    if cells > MAX_CELLS {
        return Err(refuse(
            file,
            "data-sheet-too-many-cells",
            crate::args![
                part = part,
                rows = rows,
                columns = columns,
                cells = cells,
                limit = MAX_CELLS
            ],
        ));
    }
    Ok(())
}

/// The first bytes of a compound file (the container of XLS workbooks).
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// An XLS workbook stream is a list of BIFF records (type, length, body). The globals list
/// each sheet's BOUNDSHEET record with the offset its substream starts at; the reader reads
/// each sheet from there to its EOF, skipping nested substreams (charts), reserving what the
/// sheet's DIMENSIONS record declares, then a range spanning its cell records (each starts
/// with a 16-bit row and column). This walks the stream the same way.
fn xls_extent(file: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    let mut compound = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| {
        refuse(
            file,
            "data-workbook-compound-unreadable",
            crate::args![error = e.to_string()],
        )
    })?;
    let Some(stream) = ["/Workbook", "/Book"]
        .iter()
        .find_map(|path| compound.open_stream(path).ok())
    else {
        return Ok(()); // no workbook stream: the reader refuses the file
    };
    let mut data = Vec::new();
    stream
        .take(MAX_UNPACKED_BYTES + 1)
        .read_to_end(&mut data)
        .map_err(|e| {
            refuse(
                file,
                "data-workbook-stream-damaged",
                crate::args![error = e.to_string()],
            )
        })?;
    if data.len() as u64 > MAX_UNPACKED_BYTES {
        return Err(refuse(
            file,
            "data-workbook-stream-too-large",
            crate::args![limit = MAX_UNPACKED_BYTES],
        ));
    }
    let mut starts = Vec::new();
    for (kind, body) in biff_records(&data, 0) {
        match kind {
            0x0085 => {
                if let Some(at) = u32_at(body, 0) {
                    starts.push(at);
                }
            }
            0x000A => break, // the end of the globals
            _ => {}
        }
    }
    for (n, &start) in starts.iter().enumerate() {
        let part = crate::tr!("data-xls-sheet", number = n + 1);
        let start = usize::try_from(start).unwrap_or(usize::MAX);
        if start >= data.len() {
            return Err(refuse(
                file,
                "data-xls-sheet-start",
                crate::args![part = &part, start = start, bytes = data.len()],
            ));
        }
        xls_sheet_extent(file, &part, &data, start)?;
    }
    Ok(())
}

/// The records of a BIFF stream from `start`: (type, body), bodies cut at the stream's end.
fn biff_records(data: &[u8], start: usize) -> impl Iterator<Item = (u64, &[u8])> {
    let mut at = start;
    std::iter::from_fn(move || {
        let kind = u16_at(data, at)?;
        let length = u16_at(data, at + 2)?;
        let begin = at + 4;
        let end = (begin + length as usize).min(data.len());
        at = end;
        Some((kind, &data[begin..end]))
    })
}

fn u16_at(body: &[u8], at: usize) -> Option<u64> {
    body.get(at..at.checked_add(2)?)
        .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(body: &[u8], at: usize) -> Option<u64> {
    body.get(at..at.checked_add(4)?)
        .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
}

fn xls_sheet_extent(file: &str, part: &str, data: &[u8], start: usize) -> Result<(), Diagnostic> {
    let mut extent = Extent::default();
    let (mut seen_bof, mut depth) = (false, 0usize);
    for (kind, body) in biff_records(data, start) {
        if depth > 0 {
            match kind {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        match kind {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x000A => break,
            // DIMENSIONS, as the reader computes it (BIFF8: 32-bit rows; the last row and
            // column are one past the end; a first row past the last wraps around).
            0x0200 => {
                let fields = if body.len() >= 14 {
                    (u32_at(body, 0), u32_at(body, 4), u16_at(body, 8), u16_at(body, 10))
                } else {
                    (u16_at(body, 0), u16_at(body, 2), u16_at(body, 4), u16_at(body, 6))
                };
                if let (Some(first_row), Some(end_row), Some(mut first_column), Some(end_column)) = fields {
                    if first_column > 0xFF || end_column < first_column {
                        first_column = 0;
                    }
                    if end_row >= 1 && end_column >= 1 {
                        let rows = u64::from(((end_row - 1) as u32).wrapping_sub(first_row as u32)) + 1;
                        spans(file, part, rows, end_column - first_column)?;
                    }
                }
            }
            // NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, FORMULA: row, column, ...
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(row), Some(column)) = (u16_at(body, 0), u16_at(body, 2)) {
                    extent.add(row, column);
                }
            }
            // MULRK: row, first column, ..., last column.
            0x00BD => {
                if let (Some(row), Some(first), Some(last)) = (
                    u16_at(body, 0),
                    u16_at(body, 2),
                    body.len().checked_sub(2).and_then(|l| u16_at(body, l)),
                ) {
                    extent.add(row, first);
                    extent.add(row, last.max(first));
                }
            }
            _ => {}
        }
    }
    extent.check(file, part)
}

/// An XLSB sheet part is a list of BIFF12 records: a type and a length, each a 7-bit
/// varint, then the body. A row header (type 0) gives the row of the cells that follow;
/// each cell record with a value (types 2 to 11) starts with its 32-bit column.
fn xlsb_extent(file: &str, part: &str, data: &[u8]) -> Result<(), Diagnostic> {
    fn varint(data: &[u8], at: &mut usize, bytes: usize) -> Option<u64> {
        let mut value = 0u64;
        for i in 0..bytes {
            let byte = *data.get(*at)?;
            *at += 1;
            value |= u64::from(byte & 0x7F) << (7 * i);
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        Some(value)
    }
    let u32_at = |body: &[u8]| {
        body.get(..4)
            .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
    };
    let mut extent = Extent::default();
    let mut row = 0u64;
    let mut at = 0usize;
    let mut in_sheet_data = false;
    let damaged = |what: &str, length: usize| {
        refuse(
            file,
            match what {
                "row" => "data-xlsb-row-record-short",
                _ => "data-xlsb-cell-record-short",
            },
            crate::args![part = part, length = length],
        )
    };
    while at < data.len() {
        let (Some(kind), Some(length)) = (varint(data, &mut at, 2), varint(data, &mut at, 4)) else {
            break;
        };
        let end = at
            .saturating_add(usize::try_from(length).unwrap_or(usize::MAX))
            .min(data.len());
        let body = &data[at..end];
        at = end;
        match kind {
            0x0091 => in_sheet_data = true,
            // As the reader: the end of the sheet data ends the sheet (once it has begun),
            // and so does a row beyond Excel's last.
            0x0092 if in_sheet_data => break,
            // The reader takes a short record's fields from the record before it: refused.
            0 => match u32_at(body) {
                Some(r) if r > 0x0010_0000 => break,
                Some(r) => row = r,
                None => return Err(damaged("row", body.len())),
            },
            2..=11 => match u32_at(body) {
                Some(column) if body.len() >= 8 => extent.add(row, column),
                _ => return Err(damaged("cell", body.len())),
            },
            _ => {}
        }
    }
    extent.check(file, part)
}

/// An ODS sheet's rows and cells may repeat (`table:number-rows-repeated`); the reader
/// expands them up to the last cell with content.
fn ods_extent(file: &str, text: &str) -> Result<(), Diagnostic> {
    let repeat = |tag: &str, key: &str| -> u64 { attribute(tag, key).and_then(|v| v.parse().ok()).unwrap_or(1) };
    let mut rows: u64 = 0;
    let (mut last_row, mut widest): (u64, u64) = (0, 0);
    let mut rest = text;
    while let Some(at) = rest.find("<table:table-row") {
        let after = &rest[at..];
        let end = after.find("</table:table-row>").unwrap_or(after.len());
        let row = &after[..end];
        let head_end = row.find('>').unwrap_or(row.len());
        let repeated = repeat(&row[..head_end], "number-rows-repeated");
        let mut column: u64 = 0;
        let mut width: u64 = 0;
        for cell in row.split("<table:table-cell").skip(1) {
            let cell_head = &cell[..cell.find('>').unwrap_or(cell.len())];
            let columns = repeat(cell_head, "number-columns-repeated");
            column = column.saturating_add(columns);
            let has_content = !cell_head.ends_with('/') || cell_head.contains("office:value");
            if has_content {
                width = column;
            }
        }
        rows = rows.saturating_add(repeated);
        if width > 0 {
            last_row = rows;
            widest = widest.max(width);
        }
        rest = &after[end.min(after.len())..];
        if rest.len() == after.len() {
            break;
        }
        if let Some(skip) = rest.find('>') {
            rest = &rest[skip..];
        } else {
            break;
        }
    }
    let cells = last_row.saturating_mul(widest);
    if cells > MAX_CELLS {
        return Err(refuse(
            file,
            "data-ods-too-many-cells",
            crate::args![rows = last_row, columns = widest, cells = cells, limit = MAX_CELLS],
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A zip holding the given parts.
    fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        {
            let mut writer = zip::ZipWriter::new(&mut out);
            let options = zip::write::SimpleFileOptions::default();
            for (name, text) in parts {
                writer.start_file(*name, options).unwrap();
                writer.write_all(text.as_bytes()).unwrap();
            }
            writer.finish().unwrap();
        }
        out.into_inner()
    }

    #[test]
    fn a_sheet_spanning_a1_to_the_last_cell_is_refused() {
        let sheet = r#"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row></sheetData></worksheet>"#;
        let err = check("b.xlsx", &zip_of(&[("xl/worksheets/sheet1.xml", sheet)])).unwrap_err();
        assert!(
            err.message.contains("spans 1048576 rows by 16384 columns"),
            "{}",
            err.message
        );
        let fine = r#"<worksheet><sheetData><row r="1"><c r="A1"/><c r="C3"/><col/></row></sheetData></worksheet>"#;
        assert!(check("b.xlsx", &zip_of(&[("xl/worksheets/sheet1.xml", fine)])).is_ok());
    }

    #[test]
    fn prefixes_quotes_missing_references_and_odd_part_names_do_not_get_past() {
        let prefixed = r#"<x:worksheet><x:sheetData><x:row r='1'><x:c r='A1'/></x:row><x:row r='1048576'><x:c r='XFD1048576'/></x:row></x:sheetData></x:worksheet>"#;
        assert!(check("b.xlsx", &zip_of(&[("xl/worksheets/sheet1.xml", prefixed)])).is_err());
        let unnamed =
            r#"<worksheet><sheetData><row r="1"><c/></row><row r="1048576"><c/><c/></row></sheetData></worksheet>"#;
        let wide: String = unnamed.replace("<c/><c/>", &"<c/>".repeat(20));
        assert!(check("b.xlsx", &zip_of(&[("other/place.xml", &wide)])).is_err());
        let sst = r#"<x:sst uniqueCount='4000000000000'><x:si><x:t>a</x:t></x:si></x:sst>"#;
        assert!(check("b.xlsx", &zip_of(&[("xl/sharedStrings.xml", sst)])).is_err());
    }

    #[test]
    fn a_shared_string_count_beyond_the_part_is_refused() {
        let sst = r#"<sst uniqueCount="18446744073709551615" count="1"><si><t>a</t></si></sst>"#;
        let err = check("b.xlsx", &zip_of(&[("xl/sharedStrings.xml", sst)])).unwrap_err();
        assert!(
            err.message
                .contains("declares uniqueCount 18446744073709551615 shared strings"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_part_that_unpacks_beyond_the_limit_is_refused() {
        let big = " ".repeat((MAX_UNPACKED_BYTES + 10) as usize);
        let err = check("b.xlsx", &zip_of(&[("xl/worksheets/sheet1.xml", &big)])).unwrap_err();
        assert!(err.message.contains("unpacks to more than"), "{}", err.message);
    }

    #[test]
    fn an_ods_row_repeated_a_million_times_is_refused() {
        let content = r#"<office:document-content><table:table><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="100" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table></office:document-content>"#;
        let err = check("b.ods", &zip_of(&[("content.xml", content)])).unwrap_err();
        assert!(
            err.message.contains("spans 1048576 rows by 100 columns"),
            "{}",
            err.message
        );
        let trailing = r#"<table:table-row><table:table-cell office:value="1"><text:p>1</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#;
        assert!(check("b.ods", &zip_of(&[("content.xml", trailing)])).is_ok());
    }

    /// An XLSB sheet part: a row header then cells at `cells` (row, column), as BIFF12 records.
    fn xlsb_sheet(cells: &[(u32, u32)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut record = |kind: u8, body: &[u8]| {
            out.push(kind);
            out.push(body.len() as u8);
            out.extend(body);
        };
        for (row, column) in cells {
            record(0, &[&row.to_le_bytes()[..], &[0; 4]].concat());
            record(5, &[&column.to_le_bytes()[..], &[0; 4], &1f64.to_le_bytes()].concat());
        }
        out
    }

    #[test]
    fn an_xlsb_sheet_spanning_too_many_cells_is_refused() {
        assert!(xlsb_extent("b.xlsb", "s", &xlsb_sheet(&[(0, 0), (99, 9)])).is_ok());
        let err = xlsb_extent("b.xlsb", "s", &xlsb_sheet(&[(0, 0), (1_048_575, 16_383)])).unwrap_err();
        assert!(
            err.message.contains("s spans 1048576 rows by 16384 columns"),
            "{}",
            err.message
        );
        // Past the end of the sheet data the reader stops reading, and so does the check;
        // an end record before the sheet data begins ends nothing.
        let mut ended = vec![0x91, 0x01, 0x00];
        ended.extend(xlsb_sheet(&[(0, 0)]));
        ended.extend([0x92, 0x01, 0x00]);
        ended.extend(xlsb_sheet(&[(1_048_575, 16_383)]));
        assert!(xlsb_extent("b.xlsb", "s", &ended).is_ok());
        let mut early = vec![0x92, 0x01, 0x00, 0x91, 0x01, 0x00];
        early.extend(xlsb_sheet(&[(0, 0), (1_048_575, 16_383)]));
        assert!(xlsb_extent("b.xlsb", "s", &early).is_err());
        // A cell record too short to hold its column is refused, not read with stale bytes.
        let short = [0x00, 0x04, 0xFF, 0xFF, 0x0F, 0x00, 0x05, 0x00];
        let err = xlsb_extent("b.xlsb", "s", &short).unwrap_err();
        assert!(err.message.contains("a cell record of 0 bytes"), "{}", err.message);
    }
}
