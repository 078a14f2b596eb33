//! Evaluating an expression over a block of units at a time instead of unit by unit.
//!
//! Each node of the expression is computed for the whole block (a few thousand units)
//! before its parent: an input or var is read as a slice, a param or a scalar aggregate
//! stays one value (so `x * rate` multiplies a column by a hoisted constant, and an
//! expression of params only is computed once per block), and an operation runs as one
//! loop over the block. Exact `Decimal` arithmetic and checked operations are unchanged.
//!
//! The results, values and errors, are those of the per-unit evaluator ([`Env::num`],
//! [`Env::cond`]) for every unit: an operation's error is its first operand's error,
//! else its second's, else its own, as evaluating operands in order gives. `if`, `and`
//! and `or` evaluate both sides over the block and pick per unit; the side not picked is
//! discarded with any error it had, exactly as the per-unit evaluator never computes it.
//! A differential test runs random expressions through both and requires equal results.

use rust_decimal::Decimal;

use super::eval::{apply, Env, EvalError, EvalErrorKind, VarColumn};
use super::program::*;
use crate::data::Column;

/// Units per block: large enough that a node's loop dominates its dispatch, small enough
/// that a block's temporaries stay in cache.
pub const BLOCK: usize = 2048;

const NOT_READY: EvalError = EvalError {
    kind: EvalErrorKind::NotReady,
    span: None,
};

/// One node's values over a block.
enum Values<'a> {
    /// The same for every unit of the block (a constant, a param, a scalar aggregate, or
    /// an operation of such).
    Same(Result<Decimal, EvalError>),
    /// A column read in place (an input, a var, a stage, a per-unit aggregate).
    Slice(&'a [Decimal]),
    /// Computed for the block, without an error (the usual case: a third of the memory
    /// of [`Values::Owned`], and loops over it need no error checks).
    Clean(Vec<Decimal>),
    /// Computed for the block, with an error at one unit or more.
    Owned(Vec<Result<Decimal, EvalError>>),
}

impl Values<'_> {
    fn get(&self, i: usize) -> Result<Decimal, EvalError> {
        match self {
            Values::Same(v) => *v,
            Values::Slice(s) => s.get(i).copied().ok_or(NOT_READY),
            Values::Clean(v) => Ok(v[i]),
            Values::Owned(v) => v[i],
        }
    }

    fn is_same(&self) -> bool {
        matches!(self, Values::Same(_))
    }

    /// Every unit's value, when no unit of the block's `len` has an error.
    fn clean(&self, len: usize) -> Option<&[Decimal]> {
        match self {
            Values::Slice(s) if s.len() == len => Some(s),
            Values::Clean(v) if v.len() == len => Some(v),
            _ => None,
        }
    }
}

/// A block's results as [`Values::Clean`] while none is an error, else [`Values::Owned`].
fn collect_values<'a>(len: usize, results: impl Iterator<Item = Result<Decimal, EvalError>>) -> Values<'a> {
    let mut results = results;
    let mut clean = Vec::with_capacity(len);
    while let Some(result) = results.next() {
        match result {
            Ok(v) => clean.push(v),
            Err(e) => {
                let mut owned: Vec<Result<Decimal, EvalError>> = Vec::with_capacity(len);
                owned.extend(clean.into_iter().map(Ok));
                owned.push(Err(e));
                owned.extend(results);
                return Values::Owned(owned);
            }
        }
    }
    Values::Clean(clean)
}

/// `f(a, b)` for every unit: one loop over plain values where neither side can fail (a
/// column, or one value that is not an error), else unit by unit with the first operand's
/// error first, as [`Values::get`] gives.
fn binary<'a>(
    len: usize,
    a: &Values,
    b: &Values,
    f: impl Fn(Decimal, Decimal) -> Result<Decimal, EvalError>,
) -> Values<'a> {
    match (a, b, a.clean(len), b.clean(len)) {
        (Values::Same(x), Values::Same(y), _, _) => Values::Same(x.and_then(|x| y.and_then(|y| f(x, y)))),
        (Values::Same(Ok(x)), _, _, Some(ys)) => collect_values(len, ys.iter().map(|&y| f(*x, y))),
        (_, Values::Same(Ok(y)), Some(xs), _) => collect_values(len, xs.iter().map(|&x| f(x, *y))),
        (_, _, Some(xs), Some(ys)) => collect_values(len, xs.iter().zip(ys).map(|(&x, &y)| f(x, y))),
        _ => collect_values(len, (0..len).map(|i| f(a.get(i)?, b.get(i)?))),
    }
}

enum Truths<'a> {
    Same(Result<bool, EvalError>),
    Slice(&'a [bool]),
    Owned(Vec<Result<bool, EvalError>>),
}

impl Truths<'_> {
    fn get(&self, i: usize) -> Result<bool, EvalError> {
        match self {
            Truths::Same(v) => *v,
            Truths::Slice(s) => s.get(i).copied().ok_or(NOT_READY),
            Truths::Owned(v) => v[i],
        }
    }

    fn is_same(&self) -> bool {
        matches!(self, Truths::Same(_))
    }
}

fn arith(op: ArithOp, a: Decimal, b: Decimal, span: Span) -> Result<Decimal, EvalError> {
    let result = match op {
        ArithOp::Add => a.checked_add(b),
        ArithOp::Sub => a.checked_sub(b),
        ArithOp::Mul => crate::multiply::mul(a, b),
        ArithOp::Div => {
            if b.is_zero() {
                return Err(EvalError {
                    kind: EvalErrorKind::DivisionByZero,
                    span: Some(span),
                });
            }
            a.checked_div(b)
        }
    };
    result.ok_or(EvalError {
        kind: EvalErrorKind::Overflow,
        span: Some(span),
    })
}

use crate::diag::Span;

/// Build a node's values from a per-unit rule over `len` units, or once when every
/// operand is the same for the whole block.
fn map<'a>(len: usize, same: bool, f: impl Fn(usize) -> Result<Decimal, EvalError>) -> Values<'a> {
    if same {
        Values::Same(f(0))
    } else {
        collect_values(len, (0..len).map(f))
    }
}

fn map_truths<'a>(len: usize, same: bool, f: impl Fn(usize) -> Result<bool, EvalError>) -> Truths<'a> {
    if same {
        Truths::Same(f(0))
    } else {
        Truths::Owned((0..len).map(f).collect())
    }
}

impl<'e> Env<'e> {
    /// `e` for units `start..start + len`.
    fn num_block(&self, e: &Num, start: usize, len: usize) -> Values<'e> {
        let slice = |v: &'e [Decimal]| match v.get(start..start + len) {
            Some(s) => Values::Slice(s),
            None => Values::Same(Err(NOT_READY)),
        };
        match e {
            Num::Const(v) => Values::Same(Ok(*v)),
            Num::Input(i) => match self.inputs.get(*i) {
                Some(Column::Num(v)) => slice(v),
                _ => Values::Same(Err(NOT_READY)),
            },
            Num::Param(i) => Values::Same(self.params.get(*i).copied().ok_or(NOT_READY)),
            Num::Var(i) => match self.vars.get(*i) {
                Some(VarColumn::Num(v)) => slice(v),
                _ => Values::Same(Err(NOT_READY)),
            },
            Num::Stage(i) => match self.stages.get(*i) {
                Some(v) => slice(v),
                None => Values::Same(Err(NOT_READY)),
            },
            Num::Aggregate(i) => match self.aggregates.get(*i) {
                Some(super::eval::AggValue::Scalar(v)) => Values::Same(Ok(*v)),
                _ => Values::Same(Err(NOT_READY)),
            },
            Num::AggregateColumn(i) => match self.aggregates.get(*i) {
                Some(super::eval::AggValue::Column(v)) | Some(super::eval::AggValue::Scores { scores: v, .. }) => {
                    slice(v)
                }
                _ => Values::Same(Err(NOT_READY)),
            },
            Num::Neg(inner, _) => {
                let a = self.num_block(inner, start, len);
                map(len, a.is_same(), |i| a.get(i).map(|v| -v))
            }
            Num::Arith(op, left, right, span) => {
                let (a, b) = (self.num_block(left, start, len), self.num_block(right, start, len));
                let span = *span;
                // One loop per operation, the operation chosen once for the block.
                match op {
                    ArithOp::Add => binary(len, &a, &b, |x, y| arith(ArithOp::Add, x, y, span)),
                    ArithOp::Sub => binary(len, &a, &b, |x, y| arith(ArithOp::Sub, x, y, span)),
                    ArithOp::Mul => binary(len, &a, &b, |x, y| arith(ArithOp::Mul, x, y, span)),
                    ArithOp::Div => binary(len, &a, &b, |x, y| arith(ArithOp::Div, x, y, span)),
                }
            }
            Num::If(c, a, b) => {
                let c = self.cond_block(c, start, len);
                let (a, b) = (self.num_block(a, start, len), self.num_block(b, start, len));
                map(len, c.is_same() && a.is_same() && b.is_same(), |i| {
                    if c.get(i)? {
                        a.get(i)
                    } else {
                        b.get(i)
                    }
                })
            }
            // A table lookup per unit; its rows are params, the same for the block.
            Num::Bracket { .. } => collect_values(len, (start..start + len).map(|row| self.num(e, row))),
            Num::Call(f, args, span) => {
                let blocks: Vec<Values> = args.iter().map(|a| self.num_block(a, start, len)).collect();
                let same = blocks.iter().all(Values::is_same);
                map(len, same, |i| {
                    apply(
                        *f,
                        blocks.len(),
                        &|k| blocks.get(k).map_or(Err(NOT_READY), |b| b.get(i)),
                        *span,
                    )
                })
            }
        }
    }

    fn cond_block(&self, c: &Cond, start: usize, len: usize) -> Truths<'e> {
        let slice = |v: &'e [bool]| match v.get(start..start + len) {
            Some(s) => Truths::Slice(s),
            None => Truths::Same(Err(NOT_READY)),
        };
        match c {
            Cond::Const(b) => Truths::Same(Ok(*b)),
            Cond::Input(i) => match self.inputs.get(*i) {
                Some(Column::Bool(v)) => slice(v),
                _ => Truths::Same(Err(NOT_READY)),
            },
            Cond::Var(i) => match self.vars.get(*i) {
                Some(VarColumn::Cond(v)) => slice(v),
                _ => Truths::Same(Err(NOT_READY)),
            },
            Cond::Not(inner) => {
                let a = self.cond_block(inner, start, len);
                map_truths(len, a.is_same(), |i| a.get(i).map(|v| !v))
            }
            Cond::And(a, b) => {
                let (a, b) = (self.cond_block(a, start, len), self.cond_block(b, start, len));
                map_truths(len, a.is_same() && b.is_same(), |i| Ok(a.get(i)? && b.get(i)?))
            }
            Cond::Or(a, b) => {
                let (a, b) = (self.cond_block(a, start, len), self.cond_block(b, start, len));
                map_truths(len, a.is_same() && b.is_same(), |i| Ok(a.get(i)? || b.get(i)?))
            }
            Cond::Compare(op, a, b) => {
                let (a, b) = (self.num_block(a, start, len), self.num_block(b, start, len));
                map_truths(len, a.is_same() && b.is_same(), |i| {
                    let (a, b) = (a.get(i)?, b.get(i)?);
                    Ok(match op {
                        CmpOp::Lt => a < b,
                        CmpOp::Le => a <= b,
                        CmpOp::Gt => a > b,
                        CmpOp::Ge => a >= b,
                        CmpOp::Eq => a == b,
                        CmpOp::Ne => a != b,
                    })
                })
            }
            // Text is compared unit by unit: it is rare and cheap.
            Cond::TextEq { .. } => Truths::Owned((start..start + len).map(|row| self.cond(c, row)).collect()),
            Cond::CondEq { equal, left, right } => {
                let (a, b) = (self.cond_block(left, start, len), self.cond_block(right, start, len));
                map_truths(len, a.is_same() && b.is_same(), |i| {
                    Ok((a.get(i)? == b.get(i)?) == *equal)
                })
            }
            Cond::If(c, a, b) => {
                let c = self.cond_block(c, start, len);
                let (a, b) = (self.cond_block(a, start, len), self.cond_block(b, start, len));
                map_truths(len, c.is_same() && a.is_same() && b.is_same(), |i| {
                    if c.get(i)? {
                        a.get(i)
                    } else {
                        b.get(i)
                    }
                })
            }
        }
    }

    /// `e` for every unit, a block at a time (blocks in parallel): the values in unit
    /// order, or every unit's error (unit, error).
    pub fn num_columnar(&self, e: &Num, units: usize) -> Rows<Decimal> {
        blocks(units, |start, out| {
            let values = self.num_block(e, start, out.len());
            if let Some(clean) = values.clean(out.len()) {
                out.copy_from_slice(clean);
                return Vec::new();
            }
            write_block(start, out, |i| values.get(i))
        })
    }

    /// `c` for every unit, as [`Env::num_columnar`].
    pub fn cond_columnar(&self, c: &Cond, units: usize) -> Rows<bool> {
        blocks(units, |start, out| {
            let values = self.cond_block(c, start, out.len());
            write_block(start, out, |i| values.get(i))
        })
    }
}

/// A block's values written into `out` (the block's units from `start`), its errors
/// returned with their rows.
fn write_block<T>(
    start: usize,
    out: &mut [T],
    value: impl Fn(usize) -> Result<T, EvalError>,
) -> Vec<(usize, EvalError)> {
    let mut errors = Vec::new();
    for (i, slot) in out.iter_mut().enumerate() {
        match value(i) {
            Ok(v) => *slot = v,
            Err(e) => errors.push((start + i, e)),
        }
    }
    errors
}

/// Every unit's value, or every unit's error with its row.
pub type Rows<T> = Result<Vec<T>, Vec<(usize, EvalError)>>;

/// Blocks computed in parallel, each written straight into its place in the column: the
/// column is allocated once and no column of results (three times its size) is ever whole.
fn blocks<T: Send + Sync + Copy + Default>(
    units: usize,
    block: impl Fn(usize, &mut [T]) -> Vec<(usize, EvalError)> + Sync,
) -> Rows<T> {
    use rayon::prelude::*;
    let mut values = vec![T::default(); units];
    let piece = crate::threads::heavy_piece(units, BLOCK);
    // A block writes its units' values in place and returns its errors (with their rows).
    let one = |(b, out): (usize, &mut [T])| block(b * piece, out);
    let errors: Vec<Vec<(usize, EvalError)>> = if piece < units {
        values.par_chunks_mut(piece).enumerate().map(one).collect()
    } else {
        values.chunks_mut(piece).enumerate().map(one).collect()
    };
    let errors: Vec<(usize, EvalError)> = errors.into_iter().flatten().collect();
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
    use proptest::prelude::*;

    /// A random number expression over inputs x, y, z, param p, and conditions over flag
    /// and the text input g: every operation and function the evaluators share, with
    /// operands that divide by zero, overflow and leave functions' domains.
    fn number() -> BoxedStrategy<String> {
        let leaf = prop_oneof![
            Just("x".to_string()),
            Just("y".to_string()),
            Just("z".to_string()),
            Just("p".to_string()),
            Just("0".to_string()),
            Just("1".to_string()),
            Just("2.5".to_string()),
            Just("0.001".to_string()),
            Just("100000000000000".to_string()),
            // Wide values: their products must round (the multiplication's own path).
            Just("(x / 7)".to_string()),
            Just("1.234567890123456789012345678".to_string()),
        ];
        leaf.prop_recursive(4, 24, 3, |inner| {
            let cond = condition(inner.clone());
            prop_oneof![
                (inner.clone(), inner.clone(), 0..4usize)
                    .prop_map(|(a, b, op)| { format!("({a} {} {b})", ["+", "-", "*", "/"][op]) }),
                inner.clone().prop_map(|a| format!("-({a})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("min({a}, {b})")),
                (inner.clone(), inner.clone(), inner.clone()).prop_map(|(a, b, c)| format!("max({a}, {b}, {c})")),
                (inner.clone(), 0..8usize).prop_map(|(a, f)| {
                    format!(
                        "{}({a})",
                        ["abs", "floor", "ceil", "sqrt", "ln", "exp", "log10", "trunc"][f]
                    )
                }),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("log({a}, {b})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("round({a}, {b})")),
                inner.clone().prop_map(|a| format!("pow({a}, 2)")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("pow({a}, {b})")),
                (inner.clone(), inner.clone(), inner.clone()).prop_map(|(a, b, c)| format!("clamp({a}, {b}, {c})")),
                (cond, inner.clone(), inner).prop_map(|(c, a, b)| format!("if({c}, {a}, {b})")),
            ]
        })
        .boxed()
    }

    fn condition(number: BoxedStrategy<String>) -> BoxedStrategy<String> {
        let leaf = prop_oneof![
            Just("flag".to_string()),
            Just("g == 'a'".to_string()),
            (number.clone(), number, 0..6usize)
                .prop_map(|(a, b, op)| { format!("{a} {} {b}", ["<", "<=", ">", ">=", "==", "!="][op]) }),
        ];
        leaf.prop_recursive(2, 8, 2, |inner| {
            prop_oneof![
                inner.clone().prop_map(|c| format!("not ({c})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} and {b})")),
                (inner.clone(), inner).prop_map(|(a, b)| format!("({a} or {b})")),
            ]
        })
        .boxed()
    }

    /// Inputs over more than one block (so a block boundary falls inside), from a seed:
    /// zeros, negatives, long fractions and large values among them.
    fn inputs(seed: u64) -> (Vec<Column>, usize) {
        let units = BLOCK + 37;
        let mut state = seed | 1;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut number = || -> Decimal {
            match next() % 8 {
                0 => Decimal::ZERO,
                1 => -Decimal::from(next() % 50),
                2 => Decimal::new((next() % 1_000_000_000) as i64, 9),
                3 => Decimal::from(next() % 1_000_000_000_000_000),
                _ => Decimal::new((next() % 100_000) as i64, 2),
            }
        };
        let x = (0..units).map(|_| number()).collect();
        let y = (0..units).map(|_| number()).collect();
        let z = (0..units).map(|_| number()).collect();
        let flag = (0..units).map(|_| next() % 2 == 0).collect();
        let g = (0..units)
            .map(|_| if next() % 3 == 0 { "a" } else { "b" }.to_string())
            .collect();
        (
            vec![
                Column::Num(x),
                Column::Num(y),
                Column::Num(z),
                Column::Bool(flag),
                Column::Text(g),
            ],
            units,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

        /// The columnar evaluator and the per-unit one give the same value or the same
        /// error (kind and place) for every unit of random expressions over random data.
        #[test]
        fn columnar_evaluation_equals_the_per_unit_evaluator(
            expr in number(),
            cond in condition(number()),
            seed in any::<u64>(),
        ) {
            let mut sources = Sources::default();
            let id = sources.add(
                "d.toml",
                format!(
                    "[formula]\nname = \"d\"\nkey = \"k\"\n[inputs.x]\n[inputs.y]\n[inputs.z]\n\
                     [inputs.flag]\ntype = \"bool\"\n[inputs.g]\ntype = \"text\"\n[params]\np = \"2.5\"\n\
                     [vars]\nv = \"{expr}\"\nc = \"{cond}\"\n\
                     [[allocation]]\nname = \"s\"\npool = \"0\"\nweight = \"1\"\n"
                ),
            );
            let formula = crate::formula::load(&sources, id).unwrap();
            let (columns, units) = inputs(seed);
            let params = formula.default_params();
            let env = Env { inputs: &columns, params: &params, vars: &[], stages: &[], aggregates: &[] };
            let per_unit = |results: Vec<Result<Decimal, EvalError>>| -> Rows<Decimal> {
                let errors: Vec<(usize, EvalError)> =
                    results.iter().enumerate().filter_map(|(r, v)| v.err().map(|e| (r, e))).collect();
                if errors.is_empty() { Ok(results.into_iter().map(|v| v.unwrap()).collect()) } else { Err(errors) }
            };
            for var in &formula.vars {
                match &var.expr {
                    VarExpr::Num(e) => {
                        let reference = per_unit((0..units).map(|r| env.num(e, r)).collect());
                        prop_assert_eq!(env.num_columnar(e, units), reference, "{}", expr);
                    }
                    VarExpr::Cond(c) => {
                        let results: Vec<Result<bool, EvalError>> = (0..units).map(|r| env.cond(c, r)).collect();
                        let errors: Vec<(usize, EvalError)> =
                            results.iter().enumerate().filter_map(|(r, v)| v.err().map(|e| (r, e))).collect();
                        let reference = if errors.is_empty() {
                            Ok(results.into_iter().map(|v| v.unwrap()).collect())
                        } else {
                            Err(errors)
                        };
                        prop_assert_eq!(env.cond_columnar(c, units), reference, "{}", cond);
                    }
                }
            }
        }
    }
}
