//! Hostile and broken input: each ends in a clear message and the documented exit code,
//! never a panic, a hang, or lost results. docs/reliability.md lists them.

use std::process::{Command, Stdio};

use crate::common::*;

fn formula(dir: &std::path::Path, vars: &str) -> std::path::PathBuf {
    let path = dir.join("f.toml");
    std::fs::write(
        &path,
        format!("[formula]\nname = \"h\"\nkey = \"code\"\n[inputs.x]\n[params]\npool = \"100\"\n[vars]\n{vars}\n[[allocation]]\nname = \"a\"\npool = \"pool\"\nweight = \"1\"\n"),
    )
    .unwrap();
    path
}

fn data(dir: &std::path::Path, text: &str) -> std::path::PathBuf {
    let path = dir.join("d.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn check(f: &std::path::Path, d: &std::path::Path) -> std::process::Output {
    equalize(&["check", "-f", path_str(f), "-d", path_str(d)])
}

#[test]
fn arithmetic_overflow_names_the_var_and_the_unit() {
    let dir = out_dir();
    let f = formula(dir.path(), "big = \"x * x * x * x\"");
    let d = data(dir.path(), "code,x\na,1\nb,1000000000000000\n");
    let output = check(&f, &d);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("number too large (overflow beyond 28 significant digits) in var 'big' for unit b"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn numbers_beyond_28_digits_or_not_finite_are_refused() {
    let dir = out_dir();
    let f = formula(dir.path(), "y = \"x\"");
    for (cell, expected) in [
        ("1e30", "'1e30' is out of range"),
        ("0.12345678901234567890123456789012", "is out of range"),
        ("NaN", "'NaN' is not a finite number"),
        ("-inf", "'-inf' is not a finite number"),
    ] {
        let d = data(dir.path(), &format!("code,x\na,{cell}\n"));
        let output = check(&f, &d);
        assert_eq!(code(&output), 2, "{cell}");
        assert!(stderr(&output).contains(expected), "{cell}: {}", stderr(&output));
    }
    let f = formula(dir.path(), "y = \"x * 1e30\"");
    let d = data(dir.path(), "code,x\na,1\n");
    let output = check(&f, &d);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("'1e30': out of range"), "{}", stderr(&output));
}

#[test]
fn names_that_shadow_functions_or_words_are_refused() {
    let dir = out_dir();
    let f = formula(dir.path(), "max = \"x\"\nand = \"x\"");
    let d = data(dir.path(), "code,x\na,1\n");
    let err = stderr(&check(&f, &d));
    assert!(err.contains("var 'max' has the name of a built-in function"), "{err}");
    assert!(err.contains("var 'and' uses a reserved word"), "{err}");
}

#[test]
fn duplicate_toml_keys_are_reported_with_their_line() {
    let dir = out_dir();
    let f = dir.path().join("f.toml");
    std::fs::write(&f, "[formula]\nname = \"a\"\nname = \"b\"\n").unwrap();
    let d = data(dir.path(), "code,x\na,1\n");
    let output = check(&f, &d);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("f.toml:3:1: error: invalid TOML"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn mixed_line_endings_and_a_very_wide_header_load() {
    let dir = out_dir();
    let f = formula(dir.path(), "y = \"x\"");
    let d = data(dir.path(), "code,x\r\na,1\nb,2\r\nc,3\n");
    assert_eq!(code(&check(&f, &d)), 0, "mixed line endings");
    let mut wide = String::from("code,x");
    for i in 0..200_000 {
        wide.push_str(&format!(",c{i}"));
    }
    wide.push_str("\na,1");
    wide.push_str(&",".repeat(200_000));
    wide.push('\n');
    let d = data(dir.path(), &wide);
    let output = check(&f, &d);
    assert_eq!(code(&output), 0, "200,000 columns: {}", stderr(&output));
}

#[test]
#[cfg(unix)]
fn a_symlink_out_of_the_dataset_folder_is_refused() {
    let dir = out_dir();
    let folder = dir.path().join("set");
    std::fs::create_dir(&folder).unwrap();
    let outside = data(dir.path(), "code,x\na,1\n");
    std::os::unix::fs::symlink(&outside, folder.join("link.csv")).unwrap();
    std::fs::write(
        folder.join("dataset.toml"),
        "[dataset]\nkey = \"code\"\n[[table]]\nfile = \"link.csv\"\n",
    )
    .unwrap();
    let f = formula(dir.path(), "y = \"x\"");
    let output = equalize(&["check", "-f", path_str(&f), "-d", path_str(&folder)]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("'link.csv' leads outside the dataset folder through a symbolic link"),
        "{}",
        stderr(&output)
    );
    let allowed = equalize(&["check", "--allow-outside", "-f", path_str(&f), "-d", path_str(&folder)]);
    assert_eq!(code(&allowed), 0, "{}", stderr(&allowed));
}

#[test]
fn outputs_may_not_go_into_an_input_folder() {
    let dir = out_dir();
    let f = formula(dir.path(), "y = \"x\"");
    let d = data(dir.path(), "code,x\na,1\n");
    let output = equalize(&[
        "run",
        "-f",
        path_str(&f),
        "-d",
        path_str(&d),
        "--out",
        path_str(dir.path()),
    ]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("holds the input"), "{}", stderr(&output));
    assert!(!dir.path().join("allocations.csv").exists());
}

/// Kill a long run while it works: the previous results stay as they were, and the next
/// run cleans up what the killed one left.
#[test]
fn a_killed_run_leaves_the_previous_results_intact() {
    let dir = out_dir();
    let out = dir.path().join("out");
    let first = equalize(&["run", "-q", "--out", path_str(&out)]);
    assert_eq!(code(&first), 0);
    let before = read(&out.join("allocations.csv"));
    // A bigger dataset so the run takes a while: the demo rows repeated with new keys.
    let demo = read(&root().join("datasets/demo/counties.csv"));
    let mut big = String::from(demo.lines().next().unwrap());
    big.push('\n');
    for copy in 0..3000 {
        for line in demo.lines().skip(1) {
            big.push_str(&format!("{copy:04}{line}\n"));
        }
    }
    let data = dir.path().join("big.csv");
    std::fs::write(&data, big).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_equalize"))
        .args([
            "run",
            "-q",
            "--no-warnings",
            "-f",
            "formulas/demo.toml",
            "-d",
            path_str(&data),
            "--set",
            "pool=15000000000000",
            "--out",
            path_str(&out),
        ])
        .current_dir(root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        read(&out.join("allocations.csv")),
        before,
        "the killed run changed nothing"
    );
    let again = equalize(&["run", "-q", "--out", path_str(&out)]);
    assert_eq!(code(&again), 0);
    let leftovers: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}
