//! `manifest.json`: everything needed to reproduce a run and check that it was reproduced.
//!
//! The manifest records the tool and its version (and the git commit it was built
//! from), every input file with its SHA-256, the hash of the data content as loaded,
//! the inputs as given on the command line, every param after overrides, and the
//! SHA-256 of every output. The run time is kept in `run_at`, which `verify` ignores;
//! nothing that differs between machines goes into the outputs themselves.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::cli::inputs::{InputArgs, Loaded};
use crate::money;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub tool: Tool,
    /// The scenario file applied, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<FileRecord>,
    pub formula: FileRecord,
    pub data: Vec<FileRecord>,
    /// SHA-256 of the data as loaded (keys, labels, inputs in key order): unchanged by
    /// reordering rows or columns or by re-encoding a file.
    pub data_content_sha256: String,
    /// The inputs as given, to run again.
    pub inputs: InputsRecord,
    /// Every param after `--set` overrides.
    pub params: BTreeMap<String, String>,
    /// SHA-256 of each output file.
    pub outputs: BTreeMap<String, String>,
    /// The command line (for people; `verify` does not use it).
    pub command: Vec<String>,
    /// When the run happened (not verified: it differs by nature).
    pub run_at: String,
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
}

impl InputsRecord {
    pub fn from_args(args: &InputArgs) -> InputsRecord {
        InputsRecord {
            scenario: args.scenario.first().map(|p| p.display().to_string()),
            formula: args.formula.as_ref().map(|p| p.display().to_string()),
            data: args.data.iter().map(|p| p.display().to_string()).collect(),
            sheet: args.sheet.clone(),
            encoding: args.encoding.map(|e| e.name().to_string()),
            allow_outside: args.allow_outside,
            set: args.set.clone(),
        }
    }

    /// The input arguments, with file paths moved under `base` when given.
    pub fn to_args(&self, base: Option<&std::path::Path>) -> InputArgs {
        let relocate = |path: &str| -> std::path::PathBuf {
            let p = std::path::PathBuf::from(path);
            match base {
                Some(base) if p.is_absolute() => base.join(p.file_name().unwrap_or_default()),
                Some(base) => base.join(p),
                None => p,
            }
        };
        InputArgs {
            formula: self.formula.as_ref().map(|f| {
                // A shipped short name stays as it is; a path moves.
                if crate::shipped::find(f).is_some() && !std::path::Path::new(f).is_file() {
                    f.into()
                } else {
                    relocate(f)
                }
            }),
            data: self.data.iter().map(|d| relocate(d)).collect(),
            sheet: self.sheet.clone(),
            encoding: self
                .encoding
                .as_deref()
                .and_then(crate::data::encoding::Encoding::parse),
            allow_outside: self.allow_outside,
            set: self.set.clone(),
            scenario: self.scenario.iter().map(|s| relocate(s)).collect(),
        }
    }
}

pub fn build(args: &InputArgs, loaded: &Loaded, outputs: &[(&str, &[u8])]) -> Manifest {
    Manifest {
        tool: Tool {
            name: "equalize".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            git_commit: env!("EQUALIZE_GIT_COMMIT").into(),
        },
        scenario: loaded.scenario.as_ref().map(|s| FileRecord {
            file: s.file.clone(),
            sha256: s.sha256.clone(),
            bytes: s.bytes,
            embedded: false,
        }),
        formula: FileRecord {
            file: loaded.formula.origin.clone(),
            sha256: loaded.formula_sha256.clone(),
            bytes: loaded.formula_bytes,
            embedded: loaded.formula_embedded,
        },
        data: loaded
            .data
            .files
            .iter()
            .map(|f| FileRecord {
                file: f.name.clone(),
                sha256: f.sha256.clone(),
                bytes: f.bytes,
                embedded: f.embedded,
            })
            .collect(),
        data_content_sha256: loaded.data.content_sha256(),
        inputs: InputsRecord::from_args(args),
        params: loaded
            .formula
            .params
            .iter()
            .zip(&loaded.params)
            .map(|(p, v)| (p.name.clone(), money::format_plain(*v)))
            .collect(),
        outputs: outputs
            .iter()
            .map(|(name, bytes)| (name.to_string(), super::hash::sha256_hex(bytes)))
            .collect(),
        command: std::env::args().skip(1).collect(),
        run_at: crate::civil::now_utc(),
    }
}
