//! `equalize check`: load the formula and data and compute, writing nothing.
//!
//! Exit 0 when everything is fine; otherwise the same diagnostics and exit codes as `run`.

use super::inputs::{self, InputArgs};
use super::GlobalOptions;
use crate::engine;
use crate::error::Result;

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
    equalize check\n  \
    equalize check -f formulas/demo.toml -d datasets/demo/counties.csv")]
pub struct Args {
    #[command(flatten)]
    pub inputs: InputArgs,
}

pub fn run(args: Args, global: &GlobalOptions) -> Result<()> {
    let loaded = inputs::load(&args.inputs)?;
    engine::compute(&loaded.formula, &loaded.data, &loaded.params, &loaded.sources)?;
    if !global.quiet {
        println!(
            "ok: {} ({}) on {}: {} units, {} inputs, {} vars, {} stages; no problems found",
            loaded.formula.name,
            loaded.formula.origin,
            loaded.data.origin,
            loaded.data.len(),
            loaded.formula.inputs.len(),
            loaded.formula.vars.len(),
            loaded.formula.stages.len()
        );
    }
    Ok(())
}
