//! Integration tests: the real `equalize` binary on real files, one module per feature.

mod atomic;
mod audit;
mod common;
mod data;
mod determinism;
mod docs;
mod errors;
mod formulas;
mod fuzz_smoke;
mod hostile;
mod hostile_more;
mod house;
mod i18n;
mod language;
mod outputs;
mod properties;
mod run;
mod scenarios;
mod sweep;
mod tamper;
