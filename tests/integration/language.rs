//! Issue 17's formula language on the real binary: dated params and the run's date,
//! last year's run (`--prior`, `prior(name)`), computed groups, formulas without stages.

use std::path::Path;

use rust_decimal::Decimal;

use crate::common::*;

const DATED: &str = r#"[formula]
name = "dated"
key = "code"

[inputs.need]

[params.increase]
dated = { "2019-01-01" = "90000000", "2015-01-01" = "117000000" }

[params]
base = "1000"

[[allocation]]
name = "grant"
pool = "base + increase"
weight = "need"
round = "1"
"#;

fn write_dated(dir: &Path, formula: &str) {
    std::fs::write(dir.join("f.toml"), formula).unwrap();
    std::fs::write(dir.join("d.csv"), "code,need\nA,1\nB,2\nC,3\n").unwrap();
}

fn pool_of(out: &Path) -> Decimal {
    decimal_column(&csv_rows(&out.join("allocations.csv")), "grant")
        .iter()
        .sum()
}

#[test]
fn a_dated_param_takes_the_value_in_force_on_the_run_date_and_records_it() {
    let dir = out_dir();
    write_dated(dir.path(), DATED);
    let (f, d) = ("f.toml", "d.csv");
    let equalize = |args: &[&str]| equalize_in(dir.path(), args);
    let run = |date: &str, out: &str| {
        let o = equalize(&["run", "-q", "-f", f, "-d", d, "--date", date, "-o", out]);
        (o, dir.path().join(out))
    };
    // The row in force: the last whose date is on or before the run's date.
    for (date, pool) in [
        ("2015-01-01", 117_001_000),
        ("2018-12-31", 117_001_000),
        ("2019-01-01", 90_001_000),
        ("2026-06-30", 90_001_000),
    ] {
        let (o, out) = run(date, date);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert_eq!(pool_of(&out), Decimal::from(pool), "on {date}");
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("2018-12-31").join("manifest.json"))).unwrap();
    assert_eq!(manifest["date"], "2018-12-31");
    assert_eq!(manifest["dated_params"]["increase"], "2015-01-01");
    assert_eq!(manifest["params"]["increase"], "117000000");
    assert_eq!(manifest["inputs"]["date"], "2018-12-31");
    // verify replays the date.
    let o = equalize(&["verify", "2018-12-31"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));

    // Before the first row, no date, or a date not in the calendar: errors, never today's clock.
    let (o, _) = run("2014-12-31", "early");
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o)
            .contains("param 'increase' has no value in force on 2014-12-31: its first comes into force on 2015-01-01"),
        "{}",
        stderr(&o)
    );
    let o = equalize(&["run", "-q", "-f", f, "-d", d, "-o", "none"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("has values by date, and the run has no date"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("none").exists());
    let (o, _) = run("2019-02-29", "bad");
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("'2019-02-29' is not a day of the calendar"),
        "{}",
        stderr(&o)
    );

    // `--set` replaces a dated value (no date needed) and the manifest says so.
    let out = dir.path().join("set");
    let o = equalize(&["run", "-q", "-f", f, "-d", d, "--set", "increase=5", "-o", "set"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(pool_of(&out), Decimal::from(1005));
    let manifest: serde_json::Value = serde_json::from_str(&read(&out.join("manifest.json"))).unwrap();
    assert_eq!(manifest["dated_params"]["increase"], "set");

    // explain says which row was taken and why.
    let o = equalize(&["explain", "-f", f, "-d", d, "--date", "2016-06-30", "B"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("increase = 117000000   (in force from 2015-01-01, the run's date being 2016-06-30)"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn the_formula_date_is_the_default_and_dated_tables_are_checked() {
    let dir = out_dir();
    write_dated(
        dir.path(),
        &DATED.replace("key = \"code\"", "key = \"code\"\ndate = \"2020-01-01\""),
    );
    let (f, d) = ("f.toml", "d.csv");
    let equalize = |args: &[&str]| equalize_in(dir.path(), args);
    let out = dir.path().join("out");
    let o = equalize(&["run", "-q", "-f", f, "-d", d, "-o", "out"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(pool_of(&out), Decimal::from(90_001_000));
    // --date wins over [formula] date.
    let o = equalize(&["run", "-q", "-f", f, "-d", d, "--date", "2016-01-01", "-o", "out"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(pool_of(&out), Decimal::from(117_001_000));

    // Every problem of a dated table, each at its place.
    let bad = DATED
        .replace(
            "\"2019-01-01\" = \"90000000\"",
            "\"2019-1-1\" = \"90000000\", \"2016-01-01\" = \"x\"",
        )
        .replace("key = \"code\"", "key = \"code\"\ndate = \"2020-02-30\"");
    write_dated(dir.path(), &bad);
    let o = equalize(&["check", "-f", f, "-d", d]);
    assert_eq!(code(&o), 2, "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("f.toml:4:8: error: formula.date: '2020-02-30' is not a day of the calendar"),
        "{err}"
    );
    assert!(
        err.contains("the dated values of 'increase': '2019-1-1' is not a date written YYYY-MM-DD"),
        "{err}"
    );
    assert!(
        err.contains("the dated values of 'increase', from 2016-01-01: 'x' is not a number"),
        "{err}"
    );
}
