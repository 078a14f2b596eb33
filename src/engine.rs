//! The engine: runs a checked formula on a dataset, step by step, to allocations.
//!
//! It follows the formula's plan (aggregates, vars and stages in dependency
//! order), turns evaluation failures into diagnostics that name the var, the
//! unit and the operation, and fits each stage to its pool with
//! [`crate::allocate`]. The result keeps every intermediate value so reports,
//! audits and `explain` all read the same numbers.

use std::sync::Arc;

use rust_decimal::Decimal;

use crate::allocate::{self, Problem, RoundingError, SolveError};
use crate::data::Dataset;
use crate::diag::{Diagnostic, Location, Sources, Span};
use crate::error::{Error, Result};
use crate::formula::eval::{AggValue, Env, EvalError, EvalErrorKind, VarColumn};
use crate::formula::program::{Formula, Ref, Stage, Step};
use crate::money;

/// Failing units listed per problem before the rest are counted.
const UNITS_LISTED: usize = 20;

/// One allocation stage, solved and rounded.
#[derive(Debug, Clone, PartialEq)]
pub struct StageResult {
    /// The pool (for a stage solved within groups, the sum of the groups' pools).
    pub pool: Decimal,
    /// The money unit amounts were rounded to (the stage's `round`, or the default precision).
    pub unit: Decimal,
    /// The solved scalar (for a stage solved within groups, see `groups`).
    pub k: Decimal,
    /// For a stage solved within groups: each group's value, pool and k, in group order.
    pub groups: Vec<GroupResult>,
    pub base: Vec<Decimal>,
    pub weight: Vec<Decimal>,
    pub floor: Option<Vec<Decimal>>,
    pub cap: Option<Vec<Decimal>>,
    /// Amounts before rounding.
    pub exact: Vec<Decimal>,
    /// Final amounts: multiples of `unit`, summing to `pool`.
    pub amounts: Vec<Decimal>,
    pub at_floor: Vec<bool>,
    pub at_cap: Vec<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GroupResult {
    pub group: String,
    pub pool: Decimal,
    pub k: Decimal,
}

impl StageResult {
    /// Stands in for a stage that failed, so later stages keep their positions; never
    /// reported (a run with a failed stage is an error).
    fn placeholder(units: usize) -> StageResult {
        StageResult {
            pool: Decimal::ZERO,
            unit: Decimal::ONE,
            k: Decimal::ZERO,
            groups: Vec::new(),
            base: vec![Decimal::ZERO; units],
            weight: vec![Decimal::ZERO; units],
            floor: None,
            cap: None,
            exact: vec![Decimal::ZERO; units],
            amounts: vec![Decimal::ZERO; units],
            at_floor: vec![false; units],
            at_cap: vec![false; units],
        }
    }

    pub fn units_at_floor(&self) -> usize {
        self.at_floor.iter().filter(|&&b| b).count()
    }
    pub fn units_at_cap(&self) -> usize {
        self.at_cap.iter().filter(|&&b| b).count()
    }
}

/// Everything computed for one run.
#[derive(Debug, Clone)]
pub struct Computation {
    pub params: Vec<Decimal>,
    pub vars: Vec<VarColumn>,
    pub aggregates: Vec<AggValue>,
    /// Shared, not copied: a sweep's scenario reuses the stages no changed param reaches.
    pub stages: Vec<Arc<StageResult>>,
    /// Per unit, the sum of all stages (in stage order).
    pub totals: Vec<Decimal>,
}

/// Warnings about a computed run: a floor or cap that rounding could not keep (a bound
/// that is not a multiple of the stage's rounding unit), one per stage and bound, naming
/// the first unit and the unit of rounding.
pub fn rounding_warnings(
    formula: &Formula,
    data: &Dataset,
    result: &Computation,
    sources: &Sources,
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (stage, solved) in formula.stages.iter().zip(&result.stages) {
        type Check<'s> = (
            &'static str,
            &'static str,
            Option<&'s Vec<Decimal>>,
            fn(Decimal, Decimal) -> bool,
        );
        let checks: [Check; 2] = [
            (
                "engine-rounding-below-floor",
                "engine-rounding-below-floor-note",
                solved.floor.as_ref(),
                |amount, bound| amount < bound,
            ),
            (
                "engine-rounding-above-cap",
                "engine-rounding-above-cap-note",
                solved.cap.as_ref(),
                |amount, bound| amount > bound,
            ),
        ];
        for (message, note, bounds, missed) in checks {
            let Some(bounds) = bounds else { continue };
            let rows: Vec<usize> = (0..data.len())
                .filter(|&r| missed(solved.amounts[r], bounds[r]))
                .collect();
            let Some(&first) = rows.first() else { continue };
            warnings.push(
                Diagnostic::warning_t(
                    message,
                    crate::args![
                        stage = &stage.name,
                        rounding = crate::money::format_plain(solved.unit),
                        count = rows.len(),
                        unit = &data.keys[first],
                        amount = crate::money::format_plain(solved.amounts[first]),
                        bound = crate::money::format_plain(bounds[first]),
                    ],
                )
                .at(sources.locate(stage.span))
                .note_t(note, crate::args![]),
            );
        }
    }
    warnings
}

/// Apply a scenario's input overrides (`population = "population * 1.02"`) to the data.
/// Every override reads the inputs as loaded, so their order does not matter.
pub fn transform_inputs(formula: &Formula, data: &mut Dataset, params: &[Decimal], sources: &Sources) -> Result<()> {
    if formula.input_transforms.is_empty() {
        return Ok(());
    }
    let units = data.len();
    let mut replaced = Vec::new();
    {
        let env = Env {
            inputs: &data.columns,
            params,
            vars: &[],
            stages: &[],
            aggregates: &[],
        };
        let report = Reporter {
            sources,
            data,
            unit: unit_suffix(formula),
        };
        for (index, expr, _) in &formula.input_transforms {
            let column = env.num_column(expr, units).map_err(|errors| {
                report.eval_errors(
                    &crate::tr!("engine-what-input-override", name = &formula.inputs[*index].name),
                    errors,
                    None,
                )
            })?;
            replaced.push((*index, column));
        }
    }
    for (index, column) in replaced {
        data.columns[index] = crate::data::Column::Num(column);
    }
    Ok(())
}

/// Run `formula` on `data` with `params` (the formula's params after overrides).
pub fn compute(formula: &Formula, data: &Dataset, params: &[Decimal], sources: &Sources) -> Result<Computation> {
    compute_reusing(formula, data, params, sources, &[], None)
}

/// A previous computation of the same formula and units, and which params and inputs
/// have changed since: steps that read none of them are copied, not recomputed.
pub struct Reuse<'a> {
    pub base: &'a Computation,
    /// For each param, then each input: has it changed?
    pub changed: &'a [bool],
    /// What each step reads, from [`reach`].
    pub reach: &'a Reach,
}

/// For every var, aggregate and stage: the params and inputs it reads, directly or
/// through other vars, aggregates and stages (params first, then inputs).
pub struct Reach {
    pub vars: Vec<Vec<bool>>,
    pub aggregates: Vec<Vec<bool>>,
    pub stages: Vec<Vec<bool>>,
    /// For every stage, what its base, weight, floor, cap and groups read (all but the
    /// pool): while none of it changes, its breakpoints do not either ([`Kept`]).
    pub stage_shapes: Vec<Vec<bool>>,
}

impl Reach {
    pub fn of(formula: &Formula) -> Reach {
        use crate::formula::program::Ref;
        let width = formula.params.len() + formula.inputs.len();
        let mut reach = Reach {
            vars: vec![vec![false; width]; formula.vars.len()],
            aggregates: vec![vec![false; width]; formula.aggregates.len()],
            stages: vec![vec![false; width]; formula.stages.len()],
            stage_shapes: vec![vec![false; width]; formula.stages.len()],
        };
        let params = formula.params.len();
        let union = |reach: &Reach, refs: Vec<Ref>| {
            let mut set = vec![false; width];
            for r in refs {
                match r {
                    Ref::Param(p) => set[p] = true,
                    Ref::Input(i) => set[params + i] = true,
                    Ref::Var(v) => set.iter_mut().zip(&reach.vars[v]).for_each(|(s, r)| *s |= r),
                    Ref::Aggregate(a) => set.iter_mut().zip(&reach.aggregates[a]).for_each(|(s, r)| *s |= r),
                    Ref::Stage(st) => set.iter_mut().zip(&reach.stages[st]).for_each(|(s, r)| *s |= r),
                }
            }
            set
        };
        for step in &formula.plan {
            let set = union(&reach, step_refs(formula, *step, true));
            match *step {
                Step::Var(i) => reach.vars[i] = set,
                Step::Aggregate(i) => reach.aggregates[i] = set,
                Step::Stage(i) => {
                    reach.stage_shapes[i] = union(&reach, step_refs(formula, *step, false));
                    reach.stages[i] = set;
                }
            }
        }
        reach
    }
}

/// What a step of the plan reads: inputs, params, vars, aggregates, stages (for a stage,
/// its pool only `with_pool`).
fn step_refs(formula: &Formula, step: Step, with_pool: bool) -> Vec<crate::formula::program::Ref> {
    let mut refs = Vec::new();
    match step {
        Step::Var(i) => refs = formula.vars[i].expr.refs(),
        Step::Aggregate(i) => {
            let a = &formula.aggregates[i];
            for e in [&a.value, &a.weight].into_iter().flatten() {
                e.refs(&mut refs);
            }
            if let Some(f) = &a.filter {
                f.refs(&mut refs);
            }
            if let Some(g) = a.group {
                refs.push(g.as_ref());
            }
        }
        Step::Stage(i) => {
            let s = &formula.stages[i];
            for e in [
                with_pool.then_some(&s.pool),
                Some(&s.base),
                Some(&s.weight),
                s.floor.as_ref(),
                s.cap.as_ref(),
            ]
            .into_iter()
            .flatten()
            {
                e.refs(&mut refs);
            }
            if let Some(g) = s.within {
                refs.push(g.as_ref());
            }
        }
    }
    refs
}

/// The steps that failed in a run, so that those reading them are skipped.
struct Failed {
    vars: Vec<bool>,
    aggregates: Vec<bool>,
    stages: Vec<bool>,
}

fn touched(reads: &[bool], changed: &[bool]) -> bool {
    reads.iter().zip(changed).any(|(r, c)| *r && *c)
}

/// [`compute`], copying each step from the first of `reuse` whose changed params and
/// inputs it does not read (a sweep passes its base run and the worker's previous
/// scenario); the others are computed.
///
/// Steps run in waves: a wave holds the steps whose every dependency is in an earlier one.
/// A small run (fewer units than [`crate::threads::PARALLEL_MIN`]) computes a wave's steps
/// side by side (a county-level formula's top-up stages, say); a large one computes them
/// one at a time, each over its units in parallel, which keeps its memory to one step's.
/// Either way every result is the one step's alone and problems are reported in plan order.
pub fn compute_reusing(
    formula: &Formula,
    data: &Dataset,
    params: &[Decimal],
    sources: &Sources,
    reuse: &[Reuse],
    kept: Option<&mut Kept>,
) -> Result<Computation> {
    let side_by_side = !crate::threads::worth_parallel(data.len());
    compute_in_waves(formula, data, params, sources, reuse, kept, side_by_side)
}

/// [`compute_reusing`], with the steps of a wave side by side or one at a time.
fn compute_in_waves(
    formula: &Formula,
    data: &Dataset,
    params: &[Decimal],
    sources: &Sources,
    reuse: &[Reuse],
    mut kept: Option<&mut Kept>,
    side_by_side: bool,
) -> Result<Computation> {
    let units = data.len();
    if units == 0 {
        return Err(Error::invalid(
            Diagnostic::error_t("engine-no-units", crate::args![]).at_file(&data.origin),
        ));
    }
    let mut vars = vec![VarColumn::Pending; formula.vars.len()];
    let mut aggregates = vec![AggValue::Pending; formula.aggregates.len()];
    let mut stages: Vec<Option<Arc<StageResult>>> = vec![None; formula.stages.len()];
    let report = Reporter {
        sources,
        data,
        unit: unit_suffix(formula),
    };
    let mut failed = Failed {
        vars: vec![false; formula.vars.len()],
        aggregates: vec![false; formula.aggregates.len()],
        stages: vec![false; formula.stages.len()],
    };
    // Problems with the plan position of their step, reported in plan order.
    let mut problems: Vec<(usize, Vec<Diagnostic>)> = Vec::new();
    let mut all_infeasible = true;

    for wave in waves(formula, side_by_side) {
        let done: Vec<StepDone> = {
            let stage_amounts: Vec<&[Decimal]> = stages
                .iter()
                .map(|s| s.as_deref().map_or(&[][..], |s| &s.amounts[..]))
                .collect();
            let env = Env {
                inputs: &data.columns,
                params,
                vars: &vars,
                stages: &stage_amounts,
                aggregates: &aggregates,
            };
            let step_of = StepContext {
                formula,
                env: &env,
                units,
                report: &report,
                reuse,
                kept: kept.as_deref(),
                failed: &failed,
                params,
            };
            if wave.len() > 1 {
                use rayon::prelude::*;
                wave.par_iter().map(|&at| step_of.run(at)).collect()
            } else {
                wave.iter().map(|&at| step_of.run(at)).collect()
            }
        };
        for (&at, done) in wave.iter().zip(done) {
            let step = formula.plan[at];
            if let Some(k) = kept.as_deref_mut() {
                if done.was_kept {
                    k.reused += 1;
                }
                if let (Step::Stage(i), Some(points)) = (step, done.points) {
                    k.stages[i] = Some((params.to_vec(), points));
                }
            }
            match done.value {
                Ok(Value::Var(column)) => vars[step_index(step)] = column,
                Ok(Value::Aggregate(value)) => aggregates[step_index(step)] = value,
                Ok(Value::Stage(result)) => stages[step_index(step)] = Some(result),
                Err(e) => {
                    match step {
                        Step::Aggregate(i) => failed.aggregates[i] = true,
                        Step::Var(i) => failed.vars[i] = true,
                        Step::Stage(i) => {
                            failed.stages[i] = true;
                            // Stages are read by position: a failed one keeps its place.
                            stages[i] = Some(Arc::new(StageResult::placeholder(units)));
                        }
                    }
                    all_infeasible &= matches!(e, Error::Infeasible(_)) || e.diagnostics().is_empty();
                    problems.push((
                        at,
                        match e {
                            Error::Invalid(ds) | Error::Infeasible(ds) | Error::Usage(ds) => ds,
                            other => other.diagnostics(),
                        },
                    ));
                }
            }
        }
    }
    // Every failing var, aggregate and stage is reported, in plan order.
    if !problems.is_empty() {
        problems.sort_by_key(|(at, _)| *at);
        let problems: Vec<Diagnostic> = problems.into_iter().flat_map(|(_, ds)| ds).collect();
        return Err(if all_infeasible {
            Error::Infeasible(problems)
        } else {
            Error::Invalid(problems)
        });
    }
    let stages: Vec<Arc<StageResult>> = stages
        .into_iter()
        .map(|s| s.ok_or_else(|| Error::Internal("a stage outside the plan".into())))
        .collect::<Result<_>>()?;
    // Each unit's total in one pass over the stages, in stage order (a sweep sums a dozen
    // stages every scenario; stage by stage, every addition went through memory).
    let counted: Vec<&[Decimal]> = stages
        .iter()
        .zip(&formula.stages)
        .filter(|(_, spec)| spec.in_total)
        .map(|(stage, _)| &stage.amounts[..])
        .collect();
    let totals = (0..units)
        .map(|row| {
            counted
                .iter()
                .try_fold(Decimal::ZERO, |total, amounts| match amounts.get(row) {
                    Some(amount) => total.checked_add(*amount),
                    None => Some(total),
                })
        })
        .collect::<Option<Vec<Decimal>>>()
        .ok_or_else(|| Error::Internal("total overflow".into()))?;
    Ok(Computation {
        params: params.to_vec(),
        vars,
        aggregates,
        stages,
        totals,
    })
}

fn step_index(step: Step) -> usize {
    match step {
        Step::Aggregate(i) | Step::Var(i) | Step::Stage(i) => i,
    }
}

/// The plan's steps (by position) in waves: each step in the wave after the latest of the
/// steps it reads, each wave in plan order. Not `side_by_side`: one step a wave, in plan order.
fn waves(formula: &Formula, side_by_side: bool) -> Vec<Vec<usize>> {
    if !side_by_side {
        return (0..formula.plan.len()).map(|at| vec![at]).collect();
    }
    let (mut var_wave, mut aggregate_wave, mut stage_wave) = (
        vec![0; formula.vars.len()],
        vec![0; formula.aggregates.len()],
        vec![0; formula.stages.len()],
    );
    let mut waves: Vec<Vec<usize>> = Vec::new();
    for (at, step) in formula.plan.iter().enumerate() {
        let wave = step_refs(formula, *step, true)
            .iter()
            .map(|r| match *r {
                Ref::Var(v) => var_wave[v] + 1,
                Ref::Aggregate(a) => aggregate_wave[a] + 1,
                Ref::Stage(s) => stage_wave[s] + 1,
                Ref::Input(_) | Ref::Param(_) => 0,
            })
            .max()
            .unwrap_or(0);
        match *step {
            Step::Var(i) => var_wave[i] = wave,
            Step::Aggregate(i) => aggregate_wave[i] = wave,
            Step::Stage(i) => stage_wave[i] = wave,
        }
        if waves.len() <= wave {
            waves.resize_with(wave + 1, Vec::new);
        }
        waves[wave].push(at);
    }
    waves
}

/// What one step of the plan gave.
struct StepDone {
    value: Result<Value>,
    /// A stage solved from kept breakpoints.
    was_kept: bool,
    /// A stage's breakpoints, computed where they are being kept.
    points: Option<Vec<allocate::Breakpoints>>,
}

enum Value {
    Var(VarColumn),
    Aggregate(AggValue),
    Stage(Arc<StageResult>),
}

/// What every step of a wave reads.
struct StepContext<'a> {
    formula: &'a Formula,
    env: &'a Env<'a>,
    units: usize,
    report: &'a Reporter<'a>,
    reuse: &'a [Reuse<'a>],
    kept: Option<&'a Kept>,
    failed: &'a Failed,
    params: &'a [Decimal],
}

impl StepContext<'_> {
    /// Step `at` of the plan: copied from a reusable computation, skipped (an empty error)
    /// when it reads a failed step, or computed.
    fn run(&self, at: usize) -> StepDone {
        let (formula, env, units, report) = (self.formula, self.env, self.units, self.report);
        let step = formula.plan[at];
        let done = |value| StepDone {
            value,
            was_kept: false,
            points: None,
        };
        let fresh_in = |r: &&Reuse| match step {
            Step::Aggregate(i) => !touched(&r.reach.aggregates[i], r.changed),
            Step::Var(i) => !touched(&r.reach.vars[i], r.changed),
            Step::Stage(i) => !touched(&r.reach.stages[i], r.changed),
        };
        if let Some(r) = self.reuse.iter().find(fresh_in) {
            return done(Ok(match step {
                Step::Aggregate(i) => Value::Aggregate(r.base.aggregates[i].clone()),
                Step::Var(i) => Value::Var(r.base.vars[i].clone()),
                Step::Stage(i) => Value::Stage(Arc::clone(&r.base.stages[i])),
            }));
        }
        // A step that reads a failed one is skipped: its own errors would only repeat them.
        let failed = self.failed;
        let reads_failed = step_refs(formula, step, true).iter().any(|r| match r {
            Ref::Var(v) => failed.vars[*v],
            Ref::Aggregate(a) => failed.aggregates[*a],
            Ref::Stage(s) => failed.stages[*s],
            Ref::Input(_) | Ref::Param(_) => false,
        });
        if reads_failed {
            return done(Err(Error::Invalid(Vec::new())));
        }
        match step {
            Step::Aggregate(i) => {
                let agg = &formula.aggregates[i];
                done(env.aggregate(agg, units).map(Value::Aggregate).map_err(|errors| {
                    report.eval_errors(
                        &crate::tr!("engine-what-aggregate", source = &agg.source),
                        errors,
                        Some(agg.span),
                    )
                }))
            }
            Step::Var(i) => {
                let var = &formula.vars[i];
                done(env.var_column(&var.expr, units).map(Value::Var).map_err(|errors| {
                    report.eval_errors(&crate::tr!("engine-what-var", name = &var.name), errors, None)
                }))
            }
            Step::Stage(i) => {
                let usable = self.kept.and_then(|k| k.usable(i, self.params));
                let mut points = Points {
                    kept: usable,
                    next: 0,
                    computed: (self.kept.is_some() && usable.is_none()).then(Vec::new),
                };
                let solved = solve_stage(&formula.stages[i], env, units, report, &mut points);
                let was_kept = points.kept.is_some();
                let points = points.computed.filter(|_| solved.is_ok());
                StepDone {
                    value: solved.map(|result| Value::Stage(Arc::new(result))),
                    was_kept,
                    points,
                }
            }
        }
    }
}

/// The breakpoints of one stage's fits (one per group, in group order): those kept from an
/// earlier computation, taken in turn, and those computed, collected when keeping.
struct Points<'k> {
    kept: Option<&'k [allocate::Breakpoints]>,
    next: usize,
    computed: Option<Vec<allocate::Breakpoints>>,
}

impl<'k> Points<'k> {
    fn take_kept(&mut self) -> Option<&'k allocate::Breakpoints> {
        let kept = self.kept.and_then(|k| k.get(self.next));
        self.next += 1;
        kept
    }
}

/// Breakpoints kept from one computation to the next, for computations of one formula on one
/// dataset that differ only in params (a sweep worker's scenarios): a stage whose base, weight,
/// floor, cap and groups read no param that changed takes its sorted breakpoints from here and
/// only walks them for its pool. Only time depends on it.
pub struct Kept {
    shapes: Vec<Vec<bool>>,
    stages: Vec<Option<(Vec<Decimal>, Vec<allocate::Breakpoints>)>>,
    /// Fits solved from kept breakpoints (for tests).
    pub reused: usize,
}

impl Kept {
    pub fn new(reach: &Reach) -> Kept {
        Kept {
            shapes: reach.stage_shapes.clone(),
            stages: vec![None; reach.stage_shapes.len()],
            reused: 0,
        }
    }

    /// The breakpoints kept for `stage` if what its shape reads is unchanged in `params`.
    fn usable(&self, stage: usize, params: &[Decimal]) -> Option<&[allocate::Breakpoints]> {
        let (then, groups) = self.stages.get(stage)?.as_ref()?;
        let reads = self.shapes.get(stage)?;
        let same = reads
            .iter()
            .zip(params.iter().zip(then))
            .all(|(read, (now, then))| !read || now == then);
        same.then_some(groups.as_slice())
    }
}

fn solve_stage(stage: &Stage, env: &Env, units: usize, report: &Reporter, points: &mut Points) -> Result<StageResult> {
    let what = |part: &str| crate::tr!("engine-what-stage-part", stage = &stage.name, part = part);
    let column = |e, part: &str| {
        env.num_column(e, units)
            .map_err(|errs| report.eval_errors(&what(part), errs, None))
    };
    let base = column(&stage.base, "base")?;
    let weight = column(&stage.weight, "weight")?;
    let floor = stage.floor.as_ref().map(|f| column(f, "floor")).transpose()?;
    let cap = stage.cap.as_ref().map(|c| column(c, "cap")).transpose()?;
    let unit = stage.round.unwrap_or_else(money::default_stage_unit);
    let mut result = StageResult {
        pool: Decimal::ZERO,
        unit,
        k: Decimal::ZERO,
        groups: Vec::new(),
        // Filled by `fit`: moved in whole for a stage over every unit, group by group here.
        exact: Vec::new(),
        amounts: Vec::new(),
        at_floor: Vec::new(),
        at_cap: Vec::new(),
        base,
        weight,
        floor,
        cap,
    };

    let Some(group) = stage.within else {
        let pools = column(&stage.pool, "pool")?;
        let pool = pools.first().copied().unwrap_or_default();
        if let Some(other) = pools.iter().position(|p| *p != pool) {
            return Err(Error::invalid(
                Diagnostic::error_t(
                    "engine-pool-not-one",
                    crate::args![
                        stage = &stage.name,
                        first = report.data.describe_unit(0),
                        pool = money::format_plain(pool),
                        other = report.data.describe_unit(other),
                        other_pool = money::format_plain(pools[other]),
                    ],
                )
                .at(report.sources.locate(stage.span))
                .note_t("engine-pool-not-one-note", crate::args![]),
            ));
        }
        let rows: Vec<usize> = (0..units).collect();
        result.k = fit(stage, &mut result, &rows, pool, None, report, points)?;
        result.pool = pool;
        return Ok(result);
    };
    // Two-level allocation: each group (a province, say) is fitted to its own pool.
    result.exact = vec![Decimal::ZERO; units];
    result.amounts = vec![Decimal::ZERO; units];
    result.at_floor = vec![false; units];
    result.at_cap = vec![false; units];
    let groups = crate::formula::eval::group_keys(group, env.inputs, env.vars).map_err(|errors| {
        report.eval_errors(
            &crate::tr!("engine-what-stage-within", stage = &stage.name),
            errors,
            Some(stage.span),
        )
    })?;
    let pools = column(&stage.pool, "pool")?;
    let mut members: std::collections::BTreeMap<&str, Vec<usize>> = std::collections::BTreeMap::new();
    for (row, group) in groups.iter().enumerate() {
        members.entry(group).or_default().push(row);
    }
    let mut total = Decimal::ZERO;
    for (group, rows) in members {
        let pool = pools[rows[0]];
        if let Some(&other) = rows.iter().find(|&&r| pools[r] != pool) {
            return Err(Error::invalid(
                Diagnostic::error_t(
                    "engine-group-pool-not-one",
                    crate::args![
                        stage = &stage.name,
                        group = group,
                        first = report.data.describe_unit(rows[0]),
                        pool = money::format_plain(pool),
                        other = report.data.describe_unit(other),
                        other_pool = money::format_plain(pools[other]),
                    ],
                )
                .at(report.sources.locate(stage.span))
                .note_t("engine-group-pool-not-one-note", crate::args![]),
            ));
        }
        let k = fit(stage, &mut result, &rows, pool, Some(group), report, points)?;
        total = total
            .checked_add(pool)
            .ok_or_else(|| Error::Internal("pool overflow".into()))?;
        result.groups.push(GroupResult {
            group: group.to_string(),
            pool,
            k,
        });
    }
    result.pool = total;
    Ok(result)
}

/// Solve and round one stage over `rows` (all units, or one group), writing into `result`.
/// When one sum is over 1,000 times the other, the likelier cause is two money units (元
/// against 万元, a pool typed in yuan in a formula in 10,000 yuan) than a policy choice.
fn unit_mix_up(d: Diagnostic, larger: Decimal, smaller: Decimal) -> Diagnostic {
    let thousand = Decimal::from(1000);
    match smaller.checked_mul(thousand) {
        Some(bound) if smaller > Decimal::ZERO && larger > bound => {
            let Some(times) = larger.checked_div(smaller) else {
                return d;
            };
            let times = times.round();
            d.note_t("engine-unit-mix-up", crate::args![times = money::format_grouped(times)])
        }
        _ => d,
    }
}

fn fit(
    stage: &Stage,
    result: &mut StageResult,
    rows: &[usize],
    pool: Decimal,
    group: Option<&str>,
    report: &Reporter,
    points: &mut Points,
) -> Result<Decimal> {
    // A stage over every unit reads its columns in place; a group's rows are copied out.
    let every_unit = rows.len() == result.base.len();
    let pick = |v: &[Decimal]| -> Vec<Decimal> { rows.iter().map(|&r| v[r]).collect() };
    let (picked_base, picked_weight, picked_floor, picked_cap);
    let problem = if every_unit {
        Problem {
            base: &result.base,
            weight: &result.weight,
            floor: result.floor.as_deref(),
            cap: result.cap.as_deref(),
            pool,
        }
    } else {
        picked_base = pick(&result.base);
        picked_weight = pick(&result.weight);
        picked_floor = result.floor.as_deref().map(pick);
        picked_cap = result.cap.as_deref().map(pick);
        Problem {
            base: &picked_base,
            weight: &picked_weight,
            floor: picked_floor.as_deref(),
            cap: picked_cap.as_deref(),
            pool,
        }
    };
    // Where the stage is and what to call it, for errors only (a sweep fits thousands of
    // groups a second, and locating a span reads the formula's text).
    let here = || report.sources.locate(stage.span);
    let name_of = || match group {
        Some(g) => crate::tr!("engine-stage-in-group", stage = &stage.name, group = g),
        None => format!("'{}'", stage.name),
    };
    let unit_of = |i: usize| report.data.describe_unit(rows[i]);
    let solve_error = |e: SolveError| {
        let at = |d: Diagnostic| d.at(here());
        match e {
            SolveError::FloorsAbovePool { floors, pool } => Error::Infeasible(vec![unit_mix_up(
                at(Diagnostic::error_t(
                    "engine-floors-above-pool",
                    crate::args![
                        stage = &name_of(),
                        floors = money::format_grouped(floors),
                        pool = money::format_grouped(pool),
                        unit = &report.unit,
                    ],
                )),
                floors,
                pool,
            )
            .note_t("engine-floors-above-pool-note", crate::args![])]),
            SolveError::CapsBelowPool { caps, pool } => Error::Infeasible(vec![unit_mix_up(
                at(Diagnostic::error_t(
                    "engine-caps-below-pool",
                    crate::args![
                        stage = &name_of(),
                        caps = money::format_grouped(caps),
                        pool = money::format_grouped(pool),
                        unit = &report.unit,
                    ],
                )),
                pool,
                caps,
            )
            .note_t("engine-caps-below-pool-note", crate::args![])]),
            SolveError::NoWeight { fixed, pool } => Error::Infeasible(vec![at(Diagnostic::error_t(
                "engine-no-weight",
                crate::args![
                    stage = &name_of(),
                    fixed = money::format_plain(fixed),
                    pool = money::format_plain(pool),
                ],
            ))]),
            SolveError::MixedSigns { positive, negative } => Error::invalid(
                at(Diagnostic::error_t(
                    "engine-mixed-signs",
                    crate::args![
                        stage = &name_of(),
                        positive = unit_of(positive),
                        positive_weight = problem.weight[positive].to_string(),
                        negative = unit_of(negative),
                        negative_weight = problem.weight[negative].to_string(),
                    ],
                ))
                .note_t("engine-mixed-signs-note", crate::args![]),
            ),
            SolveError::FloorAboveCap { unit, floor, cap } => Error::invalid(
                at(Diagnostic::error_t(
                    "engine-floor-above-cap",
                    crate::args![
                        stage = &name_of(),
                        unit = unit_of(unit),
                        floor = money::format_plain(floor),
                        cap = money::format_plain(cap),
                    ],
                ))
                .note_t("engine-floor-above-cap-note", crate::args![]),
            ),
            SolveError::Overflow => Error::invalid(at(Diagnostic::error_t(
                "engine-solve-overflow",
                crate::args![stage = &name_of()],
            ))),
        }
    };
    // The breakpoints kept from an earlier computation, else computed (and kept, if asked).
    let solution = match points.take_kept() {
        Some(kept) => allocate::solve_from(&problem, kept).map_err(solve_error)?,
        None => {
            let fresh = allocate::Breakpoints::of(&problem).map_err(solve_error)?;
            let solution = allocate::solve_from(&problem, &fresh).map_err(solve_error)?;
            if let Some(computed) = &mut points.computed {
                computed.push(fresh);
            }
            solution
        }
    };
    let amounts = allocate::apportion(&solution.exact, result.unit, pool, problem.cap).map_err(|e| match e {
        RoundingError::PoolNotMultiple { pool, unit } => Error::invalid(
            Diagnostic::error_t(
                "engine-pool-not-multiple",
                crate::args![
                    stage = &name_of(),
                    pool = money::format_plain(pool),
                    rounding = money::format_plain(unit),
                ],
            )
            .at(here())
            .note_t("engine-pool-not-multiple-note", crate::args![]),
        ),
        RoundingError::CannotFit { short_units } => Error::Internal(format!(
            "stage {}: rounding left {short_units} units unplaced",
            name_of()
        )),
        RoundingError::Overflow => {
            Error::invalid(Diagnostic::error_t("engine-round-overflow", crate::args![stage = &name_of()]).at(here()))
        }
    })?;
    let k = solution.k;
    if every_unit {
        result.exact = solution.exact;
        result.amounts = amounts;
        result.at_floor = solution.at_floor;
        result.at_cap = solution.at_cap;
    } else {
        for (i, &row) in rows.iter().enumerate() {
            result.exact[row] = solution.exact[i];
            result.amounts[row] = amounts[i];
            result.at_floor[row] = solution.at_floor[i];
            result.at_cap[row] = solution.at_cap[i];
        }
    }
    Ok(k)
}

struct Reporter<'a> {
    sources: &'a Sources,
    data: &'a Dataset,
    /// ` 万元` after an amount in a message, or nothing for a formula without a named unit.
    unit: String,
}

/// The formula's money unit after an amount: ` 万元`; nothing for the unnamed unit `1`.
fn unit_suffix(formula: &Formula) -> String {
    match formula.unit.name.as_str() {
        "1" => String::new(),
        name => format!(" {name}"),
    }
}

impl Reporter<'_> {
    /// One diagnostic per kind of failure, listing the units it hit.
    fn eval_errors(&self, what: &str, errors: Vec<(usize, EvalError)>, fallback: Option<Span>) -> Error {
        let mut grouped: Vec<(EvalErrorKind, Option<Span>, Vec<usize>)> = Vec::new();
        for (row, error) in errors {
            let span = error.span.or(fallback);
            match grouped.iter_mut().find(|(k, s, _)| *k == error.kind && *s == span) {
                Some((_, _, rows)) => rows.push(row),
                None => grouped.push((error.kind, span, vec![row])),
            }
        }
        let diagnostics = grouped
            .into_iter()
            .map(|(kind, span, rows)| {
                let location = span.map_or(Location::None, |s| self.sources.locate(s));
                let real_rows: Vec<usize> = rows.iter().copied().filter(|&r| r != usize::MAX).collect();
                let mut d = match real_rows.first() {
                    Some(&first) => Diagnostic::error_t(
                        "engine-eval-error-unit",
                        crate::args![
                            problem = kind.describe(),
                            what = what,
                            unit = self.data.describe_unit(first),
                        ],
                    ),
                    None => Diagnostic::error_t(
                        "engine-eval-error",
                        crate::args![problem = kind.describe(), what = what],
                    ),
                };
                d = d.at(location);
                if real_rows.len() > 1 {
                    let listed: Vec<String> = real_rows
                        .iter()
                        .take(UNITS_LISTED)
                        .map(|&r| self.data.keys[r].to_string())
                        .collect();
                    let more = real_rows.len().saturating_sub(UNITS_LISTED);
                    d = if more > 0 {
                        d.note_t(
                            "engine-units-affected-more",
                            crate::args![count = real_rows.len(), units = listed.join(", "), more = more],
                        )
                    } else {
                        d.note_t(
                            "engine-units-affected",
                            crate::args![count = real_rows.len(), units = listed.join(", ")],
                        )
                    };
                }
                if kind == EvalErrorKind::DivisionByZero {
                    d = d.note_t("engine-division-note", crate::args![]);
                }

                d
            })
            .collect();
        Error::Invalid(diagnostics)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand example (tests/fixtures/hand): gaps 30, 60, 0, 70 share a pool of 100,
    /// capped at the gap, rounded to whole units.
    fn hand() -> (Sources, Formula, Dataset) {
        let mut sources = Sources::default();
        let id = sources.add(
            "hand.toml",
            "[formula]\nname = \"h\"\nkey = \"code\"\n[inputs.need]\n[inputs.revenue]\n[params]\npool = \"100\"\n\
             [vars]\ngap = \"max(need - revenue, 0)\"\n[[allocation]]\nname = \"grant\"\npool = \"pool\"\n\
             weight = \"gap\"\ncap = \"gap\"\nround = \"1\"\n"
                .to_string(),
        );
        let formula = crate::formula::load(&sources, id).unwrap();
        let data = Dataset::of_numbers("hand", &["A", "B", "C", "D"], &[&[50, 100, 30, 80], &[20, 40, 40, 10]]);
        (sources, formula, data)
    }

    #[test]
    fn the_hand_example_by_hand() {
        let (sources, formula, data) = hand();
        let result = compute(&formula, &data, &formula.default_params(), &sources).unwrap();
        let stage = &result.stages[0];
        // k = 100 / 160 = 0.625: exact 18.75, 37.5, 0, 43.75; floors 18, 37, 0, 43 (98);
        // the two largest remainders (.75, A and D) get the last two units.
        assert_eq!(stage.k, "0.625".parse::<Decimal>().unwrap());
        let exact: Vec<String> = stage.exact.iter().map(|v| v.normalize().to_string()).collect();
        assert_eq!(exact, ["18.75", "37.5", "0", "43.75"]);
        assert_eq!(result.totals, [19, 37, 0, 44].map(Decimal::from));
        assert_eq!(stage.units_at_cap(), 0);
    }

    /// Steps that read nothing computed share the first wave; a step waits for what it reads.
    /// `x` fails at unit D (revenue 10), `y` at unit C (revenue 40).
    fn waved() -> (Sources, Formula, Dataset) {
        let mut sources = Sources::default();
        let id = sources.add(
            "waves.toml",
            "[formula]\nname = \"w\"\nkey = \"code\"\n[inputs.need]\n[inputs.revenue]\n[params]\npool = \"100\"\n\
             [vars]\nx = \"gap / (revenue - 10)\"\ngap = \"max(need - revenue, 0)\"\ny = \"need / (revenue - 40)\"\n\
             [[allocation]]\nname = \"first\"\npool = \"pool\"\nweight = \"gap\"\nround = \"1\"\n\
             [[allocation]]\nname = \"second\"\npool = \"pool\"\nweight = \"need\"\nround = \"1\"\n\
             [[allocation]]\nname = \"after\"\npool = \"sum(first)\"\nweight = \"need\"\nround = \"1\"\n"
                .to_string(),
        );
        let formula = crate::formula::load(&sources, id).unwrap();
        let data = Dataset::of_numbers("w", &["A", "B", "C", "D"], &[&[50, 100, 30, 80], &[20, 50, 40, 10]]);
        (sources, formula, data)
    }

    fn step_name(formula: &Formula, at: usize) -> String {
        match formula.plan[at] {
            Step::Var(i) => formula.vars[i].name.clone(),
            Step::Aggregate(i) => formula.aggregates[i].source.clone(),
            Step::Stage(i) => formula.stages[i].name.clone(),
        }
    }

    #[test]
    fn waves_run_together_only_steps_that_do_not_read_each_other() {
        let (_, formula, _) = waved();
        let waves = waves(&formula, true);
        let wave_of = |n: &str| {
            waves
                .iter()
                .position(|w| w.iter().any(|&at| step_name(&formula, at) == n))
                .unwrap()
        };
        // `second` reads only inputs and params: it runs with the first vars.
        assert_eq!(wave_of("gap"), 0);
        assert_eq!(wave_of("y"), 0);
        assert_eq!(wave_of("second"), 0);
        assert_eq!(wave_of("x"), 1);
        assert_eq!(wave_of("first"), 1);
        assert!(wave_of("after") > wave_of("first"), "{waves:?}");
        // Each wave in plan order; without side by side, one step a wave in plan order.
        assert!(waves.iter().all(|w| w.windows(2).all(|p| p[0] < p[1])));
        let one_by_one = super::waves(&formula, false);
        assert_eq!(
            one_by_one,
            (0..formula.plan.len()).map(|at| vec![at]).collect::<Vec<_>>()
        );
    }

    #[test]
    fn problems_come_in_plan_order_whichever_wave_found_them() {
        let (sources, formula, data) = waved();
        let at = |n: &str| {
            (0..formula.plan.len())
                .find(|&at| step_name(&formula, at) == n)
                .unwrap()
        };
        // `x` comes before `y` in the plan but runs a wave later.
        assert!(at("x") < at("y"));
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let err = pool
            .install(|| compute(&formula, &data, &formula.default_params(), &sources))
            .unwrap_err();
        let messages: Vec<String> = err.diagnostics().into_iter().map(|d| d.message).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages[0].contains("'x'") && messages[0].contains("unit D"),
            "{messages:?}"
        );
        assert!(
            messages[1].contains("'y'") && messages[1].contains("unit C"),
            "{messages:?}"
        );
    }

    #[test]
    fn side_by_side_and_one_at_a_time_compute_the_same() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        for (sources, formula, data) in [hand(), waved()] {
            let params = formula.default_params();
            let [together, alone] = [true, false].map(|side_by_side| {
                pool.install(|| compute_in_waves(&formula, &data, &params, &sources, &[], None, side_by_side))
            });
            match (together, alone) {
                (Ok(together), Ok(alone)) => {
                    assert_eq!(together.totals, alone.totals);
                    assert_eq!(together.stages, alone.stages);
                }
                (Err(together), Err(alone)) => {
                    let messages = |e: Error| e.diagnostics().into_iter().map(|d| d.message).collect::<Vec<_>>();
                    assert_eq!(messages(together), messages(alone));
                }
                _ => panic!("one way failed, the other did not"),
            }
        }
    }

    #[test]
    fn recomputing_from_a_base_run_gives_what_a_fresh_run_gives() {
        let (sources, formula, data) = hand();
        let base = compute(&formula, &data, &formula.default_params(), &sources).unwrap();
        let mut params = formula.default_params();
        params[0] = Decimal::from(150);
        let mut changed = vec![false; formula.params.len() + formula.inputs.len()];
        changed[0] = true;
        let reach = Reach::of(&formula);
        let reuse = Reuse {
            base: &base,
            changed: &changed,
            reach: &reach,
        };
        let reused = compute_reusing(&formula, &data, &params, &sources, &[reuse], None).unwrap();
        let fresh = compute(&formula, &data, &params, &sources).unwrap();
        assert_eq!(reused.totals, fresh.totals);
        assert_eq!(reused.stages, fresh.stages);
        // Caps (the gaps) add up to 160: a pool of 150 puts B and D nearer their caps.
        assert_eq!(fresh.totals.iter().sum::<Decimal>(), Decimal::from(150));
    }

    #[test]
    fn an_infeasible_pool_names_the_stage_and_the_caps() {
        let (sources, formula, data) = hand();
        let mut params = formula.default_params();
        params[0] = Decimal::from(170);
        let err = compute(&formula, &data, &params, &sources).unwrap_err();
        assert_eq!(err.exit_code(), crate::error::exit::INFEASIBLE);
        let message = &err.diagnostics()[0].message;
        assert_eq!(
            message,
            "stage 'grant' is infeasible: the caps add up to 160, less than the pool 170"
        );
    }
}
