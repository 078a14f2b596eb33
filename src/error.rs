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

    /// A usage error with one message from the catalogues (no place in a file).
    pub fn usage_t(id: &'static str, args: &[(&str, crate::i18n::Arg)]) -> Error {
        Error::Usage(vec![Diagnostic::error_t(id, args)])
    }

    pub fn invalid(diagnostic: Diagnostic) -> Error {
        Error::Invalid(vec![diagnostic])
    }

    /// The diagnostics carried; other errors as one diagnostic (for `--format json`).
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            Error::Usage(ds) | Error::Invalid(ds) | Error::Infeasible(ds) => ds.clone(),
            Error::Reported(inner) => inner.diagnostics(),
            Error::Io { path, action, source } => {
                let mut d = Diagnostic::error(io_message(path, action, source));
                d.code = Some(io_message_id(action));
                vec![d]
            }
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
            other if colour => {
                let word = crate::i18n::t("severity-error", &[]);
                other
                    .to_string()
                    .replacen(&format!("{word}:"), &format!("\x1b[1;31m{word}\x1b[0m:"), 1)
            }
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
                writeln!(
                    f,
                    "{}: {}",
                    crate::i18n::t("severity-error", &[]),
                    io_message(path, action, source)
                )
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

/// The catalogue's message for a failed file action (`read`, `write`...).
fn io_message_id(action: &str) -> &'static str {
    match action {
        "read" => "error-io-read",
        "write" => "error-io-write",
        "write to" => "error-io-write-to",
        "create" => "error-io-create",
        "flush" => "error-io-flush",
        "find" => "error-io-find",
        "list" => "error-io-list",
        "lock" => "error-io-lock",
        "remove" => "error-io-remove",
        "replace" => "error-io-replace",
        "create the folder" => "error-io-create-folder",
        "create the output folder" => "error-io-create-output-folder",
        "create a temporary file in" => "error-io-create-temporary",
        "open the lock file" => "error-io-open-lock",
        "read the checkpoint" => "error-io-read-checkpoint",
        "open the checkpoint" => "error-io-open-checkpoint",
        "create the checkpoint" => "error-io-create-checkpoint",
        "remove the old checkpoint" => "error-io-remove-checkpoint",
        _ => "error-io",
    }
}

/// "cannot read PATH: REASON", in the current language.
fn io_message(path: &std::path::Path, action: &str, source: &std::io::Error) -> String {
    let path = if path == std::path::Path::new("standard output") {
        crate::i18n::t("error-io-standard-output", &[])
    } else {
        path.display().to_string()
    };
    crate::i18n::t(
        io_message_id(action),
        crate::args![action = action, path = path, reason = io_reason(source)],
    )
}

/// Why a file action failed: the system's words in English; in another language, the
/// common reasons translated with the system's error number kept.
fn io_reason(source: &std::io::Error) -> String {
    use std::io::ErrorKind;
    if crate::i18n::language() == crate::i18n::Lang::En {
        return source.to_string();
    }
    let id = match source.kind() {
        ErrorKind::NotFound => "error-io-reason-not-found",
        ErrorKind::PermissionDenied => "error-io-reason-permission-denied",
        ErrorKind::AlreadyExists => "error-io-reason-already-exists",
        ErrorKind::IsADirectory => "error-io-reason-is-a-directory",
        ErrorKind::NotADirectory => "error-io-reason-not-a-directory",
        ErrorKind::DirectoryNotEmpty => "error-io-reason-directory-not-empty",
        ErrorKind::StorageFull => "error-io-reason-storage-full",
        ErrorKind::ReadOnlyFilesystem => "error-io-reason-read-only",
        ErrorKind::BrokenPipe => "error-io-reason-broken-pipe",
        _ => return source.to_string(),
    };
    match source.raw_os_error() {
        Some(code) => crate::i18n::t(
            "error-io-reason-os",
            crate::args![reason = crate::i18n::t(id, &[]), code = code],
        ),
        None => crate::i18n::t(id, &[]),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{text_in, Lang};

    #[test]
    fn io_errors_read_as_before_in_english_and_have_their_own_message_per_action() {
        let source = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory (os error 2)");
        let e = Error::io("data.csv", "read", source);
        assert_eq!(
            e.to_string(),
            "error: cannot read data.csv: No such file or directory (os error 2)\n"
        );
        let d = &e.diagnostics()[0];
        assert_eq!(d.code, Some("error-io-read"));
        assert_eq!(
            d.message,
            "cannot read data.csv: No such file or directory (os error 2)"
        );
        let actions = [
            "read",
            "write",
            "write to",
            "create",
            "flush",
            "find",
            "list",
            "lock",
            "remove",
            "replace",
            "create the folder",
            "create the output folder",
            "create a temporary file in",
            "open the lock file",
            "read the checkpoint",
            "open the checkpoint",
            "create the checkpoint",
            "remove the old checkpoint",
        ];
        for action in actions {
            let id = io_message_id(action);
            assert_ne!(id, "error-io", "{action}");
            let args = crate::args![action = action, path = "x", reason = "r"];
            assert_eq!(text_in(Lang::En, id, args), format!("cannot {action} x: r"));
            assert!(text_in(Lang::Zh, id, args).starts_with("无法"), "{action}");
        }
        assert_eq!(
            text_in(
                Lang::Zh,
                "error-io-reason-os",
                crate::args![reason = text_in(Lang::Zh, "error-io-reason-not-found", &[]), code = 2]
            ),
            "文件或目录不存在（os error 2）"
        );
    }
}
