//! Formula files: reading, checking and evaluating the allocation rules.
//!
//! A formula file is TOML ([`spec`]) whose expressions are written in a small
//! language ([`lexer`], [`parser`], [`ast`]). The [`check`]er resolves names and
//! types into a [`program::Formula`], which [`eval`] runs per unit on exact decimals.

pub mod ast;
pub mod builtins;
pub mod check;
pub mod columnar;
pub mod eval;
pub mod lexer;
pub mod parser;
pub mod prior;
pub mod program;
pub mod spec;

pub use program::Formula;

use crate::diag::{Diagnostic, FileId, Sources};
use crate::error::{Error, Result};

/// A message with a did-you-mean: `hinted` with the `hint` argument when `wrong` is close
/// to one of `candidates`, else `plain` (its `hint` argument is then empty and unused).
pub(crate) fn with_hint<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    plain: &'static str,
    hinted: &'static str,
) -> (&'static str, String) {
    match crate::diag::did_you_mean(wrong, candidates) {
        Some(hint) => (hinted, hint.to_string()),
        None => (plain, String::new()),
    }
}

/// Read and check a registered formula file; every problem is reported, in file order.
pub fn load(sources: &Sources, file: FileId) -> Result<Formula> {
    load_with_scenario(sources, file, &spec::ScenarioSpec::none(), Vec::new())
}

/// Read a formula file, apply a scenario's overrides, and check the result.
pub fn load_with_scenario(
    sources: &Sources,
    file: FileId,
    scenario: &spec::ScenarioSpec,
    scenario_problems: Vec<Diagnostic>,
) -> Result<Formula> {
    let (mut spec, mut problems) = spec::read(sources, file).map_err(Error::Invalid)?;
    problems.extend(scenario_problems);
    problems.extend(spec::apply_scenario(&mut spec, scenario, sources));
    problems.extend(prior::desugar(&mut spec, sources));
    let origin = sources.get(file).name.clone();
    let checked = check::check(&spec, sources, &origin);
    if let Err(more) = &checked {
        problems.extend(more.iter().cloned());
    }
    match checked {
        Ok(formula) if problems.is_empty() => Ok(formula),
        _ => {
            // A scenario's problems and its formula's are shown file by file.
            crate::diag::group_by_file(&mut problems);
            Err(Error::Invalid(problems))
        }
    }
}
