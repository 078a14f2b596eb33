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
        "：2943 个单位",
        "公式",
        "资金总额",
        "系数 k",
        "触及下限",
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
