//! Rebuilding a site in memory after edits, for `serve`.
//!
//! There is no second pipeline here: [`Incremental`] keeps one [`Loader`] (which reads
//! again only the files a change touches) and renders through the same
//! [`render::render`] as `build`, into a [`PageCache`]: a sink that keeps every file in
//! memory, gives back each page whose variables did not change since the last render, and
//! keeps static files until they change on disk. The result is always the set of files a
//! cold `build` writes.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use crate::LoadOptions;
use crate::diagnostics::Diagnostic;
use crate::load::Loader;
use crate::render::{self, Bytes, OutputFile, Sink};
use crate::source;

pub use crate::load::ChangeKind;

/// A built site in memory: output path (with `/`) → bytes.
pub type Files = BTreeMap<String, Bytes>;

/// The outcome of a rebuild.
#[derive(Debug)]
pub struct Rebuild {
    pub result: Result<Arc<Files>, Vec<Diagnostic>>,
    pub change: ChangeKind,
    /// Pages rendered this time (the others were reused).
    pub rendered: usize,
    /// The time each step took (as `build --verbose` names them).
    pub phases: Vec<(&'static str, std::time::Duration)>,
}

/// The site as last loaded and rendered.
pub struct Incremental {
    loader: Loader,
    cache: PageCache,
    last_good: Option<Arc<Files>>,
}

impl Incremental {
    /// Loads and renders the whole site (the first build).
    pub fn new(root: &Path, opts: LoadOptions) -> (Incremental, Rebuild) {
        let mut inc = Incremental {
            loader: Loader::new(root, opts),
            cache: PageCache::default(),
            last_good: None,
        };
        let rebuild = inc.update(&[]);
        (inc, rebuild)
    }

    /// The last build that succeeded, if any.
    pub fn last_good(&self) -> Option<Arc<Files>> {
        self.last_good.clone()
    }

    /// Rebuilds after the files at `changed` (absolute, or relative to the root) were
    /// created, modified or removed.
    pub fn update(&mut self, changed: &[PathBuf]) -> Rebuild {
        let loaded = self.loader.load(changed);
        let change = loaded.change;
        if change == ChangeKind::None
            && let Some(good) = &self.last_good
        {
            return Rebuild {
                result: Ok(good.clone()),
                change,
                rendered: 0,
                phases: Vec::new(),
            };
        }
        if loaded.templates_reloaded {
            // Page fingerprints cover the variables, not the templates.
            self.cache.forget_pages();
        }
        let failed = |errors| Rebuild {
            result: Err(errors),
            change,
            rendered: 0,
            phases: Vec::new(),
        };
        let site = match loaded.site {
            Ok(site) => site,
            Err(errors) => return failed(errors),
        };
        self.cache.begin();
        let rendering = std::time::Instant::now();
        let report = render::render(&site, &self.cache);
        let rendered = rendering.elapsed();
        // The site shares its content with the loader, which patches it in place next time:
        // it must be gone by then (dropping it frees little; the content stays).
        drop(site);
        let report = match report {
            Ok(r) => r,
            Err(errors) => return failed(errors),
        };
        let files = match self.cache.finish() {
            Ok(files) => Arc::new(files),
            Err(d) => return failed(vec![d]),
        };
        self.last_good = Some(files.clone());
        let [parse, validate] = loaded.times;
        Rebuild {
            result: Ok(files),
            change,
            rendered: report.rendered,
            phases: vec![
                ("read+parse", parse),
                ("validate+link", validate),
                ("views", report.views_time),
                ("render", rendered - report.views_time),
                ("collect", rendering.elapsed() - rendered),
            ],
        }
    }
}

/// A file's identity on disk: a static file is read again only when it changes.
type Stamp = (Option<SystemTime>, u64);

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok(), meta.len()))
}

/// A static file read: its source, its stamp when read, its bytes.
type StaticEntry = (PathBuf, Option<Stamp>, Bytes);

/// `serve`'s sink: every file of the current render in memory, the pages of the previous
/// render by fingerprint, and static files by stamp.
#[derive(Default)]
pub struct PageCache {
    /// The files of the render under way (static files first, pages replacing them).
    files: Mutex<Files>,
    /// Pages of the previous render: path → (fingerprint, bytes).
    previous: Mutex<HashMap<String, (u64, Bytes)>>,
    /// Pages of the render under way, likewise.
    current: Mutex<HashMap<String, (u64, Bytes)>>,
    /// Static files read: output path → (source, stamp when read, bytes).
    statics: Mutex<HashMap<String, StaticEntry>>,
    pieces: Mutex<render::Pieces>,
    views: Mutex<render::ViewCache>,
    /// The first static file that could not be read in the render under way.
    error: Mutex<Option<Diagnostic>>,
}

impl PageCache {
    fn begin(&self) {
        lock(&self.files).clear();
        *lock(&self.error) = None;
    }

    /// Ends a render: its pages become the ones to reuse next time.
    fn finish(&self) -> Result<Files, Diagnostic> {
        let current = std::mem::take(&mut *lock(&self.current));
        *lock(&self.previous) = current;
        if let Some(e) = lock(&self.error).take() {
            return Err(e);
        }
        Ok(std::mem::take(&mut *lock(&self.files)))
    }

    fn forget_pages(&self) {
        lock(&self.previous).clear();
        *lock(&self.pieces) = render::Pieces::default();
        *lock(&self.views) = render::ViewCache::default();
    }
}

/// A poisoned lock only means another thread panicked mid-render; the data is still whole
/// enough to go on with (the next render replaces it).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Sink for PageCache {
    fn file(&self, file: OutputFile) -> bool {
        lock(&self.files).insert(file.path, file.bytes);
        true
    }

    fn static_file(&self, rel: &str, root: &Path, src: &Path) -> bool {
        let full = root.join(src);
        let now = stamp(&full);
        let cached = lock(&self.statics)
            .get(rel)
            .filter(|(s, st, _)| s == src && *st == now && now.is_some())
            .map(|(_, _, b)| b.clone());
        let bytes = match cached {
            Some(b) => b,
            None => match source::read_static(root, src) {
                Ok(b) => {
                    let b: Bytes = Arc::new(b);
                    lock(&self.statics)
                        .insert(rel.to_string(), (src.to_path_buf(), now, b.clone()));
                    b
                }
                Err(d) => {
                    lock(&self.error).get_or_insert(d);
                    return false;
                }
            },
        };
        lock(&self.files).insert(rel.to_string(), bytes);
        true
    }

    fn keeps_pages(&self) -> bool {
        true
    }

    fn reuse(&self, path: &str, print: u64) -> Option<Bytes> {
        lock(&self.previous)
            .get(path)
            .filter(|(p, _)| *p == print)
            .map(|(_, b)| b.clone())
    }

    fn remember(&self, path: &str, print: u64, bytes: &Bytes) {
        lock(&self.current).insert(path.to_string(), (print, bytes.clone()));
    }

    fn pieces(&self) -> Option<&Mutex<render::Pieces>> {
        Some(&self.pieces)
    }

    fn views(&self) -> Option<&Mutex<render::ViewCache>> {
        Some(&self.views)
    }
}
