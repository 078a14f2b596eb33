//! `prior(name)` and `prior(name, default)`: a unit's value in last year's run.
//!
//! The values come from a previous run's folder (`--prior DIR`, read by
//! `pipeline::prior`), joined on the key. Here, before checking, each call becomes a
//! reference to an input the data does not provide: `prior(total)` reads the input
//! named `prior(total)`, filled from that run; `prior(total, 0)` becomes
//! `if(in prior run, prior(total), 0)`, where `in prior run` is true for the units that
//! run has. Neither name can be written in a formula, so neither can collide with one;
//! both show in audit.csv and explain under these names.

use super::ast::{Expr, ExprKind};
use super::spec::{FormulaSpec, InputKind, InputSpec, PriorColumn};
use crate::diag::{Diagnostic, Sources, Span};

/// The input holding whether a unit is in the prior run.
pub const PRESENT: &str = "in prior run";

/// The input holding a unit's value of `name` in the prior run.
pub fn input_name(name: &str) -> String {
    format!("prior({name})")
}

/// Rewrite every `prior(...)` call in the vars and stages, adding the inputs they read.
/// Returns the problems (a first argument that is not a name, a wrong argument count).
pub fn desugar(spec: &mut FormulaSpec, sources: &Sources) -> Vec<Diagnostic> {
    let mut rewriter = Rewriter {
        sources,
        inputs: Vec::new(),
        present: None,
        problems: Vec::new(),
    };
    for var in &mut spec.vars {
        rewriter.expr(&mut var.source.expr);
    }
    for stage in &mut spec.stages {
        for source in [Some(&mut stage.pool), stage.base.as_mut(), Some(&mut stage.weight)]
            .into_iter()
            .chain([stage.floor.as_mut(), stage.cap.as_mut()])
            .flatten()
        {
            rewriter.expr(&mut source.expr);
        }
    }
    spec.inputs.extend(rewriter.inputs);
    spec.inputs.extend(rewriter.present);
    rewriter.problems
}

struct Rewriter<'a> {
    sources: &'a Sources,
    inputs: Vec<InputSpec>,
    present: Option<InputSpec>,
    problems: Vec<Diagnostic>,
}

impl Rewriter<'_> {
    fn expr(&mut self, e: &mut Expr) {
        match &mut e.kind {
            ExprKind::Call { function, args, .. } if function == "prior" => {
                for arg in args.iter_mut().skip(1) {
                    self.expr(arg);
                }
                if let Some(replaced) = self.call(args, e.span) {
                    *e = replaced;
                }
            }
            ExprKind::Call { args, .. } => args.iter_mut().for_each(|a| self.expr(a)),
            ExprKind::Unary(_, inner) => self.expr(inner),
            ExprKind::Binary(_, left, right) => {
                self.expr(left);
                self.expr(right);
            }
            ExprKind::Number(_) | ExprKind::Bool(_) | ExprKind::Text(_) | ExprKind::Name(_) => {}
        }
    }

    fn call(&mut self, args: &mut Vec<Expr>, span: Span) -> Option<Expr> {
        let name = match args.first().map(|a| &a.kind) {
            Some(ExprKind::Name(name)) if args.len() <= 2 => name.clone(),
            Some(_) if args.len() <= 2 => {
                self.problems.push(
                    Diagnostic::error_t("formula-prior-not-name", crate::args![])
                        .at(self.sources.locate(args[0].span))
                        .note_t("formula-prior-not-name-note", crate::args![]),
                );
                return None;
            }
            _ => {
                self.problems.push(
                    Diagnostic::error_t("formula-prior-arguments", crate::args![count = args.len()])
                        .at(self.sources.locate(span)),
                );
                return None;
            }
        };
        let required = args.len() == 1;
        let input = input_name(&name);
        match self.inputs.iter_mut().find(|i| i.name == input) {
            Some(existing) => {
                if let Some(PriorColumn::Value { required: r, .. }) = &mut existing.prior {
                    *r |= required;
                }
            }
            None => {
                let mut spec = InputSpec::new(input.clone(), span, InputKind::Number);
                spec.description = format!("{name} in the prior run (--prior)");
                spec.prior = Some(PriorColumn::Value { name, required });
                self.inputs.push(spec);
            }
        }
        let value = Expr {
            kind: ExprKind::Name(input),
            span,
        };
        if required {
            return Some(value);
        }
        if self.present.is_none() {
            let mut present = InputSpec::new(PRESENT.into(), span, InputKind::Bool);
            present.description = "the unit is in the prior run (--prior)".into();
            present.prior = Some(PriorColumn::Present);
            self.present = Some(present);
        }
        let default = args.pop()?;
        Some(Expr {
            kind: ExprKind::Call {
                function: "if".into(),
                function_span: span,
                args: vec![
                    Expr {
                        kind: ExprKind::Name(PRESENT.into()),
                        span,
                    },
                    value,
                    default,
                ],
            },
            span,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Sources;

    fn spec_of(vars: &str) -> (FormulaSpec, Sources) {
        let mut sources = Sources::default();
        let text = format!(
            "[formula]\nname = \"t\"\nkey = \"k\"\n[vars]\n{vars}\n[[allocation]]\nname = \"s\"\npool = \"1\"\nweight = \"1\"\n"
        );
        let id = sources.add("f.toml", text);
        let (spec, problems) = super::super::spec::read(&sources, id).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        (spec, sources)
    }

    #[test]
    fn calls_become_inputs_and_a_default_becomes_if_present() {
        let (mut spec, sources) = spec_of("a = \"prior(total, 0) + prior(s)\"\nb = \"prior(total)\"\n");
        let problems = desugar(&mut spec, &sources);
        assert!(problems.is_empty());
        let names: Vec<(&str, Option<&PriorColumn>)> = spec
            .inputs
            .iter()
            .map(|i| (i.name.as_str(), i.prior.as_ref()))
            .collect();
        assert_eq!(
            names,
            [
                (
                    "prior(total)",
                    Some(&PriorColumn::Value {
                        name: "total".into(),
                        required: true
                    })
                ),
                (
                    "prior(s)",
                    Some(&PriorColumn::Value {
                        name: "s".into(),
                        required: true
                    })
                ),
                (PRESENT, Some(&PriorColumn::Present)),
            ]
        );
        let ExprKind::Binary(_, left, _) = &spec.vars[0].source.expr.kind else {
            panic!("a sum")
        };
        let ExprKind::Call { function, args, .. } = &left.kind else {
            panic!("an if")
        };
        assert_eq!(function, "if");
        assert_eq!(args[0].kind, ExprKind::Name(PRESENT.into()));
        assert_eq!(args[1].kind, ExprKind::Name("prior(total)".into()));
    }

    #[test]
    fn only_a_name_and_a_default() {
        let (mut spec, sources) = spec_of("a = \"prior(total * 2)\"\nb = \"prior(total, 0, 1)\"\n");
        let problems: Vec<String> = desugar(&mut spec, &sources).into_iter().map(|d| d.message).collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("prior(...) takes the name of a var"));
        assert!(problems[1].contains("found 3 arguments"));
        assert!(spec.inputs.is_empty());
    }
}
