//! 说中文: the language of messages and summaries (issue 19), on the real binary.

use crate::common::*;

#[test]
fn the_summary_is_in_chinese_under_a_chinese_locale_and_english_on_request() {
    let dir = out_dir();
    let out = path_str(dir.path());
    let zh = equalize_env(&["run", "--formula", "cn", "--out", out], &[("LANG", "zh_CN.UTF-8")]);
    assert_eq!(code(&zh), 0, "{}", stderr(&zh));
    let text = stdout(&zh);
    for expected in [
        "：2943 个地区",
        "公式",
        "资金总额",
        "系数 k",
        "取保底",
        "总计",
        "基尼系数（人口加权）",
        "泰尔指数",
        "已写入",
    ] {
        assert!(text.contains(expected), "missing {expected}:\n{text}");
    }
    let en = equalize_env(
        &["run", "--formula", "cn", "--out", out, "--lang", "en"],
        &[("LANG", "zh_CN.UTF-8")],
    );
    assert!(stdout(&en).contains(": 2943 units") && stdout(&en).contains("Gini, population-weighted"));
    assert!(!stdout(&en).contains("个单位"));
    // EQUALIZE_LANG wins over the locale; the flag over both.
    let by_variable = equalize_env(
        &["run", "-q", "--formula", "demo", "--out", out, "--lang", "zh"],
        &[("EQUALIZE_LANG", "en")],
    );
    assert_eq!(code(&by_variable), 0);
    let demo = equalize_env(
        &["run", "--formula", "demo", "--out", out],
        &[("EQUALIZE_LANG", "zh"), ("LANG", "en_US.UTF-8")],
    );
    insta::assert_snapshot!("summary_demo_zh", stdout(&demo).replace(out, "OUT"));
    let demo_en = equalize_env(&["run", "--formula", "demo", "--out", out], &[]);
    insta::assert_snapshot!("summary_demo_en", stdout(&demo_en).replace(out, "OUT"));
    // The files are the same whatever the language: only the terminal speaks it.
    let a = read(&dir.path().join("allocations.csv"));
    let again = equalize_env(
        &["run", "-q", "--formula", "demo", "--out", out],
        &[("EQUALIZE_LANG", "zh")],
    );
    assert_eq!(code(&again), 0);
    assert_eq!(read(&dir.path().join("allocations.csv")), a);
    let bad = equalize_env(&["run", "--formula", "demo", "--lang", "fr"], &[]);
    assert_eq!(code(&bad), 2);
    assert!(
        stderr(&bad).contains("--lang fr: the languages are en and zh"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn a_misspelt_name_is_reported_in_chinese_with_its_place_and_caret() {
    let dir = out_dir();
    let formula = dir.path().join("f.toml");
    std::fs::write(
        &formula,
        "[formula]\nname = \"t\"\nkey = \"code\"\n[inputs.population]\n[inputs.\"人口数\"]\n[params]\npool = \"10\"\n\
         [vars]\ndensity = \"populaton * 2\"\n\"人均\" = \"人口 / population\"\n\
         [[allocation]]\nname = \"a\"\npool = \"pool\"\nweight = \"density\"\n",
    )
    .unwrap();
    let f = path_str(&formula);
    let zh = equalize_env(
        &["check", "-f", f, "-d", "tests/fixtures/hand/data.csv"],
        &[("LANG", "zh_CN.UTF-8")],
    );
    assert_eq!(code(&zh), 2);
    let err = stderr(&zh);
    assert!(
        err.contains(":9:12: 错误: 未知名称 'populaton'（您是不是想写 'population'？）"),
        "{err}"
    );
    assert!(
        err.contains("= 可用的名称有：输入、参数、变量和之前的分配阶段"),
        "{err}"
    );
    assert!(err.contains("个错误"), "{err}");
    let en = equalize_env(
        &["check", "-f", f, "-d", "tests/fixtures/hand/data.csv", "--lang", "en"],
        &[("LANG", "zh_CN.UTF-8")],
    );
    assert!(
        stderr(&en).contains(":9:12: error: unknown name 'populaton' (did you mean 'population'?)"),
        "{}",
        stderr(&en)
    );
    // Under Chinese text the caret sits under the name, by display width, in both languages.
    for output in [&zh, &en] {
        let text = stderr(output);
        let lines: Vec<&str> = text.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.contains("\"人均\" = "))
            .expect("the snippet line");
        let (source, caret) = (lines[at], lines[at + 1]);
        let column = |line: &str, pattern: &str| {
            let start = line.find(pattern).unwrap();
            unicode_width::UnicodeWidthStr::width(&line[..start])
        };
        assert_eq!(column(caret, "^"), column(source, "人口 /"), "{text}");
        assert_eq!(caret.trim_start_matches(|c| c != '^').trim_end(), "^^^^", "{text}");
    }
}

/// The main error reports in both languages: every data mistake of the fixture, a formula's
/// type error, an infeasible pool. Places (file:line:col, sheet!cell), carets and counts are
/// the same in both; only the words change.
#[test]
fn error_reports_in_both_languages() {
    let mistakes = [
        "check",
        "-f",
        "tests/fixtures/data/mistakes.toml",
        "-d",
        "tests/fixtures/data/mistakes",
    ];
    let en = equalize_env(&mistakes, &[]);
    let zh = equalize_env(&mistakes, &[("EQUALIZE_LANG", "zh")]);
    assert_eq!((code(&en), code(&zh)), (2, 2));
    let (en_err, zh_err) = (stderr(&en), stderr(&zh));
    insta::assert_snapshot!("data_mistakes_zh", zh_err);
    // Each English line has a Chinese one at the same place.
    for place in [
        "people.csv:3:8:",
        "people.csv:4:1:",
        "money.xlsx: 2025!B4:",
        "gaps.csv:3:3:",
    ] {
        assert!(en_err.contains(place) && zh_err.contains(place), "{place}:\n{zh_err}");
    }
    assert!(zh_err.contains("错误"), "{zh_err}");
    assert!(!zh_err.contains("is not a number"), "untranslated:\n{zh_err}");

    let out = out_dir();
    let infeasible = [
        "run",
        "-f",
        HAND_FORMULA,
        "-d",
        HAND_DATA,
        "--out",
        path_str(out.path()),
        "--set",
        "pool=170",
    ];
    let en = equalize_env(&infeasible, &[]);
    let zh = equalize_env(&infeasible, &[("EQUALIZE_LANG", "zh")]);
    assert_eq!((code(&en), code(&zh)), (3, 3));
    insta::assert_snapshot!("infeasible_en", stderr(&en));
    insta::assert_snapshot!("infeasible_zh", stderr(&zh));
}

/// `--format json` keeps stable English codes whatever the language, beside the message in it.
#[test]
fn json_diagnostics_carry_stable_codes_and_localized_messages() {
    let dir = out_dir();
    let formula = dir.path().join("f.toml");
    std::fs::write(
        &formula,
        "[formula]\nname = \"t\"\nkey = \"code\"\n[inputs.population]\n[params]\npool = \"10\"\n\
         [vars]\ndensity = \"populaton * 2\"\n[[allocation]]\nname = \"a\"\npool = \"pool\"\nweight = \"density\"\n",
    )
    .unwrap();
    let args = [
        "check",
        "--format",
        "json",
        "-f",
        path_str(&formula),
        "-d",
        "tests/fixtures/hand/data.csv",
    ];
    let parse = |env: &[(&str, &str)]| -> serde_json::Value {
        serde_json::from_str(&stdout(&equalize_env(&args, env))).unwrap()
    };
    let (en, zh) = (parse(&[]), parse(&[("EQUALIZE_LANG", "zh")]));
    let first = |v: &serde_json::Value| v["diagnostics"][0].clone();
    assert_eq!(first(&en)["code"], "check-unknown-name-hint");
    assert_eq!(first(&zh)["code"], first(&en)["code"]);
    assert!(first(&en)["message"].as_str().unwrap().contains("did you mean"));
    assert!(first(&zh)["message"].as_str().unwrap().contains("您是不是想写"));
    assert_eq!(first(&zh)["line"], first(&en)["line"]);
    // Every diagnostic of the data-mistakes fixture has a code.
    let mistakes: serde_json::Value = serde_json::from_str(&stdout(&equalize_env(
        &[
            "check",
            "--format",
            "json",
            "-f",
            "tests/fixtures/data/mistakes.toml",
            "-d",
            "tests/fixtures/data/mistakes",
        ],
        &[("EQUALIZE_LANG", "zh")],
    )))
    .unwrap();
    for d in mistakes["diagnostics"].as_array().unwrap() {
        let code = d["code"].as_str().unwrap_or_else(|| panic!("no code: {d}"));
        // A code is a message of the catalogues, in both languages.
        for lang in [equalize::i18n::Lang::En, equalize::i18n::Lang::Zh] {
            assert_ne!(
                equalize::i18n::text_in(lang, code, &[]),
                code,
                "{code} is not in the catalogues"
            );
        }
    }
}

/// explain's memo for one county, in both languages, from the same run.
#[test]
fn the_explain_memo_in_both_languages() {
    let args = [
        "explain",
        "-f",
        HAND_FORMULA,
        "-d",
        HAND_DATA,
        "B",
        "--format",
        "markdown",
    ];
    let en = equalize_env(&args, &[]);
    let zh = equalize_env(&args, &[("EQUALIZE_LANG", "zh")]);
    assert_eq!((code(&en), code(&zh)), (0, 0), "{}", stderr(&zh));
    insta::assert_snapshot!("explain_memo_en", stdout(&en));
    insta::assert_snapshot!("explain_memo_zh", stdout(&zh));
    // The numbers are the same: only the words differ.
    let numbers = |text: &str| -> Vec<String> {
        text.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
            .map(|w| w.trim_end_matches([',', '.']))
            .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
            .map(String::from)
            .collect()
    };
    let (mut a, mut b) = (numbers(&stdout(&en)), numbers(&stdout(&zh)));
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

/// Report files follow the language the run speaks (the formula's own `[report] language`
/// wins); the manifest records it, so `verify` in another language writes them alike.
#[test]
fn reports_are_written_in_the_language_of_the_run_and_verify_in_any_language() {
    let dir = out_dir();
    let header_row = |lang: &str| -> (Vec<String>, Vec<String>) {
        let out = dir.path().join(lang);
        let run = equalize_env(
            &[
                "run",
                "-q",
                "--formula",
                "demo",
                "--report",
                "xlsx",
                "--report",
                "html",
                "--out",
                path_str(&out),
            ],
            &[("EQUALIZE_LANG", lang)],
        );
        assert_eq!(code(&run), 0, "{}", stderr(&run));
        let mut book = calamine::open_workbook_auto(out.join("report.xlsx")).unwrap();
        use calamine::Reader;
        let sheets = book.sheet_names();
        // The audit sheet: the last whose first cell is the key's header.
        let mut audit = None;
        for name in &sheets {
            let range = book.worksheet_range(name).unwrap();
            if range
                .get((0, 0))
                .is_some_and(|c| matches!(c, calamine::Data::String(s) if s == "county_code"))
            {
                audit = Some(range);
            }
        }
        let header = audit
            .map(|r| (0..r.width()).map(|c| r.get((0, c)).unwrap().to_string()).collect())
            .unwrap_or_default();
        (sheets, header)
    };
    let (en_sheets, en_header) = header_row("en");
    let (zh_sheets, zh_header) = header_row("zh");
    insta::assert_snapshot!(
        "report_xlsx_sheets_and_header",
        format!("en: {en_sheets:?}\n{en_header:?}\nzh: {zh_sheets:?}\n{zh_header:?}")
    );
    assert!(en_sheets.contains(&"Summary".to_string()), "{en_sheets:?}");
    assert!(zh_sheets.contains(&"概要".to_string()), "{zh_sheets:?}");
    assert!(zh_header.contains(&"合计".to_string()) && en_header.contains(&"total".to_string()));
    // The published table's own words follow too (the demo formula names no language).
    {
        use calamine::Reader;
        let mut book = calamine::open_workbook_auto(dir.path().join("zh/report.xlsx")).unwrap();
        let table = book.worksheet_range("分配表").unwrap();
        let last = table.height() - 1;
        assert_eq!(table.get((last, 0)).map(|c| c.to_string()), Some("合计".to_string()));
    }
    // A formula that names its report language keeps it, whatever the run's language.
    let english = dir.path().join("english.toml");
    std::fs::write(
        &english,
        read(&root().join("formulas/demo.toml")) + "\n[report]\nlanguage = \"en\"\n",
    )
    .unwrap();
    let out = dir.path().join("english");
    let run = equalize_env(
        &[
            "run",
            "-q",
            "-f",
            path_str(&english),
            "-d",
            "datasets/demo",
            "--report",
            "xlsx",
            "--out",
            path_str(&out),
        ],
        &[("EQUALIZE_LANG", "zh")],
    );
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    {
        use calamine::Reader;
        let book = calamine::open_workbook_auto(out.join("report.xlsx")).unwrap();
        assert_eq!(book.sheet_names()[0], "Table");
    }
    let html = read(&dir.path().join("zh/report.html"));
    assert!(html.contains("lang=\"zh-CN\""));
    // The English run's manifest has no report language; the Chinese one records it.
    let manifest = |lang: &str| -> serde_json::Value {
        serde_json::from_str(&read(&dir.path().join(lang).join("manifest.json"))).unwrap()
    };
    assert!(manifest("en")["inputs"].get("report_language").is_none());
    assert_eq!(manifest("zh")["inputs"]["report_language"], "zh");
    // Verified from an English terminal, and the other way round.
    for (lang, folder) in [("en", "zh"), ("zh", "en")] {
        let verify = equalize_env(
            &["verify", path_str(&dir.path().join(folder))],
            &[("EQUALIZE_LANG", lang)],
        );
        assert_eq!(code(&verify), 0, "{}{}", stdout(&verify), stderr(&verify));
    }
    // verify's JSON names each part the same in every language; only the details are translated.
    let parts = |lang: &str| -> Vec<(String, String)> {
        let out = equalize_env(
            &["verify", "--format", "json", path_str(&dir.path().join("en"))],
            &[("EQUALIZE_LANG", lang)],
        );
        let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["part"].to_string(), f["name"].to_string()))
            .collect()
    };
    assert_eq!(parts("en"), parts("zh"));
    // The CSV outputs are the same bytes in both languages.
    for file in ["allocations.csv", "audit.csv", "summary.json"] {
        assert_eq!(
            read(&dir.path().join("en").join(file)),
            read(&dir.path().join("zh").join(file)),
            "{file}"
        );
    }
}
