//! Output files: what a run writes, rendered in memory, then written atomically.
//!
//! Every output is rendered to bytes first; only when all of them are ready are
//! they written, as one set ([`folder`]): a failed or killed run never leaves a mix of
//! old and new results, and files in the folder that `equalize` did not write are
//! never touched.

pub mod compare;
pub mod compare_many;
pub mod csv;
pub mod folder;
pub mod html;
pub mod metrics;
pub mod published;
pub mod summary;
pub mod table;
pub mod trace;
pub mod xlsx;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// How a report file (the workbook, the HTML page) is written. Its language is explicit,
/// never the terminal's: the report's bytes are hashed in manifest.json and reproduced by
/// `verify`, so the same run gives the same report whatever the language of the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportOptions {
    /// The language of the report's own headings, sheet names and notes (the formula's
    /// labels win where it gives them). English unless asked.
    pub language: crate::i18n::Lang,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            language: crate::i18n::Lang::En,
        }
    }
}

/// One rendered output file.
pub struct OutputFile {
    pub name: &'static str,
    pub bytes: Vec<u8>,
}

/// Replace the results in `dir` (created if missing) with `files`, all at once (see
/// [`folder`]); `family` names every result this kind of folder may hold.
pub fn write_all(dir: &Path, files: &[OutputFile], family: &[&str]) -> Result<Vec<PathBuf>> {
    folder::Folder::open(dir, family)?.replace(files)
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
        write_all(dir.path(), &files, &["a.csv"]).unwrap();
        write_all(dir.path(), &files, &["a.csv"]).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [".equalize-files", ".equalize.lock", "a.csv"]);
        assert_eq!(std::fs::read(dir.path().join("a.csv")).unwrap(), b"x\n");
    }
}
