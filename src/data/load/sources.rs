//! From a request to tables to read: files and workbook sheets, dataset folders with
//! their dataset.toml, the embedded demo, tables held in memory.

use std::path::{Path, PathBuf};

use super::{DataRequest, DataSource, TableInput, MAX_FILE_BYTES};
use crate::data::dataset::{self, TableSpec};
use crate::data::DataFile;
use crate::diag::{Diagnostic, Sources};
use crate::error::{Error, Result};
use crate::formula::Formula;

/// The tables a request names, with what the dataset.toml files say about them.
pub(super) struct Gathered {
    pub inputs: Vec<TableInput>,
    /// Every file read, for the manifest.
    pub read_files: Vec<DataFile>,
    /// The key column: the formula's, unless a dataset.toml names another.
    pub key: String,
    /// The datasets' display names and provenance.
    pub names: Vec<String>,
    pub provenance: Vec<String>,
    /// Some dataset.toml asks every table to hold the same keys.
    pub exact_join: bool,
}

/// Read every source of the request.
pub(super) fn gather(sources: &mut Sources, request: &DataRequest, formula: &Formula) -> Result<Gathered> {
    let mut inputs = Vec::new();
    let mut read_files: Vec<DataFile> = Vec::new();
    let mut key = formula.key.clone();
    let mut names = Vec::new();
    let mut provenance = Vec::new();
    let mut exact_join = false;
    // The first table given directly (not through dataset.toml): `--where` filters it.
    let mut first_direct: Option<usize> = None;
    let on_disk = |path: &Path| crate::data::on_disk(request.base.as_deref(), path);
    use crate::data::RecordedKind::{Disk, Embedded};
    let recorded = |name: &str, kind| crate::data::check_recorded(request.recorded.as_ref(), name, kind);
    // Whether each file given directly (not through dataset.toml) is a workbook.
    let mut direct: Vec<bool> = Vec::new();
    for source in &request.sources {
        match source {
            DataSource::Embedded { folder, files } => {
                let read = |name: &Path| -> std::result::Result<Vec<u8>, String> {
                    let name = name.to_string_lossy();
                    files
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map(|(_, b)| b.to_vec())
                        .ok_or(format!("no file {name}"))
                };
                recorded(&format!("{folder}/dataset.toml"), Embedded)?;
                let toml_bytes = read(Path::new("dataset.toml"));
                if let Ok(bytes) = &toml_bytes {
                    read_files.push(DataFile::new(format!("{folder}/dataset.toml"), bytes, true));
                }
                let spec = read_dataset_toml(sources, &format!("{folder}/dataset.toml"), toml_bytes)?;
                absorb(&spec, &mut key, &mut names, &mut provenance, folder);
                exact_join |= spec.exact_join;
                for table in &spec.tables {
                    let name = format!("{folder}/{}", table.file.display());
                    recorded(&name, Embedded)?;
                    let bytes = read(&table.file).map_err(|e| table_missing(folder, table, &e))?;
                    read_files.push(DataFile::new(&name, &bytes, true));
                    inputs.push(from_spec(name, bytes, table));
                }
            }
            DataSource::Path(path) if on_disk(path).is_dir() => {
                let toml_path = path.join("dataset.toml");
                recorded(&toml_path.display().to_string(), Disk)?;
                let text = read_file(&on_disk(&toml_path)).map_err(|e| match e {
                    Error::Io { .. } => Error::invalid(
                        Diagnostic::error_t(
                            "data-folder-without-toml",
                            crate::args![folder = path.display().to_string()],
                        )
                        .note_t("data-folder-without-toml-note", crate::args![]),
                    ),
                    other => other,
                })?;
                read_files.push(DataFile::new(toml_path.display().to_string(), &text, false));
                let spec = read_dataset_toml(sources, &toml_path.display().to_string(), Ok(text))?;
                let folder = path.display().to_string();
                absorb(&spec, &mut key, &mut names, &mut provenance, &folder);
                exact_join |= spec.exact_join;
                let mut problems = Vec::new();
                for table in &spec.tables {
                    // A dataset.toml may allow relative paths out of its folder; an absolute
                    // path (another disk, another user's files) needs the caller's --allow-outside.
                    let allowed = request.allow_outside || (spec.allow_outside && table.file.is_relative());
                    match dataset::resolve_inside(&on_disk(path), &table.file, allowed) {
                        Ok(real) => {
                            let file = path.join(&table.file);
                            recorded(&file.display().to_string(), Disk)?;
                            let bytes = read_file(&real)?;
                            read_files.push(DataFile::new(file.display().to_string(), &bytes, false));
                            let input = from_spec(file.display().to_string(), bytes, table);
                            // An option that cannot apply to the table is a mistake, not a no-op.
                            let misplaced = match (&table.sheet, table.encoding, input.workbook) {
                                (Some(sheet), _, false) => Some(Diagnostic::error_t(
                                    "data-sheet-not-workbook",
                                    crate::args![sheet = sheet, file = table.file.display().to_string()],
                                )),
                                (_, Some(encoding), true) => Some(Diagnostic::error_t(
                                    "data-encoding-for-workbook",
                                    crate::args![
                                        encoding = encoding.name().to_ascii_lowercase(),
                                        file = table.file.display().to_string()
                                    ],
                                )),
                                _ => None,
                            };
                            match misplaced {
                                Some(d) => problems.push(d.at(sources.locate(table.span))),
                                None => inputs.push(input),
                            }
                        }
                        Err(d) => problems.push(d.at(sources.locate(table.span))),
                    }
                }
                if !problems.is_empty() {
                    return Err(Error::Invalid(problems));
                }
            }
            DataSource::Bytes { name, bytes } => {
                first_direct.get_or_insert(inputs.len());
                direct.push(is_workbook(Path::new(name), bytes));
                names.push(name.clone());
                read_files.push(DataFile::new(name, bytes, false));
                inputs.push(TableInput {
                    workbook: is_workbook(Path::new(name), bytes),
                    name: name.clone(),
                    bytes: bytes.clone(),
                    sheet: request.sheet.clone(),
                    encoding: request.encoding,
                    renames: Vec::new(),
                    skip_keys: Vec::new(),
                    header: Default::default(),
                    filter: None,
                });
            }
            DataSource::Path(path) => {
                let (real, sheet) = split_sheet(&on_disk(path));
                let file = match &request.base {
                    Some(base) if path.is_relative() => real.strip_prefix(base).unwrap_or(&real).to_path_buf(),
                    _ => real.clone(),
                };
                let name = file.display().to_string();
                recorded(&name, Disk)?;
                let bytes = read_file(&real)?;
                if let (Some(sheet), false) = (&sheet, is_workbook(&real, &bytes)) {
                    return Err(Error::invalid(
                        Diagnostic::error_t(
                            "data-hash-sheet-not-workbook",
                            crate::args![sheet = sheet, file = real.display().to_string()],
                        )
                        .note_t("data-hash-sheet-not-workbook-note", crate::args![]),
                    ));
                }
                names.push(name.clone());
                read_files.push(DataFile::new(&name, &bytes, false));
                first_direct.get_or_insert(inputs.len());
                direct.push(is_workbook(&file, &bytes));
                inputs.push(TableInput {
                    workbook: is_workbook(&file, &bytes),
                    name,
                    bytes,
                    sheet: sheet.or_else(|| request.sheet.clone()),
                    encoding: request.encoding,
                    renames: Vec::new(),
                    skip_keys: Vec::new(),
                    header: Default::default(),
                    filter: None,
                });
            }
        }
    }
    // `--sheet` and `--encoding` apply to files given directly; given for none, they would
    // silently do nothing.
    if !direct.is_empty() || request.sources.iter().any(|s| matches!(s, DataSource::Path(_))) {
        if request.sheet.is_some() && !direct.iter().any(|workbook| *workbook) {
            return Err(Error::usage(crate::tr!("data-sheet-flag-unused")));
        }
        if request.encoding.is_some() && !direct.iter().any(|workbook| !*workbook) {
            return Err(Error::usage(crate::tr!("data-encoding-flag-unused")));
        }
    }
    if let Some(text) = &request.filter {
        let Some(first) = first_direct else {
            return Err(Error::usage(crate::tr!("data-where-flag-unused")));
        };
        if first != 0 {
            return Err(Error::usage(crate::tr!("data-where-flag-folder")));
        }
        let id = sources.add("--where", text.clone());
        let placement = crate::formula::lexer::Placement {
            file: id,
            start: Some(0),
            whole: crate::diag::Span::new(id, 0, text.len()),
        };
        let expr = crate::formula::parser::parse_expression(text, placement).map_err(|e| {
            Error::invalid(
                Diagnostic::error_t("data-where-flag-syntax", crate::args![message = &e.message])
                    .at(sources.locate(e.span)),
            )
        })?;
        inputs[first].filter = Some((text.clone(), expr));
    }
    Ok(Gathered {
        inputs,
        read_files,
        key,
        names,
        provenance,
        exact_join,
    })
}

fn absorb(
    spec: &dataset::DatasetSpec,
    key: &mut String,
    names: &mut Vec<String>,
    provenance: &mut Vec<String>,
    folder: &str,
) {
    if let Some(k) = &spec.key {
        key.clone_from(k);
    }
    names.push(if spec.name.is_empty() {
        folder.to_string()
    } else {
        format!("{folder} ({})", spec.name)
    });
    if !spec.source.is_empty() {
        provenance.push(spec.source.clone());
    }
}

pub(super) fn from_spec(name: String, bytes: Vec<u8>, table: &TableSpec) -> TableInput {
    TableInput {
        workbook: is_workbook(Path::new(&name), &bytes),
        name,
        bytes,
        sheet: table.sheet.clone(),
        encoding: table.encoding,
        renames: table.renames.clone(),
        skip_keys: table.skip_keys.clone(),
        header: table.header,
        filter: table.filter.clone(),
    }
}

pub(super) fn table_missing(folder: &str, table: &TableSpec, error: &str) -> Error {
    Error::Internal(format!("embedded dataset {folder}: {} ({error})", table.file.display()))
}

pub(super) fn read_dataset_toml(
    sources: &mut Sources,
    name: &str,
    bytes: std::result::Result<Vec<u8>, String>,
) -> Result<dataset::DatasetSpec> {
    let bytes = bytes.map_err(Error::Internal)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::invalid(Diagnostic::error_t("data-toml-not-utf8", crate::args![]).at_file(name)))?;
    let id = sources.add(name, text);
    dataset::read(sources, id).map_err(Error::Invalid)
}

pub(super) fn read_file(path: &Path) -> Result<Vec<u8>> {
    crate::files::read_regular(path, "data file", MAX_FILE_BYTES)
}

/// `book.xlsx#Sheet2` → (`book.xlsx`, Some(`Sheet2`)) when `book.xlsx#Sheet2` itself does not exist.
pub(super) fn split_sheet(path: &Path) -> (PathBuf, Option<String>) {
    let text = path.to_string_lossy();
    if !path.exists() {
        if let Some((file, sheet)) = text.rsplit_once('#') {
            if Path::new(file).is_file() {
                return (PathBuf::from(file), Some(sheet.to_string()));
            }
        }
    }
    (path.to_path_buf(), None)
}

pub(super) fn is_workbook(path: &Path, bytes: &[u8]) -> bool {
    let extension = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("xlsx" | "xlsm" | "xlsb" | "xls" | "ods") => true,
        Some("csv" | "txt") => false,
        // Unknown: a zip (xlsx, ods) or an OLE compound file (xls) is a workbook.
        _ => bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0"),
    }
}
