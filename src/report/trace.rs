//! `trace.jsonl` (`run --trace`): every unit's derivation tree, one JSON object per line.

use rayon::prelude::*;

use crate::audit::explain;
use crate::audit::values::Values;
use crate::data::Dataset;
use crate::engine::Computation;
use crate::error::{Error, Result};
use crate::formula::Formula;

pub fn render(formula: &Formula, data: &Dataset, result: &Computation) -> Result<Vec<u8>> {
    let values = Values { formula, data, result };
    // Trees are built in parallel and joined in key order.
    let lines: Vec<Result<String>> = (0..data.len())
        .into_par_iter()
        .map(|row| {
            let line = serde_json::json!({ "key": data.keys[row], "tree": explain::unit(&values, row) });
            serde_json::to_string(&line).map_err(|e| Error::Internal(format!("trace: {e}")))
        })
        .collect();
    let mut out = Vec::new();
    for line in lines {
        out.extend_from_slice(line?.as_bytes());
        out.push(b'\n');
    }
    Ok(out)
}
