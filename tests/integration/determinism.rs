//! Same inputs, same bytes: whatever the row order or the number of threads.

use crate::common::*;

fn run_to(dir: &std::path::Path, data: &str, jobs: &str) -> Vec<String> {
    let output = equalize(&[
        "run",
        "-q",
        "--jobs",
        jobs,
        "-f",
        "formulas/demo.toml",
        "-d",
        data,
        "--out",
        path_str(dir),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    ["allocations.csv", "audit.csv", "summary.json"]
        .iter()
        .map(|f| read(&dir.join(f)))
        .collect()
}

#[test]
fn shuffled_rows_and_thread_counts_give_identical_outputs() {
    let tmp = out_dir();
    let original = read(&root().join("datasets/demo/counties.csv"));
    let mut lines: Vec<&str> = original.lines().collect();
    let header = lines.remove(0);
    lines.reverse();
    lines.rotate_left(37);
    let shuffled = tmp.path().join("shuffled.csv");
    std::fs::write(&shuffled, format!("{header}\n{}\n", lines.join("\n"))).unwrap();

    let a = run_to(&tmp.path().join("a"), "datasets/demo/counties.csv", "1");
    let b = run_to(&tmp.path().join("b"), path_str(&shuffled), "2");
    assert_eq!(a[0], b[0], "allocations.csv");
    assert_eq!(a[1], b[1], "audit.csv");
    // summary.json names the data file; everything else must match.
    assert_eq!(
        a[2].replace("datasets/demo/counties.csv", "DATA"),
        b[2].replace(path_str(&shuffled), "DATA")
    );
}
