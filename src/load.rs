//! The one loader: `site.yaml`, the templates, the static files and every source, read
//! and parsed through a cache, then validated and linked into a [`Site`].
//!
//! `build` and `check` use a fresh [`Loader`] once (the empty-cache case); `serve` keeps one
//! and tells it which paths changed, so that only those are read and parsed again. Both go
//! through the same discovery rule ([`crate::source::walk`]), the same limits (file size,
//! `max_content_mib`, static file size) and the same checks, so they always agree.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use rayon::prelude::*;

use crate::config::{self, CONFIG_FILE, Config};
use crate::content::{self, Content, Kind, SourceFile};
use crate::diagnostics::Diagnostic;
use crate::render::{self, Templates};
use crate::{LoadOptions, Site, links, source, validate};

/// The static files of a site: path in the output (with `/`) → file, relative to the root.
pub type Statics = BTreeMap<String, PathBuf>;

/// What changed since the last load, so that the cheapest reaction can be chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Nothing that is part of the site changed.
    None,
    /// Only stylesheets changed: browsers can swap them without a reload.
    Css,
    /// Anything else.
    Pages,
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

/// A source file as the loader remembers it.
#[derive(Debug, Clone)]
struct Known {
    stamp: Option<Stamp>,
    kind: Kind,
    diags: Vec<Diagnostic>,
    len: u64,
    /// What the site-wide checks read of it ([`shape`]; `serve` only).
    shape: u64,
}

/// The outcome of the site-wide checks (validation, static collisions, links) and what it
/// was worked out from: `serve` reuses it while no source's [`shape`] changes.
struct Checked {
    key: u64,
    diags: Vec<Diagnostic>,
    links: Arc<links::Links>,
}

/// The result of walking `content/`.
#[derive(Debug, Clone, Default)]
struct Walked {
    problems: Vec<Diagnostic>,
    unreadable_dirs: Vec<PathBuf>,
}

/// A site's files as last read, with what was made of them.
pub struct Loader {
    root: PathBuf,
    opts: LoadOptions,
    config: Option<(Config, Vec<Diagnostic>)>,
    templates: Option<Result<Arc<Templates>, Vec<Diagnostic>>>,
    statics: Option<Result<Arc<Statics>, Diagnostic>>,
    /// Every source file known: what is left of it once parsed (its stamp, its own
    /// problems, its size); what it parsed into lives in `content`.
    sources: BTreeMap<PathBuf, Known>,
    /// The parsed content, patched file by file; shared with the [`Site`] made from it.
    content: Arc<Content>,
    walked: Option<Walked>,
    /// The last refresh read the templates.
    templates_fresh: bool,
    /// Sources not read because the content budget was spent: read again next time.
    skipped: std::collections::BTreeSet<PathBuf>,
    /// Loads again and again (`serve`): keeps what makes the next load cheaper.
    serving: bool,
    /// The sources the last refresh read again, when nothing else changed.
    sources_only: Option<Vec<PathBuf>>,
    /// The last site-wide checks (`serve`).
    checked: Option<Checked>,
    /// The base currency taken from the records last time (no `currency:` block).
    assumed_base: Option<Option<String>>,
}

/// A load: the site (or every error), what kind of change it was, and its timings.
pub struct Loaded {
    pub site: Result<Site, Vec<Diagnostic>>,
    pub change: ChangeKind,
    /// Reading and parsing, then validating and linking.
    pub times: [Duration; 2],
    /// The templates were read again (pages rendered before may be out of date even when
    /// their variables are not).
    pub templates_reloaded: bool,
}

impl Loader {
    /// A loader with nothing read yet.
    pub fn new(root: &Path, opts: LoadOptions) -> Loader {
        Loader {
            root: root.to_path_buf(),
            opts,
            config: None,
            templates: None,
            statics: None,
            sources: BTreeMap::new(),
            content: Arc::default(),
            walked: None,
            templates_fresh: false,
            skipped: Default::default(),
            serving: false,
            sources_only: None,
            checked: None,
            assumed_base: None,
        }
    }

    /// Loads the whole site once (`build`, `check`): the parsed files move into the site
    /// instead of being copied out of the cache.
    pub fn load_once(root: &Path, opts: &LoadOptions) -> Loaded {
        let mut loader = Loader::new(root, opts.clone());
        let start = Instant::now();
        loader.refresh(&[]);
        loader.finish(ChangeKind::Pages, start, true, true)
    }

    /// Loads the site again after the files at `changed` (absolute, or relative to the
    /// root) were created, modified or removed; everything, the first time.
    pub fn load(&mut self, changed: &[PathBuf]) -> Loaded {
        self.serving = true;
        let start = Instant::now();
        let change = self.refresh(changed);
        self.finish(change, start, false, self.templates_fresh)
    }

    /// Forgets what `changed` touches and reads it again. Returns the kind of change.
    fn refresh(&mut self, changed: &[PathBuf]) -> ChangeKind {
        let first = self.config.is_none();
        let mut change = Change::default();
        for path in changed {
            let rel = path.strip_prefix(&self.root).unwrap_or(path);
            // A folder is there now, or was: a source known under it.
            let folder = |rel: &Path| {
                self.root.join(rel).is_dir() || self.sources.keys().any(|k| k.starts_with(rel))
            };
            change.note(rel, self.theme_dir().as_deref(), &folder);
        }
        if first || change.config {
            self.config = None;
            self.templates = None;
            self.statics = None;
            self.walked = None;
            self.sources.clear();
            self.content = Arc::default();
        }
        let config = self.config.get_or_insert_with(|| {
            let (c, d) = load_config(&self.root, &self.opts);
            (c, d)
        });
        let config = config.0.clone();
        if change.templates {
            self.templates = None;
        }
        if change.statics {
            self.statics = None;
        }
        if change.rediscover {
            self.walked = None;
        }
        self.templates_fresh = self.templates.is_none();
        if self.templates.is_none() {
            self.templates = Some(Templates::load(&self.root, &config).map(Arc::new));
        }
        if self.statics.is_none() {
            let dirs = render::static_dirs(&self.root, &config);
            // A theme folder site.yaml names with `themes_dir` may lie outside the site.
            let theme = match config.themes_dir.as_path() {
                d if d == Path::new(config::DEFAULT_THEMES_DIR) => Vec::new(),
                _ => vec![render::theme_dir(&config)],
            };
            self.statics = Some(source::static_files(&self.root, &dirs, &theme).map(Arc::new));
        }
        let opts = content_options(&config, &self.opts);
        let only_sources = !first
            && !change.config
            && !change.templates
            && !change.statics
            && !change.rediscover
            && self.walked.is_some()
            && self.skipped.is_empty();
        self.sources_only = only_sources.then(|| change.sources.clone());
        if self.walked.is_none() {
            self.rediscover(&opts);
        } else {
            let mut todo = change.sources.clone();
            todo.extend(std::mem::take(&mut self.skipped));
            self.reparse(&todo, &opts);
        }
        if first || change.config {
            ChangeKind::Pages
        } else if change.is_empty() {
            ChangeKind::None
        } else if change.css_only() {
            ChangeKind::Css
        } else {
            ChangeKind::Pages
        }
    }

    fn theme_dir(&self) -> Option<PathBuf> {
        self.config
            .as_ref()
            .map(|(c, _)| render::theme_dir(c).to_path_buf())
    }

    /// Walks `content/` again; reads files that are new or whose stamp changed, forgets
    /// files that are gone.
    fn rediscover(&mut self, opts: &content::LoadOptions) {
        let found = content::discover(&self.root);
        self.walked = Some(Walked {
            problems: found.problems,
            unreadable_dirs: found.unreadable_dirs,
        });
        let wanted: BTreeMap<PathBuf, Kind> =
            found.files.into_iter().map(|(k, p)| (p, k)).collect();
        let gone: Vec<PathBuf> = self
            .sources
            .keys()
            .filter(|p| !wanted.contains_key(*p))
            .cloned()
            .collect();
        for p in gone {
            self.forget(&p);
        }
        let todo: Vec<(PathBuf, Kind)> = wanted
            .into_iter()
            .filter(|(p, k)| {
                !self.sources.get(p).is_some_and(|known| {
                    known.kind == *k && known.stamp == stamp(&self.root.join(p))
                })
            })
            .collect();
        self.read(todo, opts);
    }

    /// Reads again the source files among `changed`; forgets the ones that are gone.
    fn reparse(&mut self, changed: &[PathBuf], opts: &content::LoadOptions) {
        let mut todo = Vec::new();
        for rel in changed {
            let full = self.root.join(rel);
            match content::source_kind(rel) {
                Some(kind) if full.exists() || full.is_symlink() => todo.push((rel.clone(), kind)),
                _ => self.forget(rel),
            }
        }
        self.read(todo, opts);
    }

    /// Reads and parses `files` in parallel, within the content budget left after the
    /// files already held.
    /// Forgets a source file that is gone.
    fn forget(&mut self, path: &Path) {
        self.sources.remove(path);
        Arc::make_mut(&mut self.content).remove(path);
    }

    fn read(&mut self, files: Vec<(PathBuf, Kind)>, opts: &content::LoadOptions) {
        for (p, _) in &files {
            if self.sources.contains_key(p) {
                self.forget(p);
            }
        }
        let held: u64 = self.sources.values().map(|k| k.len).sum();
        let total = AtomicU64::new(held);
        let root = &self.root;
        let serving = self.serving;
        let parsed: Vec<(PathBuf, Option<Stamp>, Option<SourceFile>, u64)> = files
            .into_par_iter()
            .map(|(rel, kind)| {
                // Only `serve` looks again for changed files.
                let st = serving.then(|| stamp(&root.join(&rel))).flatten();
                let file = read_one(root, kind, &rel, opts, &total);
                let shape = match &file {
                    Some(f) if serving => shape(f),
                    _ => 0,
                };
                (rel, st, file, shape)
            })
            .collect();
        let drafts = self.opts.drafts;
        let content = Arc::make_mut(&mut self.content);
        // Room for every file at once: 10,000 records grown into one at a time were moved
        // again with every doubling, on the one thread that gathers them.
        let count = |kind: Kind| {
            parsed
                .iter()
                .filter(|(_, _, f, _)| f.as_ref().is_some_and(|f| f.kind == kind))
                .count()
        };
        content.reserve(count(Kind::Record), count(Kind::Article), count(Kind::Page));
        let mut known = Vec::with_capacity(parsed.len());
        for (p, stamp, file, shape) in parsed {
            match file {
                Some(file) => {
                    let kind = file.kind;
                    let len = file.len;
                    let diags = content.put(file, drafts);
                    known.push((
                        p,
                        Known {
                            stamp,
                            kind,
                            len,
                            diags,
                            shape,
                        },
                    ));
                }
                None => {
                    self.skipped.insert(p);
                }
            }
        }
        // Paths compare a component at a time: inserting 20,000 one by one took a tenth
        // of a second. The files come in path order, which a map made at once only checks.
        match self.sources.is_empty() {
            true => self.sources = known.into_iter().collect(),
            false => self.sources.extend(known),
        }
    }

    /// Validates and links what is loaded. `take` moves the parsed files out of the cache
    /// (a one-time load); otherwise they are copied and the cache stays.
    fn finish(
        &mut self,
        change: ChangeKind,
        start: Instant,
        take: bool,
        templates_reloaded: bool,
    ) -> Loaded {
        let parsed = Instant::now();
        let (mut config, mut diags) = self
            .config
            .clone()
            .unwrap_or_else(|| (Config::fallback(), Vec::new()));
        // Without a `currency:` block the base depends on every record's currency: the
        // records were parsed without it, so those it changes are counted again here (the
        // configuration's print includes it, so `serve` re-renders what it changes).
        // No record read again since the last load (an article or page edit under `serve`):
        // the same base, and every record already converted.
        let records_as_before = self.sources_only.as_ref().is_some_and(|changed| {
            changed
                .iter()
                .all(|p| content::source_kind(p) != Some(Kind::Record))
        });
        if config.money.currency.is_none()
            && records_as_before
            && let Some(base) = &self.assumed_base
        {
            config.money.assumed_base = base.clone();
        } else if config.money.currency.is_none() {
            config.money.assumed_base = content::assumed_base(&self.content.records);
            self.assumed_base = self.serving.then(|| config.money.assumed_base.clone());
            let money = &config.money;
            if self
                .content
                .records
                .par_iter()
                .any(|r| r.needs_conversion(money))
            {
                let c = Arc::make_mut(&mut self.content);
                c.records
                    .par_iter_mut()
                    .filter(|r| r.needs_conversion(money))
                    .for_each(|r| r.convert(money));
            }
        }
        let walked = self.walked.clone().unwrap_or_default();
        diags.extend(walked.problems);
        let max = content_options(&config, &self.opts).max_total_bytes;
        // Over the budget, the files read are those the threads reached first: their own
        // problems, and what the site-wide checks would say of a site missing the rest
        // (links to records not read), would differ from run to run and between `build`
        // and `serve`. The one error is the budget's.
        let over = over_budget(&self.sources, &self.skipped, max);
        let complete = over.is_none();
        diags.extend(over);
        if complete {
            for known in self.sources.values() {
                diags.extend(known.diags.iter().cloned());
            }
        }
        if self.content.unreadable_dirs != walked.unreadable_dirs {
            Arc::make_mut(&mut self.content).unreadable_dirs = walked.unreadable_dirs;
        }
        // Shared with the site, not copied: the content is patched in place next time,
        // once the site made now is gone (a site still alive then costs one copy).
        let content = if take {
            std::mem::take(&mut self.content)
        } else {
            self.content.clone()
        };
        let templates = self.templates.clone().unwrap_or_else(|| Err(Vec::new()));
        // Amounts are written the way the site's language writes them.
        if let Some(Ok(t)) = &self.templates {
            config.money.format = t.strings.number_format().clone();
        }
        let statics = self
            .statics
            .clone()
            .unwrap_or_else(|| Ok(Arc::new(Statics::new())));
        let statics = statics.unwrap_or_else(|d| {
            diags.push(d);
            Arc::new(Statics::new())
        });
        let (checks, links) = match complete {
            true => self.checks(&config, &content, &statics),
            false => (Vec::new(), Arc::new(links::Links::default())),
        };
        diags.extend(checks);
        let site = assemble(
            &self.root, config, content, templates, statics, diags, links,
        );
        Loaded {
            site,
            change,
            times: [parsed - start, parsed.elapsed()],
            templates_reloaded,
        }
    }
}

impl Loader {
    /// The site-wide checks: validation, static collisions, links. Under `serve`, the last
    /// outcome is reused when only sources changed, none of them in what the checks read
    /// (their [`shape`]: a body edit that keeps headings, links and front matter), and no
    /// problem found last time is in one of them or names one (its positions may have
    /// moved).
    fn checks(
        &mut self,
        config: &Config,
        content: &Content,
        statics: &Arc<Statics>,
    ) -> (Vec<Diagnostic>, Arc<links::Links>) {
        let key = self.serving.then(|| {
            let shapes: Vec<(&PathBuf, u64)> =
                self.sources.iter().map(|(p, k)| (p, k.shape)).collect();
            let config = format!("{config:?}");
            let content_state = (
                &content.skipped_drafts,
                &content.unparsed,
                &content.unreadable_dirs,
            );
            let statics: Vec<(&String, &PathBuf)> = statics.iter().collect();
            let today = content::Date::today().to_string();
            std::hash::BuildHasher::hash_one(
                &foldhash::fast::FixedState::with_seed(0x6368_6563_6b73),
                (shapes, config, content_state, statics, today),
            )
        });
        if let (Some(key), Some(last), Some(changed)) = (key, &self.checked, &self.sources_only)
            && last.key == key
            && !last.diags.iter().any(|d| {
                changed.iter().any(|c| {
                    d.path == *c || d.message.contains(&*crate::diagnostics::display_path(c))
                })
            })
        {
            return (last.diags.clone(), last.links.clone());
        }
        // Three independent passes over the whole site, side by side.
        let ((checked, collisions), (links, link_diags)) = rayon::join(
            || {
                rayon::join(
                    || validate::site(config, content),
                    || validate::static_collisions(content, statics),
                )
            },
            || links::resolve(content),
        );
        let mut diags = checked;
        diags.extend(collisions);
        diags.extend(link_diags);
        let links = Arc::new(links);
        self.checked = key.map(|key| Checked {
            key,
            diags: diags.clone(),
            links: links.clone(),
        });
        (diags, links)
    }
}

/// What the site-wide checks read of a source, without positions and bodies: ids, paths,
/// slugs, dates, tags, categories, aliases, related and quoted records, links and their
/// anchors, headings' ids, and of a record which facts it has, its currencies, its sources
/// and when it was verified. When no source's shape changes, the checks find the same
/// problems (only where they are written may move) and the same relations.
fn shape(file: &SourceFile) -> u64 {
    use std::hash::{BuildHasher, Hash, Hasher};
    let mut h = foldhash::fast::FixedState::with_seed(0x0073_6861_7065).build_hasher();
    let links = |h: &mut foldhash::fast::FoldHasher, links: &[content::LinkRef]| {
        for l in links {
            (&l.dest, &l.target, &l.anchor).hash(h);
        }
    };
    match &file.parsed {
        None => 0u8.hash(&mut h),
        Some(content::Parsed::Record(r)) => {
            1u8.hash(&mut h);
            (&r.id, &r.path, &r.acronym, r.draft, r.verified).hash(&mut h);
            for (alias, _) in &r.aliases {
                alias.hash(&mut h);
            }
            links(&mut h, &r.links);
            for s in &r.sources {
                (&s.url, &s.covers).hash(&mut h);
            }
            let renewal = r.renewal.as_ref().and_then(|x| x.cost.as_ref());
            (
                r.cost.as_ref().map(|c| &c.currency),
                renewal.map(|c| &c.currency),
            )
                .hash(&mut h);
            for f in content::RECORD_FIELDS {
                ((f.get)(r) == content::FieldValue::Missing).hash(&mut h);
            }
        }
        Some(content::Parsed::Document(d)) => {
            2u8.hash(&mut h);
            (
                d.kind, &d.path, &d.slug, d.date, d.category, &d.tags, d.draft,
            )
                .hash(&mut h);
            for (alias, _) in &d.aliases {
                alias.hash(&mut h);
            }
            for (id, _) in &d.certifications {
                id.hash(&mut h);
            }
            for heading in &d.headings {
                heading.id.hash(&mut h);
            }
            links(&mut h, &d.links);
            for q in &d.quotes {
                for id in q.ids() {
                    id.value.hash(&mut h);
                }
                0xffu8.hash(&mut h);
                for field in q.fields() {
                    field.value.hash(&mut h);
                }
                0xfeu8.hash(&mut h);
            }
        }
    }
    h.finish()
}

/// Reads and parses one source file, counting it against the content budget. `None` when
/// the budget was already spent: the file is not read at all (a site far over
/// `max_content_mib` is not read whole into memory); [`over_budget`] says where.
fn read_one(
    root: &Path,
    kind: Kind,
    rel: &Path,
    opts: &content::LoadOptions,
    total: &AtomicU64,
) -> Option<SourceFile> {
    if total.load(Ordering::Relaxed) > opts.max_total_bytes {
        return None;
    }
    let file = match source::read(root, rel) {
        Ok(text) => content::parse_text(kind, rel, &text, opts),
        Err(d) => SourceFile {
            kind,
            path: rel.to_path_buf(),
            parsed: None,
            diags: vec![d],
            len: 0,
            hash: 0,
        },
    };
    total.fetch_add(file.len, Ordering::Relaxed);
    Some(file)
}

/// The one error for content over `max_content_mib`: at the first file, in path order,
/// at which the running total goes over (or that was not read for it), so that `build`
/// and `serve` name the same file whatever order the threads read in.
fn over_budget(
    sources: &BTreeMap<PathBuf, Known>,
    skipped: &std::collections::BTreeSet<PathBuf>,
    max: u64,
) -> Option<Diagnostic> {
    // Within the budget (every rebuild of a site that builds): nothing to name, no sort.
    if skipped.is_empty() && sources.values().map(|k| k.len).sum::<u64>() <= max {
        return None;
    }
    let mut sum = 0u64;
    let paths = sources
        .iter()
        .map(|(p, k)| (p, k.len))
        .chain(skipped.iter().map(|p| (p, u64::MAX)));
    let mut all: Vec<(&PathBuf, u64)> = paths.collect();
    all.sort();
    let (at, _) = all.into_iter().find(|(_, len)| {
        sum = sum.saturating_add(*len);
        sum > max
    })?;
    Some(Diagnostic::file_error(
        at,
        format!(
            "the site's content is over the {} MiB limit (at this file); raise \
             max_content_mib in site.yaml if the site really is this large",
            max >> 20
        ),
    ))
}

/// The paths of one change, sorted by what they touch.
#[derive(Debug, Default)]
struct Change {
    config: bool,
    templates: bool,
    statics: bool,
    /// Every static path changed is a stylesheet.
    css: bool,
    rediscover: bool,
    sources: Vec<PathBuf>,
}

impl Change {
    fn note(&mut self, rel: &Path, theme: Option<&Path>, folder: &dyn Fn(&Path) -> bool) {
        let theme = theme.unwrap_or(Path::new("themes/default"));
        // Only names below the themes folder count: the folder site.yaml names may itself
        // sit under a hidden one (`/tmp/.tmpXYZ/themes`).
        let below_themes = theme.parent().and_then(|t| rel.strip_prefix(t).ok());
        if source::is_ignored_path(below_themes.unwrap_or(rel)) {
            return;
        }
        if rel == Path::new(CONFIG_FILE) {
            self.config = true;
        } else if rel.starts_with("templates")
            || rel.starts_with(theme.join("templates"))
            || rel.starts_with(crate::i18n::DIR)
            || rel.starts_with(theme.join(crate::i18n::DIR))
        {
            // The language files are read with the templates.
            self.templates = true;
        } else if rel.starts_with("static") || rel.starts_with(theme.join("static")) {
            if !self.statics {
                self.css = true;
            }
            self.statics = true;
            self.css &= rel.extension().is_some_and(|e| e == "css");
        } else if content::source_kind(rel).is_some() {
            self.sources.push(rel.to_path_buf());
        } else if rel.starts_with("content") && folder(rel) {
            // A folder created, renamed or removed: walk again. (Other files there, such as
            // an editor's or `sed -i`'s temporary file before it replaces a source, are
            // not sources.)
            self.rediscover = true;
        } else if rel == theme || rel == Path::new("themes") {
            // The theme folder itself replaced (a rename): everything of it again.
            self.templates = true;
            self.statics = true;
            self.css = false;
        }
    }

    fn is_empty(&self) -> bool {
        !self.config
            && !self.templates
            && !self.statics
            && !self.rediscover
            && self.sources.is_empty()
    }

    fn css_only(&self) -> bool {
        self.statics && self.css && !self.templates && !self.rediscover && self.sources.is_empty()
    }
}

/// Reads `site.yaml` and applies the options that override it. On failure the returned
/// configuration is a fallback, so the rest of the site can still be checked.
pub fn load_config(root: &Path, opts: &LoadOptions) -> (Config, Vec<Diagnostic>) {
    let config_path = Path::new(CONFIG_FILE);
    let (mut config, mut diags) = match source::read(root, config_path) {
        Ok(text) => config::parse(&text),
        Err(mut d) => {
            if !root.join(config_path).exists() {
                d.message = format!(
                    "no site.yaml in {}: is this a certguide site?",
                    root.display()
                );
            }
            (Config::fallback(), vec![d])
        }
    };
    if let Some(url) = &opts.base_url
        && let Err(msg) = config.set_base_url(url)
    {
        diags.push(Diagnostic::file_error("--base-url", msg));
    }
    (config, diags)
}

/// What loading the content needs from the configuration and options.
pub fn content_options(config: &Config, opts: &LoadOptions) -> content::LoadOptions {
    content::LoadOptions {
        base_path: config.base_path.clone(),
        drafts: opts.drafts,
        allow_raw_html: config.allow_raw_html,
        max_total_bytes: config.max_content_mib.saturating_mul(1 << 20),
        money: config.money.clone(),
    }
}

/// Makes the [`Site`] of loaded content, validated and linked; `diags` are the problems
/// found so far. Fails with every error found, sorted.
fn assemble(
    root: &Path,
    config: Config,
    content: Arc<Content>,
    templates: Result<Arc<Templates>, Vec<Diagnostic>>,
    statics: Arc<Statics>,
    mut diags: Vec<Diagnostic>,
    links: Arc<links::Links>,
) -> Result<Site, Vec<Diagnostic>> {
    // Template syntax errors are reported with the content's.
    let templates = match templates {
        Ok(t) => {
            diags.extend(t.warnings.iter().cloned());
            Some(t)
        }
        Err(template_diags) => {
            diags.extend(template_diags);
            None
        }
    };
    let (mut errors, warnings): (Vec<_>, Vec<_>) = diags.into_iter().partition(|d| d.is_error());
    match templates {
        Some(templates) if errors.is_empty() => Ok(Site {
            root: root.to_path_buf(),
            config,
            content,
            links,
            templates,
            statics,
            warnings,
        }),
        _ => {
            crate::diagnostics::sort(&mut errors);
            Err(errors)
        }
    }
}
