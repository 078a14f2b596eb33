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
}

/// What a name stands for in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    Ref(Ref),
    Total,
}

impl<'a> Values<'a> {
    /// Each unit's group (`within`, `sum_by`), as the run computed it.
    pub fn group_keys(&self, group: crate::formula::program::Group) -> Option<std::borrow::Cow<'a, [String]>> {
        crate::formula::eval::group_keys(group, &self.data.columns, &self.result.vars).ok()
    }
}

impl Values<'_> {
    pub fn row_of(&self, key: &str) -> Option<usize> {
        self.data.keys.binary_search_by(|k| k.as_str().cmp(key)).ok()
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
