//! Any text as a formula file: it must load or be refused with diagnostics, and a formula
//! that loads must compute on a small dataset or fail with an error, never panic or hang.
#![no_main]

use equalize::data::{Column, Dataset};
use equalize::diag::Sources;
use equalize::formula::program::InputKind;
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let mut sources = Sources::default();
    let id = sources.add("fuzz.toml", text.to_string());
    let Ok(formula) = equalize::formula::load(&sources, id) else { return };
    let rows = 3;
    let columns = formula
        .inputs
        .iter()
        .enumerate()
        .map(|(i, input)| match input.kind {
            InputKind::Number => Column::Num((0..rows).map(|r| Decimal::from((r * 7 + i) as i64 - 3)).collect()),
            InputKind::Bool => Column::Bool((0..rows).map(|r| r % 2 == 0).collect()),
            InputKind::Text => Column::Text((0..rows).map(|r| format!("g{}", r % 2)).collect()),
        })
        .collect();
    let data = Dataset {
        origin: "fuzz".into(),
        name: String::new(),
        provenance: String::new(),
        files: Vec::new(),
        input_files: Vec::new(),
        keys: (0..rows).map(|r| format!("u{r}")).collect(),
        labels: None,
        columns,
    };
    let params = formula.default_params();
    let _ = equalize::engine::compute(&formula, &data, &params, &sources);
});
