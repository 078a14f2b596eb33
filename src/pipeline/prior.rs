//! `--prior DIR`: last year's run, the source of `prior(name)` (see `formula::prior`).
//!
//! The folder must be a run as `equalize run` wrote it: its manifest is read and every
//! output it lists is hashed and compared first, so a prior run edited after it was
//! written is refused before any of its values is used. Values are read from its
//! audit.csv (every input, var, stage and total of every unit, exactly as computed, in
//! that run's formula unit) and joined on the key. The manifest of the new run records
//! the prior manifest's SHA-256, so a chain of years can be verified end to end.

use std::collections::HashMap;
use std::path::Path;

use rust_decimal::Decimal;

use crate::audit::hash::{sha256_file, sha256_hex};
pub use crate::audit::manifest::PriorRecord;
use crate::data::{CellCite, Column, Dataset};
use crate::diag::{did_you_mean, Diagnostic};

use crate::error::{Error, Result};
use crate::files;
use crate::formula::spec::PriorColumn;
use crate::formula::Formula;

/// Units listed in a message before the rest are counted.
const UNITS_LISTED: usize = 20;

/// A prior run's folder, checked against its manifest.
#[derive(Debug)]
pub struct PriorRun {
    pub record: PriorRecord,
    /// `DIR/audit.csv`, as messages and explain cite it.
    audit_name: String,
    /// The audit's column names.
    header: Vec<String>,
    /// Each unit's line in audit.csv and its cells, by key.
    units: HashMap<String, (u32, Vec<String>)>,
    /// The money unit of its formula (summary.json's `formula_unit`): audit.csv's amounts are in it.
    formula_unit: Option<String>,
}

/// Open `folder` (as written; read from `on_disk`) and check every output against its manifest.
pub fn open(folder: &Path, on_disk: &Path) -> Result<PriorRun> {
    let name = folder.display().to_string();
    let manifest = super::verify::read_manifest(on_disk).map_err(|e| {
        let why = e.diagnostics().first().map_or(String::new(), |d| d.message.clone());
        Error::usage_t("pipeline-prior-folder", crate::args![folder = &name, problem = why])
    })?;
    let manifest_path = on_disk.join(super::OutputKind::Manifest.file_name());
    let manifest_bytes = files::read_regular(&manifest_path, "manifest", files::MAX_TEXT_BYTES)?;
    let mut problems = Vec::new();
    for (file, recorded) in &manifest.outputs {
        match sha256_file(&on_disk.join(file)) {
            Ok(hash) if &hash == recorded => {}
            Ok(hash) => problems.push(
                Diagnostic::error_t(
                    "pipeline-prior-output-changed",
                    crate::args![folder = &name, file = file, recorded = recorded, now = hash],
                )
                .note_t("pipeline-prior-output-changed-note", crate::args![]),
            ),
            Err(e) => problems.push(Diagnostic::error_t(
                "pipeline-prior-output-unreadable",
                crate::args![folder = &name, file = file, problem = e.to_string()],
            )),
        }
    }
    let audit_file = super::OutputKind::Audit.file_name();
    if !manifest.outputs.contains_key(audit_file) {
        problems.push(Diagnostic::error_t(
            "pipeline-prior-no-audit",
            crate::args![folder = &name, file = audit_file],
        ));
    }
    if !problems.is_empty() {
        return Err(Error::Usage(problems));
    }
    let summary = files::read_regular(
        &on_disk.join(super::OutputKind::Summary.file_name()),
        "prior run's summary",
        files::MAX_TEXT_BYTES,
    )?;
    let formula_unit = serde_json::from_slice::<serde_json::Value>(&summary)
        .ok()
        .and_then(|s| s.get("formula_unit").and_then(|u| u.as_str()).map(String::from));
    let bytes = files::read_regular(&on_disk.join(audit_file), "prior run's audit", files::MAX_DATA_BYTES)?;
    let audit_name = format!("{name}/{audit_file}");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.as_slice());
    let mut records = reader.records();
    let fail = |e: csv::Error| {
        Error::usage_t(
            "pipeline-prior-audit-not-csv",
            crate::args![file = &audit_name, problem = e.to_string()],
        )
    };
    let header: Vec<String> = match records.next() {
        Some(r) => r.map_err(fail)?.iter().map(String::from).collect(),
        None => {
            return Err(Error::usage_t(
                "pipeline-prior-audit-empty",
                crate::args![file = &audit_name],
            ))
        }
    };
    if manifest.inputs.csv_labels {
        records.next(); // the labels row
    }
    let mut units = HashMap::new();
    for record in records {
        let record = record.map_err(fail)?;
        let line = record.position().map_or(0, |p| p.line()) as u32;
        let mut cells = record.iter().map(String::from);
        if let Some(key) = cells.next() {
            units.insert(key, (line, cells.collect()));
        }
    }
    Ok(PriorRun {
        record: PriorRecord {
            folder: name,
            manifest_sha256: sha256_hex(&manifest_bytes),
        },
        audit_name,
        header,
        units,
        formula_unit,
    })
}

/// Whether the formula reads a prior run.
pub fn wanted(formula: &Formula) -> bool {
    formula.inputs.iter().any(|i| i.prior.is_some())
}

/// Whether every `prior(...)` of the formula has a default, so a run without a prior
/// run (a chain's first year) can take the defaults.
pub fn every_unit_may_be_new(formula: &Formula) -> bool {
    formula
        .inputs
        .iter()
        .all(|i| !matches!(i.prior, Some(PriorColumn::Value { required: true, .. })))
}

/// Fill the formula's prior inputs of `data` from `prior`, every problem listed: a name
/// the prior run does not have, units it lacks where no default is given, cells that
/// are not numbers.
pub fn attach(formula: &Formula, data: &mut Dataset, prior: &PriorRun) -> Result<()> {
    if let Some(unit) = prior.formula_unit.as_deref().filter(|u| *u != formula.unit.name) {
        return Err(Error::Usage(vec![Diagnostic::error_t(
            "pipeline-prior-other-unit",
            crate::args![
                folder = &prior.record.folder,
                unit = unit,
                formula_unit = &formula.unit.name
            ],
        )
        .note_t("pipeline-prior-other-unit-note", crate::args![])]));
    }
    let mut problems = Vec::new();
    let table = data.table_rows.len();
    data.table_rows.push(
        data.keys
            .iter()
            .map(|k| prior.units.get(k).map_or(0, |(line, _)| *line))
            .collect(),
    );
    let present: Vec<bool> = data.keys.iter().map(|k| prior.units.contains_key(k)).collect();
    for (index, input) in formula.inputs.iter().enumerate() {
        let (name, required) = match &input.prior {
            None => continue,
            Some(PriorColumn::Present) => {
                data.columns[index] = Column::Bool(present.clone());
                continue;
            }
            Some(PriorColumn::Value { name, required }) => (name, *required),
        };
        // Cells after the key: the header's position minus one.
        let Some(column) = prior.header.iter().skip(1).position(|h| h == name) else {
            let names = prior
                .header
                .iter()
                .skip(1)
                .filter(|h| !h.contains('.'))
                .map(String::as_str);
            let d = match did_you_mean(name, names) {
                Some(hint) => {
                    Diagnostic::error_t("pipeline-prior-no-name-hint", crate::args![name = name, hint = hint])
                }
                None => Diagnostic::error_t("pipeline-prior-no-name", crate::args![name = name]),
            };
            problems.push(
                d.at_file(&prior.audit_name)
                    .note_t("pipeline-prior-no-name-note", crate::args![]),
            );
            continue;
        };
        let mut values = Vec::with_capacity(data.keys.len());
        let mut absent = Vec::new();
        let mut unreadable = Vec::new();
        for key in &data.keys {
            match prior.units.get(key) {
                None => {
                    if required {
                        absent.push(key);
                    }
                    values.push(Decimal::ZERO);
                }
                Some((line, cells)) => {
                    let cell = cells.get(column).map_or("", String::as_str);
                    match crate::money::parse_decimal(cell) {
                        Ok(v) => values.push(v),
                        Err(_) => {
                            unreadable.push(format!("{}:{line}: '{cell}'", prior.audit_name));
                            values.push(Decimal::ZERO);
                        }
                    }
                }
            }
        }
        if !absent.is_empty() {
            let shown: Vec<&str> = absent.iter().take(UNITS_LISTED).copied().collect();
            let more = absent.len() - shown.len();
            problems.push(
                if more > 0 {
                    Diagnostic::error_t(
                        "pipeline-prior-units-absent-more",
                        crate::args![
                            name = name,
                            count = absent.len(),
                            folder = &prior.record.folder,
                            units = shown.join(", "),
                            more = more,
                        ],
                    )
                } else {
                    Diagnostic::error_t(
                        "pipeline-prior-units-absent",
                        crate::args![
                            name = name,
                            count = absent.len(),
                            folder = &prior.record.folder,
                            units = shown.join(", "),
                        ],
                    )
                }
                .note_t("pipeline-prior-units-absent-note", crate::args![name = name]),
            );
        }
        if !unreadable.is_empty() {
            problems.push(
                Diagnostic::error_t(
                    "pipeline-prior-not-numbers",
                    crate::args![
                        name = name,
                        count = unreadable.len(),
                        values = unreadable
                            .iter()
                            .take(UNITS_LISTED)
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", "),
                    ],
                )
                .note_t("pipeline-prior-not-numbers-note", crate::args![]),
            );
        }
        data.columns[index] = Column::Num(values);
        data.input_cells[index] = Some((
            table,
            CellCite::Line {
                file: prior.audit_name.clone(),
                header: name.clone(),
            },
        ));
        if let Some(file) = data.input_files.get_mut(index) {
            *file = prior.audit_name.clone();
        }
    }
    match problems.is_empty() {
        true => Ok(()),
        false => Err(Error::Invalid(problems)),
    }
}
