//! Evaluation of checked expressions for one unit, on exact decimals.
//!
//! Expressions are evaluated unit by unit; the engine runs units in parallel and
//! keeps results in key order. Aggregates are computed once, before the vars
//! that use them, and summed in key order so the result never depends on the
//! number of threads. Arithmetic is checked: division by zero, overflow and
//! domain errors come back as [`EvalError`] with the span of the operation.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rust_decimal::prelude::*;
use rust_decimal::{Decimal, MathematicalOps};

use super::program::*;
use crate::data::{Column, Texts};
use crate::diag::Span;
use crate::money;
use crate::stats;
use std::sync::Arc;

/// A computed var column. Shared, not copied: a sweep's scenario reuses every column no
/// changed param reaches from its base run (cloning is a reference count).
#[derive(Debug, Clone, PartialEq)]
pub enum VarColumn {
    Pending,
    Num(Arc<Vec<Decimal>>),
    Cond(Arc<Vec<bool>>),
}

impl VarColumn {
    pub fn display(&self, row: usize) -> String {
        match self {
            VarColumn::Num(v) => money::format_plain(v[row]),
            VarColumn::Cond(v) => v[row].to_string(),
            VarColumn::Pending => String::new(),
        }
    }
}

/// A computed aggregate.
#[derive(Debug, Clone, PartialEq)]
pub enum AggValue {
    Pending,
    Scalar(Decimal),
    Column(Vec<Decimal>),
    /// A standard score per unit, with the mean and standard deviation it was scored
    /// against and how many units they are over (explain shows them).
    Scores {
        scores: Vec<Decimal>,
        mean: Decimal,
        sd: Decimal,
        count: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvalErrorKind {
    DivisionByZero,
    Overflow,
    SqrtOfNegative,
    LnOfNonPositive,
    PowDomain,
    BadPlaces,
    /// An aggregate over no units where a value is needed (mean, min_of, ...).
    EmptyAggregate,
    /// `bracket(table, x)` with x below the table's first bound.
    BelowBrackets,
    /// A bracket table whose bounds do not increase (after an override).
    BracketOrder,
    /// A group (`sum_by`, `within`) given by a number that is not whole.
    GroupNotWhole,
    /// A value used before it was computed: a bug in the evaluation order.
    NotReady,
}

impl EvalErrorKind {
    /// The problem's identifier in the catalogues (`locales/*/formula.ftl`).
    pub fn code(self) -> &'static str {
        match self {
            EvalErrorKind::DivisionByZero => "formula-eval-division-by-zero",
            EvalErrorKind::Overflow => "formula-eval-overflow",
            EvalErrorKind::SqrtOfNegative => "formula-eval-sqrt-negative",
            EvalErrorKind::LnOfNonPositive => "formula-eval-log-non-positive",
            EvalErrorKind::PowDomain => "formula-eval-pow-domain",
            EvalErrorKind::BadPlaces => "formula-eval-bad-places",
            EvalErrorKind::EmptyAggregate => "formula-eval-empty-aggregate",
            EvalErrorKind::BelowBrackets => "formula-eval-below-brackets",
            EvalErrorKind::BracketOrder => "formula-eval-bracket-order",
            EvalErrorKind::GroupNotWhole => "formula-eval-group-not-whole",
            EvalErrorKind::NotReady => "formula-eval-not-ready",
        }
    }

    /// The problem in the current language.
    pub fn describe(self) -> String {
        crate::tr!(self.code())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvalError {
    pub kind: EvalErrorKind,
    pub span: Option<Span>,
}

fn fail<T>(kind: EvalErrorKind, span: Span) -> Result<T, EvalError> {
    Err(EvalError { kind, span: Some(span) })
}

/// Everything an expression can refer to, for all units.
pub struct Env<'a> {
    pub inputs: &'a [Column],
    pub params: &'a [Decimal],
    pub vars: &'a [VarColumn],
    /// Each solved stage's amounts, in stage order.
    pub stages: &'a [&'a [Decimal]],
    pub aggregates: &'a [AggValue],
}

/// Each unit's group as text: a text column as it is, a whole number in its shortest
/// form (`3`, not `3.0`), a condition as `true`/`false`. A number with a fraction is an
/// error at that unit.
pub fn group_keys<'c>(
    group: Group,
    inputs: &'c [Column],
    vars: &'c [VarColumn],
) -> Result<std::borrow::Cow<'c, Texts>, Vec<(usize, EvalError)>> {
    use std::borrow::Cow;
    let numbers = |values: &[Decimal]| -> Result<Cow<'c, Texts>, Vec<(usize, EvalError)>> {
        let mut errors = Vec::new();
        let keys = values
            .iter()
            .enumerate()
            .map(|(row, v)| {
                if !v.fract().is_zero() {
                    errors.push((
                        row,
                        EvalError {
                            kind: EvalErrorKind::GroupNotWhole,
                            span: None,
                        },
                    ));
                }
                v.normalize().to_string()
            })
            .collect();
        match errors.is_empty() {
            true => Ok(Cow::Owned(keys)),
            false => Err(errors),
        }
    };
    let conditions = |values: &[bool]| Cow::Owned(values.iter().map(|b| if *b { "true" } else { "false" }).collect());
    match group {
        Group::Input(i) => match inputs.get(i) {
            Some(Column::Text(keys)) => Ok(Cow::Borrowed(keys)),
            Some(Column::Num(values)) => numbers(values),
            Some(Column::Bool(values)) => Ok(conditions(values)),
            None => Err(vec![(usize::MAX, NOT_READY)]),
        },
        Group::Var(i) => match vars.get(i) {
            Some(VarColumn::Num(values)) => numbers(values),
            Some(VarColumn::Cond(values)) => Ok(conditions(values)),
            _ => Err(vec![(usize::MAX, NOT_READY)]),
        },
    }
}

const NOT_READY: EvalError = EvalError {
    kind: EvalErrorKind::NotReady,
    span: None,
};

impl Env<'_> {
    pub fn num(&self, e: &Num, row: usize) -> Result<Decimal, EvalError> {
        match e {
            Num::Const(v) => Ok(*v),
            Num::Input(i) => match self.inputs.get(*i) {
                Some(Column::Num(v)) => v.get(row).copied().ok_or(NOT_READY),
                _ => Err(NOT_READY),
            },
            Num::Param(i) => self.params.get(*i).copied().ok_or(NOT_READY),
            Num::Var(i) => match self.vars.get(*i) {
                Some(VarColumn::Num(v)) => v.get(row).copied().ok_or(NOT_READY),
                _ => Err(NOT_READY),
            },
            Num::Stage(i) => self.stages.get(*i).and_then(|v| v.get(row)).copied().ok_or(NOT_READY),
            Num::Aggregate(i) => match self.aggregates.get(*i) {
                Some(AggValue::Scalar(v)) => Ok(*v),
                _ => Err(NOT_READY),
            },
            Num::AggregateColumn(i) => match self.aggregates.get(*i) {
                Some(AggValue::Column(v)) | Some(AggValue::Scores { scores: v, .. }) => {
                    v.get(row).copied().ok_or(NOT_READY)
                }
                _ => Err(NOT_READY),
            },
            Num::Neg(inner, _) => Ok(-self.num(inner, row)?),
            Num::Arith(op, left, right, span) => {
                let (a, b) = (self.num(left, row)?, self.num(right, row)?);
                let result = match op {
                    ArithOp::Add => a.checked_add(b),
                    ArithOp::Sub => a.checked_sub(b),
                    ArithOp::Mul => a.checked_mul(b),
                    ArithOp::Div => {
                        if b.is_zero() {
                            return fail(EvalErrorKind::DivisionByZero, *span);
                        }
                        a.checked_div(b)
                    }
                };
                result.ok_or(EvalError {
                    kind: EvalErrorKind::Overflow,
                    span: Some(*span),
                })
            }
            Num::If(c, a, b) => {
                if self.cond(c, row)? {
                    self.num(a, row)
                } else {
                    self.num(b, row)
                }
            }
            Num::Call(f, args, span) => self.call(*f, args, *span, row),
            Num::Bracket {
                bounds,
                values,
                x,
                marginal,
                span,
            } => {
                let x = self.num(x, row)?;
                let param = |i: &usize| self.params.get(*i).copied().ok_or(NOT_READY);
                let bounds: Vec<Decimal> = bounds.iter().map(param).collect::<Result<_, _>>()?;
                let values: Vec<Decimal> = values.iter().map(param).collect::<Result<_, _>>()?;
                bracket(&bounds, &values, x, *marginal, *span)
            }
        }
    }

    fn call(&self, f: NumFn, args: &[Num], span: Span, row: usize) -> Result<Decimal, EvalError> {
        apply(
            f,
            args.len(),
            &|i| args.get(i).map_or(Err(NOT_READY), |a| self.num(a, row)),
            span,
        )
    }

    pub fn cond(&self, c: &Cond, row: usize) -> Result<bool, EvalError> {
        match c {
            Cond::Const(b) => Ok(*b),
            Cond::Input(i) => match self.inputs.get(*i) {
                Some(Column::Bool(v)) => v.get(row).copied().ok_or(NOT_READY),
                _ => Err(NOT_READY),
            },
            Cond::Var(i) => match self.vars.get(*i) {
                Some(VarColumn::Cond(v)) => v.get(row).copied().ok_or(NOT_READY),
                _ => Err(NOT_READY),
            },
            Cond::Not(inner) => Ok(!self.cond(inner, row)?),
            // Short-circuit: the right side is not evaluated (and cannot fail) when not needed.
            Cond::And(a, b) => Ok(self.cond(a, row)? && self.cond(b, row)?),
            Cond::Or(a, b) => Ok(self.cond(a, row)? || self.cond(b, row)?),
            Cond::Compare(op, a, b) => {
                let (a, b) = (self.num(a, row)?, self.num(b, row)?);
                Ok(match op {
                    CmpOp::Lt => a < b,
                    CmpOp::Le => a <= b,
                    CmpOp::Gt => a > b,
                    CmpOp::Ge => a >= b,
                    CmpOp::Eq => a == b,
                    CmpOp::Ne => a != b,
                })
            }
            Cond::TextEq { equal, left, right } => Ok((self.text(left, row)? == self.text(right, row)?) == *equal),
            Cond::CondEq { equal, left, right } => Ok((self.cond(left, row)? == self.cond(right, row)?) == *equal),
            Cond::If(c, a, b) => {
                if self.cond(c, row)? {
                    self.cond(a, row)
                } else {
                    self.cond(b, row)
                }
            }
        }
    }

    fn text<'t>(&'t self, t: &'t Text, row: usize) -> Result<&'t str, EvalError> {
        match t {
            Text::Const(s) => Ok(s),
            Text::Input(i) => match self.inputs.get(*i) {
                Some(Column::Text(v)) => v.get(row).ok_or(NOT_READY),
                _ => Err(NOT_READY),
            },
        }
    }

    /// Evaluate a var for every unit, in parallel; errors come back with their row.
    pub fn var_column(&self, expr: &VarExpr, units: usize) -> Result<VarColumn, Vec<(usize, EvalError)>> {
        match expr {
            VarExpr::Num(e) => self.num_columnar(e, units).map(|v| VarColumn::Num(Arc::new(v))),
            VarExpr::Cond(c) => self.cond_columnar(c, units).map(|v| VarColumn::Cond(Arc::new(v))),
        }
    }

    /// Evaluate a numeric expression for every unit.
    pub fn num_column(&self, e: &Num, units: usize) -> Result<Vec<Decimal>, Vec<(usize, EvalError)>> {
        self.num_columnar(e, units)
    }

    /// Compute an aggregate over all units (or those its `where` selects), in key order.
    pub fn aggregate(&self, agg: &Aggregate, units: usize) -> Result<AggValue, Vec<(usize, EvalError)>> {
        let included: Vec<bool> = match &agg.filter {
            Some(filter) => self.cond_columnar(filter, units)?,
            None => vec![true; units],
        };
        let pick = |e: &Option<Num>| -> Result<Vec<Decimal>, Vec<(usize, EvalError)>> {
            match e {
                Some(e) => {
                    let value = |row: usize| {
                        if included[row] {
                            self.num(e, row)
                        } else {
                            Ok(Decimal::ZERO)
                        }
                    };
                    collect_rows(if crate::threads::worth_parallel(units) {
                        (0..units).into_par_iter().map(value).collect()
                    } else {
                        (0..units).map(value).collect()
                    })
                }
                None => Ok(vec![Decimal::ZERO; units]),
            }
        };
        let values = pick(&agg.value)?;
        let weights = pick(&agg.weight)?;
        let span = agg.span;
        let one = |r: Result<Decimal, EvalError>| r.map_err(|e| vec![(usize::MAX, e)]);
        let rows = || (0..units).filter(|&r| included[r]);

        let kind = match agg.kind {
            AggKind::Scalar(kind) => kind,
            AggKind::Rank { grouped } => {
                let groups = match (grouped, agg.group) {
                    (true, Some(g)) => Some(group_keys(g, self.inputs, self.vars)?),
                    (true, None) => return Err(vec![(usize::MAX, NOT_READY)]),
                    (false, _) => None,
                };
                return Ok(AggValue::Column(ranks(&values, &included, groups.as_deref())));
            }
            AggKind::ByGroup(kind) => {
                let Some(group) = agg.group else {
                    return Err(vec![(usize::MAX, NOT_READY)]);
                };
                let groups = group_keys(group, self.inputs, self.vars)?;
                let mut members: BTreeMap<&str, Vec<Decimal>> = BTreeMap::new();
                for r in rows() {
                    members.entry(&groups[r]).or_default().push(values[r]);
                }
                let mut per_group: BTreeMap<&str, Decimal> = BTreeMap::new();
                for (group, vals) in &members {
                    let value = match kind {
                        GroupAgg::Sum => one(sum(vals, span))?,
                        GroupAgg::Count => Decimal::from(vals.len()),
                        GroupAgg::Mean => one(mean(vals, span))?,
                        GroupAgg::Min => vals.iter().copied().min().unwrap_or_default(),
                        GroupAgg::Max => vals.iter().copied().max().unwrap_or_default(),
                    };
                    per_group.insert(group, value);
                }
                // Units whose group has no selected unit get 0 (documented).
                let column = (0..units)
                    .map(|r| per_group.get(&groups[r]).copied().unwrap_or_default())
                    .collect();
                return Ok(AggValue::Column(column));
            }
            AggKind::ZScore => {
                let selected: Vec<Decimal> = rows().map(|r| values[r]).collect();
                let (m, sd) = stddev(&selected, span).map_err(|e| vec![(usize::MAX, e)])?;
                let column = (0..units)
                    .map(|r| {
                        if !included[r] || sd.is_zero() {
                            Ok(Decimal::ZERO)
                        } else {
                            values[r]
                                .checked_sub(m)
                                .and_then(|d| d.checked_div(sd))
                                .ok_or(EvalError {
                                    kind: EvalErrorKind::Overflow,
                                    span: Some(span),
                                })
                        }
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| vec![(usize::MAX, e)])?;
                return Ok(AggValue::Scores {
                    scores: column,
                    mean: m,
                    sd,
                    count: selected.len(),
                });
            }
        };

        let selected: Vec<Decimal> = rows().map(|r| values[r]).collect();
        let scalar = |v: Result<Decimal, EvalError>| one(v).map(AggValue::Scalar);
        match kind {
            ScalarAgg::Sum => scalar(sum(&selected, span)),
            ScalarAgg::Count => Ok(AggValue::Scalar(Decimal::from(selected.len()))),
            ScalarAgg::Mean => scalar(mean(&selected, span)),
            ScalarAgg::WMean => {
                let x: Vec<Decimal> = rows().map(|r| values[r]).collect();
                let w: Vec<Decimal> = rows().map(|r| weights[r]).collect();
                let (weighted, total_weight) =
                    stats::weighted_sums(&x, w.iter().copied()).ok_or_else(|| vec![(usize::MAX, overflow(span))])?;
                if total_weight.is_zero() {
                    return scalar(fail(EvalErrorKind::DivisionByZero, span));
                }
                scalar(weighted.checked_div(total_weight).ok_or(overflow(span)))
            }
            ScalarAgg::MinOf | ScalarAgg::MaxOf => {
                let best = if kind == ScalarAgg::MinOf {
                    selected.iter().min()
                } else {
                    selected.iter().max()
                };
                scalar(best.copied().ok_or(EvalError {
                    kind: EvalErrorKind::EmptyAggregate,
                    span: Some(span),
                }))
            }
            ScalarAgg::Stddev => scalar(stddev(&selected, span).map(|(_, sd)| sd)),
            ScalarAgg::Median => {
                let mut sorted = selected;
                sorted.sort_unstable();
                let n = sorted.len();
                if n == 0 {
                    return scalar(fail(EvalErrorKind::EmptyAggregate, span));
                }
                if n % 2 == 1 {
                    scalar(Ok(sorted[n / 2]))
                } else {
                    let total = sorted[n / 2 - 1].checked_add(sorted[n / 2]);
                    scalar(total.map(|t| t / Decimal::TWO).ok_or(EvalError {
                        kind: EvalErrorKind::Overflow,
                        span: Some(span),
                    }))
                }
            }
        }
    }
}

/// A whole number as i64, if `value` is one.
fn whole(value: Decimal) -> Option<i64> {
    if value.fract().is_zero() {
        value.to_i64()
    } else {
        None
    }
}

fn overflow(span: Span) -> EvalError {
    EvalError {
        kind: EvalErrorKind::Overflow,
        span: Some(span),
    }
}

/// Sum in the given (key) order.
fn sum(values: &[Decimal], span: Span) -> Result<Decimal, EvalError> {
    stats::sum(values).ok_or(overflow(span))
}

fn mean(values: &[Decimal], span: Span) -> Result<Decimal, EvalError> {
    if values.is_empty() {
        return fail(EvalErrorKind::EmptyAggregate, span);
    }
    stats::mean(values).ok_or(overflow(span))
}

/// Mean and population standard deviation (divide by n).
fn stddev(values: &[Decimal], span: Span) -> Result<(Decimal, Decimal), EvalError> {
    if values.is_empty() {
        return fail(EvalErrorKind::EmptyAggregate, span);
    }
    stats::mean_sd(values).ok_or(overflow(span))
}

/// All values, or every failing row with its error (in row order).
/// `bracket(table, x)`: the value of the last row whose lower bound is at most x (an error
/// below the first); `marginal(table, x)`: each row's value as a rate on the part of x within
/// its band (a tax scale), 0 below the first bound. Bounds must increase (a `--set` may have
/// changed one).
fn bracket(
    bounds: &[Decimal],
    values: &[Decimal],
    x: Decimal,
    marginal: bool,
    span: Span,
) -> Result<Decimal, EvalError> {
    if bounds.windows(2).any(|w| w[0] >= w[1]) {
        return fail(EvalErrorKind::BracketOrder, span);
    }
    if !marginal {
        return match bounds.iter().rposition(|b| *b <= x) {
            Some(row) => Ok(values[row]),
            None => fail(EvalErrorKind::BelowBrackets, span),
        };
    }
    let overflow = EvalError {
        kind: EvalErrorKind::Overflow,
        span: Some(span),
    };
    let mut total = Decimal::ZERO;
    for (row, (bound, rate)) in bounds.iter().zip(values).enumerate() {
        if x <= *bound {
            break;
        }
        let top = bounds.get(row + 1).map_or(x, |next| x.min(*next));
        let part = top
            .checked_sub(*bound)
            .and_then(|band| band.checked_mul(*rate))
            .ok_or(overflow)?;
        total = total.checked_add(part).ok_or(overflow)?;
    }
    Ok(total)
}

/// Each unit's rank among the included units (of its group, when grouped): 1 for the
/// largest value, ties by row (units are in key order), 0 for units not included.
fn ranks(values: &[Decimal], included: &[bool], groups: Option<&Texts>) -> Vec<Decimal> {
    let mut order: Vec<usize> = (0..values.len()).filter(|&r| included[r]).collect();
    let group = |r: usize| groups.map_or("", |g| &g[r]);
    order.sort_by(|&a, &b| group(a).cmp(group(b)).then(values[b].cmp(&values[a])).then(a.cmp(&b)));
    let mut ranks = vec![Decimal::ZERO; values.len()];
    let mut rank = 0u64;
    for (i, &row) in order.iter().enumerate() {
        rank = if i > 0 && group(order[i - 1]) == group(row) {
            rank + 1
        } else {
            1
        };
        ranks[row] = Decimal::from(rank);
    }
    ranks
}

/// A built-in function of its arguments, each evaluated when `arg(i)` asks for it, in
/// order: the one implementation behind the per-unit and the columnar evaluators.
pub(crate) fn apply(
    f: NumFn,
    count: usize,
    arg: &dyn Fn(usize) -> Result<Decimal, EvalError>,
    span: Span,
) -> Result<Decimal, EvalError> {
    let overflow = EvalError {
        kind: EvalErrorKind::Overflow,
        span: Some(span),
    };
    match f {
        NumFn::Min | NumFn::Max => {
            let mut best = arg(0)?;
            for i in 1..count {
                let v = arg(i)?;
                if (f == NumFn::Min && v < best) || (f == NumFn::Max && v > best) {
                    best = v;
                }
            }
            Ok(best)
        }
        NumFn::Clamp => {
            let (x, lo, hi) = (arg(0)?, arg(1)?, arg(2)?);
            Ok(x.max(lo).min(hi.max(lo)))
        }
        NumFn::Abs => Ok(arg(0)?.abs()),
        NumFn::Floor => Ok(arg(0)?.floor()),
        NumFn::Ceil => Ok(arg(0)?.ceil()),
        NumFn::Round | NumFn::RoundEven => {
            let x = arg(0)?;
            let places = if count > 1 { arg(1)? } else { Decimal::ZERO };
            let places = whole(places).filter(|p| (-28..=28).contains(p));
            let Some(places) = places else {
                return fail(EvalErrorKind::BadPlaces, span);
            };
            let rounded = if f == NumFn::Round {
                money::round_half_away(x, places as i32)
            } else {
                money::round_half_even(x, places as i32)
            };
            rounded.ok_or(overflow)
        }
        NumFn::Sqrt => {
            let x = arg(0)?;
            if x.is_sign_negative() && !x.is_zero() {
                return fail(EvalErrorKind::SqrtOfNegative, span);
            }
            x.sqrt().ok_or(overflow)
        }
        NumFn::Ln => {
            let x = arg(0)?;
            if x <= Decimal::ZERO {
                return fail(EvalErrorKind::LnOfNonPositive, span);
            }
            x.checked_ln().ok_or(overflow)
        }
        NumFn::Log10 => {
            let x = arg(0)?;
            if x <= Decimal::ZERO {
                return fail(EvalErrorKind::LnOfNonPositive, span);
            }
            x.checked_log10().ok_or(overflow)
        }
        NumFn::Log => {
            let (x, base) = (arg(0)?, arg(1)?);
            if x <= Decimal::ZERO || base <= Decimal::ZERO {
                return fail(EvalErrorKind::LnOfNonPositive, span);
            }
            let ln_base = base.checked_ln().ok_or(overflow)?;
            // Base 1: every power of it is 1, so no logarithm.
            if ln_base.is_zero() {
                return fail(EvalErrorKind::DivisionByZero, span);
            }
            x.checked_ln().ok_or(overflow)?.checked_div(ln_base).ok_or(overflow)
        }
        NumFn::Trunc => Ok(arg(0)?.trunc()),
        NumFn::Exp => {
            let x = arg(0)?;
            // Below e^-66 (about 2e-29) the result rounds to 0 at 28 decimal places: it
            // is 0, not "too large".
            if x < Decimal::from(-66) {
                Ok(Decimal::ZERO)
            } else {
                x.checked_exp().ok_or(overflow)
            }
        }
        NumFn::Pow => {
            let (x, y) = (arg(0)?, arg(1)?);
            match whole(y) {
                // Whole exponents by repeated multiplication: exact while it fits.
                Some(n) => {
                    if n < 0 && x.is_zero() {
                        return fail(EvalErrorKind::DivisionByZero, span);
                    }
                    x.checked_powi(n).ok_or(EvalError {
                        kind: EvalErrorKind::PowDomain,
                        span: Some(span),
                    })
                }
                None => {
                    if x.is_sign_negative() && !x.is_zero() {
                        return fail(EvalErrorKind::PowDomain, span);
                    }
                    if x.is_zero() {
                        return Ok(Decimal::ZERO);
                    }
                    x.checked_powd(y).ok_or(EvalError {
                        kind: EvalErrorKind::PowDomain,
                        span: Some(span),
                    })
                }
            }
        }
    }
}

fn collect_rows<T>(results: Vec<Result<T, EvalError>>) -> Result<Vec<T>, Vec<(usize, EvalError)>> {
    let mut values = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for (row, result) in results.into_iter().enumerate() {
        match result {
            Ok(v) => values.push(v),
            Err(e) => errors.push((row, e)),
        }
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Sources;

    /// Evaluate one var over four units: x = 1, 2, 3, 10; g = a, a, b, b; w = 1, 1, 0, 2.
    fn eval(expr: &str) -> Result<Vec<String>, Vec<(usize, EvalErrorKind)>> {
        let mut sources = Sources::default();
        let id = sources.add(
            "e.toml",
            format!(
                "[formula]\nname = \"e\"\nkey = \"k\"\n[inputs.x]\n[inputs.w]\n[inputs.g]\ntype = \"text\"\n\
                 [vars]\nv = \"{expr}\"\n[[allocation]]\nname = \"s\"\npool = \"0\"\nweight = \"1\"\n"
            ),
        );
        let formula = crate::formula::load(&sources, id).unwrap();
        let num = |v: &[i64]| Column::Num(v.iter().map(|&x| Decimal::from(x)).collect());
        let inputs = vec![
            num(&[1, 2, 3, 10]),
            num(&[1, 1, 0, 2]),
            Column::Text(["a", "a", "b", "b"].into_iter().collect()),
        ];
        let mut aggregates = Vec::new();
        for agg in &formula.aggregates {
            let env = Env {
                inputs: &inputs,
                params: &[],
                vars: &[],
                stages: &[],
                aggregates: &aggregates,
            };
            let value = env
                .aggregate(agg, 4)
                .map_err(|e| e.into_iter().map(|(r, e)| (r, e.kind)).collect::<Vec<_>>())?;
            aggregates.push(value);
        }
        let env = Env {
            inputs: &inputs,
            params: &[],
            vars: &[],
            stages: &[],
            aggregates: &aggregates,
        };
        let column = env
            .var_column(&formula.vars[0].expr, 4)
            .map_err(|e| e.into_iter().map(|(r, e)| (r, e.kind)).collect::<Vec<_>>())?;
        Ok((0..4).map(|r| column.display(r)).collect())
    }

    #[test]
    fn exp_of_a_very_negative_number_is_zero_not_an_overflow() {
        assert_eq!(eval("exp(0 - x * 1000)").unwrap(), ["0", "0", "0", "0"]);
        assert_eq!(eval("exp(x * 1000)").unwrap_err()[0].1, EvalErrorKind::Overflow);
    }

    #[test]
    fn per_unit_arithmetic_and_functions() {
        assert_eq!(eval("x * 2 - 1").unwrap(), ["1", "3", "5", "19"]);
        assert_eq!(eval("clamp(x, 2, 3)").unwrap(), ["2", "2", "3", "3"]);
        assert_eq!(eval("round(x / 3, 2)").unwrap(), ["0.33", "0.67", "1", "3.33"]);
    }

    #[test]
    fn aggregates_over_all_some_and_groups() {
        assert_eq!(eval("sum(x)").unwrap(), ["16"; 4]);
        assert_eq!(eval("sum(x, x > 1)").unwrap(), ["15"; 4]);
        assert_eq!(eval("median(x)").unwrap(), ["2.5"; 4]);
        // (1 + 2 + 0 + 20) / 4
        assert_eq!(eval("wmean(x, w)").unwrap(), ["5.75"; 4]);
        assert_eq!(eval("max_by(g, x)").unwrap(), ["2", "2", "10", "10"]);
        assert_eq!(eval("min_by(g, x)").unwrap(), ["1", "1", "3", "3"]);
        assert_eq!(eval("count_by(g, x > 2)").unwrap(), ["0", "0", "2", "2"]);
        // Among 3 and 10: mean 6.5, sd 3.5; unselected units get 0.
        let z = eval("zscore(x, g == 'b')").unwrap();
        assert_eq!(z, ["0", "0", "-1", "1"]);
    }

    #[test]
    fn failures_name_their_rows_and_kinds() {
        assert_eq!(eval("1 / (x - 2)").unwrap_err(), [(1, EvalErrorKind::DivisionByZero)]);
        assert_eq!(
            eval("wmean(x, w, x > 100)").unwrap_err(),
            [(usize::MAX, EvalErrorKind::DivisionByZero)]
        );
        assert_eq!(
            eval("mean(x, x > 100)").unwrap_err(),
            [(usize::MAX, EvalErrorKind::EmptyAggregate)]
        );
    }
}
