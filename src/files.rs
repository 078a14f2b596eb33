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
    if !metadata.is_file() {
        let kind = if metadata.is_dir() {
            "a folder"
        } else {
            "not a regular file (a pipe, socket or device)"
        };
        return Err(Error::invalid(
            Diagnostic::error(format!("the {what} is {kind}"))
                .at_file(path.display().to_string())
                .note(format!("give the path of the {what} itself")),
        ));
    }
    let too_big = |size: String| {
        Error::invalid(
            Diagnostic::error(format!("the {what} is {size}; the limit for a {what} is {limit} bytes"))
                .at_file(path.display().to_string())
                .note("check that this is the right file, or split it"),
        )
    };
    if metadata.len() > limit {
        return Err(too_big(format!("{} bytes", metadata.len())));
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
            Diagnostic::error(format!(
                "the {what} is not a regular file (it changed while being opened)"
            ))
            .at_file(path.display().to_string()),
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, "read", e))?;
    if bytes.len() as u64 > limit {
        return Err(too_big(format!("over {limit} bytes (it grew while being read)")));
    }
    Ok(bytes)
}

/// [`read_regular`] as UTF-8 text; invalid bytes are reported by offset.
pub fn read_text(path: &Path, what: &str, limit: u64) -> Result<String> {
    let bytes = read_regular(path, what, limit)?;
    String::from_utf8(bytes).map_err(|e| {
        Error::invalid(
            Diagnostic::error(format!(
                "the {what} is not valid UTF-8 (bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ))
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
            return Err(Error::usage(format!(
                "--out {} holds the input {}; write the results to a folder of their own",
                out.display(),
                input.display()
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
            return Err(Error::usage(format!(
                "{} would be written over the input {}; write it somewhere else",
                out.display(),
                input.display()
            )));
        }
    }
    for folder in folders {
        if same_place(&folder_of(out), folder) {
            return Err(Error::usage(format!(
                "{} would be written into the results folder {}, which this command only reads; write it somewhere else (--out DIR/NAME)",
                out.display(),
                folder.display()
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
