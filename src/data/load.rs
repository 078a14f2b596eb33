//! Loading a dataset: resolve the files, find each input's column, read, join on the key.
//!
//! A request names one or more files or folders (`--data a.csv --data b.xlsx`,
//! `--data datasets/demo`). Every table must have the key column; every formula
//! input must be supplied by exactly one table; the tables must cover the same
//! keys. Every problem in every file is collected before giving up.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::csv::{self as csv_table, CsvTable};
use super::dataset::{self, TableSpec};
use super::encoding::Encoding;
use super::table::{extract, Extracted, Plan, Problems, Table};
use super::{warnings, xlsx, Column, DataFile, Dataset};
use crate::diag::{did_you_mean, plural, Diagnostic, Sources};
use crate::error::{Error, Result};
use crate::formula::Formula;

/// Largest data file read, in bytes: keeps memory bounded on hostile input.
pub const MAX_FILE_BYTES: u64 = 1 << 30;
/// Keys listed in a join problem before the rest are counted.
const KEYS_LISTED: usize = 20;

/// Where data comes from.
#[derive(Debug, Clone)]
pub enum DataSource {
    /// A file (`.csv`, `.xlsx`, ..., optionally `book.xlsx#Sheet`) or a folder with dataset.toml.
    Path(PathBuf),
    /// Files compiled into the binary (the shipped demo): a dataset.toml and its tables.
    Embedded {
        folder: &'static str,
        files: &'static [(&'static str, &'static [u8])],
    },
    /// One table held in memory (CSV or workbook, recognised by name and content).
    Bytes { name: String, bytes: Vec<u8> },
}

#[derive(Debug, Clone, Default)]
pub struct DataRequest {
    pub sources: Vec<DataSource>,
    /// Sheet to read from workbooks given directly (not through dataset.toml).
    pub sheet: Option<String>,
    /// Encoding of CSV files given directly; detected when absent.
    pub encoding: Option<Encoding>,
    /// Allow dataset.toml tables outside their folder.
    pub allow_outside: bool,
    /// The folder relative paths are read from, when not the process's own; names in
    /// outputs and messages stay as given.
    pub base: Option<PathBuf>,
}

/// A loaded dataset and the warnings found in it.
pub struct Loaded {
    pub dataset: Dataset,
    pub warnings: Vec<Diagnostic>,
}

/// One table to read, with its bytes.
struct TableInput {
    name: String,
    bytes: Vec<u8>,
    workbook: bool,
    sheet: Option<String>,
    encoding: Option<Encoding>,
    renames: Vec<(String, String)>,
    skip_keys: Vec<String>,
}

/// Load everything `request` names for `formula`.
pub fn load(sources: &mut Sources, request: &DataRequest, formula: &Formula) -> Result<Loaded> {
    let mut inputs = Vec::new();
    let mut read_files: Vec<DataFile> = Vec::new();
    let mut key = formula.key.clone();
    let mut names = Vec::new();
    let mut provenance = Vec::new();
    let on_disk = |path: &Path| super::on_disk(request.base.as_deref(), path);
    for source in &request.sources {
        match source {
            DataSource::Embedded { folder, files } => {
                let read = |name: &Path| -> std::result::Result<Vec<u8>, String> {
                    let name = name.to_string_lossy();
                    files
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map(|(_, b)| b.to_vec())
                        .ok_or(format!("no file {name}"))
                };
                let toml_bytes = read(Path::new("dataset.toml"));
                if let Ok(bytes) = &toml_bytes {
                    read_files.push(DataFile::new(format!("{folder}/dataset.toml"), bytes, true));
                }
                let spec = read_dataset_toml(sources, &format!("{folder}/dataset.toml"), toml_bytes)?;
                absorb(&spec, &mut key, &mut names, &mut provenance, folder);
                for table in &spec.tables {
                    let bytes = read(&table.file).map_err(|e| table_missing(folder, table, &e))?;
                    let name = format!("{folder}/{}", table.file.display());
                    read_files.push(DataFile::new(&name, &bytes, true));
                    inputs.push(from_spec(name, bytes, table));
                }
            }
            DataSource::Path(path) if on_disk(path).is_dir() => {
                let toml_path = path.join("dataset.toml");
                let text = read_file(&on_disk(&toml_path)).map_err(|e| match e {
                    Error::Io { .. } => Error::invalid(
                        Diagnostic::error(format!("{} is a folder without a dataset.toml", path.display()))
                            .note("a dataset folder describes its tables in dataset.toml; see docs/data.md"),
                    ),
                    other => other,
                })?;
                read_files.push(DataFile::new(toml_path.display().to_string(), &text, false));
                let spec = read_dataset_toml(sources, &toml_path.display().to_string(), Ok(text))?;
                let folder = path.display().to_string();
                absorb(&spec, &mut key, &mut names, &mut provenance, &folder);
                let mut problems = Vec::new();
                for table in &spec.tables {
                    match dataset::resolve_inside(&on_disk(path), &table.file, request.allow_outside) {
                        Ok(real) => {
                            let bytes = read_file(&real)?;
                            let file = path.join(&table.file);
                            read_files.push(DataFile::new(file.display().to_string(), &bytes, false));
                            inputs.push(from_spec(file.display().to_string(), bytes, table));
                        }
                        Err(message) => problems.push(Diagnostic::error(message).at(sources.locate(table.span))),
                    }
                }
                if !problems.is_empty() {
                    return Err(Error::Invalid(problems));
                }
            }
            DataSource::Bytes { name, bytes } => {
                names.push(name.clone());
                read_files.push(DataFile::new(name, bytes, false));
                inputs.push(TableInput {
                    workbook: is_workbook(Path::new(name), bytes),
                    name: name.clone(),
                    bytes: bytes.clone(),
                    sheet: request.sheet.clone(),
                    encoding: request.encoding,
                    renames: Vec::new(),
                    skip_keys: Vec::new(),
                });
            }
            DataSource::Path(path) => {
                let (real, sheet) = split_sheet(&on_disk(path));
                let bytes = read_file(&real)?;
                let file = match &request.base {
                    Some(base) if path.is_relative() => real.strip_prefix(base).unwrap_or(&real).to_path_buf(),
                    _ => real.clone(),
                };
                let name = file.display().to_string();
                names.push(name.clone());
                read_files.push(DataFile::new(&name, &bytes, false));
                inputs.push(TableInput {
                    workbook: is_workbook(&file, &bytes),
                    name,
                    bytes,
                    sheet: sheet.or_else(|| request.sheet.clone()),
                    encoding: request.encoding,
                    renames: Vec::new(),
                    skip_keys: Vec::new(),
                });
            }
        }
    }
    if inputs.is_empty() {
        return Err(Error::usage("no data given"));
    }

    // Register CSV texts (needs &mut Sources), then open every table.
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut csv_ids = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        if !input.workbook {
            match csv_table::register(sources, &input.name, &input.bytes, input.encoding) {
                Ok(id) => csv_ids.push((i, id)),
                Err(d) => problems.push(d),
            }
        }
    }
    let sources: &Sources = sources;
    let mut tables: Vec<AnyTable> = Vec::new();
    let mut table_inputs: Vec<&TableInput> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let opened = if input.workbook {
            xlsx::open(&input.name, input.bytes.clone(), input.sheet.as_deref(), &input.renames).map(AnyTable::Sheet)
        } else {
            match csv_ids.iter().find(|(j, _)| *j == i) {
                Some(&(_, id)) => CsvTable::open(sources, id, &input.renames).map(AnyTable::Csv),
                None => continue, // its decoding problem is already reported
            }
        };
        match opened {
            Ok(table) => {
                tables.push(table);
                table_inputs.push(input);
            }
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }

    let plans = plan(&tables, &table_inputs, formula, &key, &mut problems);
    let mut warnings = Vec::new();
    let mut parts: Vec<Part> = Vec::new();
    for (table, plan) in tables.iter_mut().zip(&plans) {
        let Some(key_column) = plan.key else { continue };
        let mut table_problems = Problems::default();
        let extracted = extract(table, key_column, plan, formula, &mut table_problems);
        problems.extend(table_problems.finish(table.file()));
        if let AnyTable::Sheet(sheet) = table {
            let columns: Vec<usize> = plan.inputs.iter().map(|&(_, c)| c).collect();
            let cells = sheet.imprecise_cells(&columns);
            if let Some(first) = cells.first() {
                warnings.push(
                    Diagnostic::warning(format!(
                        "{} hold numbers with more than 15 significant digits, which Excel cannot store exactly",
                        plural(cells.len(), "cell")
                    ))
                    .at(first.clone())
                    .note("store such numbers as text in the workbook to keep every digit"),
                );
            }
        }
        parts.push(Part {
            name: table.name().to_string(),
            file: table.file().to_string(),
            extracted,
        });
    }
    let origin = names.join(", ");
    let joined = join(parts, formula, &origin);
    if let Err(join_problems) = &joined {
        problems.extend(join_problems.iter().cloned());
    }
    let mut dataset = match joined {
        Ok(dataset) if problems.is_empty() => dataset,
        _ => return Err(Error::Invalid(problems)),
    };
    dataset.name = names.first().cloned().unwrap_or_default();
    dataset.provenance = provenance.join("; ");
    dataset.files = read_files;
    dataset.input_files = formula
        .inputs
        .iter()
        .enumerate()
        .map(|(index, _)| {
            plans
                .iter()
                .zip(&tables)
                .find(|(plan, _)| plan.inputs.iter().any(|&(i, _)| i == index))
                .map(|(_, table)| table.file().to_string())
                .unwrap_or_default()
        })
        .collect();
    dataset.sort_by_key();
    warnings.extend(warnings::check(&dataset, formula));
    Ok(Loaded { dataset, warnings })
}

/// The kinds of table a dataset can hold.
enum AnyTable<'a> {
    Csv(CsvTable<'a>),
    Sheet(xlsx::SheetTable),
}

impl Table for AnyTable<'_> {
    fn name(&self) -> &str {
        match self {
            AnyTable::Csv(t) => t.name(),
            AnyTable::Sheet(t) => t.name(),
        }
    }
    fn file(&self) -> &str {
        match self {
            AnyTable::Csv(t) => t.file(),
            AnyTable::Sheet(t) => t.file(),
        }
    }
    fn headers(&self) -> &[String] {
        match self {
            AnyTable::Csv(t) => t.headers(),
            AnyTable::Sheet(t) => t.headers(),
        }
    }
    fn locate_header(&self, column: usize) -> crate::diag::Location {
        match self {
            AnyTable::Csv(t) => t.locate_header(column),
            AnyTable::Sheet(t) => t.locate_header(column),
        }
    }
    fn scan(&mut self, visit: &mut dyn FnMut(&dyn super::table::Row)) -> std::result::Result<(), Diagnostic> {
        match self {
            AnyTable::Csv(t) => t.scan(visit),
            AnyTable::Sheet(t) => t.scan(visit),
        }
    }
}

fn absorb(
    spec: &dataset::DatasetSpec,
    key: &mut String,
    names: &mut Vec<String>,
    provenance: &mut Vec<String>,
    folder: &str,
) {
    if let Some(k) = &spec.key {
        key.clone_from(k);
    }
    names.push(if spec.name.is_empty() {
        folder.to_string()
    } else {
        format!("{folder} ({})", spec.name)
    });
    if !spec.source.is_empty() {
        provenance.push(spec.source.clone());
    }
}

fn from_spec(name: String, bytes: Vec<u8>, table: &TableSpec) -> TableInput {
    TableInput {
        workbook: is_workbook(Path::new(&name), &bytes),
        name,
        bytes,
        sheet: table.sheet.clone(),
        encoding: table.encoding,
        renames: table.renames.clone(),
        skip_keys: table.skip_keys.clone(),
    }
}

fn table_missing(folder: &str, table: &TableSpec, error: &str) -> Error {
    Error::Internal(format!("embedded dataset {folder}: {} ({error})", table.file.display()))
}

fn read_dataset_toml(
    sources: &mut Sources,
    name: &str,
    bytes: std::result::Result<Vec<u8>, String>,
) -> Result<dataset::DatasetSpec> {
    let bytes = bytes.map_err(Error::Internal)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::invalid(Diagnostic::error("dataset.toml is not valid UTF-8").at_file(name)))?;
    let id = sources.add(name, text);
    dataset::read(sources, id).map_err(Error::Invalid)
}

fn read_file(path: &Path) -> Result<Vec<u8>> {
    let metadata = std::fs::metadata(path).map_err(|e| Error::io(path, "read", e))?;
    if metadata.len() > MAX_FILE_BYTES {
        return Err(Error::invalid(
            Diagnostic::error(format!(
                "the file is {} bytes; the limit for a data file is {MAX_FILE_BYTES} bytes",
                metadata.len()
            ))
            .at_file(path.display().to_string())
            .note("split the data into several tables, or check that this is the right file"),
        ));
    }
    std::fs::read(path).map_err(|e| Error::io(path, "read", e))
}

/// `book.xlsx#Sheet2` → (`book.xlsx`, Some(`Sheet2`)) when `book.xlsx#Sheet2` itself does not exist.
fn split_sheet(path: &Path) -> (PathBuf, Option<String>) {
    let text = path.to_string_lossy();
    if !path.exists() {
        if let Some((file, sheet)) = text.rsplit_once('#') {
            if Path::new(file).is_file() {
                return (PathBuf::from(file), Some(sheet.to_string()));
            }
        }
    }
    (path.to_path_buf(), None)
}

fn is_workbook(path: &Path, bytes: &[u8]) -> bool {
    let extension = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("xlsx" | "xlsm" | "xlsb" | "xls" | "ods") => true,
        Some("csv" | "txt") => false,
        // Unknown: a zip (xlsx, ods) or an OLE compound file (xls) is a workbook.
        _ => bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0"),
    }
}

/// For every table: which column is the key, the label, and each input it supplies.
fn plan<'a>(
    tables: &[AnyTable],
    inputs: &[&'a TableInput],
    formula: &Formula,
    key: &str,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Plan<'a>> {
    let position = |table: &dyn Table, name: &str| table.headers().iter().position(|h| h == name);
    let mut plans: Vec<Plan> = Vec::new();
    for (table, input) in tables.iter().zip(inputs) {
        match position(table, key) {
            Some(k) => plans.push(Plan {
                key: Some(k),
                label: None,
                inputs: Vec::new(),
                skip_keys: &input.skip_keys,
            }),
            None => {
                let hint = did_you_mean(key, table.headers().iter().map(String::as_str));
                let mut d = Diagnostic::error(format!("missing key column '{key}'")).at(table.locate_header(0));
                if let Some(h) = hint {
                    d = d.note(format!("did you mean '{h}'?"));
                }
                problems.push(d.note(format!("the header has: {}", table.headers().join(", "))));
                plans.push(Plan {
                    key: None,
                    label: None,
                    inputs: Vec::new(),
                    skip_keys: &input.skip_keys,
                });
            }
        }
    }
    if let Some(label) = &formula.label {
        match tables.iter().position(|t| position(t, label).is_some()) {
            Some(t) => plans[t].label = position(&tables[t], label),
            None => problems.push(missing_column(tables, label, &[], "the label")),
        }
    }
    for (index, input) in formula.inputs.iter().enumerate() {
        let mut wanted = vec![input.name.as_str()];
        wanted.extend(input.aliases.iter().map(String::as_str));
        let mut found = Vec::new();
        for (t, table) in tables.iter().enumerate() {
            let columns: Vec<usize> = table
                .headers()
                .iter()
                .enumerate()
                .filter(|(_, h)| wanted.contains(&h.as_str()))
                .map(|(c, _)| c)
                .collect();
            for c in columns {
                found.push((t, c));
            }
        }
        match found.as_slice() {
            [(t, c)] => plans[*t].inputs.push((index, *c)),
            [] => problems.push(missing_column(
                tables,
                &input.name,
                &input.aliases,
                &format!("input of type {}", input.kind.name()),
            )),
            several => {
                let places: Vec<String> = several
                    .iter()
                    .map(|&(t, c)| format!("'{}' in {}", tables[t].headers()[c], tables[t].name()))
                    .collect();
                let (t, c) = several[1];
                problems.push(
                    Diagnostic::error(format!(
                        "several columns can supply input '{}': {}",
                        input.name,
                        places.join(", ")
                    ))
                    .at(tables[t].locate_header(c))
                    .note("keep one of them (or rename one in dataset.toml), or remove the alias from the formula"),
                );
            }
        }
    }
    plans
}

fn missing_column(tables: &[AnyTable], name: &str, aliases: &[String], what: &str) -> Diagnostic {
    let all: Vec<&str> = tables
        .iter()
        .flat_map(|t| t.headers().iter().map(String::as_str))
        .collect();
    let mut d = Diagnostic::error(format!("missing column '{name}' ({what})"));
    if tables.len() == 1 {
        d = d.at(tables[0].locate_header(0));
    }
    if !aliases.is_empty() {
        d = d.note(format!("also accepted as: {}", aliases.join(", ")));
    }
    if let Some(hint) = did_you_mean(name, all.iter().copied()) {
        d = d.note(format!("did you mean '{hint}'?"));
    }
    for table in tables {
        d = d.note(format!("{} has: {}", table.name(), table.headers().join(", ")));
    }
    d
}

/// Join the tables' rows on the key; all tables must cover the same keys.
/// One table's rows, with the names to report them under.
struct Part {
    name: String,
    file: String,
    extracted: Extracted,
}

fn join(parts: Vec<Part>, formula: &Formula, origin: &str) -> std::result::Result<Dataset, Vec<Diagnostic>> {
    let mut parts = parts.into_iter();
    let Some(Part {
        name: first_name,
        file: first_file,
        extracted: first,
    }) = parts.next()
    else {
        return Err(Vec::new()); // every table failed earlier; those problems are reported
    };
    if first.keys.is_empty() {
        return Err(vec![
            Diagnostic::error("the table has a header but no data rows").at_file(&first_file)
        ]);
    }
    let mut labels = first.labels;
    let mut columns: Vec<Option<Column>> = vec![None; formula.inputs.len()];
    for (input, column) in first.columns {
        columns[input] = Some(column);
    }
    let position: HashMap<&str, usize> = first.keys.iter().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    let mut problems = Vec::new();
    for Part {
        file, extracted: part, ..
    } in parts
    {
        let mut order = vec![usize::MAX; first.keys.len()];
        let mut extra = Vec::new();
        for (row, key) in part.keys.iter().enumerate() {
            match position.get(key.as_str()) {
                Some(&i) => order[i] = row,
                None => extra.push(key.as_str()),
            }
        }
        let missing: Vec<&str> = order
            .iter()
            .enumerate()
            .filter(|(_, &r)| r == usize::MAX)
            .map(|(i, _)| first.keys[i].as_str())
            .collect();
        if !missing.is_empty() {
            problems.push(
                Diagnostic::error(format!(
                    "{} of {first_name} {} missing from this table",
                    plural(missing.len(), "key"),
                    if missing.len() == 1 { "is" } else { "are" }
                ))
                .at_file(&file)
                .note(list_keys(&missing)),
            );
        }
        if !extra.is_empty() {
            problems.push(
                Diagnostic::error(format!(
                    "{} of this table {} not in {first_name}",
                    plural(extra.len(), "key"),
                    if extra.len() == 1 { "is" } else { "are" }
                ))
                .at_file(&file)
                .note(list_keys(&extra)),
            );
        }
        if !problems.is_empty() {
            continue;
        }
        let reorder = |column: Column| -> Column {
            match column {
                Column::Num(v) => Column::Num(order.iter().map(|&r| v[r]).collect()),
                Column::Bool(v) => Column::Bool(order.iter().map(|&r| v[r]).collect()),
                Column::Text(v) => Column::Text(order.iter().map(|&r| v[r].clone()).collect()),
            }
        };
        for (input, column) in part.columns {
            columns[input] = Some(reorder(column));
        }
        if labels.is_none() {
            labels = part.labels.map(|l| order.iter().map(|&r| l[r].clone()).collect());
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // An input without a column had its problem (missing, ambiguous) reported while planning.
    let columns = columns.into_iter().collect::<Option<Vec<_>>>().ok_or_else(Vec::new)?;
    Ok(Dataset {
        origin: origin.to_string(),
        name: String::new(),
        provenance: String::new(),
        files: Vec::new(),
        input_files: Vec::new(),
        keys: first.keys,
        labels,
        columns,
    })
}

fn list_keys(keys: &[&str]) -> String {
    let mut sorted = keys.to_vec();
    sorted.sort_unstable();
    let shown: Vec<&str> = sorted.iter().take(KEYS_LISTED).copied().collect();
    let more = sorted.len().saturating_sub(KEYS_LISTED);
    if more > 0 {
        format!("keys: {} and {more} more", shown.join(", "))
    } else {
        format!("keys: {}", shown.join(", "))
    }
}
