//! What each fuzz target does with its input, shared by the libFuzzer targets (`cargo fuzz
//! run NAME`) and the stable smoke run in the test suite (tests/integration/fuzz_smoke.rs),
//! which feeds them mutated seeds for a short budget on every CI run. Any outcome but a
//! panic, an abort or runaway memory is fine.

// Each target uses one of these.
#![allow(dead_code)]

use std::io::Write;

use equalize::data::{self, Column, DataRequest, DataSource, Dataset};
use equalize::diag::Sources;
use equalize::formula::program::InputKind;
use rust_decimal::Decimal;

/// Any text as a formula file: it must load or be refused with diagnostics, and a formula
/// that loads must compute on a small dataset or fail with an error.
pub fn formula(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let mut sources = Sources::default();
    let id = sources.add("fuzz.toml", text.to_string());
    let Ok(formula) = equalize::formula::load(&sources, id) else {
        return;
    };
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
        table_rows: Vec::new(),
        input_cells: Vec::new(),
        left_out: Vec::new(),
        keys: (0..rows).map(|r| format!("u{r}")).collect(),
        labels: None,
        columns,
    };
    let params = formula.default_params();
    let _ = equalize::engine::compute(&formula, &data, &params, &sources);
}

/// Load `bytes` as a table named `name` for the demo formula.
pub fn demo_data(name: &str, bytes: &[u8]) {
    let mut sources = Sources::default();
    let id = sources.add(
        "formulas/demo.toml",
        equalize::pipeline::inputs::DEMO_FORMULA.to_string(),
    );
    let Ok(formula) = equalize::formula::load(&sources, id) else {
        return;
    };
    let request = DataRequest {
        sources: vec![DataSource::Bytes {
            name: name.into(),
            bytes: bytes.to_vec(),
        }],
        ..DataRequest::default()
    };
    let _ = data::load(&mut sources, &request, &formula);
}

/// Any bytes as a CSV data file for the demo formula.
pub fn csv(bytes: &[u8]) {
    demo_data("fuzz.csv", bytes);
}

/// Any bytes as a workbook for the demo formula.
pub fn xlsx(bytes: &[u8]) {
    demo_data("fuzz.xlsx", bytes);
}

/// The parts a workbook reader sizes its allocations from.
const PARTS: [&str; 6] = [
    "xl/worksheets/sheet1.xml",
    "xl/sharedStrings.xml",
    "xl/workbook.xml",
    "[Content_Types].xml",
    "content.xml",
    "xl/worksheets/sheet1.bin",
];

/// Workbook structure: the input is split into parts (at 0xFF bytes, which never occur in
/// UTF-8 text), zipped under the names that size a reader's allocations, and loaded as an
/// XLSX and as an ODS. The structure limits must refuse what the reader cannot hold.
pub fn workbook(bytes: &[u8]) {
    let mut zipped = std::io::Cursor::new(Vec::new());
    {
        let mut writer = zip::ZipWriter::new(&mut zipped);
        let options = zip::write::SimpleFileOptions::default();
        for (name, part) in PARTS.iter().zip(bytes.split(|b| *b == 0xFF)) {
            if writer.start_file(*name, options).is_err() || writer.write_all(part).is_err() {
                return;
            }
        }
        if writer.finish().is_err() {
            return;
        }
    }
    let zipped = zipped.into_inner();
    let _ = equalize::data::workbook_limits::check("fuzz.xlsx", &zipped);
    demo_data("fuzz.xlsx", &zipped);
    demo_data("fuzz.ods", &zipped);
}
