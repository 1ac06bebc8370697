//! Rebuilding a site after edits, for `serve`.
//!
//! [`Incremental`] keeps what the last build learned: every source file parsed, the
//! templates, the static files and the rendered pages with a fingerprint of their
//! variables. A change to a source file re-parses that file only; validation and links run
//! over the whole site (they are cheap); rendering reuses every page whose variables did not
//! change, so an edited article re-renders its own page and the pages that show it. A
//! template or `site.yaml` change reloads and re-renders everything. The result is always
//! the same set of files a cold `build` writes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

use crate::config::{CONFIG_FILE, Config};
use crate::content::{self, SourceFile};
use crate::diagnostics::Diagnostic;
use crate::render::{self, Memo, Templates};
use crate::{LoadOptions, source};

/// A built site in memory: output path (with `/`) → bytes.
pub type Files = BTreeMap<String, crate::render::Bytes>;

/// What kind of change a rebuild saw, so the browser can react in the cheapest way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Nothing that is part of the site changed.
    None,
    /// Only stylesheets changed: browsers can swap them without a reload.
    Css,
    /// Anything else.
    Pages,
}

/// The outcome of a rebuild.
#[derive(Debug)]
pub struct Rebuild {
    pub result: Result<Arc<Files>, Vec<Diagnostic>>,
    pub change: ChangeKind,
    /// Pages rendered this time (the others were reused).
    pub rendered: usize,
}

/// A file's identity on disk, to notice changes a watcher did not report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some(Stamp {
        modified: meta.modified().ok(),
        len: meta.len(),
    })
}

/// A parsed source file and the stamp it had when read.
type Cached = (Option<Stamp>, SourceFile);

/// The site as last loaded, with caches.
pub struct Incremental {
    root: PathBuf,
    opts: LoadOptions,
    config: Config,
    config_diags: Vec<Diagnostic>,
    sources: BTreeMap<PathBuf, Cached>,
    walk_diags: Vec<Diagnostic>,
    unreadable_dirs: Vec<PathBuf>,
    templates: Result<Arc<Templates>, Vec<Diagnostic>>,
    statics: BTreeMap<String, (PathBuf, crate::render::Bytes)>,
    memo: Memo,
    last_good: Option<Arc<Files>>,
}

impl Incremental {
    /// Loads the whole site (the first build).
    pub fn new(root: &Path, opts: LoadOptions) -> (Incremental, Rebuild) {
        let (config, config_diags) = crate::load_config(root, &opts);
        let templates = Templates::load(root, &config).map(Arc::new);
        let mut inc = Incremental {
            root: root.to_path_buf(),
            opts,
            config,
            config_diags,
            sources: BTreeMap::new(),
            walk_diags: Vec::new(),
            unreadable_dirs: Vec::new(),
            templates,
            statics: BTreeMap::new(),
            memo: Memo::default(),
            last_good: None,
        };
        inc.rediscover(true);
        let rebuild = inc.finish(ChangeKind::Pages);
        (inc, rebuild)
    }

    /// The last build that succeeded, if any.
    pub fn last_good(&self) -> Option<Arc<Files>> {
        self.last_good.clone()
    }

    /// Rebuilds after the files at `changed` (absolute, or relative to the root) were
    /// created, modified or removed.
    pub fn update(&mut self, changed: &[PathBuf]) -> Rebuild {
        let theme = render::theme_dir(&self.config);
        let mut reload_all = false;
        let mut reload_templates = false;
        let mut reload_statics = false;
        let mut rediscover = false;
        let mut css_only = true;
        let mut sources_changed: Vec<PathBuf> = Vec::new();
        for path in changed {
            let rel = path.strip_prefix(&self.root).unwrap_or(path).to_path_buf();
            if rel == Path::new(CONFIG_FILE) {
                reload_all = true;
            } else if rel.starts_with("templates") || rel.starts_with(theme.join("templates")) {
                reload_templates = true;
            } else if rel.starts_with("static") || rel.starts_with(theme.join("static")) {
                reload_statics = true;
                css_only &= rel.extension().is_some_and(|e| e == "css");
                continue;
            } else if content::source_kind(&rel).is_some() {
                sources_changed.push(rel);
            } else if rel.starts_with("content") {
                // A folder created, renamed or removed: walk again.
                rediscover = true;
            } else if rel.starts_with("themes") {
                // Another theme's files do not matter unless the site switches to it.
                continue;
            } else {
                continue;
            }
            css_only = false;
        }
        if reload_all {
            return self.reload_everything();
        }
        if !reload_templates && !reload_statics && !rediscover && sources_changed.is_empty() {
            return Rebuild {
                result: self.last_good.clone().ok_or_else(Vec::new),
                change: ChangeKind::None,
                rendered: 0,
            };
        }
        if reload_templates {
            self.templates = Templates::load(&self.root, &self.config).map(Arc::new);
            self.memo = Memo::default();
        }
        if reload_statics {
            self.statics.clear();
        }
        if rediscover {
            self.rediscover(false);
        }
        let opts = crate::content_options(&self.config, &self.opts);
        let reparsed: Vec<(PathBuf, Option<Cached>)> = sources_changed
            .par_iter()
            .map(|rel| {
                let full = self.root.join(rel);
                let kind = content::source_kind(rel);
                match (kind, full.exists() || full.is_symlink()) {
                    (Some(kind), true) => {
                        let file = content::parse_file(&self.root, kind, rel, &opts);
                        (rel.clone(), Some((stamp(&full), file)))
                    }
                    _ => (rel.clone(), None),
                }
            })
            .collect();
        for (rel, entry) in reparsed {
            match entry {
                Some(e) => {
                    self.sources.insert(rel, e);
                }
                None => {
                    self.sources.remove(&rel);
                }
            }
        }
        let change = if css_only && !reload_templates && !rediscover && sources_changed.is_empty() {
            ChangeKind::Css
        } else {
            ChangeKind::Pages
        };
        self.finish(change)
    }

    /// Reloads `site.yaml`, templates and every source (the configuration may change how
    /// every file is read).
    fn reload_everything(&mut self) -> Rebuild {
        let (config, config_diags) = crate::load_config(&self.root, &self.opts);
        self.config = config;
        self.config_diags = config_diags;
        self.templates = Templates::load(&self.root, &self.config).map(Arc::new);
        self.statics.clear();
        self.memo = Memo::default();
        self.sources.clear();
        self.rediscover(true);
        self.finish(ChangeKind::Pages)
    }

    /// Walks `content/` again; parses files that are new or whose stamp changed (all of
    /// them when `all`), and forgets files that are gone.
    fn rediscover(&mut self, all: bool) {
        let content::Discovered {
            files,
            problems,
            unreadable_dirs,
        } = content::discover(&self.root);
        self.walk_diags = problems;
        self.unreadable_dirs = unreadable_dirs;
        let opts = crate::content_options(&self.config, &self.opts);
        let wanted: BTreeMap<PathBuf, content::Kind> =
            files.into_iter().map(|(k, p)| (p, k)).collect();
        self.sources.retain(|p, _| wanted.contains_key(p));
        let todo: Vec<(&PathBuf, content::Kind, Option<Stamp>)> = wanted
            .iter()
            .filter_map(|(p, k)| {
                let now = stamp(&self.root.join(p));
                let fresh = !all
                    && self
                        .sources
                        .get(p)
                        .is_some_and(|(old, f)| *old == now && f.kind == *k);
                (!fresh).then_some((p, *k, now))
            })
            .collect();
        let parsed: Vec<(PathBuf, Option<Stamp>, SourceFile)> = todo
            .par_iter()
            .map(|(p, k, st)| {
                (
                    (*p).clone(),
                    *st,
                    content::parse_file(&self.root, *k, p, &opts),
                )
            })
            .collect();
        for (p, st, file) in parsed {
            self.sources.insert(p, (st, file));
        }
    }

    /// Reads the static files into memory (once; kept until they change).
    fn load_statics(&mut self, output: &render::Output) -> Result<(), Diagnostic> {
        if !self.statics.is_empty() {
            return Ok(());
        }
        let listed = crate::output::static_files(&self.root, &output.static_dirs)
            .map_err(|e| Diagnostic::file_error(&e.path, e.message))?;
        for (rel, path) in listed {
            let bytes = read_static(&path).map_err(|e| {
                let shown = path.strip_prefix(&self.root).unwrap_or(&path);
                source::io_error(shown, &e)
            })?;
            self.statics.insert(rel, (path, bytes.into()));
        }
        Ok(())
    }

    /// Validates, links and renders the current state.
    fn finish(&mut self, change: ChangeKind) -> Rebuild {
        let mut diags = self.config_diags.clone();
        diags.extend(self.walk_diags.iter().cloned());
        let files = self.sources.values().map(|(_, f)| f.clone());
        let (mut content, file_diags) = content::assemble(files, self.opts.drafts);
        content.unreadable_dirs = self.unreadable_dirs.clone();
        diags.extend(file_diags);
        let site = match crate::assemble(
            &self.root,
            self.config.clone(),
            content,
            self.templates.clone(),
            diags,
        ) {
            Ok(site) => site,
            Err(errors) => return self.failed(errors, change),
        };
        let output = match site.render_with(Some(&mut self.memo)) {
            Ok(o) => o,
            Err(errors) => return self.failed(errors, change),
        };
        if let Err(d) = self.load_statics(&output) {
            return self.failed(vec![d], change);
        }
        let mut files: Files = self
            .statics
            .iter()
            .map(|(rel, (_, bytes))| (rel.clone(), bytes.clone()))
            .collect();
        for f in output.files {
            files.insert(f.path, f.bytes);
        }
        let files = Arc::new(files);
        // Freeing the site's parsed content takes milliseconds the reload should not wait for.
        std::thread::spawn(move || drop(site));
        self.last_good = Some(files.clone());
        Rebuild {
            result: Ok(files),
            change,
            rendered: self.memo.rendered,
        }
    }

    fn failed(&mut self, errors: Vec<Diagnostic>, change: ChangeKind) -> Rebuild {
        Rebuild {
            result: Err(errors),
            change,
            rendered: 0,
        }
    }
}

/// The largest static file kept in memory for the preview.
const MAX_STATIC_BYTES: u64 = 64 * 1024 * 1024;

fn read_static(path: &Path) -> std::io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if meta.len() > MAX_STATIC_BYTES {
        return Err(std::io::Error::other(format!(
            "static file over {} MiB",
            MAX_STATIC_BYTES >> 20
        )));
    }
    std::fs::read(path)
}
