//! A set of outputs is all old or all new, whatever happens to the run writing it, and
//! no command writes over its inputs.

use std::process::{Command, Stdio};

use equalize::audit::hash::sha256_hex;
use equalize::report::folder;

use crate::common::*;

/// Every file equalize writes into a run folder.
const FAMILY: [&str; 7] = [
    "allocations.csv",
    "audit.csv",
    "summary.json",
    "trace.jsonl",
    "report.xlsx",
    "report.html",
    "manifest.json",
];

/// After recovery, the folder holds exactly one run's set: the manifest lists every
/// result file present, each with its hash, and no temporaries remain. Returns the pool.
fn one_whole_set(out: &std::path::Path) -> String {
    // Another test thread forking at the instant this one holds the lock can keep the lock
    // file open in its child until that child execs: a brief wait covers it.
    let mut attempts = 0;
    while let Err(e) = folder::recover_for_writing(out, &FAMILY) {
        attempts += 1;
        assert!(attempts < 100, "{e}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let manifest: serde_json::Value = serde_json::from_str(&read(&out.join("manifest.json"))).unwrap();
    let outputs = manifest["outputs"].as_object().unwrap();
    for name in FAMILY.iter().filter(|n| **n != "manifest.json") {
        let path = out.join(name);
        match outputs.get(*name) {
            Some(hash) => assert_eq!(
                sha256_hex(&std::fs::read(&path).unwrap_or_default()),
                hash.as_str().unwrap(),
                "{name} is not the one the manifest lists"
            ),
            None => assert!(!path.exists(), "{name} is left from another run"),
        }
    }
    let temporaries: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".equalize-tmp") || n == ".equalize-journal")
        .collect();
    assert!(temporaries.is_empty(), "{temporaries:?}");
    manifest["params"]["pool"].as_str().unwrap().to_string()
}

/// 200 runs killed at random instants (a pause between the steps of each commit makes
/// the kills land in the write and rename phases too): the folder always holds one whole
/// set, the previous one or the new one.
#[test]
fn runs_killed_at_random_instants_leave_one_whole_set() {
    let dir = out_dir();
    let out = dir.path().join("out");
    let with_extras = ["run", "-q", "--trace", "--report", "html", "--out", path_str(&out)];
    let plain = ["run", "-q", "--set", "pool=52500000000", "--out", path_str(&out)];
    let started = std::time::Instant::now();
    assert_eq!(code(&equalize(&with_extras)), 0);
    // Kills spread over a run's whole length, as long as a run takes on this machine now
    // (a loaded machine runs slower: a fixed range would land every kill before the commit).
    let span_us = (started.elapsed().as_micros() as u64 * 5 / 4).max(60_000);
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let (mut old, mut new) = (0, 0);
    for kill in 0..200 {
        let before = one_whole_set(&out);
        let args: &[&str] = if kill % 2 == 0 { &plain } else { &with_extras };
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = std::time::Duration::from_micros(seed % span_us);
        let mut child = Command::new(env!("CARGO_BIN_EXE_equalize"))
            .args(args)
            .current_dir(root())
            .env("EQUALIZE_TEST_SLOW_COMMIT_MS", "3")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let after = one_whole_set(&out);
        if after == before {
            old += 1;
        } else {
            new += 1;
        }
    }
    // Both outcomes happen: the kills land before and after the commit.
    assert!(old > 0 && new > 0, "old {old}, new {new}");
}

#[test]
fn a_run_removes_the_results_of_an_earlier_run_it_does_not_write() {
    let dir = out_dir();
    let out = dir.path().join("out");
    assert_eq!(
        code(&equalize(&[
            "run",
            "-q",
            "--trace",
            "--report",
            "html",
            "--report",
            "xlsx",
            "--out",
            path_str(&out)
        ])),
        0
    );
    assert!(out.join("report.xlsx").exists());
    assert_eq!(code(&equalize(&["run", "-q", "--out", path_str(&out)])), 0);
    for stale in ["trace.jsonl", "report.html", "report.xlsx"] {
        assert!(!out.join(stale).exists(), "{stale} left behind");
    }
    assert_eq!(code(&equalize(&["verify", path_str(&out)])), 0);
}

/// Two runs into one folder at once: one stops with a clear message or waits its turn;
/// neither fails halfway, and the folder holds one whole set.
#[test]
fn concurrent_runs_into_one_folder_do_not_interfere() {
    let dir = out_dir();
    let out = dir.path().join("out");
    for _ in 0..20 {
        let spawn = |pool: &str| {
            Command::new(env!("CARGO_BIN_EXE_equalize"))
                .args(["run", "-q", "--set", &format!("pool={pool}"), "--out", path_str(&out)])
                .current_dir(root())
                .env("NO_COLOR", "1")
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn("50000000000"), spawn("52500000000"));
        for child in [a, b] {
            let output = child.wait_with_output().unwrap();
            let message = stderr(&output);
            assert!(
                code(&output) == 0 || (code(&output) == 2 && message.contains("another equalize is writing to")),
                "{message}"
            );
        }
        one_whole_set(&out);
    }
}

#[test]
fn scenario_folders_that_would_collide_are_refused_before_anything_is_written() {
    let dir = out_dir();
    for sub in ["a", "b"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        std::fs::write(
            dir.path().join(sub).join("x.toml"),
            format!(
                "[scenario]\nname = \"{sub}\"\nformula = \"{}\"\ndata = \"{}\"\n",
                root().join(HAND_FORMULA).display(),
                root().join(HAND_DATA).display()
            ),
        )
        .unwrap();
    }
    let out = dir.path().join("out");
    let output = equalize(&[
        "run",
        "--scenario",
        path_str(&dir.path().join("a/x.toml")),
        "--scenario",
        path_str(&dir.path().join("b/x.toml")),
        "--out",
        path_str(&out),
    ]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("would both write to"), "{}", stderr(&output));
    assert!(!out.exists());
}

#[test]
fn no_command_writes_over_its_inputs() {
    let dir = out_dir();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::copy(root().join(HAND_DATA), data.join("units.csv")).unwrap();
    let sweep = dir.path().join("sweep.toml");
    std::fs::write(
        &sweep,
        format!(
            "[sweep]\nformula = \"{}\"\ndata = \"data/units.csv\"\n[grid]\npool = [\"100\", \"120\"]\n",
            root().join(HAND_FORMULA).display()
        ),
    )
    .unwrap();
    let before = read(&data.join("units.csv"));
    // sweep --out the dataset's folder
    let output = equalize(&["sweep", "-q", path_str(&sweep), "--out", path_str(&data)]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(stderr(&output).contains("holds the input"), "{}", stderr(&output));
    assert_eq!(read(&data.join("units.csv")), before);
    // ... also through a second name for the folder
    #[cfg(unix)]
    {
        let alias = dir.path().join("alias");
        std::os::unix::fs::symlink(&data, &alias).unwrap();
        let output = equalize(&["sweep", "-q", path_str(&sweep), "--out", path_str(&alias)]);
        assert_eq!(code(&output), 2, "{}", stderr(&output));
        let output = equalize(&[
            "run",
            "-q",
            "-f",
            HAND_FORMULA,
            "-d",
            path_str(&data.join("units.csv")),
            "--out",
            path_str(&alias),
        ]);
        assert_eq!(code(&output), 2, "{}", stderr(&output));
    }
    // compare --out into a published run
    let run_a = dir.path().join("a");
    assert_eq!(code(&run_hand(&run_a, &["-q"])), 0);
    let published = read(&run_a.join("allocations.csv"));
    let output = equalize(&[
        "compare",
        path_str(&run_a),
        path_str(&run_a),
        "--out",
        path_str(&run_a.join("allocations.csv")),
    ]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert_eq!(read(&run_a.join("allocations.csv")), published);
    // sweep merge --out onto one of its shards
    let shard = dir.path().join("shard");
    assert!(matches!(
        code(&equalize(&["sweep", "-q", path_str(&sweep), "--out", path_str(&shard)])),
        0 | 3
    ));
    let output = equalize(&["sweep", "merge", path_str(&shard), "--out", path_str(&shard)]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("is one of the shards being merged"),
        "{}",
        stderr(&output)
    );
}
