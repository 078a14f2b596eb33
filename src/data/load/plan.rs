//! Which column of which table is the key, the label, and each input.

use super::*;

/// For every table: which column is the key, the label, and each input it supplies.
pub(super) fn plan(
    tables: &[AnyTable],
    inputs: &[&TableInput],
    formula: &Formula,
    key: &str,
    sources: &Sources,
    problems: &mut Vec<Diagnostic>,
    broken_filter: &mut bool,
) -> Vec<Plan> {
    let position = |table: &dyn Table, name: &str| table.headers().iter().position(|h| h == name);
    let mut plans: Vec<Plan> = Vec::new();
    for (table, input) in tables.iter().zip(inputs) {
        let same_name = table.headers().iter().filter(|h| *h == key).count();
        if same_name > 1 {
            problems.push(
                Diagnostic::error_t("data-key-column-repeated", crate::args![key = key, times = same_name])
                    .at(table.locate_header(0))
                    .note_t("data-key-column-repeated-note", crate::args![]),
            );
        }
        let filter = input.filter.as_ref().and_then(|(text, expr)| {
            crate::data::filter::RowFilter::bind(text, expr, table.headers(), sources)
                .map_err(|found| {
                    problems.extend(found);
                    *broken_filter = true;
                })
                .ok()
        });
        let mut skip = Vec::new();
        for entry in &input.skip_keys {
            match glob::Pattern::new(entry) {
                Ok(pattern) => skip.push((entry.clone(), pattern)),
                Err(e) => problems.push(
                    Diagnostic::error_t(
                        "data-skip-keys-bad-pattern",
                        crate::args![entry = entry, error = e.to_string()],
                    )
                    .at_file(table.file())
                    .note_t("data-skip-keys-bad-pattern-note", crate::args![]),
                ),
            }
        }
        match position(table, key) {
            Some(k) => plans.push(Plan {
                key: Some(k),
                label: None,
                inputs: Vec::new(),
                skip,
                filter,
            }),
            None => {
                let d =
                    Diagnostic::error_t("data-missing-key-column", crate::args![key = key]).at(table.locate_header(0));
                problems.push(suggest(d, std::slice::from_ref(table), &[key]));
                plans.push(Plan {
                    key: None,
                    label: None,
                    inputs: Vec::new(),
                    skip,
                    filter,
                });
            }
        }
    }
    if let Some(label) = &formula.label {
        // Every table that has the label column reads it: the first gives the units' labels,
        // the others are checked against it.
        let mut found = false;
        for (t, table) in tables.iter().enumerate() {
            if let Some(column) = position(table, label) {
                plans[t].label = Some(column);
                found = true;
            }
        }
        if !found {
            problems.push(missing_column(tables, label, &[], None));
        }
    }
    for (index, input) in formula.inputs.iter().enumerate() {
        if input.prior.is_some() {
            continue; // filled from the prior run, not the data (`pipeline::prior`)
        }
        let mut wanted = vec![input.name.as_str()];
        wanted.extend(input.aliases.iter().map(String::as_str));
        let mut found = Vec::new();
        for (t, table) in tables.iter().enumerate() {
            let columns: Vec<usize> = table
                .headers()
                .iter()
                .enumerate()
                .filter(|(_, h)| wanted.contains(&h.as_str()))
                .map(|(c, _)| c)
                .collect();
            for c in columns {
                found.push((t, c));
            }
        }
        // A two-level header's column may be named by its child alone (`本年` for
        // `一般公共预算收入/本年`) where no column has the name and the child is unique in its table.
        if found.is_empty() {
            for (t, table) in tables.iter().enumerate() {
                let by_child: Vec<usize> = table
                    .headers()
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| crate::data::header::child_of(h).is_some_and(|c| wanted.contains(&c)))
                    .map(|(c, _)| c)
                    .collect();
                let unique = |c: usize| {
                    let child = crate::data::header::child_of(&table.headers()[c]);
                    table
                        .headers()
                        .iter()
                        .filter(|h| crate::data::header::child_of(h) == child)
                        .count()
                        == 1
                };
                if let [c] = by_child.as_slice() {
                    if unique(*c) {
                        found.push((t, *c));
                    }
                }
            }
        }
        match found.as_slice() {
            [(t, c)] => plans[*t].inputs.push((index, *c)),
            [] => problems.push(missing_column(
                tables,
                &input.name,
                &input.aliases,
                Some(input.kind.name()),
            )),
            several => {
                let places: Vec<String> = several
                    .iter()
                    .map(|&(t, c)| {
                        crate::tr!(
                            "data-column-in-table",
                            column = &tables[t].headers()[c],
                            table = tables[t].name()
                        )
                    })
                    .collect();
                let (t, c) = several[1];
                problems.push(
                    Diagnostic::error_t(
                        "data-input-several-columns",
                        crate::args![input = &input.name, columns = places.join(", ")],
                    )
                    .at(tables[t].locate_header(c))
                    .note_t("data-input-several-columns-note", crate::args![]),
                );
            }
        }
    }
    plans
}

/// `kind`: the type of the input the column is for; None for the label column.
fn missing_column(tables: &[AnyTable], name: &str, aliases: &[String], kind: Option<&str>) -> Diagnostic {
    let mut d = match kind {
        Some(kind) => Diagnostic::error_t("data-missing-input-column", crate::args![name = name, kind = kind]),
        None => Diagnostic::error_t("data-missing-label-column", crate::args![name = name]),
    };
    if tables.len() == 1 {
        d = d.at(tables[0].locate_header(0));
    }
    if !aliases.is_empty() {
        d = d.note_t("data-also-accepted-as", crate::args![aliases = aliases.join(", ")]);
    }
    let mut wanted = vec![name];
    wanted.extend(aliases.iter().map(String::as_str));
    suggest(d, tables, &wanted)
}

/// Headers searched and the closest to any of `wanted` (read loosely: full-width and
/// half-width, case, spaces, underscores and variant characters alike), at most three,
/// with the table each is in; the whole header only when it is short.
fn suggest(mut d: Diagnostic, tables: &[AnyTable], wanted: &[&str]) -> Diagnostic {
    let mut near: Vec<(usize, &str, &str)> = Vec::new();
    for table in tables {
        for want in wanted {
            for (rank, header) in crate::diag::closest(want, table.headers().iter().map(String::as_str), 3)
                .into_iter()
                .enumerate()
            {
                near.push((rank, header, table.name()));
            }
        }
    }
    near.sort();
    // The same header suggested for the name and for an alias is listed once, at its best.
    let mut seen = std::collections::HashSet::new();
    near.retain(|(_, header, table)| seen.insert((*header, *table)));
    near.truncate(3);
    // A suggestion that reads the same as what was written says what differs.
    let differs =
        |header: &str| -> Option<String> { wanted.iter().find_map(|w| crate::diag::how_it_differs(w, header)) };
    let many_tables = tables.len() > 1;
    // A suggested header, with its table when there are several and how it differs.
    let suggestion = |one: bool, header: &str, table: &str| -> String {
        let id = match (one, many_tables, differs(header).is_some()) {
            (true, false, false) => "data-suggest-column",
            (true, false, true) => "data-suggest-column-differs",
            (true, true, false) => "data-suggest-column-in-table",
            (true, true, true) => "data-suggest-column-in-table-differs",
            (false, false, false) => "data-suggested-column",
            (false, false, true) => "data-suggested-column-differs",
            (false, true, false) => "data-suggested-column-in-table",
            (false, true, true) => "data-suggested-column-in-table-differs",
        };
        crate::tr!(
            id,
            header = header,
            table = table,
            how = differs(header).unwrap_or_default()
        )
    };
    match near.as_slice() {
        [] => {}
        [(_, header, table)] => d = d.note(suggestion(true, header, table)),
        several => {
            let listed: Vec<String> = several
                .iter()
                .map(|(_, header, table)| suggestion(false, header, table))
                .collect();
            d = d.note_t("data-suggest-one-of", crate::args![columns = listed.join(", ")]);
        }
    }
    for table in tables {
        let headers = table.headers();
        d = if headers.len() <= 12 {
            d.note_t(
                "data-table-has",
                crate::args![table = table.name(), columns = headers.join(", ")],
            )
        } else {
            d.note_t(
                "data-table-searched",
                crate::args![
                    table = table.name(),
                    count = headers.len(),
                    columns = headers[..6].join(", ")
                ],
            )
        };
    }
    d
}
