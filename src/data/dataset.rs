//! `dataset.toml`: a folder of tables that together describe the units.
//!
//! ```toml
//! [dataset]
//! name = "Demo province 2025"
//! key = "county_code"
//! source = "..."                     # provenance, shown in summaries and manifests
//! join = "left"                      # the first table defines the units (or "exact")
//! allow_outside = true               # tables may lie outside this folder (default: refused)
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
//! header_row = 3                            # the header's row (found when not given)
//! header_rows = 2                           # a two-level header
//! where = "starts_with(code, '62')"         # rows to keep (see super::filter)
//! ```
//!
//! Table files must lie inside the dataset folder (no `..`, no absolute paths,
//! no symlinks leading out) unless the caller (`--allow-outside`) or the dataset.toml
//! itself (`allow_outside = true`) allows it.

use std::path::{Component, Path, PathBuf};

use super::encoding::Encoding;
use crate::diag::{Diagnostic, FileId, Sources, Span};
use crate::tomlspan;

#[derive(Debug, Clone, Default)]
pub struct DatasetSpec {
    pub name: String,
    pub key: Option<String>,
    pub description: String,
    pub source: String,
    pub tables: Vec<TableSpec>,
    /// `join = "exact"`: every table must hold the same keys. By default (`"left"`) the
    /// first table defines the units and the others are joined to it.
    pub exact_join: bool,
    /// `allow_outside = true`: tables may be read from outside the folder (`../national/
    /// census.xlsx`), as `--allow-outside` allows for every dataset. Written in the file, so
    /// the manifest's hash of dataset.toml records the permission.
    pub allow_outside: bool,
}

#[derive(Debug, Clone)]
pub struct TableSpec {
    pub file: PathBuf,
    pub span: Span,
    pub sheet: Option<String>,
    pub encoding: Option<Encoding>,
    pub renames: Vec<(String, String)>,
    pub skip_keys: Vec<String>,
    pub header: super::header::HeaderSpec,
    /// `where = "..."`: the rows to keep, as written and parsed.
    pub filter: Option<(String, crate::formula::ast::Expr)>,
}

const DATASET_KEYS: &[&str] = &["name", "key", "description", "source", "join", "allow_outside"];
const TABLE_KEYS: &[&str] = &[
    "file",
    "sheet",
    "encoding",
    "columns",
    "skip_keys",
    "header_row",
    "header_rows",
    "where",
];

/// Read a registered dataset.toml; every problem is reported.
pub fn read(sources: &Sources, file: FileId) -> Result<DatasetSpec, Vec<Diagnostic>> {
    let root = tomlspan::parse(sources, file).map_err(|d| vec![d])?;
    let mut r = tomlspan::Reader::new(sources, file);
    let mut spec = DatasetSpec::default();
    r.check_keys(&root, &["dataset", "table"], "dataset.toml");
    if let Some(dataset) = root.get("dataset").and_then(|e| r.table(e, "[dataset]")) {
        r.check_keys(dataset, DATASET_KEYS, "[dataset]");
        for e in dataset.entries().unwrap_or_default() {
            let what = format!("dataset.{}", e.key);
            match e.key.as_str() {
                "name" => spec.name = r.string(e, &what).unwrap_or_default(),
                "key" => spec.key = r.string(e, &what),
                "description" => spec.description = r.string(e, &what).unwrap_or_default(),
                "source" => spec.source = r.string(e, &what).unwrap_or_default(),
                "allow_outside" => spec.allow_outside = r.boolean(e, &what).unwrap_or(false),
                "join" => match r.string(e, &what).as_deref() {
                    Some("exact") => spec.exact_join = true,
                    Some("left") | None => {}
                    Some(other) => error_t(&mut r, e.value.span, "data-unknown-join", crate::args![join = other])
                        .notes
                        .push(crate::tr!("data-unknown-join-note")),
                },
                _ => {}
            }
        }
    }
    let tables = match root.get("table") {
        Some(entry) => r.tables(entry, "[[table]]"),
        None => Vec::new(),
    };
    if tables.is_empty() && root.get("table").is_none() {
        let start = r.file_start();
        error_t(&mut r, start, "data-no-tables", crate::args![])
            .notes
            .push(crate::tr!("data-no-tables-note"));
    }
    for table in tables {
        r.check_keys(table, TABLE_KEYS, "[[table]]");
        let Some(file_entry) = table.get("file") else {
            error_t(&mut r, table.span, "data-table-needs-file", crate::args![]);
            continue;
        };
        let Some(file) = r.string(file_entry, "table.file") else {
            continue;
        };
        let mut t = TableSpec {
            file: PathBuf::from(file),
            span: file_entry.value.span,
            sheet: None,
            encoding: None,
            renames: Vec::new(),
            skip_keys: Vec::new(),
            header: Default::default(),
            filter: None,
        };
        for e in table.entries().unwrap_or_default() {
            match e.key.as_str() {
                "sheet" => t.sheet = r.string(e, "table.sheet"),
                "encoding" => match r.string(e, "table.encoding").map(|name| (Encoding::parse(&name), name)) {
                    Some((Some(encoding), _)) => t.encoding = Some(encoding),
                    Some((None, name)) => error_t(
                        &mut r,
                        e.value.span,
                        "data-unknown-encoding",
                        crate::args![name = &name],
                    )
                    .notes
                    .push(crate::tr!("data-unknown-encoding-note")),
                    None => {}
                },
                "columns" => {
                    if let Some(renames) = r.table(e, "table.columns") {
                        for rename in renames.entries().unwrap_or_default() {
                            if let Some(to) =
                                r.string(rename, &crate::tr!("data-what-new-column-name", column = &rename.key))
                            {
                                t.renames.push((rename.key.clone(), to));
                            }
                        }
                    }
                }
                "skip_keys" => t.skip_keys = r.strings(e, "table.skip_keys"),
                "header_row" => match r.count(e, "table.header_row", 1_000_000).map(|n| n as usize) {
                    Some(0) => {
                        error_t(&mut r, e.value.span, "data-header-row-from-one", crate::args![]);
                    }
                    row => t.header.row = row,
                },
                "where" => {
                    if let tomlspan::NodeKind::Str { value, content_start } = &e.value.kind {
                        let placement = crate::formula::lexer::Placement {
                            file: e.value.span.file,
                            start: *content_start,
                            whole: e.value.span,
                        };
                        match crate::formula::parser::parse_expression(value, placement) {
                            Ok(expr) => t.filter = Some((value.clone(), expr)),
                            Err(err) => {
                                error_t(
                                    &mut r,
                                    err.span,
                                    "data-where-syntax",
                                    crate::args![message = &err.message],
                                );
                            }
                        }
                    } else {
                        error_t(&mut r, e.value.span, "data-where-not-string", crate::args![]);
                    }
                }
                "header_rows" => match r.count(e, "table.header_rows", 1_000).map(|n| n as usize) {
                    Some(rows @ 1..=2) => t.header.rows = Some(rows),
                    Some(_) => {
                        error_t(&mut r, e.value.span, "data-header-rows-range", crate::args![]);
                    }
                    None => {}
                },
                _ => {}
            }
        }
        spec.tables.push(t);
    }
    r.finish(spec)
}

/// An error of the catalogue's `id` at `span`, with its identifier as the code.
fn error_t<'r>(
    r: &'r mut tomlspan::Reader<'_>,
    span: crate::diag::Span,
    id: &'static str,
    args: &[(&str, crate::i18n::Arg)],
) -> &'r mut Diagnostic {
    let d = r.error(span, crate::i18n::t(id, args));
    d.code = Some(id);
    d
}

/// Resolve a table path inside `folder`, refusing paths that lead outside it.
pub fn resolve_inside(folder: &Path, file: &Path, allow_outside: bool) -> Result<PathBuf, Diagnostic> {
    let joined = folder.join(file);
    if allow_outside {
        return Ok(joined);
    }
    if file.is_absolute()
        || file
            .components()
            .any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)))
    {
        return Err(Diagnostic::error_t(
            "data-table-outside-folder",
            crate::args![file = file.display().to_string()],
        ));
    }
    // A symlink inside the folder may still lead out: compare the real paths.
    if let (Ok(real_folder), Ok(real_file)) = (folder.canonicalize(), joined.canonicalize()) {
        if !real_file.starts_with(&real_folder) {
            return Err(Diagnostic::error_t(
                "data-table-symlink-outside",
                crate::args![file = file.display().to_string()],
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
