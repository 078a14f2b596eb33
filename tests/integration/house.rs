//! The house rules of issue 11: every reader reports at file:line:col, outputs are
//! ordinary files, standard output never panics, diagnostics stay grouped by file,
//! and `verify` knows every output kind.

use crate::common::*;

/// Run the binary through `sh` with a umask (the test runner's own may be anything).
fn equalize_with_umask(umask: &str, args: &[&str]) -> std::process::Output {
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask {umask}; exec '{}' {}",
            env!("CARGO_BIN_EXE_equalize"),
            quoted.join(" ")
        ))
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Outputs were once created 0600 (the temporary file's mode) whatever the umask.
#[cfg(unix)]
#[test]
fn run_and_sweep_outputs_are_ordinary_files_as_the_umask_allows() {
    let dir = out_dir();
    let out = dir.path().join("run");
    let output = equalize_with_umask("022", &["run", "-q", "--out", path_str(&out)]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    for name in ["allocations.csv", "audit.csv", "summary.json", "manifest.json"] {
        assert_eq!(mode(&out.join(name)), 0o644, "{name}");
    }
    let private = dir.path().join("private");
    let output = equalize_with_umask("077", &["run", "-q", "--out", path_str(&private)]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(mode(&private.join("allocations.csv")), 0o600);

    let sweep = dir.path().join("sweep.toml");
    std::fs::write(
        &sweep,
        format!(
            "[sweep]\nformula = \"{}\"\ndata = \"{}\"\n[grid]\npool = [\"100\", \"120\"]\n",
            root().join(HAND_FORMULA).display(),
            root().join(HAND_DATA).display()
        ),
    )
    .unwrap();
    let sweep_out = dir.path().join("sweep");
    let output = equalize_with_umask("022", &["sweep", "-q", path_str(&sweep), "--out", path_str(&sweep_out)]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(mode(&sweep_out.join("scenarios.csv")), 0o644);
    assert_eq!(mode(&sweep_out.join("sweep.json")), 0o644);
}

/// `equalize formulas > /dev/full` once panicked (exit 101, "failed printing to stdout").
#[test]
fn a_failed_write_to_standard_output_is_an_error_not_a_panic() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // not a Linux machine
    };
    for args in [&["formulas"][..], &["completions", "bash"], &["explain", "990121"]] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_equalize"))
            .args(args)
            .current_dir(root())
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        assert_eq!(code(&output), 1, "{args:?}: {}", stderr(&output));
        assert!(
            stderr(&output).starts_with("error: cannot write to standard output: "),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

/// `equalize formulas | head -0`: the reader is gone; that is a quiet exit 0.
#[test]
fn a_closed_pipe_ends_quietly() {
    for args in [&["formulas"][..], &["completions", "zsh"], &["manpage"]] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_equalize"))
            .args(args)
            .current_dir(root())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // closed before the program writes
        let output = child.wait_with_output().unwrap();
        assert_eq!(code(&output), 0, "{args:?}: {}", stderr(&output));
        assert_eq!(stderr(&output), "", "{args:?}");
    }
}

/// A scenario's problems and its formula's were once sorted together by line,
/// interleaving the two files.
#[test]
fn a_scenarios_problems_and_its_formulas_are_grouped_by_file() {
    let dir = out_dir();
    let mut formula = read(&root().join(HAND_FORMULA));
    formula = formula.replace(
        "gap = \"max(need - revenue, 0)\"",
        "gap = \"max(need - revnue, 0)\"\nextra = \"zzz\"",
    );
    std::fs::write(dir.path().join("formula.toml"), &formula).unwrap();
    std::fs::copy(root().join(HAND_DATA), dir.path().join("data.csv")).unwrap();
    let scenario = dir.path().join("s.toml");
    std::fs::write(
        &scenario,
        "[scenario]\nname = \"s\"\nformula = \"formula.toml\"\ndata = \"data.csv\"\n[params]\npol = \"1\"\n\
         [vars]\nmore = \"yyy\"\n",
    )
    .unwrap();
    let output = equalize(&["check", "--scenario", path_str(&scenario)]);
    assert_eq!(code(&output), 2);
    let text = stderr(&output);
    let heads: Vec<&str> = text
        .lines()
        .filter(|l| l.contains(": error: "))
        .map(|l| if l.contains("s.toml:") { "scenario" } else { "formula" })
        .collect();
    assert_eq!(heads.len(), 4, "{text}");
    let mut groups = heads.clone();
    groups.dedup();
    assert_eq!(groups.len(), 2, "files interleave: {heads:?}\n{text}");
}

#[test]
fn a_typo_in_a_dataset_toml_is_reported_at_its_line_and_column() {
    let dir = out_dir();
    std::fs::copy(root().join(HAND_DATA), dir.path().join("data.csv")).unwrap();
    std::fs::write(
        dir.path().join("dataset.toml"),
        "[dataset]\nname = \"x\"\n\n[[table]]\nfile = \"data.csv\"\nencodng = \"utf-8\"\n",
    )
    .unwrap();
    let output = equalize(&["check", "-f", HAND_FORMULA, "-d", path_str(dir.path())]);
    assert_eq!(code(&output), 2);
    let expected = format!(
        "{}:6:1: error: unknown key 'encodng' in [[table]]\n  |\n6 | encodng = \"utf-8\"\n  | ^^^^^^^\n  = did you mean 'encoding'?\n",
        dir.path().join("dataset.toml").display()
    );
    assert!(stderr(&output).starts_with(&expected), "{}", stderr(&output));
}

#[test]
fn a_typo_in_a_test_file_is_reported_at_its_line_and_column() {
    let dir = out_dir();
    std::fs::copy(root().join(HAND_FORMULA), dir.path().join("formula.toml")).unwrap();
    let test = dir.path().join("formula.test.toml");
    std::fs::write(
        &test,
        "[[case]]\nname = \"one\"\ntolerence = \"0.1\"\n[[case.unit]]\ncode = \"A\"\nneed = \"1\"\nrevenue = \"0\"\n\
         [case.expect.A]\ngap = \"1\"\n",
    )
    .unwrap();
    let output = equalize(&["test", path_str(&test)]);
    assert_eq!(code(&output), 2, "{}", stdout(&output));
    let expected = format!("{}:3:1: error: unknown key 'tolerence' in a test case", test.display());
    assert!(stderr(&output).starts_with(&expected), "{}", stderr(&output));
    assert!(stderr(&output).contains("= did you mean 'tolerance'?"));
    // A param a case sets that the formula lacks points at the case.
    std::fs::write(
        &test,
        "[[case]]\nname = \"one\"\nset = { pol = \"5\" }\n[[case.unit]]\ncode = \"A\"\nneed = \"1\"\nrevenue = \"0\"\n\
         [case.expect.A]\ngap = \"1\"\n",
    )
    .unwrap();
    let output = equalize(&["test", path_str(&test)]);
    assert_eq!(code(&output), 4);
    let expected = format!(
        "{}:3:9: error: param 'pol': the formula has no param 'pol' (did you mean 'pool'?)",
        test.display()
    );
    assert!(stdout(&output).contains(&expected), "{}", stdout(&output));
}

#[test]
fn a_sweep_file_takes_true_or_false_not_yes() {
    let dir = out_dir();
    let sweep = dir.path().join("sweep.toml");
    std::fs::write(
        &sweep,
        format!(
            "[sweep]\nformula = \"{}\"\ndata = \"{}\"\ntheil = \"yes\"\n[montecarlo]\ndraws = 2.5\n",
            root().join(HAND_FORMULA).display(),
            root().join(HAND_DATA).display()
        ),
    )
    .unwrap();
    let output = equalize(&["sweep", path_str(&sweep), "--out", path_str(&dir.path().join("o"))]);
    assert_eq!(code(&output), 2);
    let text = stderr(&output);
    let at = |line: usize, column: usize| format!("{}:{line}:{column}: error: ", sweep.display());
    assert!(
        text.contains(&format!(
            "{}sweep.theil must be true or false, found a string",
            at(4, 9)
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("{}montecarlo.draws must be a whole number", at(6, 9))),
        "{text}"
    );
    assert!(!dir.path().join("o").exists(), "nothing written");
}

/// `verify` re-renders every output kind it finds in a manifest, and refuses one it
/// does not know rather than skipping it.
#[test]
fn verify_checks_every_output_kind_and_refuses_unknown_ones() {
    let dir = out_dir();
    let out = dir.path().join("out");
    let output = equalize(&[
        "run",
        "-q",
        "--trace",
        "--report",
        "xlsx",
        "--report",
        "html",
        "--out",
        path_str(&out),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let verified = equalize(&["verify", path_str(&out)]);
    assert_eq!(code(&verified), 0, "{}", stdout(&verified));
    for name in [
        "allocations.csv",
        "audit.csv",
        "summary.json",
        "trace.jsonl",
        "report.xlsx",
        "report.html",
    ] {
        assert!(
            stdout(&verified).contains(&format!("output {name}: identical")),
            "{name}"
        );
    }
    // An edited report is caught like any other output.
    let html = out.join("report.html");
    std::fs::write(&html, read(&html).replace("</title>", " (final)</title>")).unwrap();
    let edited = equalize(&["verify", path_str(&out)]);
    assert_eq!(code(&edited), 5);
    assert!(
        stdout(&edited).contains("output report.html: edited after the run"),
        "{}",
        stdout(&edited)
    );
    // A kind this version does not know cannot be verified.
    let manifest = out.join("manifest.json");
    std::fs::write(
        &manifest,
        read(&manifest).replace("\"outputs\": {", "\"outputs\": {\n    \"notes.txt\": \"00\","),
    )
    .unwrap();
    let unknown = equalize(&["verify", path_str(&out)]);
    assert_eq!(code(&unknown), 5);
    assert!(
        stdout(&unknown).contains("output notes.txt: not a file equalize writes: it cannot be verified"),
        "{}",
        stdout(&unknown)
    );
}

/// docs/architecture.md: the library never imports the command line, never changes the
/// process's directory and never prints; only `src/cli/` and `src/main.rs` do.
#[test]
fn the_library_never_imports_the_command_line_changes_directory_or_prints() {
    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for dir in ["src", "benches", "fuzz/fuzz_targets", "tests"] {
        rust_files(&root().join(dir), &mut files);
    }
    let cli = root().join("src/cli");
    let forbidden_imports = [["crate", "::cli"].concat(), ["equalize", "::cli"].concat()];
    let library_only = [
        ["set_current", "_dir"].concat(),
        ["print", "ln!("].concat(),
        ["print", "!("].concat(),
    ];
    let mut found = Vec::new();
    for file in &files {
        let text = read(file);
        let in_binary = file.starts_with(&cli) || file.ends_with("src/main.rs");
        for needle in &forbidden_imports {
            if text.contains(needle.as_str()) && !in_binary {
                found.push(format!("{}: {needle}", file.display()));
            }
        }
        if file.starts_with(root().join("src")) && !in_binary {
            for needle in &library_only {
                if text.contains(needle.as_str()) {
                    found.push(format!("{}: {needle}", file.display()));
                }
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}
