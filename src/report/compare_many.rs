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
    /// The unit's group in the base run's published table (its `[report] group_by`), if any.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub group: String,
    pub key: String,
    pub label: String,
    /// Last year's amount (the base formula's `[report] compare_with`), if it has one.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub last: String,
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
    /// The base run's published-table layout: grouping heading, title, language, labels.
    #[serde(skip)]
    pub layout: Layout,
}

#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub group_heading: Option<String>,
    pub last_heading: Option<String>,
    pub title: Option<String>,
    pub chinese: bool,
    /// The key and name columns' labels in the base formula, when it gives them.
    pub key_heading: Option<String>,
    pub name_heading: Option<String>,
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
                group: base.groups.get(key).cloned().unwrap_or_default(),
                last: text(base.last.get(key).copied()),
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
        layout: Layout {
            group_heading: base
                .group_by
                .as_ref()
                .filter(|_| !base.groups.is_empty())
                .map(|g| base.labels.get(g).cloned().unwrap_or_else(|| g.clone())),
            last_heading: base
                .compare_with
                .as_ref()
                .filter(|_| !base.last.is_empty())
                .map(|c| base.labels.get(c).cloned().unwrap_or_else(|| c.clone())),
            title: base.title.clone(),
            chinese: base.chinese,
            key_heading: base.key_heading.clone(),
            name_heading: base.name_heading.clone(),
        },
    })
}

/// The comparison as a published table (`report::published`): units grouped as the base
/// run's formula groups them, with a subtotal per group and a total, the base amount, then
/// each scenario's amount and change; headings in the base formula's language.
pub fn published(m: &Many) -> super::published::Published {
    use super::published::{Cell, ColumnKind, Published, RowKind, TableColumn, TableRow};
    let zh = m.layout.chinese;
    let column = |heading: String, kind| TableColumn { heading, kind };
    let mut columns = Vec::new();
    let grouped = m.layout.group_heading.is_some();
    if let Some(g) = &m.layout.group_heading {
        columns.push(column(g.clone(), ColumnKind::Text));
    }
    let generic = |zh_word: &str, en_word: &str| if zh { zh_word } else { en_word }.to_string();
    columns.push(column(
        m.layout.key_heading.clone().unwrap_or_else(|| generic("代码", "key")),
        ColumnKind::Text,
    ));
    columns.push(column(
        m.layout.name_heading.clone().unwrap_or_else(|| generic("名称", "name")),
        ColumnKind::Text,
    ));
    let has_last = m.layout.last_heading.is_some();
    if let Some(h) = &m.layout.last_heading {
        columns.push(column(h.clone(), ColumnKind::Amount));
    }
    columns.push(column(if zh { "基准" } else { "base" }.into(), ColumnKind::Amount));
    for i in 1..=m.scenarios.len() {
        columns.push(column(format!("S{i}"), ColumnKind::Amount));
        columns.push(column(
            format!("S{i} {}", if zh { "增减额" } else { "change" }),
            ColumnKind::Amount,
        ));
        columns.push(column(
            format!("S{i} {}", if zh { "增幅(%)" } else { "growth %" }),
            ColumnKind::Percent,
        ));
    }
    // Amount columns: [last year], base, then per scenario amount and change; growth is
    // derived from base and change, for units and sums alike.
    let amounts = |r: &ManyRow| -> Vec<Option<Decimal>> {
        let mut v = Vec::new();
        if has_last {
            v.push(money::parse_decimal(&r.last).ok());
        }
        v.push(money::parse_decimal(&r.base).ok());
        for (a, d) in r.amounts.iter().zip(&r.differences) {
            v.push(money::parse_decimal(a).ok());
            v.push(money::parse_decimal(d).ok());
        }
        v
    };
    let base_at = usize::from(has_last);
    let cells = |values: Vec<Option<Decimal>>| -> Vec<Cell> {
        let base = values.get(base_at).copied().flatten();
        let mut out: Vec<Cell> = values[..=base_at]
            .iter()
            .map(|v| v.map_or(Cell::Empty, Cell::Amount))
            .collect();
        for pair in values[base_at + 1..].chunks(2) {
            out.push(pair[0].map_or(Cell::Empty, Cell::Amount));
            let change = pair.get(1).copied().flatten();
            out.push(change.map_or(Cell::Empty, Cell::Amount));
            let growth = match (change, base) {
                (Some(d), Some(b)) if !b.is_zero() => {
                    d.checked_div(b).and_then(|g| g.checked_mul(Decimal::ONE_HUNDRED))
                }
                _ => None,
            };
            out.push(Cell::Percent(growth));
        }
        out
    };
    let sum = |rows: &[&ManyRow]| -> Vec<Option<Decimal>> {
        let width = base_at + 1 + 2 * m.scenarios.len();
        let mut sums = vec![Some(Decimal::ZERO); width];
        for r in rows {
            for (i, v) in amounts(r).into_iter().enumerate() {
                sums[i] = match (sums[i], v) {
                    (Some(s), Some(v)) => s.checked_add(v),
                    (s, None) => s,
                    (None, _) => None,
                };
            }
        }
        sums
    };
    let leading = if grouped { 3 } else { 2 };
    let labelled = |first: String, values: Vec<Option<Decimal>>| -> Vec<Cell> {
        let mut row = vec![Cell::Text(first)];
        row.extend(std::iter::repeat_n(Cell::Empty, leading - 1));
        row.extend(cells(values));
        row
    };
    // Groups in the order of their first key, then keys (as the run's own table).
    let mut order: Vec<&ManyRow> = m.rows.iter().collect();
    let mut first_key: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for r in &m.rows {
        first_key
            .entry(r.group.as_str())
            .and_modify(|k| *k = (*k).min(r.key.as_str()))
            .or_insert(r.key.as_str());
    }
    order.sort_by(|a, b| {
        first_key[a.group.as_str()]
            .cmp(first_key[b.group.as_str()])
            .then(a.group.cmp(&b.group))
            .then(a.key.cmp(&b.key))
    });
    let mut rows = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let group = order[start].group.clone();
        let end = if grouped {
            order[start..]
                .iter()
                .position(|r| r.group != group)
                .map_or(order.len(), |n| start + n)
        } else {
            order.len()
        };
        for r in &order[start..end] {
            let mut row = Vec::new();
            if grouped {
                row.push(Cell::Text(r.group.clone()));
            }
            row.push(Cell::Text(r.key.clone()));
            row.push(Cell::Text(r.label.clone()));
            row.extend(cells(amounts(r)));
            rows.push(TableRow {
                kind: RowKind::Unit,
                cells: row,
            });
        }
        if grouped {
            rows.push(TableRow {
                kind: RowKind::Subtotal,
                cells: labelled(
                    format!("{group} {}", if zh { "小计" } else { "subtotal" }),
                    sum(&order[start..end]),
                ),
            });
        }
        start = end;
    }
    rows.push(TableRow {
        kind: RowKind::Total,
        cells: labelled(if zh { "合计" } else { "total" }.into(), sum(&order)),
    });
    let mut subtitle = vec![
        format!("{}: {}", if zh { "单位" } else { "amounts in" }, m.unit),
        format!("{}: {}", if zh { "基准" } else { "base" }, m.base),
    ];
    for (i, s) in m.scenarios.iter().enumerate() {
        subtitle.push(format!("S{}: {s}", i + 1));
    }
    let what = if zh { "方案比较" } else { "comparison of scenarios" };
    Published {
        title: match &m.layout.title {
            Some(t) => format!("{t} ({what})"),
            None => what.to_string(),
        },
        subtitle: subtitle.join(" · "),
        columns,
        rows,
    }
}

/// The terminal view: per scenario, the total, who gains and loses, and the metrics.
pub fn text(m: &Many) -> String {
    let unit = if m.unit == "1" {
        crate::tr!("compare-data-money-unit")
    } else {
        m.unit.clone()
    };
    let mut out = format!(
        "{}\n{}\n\n",
        crate::tr!("compare-many-base", base = &m.base),
        crate::tr!("compare-amounts-in", unit = unit)
    );
    for (i, c) in m.against_base.iter().enumerate() {
        let id = if c.sum_of_differences == c.total_difference {
            "compare-many-line-reconciles"
        } else {
            "compare-many-line-does-not-reconcile"
        };
        out.push_str(&format!(
            "S{}: {}\n  {}\n",
            i + 1,
            c.b,
            crate::tr!(
                id,
                a = &c.total_a,
                b = &c.total_b,
                difference = signed(&c.total_difference),
                gain = c.winners,
                lose = c.losers,
                unchanged = c.unchanged
            )
        ));
        for metric in &c.metrics {
            out.push_str(&format!(
                "  {}: {} -> {}\n",
                metric.id.map_or_else(|| metric.metric.clone(), |id| crate::tr!(id)),
                round4(&metric.a),
                round4(&metric.b)
            ));
        }
        out.push('\n');
    }
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
