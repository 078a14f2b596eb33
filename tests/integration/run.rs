//! `equalize run` on the shipped demo and on a hand-computed example.

use rust_decimal::Decimal;

use crate::common::*;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[test]
fn default_run_writes_outputs_and_a_summary_table() {
    let out = out_dir();
    let output = equalize(&["run", "--out", path_str(out.path())]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let printed = stdout(&output).replace(path_str(out.path()), "OUT");
    insta::assert_snapshot!("demo_stdout", printed);
    insta::assert_snapshot!("demo_allocations", read(&out.path().join("allocations.csv")));
    insta::assert_snapshot!("demo_summary", read(&out.path().join("summary.json")));
}

/// Independent of the snapshots: the defining properties of the demo's one stage,
/// checked against the audit file's own floors, caps and weights.
#[test]
fn demo_allocation_adds_up_respects_bounds_and_is_proportional_to_the_gap() {
    let out = out_dir();
    let output = equalize(&["run", "--quiet", "--out", path_str(out.path())]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(stdout(&output), "", "--quiet prints nothing");
    let audit = csv_rows(&out.path().join("audit.csv"));
    let amount = decimal_column(&audit, "equalization");
    let floor = decimal_column(&audit, "equalization.floor");
    let cap = decimal_column(&audit, "equalization.cap");
    let gap = decimal_column(&audit, "gap");
    let pool = d("50000000000");
    let unit = d("10000");
    assert_eq!(
        amount.iter().sum::<Decimal>(),
        pool,
        "rounded amounts add up to the pool exactly"
    );
    assert_eq!(amount.len(), 100);
    for i in 0..amount.len() {
        assert!(
            amount[i] % unit == Decimal::ZERO,
            "row {i}: {} is a whole number of 万元",
            amount[i]
        );
        assert!(
            floor[i] <= amount[i] && amount[i] <= cap[i],
            "row {i}: within floor and cap"
        );
    }
    // The guarantee is a guarantee after rounding: every eligible county gets at least 95%
    // of last year's transfer (or its whole gap, when that is less), and at most 110%.
    // (With the floor rounded down, 36 counties got up to 9,500 yuan less.)
    let last_year = decimal_column(&audit, "last_year");
    for i in 0..amount.len() {
        if gap[i] > Decimal::ZERO {
            let guaranteed = (last_year[i] * d("0.95")).min(gap[i] - gap[i] % unit);
            assert!(
                amount[i] >= guaranteed,
                "row {i}: {} below 95% of {}",
                amount[i],
                last_year[i]
            );
            assert!(amount[i] <= last_year[i] * d("1.10"), "row {i}: above 110%");
        }
    }
    // Units strictly between their bounds share one k: amount / gap agrees to within
    // one rounding unit over the gap.
    let free: Vec<usize> = (0..amount.len())
        .filter(|&i| floor[i] < amount[i] && amount[i] < cap[i])
        .collect();
    assert!(
        free.len() >= 10,
        "enough unbounded units to test proportionality: {}",
        free.len()
    );
    let k: Decimal = amount[free[0]] / gap[free[0]];
    for &i in &free {
        let tolerance = unit / gap[i] + unit / gap[free[0]];
        assert!((amount[i] / gap[i] - k).abs() <= tolerance, "row {i} off the common k");
    }
}

/// Hand computation (tests/fixtures/hand): gaps A 30, B 60, C 0, D 70 (total 160);
/// pool 100 → k = 0.625 → 18.75, 37.5, 0, 43.75. Floored: 18 + 37 + 0 + 43 = 98;
/// the 2 missing units go to the largest remainders, .75 (A) and .75 (D), tie by key.
#[test]
fn hand_example_matches_the_hand_computation() {
    let out = out_dir();
    let output = run_hand(out.path(), &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        read(&out.path().join("allocations.csv")),
        "code,name,grant,total\nA,Alpha,19,19\nB,Beta,37,37\nC,Gamma,0,0\nD,Delta,44,44\n"
    );
    let audit = csv_rows(&out.path().join("audit.csv"));
    assert_eq!(
        audit[0],
        [
            "code",
            "name",
            "need",
            "revenue",
            "gap",
            "grant.base",
            "grant.weight",
            "grant.cap",
            "grant.exact",
            "grant",
            "grant.bound",
            "total"
        ]
    );
    assert_eq!(
        decimal_column(&audit, "grant.exact"),
        vec![d("18.75"), d("37.5"), d("0"), d("43.75")]
    );
    let summary: serde_json::Value = serde_json::from_str(&read(&out.path().join("summary.json"))).unwrap();
    assert_eq!(summary["stages"][0]["k"], "0.625");
    // C has gap 0: weight 0, so it takes no part and is counted at neither bound.
    assert_eq!(summary["stages"][0]["units_at_cap"], 0);
}

#[test]
fn set_overrides_a_param_exactly() {
    let out = out_dir();
    let output = run_hand(out.path(), &["--set", "pool=150"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    // k = 150 / 160 = 0.9375: A 28.125, B 56.25, D 65.625 → 28 + 56 + 65 = 149, +1 to D (.625).
    assert_eq!(
        read(&out.path().join("allocations.csv")),
        "code,name,grant,total\nA,Alpha,28,28\nB,Beta,56,56\nC,Gamma,0,0\nD,Delta,66,66\n"
    );
}

#[test]
fn check_reports_ok_and_writes_nothing() {
    let output = equalize(&["check"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "ok: Demo equalization (synthetic) (built-in demo) on datasets/demo (Demo province (synthetic)): 100 units, 6 inputs, 10 vars, 1 stage; no problems found\n"
    );
}
