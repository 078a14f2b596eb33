//! Data as bureaus have it: workbooks, Chinese encodings, several tables, units, every error at once.

use rust_decimal::Decimal;

use crate::common::*;

fn run_to(out: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["run", "-q", "--out", path_str(out)];
    all.extend_from_slice(args);
    equalize(&all)
}

#[test]
fn every_kind_of_data_mistake_is_reported_in_one_run() {
    let output = equalize(&[
        "check",
        "-f",
        "tests/fixtures/data/mistakes.toml",
        "-d",
        "tests/fixtures/data/mistakes",
    ]);
    assert_eq!(code(&output), 2);
    let err = stderr(&output);
    for expected in [
        "error: several columns can supply input 'beds'",
        "people.csv:3:8: error: column 'population': 'x12' is not a number",
        "people.csv:4:1: error: duplicate key 'B'",
        // people.csv line 5 has an empty key: not a unit, left out with a warning.
        "people.csv:6:9: error: column 'population': -5 is below the minimum 0",
        "people.csv:7:1: error: this row has 4 fields; the header has 3",
        "money.xlsx: 2025!B3: error: column 'revenue': a date (2025-03-01)",
        "money.xlsx: 2025!B4: error: column 'revenue': the cell holds the error #DIV/0!",
        "money.xlsx: 2025!B5: error: column 'revenue': 'n/a' is not a number",
        "gaps.csv:3:3: error: column 'school_gap': missing value 'NA'",
        "money.xlsx: error: 1 key of this table is not in tests/fixtures/data/mistakes/people.csv\n  = keys: D",
        "gaps.csv: error: 1 unit of tests/fixtures/data/mistakes/people.csv is missing from this table\n  = units: E (Echo)",
        "gaps.csv: error: 2 keys of this table are not in tests/fixtures/data/mistakes/people.csv\n  = keys: D, Z",
        "12 errors, 0 warnings in 3 files",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    insta::assert_snapshot!("data_mistakes", err);
}

#[test]
fn the_same_report_as_json() {
    let output = equalize(&[
        "check",
        "--format",
        "json",
        "-f",
        "tests/fixtures/data/mistakes.toml",
        "-d",
        "tests/fixtures/data/mistakes",
    ]);
    assert_eq!(code(&output), 2);
    assert_eq!(stderr(&output), "", "JSON mode prints only the JSON document");
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("valid JSON");
    assert_eq!(report["ok"], false);
    assert_eq!(report["errors"], 12);
    assert_eq!(report["summary"], "12 errors, 0 warnings in 3 files");
    let cell = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["cell"] == "B4")
        .expect("the #DIV/0! cell");
    assert_eq!(cell["sheet"], "2025");
    assert_eq!(cell["file"], "tests/fixtures/data/mistakes/money.xlsx");
    let csv = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["line"] == 3 && d["column"] == 8)
        .unwrap();
    assert_eq!(csv["message"], "column 'population': 'x12' is not a number");
}

/// Hand computation: w = 0.1, 1234.56, 2 (total 1236.66), pool 100 rounded to 0.01:
/// 0.0081, 99.8302, 0.1617 → floored 0.00 + 99.83 + 0.16 = 99.99; the last cent goes to
/// the largest remainder (0.0081 → 0.01). Keys: 110101 (a number cell), 010102 (text with
/// a leading zero, kept), 110103.0 (a float cell) → 110103.
#[test]
fn a_sheet_chosen_by_name_reads_numbers_exactly_and_normalises_keys() {
    let dir = out_dir();
    for (i, args) in [
        vec![
            "-f",
            "tests/fixtures/data/sheets.toml",
            "-d",
            "tests/fixtures/data/sheets.xlsx#Units",
        ],
        vec![
            "-f",
            "tests/fixtures/data/sheets.toml",
            "-d",
            "tests/fixtures/data/sheets.xlsx",
            "--sheet",
            "Units",
        ],
    ]
    .iter()
    .enumerate()
    {
        let out = dir.path().join(i.to_string());
        let output = run_to(&out, args);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        assert_eq!(
            read(&out.join("allocations.csv")),
            "code,share,total\n010102,99.83,99.83\n110101,0.01,0.01\n110103,0.16,0.16\n"
        );
        let audit = csv_rows(&out.join("audit.csv"));
        assert_eq!(
            audit[2][1], "0.1",
            "0.1 stored as a binary float is read as exactly 0.1"
        );
    }
    let wrong = equalize(&[
        "check",
        "-f",
        "tests/fixtures/data/sheets.toml",
        "-d",
        "tests/fixtures/data/sheets.xlsx#Unit",
    ]);
    assert_eq!(code(&wrong), 2, "{}", stderr(&wrong));
    assert!(
        stderr(&wrong).contains("error: the workbook has no sheet 'Unit'"),
        "{}",
        stderr(&wrong)
    );
    let wrong = equalize(&[
        "check",
        "-f",
        "tests/fixtures/data/sheets.toml",
        "-d",
        "tests/fixtures/data/sheets.xlsx",
        "--sheet",
        "Unit",
    ]);
    assert_eq!(code(&wrong), 2);
    assert!(
        stderr(&wrong)
            .contains("error: the workbook has no sheet 'Unit'\n  = did you mean 'Units'? sheets: Notes, Units"),
        "{}",
        stderr(&wrong)
    );
}

#[test]
fn the_multi_table_demo_gives_the_same_allocations_as_the_single_table() {
    let dir = out_dir();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    assert_eq!(
        code(&run_to(&a, &["-f", "formulas/demo.toml", "-d", "datasets/demo"])),
        0
    );
    assert_eq!(
        code(&run_to(
            &b,
            &["-f", "formulas/demo.toml", "-d", "datasets/demo/counties.csv"]
        )),
        0
    );
    assert_eq!(read(&a.join("allocations.csv")), read(&b.join("allocations.csv")));
    assert_eq!(read(&a.join("audit.csv")), read(&b.join("audit.csv")));
    assert!(
        read(&a.join("allocations.csv")).contains("990121,红山县,"),
        "Chinese names intact"
    );
}

#[test]
fn every_encoding_reads_the_same_and_keeps_chinese_text() {
    let original = std::fs::read_to_string(root().join("datasets/demo/counties.csv")).unwrap();
    let dir = out_dir();
    let reference = dir.path().join("reference");
    assert_eq!(
        code(&run_to(
            &reference,
            &["-f", "formulas/demo.toml", "-d", "datasets/demo/counties.csv"]
        )),
        0
    );
    let expected = read(&reference.join("allocations.csv"));

    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(original.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let utf16be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(original.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&original);
    assert!(!unmappable);
    let bom: Vec<u8> = b"\xEF\xBB\xBF".iter().copied().chain(original.bytes()).collect();
    let crlf = original.replace('\n', "\r\n").into_bytes();
    for (name, bytes, forced) in [
        ("utf16le.csv", utf16, None),
        ("utf16be.csv", utf16be, None),
        ("gb18030.csv", gb.into_owned(), None),
        (
            "gbk-forced.csv",
            encoding_rs::GB18030.encode(&original).0.into_owned(),
            Some("gbk"),
        ),
        ("bom.csv", bom, None),
        ("crlf.csv", crlf, None),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let out = dir.path().join(format!("{name}.out"));
        let mut args = vec!["-f", "formulas/demo.toml", "-d", path_str(&file)];
        if let Some(encoding) = forced {
            args.extend(["--encoding", encoding]);
        }
        let output = run_to(&out, &args);
        assert_eq!(code(&output), 0, "{name}: {}", stderr(&output));
        assert_eq!(read(&out.join("allocations.csv")), expected, "{name}");
    }
}

#[test]
fn bad_bytes_are_reported_with_their_offset() {
    let dir = out_dir();
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, b"code,name,need,revenue\nA,\xFF\xFF,1,1\n").unwrap();
    let output = equalize(&["check", "-f", "tests/fixtures/hand/formula.toml", "-d", path_str(&file)]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("error: the file is not valid GB18030: bad byte 0xFF at offset 25 (line 2)"),
        "{}",
        stderr(&output)
    );
    let forced = equalize(&[
        "check",
        "-f",
        "tests/fixtures/hand/formula.toml",
        "-d",
        path_str(&file),
        "--encoding",
        "utf-8",
    ]);
    assert!(
        stderr(&forced).contains("error: the file is not valid UTF-8: bad byte 0xFF at offset 25 (line 2)"),
        "{}",
        stderr(&forced)
    );
}

#[test]
fn several_data_files_join_on_the_key() {
    let dir = out_dir();
    let needs = dir.path().join("needs.csv");
    let revenue = dir.path().join("revenue.csv");
    std::fs::write(
        &needs,
        "code,name,need\nD,Delta,80\nA,Alpha,50\nB,Beta,100\nC,Gamma,30\n",
    )
    .unwrap();
    std::fs::write(&revenue, "code,revenue\nA,20\nB,40\nC,40\nD,10\n").unwrap();
    let out = dir.path().join("out");
    let output = run_to(
        &out,
        &[
            "-f",
            "tests/fixtures/hand/formula.toml",
            "-d",
            path_str(&needs),
            "-d",
            path_str(&revenue),
        ],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    // The same allocation as the one-table hand example (tests/integration/run.rs).
    assert_eq!(
        read(&out.join("allocations.csv")),
        "code,name,grant,total\nA,Alpha,19,19\nB,Beta,37,37\nC,Gamma,0,0\nD,Delta,44,44\n"
    );
}

/// Data in yuan, formula in 10k yuan (万元), report in 100m yuan (亿元): conversions are exact
/// and the report still adds up. Hand computation: revenues 123456789 and 876543211 yuan
/// = 12345.6789 and 87654.3211 万元; pool 10000 万元 by revenue share with round 0.01 万元:
/// 1234.56789 → 1234.56 (+0.01 for the larger remainder .00789 vs .00211 → 1234.57) and
/// 8765.43211 → 8765.43. In 亿元: 0.123457 and 0.876543, total 1.
#[test]
fn money_units_convert_exactly_on_load_and_output() {
    let dir = out_dir();
    let formula = dir.path().join("f.toml");
    std::fs::write(
        &formula,
        "[formula]\nname = \"units\"\nkey = \"code\"\nunit = \"万元\"\noutput_unit = \"100m yuan\"\n\
         [inputs.revenue]\nunit = \"yuan\"\n[params]\npool = \"10000\"\n\
         [[allocation]]\nname = \"grant\"\npool = \"pool\"\nweight = \"revenue\"\nround = \"0.01\"\n",
    )
    .unwrap();
    let data = dir.path().join("d.csv");
    std::fs::write(&data, "code,revenue\nx,123456789\ny,876543211\n").unwrap();
    let out = dir.path().join("out");
    let output = run_to(&out, &["-f", path_str(&formula), "-d", path_str(&data)]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        read(&out.join("allocations.csv")),
        "code,grant,total\nx,0.123457,0.123457\ny,0.876543,0.876543\n"
    );
    let audit = csv_rows(&out.join("audit.csv"));
    assert_eq!(audit[1][1], "12345.6789", "the input in the formula's unit");
    let summary: serde_json::Value = serde_json::from_str(&read(&out.join("summary.json"))).unwrap();
    assert_eq!(summary["unit"], "100m yuan");
    assert_eq!(summary["total"], "1");
}

#[test]
fn suspicious_data_warns_without_failing_and_can_be_silenced() {
    let dir = out_dir();
    let formula = dir.path().join("f.toml");
    std::fs::write(
        &formula,
        "[formula]\nname = \"warn\"\nkey = \"code\"\n[inputs.population]\ncompare_with = \"population_2010\"\nmax_ratio = \"1.5\"\n\
         [inputs.population_2010]\noutlier_sd = \"0\"\n[[allocation]]\nname = \"grant\"\npool = \"100\"\nweight = \"population\"\n",
    )
    .unwrap();
    let data = dir.path().join("d.csv");
    std::fs::write(
        &data,
        "code,population,population_2010\na,100,90\nb,400,100\nc,120,110\n",
    )
    .unwrap();
    let output = equalize(&["check", "-f", path_str(&formula), "-d", path_str(&data)]);
    assert_eq!(code(&output), 0);
    assert!(
        stderr(&output).contains(
            "warning: input 'population': 1 unit changed by more than a factor 1.5 from 'population_2010'\n  = b = 400"
        ),
        "{}",
        stderr(&output)
    );
    assert!(
        stdout(&output).ends_with("0 errors, 1 warning in 1 file\n"),
        "{}",
        stdout(&output)
    );
    let quiet = equalize(&[
        "check",
        "--no-warnings",
        "-f",
        path_str(&formula),
        "-d",
        path_str(&data),
    ]);
    assert_eq!(stderr(&quiet), "");
    let strict = equalize(&["check", "--strict", "-f", path_str(&formula), "-d", path_str(&data)]);
    assert_eq!(code(&strict), 2, "--strict fails on warnings");
}

#[test]
fn the_census_workbook_loads_with_the_columns_asked_for() {
    // Shipped in the repository, so this test always runs.
    assert!(root()
        .join("datasets/cn-census-2020/census_county_2020_v1.xlsx")
        .exists());
    let dir = out_dir();
    let out = dir.path().join("out");
    let output = run_to(
        &out,
        &[
            "--allow-outside",
            "-f",
            "tests/fixtures/census/formula.toml",
            "-d",
            "tests/fixtures/census",
        ],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let rows = csv_rows(&out.join("allocations.csv"));
    assert_eq!(rows.len() - 1, 3312, "3,358 rows less the 46 with code NA");
    let dongcheng = rows
        .iter()
        .find(|r| r[0] == "110101")
        .expect("Dongcheng by its numeric code");
    assert_eq!(dongcheng[1], "东城区");
    let audit = csv_rows(&out.join("audit.csv"));
    let row = audit.iter().find(|r| r[0] == "110101").unwrap();
    // From the workbook (read independently with openpyxl): population 708,829;
    // minority share 5.78%; average schooling 12.65 years.
    assert_eq!(&row[2..6], ["北京市", "708829", "5.78", "12.65"]);
    assert_eq!(read(&out.join("summary.json")).matches("\"share\"").count(), 1);

    // Without the dataset's own folder rule relaxed, the outside path is refused.
    let refused = equalize(&[
        "check",
        "-f",
        "tests/fixtures/census/formula.toml",
        "-d",
        "tests/fixtures/census",
    ]);
    assert_eq!(code(&refused), 2);
    assert!(
        stderr(&refused).contains("is outside the dataset folder; tables must live under it (or pass --allow-outside, or write allow_outside = true under [dataset] in dataset.toml)")
    );

    // A column with NA and no default: each NA is reported with its cell, the first 20 in full.
    let na = equalize(&[
        "check",
        "--allow-outside",
        "-f",
        "tests/fixtures/census/formula_na.toml",
        "-d",
        "tests/fixtures/census",
    ]);
    assert_eq!(code(&na), 2);
    let err = stderr(&na);
    assert!(
        err.contains("census_county_2020_v1.xlsx: 七普（年鉴）!L4: error: column '城区人口': missing value 'NA'"),
        "{err}"
    );
    // The same problem in one column: the first 20 cells, then one line with the count.
    assert!(
        err.contains("error: column '城区人口': 2609 more cells with the same problem, from L25 on"),
        "{err}"
    );
    assert!(err.contains("2629 errors"), "{err}");
}

#[test]
fn broken_files_end_in_a_clear_error_not_a_panic() {
    let dir = out_dir();
    let workbook = std::fs::read(root().join("datasets/demo/revenue.xlsx")).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated.xlsx",
            workbook[..workbook.len() / 2].to_vec(),
            "error: cannot open the workbook",
        ),
        (
            "junk.xlsx",
            (0..4096u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect(),
            "error: cannot open the workbook",
        ),
        (
            "nul.csv",
            b"code,name,need,revenue\nA,\0,1,1\n".to_vec(),
            "error: the file contains a NUL character at offset 25",
        ),
        ("empty.csv", Vec::new(), "error: the file is empty"),
        (
            "header.csv",
            b"code,name,need,revenue\n".to_vec(),
            "error: the table has a header but no data rows",
        ),
    ];
    for (name, bytes, expected) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let output = equalize(&["check", "-f", "tests/fixtures/hand/formula.toml", "-d", path_str(&file)]);
        assert_eq!(code(&output), 2, "{name}: {}", stderr(&output));
        assert!(stderr(&output).contains(expected), "{name}: {}", stderr(&output));
    }
}

#[test]
fn dataset_tables_may_not_leave_their_folder() {
    let dir = out_dir();
    std::fs::write(
        dir.path().join("dataset.toml"),
        "[dataset]\nkey = \"code\"\n[[table]]\nfile = \"../../etc/passwd\"\n",
    )
    .unwrap();
    let output = equalize(&[
        "check",
        "-f",
        "tests/fixtures/hand/formula.toml",
        "-d",
        path_str(dir.path()),
    ]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("dataset.toml:4:8: error: '../../etc/passwd' is outside the dataset folder"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_oversized_file_is_refused_before_it_is_read() {
    // A sparse file: 1 GiB + 1 byte on paper, nothing on disk, one long line of NULs.
    let dir = out_dir();
    let file = dir.path().join("huge.csv");
    std::fs::File::create(&file).unwrap().set_len((1 << 30) + 1).unwrap();
    let output = equalize(&["check", "-f", "tests/fixtures/hand/formula.toml", "-d", path_str(&file)]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output)
            .contains("error: the data file is 1073741825 bytes; the limit for a data file is 1073741824 bytes"),
        "{}",
        stderr(&output)
    );
}

/// An office's tables as they come (issue: office data in, without Excel first): a national
/// table filtered to one province by `where`, summary rows skipped by a key pattern, a
/// GB18030 fiscal table with a title row, a units row, a two-level header, a 合计 row and
/// thousands separators, joined to the units of the first table.
#[test]
fn office_tables_load_without_excel_first() {
    let dir = out_dir();
    let data = dir.path().join("gansu");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(
        data.join("national.csv"),
        "区划代码,区县,人口数_合计\n110101,东城区,708829\n620102,城关区,1486049\n620103,七里河区,561020\n620104,西固区,364050\n990000,合计,9999\n",
    )
    .unwrap();
    let fiscal = "2025年甘肃省县级财政收支情况表,,,\n单位：万元,,,\n县代码,县名,一般公共预算收入,\n,,本年,上年\n620102,城关区,\"116,010\",\"110,000\"\n620103,七里河区,\"32,500\",\"30,100\"\n620104,西固区,\"21,400\",\"20,800\"\n620199,开发区,100,90\n,合计,\"170,010\",\"160,990\"\n";
    let (encoded, _, _) = encoding_rs::GB18030.encode(fiscal);
    std::fs::write(data.join("fiscal.csv"), &encoded).unwrap();
    std::fs::write(
        data.join("dataset.toml"),
        "[dataset]\nname = \"Gansu\"\nkey = \"区划代码\"\n\n[[table]]\nfile = \"national.csv\"\nwhere = \"starts_with(区划代码, '62')\"\nskip_keys = [\"6201?4\", \"6201\"]\n\n\
         [[table]]\nfile = \"fiscal.csv\"\nencoding = \"gb18030\"\nheader_rows = 2\ncolumns = { \"县代码\" = \"区划代码\" }\n",
    )
    .unwrap();
    let formula = dir.path().join("gansu.toml");
    std::fs::write(
        &formula,
        "[formula]\nname = \"gansu\"\nkey = \"区划代码\"\nlabel = \"区县\"\n[inputs.population]\naliases = [\"人口数_合计\"]\n\
         [inputs.revenue]\naliases = [\"本年\"]\n[inputs.last_year]\naliases = [\"上年\"]\n[params]\npool = \"1000\"\n\
         [[allocation]]\nname = \"a\"\npool = \"pool\"\nweight = \"population\"\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = equalize(&[
        "run",
        "-f",
        path_str(&formula),
        "-d",
        path_str(&data),
        "--out",
        path_str(&out),
    ]);
    let err = stderr(&output);
    assert_eq!(code(&output), 0, "{err}");
    // Where the header was found is said, and a key pattern that matches nothing; what was
    // left out is counted in the summary.
    assert!(err.contains("took row 3 as the header"), "{err}");
    assert!(err.contains("skip_keys entry '6201' matches no key"), "{err}");
    assert!(err.contains("2 keys of this table are not units of"), "{err}");
    let out_text = stdout(&output);
    assert!(
        out_text.contains("national.csv: 2 rows left out by where = \"starts_with(区划代码, '62')\""),
        "{out_text}"
    );
    assert!(
        out_text.contains("national.csv: 1 row left out by skip_keys '6201?4'"),
        "{out_text}"
    );
    assert!(
        out_text.contains("fiscal.csv: 1 row with an empty '区划代码' left out"),
        "{out_text}"
    );
    let allocations = csv_rows(&out.join("allocations.csv"));
    let keys: Vec<&str> = allocations[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(keys, ["620102", "620103"]);
    let summary = read(&out.join("summary.json"));
    assert!(summary.contains("left out by where"), "{summary}");
    // The explain of one unit shows the revenue read with its thousands separator.
    let explain = equalize(&[
        "explain",
        "620102",
        "-f",
        path_str(&formula),
        "-d",
        path_str(&data),
        "--var",
        "revenue",
    ]);
    assert!(stdout(&explain).contains("116010"), "{}", stdout(&explain));

    // A header written with ASCII parentheses against the file's full-width ones, and a
    // traditional character against the simplified one: the closest headers are named.
    let mistaken = dir.path().join("mistaken.toml");
    std::fs::write(
        &mistaken,
        read(&formula).replace("aliases = [\"人口数_合计\"]", "aliases = [\"人口數(合计)\"]"),
    )
    .unwrap();
    std::fs::write(
        data.join("national.csv"),
        read(&data.join("national.csv")).replace("人口数_合计", "人口数（合计）"),
    )
    .unwrap();
    let output = equalize(&["check", "-f", path_str(&mistaken), "-d", path_str(&data)]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("did you mean '人口数（合计）' in"),
        "{}",
        stderr(&output)
    );
}

/// A dataset may read a table outside its folder when its own dataset.toml says so; without
/// that line (or --allow-outside) the same path is refused.
#[test]
fn a_dataset_toml_may_allow_tables_outside_its_folder() {
    let dir = out_dir();
    std::fs::write(
        dir.path().join("shared.csv"),
        "code,name,need,revenue\nA,a,300,1\nB,b,600,1\n",
    )
    .unwrap();
    let data = dir.path().join("d");
    std::fs::create_dir(&data).unwrap();
    let toml = "[dataset]\nkey = \"code\"\n\n[[table]]\nfile = \"../shared.csv\"\n";
    std::fs::write(data.join("dataset.toml"), toml).unwrap();
    let refused = equalize(&["check", "-f", "tests/fixtures/hand/formula.toml", "-d", path_str(&data)]);
    assert_eq!(code(&refused), 2);
    assert!(
        stderr(&refused).contains("allow_outside = true under [dataset]"),
        "{}",
        stderr(&refused)
    );
    std::fs::write(
        data.join("dataset.toml"),
        toml.replace("[dataset]\n", "[dataset]\nallow_outside = true\n"),
    )
    .unwrap();
    let allowed = equalize(&["check", "-f", "tests/fixtures/hand/formula.toml", "-d", path_str(&data)]);
    assert_eq!(code(&allowed), 0, "{}", stderr(&allowed));
    // An absolute path still needs the caller's flag.
    let absolute = dir.path().join("shared.csv");
    std::fs::write(
        data.join("dataset.toml"),
        format!(
            "[dataset]\nkey = \"code\"\nallow_outside = true\n\n[[table]]\nfile = \"{}\"\n",
            path_str(&absolute)
        ),
    )
    .unwrap();
    let refused = equalize(&["check", "-f", "tests/fixtures/hand/formula.toml", "-d", path_str(&data)]);
    assert_eq!(code(&refused), 2, "{}", stderr(&refused));
}

/// The provincial example runs from the national workbook with no pre-processing, as the
/// walkthrough in docs/data.md types it (every command there is run here, `out/` in a
/// temporary folder), and its units are exactly Gansu's 87 counties: the keys starting 62 in
/// datasets/cn-national/census.csv, which its generate.py derived from the same workbook with
/// openpyxl, an independent reader.
#[test]
fn the_gansu_walkthrough_runs_from_the_national_workbook() {
    let out = out_dir();
    let doc = read(&root().join("docs/data.md"));
    let section = doc.split("## A provincial example").nth(1).unwrap();
    let commands: Vec<&str> = section
        .split("```sh\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap()
        .lines()
        .collect();
    assert_eq!(commands.len(), 4);
    let base = format!("{}/", path_str(out.path()));
    for command in &commands {
        let line = command.replace("out/", &base);
        let args: Vec<&str> = line.split_whitespace().skip(1).collect();
        let output = equalize(&args);
        assert_eq!(code(&output), 0, "{command}: {}", stderr(&output));
        assert_eq!(stderr(&output), "", "{command} runs clean: no warning");
        if command.starts_with("equalize explain") {
            assert!(
                stdout(&output).contains("(unit 622926 (东乡族自治县))"),
                "{}",
                stdout(&output)
            );
        }
    }
    let allocations = csv_rows(&out.path().join("gansu/allocations.csv"));
    let mut keys: Vec<String> = allocations[1..].iter().map(|r| r[0].clone()).collect();
    keys.sort();
    let census = csv_rows(&root().join("datasets/cn-national/census.csv"));
    let mut expected: Vec<String> = census[1..]
        .iter()
        .map(|r| r[0].clone())
        .filter(|k| k.starts_with("62"))
        .collect();
    expected.sort();
    assert_eq!(keys, expected);
    assert_eq!(keys.len(), 87);
    // The amounts add up to the pool, in whole 万元, each within 95%..110% of last year
    // (or its gap), as the formula promises.
    let audit = csv_rows(&out.path().join("gansu/audit.csv"));
    let amount = decimal_column(&audit, "equalization");
    let last = decimal_column(&audit, "last_transfer");
    let gap = decimal_column(&audit, "gap");
    assert_eq!(amount.iter().sum::<Decimal>(), Decimal::from(1_950_000));
    for i in 0..amount.len() {
        assert!(amount[i].fract().is_zero());
        let floor = (last[i] * Decimal::new(95, 2)).min(gap[i].floor());
        assert!(
            amount[i] >= floor && amount[i] <= last[i] * Decimal::new(110, 2),
            "row {i}"
        );
    }
    let summary = read(&out.path().join("gansu/summary.json"));
    assert!(summary.contains("3256 rows left out by where"), "{summary}");
    // One county's revenue typed in 元 in a copy of the fiscal table: flagged against last
    // year's revenue and against the median.
    let copy = out.path().join("gansu-typo");
    std::fs::create_dir(&copy).unwrap();
    let fiscal = std::fs::read(root().join("datasets/cn-gansu/fiscal.csv")).unwrap();
    let (text, _, _) = encoding_rs::GB18030.decode(&fiscal);
    assert!(text.contains("620102,城关区,\"362,600\""));
    let typo = text.replace("620102,城关区,\"362,600\"", "620102,城关区,\"3,626,000,000\"");
    std::fs::write(copy.join("fiscal.csv"), encoding_rs::GB18030.encode(&typo).0).unwrap();
    let toml = read(&root().join("datasets/cn-gansu/dataset.toml")).replace(
        "../cn-census-2020/census_county_2020_v1.xlsx",
        path_str(&root().join("datasets/cn-census-2020/census_county_2020_v1.xlsx")),
    );
    std::fs::write(copy.join("dataset.toml"), toml).unwrap();
    let typo_run = equalize(&[
        "check",
        "--allow-outside",
        "-f",
        "formulas/cn-gansu.toml",
        "-d",
        path_str(&copy),
    ]);
    let err = stderr(&typo_run);
    assert!(
        err.contains("input 'revenue': 1 unit changed by more than a factor 3 from 'last_revenue'"),
        "{err}"
    );
    assert!(err.contains("620102 (城关区) = 3626000000"), "{err}");
    assert!(err.contains("over 300 times the median"), "{err}");
    assert!(
        err.contains("fiscal.csv: warning"),
        "the warning names the file the column came from: {err}"
    );
    // The pool typed in yuan for a formula in 万元: the sums carry the unit, and the mix-up is named.
    let yuan = equalize(&[
        "check",
        "-f",
        "formulas/cn-gansu.toml",
        "-d",
        "datasets/cn-gansu",
        "--set",
        "pool=19500000000",
    ]);
    assert_eq!(code(&yuan), 3);
    let err = stderr(&yuan);
    assert!(
        err.contains("the caps add up to 2,029,390 万元, less than the pool 19,500,000,000 万元"),
        "{err}"
    );
    assert!(
        err.contains("one is 9,609 times the other: are both in the same money unit"),
        "{err}"
    );
}

/// `--where` filters a file given directly; the manifest records it, so `verify` recomputes
/// the same units; it is refused for a dataset folder, and a column it names must exist.
#[test]
fn where_on_the_command_line_filters_the_first_file_and_is_recorded() {
    let dir = out_dir();
    let data = dir.path().join("d.csv");
    std::fs::write(&data, "code,name,need,revenue\nA1,a,300,1\nA2,b,600,1\nB1,c,900,1\n").unwrap();
    let out = dir.path().join("out");
    let run = equalize(&[
        "run",
        "-f",
        "tests/fixtures/hand/formula.toml",
        "-d",
        path_str(&data),
        "--where",
        "starts_with(code, 'A')",
        "--out",
        path_str(&out),
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let keys: Vec<String> = csv_rows(&out.join("allocations.csv"))[1..]
        .iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(keys, ["A1", "A2"]);
    assert!(
        stdout(&run).contains("1 row left out by where = \"starts_with(code, 'A')\""),
        "{}",
        stdout(&run)
    );
    let manifest = read(&out.join("manifest.json"));
    assert!(manifest.contains("\"where\": \"starts_with(code, 'A')\""), "{manifest}");
    let verify = equalize(&["verify", path_str(&out), "--allow-outside"]);
    assert_eq!(code(&verify), 0, "{}", stdout(&verify));

    let folder = equalize(&["check", "--where", "code > 1"]);
    assert_eq!(code(&folder), 2);
    assert!(
        stderr(&folder).contains("--where applies to a file given with --data"),
        "{}",
        stderr(&folder)
    );
    let unknown = equalize(&[
        "check",
        "-f",
        "tests/fixtures/hand/formula.toml",
        "-d",
        path_str(&data),
        "--where",
        "starts_with(cod, 'A')",
    ]);
    assert_eq!(code(&unknown), 2);
    assert!(
        stderr(&unknown).contains("--where:1:13: error: the filter reads 'cod', which is not a column of the table"),
        "{}",
        stderr(&unknown)
    );
    assert!(
        stderr(&unknown).contains("did you mean 'code'?"),
        "{}",
        stderr(&unknown)
    );
}
