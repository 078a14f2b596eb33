//! Output files: what a run writes, rendered in memory, then written atomically.
//!
//! Every output is rendered to bytes first; only when all of them are ready are
//! they written, each to a temporary file in the output folder and then renamed
//! over its final name. A failed run therefore leaves no partial file and never
//! replaces a good result with a broken one, and files in the folder that
//! `equalize` did not write are never touched.

pub mod csv;
pub mod metrics;
pub mod summary;
pub mod trace;

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
    let mut staged = Vec::with_capacity(files.len());
    for file in files {
        let mut temp = tempfile::Builder::new()
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
