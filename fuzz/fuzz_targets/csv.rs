//! Any bytes as a CSV data file for the demo formula: loaded, or refused with diagnostics.
#![no_main]

use equalize::data::{self, DataRequest, DataSource};
use equalize::diag::Sources;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let mut sources = Sources::default();
    let id = sources.add("formulas/demo.toml", equalize::cli::inputs::DEMO_FORMULA.to_string());
    let Ok(formula) = equalize::formula::load(&sources, id) else { return };
    let request = DataRequest {
        sources: vec![DataSource::Bytes { name: "fuzz.csv".into(), bytes: bytes.to_vec() }],
        ..DataRequest::default()
    };
    let _ = data::load(&mut sources, &request, &formula);
});
