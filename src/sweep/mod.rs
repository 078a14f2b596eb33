//! Sweeps: thousands of scenarios from one file, run in parallel, shardable.
//!
//! A sweep file names a base (a scenario file, or a formula and data) and what to vary:
//! a grid of param values and/or seeded Monte Carlo draws of params and of input columns.
//! Scenario `i` is fully determined by the file and `i` (its grid point, and a random
//! stream seeded by the seed and `i`), so any slice of the list (a shard) computes exactly
//! what a single run computes for those scenarios, and shards merge into the same bytes.
//!
//! Each scenario recomputes only what its changed params and inputs reach; the rest is
//! copied from the base run. Results stay exact decimals.
//!
//! ```toml
//! [sweep]
//! name = "Pool and growth cap"
//! scenario = "cn-baseline.toml"            # or: formula = "...", data = "..."
//! units = ["640122", "653125"]             # units whose amounts are kept; "all"; default none
//!
//! [grid]                                   # every combination, the last key varying fastest
//! pool = ["2834000000000", "2975700000000"]
//! "growth.max" = { from = "0.06", to = "0.12", step = "0.02" }
//!
//! [montecarlo]                             # draws per grid point
//! draws = 100
//! seed = 42
//! [montecarlo.params]
//! pool = { dist = "normal", mean = "2834000000000", sd = "30000000000", round = "10000" }
//! [montecarlo.inputs]                      # a factor drawn for every unit
//! population = { dist = "uniform", low = "0.98", high = "1.02" }
//! ```

mod checkpoint;
mod execute;
mod merge;
pub mod plan;
mod read;
mod rng;

use std::path::PathBuf;

use rust_decimal::Decimal;

use crate::diag::Location;

pub use checkpoint::Checkpoint;
pub use execute::{execute, prepare, Prepared, Shard, SweepRecord, SweepRun, FAMILY};
pub use merge::merge;
pub use plan::{Materialized, Plan};
pub use read::{read, read_from};
pub use rng::{percentile, round_draw, Rng};

/// A distribution to draw from.
#[derive(Debug, Clone, PartialEq)]
pub enum Distribution {
    Uniform { low: Decimal, high: Decimal },
    Normal { mean: Decimal, sd: Decimal },
    Triangular { low: Decimal, mode: Decimal, high: Decimal },
}

/// Random draws of one param, or of a factor applied to one input column.
#[derive(Debug, Clone)]
pub struct Draw {
    pub name: String,
    /// Where the sweep file names it.
    pub at: Location,
    pub distribution: Distribution,
    /// Round each draw to this unit (half away from zero), e.g. a pool to 万元.
    pub round: Option<Decimal>,
}

/// One axis of the grid: a param and its values.
#[derive(Debug, Clone)]
pub struct Axis {
    pub name: String,
    pub at: Location,
    pub values: Vec<Decimal>,
}

#[derive(Debug, Clone)]
pub struct SweepSpec {
    /// The sweep file as given, and the SHA-256 of the bytes read.
    pub file: PathBuf,
    pub sha256: String,
    pub bytes: u64,
    pub name: String,
    /// The scenario file the sweep starts from, or a formula and data.
    pub scenario: Option<PathBuf>,
    pub formula: Option<PathBuf>,
    pub data: Vec<PathBuf>,
    /// `date = "YYYY-MM-DD"`: the date dated params are taken at (as `--date`).
    pub date: Option<String>,
    /// `prior = "DIR"`: the prior run `prior(name)` reads (as `--prior`), relative to the file.
    pub prior: Option<PathBuf>,
    /// Units whose amounts are kept (long format), with where each is named;
    /// None = none; Some(empty) = all.
    pub units: Option<Vec<(String, Location)>>,
    /// Grid axes, in file order.
    pub grid: Vec<Axis>,
    pub draws: usize,
    pub seed: u64,
    pub param_draws: Vec<Draw>,
    pub input_draws: Vec<Draw>,
    /// Compute the Theil index per scenario (a logarithm per unit: slow).
    pub theil: bool,
}

impl SweepSpec {
    pub fn grid_points(&self) -> usize {
        self.grid
            .iter()
            .map(|a| a.values.len())
            .fold(1usize, usize::saturating_mul)
            .max(1)
    }

    /// Scenarios in all: grid points times draws (at least one of each).
    pub fn scenarios(&self) -> usize {
        self.grid_points().saturating_mul(self.draws.max(1))
    }

    /// The grid values of scenario `index`.
    pub fn grid_values(&self, index: usize) -> Vec<(String, Decimal)> {
        let mut point = index / self.draws.max(1);
        let mut values = Vec::with_capacity(self.grid.len());
        for axis in self.grid.iter().rev() {
            let n = axis.values.len().max(1);
            values.push((
                axis.name.clone(),
                axis.values.get(point % n).copied().unwrap_or_default(),
            ));
            point /= n;
        }
        values.reverse();
        values
    }

    /// What the sweep is called in messages: its name, else its file.
    pub fn title(&self) -> String {
        if self.name.is_empty() {
            self.file.display().to_string()
        } else {
            self.name.clone()
        }
    }
}
