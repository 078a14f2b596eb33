//! Random draws that are the same on every machine, and the rounding and percentiles
//! applied to them.

use rust_decimal::{Decimal, MathematicalOps};

use super::Distribution;
use crate::money;

/// SplitMix64: a small, documented generator with the same output on every platform.
/// Each scenario gets its own stream, seeded by the sweep's seed and the scenario index.
pub struct Rng(u64);

impl Rng {
    pub fn for_scenario(seed: u64, index: usize) -> Rng {
        let mut rng = Rng(seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.next_u64(); // decorrelate neighbouring indices
        rng
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1): 53 random bits, exactly as a decimal fraction of 2^53.
    pub fn unit(&mut self) -> Decimal {
        let bits = (self.next_u64() >> 11) | 1; // never 0
        Decimal::from(bits) / Decimal::from(1u64 << 53)
    }

    /// One draw; `None` when it overflows 28 digits (or a triangular range is empty),
    /// which the scenario reports. Checked arithmetic throughout: never a panic.
    pub fn draw(&mut self, d: &Distribution) -> Option<Decimal> {
        match d {
            Distribution::Uniform { low, high } => {
                let u = self.unit();
                low.checked_add(high.checked_sub(*low)?.checked_mul(u)?)
            }
            Distribution::Normal { mean, sd } => {
                // Box-Muller: sqrt(-2 ln u1) cos(2 pi u2), in 28-digit decimal arithmetic.
                let (u1, u2) = (self.unit(), self.unit());
                let radius = Decimal::from(-2).checked_mul(u1.checked_ln()?)?.sqrt()?;
                let angle = Decimal::TWO.checked_mul(Decimal::PI)?.checked_mul(u2)?;
                mean.checked_add(sd.checked_mul(radius)?.checked_mul(angle.checked_cos()?)?)
            }
            Distribution::Triangular { low, mode, high } => {
                let u = self.unit();
                let span = high.checked_sub(*low)?;
                let split = mode.checked_sub(*low)?.checked_div(span)?;
                Some(if u < split {
                    low.checked_add(u.checked_mul(span)?.checked_mul(mode.checked_sub(*low)?)?.sqrt()?)?
                } else {
                    let rest = Decimal::ONE.checked_sub(u)?;
                    high.checked_sub(rest.checked_mul(span)?.checked_mul(high.checked_sub(*mode)?)?.sqrt()?)?
                })
            }
        }
    }
}

/// Nearest-rank percentile of sorted values: the value at rank ceil(p/100 x n).
pub fn percentile(sorted: &[Decimal], p: u32) -> Decimal {
    if sorted.is_empty() {
        return Decimal::ZERO;
    }
    let rank = (p as usize * sorted.len()).div_ceil(100).max(1);
    sorted[rank.min(sorted.len()) - 1]
}

/// Round a draw to its unit, half away from zero; `None` when that overflows.
pub fn round_draw(value: Decimal, unit: Option<Decimal>) -> Option<Decimal> {
    match unit {
        Some(u) if !u.is_zero() => money::round_half_away(value.checked_div(u)?, 0)?.checked_mul(u),
        _ => Some(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn splitmix_is_the_reference_sequence() {
        // SplitMix64 reference: seed 0 gives 0xE220A8397B1DCDAF first.
        let mut rng = Rng(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn draws_stay_in_their_ranges_and_repeat_for_the_same_scenario() {
        let uniform = Distribution::Uniform {
            low: d("0.9"),
            high: d("1.1"),
        };
        let triangular = Distribution::Triangular {
            low: d("1"),
            mode: d("2"),
            high: d("4"),
        };
        for i in 0..200 {
            let mut a = Rng::for_scenario(42, i);
            let mut b = Rng::for_scenario(42, i);
            let x = a.draw(&uniform).unwrap();
            assert_eq!(x, b.draw(&uniform).unwrap());
            assert!(x > d("0.9") && x < d("1.1"));
            let t = a.draw(&triangular).unwrap();
            assert!(t >= d("1") && t <= d("4"));
        }
        // The mean of many normal draws is near the mean.
        let normal = Distribution::Normal {
            mean: d("10"),
            sd: d("2"),
        };
        let sum: Decimal = (0..2000).map(|i| Rng::for_scenario(7, i).draw(&normal).unwrap()).sum();
        assert!((sum / d("2000") - d("10")).abs() < d("0.2"));
    }

    #[test]
    fn draws_that_overflow_are_none_not_a_panic() {
        let max = Decimal::MAX;
        let mut rng = Rng::for_scenario(1, 1);
        for d in [
            Distribution::Uniform { low: -max, high: max },
            Distribution::Normal { mean: max, sd: max },
            Distribution::Triangular {
                low: d("1"),
                mode: d("1"),
                high: d("1"),
            },
            Distribution::Triangular {
                low: -max,
                mode: d("0"),
                high: max,
            },
        ] {
            assert_eq!(rng.draw(&d), None, "{d:?}");
        }
        assert_eq!(round_draw(max, Some(d("0.1"))), None);
        assert_eq!(round_draw(d("12.5"), Some(d("1"))), Some(d("13")));
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let v: Vec<Decimal> = (1..=20).map(Decimal::from).collect();
        assert_eq!(percentile(&v, 5), d("1"));
        assert_eq!(percentile(&v, 50), d("10"));
        assert_eq!(percentile(&v, 95), d("19"));
        assert_eq!(percentile(&v, 100), d("20"));
    }
}
