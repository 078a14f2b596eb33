//! Comparing two runs: who gains, who loses, and whether the result is more equal.
//!
//! Each side is a run's `allocations.csv` and `summary.json` (from an output folder, or
//! rendered in memory from a scenario). Units are matched by key; the difference is B − A
//! in the reports' money unit, exact. Rows are sorted by absolute change, largest first,
//! ties by key. The sum of the differences always equals the difference of the totals,
//! and the comparison says so.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::money;

/// One run, as the comparison sees it.
pub struct Side {
    pub name: String,
    pub unit: String,
    /// key -> (label, total)
    pub rows: BTreeMap<String, (String, Decimal)>,
    pub metrics: Option<serde_json::Value>,
    /// The formula's labels and `[report]` layout, from summary.json.
    pub labels: BTreeMap<String, String>,
    pub title: Option<String>,
    pub group_by: Option<String>,
    pub chinese: bool,
    /// key -> group, when `group_by` is set and audit.csv was read ([`Side::with_groups`]).
    pub groups: BTreeMap<String, String>,
    /// The formula's `[report] compare_with` (last year's amount, say), and key -> its value
    /// in the output unit, read from audit.csv like the groups.
    pub compare_with: Option<String>,
    pub last: BTreeMap<String, Decimal>,
    /// The formula's unit and the output unit, as factors (audit.csv is in the formula's).
    pub factor: Option<(Decimal, Decimal)>,
    /// The stage columns of allocations.csv, and key -> each stage's amount.
    pub stages: Vec<String>,
    pub stage_rows: BTreeMap<String, Vec<Decimal>>,
    /// The key and label columns' labels in the formula's `[labels]` (through
    /// summary.json's `key` and `label_column`), when it gives them.
    pub key_heading: Option<String>,
    pub name_heading: Option<String>,
    /// The CSV files have a second header row of labels (`--labels`) to skip.
    pub label_row: bool,
}

impl Side {
    /// Read a run from its allocations.csv and summary.json bytes.
    pub fn from_outputs(name: &str, allocations: &[u8], summary: &[u8]) -> Result<Side> {
        let summary: serde_json::Value = serde_json::from_slice(summary).map_err(|e| {
            Error::usage(crate::tr!(
                "compare-summary-invalid",
                name = name,
                error = e.to_string()
            ))
        })?;
        let table = super::table::read(
            super::table::Format::Csv,
            allocations,
            &format!("{name}: allocations.csv"),
        )?;
        let total_column = table
            .column("total")
            .ok_or_else(|| Error::usage(crate::tr!("compare-no-total-column", name = name)))?;
        let header = table.header.clone();
        let label_row = summary["csv_label_row"].as_bool() == Some(true);
        // Runs since summary.json names its key say whether there is a label column;
        // older ones are told by the column count.
        let has_label = match summary.get("key") {
            Some(_) => summary["label_column"].is_string(),
            None => header.len() > 2 && summary["stages"].as_array().is_some_and(|s| header.len() > s.len() + 2),
        };
        let first_stage = if has_label { 2 } else { 1 };
        let stages: Vec<String> = header[first_stage.min(total_column)..total_column].to_vec();
        let mut rows = BTreeMap::new();
        let mut stage_rows = BTreeMap::new();
        for record in table.text_rows().iter().skip(usize::from(label_row)) {
            let key = record[0].clone();
            let label = if has_label { record[1].clone() } else { String::new() };
            let total = money::parse_decimal(&record[total_column])
                .map_err(|_| Error::usage(crate::tr!("compare-total-not-numeric", name = name, key = &key)))?;
            let amounts = (first_stage.min(total_column)..total_column)
                .map(|c| money::parse_decimal(&record[c]).unwrap_or_default())
                .collect();
            stage_rows.insert(key.clone(), amounts);
            rows.insert(key, (label, total));
        }
        let text = |pointer: &str| summary.pointer(pointer).and_then(|v| v.as_str()).map(String::from);
        let labelled = |column: Option<String>| summary["labels"][&column?].as_str().map(String::from);
        let key_heading = labelled(text("/key"));
        let name_heading = labelled(text("/label_column"));
        // A saved scenario run is named by its scenario, as when its file is compared.
        let name = match text("/scenario/name") {
            Some(scenario) if !name.contains(&scenario) => format!("{scenario} ({name})"),
            _ => name.to_string(),
        };
        Ok(Side {
            name,
            unit: summary["unit"].as_str().unwrap_or("1").to_string(),
            rows,
            metrics: summary.get("metrics").cloned(),
            labels: summary["labels"]
                .as_object()
                .map(|m| {
                    m.iter()
                        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                        .collect()
                })
                .unwrap_or_default(),
            title: text("/report/title"),
            group_by: text("/report/group_by"),
            chinese: text("/report/language").as_deref() == Some("zh"),
            groups: BTreeMap::new(),
            stages,
            stage_rows,
            compare_with: text("/report/compare_with"),
            last: BTreeMap::new(),
            key_heading,
            name_heading,
            label_row,
            factor: match (
                text("/formula_unit").and_then(|u| money::MoneyUnit::parse(&u)),
                text("/unit").and_then(|u| money::MoneyUnit::parse(&u)),
            ) {
                (Some(from), Some(to)) => Some((from.factor, to.factor)),
                _ => None,
            },
        })
    }

    /// Read each unit's group from the run's audit.csv, when its formula groups the
    /// published table (`[report] group_by`).
    pub fn with_groups(mut self, audit: &[u8]) -> Result<Side> {
        if self.group_by.is_none() && self.compare_with.is_none() {
            return Ok(self);
        }
        let table = super::table::read(super::table::Format::Csv, audit, &format!("{}: audit.csv", self.name))?;
        let group_column = self.group_by.as_deref().and_then(|g| table.column(g));
        let last_column = self.compare_with.as_deref().and_then(|c| table.column(c));
        let mut rows = table.text_rows();
        if self.label_row && !rows.is_empty() {
            rows.remove(0);
        }
        if let Some(column) = group_column {
            for record in &rows {
                self.groups.insert(record[0].clone(), record[column].clone());
            }
        }
        // Last year's amounts, converted from the formula's unit to the output unit; left
        // out when a conversion is not exact.
        if let (Some(column), Some((from, to))) = (last_column, self.factor) {
            for record in &rows {
                let value = money::parse_decimal(&record[column])
                    .ok()
                    .and_then(|v| v.checked_mul(from))
                    .and_then(|v| v.checked_div(to));
                if let Some(v) = value {
                    self.last.insert(record[0].clone(), v);
                }
            }
        }
        Ok(self)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub key: String,
    pub label: String,
    pub a: String,
    pub b: String,
    pub difference: String,
    /// Percent change; empty when A is zero.
    pub percent: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub a: String,
    pub b: String,
    pub unit: String,
    pub units: usize,
    pub winners: usize,
    pub losers: usize,
    pub unchanged: usize,
    pub only_in_a: Vec<String>,
    pub only_in_b: Vec<String>,
    pub total_a: String,
    pub total_b: String,
    pub total_difference: String,
    /// The sum of the per-unit differences: always equal to `total_difference`.
    pub sum_of_differences: String,
    /// Metric: (before-A, after-A, after-B) for the headline metrics, when both runs have them.
    pub metrics: Vec<MetricChange>,
    pub rows: Vec<Row>,
    #[serde(skip)]
    pub differences: Vec<Decimal>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MetricChange {
    /// The metric's English name (as written to JSON).
    pub metric: String,
    /// Its message identifier, for the terminal and the reports in their language.
    #[serde(skip)]
    pub id: Option<&'static str>,
    pub a: String,
    pub b: String,
}

pub fn compare(a: &Side, b: &Side) -> Result<Comparison> {
    if a.unit != b.unit {
        return Err(Error::usage(crate::tr!(
            "compare-different-units",
            a = &a.unit,
            b = &b.unit
        )));
    }
    // Runs of different units (another province, another formula's data) are not a
    // comparison: refused when the units they share are fewer than half of either run's.
    let shared = a.rows.keys().filter(|k| b.rows.contains_key(*k)).count();
    if shared * 2 < a.rows.len().max(b.rows.len()) {
        return Err(Error::usage(crate::tr!(
            "compare-different-data",
            a = &a.name,
            b = &b.name,
            shared = shared,
            units_a = a.rows.len(),
            units_b = b.rows.len()
        )));
    }
    let zero = (String::new(), Decimal::ZERO);
    let keys: Vec<&String> = {
        let mut k: Vec<&String> = a.rows.keys().chain(b.rows.keys()).collect();
        k.sort();
        k.dedup();
        k
    };
    let mut rows: Vec<(Decimal, Row)> = Vec::new();
    let (mut winners, mut losers, mut unchanged) = (0, 0, 0);
    let mut sum = Decimal::ZERO;
    let too_large = |what: String| Error::usage(crate::tr!("compare-too-large", what = what));
    for key in keys {
        let (label_a, value_a) = a.rows.get(key).unwrap_or(&zero);
        let (label_b, value_b) = b.rows.get(key).unwrap_or(&zero);
        let difference = value_b
            .checked_sub(*value_a)
            .ok_or_else(|| too_large(crate::tr!("compare-what-unit-difference", key = key.as_str())))?;
        sum = sum
            .checked_add(difference)
            .ok_or_else(|| too_large(crate::tr!("compare-what-sum-of-differences")))?;
        match difference.cmp(&Decimal::ZERO) {
            std::cmp::Ordering::Greater => winners += 1,
            std::cmp::Ordering::Less => losers += 1,
            std::cmp::Ordering::Equal => unchanged += 1,
        }
        let percent = if value_a.is_zero() {
            String::new()
        } else {
            match difference
                .checked_div(*value_a)
                .and_then(|r| r.checked_mul(Decimal::ONE_HUNDRED))
            {
                Some(p) => money::format_fixed(p, 2),
                None => String::new(), // beyond 28 digits: left blank, like a change from zero
            }
        };
        let label = if label_a.is_empty() { label_b } else { label_a };
        rows.push((
            difference,
            Row {
                key: key.clone(),
                label: label.clone(),
                a: money::format_plain(*value_a),
                b: money::format_plain(*value_b),
                difference: money::format_plain(difference),
                percent,
            },
        ));
    }
    rows.sort_by(|x, y| y.0.abs().cmp(&x.0.abs()).then(x.1.key.cmp(&y.1.key)));
    let total = |side: &Side| {
        side.rows
            .values()
            .try_fold(Decimal::ZERO, |acc, (_, v)| acc.checked_add(*v))
            .ok_or_else(|| too_large(crate::tr!("compare-what-total", name = &side.name)))
    };
    let (total_a, total_b) = (total(a)?, total(b)?);
    let total_difference = total_b
        .checked_sub(total_a)
        .ok_or_else(|| too_large(crate::tr!("compare-what-difference-of-totals")))?;
    let metrics = match (&a.metrics, &b.metrics) {
        (Some(ma), Some(mb)) => [
            ("compare-metric-gini", "/after/gini"),
            ("compare-metric-gini-weighted", "/after/weighted_gini"),
            ("compare-metric-cv", "/after/coefficient_of_variation"),
            ("compare-metric-theil", "/after/theil"),
            ("compare-metric-max-min", "/after/max_min_ratio"),
            ("compare-metric-min-mean", "/after/min_to_mean"),
            ("compare-metric-poorest-fifth", "/poorest_quintile_share"),
        ]
        .iter()
        .filter_map(|(id, pointer)| {
            Some(MetricChange {
                // The English name is what JSON output carries, whatever the language.
                metric: crate::i18n::text_in(crate::i18n::Lang::En, id, &[]),
                id: Some(id),
                a: ma.pointer(pointer)?.as_str()?.to_string(),
                b: mb.pointer(pointer)?.as_str()?.to_string(),
            })
        })
        .collect(),
        _ => Vec::new(),
    };
    Ok(Comparison {
        a: a.name.clone(),
        b: b.name.clone(),
        unit: a.unit.clone(),
        units: rows.len(),
        winners,
        losers,
        unchanged,
        only_in_a: a.rows.keys().filter(|k| !b.rows.contains_key(*k)).cloned().collect(),
        only_in_b: b.rows.keys().filter(|k| !a.rows.contains_key(*k)).cloned().collect(),
        total_a: money::format_plain(total_a),
        total_b: money::format_plain(total_b),
        total_difference: money::format_plain(total_difference),
        sum_of_differences: money::format_plain(sum),
        metrics,
        differences: rows.iter().map(|(d, _)| *d).collect(),
        rows: rows.into_iter().map(|(_, r)| r).collect(),
    })
}

/// Per stage (matched by name), each unit's amount in A and B and the difference, then the
/// totals: a scenario that adds a top-up shows where its money went.
pub fn by_stage_csv(a: &Side, b: &Side, raw: bool) -> Result<Vec<u8>> {
    let mut stages: Vec<&String> = a.stages.iter().collect();
    stages.extend(b.stages.iter().filter(|s| !a.stages.contains(s)));
    let amount = |side: &Side, key: &str, stage: &str| -> Decimal {
        side.stages
            .iter()
            .position(|s| s == stage)
            .and_then(|i| side.stage_rows.get(key).and_then(|v| v.get(i)).copied())
            .unwrap_or_default()
    };
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let fail = |e: ::csv::Error| Error::Internal(format!("csv: {e}"));
    let mut header = vec!["key".to_string(), "label".to_string()];
    for s in &stages {
        header.extend([format!("{s}_a"), format!("{s}_b"), format!("{s}_difference")]);
    }
    header.extend(["total_a".into(), "total_b".into(), "total_difference".into()]);
    w.write_record(&header).map_err(fail)?;
    let mut keys: Vec<&String> = a.rows.keys().chain(b.rows.keys()).collect();
    keys.sort();
    keys.dedup();
    let too_large = || Error::usage(crate::tr!("compare-difference-too-large"));
    for key in keys {
        let label = a
            .rows
            .get(key)
            .or_else(|| b.rows.get(key))
            .map(|(l, _)| l.as_str())
            .unwrap_or("");
        let mut record = vec![
            super::csv::text_cell(key, raw).into_owned(),
            super::csv::text_cell(label, raw).into_owned(),
        ];
        for s in &stages {
            let (x, y) = (amount(a, key, s), amount(b, key, s));
            record.extend([
                money::format_plain(x),
                money::format_plain(y),
                money::format_plain(y.checked_sub(x).ok_or_else(too_large)?),
            ]);
        }
        let (x, y) = (
            a.rows.get(key).map(|(_, v)| *v).unwrap_or_default(),
            b.rows.get(key).map(|(_, v)| *v).unwrap_or_default(),
        );
        record.extend([
            money::format_plain(x),
            money::format_plain(y),
            money::format_plain(y.checked_sub(x).ok_or_else(too_large)?),
        ]);
        w.write_record(&record).map_err(fail)?;
    }
    w.into_inner().map_err(|e| Error::Internal(format!("csv: {e}")))
}

/// Per stage, the sums in A and B and their difference, for the terminal.
pub fn by_stage_text(a: &Side, b: &Side) -> String {
    let mut stages: Vec<&String> = a.stages.iter().collect();
    stages.extend(b.stages.iter().filter(|s| !a.stages.contains(s)));
    let sum = |side: &Side, stage: &str| -> Decimal {
        match side.stages.iter().position(|s| s == stage) {
            Some(i) => side
                .stage_rows
                .values()
                .filter_map(|v| v.get(i))
                .fold(Decimal::ZERO, |acc, v| acc.checked_add(*v).unwrap_or(acc)),
            None => Decimal::ZERO,
        }
    };
    let mut out = format!("  {}\n", crate::tr!("compare-by-stage"));
    for s in stages {
        let (x, y) = (sum(a, s), sum(b, s));
        let d = y.checked_sub(x).map(money::format_plain).unwrap_or_default();
        // A stage the formula labels is shown by its label, with its name.
        let shown = match b.labels.get(s.as_str()).or_else(|| a.labels.get(s.as_str())) {
            Some(label) if label != s => format!("{label} ({s})"),
            _ => s.to_string(),
        };
        out.push_str(&format!(
            "    {shown:<24} {} -> {} ({})\n",
            money::format_plain(x),
            money::format_plain(y),
            if d.starts_with('-') { d } else { format!("+{d}") }
        ));
    }
    out
}

/// The terminal table: totals, winners and losers, the largest changes both ways, metrics.
pub fn text(c: &Comparison, shown: usize) -> String {
    let unit = if c.unit == "1" {
        crate::tr!("compare-data-money-unit")
    } else {
        c.unit.clone()
    };
    let mut out = format!(
        "A: {}\nB: {}\n{}\n\n",
        c.a,
        c.b,
        crate::tr!("compare-amounts-in", unit = unit)
    );
    let reconciled = if c.sum_of_differences == c.total_difference {
        "compare-totals-reconcile"
    } else {
        "compare-totals-do-not-reconcile"
    };
    out.push_str(&format!(
        "  {}\n  {}\n",
        crate::tr!(
            "compare-units-line",
            units = c.units,
            gain = c.winners,
            lose = c.losers,
            unchanged = c.unchanged
        ),
        crate::tr!(
            reconciled,
            a = &c.total_a,
            b = &c.total_b,
            difference = signed(&c.total_difference),
            sum = &c.sum_of_differences
        )
    ));
    if !c.only_in_a.is_empty() || !c.only_in_b.is_empty() {
        out.push_str(&format!(
            "  {}\n",
            crate::tr!("compare-only-in", a = c.only_in_a.len(), b = c.only_in_b.len())
        ));
    }
    let gains: Vec<&Row> = c
        .rows
        .iter()
        .zip(&c.differences)
        .filter(|(_, d)| d.is_sign_positive() && !d.is_zero())
        .map(|(r, _)| r)
        .take(shown)
        .collect();
    let losses: Vec<&Row> = c
        .rows
        .iter()
        .zip(&c.differences)
        .filter(|(_, d)| d.is_sign_negative() && !d.is_zero())
        .map(|(r, _)| r)
        .take(shown)
        .collect();
    for (title, rows) in [("compare-largest-gains", gains), ("compare-largest-losses", losses)] {
        if rows.is_empty() {
            continue;
        }
        out.push_str(&format!("\n  {}\n", crate::tr!(title)));
        out.push_str(&table(&rows));
    }
    if !c.metrics.is_empty() {
        out.push_str(&format!(
            "\n  {}A            B\n",
            pad_right(&crate::tr!("compare-metrics"), 37)
        ));
        for m in &c.metrics {
            let round = |s: &str| {
                money::parse_decimal(s)
                    .map(|d| money::format_fixed(d, 4))
                    .unwrap_or_else(|_| s.to_string())
            };
            let name = m.id.map_or_else(|| m.metric.clone(), |id| crate::tr!(id));
            out.push_str(&format!(
                "  {} {:>8} -> {:>8}\n",
                pad_right(&name, 32),
                round(&m.a),
                round(&m.b)
            ));
        }
    }
    out
}

/// `text` and spaces to `width` columns of the terminal (a Chinese character takes two).
fn pad_right(text: &str, width: usize) -> String {
    let pad = width.saturating_sub(unicode_width::UnicodeWidthStr::width(text));
    format!("{text}{}", " ".repeat(pad))
}

fn signed(text: &str) -> String {
    if text.starts_with('-') {
        text.to_string()
    } else {
        format!("+{text}")
    }
}

fn table(rows: &[&Row]) -> String {
    let header = [
        crate::tr!("compare-column-key"),
        crate::tr!("compare-column-label"),
        "A".to_string(),
        "B".to_string(),
        crate::tr!("compare-column-difference"),
        "%".to_string(),
    ];
    let mut cells: Vec<[String; 6]> = vec![header];
    for r in rows {
        cells.push([
            r.key.clone(),
            r.label.clone(),
            r.a.clone(),
            r.b.clone(),
            signed(&r.difference),
            r.percent.clone(),
        ]);
    }
    let width = |c: usize| {
        cells
            .iter()
            .map(|r| unicode_width::UnicodeWidthStr::width(r[c].as_str()))
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..6).map(width).collect();
    let mut out = String::new();
    for row in &cells {
        let mut line = String::from("  ");
        for (c, cell) in row.iter().enumerate() {
            let pad = widths[c].saturating_sub(unicode_width::UnicodeWidthStr::width(cell.as_str()));
            if c < 2 {
                line.push_str(&format!("{cell}{}  ", " ".repeat(pad)));
            } else {
                line.push_str(&format!("{}{cell}  ", " ".repeat(pad)));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Every unit as CSV: key, label, A, B, difference, percent; sorted as the comparison.
pub fn csv(c: &Comparison, raw: bool) -> Result<Vec<u8>> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let fail = |e: ::csv::Error| Error::Internal(format!("csv: {e}"));
    w.write_record(["key", "label", "a", "b", "difference", "percent"])
        .map_err(fail)?;
    for r in &c.rows {
        let (key, label) = (super::csv::text_cell(&r.key, raw), super::csv::text_cell(&r.label, raw));
        w.write_record([&*key, &*label, &r.a, &r.b, &r.difference, &r.percent])
            .map_err(fail)?;
    }
    w.into_inner().map_err(|e| Error::Internal(format!("csv: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(name: &str, rows: &str) -> Side {
        let summary = br#"{"unit": "10000", "stages": [{"name": "grant"}]}"#;
        Side::from_outputs(name, format!("code,name,grant,total\n{rows}").as_bytes(), summary).unwrap()
    }

    #[test]
    fn differences_are_exact_and_add_up_to_the_change_in_totals() {
        let a = side("a", "A,Alpha,10.5,10.5\nB,Beta,20,20\nC,Gamma,0,0\n");
        let b = side("b", "A,Alpha,12,12\nB,Beta,17.25,17.25\nD,Delta,1,1\n");
        let c = compare(&a, &b).unwrap();
        assert_eq!((c.winners, c.losers, c.unchanged), (2, 1, 1));
        assert_eq!(c.only_in_a, ["C"]);
        assert_eq!(c.only_in_b, ["D"]);
        assert_eq!((c.total_a.as_str(), c.total_b.as_str()), ("30.5", "30.25"));
        assert_eq!(c.total_difference, "-0.25");
        assert_eq!(c.sum_of_differences, c.total_difference);
        // Largest absolute change first: B -2.75, A +1.5, D +1.
        let keys: Vec<&str> = c.rows.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys[..3], ["B", "A", "D"]);
        assert_eq!(c.rows[0].label, "Beta");
        assert_eq!(c.rows[0].difference, "-2.75");
    }

    #[test]
    fn amounts_beyond_28_digits_are_an_error_not_a_panic() {
        let big = "79228162514264337593543950335";
        let a = side("a", &format!("A,Alpha,{big},{big}\nB,Beta,{big},{big}\n"));
        let b = side("b", &format!("A,Alpha,-{big},-{big}\n"));
        let err = compare(&a, &b).err().unwrap().to_string();
        assert!(err.contains("does not fit in 28 significant digits"), "{err}");
    }

    #[test]
    fn runs_in_different_money_units_are_refused() {
        let a = side("a", "A,Alpha,1,1\n");
        let mut b = side("b", "A,Alpha,1,1\n");
        b.unit = "1".into();
        let err = compare(&a, &b).unwrap_err().to_string();
        assert_eq!(
            err,
            "error: the runs report in different money units (10000 and 1); compare runs of the same unit\n"
        );
    }

    #[test]
    fn a_total_that_is_not_a_number_is_named() {
        let summary = br#"{"unit": "1", "stages": []}"#;
        let err = Side::from_outputs("x", b"code,total\nA,abc\n", summary)
            .err()
            .unwrap()
            .to_string();
        assert_eq!(err, "error: x: allocations.csv: unit A has no numeric total\n");
    }
}
