//! What a run is asked to compute: a formula, its data, a scenario and param overrides.
//!
//! [`RunInputs`] is plain data, with no command-line types in it: the binary fills it
//! from its flags, a test file from its cases, `verify` from a manifest, a binding from
//! its arguments. With neither a formula nor data, the shipped demo (compiled into the
//! library, so it works from any directory) is used.

use std::path::{Path, PathBuf};

use crate::audit::manifest::InputsRecord;
use crate::data::encoding::Encoding;
use crate::data::DataSource;
use crate::diag::Location;

/// The demo formula's text, compiled in.
pub const DEMO_FORMULA: &str = crate::shipped::DEMO.text;
/// The shipped demo dataset, compiled in so a run without arguments works from any directory.
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

/// One param set for a run, as written (`pool`, `"52500000000"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub name: String,
    pub value: String,
    /// Where the override was written, when it comes from a file (a test case); a
    /// problem with it is reported there. `None` for the command line.
    pub origin: Option<Location>,
    /// Written without `=` (`--set pool`): reported when the run is loaded, in order
    /// with every other problem of the overrides.
    pub malformed: bool,
}

impl Override {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Override {
        Override {
            name: name.into(),
            value: value.into(),
            origin: None,
            malformed: false,
        }
    }

    /// `NAME=VALUE` from the command line; text without `=` is kept, marked malformed.
    pub fn from_arg(text: &str) -> Override {
        Override::parse(text).unwrap_or_else(|| Override {
            malformed: true,
            ..Override::new(text, "")
        })
    }

    /// `NAME=VALUE`, as `--set` takes it and manifests record it.
    pub fn parse(text: &str) -> Option<Override> {
        let (name, value) = text.split_once('=')?;
        Some(Override::new(name.trim(), value.trim()))
    }

    /// Back to `NAME=VALUE`.
    pub fn to_text(&self) -> String {
        format!("{}={}", self.name, self.value)
    }
}

/// Everything a run reads, before anything is read.
#[derive(Debug, Clone, Default)]
pub struct RunInputs {
    /// A formula file, or a shipped formula's short name (`cn`). Default: the demo.
    pub formula: Option<PathBuf>,
    /// Data files or dataset folders, joined on the key. Default: the formula's own
    /// dataset (shipped formulas) or the demo data.
    pub data: Vec<PathBuf>,
    /// Tables held in memory (a binding's data frames), as (name, CSV or workbook bytes),
    /// joined after `data`. The manifest records them by name among the data files, so a
    /// run from memory is verified once the same bytes are saved under that name.
    pub tables: Vec<(String, Vec<u8>)>,
    /// Sheet of workbooks given directly.
    pub sheet: Option<String>,
    /// Encoding of CSV files given directly; detected when absent.
    pub encoding: Option<Encoding>,
    /// Let dataset.toml name tables outside its folder.
    pub allow_outside: bool,
    /// `--where`: keep the rows of the first data file given directly for which this
    /// expression is true (see `data::filter`).
    pub filter: Option<String>,
    /// Param overrides, applied in order.
    pub overrides: Vec<Override>,
    /// `--prior DIR`: last year's run folder, read by `prior(name)` in the formula.
    pub prior: Option<PathBuf>,
    /// `--date YYYY-MM-DD`: the date dated params are taken at (over `[formula] date`).
    pub date: Option<String>,
    /// A scenario file naming its own formula and data (then `formula` and `data` stay empty).
    pub scenario: Option<PathBuf>,
    /// Write text cells of CSV outputs as they are, without the guard against CSV
    /// injection (`--csv-raw`; see `report::csv::text_cell`).
    pub csv_raw: bool,
    /// Add a second header row to the CSV outputs with the formula's labels (`--labels`).
    pub csv_labels: bool,
    /// `--title`, `--group-by`, `--compare-with`: the published table's layout, over the
    /// formula's and scenario's `[report]`.
    pub report: crate::formula::spec::ReportFlags,
    /// The language of report files' headings (report.xlsx, report.html) when the formula
    /// gives none (`[report] language`): the command line sets the language it speaks when
    /// it writes reports; recorded in the manifest so that `verify` writes them alike.
    pub report_language: Option<crate::i18n::Lang>,
    /// One scenario of a sweep file (its base, with that scenario's grid values and
    /// draws): `equalize sweep FILE --scenario N`. Then nothing else is set.
    pub sweep: Option<(PathBuf, usize)>,
    /// The folder relative paths are read from, when not the process's own (`verify
    /// --inputs`). Files keep the names written above in every output and message, so
    /// a run reproduced from a moved archive renders the same bytes.
    pub base: Option<PathBuf>,
    /// When set (by `verify`), the only files the run may read, by name as written: a file
    /// not among them is refused before it is opened, so a recomputation reads exactly
    /// the files a manifest records and hashes.
    pub recorded: Option<crate::data::Recorded>,
}

impl RunInputs {
    /// Refuse a file the run is not allowed to read (see `recorded`).
    pub fn check_recorded(&self, name: &str, kind: crate::data::RecordedKind) -> crate::error::Result<()> {
        check_recorded(self.recorded.as_ref(), name, kind)
    }

    /// Where a path as written is on disk: under `base` when relative and a base is set.
    pub fn on_disk(&self, path: &Path) -> PathBuf {
        on_disk(self.base.as_deref(), path)
    }
}

pub use crate::data::{check_recorded, on_disk};

impl RunInputs {
    /// The inputs as a manifest records them.
    pub fn record(&self) -> InputsRecord {
        let inputs = self;
        InputsRecord {
            scenario: inputs.scenario.as_ref().map(|p| p.display().to_string()),
            formula: inputs.formula.as_ref().map(|p| p.display().to_string()),
            data: inputs
                .data
                .iter()
                .map(|p| p.display().to_string())
                .chain(inputs.tables.iter().map(|(name, _)| name.clone()))
                .collect(),
            sheet: inputs.sheet.clone(),
            encoding: inputs.encoding.map(|e| e.name().to_string()),
            allow_outside: inputs.allow_outside,
            set: inputs.overrides.iter().map(Override::to_text).collect(),
            date: inputs.date.clone(),
            prior: inputs.prior.as_ref().map(|p| p.display().to_string()),
            sweep: inputs.sweep.as_ref().map(|(f, _)| f.display().to_string()),
            csv_raw: inputs.csv_raw,
            csv_labels: inputs.csv_labels,
            report: inputs.report.clone(),
            report_language: inputs.report_language.map(|l| l.code().to_string()),
            sweep_scenario: inputs.sweep.as_ref().map(|(_, i)| *i),
            filter: inputs.filter.clone(),
        }
    }

    /// The run's inputs as recorded, read from under `base` when given (relative paths
    /// keep their names; an absolute path that no longer exists is looked for under
    /// `base` by its file name). A recorded override that is not `NAME=VALUE` is kept
    /// whole as a name, so that loading reports it rather than dropping it.
    pub fn from_record(record: &InputsRecord, base: Option<&std::path::Path>) -> RunInputs {
        let s = record;
        let relocate = |path: &str| -> PathBuf {
            let p = PathBuf::from(path);
            match base {
                Some(base) if p.is_absolute() && !p.exists() => base.join(p.file_name().unwrap_or_default()),
                _ => p,
            }
        };
        RunInputs {
            formula: s.formula.as_ref().map(|f| {
                // A shipped short name stays as it is; a path moves.
                if crate::shipped::find(f).is_some() && !on_disk(base, Path::new(f)).is_file() {
                    f.into()
                } else {
                    relocate(f)
                }
            }),
            data: s.data.iter().map(|d| relocate(d)).collect(),
            // Tables run from memory are read back from files of their names.
            tables: Vec::new(),
            sheet: s.sheet.clone(),
            encoding: s.encoding.as_deref().and_then(crate::data::encoding::Encoding::parse),
            allow_outside: s.allow_outside,
            filter: s.filter.clone(),
            overrides: s.set.iter().map(|s| Override::from_arg(s)).collect(),
            date: s.date.clone(),
            prior: s.prior.as_ref().map(|p| relocate(p)),
            scenario: s.scenario.as_ref().map(|s| relocate(s)),
            sweep: s.sweep.as_ref().map(|f| (relocate(f), s.sweep_scenario.unwrap_or(0))),
            csv_raw: s.csv_raw,
            csv_labels: s.csv_labels,
            report: s.report.clone(),
            report_language: s.report_language.as_deref().and_then(crate::i18n::Lang::parse),
            base: base.map(Path::to_path_buf),
            recorded: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_read_and_write_name_equals_value() {
        let o = Override::parse(" pool = 100 ").unwrap();
        assert_eq!((o.name.as_str(), o.value.as_str()), ("pool", "100"));
        assert_eq!(o.to_text(), "pool=100");
        assert_eq!(Override::parse("pool"), None);
        assert!(Override::from_arg("pool").malformed);
        assert!(!Override::from_arg("pool=").malformed);
        // Only the first '=' splits: a value may not hold one, but the name never does.
        assert_eq!(Override::parse("a=b=c").unwrap().value, "b=c");
    }
}
