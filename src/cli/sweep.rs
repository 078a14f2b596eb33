//! `equalize sweep FILE` and `equalize sweep merge DIR...`: many scenarios at once.
//!
//! The sweep itself (plan, scenarios, tables, merge) is [`equalize::sweep`]; this file
//! keeps the arguments, the progress bar and the messages. An infeasible scenario is a
//! result, not a failure: exit 0 once every scenario has been evaluated, whatever their
//! status (`--fail-on-infeasible`: exit 3 when any scenario is not `ok`).

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use super::GlobalOptions;
use equalize::error::{Error, Result};
use equalize::pipeline::{OutputKind, Run, RunInputs};
use equalize::report;
use equalize::report::folder::Folder;
use equalize::report::table::Format as TableFormat;
use equalize::sweep::{self, Checkpoint, Shard};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Jsonl,
}

#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
#[command(after_help = "Examples:\n  \
    equalize sweep scenarios/cn-sweep.toml --out out/sweep\n  \
    equalize sweep scenarios/cn-sweep.toml --shard 2/8 --out out/shard-2     # on a cluster node\n  \
    equalize sweep merge out/shard-* --out out/sweep\n  \
    equalize sweep scenarios/cn-sweep.toml --scenario 52 --out out/s52     # one row as a full run")]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
    /// The sweep file.
    pub file: Option<PathBuf>,
    /// Run only the I-th of N equal slices of the scenario list (1-based), e.g. 3/8.
    #[arg(long, value_name = "I/N", value_parser = Shard::parse)]
    pub shard: Option<Shard>,
    /// Output folder.
    #[arg(long, short = 'o', value_name = "DIR", default_value = "out/sweep")]
    pub out: PathBuf,
    /// Output format of the tables.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Exit 3 when any scenario is infeasible or failed (default: exit 0 once every
    /// scenario has been evaluated; their status column says how each ended).
    #[arg(long)]
    pub fail_on_infeasible: bool,
    /// Write scenario N (its index in scenarios.csv) as a complete run instead:
    /// allocations, audit, summary and a manifest that `equalize verify` accepts.
    #[arg(long, value_name = "N", conflicts_with_all = ["shard", "format"])]
    pub scenario: Option<usize>,
    /// With --scenario: also write trace.jsonl.
    #[arg(long, requires = "scenario")]
    pub trace: bool,
    /// Take the scenarios a killed run of the same sweep (and shard) into the same --out
    /// already finished, and compute only the rest. The result is the same bytes.
    #[arg(long, conflicts_with = "scenario")]
    pub resume: bool,
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
    /// Exit 3 when any merged scenario is infeasible or failed, as the unsharded run would.
    #[arg(long)]
    pub fail_on_infeasible: bool,
}

pub fn run(args: Args, global: &GlobalOptions) -> Result<()> {
    if let Some(Action::Merge(merge_args)) = args.action {
        return merge(merge_args, global);
    }
    let Some(file) = &args.file else {
        return Err(Error::usage(equalize::tr!("cli-sweep-no-file")));
    };
    let format = match args.format {
        Format::Csv => TableFormat::Csv,
        Format::Jsonl => TableFormat::Jsonl,
    };
    if let Some(index) = args.scenario {
        return one_scenario(file, index, &args, global);
    }
    let spec = sweep::read(file)?;
    let shard = args.shard.unwrap_or(Shard::WHOLE);
    let (first, end) = shard.range(spec.scenarios());
    let prepared = sweep::prepare(&spec)?;
    equalize::files::refuse_folder_of_inputs(&args.out, &prepared.inputs)?;
    // The folder is held for the whole sweep: the checkpoint lives in it.
    let folder = Folder::open(&args.out, &sweep::FAMILY)?;
    let checkpoint = Checkpoint::open(
        &args.out.join(".equalize-checkpoint"),
        &prepared.identity(shard, format),
        args.resume,
    )?;
    if args.resume && !global.quiet {
        if !checkpoint.matched() {
            equalize::diag::eprint_text(&format!("{}\n", equalize::tr!("cli-sweep-resume-afresh")));
        }
        let line = equalize::tr!("cli-sweep-resumed", done = checkpoint.resumed(), total = end - first);
        equalize::diag::eprint_text(&format!("{line}\n"));
    }
    let progress = Progress::new(end - first, global.quiet);
    let outcome = prepared.run(shard, format, &|| progress.tick(), Some(&checkpoint));
    progress.finish();
    let ran = outcome?;
    folder.replace(&ran.files)?;
    checkpoint.remove();
    if !global.quiet {
        let line = equalize::tr!(
            "cli-sweep-done",
            title = spec.title(),
            ran = ran.ran,
            scenarios = ran.record.scenarios,
            shard = &ran.record.shard,
            counts = counts(&ran.record),
            out = args.out.display().to_string()
        );
        super::print(&format!("{line}\n"))?;
    }
    exit_status(&ran.record, args.fail_on_infeasible, format)
}

/// One scenario of the sweep as a complete run, verifiable on its own.
fn one_scenario(file: &std::path::Path, index: usize, args: &Args, global: &GlobalOptions) -> Result<()> {
    let inputs = RunInputs {
        sweep: Some((file.to_path_buf(), index)),
        ..RunInputs::default()
    };
    let run = Run::compute(inputs)?;
    let asked: Vec<OutputKind> = if args.trace {
        vec![OutputKind::Trace]
    } else {
        Vec::new()
    };
    let (written, summary) = run.write(&args.out, &asked)?;
    if !global.quiet {
        let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
        let line = equalize::tr!(
            "cli-sweep-one",
            index = index,
            file = file.display().to_string(),
            formula = &summary.formula,
            total = &summary.total
        );
        let wrote = equalize::tr!("run-wrote", files = names.join(", "));
        super::print(&format!("{line}\n{wrote}\n"))?;
    }
    Ok(())
}

/// `58 ok, 2 infeasible, 0 failed`.
fn counts(record: &sweep::SweepRecord) -> String {
    equalize::tr!(
        "cli-sweep-counts",
        ok = record.ok,
        infeasible = record.infeasible,
        failed = record.failed
    )
}

/// Exit 0; 2 when some scenario could not be computed at all (status `error`: its inputs
/// are wrong, not its pool); 3 with `--fail-on-infeasible` when some scenario did not solve.
fn exit_status(record: &sweep::SweepRecord, fail_on_infeasible: bool, format: TableFormat) -> Result<()> {
    if record.failed > 0 {
        return Err(Error::Invalid(vec![equalize::diag::Diagnostic::error_t(
            "cli-sweep-failed",
            equalize::args![
                failed = record.failed,
                total = record.end - record.first,
                extension = format.extension()
            ],
        )]));
    }
    let unsolved = record.infeasible + record.failed;
    if fail_on_infeasible && unsolved > 0 {
        return Err(Error::Infeasible(vec![equalize::diag::Diagnostic::error_t(
            "cli-sweep-unsolved",
            equalize::args![
                unsolved = unsolved,
                total = record.end - record.first,
                counts = counts(record),
                extension = format.extension()
            ],
        )]));
    }
    Ok(())
}

fn merge(args: MergeArgs, global: &GlobalOptions) -> Result<()> {
    let (files, record) = sweep::merge(&args.dirs)?;
    for dir in &args.dirs {
        if equalize::files::same_place(&args.out, dir) {
            return Err(Error::usage(equalize::tr!(
                "cli-merge-into-shard",
                out = args.out.display().to_string()
            )));
        }
    }
    report::write_all(&args.out, &files, &sweep::FAMILY)?;
    if !global.quiet {
        let line = equalize::tr!(
            "cli-merged",
            shards = equalize::diag::plural(args.dirs.len(), "shard"),
            scenarios = record.scenarios,
            counts = counts(&record),
            out = args.out.display().to_string()
        );
        super::print(&format!("{line}\n"))?;
    }
    exit_status(&record, args.fail_on_infeasible, record.format)
}

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
                    let line = equalize::tr!(
                        "cli-sweep-progress",
                        done = done,
                        total = self.total,
                        rate = format!("{rate:.0}")
                    );
                    equalize::diag::eprint_text(&format!("{line}\n"));
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
