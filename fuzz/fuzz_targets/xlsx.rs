//! Any bytes as a workbook for the demo formula: loaded, or refused with a clear error.
#![no_main]

#[path = "load.rs"]
mod load;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| load::demo_data("fuzz.xlsx", bytes));
