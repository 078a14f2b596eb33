//! Benchmarks: the demo formula on synthetic data of any size (`cargo bench`).
//!
//! A plain harness (no framework): each case generates its data with a seeded
//! generator, runs the whole pipeline the binary runs (load CSV, compute, render
//! every output) a few times, and prints the best wall time and the process's
//! peak resident memory. Sizes: `EQUALIZE_BENCH_UNITS=1000,1000000 cargo bench`.

use std::time::{Duration, Instant};

use equalize::cli::inputs::{self, InputArgs};
use equalize::{engine, report};

/// xorshift64*: a tiny, documented, platform-independent generator for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform integer in [low, high].
    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }
}

/// Synthetic counties with the demo formula's columns and magnitudes.
pub fn synthetic_counties(units: usize, seed: u64) -> String {
    let mut rng = Rng(seed.max(1));
    let mut out = String::with_capacity(units * 64);
    out.push_str("county_code,county_name,population,area_km2,revenue,teacher_gap,bed_gap,last_year\n");
    for i in 0..units {
        let population = rng.between(30_000, 1_500_000);
        let area = rng.between(300, 20_000);
        let revenue = population * rng.between(800, 12_000);
        let teacher_gap = rng.between(0, 80);
        let bed_gap = rng.between(0, 300);
        // Last year's transfer near a plausible share, so growth control binds for some.
        let last_year = (population * rng.between(100, 500) / 10_000) * 10_000;
        out.push_str(&format!(
            "{:08},County {i},{population},{area},{revenue},{}.{},{}.{:02},{last_year}\n",
            i,
            teacher_gap / 10,
            teacher_gap % 10,
            bed_gap / 100,
            bed_gap % 100
        ));
    }
    out
}

fn peak_rss_mib() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string())
        })
        .and_then(|kb| kb.parse::<u64>().ok())
        .map(|kb| format!("{:.1} MiB", kb as f64 / 1024.0)) // float-ok: display only
        .unwrap_or_else(|| "n/a".into())
}

fn case(units: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("counties.csv");
    std::fs::write(&data, synthetic_counties(units, 42)).expect("write data");
    // The pool scales with the number of units; growth control is widened so the
    // stage stays feasible on random data.
    let pool = format!("pool={}", units as u64 * 200_000_000);
    let args = InputArgs {
        formula: Some("formulas/demo.toml".into()),
        data: vec![data],
        set: vec![pool, "growth.floor=0.5".into(), "growth.cap=3".into()],
        ..InputArgs::default()
    };
    let runs = if units >= 100_000 { 3 } else { 20 };
    let mut best = Duration::MAX;
    let mut phases = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    for _ in 0..runs {
        let start = Instant::now();
        let loaded = inputs::load(&args).expect("loads");
        let loaded_at = Instant::now();
        let result = engine::compute(&loaded.formula, &loaded.data, &loaded.params, &loaded.sources).expect("computes");
        let computed_at = Instant::now();
        let allocations = report::csv::allocations(&loaded.formula, &loaded.data, &result).expect("renders");
        let audit = report::csv::audit(&loaded.formula, &loaded.data, &result).expect("renders");
        std::hint::black_box((allocations, audit));
        let total = start.elapsed();
        if total < best {
            best = total;
            phases = (loaded_at - start, computed_at - loaded_at, computed_at.elapsed());
        }
    }
    println!(
        "demo formula, {units:>9} units: best of {runs}: {:>10.3?} (load {:.3?}, compute {:.3?}, render {:.3?}); peak RSS {}",
        best,
        phases.0,
        phases.1,
        phases.2,
        peak_rss_mib()
    );
}

fn main() {
    // `cargo bench` passes --bench; a filter argument is accepted and ignored.
    let sizes: Vec<usize> = std::env::var("EQUALIZE_BENCH_UNITS")
        .unwrap_or_else(|_| "100,10000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    println!("threads: {}", rayon::current_num_threads());
    for units in sizes {
        case(units);
    }
}
