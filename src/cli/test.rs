//! `equalize test`: run the test cases written beside formulas.
//!
//! Exit 0 when every case passes, 4 when any fails, 2 when a test file is invalid.

use std::path::PathBuf;

use super::GlobalOptions;
use equalize::error::{Error, Result};
use equalize::testing;

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
    equalize test                                   # every formulas/*.test.toml\n  \
    equalize test formulas/cn-equalization.test.toml")]
pub struct Args {
    /// Test files (default: every formulas/*.test.toml).
    pub files: Vec<PathBuf>,
}

pub fn run(args: Args, global: &GlobalOptions) -> Result<()> {
    let files = if args.files.is_empty() {
        let mut found: Vec<PathBuf> = std::fs::read_dir("formulas")
            .map_err(|e| Error::io("formulas", "list", e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with(".test.toml"))
            .collect();
        found.sort();
        if found.is_empty() {
            return Err(Error::usage("no test files given and none found under formulas/"));
        }
        found
    } else {
        args.files
    };
    let (mut passed, mut failed) = (0, 0);
    for file in &files {
        let report = testing::run_file(file)?;
        passed += report.passed;
        failed += report.failed;
        if !global.quiet || report.failed > 0 {
            super::print(&report.text)?;
        }
    }
    if !global.quiet || failed > 0 {
        super::print(&format!(
            "{}\n",
            equalize::tr!("cli-tests-summary", passed = passed, failed = failed)
        ))?;
    }
    if failed > 0 {
        Err(Error::TestsFailed(failed))
    } else {
        Ok(())
    }
}
