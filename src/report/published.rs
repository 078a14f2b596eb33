//! The allocation table as a finance bureau publishes it: a title, the units grouped (by
//! prefecture, say) with a subtotal per group and a 合计 row, each stage's amount and the
//! total in the output unit, last year's amount with the change and the growth, and which
//! units sit at a floor or a cap. Built once from a computed run; the Excel and HTML
//! reports lay it out.
//!
//! Headings are the formula's `[labels]` where given, else its names, and the table's own
//! words (合计, 增减额, 增幅) in the language `[report] language` asks for. Amounts are exact
//! decimals here; subtotals and the 合计 are sums of the exact amounts shown above them, so
//! the 合计 of the total column is the sum of the pools counted in the total.

use rust_decimal::Decimal;

use crate::audit::values::{Named, Values};
use crate::formula::program::ReportColumn;

/// The table's own words, in English or Chinese.
struct Words {
    key: &'static str,
    name: &'static str,
    total: &'static str,
    grand_total: &'static str,
    subtotal: &'static str,
    change: &'static str,
    growth: &'static str,
    bound: &'static str,
    at_floor: &'static str,
    at_cap: &'static str,
    unit: &'static str,
    scenario: &'static str,
    formula: &'static str,
    data: &'static str,
}

const ENGLISH: Words = Words {
    key: "key",
    name: "name",
    total: "total",
    grand_total: "total",
    subtotal: "subtotal",
    change: "change",
    growth: "growth %",
    bound: "held at",
    at_floor: "floor",
    at_cap: "cap",
    unit: "amounts in",
    scenario: "scenario",
    formula: "formula",
    data: "data",
};

const CHINESE: Words = Words {
    key: "代码",
    name: "名称",
    total: "合计",
    grand_total: "合计",
    subtotal: "小计",
    change: "增减额",
    growth: "增幅(%)",
    bound: "保底/封顶",
    at_floor: "保底",
    at_cap: "封顶",
    unit: "单位",
    scenario: "方案",
    formula: "公式",
    data: "数据",
};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    Amount,
    Percent,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableColumn {
    pub heading: String,
    pub kind: ColumnKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    /// An amount in the output unit, exact.
    Amount(Decimal),
    /// A growth rate in percent, exact to 28 digits; None where last year was zero.
    Percent(Option<Decimal>),
    Empty,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Unit,
    Subtotal,
    Total,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub kind: RowKind,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub title: String,
    /// One line under the title: scenario, formula, data, unit.
    pub subtitle: String,
    pub columns: Vec<TableColumn>,
    pub rows: Vec<TableRow>,
}

/// Which amount columns the table has, in order, and how to read each per unit.
enum Source {
    Named(Named),
    Change,
    Growth,
    Bound,
}

/// Build the table of a computed run in `language` (the report's: see
/// `pipeline::Run::report_options`); `scenario` names the scenario, if the run is one.
pub fn build(values: &Values, scenario: Option<&str>, unit: &str, language: crate::i18n::Lang) -> Published {
    let (formula, data, result) = (values.formula, values.data, values.result);
    let settings = &formula.report;
    let words = if language == crate::i18n::Lang::Zh {
        &CHINESE
    } else {
        &ENGLISH
    };
    let label = |name: &str| formula.label(name).to_string();
    let out = |v: Decimal| super::csv::to_output(formula, v);

    let mut columns = Vec::new();
    let text = |heading: String| TableColumn {
        heading,
        kind: ColumnKind::Text,
    };
    let amount = |heading: String| TableColumn {
        heading,
        kind: ColumnKind::Amount,
    };
    let group = settings.group_by;
    if let Some(g) = group {
        columns.push(text(label(&formula.inputs[g].name)));
    }
    columns.push(text(
        formula
            .labels
            .get(&formula.key)
            .cloned()
            .unwrap_or_else(|| words.key.to_string()),
    ));
    let has_label = data.labels.is_some();
    if has_label {
        let name = formula.label.as_deref().unwrap_or(words.name);
        columns.push(text(
            formula.labels.get(name).cloned().unwrap_or_else(|| name.to_string()),
        ));
    }
    let mut sources: Vec<Source> = Vec::new();
    let counted: Vec<usize> = (0..formula.stages.len())
        .filter(|&s| formula.stages[s].in_total)
        .collect();
    let compare = settings
        .compare_with
        .as_ref()
        .and_then(|name| values.find(name).map(|n| (name, n)));
    let total_heading = if counted.len() == 1 {
        // One stage in the total: its column is the total, under the stage's name.
        label(&formula.stages[counted[0]].name)
    } else {
        formula
            .labels
            .get("total")
            .cloned()
            .unwrap_or_else(|| words.total.to_string())
    };
    for column in settings.columns.clone().unwrap_or_else(|| default_columns(formula)) {
        match column {
            ReportColumn::Amount(name) if name == "total" => {
                columns.push(amount(total_heading.clone()));
                sources.push(Source::Named(Named::Total));
            }
            ReportColumn::Amount(name) => {
                if let Some(named) = values.find(&name) {
                    columns.push(amount(label(&name)));
                    sources.push(Source::Named(named));
                }
            }
            ReportColumn::Change if compare.is_some() => {
                columns.push(amount(words.change.to_string()));
                sources.push(Source::Change);
            }
            ReportColumn::Growth if compare.is_some() => {
                columns.push(TableColumn {
                    heading: words.growth.to_string(),
                    kind: ColumnKind::Percent,
                });
                sources.push(Source::Growth);
            }
            ReportColumn::Change | ReportColumn::Growth => {}
            ReportColumn::Bound => {
                columns.push(text(words.bound.to_string()));
                sources.push(Source::Bound);
            }
        }
    }

    // Rows by group, the groups in the order of their first key (a prefecture's counties
    // share its code's prefix, so this is the order of the codes), then by key.
    let mut order: Vec<usize> = (0..data.len()).collect();
    let group_of = |row: usize| -> String { group.map(|g| data.columns[g].display(row)).unwrap_or_default() };
    let mut first_key: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    for row in 0..data.len() {
        let key = &data.keys[row];
        first_key
            .entry(group_of(row))
            .and_modify(|k| *k = (*k).min(key))
            .or_insert(key);
    }
    let group_rank = |row: usize| first_key.get(&group_of(row)).copied().unwrap_or("");
    order.sort_by(|&a, &b| {
        group_rank(a)
            .cmp(group_rank(b))
            .then(group_of(a).cmp(&group_of(b)))
            .then(data.keys[a].cmp(&data.keys[b]))
    });

    let compared = |row: usize| compare.and_then(|(_, n)| values.number(n, row)).map(out);
    let total_of = |row: usize| out(result.totals[row]);
    let amount_cells = |row: usize| -> Vec<Cell> {
        sources
            .iter()
            .map(|source| match source {
                Source::Named(n) => values
                    .number(*n, row)
                    .map(|v| Cell::Amount(out(v)))
                    .unwrap_or(Cell::Empty),
                Source::Change => match compared(row) {
                    Some(last) => Cell::Amount(total_of(row) - last),
                    None => Cell::Empty,
                },
                Source::Growth => Cell::Percent(compared(row).and_then(|last| growth(total_of(row), last))),
                Source::Bound => {
                    let mut held: Vec<&str> = Vec::new();
                    for stage in &result.stages {
                        if stage.at_floor.get(row) == Some(&true) && !held.contains(&words.at_floor) {
                            held.push(words.at_floor);
                        }
                        if stage.at_cap.get(row) == Some(&true) && !held.contains(&words.at_cap) {
                            held.push(words.at_cap);
                        }
                    }
                    Cell::Text(held.join(", "))
                }
            })
            .collect()
    };
    // Sums of the amount columns over rows; change and growth are recomputed from the sums
    // of the total and of the compared amount, whether or not those are columns.
    let summed = |rows: &[usize]| -> Vec<Cell> {
        let mut sums: Vec<Option<Decimal>> = vec![Some(Decimal::ZERO); sources.len()];
        for &row in rows {
            for (i, cell) in amount_cells(row).into_iter().enumerate() {
                if let (Cell::Amount(v), Some(sum)) = (cell, sums[i]) {
                    sums[i] = sum.checked_add(v);
                }
            }
        }
        let sum_of = |value: &dyn Fn(usize) -> Option<Decimal>| {
            rows.iter()
                .try_fold(Decimal::ZERO, |acc, &row| acc.checked_add(value(row)?))
        };
        let total = sum_of(&|row| Some(total_of(row)));
        let last = sum_of(&compared);
        sources
            .iter()
            .enumerate()
            .map(|(i, source)| match source {
                Source::Named(_) => sums[i].map(Cell::Amount).unwrap_or(Cell::Empty),
                Source::Change => match (total, last) {
                    (Some(t), Some(l)) => Cell::Amount(t - l),
                    _ => Cell::Empty,
                },
                Source::Growth => Cell::Percent(match (total, last) {
                    (Some(t), Some(l)) => growth(t, l),
                    _ => None,
                }),
                Source::Bound => Cell::Empty,
            })
            .collect()
    };
    let text_cells = |row: usize| -> Vec<Cell> {
        let mut cells = Vec::new();
        if group.is_some() {
            cells.push(Cell::Text(group_of(row)));
        }
        cells.push(Cell::Text(data.keys[row].to_string()));
        if has_label {
            cells.push(Cell::Text(
                data.labels.as_ref().map(|l| l[row].to_string()).unwrap_or_default(),
            ));
        }
        cells
    };
    let leading = columns.len() - sources.len();
    let labelled = |first: String, rest: Vec<Cell>| -> Vec<Cell> {
        let mut cells = vec![Cell::Text(first)];
        cells.extend(std::iter::repeat_n(Cell::Empty, leading - 1));
        cells.extend(rest);
        cells
    };

    let mut rows = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let name = group_of(order[start]);
        let end = if group.is_some() {
            order[start..]
                .iter()
                .position(|&r| group_of(r) != name)
                .map_or(order.len(), |n| start + n)
        } else {
            order.len()
        };
        for &row in &order[start..end] {
            let mut cells = text_cells(row);
            cells.extend(amount_cells(row));
            rows.push(TableRow {
                kind: RowKind::Unit,
                cells,
            });
        }
        if group.is_some() {
            rows.push(TableRow {
                kind: RowKind::Subtotal,
                cells: labelled(format!("{name} {}", words.subtotal), summed(&order[start..end])),
            });
        }
        start = end;
    }
    rows.push(TableRow {
        kind: RowKind::Total,
        cells: labelled(words.grand_total.to_string(), summed(&order)),
    });

    // The unit first: it must survive any cut of a long line.
    let mut subtitle = vec![format!("{}: {unit}", words.unit)];
    if let Some(s) = scenario {
        subtitle.push(format!("{}: {s}", words.scenario));
    }
    subtitle.push(format!("{}: {}", words.formula, formula.name));
    subtitle.push(format!("{}: {}", words.data, data.origin));
    let title = match (&settings.title, scenario) {
        (Some(t), _) if settings.title_as_written => t.clone(),
        (Some(t), Some(s)) => format!("{t} ({s})"),
        (Some(t), None) => t.clone(),
        (None, Some(s)) => format!("{} ({s})", formula.name),
        (None, None) => formula.name.clone(),
    };
    Published {
        title,
        subtitle: subtitle.join(" · "),
        columns,
        rows,
    }
}

/// The columns of a table whose `[report]` does not choose them: each stage counted in the
/// total and the total (one such stage: the total alone), then the `compare_with` amount,
/// the change and the growth, then the floor/cap flag when a stage has a bound.
fn default_columns(formula: &crate::formula::Formula) -> Vec<ReportColumn> {
    let counted: Vec<&str> = formula
        .stages
        .iter()
        .filter(|s| s.in_total)
        .map(|s| s.name.as_str())
        .collect();
    let mut columns = Vec::new();
    if counted.len() > 1 {
        columns.extend(counted.iter().map(|s| ReportColumn::Amount(s.to_string())));
    }
    columns.push(ReportColumn::Amount("total".into()));
    if let Some(name) = &formula.report.compare_with {
        columns.extend([
            ReportColumn::Amount(name.clone()),
            ReportColumn::Change,
            ReportColumn::Growth,
        ]);
    }
    if formula.stages.iter().any(|s| s.floor.is_some() || s.cap.is_some()) {
        columns.push(ReportColumn::Bound);
    }
    columns
}

/// Growth in percent: (now - before) / before x 100; None when before is zero.
fn growth(now: Decimal, before: Decimal) -> Option<Decimal> {
    if before.is_zero() {
        return None;
    }
    now.checked_sub(before)?
        .checked_div(before)?
        .checked_mul(Decimal::ONE_HUNDRED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_is_the_change_over_last_year_in_percent() {
        assert_eq!(growth(Decimal::from(110), Decimal::from(100)), Some(Decimal::from(10)));
        assert_eq!(growth(Decimal::from(95), Decimal::from(100)), Some(Decimal::from(-5)));
        assert_eq!(growth(Decimal::from(5), Decimal::ZERO), None);
    }
}
