//! The syntax tree of one expression, as written, with a span on every node.
//!
//! The parser produces this; the checker resolves names and types and turns it
//! into the typed program in [`super::program`]. Keeping the two apart lets the
//! checker report every problem in an expression with the exact text to blame.

use rust_decimal::Decimal;

use crate::diag::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Number(Decimal),
    Bool(bool),
    /// A text literal in single quotes: `'Tibet'`.
    Text(String),
    /// A name, possibly dotted (`per_capita.education`).
    Name(String),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    Call {
        function: String,
        function_span: Span,
        args: Vec<Expr>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::And => "and",
            BinaryOp::Or => "or",
        }
    }
}

impl Expr {
    /// Every name this expression mentions, with its span (for dependency sorting).
    pub fn names(&self, out: &mut Vec<(String, Span)>) {
        match &self.kind {
            ExprKind::Name(name) => out.push((name.clone(), self.span)),
            ExprKind::Unary(_, inner) => inner.names(out),
            ExprKind::Binary(_, left, right) => {
                left.names(out);
                right.names(out);
            }
            ExprKind::Call { args, .. } => args.iter().for_each(|a| a.names(out)),
            ExprKind::Number(_) | ExprKind::Bool(_) | ExprKind::Text(_) => {}
        }
    }
}
