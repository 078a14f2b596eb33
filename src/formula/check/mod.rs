//! The checker: resolves names, orders vars by dependency, types every expression.
//!
//! Input is a [`FormulaSpec`] (parsed but unchecked); output is a [`Formula`]
//! whose expressions refer to inputs, params, vars and stages by index, plus the
//! order in which to evaluate them. Every problem is reported with the span of
//! the text to blame, and checking goes on after an error so that one run shows
//! them all.
//!
//! [`names`] binds every declared name, [`order`] sorts vars and stages by what they
//! use (reporting cycles with their path), and [`expressions`] types each expression
//! into the program the evaluator runs.

mod expressions;
mod names;
mod order;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use super::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use super::builtins::{self, Builtin};
use super::program::Ref;
use super::program::*;
use super::spec::{self, FormulaSpec, Source};
use crate::diag::{Diagnostic, Sources, Span};
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
    fn type_name(&self) -> String {
        match self {
            Typed::Num(_) => crate::tr!("check-type-number"),
            Typed::Cond(_) => crate::tr!("check-type-condition"),
            Typed::Text(_) => crate::tr!("check-type-text"),
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
                    checker.error_t(
                        *span,
                        "check-compare-with-not-number",
                        crate::args![input = &input.name, name = other],
                    );
                }
                None => {
                    let (id, hint) = crate::formula::with_hint(
                        other,
                        spec.inputs.iter().map(|i| i.name.as_str()),
                        "check-compare-with-unknown",
                        "check-compare-with-unknown-hint",
                    );
                    checker.error_t(*span, id, crate::args![input = &input.name, name = other, hint = hint]);
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
        if let Some((expr, _)) = checker.num(&source.expr, &crate::tr!("check-what-input-override", name = name)) {
            let mut refs = Vec::new();
            expr.refs(&mut refs);
            let allowed = refs.iter().all(|r| matches!(r, Ref::Input(_) | Ref::Param(_)));
            if !allowed || checker.aggregates.len() > first_aggregate {
                checker
                    .error_t(*span, "check-input-override-uses", crate::args![name = name])
                    .notes
                    .push(crate::tr!("check-input-override-uses-note"));
            } else {
                input_transforms.push((index, expr, source.text.clone()));
            }
        }
    }
    let metrics = checker.metrics_basis(spec);
    // Labels name what the formula defines (or the total): a label for anything else is a typo.
    for (name, label, span) in &spec.labels {
        if label.trim().is_empty() {
            checker.error_t(*span, "check-label-empty", crate::args![name = name]);
        }
        let known = name == "total"
            || name == &spec.key
            || spec.label.as_ref() == Some(name)
            || spec.inputs.iter().any(|i| &i.name == name)
            || spec.vars.iter().any(|v| &v.name == name)
            || spec.stages.iter().any(|s| &s.name == name);
        if !known {
            let candidates = spec
                .inputs
                .iter()
                .map(|i| i.name.as_str())
                .chain(spec.vars.iter().map(|v| v.name.as_str()))
                .chain(spec.stages.iter().map(|s| s.name.as_str()));
            let (id, hint) =
                crate::formula::with_hint(name, candidates, "check-label-unknown", "check-label-unknown-hint");
            checker.error_t(*span, id, crate::args![name = name, hint = hint]);
        }
    }
    let report = checker.report_settings(spec);
    if let Some(key_input) = spec.inputs.iter().find(|i| i.name == spec.key) {
        checker.error_t(key_input.span, "check-key-is-input", crate::args![key = &spec.key]);
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
        labels: spec.labels.iter().map(|(n, l, _)| (n.clone(), l.clone())).collect(),
        report,
        name: spec.name.clone(),
        description: spec.description.clone(),
        origin: origin.to_string(),
        key: spec.key.clone(),
        label: spec.label.clone(),
        date: spec.date.as_ref().map(|(d, _)| d.clone()),
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
                dated: p.dated.iter().map(|(date, value, _)| (date.clone(), *value)).collect(),
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
    /// Report the catalogue's error `id` at `span`; the diagnostic keeps `id` as its code.
    fn error_t(&mut self, span: Span, id: &'static str, args: &[(&str, crate::i18n::Arg)]) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::error_t(id, args).at(self.sources.locate(span)));
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    /// `[report]`: `group_by` a text input, `compare_with` a number input or var, `language`
    /// en or zh; each mistake reported where it was written.
    fn report_settings(&mut self, spec: &FormulaSpec) -> ReportSettings {
        let mut settings = ReportSettings {
            title: spec.report.title.clone(),
            title_as_written: spec.report.title_as_written,
            ..ReportSettings::default()
        };
        let texts = || {
            spec.inputs
                .iter()
                .filter(|i| i.kind == InputKind::Text)
                .map(|i| i.name.as_str())
        };
        // An empty name turns the formula's setting off (`--group-by ""` from a scenario or
        // the command line); a label or a data column's alias stands for its name.
        let group_by = spec.report.group_by.as_ref().filter(|(n, _)| !n.is_empty());
        if let Some((written, span)) = group_by {
            let name = report_name(spec, written);
            match self.names.get(&name) {
                Some(Binding::Input(i)) if self.input_kinds[*i] == InputKind::Text => settings.group_by = Some(*i),
                found => {
                    let (id, hint) = crate::formula::with_hint(
                        written,
                        texts(),
                        "check-group-by-not-text",
                        "check-group-by-not-text-hint",
                    );
                    let is_input = matches!(found, Some(Binding::Input(_)));
                    let d = self.error_t(*span, id, crate::args![name = written, hint = hint]);
                    if !is_input {
                        d.notes.push(crate::tr!("check-group-by-not-text-note"));
                    }
                }
            }
        }
        let compare_with = spec.report.compare_with.as_ref().filter(|(n, _)| !n.is_empty());
        if let Some((written, span)) = compare_with {
            let name = report_name(spec, written);
            let numeric = match self.names.get(&name) {
                Some(Binding::Input(i)) => self.input_kinds[*i] == InputKind::Number,
                Some(Binding::Var(i)) => self.var_types[*i].is_some_and(|(num, _)| num),
                _ => false,
            };
            if numeric {
                settings.compare_with = Some(name);
            } else {
                let numbers: Vec<&str> = spec
                    .inputs
                    .iter()
                    .filter(|i| i.kind == InputKind::Number)
                    .map(|i| i.name.as_str())
                    .chain(spec.vars.iter().map(|v| v.name.as_str()))
                    .collect();
                let (id, hint) = crate::formula::with_hint(
                    written,
                    numbers,
                    "check-report-compare-with",
                    "check-report-compare-with-hint",
                );
                self.error_t(*span, id, crate::args![name = written, hint = hint]);
            }
        }
        match spec.report.language.as_ref().map(|(l, s)| (l.as_str(), *s)) {
            None => {}
            Some(("en", _)) => settings.language_set = true,
            Some(("zh", _)) => {
                settings.chinese = true;
                settings.language_set = true;
            }
            Some((other, span)) => {
                self.error_t(span, "check-report-language", crate::args![language = other])
                    .notes
                    .push(crate::tr!("check-report-language-note"));
            }
        }
        if let Some(columns) = &spec.report.columns {
            // A compare_with in error was reported: naming it again as a column is no new error.
            let compare = settings
                .compare_with
                .clone()
                .or_else(|| compare_with.map(|(n, _)| report_name(spec, n)));
            let mut chosen = self.report_columns(spec, columns, compare.as_deref());
            if settings.compare_with.is_none() {
                chosen.retain(|c| !matches!(c, ReportColumn::Amount(n) if Some(n) == compare.as_ref()));
            }
            settings.columns = Some(chosen);
        }
        settings
    }

    /// `[report] columns`: each a stage (by name or label), `total`, the `compare_with` name, `change`,
    /// `growth` or `bound`; the last three words only where they mean something.
    fn report_columns(
        &mut self,
        spec: &FormulaSpec,
        columns: &[(String, Span)],
        compare_with: Option<&str>,
    ) -> Vec<ReportColumn> {
        let mut chosen = Vec::new();
        let mut known: Vec<&str> = spec.stages.iter().map(|s| s.name.as_str()).collect();
        known.extend(["total", "change", "growth", "bound"]);
        known.extend(compare_with);
        for (written, span) in columns {
            // The table's own words as the Chinese table heads them.
            let name = &match written.as_str() {
                "增减额" => "change".to_string(),
                "增幅" | "增幅(%)" => "growth".to_string(),
                "保底/封顶" => "bound".to_string(),
                "合计" if !spec.labels.iter().any(|(_, l, _)| l == "合计") => "total".to_string(),
                _ => report_name(spec, written),
            };
            let column = match name.as_str() {
                "change" | "growth" if compare_with.is_none() => {
                    self.error_t(*span, "check-report-column-needs-compare", crate::args![name = name])
                        .notes
                        .push(crate::tr!("check-report-column-needs-compare-note"));
                    continue;
                }
                "change" => ReportColumn::Change,
                "growth" => ReportColumn::Growth,
                "bound" => ReportColumn::Bound,
                "total" => ReportColumn::Amount(name.clone()),
                _ if spec.stages.iter().any(|s| &s.name == name) || Some(name.as_str()) == compare_with => {
                    ReportColumn::Amount(name.clone())
                }
                _ => {
                    let (id, hint) = crate::formula::with_hint(
                        name,
                        known.iter().copied(),
                        "check-report-column-unknown",
                        "check-report-column-unknown-hint",
                    );
                    self.error_t(*span, id, crate::args![name = name, hint = hint])
                        .notes
                        .push(crate::tr!("check-report-column-unknown-note"));
                    continue;
                }
            };
            if chosen.contains(&column) {
                self.error_t(*span, "check-report-column-twice", crate::args![name = name]);
                continue;
            }
            chosen.push(column);
        }
        chosen
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
                        self.error_t(*span, "check-metrics-not-number", crate::args![name = name]);
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
}

/// A name in `[report]` as the formula knows it: a label (`市州`, `合计`) or a data column's
/// alias stands for the name it labels; anything else is kept as written.
fn report_name(spec: &FormulaSpec, written: &str) -> String {
    let known = spec.inputs.iter().any(|i| i.name == written)
        || spec.vars.iter().any(|v| v.name == written)
        || spec.stages.iter().any(|s| s.name == written);
    if known {
        return written.to_string();
    }
    if let Some((name, _, _)) = spec.labels.iter().find(|(_, label, _)| label == written) {
        return name.clone();
    }
    if let Some(input) = spec.inputs.iter().find(|i| i.aliases.iter().any(|a| a == written)) {
        return input.name.clone();
    }
    written.to_string()
}
