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
        .filter(|n| n != ".equalize.lock") // the lock file is empty; its presence varies
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
    assert_eq!(rows[0][3..5], ["message", "total"]);
    for row in &rows[1..] {
        if row[2] == "ok" {
            assert_eq!(row[4], row[1], "the total is the pool");
            assert_eq!(row[3], "");
        } else {
            assert_eq!(row[2], "infeasible");
            assert!(row[3].contains("is infeasible: the caps add up to"), "{}", row[3]);
        }
    }
    // Infeasible scenarios are results: the sweep evaluated them all, exit 0, and says so.
    let infeasible = rows[1..].iter().filter(|r| r[2] == "infeasible").count();
    assert!(infeasible > 0);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(
        stdout(&output).contains(&format!("{} ok, {infeasible} infeasible, 0 failed", 20 - infeasible)),
        "{}",
        stdout(&output)
    );
    let strict = equalize(&[
        "sweep",
        path_str(&file),
        "--out",
        path_str(&out),
        "--fail-on-infeasible",
    ]);
    assert_eq!(code(&strict), 3);
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

/// A grid without draws is where workers reuse the most (the previous scenario's steps, the
/// kept breakpoints, the rankings): how the scenarios fall to threads and shards must not
/// show in any byte. The pool varies fastest, so neighbours differ in the pool alone.
#[test]
fn a_grid_without_draws_gives_the_same_bytes_on_any_threads_and_shards() {
    let dir = out_dir();
    let file = dir.path().join("grid.toml");
    std::fs::write(
        &file,
        format!(
            "[sweep]\nformula = \"{}\"\ndata = \"{}\"\nunits = \"all\"\ntheil = true\n[grid]\n\
             \"growth.cap\" = {{ from = \"1.00\", to = \"1.30\", step = \"0.1\" }}\n\
             pool = {{ from = \"1000000\", to = \"2600000\", step = \"200000\" }}\n",
            root().join("formulas/cn-gansu.toml").display(),
            root().join("datasets/cn-gansu").display()
        ),
    )
    .unwrap();
    same_bytes_on_threads_and_shards(&dir, &file, "csv");
}

fn threads_and_shards_give_the_same_bytes(format: &str) {
    let dir = out_dir();
    let file = sweep_file(dir.path());
    same_bytes_on_threads_and_shards(&dir, &file, format);
}

fn same_bytes_on_threads_and_shards(dir: &tempfile::TempDir, file: &std::path::Path, format: &str) {
    let file = file.to_path_buf();
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
    // Indices and counts are numbers, exact decimals strings, a missing value null.
    assert_eq!(row["scenario"], 0);
    assert_eq!(row["pool"], "100");
    assert_eq!(row["message"], serde_json::Value::Null);
    let summary = read(&out.join("unit_summary.jsonl"))
        .lines()
        .next()
        .unwrap()
        .to_string();
    let summary: serde_json::Value = serde_json::from_str(&summary).unwrap();
    assert!(summary["scenarios"].is_u64(), "{summary}");
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

/// A shard folder whose files or inputs do not match what its sweep.json records is
/// refused by merge: a data file changed before a shard ran, an edited total, a deleted
/// row, a duplicated shard.
#[test]
fn merge_vouches_for_its_shards() {
    let dir = out_dir();
    let file = sweep_file(dir.path());
    let shard = |i: usize, n: usize, name: &str| {
        let out = dir.path().join(name);
        run(&[
            "sweep",
            "-q",
            path_str(&file),
            "--shard",
            &format!("{i}/{n}"),
            "--out",
            path_str(&out),
        ]);
        out
    };
    let merge = |dirs: &[&std::path::Path]| {
        let mut args = vec!["sweep", "merge"];
        args.extend(dirs.iter().map(|d| path_str(d)));
        let out = dir.path().join("merged");
        args.extend(["--out", path_str(&out)]);
        equalize(&args)
    };
    let (a, b) = (shard(1, 2, "a"), shard(2, 2, "b"));
    assert_eq!(code(&merge(&[&a, &b])), 0);

    // A duplicated shard is an overlap, named as one.
    let output = merge(&[&a, &a, &b]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("are in two shards"), "{}", stderr(&output));

    // An edited total.
    let edited = dir.path().join("edited");
    copy_dir(&b, &edited);
    let scenarios = edited.join("scenarios.csv");
    let text = read(&scenarios);
    let mut lines: Vec<&str> = text.lines().collect();
    let changed = lines[1].replacen(",ok,,", ",ok,,9", 1);
    lines[1] = &changed;
    std::fs::write(&scenarios, lines.join("\n") + "\n").unwrap();
    let output = merge(&[&a, &edited]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("is not the one its shard wrote"),
        "{}",
        stderr(&output)
    );

    // A deleted row.
    let deleted = dir.path().join("deleted");
    copy_dir(&b, &deleted);
    let units = deleted.join("units.csv");
    let text = read(&units);
    let kept: Vec<&str> = text.lines().take(3).collect();
    std::fs::write(&units, kept.join("\n") + "\n").unwrap();
    let output = merge(&[&a, &deleted]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("is not the one its shard wrote"),
        "{}",
        stderr(&output)
    );

    // A shard computed after a data file changed.
    let data = dir.path().join("data.csv");
    std::fs::copy(root().join("tests/fixtures/hand/data.csv"), &data).unwrap();
    std::fs::write(
        &file,
        read(&file).replace(
            &root().join("tests/fixtures/hand/data.csv").display().to_string(),
            path_str(&data),
        ),
    )
    .unwrap();
    let c = shard(1, 2, "c");
    std::fs::write(&data, read(&data).replace("D,Delta,80,10", "D,Delta,90,10")).unwrap();
    let d = shard(2, 2, "d");
    let output = merge(&[&c, &d]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("their inputs (") && stderr(&output).contains("data.csv"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_name_both_on_the_grid_and_drawn_is_an_error_at_its_line() {
    let dir = out_dir();
    let file = sweep_file(dir.path());
    std::fs::write(
        &file,
        read(&file) + "[montecarlo.params]\npool = { dist = \"uniform\", low = \"100\", high = \"120\" }\n",
    )
    .unwrap();
    let output = equalize(&["sweep", path_str(&file), "--out", path_str(&dir.path().join("o"))]);
    assert_eq!(code(&output), 2);
    let expected = format!(
        "{}:15:1: error: 'pool' is both a grid axis and a Monte Carlo draw; vary it one way",
        file.display()
    );
    assert!(stderr(&output).contains(&expected), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!("= the grid axis is at {}:8:1", file.display())),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_grid_too_large_is_an_error_that_says_the_limit() {
    let dir = out_dir();
    let file = sweep_file(dir.path());
    std::fs::write(&file, read(&file).replace("step = \"20\"", "step = \"0.00001\"")).unwrap();
    let output = equalize(&["sweep", path_str(&file), "--out", path_str(&dir.path().join("o"))]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("the range has more than 1000000 values; use a larger step"),
        "{}",
        stderr(&output)
    );
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// Any row of a sweep can be audited on its own: `--scenario N` writes that scenario as a
/// complete run (draws included) whose amounts are the sweep's, and which verifies.
#[test]
fn one_scenario_of_a_sweep_is_a_full_verifiable_run() {
    let dir = out_dir();
    let file = sweep_file(dir.path());
    let whole = dir.path().join("whole");
    run(&["sweep", "-q", path_str(&file), "--out", path_str(&whole)]);
    let units = csv_rows(&whole.join("units.csv"));
    for index in ["3", "7", "12"] {
        let out = dir.path().join(format!("s{index}"));
        let output = equalize(&[
            "sweep",
            "-q",
            path_str(&file),
            "--scenario",
            index,
            "--out",
            path_str(&out),
        ]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        let expected: Vec<(String, String)> = units[1..]
            .iter()
            .filter(|r| r[0] == index)
            .map(|r| (r[1].clone(), r[2].clone()))
            .collect();
        let allocations = csv_rows(&out.join("allocations.csv"));
        let total = allocations[0].iter().position(|h| h == "total").unwrap();
        let got: Vec<(String, String)> = allocations[1..]
            .iter()
            .map(|r| (r[0].clone(), r[total].clone()))
            .collect();
        assert_eq!(got, expected, "scenario {index}");
        let verified = equalize(&["verify", path_str(&out), "--allow-outside"]);
        assert_eq!(code(&verified), 0, "{}", stdout(&verified));
        assert!(stdout(&verified).contains(&format!("the run is its scenario {index}, draws included")));
    }
    let output = equalize(&[
        "sweep",
        path_str(&file),
        "--scenario",
        "20",
        "--out",
        path_str(&dir.path().join("x")),
    ]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("has scenarios 0 to 19; there is no scenario 20"),
        "{}",
        stderr(&output)
    );
}

/// A sweep killed halfway resumes with `--resume`, computing only what is missing, and
/// ends with the bytes of an uninterrupted run.
#[test]
fn a_killed_sweep_resumes_to_the_same_bytes() {
    let dir = out_dir();
    let file = dir.path().join("long.toml");
    std::fs::write(
        &file,
        format!(
            "[sweep]\nformula = \"{}\"\ndata = \"{}\"\nunits = \"all\"\n[montecarlo]\ndraws = 20000\nseed = 3\n\
             [montecarlo.params]\npool = {{ dist = \"uniform\", low = \"100\", high = \"150\", round = \"1\" }}\n\
             [montecarlo.inputs]\nneed = {{ dist = \"uniform\", low = \"0.9\", high = \"1.1\", round = \"1\" }}\n",
            root().join("tests/fixtures/hand/formula.toml").display(),
            root().join("tests/fixtures/hand/data.csv").display()
        ),
    )
    .unwrap();
    let whole = dir.path().join("whole");
    run(&["sweep", "-q", path_str(&file), "--out", path_str(&whole)]);
    let out = dir.path().join("out");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_equalize"))
        .args(["sweep", "-q", path_str(&file), "--out", path_str(&out)])
        .spawn()
        .unwrap();
    // Killed once a few scenarios are checkpointed (a fixed wait of 400 ms killed it before
    // the first on a busy machine): a header line and two scenarios' lines at least.
    let checkpoint = out.join(".equalize-checkpoint");
    let waiting = std::time::Instant::now();
    while waiting.elapsed() < std::time::Duration::from_secs(60) && child.try_wait().unwrap().is_none() {
        let lines = std::fs::read_to_string(&checkpoint).map_or(0, |t| t.matches('\n').count());
        if lines >= 3 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = child.kill();
    let killed = child.wait().unwrap().code().is_none();
    let output = equalize(&["sweep", path_str(&file), "--out", path_str(&out), "--resume"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let resumed: usize = stderr(&output)
        .split("resuming: ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    if killed {
        assert!(resumed > 0 && resumed < 20000, "resumed {resumed}");
    }
    assert!(
        files(&whole) == files(&out),
        "a resumed sweep differs from an uninterrupted one"
    );
    assert!(!out.join(".equalize-checkpoint").exists());
}

/// More shards than scenarios (empty shards, JSON lines tables with no rows) merge to the
/// bytes of one run; counts in a shard's sweep.json are not trusted but recounted.
#[test]
fn empty_shards_merge_and_counts_are_recounted() {
    let dir = out_dir();
    let file = sweep_file(dir.path());
    let whole = dir.path().join("whole");
    run(&[
        "sweep",
        "-q",
        path_str(&file),
        "--format",
        "jsonl",
        "--out",
        path_str(&whole),
    ]);
    let mut shards = Vec::new();
    for i in 1..=25 {
        let out = dir.path().join(format!("s{i}"));
        run(&[
            "sweep",
            "-q",
            path_str(&file),
            "--format",
            "jsonl",
            "--shard",
            &format!("{i}/25"),
            "--out",
            path_str(&out),
        ]);
        shards.push(out);
    }
    // Forge the counts of one shard.
    let record = shards[0].join("sweep.json");
    let forged = read(&record).replace("\"infeasible\": 0", "\"infeasible\": 7");
    std::fs::write(&record, forged).unwrap();
    let merged = dir.path().join("merged");
    let mut args = vec!["sweep", "merge"];
    let names: Vec<String> = shards.iter().map(|d| path_str(d).to_string()).collect();
    args.extend(names.iter().map(String::as_str));
    args.extend(["--out", path_str(&merged)]);
    let output = equalize(&args);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(files(&whole) == files(&merged), "25 shards merged differ from one run");
}
