//! Rendering: every page of the site through the theme's Tera templates, plus the data
//! files (`data/certifications.json`, `.csv`), `sitemap.xml`, `atom.xml` and the search
//! index. One entry point, [`render`], hands each file to a [`Sink`] as it is made; the
//! sink decides where it goes (a folder, memory, `serve`'s cache). Where each file lives is
//! [`crate::routes`]'s.

mod chart;
mod data;
mod quote;
pub mod search;
mod templates;
pub mod views;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;
use tera::{Context, Value};

use crate::config::Config;
use crate::content::Content;
use crate::content::{Date, PathMap, path_key};
use crate::diagnostics::Diagnostic;
use crate::links::Links;
use crate::routes::{DataFile, Route};

pub use templates::{REQUIRED as REQUIRED_TEMPLATES, Templates, theme_dir};

/// A file's bytes, shared without copying: a rendered page's buffer is moved in as it is.
pub type Bytes = Arc<Vec<u8>>;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, with `/` separators.
    pub path: String,
    pub bytes: Bytes,
    /// The source file the page comes from (a content file, or the template for pages
    /// that only a template makes), for messages about it.
    pub source: Option<PathBuf>,
}

/// What a render did.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderReport {
    /// Time spent making the templates' variables, before any page rendered.
    pub views_time: std::time::Duration,
    /// Pages rendered now (not reused from the sink's earlier pages).
    pub rendered: usize,
}

/// How many articles the home page lists.
const HOME_ARTICLES: usize = 5;

/// A fingerprint of a serialisable value (its JSON form, hashed without building it).
fn fingerprint(parts: &[&dyn erased::Fingerprint]) -> u64 {
    let mut w = erased::HashWriter(std::hash::BuildHasher::build_hasher(
        &foldhash::fast::FixedState::with_seed(0x7072_696e_7473),
    ));
    for p in parts {
        p.feed(&mut w);
        std::hash::Hasher::write_u8(&mut w.0, 0xff);
    }
    std::hash::Hasher::finish(&w.0)
}

mod erased {
    /// Feeds a value's JSON form into a hasher.
    pub trait Fingerprint {
        fn feed(&self, w: &mut HashWriter);
    }

    impl<T: serde::Serialize> Fingerprint for T {
        fn feed(&self, w: &mut HashWriter) {
            // Writing into a hasher cannot fail; a value that does not serialise hashes as
            // what was written of it.
            let _ = serde_json::to_writer(w, self);
        }
    }

    /// foldhash: several times faster than SipHash on the long inputs fingerprints see, and
    /// no adversary chooses them.
    pub struct HashWriter(pub foldhash::fast::FoldHasher<'static>);

    impl std::io::Write for HashWriter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            std::hash::Hasher::write(&mut self.0, buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
}

/// A page to render: template, output path, URL, kind and its own variables.
struct Job<'a> {
    template: &'static str,
    path: String,
    url: String,
    kind: &'static str,
    vars: Vars<'a>,
    /// Fingerprints of some of `vars`, computed once for values shared by many pages.
    known: Vec<(&'static str, u64)>,
    /// The content file behind the page, if any.
    source: Option<PathBuf>,
}

/// A page's own variables: made now, or only if the page is rendered (an article's body
/// is copied into its variable; `serve` reuses most pages and never needs it).
enum Vars<'a> {
    Ready(Vec<(&'static str, Value)>),
    /// One variable's name, and how to make its value.
    Later(&'static str, Box<dyn FnOnce() -> Value + Send + 'a>),
}

impl Vars<'_> {
    /// Each variable's fingerprint: the known one, or the value's own (made if needed).
    fn prints(&mut self, known: &[(&'static str, u64)]) -> Vec<(&'static str, u64)> {
        let find = |k: &str| known.iter().find(|(name, _)| *name == k).map(|(_, p)| *p);
        if let Vars::Later(name, _) = self
            && let Some(p) = find(name)
        {
            return vec![(*name, p)];
        }
        self.make();
        match self {
            Vars::Ready(vars) => vars
                .iter()
                .map(|(k, v)| (*k, find(k).unwrap_or_else(|| fingerprint(&[v]))))
                .collect(),
            Vars::Later(..) => Vec::new(),
        }
    }

    fn make(&mut self) {
        if let Vars::Later(..) = self
            && let Vars::Later(name, make) = std::mem::replace(self, Vars::Ready(Vec::new()))
        {
            *self = Vars::Ready(vec![(name, make())]);
        }
    }

    fn into_values(mut self) -> Vec<(&'static str, Value)> {
        self.make();
        match self {
            Vars::Ready(vars) => vars,
            Vars::Later(..) => Vec::new(),
        }
    }
}

/// Where the files of a render go, as they are made: a folder on disk (`build`), memory
/// (`check`), or `serve`'s cache, which also keeps each page with a fingerprint of its
/// variables and gives it back when they have not changed. Every method may be called
/// from any thread.
pub trait Sink: Sync {
    /// Takes one file (a page, a data file). Returns false when the sink cannot take more
    /// (a write failed): the render stops early, and the sink reports its own failure.
    fn file(&self, file: OutputFile) -> bool;

    /// Takes one static file, published as it is at `rel` (`src` is the file, relative to
    /// the site `root`). Static files come before the rendered ones, which may replace them.
    fn static_file(&self, rel: &str, root: &Path, src: &Path) -> bool;

    /// Whether the sink keeps pages by fingerprint: only then are fingerprints computed.
    fn keeps_pages(&self) -> bool {
        false
    }

    /// The page at `path` as rendered before from variables with this fingerprint.
    fn reuse(&self, _path: &str, _print: u64) -> Option<Bytes> {
        None
    }

    /// Notes the fingerprint of a page just taken, for [`Sink::reuse`] next time.
    fn remember(&self, _path: &str, _print: u64, _bytes: &Bytes) {}

    /// The shared values of the last render, when the sink keeps them across renders
    /// (with [`Sink::keeps_pages`]): each is made again only when what it is made from
    /// changed.
    fn views(&self) -> Option<&std::sync::Mutex<ViewCache>> {
        None
    }

    /// The search index's per-entry cache, when the sink keeps one across renders.
    fn search_cache(&self) -> Option<&std::sync::Mutex<search::Cache>> {
        None
    }
}

/// A poisoned lock only means another thread panicked mid-render; what it guards is
/// replaced by the next render.
fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Frees `value` on a thread of its own, so that the caller does not wait for it. If no
/// thread can be started, it is freed here.
pub fn drop_later<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("certguide-drop".into())
        .spawn(move || drop(value));
}

/// The folders whose files are published as they are (theme first, then the site's).
pub fn static_dirs(root: &Path, config: &Config) -> Vec<PathBuf> {
    let mut dirs = vec![theme_dir(config).join("static"), PathBuf::from("static")];
    dirs.retain(|d| root.join(d).is_dir());
    dirs
}

/// The templates' variables that many pages share, made once per render: template values
/// are reference-counted, so every page that lists a record or an article shares its value.
struct Shared {
    site: Value,
    /// Records as the data files publish them, in content order.
    record_data: Vec<Arc<views::RecordData>>,
    /// Records in the home table's order (by acronym), and articles newest first.
    home_order: Vec<usize>,
    article_order: Vec<usize>,
    columns: Vec<views::ColumnView>,
    summaries: Vec<Arc<views::ArticleSummary>>,
    summary_values: Vec<Value>,
    page_values: Vec<Value>,
    /// Each record's `cert` variable.
    cert_values: Vec<Value>,
    /// When the sink keeps pages: what each value is made from, as fingerprints.
    prints: Option<Prints>,
    chart: Value,
    facets: Value,
    /// Records by id, for the facts articles and pages quote (empty when none do).
    quoted: quote::ById,
}

/// Fingerprints of what the shared values are made from, without looking at the values:
/// the text of each source file, the configuration and the date. A value whose print did
/// not change is the same value, so `serve` reuses it (and every page made from it) instead
/// of making and hashing it again.
struct Prints {
    /// The configuration, the options and today's date: everything every value depends on.
    global: u64,
    /// Each record's data (its file and `global`), in content order.
    records: Vec<u64>,
    /// Each record's `cert` value: its data and its related articles' summaries.
    certs: Vec<u64>,
    /// Each article's summary (hashed as made: small, and without the body, so that a
    /// body edit leaves the pages that list the article alone).
    summaries: Vec<u64>,
    /// Each article's own variable: its summary, its file (body, headings) and `global`.
    articles: Vec<u64>,
    /// Each page's variable, likewise.
    pages: Vec<u64>,
}

/// Shared values kept from one render to the next by a sink that keeps pages (see
/// [`Sink::views`]), each with the print it was made from.
#[derive(Default)]
pub struct ViewCache {
    records: PathMap<(u64, Arc<views::RecordData>)>,
    certs: PathMap<(u64, Value)>,
    summaries: PathMap<(u64, Arc<views::ArticleSummary>, Value)>,
}

impl Prints {
    /// The prints of everything, given each article's and page's summary as made.
    fn new(
        config: &Config,
        content: &Content,
        links: &Links,
        today: Date,
        summaries: &[views::ArticleSummary],
        page_summaries: &[views::ArticleSummary],
    ) -> Prints {
        let global = fingerprint(&[&format!("{config:?}"), &today.to_string()]);
        let file = |p: &Path| {
            content
                .hashes
                .get(p.to_string_lossy().as_ref())
                .copied()
                .unwrap_or(0)
        };
        let records: Vec<u64> = content
            .records
            .iter()
            .map(|r| fingerprint(&[&global, &file(&r.path)]))
            .collect();
        let summary_prints: Vec<u64> = summaries.par_iter().map(|s| fingerprint(&[s])).collect();
        // A document's page shows the facts it quotes: the quoted records' prints are part
        // of its own, so editing a record renders every page that quotes it again.
        let own = |docs: &[crate::content::Document], prints: &[u64], quotes: &[Vec<usize>]| {
            docs.iter()
                .zip(prints)
                .enumerate()
                .map(|(i, (d, s))| {
                    let quoted: Vec<u64> = quotes
                        .get(i)
                        .into_iter()
                        .flatten()
                        .filter_map(|&r| records.get(r).copied())
                        .collect();
                    fingerprint(&[&global, s, &file(&d.path), &quoted])
                })
                .collect::<Vec<u64>>()
        };
        let page_prints: Vec<u64> = page_summaries.iter().map(|s| fingerprint(&[s])).collect();
        let certs = records
            .iter()
            .zip(&links.record_articles)
            .map(|(r, articles)| {
                let related: Vec<u64> = articles.iter().map(|&a| summary_prints[a]).collect();
                fingerprint(&[r, &related])
            })
            .collect();
        Prints {
            global,
            articles: own(&content.articles, &summary_prints, &links.article_quotes),
            pages: own(&content.pages, &page_prints, &links.page_quotes),
            records,
            certs,
            summaries: summary_prints,
        }
    }
}

impl Shared {
    fn new(
        config: &Config,
        content: &Content,
        links: &Links,
        keeps_pages: bool,
        cache: Option<&std::sync::Mutex<ViewCache>>,
    ) -> Shared {
        let base = config.base_path.as_str();
        let today = crate::content::Date::today();
        let record_context = views::RecordContext {
            base_path: base,
            stale_after_months: config.stale_after_months,
            today,
            money: &config.money,
        };
        let summary = |d, related| views::document_summary(d, &content.records, related, base);
        let summaries: Vec<views::ArticleSummary> = content
            .articles
            .par_iter()
            .zip(&links.article_records)
            .map(|(a, related)| summary(a, related))
            .collect();
        let page_summaries: Vec<views::ArticleSummary> = content
            .pages
            .iter()
            .zip(&links.page_records)
            .map(|(p, related)| summary(p, related))
            .collect();
        let prints = keeps_pages
            .then(|| Prints::new(config, content, links, today, &summaries, &page_summaries));
        // What the last render made, when the sink keeps it; replaced by this render's.
        let old = cache.map(|c| std::mem::take(&mut *lock(c)));
        let kept = |print: Option<u64>, entry: Option<&(u64, Arc<views::RecordData>)>| {
            entry
                .filter(|(p, _)| Some(*p) == print)
                .map(|(_, v)| v.clone())
        };
        let columns = views::columns(config);
        let record_data: Vec<Arc<views::RecordData>> = content
            .records
            .par_iter()
            .enumerate()
            .map(|(i, r)| {
                let print = prints.as_ref().map(|p| p.records[i]);
                kept(
                    print,
                    old.as_ref()
                        .and_then(|o| o.records.get(r.path.to_string_lossy().as_ref())),
                )
                .unwrap_or_else(|| Arc::new(views::record_data(r, record_context)))
            })
            .collect();
        let summaries: Vec<(Arc<views::ArticleSummary>, Value)> = content
            .articles
            .par_iter()
            .zip(summaries)
            .enumerate()
            .map(|(i, (a, s))| {
                let print = prints.as_ref().map(|p| p.summaries[i]);
                match old
                    .as_ref()
                    .and_then(|o| o.summaries.get(a.path.to_string_lossy().as_ref()))
                {
                    Some((p, s, v)) if Some(*p) == print => (s.clone(), v.clone()),
                    _ => {
                        let v = Value::from_serializable(&s);
                        (Arc::new(s), v)
                    }
                }
            })
            .collect();
        let (summaries, summary_values): (Vec<_>, Vec<_>) = summaries.into_iter().unzip();
        let page_values = page_summaries
            .iter()
            .map(Value::from_serializable)
            .collect();
        let mut home_order: Vec<usize> = (0..content.records.len()).collect();
        home_order.sort_by_cached_key(|&i| {
            let r = &content.records[i];
            (r.acronym.to_lowercase(), &r.id)
        });
        // The home page's chart and facets are made beside the records' values.
        let home_extras = || {
            (
                Value::from(chart::svg(
                    &content.records,
                    &home_order,
                    base,
                    &config.money,
                )),
                Value::from_serializable(&views::facets(config, &content.records)),
            )
        };
        let cert_value = |(i, r): (usize, &crate::content::Record)| {
            let print = prints.as_ref().map(|p| p.certs[i]);
            if let Some((p, v)) = old
                .as_ref()
                .and_then(|o| o.certs.get(r.path.to_string_lossy().as_ref()))
                && Some(*p) == print
            {
                return v.clone();
            }
            let extras = views::CertExtras {
                summary_text: &r.summary_text,
                summary_html: r.summary_html.as_deref(),
                edit_url: views::edit_url(config, &r.path),
                pros_html: &r.pros_html,
                cons_html: &r.cons_html,
                extra_items: views::extra_items(&r.extra),
                cells: views::cells(r, &columns, &config.money),
                compared: views::compared(r),
                cites: views::cite_map(r),
            };
            let articles: Vec<Value> = links.record_articles[i]
                .iter()
                .map(|&a| summary_values[a].clone())
                .collect();
            views::merge(
                Value::from_serializable(&*record_data[i]),
                Value::from_serializable(&extras),
                vec![("articles", Value::from(articles))],
            )
        };
        let ((chart, facets), cert_values): (_, Vec<Value>) = rayon::join(home_extras, || {
            content
                .records
                .par_iter()
                .enumerate()
                .map(cert_value)
                .collect()
        });
        if let (Some(cache), Some(p)) = (cache, &prints) {
            let mut next = lock(cache);
            for (i, r) in content.records.iter().enumerate() {
                let key = path_key(&r.path);
                next.records
                    .insert(key.clone(), (p.records[i], record_data[i].clone()));
                next.certs.insert(key, (p.certs[i], cert_values[i].clone()));
            }
            for (i, a) in content.articles.iter().enumerate() {
                next.summaries.insert(
                    path_key(&a.path),
                    (
                        p.summaries[i],
                        summaries[i].clone(),
                        summary_values[i].clone(),
                    ),
                );
            }
        }
        // The old values are many small allocations: freed on another thread.
        drop_later(old);
        Shared {
            site: Value::from_serializable(&views::site(config, content)),
            record_data,
            home_order,
            article_order: views::newest_first(&content.articles),
            columns,
            summaries,
            summary_values,
            page_values,
            cert_values,
            prints,
            chart,
            facets,
            quoted: quote::index(content),
        }
    }

    /// Every page to render, in a fixed order: home, records, compare, articles index,
    /// articles, free pages, search, 404.
    fn jobs<'a>(&'a self, config: &'a Config, content: &'a Content) -> Vec<Job<'a>> {
        let base = config.base_path.as_str();
        let ordered_summaries: Vec<(&views::ArticleSummary, Value)> = self
            .article_order
            .iter()
            .map(|&i| (&*self.summaries[i], self.summary_values[i].clone()))
            .collect();
        let summary_list = |n: usize| {
            Value::from(
                ordered_summaries
                    .iter()
                    .take(n)
                    .map(|(_, v)| v.clone())
                    .collect::<Vec<_>>(),
            )
        };
        let mut jobs = Vec::with_capacity(content.records.len() + content.articles.len() + 8);
        jobs.push(Job {
            template: "index.html",
            path: Route::Home.path(),
            url: Route::Home.url(base),
            kind: "home",
            source: None,
            known: self
                .prints
                .as_ref()
                .map(|p| {
                    let in_order = |of: &[u64]| -> u64 {
                        fingerprint(&[&self.home_order.iter().map(|&i| of[i]).collect::<Vec<_>>()])
                    };
                    let records = in_order(&p.records);
                    let latest: Vec<u64> = self
                        .article_order
                        .iter()
                        .take(HOME_ARTICLES)
                        .map(|&i| p.summaries[i])
                        .collect();
                    vec![
                        ("certifications", in_order(&p.certs)),
                        ("columns", p.global),
                        ("chart", records),
                        ("facets", records),
                        ("articles", fingerprint(&[&latest])),
                    ]
                })
                .unwrap_or_default(),
            vars: Vars::Ready(vec![
                (
                    "certifications",
                    Value::from(
                        self.home_order
                            .iter()
                            .map(|&i| self.cert_values[i].clone())
                            .collect::<Vec<_>>(),
                    ),
                ),
                ("columns", Value::from_serializable(&self.columns)),
                ("chart", self.chart.clone()),
                ("facets", self.facets.clone()),
                ("articles", summary_list(HOME_ARTICLES)),
            ]),
        });
        jobs.par_extend(content.records.par_iter().enumerate().map(|(i, r)| {
            Job {
                template: "certification.html",
                path: Route::Record(&r.id).path(),
                url: Route::Record(&r.id).url(base),
                kind: "certification",
                source: Some(r.path.clone()),
                known: self
                    .prints
                    .as_ref()
                    .map(|p| vec![("cert", p.certs[i])])
                    .unwrap_or_default(),
                vars: Vars::Ready(vec![("cert", self.cert_values[i].clone())]),
            }
        }));
        jobs.push(Job {
            template: "compare.html",
            path: Route::Compare.path(),
            url: Route::Compare.url(base),
            kind: "compare",
            source: None,
            known: self
                .prints
                .as_ref()
                .map(|p| vec![("compare_fields", p.global), ("data_url", p.global)])
                .unwrap_or_default(),
            vars: Vars::Ready(vec![
                (
                    "compare_fields",
                    Value::from_serializable(&views::compare_fields(&config.money)),
                ),
                (
                    "data_url",
                    Value::from(Route::Data(DataFile::CertificationsJson).url(base)),
                ),
            ]),
        });
        jobs.push(Job {
            template: "articles.html",
            path: Route::Articles.path(),
            url: Route::Articles.url(base),
            kind: "articles",
            source: None,
            known: self
                .prints
                .as_ref()
                .map(|p| {
                    let all: Vec<u64> =
                        self.article_order.iter().map(|&i| p.summaries[i]).collect();
                    let all = fingerprint(&[&all]);
                    vec![("articles", all), ("categories", all)]
                })
                .unwrap_or_default(),
            vars: Vars::Ready(vec![
                ("articles", summary_list(usize::MAX)),
                ("categories", views::categories(&ordered_summaries)),
            ]),
        });
        // A document's variable is made from its own file (summary, body, table of contents),
        // the records it names and the configuration: its summary's print covers them all.
        let print = |of: fn(&Prints) -> &Vec<u64>, i: usize| self.prints.as_ref().map(|p| of(p)[i]);
        let documents = content
            .articles
            .par_iter()
            .zip(self.summary_values.par_iter())
            .enumerate()
            .map(|(i, (d, s))| {
                let p = print(|p| &p.articles, i);
                ("article.html", "article", "article", d, s, p)
            })
            .chain(
                content
                    .pages
                    .par_iter()
                    .zip(self.page_values.par_iter())
                    .enumerate()
                    .map(|(i, (d, s))| ("page.html", "page", "page", d, s, print(|p| &p.pages, i))),
            );
        jobs.par_extend(documents.map(|(template, kind, var, doc, summary, print)| {
            let quoted = &self.quoted;
            let make = move || {
                let records = (&content.records[..], quoted);
                let html = quote::resolve(&doc.html, &doc.quotes, records, base, &config.money);
                let extras = views::DocumentExtras {
                    edit_url: views::edit_url(config, &doc.path),
                    content_html: &html,
                    toc: &doc.headings,
                };
                views::merge(
                    summary.clone(),
                    Value::from_serializable(&extras),
                    Vec::new(),
                )
            };
            Job {
                template,
                path: Route::source(doc.kind, &doc.slug).path(),
                url: Route::source(doc.kind, &doc.slug).url(base),
                kind,
                source: Some(doc.path.clone()),
                known: print.map(|p| vec![(var, p)]).unwrap_or_default(),
                vars: Vars::Later(var, Box::new(make)),
            }
        }));
        jobs.push(Job {
            template: "search.html",
            path: Route::Search.path(),
            url: Route::Search.url(base),
            kind: "search",
            source: None,
            known: Vec::new(),
            vars: Vars::Ready(Vec::new()),
        });
        jobs.push(Job {
            template: "404.html",
            path: Route::NotFound.path(),
            url: Route::NotFound.url(base),
            kind: "404",
            source: None,
            known: Vec::new(),
            vars: Vars::Ready(Vec::new()),
        });
        jobs
    }
}

/// Renders the whole site into `sink`: the static files, every page, the data files and
/// the search index. Every template problem is returned, each once.
pub fn render(site: &crate::Site, sink: &dyn Sink) -> Result<RenderReport, Vec<Diagnostic>> {
    let (config, content, templates) = (&site.config, &site.content, &*site.templates);
    let base = config.base_path.as_str();
    let stop = AtomicBool::new(false);
    let go_on = |ok: bool| {
        if !ok {
            stop.store(true, Ordering::Relaxed);
        }
        ok
    };
    let start = std::time::Instant::now();
    site.statics.par_iter().for_each(|(rel, src)| {
        if !stop.load(Ordering::Relaxed) {
            go_on(sink.static_file(rel, &site.root, src));
        }
    });
    let keeps = sink.keeps_pages();
    let shared = Shared::new(config, content, &site.links, keeps, sink.views());
    let site_print = keeps.then(|| fingerprint(&[&shared.site]));
    let jobs = shared.jobs(config, content);
    let views_time = start.elapsed();
    let rendered = AtomicUsize::new(0);
    let render_job = |job: Job| -> Option<Diagnostic> {
        if stop.load(Ordering::Relaxed) {
            return None;
        }
        let mut job = job;
        let print = site_print.map(|s| {
            let vars = job.vars.prints(&job.known);
            fingerprint(&[&s, &job.template, &job.url, &job.kind, &vars])
        });
        let source = job.source.or_else(|| templates.file_of(job.template));
        let reused = print.and_then(|p| sink.reuse(&job.path, p));
        let bytes = match reused {
            Some(bytes) => bytes,
            None => {
                let mut ctx = Context::new();
                ctx.insert_value("site", shared.site.clone());
                ctx.insert_value("page_url", Value::from(job.url));
                ctx.insert_value("page_kind", Value::from(job.kind));
                for (k, v) in job.vars.into_values() {
                    ctx.insert_value(k, v);
                }
                match templates.tera.render(job.template, &ctx) {
                    Ok(html) => {
                        rendered.fetch_add(1, Ordering::Relaxed);
                        Arc::new(html.into_bytes())
                    }
                    Err(e) => return Some(templates.error(&e, job.template)),
                }
            }
        };
        if let Some(p) = print {
            sink.remember(&job.path, p, &bytes);
        }
        go_on(sink.file(OutputFile {
            path: job.path,
            bytes,
            source,
        }));
        None
    };
    let published: Vec<&views::RecordData> = shared
        .home_order
        .iter()
        .map(|&i| &*shared.record_data[i])
        .collect();
    // A sink that keeps files gets each group of data files back when nothing it is made
    // from changed: the JSON and CSV from the records, the rest from the whole site (the
    // feed and the search index show bodies: the articles' own prints).
    let (records_print, site_print) = match &shared.prints {
        Some(p) => {
            let records: Vec<u64> = shared.home_order.iter().map(|&i| p.records[i]).collect();
            let articles: Vec<u64> = shared
                .article_order
                .iter()
                .map(|&i| p.articles[i])
                .collect();
            (
                Some(fingerprint(&[&p.global, &records])),
                Some(fingerprint(&[&p.global, &records, &articles, &p.pages])),
            )
        }
        None => (None, None),
    };
    let emit = |files: Vec<OutputFile>, print: Option<u64>| {
        for f in files {
            if let Some(print) = print {
                sink.remember(&f.path, print, &f.bytes);
            }
            if !go_on(sink.file(f)) {
                break;
            }
        }
    };
    let reused = |paths: Vec<String>, print: Option<u64>| -> Option<Vec<OutputFile>> {
        let print = print?;
        paths
            .into_iter()
            .map(|path| {
                let bytes = sink.reuse(&path, print)?;
                Some(OutputFile {
                    path,
                    bytes,
                    source: None,
                })
            })
            .collect()
    };
    let make_record_files = || {
        let files = reused(data::record_file_paths(), records_print)
            .unwrap_or_else(|| data::record_files(content, &published));
        emit(files, records_print);
    };
    let make_site_files = || {
        let files = reused(data::site_file_paths(), site_print).unwrap_or_else(|| {
            let (mut files, index) = rayon::join(
                || data::site_files(config, content, &published, &shared.article_order),
                || {
                    let mut cache = sink.search_cache().and_then(|c| c.lock().ok());
                    search::file(
                        content,
                        base,
                        &shared.home_order,
                        &shared.article_order,
                        cache.as_deref_mut(),
                    )
                },
            );
            files.push(index);
            files
        });
        emit(files, site_print);
    };
    // The data files and the search index do not depend on the pages: they are made while
    // the pages render, so the cores stay busy to the end.
    let make_data = || {
        rayon::join(make_record_files, make_site_files);
    };
    let (problems, ()): (Vec<Option<Diagnostic>>, ()) =
        rayon::join(|| jobs.into_par_iter().map(render_job).collect(), make_data);
    // The views are millions of small allocations at 10,000 records: freeing them is left
    // to another thread instead of adding to the build's time.
    drop_later(shared);
    let errors: BTreeSet<Diagnostic> = problems.into_iter().flatten().collect();
    if !errors.is_empty() {
        return Err(errors.into_iter().collect());
    }
    Ok(RenderReport {
        views_time,
        rendered: rendered.into_inner(),
    })
}

/// A sink that keeps every file in memory (`check`, tests): static files are read whole.
#[derive(Debug, Default)]
pub struct MemorySink {
    /// The rendered files, in the order taken.
    pub files: std::sync::Mutex<Vec<OutputFile>>,
    /// The static files, in the order taken.
    pub statics: std::sync::Mutex<Vec<OutputFile>>,
    /// The first static file that could not be read.
    pub error: std::sync::Mutex<Option<Diagnostic>>,
}

impl MemorySink {
    /// The files of the site as a build publishes them: static files first, rendered
    /// files replacing any on the same path; sorted by path.
    pub fn into_files(self) -> Result<Vec<OutputFile>, Diagnostic> {
        let (rendered, statics) = self.into_parts()?;
        let mut by_path = std::collections::BTreeMap::new();
        for f in statics.into_iter().chain(rendered) {
            by_path.insert(f.path.clone(), f);
        }
        Ok(by_path.into_values().collect())
    }

    /// The rendered files and the static files, apart.
    pub fn into_parts(self) -> Result<(Vec<OutputFile>, Vec<OutputFile>), Diagnostic> {
        if let Some(e) = self.error.into_inner().ok().flatten() {
            return Err(e);
        }
        Ok((
            self.files.into_inner().unwrap_or_default(),
            self.statics.into_inner().unwrap_or_default(),
        ))
    }
}

impl Sink for MemorySink {
    fn file(&self, file: OutputFile) -> bool {
        self.files.lock().map(|mut f| f.push(file)).is_ok()
    }

    fn static_file(&self, rel: &str, root: &Path, src: &Path) -> bool {
        let shown = src;
        match crate::source::read_static(root, src) {
            Ok(bytes) => {
                let file = OutputFile {
                    path: rel.to_string(),
                    bytes: Arc::new(bytes),
                    source: Some(shown.to_path_buf()),
                };
                self.statics.lock().map(|mut s| s.push(file)).is_ok()
            }
            Err(d) => {
                if let Ok(mut e) = self.error.lock() {
                    e.get_or_insert(d);
                }
                false
            }
        }
    }
}
