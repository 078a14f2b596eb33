//! Any bytes as a CSV data file for the demo formula: loaded, or refused with diagnostics.
#![no_main]

#[path = "load.rs"]
mod load;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| load::demo_data("fuzz.csv", bytes));
