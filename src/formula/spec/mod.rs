//! Reading a formula file: TOML tables into a [`FormulaSpec`] of parsed expressions.
//!
//! This layer knows the file format (`[formula]`, `[inputs.*]`, `[params]`,
//! `[vars]`, `[[allocation]]`) and nothing about meaning. It collects every
//! problem it finds (unknown keys, wrong value types, syntax errors in
//! expressions) instead of stopping at the first; the checker then resolves
//! names and types.
//!
//! [`reader`] reads formula files, [`scenario`] reads scenario files and applies them
//! to a formula's spec; this module holds the types both produce.

mod reader;
mod scenario;

pub use reader::read;
pub use scenario::{apply_scenario, read_scenario, ReportFlags, ScenarioSpec};

use rust_decimal::Decimal;

use super::ast::Expr;
use crate::diag::{FileId, Span};
use crate::money::MoneyUnit;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Number,
    Text,
    Bool,
}

impl InputKind {
    pub fn name(self) -> &'static str {
        match self {
            InputKind::Number => "number",
            InputKind::Text => "text",
            InputKind::Bool => "bool",
        }
    }
}

#[derive(Debug, Clone)]
pub struct InputSpec {
    pub name: String,
    pub span: Span,
    pub kind: InputKind,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    pub aliases: Vec<String>,
    /// Used for a cell that is empty; written as text, parsed like data.
    pub default: Option<String>,
    pub description: String,
    /// The money unit of the column in the data; converted to the formula's unit on load.
    pub unit: Option<MoneyUnit>,
    /// Cell texts that mean "no value" (like `NA`): treated as empty cells.
    pub missing: Vec<String>,
    /// Warn when the value differs from this other input by more than `max_ratio`.
    pub compare_with: Option<(String, Span)>,
    pub max_ratio: Option<Decimal>,
    /// Warn for values more than this many standard deviations from the mean (0: never).
    pub outlier_sd: Option<Decimal>,
    /// Not a data column: a value from the prior run (`prior(name)`, see [`super::prior`]).
    pub prior: Option<PriorColumn>,
}

/// An input filled from the prior run (`--prior DIR`) rather than from the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PriorColumn {
    /// The unit's value of this var, stage, input or `total` in the prior run; `required`
    /// when some `prior(name)` has no default (then every unit must be in that run).
    Value { name: String, required: bool },
    /// Whether the unit is in the prior run (for `prior(name, default)`).
    Present,
}

impl InputSpec {
    /// An input with nothing but its name and kind declared.
    pub fn new(name: String, span: Span, kind: InputKind) -> InputSpec {
        InputSpec {
            name,
            span,
            kind,
            min: None,
            max: None,
            aliases: Vec::new(),
            default: None,
            description: String::new(),
            unit: None,
            missing: Vec::new(),
            compare_with: None,
            max_ratio: None,
            outlier_sd: None,
            prior: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ParamSpec {
    pub name: String,
    pub span: Span,
    pub value: Decimal,
    /// `[params.X] dated = { "2015-01-01" = "..." }`: (in force from, value, where), in
    /// date order; empty for a plain param. `value` is then the first row's, until the
    /// run's date picks one (`Formula::params_at`).
    pub dated: Vec<(String, Decimal, Span)>,
}

/// An expression with the text it came from.
#[derive(Debug, Clone)]
pub struct Source {
    pub text: String,
    pub expr: Expr,
}

#[derive(Debug, Clone)]
pub struct VarSpec {
    pub name: String,
    pub span: Span,
    pub source: Source,
}

#[derive(Debug, Clone)]
pub struct StageSpec {
    pub name: String,
    pub span: Span,
    pub description: String,
    pub pool: Source,
    pub base: Option<Source>,
    pub weight: Source,
    pub floor: Option<Source>,
    pub cap: Option<Source>,
    pub round: Option<(Decimal, Span)>,
    /// Solve separately within each group of this text input (two-level allocation).
    pub within: Option<(String, Span)>,
    /// False for a stage whose amounts a later stage redistributes (not added to `total`).
    pub in_total: bool,
}

#[derive(Debug, Clone)]
pub struct FormulaSpec {
    pub file: FileId,
    pub name: String,
    pub description: String,
    pub key: String,
    pub label: Option<String>,
    /// `[formula] date`: the date dated params are taken at, unless the run gives one.
    pub date: Option<(String, Span)>,
    /// The unit params, pools and rounding are written in; inputs are converted to it.
    pub unit: Option<MoneyUnit>,
    /// The unit amounts are reported in; default the formula's unit.
    pub output_unit: Option<MoneyUnit>,
    pub inputs: Vec<InputSpec>,
    pub params: Vec<ParamSpec>,
    pub vars: Vec<VarSpec>,
    pub stages: Vec<StageSpec>,
    /// Vars and stages whose definitions had errors: the checker stays quiet
    /// about references to them instead of piling up follow-on errors.
    pub broken: Vec<String>,
    /// Scenario overrides of input columns: (input, where the override is, expression).
    pub input_overrides: Vec<(String, Span, Source)>,
    /// `[metrics]`: the names of per-capita fiscal capacity before transfers and of the
    /// population it is measured per.
    pub metrics_capacity: Option<(String, Span)>,
    pub metrics_population: Option<(String, Span)>,
    /// `[labels]`: names (inputs, vars, stages, `total`) as reports show them.
    pub labels: Vec<(String, String, Span)>,
    /// `[report]`: how the published allocation table is laid out.
    pub report: ReportSpec,
}

/// The parts a scenario can override.
#[derive(Debug, Clone, Default)]
pub struct Parts {
    pub params: Vec<ParamSpec>,
    pub vars: Vec<VarSpec>,
    pub stages: Vec<StageSpec>,
    pub broken: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Location, Sources};

    fn read_text(text: &str) -> (FormulaSpec, Vec<String>) {
        let mut sources = Sources::default();
        let id = sources.add("f.toml", text.to_string());
        let (spec, problems) = read(&sources, id).unwrap();
        let messages = problems
            .iter()
            .map(|d| match &d.location {
                Location::Source { line, column, .. } => format!("{line}:{column}: {}", d.message),
                _ => d.message.clone(),
            })
            .collect();
        (spec, messages)
    }

    const OK: &str = "[formula]\nname = \"t\"\nkey = \"k\"\n[params]\npool = 0.1\nrate.base = \"1_000\"\n[vars]\ngap = \"pool * 2\"\n[[allocation]]\nname = \"g\"\npool = \"pool\"\nweight = \"gap\"\nround = \"1\"\nin_total = false\n";

    #[test]
    fn reads_params_exactly_and_dotted_names() {
        let (spec, problems) = read_text(&OK.replace("\"1_000\"", "1_000"));
        assert_eq!(problems, Vec::<String>::new());
        let params: Vec<(&str, String)> = spec
            .params
            .iter()
            .map(|p| (p.name.as_str(), p.value.to_string()))
            .collect();
        assert_eq!(params, [("pool", "0.1".to_string()), ("rate.base", "1000".to_string())]);
        assert_eq!(spec.stages[0].round.map(|r| r.0), Some(Decimal::ONE));
        assert!(!spec.stages[0].in_total);
        assert_eq!(spec.vars[0].source.text, "pool * 2");
    }

    #[test]
    fn every_problem_is_collected_with_its_place() {
        let text = OK
            .replace("pool = 0.1", "pool = 0x10")
            .replace("in_total = false", "in_total = \"no\"\nwieght = \"1\"");
        let (_, problems) = read_text(&text);
        assert_eq!(
            problems,
            [
                "5:8: param 'pool': write numbers in decimal, not '0x10'",
                "6:13: param 'rate.base': '1_000' is not a number",
                "15:1: unknown key 'wieght' in [[allocation]] #1",
                "14:12: stage 'g' in_total must be true or false, found a string",
            ]
        );
    }

    #[test]
    fn a_scenario_changes_params_and_replaces_vars_by_name() {
        let mut sources = Sources::default();
        let formula = sources.add("f.toml", OK.to_string());
        let scenario = sources.add(
            "s.toml",
            "[scenario]\nname = \"s\"\nformula = \"f.toml\"\n[params]\npool = \"5\"\npol = \"1\"\n[vars]\ngap = \"pool * 3\"\n".into(),
        );
        let (mut spec, _) = read(&sources, formula).unwrap();
        let (overrides, problems) = read_scenario(&sources, scenario).unwrap();
        assert!(problems.is_empty());
        let problems = apply_scenario(&mut spec, &overrides, &sources);
        assert_eq!(spec.params[0].value, Decimal::from(5));
        assert_eq!(spec.vars[0].source.text, "pool * 3");
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].message,
            "the formula has no param 'pol' (did you mean 'pool'?)"
        );
        assert_eq!(problems[0].file(), Some("s.toml"));
    }
}

/// `[report]` as written: the published table's title, grouping, comparison and language.
#[derive(Debug, Clone, Default)]
pub struct ReportSpec {
    pub title: Option<String>,
    /// The title was set by a scenario or `--title`: used exactly as written, where the
    /// formula's own title gets the scenario's name after it.
    pub title_as_written: bool,
    pub group_by: Option<(String, Span)>,
    pub compare_with: Option<(String, Span)>,
    pub language: Option<(String, Span)>,
    /// The published table's amount columns, in order (after the group, key and name).
    pub columns: Option<Vec<(String, Span)>>,
}
