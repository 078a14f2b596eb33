//! Decimal multiplication: bit for bit `Decimal::checked_mul`, in a fraction of its time
//! where the product must be rounded.
//!
//! A product of two wide decimals (a 28-digit rate times a 20-digit weight, every stage of
//! every scenario of a sweep) has up to 192 bits and must lose digits to fit 96. rust_decimal
//! divides it by ten a 32-bit word at a time, with a hardware division each, nine digits a
//! pass; that was the costliest single routine of a sweep. Here the 192-bit product is
//! divided by powers of ten 64 bits at a time, each division a multiplication by a
//! precomputed reciprocal (Möller and Granlund, "Improved division by invariant integers",
//! 2011), nineteen digits a pass.
//!
//! The result is the one `checked_mul` gives, sign, scale and digits (a property test and a
//! table of edge cases compare the bits): the exact product rounded half to even to the
//! largest scale (at most 28, at most the operands' scales added) at which it fits 96 bits,
//! `None` where none does. Products of two 32-bit mantissas and products with a zero, which
//! rust_decimal treats on paths of their own, are left to it.

use rust_decimal::Decimal;

/// A 64-bit divisor shifted left until its top bit is set, with its reciprocal
/// `floor((2^128 - 1) / d) - 2^64`.
#[derive(Clone, Copy)]
struct Divisor {
    divisor: u64,
    normalized: u64,
    shift: u32,
    reciprocal: u64,
}

impl Divisor {
    const fn new(d: u64) -> Divisor {
        let shift = d.leading_zeros();
        let normalized = d << shift;
        let reciprocal = (u128::MAX / normalized as u128 - (1u128 << 64)) as u64;
        Divisor {
            divisor: d,
            normalized,
            shift,
            reciprocal,
        }
    }

    /// (quotient, remainder) of `high·2^64 + low` by the normalized divisor, `high` below it.
    #[inline(always)]
    fn divide_2_by_1(&self, high: u64, low: u64) -> (u64, u64) {
        let d = self.normalized;
        let estimate =
            (self.reciprocal as u128 * high as u128).wrapping_add((((high as u128) + 1) << 64) | low as u128);
        let mut quotient = (estimate >> 64) as u64;
        let mut remainder = low.wrapping_sub(quotient.wrapping_mul(d));
        if remainder > estimate as u64 {
            quotient = quotient.wrapping_sub(1);
            remainder = remainder.wrapping_add(d);
        }
        if remainder >= d {
            quotient += 1;
            remainder -= d;
        }
        (quotient, remainder)
    }

    /// `n` (three 64-bit words, least significant first) divided in place; the remainder.
    #[inline(always)]
    fn divide(&self, n: &mut [u64; 3]) -> u64 {
        let s = self.shift;
        // The dividend shifted as the divisor was: a fourth word takes what moves out.
        let (top, words) = if s == 0 {
            (0, *n)
        } else {
            (
                n[2] >> (64 - s),
                [
                    n[0] << s,
                    (n[1] << s) | (n[0] >> (64 - s)),
                    (n[2] << s) | (n[1] >> (64 - s)),
                ],
            )
        };
        let mut remainder = top;
        for i in (0..3).rev() {
            let (q, r) = self.divide_2_by_1(remainder, words[i]);
            n[i] = q;
            remainder = r;
        }
        remainder >> s
    }
}

const fn power_of_ten(k: u32) -> u64 {
    let mut p = 1u64;
    let mut i = 0;
    while i < k {
        p *= 10;
        i += 1;
    }
    p
}

/// `DIVISORS[k]` divides by 10^k (k from 1 to 19).
const DIVISORS: [Divisor; 20] = {
    let mut table = [Divisor::new(1); 20];
    let mut k = 1;
    while k < 20 {
        table[k] = Divisor::new(power_of_ten(k as u32));
        k += 1;
    }
    table
};

/// 2^96 as three words: the first value that does not fit a Decimal's mantissa.
fn fits_96(n: &[u64; 3]) -> bool {
    n[2] == 0 && n[1] >> 32 == 0
}

/// `a × b` exactly as `a.checked_mul(b)` computes it.
pub fn mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    let (ma, mb) = (a.mantissa().unsigned_abs(), b.mantissa().unsigned_abs());
    if ma == 0 || mb == 0 || (ma >> 32 == 0 && mb >> 32 == 0) {
        return a.checked_mul(b);
    }
    let negative = a.is_sign_negative() != b.is_sign_negative();
    let scale = a.scale() + b.scale();
    // The product in three words: each mantissa is below 2^96, as a high word of 32 bits
    // and a low one of 64.
    let (a1, a0) = ((ma >> 64) as u64, ma as u64);
    let (b1, b0) = ((mb >> 64) as u64, mb as u64);
    let low = a0 as u128 * b0 as u128;
    let middle = a0 as u128 * b1 as u128 + a1 as u128 * b0 as u128;
    let high = a1 as u128 * b1 as u128;
    let carry = (low >> 64) + (middle as u64 as u128);
    let mut n = [low as u64, carry as u64, ((carry >> 64) + (middle >> 64) + high) as u64];
    if fits_96(&n) && scale <= 28 {
        return Some(compose(&n, negative, scale));
    }
    // rust_decimal's first guess of the digits to drop: never more than the fewest that fit.
    let words = if n[2] != 0 {
        (5 - n[2].leading_zeros() / 32, n[2].leading_zeros() % 32)
    } else {
        (3 - n[1].leading_zeros() / 32, n[1].leading_zeros() % 32)
    };
    let (upper, zeros) = (words.0 as i64, words.1 as i64);
    let mut dropped = 0i64;
    if upper > 2 {
        dropped = (((upper * 32 - 64 - 1 - zeros) * 77) >> 8) + 1;
        if dropped > i64::from(scale) {
            return None;
        }
    }
    dropped = dropped.max(i64::from(scale) - 28);
    let mut scale = i64::from(scale);
    // Digits dropped so far below the last division's (any non-zero: above a half is above),
    // and the last division's remainder and power.
    let (mut sticky, mut remainder, mut power) = (false, 0u64, 1u64);
    let mut divide_by = |n: &mut [u64; 3], digits: u32, sticky: &mut bool| {
        *sticky |= remainder != 0;
        let by = &DIVISORS[digits as usize];
        remainder = by.divide(n);
        power = by.divisor;
    };
    let mut left = dropped;
    while left > 0 {
        let digits = left.min(19) as u32;
        divide_by(&mut n, digits, &mut sticky);
        left -= i64::from(digits);
    }
    scale -= dropped;
    // Still too wide: one digit more at a time, as long as there is scale to give.
    while !fits_96(&n) {
        if scale == 0 {
            return None;
        }
        divide_by(&mut n, 1, &mut sticky);
        scale -= 1;
    }
    let half = power / 2;
    if remainder > half || (remainder == half && (n[0] & 1 == 1 || sticky)) {
        n = increment(n);
        if !fits_96(&n) {
            // Rounded up to 2^96: one digit fewer (rust_decimal divides the rounded value
            // again, with nothing below it).
            if scale == 0 {
                return None;
            }
            let r = DIVISORS[1].divide(&mut n);
            scale -= 1;
            if r > 5 || (r == 5 && n[0] & 1 == 1) {
                n = increment(n);
            }
        }
    }
    Some(compose(&n, negative, scale as u32))
}

fn increment(n: [u64; 3]) -> [u64; 3] {
    let (w0, c0) = n[0].overflowing_add(1);
    let (w1, c1) = n[1].overflowing_add(u64::from(c0));
    [w0, w1, n[2].wrapping_add(u64::from(c1))]
}

/// A Decimal of these parts, a zero keeping its sign as rust_decimal's product does.
fn compose(n: &[u64; 3], negative: bool, scale: u32) -> Decimal {
    let flags = (scale << 16) | if negative { 1 << 31 } else { 0 };
    let mut bytes = [0u8; 16];
    bytes[0..4].copy_from_slice(&flags.to_le_bytes());
    bytes[4..12].copy_from_slice(&n[0].to_le_bytes());
    bytes[12..16].copy_from_slice(&(n[1] as u32).to_le_bytes());
    Decimal::deserialize(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Both results, as their 16 bytes (sign, scale and digits), or both None.
    fn same(a: Decimal, b: Decimal) -> Result<(), TestCaseError> {
        let ours = mul(a, b).map(|d| d.serialize());
        let theirs = a.checked_mul(b).map(|d| d.serialize());
        prop_assert_eq!(ours, theirs, "{} × {}", a, b);
        Ok(())
    }

    /// A decimal of `bits` significant bits at most, at `scale`.
    fn decimal() -> impl Strategy<Value = Decimal> {
        (0u32..=96, any::<u128>(), 0u32..=28, any::<bool>()).prop_map(|(bits, raw, scale, negative)| {
            let mantissa = if bits == 0 { 0 } else { raw >> (128 - bits) };
            let mut d = Decimal::from_i128_with_scale(mantissa as i128, scale);
            d.set_sign_negative(negative);
            d
        })
    }

    #[test]
    fn reciprocal_division_equals_integer_division() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for k in 1..20u32 {
            let d = power_of_ten(k) as u128;
            // Words at the edges (zero, the largest, the divisor and its neighbours, the
            // divisor shifted to the top), then random ones.
            let edges = [
                0,
                1,
                u64::MAX,
                d as u64 - 1,
                d as u64,
                d as u64 + 1,
                (d as u64) << (d as u64).leading_zeros(),
            ];
            let mut cases: Vec<[u64; 3]> = Vec::new();
            for &x in &edges {
                for &y in &edges {
                    for &z in &edges {
                        cases.push([x, y, z]);
                    }
                }
            }
            cases.extend((0..2_000).map(|_| [next(), next(), next() >> (next() % 64)]));
            for n in cases {
                let mut q = n;
                let r = DIVISORS[k as usize].divide(&mut q);
                // The 192-bit quotient and remainder, by u128 arithmetic in two steps.
                let high = (n[2] as u128) << 64 | n[1] as u128;
                let (qh, rh) = (high / d, high % d);
                let low = rh << 64 | n[0] as u128;
                let (ql, rl) = (low / d, low % d);
                assert_eq!(r as u128, rl, "10^{k}");
                assert_eq!(
                    (q[0] as u128, (q[2] as u128) << 64 | q[1] as u128),
                    (ql & u64::MAX as u128, qh + (ql >> 64))
                );
            }
        }
    }

    #[test]
    fn edge_products_are_checked_mul_s_bit_for_bit() {
        // Widest mantissas, powers of ten and halves at every scale: ties, carries to 2^96,
        // products that round to zero and ones that overflow.
        let mut values = Vec::new();
        for scale in [0u32, 1, 9, 14, 19, 27, 28] {
            for mantissa in [
                1i128,
                5,
                15,
                25,
                (1 << 32) + 1,
                u64::MAX as i128,
                (u64::MAX as i128) + 1,
                5 * 10i128.pow(18),
                5 * 10i128.pow(27),
                10i128.pow(28),
                79_228_162_514_264_337_593_543_950_335,
                79_228_162_514_264_337_593_543_950_334,
                39_614_081_257_132_168_796_771_975_168,
                28_147_497_671_065_599_999_999_999_999,
                12_345_678_901_234_567_890_123_456_789,
            ] {
                for negative in [false, true] {
                    let mut d = Decimal::from_i128_with_scale(mantissa, scale);
                    d.set_sign_negative(negative);
                    values.push(d);
                }
            }
        }
        for &a in &values {
            for &b in &values {
                same(a, b).unwrap();
            }
        }
        // Products just below 10 × 2^96 and 100 × 2^96: dropping one or two digits leaves
        // 2^96 - 1 and a fraction above a half, which rounds up to 2^96 (one digit more).
        for (a, b) in [
            (11i128, 72_025_602_285_694_852_357_767_227_578i128),
            (111, 71_376_722_985_823_727_561_751_306_609),
        ] {
            for a_scale in 0..=3 {
                for b_scale in 0..=28 {
                    let (a, b) = (
                        Decimal::from_i128_with_scale(a, a_scale),
                        Decimal::from_i128_with_scale(b, b_scale),
                    );
                    same(a, b).unwrap();
                    same(-a, b).unwrap();
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 20_000, ..ProptestConfig::default() })]

        #[test]
        fn products_are_checked_mul_s_bit_for_bit(a in decimal(), b in decimal()) {
            same(a, b)?;
        }

        /// Exact halves: a product ending in 5 followed by zeros, rounded away at every
        /// position, ties going to the even neighbour.
        #[test]
        fn ties_round_as_checked_mul_rounds_them(
            digits in 1u64..1_000_000_000,
            zeros in 0u32..18,
            wide in 10u32..=28,
            scale in 0u32..=28,
        ) {
            let a = Decimal::from_i128_with_scale(((digits as i128) * 10 + 5) * 10i128.pow(zeros), scale);
            let b = Decimal::from_i128_with_scale(10i128.pow(wide) + 1, wide);
            same(a, b)?;
            same(b, a)?;
        }
    }
}
