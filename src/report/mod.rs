//! Output files: what a run writes, rendered in memory, then written atomically.
//!
//! Every output is rendered to bytes first; only when all of them are ready are
//! they written, each to a temporary file in the output folder and then renamed
//! over its final name. A failed run therefore leaves no partial file and never
//! replaces a good result with a broken one, and files in the folder that
//! `equalize` did not write are never touched.

pub mod compare;
pub mod csv;
pub mod html;
pub mod metrics;
pub mod summary;
pub mod table;
pub mod trace;
pub mod xlsx;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// One rendered output file.
pub struct OutputFile {
    pub name: &'static str,
    pub bytes: Vec<u8>,
}

/// Write all files into `dir` (created if missing): temp files first, then renames.
pub fn write_all(dir: &Path, files: &[OutputFile]) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, "create the output folder", e))?;
    remove_stale_temporaries(dir, files);
    let mut staged = Vec::with_capacity(files.len());
    for file in files {
        let mut temp = ordinary_file_builder()
            .prefix(&format!(".{}.", file.name))
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| Error::io(dir, "create a temporary file in", e))?;
        temp.write_all(&file.bytes)
            .map_err(|e| Error::io(temp.path(), "write", e))?;
        temp.as_file()
            .sync_all()
            .map_err(|e| Error::io(temp.path(), "flush", e))?;
        staged.push((temp, dir.join(file.name)));
    }
    let mut written = Vec::with_capacity(staged.len());
    for (temp, target) in staged {
        temp.persist(&target)
            .map_err(|e| Error::io(&target, "replace", e.error))?;
        written.push(target);
    }
    Ok(written)
}

/// A run killed while writing leaves its temporary files (`.allocations.csv.XXXX.tmp`);
/// the next run into the folder removes those of the files it writes, and nothing else.
fn remove_stale_temporaries(dir: &Path, files: &[OutputFile]) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = files
            .iter()
            .any(|f| name.starts_with(&format!(".{}.", f.name)) && name.ends_with(".tmp"));
        if ours && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Temporary files are created as ordinary files are: mode 0666 less the umask (0644
/// under the usual umask 022), so a renamed output is readable as any other file the
/// user writes. tempfile's own default is 0600.
fn ordinary_file_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder
}

/// Write one file atomically (temporary file beside it, then rename).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, "create the folder", e))?;
    let mut temp = ordinary_file_builder()
        .prefix(".equalize.")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| Error::io(&dir, "create a temporary file in", e))?;
    temp.write_all(bytes).map_err(|e| Error::io(temp.path(), "write", e))?;
    temp.as_file()
        .sync_all()
        .map_err(|e| Error::io(temp.path(), "flush", e))?;
    temp.persist(path).map_err(|e| Error::io(path, "replace", e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_files_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let files = [OutputFile {
            name: "a.csv",
            bytes: b"x\n".to_vec(),
        }];
        write_all(dir.path(), &files).unwrap();
        write_all(dir.path(), &files).unwrap();
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["a.csv".to_string()]);
        assert_eq!(std::fs::read(dir.path().join("a.csv")).unwrap(), b"x\n");
    }
}
