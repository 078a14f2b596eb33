//! The command line: clap definitions, and dispatch to one module per subcommand.
//!
//! Each subcommand module has the same shape: an `Args` struct (clap derive)
//! and a `run(args, &GlobalOptions)` function. Raw arguments are turned into
//! validated, typed inputs in one place ([`inputs`]); errors travel up as
//! [`crate::error::Error`] and are printed once, in `main`.

pub mod check;
pub mod compare;
pub mod completions;
pub mod explain;
pub mod formulas;
pub mod inputs;
pub mod run;
pub mod sweep;
pub mod test;
pub mod verify;

use clap::{Parser, Subcommand};

use crate::error::{Error, Result};

#[derive(Parser, Debug)]
#[command(
    name = "equalize",
    version,
    about = "Exact, auditable fiscal transfer allocation",
    long_about = "Splits a fixed pool of money among units (counties, provinces) by a formula \
                  written in a text file, exactly: amounts are decimals, never floats, and rounded \
                  amounts add up to the pool to the last unit.\n\n\
                  Exit codes: 0 success, 1 other failure (I/O), 2 bad usage or bad input \
                  (formula or data), 3 infeasible allocation, 4 formula tests failed, \
                  5 verify found differences."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Worker threads (default: all cores). Results are identical for any value.
    #[arg(long, short = 'j', global = true, value_name = "N")]
    pub jobs: Option<usize>,
    /// Print nothing on success (errors still go to stderr).
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
    /// Do not report warnings about suspicious data.
    #[arg(long, global = true)]
    pub no_warnings: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Compute allocations and write allocations.csv, audit.csv and summary.json.
    Run(run::Args),
    /// Load and compute without writing anything; report every problem found.
    Check(check::Args),
    /// Run many scenarios from a sweep file (grid and Monte Carlo), or merge shards.
    Sweep(sweep::Args),
    /// Compare two runs (output folders or scenario files): who gains, who loses.
    Compare(compare::Args),
    /// Show how one unit's amount came about, step by step.
    Explain(explain::Args),
    /// Reproduce a published run from its folder and compare every output.
    Verify(verify::Args),
    /// List the shipped formulas.
    Formulas(formulas::Args),
    /// Run the test cases written beside formulas (*.test.toml).
    Test(test::Args),
    /// Print shell completions (bash, zsh, fish, elvish, powershell).
    Completions(completions::Args),
    /// Print the man page (roff).
    Manpage(completions::ManArgs),
}

/// Options that apply to every subcommand.
pub struct GlobalOptions {
    pub quiet: bool,
    pub no_warnings: bool,
}

pub fn run(cli: Cli) -> Result<()> {
    if let Some(jobs) = cli.jobs {
        if jobs == 0 {
            return Err(Error::Usage("--jobs must be at least 1".into()));
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build_global()
            .map_err(|e| Error::Internal(format!("cannot start {jobs} worker threads: {e}")))?;
    }
    let global = GlobalOptions {
        quiet: cli.quiet,
        no_warnings: cli.no_warnings,
    };
    match cli.command {
        Command::Run(args) => run::run(args, &global),
        Command::Check(args) => check::run(args, &global),
        Command::Formulas(args) => formulas::run(args, &global),
        Command::Explain(args) => explain::run(args, &global),
        Command::Compare(args) => compare::run(args, &global),
        Command::Sweep(args) => sweep::run(args, &global),
        Command::Verify(args) => verify::run(args, &global),
        Command::Test(args) => test::run(args, &global),
        Command::Completions(args) => completions::run(args, &global),
        Command::Manpage(args) => completions::manpage(args, &global),
    }
}
