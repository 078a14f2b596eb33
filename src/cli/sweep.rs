//! `equalize sweep FILE` and `equalize sweep merge DIR...`: many scenarios at once.
//!
//! Outputs (CSV, or JSON lines with `--format jsonl`), one folder per run or shard:
//! - `scenarios.csv`: one row per scenario: its index, the values it varies, status,
//!   the total and the equalization metrics after transfers;
//! - `units.csv`: the chosen units' totals per scenario (long format);
//! - `unit_summary.csv`: per chosen unit, min, p5, median, p95 and max across scenarios;
//! - `sweep.json`: what was run (sweep file and hash, scenario count, shard).
//!
//! Exit 0 when every scenario solved; 3 when any failed (its row says why).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::inputs::{self, InputArgs, Loaded};
use super::GlobalOptions;
use crate::audit::hash::sha256_hex;
use crate::audit::values::Values;
use crate::data::Column;
use crate::diag::did_you_mean;
use crate::engine::{self, Reach, Reuse};
use crate::error::{Error, Result};
use crate::money;
use crate::report::{self, OutputFile};
use crate::sweep::{self, Rng, SweepSpec};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Jsonl,
}

#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
#[command(after_help = "Examples:\n  \
    equalize sweep scenarios/cn-sweep.toml --out out/sweep\n  \
    equalize sweep scenarios/cn-sweep.toml --shard 2/8 --out out/shard-2     # on a cluster node\n  \
    equalize sweep merge out/shard-* --out out/sweep")]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
    /// The sweep file.
    pub file: Option<PathBuf>,
    /// Run only the I-th of N equal slices of the scenario list (1-based), e.g. 3/8.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
    /// Output folder.
    #[arg(long, short = 'o', value_name = "DIR", default_value = "out/sweep")]
    pub out: PathBuf,
    /// Output format of the tables.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
}

#[derive(clap::Subcommand, Debug)]
pub enum Action {
    /// Combine shard folders into the output one unsharded run gives.
    Merge(MergeArgs),
}

#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// The shards' output folders, in any order.
    pub dirs: Vec<PathBuf>,
    /// Output folder.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: PathBuf,
}

fn parse_shard(text: &str) -> std::result::Result<(usize, usize), String> {
    let (i, n) = text.split_once('/').ok_or("expected I/N, e.g. 3/8")?;
    let (i, n): (usize, usize) = (
        i.parse().map_err(|_| "I must be a number")?,
        n.parse().map_err(|_| "N must be a number")?,
    );
    if n == 0 || i == 0 || i > n {
        return Err(format!("shard {i}/{n}: need 1 <= I <= N"));
    }
    Ok((i, n))
}

/// What a sweep folder holds, for merging and for people.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SweepRecord {
    pub sweep: String,
    pub sweep_sha256: String,
    pub scenarios: usize,
    pub format: Format,
    /// The shard as I/N ("1/1" for a whole run) and its scenario range [first, end).
    pub shard: String,
    pub first: usize,
    pub end: usize,
    pub failed: usize,
}

pub fn run(args: Args, global: &GlobalOptions) -> Result<()> {
    if let Some(Action::Merge(merge_args)) = args.action {
        return merge(merge_args, global);
    }
    let Some(file) = &args.file else {
        return Err(Error::Usage(
            "give a sweep file, or `sweep merge DIR... --out DIR`".into(),
        ));
    };
    let spec = sweep::read(file)?;
    let sweep_sha256 = sha256_hex(&std::fs::read(file).map_err(|e| Error::io(file, "read", e))?);
    let base_args = InputArgs {
        scenario: spec.scenario.iter().cloned().collect(),
        formula: spec.formula.clone(),
        data: spec.data.clone(),
        ..InputArgs::default()
    };
    let loaded = inputs::load(&base_args)?;
    let plan = Plan::new(&spec, &loaded)?;
    let total = spec.scenarios();
    let (shard, shards) = args.shard.unwrap_or((1, 1));
    let (first, end) = (total * (shard - 1) / shards, total * shard / shards);

    let base = engine::compute(&loaded.formula, &loaded.data, &loaded.params, &loaded.sources).ok();
    let reach = Reach::of(&loaded.formula);
    let progress = Progress::new(end - first, global.quiet);
    let results: Vec<Outcome> = (first..end)
        .into_par_iter()
        .map(|index| {
            let outcome = plan.scenario(index, &loaded, base.as_ref(), &reach);
            progress.tick();
            outcome
        })
        .collect();
    progress.finish();

    let failed = results.iter().filter(|r| r.status != "ok").count();
    let record = SweepRecord {
        sweep: file.display().to_string(),
        sweep_sha256,
        scenarios: total,
        format: args.format,
        shard: format!("{shard}/{shards}"),
        first,
        end,
        failed,
    };
    let files = render(&plan.columns, &results, &record, spec.units.is_some())?;
    report::write_all(&args.out, &files)?;
    if !global.quiet {
        println!(
            "sweep {}: {} of {} scenarios (shard {shard}/{shards}), {} failed; wrote {}",
            if spec.name.is_empty() {
                file.display().to_string()
            } else {
                spec.name.clone()
            },
            end - first,
            total,
            failed,
            args.out.display()
        );
    }
    if failed > 0 {
        return Err(Error::Infeasible(vec![crate::diag::Diagnostic::error(format!(
            "{failed} of {} scenarios could not be solved; their rows in scenarios.{} say why",
            end - first,
            extension(args.format)
        ))]));
    }
    Ok(())
}

/// The resolved sweep: which params and inputs each scenario sets.
struct Plan<'s> {
    spec: &'s SweepSpec,
    /// Column names of the varied values, in order: grid axes, then param draws.
    columns: Vec<String>,
    /// Param index of each varied column.
    param_index: Vec<usize>,
    /// Input index of each input draw.
    input_index: Vec<usize>,
    /// Rows of the chosen units.
    unit_rows: Vec<usize>,
}

/// One scenario's results, as text ready to write.
struct Outcome {
    index: usize,
    values: Vec<String>,
    status: String,
    total: String,
    metrics: Vec<String>,
    units: Vec<(String, Decimal)>,
}

const METRICS: &[&str] = &[
    "gini_after",
    "weighted_gini_after",
    "cv_after",
    "theil_after",
    "max_min_after",
    "poorest_fifth_share",
];

impl<'s> Plan<'s> {
    fn new(spec: &'s SweepSpec, loaded: &Loaded) -> Result<Plan<'s>> {
        let formula = &loaded.formula;
        let mut problems = Vec::new();
        let mut columns = Vec::new();
        let mut param_index = Vec::new();
        let names: Vec<&str> = spec
            .grid
            .iter()
            .map(|(n, _)| n.as_str())
            .chain(spec.param_draws.iter().map(|d| d.name.as_str()))
            .collect();
        for name in names {
            match formula.param_index(name) {
                Some(i) => {
                    columns.push(name.to_string());
                    param_index.push(i);
                }
                None => problems.push(format!(
                    "the formula has no param '{name}'{}",
                    did_you_mean(name, formula.params.iter().map(|p| p.name.as_str()))
                        .map(|h| format!(" (did you mean '{h}'?)"))
                        .unwrap_or_default()
                )),
            }
        }
        let mut input_index = Vec::new();
        for draw in &spec.input_draws {
            match formula.inputs.iter().position(|i| i.name == draw.name) {
                Some(i) if matches!(loaded.data.columns[i], Column::Num(_)) => input_index.push(i),
                _ => problems.push(format!("the formula has no number input '{}' to draw", draw.name)),
            }
        }
        let unit_rows = match &spec.units {
            None => Vec::new(),
            Some(keys) if keys.is_empty() => (0..loaded.data.len()).collect(),
            Some(keys) => keys
                .iter()
                .filter_map(|k| {
                    let row = loaded.data.keys.binary_search(k).ok();
                    if row.is_none() {
                        problems.push(format!("no unit with key '{k}' in the data"));
                    }
                    row
                })
                .collect(),
        };
        if !problems.is_empty() {
            return Err(Error::Usage(problems.join("\nerror: ")));
        }
        Ok(Plan {
            spec,
            columns,
            param_index,
            input_index,
            unit_rows,
        })
    }

    fn scenario(&self, index: usize, loaded: &Loaded, base: Option<&engine::Computation>, reach: &Reach) -> Outcome {
        let formula = &loaded.formula;
        let mut params = loaded.params.clone();
        let mut values = Vec::new();
        let mut changed = vec![false; formula.params.len() + formula.inputs.len()];
        let mut set = |column: usize, value: Decimal, params: &mut Vec<Decimal>, changed: &mut Vec<bool>| {
            let p = self.param_index[column];
            if params[p] != value {
                changed[p] = true;
            }
            params[p] = value;
            values.push(money::format_plain(value));
        };
        for (column, (_, value)) in self.spec.grid_values(index).into_iter().enumerate() {
            set(column, value, &mut params, &mut changed);
        }
        let mut rng = Rng::for_scenario(self.spec.seed, index);
        let grid_columns = self.spec.grid.len();
        let mut failure = None;
        for (k, draw) in self.spec.param_draws.iter().enumerate() {
            match rng.draw(&draw.distribution) {
                Some(v) => set(
                    grid_columns + k,
                    sweep::round_draw(v, draw.round),
                    &mut params,
                    &mut changed,
                ),
                None => failure = Some(format!("draw of '{}' failed", draw.name)),
            }
        }
        let data_owned;
        let data = if self.input_index.is_empty() {
            &loaded.data
        } else {
            let mut copy = loaded.data.clone();
            for (draw, &input) in self.spec.input_draws.iter().zip(&self.input_index) {
                changed[formula.params.len() + input] = true;
                if let Column::Num(column) = &mut copy.columns[input] {
                    for value in column.iter_mut() {
                        let factor = rng.draw(&draw.distribution).unwrap_or(Decimal::ONE);
                        *value = sweep::round_draw(*value * factor, draw.round);
                    }
                }
            }
            data_owned = copy;
            &data_owned
        };
        let outcome = |status: String| Outcome {
            index,
            values: values.clone(),
            status,
            total: String::new(),
            metrics: Vec::new(),
            units: Vec::new(),
        };
        if let Some(f) = failure {
            return outcome(f);
        }
        let reuse = base.map(|base| Reuse {
            base,
            changed: &changed,
            reach,
        });
        let result = match engine::compute_reusing(formula, data, &params, &loaded.sources, reuse) {
            Ok(r) => r,
            Err(e) => {
                let first_line = e
                    .to_string()
                    .lines()
                    .find(|l| l.contains("error"))
                    .unwrap_or("failed")
                    .trim()
                    .to_string();
                return outcome(first_line);
            }
        };
        let out = |v: Decimal| crate::report::csv::to_output(formula, v);
        let total = result.totals.iter().fold(Decimal::ZERO, |a, v| a + v);
        let metrics = crate::report::metrics::compute_after(
            &Values {
                formula,
                data,
                result: &result,
            },
            self.spec.theil,
        )
        .map(|m| {
            vec![
                m.after.gini,
                m.after.weighted_gini,
                m.after.coefficient_of_variation,
                m.after.theil,
                m.after.max_min_ratio,
                m.poorest_quintile_share,
            ]
        })
        .unwrap_or_else(|| vec![String::new(); METRICS.len()]);
        Outcome {
            index,
            values,
            status: "ok".into(),
            total: money::format_plain(out(total)),
            metrics,
            units: self
                .unit_rows
                .iter()
                .map(|&r| (data.keys[r].clone(), out(result.totals[r])))
                .collect(),
        }
    }
}

fn extension(format: Format) -> &'static str {
    match format {
        Format::Csv => "csv",
        Format::Jsonl => "jsonl",
    }
}

/// A table as CSV or JSON lines.
fn table(format: Format, header: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>> {
    match format {
        Format::Csv => {
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(Vec::new());
            w.write_record(header).map_err(|e| Error::Internal(e.to_string()))?;
            for row in rows {
                w.write_record(row).map_err(|e| Error::Internal(e.to_string()))?;
            }
            w.into_inner().map_err(|e| Error::Internal(e.to_string()))
        }
        Format::Jsonl => {
            let mut out = Vec::new();
            for row in rows {
                let object: serde_json::Map<String, serde_json::Value> = header
                    .iter()
                    .cloned()
                    .zip(row.iter().map(|v| serde_json::Value::String(v.clone())))
                    .collect();
                out.extend(serde_json::to_vec(&object).map_err(|e| Error::Internal(e.to_string()))?);
                out.push(b'\n');
            }
            Ok(out)
        }
    }
}

fn render(columns: &[String], results: &[Outcome], record: &SweepRecord, with_units: bool) -> Result<Vec<OutputFile>> {
    let mut header = vec!["scenario".to_string()];
    header.extend(columns.iter().cloned());
    header.extend(["status".to_string(), "total".to_string()]);
    header.extend(METRICS.iter().map(|m| m.to_string()));
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            let mut row = vec![r.index.to_string()];
            row.extend(r.values.iter().cloned());
            row.extend([r.status.clone(), r.total.clone()]);
            row.extend(if r.metrics.is_empty() {
                vec![String::new(); METRICS.len()]
            } else {
                r.metrics.clone()
            });
            row
        })
        .collect();
    let units: Vec<(usize, String, Decimal)> = results
        .iter()
        .flat_map(|r| r.units.iter().map(move |(k, v)| (r.index, k.clone(), *v)))
        .collect();
    finish(&header, &rows, &units, record, with_units)
}

/// The files of a sweep folder, from its scenario rows and unit values.
fn finish(
    header: &[String],
    rows: &[Vec<String>],
    units: &[(usize, String, Decimal)],
    record: &SweepRecord,
    with_units: bool,
) -> Result<Vec<OutputFile>> {
    let ext = extension(record.format);
    let name = |stem: &str| -> &'static str {
        match (stem, ext) {
            ("scenarios", "csv") => "scenarios.csv",
            ("scenarios", _) => "scenarios.jsonl",
            ("units", "csv") => "units.csv",
            ("units", _) => "units.jsonl",
            ("unit_summary", "csv") => "unit_summary.csv",
            _ => "unit_summary.jsonl",
        }
    };
    let mut files = vec![OutputFile {
        name: name("scenarios"),
        bytes: table(record.format, header, rows)?,
    }];
    if with_units {
        let long: Vec<Vec<String>> = units
            .iter()
            .map(|(i, k, v)| vec![i.to_string(), k.clone(), money::format_plain(*v)])
            .collect();
        files.push(OutputFile {
            name: name("units"),
            bytes: table(record.format, &["scenario".into(), "key".into(), "total".into()], &long)?,
        });
        let mut by_unit: std::collections::BTreeMap<&str, Vec<Decimal>> = Default::default();
        for (_, key, value) in units {
            by_unit.entry(key.as_str()).or_default().push(*value);
        }
        let summary: Vec<Vec<String>> = by_unit
            .into_iter()
            .map(|(key, mut values)| {
                values.sort();
                let p = |q| money::format_plain(sweep::percentile(&values, q));
                vec![
                    key.to_string(),
                    values.len().to_string(),
                    p(0),
                    p(5),
                    p(50),
                    p(95),
                    p(100),
                ]
            })
            .collect();
        let header: Vec<String> = ["key", "scenarios", "min", "p5", "median", "p95", "max"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        files.push(OutputFile {
            name: name("unit_summary"),
            bytes: table(record.format, &header, &summary)?,
        });
    }
    let mut meta = serde_json::to_vec_pretty(record).map_err(|e| Error::Internal(e.to_string()))?;
    meta.push(b'\n');
    files.push(OutputFile {
        name: "sweep.json",
        bytes: meta,
    });
    Ok(files)
}

/// Shard folders back into one: rows in scenario order, summaries over all scenarios.
fn merge(args: MergeArgs, global: &GlobalOptions) -> Result<()> {
    if args.dirs.is_empty() {
        return Err(Error::Usage("sweep merge needs the shard folders".into()));
    }
    let mut shards: Vec<(SweepRecord, PathBuf)> = Vec::new();
    for dir in &args.dirs {
        let path = dir.join("sweep.json");
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, "read", e))?;
        let record: SweepRecord =
            serde_json::from_str(&text).map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
        shards.push((record, dir.clone()));
    }
    shards.sort_by_key(|(r, _)| r.first);
    let first = &shards[0].0;
    for (r, dir) in &shards {
        if r.sweep_sha256 != first.sweep_sha256 || r.scenarios != first.scenarios || r.format != first.format {
            return Err(Error::Usage(format!(
                "{} is a shard of a different sweep (or format) than {}",
                dir.display(),
                shards[0].1.display()
            )));
        }
    }
    let mut expected = 0;
    for (r, dir) in &shards {
        if r.first != expected {
            return Err(Error::Usage(format!(
                "the shards do not cover the scenarios: scenario {expected} is missing before {} (shard {})",
                dir.display(),
                r.shard
            )));
        }
        expected = r.end;
    }
    if expected != first.scenarios {
        return Err(Error::Usage(format!(
            "the shards cover scenarios 0..{expected} of {}: some are missing",
            first.scenarios
        )));
    }
    let ext = extension(first.format);
    let read_table = |dir: &Path, stem: &str| -> Result<Option<Table>> {
        let path = dir.join(format!("{stem}.{ext}"));
        if !path.exists() {
            return Ok(None);
        }
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, "read", e))?;
        match first.format {
            Format::Csv => {
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(true)
                    .from_reader(bytes.as_slice());
                let header = reader
                    .headers()
                    .map_err(|e| Error::Usage(e.to_string()))?
                    .iter()
                    .map(String::from)
                    .collect();
                let rows = reader
                    .records()
                    .map(|r| r.map(|r| r.iter().map(String::from).collect()))
                    .collect::<std::result::Result<_, _>>();
                Ok(Some((
                    header,
                    rows.map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?,
                )))
            }
            Format::Jsonl => {
                let mut header = Vec::new();
                let mut rows = Vec::new();
                for line in bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
                    let object: serde_json::Map<String, serde_json::Value> =
                        serde_json::from_slice(line).map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
                    if header.is_empty() {
                        header = object.keys().cloned().collect();
                    }
                    rows.push(
                        object
                            .values()
                            .map(|v| v.as_str().unwrap_or_default().to_string())
                            .collect(),
                    );
                }
                Ok(Some((header, rows)))
            }
        }
    };
    let mut header = Vec::new();
    let mut rows = Vec::new();
    let mut units = Vec::new();
    let mut with_units = false;
    let mut failed = 0;
    for (r, dir) in &shards {
        failed += r.failed;
        if let Some((h, mut part)) = read_table(dir, "scenarios")? {
            header = h;
            rows.append(&mut part);
        }
        if let Some((_, part)) = read_table(dir, "units")? {
            with_units = true;
            for row in part {
                let index: usize = row.first().and_then(|i| i.parse().ok()).unwrap_or_default();
                let value = money::parse_decimal(row.get(2).map_or("", String::as_str)).unwrap_or_default();
                units.push((index, row.get(1).cloned().unwrap_or_default(), value));
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
    let files = finish(&header, &rows, &units, &record, with_units)?;
    report::write_all(&args.out, &files)?;
    if !global.quiet {
        println!(
            "merged {} shards: {} scenarios into {}",
            shards.len(),
            first.scenarios,
            args.out.display()
        );
    }
    Ok(())
}

/// A table read back: header and rows.
type Table = (Vec<String>, Vec<Vec<String>>);

/// Progress on stderr: a bar on a terminal, a line every few seconds otherwise, none with --quiet.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    done: AtomicUsize,
    total: usize,
    last: Mutex<Instant>,
    start: Instant,
    plain: bool,
}

impl Progress {
    fn new(total: usize, quiet: bool) -> Progress {
        use std::io::IsTerminal;
        let terminal = std::io::stderr().is_terminal();
        let bar = (terminal && !quiet).then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} scenarios {per_sec} eta {eta}")
            {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            done: AtomicUsize::new(0),
            total,
            last: Mutex::new(Instant::now()),
            start: Instant::now(),
            plain: !terminal && !quiet,
        }
    }

    fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(bar) = &self.bar {
            bar.inc(1);
        } else if self.plain {
            if let Ok(mut last) = self.last.try_lock() {
                if last.elapsed().as_secs() >= 2 {
                    *last = Instant::now();
                    let rate = done as f64 / self.start.elapsed().as_secs_f64().max(1e-9); // float-ok: a rate for people
                    eprintln!("sweep: {done}/{} scenarios, {rate:.0}/s", self.total);
                }
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
