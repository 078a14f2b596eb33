//! Warnings about data that loads but looks wrong.
//!
//! Not errors: the run goes on. Each input can set its own thresholds in the
//! formula: `outlier_sd` (default 10; `0` turns the check off) flags values far
//! from the mean, and values over 300 times the median, which is what a value typed in
//! a smaller money unit (元 for 万元) looks like at any number of units; `compare_with` + `max_ratio` flags units whose value changed
//! by more than a factor from another column (say, last year's population).
//! Each check gives one warning per input, listing the units it found.

use rust_decimal::Decimal;

use super::{Column, Dataset};
use crate::diag::Diagnostic;
use crate::formula::program::Formula;
use crate::money;

/// Standard deviations from the mean beyond which a value is flagged, unless an input says otherwise.
pub const DEFAULT_OUTLIER_SD: Decimal = Decimal::TEN;
const UNITS_LISTED: usize = 20;

pub fn check(data: &Dataset, formula: &Formula) -> Vec<Diagnostic> {
    // Columns are checked independently (in parallel for large tables: a million units take
    // a mean, an sd and a median per column) and their warnings joined in input order.
    let per_input: Vec<Vec<Diagnostic>> = if data.len() >= crate::threads::PARALLEL_MIN_HEAVY {
        use rayon::prelude::*;
        (0..formula.inputs.len())
            .into_par_iter()
            .map(|index| check_input(data, formula, index))
            .collect()
    } else {
        (0..formula.inputs.len())
            .map(|index| check_input(data, formula, index))
            .collect()
    };
    per_input.into_iter().flatten().collect()
}

/// The warnings about one input's column.
fn check_input(data: &Dataset, formula: &Formula, index: usize) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let input = &formula.inputs[index];
    {
        let Column::Num(values) = &data.columns[index] else {
            return warnings;
        };
        if input.prior.is_some() {
            return warnings; // not data: a prior run's computed values
        }
        // The file the column was read from, where there is one.
        let file = data
            .input_files
            .get(index)
            .filter(|f| !f.is_empty())
            .unwrap_or(&data.origin);
        let limit = input.outlier_sd.unwrap_or(DEFAULT_OUTLIER_SD);
        if !limit.is_zero() && values.len() >= 3 {
            if let Some(flagged) = outliers(values, limit) {
                if !flagged.is_empty() {
                    warnings.push(
                        Diagnostic::warning_t(
                            "data-warn-outliers",
                            crate::args![input = &input.name, units = flagged.len(), limit = limit.to_string()],
                        )
                        .at_file(file)
                        .note(list(data, &flagged, values))
                        .note_t("data-warn-outliers-note", crate::args![input = &input.name]),
                    );
                }
            }
        }
        // The sd test cannot fire below ~100 units (the largest z-score is sqrt(n - 1));
        // a value 300 times the median can at any size. (The widest real spread in the
        // national data is 51 times the median; 元 for 万元 is 10,000 times.)
        if !limit.is_zero() {
            if let Some((median, flagged)) = far_from_median(values) {
                if !flagged.is_empty() {
                    warnings.push(
                        Diagnostic::warning_t(
                            "data-warn-far-from-median",
                            crate::args![
                                input = &input.name,
                                units = flagged.len(),
                                factor = MEDIAN_FACTOR,
                                median = money::format_grouped(median)
                            ],
                        )
                        .at_file(file)
                        .note(list(data, &flagged, values))
                        .note_t("data-warn-far-from-median-note", crate::args![input = &input.name]),
                    );
                }
            }
        }
        if let (Some((other, _)), Some(ratio)) = (&input.compare_with, input.max_ratio) {
            let Some(other_index) = formula.inputs.iter().position(|i| &i.name == other) else {
                return warnings;
            };
            let Column::Num(previous) = &data.columns[other_index] else {
                return warnings;
            };
            let flagged: Vec<usize> = (0..values.len())
                .filter(|&row| changed_beyond(values[row], previous[row], ratio))
                .collect();
            if !flagged.is_empty() {
                warnings.push(
                    Diagnostic::warning_t(
                        "data-warn-changed",
                        crate::args![
                            input = &input.name,
                            units = flagged.len(),
                            ratio = ratio.to_string(),
                            other = other
                        ],
                    )
                    .at_file(file)
                    .note(list(data, &flagged, values)),
                );
            }
        }
    }
    warnings
}

fn changed_beyond(value: Decimal, previous: Decimal, ratio: Decimal) -> bool {
    if previous.is_zero() || value.is_zero() {
        return previous != value;
    }
    let (Some(up), Some(down)) = (previous.checked_mul(ratio), value.checked_mul(ratio)) else {
        return false;
    };
    value.abs() > up.abs() || previous.abs() > down.abs()
}

/// Rows further than `limit` standard deviations from the mean (population sd, key order).
///
/// Decided in floats where floats can decide it, else exactly: a column's mean and sd in exact
/// decimals cost more than the rest of a county-level run's loading (28-digit squares),
/// and all but a value lying on the limit are decided the same way by floats.
fn outliers(values: &[Decimal], limit: Decimal) -> Option<Vec<usize>> {
    match outliers_by_float(values, limit) {
        Decided::Yes(flagged) => flagged,
        Decided::TooClose => outliers_exact(values, limit),
    }
}

/// What the float computation could decide.
enum Decided {
    /// The exact computation's answer: the same rows, or `None` where it would overflow.
    Yes(Option<Vec<usize>>),
    /// A value's distance from the mean is too near the limit for floats, or a sum too
    /// near overflow: only the exact computation can tell.
    TooClose,
}

/// [`outliers`] in floats, compared as squares: `(x - mean)² > limit² × variance`.
///
/// Every float here is within a known bound of its exact counterpart: each value within
/// 1e-14 of its magnitude (`sorting::approx`), a sum of n terms within n × 2⁻⁵³ of the sum
/// of their magnitudes, so the mean within (1e-14 + n × 2⁻⁵³) × M and each square and the
/// variance within a small multiple of that times M², M the largest magnitude. A value
/// is decided by floats only when its square is further than 64 times that bound from
/// the limit; else the exact computation decides (the decimal one rounds at the 28th
/// digit, far inside the margin). Overflow, which makes the exact computation give up
/// (`None`), is decided the same way with a margin.
fn outliers_by_float(values: &[Decimal], limit: Decimal) -> Decided {
    use crate::sorting::approx;
    if values.is_empty() || limit <= Decimal::ZERO {
        return Decided::TooClose; // nothing to average, or a bound no square can express
    }
    const OVERFLOW: f64 = 7.9e28; // float-ok: Decimal::MAX, the exact sums' limit
    let n = values.len() as f64; // float-ok: counts
    let x: Vec<f64> = values.iter().map(|v| approx(*v)).collect(); // float-ok: decided with a margin
    let largest = x.iter().fold(0.0_f64, |m, v| m.max(v.abs())); // float-ok
    let (mut sum, mut widest) = (0.0_f64, 0.0_f64); // float-ok
    for v in &x {
        sum += v;
        widest = widest.max(sum.abs());
    }
    if widest > OVERFLOW * 0.5 {
        return Decided::TooClose; // the exact sum may overflow on the way
    }
    let mean = sum / n;
    let squares: f64 = x.iter().map(|v| (v - mean) * (v - mean)).sum(); // float-ok
    if squares > OVERFLOW * 2.0 {
        return Decided::Yes(None); // the exact squares overflow for certain
    }
    if squares > OVERFLOW * 0.5 {
        return Decided::TooClose;
    }
    let variance = squares / n;
    let limit_f = approx(limit); // float-ok
    let bound = limit_f * limit_f * variance;
    // The exact computation multiplies sd by the limit: overflow there gives None too.
    if variance.sqrt() * limit_f > OVERFLOW * 0.5 {
        return Decided::TooClose;
    }
    let unit = 2f64.powi(-53); // float-ok
    let error_of_mean = (1e-14 + n * unit) * largest;
    let margin = 64.0 * (error_of_mean * largest + n * unit * largest * largest) * (1.0 + limit_f * limit_f);
    let mut flagged = Vec::new();
    for (row, v) in x.iter().enumerate() {
        let square = (v - mean) * (v - mean);
        if (square - bound).abs() <= margin {
            return Decided::TooClose;
        }
        if square > bound {
            flagged.push(row);
        }
    }
    Decided::Yes(Some(flagged))
}

/// [`outliers`] in exact decimals.
fn outliers_exact(values: &[Decimal], limit: Decimal) -> Option<Vec<usize>> {
    let (mean, sd) = crate::stats::mean_sd(values)?;
    if sd.is_zero() {
        return Some(Vec::new());
    }
    let bound = sd.checked_mul(limit)?;
    Some(
        (0..values.len())
            .filter(|&i| (values[i] - mean).abs() > bound)
            .collect(),
    )
}

/// How far above the median a value is flagged.
const MEDIAN_FACTOR: u32 = 300;

/// The median of the non-zero magnitudes and the rows over [`MEDIAN_FACTOR`] times it (key order); None
/// below five non-zero values. Only the high side: a county with 97 rural residents
/// against a median of 147,963 is real (the census has two), one 300 times the median
/// county is not.
fn far_from_median(values: &[Decimal]) -> Option<(Decimal, Vec<usize>)> {
    let mut magnitudes: Vec<Decimal> = values.iter().filter(|v| !v.is_zero()).map(|v| v.abs()).collect();
    if magnitudes.len() < 5 {
        return None;
    }
    // The middle one(s) by selection, not a full sort: linear time for a million values.
    let middle = magnitudes.len() / 2;
    let odd = magnitudes.len() % 2 == 1;
    let (below, upper, _) = magnitudes.select_nth_unstable(middle);
    let upper = *upper;
    let median = if odd {
        upper
    } else {
        let lower = below.iter().copied().max()?;
        lower.checked_add(upper)? / Decimal::TWO
    };
    let high = median.checked_mul(Decimal::from(MEDIAN_FACTOR))?;
    let flagged = (0..values.len()).filter(|&i| values[i].abs() > high).collect();
    Some((median, flagged))
}

fn list(data: &Dataset, rows: &[usize], values: &[Decimal]) -> String {
    let shown: Vec<String> = rows
        .iter()
        .take(UNITS_LISTED)
        .map(|&r| format!("{} = {}", data.describe_unit(r), money::format_plain(values[r])))
        .collect();
    let more = rows.len().saturating_sub(UNITS_LISTED);
    if more > 0 {
        crate::tr!("data-warn-units-and-more", units = shown.join(", "), more = more)
    } else {
        shown.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_far_values_and_large_changes() {
        let mut values: Vec<Decimal> = (0..200).map(|i| Decimal::from(100 + i % 7)).collect();
        values.push(Decimal::from(100_000));
        assert_eq!(outliers(&values, Decimal::TEN), Some(vec![200]));
        assert!(changed_beyond(Decimal::from(300), Decimal::from(100), Decimal::TWO));
        assert!(changed_beyond(Decimal::from(40), Decimal::from(100), Decimal::TWO));
        assert!(!changed_beyond(Decimal::from(150), Decimal::from(100), Decimal::TWO));
        assert!(changed_beyond(Decimal::from(1), Decimal::ZERO, Decimal::TWO));
    }

    #[test]
    fn a_value_lying_on_the_limit_is_left_to_the_exact_computation() {
        // 100 zeros and one value: its z-score is sqrt(100) = 10 exactly, on the default limit.
        let mut values = vec![Decimal::ZERO; 100];
        values.push(Decimal::from(1_234_567));
        assert!(matches!(outliers_by_float(&values, Decimal::TEN), Decided::TooClose));
        assert_eq!(outliers(&values, Decimal::TEN), outliers_exact(&values, Decimal::TEN));
        // Off the limit, floats decide, and decide as the exact computation does.
        for limit in [Decimal::new(99, 1), Decimal::new(101, 1)] {
            let Decided::Yes(by_float) = outliers_by_float(&values, limit) else {
                panic!("{limit} is far enough from 10 for floats");
            };
            assert_eq!(by_float, outliers_exact(&values, limit));
        }
        assert_eq!(outliers(&values, Decimal::new(99, 1)), Some(vec![100]));
        // Equal values (sd 0) and sums near overflow go to the exact computation too.
        assert!(matches!(
            outliers_by_float(&[Decimal::new(7, 1); 5], Decimal::TEN),
            Decided::TooClose
        ));
        let huge = vec![Decimal::MAX / Decimal::TWO; 3];
        assert!(matches!(outliers_by_float(&huge, Decimal::TEN), Decided::TooClose));
        assert_eq!(outliers(&huge, Decimal::TEN), outliers_exact(&huge, Decimal::TEN));
    }

    proptest::proptest! {
        /// Floats first or not, the rows flagged are the exact computation's.
        #[test]
        fn outliers_by_float_first_are_the_exact_ones(
            values in proptest::collection::vec((-10_000_000_000i64..10_000_000_000, 0u32..6), 3..300),
            far in proptest::collection::vec((0usize..300, 1i64..1_000_000), 0..4),
            limit in 1i64..200,
        ) {
            let mut values: Vec<Decimal> = values.into_iter().map(|(m, s)| Decimal::new(m, s)).collect();
            for (row, factor) in far {
                let row = row % values.len();
                values[row] = values[row].saturating_mul(Decimal::from(factor));
            }
            let limit = Decimal::new(limit, 1);
            proptest::prop_assert_eq!(outliers(&values, limit), outliers_exact(&values, limit));
        }
    }

    #[test]
    fn one_county_in_yuan_among_88_in_10000_yuan_is_flagged_where_the_sd_test_cannot_be() {
        // Revenues of 88 counties in 万元, one typed in 元 (116,010,000 for 11,601).
        let mut values: Vec<Decimal> = (0..88).map(|i| Decimal::from(2_000 + (i * 977) % 40_000)).collect();
        values[17] = Decimal::from(116_010_000);
        assert_eq!(
            outliers(&values, Decimal::TEN),
            Some(vec![]),
            "z can be at most sqrt(87) = 9.3"
        );
        let (_, flagged) = far_from_median(&values).unwrap();
        assert_eq!(flagged, vec![17]);
        // A small county typed in 元 lands fewer times above the median: 400 times is flagged
        // (the analyst's case was 921 times, under the first threshold of 1,000).
        let median = far_from_median(&values).unwrap().0;
        values[17] = median * Decimal::from(400);
        assert_eq!(far_from_median(&values).unwrap().1, vec![17]);
        values[17] = median * Decimal::from(250);
        assert_eq!(far_from_median(&values).unwrap().1, Vec::<usize>::new());
        // Real spreads (a hundredfold between counties) are not flagged.
        let spread: Vec<Decimal> = (0..3000).map(|i| Decimal::from(1_000 + i * 33)).collect();
        assert_eq!(far_from_median(&spread).unwrap().1, Vec::<usize>::new());
    }

    #[test]
    fn columns_checked_in_parallel_report_in_input_order() {
        let mut sources = crate::diag::Sources::default();
        let id = sources.add(
            "w.toml",
            "[formula]\nname = \"w\"\nkey = \"code\"\n[inputs.a]\n[inputs.b]\n[inputs.c]\n\
             [[allocation]]\nname = \"grant\"\npool = \"100\"\nweight = \"a\"\n"
                .to_string(),
        );
        let formula = crate::formula::load(&sources, id).unwrap();
        let units = 20_000; // past the parallel threshold
        let keys: Vec<String> = (0..units).map(|i| format!("{i:05}")).collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let column = |far: usize| -> Vec<i64> {
            (0..units)
                .map(|i| if i == far { 10_000_000 } else { 100 + (i % 7) as i64 })
                .collect()
        };
        let (a, b, c) = (column(5), column(1), column(9_999));
        let data = Dataset::of_numbers("w", &keys, &[&a, &b, &c]);
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let warnings = pool.install(|| check(&data, &formula));
        let one_by_one: Vec<String> = (0..3)
            .flat_map(|i| check_input(&data, &formula, i))
            .map(|w| w.message)
            .collect();
        let messages: Vec<String> = warnings.into_iter().map(|w| w.message).collect();
        assert_eq!(messages, one_by_one);
        // Each column: one value far from the mean and from the median, in input order.
        let inputs: Vec<&str> = messages.iter().map(|m| &m[..9]).collect();
        assert_eq!(
            inputs,
            [
                "input 'a'",
                "input 'a'",
                "input 'b'",
                "input 'b'",
                "input 'c'",
                "input 'c'"
            ]
        );
    }

    #[test]
    fn the_median_of_the_non_zero_magnitudes_by_hand() {
        let d = |v: &[i64]| v.iter().map(|&x| Decimal::from(x)).collect::<Vec<_>>();
        // Odd: 1, 2, 3, 5, 9 -> 3 (zeros left out, signs dropped).
        assert_eq!(far_from_median(&d(&[9, 0, -1, 3, 5, 2])).unwrap().0, Decimal::from(3));
        // Even: 1, 2, 3, 4, 5, 6 -> 3.5.
        assert_eq!(far_from_median(&d(&[6, 1, 5, 2, 4, 3])).unwrap().0, Decimal::new(35, 1));
    }
}
