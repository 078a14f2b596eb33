//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rust_decimal::Decimal;

/// The repository root; tests run from there so paths in messages are stable.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn equalize(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_equalize"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("EQUALIZE_LANG", "en")
        .output()
        .expect("the equalize binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn code(output: &Output) -> i32 {
    output.status.code().expect("exited normally")
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// A CSV file as rows of fields (header included).
pub fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .expect("csv opens");
    reader
        .records()
        .map(|r| r.expect("csv row").iter().map(String::from).collect())
        .collect()
}

/// The column named `name` of a CSV with a header, as decimals.
pub fn decimal_column(rows: &[Vec<String>], name: &str) -> Vec<Decimal> {
    let index = rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    rows[1..]
        .iter()
        .map(|r| r[index].parse::<Decimal>().expect("decimal cell"))
        .collect()
}

pub fn out_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// The four-county example of tests/fixtures/hand (its amounts are worked out by hand in run.rs).
pub const HAND_FORMULA: &str = "tests/fixtures/hand/formula.toml";
pub const HAND_DATA: &str = "tests/fixtures/hand/data.csv";

/// `equalize run` of the hand example into `out`, with more arguments (`--set`, `-q`).
pub fn run_hand(out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["run", "-f", HAND_FORMULA, "-d", HAND_DATA, "--out", path_str(out)];
    args.extend_from_slice(extra);
    equalize(&args)
}

/// `equalize` run from `dir` (a scratch folder holding its own formula and data).
pub fn equalize_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_equalize"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("EQUALIZE_LANG", "en")
        .output()
        .expect("the equalize binary runs")
}

/// `equalize` with these environment variables (and no EQUALIZE_LANG unless given).
pub fn equalize_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_equalize"));
    command
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("EQUALIZE_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("the equalize binary runs")
}
