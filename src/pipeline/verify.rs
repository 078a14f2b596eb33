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
/// A part of the run and what verify found. `part` and `name` are the same in every
/// language (`--format json` gives them to scripts); `detail` is in the reader's.
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
    /// An input outside the inputs folder, not read: nothing is known to differ, and the
    /// summary says so apart from what does differ.
    #[serde(skip)]
    pub outside: bool,
}

/// The outcome of a verification.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub folder: String,
    pub verified: bool,
    pub findings: Vec<Finding>,
}

impl Outcome {
    /// Findings that differ, and of them the inputs not read because they lie outside the
    /// inputs folder.
    pub fn counts(&self) -> (usize, usize) {
        let differing = self.findings.iter().filter(|f| f.differs).count();
        let outside = self.findings.iter().filter(|f| f.differs && f.outside).count();
        (differing, outside)
    }

    /// One line: verified, or why not.
    pub fn verdict(&self) -> String {
        match self.why_not() {
            None => crate::i18n::t("verify-verified", &[]),
            Some(reason) => crate::tr!("verify-not-verified", reason = reason),
        }
    }

    /// Why the run is not verified (the verdict without its "NOT verified: "), or None
    /// when it is.
    pub fn why_not(&self) -> Option<String> {
        if self.verified {
            return None;
        }
        let (differing, outside) = self.counts();
        Some(match (differing - outside, outside) {
            (_, 0) => crate::tr!("verify-reason-differ", differing = differing),
            (0, n) => crate::tr!("verify-reason-outside", outside = n),
            (d, n) => crate::tr!("verify-reason-both", differing = d, outside = n),
        })
    }

    /// The report as text, one line per finding.
    pub fn text(&self) -> String {
        let mut out = crate::tr!("verify-heading", folder = &self.folder);
        out.push('\n');
        for f in &self.findings {
            let mark = if f.differs { '!' } else { ' ' };
            out.push_str(&format!(
                "{mark} {} {}: {}\n",
                pad(&part_label(f.part), 6),
                f.name,
                f.detail
            ));
            for line in &f.lines {
                out.push_str(&format!("    {line}\n"));
            }
        }
        out.push_str(&self.verdict());
        out.push('\n');
        out
    }
}

/// A part's name in the text report (`tool`, `input`...; JSON keeps the English code).
fn part_label(part: &str) -> String {
    let id = match part {
        "tool" => "verify-part-tool",
        "sweep" => "verify-part-sweep",
        "scenario" => "verify-part-scenario",
        "formula" => "verify-part-formula",
        "input" => "verify-part-input",
        "override" => "verify-part-override",
        "data" => "verify-part-data",
        "param" => "verify-part-param",
        "output" => "verify-part-output",
        "recompute" => "verify-part-recompute",
        "prior" => "verify-part-prior",
        other => return other.to_string(),
    };
    crate::i18n::t(id, &[])
}

/// `text` padded with spaces to `width` display columns (a Chinese character takes two).
fn pad(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

struct Findings(Vec<Finding>);

impl Findings {
    fn same(&mut self, part: &'static str, name: impl Into<String>, detail: impl Into<String>) {
        self.push(part, name, false, detail, Vec::new());
    }

    fn differs(&mut self, part: &'static str, name: impl Into<String>, detail: impl Into<String>) {
        self.push(part, name, true, detail, Vec::new());
    }

    /// A recorded input outside the inputs folder `base`: not read.
    fn outside(&mut self, part: &'static str, name: impl Into<String>, base: &Path) {
        self.push(
            part,
            name,
            true,
            crate::tr!("verify-outside", folder = base.display().to_string()),
            Vec::new(),
        );
        if let Some(last) = self.0.last_mut() {
            last.outside = true;
        }
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
            outside: false,
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
        return Err(Error::usage_t(
            "verify-not-a-folder",
            crate::args![folder = dir.display().to_string()],
        ));
    }
    if !path.exists() && dir.join("sweep.json").exists() {
        return Err(Error::usage_t(
            "verify-sweep-folder",
            crate::args![folder = dir.display().to_string()],
        ));
    }
    if !path.exists() {
        return Err(Error::usage_t(
            "verify-no-manifest",
            crate::args![folder = dir.display().to_string()],
        ));
    }
    let text = files::read_text(&path, "manifest", files::MAX_TEXT_BYTES)?;
    serde_json::from_str(&text).map_err(|e| {
        Error::usage_t(
            "verify-bad-manifest",
            crate::args![file = path.display().to_string(), problem = e.to_string()],
        )
    })
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
            crate::tr!("verify-prior-unchanged", sha256 = &record.manifest_sha256),
        ),
        Ok(bytes) => {
            found.differs(
                "prior",
                name,
                crate::tr!(
                    "verify-prior-changed",
                    recorded = &record.manifest_sha256,
                    now = sha256_hex(&bytes)
                ),
            );
            return;
        }
        Err(e) => {
            found.differs(
                "prior",
                name,
                crate::tr!(
                    "verify-prior-missing",
                    problem = e.diagnostics().first().map_or(String::new(), |d| d.message.clone())
                ),
            );
            return;
        }
    }
    if depth + 1 >= CHAIN_LIMIT {
        found.differs(
            "prior",
            record.folder.clone(),
            crate::tr!("verify-chain-too-long", limit = CHAIN_LIMIT),
        );
        return;
    }
    match verify_chain(&folder, options, depth + 1) {
        Ok(outcome) if outcome.verified => found.same(
            "prior",
            record.folder.clone(),
            crate::i18n::t("verify-prior-verified", &[]),
        ),
        Ok(outcome) => {
            let lines = outcome
                .findings
                .iter()
                .filter(|f| f.differs)
                .map(|f| format!("{} {}: {}", part_label(f.part), f.name, f.detail))
                .collect();
            found.push("prior", record.folder.clone(), true, outcome.verdict(), lines);
        }
        Err(e) => found.differs(
            "prior",
            record.folder.clone(),
            crate::tr!(
                "verify-failed",
                problem = e.diagnostics().first().map_or(String::new(), |d| d.message.clone())
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
            crate::i18n::t("verify-no-commit", &[])
        } else {
            t.git_commit.clone()
        };
        format!("{} {} ({commit})", t.name, t.version)
    };
    if manifest.tool == this {
        found.same("tool", tool(&manifest.tool), crate::i18n::t("verify-tool-same", &[]));
    } else {
        found.differs(
            "tool",
            tool(&manifest.tool),
            crate::tr!("verify-tool-differs", tool = tool(&this)),
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
            Some(short) => crate::i18n::text_in(
                crate::i18n::Lang::En,
                "verify-name-builtin",
                crate::args![formula = short, tool = tool(&manifest.tool)],
            ),
            None if record.embedded => crate::i18n::text_in(
                crate::i18n::Lang::En,
                "verify-name-embedded",
                crate::args![file = &record.file, tool = tool(&manifest.tool)],
            ),
            None => record.file.clone(),
        };
        if record.builtin.is_none() && !record.embedded && !options.allow_outside && outside(&record.file, &base_abs) {
            confined = false;
            found.outside(part, name, &base_abs);
            continue;
        }
        match current_hash(record, base) {
            Ok((hash, bytes)) if hash == record.sha256 && bytes == record.bytes => {
                found.same(part, name, crate::tr!("verify-unchanged", sha256 = &hash))
            }
            Ok((hash, bytes)) if hash == record.sha256 => found.differs(
                part,
                name,
                crate::tr!("verify-size-differs", recorded = record.bytes, now = bytes),
            ),
            Ok((hash, _)) => found.differs(
                part,
                name,
                crate::tr!("verify-changed", recorded = &record.sha256, now = &hash),
            ),
            Err(Unavailable::Missing(why)) => {
                missing.push(record.file.clone());
                found.differs(part, name, crate::tr!("verify-missing", problem = why));
            }
            Err(Unavailable::Unreadable(why)) => {
                confined = false; // nothing more is read
                found.differs(part, name, crate::tr!("verify-unreadable", problem = why));
            }
        }
    }
    if let (Some(file), Some(index)) = (&manifest.inputs.sweep, manifest.inputs.sweep_scenario) {
        found.same(
            "sweep",
            file.clone(),
            crate::tr!("verify-sweep-scenario", index = index),
        );
    }
    for (name, value) in manifest.inputs.set.iter().filter_map(|s| s.split_once('=')) {
        found.same("override", name, crate::tr!("verify-override", value = value));
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
            found.outside(part, path.clone(), &base_abs);
        }
    }
    if let Some(prior) = &manifest.prior {
        if !options.allow_outside && outside(&prior.folder, &base_abs) {
            confined = false;
            found.outside("prior", prior.folder.clone(), &base_abs);
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
                found.differs("output", name.clone(), crate::i18n::t("verify-output-manifest", &[]))
            }
            Some(kind) => asked.push(kind),
            None => found.differs("output", name.clone(), crate::i18n::t("verify-output-unknown", &[])),
        }
    }
    let changed_inputs = found.0.iter().any(|f| f.differs && f.part != "tool");
    let loaded = match load::load(&inputs) {
        Ok(loaded) => loaded,
        Err(e) if !missing.is_empty() => {
            let d = crate::diag::Diagnostic::error_t(
                "verify-cannot-recompute",
                crate::args![count = missing.len(), files = missing.join(", ")],
            );
            let d = match base {
                Some(base) => d.note_t(
                    "verify-cannot-recompute-not-under",
                    crate::args![folder = base.display().to_string()],
                ),
                None => d.note_t("verify-cannot-recompute-give-inputs", crate::args![]),
            };
            return Err(Error::Usage(vec![d.note_t(
                "verify-cannot-recompute-cause",
                crate::args![problem = e.diagnostics().first().map_or("", |d| d.message.as_str())],
            )]));
        }
        Err(e) => {
            // Nothing of a changed or unrecorded file is echoed: the count only.
            let detail = if changed_inputs {
                crate::tr!("verify-recompute-does-not-load", count = e.diagnostics().len())
            } else {
                crate::tr!(
                    "verify-failed",
                    problem = e.diagnostics().first().map_or(String::new(), |d| d.message.clone())
                )
            };
            found.differs(
                "recompute",
                crate::i18n::text_in(crate::i18n::Lang::En, "verify-name-the-run", &[]),
                detail,
            );
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
            found.differs(part, record.file.clone(), crate::i18n::t("verify-not-read-by-run", &[]));
        } else if !seen.insert(record.file.as_str()) {
            found.differs(part, record.file.clone(), crate::i18n::t("verify-recorded-twice", &[]));
        }
    }
    let content = loaded.data.content_sha256();
    let content_name = crate::i18n::text_in(crate::i18n::Lang::En, "verify-name-content", &[]);
    if content == manifest.data_content_sha256 {
        let detail = if changed_inputs {
            crate::tr!("verify-data-identical-reordered", sha256 = &content)
        } else {
            crate::tr!("verify-identical", sha256 = &content)
        };
        found.same("data", content_name.clone(), detail);
    }
    let content_finding = (content != manifest.data_content_sha256).then(|| {
        found.differs(
            "data",
            content_name.clone(),
            crate::tr!(
                "verify-data-changed",
                recorded = &manifest.data_content_sha256,
                now = &content
            ),
        );
        found.0.len() - 1
    });
    let mut recorded_params = manifest.params.clone();
    for (param, value) in loaded.formula.params.iter().zip(&loaded.params) {
        let now = crate::money::format_plain(*value);
        match recorded_params.remove(&param.name) {
            Some(v) if v == now => {}
            Some(v) => found.differs(
                "param",
                param.name.clone(),
                crate::tr!("verify-param-differs", recorded = v, now = &now),
            ),
            None => found.differs(
                "param",
                param.name.clone(),
                crate::tr!("verify-param-not-recorded", now = &now),
            ),
        }
    }
    for (name, value) in recorded_params {
        found.differs("param", name, crate::tr!("verify-param-unknown", recorded = value));
    }
    // The date dated params were taken at, and where each came from.
    let date_now = loaded.formula.recorded_date();
    if date_now != manifest.date {
        let show = |d: &Option<String>| d.clone().unwrap_or_else(|| crate::i18n::t("verify-none", &[]));
        found.differs(
            "param",
            "date",
            crate::tr!(
                "verify-param-differs",
                recorded = show(&manifest.date),
                now = show(&date_now)
            ),
        );
    }
    let dated_now = loaded.formula.dated_origins(&loaded.params);
    if dated_now != manifest.dated_params {
        found.differs(
            "param",
            "dated_params",
            crate::tr!(
                "verify-param-differs",
                recorded = format!("{:?}", manifest.dated_params),
                now = format!("{dated_now:?}")
            ),
        );
    }
    // The prior run read now must be the one recorded (folder and manifest), whichever
    // field of the manifest names it.
    if loaded.prior != manifest.prior {
        let show = |p: &Option<PriorRecord>| match p {
            Some(p) => crate::tr!("verify-prior-record", folder = &p.folder, sha256 = &p.manifest_sha256),
            None => crate::i18n::t("verify-none", &[]),
        };
        found.differs(
            "prior",
            crate::i18n::text_in(crate::i18n::Lang::En, "verify-name-run-prior", &[]),
            crate::tr!(
                "verify-prior-mismatch",
                recorded = show(&manifest.prior),
                read = show(&loaded.prior)
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
            found.0[index].detail = crate::tr!(
                "verify-data-changed-units",
                added = added,
                removed = removed,
                changed = changed,
                recorded = &manifest.data_content_sha256,
                now = &content
            );
        }
    }

    // 4. The outputs, byte for byte.
    for file in &rendered {
        let path = dir.join(file.name);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            found.differs("output", file.name, crate::i18n::t("verify-output-symlink", &[]));
            continue;
        }
        let published = match files::read_regular(&path, "published output", files::MAX_DATA_BYTES) {
            Ok(bytes) => bytes,
            Err(_) => {
                found.differs("output", file.name, crate::i18n::t("verify-output-missing", &[]));
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
                crate::tr!("verify-output-edited", sha256 = &hash, recorded = r),
                lines,
            ),
            (_, true) => found.same("output", file.name, crate::tr!("verify-identical", sha256 = &hash)),
            (_, false) => found.push(
                "output",
                file.name,
                true,
                crate::tr!("verify-output-differs", sha256 = &hash),
                lines,
            ),
        }
    }

    if trace_asked {
        let name = OutputKind::Trace.file_name();
        let path = dir.join(name);
        match crate::audit::hash::sha256_file(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                found.differs("output", name, crate::i18n::t("verify-output-missing", &[]))
            }
            Err(_) => found.differs("output", name, crate::i18n::t("verify-output-not-regular", &[])),
            Ok(published) => {
                let recomputed = run.trace_sha256()?;
                match manifest.outputs.get(name) {
                    Some(r) if *r != published => found.differs(
                        "output",
                        name,
                        crate::tr!("verify-output-edited", sha256 = &published, recorded = r),
                    ),
                    _ if published == recomputed => {
                        found.same("output", name, crate::tr!("verify-identical", sha256 = &published))
                    }
                    _ => found.differs(
                        "output",
                        name,
                        crate::tr!("verify-trace-differs", sha256 = &published, recomputed = &recomputed),
                    ),
                }
            }
        }
    }

    // 5. Files equalize writes that the manifest does not list.
    for kind in OutputKind::ALL {
        let name = kind.file_name();
        if kind != OutputKind::Manifest && !manifest.outputs.contains_key(name) && dir.join(name).exists() {
            found.differs("output", name, crate::i18n::t("verify-output-unlisted", &[]));
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
            .map_err(|_| Unavailable::Missing(crate::tr!("verify-no-builtin", formula = short)));
    }
    if record.embedded {
        if let crate::data::DataSource::Embedded { folder, files } = DEMO_DATA {
            let name = record.file.strip_prefix(folder).map(|n| n.trim_start_matches('/'));
            if let Some((_, bytes)) = files.iter().find(|(n, _)| Some(*n) == name) {
                return Ok((sha256_hex(bytes), bytes.len() as u64));
            }
        }
        return Err(Unavailable::Missing(crate::i18n::t("verify-no-embedded", &[])));
    }
    let path = crate::data::on_disk(base, Path::new(&record.file));
    files::read_regular(&path, "input", files::MAX_DATA_BYTES)
        .map(|b| (sha256_hex(&b), b.len() as u64))
        .map_err(|e| match e {
            Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                Unavailable::Missing(crate::i18n::t("verify-no-such-file", &[]))
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
        return vec![crate::tr!(
            "verify-columns-differ",
            old = old_header.join(","),
            new = new_header.join(",")
        )];
    }
    let mut lines = Vec::new();
    let mut count = 0;
    for (unit, old_row) in &old_rows {
        let change = match new_rows.get(unit) {
            None => Some(crate::tr!("verify-unit-gone", key = key, unit = unit)),
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
            lines.push(crate::tr!("verify-unit-new", key = key, unit = unit));
        }
    }
    if count > UNITS_LISTED {
        lines.push(crate::tr!("verify-more-units", count = count - UNITS_LISTED));
    }
    lines.insert(0, crate::tr!("verify-units-differ", count = count));
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
                    lines.push(crate::tr!(
                        "verify-input-changed",
                        unit = unit,
                        name = name,
                        old = &old_row[i],
                        new = new_row.get(i).cloned().unwrap_or_default(),
                        file = file
                    ));
                }
            }
        }
    }
    if lines.len() > UNITS_LISTED {
        let more = lines.len() - UNITS_LISTED;
        lines.truncate(UNITS_LISTED);
        lines.push(crate::tr!("verify-more-inputs", count = more));
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
    fn the_verdict_counts_in_each_language() {
        let args = crate::args![differing = 1usize];
        assert_eq!(
            crate::i18n::text_in(crate::i18n::Lang::En, "verify-reason-differ", args),
            "1 finding differs (marked !)"
        );
        let args = crate::args![differing = 3usize, outside = 1usize];
        assert_eq!(
            crate::i18n::text_in(crate::i18n::Lang::En, "verify-reason-both", args),
            "3 findings differ, and 1 input outside the inputs folder not read (marked !)"
        );
        assert_eq!(
            crate::i18n::text_in(crate::i18n::Lang::Zh, "verify-reason-both", args),
            "3 项结果不一致，另有 1 个位于输入文件夹之外的输入未读取（标记为 !）"
        );
        assert_eq!(pad("tool", 6), "tool  ");
        assert_eq!(pad("工具", 6), "工具  ");
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
