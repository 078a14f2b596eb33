//! Apportionment: round each amount to the money unit so the total is exact.
//!
//! Largest remainder (Hamilton's method): every amount is first floored to a
//! multiple of the unit; the units still short of the pool go, one unit each,
//! to the amounts with the largest remainders, ties broken by key ascending
//! (rows are in key order, so by row). Each result is within one unit of its
//! exact value; floors and caps that are multiples of the unit are respected,
//! because a floored amount never drops below a multiple-of-unit floor and an
//! amount at a multiple-of-unit cap is never raised past it.
//!
//! Remainders are compared to the decimal places that are significant for the largest
//! amount (28 significant digits less its whole digits, less 3 guard digits): amounts
//! computed as k x weight carry noise in their last digit, and two remainders that are
//! equal in exact arithmetic (3/7 of a unit each, say) must tie, and go by key.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::money;

#[derive(Debug, Clone, PartialEq)]
pub enum RoundingError {
    /// The pool is not a whole number of units.
    PoolNotMultiple {
        pool: Decimal,
        unit: Decimal,
    },
    /// The exact amounts do not add up to the pool within one unit per unit,
    /// or caps leave no room: should not happen after a successful solve.
    CannotFit {
        short_units: Decimal,
    },
    Overflow,
}

/// The decimal places to which remainders of these amounts are compared (see the
/// module's note): 28 significant digits less the largest amount's whole digits, less 3.
pub fn significant_places(exact: &[Decimal]) -> u32 {
    let largest = exact.iter().map(|x| x.abs()).max().unwrap_or_default().trunc();
    let whole_digits = if largest.is_zero() {
        0
    } else if largest.scale() == 0 {
        // The digits `to_string` would write, counted (every stage of every scenario).
        largest.mantissa().unsigned_abs().checked_ilog10().map_or(1, |d| d + 1)
    } else {
        largest.to_string().len() as u32
    };
    28u32.saturating_sub(whole_digits + 3)
}

/// An amount's remainder above its floor to a multiple of `unit`, to `places`: the
/// order largest remainder first, ties by key, that rounding and `explain` both use.
pub fn comparable_remainder(x: Decimal, unit: Decimal, places: u32) -> Option<Decimal> {
    Some(remainder_above(x, money::floor_to_unit(x, unit)?, places))
}

/// [`comparable_remainder`] when the floored amount `down` is already known.
fn remainder_above(x: Decimal, down: Decimal, places: u32) -> Decimal {
    (x - down).round_dp(places)
}

/// Round `exact` amounts (rows in key order) to multiples of `unit`, summing to `pool`.
pub fn apportion(
    exact: &[Decimal],
    unit: Decimal,
    pool: Decimal,
    cap: Option<&[Decimal]>,
) -> Result<Vec<Decimal>, RoundingError> {
    if !money::is_multiple_of(pool, unit) {
        return Err(RoundingError::PoolNotMultiple { pool, unit });
    }
    // Each amount floored on its own (on the pool for a large stage); the total in row order.
    // (Written in place: collecting a parallel `Option<Vec>` would hold the column twice.)
    let mut rounded = vec![Decimal::ZERO; exact.len()];
    let floored = |(down, x): (&mut Decimal, &Decimal)| money::floor_to_unit(*x, unit).map(|d| *down = d);
    let all_floored = if crate::threads::worth_parallel(exact.len()) {
        use rayon::prelude::*;
        rounded.par_iter_mut().zip(exact).try_for_each(floored)
    } else {
        rounded.iter_mut().zip(exact).try_for_each(floored)
    };
    all_floored.ok_or(RoundingError::Overflow)?;
    let mut total = Decimal::ZERO;
    for &down in &rounded {
        total = total.checked_add(down).ok_or(RoundingError::Overflow)?;
    }
    let short = pool.checked_sub(total).ok_or(RoundingError::Overflow)?;
    let short_units = short.checked_div(unit).ok_or(RoundingError::Overflow)?;
    if short_units.is_sign_negative() && !short_units.is_zero() || short_units > Decimal::from(exact.len()) {
        return Err(RoundingError::CannotFit { short_units });
    }
    let needed = short_units.trunc().to_usize().ok_or(RoundingError::Overflow)?;
    if needed == 0 {
        return Ok(rounded);
    }
    let places = significant_places(exact);
    let remainder = |(row, (&x, &down)): (usize, (&Decimal, &Decimal))| (remainder_above(x, down, places), row);
    let remainders: Vec<(Decimal, usize)> = if crate::threads::worth_parallel(exact.len()) {
        use rayon::prelude::*;
        exact.par_iter().zip(&rounded).enumerate().map(remainder).collect()
    } else {
        exact.iter().zip(&rounded).enumerate().map(remainder).collect()
    };
    let fits = |row: usize, value: Decimal| cap.is_none_or(|c| value + unit <= c[row]);
    // Remainders at one scale (`places`) compare as integers, in the order the decimals
    // have: the selection below then never rescales a decimal to compare it.
    if let Some(scaled) = at_one_scale(&remainders, places) {
        return give_largest(scaled, rounded, needed, unit, &fits, short_units);
    }
    give_largest(remainders, rounded, needed, unit, &fits, short_units)
}

/// Each remainder's mantissa at scale `places` (remainders are rounded to `places`, so none
/// has more), with its row; `None` if one does not fit 128 bits.
fn at_one_scale(remainders: &[(Decimal, usize)], places: u32) -> Option<Vec<(i128, usize)>> {
    remainders
        .iter()
        .map(|&(r, row)| {
            let up = places.checked_sub(r.scale())?;
            let mantissa = r.mantissa().checked_mul(10i128.checked_pow(up)?)?;
            Some((mantissa, row))
        })
        .collect()
}

/// The units still `needed` go to the largest remainders (any ordered key), ties by row.
fn give_largest<K: Ord + Copy>(
    mut remainders: Vec<(K, usize)>,
    mut rounded: Vec<Decimal>,
    mut needed: usize,
    unit: Decimal,
    fits: &dyn Fn(usize, Decimal) -> bool,
    short_units: Decimal,
) -> Result<Vec<Decimal>, RoundingError> {
    // Largest remainder first; ties by row (key order): a total order, so the first
    // `needed` are one set however they are found.
    let largest_first = |a: &(K, usize), b: &(K, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
    // Usually every one of the `needed` largest has room: then they are found by selection,
    // without sorting the rest. Otherwise the slower path below walks the whole order.
    if needed < remainders.len() {
        remainders.select_nth_unstable_by(needed, largest_first);
        if remainders[..needed].iter().all(|&(_, row)| fits(row, rounded[row])) {
            for &(_, row) in &remainders[..needed] {
                rounded[row] += unit;
            }
            return Ok(rounded);
        }
    }
    remainders.sort_unstable_by(largest_first);
    let mut given = vec![false; rounded.len()];
    for &(_, row) in &remainders {
        if needed == 0 {
            break;
        }
        if fits(row, rounded[row]) {
            rounded[row] += unit;
            given[row] = true;
            needed -= 1;
        }
    }
    // Caps that are not multiples of the unit can leave too little room; then the
    // remaining units go by remainder regardless (each still within one unit of exact).
    for &(_, row) in &remainders {
        if needed == 0 {
            break;
        }
        if !given[row] {
            rounded[row] += unit;
            needed -= 1;
        }
    }
    if needed > 0 {
        return Err(RoundingError::CannotFit { short_units });
    }
    Ok(rounded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn ds(v: &[&str]) -> Vec<Decimal> {
        v.iter().map(|s| d(s)).collect()
    }

    proptest::proptest! {
        /// Remainders compared as integers at one scale give the units to the rows the
        /// decimals themselves give them to, caps or not.
        #[test]
        fn integer_remainders_order_as_the_decimals_do(
            amounts in proptest::collection::vec((0i64..5_000_000, 0u32..9), 1..80),
            capped in proptest::bool::ANY,
            extra in 0usize..80,
        ) {
            let exact: Vec<Decimal> = amounts.iter().map(|&(m, s)| Decimal::new(m, s)).collect();
            let unit = Decimal::ONE;
            let rounded: Vec<Decimal> = exact.iter().map(|x| money::floor_to_unit(*x, unit).unwrap()).collect();
            let cap: Vec<Decimal> = rounded.iter().enumerate().map(|(i, r)| r + Decimal::from(i % 2)).collect();
            let fits = |row: usize, value: Decimal| !capped || value + unit <= cap[row];
            let needed = extra % exact.len() + 1;
            let places = significant_places(&exact);
            let remainders: Vec<(Decimal, usize)> = exact
                .iter()
                .zip(&rounded)
                .enumerate()
                .map(|(row, (&x, &down))| (remainder_above(x, down, places), row))
                .collect();
            let scaled = at_one_scale(&remainders, places).unwrap();
            let short = Decimal::from(needed);
            proptest::prop_assert_eq!(
                give_largest(scaled, rounded.clone(), needed, unit, &fits, short),
                give_largest(remainders, rounded, needed, unit, &fits, short)
            );
        }
    }

    proptest::proptest! {
        /// Counting the largest amount's whole digits gives the places its written form gave,
        /// from one digit to 28, whatever the sign.
        #[test]
        fn significant_places_count_the_digits_the_text_has(
            amounts in proptest::collection::vec((proptest::num::i128::ANY, 0u32..=28), 1..6),
        ) {
            let exact: Vec<Decimal> = amounts
                .iter()
                .map(|&(m, s)| Decimal::from_i128_with_scale(m % 79_228_162_514_264_337_593_543_950_335, s))
                .collect();
            let largest = exact.iter().map(|x| x.abs()).max().unwrap_or_default().trunc();
            let by_text = if largest.is_zero() { 0 } else { largest.to_string().len() as u32 };
            proptest::prop_assert_eq!(significant_places(&exact), 28u32.saturating_sub(by_text + 3));
        }
    }

    #[test]
    fn remainders_that_do_not_fit_128_bits_at_one_scale_are_compared_as_decimals() {
        // A remainder of 10^20 units at 25 places would need 10^45.
        let remainders = vec![(Decimal::from(10u128.pow(20)), 0), (Decimal::ZERO, 1)];
        assert_eq!(at_one_scale(&remainders, 25), None);
        let exact = [
            Decimal::from_str("100000000000000000000.5").unwrap(),
            Decimal::new(5, 1),
        ];
        assert_eq!(
            apportion(
                &exact,
                Decimal::ONE,
                Decimal::from_str("100000000000000000001").unwrap(),
                None
            )
            .unwrap(),
            ds(&["100000000000000000001", "0"])
        );
    }

    #[test]
    fn thirds_round_to_a_total_of_exactly_the_pool() {
        let third = d("100") / d("3");
        let r = apportion(&[third, third, third], d("1"), d("100"), None).unwrap();
        // Equal remainders: the tie goes to the first key.
        assert_eq!(r, ds(&["34", "33", "33"]));
    }

    #[test]
    fn remainders_equal_but_for_noise_in_the_last_digit_tie_and_go_by_key() {
        // 3/7 of a unit each, as k x weight leaves them: the third carries noise in its
        // 28th digit, and a plain comparison would give it the extra unit.
        let exact = ds(&[
            "4494.428571428571428571428571",
            "28089.42857142857142857142857",
            "67416.42857142857142857142860",
        ]);
        let r = apportion(&exact, d("1"), d("100000"), None).unwrap();
        assert_eq!(r, ds(&["4495", "28089", "67416"]));
    }

    #[test]
    fn largest_remainder_wins() {
        let r = apportion(&ds(&["10.2", "20.7", "69.1"]), d("1"), d("100"), None).unwrap();
        assert_eq!(r, ds(&["10", "21", "69"]));
    }

    #[test]
    fn rounds_to_ten_thousand_yuan() {
        let r = apportion(&ds(&["123456", "876544"]), d("10000"), d("1000000"), None).unwrap();
        assert_eq!(r, ds(&["120000", "880000"]));
    }

    #[test]
    fn caps_that_are_multiples_of_the_unit_hold() {
        // Remainders favour row 0, but it is at its cap of 10.
        let r = apportion(
            &ds(&["10", "5.4", "4.6"]),
            d("1"),
            d("20"),
            Some(&ds(&["10", "100", "100"])),
        )
        .unwrap();
        assert_eq!(r, ds(&["10", "5", "5"]));
    }

    #[test]
    fn a_pool_that_is_not_a_multiple_of_the_unit_is_refused() {
        assert_eq!(
            apportion(&ds(&["1"]), d("10000"), d("15000"), None),
            Err(RoundingError::PoolNotMultiple {
                pool: d("15000"),
                unit: d("10000")
            })
        );
    }

    #[test]
    fn negative_amounts_floor_towards_negative_infinity() {
        let r = apportion(&ds(&["-0.5", "1.5"]), d("1"), d("1"), None).unwrap();
        assert_eq!(r, ds(&["0", "1"]));
    }
}
