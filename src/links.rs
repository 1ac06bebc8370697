//! The links between sources: markdown links to other files (and their anchors) must
//! resolve, and articles and records are related in both directions.

use std::collections::HashMap;

use foldhash::HashSet;
use std::path::{Path, PathBuf};

use crate::content::{Content, LinkRef};
use crate::diagnostics::{Diagnostic, display_path};

/// The section ids every certification page has, so markdown may link to
/// `cccm.yaml#facts`. Themes must keep them.
pub const RECORD_ANCHORS: [&str; 6] = [
    "overview",
    "facts",
    "pros-cons",
    "renewal",
    "articles",
    "extra",
];

/// Relations between records and articles, by index into [`Content`]'s vectors.
#[derive(Debug, Default, Clone)]
pub struct Links {
    /// For each record, the articles related to it (newest first).
    pub record_articles: Vec<Vec<usize>>,
    /// For each article, the records related to it (in front-matter order).
    pub article_records: Vec<Vec<usize>>,
    /// For each page, the records it names.
    pub page_records: Vec<Vec<usize>>,
    /// For each article, the records whose facts it quotes (its page shows their values:
    /// `serve` renders it again when one changes).
    pub article_quotes: Vec<Vec<usize>>,
    /// For each page, likewise.
    pub page_quotes: Vec<Vec<usize>>,
}

/// Relates articles and records, and checks every markdown link to a source file.
pub fn resolve(content: &Content) -> (Links, Vec<Diagnostic>) {
    let mut diags = Vec::new();

    // Anchors of every loaded source, by path (a document's headings are looked through
    // only when a link names one of them: most sources are never linked to).
    let mut anchors: Anchors = HashMap::with_capacity_and_hasher(
        content.records.len() + content.articles.len() + content.pages.len(),
        Default::default(),
    );
    for r in &content.records {
        // The list of sources is on the page only when the record has some.
        anchors.insert(&r.path, Targets::Record(!r.sources.is_empty()));
    }
    for d in content.articles.iter().chain(&content.pages) {
        anchors.insert(&d.path, Targets::Headings(&d.headings));
    }
    let drafts: HashSet<&PathBuf> = content.skipped_drafts.iter().collect();
    // Files that failed to parse have their own error; links to them are not checked.
    let unparsed: HashSet<&Path> = content.unparsed.iter().map(PathBuf::as_path).collect();

    let all_links = content.records.iter().map(|r| (&r.path, &r.links)).chain(
        content
            .articles
            .iter()
            .chain(&content.pages)
            .map(|d| (&d.path, &d.links)),
    );
    for (from, links) in all_links {
        for link in links {
            if unparsed.contains(link.target.as_path()) || content.unreadable(&link.target) {
                continue;
            }
            if let Some(msg) = check_link(link, &anchors, &drafts) {
                diags.push(Diagnostic::at(from, link.pos, msg));
            }
        }
    }

    let record_index: foldhash::HashMap<&str, usize> = content
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    // Quoting a record's facts relates a document to it, as naming it does.
    let quoted = |doc: &crate::content::Document| -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for id in doc.quotes.iter().flat_map(|q| q.ids()) {
            if let Some(&i) = record_index.get(id.value.as_str())
                && !out.contains(&i)
            {
                out.push(i);
            }
        }
        out
    };
    let related = |doc: &crate::content::Document| -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for (id, _) in &doc.certifications {
            if let Some(&i) = record_index.get(id.as_str())
                && !out.contains(&i)
            {
                out.push(i);
            }
        }
        for i in quoted(doc) {
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out
    };
    let article_quotes = content.articles.iter().map(quoted).collect();
    let page_quotes = content.pages.iter().map(quoted).collect();
    let article_records: Vec<Vec<usize>> = content.articles.iter().map(related).collect();
    let page_records = content.pages.iter().map(related).collect();
    let mut record_articles = vec![Vec::new(); content.records.len()];
    for (a, recs) in article_records.iter().enumerate() {
        for &r in recs {
            record_articles[r].push(a);
        }
    }
    for list in &mut record_articles {
        list.sort_by(|&a, &b| {
            let (a, b) = (&content.articles[a], &content.articles[b]);
            b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug))
        });
    }
    (
        Links {
            record_articles,
            article_records,
            page_records,
            article_quotes,
            page_quotes,
        },
        diags,
    )
}

/// What a link into a source may name after `#`.
enum Targets<'a> {
    /// A record's page: its fixed sections, and `#sources` when it lists sources.
    Record(bool),
    Headings(&'a [crate::markdown::Heading]),
}

impl Targets<'_> {
    fn ids(&self) -> Vec<&str> {
        match self {
            Targets::Record(sources) => {
                let mut ids = RECORD_ANCHORS.to_vec();
                if *sources {
                    ids.push("sources");
                }
                ids
            }
            Targets::Headings(h) => h.iter().map(|h| h.id.as_str()).collect(),
        }
    }
}

type Anchors<'a> = HashMap<&'a Path, Targets<'a>, foldhash::fast::RandomState>;

fn check_link(link: &LinkRef, anchors: &Anchors, drafts: &HashSet<&PathBuf>) -> Option<String> {
    let Some(targets) = anchors.get(link.target.as_path()) else {
        return Some(if drafts.contains(&link.target) {
            format!(
                "link `{}` points at a draft ({}); build with --drafts, or remove the link",
                link.dest,
                display_path(&link.target)
            )
        } else {
            format!(
                "broken link `{}`: there is no file {}",
                link.dest,
                display_path(&link.target)
            )
        });
    };
    let anchor = link.anchor.as_deref().filter(|a| !a.is_empty())?;
    let mut known = targets.ids();
    if known.contains(&anchor) {
        return None;
    }
    known.sort_unstable();
    known.dedup();
    let hint = crate::yaml::did_you_mean(anchor, &known);
    Some(if known.is_empty() {
        format!(
            "broken link `{}`: {} has no headings to link to",
            link.dest,
            display_path(&link.target)
        )
    } else {
        format!(
            "broken link `{}`: {} has no anchor `#{anchor}`{hint}",
            link.dest,
            display_path(&link.target)
        )
    })
}
