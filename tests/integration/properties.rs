//! Invariants of the solver and rounding, over generated units (proptest).

use equalize::allocate::{apportion, solve, Problem};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// A stage: (base, weight, floor, cap) per unit, plus a feasible pool and a unit.
/// Weights are positive (zero weights are covered by the solver's unit tests).
#[derive(Debug, Clone)]
struct Stage {
    base: Vec<Decimal>,
    weight: Vec<Decimal>,
    floor: Vec<Decimal>,
    cap: Vec<Decimal>,
    pool: Decimal,
    unit: Decimal,
}

fn stage() -> impl Strategy<Value = Stage> {
    let unit = prop_oneof![
        Just(Decimal::ONE),
        Just(Decimal::new(1, 2)),
        Just(Decimal::from(10_000))
    ];
    (
        prop::collection::vec((0i64..1_000_000, 1i64..5_000, 0i64..400_000, 0i64..2_000_000), 1..40),
        unit,
        0u32..=1000,
    )
        .prop_map(|(rows, unit, position)| {
            // Floors and caps as whole multiples of the unit, floor <= cap.
            let base = rows.iter().map(|r| Decimal::new(r.0, 2)).collect::<Vec<_>>();
            let weight = rows.iter().map(|r| Decimal::new(r.1, 1)).collect::<Vec<_>>();
            let floor: Vec<Decimal> = rows.iter().map(|r| Decimal::from(r.2) * unit).collect();
            let cap: Vec<Decimal> = rows
                .iter()
                .zip(&floor)
                .map(|(r, f)| f + Decimal::from(r.3) * unit)
                .collect();
            let low: Decimal = floor.iter().sum();
            let high: Decimal = cap.iter().sum();
            // A pool between the sums, as a whole number of units.
            let span_units = ((high - low) / unit).floor();
            let pool = low + (span_units * Decimal::from(position) / Decimal::from(1000)).floor() * unit;
            Stage {
                base,
                weight,
                floor,
                cap,
                pool,
                unit,
            }
        })
}

fn run(s: &Stage) -> (Vec<Decimal>, Vec<Decimal>) {
    let problem = Problem {
        base: &s.base,
        weight: &s.weight,
        floor: Some(&s.floor),
        cap: Some(&s.cap),
        pool: s.pool,
    };
    let solution = solve(&problem).expect("feasible by construction");
    let rounded = apportion(&solution.exact, s.unit, s.pool, Some(&s.cap)).expect("rounds");
    (solution.exact, rounded)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn rounded_total_is_the_pool_and_bounds_hold(s in stage()) {
        let (exact, rounded) = run(&s);
        prop_assert_eq!(rounded.iter().copied().sum::<Decimal>(), s.pool);
        let exact_total: Decimal = exact.iter().sum();
        prop_assert!((exact_total - s.pool).abs() < Decimal::new(1, 12), "exact total {} vs pool {}", exact_total, s.pool);
        for i in 0..rounded.len() {
            prop_assert!(s.floor[i] <= rounded[i] && rounded[i] <= s.cap[i], "unit {} outside its bounds", i);
            prop_assert!((rounded[i] - exact[i]).abs() < s.unit, "unit {} more than one unit from exact", i);
            prop_assert!((rounded[i] % s.unit).is_zero());
        }
    }

    #[test]
    fn permuting_units_permutes_the_result(s in stage(), seed in any::<u64>()) {
        let (exact, _) = run(&s);
        // Reverse then rotate: a permutation that moves every unit.
        let n = s.base.len();
        let order: Vec<usize> = (0..n).rev().cycle().skip((seed % n as u64) as usize).take(n).collect();
        let permuted = Stage {
            base: order.iter().map(|&i| s.base[i]).collect(),
            weight: order.iter().map(|&i| s.weight[i]).collect(),
            floor: order.iter().map(|&i| s.floor[i]).collect(),
            cap: order.iter().map(|&i| s.cap[i]).collect(),
            ..s.clone()
        };
        let (exact_permuted, _) = run(&permuted);
        for (j, &i) in order.iter().enumerate() {
            prop_assert!((exact_permuted[j] - exact[i]).abs() < Decimal::new(1, 15));
        }
    }

    #[test]
    fn scaling_all_weights_changes_no_amount(s in stage(), factor in 2i64..1000) {
        let (exact, _) = run(&s);
        let scaled = Stage { weight: s.weight.iter().map(|w| w * Decimal::from(factor)).collect(), ..s.clone() };
        let (exact_scaled, _) = run(&scaled);
        for i in 0..exact.len() {
            prop_assert!((exact[i] - exact_scaled[i]).abs() < Decimal::new(1, 12), "unit {}: {} vs {}", i, exact[i], exact_scaled[i]);
        }
    }

    #[test]
    fn a_larger_weight_never_gets_less(s in stage(), extra in 1i64..1000) {
        // Two units identical but for weight: the heavier one gets at least as much.
        let mut t = s.clone();
        t.base.push(Decimal::ZERO);
        t.weight.push(Decimal::from(extra));
        t.floor.push(Decimal::ZERO);
        t.cap.push(t.unit * Decimal::from(1_000_000));
        t.base.push(Decimal::ZERO);
        t.weight.push(Decimal::from(extra + 1));
        t.floor.push(Decimal::ZERO);
        t.cap.push(t.unit * Decimal::from(1_000_000));
        let n = t.base.len();
        let (exact, _) = run(&t);
        prop_assert!(exact[n - 1] >= exact[n - 2]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// A unit with weight 0 (and no bounds forcing it) takes nothing and changes no one else.
    #[test]
    fn adding_a_zero_weight_unit_changes_no_one_else(s in stage()) {
        let (exact, _) = run(&s);
        let mut t = s.clone();
        t.base.push(Decimal::ZERO);
        t.weight.push(Decimal::ZERO);
        t.floor.push(Decimal::ZERO);
        t.cap.push(t.unit * Decimal::from(1000));
        let (exact_more, rounded_more) = run(&t);
        prop_assert_eq!(exact_more[exact.len()], Decimal::ZERO);
        prop_assert_eq!(rounded_more[exact.len()], Decimal::ZERO);
        for i in 0..exact.len() {
            prop_assert!((exact[i] - exact_more[i]).abs() < Decimal::new(1, 15));
        }
    }

    /// Two levels: a national stage, then each group's share redistributed within the group
    /// by other weights. Every group gets back exactly what it received, and the national
    /// total is the pool.
    #[test]
    fn two_level_totals_reconcile(
        weights in prop::collection::vec((1i64..10_000, 1i64..10_000, 0usize..4), 2..40),
        pool_units in 1i64..10_000_000,
    ) {
        let unit = Decimal::from(10_000);
        let pool = Decimal::from(pool_units) * unit;
        let national: Vec<Decimal> = weights.iter().map(|w| Decimal::from(w.0)).collect();
        let zero = vec![Decimal::ZERO; weights.len()];
        let first = solve(&Problem { base: &zero, weight: &national, floor: None, cap: None, pool }).unwrap();
        let central = apportion(&first.exact, unit, pool, None).unwrap();
        prop_assert_eq!(central.iter().copied().sum::<Decimal>(), pool);
        let mut total = Decimal::ZERO;
        for group in 0..4 {
            let rows: Vec<usize> = (0..weights.len()).filter(|&i| weights[i].2 == group).collect();
            if rows.is_empty() { continue; }
            let group_pool: Decimal = rows.iter().map(|&i| central[i]).sum();
            let w: Vec<Decimal> = rows.iter().map(|&i| Decimal::from(weights[i].1)).collect();
            let z = vec![Decimal::ZERO; rows.len()];
            let second = solve(&Problem { base: &z, weight: &w, floor: None, cap: None, pool: group_pool }).unwrap();
            let amounts = apportion(&second.exact, unit, group_pool, None).unwrap();
            prop_assert_eq!(amounts.iter().copied().sum::<Decimal>(), group_pool);
            total += group_pool;
        }
        prop_assert_eq!(total, pool);
    }
}
