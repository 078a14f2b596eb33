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
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io(path, "read", e))
}

pub fn load(args: &InputArgs) -> Result<Loaded> {
    let mut sources = Sources::default();
    // A file wins; otherwise a shipped formula by short name (`cn`) or stem.
    let shipped = args
        .formula
        .as_ref()
        .filter(|p| !p.exists())
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
    let formula = formula::load(&sources, formula_id)?;
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
    let loaded = data::load(&mut sources, &request, &formula)?;
    Ok(Loaded {
        sources,
        formula,
        data: loaded.dataset,
        params,
        warnings: loaded.warnings,
        formula_sha256,
        formula_bytes,
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
