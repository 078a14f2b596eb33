//! `manifest.json`: everything needed to reproduce a run and check that it was reproduced.
//!
//! The manifest records the tool and its version (and the git commit it was built
//! from), every input file with its SHA-256, the hash of the data content as loaded,
//! the inputs as given on the command line, every param after overrides, and the
//! SHA-256 of every output. The run time is kept in `run_at`, which `verify` ignores;
//! nothing that differs between machines goes into the outputs themselves.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub tool: Tool,
    /// The sweep file a scenario of which this run is, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<FileRecord>,
    /// The scenario file applied, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<FileRecord>,
    /// The scenario's name, as reports title it (for people; its file is hashed above).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario_name: Option<String>,
    pub formula: FileRecord,
    pub data: Vec<FileRecord>,
    /// SHA-256 of the data as loaded (keys, labels, inputs in key order): unchanged by
    /// reordering rows or columns or by re-encoding a file.
    pub data_content_sha256: String,
    /// The inputs as given, to run again.
    pub inputs: InputsRecord,
    /// The prior run read by `prior(name)`: its folder and its manifest's SHA-256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior: Option<PriorRecord>,
    /// Every param after `--set` overrides.
    pub params: BTreeMap<String, String>,
    /// The date dated params were taken at (`[formula] date` or `--date`), if the
    /// formula has any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Each dated param taken at that date: the date its value came into force
    /// ("set" when `--set` replaced it).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dated_params: BTreeMap<String, String>,
    /// SHA-256 of each output file.
    pub outputs: BTreeMap<String, String>,
    /// The command line (for people; `verify` does not use it; optional).
    #[serde(default)]
    pub command: Vec<String>,
    /// When the run happened (not verified: it differs by nature; optional).
    #[serde(default)]
    pub run_at: String,
}

/// The prior run a run read (`--prior`), as its manifest records it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PriorRecord {
    /// The folder, as given.
    pub folder: String,
    /// SHA-256 of its manifest.json, which hashes every one of its outputs and inputs.
    pub manifest_sha256: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tool {
    pub name: String,
    pub version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub git_commit: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileRecord {
    pub file: String,
    pub sha256: String,
    pub bytes: u64,
    /// Compiled into the binary (the shipped demo and formulas) rather than read from disk.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub embedded: bool,
    /// For a built-in formula: its short name (`cn`); `file` is then `built-in cn`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub builtin: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct InputsRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    pub formula: Option<String>,
    pub data: Vec<String>,
    pub sheet: Option<String>,
    pub encoding: Option<String>,
    #[serde(default)]
    pub allow_outside: bool,
    pub set: Vec<String>,
    /// `--prior`: the prior run's folder, as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior: Option<String>,
    /// `--date`: the date dated params were taken at, when given on the command line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The sweep file and the index of the scenario, for one scenario of a sweep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep_scenario: Option<usize>,
    /// CSV text cells written without the guard against CSV injection.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub csv_raw: bool,
    /// A second header row of labels in the CSV outputs (`--labels`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub csv_labels: bool,
    /// `--title`, `--group-by`, `--compare-with`.
    #[serde(default, skip_serializing_if = "crate::formula::spec::ReportFlags::is_empty")]
    pub report: crate::formula::spec::ReportFlags,
    /// The language of the report files' headings when the formula gives none: `zh` when
    /// reports were written in Chinese; absent for English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_language: Option<String>,
    /// `--where`: the rows of the first data file kept.
    #[serde(default, rename = "where", skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
}

impl Tool {
    /// This build of equalize.
    pub fn this() -> Tool {
        Tool {
            name: "equalize".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            git_commit: env!("EQUALIZE_GIT_COMMIT").into(),
        }
    }
}

/// The run time as recorded in `run_at`.
pub fn now() -> String {
    crate::civil::now_utc()
}
