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
use super::ReportOptions;
use crate::error::{Error, Result};
use crate::i18n::{text_in, Lang};
use crate::money;

/// A fixed heading of the workbook in its language.
fn w(lang: Lang, id: &str) -> String {
    text_in(lang, id, &[])
}

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

/// Amounts with thousands separators to `places` decimals; in a Chinese workbook, as
/// Chinese finance tables show them, a negative amount in red (the value is the same).
fn number_format(places: u32, lang: Lang) -> Format {
    let pattern = if places == 0 {
        "#,##0".to_string()
    } else {
        format!("#,##0.{}", "0".repeat(places as usize))
    };
    match lang {
        Lang::En => Format::new().set_num_format(pattern),
        Lang::Zh => Format::new().set_num_format(format!("{pattern};[Red]-{pattern}")),
    }
}

/// Which columns of a table sheet have fixed names the workbook's language renders.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fixed {
    /// A run's table: the formula's names, and `total`.
    Run,
    /// A comparison's table: key, label, a, b, difference, percent, base, sN, and
    /// per stage `<stage>_a`, `<stage>_b`, `<stage>_difference`.
    Comparison,
}

/// A column's heading: the formula's label where it gives one, else the column's fixed
/// name in `lang` (English keeps the CSV's name), else the name as it is.
fn column_heading(
    lang: Lang,
    fixed: Fixed,
    column: &str,
    labels: Option<&std::collections::BTreeMap<String, String>>,
) -> String {
    if let Some(label) = labels.and_then(|l| l.get(column)) {
        return label.clone();
    }
    if lang == Lang::En {
        return column.to_string();
    }
    let id = match (fixed, column) {
        (_, "total") => Some("xlsx-column-total"),
        (Fixed::Comparison, "key") => Some("xlsx-column-key"),
        (Fixed::Comparison, "label") => Some("xlsx-column-label"),
        (Fixed::Comparison, "a") => Some("xlsx-column-a"),
        (Fixed::Comparison, "b") => Some("xlsx-column-b"),
        (Fixed::Comparison, "difference") => Some("xlsx-column-difference"),
        (Fixed::Comparison, "percent") => Some("xlsx-column-percent"),
        (Fixed::Comparison, "base") => Some("xlsx-column-base"),
        _ => None,
    };
    if let Some(id) = id {
        return w(lang, id);
    }
    if fixed == Fixed::Comparison {
        // sN and sN_difference (a scenario against the base).
        if let Some(n) = column.strip_prefix('s') {
            let (n, difference) = match n.strip_suffix("_difference") {
                Some(n) => (n, true),
                None => (n, false),
            };
            if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
                let id = if difference {
                    "xlsx-column-scenario-difference"
                } else {
                    "xlsx-column-scenario"
                };
                return text_in(lang, id, crate::args![n = n]);
            }
        }
        // <stage>_a, <stage>_b, <stage>_difference (total_a... included).
        for (suffix, id) in [
            ("_difference", "xlsx-column-stage-difference"),
            ("_a", "xlsx-column-stage-a"),
            ("_b", "xlsx-column-stage-b"),
        ] {
            if let Some(stage) = column.strip_suffix(suffix) {
                let stage = match stage {
                    "total" => w(lang, "xlsx-column-total"),
                    _ => labels
                        .and_then(|l| l.get(stage))
                        .cloned()
                        .unwrap_or_else(|| stage.to_string()),
                };
                return text_in(lang, id, crate::args![stage = stage]);
            }
        }
    }
    column.to_string()
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
#[allow(clippy::too_many_arguments)]
fn table(
    book: &mut Workbook,
    name: &str,
    csv_bytes: &[u8],
    numeric_from: usize,
    as_text: bool,
    places: u32,
    labels: Option<&std::collections::BTreeMap<String, String>>,
    (lang, fixed): (Lang, Fixed),
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
    let headings: Vec<String> = columns.iter().map(|c| column_heading(lang, fixed, c, labels)).collect();
    let headings: Vec<&str> = headings.iter().map(String::as_str).collect();
    header(sheet, &headings)?;
    let format = number_format(places, lang);
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
fn published_sheet(
    book: &mut Workbook,
    table: &super::published::Published,
    places: u32,
    name: &str,
    lang: Lang,
) -> Result<()> {
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
    let amount = number_format(places, lang);
    let percent = Format::new().set_num_format("0.00");
    let bold_amount = number_format(places, lang).set_bold();
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
    run_with(
        summary,
        published,
        allocations,
        audit,
        (places, has_label),
        &ReportOptions::default(),
    )
}

/// As [`run`], in the language `options` asks for.
pub fn run_with(
    summary: &Summary,
    published: &super::published::Published,
    allocations: &[u8],
    audit: &[u8],
    (places, has_label): (u32, bool),
    options: &ReportOptions,
) -> Result<Vec<u8>> {
    let lang = options.language;
    if summary.units >= EXCEL_ROWS {
        return Err(Error::usage(crate::tr!(
            "xlsx-too-many-units",
            units = summary.units,
            rows = EXCEL_ROWS
        )));
    }
    let title = match &summary.scenario {
        Some(s) => format!("{} ({})", summary.formula, s.name),
        None => summary.formula.clone(),
    };
    let mut book = workbook_titled(&title)?;
    published_sheet(&mut book, published, places, &w(lang, "xlsx-sheet-table"), lang)?;
    {
        let sheet = book.add_worksheet();
        sheet.set_name(w(lang, "xlsx-sheet-summary")).map_err(fail)?;
        let bold = Format::new().set_bold();
        let mut row = 0u32;
        let mut line = |sheet: &mut Worksheet, id: &str, value: &str| -> Result<()> {
            sheet
                .write_string_with_format(row, 0, w(lang, id), &bold)
                .map_err(fail)?;
            sheet.write_string(row, 1, value).map_err(fail)?;
            row += 1;
            Ok(())
        };
        line(sheet, "xlsx-formula", &summary.formula)?;
        if let Some(scenario) = &summary.scenario {
            line(sheet, "xlsx-scenario", &scenario.name)?;
            line(sheet, "xlsx-scenario-description", &scenario.description)?;
            line(sheet, "xlsx-scenario-file", &scenario.file)?;
        }
        line(sheet, "xlsx-formula-file", &summary.formula_file)?;
        line(sheet, "xlsx-data", &summary.data)?;
        line(sheet, "xlsx-data-source", &summary.data_source)?;
        line(sheet, "xlsx-money-unit", &summary.unit)?;
        sheet
            .write_string_with_format(row, 0, w(lang, "xlsx-units"), &bold)
            .map_err(fail)?;
        sheet.write_number(row, 1, summary.units as f64).map_err(fail)?; // float-ok: a count
        row += 1;
        sheet
            .write_string_with_format(row, 0, w(lang, "xlsx-total"), &bold)
            .map_err(fail)?;
        match number(&summary.total) {
            Some(n) if exact_as_float(&summary.total, n) => sheet.write_number(row, 1, n).map_err(fail)?,
            _ => sheet.write_string(row, 1, &summary.total).map_err(fail)?,
        };
        row += 1;
        row += 1;
        let headings = [
            "xlsx-stage",
            "xlsx-pool",
            "xlsx-k",
            "xlsx-sum",
            "xlsx-units-at-floor",
            "xlsx-units-at-cap",
        ];
        for (c, h) in headings.iter().enumerate() {
            sheet
                .write_string_with_format(row, c as u16, w(lang, h), &bold)
                .map_err(fail)?;
        }
        for stage in &summary.stages {
            row += 1;
            sheet.write_string(row, 0, &stage.name).map_err(fail)?;
            let k = stage
                .k
                .clone()
                .unwrap_or_else(|| text_in(lang, "xlsx-groups", crate::args![groups = stage.groups.len()]));
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
                .write_string_with_format(
                    row,
                    0,
                    text_in(
                        lang,
                        "xlsx-metrics-heading",
                        crate::args![capacity = &m.capacity, population = &m.population],
                    ),
                    &bold,
                )
                .map_err(fail)?;
            sheet
                .write_string_with_format(row, 1, w(lang, "xlsx-before"), &bold)
                .map_err(fail)?;
            sheet
                .write_string_with_format(row, 2, w(lang, "xlsx-after"), &bold)
                .map_err(fail)?;
            let pairs = m.rows();
            for (name, before, after) in pairs {
                row += 1;
                sheet.write_string(row, 0, w(lang, name.message_id())).map_err(fail)?;
                // An undefined metric (max / min over a zero) is left empty, not 0.
                for (col, value) in [(1, before), (2, after)] {
                    if let Some(n) = number(value) {
                        sheet.write_number(row, col, n).map_err(fail)?;
                    }
                }
            }
            row += 1;
            sheet
                .write_string(row, 0, w(lang, "xlsx-poorest-fifth-share"))
                .map_err(fail)?;
            sheet
                .write_number(row, 1, number(&m.poorest_quintile_share).unwrap_or_default())
                .map_err(fail)?;
        }
        row += 2;
        sheet
            .write_string_with_format(row, 0, w(lang, "xlsx-param"), &bold)
            .map_err(fail)?;
        sheet
            .write_string_with_format(row, 1, w(lang, "xlsx-value"), &bold)
            .map_err(fail)?;
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
        &w(lang, "xlsx-sheet-allocations"),
        allocations,
        if has_label { 2 } else { 1 },
        false,
        places,
        Some(&summary.labels),
        (lang, Fixed::Run),
    )?;
    table(
        &mut book,
        &w(lang, "xlsx-sheet-audit"),
        audit,
        usize::MAX,
        true,
        0,
        Some(&summary.labels),
        (lang, Fixed::Run),
    )?;
    book.save_to_buffer().map_err(fail)
}

/// A metric of a comparison by its name in `lang` (its English name when it has no
/// identifier).
fn metric_name(lang: Lang, m: &super::compare::MetricChange) -> String {
    match m.id {
        Some(id) => w(lang, id),
        None => m.metric.clone(),
    }
}

/// The comparison workbook: a Summary sheet and the Differences sheet.
pub fn comparison(
    c: &Comparison,
    published: Option<&super::published::Published>,
    by_stage: Option<&[u8]>,
) -> Result<Vec<u8>> {
    comparison_with(c, published, by_stage, &ReportOptions::default())
}

/// As [`comparison`], in the language `options` asks for.
pub fn comparison_with(
    c: &Comparison,
    published: Option<&super::published::Published>,
    by_stage: Option<&[u8]>,
    options: &ReportOptions,
) -> Result<Vec<u8>> {
    let lang = options.language;
    let mut book = workbook()?;
    if let Some(published) = published {
        let whole = published.rows.iter().flat_map(|r| &r.cells).all(|cell| match cell {
            super::published::Cell::Amount(v) => v.fract().is_zero(),
            _ => true,
        });
        published_sheet(
            &mut book,
            published,
            if whole { 0 } else { 2 },
            &w(lang, "xlsx-sheet-table"),
            lang,
        )?;
    }
    {
        let sheet = book.add_worksheet();
        sheet.set_name(w(lang, "xlsx-sheet-summary")).map_err(fail)?;
        let bold = Format::new().set_bold();
        let lines: Vec<(&str, String)> = vec![
            ("xlsx-compare-a", c.a.clone()),
            ("xlsx-compare-b", c.b.clone()),
            ("xlsx-money-unit", c.unit.clone()),
            ("xlsx-units", c.units.to_string()),
            ("xlsx-gain", c.winners.to_string()),
            ("xlsx-lose", c.losers.to_string()),
            ("xlsx-unchanged", c.unchanged.to_string()),
            ("xlsx-total-a", c.total_a.clone()),
            ("xlsx-total-b", c.total_b.clone()),
            ("xlsx-total-difference", c.total_difference.clone()),
            ("xlsx-sum-of-differences", c.sum_of_differences.clone()),
        ];
        let mut row = 0u32;
        for (id, value) in lines {
            sheet
                .write_string_with_format(row, 0, w(lang, id), &bold)
                .map_err(fail)?;
            sheet.write_string(row, 1, value).map_err(fail)?;
            row += 1;
        }
        row += 1;
        for m in &c.metrics {
            sheet.write_string(row, 0, metric_name(lang, m)).map_err(fail)?;
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
        &w(lang, "xlsx-sheet-differences"),
        &super::compare::csv(c, true)?,
        2,
        false,
        2,
        None,
        (lang, Fixed::Comparison),
    )?;
    if let Some(csv) = by_stage {
        table(
            &mut book,
            &w(lang, "xlsx-sheet-by-stage"),
            csv,
            2,
            false,
            2,
            None,
            (lang, Fixed::Comparison),
        )?;
    }
    book.save_to_buffer().map_err(fail)
}

/// A baseline and several scenarios: a Table sheet (the units grouped as the base run's
/// published table, with subtotals, 合计, and each scenario's amount and change), a Scenarios sheet (per scenario its name, total,
/// change, gainers, losers and metrics, as numbers) and a Units sheet (every unit with the
/// baseline, then each scenario's amount and difference).
pub fn comparison_many(m: &super::compare_many::Many) -> Result<Vec<u8>> {
    comparison_many_with(m, &ReportOptions::default())
}

/// As [`comparison_many`], in the language `options` asks for.
pub fn comparison_many_with(m: &super::compare_many::Many, options: &ReportOptions) -> Result<Vec<u8>> {
    let lang = options.language;
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
        &w(lang, "xlsx-sheet-table"),
        lang,
    )?;
    {
        let sheet = book.add_worksheet();
        sheet.set_name(w(lang, "xlsx-sheet-scenarios")).map_err(fail)?;
        let bold = Format::new().set_bold();
        sheet
            .write_string_with_format(0, 0, w(lang, "xlsx-base"), &bold)
            .map_err(fail)?;
        sheet.write_string(0, 1, &m.base).map_err(fail)?;
        sheet
            .write_string_with_format(1, 0, w(lang, "xlsx-money-unit"), &bold)
            .map_err(fail)?;
        sheet.write_string(1, 1, &m.unit).map_err(fail)?;
        let mut headings: Vec<String> = vec![String::new()];
        headings.extend(
            [
                "xlsx-scenario",
                "xlsx-total",
                "xlsx-change",
                "xlsx-gain",
                "xlsx-lose",
                "xlsx-unchanged",
            ]
            .iter()
            .map(|id| w(lang, id)),
        );
        if let Some(first) = m.against_base.first() {
            headings.extend(first.metrics.iter().map(|x| metric_name(lang, x)));
        }
        for (c, h) in headings.iter().enumerate() {
            sheet.write_string_with_format(3, c as u16, h, &bold).map_err(fail)?;
        }
        let amount = number_format(2, lang);
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
        &w(lang, "xlsx-sheet-units"),
        &super::compare_many::csv(m, true)?,
        2,
        false,
        2,
        None,
        (lang, Fixed::Comparison),
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

#[cfg(test)]
mod language_tests {
    use super::*;
    use calamine::Reader;

    fn summary() -> Summary {
        Summary {
            formula: "f".into(),
            formula_file: "f.toml".into(),
            data: "d".into(),
            data_files: Vec::new(),
            data_source: String::new(),
            rows_left_out: Vec::new(),
            scenario: None,
            formula_unit: String::new(),
            labels: [("grant".to_string(), "一般性转移支付".to_string())].into(),
            report: None,
            units: 1,
            key: "code".into(),
            label_column: None,
            csv_label_row: false,
            unit: "1".into(),
            params: Default::default(),
            stages: Vec::new(),
            total: "-1234.5".into(),
            metrics: None,
        }
    }

    fn render(lang: Option<Lang>) -> Vec<u8> {
        let published = super::super::published::Published {
            title: String::new(),
            subtitle: String::new(),
            columns: ["code", "total"]
                .map(|h| super::super::published::TableColumn {
                    heading: h.into(),
                    kind: super::super::published::ColumnKind::Text,
                })
                .to_vec(),
            rows: Vec::new(),
        };
        let (allocations, audit) = (b"code,grant,total\nA,-1234.5,-1234.5\n", b"code,total\nA,-1234.5\n");
        match lang {
            None => run(&summary(), &published, allocations, audit, 2, false).unwrap(),
            Some(language) => run_with(
                &summary(),
                &published,
                allocations,
                audit,
                (2, false),
                &ReportOptions { language },
            )
            .unwrap(),
        }
    }

    /// Sheet names, then each sheet's first row, as text.
    fn read(bytes: Vec<u8>) -> (Vec<String>, Vec<Vec<String>>) {
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let names = book.sheet_names().to_vec();
        let rows = names
            .iter()
            .map(|n| {
                let range = book.worksheet_range(n).unwrap();
                range
                    .rows()
                    .next()
                    .map(|r| {
                        let mut cells: Vec<String> = r.iter().map(|c| c.to_string()).collect();
                        while cells.last().is_some_and(String::is_empty) {
                            cells.pop();
                        }
                        cells
                    })
                    .unwrap_or_default()
            })
            .collect();
        (names, rows)
    }

    #[test]
    fn the_workbook_is_in_the_language_asked_for_and_english_by_default() {
        let english = render(None);
        assert_eq!(render(Some(Lang::En)), english, "English bytes changed");
        let (names, rows) = read(english);
        assert_eq!(names, ["Table", "Summary", "Allocations", "Audit"]);
        assert_eq!(rows[1], ["formula", "f"]);
        // The formula's label wins over the CSV's name; total is the CSV's own name.
        assert_eq!(rows[2], ["code", "一般性转移支付", "total"]);
        assert_eq!(rows[3], ["code", "total"]);

        let (names, rows) = read(render(Some(Lang::Zh)));
        assert_eq!(names, ["分配表", "概要", "分配结果", "审计明细"]);
        assert_eq!(rows[1], ["公式", "f"]);
        assert_eq!(rows[2], ["code", "一般性转移支付", "合计"]);
        assert_eq!(rows[3], ["code", "合计"]);
    }

    #[test]
    fn chinese_amounts_show_negatives_in_red_with_the_same_value() {
        assert_eq!(number_format(2, Lang::En), Format::new().set_num_format("#,##0.00"));
        assert_eq!(
            number_format(0, Lang::Zh),
            Format::new().set_num_format("#,##0;[Red]-#,##0")
        );
    }

    #[test]
    fn comparison_headings_follow_the_language() {
        let zh = |c: &str| column_heading(Lang::Zh, Fixed::Comparison, c, None);
        assert_eq!(zh("difference"), "差额");
        assert_eq!(zh("s2_difference"), "方案 S2 差额");
        assert_eq!(zh("total_a"), "合计（A）");
        assert_eq!(zh("grant_difference"), "grant 差额");
        for c in ["key", "s2_difference", "total_a", "grant_b", "percent"] {
            assert_eq!(column_heading(Lang::En, Fixed::Comparison, c, None), c);
        }
    }
}
