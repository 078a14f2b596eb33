//! libFuzzer target: see [`bodies::formula`].
#![no_main]

#[path = "bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| bodies::formula(bytes));
