//! The checker: resolves names, orders vars by dependency, types every expression.
//!
//! Input is a [`FormulaSpec`] (parsed but unchecked); output is a [`Formula`]
//! whose expressions refer to inputs, params, vars and stages by index, plus the
//! order in which to evaluate them. Every problem is reported with the span of
//! the text to blame, and checking goes on after an error so that one run shows
//! them all.

use std::collections::HashMap;

use super::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use super::builtins::{self, Builtin};
use super::program::Ref;
use super::program::*;
use super::spec::{FormulaSpec, Source};
use crate::diag::{did_you_mean, Diagnostic, Sources, Span};
use crate::money::MoneyUnit;

/// What a name in an expression refers to.
#[derive(Debug, Clone)]
enum Binding {
    Input(usize),
    Param(usize),
    /// The prefix of dotted params (`per_capita` of `per_capita.education`).
    ParamGroup,
    Var(usize),
    Stage(usize),
    /// A var or stage whose definition had an error already reported.
    Broken,
}

const RESERVED: &[&str] = &["and", "or", "not", "true", "false", "total"];

enum Typed {
    Num(Num),
    Cond(Cond),
    Text(Text),
}

impl Typed {
    fn type_name(&self) -> &'static str {
        match self {
            Typed::Num(_) => "a number",
            Typed::Cond(_) => "a condition (true/false)",
            Typed::Text(_) => "text",
        }
    }
}

/// Check a formula spec. `origin` is the file's display name.
pub fn check(spec: &FormulaSpec, sources: &Sources, origin: &str) -> Result<Formula, Vec<Diagnostic>> {
    let mut checker = Checker {
        sources,
        names: HashMap::new(),
        var_types: vec![None; spec.vars.len()],
        aggregates: Vec::new(),
        diagnostics: Vec::new(),
        input_kinds: spec.inputs.iter().map(|i| i.kind).collect(),
    };
    checker.bind_names(spec);
    let order = checker.dependency_order(spec);

    let mut vars: Vec<Option<Var>> = vec![None; spec.vars.len()];
    let mut stages: Vec<Option<Stage>> = vec![None; spec.stages.len()];
    let mut plan = Vec::new();
    for node in order {
        let first_aggregate = checker.aggregates.len();
        let step = if node < spec.vars.len() {
            let var = &spec.vars[node];
            let checked = checker.var(var.name.as_str(), &var.source);
            if let Some((expr, varies)) = checked {
                checker.var_types[node] = Some((matches!(expr, VarExpr::Num(_)), varies));
                vars[node] = Some(Var {
                    name: var.name.clone(),
                    expr,
                    source: var.source.text.clone(),
                    varies,
                });
            }
            Step::Var(node)
        } else {
            let index = node - spec.vars.len();
            stages[index] = checker.stage(&spec.stages[index]);
            Step::Stage(index)
        };
        plan.extend((first_aggregate..checker.aggregates.len()).map(Step::Aggregate));
        plan.push(step);
    }

    for input in &spec.inputs {
        if let Some((other, span)) = &input.compare_with {
            match spec.inputs.iter().find(|i| &i.name == other) {
                Some(i) if i.kind == InputKind::Number => {}
                Some(_) => {
                    checker.error(
                        *span,
                        format!("input '{}': compare_with '{other}' is not a number input", input.name),
                    );
                }
                None => {
                    let hint = did_you_mean(other, spec.inputs.iter().map(|i| i.name.as_str()))
                        .map(|h| format!(" (did you mean '{h}'?)"))
                        .unwrap_or_default();
                    checker.error(
                        *span,
                        format!("input '{}': compare_with names no input '{other}'{hint}", input.name),
                    );
                }
            }
        }
    }
    let mut input_transforms = Vec::new();
    for (name, span, source) in &spec.input_overrides {
        let Some(index) = spec.inputs.iter().position(|i| &i.name == name) else {
            continue;
        };
        let first_aggregate = checker.aggregates.len();
        if let Some((expr, _)) = checker.num(&source.expr, &format!("input override '{name}'")) {
            let mut refs = Vec::new();
            expr.refs(&mut refs);
            let allowed = refs.iter().all(|r| matches!(r, Ref::Input(_) | Ref::Param(_)));
            if !allowed || checker.aggregates.len() > first_aggregate {
                checker
                    .error(
                        *span,
                        format!("input override '{name}' may use only inputs, params and numbers"),
                    )
                    .notes
                    .push("it is applied to the data before any var or aggregate is computed".into());
            } else {
                input_transforms.push((index, expr, source.text.clone()));
            }
        }
    }
    let metrics = checker.metrics_basis(spec);
    if let Some(key_input) = spec.inputs.iter().find(|i| i.name == spec.key) {
        checker.error(
            key_input.span,
            format!("'{}' is the key column; it is not declared as an input", spec.key),
        );
    }
    if !checker.diagnostics.is_empty() {
        return Err(checker.diagnostics);
    }
    // A var left unchecked because it uses a broken definition: already reported.
    let missing = || {
        if spec.broken.is_empty() {
            vec![Diagnostic::error(
                "formula check lost a var or stage without reporting why",
            )]
        } else {
            Vec::new()
        }
    };
    Ok(Formula {
        name: spec.name.clone(),
        description: spec.description.clone(),
        origin: origin.to_string(),
        key: spec.key.clone(),
        label: spec.label.clone(),
        unit: spec.unit.clone().unwrap_or(MoneyUnit {
            name: "1".into(),
            factor: rust_decimal::Decimal::ONE,
        }),
        output_unit: spec
            .output_unit
            .clone()
            .or_else(|| spec.unit.clone())
            .unwrap_or(MoneyUnit {
                name: "1".into(),
                factor: rust_decimal::Decimal::ONE,
            }),
        inputs: spec.inputs.clone(),
        params: spec
            .params
            .iter()
            .map(|p| Param {
                name: p.name.clone(),
                value: p.value,
            })
            .collect(),
        vars: vars.into_iter().collect::<Option<Vec<_>>>().ok_or_else(missing)?,
        stages: stages.into_iter().collect::<Option<Vec<_>>>().ok_or_else(missing)?,
        aggregates: checker.aggregates,
        plan,
        input_transforms,
        metrics,
    })
}

struct Checker<'a> {
    sources: &'a Sources,
    names: HashMap<String, Binding>,
    /// For each var once checked: (is a number, varies by unit).
    var_types: Vec<Option<(bool, bool)>>,
    aggregates: Vec<Aggregate>,
    diagnostics: Vec<Diagnostic>,
    input_kinds: Vec<InputKind>,
}

impl Checker<'_> {
    fn error(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::error(message).at(self.sources.locate(span)));
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    fn bind(&mut self, name: &str, span: Span, binding: Binding, what: &str) {
        if builtins::lookup(name).is_some() {
            self.error(span, format!("{what} '{name}' has the name of a built-in function"))
                .notes
                .push("choose another name; function names cannot be shadowed".into());
            return;
        }
        if RESERVED.contains(&name) {
            self.error(span, format!("{what} '{name}' uses a reserved word"));
            return;
        }
        if !is_identifier(name) {
            self.error(span, format!("{what} '{name}' is not a valid name"))
                .notes
                .push("names start with a letter or '_' and contain letters, digits and '_'".into());
            return;
        }
        match self.names.get(name) {
            Some(Binding::ParamGroup) if matches!(binding, Binding::ParamGroup) => {}
            Some(existing) => {
                let existing = match existing {
                    Binding::Input(_) => "an input",
                    Binding::Param(_) | Binding::ParamGroup => "a param",
                    Binding::Var(_) => "a var",
                    Binding::Stage(_) => "an allocation stage",
                    Binding::Broken => "a var",
                };
                self.error(span, format!("{what} '{name}' has the same name as {existing}"))
                    .notes
                    .push("every input, param, var and stage needs its own name".into());
            }
            None => {
                self.names.insert(name.to_string(), binding);
            }
        }
    }

    fn bind_names(&mut self, spec: &FormulaSpec) {
        for (i, input) in spec.inputs.iter().enumerate() {
            self.bind(&input.name, input.span, Binding::Input(i), "input");
        }
        for (i, param) in spec.params.iter().enumerate() {
            let parts: Vec<&str> = param.name.split('.').collect();
            for end in 1..parts.len() {
                self.bind(&parts[..end].join("."), param.span, Binding::ParamGroup, "param group");
            }
            // Dotted names are checked part by part.
            if parts.iter().all(|p| is_identifier(p)) {
                let full = param.name.clone();
                match self.names.get(&full) {
                    Some(_) => {
                        self.error(param.span, format!("param '{full}' is defined twice"));
                    }
                    None if builtins::lookup(&full).is_some() || RESERVED.contains(&full.as_str()) => {
                        self.bind(&full, param.span, Binding::Param(i), "param")
                    }
                    None => {
                        self.names.insert(full, Binding::Param(i));
                    }
                }
            } else {
                self.error(param.span, format!("param '{}' is not a valid name", param.name));
            }
        }
        for (i, var) in spec.vars.iter().enumerate() {
            self.bind(&var.name, var.span, Binding::Var(i), "var");
        }
        for (i, stage) in spec.stages.iter().enumerate() {
            self.bind(&stage.name, stage.span, Binding::Stage(i), "stage");
        }
        for name in &spec.broken {
            self.names.entry(name.clone()).or_insert(Binding::Broken);
        }
    }

    /// Vars and stages in an order where everything comes after what it uses.
    /// Nodes are vars `0..V` then stages `V..V+S`; each stage follows the one before it.
    fn dependency_order(&mut self, spec: &FormulaSpec) -> Vec<usize> {
        let var_count = spec.vars.len();
        let node_count = var_count + spec.stages.len();
        let mut edges: Vec<Vec<(usize, Span)>> = vec![Vec::new(); node_count];
        let resolve = |names: &HashMap<String, Binding>, refs: Vec<(String, Span)>| -> Vec<(usize, Span)> {
            refs.into_iter()
                .filter_map(|(name, span)| match names.get(&name) {
                    Some(Binding::Var(i)) => Some((*i, span)),
                    Some(Binding::Stage(i)) => Some((var_count + i, span)),
                    _ => None,
                })
                .collect()
        };
        for (i, var) in spec.vars.iter().enumerate() {
            let mut refs = Vec::new();
            var.source.expr.names(&mut refs);
            edges[i] = resolve(&self.names, refs);
        }
        for (i, stage) in spec.stages.iter().enumerate() {
            let mut refs = Vec::new();
            for source in stage_sources(stage) {
                source.expr.names(&mut refs);
            }
            let mut deps = resolve(&self.names, refs);
            if i > 0 {
                deps.push((var_count + i - 1, stage.span));
            }
            edges[var_count + i] = deps;
        }

        let node_name = |n: usize| {
            if n < var_count {
                spec.vars[n].name.clone()
            } else {
                spec.stages[n - var_count].name.clone()
            }
        };
        // Iterative depth-first search: 0 = new, 1 = on the stack, 2 = done.
        let mut state = vec![0u8; node_count];
        let mut order = Vec::with_capacity(node_count);
        for root in 0..node_count {
            if state[root] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
            state[root] = 1;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                if let Some(&(dep, span)) = edges[node].get(*next) {
                    *next += 1;
                    match state[dep] {
                        0 => {
                            state[dep] = 1;
                            stack.push((dep, 0));
                        }
                        1 => {
                            let start = stack.iter().position(|&(n, _)| n == dep).unwrap_or(0);
                            let mut path: Vec<String> = stack[start..].iter().map(|&(n, _)| node_name(n)).collect();
                            path.push(node_name(dep));
                            let message = if path.len() == 2 {
                                format!("'{}' refers to itself", path[0])
                            } else {
                                format!("circular definition: {}", path.join(" -> "))
                            };
                            self.error(span, message)
                                .notes
                                .push("a var cannot depend on its own value, directly or through others".into());
                        }
                        _ => {}
                    }
                } else {
                    state[node] = 2;
                    order.push(node);
                    stack.pop();
                }
            }
        }
        order
    }

    /// `[metrics]` names, or the defaults: capacity `standard_revenue` (else `revenue`),
    /// population `population`. Declared names must be numbers; defaults are used only if present.
    fn metrics_basis(&mut self, spec: &FormulaSpec) -> Option<MetricsBasis> {
        let numeric = |checker: &Self, name: &str| -> Option<Ref> {
            match checker.names.get(name) {
                Some(Binding::Input(i)) if checker.input_kinds[*i] == InputKind::Number => Some(Ref::Input(*i)),
                Some(Binding::Var(i)) if checker.var_types[*i].is_some_and(|(num, _)| num) => Some(Ref::Var(*i)),
                _ => None,
            }
        };
        let mut resolve = |declared: &Option<(String, Span)>, defaults: &[&str]| -> Option<Ref> {
            match declared {
                Some((name, span)) => {
                    let found = numeric(self, name);
                    if found.is_none() {
                        self.error(*span, format!("metrics: '{name}' is not a number input or var"));
                    }
                    found
                }
                None => defaults.iter().find_map(|d| numeric(self, d)),
            }
        };
        let capacity = resolve(&spec.metrics_capacity, &["standard_revenue", "revenue"]);
        let population = resolve(&spec.metrics_population, &["population"]);
        Some(MetricsBasis {
            capacity: capacity?,
            population: population?,
        })
    }

    fn var(&mut self, name: &str, source: &Source) -> Option<(VarExpr, bool)> {
        let (typed, varies) = self.expr(&source.expr)?;
        match typed {
            Typed::Num(n) => Some((VarExpr::Num(n), varies)),
            Typed::Cond(c) => Some((VarExpr::Cond(c), varies)),
            Typed::Text(_) => {
                self.error(
                    source.expr.span,
                    format!("var '{name}' is text; a var must be a number or a condition"),
                )
                .notes
                .push("text inputs can be compared (region == 'west') or grouped by (sum_by(region, x))".into());
                None
            }
        }
    }

    fn stage(&mut self, spec: &super::spec::StageSpec) -> Option<Stage> {
        let what = format!("stage '{}'", spec.name);
        let pool = self.num(&spec.pool.expr, &format!("{what} pool"));
        let within = match &spec.within {
            Some((name, span)) => match self.names.get(name) {
                Some(Binding::Input(i)) if self.input_kinds[*i] == InputKind::Text => Some(*i),
                _ => {
                    self.error(*span, format!("{what}: within must name a text input, found '{name}'"))
                        .notes
                        .push("declare the grouping column with type = \"text\" in [inputs]".into());
                    return None;
                }
            },
            None => None,
        };
        // Within groups the pool may differ between groups (it is checked to be
        // constant inside each group when the stage is solved).
        if let (Some((_, true)), None) = (&pool, within) {
            self.error(
                spec.pool.expr.span,
                format!("{what}: the pool must be the same for every unit"),
            )
            .notes
            .push("it uses a per-unit value; wrap per-unit values in an aggregate such as sum(...)".into());
        }
        let optional = |checker: &mut Self, source: &Option<Source>, key: &str| match source {
            Some(s) => checker.num(&s.expr, &format!("{what} {key}")).map(|(n, _)| Some(n)),
            None => Some(None),
        };
        let base = optional(self, &spec.base, "base");
        let floor = optional(self, &spec.floor, "floor");
        let cap = optional(self, &spec.cap, "cap");
        let weight = self.num(&spec.weight.expr, &format!("{what} weight"));
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

    fn num(&mut self, e: &Expr, context: &str) -> Option<(Num, bool)> {
        let (typed, varies) = self.expr(e)?;
        match typed {
            Typed::Num(n) => Some((n, varies)),
            other => {
                let found = other.type_name();
                self.error(e.span, format!("{context}: expected a number, found {found}"));
                None
            }
        }
    }

    fn cond(&mut self, e: &Expr, context: &str) -> Option<(Cond, bool)> {
        let (typed, varies) = self.expr(e)?;
        match typed {
            Typed::Cond(c) => Some((c, varies)),
            other => {
                let found = other.type_name();
                let d = self.error(
                    e.span,
                    format!("{context}: expected a condition (true/false), found {found}"),
                );
                if found == "a number" {
                    d.notes.push("compare it with something, e.g. x > 0".into());
                }
                None
            }
        }
    }

    fn expr(&mut self, e: &Expr) -> Option<(Typed, bool)> {
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

    fn name(&mut self, name: &str, span: Span) -> Option<(Typed, bool)> {
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
                self.error(span, format!("'{name}' is a group of params, not a value"))
                    .notes
                    .push(format!("use one of: {members}"));
                None
            }
            None => {
                let message = match did_you_mean(name, self.names.keys().map(String::as_str)) {
                    Some(hint) => format!("unknown name '{name}' (did you mean '{hint}'?)"),
                    None => format!("unknown name '{name}'"),
                };
                let is_function = builtins::lookup(name).is_some();
                let d = self.error(span, message);
                if is_function {
                    d.notes.push(format!("'{name}' is a function: call it as {name}(...)"));
                } else {
                    d.notes
                        .push("names are inputs, params, vars and earlier allocation stages".into());
                }
                None
            }
        }
    }

    fn binary(&mut self, op: BinaryOp, left: &Expr, right: &Expr, span: Span) -> Option<(Typed, bool)> {
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
                let message = if lt == rt {
                    format!("{context} cannot compare {lt} with {rt}; only == and != apply")
                } else {
                    format!("{context} cannot compare {lt} with {rt}")
                };
                self.error(span, message);
                return None;
            }
        };
        Some((Typed::Cond(typed), varies))
    }

    fn call(&mut self, function: &str, function_span: Span, args: &[Expr], span: Span) -> Option<(Typed, bool)> {
        let Some(found) = builtins::lookup(function) else {
            let message = match did_you_mean(function, builtins::names()) {
                Some(hint) => format!("unknown function '{function}' (did you mean '{hint}'?)"),
                None => format!("unknown function '{function}'"),
            };
            self.error(function_span, message)
                .notes
                .push("see docs/formula-language.md for the functions available".into());
            return None;
        };
        let (signature, min_args, max_args) = (found.signature, found.min_args, found.max_args);
        if args.len() < min_args || args.len() > max_args {
            let expected = if min_args == max_args {
                crate::diag::plural(min_args, "argument")
            } else if max_args == usize::MAX {
                format!("at least {}", crate::diag::plural(min_args, "argument"))
            } else {
                format!("{min_args} to {max_args} arguments")
            };
            let d = self.error(span, format!("{function} takes {expected}, found {}", args.len()));
            d.notes.push(format!("usage: {signature}"));
            if matches!(function, "min" | "max") && args.len() == 1 {
                d.notes
                    .push(format!("for the {function}imum over all units use {function}_of(x)"));
            }
            return None;
        }
        let context = format!("{function}()");
        match found.builtin {
            Builtin::If => {
                let c = self.cond(&args[0], &format!("the condition of {context}"));
                let a = self.expr(&args[1]);
                let b = self.expr(&args[2]);
                let ((c, cv), (a, av), (b, bv)) = (c?, a?, b?);
                let varies = cv || av || bv;
                let typed = match (a, b) {
                    (Typed::Num(a), Typed::Num(b)) => Typed::Num(Num::If(Box::new(c), Box::new(a), Box::new(b))),
                    (Typed::Cond(a), Typed::Cond(b)) => Typed::Cond(Cond::If(Box::new(c), Box::new(a), Box::new(b))),
                    (a, b) => {
                        let message = format!(
                            "both branches of if() must have the same type; found {} and {}",
                            a.type_name(),
                            b.type_name()
                        );
                        self.error(span, message);
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
        }
    }

    fn aggregate(&mut self, kind: AggKind, function: &str, args: &[Expr], span: Span) -> Option<(Typed, bool)> {
        let context = format!("{function}()");
        let grouped = matches!(kind, AggKind::ByGroup(_));
        let mut rest = args;
        let mut group = None;
        let mut ok = true;
        if grouped {
            let first = &args[0];
            rest = &args[1..];
            match &first.kind {
                ExprKind::Name(name) => match self.names.get(name) {
                    Some(Binding::Input(i)) if self.input_kinds[*i] == InputKind::Text => group = Some(*i),
                    _ => ok = false,
                },
                _ => ok = false,
            }
            if !ok {
                self.error(
                    first.span,
                    format!("the first argument of {function} must be a text input to group by"),
                )
                .notes
                .push("declare the column with type = \"text\" in [inputs]".into());
            }
        }
        let value_count = kind.value_arguments();
        let mut values = Vec::new();
        for arg in rest.iter().take(value_count) {
            values.push(self.num(arg, &context).map(|(n, _)| n));
        }
        let where_context = format!("the 'where' argument of {context}");
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

fn stage_sources(stage: &super::spec::StageSpec) -> impl Iterator<Item = &Source> {
    [
        Some(&stage.pool),
        stage.base.as_ref(),
        Some(&stage.weight),
        stage.floor.as_ref(),
        stage.cap.as_ref(),
    ]
    .into_iter()
    .flatten()
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_') && chars.all(|c| c.is_alphanumeric() || c == '_')
}
