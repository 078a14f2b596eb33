//! Running a sweep (or one shard of it) and rendering its folder.
//!
//! Outputs (CSV, or JSON lines), one folder per run or shard:
//! - `scenarios.*`: one row per scenario: its index, the values it varies, status,
//!   the total and the equalization metrics after transfers;
//! - `units.*`: the chosen units' totals per scenario (long format);
//! - `unit_summary.*`: per chosen unit, min, p5, median, p95 and max across scenarios;
//! - `sweep.json`: what was run (sweep file and hash, scenario count, shard).

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::checkpoint::Checkpoint;
use super::plan::{Outcome, Plan, Status, METRICS};
use super::{percentile, SweepSpec};
use crate::audit::hash::sha256_hex;
use crate::audit::manifest::Tool;
use crate::engine::{self, Reach};
use crate::error::{Error, Result};
use crate::money;
use crate::pipeline::{self, RunInputs};
use crate::report::table::{self, Cell, Format};
use crate::report::OutputFile;

/// The I-th of N equal slices of the scenario list (1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// `3/8`; `None` unless 1 <= I <= N.
    pub fn parse(text: &str) -> std::result::Result<Shard, String> {
        let (i, n) = text
            .split_once('/')
            .ok_or_else(|| crate::i18n::t("sweep-shard-shape", &[]))?;
        let (index, count): (usize, usize) = (
            i.trim().parse().map_err(|_| crate::i18n::t("sweep-shard-index", &[]))?,
            n.trim().parse().map_err(|_| crate::i18n::t("sweep-shard-count", &[]))?,
        );
        if count == 0 || index == 0 || index > count {
            return Err(crate::tr!("sweep-shard-range", index = index, count = count));
        }
        Ok(Shard { index, count })
    }

    /// The scenario range [first, end) of this shard of `total`.
    pub fn range(self, total: usize) -> (usize, usize) {
        let at = |k: usize| ((total as u128 * k as u128) / self.count as u128) as usize;
        (at(self.index - 1), at(self.index))
    }
}

/// A file the sweep read, and its SHA-256.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct InputHash {
    pub file: String,
    pub sha256: String,
}

/// What a sweep folder holds and what produced it: enough for `merge` to vouch that
/// shards belong together and are as they were written.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SweepRecord {
    pub tool: Tool,
    pub sweep: String,
    pub sweep_sha256: String,
    /// Every file the sweep read (scenario, formula, data), in order; a built-in formula
    /// as `built-in NAME` with the hash of its text.
    pub inputs: Vec<InputHash>,
    pub scenarios: usize,
    pub format: Format,
    /// The shard as I/N ("1/1" for a whole run) and its scenario range [first, end).
    pub shard: String,
    pub first: usize,
    pub end: usize,
    /// Scenarios solved, infeasible, and failed.
    pub ok: usize,
    pub infeasible: usize,
    pub failed: usize,
    /// SHA-256 of each table written beside this record.
    pub outputs: BTreeMap<String, String>,
}

/// A sweep run: its files, ready to write, and what they hold.
pub struct SweepRun {
    pub files: Vec<OutputFile>,
    pub record: SweepRecord,
    /// Scenarios run (those of the shard).
    pub ran: usize,
    /// The files the sweep read from disk (sweep file, scenario, formula, data), so that
    /// no output is written over one of them.
    pub inputs: Vec<PathBuf>,
}

/// A sweep ready to run: its base loaded, its plan resolved, what it read listed.
pub struct Prepared<'s> {
    spec: &'s SweepSpec,
    loaded: crate::pipeline::Loaded,
    plan: Plan<'s>,
    /// The files read from disk, where they are.
    pub inputs: Vec<PathBuf>,
    hashes: Vec<InputHash>,
}

/// Load a sweep's base and resolve its plan.
pub fn prepare(spec: &SweepSpec) -> Result<Prepared<'_>> {
    let run_inputs = RunInputs {
        scenario: spec.scenario.clone(),
        formula: spec.formula.clone(),
        data: spec.data.clone(),
        date: spec.date.clone(),
        prior: spec.prior.clone(),
        ..RunInputs::default()
    };
    let loaded = pipeline::load(&run_inputs)?;
    let mut read: Vec<PathBuf> = vec![spec.file.clone()];
    let mut hashes = Vec::new();
    if let Some(s) = &loaded.scenario {
        read.push(PathBuf::from(&s.file));
        hashes.push(InputHash {
            file: s.file.clone(),
            sha256: s.sha256.clone(),
        });
    }
    if loaded.formula_builtin.is_none() {
        read.push(PathBuf::from(&loaded.formula.origin));
    }
    hashes.push(InputHash {
        file: loaded.formula.origin.clone(),
        sha256: loaded.formula_sha256.clone(),
    });
    for f in &loaded.data.files {
        if !f.embedded {
            read.push(PathBuf::from(&f.name));
        }
        hashes.push(InputHash {
            file: f.name.clone(),
            sha256: f.sha256.clone(),
        });
    }
    if let Some(prior) = &loaded.prior {
        // Its manifest hashes every output the values were read from.
        hashes.push(InputHash {
            file: format!("{}/manifest.json", prior.folder),
            sha256: prior.manifest_sha256.clone(),
        });
    }
    let plan = Plan::new(spec, &loaded)?;
    Ok(Prepared {
        spec,
        loaded,
        plan,
        inputs: read,
        hashes,
    })
}

/// Run the scenarios of `shard`, calling `tick` after each (from worker threads).
pub fn execute(spec: &SweepSpec, shard: Shard, format: Format, tick: &(dyn Fn() + Sync)) -> Result<SweepRun> {
    prepare(spec)?.run(shard, format, tick, None)
}

impl Prepared<'_> {
    /// What a checkpoint of this sweep must match to be resumed: the tool, the sweep
    /// file, every input, the shard and the format.
    pub fn identity(&self, shard: Shard, format: Format) -> String {
        serde_json::json!({
            "tool": Tool::this(),
            "sweep_sha256": self.spec.sha256,
            "inputs": self.hashes,
            "shard": format!("{}/{}", shard.index, shard.count),
            "format": format,
        })
        .to_string()
    }

    /// Run the scenarios of `shard`, taking those a checkpoint already holds and adding
    /// each new one to it; `tick` is called after each scenario (from worker threads).
    pub fn run(
        &self,
        shard: Shard,
        format: Format,
        tick: &(dyn Fn() + Sync),
        checkpoint: Option<&Checkpoint>,
    ) -> Result<SweepRun> {
        let (spec, loaded, plan) = (self.spec, &self.loaded, &self.plan);
        let total = spec.scenarios();
        let (first, end) = shard.range(total);
        let base = engine::compute(&loaded.formula, &loaded.data, &loaded.params, &loaded.sources).ok();
        let reach = Reach::of(&loaded.formula);
        // A scenario's message is a cell of the results table, and an output file does not
        // change with the language: scenarios are computed with messages in English.
        let english = EnglishWhileComputing::start();
        let results: Vec<Outcome> = (first..end)
            .into_par_iter()
            // Each worker keeps what its previous scenario can lend the next.
            .map_init(super::plan::Worker::default, |worker, index| {
                if let Some(done) = checkpoint.and_then(|c| c.take(index)) {
                    tick();
                    return Ok(done);
                }
                let outcome = plan.scenario(index, loaded, base.as_ref(), &reach, worker);
                if let Some(c) = checkpoint {
                    c.record(&outcome)?;
                }
                tick();
                Ok(outcome)
            })
            .collect::<Result<_>>()?;
        drop(english);
        let hashes = self.hashes.clone();
        finish_run(
            spec,
            plan,
            results,
            hashes,
            total,
            (first, end),
            shard,
            format,
            self.inputs.clone(),
        )
    }
}

/// Messages in English until dropped, then in the language before.
struct EnglishWhileComputing(crate::i18n::Lang);

impl EnglishWhileComputing {
    fn start() -> EnglishWhileComputing {
        let before = crate::i18n::language();
        crate::i18n::set_language(crate::i18n::Lang::En);
        EnglishWhileComputing(before)
    }
}

impl Drop for EnglishWhileComputing {
    fn drop(&mut self) {
        crate::i18n::set_language(self.0);
    }
}

#[allow(clippy::too_many_arguments)]
fn finish_run(
    spec: &SweepSpec,
    plan: &Plan,
    results: Vec<Outcome>,
    hashes: Vec<InputHash>,
    total: usize,
    (first, end): (usize, usize),
    shard: Shard,
    format: Format,
    read: Vec<PathBuf>,
) -> Result<SweepRun> {
    let count = |status: Status| results.iter().filter(|r| r.status == status).count();
    let record = SweepRecord {
        tool: Tool::this(),
        sweep: spec.file.display().to_string(),
        sweep_sha256: spec.sha256.clone(),
        inputs: hashes,
        scenarios: total,
        format,
        shard: format!("{}/{}", shard.index, shard.count),
        first,
        end,
        ok: count(Status::Ok),
        infeasible: count(Status::Infeasible),
        failed: count(Status::Error),
        outputs: BTreeMap::new(),
    };
    let mut header = vec!["scenario".to_string()];
    header.extend(plan.columns.iter().cloned());
    header.extend(["status", "message", "total"].map(String::from));
    header.extend(METRICS.iter().map(|m| m.to_string()));
    let text = |t: &str| if t.is_empty() { Cell::Null } else { Cell::str(t) };
    let rows: Vec<Vec<Cell>> = results
        .iter()
        .map(|r| {
            let mut row = vec![Cell::int(r.index)];
            row.extend(r.values.iter().map(|v| text(v)));
            row.extend([Cell::str(r.status.code()), text(&r.message), text(&r.total)]);
            if r.metrics.is_empty() {
                row.extend(METRICS.iter().map(|_| Cell::Null));
            } else {
                row.extend(r.metrics.iter().map(|m| text(m)));
            }
            row
        })
        .collect();
    let units: Vec<UnitValue> = results
        .iter()
        .flat_map(|r| r.units.iter().map(move |(k, v)| (r.index, k.clone(), *v)))
        .collect();
    let (files, record) = render(&header, &rows, spec.units.is_some().then_some(units.as_slice()), record)?;
    Ok(SweepRun {
        files,
        record,
        ran: end - first,
        inputs: read,
    })
}

/// One unit's total in one scenario.
pub(super) type UnitValue = (usize, String, Decimal);

/// Every file a sweep folder may hold.
pub const FAMILY: [&str; 7] = [
    "scenarios.csv",
    "scenarios.jsonl",
    "units.csv",
    "units.jsonl",
    "unit_summary.csv",
    "unit_summary.jsonl",
    "sweep.json",
];

/// The file names of a sweep folder's tables.
pub(super) fn file_name(stem: &str, format: Format) -> &'static str {
    match (stem, format) {
        ("scenarios", Format::Csv) => "scenarios.csv",
        ("scenarios", Format::Jsonl) => "scenarios.jsonl",
        ("units", Format::Csv) => "units.csv",
        ("units", Format::Jsonl) => "units.jsonl",
        (_, Format::Csv) => "unit_summary.csv",
        (_, Format::Jsonl) => "unit_summary.jsonl",
    }
}

/// The files of a sweep folder, from its scenario rows and (when units are kept) unit
/// values; the record gets the hash of each table and is written last.
pub(super) fn render(
    header: &[String],
    rows: &[Vec<Cell>],
    units: Option<&[UnitValue]>,
    mut record: SweepRecord,
) -> Result<(Vec<OutputFile>, SweepRecord)> {
    let format = record.format;
    let mut files = vec![OutputFile {
        name: file_name("scenarios", format),
        bytes: table::write(format, header, rows)?,
    }];
    if let Some(units) = units {
        let long: Vec<Vec<Cell>> = units
            .iter()
            .map(|(i, k, v)| vec![Cell::int(*i), Cell::str(k.as_str()), Cell::str(money::format_plain(*v))])
            .collect();
        let long_header = ["scenario", "key", "total"].map(String::from);
        files.push(OutputFile {
            name: file_name("units", format),
            bytes: table::write(format, &long_header, &long)?,
        });
        let mut by_unit: BTreeMap<&str, Vec<Decimal>> = BTreeMap::new();
        for (_, key, value) in units {
            by_unit.entry(key.as_str()).or_default().push(*value);
        }
        let summary: Vec<Vec<Cell>> = by_unit
            .into_iter()
            .map(|(key, mut values)| {
                values.sort();
                let p = |q| Cell::str(money::format_plain(percentile(&values, q)));
                vec![
                    Cell::str(key),
                    Cell::int(values.len()),
                    p(0),
                    p(5),
                    p(50),
                    p(95),
                    p(100),
                ]
            })
            .collect();
        let summary_header = ["key", "scenarios", "min", "p5", "median", "p95", "max"].map(String::from);
        files.push(OutputFile {
            name: file_name("unit_summary", format),
            bytes: table::write(format, &summary_header, &summary)?,
        });
    }
    record.outputs = files
        .iter()
        .map(|f| (f.name.to_string(), sha256_hex(&f.bytes)))
        .collect();
    let mut meta = serde_json::to_vec_pretty(&record).map_err(|e| Error::Internal(e.to_string()))?;
    meta.push(b'\n');
    files.push(OutputFile {
        name: "sweep.json",
        bytes: meta,
    });
    Ok((files, record))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_scenario_once() {
        for total in [0, 1, 7, 60, 10_001] {
            for count in 1..=9 {
                let mut next = 0;
                for index in 1..=count {
                    let (first, end) = Shard { index, count }.range(total);
                    assert_eq!(first, next);
                    next = end;
                }
                assert_eq!(next, total);
            }
        }
    }

    /// A worker copies steps from its previous scenario, keeps breakpoints and reuses
    /// rankings: every scenario's figures must be those of a computation from nothing. The
    /// grid's axes reach different steps (the pool only the stage; the cap the growth vars and
    /// the breakpoints; the uplift the need), the values run back and forth, some scenarios
    /// are infeasible; once with the cap varying fastest, once the pool (then consecutive
    /// scenarios differ only in the pool, and the breakpoints are taken again).
    #[test]
    fn scenarios_computed_from_a_worker_s_previous_one_equal_fresh_ones() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let uplift = "\"uplift.age65\" = { from = \"1.5\", to = \"2\", step = \"0.5\" }\n";
        let pool = "pool = { from = \"1000000\", to = \"2500000\", step = \"500000\" }\n";
        let cap = "\"growth.cap\" = { from = \"1.00\", to = \"1.30\", step = \"0.15\" }\n";
        for (grid, pool_fastest) in [
            (format!("{uplift}{pool}{cap}"), false),
            (format!("{uplift}{cap}{pool}"), true),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("sweep.toml");
            std::fs::write(
                &file,
                format!(
                    "[sweep]\nformula = \"{}\"\ndata = \"{}\"\nunits = \"all\"\ntheil = true\n[grid]\n{grid}",
                    root.join("formulas/cn-gansu.toml").display(),
                    root.join("datasets/cn-gansu").display()
                ),
            )
            .unwrap();
            let spec = crate::sweep::read(&file).unwrap();
            let prepared = prepare(&spec).unwrap();
            let (loaded, plan) = (&prepared.loaded, &prepared.plan);
            let base = engine::compute(&loaded.formula, &loaded.data, &loaded.params, &loaded.sources).ok();
            let reach = Reach::of(&loaded.formula);
            let mut worker = super::super::plan::Worker::default();
            let mut statuses = std::collections::BTreeSet::new();
            for index in 0..spec.scenarios() {
                let reused = plan.scenario(index, loaded, base.as_ref(), &reach, &mut worker);
                let fresh = plan.scenario(index, loaded, None, &reach, &mut Default::default());
                assert_eq!(format!("{reused:?}"), format!("{fresh:?}"), "scenario {index}");
                statuses.insert(format!("{:?}", fresh.status));
            }
            assert_eq!(spec.scenarios(), 24);
            assert!(statuses.len() > 1, "some scenarios should be infeasible: {statuses:?}");
            if pool_fastest {
                assert!(
                    worker.breakpoints.is_some_and(|k| k.reused > 0),
                    "breakpoints never taken again"
                );
            }
        }
    }

    #[test]
    fn shard_text_is_checked() {
        assert_eq!(Shard::parse("3/8"), Ok(Shard { index: 3, count: 8 }));
        assert!(Shard::parse("0/8").is_err());
        assert!(Shard::parse("9/8").is_err());
        assert!(Shard::parse("3").is_err());
    }
}
