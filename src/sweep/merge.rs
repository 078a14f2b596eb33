//! Shard folders back into one: rows in scenario order, summaries over all scenarios,
//! the same bytes one unsharded run writes.
//!
//! `merge` vouches for what it merges: every shard must come from the same tool, the same
//! sweep file and the same inputs (each file's SHA-256, as its sweep.json records them),
//! every table must still have the hash its shard recorded (an edited total or a deleted
//! row is caught), and the shards must cover the scenarios exactly once.

use std::path::{Path, PathBuf};

use super::execute::{file_name, render, SweepRecord, UnitValue};
use crate::audit::hash::sha256_hex;
use crate::error::{Error, Result};
use crate::files;
use crate::money;
use crate::report::table::{self, Cell, Table};
use crate::report::OutputFile;

fn refuse(id: &'static str, args: &[(&str, crate::i18n::Arg)]) -> Error {
    Error::usage_t(id, args)
}

/// The merged folder's files and record, from the shard folders in any order.
pub fn merge(dirs: &[PathBuf]) -> Result<(Vec<OutputFile>, SweepRecord)> {
    if dirs.is_empty() {
        return Err(refuse("sweep-merge-no-shards", crate::args![]));
    }
    let mut shards: Vec<(SweepRecord, &PathBuf)> = Vec::new();
    let mut _reading = Vec::new();
    for dir in dirs {
        _reading.push(crate::report::folder::check_readable(dir)?);
        let path = dir.join("sweep.json");
        if !path.exists() {
            return Err(refuse(
                "sweep-merge-not-a-shard",
                crate::args![folder = dir.display().to_string()],
            ));
        }
        let text = files::read_text(&path, "sweep record", files::MAX_TEXT_BYTES)?;
        let record: SweepRecord = serde_json::from_str(&text).map_err(|e| {
            refuse(
                "sweep-merge-bad-record",
                crate::args![file = path.display().to_string(), problem = e.to_string()],
            )
        })?;
        shards.push((record, dir));
    }
    shards.sort_by_key(|(r, _)| (r.first, r.end));
    let (first, first_dir) = (&shards[0].0, shards[0].1);
    for (r, dir) in &shards[1..] {
        let (one, other) = (first_dir.display().to_string(), dir.display().to_string());
        let differs = |id: &'static str| refuse(id, crate::args![first = &one, second = &other]);
        if r.tool != first.tool {
            return Err(differs("sweep-merge-tools-differ"));
        }
        if r.sweep_sha256 != first.sweep_sha256 || r.scenarios != first.scenarios {
            return Err(differs("sweep-merge-sweeps-differ"));
        }
        if r.format != first.format {
            return Err(differs("sweep-merge-formats-differ"));
        }
        if r.inputs != first.inputs {
            let changed: Vec<&str> = r
                .inputs
                .iter()
                .filter(|i| !first.inputs.contains(i))
                .map(|i| i.file.as_str())
                .collect();
            return Err(refuse(
                "sweep-merge-inputs-differ",
                crate::args![first = &one, second = &other, files = changed.join(", ")],
            ));
        }
    }
    // Coverage: every scenario exactly once.
    let mut expected = 0;
    for (r, dir) in &shards {
        if r.first < expected {
            return Err(refuse(
                "sweep-merge-overlap",
                crate::args![
                    from = r.first,
                    to = expected.min(r.end),
                    folder = dir.display().to_string(),
                    shard = &r.shard,
                ],
            ));
        }
        if r.first > expected {
            return Err(refuse(
                "sweep-merge-gap",
                crate::args![
                    from = expected,
                    to = r.first,
                    folder = dir.display().to_string(),
                    shard = &r.shard,
                ],
            ));
        }
        expected = r.end;
    }
    if expected != first.scenarios {
        return Err(refuse(
            "sweep-merge-short",
            crate::args![covered = expected, total = first.scenarios],
        ));
    }
    let format = first.format;
    let read_table = |dir: &Path, record: &SweepRecord, stem: &str| -> Result<Option<Table>> {
        let name = file_name(stem, format);
        let path = dir.join(name);
        let Some(recorded) = record.outputs.get(name) else {
            if path.exists() {
                return Err(refuse(
                    "sweep-merge-unrecorded-file",
                    crate::args![file = path.display().to_string()],
                ));
            }
            return Ok(None);
        };
        let bytes = files::read_regular(&path, "sweep table", files::MAX_DATA_BYTES)?;
        if sha256_hex(&bytes) != *recorded {
            return Err(refuse(
                "sweep-merge-file-changed",
                crate::args![file = path.display().to_string()],
            ));
        }
        table::read(format, &bytes, &path.display().to_string()).map(Some)
    };
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut units: Vec<UnitValue> = Vec::new();
    let mut with_units = None;
    let (mut ok, mut infeasible, mut failed) = (0, 0, 0);
    for (r, dir) in &shards {
        let Some(part) = read_table(dir, r, "scenarios")? else {
            return Err(refuse(
                "sweep-merge-no-scenarios",
                crate::args![
                    folder = dir.display().to_string(),
                    file = file_name("scenarios", format)
                ],
            ));
        };
        // The rows must be the shard's scenarios, in order; the counts come from them, not
        // from sweep.json (which nothing hashes).
        let indices: Vec<&str> = part
            .rows
            .iter()
            .map(|row| row.first().map_or("", |c| c.text()))
            .collect();
        let expected: Vec<String> = (r.first..r.end).map(|i| i.to_string()).collect();
        if indices != expected.iter().map(String::as_str).collect::<Vec<_>>() {
            return Err(refuse(
                "sweep-merge-rows-out-of-order",
                crate::args![folder = dir.display().to_string(), from = r.first, to = r.end],
            ));
        }
        if let Some(status) = part.column("status") {
            for row in &part.rows {
                match row[status].text() {
                    "ok" => ok += 1,
                    "infeasible" => infeasible += 1,
                    _ => failed += 1,
                }
            }
        }
        let unit_part = read_table(dir, r, "units")?;
        if with_units.is_some_and(|w| w != unit_part.is_some()) {
            return Err(refuse(
                "sweep-merge-units-mixed",
                crate::args![folder = dir.display().to_string()],
            ));
        }
        with_units = Some(unit_part.is_some());
        if part.rows.is_empty() {
            continue; // an empty shard (more shards than scenarios): nothing to merge
        }
        match &header {
            Some(h) if *h != part.header => {
                return Err(refuse(
                    "sweep-merge-columns-differ",
                    crate::args![
                        folder = dir.display().to_string(),
                        first = first_dir.display().to_string()
                    ],
                ))
            }
            _ => header = Some(part.header),
        }
        rows.extend(part.rows);
        if let Some(part) = unit_part.filter(|p| !p.rows.is_empty()) {
            let (Some(s), Some(k), Some(t)) = (part.column("scenario"), part.column("key"), part.column("total"))
            else {
                return Err(refuse(
                    "sweep-merge-units-columns",
                    crate::args![folder = dir.display().to_string()],
                ));
            };
            for row in part.rows {
                let index = row[s].text().parse().map_err(|_| {
                    refuse(
                        "sweep-merge-bad-index",
                        crate::args![folder = dir.display().to_string(), value = row[s].text()],
                    )
                })?;
                let value = money::parse_decimal(row[t].text()).map_err(|e| {
                    refuse(
                        "sweep-merge-bad-total",
                        crate::args![
                            folder = dir.display().to_string(),
                            value = row[t].text(),
                            problem = e.describe(),
                        ],
                    )
                })?;
                let key = match &row[k] {
                    Cell::Str(key) | Cell::Int(key) => key.clone(),
                    Cell::Null => String::new(),
                };
                units.push((index, key, value));
            }
        }
    }
    let record = SweepRecord {
        shard: "1/1".into(),
        first: 0,
        end: first.scenarios,
        ok,
        infeasible,
        failed,
        ..first.clone()
    };
    render(
        &header.unwrap_or_default(),
        &rows,
        with_units.unwrap_or(false).then_some(units.as_slice()),
        record,
    )
}
