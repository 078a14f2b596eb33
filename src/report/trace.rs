//! `trace.jsonl` (`run --trace`): every unit's derivation tree, one JSON object per line.
//!
//! Written as a stream, a block of units at a time (the trees of a block are built in
//! parallel and written in key order), so memory stays flat in the number of units.

use std::io::Write;

use rayon::prelude::*;

use crate::audit::explain;
use crate::audit::values::Values;
use crate::data::Dataset;
use crate::engine::Computation;
use crate::error::{Error, Result};
use crate::formula::Formula;

/// Units whose trees are built at once.
const BLOCK: usize = 1024;

/// Write the trace to `out`; `what` names the destination in errors.
pub fn write_to(
    formula: &Formula,
    data: &Dataset,
    result: &Computation,
    out: &mut dyn Write,
    what: &str,
) -> Result<()> {
    let values = Values::new(formula, data, result);
    let mut start = 0;
    while start < data.len() {
        let end = (start + BLOCK).min(data.len());
        let lines: Vec<Result<String>> = (start..end)
            .into_par_iter()
            .map(|row| {
                let line = serde_json::json!({ "key": data.keys[row], "tree": explain::unit(&values, row, explain::Cells::FileOnly) });
                serde_json::to_string(&line).map_err(|e| Error::Internal(format!("trace: {e}")))
            })
            .collect();
        for line in lines {
            let mut line = line?;
            line.push('\n');
            out.write_all(line.as_bytes())
                .map_err(|e| Error::io(what, "write", e))?;
        }
        start = end;
    }
    Ok(())
}

/// The whole trace in memory (for small runs and tests; runs write it as a stream).
pub fn render(formula: &Formula, data: &Dataset, result: &Computation) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    write_to(formula, data, result, &mut out, "trace")?;
    Ok(out)
}
