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

/// The shipped two-year example copied into a scratch folder, run from there.
fn chain_folder() -> tempfile::TempDir {
    let dir = out_dir();
    for file in ["guarantee.toml", "2025.csv", "2026.csv"] {
        std::fs::copy(root().join("examples/chain").join(file), dir.path().join(file)).unwrap();
    }
    dir
}

#[test]
fn a_two_year_chain_with_a_guarantee_is_verified_end_to_end() {
    let dir = chain_folder();
    let equalize = |args: &[&str]| equalize_in(dir.path(), args);
    // The first year: no prior run, every unit takes prior(total, 0)'s default, with a warning.
    let o = equalize(&[
        "run",
        "-f",
        "guarantee.toml",
        "-d",
        "2025.csv",
        "--date",
        "2025-06-30",
        "-o",
        "runs/2025",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("no --prior was given"), "{}", stderr(&o));
    let o = equalize(&[
        "run",
        "-q",
        "-f",
        "guarantee.toml",
        "-d",
        "2026.csv",
        "--date",
        "2026-06-30",
        "--prior",
        "runs/2025",
        "-o",
        "runs/2026",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));

    // Independently: the 2025 totals, and 2026 kept at 90% of them or above.
    let last = csv_rows(&dir.path().join("runs/2025/allocations.csv"));
    let this = csv_rows(&dir.path().join("runs/2026/allocations.csv"));
    let last_total: std::collections::HashMap<&str, Decimal> = last[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[3].parse().unwrap()))
        .collect();
    let audit = csv_rows(&dir.path().join("runs/2026/audit.csv"));
    let prior_column = audit[0].iter().position(|h| h == "prior(total)").unwrap();
    let mut guaranteed = 0;
    for (row, audit_row) in this[1..].iter().zip(&audit[1..]) {
        let total: Decimal = row[3].parse().unwrap();
        let prior: Decimal = audit_row[prior_column].parse().unwrap();
        match last_total.get(row[0].as_str()) {
            Some(last) => {
                assert_eq!(prior, *last, "prior(total) of {}", row[0]);
                // Rounding to 1 may leave a unit 0.1 below its floor (warned), never more.
                assert!(
                    total >= last * Decimal::new(9, 1) - Decimal::ONE,
                    "{}: {total} < 0.9 x {last}",
                    row[0]
                );
                if total < last * Decimal::new(95, 2) {
                    guaranteed += 1;
                }
            }
            None => assert_eq!(prior, Decimal::ZERO, "a new unit: {}", row[0]),
        }
    }
    assert!(guaranteed >= 1, "the guarantee binds for someone");
    assert_eq!(
        this[1..]
            .iter()
            .map(|r| r[3].parse::<Decimal>().unwrap())
            .sum::<Decimal>(),
        Decimal::from(1_050_000),
        "2026's pool, by date"
    );
    let manifest: serde_json::Value = serde_json::from_str(&read(&dir.path().join("runs/2026/manifest.json"))).unwrap();
    let prior_manifest = std::fs::read(dir.path().join("runs/2025/manifest.json")).unwrap();
    assert_eq!(manifest["prior"]["folder"], "runs/2025");
    assert_eq!(
        manifest["prior"]["manifest_sha256"],
        sha256_hex(&prior_manifest),
        "the chain records the prior manifest's hash"
    );

    let o = equalize(&["verify", "runs/2026"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(
        stdout(&o).contains("prior  runs/2025: verified as a run of its own"),
        "{}",
        stdout(&o)
    );

    // explain cites the prior run's cell.
    let o = equalize(&["explain", "--run", "runs/2026", "A"]);
    assert!(
        stdout(&o).contains("prior(total) = 380952   (input, from runs/2025/audit.csv:2, column 'total')"),
        "{}",
        stdout(&o)
    );

    // Without a default, a unit new this year is an error naming it.
    std::fs::write(
        dir.path().join("strict.toml"),
        read(&dir.path().join("guarantee.toml")).replace("prior(total, 0)", "prior(total)"),
    )
    .unwrap();
    let o = equalize(&[
        "run",
        "-q",
        "-f",
        "strict.toml",
        "-d",
        "2026.csv",
        "--date",
        "2026-06-30",
        "--prior",
        "runs/2025",
        "-o",
        "x",
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("prior(total): 1 unit is not in the prior run runs/2025: D"),
        "{}",
        stderr(&o)
    );
    let o = equalize(&[
        "run",
        "-q",
        "-f",
        "strict.toml",
        "-d",
        "2025.csv",
        "--date",
        "2025-06-30",
        "-o",
        "x",
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("without a default: give --prior DIR"),
        "{}",
        stderr(&o)
    );
    // A name the prior run does not have.
    std::fs::write(
        dir.path().join("typo.toml"),
        read(&dir.path().join("guarantee.toml")).replace("prior(total, 0)", "prior(grnat, 0)"),
    )
    .unwrap();
    let o = equalize(&[
        "run",
        "-q",
        "-f",
        "typo.toml",
        "-d",
        "2026.csv",
        "--date",
        "2026-06-30",
        "--prior",
        "runs/2025",
        "-o",
        "x",
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("the prior run has no 'grnat' (did you mean 'grant'?)"),
        "{}",
        stderr(&o)
    );
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn a_tampered_prior_run_is_caught_however_it_was_edited() {
    let dir = chain_folder();
    let equalize = |args: &[&str]| equalize_in(dir.path(), args);
    let o = equalize(&[
        "run",
        "-q",
        "-f",
        "guarantee.toml",
        "-d",
        "2025.csv",
        "--date",
        "2025-06-30",
        "-o",
        "runs/2025",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = equalize(&[
        "run",
        "-q",
        "-f",
        "guarantee.toml",
        "-d",
        "2026.csv",
        "--date",
        "2026-06-30",
        "--prior",
        "runs/2025",
        "-o",
        "runs/2026",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let audit = dir.path().join("runs/2025/audit.csv");
    let manifest = dir.path().join("runs/2025/manifest.json");
    let (audit_text, manifest_text) = (read(&audit), read(&manifest));
    let raised = audit_text.replace(",380952\n", ",480952\n");
    assert_ne!(raised, audit_text);

    // 1. Last year's audit edited: a new run refuses it, verify names it.
    std::fs::write(&audit, &raised).unwrap();
    let o = equalize(&[
        "run",
        "-q",
        "-f",
        "guarantee.toml",
        "-d",
        "2026.csv",
        "--date",
        "2026-06-30",
        "--prior",
        "runs/2025",
        "-o",
        "y",
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("--prior runs/2025: audit.csv has changed since the run wrote it"),
        "{}",
        stderr(&o)
    );
    let o = equalize(&["verify", "runs/2026"]);
    assert_eq!(code(&o), 5, "{}", stdout(&o));
    assert!(
        stdout(&o).contains("! prior  runs/2025: NOT verified"),
        "{}",
        stdout(&o)
    );

    // 2. Edited with its manifest re-hashed to match: the recorded manifest hash differs.
    let mut m: serde_json::Value = serde_json::from_str(&manifest_text).unwrap();
    m["outputs"]["audit.csv"] = sha256_hex(raised.as_bytes()).into();
    std::fs::write(&manifest, serde_json::to_string_pretty(&m).unwrap() + "\n").unwrap();
    let o = equalize(&["verify", "runs/2026"]);
    assert_eq!(code(&o), 5, "{}", stdout(&o));
    assert!(
        stdout(&o).contains("! prior  runs/2025: its manifest CHANGED since this run read it"),
        "{}",
        stdout(&o)
    );
    // ... and the recomputation with the edited value differs from what was published.
    assert!(stdout(&o).contains("prior(total) 380952 -> 480952"), "{}", stdout(&o));

    // 3. Restored: verified again.
    std::fs::write(&audit, &audit_text).unwrap();
    std::fs::write(&manifest, &manifest_text).unwrap();
    let o = equalize(&["verify", "runs/2026"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
}

#[test]
fn a_formula_test_case_sets_prior_values_as_inputs() {
    let dir = chain_folder();
    std::fs::write(
        dir.path().join("guarantee.test.toml"),
        r#"formula = "guarantee.toml"

[[case]]
name = "A keeps 90% of last year; the new unit B gets the rest"
set = { pool = "1000" }

[[case.unit]]
code = "A"
name = "Alpha"
need = "10"
revenue = "10"
"prior(total)" = "500"
"in prior run" = true

[[case.unit]]
code = "B"
name = "Beta"
need = "10"
revenue = "0"
"prior(total)" = "0"
"in prior run" = false

[case.expect.A]
grant = "450"
[case.expect.B]
grant = "550"
"#,
    )
    .unwrap();
    let o = equalize_in(dir.path(), &["test", "guarantee.test.toml"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
}

const GROUPS: &str = r#"[formula]
name = "computed groups"
key = "code"

[inputs.population]
[inputs.need]

[params.strata]
brackets = [["0", "1"], ["500", "2"], ["1000", "3"]]

[vars]
stratum = "bracket(strata, population)"
big = "population >= 1000"
stratum_need = "sum_by(stratum, need)"
rank_in_stratum = "rank_by(stratum, need)"
big_count = "count_by(big)"

[[allocation]]
name = "grant"
pool = "300"
weight = "need"
within = "stratum"
round = "1"
"#;

#[test]
fn groups_may_be_computed_vars() {
    let dir = out_dir();
    std::fs::write(dir.path().join("f.toml"), GROUPS).unwrap();
    // Strata by population: A alone in 1; B, C in 2; D, E in 3.
    std::fs::write(
        dir.path().join("d.csv"),
        "code,population,need\nA,100,1\nB,600,2\nC,700,3\nD,1500,4\nE,2000,1\n",
    )
    .unwrap();
    let o = equalize_in(dir.path(), &["run", "-q", "-f", "f.toml", "-d", "d.csv", "-o", "out"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let audit = csv_rows(&dir.path().join("out/audit.csv"));
    let column = |name: &str| -> Vec<String> {
        let c = audit[0].iter().position(|h| h == name).unwrap();
        audit[1..].iter().map(|r| r[c].clone()).collect()
    };
    assert_eq!(column("stratum"), ["1", "2", "2", "3", "3"]);
    assert_eq!(column("stratum_need"), ["1", "5", "5", "5", "5"]);
    assert_eq!(column("rank_in_stratum"), ["1", "2", "1", "1", "2"]);
    assert_eq!(column("big_count"), ["3", "3", "3", "2", "2"]);
    // 300 per stratum, shared by need within it: B 300 x 2/5, C 300 x 3/5, D 4/5, E 1/5.
    assert_eq!(column("grant"), ["300", "120", "180", "240", "60"]);
    let summary: serde_json::Value = serde_json::from_str(&read(&dir.path().join("out/summary.json"))).unwrap();
    assert_eq!(summary["stages"][0]["within"], "stratum");
    assert_eq!(summary["stages"][0]["groups"].as_array().unwrap().len(), 3);

    // A computed group must be whole: each unit with a fraction is named.
    std::fs::write(
        dir.path().join("g.toml"),
        GROUPS.replace("bracket(strata, population)", "population / 200"),
    )
    .unwrap();
    let o = equalize_in(dir.path(), &["run", "-q", "-f", "g.toml", "-d", "d.csv", "-o", "x"]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("a group is named by a text or a whole number, and this value has a fraction in aggregate sum_by(stratum, need) for unit A"), "{err}");
    assert!(err.contains("stage 'grant' within"), "{err}");
    assert!(err.contains("3 units affected: A, C, D"), "{err}");
    // A misspelt group.
    std::fs::write(
        dir.path().join("h.toml"),
        GROUPS.replace("sum_by(stratum", "sum_by(stratun"),
    )
    .unwrap();
    let o = equalize_in(dir.path(), &["check", "-f", "h.toml", "-d", "d.csv"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("the first argument of sum_by must name an input or a var to group by, found 'stratun' (did you mean 'stratum'?)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_formula_of_vars_only_runs_explains_and_verifies() {
    let dir = out_dir();
    std::fs::write(
        dir.path().join("f.toml"),
        "[formula]\nname = \"index\"\nkey = \"code\"\n[inputs.population]\n[inputs.need]\n\
         [vars]\nindex = \"need / population * 1000\"\neligible = \"top_n(index, 2)\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("d.csv"),
        "code,population,need\nA,100,1\nB,600,2\nC,700,3\nD,1500,4\nE,2000,1\n",
    )
    .unwrap();
    let o = equalize_in(dir.path(), &["run", "-f", "f.toml", "-d", "d.csv", "-o", "out"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("no allocation stages"), "{}", stdout(&o));
    let audit = csv_rows(&dir.path().join("out/audit.csv"));
    let eligible = audit[0].iter().position(|h| h == "eligible").unwrap();
    // Index: A 10, B 3.33, C 4.29, D 2.67, E 0.5: the top two are A and C.
    let chosen: Vec<&str> = audit[1..]
        .iter()
        .filter(|r| r[eligible] == "true")
        .map(|r| r[0].as_str())
        .collect();
    assert_eq!(chosen, ["A", "C"]);
    let o = equalize_in(dir.path(), &["explain", "--run", "out", "C"]);
    assert!(
        stdout(&o).contains("eligible = top_n(index, 2) = true"),
        "{}",
        stdout(&o)
    );
    let o = equalize_in(dir.path(), &["verify", "out"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
}

/// Issue 17's "done when": the top 10,000 of 35,000 communes by an index are eligible and
/// one stage splits the pool among them by a bracket coefficient (examples/france-dsr).
#[test]
fn the_top_ten_thousand_of_thirty_five_thousand_share_a_pool_in_one_stage() {
    let dir = out_dir();
    // 35,000 synthetic communes from a fixed linear congruential sequence: no two alike.
    let mut state: u64 = 17;
    let mut next = |modulo: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % modulo
    };
    let mut csv = String::from("code_insee,commune,population,potentiel_financier,revenu\n");
    for i in 0..35_000 {
        let population = 50 + next(14_000);
        let potential = 200 + next(1_800);
        let income = 8_000 + next(30_000);
        csv.push_str(&format!(
            "C{i:05},Commune {i},{population},{potential}.{},{income}\n",
            next(100)
        ));
    }
    std::fs::write(dir.path().join("communes.csv"), csv).unwrap();
    let formula = root().join("examples/france-dsr/dsr.toml");
    let o = equalize_in(
        dir.path(),
        &["run", "-q", "-f", path_str(&formula), "-d", "communes.csv", "-o", "out"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let audit = csv_rows(&dir.path().join("out/audit.csv"));
    let at = |name: &str| audit[0].iter().position(|h| h == name).unwrap();
    let (population, index, eligible, weight, amount) = (
        at("population"),
        at("index"),
        at("eligible"),
        at("dsr_cible.weight"),
        at("dsr_cible"),
    );
    let rows = &audit[1..];
    assert_eq!(rows.len(), 35_000);
    // Eligible: exactly the 10,000 small communes with the highest index (ties by key).
    let mut small: Vec<(Decimal, &str)> = rows
        .iter()
        .filter(|r| r[population].parse::<u64>().unwrap() < 10_000)
        .map(|r| (r[index].parse().unwrap(), r[0].as_str()))
        .collect();
    small.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let top: std::collections::BTreeSet<&str> = small.iter().take(10_000).map(|(_, k)| *k).collect();
    let chosen: std::collections::BTreeSet<&str> = rows
        .iter()
        .filter(|r| r[eligible] == "true")
        .map(|r| r[0].as_str())
        .collect();
    assert_eq!(chosen.len(), 10_000);
    assert_eq!(chosen, top);
    // The pool, to the euro, among them only, each in proportion to its weight (one k:
    // rounding to 1 moves an amount by less than 1).
    let amounts: Vec<Decimal> = rows.iter().map(|r| r[amount].parse().unwrap()).collect();
    assert_eq!(amounts.iter().sum::<Decimal>(), Decimal::from(400_000_000));
    let weights: Vec<Decimal> = rows.iter().map(|r| r[weight].parse().unwrap()).collect();
    let total_weight: Decimal = weights.iter().sum();
    let k = Decimal::from(400_000_000) / total_weight;
    for ((r, a), w) in rows.iter().zip(&amounts).zip(&weights) {
        if chosen.contains(r[0].as_str()) {
            assert!((*a - k * w).abs() < Decimal::ONE, "{}: {a} vs {}", r[0], k * w);
        } else {
            assert_eq!(*a, Decimal::ZERO, "{} is not eligible", r[0]);
        }
    }
    // The coefficient is the stratum's: 7,500 inhabitants and up take 1.6.
    let coefficient = at("coefficient");
    for r in rows {
        let p: u64 = r[population].parse().unwrap();
        let expected = match p {
            0..=499 => "1",
            500..=999 => "1.1",
            1000..=1999 => "1.2",
            2000..=3499 => "1.3",
            3500..=4999 => "1.4",
            5000..=7499 => "1.5",
            _ => "1.6",
        };
        assert_eq!(r[coefficient], expected, "{}", r[0]);
    }
    // And its hand-computed test file passes.
    let o = equalize(&["test", "examples/france-dsr/dsr.test.toml"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
}

/// Issue 17's "done when": the national pool carried to the 39,544 synthetic townships,
/// every level reconciling exactly with the one above.
#[test]
fn the_national_pool_reaches_townships_and_reconciles_at_three_levels() {
    let dir = out_dir();
    let o = equalize(&["run", "-q", "--formula", "cn-townships", "--out", path_str(dir.path())]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let audit = csv_rows(&dir.path().join("audit.csv"));
    let at = |name: &str| audit[0].iter().position(|h| h == name).unwrap();
    let (county, province, central, provincial, township) = (
        at("county_code"),
        at("province"),
        at("central"),
        at("provincial"),
        at("township"),
    );
    let rows = &audit[1..];
    assert!(rows.len() > 35_000, "{} townships", rows.len());
    let amount = |r: &Vec<String>, c: usize| r[c].parse::<Decimal>().unwrap();
    // Level 1: the national pool.
    let national: Decimal = rows.iter().map(|r| amount(r, central)).sum();
    assert_eq!(national, Decimal::from(2_834_000_000_000u64));
    // Level 2: each province hands on exactly what it received; level 3: each county.
    let mut by_province: std::collections::BTreeMap<&str, (Decimal, Decimal)> = Default::default();
    let mut by_county: std::collections::BTreeMap<&str, (Decimal, Decimal)> = Default::default();
    for r in rows {
        let p = by_province.entry(r[province].as_str()).or_default();
        p.0 += amount(r, central);
        p.1 += amount(r, provincial);
        let c = by_county.entry(r[county].as_str()).or_default();
        c.0 += amount(r, provincial);
        c.1 += amount(r, township);
    }
    assert_eq!(by_province.len(), 31);
    assert_eq!(by_county.len(), 2943);
    for (p, (received, handed_on)) in &by_province {
        assert_eq!(received, handed_on, "province {p}");
    }
    for (c, (received, handed_on)) in &by_county {
        assert_eq!(received, handed_on, "county {c}");
    }
    let total: Decimal = rows.iter().map(|r| amount(r, township)).sum();
    assert_eq!(total, national);

    // The synthetic townships add up to each county's real census population.
    let townships = csv_rows(&root().join("datasets/cn-townships/townships.csv"));
    let mut population: std::collections::HashMap<&str, u64> = Default::default();
    for r in &townships[1..] {
        *population.entry(r[1].as_str()).or_default() += r[3].parse::<u64>().unwrap();
    }
    let census = csv_rows(&root().join("datasets/cn-national/census.csv"));
    for r in &census[1..] {
        assert_eq!(
            population[r[0].as_str()],
            r[4].parse::<u64>().unwrap(),
            "county {}",
            r[0]
        );
    }
}

#[test]
fn a_sweep_takes_the_prior_run_and_the_date_from_its_file() {
    let dir = chain_folder();
    let equalize = |args: &[&str]| equalize_in(dir.path(), args);
    let o = equalize(&[
        "run",
        "-q",
        "-f",
        "guarantee.toml",
        "-d",
        "2025.csv",
        "--date",
        "2025-06-30",
        "-o",
        "runs/2025",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    std::fs::write(
        dir.path().join("sweep.toml"),
        "[sweep]\nname = \"guarantee rate\"\nformula = \"guarantee.toml\"\ndata = \"2026.csv\"\ndate = \"2026-06-30\"\n\
         prior = \"runs/2025\"\nunits = [\"A\"]\n[grid]\nguarantee = [\"0.8\", \"0.9\", \"1\"]\n",
    )
    .unwrap();
    let o = equalize(&["sweep", "sweep.toml", "--out", "sw"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // A's floor is the guarantee rate times last year's 380,952, and binds at each rate.
    let units = csv_rows(&dir.path().join("sw/units.csv"));
    let totals: Vec<&str> = units[1..].iter().map(|r| r[2].as_str()).collect();
    assert_eq!(totals, ["304762", "342857", "380952"]);
    // One scenario as a full run, its chain verified.
    let o = equalize(&["sweep", "sweep.toml", "--scenario", "1", "--out", "one"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = equalize(&["verify", "one"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(
        stdout(&o).contains("prior  runs/2025: verified as a run of its own"),
        "{}",
        stdout(&o)
    );
    let o = equalize(&[
        "sweep",
        "sweep.toml",
        "--scenario",
        "1",
        "--out",
        "two",
        "--prior",
        "runs/2025",
    ]);
    assert_ne!(code(&o), 0);
}

/// Ways an auditor (or a careless analyst) could make a chain say what it did not do.
#[test]
fn a_chain_cannot_be_pointed_at_another_prior_or_written_over_its_prior() {
    let dir = chain_folder();
    let equalize = |args: &[&str]| equalize_in(dir.path(), args);
    let run = |data: &str, date: &str, prior: Option<&str>, out: &str| {
        let mut args = vec![
            "run",
            "-q",
            "-f",
            "guarantee.toml",
            "-d",
            data,
            "--date",
            date,
            "-o",
            out,
        ];
        if let Some(p) = prior {
            args.extend(["--prior", p]);
        }
        equalize(&args)
    };
    assert_eq!(code(&run("2025.csv", "2025-06-30", None, "runs/2025")), 0);
    // A fake 2025: A's total raised, its outputs re-hashed into its own manifest.
    copy_dir(&dir.path().join("runs/2025"), &dir.path().join("runs/fake"));
    let audit = dir.path().join("runs/fake/audit.csv");
    let raised = read(&audit).replace(",380952\n", ",430952\n");
    std::fs::write(&audit, &raised).unwrap();
    let manifest = dir.path().join("runs/fake/manifest.json");
    let mut m: serde_json::Value = serde_json::from_str(&read(&manifest)).unwrap();
    m["outputs"]["audit.csv"] = sha256_hex(raised.as_bytes()).into();
    std::fs::write(&manifest, serde_json::to_string_pretty(&m).unwrap() + "\n").unwrap();
    let o = run("2026.csv", "2026-06-30", Some("runs/fake"), "runs/2026");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // The 2026 manifest edited to name the real 2025 as its prior.
    let real = std::fs::read(dir.path().join("runs/2025/manifest.json")).unwrap();
    let path = dir.path().join("runs/2026/manifest.json");
    let mut m: serde_json::Value = serde_json::from_str(&read(&path)).unwrap();
    m["prior"]["folder"] = "runs/2025".into();
    m["prior"]["manifest_sha256"] = sha256_hex(&real).into();
    std::fs::write(&path, serde_json::to_string_pretty(&m).unwrap() + "\n").unwrap();
    let o = equalize(&["verify", "runs/2026"]);
    assert_eq!(code(&o), 5, "{}", stdout(&o));
    assert!(
        stdout(&o).contains("! prior  the run's prior: recorded runs/2025"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("but the recorded inputs read runs/fake"),
        "{}",
        stdout(&o)
    );

    // The date and the dated params' origins are checked too.
    assert_eq!(code(&run("2026.csv", "2026-06-30", Some("runs/2025"), "runs/2026b")), 0);
    let path = dir.path().join("runs/2026b/manifest.json");
    let original = read(&path);
    for (field, value) in [
        ("date", serde_json::json!("2025-12-31")),
        ("dated_params", serde_json::json!({"pool": "2025-01-01"})),
    ] {
        let mut m: serde_json::Value = serde_json::from_str(&original).unwrap();
        m[field] = value;
        std::fs::write(&path, serde_json::to_string_pretty(&m).unwrap() + "\n").unwrap();
        let o = equalize(&["verify", "runs/2026b"]);
        assert_eq!(code(&o), 5, "{field}: {}", stdout(&o));
        assert!(
            stdout(&o).contains(&format!("! param  {field}: recorded")),
            "{}",
            stdout(&o)
        );
    }
    std::fs::write(&path, &original).unwrap();

    // A run never writes into its prior's folder.
    let o = run("2026.csv", "2026-06-30", Some("runs/2025"), "runs/2025");
    assert_ne!(code(&o), 0);
    assert_eq!(
        std::fs::read(dir.path().join("runs/2025/manifest.json")).unwrap(),
        real,
        "2025 untouched"
    );

    // A prior in another money unit is refused: its amounts would be read 10,000 times off.
    std::fs::write(
        dir.path().join("wan.toml"),
        read(&dir.path().join("guarantee.toml")).replace("key = \"code\"", "key = \"code\"\nunit = \"万元\""),
    )
    .unwrap();
    let o = equalize(&[
        "run",
        "-q",
        "-f",
        "wan.toml",
        "-d",
        "2025.csv",
        "--date",
        "2025-06-30",
        "-o",
        "runs/wan",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run("2026.csv", "2026-06-30", Some("runs/wan"), "runs/mixed");
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("--prior runs/wan: its amounts are in 万元, this formula's in 1"),
        "{}",
        stderr(&o)
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn a_dated_table_holds_only_its_dates() {
    let dir = out_dir();
    write_dated(
        dir.path(),
        &DATED.replace(
            "[params.increase]\n",
            "[params.increase]\ndescription = \"the yearly increase\"\n",
        ),
    );
    let o = equalize_in(
        dir.path(),
        &["check", "-f", "f.toml", "-d", "d.csv", "--date", "2020-01-01"],
    );
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains("'increase' is given by its dated values: 'description' cannot go beside them"),
        "{err}"
    );
    assert!(!err.contains("unknown name"), "{err}");
}
