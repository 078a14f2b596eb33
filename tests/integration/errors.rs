//! Bad input ends in a clear message, every problem at once, and the documented exit code.

use crate::common::*;

fn run_fixture(formula: &str, data: &str) -> std::process::Output {
    let out = out_dir();
    equalize(&["run", "-f", formula, "-d", data, "--out", path_str(out.path())])
}

#[test]
fn formula_errors_point_at_the_text_and_are_all_reported() {
    let output = run_fixture("tests/fixtures/bad/unknown_name.toml", "tests/fixtures/hand/data.csv");
    assert_eq!(code(&output), 2);
    let err = stderr(&output);
    assert!(
        err.contains(
            "tests/fixtures/bad/unknown_name.toml:14:9: error: unknown name 'populaton' (did you mean 'population'?)"
        ),
        "{err}"
    );
    insta::assert_snapshot!("formula_errors", err);
}

#[test]
fn cycles_are_named_with_their_path() {
    let output = run_fixture("tests/fixtures/bad/cycle.toml", "tests/fixtures/hand/data.csv");
    assert_eq!(code(&output), 2);
    let err = stderr(&output);
    assert!(err.contains("error: circular definition: a -> b -> c -> a"), "{err}");
    assert!(err.contains("error: 'd' refers to itself"), "{err}");
    insta::assert_snapshot!("cycle_errors", err);
}

#[test]
fn data_errors_are_all_reported_with_line_and_column() {
    let output = run_fixture("tests/fixtures/hand/formula.toml", "tests/fixtures/bad/data.csv");
    assert_eq!(code(&output), 2);
    let err = stderr(&output);
    for expected in [
        "tests/fixtures/bad/data.csv:3:8: error: column 'need': 'abc' is not a number",
        "tests/fixtures/bad/data.csv:4:1: error: duplicate key 'A'",
        "tests/fixtures/bad/data.csv:5:9: error: column 'need': -5 is below the minimum 0 of input 'need'",
        "tests/fixtures/bad/data.csv:6:8: error: column 'need': empty cell",
        "tests/fixtures/bad/data.csv:7:11: error: column 'need': '1,23' is not a number: commas may only separate groups",
        "tests/fixtures/bad/data.csv:8:1: error: this row has 3 fields; the header has 4",
        // Line 9 has an empty key: not a unit, left out with a warning (shown once the
        // errors are fixed).
        "6 errors, 0 warnings in 1 file",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    insta::assert_snapshot!("data_errors", err);
}

#[test]
fn missing_columns_suggest_the_closest_header() {
    let dir = out_dir();
    let data = dir.path().join("d.csv");
    std::fs::write(&data, "code,name,needs,revenue\nA,a,1,1\n").unwrap();
    let output = run_fixture("tests/fixtures/hand/formula.toml", path_str(&data));
    assert_eq!(code(&output), 2);
    let err = stderr(&output);
    assert!(
        err.contains("error: missing column 'need' (input of type number)"),
        "{err}"
    );
    assert!(err.contains("= did you mean 'needs'?"), "{err}");
}

#[test]
fn division_by_zero_names_the_var_and_every_unit() {
    let output = run_fixture("tests/fixtures/bad/divide.toml", "tests/fixtures/bad/zero_revenue.csv");
    assert_eq!(code(&output), 2);
    let err = stderr(&output);
    assert!(
        err.contains("error: division by zero in var 'ratio' for unit A (Alpha)"),
        "{err}"
    );
    assert!(err.contains("= 2 units affected: A, C"), "{err}");
    assert!(!err.contains("'safe'"), "the guarded division does not fail: {err}");
    insta::assert_snapshot!("division_by_zero", err);
}

#[test]
fn infeasible_pools_exit_3_naming_both_sums() {
    let out = out_dir();
    let output = run_hand(out.path(), &["--set", "pool=170"]);
    assert_eq!(code(&output), 3);
    assert!(
        stderr(&output).contains("error: stage 'grant' is infeasible: the caps add up to 160, less than the pool 170"),
        "{}",
        stderr(&output)
    );
    // A pool typed in yuan for a formula in 10,000 yuan: sums with thousands separators,
    // and the likely cause named.
    let output = run_hand(out.path(), &["--set", "pool=1600000"]);
    assert_eq!(code(&output), 3);
    let err = stderr(&output);
    assert!(
        err.contains("the caps add up to 160, less than the pool 1,600,000"),
        "{err}"
    );
    assert!(
        err.contains("one is 10,000 times the other: are both in the same money unit"),
        "{err}"
    );
}

#[test]
fn bad_set_arguments_are_usage_errors() {
    let output = equalize(&["check", "--set", "pol=5", "--set", "pool=abc", "--set", "oops"]);
    assert_eq!(code(&output), 2);
    assert_eq!(
        stderr(&output),
        "error: --set pol=5: the formula has no param 'pol' (did you mean 'pool'?)\n\
         error: --set pool=abc: 'abc' is not a number\n  \
         = write plain numbers in the formula's money unit, like 52500000000 or 5.25e10; no unit words\n\
         error: --set 'oops': expected NAME=VALUE\n"
    );
}

#[test]
fn missing_files_are_io_errors_with_exit_1() {
    let output = equalize(&["check", "-f", "no/such/formula.toml", "-d", "x.csv"]);
    assert_eq!(code(&output), 1);
    assert!(
        stderr(&output).starts_with("error: cannot read no/such/formula.toml: "),
        "{}",
        stderr(&output)
    );
}

#[test]
fn unknown_subcommands_are_usage_errors() {
    assert_eq!(code(&equalize(&["frobnicate"])), 2);
}

/// Every var that fails is reported in one run, each with its units; a var that only reads
/// a failed one is skipped rather than reported again.
#[test]
fn every_failing_var_is_reported_once() {
    let dir = out_dir();
    let formula = dir.path().join("f.toml");
    std::fs::write(
        &formula,
        "[formula]\nname = \"t\"\nkey = \"k\"\n[inputs.x]\n[vars]\na = \"1 / (x - 1)\"\nb = \"2 / (x - 2)\"\n\
         c = \"a + 1\"\nd = \"ln(x - 6)\"\n[[allocation]]\nname = \"s\"\npool = \"1\"\nweight = \"x\"\n",
    )
    .unwrap();
    let data = dir.path().join("d.csv");
    std::fs::write(&data, "k,x\nu1,1\nu2,2\nu3,6\n").unwrap();
    let output = equalize(&["check", "-f", path_str(&formula), "-d", path_str(&data)]);
    assert_eq!(code(&output), 2);
    let err = stderr(&output);
    for expected in [
        "division by zero in var 'a' for unit u1",
        "division by zero in var 'b' for unit u2",
        "logarithm of zero or a negative number in var 'd' for unit u1",
        "3 errors, 0 warnings",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(!err.contains("var 'c'"), "{err}");
}

/// A value below a bracket table's first bound is an error naming the unit; a table whose
/// bounds do not increase is refused where it is written.
#[test]
fn bracket_tables_refuse_values_below_them_and_bounds_out_of_order() {
    let dir = out_dir();
    let formula = dir.path().join("f.toml");
    let text = "[formula]\nname = \"t\"\nkey = \"k\"\n[inputs.x]\n[params.stratum]\n\
                brackets = [[\"500\", \"1\"], [\"1000\", \"2\"]]\n[vars]\nc = \"bracket(stratum, x)\"\n\
                [[allocation]]\nname = \"s\"\npool = \"1\"\nweight = \"c\"\n";
    std::fs::write(&formula, text).unwrap();
    let data = dir.path().join("d.csv");
    std::fs::write(&data, "k,x\nu1,499\nu2,500\nu3,2000\n").unwrap();
    let output = equalize(&["check", "-f", path_str(&formula), "-d", path_str(&data)]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("the value is below the first bound of the bracket table in var 'c' for unit u1"),
        "{}",
        stderr(&output)
    );
    // Rows change by name from the command line.
    let output = equalize(&[
        "check",
        "-f",
        path_str(&formula),
        "-d",
        path_str(&data),
        "--set",
        "stratum.from.1=0",
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    // And from a scenario, by the same names.
    let scenario = dir.path().join("s.toml");
    std::fs::write(
        &scenario,
        format!(
            "[scenario]\nname = \"s\"\nformula = \"{}\"\ndata = \"{}\"\n[params]\n\"stratum.from.1\" = \"0\"\n\"stratum.2\" = \"3\"\n",
            formula.display(),
            data.display()
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = equalize(&["run", "-q", "--scenario", path_str(&scenario), "--out", path_str(&out)]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    // x = 499, 500, 2000: the first row now from 0 (value 1), the second from 1000 (now 3).
    assert_eq!(
        decimal_column(&csv_rows(&out.join("audit.csv")), "c"),
        [1, 1, 3].map(rust_decimal::Decimal::from)
    );
    std::fs::write(&formula, text.replace("[\"1000\", \"2\"]", "[\"400\", \"2\"]")).unwrap();
    let output = equalize(&["check", "-f", path_str(&formula), "-d", path_str(&data)]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output)
            .contains("f.toml:6:28: error: the brackets of 'stratum': row 2 starts at 400, not above the row before"),
        "{}",
        stderr(&output)
    );
}

/// A pool may be a column holding the same amount on every row (as offices' tables often
/// carry it); different values are an error naming two units that differ.
#[test]
fn a_pool_column_must_hold_one_amount() {
    let dir = out_dir();
    let formula = dir.path().join("f.toml");
    std::fs::write(
        &formula,
        "[formula]\nname = \"t\"\nkey = \"k\"\n[inputs.x]\n[inputs.budget]\n\
         [[allocation]]\nname = \"s\"\npool = \"budget\"\nweight = \"x\"\nround = \"1\"\n",
    )
    .unwrap();
    let data = dir.path().join("d.csv");
    std::fs::write(&data, "k,x,budget\nu1,1,100\nu2,3,100\n").unwrap();
    let out = dir.path().join("out");
    let output = equalize(&[
        "run",
        "-q",
        "-f",
        path_str(&formula),
        "-d",
        path_str(&data),
        "--out",
        path_str(&out),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        decimal_column(&csv_rows(&out.join("allocations.csv")), "total"),
        [rust_decimal::Decimal::from(25), rust_decimal::Decimal::from(75)]
    );
    std::fs::write(&data, "k,x,budget\nu1,1,100\nu2,3,90\n").unwrap();
    let output = equalize(&["check", "-f", path_str(&formula), "-d", path_str(&data)]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output)
            .contains("stage 's': the pool must be the same for every unit, but unit u1 has 100 and unit u2 has 90"),
        "{}",
        stderr(&output)
    );
}
