//! `allocations.csv` and `audit.csv`: one row per unit, in key order.
//!
//! Amounts are plain decimals (never an exponent). A rounded stage prints
//! exactly its unit's decimal places (`0.01` → `12.30`); an unrounded stage and
//! every intermediate value print without trailing zeros.

use rust_decimal::Decimal;

use crate::data::Dataset;
use crate::engine::Computation;
use crate::error::{Error, Result};
use crate::formula::Formula;
use crate::money;

fn writer() -> ::csv::Writer<Vec<u8>> {
    ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new())
}

/// Records written field by field straight into a byte buffer, numbers formatted in
/// place: an audit file holds hundreds of thousands of values, and a `String` each (then
/// the `csv` writer's scan of every number for characters to quote) was most of the time
/// it took to write. Text is quoted exactly as the `csv` crate's writer quotes it (a
/// property test compares them): only when it holds a comma, a quote, CR or LF, or is a
/// record's only field and empty.
struct RecordWriter {
    out: Vec<u8>,
    /// Fields written in the current record.
    fields: usize,
    /// Where the current record starts in `out`.
    record_start: usize,
}

impl RecordWriter {
    fn new() -> RecordWriter {
        RecordWriter {
            out: Vec::with_capacity(1 << 16),
            fields: 0,
            record_start: 0,
        }
    }

    fn separate(&mut self) {
        if self.fields > 0 {
            self.out.push(b',');
        }
        self.fields += 1;
    }

    fn text(&mut self, text: &str) -> Result<()> {
        self.separate();
        let bytes = text.as_bytes();
        if bytes.iter().any(|&b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
            self.out.push(b'"');
            for &b in bytes {
                if b == b'"' {
                    self.out.push(b'"');
                }
                self.out.push(b);
            }
            self.out.push(b'"');
        } else {
            self.out.extend_from_slice(bytes);
        }
        Ok(())
    }

    /// A decimal as [`money::format_plain`] writes it.
    fn plain(&mut self, value: Decimal) -> Result<()> {
        self.separate();
        money::write_digits_bytes(value, None, &mut self.out);
        Ok(())
    }

    /// A decimal as [`money::format_fixed`] writes it.
    fn fixed(&mut self, value: Decimal, places: u32) -> Result<()> {
        let mut v = value.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        v.rescale(places);
        self.separate();
        money::write_digits_bytes(v, Some(places), &mut self.out);
        Ok(())
    }

    fn end(&mut self) -> Result<()> {
        // The csv crate writes a record of one empty field as `""` (a bare empty line
        // would read back as no record).
        if self.fields == 1 && self.out.len() == self.record_start {
            self.out.extend_from_slice(b"\"\"");
        }
        self.out.push(b'\n');
        self.fields = 0;
        self.record_start = self.out.len();
        Ok(())
    }
}

/// Rows `start..end` rendered in parallel chunks of `chunk_rows`, in row order: written one
/// after another they are the bytes one writer would produce, whatever the number of threads.
fn rows_in_parallel(
    start: usize,
    end: usize,
    chunk_rows: usize,
    fill: &(impl Fn(usize, &mut RecordWriter) -> Result<()> + Sync),
) -> Result<Vec<Vec<u8>>> {
    use rayon::prelude::*;
    let chunk_rows = chunk_rows.max(1);
    let one = |chunk: usize| {
        let mut record = RecordWriter::new();
        for row in start + chunk * chunk_rows..(start + (chunk + 1) * chunk_rows).min(end) {
            fill(row, &mut record)?;
            record.end()?;
        }
        Ok(record.out)
    };
    let count = (end - start).div_ceil(chunk_rows);
    let chunks: Vec<Result<Vec<u8>>> = if count > 1 {
        (0..count).into_par_iter().map(one).collect()
    } else {
        (0..count).map(one).collect()
    };
    chunks.into_iter().collect()
}

/// Rows written to `out` a batch at a time, each batch rendered in parallel while the one
/// before is written and hashed: memory holds two batches, not the file (a million-unit
/// audit file is hundreds of megabytes). A table of a few thousand rows is cut into four
/// batches, so that its writing too overlaps its rendering.
fn rows_streamed(
    header: &[u8],
    rows: usize,
    out: &mut (dyn std::io::Write + Send),
    fill: impl Fn(usize, &mut RecordWriter) -> Result<()> + Sync,
) -> Result<()> {
    const BATCH: usize = 1 << 15;
    let worth_the_pool = rows >= crate::threads::PARALLEL_MIN_HEAVY;
    let batch = if worth_the_pool {
        BATCH.min(rows.div_ceil(4))
    } else {
        rows.max(1)
    };
    // A small table renders whole on the calling thread (`threads`); a batch of a larger one
    // in two pieces at least, and in as many as the pool has threads for (at most 2,048 rows).
    let chunk_rows = if !worth_the_pool {
        batch
    } else if batch < BATCH {
        batch.div_ceil(2).min(crate::threads::heavy_piece(rows, 2048))
    } else {
        crate::threads::heavy_piece(batch, 2048)
    };
    let io = |e: std::io::Error| Error::Internal(format!("writing a table: {e}"));
    out.write_all(header).map_err(io)?;
    let mut written: Vec<Vec<u8>> = Vec::new();
    let write_all = |out: &mut (dyn std::io::Write + Send), chunks: &[Vec<u8>]| {
        chunks.iter().try_for_each(|chunk| out.write_all(chunk)).map_err(io)
    };
    let mut start = 0;
    while start < rows {
        let end = (start + batch).min(rows);
        let write = |out: &mut (dyn std::io::Write + Send)| write_all(out, &written);
        let (wrote, rendered) = if worth_the_pool {
            rayon::join(|| write(&mut *out), || rows_in_parallel(start, end, chunk_rows, &fill))
        } else {
            (write(&mut *out), rows_in_parallel(start, end, chunk_rows, &fill))
        };
        wrote?;
        written = rendered?;
        start = end;
    }
    write_all(out, &written)
}

fn finish(w: ::csv::Writer<Vec<u8>>) -> Result<Vec<u8>> {
    w.into_inner().map_err(|e| Error::Internal(format!("csv buffer: {e}")))
}

fn fail(e: ::csv::Error) -> Error {
    Error::Internal(format!("csv writing: {e}"))
}

/// A text cell (a key, a label, a text input) as a CSV file holds it. A cell that starts
/// with `=`, `+`, `-`, `@`, a tab or a carriage return and is not a number is prefixed with
/// `'`, as OWASP recommends against CSV injection: a spreadsheet would otherwise run it as
/// a formula (`=HYPERLINK(...)`). `raw` (`--csv-raw`) writes it as it is.
pub fn text_cell(text: &str, raw: bool) -> std::borrow::Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if raw || !risky || money::parse_decimal(text).is_ok() {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(format!("'{text}"))
    }
}

/// An amount in the formula's unit expressed in the output unit. Runs check first that
/// every amount converts exactly ([`check_output_unit`]); a value that does not is shown
/// unconverted only where that check has already failed the run.
pub fn to_output(formula: &Formula, value: Decimal) -> Decimal {
    to_output_exact(formula, value).unwrap_or(value)
}

/// An amount in the output unit, exactly: `None` when the conversion overflows or would
/// need more than 28 significant digits (converting back would not give the amount).
pub fn to_output_exact(formula: &Formula, value: Decimal) -> Option<Decimal> {
    if formula.unit.factor == formula.output_unit.factor {
        return Some(value);
    }
    let out = value
        .checked_mul(formula.unit.factor)?
        .checked_div(formula.output_unit.factor)?;
    let back = out
        .checked_mul(formula.output_unit.factor)?
        .checked_div(formula.unit.factor)?;
    (back == value).then_some(out)
}

/// Every amount a run reports (each stage's pool, rounding unit and amounts, and each
/// total) must convert exactly into the output unit; otherwise the files would mix units or
/// not add up. The first that does not is an error naming the value and both units.
pub fn check_output_unit(formula: &Formula, data: &Dataset, result: &Computation) -> Result<()> {
    if formula.unit.factor == formula.output_unit.factor {
        return Ok(());
    }
    let fail = |what: String, value: Decimal| {
        Err(Error::invalid(
            crate::diag::Diagnostic::error_t(
                "report-output-unit-inexact",
                crate::args![
                    what = what,
                    value = money::format_plain(value),
                    unit = formula.unit.name.as_str(),
                    output_unit = formula.output_unit.name.as_str()
                ],
            )
            .at_file(&formula.origin)
            .note_t("report-output-unit-inexact-note", crate::args![]),
        ))
    };
    // Units are powers of ten. Into a larger unit (yuan to 万元), a multiple of a rounding
    // unit that converts exactly converts exactly too (a shift of the decimal point that
    // never overflows), and so does a sum of such: when every stage is rounded to such a
    // unit, the amounts need no check one by one (a sweep makes this check per scenario).
    let every_amount_converts = formula.output_unit.factor >= formula.unit.factor
        && result
            .stages
            .iter()
            .zip(&formula.stages)
            .all(|(solved, stage)| stage.round.is_some() && to_output_exact(formula, solved.unit).is_some());
    for (stage, solved) in formula.stages.iter().zip(&result.stages) {
        for (what, value) in [
            ("report-inexact-pool", solved.pool),
            ("report-inexact-rounding-unit", solved.unit),
        ] {
            if to_output_exact(formula, value).is_none() {
                return fail(crate::i18n::t(what, crate::args![stage = stage.name.as_str()]), value);
            }
        }
        if every_amount_converts {
            continue;
        }
        for (row, amount) in solved.amounts.iter().enumerate() {
            if to_output_exact(formula, *amount).is_none() {
                return fail(
                    crate::tr!(
                        "report-inexact-amount",
                        unit = &data.keys[row],
                        stage = stage.name.as_str()
                    ),
                    *amount,
                );
            }
        }
    }
    if every_amount_converts {
        return Ok(());
    }
    for (row, total) in result.totals.iter().enumerate() {
        if to_output_exact(formula, *total).is_none() {
            return fail(crate::tr!("report-inexact-total", unit = &data.keys[row]), *total);
        }
    }
    Ok(())
}

/// Decimal places of a stage's rounding unit once expressed in the output unit.
fn output_places(formula: &Formula, unit: Decimal) -> u32 {
    money::places_of_unit(to_output(formula, unit))
}

/// Decimal places of the report's amounts (for number formats): the most of any rounded
/// stage in the output unit, 2 when a stage is unrounded.
pub fn report_places(formula: &Formula) -> u32 {
    let units: Option<Vec<Decimal>> = formula.stages.iter().map(|s| s.round).collect();
    units.map_or(2, |units| {
        units.into_iter().map(|u| output_places(formula, u)).max().unwrap_or(0)
    })
}

/// The header's names as the formula's `[labels]` show them, for the label row that
/// `--labels` adds under the header (a name without a label is repeated). A derived
/// column (`stage.base`) is its stage's label and the part: `均衡性转移支付 base`.
fn label_row(formula: &Formula, header: &[String], raw: bool) -> Vec<String> {
    header
        .iter()
        .map(|name| {
            let label = match name.rsplit_once('.') {
                Some((stage, part))
                    if !formula.labels.contains_key(name) && formula.stages.iter().any(|s| s.name == stage) =>
                {
                    let part = match (formula.report.chinese, part) {
                        (true, "base") => "基数",
                        (true, "weight") => "权重",
                        (true, "floor") => "保底额",
                        (true, "cap") => "封顶额",
                        (true, "exact") => "精确值",
                        (true, "bound") => "保底/封顶",
                        (_, part) => part,
                    };
                    format!("{} {part}", formula.label(stage))
                }
                _ => formula.label(name).to_string(),
            };
            text_cell(&label, raw).into_owned()
        })
        .collect()
}

/// key, label, one column per stage, total; with `labels`, a second header row of the
/// formula's labels.
pub fn allocations(
    formula: &Formula,
    data: &Dataset,
    result: &Computation,
    raw: bool,
    labels: bool,
) -> Result<Vec<u8>> {
    let mut w = writer();
    let mut header = vec![formula.key.clone()];
    header.extend(formula.label.clone());
    header.extend(formula.stages.iter().map(|s| s.name.clone()));
    header.push("total".into());
    w.write_record(&header).map_err(fail)?;
    if labels {
        w.write_record(label_row(formula, &header, raw)).map_err(fail)?;
    }
    let mut out = finish(w)?;
    // Each stage's amounts with its rounding unit's places in the output unit; the total with
    // the most of them (plain when a stage is unrounded).
    let stage_places: Vec<Option<u32>> = formula
        .stages
        .iter()
        .map(|s| s.round.map(|unit| output_places(formula, unit)))
        .collect();
    let total_places = stage_places
        .iter()
        .copied()
        .collect::<Option<Vec<u32>>>()
        .map(|places| places.into_iter().max().unwrap_or(0));
    let amount = |record: &mut RecordWriter, value: Decimal, places: Option<u32>| {
        let value = to_output(formula, value);
        match places {
            Some(places) => record.fixed(value, places),
            None => record.plain(value),
        }
    };
    let chunks = rows_in_parallel(
        0,
        data.len(),
        crate::threads::heavy_piece(data.len(), 2048),
        &|row, record| {
            record.text(&text_cell(&data.keys[row], raw))?;
            if let Some(labels) = &data.labels {
                record.text(&text_cell(&labels[row], raw))?;
            }
            for (stage, places) in result.stages.iter().zip(&stage_places) {
                amount(record, stage.amounts[row], *places)?;
            }
            amount(record, result.totals[row], total_places)
        },
    )?;
    out.reserve_exact(chunks.iter().map(Vec::len).sum());
    for chunk in chunks {
        out.extend(chunk);
    }
    Ok(out)
}

/// key, label, every input, every var, and per stage its base, weight, floor,
/// cap, exact amount, rounded amount and whether the unit sits at floor or cap.
/// Everything here is in the formula's unit (inputs already converted), so the
/// columns can be recomputed from one another; only allocations.csv and the
/// summary use the output unit. With `labels`, a second header row of the formula's labels.
pub fn audit(formula: &Formula, data: &Dataset, result: &Computation, raw: bool, labels: bool) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    audit_to(formula, data, result, raw, labels, &mut out)?;
    Ok(out)
}

/// audit.csv written to `out` as it is rendered, a batch of rows at a time.
pub fn audit_to(
    formula: &Formula,
    data: &Dataset,
    result: &Computation,
    raw: bool,
    labels: bool,
    out: &mut (dyn std::io::Write + Send),
) -> Result<()> {
    let mut w = writer();
    let mut header = vec![formula.key.clone()];
    header.extend(formula.label.clone());
    header.extend(formula.inputs.iter().map(|i| i.name.clone()));
    header.extend(formula.vars.iter().map(|v| v.name.clone()));
    for (stage, solved) in formula.stages.iter().zip(&result.stages) {
        let name = &stage.name;
        header.extend([format!("{name}.base"), format!("{name}.weight")]);
        if solved.floor.is_some() {
            header.push(format!("{name}.floor"));
        }
        if solved.cap.is_some() {
            header.push(format!("{name}.cap"));
        }
        header.extend([format!("{name}.exact"), name.clone(), format!("{name}.bound")]);
    }
    header.push("total".into());
    w.write_record(&header).map_err(fail)?;
    if labels {
        w.write_record(label_row(formula, &header, raw)).map_err(fail)?;
    }
    let header = finish(w)?;
    rows_streamed(&header, data.len(), out, |row, record| {
        record.text(&text_cell(&data.keys[row], raw))?;
        if let Some(labels) = &data.labels {
            record.text(&text_cell(&labels[row], raw))?;
        }
        for column in &data.columns {
            match column {
                crate::data::Column::Text(values) => record.text(&text_cell(&values[row], raw))?,
                crate::data::Column::Num(values) => record.plain(values[row])?,
                crate::data::Column::Bool(values) => record.text(if values[row] { "true" } else { "false" })?,
            }
        }
        for var in &result.vars {
            match var {
                crate::formula::eval::VarColumn::Num(values) => record.plain(values[row])?,
                crate::formula::eval::VarColumn::Cond(values) => {
                    record.text(if values[row] { "true" } else { "false" })?
                }
                crate::formula::eval::VarColumn::Pending => record.text("")?,
            }
        }
        for (i, stage) in result.stages.iter().enumerate() {
            record.plain(stage.base[row])?;
            record.plain(stage.weight[row])?;
            if let Some(floor) = &stage.floor {
                record.plain(floor[row])?;
            }
            if let Some(cap) = &stage.cap {
                record.plain(cap[row])?;
            }
            record.plain(stage.exact[row])?;
            match formula.stages[i].round {
                Some(unit) => record.fixed(stage.amounts[row], money::places_of_unit(unit))?,
                None => record.plain(stage.amounts[row])?,
            }
            record.text(if stage.at_floor[row] {
                "floor"
            } else if stage.at_cap[row] {
                "cap"
            } else {
                ""
            })?;
        }
        record.plain(result.totals[row])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rows_streamed_while_the_next_batch_renders_come_out_whole_and_in_order() {
        // Below the pool's threshold (one batch); a county-level table (four batches of two
        // pieces); an odd size; past four full batches (32,768 rows) with a part batch.
        for rows in [0, 1, 1_000, 2_943, 5_001, 150_001] {
            let fill = |row: usize, record: &mut RecordWriter| {
                record.text(&format!("k{row}"))?;
                record.plain(Decimal::new(row as i64 * 3 - 7, 2))
            };
            let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
            let mut streamed = Vec::new();
            pool.install(|| rows_streamed(b"key,value\n", rows, &mut streamed, fill))
                .unwrap();
            let mut expected = b"key,value\n".to_vec();
            for row in 0..rows {
                expected.extend(format!("k{row},{}\n", Decimal::new(row as i64 * 3 - 7, 2).normalize()).bytes());
            }
            assert_eq!(streamed.len(), expected.len(), "{rows} rows");
            assert!(streamed == expected, "{rows} rows");
        }
    }

    /// What the `csv` crate writes for the same fields, numbers as `format_plain` text.
    fn by_csv_crate(records: &[Vec<Result<String, Decimal>>]) -> Vec<u8> {
        let mut w = writer();
        for record in records {
            let fields: Vec<String> = record
                .iter()
                .map(|f| match f {
                    Ok(text) => text.clone(),
                    Err(value) => money::format_plain(*value),
                })
                .collect();
            w.write_record(&fields).unwrap();
        }
        finish(w).unwrap()
    }

    fn field() -> impl Strategy<Value = Result<String, Decimal>> {
        prop_oneof![
            "[a-z,\"\r\n 县=\\-]{0,6}".prop_map(Ok),
            (any::<i64>(), 0u32..=28).prop_map(|(m, scale)| Err(Decimal::new(m, scale))),
            (any::<u128>(), 0u32..=28)
                .prop_map(|(m, scale)| { Err(Decimal::from_i128_with_scale((m >> 32) as i128, scale)) }),
        ]
    }

    proptest! {
        #[test]
        fn records_are_written_as_the_csv_crate_writes_them(
            width in 1usize..5,
            rows in proptest::collection::vec(proptest::collection::vec(field(), 5), 1..6),
        ) {
            let records: Vec<Vec<Result<String, Decimal>>> =
                rows.into_iter().map(|r| r.into_iter().take(width).collect()).collect();
            let mut ours = RecordWriter::new();
            for record in &records {
                for f in record {
                    match f {
                        Ok(text) => ours.text(text).unwrap(),
                        Err(value) => ours.plain(*value).unwrap(),
                    }
                }
                ours.end().unwrap();
            }
            let theirs = by_csv_crate(&records);
            prop_assert_eq!(String::from_utf8_lossy(&ours.out), String::from_utf8_lossy(&theirs));
        }
    }

    #[test]
    fn a_record_of_one_empty_field_is_two_quotes() {
        let mut ours = RecordWriter::new();
        ours.text("").unwrap();
        ours.end().unwrap();
        ours.text("a").unwrap();
        ours.end().unwrap();
        ours.text("").unwrap();
        ours.end().unwrap();
        assert_eq!(ours.out, b"\"\"\na\n\"\"\n");
    }
}
