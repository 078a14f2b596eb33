//! Scenario files: a base formula and dataset, and the params, vars, stages and input
//! columns to change; applied to the formula's spec before it is checked.

use super::reader::Reader;
use super::*;
use crate::diag::{Diagnostic, FileId, Sources, Span};
use crate::tomlspan;

/// A scenario file: a base formula and dataset, and what to change in them.
#[derive(Debug, Clone)]
pub struct ScenarioSpec {
    pub name: String,
    pub description: String,
    /// The formula, relative to the scenario file (or a shipped short name).
    pub formula: Option<(String, Span)>,
    /// The data, relative to the scenario file.
    pub data: Vec<String>,
    pub parts: Parts,
    pub inputs: Vec<(String, Span, Source)>,
}

impl ScenarioSpec {
    /// No scenario: changes nothing.
    pub fn none() -> ScenarioSpec {
        ScenarioSpec {
            name: String::new(),
            description: String::new(),
            formula: None,
            data: Vec::new(),
            parts: Parts::default(),
            inputs: Vec::new(),
        }
    }
}

const SCENARIO_KEYS: &[&str] = &["scenario", "params", "inputs", "vars", "allocation"];
const SCENARIO_TABLE_KEYS: &[&str] = &["name", "description", "formula", "data"];

/// Read a registered scenario file.
pub fn read_scenario(sources: &Sources, file: FileId) -> Result<(ScenarioSpec, Vec<Diagnostic>), Vec<Diagnostic>> {
    let root = tomlspan::parse(sources, file).map_err(|d| vec![d])?;
    let mut reader = Reader {
        toml: tomlspan::Reader::new(sources, file),
    };
    reader.check_keys(&root, SCENARIO_KEYS, "the scenario file");
    let mut scenario = ScenarioSpec::none();
    match root.get("scenario") {
        Some(entry) => {
            if let Some(table) = reader.table(entry, "[scenario]") {
                reader.check_keys(table, SCENARIO_TABLE_KEYS, "[scenario]");
                for e in table.entries().unwrap_or_default() {
                    match e.key.as_str() {
                        "name" => scenario.name = reader.string(e, "scenario.name").unwrap_or_default(),
                        "description" => {
                            scenario.description = reader.string(e, "scenario.description").unwrap_or_default()
                        }
                        "formula" => scenario.formula = reader.string(e, "scenario.formula").map(|f| (f, e.value.span)),
                        "data" => scenario.data = reader.strings(e, "scenario.data"),
                        _ => {}
                    }
                }
            }
        }
        None => {
            reader
                .error(Span::new(file, 0, 0), "the scenario file has no [scenario] table")
                .notes
                .push("start it with [scenario], name = \"...\", formula = \"...\" and data = \"...\"".into());
        }
    }
    let mut parts = Parts::default();
    reader.sections(&root, &mut parts, false);
    scenario.parts = parts;
    if let Some(entry) = root.get("inputs") {
        if let Some(table) = reader.table(entry, "[inputs]") {
            for e in table.entries().unwrap_or_default() {
                if let Some(source) = reader.expression(e, &format!("input override '{}'", e.key)) {
                    scenario.inputs.push((e.key.clone(), e.key_span, source));
                }
            }
        }
    }
    Ok((scenario, reader.toml.diagnostics))
}

/// Apply a scenario to a formula spec: params, vars and stages replaced by name (new
/// vars and stages added), input columns recomputed. Returns the problems found.
pub fn apply_scenario(base: &mut FormulaSpec, scenario: &ScenarioSpec, sources: &Sources) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for param in &scenario.parts.params {
        match base.params.iter_mut().find(|p| p.name == param.name) {
            Some(p) => p.value = param.value,
            None => {
                let hint = crate::diag::did_you_mean_suffix(&param.name, base.params.iter().map(|p| p.name.as_str()));
                problems.push(
                    Diagnostic::error(format!("the formula has no param '{}'{hint}", param.name))
                        .at(sources.locate(param.span))
                        .note("a scenario can only change params the formula has"),
                );
            }
        }
    }
    for var in &scenario.parts.vars {
        match base.vars.iter_mut().find(|v| v.name == var.name) {
            Some(v) => *v = var.clone(),
            None => base.vars.push(var.clone()),
        }
    }
    for stage in &scenario.parts.stages {
        match base.stages.iter_mut().find(|s| s.name == stage.name) {
            Some(s) => *s = stage.clone(),
            None => base.stages.push(stage.clone()),
        }
    }
    base.broken.extend(scenario.parts.broken.iter().cloned());
    for (name, span, source) in &scenario.inputs {
        match base.inputs.iter().find(|i| &i.name == name) {
            Some(i) if i.kind == InputKind::Number => base.input_overrides.push((name.clone(), *span, source.clone())),
            Some(_) => problems.push(
                Diagnostic::error(format!(
                    "input '{name}' is not a number input; only number inputs can be overridden"
                ))
                .at(sources.locate(*span)),
            ),
            None => {
                let hint = crate::diag::did_you_mean_suffix(name, base.inputs.iter().map(|i| i.name.as_str()));
                problems.push(
                    Diagnostic::error(format!("the formula has no input '{name}'{hint}")).at(sources.locate(*span)),
                );
            }
        }
    }
    problems
}
