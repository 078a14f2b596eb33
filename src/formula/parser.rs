//! A Pratt parser for the expression language.
//!
//! Precedence, loosest first: `or`, `and`, `not`, comparisons (not chained),
//! `+ -`, `* /`, unary minus, then calls, names, literals and parentheses.
//! Nesting is limited so that a hostile formula cannot overflow the stack.

use super::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use super::lexer::{tokenize, LexError, Placement, Token};
use crate::diag::Span;
use crate::money;

/// Deepest nesting of parentheses, calls and operators accepted.
pub const MAX_DEPTH: usize = 64;
/// Longest expression text accepted, in bytes.
pub const MAX_LENGTH: usize = 16 * 1024;

pub type ParseError = LexError;

pub fn parse_expression(text: &str, placement: Placement) -> Result<Expr, ParseError> {
    if text.len() > MAX_LENGTH {
        return Err(ParseError::new(
            "formula-parse-too-long",
            crate::args![length = text.len(), limit = MAX_LENGTH],
            placement.whole,
        ));
    }
    if text.trim().is_empty() {
        return Err(ParseError::new("formula-parse-empty", crate::args![], placement.whole));
    }
    let tokens = tokenize(text, placement)?;
    let mut parser = Parser {
        tokens,
        position: 0,
        depth: 0,
    };
    let expr = parser.expression(0)?;
    let (token, span) = parser.peek();
    if *token != Token::End {
        return Err(ParseError::new(
            "formula-parse-expected-operator",
            crate::args![found = token.describe()],
            span,
        ));
    }
    Ok(expr)
}

struct Parser {
    tokens: Vec<(Token, Span)>,
    position: usize,
    depth: usize,
}

/// Binding power of infix operators: (left, right). Comparisons are non-associative.
fn infix(token: &Token) -> Option<(u8, u8, BinaryOp)> {
    Some(match token {
        Token::Or => (1, 2, BinaryOp::Or),
        Token::And => (3, 4, BinaryOp::And),
        Token::Lt => (7, 8, BinaryOp::Lt),
        Token::Le => (7, 8, BinaryOp::Le),
        Token::Gt => (7, 8, BinaryOp::Gt),
        Token::Ge => (7, 8, BinaryOp::Ge),
        Token::EqEq => (7, 8, BinaryOp::Eq),
        Token::NotEq => (7, 8, BinaryOp::Ne),
        Token::Plus => (9, 10, BinaryOp::Add),
        Token::Minus => (9, 10, BinaryOp::Sub),
        Token::Star => (11, 12, BinaryOp::Mul),
        Token::Slash => (11, 12, BinaryOp::Div),
        _ => return None,
    })
}

const NOT_POWER: u8 = 5;
const NEG_POWER: u8 = 13;

impl Parser {
    fn peek(&self) -> (&Token, Span) {
        let (token, span) = &self.tokens[self.position.min(self.tokens.len() - 1)];
        (token, *span)
    }

    fn advance(&mut self) -> (Token, Span) {
        let item = self.tokens[self.position.min(self.tokens.len() - 1)].clone();
        if self.position < self.tokens.len() - 1 {
            self.position += 1;
        }
        item
    }

    fn expression(&mut self, min_power: u8) -> Result<Expr, ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let (_, span) = self.peek();
            return Err(ParseError::new(
                "formula-parse-too-deep",
                crate::args![limit = MAX_DEPTH],
                span,
            ));
        }
        let mut left = self.prefix()?;
        loop {
            let (token, _) = self.peek();
            let Some((left_power, right_power, op)) = infix(token) else {
                break;
            };
            if left_power < min_power {
                break;
            }
            self.advance();
            let right = self.expression(right_power)?;
            let span = left.span.to(right.span);
            left = Expr {
                kind: ExprKind::Binary(op, Box::new(left), Box::new(right)),
                span,
            };
            if is_comparison(op) && matches!(infix(self.peek().0), Some((7, ..))) {
                return Err(ParseError::new(
                    "formula-parse-chained-comparison",
                    crate::args![],
                    self.peek().1,
                ));
            }
        }
        self.depth -= 1;
        Ok(left)
    }

    fn prefix(&mut self) -> Result<Expr, ParseError> {
        let (token, span) = self.advance();
        match token {
            Token::Number(literal) => {
                let value = money::parse_decimal(&literal.replace('_', "")).map_err(|e| {
                    ParseError::new(
                        "formula-parse-bad-number",
                        crate::args![literal = &literal, problem = e.describe()],
                        span,
                    )
                })?;
                Ok(Expr {
                    kind: ExprKind::Number(value),
                    span,
                })
            }
            Token::True => Ok(Expr {
                kind: ExprKind::Bool(true),
                span,
            }),
            Token::False => Ok(Expr {
                kind: ExprKind::Bool(false),
                span,
            }),
            Token::Text(text) => Ok(Expr {
                kind: ExprKind::Text(text),
                span,
            }),
            Token::Minus | Token::Not => {
                let (op, power) = if token == Token::Minus {
                    (UnaryOp::Neg, NEG_POWER)
                } else {
                    (UnaryOp::Not, NOT_POWER)
                };
                let operand = self.expression(power)?;
                let span = span.to(operand.span);
                Ok(Expr {
                    kind: ExprKind::Unary(op, Box::new(operand)),
                    span,
                })
            }
            Token::LParen => {
                let inner = self.expression(0)?;
                self.expect_closing(span)?;
                Ok(inner)
            }
            Token::Name(name) => {
                if *self.peek().0 != Token::LParen {
                    return Ok(Expr {
                        kind: ExprKind::Name(name),
                        span,
                    });
                }
                let (_, open_span) = self.advance();
                let mut args = Vec::new();
                if *self.peek().0 != Token::RParen {
                    loop {
                        args.push(self.expression(0)?);
                        if *self.peek().0 == Token::Comma {
                            self.advance();
                        } else {
                            break;
                        }
                    }
                }
                let close = self.expect_closing(open_span)?;
                Ok(Expr {
                    kind: ExprKind::Call {
                        function: name,
                        function_span: span,
                        args,
                    },
                    span: span.to(close),
                })
            }
            other => Err(ParseError::new(
                "formula-parse-expected-value",
                crate::args![found = other.describe()],
                span,
            )),
        }
    }

    fn expect_closing(&mut self, open: Span) -> Result<Span, ParseError> {
        let (token, span) = self.advance();
        if token == Token::RParen {
            Ok(span)
        } else {
            Err(ParseError::new(
                "formula-parse-expected-close",
                crate::args![found = token.describe()],
                if token == Token::End { open } else { span },
            ))
        }
    }
}

fn is_comparison(op: BinaryOp) -> bool {
    matches!(
        op,
        BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge | BinaryOp::Eq | BinaryOp::Ne
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placement(text: &str) -> Placement {
        Placement {
            file: 0,
            start: Some(0),
            whole: Span::new(0, 0, text.len()),
        }
    }

    /// Fully parenthesised rendering, to check precedence.
    fn show(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Number(n) => n.to_string(),
            ExprKind::Bool(b) => b.to_string(),
            ExprKind::Text(t) => format!("'{t}'"),
            ExprKind::Name(n) => n.clone(),
            ExprKind::Unary(UnaryOp::Neg, x) => format!("(-{})", show(x)),
            ExprKind::Unary(UnaryOp::Not, x) => format!("(not {})", show(x)),
            ExprKind::Binary(op, l, r) => format!("({} {} {})", show(l), op.symbol(), show(r)),
            ExprKind::Call { function, args, .. } => {
                format!("{function}({})", args.iter().map(show).collect::<Vec<_>>().join(", "))
            }
        }
    }

    fn parse(text: &str) -> Result<String, String> {
        parse_expression(text, placement(text))
            .map(|e| show(&e))
            .map_err(|e| e.message)
    }

    #[test]
    fn precedence_follows_arithmetic_then_comparison_then_logic() {
        assert_eq!(parse("a + b * c").unwrap(), "(a + (b * c))");
        assert_eq!(parse("a - b - c").unwrap(), "((a - b) - c)");
        assert_eq!(parse("a / b / c").unwrap(), "((a / b) / c)");
        assert_eq!(parse("-a * b").unwrap(), "((-a) * b)");
        assert_eq!(
            parse("a < b + 1 and not c or d").unwrap(),
            "(((a < (b + 1)) and (not c)) or d)"
        );
        assert_eq!(parse("not a == b").unwrap(), "(not (a == b))");
        assert_eq!(parse("max(a, 0.10) * (b + c)").unwrap(), "(max(a, 0.10) * (b + c))");
    }

    #[test]
    fn spans_cover_the_whole_subexpression() {
        let e = parse_expression("x + max(a, b)", placement("x + max(a, b)")).unwrap();
        let ExprKind::Binary(_, _, right) = &e.kind else {
            panic!()
        };
        assert_eq!((right.span.start, right.span.end), (4, 13));
    }

    #[test]
    fn reports_syntax_errors_clearly() {
        assert_eq!(parse("a +").unwrap_err(), "expected a value, found end of expression");
        assert_eq!(
            parse("max(a, b").unwrap_err(),
            "expected ')' to close the '(' opened earlier, found end of expression"
        );
        assert_eq!(
            parse("a b").unwrap_err(),
            "expected an operator or the end of the expression, found name 'b'"
        );
        assert_eq!(
            parse("a < b < c").unwrap_err(),
            "comparisons cannot be chained; write 'a < b and b < c'"
        );
        assert_eq!(parse("  ").unwrap_err(), "the expression is empty");
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let text = format!("{}1{}", "(".repeat(1_000), ")".repeat(1_000));
        let err = parse(&text).unwrap_err();
        assert!(err.starts_with("expression nested more than 64 levels"), "{err}");
        let minus = format!("{}1", "-".repeat(1_000));
        assert!(parse(&minus).unwrap_err().starts_with("expression nested"));
    }
}
