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
    /// `[report]` keys that replace the formula's (a scenario's, then the command line's).
    pub report: ReportSpec,
    /// `[labels]` that replace or add to the formula's.
    pub labels: Vec<(String, String, Span)>,
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
            report: ReportSpec::default(),
            labels: Vec::new(),
        }
    }
}

const SCENARIO_KEYS: &[&str] = &["scenario", "params", "inputs", "vars", "allocation", "report", "labels"];
const SCENARIO_TABLE_KEYS: &[&str] = &["name", "description", "formula", "data"];

/// `[report]` keys given on the command line (`--title`, `--group-by`, `--compare-with`):
/// they replace the formula's and the scenario's, and a manifest records them.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReportFlags {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_with: Option<String>,
    /// The amount columns, comma-separated as given (`--columns total,last_transfer,change`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<String>,
}

impl ReportFlags {
    pub fn is_empty(&self) -> bool {
        self == &ReportFlags::default()
    }

    /// Lay the flags over a scenario's `[report]`. The flags are registered as a source
    /// named `command line`, one flag per line, so that a mistake in one (a group_by
    /// that is no text input) is shown with its place like a mistake in a file.
    pub fn apply(&self, scenario: &mut ScenarioSpec, sources: &mut Sources) {
        if self.is_empty() {
            return;
        }
        let mut text = String::new();
        let mut spans = Vec::new();
        for (flag, value) in [
            ("--title", &self.title),
            ("--group-by", &self.group_by),
            ("--compare-with", &self.compare_with),
            ("--columns", &self.columns),
        ] {
            if let Some(value) = value {
                text.push_str(flag);
                text.push(' ');
                let start = text.len();
                text.push_str(value);
                spans.push(Some((start, text.len())));
                text.push('\n');
            } else {
                spans.push(None);
            }
        }
        let file = sources.add("command line", text);
        let spanned =
            |value: &Option<String>, at: Option<(usize, usize)>| Some((value.clone()?, Span::new(file, at?.0, at?.1)));
        if self.title.is_some() {
            scenario.report.title = self.title.clone();
        }
        if let Some(g) = spanned(&self.group_by, spans[1]) {
            scenario.report.group_by = Some(g);
        }
        if let Some(c) = spanned(&self.compare_with, spans[2]) {
            scenario.report.compare_with = Some(c);
        }
        if let (Some(columns), Some((start, _))) = (&self.columns, spans[3]) {
            // Each name with its own place on the line, for a mistake in one of them.
            let mut at = start;
            let mut list = Vec::new();
            for part in columns.split(',') {
                let lead = part.len() - part.trim_start().len();
                let name = part.trim();
                list.push((name.to_string(), Span::new(file, at + lead, at + lead + name.len())));
                at += part.len() + 1;
            }
            scenario.report.columns = Some(list);
        }
    }
}

/// Read a registered scenario file.
pub fn read_scenario(sources: &Sources, file: FileId) -> Result<(ScenarioSpec, Vec<Diagnostic>), Vec<Diagnostic>> {
    let root = tomlspan::parse(sources, file).map_err(|d| vec![d])?;
    let mut reader = Reader {
        toml: tomlspan::Reader::new(sources, file),
    };
    reader.check_keys(&root, SCENARIO_KEYS, &crate::tr!("formula-what-scenario-file"));
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
                .error_t(Span::new(file, 0, 0), "formula-no-scenario-table", crate::args![])
                .notes
                .push(crate::tr!("formula-no-scenario-table-note"));
        }
    }
    if let Some(entry) = root.get("report") {
        reader.report(entry, &mut scenario.report);
    }
    if let Some(entry) = root.get("labels") {
        reader.labels(entry, &mut scenario.labels);
    }
    let mut parts = Parts::default();
    reader.sections(&root, &mut parts);
    scenario.parts = parts;
    if let Some(entry) = root.get("inputs") {
        if let Some(table) = reader.table(entry, "[inputs]") {
            for e in table.entries().unwrap_or_default() {
                if let Some(source) = reader.expression(e, &crate::tr!("check-what-input-override", name = &e.key)) {
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
            Some(p) => {
                // A plain value replaces a dated one; a dated table replaces the dates.
                p.value = param.value;
                p.dated = param.dated.clone();
            }
            None => {
                let (id, hint) = crate::formula::with_hint(
                    &param.name,
                    base.params.iter().map(|p| p.name.as_str()),
                    "formula-scenario-no-param",
                    "formula-scenario-no-param-hint",
                );
                problems.push(
                    Diagnostic::error_t(id, crate::args![name = &param.name, hint = hint])
                        .at(sources.locate(param.span))
                        .note_t("formula-scenario-no-param-note", crate::args![]),
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
    let report = &scenario.report;
    if report.title.is_some() {
        base.report.title = report.title.clone();
        base.report.title_as_written = true;
    }
    for (field, given) in [
        (&mut base.report.group_by, &report.group_by),
        (&mut base.report.compare_with, &report.compare_with),
        (&mut base.report.language, &report.language),
    ] {
        if given.is_some() {
            *field = given.clone();
        }
    }
    if report.columns.is_some() {
        base.report.columns = report.columns.clone();
    }
    for (name, label, span) in &scenario.labels {
        base.labels.retain(|(n, _, _)| n != name);
        base.labels.push((name.clone(), label.clone(), *span));
    }
    for (name, span, source) in &scenario.inputs {
        match base.inputs.iter().find(|i| &i.name == name) {
            Some(i) if i.kind == InputKind::Number => base.input_overrides.push((name.clone(), *span, source.clone())),
            Some(_) => problems.push(
                Diagnostic::error_t("formula-scenario-input-not-number", crate::args![name = name])
                    .at(sources.locate(*span)),
            ),
            None => {
                let (id, hint) = crate::formula::with_hint(
                    name,
                    base.inputs.iter().map(|i| i.name.as_str()),
                    "formula-scenario-no-input",
                    "formula-scenario-no-input-hint",
                );
                problems
                    .push(Diagnostic::error_t(id, crate::args![name = name, hint = hint]).at(sources.locate(*span)));
            }
        }
    }
    problems
}
