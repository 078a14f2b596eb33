//! Batch runs: sweeps over grids and draws, identical for any thread count, shardable.

use rust_decimal::Decimal;

use crate::common::*;

fn sweep_file(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("sweep.toml");
    std::fs::write(
        &path,
        format!(
            "[sweep]\nname = \"test\"\nformula = \"{}\"\ndata = \"{}\"\nunits = \"all\"\ntheil = true\n\
             [grid]\npool = {{ from = \"100\", to = \"160\", step = \"20\" }}\n\
             [montecarlo]\ndraws = 5\nseed = 7\n[montecarlo.inputs]\nneed = {{ dist = \"uniform\", low = \"0.9\", high = \"1.1\", round = \"1\" }}\n",
            root().join("tests/fixtures/hand/formula.toml").display(),
            root().join("tests/fixtures/hand/data.csv").display()
        ),
    )
    .unwrap();
    path
}

fn run(args: &[&str]) -> std::process::Output {
    let output = equalize(args);
    assert!(matches!(code(&output), 0 | 3), "{}", stderr(&output));
    output
}

fn files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| (n.clone(), std::fs::read(dir.join(&n)).unwrap()))
        .collect()
}

#[test]
fn a_grid_with_draws_lists_every_scenario_and_the_infeasible_ones_say_why() {
    let dir = out_dir();
    let file = sweep_file(dir.path());
    let out = dir.path().join("out");
    let output = run(&["sweep", path_str(&file), "--out", path_str(&out)]);
    // 4 pools x 5 draws; a pool of 160 exceeds the caps (gaps) of about 160 in some draws.
    let rows = csv_rows(&out.join("scenarios.csv"));
    assert_eq!(rows.len() - 1, 20);
    assert_eq!(rows[0][..3], ["scenario", "pool", "status"]);
    let pools: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(pools[..6], ["100", "100", "100", "100", "100", "120"]);
    for row in &rows[1..] {
        if row[2] == "ok" {
            assert_eq!(row[3], row[1], "the total is the pool");
        } else {
            assert!(row[2].contains("infeasible"), "{}", row[2]);
        }
    }
    let failed = rows[1..].iter().filter(|r| r[2] != "ok").count();
    assert_eq!(code(&output) == 3, failed > 0);
    // The unit summary has one row per unit, over the solved scenarios.
    let summary = csv_rows(&out.join("unit_summary.csv"));
    assert_eq!(summary[0], ["key", "scenarios", "min", "p5", "median", "p95", "max"]);
    assert_eq!(summary.len() - 1, 4);
    for row in &summary[1..] {
        let v: Vec<Decimal> = row[2..].iter().map(|x| x.parse().unwrap()).collect();
        assert!(v.windows(2).all(|w| w[0] <= w[1]), "min <= p5 <= median <= p95 <= max");
    }
}

#[test]
fn one_or_two_threads_and_shards_give_the_same_bytes_in_csv() {
    threads_and_shards_give_the_same_bytes("csv");
}

/// JSON lines were once merged with key and scenario swapped (keys written sorted,
/// read back by position): shards then merged differed from one run.
#[test]
fn one_or_two_threads_and_shards_give_the_same_bytes_in_json_lines() {
    threads_and_shards_give_the_same_bytes("jsonl");
}

fn threads_and_shards_give_the_same_bytes(format: &str) {
    let dir = out_dir();
    let file = sweep_file(dir.path());
    let whole = dir.path().join("whole");
    run(&[
        "sweep",
        "--jobs",
        "1",
        path_str(&file),
        "--out",
        path_str(&whole),
        "--format",
        format,
    ]);
    assert!(whole.join(format!("units.{format}")).exists());
    let two = dir.path().join("two");
    run(&[
        "sweep",
        "--jobs",
        "2",
        path_str(&file),
        "--out",
        path_str(&two),
        "--format",
        format,
    ]);
    assert!(files(&whole) == files(&two), "--jobs 1 and --jobs 2 differ");
    let mut shard_dirs = Vec::new();
    for i in 1..=3 {
        let shard = dir.path().join(format!("shard-{i}"));
        run(&[
            "sweep",
            path_str(&file),
            "--shard",
            &format!("{i}/3"),
            "--out",
            path_str(&shard),
            "--format",
            format,
        ]);
        shard_dirs.push(shard);
    }
    let merged = dir.path().join("merged");
    let mut args = vec!["sweep", "merge"];
    let names: Vec<String> = shard_dirs.iter().rev().map(|d| path_str(d).to_string()).collect();
    args.extend(names.iter().map(String::as_str));
    args.extend(["--out", path_str(&merged)]);
    let output = equalize(&args);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(files(&whole) == files(&merged), "shard-then-merge differs from one run");
    // A missing shard is refused.
    let partial = equalize(&[
        "sweep",
        "merge",
        path_str(&shard_dirs[0]),
        path_str(&shard_dirs[2]),
        "--out",
        path_str(&dir.path().join("x")),
    ]);
    assert_eq!(code(&partial), 2);
    assert!(
        stderr(&partial).contains("the shards do not cover the scenarios"),
        "{}",
        stderr(&partial)
    );
}

#[test]
fn json_lines_output_and_unknown_names() {
    let dir = out_dir();
    let file = sweep_file(dir.path());
    let out = dir.path().join("out");
    run(&["sweep", path_str(&file), "--format", "jsonl", "--out", path_str(&out)]);
    let first = read(&out.join("scenarios.jsonl")).lines().next().unwrap().to_string();
    let row: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(row["scenario"], "0");
    assert_eq!(row["pool"], "100");
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, read(&file).replace("[grid]\npool", "[grid]\npol")).unwrap();
    let output = equalize(&["sweep", path_str(&bad), "--out", path_str(&out)]);
    assert_eq!(code(&output), 2);
    // Where the sweep file names it: line 8 is the grid's first axis.
    let expected = format!(
        "{}:8:1: error: the formula has no param 'pol' (did you mean 'pool'?)",
        bad.display()
    );
    assert!(stderr(&output).contains(&expected), "{}", stderr(&output));
}
