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
use std::io::Write;
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
    matched: bool,
}

impl Checkpoint {
    /// Open the checkpoint at `path` for a sweep of this `identity`. With `resume`, the
    /// scenarios an earlier run of the same identity finished are taken; otherwise, or
    /// for another identity, the file starts afresh.
    pub fn open(path: &Path, identity: &str, resume: bool) -> Result<Checkpoint> {
        let mut done = BTreeMap::new();
        // Only a regular file is a checkpoint: a link under its name is removed, never followed.
        let regular = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file());
        let mut same = false;
        let mut ends_in_newline = true;
        if resume && regular {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, "read the checkpoint", e))?;
            ends_in_newline = bytes.last().is_none_or(|b| *b == b'\n');
            let mut lines = bytes.split(|b| *b == b'\n');
            same = lines.next() == Some(identity.as_bytes());
            if same {
                // A line cut short by the kill (even inside a character) is skipped.
                for line in lines {
                    let Ok(line) = serde_json::from_slice::<Line>(line) else {
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
        let file = if same {
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .map_err(|e| Error::io(path, "open the checkpoint", e))?;
            if !ends_in_newline {
                file.write_all(b"\n").map_err(|e| Error::io(path, "write", e))?;
            }
            file
        } else {
            match std::fs::remove_file(path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io(path, "remove the old checkpoint", e)),
            }
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .map_err(|e| Error::io(path, "create the checkpoint", e))?;
            writeln!(file, "{identity}").map_err(|e| Error::io(path, "write", e))?;
            file
        };
        Ok(Checkpoint {
            file: Mutex::new(file),
            done,
            path: path.to_path_buf(),
            matched: same || !resume || !regular,
        })
    }

    /// False when `--resume` found a checkpoint of something else (another sweep file,
    /// input, shard, format or tool version), which was not used.
    pub fn matched(&self) -> bool {
        self.matched
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
