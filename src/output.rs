//! Writing the built site to disk, atomically.
//!
//! Everything goes into a temporary sibling of the output folder first; only when every
//! file is written is the old folder swapped out and the new one renamed into place. A
//! build that fails anywhere before that leaves the previous output byte-for-byte as it was.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::render::{OutputFile, Sink};

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteStats {
    pub rendered: usize,
    pub copied: usize,
}

/// A failure to write the output; not a content problem.
#[derive(Debug)]
pub struct OutputError {
    pub path: PathBuf,
    pub message: String,
}

impl From<OutputError> for crate::diagnostics::Diagnostic {
    /// One format for every problem, in `build` and `serve` alike: `PATH:1:1: error: ...`
    /// (an output problem has no line of its own).
    fn from(e: OutputError) -> Self {
        crate::diagnostics::Diagnostic::file_error(e.path, e.message)
    }
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = crate::diagnostics::Diagnostic::file_error(&self.path, self.message.clone());
        write!(f, "{d}")
    }
}

fn err(path: &Path, what: &str, e: io::Error) -> OutputError {
    OutputError {
        path: path.to_path_buf(),
        message: format!("{what}: {e}"),
    }
}

/// Refuses output folders whose replacement would destroy sources: the site root, a
/// folder above it, or one of the site's own folders.
pub fn check_target(root: &Path, out_dir: &Path) -> Result<(), OutputError> {
    let canon = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let root_c = canon(root);
    // The output may not exist yet: canonicalize its parent.
    let out_c = match (out_dir.parent(), out_dir.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            canon(parent).join(name)
        }
        _ => canon(out_dir),
    };
    // Every folder the site reads or owns (its sources, its theme, its published schemas
    // and translations), and the repository's own.
    let protected = [
        "content",
        "themes",
        "templates",
        "static",
        "schema",
        "i18n",
        "src",
        ".git",
    ];
    let bad =
        root_c.starts_with(&out_c) || protected.iter().any(|p| out_c.starts_with(root_c.join(p)));
    if bad {
        return Err(OutputError {
            path: out_dir.to_path_buf(),
            message: "refusing to build into this folder: it holds the site's sources, and \
                      the build replaces its output folder entirely"
                .into(),
        });
    }
    Ok(())
}

/// Refuses an output folder that is the site's themes folder (site.yaml's `themes_dir`,
/// which may lie outside the site), inside it, or above it.
pub fn check_themes_target(
    root: &Path,
    out_dir: &Path,
    themes_dir: &Path,
) -> Result<(), OutputError> {
    let canon = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let themes_c = canon(&root.join(themes_dir));
    let out_c = match (out_dir.parent(), out_dir.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => canon(parent).join(name),
        (_, Some(name)) => canon(Path::new(".")).join(name),
        _ => canon(out_dir),
    };
    if themes_c.starts_with(&out_c) || out_c.starts_with(&themes_c) {
        return Err(OutputError {
            path: out_dir.to_path_buf(),
            message: "refusing to build into this folder: it holds the site's themes \
                      (themes_dir), and the build replaces its output folder entirely"
                .into(),
        });
    }
    Ok(())
}

/// An output folder being written: files go into a temporary sibling folder, which
/// [`Writer::commit`] swaps into place. Dropped without a commit, it leaves no trace.
pub struct Writer {
    out_dir: PathBuf,
    tmp: PathBuf,
    old: PathBuf,
    /// Held while this build owns the output folder's parent: a second build into it waits.
    /// Dropped last, after the temporary folder is gone.
    _lock: OutputLock,
    /// The first failure; later writes are skipped.
    error: Mutex<Option<OutputError>>,
    written: AtomicUsize,
    copied: AtomicUsize,
    /// Time spent in writes, summed over the threads that write, in nanoseconds.
    writing: std::sync::atomic::AtomicU64,
    /// Counts files as they are written, for a progress display.
    progress: Option<std::sync::Arc<crate::Progress>>,
    /// The folders made so far in the temporary folder: each is made once, instead of
    /// asked for again with every file in it (10,000 record data files share one).
    dirs: Mutex<foldhash::HashSet<String>>,
    committed: bool,
}

impl Writer {
    /// Checks the target and creates the temporary folder.
    pub fn begin(root: &Path, out_dir: &Path) -> Result<Writer, OutputError> {
        check_target(root, out_dir)?;
        let name = out_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = match out_dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|e| err(&parent, "cannot create folder", e))?;
        // Only one build writes beside the output at a time; under the lock, any temporary
        // folder found is a dead build's.
        let lock = OutputLock::acquire(&parent, &name)?;
        let pid = std::process::id();
        let tmp = parent.join(format!(".{name}.certguide-tmp-{pid}"));
        let old = parent.join(format!(".{name}.certguide-old-{pid}"));
        // Leftovers of builds that were killed half-way (a live build would hold the lock).
        let prefixes = [
            format!(".{name}.certguide-tmp-"),
            format!(".{name}.certguide-old-"),
        ];
        for entry in fs::read_dir(&parent).into_iter().flatten().flatten() {
            let file_name = entry.file_name();
            let file_name = file_name.to_string_lossy();
            if prefixes.iter().any(|p| file_name.starts_with(p.as_str())) {
                remove_tree(&entry.path());
            }
        }
        fs::create_dir(&tmp).map_err(|e| err(&tmp, "cannot create folder", e))?;
        Ok(Writer {
            out_dir: out_dir.to_path_buf(),
            tmp,
            old,
            _lock: lock,
            error: Mutex::new(None),
            written: AtomicUsize::new(0),
            copied: AtomicUsize::new(0),
            writing: Default::default(),
            progress: None,
            dirs: Mutex::default(),
            committed: false,
        })
    }

    /// Copies one static file in (static files come before rendered files, which may
    /// override them).
    pub fn copy_static(&self, rel: &str, src: &Path) -> bool {
        if self.failed() {
            return false;
        }
        let target = self.tmp.join(rel);
        let result = self
            .make_parent(rel)
            .and_then(|()| fs::copy(src, &target).map(|_| ()));
        self.settle(result, &self.copied, src, "cannot copy")
    }

    /// Counts every file written into `progress` from now on.
    pub fn with_progress(mut self, progress: std::sync::Arc<crate::Progress>) -> Writer {
        self.progress = Some(progress);
        self
    }

    /// Time spent writing so far, summed over the threads that wrote.
    pub fn writing_time(&self) -> std::time::Duration {
        std::time::Duration::from_nanos(self.writing.load(Ordering::Relaxed))
    }

    /// Writes one file (from any thread). Returns false once anything has failed.
    pub fn write(&self, file: &OutputFile) -> bool {
        self.write_with(&file.path, &mut |mut f| {
            self.timed(move || f.write_all(&file.bytes))
        })
    }

    /// Writes the file at `rel` a part at a time, as `parts` writes them (from any
    /// thread). Only the time spent writing counts as writing, not the time spent making
    /// the parts. Returns false once anything has failed.
    pub fn write_parts(
        &self,
        rel: &str,
        parts: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> bool {
        struct Timed<'a>(&'a Writer, fs::File);
        impl Write for Timed<'_> {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                self.0.timed(|| self.1.write(buf))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        self.write_with(rel, &mut |f| parts(&mut Timed(self, f)))
    }

    /// Creates the file at `rel` and has `write` write it.
    fn write_with(&self, rel: &str, write: &mut dyn FnMut(fs::File) -> io::Result<()>) -> bool {
        if self.failed() {
            return false;
        }
        if let Some(p) = &self.progress {
            p.done.fetch_add(1, Ordering::Relaxed);
        }
        let target = self.tmp.join(rel);
        let result = self.timed(|| {
            self.make_parent(rel)?;
            fs::File::create(&target)
        });
        let result = result.and_then(&mut *write);
        self.settle(result, &self.written, &target, "cannot write")
    }

    /// Runs `f`, adding the time it takes to the time spent writing.
    fn timed<T>(&self, f: impl FnOnce() -> T) -> T {
        let started = std::time::Instant::now();
        let out = f();
        self.writing
            .fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
        out
    }

    /// Makes the folder the file at `rel` (relative to the output, with `/` separators)
    /// goes in, unless it was made already.
    fn make_parent(&self, rel: &str) -> io::Result<()> {
        let Some((dir, _)) = rel.rsplit_once('/') else {
            return Ok(());
        };
        let made = |d: &str| {
            self.dirs
                .lock()
                .map(|dirs| dirs.contains(d))
                .unwrap_or(false)
        };
        if made(dir) {
            return Ok(());
        }
        fs::create_dir_all(self.tmp.join(dir))?;
        if let Ok(mut dirs) = self.dirs.lock() {
            dirs.insert(dir.to_string());
        }
        Ok(())
    }

    /// Counts a file done, or keeps its failure (the first one wins) and says to stop.
    fn settle(&self, result: io::Result<()>, count: &AtomicUsize, path: &Path, what: &str) -> bool {
        match result {
            Ok(()) => {
                count.fetch_add(1, Ordering::Relaxed);
                true
            }
            Err(e) => {
                if let Ok(mut slot) = self.error.lock() {
                    slot.get_or_insert(err(path, what, e));
                }
                false
            }
        }
    }

    fn failed(&self) -> bool {
        self.error.lock().map(|e| e.is_some()).unwrap_or(true)
    }

    /// Swaps the written folder into place, unless a write failed.
    pub fn commit(mut self) -> Result<WriteStats, OutputError> {
        if let Some(e) = self.error.lock().ok().and_then(|mut e| e.take()) {
            return Err(e);
        }
        swap(&self.tmp, &self.out_dir, &self.old)?;
        self.committed = true;
        Ok(WriteStats {
            rendered: self.written.load(Ordering::Relaxed),
            copied: self.copied.load(Ordering::Relaxed),
        })
    }
}

/// The sink of `build`: each file is written as soon as it is rendered.
impl Sink for Writer {
    fn file(&self, file: OutputFile) -> bool {
        self.write(&file)
    }

    fn file_in_parts(
        &self,
        path: &str,
        parts: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Option<bool> {
        Some(self.write_parts(path, parts))
    }

    fn static_file(&self, rel: &str, root: &Path, src: &Path) -> bool {
        self.copy_static(rel, &root.join(src))
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

/// An advisory lock (`flock`) on the folder that holds the output: two builds into the same
/// place take turns instead of deleting each other's temporary folder. The lock dies with
/// the process, so a killed build never blocks the next one.
struct OutputLock {
    _file: fs::File,
}

impl OutputLock {
    fn acquire(parent: &Path, name: &str) -> Result<OutputLock, OutputError> {
        // On Unix the folder itself is locked, leaving nothing behind; elsewhere a folder
        // cannot be opened as a file, so a hidden lock file beside the output is.
        let target = if cfg!(unix) {
            parent.to_path_buf()
        } else {
            parent.join(format!(".{name}.certguide-lock"))
        };
        let file = if cfg!(unix) {
            fs::File::open(&target)
        } else {
            fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&target)
        }
        .map_err(|e| err(&target, "cannot open for locking", e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                eprintln!(
                    "waiting for another certguide build into {} to finish...",
                    parent.join(name).display()
                );
                file.lock()
                    .map_err(|e| err(&target, "cannot lock the output folder", e))?;
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(err(&target, "cannot lock the output folder", e));
            }
        }
        Ok(OutputLock { _file: file })
    }
}

/// Moves `tmp` into place at `out_dir`, keeping the old folder until the new one is in.
fn swap(tmp: &Path, out_dir: &Path, old: &Path) -> Result<(), OutputError> {
    let had_old = match fs::symlink_metadata(out_dir) {
        Ok(m) if m.is_dir() => {
            fs::rename(out_dir, old)
                .map_err(|e| err(out_dir, "cannot move the old output aside", e))?;
            true
        }
        Ok(_) => {
            let _ = fs::remove_dir_all(tmp);
            return Err(OutputError {
                path: out_dir.to_path_buf(),
                message: "exists and is not a folder; remove it or choose another --output".into(),
            });
        }
        Err(_) => false,
    };
    if let Err(e) = fs::rename(tmp, out_dir) {
        if had_old {
            let _ = fs::rename(old, out_dir);
        }
        let _ = fs::remove_dir_all(tmp);
        return Err(err(out_dir, "cannot move the new output into place", e));
    }
    if had_old {
        // The new site is in place; failing to delete the old one only leaves litter,
        // which the next build clears.
        remove_tree(old);
    }
    Ok(())
}

/// Deletes a folder tree, its top-level entries in parallel (deleting waits on the disk).
fn remove_tree(dir: &Path) {
    let entries: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.par_iter().for_each(|p| {
        let _ = if p.is_dir() && !p.is_symlink() {
            fs::remove_dir_all(p)
        } else {
            fs::remove_file(p)
        };
    });
    let _ = fs::remove_dir_all(dir);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_written_in_parts_is_published_and_a_failed_part_fails_the_build() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let out = dir.path().join("public");
        let writer = Writer::begin(dir.path(), &out).expect("begun");
        let ok = writer.write_parts("data/big.json", &mut |w| {
            w.write_all(b"[1,")?;
            w.write_all(b"2]")
        });
        assert!(ok);
        writer.commit().expect("committed");
        assert_eq!(fs::read(out.join("data/big.json")).expect("read"), b"[1,2]");

        let writer = Writer::begin(dir.path(), &out).expect("begun");
        let failed = writer.write_parts("data/big.json", &mut |w| {
            w.write_all(b"[1,")?;
            Err(io::Error::other("disk full"))
        });
        assert!(!failed);
        assert!(!writer.write_parts("data/next.json", &mut |_| Ok(())));
        let e = writer
            .commit()
            .map(|_| ())
            .expect_err("the failure is kept");
        assert!(e.to_string().contains("disk full"), "{e}");
        assert_eq!(fs::read(out.join("data/big.json")).expect("read"), b"[1,2]");
    }
}
