//! Rebuilding a site in memory after edits, for `serve`.
//!
//! There is no second pipeline here: [`Incremental`] keeps one [`Loader`] (which reads
//! again only the files a change touches) and renders through the same
//! [`render::render`] as `build`, into a [`PageCache`]: a sink that keeps every file in
//! memory, gives back each page whose variables did not change since the last render, and
//! keeps static files until they change on disk. The result is always the set of files a
//! cold `build` writes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use crate::LoadOptions;
use crate::diagnostics::Diagnostic;
use crate::load::Loader;
use crate::render::{self, Bytes, OutputFile, Sink};
use crate::source;

pub use crate::load::ChangeKind;

/// A built site in memory: output path (with `/`) → the file. Unordered: whoever lists
/// paths sorts them. Keys are shared from one render to the next (a reused page costs a
/// reference count, not a copy of its path).
pub type Files = foldhash::HashMap<Arc<str>, Stored>;

/// The largest file kept deflated: larger ones (the home page and the data files of a big
/// site, which many edits change) are kept as they are, so that no edit waits for one to
/// be compressed.
const DEFLATE_MAX: usize = 1 << 20;

/// A file of the built site as `serve` keeps it. `serve` holds every page at once (260 MB
/// at 10,000 records + 10,000 articles); HTML compresses about tenfold, so files up to
/// [`DEFLATE_MAX`] are kept deflated and inflated when asked for.
#[derive(Debug, Clone)]
pub enum Stored {
    Plain(Bytes),
    Deflated(Arc<[u8]>),
}

impl Stored {
    /// Keeps `bytes`, deflated when small enough.
    pub fn new(bytes: Bytes) -> Stored {
        if bytes.len() > DEFLATE_MAX {
            // A page just rendered has room to grow that it will never use.
            return Stored::Plain(match Arc::try_unwrap(bytes) {
                Ok(mut b) => {
                    b.shrink_to_fit();
                    Arc::new(b)
                }
                Err(shared) => shared,
            });
        }
        if bytes.len() < 256 {
            return Stored::Plain(bytes);
        }
        use std::io::Write;
        let mut z = flate2::write::DeflateEncoder::new(
            Vec::with_capacity(bytes.len() / 6),
            flate2::Compression::fast(),
        );
        // Writing into a Vec cannot fail.
        match z.write_all(&bytes).and_then(|()| z.finish()) {
            Ok(packed) => Stored::Deflated(packed.into()),
            Err(_) => Stored::Plain(bytes),
        }
    }

    /// The file's bytes.
    pub fn bytes(&self) -> Bytes {
        match self {
            Stored::Plain(b) => b.clone(),
            Stored::Deflated(packed) => {
                use std::io::Read;
                let mut out = Vec::with_capacity(packed.len() * 8);
                // Inflating what was deflated here cannot fail.
                let _ = flate2::read::DeflateDecoder::new(&packed[..]).read_to_end(&mut out);
                Arc::new(out)
            }
        }
    }

    /// Whether both are the very same stored file (not a copy): a cheap "unchanged".
    pub fn ptr_eq(&self, other: &Stored) -> bool {
        match (self, other) {
            (Stored::Plain(a), Stored::Plain(b)) => Arc::ptr_eq(a, b),
            (Stored::Deflated(a), Stored::Deflated(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// Equal bytes (deflating is deterministic: equal files deflate alike).
impl PartialEq for Stored {
    fn eq(&self, other: &Stored) -> bool {
        match (self, other) {
            (Stored::Plain(a), Stored::Plain(b)) => a == b,
            (Stored::Deflated(a), Stored::Deflated(b)) => a == b,
            _ => false,
        }
    }
}

/// The outcome of a rebuild.
#[derive(Debug)]
pub struct Rebuild {
    pub result: Result<Arc<Files>, Vec<Diagnostic>>,
    pub change: ChangeKind,
    /// Pages rendered this time (the others were reused).
    pub rendered: usize,
    /// The time each step took (as `build --verbose` names them).
    pub phases: Vec<(&'static str, std::time::Duration)>,
    /// The warnings `build` would print for the site as it is now.
    pub warnings: Vec<Diagnostic>,
    /// The site this render started from and the paths whose bytes differ from it (new,
    /// changed or gone), when the render knows them.
    pub changes: Option<(Arc<Files>, Vec<Arc<str>>)>,
}

/// The site as last loaded and rendered.
pub struct Incremental {
    loader: Loader,
    cache: PageCache,
    last_good: Option<Arc<Files>>,
    /// The last good build's warnings.
    warnings: Vec<Diagnostic>,
}

impl Incremental {
    /// Loads and renders the whole site (the first build).
    pub fn new(root: &Path, opts: LoadOptions) -> (Incremental, Rebuild) {
        let mut inc = Incremental {
            loader: Loader::new(root, opts),
            cache: PageCache::default(),
            last_good: None,
            warnings: Vec::new(),
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
                warnings: self.warnings.clone(),
                changes: None,
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
            warnings: Vec::new(),
            changes: None,
        };
        let mut site = match loaded.site {
            Ok(site) => site,
            Err(errors) => return failed(errors),
        };
        let warnings = std::mem::take(&mut site.warnings);
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
        let (files, changes) = match self.cache.finish() {
            Ok(done) => done,
            Err(d) => return failed(vec![d]),
        };
        self.last_good = Some(files.clone());
        self.warnings = warnings.clone();
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
            warnings,
            changes: Some(changes),
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

/// `serve`'s sink: every file of the current render in memory, what the last render made
/// (with the print of each page's inputs, for [`Sink::reuse`]), and static files by stamp.
#[derive(Default)]
pub struct PageCache {
    pages: Mutex<Pages>,
    /// Static files read: output path → (source, stamp when read, bytes).
    statics: Mutex<HashMap<String, StaticEntry>>,
    pieces: Mutex<render::Pieces>,
    views: Mutex<render::ViewCache>,
    /// The first static file that could not be read in the render under way.
    error: Mutex<Option<Diagnostic>>,
}

/// The files of the render under way and of the last one, with their prints.
#[derive(Default)]
struct Pages {
    /// The render under way (static files first, pages replacing them).
    files: Files,
    prints: foldhash::HashMap<Arc<str>, u64>,
    /// The last render that finished.
    last: Arc<Files>,
    last_prints: foldhash::HashMap<Arc<str>, u64>,
    /// The paths of the render under way that were made or read, not reused.
    made: Vec<Arc<str>>,
}

impl PageCache {
    fn begin(&self) {
        let mut pages = lock(&self.pages);
        let (n, m) = (pages.last.len(), pages.last_prints.len());
        pages.files.clear();
        pages.files.reserve(n);
        pages.prints.clear();
        pages.prints.reserve(m);
        pages.made.clear();
        *lock(&self.error) = None;
    }

    /// Ends a render: its files become the ones to reuse next time. Returns them, with the
    /// files of the last render and the paths whose bytes differ between the two.
    #[allow(clippy::type_complexity)]
    fn finish(&self) -> Result<(Arc<Files>, (Arc<Files>, Vec<Arc<str>>)), Diagnostic> {
        if let Some(e) = lock(&self.error).take() {
            return Err(e);
        }
        let mut pages = lock(&self.pages);
        let files = Arc::new(std::mem::take(&mut pages.files));
        pages.last_prints = std::mem::take(&mut pages.prints);
        let made = std::mem::take(&mut pages.made);
        let last = std::mem::replace(&mut pages.last, files.clone());
        let changed = changed(&last, &files, made);
        Ok((files, (last, changed)))
    }

    fn forget_pages(&self) {
        lock(&self.pages).last_prints.clear();
        *lock(&self.pieces) = render::Pieces::default();
        *lock(&self.views) = render::ViewCache::default();
    }
}

/// The paths whose bytes differ from `last` to `files`, knowing that every path of `files`
/// not among `made` was reused from `last` as it was: only the made ones are compared,
/// and `last` is looked through for files gone only when the counts say some are.
fn changed(last: &Files, files: &Files, mut made: Vec<Arc<str>>) -> Vec<Arc<str>> {
    made.sort_unstable();
    made.dedup();
    let mut new = 0;
    let mut changed: Vec<Arc<str>> = Vec::new();
    for key in made {
        let Some(now) = files.get(&*key) else {
            continue;
        };
        match last.get(&*key) {
            None => {
                new += 1;
                changed.push(key);
            }
            Some(was) if !(was.ptr_eq(now) || was == now) => changed.push(key),
            Some(_) => {}
        }
    }
    if last.len() + new != files.len() {
        changed.extend(last.keys().filter(|k| !files.contains_key(&***k)).cloned());
    }
    changed
}

/// A poisoned lock only means another thread panicked mid-render; the data is still whole
/// enough to go on with (the next render replaces it).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Sink for PageCache {
    fn file(&self, file: OutputFile) -> bool {
        let stored = Stored::new(file.bytes);
        let key: Arc<str> = file.path.into();
        let mut pages = lock(&self.pages);
        pages.files.insert(key.clone(), stored);
        pages.made.push(key);
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
        let key: Arc<str> = rel.into();
        let mut pages = lock(&self.pages);
        pages.files.insert(key.clone(), Stored::Plain(bytes));
        pages.made.push(key);
        true
    }

    fn keeps_pages(&self) -> bool {
        true
    }

    fn reuse(&self, files: &[(&str, u64)]) -> Vec<bool> {
        let mut pages = lock(&self.pages);
        let pages = &mut *pages;
        files
            .iter()
            .map(|&(path, print)| {
                let Some((key, &last)) = pages.last_prints.get_key_value(path) else {
                    return false;
                };
                if last != print {
                    return false;
                }
                let Some(stored) = pages.last.get(path).cloned() else {
                    return false;
                };
                pages.files.insert(key.clone(), stored);
                pages.prints.insert(key.clone(), print);
                true
            })
            .collect()
    }

    fn remember(&self, path: &str, print: u64) {
        let mut pages = lock(&self.pages);
        // The file is in already (a page is put before it is remembered): share its key.
        let key = pages
            .files
            .get_key_value(path)
            .map_or_else(|| Arc::from(path), |(k, _)| k.clone());
        pages.prints.insert(key, print);
    }

    fn pieces(&self) -> Option<&Mutex<render::Pieces>> {
        Some(&self.pieces)
    }

    fn views(&self) -> Option<&Mutex<render::ViewCache>> {
        Some(&self.views)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_files_give_back_their_bytes_and_pages_are_kept_small() {
        let page = "<li><a href=\"/certifications/x/\">X</a></li>\n".repeat(400);
        let big = vec![b'x'; DEFLATE_MAX + 1];
        for bytes in [b"tiny".to_vec(), page.clone().into_bytes(), big] {
            let stored = Stored::new(Arc::new(bytes.clone()));
            assert_eq!(*stored.bytes(), bytes);
            assert!(stored == Stored::new(Arc::new(bytes)), "deterministic");
        }
        match Stored::new(Arc::new(page.clone().into_bytes())) {
            Stored::Deflated(packed) => assert!(packed.len() * 10 < page.len()),
            Stored::Plain(_) => panic!("a page is kept deflated"),
        }
        let a = Stored::new(Arc::new(page.clone().into_bytes()));
        assert!(a.ptr_eq(&a.clone()) && !a.ptr_eq(&Stored::new(Arc::new(page.into_bytes()))));
    }
}
