//! Benchmarks (`cargo bench`): equalize against the same work done with pandas/numpy.
//!
//! Five cases, each timed as whole processes (best of several runs) with their peak
//! memory (GNU time's maximum resident set size):
//! - `national`: the China formula on the 2,943 county-level units, end to end;
//! - `million`: the demo formula on 1,000,000 synthetic units (seeded generator below);
//! - `sweep`: 10,000 scenarios of the China formula (a pool x growth-cap grid);
//! - `townships`: the national pool to the 39,544 synthetic townships (three levels);
//! - `trace`: `run --trace` of the demo formula on 600,000 units (memory; no baseline).
//!
//! The baselines are benches/baseline/baseline.py (pandas and numpy) and
//! baseline_polars.py (polars, with numpy for the solve), for every case but the trace:
//! float64, same formulas, same breakpoint solve (baseline_solve.py); each runs when python3
//! has its libraries.
//! Choose cases with `EQUALIZE_BENCH=national,million,sweep,townships,trace` (default: all).

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

/// xorshift64*: a tiny, documented, platform-independent generator for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }
}

/// Synthetic counties with the demo formula's columns and magnitudes.
fn synthetic_counties(units: usize, seed: u64) -> String {
    let mut rng = Rng(seed.max(1));
    let mut out = String::with_capacity(units * 64);
    out.push_str("county_code,county_name,population,area_km2,revenue,teacher_gap,bed_gap,last_year\n");
    for i in 0..units {
        let population = rng.between(30_000, 1_500_000);
        let area = rng.between(300, 20_000);
        let revenue = population * rng.between(800, 12_000);
        let (teacher_gap, bed_gap) = (rng.between(0, 80), rng.between(0, 300));
        let last_year = (population * rng.between(100, 500) / 10_000) * 10_000;
        out.push_str(&format!(
            "{i:08},County {i},{population},{area},{revenue},{}.{},{}.{:02},{last_year}\n",
            teacher_gap / 10,
            teacher_gap % 10,
            bed_gap / 100,
            bed_gap % 100
        ));
    }
    out
}

/// Run a command `runs` times; best wall time in seconds and peak memory in MiB.
fn measure(program: &str, args: &[String], runs: usize) -> Option<(f64, f64)> {
    let mut best = f64::MAX; // float-ok: timing
    let mut peak = 0.0_f64; // float-ok: timing
    for _ in 0..runs {
        let report = std::env::temp_dir().join(format!("equalize-bench-{}.time", std::process::id()));
        let start = Instant::now();
        let status = Command::new("/usr/bin/time")
            .arg("-f")
            .arg("%M")
            .arg("-o")
            .arg(&report)
            .arg(program)
            .args(args)
            .stdout(std::process::Stdio::null())
            .status()
            .ok()?;
        let elapsed = start.elapsed().as_secs_f64();
        if !status.success() && status.code() != Some(3) {
            eprintln!("  {program} failed: {status}");
            return None;
        }
        best = best.min(elapsed);
        let kib: f64 = std::fs::read_to_string(&report)
            .ok()?
            .trim()
            .lines()
            .last()?
            .parse()
            .ok()?;
        peak = peak.max(kib / 1024.0);
    }
    Some((best, peak))
}

fn baseline_available() -> bool {
    Command::new("python3")
        .args(["-c", "import numpy, pandas"])
        .status()
        .is_ok_and(|s| s.success())
}

fn polars_available() -> bool {
    Command::new("python3")
        .args(["-c", "import numpy, polars"])
        .status()
        .is_ok_and(|s| s.success())
}

/// The second baseline's line, under the first: polars (float64) for the same work.
fn polars_line(ours: Option<(f64, f64)>, theirs: Option<(f64, f64)>) {
    match (ours, theirs) {
        (Some((t, m)), Some((pt, pm))) => println!(
            "{:<10} {:>35} | polars       {pt:>8.3} s {pm:>8.1} MiB | {:.1}x faster, {:.2}x the memory",
            "",
            "",
            pt / t,
            m / pm
        ),
        _ => println!("{:<10} polars baseline not available (pip install polars)", ""),
    }
}

fn line(case: &str, ours: Option<(f64, f64)>, theirs: Option<(f64, f64)>) {
    match (ours, theirs) {
        (Some((t, m)), Some((bt, bm))) => println!(
            "{case:<10} equalize {t:>8.3} s {m:>8.1} MiB | pandas/numpy {bt:>8.3} s {bm:>8.1} MiB | {:.1}x faster, {:.2}x the memory",
            bt / t,
            m / bm
        ),
        (Some((t, m)), None) => println!("{case:<10} equalize {t:>8.3} s {m:>8.1} MiB | baseline not available"),
        _ => println!("{case:<10} could not be measured"),
    }
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::env::set_current_dir(&root).expect("repository root");
    let binary = env!("CARGO_BIN_EXE_equalize").to_string();
    let baseline = root.join("benches/baseline/baseline.py").display().to_string();
    let polars_script = root.join("benches/baseline/baseline_polars.py").display().to_string();
    let with_baseline = baseline_available();
    let cases = std::env::var("EQUALIZE_BENCH").unwrap_or_else(|_| "national,million,sweep,townships,trace".into());
    let work = tempfile::tempdir().expect("temp dir");
    let out = |name: &str| work.path().join(name).display().to_string();
    println!(
        "machine: {} cores; release build; whole processes, best of several runs",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    if cases.contains("national") {
        let ours = measure(
            &binary,
            &[
                "run".into(),
                "-q".into(),
                "--formula".into(),
                "cn".into(),
                "--data".into(),
                "datasets/cn-national".into(),
                "--out".into(),
                out("cn"),
            ],
            10,
        );
        let theirs = with_baseline
            .then(|| {
                measure(
                    "python3",
                    &[
                        baseline.clone(),
                        "cn".into(),
                        "datasets/cn-national".into(),
                        out("cn-baseline"),
                    ],
                    5,
                )
            })
            .flatten();
        line("national", ours, theirs);
        let polars = polars_available()
            .then(|| {
                measure(
                    "python3",
                    &[
                        polars_script.clone(),
                        "cn".into(),
                        "datasets/cn-national".into(),
                        out("cn-polars"),
                    ],
                    5,
                )
            })
            .flatten();
        polars_line(ours, polars);
    }
    if cases.contains("townships") {
        let ours = measure(
            &binary,
            &[
                "run".into(),
                "-q".into(),
                "--formula".into(),
                "cn-townships".into(),
                "--data".into(),
                "datasets/cn-townships".into(),
                "--out".into(),
                out("townships"),
            ],
            10,
        );
        let theirs = with_baseline
            .then(|| {
                measure(
                    "python3",
                    &[
                        baseline.clone(),
                        "townships".into(),
                        "datasets/cn-townships".into(),
                        out("townships-baseline"),
                    ],
                    5,
                )
            })
            .flatten();
        line("townships", ours, theirs);
        let polars = polars_available()
            .then(|| {
                measure(
                    "python3",
                    &[
                        polars_script.clone(),
                        "townships".into(),
                        "datasets/cn-townships".into(),
                        out("townships-polars"),
                    ],
                    5,
                )
            })
            .flatten();
        polars_line(ours, polars);
    }
    if cases.contains("trace") {
        let data = work.path().join("trace.csv");
        std::fs::write(&data, synthetic_counties(600_000, 7)).expect("write data");
        let args: Vec<String> = [
            "run",
            "-q",
            "--no-warnings",
            "--trace",
            "-f",
            "formulas/demo.toml",
            "-d",
            &data.display().to_string(),
            "--set",
            "pool=120000000000000",
            "--set",
            "growth.floor=0.5",
            "--set",
            "growth.cap=3",
            "--out",
            &out("trace"),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        line("trace 600k", measure(&binary, &args, 1), None);
    }
    if cases.contains("million") {
        let units = std::env::var("EQUALIZE_BENCH_UNITS")
            .ok()
            .and_then(|u| u.parse().ok())
            .unwrap_or(1_000_000usize);
        let data = work.path().join("million.csv");
        std::fs::write(&data, synthetic_counties(units, 42)).expect("write data");
        let pool = (units as u64 * 200_000_000).to_string();
        let args: Vec<String> = [
            "run",
            "-q",
            "--no-warnings",
            "-f",
            "formulas/demo.toml",
            "-d",
            &data.display().to_string(),
            "--set",
            &format!("pool={pool}"),
            "--set",
            "growth.floor=0.5",
            "--set",
            "growth.cap=3",
            "--out",
            &out("million"),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let ours = measure(&binary, &args, 3);
        let theirs = with_baseline
            .then(|| {
                measure(
                    "python3",
                    &[
                        baseline.clone(),
                        "demo".into(),
                        data.display().to_string(),
                        out("million-baseline"),
                        pool.clone(),
                    ],
                    3,
                )
            })
            .flatten();
        line("million", ours, theirs);
        let polars = polars_available()
            .then(|| {
                measure(
                    "python3",
                    &[
                        polars_script.clone(),
                        "demo".into(),
                        data.display().to_string(),
                        out("million-polars"),
                        pool.clone(),
                    ],
                    3,
                )
            })
            .flatten();
        polars_line(ours, polars);
    }
    if cases.contains("sweep") {
        let scenarios = std::env::var("EQUALIZE_BENCH_SCENARIOS")
            .ok()
            .and_then(|u| u.parse().ok())
            .unwrap_or(10_000usize);
        let file = work.path().join("sweep.toml");
        let steps = (scenarios as f64).sqrt().round().max(1.0) as u64; // float-ok: grid size
        std::fs::write(
            &file,
            format!(
                "[sweep]\nname = \"bench\"\nscenario = \"{}\"\n[grid]\npool = {{ from = \"2700000000000\", to = \"{}\", step = \"1000000000\" }}\n\"growth.max\" = {{ from = \"0.08\", to = \"{}\", step = \"0.0001\" }}\n",
                root.join("scenarios/cn-baseline.toml").display(),
                2_700_000_000_000u64 + (steps - 1) * 1_000_000_000,
                format_args!("{:.4}", 0.08 + (steps - 1) as f64 * 0.0001) // float-ok: grid bounds
            ),
        )
        .expect("write sweep");
        let ours = measure(
            &binary,
            &[
                "sweep".into(),
                "-q".into(),
                file.display().to_string(),
                "--out".into(),
                out("sweep"),
            ],
            1,
        );
        let theirs = with_baseline
            .then(|| {
                measure(
                    "python3",
                    &[
                        baseline.clone(),
                        "cn-sweep".into(),
                        "datasets/cn-national".into(),
                        (steps * steps).to_string(),
                    ],
                    1,
                )
            })
            .flatten();
        line(&format!("sweep {}", steps * steps), ours, theirs);
        let polars = polars_available()
            .then(|| {
                measure(
                    "python3",
                    &[
                        polars_script.clone(),
                        "cn-sweep".into(),
                        "datasets/cn-national".into(),
                        (steps * steps).to_string(),
                    ],
                    1,
                )
            })
            .flatten();
        polars_line(ours, polars);
    }
}
