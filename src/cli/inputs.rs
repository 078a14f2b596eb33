//! Turning `--formula`, `--data` and `--set` into a loaded formula, dataset and params.
//!
//! This is the one place where input arguments are validated. With neither
//! `--formula` nor `--data`, the shipped demo (embedded in the binary, so it
//! works from any directory) is used.

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::data::{self, Dataset};
use crate::diag::{did_you_mean, Diagnostic, Sources};
use crate::error::{Error, Result};
use crate::formula::{self, Formula};
use crate::money;

pub const DEMO_FORMULA_NAME: &str = "formulas/demo.toml";
pub const DEMO_FORMULA: &str = include_str!("../../formulas/demo.toml");
pub const DEMO_DATA_NAME: &str = "datasets/demo/counties.csv";
pub const DEMO_DATA: &[u8] = include_bytes!("../../datasets/demo/counties.csv");

#[derive(clap::Args, Debug, Clone, Default)]
pub struct InputArgs {
    /// Formula file (TOML). Default: the shipped demo formula.
    #[arg(long, short = 'f', value_name = "FILE")]
    pub formula: Option<PathBuf>,
    /// Data file (CSV, UTF-8). Default: the shipped demo data; required with --formula.
    #[arg(long, short = 'd', value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Override a param for this run, exactly: --set pool=1050000 --set per_capita.health=0.9
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
}

/// A formula, its data and the params to run with.
pub struct Loaded {
    pub sources: Sources,
    pub formula: Formula,
    pub data: Dataset,
    pub params: Vec<Decimal>,
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io(path, "read", e))
}

pub fn load(args: &InputArgs) -> Result<Loaded> {
    let mut sources = Sources::default();
    let formula_id = match &args.formula {
        Some(path) => {
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
        None => sources.add(DEMO_FORMULA_NAME, DEMO_FORMULA.to_string()),
    };
    let formula = formula::load(&sources, formula_id)?;
    let params = apply_overrides(&formula, &args.set)?;
    let data = match (&args.data, &args.formula) {
        (Some(path), _) => {
            let bytes = read(path)?;
            data::csv::load(&mut sources, &path.display().to_string(), bytes, &formula)
        }
        (None, None) => data::csv::load(&mut sources, DEMO_DATA_NAME, DEMO_DATA.to_vec(), &formula),
        (None, Some(_)) => {
            return Err(Error::Usage(
                "--data is required with --formula (the demo data fits only the demo formula)".into(),
            ))
        }
    }
    .map_err(Error::Invalid)?;
    Ok(Loaded {
        sources,
        formula,
        data,
        params,
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
