//! `equalize verify DIR`: reproduce a published run and vouch for every part of it.
//!
//! Exit 0 when everything is as recorded and every output identical, 5 otherwise.

use std::path::PathBuf;

use super::check::Format;
use super::GlobalOptions;
use equalize::error::{Error, Result};
use equalize::pipeline::{verify, VerifyOptions};

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
    equalize run --out out/2026 && equalize verify out/2026\n  \
    equalize verify archive/2026 --inputs /mnt/archive/equalize-2026   # inputs have moved\n  \
    equalize verify out/2026 --format json                            # for scripts")]
pub struct Args {
    /// The output folder of the run (with its manifest.json).
    pub dir: PathBuf,
    /// The folder the original run was started from, if the inputs have moved there
    /// (the manifest records input paths relative to it).
    #[arg(long, value_name = "PATH")]
    pub inputs: Option<PathBuf>,
    /// Let recorded inputs (and dataset tables) lie outside the inputs folder. The
    /// manifest cannot ask for this; only the auditor can.
    #[arg(long)]
    pub allow_outside: bool,
    /// Output format of the report.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

pub fn run(args: Args, global: &GlobalOptions) -> Result<()> {
    let options = VerifyOptions {
        inputs: args.inputs,
        allow_outside: args.allow_outside,
    };
    let outcome = verify(&args.dir, &options)?;
    match args.format {
        Format::Json => {
            let text = serde_json::to_string_pretty(&outcome).map_err(|e| Error::Internal(e.to_string()))?;
            super::print_json(&format!("{text}\n"))?;
        }
        Format::Text if !global.quiet || !outcome.verified => super::print(&outcome.text())?,
        Format::Text => {}
    }
    if outcome.verified {
        Ok(())
    } else {
        Err(Error::VerifyFailed)
    }
}
