//! certguide: a static-site generator for certification comparison guides.
//!
//! The pipeline runs one way: [`load`] reads `site.yaml` ([`config`]) and the sources
//! ([`content`]), [`validate`] checks the site as a whole, [`links`] resolves links and
//! relations, [`render`] builds every page (handing each to the writer as it is made), and
//! [`output`] writes them atomically. Every problem along the way is a
//! [`diagnostics::Diagnostic`]. DEVELOPERS.md has the module map and how a build spends
//! its time.

pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod incremental;
pub mod links;
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
    pub content: content::Content,
    pub links: links::Links,
    /// The theme's templates, parsed (template syntax errors are load errors).
    pub templates: Arc<render::Templates>,
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
    load_timed(root, opts).map(|(site, _)| site)
}

/// [`load`], with the time spent reading and parsing, and then validating and linking.
fn load_timed(root: &Path, opts: &LoadOptions) -> Result<(Site, [Duration; 2]), Vec<Diagnostic>> {
    let start = Instant::now();
    let (config, mut diags) = load_config(root, opts);
    let load_opts = content_options(&config, opts);
    let (content, content_diags) = content::load(root, &load_opts);
    diags.extend(content_diags);
    let templates = render::Templates::load(root, &config).map(Arc::new);
    let parsed = Instant::now();
    let site = assemble(root, config, content, templates, diags)?;
    Ok((site, [parsed - start, parsed.elapsed()]))
}

/// Reads `site.yaml` and applies the options that override it. On failure the returned
/// configuration is a fallback, so the rest of the site can still be checked.
pub fn load_config(root: &Path, opts: &LoadOptions) -> (config::Config, Vec<Diagnostic>) {
    let config_path = Path::new(config::CONFIG_FILE);
    let (mut config, mut diags) = match source::read(root, config_path) {
        Ok(text) => config::parse(&text),
        Err(mut d) => {
            if !root.join(config_path).exists() {
                d.message = format!(
                    "no site.yaml in {}: is this a certguide site?",
                    root.display()
                );
            }
            (config::Config::fallback(), vec![d])
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
pub fn content_options(config: &config::Config, opts: &LoadOptions) -> content::LoadOptions {
    content::LoadOptions {
        base_path: config.base_path.clone(),
        drafts: opts.drafts,
        allow_raw_html: config.allow_raw_html,
        max_total_bytes: config.max_content_mib.saturating_mul(1 << 20),
    }
}

/// Validates and links loaded content into a [`Site`]; `diags` are the problems found so
/// far. Fails with every error found, sorted.
pub fn assemble(
    root: &Path,
    config: config::Config,
    content: content::Content,
    templates: Result<Arc<render::Templates>, Vec<Diagnostic>>,
    mut diags: Vec<Diagnostic>,
) -> Result<Site, Vec<Diagnostic>> {
    diags.extend(validate::site(&config, &content));
    match output::static_files(root, &render::static_dirs(root, &config)) {
        Ok(mut statics) => {
            for src in statics.values_mut() {
                *src = src.strip_prefix(root).unwrap_or(src).to_path_buf();
            }
            diags.extend(validate::static_collisions(&content, &statics));
        }
        Err(e) => diags.push(Diagnostic::file_error(&e.path, e.message)),
    }
    let (links, link_diags) = links::resolve(&content);
    diags.extend(link_diags);
    // Template syntax errors are reported with the content's.
    let templates = match templates {
        Ok(t) => Some(t),
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
            warnings,
        }),
        _ => {
            diagnostics::sort(&mut errors);
            Err(errors)
        }
    }
}

impl Site {
    /// Renders every page in memory.
    pub fn render(&self) -> Result<render::Output, Vec<Diagnostic>> {
        self.render_with(None)
    }

    /// Renders every page into `sink` as soon as it is made (nothing is kept in memory).
    /// Returns the time spent making the templates' variables, before any page rendered.
    pub fn render_into(&self, sink: render::Sink<'_>) -> Result<Duration, Vec<Diagnostic>> {
        self.render_all(None, Some(sink)).map(|o| o.views_time)
    }

    /// Renders every page, reusing the memo's pages whose variables did not change.
    pub fn render_with(
        &self,
        memo: Option<&mut render::Memo>,
    ) -> Result<render::Output, Vec<Diagnostic>> {
        self.render_all(memo, None)
    }

    fn render_all(
        &self,
        memo: Option<&mut render::Memo>,
        sink: Option<render::Sink<'_>>,
    ) -> Result<render::Output, Vec<Diagnostic>> {
        render::render(
            &self.root,
            &self.config,
            &self.content,
            &self.links,
            &self.templates,
            memo,
            sink,
        )
    }

    /// Number of HTML pages the site has.
    pub fn page_count(&self) -> usize {
        routes::page_count(
            self.content.records.len(),
            self.content.articles.len(),
            self.content.pages.len(),
        )
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
    /// pages are written as they render; the time spent writing, summed over the threads,
    /// is given beside), swap.
    pub phases: Vec<(&'static str, Duration)>,
    pub warnings: Vec<Diagnostic>,
}

/// Builds the site at `root` into its output folder.
pub fn build(root: &Path, opts: &BuildOptions) -> Result<BuildReport, Error> {
    let start = Instant::now();
    let out_dir = opts.output.clone().unwrap_or_else(|| root.join("public"));
    // Refuse a dangerous output folder before doing any work.
    output::check_target(root, &out_dir).map_err(Error::Output)?;
    let (mut site, [parse_time, validate_time]) =
        load_timed(root, &opts.load).map_err(Error::Content)?;
    let loaded = Instant::now();
    // Pages are written as they are rendered, into a temporary folder that replaces the
    // output only when everything is there.
    let writer = output::Writer::begin(root, &out_dir).map_err(Error::Output)?;
    writer
        .copy_statics(root, &render::static_dirs(root, &site.config))
        .map_err(Error::Output)?;
    let progress = opts.progress.clone().unwrap_or_default();
    progress.total.store(
        site.page_count() + routes::data_file_count(),
        std::sync::atomic::Ordering::Relaxed,
    );
    // Time spent writing, summed over the threads that write.
    let writing = std::sync::atomic::AtomicU64::new(0);
    let views_time = site
        .render_into(&|f| {
            progress
                .done
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let started = Instant::now();
            let ok = writer.write(f);
            writing.fetch_add(
                started.elapsed().as_nanos() as u64,
                std::sync::atomic::Ordering::Relaxed,
            );
            ok
        })
        .map_err(Error::Content)?;
    let rendered = Instant::now();
    let stats = writer.commit().map_err(Error::Output)?;
    let committed = Instant::now();
    let report = BuildReport {
        pages: site.page_count(),
        files: stats.rendered + stats.copied,
        output: out_dir,
        elapsed: start.elapsed(),
        phases: vec![
            ("read+parse", parse_time),
            ("validate+link", validate_time),
            ("views", views_time),
            ("render+write", rendered - loaded - views_time),
            (
                "(of which writing, summed over threads)",
                Duration::from_nanos(writing.into_inner()),
            ),
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
    let rendered = site.render()?;
    let links_checked = check::internal_links(root, &site.config.base_path, &rendered)?;
    Ok(CheckReport {
        pages: site.page_count(),
        links_checked,
        warnings: site.warnings,
    })
}
