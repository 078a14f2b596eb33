//! `equalize completions SHELL` and `equalize manpage`: generated from the same clap
//! definitions as the command line itself, so they never drift from it.

use clap::CommandFactory;

use super::{Cli, GlobalOptions};
use equalize::error::{Error, Result};

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
    equalize completions bash > /etc/bash_completion.d/equalize\n  \
    equalize completions zsh > ~/.zfunc/_equalize")]
pub struct Args {
    /// The shell to complete for.
    pub shell: clap_complete::Shell,
}

pub fn run(args: Args, _global: &GlobalOptions) -> Result<()> {
    let mut command = Cli::command();
    // Rendered in memory first: clap_complete panics when its writer fails.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "equalize", &mut script);
    super::print(&String::from_utf8_lossy(&script))
}

#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  equalize manpage > /usr/local/share/man/man1/equalize.1")]
pub struct ManArgs {}

pub fn manpage(_args: ManArgs, _global: &GlobalOptions) -> Result<()> {
    let page = clap_mangen::Man::new(Cli::command());
    let mut roff = Vec::new();
    page.render(&mut roff)
        .map_err(|e| Error::Internal(format!("man page: {e}")))?;
    super::print(&String::from_utf8_lossy(&roff))
}
