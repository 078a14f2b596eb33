//! Hostile files of issue 13: each ends in exit 1 or 2 (or a safe result) with a short
//! message, never a panic, an abort, a hang, raw control characters or a silent wrong
//! amount. docs/reliability.md has the table these tests stand behind.

use crate::common::*;

/// Every message stays short: no echo of a huge line or a megabyte cycle.
fn short(output: &std::process::Output) -> String {
    let text = stderr(output);
    assert!(text.len() < 4096, "{} bytes of stderr", text.len());
    text
}

fn hand_with_data(dir: &std::path::Path, csv: &str) -> std::path::PathBuf {
    let data = dir.join("d.csv");
    std::fs::write(&data, csv).unwrap();
    data
}

#[test]
fn escape_sequences_in_keys_and_labels_never_reach_the_terminal_raw() {
    let dir = out_dir();
    let data = hand_with_data(
        dir.path(),
        "code,name,need,revenue\nA,\u{1b}]0;owned\u{7}Alpha,50,20\nB,Beta\u{1b}[2J,100,x\n",
    );
    let output = equalize(&["check", "--set", "pool=50", "-f", HAND_FORMULA, "-d", path_str(&data)]);
    assert_eq!(code(&output), 2);
    let text = short(&output);
    assert!(text.contains("'x' is not a number"), "{text}");
    assert!(!text.contains('\u{1b}'), "{text:?}");
    let ok = hand_with_data(
        dir.path(),
        "code,name,need,revenue\nA,\u{1b}]0;owned\u{7}Alpha,50,20\nB,Beta,100,40\n",
    );
    let output = equalize(&[
        "explain",
        "A",
        "--set",
        "pool=50",
        "-f",
        HAND_FORMULA,
        "-d",
        path_str(&ok),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(!stdout(&output).contains('\u{1b}'), "{:?}", stdout(&output));
    assert!(
        stdout(&output).contains("\\u{1b}]0;owned\\u{7}Alpha"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn keys_that_a_spreadsheet_would_run_are_neutralised_in_csv_outputs() {
    let dir = out_dir();
    let data = hand_with_data(
        dir.path(),
        "code,name,need,revenue\n=HYPERLINK(\"x\"),@SUM(A1),50,20\n+cmd,-2,100,40\n-5,Minus,30,40\n",
    );
    let out = dir.path().join("out");
    let output = equalize(&[
        "run",
        "-q",
        "--set",
        "pool=50",
        "-f",
        HAND_FORMULA,
        "-d",
        path_str(&data),
        "--out",
        path_str(&out),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let allocations = read(&out.join("allocations.csv"));
    assert!(
        allocations.contains("\"'=HYPERLINK(\"\"x\"\")\",'@SUM(A1)"),
        "{allocations}"
    );
    assert!(
        allocations.contains("'+cmd,-2,"),
        "a number is left as it is: {allocations}"
    );
    assert!(allocations.contains("\n-5,Minus,"), "{allocations}");
    assert!(read(&out.join("audit.csv")).contains("'+cmd"));
    // --csv-raw writes them as they are, and verify re-renders the same way.
    let raw = dir.path().join("raw");
    let output = equalize(&[
        "run",
        "-q",
        "--csv-raw",
        "--set",
        "pool=50",
        "-f",
        HAND_FORMULA,
        "-d",
        path_str(&data),
        "--out",
        path_str(&raw),
    ]);
    assert_eq!(code(&output), 0);
    assert!(read(&raw.join("allocations.csv")).contains("\n+cmd,-2,"));
    assert_eq!(code(&equalize(&["verify", path_str(&raw), "--allow-outside"])), 0);
}

#[test]
fn names_that_look_alike_are_refused() {
    let dir = out_dir();
    let formula = dir.path().join("f.toml");
    // "nеed" with a Cyrillic е as a var, beside the input "need".
    std::fs::write(
        &formula,
        read(&root().join(HAND_FORMULA)).replace("[vars]\n", "[vars]\n\"n\u{435}ed\" = \"need * 2\"\n"),
    )
    .unwrap();
    let output = equalize(&["check", "-f", path_str(&formula), "-d", HAND_DATA]);
    assert_eq!(code(&output), 2);
    let text = short(&output);
    assert!(text.contains("var 'n\u{435}ed' is not a valid name"), "{text}");
    // Keys that differ only by an invisible character.
    let data = hand_with_data(
        dir.path(),
        "code,name,need,revenue\nA,Alpha,50,20\nA\u{200b},Beta,100,40\n",
    );
    let output = equalize(&["check", "-f", HAND_FORMULA, "-d", path_str(&data)]);
    assert_eq!(code(&output), 2);
    assert!(short(&output).contains("holds an invisible or control character (U+200B)"));
}

#[test]
fn a_deep_chain_of_vars_is_refused_and_a_huge_cycle_is_named_in_short() {
    let dir = out_dir();
    let mut vars = String::from("v0 = \"need\"\n");
    for i in 1..5000 {
        vars.push_str(&format!("v{i} = \"v{} + 1\"\n", i - 1));
    }
    let formula = dir.path().join("deep.toml");
    std::fs::write(
        &formula,
        read(&root().join(HAND_FORMULA)).replace("[vars]\n", &format!("[vars]\n{vars}")),
    )
    .unwrap();
    let output = equalize(&[
        "run",
        "--trace",
        "-f",
        path_str(&formula),
        "-d",
        HAND_DATA,
        "--out",
        path_str(&dir.path().join("o")),
    ]);
    assert_eq!(code(&output), 2);
    assert!(short(&output).contains("a chain of 201 definitions, each using the one before; the limit is 200"));
    let cycle = vars.replace("v0 = \"need\"", "v0 = \"v4999\"");
    std::fs::write(
        &formula,
        read(&root().join(HAND_FORMULA)).replace("[vars]\n", &format!("[vars]\n{cycle}")),
    )
    .unwrap();
    let output = equalize(&["check", "-f", path_str(&formula), "-d", HAND_DATA]);
    assert_eq!(code(&output), 2);
    assert!(short(&output).contains("circular definition of 5000 names: "));
}

#[test]
fn a_very_long_line_is_shown_around_the_error_only() {
    let dir = out_dir();
    let wide = format!(
        "code,name,need,revenue,{}\nA,Alpha,5x0,20,{}\n",
        "pad,".repeat(50_000).trim_end_matches(','),
        "1,".repeat(50_000).trim_end_matches(',')
    );
    let data = hand_with_data(dir.path(), &wide);
    let output = equalize(&["check", "-f", HAND_FORMULA, "-d", path_str(&data)]);
    assert_eq!(code(&output), 2);
    let text = short(&output);
    assert!(text.contains("'5x0' is not a number"), "{text}");
}

#[test]
fn overflowing_draws_and_conversions_are_errors_not_panics_or_wrong_amounts() {
    let dir = out_dir();
    let sweep = dir.path().join("s.toml");
    std::fs::write(
        &sweep,
        format!(
            "[sweep]\nformula = \"{}\"\ndata = \"{}\"\n[montecarlo]\ndraws = 3\nseed = 1\n\
             [montecarlo.params]\npool = {{ dist = \"normal\", mean = \"79228162514264337593543950335\", sd = \"79228162514264337593543950335\" }}\n",
            root().join(HAND_FORMULA).display(),
            root().join(HAND_DATA).display()
        ),
    )
    .unwrap();
    let out = dir.path().join("o");
    let output = equalize(&["sweep", "-q", path_str(&sweep), "--out", path_str(&out)]);
    // Scenarios that could not be computed are written, and fail the sweep (exit 2), unlike
    // infeasible ones.
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(short(&output).contains("3 of 3 scenarios could not be computed (status error)"));
    let rows = csv_rows(&out.join("scenarios.csv"));
    assert!(
        rows[1..]
            .iter()
            .all(|r| r[2] == "error" && r[3].contains("overflows 28 digits")),
        "{rows:?}"
    );
    // A triangular draw with low = mode = high is refused where it is written.
    std::fs::write(
        &sweep,
        read(&sweep).replace(
            "pool = { dist = \"normal\", mean = \"79228162514264337593543950335\", sd = \"79228162514264337593543950335\" }",
            "pool = { dist = \"triangular\", low = \"5\", mode = \"5\", high = \"5\" }",
        ),
    )
    .unwrap();
    let output = equalize(&["sweep", "-q", path_str(&sweep), "--out", path_str(&out)]);
    assert_eq!(code(&output), 2);
    assert!(short(&output).contains("needs low <= mode <= high, with low below high"));
    // A money unit conversion that would overflow is an error, not a mix of units.
    let formula = dir.path().join("u.toml");
    std::fs::write(
        &formula,
        read(&root().join(HAND_FORMULA))
            .replace(
                "label = \"name\"",
                "label = \"name\"\nunit = \"1e20\"\noutput_unit = \"1\"",
            )
            .replace("pool = \"100\"", "pool = \"1000000000\"")
            .replace("cap = \"gap\"\n", ""),
    )
    .unwrap();
    let output = equalize(&[
        "run",
        "-f",
        path_str(&formula),
        "-d",
        HAND_DATA,
        "--out",
        path_str(&dir.path().join("u")),
    ]);
    assert_eq!(code(&output), 2, "{}", stdout(&output));
    assert!(
        short(&output).contains("cannot be written exactly in the output unit 1"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn absurd_thread_counts_are_usage_errors() {
    let output = equalize(&["-j", "100000", "formulas"]);
    assert_eq!(code(&output), 2);
    assert!(short(&output).contains("--jobs 100000 is more than the 1024 threads equalize starts"));
}

#[test]
fn nothing_is_silently_normalised() {
    let dir = out_dir();
    // A repeated --set.
    let output = equalize(&["check", "--set", "pool=1", "--set", "pool=2"]);
    assert_eq!(code(&output), 2);
    assert!(short(&output).contains("param 'pool' is set twice (1 and 2); set it once"));
    // A test case that checks nothing.
    std::fs::copy(root().join(HAND_FORMULA), dir.path().join("formula.toml")).unwrap();
    let test = dir.path().join("formula.test.toml");
    std::fs::write(
        &test,
        "[[case]]\nname = \"empty\"\n[[case.unit]]\ncode = \"A\"\nneed = \"1\"\nrevenue = \"0\"\n",
    )
    .unwrap();
    let output = equalize(&["test", path_str(&test)]);
    assert_eq!(code(&output), 2);
    assert!(short(&output).contains("test case 'empty' checks nothing"));
    // A sheet named on a CSV.
    let output = equalize(&["check", "-f", HAND_FORMULA, "-d", &format!("{HAND_DATA}#Sheet9")]);
    assert_eq!(code(&output), 2);
    assert!(short(&output).contains("'#Sheet9' names a sheet, but tests/fixtures/hand/data.csv is not a workbook"));
    // A key column twice in the header.
    let data = hand_with_data(
        dir.path(),
        "code,name,need,revenue,code\nA,Alpha,50,20,B\nB,Beta,100,40,A\n",
    );
    let output = equalize(&["check", "-f", HAND_FORMULA, "-d", path_str(&data)]);
    assert_eq!(code(&output), 2);
    assert!(short(&output).contains("the key column 'code' appears 2 times in the header"));
    // Seeds and draw counts that are not whole numbers in range, a step below the precision.
    let sweep = dir.path().join("s.toml");
    std::fs::write(
        &sweep,
        format!(
            "[sweep]\nformula = \"{}\"\ndata = \"{}\"\n[grid]\npool = {{ from = \"100\", to = \"101\", step = \"0.0000000000000000000000000001\" }}\n\
             [montecarlo]\ndraws = 2.9\nseed = -1\n",
            root().join(HAND_FORMULA).display(),
            root().join(HAND_DATA).display()
        ),
    )
    .unwrap();
    let output = equalize(&["sweep", path_str(&sweep), "--out", path_str(&dir.path().join("o"))]);
    assert_eq!(code(&output), 2);
    let text = short(&output);
    assert!(text.contains("montecarlo.draws must be a whole number"), "{text}");
    assert!(text.contains("montecarlo.seed must be a whole number"), "{text}");
    assert!(
        text.contains("is below the precision of 28 significant digits"),
        "{text}"
    );
}

#[test]
fn encodings_are_named_for_what_they_are() {
    let dir = out_dir();
    // UTF-16LE without a byte-order mark.
    let text = "code,name,need,revenue\nA,Alpha,50,20\n";
    let utf16: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let path = dir.path().join("u16.csv");
    std::fs::write(&path, utf16).unwrap();
    let output = equalize(&["check", "-f", HAND_FORMULA, "-d", path_str(&path)]);
    assert_eq!(code(&output), 2);
    assert!(
        short(&output).contains("looks like UTF-16LE text without a byte-order mark"),
        "{}",
        stderr(&output)
    );
    // A UTF-8 file with one bad byte far down is reported where the byte is.
    let mut bytes = String::from("code,name,need,revenue\n");
    for i in 0..100 {
        bytes.push_str(&format!("K{i},县{i},50,20\n"));
    }
    let mut bytes = bytes.into_bytes();
    bytes.extend_from_slice(b"K100,\xff,50,20\n");
    let path = dir.path().join("bad.csv");
    std::fs::write(&path, bytes).unwrap();
    let output = equalize(&["check", "-f", HAND_FORMULA, "-d", path_str(&path)]);
    assert_eq!(code(&output), 2);
    assert!(
        short(&output).contains("is not valid UTF-8: bad byte 0xFF"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("(line 102)"), "{}", stderr(&output));
}

/// A zip with the given parts, named like a workbook.
fn workbook(dir: &std::path::Path, name: &str, parts: &[(&str, &str)]) -> std::path::PathBuf {
    use std::io::Write;
    let path = dir.join(name);
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    for (part, text) in parts {
        writer.start_file(*part, options).unwrap();
        writer.write_all(text.as_bytes()).unwrap();
    }
    writer.finish().unwrap();
    path
}

/// Peak memory of a command in KiB, when /usr/bin/time can tell.
fn peak_kib(args: &[&str]) -> Option<(std::process::Output, u64)> {
    let time = std::path::Path::new("/usr/bin/time");
    if !time.exists() {
        return None;
    }
    let output = std::process::Command::new(time)
        .args(["-f", "%M"])
        .arg(env!("CARGO_BIN_EXE_equalize"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    let peak = stderr(&output).trim().lines().last()?.trim().parse().ok()?;
    Some((output, peak))
}

/// A BIFF8 workbook stream: globals naming one sheet, then the sheet's substream with
/// `dimensions` (first row, end row, first column, end column) and NUMBER cells.
fn xls_of(dimensions: (u32, u32, u16, u16), cells: &[(u16, u16)]) -> Vec<u8> {
    let (r0, r1, c0, c1) = dimensions;
    let dims = [
        &r0.to_le_bytes()[..],
        &r1.to_le_bytes(),
        &c0.to_le_bytes(),
        &c1.to_le_bytes(),
        &[0, 0],
    ]
    .concat();
    let mut records = vec![(0x0200, dims)];
    records.extend(cells.iter().map(|&(row, column)| (0x0203, number_record(row, column))));
    xls_with(&records)
}

fn number_record(row: u16, column: u16) -> Vec<u8> {
    [
        &row.to_le_bytes()[..],
        &column.to_le_bytes(),
        &[0, 0],
        &1f64.to_le_bytes(),
    ]
    .concat()
}

/// A BIFF8 workbook stream in a compound file: globals naming one sheet, then the sheet's
/// substream (BOF, `records`, EOF).
fn xls_with(records: &[(u16, Vec<u8>)]) -> Vec<u8> {
    fn record(out: &mut Vec<u8>, kind: u16, body: &[u8]) {
        out.extend(kind.to_le_bytes());
        out.extend((body.len() as u16).to_le_bytes());
        out.extend(body);
    }
    let bof = |kind: u16| [&0x0600u16.to_le_bytes()[..], &kind.to_le_bytes(), &[0; 12]].concat();
    let mut globals = Vec::new();
    record(&mut globals, 0x0809, &bof(0x0005));
    let boundsheet_at = globals.len();
    record(&mut globals, 0x0085, &[0, 0, 0, 0, 0, 0, 1, 0, b'S']);
    record(&mut globals, 0x000A, &[]);
    let sheet_at = globals.len() as u32;
    globals[boundsheet_at + 4..boundsheet_at + 8].copy_from_slice(&sheet_at.to_le_bytes());
    record(&mut globals, 0x0809, &bof(0x0010));
    for (kind, body) in records {
        record(&mut globals, *kind, body);
    }
    record(&mut globals, 0x000A, &[]);
    let mut compound = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    std::io::Write::write_all(&mut compound.create_stream("/Workbook").unwrap(), &globals).unwrap();
    compound.flush().unwrap();
    compound.into_inner().into_inner()
}

/// Workbook bombs of a few hundred bytes: each is refused with the limit it breaks, in
/// little memory (each once aborted or took gigabytes).
#[test]
fn workbook_bombs_are_refused_in_bounded_memory() {
    let dir = out_dir();
    let bombs = [
        (
            workbook(
                dir.path(),
                "corners.xlsx",
                &[(
                    "xl/worksheets/sheet1.xml",
                    r#"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row></sheetData></worksheet>"#,
                )],
            ),
            "spans 1048576 rows by 16384 columns",
        ),
        (
            workbook(
                dir.path(),
                "strings.xlsx",
                &[(
                    "xl/sharedStrings.xml",
                    r#"<sst uniqueCount="18446744073709551615"><si><t>a</t></si></sst>"#,
                )],
            ),
            "declares uniqueCount 18446744073709551615 shared strings",
        ),
        (
            workbook(
                dir.path(),
                "repeat.ods",
                &[(
                    "content.xml",
                    r#"<table:table><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="1024" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table>"#,
                )],
            ),
            "spans 1048576 rows by 1024 columns",
        ),
        (
            {
                let path = dir.path().join("corners.xls");
                std::fs::write(&path, xls_of((0, 1, 0, 1), &[(0, 0), (65535, 65535)])).unwrap();
                path
            },
            "sheet 1 spans 65536 rows by 65536 columns",
        ),
        (
            {
                let path = dir.path().join("declared.xls");
                std::fs::write(&path, xls_of((0, u32::MAX, 0, 255), &[(0, 0)])).unwrap();
                path
            },
            "sheet 1 spans 4294967295 rows by 255 columns",
        ),
        (
            // A first row past the last: the reader's row count wraps around.
            {
                let path = dir.path().join("inverted.xls");
                let dims = [
                    &2u32.to_le_bytes()[..],
                    &1u32.to_le_bytes(),
                    &0u16.to_le_bytes(),
                    &1u16.to_le_bytes(),
                    &[0, 0],
                ]
                .concat();
                std::fs::write(&path, xls_with(&[(0x0200, dims), (0x0203, number_record(0, 0))])).unwrap();
                path
            },
            "sheet 1 spans 4294967295 rows by 1 columns",
        ),
        (
            // A chart's substream between the sheet's cells does not end the sheet.
            {
                let path = dir.path().join("chart.xls");
                let bof = [&0x0600u16.to_le_bytes()[..], &0x0020u16.to_le_bytes(), &[0; 12]].concat();
                let records = [
                    (0x0203, number_record(0, 0)),
                    (0x0809, bof),
                    (0x000A, Vec::new()),
                    (0x0203, number_record(65535, 65535)),
                ];
                std::fs::write(&path, xls_with(&records)).unwrap();
                path
            },
            "sheet 1 spans 65536 rows by 65536 columns",
        ),
    ];
    for (path, expected) in bombs {
        let args = ["check", "-f", HAND_FORMULA, "-d", path_str(&path)];
        match peak_kib(&args) {
            Some((output, peak)) => {
                assert_eq!(code(&output), 2, "{}", stderr(&output));
                assert!(stderr(&output).contains(expected), "{}", stderr(&output));
                assert!(peak < 200_000, "{} took {peak} KiB", path.display());
            }
            None => {
                let output = equalize(&args);
                assert_eq!(code(&output), 2);
                assert!(short(&output).contains(expected), "{}", stderr(&output));
            }
        }
    }
}

#[test]
fn a_number_beyond_28_digits_in_a_workbook_is_named_as_such() {
    let dir = out_dir();
    let path = dir.path().join("huge.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["code", "name", "need", "revenue"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "A").unwrap();
    sheet.write_string(1, 1, "Alpha").unwrap();
    sheet.write_number(1, 2, 1e300).unwrap();
    sheet.write_number(1, 3, 20).unwrap();
    book.save(&path).unwrap();
    let output = equalize(&["check", "-f", HAND_FORMULA, "-d", path_str(&path)]);
    assert_eq!(code(&output), 2);
    assert!(
        short(&output).contains("the number 1e300 is out of range: numbers must fit in 28 significant digits"),
        "{}",
        stderr(&output)
    );
}

/// A floor that is not a multiple of the rounding unit cannot always be kept: with a pool of
/// 50 all four units sit at their floor of 12.5, and whole amounts adding up to 50 put two
/// of them at 12. The run says so, naming the stage, a unit and the rounding unit.
#[test]
fn a_bound_missed_by_rounding_is_warned_about() {
    let dir = out_dir();
    let formula = dir.path().join("f.toml");
    std::fs::write(
        &formula,
        read(&root().join(HAND_FORMULA)).replace("cap = \"gap\"\nround = \"1\"", "floor = \"12.5\"\nround = \"1\""),
    )
    .unwrap();
    let output = equalize(&["check", "--set", "pool=50", "-f", path_str(&formula), "-d", HAND_DATA]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = short(&output);
    assert!(text.contains("warning: stage 'grant': rounding to 1 leaves"), "{text}");
    assert!(text.contains("below their floor"), "{text}");
}

/// Options that cannot apply to the data given are mistakes, not no-ops.
#[test]
fn options_that_cannot_apply_are_refused() {
    let output = equalize(&["check", "-f", HAND_FORMULA, "-d", HAND_DATA, "--sheet", "Sheet1"]);
    assert_eq!(code(&output), 2);
    assert!(short(&output).contains("--sheet applies to workbooks given with --data, and none is given"));
    let output = equalize(&["check", "--formula", "demo", "-d", "datasets/demo", "--encoding", "gbk"]);
    assert_eq!(code(&output), 2);
    assert!(short(&output).contains("--encoding applies to CSV files given with --data, and none is given"));
    let dir = out_dir();
    std::fs::copy(root().join(HAND_DATA), dir.path().join("data.csv")).unwrap();
    std::fs::write(
        dir.path().join("dataset.toml"),
        "[dataset]\nname = \"x\"\n[[table]]\nfile = \"data.csv\"\nsheet = \"S\"\n",
    )
    .unwrap();
    let output = equalize(&["check", "-f", HAND_FORMULA, "-d", path_str(dir.path())]);
    assert_eq!(code(&output), 2);
    let text = short(&output);
    assert!(
        text.contains("dataset.toml:4:8: error: sheet = \"S\" names a sheet, but data.csv is not a workbook"),
        "{text}"
    );
}

#[test]
fn a_rename_of_a_column_that_is_not_there_is_refused() {
    let dir = out_dir();
    std::fs::copy(root().join(HAND_DATA), dir.path().join("data.csv")).unwrap();
    std::fs::write(
        dir.path().join("dataset.toml"),
        "[dataset]\nname = \"x\"\n[[table]]\nfile = \"data.csv\"\ncolumns = { \"neede\" = \"need\" }\n",
    )
    .unwrap();
    let output = equalize(&["check", "-f", HAND_FORMULA, "-d", path_str(dir.path())]);
    assert_eq!(code(&output), 2);
    let text = short(&output);
    assert!(
        text.contains("dataset.toml renames the column 'neede', but the table has no such column"),
        "{text}"
    );
    assert!(text.contains("did you mean 'need'?"), "{text}");
}

/// A large CSV is held once: its text, then 16 bytes per number read and one copy of each
/// key. A 15 MB file with a key and one number column (250,000 rows) is checked in under
/// 5.5 times its size beyond the program's own memory (the peak of the same check on a
/// two-row file, which is code and libraries, not data; docs/reliability.md). It took 6 times its size when the decoded text
/// was a second copy of the file's bytes and the duplicate-key index a second copy of
/// every key.
#[test]
fn a_large_csv_is_read_in_memory_proportional_to_its_size() {
    use std::io::Write;
    let dir = out_dir();
    let formula = dir.path().join("keyed.toml");
    std::fs::write(
        &formula,
        "[formula]\nname = \"keyed\"\nkey = \"code\"\n[inputs.population]\n[params]\npool = \"1000\"\n\
         [[allocation]]\nname = \"a\"\npool = \"pool\"\nweight = \"population\"\n",
    )
    .unwrap();
    let data = dir.path().join("large.csv");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&data).unwrap());
        writeln!(out, "code,name,population,area,revenue,teachers,beds,last_year").unwrap();
        for i in 0..250_000u64 {
            let p = 10_000 + (i * 7_919) % 890_000;
            writeln!(
                out,
                "{},县{i},{p},{},{},{}.{},{}.{},{}",
                1_000_000 + i,
                100 + i % 8_900,
                p * 6_151,
                i % 5,
                i % 10,
                i % 3,
                i % 100,
                p * 743
            )
            .unwrap();
        }
    }
    let size = std::fs::metadata(&data).unwrap().len();
    let small = dir.path().join("small.csv");
    std::fs::write(
        &small,
        "code,name,population,area,revenue,teachers,beds,last_year\n1,a,10,1,1,0,0,1\n2,b,20,1,1,0,0,1\n",
    )
    .unwrap();
    let args = ["check", "-f", path_str(&formula), "-d", path_str(&data)];
    let (Some((output, peak)), Some((_, program))) = (
        peak_kib(&args),
        peak_kib(&["check", "-f", path_str(&formula), "-d", path_str(&small)]),
    ) else {
        return; // no way to read the peak memory here
    };
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let ratio = (peak.saturating_sub(program) * 1024) as f64 / size as f64;
    assert!(
        ratio < 5.5,
        "peak {peak} KiB ({program} KiB for two rows) for a {size}-byte CSV: {ratio:.2} times its size"
    );
}

/// audit.csv streams to its file a batch of rows at a time: a run's peak memory does not
/// hold the audit file (a million-unit audit file is a quarter of a gigabyte). Measured on
/// 200,000 units: 232 MiB when the file was rendered in memory (4.6 times its size), 135 MiB
/// streamed (2.7 times).
#[test]
fn the_audit_file_streams_instead_of_being_held_in_memory() {
    use std::io::Write;
    let dir = out_dir();
    let data = dir.path().join("units.csv");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&data).unwrap());
        writeln!(
            out,
            "county_code,county_name,population,area_km2,revenue,teacher_gap,bed_gap,last_year"
        )
        .unwrap();
        for i in 0..200_000u64 {
            let p = 30_000 + (i * 7_919) % 1_470_000;
            writeln!(
                out,
                "{i:08},County {i},{p},{},{},{}.{},{}.{:02},{}",
                300 + i % 19_700,
                p * (800 + i % 11_200),
                i % 8,
                i % 10,
                i % 3,
                i % 100,
                (p * (100 + i % 400) / 10_000) * 10_000
            )
            .unwrap();
        }
    }
    let out = dir.path().join("out");
    let args = [
        "run",
        "-q",
        "--no-warnings",
        "-f",
        "formulas/demo.toml",
        "-d",
        path_str(&data),
        "--set",
        "pool=40000000000000",
        "--set",
        "growth.floor=0.5",
        "--set",
        "growth.cap=3",
        "--out",
        path_str(&out),
    ];
    let Some((output, peak)) = peak_kib(&args) else {
        return; // no way to read the peak memory here
    };
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let audit = std::fs::metadata(out.join("audit.csv")).unwrap().len();
    let ratio = (peak * 1024) as f64 / audit as f64;
    assert!(
        ratio < 3.5,
        "peak {peak} KiB with a {audit}-byte audit.csv: {ratio:.2} times its size"
    );
}
