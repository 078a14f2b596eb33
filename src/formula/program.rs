//! A checked formula: names resolved to indices, every expression typed.
//!
//! This is what the evaluator runs and what `explain` walks. Expressions are
//! split by type ([`Num`], [`Cond`], [`Text`]) so the evaluator never checks a
//! type at run time, and names are indices into columns so it never looks one up.

use rust_decimal::Decimal;

pub use super::spec::{InputKind, InputSpec as Input};
use crate::diag::Span;
use crate::money::MoneyUnit;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

/// Per-unit functions of numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumFn {
    Min,
    Max,
    Clamp,
    Abs,
    Round,
    RoundEven,
    Floor,
    Ceil,
    Sqrt,
    Pow,
    Ln,
    Exp,
    Log10,
    Log,
    Trunc,
}

/// Functions over all units (or a subset, or per group). Nested by what they give
/// back, so that evaluation matches each family exhaustively.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggKind {
    /// One value over the selected units.
    Scalar(ScalarAgg),
    /// Each unit's standard score among the selected units.
    ZScore,
    /// Per group of a text input ([`Aggregate::group`]): each unit gets its group's value.
    ByGroup(GroupAgg),
    /// Each unit's rank among the selected units (1 for the largest value, ties by key;
    /// 0 outside the selection), over all units or, with `grouped`, within its group.
    Rank { grouped: bool },
}

/// Aggregates with one value for all units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarAgg {
    Sum,
    Mean,
    WMean,
    MinOf,
    MaxOf,
    Count,
    Stddev,
    Median,
}

/// Aggregates computed per group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupAgg {
    Sum,
    Mean,
    Min,
    Max,
    Count,
}

impl AggKind {
    /// Is the first argument the text input to group by?
    pub fn grouped(self) -> bool {
        matches!(self, AggKind::ByGroup(_) | AggKind::Rank { grouped: true })
    }

    /// Does the aggregate give each unit its own value (zscore, per-group)?
    pub fn per_unit(self) -> bool {
        match self {
            AggKind::Scalar(_) => false,
            AggKind::ZScore | AggKind::ByGroup(_) | AggKind::Rank { .. } => true,
        }
    }

    /// How many number arguments it takes before the optional `where`
    /// (after the group, for per-group aggregates).
    pub fn value_arguments(self) -> usize {
        match self {
            AggKind::Scalar(ScalarAgg::Count) | AggKind::ByGroup(GroupAgg::Count) => 0,
            AggKind::Scalar(ScalarAgg::WMean) => 2,
            AggKind::Scalar(
                ScalarAgg::Sum
                | ScalarAgg::Mean
                | ScalarAgg::MinOf
                | ScalarAgg::MaxOf
                | ScalarAgg::Stddev
                | ScalarAgg::Median,
            )
            | AggKind::ZScore
            | AggKind::Rank { .. }
            | AggKind::ByGroup(GroupAgg::Sum | GroupAgg::Mean | GroupAgg::Min | GroupAgg::Max) => 1,
        }
    }
}

/// A numeric expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Num {
    Const(Decimal),
    Input(usize),
    Param(usize),
    Var(usize),
    Stage(usize),
    /// The value of aggregate slot N (the same for every unit).
    Aggregate(usize),
    /// The per-unit value of aggregate slot N (zscore, per-group aggregates).
    AggregateColumn(usize),
    Neg(Box<Num>, Span),
    Arith(ArithOp, Box<Num>, Box<Num>, Span),
    If(Box<Cond>, Box<Num>, Box<Num>),
    Call(NumFn, Vec<Num>, Span),
    /// `bracket(table, x)` / `marginal(table, x)` over a bracket table's params: the
    /// lower bounds and the values, row by row.
    Bracket {
        bounds: Vec<usize>,
        values: Vec<usize>,
        x: Box<Num>,
        marginal: bool,
        span: Span,
    },
}

/// A condition (true/false) expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    Const(bool),
    Input(usize),
    Var(usize),
    Not(Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
    Compare(CmpOp, Box<Num>, Box<Num>),
    TextEq {
        equal: bool,
        left: Text,
        right: Text,
    },
    CondEq {
        equal: bool,
        left: Box<Cond>,
        right: Box<Cond>,
    },
    If(Box<Cond>, Box<Cond>, Box<Cond>),
}

/// A text expression: only inputs and literals; used for grouping and comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Text {
    Const(String),
    Input(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub enum VarExpr {
    Num(Num),
    Cond(Cond),
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub value: Decimal,
    /// For a dated param: (in force from `YYYY-MM-DD`, value), in date order.
    pub dated: Vec<(String, Decimal)>,
}

impl Param {
    /// The dated row in force on `date` (the last that starts on or before it).
    pub fn in_force(&self, date: &str) -> Option<&(String, Decimal)> {
        self.dated.iter().rev().find(|(from, _)| from.as_str() <= date)
    }

    /// The date the row giving `value` came into force on `date`; `None` when the run
    /// replaced the dated value (`--set`, a sweep's grid).
    pub fn dated_origin(&self, value: Decimal, date: Option<&str>) -> Option<&str> {
        match date.and_then(|d| self.in_force(d)) {
            Some((from, v)) if *v == value => Some(from.as_str()),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Var {
    pub name: String,
    pub expr: VarExpr,
    /// The expression as written, for audit and explain.
    pub source: String,
    /// False when the value is the same for every unit (params and aggregates only).
    pub varies: bool,
}

#[derive(Debug, Clone)]
pub struct Stage {
    pub name: String,
    pub description: String,
    pub pool: Num,
    pub base: Num,
    pub weight: Num,
    pub floor: Option<Num>,
    pub cap: Option<Num>,
    pub round: Option<Decimal>,
    /// The groups solved separately, if any (`within`).
    pub within: Option<Group>,
    /// Whether the stage's amounts count in each unit's total.
    pub in_total: bool,
    /// The expressions as written: pool, base, weight, floor, cap.
    pub sources: StageSources,
    pub span: Span,
}

#[derive(Debug, Clone, Default)]
pub struct StageSources {
    pub pool: String,
    pub base: String,
    pub weight: String,
    pub floor: Option<String>,
    pub cap: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Aggregate {
    pub kind: AggKind,
    pub value: Option<Num>,
    pub weight: Option<Num>,
    /// What to group by (`sum_by(group, ...)`).
    pub group: Option<Group>,
    pub filter: Option<Cond>,
    /// The call as written, for messages and explain.
    pub source: String,
    pub span: Span,
}

/// What units are grouped by: a text, whole-number or true/false input, or a
/// whole-number or true/false var (a stratum computed from population, say). Each
/// distinct value is a group; see `eval::group_keys`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Input(usize),
    Var(usize),
}

impl Group {
    pub fn as_ref(self) -> Ref {
        match self {
            Group::Input(i) => Ref::Input(i),
            Group::Var(i) => Ref::Var(i),
        }
    }
}

/// Something an expression reads: the operands shown by `explain` and test failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ref {
    Input(usize),
    Param(usize),
    Var(usize),
    Stage(usize),
    Aggregate(usize),
}

impl Num {
    /// Every input, param, var, stage and aggregate this expression reads, in order of first use.
    pub fn refs(&self, out: &mut Vec<Ref>) {
        let mut push = |r: Ref| {
            if !out.contains(&r) {
                out.push(r);
            }
        };
        match self {
            Num::Const(_) => {}
            Num::Input(i) => push(Ref::Input(*i)),
            Num::Param(i) => push(Ref::Param(*i)),
            Num::Var(i) => push(Ref::Var(*i)),
            Num::Stage(i) => push(Ref::Stage(*i)),
            Num::Aggregate(i) | Num::AggregateColumn(i) => push(Ref::Aggregate(*i)),
            Num::Neg(x, _) => x.refs(out),
            Num::Arith(_, a, b, _) => {
                a.refs(out);
                b.refs(out);
            }
            Num::If(c, a, b) => {
                c.refs(out);
                a.refs(out);
                b.refs(out);
            }
            Num::Call(_, args, _) => args.iter().for_each(|a| a.refs(out)),
            Num::Bracket { bounds, values, x, .. } => {
                x.refs(out);
                for &p in bounds.iter().chain(values) {
                    if !out.contains(&Ref::Param(p)) {
                        out.push(Ref::Param(p));
                    }
                }
            }
        }
    }
}

impl Cond {
    pub fn refs(&self, out: &mut Vec<Ref>) {
        match self {
            Cond::Const(_) => {}
            Cond::Input(i) => {
                if !out.contains(&Ref::Input(*i)) {
                    out.push(Ref::Input(*i));
                }
            }
            Cond::Var(i) => {
                if !out.contains(&Ref::Var(*i)) {
                    out.push(Ref::Var(*i));
                }
            }
            Cond::Not(c) => c.refs(out),
            Cond::And(a, b) | Cond::Or(a, b) => {
                a.refs(out);
                b.refs(out);
            }
            Cond::Compare(_, a, b) => {
                a.refs(out);
                b.refs(out);
            }
            Cond::TextEq { left, right, .. } => {
                for t in [left, right] {
                    if let Text::Input(i) = t {
                        if !out.contains(&Ref::Input(*i)) {
                            out.push(Ref::Input(*i));
                        }
                    }
                }
            }
            Cond::CondEq { left, right, .. } => {
                left.refs(out);
                right.refs(out);
            }
            Cond::If(c, a, b) => {
                c.refs(out);
                a.refs(out);
                b.refs(out);
            }
        }
    }
}

impl VarExpr {
    pub fn refs(&self) -> Vec<Ref> {
        let mut out = Vec::new();
        match self {
            VarExpr::Num(n) => n.refs(&mut out),
            VarExpr::Cond(c) => c.refs(&mut out),
        }
        out
    }
}

/// One step of the evaluation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Aggregate(usize),
    Var(usize),
    Stage(usize),
}

/// A checked formula, ready to evaluate on any dataset that provides its inputs.
#[derive(Debug, Clone)]
pub struct Formula {
    /// Names as reports show them (`[labels]`): inputs, vars, stages and `total`.
    pub labels: std::collections::BTreeMap<String, String>,
    /// How the published allocation table is laid out (`[report]`).
    pub report: ReportSettings,
    pub name: String,
    pub description: String,
    /// Display name of the file it came from.
    pub origin: String,
    pub key: String,
    pub label: Option<String>,
    /// The date dated params are taken at: `[formula] date`, replaced by the run's
    /// `--date` when loaded.
    pub date: Option<String>,
    /// The unit params, pools and rounding are in (factor 1 when not declared).
    pub unit: MoneyUnit,
    /// The unit amounts are reported in.
    pub output_unit: MoneyUnit,
    pub inputs: Vec<Input>,
    pub params: Vec<Param>,
    pub vars: Vec<Var>,
    pub stages: Vec<Stage>,
    pub aggregates: Vec<Aggregate>,
    pub plan: Vec<Step>,
    /// Scenario overrides of input columns: input index, expression (of inputs and
    /// params only), and its text. Applied to the data before anything else.
    pub input_transforms: Vec<(usize, Num, String)>,
    /// What the equalization metrics measure: capacity before transfers, and the
    /// population it is per. None when the formula has neither declared nor default names.
    pub metrics: Option<MetricsBasis>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricsBasis {
    pub capacity: Ref,
    pub population: Ref,
}

impl Formula {
    /// How reports show `name`: its label from `[labels]`, else the name.
    pub fn label<'a>(&'a self, name: &'a str) -> &'a str {
        self.labels.get(name).map_or(name, String::as_str)
    }

    /// The name of what a stage or aggregate groups by.
    pub fn group_name(&self, group: Group) -> &str {
        match group {
            Group::Input(i) => &self.inputs[i].name,
            Group::Var(i) => &self.vars[i].name,
        }
    }

    pub fn param_index(&self, name: &str) -> Option<usize> {
        self.params.iter().position(|p| p.name == name)
    }

    /// The params as written, dated ones at the formula's own date (their first row
    /// when it has none: `params_at` is what a run uses).
    pub fn default_params(&self) -> Vec<Decimal> {
        match self.params_at(self.date.as_deref()) {
            Ok(values) => values,
            Err(_) => self.params.iter().map(|p| p.value).collect(),
        }
    }

    /// The params with each dated one at its value in force on `date`. Every problem
    /// is listed: dated params and no date (a run never takes today's clock), or a date
    /// before a param's first row.
    pub fn params_at(&self, date: Option<&str>) -> Result<Vec<Decimal>, Vec<(usize, String)>> {
        let mut problems = Vec::new();
        let values = self
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                if p.dated.is_empty() {
                    return p.value;
                }
                match date {
                    None => {
                        problems.push((i, crate::tr!("formula-dated-no-date", param = &p.name)));
                        p.value
                    }
                    Some(date) => match p.in_force(date) {
                        Some((_, value)) => *value,
                        None => {
                            problems.push((
                                i,
                                crate::tr!(
                                    "formula-dated-not-in-force",
                                    param = &p.name,
                                    date = date,
                                    first = &p.dated[0].0
                                ),
                            ));
                            p.value
                        }
                    },
                }
            })
            .collect();
        match problems.is_empty() {
            true => Ok(values),
            false => Err(problems),
        }
    }

    /// Whether any param has values by date.
    pub fn has_dated_params(&self) -> bool {
        self.params.iter().any(|p| !p.dated.is_empty())
    }

    /// The date a run took dated params at, as its manifest records it (none when the
    /// formula has no dated param).
    pub fn recorded_date(&self) -> Option<String> {
        self.has_dated_params().then(|| self.date.clone()).flatten()
    }

    /// Each dated param's origin in a run with these values: the date its row came into
    /// force, or "set" when the run replaced it.
    pub fn dated_origins(&self, params: &[Decimal]) -> std::collections::BTreeMap<String, String> {
        self.params
            .iter()
            .zip(params)
            .filter(|(p, _)| !p.dated.is_empty())
            .map(|(p, v)| {
                let from = p.dated_origin(*v, self.date.as_deref());
                (p.name.clone(), from.unwrap_or("set").to_string())
            })
            .collect()
    }
}

/// The published allocation table's layout (`[report]`), checked.
#[derive(Debug, Clone, Default)]
pub struct ReportSettings {
    pub title: Option<String>,
    /// Set by a scenario or `--title`: shown exactly, without the scenario's name after it.
    pub title_as_written: bool,
    /// The text input whose groups get a subtotal (a prefecture, 市州).
    pub group_by: Option<usize>,
    /// A number input or var shown beside the total with the change and growth (last year).
    pub compare_with: Option<String>,
    /// Headings in Chinese (`language = "zh"`) rather than English.
    pub chinese: bool,
    /// `[report] language` was written (en or zh): the formula's language then wins over
    /// the language a run is asked to write its reports in.
    pub language_set: bool,
    /// The amount columns in order, when `[report] columns` chooses them.
    pub columns: Option<Vec<ReportColumn>>,
}

/// One amount column of the published table (`[report] columns`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportColumn {
    /// A stage's amount, the total (`total`) or the `compare_with` amount, by name.
    Amount(String),
    /// The total minus the `compare_with` amount.
    Change,
    /// The change in percent of the `compare_with` amount.
    Growth,
    /// Which units are held at a floor or a cap.
    Bound,
}
