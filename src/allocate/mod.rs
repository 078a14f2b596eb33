//! Fitting a stage to its pool: `x_i = clamp(base_i + k * weight_i, floor_i, cap_i)`
//! with one scalar `k` solved so that `sum x_i = pool`, then rounded to the
//! stage's money unit so the rounded amounts still add up to the pool exactly.
//!
//! [`solver`] finds `k` by sorting the breakpoints (no iteration, no floats);
//! [`rounding`] apportions by largest remainder. Both work on rows already in
//! key order and break ties by row, so results never depend on input order.

pub mod rounding;
pub mod solver;

pub use rounding::{apportion, RoundingError};
pub use solver::{solve, solve_from, Breakpoints, Problem, Solution, SolveError};
