//! `summary.json`: the run at a glance, for people and scripts.
//!
//! Decimals are JSON strings (exact; a JSON number would be read as a float by
//! most tools). Field order is fixed by the structs, params are sorted by name,
//! so the file is byte-identical for identical runs.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::data::Dataset;
use crate::engine::Computation;
use crate::error::{Error, Result};
use crate::formula::Formula;
use crate::money;

#[derive(Serialize)]
pub struct Summary {
    pub formula: String,
    /// The scenario this run is, when it is one: its name, description and file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<ScenarioSummary>,
    pub formula_file: String,
    pub data: String,
    pub data_files: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub data_source: String,
    /// Rows of the data that are not units, with the reason; absent when none were.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub rows_left_out: Vec<String>,
    pub units: usize,
    /// The key column and the label column of allocations.csv and audit.csv.
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_column: Option<String>,
    /// True when allocations.csv and audit.csv have a second header row of labels
    /// (`--labels`): a reader skips it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub csv_label_row: bool,
    /// The money unit of pools, sums, rounding units and totals here and in allocations.csv.
    pub unit: String,
    /// The formula's own money unit: of k, and of audit.csv and explain.
    pub formula_unit: String,
    pub params: BTreeMap<String, String>,
    pub stages: Vec<StageSummary>,
    pub total: String,
    /// Names as the formula's `[labels]` show them (absent when it has none).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// The formula's `[report]` layout (absent when it has none), for `compare` to follow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<ReportSummary>,
    /// Equalization metrics of per-capita fiscal capacity before and after the transfers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics: Option<super::metrics::Metrics>,
}

#[derive(Serialize, Clone)]
pub struct ReportSummary {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compare_with: Option<String>,
    pub language: String,
}

#[derive(Serialize, Clone)]
pub struct ScenarioSummary {
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub file: String,
}

/// A stage's figures. Amounts (pool, sum, round) are in the summary's `unit`; k is the
/// amount per unit of weight in the formula's own unit (`formula_unit`), as explain and
/// audit.csv compute with it; a stage solved within groups has a k per group instead.
#[derive(Serialize)]
pub struct StageSummary {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub pool: String,
    pub round: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub k: Option<String>,
    pub sum: String,
    pub units_at_floor: usize,
    pub units_at_cap: usize,
    pub units_with_amount: usize,
    /// False for a stage a later stage redistributes: not part of the total.
    pub in_total: bool,
    /// For a stage solved within groups: the grouping input and each group's pool and k.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub within: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupSummary>,
}

#[derive(Serialize)]
pub struct GroupSummary {
    pub group: String,
    pub pool: String,
    pub k: String,
}

/// Sum in order; amounts that passed the solver always fit, so overflow cannot happen here.
fn sum(values: &[rust_decimal::Decimal]) -> rust_decimal::Decimal {
    values
        .iter()
        .fold(rust_decimal::Decimal::ZERO, |acc, v| acc.checked_add(*v).unwrap_or(acc))
}

pub fn build(formula: &Formula, data: &Dataset, result: &Computation, scenario: Option<ScenarioSummary>) -> Summary {
    let out = |v| crate::report::csv::to_output(formula, v);
    Summary {
        formula: formula.name.clone(),
        scenario,
        formula_file: formula.origin.clone(),
        data: data.origin.clone(),
        data_files: data.files.iter().map(|f| f.name.clone()).collect(),
        data_source: data.provenance.clone(),
        rows_left_out: data.left_out.clone(),
        units: data.len(),
        key: formula.key.clone(),
        label_column: formula.label.clone(),
        csv_label_row: false,
        unit: formula.output_unit.name.clone(),
        formula_unit: formula.unit.name.clone(),
        params: formula
            .params
            .iter()
            .zip(&result.params)
            .map(|(p, v)| (p.name.clone(), money::format_plain(*v)))
            .collect(),
        stages: formula
            .stages
            .iter()
            .zip(&result.stages)
            .map(|(stage, solved)| StageSummary {
                name: stage.name.clone(),
                label: formula.labels.get(&stage.name).cloned(),
                pool: money::format_plain(out(solved.pool)),
                round: stage.round.map(|r| money::format_plain(out(r))),
                k: solved.groups.is_empty().then(|| money::format_plain(solved.k)),
                sum: money::format_plain(out(sum(&solved.amounts))),
                units_at_floor: solved.units_at_floor(),
                units_at_cap: solved.units_at_cap(),
                units_with_amount: solved.amounts.iter().filter(|a| !a.is_zero()).count(),
                in_total: stage.in_total,
                within: stage.within.map(|g| formula.group_name(g).to_string()),
                groups: solved
                    .groups
                    .iter()
                    .map(|g| GroupSummary {
                        group: g.group.clone(),
                        pool: money::format_plain(out(g.pool)),
                        k: money::format_plain(g.k),
                    })
                    .collect(),
            })
            .collect(),
        total: money::format_plain(out(sum(&result.totals))),
        labels: formula.labels.clone(),
        report: {
            let r = &formula.report;
            (r.title.is_some() || r.group_by.is_some() || r.compare_with.is_some() || r.chinese).then(|| {
                ReportSummary {
                    title: r.title.clone(),
                    group_by: r.group_by.map(|g| formula.inputs[g].name.clone()),
                    compare_with: r.compare_with.clone(),
                    language: if r.chinese { "zh" } else { "en" }.to_string(),
                }
            })
        },
        metrics: super::metrics::compute(&crate::audit::values::Values::new(formula, data, result)),
    }
}

pub fn render(summary: &Summary) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(summary).map_err(|e| Error::Internal(format!("summary: {e}")))?;
    bytes.push(b'\n');
    Ok(bytes)
}
