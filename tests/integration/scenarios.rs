//! Analysts' what-ifs: scenario files, compare, reports.

use calamine::{Data, Reader};
use rust_decimal::Decimal;

use crate::common::*;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A scenario over the hand example (tests/fixtures/hand): the pool grows to 150.
fn hand_scenario(dir: &std::path::Path, body: &str) -> std::path::PathBuf {
    let formula = root().join("tests/fixtures/hand/formula.toml");
    let data = root().join("tests/fixtures/hand/data.csv");
    write(
        dir,
        "what-if.toml",
        &format!(
            "[scenario]\nname = \"What if\"\nformula = \"{}\"\ndata = \"{}\"\n{body}",
            formula.display(),
            data.display()
        ),
    )
}

#[test]
fn a_scenario_overrides_params_and_needs_nothing_else() {
    let dir = out_dir();
    let scenario = hand_scenario(dir.path(), "[params]\npool = \"150\"\n");
    let out = dir.path().join("out");
    let output = equalize(&["run", "--scenario", path_str(&scenario), "--out", path_str(&out)]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("scenario: What if ("),
        "{}",
        stdout(&output)
    );
    // The same as --set pool=150 (tests/integration/run.rs, computed by hand).
    assert_eq!(
        read(&out.join("allocations.csv")),
        "code,name,grant,total\nA,Alpha,28,28\nB,Beta,56,56\nC,Gamma,0,0\nD,Delta,66,66\n"
    );
    let manifest: serde_json::Value = serde_json::from_str(&read(&out.join("manifest.json"))).unwrap();
    assert_eq!(manifest["scenario"]["file"], path_str(&scenario));
    // The scenario lies outside the folder verify runs from: only the auditor may allow that.
    let refused = equalize(&["verify", path_str(&out)]);
    assert_eq!(code(&refused), 5);
    assert!(
        stdout(&refused).contains("outside the inputs folder"),
        "{}",
        stdout(&refused)
    );
    assert_eq!(code(&equalize(&["verify", path_str(&out), "--allow-outside"])), 0);
}

/// Input columns and whole stages: with need x 2 the gaps are A 100 - 20 = 80, B 200 - 40
/// = 160, C 60 - 40 = 20, D 160 - 10 = 150 (total 410); the stage is replaced by one with
/// round 10, no cap and pool 410, so the amounts equal the gaps exactly.
#[test]
fn a_scenario_overrides_input_columns_and_whole_stages() {
    let dir = out_dir();
    let scenario = hand_scenario(
        dir.path(),
        "[inputs]\nneed = \"need * 2\"\n[[allocation]]\nname = \"grant\"\npool = \"410\"\nweight = \"gap\"\nround = \"10\"\n",
    );
    let out = dir.path().join("out");
    let output = equalize(&["run", "-q", "--scenario", path_str(&scenario), "--out", path_str(&out)]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let audit = csv_rows(&out.join("audit.csv"));
    assert_eq!(
        decimal_column(&audit, "need"),
        vec![d("100"), d("200"), d("60"), d("160")]
    );
    assert_eq!(
        decimal_column(&audit, "gap"),
        vec![d("80"), d("160"), d("20"), d("150")]
    );
    assert_eq!(
        read(&out.join("allocations.csv")),
        "code,name,grant,total\nA,Alpha,80,80\nB,Beta,160,160\nC,Gamma,20,20\nD,Delta,150,150\n"
    );
}

#[test]
fn scenario_mistakes_point_into_the_scenario_file() {
    let dir = out_dir();
    let scenario = hand_scenario(dir.path(), "[params]\npol = \"150\"\n[inputs]\nneeds = \"need * 2\"\n");
    let output = equalize(&["check", "--scenario", path_str(&scenario)]);
    assert_eq!(code(&output), 2);
    let err = stderr(&output);
    assert!(
        err.contains("what-if.toml:6:1: error: the formula has no param 'pol' (did you mean 'pool'?)"),
        "{err}"
    );
    assert!(
        err.contains("what-if.toml:8:1: error: the formula has no input 'needs' (did you mean 'need'?)"),
        "{err}"
    );
}

#[test]
fn several_scenarios_give_one_folder_each() {
    let dir = out_dir();
    let out = dir.path().join("out");
    let output = equalize(&[
        "run",
        "-q",
        "--scenario",
        "scenarios/in-16th-commission.toml",
        "--scenario",
        "scenarios/cn-growth-cap-8.toml",
        "--out",
        path_str(&out),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(out.join("in-16th-commission/allocations.csv").exists());
    assert!(out.join("cn-growth-cap-8/allocations.csv").exists());
    let summary: serde_json::Value = serde_json::from_str(&read(&out.join("cn-growth-cap-8/summary.json"))).unwrap();
    assert_eq!(summary["params"]["growth.max"], "0.08");
}

/// compare reconciles: the sum of the per-unit differences is the difference of the totals,
/// which for a pool change alone is the change of the pool (2,975,700,000,000 −
/// 2,834,000,000,000 yuan = 14,170,000 万元).
#[test]
fn compare_reconciles_and_lists_winners_and_losers() {
    let dir = out_dir();
    let csv_out = dir.path().join("diff.csv");
    let output = equalize(&[
        "compare",
        "scenarios/cn-baseline.toml",
        "scenarios/cn-pool-plus-5.toml",
        "--out",
        path_str(&csv_out),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("(+14170000); sum of differences 14170000 reconciles"),
        "{text}"
    );
    let rows = csv_rows(&csv_out);
    let differences = decimal_column(&rows, "difference");
    assert_eq!(differences.iter().sum::<Decimal>(), d("14170000"));
    // Sorted by absolute change, largest first.
    assert!(differences.windows(2).all(|w| w[0].abs() >= w[1].abs()));
    let (a, b) = (decimal_column(&rows, "a"), decimal_column(&rows, "b"));
    for i in 0..rows.len() - 1 {
        assert_eq!(b[i] - a[i], differences[i]);
    }
}

#[test]
fn compare_of_two_folders_is_pinned() {
    let dir = out_dir();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    assert_eq!(code(&equalize(&["run", "-q", "--out", path_str(&a)])), 0);
    assert_eq!(
        code(&equalize(&[
            "run",
            "-q",
            "--set",
            "pool=52500000000",
            "--out",
            path_str(&b)
        ])),
        0
    );
    let output = equalize(&["compare", path_str(&a), path_str(&b), "--rows", "5"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = stdout(&output)
        .replace(path_str(&a), "A_DIR")
        .replace(path_str(&b), "B_DIR");
    assert!(text.contains("sum of differences 2500000000 reconciles"), "{text}");
    insta::assert_snapshot!("compare_demo", text);
}

/// The workbook read back cell by cell with calamine matches allocations.csv.
#[test]
fn the_excel_report_reads_back_cell_by_cell() {
    let dir = out_dir();
    let output = equalize(&["run", "-q", "--report", "xlsx", "--out", path_str(dir.path())]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let mut book = calamine::open_workbook_auto(dir.path().join("report.xlsx")).expect("the workbook opens");
    assert_eq!(book.sheet_names(), ["Table", "Summary", "Allocations", "Audit"]);
    let sheet = book.worksheet_range("Allocations").unwrap();
    let rows = csv_rows(&dir.path().join("allocations.csv"));
    assert_eq!(sheet.height(), rows.len());
    for (r, row) in rows.iter().enumerate() {
        for (c, expected) in row.iter().enumerate() {
            let cell = sheet.get((r, c)).unwrap();
            let got = match cell {
                Data::String(s) => s.clone(),
                Data::Float(f) => format!("{f}"),
                Data::Int(i) => i.to_string(),
                other => panic!("unexpected cell {other:?}"),
            };
            assert_eq!(&got, expected, "Allocations row {r} column {c}");
        }
    }
    assert_eq!(
        sheet.get((1, 1)),
        Some(&Data::String("红山县".into())),
        "Chinese text intact"
    );
    let audit = book.worksheet_range("Audit").unwrap();
    let audit_rows = csv_rows(&dir.path().join("audit.csv"));
    // Numbers where a float holds the exact value; exact text where it cannot (28 digits).
    let mut texts_of_long_numbers = 0;
    for (r, row) in audit_rows.iter().enumerate() {
        for (c, expected) in row.iter().enumerate() {
            match audit.get((r, c)) {
                Some(Data::Float(f)) => {
                    assert_eq!(
                        format!("{f}").parse::<Decimal>().unwrap(),
                        expected.parse::<Decimal>().unwrap(),
                        "Audit {r},{c}"
                    )
                }
                Some(Data::String(t)) => {
                    assert_eq!(t, expected, "Audit {r},{c}");
                    if r > 0 && expected.parse::<Decimal>().is_ok() {
                        texts_of_long_numbers += 1;
                    }
                }
                Some(Data::Empty) | None => assert_eq!(expected, "", "Audit {r},{c}"),
                other => panic!("Audit {r},{c}: {other:?}"),
            }
        }
    }
    assert!(texts_of_long_numbers > 0, "exact values a float cannot hold stay text");
    let summary = book.worksheet_range("Summary").unwrap();
    assert_eq!(
        summary.get((0, 1)),
        Some(&Data::String("Demo equalization (synthetic)".into()))
    );
    // The published table: title, headings, a row per unit, and a total row equal to the pool.
    let table = book.worksheet_range("Table").unwrap();
    assert_eq!(
        table.get((0, 0)),
        Some(&Data::String("Demo equalization (synthetic)".into()))
    );
    assert_eq!(table.get((2, 2)), Some(&Data::String("equalization".into())));
    assert_eq!(table.height(), 3 + 100 + 1);
    assert_eq!(table.get((103, 0)), Some(&Data::String("total".into())));
    assert_eq!(table.get((103, 2)), Some(&Data::Float(50_000_000_000.0)));
}

/// The provincial example as a director receives it: a scenario run's table grouped by
/// prefecture with Chinese headings, each 小计 the sum of its counties (from allocations.csv
/// and audit.csv, exactly), the 合计 the pool, last year, change and growth beside it, and the
/// scenario named in the title of the xlsx and the HTML.
#[test]
fn the_published_table_has_subtotals_a_total_and_last_year() {
    use rust_decimal::Decimal;
    use std::collections::BTreeMap;
    let dir = out_dir();
    let output = equalize(&[
        "run",
        "-q",
        "--scenario",
        "scenarios/gansu-ethnic-areas.toml",
        "--report",
        "xlsx",
        "--report",
        "html",
        "--out",
        path_str(dir.path()),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let mut book = calamine::open_workbook_auto(dir.path().join("report.xlsx")).unwrap();
    // A formula in Chinese (`[report] language = "zh"`) writes its whole workbook in Chinese.
    let table = book.worksheet_range("分配表").unwrap();
    assert_eq!(
        table.get((0, 0)),
        Some(&Data::String(
            "甘肃省对县均衡性转移支付分配表 (Gansu: minority uplift doubled)".into()
        ))
    );
    let headings: Vec<String> = (0..8).map(|c| table.get((2, c)).unwrap().to_string()).collect();
    assert_eq!(
        headings,
        [
            "市州",
            "区划代码",
            "县(市、区)",
            "均衡性转移支付",
            "上年均衡性转移支付",
            "增减额",
            "增幅(%)",
            "保底/封顶"
        ]
    );
    // Exact sums per prefecture from the CSV outputs.
    let audit = csv_rows(&dir.path().join("audit.csv"));
    let column = |name: &str| audit[0].iter().position(|h| h == name).unwrap();
    let (prefecture, amount, last) = (column("prefecture"), column("equalization"), column("last_transfer"));
    let mut sums: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
    for row in &audit[1..] {
        let entry = sums.entry(row[prefecture].clone()).or_default();
        entry.0 += row[amount].parse::<Decimal>().unwrap();
        entry.1 += row[last].parse::<Decimal>().unwrap();
    }
    let number = |r: usize, c: usize| match table.get((r, c)) {
        Some(Data::Float(f)) => Decimal::try_from(*f).unwrap(),
        Some(Data::Int(i)) => Decimal::from(*i),
        other => panic!("row {r} column {c}: {other:?}"),
    };
    let mut subtotals = 0;
    for r in 3..table.height() {
        let first = table.get((r, 0)).unwrap().to_string();
        if let Some(name) = first.strip_suffix(" 小计") {
            subtotals += 1;
            let (amount, last) = sums[name];
            assert_eq!(number(r, 3), amount, "{first}");
            assert_eq!(number(r, 4), last, "{first}");
            assert_eq!(number(r, 5), amount - last, "{first}");
        }
    }
    assert_eq!(subtotals, sums.len(), "a 小计 per prefecture");
    let last_row = table.height() - 1;
    assert_eq!(table.get((last_row, 0)), Some(&Data::String("合计".into())));
    assert_eq!(number(last_row, 3), Decimal::from(1_950_000), "合计 is the pool");
    let html = read(&dir.path().join("report.html"));
    for part in [
        "<title>Gansu county equalization",
        "(Gansu: minority uplift doubled)</title>",
        "小计",
        "合计",
        "增减额",
        "1,950,000",
    ] {
        assert!(html.contains(part), "report.html lacks {part}");
    }
    let summary = read(&dir.path().join("summary.json"));
    assert!(
        summary.contains("\"name\": \"Gansu: minority uplift doubled\""),
        "{summary}"
    );
    let manifest = read(&dir.path().join("manifest.json"));
    assert!(
        manifest.contains("\"scenario_name\": \"Gansu: minority uplift doubled\""),
        "{manifest}"
    );
    // The workbook's own metadata names formula and scenario.
    let file = std::fs::File::open(dir.path().join("report.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut core = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("docProps/core.xml").unwrap(), &mut core).unwrap();
    assert!(core.contains("(Gansu: minority uplift doubled)</dc:title>"), "{core}");
}

#[test]
fn reports_are_deterministic_and_verified() {
    let dir = out_dir();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for out in [&a, &b] {
        let output = equalize(&[
            "run",
            "-q",
            "--report",
            "xlsx",
            "--report",
            "html",
            "--out",
            path_str(out),
        ]);
        assert_eq!(code(&output), 0);
    }
    assert!(std::fs::read(a.join("report.xlsx")).unwrap() == std::fs::read(b.join("report.xlsx")).unwrap());
    assert_eq!(read(&a.join("report.html")), read(&b.join("report.html")));
    let html = read(&a.join("report.html"));
    for part in [
        "<table class=\"sortable\">",
        "aria-label=\"Lorenz curves\"",
        "@media print",
        "name=\"viewport\"",
        "红山县",
    ] {
        assert!(html.contains(part), "report.html lacks {part}");
    }
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "self-contained: no network"
    );
    assert_eq!(code(&equalize(&["verify", path_str(&a)])), 0);
}

#[test]
fn compare_writes_json_xlsx_and_html() {
    let dir = out_dir();
    for ext in ["json", "xlsx", "html"] {
        let out = dir.path().join(format!("diff.{ext}"));
        let output = equalize(&[
            "compare",
            "-q",
            "scenarios/in-16th-commission.toml",
            "scenarios/in-16th-commission.toml",
            "--out",
            path_str(&out),
        ]);
        assert_eq!(code(&output), 0, "{ext}: {}", stderr(&output));
        assert!(out.exists());
    }
    let json: serde_json::Value = serde_json::from_str(&read(&dir.path().join("diff.json"))).unwrap();
    assert_eq!(json["unchanged"], 28);
    assert_eq!(json["total_difference"], "0");
    let mut book = calamine::open_workbook_auto(dir.path().join("diff.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["Table", "Summary", "Differences"]);
    assert_eq!(book.worksheet_range("Differences").unwrap().height(), 29);
}

/// `compare BASE S1 S2`: one table, each scenario differenced against the base exactly; the
/// workbook has a Scenarios sheet and a Units sheet, and each scenario's differences add up
/// to its change in total.
#[test]
fn compare_of_a_base_and_two_scenarios_gives_one_table() {
    let dir = out_dir();
    let base = dir.path().join("base");
    let run = equalize(&[
        "run",
        "-q",
        "-f",
        "formulas/cn-gansu.toml",
        "-d",
        "datasets/cn-gansu",
        "--out",
        path_str(&base),
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let csv_out = dir.path().join("all.csv");
    let output = equalize(&[
        "compare",
        path_str(&base),
        "scenarios/gansu-ethnic-areas.toml",
        "scenarios/gansu-wider-band.toml",
        "--out",
        path_str(&csv_out),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("S1: Gansu: minority uplift doubled"), "{text}");
    assert!(text.ends_with(&format!("wrote {}\n", csv_out.display())), "{text}");
    assert!(text.contains("total 1950000 -> 2050000 (+100000)"), "{text}");
    let rows = csv_rows(&csv_out);
    assert_eq!(
        rows[0],
        ["key", "label", "base", "s1", "s1_difference", "s2", "s2_difference"]
    );
    assert_eq!(rows.len(), 1 + 87);
    let column = |name: &str| decimal_column(&rows, name);
    let (b, s1, d1, s2, d2) = (
        column("base"),
        column("s1"),
        column("s1_difference"),
        column("s2"),
        column("s2_difference"),
    );
    for i in 0..b.len() {
        assert_eq!(s1[i] - b[i], d1[i]);
        assert_eq!(s2[i] - b[i], d2[i]);
    }
    assert_eq!(d1.iter().sum::<Decimal>(), Decimal::ZERO);
    assert_eq!(d2.iter().sum::<Decimal>(), Decimal::from(100_000));
    let xlsx = dir.path().join("all.xlsx");
    let output = equalize(&[
        "compare",
        "-q",
        path_str(&base),
        "scenarios/gansu-ethnic-areas.toml",
        "scenarios/gansu-wider-band.toml",
        "--out",
        path_str(&xlsx),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(stdout(&output).is_empty(), "-q prints nothing");
    let mut book = calamine::open_workbook_auto(&xlsx).unwrap();
    assert_eq!(book.sheet_names(), ["Table", "Scenarios", "Units"]);
    let sheet = book.worksheet_range("Scenarios").unwrap();
    assert_eq!(sheet.get((5, 2)), Some(&Data::Float(2_050_000.0)));
    assert_eq!(sheet.get((5, 3)), Some(&Data::Float(100_000.0)));
    assert_eq!(book.worksheet_range("Units").unwrap().height(), 1 + 87);
    // The table a director receives: grouped as the base formula publishes (市州), Chinese
    // headings, the scenario names, a 小计 per prefecture and a 合计 per column.
    let table = book.worksheet_range("Table").unwrap();
    assert_eq!(
        table.get((0, 0)),
        Some(&Data::String("甘肃省对县均衡性转移支付分配表 (方案比较)".into()))
    );
    assert!(table
        .get((1, 0))
        .unwrap()
        .to_string()
        .contains("S1: Gansu: minority uplift doubled"));
    let headings: Vec<String> = (0..11).map(|c| table.get((2, c)).unwrap().to_string()).collect();
    assert_eq!(
        headings,
        [
            "市州",
            "区划代码",
            "县(市、区)",
            "上年均衡性转移支付",
            "基准",
            "S1",
            "S1 增减额",
            "S1 增幅(%)",
            "S2",
            "S2 增减额",
            "S2 增幅(%)"
        ]
    );
    let subtotals = (3..table.height())
        .filter(|&r| table.get((r, 0)).unwrap().to_string().ends_with(" 小计"))
        .count();
    assert_eq!(
        subtotals, 13,
        "one per prefecture of Gansu with counties (嘉峪关 has none)"
    );
    let last = table.height() - 1;
    assert_eq!(table.get((last, 0)), Some(&Data::String("合计".into())));
    let totals: Vec<&Data> = (3..11).map(|c| table.get((last, c)).unwrap()).collect();
    // Last year 1,844,935 (the fiscal table's 合计), the base, S1 unchanged in total, S2
    // +100,000 = 5.1282% of the base (to the four places written).
    assert_eq!(
        totals,
        [
            &Data::Float(1_844_935.0),
            &Data::Float(1_950_000.0),
            &Data::Float(1_950_000.0),
            &Data::Float(0.0),
            &Data::Float(0.0),
            &Data::Float(2_050_000.0),
            &Data::Float(100_000.0),
            &Data::Float(5.1282)
        ]
    );
    // `--report xlsx` writes the same workbook as comparison.xlsx in the current folder.
    let reported = std::process::Command::new(env!("CARGO_BIN_EXE_equalize"))
        .args([
            "compare",
            "-q",
            path_str(&base),
            path_str(&root().join("scenarios/gansu-ethnic-areas.toml")),
            path_str(&root().join("scenarios/gansu-wider-band.toml")),
            "--report",
            "xlsx",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(code(&reported), 0, "{}", stderr(&reported));
    // (The scenario names under the title carry the files' paths, written otherwise here.)
    let table_rows = |path: &std::path::Path| -> Vec<Vec<String>> {
        let mut book = calamine::open_workbook_auto(path).unwrap();
        let range = book.worksheet_range("Table").unwrap();
        range
            .rows()
            .skip(2)
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    };
    let reported_rows = table_rows(&dir.path().join("comparison.xlsx"));
    assert!(reported_rows.len() > 87);
    assert!(reported_rows == table_rows(&xlsx), "the same table as --out all.xlsx");
    // The page shows, per scenario, how its changes from the base are distributed.
    let html_out = dir.path().join("all.html");
    let output = equalize(&[
        "compare",
        "-q",
        path_str(&base),
        "scenarios/gansu-ethnic-areas.toml",
        "scenarios/gansu-wider-band.toml",
        "--out",
        path_str(&html_out),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let html = read(&html_out);
    assert_eq!(
        html.matches("aria-label=\"distribution of percent changes\"").count(),
        2
    );
    assert!(
        html.contains("<h3>S2: Gansu: pool 205亿"),
        "the chart is headed by its scenario"
    );
    // A run of other data (the national formula) is not a scenario of this one: refused.
    let national = dir.path().join("national");
    assert_eq!(
        code(&equalize(&[
            "run",
            "-q",
            "-f",
            "cn",
            "-d",
            "datasets/cn-national",
            "--out",
            path_str(&national)
        ])),
        0
    );
    let mixed = equalize(&[
        "compare",
        path_str(&base),
        "scenarios/gansu-ethnic-areas.toml",
        path_str(&national),
    ]);
    assert_eq!(code(&mixed), 2);
    assert!(
        stderr(&mixed).contains("share 87 of their units (87 and 2943)"),
        "{}",
        stderr(&mixed)
    );
}

/// `compare A B --by-stage`: where a scenario's money went, stage by stage. Doubling the ethnic
/// top-up moves only that stage (+11,000,000 in all, the change of the total) and every unit's
/// stage differences add up to its total difference over the stages in the total.
#[test]
fn compare_by_stage_shows_where_the_money_went() {
    let dir = out_dir();
    let out = dir.path().join("stages.csv");
    let output = equalize(&[
        "compare",
        "scenarios/cn-baseline.toml",
        "scenarios/cn-ethnic-double.toml",
        "--by-stage",
        "--out",
        path_str(&out),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(
        stdout(&output).contains("ethnic_areas             11000000 -> 22000000 (+11000000)"),
        "{}",
        stdout(&output)
    );
    let rows = csv_rows(&out);
    let sum = |name: &str| decimal_column(&rows, name).iter().sum::<Decimal>();
    assert_eq!(sum("ethnic_areas_difference"), Decimal::from(11_000_000));
    for stage in [
        "provincial",
        "old_revolutionary_areas",
        "border_areas",
        "formerly_poor_areas",
        "ecological_areas",
        "basic_guarantee",
    ] {
        assert_eq!(sum(&format!("{stage}_difference")), Decimal::ZERO, "{stage}");
    }
    assert_eq!(sum("total_difference"), Decimal::from(11_000_000));
    // Per unit: the stages in the total (all but the central stage, which the provincial one
    // redistributes) add up to the total's difference.
    let in_total = [
        "provincial",
        "old_revolutionary_areas",
        "ethnic_areas",
        "border_areas",
        "formerly_poor_areas",
        "ecological_areas",
        "basic_guarantee",
    ];
    let columns: Vec<Vec<Decimal>> = in_total
        .iter()
        .map(|s| decimal_column(&rows, &format!("{s}_difference")))
        .collect();
    let totals = decimal_column(&rows, "total_difference");
    for (i, total) in totals.iter().enumerate() {
        assert_eq!(columns.iter().map(|c| c[i]).sum::<Decimal>(), *total, "row {i}");
    }
    let refused = equalize(&[
        "compare",
        "scenarios/cn-baseline.toml",
        "scenarios/cn-ethnic-double.toml",
        "scenarios/cn-pool-plus-5.toml",
        "--by-stage",
    ]);
    assert_eq!(code(&refused), 2);
}

/// `--labels` adds a label row under the CSV header (the first row keeps the machine
/// names); `--title`, `--group-by` and `--compare-with` lay out the published table over
/// the formula's `[report]`; the manifest records all four, so verify reproduces the run,
/// and compare skips the label row.
#[test]
fn labels_row_and_report_flags_are_recorded_and_read_back() {
    let dir = out_dir();
    let out = dir.path().join("national");
    let run = equalize(&[
        "run",
        "-q",
        "-f",
        "cn",
        "--labels",
        "--group-by",
        "province",
        "--title",
        "全国县级均衡性转移支付测算表",
        "--report",
        "xlsx",
        "--out",
        path_str(&out),
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let rows = csv_rows(&out.join("allocations.csv"));
    assert_eq!(rows[0][..3], ["county_code", "county_name", "central"]);
    assert_eq!(rows.len(), 2 + 2943, "header, label row, one row per county");
    let audit = csv_rows(&out.join("audit.csv"));
    assert_eq!(audit.len(), 2 + 2943);
    assert_eq!(audit[0].len(), audit[1].len());
    let summary: serde_json::Value = serde_json::from_str(&read(&out.join("summary.json"))).unwrap();
    assert_eq!(summary["csv_label_row"], true);
    assert_eq!(summary["key"], "county_code");
    assert_eq!(summary["report"]["group_by"], "province");
    assert_eq!(summary["report"]["title"], "全国县级均衡性转移支付测算表");
    let manifest: serde_json::Value = serde_json::from_str(&read(&out.join("manifest.json"))).unwrap();
    assert_eq!(manifest["inputs"]["csv_labels"], true);
    assert_eq!(manifest["inputs"]["report"]["group_by"], "province");
    let mut book = calamine::open_workbook_auto(out.join("report.xlsx")).unwrap();
    let table = book.worksheet_range("Table").unwrap();
    assert_eq!(
        table.get((0, 0)),
        Some(&Data::String("全国县级均衡性转移支付测算表".into()))
    );
    let subtotals = (3..table.height())
        .filter(|&r| table.get((r, 0)).unwrap().to_string().ends_with(" subtotal"))
        .count();
    assert_eq!(subtotals, 31, "one per province");
    let verify = equalize(&["verify", path_str(&out)]);
    assert_eq!(code(&verify), 0, "{}", stdout(&verify));
    // compare reads the folder past its label row: the same 2943 units, none changed.
    let compare = equalize(&["compare", path_str(&out), path_str(&out)]);
    assert_eq!(code(&compare), 0, "{}", stderr(&compare));
    assert!(
        stdout(&compare).contains("units 2943: 0 gain, 0 lose, 2943 unchanged"),
        "{}",
        stdout(&compare)
    );
    // A misspelt flag is shown like a mistake in a file, with the name it meant.
    let wrong = equalize(&["check", "-f", "cn", "--group-by", "provnce"]);
    assert_eq!(code(&wrong), 2);
    assert!(
        stderr(&wrong).contains(
            "command line:1:12: error: report.group_by: 'provnce' is not a text input (did you mean 'province'?)"
        ),
        "{}",
        stderr(&wrong)
    );
}

/// A scenario may lay out its own table and relabel: its `[report]` and `[labels]` replace
/// the formula's, key by key.
#[test]
fn a_scenario_sets_its_report_layout_and_labels() {
    let dir = out_dir();
    let scenario = hand_scenario(
        dir.path(),
        "[report]\ntitle = \"Grants, what-if\"\ncompare_with = \"gap\"\n[labels]\ngrant = \"Equalization grant\"\ntotal = \"All\"\n",
    );
    let out = dir.path().join("out");
    let run = equalize(&[
        "run",
        "-q",
        "--scenario",
        path_str(&scenario),
        "--labels",
        "--out",
        path_str(&out),
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let summary: serde_json::Value = serde_json::from_str(&read(&out.join("summary.json"))).unwrap();
    assert_eq!(summary["report"]["title"], "Grants, what-if");
    assert_eq!(summary["report"]["compare_with"], "gap");
    assert_eq!(summary["labels"]["total"], "All");
    let rows = csv_rows(&out.join("allocations.csv"));
    assert_eq!(rows[0], ["code", "name", "grant", "total"]);
    assert_eq!(rows[1], ["code", "name", "Equalization grant", "All"]);
    // The flag wins over the scenario.
    let flagged = equalize(&[
        "run",
        "-q",
        "--scenario",
        path_str(&scenario),
        "--title",
        "From the flag",
        "--out",
        path_str(&out),
    ]);
    assert_eq!(code(&flagged), 0, "{}", stderr(&flagged));
    let summary: serde_json::Value = serde_json::from_str(&read(&out.join("summary.json"))).unwrap();
    assert_eq!(summary["report"]["title"], "From the flag");
    // A scenario's [report] is checked like the formula's, in the scenario file.
    let bad = hand_scenario(dir.path(), "[report]\ngroup_by = \"need\"\n");
    let wrong = equalize(&["check", "--scenario", path_str(&bad)]);
    assert_eq!(code(&wrong), 2);
    assert!(
        stderr(&wrong).contains("what-if.toml:6:12: error: report.group_by: 'need' is not a text input"),
        "{}",
        stderr(&wrong)
    );
}

/// `[report] columns` (or `--columns`) chooses the published table's amount columns and
/// their order; subtotals and the 合计 follow, and change still comes from the totals.
#[test]
fn report_columns_choose_and_order_the_amount_columns() {
    let dir = out_dir();
    let out = dir.path().join("g");
    let run = equalize(&[
        "run",
        "-q",
        "-f",
        "formulas/cn-gansu.toml",
        "-d",
        "datasets/cn-gansu",
        "--columns",
        "last_transfer, total,change,bound",
        "--report",
        "xlsx",
        "--out",
        path_str(&out),
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let mut book = calamine::open_workbook_auto(out.join("report.xlsx")).unwrap();
    // A formula in Chinese (`[report] language = "zh"`) writes its whole workbook in Chinese.
    let table = book.worksheet_range("分配表").unwrap();
    let headings: Vec<String> = (0..table.width())
        .map(|c| table.get((2, c)).unwrap().to_string())
        .collect();
    assert_eq!(
        headings,
        [
            "市州",
            "区划代码",
            "县(市、区)",
            "上年均衡性转移支付",
            "均衡性转移支付",
            "增减额",
            "保底/封顶"
        ]
    );
    let last = table.height() - 1;
    // Last year's 合计 1,844,935 (the fiscal table's own 合计 row), the pool, their difference.
    assert_eq!(table.get((last, 3)), Some(&Data::Float(1_844_935.0)));
    assert_eq!(table.get((last, 4)), Some(&Data::Float(1_950_000.0)));
    assert_eq!(table.get((last, 5)), Some(&Data::Float(105_065.0)));
    let wrong = equalize(&["check", "-f", "cn", "--columns", "total,growth,centrl"]);
    assert_eq!(code(&wrong), 2);
    let err = stderr(&wrong);
    assert!(err.contains("'growth' needs report.compare_with"), "{err}");
    assert!(
        err.contains("'centrl' is not a column of the table (did you mean 'central'?)"),
        "{err}"
    );
}

/// What analysts type: a label or the data's column name for a report setting (`--group-by
/// 市州`), an empty one to turn the formula's off, a title to be printed exactly as given.
#[test]
fn report_settings_take_labels_can_be_turned_off_and_titles_are_exact() {
    let dir = out_dir();
    let out = dir.path().join("o");
    let run = equalize(&[
        "run",
        "-q",
        "--scenario",
        "scenarios/gansu-wider-band.toml",
        "--group-by",
        "",
        "--compare-with",
        "上年均衡性转移支付",
        "--columns",
        "合计,增减额",
        "--title",
        "正式表",
        "--report",
        "xlsx",
        "--out",
        path_str(&out),
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let mut book = calamine::open_workbook_auto(out.join("report.xlsx")).unwrap();
    // A formula in Chinese (`[report] language = "zh"`) writes its whole workbook in Chinese.
    let table = book.worksheet_range("分配表").unwrap();
    assert_eq!(
        table.get((0, 0)),
        Some(&Data::String("正式表".into())),
        "the title as given"
    );
    let headings: Vec<String> = (0..table.width())
        .map(|c| table.get((2, c)).unwrap().to_string())
        .collect();
    assert_eq!(
        headings,
        ["区划代码", "县(市、区)", "均衡性转移支付", "增减额"],
        "no 市州 column"
    );
    assert!(
        (3..table.height()).all(|r| !table.get((r, 0)).unwrap().to_string().ends_with("小计")),
        "no subtotals"
    );
    let grouped = equalize(&[
        "check",
        "-f",
        "formulas/cn-gansu.toml",
        "-d",
        "datasets/cn-gansu",
        "--group-by",
        "市州",
    ]);
    assert_eq!(code(&grouped), 0, "{}", stderr(&grouped));
    let typo = equalize(&[
        "check",
        "-f",
        "formulas/cn-gansu.toml",
        "-d",
        "datasets/cn-gansu",
        "--compare-with",
        "last_transfr",
    ]);
    assert!(
        stderr(&typo).contains("(did you mean 'last_transfer'?)"),
        "{}",
        stderr(&typo)
    );
    let empty = equalize(&["run", "-q", "--title", " ", "--out", path_str(&dir.path().join("e"))]);
    assert_eq!(code(&empty), 2);
    assert!(stderr(&empty).contains("--title is empty"), "{}", stderr(&empty));
}

/// `compare --report` writes beside the analyst's scenario files, but never into a results
/// folder it compares (a reading command leaves a published folder as it was).
#[test]
fn compare_writes_beside_scenarios_but_never_into_a_compared_run() {
    let dir = out_dir();
    let scenario = dir.path().join("s1.toml");
    std::fs::write(
        &scenario,
        read(&root().join("scenarios/gansu-wider-band.toml")).replace("../", &format!("{}/", root().display())),
    )
    .unwrap();
    let in_dir = |args: &[&str], cwd: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_equalize"))
            .args(args)
            .current_dir(cwd)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let base = dir.path().join("base");
    let run = equalize(&[
        "run",
        "-q",
        "-f",
        "formulas/cn-gansu.toml",
        "-d",
        "datasets/cn-gansu",
        "--out",
        path_str(&base),
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let beside = in_dir(&["compare", "-q", "base", "s1.toml", "--report", "xlsx"], dir.path());
    assert_eq!(code(&beside), 0, "{}", stderr(&beside));
    assert!(dir.path().join("comparison.xlsx").is_file());
    let into = in_dir(&["compare", "-q", ".", "../s1.toml", "--report", "xlsx"], &base);
    assert_eq!(code(&into), 2);
    assert!(
        stderr(&into).contains("would be written into the results folder ., which this command only reads"),
        "{}",
        stderr(&into)
    );
    assert!(!base.join("comparison.xlsx").exists());
    // Over a file a scenario reads: refused.
    std::fs::copy(root().join("tests/fixtures/hand/data.csv"), dir.path().join("data.csv")).unwrap();
    for (name, pool) in [("a.toml", "100"), ("b.toml", "150")] {
        std::fs::write(
            dir.path().join(name),
            format!(
                "[scenario]\nname = \"{name}\"\nformula = \"{}\"\ndata = \"data.csv\"\n[params]\npool = \"{pool}\"\n",
                root().join("tests/fixtures/hand/formula.toml").display()
            ),
        )
        .unwrap();
    }
    let over = in_dir(&["compare", "-q", "a.toml", "b.toml", "--out", "data.csv"], dir.path());
    assert_eq!(code(&over), 2, "{}", stderr(&over));
    assert!(
        stderr(&over).contains("data.csv would be written over the input"),
        "{}",
        stderr(&over)
    );
}
