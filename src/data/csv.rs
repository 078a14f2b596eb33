//! CSV input: UTF-8 (with or without BOM), a header row, one unit per row.
//!
//! Every problem is collected with its file, line and column and a caret under
//! the cell: missing or ambiguous columns, rows of the wrong length, empty or
//! non-numeric cells, values outside the input's bounds, empty and duplicate
//! keys. Numbers are read exactly by [`crate::money::parse_decimal`].

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::{Column, Dataset};
use crate::diag::{did_you_mean, Diagnostic, FileId, Sources, Span};
use crate::formula::program::{Formula, Input, InputKind};
use crate::money;

/// Problems listed in full before the rest are only counted.
pub const MAX_REPORTED: usize = 100;

/// Load CSV bytes for `formula`. The text is registered in `sources` under `name`.
pub fn load(sources: &mut Sources, name: &str, bytes: Vec<u8>, formula: &Formula) -> Result<Dataset, Vec<Diagnostic>> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            let line = err.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
            return Err(vec![Diagnostic::error(format!(
                "the file is not valid UTF-8: bad byte at offset {offset} (line {line})"
            ))
            .at_file(name)
            .note(
                "save the file as UTF-8 (Excel: 'CSV UTF-8'); GBK/GB18030 files must be converted first",
            )]);
        }
    };
    if text.contains('\0') {
        let offset = text.find('\0').unwrap_or(0);
        return Err(vec![Diagnostic::error(format!(
            "the file contains a NUL byte at offset {offset}; it is not a text CSV file"
        ))
        .at_file(name)]);
    }
    let file = sources.add(name, text);
    Loader {
        sources,
        file,
        name,
        problems: Problems::default(),
    }
    .load(formula)
}

#[derive(Default)]
struct Problems {
    listed: Vec<Diagnostic>,
    unlisted: usize,
}

impl Problems {
    fn push(&mut self, d: Diagnostic) {
        if self.listed.len() < MAX_REPORTED {
            self.listed.push(d);
        } else {
            self.unlisted += 1;
        }
    }

    fn finish(mut self, name: &str) -> Vec<Diagnostic> {
        if self.unlisted > 0 {
            self.listed
                .push(Diagnostic::error(format!("... and {} more problems not shown", self.unlisted)).at_file(name));
        }
        self.listed
    }
}

struct Loader<'a> {
    sources: &'a Sources,
    file: FileId,
    name: &'a str,
    problems: Problems,
}

/// Where a formula input is read from.
struct Mapping {
    column: usize,
    header: String,
}

impl Loader<'_> {
    fn text(&self) -> &str {
        &self.sources.get(self.file).text
    }

    fn error_at(&mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(message).at(self.sources.locate(span))
    }

    fn load(mut self, formula: &Formula) -> Result<Dataset, Vec<Diagnostic>> {
        let text = self.text().to_string();
        if text.trim().is_empty() {
            return Err(vec![Diagnostic::error(
                "the file is empty; expected a header row and one row per unit",
            )
            .at_file(self.name)]);
        }
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
            Err(err) => {
                return Err(vec![
                    Diagnostic::error(format!("cannot read the header row: {err}")).at_file(self.name)
                ])
            }
        };
        let file = self.file;
        let header_span = |column: usize| locate_field(&text, 0, column).map(|r| Span::new(file, r.start, r.end));
        let line_one = Span::new(file, 0, text.find(['\r', '\n']).unwrap_or(text.len()));

        let find = |loader: &mut Self, wanted: &[&str], what: &str| -> Option<Mapping> {
            let found: Vec<usize> = headers
                .iter()
                .enumerate()
                .filter(|(_, h)| wanted.contains(&h.as_str()))
                .map(|(i, _)| i)
                .collect();
            match found.as_slice() {
                [single] => Some(Mapping {
                    column: *single,
                    header: headers[*single].clone(),
                }),
                [] => {
                    let hint = did_you_mean(wanted[0], headers.iter().map(String::as_str));
                    let mut d = loader.error_at(line_one, format!("missing column '{}' ({what})", wanted[0]));
                    if wanted.len() > 1 {
                        d = d.note(format!("also accepted as: {}", wanted[1..].join(", ")));
                    }
                    if let Some(hint) = hint {
                        d = d.note(format!("did you mean '{hint}'?"));
                    }
                    loader
                        .problems
                        .push(d.note(format!("the header has: {}", headers.join(", "))));
                    None
                }
                several => {
                    let names: Vec<&str> = several.iter().map(|&i| headers[i].as_str()).collect();
                    let span = header_span(several[1]).unwrap_or(line_one);
                    let d = loader.error_at(
                        span,
                        format!("several columns can supply '{}': {}", wanted[0], names.join(", ")),
                    );
                    loader
                        .problems
                        .push(d.note("keep one of them, or remove the alias from the formula"));
                    None
                }
            }
        };

        let key = find(&mut self, &[formula.key.as_str()], "the key that identifies a unit");
        let label = formula
            .label
            .as_ref()
            .and_then(|l| find(&mut self, &[l.as_str()], "the label"));
        let mut mappings = Vec::new();
        for input in &formula.inputs {
            let mut wanted = vec![input.name.as_str()];
            wanted.extend(input.aliases.iter().map(String::as_str));
            mappings.push(find(
                &mut self,
                &wanted,
                &format!("input of type {}", input.kind.name()),
            ));
        }
        let (Some(key), true) = (key, mappings.iter().all(Option::is_some)) else {
            return Err(self.problems.finish(self.name));
        };
        if formula.label.is_some() && label.is_none() {
            return Err(self.problems.finish(self.name));
        }
        let mappings: Vec<Mapping> = mappings.into_iter().flatten().collect();

        let mut keys = Vec::new();
        let mut labels = label.as_ref().map(|_| Vec::new());
        let mut columns: Vec<Column> = formula
            .inputs
            .iter()
            .map(|i| match i.kind {
                InputKind::Number => Column::Num(Vec::new()),
                InputKind::Bool => Column::Bool(Vec::new()),
                InputKind::Text => Column::Text(Vec::new()),
            })
            .collect();
        let mut first_line: HashMap<String, u64> = HashMap::new();
        let mut record = ::csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(err) => {
                    let d = match err.position() {
                        Some(p) => self.error_at(
                            Span::new(self.file, p.byte() as usize, p.byte() as usize),
                            format!("cannot read this row: {err}"),
                        ),
                        None => Diagnostic::error(format!("cannot read the file: {err}")).at_file(self.name),
                    };
                    self.problems.push(d);
                    break;
                }
            }
            let position = record.position().cloned().unwrap_or_else(::csv::Position::new);
            let record_start = position.byte() as usize;
            if record.iter().all(|f| f.trim().is_empty()) {
                continue; // blank line
            }
            let cell_span = |column: usize| {
                locate_field(&text, record_start, column)
                    .map(|r| Span::new(file, r.start, r.end))
                    .unwrap_or(Span::new(file, record_start, record_start))
            };
            if record.len() != headers.len() {
                let d = self.error_at(
                    cell_span(0),
                    format!("this row has {} fields; the header has {}", record.len(), headers.len()),
                );
                self.problems
                    .push(d.note("check for a missing or extra comma, or an unquoted comma inside a value"));
                continue;
            }
            let unit_key = record[key.column].trim().to_string();
            if unit_key.is_empty() {
                let d = self.error_at(cell_span(key.column), format!("empty key in column '{}'", key.header));
                self.problems.push(d.note("every unit needs a key"));
                continue;
            }
            if let Some(first) = first_line.get(&unit_key) {
                let d = self.error_at(cell_span(key.column), format!("duplicate key '{unit_key}'"));
                self.problems
                    .push(d.note(format!("first seen on line {first}; each unit may appear once")));
                continue;
            }
            first_line.insert(unit_key.clone(), position.line());
            for ((input, mapping), column) in formula.inputs.iter().zip(&mappings).zip(columns.iter_mut()) {
                let raw = &record[mapping.column];
                match parse_cell(input, raw) {
                    Ok(value) => match (column, value) {
                        (Column::Num(v), Cell::Num(x)) => v.push(x),
                        (Column::Bool(v), Cell::Bool(x)) => v.push(x),
                        (Column::Text(v), Cell::Text(x)) => v.push(x),
                        _ => {}
                    },
                    Err(problem) => {
                        let d = self.error_at(
                            cell_span(mapping.column),
                            format!("column '{}': {}", mapping.header, problem.message),
                        );
                        self.problems.push(d.note(problem.expected));
                        // Keep columns aligned; the dataset is discarded anyway.
                        match column {
                            Column::Num(v) => v.push(Decimal::ZERO),
                            Column::Bool(v) => v.push(false),
                            Column::Text(v) => v.push(String::new()),
                        }
                    }
                }
            }
            keys.push(unit_key);
            if let (Some(labels), Some(label)) = (labels.as_mut(), label.as_ref()) {
                labels.push(record[label.column].trim().to_string());
            }
        }
        if keys.is_empty() && self.problems.listed.is_empty() {
            self.problems
                .push(Diagnostic::error("the file has a header but no data rows").at_file(self.name));
        }
        if !self.problems.listed.is_empty() {
            return Err(self.problems.finish(self.name));
        }
        let mut dataset = Dataset {
            origin: self.name.to_string(),
            keys,
            labels,
            columns,
        };
        dataset.sort_by_key();
        Ok(dataset)
    }
}

enum Cell {
    Num(Decimal),
    Bool(bool),
    Text(String),
}

struct CellProblem {
    message: String,
    expected: String,
}

/// Parse one cell as the input declares; an empty cell takes the input's default.
fn parse_cell(input: &Input, raw: &str) -> Result<Cell, CellProblem> {
    let trimmed = raw.trim();
    let value = if trimmed.is_empty() {
        match &input.default {
            Some(default) => default.as_str(),
            None if input.kind == InputKind::Text => "",
            None => {
                return Err(CellProblem {
                    message: "empty cell".into(),
                    expected: format!(
                        "expected {}; or declare a default for input '{}'",
                        expected_kind(input.kind),
                        input.name
                    ),
                })
            }
        }
    } else {
        trimmed
    };
    match input.kind {
        InputKind::Text => Ok(Cell::Text(value.to_string())),
        InputKind::Bool => match value.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" | "是" => Ok(Cell::Bool(true)),
            "false" | "no" | "n" | "0" | "否" => Ok(Cell::Bool(false)),
            _ => Err(CellProblem {
                message: format!("'{value}' is not true or false"),
                expected: format!("expected {}", expected_kind(InputKind::Bool)),
            }),
        },
        InputKind::Number => {
            let number = money::parse_decimal(value).map_err(|e| CellProblem {
                message: format!("'{value}' is {}", e.describe()),
                expected: format!("expected {}", expected_kind(InputKind::Number)),
            })?;
            if let Some(min) = input.min {
                if number < min {
                    return Err(CellProblem {
                        message: format!("{value} is below the minimum {min} of input '{}'", input.name),
                        expected: "correct the value, or change min in the formula's [inputs]".into(),
                    });
                }
            }
            if let Some(max) = input.max {
                if number > max {
                    return Err(CellProblem {
                        message: format!("{value} is above the maximum {max} of input '{}'", input.name),
                        expected: "correct the value, or change max in the formula's [inputs]".into(),
                    });
                }
            }
            Ok(Cell::Num(number))
        }
    }
}

fn expected_kind(kind: InputKind) -> &'static str {
    match kind {
        InputKind::Number => "a decimal number such as 1234.5 or 1,234.5",
        InputKind::Bool => "true/false, yes/no, 1/0 or 是/否",
        InputKind::Text => "text",
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
