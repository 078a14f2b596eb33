//! An auditor trying to fool `verify`: every kind of tamper with a published run is a
//! difference (exit 5) or a refusal, stated once, never contradicted, nothing echoed.
//! docs/auditing.md has the table these tests stand behind.

use std::path::Path;
use std::process::Command;

use crate::common::*;

fn equalize_in(cwd: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_equalize"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs")
}

/// The hand example run from a work folder with relative paths and one override.
fn published(extra: &[&str]) -> tempfile::TempDir {
    let work = out_dir();
    std::fs::copy(root().join(HAND_FORMULA), work.path().join("formula.toml")).unwrap();
    std::fs::copy(root().join(HAND_DATA), work.path().join("data.csv")).unwrap();
    let mut args = vec!["run", "-q", "-f", "formula.toml", "-d", "data.csv", "--out", "out"];
    args.extend_from_slice(extra);
    let output = equalize_in(work.path(), &args);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    work
}

fn verify(work: &Path, extra: &[&str]) -> (i32, String) {
    let mut args = vec!["verify", "out"];
    args.extend_from_slice(extra);
    let output = equalize_in(work, &args);
    (code(&output), stdout(&output) + &stderr(&output))
}

fn edit_manifest(work: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = work.join("out/manifest.json");
    let mut manifest: serde_json::Value = serde_json::from_str(&read(&path)).unwrap();
    edit(&mut manifest);
    std::fs::write(&path, serde_json::to_string_pretty(&manifest).unwrap()).unwrap();
}

#[test]
fn overrides_are_printed_with_their_values() {
    let work = published(&["--set", "pool=120"]);
    let (status, report) = verify(work.path(), &[]);
    assert_eq!(status, 0, "{report}");
    assert!(
        report.contains("  override pool: set to 120 for the run (--set)\n"),
        "{report}"
    );
}

#[test]
fn forged_metadata_is_a_difference_stated_once() {
    let sha = |c: char| c.to_string().repeat(64);
    type Edit = fn(&mut serde_json::Value, &str);
    let cases: [(&str, Edit, &str); 7] = [
        (
            "output hash",
            |m, s| m["outputs"]["allocations.csv"] = s.into(),
            "output allocations.csv: edited after the run",
        ),
        (
            "input hash",
            |m, s| m["data"][0]["sha256"] = s.into(),
            "input  data.csv: CHANGED since the run",
        ),
        (
            "formula hash",
            |m, s| m["formula"]["sha256"] = s.into(),
            "formula formula.toml: CHANGED since the run",
        ),
        (
            "content hash",
            |m, s| m["data_content_sha256"] = s.into(),
            "data   content: CHANGED",
        ),
        (
            "param",
            |m, _| m["params"]["pool"] = "101".into(),
            "param  pool: recorded 101, recomputed 100",
        ),
        (
            "version",
            |m, _| m["tool"]["version"] = "9.9.9".into(),
            "tool   equalize 9.9.9",
        ),
        (
            "commit",
            |m, _| m["tool"]["git_commit"] = "0".repeat(40).into(),
            "DIFFERS from this binary",
        ),
    ];
    for (what, edit, expected) in cases {
        let work = published(&[]);
        edit_manifest(work.path(), |m| edit(m, &sha('a')));
        let (status, report) = verify(work.path(), &[]);
        assert_eq!(status, 5, "{what}: {report}");
        assert!(report.contains(expected), "{what}: {report}");
        assert!(report.contains("NOT verified"), "{what}: {report}");
        if what == "output hash" {
            assert!(!report.contains("allocations.csv: identical"), "contradicted: {report}");
        }
    }
}

#[test]
fn the_fields_documented_as_ignored_are_optional() {
    let work = published(&[]);
    edit_manifest(work.path(), |m| {
        let object = m.as_object_mut().unwrap();
        object.remove("run_at");
        object.remove("command");
    });
    let (status, report) = verify(work.path(), &[]);
    assert_eq!(status, 0, "{report}");
}

/// Verify once checked the hashes of the formula and data records but recomputed from the
/// separate `inputs` fields: a run made with a hidden formula, its formula record copied
/// from the official run, verified as "unchanged ... verified".
#[test]
fn a_recomputation_may_read_only_the_files_the_manifest_records() {
    let official = published(&[]);
    let work = published(&["--set", "pool=100"]);
    std::fs::write(
        work.path().join("hidden.toml"),
        read(&work.path().join("formula.toml")).replace("cap = \"gap\"", ""),
    )
    .unwrap();
    let output = equalize_in(
        work.path(),
        &["run", "-q", "-f", "hidden.toml", "-d", "data.csv", "--out", "out"],
    );
    assert_eq!(code(&output), 0);
    let record: serde_json::Value = serde_json::from_str(&read(&official.path().join("out/manifest.json"))).unwrap();
    edit_manifest(work.path(), |m| m["formula"] = record["formula"].clone());
    let (status, report) = verify(work.path(), &[]);
    assert_eq!(status, 5, "{report}");
    assert!(report.contains("formula formula.toml: unchanged"), "{report}");
    assert!(
        report.contains(
            "recompute the run: FAILED: the recorded inputs lead to hidden.toml, which the manifest does not record"
        ),
        "{report}"
    );
    // An input record removed from the manifest: its file is not read either.
    let work = published(&[]);
    edit_manifest(work.path(), |m| m["data"] = serde_json::json!([]));
    let (status, report) = verify(work.path(), &[]);
    assert_eq!(status, 5, "{report}");
    assert!(
        report.contains("lead to data.csv, which the manifest does not record"),
        "{report}"
    );
}

#[test]
fn paths_outside_the_inputs_folder_are_not_read_and_nothing_is_echoed() {
    let work = published(&[]);
    let secret = out_dir();
    std::fs::write(secret.path().join("secret.csv"), "TOP-SECRET-LINE\n").unwrap();
    let secret_path = secret.path().join("secret.csv").display().to_string();
    edit_manifest(work.path(), |m| {
        m["inputs"]["data"] = serde_json::json!([secret_path]);
        m["data"][0]["file"] = secret_path.clone().into();
        m["inputs"]["allow_outside"] = true.into();
    });
    let (status, report) = verify(work.path(), &[]);
    assert_eq!(status, 5, "{report}");
    assert!(report.contains("outside the inputs folder"), "{report}");
    assert!(!report.contains("TOP-SECRET"), "{report}");
    // Even when the auditor allows outside paths, a file whose hash fails is not echoed.
    let (status, report) = verify(work.path(), &["--allow-outside"]);
    assert_eq!(status, 5, "{report}");
    assert!(!report.contains("TOP-SECRET"), "{report}");
}

#[cfg(unix)]
#[test]
fn special_files_are_refused_not_read() {
    let work = published(&[]);
    let fifo = work.path().join("fifo.csv");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return;
    }
    edit_manifest(work.path(), |m| {
        m["inputs"]["data"] = serde_json::json!(["fifo.csv"]);
        m["data"][0]["file"] = "fifo.csv".into();
    });
    let (status, report) = verify(work.path(), &[]);
    assert_eq!(status, 5, "{report}");
    assert!(
        report.contains("input  fifo.csv: UNREADABLE: the input is not a regular file"),
        "{report}"
    );
    // And as data for a run.
    let output = equalize_in(work.path(), &["check", "-f", "formula.toml", "-d", "fifo.csv"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("the data file is not a regular file"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_result_file_the_manifest_does_not_list_is_a_difference() {
    let work = published(&[]);
    std::fs::write(work.path().join("out/report.html"), "<html>old</html>").unwrap();
    let (status, report) = verify(work.path(), &[]);
    assert_eq!(status, 5, "{report}");
    assert!(
        report.contains("output report.html: in the folder but not in the manifest"),
        "{report}"
    );
}

/// `--formula NAME` is the built-in formula, whatever files sit in the folder; a path is a
/// file, never the built-in copy.
#[test]
fn built_in_formulas_are_named_as_such_and_never_confused_with_files() {
    let work = out_dir();
    std::fs::write(work.path().join("demo"), "not a formula").unwrap();
    let output = equalize_in(work.path(), &["run", "-q", "--formula", "demo", "--out", "out"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let summary = read(&work.path().join("out/summary.json"));
    assert!(summary.contains("\"formula_file\": \"built-in demo\""), "{summary}");
    let (status, report) = verify(work.path(), &[]);
    assert_eq!(status, 0, "{report}");
    assert!(report.contains("formula built-in demo of equalize"), "{report}");
    // A path that is not there is an error, not the built-in copy.
    let output = equalize_in(work.path(), &["check", "--formula", "formulas/demo.toml"]);
    assert_eq!(code(&output), 1);
    assert!(
        stderr(&output).contains("cannot read formulas/demo.toml"),
        "{}",
        stderr(&output)
    );
    let output = equalize_in(work.path(), &["check", "--formula", "dmeo"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("there is no built-in formula 'dmeo' (did you mean 'demo'?)"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn verify_speaks_json_for_scripts() {
    let work = published(&[]);
    let output = equalize_in(work.path(), &["verify", "out", "--format", "json"]);
    assert_eq!(code(&output), 0);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["verified"], true);
    let parts: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["part"].as_str().unwrap())
        .collect();
    assert_eq!(parts[..3], ["tool", "formula", "input"]);
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["differs"] == false));
}

#[test]
fn explain_against_a_published_run_uses_its_overrides() {
    let work = published(&["--set", "pool=150"]);
    let output = equalize_in(work.path(), &["explain", "A", "--run", "out", "--var", "grant"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    // With pool 150 (hand-computed in run.rs), A gets 28.
    assert!(stdout(&output).contains("28"), "{}", stdout(&output));
    let plain = equalize_in(
        work.path(),
        &["explain", "A", "-f", "formula.toml", "-d", "data.csv", "--var", "grant"],
    );
    assert!(stdout(&plain).contains("19"), "{}", stdout(&plain));
}

/// A record claiming a built-in formula (whose hash is that of the built-in copy) while the
/// run reads a file of that name: the file is not read, and the run does not verify.
#[test]
fn a_disk_file_recorded_as_built_in_is_refused() {
    let work = published(&[]);
    let demo = equalize_in(work.path(), &["run", "-q", "--formula", "demo", "--out", "official"]);
    assert_eq!(code(&demo), 0);
    let official: serde_json::Value = serde_json::from_str(&read(&work.path().join("official/manifest.json"))).unwrap();
    edit_manifest(work.path(), |m| {
        let mut record = official["formula"].clone();
        record["file"] = "formula.toml".into();
        m["formula"] = record;
    });
    let (status, report) = verify(work.path(), &[]);
    assert_eq!(status, 5, "{report}");
    assert!(
        report.contains("which the manifest records as a built-in formula; it is not read"),
        "{report}"
    );
    // A record of a file the run does not read is not provenance either.
    let work = published(&[]);
    edit_manifest(work.path(), |m| {
        let extra = m["data"][0].clone();
        let mut extra = extra;
        extra["file"] = "other.csv".into();
        m["data"].as_array_mut().unwrap().push(extra);
    });
    std::fs::copy(work.path().join("data.csv"), work.path().join("other.csv")).unwrap();
    let (status, report) = verify(work.path(), &[]);
    assert_eq!(status, 5, "{report}");
    assert!(
        report.contains("input  other.csv: recorded as an input, but the run does not read it"),
        "{report}"
    );
}

/// A journal planted in a published folder is never applied by a reader: it could swap a
/// genuine file over a forged one, or delete the auditor's files.
#[test]
fn verify_never_acts_on_a_journal_it_finds() {
    let work = published(&[]);
    let out = work.path().join("out");
    std::fs::write(work.path().join("out/NOTES.txt"), "mine").unwrap();
    std::fs::write(
        out.join(".equalize-journal"),
        r#"{"files":["allocations.csv"],"remove":["NOTES.txt"]}"#,
    )
    .unwrap();
    let (status, report) = verify(work.path(), &[]);
    assert_eq!(status, 2, "{report}");
    assert!(
        report.contains("holds an unfinished write (.equalize-journal)"),
        "{report}"
    );
    assert_eq!(read(&out.join("NOTES.txt")), "mine");
    // The next run into the folder finishes or clears it, and touches only its own names.
    std::fs::write(
        out.join(".equalize-journal"),
        r#"{"files":[],"remove":["NOTES.txt","../data.csv"]}"#,
    )
    .unwrap();
    let output = equalize_in(
        work.path(),
        &["run", "-q", "-f", "formula.toml", "-d", "data.csv", "--out", "out"],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(read(&out.join("NOTES.txt")), "mine");
    assert!(work.path().join("data.csv").exists());
    assert_eq!(verify(work.path(), &[]).0, 0);
}

#[test]
fn explain_of_a_published_run_that_does_not_verify_is_refused() {
    let work = published(&[]);
    edit_manifest(work.path(), |m| {
        m["inputs"]["data"] = serde_json::json!(["/etc/passwd"]);
    });
    let output = equalize_in(work.path(), &["explain", "A", "--run", "out"]);
    assert_eq!(code(&output), 2);
    let err = stderr(&output);
    assert!(err.contains("out cannot be explained as published"), "{err}");
    // Not read is not "differs": the auditor is told what to give, not that a file changed.
    assert!(
        err.contains("1 input outside the inputs folder not read, so the run could not be checked"),
        "{err}"
    );
    assert!(!stderr(&output).contains("root:"), "{}", stderr(&output));
}

#[cfg(unix)]
#[test]
fn a_linked_output_is_not_read() {
    let work = published(&[]);
    let secret = work.path().join("secret.txt");
    std::fs::write(&secret, "TOKEN-123\n").unwrap();
    let allocations = work.path().join("out/allocations.csv");
    std::fs::remove_file(&allocations).unwrap();
    std::os::unix::fs::symlink(&secret, &allocations).unwrap();
    let (status, report) = verify(work.path(), &[]);
    assert_eq!(status, 5, "{report}");
    assert!(report.contains("output allocations.csv: a symbolic link"), "{report}");
    assert!(!report.contains("TOKEN-123"), "{report}");
}
