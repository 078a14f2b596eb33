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

/// Fewest units worth the pool for work that costs a microsecond or more a unit:
/// evaluating an expression over exact decimals, rendering an audit row. A county-level
/// run (about 3,000 units) does each such step in a millisecond or two, far above what
/// handing half of it to another thread costs.
pub const PARALLEL_MIN_HEAVY: usize = 1_024;

/// The pieces `units` units of heavy work are cut into, each at most `most` units: one
/// for each thread (twice over, so a slow one is caught up) when the pool is worth it
/// ([`PARALLEL_MIN_HEAVY`]), else `most`. Results never depend on it.
pub fn heavy_piece(units: usize, most: usize) -> usize {
    if units < PARALLEL_MIN_HEAVY {
        return most.max(1);
    }
    let pieces = 2 * rayon::current_num_threads().max(1);
    units.div_ceil(pieces).clamp(1, most.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heavy_pieces_cover_every_unit_in_pieces_no_larger_than_asked() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        pool.install(|| {
            // A county-level run: four pieces for two threads.
            assert_eq!(heavy_piece(2_943, 2_048), 736);
            assert_eq!(2_943_usize.div_ceil(heavy_piece(2_943, 2_048)), 4);
            // Below the threshold: one piece; above, never more than `most`.
            assert_eq!(heavy_piece(1_000, 2_048), 2_048);
            assert_eq!(heavy_piece(1_000_000, 2_048), 2_048);
            assert_eq!(heavy_piece(0, 0), 1);
        });
    }
}
