//! Auditing: explaining how a unit's amount came about, value by value.
//!
//! [`Values`] reads any name of a computed run (input, param, var, aggregate,
//! stage) for one unit, exactly as the audit file prints it, and shows the
//! operands an expression used. `explain` and failing formula tests use it.

pub mod explain;
pub mod hash;
pub mod manifest;
pub mod values;

pub use values::Values;
