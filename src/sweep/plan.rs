//! The resolved sweep: which param and input each varied value sets, and one
//! scenario computed from its index alone.

use rust_decimal::Decimal;

use super::{round_draw, Rng, SweepSpec};
use crate::audit::values::Values;
use crate::data::Column;
use crate::diag::Diagnostic;
use crate::engine::{self, Reach, Reuse};
use crate::error::{Error, Result};
use crate::money;
use crate::pipeline::Loaded;

/// The metrics kept per scenario, as columns of `scenarios.*`.
pub const METRICS: &[&str] = &[
    "gini_after",
    "weighted_gini_after",
    "cv_after",
    "theil_after",
    "max_min_after",
    "poorest_fifth_share",
];

pub struct Plan<'s> {
    pub spec: &'s SweepSpec,
    /// Column names of the varied values, in order: grid axes, then param draws.
    pub columns: Vec<String>,
    /// Param index of each varied column.
    param_index: Vec<usize>,
    /// Input index of each input draw.
    input_index: Vec<usize>,
    /// Rows of the chosen units.
    unit_rows: Vec<usize>,
}

/// One scenario's params and (when inputs are drawn) data.
pub struct Materialized {
    pub params: Vec<Decimal>,
    /// The varied values as text, in column order.
    pub values: Vec<String>,
    /// Which params, then which inputs, differ from the base.
    pub changed: Vec<bool>,
    /// The data with drawn input factors applied; `None` when no input is drawn.
    pub data: Option<crate::data::Dataset>,
    /// A draw that could not be made.
    pub failure: Option<String>,
}

/// How a scenario ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Solved.
    Ok,
    /// No allocation satisfies the floors and caps with this pool: a result, not a failure.
    Infeasible,
    /// It could not be computed (an overflow, a failed draw).
    Error,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Infeasible => "infeasible",
            Status::Error => "error",
        }
    }
}

/// One scenario's results, as text ready to write.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub index: usize,
    pub values: Vec<String>,
    pub status: Status,
    /// Why, when the status is not ok.
    pub message: String,
    pub total: String,
    pub metrics: Vec<String>,
    pub units: Vec<(String, Decimal)>,
}

/// What one sweep worker carries from a scenario to the next; only time depends on it.
#[derive(Default)]
pub struct Worker {
    /// Rankings for the metrics (see [`crate::report::metrics::Reuse`]).
    pub metrics: crate::report::metrics::Reuse,
    /// The previous scenario computed on the sweep's own data: its params and results.
    previous: Option<(Vec<Decimal>, engine::Computation)>,
    /// Stages' sorted breakpoints, for scenarios that change only their pools.
    pub breakpoints: Option<engine::Kept>,
}

impl<'s> Plan<'s> {
    /// Resolve the spec's names against the loaded formula and data; every problem is
    /// reported where the sweep file names it.
    pub fn new(spec: &'s SweepSpec, loaded: &Loaded) -> Result<Plan<'s>> {
        let formula = &loaded.formula;
        let mut problems = Vec::new();
        let mut columns = Vec::new();
        let mut param_index = Vec::new();
        let names = spec
            .grid
            .iter()
            .map(|a| (&a.name, &a.at))
            .chain(spec.param_draws.iter().map(|d| (&d.name, &d.at)));
        for (name, at) in names {
            match formula.param_index(name) {
                Some(i) => {
                    columns.push(name.to_string());
                    param_index.push(i);
                }
                None => problems.push(
                    match crate::diag::did_you_mean(name, formula.params.iter().map(|p| p.name.as_str())) {
                        Some(hint) => {
                            Diagnostic::error_t("sweep-no-param-hint", crate::args![name = name.as_str(), hint = hint])
                        }
                        None => Diagnostic::error_t("sweep-no-param", crate::args![name = name.as_str()]),
                    }
                    .at(at.clone()),
                ),
            }
        }
        let mut input_index = Vec::new();
        for draw in &spec.input_draws {
            match formula.inputs.iter().position(|i| i.name == draw.name) {
                Some(i) if matches!(loaded.data.columns[i], Column::Num(_)) => input_index.push(i),
                _ => problems
                    .push(Diagnostic::error_t("sweep-no-input", crate::args![name = &draw.name]).at(draw.at.clone())),
            }
        }
        let unit_rows = match &spec.units {
            None => Vec::new(),
            Some(keys) if keys.is_empty() => (0..loaded.data.len()).collect(),
            Some(keys) => keys
                .iter()
                .filter_map(|(k, at)| {
                    let row = loaded.data.keys.binary_search(k).ok();
                    if row.is_none() {
                        problems.push(
                            Diagnostic::error_t("sweep-no-unit", crate::args![key = k, data = &loaded.data.origin])
                                .at(at.clone()),
                        );
                    }
                    row
                })
                .collect(),
        };
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        Ok(Plan {
            spec,
            columns,
            param_index,
            input_index,
            unit_rows,
        })
    }

    /// Scenario `index`'s params and data: the grid values and draws applied to the base.
    pub fn materialize(&self, index: usize, loaded: &Loaded) -> Materialized {
        let formula = &loaded.formula;
        let mut params = loaded.params.clone();
        let mut values = Vec::new();
        let mut changed = vec![false; formula.params.len() + formula.inputs.len()];
        let set = |column: usize,
                   value: Decimal,
                   params: &mut Vec<Decimal>,
                   changed: &mut Vec<bool>,
                   values: &mut Vec<String>| {
            let p = self.param_index[column];
            if params[p] != value {
                changed[p] = true;
            }
            params[p] = value;
            values.push(money::format_plain(value));
        };
        for (column, (_, value)) in self.spec.grid_values(index).into_iter().enumerate() {
            set(column, value, &mut params, &mut changed, &mut values);
        }
        let mut rng = Rng::for_scenario(self.spec.seed, index);
        let grid_columns = self.spec.grid.len();
        let mut failure = None;
        for (k, draw) in self.spec.param_draws.iter().enumerate() {
            match rng.draw(&draw.distribution).and_then(|v| round_draw(v, draw.round)) {
                Some(v) => set(grid_columns + k, v, &mut params, &mut changed, &mut values),
                None => {
                    // The column stays, empty, so every row has the same width.
                    values.push(String::new());
                    failure = Some(crate::tr!("sweep-draw-overflow", name = &draw.name))
                }
            }
        }
        let data = if self.input_index.is_empty() {
            None
        } else {
            let mut copy = loaded.data.clone();
            for (draw, &input) in self.spec.input_draws.iter().zip(&self.input_index) {
                changed[formula.params.len() + input] = true;
                if let Column::Num(column) = &mut copy.columns[input] {
                    for value in column.iter_mut() {
                        let drawn = rng
                            .draw(&draw.distribution)
                            .and_then(|factor| value.checked_mul(factor))
                            .and_then(|v| round_draw(v, draw.round));
                        match drawn {
                            Some(v) => *value = v,
                            None => failure = Some(crate::tr!("sweep-draw-overflow", name = &draw.name)),
                        }
                    }
                }
            }
            Some(copy)
        };
        Materialized {
            params,
            values,
            changed,
            data,
            failure,
        }
    }

    /// Scenario `index`: its params and inputs set, recomputed from the base where they reach.
    pub fn scenario(
        &self,
        index: usize,
        loaded: &Loaded,
        base: Option<&engine::Computation>,
        reach: &Reach,
        worker: &mut Worker,
    ) -> Outcome {
        let formula = &loaded.formula;
        let Materialized {
            params,
            values,
            changed,
            data: drawn,
            failure,
        } = self.materialize(index, loaded);
        let data = drawn.as_ref().unwrap_or(&loaded.data);
        let outcome = |status: Status, message: String| Outcome {
            index,
            values: values.clone(),
            status,
            message,
            total: String::new(),
            metrics: Vec::new(),
            units: Vec::new(),
        };
        if let Some(f) = failure {
            return outcome(Status::Error, f);
        }
        // Steps are copied from the base run, else from this worker's previous scenario
        // (consecutive scenarios of a grid differ in one value), when what they read is
        // unchanged since; a scenario with drawn inputs has data of its own.
        let changed_since_previous: Option<Vec<bool>> = match (&worker.previous, &drawn) {
            (Some((previous, _)), None) => Some(
                params
                    .iter()
                    .zip(previous)
                    .map(|(now, then)| now != then)
                    .chain(std::iter::repeat_n(false, formula.inputs.len()))
                    .collect(),
            ),
            _ => None,
        };
        let mut reuse = Vec::with_capacity(2);
        if let Some(base) = base {
            reuse.push(Reuse {
                base,
                changed: &changed,
                reach,
            });
        }
        if let (Some((_, previous)), Some(changed)) = (&worker.previous, &changed_since_previous) {
            reuse.push(Reuse {
                base: previous,
                changed,
                reach,
            });
        }
        // Breakpoints are kept only for the sweep's own data (drawn inputs change them).
        let kept = match &drawn {
            None => Some(worker.breakpoints.get_or_insert_with(|| engine::Kept::new(reach))),
            Some(_) => None,
        };
        let result = match engine::compute_reusing(formula, data, &params, &loaded.sources, &reuse, kept) {
            Ok(r) => r,
            Err(e) => {
                let status = match e {
                    crate::error::Error::Infeasible(_) => Status::Infeasible,
                    _ => Status::Error,
                };
                let first = e.diagnostics().into_iter().next();
                return outcome(status, first.map_or_else(|| "failed".into(), |d| d.message));
            }
        };
        if let Err(e) = crate::report::csv::check_output_unit(formula, data, &result) {
            let first = e.diagnostics().into_iter().next();
            return outcome(Status::Error, first.map_or_else(|| "failed".into(), |d| d.message));
        }
        let out = |v: Decimal| crate::report::csv::to_output(formula, v);
        let total = result.totals.iter().fold(Decimal::ZERO, |a, v| a + v);
        let metrics = crate::report::metrics::compute_after(
            &Values::new(formula, data, &result),
            self.spec.theil,
            &mut worker.metrics,
        )
        .map(|m| {
            vec![
                m.after.gini,
                m.after.weighted_gini,
                m.after.coefficient_of_variation,
                m.after.theil,
                m.after.max_min_ratio,
                m.poorest_quintile_share,
            ]
        })
        .unwrap_or_else(|| vec![String::new(); METRICS.len()]);
        let outcome = Outcome {
            index,
            values,
            status: Status::Ok,
            message: String::new(),
            total: money::format_plain(out(total)),
            metrics,
            units: self
                .unit_rows
                .iter()
                .map(|&r| (data.keys[r].to_string(), out(result.totals[r])))
                .collect(),
        };
        if drawn.is_none() {
            worker.previous = Some((params, result));
        }
        outcome
    }
}
