//! `verify`: reproduce a published run from its folder and compare, byte for byte.
//!
//! The input files are hashed again and compared with the manifest (a changed file
//! is named; a file whose bytes changed but whose content did not, such as a table
//! with its rows reordered, is reported as such). Then the run is recomputed from
//! the recorded inputs and every output is compared with the published file. The
//! verdict rests on the outputs: identical outputs pass, whatever happened to the
//! bytes of the inputs. When outputs differ, the units that differ are listed with
//! their old and new values, and the input values that changed, with their file.

use std::collections::BTreeMap;
use std::path::Path;

use super::inputs::{RunInputs, DEMO_DATA};
use super::load;
use super::outputs::{OutputKind, Run, Verification};
use crate::audit::hash::sha256_hex;
use crate::audit::manifest::{FileRecord, Manifest};
use crate::error::{Error, Result};
use crate::report::table;

/// Units listed per difference before the rest are counted.
const UNITS_LISTED: usize = 20;

pub struct Outcome {
    pub report: String,
    pub identical: bool,
}

/// Verify the run published in `dir`. `inputs_base` is the folder the original run was
/// started from, when the inputs have moved (the recorded paths are relative to it).
pub fn verify(dir: &Path, inputs_base: Option<&Path>) -> Result<Outcome> {
    let dir = std::path::absolute(dir).map_err(|e| Error::io(dir, "find", e))?;
    let manifest_path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&manifest_path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::usage(format!(
            "{} has no manifest.json: it was not written by `equalize run`",
            dir.display()
        )),
        _ => Error::io(&manifest_path, "read", e),
    })?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
        Error::usage(format!(
            "{} is not a manifest equalize can read: {e}",
            manifest_path.display()
        ))
    })?;
    let mut lines = vec![format!(
        "verifying {} (run with {} {}{})",
        dir.display(),
        manifest.tool.name,
        manifest.tool.version,
        if manifest.tool.git_commit.is_empty() {
            String::new()
        } else {
            format!(", commit {}", short(&manifest.tool.git_commit))
        }
    )];

    // 1. The inputs, file by file.
    let mut changed_inputs = Vec::new();
    let mut missing = Vec::new();
    let formula_record = &manifest.formula;
    let mut records: Vec<&FileRecord> = manifest.scenario.iter().collect();
    records.push(formula_record);
    records.extend(&manifest.data);
    for record in records {
        match current_hash(record, inputs_base) {
            Some(hash) if hash == record.sha256 => lines.push(format!("  input  {}: unchanged", record.file)),
            Some(hash) => {
                lines.push(format!(
                    "  input  {}: CHANGED since the run (sha256 {} -> {})",
                    record.file,
                    short(&record.sha256),
                    short(&hash)
                ));
                changed_inputs.push(record.file.clone());
            }
            None => {
                lines.push(format!(
                    "  input  {}: MISSING (use --inputs to say where the inputs are now)",
                    record.file
                ));
                changed_inputs.push(record.file.clone());
                missing.push(record.file.clone());
            }
        }
    }

    // 2. Recompute from the recorded inputs, rendering every output the manifest lists.
    let inputs = RunInputs::from_record(&manifest.inputs, inputs_base);
    let mut asked = Vec::new();
    for name in manifest.outputs.keys() {
        match OutputKind::from_file_name(name) {
            Some(kind) => asked.push(kind),
            None => {
                return Err(Error::usage(format!(
                    "the manifest lists an output '{name}' that this version of equalize does not write; it cannot be verified"
                )))
            }
        }
    }
    let loaded = load::load(&inputs).map_err(|e| match (e, missing.is_empty()) {
        // Say which inputs are gone and what to do, not only the first file that failed to open.
        (Error::Io { .. }, false) => Error::Usage(vec![crate::diag::Diagnostic::error(format!(
            "cannot recompute the run: {} missing: {}",
            if missing.len() == 1 {
                "1 recorded input is".to_string()
            } else {
                format!("{} recorded inputs are", missing.len())
            },
            missing.join(", ")
        ))
        .note(match inputs_base {
            Some(base) => format!("they are not under {} either", base.display()),
            None => "give --inputs FOLDER: the folder the run was started from, where the inputs now are".into(),
        })]),
        (e, _) => e,
    })?;
    let content = loaded.data.content_sha256();
    if content == manifest.data_content_sha256 && !changed_inputs.is_empty() {
        lines.push(
            "  data content: identical (files changed only in ways that do not matter: row or column order, encoding)"
                .into(),
        );
    }
    let content_line = (content != manifest.data_content_sha256).then(|| {
        lines.push("  data content: CHANGED".into());
        lines.len() - 1
    });
    let mut recorded_params = manifest.params.clone();
    for (param, value) in loaded.formula.params.iter().zip(&loaded.params) {
        if recorded_params
            .remove(&param.name)
            .is_some_and(|v| v != crate::money::format_plain(*value))
        {
            lines.push(format!("  param  {}: differs from the recorded value", param.name));
        }
    }
    let run = Run::from_loaded(inputs, loaded)?;
    let rendered: Vec<_> = run
        .render(&asked)?
        .files
        .into_iter()
        .filter(|f| OutputKind::from_file_name(f.name).is_some_and(|k| k.verification() == Verification::Rerender))
        .collect();
    let loaded = &run.loaded;

    // How the data changed, unit by unit: from the published audit file's inputs.
    if let (Some(line), Some(new_audit)) = (content_line, rendered.iter().find(|f| f.name == "audit.csv")) {
        if let Ok(old_audit) = std::fs::read(dir.join("audit.csv")) {
            let names: Vec<&str> = loaded.formula.inputs.iter().map(|i| i.name.as_str()).collect();
            let (added, removed, changed) = row_changes(&old_audit, &new_audit.bytes, &names);
            lines[line] = format!(
                "  data content: CHANGED: {added} units added, {removed} removed, {changed} with changed inputs"
            );
        }
    }

    // 3. The outputs, byte for byte.
    let mut identical = true;
    for file in &rendered {
        let path = dir.join(file.name);
        let published = std::fs::read(&path).ok();
        let recorded_hash = manifest.outputs.get(file.name);
        match &published {
            None => {
                identical = false;
                lines.push(format!("  output {}: MISSING from the folder", file.name));
                continue;
            }
            Some(bytes) if recorded_hash.is_some_and(|h| *h != sha256_hex(bytes)) => {
                lines.push(format!(
                    "  output {}: edited after the run (its hash differs from the manifest)",
                    file.name
                ));
            }
            _ => {}
        }
        let published = published.unwrap_or_default();
        if published == file.bytes {
            lines.push(format!("  output {}: identical", file.name));
        } else {
            identical = false;
            lines.push(format!("  output {}: DIFFERS", file.name));
            if file.name == "allocations.csv" {
                lines.extend(
                    unit_differences(&published, &file.bytes, &loaded.formula.key)
                        .into_iter()
                        .map(|l| format!("    {l}")),
                );
            }
            if file.name == "audit.csv" {
                let input_names: Vec<(String, String)> = loaded
                    .formula
                    .inputs
                    .iter()
                    .zip(&loaded.data.input_files)
                    .map(|(i, f)| (i.name.clone(), f.clone()))
                    .collect();
                lines.extend(
                    input_differences(&published, &file.bytes, &input_names)
                        .into_iter()
                        .map(|l| format!("    {l}")),
                );
            }
        }
    }
    lines.push(if identical {
        "verified: every output is identical to the published run".into()
    } else {
        "NOT verified: the outputs differ from the published run".into()
    });
    let mut report = lines.join("\n");
    report.push('\n');
    Ok(Outcome { report, identical })
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// The hash of the file as it is now (an embedded file: the copy in this binary).
fn current_hash(record: &FileRecord, base: Option<&Path>) -> Option<String> {
    let path = crate::data::on_disk(base, Path::new(&record.file));
    if path.exists() && !record.embedded {
        return std::fs::read(&path).ok().map(|b| sha256_hex(&b));
    }
    if let Some(shipped) = crate::shipped::find(&record.file) {
        return Some(sha256_hex(shipped.text.as_bytes()));
    }
    if let crate::data::DataSource::Embedded { folder, files } = DEMO_DATA {
        let name = record.file.strip_prefix(folder).map(|n| n.trim_start_matches('/'));
        if let Some((_, bytes)) = files.iter().find(|(n, _)| Some(*n) == name) {
            return Some(sha256_hex(bytes));
        }
    }
    std::fs::read(&path).ok().map(|b| sha256_hex(&b))
}

/// A published CSV output by its first column (the unit key). Unreadable files read as empty:
/// they then differ from the recomputed one, which says so.
fn rows(bytes: &[u8]) -> (Vec<String>, BTreeMap<String, Vec<String>>) {
    let parsed = table::read(table::Format::Csv, bytes, "").unwrap_or_default();
    let map = parsed
        .rows
        .into_iter()
        .filter_map(|fields| Some((fields.first()?.clone(), fields)))
        .collect();
    (parsed.header, map)
}

/// Units whose allocations differ, with old -> new per column.
fn unit_differences(old: &[u8], new: &[u8], key: &str) -> Vec<String> {
    let (old_header, old_rows) = rows(old);
    let (new_header, new_rows) = rows(new);
    if old_header != new_header {
        return vec![format!(
            "the columns differ: {} -> {}",
            old_header.join(","),
            new_header.join(",")
        )];
    }
    let mut lines = Vec::new();
    let mut count = 0;
    for (unit, old_row) in &old_rows {
        let change = match new_rows.get(unit) {
            None => Some(format!("{key} {unit}: no longer in the data")),
            Some(new_row) if new_row != old_row => {
                let changes: Vec<String> = old_header
                    .iter()
                    .enumerate()
                    .skip(1)
                    .filter(|(i, _)| old_row.get(*i) != new_row.get(*i))
                    .map(|(i, h)| format!("{h} {} -> {}", old_row[i], new_row.get(i).cloned().unwrap_or_default()))
                    .collect();
                Some(format!("{key} {unit}: {}", changes.join(", ")))
            }
            _ => None,
        };
        if let Some(change) = change {
            count += 1;
            if count <= UNITS_LISTED {
                lines.push(change);
            }
        }
    }
    for unit in new_rows.keys().filter(|k| !old_rows.contains_key(*k)) {
        count += 1;
        if count <= UNITS_LISTED {
            lines.push(format!("{key} {unit}: new in the data"));
        }
    }
    if count > UNITS_LISTED {
        lines.push(format!("... and {} more units", count - UNITS_LISTED));
    }
    lines.insert(0, format!("{} differ:", crate::diag::plural(count, "unit")));
    lines
}

/// Units added, removed, and with changed input values, between two audit files.
fn row_changes(old: &[u8], new: &[u8], inputs: &[&str]) -> (usize, usize, usize) {
    let (header, old_rows) = rows(old);
    let (new_header, new_rows) = rows(new);
    let added = new_rows.keys().filter(|k| !old_rows.contains_key(*k)).count();
    let removed = old_rows.keys().filter(|k| !new_rows.contains_key(*k)).count();
    let column = |h: &[String], name: &str| h.iter().position(|c| c == name);
    let changed = old_rows
        .iter()
        .filter(|(key, old_row)| {
            new_rows.get(*key).is_some_and(|new_row| {
                inputs
                    .iter()
                    .any(|name| match (column(&header, name), column(&new_header, name)) {
                        (Some(a), Some(b)) => old_row.get(a) != new_row.get(b),
                        _ => true,
                    })
            })
        })
        .count();
    (added, removed, changed)
}

/// Input values that differ between two audit files, with the file each input comes from.
fn input_differences(old: &[u8], new: &[u8], inputs: &[(String, String)]) -> Vec<String> {
    let (header, old_rows) = rows(old);
    let (new_header, new_rows) = rows(new);
    if header != new_header {
        return Vec::new();
    }
    let mut lines = Vec::new();
    for (unit, old_row) in &old_rows {
        let Some(new_row) = new_rows.get(unit) else { continue };
        for (name, file) in inputs {
            if let Some(i) = header.iter().position(|h| h == name) {
                if old_row.get(i) != new_row.get(i) {
                    lines.push(format!(
                        "input changed: unit {unit}: {name} {} -> {} (in {file})",
                        old_row[i],
                        new_row.get(i).cloned().unwrap_or_default()
                    ));
                }
            }
        }
    }
    if lines.len() > UNITS_LISTED {
        let more = lines.len() - UNITS_LISTED;
        lines.truncate(UNITS_LISTED);
        lines.push(format!("... and {more} more changed input values"));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORMULA: &str = "[formula]\nname = \"h\"\nkey = \"code\"\n[inputs.need]\n[params]\npool = \"100\"\n\
                           [[allocation]]\nname = \"grant\"\npool = \"pool\"\nweight = \"need\"\nround = \"1\"\n";

    /// A run of a small formula made from `inputs` (a folder), published into `out`.
    fn publish(inputs: &Path, out: &Path) {
        std::fs::write(inputs.join("f.toml"), FORMULA).unwrap();
        std::fs::write(inputs.join("d.csv"), "code,need\nA,1\nB,2\nC,3\n").unwrap();
        let run = Run::compute(RunInputs {
            formula: Some("f.toml".into()),
            data: vec!["d.csv".into()],
            base: Some(inputs.to_path_buf()),
            ..RunInputs::default()
        })
        .unwrap();
        run.write(out, &[OutputKind::Trace]).unwrap();
    }

    #[test]
    fn an_untouched_run_verifies_and_an_edited_amount_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let (inputs, out) = (dir.path().join("in"), dir.path().join("out"));
        std::fs::create_dir(&inputs).unwrap();
        publish(&inputs, &out);
        let outcome = verify(&out, Some(&inputs)).unwrap();
        assert!(outcome.identical, "{}", outcome.report);
        assert!(
            outcome.report.contains("  input  f.toml: unchanged\n"),
            "{}",
            outcome.report
        );
        assert!(
            outcome.report.contains("  output trace.jsonl: identical\n"),
            "{}",
            outcome.report
        );

        let allocations = out.join("allocations.csv");
        let text = std::fs::read_to_string(&allocations).unwrap();
        std::fs::write(&allocations, text.replace("A,17,17", "A,18,17")).unwrap();
        let outcome = verify(&out, Some(&inputs)).unwrap();
        assert!(!outcome.identical);
        assert!(
            outcome
                .report
                .contains("  output allocations.csv: edited after the run"),
            "{}",
            outcome.report
        );
        assert!(
            outcome.report.contains("    code A: grant 18 -> 17\n"),
            "{}",
            outcome.report
        );
    }

    #[test]
    fn inputs_moved_elsewhere_verify_from_their_new_folder_without_changing_directory() {
        let dir = tempfile::tempdir().unwrap();
        let (inputs, out, archive) = (
            dir.path().join("in"),
            dir.path().join("out"),
            dir.path().join("archive"),
        );
        std::fs::create_dir(&inputs).unwrap();
        publish(&inputs, &out);
        std::fs::rename(&inputs, &archive).unwrap();
        let cwd = std::env::current_dir().unwrap();
        let outcome = verify(&out, Some(&archive)).unwrap();
        assert!(outcome.identical, "{}", outcome.report);
        assert_eq!(std::env::current_dir().unwrap(), cwd);
        // Without the new folder, the inputs are missing, and the error says which.
        let err = verify(&out, Some(&inputs)).err().unwrap();
        assert!(
            err.to_string()
                .starts_with("error: cannot recompute the run: 2 recorded inputs are missing: f.toml, d.csv\n"),
            "{err}"
        );
    }
}
