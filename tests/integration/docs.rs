//! The documentation's examples are run: every "`expr` → `result`" line in
//! docs/formula-language.md is evaluated by the real binary, and every built-in
//! function has a section there.

use crate::common::*;

struct Example {
    expression: String,
    expected: Vec<String>,
}

fn examples(doc: &str) -> Vec<Example> {
    doc.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("- `")?;
            let (expression, rest) = rest.split_once("` → `")?;
            let expected = rest.strip_suffix('`')?;
            Some(Example {
                expression: expression.to_string(),
                expected: expected.split(", ").map(String::from).collect(),
            })
        })
        .collect()
}

#[test]
fn every_documented_example_evaluates_as_documented() {
    examples_evaluate_as_documented("docs/formula-language.md");
}

/// The Chinese reference holds the same examples, and they too evaluate as written.
#[test]
fn every_example_of_the_chinese_reference_evaluates_as_documented() {
    let english = examples(&read(&root().join("docs/formula-language.md")));
    let chinese = examples(&read(&root().join("docs/zh/formula-language.md")));
    let missing: Vec<&str> = english
        .iter()
        .filter(|e| !chinese.iter().any(|c| c.expression == e.expression))
        .map(|e| e.expression.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "docs/zh/formula-language.md lacks the examples {missing:?}"
    );
    examples_evaluate_as_documented("docs/zh/formula-language.md");
}

fn examples_evaluate_as_documented(page: &str) {
    let doc = read(&root().join(page));
    let examples = examples(&doc);
    assert!(examples.len() >= 40, "found only {} examples", examples.len());
    let mut formula = String::from(
        "[formula]\nname = \"docs\"\nkey = \"unit\"\n[inputs.x]\n[inputs.w]\n\
         [inputs.region]\ntype = \"text\"\n[inputs.flag]\ntype = \"bool\"\n\
         [params.stratum]\nbrackets = [[\"0\", \"1\"], [\"2\", \"2.5\"], [\"5\", \"4\"]]\n\
         [params.scale]\nbrackets = [[\"0\", \"0.1\"], [\"2\", \"0.2\"], [\"5\", \"0.5\"]]\n[vars]\n",
    );
    for (i, e) in examples.iter().enumerate() {
        formula.push_str(&format!("e{i} = \"{}\"\n", e.expression));
    }
    formula.push_str("[[allocation]]\nname = \"s\"\npool = \"1\"\nweight = \"1\"\n");
    let dir = out_dir();
    std::fs::write(dir.path().join("f.toml"), formula).unwrap();
    std::fs::write(
        dir.path().join("d.csv"),
        "unit,x,w,region,flag\nu1,1,1,a,true\nu2,2,1,a,false\nu3,6,2,b,true\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = equalize(&[
        "run",
        "-q",
        "-f",
        path_str(&dir.path().join("f.toml")),
        "-d",
        path_str(&dir.path().join("d.csv")),
        "--out",
        path_str(&out),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let audit = csv_rows(&out.join("audit.csv"));
    let mut failures = Vec::new();
    for (i, e) in examples.iter().enumerate() {
        let column = audit[0].iter().position(|h| *h == format!("e{i}")).unwrap();
        let got: Vec<&str> = audit[1..].iter().map(|r| r[column].as_str()).collect();
        let expected: Vec<&str> = if e.expected.len() == 1 {
            vec![e.expected[0].as_str(); 3]
        } else {
            e.expected.iter().map(String::as_str).collect()
        };
        if got != expected {
            failures.push(format!("{}: documented {:?}, got {:?}", e.expression, expected, got));
        }
    }
    assert!(
        failures.is_empty(),
        "examples that do not match:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_function_has_a_documented_section() {
    for page in ["docs/formula-language.md", "docs/zh/formula-language.md"] {
        let doc = read(&root().join(page));
        for name in equalize::formula::builtins::names() {
            assert!(doc.contains(&format!("`{name}(")), "{page} does not document {name}");
        }
    }
}

/// Placeholders the docs use for the reader's own files and places (`my-formula.toml`,
/// `/archive/2026`), and the cluster example that needs a scheduler: these lines show a
/// form, not a command to run here.
const PLACEHOLDERS: &[&str] = &[
    "my-formula.toml",
    "my-data.csv",
    "formula.toml -d data.csv",
    "f.toml",
    "book.xlsx",
    "/archive/",
    "/etc/",
    "/usr/",
    "${",
    "results/",
];

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The command lines of the docs' ```sh blocks, with `\` continuations joined.
fn documented_commands(text: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut in_block = false;
    let mut pending = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            in_block = !in_block && matches!(trimmed, "```sh" | "```bash");
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(start) = trimmed.strip_suffix('\\') {
            pending.push_str(start);
            pending.push(' ');
            continue;
        }
        pending.push_str(trimmed);
        let command = std::mem::take(&mut pending);
        if command.starts_with("equalize ") {
            commands.push(command);
        }
    }
    commands
}

/// Every `equalize ...` line of the README and docs/ runs clean, page by page in the order
/// written (a `verify out` follows the `run ... --out out` above it), each page in a
/// scratch folder with a copy of the repository's formulas, datasets, scenarios and test
/// fixtures.
#[test]
fn every_documented_command_runs_clean() {
    let template = out_dir();
    // Copies, not symbolic links: `verify` refuses inputs that lead out of its folder.
    for folder in ["formulas", "datasets", "scenarios", "examples", "tests/fixtures"] {
        copy_tree(&root().join(folder), &template.path().join(folder));
    }
    let binary = std::path::Path::new(env!("CARGO_BIN_EXE_equalize"));
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut docs = vec![root().join("README.md"), root().join("README.zh-CN.md")];
    let mut stack = vec![root().join("docs")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "md") {
                docs.push(p);
            }
        }
    }
    docs.sort();
    let mut ran = 0;
    let mut failures = Vec::new();
    for doc in &docs {
        // Each page starts afresh: its commands build on one another, not on another page's.
        let sandbox = out_dir();
        copy_tree(template.path(), sandbox.path());
        let text = read(doc);
        for command in documented_commands(&text) {
            if PLACEHOLDERS.iter().any(|p| command.contains(p)) {
                continue;
            }
            let output = std::process::Command::new("bash")
                .args(["-c", &command])
                .current_dir(sandbox.path())
                .env("PATH", &path)
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            ran += 1;
            if !output.status.success() {
                failures.push(format!(
                    "{}: `{command}` exited {:?}\n{}",
                    doc.strip_prefix(root()).unwrap().display(),
                    output.status.code(),
                    stderr(&output)
                ));
            }
        }
    }
    assert!(ran >= 40, "ran only {ran} documented commands");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
