//! `equalize run`: compute allocations and write them, with a summary table.

use std::path::PathBuf;

use super::inputs::{self, InputArgs};
use super::GlobalOptions;
use crate::audit::manifest;
use crate::engine;
use crate::error::Result;
use crate::money;
use crate::report::{self, OutputFile};

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
    equalize run                                   # the shipped demo\n  \
    equalize run -f formulas/demo.toml -d datasets/demo/counties.csv --out out/demo\n  \
    equalize run --set pool=1050000000             # what if the pool grows 5%?")]
pub struct Args {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Output folder; created if missing. Only the files equalize writes are replaced.
    #[arg(long, short = 'o', value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Also write trace.jsonl: every unit's derivation tree (as `explain --format json`).
    #[arg(long)]
    pub trace: bool,
    /// Also write a report: xlsx (report.xlsx) or html (report.html); repeatable.
    #[arg(long, value_enum, value_name = "KIND")]
    pub report: Vec<ReportKind>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportKind {
    Xlsx,
    Html,
}

/// What to render besides the three main files.
#[derive(Clone, Debug, Default)]
pub struct Extras {
    pub trace: bool,
    pub reports: Vec<ReportKind>,
}

pub fn run(args: Args, global: &GlobalOptions) -> Result<()> {
    let extras = Extras {
        trace: args.trace,
        reports: args.report.clone(),
    };
    if args.inputs.scenario.len() <= 1 {
        return run_one(&args.inputs, &args.out, &extras, global);
    }
    // Several scenarios: one output folder each, named after the scenario file.
    for scenario in &args.inputs.scenario {
        let stem = scenario
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "scenario".into());
        let inputs = InputArgs {
            scenario: vec![scenario.clone()],
            ..args.inputs.clone()
        };
        run_one(&inputs, &args.out.join(stem), &extras, global)?;
    }
    Ok(())
}

fn run_one(inputs_args: &InputArgs, out: &std::path::Path, extras: &Extras, global: &GlobalOptions) -> Result<()> {
    let loaded = inputs::load(inputs_args)?;
    refuse_input_folder(out, &loaded)?;
    if !loaded.warnings.is_empty() && !global.quiet && !global.no_warnings {
        let mut warnings = loaded.warnings.clone();
        crate::diag::group_by_file(&mut warnings);
        crate::diag::eprint_text(&crate::diag::render(&warnings));
    }
    let result = engine::compute(&loaded.formula, &loaded.data, &loaded.params, &loaded.sources)?;
    let (mut files, summary) = render_with_summary(&loaded, &result, extras)?;
    let hashed: Vec<(&str, &[u8])> = files.iter().map(|f| (f.name, f.bytes.as_slice())).collect();
    let manifest = manifest::build(inputs_args, &loaded, &hashed);
    let mut manifest_bytes =
        serde_json::to_vec_pretty(&manifest).map_err(|e| crate::error::Error::Internal(format!("manifest: {e}")))?;
    manifest_bytes.push(b'\n');
    files.push(OutputFile {
        name: "manifest.json",
        bytes: manifest_bytes,
    });
    let written = report::write_all(out, &files)?;
    if !global.quiet {
        if let Some(scenario) = &loaded.scenario {
            println!("scenario: {} ({})", scenario.name, scenario.file);
        }
        print!("{}", summary_table(&summary));
        let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
        println!("wrote {}", names.join(", "));
    }
    Ok(())
}

/// Outputs never go into a folder that holds the run's inputs: a file there could be
/// overwritten, and inputs and results would mix.
fn refuse_input_folder(out: &std::path::Path, loaded: &inputs::Loaded) -> Result<()> {
    let Ok(out_dir) = out.canonicalize() else { return Ok(()) }; // a new folder holds nothing
    let mut inputs: Vec<String> = loaded
        .data
        .files
        .iter()
        .filter(|f| !f.embedded)
        .map(|f| f.name.clone())
        .collect();
    if !loaded.formula_embedded {
        inputs.push(loaded.formula.origin.clone());
    }
    inputs.extend(loaded.scenario.iter().map(|s| s.file.clone()));
    for input in inputs {
        let folder = std::path::Path::new(&input)
            .canonicalize()
            .ok()
            .and_then(|p| p.parent().map(|p| p.to_path_buf()));
        if folder.as_deref() == Some(out_dir.as_path()) {
            return Err(crate::error::Error::Usage(format!(
                "--out {} is the folder of the input {input}; write the results to a folder of their own",
                out.display()
            )));
        }
    }
    Ok(())
}

/// Every output of a run but the manifest, rendered in memory. `verify` renders the same.
pub fn render(loaded: &inputs::Loaded, result: &engine::Computation, extras: &Extras) -> Result<Vec<OutputFile>> {
    render_with_summary(loaded, result, extras).map(|(files, _)| files)
}

/// [`render`], also returning the summary (built once: its metrics are not cheap).
pub fn render_with_summary(
    loaded: &inputs::Loaded,
    result: &engine::Computation,
    extras: &Extras,
) -> Result<(Vec<OutputFile>, report::summary::Summary)> {
    let (formula, data) = (&loaded.formula, &loaded.data);
    let summary = report::summary::build(formula, data, result);
    let allocations = report::csv::allocations(formula, data, result)?;
    let audit = report::csv::audit(formula, data, result)?;
    let mut files = vec![
        OutputFile {
            name: "allocations.csv",
            bytes: allocations,
        },
        OutputFile {
            name: "audit.csv",
            bytes: audit,
        },
        OutputFile {
            name: "summary.json",
            bytes: report::summary::render(&summary)?,
        },
    ];
    if extras.trace {
        files.push(OutputFile {
            name: "trace.jsonl",
            bytes: report::trace::render(formula, data, result)?,
        });
    }
    let text_columns = if formula.label.is_some() { 2 } else { 1 };
    // The reports read the CSV bytes already rendered (files 0 and 1), without copies:
    // a big run writes hundreds of megabytes of CSV.
    let (allocations, audit) = (&files[0].bytes, &files[1].bytes);
    let mut reports = Vec::new();
    for kind in &extras.reports {
        match kind {
            ReportKind::Xlsx => {
                let places = report::csv::report_places(formula);
                let bytes = report::xlsx::run(&summary, allocations, audit, places, formula.label.is_some())?;
                reports.push(OutputFile {
                    name: "report.xlsx",
                    bytes,
                });
            }
            ReportKind::Html => {
                let values = crate::audit::values::Values { formula, data, result };
                let per_capita = report::metrics::per_capita(&values);
                let bytes = report::html::run(&summary, allocations, text_columns, per_capita.as_deref());
                reports.push(OutputFile {
                    name: "report.html",
                    bytes,
                });
            }
        }
    }
    files.extend(reports);
    Ok((files, summary))
}

/// The terminal summary: one line per stage, columns aligned.
pub fn summary_table(summary: &report::summary::Summary) -> String {
    let mut out = format!(
        "{}: {} units\n  formula {}\n  data    {}\n\n",
        summary.formula, summary.units, summary.formula_file, summary.data
    );
    let header = ["stage", "pool", "k", "at floor", "at cap", "sum"];
    let mut rows: Vec<[String; 6]> = vec![header.map(String::from)];
    for s in &summary.stages {
        let k = if s.groups.is_empty() {
            money::parse_decimal(&s.k)
                .map(|k| money::format_plain(k.round_dp(6)))
                .unwrap_or_else(|_| s.k.clone())
        } else {
            format!("{} groups", s.groups.len())
        };
        // A stage left out of the total is shown in parentheses.
        let name = if s.in_total {
            s.name.clone()
        } else {
            format!("({})", s.name)
        };
        rows.push([
            name,
            s.pool.clone(),
            k,
            s.units_at_floor.to_string(),
            s.units_at_cap.to_string(),
            s.sum.clone(),
        ]);
    }
    rows.push([
        "total".into(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        summary.total.clone(),
    ]);
    let metrics = summary.metrics.as_ref().map(metrics_table).unwrap_or_default();
    let widths: Vec<usize> = (0..6)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                if c == 0 {
                    format!("{cell:<w$}", w = widths[c])
                } else {
                    format!("{cell:>w$}", w = widths[c])
                }
            })
            .collect();
        out.push_str(&format!("  {}\n", cells.join("  ").trim_end()));
    }
    out.push('\n');
    out.push_str(&metrics);
    out
}

/// Before -> after for the main metrics, aligned.
fn metrics_table(m: &crate::report::metrics::Metrics) -> String {
    let round = |s: &str| {
        money::parse_decimal(s)
            .map(|d| money::format_fixed(d, 4))
            .unwrap_or_else(|_| s.to_string())
    };
    let rows = m.rows();
    let mut out = format!(
        "  {} per {} ({} units), before -> after transfers\n",
        m.capacity, m.population, m.units
    );
    for (name, before, after) in rows {
        out.push_str(&format!("  {name:<27} {:>10} -> {:>10}\n", round(before), round(after)));
    }
    out.push_str(&format!(
        "  {:<27} {:>10}\n\n",
        "poorest fifth's share",
        round(&m.poorest_quintile_share)
    ));
    out
}
