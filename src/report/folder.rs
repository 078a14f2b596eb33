//! An output folder whose files equalize replaces as one set: all old or all new.
//!
//! Each file is first written to a temporary `.equalize-tmp.NAME` in the folder. Then a
//! journal, `.equalize-journal`, naming the new set and the old files to remove, is
//! renamed into place: that rename is the moment the new set is committed. The
//! temporaries are then renamed over their final names, stale results removed, the set
//! recorded in `.equalize-files`, and the journal deleted. A process killed at any
//! instant leaves either no journal (the old set is intact; the temporaries are deleted
//! on the next start) or a journal (the next start, or any equalize command that reads
//! the folder, completes it). Writers hold an advisory lock on `.equalize.lock`, so a
//! second run into the same folder stops with a clear message instead of interfering.
//! Nothing is touched but the names equalize writes: the set it is given, the names of
//! its family of outputs, and its own dot-files.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::OutputFile;
use crate::error::{Error, Result};

const LOCK: &str = ".equalize.lock";
const JOURNAL: &str = ".equalize-journal";
const SET: &str = ".equalize-files";
const TEMP_PREFIX: &str = ".equalize-tmp.";

#[derive(Debug, Serialize, Deserialize, Default)]
struct Journal {
    /// The new set: each `.equalize-tmp.NAME` becomes `NAME`.
    files: Vec<String>,
    /// Results of an earlier run that the new set does not have.
    remove: Vec<String>,
}

/// An output folder opened for writing, locked.
pub struct Folder {
    dir: PathBuf,
    /// Every name a result of this kind of folder may have: nothing else is renamed or removed.
    family: Vec<String>,
    /// Staged files being flushed to disk, each on its own thread while the next file is
    /// rendered; [`Folder::commit`] waits for all of them before the journal names them.
    syncing: std::sync::Mutex<Vec<(PathBuf, std::thread::JoinHandle<std::io::Result<()>>)>>,
    _lock: File,
}

/// A name equalize may write: a plain file name, no folder, not one of its dot-files.
fn plain(name: &str) -> bool {
    !name.is_empty() && !name.contains(['/', '\\']) && name != "." && name != ".." && !name.starts_with(".equalize")
}

/// A pause between the steps of a commit, for tests that kill a run mid-commit
/// (`EQUALIZE_TEST_SLOW_COMMIT_MS`); none otherwise.
fn pause() {
    if let Some(ms) = std::env::var("EQUALIZE_TEST_SLOW_COMMIT_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

fn sync_dir(dir: &Path) {
    // Makes the renames durable; not every platform can open a folder, which is harmless.
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// Create a new file as ordinary files are: 0666 less the umask (0644 under umask 022).
/// Exclusively: an existing entry of that name (a planted symbolic link) is never followed.
fn create_ordinary(path: &Path) -> Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o666);
    }
    options.open(path).map_err(|e| Error::io(path, "create", e))
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = create_ordinary(path)?;
    file.write_all(bytes).map_err(|e| Error::io(path, "write", e))?;
    file.sync_all().map_err(|e| Error::io(path, "flush", e))
}

impl Folder {
    /// Open `dir` for writing (creating it), take its lock, and finish or undo whatever
    /// a killed run left in it. `family` names every result this kind of folder may hold.
    pub fn open(dir: &Path, family: &[&str]) -> Result<Folder> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, "create the output folder", e))?;
        let lock = lock(dir)?;
        let family: Vec<String> = family.iter().map(|n| n.to_string()).collect();
        recover_locked(dir, &family)?;
        Ok(Folder {
            dir: dir.to_path_buf(),
            family,
            syncing: std::sync::Mutex::new(Vec::new()),
            _lock: lock,
        })
    }

    /// Replace the folder's set of results with `files`. `family` names every file this
    /// kind of folder may hold; those not in `files` are removed, as are the files of the
    /// previous set. Returns the paths written.
    pub fn replace(&self, files: &[OutputFile]) -> Result<Vec<PathBuf>> {
        for file in files {
            self.stage(file.name, &file.bytes)?;
        }
        let names: Vec<String> = files.iter().map(|f| f.name.to_string()).collect();
        self.commit(&names)
    }

    fn staged(&self, name: &str) -> Result<PathBuf> {
        if !plain(name) || !self.family.iter().any(|n| n == name) {
            return Err(Error::Internal(format!("output name {name:?}")));
        }
        Ok(self.dir.join(format!("{TEMP_PREFIX}{name}")))
    }

    /// Write one file of the new set, not yet visible.
    pub fn stage(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let path = self.staged(name)?;
        let mut file = create_ordinary(&path)?;
        file.write_all(bytes).map_err(|e| Error::io(&path, "write", e))?;
        self.sync_later(path, file);
        pause();
        Ok(())
    }

    /// Flush `file` to disk on a thread of its own: the disk's wait (milliseconds for a
    /// county-level audit file) overlaps the next file's rendering instead of adding to it.
    fn sync_later(&self, path: PathBuf, file: File) {
        let handle = std::thread::spawn(move || file.sync_all());
        self.syncing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((path, handle));
    }

    /// Wait until every staged file is on disk; the first that could not be flushed is an error.
    fn wait_synced(&self) -> Result<()> {
        let pending = std::mem::take(&mut *self.syncing.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        let mut first_error = None;
        for (path, handle) in pending {
            let outcome = handle
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("the flushing thread stopped")));
            if let (Err(e), None) = (outcome, &first_error) {
                first_error = Some(Error::io(&path, "flush", e));
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Write one file of the new set as a stream; returns its SHA-256.
    pub fn stage_with(
        &self,
        name: &str,
        write: &mut dyn FnMut(&mut (dyn Write + Send)) -> Result<()>,
    ) -> Result<String> {
        let path = self.staged(name)?;
        let file = create_ordinary(&path)?;
        let mut writer = crate::audit::hash::HashingWriter::new(std::io::BufWriter::new(file));
        write(&mut writer)?;
        let (buffered, hash) = writer.finish();
        let file = buffered
            .into_inner()
            .map_err(|e| Error::io(&path, "write", e.into_error()))?;
        self.sync_later(path, file);
        pause();
        Ok(hash)
    }

    /// Make the staged files `names` the folder's set, all at once (see the module).
    pub fn commit(&self, names: &[String]) -> Result<Vec<PathBuf>> {
        // The journal may name only files already on disk.
        self.wait_synced()?;
        let dir = &self.dir;
        let new: Vec<String> = names.to_vec();
        let mut old = read_set(dir);
        old.extend(self.family.iter().filter(|n| dir.join(n).exists()).cloned());
        old.retain(|n| self.family.contains(n) && !new.contains(n));
        old.sort();
        old.dedup();
        let journal = Journal {
            files: new,
            remove: old,
        };
        let bytes = serde_json::to_vec(&journal).map_err(|e| Error::Internal(format!("journal: {e}")))?;
        let staged = dir.join(format!("{TEMP_PREFIX}journal"));
        write_synced(&staged, &bytes)?;
        // The commit: from here on the new set wins, even if the process dies.
        std::fs::rename(&staged, dir.join(JOURNAL)).map_err(|e| Error::io(dir.join(JOURNAL), "create", e))?;
        sync_dir(dir);
        pause();
        apply(dir, &journal, &self.family)?;
        Ok(journal.files.iter().map(|n| dir.join(n)).collect())
    }
}

fn lock(dir: &Path) -> Result<File> {
    let path = dir.join(LOCK);
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| Error::io(&path, "open the lock file", e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::usage(crate::tr!(
            "report-folder-locked",
            folder = dir.display().to_string(),
            lock = LOCK
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&path, "lock", e)),
    }
}

/// The previous set, as recorded.
fn read_set(dir: &Path) -> Vec<String> {
    std::fs::read(dir.join(SET))
        .ok()
        .and_then(|b| serde_json::from_slice::<Vec<String>>(&b).ok())
        .unwrap_or_default()
}

/// Complete a committed journal: temporaries to their names, stale results removed,
/// the set recorded, the journal deleted. Safe to repeat. Only names of `family` are
/// renamed or removed, whatever the journal says.
fn apply(dir: &Path, journal: &Journal, family: &[String]) -> Result<()> {
    let ours = |n: &&String| plain(n) && family.contains(n);
    for name in journal.files.iter().filter(ours) {
        let temp = dir.join(format!("{TEMP_PREFIX}{name}"));
        if temp.exists() {
            std::fs::rename(&temp, dir.join(name)).map_err(|e| Error::io(dir.join(name), "replace", e))?;
            pause();
        }
    }
    for name in journal.remove.iter().filter(ours) {
        match std::fs::remove_file(dir.join(name)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(dir.join(name), "remove", e)),
        }
    }
    let kept: Vec<&String> = journal.files.iter().filter(ours).collect();
    let set = serde_json::to_vec(&kept).map_err(|e| Error::Internal(format!("set: {e}")))?;
    let staged = dir.join(format!("{TEMP_PREFIX}set"));
    remove_entry(&staged)?;
    write_synced(&staged, &set)?;
    std::fs::rename(&staged, dir.join(SET)).map_err(|e| Error::io(dir.join(SET), "replace", e))?;
    std::fs::remove_file(dir.join(JOURNAL)).map_err(|e| Error::io(dir.join(JOURNAL), "remove", e))?;
    sync_dir(dir);
    Ok(())
}

/// Remove a file or symbolic link, if there.
fn remove_entry(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(path, "remove", e)),
    }
}

/// With the lock held: complete a committed journal, then delete uncommitted temporaries
/// (whatever they are: a symbolic link planted under a temporary's name is removed, not
/// followed). A journal that cannot be read is an error, and nothing is touched.
fn recover_locked(dir: &Path, family: &[String]) -> Result<()> {
    let journal_path = dir.join(JOURNAL);
    if std::fs::symlink_metadata(&journal_path).is_ok() {
        let journal: Journal = std::fs::read(&journal_path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| {
                Error::usage(crate::tr!(
                    "report-folder-bad-journal",
                    folder = dir.display().to_string(),
                    journal = JOURNAL
                ))
            })?;
        apply(dir, &journal, family)?;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(TEMP_PREFIX) {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                return Err(Error::usage(crate::tr!(
                    "report-folder-temporary-folder",
                    path = entry.path().display().to_string()
                )));
            }
            remove_entry(&entry.path())?;
        }
    }
    Ok(())
}

/// For writers and tests: take the lock and finish or undo what a killed writer left.
pub fn recover_for_writing(dir: &Path, family: &[&str]) -> Result<()> {
    let _lock = lock(dir)?;
    let family: Vec<String> = family.iter().map(|n| n.to_string()).collect();
    recover_locked(dir, &family)
}

/// Held while a results folder is read: a shared lock, so no run replaces the set midway.
pub struct ReadGuard {
    _lock: Option<File>,
}

/// For readers of a results folder (`verify`, `compare`, `sweep merge`): a reader never
/// changes the folder. A committed but unfinished write (a journal) is reported, to be
/// finished by the next command that writes to the folder; temporaries of an uncommitted
/// write are ignored. Keep the guard while reading: a writer then waits for the reader.
pub fn check_readable(dir: &Path) -> Result<ReadGuard> {
    if std::fs::symlink_metadata(dir.join(JOURNAL)).is_ok() {
        return Err(Error::usage(crate::tr!(
            "report-folder-unfinished-write",
            folder = dir.display().to_string(),
            journal = JOURNAL
        )));
    }
    // A folder without a lock file (written by hand, or read-only) is read as it is.
    let lock = match File::open(dir.join(LOCK)) {
        Ok(file) => match file.try_lock_shared() {
            Ok(()) => Some(file),
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::usage(crate::tr!(
                    "report-folder-being-written",
                    folder = dir.display().to_string()
                )))
            }
            Err(std::fs::TryLockError::Error(_)) => None,
        },
        Err(_) => None,
    };
    Ok(ReadGuard { _lock: lock })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &'static str, text: &str) -> OutputFile {
        OutputFile {
            name,
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with(".equalize"))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_new_set_replaces_the_old_one_and_stale_results_go() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        std::fs::write(dir.path().join(".allocations.csv.user.tmp"), "mine too").unwrap();
        let family = ["a.csv", "b.csv", "c.csv"];
        let folder = Folder::open(dir.path(), &family).unwrap();
        folder.replace(&[file("a.csv", "1"), file("b.csv", "1")]).unwrap();
        folder.replace(&[file("a.csv", "2")]).unwrap();
        assert_eq!(names(dir.path()), [".allocations.csv.user.tmp", "a.csv", "notes.txt"]);
        assert_eq!(std::fs::read_to_string(dir.path().join("a.csv")).unwrap(), "2");
    }

    #[test]
    fn the_commit_waits_for_every_staged_file_to_be_flushed() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::open(dir.path(), &["a.csv", "b.csv"]).unwrap();
        folder.stage("a.csv", b"1").unwrap();
        let hash = folder
            .stage_with("b.csv", &mut |w| {
                w.write_all(b"2").map_err(|e| Error::Internal(e.to_string()))
            })
            .unwrap();
        assert_eq!(hash, crate::audit::hash::sha256_hex(b"2"));
        // Both flushes are under way on their own threads until the commit takes them.
        assert_eq!(folder.syncing.lock().unwrap().len(), 2);
        folder.commit(&["a.csv".to_string(), "b.csv".to_string()]).unwrap();
        assert!(
            folder.syncing.lock().unwrap().is_empty(),
            "the journal named files not yet flushed"
        );
        assert_eq!(std::fs::read_to_string(dir.path().join("b.csv")).unwrap(), "2");
    }

    #[test]
    fn a_second_writer_is_refused_while_the_first_holds_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let _first = Folder::open(dir.path(), &["a.csv"]).unwrap();
        let second = Folder::open(dir.path(), &["a.csv"]).err().unwrap().to_string();
        assert!(second.contains("another equalize is writing to"), "{second}");
    }

    #[test]
    fn a_committed_journal_is_completed_and_uncommitted_temporaries_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("a.csv"), "old").unwrap();
        std::fs::write(d.join("stale.csv"), "old").unwrap();
        // Killed after the commit: the journal and one temporary remain.
        std::fs::write(d.join(".equalize-tmp.a.csv"), "new").unwrap();
        std::fs::write(d.join("notes.txt"), "mine").unwrap();
        let journal = Journal {
            files: vec!["a.csv".into()],
            remove: vec!["stale.csv".into(), "../escape".into(), "notes.txt".into()],
        };
        std::fs::write(d.join(JOURNAL), serde_json::to_vec(&journal).unwrap()).unwrap();
        // A reader refuses; it never changes the folder.
        assert!(check_readable(d).is_err());
        assert_eq!(std::fs::read_to_string(d.join("a.csv")).unwrap(), "old");
        let family = ["a.csv", "stale.csv"];
        recover_for_writing(d, &family).unwrap();
        assert_eq!(names(d), ["a.csv", "notes.txt"], "only the family's names are touched");
        assert_eq!(std::fs::read_to_string(d.join("a.csv")).unwrap(), "new");
        // Killed before the commit: temporaries only; the old set stays.
        std::fs::write(d.join(".equalize-tmp.a.csv"), "newer").unwrap();
        assert!(check_readable(d).is_ok());
        recover_for_writing(d, &family).unwrap();
        assert_eq!(std::fs::read_to_string(d.join("a.csv")).unwrap(), "new");
        assert!(!d.join(".equalize-tmp.a.csv").exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_link_under_a_temporarys_name_is_removed_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "precious").unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        std::os::unix::fs::symlink(&victim, out.join(".equalize-tmp.a.csv")).unwrap();
        let folder = Folder::open(&out, &["a.csv"]).unwrap();
        folder.replace(&[file("a.csv", "results")]).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(std::fs::read_to_string(out.join("a.csv")).unwrap(), "results");
        assert!(!std::fs::symlink_metadata(out.join("a.csv"))
            .unwrap()
            .file_type()
            .is_symlink());
    }

    #[test]
    fn an_unreadable_journal_stops_a_writer_and_touches_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.csv"), "old").unwrap();
        std::fs::write(dir.path().join(JOURNAL), "{ not json").unwrap();
        let err = Folder::open(dir.path(), &["a.csv"]).err().unwrap().to_string();
        assert!(err.contains("holds a journal equalize cannot read"), "{err}");
        assert_eq!(std::fs::read_to_string(dir.path().join("a.csv")).unwrap(), "old");
    }
}
