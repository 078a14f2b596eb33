//! Shared by the data fuzz targets: load bytes as the demo formula's data.

use equalize::data::{self, DataRequest, DataSource};
use equalize::diag::Sources;

/// Load `bytes` as a table named `name` for the demo formula; any outcome but a panic is fine.
pub fn demo_data(name: &str, bytes: &[u8]) {
    let mut sources = Sources::default();
    let id = sources.add("formulas/demo.toml", equalize::pipeline::inputs::DEMO_FORMULA.to_string());
    let Ok(formula) = equalize::formula::load(&sources, id) else { return };
    let request = DataRequest {
        sources: vec![DataSource::Bytes { name: name.into(), bytes: bytes.to_vec() }],
        ..DataRequest::default()
    };
    let _ = data::load(&mut sources, &request, &formula);
}
