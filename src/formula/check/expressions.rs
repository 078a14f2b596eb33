//! Typing expressions into the program: numbers, conditions and text, calls checked
//! against the built-in table, aggregates into their slots.

use super::*;

impl Checker<'_> {
    pub(super) fn var(&mut self, name: &str, source: &Source) -> Option<(VarExpr, bool)> {
        let (typed, varies) = self.expr(&source.expr)?;
        match typed {
            Typed::Num(n) => Some((VarExpr::Num(n), varies)),
            Typed::Cond(c) => Some((VarExpr::Cond(c), varies)),
            Typed::Text(_) => {
                self.error_t(source.expr.span, "check-var-is-text", crate::args![name = name])
                    .notes
                    .push(crate::tr!("check-var-is-text-note"));
                None
            }
        }
    }

    /// What units are grouped by: a text, number or true/false input, or a number or
    /// condition var (numbers must be whole: checked per unit when run).
    pub(super) fn group(&mut self, name: &str, span: Span, what: &str) -> Option<Group> {
        let found = match self.names.get(name) {
            Some(Binding::Input(i)) => Some(Group::Input(*i)),
            Some(Binding::Var(i)) => Some(Group::Var(*i)),
            Some(Binding::Broken) => return None,
            _ => None,
        };
        if found.is_none() {
            let (id, hint) = crate::formula::with_hint(
                name,
                self.names.keys().map(String::as_str),
                "check-group-not-name",
                "check-group-not-name-hint",
            );
            self.error_t(span, id, crate::args![what = what, name = name, hint = hint])
                .notes
                .push(crate::tr!("check-group-not-name-note"));
        }
        found
    }

    pub(super) fn stage(&mut self, spec: &spec::StageSpec) -> Option<Stage> {
        let stage = spec.name.as_str();
        let pool = self.num(
            &spec.pool.expr,
            &crate::tr!("check-what-stage-key", stage = stage, key = "pool"),
        );
        let within = match &spec.within {
            Some((name, span)) => {
                Some(self.group(name, *span, &crate::tr!("check-what-stage-within", stage = stage))?)
            }
            None => None,
        };
        // A pool may read per-unit values (a column that holds the pool on every row): it
        // is checked to be the same for every unit (within groups: for every unit of a
        // group) when the stage is solved.
        let optional = |checker: &mut Self, source: &Option<Source>, key: &str| match source {
            Some(s) => checker
                .num(&s.expr, &crate::tr!("check-what-stage-key", stage = stage, key = key))
                .map(|(n, _)| Some(n)),
            None => Some(None),
        };
        let base = optional(self, &spec.base, "base");
        let floor = optional(self, &spec.floor, "floor");
        let cap = optional(self, &spec.cap, "cap");
        let weight = self.num(
            &spec.weight.expr,
            &crate::tr!("check-what-stage-key", stage = stage, key = "weight"),
        );
        let text = |s: &Option<Source>| s.as_ref().map(|s| s.text.clone());
        Some(Stage {
            name: spec.name.clone(),
            description: spec.description.clone(),
            pool: pool?.0,
            base: base?.unwrap_or(Num::Const(rust_decimal::Decimal::ZERO)),
            weight: weight?.0,
            floor: floor?,
            cap: cap?,
            round: spec.round.map(|(unit, _)| unit),
            within,
            in_total: spec.in_total,
            sources: StageSources {
                pool: spec.pool.text.clone(),
                base: text(&spec.base).unwrap_or_else(|| "0".into()),
                weight: spec.weight.text.clone(),
                floor: text(&spec.floor),
                cap: text(&spec.cap),
            },
            span: spec.span,
        })
    }

    pub(super) fn num(&mut self, e: &Expr, context: &str) -> Option<(Num, bool)> {
        let (typed, varies) = self.expr(e)?;
        match typed {
            Typed::Num(n) => Some((n, varies)),
            other => {
                let found = other.type_name();
                self.error_t(
                    e.span,
                    "check-expected-number",
                    crate::args![context = context, found = found],
                );
                None
            }
        }
    }

    pub(super) fn cond(&mut self, e: &Expr, context: &str) -> Option<(Cond, bool)> {
        let (typed, varies) = self.expr(e)?;
        match typed {
            Typed::Cond(c) => Some((c, varies)),
            other => {
                let found = other.type_name();
                let is_number = matches!(other, Typed::Num(_));
                let d = self.error_t(
                    e.span,
                    "check-expected-condition",
                    crate::args![context = context, found = found],
                );
                if is_number {
                    d.notes.push(crate::tr!("check-expected-condition-note"));
                }
                None
            }
        }
    }

    pub(super) fn expr(&mut self, e: &Expr) -> Option<(Typed, bool)> {
        match &e.kind {
            ExprKind::Number(n) => Some((Typed::Num(Num::Const(*n)), false)),
            ExprKind::Bool(b) => Some((Typed::Cond(Cond::Const(*b)), false)),
            ExprKind::Text(t) => Some((Typed::Text(Text::Const(t.clone())), false)),
            ExprKind::Name(name) => self.name(name, e.span),
            ExprKind::Unary(UnaryOp::Neg, inner) => {
                let (n, varies) = self.num(inner, "'-'")?;
                Some((Typed::Num(Num::Neg(Box::new(n), e.span)), varies))
            }
            ExprKind::Unary(UnaryOp::Not, inner) => {
                let (c, varies) = self.cond(inner, "'not'")?;
                Some((Typed::Cond(Cond::Not(Box::new(c))), varies))
            }
            ExprKind::Binary(op, left, right) => self.binary(*op, left, right, e.span),
            ExprKind::Call {
                function,
                function_span,
                args,
            } => self.call(function, *function_span, args, e.span),
        }
    }

    pub(super) fn name(&mut self, name: &str, span: Span) -> Option<(Typed, bool)> {
        match self.names.get(name).cloned() {
            Some(Binding::Input(i)) => Some((
                match self.input_kinds[i] {
                    InputKind::Number => Typed::Num(Num::Input(i)),
                    InputKind::Bool => Typed::Cond(Cond::Input(i)),
                    InputKind::Text => Typed::Text(Text::Input(i)),
                },
                true,
            )),
            Some(Binding::Param(i)) => Some((Typed::Num(Num::Param(i)), false)),
            Some(Binding::Stage(i)) => Some((Typed::Num(Num::Stage(i)), true)),
            Some(Binding::Var(i)) => {
                // None: the var had an error of its own, already reported.
                let (is_num, varies) = self.var_types[i]?;
                let typed = if is_num {
                    Typed::Num(Num::Var(i))
                } else {
                    Typed::Cond(Cond::Var(i))
                };
                Some((typed, varies))
            }
            Some(Binding::Broken) => None,
            Some(Binding::ParamGroup) => {
                let prefix = format!("{name}.");
                let mut members: Vec<&str> = self
                    .names
                    .keys()
                    .filter(|k| k.starts_with(&prefix))
                    .map(String::as_str)
                    .collect();
                members.sort_unstable();
                let members = members.join(", ");
                self.error_t(span, "check-param-group", crate::args![name = name])
                    .notes
                    .push(crate::tr!("check-param-group-note", members = members));
                None
            }
            None => {
                let (id, hint) = crate::formula::with_hint(
                    name,
                    self.names.keys().map(String::as_str),
                    "check-unknown-name",
                    "check-unknown-name-hint",
                );
                let is_function = builtins::lookup(name).is_some();
                let d = self.error_t(span, id, crate::args![name = name, hint = hint]);
                if is_function {
                    d.notes.push(crate::tr!("check-unknown-name-function", name = name));
                } else {
                    d.notes.push(crate::tr!("check-unknown-name-note"));
                }
                None
            }
        }
    }

    pub(super) fn binary(&mut self, op: BinaryOp, left: &Expr, right: &Expr, span: Span) -> Option<(Typed, bool)> {
        let context = format!("'{}'", op.symbol());
        let arith = |op| match op {
            BinaryOp::Add => Some(ArithOp::Add),
            BinaryOp::Sub => Some(ArithOp::Sub),
            BinaryOp::Mul => Some(ArithOp::Mul),
            BinaryOp::Div => Some(ArithOp::Div),
            _ => None,
        };
        if let Some(arith) = arith(op) {
            let l = self.num(left, &context);
            let r = self.num(right, &context);
            let ((l, lv), (r, rv)) = (l?, r?);
            return Some((Typed::Num(Num::Arith(arith, Box::new(l), Box::new(r), span)), lv || rv));
        }
        if matches!(op, BinaryOp::And | BinaryOp::Or) {
            let l = self.cond(left, &context);
            let r = self.cond(right, &context);
            let ((l, lv), (r, rv)) = (l?, r?);
            let c = if op == BinaryOp::And {
                Cond::And(Box::new(l), Box::new(r))
            } else {
                Cond::Or(Box::new(l), Box::new(r))
            };
            return Some((Typed::Cond(c), lv || rv));
        }
        let cmp = match op {
            BinaryOp::Lt => CmpOp::Lt,
            BinaryOp::Le => CmpOp::Le,
            BinaryOp::Gt => CmpOp::Gt,
            BinaryOp::Ge => CmpOp::Ge,
            BinaryOp::Eq => CmpOp::Eq,
            _ => CmpOp::Ne,
        };
        let l = self.expr(left);
        let r = self.expr(right);
        let ((l, lv), (r, rv)) = (l?, r?);
        let varies = lv || rv;
        let equality = matches!(cmp, CmpOp::Eq | CmpOp::Ne);
        let typed = match (l, r) {
            (Typed::Num(l), Typed::Num(r)) => Cond::Compare(cmp, Box::new(l), Box::new(r)),
            (Typed::Text(l), Typed::Text(r)) if equality => Cond::TextEq {
                equal: cmp == CmpOp::Eq,
                left: l,
                right: r,
            },
            (Typed::Cond(l), Typed::Cond(r)) if equality => Cond::CondEq {
                equal: cmp == CmpOp::Eq,
                left: Box::new(l),
                right: Box::new(r),
            },
            (l, r) => {
                let (lt, rt) = (l.type_name(), r.type_name());
                let id = if lt == rt {
                    "check-cannot-compare-same"
                } else {
                    "check-cannot-compare"
                };
                self.error_t(span, id, crate::args![context = &context, left = lt, right = rt]);
                return None;
            }
        };
        Some((Typed::Cond(typed), varies))
    }

    pub(super) fn call(
        &mut self,
        function: &str,
        function_span: Span,
        args: &[Expr],
        span: Span,
    ) -> Option<(Typed, bool)> {
        let Some(found) = builtins::lookup(function) else {
            let (id, hint) = crate::formula::with_hint(
                function,
                builtins::names(),
                "check-unknown-function",
                "check-unknown-function-hint",
            );
            self.error_t(function_span, id, crate::args![function = function, hint = hint])
                .notes
                .push(crate::tr!("check-unknown-function-note"));
            return None;
        };
        let (signature, min_args, max_args) = (found.signature, found.min_args, found.max_args);
        if args.len() < min_args || args.len() > max_args {
            let id = if min_args == max_args {
                "check-arity-exact"
            } else if max_args == usize::MAX {
                "check-arity-at-least"
            } else {
                "check-arity-range"
            };
            let d = self.error_t(
                span,
                id,
                crate::args![function = function, min = min_args, max = max_args, found = args.len()],
            );
            d.notes.push(crate::tr!("check-usage", signature = signature));
            if matches!(function, "min" | "max") && args.len() == 1 {
                let id = if function == "min" {
                    "check-min-over-all-note"
                } else {
                    "check-max-over-all-note"
                };
                d.notes.push(crate::tr!(id, function = function));
            }
            return None;
        }
        let context = format!("{function}()");
        match found.builtin {
            Builtin::If => {
                let c = self.cond(&args[0], &crate::tr!("check-what-if-condition", call = &context));
                let a = self.expr(&args[1]);
                let b = self.expr(&args[2]);
                let ((c, cv), (a, av), (b, bv)) = (c?, a?, b?);
                let varies = cv || av || bv;
                let typed = match (a, b) {
                    (Typed::Num(a), Typed::Num(b)) => Typed::Num(Num::If(Box::new(c), Box::new(a), Box::new(b))),
                    (Typed::Cond(a), Typed::Cond(b)) => Typed::Cond(Cond::If(Box::new(c), Box::new(a), Box::new(b))),
                    (a, b) => {
                        let (a, b) = (a.type_name(), b.type_name());
                        self.error_t(span, "check-if-branches", crate::args![left = a, right = b]);
                        return None;
                    }
                };
                Some((typed, varies))
            }
            Builtin::Num(f) => {
                let mut checked = Vec::with_capacity(args.len());
                let mut varies = false;
                for arg in args {
                    checked.push(self.num(arg, &context).map(|(n, v)| {
                        varies |= v;
                        n
                    }));
                }
                let checked: Option<Vec<Num>> = checked.into_iter().collect();
                Some((Typed::Num(Num::Call(f, checked?, span)), varies))
            }
            Builtin::Agg(kind) => self.aggregate(kind, function, args, span),
            Builtin::Bracket { marginal } => {
                let table = match &args[0].kind {
                    ExprKind::Name(name) => Some(name.clone()),
                    _ => None,
                };
                let rows = table.as_deref().map(|t| self.bracket_rows(t)).unwrap_or_default();
                let x = self.num(&args[1], &context);
                if rows.is_empty() {
                    self.error_t(args[0].span, "check-bracket-table", crate::args![function = function])
                        .notes
                        .push(crate::tr!("check-bracket-table-note"));
                    return None;
                }
                let (x, _) = x?;
                let (bounds, values) = rows.into_iter().unzip();
                Some((
                    Typed::Num(Num::Bracket {
                        bounds,
                        values,
                        x: Box::new(x),
                        marginal,
                        span,
                    }),
                    true,
                ))
            }
            Builtin::TopN { grouped } => {
                // top_n(x, n, where) is rank(x, where) between 1 and n.
                let n_at = usize::from(grouped) + 1;
                let mut rank_args: Vec<Expr> = args[..n_at].to_vec();
                rank_args.extend(args.get(n_at + 1).cloned());
                let kind = AggKind::Rank { grouped };
                let rank = self.aggregate(kind, function, &rank_args, span);
                let n = self.num(&args[n_at], &context);
                let (Typed::Num(rank), _) = rank? else {
                    return None;
                };
                let (n, _) = n?;
                let one = Num::Const(rust_decimal::Decimal::ONE);
                let typed = Cond::And(
                    Box::new(Cond::Compare(CmpOp::Ge, Box::new(rank.clone()), Box::new(one))),
                    Box::new(Cond::Compare(CmpOp::Le, Box::new(rank), Box::new(n))),
                );
                Some((Typed::Cond(typed), true))
            }
        }
    }

    /// A bracket table's rows as (bound param, value param): `table.from.N` and `table.N`
    /// for N = 1, 2, ... while both exist.
    fn bracket_rows(&self, table: &str) -> Vec<(usize, usize)> {
        let mut rows = Vec::new();
        for n in 1.. {
            let bound = self.names.get(&format!("{table}.from.{n}"));
            let value = self.names.get(&format!("{table}.{n}"));
            match (bound, value) {
                (Some(Binding::Param(b)), Some(Binding::Param(v))) => rows.push((*b, *v)),
                _ => break,
            }
        }
        rows
    }

    pub(super) fn aggregate(
        &mut self,
        kind: AggKind,
        function: &str,
        args: &[Expr],
        span: Span,
    ) -> Option<(Typed, bool)> {
        let context = format!("{function}()");
        let grouped = kind.grouped();
        let mut rest = args;
        let mut group = None;
        let mut ok = true;
        if grouped {
            let first = &args[0];
            rest = &args[1..];
            match &first.kind {
                ExprKind::Name(name) => {
                    group = self.group(
                        name,
                        first.span,
                        &crate::tr!("check-what-first-argument", function = function),
                    );
                    ok = group.is_some();
                }
                _ => {
                    ok = false;
                    self.error_t(first.span, "check-group-argument", crate::args![function = function])
                        .notes
                        .push(crate::tr!("check-group-argument-note"));
                }
            }
        }
        let value_count = kind.value_arguments();
        let mut values = Vec::new();
        for arg in rest.iter().take(value_count) {
            values.push(self.num(arg, &context).map(|(n, _)| n));
        }
        let where_context = crate::tr!("check-what-where-argument", call = &context);
        let filter = rest
            .get(value_count)
            .map(|arg| self.cond(arg, &where_context).map(|(c, _)| c));
        let mut values: Vec<Num> = values.into_iter().collect::<Option<_>>()?;
        // A 'where' argument that failed to check has been reported; give up on this call.
        let filter = match filter {
            Some(checked) => Some(checked?),
            None => None,
        };
        if !ok {
            return None;
        }
        let weight = if kind == AggKind::Scalar(ScalarAgg::WMean) {
            values.pop()
        } else {
            None
        };
        let value = values.pop();
        let slot = self.aggregates.len();
        self.aggregates.push(Aggregate {
            kind,
            value,
            weight,
            group,
            filter,
            source: self.sources.text(span).to_string(),
            span,
        });
        if kind.per_unit() {
            Some((Typed::Num(Num::AggregateColumn(slot)), true))
        } else {
            Some((Typed::Num(Num::Aggregate(slot)), false))
        }
    }
}
