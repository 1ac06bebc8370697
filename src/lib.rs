//! certguide: a static-site generator for certification comparison guides.
//!
//! The pipeline runs one way: the one loader ([`load::Loader`]) reads `site.yaml`
//! ([`config`]) and the sources ([`content`]), [`validate`] checks the site as a whole,
//! [`links`] resolves links and relations, [`render`] builds every page into a sink
//! ([`render::Sink`]), and [`output`] writes them atomically (the build's sink). Every problem along the way is a
//! [`diagnostics::Diagnostic`]. DEVELOPERS.md has the module map and how a build spends
//! its time.

pub mod block_yaml;
pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod i18n;
pub mod incremental;
pub mod links;
pub mod load;
pub mod markdown;
pub mod output;
pub mod render;
pub mod routes;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod source;
pub mod url;
pub mod validate;
pub mod yaml;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diagnostics::Diagnostic;

/// A loaded, validated and linked site, ready to render.
#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: config::Config,
    /// Shared with `serve`'s loader, which patches it file by file between rebuilds.
    pub content: Arc<content::Content>,
    pub links: Arc<links::Links>,
    /// The theme's templates, parsed (template syntax errors are load errors).
    pub templates: Arc<render::Templates>,
    /// The static files: path in the output → file relative to the root.
    pub statics: Arc<load::Statics>,
    /// Problems that do not stop the build.
    pub warnings: Vec<Diagnostic>,
}

/// What to load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// Include records and articles marked `draft: true`.
    pub drafts: bool,
}

/// Why a build failed.
#[derive(Debug)]
pub enum Error {
    /// Problems in the site's files; nothing was written.
    Content(Vec<Diagnostic>),
    /// The output could not be written; the previous output is untouched.
    Output(output::OutputError),
}

/// Loads, validates and links the site at `root`. Every problem found is returned.
pub fn load(root: &Path, opts: &LoadOptions) -> Result<Site, Vec<Diagnostic>> {
    load::Loader::load_once(root, opts).site
}

impl Site {
    /// Renders every file of the site (static files included) into memory, sorted by path.
    pub fn render_to_memory(&self) -> Result<Vec<render::OutputFile>, Vec<Diagnostic>> {
        let sink = render::MemorySink::default();
        render::render(self, &sink)?;
        sink.into_files().map_err(|d| vec![d])
    }

    /// Number of redirect pages the site's aliases write.
    pub fn alias_count(&self) -> usize {
        let c = &self.content;
        let records = c.records.iter().map(|r| &r.aliases);
        let docs = c.articles.iter().chain(&c.pages).map(|d| &d.aliases);
        records
            .chain(docs)
            .flatten()
            .filter(|(a, _)| routes::alias_place(a).is_ok())
            .count()
    }

    /// Number of HTML pages the site has (redirect pages of aliases not counted).
    pub fn page_count(&self) -> usize {
        let articles = &self.content.articles;
        let order: Vec<usize> = (0..articles.len()).collect();
        let lists: Vec<usize> = content::taxonomy::tags(articles, &order)
            .iter()
            .map(|t| t.articles.len())
            .chain(
                content::taxonomy::categories(articles, &order)
                    .iter()
                    .map(|(_, a)| a.len()),
            )
            .collect();
        routes::page_count(
            self.content.records.len(),
            articles.len(),
            self.content.pages.len(),
        ) + routes::list_page_count(articles.len(), &lists, self.config.articles_per_page)
    }
}

/// Options of `certguide build`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub load: LoadOptions,
    /// Output folder; default `ROOT/public`.
    pub output: Option<PathBuf>,
    /// Counts written files as the build goes, for a progress display.
    pub progress: Option<Arc<Progress>>,
}

/// How far a build is: files written out of the total expected (0 until loading is done).
#[derive(Debug, Default)]
pub struct Progress {
    pub done: std::sync::atomic::AtomicUsize,
    pub total: std::sync::atomic::AtomicUsize,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub output: PathBuf,
    pub elapsed: Duration,
    /// Time of each phase: read and parse, validate and link, views, render and write (the
    /// pages are written as they render; the time spent in the templates and the time spent
    /// writing, each summed over the threads, are given beside), swap.
    pub phases: Vec<(&'static str, Duration)>,
    pub warnings: Vec<Diagnostic>,
}

/// Builds the site at `root` into its output folder.
pub fn build(root: &Path, opts: &BuildOptions) -> Result<BuildReport, Error> {
    let start = Instant::now();
    let out_dir = opts.output.clone().unwrap_or_else(|| root.join("public"));
    // Refuse a dangerous output folder before doing any work.
    output::check_target(root, &out_dir).map_err(Error::Output)?;
    let loaded = load::Loader::load_once(root, &opts.load);
    let [parse_time, validate_time] = loaded.times;
    let mut site = loaded.site.map_err(Error::Content)?;
    output::check_themes_target(root, &out_dir, &site.config.themes_dir).map_err(Error::Output)?;
    let loaded = Instant::now();
    // Pages are written as they are rendered, into a temporary folder that replaces the
    // output only when everything is there.
    let progress = opts.progress.clone().unwrap_or_default();
    let pages = site.page_count();
    progress.total.store(
        pages + routes::data_file_count(site.content.records.len()) + site.alias_count(),
        std::sync::atomic::Ordering::Relaxed,
    );
    let writer = output::Writer::begin(root, &out_dir)
        .map_err(Error::Output)?
        .with_progress(progress);
    let report = render::render(&site, &writer).map_err(Error::Content)?;
    let rendered = Instant::now();
    let writing = writer.writing_time();
    let stats = writer.commit().map_err(Error::Output)?;
    let committed = Instant::now();
    let report = BuildReport {
        pages,
        files: stats.rendered + stats.copied,
        output: out_dir,
        elapsed: start.elapsed(),
        phases: vec![
            ("read+parse", parse_time),
            ("validate+link", validate_time),
            ("views", report.views_time),
            ("render+write", rendered - loaded - report.views_time),
            (
                "(of which templates, summed over threads)",
                report.templates_time,
            ),
            ("(of which writing, summed over threads)", writing),
            ("swap", committed - rendered),
        ],
        warnings: std::mem::take(&mut site.warnings),
    };
    // Freeing the loaded content of a large site takes a moment the caller need not wait for.
    render::drop_later(site);
    Ok(report)
}

/// What `certguide check` found in a site that passed.
#[derive(Debug, Clone)]
pub struct CheckReport {
    pub pages: usize,
    pub links_checked: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Runs every validation of `build`, renders in memory, and checks every internal link of
/// the rendered pages. Writes nothing.
pub fn check(root: &Path, opts: &LoadOptions) -> Result<CheckReport, Vec<Diagnostic>> {
    let site = load(root, opts)?;
    let sink = render::MemorySink::default();
    render::render(&site, &sink)?;
    let (pages, statics) = sink.into_parts().map_err(|d| vec![d])?;
    let links_checked = check::internal_links(root, &site.config.base_path, &pages, &statics)?;
    Ok(CheckReport {
        pages: site.page_count(),
        links_checked,
        warnings: site.warnings,
    })
}
