//! Rendering: every page of the site through the theme's Tera templates, plus the data
//! files (`data/certifications.json`, `.csv`), `sitemap.xml`, `atom.xml` and the search
//! index. One entry point, [`render`], hands each file to a [`Sink`] as it is made; the
//! sink decides where it goes (a folder, memory, `serve`'s cache). Where each file lives is
//! [`crate::routes`]'s.

mod chart;
mod data;
mod pieces;
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

use templates::Canonical;

use crate::config::Config;
use crate::content::Content;
use crate::content::{Date, PathMap, path_key};
use crate::diagnostics::Diagnostic;
use crate::links::Links;
use crate::routes::{DataFile, Route};

pub use pieces::Pieces;
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
    /// Time spent in the templates (Tera running them, with the variables made), summed
    /// over the threads that render.
    pub templates_time: std::time::Duration,
}

/// Stands for a record's id in `record_data_url`, the URL of one record's data file.
const RECORD_ID: &str = "{id}";

/// How many articles the home page lists.
const HOME_ARTICLES: usize = 5;
/// Rows of the home table in its HTML, in the table's first order. The filter script
/// draws the others from `data/table.json`; the plain list (`Route::AllRecords`) links
/// every record for readers without JavaScript.
pub const HOME_ROWS: usize = 500;

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

/// A print of prints (and other plain values): hashed directly, without the JSON form
/// [`fingerprint`] hashes, since it runs for every page on every `serve` rebuild.
fn combine<T: std::hash::Hash + ?Sized>(parts: &T) -> u64 {
    std::hash::BuildHasher::hash_one(&foldhash::fast::FixedState::with_seed(0x636f_6d62), parts)
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
/// is copied into its variable; a list page's entries are many values; `serve` reuses most
/// pages and never needs them).
enum Vars<'a> {
    Ready(Vec<(&'static str, Value)>),
    /// Variables made now, the names of those made only if needed (each with a known
    /// print), and how to make them (in the order of their names).
    Later(
        Vec<(&'static str, Value)>,
        Vec<&'static str>,
        Box<dyn FnOnce() -> Vec<Value> + Send + 'a>,
    ),
}

impl<'a> Vars<'a> {
    /// One variable made only if the page is rendered.
    fn later(name: &'static str, make: impl FnOnce() -> Value + Send + 'a) -> Vars<'a> {
        Vars::Later(Vec::new(), vec![name], Box::new(move || vec![make()]))
    }

    /// Each variable's fingerprint: the known one, or the value's own (made if needed).
    /// The same page gives the same list whether its variables were made or not.
    fn prints(&mut self, known: &[(&'static str, u64)]) -> Vec<(&'static str, u64)> {
        let find = |k: &str| known.iter().find(|(name, _)| *name == k).map(|(_, p)| *p);
        if let Vars::Later(ready, names, _) = self
            && let Some(later) = names
                .iter()
                .map(|k| Some((*k, find(k)?)))
                .collect::<Option<Vec<_>>>()
        {
            let mut prints: Vec<(&'static str, u64)> = ready
                .iter()
                .map(|(k, v)| (*k, find(k).unwrap_or_else(|| fingerprint(&[&Canonical(v)]))))
                .collect();
            prints.extend(later);
            return prints;
        }
        self.make();
        match self {
            Vars::Ready(vars) => vars
                .iter()
                .map(|(k, v)| (*k, find(k).unwrap_or_else(|| fingerprint(&[&Canonical(v)]))))
                .collect(),
            Vars::Later(..) => Vec::new(),
        }
    }

    fn make(&mut self) {
        if let Vars::Later(..) = self
            && let Vars::Later(mut ready, names, make) =
                std::mem::replace(self, Vars::Ready(Vec::new()))
        {
            ready.extend(names.into_iter().zip(make()));
            *self = Vars::Ready(ready);
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

    /// Takes the file at `path` a part at a time, as `parts` writes it, when the sink
    /// writes files out as they come: a large data file is then never held whole. `None`
    /// when the sink keeps files whole: the file is then made whole and given to
    /// [`Sink::file`]. Otherwise as `file`: false when the sink cannot take more.
    fn file_in_parts(
        &self,
        _path: &str,
        _parts: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Option<bool> {
        None
    }

    /// Whether the sink keeps pages by fingerprint: only then are fingerprints computed.
    fn keeps_pages(&self) -> bool {
        false
    }

    /// For each `(path, fingerprint)`: takes the file at `path` as made by an earlier
    /// render from inputs with this fingerprint, when the sink kept it; then it need not be
    /// made (true). Asked once for many files, so a sink that locks, locks once.
    fn reuse(&self, files: &[(&str, u64)]) -> Vec<bool> {
        vec![false; files.len()]
    }

    /// Notes the fingerprint of the inputs of the file about to be taken at `path`, for
    /// [`Sink::reuse`] next time.
    fn remember(&self, _path: &str, _print: u64) {}

    /// The shared values of the last render, when the sink keeps them across renders
    /// (with [`Sink::keeps_pages`]): each is made again only when what it is made from
    /// changed.
    fn views(&self) -> Option<&std::sync::Mutex<ViewCache>> {
        None
    }

    /// The pieces of the data files made of one piece per source (see [`Pieces`]), when
    /// the sink keeps them across renders.
    fn pieces(&self) -> Option<&std::sync::Mutex<Pieces>> {
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
    /// The URL of each item of `site.nav`, for each page's `nav_current`.
    nav_urls: Vec<String>,
    /// Records as the data files publish them, in content order.
    record_data: Vec<Arc<views::RecordData>>,
    /// Records in the home table's order (by acronym), and articles newest first.
    home_order: Vec<usize>,
    article_order: Vec<usize>,
    columns: Vec<views::ColumnView>,
    summaries: Vec<Arc<views::ArticleSummary>>,
    summary_values: Vec<Value>,
    page_values: Vec<Value>,
    /// Each record's `cert` variable kept under `serve` from the last render. The others
    /// are made by the pages that use them (the record's page, the home page) and dropped
    /// with them: at 10,000 records all of them were 120 MB held through the render.
    certs: Vec<Option<Value>>,
    /// The `cert` values made for this render, to keep for the next, when the sink keeps
    /// views (see [`Sink::views`]).
    made_certs: Option<std::sync::Mutex<Vec<(usize, Value)>>>,
    /// Each record's entry of the home table's index, made from its `cert` value as its
    /// page renders (see [`Shared::table_entry`]).
    table_entries: Vec<std::sync::OnceLock<Vec<u8>>>,
    /// The related articles of each record, for its `cert` value.
    record_articles: Vec<Vec<usize>>,
    /// When the sink keeps pages: what each value is made from, as fingerprints.
    prints: Option<Prints>,
    chart: Value,
    facets: Value,
    /// Records by id, for the facts articles and pages quote (empty when none do).
    quoted: quote::ById,
    /// Every tag with its articles, newest first.
    tags: Vec<crate::content::taxonomy::Tag>,
    /// Every category that has articles, with its articles, newest first.
    categories: Vec<(crate::content::Category, Vec<usize>)>,
    /// The theme's words in the site's language.
    strings: Arc<crate::i18n::Strings>,
    /// The date the records' views were made on (whether each is stale).
    today: Date,
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
    /// Each article's and page's file with `global`: what its search entry is made from.
    article_files: Vec<u64>,
    page_files: Vec<u64>,
    /// Each record's `cert` value: its data and its related articles' summaries.
    certs: Vec<u64>,
    /// Each article's summary (hashed as made: small, and without the body, so that a
    /// body edit leaves the pages that list the article alone).
    summaries: Vec<u64>,
    /// Each article's own variable: its summary, its file (body, headings) and `global`.
    articles: Vec<u64>,
    /// Each page's variable, likewise.
    pages: Vec<u64>,
    /// The records' prints in the home table's order, as one (many values are made of
    /// every record: the home page's, the data files', the plain list's).
    records_home: u64,
}

/// Shared values kept from one render to the next by a sink that keeps pages (see
/// [`Sink::views`]), each with the print it was made from.
#[derive(Default)]
pub struct ViewCache {
    records: PathMap<(u64, Arc<views::RecordData>)>,
    certs: PathMap<(u64, Value)>,
    /// An article's summary by the print of what it is made from, with its own print.
    summaries: PathMap<(u64, u64, Arc<views::ArticleSummary>, Value)>,
    /// The home page's chart and facets, by the print of the records.
    home: Option<(u64, Value, Value)>,
}

impl ViewCache {
    /// Keeps what this render made: only the entries whose print changed are written, and
    /// entries of sources that are gone are dropped, so an edit costs a few lookups here.
    fn update(
        &mut self,
        content: &Content,
        p: &Prints,
        record_data: &[Arc<views::RecordData>],
        summary_prints: &[Option<(u64, u64)>],
        summary: impl Fn(usize) -> (Arc<views::ArticleSummary>, Value),
    ) {
        fn stale<V>(map: &PathMap<(u64, V)>, key: &str, print: u64) -> bool {
            map.get(key).is_none_or(|(q, _)| *q != print)
        }
        for (i, r) in content.records.iter().enumerate() {
            let key = r.path.to_string_lossy();
            if stale(&self.records, &key, p.records[i]) {
                let data = (p.records[i], record_data[i].clone());
                self.records.insert(path_key(&r.path), data);
            }
        }
        for (i, a) in content.articles.iter().enumerate() {
            let Some((source, out)) = summary_prints[i] else {
                continue;
            };
            let key = a.path.to_string_lossy();
            if self
                .summaries
                .get(key.as_ref())
                .is_none_or(|e| e.0 != source)
            {
                let (s, v) = summary(i);
                self.summaries
                    .insert(path_key(&a.path), (source, out, s, v));
            }
        }
        // Sources removed or renamed: keep only the current ones (the records' `cert`
        // values are kept after the render that makes them, by `keep_certs`).
        if self.records.len() > content.records.len()
            || self.summaries.len() > content.articles.len()
        {
            let records: std::collections::HashSet<_> =
                content.records.iter().map(|r| path_key(&r.path)).collect();
            let articles: std::collections::HashSet<_> =
                content.articles.iter().map(|a| path_key(&a.path)).collect();
            self.records.retain(|k, _| records.contains(k));
            self.certs.retain(|k, _| records.contains(k));
            self.summaries.retain(|k, _| articles.contains(k));
        }
    }

    /// Keeps the `cert` values a render made (by record index), with their prints.
    fn keep_certs(&mut self, content: &Content, p: &Prints, made: Vec<(usize, Value)>) {
        for (i, value) in made {
            let r = &content.records[i];
            self.certs.insert(path_key(&r.path), (p.certs[i], value));
        }
    }
}

/// An article's summary and its template value, with (when the sink keeps pages) the print
/// of what it is made from and its own print.
type MadeSummary = (Option<(u64, u64)>, Arc<views::ArticleSummary>, Value);

impl Prints {
    /// The prints of the sources alone; the rest is filled in by [`Prints::complete`].
    fn of_sources(
        config: &Config,
        content: &Content,
        today: Date,
        strings: &crate::i18n::Strings,
    ) -> Prints {
        let global = fingerprint(&[
            &format!("{config:?}"),
            &today.to_string(),
            &format!("{strings:?}"),
        ]);
        let of = |p: &Path| {
            let text = content
                .hashes
                .get(p.to_string_lossy().as_ref())
                .copied()
                .unwrap_or(0);
            combine(&(global, text))
        };
        let docs = |docs: &[crate::content::Document]| docs.iter().map(|d| of(&d.path)).collect();
        Prints {
            global,
            records: content.records.iter().map(|r| of(&r.path)).collect(),
            article_files: docs(&content.articles),
            page_files: docs(&content.pages),
            certs: Vec::new(),
            summaries: Vec::new(),
            articles: Vec::new(),
            pages: Vec::new(),
            records_home: 0,
        }
    }

    /// The prints `of` each item in `order`, as one.
    fn in_order(&self, of: &[u64], order: &[usize]) -> u64 {
        combine(&order.iter().map(|&i| of[i]).collect::<Vec<_>>())
    }

    /// What an article's summary is made from: its file and the records it relates to.
    fn summary_source(&self, article: usize, related: &[usize]) -> u64 {
        let related: Vec<u64> = related.iter().map(|&r| self.records[r]).collect();
        combine(&(self.article_files[article], related))
    }

    /// Completes the prints with each article's and page's summary print (as made).
    fn complete(&mut self, links: &Links, summaries: Vec<u64>, page_summaries: &[u64]) {
        self.certs = self
            .records
            .iter()
            .zip(&links.record_articles)
            .map(|(r, articles)| {
                let related: Vec<u64> = articles.iter().map(|&a| summaries[a]).collect();
                combine(&(r, related))
            })
            .collect();
        // A document's page shows the facts it quotes: the quoted records' prints are part
        // of its own, so editing a record renders every page that quotes it again.
        let records = &self.records;
        let own = |files: &[u64], prints: &[u64], quotes: &[Vec<usize>]| -> Vec<u64> {
            files
                .iter()
                .zip(prints)
                .enumerate()
                .map(|(i, (f, s))| {
                    let quoted: Vec<u64> = quotes
                        .get(i)
                        .into_iter()
                        .flatten()
                        .filter_map(|&r| records.get(r).copied())
                        .collect();
                    combine(&(s, f, quoted))
                })
                .collect()
        };
        self.articles = own(&self.article_files, &summaries, &links.article_quotes);
        self.pages = own(&self.page_files, page_summaries, &links.page_quotes);
        self.summaries = summaries;
    }
}

/// What the last render made for the source at `path` and kept in `map`, when what it is
/// made from still has the print `print`.
fn kept<V: Clone>(map: Option<&PathMap<(u64, V)>>, path: &Path, print: Option<u64>) -> Option<V> {
    map?.get(path.to_string_lossy().as_ref())
        .filter(|(p, _)| Some(*p) == print)
        .map(|(_, v)| v.clone())
}

/// A record's `cert` variable: its data, what templates add to it (rendered markdown,
/// table cells, citation markers) and its related `articles`' summaries.
fn cert_value(
    config: &Config,
    strings: &crate::i18n::Strings,
    columns: &[views::ColumnView],
    r: &crate::content::Record,
    data: &views::RecordData,
    articles: &[usize],
    summary_values: &[Value],
) -> Value {
    let extras = views::CertExtras {
        summary_text: &r.summary_text,
        summary_html: r.summary_html.as_deref(),
        edit_url: views::edit_url(config, &r.path),
        pros_html: &r.pros_html,
        cons_html: &r.cons_html,
        extra_items: views::extra_items(&r.extra),
        cells: views::cells(r, columns, config, strings),
        compared: views::compared(r),
        cites: views::cite_map(r),
        renewals_due: views::renewals_due(r, &config.money),
        per_hour: views::per_hour(r, &config.money),
    };
    let articles: Vec<Value> = articles
        .iter()
        .map(|&a| summary_values[a].clone())
        .collect();
    let cert = Value::from_serializable(&views::Joined {
        first: data,
        second: &extras,
        more: &[
            ("articles", Value::from(articles)),
            ("labels", views::value_labels(r, &config.labels, strings)),
        ],
        capacity: CERT_FIELDS,
    });
    debug_assert!(cert.as_map().is_some_and(|m| m.len() <= CERT_FIELDS));
    cert
}

/// The most fields a record's `cert` variable has (its data's, the extras',
/// `articles` and `labels`): room made for them at once.
const CERT_FIELDS: usize = 42;

impl Shared {
    /// Record `i`'s `cert` variable: kept, or made now (and noted for the sink to keep).
    fn cert(&self, config: &Config, content: &Content, i: usize) -> Value {
        if let Some(v) = &self.certs[i] {
            return v.clone();
        }
        let v = cert_value(
            config,
            &self.strings,
            &self.columns,
            &content.records[i],
            &self.record_data[i],
            &self.record_articles[i],
            &self.summary_values,
        );
        if let Some(made) = &self.made_certs {
            lock(made).push((i, v.clone()));
        }
        v
    }

    /// Record `i`'s entry of the home table's index: made as its page rendered, or now.
    fn table_entry(&self, config: &Config, content: &Content, i: usize) -> Vec<u8> {
        match self.table_entries[i].get() {
            Some(entry) => entry.clone(),
            None => data::table_entry(&self.cert(config, content, i), config),
        }
    }

    fn new(
        config: &Config,
        content: &Content,
        links: &Links,
        keeps_pages: bool,
        cache: Option<&std::sync::Mutex<ViewCache>>,
        strings: &Arc<crate::i18n::Strings>,
    ) -> Shared {
        let base = config.base_path.as_str();
        let today = crate::content::Date::today();
        let record_context = views::RecordContext::of_site(config, strings, today);
        let summary =
            |d, related| views::document_summary(d, &content.records, related, base, strings);
        let mut prints = keeps_pages.then(|| Prints::of_sources(config, content, today, strings));
        // What the last render made, when the sink keeps it; brought up to date below.
        let mut kept_views = cache.map(lock);
        let old: Option<&ViewCache> = kept_views.as_deref();
        let mut home_order: Vec<usize> = (0..content.records.len()).collect();
        home_order.sort_by_cached_key(|&i| {
            let r = &content.records[i];
            (r.acronym.to_lowercase(), &r.id)
        });
        // The home page's chart and facets are made beside the records' values, or kept
        // when no record changed.
        if let Some(p) = &mut prints {
            p.records_home = p.in_order(&p.records, &home_order);
        }
        let home_print = prints.as_ref().map(|p| p.records_home);
        let home_extras = || {
            if let (Some(print), Some((p, chart, facets))) =
                (home_print, old.as_ref().and_then(|o| o.home.as_ref()))
                && print == *p
            {
                return (chart.clone(), facets.clone());
            }
            // Each goes over every record: on two threads.
            rayon::join(
                || {
                    Value::from(chart::svg(
                        &content.records,
                        &home_order,
                        base,
                        &config.money,
                        &|level| match level {
                            "other" => strings.or("level.unknown", "Level unknown").into(),
                            _ => views::value_label(&config.labels, strings, "level", level),
                        },
                    ))
                },
                || Value::from_serializable(&views::facets(config, &content.records, strings)),
            )
        };
        // Each article's summary: kept when what it is made from did not change; made
        // again (and hashed, when the sink keeps pages) otherwise.
        let made = || -> Vec<MadeSummary> {
            content
                .articles
                .par_iter()
                .zip(&links.article_records)
                .enumerate()
                .map(|(i, (a, related))| {
                    let source = prints.as_ref().map(|p| p.summary_source(i, related));
                    if let (Some(source), Some(old)) = (source, &old)
                        && let Some((s, out, summary, value)) =
                            old.summaries.get(a.path.to_string_lossy().as_ref())
                        && *s == source
                    {
                        return (Some((source, *out)), summary.clone(), value.clone());
                    }
                    let summary = summary(a, related);
                    let value = Value::from_serializable(&summary);
                    let print = source.map(|s| (s, fingerprint(&[&summary])));
                    (print, Arc::new(summary), value)
                })
                .collect()
        };
        let columns = views::columns(config, strings);
        let record_data = || -> Vec<Arc<views::RecordData>> {
            content
                .records
                .par_iter()
                .enumerate()
                .map(|(i, r)| {
                    let print = prints.as_ref().map(|p| p.records[i]);
                    kept(old.map(|o| &o.records), &r.path, print)
                        .unwrap_or_else(|| Arc::new(views::record_data(r, record_context)))
                })
                .collect()
        };
        // The chart and the facets (each over every record, on one thread) beside the
        // articles' summaries and the records' values.
        let ((chart, facets), (made, record_data)) =
            rayon::join(home_extras, || rayon::join(made, record_data));
        let page_summaries: Vec<views::ArticleSummary> = content
            .pages
            .iter()
            .zip(&links.page_records)
            .map(|(p, related)| summary(p, related))
            .collect();
        if let Some(p) = &mut prints {
            let outs = made.iter().map(|(m, ..)| m.map_or(0, |(_, o)| o)).collect();
            let pages: Vec<u64> = page_summaries.iter().map(|s| fingerprint(&[s])).collect();
            p.complete(links, outs, &pages);
        }
        let mut summary_prints = Vec::with_capacity(made.len());
        let mut summaries = Vec::with_capacity(made.len());
        let mut summary_values = Vec::with_capacity(made.len());
        for (print, summary, value) in made {
            summary_prints.push(print);
            summaries.push(summary);
            summary_values.push(value);
        }
        let page_values = page_summaries
            .iter()
            .map(Value::from_serializable)
            .collect();
        // Under `serve`, every record's value whose print did not change is kept; the
        // others are made by the pages that use them.
        let made_certs =
            (kept_views.is_some() && prints.is_some()).then(|| std::sync::Mutex::new(Vec::new()));
        let kept_certs = || -> Vec<Option<Value>> {
            content
                .records
                .par_iter()
                .enumerate()
                .map(|(i, r)| {
                    let print = prints.as_ref().map(|p| p.certs[i]);
                    kept(old.map(|o| &o.certs), &r.path, print)
                })
                .collect()
        };
        // The lists of articles, the site's variable and the quoted facts, beside the kept
        // records' values.
        let lists = || {
            let article_order = views::newest_first(&content.articles);
            let tags = crate::content::taxonomy::tags(&content.articles, &article_order);
            let categories =
                crate::content::taxonomy::categories(&content.articles, &article_order);
            (article_order, tags, categories)
        };
        let site_and_quoted = || {
            let view = views::site(config, content, strings);
            let nav_urls = view.nav.iter().map(|item| item.url.clone()).collect();
            let site = Value::from_serializable(&view);
            ((site, nav_urls), quote::index(content))
        };
        let (certs, ((article_order, tags, categories), ((site, nav_urls), quoted))) =
            rayon::join(kept_certs, || rayon::join(lists, site_and_quoted));
        if let (Some(next), Some(p)) = (kept_views.as_deref_mut(), &prints) {
            next.update(content, p, &record_data, &summary_prints, |i| {
                (summaries[i].clone(), summary_values[i].clone())
            });
            next.home = home_print.map(|h| (h, chart.clone(), facets.clone()));
        }
        drop(kept_views);
        Shared {
            site,
            nav_urls,
            record_data,
            home_order,
            tags,
            categories,
            article_order,
            strings: strings.clone(),
            columns,
            summaries,
            summary_values,
            page_values,
            table_entries: (0..certs.len()).map(|_| Default::default()).collect(),
            certs,
            made_certs,
            record_articles: links.record_articles.clone(),
            prints,
            chart,
            facets,
            quoted,
            today,
        }
    }

    /// The pages of the lists of articles, each `articles_per_page` long: the articles
    /// list, the tags page, each tag's and each category's pages.
    fn list_jobs<'a>(&'a self, config: &'a Config, jobs: &mut Vec<Job<'a>>) {
        let base = config.base_path.as_str();
        let strings = &*self.strings;
        let per_page = config.articles_per_page;
        // One list: every page of it, the articles of each in `members` (newest first).
        let list = |jobs: &mut Vec<Job<'a>>,
                    template: &'static str,
                    kind: &'static str,
                    members: &'a [usize],
                    route: &dyn Fn(usize) -> Route<'a>,
                    extra: &[(&'static str, Value)]| {
            let total = crate::routes::pages_of(members.len(), per_page);
            let urls: Arc<Vec<String>> =
                Arc::new((1..=total).map(|k| route(k).url(base)).collect());
            for n in 1..=total {
                let urls_of = urls.clone();
                let chunk = &members
                    [((n - 1) * per_page).min(members.len())..(n * per_page).min(members.len())];
                // Made only if the page is rendered: their prints are known (the
                // paginator's links follow from the page's URL and these numbers).
                let make = move || {
                    let summaries: Vec<(&views::ArticleSummary, Value)> = chunk
                        .iter()
                        .map(|&i| (&*self.summaries[i], self.summary_values[i].clone()))
                        .collect();
                    let paginator =
                        views::paginator(n, total, members.len(), &|k| urls_of[k - 1].clone());
                    let articles = summaries.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>();
                    vec![
                        Value::from(articles),
                        views::categories(&summaries, base, strings),
                        Value::from_serializable(&paginator),
                    ]
                };
                let names = vec!["articles", "categories", "paginator"];
                let known = self
                    .prints
                    .as_ref()
                    .map(|p| {
                        let of: Vec<u64> = chunk.iter().map(|&i| p.summaries[i]).collect();
                        let of = combine(&of);
                        let pages = combine(&(n, total, members.len()));
                        vec![("articles", of), ("categories", of), ("paginator", pages)]
                    })
                    .unwrap_or_default();
                jobs.push(Job {
                    template,
                    path: route(n).path(),
                    url: urls[n - 1].clone(),
                    kind,
                    source: None,
                    known,
                    vars: Vars::Later(extra.to_vec(), names, Box::new(make)),
                });
            }
        };
        list(
            jobs,
            "articles.html",
            "articles",
            &self.article_order,
            &|n| crate::routes::articles_page(n),
            &[],
        );
        let entries: Vec<views::TagEntry> = self
            .tags
            .iter()
            .map(|t| views::TagEntry {
                name: t.name.clone(),
                slug: t.slug.clone(),
                url: Route::Tag(&t.slug, 1).url(base),
                count: t.articles.len(),
            })
            .collect();
        jobs.push(Job {
            template: "tags.html",
            path: Route::Tags.path(),
            url: Route::Tags.url(base),
            kind: "tags",
            source: None,
            known: Vec::new(),
            vars: Vars::Ready(vec![("tags", Value::from_serializable(&entries))]),
        });
        for t in &self.tags {
            let taxonomy = Value::from(views::map_of([
                ("kind", Value::from("tag")),
                ("name", Value::from(t.slug.as_str())),
                ("label", Value::from(t.name.as_str())),
                ("url", Value::from(Route::Tag(&t.slug, 1).url(base))),
            ]));
            list(
                jobs,
                "taxonomy.html",
                "tag",
                &t.articles,
                &|n| Route::Tag(&t.slug, n),
                &[("taxonomy", taxonomy)],
            );
        }
        for (c, members) in &self.categories {
            let name = c.name();
            let taxonomy = Value::from(views::map_of([
                ("kind", Value::from("category")),
                ("name", Value::from(name)),
                ("label", Value::from(views::category_label(*c, strings))),
                ("url", Value::from(Route::Category(name, 1).url(base))),
            ]));
            list(
                jobs,
                "taxonomy.html",
                "category",
                members,
                &|n| Route::Category(name, n),
                &[("taxonomy", taxonomy)],
            );
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
                // Made as the page renders, with its entry of the table's index.
                vars: Vars::later("cert", move || {
                    let cert = self.cert(config, content, i);
                    let _ = self.table_entries[i].set(data::table_entry(&cert, config));
                    cert
                }),
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
                .map(|p| {
                    vec![
                        ("compare_fields", p.global),
                        ("table_url", p.global),
                        ("data_url", p.global),
                        ("record_data_url", p.global),
                    ]
                })
                .unwrap_or_default(),
            vars: Vars::Ready(vec![
                (
                    "compare_fields",
                    Value::from_serializable(&views::compare_fields(&config.money, &self.strings)),
                ),
                (
                    "table_url",
                    Value::from(Route::Data(DataFile::TableIndex).url(base)),
                ),
                (
                    "data_url",
                    Value::from(Route::Data(DataFile::CertificationsJson).url(base)),
                ),
                (
                    "record_data_url",
                    Value::from(Route::RecordData(RECORD_ID).url(base)),
                ),
            ]),
        });
        // The plain list of every record: its acronym, name and provider, linked.
        jobs.push(Job {
            template: "certifications.html",
            path: Route::AllRecords.path(),
            url: Route::AllRecords.url(base),
            kind: "certifications",
            source: None,
            known: self
                .prints
                .as_ref()
                .map(|p| vec![("certifications", p.records_home)])
                .unwrap_or_default(),
            vars: Vars::later("certifications", move || {
                Value::from(
                    self.home_order
                        .iter()
                        .map(|&i| {
                            let r = &self.record_data[i];
                            Value::from_serializable(&views::ListEntry {
                                url: &r.url,
                                acronym: &r.acronym,
                                name: &r.name,
                                provider: r.provider.as_ref().map(|p| p.name.as_str()),
                            })
                        })
                        .collect::<Vec<_>>(),
                )
            }),
        });
        self.list_jobs(config, &mut jobs);
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
                vars: Vars::later(var, make),
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
        // The home page last: its rows' values are then not held beside the data files'
        // joins, which start with the render.
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
                    let records = p.records_home;
                    let latest: Vec<u64> = self
                        .article_order
                        .iter()
                        .take(HOME_ARTICLES)
                        .map(|&i| p.summaries[i])
                        .collect();
                    vec![
                        ("certifications", p.in_order(&p.certs, &self.home_order)),
                        ("certification_count", records),
                        ("columns", p.global),
                        ("chart", records),
                        ("facets", records),
                        ("articles", combine(&latest)),
                    ]
                })
                .unwrap_or_default(),
            // The rows' values are made as the page renders, in parallel, and dropped with
            // it: made before the render, 500 of them were held beside the data files'
            // joins, the peak of a build of 1,000 records.
            vars: Vars::Later(
                vec![
                    ("certification_count", Value::from(self.home_order.len())),
                    (
                        "table_url",
                        Value::from(Route::Data(DataFile::TableIndex).url(base)),
                    ),
                    ("list_url", Value::from(Route::AllRecords.url(base))),
                    ("columns", Value::from_serializable(&self.columns)),
                    ("chart", self.chart.clone()),
                    ("facets", self.facets.clone()),
                    ("articles", summary_list(HOME_ARTICLES)),
                ],
                vec!["certifications"],
                Box::new(move || {
                    let rows = &self.home_order[..self.home_order.len().min(HOME_ROWS)];
                    let values = rows.par_iter().map(|&i| self.cert(config, content, i));
                    vec![Value::from(values.collect::<Vec<_>>())]
                }),
            ),
        });
        jobs
    }
}

/// Renders the whole site into `sink`: the static files, every page, the data files and
/// the search index. Every template problem is returned, each once.
pub fn render(site: &crate::Site, sink: &dyn Sink) -> Result<RenderReport, Vec<Diagnostic>> {
    let (config, content, templates) = (&site.config, &site.content, &*site.templates);
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
    let shared = Shared::new(
        config,
        content,
        &site.links,
        keeps,
        sink.views(),
        &templates.strings,
    );
    let site_print = keeps.then(|| fingerprint(&[&Canonical(&shared.site)]));
    let jobs = shared.jobs(config, content);
    let views_time = start.elapsed();
    let rendered = AtomicUsize::new(0);
    let templates_nanos = std::sync::atomic::AtomicU64::new(0);
    // Each page's print, then one question to the sink for all of them: the pages it kept
    // are not rendered.
    let mut jobs = jobs;
    let prints: Vec<Option<u64>> = jobs
        .par_iter_mut()
        .map(|job| {
            site_print.map(|s| {
                let vars = job.vars.prints(&job.known);
                combine(&(s, job.template, &job.url, job.kind, &vars))
            })
        })
        .collect();
    let kept = match site_print {
        Some(_) => {
            let asked: Vec<(&str, u64)> = jobs
                .iter()
                .zip(&prints)
                .filter_map(|(job, p)| Some((job.path.as_str(), (*p)?)))
                .collect();
            sink.reuse(&asked)
        }
        None => vec![false; jobs.len()],
    };
    let sizes = PageSizes::of(jobs.iter().map(|job| job.template));
    let render_job = |(job, print): (Job, Option<u64>)| -> Option<Diagnostic> {
        if stop.load(Ordering::Relaxed) {
            return None;
        }
        let source = job.source.or_else(|| templates.file_of(job.template));
        let mut ctx = Context::new();
        ctx.insert_value("site", shared.site.clone());
        let nav = views::nav_current(&shared.nav_urls, &config.base_path, &job.url, job.kind);
        ctx.insert_value("nav_current", nav);
        let permalink = crate::routes::absolute(&config.base_url, &config.base_path, &job.url);
        ctx.insert_value("page_permalink", Value::from(permalink));
        ctx.insert_value("page_url", Value::from(job.url));
        ctx.insert_value("page_kind", Value::from(job.kind));
        for (k, v) in job.vars.into_values() {
            ctx.insert_value(k, v);
        }
        let started = std::time::Instant::now();
        let mut html = Vec::with_capacity(sizes.guess(job.template));
        let result = templates.tera.render_to(job.template, &ctx, &mut html);
        templates_nanos.fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
        let bytes = match result {
            Ok(()) => {
                rendered.fetch_add(1, Ordering::Relaxed);
                sizes.saw(job.template, html.len());
                if keeps {
                    // Kept in memory until the next render: without the room left over.
                    html.shrink_to_fit();
                }
                Arc::new(html)
            }
            Err(e) => return Some(templates.error(&e, job.template)),
        };
        if let Some(p) = print {
            sink.remember(&job.path, p);
        }
        go_on(sink.file(OutputFile {
            path: job.path,
            bytes,
            source,
        }));
        None
    };
    // Kept pages come only with prints; the others are rendered.
    let mut kept = kept.into_iter();
    let todo: Vec<(Job, Option<u64>)> = jobs
        .into_iter()
        .zip(prints)
        .filter(|(_, p)| p.is_none() || !kept.next().unwrap_or(false))
        .collect();
    let pages = || -> Vec<Option<Diagnostic>> { todo.into_par_iter().map(render_job).collect() };
    let problems = data_files(config, content, &shared, sink, &go_on, pages);
    let mut shared = shared;
    if let (Some(cache), Some(p), Some(made)) =
        (sink.views(), &shared.prints, shared.made_certs.take())
    {
        let made = made.into_inner().unwrap_or_else(|e| e.into_inner());
        lock(cache).keep_certs(content, p, made);
    }
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
        templates_time: std::time::Duration::from_nanos(templates_nanos.into_inner()),
    })
}

/// How large each template's pages have come out, so that a page is rendered into a
/// buffer of about its size: into Tera's `String`, which starts from the template's own
/// size, it grew a few times and then had its UTF-8 checked (1 % of a build's
/// instructions). The bytes come from templates and values that are all `str`.
struct PageSizes<'a>(std::collections::HashMap<&'a str, AtomicUsize, foldhash::fast::RandomState>);

impl<'a> PageSizes<'a> {
    fn of(templates: impl Iterator<Item = &'a str>) -> Self {
        PageSizes(templates.map(|t| (t, AtomicUsize::new(0))).collect())
    }

    /// Room for a page of `template`: a little more than the largest one so far.
    fn guess(&self, template: &str) -> usize {
        let largest = self
            .0
            .get(template)
            .map_or(0, |s| s.load(Ordering::Relaxed));
        (largest + largest / 8).max(8 * 1024)
    }

    fn saw(&self, template: &str, len: usize) {
        if let Some(s) = self.0.get(template) {
            s.fetch_max(len, Ordering::Relaxed);
        }
    }
}

/// Makes the data files, the feeds and the search index into `sink` (`go_on` says whether
/// it takes more) while `pages` renders the pages. Most do not depend on the pages, so the
/// cores stay busy to the end; the home table's index is joined after them, from the
/// entries the record pages made. A sink that keeps files gets each whole file back when
/// nothing it is made from changed, and the files made of one piece per source (records'
/// JSON and CSV, the search index) joined from the pieces kept for the sources that did
/// not change.
fn data_files<R: Send>(
    config: &Config,
    content: &Content,
    shared: &Shared,
    sink: &dyn Sink,
    go_on: &(dyn Fn(bool) -> bool + Sync),
    pages: impl FnOnce() -> R + Send,
) -> R {
    let base = config.base_path.as_str();
    let prints = shared.prints.as_ref();
    let kept = sink.pieces();
    let emit = |files: Vec<OutputFile>, print: Option<u64>| {
        for f in files {
            if let Some(print) = print {
                sink.remember(&f.path, print);
            }
            if !go_on(sink.file(f)) {
                break;
            }
        }
    };
    // Files made whole: kept by the sink from an earlier render, or made.
    let whole = |paths: Vec<String>, print: Option<u64>, make: &dyn Fn() -> Vec<OutputFile>| {
        if let Some(print) = print {
            let asked: Vec<(&str, u64)> = paths.iter().map(|p| (p.as_str(), print)).collect();
            if sink.reuse(&asked).into_iter().all(|kept| kept) {
                return;
            }
        }
        emit(make(), print);
    };
    let order = &shared.home_order;
    let record_key = |&i: &usize| {
        Some((
            content.records[i].path.to_string_lossy(),
            prints?.records[i],
        ))
    };
    // A file made of pieces: given back whole when every piece's print is as before,
    // else joined from its pieces (kept or made); with nothing kept to compare with,
    // written out as it is made when the sink can.
    let pieced = |path: String,
                  print: Option<u64>,
                  spec: &dyn pieces::Join,
                  joints: &pieces::Joints,
                  file: &dyn Fn(Bytes) -> OutputFile| {
        if kept.is_none()
            && print.is_none()
            && let Some(ok) = sink.file_in_parts(&path, &mut |out| spec.write_to(joints, out))
        {
            go_on(ok);
            return;
        }
        whole(vec![path], print, &|| vec![file(spec.join(joints, kept))]);
    };
    let records_print = prints.map(|p| p.records_home);
    // `data/certifications.json` and one file per record (for pages that need a few
    // records: the compare page), from one serialisation of each record. Per-record files
    // of unchanged records are kept by the sink (asked once); the others are made while
    // the records' pieces are, or after, for the records whose piece was kept.
    let json = || {
        let routes: Vec<String> = content
            .records
            .iter()
            .map(|r| Route::RecordData(&r.id).path())
            .collect();
        let wanted: Vec<std::sync::atomic::AtomicBool> = match prints {
            Some(p) => {
                let asked: Vec<(&str, u64)> = order
                    .iter()
                    .map(|&i| (routes[i].as_str(), p.records[i]))
                    .collect();
                let mut wanted = vec![false; routes.len()];
                for (&i, kept) in order.iter().zip(sink.reuse(&asked)) {
                    wanted[i] = !kept;
                }
                wanted.into_iter().map(Into::into).collect()
            }
            None => (0..routes.len()).map(|_| true.into()).collect(),
        };
        let rc = views::RecordContext::of_site(config, &shared.strings, shared.today);
        let record_json = |i: usize| {
            let r = &content.records[i];
            data::record_json(&shared.record_data[i].published(r, rc))
        };
        let own_file = |i: usize, bytes: Bytes| {
            emit(
                vec![data::records_file_at(routes[i].clone(), bytes)],
                prints.map(|p| p.records[i]),
            );
        };
        let spec = pieces::Spec {
            file: "certifications.json",
            items: order,
            print: &record_key,
            make: &|&i| {
                let bytes = record_json(i);
                if wanted[i].swap(false, std::sync::atomic::Ordering::Relaxed) {
                    own_file(i, Arc::new(bytes.clone()));
                }
                bytes
            },
        };
        let route = DataFile::CertificationsJson;
        pieced(
            Route::Data(route).path(),
            records_print,
            &spec,
            &data::JSON,
            &|b| data::records_file(route, b),
        );
        order
            .par_iter()
            .filter(|&&i| wanted[i].load(std::sync::atomic::Ordering::Relaxed))
            .for_each(|&i| own_file(i, Arc::new(record_json(i))));
    };
    let csv = || {
        let spec = pieces::Spec {
            file: "certifications.csv",
            items: order,
            print: &record_key,
            make: &|&i| data::csv_row(&shared.record_data[i], &content.records[i]),
        };
        let route = DataFile::CertificationsCsv;
        let joints = data::csv_joints();
        pieced(
            Route::Data(route).path(),
            records_print,
            &spec,
            &joints,
            &|b| data::records_file(route, b),
        );
    };
    let search = || {
        let sources = search::sources(content, order, &shared.article_order);
        let print_of = |origin: &search::Origin, p: &Prints| match *origin {
            search::Origin::Record(i) => p.records[i],
            search::Origin::Article(i) => p.article_files[i],
            search::Origin::Page(i) => p.page_files[i],
        };
        let spec = pieces::Spec {
            file: "search.json",
            items: &sources,
            print: &|(source, origin)| {
                Some((source.path().to_string_lossy(), print_of(origin, prints?)))
            },
            make: &|(source, _)| source.entry_json(base),
        };
        let print = prints.map(|p| {
            let all: Vec<u64> = sources.iter().map(|(_, o)| print_of(o, p)).collect();
            combine(&all)
        });
        pieced(search::path(), print, &spec, &search::JOINTS, &search::file);
    };
    // The sitemap lists every page's URL and date: each record's URL and `verified`
    // date (not its print: a record's name is not in the sitemap), and the summaries.
    let sitemap = || {
        let print = prints.map(|p| {
            let records: Vec<(&str, Option<&str>)> = order
                .iter()
                .map(|&i| {
                    let r = &shared.record_data[i];
                    (r.url.as_str(), r.verified.as_deref())
                })
                .collect();
            combine(&(p.global, records, &p.summaries, &p.pages))
        });
        let published: Vec<&views::RecordData> =
            order.iter().map(|&i| &*shared.record_data[i]).collect();
        whole(vec![Route::Data(DataFile::Sitemap).path()], print, &|| {
            vec![data::sitemap_file(config, content, &published)]
        });
    };
    // The feed carries the newest articles whole.
    let atom = || {
        let newest = &shared.article_order[..shared.article_order.len().min(data::FEED_ENTRIES)];
        let print = prints.map(|p| combine(&(p.global, p.in_order(&p.articles, newest))));
        whole(vec![Route::Data(DataFile::Atom).path()], print, &|| {
            vec![data::atom_file(config, content, &shared.article_order)]
        });
    };
    // The home table's index: one entry per record, made from its template value (as
    // its page rendered, or now).
    let table = || {
        let spec = pieces::Spec {
            file: "table.json",
            items: order,
            print: &record_key,
            make: &|&i| shared.table_entry(config, content, i),
        };
        let route = DataFile::TableIndex;
        pieced(
            Route::Data(route).path(),
            records_print,
            &spec,
            &data::TABLE,
            &|b| data::records_file(route, b),
        );
    };
    let words = || {
        whole(
            vec![Route::Data(DataFile::ScriptWords).path()],
            prints.map(|p| p.global),
            &|| vec![data::words_file(&shared.strings)],
        );
    };
    let schemas = || {
        let paths = data::schema_files().into_iter().map(|f| f.path).collect();
        whole(paths, prints.map(|p| p.global), &data::schema_files);
    };
    // A redirect page at each alias: made from the alias, where it leads and the site.
    let aliases = || {
        for (place, target) in data::aliases(content, base) {
            let path = Route::Alias(&place).path();
            let print = prints.map(|p| combine(&(p.global, &place, &target)));
            whole(vec![path.clone()], print, &|| {
                vec![data::alias_file(config, &shared.strings, &path, &target)]
            });
        }
    };
    let others = || {
        rayon::join(
            || rayon::join(json, || rayon::join(csv, aliases)),
            || {
                rayon::join(
                    || rayon::join(search, sitemap),
                    || rayon::join(atom, || rayon::join(schemas, words)),
                )
            },
        )
    };
    let (rendered, _) = rayon::join(pages, others);
    table();
    rendered
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
