//! Exact numbers: the one module that decides how decimals are read, rounded and written.
//!
//! Every amount in `equalize` is a `rust_decimal::Decimal` (96-bit integer and a
//! scale, 28 significant digits). Text becomes a Decimal here and nowhere else,
//! without passing through binary floating point, so `0.1` stays 0.1. Rounding
//! rules live here too: half away from zero (四舍五入) unless a formula asks for
//! banker's rounding, floor to a money unit for apportionment, and the default
//! working precision of stages that name no rounding unit.

use rust_decimal::{Decimal, RoundingStrategy};

/// Decimal places carried by an allocation stage that has no `round` unit.
/// Amounts are apportioned at this precision so the stage still sums to its pool exactly.
pub const DEFAULT_STAGE_SCALE: u32 = 12;

/// Why a piece of text is not a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberError {
    Empty,
    NotANumber,
    /// `NaN`, `inf` and the like: not a finite decimal.
    NotFinite,
    /// Commas that are not thousands separators (`1,23`).
    BadGrouping,
    /// Too large or too precise for 28 significant digits.
    OutOfRange,
}

impl NumberError {
    /// Why the text is not a number, as a predicate after the text (`'12a' is not a
    /// number`), in the current language.
    pub fn describe(&self) -> String {
        let id = match self {
            NumberError::Empty => "pipeline-number-empty",
            NumberError::NotANumber => "pipeline-number-not-a-number",
            NumberError::NotFinite => "pipeline-number-not-finite",
            NumberError::BadGrouping => "pipeline-number-bad-grouping",
            NumberError::OutOfRange => "pipeline-number-out-of-range",
        };
        crate::i18n::t(id, &[])
    }
}

/// Parse a decimal exactly as written.
///
/// Accepts an optional sign, digits with an optional fraction, an optional
/// exponent (`1.5e6`, exact), and thousands separators in the integer part when
/// every group after the first has exactly three digits (`1,234,567.89`).
pub fn parse_decimal(text: &str) -> Result<Decimal, NumberError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(NumberError::Empty);
    }
    if let Some(value) = parse_short_decimal(text) {
        return Ok(value);
    }
    let unsigned = text.trim_start_matches(['+', '-']);
    if ["nan", "inf", "infinity"]
        .iter()
        .any(|word| unsigned.eq_ignore_ascii_case(word))
    {
        return Err(NumberError::NotFinite);
    }
    let cleaned;
    let text = if text.contains(',') {
        cleaned = strip_thousands_separators(text)?;
        cleaned.as_str()
    } else {
        text
    };
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    if !is_plain_decimal(mantissa) {
        return Err(NumberError::NotANumber);
    }
    match exponent {
        None => Decimal::from_str_exact(mantissa).map_err(|_| NumberError::OutOfRange),
        Some(exponent) => {
            let exponent: i64 = exponent.parse().map_err(|_| NumberError::NotANumber)?;
            let mantissa = Decimal::from_str_exact(mantissa).map_err(|_| NumberError::OutOfRange)?;
            scale_by_power_of_ten(mantissa, exponent).ok_or(NumberError::OutOfRange)
        }
    }
}

/// The common cell, `[-]digits[.digits]` with at most 18 digits, read straight into a
/// mantissa and a scale: the very `Decimal` (value, scale and sign) that
/// `Decimal::from_str_exact` gives, without its general parser (a million-row table has
/// six million such cells). Anything else is `None` and takes the general path.
fn parse_short_decimal(text: &str) -> Option<Decimal> {
    let bytes = text.as_bytes();
    let (negative, body) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    let (int, frac) = match body.iter().position(|&b| b == b'.') {
        Some(dot) => (&body[..dot], &body[dot + 1..]),
        None => (body, &body[body.len()..]),
    };
    let has_dot = int.len() < body.len();
    if int.is_empty() || (has_dot && frac.is_empty()) || int.len() + frac.len() > 18 {
        return None;
    }
    let mut mantissa: u64 = 0;
    for &b in int.iter().chain(frac) {
        if !b.is_ascii_digit() {
            return None;
        }
        mantissa = mantissa * 10 + u64::from(b - b'0');
    }
    // 18 digits fit in the low 64 bits; the scale is at most 17.
    let low = mantissa as u32;
    let mid = (mantissa >> 32) as u32;
    Some(Decimal::from_parts(low, mid, 0, negative, frac.len() as u32))
}

/// `[+-]digits[.digits]` or `[+-].digits` or `[+-]digits.`
fn is_plain_decimal(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    (!int.is_empty() || !frac.is_empty())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

fn strip_thousands_separators(text: &str) -> Result<String, NumberError> {
    let (sign, body) = match text.strip_prefix(['+', '-']) {
        Some(rest) => (&text[..1], rest),
        None => ("", text),
    };
    let int_end = body.find(['.', 'e', 'E']).unwrap_or(body.len());
    let (int, rest) = body.split_at(int_end);
    if rest.contains(',') {
        return Err(NumberError::BadGrouping);
    }
    let groups: Vec<&str> = int.split(',').collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    if !first_ok || !rest_ok {
        return Err(NumberError::BadGrouping);
    }
    Ok(format!("{sign}{}{rest}", groups.concat()))
}

/// `value × 10^exponent`, exactly, or None when it does not fit.
pub fn scale_by_power_of_ten(value: Decimal, exponent: i64) -> Option<Decimal> {
    let mut result = value;
    if exponent >= 0 {
        for _ in 0..exponent.min(64) {
            result = result.checked_mul(Decimal::TEN)?;
        }
        (exponent <= 64).then_some(result)
    } else {
        let new_scale = i64::from(value.scale()) - exponent;
        if new_scale > 28 {
            // Only representable if trailing zeros can absorb it.
            let normalized = value.normalize();
            let needed = i64::from(normalized.scale()) - exponent;
            if needed > 28 {
                return None;
            }
            let mut r = normalized;
            r.set_scale(u32::try_from(needed).ok()?).ok()?;
            return Some(r);
        }
        result.set_scale(u32::try_from(new_scale).ok()?).ok()?;
        Some(result)
    }
}

/// Round half away from zero (四舍五入) to `places` decimal places; negative
/// places round to tens, hundreds, ... (`-4` rounds to 10,000).
pub fn round_half_away(value: Decimal, places: i32) -> Option<Decimal> {
    round_with(value, places, RoundingStrategy::MidpointAwayFromZero)
}

/// Round half to even (banker's rounding), for formulas that ask for it.
pub fn round_half_even(value: Decimal, places: i32) -> Option<Decimal> {
    round_with(value, places, RoundingStrategy::MidpointNearestEven)
}

fn round_with(value: Decimal, places: i32, strategy: RoundingStrategy) -> Option<Decimal> {
    if places >= 0 {
        Some(value.round_dp_with_strategy(u32::try_from(places).ok()?.min(28), strategy))
    } else {
        let factor = scale_by_power_of_ten(Decimal::ONE, i64::from(-places))?;
        let scaled = value.checked_div(factor)?;
        scaled.round_dp_with_strategy(0, strategy).checked_mul(factor)
    }
}

/// The largest multiple of `unit` not above `value` (unit > 0).
pub fn floor_to_unit(value: Decimal, unit: Decimal) -> Option<Decimal> {
    // A unit that is a power of ten (1, 10000, 0.01) divides by moving the decimal point:
    // the same quotient as the division, without dividing (rounding's hottest step).
    if let Some(exponent) = power_of_ten(unit) {
        let scale = i64::from(value.scale()) + exponent;
        if (0..=28).contains(&scale) {
            // floor(mantissa / 10^scale) in one integer division (Decimal's own floor
            // divides by ten once per decimal place).
            let quotient = value.mantissa().div_euclid(10i128.pow(scale as u32));
            return Decimal::try_from_i128_with_scale(quotient, 0).ok()?.checked_mul(unit);
        }
    }
    value.checked_div(unit)?.floor().checked_mul(unit)
}

/// `e` when `unit` is 10^e (e may be negative: 0.01 is 10^-2).
fn power_of_ten(unit: Decimal) -> Option<i64> {
    let mantissa = unit.mantissa();
    // 10^p = 2^p 5^p has exactly p trailing zero bits.
    let p = mantissa.trailing_zeros();
    (mantissa > 0 && p <= 28 && mantissa == 10i128.pow(p)).then(|| i64::from(p) - i64::from(unit.scale()))
}

/// Is `value` a whole multiple of `unit`?
pub fn is_multiple_of(value: Decimal, unit: Decimal) -> bool {
    value.checked_rem(unit).is_some_and(|remainder| remainder.is_zero())
}

/// The stage unit used when a stage names none: 10^-DEFAULT_STAGE_SCALE.
pub fn default_stage_unit() -> Decimal {
    Decimal::new(1, DEFAULT_STAGE_SCALE)
}

/// Decimal places of a rounding unit: `0.01` → 2, `1` and `10000` → 0.
pub fn places_of_unit(unit: Decimal) -> u32 {
    unit.normalize().scale()
}

/// A named money unit and its size relative to the base unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoneyUnit {
    pub name: String,
    pub factor: Decimal,
}

impl MoneyUnit {
    pub fn parse(text: &str) -> Option<MoneyUnit> {
        parse_unit(text).map(|factor| MoneyUnit {
            name: text.trim().to_string(),
            factor,
        })
    }
}

/// The size of a money unit relative to the base unit (yuan, or 1 for currency-neutral data).
///
/// Named units: `yuan`/`元` (1), `10k yuan`/`万元` (10,000), `100m yuan`/`亿元`
/// (100,000,000); neutral powers of ten: `1`, `1e3`, `1e4`, `1e6`, `1e8`, ... (any `1eN`, N ≤ 20).
pub fn parse_unit(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let named = match t.to_ascii_lowercase().as_str() {
        "yuan" | "元" | "1" => Some(0),
        "10k yuan" | "万元" | "10000" => Some(4),
        "100m yuan" | "亿元" | "100000000" => Some(8),
        "1000" => Some(3),
        "1000000" => Some(6),
        _ => None,
    };
    let exponent = match named {
        Some(e) => e,
        None => {
            let digits = t.strip_prefix("1e").or_else(|| t.strip_prefix("1E"))?;
            let e: u32 = digits.parse().ok()?;
            if e > 20 {
                return None;
            }
            e
        }
    };
    scale_by_power_of_ten(Decimal::ONE, i64::from(exponent))
}

/// Plain text for a value: no exponent, no trailing zeros (`1.50` → `1.5`).
pub fn format_plain(value: Decimal) -> String {
    text_of(value, None)
}

/// `value` as [`write_digits_bytes`] writes it, as a string.
fn text_of(value: Decimal, places: Option<u32>) -> String {
    let mut bytes = Vec::with_capacity(32);
    write_digits_bytes(value, places, &mut bytes);
    // Digits, a sign and a point: ASCII only.
    String::from_utf8(bytes).unwrap_or_default()
}

/// Append `value` as [`format_plain`] writes it (`places` None: trailing zeros dropped) or
/// with exactly its own scale (`Some`), without `Decimal`'s formatter: the mantissa's digits
/// from `itoa`, the point placed by the scale. Audit files print millions of values, and
/// this is several times faster than `normalize().to_string()`, with the same bytes (a
/// property test compares them). Appended in place: a copy through a buffer of its own
/// showed in profiles.
pub fn write_digits_bytes(value: Decimal, places: Option<u32>, out: &mut Vec<u8>) {
    let mantissa = value.mantissa();
    if places.is_none() && mantissa == 0 {
        out.push(b'0');
        return;
    }
    let mut buffer = itoa::Buffer::new();
    let digits = match u64::try_from(mantissa.unsigned_abs()) {
        Ok(small) => buffer.format(small).as_bytes(),
        Err(_) => buffer.format(mantissa.unsigned_abs()).as_bytes(),
    };
    let mut scale = value.scale() as usize;
    let mut len = digits.len();
    if places.is_none() {
        while scale > 0 && len > 1 && digits[len - 1] == b'0' {
            len -= 1;
            scale -= 1;
        }
    }
    let digits = &digits[..len];
    out.reserve(len + scale + 3);
    if mantissa < 0 {
        out.push(b'-');
    }
    if scale == 0 {
        out.extend_from_slice(digits);
    } else if len > scale {
        out.extend_from_slice(&digits[..len - scale]);
        out.push(b'.');
        out.extend_from_slice(&digits[len - scale..]);
    } else {
        out.extend_from_slice(b"0.");
        out.resize(out.len() + scale - len, b'0');
        out.extend_from_slice(digits);
    }
}

/// Plain text with thousands separators in the whole part, for people reading messages
/// (`13300000000.5` → `13,300,000,000.5`); parsed back by [`parse_decimal`].
pub fn format_grouped(value: Decimal) -> String {
    let plain = format_plain(value);
    let (sign, rest) = plain.strip_prefix('-').map_or(("", plain.as_str()), |r| ("-", r));
    let (whole, fraction) = rest.split_once('.').map_or((rest, None), |(w, f)| (w, Some(f)));
    let mut grouped = String::with_capacity(plain.len() + whole.len() / 3);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Plain text with exactly `places` decimal places (`1` with 2 → `1.00`).
pub fn format_fixed(value: Decimal, places: u32) -> String {
    let mut v = value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    v.rescale(places);
    text_of(v, Some(places))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    proptest::proptest! {
        /// The short-cell reader gives the very `Decimal` (bits: value, scale, sign) the
        /// general parser gives, and declines what it does not read.
        #[test]
        fn short_cells_read_as_the_general_parser_reads_them(
            text in "-?[0-9]{1,19}(\\.[0-9]{0,19})?|[+-]?[0-9.eE,x -]{0,8}"
        ) {
            let general = Decimal::from_str_exact(&text).ok();
            match parse_short_decimal(&text) {
                Some(fast) => proptest::prop_assert_eq!(
                    Some(fast.serialize()), general.map(|g| g.serialize()), "{}", text
                ),
                None => {
                    let digits = text.bytes().filter(u8::is_ascii_digit).count();
                    let plain = text.trim_start_matches('-');
                    let shaped = !plain.is_empty()
                        && plain.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                        && plain.matches('.').count() <= 1
                        && !plain.starts_with('.')
                        && !plain.ends_with('.');
                    proptest::prop_assert!(!shaped || digits > 18 || text.starts_with("--"), "{}", text);
                }
            }
        }
    }

    #[test]
    fn short_cells_keep_scale_and_sign() {
        for text in [
            "0",
            "-0",
            "0.00",
            "-0.0",
            "007",
            "12.50",
            "999999999999999999",
            "-1.00000000000000001",
        ] {
            let fast = parse_short_decimal(text).expect(text);
            let general = Decimal::from_str_exact(text).unwrap();
            assert_eq!(fast.serialize(), general.serialize(), "{text}");
            assert_eq!(parse_decimal(text), Ok(general), "{text}");
        }
        for text in ["1234567890123456789", "1.", ".5", "+1", "1e3", "1,000", "--1", "-", ""] {
            assert_eq!(parse_short_decimal(text), None, "{text}");
        }
        assert_eq!(
            parse_decimal("1234567890123456789"),
            Ok(Decimal::from(1234567890123456789u64))
        );
    }

    proptest::proptest! {
        /// The fast writer gives the bytes `Decimal`'s own formatter gives.
        #[test]
        fn digits_are_written_as_decimal_formats_them(
            lo in proptest::num::u32::ANY,
            mid in proptest::num::u32::ANY,
            hi in proptest::prop_oneof![proptest::strategy::Just(0u32), 0u32..=u32::MAX],
            negative in proptest::bool::ANY,
            scale in 0u32..=28,
            places in 0u32..=10,
            small in proptest::bool::ANY,
        ) {
            let hi = if small { hi % 16 } else { hi };
            let value = Decimal::from_parts(lo, if small { 0 } else { mid }, hi * u32::from(!small), negative, scale);
            proptest::prop_assert_eq!(format_plain(value), value.normalize().to_string());
            let mut v = value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
            v.rescale(places);
            proptest::prop_assert_eq!(format_fixed(value, places), v.to_string());
            // The CSV writers' own path, appended after what a buffer already holds.
            let mut bytes = b"x,".to_vec();
            write_digits_bytes(value, None, &mut bytes);
            write_digits_bytes(v, Some(places), &mut bytes);
            proptest::prop_assert_eq!(
                String::from_utf8(bytes).unwrap(),
                format!("x,{}{}", value.normalize(), v)
            );
        }
    }

    proptest::proptest! {
        /// Flooring by moving the decimal point gives the very quotient (value and scale)
        /// the division gives, for every power-of-ten unit and any other.
        #[test]
        fn floor_to_unit_is_the_division_floored(
            lo in proptest::num::u32::ANY,
            mid in proptest::num::u32::ANY,
            hi in proptest::prop_oneof![proptest::strategy::Just(0u32), 0u32..=u32::MAX],
            negative in proptest::bool::ANY,
            scale in 0u32..=28,
            power in 0u32..=12,
            unit_scale in 0u32..=6,
            other in proptest::prop_oneof![proptest::strategy::Just(1i64), 2i64..=99],
            small in proptest::bool::ANY,
        ) {
            // Small values (zero and negative zero among them) as well as wide ones.
            let value = if small {
                Decimal::from_parts(lo % 1000, 0, 0, negative, scale)
            } else {
                Decimal::from_parts(lo, mid, hi, negative, scale)
            };
            let unit = Decimal::new(10i64.pow(power) * other, unit_scale);
            let by_division = value.checked_div(unit).map(|q| q.floor()).and_then(|q| q.checked_mul(unit));
            let fast = floor_to_unit(value, unit);
            proptest::prop_assert_eq!(
                fast.map(|v| (v.mantissa(), v.scale(), v.is_sign_negative())),
                by_division.map(|v| (v.mantissa(), v.scale(), v.is_sign_negative()))
            );
        }
    }

    #[test]
    fn floor_to_unit_of_zeros_and_fractions_is_the_division_floored() {
        for text in [
            "0",
            "-0",
            "-0.000",
            "0.000",
            "0.5",
            "-0.5",
            "-0.0001",
            "9999.99",
            "-10000",
            "12345678.9",
        ] {
            let value: Decimal = text.parse().unwrap();
            for unit in ["1", "10000", "0.01", "3", "0.5"] {
                let unit: Decimal = unit.parse().unwrap();
                let by_division = (value / unit).floor() * unit;
                let fast = floor_to_unit(value, unit).unwrap();
                assert_eq!(
                    (fast.mantissa(), fast.scale(), fast.is_sign_negative(), fast.to_string()),
                    (
                        by_division.mantissa(),
                        by_division.scale(),
                        by_division.is_sign_negative(),
                        by_division.to_string()
                    ),
                    "{text} / {unit}"
                );
            }
        }
    }

    #[test]
    fn zeros_and_negative_zeros_are_written_as_decimal_writes_them() {
        for text in ["0", "-0", "0.000", "-0.000", "-0.001", "100", "1.10", "-12.5"] {
            let value: Decimal = text.parse().unwrap();
            assert_eq!(format_plain(value), value.normalize().to_string(), "{text}");
            for places in [0, 2] {
                let mut v = value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
                v.rescale(places);
                assert_eq!(format_fixed(value, places), v.to_string(), "{text} {places}");
                let mut bytes = Vec::new();
                write_digits_bytes(v, Some(places), &mut bytes);
                assert_eq!(bytes, v.to_string().into_bytes(), "{text} {places}");
            }
            let mut bytes = Vec::new();
            write_digits_bytes(value, None, &mut bytes);
            assert_eq!(bytes, value.normalize().to_string().into_bytes(), "{text}");
        }
    }

    #[test]
    fn grouped_text_has_thousands_separators_and_reads_back() {
        for (value, text) in [
            ("13300000000", "13,300,000,000"),
            ("-1518578.25", "-1,518,578.25"),
            ("999", "999"),
            ("1000", "1,000"),
            ("0.5", "0.5"),
        ] {
            assert_eq!(format_grouped(d(value)), text);
            assert_eq!(parse_decimal(text).unwrap(), d(value));
        }
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn parses_exactly_as_written() {
        assert_eq!(parse_decimal("0.1"), Ok(d("0.1")));
        assert_eq!(parse_decimal(" -12.50 ").map(|v| v.to_string()), Ok("-12.50".into()));
        assert_eq!(parse_decimal("1.5e6"), Ok(d("1500000")));
        assert_eq!(parse_decimal("25E-3"), Ok(d("0.025")));
        assert_eq!(parse_decimal("1,234,567.89"), Ok(d("1234567.89")));
        assert_eq!(parse_decimal(".5"), Ok(d("0.5")));
    }

    #[test]
    fn rejects_what_is_not_a_plain_decimal() {
        assert_eq!(parse_decimal(""), Err(NumberError::Empty));
        assert_eq!(parse_decimal("NaN"), Err(NumberError::NotFinite));
        assert_eq!(parse_decimal("-inf"), Err(NumberError::NotFinite));
        assert_eq!(parse_decimal("1,23"), Err(NumberError::BadGrouping));
        assert_eq!(parse_decimal("1234,567"), Err(NumberError::BadGrouping));
        assert_eq!(parse_decimal("1.234,5"), Err(NumberError::BadGrouping));
        assert_eq!(parse_decimal("12a"), Err(NumberError::NotANumber));
        assert_eq!(parse_decimal("0x10"), Err(NumberError::NotANumber));
        assert_eq!(parse_decimal("1e400"), Err(NumberError::OutOfRange));
        assert_eq!(
            parse_decimal("99999999999999999999999999999999"),
            Err(NumberError::OutOfRange)
        );
    }

    #[test]
    fn rounds_half_away_from_zero_not_to_even() {
        assert_eq!(round_half_away(d("2.5"), 0), Some(d("3")));
        assert_eq!(round_half_away(d("-2.5"), 0), Some(d("-3")));
        assert_eq!(round_half_away(d("0.125"), 2), Some(d("0.13")));
        assert_eq!(round_half_even(d("2.5"), 0), Some(d("2")));
        assert_eq!(round_half_even(d("0.125"), 2), Some(d("0.12")));
        assert_eq!(round_half_away(d("15000"), -4), Some(d("20000")));
        assert_eq!(round_half_away(d("14999"), -4), Some(d("10000")));
    }

    #[test]
    fn floors_to_a_unit_towards_negative_infinity() {
        assert_eq!(floor_to_unit(d("12345.6"), d("100")), Some(d("12300")));
        assert_eq!(floor_to_unit(d("-0.5"), d("1")), Some(d("-1")));
        assert_eq!(floor_to_unit(d("0.37"), d("0.05")), Some(d("0.35")));
    }

    #[test]
    fn units_are_powers_of_ten() {
        assert_eq!(parse_unit("yuan"), Some(d("1")));
        assert_eq!(parse_unit("万元"), Some(d("10000")));
        assert_eq!(parse_unit("10k yuan"), Some(d("10000")));
        assert_eq!(parse_unit("亿元"), Some(d("100000000")));
        assert_eq!(parse_unit("1e6"), Some(d("1000000")));
        assert_eq!(parse_unit("dollars"), None);
        assert_eq!(parse_unit("1e99"), None);
    }

    #[test]
    fn formats_plain_and_fixed() {
        assert_eq!(format_plain(d("1.500")), "1.5");
        assert_eq!(format_plain(parse_decimal("1e3").unwrap()), "1000");
        assert_eq!(format_fixed(d("3"), 2), "3.00");
        assert_eq!(format_fixed(d("120000"), 0), "120000");
        assert_eq!(places_of_unit(d("10000")), 0);
        assert_eq!(places_of_unit(d("0.010")), 2);
    }
}
