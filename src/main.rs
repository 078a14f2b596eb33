//! The `equalize` binary: parse arguments, run, print any error once, exit with its code.

use clap::Parser;

fn main() {
    let cli = equalize::cli::Cli::parse();
    match equalize::cli::run(cli) {
        Ok(()) => std::process::exit(equalize::error::exit::OK),
        Err(err) => {
            equalize::diag::eprint_text(&err.to_string());
            std::process::exit(err.exit_code());
        }
    }
}
