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
    let doc = read(&root().join("docs/formula-language.md"));
    let examples = examples(&doc);
    assert!(examples.len() >= 40, "found only {} examples", examples.len());
    let mut formula = String::from(
        "[formula]\nname = \"docs\"\nkey = \"unit\"\n[inputs.x]\n[inputs.w]\n\
         [inputs.region]\ntype = \"text\"\n[inputs.flag]\ntype = \"bool\"\n[vars]\n",
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
    let doc = read(&root().join("docs/formula-language.md"));
    for name in equalize::formula::builtins::names() {
        assert!(
            doc.contains(&format!("`{name}(")),
            "docs/formula-language.md does not document {name}"
        );
    }
}
