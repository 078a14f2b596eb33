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

use std::path::{Path, PathBuf};

use rust_decimal::{Decimal, MathematicalOps};

use crate::diag::{did_you_mean, Diagnostic, FileId, Sources, Span};
use crate::error::{Error, Result};
use crate::money;
use crate::tomlspan::{self, Entry, Node, NodeKind};

/// A distribution to draw from.
#[derive(Debug, Clone, PartialEq)]
pub enum Distribution {
    Uniform { low: Decimal, high: Decimal },
    Normal { mean: Decimal, sd: Decimal },
    Triangular { low: Decimal, mode: Decimal, high: Decimal },
}

#[derive(Debug, Clone)]
pub struct Draw {
    pub name: String,
    pub distribution: Distribution,
    /// Round each draw to this unit (half away from zero), e.g. a pool to 万元.
    pub round: Option<Decimal>,
}

#[derive(Debug, Clone)]
pub struct SweepSpec {
    pub name: String,
    /// The scenario file the sweep starts from, or a formula and data.
    pub scenario: Option<PathBuf>,
    pub formula: Option<PathBuf>,
    pub data: Vec<PathBuf>,
    /// Units whose amounts are kept (long format); None = none; Some(empty) = all.
    pub units: Option<Vec<String>>,
    /// Grid axes: param name and its values, in file order.
    pub grid: Vec<(String, Vec<Decimal>)>,
    pub draws: usize,
    pub seed: u64,
    pub param_draws: Vec<Draw>,
    pub input_draws: Vec<Draw>,
    /// Compute the Theil index per scenario (a logarithm per unit: slow).
    pub theil: bool,
}

impl SweepSpec {
    pub fn grid_points(&self) -> usize {
        self.grid.iter().map(|(_, v)| v.len()).product::<usize>().max(1)
    }

    /// Scenarios in all: grid points times draws (at least one of each).
    pub fn scenarios(&self) -> usize {
        self.grid_points() * self.draws.max(1)
    }

    /// The grid values of scenario `index`.
    pub fn grid_values(&self, index: usize) -> Vec<(String, Decimal)> {
        let mut point = index / self.draws.max(1);
        let mut values = Vec::with_capacity(self.grid.len());
        for (name, axis) in self.grid.iter().rev() {
            values.push((name.clone(), axis[point % axis.len()]));
            point /= axis.len();
        }
        values.reverse();
        values
    }
}

/// SplitMix64: a small, documented generator with the same output on every platform.
/// Each scenario gets its own stream, seeded by the sweep's seed and the scenario index.
pub struct Rng(u64);

impl Rng {
    pub fn for_scenario(seed: u64, index: usize) -> Rng {
        let mut rng = Rng(seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.next_u64(); // decorrelate neighbouring indices
        rng
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1): 53 random bits, exactly as a decimal fraction of 2^53.
    pub fn unit(&mut self) -> Decimal {
        let bits = (self.next_u64() >> 11) | 1; // never 0
        Decimal::from(bits) / Decimal::from(1u64 << 53)
    }

    pub fn draw(&mut self, d: &Distribution) -> Option<Decimal> {
        match d {
            Distribution::Uniform { low, high } => Some(*low + (*high - *low) * self.unit()),
            Distribution::Normal { mean, sd } => {
                // Box-Muller: sqrt(-2 ln u1) cos(2 pi u2), in 28-digit decimal arithmetic.
                let (u1, u2) = (self.unit(), self.unit());
                let radius = (Decimal::from(-2) * u1.checked_ln()?).sqrt()?;
                let angle = Decimal::TWO * Decimal::PI * u2;
                Some(*mean + *sd * radius * angle.checked_cos()?)
            }
            Distribution::Triangular { low, mode, high } => {
                let u = self.unit();
                let span = *high - *low;
                let split = (*mode - *low) / span;
                Some(if u < split {
                    *low + (u * span * (*mode - *low)).sqrt()?
                } else {
                    *high - ((Decimal::ONE - u) * span * (*high - *mode)).sqrt()?
                })
            }
        }
    }
}

/// Read a sweep file. Paths in it are relative to it.
pub fn read(path: &Path) -> Result<SweepSpec> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, "read", e))?;
    let mut sources = Sources::default();
    let file = sources.add(path.display().to_string(), text);
    let root = tomlspan::parse(&sources, file).map_err(Error::invalid)?;
    let folder = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut reader = SweepReader {
        sources: &sources,
        file,
        problems: Vec::new(),
    };
    let spec = reader.spec(&root, &folder);
    if reader.problems.is_empty() {
        Ok(spec)
    } else {
        Err(Error::Invalid(reader.problems))
    }
}

struct SweepReader<'a> {
    sources: &'a Sources,
    file: FileId,
    problems: Vec<Diagnostic>,
}

impl SweepReader<'_> {
    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.problems
            .push(Diagnostic::error(message).at(self.sources.locate(span)));
    }

    fn keys(&mut self, node: &Node, allowed: &[&str], what: &str) {
        for e in node.entries().unwrap_or_default() {
            if !allowed.contains(&e.key.as_str()) {
                let hint = did_you_mean(&e.key, allowed.iter().copied())
                    .map(|h| format!(" (did you mean '{h}'?)"))
                    .unwrap_or_default();
                self.error(e.key_span, format!("unknown key '{}' in {what}{hint}", e.key));
            }
        }
    }

    fn text(&mut self, e: &Entry) -> Option<String> {
        match &e.value.kind {
            NodeKind::Str { value, .. } => Some(value.clone()),
            _ => {
                self.error(e.value.span, format!("{} must be a string", e.key));
                None
            }
        }
    }

    fn number(&mut self, node: &Node, what: &str) -> Option<Decimal> {
        let raw = match &node.kind {
            NodeKind::Str { value, .. } => value.clone(),
            NodeKind::Number(raw) => raw.replace('_', ""),
            _ => {
                self.error(node.span, format!("{what} must be a number"));
                return None;
            }
        };
        match money::parse_decimal(&raw) {
            Ok(v) => Some(v),
            Err(e) => {
                self.error(node.span, format!("{what}: '{raw}' is {}", e.describe()));
                None
            }
        }
    }

    /// Param names of a table, nested tables giving dotted names.
    fn named<'n>(
        &self,
        node: &'n Node,
        prefix: &str,
        out: &mut Vec<(String, &'n Entry)>,
        leaf: &dyn Fn(&Node) -> bool,
    ) {
        for e in node.entries().unwrap_or_default() {
            let name = format!("{prefix}{}", e.key);
            if e.value.entries().is_some() && !leaf(&e.value) {
                self.named(&e.value, &format!("{name}."), out, leaf);
            } else {
                out.push((name, e));
            }
        }
    }

    fn spec(&mut self, root: &Node, folder: &Path) -> SweepSpec {
        self.keys(root, &["sweep", "grid", "montecarlo"], "the sweep file");
        let mut spec = SweepSpec {
            name: String::new(),
            scenario: None,
            formula: None,
            data: Vec::new(),
            units: None,
            grid: Vec::new(),
            draws: 0,
            seed: 0,
            param_draws: Vec::new(),
            input_draws: Vec::new(),
            theil: false,
        };
        match root.get("sweep") {
            Some(sweep) => {
                self.keys(
                    &sweep.value,
                    &["name", "scenario", "formula", "data", "units", "theil"],
                    "[sweep]",
                );
                for e in sweep.value.entries().unwrap_or_default() {
                    match e.key.as_str() {
                        "name" => spec.name = self.text(e).unwrap_or_default(),
                        "theil" => spec.theil = matches!(e.value.kind, NodeKind::Bool(true)),
                        "scenario" => spec.scenario = self.text(e).map(|s| folder.join(s)),
                        "formula" => {
                            spec.formula = self.text(e).map(|f| {
                                if folder.join(&f).is_file() {
                                    folder.join(f)
                                } else {
                                    PathBuf::from(f)
                                }
                            })
                        }
                        "data" => match &e.value.kind {
                            NodeKind::Array(items) => {
                                for item in items {
                                    if let NodeKind::Str { value, .. } = &item.kind {
                                        spec.data.push(folder.join(value));
                                    }
                                }
                            }
                            _ => spec.data = self.text(e).map(|d| vec![folder.join(d)]).unwrap_or_default(),
                        },
                        "units" => match &e.value.kind {
                            NodeKind::Str { value, .. } if value == "all" => spec.units = Some(Vec::new()),
                            NodeKind::Array(items) => {
                                spec.units = Some(
                                    items
                                        .iter()
                                        .filter_map(|i| match &i.kind {
                                            NodeKind::Str { value, .. } => {
                                                Some(crate::data::table::normalize_key(value))
                                            }
                                            NodeKind::Number(raw) => Some(raw.clone()),
                                            _ => None,
                                        })
                                        .collect(),
                                )
                            }
                            _ => self.error(e.value.span, "units must be \"all\" or a list of unit keys"),
                        },
                        _ => {}
                    }
                }
            }
            None => self.error(Span::new(self.file, 0, 0), "the sweep file has no [sweep] table"),
        }
        if spec.scenario.is_none() && spec.formula.is_none() {
            self.error(
                Span::new(self.file, 0, 0),
                "[sweep] needs a scenario, or a formula and data",
            );
        }
        if let Some(grid) = root.get("grid") {
            let mut axes = Vec::new();
            self.named(&grid.value, "", &mut axes, &|n| n.get("from").is_some());
            for (name, e) in axes {
                let values = match &e.value.kind {
                    NodeKind::Array(items) => items.iter().filter_map(|i| self.number(i, &name)).collect(),
                    NodeKind::Table(_) => self.range(e, &name),
                    _ => vec![self.number(&e.value, &name).unwrap_or_default()],
                };
                if values.is_empty() {
                    self.error(e.value.span, format!("grid axis '{name}' has no values"));
                } else {
                    spec.grid.push((name, values));
                }
            }
        }
        if let Some(mc) = root.get("montecarlo") {
            self.keys(&mc.value, &["draws", "seed", "params", "inputs"], "[montecarlo]");
            for e in mc.value.entries().unwrap_or_default() {
                match e.key.as_str() {
                    "draws" => {
                        spec.draws = self
                            .number(&e.value, "draws")
                            .and_then(|d| usize::try_from(d.trunc().mantissa()).ok())
                            .unwrap_or(0)
                    }
                    "seed" => {
                        spec.seed = self
                            .number(&e.value, "seed")
                            .and_then(|d| u64::try_from(d.trunc().mantissa()).ok())
                            .unwrap_or(0)
                    }
                    "params" | "inputs" => {
                        let mut named = Vec::new();
                        self.named(&e.value, "", &mut named, &|n| n.get("dist").is_some());
                        for (name, entry) in named {
                            if let Some(draw) = self.draw(&name, entry) {
                                if e.key == "params" {
                                    spec.param_draws.push(draw);
                                } else {
                                    spec.input_draws.push(draw);
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            if spec.draws == 0 {
                self.error(mc.key_span, "[montecarlo] needs draws = N (at least 1)");
            }
        }
        spec
    }

    fn range(&mut self, e: &Entry, name: &str) -> Vec<Decimal> {
        let get = |reader: &mut Self, key: &str| {
            e.value
                .get(key)
                .and_then(|x| reader.number(&x.value, &format!("{name}.{key}")))
        };
        let (Some(from), Some(to), Some(step)) = (get(self, "from"), get(self, "to"), get(self, "step")) else {
            self.error(
                e.value.span,
                format!("grid axis '{name}': a range needs from, to and step"),
            );
            return Vec::new();
        };
        if step <= Decimal::ZERO || to < from {
            self.error(
                e.value.span,
                format!("grid axis '{name}': step must be positive and to at least from"),
            );
            return Vec::new();
        }
        let mut values = Vec::new();
        let mut value = from;
        // Exact decimal steps: 0.05 + 0.01 x 10 reaches 0.15 exactly.
        while value <= to && values.len() < 1_000_000 {
            values.push(value);
            value += step;
        }
        values
    }

    fn draw(&mut self, name: &str, e: &Entry) -> Option<Draw> {
        self.keys(
            &e.value,
            &["dist", "low", "high", "mode", "mean", "sd", "round"],
            &format!("draw '{name}'"),
        );
        let get = |reader: &mut Self, key: &str| {
            e.value
                .get(key)
                .and_then(|x| reader.number(&x.value, &format!("{name}.{key}")))
        };
        let dist = e.value.get("dist").and_then(|d| match &d.value.kind {
            NodeKind::Str { value, .. } => Some(value.clone()),
            _ => None,
        });
        let distribution = match dist.as_deref() {
            Some("uniform") => Distribution::Uniform {
                low: get(self, "low")?,
                high: get(self, "high")?,
            },
            Some("normal") => Distribution::Normal {
                mean: get(self, "mean")?,
                sd: get(self, "sd")?,
            },
            Some("triangular") => Distribution::Triangular {
                low: get(self, "low")?,
                mode: get(self, "mode")?,
                high: get(self, "high")?,
            },
            other => {
                self.error(
                    e.value.span,
                    format!(
                        "draw '{name}': unknown distribution {:?}; expected uniform, normal or triangular",
                        other.unwrap_or("")
                    ),
                );
                return None;
            }
        };
        Some(Draw {
            name: name.to_string(),
            distribution,
            round: e.value.get("round").and_then(|r| self.number(&r.value, "round")),
        })
    }
}

/// Nearest-rank percentile of sorted values: the value at rank ceil(p/100 x n).
pub fn percentile(sorted: &[Decimal], p: u32) -> Decimal {
    if sorted.is_empty() {
        return Decimal::ZERO;
    }
    let rank = (p as usize * sorted.len()).div_ceil(100).max(1);
    sorted[rank.min(sorted.len()) - 1]
}

/// Round a draw to its unit, half away from zero.
pub fn round_draw(value: Decimal, unit: Option<Decimal>) -> Decimal {
    match unit {
        Some(u) if !u.is_zero() => money::round_half_away(value / u, 0).map_or(value, |v| v * u),
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn splitmix_is_the_reference_sequence() {
        // SplitMix64 reference: seed 0 gives 0xE220A8397B1DCDAF first.
        let mut rng = Rng(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn draws_stay_in_their_ranges_and_repeat_for_the_same_scenario() {
        let uniform = Distribution::Uniform {
            low: d("0.9"),
            high: d("1.1"),
        };
        let triangular = Distribution::Triangular {
            low: d("1"),
            mode: d("2"),
            high: d("4"),
        };
        for i in 0..200 {
            let mut a = Rng::for_scenario(42, i);
            let mut b = Rng::for_scenario(42, i);
            let x = a.draw(&uniform).unwrap();
            assert_eq!(x, b.draw(&uniform).unwrap());
            assert!(x > d("0.9") && x < d("1.1"));
            let t = a.draw(&triangular).unwrap();
            assert!(t >= d("1") && t <= d("4"));
        }
        // The mean of many normal draws is near the mean.
        let normal = Distribution::Normal {
            mean: d("10"),
            sd: d("2"),
        };
        let sum: Decimal = (0..2000).map(|i| Rng::for_scenario(7, i).draw(&normal).unwrap()).sum();
        assert!((sum / d("2000") - d("10")).abs() < d("0.2"));
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let v: Vec<Decimal> = (1..=20).map(Decimal::from).collect();
        assert_eq!(percentile(&v, 5), d("1"));
        assert_eq!(percentile(&v, 50), d("10"));
        assert_eq!(percentile(&v, 95), d("19"));
        assert_eq!(percentile(&v, 100), d("20"));
    }
}
