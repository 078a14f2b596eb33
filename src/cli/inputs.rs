//! Turning `--formula`, `--data` and `--set` into a loaded formula, dataset and params.
//!
//! This is the one place where input arguments are validated. With neither
//! `--formula` nor `--data`, the shipped demo (embedded in the binary, so it
//! works from any directory) is used.

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::data::encoding::Encoding;
use crate::data::{self, DataRequest, DataSource, Dataset};
use crate::diag::{did_you_mean, Diagnostic, Sources};
use crate::engine;
use crate::error::{Error, Result};
use crate::formula::{self, Formula};
use crate::money;
use crate::shipped;

pub const DEMO_FORMULA_NAME: &str = "formulas/demo.toml";
pub const DEMO_FORMULA: &str = include_str!("../../formulas/demo.toml");
/// The shipped demo dataset, compiled in so `equalize run` works from any directory.
pub const DEMO_DATA: DataSource = DataSource::Embedded {
    folder: "datasets/demo",
    files: &[
        ("dataset.toml", include_bytes!("../../datasets/demo/dataset.toml")),
        ("population.csv", include_bytes!("../../datasets/demo/population.csv")),
        ("revenue.xlsx", include_bytes!("../../datasets/demo/revenue.xlsx")),
        (
            "service_gaps.csv",
            include_bytes!("../../datasets/demo/service_gaps.csv"),
        ),
    ],
};

#[derive(clap::Args, Debug, Clone, Default)]
pub struct InputArgs {
    /// Formula file (TOML). Default: the shipped demo formula.
    #[arg(long, short = 'f', value_name = "FILE")]
    pub formula: Option<PathBuf>,
    /// Data: a CSV or workbook file (book.xlsx#Sheet for a sheet), or a folder with
    /// dataset.toml. Repeat to join several tables on the key. Default: the demo data;
    /// required with --formula.
    #[arg(long, short = 'd', value_name = "PATH")]
    pub data: Vec<PathBuf>,
    /// Sheet of workbooks given with --data (default: the first sheet).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Encoding of CSV files given with --data: utf-8, utf-16le, utf-16be, gb18030 (gbk).
    /// Default: detected (byte-order mark, then UTF-8, else GB18030).
    #[arg(long, value_name = "NAME", value_parser = parse_encoding)]
    pub encoding: Option<Encoding>,
    /// Let dataset.toml name tables outside its folder.
    #[arg(long)]
    pub allow_outside: bool,
    /// Override a param for this run, exactly: --set pool=1050000 --set per_capita.health=0.9
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// A scenario file: a base formula and dataset and what to change (docs/scenarios.md).
    /// `run` accepts several and writes one output folder per scenario.
    #[arg(long, value_name = "FILE")]
    pub scenario: Vec<PathBuf>,
}

fn parse_encoding(text: &str) -> std::result::Result<Encoding, String> {
    Encoding::parse(text)
        .ok_or_else(|| format!("unknown encoding '{text}' (expected utf-8, utf-16le, utf-16be, gb18030 or gbk)"))
}

/// A formula, its data and the params to run with.
pub struct Loaded {
    pub sources: Sources,
    pub formula: Formula,
    pub data: Dataset,
    pub params: Vec<Decimal>,
    /// Suspicious but acceptable things found in the data.
    pub warnings: Vec<Diagnostic>,
    /// The formula file's text hash and size, for the manifest.
    pub formula_sha256: String,
    pub formula_bytes: u64,
    /// The formula was compiled into the binary (a shipped formula by name, or the demo).
    pub formula_embedded: bool,
    /// The scenario file applied, if any: its name, display path, hash and size.
    pub scenario: Option<ScenarioFile>,
}

#[derive(Debug, Clone)]
pub struct ScenarioFile {
    pub name: String,
    pub file: String,
    pub sha256: String,
    pub bytes: u64,
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io(path, "read", e))
}

pub fn load(args: &InputArgs) -> Result<Loaded> {
    let mut sources = Sources::default();
    let scenario = match args.scenario.as_slice() {
        [] => None,
        [one] => Some(read_scenario(&mut sources, one, args)?),
        _ => return Err(Error::Internal("load() takes one scenario at a time".into())),
    };
    let effective;
    let args = match &scenario {
        Some(s) => {
            effective = s.args.clone();
            &effective
        }
        None => args,
    };
    let shipped = args
        .formula
        .as_ref()
        .filter(|p| !p.is_file())
        .and_then(|p| shipped::find(&p.to_string_lossy()));
    let formula_id = match (&args.formula, shipped) {
        (Some(_), Some(found)) => sources.add(found.path, found.text.to_string()),
        (Some(path), None) => {
            let bytes = read(path)?;
            let name = path.display().to_string();
            let text = String::from_utf8(bytes).map_err(|e| {
                Error::invalid(
                    Diagnostic::error(format!(
                        "the formula file is not valid UTF-8 (bad byte at offset {})",
                        e.utf8_error().valid_up_to()
                    ))
                    .at_file(&name),
                )
            })?;
            sources.add(name, text)
        }
        (None, _) => sources.add(DEMO_FORMULA_NAME, DEMO_FORMULA.to_string()),
    };
    let formula = match &scenario {
        Some(s) => formula::load_with_scenario(&sources, formula_id, &s.spec, s.problems.clone())?,
        None => formula::load(&sources, formula_id)?,
    };
    let formula_text = sources.get(formula_id).text.as_bytes();
    let (formula_sha256, formula_bytes) = (crate::audit::hash::sha256_hex(formula_text), formula_text.len() as u64);
    let params = apply_overrides(&formula, &args.set)?;
    let data_sources: Vec<DataSource> = match (args.data.is_empty(), &args.formula) {
        (false, _) => args.data.iter().cloned().map(DataSource::Path).collect(),
        (true, None) => vec![DEMO_DATA],
        (true, Some(path)) => match shipped {
            // A shipped formula runs on its own dataset when it is at hand.
            Some(found) if found.short == "demo" => vec![DEMO_DATA],
            Some(found) if Path::new(found.data).exists() => vec![DataSource::Path(found.data.into())],
            Some(found) => {
                return Err(Error::Usage(format!(
                    "--data is required: {} is written for {}, which is not in this directory",
                    found.path, found.data
                )))
            }
            None => {
                return Err(Error::Usage(format!(
                    "--data is required with --formula {} (the demo data fits only the demo formula)",
                    path.display()
                )))
            }
        },
    };
    let request = DataRequest {
        sources: data_sources,
        sheet: args.sheet.clone(),
        encoding: args.encoding,
        allow_outside: args.allow_outside,
    };
    let mut loaded = data::load(&mut sources, &request, &formula)?;
    engine::transform_inputs(&formula, &mut loaded.dataset, &params, &sources)?;
    Ok(Loaded {
        sources,
        formula,
        data: loaded.dataset,
        params,
        warnings: loaded.warnings,
        formula_sha256,
        formula_bytes,
        formula_embedded: shipped.is_some() || args.formula.is_none(),
        scenario: scenario.map(|s| s.file),
    })
}

/// A scenario read and resolved: the arguments it stands for, its overrides, its problems.
struct Scenario {
    args: InputArgs,
    spec: formula::spec::ScenarioSpec,
    problems: Vec<Diagnostic>,
    file: ScenarioFile,
}

/// Read a scenario file; its formula and data paths are relative to it.
fn read_scenario(sources: &mut Sources, path: &Path, args: &InputArgs) -> Result<Scenario> {
    if args.formula.is_some() || !args.data.is_empty() {
        return Err(Error::Usage(
            "a scenario names its own formula and data: give --scenario without --formula and --data".into(),
        ));
    }
    let bytes = read(path)?;
    let name = path.display().to_string();
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::invalid(Diagnostic::error("the scenario file is not valid UTF-8").at_file(&name)))?;
    let file = ScenarioFile {
        name: String::new(),
        file: name.clone(),
        sha256: crate::audit::hash::sha256_hex(text.as_bytes()),
        bytes: text.len() as u64,
    };
    let id = sources.add(name.clone(), text);
    let (spec, problems) = formula::spec::read_scenario(sources, id).map_err(Error::Invalid)?;
    let folder = path.parent().unwrap_or(Path::new(""));
    let formula = match &spec.formula {
        Some((f, _)) if folder.join(f).is_file() => Some(folder.join(f)),
        Some((f, _)) if shipped::find(f).is_some() => Some(PathBuf::from(f)),
        Some((f, span)) => {
            return Err(Error::invalid(
                Diagnostic::error(format!(
                    "the scenario's formula '{f}' does not exist (paths are relative to the scenario file)"
                ))
                .at(sources.locate(*span)),
            ))
        }
        None => {
            return Err(Error::invalid(
                Diagnostic::error("the scenario names no formula")
                    .at_file(&name)
                    .note("add formula = \"...\" to [scenario]"),
            ))
        }
    };
    let mut resolved = args.clone();
    resolved.scenario = Vec::new();
    resolved.formula = formula;
    resolved.data = spec.data.iter().map(|d| folder.join(d)).collect();
    let display = if spec.name.is_empty() {
        name.clone()
    } else {
        spec.name.clone()
    };
    Ok(Scenario {
        args: resolved,
        spec,
        problems,
        file: ScenarioFile { name: display, ..file },
    })
}

/// The formula's params with every `--set NAME=VALUE` applied; all problems reported together.
pub fn apply_overrides(formula: &Formula, overrides: &[String]) -> Result<Vec<Decimal>> {
    let mut params = formula.default_params();
    let mut problems = Vec::new();
    for item in overrides {
        let Some((name, value)) = item.split_once('=') else {
            problems.push(format!("--set '{item}': expected NAME=VALUE"));
            continue;
        };
        let (name, value) = (name.trim(), value.trim());
        let Some(index) = formula.param_index(name) else {
            let hint = did_you_mean(name, formula.params.iter().map(|p| p.name.as_str()))
                .map(|h| format!(" (did you mean '{h}'?)"))
                .unwrap_or_default();
            problems.push(format!("--set {item}: the formula has no param '{name}'{hint}"));
            continue;
        };
        match money::parse_decimal(value) {
            Ok(v) => params[index] = v,
            Err(e) => problems.push(format!("--set {item}: '{value}' is {}", e.describe())),
        }
    }
    if problems.is_empty() {
        Ok(params)
    } else {
        Err(Error::Usage(problems.join("\nerror: ")))
    }
}
