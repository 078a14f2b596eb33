//! Reading what [`RunInputs`] names: the formula (a file, a shipped one, or the demo),
//! a scenario over it, the data, and the params after overrides.
//!
//! Paths are taken as given (relative to the process's folder); callers that need
//! another base, like `verify --inputs`, move the paths before calling, never the
//! process's working directory.

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use super::inputs::{Override, RunInputs, DEMO_DATA};
use crate::audit::hash::sha256_hex;
use crate::data::{self, DataRequest, DataSource, Dataset, RecordedKind};
use crate::diag::{Diagnostic, Sources};
use crate::engine;
use crate::error::{Error, Result};
use crate::files;
use crate::formula::{self, Formula};
use crate::money;
use crate::shipped;

/// A formula, its data and the params to run with.
pub struct Loaded {
    pub sources: Sources,
    pub formula: Formula,
    pub data: Dataset,
    pub params: Vec<Decimal>,
    /// Suspicious but acceptable things found in the data.
    pub warnings: Vec<Diagnostic>,
    /// The formula file's text hash and size, for the manifest.
    pub formula_sha256: String,
    pub formula_bytes: u64,
    /// The short name of the built-in formula run (given by name, or the demo), if it was one.
    pub formula_builtin: Option<String>,
    /// The scenario file applied, if any: its name, display path, hash and size.
    pub scenario: Option<ScenarioFile>,
    /// The sweep file, for one scenario of a sweep (its `name` is the scenario's index).
    pub sweep: Option<ScenarioFile>,
    /// The prior run `prior(name)` read (`--prior`).
    pub prior: Option<super::prior::PriorRecord>,
}

#[derive(Debug, Clone)]
pub struct ScenarioFile {
    pub name: String,
    /// The scenario's description (empty for a sweep's scenario).
    pub description: String,
    pub file: String,
    pub sha256: String,
    pub bytes: u64,
}

/// Load the formula, scenario and data `inputs` names, with the params after overrides.
pub fn load(inputs: &RunInputs) -> Result<Loaded> {
    if let Some((file, index)) = &inputs.sweep {
        return load_sweep_scenario(inputs, file, *index);
    }
    let mut sources = Sources::default();
    let scenario = match &inputs.scenario {
        None => None,
        Some(path) => Some(read_scenario(&mut sources, path, inputs)?),
    };
    let inputs = match &scenario {
        Some(s) => &s.inputs,
        None => inputs,
    };
    let shipped = match &inputs.formula {
        None => Some(shipped::DEMO),
        Some(p) if shipped::is_name(&p.to_string_lossy()) => {
            Some(shipped::builtin(&p.to_string_lossy()).map_err(|d| Error::Usage(vec![d]))?)
        }
        Some(_) => None,
    };
    let formula_id = match (&inputs.formula, shipped) {
        (_, Some(found)) => {
            let name = found.display_name();
            inputs.check_recorded(&name, RecordedKind::Builtin)?;
            sources.add(name, found.text.to_string())
        }
        (Some(path), None) => {
            let name = path.display().to_string();
            inputs.check_recorded(&name, RecordedKind::Disk)?;
            let text = files::read_text(&inputs.on_disk(path), "formula file", files::MAX_TEXT_BYTES)?;
            sources.add(name, text)
        }
        (None, None) => return Err(Error::Internal("no formula".into())),
    };
    let (mut layer, layer_problems) = match &scenario {
        Some(s) => (s.spec.clone(), s.problems.clone()),
        None => (formula::spec::ScenarioSpec::none(), Vec::new()),
    };
    if inputs.report.title.as_deref().is_some_and(|t| t.trim().is_empty()) {
        return Err(Error::usage_t("pipeline-title-empty", crate::args![]));
    }
    inputs.report.apply(&mut layer, &mut sources);
    let mut formula = formula::load_with_scenario(&sources, formula_id, &layer, layer_problems)?;
    if let Some(date) = &inputs.date {
        let date = crate::civil::parse_date(date)
            .map_err(|m| Error::usage_t("pipeline-date-option", crate::args![problem = m]))?;
        formula.date = Some(date);
    }
    let formula_text = sources.get(formula_id).text.as_bytes();
    let (formula_sha256, formula_bytes) = (sha256_hex(formula_text), formula_text.len() as u64);
    let params = apply_overrides(&formula, &inputs.overrides)?;
    let data_sources: Vec<DataSource> = match (inputs.data.is_empty() && inputs.tables.is_empty(), &inputs.formula) {
        (false, _) => inputs
            .data
            .iter()
            .cloned()
            .map(DataSource::Path)
            .chain(inputs.tables.iter().map(|(name, bytes)| DataSource::Bytes {
                name: name.clone(),
                bytes: bytes.clone(),
            }))
            .collect(),
        (true, None) => vec![DEMO_DATA],
        (true, Some(path)) => match shipped {
            // (A built-in formula named by the user.)
            // A shipped formula runs on its own dataset when it is at hand.
            Some(found) if found.short == "demo" => vec![DEMO_DATA],
            Some(found) if inputs.on_disk(Path::new(found.data)).exists() => {
                vec![DataSource::Path(found.data.into())]
            }
            Some(found) => {
                return Err(Error::usage_t(
                    "pipeline-data-required-builtin",
                    crate::args![formula = found.path, data = found.data],
                ))
            }
            None => {
                return Err(Error::usage_t(
                    "pipeline-data-required",
                    crate::args![formula = path.display().to_string()],
                ))
            }
        },
    };
    let request = DataRequest {
        sources: data_sources,
        sheet: inputs.sheet.clone(),
        encoding: inputs.encoding,
        allow_outside: inputs.allow_outside,
        filter: inputs.filter.clone(),
        base: inputs.base.clone(),
        recorded: inputs.recorded.clone(),
    };
    let mut loaded = data::load(&mut sources, &request, &formula)?;
    let prior = match (&inputs.prior, super::prior::wanted(&formula)) {
        (None, false) => None,
        (Some(folder), true) => {
            let run = super::prior::open(folder, &inputs.on_disk(folder))?;
            super::prior::attach(&formula, &mut loaded.dataset, &run)?;
            Some(run.record)
        }
        (None, true) if super::prior::every_unit_may_be_new(&formula) => {
            // A chain's first year: every unit is new and takes its default.
            loaded.warnings.push(
                Diagnostic::warning_t("pipeline-prior-not-given", crate::args![formula = &formula.origin])
                    .note_t("pipeline-prior-not-given-note", crate::args![]),
            );
            None
        }
        (None, true) => {
            return Err(Error::usage_t(
                "pipeline-prior-required",
                crate::args![formula = &formula.origin],
            ))
        }
        (Some(folder), false) => {
            return Err(Error::usage_t(
                "pipeline-prior-unused",
                crate::args![folder = folder.display().to_string(), formula = &formula.origin],
            ))
        }
    };
    engine::transform_inputs(&formula, &mut loaded.dataset, &params, &sources)?;
    Ok(Loaded {
        sources,
        formula,
        data: loaded.dataset,
        params,
        warnings: loaded.warnings,
        formula_sha256,
        formula_bytes,
        formula_builtin: shipped.map(|s| s.short.to_string()),
        scenario: scenario.map(|s| s.file),
        sweep: None,
        prior,
    })
}

/// Scenario `index` of a sweep file: its base loaded, its grid values and draws applied.
fn load_sweep_scenario(inputs: &RunInputs, file: &Path, index: usize) -> Result<Loaded> {
    if inputs.formula.is_some()
        || !inputs.data.is_empty()
        || inputs.scenario.is_some()
        || !inputs.overrides.is_empty()
        || inputs.date.is_some()
        || inputs.prior.is_some()
    {
        return Err(Error::usage_t("pipeline-sweep-scenario-alone", crate::args![]));
    }
    let name = file.display().to_string();
    inputs.check_recorded(&name, RecordedKind::Disk)?;
    let spec = crate::sweep::read_from(&inputs.on_disk(file), file)?;
    let total = spec.scenarios();
    if index >= total {
        return Err(Error::usage_t(
            "pipeline-sweep-no-scenario",
            crate::args![file = &name, last = total.saturating_sub(1), index = index],
        ));
    }
    let base = RunInputs {
        scenario: spec.scenario.clone(),
        formula: spec.formula.clone(),
        data: spec.data.clone(),
        date: spec.date.clone(),
        prior: spec.prior.clone(),
        sweep: None,
        ..inputs.clone()
    };
    let mut loaded = load(&base)?;
    let plan = crate::sweep::Plan::new(&spec, &loaded)?;
    let scenario = plan.materialize(index, &loaded);
    if let Some(failure) = scenario.failure {
        return Err(Error::invalid(
            Diagnostic::error_t(
                "pipeline-sweep-scenario-failed",
                crate::args![index = index, problem = failure],
            )
            .at_file(&name),
        ));
    }
    loaded.params = scenario.params;
    if let Some(data) = scenario.data {
        loaded.data = data;
    }
    loaded.sweep = Some(ScenarioFile {
        name: index.to_string(),
        description: String::new(),
        file: name,
        sha256: spec.sha256.clone(),
        bytes: spec.bytes,
    });
    Ok(loaded)
}

/// A scenario read and resolved: the inputs it stands for, its overrides, its problems.
struct Scenario {
    inputs: RunInputs,
    spec: formula::spec::ScenarioSpec,
    problems: Vec<Diagnostic>,
    file: ScenarioFile,
}

/// Read a scenario file; its formula and data paths are relative to it.
fn read_scenario(sources: &mut Sources, path: &Path, inputs: &RunInputs) -> Result<Scenario> {
    if inputs.formula.is_some() || !inputs.data.is_empty() {
        return Err(Error::usage_t("pipeline-scenario-with-formula", crate::args![]));
    }
    let name = path.display().to_string();
    inputs.check_recorded(&name, RecordedKind::Disk)?;
    let text = files::read_text(&inputs.on_disk(path), "scenario file", files::MAX_TEXT_BYTES)?;
    let file = ScenarioFile {
        name: String::new(),
        description: String::new(),
        file: name.clone(),
        sha256: sha256_hex(text.as_bytes()),
        bytes: text.len() as u64,
    };
    let id = sources.add(name.clone(), text);
    let (spec, problems) = formula::spec::read_scenario(sources, id).map_err(Error::Invalid)?;
    let folder = path.parent().unwrap_or(Path::new(""));
    let formula = match &spec.formula {
        Some((f, span)) if shipped::is_name(f) => match shipped::builtin(f) {
            Ok(_) => Some(PathBuf::from(f)),
            Err(message) => return Err(Error::invalid(message.at(sources.locate(*span)))),
        },
        Some((f, _)) if inputs.on_disk(&folder.join(f)).is_file() => Some(folder.join(f)),
        Some((f, span)) => {
            return Err(Error::invalid(
                Diagnostic::error_t("pipeline-scenario-formula-missing", crate::args![formula = f])
                    .at(sources.locate(*span)),
            ))
        }
        None => {
            return Err(Error::invalid(
                Diagnostic::error_t("pipeline-scenario-no-formula", crate::args![])
                    .at_file(&name)
                    .note_t("pipeline-scenario-no-formula-note", crate::args![]),
            ))
        }
    };
    let resolved = RunInputs {
        scenario: None,
        formula,
        data: spec.data.iter().map(|d| folder.join(d)).collect(),
        ..inputs.clone()
    };
    let display = if spec.name.is_empty() {
        name.clone()
    } else {
        spec.name.clone()
    };
    let description = spec.description.clone();
    Ok(Scenario {
        inputs: resolved,
        spec,
        problems,
        file: ScenarioFile {
            name: display,
            description,
            ..file
        },
    })
}

/// The formula's params with every override applied; all problems reported together,
/// each where its override was written (a test file) or as a `--set` problem.
pub fn apply_overrides(formula: &Formula, overrides: &[Override]) -> Result<Vec<Decimal>> {
    let set: Vec<&str> = overrides.iter().map(|o| o.name.as_str()).collect();
    let (mut params, mut problems) = match formula.params_at(formula.date.as_deref()) {
        Ok(values) => (values, Vec::new()),
        Err(messages) => (
            formula.params.iter().map(|p| p.value).collect(),
            messages
                .into_iter()
                // A dated param set for the run needs no date.
                .filter(|(i, _)| !set.contains(&formula.params[*i].name.as_str()))
                .map(|(_, m)| Diagnostic::error(m).at_file(&formula.origin))
                .collect(),
        ),
    };
    let mut seen: Vec<&Override> = Vec::new();
    for item in overrides {
        if let Some(first) = seen.iter().find(|o| o.name == item.name && !item.malformed) {
            let d = Diagnostic::error_t(
                "pipeline-param-set-twice",
                crate::args![name = &item.name, first = &first.value, second = &item.value],
            );
            problems.push(match &item.origin {
                Some(location) => d.at(location.clone()),
                None => d,
            });
            continue;
        }
        seen.push(item);
        let at = |d: Diagnostic| match &item.origin {
            Some(location) => d.at(location.clone()),
            None => d,
        };
        if item.malformed {
            problems.push(at(Diagnostic::error_t(
                "pipeline-set-malformed",
                crate::args![text = &item.name],
            )));
            continue;
        }
        let prefix = match &item.origin {
            Some(_) => crate::tr!("pipeline-param-label", name = &item.name),
            None => format!("--set {}", item.to_text()),
        };
        let Some(index) = formula.param_index(&item.name) else {
            let hint = crate::diag::did_you_mean(&item.name, formula.params.iter().map(|p| p.name.as_str()));
            problems.push(at(match hint {
                Some(hint) => Diagnostic::error_t(
                    "pipeline-param-unknown-hint",
                    crate::args![setting = &prefix, name = &item.name, hint = hint],
                ),
                None => Diagnostic::error_t(
                    "pipeline-param-unknown",
                    crate::args![setting = &prefix, name = &item.name],
                ),
            }));
            continue;
        };
        match money::parse_decimal(&item.value) {
            Ok(v) => params[index] = v,
            Err(money::NumberError::Empty) => problems.push(at(Diagnostic::error_t(
                "pipeline-param-empty",
                crate::args![setting = &prefix],
            ))),
            Err(e) => problems.push(at(Diagnostic::error_t(
                "pipeline-param-not-a-number",
                crate::args![setting = &prefix, value = &item.value, problem = e.describe()],
            )
            .note_t("pipeline-param-not-a-number-note", crate::args![]))),
        }
    }
    match (problems.is_empty(), overrides.iter().any(|o| o.origin.is_some())) {
        (true, _) => Ok(params),
        (false, true) => Err(Error::Invalid(problems)),
        (false, false) => Err(Error::Usage(problems)),
    }
}
