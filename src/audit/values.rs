//! The value of every name in a computed run, for one unit.

use rust_decimal::Decimal;

use crate::data::{Column, Dataset};
use crate::engine::Computation;
use crate::formula::eval::{AggValue, VarColumn};
use crate::formula::program::{Formula, Ref};
use crate::money;

/// A computed run, read by name.
pub struct Values<'a> {
    pub formula: &'a Formula,
    pub data: &'a Dataset,
    pub result: &'a Computation,
    /// Each stage's rounding ranks, computed once when first asked (a trace explains
    /// every unit: ranking each unit among all the others would be quadratic).
    rounding: std::sync::OnceLock<Vec<StageRounding>>,
}

/// Where each unit of a stage stood in its largest-remainder step, among the units
/// fitted with it (its group, or all): its rank (largest remainder first, ties by key),
/// how many were fitted with it, and how many of them received an extra rounding unit.
#[derive(Debug, Clone, Default)]
pub struct StageRounding {
    pub rank: Vec<u32>,
    pub peers: Vec<u32>,
    pub extra: Vec<u32>,
}

/// What a name stands for in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    Ref(Ref),
    Total,
}

impl<'a> Values<'a> {
    pub fn new(formula: &'a Formula, data: &'a Dataset, result: &'a Computation) -> Values<'a> {
        Values {
            formula,
            data,
            result,
            rounding: std::sync::OnceLock::new(),
        }
    }

    /// The rounding ranks of stage `index` (all stages computed on first use).
    pub fn rounding(&self, index: usize) -> Option<&StageRounding> {
        self.rounding
            .get_or_init(|| (0..self.formula.stages.len()).map(|i| self.stage_rounding(i)).collect())
            .get(index)
    }

    fn stage_rounding(&self, index: usize) -> StageRounding {
        let (Some(stage), Some(solved)) = (self.formula.stages.get(index), self.result.stages.get(index)) else {
            return StageRounding::default();
        };
        let units = solved.exact.len();
        let unit = solved.unit;
        let down = |r: usize| money::floor_to_unit(solved.exact[r], unit).unwrap_or(solved.exact[r]);
        let mut members: std::collections::BTreeMap<&str, Vec<usize>> = std::collections::BTreeMap::new();
        let groups = stage.within.and_then(|g| self.group_keys(g));
        for r in 0..units {
            members
                .entry(groups.as_ref().map_or("", |g| &g[r]))
                .or_default()
                .push(r);
        }
        let mut out = StageRounding {
            rank: vec![0; units],
            peers: vec![0; units],
            extra: vec![0; units],
        };
        for rows in members.values_mut() {
            // Compared as the rounding compared them: within the group, to its significant places.
            let exact: Vec<Decimal> = rows.iter().map(|&r| solved.exact[r]).collect();
            let places = crate::allocate::rounding::significant_places(&exact);
            let remainder: Vec<Decimal> = rows
                .iter()
                .map(|&r| {
                    crate::allocate::rounding::comparable_remainder(solved.exact[r], unit, places)
                        .unwrap_or(solved.exact[r] - down(r))
                })
                .collect();
            let mut order: Vec<usize> = (0..rows.len()).collect();
            // Rows are in key order: a stable sort by remainder keeps ties by key.
            order.sort_by(|&a, &b| remainder[b].cmp(&remainder[a]));
            let sorted: Vec<usize> = order.iter().map(|&i| rows[i]).collect();
            *rows = sorted;
            let extra = rows.iter().filter(|&&r| solved.amounts[r] > down(r)).count() as u32;
            for (i, &r) in rows.iter().enumerate() {
                out.rank[r] = i as u32 + 1;
                out.peers[r] = rows.len() as u32;
                out.extra[r] = extra;
            }
        }
        out
    }

    /// Each unit's group (`within`, `sum_by`), as the run computed it.
    pub fn group_keys(
        &self,
        group: crate::formula::program::Group,
    ) -> Option<std::borrow::Cow<'a, crate::data::Texts>> {
        crate::formula::eval::group_keys(group, &self.data.columns, &self.result.vars).ok()
    }
}

impl Values<'_> {
    pub fn row_of(&self, key: &str) -> Option<usize> {
        self.data.keys.binary_search_by(|k| k.cmp(key)).ok()
    }

    pub fn find(&self, name: &str) -> Option<Named> {
        let f = self.formula;
        if name == "total" {
            return Some(Named::Total);
        }
        if let Some(i) = f.vars.iter().position(|v| v.name == name) {
            return Some(Named::Ref(Ref::Var(i)));
        }
        if let Some(i) = f.stages.iter().position(|s| s.name == name) {
            return Some(Named::Ref(Ref::Stage(i)));
        }
        if let Some(i) = f.inputs.iter().position(|s| s.name == name) {
            return Some(Named::Ref(Ref::Input(i)));
        }
        f.params
            .iter()
            .position(|s| s.name == name)
            .map(|i| Named::Ref(Ref::Param(i)))
    }

    pub fn name(&self, r: Ref) -> String {
        let f = self.formula;
        match r {
            Ref::Input(i) => f.inputs[i].name.clone(),
            Ref::Param(i) => f.params[i].name.clone(),
            Ref::Var(i) => f.vars[i].name.clone(),
            Ref::Stage(i) => f.stages[i].name.clone(),
            Ref::Aggregate(i) => f.aggregates[i].source.clone(),
        }
    }

    /// The number behind a name, if it is one (conditions and text are not).
    pub fn number(&self, named: Named, row: usize) -> Option<Decimal> {
        match named {
            Named::Total => self.result.totals.get(row).copied(),
            Named::Ref(Ref::Input(i)) => match &self.data.columns[i] {
                Column::Num(v) => v.get(row).copied(),
                _ => None,
            },
            Named::Ref(Ref::Param(i)) => self.result.params.get(i).copied(),
            Named::Ref(Ref::Var(i)) => match &self.result.vars[i] {
                VarColumn::Num(v) => v.get(row).copied(),
                _ => None,
            },
            Named::Ref(Ref::Stage(i)) => self.result.stages.get(i).and_then(|s| s.amounts.get(row)).copied(),
            Named::Ref(Ref::Aggregate(i)) => match &self.result.aggregates[i] {
                AggValue::Scalar(v) => Some(*v),
                AggValue::Column(v) | AggValue::Scores { scores: v, .. } => v.get(row).copied(),
                AggValue::Pending => None,
            },
        }
    }

    /// A whole column of numbers behind a name, where the run holds it as one (a param
    /// or a scalar aggregate is not a column; conditions and text are not numbers).
    pub fn numbers(&self, named: Named) -> Option<&[Decimal]> {
        match named {
            Named::Total => Some(&self.result.totals),
            Named::Ref(Ref::Input(i)) => match &self.data.columns[i] {
                Column::Num(v) => Some(v),
                _ => None,
            },
            Named::Ref(Ref::Param(_)) => None,
            Named::Ref(Ref::Var(i)) => match &self.result.vars[i] {
                VarColumn::Num(v) => Some(v),
                _ => None,
            },
            Named::Ref(Ref::Stage(i)) => self.result.stages.get(i).map(|s| s.amounts.as_slice()),
            Named::Ref(Ref::Aggregate(i)) => match &self.result.aggregates[i] {
                AggValue::Column(v) | AggValue::Scores { scores: v, .. } => Some(v),
                AggValue::Scalar(_) | AggValue::Pending => None,
            },
        }
    }

    /// The value as the audit file prints it.
    pub fn text(&self, named: Named, row: usize) -> String {
        match named {
            Named::Ref(Ref::Input(i)) => self.data.columns[i].display(row),
            Named::Ref(Ref::Var(i)) => self.result.vars[i].display(row),
            other => self.number(other, row).map(money::format_plain).unwrap_or_default(),
        }
    }

    /// `name = expression` and one line per operand with its value, for one unit.
    pub fn derivation(&self, named: Named, row: usize) -> Vec<String> {
        let (source, refs) = match named {
            Named::Ref(Ref::Var(i)) => (self.formula.vars[i].source.clone(), self.formula.vars[i].expr.refs()),
            Named::Ref(Ref::Stage(i)) => {
                let stage = &self.formula.stages[i];
                let mut refs = Vec::new();
                stage.weight.refs(&mut refs);
                stage.base.refs(&mut refs);
                for e in [&stage.floor, &stage.cap].into_iter().flatten() {
                    e.refs(&mut refs);
                }
                (
                    format!(
                        "fitted share of '{}' (weight {})",
                        stage.sources.pool, stage.sources.weight
                    ),
                    refs,
                )
            }
            Named::Total => ("sum of the stages counted in the total".to_string(), Vec::new()),
            Named::Ref(other) => (String::new(), vec![other]),
        };
        let label = match named {
            Named::Total => "total".to_string(),
            Named::Ref(r) => self.name(r),
        };
        let mut lines = vec![format!("{label} = {source} = {}", self.text(named, row))];
        for r in refs {
            lines.push(format!("  {} = {}", self.name(r), self.text(Named::Ref(r), row)));
        }
        lines
    }
}
