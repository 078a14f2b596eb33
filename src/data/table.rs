//! One table of unit rows, whatever file it came from, and reading inputs out of it.
//!
//! CSV files and spreadsheet sheets both implement [`Table`]: a header row and
//! rows of [`CellValue`]s, each cell able to say where it is (file:line:column
//! or sheet!A1). [`extract`] reads the key, the label and the formula inputs a
//! table supplies into typed columns, collecting every problem on the way.

use indexmap::IndexSet;
use rust_decimal::Decimal;

use super::{Column, Texts};
use crate::diag::{Diagnostic, Location};
use crate::formula::program::{Formula, Input, InputKind};
use crate::money;

/// Cells with one problem in one column shown before the rest are counted.
pub const SAME_PROBLEM_SHOWN: usize = 20;
/// Problems listed in full per file before the rest are only counted.
pub const MAX_REPORTED: usize = 100;

/// One cell as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue<'a> {
    Empty,
    Text(&'a str),
    /// A number stored as a number (spreadsheets); `precise` is false when it has
    /// more significant digits than a spreadsheet can store exactly.
    Number {
        value: Decimal,
        precise: bool,
    },
    Bool(bool),
    /// A date or time cell.
    Date(String),
    /// A formula error such as `#DIV/0!`.
    Error(String),
    /// A number stored as a number beyond what equalize reads exactly (±7.9e28), shown
    /// in exponent form (`1e300`).
    OutOfRange(String),
}

/// A rename (`columns = { "人口数" = "population" }` in dataset.toml) whose column is not in
/// the header is a mistake that would otherwise pass unnoticed: refused, with a suggestion.
pub fn check_renames(file: &str, raw_headers: &[String], renames: &[(String, String)]) -> Result<(), Diagnostic> {
    let missing: Vec<&str> = renames
        .iter()
        .map(|(from, _)| from.as_str())
        .filter(|from| !raw_headers.iter().any(|h| h == from))
        .collect();
    let Some(first) = missing.first() else { return Ok(()) };
    let mut d = Diagnostic::error_t("data-rename-no-column", crate::args![column = *first]).at_file(file);
    if let Some(hint) = crate::diag::did_you_mean(first, raw_headers.iter().map(String::as_str)) {
        d = d.note_t("data-did-you-mean", crate::args![hint = hint]);
    }
    if missing.len() > 1 {
        d = d.note_t(
            "data-rename-no-column-others",
            crate::args![columns = missing[1..].join(", ")],
        );
    }
    Err(d)
}

/// A row being read.
#[allow(clippy::len_without_is_empty)]
pub trait Row {
    fn len(&self) -> usize;
    fn cell(&self, column: usize) -> CellValue<'_>;
    fn locate(&self, column: usize) -> Location;
    /// A number that finds this row again (a byte offset, a row index): kept per row to
    /// name the first of two duplicate keys, so it is small.
    fn token(&self) -> u64;
    /// Where the row with `token` is, in a few characters (`line 12`, `B7`).
    /// `lang`: the language of the words (`line 12`); the summary's lines are in English.
    fn place_of(&self, token: u64, column: usize, lang: crate::i18n::Lang) -> String;
    /// The row's number as a person finds it: its line in a CSV file, its row in a sheet.
    fn number(&self) -> u32;
}

/// A table of rows with a header.
pub trait Table {
    /// Display name: `population.csv`, `revenue.xlsx#2025`.
    fn name(&self) -> &str;
    /// The file it came from (without the sheet), for grouping problems by file.
    fn file(&self) -> &str;
    /// Header names, trimmed, after any renames.
    fn headers(&self) -> &[String];
    fn locate_header(&self, column: usize) -> Location;
    /// How to cite a cell of `column` once the table is gone (explain names each input's cell).
    fn cite(&self, column: usize) -> super::CellCite;
    /// Warnings about how the table was read (a header found below a title row).
    fn notes(&self) -> Vec<Diagnostic> {
        Vec::new()
    }
    /// At least as many as the rows `scan` will visit, where that is cheap to know (a
    /// CSV's line count, a sheet's height), so columns are sized once instead of growing.
    fn rows_hint(&self) -> usize {
        0
    }
    /// Call `visit` for every data row, in file order.
    fn scan(&mut self, visit: &mut dyn FnMut(&dyn Row)) -> Result<(), Diagnostic>;
    /// The table as about `n` tables of consecutive rows, in order, that together scan what
    /// it scans and locate every cell where it does: to be read side by side. None where
    /// that is not known to be safe.
    /// (Required, so that a wrapper cannot forget to pass it on.)
    fn parts(&self, n: usize) -> Option<Vec<Box<dyn Table + Send + '_>>>;
}

/// Collected problems of one file: the first [`MAX_REPORTED`] in full, the rest counted.
#[derive(Default)]
pub struct Problems {
    pub listed: Vec<Diagnostic>,
    pub unlisted: usize,
}

impl Problems {
    pub fn push(&mut self, d: Diagnostic) {
        if self.listed.len() < MAX_REPORTED {
            self.listed.push(d);
        } else {
            // A grouped problem stands for the cells it counts.
            self.unlisted += d.stands_for.max(1);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }

    pub fn finish(mut self, file: &str) -> Vec<Diagnostic> {
        if self.unlisted > 0 {
            let mut more = Diagnostic::error_t("data-more-problems", crate::args![count = self.unlisted]).at_file(file);
            more.stands_for = self.unlisted;
            self.listed.push(more);
        }
        self.listed
    }
}

/// What to read from one table.
pub struct Plan {
    /// The key column; None when the table lacks it (already reported).
    pub key: Option<usize>,
    pub label: Option<usize>,
    /// (formula input index, table column)
    pub inputs: Vec<(usize, usize)>,
    /// Keys whose rows are skipped (`NA` for summary rows, `11*` for a province), as
    /// written and as patterns.
    pub skip: Vec<(String, glob::Pattern)>,
    /// `where`: the rows to keep.
    pub filter: Option<super::filter::RowFilter>,
}

/// The rows of one table, in file order.
pub struct Extracted {
    pub keys: Texts,
    pub labels: Option<Texts>,
    /// (formula input index, column)
    pub columns: Vec<(usize, Column)>,
    /// Warnings about what was left out (a skip_keys entry that matched nothing).
    pub warnings: Vec<Diagnostic>,
    /// The same, one line each, for the summary.
    pub left_out: Vec<String>,
    /// Each unit's row number in the file ([`Row::number`]), to cite its cells.
    pub rows: Vec<u32>,
}

/// Tables of at least this many lines are read in parts side by side, where they can be
/// split ([`Table::parts`]).
const PARTS_MIN_ROWS: usize = 50_000;

/// Read the planned columns of `table`. Problems go to `problems`.
///
/// A large table that splits into parts is read part by part on the thread pool and the
/// parts joined in file order; if any part has a problem, or a key is in two parts, the
/// table is read again from the start as one, so that every problem is reported exactly
/// as a whole reading reports it (problems are the rare case; the time goes to clean data).
pub fn extract(
    table: &mut dyn Table,
    key_column: usize,
    plan: &Plan,
    formula: &Formula,
    problems: &mut Problems,
) -> Extracted {
    let hint = table.rows_hint();
    let parallel = crate::threads::worth_parallel(hint) && hint >= PARTS_MIN_ROWS;
    if let Some(parts) = parallel
        .then(|| table.parts(2 * rayon::current_num_threads()))
        .flatten()
    {
        if let Some(joined) = read_in_parts(parts, key_column, plan, formula, hint) {
            return finish_rows(joined, &*table, key_column, plan, problems);
        }
    }
    let rows = read_rows(table, key_column, plan, formula, problems, hint);
    finish_rows(rows, &*table, key_column, plan, problems)
}

/// Each part read on the pool, joined in order; None if a part had a problem or a key is in
/// two parts (the caller then reads the whole table).
fn read_in_parts(
    mut parts: Vec<Box<dyn Table + Send + '_>>,
    key_column: usize,
    plan: &Plan,
    formula: &Formula,
    hint: usize,
) -> Option<Rows> {
    use rayon::prelude::*;
    let read: Vec<Option<Rows>> = parts
        .par_iter_mut()
        .enumerate()
        .map(|(i, part)| {
            let mut problems = Problems::default();
            // The first part's columns are sized for the whole table: the others join it in place.
            let capacity = if i == 0 { hint } else { part.rows_hint() };
            let rows = read_rows(&mut **part, key_column, plan, formula, &mut problems, capacity);
            (problems.is_empty() && rows.same_problem.is_empty()).then_some(rows)
        })
        .collect();
    let mut read = read.into_iter();
    let mut joined = read.next()??;
    for rows in read {
        joined.join(rows?)?;
    }
    Some(joined)
}

/// What [`read_rows`] collected from a table, or a part of one, before it is finished into
/// an [`Extracted`].
struct Rows {
    keys: KeySet,
    first_seen: Vec<u64>,
    numbers: Vec<u32>,
    labels: Option<Texts>,
    columns: Vec<(usize, Column)>,
    same_problem: SameProblem,
    left_out: LeftOut,
}

impl Rows {
    /// Append the next part's rows; None if one of its keys is already here (its problem is
    /// then reported by reading the whole table).
    fn join(&mut self, next: Rows) -> Option<()> {
        // Both parts' keys ascending and the next part's first above this one's last: no key
        // can be in both (the usual case: tables sorted by code). Otherwise looked up.
        let both_ascending = matches!((&self.keys, &next.keys), (KeySet::Ascending(_), KeySet::Ascending(_)));
        let next_keys = next.keys.into_texts();
        let apart = match (self.keys.last(), next_keys.iter().next()) {
            (Some(last), Some(first)) => both_ascending && last < first,
            _ => true,
        };
        if !apart && next_keys.iter().any(|k| self.keys.contains(k)) {
            return None;
        }
        for key in &next_keys {
            self.keys.insert_new(key);
        }
        self.first_seen.extend(next.first_seen);
        self.numbers.extend(next.numbers);
        if let (Some(labels), Some(more)) = (self.labels.as_mut(), &next.labels) {
            for label in more {
                labels.push(label);
            }
        }
        for ((_, column), (_, more)) in self.columns.iter_mut().zip(next.columns) {
            column.append(more).then_some(())?;
        }
        self.left_out.add(next.left_out);
        Some(())
    }
}

/// Read the rows of `table` (all its rows, or a part's), columns sized for `capacity` rows.
fn read_rows(
    table: &mut dyn Table,
    key_column: usize,
    plan: &Plan,
    formula: &Formula,
    problems: &mut Problems,
    capacity: usize,
) -> Rows {
    let width = table.headers().len();
    let key_header = table.headers()[key_column].clone();
    let headers: Vec<String> = table.headers().to_vec();
    // Sized once: a column grown by doubling holds up to twice its rows, and three
    // times while it moves (docs/reliability.md, memory).
    // Capped: a hint counts lines, and a file of blank lines must not reserve gigabytes.
    let rows = capacity.min(1 << 20);
    // Each key is held once: the set both keeps the row order and finds duplicates.
    let mut keys = KeySet::with_capacity(rows);
    let mut first_seen: Vec<u64> = Vec::with_capacity(rows);
    let mut numbers: Vec<u32> = Vec::with_capacity(rows);
    let mut labels = plan.label.map(|_| Texts::with_capacity(rows));
    let mut same_problem = SameProblem::default();
    let mut left_out = LeftOut {
        skipped: vec![0; plan.skip.len()],
        ..LeftOut::default()
    };
    let mut columns: Vec<(usize, Column)> = plan
        .inputs
        .iter()
        .map(|&(input, _)| {
            let column = match formula.inputs[input].kind {
                InputKind::Number => Column::Num(Vec::with_capacity(rows)),
                InputKind::Bool => Column::Bool(Vec::with_capacity(rows)),
                InputKind::Text => Column::Text(Texts::with_capacity(rows)),
            };
            (input, column)
        })
        .collect();
    let mut visit = |row: &dyn Row| {
        if (0..row.len()).all(|c| matches!(row.cell(c), CellValue::Empty)) {
            return; // a blank line or row
        }
        if row.len() != width {
            problems.push(
                Diagnostic::error_t("data-row-width", crate::args![fields = row.len(), width = width])
                    .at(row.locate(0))
                    .note_t("data-row-width-note", crate::args![]),
            );
            return;
        }
        if let Some(filter) = &plan.filter {
            match filter.keeps(row) {
                Ok(true) => {}
                Ok(false) => {
                    left_out.filtered += 1;
                    return;
                }
                Err(message) => {
                    problems.push(
                        Diagnostic::error_t(
                            "data-filter-row-error",
                            crate::args![filter = &filter.text, message = message],
                        )
                        .at(row.locate(0)),
                    );
                    return;
                }
            }
        }
        let key = match key_text(&row.cell(key_column)) {
            Some(key) if key.is_empty() => {
                // A sub-header, a 合计 row or a note under the table: not a unit.
                left_out.empty_keys += 1;
                left_out
                    .first_empty
                    .get_or_insert_with(|| row.place_of(row.token(), key_column, crate::i18n::Lang::En));
                return;
            }
            Some(key) => key,
            None => {
                problems.push(
                    Diagnostic::error_t("data-key-not-a-value", crate::args![column = &key_header])
                        .at(row.locate(key_column))
                        .note_t("data-key-not-a-value-note", crate::args![]),
                );
                return;
            }
        };
        if let Some(entry) = plan
            .skip
            .iter()
            .position(|(text, pattern)| *text == key || pattern.matches(&key))
        {
            left_out.skipped[entry] += 1;
            return;
        }
        if let Some(c) = key.chars().find(|c| hidden_in_key(*c)) {
            problems.push(
                Diagnostic::error_t(
                    "data-key-hidden-character",
                    crate::args![
                        key = crate::diag::printable(&key),
                        code = format!("U+{:04X}", u32::from(c))
                    ],
                )
                .at(row.locate(key_column))
                .note_t("data-key-hidden-character-note", crate::args![]),
            );
            return;
        }
        // One lookup: a new key goes in here (nothing below returns early).
        let (first, inserted) = keys.insert_full(key);
        if !inserted {
            let key = keys.get(first);
            let first = row.place_of(first_seen[first], key_column, crate::i18n::language());
            let note = if looks_like_missing(key) {
                "data-duplicate-key-not-units-note"
            } else {
                "data-duplicate-key-note"
            };
            let d = Diagnostic::error_t("data-duplicate-key", crate::args![key = key])
                .at(row.locate(key_column))
                .note_t(note, crate::args![first = first, key = key]);
            group(
                problems,
                &mut same_problem,
                (key_column, format!("duplicate key {key}")),
                d,
                row,
                key_column,
            );
            return;
        }
        first_seen.push(row.token());
        numbers.push(row.number());
        for ((input, column), &(_, source_column)) in columns.iter_mut().zip(&plan.inputs) {
            let input = &formula.inputs[*input];
            let parsed = parse_cell(input, row.cell(source_column), formula);
            match parsed {
                Ok(cell) => push(column, cell),
                Err(problem) => {
                    let header = &headers[source_column];
                    let mut d = Diagnostic::error_t(
                        "data-cell-problem",
                        crate::args![column = header, problem = &problem.message],
                    );
                    // The code says which problem: a script matches `data-cell-error`, not the frame.
                    d.code = Some(problem.code);
                    let d = d.at(row.locate(source_column)).note(problem.hint.clone());
                    group(
                        problems,
                        &mut same_problem,
                        (source_column, problem.hint),
                        d,
                        row,
                        source_column,
                    );
                    push(column, Cell::Placeholder);
                }
            }
        }
        if let (Some(labels), Some(label)) = (labels.as_mut(), plan.label) {
            labels.push(&key_text(&row.cell(label)).unwrap_or_default());
        }
    };
    if let Err(d) = table.scan(&mut visit) {
        problems.push(d);
    }
    Rows {
        keys,
        first_seen,
        numbers,
        labels,
        columns,
        same_problem,
        left_out,
    }
}

/// The rows read, with the problems counted past [`SAME_PROBLEM_SHOWN`] and what was left out.
fn finish_rows(rows: Rows, table: &dyn Table, key_column: usize, plan: &Plan, problems: &mut Problems) -> Extracted {
    let Rows {
        keys,
        numbers,
        labels,
        columns,
        same_problem,
        left_out,
        ..
    } = rows;
    let headers = table.headers();
    let key_header = &headers[key_column];
    let mut grouped: Vec<_> = same_problem
        .into_iter()
        .filter(|(_, (n, _, _))| *n > SAME_PROBLEM_SHOWN)
        .collect();
    grouped.sort();
    for ((column, _), (count, first_unshown, note)) in grouped {
        let more = count - SAME_PROBLEM_SHOWN;
        let mut d = Diagnostic::error_t(
            "data-same-problem-more",
            crate::args![column = &headers[column], count = more, first = first_unshown],
        )
        .at(table.locate_header(column))
        .note(note);
        d.stands_for = more;
        problems.push(d);
    }
    let warnings = left_out.warnings(table, plan);
    let left_out = left_out.lines(table.name(), plan, key_header);
    Extracted {
        rows: numbers,
        left_out,
        keys: keys.into_texts(),
        labels: labels.map(|mut l| {
            l.shrink_to_fit();
            l
        }),
        columns,
        warnings,
    }
}

/// The keys of a table in row order, each once. Tables usually list their units sorted
/// by code: while every key is greater than the one before, none can repeat an earlier
/// one and the keys are only collected; the first key out of order moves them into a
/// hash set, which finds repeats from then on. (A million sorted keys took a third of a
/// second to hash, for nothing.)
enum KeySet {
    Ascending(Texts),
    Hashed(IndexSet<String>),
}

impl KeySet {
    fn with_capacity(rows: usize) -> KeySet {
        KeySet::Ascending(Texts::with_capacity(rows))
    }

    /// As [`IndexSet::insert_full`]: the key's index, and whether it is new.
    fn insert_full(&mut self, key: String) -> (usize, bool) {
        match self {
            KeySet::Ascending(keys) => {
                if keys.last().is_none_or(|last| last < key.as_str()) {
                    keys.push(&key);
                    return (keys.len() - 1, true);
                }
                let mut set = IndexSet::with_capacity(keys.len());
                set.extend(keys.iter().map(str::to_string));
                let inserted = set.insert_full(key);
                *self = KeySet::Hashed(set);
                inserted
            }
            KeySet::Hashed(set) => set.insert_full(key),
        }
    }

    /// Add a key known not to be in the set yet.
    fn insert_new(&mut self, key: &str) {
        match self {
            KeySet::Ascending(keys) if keys.last().is_none_or(|last| last < key) => keys.push(key),
            _ => {
                self.insert_full(key.to_string());
            }
        }
    }

    fn get(&self, index: usize) -> &str {
        match self {
            KeySet::Ascending(keys) => &keys[index],
            KeySet::Hashed(set) => &set[index],
        }
    }

    fn contains(&self, key: &str) -> bool {
        match self {
            KeySet::Ascending(keys) => keys.binary_search(key).is_ok(),
            KeySet::Hashed(set) => set.contains(key),
        }
    }

    fn len(&self) -> usize {
        match self {
            KeySet::Ascending(keys) => keys.len(),
            KeySet::Hashed(set) => set.len(),
        }
    }

    fn last(&self) -> Option<&str> {
        self.len().checked_sub(1).map(|i| self.get(i))
    }

    fn into_texts(self) -> Texts {
        let mut keys = match self {
            KeySet::Ascending(keys) => keys,
            KeySet::Hashed(set) => set.iter().collect(),
        };
        keys.shrink_to_fit();
        keys
    }
}

/// Rows of a table that are not units, counted.
#[derive(Default)]
struct LeftOut {
    filtered: usize,
    empty_keys: usize,
    first_empty: Option<String>,
    /// Per skip_keys entry, the rows it matched.
    skipped: Vec<usize>,
}

impl LeftOut {
    /// Add the counts of the next part of the table.
    fn add(&mut self, next: LeftOut) {
        self.filtered += next.filtered;
        self.empty_keys += next.empty_keys;
        if self.first_empty.is_none() {
            self.first_empty = next.first_empty;
        }
        for (count, more) in self.skipped.iter_mut().zip(next.skipped) {
            *count += more;
        }
    }

    fn lines(&self, name: &str, plan: &Plan, key_header: &str) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(filter) = &plan.filter {
            lines.push(format!(
                "{name}: {} left out by where = \"{}\"",
                crate::diag::plural_in(crate::i18n::Lang::En, self.filtered, "row"),
                filter.text
            ));
        }
        for ((text, _), count) in plan.skip.iter().zip(&self.skipped) {
            lines.push(format!(
                "{name}: {} left out by skip_keys '{text}'",
                crate::diag::plural_in(crate::i18n::Lang::En, *count, "row")
            ));
        }
        if self.empty_keys > 0 {
            lines.push(format!(
                "{name}: {} with an empty '{key_header}' left out (the first at {})",
                crate::diag::plural_in(crate::i18n::Lang::En, self.empty_keys, "row"),
                self.first_empty.as_deref().unwrap_or("?")
            ));
        }
        lines
    }

    fn warnings(&self, table: &dyn Table, plan: &Plan) -> Vec<Diagnostic> {
        let mut warnings = Vec::new();
        // How many rows a filter, a key pattern or an empty key left out is part of the
        // result (summary.json, the terminal summary), not a problem: no warning for it.
        let name = table.name();
        for ((text, _), count) in plan.skip.iter().zip(&self.skipped) {
            if *count == 0 {
                warnings.push(
                    Diagnostic::warning_t("data-skip-keys-no-match", crate::args![table = name, entry = text])
                        .at_file(table.file())
                        .note_t("data-skip-keys-no-match-note", crate::args![]),
                );
            }
        }
        warnings
    }
}

/// Problems seen per (column, kind): how many, where the first not shown is, its note.
type SameProblem = std::collections::BTreeMap<(usize, String), (usize, String, String)>;

/// Report `d` unless [`SAME_PROBLEM_SHOWN`] of its kind in its column were shown already;
/// those past it are counted, and listed as one problem at the end.
fn group(
    problems: &mut Problems,
    seen: &mut SameProblem,
    kind: (usize, String),
    d: Diagnostic,
    row: &dyn Row,
    column: usize,
) {
    let entry = seen.entry(kind).or_insert_with(|| (0, String::new(), String::new()));
    entry.0 += 1;
    if entry.0 <= SAME_PROBLEM_SHOWN {
        problems.push(d);
    } else if entry.0 == SAME_PROBLEM_SHOWN + 1 {
        entry.1 = row.place_of(row.token(), column, crate::i18n::language());
        entry.2 = d.notes.last().cloned().unwrap_or_default();
    }
}

/// A key as text: trimmed; numbers stored by spreadsheets (`110101.0`) lose their `.0`.
/// Leading zeros are kept. Documented in docs/data.md.
pub fn key_text(cell: &CellValue) -> Option<String> {
    match cell {
        CellValue::Empty => Some(String::new()),
        CellValue::Text(t) => Some(normalize_key(t)),
        CellValue::Number { value, .. } => Some(money::format_plain(*value)),
        CellValue::Bool(b) => Some(b.to_string()),
        CellValue::Date(d) => Some(d.clone()),
        CellValue::Error(_) | CellValue::OutOfRange(_) => None,
    }
}

/// `" 110101 "` → `110101`; `110101.0` and `110101.00` → `110101`; `010101` stays.
/// Characters a key may not hold: controls, and invisible or direction-changing ones.
fn hidden_in_key(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}' | '\u{00ad}')
}

pub fn normalize_key(text: &str) -> String {
    let t = text.trim();
    if let Some((whole, fraction)) = t.split_once('.') {
        if !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && !fraction.is_empty()
            && fraction.bytes().all(|b| b == b'0')
        {
            return whole.to_string();
        }
    }
    t.to_string()
}

pub enum Cell {
    Num(Decimal),
    Bool(bool),
    Text(String),
    /// Keeps columns aligned after a bad cell; the dataset is discarded anyway.
    Placeholder,
}

fn push(column: &mut Column, cell: Cell) {
    match (column, cell) {
        (Column::Num(v), Cell::Num(x)) => v.push(x),
        (Column::Bool(v), Cell::Bool(x)) => v.push(x),
        (Column::Text(v), Cell::Text(x)) => v.push(&x),
        (Column::Num(v), _) => v.push(Decimal::ZERO),
        (Column::Bool(v), _) => v.push(false),
        (Column::Text(v), _) => v.push(""),
    }
}

pub struct CellProblem {
    /// The message's identifier: the diagnostic's code.
    pub code: &'static str,
    pub message: String,
    pub hint: String,
}

fn problem(code: &'static str, message: impl Into<String>, hint: impl Into<String>) -> CellProblem {
    CellProblem {
        code,
        message: message.into(),
        hint: hint.into(),
    }
}

/// Text that offices and statistics bureaus put where a number is missing.
fn looks_like_missing(text: &str) -> bool {
    let t = text.trim().to_ascii_lowercase();
    matches!(
        t.as_str(),
        "na" | "n/a"
            | "#n/a"
            | "nan"
            | "null"
            | "none"
            | "-"
            | "--"
            | "—"
            | "…"
            | "..."
            | "x"
            | "无"
            | "空"
            | "缺"
            | "不详"
    )
}

/// Parse one cell as the input declares. Empty cells and the input's `missing`
/// markers take the input's default; numbers are converted to the formula's unit.
pub fn parse_cell(input: &Input, value: CellValue, formula: &Formula) -> Result<Cell, CellProblem> {
    let is_missing = match &value {
        CellValue::Empty => true,
        CellValue::Text(t) => t.trim().is_empty() || input.missing.iter().any(|m| m == t.trim()),
        _ => false,
    };
    let default_text;
    let value = if is_missing {
        match &input.default {
            Some(default) => {
                default_text = default.clone();
                CellValue::Text(&default_text)
            }
            None if input.kind == InputKind::Text && matches!(value, CellValue::Empty) => CellValue::Text(""),
            None => {
                let (code, what) = match &value {
                    CellValue::Text(t) if !t.trim().is_empty() => (
                        "data-cell-missing-value",
                        crate::tr!("data-cell-missing-value", value = t.trim()),
                    ),
                    _ => ("data-cell-empty", crate::tr!("data-cell-empty")),
                };
                let hint = match input.kind {
                    InputKind::Number => "data-cell-no-default-number",
                    InputKind::Bool => "data-cell-no-default-bool",
                    InputKind::Text => "data-cell-no-default-text",
                };
                return Err(problem(code, what, crate::tr!(hint, input = &input.name)));
            }
        }
    } else {
        value
    };
    match (&value, input.kind) {
        (CellValue::Error(e), _) => Err(problem(
            "data-cell-error",
            crate::tr!("data-cell-error", error = e),
            crate::tr!("data-cell-error-hint"),
        )),
        (CellValue::OutOfRange(shown), _) => Err(problem(
            "data-cell-out-of-range",
            crate::tr!("data-cell-out-of-range", number = shown),
            crate::tr!("data-cell-out-of-range-hint"),
        )),
        (CellValue::Date(d), kind) if kind != InputKind::Text => Err(problem(
            match kind {
                InputKind::Bool => "data-cell-date-not-bool",
                _ => "data-cell-date-not-number",
            },
            match kind {
                InputKind::Bool => crate::tr!("data-cell-date-not-bool", date = d),
                _ => crate::tr!("data-cell-date-not-number", date = d),
            },
            crate::tr!("data-cell-date-hint"),
        )),
        (_, InputKind::Text) => Ok(Cell::Text(match value {
            CellValue::Text(t) => t.trim().to_string(),
            CellValue::Number { value, .. } => money::format_plain(value),
            CellValue::Bool(b) => b.to_string(),
            CellValue::Date(d) => d,
            _ => String::new(),
        })),
        (_, InputKind::Bool) => {
            let parsed = match &value {
                CellValue::Bool(b) => Some(*b),
                CellValue::Number { value, .. } if value.is_zero() => Some(false),
                CellValue::Number { value, .. } if *value == Decimal::ONE => Some(true),
                CellValue::Text(t) => match t.trim().to_lowercase().as_str() {
                    "true" | "yes" | "y" | "1" | "是" => Some(true),
                    "false" | "no" | "n" | "0" | "否" => Some(false),
                    _ => None,
                },
                _ => None,
            };
            parsed.map(Cell::Bool).ok_or_else(|| {
                problem(
                    "data-cell-not-bool",
                    crate::tr!("data-cell-not-bool", value = show(&value)),
                    crate::tr!("data-expected-bool"),
                )
            })
        }
        (_, InputKind::Number) => {
            let number = match &value {
                CellValue::Number { value, .. } => *value,
                CellValue::Bool(_) => {
                    return Err(problem(
                        "data-cell-bool-not-number",
                        crate::tr!("data-cell-bool-not-number"),
                        crate::tr!("data-expected-number"),
                    ))
                }
                CellValue::Text(t) => money::parse_decimal(t).map_err(|e| {
                    let hint = if looks_like_missing(t) {
                        crate::tr!("data-cell-missing-marker-hint", value = t.trim(), input = &input.name)
                    } else {
                        crate::tr!("data-expected-number")
                    };
                    let message = match e {
                        money::NumberError::Empty => "data-number-empty",
                        money::NumberError::NotANumber => "data-number-not-a-number",
                        money::NumberError::NotFinite => "data-number-not-finite",
                        money::NumberError::BadGrouping => "data-number-bad-grouping",
                        money::NumberError::OutOfRange => "data-number-out-of-range",
                    };
                    problem(message, crate::tr!(message, value = t.trim()), hint)
                })?,
                _ => Decimal::ZERO,
            };
            if let Some(min) = input.min {
                if number < min {
                    return Err(problem(
                        "data-cell-below-min",
                        crate::tr!(
                            "data-cell-below-min",
                            value = show(&value),
                            min = min.to_string(),
                            input = &input.name
                        ),
                        crate::tr!("data-cell-below-min-hint"),
                    ));
                }
            }
            if let Some(max) = input.max {
                if number > max {
                    return Err(problem(
                        "data-cell-above-max",
                        crate::tr!(
                            "data-cell-above-max",
                            value = show(&value),
                            max = max.to_string(),
                            input = &input.name
                        ),
                        crate::tr!("data-cell-above-max-hint"),
                    ));
                }
            }
            convert_unit(number, input, formula).map(Cell::Num).ok_or_else(|| {
                problem(
                    "data-cell-unit-overflow",
                    crate::tr!("data-cell-unit-overflow", value = show(&value)),
                    crate::tr!("data-cell-unit-overflow-hint"),
                )
            })
        }
    }
}

/// A value in the input's unit, expressed in the formula's unit (exactly: units are powers of ten).
fn convert_unit(value: Decimal, input: &Input, formula: &Formula) -> Option<Decimal> {
    match &input.unit {
        Some(unit) if unit.factor != formula.unit.factor => {
            value.checked_mul(unit.factor)?.checked_div(formula.unit.factor)
        }
        _ => Some(value),
    }
}

fn show(value: &CellValue) -> String {
    match value {
        CellValue::Text(t) => t.trim().to_string(),
        CellValue::Number { value, .. } => money::format_plain(*value),
        CellValue::Bool(b) => b.to_string(),
        CellValue::Date(d) => d.clone(),
        CellValue::Error(e) | CellValue::OutOfRange(e) => e.clone(),
        CellValue::Empty => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A CSV read in parts side by side and the same CSV read whole: (parts were made, the
    /// part-read result and its problems, the whole-read result and its problems).
    fn read_both(text: &str, plan: &Plan) -> (bool, [(Extracted, Vec<String>); 2]) {
        use crate::data::csv::{register, CsvTable};
        let mut sources = crate::diag::Sources::default();
        let formula_id = sources.add(
            "f.toml",
            "[formula]\nname = \"f\"\nkey = \"code\"\nlabel = \"name\"\n[inputs.need]\n\
             [[allocation]]\nname = \"s\"\npool = \"1\"\nweight = \"need\"\n"
                .to_string(),
        );
        let formula = crate::formula::load(&sources, formula_id).unwrap();
        let id = register(&mut sources, "big.csv", text.as_bytes().to_vec(), None).unwrap();
        let mut table = CsvTable::open(&sources, id, &[], super::super::header::HeaderSpec::default()).unwrap();
        let split = table.parts(4).is_some_and(|p| p.len() > 1);
        let finish = |extracted: Extracted, problems: Problems| {
            let problems = problems.finish("big.csv").iter().map(|d| d.to_string()).collect();
            (extracted, problems)
        };
        let mut problems = Problems::default();
        let in_parts = extract(&mut table, 0, plan, &formula, &mut problems);
        let in_parts = finish(in_parts, problems);
        let mut problems = Problems::default();
        let hint = table.rows_hint();
        let rows = read_rows(&mut table, 0, plan, &formula, &mut problems, hint);
        let whole = finish_rows(rows, &table, 0, plan, &mut problems);
        (split, [in_parts, finish(whole, problems)])
    }

    /// 60,000 rows under a title line: code, name, need; `line` may change row i.
    fn big_csv(line: impl Fn(usize) -> Option<String>) -> String {
        let mut text = String::from("Table 1. Counties\ncode,name,need\n");
        for i in 0..60_000 {
            match line(i) {
                Some(changed) => text.push_str(&changed),
                None => text.push_str(&format!("{:06},County {i},{}", i * 3, i % 97)),
            }
            text.push('\n');
        }
        text
    }

    fn plan(skip: &[&str]) -> Plan {
        Plan {
            key: Some(0),
            label: Some(1),
            inputs: vec![(0, 2)],
            skip: skip
                .iter()
                .map(|s| (s.to_string(), glob::Pattern::new(s).unwrap()))
                .collect(),
            filter: None,
        }
    }

    fn same(a: &(Extracted, Vec<String>), b: &(Extracted, Vec<String>)) {
        assert_eq!(a.1, b.1, "problems");
        let (a, b) = (&a.0, &b.0);
        assert_eq!(a.keys, b.keys);
        assert_eq!(a.labels, b.labels);
        assert!(a.columns == b.columns, "columns");
        assert_eq!(a.rows, b.rows);
        assert_eq!(a.left_out, b.left_out);
        let text = |w: &[Diagnostic]| w.iter().map(|d| d.to_string()).collect::<Vec<_>>();
        assert_eq!(text(&a.warnings), text(&b.warnings));
    }

    /// docs/performance.md: a large CSV is read in parts side by side, with the result a whole
    /// reading gives: the same units, values, line numbers, rows left out and warnings, for
    /// keys in order or not; and the same problems when a part has one or a key is in two.
    #[test]
    fn a_large_csv_read_in_parts_gives_what_a_whole_reading_gives() {
        // Clean, keys ascending, blank and empty-key rows, skip_keys that match and one that
        // does not (a warning).
        let clean = big_csv(|i| match i {
            5 => Some(" ".into()),
            40_000 => Some(",Subtotal,1".into()),
            _ => None,
        });
        let (split, [parts, whole]) = read_both(&clean, &plan(&["0000*", "NA"]));
        assert!(split);
        assert!(parts.1.is_empty());
        // Less a blank row, an empty key and 33 keys skip_keys matches (000000 to 000099).
        assert_eq!(parts.0.keys.len(), 60_000 - 1 - 1 - 33);
        assert_eq!(parts.0.rows[0], 37, "row 34, after a title, a header and 34 rows");
        assert_eq!(parts.0.rows[59_964], 60_002, "the last row, line 60,002");
        same(&parts, &whole);
        // Keys out of order, none repeated.
        let shuffled = big_csv(|i| Some(format!("{:06},County {i},{}", (i * 7919) % 60_000, i % 97)));
        let (split, [parts, whole]) = read_both(&shuffled, &plan(&[]));
        assert!(split);
        same(&parts, &whole);
        // A key in two parts, and a bad cell in the last part: reported as a whole reading does.
        let duplicate = big_csv(|i| (i == 59_000).then(|| "000030,Again,1".into()));
        let bad = big_csv(|i| (i == 59_999).then(|| "179997,Last,seven".into()));
        for text in [duplicate, bad] {
            let (split, [parts, whole]) = read_both(&text, &plan(&[]));
            assert!(split);
            assert_eq!(parts.1.len(), 1, "{:?}", parts.1);
            same(&parts, &whole);
        }
        // A line that would start a part begins with a byte-order mark (files saved with one
        // and joined): the reader would drop it at a part's start; a whole reading keeps it
        // in the key, and reports it. Never split there.
        let clean_parts = {
            let mut sources = crate::diag::Sources::default();
            let id = crate::data::csv::register(&mut sources, "big.csv", clean.as_bytes().to_vec(), None).unwrap();
            let table = crate::data::csv::CsvTable::open(&sources, id, &[], Default::default()).unwrap();
            let mut parts = table.parts(4).unwrap();
            let mut start = None;
            parts[1]
                .scan(&mut |row| {
                    start.get_or_insert(row.token());
                })
                .unwrap();
            start.unwrap() as usize
        };
        // The key's first three digits become the mark (three bytes: the split stays put).
        let marked = format!("{}\u{feff}{}", &clean[..clean_parts], &clean[clean_parts + 3..]);
        let (split, [parts, whole]) = read_both(&marked, &plan(&["0000*", "NA"]));
        assert!(parts.1.iter().any(|p| p.contains("U+FEFF")), "{:?}", parts.1);
        same(&parts, &whole);
        assert!(!split);
        // A quote anywhere: never split (a quoted cell may hold a newline).
        let quoted = big_csv(|i| (i == 7).then(|| "000021,\"County, 7\",7".into()));
        let (split, [parts, whole]) = read_both(&quoted, &plan(&[]));
        assert!(!split);
        same(&parts, &whole);
    }

    /// Messages that choose a form by a count read as the English text did before the
    /// catalogue, in both forms; the Chinese ones take the same arguments.
    #[test]
    fn counted_messages_read_as_before() {
        use crate::i18n::{text_in, Lang::En, Lang::Zh};
        let en = |id: &str, args: &[(&str, crate::i18n::Arg)]| text_in(En, id, args);
        assert_eq!(
            en(
                "data-same-problem-more",
                crate::args![column = "pop", count = 1usize, first = "line 9"]
            ),
            "column 'pop': 1 more cell with the same problem, from line 9 on"
        );
        assert_eq!(
            en(
                "data-same-problem-more",
                crate::args![column = "pop", count = 12usize, first = "B7"]
            ),
            "column 'pop': 12 more cells with the same problem, from B7 on"
        );
        assert_eq!(
            en("data-units-missing", crate::args![units = 1usize, table = "a.csv"]),
            "1 unit of a.csv is missing from this table"
        );
        assert_eq!(
            en(
                "data-units-missing-defaults",
                crate::args![units = 2usize, table = "a.csv"]
            ),
            "2 units of a.csv are missing from this table and take the inputs' defaults"
        );
        assert_eq!(
            en("data-keys-extra-left-out", crate::args![keys = 1usize, table = "a.csv"]),
            "1 key of this table is not a unit of a.csv, and is left out"
        );
        assert_eq!(
            en("data-keys-extra", crate::args![keys = 3usize, table = "a.csv"]),
            "3 keys of this table are not in a.csv"
        );
        assert_eq!(
            en(
                "data-key-mismatch-cause",
                crate::args![matched = 2usize, cause = "trailing-zero", key = "1.0", other = "1"]
            ),
            "2 of these keys differ from keys of the other table only by a trailing '.0' from a spreadsheet number ('1.0' against '1'): fix the key column in one table"
        );
        assert_eq!(
            en(
                "data-warn-far-from-median",
                crate::args![input = "pop", units = 1usize, factor = 300u32, median = "1,234"]
            ),
            "input 'pop': 1 unit over 300 times the median 1,234"
        );
        assert_eq!(
            en(
                "data-recorded-elsewhere",
                crate::args![name = "a.csv", kind = "disk", recorded = "embedded"]
            ),
            "the recorded inputs lead to a.csv (a file on disk), which the manifest records as a file built into equalize; it is not read"
        );
        assert_eq!(
            en("data-imprecise-cells", crate::args![cells = 1usize]),
            "1 cell hold numbers with more than 15 significant digits, which Excel cannot store exactly"
        );
        assert_eq!(
            en(
                "data-file-too-big",
                crate::args![what = "data file", size = 5u64, limit = 1073741824u64]
            ),
            "the data file is 5 bytes; the limit for a data file is 1073741824 bytes"
        );
        assert_eq!(
            text_in(Zh, "data-duplicate-key", crate::args![key = "620102"]),
            "主键 '620102' 重复"
        );
    }

    proptest::proptest! {
        /// The key set answers as an index set would, whether keys come sorted, with
        /// repeats, or out of order at any point.
        #[test]
        fn key_set_answers_as_an_index_set(
            keys in proptest::collection::vec("[a-c]{0,2}", 0..40),
            sorted_prefix in 0usize..40,
        ) {
            let mut keys = keys;
            let prefix = sorted_prefix.min(keys.len());
            keys[..prefix].sort();
            let (mut ours, mut reference) = (KeySet::with_capacity(4), IndexSet::new());
            for key in &keys {
                proptest::prop_assert_eq!(ours.insert_full(key.clone()), reference.insert_full(key.clone()));
            }
            for (i, key) in reference.iter().enumerate() {
                proptest::prop_assert_eq!(ours.get(i), key.as_str());
            }
            proptest::prop_assert_eq!(ours.into_texts().to_vec(), reference.into_iter().collect::<Vec<_>>());
        }
    }

    #[test]
    fn sorted_keys_are_collected_without_hashing_until_one_is_out_of_order() {
        let mut keys = KeySet::with_capacity(4);
        for key in ["110101", "110102", "110105"] {
            assert!(keys.insert_full(key.into()).1);
        }
        assert!(matches!(keys, KeySet::Ascending(_)));
        assert_eq!(
            keys.insert_full("110102".into()),
            (1, false),
            "a repeat is found at once"
        );
        assert!(matches!(keys, KeySet::Hashed(_)));
        assert_eq!(keys.insert_full("110103".into()), (3, true));
        assert_eq!(keys.into_texts(), ["110101", "110102", "110105", "110103"]);
    }

    #[test]
    fn keys_are_normalised_as_documented() {
        assert_eq!(normalize_key(" 110101 "), "110101");
        assert_eq!(normalize_key("110101.0"), "110101");
        assert_eq!(normalize_key("110101.00"), "110101");
        assert_eq!(normalize_key("010101"), "010101");
        assert_eq!(normalize_key("1101.5"), "1101.5");
        assert_eq!(normalize_key("A.0"), "A.0");
        let number = CellValue::Number {
            value: Decimal::from(110101),
            precise: true,
        };
        assert_eq!(key_text(&number).as_deref(), Some("110101"));
    }
}
