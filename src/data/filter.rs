//! Row filters: `where = "starts_with(区划代码, '62')"` on a dataset table keeps the rows
//! for which the expression is true, so one province is taken straight out of a national
//! workbook without a copy.
//!
//! The expression is in the formula language, over the table's own columns (names after
//! renames) as the file holds them: a cell compares as a number with a number and as text
//! with text; a cell that is not a number compared with one makes the comparison false.
//! Functions: `starts_with(x, 'p')`, `ends_with(x, 's')`, `contains(x, 't')`,
//! `one_of(x, 'a', 'b', ...)` and `is_empty(x)`; `and`, `or`, `not`, `+ - * /`.

use rust_decimal::Decimal;

use super::table::{CellValue, Row};
use crate::diag::{Diagnostic, Sources};
use crate::formula::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use crate::money;

/// Functions a filter may call: name, and the arguments it takes (None: two or more).
const FUNCTIONS: &[(&str, Option<usize>)] = &[
    ("starts_with", Some(2)),
    ("ends_with", Some(2)),
    ("contains", Some(2)),
    ("one_of", None),
    ("is_empty", Some(1)),
];

/// A filter with its names bound to the table's columns.
#[derive(Debug, Clone)]
pub struct RowFilter {
    expr: Expr,
    /// The column of each name the expression reads, by name.
    columns: Vec<(String, usize)>,
    /// The text as written, for messages and summaries.
    pub text: String,
}

enum Value {
    Num(Decimal),
    Text(String),
    Bool(bool),
}

impl RowFilter {
    /// Bind `expr` to `headers`; every unknown name or function is reported.
    pub fn bind(text: &str, expr: &Expr, headers: &[String], sources: &Sources) -> Result<RowFilter, Vec<Diagnostic>> {
        let mut columns = Vec::new();
        let mut problems = Vec::new();
        bind_names(expr, headers, sources, &mut columns, &mut problems);
        if problems.is_empty() {
            Ok(RowFilter {
                expr: expr.clone(),
                columns,
                text: text.to_string(),
            })
        } else {
            Err(problems)
        }
    }

    /// Does `row` pass? An error says what could not be computed.
    pub fn keeps(&self, row: &dyn Row) -> Result<bool, String> {
        match self.eval(&self.expr, row)? {
            Value::Bool(b) => Ok(b),
            _ => Err(crate::tr!("data-filter-not-true-or-false")),
        }
    }

    fn cell(&self, name: &str, row: &dyn Row) -> Value {
        let column = self
            .columns
            .iter()
            .find(|(n, _)| n == name)
            .map_or(usize::MAX, |(_, c)| *c);
        match row.cell(column) {
            CellValue::Empty => Value::Text(String::new()),
            CellValue::Text(t) => Value::Text(t.trim().to_string()),
            CellValue::Number { value, .. } => Value::Num(value),
            CellValue::Bool(b) => Value::Bool(b),
            CellValue::Date(d) | CellValue::Error(d) | CellValue::OutOfRange(d) => Value::Text(d),
        }
    }

    fn eval(&self, expr: &Expr, row: &dyn Row) -> Result<Value, String> {
        Ok(match &expr.kind {
            ExprKind::Number(n) => Value::Num(*n),
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Text(t) => Value::Text(t.clone()),
            ExprKind::Name(name) => self.cell(name, row),
            ExprKind::Unary(UnaryOp::Not, inner) => Value::Bool(!truth(self.eval(inner, row)?)?),
            ExprKind::Unary(UnaryOp::Neg, inner) => Value::Num(
                -number(&self.eval(inner, row)?).ok_or_else(|| crate::tr!("data-filter-minus-needs-number"))?,
            ),
            ExprKind::Binary(BinaryOp::And, a, b) => {
                Value::Bool(truth(self.eval(a, row)?)? && truth(self.eval(b, row)?)?)
            }
            ExprKind::Binary(BinaryOp::Or, a, b) => {
                Value::Bool(truth(self.eval(a, row)?)? || truth(self.eval(b, row)?)?)
            }
            ExprKind::Binary(op, a, b) => {
                let (a, b) = (self.eval(a, row)?, self.eval(b, row)?);
                binary(*op, &a, &b)?
            }
            ExprKind::Call { function, args, .. } => {
                let values = args.iter().map(|a| self.eval(a, row)).collect::<Result<Vec<_>, _>>()?;
                let texts: Vec<String> = values.iter().map(text).collect();
                Value::Bool(match function.as_str() {
                    "starts_with" => texts[0].starts_with(&texts[1]),
                    "ends_with" => texts[0].ends_with(&texts[1]),
                    "contains" => texts[0].contains(&texts[1]),
                    "is_empty" => texts[0].is_empty(),
                    _ => values[1..].iter().any(|v| equal(&values[0], v)),
                })
            }
        })
    }
}

fn bind_names(
    expr: &Expr,
    headers: &[String],
    sources: &Sources,
    columns: &mut Vec<(String, usize)>,
    problems: &mut Vec<Diagnostic>,
) {
    match &expr.kind {
        ExprKind::Name(name) => match headers.iter().position(|h| h == name) {
            Some(c) => columns.push((name.clone(), c)),
            None => {
                let near = crate::diag::closest(name, headers.iter().map(String::as_str), 3);
                let mut d = Diagnostic::error_t("data-filter-unknown-column", crate::args![name = name])
                    .at(sources.locate(expr.span));
                if !near.is_empty() {
                    let names = near.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ");
                    d = d.note_t("data-filter-unknown-column-hint", crate::args![names = names]);
                }
                problems.push(d.note_t("data-filter-unknown-column-note", crate::args![]));
            }
        },
        ExprKind::Unary(_, inner) => bind_names(inner, headers, sources, columns, problems),
        ExprKind::Binary(_, a, b) => {
            bind_names(a, headers, sources, columns, problems);
            bind_names(b, headers, sources, columns, problems);
        }
        ExprKind::Call {
            function,
            function_span,
            args,
        } => {
            match FUNCTIONS.iter().find(|(name, _)| name == function) {
                None => problems.push(
                    Diagnostic::error_t("data-filter-unknown-function", crate::args![function = function])
                        .at(sources.locate(*function_span))
                        .note_t(
                            "data-filter-unknown-function-note",
                            crate::args![functions = FUNCTIONS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")],
                        ),
                ),
                Some((_, arity)) => {
                    let fits = match arity {
                        Some(n) => args.len() == *n,
                        None => args.len() >= 2,
                    };
                    if !fits {
                        problems.push(
                            match arity {
                                Some(n) => Diagnostic::error_t(
                                    "data-filter-arity",
                                    crate::args![function = function, expected = *n, given = args.len()],
                                ),
                                None => Diagnostic::error_t(
                                    "data-filter-arity-two-or-more",
                                    crate::args![function = function, given = args.len()],
                                ),
                            }
                            .at(sources.locate(*function_span)),
                        );
                    }
                }
            }
            for arg in args {
                bind_names(arg, headers, sources, columns, problems);
            }
        }
        ExprKind::Number(_) | ExprKind::Bool(_) | ExprKind::Text(_) => {}
    }
}

fn number(value: &Value) -> Option<Decimal> {
    match value {
        Value::Num(n) => Some(*n),
        Value::Text(t) => money::parse_decimal(t).ok(),
        Value::Bool(_) => None,
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::Num(n) => money::format_plain(*n),
        Value::Text(t) => t.clone(),
        Value::Bool(b) => b.to_string(),
    }
}

fn truth(value: Value) -> Result<bool, String> {
    match value {
        Value::Bool(b) => Ok(b),
        _ => Err(crate::tr!("data-filter-logic-needs-bool")),
    }
}

/// Equal as numbers when either side is a number (and both read as one), else as text.
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Num(_), _) | (_, Value::Num(_)) => matches!((number(a), number(b)), (Some(x), Some(y)) if x == y),
        _ => text(a) == text(b),
    }
}

fn binary(op: BinaryOp, a: &Value, b: &Value) -> Result<Value, String> {
    use std::cmp::Ordering;
    let numeric = matches!(a, Value::Num(_)) || matches!(b, Value::Num(_));
    let order = || -> Option<Ordering> {
        if numeric {
            Some(number(a)?.cmp(&number(b)?))
        } else {
            Some(text(a).cmp(&text(b)))
        }
    };
    Ok(match op {
        BinaryOp::Eq => Value::Bool(equal(a, b)),
        BinaryOp::Ne => Value::Bool(!equal(a, b)),
        BinaryOp::Lt => Value::Bool(order() == Some(Ordering::Less)),
        BinaryOp::Le => Value::Bool(matches!(order(), Some(Ordering::Less | Ordering::Equal))),
        BinaryOp::Gt => Value::Bool(order() == Some(Ordering::Greater)),
        BinaryOp::Ge => Value::Bool(matches!(order(), Some(Ordering::Greater | Ordering::Equal))),
        BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
            let (Some(x), Some(y)) = (number(a), number(b)) else {
                return Err(crate::tr!(
                    "data-filter-needs-numbers",
                    op = op.symbol(),
                    left = text(a),
                    right = text(b)
                ));
            };
            let result = match op {
                BinaryOp::Add => x.checked_add(y),
                BinaryOp::Sub => x.checked_sub(y),
                BinaryOp::Mul => x.checked_mul(y),
                _ => x.checked_div(y),
            };
            Value::Num(result.ok_or_else(|| {
                crate::tr!(
                    "data-filter-cannot-compute",
                    left = text(a),
                    op = op.symbol(),
                    right = text(b)
                )
            })?)
        }
        // Evaluated before both sides are, in `eval`: never reached.
        BinaryOp::And | BinaryOp::Or => Value::Bool(false),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Location;
    use crate::formula::lexer::Placement;

    struct Cells(Vec<&'static str>);

    impl Row for Cells {
        fn len(&self) -> usize {
            self.0.len()
        }
        fn cell(&self, column: usize) -> CellValue<'_> {
            match self.0.get(column) {
                Some(&"") => CellValue::Empty,
                Some(t) => CellValue::Text(t),
                None => CellValue::Empty,
            }
        }
        fn locate(&self, _: usize) -> Location {
            Location::File("t.csv".into())
        }
        fn token(&self) -> u64 {
            0
        }
        fn place_of(&self, _: u64, _: usize, _: crate::i18n::Lang) -> String {
            String::new()
        }
        fn number(&self) -> u32 {
            0
        }
    }

    fn filter(text: &str) -> Result<RowFilter, Vec<Diagnostic>> {
        let mut sources = Sources::default();
        let file = sources.add("dataset.toml", format!("where = \"{text}\""));
        let placement = Placement {
            file,
            start: Some(9),
            whole: crate::diag::Span::new(file, 8, 9 + text.len() + 1),
        };
        let expr = crate::formula::parser::parse_expression(text, placement).unwrap();
        let headers = ["code".to_string(), "name".to_string(), "pop".to_string()];
        RowFilter::bind(text, &expr, &headers, &sources)
    }

    #[test]
    fn filters_compare_cells_as_numbers_or_text_and_call_their_functions() {
        let row = Cells(vec!["620102", "城关区", "1,486,049"]);
        let keeps = |text: &str| filter(text).unwrap().keeps(&row).unwrap();
        assert!(keeps("starts_with(code, '62')"));
        assert!(!keeps("starts_with(code, '11')"));
        assert!(keeps("ends_with(name, '区') and contains(name, '关')"));
        assert!(keeps("one_of(code, '110101', '620102')"));
        assert!(keeps("one_of(code, 620102)"), "a number compares as a number");
        assert!(keeps("pop > 1000000 and pop / 2 < 800000"));
        assert!(keeps("not is_empty(name)"));
        // A cell that is not a number, compared with a number: false.
        assert!(!keeps("name > 0"));
        assert!(
            filter("code + 1").unwrap().keeps(&row).is_err(),
            "a filter must be true or false"
        );
    }

    #[test]
    fn unknown_columns_and_functions_are_errors_with_suggestions() {
        let problems = filter("starts_with(Code, '62') and sum(pop) > 1").unwrap_err();
        let messages: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("'sum' is not a function a filter can use")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("the filter reads 'Code', which is not a column")
                    && m.contains("did you mean 'code'")),
            "{messages:?}"
        );
        assert!(
            filter("one_of(code)").is_err(),
            "one_of needs something to compare with"
        );
    }
}
