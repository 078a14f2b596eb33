//! When work goes to the thread pool.
//!
//! Column evaluation, audit rendering and the metrics' sorts split their units across
//! rayon's pool, but waking the pool's threads (and, the first time, starting them) costs
//! more than a few thousand units of work: a county-level run spent more CPU time in
//! idle workers spinning than in the formula. Below [`PARALLEL_MIN`] units the work stays
//! on the calling thread. Results never depend on this choice: every parallel step joins
//! its parts in unit order.

/// Fewest units worth sending to the pool.
pub const PARALLEL_MIN: usize = 16_384;

/// Whether `units` units of one step are worth the pool.
pub fn worth_parallel(units: usize) -> bool {
    units >= PARALLEL_MIN
}
