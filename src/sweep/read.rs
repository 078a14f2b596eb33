//! Reading a sweep file into a [`SweepSpec`], every problem at file:line:col.
//!
//! Names (grid axes, draws, units) keep where they were written, so a problem found
//! later, once the formula and data are loaded (a param the formula does not have),
//! still points into the sweep file.

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use super::{Axis, Distribution, Draw, SweepSpec};
use crate::audit::hash::sha256_hex;
use crate::diag::Sources;
use crate::error::{Error, Result};
use crate::files;
use crate::tomlspan::{self, Entry, Node, NodeKind, Reader};

/// Largest number of values a grid range may produce.
const MAX_RANGE_VALUES: usize = 1_000_000;
/// Largest number of scenarios a sweep may have (grid points times draws).
pub const MAX_SCENARIOS: usize = 100_000_000;

/// Read a sweep file. Paths in it are relative to it.
pub fn read(path: &Path) -> Result<SweepSpec> {
    read_from(path, path)
}

/// Read the sweep file named `path` from `disk` (the same file, found under another
/// folder: see `RunInputs::base`); paths in it are relative to `path`, as written.
pub fn read_from(disk: &Path, path: &Path) -> Result<SweepSpec> {
    let text = files::read_text(disk, "sweep file", files::MAX_TEXT_BYTES)?;
    let name = path.display().to_string();
    let sha256 = sha256_hex(text.as_bytes());
    let mut sources = Sources::default();
    let length = text.len() as u64;
    let file = sources.add(name, text);
    let root = tomlspan::parse(&sources, file).map_err(Error::invalid)?;
    let folder = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut reader = Reader::new(&sources, file);
    let mut spec = SweepSpec {
        file: path.to_path_buf(),
        sha256,
        bytes: length,
        name: String::new(),
        scenario: None,
        formula: None,
        data: Vec::new(),
        date: None,
        prior: None,
        units: None,
        grid: Vec::new(),
        draws: 0,
        seed: 0,
        param_draws: Vec::new(),
        input_draws: Vec::new(),
        theil: false,
    };
    spec_from(&mut reader, &root, &folder, &mut spec);
    // A param both on the grid and drawn would give two columns of one name, the grid's
    // values silently overwritten by the draws.
    for draw in &spec.param_draws {
        if let Some(axis) = spec.grid.iter().find(|a| a.name == draw.name) {
            reader.diagnostics.push(
                crate::diag::Diagnostic::error_t("sweep-grid-and-draw", crate::args![name = &draw.name])
                    .at(draw.at.clone())
                    .note_t("sweep-grid-and-draw-note", crate::args![at = location_text(&axis.at)]),
            );
        }
    }
    let points = spec
        .grid
        .iter()
        .try_fold(1usize, |n, a| n.checked_mul(a.values.len().max(1)))
        .and_then(|n| n.checked_mul(spec.draws.max(1)));
    if points.is_none_or(|n| n > MAX_SCENARIOS) {
        let span = root
            .get("grid")
            .or_else(|| root.get("montecarlo"))
            .map_or(reader.file_start(), |e| e.key_span);
        error_t(
            &mut reader,
            span,
            "sweep-too-many-scenarios",
            crate::args![limit = MAX_SCENARIOS],
        );
    }
    reader.finish(spec).map_err(Error::Invalid)
}

/// An error from the catalogues at `span`; more notes can be added to it.
fn error_t<'r>(
    r: &'r mut Reader,
    span: crate::diag::Span,
    id: &'static str,
    args: &[(&str, crate::i18n::Arg)],
) -> &'r mut crate::diag::Diagnostic {
    let diagnostic = crate::diag::Diagnostic::error_t(id, args).at(r.locate(span));
    r.diagnostics.push(diagnostic);
    let last = r.diagnostics.len() - 1;
    &mut r.diagnostics[last]
}

/// `grid axis 'name'`, as messages about an axis name it.
fn axis_label(name: &str) -> String {
    crate::tr!("sweep-label-grid-axis", name = name)
}

/// `file:line:col` of a location, for a note that points at a second place.
fn location_text(at: &crate::diag::Location) -> String {
    match at {
        crate::diag::Location::Source { file, line, column, .. } => format!("{file}:{line}:{column}"),
        other => format!("{other:?}"),
    }
}

/// Param names of a table, nested tables giving dotted names; `leaf` says which
/// tables are values rather than a level of names.
fn named<'n>(node: &'n Node, prefix: &str, out: &mut Vec<(String, &'n Entry)>, leaf: &dyn Fn(&Node) -> bool) {
    for e in node.entries().unwrap_or_default() {
        let name = format!("{prefix}{}", e.key);
        if e.value.entries().is_some() && !leaf(&e.value) {
            named(&e.value, &format!("{name}."), out, leaf);
        } else {
            out.push((name, e));
        }
    }
}

fn spec_from(r: &mut Reader, root: &Node, folder: &Path, spec: &mut SweepSpec) {
    r.check_keys(root, &["sweep", "grid", "montecarlo"], "the sweep file");
    match root.get("sweep").and_then(|e| r.table(e, "[sweep]")) {
        Some(sweep) => {
            r.check_keys(
                sweep,
                &["name", "scenario", "formula", "data", "date", "prior", "units", "theil"],
                "[sweep]",
            );
            for e in sweep.entries().unwrap_or_default() {
                match e.key.as_str() {
                    "name" => spec.name = r.string(e, "sweep.name").unwrap_or_default(),
                    "theil" => spec.theil = r.boolean(e, "sweep.theil").unwrap_or(false),
                    "scenario" => spec.scenario = r.string(e, "sweep.scenario").map(|s| folder.join(s)),
                    "formula" => {
                        // A built-in formula's name as written; a file relative to the sweep file.
                        spec.formula = r.string(e, "sweep.formula").map(|f| {
                            if crate::shipped::is_name(&f) {
                                PathBuf::from(f)
                            } else {
                                folder.join(f)
                            }
                        })
                    }
                    "data" => spec.data = r.strings(e, "sweep.data").iter().map(|d| folder.join(d)).collect(),
                    "units" => spec.units = units(r, e),
                    "date" => spec.date = r.string(e, "sweep.date"),
                    "prior" => spec.prior = r.string(e, "sweep.prior").map(|p| folder.join(p)),
                    _ => {}
                }
            }
        }
        None if root.get("sweep").is_none() => {
            let start = r.file_start();
            error_t(r, start, "sweep-no-sweep-table", crate::args![])
                .notes
                .push(crate::i18n::t("sweep-no-sweep-table-note", &[]));
        }
        None => {}
    }
    if root.get("sweep").is_some() && spec.scenario.is_none() && spec.formula.is_none() {
        let span = root.get("sweep").map_or(r.file_start(), |e| e.key_span);
        error_t(r, span, "sweep-needs-scenario", crate::args![]);
    }
    if let Some(grid) = root.get("grid").and_then(|e| r.table(e, "[grid]")) {
        let mut axes = Vec::new();
        named(grid, "", &mut axes, &|n| n.get("from").is_some());
        for (name, e) in axes {
            let before = r.diagnostics.len();
            let values = match &e.value.kind {
                NodeKind::Array(items) => items
                    .iter()
                    .filter_map(|i| r.number_node(i, &axis_label(&name)))
                    .collect(),
                NodeKind::Table(_) => range(r, e, &name),
                _ => r.number(e, &axis_label(&name)).into_iter().collect(),
            };
            if values.is_empty() {
                // A range or value already in error says why; an empty list does not.
                if r.diagnostics.len() == before {
                    error_t(r, e.value.span, "sweep-axis-no-values", crate::args![name = &name]);
                }
            } else {
                spec.grid.push(Axis {
                    name,
                    at: r.locate(e.key_span),
                    values,
                });
            }
        }
    }
    if let Some((mc_entry, mc)) = root
        .get("montecarlo")
        .and_then(|e| Some((e, r.table(e, "[montecarlo]")?)))
    {
        r.check_keys(mc, &["draws", "seed", "params", "inputs"], "[montecarlo]");
        for e in mc.entries().unwrap_or_default() {
            match e.key.as_str() {
                "draws" => {
                    spec.draws = r
                        .count(e, "montecarlo.draws", u32::MAX.into())
                        .and_then(|d| usize::try_from(d).ok())
                        .unwrap_or(0)
                }
                "seed" => spec.seed = r.count(e, "montecarlo.seed", u64::MAX).unwrap_or(0),
                "params" | "inputs" => {
                    let Some(table) = r.table(e, &format!("montecarlo.{}", e.key)) else {
                        continue;
                    };
                    let mut draws = Vec::new();
                    named(table, "", &mut draws, &|n| n.get("dist").is_some());
                    for (name, entry) in draws {
                        if let Some(draw) = draw(r, &name, entry) {
                            if e.key == "params" {
                                spec.param_draws.push(draw);
                            } else {
                                spec.input_draws.push(draw);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        if spec.draws == 0 && mc.get("draws").is_none() {
            error_t(r, mc_entry.key_span, "sweep-needs-draws", crate::args![]);
        } else if spec.draws == 0 {
            if let Some(e) = mc.get("draws") {
                error_t(r, e.value.span, "sweep-draws-zero", crate::args![]);
            }
        }
    }
}

fn units(r: &mut Reader, e: &Entry) -> Option<Vec<(String, crate::diag::Location)>> {
    match &e.value.kind {
        NodeKind::Str { value, .. } if value == "all" => Some(Vec::new()),
        NodeKind::Array(items) => Some(
            items
                .iter()
                .filter_map(|i| {
                    let key = match &i.kind {
                        NodeKind::Str { value, .. } => crate::data::table::normalize_key(value),
                        NodeKind::Number(raw) => raw.clone(),
                        _ => {
                            let found = i.kind_name();
                            error_t(r, i.span, "sweep-unit-key-not-string", crate::args![found = found]);
                            return None;
                        }
                    };
                    Some((key, r.locate(i.span)))
                })
                .collect(),
        ),
        _ => {
            error_t(r, e.value.span, "sweep-units-shape", crate::args![]);
            None
        }
    }
}

fn range(r: &mut Reader, e: &Entry, name: &str) -> Vec<Decimal> {
    r.check_keys(&e.value, &["from", "to", "step"], &axis_label(name));
    let mut get = |key: &str| e.value.get(key).and_then(|x| r.number(x, &format!("{name}.{key}")));
    let (from, to, step) = (get("from"), get("to"), get("step"));
    let (Some(from), Some(to), Some(step)) = (from, to, step) else {
        error_t(r, e.value.span, "sweep-range-incomplete", crate::args![name = name]);
        return Vec::new();
    };
    if step <= Decimal::ZERO || to < from {
        error_t(r, e.value.span, "sweep-range-backwards", crate::args![name = name]);
        return Vec::new();
    }
    if from.checked_add(step).is_none_or(|next| next == from) {
        error_t(
            r,
            e.value.span,
            "sweep-range-step-too-fine",
            crate::args![name = name, step = step.to_string(), from = from.to_string()],
        );
        return Vec::new();
    }
    let mut values = Vec::new();
    let mut value = from;
    // Exact decimal steps: 0.05 + 0.01 x 10 reaches 0.15 exactly.
    while value <= to {
        if values.len() == MAX_RANGE_VALUES {
            error_t(
                r,
                e.value.span,
                "sweep-range-too-long",
                crate::args![name = name, limit = MAX_RANGE_VALUES],
            );
            return Vec::new();
        }
        values.push(value);
        match value.checked_add(step) {
            Some(next) => value = next,
            None => break,
        }
    }
    values
}

fn draw(r: &mut Reader, name: &str, e: &Entry) -> Option<Draw> {
    r.check_keys(
        &e.value,
        &["dist", "low", "high", "mode", "mean", "sd", "round"],
        &crate::tr!("sweep-label-draw", name = name),
    );
    let dist = match e.value.get("dist") {
        Some(d) => r.string(d, &format!("{name}.dist")),
        None => None,
    };
    let mut get = |key: &str| match e.value.get(key) {
        Some(x) => r.number(x, &format!("{name}.{key}")),
        None => {
            error_t(
                r,
                e.value.span,
                "sweep-draw-needs",
                crate::args![name = name, key = key],
            );
            None
        }
    };
    let distribution = match dist.as_deref() {
        Some("uniform") => {
            let (low, high) = (get("low"), get("high"));
            Distribution::Uniform { low: low?, high: high? }
        }
        Some("normal") => {
            let (mean, sd) = (get("mean"), get("sd"));
            Distribution::Normal { mean: mean?, sd: sd? }
        }
        Some("triangular") => {
            let (low, mode, high) = (get("low"), get("mode"), get("high"));
            Distribution::Triangular {
                low: low?,
                mode: mode?,
                high: high?,
            }
        }
        other => {
            let span = e.value.get("dist").map_or(e.value.span, |d| d.value.span);
            error_t(
                r,
                span,
                "sweep-draw-unknown-distribution",
                crate::args![name = name, distribution = other.unwrap_or("")],
            );
            return None;
        }
    };
    let problem = match &distribution {
        Distribution::Uniform { low, high } if low > high => Some("sweep-draw-uniform-order"),
        Distribution::Normal { sd, .. } if sd.is_sign_negative() => Some("sweep-draw-normal-sd"),
        Distribution::Triangular { low, mode, high } if !(low <= mode && mode <= high && low < high) => {
            Some("sweep-draw-triangular-order")
        }
        _ => None,
    };
    if let Some(problem) = problem {
        error_t(r, e.value.span, problem, crate::args![name = name]);
        return None;
    }

    let round = match e.value.get("round") {
        Some(x) => Some(r.number(x, &format!("{name}.round"))?),
        None => None,
    };
    Some(Draw {
        name: name.to_string(),
        at: r.locate(e.key_span),
        distribution,
        round,
    })
}
