//! Watching the site's sources with notify, and turning bursts of events (an editor's
//! write-then-rename, a `git checkout` of 500 files) into one batch of changed paths.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

/// How long the file system must stay quiet before a batch is handed over.
pub const QUIET: Duration = Duration::from_millis(20);
/// The longest a batch waits while events keep coming.
pub const MAX_WAIT: Duration = Duration::from_millis(500);

/// The folders and files under the site root that are watched.
const WATCHED: [&str; 6] = [
    "site.yaml",
    "content",
    "templates",
    "themes",
    "static",
    "i18n",
];

/// Keeps the watcher alive; dropping it stops watching.
pub struct Watch {
    _watcher: Arc<Mutex<notify::RecommendedWatcher>>,
}

/// A themes folder outside the site root (site.yaml's `themes_dir: ../../themes`): where it
/// really is, and the path the site names it by.
#[derive(Clone)]
struct Outside {
    canonical: PathBuf,
    written: PathBuf,
}

impl Outside {
    /// `path` under this folder, as a path relative to the site root (`../../themes/x`).
    fn relative(&self, path: &Path) -> Option<PathBuf> {
        path.strip_prefix(&self.canonical)
            .ok()
            .map(|rest| self.written.join(rest))
    }
}

/// Starts watching `root`, and `themes_dir` (relative to the root, from site.yaml) when it
/// lies outside it. Batches of changed paths (absolute, or relative to the root for the
/// themes folder outside it) arrive on the returned receiver.
pub fn start(root: &Path, themes_dir: &Path) -> notify::Result<(Watch, Receiver<Vec<PathBuf>>)> {
    let (raw_tx, raw_rx) = channel::<PathBuf>();
    let (batch_tx, batch_rx) = channel::<Vec<PathBuf>>();
    let root_c = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let outside = root
        .join(themes_dir)
        .canonicalize()
        .ok()
        .filter(|c| !c.starts_with(&root_c))
        .map(|canonical| Outside {
            canonical,
            written: themes_dir.to_path_buf(),
        });
    let mut watcher = notify::recommended_watcher({
        let root_c = root_c.clone();
        let outside = outside.clone();
        move |event: notify::Result<notify::Event>| {
            let Ok(event) = event else { return };
            if matches!(event.kind, notify::EventKind::Access(_)) {
                return;
            }
            for path in event.paths {
                let theirs = outside
                    .as_ref()
                    .and_then(|o| path.strip_prefix(&o.canonical).ok());
                if let Some(below) = theirs {
                    if !crate::source::is_ignored_path(below) {
                        let _ = raw_tx.send(path);
                    }
                } else if is_watched(&root_c, &path) {
                    let _ = raw_tx.send(path);
                }
            }
        }
    })?;
    // The root itself (not recursively), to see site.yaml and folders being created;
    // then every watched folder that exists.
    watcher.watch(&root_c, RecursiveMode::NonRecursive)?;
    for name in WATCHED {
        let p = root_c.join(name);
        if p.is_dir() {
            watcher.watch(&p, RecursiveMode::Recursive)?;
        }
    }
    if let Some(o) = &outside {
        watcher.watch(&o.canonical, RecursiveMode::Recursive)?;
    }
    let watcher = Arc::new(Mutex::new(watcher));
    let shared = watcher.clone();
    std::thread::Builder::new()
        .name("certguide-debounce".into())
        .spawn(move || debounce(&raw_rx, &batch_tx, &root_c, outside.as_ref(), &shared))
        .map_err(|e| notify::Error::generic(&e.to_string()))?;
    Ok((Watch { _watcher: watcher }, batch_rx))
}

/// Whether a path under the root is one of the watched ones (an editor's lock, swap or
/// backup file is not: saving with it open must not rebuild, or fail).
fn is_watched(root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    WATCHED.iter().any(|w| rel.starts_with(w)) && !crate::source::is_ignored_path(rel)
}

/// Collects raw paths into batches: a batch ends after [`QUIET`] without events, or
/// [`MAX_WAIT`] after its first event.
fn debounce(
    raw: &Receiver<PathBuf>,
    out: &Sender<Vec<PathBuf>>,
    root: &Path,
    outside: Option<&Outside>,
    watcher: &Mutex<notify::RecommendedWatcher>,
) {
    while let Ok(first) = raw.recv() {
        let started = Instant::now();
        let mut batch: BTreeSet<PathBuf> = BTreeSet::new();
        batch.insert(first);
        loop {
            let left = MAX_WAIT.saturating_sub(started.elapsed());
            match raw.recv_timeout(QUIET.min(left)) {
                Ok(p) => {
                    batch.insert(p);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        // A watched top-level folder created since the start (say, templates/) needs a
        // recursive watch of its own; the root's watch only saw it appear.
        for name in WATCHED {
            let dir = root.join(name);
            if batch.contains(&dir)
                && dir.is_dir()
                && let Ok(mut w) = watcher.lock()
            {
                let _ = w.watch(&dir, RecursiveMode::Recursive);
            }
        }
        let paths: Vec<PathBuf> = batch
            .into_iter()
            .map(|p| match outside.and_then(|o| o.relative(&p)) {
                Some(rel) => rel,
                None => p.strip_prefix(root).map(Path::to_path_buf).unwrap_or(p),
            })
            .collect();
        if out.send(paths).is_err() {
            return;
        }
    }
}
