//! Equalization metrics: how unequal per-capita fiscal capacity is, before and after.
//!
//! Per-capita capacity before transfers is `capacity / population` for every unit
//! with a population (the formula's `[metrics]`, by default `standard_revenue` or
//! `revenue` per `population`); after transfers, `(capacity + total) / population`.
//! Means, max/min ratios and the poorest-quintile share are exact decimals (divisions to
//! 28 significant digits). The coefficient of variation, the Gini and the Theil indices
//! are computed in binary floating point (f64, compensated sums) and written to 12
//! significant digits, which the tests check against the 28-digit decimal computation
//! (agreement to 1e-12 relative). They are descriptive statistics, never amounts: no
//! money passes through a float. Sums run in key order; each side is sorted once.

use std::borrow::Cow;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::audit::values::{Named, Values};
use crate::money;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Metrics {
    /// What is measured: `capacity` per `population`.
    pub capacity: String,
    pub population: String,
    /// Units with a positive population (the others are left out).
    pub units: usize,
    pub before: Inequality,
    pub after: Inequality,
    /// Share of the transfers going to the poorest fifth of the population (ranked by
    /// per-capita capacity before transfers).
    pub poorest_quintile_share: String,
}

impl Metrics {
    /// (name, before, after) of each measure, in the order reports show them.
    pub fn rows(&self) -> Vec<(MetricName, &str, &str)> {
        let (b, a) = (&self.before, &self.after);
        use MetricName::*;
        vec![
            (Gini, &b.gini, &a.gini),
            (GiniWeighted, &b.weighted_gini, &a.weighted_gini),
            (Cv, &b.coefficient_of_variation, &a.coefficient_of_variation),
            (
                CvWeighted,
                &b.weighted_coefficient_of_variation,
                &a.weighted_coefficient_of_variation,
            ),
            (Theil, &b.theil, &a.theil),
            (TheilWeighted, &b.weighted_theil, &a.weighted_theil),
            (MaxMin, &b.max_min_ratio, &a.max_min_ratio),
            (MinMean, &b.min_to_mean, &a.min_to_mean),
        ]
    }
}

/// The name of a metric row: in English in the files (reports are the same on every
/// machine) and in the user's language in the terminal (`locales/*.ftl`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricName {
    Gini,
    GiniWeighted,
    Cv,
    CvWeighted,
    Theil,
    TheilWeighted,
    MaxMin,
    MinMean,
}

impl MetricName {
    pub fn english(self) -> &'static str {
        match self {
            MetricName::Gini => "Gini",
            MetricName::GiniWeighted => "Gini, population-weighted",
            MetricName::Cv => "coefficient of variation",
            MetricName::CvWeighted => "CV, population-weighted",
            MetricName::Theil => "Theil",
            MetricName::TheilWeighted => "Theil, population-weighted",
            MetricName::MaxMin => "max / min",
            MetricName::MinMean => "lowest / mean",
        }
    }

    /// Its message in the catalogues.
    pub fn message_id(self) -> &'static str {
        match self {
            MetricName::Gini => "metric-gini",
            MetricName::GiniWeighted => "metric-gini-weighted",
            MetricName::Cv => "metric-cv",
            MetricName::CvWeighted => "metric-cv-weighted",
            MetricName::Theil => "metric-theil",
            MetricName::TheilWeighted => "metric-theil-weighted",
            MetricName::MaxMin => "metric-max-min",
            MetricName::MinMean => "metric-min-mean",
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Inequality {
    pub mean: String,
    pub coefficient_of_variation: String,
    pub gini: String,
    pub theil: String,
    pub max_min_ratio: String,
    pub min_to_mean: String,
    pub weighted_mean: String,
    pub weighted_coefficient_of_variation: String,
    pub weighted_gini: String,
    pub weighted_theil: String,
}

/// The numbers, before being printed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measures {
    pub mean: Decimal,
    pub cv: Decimal,
    pub gini: Decimal,
    pub theil: Decimal,
    /// None when the smallest value is zero or less (the ratio is undefined).
    pub max_min: Option<Decimal>,
    pub min_to_mean: Decimal,
}

/// One unit's per-capita capacity before and after the transfers (for charts).
#[derive(Debug, Clone)]
pub struct PerCapita {
    pub key: String,
    pub label: String,
    pub population: Decimal,
    pub before: Decimal,
    pub after: Decimal,
}

/// Per-capita capacity of every unit with a population, in key order.
pub fn per_capita(values: &Values) -> Option<Vec<PerCapita>> {
    let basis = values.formula.metrics?;
    let mut out = Vec::new();
    for row in 0..values.data.len() {
        let population = values.number(Named::Ref(basis.population), row)?;
        if population <= Decimal::ZERO {
            continue;
        }
        let capacity = values.number(Named::Ref(basis.capacity), row)?;
        let total = values.number(Named::Total, row)?;
        out.push(PerCapita {
            key: values.data.keys[row].to_string(),
            label: values
                .data
                .labels
                .as_ref()
                .map(|l| l[row].to_string())
                .unwrap_or_default(),
            population,
            before: capacity.checked_div(population)?,
            after: capacity.checked_add(total)?.checked_div(population)?,
        });
    }
    Some(out)
}

/// Metrics of a computed run, if the formula has a metrics basis.
pub fn compute(values: &Values) -> Option<Metrics> {
    compute_parts(values, true, true, None)
}

/// The metrics after transfers only, for sweeps (the "before" side does not change from
/// scenario to scenario). The Theil index, a logarithm per unit, is computed only when
/// asked for (empty otherwise), so that a sweep's columns stay what its file asks.
/// `reuse` carries what the previous scenario on this thread computed (see [`Reuse`]).
pub fn compute_after(values: &Values, theil: bool, reuse: &mut Reuse) -> Option<Metrics> {
    compute_parts(values, false, theil, Some(reuse))
}

/// What consecutive scenarios of a sweep share in their metrics, kept by each worker: the
/// ranking before transfers (per-capita capacity and its order), used again while the
/// capacity and population columns are equal to the ones it was computed from, and the
/// last ranking after transfers, used again when it still sorts the new values (checked
/// in one pass; the order is total, ties by row, so a reused order is the order a sort
/// would give). Only time changes: the figures are the same with or without it.
#[derive(Debug, Default)]
pub struct Reuse {
    capacity: Vec<Decimal>,
    population: Vec<Decimal>,
    before_order: Vec<usize>,
    after_order: Vec<usize>,
    /// The population as floats, for the weighted statistics.
    population_floats: Vec<f64 /* float-ok: statistics */>,
    /// Rankings taken from the previous scenario and rankings sorted afresh (for tests).
    pub reused: usize,
    pub sorted: usize,
}

fn compute_parts(values: &Values, with_before: bool, with_theil: bool, reuse: Option<&mut Reuse>) -> Option<Metrics> {
    let basis = values.formula.metrics?;
    let rows = values.data.len();
    let (population, capacity, total) = (Named::Ref(basis.population), Named::Ref(basis.capacity), Named::Total);
    // The units with a population; when that is every unit (the usual case), the run's own
    // columns, not copies of them (a million units' three copies took 48 MB).
    let columns = [population, capacity, total].map(|named| values.numbers(named).filter(|c| c.len() == rows));
    type Column<'a> = Cow<'a, [Decimal]>;
    let (capacities, weights, transfers): (Column, Column, Column) = match columns {
        [Some(p), Some(c), Some(t)] if p.iter().all(|p| *p > Decimal::ZERO) => {
            (Cow::Borrowed(c), Cow::Borrowed(p), Cow::Borrowed(t))
        }
        _ => {
            let (mut capacities, mut weights, mut transfers) = (Vec::new(), Vec::new(), Vec::new());
            for row in 0..rows {
                let population = values.number(population, row)?;
                if population <= Decimal::ZERO {
                    continue;
                }
                capacities.push(values.number(capacity, row)?);
                weights.push(population);
                transfers.push(values.number(total, row)?);
            }
            (Cow::Owned(capacities), Cow::Owned(weights), Cow::Owned(transfers))
        }
    };
    let (capacities, weights, transfers) = (&*capacities, &*weights, &*transfers);
    if weights.is_empty() {
        return None;
    }
    let before_transfers =
        || -> Option<Vec<Decimal>> { capacities.iter().zip(weights).map(|(c, p)| c.checked_div(*p)).collect() };
    let after: Vec<Decimal> = capacities
        .iter()
        .zip(transfers)
        .zip(weights)
        .map(|((c, t), p)| c.checked_add(*t)?.checked_div(*p))
        .collect::<Option<_>>()?;
    // Each side is sorted once, for both Gini indices (and the poorest fifth); a sweep
    // takes the previous scenario's order when it still holds.
    let mut before = Vec::new();
    let (before_order, after_order, weights_f) = match reuse {
        Some(r) => {
            // Bit for bit: a value written at another scale can convert to another float.
            if !same_bits(&r.capacity, capacities) || !same_bits(&r.population, weights) || with_before {
                before = before_transfers()?;
                let (order, population_floats) = (ascending(&before), floats(weights)?);
                r.before_order = order;
                r.population_floats = population_floats;
                r.capacity = capacities.to_vec();
                r.population = weights.to_vec();
            }
            if still_ascending(&after, &r.after_order) {
                r.reused += 1;
            } else {
                r.after_order = ascending(&after);
                r.sorted += 1;
            }
            (
                r.before_order.clone(),
                r.after_order.clone(),
                Cow::Borrowed(&r.population_floats[..]),
            )
        }
        None => {
            // The two sides are independent: each on its own thread for a large run.
            let (b, a) = both(crate::threads::worth_parallel(after.len()), before_transfers, || {
                ascending(&after)
            });
            before = b?;
            (ascending(&before), a, Cow::Owned(floats(weights)?))
        }
    };
    let set = |x: &[Decimal], order: &[usize]| -> Option<Inequality> {
        let logs = if with_theil { Some(logarithms(x)?) } else { None };
        let x_f = floats(x)?;
        let plain = measures_with_logs((x, &x_f), Weights::Ones, logs.as_deref(), order)?;
        let weighted = measures_with_logs((x, &x_f), Weights::Given(weights, &weights_f), logs.as_deref(), order)?;
        let theil = |t: Decimal| if with_theil { show_statistic(t) } else { String::new() };
        Some(Inequality {
            mean: show(plain.mean),
            coefficient_of_variation: show_statistic(plain.cv),
            gini: show_statistic(plain.gini),
            theil: theil(plain.theil),
            max_min_ratio: plain.max_min.map(show).unwrap_or_default(),
            min_to_mean: show(plain.min_to_mean),
            weighted_mean: show(weighted.mean),
            weighted_coefficient_of_variation: show_statistic(weighted.cv),
            weighted_gini: show_statistic(weighted.gini),
            weighted_theil: theil(weighted.theil),
        })
    };
    let (before_set, after_set) = both(
        with_before && crate::threads::worth_parallel(after.len()),
        || {
            if with_before {
                set(&before, &before_order)
            } else {
                Some(empty())
            }
        },
        || set(&after, &after_order),
    );
    Some(Metrics {
        capacity: values.name(basis.capacity),
        population: values.name(basis.population),
        units: weights.len(),
        before: before_set?,
        after: after_set?,
        poorest_quintile_share: show(poorest_quintile_share(&before_order, weights, transfers)?),
    })
}

/// `a()` and `b()`, on two threads when `parallel` (each is a pure function of its
/// inputs, so the results are the same either way).
fn both<A: Send, B: Send>(parallel: bool, a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    if parallel {
        rayon::join(a, b)
    } else {
        (a(), b())
    }
}

/// Whether two columns hold the same decimals, scale and sign included.
fn same_bits(a: &[Decimal], b: &[Decimal]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.serialize() == y.serialize())
}

/// Whether `order` lists every index of `x` once in ascending order of value, ties by
/// index: the one order [`ascending`] gives.
fn still_ascending(x: &[Decimal], order: &[usize]) -> bool {
    order.len() == x.len()
        && order.windows(2).all(|w| match x[w[0]].cmp(&x[w[1]]) {
            std::cmp::Ordering::Less => true,
            std::cmp::Ordering::Equal => w[0] < w[1],
            std::cmp::Ordering::Greater => false,
        })
}

fn empty() -> Inequality {
    Inequality {
        mean: String::new(),
        coefficient_of_variation: String::new(),
        gini: String::new(),
        theil: String::new(),
        max_min_ratio: String::new(),
        min_to_mean: String::new(),
        weighted_mean: String::new(),
        weighted_coefficient_of_variation: String::new(),
        weighted_gini: String::new(),
        weighted_theil: String::new(),
    }
}

/// ln(x) of every positive x (None for the others), in f64, shared by the weighted and
/// unweighted Theil index.
/// `ln x` of each positive value, NaN for the others (they take no part in Theil's index;
/// the logarithm of a positive finite value is never NaN). 8 bytes a unit, not 16.
fn logarithms(x: &[Decimal]) -> Option<Vec<f64 /* float-ok: Theil */>> {
    x.iter()
        .map(|v| {
            if *v > Decimal::ZERO {
                Some(v.to_f64()?.ln())
            } else {
                Some(f64::NAN) // float-ok: Theil, not money
            }
        })
        .collect()
}

/// Each unit's weight for [`measures_with_logs`], exact and as a float: given, or 1 for every
/// unit (the unweighted indices, without a column of ones: a million units' ones took
/// 24 MB). The measures do the same operations with either, so 1 gives the very results a
/// column of ones gave.
#[derive(Clone, Copy)]
enum Weights<'a> {
    Ones,
    Given(&'a [Decimal], &'a [f64]), // float-ok: statistics
}

impl Weights<'_> {
    fn exact(self, i: usize) -> Decimal {
        match self {
            Weights::Ones => Decimal::ONE,
            Weights::Given(w, _) => w[i],
        }
    }

    fn float(self, i: usize) -> f64 /* float-ok: statistics */ {
        match self {
            Weights::Ones => 1.0,
            Weights::Given(_, w) => w[i],
        }
    }
}

/// The values as f64, for the statistics (never for an amount).
fn floats(values: &[Decimal]) -> Option<Vec<f64 /* float-ok: statistics */>> {
    values.iter().map(|v| v.to_f64()).collect()
}

/// A Neumaier-compensated sum: thousands to millions of terms of mixed sign keep about
/// 15 significant digits, which the 12 written need.
struct Compensated;

impl Compensated {
    fn sum(terms: impl Iterator<Item = f64 /* float-ok */>) -> f64 /* float-ok */ {
        let (mut sum, mut compensation) = (0.0f64, 0.0f64); // float-ok: statistics
        for term in terms {
            let t = sum + term;
            compensation += if sum.abs() >= term.abs() {
                (sum - t) + term
            } else {
                (term - t) + sum
            };
            sum = t;
        }
        sum + compensation
    }
}

/// Significant digits the statistics computed in f64 (CV, Gini, Theil) are written with:
/// what f64 with compensated sums gives reliably (the tests check 1e-12 relative against
/// exact decimals).
pub const STATISTIC_DIGITS: u32 = 12;

/// Theil T in f64: sum_i (w_i / W) (x_i / mean) (ln x_i - ln mean), a zero x contributing 0;
/// the sum compensated (Neumaier) so that thousands of terms keep their precision.
// float-ok: Theil's index is a statistic (12 significant digits, tested), never an amount.
fn theil_in_floats(
    xf: &[f64], // float-ok: statistics
    w: Weights,
    logs: &[f64], // float-ok: statistics
    mean: Decimal,
    total_weight: Decimal,
) -> Option<Decimal> {
    if mean <= Decimal::ZERO {
        return Some(Decimal::ZERO);
    }
    let (mean, total_weight) = (mean.to_f64()?, total_weight.to_f64()?); // float-ok: Theil
    let ln_mean = mean.ln();
    let terms = (0..xf.len())
        .filter(|&i| !logs[i].is_nan())
        .map(|i| (w.float(i) / total_weight) * (xf[i] / mean) * (logs[i] - ln_mean));
    let theil = Compensated::sum(terms);
    if !theil.is_finite() {
        return None;
    }
    Decimal::from_f64_retain(theil)
}

/// A statistic computed in f64 (CV, Gini, Theil) as written: 12 significant digits (see
/// [`STATISTIC_DIGITS`]).
fn show_statistic(value: Decimal) -> String {
    show(value.round_sf(STATISTIC_DIGITS).unwrap_or(value))
}

fn show(value: Decimal) -> String {
    money::format_plain(value)
}

/// Mean, CV, Gini and Theil of `x` with weights `w` (all ones for the unweighted forms),
/// max/min and min/mean.
pub fn measures(x: &[Decimal], w: &[Decimal]) -> Option<Measures> {
    let wf = floats(w)?;
    measures_with_logs(
        (x, &floats(x)?),
        Weights::Given(w, &wf),
        Some(&logarithms(x)?),
        &ascending(x),
    )
}

/// The indices of `x` in ascending order of value, ties by index: the same order on any
/// number of threads (the sort is parallel; the order is total).
fn ascending(x: &[Decimal]) -> Vec<usize> {
    use crate::sorting::{approx, float_is_exact, sort_by_float_first};
    type Keyed = (f64, usize); // float-ok: ordering only
    let mut keyed: Vec<Keyed> = x.iter().enumerate().map(|(i, v)| (approx(*v), i)).collect();
    // Whole numbers (integral per-capita amounts, often tied) compare as their floats.
    let exact_float: Vec<bool> = x.iter().map(|v| float_is_exact(*v)).collect();
    let exact = |a: &Keyed, b: &Keyed| {
        let by_value = if exact_float[a.1] && exact_float[b.1] {
            // Both floats are the values: -0 and 0 are equal, as decimals.
            a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal)
        } else {
            x[a.1].cmp(&x[b.1])
        };
        by_value.then(a.1.cmp(&b.1))
    };
    sort_by_float_first(&mut keyed, |k| k.0, exact);
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// `x` and `w` each exact and as floats (converted once by the caller: both Gini indices
/// share them).
fn measures_with_logs(
    (x, xf): (&[Decimal], &[f64]), // float-ok: statistics
    w: Weights,
    logs: Option<&[f64]>, // float-ok: statistics
    order: &[usize],
) -> Option<Measures> {
    let (weighted, total_weight) = crate::stats::weighted_sums(x, (0..x.len()).map(|i| w.exact(i)))?;
    let mean = weighted.checked_div(total_weight)?;
    let (mean_f, total_f) = (mean.to_f64()?, total_weight.to_f64()?); // float-ok: statistics
    let from_f64 = |v: f64 /* float-ok */| {
        if v.is_finite() {
            Decimal::from_f64_retain(v)
        } else {
            None
        }
    };

    // CV: the weighted population standard deviation over the mean.
    let cv = if mean.is_zero() {
        Decimal::ZERO
    } else {
        let squares = Compensated::sum((0..xf.len()).map(|i| w.float(i) * (xf[i] - mean_f) * (xf[i] - mean_f)));
        from_f64((squares / total_f).sqrt() / mean_f)?
    };

    // Gini: sum_i sum_j w_i w_j |x_i - x_j| / (2 W^2 mean). In ascending order this is
    // sum_i w_i x_i (W_before_i - W_after_i) / (W^2 mean): O(n log n).
    let gini = if mean.is_zero() {
        Decimal::ZERO
    } else {
        let mut before = 0.0f64; // float-ok: statistics
        let numerator = Compensated::sum(order.iter().map(|&i| {
            let after = total_f - before - w.float(i);
            let term = w.float(i) * xf[i] * (before - after);
            before += w.float(i);
            term
        }));
        from_f64(numerator / (total_f * total_f) / mean_f)?
    };

    // Not asked for (written empty): not computed.
    let theil = match logs {
        Some(logs) => theil_in_floats(xf, w, logs, mean, total_weight)?,
        None => Decimal::ZERO,
    };
    let min = x[*order.first()?];
    let max = x[*order.last()?];
    // Undefined when the smallest is zero or less: not 0, which would read as equality.
    let max_min = if min > Decimal::ZERO {
        max.checked_div(min)
    } else {
        None
    };
    let min_to_mean = if mean.is_zero() {
        Decimal::ZERO
    } else {
        min.checked_div(mean)?
    };
    Some(Measures {
        mean,
        cv,
        gini,
        theil,
        max_min,
        min_to_mean,
    })
}

/// The share of transfers received by the poorest fifth of the population, ranked by
/// per-capita capacity before transfers (ties by key): units are taken in order while
/// the population taken so far is below 20% of the total.
fn poorest_quintile_share(order: &[usize], population: &[Decimal], transfers: &[Decimal]) -> Option<Decimal> {
    let total_population = population.iter().try_fold(Decimal::ZERO, |a, b| a.checked_add(*b))?;
    let total_transfers = transfers.iter().try_fold(Decimal::ZERO, |a, b| a.checked_add(*b))?;
    if total_transfers.is_zero() {
        return Some(Decimal::ZERO);
    }
    let fifth = total_population.checked_div(Decimal::from(5))?;
    let mut taken = Decimal::ZERO;
    let mut received = Decimal::ZERO;
    for &i in order {
        if taken >= fifth {
            break;
        }
        taken = taken.checked_add(population[i])?;
        received = received.checked_add(transfers[i])?;
    }
    received.checked_div(total_transfers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    proptest::proptest! {
        /// The ranking is the exact one (by value, ties by row) for values with many ties,
        /// whole and not, either sign, zeros of both signs, and whole numbers beyond 2^53
        /// (whose floats no longer tell them apart).
        #[test]
        fn ascending_is_the_exact_order_with_ties_and_whole_numbers(
            parts in proptest::collection::vec((-6i64..6, 0u32..3, 0u8..4), 1..300),
        ) {
            let big = 1i64 << 53;
            let x: Vec<Decimal> = parts
                .iter()
                .map(|&(m, scale, kind)| match kind {
                    0 => Decimal::new(m, scale),
                    1 => Decimal::new(m, 0),
                    2 => Decimal::new(big + m, 0),
                    _ => Decimal::new(-m * 10, 1),
                })
                .chain([Decimal::new(0, 0), -Decimal::new(0, 0), Decimal::new(-0, 2)])
                .collect();
            let mut expected: Vec<usize> = (0..x.len()).collect();
            expected.sort_by(|&a, &b| x[a].cmp(&x[b]).then(a.cmp(&b)));
            proptest::prop_assert_eq!(ascending(&x), expected);
        }
    }

    #[test]
    fn hand_computed_measures_of_1_2_3_6() {
        // x = 1, 2, 3, 6: mean 3; deviations -2, -1, 0, 3: variance (4+1+0+9)/4 = 3.5;
        // sd = 1.8708286933869706927918743662; CV = sd / 3.
        // Gini: sum of |xi - xj| over ordered pairs = 2 x (1+2+5+1+4+3) = 32; / (2 x 16 x 3) = 1/3.
        let x = [d("1"), d("2"), d("3"), d("6")];
        let ones = [Decimal::ONE; 4];
        let m = measures(&x, &ones).unwrap();
        assert_eq!(m.mean, d("3"));
        assert_eq!(m.gini.round_dp(12), d("0.333333333333"));
        assert_eq!(m.cv.round_dp(12), d("0.623609564462"));
        assert_eq!(m.max_min, Some(d("6")));
        assert_eq!(m.min_to_mean.round_dp(12), d("0.333333333333"));
        // Theil: (1/4) [ (1/3)ln(1/3) + (2/3)ln(2/3) + 1 ln 1 + 2 ln 2 ]
        // = (-0.366204 - 0.270310 + 0 + 1.386294) / 4 = 0.749780 / 4 = 0.187445.
        assert_eq!(m.theil.round_dp(6), d("0.187445"));
    }

    /// The Theil index in 28-digit decimals (logarithms about 20 digits), as runs computed
    /// it before it moved to f64: the reference the f64 figure is checked against.
    fn theil_exact(x: &[Decimal], w: &[Decimal]) -> Decimal {
        use rust_decimal::MathematicalOps;
        let (mean, _, total_weight) = crate::stats::weighted_mean_sd(x, w).unwrap();
        let ln_mean = mean.ln();
        x.iter()
            .zip(w)
            .filter(|(xi, _)| **xi > Decimal::ZERO)
            .map(|(xi, wi)| *wi / total_weight * (*xi / mean) * (xi.ln() - ln_mean))
            .sum()
    }

    /// The Gini index and CV in 28-digit decimals (the sd's square root 28 digits), as
    /// runs computed them before they moved to f64.
    fn gini_cv_exact(x: &[Decimal], w: &[Decimal]) -> (Decimal, Decimal) {
        let (mean, sd, total) = crate::stats::weighted_mean_sd(x, w).unwrap();
        let mut order: Vec<usize> = (0..x.len()).collect();
        order.sort_by(|&a, &b| x[a].cmp(&x[b]).then(a.cmp(&b)));
        let (mut before, mut numerator) = (Decimal::ZERO, Decimal::ZERO);
        for i in order {
            let after = total - before - w[i];
            numerator += w[i] * x[i] * (before - after);
            before += w[i];
        }
        (numerator / (total * total) / mean, sd / mean)
    }

    fn agrees(f: Decimal, exact: Decimal) {
        let relative = ((f - exact) / exact).abs();
        assert!(relative < d("0.000000000001"), "f64 {f} vs exact {exact}: {relative}");
    }

    /// A unit without population takes no part in the metrics (the run's columns are then
    /// copied without it; with every unit populated they are read in place).
    #[test]
    fn units_without_population_are_left_out_of_the_metrics() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("f.toml"),
            "[formula]\nname = \"f\"\nkey = \"code\"\n[inputs.population]\n[inputs.revenue]\n\
             [inputs.need]\n[[allocation]]\nname = \"s\"\npool = \"60\"\nweight = \"need\"\nround = \"1\"\n",
        )
        .unwrap();
        let metrics_of = |rows: &str| {
            let data = dir.path().join("d.csv");
            std::fs::write(&data, format!("code,population,revenue,need\n{rows}")).unwrap();
            let run = crate::pipeline::Run::compute(crate::pipeline::RunInputs {
                formula: Some(dir.path().join("f.toml")),
                data: vec![data],
                ..Default::default()
            })
            .unwrap();
            compute(&run.values()).unwrap()
        };
        // Needs 1, 2, 3: transfers 10, 20, 30. Per capita after: (10+10)/2, (20+20)/4, (30+30)/6.
        let all = metrics_of("a,2,10,1\nb,4,20,2\nc,6,30,3\n");
        assert_eq!((all.units, all.after.mean.as_str()), (3, "10"));
        // Unit z, without population, gets a transfer but no per-capita figure.
        let with_empty = metrics_of("a,2,10,1\nb,4,20,2\nc,6,30,3\nz,0,5,6\n");
        assert_eq!(with_empty.units, 3);
        assert_eq!(with_empty.before.mean, all.before.mean);
    }

    /// On every shipped dataset, before and after the transfers, weighted and not, the
    /// Theil index, the Gini index and the CV in f64 agree with the exact decimal
    /// computation to 1e-12 relative, and are written with the same 12 digits.
    #[test]
    fn statistics_in_f64_agree_with_exact_decimals_on_the_shipped_datasets() {
        let mut checked = 0;
        for (formula, data) in [
            ("demo", None),
            ("cn", Some("datasets/cn-national")),
            ("jp", Some("datasets/jp-municipalities/units.csv")),
            ("ca", Some("datasets/ca-provinces/provinces.csv")),
            ("au", Some("datasets/au-states/states.csv")),
            ("in", Some("datasets/in-states/states.csv")),
            ("formulas/cn-gansu.toml", Some("datasets/cn-gansu")),
        ] {
            let run = crate::pipeline::Run::compute(crate::pipeline::RunInputs {
                formula: Some(formula.into()),
                data: data.into_iter().map(Into::into).collect(),
                ..Default::default()
            })
            .unwrap();
            // (A formula without a population has no metrics.)
            let Some(units) = per_capita(&run.values()) else {
                continue;
            };
            checked += 1;
            let population: Vec<Decimal> = units.iter().map(|u| u.population).collect();
            let ones = vec![Decimal::ONE; units.len()];
            for side in [
                units.iter().map(|u| u.before).collect::<Vec<_>>(),
                units.iter().map(|u| u.after).collect::<Vec<_>>(),
            ] {
                for weights in [&ones, &population] {
                    let fast = measures(&side, weights).unwrap();
                    let (gini, cv) = gini_cv_exact(&side, weights);
                    for (f, exact) in [
                        (fast.theil, theil_exact(&side, weights)),
                        (fast.gini, gini),
                        (fast.cv, cv),
                    ] {
                        agrees(f, exact);
                        // As written: 12 significant digits of the exact figure.
                        assert_eq!(show_statistic(f), show_statistic(exact), "{formula}");
                    }
                }
            }
        }
        assert!(checked >= 4, "only {checked} shipped formulas have metrics");
    }

    /// A one-stage formula whose metrics read revenue and population (the pool is the
    /// tests' own param).
    fn gap_formula() -> (crate::diag::Sources, crate::formula::Formula) {
        let mut sources = crate::diag::Sources::default();
        let id = sources.add(
            "m.toml",
            "[formula]\nname = \"m\"\nkey = \"code\"\n[inputs.need]\n[inputs.revenue]\n[inputs.population]\n\
             [params]\npool = \"100\"\n[vars]\ngap = \"max(need - revenue, 0)\"\n[[allocation]]\nname = \"grant\"\n\
             pool = \"pool\"\nweight = \"gap\"\nround = \"1\"\n"
                .to_string(),
        );
        let formula = crate::formula::load(&sources, id).unwrap();
        (sources, formula)
    }

    /// A sweep's worker keeps the rankings from scenario to scenario: the figures are those
    /// of a fresh computation, the ranking after transfers is taken again while it still
    /// holds and sorted anew when it does not.
    #[test]
    fn a_sweep_worker_reuses_rankings_and_gets_the_same_figures() {
        use crate::data::Dataset;
        let (sources, formula) = gap_formula();
        let data = Dataset::of_numbers(
            "m",
            &["A", "B", "C", "D"],
            &[&[50, 100, 30, 80], &[20, 40, 40, 10], &[1, 1, 1, 1]],
        );
        let mut reuse = Reuse::default();
        // Pool 100: after transfers A 39, C 40, D 54, B 78; pool 101 keeps that ranking;
        // pool 5000 puts C first; back at 100 the first ranking returns.
        for pool in [100, 101, 5000, 100] {
            let result = crate::engine::compute(&formula, &data, &[Decimal::from(pool)], &sources).unwrap();
            let values = Values::new(&formula, &data, &result);
            let fresh = compute_parts(&values, false, true, None).unwrap();
            assert_eq!(compute_after(&values, true, &mut reuse).unwrap(), fresh, "pool {pool}");
        }
        assert_eq!((reuse.sorted, reuse.reused), (3, 1));
    }

    /// A population equal in value but written at another scale converts to other floats
    /// (4.137 and 4.137000000000000000000): the worker's kept floats are not taken for it.
    #[test]
    fn a_population_at_another_scale_is_not_taken_for_the_same() {
        use crate::data::{Column, Dataset};
        let (sources, formula) = gap_formula();
        let mut data = Dataset::of_numbers(
            "m",
            &["A", "B", "C", "D"],
            &[&[50, 100, 30, 80], &[20, 40, 40, 10], &[1, 1, 1, 1]],
        );
        let mut reuse = Reuse::default();
        for scale in [3u32, 21] {
            let population: Vec<Decimal> = [4137i64, 2000, 3100, 5003]
                .iter()
                .map(|&m| Decimal::from_i128_with_scale(i128::from(m) * 10i128.pow(scale - 3), scale))
                .collect();
            data.columns[2] = Column::Num(population);
            let result = crate::engine::compute(&formula, &data, &[Decimal::from(100)], &sources).unwrap();
            let values = Values::new(&formula, &data, &result);
            let fresh = compute_parts(&values, false, true, None).unwrap();
            assert_eq!(
                compute_after(&values, true, &mut reuse).unwrap(),
                fresh,
                "scale {scale}"
            );
        }
        assert_eq!(reuse.population[0].scale(), 21);
    }

    #[test]
    fn a_large_run_computes_both_sides_at_once_with_the_same_figures() {
        use crate::data::Dataset;
        let (sources, formula) = gap_formula();
        let units = 20_000i64; // past the parallel threshold
        let keys: Vec<String> = (0..units).map(|i| format!("{i:05}")).collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let need: Vec<i64> = (0..units).map(|i| 500 + (i * 37) % 400).collect();
        let revenue: Vec<i64> = (0..units).map(|i| 100 + (i * 53) % 700).collect();
        let population: Vec<i64> = (0..units).map(|i| 1 + i % 9).collect();
        let data = Dataset::of_numbers("m", &keys, &[&need, &revenue, &population]);
        let result = crate::engine::compute(&formula, &data, &[Decimal::from(1_000_000)], &sources).unwrap();
        let values = Values::new(&formula, &data, &result);
        let on = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| compute_parts(&values, true, true, None).unwrap())
        };
        let (two, one) = (on(2), on(1));
        assert_eq!(two, one);
        // Each side is its own: before transfers the mean is revenue over population, after
        // it the pool is added (the figures are written to 12 significant digits).
        let people: i64 = population.iter().sum();
        let before_mean = Decimal::from(revenue.iter().sum::<i64>()) / Decimal::from(people);
        let after_mean = Decimal::from(revenue.iter().sum::<i64>() + 1_000_000) / Decimal::from(people);
        assert_eq!(two.before.weighted_mean, show(before_mean));
        assert_eq!(two.after.weighted_mean, show(after_mean));
        assert_ne!(two.before.gini, two.after.gini);
    }

    #[test]
    fn equal_values_are_perfectly_equal() {
        let x = [d("5"), d("5"), d("5")];
        let m = measures(&x, &[d("1"), d("2"), d("3")]).unwrap();
        assert_eq!(
            (m.gini, m.cv, m.theil, m.max_min),
            (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Some(Decimal::ONE))
        );
    }

    #[test]
    fn max_over_min_is_undefined_when_the_smallest_is_zero() {
        let m = measures(&[d("0"), d("5")], &[d("1"), d("1")]).unwrap();
        assert_eq!(m.max_min, None);
    }

    #[test]
    fn weights_count_like_repeated_units() {
        // Weights 1, 2 on x = 1, 4 is the same as x = 1, 4, 4 unweighted.
        let weighted = measures(&[d("1"), d("4")], &[d("1"), d("2")]).unwrap();
        let repeated = measures(&[d("1"), d("4"), d("4")], &[Decimal::ONE; 3]).unwrap();
        assert_eq!(weighted.mean, repeated.mean);
        assert_eq!(weighted.gini, repeated.gini);
        assert_eq!(weighted.cv, repeated.cv);
    }

    #[test]
    fn the_poorest_fifth_by_population() {
        // Populations 10, 10, 30, 50 (total 100, a fifth is 20): the two poorest units
        // make up exactly 20, so their transfers 60 + 30 of 100 are the share.
        let before = [d("1"), d("2"), d("3"), d("4")];
        let population = [d("10"), d("10"), d("30"), d("50")];
        let transfers = [d("60"), d("30"), d("10"), d("0")];
        assert_eq!(
            poorest_quintile_share(&ascending(&before), &population, &transfers),
            Some(d("0.9"))
        );
    }
}
