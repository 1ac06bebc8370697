//! Rendering: every page of the site through the theme's Tera templates, plus the data
//! files (`data/certifications.json`, `.csv`), `sitemap.xml` and `atom.xml`. The result is
//! an in-memory [`Output`]; nothing here touches the output folder.

mod data;
mod templates;
pub mod views;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tera::{Context, Value};

use crate::config::Config;
use crate::content::{Content, Kind};
use crate::diagnostics::Diagnostic;
use crate::links::Links;

pub use templates::{REQUIRED as REQUIRED_TEMPLATES, Templates, theme_dir};

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, with `/` separators.
    pub path: String,
    pub bytes: Vec<u8>,
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
}

/// How many articles the home page lists.
const HOME_ARTICLES: usize = 5;

/// A page to render: template, output path, URL, kind and its own variables.
struct Job {
    template: &'static str,
    path: String,
    url: String,
    kind: &'static str,
    vars: Vec<(&'static str, Value)>,
    /// The content file behind the page, if any.
    source: Option<PathBuf>,
}

/// Renders the whole site. Every template problem is returned, each once.
pub fn render(
    root: &Path,
    config: &Config,
    content: &Content,
    links: &Links,
    templates: &mut Templates,
) -> Result<Output, Vec<Diagnostic>> {
    let base = config.base_path.as_str();

    let site = views::site(config, content);
    templates
        .tera
        .global_context()
        .insert("site", &Value::from_serializable(&site));

    // Views built once and shared (tera values are reference-counted).
    let columns = views::columns(config);
    let record_data: Vec<views::RecordData> = content
        .records
        .par_iter()
        .map(|r| views::record_data(r, base))
        .collect();
    let article_order = views::newest_first(&content.articles);
    let summaries: Vec<views::ArticleSummary> = content
        .articles
        .par_iter()
        .enumerate()
        .map(|(i, a)| views::document_summary(a, &content.records, &links.article_records[i], base))
        .collect();
    let page_summaries: Vec<views::ArticleSummary> = content
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| views::document_summary(p, &content.records, &links.page_records[i], base))
        .collect();
    let cert_values: Vec<Value> = content
        .records
        .par_iter()
        .enumerate()
        .map(|(i, r)| {
            let view = views::CertView {
                data: &record_data[i],
                pros_html: &r.pros_html,
                cons_html: &r.cons_html,
                extra_items: views::extra_items(&r.extra),
                cells: views::cells(r, &columns),
                articles: links.record_articles[i]
                    .iter()
                    .map(|&a| summaries[a].clone())
                    .collect(),
            };
            Value::from_serializable(&view)
        })
        .collect();
    // The home table lists records by acronym.
    let mut home_order: Vec<usize> = (0..content.records.len()).collect();
    home_order.sort_by(|&a, &b| {
        let (a, b) = (&content.records[a], &content.records[b]);
        a.acronym
            .to_lowercase()
            .cmp(&b.acronym.to_lowercase())
            .then_with(|| a.id.cmp(&b.id))
    });
    let ordered_summaries: Vec<&views::ArticleSummary> =
        article_order.iter().map(|&i| &summaries[i]).collect();

    let mut jobs = Vec::with_capacity(content.records.len() + content.articles.len() + 8);
    jobs.push(Job {
        template: "index.html",
        path: "index.html".into(),
        url: base.to_string(),
        kind: "home",
        source: None,
        vars: vec![
            (
                "certifications",
                Value::from(
                    home_order
                        .iter()
                        .map(|&i| cert_values[i].clone())
                        .collect::<Vec<_>>(),
                ),
            ),
            ("columns", Value::from_serializable(&columns)),
            (
                "facets",
                Value::from_serializable(&views::facets(config, &content.records)),
            ),
            (
                "articles",
                Value::from_serializable(
                    &ordered_summaries
                        .iter()
                        .take(HOME_ARTICLES)
                        .collect::<Vec<_>>(),
                ),
            ),
        ],
    });
    for (i, r) in content.records.iter().enumerate() {
        jobs.push(Job {
            template: "certification.html",
            path: Kind::Record.output_path(&r.id),
            url: Kind::Record.url(base, &r.id),
            kind: "certification",
            source: Some(r.path.clone()),
            vars: vec![("cert", cert_values[i].clone())],
        });
    }
    jobs.push(Job {
        template: "compare.html",
        path: "compare/index.html".into(),
        url: format!("{base}compare/"),
        kind: "compare",
        source: None,
        vars: vec![
            (
                "compare_fields",
                Value::from_serializable(&views::compare_fields()),
            ),
            (
                "data_url",
                Value::from(format!("{base}data/certifications.json")),
            ),
        ],
    });
    jobs.push(Job {
        template: "articles.html",
        path: "articles/index.html".into(),
        url: format!("{base}articles/"),
        kind: "articles",
        source: None,
        vars: vec![
            ("articles", Value::from_serializable(&ordered_summaries)),
            (
                "categories",
                Value::from_serializable(&views::categories(
                    &article_order
                        .iter()
                        .map(|&i| summaries[i].clone())
                        .collect::<Vec<_>>(),
                )),
            ),
        ],
    });
    let documents = content
        .articles
        .iter()
        .zip(&summaries)
        .map(|(d, s)| ("article.html", "article", "article", d, s))
        .chain(
            content
                .pages
                .iter()
                .zip(&page_summaries)
                .map(|(d, s)| ("page.html", "page", "page", d, s)),
        );
    for (template, kind, var, doc, summary) in documents {
        let view = views::DocumentView {
            summary,
            content_html: &doc.html,
            toc: &doc.headings,
        };
        jobs.push(Job {
            template,
            path: doc.kind.output_path(&doc.slug),
            url: doc.kind.url(base, &doc.slug),
            kind,
            source: Some(doc.path.clone()),
            vars: vec![(var, Value::from_serializable(&view))],
        });
    }
    jobs.push(Job {
        template: "404.html",
        path: "404.html".into(),
        url: format!("{base}404.html"),
        kind: "404",
        source: None,
        vars: Vec::new(),
    });

    let rendered: Vec<Result<OutputFile, Diagnostic>> = jobs
        .into_par_iter()
        .map(|job| {
            let mut ctx = Context::new();
            ctx.insert_value("page_url", Value::from(job.url));
            ctx.insert_value("page_kind", Value::from(job.kind));
            for (k, v) in job.vars {
                ctx.insert_value(k, v);
            }
            match templates.tera.render(job.template, &ctx) {
                Ok(html) => Ok(OutputFile {
                    path: job.path,
                    bytes: html.into_bytes(),
                    source: job.source.or_else(|| templates.file_of(job.template)),
                }),
                Err(e) => Err(templates.error(&e, job.template)),
            }
        })
        .collect();

    let mut files = Vec::with_capacity(rendered.len() + 4);
    let mut errors = BTreeSet::new();
    for r in rendered {
        match r {
            Ok(f) => files.push(f),
            Err(d) => {
                errors.insert(d);
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors.into_iter().collect());
    }

    let published: Vec<&views::RecordData> = home_order.iter().map(|&i| &record_data[i]).collect();
    files.extend(data::files(config, content, &published, &article_order));

    let mut static_dirs = vec![theme_dir(config).join("static")];
    static_dirs.push(PathBuf::from("static"));
    static_dirs.retain(|d| root.join(d).is_dir());
    Ok(Output { files, static_dirs })
}
