//! Rendering: every page of the site through the theme's Tera templates, plus the data
//! files (`data/certifications.json`, `.csv`), `sitemap.xml` and `atom.xml`. The result is
//! an in-memory [`Output`]; nothing here touches the output folder.

mod chart;
mod data;
mod search;
mod templates;
pub mod views;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Value};

use crate::config::Config;
use crate::content::Content;
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

/// The built site, in memory.
#[derive(Debug, Default)]
pub struct Output {
    pub files: Vec<OutputFile>,
    /// Folders (relative to the site root) whose files are copied as they are, in order:
    /// later folders override earlier ones, and rendered files override them all.
    pub static_dirs: Vec<PathBuf>,
    /// Time spent making the templates' variables, before any page rendered.
    pub views_time: std::time::Duration,
}

/// How many articles the home page lists.
const HOME_ARTICLES: usize = 5;

/// Pages rendered by an earlier run, with a fingerprint of everything they were rendered
/// from. `serve` keeps one across rebuilds so an edit re-renders only the pages whose
/// variables changed; the fingerprint covers the page's own variables and the `site`
/// variable every page shares. Templates changing makes a new memo.
#[derive(Debug, Default)]
pub struct Memo {
    pages: HashMap<String, (u64, Bytes)>,
    /// The search index's entries, likewise.
    search: search::Cache,
    /// Pages rendered (not reused) by the last run.
    pub rendered: usize,
}

/// A fingerprint of a serialisable value (its JSON form, hashed without building it).
fn fingerprint(parts: &[&dyn erased::Fingerprint]) -> u64 {
    let mut w = erased::HashWriter(std::collections::hash_map::DefaultHasher::new());
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

    pub struct HashWriter(pub std::collections::hash_map::DefaultHasher);

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
struct Job {
    template: &'static str,
    path: String,
    url: String,
    kind: &'static str,
    vars: Vec<(&'static str, Value)>,
    /// Fingerprints of some of `vars`, computed once for values shared by many pages.
    known: Vec<(&'static str, u64)>,
    /// The content file behind the page, if any.
    source: Option<PathBuf>,
}

/// A page rendered: the file or its problem, its fingerprint (with a memo), and whether it
/// was rendered now rather than reused.
type Rendered = (Result<OutputFile, Diagnostic>, Option<u64>, bool);

/// Where rendered files go as they are made, instead of being kept in [`Output::files`]:
/// a build writes each page while the others render. A sink reports its own failures
/// (it returns whether to go on).
pub type Sink<'a> = &'a (dyn Fn(&OutputFile) -> bool + Sync);

/// Hands a file to the sink, if there is one, and keeps only its name: the bytes are freed
/// as soon as they are written.
fn emit(sink: Option<Sink<'_>>, file: OutputFile) -> OutputFile {
    match sink {
        Some(sink) => {
            sink(&file);
            OutputFile {
                bytes: Bytes::default(),
                ..file
            }
        }
        None => file,
    }
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
    record_data: Vec<views::RecordData>,
    /// Records in the home table's order (by acronym), and articles newest first.
    home_order: Vec<usize>,
    article_order: Vec<usize>,
    columns: Vec<views::ColumnView>,
    summaries: Vec<views::ArticleSummary>,
    summary_values: Vec<Value>,
    page_values: Vec<Value>,
    /// Each record's `cert` variable.
    cert_values: Vec<Value>,
    /// With a memo: each record's value fingerprinted once, for its page and the home page.
    cert_prints: Vec<u64>,
    chart: Value,
    facets: Value,
}

impl Shared {
    fn new(config: &Config, content: &Content, links: &Links, fingerprints: bool) -> Shared {
        let base = config.base_path.as_str();
        let record_context = views::RecordContext {
            base_path: base,
            stale_after_months: config.stale_after_months,
            today: crate::content::Date::today(),
        };
        let columns = views::columns(config);
        let record_data: Vec<views::RecordData> = content
            .records
            .par_iter()
            .map(|r| views::record_data(r, record_context))
            .collect();
        let summary = |d, related| views::document_summary(d, &content.records, related, base);
        let summaries: Vec<views::ArticleSummary> = content
            .articles
            .par_iter()
            .zip(&links.article_records)
            .map(|(a, related)| summary(a, related))
            .collect();
        let summary_values: Vec<Value> =
            summaries.par_iter().map(Value::from_serializable).collect();
        let page_values = content
            .pages
            .iter()
            .zip(&links.page_records)
            .map(|(p, related)| Value::from_serializable(&summary(p, related)))
            .collect();
        let mut home_order: Vec<usize> = (0..content.records.len()).collect();
        home_order.sort_by_cached_key(|&i| {
            let r = &content.records[i];
            (r.acronym.to_lowercase(), &r.id)
        });
        // The home page's chart and facets are made beside the records' values.
        let home_extras = || {
            (
                Value::from(chart::svg(&content.records, &home_order, base)),
                Value::from_serializable(&views::facets(config, &content.records)),
            )
        };
        let cert_value = |(i, r): (usize, &crate::content::Record)| {
            let extras = views::CertExtras {
                summary_text: &r.summary_text,
                summary_html: r.summary_html.as_deref(),
                edit_url: views::edit_url(config, &r.path),
                pros_html: &r.pros_html,
                cons_html: &r.cons_html,
                extra_items: views::extra_items(&r.extra),
                cells: views::cells(r, &columns),
            };
            let articles: Vec<Value> = links.record_articles[i]
                .iter()
                .map(|&a| summary_values[a].clone())
                .collect();
            views::merge(
                Value::from_serializable(&record_data[i]),
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
        let cert_prints = match fingerprints {
            true => cert_values.par_iter().map(|v| fingerprint(&[v])).collect(),
            false => Vec::new(),
        };
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
            cert_prints,
            chart,
            facets,
        }
    }

    /// Every page to render, in a fixed order: home, records, compare, articles index,
    /// articles, free pages, search, 404.
    fn jobs(&self, config: &Config, content: &Content) -> Vec<Job> {
        let base = config.base_path.as_str();
        let ordered_summaries: Vec<(&views::ArticleSummary, Value)> = self
            .article_order
            .iter()
            .map(|&i| (&self.summaries[i], self.summary_values[i].clone()))
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
            known: match self.cert_prints.is_empty() && !content.records.is_empty() {
                true => Vec::new(),
                false => vec![(
                    "certifications",
                    fingerprint(&[&self
                        .home_order
                        .iter()
                        .map(|&i| self.cert_prints[i])
                        .collect::<Vec<_>>()]),
                )],
            },
            vars: vec![
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
            ],
        });
        jobs.par_extend(content.records.par_iter().enumerate().map(|(i, r)| {
            Job {
                template: "certification.html",
                path: Route::Record(&r.id).path(),
                url: Route::Record(&r.id).url(base),
                kind: "certification",
                source: Some(r.path.clone()),
                known: self
                    .cert_prints
                    .get(i)
                    .map(|&p| ("cert", p))
                    .into_iter()
                    .collect(),
                vars: vec![("cert", self.cert_values[i].clone())],
            }
        }));
        jobs.push(Job {
            template: "compare.html",
            path: Route::Compare.path(),
            url: Route::Compare.url(base),
            kind: "compare",
            source: None,
            known: Vec::new(),
            vars: vec![
                (
                    "compare_fields",
                    Value::from_serializable(&views::compare_fields()),
                ),
                (
                    "data_url",
                    Value::from(Route::Data(DataFile::CertificationsJson).url(base)),
                ),
            ],
        });
        jobs.push(Job {
            template: "articles.html",
            path: Route::Articles.path(),
            url: Route::Articles.url(base),
            kind: "articles",
            source: None,
            known: Vec::new(),
            vars: vec![
                ("articles", summary_list(usize::MAX)),
                ("categories", views::categories(&ordered_summaries)),
            ],
        });
        let documents = content
            .articles
            .par_iter()
            .zip(self.summary_values.par_iter())
            .map(|(d, s)| ("article.html", "article", "article", d, s))
            .chain(
                content
                    .pages
                    .par_iter()
                    .zip(self.page_values.par_iter())
                    .map(|(d, s)| ("page.html", "page", "page", d, s)),
            );
        jobs.par_extend(documents.map(|(template, kind, var, doc, summary)| {
            let extras = views::DocumentExtras {
                edit_url: views::edit_url(config, &doc.path),
                content_html: &doc.html,
                toc: &doc.headings,
            };
            Job {
                template,
                path: Route::source(doc.kind, &doc.slug).path(),
                url: Route::source(doc.kind, &doc.slug).url(base),
                kind,
                source: Some(doc.path.clone()),
                known: Vec::new(),
                vars: vec![(
                    var,
                    views::merge(
                        summary.clone(),
                        Value::from_serializable(&extras),
                        Vec::new(),
                    ),
                )],
            }
        }));
        jobs.push(Job {
            template: "search.html",
            path: Route::Search.path(),
            url: Route::Search.url(base),
            kind: "search",
            source: None,
            known: Vec::new(),
            vars: Vec::new(),
        });
        jobs.push(Job {
            template: "404.html",
            path: Route::NotFound.path(),
            url: Route::NotFound.url(base),
            kind: "404",
            source: None,
            known: Vec::new(),
            vars: Vec::new(),
        });
        jobs
    }
}

/// Renders the whole site. Every template problem is returned, each once. With a memo,
/// pages whose variables are unchanged since the memo's last run are reused. With a sink,
/// every file goes to the sink as soon as it is made and [`Output::files`] stays empty.
pub fn render(
    root: &Path,
    config: &Config,
    content: &Content,
    links: &Links,
    templates: &Templates,
    memo: Option<&mut Memo>,
    sink: Option<Sink<'_>>,
) -> Result<Output, Vec<Diagnostic>> {
    let base = config.base_path.as_str();
    let start = std::time::Instant::now();
    let shared = Shared::new(config, content, links, memo.is_some());
    let site_print = memo.as_ref().map(|_| fingerprint(&[&shared.site]));
    let jobs = shared.jobs(config, content);
    let views_time = start.elapsed();
    // Split the memo: pages are read while rendering, the search cache is updated beside.
    let (memo_pages, memo_rendered, search_cache) = match memo {
        Some(Memo {
            pages,
            search,
            rendered,
        }) => (Some(pages), Some(rendered), Some(search)),
        None => (None, None, None),
    };
    let previous = memo_pages.as_deref();
    let render_job = |job: Job| {
        let print = site_print.map(|s| {
            let vars: Vec<(&str, u64)> = job
                .vars
                .iter()
                .map(
                    |(k, v)| match job.known.iter().find(|(name, _)| name == k) {
                        Some((_, p)) => (*k, *p),
                        None => (*k, fingerprint(&[v])),
                    },
                )
                .collect();
            fingerprint(&[&s, &job.template, &job.url, &job.kind, &vars])
        });
        let source = job.source.or_else(|| templates.file_of(job.template));
        if let (Some(p), Some(pages)) = (print, previous)
            && let Some((old, bytes)) = pages.get(&job.path)
            && *old == p
        {
            let file = OutputFile {
                path: job.path,
                bytes: bytes.clone(),
                source,
            };
            return (Ok(file), print, false);
        }
        let mut ctx = Context::new();
        ctx.insert_value("site", shared.site.clone());
        ctx.insert_value("page_url", Value::from(job.url));
        ctx.insert_value("page_kind", Value::from(job.kind));
        for (k, v) in job.vars {
            ctx.insert_value(k, v);
        }
        let result = match templates.tera.render(job.template, &ctx) {
            Ok(html) => Ok(emit(
                sink,
                OutputFile {
                    path: job.path,
                    bytes: Arc::new(html.into_bytes()),
                    source,
                },
            )),
            Err(e) => Err(templates.error(&e, job.template)),
        };
        (result, print, true)
    };
    // The data files and the search index do not depend on the pages: they are made while
    // the pages render, so the cores stay busy to the end.
    let make_data = || {
        let published: Vec<&views::RecordData> = shared
            .home_order
            .iter()
            .map(|&i| &shared.record_data[i])
            .collect();
        let (mut data, index) = rayon::join(
            || data::files(config, content, &published, &shared.article_order),
            || {
                search::file(
                    content,
                    base,
                    &shared.home_order,
                    &shared.article_order,
                    search_cache,
                )
            },
        );
        data.push(index);
        data.into_iter().map(|f| emit(sink, f)).collect::<Vec<_>>()
    };
    let (rendered, data): (Vec<Rendered>, _) =
        rayon::join(|| jobs.into_par_iter().map(render_job).collect(), make_data);
    if let (Some(pages), Some(count)) = (memo_pages, memo_rendered) {
        *count = rendered.iter().filter(|(_, _, fresh)| *fresh).count();
        *pages = rendered
            .iter()
            .filter_map(|(r, print, _)| match (r, print) {
                (Ok(f), Some(p)) => Some((f.path.clone(), (*p, f.bytes.clone()))),
                _ => None,
            })
            .collect();
    }

    let mut files = Vec::with_capacity(rendered.len() + data.len());
    let mut errors = BTreeSet::new();
    for (r, _, _) in rendered {
        match r {
            Ok(f) => files.push(f),
            Err(d) => {
                errors.insert(d);
            }
        }
    }
    // The views are millions of small allocations at 10,000 records: freeing them is left
    // to another thread instead of adding to the build's time.
    drop_later(shared);
    if !errors.is_empty() {
        return Err(errors.into_iter().collect());
    }
    files.extend(data);
    if sink.is_some() {
        files.clear();
    }
    Ok(Output {
        files,
        static_dirs: static_dirs(root, config),
        views_time,
    })
}
