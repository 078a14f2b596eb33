//! `verify`: reproduce a published run from its folder, and vouch for every part of it.
//!
//! The manifest says what produced the outputs: the tool, the scenario, the formula (a
//! file, or a formula built into the binary), every data file with its SHA-256, the
//! overrides, every param and every output's SHA-256. `verify` prints all of that and
//! checks each part, as a list of findings:
//! - the tool must be this binary (name, version and commit);
//! - every recorded input must be confined to the inputs folder (unless the auditor says
//!   `--allow-outside`), be a regular file, and still have its recorded SHA-256;
//! - the run is recomputed from exactly the recorded files: the recomputation may read
//!   no file the manifest does not record (so its file records and its inputs cannot
//!   disagree), and nothing of a file that fails a check is echoed;
//! - the data content, every param and every output must match the record, and each
//!   published output must be byte for byte what the recomputation renders;
//! - no file equalize writes may sit in the folder without being in the manifest.
//!
//! Any difference fails verification (exit 5), stated once. When outputs differ, the
//! units that differ are listed with their old and new values, and the input values that
//! changed, with their file.

use std::collections::{BTreeMap, BTreeSet};

use std::path::{Component, Path};

use serde::Serialize;

use super::inputs::{RunInputs, DEMO_DATA};
use super::load;
use super::outputs::{OutputKind, Run, Verification};
use crate::audit::hash::sha256_hex;
use crate::audit::manifest::{FileRecord, Manifest, PriorRecord, Tool};
use crate::error::{Error, Result};
use crate::files;
use crate::report::table;

/// Units listed per difference before the rest are counted.
const UNITS_LISTED: usize = 20;

/// What the auditor allows.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The folder the original run was started from, when the inputs have moved there
    /// (relative paths in the manifest are read from under it).
    pub inputs: Option<std::path::PathBuf>,
    /// Let recorded paths (and dataset tables) lie outside the inputs folder.
    pub allow_outside: bool,
}

/// One finding of a verification.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// What part of the run: `tool`, `scenario`, `formula`, `input`, `override`, `data`,
    /// `param`, `output`, `recompute`.
    pub part: &'static str,
    pub name: String,
    /// True when this finding keeps the run from being verified.
    pub differs: bool,
    pub detail: String,
    /// Further lines: the units and input values that differ.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<String>,
}

/// The outcome of a verification.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub folder: String,
    pub verified: bool,
    pub findings: Vec<Finding>,
}

/// How a finding about an input outside the inputs folder starts: it was not read, so
/// nothing is known to differ, and the summary says so apart from what does differ.
const NOT_READ_OUTSIDE: &str = "outside the inputs folder";

impl Outcome {
    /// Findings that differ, and of them the inputs not read because they lie outside the
    /// inputs folder.
    pub fn counts(&self) -> (usize, usize) {
        let differing = self.findings.iter().filter(|f| f.differs).count();
        let outside = self
            .findings
            .iter()
            .filter(|f| f.differs && f.detail.starts_with(NOT_READ_OUTSIDE))
            .count();
        (differing, outside)
    }

    /// One line: verified, or why not.
    pub fn verdict(&self) -> String {
        if self.verified {
            return "verified: every part of the run is as recorded and every output is identical".into();
        }
        let (differing, outside) = self.counts();
        let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        match (differing - outside, outside) {
            (_, 0) => format!("NOT verified: {} (marked !)", plural(differing, "finding differs", "findings differ")),
            (0, n) => format!(
                "NOT verified: {} outside the inputs folder not read, so the run could not be checked (marked !; nothing was found to differ): give --allow-outside, or --inputs DIR",
                plural(n, "input", "inputs")
            ),
            (d, n) => format!(
                "NOT verified: {}, and {} outside the inputs folder not read (marked !)",
                plural(d, "finding differs", "findings differ"),
                plural(n, "input", "inputs")
            ),
        }
    }

    /// The report as text, one line per finding.
    pub fn text(&self) -> String {
        let mut out = format!("verifying {}\n", self.folder);
        for f in &self.findings {
            let mark = if f.differs { '!' } else { ' ' };
            out.push_str(&format!("{mark} {:<6} {}: {}\n", f.part, f.name, f.detail));
            for line in &f.lines {
                out.push_str(&format!("    {line}\n"));
            }
        }
        out.push_str(&self.verdict());
        out.push('\n');
        out
    }
}

struct Findings(Vec<Finding>);

impl Findings {
    fn same(&mut self, part: &'static str, name: impl Into<String>, detail: impl Into<String>) {
        self.push(part, name, false, detail, Vec::new());
    }

    fn differs(&mut self, part: &'static str, name: impl Into<String>, detail: impl Into<String>) {
        self.push(part, name, true, detail, Vec::new());
    }

    fn push(
        &mut self,
        part: &'static str,
        name: impl Into<String>,
        differs: bool,
        detail: impl Into<String>,
        lines: Vec<String>,
    ) {
        self.0.push(Finding {
            part,
            name: name.into(),
            differs,
            detail: detail.into(),
            lines,
        });
    }

    fn any_differ(&self) -> bool {
        self.0.iter().any(|f| f.differs)
    }
}

/// Read and parse a folder's manifest.
pub fn read_manifest(dir: &Path) -> Result<Manifest> {
    let path = dir.join(OutputKind::Manifest.file_name());
    if !dir.is_dir() {
        return Err(Error::usage(format!("{} is not a folder", dir.display())));
    }
    if !path.exists() && dir.join("sweep.json").exists() {
        return Err(Error::usage(format!(
            "{} is a sweep's folder: verify one of its scenarios as a run, written with `equalize sweep FILE --scenario N --out DIR`",
            dir.display()
        )));
    }
    if !path.exists() {
        return Err(Error::usage(format!(
            "{} has no manifest.json: it was not written by `equalize run`",
            dir.display()
        )));
    }
    let text = files::read_text(&path, "manifest", files::MAX_TEXT_BYTES)?;
    serde_json::from_str(&text)
        .map_err(|e| Error::usage(format!("{} is not a manifest equalize can read: {e}", path.display())))
}

/// Does a recorded path lead outside the inputs folder `base` (absolute)? Checked on the
/// path as written (`..` resolved lexically) and, when it exists, on the real path
/// (symbolic links followed).
fn outside(path: &str, base: &Path) -> bool {
    fn normalize(path: &Path) -> Option<std::path::PathBuf> {
        let mut out = std::path::PathBuf::new();
        for c in path.components() {
            match c {
                Component::ParentDir => {
                    if !out.pop() {
                        return None;
                    }
                }
                Component::CurDir => {}
                other => out.push(other),
            }
        }
        Some(out)
    }
    let (Some(base), Some(path)) = (normalize(base), normalize(&base.join(path))) else {
        return true;
    };
    if !path.starts_with(&base) {
        return true;
    }
    match (path.canonicalize(), base.canonicalize()) {
        (Ok(real), Ok(real_base)) => !real.starts_with(real_base),
        _ => false,
    }
}

/// Runs before this one in a chain of prior runs that verify follows (a longer chain is
/// reported, not followed).
const CHAIN_LIMIT: usize = 64;

/// Verify the run published in `dir`, and the chain of prior runs it read (`--prior`).
pub fn verify(dir: &Path, options: &Options) -> Result<Outcome> {
    verify_chain(dir, options, 0)
}

/// The prior run a manifest records: its manifest unchanged, and the run itself verified.
fn verify_prior(record: &PriorRecord, options: &Options, depth: usize, found: &mut Findings) {
    let base = options.inputs.as_deref();
    let folder = crate::data::on_disk(base, Path::new(&record.folder));
    let name = record.folder.clone();
    let manifest = folder.join(OutputKind::Manifest.file_name());
    match files::read_regular(&manifest, "manifest", files::MAX_TEXT_BYTES) {
        Ok(bytes) if sha256_hex(&bytes) == record.manifest_sha256 => found.same(
            "prior",
            name.clone(),
            format!("manifest unchanged (sha256 {})", record.manifest_sha256),
        ),
        Ok(bytes) => {
            found.differs(
                "prior",
                name,
                format!(
                    "its manifest CHANGED since this run read it (sha256 recorded {}, now {})",
                    record.manifest_sha256,
                    sha256_hex(&bytes)
                ),
            );
            return;
        }
        Err(e) => {
            found.differs(
                "prior",
                name,
                format!(
                    "MISSING: {} (give --inputs, the folder the chain was run from)",
                    e.diagnostics().first().map_or(String::new(), |d| d.message.clone())
                ),
            );
            return;
        }
    }
    if depth + 1 >= CHAIN_LIMIT {
        found.differs(
            "prior",
            record.folder.clone(),
            format!("the chain is longer than {CHAIN_LIMIT} runs: verify its earlier runs one by one"),
        );
        return;
    }
    match verify_chain(&folder, options, depth + 1) {
        Ok(outcome) if outcome.verified => found.same("prior", record.folder.clone(), "verified as a run of its own"),
        Ok(outcome) => {
            let lines = outcome
                .findings
                .iter()
                .filter(|f| f.differs)
                .map(|f| format!("{} {}: {}", f.part, f.name, f.detail))
                .collect();
            found.push("prior", record.folder.clone(), true, outcome.verdict(), lines);
        }
        Err(e) => found.differs(
            "prior",
            record.folder.clone(),
            format!(
                "FAILED: {}",
                e.diagnostics().first().map_or(String::new(), |d| d.message.clone())
            ),
        ),
    }
}

fn verify_chain(dir: &Path, options: &Options, depth: usize) -> Result<Outcome> {
    let dir = std::path::absolute(dir).map_err(|e| Error::io(dir, "find", e))?;
    let _reading = crate::report::folder::check_readable(&dir)?;
    let manifest = read_manifest(&dir)?;
    let base = options.inputs.as_deref();
    let base_abs = std::path::absolute(base.unwrap_or(Path::new(".")))
        .map_err(|e| Error::io(base.unwrap_or(Path::new(".")), "find", e))?;
    let mut found = Findings(Vec::new());

    // 1. The tool.
    let this = Tool::this();
    let tool = |t: &Tool| {
        let commit = if t.git_commit.is_empty() {
            "no commit"
        } else {
            t.git_commit.as_str()
        };
        format!("{} {} ({commit})", t.name, t.version)
    };
    if manifest.tool == this {
        found.same("tool", tool(&manifest.tool), "this binary");
    } else {
        found.differs(
            "tool",
            tool(&manifest.tool),
            format!(
                "DIFFERS from this binary, {}: verify with the version that made the run",
                tool(&this)
            ),
        );
    }

    // 2. What the run read, confined and hashed.
    let mut records: Vec<(&'static str, &FileRecord)> = manifest.sweep.iter().map(|r| ("sweep", r)).collect();
    records.extend(manifest.scenario.iter().map(|r| ("scenario", r)));
    records.push(("formula", &manifest.formula));
    records.extend(manifest.data.iter().map(|r| ("input", r)));
    let mut missing = Vec::new();
    let mut confined = true;
    for (part, record) in &records {
        let name = match &record.builtin {
            Some(short) => format!("built-in {short} of {}", tool(&manifest.tool)),
            None if record.embedded => format!("{} (built into {})", record.file, tool(&manifest.tool)),
            None => record.file.clone(),
        };
        if record.builtin.is_none() && !record.embedded && !options.allow_outside && outside(&record.file, &base_abs) {
            confined = false;
            found.differs(
                part,
                name,
                format!(
                    "{NOT_READ_OUTSIDE} {}: not read (give --allow-outside to read it, or --inputs)",
                    base_abs.display()
                ),
            );
            continue;
        }
        match current_hash(record, base) {
            Ok((hash, bytes)) if hash == record.sha256 && bytes == record.bytes => {
                found.same(part, name, format!("unchanged (sha256 {hash})"))
            }
            Ok((hash, bytes)) if hash == record.sha256 => found.differs(
                part,
                name,
                format!("its size is recorded as {} bytes, but it has {bytes}", record.bytes),
            ),
            Ok((hash, _)) => found.differs(
                part,
                name,
                format!("CHANGED since the run (sha256 recorded {}, now {hash})", record.sha256),
            ),
            Err(Unavailable::Missing(why)) => {
                missing.push(record.file.clone());
                found.differs(part, name, format!("MISSING: {why}"));
            }
            Err(Unavailable::Unreadable(why)) => {
                confined = false; // nothing more is read
                found.differs(part, name, format!("UNREADABLE: {why}; not read"));
            }
        }
    }
    if let (Some(file), Some(index)) = (&manifest.inputs.sweep, manifest.inputs.sweep_scenario) {
        found.same(
            "sweep",
            file.clone(),
            format!("the run is its scenario {index}, draws included"),
        );
    }
    for (name, value) in manifest.inputs.set.iter().filter_map(|s| s.split_once('=')) {
        found.same("override", name, format!("set to {value} for the run (--set)"));
    }
    for (part, path) in manifest
        .inputs
        .formula
        .iter()
        .filter(|f| !crate::shipped::is_name(f))
        .map(|f| ("formula", f))
        .chain(manifest.inputs.data.iter().map(|d| ("input", d)))
        .chain(manifest.inputs.scenario.iter().map(|s| ("scenario", s)))
        .chain(manifest.inputs.sweep.iter().map(|s| ("sweep", s)))
    {
        if !options.allow_outside && outside(path, &base_abs) {
            confined = false;
            found.differs(
                part,
                path.clone(),
                format!(
                    "{NOT_READ_OUTSIDE} {}: not read (give --allow-outside to read it, or --inputs)",
                    base_abs.display()
                ),
            );
        }
    }
    if let Some(prior) = &manifest.prior {
        if !options.allow_outside && outside(&prior.folder, &base_abs) {
            confined = false;
            found.differs(
                "prior",
                prior.folder.clone(),
                format!(
                    "{NOT_READ_OUTSIDE} {}: not read (give --allow-outside to read it, or --inputs)",
                    base_abs.display()
                ),
            );
        } else {
            verify_prior(prior, options, depth, &mut found);
        }
    }
    if !confined {
        return Ok(finish(&dir, found));
    }

    // 3. Recompute from exactly the recorded files, rendering every output the manifest lists.
    let mut inputs = RunInputs::from_record(&manifest.inputs, base);
    inputs.allow_outside = options.allow_outside;
    inputs.recorded = Some(
        records
            .iter()
            .map(|(_, r)| {
                let kind = match (&r.builtin, r.embedded) {
                    (Some(_), _) => crate::data::RecordedKind::Builtin,
                    (None, true) => crate::data::RecordedKind::Embedded,
                    (None, false) => crate::data::RecordedKind::Disk,
                };
                (r.file.clone(), kind)
            })
            .collect(),
    );
    let mut asked = Vec::new();
    for name in manifest.outputs.keys() {
        match OutputKind::from_file_name(name) {
            Some(OutputKind::Manifest) => {
                found.differs("output", name.clone(), "a manifest cannot record its own hash")
            }
            Some(kind) => asked.push(kind),
            None => found.differs(
                "output",
                name.clone(),
                "not a file equalize writes: it cannot be verified",
            ),
        }
    }
    let changed_inputs = found.0.iter().any(|f| f.differs && f.part != "tool");
    let loaded = match load::load(&inputs) {
        Ok(loaded) => loaded,
        Err(e) if !missing.is_empty() => {
            return Err(Error::Usage(vec![crate::diag::Diagnostic::error(format!(
                "cannot recompute the run: {} missing: {}",
                if missing.len() == 1 {
                    "1 recorded input is".to_string()
                } else {
                    format!("{} recorded inputs are", missing.len())
                },
                missing.join(", ")
            ))
            .note(match base {
                Some(base) => format!("they are not under {} either", base.display()),
                None => "give --inputs FOLDER: the folder the run was started from, where the inputs now are".into(),
            })
            .note(format!(
                "({})",
                e.diagnostics().first().map_or("", |d| d.message.as_str())
            ))]))
        }
        Err(e) => {
            // Nothing of a changed or unrecorded file is echoed: the count only.
            let detail = if changed_inputs {
                format!(
                    "FAILED: the inputs as they are now do not load ({}); run `equalize check` on them to see why",
                    crate::diag::plural(e.diagnostics().len(), "problem")
                )
            } else {
                format!(
                    "FAILED: {}",
                    e.diagnostics().first().map_or(String::new(), |d| d.message.clone())
                )
            };
            found.differs("recompute", "the run", detail);
            return Ok(finish(&dir, found));
        }
    };
    // Every record must be a file the run reads: a record of anything else is not provenance.
    let mut read: BTreeSet<&str> = loaded.data.files.iter().map(|f| f.name.as_str()).collect();
    read.insert(loaded.formula.origin.as_str());
    read.extend(loaded.scenario.iter().map(|s| s.file.as_str()));
    read.extend(loaded.sweep.iter().map(|s| s.file.as_str()));
    let mut seen = BTreeSet::new();
    for (part, record) in &records {
        if !read.contains(record.file.as_str()) {
            found.differs(
                part,
                record.file.clone(),
                "recorded as an input, but the run does not read it",
            );
        } else if !seen.insert(record.file.as_str()) {
            found.differs(part, record.file.clone(), "recorded twice");
        }
    }
    let content = loaded.data.content_sha256();
    if content == manifest.data_content_sha256 {
        let detail = if changed_inputs {
            "identical (the files changed only in ways that do not matter: row or column order, encoding)"
        } else {
            "identical"
        };
        found.same("data", "content", format!("{detail} (sha256 {content})"));
    }
    let content_finding = (content != manifest.data_content_sha256).then(|| {
        found.differs(
            "data",
            "content",
            format!(
                "CHANGED (sha256 recorded {}, now {content})",
                manifest.data_content_sha256
            ),
        );
        found.0.len() - 1
    });
    let mut recorded_params = manifest.params.clone();
    for (param, value) in loaded.formula.params.iter().zip(&loaded.params) {
        let now = crate::money::format_plain(*value);
        match recorded_params.remove(&param.name) {
            Some(v) if v == now => {}
            Some(v) => found.differs("param", param.name.clone(), format!("recorded {v}, recomputed {now}")),
            None => found.differs("param", param.name.clone(), format!("not recorded (recomputed {now})")),
        }
    }
    for (name, value) in recorded_params {
        found.differs(
            "param",
            name,
            format!("recorded {value}, but the formula has no such param"),
        );
    }
    // The date dated params were taken at, and where each came from.
    let date_now = loaded.formula.recorded_date();
    if date_now != manifest.date {
        let show = |d: &Option<String>| d.clone().unwrap_or_else(|| "none".into());
        found.differs(
            "param",
            "date",
            format!("recorded {}, recomputed {}", show(&manifest.date), show(&date_now)),
        );
    }
    let dated_now = loaded.formula.dated_origins(&loaded.params);
    if dated_now != manifest.dated_params {
        found.differs(
            "param",
            "dated_params",
            format!("recorded {:?}, recomputed {dated_now:?}", manifest.dated_params),
        );
    }
    // The prior run read now must be the one recorded (folder and manifest), whichever
    // field of the manifest names it.
    if loaded.prior != manifest.prior {
        let show = |p: &Option<PriorRecord>| match p {
            Some(p) => format!("{} (manifest sha256 {})", p.folder, p.manifest_sha256),
            None => "none".into(),
        };
        found.differs(
            "prior",
            "the run's prior",
            format!(
                "recorded {}, but the recorded inputs read {}",
                show(&manifest.prior),
                show(&loaded.prior)
            ),
        );
    }
    let run = Run::from_loaded(inputs, loaded)?;
    // The trace is checked by hash as it streams: it can be gigabytes.
    let trace_asked = asked.contains(&OutputKind::Trace);
    asked.retain(|k| *k != OutputKind::Trace);
    let rendered: Vec<_> = run
        .render(&asked)?
        .files
        .into_iter()
        .filter(|f| OutputKind::from_file_name(f.name).is_some_and(|k| k.verification() == Verification::Rerender))
        .collect();
    let loaded = &run.loaded;

    // How the data changed, unit by unit: from the published audit file's inputs.
    if let (Some(index), Some(new_audit)) = (content_finding, rendered.iter().find(|f| f.name == "audit.csv")) {
        if let Ok(old_audit) = files::read_regular(&dir.join("audit.csv"), "published output", files::MAX_DATA_BYTES) {
            let names: Vec<&str> = loaded.formula.inputs.iter().map(|i| i.name.as_str()).collect();
            let (added, removed, changed) = row_changes(&old_audit, &new_audit.bytes, &names);
            found.0[index].detail = format!(
                "CHANGED: {added} units added, {removed} removed, {changed} with changed inputs (sha256 recorded {}, now {content})",
                manifest.data_content_sha256
            );
        }
    }

    // 4. The outputs, byte for byte.
    for file in &rendered {
        let path = dir.join(file.name);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            found.differs(
                "output",
                file.name,
                "a symbolic link, not a file the run wrote: not read",
            );
            continue;
        }
        let published = match files::read_regular(&path, "published output", files::MAX_DATA_BYTES) {
            Ok(bytes) => bytes,
            Err(_) => {
                found.differs("output", file.name, "MISSING from the folder");
                continue;
            }
        };
        let recorded = manifest.outputs.get(file.name);
        let hash = sha256_hex(&published);
        let mut lines = Vec::new();
        if published != file.bytes {
            if file.name == "allocations.csv" {
                lines.extend(unit_differences(&published, &file.bytes, &loaded.formula.key));
            }
            if file.name == "audit.csv" {
                let input_names: Vec<(String, String)> = loaded
                    .formula
                    .inputs
                    .iter()
                    .zip(&loaded.data.input_files)
                    .map(|(i, f)| (i.name.clone(), f.clone()))
                    .collect();
                lines.extend(input_differences(&published, &file.bytes, &input_names));
            }
        }
        match (recorded, published == file.bytes) {
            (Some(r), _) if *r != hash => found.push(
                "output",
                file.name,
                true,
                format!("edited after the run: its sha256 {hash} is not the manifest's {r}"),
                lines,
            ),
            (_, true) => found.same("output", file.name, format!("identical (sha256 {hash})")),
            (_, false) => found.push(
                "output",
                file.name,
                true,
                format!("DIFFERS from the recomputed run (sha256 {hash})"),
                lines,
            ),
        }
    }

    if trace_asked {
        let name = OutputKind::Trace.file_name();
        let path = dir.join(name);
        match crate::audit::hash::sha256_file(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                found.differs("output", name, "MISSING from the folder")
            }
            Err(_) => found.differs("output", name, "not a regular file (a link, pipe or device): not read"),
            Ok(published) => {
                let recomputed = run.trace_sha256()?;
                match manifest.outputs.get(name) {
                    Some(r) if *r != published => found.differs(
                        "output",
                        name,
                        format!("edited after the run: its sha256 {published} is not the manifest's {r}"),
                    ),
                    _ if published == recomputed => {
                        found.same("output", name, format!("identical (sha256 {published})"))
                    }
                    _ => found.differs(
                        "output",
                        name,
                        format!("DIFFERS from the recomputed run (sha256 {published}, recomputed {recomputed})"),
                    ),
                }
            }
        }
    }

    // 5. Files equalize writes that the manifest does not list.
    for kind in OutputKind::ALL {
        let name = kind.file_name();
        if kind != OutputKind::Manifest && !manifest.outputs.contains_key(name) && dir.join(name).exists() {
            found.differs(
                "output",
                name,
                "in the folder but not in the manifest: not part of this run (left by another?)",
            );
        }
    }
    Ok(finish(&dir, found))
}

fn finish(dir: &Path, found: Findings) -> Outcome {
    Outcome {
        folder: dir.display().to_string(),
        verified: !found.any_differ(),
        findings: found.0,
    }
}

/// Why an input's hash cannot be taken.
enum Unavailable {
    /// Not there (moved: `--inputs` may help).
    Missing(String),
    /// There but not a file equalize reads (a FIFO, a device, too large).
    Unreadable(String),
}

/// The hash of the input as it is now (a built-in formula or embedded data: the copy in
/// this binary), or why it cannot be taken.
fn current_hash(record: &FileRecord, base: Option<&Path>) -> std::result::Result<(String, u64), Unavailable> {
    if let Some(short) = &record.builtin {
        return crate::shipped::builtin(short)
            .map(|f| (sha256_hex(f.text.as_bytes()), f.text.len() as u64))
            .map_err(|_| Unavailable::Missing(format!("this binary has no built-in formula '{short}'")));
    }
    if record.embedded {
        if let crate::data::DataSource::Embedded { folder, files } = DEMO_DATA {
            let name = record.file.strip_prefix(folder).map(|n| n.trim_start_matches('/'));
            if let Some((_, bytes)) = files.iter().find(|(n, _)| Some(*n) == name) {
                return Ok((sha256_hex(bytes), bytes.len() as u64));
            }
        }
        return Err(Unavailable::Missing("this binary has no such embedded file".into()));
    }
    let path = crate::data::on_disk(base, Path::new(&record.file));
    files::read_regular(&path, "input", files::MAX_DATA_BYTES)
        .map(|b| (sha256_hex(&b), b.len() as u64))
        .map_err(|e| match e {
            Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                Unavailable::Missing("no such file (use --inputs to say where the inputs are now)".to_string())
            }
            other => Unavailable::Unreadable(other.diagnostics().first().map_or(String::new(), |d| d.message.clone())),
        })
}

/// A published CSV output by its first column (the unit key). Unreadable files read as empty:
/// they then differ from the recomputed one, which says so.
fn rows(bytes: &[u8]) -> (Vec<String>, BTreeMap<String, Vec<String>>) {
    let parsed = table::read(table::Format::Csv, bytes, "").unwrap_or_default();
    let header = parsed.header.clone();
    let map = parsed
        .text_rows()
        .into_iter()
        .filter_map(|fields| Some((fields.first()?.clone(), fields)))
        .collect();
    (header, map)
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
    lines.insert(
        0,
        if count == 1 {
            "1 unit differs:".to_string()
        } else {
            format!("{count} units differ:")
        },
    );
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

    fn options(inputs: &Path) -> Options {
        Options {
            inputs: Some(inputs.to_path_buf()),
            allow_outside: false,
        }
    }

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
        let outcome = verify(&out, &options(&inputs)).unwrap();
        let report = outcome.text();
        assert!(outcome.verified, "{report}");
        assert!(report.contains("  formula f.toml: unchanged (sha256 "), "{report}");
        assert!(report.contains("  output trace.jsonl: identical (sha256 "), "{report}");

        let allocations = out.join("allocations.csv");
        let text = std::fs::read_to_string(&allocations).unwrap();
        std::fs::write(&allocations, text.replace("A,17,17", "A,18,17")).unwrap();
        let outcome = verify(&out, &options(&inputs)).unwrap();
        let report = outcome.text();
        assert!(!outcome.verified);
        assert!(
            report.contains("! output allocations.csv: edited after the run"),
            "{report}"
        );
        assert!(!report.contains("allocations.csv: identical"), "{report}");
        assert!(report.contains("    code A: grant 18 -> 17\n"), "{report}");
    }

    #[test]
    fn recorded_paths_stay_inside_the_inputs_folder() {
        let base = Path::new("/work/run");
        assert!(!outside("data.csv", base));
        assert!(!outside("scenarios/../formulas/x.toml", base));
        assert!(!outside("/work/run/data.csv", base));
        assert!(outside("../data.csv", base));
        assert!(outside("a/../../data.csv", base));
        assert!(outside("/etc/shadow", base));
        assert!(outside("/work/running/x.csv", base));
        assert!(!outside(".", base), "a dataset folder given as `-d .`");
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
        let outcome = verify(&out, &options(&archive)).unwrap();
        assert!(outcome.verified, "{}", outcome.text());
        assert_eq!(std::env::current_dir().unwrap(), cwd);
        // Without the new folder, the inputs are missing, and the error says which.
        let err = verify(&out, &options(&inputs)).err().unwrap();
        assert!(
            err.to_string()
                .starts_with("error: cannot recompute the run: 2 recorded inputs are missing: f.toml, d.csv\n"),
            "{err}"
        );
    }
}
