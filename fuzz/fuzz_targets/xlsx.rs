//! libFuzzer target: see [`bodies::xlsx`].
#![no_main]

#[path = "bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| bodies::xlsx(bytes));
