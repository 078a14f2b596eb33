//! Outputs are written atomically and a failed run never destroys earlier results.

use crate::common::*;

#[test]
fn a_failed_run_leaves_earlier_results_and_foreign_files_untouched() {
    let out = out_dir();
    let good = run_hand(out.path(), &["-q"]);
    assert_eq!(code(&good), 0, "{}", stderr(&good));
    std::fs::write(out.path().join("notes.txt"), "mine").unwrap();
    let before = read(&out.path().join("allocations.csv"));

    let bad = run_hand(out.path(), &["-q", "--set", "pool=170"]);
    assert_eq!(code(&bad), 3);
    assert_eq!(read(&out.path().join("allocations.csv")), before);
    assert_eq!(read(&out.path().join("notes.txt")), "mine");
    let mut names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ".equalize-files",
            ".equalize.lock",
            "allocations.csv",
            "audit.csv",
            "manifest.json",
            "notes.txt",
            "summary.json"
        ],
        "no temporary files left"
    );
}

#[test]
fn amounts_are_plain_decimals_with_the_units_places() {
    let dir = out_dir();
    let formula = dir.path().join("f.toml");
    std::fs::write(
        &formula,
        "[formula]\nname = \"cents\"\nkey = \"code\"\n[inputs.w]\n[params]\npool = 1e2\n\
         [[allocation]]\nname = \"cents\"\npool = \"pool\"\nweight = \"w\"\nround = \"0.01\"\n\
         [[allocation]]\nname = \"free\"\npool = \"1\"\nweight = \"w\"\n",
    )
    .unwrap();
    let data = dir.path().join("d.csv");
    std::fs::write(&data, "code,w\nx,1\ny,2\n").unwrap();
    let out = dir.path().join("out");
    let output = equalize(&[
        "run",
        "-q",
        "-f",
        path_str(&formula),
        "-d",
        path_str(&data),
        "--out",
        path_str(&out),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    // cents: 100/3 = 33.333.. and 66.666.. → 33.33 and 66.67 (largest remainder);
    // free: 1/3 and 2/3 carried to 12 places, the last unit to the larger remainder.
    assert_eq!(
        read(&out.join("allocations.csv")),
        "code,cents,free,total\nx,33.33,0.333333333333,33.663333333333\ny,66.67,0.666666666667,67.336666666667\n"
    );
}

/// `--trace` streams to its file: the run's peak memory stays below the size of the
/// trace it writes (79 MB for the 2,943 national units; once 193 MB of memory).
#[test]
fn the_trace_streams_to_its_file() {
    let time = std::path::Path::new("/usr/bin/time");
    if !time.exists() {
        return; // no way to read the peak memory here
    }
    let dir = out_dir();
    let out = dir.path().join("out");
    let output = std::process::Command::new(time)
        .args(["-f", "%M"])
        .arg(env!("CARGO_BIN_EXE_equalize"))
        .args(["run", "-q", "--formula", "cn", "--trace", "--out", path_str(&out)])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let peak_kib: u64 = stderr(&output).trim().lines().last().unwrap().trim().parse().unwrap();
    let trace = std::fs::metadata(out.join("trace.jsonl")).unwrap().len();
    assert!(trace > 50_000_000, "the trace is {trace} bytes");
    assert!(
        peak_kib * 1024 < trace,
        "peak memory {peak_kib} KiB for a trace of {trace} bytes"
    );
    assert_eq!(code(&equalize(&["verify", path_str(&out)])), 0);
}
