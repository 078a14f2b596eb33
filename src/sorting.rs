//! Sorting exact decimals in the time floats take.
//!
//! Comparing two `Decimal`s with different scales rescales one of them, and sorts of
//! breakpoints and per-capita values (thousands to a million keys, every scenario of a
//! sweep) spent most of their time there. [`sort_by_float_first`] sorts by each key's
//! nearest f64 and then repairs, with exact comparisons, the few places where f64 could
//! not tell keys apart: the order is the exact one, whatever the floats did.

use std::cmp::Ordering;

use rust_decimal::Decimal;

/// `value` as a float within 3 units in its last place, the first ordering key
/// [`sort_by_float_first`] takes: the mantissa (at most 96 bits) to the nearest float, divided
/// by 10^scale (exact as a float up to 10^22, within half a unit in the last place beyond).
/// Two roundings and an inexact power: far inside the 1e-14 the callers allow. (Not
/// `Decimal::to_f64`, which converts the integral and fractional parts apart: several
/// times slower, and this runs for every breakpoint of every scenario of a sweep.)
pub fn approx(value: Decimal) -> f64 /* float-ok: ordering only */ {
    // Exact as floats up to 1e22.
    #[rustfmt::skip]
    const POWERS_OF_TEN: [f64; 29] = [ // float-ok: ordering only
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28,
    ];
    // A Decimal's scale is at most 28.
    let power = POWERS_OF_TEN[(value.scale() as usize).min(28)];
    let mantissa = value.mantissa();
    // Both conversions round to nearest: a mantissa of 64 bits takes the one-instruction
    // one (a sweep's breakpoints mostly are), the rest the 128-bit routine.
    let mantissa = match i64::try_from(mantissa) {
        Ok(small) => small as f64, // float-ok: ordering only
        Err(_) => mantissa as f64, // float-ok: ordering only
    };
    mantissa / power
}

/// Whether [`approx`] of `value` is `value` itself: a whole number of at most 53 bits
/// (scale 0; an exact quotient such as a per-capita figure of whole yuan has scale 0).
/// Two such values compare as their floats do, with no decimal comparison: sorts of
/// values with many ties (integral per-capita amounts) spent their time there.
pub fn float_is_exact(value: Decimal) -> bool {
    value.scale() == 0 && value.mantissa().unsigned_abs() <= 1u128 << 53
}

/// Floats further apart than this (relative to the larger magnitude) come from keys in
/// the same order. `approx` is within a few units in the last place of the exact value
/// (about 1e-15 relative; a property test checks 1e-14), so 1e-12 leaves a hundredfold
/// margin.
const SURELY_APART: f64 = 1e-12; // float-ok: ordering only

/// Sort `items` in the total order `exact`: first by `approx` (each item's key as a float by
/// [`approx`], kept in the item: cheap to compare, monotone up to rounding), then an
/// insertion pass that compares exactly only neighbours whose floats are too close to
/// tell them apart ([`SURELY_APART`]) and moves the few that floats misordered. The result is
/// the order `exact` alone gives (it is total), with exact comparisons only for near-ties.
pub fn sort_by_float_first<T: Send>(
    items: &mut [T],
    approx: impl Fn(&T) -> f64 /* float-ok */ + Sync,
    exact: impl Fn(&T, &T) -> Ordering + Sync,
) {
    let by_float = |a: &T, b: &T| approx(a).total_cmp(&approx(b)).then_with(|| exact(a, b));
    if crate::threads::worth_parallel(items.len()) {
        use rayon::prelude::*;
        items.par_sort_unstable_by(by_float);
    } else {
        items.sort_unstable_by(by_float);
    }
    let apart = |a: f64, b: f64 /* float-ok */| b - a > SURELY_APART * a.abs().max(b.abs());
    for i in 1..items.len() {
        let mut j = i;
        while j > 0
            && !apart(approx(&items[j - 1]), approx(&items[j]))
            && exact(&items[j - 1], &items[j]) == Ordering::Greater
        {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_are_exact_for_whole_numbers_of_at_most_53_bits() {
        let big = 1i64 << 53;
        for (value, exact) in [
            (Decimal::new(5272, 0), true),
            (Decimal::new(-big, 0), true),
            (Decimal::new(big, 0), true),
            (Decimal::new(big + 1, 0), false),
            (Decimal::new(52720, 1), false),
            (Decimal::new(1, 1), false),
            (-Decimal::ZERO, true),
        ] {
            assert_eq!(float_is_exact(value), exact, "{value}");
            if exact {
                assert_eq!(Decimal::from_f64_retain(approx(value)), Some(value), "{value}");
            }
        }
    }

    proptest::proptest! {
        /// Keys that differ only in their 18th decimal place are one f64: the insertion pass
        /// must still give exactly the order of the exact comparison.
        #[test]
        fn sorting_by_float_first_gives_the_exact_order(
            parts in proptest::collection::vec((0i128..4, 0i128..1000, proptest::bool::ANY), 0..200),
        ) {
            let items: Vec<(Decimal, usize)> = parts
                .iter()
                .enumerate()
                .map(|(i, &(whole, tiny, negative))| {
                    let m = whole * 1_000_000_000_000_000_000 + tiny;
                    (Decimal::from_i128_with_scale(if negative { -m } else { m }, 18), i)
                })
                .collect();
            let exact = |a: &(Decimal, usize), b: &(Decimal, usize)| a.0.cmp(&b.0).then(a.1.cmp(&b.1));
            let mut expected = items.clone();
            expected.sort_by(exact);
            let mut got = items.clone();
            sort_by_float_first(&mut got, |x| approx(x.0), exact);
            proptest::prop_assert_eq!(&got, &expected);
            // A first ordering as poor as `approx` may be (here off by up to 1e-14 relative,
            // more than `to_f64` is): the exact pass puts every item in place.
            let mut from_poor = items;
            let off = |x: &(Decimal, usize)| approx(x.0) * (1.0 + ((x.1 * 7919) % 5) as f64 * 5e-15 - 1e-14); // float-ok
            sort_by_float_first(&mut from_poor, off, exact);
            proptest::prop_assert_eq!(&from_poor, &expected);
        }

        /// What the insertion pass relies on: `approx` is within 1e-14 of the value
        /// (relative), so floats [`SURELY_APART`] come from keys in that order; over every
        /// scale and over mantissas of every size.
        #[test]
        fn approx_is_within_1e14_relative_at_every_scale(
            lo in proptest::num::u32::ANY,
            mid in proptest::num::u32::ANY,
            hi in proptest::num::u32::ANY,
            size in 0u32..3,
            scale in 0u32..=28,
            negative in proptest::bool::ANY,
            delta in 1i64..1000,
        ) {
            let (mid, hi) = match size { 0 => (0, 0), 1 => (mid, 0), _ => (mid, hi) };
            let value = Decimal::from_parts(lo, mid, hi, negative, scale);
            let float = approx(value);
            if !value.is_zero() {
                let back = Decimal::from_f64_retain(float).unwrap();
                let error = ((back - value) / value).abs();
                proptest::prop_assert!(error < Decimal::new(1, 14), "{} -> {} ({})", value, float, error);
            }
            // A neighbour a few units in the last place away: floats apart means in order.
            if let Some(next) = value.checked_add(Decimal::new(delta, scale)) {
                let (a, b) = (approx(value), approx(next));
                if b - a > SURELY_APART * a.abs().max(b.abs()) {
                    proptest::prop_assert!(value < next);
                }
                if a - b > SURELY_APART * a.abs().max(b.abs()) {
                    proptest::prop_assert!(value > next);
                }
            }
        }
    }

    /// Enough items for the parallel sort, keys in few f64 values: the exact order still.
    #[test]
    fn a_large_sort_on_the_thread_pool_gives_the_exact_order() {
        let items: Vec<(Decimal, usize)> = (0..40_000usize)
            .map(|i| {
                let tiny = (i as i128 * 7919) % 1000;
                (
                    Decimal::from_i128_with_scale((i as i128 % 3) * 1_000_000_000_000_000_000 + tiny, 18),
                    i,
                )
            })
            .collect();
        let exact = |a: &(Decimal, usize), b: &(Decimal, usize)| a.0.cmp(&b.0).then(a.1.cmp(&b.1));
        let mut expected = items.clone();
        expected.sort_by(exact);
        let mut got = items;
        sort_by_float_first(&mut got, |x| approx(x.0), exact);
        assert!(got == expected);
    }
}
