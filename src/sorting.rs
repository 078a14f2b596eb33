//! Sorting exact decimals in the time floats take.
//!
//! Comparing two `Decimal`s with different scales rescales one of them, and sorts of
//! breakpoints and per-capita values (thousands to a million keys, every scenario of a
//! sweep) spent most of their time there. [`sort_by_float_first`] sorts by each key's
//! nearest f64 and then repairs, with exact comparisons, the few places where f64 could
//! not tell keys apart: the order is the exact one, whatever the floats did.

use std::cmp::Ordering;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// `value` to the nearest f64 (0 if it could not be: never for a `Decimal`), the first
/// ordering key [`sort_by_float_first`] takes.
pub fn approx(value: Decimal) -> f64 /* float-ok: ordering only */ {
    value.to_f64().unwrap_or(0.0)
}

/// Sort `items` in the total order `exact`: first by `approx` (each item's key to f64,
/// kept in the item: cheap to compare, monotone up to rounding), then an insertion pass
/// with `exact`, which moves only the few items whose keys were too close for f64 to
/// order. The result is the order `exact` alone gives (it is total), at about one exact
/// comparison an item.
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
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && exact(&items[j - 1], &items[j]) == Ordering::Greater {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            // However poor the first ordering (here keys off by up to 2 units), the exact
            // pass puts every item in place.
            let mut from_poor = items;
            sort_by_float_first(&mut from_poor, |x| approx(x.0 + Decimal::from((x.1 * 7919) % 5) - Decimal::TWO), exact);
            proptest::prop_assert_eq!(&from_poor, &expected);
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
