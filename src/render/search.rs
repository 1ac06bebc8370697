//! The search index, `data/search.json`: one entry per published record, article and free
//! page, made at build time and searched in the browser by the theme's `search.js`, with no
//! server and no outside service.
//!
//! The file is fetched whole, so it is compact: entries are arrays, not objects.
//!
//! ```json
//! {"version": 1,
//!  "fields": ["kind", "title", "url", "summary", "words"],
//!  "entries": [["certification", "CCCM — Certified Call Center Manager",
//!               "/certifications/cccm/", "Runs a contact center…", "coaching forecasting …"]]}
//! ```
//!
//! - `kind`: `certification`, `article` or `page`; `url` is root-relative, with the base path.
//! - `summary`: a short plain-text snippet to show under the title (not searched): the
//!   summary, or for a record without one the values of the fields the table of record
//!   fields marks `search`, in its order (`content::RECORD_FIELDS`: provider, level,
//!   audience, skills).
//! - `words`: the lower-case words worth matching that are not already in the title, each
//!   once, sorted, separated by spaces; a word that starts another (`forecast` before
//!   `forecasting`) is left out, since a query word matches the start of a word.
//!
//! A query matches an entry when every query word starts a word of its title or `words`,
//! with case and accents ignored (the browser folds both sides the same way).

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::OutputFile;
use crate::content::{Content, Document, FieldValue, Kind, RECORD_FIELDS, Record, cut_text};
use crate::routes::Route;

pub fn path() -> String {
    Route::Data(crate::routes::DataFile::SearchIndex).path()
}

/// The longest snippet shown under a result, in characters.
const SUMMARY_CHARS: usize = 160;

/// The most words an article's or page's body adds to its entry (from its start, each word
/// counted once, besides those of the title, summary, tags and headings): about 1 KB of
/// real prose, so that the index of 10,000 articles stays a reasonable download.
const BODY_WORDS: usize = 120;

#[derive(Serialize)]
struct Index {
    version: u32,
    fields: [&'static str; 5],
    entries: Vec<Entry>,
}

/// kind, title, url, summary, words.
#[derive(Serialize, Debug, Clone)]
struct Entry(&'static str, String, String, String, String);

/// Entries made by an earlier run, by URL, with a fingerprint of what each was made from:
/// `serve` keeps one in its sink ([`super::Sink::search_cache`]), so a rebuild makes again only the entries of
/// the sources that changed.
#[derive(Debug, Default)]
pub struct Cache(HashMap<String, (u64, Entry)>);

/// The index of the published content: records in the home table's order, articles in
/// `article_order` (newest first), then pages in navigation order.
pub fn file(
    content: &Content,
    base_path: &str,
    home_order: &[usize],
    article_order: &[usize],
    cache: Option<&mut Cache>,
) -> OutputFile {
    let mut pages: Vec<&Document> = content.pages.iter().collect();
    pages.sort_by(|a, b| (a.weight, &a.title, &a.slug).cmp(&(b.weight, &b.title, &b.slug)));
    let sources: Vec<Source<'_>> = home_order
        .iter()
        .map(|&i| Source::Record(&content.records[i]))
        .chain(
            article_order
                .iter()
                .map(|&i| Source::Document(&content.articles[i])),
        )
        .chain(pages.into_iter().map(Source::Document))
        .collect();
    // Entries are independent: made in parallel (or reused), collected in order.
    let old = cache.as_deref().map(|c| &c.0);
    let made: Vec<(Entry, Option<u64>)> = sources
        .par_iter()
        .map(|s| {
            let Some(old) = old else {
                return (s.entry(base_path), None);
            };
            let print = s.fingerprint(base_path);
            match old.get(&s.url(base_path)) {
                Some((p, e)) if *p == print => (e.clone(), Some(print)),
                _ => (s.entry(base_path), Some(print)),
            }
        })
        .collect();
    if let Some(cache) = cache {
        cache.0 = made
            .iter()
            .filter_map(|(e, p)| Some((e.2.clone(), ((*p)?, e.clone()))))
            .collect();
    }
    let index = Index {
        version: 1,
        fields: ["kind", "title", "url", "summary", "words"],
        entries: made.into_iter().map(|(e, _)| e).collect(),
    };
    OutputFile {
        path: path(),
        // Serialising plain structs to a Vec cannot fail.
        bytes: serde_json::to_vec(&index).unwrap_or_default().into(),
        source: None,
    }
}

/// What an entry is made from.
enum Source<'a> {
    Record(&'a Record),
    Document(&'a Document),
}

impl Source<'_> {
    fn url(&self, base_path: &str) -> String {
        match self {
            Source::Record(r) => Route::Record(&r.id).url(base_path),
            Source::Document(d) => Route::source(d.kind, &d.slug).url(base_path),
        }
    }

    fn entry(&self, base_path: &str) -> Entry {
        match self {
            Source::Record(r) => record(r, base_path),
            Source::Document(d) => document(d, base_path),
        }
    }

    /// A fingerprint of everything the entry is made from.
    fn fingerprint(&self, base_path: &str) -> u64 {
        match self {
            Source::Record(r) => super::fingerprint(&[
                &base_path,
                &r.id,
                &r.acronym,
                &r.name,
                &record_facts(r),
                &r.summary_text,
            ]),
            Source::Document(d) => {
                let headings: Vec<&str> = d.headings.iter().map(|h| h.title.as_str()).collect();
                super::fingerprint(&[
                    &base_path,
                    &d.kind.noun(),
                    &d.slug,
                    &d.title,
                    &d.summary,
                    &d.tags,
                    &d.category.map(|c| c.name()),
                    &headings,
                    &d.text,
                ])
            }
        }
    }
}

/// The facts a record's entry is searched by besides its title and summary: the values of
/// the fields the table of fields marks `search`, in the table's order, list items apart.
fn record_facts(r: &Record) -> Vec<String> {
    let mut facts = Vec::new();
    for field in RECORD_FIELDS.iter().filter(|f| f.search) {
        match (field.get)(r) {
            FieldValue::Missing => {}
            FieldValue::Text(t) => facts.push(t),
            FieldValue::List(items) => facts.extend(items),
            FieldValue::Number(n) => facts.push(super::views::number(n)),
            FieldValue::Bool(b) => facts.push(if b { "yes" } else { "no" }.into()),
        }
    }
    facts
}

fn record(r: &Record, base_path: &str) -> Entry {
    let title = format!("{} — {}", r.acronym, r.name);
    let summary = r.summary_text.as_str();
    let facts = record_facts(r);
    let mut sources: Vec<&str> = facts.iter().map(String::as_str).collect();
    // The snippet: the summary, or without one the facts the words come from.
    let shown = match summary.is_empty() {
        true => sources.join(" · "),
        false => summary.to_string(),
    };
    sources.push(summary);
    Entry(
        Kind::Record.noun(),
        title.clone(),
        Route::Record(&r.id).url(base_path),
        snippet(&shown),
        words(&title, &sources, ""),
    )
}

fn document(d: &Document, base_path: &str) -> Entry {
    let mut sources: Vec<&str> = Vec::new();
    sources.extend(d.summary.as_deref());
    sources.extend(d.tags.iter().map(String::as_str));
    if let Some(c) = d.category {
        sources.push(c.name());
        sources.push(c.label());
    }
    sources.extend(d.headings.iter().map(|h| h.title.as_str()));
    let summary = match d.summary.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => s,
        _ => d.text.as_str(),
    };
    Entry(
        d.kind.noun(),
        d.title.clone(),
        Route::source(d.kind, &d.slug).url(base_path),
        snippet(summary),
        words(&d.title, &sources, &d.text),
    )
}

/// The lower-case words of `text`: runs of letters and digits (borrowed when already
/// lower case, as most words are).
fn tokens(text: &str) -> impl Iterator<Item = Cow<'_, str>> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| match t.chars().any(char::is_uppercase) {
            true => Cow::Owned(t.to_lowercase()),
            false => Cow::Borrowed(t),
        })
}

/// The words of `sources`, and of `body` up to [`BODY_WORDS`] more, worth keeping beside
/// `title` (see the module's documentation).
fn words(title: &str, sources: &[&str], body: &str) -> String {
    let mut in_title: Vec<Cow<'_, str>> = tokens(title).collect();
    in_title.sort_unstable();
    in_title.dedup();
    let mut seen: foldhash::HashSet<Cow<'_, str>> = in_title.iter().cloned().collect();
    seen.extend(sources.iter().flat_map(|s| tokens(s)));
    let before = seen.len();
    for w in tokens(body) {
        if seen.len() - before >= BODY_WORDS {
            break;
        }
        seen.insert(w);
    }
    let mut sorted: Vec<Cow<'_, str>> = seen.into_iter().collect();
    sorted.sort_unstable();
    let mut kept: Vec<&str> = Vec::new();
    for (i, w) in sorted.iter().enumerate() {
        // In sorted order, a word that starts another is followed by one that starts with it.
        let starts_next = sorted.get(i + 1).is_some_and(|n| n.starts_with(w.as_ref()));
        if !starts_next && in_title.binary_search(w).is_err() {
            kept.push(w);
        }
    }
    kept.join(" ")
}

/// A snippet of at most [`SUMMARY_CHARS`] characters, with `…` where it was cut.
fn snippet(text: &str) -> String {
    // Whitespace is collapsed only as far as the snippet can reach.
    let flat = crate::markdown::collapse_whitespace(text, SUMMARY_CHARS);
    let cut = cut_text(&flat, SUMMARY_CHARS);
    if cut.len() < flat.len() {
        format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
    } else {
        flat
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{LoadOptions, assemble, parse_text};
    use std::path::Path;

    fn site(files: &[(Kind, &str, &str)]) -> Content {
        let opts = LoadOptions {
            base_path: "/".into(),
            drafts: false,
            allow_raw_html: false,
            max_total_bytes: u64::MAX,
            money: Default::default(),
        };
        let sources = files
            .iter()
            .map(|(kind, path, text)| parse_text(*kind, Path::new(path), text, &opts));
        let (content, diags) = assemble(sources, false);
        assert!(diags.is_empty(), "{diags:?}");
        content
    }

    fn entries(file: &OutputFile) -> Vec<serde_json::Value> {
        let index: serde_json::Value = serde_json::from_slice(&file.bytes).expect("JSON");
        index["entries"].as_array().expect("entries").clone()
    }

    #[test]
    fn a_cache_reuses_the_entries_of_unchanged_sources_only() {
        let record = (
            Kind::Record,
            "content/certifications/a.yaml",
            "name: Alpha Lead\nacronym: AL\nskills: [coaching]\n",
        );
        let article = |body: &'static str| (Kind::Article, "content/articles/x.md", body);
        let first = site(&[
            record,
            article("---\ntitle: X\ndate: 2026-01-01\n---\nOld words.\n"),
        ]);
        let mut cache = Cache::default();
        let cold = file(&first, "/", &[0], &[0], None);
        let warm = file(&first, "/", &[0], &[0], Some(&mut cache));
        assert_eq!(cold.bytes, warm.bytes, "the cache changes nothing");
        assert_eq!(cache.0.len(), 2);
        // Mark the cached entries: an entry that is reused keeps the mark.
        for (_, e) in cache.0.values_mut() {
            e.3 = "cached".into();
        }
        let second = site(&[
            record,
            article("---\ntitle: X\ndate: 2026-01-01\n---\nNew words.\n"),
        ]);
        let got = entries(&file(&second, "/", &[0], &[0], Some(&mut cache)));
        assert_eq!(got[0][3], "cached", "the unchanged record is reused");
        assert_eq!(got[1][3], "New words.", "the edited article is made again");
        assert!(got[1][4].as_str().is_some_and(|w| w.contains("new")));
        // Another base path makes everything again.
        let got = entries(&file(&second, "/sub/", &[0], &[0], Some(&mut cache)));
        assert_eq!(got[0][2], "/sub/certifications/a/");
        assert_ne!(got[0][3], "cached");
    }

    #[test]
    fn a_record_is_found_by_the_fields_the_table_marks_for_search() {
        let r = crate::content::fields::tests::full_record();
        let searched: Vec<&str> = RECORD_FIELDS
            .iter()
            .filter(|f| f.search)
            .map(|f| f.path)
            .collect();
        assert_eq!(searched, ["provider.name", "level", "audience", "skills"]);
        let facts = record_facts(&r);
        assert_eq!(
            facts,
            [
                "Provider Inc",
                "professional",
                "manager",
                "supervisor",
                "forecasting",
                "coaching"
            ]
        );
        let entry = record(&r, "/");
        for word in [
            "provider",
            "supervisor",
            "professional",
            "coaching",
            "contact",
        ] {
            assert!(entry.4.split(' ').any(|w| w == word), "{word}: {entry:?}");
        }
        // Without a summary, the snippet is the facts.
        let mut bare = r.clone();
        bare.summary_text.clear();
        assert_eq!(
            record(&bare, "/").3,
            "Provider Inc · professional · manager · supervisor · forecasting · coaching"
        );
    }

    #[test]
    fn words_are_unique_sorted_and_leave_out_title_words_and_prefixes() {
        assert_eq!(
            words(
                "CCCM — Call Center Manager",
                &[
                    "Forecasting, forecast and FORECASTS",
                    "call-center quality",
                    "Café"
                ],
                ""
            ),
            "and café forecasting forecasts quality"
        );
        // `man` starts `manager`, which the title has.
        assert_eq!(words("Manager", &["man"], ""), "");
        // The body adds at most BODY_WORDS new words, from its start.
        let body: Vec<String> = (0..BODY_WORDS + 10).map(|i| format!("w{i:03}")).collect();
        let got = words("T", &["w005 extra"], &body.join(" w005 "));
        let got: Vec<&str> = got.split(' ').collect();
        assert_eq!(got.len(), BODY_WORDS + 2, "{got:?}");
        assert!(got.contains(&"extra") && got.contains(&"w120") && !got.contains(&"w121"));
    }

    #[test]
    fn snippets_are_short_and_say_where_they_were_cut() {
        assert_eq!(snippet("  Short\n text. "), "Short text.");
        let long = "word ".repeat(100);
        let s = snippet(&long);
        assert!(s.ends_with("word…"), "{s}");
        assert!(s.chars().count() <= SUMMARY_CHARS + 1);
        // Exactly the limit once whitespace is collapsed: whole, however it was spaced.
        let exact = format!("{} {}", "é".repeat(SUMMARY_CHARS - 10), "x".repeat(9));
        assert_eq!(snippet(&exact.replace(' ', "\n\n   ")), exact);
        // One character more: cut at the last word boundary.
        let over = format!("{exact}y");
        assert_eq!(
            snippet(&over),
            format!("{}…", "é".repeat(SUMMARY_CHARS - 10))
        );
    }
}
