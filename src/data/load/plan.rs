//! Which column of which table is the key, the label, and each input.

use super::*;

/// For every table: which column is the key, the label, and each input it supplies.
pub(super) fn plan<'a>(
    tables: &[AnyTable],
    inputs: &[&'a TableInput],
    formula: &Formula,
    key: &str,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Plan<'a>> {
    let position = |table: &dyn Table, name: &str| table.headers().iter().position(|h| h == name);
    let mut plans: Vec<Plan> = Vec::new();
    for (table, input) in tables.iter().zip(inputs) {
        let same_name = table.headers().iter().filter(|h| *h == key).count();
        if same_name > 1 {
            problems.push(
                Diagnostic::error(format!(
                    "the key column '{key}' appears {same_name} times in the header"
                ))
                .at(table.locate_header(0))
                .note("rename or remove the extra columns, so it is clear which one identifies a unit"),
            );
        }
        match position(table, key) {
            Some(k) => plans.push(Plan {
                key: Some(k),
                label: None,
                inputs: Vec::new(),
                skip_keys: &input.skip_keys,
            }),
            None => {
                let hint = did_you_mean(key, table.headers().iter().map(String::as_str));
                let mut d = Diagnostic::error(format!("missing key column '{key}'")).at(table.locate_header(0));
                if let Some(h) = hint {
                    d = d.note(format!("did you mean '{h}'?"));
                }
                problems.push(d.note(format!("the header has: {}", table.headers().join(", "))));
                plans.push(Plan {
                    key: None,
                    label: None,
                    inputs: Vec::new(),
                    skip_keys: &input.skip_keys,
                });
            }
        }
    }
    if let Some(label) = &formula.label {
        match tables.iter().position(|t| position(t, label).is_some()) {
            Some(t) => plans[t].label = position(&tables[t], label),
            None => problems.push(missing_column(tables, label, &[], "the label")),
        }
    }
    for (index, input) in formula.inputs.iter().enumerate() {
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
        match found.as_slice() {
            [(t, c)] => plans[*t].inputs.push((index, *c)),
            [] => problems.push(missing_column(
                tables,
                &input.name,
                &input.aliases,
                &format!("input of type {}", input.kind.name()),
            )),
            several => {
                let places: Vec<String> = several
                    .iter()
                    .map(|&(t, c)| format!("'{}' in {}", tables[t].headers()[c], tables[t].name()))
                    .collect();
                let (t, c) = several[1];
                problems.push(
                    Diagnostic::error(format!(
                        "several columns can supply input '{}': {}",
                        input.name,
                        places.join(", ")
                    ))
                    .at(tables[t].locate_header(c))
                    .note("keep one of them (or rename one in dataset.toml), or remove the alias from the formula"),
                );
            }
        }
    }
    plans
}

fn missing_column(tables: &[AnyTable], name: &str, aliases: &[String], what: &str) -> Diagnostic {
    let all: Vec<&str> = tables
        .iter()
        .flat_map(|t| t.headers().iter().map(String::as_str))
        .collect();
    let mut d = Diagnostic::error(format!("missing column '{name}' ({what})"));
    if tables.len() == 1 {
        d = d.at(tables[0].locate_header(0));
    }
    if !aliases.is_empty() {
        d = d.note(format!("also accepted as: {}", aliases.join(", ")));
    }
    if let Some(hint) = did_you_mean(name, all.iter().copied()) {
        d = d.note(format!("did you mean '{hint}'?"));
    }
    for table in tables {
        d = d.note(format!("{} has: {}", table.name(), table.headers().join(", ")));
    }
    d
}
