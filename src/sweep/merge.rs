//! Shard folders back into one: rows in scenario order, summaries over all scenarios,
//! the same bytes one unsharded run writes.

use std::path::{Path, PathBuf};

use super::execute::{file_name, render, SweepRecord, UnitValue};
use crate::error::{Error, Result};
use crate::money;
use crate::report::table::{self, Table};
use crate::report::OutputFile;

/// The merged folder's files and record, from the shard folders in any order.
pub fn merge(dirs: &[PathBuf]) -> Result<(Vec<OutputFile>, SweepRecord)> {
    if dirs.is_empty() {
        return Err(Error::usage("sweep merge needs the shard folders"));
    }
    let mut shards: Vec<(SweepRecord, &PathBuf)> = Vec::new();
    for dir in dirs {
        crate::report::folder::recover(dir)?;
        let path = dir.join("sweep.json");
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, "read", e))?;
        let record: SweepRecord = serde_json::from_str(&text)
            .map_err(|e| Error::usage(format!("{}: not a sweep record equalize can read: {e}", path.display())))?;
        shards.push((record, dir));
    }
    shards.sort_by_key(|(r, _)| r.first);
    let (first, first_dir) = (&shards[0].0, shards[0].1);
    for (r, dir) in &shards {
        if r.sweep_sha256 != first.sweep_sha256 || r.scenarios != first.scenarios || r.format != first.format {
            return Err(Error::usage(format!(
                "{} is a shard of a different sweep (or format) than {}",
                dir.display(),
                first_dir.display()
            )));
        }
    }
    let mut expected = 0;
    for (r, dir) in &shards {
        if r.first != expected {
            return Err(Error::usage(format!(
                "the shards do not cover the scenarios: {} before {} (shard {})",
                if r.first < expected {
                    format!("scenarios {}..{expected} are in two shards", r.first)
                } else {
                    format!("scenario {expected} is missing")
                },
                dir.display(),
                r.shard
            )));
        }
        expected = r.end;
    }
    if expected != first.scenarios {
        return Err(Error::usage(format!(
            "the shards cover scenarios 0..{expected} of {}: some are missing",
            first.scenarios
        )));
    }
    let format = first.format;
    let read_table = |dir: &Path, stem: &str| -> Result<Option<Table>> {
        let path = dir.join(file_name(stem, format));
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(&path, "read", e)),
        };
        table::read(format, &bytes, &path.display().to_string()).map(Some)
    };
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut units: Vec<UnitValue> = Vec::new();
    let mut with_units = None;
    let mut failed = 0;
    for (r, dir) in &shards {
        failed += r.failed;
        let Some(part) = read_table(dir, "scenarios")? else {
            return Err(Error::usage(format!(
                "{} has no {}",
                dir.display(),
                file_name("scenarios", format)
            )));
        };
        match &header {
            Some(h) if *h != part.header => {
                return Err(Error::usage(format!(
                    "{}: its scenario columns differ from {}'s",
                    dir.display(),
                    first_dir.display()
                )))
            }
            _ => header = Some(part.header),
        }
        rows.extend(part.rows);
        let unit_part = read_table(dir, "units")?;
        if with_units.is_some_and(|w| w != unit_part.is_some()) {
            return Err(Error::usage(format!(
                "{}: some shards keep unit values and some do not",
                dir.display()
            )));
        }
        with_units = Some(unit_part.is_some());
        if let Some(part) = unit_part {
            let (Some(s), Some(k), Some(t)) = (part.column("scenario"), part.column("key"), part.column("total"))
            else {
                return Err(Error::usage(format!(
                    "{}: the units table needs scenario, key and total columns",
                    dir.display()
                )));
            };
            for row in part.rows {
                let index = row[s]
                    .parse()
                    .map_err(|_| Error::usage(format!("{}: '{}' is not a scenario number", dir.display(), row[s])))?;
                let value = money::parse_decimal(&row[t])
                    .map_err(|e| Error::usage(format!("{}: total '{}' is {}", dir.display(), row[t], e.describe())))?;
                units.push((index, row[k].clone(), value));
            }
        }
    }
    let record = SweepRecord {
        shard: "1/1".into(),
        first: 0,
        end: first.scenarios,
        failed,
        ..first.clone()
    };
    let files = render(
        &header.unwrap_or_default(),
        &rows,
        with_units.unwrap_or(false).then_some(units.as_slice()),
        &record,
    )?;
    Ok((files, record))
}
