//! The command line: clap definitions, and dispatch to one module per subcommand.
//!
//! This module lives in the binary, not the library: the library runs a formula end to
//! end without it ([`equalize::pipeline`]), and the compiler keeps it that way. Each
//! subcommand module has the same shape: an `Args` struct (clap derive) and a
//! `run(args, &GlobalOptions)` function; subcommands never import each other. Raw
//! arguments are turned into typed inputs in one place ([`inputs`]); errors travel up
//! as [`equalize::error::Error`] and are printed once, in `main`. Everything written to
//! standard output goes through [`print`], so a closed pipe ends the program quietly
//! and a failed write is an error, never a panic.

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

use std::io::Write;

use equalize::error::{Error, Result};

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
    /// The language of messages and summaries: en or zh (中文). Default: EQUALIZE_LANG,
    /// else the locale (LC_ALL, LC_MESSAGES, LANG starting with zh), else English.
    #[arg(long, global = true, value_name = "en|zh")]
    pub lang: Option<String>,
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

/// The command line as clap sees it, its help in the language of the process: in
/// Chinese, each command's and argument's help comes from the catalogue (`help-<command>`,
/// `help-<command>-<argument>`; top-level arguments `help--<argument>`) where it holds one,
/// and the headings are translated; clap's own words (`--help`, its error messages) stay
/// English.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let command = Cli::command();
    if equalize::i18n::language() == equalize::i18n::Lang::En {
        return command;
    }
    localize(command, "")
}

fn localize(mut command: clap::Command, path: &str) -> clap::Command {
    use equalize::i18n::t;
    let lookup = |id: String| Some(t(&id, &[])).filter(|text| *text != id);
    let own = if path.is_empty() {
        "help".to_string()
    } else {
        format!("help-{path}")
    };
    if let Some(about) = lookup(own.clone()) {
        command = match lookup(format!("{own}-long")) {
            Some(long) => command.about(about).long_about(long),
            None => command.about(about).long_about(None),
        };
    }
    // clap's own --help and --version, re-declared to carry translated help.
    let version = command.get_version().is_some();
    command = command.disable_help_flag(true).arg(
        clap::Arg::new("help")
            .short('h')
            .long("help")
            .action(clap::ArgAction::Help)
            .help(t("help-help", &[])),
    );
    if version {
        command = command.disable_version_flag(true).arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help(t("help-version", &[])),
        );
    }
    command = command
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{}{{usage}}\n\n{{all-args}}{{after-help}}",
            t("help-usage", &[])
        ))
        .subcommand_help_heading(t("help-commands", &[]))
        .mut_args(|arg| {
            let help = help_ids(&own, arg.get_id().as_str()).into_iter().find_map(&lookup);
            let arg = match help {
                Some(help) => arg.help(help).long_help(None),
                None => arg,
            };
            match arg.get_help_heading() {
                Some(heading) => {
                    let id = format!("help-heading-{}", heading.to_lowercase().replace(' ', "-"));
                    match lookup(id) {
                        Some(translated) => arg.help_heading(translated),
                        None => arg,
                    }
                }
                None if arg.is_positional() => arg.help_heading(t("help-arguments", &[])),
                None => arg.help_heading(t("help-options", &[])),
            }
        });
    let names: Vec<String> = command.get_subcommands().map(|c| c.get_name().to_string()).collect();
    for name in names {
        let path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}-{name}")
        };
        command = command.mut_subcommand(name, |c| localize(c, &path));
    }
    command
}

/// Where an argument's help may be in the catalogue, in order: its command's own
/// (`help-run-out`), the one shared by the commands that take it (`help-arg-data`), the
/// top level's for a global argument (`help-jobs`).
fn help_ids(own: &str, arg: &str) -> [String; 3] {
    [format!("{own}-{arg}"), format!("help-arg-{arg}"), format!("help-{arg}")]
}

/// Most worker threads `--jobs` may ask for.
const MAX_JOBS: usize = 1024;

/// Options that apply to every subcommand.
pub struct GlobalOptions {
    pub quiet: bool,
    pub no_warnings: bool,
}

pub fn run(cli: Cli) -> Result<()> {
    if let Some(lang) = cli.lang.as_deref() {
        if equalize::i18n::Lang::parse(lang).is_none() {
            return Err(Error::usage(equalize::tr!("cli-bad-lang", lang = lang)));
        }
    }
    equalize::i18n::set_language(equalize::i18n::Lang::detect(cli.lang.as_deref(), |name| {
        std::env::var(name).ok()
    }));
    if let Some(jobs) = cli.jobs {
        if jobs == 0 {
            return Err(Error::usage(equalize::tr!("cli-jobs-zero")));
        }
        if jobs > MAX_JOBS {
            return Err(Error::usage(equalize::tr!(
                "cli-jobs-too-many",
                jobs = jobs,
                max = MAX_JOBS
            )));
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

/// Write to standard output. A failed write is an error (exit 1); a closed pipe is
/// reported as `BrokenPipe`, which `main` turns into a quiet exit 0.
pub fn print(text: &str) -> Result<()> {
    // Keys and labels come from data files: nothing in them may drive the terminal.
    let text = equalize::diag::printable(text);
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("standard output", "write to", e))
}

/// Write JSON to standard output, as serialized (JSON escapes what needs escaping).
pub fn print_json(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("standard output", "write to", e))
}

/// True for the error a closed pipe gives (`equalize formulas | head -1`).
pub fn is_closed_pipe(err: &Error) -> bool {
    matches!(err, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;
    use equalize::i18n::{text_in, Lang};

    /// Every command and argument has its help in the catalogues, and the English there is
    /// the English clap shows (so the Chinese translates what English users read).
    #[test]
    fn every_help_text_is_in_the_catalogues_as_clap_shows_it() {
        fn walk(command: &clap::Command, own: &str, problems: &mut Vec<String>) {
            let found = |id: &str| Some(text_in(Lang::En, id, &[])).filter(|t| t != id);
            let about = command.get_about().map(|s| s.to_string()).unwrap_or_default();
            if found(own).as_deref() != Some(about.as_str()) {
                problems.push(format!("{own}: {about}"));
            }
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" {
                    continue;
                }
                let help = arg.get_help().map(|s| s.to_string()).unwrap_or_default();
                let ours = super::help_ids(own, id).iter().find_map(|i| found(i));
                if ours.as_deref() != Some(help.as_str()) {
                    problems.push(format!("{own}-{id}: {help} (catalogue: {ours:?})"));
                }
            }
            for sub in command.get_subcommands() {
                walk(sub, &format!("{own}-{}", sub.get_name()), problems);
            }
        }
        let mut problems = Vec::new();
        let top = super::Cli::command();
        let long = top.get_long_about().map(|s| s.to_string()).unwrap_or_default();
        if text_in(Lang::En, "help-long", &[]) != long {
            problems.push(format!("help-long: {long}"));
        }
        walk(&top, "help", &mut problems);
        assert!(
            problems.is_empty(),
            "help not in locales/en/core.ftl as clap shows it:\n{}",
            problems.join("\n")
        );
    }

    #[test]
    fn help_is_in_chinese_when_the_language_is_chinese() {
        equalize::i18n::set_language(Lang::Zh);
        let mut command = super::command();
        equalize::i18n::set_language(Lang::En);
        let help = command.render_help().to_string();
        assert!(help.contains("用法"), "{help}");
        let run = command.find_subcommand_mut("run").unwrap().render_help().to_string();
        assert!(run.contains("输出文件夹") && run.contains("选项"), "{run}");
    }
}
