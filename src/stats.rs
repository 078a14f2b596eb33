//! Sums, means and standard deviations in exact decimals: the one implementation shared
//! by formula aggregates, data warnings and equalization metrics.
//!
//! Every function adds in the order given (callers pass key order, so results never
//! depend on row order or threads) and returns `None` when a step overflows or there is
//! nothing to average; callers say what that means in their own terms. Standard
//! deviations are population ones (divide by n, or by the total weight).

use rust_decimal::{Decimal, MathematicalOps};

/// The sum, in order.
pub fn sum(values: &[Decimal]) -> Option<Decimal> {
    values.iter().try_fold(Decimal::ZERO, |acc, v| acc.checked_add(*v))
}

/// The mean; `None` for no values.
pub fn mean(values: &[Decimal]) -> Option<Decimal> {
    if values.is_empty() {
        return None;
    }
    sum(values)?.checked_div(Decimal::from(values.len()))
}

/// The mean and the population standard deviation; `None` for no values.
pub fn mean_sd(values: &[Decimal]) -> Option<(Decimal, Decimal)> {
    let m = mean(values)?;
    let squares = values.iter().try_fold(Decimal::ZERO, |acc, v| {
        let d = v.checked_sub(m)?;
        acc.checked_add(crate::multiply::mul(d, d)?)
    })?;
    let variance = squares.checked_div(Decimal::from(values.len()))?;
    Some((m, variance.sqrt()?))
}

/// The weighted sum of `x` (sum of x times w) and the total weight, in order.
pub fn weighted_sums(x: &[Decimal], w: impl IntoIterator<Item = Decimal>) -> Option<(Decimal, Decimal)> {
    x.iter()
        .zip(w)
        .try_fold((Decimal::ZERO, Decimal::ZERO), |(weighted, total), (x, w)| {
            Some((
                weighted.checked_add(crate::multiply::mul(*x, w)?)?,
                total.checked_add(w)?,
            ))
        })
}

/// The weighted mean and weighted population standard deviation, with the total weight;
/// `None` when the total weight is zero.
pub fn weighted_mean_sd(x: &[Decimal], w: &[Decimal]) -> Option<(Decimal, Decimal, Decimal)> {
    let (weighted, total) = weighted_sums(x, w.iter().copied())?;
    let mean = weighted.checked_div(total)?;
    let squares = x.iter().zip(w).try_fold(Decimal::ZERO, |acc, (x, w)| {
        let d = x.checked_sub(mean)?;
        acc.checked_add(crate::multiply::mul(crate::multiply::mul(d, d)?, *w)?)
    })?;
    let sd = squares.checked_div(total)?.sqrt()?;
    Some((mean, sd, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(values: &[&str]) -> Vec<Decimal> {
        values.iter().map(|v| v.parse().unwrap()).collect()
    }

    #[test]
    fn hand_computed_values() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population sd 2.
        let x = d(&["2", "4", "4", "4", "5", "5", "7", "9"]);
        assert_eq!(sum(&x), Some(Decimal::from(40)));
        assert_eq!(mean(&x), Some(Decimal::from(5)));
        assert_eq!(mean_sd(&x), Some((Decimal::from(5), Decimal::from(2))));
        assert_eq!(mean(&[]), None);
        assert_eq!(mean_sd(&[]), None);
    }

    #[test]
    fn weights_of_one_give_the_unweighted_forms_and_integer_weights_repeat_values() {
        let x = d(&["2", "4", "5", "7", "9"]);
        let ones = vec![Decimal::ONE; x.len()];
        let (m, sd, total) = weighted_mean_sd(&x, &ones).unwrap();
        assert_eq!((m, sd), mean_sd(&x).unwrap());
        assert_eq!(total, Decimal::from(5));
        // Weight 3 on the 4 and 2 on the 5 is the list of hand_computed_values.
        let w = d(&["1", "3", "2", "1", "1"]);
        let (m, sd, _) = weighted_mean_sd(&x, &w).unwrap();
        assert_eq!((m, sd), (Decimal::from(5), Decimal::from(2)));
        assert_eq!(weighted_mean_sd(&x, &[Decimal::ZERO; 5]), None);
    }

    #[test]
    fn overflow_is_none_not_a_panic() {
        assert_eq!(sum(&[Decimal::MAX, Decimal::ONE]), None);
        assert_eq!(mean_sd(&[Decimal::MAX, Decimal::MIN]), None);
    }
}
