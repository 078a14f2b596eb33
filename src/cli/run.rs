//! `equalize run`: compute allocations and write them, with a summary table.

use std::path::{Path, PathBuf};

use super::inputs::InputArgs;
use super::GlobalOptions;
use equalize::diag;
use equalize::error::Result;
use equalize::money;
use equalize::pipeline::{self, OutputKind, Run, RunInputs};
use equalize::report;

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
    /// Write keys, labels and text inputs into the CSV outputs as they are, even those a
    /// spreadsheet would run as formulas (`=...`, `+...`, `-...`, `@...`); by default
    /// such text is prefixed with '.
    #[arg(long)]
    pub csv_raw: bool,
    /// Add a second header row to allocations.csv and audit.csv with the formula's labels
    /// (`[labels]`); the first row keeps the machine names scripts read.
    #[arg(long)]
    pub labels: bool,
    /// Also write a report: xlsx (report.xlsx) or html (report.html); repeatable.
    #[arg(long, value_enum, value_name = "KIND")]
    pub report: Vec<ReportKind>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportKind {
    Xlsx,
    Html,
}

impl ReportKind {
    fn output(self) -> OutputKind {
        match self {
            ReportKind::Xlsx => OutputKind::ReportXlsx,
            ReportKind::Html => OutputKind::ReportHtml,
        }
    }
}

pub fn run(args: Args, global: &GlobalOptions) -> Result<()> {
    let mut asked: Vec<OutputKind> = args.report.iter().map(|r| r.output()).collect();
    if args.trace {
        asked.push(OutputKind::Trace);
    }
    if args.inputs.scenario.len() <= 1 {
        let mut inputs = args.inputs.single()?;
        inputs.csv_raw = args.csv_raw;
        inputs.csv_labels = args.labels;
        return run_one(inputs, &args.out, &asked, global);
    }
    // Several scenarios: one output folder each, named after the scenario file; two
    // scenarios that would share a folder are refused before anything is written.
    let stems: Vec<String> = args
        .inputs
        .scenario
        .iter()
        .map(|s| {
            s.file_stem()
                .map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned())
        })
        .collect();
    let mut problems = Vec::new();
    for (i, stem) in stems.iter().enumerate() {
        if let Some(j) = stems[..i].iter().position(|s| s == stem) {
            problems.push(diag::Diagnostic::error_t(
                "cli-scenario-collision",
                equalize::args![
                    first = args.inputs.scenario[j].display().to_string(),
                    second = args.inputs.scenario[i].display().to_string(),
                    folder = args.out.join(stem).display().to_string()
                ],
            ));
        }
    }
    if !problems.is_empty() {
        return Err(equalize::error::Error::Usage(problems));
    }
    for (scenario, stem) in args.inputs.scenario.iter().zip(&stems) {
        let mut inputs = args.inputs.to_inputs(Some(scenario.clone()));
        inputs.csv_raw = args.csv_raw;
        inputs.csv_labels = args.labels;
        run_one(inputs, &args.out.join(stem), &asked, global)?;
    }
    Ok(())
}

fn run_one(mut inputs: RunInputs, out: &Path, asked: &[OutputKind], global: &GlobalOptions) -> Result<()> {
    // Reports are written in the language the command line speaks (the formula's own
    // `[report] language` wins); the manifest records it when it is not English.
    let language = equalize::i18n::language();
    if language != equalize::i18n::Lang::En
        && asked
            .iter()
            .any(|k| matches!(k, OutputKind::ReportXlsx | OutputKind::ReportHtml))
    {
        inputs.report_language = Some(language);
    }
    let loaded = pipeline::load(&inputs)?;
    if !loaded.warnings.is_empty() && !global.quiet && !global.no_warnings {
        let mut warnings = loaded.warnings.clone();
        diag::group_by_file(&mut warnings);
        diag::eprint_text(&diag::render_coloured(&warnings, diag::use_colour()));
    }
    let run = Run::from_loaded(inputs, loaded)?;
    let computed = run.warnings();
    if !computed.is_empty() && !global.quiet && !global.no_warnings {
        diag::eprint_text(&diag::render_coloured(&computed, diag::use_colour()));
    }
    let (written, summary) = run.write(out, asked)?;
    if !global.quiet {
        let mut text = String::new();
        if let Some(scenario) = &run.loaded.scenario {
            let line = equalize::tr!(
                "cli-scenario-line",
                name = &scenario.name,
                file = scenario.file.to_string()
            );
            text.push_str(&format!("{line}\n"));
        }
        text.push_str(&summary_table(&summary));
        let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
        let files = names.join(", ");
        text.push_str(&format!(
            "{}\n",
            equalize::i18n::t("run-wrote", &[("files", (&files).into())])
        ));
        super::print(&text)?;
    }
    Ok(())
}

/// The terminal summary: one line per stage, columns aligned (by display width, so
/// Chinese headings and names line up), in the language of the messages.
pub fn summary_table(summary: &report::summary::Summary) -> String {
    use equalize::i18n::t;
    let units = summary.units.to_string();
    let mut out = format!(
        "{}\n  {} {}\n  {} {}\n",
        t(
            "run-units",
            &[("formula", (&summary.formula).into()), ("units", (&units).into())]
        ),
        pad_right(&t("run-formula", &[]), 7),
        summary.formula_file,
        pad_right(&t("run-data", &[]), 7),
        summary.data
    );
    for line in &summary.rows_left_out {
        out.push_str(&format!("          {line}\n"));
    }
    out.push('\n');
    if summary.stages.is_empty() {
        out.push_str(&format!("  {}\n", t("run-no-stages", &[])));
        return out;
    }
    let header = [
        "table-stage",
        "table-pool",
        "table-k",
        "table-at-floor",
        "table-at-cap",
        "table-sum",
    ];
    let mut rows: Vec<[String; 6]> = vec![header.map(|id| t(id, &[]))];
    for s in &summary.stages {
        let k = match &s.k {
            Some(k) => money::parse_decimal(k)
                .map(|k| money::format_plain(k.round_dp(6)))
                .unwrap_or_else(|_| k.clone()),
            None => t("run-groups", &[("groups", s.groups.len().into())]),
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
        t("table-total", &[]),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        summary.total.clone(),
    ]);
    let metrics = summary.metrics.as_ref().map(metrics_table).unwrap_or_default();
    let widths: Vec<usize> = (0..6)
        .map(|c| rows.iter().map(|r| width(&r[c])).max().unwrap_or(0))
        .collect();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                if c == 0 {
                    pad_right(cell, widths[c])
                } else {
                    pad_left(cell, widths[c])
                }
            })
            .collect();
        out.push_str(&format!("  {}\n", cells.join("  ").trim_end()));
    }
    out.push('\n');
    out.push_str(&metrics);
    out
}

/// Columns a text takes in a terminal (a Chinese character takes two).
fn width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

fn pad_right(text: &str, to: usize) -> String {
    format!("{text}{}", " ".repeat(to.saturating_sub(width(text))))
}

fn pad_left(text: &str, to: usize) -> String {
    format!("{}{text}", " ".repeat(to.saturating_sub(width(text))))
}

/// Before -> after for the main metrics, aligned.
fn metrics_table(m: &equalize::report::metrics::Metrics) -> String {
    use equalize::i18n::t;
    let round = |s: &str| {
        money::parse_decimal(s)
            .map(|d| money::format_fixed(d, 4))
            .unwrap_or_else(|_| {
                if s.is_empty() {
                    t("metric-undefined", &[])
                } else {
                    s.to_string()
                }
            })
    };
    let units = m.units.to_string();
    let mut out = format!(
        "  {}\n",
        t(
            "metrics-heading",
            &[
                ("capacity", (&m.capacity).into()),
                ("population", (&m.population).into()),
                ("units", (&units).into())
            ]
        )
    );
    for (name, before, after) in m.rows() {
        out.push_str(&format!(
            "  {} {:>10} -> {:>10}\n",
            pad_right(&t(name.message_id(), &[]), 27),
            round(before),
            round(after)
        ));
    }
    out.push_str(&format!(
        "  {} {:>10}\n\n",
        pad_right(&t("metric-poorest-fifth", &[]), 27),
        round(&m.poorest_quintile_share)
    ));
    out
}
