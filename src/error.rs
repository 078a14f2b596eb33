//! The one error type of `equalize`, and the only place that knows exit codes.
//!
//! Library code returns [`Error`]; `main` prints it once and exits with
//! [`Error::exit_code`]. Problems in user input are carried as lists of
//! [`Diagnostic`]s so that every problem found is reported together.

use std::fmt;
use std::path::PathBuf;

use crate::diag::{self, Diagnostic};

/// Exit codes, documented in docs/cli.md.
pub mod exit {
    pub const OK: i32 = 0;
    pub const OTHER: i32 = 1;
    pub const BAD_INPUT: i32 = 2;
    pub const INFEASIBLE: i32 = 3;
    pub const TESTS_FAILED: i32 = 4;
    pub const VERIFY_FAILED: i32 = 5;
}

#[derive(Debug)]
pub enum Error {
    /// The command line itself is wrong (unknown param in `--set`, say); every problem found,
    /// usually without a place in a file.
    Usage(Vec<Diagnostic>),
    /// The formula or the data is wrong; every problem found.
    Invalid(Vec<Diagnostic>),
    /// The allocation has no solution (floors above the pool, caps below it).
    Infeasible(Vec<Diagnostic>),
    /// Reading or writing a file failed.
    Io {
        path: PathBuf,
        action: &'static str,
        source: std::io::Error,
    },
    /// A failure of `equalize` itself; reported rather than panicking.
    Internal(String),
    /// Formula test cases failed (already printed by `equalize test`).
    TestsFailed(usize),
    /// `verify` found outputs that differ (already printed).
    VerifyFailed,
    /// An error already reported in the format the user asked for (`--format json`);
    /// only its exit code remains.
    Reported(Box<Error>),
}

impl Error {
    /// The error with `warnings` found before it reported beside it: a warning often
    /// explains an error (a value typed in the wrong unit behind an infeasible pool).
    pub fn with_warnings(self, warnings: &[Diagnostic]) -> Error {
        match self {
            Error::Invalid(mut d) => {
                d.extend(warnings.iter().cloned());
                Error::Invalid(d)
            }
            Error::Infeasible(mut d) => {
                d.extend(warnings.iter().cloned());
                Error::Infeasible(d)
            }
            other => other,
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) | Error::Invalid(_) => exit::BAD_INPUT,
            Error::Infeasible(_) => exit::INFEASIBLE,
            Error::Io { .. } | Error::Internal(_) => exit::OTHER,
            Error::Reported(inner) => inner.exit_code(),
            Error::TestsFailed(_) => exit::TESTS_FAILED,
            Error::VerifyFailed => exit::VERIFY_FAILED,
        }
    }

    pub fn io(path: impl Into<PathBuf>, action: &'static str, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            action,
            source,
        }
    }

    /// A usage error with one message (no place in a file).
    pub fn usage(message: impl Into<String>) -> Error {
        Error::Usage(vec![Diagnostic::error(message)])
    }

    pub fn invalid(diagnostic: Diagnostic) -> Error {
        Error::Invalid(vec![diagnostic])
    }

    /// The diagnostics carried; other errors as one diagnostic (for `--format json`).
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            Error::Usage(ds) | Error::Invalid(ds) | Error::Infeasible(ds) => ds.clone(),
            Error::Reported(inner) => inner.diagnostics(),
            other => vec![Diagnostic::error(
                other.to_string().trim_start_matches("error: ").trim_end().to_string(),
            )],
        }
    }
}

impl Error {
    /// The error as text for a terminal; with `colour`, severity words in colour.
    pub fn render(&self, colour: bool) -> String {
        match self {
            Error::Usage(ds) => ds.iter().map(|d| d.render(colour)).collect(),
            Error::Invalid(ds) | Error::Infeasible(ds) => diag::render_coloured(ds, colour),
            other if colour => other.to_string().replacen("error:", "\x1b[1;31merror\x1b[0m:", 1),
            other => other.to_string(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Usage problems are short: no count line under them.
            Error::Usage(ds) => ds.iter().try_for_each(|d| write!(f, "{d}")),
            Error::Invalid(ds) | Error::Infeasible(ds) => f.write_str(&diag::render(ds)),
            Error::Io { path, action, source } => {
                writeln!(f, "error: cannot {action} {}: {source}", path.display())
            }
            Error::Reported(_) | Error::TestsFailed(_) | Error::VerifyFailed => Ok(()),
            Error::Internal(message) => writeln!(
                f,
                "error: internal error: {message}\n  = this is a bug in equalize; please report it with the command and inputs"
            ),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
