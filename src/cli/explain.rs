//! `equalize explain KEY`: how one unit's amount came about, step by step.

use std::path::PathBuf;

use super::inputs::InputArgs;
use super::GlobalOptions;
use equalize::audit::explain;
use equalize::error::{Error, Result};
use equalize::pipeline::{verify, Run, RunInputs, VerifyOptions};

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
    equalize explain 990121                         # a demo county\n  \
    equalize explain 990121 --var gap               # one var only\n  \
    equalize explain 640122 --formula cn --data datasets/cn-national --format json\n  \
    equalize explain 990121 --run out                # as the run published in out/ computed it\n  \
    equalize explain 东乡族自治县 -f formulas/cn-gansu.toml -d datasets/cn-gansu --format markdown")]
pub struct Args {
    /// The unit to explain: its key, or its exact label (a county name).
    pub key: String,
    #[command(flatten)]
    pub inputs_args: InputArgs,
    /// Explain one var (or stage, or input) instead of the whole total.
    #[arg(long, value_name = "NAME")]
    pub var: Option<String>,
    /// Output format: the value tree as text or JSON, or a memo in Markdown for a reader
    /// (labels, values rounded for reading, last year when the formula compares with it).
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// With --format markdown: every digit instead of values rounded for reading.
    #[arg(long)]
    pub exact: bool,
    /// Explain against a published run: its manifest's formula, data, scenario and
    /// overrides (instead of --formula, --data, --set).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["formula", "data", "set", "scenario"])]
    pub run: Option<PathBuf>,
    /// With --run: the folder the run was started from, if its inputs have moved.
    #[arg(long, value_name = "PATH", requires = "run")]
    pub inputs: Option<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Markdown,
}

pub fn run(args: Args, _global: &GlobalOptions) -> Result<()> {
    let inputs = match &args.run {
        Some(dir) => {
            // A published run is explained only once it verifies: otherwise the amounts shown
            // would not be the ones published, and a forged manifest could make explain read
            // any file.
            let options = VerifyOptions {
                inputs: args.inputs.clone(),
                allow_outside: args.inputs_args.allow_outside,
            };
            let outcome = verify(dir, &options)?;
            if !outcome.verified {
                return Err(Error::usage(equalize::tr!(
                    "cli-explain-unverified",
                    folder = dir.display().to_string(),
                    why = outcome.why_not().unwrap_or_default()
                )));
            }
            let manifest = equalize::pipeline::verify::read_manifest(dir)?;
            let mut inputs = RunInputs::from_record(&manifest.inputs, args.inputs.as_deref());
            inputs.allow_outside = args.inputs_args.allow_outside;
            inputs
        }
        None => args.inputs_args.single()?,
    };
    let run = Run::compute(inputs)?;
    let (loaded, values) = (&run.loaded, run.values());
    let row = loaded.data.find_unit(&args.key).map_err(Error::usage)?;
    let tree = match &args.var {
        None => explain::unit(&values, row, explain::Cells::Cited),
        Some(name) => {
            let Some(named) = values.find(name) else {
                let mut names: Vec<&str> = loaded.formula.vars.iter().map(|v| v.name.as_str()).collect();
                names.extend(loaded.formula.stages.iter().map(|s| s.name.as_str()));
                let hint = equalize::diag::did_you_mean_suffix(name, names);
                return Err(Error::usage(equalize::tr!(
                    "cli-no-var-or-stage",
                    name = name.as_str(),
                    hint = hint
                )));
            };
            explain::named(&values, row, named, explain::Cells::Cited)
        }
    };
    match args.format {
        Format::Text => super::print(&explain::render(&tree)),
        Format::Markdown => {
            let scenario = loaded.scenario.as_ref().map(|s| s.name.as_str());
            super::print(&explain::markdown(&tree, &values, row, args.exact, scenario))
        }
        Format::Json => {
            let text = serde_json::to_string_pretty(&tree).map_err(|e| Error::Internal(e.to_string()))?;
            super::print_json(&format!("{text}\n"))
        }
    }
}
