//! `equalize._native`: the library's pipeline for Python, and nothing else.
//!
//! Thin by design: every call builds plain [`RunInputs`] and calls the same pipeline as
//! the command line, so a run from Python writes the same bytes. Results cross as text
//! (CSV with exact decimals, JSON) that the pure-Python layer (`python/equalize`) turns
//! into DataFrames of `decimal.Decimal`; errors cross as one exception carrying the
//! kind, the text the command line prints, and each diagnostic's place and message.
//! Long work runs with the interpreter released, so other threads go on, and Ctrl-C
//! interrupts a run or a sweep at once (`interruptible`).

use std::path::PathBuf;

use equalize::audit::explain;
use equalize::error::Error;
use equalize::pipeline::{OutputKind, Override, Run as PipelineRun, RunInputs};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;

pyo3::create_exception!(_native, NativeError, PyException);

/// Run `work` on a thread of its own and wait for it with the interpreter released,
/// checking for Ctrl-C every tenth of a second: an interrupt returns at once with
/// KeyboardInterrupt (the abandoned work finishes in the background and is dropped;
/// it writes nothing, since writing happens after this returns).
fn interruptible<T: Send + 'static>(py: Python<'_>, work: impl FnOnce() -> T + Send + 'static) -> PyResult<T> {
    use std::sync::mpsc::{channel, RecvTimeoutError};
    let (sender, receiver) = channel();
    // Waited on with the interpreter released, which asks for a Sync value.
    let receiver = std::sync::Mutex::new(receiver);
    std::thread::spawn(move || {
        let _ = sender.send(work());
    });
    loop {
        let waited = py.detach(|| match receiver.lock() {
            Ok(r) => r.recv_timeout(std::time::Duration::from_millis(100)),
            Err(_) => Err(RecvTimeoutError::Disconnected),
        });
        match waited {
            Ok(value) => return Ok(value),
            Err(RecvTimeoutError::Timeout) => py.check_signals()?,
            Err(RecvTimeoutError::Disconnected) => {
                return Err(NativeError::new_err((
                    "internal",
                    "the computation stopped unexpectedly".to_string(),
                    Vec::<Py<PyDict>>::new(),
                )))
            }
        }
    }
}

/// An equalize error as a Python exception: (kind, rendered text, [diagnostic dicts]).
fn to_py(py: Python<'_>, error: Error) -> PyErr {
    let kind = match &error {
        Error::Usage(_) => "usage",
        Error::Invalid(_) | Error::Reported(_) => "invalid",
        Error::Infeasible(_) => "infeasible",
        Error::Io { .. } => "usage",
        _ => "internal",
    };
    let diagnostics = error.diagnostics();
    let text = equalize::diag::render(&diagnostics);
    let list: Vec<Py<PyDict>> = diagnostics
        .iter()
        .map(|d| {
            let dict = PyDict::new(py);
            use equalize::diag::Location;
            let (file, line, column, unit, cell) = match &d.location {
                Location::Source { file, line, column, .. } => {
                    (Some(file.clone()), Some(*line), Some(*column), None, None)
                }
                Location::File(file) => (Some(file.clone()), None, None, None, None),
                Location::Unit { key } => (None, None, None, Some(key.clone()), None),
                Location::Cell { file, sheet, cell } => {
                    (Some(file.clone()), None, None, None, Some(format!("{sheet}!{cell}")))
                }
                Location::None => (None, None, None, None, None),
            };
            let severity = match d.severity {
                equalize::diag::Severity::Error => "error",
                equalize::diag::Severity::Warning => "warning",
            };
            let _ = dict.set_item("severity", severity);
            let _ = dict.set_item("code", d.code);
            let _ = dict.set_item("cell", cell);
            let _ = dict.set_item("message", &d.message);
            let _ = dict.set_item("file", file);
            let _ = dict.set_item("line", line);
            let _ = dict.set_item("column", column);
            let _ = dict.set_item("unit", unit);
            let _ = dict.set_item("notes", d.notes.clone());
            dict.unbind()
        })
        .collect();
    NativeError::new_err((kind, text, list))
}

/// The inputs of a run, as the keyword arguments name them.
#[allow(clippy::too_many_arguments)]
fn inputs(
    formula: Option<String>,
    data: Vec<String>,
    tables: Vec<(String, Vec<u8>)>,
    set: Vec<(String, String)>,
    scenario: Option<String>,
    date: Option<String>,
    prior: Option<String>,
    filter: Option<String>,
) -> RunInputs {
    RunInputs {
        formula: formula.map(PathBuf::from),
        data: data.into_iter().map(PathBuf::from).collect(),
        tables,
        overrides: set.into_iter().map(|(n, v)| Override::new(n, v)).collect(),
        scenario: scenario.map(PathBuf::from),
        date,
        prior: prior.map(PathBuf::from),
        filter,
        ..RunInputs::default()
    }
}

/// A computed run.
#[pyclass(frozen, module = "equalize._native")]
struct Run {
    run: PipelineRun,
}

#[pymethods]
impl Run {
    /// allocations.csv, audit.csv and summary.json as the command line writes them.
    fn outputs(&self, py: Python<'_>) -> PyResult<(String, String, String)> {
        let rendered = py.detach(|| self.run.render(&[])).map_err(|e| to_py(py, e))?;
        let text = |name: &str| {
            rendered
                .files
                .iter()
                .find(|f| f.name == name)
                .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
                .unwrap_or_default()
        };
        Ok((text("allocations.csv"), text("audit.csv"), text("summary.json")))
    }

    /// The derivation of one unit's amount (or of one var), as JSON, markdown or text.
    #[pyo3(signature = (key, var=None, format="json"))]
    fn explain(&self, py: Python<'_>, key: &str, var: Option<&str>, format: &str) -> PyResult<String> {
        let values = self.run.values();
        let row = self
            .run
            .loaded
            .data
            .find_unit(key)
            .map_err(|m| to_py(py, Error::usage(m)))?;
        let tree = match var {
            None => explain::unit(&values, row, explain::Cells::Cited),
            Some(name) => match values.find(name) {
                Some(named) => explain::named(&values, row, named, explain::Cells::Cited),
                None => {
                    return Err(to_py(
                        py,
                        Error::usage(format!("the formula has no var or stage '{name}'")),
                    ))
                }
            },
        };
        match format {
            "json" => serde_json::to_string(&tree).map_err(|e| to_py(py, Error::Internal(e.to_string()))),
            "markdown" => {
                let scenario = self.run.loaded.scenario.as_ref().map(|s| s.name.as_str());
                Ok(explain::markdown(&tree, &values, row, false, scenario))
            }
            "text" => Ok(explain::render(&tree)),
            other => Err(to_py(
                py,
                Error::usage(format!("format must be json, markdown or text, not '{other}'")),
            )),
        }
    }

    /// Write the run's files into `out` (all at once, manifest included), as `equalize run`.
    #[pyo3(signature = (out, trace=false, reports=Vec::new()))]
    fn write(&self, py: Python<'_>, out: &str, trace: bool, reports: Vec<String>) -> PyResult<Vec<String>> {
        let mut asked = Vec::new();
        if trace {
            asked.push(OutputKind::Trace);
        }
        for report in &reports {
            match report.as_str() {
                "xlsx" => asked.push(OutputKind::ReportXlsx),
                "html" => asked.push(OutputKind::ReportHtml),
                other => {
                    return Err(to_py(
                        py,
                        Error::usage(format!("reports are xlsx and html, not '{other}'")),
                    ))
                }
            }
        }
        let written = py
            .detach(|| self.run.write(std::path::Path::new(out), &asked))
            .map_err(|e| to_py(py, e))?;
        Ok(written.0.iter().map(|p| p.display().to_string()).collect())
    }

    /// Warnings about the data and the rounding, as the command line prints them.
    fn warnings(&self) -> Vec<String> {
        let mut all = self.run.loaded.warnings.clone();
        all.extend(self.run.warnings());
        all.iter().map(|d| d.render(false).trim_end().to_string()).collect()
    }

    /// The columns of the outputs that hold text: the key, the label and text inputs.
    fn text_columns(&self) -> Vec<String> {
        let formula = &self.run.loaded.formula;
        let mut names = vec![formula.key.clone()];
        names.extend(formula.label.clone());
        names.extend(
            formula
                .inputs
                .iter()
                .filter(|i| i.kind == equalize::formula::spec::InputKind::Text)
                .map(|i| i.name.clone()),
        );
        names
    }
}

/// Load and compute a run.
#[pyfunction]
#[pyo3(signature = (formula=None, data=Vec::new(), tables=Vec::new(), set=Vec::new(), scenario=None, date=None, prior=None, filter=None))]
#[allow(clippy::too_many_arguments)]
fn run(
    py: Python<'_>,
    formula: Option<String>,
    data: Vec<String>,
    tables: Vec<(String, Vec<u8>)>,
    set: Vec<(String, String)>,
    scenario: Option<String>,
    date: Option<String>,
    prior: Option<String>,
    filter: Option<String>,
) -> PyResult<Run> {
    let inputs = inputs(formula, data, tables, set, scenario, date, prior, filter);
    let run = interruptible(py, move || PipelineRun::compute(inputs))?.map_err(|e| to_py(py, e))?;
    Ok(Run { run })
}

/// Load and check a formula on its data without computing: the warnings, or an error.
#[pyfunction]
#[pyo3(signature = (formula=None, data=Vec::new(), tables=Vec::new(), set=Vec::new(), scenario=None, date=None, prior=None, filter=None))]
#[allow(clippy::too_many_arguments)]
fn check(
    py: Python<'_>,
    formula: Option<String>,
    data: Vec<String>,
    tables: Vec<(String, Vec<u8>)>,
    set: Vec<(String, String)>,
    scenario: Option<String>,
    date: Option<String>,
    prior: Option<String>,
    filter: Option<String>,
) -> PyResult<Vec<String>> {
    let inputs = inputs(formula, data, tables, set, scenario, date, prior, filter);
    let loaded = py
        .detach(|| equalize::pipeline::load(&inputs))
        .map_err(|e| to_py(py, e))?;
    Ok(loaded
        .warnings
        .iter()
        .map(|d| d.render(false).trim_end().to_string())
        .collect())
}

/// Verify a published run folder: (verified, report text).
#[pyfunction]
#[pyo3(signature = (folder, inputs=None))]
fn verify(py: Python<'_>, folder: &str, inputs: Option<String>) -> PyResult<(bool, String)> {
    let options = equalize::pipeline::VerifyOptions {
        inputs: inputs.map(PathBuf::from),
        allow_outside: false,
    };
    let outcome = py
        .detach(|| equalize::pipeline::verify(std::path::Path::new(folder), &options))
        .map_err(|e| to_py(py, e))?;
    Ok((outcome.verified, outcome.text()))
}

/// Run a sweep file's scenarios (those of shard `I/N`): its tables as text, by file name.
#[pyfunction]
#[pyo3(signature = (file, shard=None))]
fn sweep(py: Python<'_>, file: &str, shard: Option<String>) -> PyResult<Vec<(String, String)>> {
    let shard = match shard.as_deref() {
        None => equalize::sweep::Shard::WHOLE,
        Some(text) => equalize::sweep::Shard::parse(text).map_err(|m| to_py(py, Error::usage(m)))?,
    };
    let file = file.to_string();
    let done = interruptible(py, move || {
        let spec = equalize::sweep::read(std::path::Path::new(&file))?;
        equalize::sweep::execute(&spec, shard, equalize::report::table::Format::Csv, &|| {})
    })?
    .map_err(|e| to_py(py, e))?;
    Ok(done
        .files
        .into_iter()
        .map(|f| (f.name.to_string(), String::from_utf8_lossy(&f.bytes).into_owned()))
        .collect())
}

/// The language of messages and errors from now on: `en` or `zh` (the library's default is
/// English; output files never depend on it).
#[pyfunction]
fn set_language(lang: &str) -> PyResult<()> {
    match equalize::i18n::Lang::parse(lang) {
        Some(l) => {
            equalize::i18n::set_language(l);
            Ok(())
        }
        None => Err(pyo3::exceptions::PyValueError::new_err(format!(
            "unknown language '{lang}': the languages are en and zh"
        ))),
    }
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("NativeError", m.py().get_type::<NativeError>())?;
    m.add_class::<Run>()?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(set_language, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
