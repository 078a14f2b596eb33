//! `equalize check`: load the formula and data and compute, writing nothing.
//!
//! Exit 0 when there is no error (warnings are printed but do not fail, unless
//! `--strict`); otherwise the same diagnostics and exit codes as `run`.
//! `--format json` prints one JSON document on stdout for scripts.

use super::inputs::InputArgs;
use super::GlobalOptions;
use equalize::diag::{self, Diagnostic};
use equalize::engine;
use equalize::error::{Error, Result};
use equalize::pipeline;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
    equalize check\n  \
    equalize check -f formulas/demo.toml -d datasets/demo\n  \
    equalize check -f formulas/demo.toml -d counties.csv --format json")]
pub struct Args {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Output format of the report.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Treat warnings as errors (exit 2 when there are any).
    #[arg(long)]
    pub strict: bool,
}

pub fn run(args: Args, global: &GlobalOptions) -> Result<()> {
    let outcome = args
        .inputs
        .single()
        .and_then(|inputs| pipeline::load(&inputs))
        .and_then(|loaded| {
            let result =
                engine::compute(&loaded.formula, &loaded.data, &loaded.params, &loaded.sources).map_err(|e| {
                    if global.no_warnings {
                        e
                    } else {
                        e.with_warnings(&loaded.warnings)
                    }
                })?;
            let computed = engine::rounding_warnings(&loaded.formula, &loaded.data, &result, &loaded.sources);
            Ok((loaded, computed))
        });
    let (mut diagnostics, error, loaded) = match outcome {
        Ok((loaded, computed)) => {
            let warnings = if global.no_warnings {
                Vec::new()
            } else {
                let mut all = loaded.warnings.clone();
                all.extend(computed);
                all
            };
            (warnings, None, Some(loaded))
        }
        Err(e) => (e.diagnostics(), Some(e), None),
    };
    diag::group_by_file(&mut diagnostics);
    let failed_by_warnings = error.is_none() && args.strict && !diagnostics.is_empty();
    let error = error.or_else(|| failed_by_warnings.then(|| Error::Invalid(diagnostics.clone())));

    match args.format {
        Format::Json => {
            let (errors, warnings) = diag::counts(&diagnostics);
            let report = serde_json::json!({
                "ok": error.is_none(),
                "errors": errors,
                "warnings": warnings,
                "summary": diag::summary_line(&diagnostics),
                "units": loaded.as_ref().map(|l| l.data.len()),
                "diagnostics": diagnostics.iter().map(Diagnostic::to_json).collect::<Vec<_>>(),
            });
            let text = serde_json::to_string_pretty(&report).map_err(|e| Error::Internal(e.to_string()))?;
            super::print_json(&format!("{text}\n"))?;
            error.map_or(Ok(()), |e| Err(Error::Reported(Box::new(e))))
        }
        Format::Text => {
            if let Some(e) = error {
                // Errors (and, with --strict, warnings) are printed once, by main, grouped by file.
                return Err(match e {
                    Error::Invalid(_) => Error::Invalid(diagnostics),
                    Error::Infeasible(_) => Error::Infeasible(diagnostics),
                    other => other,
                });
            }
            if !diagnostics.is_empty() && !global.quiet {
                diag::eprint_text(&diag::render_coloured(&diagnostics, diag::use_colour()));
            }
            if let (Some(loaded), false) = (loaded, global.quiet) {
                let line = equalize::tr!(
                    "cli-check-ok",
                    formula = &loaded.formula.name,
                    origin = loaded.formula.origin.to_string(),
                    data = loaded.data.origin.to_string(),
                    units = diag::plural(loaded.data.len(), "unit"),
                    inputs = diag::plural(loaded.formula.inputs.len(), "input"),
                    vars = diag::plural(loaded.formula.vars.len(), "var"),
                    stages = diag::plural(loaded.formula.stages.len(), "stage"),
                    problems = if diagnostics.is_empty() {
                        equalize::tr!("cli-no-problems")
                    } else {
                        diag::summary_line(&diagnostics)
                    }
                );
                super::print(&format!("{line}\n"))?;
            }
            Ok(())
        }
    }
}
