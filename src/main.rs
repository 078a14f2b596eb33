//! The `equalize` binary: parse arguments, run, print any error once, exit with its code.
//!
//! The command line ([`cli`]) is part of the binary only: the library never sees clap.

#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
#![allow(clippy::result_large_err)]

mod cli;

/// The value of `--lang` (`--lang zh`, `--lang=zh`) among the raw arguments.
fn lang_flag(args: impl Iterator<Item = String>) -> Option<String> {
    let mut args = args.take_while(|a| a != "--");
    while let Some(arg) = args.next() {
        if arg == "--lang" {
            return args.next();
        }
        if let Some(value) = arg.strip_prefix("--lang=") {
            return Some(value.to_string());
        }
    }
    None
}

fn main() {
    // A panic is a bug; say so without the build machine's source paths.
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        equalize::diag::eprint_text(&format!(
            "error: internal error: {message}\n  = this is a bug in equalize; please report it with the command and inputs\n"
        ));
    }));
    // The language is known before the arguments are parsed, so that help is in it too.
    let flag = lang_flag(std::env::args_os().map(|a| a.to_string_lossy().into_owned()));
    equalize::i18n::set_language(equalize::i18n::Lang::detect(flag.as_deref(), |name| {
        std::env::var(name).ok()
    }));
    let args = match cli::command()
        .try_get_matches()
        .and_then(|matches| <cli::Cli as clap::FromArgMatches>::from_arg_matches(&matches))
    {
        Ok(args) => args,
        Err(e) => e.exit(),
    };
    match cli::run(args) {
        Ok(()) => std::process::exit(equalize::error::exit::OK),
        // `equalize formulas | head -1`: the reader has what it wanted.
        Err(err) if cli::is_closed_pipe(&err) => std::process::exit(equalize::error::exit::OK),
        Err(err) => {
            equalize::diag::eprint_text(&err.render(equalize::diag::use_colour()));
            std::process::exit(err.exit_code());
        }
    }
}
