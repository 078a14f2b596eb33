//! Joining the tables' rows on the key. The first table defines the units; each other
//! table is joined to it: its keys that are not units are dropped and counted (a side
//! table of every county of a province, a 合计 row), and units it lacks take each of its
//! inputs' `default`, or are an error naming them. With `join = "exact"` in dataset.toml,
//! every table must hold exactly the same keys.

use super::*;
use crate::data::Texts;

/// One table's rows, with the names to report them under.
pub(super) struct Part {
    pub(super) name: String,
    pub(super) file: String,
    pub(super) extracted: Extracted,
    /// (formula input, how to cite its column's cells)
    pub(super) cites: Vec<(usize, crate::data::CellCite)>,
}

/// Join the tables' rows on the key (module docs); warnings say what was dropped or filled.
pub(super) fn join(
    parts: Vec<Part>,
    formula: &Formula,
    origin: &str,
    exact: bool,
) -> std::result::Result<(Dataset, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut parts = parts.into_iter();
    let Some(Part {
        name: first_name,
        file: first_file,
        extracted: mut first,
        cites: first_cites,
    }) = parts.next()
    else {
        return Err(Vec::new()); // every table failed earlier; those problems are reported
    };
    if first.keys.is_empty() {
        let d = if first.left_out.is_empty() {
            Diagnostic::error_t("data-no-data-rows", crate::args![]).at_file(&first_file)
        } else {
            Diagnostic::error_t("data-every-row-left-out", crate::args![])
                .at_file(&first_file)
                .note(first.left_out.join("; "))
                .note_t("data-every-row-left-out-note", crate::args![])
        };
        return Err(vec![d]);
    }
    let mut labels = first.labels;
    let mut table_rows = vec![std::mem::take(&mut first.rows)];
    let mut input_cells: Vec<Option<(usize, crate::data::CellCite)>> = vec![None; formula.inputs.len()];
    for (input, cite) in first_cites {
        input_cells[input] = Some((0, cite));
    }
    let mut columns: Vec<Option<Column>> = vec![None; formula.inputs.len()];
    for (input, column) in first.columns {
        columns[input] = Some(column);
    }
    // Inputs from the prior run are filled once the data is loaded (`pipeline::prior`).
    for (column, input) in columns.iter_mut().zip(&formula.inputs) {
        if input.prior.is_some() {
            *column = Some(match input.kind {
                crate::formula::spec::InputKind::Bool => Column::Bool(vec![false; first.keys.len()]),
                _ => Column::Num(vec![rust_decimal::Decimal::ZERO; first.keys.len()]),
            });
        }
    }
    // Only a second table is looked up by key (a million keys hash in a tenth of a second).
    let position: HashMap<&str, usize> = if parts.len() > 0 {
        first.keys.iter().enumerate().map(|(i, k)| (k, i)).collect()
    } else {
        HashMap::new()
    };
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let mut left_out = Vec::new();
    for Part {
        file,
        extracted: part,
        cites,
        ..
    } in parts
    {
        let mut order = vec![usize::MAX; first.keys.len()];
        let mut extra = Vec::new();
        for (row, key) in part.keys.iter().enumerate() {
            match position.get(key) {
                Some(&i) => order[i] = row,
                None => extra.push(key),
            }
        }
        let missing: Vec<&str> = order
            .iter()
            .enumerate()
            .filter(|(_, &r)| r == usize::MAX)
            .map(|(i, _)| &first.keys[i])
            .collect();
        // Units this table lacks take its inputs' defaults when every one has a valid default,
        // most units are there, and the keys do not differ by a known mistake.
        let undefaulted: Vec<&str> = part
            .columns
            .iter()
            .map(|(input, _)| &formula.inputs[*input])
            .filter(|input| input.default.is_none())
            .map(|input| input.name.as_str())
            .collect();
        for (input, _) in &part.columns {
            let input = &formula.inputs[*input];
            if let (Some(default), Err(problem)) = (
                &input.default,
                crate::data::table::parse_cell(input, crate::data::table::CellValue::Empty, formula),
            ) {
                problems.push(
                    Diagnostic::error_t(
                        "data-bad-default",
                        crate::args![default = default, input = &input.name, problem = &problem.message],
                    )
                    .note_t("data-bad-default-note", crate::args![]),
                );
            }
        }
        let cause = key_mismatch_cause(&missing, &extra);
        let most_missing = missing.len() * 2 > first.keys.len();
        let missing_is_error = exact || !undefaulted.is_empty() || cause.is_some() || most_missing;
        let missing_units = || list_units(&missing, &first.keys, labels.as_ref());
        if !missing.is_empty() && missing_is_error {
            let mut d = Diagnostic::error_t(
                "data-units-missing",
                crate::args![units = missing.len(), table = &first_name],
            )
            .at_file(&file)
            .note(missing_units());
            if let Some(cause) = &cause {
                d = d.note(cause.clone());
            }
            if !exact && cause.is_none() {
                d = if undefaulted.is_empty() {
                    d.note_t("data-units-missing-most-note", crate::args![])
                } else {
                    d.note_t("data-units-missing-note", crate::args![inputs = undefaulted.join(", ")])
                };
            }
            problems.push(d);
        } else if !missing.is_empty() {
            warnings.push(
                Diagnostic::warning_t(
                    "data-units-missing-defaults",
                    crate::args![units = missing.len(), table = &first_name],
                )
                .at_file(&file)
                .note(missing_units()),
            );
        }
        if !extra.is_empty() && exact {
            let mut d = Diagnostic::error_t("data-keys-extra", crate::args![keys = extra.len(), table = &first_name])
                .at_file(&file)
                .note(list_keys(&extra));
            if let Some(cause) = &cause {
                d = d.note(cause.clone());
            }
            problems.push(d);
        } else if !extra.is_empty() {
            let mut d = Diagnostic::warning_t(
                "data-keys-extra-left-out",
                crate::args![keys = extra.len(), table = &first_name],
            )
            .at_file(&file)
            .note(list_keys(&extra));
            if let Some(cause) = &cause {
                d = d.note(cause.clone());
            }
            warnings.push(d);
            left_out.push(format!(
                "{file}: {} not units of {first_name} left out",
                crate::diag::plural_in(crate::i18n::Lang::En, extra.len(), "row")
            ));
        }
        if !problems.is_empty() {
            continue;
        }
        for (input, cite) in cites {
            input_cells[input] = Some((table_rows.len(), cite));
        }
        table_rows.push(order.iter().map(|&r| part.rows.get(r).copied().unwrap_or(0)).collect());
        use crate::data::table::{parse_cell, Cell, CellValue};
        for (input, column) in part.columns {
            // The default, for units this table lacks (every such input has one: see above).
            let default = parse_cell(&formula.inputs[input], CellValue::Empty, formula).ok();
            let pick = |r: usize| if r == usize::MAX { None } else { Some(r) };
            let joined = match column {
                Column::Num(v) => Column::Num(
                    order
                        .iter()
                        .map(|&r| match (pick(r), &default) {
                            (Some(r), _) => v[r],
                            (None, Some(Cell::Num(d))) => *d,
                            _ => rust_decimal::Decimal::ZERO,
                        })
                        .collect(),
                ),
                Column::Bool(v) => Column::Bool(
                    order
                        .iter()
                        .map(|&r| match (pick(r), &default) {
                            (Some(r), _) => v[r],
                            (None, Some(Cell::Bool(d))) => *d,
                            _ => false,
                        })
                        .collect(),
                ),
                Column::Text(v) => Column::Text(
                    order
                        .iter()
                        .map(|&r| match (pick(r), &default) {
                            (Some(r), _) => &v[r],
                            (None, Some(Cell::Text(d))) => d.as_str(),
                            _ => "",
                        })
                        .collect(),
                ),
            };
            columns[input] = Some(joined);
        }
        match (&labels, part.labels) {
            (None, Some(l)) => labels = Some(order.iter().map(|&r| l.get(r).unwrap_or_default()).collect()),
            (Some(first_labels), Some(l)) => {
                let differ: Vec<String> = order
                    .iter()
                    .enumerate()
                    .filter_map(|(i, &r)| {
                        let theirs = l.get(r)?;
                        (r != usize::MAX && !theirs.is_empty() && *theirs != first_labels[i]).then(|| {
                            crate::tr!(
                                "data-label-differs-one",
                                key = &first.keys[i],
                                here = theirs,
                                there = &first_labels[i],
                                table = &first_name
                            )
                        })
                    })
                    .collect();
                if !differ.is_empty() {
                    let shown = differ.len().min(KEYS_LISTED);
                    let mut d = Diagnostic::warning_t(
                        "data-labels-differ",
                        crate::args![table = &first_name, units = differ.len()],
                    )
                    .at_file(&file)
                    .note(differ[..shown].join("; "));
                    if differ.len() > shown {
                        d = d.note_t("data-labels-differ-more", crate::args![more = differ.len() - shown]);
                    }
                    warnings.push(d.note_t("data-labels-differ-note", crate::args![]));
                }
            }
            _ => {}
        }
    }
    if !problems.is_empty() {
        problems.extend(warnings);
        return Err(problems);
    }
    // An input without a column had its problem (missing, ambiguous) reported while planning.
    let columns = columns.into_iter().collect::<Option<Vec<_>>>().ok_or_else(Vec::new)?;
    Ok((
        Dataset {
            origin: origin.to_string(),
            name: String::new(),
            provenance: String::new(),
            files: Vec::new(),
            input_files: Vec::new(),
            left_out,
            keys: first.keys,
            labels,
            columns,
            table_rows,
            input_cells,
        },
        warnings,
    ))
}

/// When most keys on one side differ from keys on the other only by a known cause, say it.
fn key_mismatch_cause(missing: &[&str], extra: &[&str]) -> Option<String> {
    if missing.is_empty() || extra.is_empty() {
        return None;
    }
    let missing: std::collections::HashSet<&str> = missing.iter().copied().collect();
    type Normalise = fn(&str) -> String;
    let causes: [(&str, Normalise); 4] = [
        ("leading-zero", |k| k.trim_start_matches('0').to_string()),
        ("trailing-zero", |k| k.strip_suffix(".0").unwrap_or(k).to_string()),
        ("separators", |k| k.replace(',', "")),
        ("scientific", |k| {
            crate::money::parse_decimal(k)
                .ok()
                .or_else(|| {
                    let (mantissa, exponent) = k
                        .to_ascii_lowercase()
                        .split_once('e')
                        .map(|(m, e)| (m.to_string(), e.to_string()))?;
                    let m = crate::money::parse_decimal(&mantissa).ok()?;
                    let e: u32 = exponent.trim_start_matches('+').parse().ok()?;
                    let power = 10u64.checked_pow(e)?;
                    m.checked_mul(rust_decimal::Decimal::from(power))
                })
                .map(|d| crate::money::format_plain(d.normalize()))
                .unwrap_or_else(|| k.to_string())
        }),
    ];
    let extra_set: std::collections::HashSet<&str> = extra.iter().copied().collect();
    for (cause, normalise) in causes {
        let mut example = None;
        let mut matched = 0;
        for k in extra {
            if missing.contains(normalise(k).as_str()) {
                matched += 1;
                example.get_or_insert((k.to_string(), normalise(k)));
            }
        }
        for k in missing.iter() {
            if extra_set.contains(normalise(k).as_str()) {
                matched += 1;
                example.get_or_insert((normalise(k), k.to_string()));
            }
        }
        if matched * 2 > missing.len().min(extra_set.len()) {
            let (key, other) = example.unwrap_or_default();
            return Some(crate::tr!(
                "data-key-mismatch-cause",
                matched = matched,
                cause = cause,
                key = key,
                other = other
            ));
        }
    }
    None
}

/// Missing units by key and label (`640522 (泾源县)`), the first few and a count.
fn list_units(missing: &[&str], keys: &Texts, labels: Option<&Texts>) -> String {
    let mut sorted = missing.to_vec();
    sorted.sort_unstable();
    let label = |key: &str| -> String {
        let row = keys.iter().position(|k| k == key);
        match (row, labels) {
            (Some(r), Some(l)) if !l[r].is_empty() => format!("{key} ({})", &l[r]),
            _ => key.to_string(),
        }
    };
    let shown: Vec<String> = sorted.iter().take(KEYS_LISTED).map(|k| label(k)).collect();
    let more = sorted.len().saturating_sub(KEYS_LISTED);
    if more > 0 {
        crate::tr!("data-units-list-more", units = shown.join(", "), more = more)
    } else {
        crate::tr!("data-units-list", units = shown.join(", "))
    }
}

fn list_keys(keys: &[&str]) -> String {
    let mut sorted = keys.to_vec();
    sorted.sort_unstable();
    let shown: Vec<&str> = sorted.iter().take(KEYS_LISTED).copied().collect();
    let more = sorted.len().saturating_sub(KEYS_LISTED);
    if more > 0 {
        crate::tr!("data-keys-list-more", keys = shown.join(", "), more = more)
    } else {
        crate::tr!("data-keys-list", keys = shown.join(", "))
    }
}
