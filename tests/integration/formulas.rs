//! The shipped formulas: their own test cases, their defining properties on their own data,
//! and snapshots of their allocations.

use rust_decimal::Decimal;

use crate::common::*;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn run_shipped(out: &std::path::Path, formula: &str, data: &str, extra: &[&str]) -> Vec<Vec<String>> {
    let mut args = vec![
        "run",
        "-q",
        "--no-warnings",
        "--formula",
        formula,
        "--data",
        data,
        "--out",
        path_str(out),
    ];
    args.extend_from_slice(extra);
    let output = equalize(&args);
    assert_eq!(code(&output), 0, "{formula}: {}", stderr(&output));
    csv_rows(&out.join("audit.csv"))
}

fn summary(out: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&read(&out.join("summary.json"))).unwrap()
}

#[test]
fn every_shipped_formula_passes_its_hand_computed_tests() {
    let output = equalize(&["test"]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    assert!(
        stdout(&output).ends_with("10 passed, 0 failed\n"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_failing_formula_test_shows_expected_got_and_the_derivation() {
    let dir = out_dir();
    let test = dir.path().join("demo.test.toml");
    let original = read(&root().join("formulas/demo.test.toml"));
    std::fs::write(
        &test,
        original
            .replace(
                "formula = \"demo.toml\"",
                &format!("formula = \"{}\"", root().join("formulas/demo.toml").display()),
            )
            .replace("gap = \"290500000\"", "gap = \"290500001\""),
    )
    .unwrap();
    let output = equalize(&["test", path_str(&test)]);
    assert_eq!(code(&output), 4);
    let printed = stdout(&output);
    assert!(
        printed.contains("unit B: gap: expected 290500001, got 290500000"),
        "{printed}"
    );
    assert!(
        printed.contains("gap = max(standard_expenditure - revenue, 0) = 290500000"),
        "{printed}"
    );
    assert!(printed.contains("standard_expenditure = 490500000"), "{printed}");
    assert!(printed.ends_with("0 passed, 1 failed\n"), "{printed}");
}

#[test]
fn formulas_are_listed_and_found_by_short_name() {
    let output = equalize(&["formulas"]);
    assert_eq!(code(&output), 0);
    insta::assert_snapshot!("formulas_list", stdout(&output));
    let by_stem = equalize(&["check", "-q", "--formula", "au-gst"]);
    assert_eq!(code(&by_stem), 0, "{}", stderr(&by_stem));
}

/// Japan: every grant is shortfall - need x r for one r (the solved k), units for which that
/// is negative get nothing, and the grants use the pool (rounded to 1,000 yen).
#[test]
fn japan_grants_are_shortfall_minus_need_times_one_rate() {
    let dir = out_dir();
    let audit = run_shipped(dir.path(), "jp", "datasets/jp-municipalities/units.csv", &[]);
    let r = d(summary(dir.path())["stages"][0]["k"].as_str().unwrap());
    assert!(r > Decimal::ZERO && r < Decimal::ONE, "an adjustment rate: {r}");
    let (shortfall, need, grant) = (
        decimal_column(&audit, "shortfall"),
        decimal_column(&audit, "need"),
        decimal_column(&audit, "grant"),
    );
    let mut zeroed = 0;
    for i in 0..grant.len() {
        let formula = shortfall[i] - need[i] * r;
        if shortfall[i].is_zero() || formula <= Decimal::ZERO {
            assert_eq!(grant[i], Decimal::ZERO, "unit {i}");
            zeroed += usize::from(!shortfall[i].is_zero());
        } else {
            assert!(
                (grant[i] - formula).abs() < d("1000"),
                "unit {i}: {} vs {formula}",
                grant[i]
            );
        }
    }
    assert_eq!(zeroed, 1, "the data has one deficit unit pushed below zero");
    assert_eq!(grant.iter().sum::<Decimal>(), d("80000000000"));
}

/// Australia: the grant per person is proportional to the relativity after the floor,
/// and no relativity counts below 0.75.
#[test]
fn australia_grant_per_person_is_proportional_to_the_floored_relativity() {
    let dir = out_dir();
    let audit = run_shipped(dir.path(), "au", "datasets/au-states/states.csv", &[]);
    let (population, relativity, adjusted, exact) = (
        decimal_column(&audit, "population"),
        decimal_column(&audit, "relativity"),
        decimal_column(&audit, "adjusted_relativity"),
        decimal_column(&audit, "gst.exact"),
    );
    let price = exact[0] / population[0] / adjusted[0];
    for i in 0..exact.len() {
        assert_eq!(adjusted[i], relativity[i].max(d("0.75")));
        let per_person = exact[i] / population[i] / adjusted[i];
        assert!((per_person - price).abs() < d("0.000000001"), "state {i}");
    }
    let amounts = decimal_column(&audit, "gst");
    assert_eq!(amounts.iter().sum::<Decimal>(), d("95000000000"));
}

/// Canada: receiving provinces share one per-person adjustment on top of their capped
/// entitlement; others get nothing; no receiver ends above the fiscal capacity cap level
/// before the adjustment.
#[test]
fn canada_adjustment_is_equal_per_person_among_receivers() {
    let dir = out_dir();
    let audit = run_shipped(dir.path(), "ca", "datasets/ca-provinces/provinces.csv", &[]);
    let k = d(summary(dir.path())["stages"][0]["k"].as_str().unwrap());
    let receiving: Vec<bool> = audit[1..]
        .iter()
        .map(|r| r[audit[0].iter().position(|h| h == "receiving").unwrap()] == "true")
        .collect();
    let (population, base, exact) = (
        decimal_column(&audit, "population"),
        decimal_column(&audit, "capped_entitlement"),
        decimal_column(&audit, "equalization.exact"),
    );
    let (full, cap_level, capped) = (
        decimal_column(&audit, "full_capacity"),
        decimal_column(&audit, "cap_level"),
        decimal_column(&audit, "capped_per_person"),
    );
    assert!(receiving.iter().filter(|&&r| r).count() >= 3);
    for i in 0..exact.len() {
        if receiving[i] {
            assert!(
                ((exact[i] - base[i]) / population[i] - k).abs() < d("0.000001"),
                "province {i}"
            );
            assert!(full[i] + capped[i] <= cap_level[i], "province {i} above the cap");
        } else {
            assert_eq!(exact[i], Decimal::ZERO);
        }
    }
    assert_eq!(
        decimal_column(&audit, "equalization").iter().sum::<Decimal>(),
        d("26170000000")
    );
}

/// India: the shares are a weighted sum of criterion shares that sums to one, and each
/// state's amount is within one crore of its exact share of the pool.
#[test]
fn india_shares_sum_to_one_and_amounts_follow_them() {
    let dir = out_dir();
    let audit = run_shipped(dir.path(), "in", "datasets/in-states/states.csv", &[]);
    let shares = decimal_column(&audit, "state_share");
    assert!((shares.iter().sum::<Decimal>() - Decimal::ONE).abs() < d("0.000000000001"));
    let amounts = decimal_column(&audit, "devolution");
    let pool = d("1435000");
    assert_eq!(amounts.iter().sum::<Decimal>(), pool);
    for (share, amount) in shares.iter().zip(&amounts) {
        assert!((pool * share - amount).abs() < Decimal::ONE);
    }
}

/// China: totals reconcile at both levels. The central stage uses the national pool; each
/// province's counties share exactly what the central stage gave the province; every
/// stage adds up to its pool; growth control holds in the central stage.
#[test]
fn china_reconciles_at_national_and_provincial_level() {
    let dir = out_dir();
    let audit = run_shipped(dir.path(), "cn", "datasets/cn-national", &[]);
    assert_eq!(audit.len() - 1, 2943);
    let province_column = audit[0].iter().position(|h| h == "province").unwrap();
    let provinces: Vec<&str> = audit[1..].iter().map(|r| r[province_column].as_str()).collect();
    let central = decimal_column(&audit, "central");
    let provincial = decimal_column(&audit, "provincial");
    assert_eq!(central.iter().sum::<Decimal>(), d("2834000000000"));
    let mut by_province: std::collections::BTreeMap<&str, (Decimal, Decimal)> = Default::default();
    for i in 0..central.len() {
        let entry = by_province.entry(provinces[i]).or_default();
        entry.0 += central[i];
        entry.1 += provincial[i];
    }
    assert_eq!(by_province.len(), 31);
    for (province, (c, p)) in &by_province {
        assert_eq!(c, p, "{province}: the province redistributes exactly what it received");
    }
    let (floor, cap) = (
        decimal_column(&audit, "growth_floor"),
        decimal_column(&audit, "growth_cap"),
    );
    for i in 0..central.len() {
        assert!(floor[i] <= central[i] && central[i] <= cap[i], "unit {i}");
        assert!((central[i] % d("10000")).is_zero());
    }
    let s = summary(dir.path());
    for stage in s["stages"].as_array().unwrap() {
        assert_eq!(stage["pool"], stage["sum"], "{}", stage["name"]);
    }
    // The total leaves out the central stage, which the provincial stage redistributes.
    let total: Decimal = decimal_column(&audit, "total").iter().sum();
    let counted: Decimal = s["stages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|st| st["in_total"] == true)
        .map(|st| d(st["pool"].as_str().unwrap()) * d("10000"))
        .sum();
    assert_eq!(total, counted);
    insta::assert_snapshot!("cn_national_summary", read(&dir.path().join("summary.json")));
}

#[test]
fn allocations_of_each_formula_are_pinned() {
    for (name, formula, data, extra) in [
        ("jp", "jp", "datasets/jp-municipalities/units.csv", vec![]),
        ("ca", "ca", "datasets/ca-provinces/provinces.csv", vec![]),
        ("au", "au", "datasets/au-states/states.csv", vec![]),
        ("in", "in", "datasets/in-states/states.csv", vec![]),
        (
            "cn_ningxia",
            "cn",
            "datasets/cn-province-demo",
            vec![
                "--set",
                "pool=22000000000",
                "--set",
                "topup.border=0",
                "--set",
                "topup.old_revolutionary=0",
                "--set",
                "topup.ethnic=3000000000",
                "--set",
                "topup.formerly_poor=2000000000",
                "--set",
                "topup.ecological=2000000000",
                "--set",
                "guarantee.pool=1000000000",
                // No Ningxia county reaches the grain threshold or is home to a small group.
                "--set",
                "topup.grain=0",
                "--set",
                "topup.small_ethnic=0",
                "--set",
                "topup.resource=1000000000",
            ],
        ),
    ] {
        let dir = out_dir();
        run_shipped(dir.path(), formula, data, &extra);
        insta::assert_snapshot!(format!("allocations_{name}"), read(&dir.path().join("allocations.csv")));
    }
}

/// A short name still means the shipped formula when a folder of that name is in the way.
#[test]
fn a_short_name_is_not_shadowed_by_a_folder() {
    let dir = out_dir();
    std::fs::create_dir(dir.path().join("au")).unwrap();
    let data = root().join("datasets/au-states/states.csv");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_equalize"))
        .args(["check", "-q", "--formula", "au", "--data", path_str(&data)])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
}

/// Formula tests: a misspelt unit field is an error with the name it meant (not a silent
/// default); a case may set a var's value to test one step at a time; a relative tolerance.
#[test]
fn test_cases_refuse_unknown_fields_set_vars_and_take_relative_tolerances() {
    let dir = out_dir();
    let formula = root().join("tests/fixtures/hand/formula.toml");
    let file = dir.path().join("hand.test.toml");
    let case = |body: &str| {
        format!(
            "formula = \"{}\"\n[[case]]\nname = \"c\"\nset = {{ pool = \"40\" }}\n{body}",
            formula.display()
        )
    };
    // gap is set by the case: 10 and 30, so the pool of 40 is all theirs, at their caps.
    std::fs::write(
        &file,
        case("relative_tolerance = \"0.000001\"\n[[case.unit]]\ncode = \"A\"\nneed = \"0\"\nrevenue = \"0\"\ngap = \"10\"\n\
              [[case.unit]]\ncode = \"B\"\nneed = \"0\"\nrevenue = \"0\"\ngap = \"30\"\n\
              [case.expect.A]\ngrant = \"10.000001\"\n[case.expect.B]\ngrant = \"30\"\n"),
    )
    .unwrap();
    let output = equalize(&["test", path_str(&file)]);
    assert_eq!(code(&output), 0, "{}{}", stdout(&output), stderr(&output));
    // A typo in a field name.
    std::fs::write(
        &file,
        case("[[case.unit]]\ncode = \"A\"\nneeed = \"50\"\nrevenue = \"20\"\n[case.expect.A]\ngrant = \"30\"\n"),
    )
    .unwrap();
    let output = equalize(&["test", path_str(&file)]);
    assert_ne!(code(&output), 0);
    let text = format!("{}{}", stdout(&output), stderr(&output));
    assert!(
        text.contains("line 7: unit 1: unknown field 'neeed' (did you mean 'need'?)"),
        "{text}"
    );
}
