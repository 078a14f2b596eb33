//! The pipeline: a run end to end, as a library, with no command line in it.
//!
//! [`RunInputs`] says what to read; [`load()`] reads the formula, scenario and data and
//! applies overrides; [`Run`] computes and renders outputs through the one registry of
//! output kinds ([`OutputKind`]); [`verify()`] reproduces a published run from its
//! manifest. The binary, `equalize test`, sweeps, the fuzz targets and bindings all
//! start here. Data flows load -> check -> evaluate -> allocate -> report; this module
//! sits on top and nothing below it imports it.
//!
//! ```
//! use equalize::pipeline::{OutputKind, Run, RunInputs};
//!
//! let run = Run::compute(RunInputs {
//!     formula: Some("cn".into()),
//!     data: vec!["datasets/cn-national".into()],
//!     ..RunInputs::default()
//! })?;
//! assert_eq!(run.result.totals.len(), 2943);                // every unit's amount, exact
//! let out = tempfile::tempdir().map_err(|e| equalize::error::Error::io("tmp", "create", e))?;
//! run.write(out.path(), &[OutputKind::Trace])?;           // what `equalize run --trace` writes
//! assert!(out.path().join("trace.jsonl").exists());
//! # Ok::<(), equalize::error::Error>(())
//! ```

pub mod inputs;
pub mod load;
pub mod outputs;
pub mod prior;
pub mod verify;

pub use inputs::{Override, RunInputs};
pub use load::{apply_overrides, load, Loaded, ScenarioFile};
pub use outputs::{OutputKind, Rendered, Run, Verification};
pub use verify::{verify, Finding, Options as VerifyOptions, Outcome};
