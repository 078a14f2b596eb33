//! Excel reports: `run --report xlsx` and `compare --out diff.xlsx`.
//!
//! Written with rust_xlsxwriter. Amounts on the allocations and differences sheets are
//! numbers (so they sum and sort in Excel), shown in the report's money unit with its
//! decimal places; Excel stores numbers as binary floating point, so the exact values
//! are kept as text on the audit sheet and in the CSV files beside the workbook. The
//! creation time is fixed, so the same run gives the same bytes.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::compare::Comparison;
use super::summary::Summary;
use crate::error::{Error, Result};
use crate::money;

fn fail(e: XlsxError) -> Error {
    Error::Internal(format!("writing the workbook: {e}"))
}

/// A workbook with fixed properties (the same run gives the same bytes); `title` names
/// the formula and scenario in the file's metadata.
fn workbook_titled(title: &str) -> Result<Workbook> {
    let mut book = Workbook::new();
    let fixed = ExcelDateTime::from_ymd(2000, 1, 1).map_err(fail)?;
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&fixed)
            .set_author("equalize")
            .set_title(title),
    );
    Ok(book)
}

fn workbook() -> Result<Workbook> {
    workbook_titled("")
}

/// A number for display; the exact value lives in the CSV and the audit sheet.
fn number(value: &str) -> Option<f64> /* float-ok: display only */ {
    money::parse_decimal(value).ok().and_then(|d: Decimal| d.to_f64()) // float-ok: display only
}

/// Does the float `n` hold exactly the decimal written as `value`? (Its shortest text reads
/// back as the same decimal.)
fn exact_as_float(value: &str, n: f64 /* float-ok: display check */) -> bool {
    match (money::parse_decimal(value), money::parse_decimal(&format!("{n}"))) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn number_format(places: u32) -> Format {
    let pattern = if places == 0 {
        "#,##0".to_string()
    } else {
        format!("#,##0.{}", "0".repeat(places as usize))
    };
    Format::new().set_num_format(pattern)
}

fn header(sheet: &mut Worksheet, columns: &[&str]) -> Result<()> {
    let bold = Format::new().set_bold();
    for (c, name) in columns.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *name, &bold)
            .map_err(fail)?;
    }
    Ok(())
}

/// A table sheet: a frozen bold header, an autofilter, numbers where a column is numeric.
fn table(
    book: &mut Workbook,
    name: &str,
    csv_bytes: &[u8],
    numeric_from: usize,
    as_text: bool,
    places: u32,
    labels: Option<&std::collections::BTreeMap<String, String>>,
) -> Result<()> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(csv_bytes);
    let columns: Vec<String> = reader
        .headers()
        .map_err(|e| Error::Internal(e.to_string()))?
        .iter()
        .map(String::from)
        .collect();
    let sheet = book.add_worksheet();
    sheet.set_name(name).map_err(fail)?;
    // Headings as the formula labels them (the CSV keeps the machine names).
    let headings: Vec<&str> = columns
        .iter()
        .map(|c| labels.and_then(|l| l.get(c)).map_or(c.as_str(), String::as_str))
        .collect();
    header(sheet, &headings)?;
    let format = number_format(places);
    let mut row = 0u32;
    for record in reader.records() {
        let record = record.map_err(|e| Error::Internal(e.to_string()))?;
        row += 1;
        for (c, value) in record.iter().enumerate() {
            let col = c as u16;
            match (c >= numeric_from && !as_text, number(value)) {
                (true, Some(n)) => sheet.write_number_with_format(row, col, n, &format).map_err(fail)?,
                // The audit sheet: a number where the float holds the exact value, else the
                // exact text (28 digits do not fit a float).
                (false, Some(n)) if as_text && c > 0 && exact_as_float(value, n) => {
                    sheet.write_number(row, col, n).map_err(fail)?
                }
                _ => sheet.write_string(row, col, value).map_err(fail)?,
            };
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(fail)?;
    if !columns.is_empty() {
        sheet
            .autofilter(0, 0, row.max(1), (columns.len() - 1) as u16)
            .map_err(fail)?;
    }
    for c in 0..columns.len() {
        sheet
            .set_column_width(c as u16, if c < numeric_from { 14 } else { 16 })
            .map_err(fail)?;
    }
    Ok(())
}

/// The run workbook: Summary, Allocations and Audit sheets.
/// Rows an Excel sheet holds, the header included.
const EXCEL_ROWS: usize = 1_048_576;

/// The published table (`report::published`) as the first sheet: a merged title and a
/// line naming scenario, formula, data and unit; bold headings repeated on every printed
/// page; amounts as numbers with thousands separators; subtotal and 合计 rows in bold; A4
/// landscape, fitted to the page width.
fn published_sheet(book: &mut Workbook, table: &super::published::Published, places: u32, name: &str) -> Result<()> {
    use super::published::{Cell, RowKind};
    let sheet = book.add_worksheet();
    sheet.set_name(name).map_err(fail)?;
    let width = table.columns.len().max(1) as u16;
    let title = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(rust_xlsxwriter::FormatAlign::Center);
    sheet
        .merge_range(0, 0, 0, width - 1, &table.title, &title)
        .map_err(fail)?;
    // The line under the title wraps, in a row tall enough for it (nothing is cut off).
    let note = Format::new()
        .set_italic()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    if width > 1 {
        sheet
            .merge_range(1, 0, 1, width - 1, &table.subtitle, &note)
            .map_err(fail)?;
    } else {
        sheet
            .write_string_with_format(1, 0, &table.subtitle, &note)
            .map_err(fail)?;
    }
    let widths: Vec<f64> = (0..table.columns.len()).map(|c| column_width(table, c)).collect(); // float-ok: layout
    let line_width: f64 = widths.iter().sum(); // float-ok: layout
    let lines = (display_width(&table.subtitle) / line_width.max(1.0)).ceil().max(1.0); // float-ok: layout
    sheet.set_row_height(1, 15.0 * lines + 3.0).map_err(fail)?;
    let heading = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
    for (c, column) in table.columns.iter().enumerate() {
        sheet
            .write_string_with_format(2, c as u16, &column.heading, &heading)
            .map_err(fail)?;
        sheet.set_column_width(c as u16, widths[c]).map_err(fail)?;
    }
    let amount = number_format(places);
    let percent = Format::new().set_num_format("0.00");
    let bold_amount = number_format(places).set_bold();
    let bold_percent = Format::new().set_num_format("0.00").set_bold();
    let bold = Format::new().set_bold();
    for (row, line) in (3u32..).zip(&table.rows) {
        let strong = line.kind != RowKind::Unit;
        for (c, cell) in line.cells.iter().enumerate() {
            let col = c as u16;
            match cell {
                Cell::Text(t) if strong => sheet.write_string_with_format(row, col, t, &bold),
                Cell::Text(t) => sheet.write_string(row, col, t),
                Cell::Amount(v) => {
                    let n = v.to_f64().unwrap_or_default(); // float-ok: display; exact in the CSV files
                    sheet.write_number_with_format(row, col, n, if strong { &bold_amount } else { &amount })
                }
                Cell::Percent(Some(v)) => {
                    let n = v.round_dp(4).to_f64().unwrap_or_default(); // float-ok: display only
                    sheet.write_number_with_format(row, col, n, if strong { &bold_percent } else { &percent })
                }
                Cell::Percent(None) | Cell::Empty => Ok(&mut *sheet),
            }
            .map_err(fail)?;
        }
    }
    sheet.set_freeze_panes(3, 0).map_err(fail)?;
    sheet.set_landscape();
    sheet.set_paper_size(9); // A4
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 2).map_err(fail)?;
    Ok(())
}

/// Characters of display width: a Chinese character takes two.
fn display_width(text: &str) -> f64 /* float-ok: layout */ {
    text.chars().map(|c| if c.is_ascii() { 1.0 } else { 2.0 }).sum() // float-ok: layout
}

/// A column wide enough for its longest text cell (names such as
/// 积石山保安族东乡族撒拉族自治县), at least as wide as an amount needs, at most 40.
fn column_width(table: &super::published::Published, index: usize) -> f64 /* float-ok: layout */ {
    use super::published::{Cell, ColumnKind};
    let widest = table
        .rows
        .iter()
        .filter_map(|r| match r.cells.get(index) {
            Some(Cell::Text(t)) => Some(display_width(t)),
            _ => None,
        })
        .fold(0.0, f64::max); // float-ok: layout
    let text = table.columns.get(index).is_some_and(|c| c.kind == ColumnKind::Text);
    let floor = if text { 8.0 } else { 14.0 };
    (widest + 2.0).clamp(floor, 40.0)
}

pub fn run(
    summary: &Summary,
    published: &super::published::Published,
    allocations: &[u8],
    audit: &[u8],
    places: u32,
    has_label: bool,
) -> Result<Vec<u8>> {
    if summary.units >= EXCEL_ROWS {
        return Err(Error::usage(format!(
            "report.xlsx cannot hold {} units: an Excel sheet has {EXCEL_ROWS} rows; leave out --report xlsx (allocations.csv and audit.csv hold every unit)",
            summary.units
        )));
    }
    let title = match &summary.scenario {
        Some(s) => format!("{} ({})", summary.formula, s.name),
        None => summary.formula.clone(),
    };
    let mut book = workbook_titled(&title)?;
    published_sheet(&mut book, published, places, "Table")?;
    {
        let sheet = book.add_worksheet();
        sheet.set_name("Summary").map_err(fail)?;
        let bold = Format::new().set_bold();
        let mut row = 0u32;
        let mut line = |sheet: &mut Worksheet, label: &str, value: &str| -> Result<()> {
            sheet.write_string_with_format(row, 0, label, &bold).map_err(fail)?;
            sheet.write_string(row, 1, value).map_err(fail)?;
            row += 1;
            Ok(())
        };
        line(sheet, "formula", &summary.formula)?;
        if let Some(scenario) = &summary.scenario {
            line(sheet, "scenario", &scenario.name)?;
            line(sheet, "scenario description", &scenario.description)?;
            line(sheet, "scenario file", &scenario.file)?;
        }
        line(sheet, "formula file", &summary.formula_file)?;
        line(sheet, "data", &summary.data)?;
        line(sheet, "data source", &summary.data_source)?;
        line(sheet, "money unit", &summary.unit)?;
        sheet.write_string_with_format(row, 0, "units", &bold).map_err(fail)?;
        sheet.write_number(row, 1, summary.units as f64).map_err(fail)?; // float-ok: a count
        row += 1;
        sheet.write_string_with_format(row, 0, "total", &bold).map_err(fail)?;
        match number(&summary.total) {
            Some(n) if exact_as_float(&summary.total, n) => sheet.write_number(row, 1, n).map_err(fail)?,
            _ => sheet.write_string(row, 1, &summary.total).map_err(fail)?,
        };
        row += 1;
        row += 1;
        let headings = ["stage", "pool", "k", "sum", "units at floor", "units at cap"];
        for (c, h) in headings.iter().enumerate() {
            sheet.write_string_with_format(row, c as u16, *h, &bold).map_err(fail)?;
        }
        for stage in &summary.stages {
            row += 1;
            sheet.write_string(row, 0, &stage.name).map_err(fail)?;
            let k = stage
                .k
                .clone()
                .unwrap_or_else(|| format!("{} groups", stage.groups.len()));
            for (c, value) in [&stage.pool, &k, &stage.sum].iter().enumerate() {
                match number(value) {
                    Some(n) => sheet.write_number(row, c as u16 + 1, n).map_err(fail)?,
                    None => sheet.write_string(row, c as u16 + 1, *value).map_err(fail)?,
                };
            }
            let counts = [stage.units_at_floor, stage.units_at_cap].map(|n| n as f64); // float-ok: counts
            sheet.write_number(row, 4, counts[0]).map_err(fail)?;
            sheet.write_number(row, 5, counts[1]).map_err(fail)?;
        }
        if let Some(m) = &summary.metrics {
            row += 2;
            sheet
                .write_string_with_format(row, 0, format!("{} per {}", m.capacity, m.population), &bold)
                .map_err(fail)?;
            sheet.write_string_with_format(row, 1, "before", &bold).map_err(fail)?;
            sheet.write_string_with_format(row, 2, "after", &bold).map_err(fail)?;
            let pairs = m.rows();
            for (name, before, after) in pairs {
                row += 1;
                sheet.write_string(row, 0, name.english()).map_err(fail)?;
                // An undefined metric (max / min over a zero) is left empty, not 0.
                for (col, value) in [(1, before), (2, after)] {
                    if let Some(n) = number(value) {
                        sheet.write_number(row, col, n).map_err(fail)?;
                    }
                }
            }
            row += 1;
            sheet
                .write_string(row, 0, "poorest fifth's share of the transfers")
                .map_err(fail)?;
            sheet
                .write_number(row, 1, number(&m.poorest_quintile_share).unwrap_or_default())
                .map_err(fail)?;
        }
        row += 2;
        sheet.write_string_with_format(row, 0, "param", &bold).map_err(fail)?;
        sheet.write_string_with_format(row, 1, "value", &bold).map_err(fail)?;
        for (name, value) in &summary.params {
            row += 1;
            sheet.write_string(row, 0, name).map_err(fail)?;
            match number(value) {
                Some(n) if exact_as_float(value, n) => sheet.write_number(row, 1, n).map_err(fail)?,
                _ => sheet.write_string(row, 1, value).map_err(fail)?,
            };
        }
        sheet.set_column_width(0, 34).map_err(fail)?;
        sheet.set_column_width(1, 22).map_err(fail)?;
        sheet.set_column_width(2, 22).map_err(fail)?;
    }
    table(
        &mut book,
        "Allocations",
        allocations,
        if has_label { 2 } else { 1 },
        false,
        places,
        Some(&summary.labels),
    )?;
    table(&mut book, "Audit", audit, usize::MAX, true, 0, Some(&summary.labels))?;
    book.save_to_buffer().map_err(fail)
}

/// The comparison workbook: a Summary sheet and the Differences sheet.
pub fn comparison(
    c: &Comparison,
    published: Option<&super::published::Published>,
    by_stage: Option<&[u8]>,
) -> Result<Vec<u8>> {
    let mut book = workbook()?;
    if let Some(published) = published {
        let whole = published.rows.iter().flat_map(|r| &r.cells).all(|cell| match cell {
            super::published::Cell::Amount(v) => v.fract().is_zero(),
            _ => true,
        });
        published_sheet(&mut book, published, if whole { 0 } else { 2 }, "Table")?;
    }
    {
        let sheet = book.add_worksheet();
        sheet.set_name("Summary").map_err(fail)?;
        let bold = Format::new().set_bold();
        let lines: Vec<(String, String)> = vec![
            ("A".into(), c.a.clone()),
            ("B".into(), c.b.clone()),
            ("money unit".into(), c.unit.clone()),
            ("units".into(), c.units.to_string()),
            ("gain".into(), c.winners.to_string()),
            ("lose".into(), c.losers.to_string()),
            ("unchanged".into(), c.unchanged.to_string()),
            ("total A".into(), c.total_a.clone()),
            ("total B".into(), c.total_b.clone()),
            ("total difference".into(), c.total_difference.clone()),
            ("sum of differences".into(), c.sum_of_differences.clone()),
        ];
        let mut row = 0u32;
        for (label, value) in lines {
            sheet.write_string_with_format(row, 0, label, &bold).map_err(fail)?;
            sheet.write_string(row, 1, value).map_err(fail)?;
            row += 1;
        }
        row += 1;
        for m in &c.metrics {
            sheet.write_string(row, 0, &m.metric).map_err(fail)?;
            sheet
                .write_number(row, 1, number(&m.a).unwrap_or_default())
                .map_err(fail)?;
            sheet
                .write_number(row, 2, number(&m.b).unwrap_or_default())
                .map_err(fail)?;
            row += 1;
        }
        sheet.set_column_width(0, 34).map_err(fail)?;
        sheet.set_column_width(1, 40).map_err(fail)?;
    }
    table(
        &mut book,
        "Differences",
        &super::compare::csv(c, true)?,
        2,
        false,
        2,
        None,
    )?;
    if let Some(csv) = by_stage {
        table(&mut book, "By stage", csv, 2, false, 2, None)?;
    }
    book.save_to_buffer().map_err(fail)
}

/// A baseline and several scenarios: a Table sheet (the units grouped as the base run's
/// published table, with subtotals, 合计, and each scenario's amount and change), a Scenarios sheet (per scenario its name, total,
/// change, gainers, losers and metrics, as numbers) and a Units sheet (every unit with the
/// baseline, then each scenario's amount and difference).
pub fn comparison_many(m: &super::compare_many::Many) -> Result<Vec<u8>> {
    let mut book = workbook()?;
    // Whole amounts (万元 rounded to 1) are shown without decimals.
    let whole = m
        .rows
        .iter()
        .all(|r| !r.base.contains('.') && r.amounts.iter().chain(&r.differences).all(|a| !a.contains('.')));
    published_sheet(
        &mut book,
        &super::compare_many::published(m),
        if whole { 0 } else { 2 },
        "Table",
    )?;
    {
        let sheet = book.add_worksheet();
        sheet.set_name("Scenarios").map_err(fail)?;
        let bold = Format::new().set_bold();
        sheet.write_string_with_format(0, 0, "base", &bold).map_err(fail)?;
        sheet.write_string(0, 1, &m.base).map_err(fail)?;
        sheet
            .write_string_with_format(1, 0, "money unit", &bold)
            .map_err(fail)?;
        sheet.write_string(1, 1, &m.unit).map_err(fail)?;
        let mut headings: Vec<String> = ["", "scenario", "total", "change", "gain", "lose", "unchanged"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        if let Some(first) = m.against_base.first() {
            headings.extend(first.metrics.iter().map(|x| x.metric.clone()));
        }
        for (c, h) in headings.iter().enumerate() {
            sheet.write_string_with_format(3, c as u16, h, &bold).map_err(fail)?;
        }
        let amount = number_format(2);
        for (i, c) in m.against_base.iter().enumerate() {
            let row = 4 + i as u32;
            sheet.write_string(row, 0, format!("S{}", i + 1)).map_err(fail)?;
            sheet.write_string(row, 1, &c.b).map_err(fail)?;
            for (col, value) in [(2, &c.total_b), (3, &c.total_difference)] {
                match number(value) {
                    Some(n) => sheet.write_number_with_format(row, col, n, &amount).map_err(fail)?,
                    None => sheet.write_string(row, col, value).map_err(fail)?,
                };
            }
            for (col, n) in [(4, c.winners), (5, c.losers), (6, c.unchanged)] {
                sheet.write_number(row, col, n as f64).map_err(fail)?; // float-ok: counts
            }
            for (j, metric) in c.metrics.iter().enumerate() {
                sheet
                    .write_number(row, 7 + j as u16, number(&metric.b).unwrap_or_default())
                    .map_err(fail)?;
            }
        }
        sheet.set_column_width(1, 40).map_err(fail)?;
    }
    table(
        &mut book,
        "Units",
        &super::compare_many::csv(m, true)?,
        2,
        false,
        2,
        None,
    )?;
    book.save_to_buffer().map_err(fail)
}

#[cfg(test)]
mod row_limit_tests {
    use super::*;

    #[test]
    fn more_units_than_an_excel_sheet_has_rows_is_a_user_error() {
        let summary = Summary {
            formula: "f".into(),
            formula_file: "f.toml".into(),
            data: "d".into(),
            data_files: Vec::new(),
            data_source: String::new(),
            rows_left_out: Vec::new(),
            scenario: None,
            formula_unit: String::new(),
            labels: Default::default(),
            report: None,
            units: EXCEL_ROWS,
            key: "k".into(),
            label_column: None,
            csv_label_row: false,
            unit: "1".into(),
            params: Default::default(),
            stages: Vec::new(),
            total: "0".into(),
            metrics: None,
        };
        let published = super::super::published::Published {
            title: String::new(),
            subtitle: String::new(),
            columns: Vec::new(),
            rows: Vec::new(),
        };
        let err = run(&summary, &published, b"", b"", 0, false).err().unwrap();
        assert_eq!(err.exit_code(), crate::error::exit::BAD_INPUT);
        assert!(err.to_string().contains("an Excel sheet has 1048576 rows"), "{err}");
    }
}
