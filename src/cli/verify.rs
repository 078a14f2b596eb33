//! `equalize verify DIR`: reproduce a published run and compare every output byte for byte.
//!
//! Exit 0 when every output is identical, 5 when any differs.

use std::path::PathBuf;

use super::GlobalOptions;
use equalize::error::{Error, Result};
use equalize::pipeline::verify;

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
    equalize run --out out/2026 && equalize verify out/2026\n  \
    equalize verify archive/2026 --inputs /mnt/archive/equalize-2026   # inputs have moved")]
pub struct Args {
    /// The output folder of the run (with its manifest.json).
    pub dir: PathBuf,
    /// The folder the original run was started from, if the inputs have moved there
    /// (the manifest records input paths relative to it).
    #[arg(long, value_name = "PATH")]
    pub inputs: Option<PathBuf>,
}

pub fn run(args: Args, global: &GlobalOptions) -> Result<()> {
    let outcome = verify::verify(&args.dir, args.inputs.as_deref())?;
    if !global.quiet || !outcome.identical {
        super::print(&outcome.report)?;
    }
    if outcome.identical {
        Ok(())
    } else {
        Err(Error::VerifyFailed)
    }
}
