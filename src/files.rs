//! Reading input files safely: regular files only, never more than a limit.
//!
//! Every file equalize reads (formulas, scenarios, sweeps, tests, dataset.toml, data
//! tables, manifests, published outputs) comes through [`read_regular`]. A FIFO would
//! block forever and a device (`/dev/zero`) never ends; both are refused before they are
//! opened. Sizes are checked before reading and bounded while reading, since some files
//! (under /proc, say) report a size of zero and grow.

use std::io::Read;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::error::{Error, Result};

/// Largest data table read, in bytes.
pub const MAX_DATA_BYTES: u64 = 1 << 30;
/// Largest text file read (formula, scenario, sweep, test file, dataset.toml, manifest).
pub const MAX_TEXT_BYTES: u64 = 64 << 20;

/// The bytes of a regular file of at most `limit` bytes; `what` names the file's role
/// in messages ("data file", "formula file").
pub fn read_regular(path: &Path, what: &str, limit: u64) -> Result<Vec<u8>> {
    let metadata = std::fs::metadata(path).map_err(|e| Error::io(path, "read", e))?;
    let what = &role(what);
    if !metadata.is_file() {
        let id = if metadata.is_dir() {
            "data-file-is-folder"
        } else {
            "data-file-not-regular"
        };
        return Err(Error::invalid(
            Diagnostic::error_t(id, crate::args![what = what])
                .at_file(path.display().to_string())
                .note_t("data-file-give-path", crate::args![what = what]),
        ));
    }
    let too_big = |d: Diagnostic| {
        Error::invalid(
            d.at_file(path.display().to_string())
                .note_t("data-file-too-big-note", crate::args![]),
        )
    };
    if metadata.len() > limit {
        return Err(too_big(Diagnostic::error_t(
            "data-file-too-big",
            crate::args![what = what, size = metadata.len(), limit = limit],
        )));
    }
    // Opened without blocking (a path swapped for a FIFO after the check above must not
    // hang the open), then checked again on the open file itself.
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        const O_NONBLOCK: i32 = 0o4000;
        options.custom_flags(O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| Error::io(path, "read", e))?;
    if !file.metadata().map_err(|e| Error::io(path, "read", e))?.is_file() {
        return Err(Error::invalid(
            Diagnostic::error_t("data-file-changed-while-opened", crate::args![what = what])
                .at_file(path.display().to_string()),
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, "read", e))?;
    if bytes.len() as u64 > limit {
        return Err(too_big(Diagnostic::error_t(
            "data-file-grew",
            crate::args![what = what, limit = limit],
        )));
    }
    Ok(bytes)
}

/// The role of a file as messages name it ("data file"), in the current language; a role
/// the catalogue does not know is shown as given.
fn role(what: &str) -> String {
    let id = match what {
        "data file" => "data-role-data-file",
        "formula file" => "data-role-formula-file",
        "manifest" => "data-role-manifest",
        "published output" => "data-role-published-output",
        "input" => "data-role-input",
        "scenario file" => "data-role-scenario-file",
        "sweep file" => "data-role-sweep-file",
        "sweep record" => "data-role-sweep-record",
        "sweep table" => "data-role-sweep-table",
        "test file" => "data-role-test-file",
        "prior run's summary" => "data-role-prior-summary",
        "prior run's audit" => "data-role-prior-audit",
        _ => return what.to_string(),
    };
    crate::tr!(id)
}

/// [`read_regular`] as UTF-8 text; invalid bytes are reported by offset.
pub fn read_text(path: &Path, what: &str, limit: u64) -> Result<String> {
    let bytes = read_regular(path, what, limit)?;
    String::from_utf8(bytes).map_err(|e| {
        Error::invalid(
            Diagnostic::error_t(
                "data-file-not-utf8",
                crate::args![what = role(what), offset = e.utf8_error().valid_up_to()],
            )
            .at_file(path.display().to_string()),
        )
    })
}

/// Are `a` and `b` the same file or folder? Compared by device and inode on Unix, so a
/// second name for the same place (a symbolic link, a bind mount) is caught.
pub fn same_place(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        #[cfg(unix)]
        (Ok(x), Ok(y)) => {
            use std::os::unix::fs::MetadataExt;
            x.dev() == y.dev() && x.ino() == y.ino()
        }
        #[cfg(not(unix))]
        (Ok(_), Ok(_)) => matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y),
        _ => false,
    }
}

/// The folder an input lives in (itself, for a folder input).
fn folder_of(input: &Path) -> std::path::PathBuf {
    if input.is_dir() {
        return input.to_path_buf();
    }
    match input.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    }
}

/// Refuse to write results into `out` (a folder) when it holds one of `inputs`: a file
/// there could be overwritten, and inputs and results would mix.
pub fn refuse_folder_of_inputs(out: &Path, inputs: &[std::path::PathBuf]) -> Result<()> {
    for input in inputs {
        if same_place(out, &folder_of(input)) || same_place(out, input) {
            return Err(Error::usage(crate::tr!(
                "data-out-holds-input",
                out = out.display().to_string(),
                input = input.display().to_string()
            )));
        }
    }
    Ok(())
}

/// Refuse to write the file `out` over one of `inputs`, or into one of `folders` (the
/// results folders a command reads, which it never changes). Beside an input file (a
/// scenario in the folder the analyst works in) is allowed.
pub fn refuse_file_over_inputs(
    out: &Path,
    inputs: &[std::path::PathBuf],
    folders: &[std::path::PathBuf],
) -> Result<()> {
    for input in inputs {
        if same_place(out, input) {
            return Err(Error::usage(crate::tr!(
                "data-out-over-input",
                out = out.display().to_string(),
                input = input.display().to_string()
            )));
        }
    }
    for folder in folders {
        if same_place(&folder_of(out), folder) {
            return Err(Error::usage(crate::tr!(
                "data-out-into-results-folder",
                out = out.display().to_string(),
                folder = folder.display().to_string()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_and_others_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "hello").unwrap();
        assert_eq!(read_regular(&file, "data file", 10).unwrap(), b"hello");
        let err = read_regular(&file, "data file", 4).unwrap_err().to_string();
        assert!(
            err.contains("the data file is 5 bytes; the limit for a data file is 4 bytes"),
            "{err}"
        );
        let err = read_regular(dir.path(), "formula file", 10).unwrap_err().to_string();
        assert!(err.contains("error: the formula file is a folder"), "{err}");
        if Path::new("/dev/zero").exists() {
            let err = read_regular(Path::new("/dev/zero"), "data file", 10)
                .unwrap_err()
                .to_string();
            assert!(err.contains("not a regular file"), "{err}");
        }
    }

    #[test]
    fn files_that_grow_past_their_stated_size_are_cut_off_at_the_limit() {
        // /proc files report a size of 0 and are longer.
        let path = Path::new("/proc/self/status");
        if path.exists() {
            let err = read_regular(path, "data file", 8).unwrap_err().to_string();
            assert!(
                err.contains("the data file is over 8 bytes (it grew while being read)"),
                "{err}"
            );
        }
    }
}
