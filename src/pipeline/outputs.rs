//! The output registry: every file a run can write, its name, how it is rendered and
//! how `verify` checks it.
//!
//! [`OutputKind`] is the one list. Every `match` on it is exhaustive, so a new kind
//! does not compile until it has a file name, a renderer and a verification rule:
//! `verify` re-renders every kind a manifest lists and refuses names it does not know.

use std::path::{Path, PathBuf};

use super::inputs::RunInputs;
use super::load::Loaded;
use crate::audit::manifest::{self, FileRecord, Manifest, Tool};
use crate::audit::values::Values;
use crate::engine::Computation;
use crate::error::{Error, Result};
use crate::money;
use crate::report::{self, summary::Summary, OutputFile};

/// One kind of output file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OutputKind {
    Allocations,
    Audit,
    Summary,
    Trace,
    ReportXlsx,
    ReportHtml,
    Manifest,
}

/// How `verify` checks a published file of a kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verification {
    /// Rendered again from the recomputed run and compared byte for byte.
    Rerender,
    /// The record of the run itself: read, never re-rendered (it holds the run time).
    Record,
}

impl OutputKind {
    /// Every kind, in the order a run writes (and lists) them.
    pub const ALL: [OutputKind; 7] = [
        OutputKind::Allocations,
        OutputKind::Audit,
        OutputKind::Summary,
        OutputKind::Trace,
        OutputKind::ReportXlsx,
        OutputKind::ReportHtml,
        OutputKind::Manifest,
    ];

    pub fn file_name(self) -> &'static str {
        match self {
            OutputKind::Allocations => "allocations.csv",
            OutputKind::Audit => "audit.csv",
            OutputKind::Summary => "summary.json",
            OutputKind::Trace => "trace.jsonl",
            OutputKind::ReportXlsx => "report.xlsx",
            OutputKind::ReportHtml => "report.html",
            OutputKind::Manifest => "manifest.json",
        }
    }

    pub fn from_file_name(name: &str) -> Option<OutputKind> {
        OutputKind::ALL.into_iter().find(|k| k.file_name() == name)
    }

    /// Written by every run, whatever was asked.
    pub fn always(self) -> bool {
        match self {
            OutputKind::Allocations | OutputKind::Audit | OutputKind::Summary | OutputKind::Manifest => true,
            OutputKind::Trace | OutputKind::ReportXlsx | OutputKind::ReportHtml => false,
        }
    }

    pub fn verification(self) -> Verification {
        match self {
            OutputKind::Manifest => Verification::Record,
            OutputKind::Allocations
            | OutputKind::Audit
            | OutputKind::Summary
            | OutputKind::Trace
            | OutputKind::ReportXlsx
            | OutputKind::ReportHtml => Verification::Rerender,
        }
    }
}

/// A loaded and computed run: the read model every output is rendered from.
pub struct Run {
    pub inputs: RunInputs,
    pub loaded: Loaded,
    pub result: Computation,
}

/// A run's files rendered in memory, and its summary (built once: its metrics are not cheap).
pub struct Rendered {
    pub files: Vec<OutputFile>,
    pub summary: Summary,
}

impl Run {
    /// Load and compute.
    pub fn compute(inputs: RunInputs) -> Result<Run> {
        let loaded = super::load::load(&inputs)?;
        Run::from_loaded(inputs, loaded)
    }

    /// Compute what has been loaded.
    pub fn from_loaded(inputs: RunInputs, loaded: Loaded) -> Result<Run> {
        let result = crate::engine::compute(&loaded.formula, &loaded.data, &loaded.params, &loaded.sources)
            .map_err(|e| e.with_warnings(&loaded.warnings))?;
        report::csv::check_output_unit(&loaded.formula, &loaded.data, &result)?;
        Ok(Run { inputs, loaded, result })
    }

    /// Warnings about the computed run (a bound that rounding could not keep).
    pub fn warnings(&self) -> Vec<crate::diag::Diagnostic> {
        crate::engine::rounding_warnings(
            &self.loaded.formula,
            &self.loaded.data,
            &self.result,
            &self.loaded.sources,
        )
    }

    /// The allocation table as published (`report::published`).
    /// How this run's report files are written: in the formula's `[report] language` when
    /// it says one, else in the language the run was asked to write them in
    /// ([`RunInputs::report_language`]), else English.
    pub fn report_options(&self) -> report::ReportOptions {
        let settings = &self.loaded.formula.report;
        let language = match (settings.language_set, settings.chinese) {
            (true, true) => crate::i18n::Lang::Zh,
            (true, false) => crate::i18n::Lang::En,
            (false, _) => self.inputs.report_language.unwrap_or(crate::i18n::Lang::En),
        };
        report::ReportOptions { language }
    }

    pub fn published(&self, summary: &Summary) -> report::published::Published {
        let scenario = summary.scenario.as_ref().map(|s| s.name.as_str());
        report::published::build(&self.values(), scenario, &summary.unit, self.report_options().language)
    }

    pub fn values(&self) -> Values<'_> {
        Values::new(&self.loaded.formula, &self.loaded.data, &self.result)
    }

    /// Render the kinds asked for, and those every run writes, in registry order.
    /// The manifest is rendered last, over the hashes of the others.
    pub fn render(&self, asked: &[OutputKind]) -> Result<Rendered> {
        self.render_parts(asked, false)
    }

    /// As [`Run::render`]; with `stream_audit`, audit.csv is left out (the caller streams
    /// it to its file: see [`Run::write`]) unless a workbook, which holds it, is asked for.
    /// `for_folder`: [`Run::write`] is the caller; it streams audit.csv to its file (unless
    /// a report needs it in memory) and writes the manifest itself, over the staged files.
    fn render_parts(&self, asked: &[OutputKind], for_folder: bool) -> Result<Rendered> {
        let stream_audit = for_folder && streams_audit(asked);
        let (formula, data, result) = (&self.loaded.formula, &self.loaded.data, &self.result);
        let scenario = self.loaded.scenario.as_ref().map(|s| report::summary::ScenarioSummary {
            name: s.name.clone(),
            description: s.description.clone(),
            file: s.file.clone(),
        });
        let mut summary = report::summary::build(formula, data, result, scenario);
        summary.csv_label_row = self.inputs.csv_labels;
        let raw = self.inputs.csv_raw;
        // The reports read the plain tables; the files get the label row when asked.
        let mut allocations = report::csv::allocations(formula, data, result, raw, false)?;
        let mut audit = if stream_audit {
            Vec::new()
        } else {
            report::csv::audit(formula, data, result, raw, false)?
        };
        let labelled = self.inputs.csv_labels;
        let mut files: Vec<OutputFile> = Vec::new();
        for kind in OutputKind::ALL {
            if !kind.always() && !asked.contains(&kind)
                || (kind == OutputKind::Audit && stream_audit)
                || (kind == OutputKind::Manifest && for_folder)
            {
                continue;
            }
            // The reports read the tables after them; without a report the file takes them.
            let reports_follow = asked
                .iter()
                .any(|k| matches!(k, OutputKind::ReportXlsx | OutputKind::ReportHtml));
            let bytes = match kind {
                OutputKind::Allocations if labelled => report::csv::allocations(formula, data, result, raw, true)?,
                OutputKind::Audit if labelled => report::csv::audit(formula, data, result, raw, true)?,
                OutputKind::Allocations if reports_follow => allocations.clone(),
                OutputKind::Audit if reports_follow => audit.clone(),
                OutputKind::Allocations => std::mem::take(&mut allocations),
                OutputKind::Audit => std::mem::take(&mut audit),
                OutputKind::Summary => report::summary::render(&summary)?,
                OutputKind::Trace => report::trace::render(formula, data, result)?,
                OutputKind::ReportXlsx => {
                    let places = report::csv::report_places(formula);
                    let published = self.published(&summary);
                    report::xlsx::run_with(
                        &summary,
                        &published,
                        &allocations,
                        &audit,
                        (places, formula.label.is_some()),
                        &self.report_options(),
                    )?
                }
                OutputKind::ReportHtml => {
                    let text_columns = if formula.label.is_some() { 2 } else { 1 };
                    let per_capita = report::metrics::per_capita(&self.values());
                    let published = self.published(&summary);
                    report::html::run_with(
                        &summary,
                        &published,
                        &allocations,
                        text_columns,
                        per_capita.as_deref(),
                        &self.report_options(),
                    )
                }
                OutputKind::Manifest => {
                    let hashes = files
                        .iter()
                        .map(|f| (f.name.to_string(), crate::audit::hash::sha256_hex(&f.bytes)))
                        .collect();
                    self.manifest_bytes(hashes, self.loaded.data.content_sha256())?
                }
            };
            files.push(OutputFile {
                name: kind.file_name(),
                bytes,
            });
        }
        Ok(Rendered { files, summary })
    }

    /// The manifest's bytes, given the data's content hash (`Dataset::content_sha256`).
    fn manifest_bytes(&self, hashes: std::collections::BTreeMap<String, String>, content: String) -> Result<Vec<u8>> {
        let mut bytes = serde_json::to_vec_pretty(&self.manifest_with(hashes, content))
            .map_err(|e| Error::Internal(format!("manifest: {e}")))?;
        bytes.push(b'\n');
        Ok(bytes)
    }

    /// The manifest of this run over outputs with the given SHA-256 hashes.
    pub fn manifest(&self, outputs: std::collections::BTreeMap<String, String>) -> Manifest {
        self.manifest_with(outputs, self.loaded.data.content_sha256())
    }

    /// [`Run::manifest`], given the data's content hash.
    fn manifest_with(&self, outputs: std::collections::BTreeMap<String, String>, content: String) -> Manifest {
        let loaded = &self.loaded;
        Manifest {
            tool: Tool::this(),
            sweep: loaded.sweep.as_ref().map(|s| FileRecord {
                file: s.file.clone(),
                sha256: s.sha256.clone(),
                bytes: s.bytes,
                embedded: false,
                builtin: None,
            }),
            scenario_name: loaded.scenario.as_ref().map(|s| s.name.clone()),
            scenario: loaded.scenario.as_ref().map(|s| FileRecord {
                file: s.file.clone(),
                sha256: s.sha256.clone(),
                bytes: s.bytes,
                embedded: false,
                builtin: None,
            }),
            formula: FileRecord {
                file: loaded.formula.origin.clone(),
                sha256: loaded.formula_sha256.clone(),
                bytes: loaded.formula_bytes,
                embedded: loaded.formula_builtin.is_some(),
                builtin: loaded.formula_builtin.clone(),
            },
            data: loaded
                .data
                .files
                .iter()
                .map(|f| FileRecord {
                    file: f.name.clone(),
                    sha256: f.sha256.clone(),
                    bytes: f.bytes,
                    embedded: f.embedded,
                    builtin: None,
                })
                .collect(),
            data_content_sha256: content,
            inputs: self.inputs.record(),
            params: loaded
                .formula
                .params
                .iter()
                .zip(&loaded.params)
                .map(|(p, v)| (p.name.clone(), money::format_plain(*v)))
                .collect(),
            prior: loaded.prior.clone(),
            date: loaded.formula.recorded_date(),
            dated_params: loaded.formula.dated_origins(&loaded.params),
            outputs,
            command: std::env::args().skip(1).collect(),
            run_at: manifest::now(),
        }
    }

    /// Render and write into `out`, all files at once or none (see `report::folder`).
    /// Refuses a folder that holds one of the run's inputs. The trace streams to its file
    /// (memory stays flat in the number of units), as audit.csv does; the rest renders after.
    pub fn write(&self, out: &Path, asked: &[OutputKind]) -> Result<(Vec<PathBuf>, Summary)> {
        self.refuse_input_folder(out)?;
        let in_memory: Vec<OutputKind> = asked.iter().copied().filter(|k| *k != OutputKind::Trace).collect();
        let family = OutputKind::ALL.map(OutputKind::file_name);
        let folder = report::folder::Folder::open(out, &family)?;
        let mut hashes = std::collections::BTreeMap::new();
        let mut names = Vec::new();
        // The streamed files first: their flushes to disk (the longest, for audit.csv) then
        // run while the other files render.
        let (formula, data, result) = (&self.loaded.formula, &self.loaded.data, &self.result);
        let stream = || -> Result<Vec<(&'static str, String)>> {
            let mut streamed = Vec::new();
            if streams_audit(&in_memory) {
                // audit.csv streams to its staged file, hashed as it goes.
                let name = OutputKind::Audit.file_name();
                let (raw, labels) = (self.inputs.csv_raw, self.inputs.csv_labels);
                let hash = folder.stage_with(name, &mut |w| {
                    report::csv::audit_to(formula, data, result, raw, labels, w)
                })?;
                streamed.push((name, hash));
            }
            if asked.contains(&OutputKind::Trace) {
                let name = OutputKind::Trace.file_name();
                let hash = folder.stage_with(name, &mut |w| report::trace::write_to(formula, data, result, w, name))?;
                streamed.push((name, hash));
            }
            Ok(streamed)
        };
        // The rest renders with the data's content hash (for the manifest). For a small run
        // all three go side by side (the streamed file's hashing and writing are serial, as
        // is the summary's rendering); a large one does each in parallel in turn, as the
        // hash's window of rendered rows would otherwise add to the metrics' peak of memory.
        let rest = || self.render_parts(&in_memory, true);
        let (streamed, rendered, content) = if crate::threads::worth_parallel(data.len()) {
            // A file that could not be staged ends the run before seconds of rendering.
            let streamed = stream()?;
            (streamed, rest(), data.content_sha256())
        } else {
            let (streamed, (rendered, content)) = rayon::join(stream, || rayon::join(rest, || data.content_sha256()));
            (streamed?, rendered, content)
        };
        for (name, hash) in streamed {
            hashes.insert(name.to_string(), hash);
            names.push(name.to_string());
        }
        let rendered = rendered?;
        for file in rendered
            .files
            .iter()
            .filter(|f| f.name != OutputKind::Manifest.file_name())
        {
            folder.stage(file.name, &file.bytes)?;
            hashes.insert(file.name.to_string(), crate::audit::hash::sha256_hex(&file.bytes));
            names.push(file.name.to_string());
        }
        let manifest = OutputKind::Manifest.file_name();
        folder.stage(manifest, &self.manifest_bytes(hashes, content)?)?;
        names.push(manifest.to_string());
        // In registry order, as a run lists them.
        names.sort_by_key(|n| OutputKind::from_file_name(n));
        let written = folder.commit(&names)?;
        Ok((written, rendered.summary))
    }

    /// The SHA-256 of this run's trace, computed as it streams (never held in memory).
    pub fn trace_sha256(&self) -> Result<String> {
        let mut writer = crate::audit::hash::HashingWriter::new(std::io::sink());
        report::trace::write_to(
            &self.loaded.formula,
            &self.loaded.data,
            &self.result,
            &mut writer,
            "trace",
        )?;
        Ok(writer.finish().1)
    }

    /// The files the run read from disk, where they are on disk.
    pub fn input_paths(&self) -> Vec<PathBuf> {
        let loaded = &self.loaded;
        let mut inputs: Vec<PathBuf> = loaded
            .data
            .files
            .iter()
            .filter(|f| !f.embedded)
            .map(|f| self.inputs.on_disk(Path::new(&f.name)))
            .collect();
        if loaded.formula_builtin.is_none() {
            inputs.push(self.inputs.on_disk(Path::new(&loaded.formula.origin)));
        }
        inputs.extend(loaded.scenario.iter().map(|s| self.inputs.on_disk(Path::new(&s.file))));
        inputs.extend(loaded.sweep.iter().map(|s| self.inputs.on_disk(Path::new(&s.file))));
        // The prior run's folder is an input too: writing there would replace last year.
        inputs.extend(loaded.prior.iter().map(|p| {
            self.inputs
                .on_disk(Path::new(&p.folder))
                .join(OutputKind::Manifest.file_name())
        }));
        inputs
    }

    /// Outputs never go into a folder that holds the run's inputs: a file there could be
    /// overwritten, and inputs and results would mix.
    fn refuse_input_folder(&self, out: &Path) -> Result<()> {
        crate::files::refuse_folder_of_inputs(out, &self.input_paths())
    }
}

/// Whether a run into a folder streams audit.csv to its file rather than rendering it in
/// memory: unless a workbook report, which holds the audit table, is asked for too.
fn streams_audit(asked: &[OutputKind]) -> bool {
    !asked.contains(&OutputKind::ReportXlsx)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The registry is the one list: every kind once, names unique, and a kind's index in
    /// `ALL` found by an exhaustive match (a new variant fails to compile here until listed).
    #[test]
    fn every_kind_is_listed_once_with_a_unique_name() {
        fn position(kind: OutputKind) -> usize {
            match kind {
                OutputKind::Allocations => 0,
                OutputKind::Audit => 1,
                OutputKind::Summary => 2,
                OutputKind::Trace => 3,
                OutputKind::ReportXlsx => 4,
                OutputKind::ReportHtml => 5,
                OutputKind::Manifest => 6,
            }
        }
        for (i, kind) in OutputKind::ALL.into_iter().enumerate() {
            assert_eq!(position(kind), i, "{kind:?} out of place in ALL");
            assert_eq!(OutputKind::from_file_name(kind.file_name()), Some(kind));
        }
        assert_eq!(OutputKind::from_file_name("notes.txt"), None);
    }

    #[test]
    fn only_the_manifest_is_not_rendered_again() {
        let records: Vec<OutputKind> = OutputKind::ALL
            .into_iter()
            .filter(|k| k.verification() == Verification::Record)
            .collect();
        assert_eq!(records, vec![OutputKind::Manifest]);
    }

    #[test]
    fn a_demo_run_renders_what_was_asked_and_the_main_files_in_order() {
        let run = Run::compute(RunInputs::default()).unwrap();
        let rendered = run.render(&[OutputKind::ReportHtml]).unwrap();
        let names: Vec<&str> = rendered.files.iter().map(|f| f.name).collect();
        assert_eq!(
            names,
            [
                "allocations.csv",
                "audit.csv",
                "summary.json",
                "report.html",
                "manifest.json"
            ]
        );
        let manifest: Manifest = serde_json::from_slice(&rendered.files[4].bytes).unwrap();
        let hashed: Vec<&String> = manifest.outputs.keys().collect();
        assert_eq!(hashed, ["allocations.csv", "audit.csv", "report.html", "summary.json"]);
        assert_eq!(
            manifest.outputs["allocations.csv"],
            crate::audit::hash::sha256_hex(&rendered.files[0].bytes)
        );
    }
}
