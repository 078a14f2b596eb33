//! `dataset.toml`: a folder of tables that together describe the units.
//!
//! ```toml
//! [dataset]
//! name = "Demo province 2025"
//! key = "county_code"
//! source = "..."                     # provenance, shown in summaries and manifests
//! [[table]]
//! file = "population.csv"
//! [[table]]
//! file = "revenue.xlsx"
//! sheet = "2025"
//! [[table]]
//! file = "service_gaps.csv"
//! encoding = "gb18030"
//! columns = { "学校缺口" = "school_gap" }   # rename on load
//! skip_keys = ["NA"]                        # rows to leave out
//! ```
//!
//! Table files must lie inside the dataset folder (no `..`, no absolute paths,
//! no symlinks leading out) unless the caller allows it.

use std::path::{Component, Path, PathBuf};

use super::encoding::Encoding;
use crate::diag::{did_you_mean, Diagnostic, FileId, Sources, Span};
use crate::tomlspan::{self, Entry, Node, NodeKind};

#[derive(Debug, Clone, Default)]
pub struct DatasetSpec {
    pub name: String,
    pub key: Option<String>,
    pub description: String,
    pub source: String,
    pub tables: Vec<TableSpec>,
}

#[derive(Debug, Clone)]
pub struct TableSpec {
    pub file: PathBuf,
    pub span: Span,
    pub sheet: Option<String>,
    pub encoding: Option<Encoding>,
    pub renames: Vec<(String, String)>,
    pub skip_keys: Vec<String>,
}

const DATASET_KEYS: &[&str] = &["name", "key", "description", "source"];
const TABLE_KEYS: &[&str] = &["file", "sheet", "encoding", "columns", "skip_keys"];

/// Read a registered dataset.toml; every problem is reported.
pub fn read(sources: &Sources, file: FileId) -> Result<DatasetSpec, Vec<Diagnostic>> {
    let root = tomlspan::parse(sources, file).map_err(|d| vec![d])?;
    let mut problems = Vec::new();
    let mut spec = DatasetSpec::default();
    let mut error = |span: Span, message: String, note: Option<String>| {
        let mut d = Diagnostic::error(message).at(sources.locate(span));
        if let Some(note) = note {
            d = d.note(note);
        }
        problems.push(d);
    };
    let text = |e: &Entry| match &e.value.kind {
        NodeKind::Str { value, .. } => Some(value.clone()),
        _ => None,
    };
    let check_keys =
        |table: &Node, allowed: &[&str], what: &str, error: &mut dyn FnMut(Span, String, Option<String>)| {
            for e in table.entries().unwrap_or_default() {
                if !allowed.contains(&e.key.as_str()) {
                    let hint = did_you_mean(&e.key, allowed.iter().copied())
                        .map(|h| format!("did you mean '{h}'?"))
                        .unwrap_or_else(|| format!("expected one of: {}", allowed.join(", ")));
                    error(e.key_span, format!("unknown key '{}' in {what}", e.key), Some(hint));
                }
            }
        };
    check_keys(&root, &["dataset", "table"], "dataset.toml", &mut error);
    if let Some(dataset) = root.get("dataset") {
        check_keys(&dataset.value, DATASET_KEYS, "[dataset]", &mut error);
        for e in dataset.value.entries().unwrap_or_default() {
            let Some(value) = text(e) else {
                error(e.value.span, format!("dataset.{} must be a string", e.key), None);
                continue;
            };
            match e.key.as_str() {
                "name" => spec.name = value,
                "key" => spec.key = Some(value),
                "description" => spec.description = value,
                "source" => spec.source = value,
                _ => {}
            }
        }
    }
    match root.get("table").map(|e| &e.value.kind) {
        Some(NodeKind::Array(tables)) => {
            for table in tables {
                check_keys(table, TABLE_KEYS, "[[table]]", &mut error);
                let Some(file_entry) = table.get("file") else {
                    error(table.span, "a [[table]] needs a 'file'".into(), None);
                    continue;
                };
                let Some(file) = text(file_entry) else {
                    error(file_entry.value.span, "table.file must be a string".into(), None);
                    continue;
                };
                let mut t = TableSpec {
                    file: PathBuf::from(file),
                    span: file_entry.value.span,
                    sheet: None,
                    encoding: None,
                    renames: Vec::new(),
                    skip_keys: Vec::new(),
                };
                for e in table.entries().unwrap_or_default() {
                    match e.key.as_str() {
                        "sheet" => t.sheet = text(e),
                        "encoding" => match text(e).as_deref().map(Encoding::parse) {
                            Some(Some(enc)) => t.encoding = Some(enc),
                            _ => error(
                                e.value.span,
                                "unknown encoding".into(),
                                Some("expected utf-8, utf-16le, utf-16be, gb18030 or gbk".into()),
                            ),
                        },
                        "columns" => {
                            for rename in e.value.entries().unwrap_or_default() {
                                match text(rename) {
                                    Some(to) => t.renames.push((rename.key.clone(), to)),
                                    None => error(rename.value.span, "a new column name must be a string".into(), None),
                                }
                            }
                        }
                        "skip_keys" => match &e.value.kind {
                            NodeKind::Array(items) => t.skip_keys.extend(items.iter().filter_map(|i| match &i.kind {
                                NodeKind::Str { value, .. } => Some(value.clone()),
                                _ => None,
                            })),
                            _ => error(e.value.span, "skip_keys must be an array of strings".into(), None),
                        },
                        _ => {}
                    }
                }
                spec.tables.push(t);
            }
        }
        _ => error(
            Span::new(file, 0, 0),
            "dataset.toml lists no tables".into(),
            Some("add [[table]] entries with file = \"...\"".into()),
        ),
    }
    if problems.is_empty() {
        Ok(spec)
    } else {
        Err(problems)
    }
}

/// Resolve a table path inside `folder`, refusing paths that lead outside it.
pub fn resolve_inside(folder: &Path, file: &Path, allow_outside: bool) -> Result<PathBuf, String> {
    let joined = folder.join(file);
    if allow_outside {
        return Ok(joined);
    }
    if file.is_absolute()
        || file
            .components()
            .any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)))
    {
        return Err(format!(
            "'{}' is outside the dataset folder; tables must live under it (or pass --allow-outside)",
            file.display()
        ));
    }
    // A symlink inside the folder may still lead out: compare the real paths.
    if let (Ok(real_folder), Ok(real_file)) = (folder.canonicalize(), joined.canonicalize()) {
        if !real_file.starts_with(&real_folder) {
            return Err(format!(
                "'{}' leads outside the dataset folder through a symbolic link (or pass --allow-outside)",
                file.display()
            ));
        }
    }
    Ok(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_outside_the_folder_are_refused() {
        let folder = Path::new("datasets/demo");
        assert!(resolve_inside(folder, Path::new("../../etc/passwd"), false).is_err());
        assert!(resolve_inside(folder, Path::new("/etc/passwd"), false).is_err());
        assert!(resolve_inside(folder, Path::new("population.csv"), false).is_ok());
        assert!(resolve_inside(folder, Path::new("../x.csv"), true).is_ok());
    }
}
