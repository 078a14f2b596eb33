//! The one table of built-in functions: name, signature, argument counts and what
//! each is. The checker looks names up here, the docs list it, and the evaluator
//! matches the function kinds exhaustively, so a new function is a new row here and a
//! new variant that the compiler then walks through checking and evaluation.

use super::program::{AggKind, GroupAgg, NumFn, ScalarAgg};

/// What a built-in function is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    If,
    Num(NumFn),
    Agg(AggKind),
    /// `top_n(x, n, where)` (and `top_n_by(group, ...)`): true for the units ranked 1 to n,
    /// a condition over the rank aggregate.
    TopN {
        grouped: bool,
    },
    /// `bracket(table, x)` / `marginal(table, x)` over a bracket table of params.
    Bracket {
        marginal: bool,
    },
}

/// One built-in function.
#[derive(Debug, Clone, Copy)]
pub struct Function {
    pub name: &'static str,
    /// How it is called, for messages and docs.
    pub signature: &'static str,
    pub min_args: usize,
    pub max_args: usize,
    pub builtin: Builtin,
}

const MANY: usize = usize::MAX;

const fn f(
    name: &'static str,
    signature: &'static str,
    min_args: usize,
    max_args: usize,
    builtin: Builtin,
) -> Function {
    Function {
        name,
        signature,
        min_args,
        max_args,
        builtin,
    }
}

use AggKind::{ByGroup, Scalar, ZScore};
use Builtin::{Agg, Num};

/// Every built-in function.
pub const FUNCTIONS: &[Function] = &[
    f("if", "if(condition, then, else)", 3, 3, Builtin::If),
    f("min", "min(a, b, ...)", 2, MANY, Num(NumFn::Min)),
    f("max", "max(a, b, ...)", 2, MANY, Num(NumFn::Max)),
    f("clamp", "clamp(x, low, high)", 3, 3, Num(NumFn::Clamp)),
    f("abs", "abs(x)", 1, 1, Num(NumFn::Abs)),
    f("round", "round(x, places)", 1, 2, Num(NumFn::Round)),
    f("round_even", "round_even(x, places)", 1, 2, Num(NumFn::RoundEven)),
    f("floor", "floor(x)", 1, 1, Num(NumFn::Floor)),
    f("ceil", "ceil(x)", 1, 1, Num(NumFn::Ceil)),
    f("sqrt", "sqrt(x)", 1, 1, Num(NumFn::Sqrt)),
    f("pow", "pow(x, y)", 2, 2, Num(NumFn::Pow)),
    f("ln", "ln(x)", 1, 1, Num(NumFn::Ln)),
    f("exp", "exp(x)", 1, 1, Num(NumFn::Exp)),
    f("log10", "log10(x)", 1, 1, Num(NumFn::Log10)),
    f("log", "log(x, base)", 2, 2, Num(NumFn::Log)),
    f("trunc", "trunc(x)", 1, 1, Num(NumFn::Trunc)),
    f(
        "bracket",
        "bracket(table, x)",
        2,
        2,
        Builtin::Bracket { marginal: false },
    ),
    f(
        "marginal",
        "marginal(table, x)",
        2,
        2,
        Builtin::Bracket { marginal: true },
    ),
    f("sum", "sum(x, where)", 1, 2, Agg(Scalar(ScalarAgg::Sum))),
    f("mean", "mean(x, where)", 1, 2, Agg(Scalar(ScalarAgg::Mean))),
    f("wmean", "wmean(x, weight, where)", 2, 3, Agg(Scalar(ScalarAgg::WMean))),
    f("min_of", "min_of(x, where)", 1, 2, Agg(Scalar(ScalarAgg::MinOf))),
    f("max_of", "max_of(x, where)", 1, 2, Agg(Scalar(ScalarAgg::MaxOf))),
    f("count", "count(where)", 0, 1, Agg(Scalar(ScalarAgg::Count))),
    f("stddev", "stddev(x, where)", 1, 2, Agg(Scalar(ScalarAgg::Stddev))),
    f("median", "median(x, where)", 1, 2, Agg(Scalar(ScalarAgg::Median))),
    f("zscore", "zscore(x, where)", 1, 2, Agg(ZScore)),
    f("rank", "rank(x, where)", 1, 2, Agg(AggKind::Rank { grouped: false })),
    f(
        "rank_by",
        "rank_by(group, x, where)",
        2,
        3,
        Agg(AggKind::Rank { grouped: true }),
    ),
    f("top_n", "top_n(x, n, where)", 2, 3, Builtin::TopN { grouped: false }),
    f(
        "top_n_by",
        "top_n_by(group, x, n, where)",
        3,
        4,
        Builtin::TopN { grouped: true },
    ),
    f("sum_by", "sum_by(group, x, where)", 2, 3, Agg(ByGroup(GroupAgg::Sum))),
    f(
        "mean_by",
        "mean_by(group, x, where)",
        2,
        3,
        Agg(ByGroup(GroupAgg::Mean)),
    ),
    f("min_by", "min_by(group, x, where)", 2, 3, Agg(ByGroup(GroupAgg::Min))),
    f("max_by", "max_by(group, x, where)", 2, 3, Agg(ByGroup(GroupAgg::Max))),
    f(
        "count_by",
        "count_by(group, where)",
        1,
        2,
        Agg(ByGroup(GroupAgg::Count)),
    ),
];

/// The function of that name.
pub fn lookup(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

/// The names of all functions, for did-you-mean hints.
pub fn names() -> impl Iterator<Item = &'static str> {
    FUNCTIONS.iter().map(|f| f.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant, through matches without wildcards: a new variant does not compile
    /// until it is added here, and then the test below fails until it has a row.
    fn every_builtin() -> Vec<Builtin> {
        fn num(f: NumFn) -> NumFn {
            match f {
                NumFn::Min
                | NumFn::Max
                | NumFn::Clamp
                | NumFn::Abs
                | NumFn::Round
                | NumFn::RoundEven
                | NumFn::Floor
                | NumFn::Ceil
                | NumFn::Sqrt
                | NumFn::Pow
                | NumFn::Ln
                | NumFn::Exp
                | NumFn::Log10
                | NumFn::Log
                | NumFn::Trunc => f,
            }
        }
        fn scalar(a: ScalarAgg) -> ScalarAgg {
            match a {
                ScalarAgg::Sum
                | ScalarAgg::Mean
                | ScalarAgg::WMean
                | ScalarAgg::MinOf
                | ScalarAgg::MaxOf
                | ScalarAgg::Count
                | ScalarAgg::Stddev
                | ScalarAgg::Median => a,
            }
        }
        fn group(a: GroupAgg) -> GroupAgg {
            match a {
                GroupAgg::Sum | GroupAgg::Mean | GroupAgg::Min | GroupAgg::Max | GroupAgg::Count => a,
            }
        }
        let nums = [
            NumFn::Min,
            NumFn::Max,
            NumFn::Clamp,
            NumFn::Abs,
            NumFn::Round,
            NumFn::RoundEven,
            NumFn::Floor,
            NumFn::Ceil,
            NumFn::Sqrt,
            NumFn::Pow,
            NumFn::Ln,
            NumFn::Exp,
            NumFn::Log10,
            NumFn::Log,
            NumFn::Trunc,
        ];
        let scalars = [
            ScalarAgg::Sum,
            ScalarAgg::Mean,
            ScalarAgg::WMean,
            ScalarAgg::MinOf,
            ScalarAgg::MaxOf,
            ScalarAgg::Count,
            ScalarAgg::Stddev,
            ScalarAgg::Median,
        ];
        let groups = [
            GroupAgg::Sum,
            GroupAgg::Mean,
            GroupAgg::Min,
            GroupAgg::Max,
            GroupAgg::Count,
        ];
        let mut all = vec![
            Builtin::If,
            Builtin::Agg(AggKind::ZScore),
            Builtin::Agg(AggKind::Rank { grouped: false }),
            Builtin::Agg(AggKind::Rank { grouped: true }),
            Builtin::TopN { grouped: false },
            Builtin::TopN { grouped: true },
            Builtin::Bracket { marginal: false },
            Builtin::Bracket { marginal: true },
        ];
        all.extend(nums.map(|f| Builtin::Num(num(f))));
        all.extend(scalars.map(|a| Builtin::Agg(AggKind::Scalar(scalar(a)))));
        all.extend(groups.map(|a| Builtin::Agg(AggKind::ByGroup(group(a)))));
        all
    }

    #[test]
    fn every_function_variant_appears_exactly_once() {
        let all = every_builtin();
        for builtin in &all {
            let rows = FUNCTIONS.iter().filter(|f| f.builtin == *builtin).count();
            assert_eq!(rows, 1, "{builtin:?} has {rows} rows in FUNCTIONS");
        }
        assert_eq!(FUNCTIONS.len(), all.len(), "a row with no variant");
        let mut names: Vec<&str> = names().collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FUNCTIONS.len(), "two functions share a name");
    }

    #[test]
    fn argument_counts_fit_the_signatures() {
        for f in FUNCTIONS {
            assert!(f.min_args <= f.max_args, "{}", f.name);
            assert!(f.signature.starts_with(&format!("{}(", f.name)), "{}", f.name);
            if let Builtin::Agg(kind) = f.builtin {
                // value arguments, plus the group, plus an optional `where`
                let group = usize::from(kind.grouped());
                assert_eq!(f.min_args, kind.value_arguments() + group, "{}", f.name);
                assert_eq!(f.max_args, f.min_args + 1, "{}", f.name);
            }
        }
    }
}
