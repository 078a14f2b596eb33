//! Warnings about data that loads but looks wrong.
//!
//! Not errors: the run goes on. Each input can set its own thresholds in the
//! formula: `outlier_sd` (default 10; `0` turns the check off) flags values far
//! from the mean; `compare_with` + `max_ratio` flags units whose value changed
//! by more than a factor from another column (say, last year's population).
//! Each check gives one warning per input, listing the units it found.

use rust_decimal::Decimal;

use super::{Column, Dataset};
use crate::diag::{plural, Diagnostic};
use crate::formula::program::Formula;
use crate::money;

/// Standard deviations from the mean beyond which a value is flagged, unless an input says otherwise.
pub const DEFAULT_OUTLIER_SD: Decimal = Decimal::TEN;
const UNITS_LISTED: usize = 20;

pub fn check(data: &Dataset, formula: &Formula) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (index, input) in formula.inputs.iter().enumerate() {
        let Column::Num(values) = &data.columns[index] else {
            continue;
        };
        let limit = input.outlier_sd.unwrap_or(DEFAULT_OUTLIER_SD);
        if !limit.is_zero() && values.len() >= 3 {
            if let Some(flagged) = outliers(values, limit) {
                if !flagged.is_empty() {
                    warnings.push(
                        Diagnostic::warning(format!(
                            "input '{}': {} more than {limit} standard deviations from the mean",
                            input.name,
                            plural(flagged.len(), "unit")
                        ))
                        .at_file(&data.origin)
                        .note(list(data, &flagged, values))
                        .note(format!(
                            "check the values; set outlier_sd in [inputs.{}] to change the threshold (0 turns it off)",
                            input.name
                        )),
                    );
                }
            }
        }
        if let (Some((other, _)), Some(ratio)) = (&input.compare_with, input.max_ratio) {
            let Some(other_index) = formula.inputs.iter().position(|i| &i.name == other) else {
                continue;
            };
            let Column::Num(previous) = &data.columns[other_index] else {
                continue;
            };
            let flagged: Vec<usize> = (0..values.len())
                .filter(|&row| changed_beyond(values[row], previous[row], ratio))
                .collect();
            if !flagged.is_empty() {
                warnings.push(
                    Diagnostic::warning(format!(
                        "input '{}': {} changed by more than a factor {ratio} from '{other}'",
                        input.name,
                        plural(flagged.len(), "unit")
                    ))
                    .at_file(&data.origin)
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
fn outliers(values: &[Decimal], limit: Decimal) -> Option<Vec<usize>> {
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

fn list(data: &Dataset, rows: &[usize], values: &[Decimal]) -> String {
    let shown: Vec<String> = rows
        .iter()
        .take(UNITS_LISTED)
        .map(|&r| format!("{} = {}", data.describe_unit(r), money::format_plain(values[r])))
        .collect();
    let more = rows.len().saturating_sub(UNITS_LISTED);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
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
}
