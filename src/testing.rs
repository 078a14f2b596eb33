//! Formula tests: cases written beside a formula, checked with `equalize test`.
//!
//! Like OpenFisca's YAML tests, a test file lets a formula's author check a rule on a
//! few units without writing code: the units' inputs, param overrides, and the values
//! expected for chosen vars, stages and totals (and a stage's solved k). Expected
//! values come from hand computation or a published source, never from a previous
//! run. A failure shows what was expected, what came out, and the var's derivation.
//!
//! ```toml
//! formula = "cn-equalization.toml"        # relative to this file
//!
//! [[case]]
//! name = "the pool is shared by gap"
//! set = { pool = "100" }                  # param overrides (optional)
//! tolerance = "0.000001"                  # optional; exact when absent
//! relative_tolerance = "0.000000001"      # optional: or within this fraction of the expected value
//! [[case.unit]]
//! county_code = "A"
//! need = "50"
//! eligible = true                          # a var set by the case: replaces its expression
//! [case.expect.A]                         # unit key -> name -> expected value
//! gap = "30"
//! [case.k]                                # stage -> expected k (optional)
//! grant = "0.625"
//! ```

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::audit::values::Values;
use crate::data::table::{parse_cell, Cell, CellValue};
use crate::data::{Column, Dataset};
use crate::diag::{FileId, Sources, Span};
use crate::engine;
use crate::error::{Error, Result};
use crate::formula::program::InputKind;
use crate::formula::{self, Formula};
use crate::money;
use crate::pipeline::Override;
use crate::tomlspan::{self, Node, NodeKind, Reader};

/// One expected value.
struct Expectation {
    unit: String,
    name: String,
    value: String,
    span: Span,
}

struct Case {
    name: String,
    set: Vec<Override>,
    tolerance: Decimal,
    /// A value also passes within this fraction of the expected value (0: not used).
    relative_tolerance: Decimal,
    /// Each unit's fields as written: (name, value, where).
    units: Vec<Vec<(String, String, Span)>>,
    expect: Vec<Expectation>,
    k: Vec<(String, String, Span)>,
}

/// The outcome of one test file.
pub struct FileReport {
    pub text: String,
    pub passed: usize,
    pub failed: usize,
}

/// Text of a TOML scalar as written (strings without quotes).
fn scalar(node: &Node) -> Option<String> {
    match &node.kind {
        NodeKind::Str { value, .. } => Some(value.clone()),
        NodeKind::Number(raw) => Some(raw.replace('_', "")),
        NodeKind::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Run every case of a test file.
pub fn run_file(path: &Path) -> Result<FileReport> {
    let mut sources = Sources::default();
    let text = crate::files::read_text(
        path,
        &crate::tr!("formula-what-test-file"),
        crate::files::MAX_TEXT_BYTES,
    )?;
    let file = sources.add(path.display().to_string(), text);
    let (formula_path, cases) = read(&sources, file, path)?;
    let formula_text = crate::files::read_text(
        &formula_path,
        &crate::tr!("formula-what-formula-file"),
        crate::files::MAX_TEXT_BYTES,
    )?;
    let formula_id = sources.add(formula_path.display().to_string(), formula_text);
    let formula = formula::load(&sources, formula_id)?;

    let mut report = FileReport {
        text: format!("{} ({})\n", path.display(), formula_path.display()),
        passed: 0,
        failed: 0,
    };
    for case in &cases {
        match run_case(&formula, case, &sources) {
            Ok(failures) if failures.is_empty() => {
                report.passed += 1;
                let checks = case.expect.len() + case.k.len();
                let line = crate::tr!("formula-test-ok", name = &case.name, checks = checks);
                report.text.push_str(&format!("  {line}\n"));
            }
            Ok(failures) => {
                report.failed += 1;
                let line = crate::tr!("formula-test-fail", name = &case.name);
                report.text.push_str(&format!("  {line}\n"));
                for line in failures {
                    report.text.push_str(&format!("        {line}\n"));
                }
            }
            Err(e) => {
                report.failed += 1;
                let line = crate::tr!("formula-test-fail", name = &case.name);
                report.text.push_str(&format!("  {line}\n"));
                for line in e.to_string().lines() {
                    report.text.push_str(&format!("        {line}\n"));
                }
            }
        }
    }
    Ok(report)
}

const CASE_KEYS: &[&str] = &["name", "set", "tolerance", "relative_tolerance", "unit", "expect", "k"];

fn read(sources: &Sources, file: FileId, path: &Path) -> Result<(PathBuf, Vec<Case>)> {
    let root = tomlspan::parse(sources, file).map_err(Error::invalid)?;
    let mut r = Reader::new(sources, file);
    r.check_keys(&root, &["formula", "case"], &crate::tr!("formula-what-the-test-file"));
    let folder = path.parent().unwrap_or(Path::new("."));
    let formula = match root.get("formula").and_then(|e| r.string(e, "formula")) {
        Some(f) => folder.join(f),
        None => {
            // Default: the formula of the same name (x.test.toml tests x.toml).
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().replace(".test.toml", ".toml"))
                .unwrap_or_default();
            folder.join(name)
        }
    };
    let mut cases = Vec::new();
    let items = match root.get("case") {
        Some(entry) => r.tables(entry, "[[case]]"),
        None => {
            let start = r.file_start();
            r.error_t(start, "formula-test-no-cases", crate::args![])
                .notes
                .push(crate::tr!("formula-test-no-cases-note"));
            Vec::new()
        }
    };
    for (index, item) in items.into_iter().enumerate() {
        r.check_keys(item, CASE_KEYS, &crate::tr!("formula-what-test-case"));
        let name = match item.get("name") {
            Some(e) => r.string(e, &crate::tr!("formula-what-case-name")).unwrap_or_default(),
            None => crate::tr!("formula-test-case-default", number = index + 1),
        };
        let mut case = Case {
            name,
            set: Vec::new(),
            tolerance: Decimal::ZERO,
            relative_tolerance: Decimal::ZERO,
            units: Vec::new(),
            expect: Vec::new(),
            k: Vec::new(),
        };
        for entry in item.entries().unwrap_or_default() {
            match entry.key.as_str() {
                "tolerance" => case.tolerance = r.number(entry, "tolerance").unwrap_or_default(),
                "relative_tolerance" => {
                    case.relative_tolerance = r.number(entry, "relative_tolerance").unwrap_or_default()
                }
                "set" => {
                    let Some(table) = r.table(entry, "set") else { continue };
                    let mut named = Vec::new();
                    dotted(table, "", &mut named);
                    for (param, e) in named {
                        match scalar(&e.value) {
                            Some(value) => case.set.push(Override {
                                name: param,
                                value,
                                origin: Some(r.locate(e.key_span)),
                                malformed: false,
                            }),
                            None => {
                                r.error_t(e.value.span, "formula-test-param-number", crate::args![name = &param]);
                            }
                        }
                    }
                }
                "unit" => {
                    for unit in r.tables(entry, "[[case.unit]]") {
                        let mut fields = Vec::new();
                        for e in unit.entries().unwrap_or_default() {
                            match scalar(&e.value) {
                                Some(v) => fields.push((e.key.clone(), v, e.key_span)),
                                None => {
                                    let found = e.value.kind_name();
                                    r.error_t(
                                        e.value.span,
                                        "formula-test-unit-field",
                                        crate::args![field = &e.key, found = found],
                                    );
                                }
                            }
                        }
                        case.units.push(fields);
                    }
                }
                "expect" => {
                    let Some(table) = r.table(entry, "expect") else {
                        continue;
                    };
                    for unit in table.entries().unwrap_or_default() {
                        let Some(values) = r.table(unit, &format!("expect.{}", unit.key)) else {
                            continue;
                        };
                        for e in values.entries().unwrap_or_default() {
                            match scalar(&e.value) {
                                Some(value) => case.expect.push(Expectation {
                                    unit: unit.key.clone(),
                                    name: e.key.clone(),
                                    value,
                                    span: e.value.span,
                                }),
                                None => {
                                    r.error_t(e.value.span, "formula-test-expected-value", crate::args![]);
                                }
                            }
                        }
                    }
                }
                "k" => {
                    let Some(table) = r.table(entry, "k") else { continue };
                    for e in table.entries().unwrap_or_default() {
                        match scalar(&e.value) {
                            Some(v) => case.k.push((e.key.clone(), v, e.value.span)),
                            None => {
                                r.error_t(e.value.span, "formula-test-expected-k", crate::args![]);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        if case.expect.is_empty() && case.k.is_empty() {
            r.error_t(
                item.span,
                "formula-test-checks-nothing",
                crate::args![name = &case.name],
            )
            .notes
            .push(crate::tr!("formula-test-checks-nothing-note"));
        }
        cases.push(case);
    }
    r.finish((formula, cases)).map_err(Error::Invalid)
}

/// Dotted param names (`per_capita.health`) from nested tables.
fn dotted<'n>(node: &'n Node, prefix: &str, out: &mut Vec<(String, &'n tomlspan::Entry)>) {
    for e in node.entries().unwrap_or_default() {
        let name = format!("{prefix}{}", e.key);
        if e.value.entries().is_some() {
            dotted(&e.value, &format!("{name}."), out);
        } else {
            out.push((name, e));
        }
    }
}

/// Build the case's units into a dataset, run the formula, compare. Returns the failures.
fn run_case(formula: &Formula, case: &Case, sources: &Sources) -> Result<Vec<String>> {
    // A failure with the line of the test file it comes from, when known.
    let at_line = |span: Span, message: String| match sources.locate(span) {
        crate::diag::Location::Source { line, .. } => {
            crate::tr!("formula-test-at-line", line = line, message = message)
        }
        _ => message,
    };
    // A field a unit gives must be the key, the label column, an input (or one of its data
    // column names) or a var the case sets; anything else is a mistake that would otherwise
    // fall back to a default and show up only as a wrong value.
    let mut known: Vec<&str> = vec![formula.key.as_str()];
    known.extend(formula.label.as_deref());
    for input in &formula.inputs {
        known.push(&input.name);
        known.extend(input.aliases.iter().map(String::as_str));
    }
    known.extend(formula.vars.iter().map(|v| v.name.as_str()));
    let mut unknown = Vec::new();
    for (n, unit) in case.units.iter().enumerate() {
        for (field, _, span) in unit {
            if !known.contains(&field.as_str()) {
                let (id, hint) = crate::formula::with_hint(
                    field,
                    known.iter().copied(),
                    "formula-test-unknown-field",
                    "formula-test-unknown-field-hint",
                );
                let message = crate::tr!(id, unit = n + 1, field = field, hint = hint);
                unknown.push(at_line(*span, message));
            }
        }
    }
    if !unknown.is_empty() {
        return Ok(unknown);
    }
    // Vars a case sets (`eligible = true`) replace the var's expression for this case: the
    // var reads a column of the units' values, so a rule can be tested one step at a time.
    let mut formula = formula.clone();
    let mut problems = Vec::new();
    let set_vars: Vec<usize> = (0..formula.vars.len())
        .filter(|&v| {
            case.units
                .iter()
                .any(|u| u.iter().any(|(f, _, _)| *f == formula.vars[v].name))
        })
        .collect();
    for &v in &set_vars {
        let name = formula.vars[v].name.clone();
        let kind = match formula.vars[v].expr {
            crate::formula::program::VarExpr::Num(_) => InputKind::Number,
            crate::formula::program::VarExpr::Cond(_) => InputKind::Bool,
        };
        for (n, unit) in case.units.iter().enumerate() {
            if !unit.iter().any(|(f, _, _)| *f == name) {
                problems.push(crate::tr!("formula-test-var-not-set", unit = n + 1, name = &name));
            }
        }
        let index = formula.inputs.len();
        formula.inputs.push(crate::formula::spec::InputSpec::new(
            name.clone(),
            Span::new(0, 0, 0),
            kind,
        ));
        formula.vars[v].expr = match kind {
            InputKind::Bool => crate::formula::program::VarExpr::Cond(crate::formula::program::Cond::Input(index)),
            _ => crate::formula::program::VarExpr::Num(crate::formula::program::Num::Input(index)),
        };
        formula.vars[v].source = crate::tr!("formula-test-set-by-case");
    }
    if !problems.is_empty() {
        return Ok(problems);
    }
    let formula = &formula;
    let mut keys = Vec::new();
    let mut labels = formula.label.as_ref().map(|_| Vec::new());
    let mut columns: Vec<Column> = formula
        .inputs
        .iter()
        .map(|i| match i.kind {
            InputKind::Number => Column::Num(Vec::new()),
            InputKind::Bool => Column::Bool(Vec::new()),
            InputKind::Text => Column::Text(crate::data::Texts::new()),
        })
        .collect();
    for (n, unit) in case.units.iter().enumerate() {
        let get = |name: &str| unit.iter().find(|(k, _, _)| k == name).map(|(_, v, _)| v.as_str());
        let key = get(&formula.key)
            .map(str::to_string)
            .unwrap_or_else(|| format!("unit{}", n + 1));
        if let (Some(labels), Some(label)) = (labels.as_mut(), formula.label.as_ref()) {
            labels.push(get(label).unwrap_or_default().to_string());
        }
        for (input, column) in formula.inputs.iter().zip(columns.iter_mut()) {
            let raw = get(&input.name).or_else(|| input.aliases.iter().find_map(|a| get(a)));
            let value = raw.map_or(CellValue::Empty, CellValue::Text);
            match (parse_cell(input, value, formula), column) {
                (Ok(Cell::Num(v)), Column::Num(c)) => c.push(v),
                (Ok(Cell::Bool(v)), Column::Bool(c)) => c.push(v),
                (Ok(Cell::Text(v)), Column::Text(c)) => c.push(&v),
                (Err(p), _) => problems.push(crate::tr!(
                    "formula-test-input-problem",
                    unit = &key,
                    input = &input.name,
                    problem = &p.message
                )),
                _ => problems.push(crate::tr!(
                    "formula-test-input-unreadable",
                    unit = &key,
                    input = &input.name
                )),
            }
        }
        keys.push(key);
    }
    if !problems.is_empty() {
        return Ok(problems);
    }
    let mut data = Dataset {
        origin: crate::tr!("formula-test-case-origin", name = &case.name),
        name: String::new(),
        provenance: String::new(),
        files: Vec::new(),
        input_files: Vec::new(),
        table_rows: Vec::new(),
        input_cells: Vec::new(),
        left_out: Vec::new(),
        keys: keys.into_iter().collect(),
        labels: labels.map(|l| l.into_iter().collect()),
        columns,
    };
    data.sort_by_key();
    let params = crate::pipeline::apply_overrides(formula, &case.set)?;
    let result = engine::compute(formula, &data, &params, sources)?;
    let values = Values::new(formula, &data, &result);
    let mut failures = Vec::new();
    let within = |actual: Decimal, expected: Decimal| {
        let off = (actual - expected).abs();
        off <= case.tolerance || (!case.relative_tolerance.is_zero() && off <= case.relative_tolerance * expected.abs())
    };
    for e in &case.expect {
        let Some(row) = values.row_of(&e.unit) else {
            failures.push(at_line(e.span, crate::tr!("formula-test-no-unit", unit = &e.unit)));
            continue;
        };
        let Some(named) = values.find(&e.name) else {
            failures.push(at_line(e.span, crate::tr!("formula-test-no-name", name = &e.name)));
            continue;
        };
        let got = values.text(named, row);
        let ok = match (money::parse_decimal(&e.value), values.number(named, row)) {
            (Ok(expected), Some(actual)) => within(actual, expected),
            _ => got == e.value,
        };
        if !ok {
            let message = crate::tr!(
                "formula-test-expected-got",
                unit = &e.unit,
                name = &e.name,
                expected = &e.value,
                got = &got
            );
            failures.push(at_line(e.span, message));
            for line in values.derivation(named, row) {
                failures.push(format!("  {line}"));
            }
        }
    }
    for (stage, expected, span) in &case.k {
        let Some(index) = formula.stages.iter().position(|s| &s.name == stage) else {
            failures.push(at_line(*span, crate::tr!("formula-test-no-stage", stage = stage)));
            continue;
        };
        let got = result.stages[index].k;
        match money::parse_decimal(expected) {
            Ok(e) if within(got, e) => {}
            _ => failures.push(at_line(
                *span,
                crate::tr!(
                    "formula-test-k-expected-got",
                    stage = stage,
                    expected = expected,
                    got = money::format_plain(got)
                ),
            )),
        }
    }
    Ok(failures)
}
