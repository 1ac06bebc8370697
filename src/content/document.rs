//! Articles and free pages: YAML front matter between `---` lines, then markdown.

use std::path::{Path, PathBuf};

use crate::block_yaml::{self, Read, read_struct};
use serde::Deserialize;

use super::{Date, Kind, LinkHook, LinkRef, LoadOptions, Positions};
use crate::diagnostics::{Diagnostic, LineIndex, Pos};
use crate::markdown::{self, Heading};
use crate::yaml::{self, At};

/// Front matter keys, for messages.
pub const FRONT_MATTER_KEYS: [&str; 9] = [
    "title",
    "date",
    "summary",
    "category",
    "tags",
    "certifications",
    "draft",
    "weight",
    "aliases",
];

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrontMatter {
    title: At<String>,
    date: Option<At<String>>,
    summary: Option<String>,
    category: Option<At<String>>,
    tags: Option<Vec<At<String>>>,
    certifications: Option<Vec<At<String>>>,
    draft: Option<bool>,
    /// Order of free pages in the navigation (lower first).
    weight: Option<i64>,
    /// Old addresses that redirect here (site-relative paths).
    aliases: Option<Vec<At<String>>>,
}

read_struct!(RawFrontMatter {
    title,
    date,
    summary,
    category,
    tags,
    certifications,
    draft,
    weight,
    aliases,
});

/// What an article is about; the articles index groups by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    Benefits,
    Drawbacks,
    Roi,
    Policy,
    Guide,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Benefits,
        Category::Drawbacks,
        Category::Roi,
        Category::Policy,
        Category::Guide,
    ];
    pub const NAMES: [&'static str; 5] = ["benefits", "drawbacks", "roi", "policy", "guide"];

    pub fn name(self) -> &'static str {
        Category::NAMES[self as usize]
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::Benefits => "Benefits",
            Category::Drawbacks => "Drawbacks",
            Category::Roi => "ROI",
            Category::Policy => "Policy",
            Category::Guide => "Guides",
        }
    }

    fn parse(s: &str) -> Option<Category> {
        let i = Category::NAMES.iter().position(|n| *n == s)?;
        Some(Category::ALL[i])
    }
}

/// An article or a free page.
#[derive(Debug, Clone)]
pub struct Document {
    pub kind: Kind,
    /// The file stem: the page's URL segment.
    pub slug: String,
    pub path: PathBuf,
    pub title: String,
    pub date: Option<Date>,
    pub summary: Option<String>,
    pub category: Option<Category>,
    pub tags: Vec<String>,
    /// Where each of `tags` is written.
    pub tag_pos: Vec<Pos>,
    /// Old addresses that redirect to this page, as written, with where (`aliases:`).
    pub aliases: Vec<(String, Pos)>,
    /// Related record ids as written, with where, for the reference check.
    pub certifications: Vec<(String, Pos)>,
    pub draft: bool,
    pub weight: i64,
    pub html: String,
    pub headings: Vec<Heading>,
    pub words: usize,
    /// The start of the body as plain text, at most [`TEXT_CHARS`] characters, for the
    /// search index.
    pub text: String,
    pub links: Vec<LinkRef>,
    /// Facts quoted from records (`{{ fact(...) }}`, `{{ compare(...) }}`): `html` holds a
    /// marker for each ([`super::quote`]), which rendering replaces with the values.
    pub quotes: Vec<super::quote::Quote>,
}

/// How much of a body's plain text a [`Document`] keeps for the search index.
pub const TEXT_CHARS: usize = 3000;

/// The first `max` characters of `text`, cut at a word boundary when there is one.
pub fn cut_text(text: &str, max: usize) -> &str {
    // No more bytes than `max`, so no more characters: nothing to count.
    if text.len() <= max {
        return text;
    }
    match text.char_indices().nth(max) {
        None => text,
        Some((end, _)) => {
            let head = &text[..end];
            head.rfind(char::is_whitespace)
                .map_or(head, |i| head[..i].trim_end())
        }
    }
}

/// Splits `---\nYAML\n---\nbody`: returns the YAML, the byte offset where the body starts,
/// and the number of lines before the YAML (always 1: the opening `---`).
fn split_front_matter(text: &str) -> Option<(&str, usize)> {
    let after_open = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let open_len = text.len() - after_open.len();
    let mut offset = 0;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']).trim_end() == "---" {
            let yaml = &after_open[..offset];
            return Some((yaml, open_len + offset + line.len()));
        }
        offset += line.len();
    }
    None
}

/// A list of strings as written, each with where it is (`offset`: lines before the YAML).
pub(super) fn positioned_list(list: Option<Vec<At<String>>>, offset: usize) -> Vec<(String, Pos)> {
    list.unwrap_or_default()
        .into_iter()
        .map(|s| (s.value, s.pos.down(offset)))
        .collect()
}

pub(super) fn parse(
    text: &str,
    path: &Path,
    kind: Kind,
    slug: String,
    opts: &LoadOptions,
    diags: &mut Vec<Diagnostic>,
) -> Option<Document> {
    let Some((yaml_text, body_start)) = split_front_matter(text) else {
        let msg = if text.starts_with("---") {
            "the front matter is not closed: add a line with just `---` after it"
        } else {
            "missing front matter: start the file with a `---` line, then `title: ...`, \
             then another `---` line"
        };
        diags.push(Diagnostic::file_error(path, msg));
        return None;
    };
    let fast = block_yaml::parse(yaml_text).and_then(|n| RawFrontMatter::read(&n));
    let raw: RawFrontMatter = match fast
        .map(Ok)
        .unwrap_or_else(|| yaml::parse(yaml_text, path, 1))
    {
        Ok(r) => r,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let at = |p: Pos, msg: String| Diagnostic::at(path, p, msg);
    if raw.title.value.trim().is_empty() {
        diags.push(at(
            raw.title.pos.down(1),
            "`title` is empty; it is required".into(),
        ));
    }
    let date = match raw.date {
        Some(d) => match Date::parse(&d.value) {
            Ok(date) => Some(date),
            Err(msg) => {
                diags.push(at(d.pos.down(1), msg));
                None
            }
        },
        None => {
            if kind == Kind::Article {
                diags.push(at(
                    Pos::new(2, 1),
                    "missing required key `date` (articles need `date: YYYY-MM-DD`)".into(),
                ));
            }
            None
        }
    };
    let category = raw.category.and_then(|c| {
        Category::parse(&c.value).or_else(|| {
            diags.push(at(
                c.pos.down(1),
                format!(
                    "unknown category `{}`{}; expected one of: {}",
                    c.value,
                    yaml::did_you_mean(&c.value, &Category::NAMES),
                    Category::NAMES.join(", ")
                ),
            ));
            None
        })
    });

    let body = &text[body_start..];
    let index = LineIndex::new(text);
    let quoted = super::quote::extract(body, &index, body_start);
    for (pos, msg) in quoted.problems {
        diags.push(at(pos, msg));
    }
    let marked = quoted.body.as_str();
    let mut hook = LinkHook::new(
        path,
        &opts.base_path,
        Positions::Body {
            index: &index,
            start: body_start,
        },
    );
    let rendered =
        markdown::render_safe(marked, opts.allow_raw_html, super::THEME_IDS, &mut |site| {
            hook.visit(site)
        });
    diags.append(&mut hook.diags);
    for clash in &rendered.id_clashes {
        let why = if clash.reserved {
            "the theme uses this id on every page; choose another".to_string()
        } else {
            "an earlier heading already has this id; each id may appear once per page".into()
        };
        diags.push(at(
            index.pos(body_start + clash.offset),
            format!("duplicate heading id `{}`: {why}", clash.id),
        ));
    }

    Some(Document {
        kind,
        slug,
        path: path.to_path_buf(),
        title: raw.title.value.trim().to_string(),
        date,
        summary: raw.summary,
        category,
        tag_pos: raw.tags.iter().flatten().map(|t| t.pos.down(1)).collect(),
        tags: raw
            .tags
            .unwrap_or_default()
            .into_iter()
            .map(|t| t.value)
            .collect(),
        aliases: positioned_list(raw.aliases, 1),
        certifications: raw
            .certifications
            .unwrap_or_default()
            .into_iter()
            .map(|c| {
                let pos = c.pos.down(1);
                (c.value, pos)
            })
            .collect(),
        draft: raw.draft.unwrap_or(false),
        weight: raw.weight.unwrap_or(0),
        html: rendered.html,
        // A quote in a heading: the table of contents gives the heading's own words.
        headings: if quoted.quotes.is_empty() {
            rendered.headings
        } else {
            rendered
                .headings
                .into_iter()
                .map(|mut h| {
                    h.title = super::quote::strip_markers(&h.title).trim().to_string();
                    h
                })
                .collect()
        },
        words: markdown::count_words(body),
        text: if quoted.quotes.is_empty() {
            cut_text(&rendered.text, TEXT_CHARS).to_string()
        } else {
            cut_text(&super::quote::strip_markers(&rendered.text), TEXT_CHARS).to_string()
        },
        links: hook.refs,
        quotes: quoted.quotes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Front matter as `bench/gen_corpus.py` writes it, with the other keys added.
    const FRONT: &str = r#"title: "Process chat channel churn"
date: 2026-09-11
summary: "Dashboard schedule program."
category: "guide"
tags:
  - "chat"
  - "policy"
certifications: [cert-00346, "cert-00656"]
draft: false
weight: 3
aliases: ["/old/x/"]
"#;

    /// When the fast path reads `yaml`, it reads what serde-saphyr reads.
    fn same_as_serde(yaml: &str) -> Result<bool, String> {
        block_yaml::edits::same_as_serde::<RawFrontMatter>(yaml, 1)
    }

    #[test]
    fn the_fast_path_reads_front_matter_as_serde_saphyr_does() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut fast = 0;
        let mut all = 0;
        let files = walkdir::WalkDir::new(root.join("tests/fixtures"))
            .into_iter()
            .chain(walkdir::WalkDir::new(root.join("examples")))
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"));
        for file in files {
            let Ok(text) = std::fs::read_to_string(file.path()) else {
                continue;
            };
            let Some((yaml, _)) = split_front_matter(&text) else {
                continue;
            };
            all += 1;
            fast += usize::from(same_as_serde(yaml).unwrap_or_else(|e| panic!("{e}")));
        }
        assert!(same_as_serde(FRONT) == Ok(true));
        assert!(fast * 2 > all, "{fast} of {all}");
        for line in 0..FRONT.lines().count() {
            let values = block_yaml::edits::VALUES.iter().map(|v| (0, *v));
            for (op, value) in values.chain((1..5).map(|op| (op, ""))) {
                let yaml = block_yaml::edits::edited(FRONT, &[(line, op, value)]);
                if let Err(e) = same_as_serde(&yaml) {
                    panic!("{e}");
                }
            }
        }
    }

    fn parse_str(text: &str) -> (Option<Document>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let opts = LoadOptions {
            base_path: "/".into(),
            drafts: false,
            allow_raw_html: false,
            max_total_bytes: u64::MAX,
            money: Default::default(),
        };
        let d = parse(
            text,
            Path::new("content/articles/a.md"),
            Kind::Article,
            "a".into(),
            &opts,
            &mut diags,
        );
        (d, diags)
    }

    #[test]
    fn front_matter_splits_and_links_are_rewritten() {
        let (d, diags) = parse_str(
            "---\ntitle: T\ndate: 2026-11-20\ncertifications: [cccm]\n---\n\n## Payback\n\nSee [CCCM](../certifications/cccm.yaml#facts).\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let d = d.unwrap();
        assert_eq!(d.certifications, [("cccm".to_string(), Pos::new(4, 18))]);
        assert!(
            d.html.contains(r#"href="/certifications/cccm/#facts""#),
            "{}",
            d.html
        );
        assert_eq!(d.links[0].pos, Pos::new(9, 12));
        assert_eq!(d.links[0].anchor.as_deref(), Some("facts"));
        assert_eq!(d.headings[0].id, "payback");
        assert_eq!(d.text, "Payback See CCCM.");
    }

    #[test]
    fn text_is_cut_at_a_word_boundary() {
        assert_eq!(cut_text("short", 10), "short");
        assert_eq!(cut_text("one two three", 9), "one two");
        assert_eq!(cut_text("naïve café", 8), "naïve");
        assert_eq!(cut_text("unbroken", 3), "unb");
    }

    #[test]
    fn front_matter_errors_count_lines_from_the_top() {
        let (_, diags) = parse_str("---\ntitle: T\ndate: 2026-11-31\ncategory: polcy\n---\n");
        let at: Vec<(usize, usize)> = diags.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(at, [(3, 7), (4, 11)], "{diags:?}");
        assert!(diags[1].message.contains("did you mean `policy`"));
    }

    #[test]
    fn missing_or_unclosed_front_matter() {
        let (_, diags) = parse_str("# Just markdown\n");
        assert!(diags[0].message.contains("missing front matter"));
        let (_, diags) = parse_str("---\ntitle: T\n");
        assert!(diags[0].message.contains("not closed"));
    }
}
