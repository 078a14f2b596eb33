//! Auditors reproduce and explain: manifests, `verify`, determinism, `explain`, trace.

use std::path::Path;
use std::process::Command;

use rust_decimal::Decimal;

use crate::common::*;

fn equalize_in(cwd: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_equalize"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("runs")
}

/// A working folder with the hand example's formula and data, run with relative paths.
fn published_run() -> tempfile::TempDir {
    let work = out_dir();
    std::fs::copy(
        root().join("tests/fixtures/hand/formula.toml"),
        work.path().join("formula.toml"),
    )
    .unwrap();
    std::fs::copy(
        root().join("tests/fixtures/hand/data.csv"),
        work.path().join("data.csv"),
    )
    .unwrap();
    let output = equalize_in(
        work.path(),
        &["run", "-q", "-f", "formula.toml", "-d", "data.csv", "--out", "out"],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    work
}

#[test]
fn a_run_verifies_and_its_manifest_records_inputs_and_outputs() {
    let work = published_run();
    let output = equalize_in(work.path(), &["verify", "out"]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    assert!(stdout(&output).ends_with("verified: every part of the run is as recorded and every output is identical\n"));
    let manifest: serde_json::Value = serde_json::from_str(&read(&work.path().join("out/manifest.json"))).unwrap();
    assert_eq!(manifest["tool"]["name"], "equalize");
    assert_eq!(manifest["formula"]["file"], "formula.toml");
    assert_eq!(manifest["data"][0]["file"], "data.csv");
    // The manifest's hashes are those of the files (checked with an independent implementation).
    let data = std::fs::read(work.path().join("data.csv")).unwrap();
    assert_eq!(manifest["data"][0]["sha256"], sha256_reference(&data));
    let allocations = std::fs::read(work.path().join("out/allocations.csv")).unwrap();
    assert_eq!(manifest["outputs"]["allocations.csv"], sha256_reference(&allocations));
    assert_eq!(manifest["params"]["pool"], "100");
}

/// SHA-256 computed by the system's sha256sum, an implementation independent of ours.
fn sha256_reference(bytes: &[u8]) -> String {
    let dir = out_dir();
    let file = dir.path().join("f");
    std::fs::write(&file, bytes).unwrap();
    let output = Command::new("sha256sum")
        .arg(&file)
        .output()
        .expect("sha256sum is available");
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn a_changed_data_cell_fails_verification_naming_the_unit_and_the_file() {
    let work = published_run();
    let data = work.path().join("data.csv");
    std::fs::write(&data, read(&data).replace("D,Delta,80,10", "D,Delta,90,10")).unwrap();
    let output = equalize_in(work.path(), &["verify", "out"]);
    assert_eq!(code(&output), 5, "{}", stdout(&output));
    let report = stdout(&output);
    for expected in [
        "input  data.csv: CHANGED since the run",
        "data   content: CHANGED: 0 units added, 0 removed, 1 with changed inputs",
        "output allocations.csv: DIFFERS",
        "code D: grant 44 -> ",
        "input changed: unit D: need 80 -> 90 (in data.csv)",
        "NOT verified: 5 findings differ (marked !)",
    ] {
        assert!(report.contains(expected), "missing {expected:?} in:\n{report}");
    }
}

/// An input whose bytes differ from the record is not the input the run recorded, even
/// when its content is the same: verification fails (exit 5), and says the content and
/// every output are identical.
#[test]
fn shuffled_rows_are_a_different_file_with_the_same_content() {
    let work = published_run();
    let data = work.path().join("data.csv");
    std::fs::write(
        &data,
        "code,name,need,revenue\nD,Delta,80,10\nB,Beta,100,40\nA,Alpha,50,20\nC,Gamma,30,40\n",
    )
    .unwrap();
    let output = equalize_in(work.path(), &["verify", "out"]);
    assert_eq!(code(&output), 5, "{}", stdout(&output));
    let report = stdout(&output);
    assert!(report.contains("input  data.csv: CHANGED since the run"), "{report}");
    assert!(
        report.contains("data   content: identical (the files changed only in ways that do not matter"),
        "{report}"
    );
    assert!(report.contains("output allocations.csv: identical"), "{report}");
}

#[test]
fn reordered_columns_give_identical_outputs_from_a_different_file() {
    let work = published_run();
    std::fs::write(
        work.path().join("data.csv"),
        "revenue,need,name,code\n20,50,Alpha,A\n40,100,Beta,B\n40,30,Gamma,C\n10,80,Delta,D\n",
    )
    .unwrap();
    let output = equalize_in(work.path(), &["verify", "out"]);
    assert_eq!(code(&output), 5);
    assert!(
        stdout(&output).contains("output audit.csv: identical"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn moved_inputs_verify_with_inputs() {
    let work = published_run();
    let archive = out_dir();
    for f in ["formula.toml", "data.csv"] {
        std::fs::rename(work.path().join(f), archive.path().join(f)).unwrap();
    }
    let missing = equalize_in(work.path(), &["verify", "out"]);
    assert_ne!(code(&missing), 0);
    let output = equalize_in(work.path(), &["verify", "out", "--inputs", path_str(archive.path())]);
    assert_eq!(code(&output), 0, "{}{}", stdout(&output), stderr(&output));
}

#[test]
fn an_edited_output_is_caught() {
    let work = published_run();
    let allocations = work.path().join("out/allocations.csv");
    std::fs::write(
        &allocations,
        read(&allocations).replace("A,Alpha,19,19", "A,Alpha,20,19"),
    )
    .unwrap();
    let output = equalize_in(work.path(), &["verify", "out"]);
    assert_eq!(code(&output), 5);
    assert!(
        stdout(&output).contains("output allocations.csv: edited after the run"),
        "{}",
        stdout(&output)
    );
    assert!(
        stdout(&output).contains("code A: grant 20 -> 19"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_folder_without_manifest_is_a_usage_error() {
    let dir = out_dir();
    let output = equalize(&["verify", path_str(dir.path())]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("has no manifest.json: it was not written by `equalize run`"));
}

#[test]
fn one_and_two_threads_give_identical_outputs_including_the_trace() {
    let dir = out_dir();
    for jobs in ["1", "2"] {
        let out = dir.path().join(jobs);
        let output = equalize(&[
            "run",
            "-q",
            "--trace",
            "--jobs",
            jobs,
            "--formula",
            "cn",
            "--data",
            "datasets/cn-national",
            "--out",
            path_str(&out),
        ]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
    }
    for file in ["allocations.csv", "audit.csv", "summary.json", "trace.jsonl"] {
        assert!(
            read(&dir.path().join("1").join(file)) == read(&dir.path().join("2").join(file)),
            "{file} differs"
        );
    }
}

/// explain's numbers are audit.csv's numbers.
#[test]
fn explain_matches_the_audit_file_exactly() {
    let dir = out_dir();
    let output = equalize(&["run", "-q", "--out", path_str(dir.path())]);
    assert_eq!(code(&output), 0);
    let audit = csv_rows(&dir.path().join("audit.csv"));
    let row = audit.iter().find(|r| r[0] == "990121").unwrap();
    let column = |name: &str| row[audit[0].iter().position(|h| h == name).unwrap()].clone();
    let explained = equalize(&["explain", "990121", "--format", "json"]);
    assert_eq!(code(&explained), 0, "{}", stderr(&explained));
    let tree: serde_json::Value = serde_json::from_str(&stdout(&explained)).unwrap();
    let mut seen = 0;
    fn walk(node: &serde_json::Value, visit: &mut dyn FnMut(&serde_json::Value)) {
        visit(node);
        for child in node["children"].as_array().into_iter().flatten() {
            walk(child, visit);
        }
    }
    walk(&tree, &mut |node| {
        let name = node["name"].as_str().unwrap();
        if matches!(node["kind"].as_str(), Some("var" | "input")) {
            assert_eq!(node["value"], column(name), "{name}");
            seen += 1;
        }
    });
    assert!(seen > 20, "the tree reaches the inputs ({seen} values)");
    let stage = &tree["children"][0];
    let child = |name: &str| {
        stage["children"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()["value"]
            .clone()
    };
    assert_eq!(child("exact"), column("equalization.exact"));
    assert_eq!(child("rounded"), column("equalization"));
    assert_eq!(tree["value"], column("total"));
}

#[test]
fn explain_one_unit_of_each_shipped_formula() {
    for (name, key, args) in [
        ("demo", "990121", vec![]),
        (
            "cn",
            "640122",
            vec!["--formula", "cn", "--data", "datasets/cn-national"],
        ),
        ("jp", "01013", vec!["--formula", "jp"]),
        ("ca", "QC", vec!["--formula", "ca"]),
        ("au", "WA", vec!["--formula", "au"]),
        ("in", "BR", vec!["--formula", "in"]),
    ] {
        let mut all = vec!["explain", key];
        all.extend(args);
        let output = equalize(&all);
        assert_eq!(code(&output), 0, "{name}: {}", stderr(&output));
        insta::assert_snapshot!(format!("explain_{name}"), stdout(&output));
    }
    let var = equalize(&["explain", "990121", "--var", "cost_coefficient"]);
    assert_eq!(
        stdout(&var),
        "cost_coefficient = cost.population + cost.area * area_factor = 0.925\n  cost.population = 0.85\n  cost.area = 0.15\n  area_factor = clamp((area_km2 / population) / mean(area_km2 / population), 0.5, 3) = 0.5\n    area_km2 = 1238   (input, from datasets/demo/population.csv:2, column 'area_km2')\n    population = 288600   (input, from datasets/demo/population.csv:2, column 'population')\n    mean(area_km2 / population) = 0.0141985313309554521020851387   (aggregate over all units)\n      population = 288600   (this unit's value; input, from datasets/demo/population.csv:2, column 'population')\n      area_km2 = 1238   (this unit's value; input, from datasets/demo/population.csv:2, column 'area_km2')\n"
    );
    let unknown = equalize(&["explain", "990199"]);
    assert_eq!(code(&unknown), 2);
    assert!(
        stderr(&unknown).contains("no unit with key or label '990199'"),
        "{}",
        stderr(&unknown)
    );
    // A unit named by its label (the county's name) is the unit with that key.
    let by_label = equalize(&["explain", "红山县", "--var", "cost_coefficient"]);
    assert_eq!(code(&by_label), 0, "{}", stderr(&by_label));
    assert_eq!(stdout(&by_label), stdout(&var));
}

/// `explain --format markdown` as a memo a reader can re-derive by hand, for a county held at
/// its floor, one at its cap and one in between (pinned; independent facts asserted too):
/// the labels, last year and the change, the bound that binds, and where the unit stood in
/// the largest-remainder step.
#[test]
fn explain_memos_for_a_floor_a_cap_and_a_free_unit() {
    let args = [
        "-f",
        "formulas/cn-gansu.toml",
        "-d",
        "datasets/cn-gansu",
        "--format",
        "markdown",
    ];
    for (key, name, position) in [
        ("620122", "皋兰县", "held at its floor"),
        ("620102", "城关区", "held at its cap"),
        ("620321", "永昌县", "between floor and cap"),
    ] {
        let mut all = vec!["explain", key];
        all.extend(args);
        let output = equalize(&all);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        let memo = stdout(&output);
        assert!(memo.starts_with(&format!("# {key} ({name}): ")), "{memo}");
        assert!(memo.contains(&format!("({position}")), "{memo}");
        assert!(memo.contains("**均衡性转移支付** (`equalization`)"), "{memo}");
        assert!(memo.contains("上年均衡性转移支付: "), "{memo}");
        // The rounding line agrees with the rounded and exact values shown above it.
        let rounding = memo.lines().find(|l| l.contains("**rounding**")).unwrap();
        let received = rounding.contains("this unit received one");
        let remainder_line = memo.lines().find(|l| l.contains("**remainder**")).unwrap();
        let remainder_is_positive = !remainder_line.contains("= 0 ") && !remainder_line.contains("= -");
        assert_eq!(received, remainder_is_positive, "{rounding}\n{remainder_line}");
        insta::assert_snapshot!(format!("explain_memo_{key}"), memo);
    }
}

/// explain cites the cell every input value was read from, and the cell holds it: a CSV
/// file's line under the column's header, a sheet's A1 address. Checked against the files
/// themselves, read here independently (the CSV by line, the workbook with calamine).
#[test]
fn explain_cites_the_cell_each_input_was_read_from() {
    use calamine::Reader;
    let cited = |text: &str| -> Vec<(String, String, String)> {
        // (value, file, place) from "name = value   (input, from FILE:LINE, column 'H')"
        text.lines()
            .filter_map(|line| {
                let (left, note) = line.split_once("(input, from ")?;
                let value = left.trim().rsplit(" = ").next()?.to_string();
                let note = note.trim_end_matches(')');
                let (file, place) = match note.split_once(": ") {
                    Some((file, place)) => (file.to_string(), place.to_string()),
                    None => {
                        let (file, place) = note.split_once(':')?;
                        (file.to_string(), place.to_string())
                    }
                };
                Some((value, file, place))
            })
            .collect()
    };
    // CSV: the national data, unit 640122.
    let output = equalize(&["explain", "640122", "--formula", "cn", "--data", "datasets/cn-national"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let csv = cited(&stdout(&output));
    assert!(csv.len() >= 10, "{csv:?}");
    for (value, file, place) in &csv {
        let (line, header) = place.split_once(", column ").unwrap();
        let header = header.trim_matches('\'');
        let text = read(&root().join(file));
        let lines: Vec<&str> = text.lines().collect();
        let column = lines[0].split(',').position(|h| h == header).unwrap();
        let row: Vec<&str> = lines[line.parse::<usize>().unwrap() - 1].split(',').collect();
        assert_eq!(row[0], "640122", "{file}:{line} is the unit's row");
        match (row[column].parse::<Decimal>(), value.parse::<Decimal>()) {
            (Ok(found), Ok(shown)) => assert_eq!(found, shown, "{file}:{line} column {header}"),
            // A bool input reads 1/0 as true/false.
            _ if value == "true" || value == "false" => {
                assert_eq!(row[column] == "1", value == "true", "{file}:{line} column {header}")
            }
            _ => assert_eq!(row[column], value, "{file}:{line} column {header}"),
        }
    }
    // A workbook: Gansu's census inputs come from the census workbook's sheet.
    let output = equalize(&[
        "explain",
        "620102",
        "-f",
        "formulas/cn-gansu.toml",
        "-d",
        "datasets/cn-gansu",
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let sheet_cells: Vec<_> = cited(&stdout(&output))
        .into_iter()
        .filter(|(_, file, _)| file.ends_with(".xlsx"))
        .collect();
    assert_eq!(sheet_cells.len(), 3, "population, age65_share, minority_share");
    let mut book = calamine::open_workbook_auto(root().join(&sheet_cells[0].1)).unwrap();
    for (value, _, place) in &sheet_cells {
        let (sheet, cell) = place.split_once('!').unwrap();
        let range = book.worksheet_range(sheet).unwrap();
        let letters: String = cell.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let row: u32 = cell[letters.len()..].parse().unwrap();
        let column = letters.bytes().fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1)) - 1;
        let found = range.get_value((row - 1, column)).unwrap().to_string();
        assert_eq!(
            found.parse::<Decimal>().unwrap(),
            value.replace(',', "").parse::<Decimal>().unwrap(),
            "{place}"
        );
    }
}

/// A standard score shows the mean and standard deviation it is scored against, and they
/// give it back: (value − mean) / sd.
#[test]
fn a_standard_score_shows_its_mean_and_deviation() {
    let output = equalize(&["explain", "640122", "--formula", "cn", "--data", "datasets/cn-national"]);
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim_start().starts_with("zscore(mandatory_ratio, eligible) = "))
        .unwrap();
    let number_after = |line: &str, marker: &str| -> Decimal {
        let rest = &line[line.find(marker).unwrap() + marker.len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .unwrap_or(rest.len());
        rest[..end].parse().unwrap()
    };
    let score = number_after(lines[at], " = ");
    let mean = number_after(lines[at], "with mean ");
    let sd = number_after(lines[at], "standard deviation ");
    assert!(lines[at].contains("over 2367 units"), "{}", lines[at]);
    let ratio_line = lines[at + 1];
    let ratio = number_after(ratio_line, ", 0) = ");
    let recomputed = (ratio - mean) / sd;
    assert!(
        (recomputed - score).abs() < Decimal::new(1, 20),
        "{recomputed} vs {score}"
    );
}

/// `explain --var X --format markdown` is a memo about X: headed by its name, not by its
/// value in the money unit (a share is not 万元), with its own line, expression and cited
/// cell, and without last year's change (which is about the total).
#[test]
fn a_memo_of_one_var_is_about_that_var() {
    let memo = |var: &str| {
        let output = equalize(&[
            "explain",
            "622926",
            "--var",
            var,
            "-f",
            "formulas/cn-gansu.toml",
            "-d",
            "datasets/cn-gansu",
            "--format",
            "markdown",
        ]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        stdout(&output)
    };
    let share = memo("age65_share");
    assert!(
        share.starts_with("# 622926 (东乡族自治县): **age65_share**\n"),
        "{share}"
    );
    assert!(
        share.contains("- **age65_share** = 8.21 (input, from datasets/cn-gansu/../cn-census-2020/census_county_2020_v1.xlsx: 七普（年鉴）!BI3145)"),
        "{share}"
    );
    let last = memo("last_transfer");
    assert!(last.contains("fiscal.csv:82, column '均衡性转移支付/上年'"), "{last}");
    assert!(!last.contains("change"), "{last}");
}
