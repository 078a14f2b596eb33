//! Resuming a killed sweep: every finished scenario is appended to a checkpoint file as
//! it completes, so a shard killed halfway (a cluster's time limit, a preempted node)
//! can start again with `--resume` and compute only what is missing. The final files
//! are the same bytes as an uninterrupted run's: a scenario's result depends only on the
//! sweep and its index, and the rows are written in scenario order either way.
//!
//! The first line of the file says what it belongs to (tool, sweep file, inputs, shard,
//! format); a checkpoint of anything else is not used. A line cut short by the kill is
//! ignored.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::Path;
use std::sync::Mutex;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::plan::{Outcome, Status};
use crate::error::{Error, Result};

#[derive(Serialize, Deserialize)]
struct Line {
    index: usize,
    values: Vec<String>,
    status: Status,
    message: String,
    total: String,
    metrics: Vec<String>,
    units: Vec<(String, String)>,
}

/// A checkpoint file, open for appending, with the scenarios it already holds.
pub struct Checkpoint {
    file: Mutex<std::fs::File>,
    done: BTreeMap<usize, Outcome>,
    path: std::path::PathBuf,
}

impl Checkpoint {
    /// Open the checkpoint at `path` for a sweep of this `identity`. With `resume`, the
    /// scenarios an earlier run of the same identity finished are taken; otherwise, or
    /// for another identity, the file starts afresh.
    pub fn open(path: &Path, identity: &str, resume: bool) -> Result<Checkpoint> {
        let mut done = BTreeMap::new();
        let mut same = false;
        if resume {
            if let Ok(file) = std::fs::File::open(path) {
                let mut lines = std::io::BufReader::new(file).lines();
                same = matches!(lines.next(), Some(Ok(first)) if first == identity);
                if same {
                    for line in lines.map_while(std::result::Result::ok) {
                        let Ok(line) = serde_json::from_str::<Line>(&line) else {
                            continue;
                        };
                        let units = line
                            .units
                            .into_iter()
                            .filter_map(|(k, v)| Some((k, crate::money::parse_decimal(&v).ok()?)))
                            .collect::<Vec<(String, Decimal)>>();
                        done.insert(
                            line.index,
                            Outcome {
                                index: line.index,
                                values: line.values,
                                status: line.status,
                                message: line.message,
                                total: line.total,
                                metrics: line.metrics,
                                units,
                            },
                        );
                    }
                }
            }
        }
        let file = if same {
            std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .map_err(|e| Error::io(path, "open the checkpoint", e))?
        } else {
            let mut file = std::fs::File::create(path).map_err(|e| Error::io(path, "create the checkpoint", e))?;
            writeln!(file, "{identity}").map_err(|e| Error::io(path, "write", e))?;
            file
        };
        Ok(Checkpoint {
            file: Mutex::new(file),
            done,
            path: path.to_path_buf(),
        })
    }

    /// How many scenarios were taken from an earlier run.
    pub fn resumed(&self) -> usize {
        self.done.len()
    }

    pub(super) fn take(&self, index: usize) -> Option<Outcome> {
        self.done.get(&index).cloned()
    }

    /// Append a finished scenario (one line, written whole).
    pub(super) fn record(&self, outcome: &Outcome) -> Result<()> {
        let line = Line {
            index: outcome.index,
            values: outcome.values.clone(),
            status: outcome.status,
            message: outcome.message.clone(),
            total: outcome.total.clone(),
            metrics: outcome.metrics.clone(),
            units: outcome
                .units
                .iter()
                .map(|(k, v)| (k.clone(), crate::money::format_plain(*v)))
                .collect(),
        };
        let mut text = serde_json::to_string(&line).map_err(|e| Error::Internal(format!("checkpoint: {e}")))?;
        text.push('\n');
        let mut file = self
            .file
            .lock()
            .map_err(|_| Error::Internal("checkpoint lock poisoned".into()))?;
        file.write_all(text.as_bytes())
            .map_err(|e| Error::io(&self.path, "write", e))
    }

    /// The sweep finished and its files are written: the checkpoint is no longer needed.
    pub fn remove(self) {
        drop(self.file);
        let _ = std::fs::remove_file(&self.path);
    }
}
