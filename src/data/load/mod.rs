//! Loading a dataset: resolve the files, find each input's column, read, join on the key.
//!
//! A request names one or more files or folders (`--data a.csv --data b.xlsx`,
//! `--data datasets/demo`). Every table must have the key column; every formula
//! input must be supplied by exactly one table; the tables must cover the same
//! keys. Every problem in every file is collected before giving up.
//!
//! [`sources`] turns the request into tables to read (files, folders with
//! dataset.toml, the embedded demo); [`plan`] finds each input's column; [`join`]
//! puts the rows together on the key.

mod join;
mod plan;
mod sources;

use join::{join, Part};
use plan::plan;
use sources::{gather, Gathered};

use std::collections::HashMap;
use std::path::PathBuf;

use super::csv::{self as csv_table, CsvTable};

use super::encoding::Encoding;
use super::table::{extract, Extracted, Plan, Problems, Table};
use super::{warnings, xlsx, Column, Dataset};
use crate::diag::{Diagnostic, Sources};
use crate::error::{Error, Result};
use crate::formula::Formula;

/// Largest data file read, in bytes: keeps memory bounded on hostile input.
pub const MAX_FILE_BYTES: u64 = crate::files::MAX_DATA_BYTES;
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
    /// `--where`: a filter for the first file given directly (dataset tables write theirs
    /// in dataset.toml).
    pub filter: Option<String>,
    /// The folder relative paths are read from, when not the process's own; names in
    /// outputs and messages stay as given.
    pub base: Option<PathBuf>,
    /// When set, the only files that may be read, by name (see `RunInputs::recorded`).
    pub recorded: Option<super::Recorded>,
}

/// A loaded dataset and the warnings found in it.
pub struct Loaded {
    pub dataset: Dataset,
    pub warnings: Vec<Diagnostic>,
}

/// One table to read, with its bytes.
pub(super) struct TableInput {
    pub(super) name: String,
    pub(super) bytes: Vec<u8>,
    pub(super) workbook: bool,
    pub(super) sheet: Option<String>,
    pub(super) encoding: Option<Encoding>,
    pub(super) renames: Vec<(String, String)>,
    pub(super) skip_keys: Vec<String>,
    pub(super) header: super::header::HeaderSpec,
    pub(super) filter: Option<(String, crate::formula::ast::Expr)>,
}

/// Load everything `request` names for `formula`.
pub fn load(sources: &mut Sources, request: &DataRequest, formula: &Formula) -> Result<Loaded> {
    let (loaded, texts) = load_tables(sources, request, formula)?;
    // The tables' texts served their diagnostics; the data lives in the dataset now.
    for id in texts {
        sources.forget(id);
    }
    Ok(loaded)
}

fn load_tables(
    sources: &mut Sources,
    request: &DataRequest,
    formula: &Formula,
) -> Result<(Loaded, Vec<crate::diag::FileId>)> {
    let Gathered {
        mut inputs,
        read_files,
        key,
        names,
        provenance,
        exact_join,
    } = gather(sources, request, formula)?;
    if inputs.is_empty() {
        return Err(Error::usage(crate::tr!("data-no-data-given")));
    }

    // Register CSV texts (needs &mut Sources), then open every table.
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut csv_ids = Vec::new();
    // Each file's bytes are handed on, never copied: a CSV's become its text.
    let mut bodies: Vec<Vec<u8>> = inputs.iter_mut().map(|i| std::mem::take(&mut i.bytes)).collect();
    for (i, input) in inputs.iter().enumerate() {
        if !input.workbook {
            match csv_table::register(sources, &input.name, std::mem::take(&mut bodies[i]), input.encoding) {
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
            xlsx::open(
                &input.name,
                std::mem::take(&mut bodies[i]),
                input.sheet.as_deref(),
                &input.renames,
                input.header,
            )
            .map(AnyTable::Sheet)
        } else {
            match csv_ids.iter().find(|(j, _)| *j == i) {
                Some(&(_, id)) => CsvTable::open(sources, id, &input.renames, input.header).map(AnyTable::Csv),
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

    let mut broken_filter = false;
    let plans = plan(
        &tables,
        &table_inputs,
        formula,
        &key,
        sources,
        &mut problems,
        &mut broken_filter,
    );
    // A filter that cannot be read would leave every row in: what follows from that (keys
    // such as NA repeated, units missing elsewhere) would bury its own error.
    if broken_filter {
        return Err(Error::Invalid(problems));
    }
    let mut warnings: Vec<Diagnostic> = tables.iter().flat_map(|t| t.notes()).collect();
    let mut parts: Vec<Part> = Vec::new();
    // Tables are read on the pool, one each, and taken in their order: several files of a
    // county-level dataset load in the time of the largest.
    let extract_one = |(table, plan): (&mut AnyTable, &Plan)| {
        let key_column = plan.key?;
        let mut table_problems = Problems::default();
        let extracted = extract(table, key_column, plan, formula, &mut table_problems);
        Some((extracted, table_problems))
    };
    let extracted_all: Vec<Option<(Extracted, Problems)>> = if tables.len() > 1 {
        use rayon::prelude::*;
        tables.par_iter_mut().zip(&plans).map(extract_one).collect()
    } else {
        tables.iter_mut().zip(&plans).map(extract_one).collect()
    };
    for ((table, plan), extracted) in tables.iter_mut().zip(&plans).zip(extracted_all) {
        let Some((extracted, table_problems)) = extracted else {
            continue;
        };
        problems.extend(table_problems.finish(table.file()));
        warnings.extend(extracted.warnings.iter().cloned());
        if let AnyTable::Sheet(sheet) = table {
            let columns: Vec<usize> = plan.inputs.iter().map(|&(_, c)| c).collect();
            let cells = sheet.imprecise_cells(&columns);
            if let Some(first) = cells.first() {
                warnings.push(
                    Diagnostic::warning_t("data-imprecise-cells", crate::args![cells = cells.len()])
                        .at(first.clone())
                        .note_t("data-imprecise-cells-note", crate::args![]),
                );
            }
        }
        parts.push(Part {
            name: table.name().to_string(),
            file: table.file().to_string(),
            cites: plan
                .inputs
                .iter()
                .map(|&(input, column)| (input, table.cite(column)))
                .collect(),
            extracted,
        });
    }
    let origin = names.join(", ");
    let left_out: Vec<String> = parts
        .iter()
        .flat_map(|p| p.extracted.left_out.iter().cloned())
        .collect();
    let joined = join(parts, formula, &origin, exact_join);
    let (mut dataset, join_warnings) = match joined {
        Ok(joined) if problems.is_empty() => joined,
        other => {
            // Warnings found on the way often explain an error (a skip_keys entry that
            // matched nothing, keys dropped from a side table): they are reported with it.
            match other {
                Ok((_, join_warnings)) => problems.extend(join_warnings),
                Err(join_problems) => problems.extend(join_problems),
            }
            problems.extend(warnings);
            return Err(Error::Invalid(problems));
        }
    };
    warnings.extend(join_warnings);
    let mut left_out = left_out;
    left_out.append(&mut dataset.left_out);
    dataset.name = names.first().cloned().unwrap_or_default();
    dataset.provenance = provenance.join("; ");
    dataset.files = read_files;
    dataset.left_out = left_out;
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
    Ok((
        Loaded { dataset, warnings },
        csv_ids.into_iter().map(|(_, id)| id).collect(),
    ))
}

/// The kinds of table a dataset can hold.
pub(super) enum AnyTable<'a> {
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
    fn cite(&self, column: usize) -> crate::data::CellCite {
        match self {
            AnyTable::Csv(t) => t.cite(column),
            AnyTable::Sheet(t) => t.cite(column),
        }
    }
    fn notes(&self) -> Vec<Diagnostic> {
        match self {
            AnyTable::Csv(t) => t.notes(),
            AnyTable::Sheet(t) => t.notes(),
        }
    }
    fn rows_hint(&self) -> usize {
        match self {
            AnyTable::Csv(t) => t.rows_hint(),
            AnyTable::Sheet(t) => t.rows_hint(),
        }
    }
    fn scan(&mut self, visit: &mut dyn FnMut(&dyn super::table::Row)) -> std::result::Result<(), Diagnostic> {
        match self {
            AnyTable::Csv(t) => t.scan(visit),
            AnyTable::Sheet(t) => t.scan(visit),
        }
    }
    fn parts(&self, n: usize) -> Option<Vec<Box<dyn Table + Send + '_>>> {
        match self {
            AnyTable::Csv(t) => t.parts(n),
            AnyTable::Sheet(t) => t.parts(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formula(sources: &mut Sources) -> Formula {
        let id = sources.add(
            "f.toml",
            "[formula]\nname = \"f\"\nkey = \"code\"\n[inputs.need]\n[inputs.revenue]\n\
             [[allocation]]\nname = \"s\"\npool = \"1\"\nweight = \"need\"\n"
                .to_string(),
        );
        crate::formula::load(sources, id).unwrap()
    }

    fn request(tables: &[(&str, &str)]) -> DataRequest {
        DataRequest {
            sources: tables
                .iter()
                .map(|(name, text)| DataSource::Bytes {
                    name: name.to_string(),
                    bytes: text.as_bytes().to_vec(),
                })
                .collect(),
            ..DataRequest::default()
        }
    }

    fn messages(err: Error) -> Vec<String> {
        err.diagnostics().iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn tables_are_joined_on_the_key_in_key_order() {
        let mut sources = Sources::default();
        let formula = formula(&mut sources);
        let req = request(&[
            ("a.csv", "code,need\n2,20\n1,10\n"),
            ("b.csv", "revenue,code\n5,1\n6,2\n"),
        ]);
        let loaded = load(&mut sources, &req, &formula).unwrap();
        let data = loaded.dataset;
        assert_eq!(data.keys, ["1", "2"]);
        assert_eq!(data.columns[0], Column::Num(vec![10.into(), 20.into()]));
        assert_eq!(data.columns[1], Column::Num(vec![5.into(), 6.into()]));
        assert_eq!(data.input_files, ["a.csv", "b.csv"]);
        assert_eq!(data.origin, "a.csv, b.csv");
    }

    /// docs/performance.md: a table's text is not held once loaded (a 65 MB CSV would be held
    /// while the formula runs); the formula's text stays, for the engine's messages.
    #[test]
    fn the_tables_texts_are_dropped_once_loaded_and_the_formula_s_kept() {
        let mut sources = Sources::default();
        let formula = formula(&mut sources);
        let req = request(&[
            ("a.csv", "code,need\n2,20\n1,10\n"),
            ("b.csv", "revenue,code\n5,1\n6,2\n"),
        ]);
        load(&mut sources, &req, &formula).unwrap();
        assert!(sources.get(0).text.contains("[formula]"));
        for (id, name) in [(1, "a.csv"), (2, "b.csv")] {
            assert_eq!(sources.get(id).name, name);
            assert!(sources.get(id).text.is_empty(), "{name} is still held");
        }
    }

    #[test]
    fn keys_one_table_lacks_are_listed() {
        let mut sources = Sources::default();
        let formula = formula(&mut sources);
        let req = request(&[
            ("a.csv", "code,need\n1,10\n2,20\n3,30\n"),
            ("b.csv", "code,revenue\n1,5\n4,6\n"),
        ]);
        let problems = messages(load(&mut sources, &req, &formula).err().unwrap());
        // The first table defines the units: the side table's extra key is not an error.
        assert_eq!(
            problems,
            [
                "b.csv: error: 2 units of a.csv are missing from this table\n  = units: 2, 3\n  = add their rows; only if these units truly have no figures in this table, declare a default for revenue in the formula's [inputs]\n",
                "b.csv: warning: 1 key of this table is not a unit of a.csv, and is left out\n  = keys: 4\n"
            ]
        );
    }

    #[test]
    fn a_side_table_is_joined_to_the_first_extra_keys_dropped_missing_ones_defaulted() {
        let mut sources = Sources::default();
        let id = sources.add(
            "f.toml",
            "[formula]\nname = \"f\"\nkey = \"code\"\n[inputs.need]\n[inputs.revenue]\ndefault = \"0\"\n\
             [[allocation]]\nname = \"s\"\npool = \"1\"\nweight = \"need\"\n"
                .to_string(),
        );
        let formula = crate::formula::load(&sources, id).unwrap();
        let req = request(&[
            ("a.csv", "code,need\n1,10\n2,20\n3,30\n"),
            ("b.csv", "code,revenue\n1,5\n2,7\n4,6\n合计,11\n"),
        ]);
        let loaded = load(&mut sources, &req, &formula).unwrap();
        assert_eq!(loaded.dataset.keys, ["1", "2", "3"]);
        assert_eq!(
            loaded.dataset.columns[1],
            Column::Num(vec![5.into(), 7.into(), 0.into()])
        );
        let warnings: Vec<String> = loaded.warnings.iter().map(|d| d.to_string()).collect();
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("1 unit of a.csv is missing from this table and takes the inputs' defaults")),
            "{warnings:?}"
        );
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("2 keys of this table are not units of a.csv, and are left out")),
            "{warnings:?}"
        );
        // Most units missing is not a matter of defaults: an error.
        let mostly_missing = request(&[
            ("a.csv", "code,need\n1,10\n2,20\n3,30\n"),
            ("b.csv", "code,revenue\n1,5\n"),
        ]);
        let problems = messages(load(&mut sources, &mostly_missing, &formula).err().unwrap());
        assert!(
            problems[0].contains("more than half the units are missing"),
            "{problems:?}"
        );
        assert_eq!(loaded.dataset.left_out, ["b.csv: 2 rows not units of a.csv left out"]);
    }

    #[test]
    fn labels_two_tables_disagree_on_are_listed() {
        let mut sources = Sources::default();
        let id = sources.add(
            "f.toml",
            "[formula]\nname = \"f\"\nkey = \"code\"\nlabel = \"name\"\n[inputs.need]\n[inputs.revenue]\n\
             [[allocation]]\nname = \"s\"\npool = \"1\"\nweight = \"need\"\n"
                .to_string(),
        );
        let formula = crate::formula::load(&sources, id).unwrap();
        let req = request(&[
            ("a.csv", "code,name,need\n1,东乡族自治县,10\n2,积石山县,20\n"),
            ("b.csv", "code,name,revenue\n1,积石山县,5\n2,东乡族自治县,6\n"),
        ]);
        let loaded = load(&mut sources, &req, &formula).unwrap();
        assert_eq!(loaded.dataset.labels.as_ref().unwrap(), &["东乡族自治县", "积石山县"]);
        let warnings: Vec<String> = loaded.warnings.iter().map(|d| d.to_string()).collect();
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("the label differs from a.csv for 2 units")
                    && w.contains("1: '积石山县' here, '东乡族自治县' in a.csv")),
            "{warnings:?}"
        );
        assert_eq!(loaded.dataset.find_unit("积石山县"), Ok(1));
        assert!(loaded
            .dataset
            .find_unit("临夏县")
            .unwrap_err()
            .contains("no unit with key or label"));
    }

    #[test]
    fn keys_that_differ_by_a_leading_zero_or_scientific_notation_are_diagnosed() {
        let mut sources = Sources::default();
        let formula = formula(&mut sources);
        let zeros = request(&[
            ("a.csv", "code,need\n0620102,10\n0620103,20\n"),
            ("b.csv", "code,revenue\n620102,5\n620103,6\n"),
        ]);
        let problems = messages(load(&mut sources, &zeros, &formula).err().unwrap());
        assert!(
            problems[0].contains("differ from keys of the other table only by a leading zero"),
            "{problems:?}"
        );
        let scientific = request(&[
            ("a.csv", "code,need\n620102,10\n620103,20\n"),
            ("b.csv", "code,revenue\n6.20102E+05,5\n6.20103E+05,6\n"),
        ]);
        let problems = messages(load(&mut sources, &scientific, &formula).err().unwrap());
        assert!(problems[0].contains("only by scientific notation"), "{problems:?}");
    }

    #[test]
    fn a_missing_column_is_reported_with_a_suggestion_and_the_header() {
        let mut sources = Sources::default();
        let formula = formula(&mut sources);
        let req = request(&[("a.csv", "code,need,revenu\n1,10,5\n")]);
        let problems = messages(load(&mut sources, &req, &formula).err().unwrap());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("error: missing column 'revenue' (input of type number)"),
            "{}",
            problems[0]
        );
        assert!(problems[0].contains("= did you mean 'revenu'?"), "{}", problems[0]);
        assert!(
            problems[0].contains("= a.csv has: code, need, revenu"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn a_base_folder_is_read_from_while_names_stay_as_written() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("in")).unwrap();
        std::fs::write(dir.path().join("in/t.csv"), "code,need,revenue\n1,10,5\n").unwrap();
        let mut sources = Sources::default();
        let formula = formula(&mut sources);
        let req = DataRequest {
            sources: vec![DataSource::Path("in/t.csv".into())],
            base: Some(dir.path().to_path_buf()),
            ..DataRequest::default()
        };
        let loaded = load(&mut sources, &req, &formula).unwrap();
        assert_eq!(loaded.dataset.files[0].name, "in/t.csv");
        assert_eq!(loaded.dataset.origin, "in/t.csv");
    }
}
