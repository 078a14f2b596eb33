//! Comparing a baseline with several scenarios in one table: `equalize compare BASE S1 S2 ...`.
//!
//! Each scenario is compared with the baseline as `compare` compares two runs (exact
//! differences, winners and losers, metric changes); the table puts every unit on one row,
//! in key order, with the baseline's amount, then each scenario's amount and its difference
//! from the baseline.

use rust_decimal::Decimal;
use serde::Serialize;

use super::compare::{compare, Comparison, Side};
use crate::error::{Error, Result};
use crate::money;

#[derive(Debug, Clone, Serialize)]
pub struct ManyRow {
    pub key: String,
    pub label: String,
    pub base: String,
    /// Per scenario, its amount and its difference from the baseline (empty where the unit
    /// is missing from a run).
    pub amounts: Vec<String>,
    pub differences: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Many {
    pub base: String,
    pub scenarios: Vec<String>,
    pub unit: String,
    /// Each scenario against the baseline, as `compare A B` gives it.
    pub against_base: Vec<Comparison>,
    pub rows: Vec<ManyRow>,
}

pub fn compare_many(base: &Side, others: &[Side]) -> Result<Many> {
    let against_base = others.iter().map(|s| compare(base, s)).collect::<Result<Vec<_>>>()?;
    let mut keys: Vec<&String> = base
        .rows
        .keys()
        .chain(others.iter().flat_map(|s| s.rows.keys()))
        .collect();
    keys.sort();
    keys.dedup();
    let text = |v: Option<Decimal>| v.map(money::format_plain).unwrap_or_default();
    let rows = keys
        .into_iter()
        .map(|key| {
            let base_value = base.rows.get(key).map(|(_, v)| *v);
            let label = base
                .rows
                .get(key)
                .or_else(|| others.iter().find_map(|s| s.rows.get(key)))
                .map(|(l, _)| l.clone())
                .unwrap_or_default();
            let values: Vec<Option<Decimal>> = others.iter().map(|s| s.rows.get(key).map(|(_, v)| *v)).collect();
            let differences = values
                .iter()
                .map(|v| text(v.unwrap_or_default().checked_sub(base_value.unwrap_or_default())))
                .collect();
            ManyRow {
                key: key.clone(),
                label,
                base: text(base_value),
                amounts: values.iter().map(|v| text(*v)).collect(),
                differences,
            }
        })
        .collect();
    Ok(Many {
        base: base.name.clone(),
        scenarios: others.iter().map(|s| s.name.clone()).collect(),
        unit: base.unit.clone(),
        against_base,
        rows,
    })
}

/// The terminal view: per scenario, the total, who gains and loses, and the metrics.
pub fn text(m: &Many) -> String {
    let unit = if m.unit == "1" {
        "the data's money unit".to_string()
    } else {
        m.unit.clone()
    };
    let mut out = format!("base: {}\namounts in {unit}\n\n", m.base);
    for (i, c) in m.against_base.iter().enumerate() {
        out.push_str(&format!(
            "S{}: {}\n  total {} -> {} ({}); {} gain, {} lose, {} unchanged; sum of differences {}\n",
            i + 1,
            c.b,
            c.total_a,
            c.total_b,
            signed(&c.total_difference),
            c.winners,
            c.losers,
            c.unchanged,
            if c.sum_of_differences == c.total_difference {
                "reconciles"
            } else {
                "DOES NOT reconcile"
            }
        ));
        for metric in &c.metrics {
            out.push_str(&format!(
                "  {}: {} -> {}\n",
                metric.metric,
                round4(&metric.a),
                round4(&metric.b)
            ));
        }
        out.push('\n');
    }
    out.push_str("every unit, with each scenario's difference from the base: --out FILE (.csv, .json, .xlsx, .html)\n");
    out
}

fn signed(text: &str) -> String {
    if text.starts_with('-') {
        text.to_string()
    } else {
        format!("+{text}")
    }
}

fn round4(text: &str) -> String {
    money::parse_decimal(text)
        .map(|d| money::format_fixed(d, 4))
        .unwrap_or_else(|_| text.to_string())
}

/// Every unit: key, label, base, then per scenario its amount and difference.
pub fn csv(m: &Many, raw: bool) -> Result<Vec<u8>> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let fail = |e: ::csv::Error| Error::Internal(format!("csv: {e}"));
    let mut header = vec!["key".to_string(), "label".to_string(), "base".to_string()];
    for i in 1..=m.scenarios.len() {
        header.push(format!("s{i}"));
        header.push(format!("s{i}_difference"));
    }
    w.write_record(&header).map_err(fail)?;
    for r in &m.rows {
        let mut record = vec![
            super::csv::text_cell(&r.key, raw).into_owned(),
            super::csv::text_cell(&r.label, raw).into_owned(),
            r.base.clone(),
        ];
        for (amount, difference) in r.amounts.iter().zip(&r.differences) {
            record.push(amount.clone());
            record.push(difference.clone());
        }
        w.write_record(&record).map_err(fail)?;
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
    fn each_scenario_is_differenced_against_the_base_exactly() {
        let base = side("base", "A,Alpha,10,10\nB,Beta,20,20\n");
        let s1 = side("s1", "A,Alpha,12,12\nB,Beta,18,18\n");
        let s2 = side("s2", "A,Alpha,9.5,9.5\nB,Beta,20.5,20.5\n");
        let m = compare_many(&base, &[s1, s2]).unwrap();
        assert_eq!(m.rows[0].amounts, ["12", "9.5"]);
        assert_eq!(m.rows[0].differences, ["2", "-0.5"]);
        assert_eq!(m.rows[1].differences, ["-2", "0.5"]);
        assert_eq!(m.against_base[0].winners, 1);
        assert_eq!(m.against_base[1].total_difference, "0");
        let csv = String::from_utf8(csv(&m, false).unwrap()).unwrap();
        assert_eq!(
            csv,
            "key,label,base,s1,s1_difference,s2,s2_difference\nA,Alpha,10,12,2,9.5,-0.5\nB,Beta,20,18,-2,20.5,0.5\n"
        );
    }
}
