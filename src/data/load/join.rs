//! Joining the tables' rows on the key: every table must cover the same keys.

use super::*;

/// Join the tables' rows on the key; all tables must cover the same keys.
/// One table's rows, with the names to report them under.
pub(super) struct Part {
    pub(super) name: String,
    pub(super) file: String,
    pub(super) extracted: Extracted,
}

pub(super) fn join(parts: Vec<Part>, formula: &Formula, origin: &str) -> std::result::Result<Dataset, Vec<Diagnostic>> {
    let mut parts = parts.into_iter();
    let Some(Part {
        name: first_name,
        file: first_file,
        extracted: first,
    }) = parts.next()
    else {
        return Err(Vec::new()); // every table failed earlier; those problems are reported
    };
    if first.keys.is_empty() {
        return Err(vec![
            Diagnostic::error("the table has a header but no data rows").at_file(&first_file)
        ]);
    }
    let mut labels = first.labels;
    let mut columns: Vec<Option<Column>> = vec![None; formula.inputs.len()];
    for (input, column) in first.columns {
        columns[input] = Some(column);
    }
    let position: HashMap<&str, usize> = first.keys.iter().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    let mut problems = Vec::new();
    for Part {
        file, extracted: part, ..
    } in parts
    {
        let mut order = vec![usize::MAX; first.keys.len()];
        let mut extra = Vec::new();
        for (row, key) in part.keys.iter().enumerate() {
            match position.get(key.as_str()) {
                Some(&i) => order[i] = row,
                None => extra.push(key.as_str()),
            }
        }
        let missing: Vec<&str> = order
            .iter()
            .enumerate()
            .filter(|(_, &r)| r == usize::MAX)
            .map(|(i, _)| first.keys[i].as_str())
            .collect();
        if !missing.is_empty() {
            problems.push(
                Diagnostic::error(format!(
                    "{} of {first_name} {} missing from this table",
                    plural(missing.len(), "key"),
                    if missing.len() == 1 { "is" } else { "are" }
                ))
                .at_file(&file)
                .note(list_keys(&missing)),
            );
        }
        if !extra.is_empty() {
            problems.push(
                Diagnostic::error(format!(
                    "{} of this table {} not in {first_name}",
                    plural(extra.len(), "key"),
                    if extra.len() == 1 { "is" } else { "are" }
                ))
                .at_file(&file)
                .note(list_keys(&extra)),
            );
        }
        if !problems.is_empty() {
            continue;
        }
        let reorder = |column: Column| -> Column {
            match column {
                Column::Num(v) => Column::Num(order.iter().map(|&r| v[r]).collect()),
                Column::Bool(v) => Column::Bool(order.iter().map(|&r| v[r]).collect()),
                Column::Text(v) => Column::Text(order.iter().map(|&r| v[r].clone()).collect()),
            }
        };
        for (input, column) in part.columns {
            columns[input] = Some(reorder(column));
        }
        if labels.is_none() {
            labels = part.labels.map(|l| order.iter().map(|&r| l[r].clone()).collect());
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // An input without a column had its problem (missing, ambiguous) reported while planning.
    let columns = columns.into_iter().collect::<Option<Vec<_>>>().ok_or_else(Vec::new)?;
    Ok(Dataset {
        origin: origin.to_string(),
        name: String::new(),
        provenance: String::new(),
        files: Vec::new(),
        input_files: Vec::new(),
        keys: first.keys,
        labels,
        columns,
    })
}

fn list_keys(keys: &[&str]) -> String {
    let mut sorted = keys.to_vec();
    sorted.sort_unstable();
    let shown: Vec<&str> = sorted.iter().take(KEYS_LISTED).copied().collect();
    let more = sorted.len().saturating_sub(KEYS_LISTED);
    if more > 0 {
        format!("keys: {} and {more} more", shown.join(", "))
    } else {
        format!("keys: {}", shown.join(", "))
    }
}
