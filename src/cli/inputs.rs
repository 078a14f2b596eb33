//! `--formula`, `--data`, `--set` and friends: parsed once into [`RunInputs`].

use std::path::PathBuf;

use equalize::data::encoding::Encoding;
use equalize::error::{Error, Result};
use equalize::pipeline::{Override, RunInputs};

#[derive(clap::Args, Debug, Clone, Default)]
pub struct InputArgs {
    /// Formula file (TOML), or a shipped formula's short name (see `equalize formulas`).
    /// Default: the shipped demo formula.
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
    /// Keep only the rows of the first --data file for which this is true, in the formula
    /// language over the file's columns: --where "starts_with(区划代码, '62')" (docs/data.md).
    #[arg(long = "where", value_name = "EXPRESSION")]
    pub filter: Option<String>,
    /// Override a param for this run, exactly: --set pool=1050000 --set per_capita.health=0.9
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Last year's run folder (as `equalize run` wrote it), for `prior(name)` in the formula:
    /// --prior runs/2025
    #[arg(long, value_name = "DIR")]
    pub prior: Option<PathBuf>,
    /// The date dated params are taken at (`[params.X] dated = {...}`), over the formula's
    /// `[formula] date`: --date 2020-06-30
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// A scenario file: a base formula and dataset and what to change (docs/scenarios.md).
    /// `run` accepts several and writes one output folder per scenario.
    #[arg(long, value_name = "FILE")]
    pub scenario: Vec<PathBuf>,
    /// The published table's title (over the formula's and scenario's `[report] title`).
    #[arg(long, value_name = "TEXT", help_heading = "Published table")]
    pub title: Option<String>,
    /// Group the published table by this text input, with a subtotal per group
    /// (`[report] group_by`): --group-by 市州
    #[arg(long, value_name = "INPUT", help_heading = "Published table")]
    pub group_by: Option<String>,
    /// Show last year's amount, the change and the growth from this number input or var
    /// (`[report] compare_with`): --compare-with last_year
    #[arg(long, value_name = "NAME", help_heading = "Published table")]
    pub compare_with: Option<String>,
    /// The published table's amount columns, in order: stages, total, the compare-with
    /// amount, change, growth, bound (`[report] columns`): --columns total,last_transfer,change
    #[arg(long, value_name = "NAMES", help_heading = "Published table")]
    pub columns: Option<String>,
}

fn parse_encoding(text: &str) -> std::result::Result<Encoding, String> {
    Encoding::parse(text).ok_or_else(|| equalize::tr!("cli-unknown-encoding", text = text))
}

impl InputArgs {
    /// The typed inputs of one run, with `scenario` the one scenario file (if any).
    pub fn to_inputs(&self, scenario: Option<PathBuf>) -> RunInputs {
        RunInputs {
            formula: self.formula.clone(),
            data: self.data.clone(),
            tables: Vec::new(),
            sheet: self.sheet.clone(),
            encoding: self.encoding,
            allow_outside: self.allow_outside,
            filter: self.filter.clone(),
            overrides: self.set.iter().map(|s| Override::from_arg(s)).collect(),
            date: self.date.clone(),
            prior: self.prior.clone(),
            scenario,
            sweep: None,
            csv_raw: false,
            csv_labels: false,
            report: equalize::formula::spec::ReportFlags {
                title: self.title.clone(),
                group_by: self.group_by.clone(),
                compare_with: self.compare_with.clone(),
                columns: self.columns.clone(),
            },
            report_language: None,
            base: None,
            recorded: None,
        }
    }

    /// The inputs of a command that runs one formula: at most one scenario.
    pub fn single(&self) -> Result<RunInputs> {
        match self.scenario.as_slice() {
            [] => Ok(self.to_inputs(None)),
            [one] => Ok(self.to_inputs(Some(one.clone()))),
            _ => Err(Error::usage("this command takes one --scenario at a time")),
        }
    }
}
