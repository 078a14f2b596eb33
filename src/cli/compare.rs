//! `equalize compare A B`: who gains and who loses between two runs; `equalize compare
//! BASE S1 S2 ...`: several scenarios against one base, in one table.
//!
//! Each is an output folder of `equalize run`, or a scenario file run on the fly.

use std::path::{Path, PathBuf};

use super::GlobalOptions;
use equalize::error::{Error, Result};
use equalize::pipeline::{OutputKind, Run, RunInputs};
use equalize::report::{self, compare};

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
    equalize compare out/baseline out/pool-plus-5\n  \
    equalize compare scenarios/cn-baseline.toml scenarios/cn-pool-plus-5.toml --out diff.xlsx\n  \
    equalize compare out/gansu scenarios/gansu-ethnic-areas.toml scenarios/gansu-wider-band.toml --out all.xlsx")]
pub struct Args {
    /// The runs: output folders or scenario files. Two: A and B. More: the first is the
    /// base, each other is compared with it, in one table.
    #[arg(required = true, num_args = 2.., value_name = "RUN")]
    pub runs: Vec<PathBuf>,
    /// Also write every unit to FILE: .csv, .json, .xlsx or .html.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write keys and labels into a .csv as they are, even those a spreadsheet would run
    /// as formulas (`=...`, `+...`, `-...`, `@...`); by default they are prefixed with '.
    #[arg(long)]
    pub csv_raw: bool,
    /// Two runs: also compare stage by stage (each stage's sums in the terminal; with --out
    /// .csv each unit's amount in A and B per stage; with .xlsx a By stage sheet).
    #[arg(long)]
    pub by_stage: bool,
    /// Also write the comparison as a report: xlsx (comparison.xlsx) or html
    /// (comparison.html) in the current folder; repeatable. The same as --out with that
    /// file name.
    #[arg(long, value_enum, value_name = "KIND")]
    pub report: Vec<ReportKind>,
    /// Rows shown for the largest gains and losses.
    #[arg(long, default_value = "10", value_name = "N")]
    pub rows: usize,
}

pub fn run(args: Args, global: &GlobalOptions) -> Result<()> {
    if args.runs.len() > 2 {
        if args.by_stage {
            return Err(Error::usage(equalize::tr!("cli-compare-by-stage-many")));
        }
        return run_many(&args, global);
    }
    let (a, mut inputs) = side(&args.runs[0])?;
    let (b, more) = side(&args.runs[1])?;
    inputs.extend(more);
    let comparison = compare::compare(&a, &b)?;
    let targets = targets(&args)?;
    for (out, format) in &targets {
        let bytes = match format {
            OutFormat::Csv if args.by_stage => compare::by_stage_csv(&a, &b, args.csv_raw)?,
            OutFormat::Csv => compare::csv(&comparison, args.csv_raw)?,
            OutFormat::Json => json(&comparison)?,
            OutFormat::Xlsx => {
                // The table to sign first: B laid out against A as the base.
                let table = report::compare_many::compare_many(&a, std::slice::from_ref(&b))
                    .map(|m| report::compare_many::published(&m))?;
                let by_stage = if args.by_stage {
                    Some(compare::by_stage_csv(&a, &b, true)?)
                } else {
                    None
                };
                report::xlsx::comparison_with(&comparison, Some(&table), by_stage.as_deref(), &report_options())?
            }
            OutFormat::Html => {
                report::html::comparison_with(&comparison, &compare::csv(&comparison, true)?, &report_options())
            }
        };
        write_out(out, &inputs, &args.runs, &bytes)?;
    }
    if !global.quiet {
        super::print(&compare::text(&comparison, args.rows))?;
        if args.by_stage {
            super::print(&compare::by_stage_text(&a, &b))?;
        }
        for (out, _) in &targets {
            super::print(&format!(
                "{}\n",
                equalize::tr!("cli-wrote", path = out.display().to_string())
            ))?;
        }
    }
    Ok(())
}

/// The files to write: `--out`, then each `--report` kind as `comparison.KIND`; the same
/// file twice is refused.
fn targets(args: &Args) -> Result<Vec<(PathBuf, OutFormat)>> {
    let mut targets = Vec::new();
    if let Some(out) = &args.out {
        targets.push((out.clone(), OutFormat::of(out)?));
    }
    for kind in &args.report {
        let (name, format) = match kind {
            ReportKind::Xlsx => ("comparison.xlsx", OutFormat::Xlsx),
            ReportKind::Html => ("comparison.html", OutFormat::Html),
        };
        let path = PathBuf::from(name);
        if targets.iter().any(|(p, _)| *p == path) {
            return Err(Error::usage(equalize::tr!("cli-asked-twice", name = name)));
        }
        targets.push((path, format));
    }
    Ok(targets)
}

/// The reports `--report` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportKind {
    Xlsx,
    Html,
}

/// What `--out` writes, by its file name's extension.
#[derive(Clone, Copy)]
enum OutFormat {
    Csv,
    Json,
    Xlsx,
    Html,
}

impl OutFormat {
    fn of(out: &Path) -> Result<OutFormat> {
        let extension = out
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match extension.as_str() {
            "csv" => Ok(OutFormat::Csv),
            "json" => Ok(OutFormat::Json),
            "xlsx" => Ok(OutFormat::Xlsx),
            "html" => Ok(OutFormat::Html),
            _ => Err(Error::usage(format!(
                "--out {}: use a .csv, .json, .xlsx or .html file name",
                out.display()
            ))),
        }
    }
}

fn json(value: &impl serde::Serialize) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Write `bytes` to `out`, never over a file the comparison read nor into a results folder
/// it compares (`runs` that are folders).
fn write_out(out: &Path, inputs: &[PathBuf], runs: &[PathBuf], bytes: &[u8]) -> Result<()> {
    let folders: Vec<PathBuf> = runs.iter().filter(|r| r.is_dir()).cloned().collect();
    equalize::files::refuse_file_over_inputs(out, inputs, &folders)?;
    report::write_file(out, bytes)
}

/// A base and several scenarios: one table.
fn run_many(args: &Args, global: &GlobalOptions) -> Result<()> {
    let mut inputs = Vec::new();
    let mut sides = Vec::new();
    for path in &args.runs {
        let (side, read) = side(path)?;
        inputs.extend(read);
        sides.push(side);
    }
    let many = report::compare_many::compare_many(&sides[0], &sides[1..])?;
    let targets = targets(args)?;
    for (out, format) in &targets {
        let bytes = match format {
            OutFormat::Csv => report::compare_many::csv(&many, args.csv_raw)?,
            OutFormat::Json => json(&many)?,
            OutFormat::Xlsx => report::xlsx::comparison_many_with(&many, &report_options())?,
            OutFormat::Html => {
                report::html::comparison_many_with(&many, &report::compare_many::csv(&many, true)?, &report_options())
            }
        };
        write_out(out, &inputs, &args.runs, &bytes)?;
    }
    if !global.quiet {
        super::print(&report::compare_many::text(&many))?;
        for (out, _) in &targets {
            super::print(&format!(
                "{}\n",
                equalize::tr!("cli-wrote", path = out.display().to_string())
            ))?;
        }
        if targets.is_empty() {
            super::print(
                "every unit, with each scenario's difference from the base: --out FILE (.csv, .json, .xlsx, .html)\n",
            )?;
        }
    }
    Ok(())
}

/// A run's outputs: read from its folder, or computed from a scenario file; with the
/// paths it read (never to be written over).
fn side(path: &Path) -> Result<(compare::Side, Vec<PathBuf>)> {
    if path.is_dir() {
        let _reading = equalize::report::folder::check_readable(path)?;
        let read = |kind: OutputKind| {
            let file = path.join(kind.file_name());
            std::fs::read(&file).map_err(|e| Error::io(&file, "read", e))
        };
        let side = compare::Side::from_outputs(
            &path.display().to_string(),
            &read(OutputKind::Allocations)?,
            &read(OutputKind::Summary)?,
        )?;
        let side = if side.group_by.is_some() || side.compare_with.is_some() {
            side.with_groups(&read(OutputKind::Audit)?)?
        } else {
            side
        };
        let published = OutputKind::ALL.map(|k| path.join(k.file_name())).to_vec();
        return Ok((side, published));
    }
    if path.extension().is_some_and(|e| e == "toml") {
        let inputs = RunInputs {
            scenario: Some(path.to_path_buf()),
            ..RunInputs::default()
        };
        let run = Run::compute(inputs)?;
        let rendered = run.render(&[])?;
        let find = |kind: OutputKind| {
            rendered
                .files
                .iter()
                .find(|f| f.name == kind.file_name())
                .map(|f| f.bytes.as_slice())
                .unwrap_or_default()
        };
        let name = run
            .loaded
            .scenario
            .as_ref()
            .map_or_else(|| path.display().to_string(), |s| format!("{} ({})", s.name, s.file));
        let side = compare::Side::from_outputs(&name, find(OutputKind::Allocations), find(OutputKind::Summary))?
            .with_groups(find(OutputKind::Audit))?;
        return Ok((side, run.input_paths()));
    }
    Err(Error::usage(equalize::tr!(
        "cli-compare-not-a-run",
        path = path.display().to_string()
    )))
}

/// A comparison's report files are in the language the command line speaks (they are not
/// part of any run's manifest).
fn report_options() -> report::ReportOptions {
    report::ReportOptions {
        language: equalize::i18n::language(),
    }
}
