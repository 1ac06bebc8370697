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

use serde::Serialize;
use std::borrow::Cow;
use std::hash::BuildHasher;

use super::OutputFile;
use crate::content::{Content, Document, FieldValue, Kind, RECORD_FIELDS, Record, cut_text};
use crate::markdown::char_at;
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

/// kind, title, url, summary, words.
#[derive(Serialize, Debug, Clone)]
struct Entry(&'static str, String, String, String, String);

/// How the index is joined from its entries ([`Source::entry_json`], each a JSON array).
pub const JOINTS: super::pieces::Joints = super::pieces::Joints {
    head: br#"{"version":1,"fields":["kind","title","url","summary","words"],"entries":["#,
    sep: b",",
    tail: b"]}",
};

/// What the index is made from, in its order: records in the home table's order, articles
/// in `article_order` (newest first), then pages in navigation order; each with where it
/// is in `content` (for the caller's prints).
pub fn sources<'a>(
    content: &'a Content,
    home_order: &[usize],
    article_order: &[usize],
) -> Vec<(Source<'a>, Origin)> {
    let mut pages: Vec<(usize, &Document)> = content.pages.iter().enumerate().collect();
    pages.sort_by(|(_, a), (_, b)| {
        (a.weight, &a.title, &a.slug).cmp(&(b.weight, &b.title, &b.slug))
    });
    home_order
        .iter()
        .map(|&i| (Source::Record(&content.records[i]), Origin::Record(i)))
        .chain(
            article_order
                .iter()
                .map(|&i| (Source::Document(&content.articles[i]), Origin::Article(i))),
        )
        .chain(
            pages
                .into_iter()
                .map(|(i, d)| (Source::Document(d), Origin::Page(i))),
        )
        .collect()
}

/// Where a source is in the content: which record, article or page.
#[derive(Debug, Clone, Copy)]
pub enum Origin {
    Record(usize),
    Article(usize),
    Page(usize),
}

/// The index file, joined from its entries with [`JOINTS`].
pub fn file(bytes: super::Bytes) -> OutputFile {
    OutputFile {
        path: path(),
        bytes,
        source: None,
    }
}

/// What an entry is made from.
pub enum Source<'a> {
    Record(&'a Record),
    Document(&'a Document),
}

impl<'a> Source<'a> {
    /// The source file: the key its entry is kept by.
    pub fn path(&self) -> &'a std::path::Path {
        match self {
            Source::Record(r) => &r.path,
            Source::Document(d) => &d.path,
        }
    }

    /// The entry, as JSON (an array), made from the source alone.
    pub fn entry_json(&self, base_path: &str) -> Vec<u8> {
        let entry = match self {
            Source::Record(r) => record(r, base_path),
            Source::Document(d) => document(d, base_path),
        };
        entry.to_json()
    }
}

impl Entry {
    /// The entry as a JSON array, as `serde_json` writes it. The words, letters and digits
    /// apart from their spaces, need no escaping in JSON and are copied as they are; they
    /// are most of the index, and serde_json's escaping read them a byte at a time.
    fn to_json(&self) -> Vec<u8> {
        let Entry(kind, title, url, summary, words) = self;
        debug_assert!(!words.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20));
        let mut out = Vec::with_capacity(words.len() + summary.len() + title.len() + 64);
        // Serialising strings to a Vec cannot fail.
        _ = serde_json::to_writer(&mut out, &(kind, title, url, summary));
        out.pop(); // the array's `]`
        out.extend_from_slice(b",\"");
        out.extend_from_slice(words.as_bytes());
        out.extend_from_slice(b"\"]");
        out
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
    Tokens { text, at: 0 }.map(|(word, upper)| match upper {
        true => Cow::Owned(word.to_lowercase()),
        false => Cow::Borrowed(word),
    })
}

/// `word` in lower case (a word of [`Tokens`] that has upper-case letters), written into
/// `scratch`.
fn lower_into<'s>(word: &str, scratch: &'s mut String) -> &'s str {
    scratch.clear();
    if word.is_ascii() {
        scratch.push_str(word);
        scratch.make_ascii_lowercase();
    } else {
        scratch.push_str(&word.to_lowercase());
    }
    scratch
}

/// The words of a text as they are written, each with whether it has upper-case letters
/// (see [`tokens`]): ASCII is read a byte at a time, and only other characters are decoded
/// (splitting on `char`s cost 25 instructions a byte).
struct Tokens<'a> {
    text: &'a str,
    at: usize,
}

/// What a byte is to [`Tokens`]: part of no word (ASCII), part of a lower-case word
/// (letters and digits), an upper-case letter, or part of a character that is not ASCII.
const SEP: u8 = 0;
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const OTHER: u8 = 3;
const CLASS: [u8; 256] = {
    let mut class = [OTHER; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        class[b] = match c {
            b'a'..=b'z' | b'0'..=b'9' => LOWER,
            b'A'..=b'Z' => UPPER,
            _ => SEP,
        };
        b += 1;
    }
    class
};

impl<'a> Iterator for Tokens<'a> {
    type Item = (&'a str, bool);

    // Inlined into the loops of `words`, which call it once a word of every entry.
    #[inline(always)]
    fn next(&mut self) -> Option<(&'a str, bool)> {
        let bytes = self.text.as_bytes();
        let mut i = self.at;
        while let Some(&b) = bytes.get(i) {
            match CLASS[usize::from(b)] {
                SEP => i += 1,
                OTHER => {
                    let c = char_at(self.text, i);
                    if c.is_alphanumeric() {
                        break;
                    }
                    i += c.len_utf8();
                }
                _ => break,
            }
        }
        if i >= bytes.len() {
            self.at = bytes.len();
            return None;
        }
        let start = i;
        let mut upper = false;
        loop {
            // Eight bytes at a time while they are ASCII letters and digits; the byte
            // that ends the run is looked at on its own below.
            if let Some(chunk) = bytes.get(i..i + 8) {
                let (word, up) =
                    ascii_word_bytes(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
                let stop = !word & HIGH_BITS;
                // The bits below the first byte that is not a letter or digit (all of
                // them when there is none).
                let before = stop.wrapping_sub(1) & !stop;
                upper |= (up & before) != 0;
                if stop == 0 {
                    i += 8;
                    continue;
                }
                i += (stop.trailing_zeros() / 8) as usize;
            }
            let Some(&b) = bytes.get(i) else { break };
            match CLASS[usize::from(b)] {
                LOWER => i += 1,
                UPPER => {
                    upper = true;
                    i += 1;
                }
                SEP => break,
                _ => {
                    let c = char_at(self.text, i);
                    if !c.is_alphanumeric() {
                        break;
                    }
                    upper |= c.is_uppercase();
                    i += c.len_utf8();
                }
            }
        }
        self.at = i;
        Some((&self.text[start..i], upper))
    }
}

/// The high bit of each byte of a `u64`.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Each byte of a `u64` repeated eight times.
const fn bytes_of(b: u8) -> u64 {
    b as u64 * 0x0101_0101_0101_0101
}

/// Which of the eight bytes in `x` (little-endian) are ASCII letters or digits, and which
/// are upper-case letters: the high bit of each such byte set. Bytes of other characters
/// are neither.
#[inline(always)]
fn ascii_word_bytes(x: u64) -> (u64, u64) {
    // With the high bits cleared no byte carries into the next when `0x80 - lo` is added,
    // and a byte's high bit then says whether it was at least `lo`.
    let y = x & !HIGH_BITS;
    let within =
        |lo: u8, hi: u8| (y + bytes_of(0x80 - lo)) & !(y + bytes_of(0x80 - hi - 1)) & HIGH_BITS;
    let ascii = !x & HIGH_BITS;
    let upper = within(b'A', b'Z') & ascii;
    let word = (within(b'a', b'z') | within(b'0', b'9')) & ascii | upper;
    (word, upper)
}

/// The words of `sources`, and of `body` up to [`BODY_WORDS`] more, worth keeping beside
/// `title` (see the module's documentation).
fn words<'a>(title: &'a str, sources: &[&'a str], body: &'a str) -> String {
    let mut in_title: Vec<Cow<'_, str>> = tokens(title).collect();
    in_title.sort_unstable();
    in_title.dedup();
    let mut seen = WordSet::with_capacity(in_title.len() + 64);
    let mut scratch = String::new();
    for word in &in_title {
        seen.add(word, false, &mut scratch);
    }
    for s in sources {
        for (word, upper) in (Tokens { text: s, at: 0 }) {
            seen.add(word, upper, &mut scratch);
        }
    }
    let mut added = 0;
    for (word, upper) in (Tokens { text: body, at: 0 }) {
        if added >= BODY_WORDS {
            break;
        }
        added += usize::from(seen.add(word, upper, &mut scratch));
    }
    let mut sorted: Vec<(u64, Cow<'_, str>)> = seen
        .words
        .into_iter()
        .map(|(_, w)| (sort_prefix(&w), w))
        .collect();
    sorted.sort_unstable();
    let mut kept: Vec<&str> = Vec::new();
    for (i, (_, word)) in sorted.iter().enumerate() {
        let w = word.as_bytes();
        // In sorted order, a word that starts another is followed by one that starts with it.
        let starts_next = sorted
            .get(i + 1)
            .is_some_and(|(_, n)| n.len() >= w.len() && same_bytes(&n.as_bytes()[..w.len()], w));
        if !starts_next && !in_title.iter().any(|t| same_bytes(t.as_bytes(), w)) {
            kept.push(word);
        }
    }
    kept.join(" ")
}

/// The lower-case words of an entry, each once. A word is hashed once, as it comes, and
/// the table keeps the hash beside it. Most words of a body were seen before; a set of
/// `Cow`s, hashed and compared through their traits, spent 180 instructions on each (5 %
/// of a build's at 1,000 records).
struct WordSet<'a> {
    words: hashbrown::HashTable<(u64, Cow<'a, str>)>,
}

impl<'a> WordSet<'a> {
    fn with_capacity(n: usize) -> Self {
        WordSet {
            words: hashbrown::HashTable::with_capacity(n),
        }
    }

    /// Adds `word`, as [`Tokens`] read it (`upper` when it has upper-case letters, lower-cased
    /// here in `scratch`, and copied only when it is new). True when it was new.
    #[inline(always)]
    fn add(&mut self, word: &'a str, upper: bool, scratch: &mut String) -> bool {
        let lower = match upper {
            true => lower_into(word, scratch),
            false => word,
        };
        let hash = WORD_HASH.hash_one(lower);
        let same =
            |(h, w): &(u64, Cow<'a, str>)| *h == hash && same_bytes(w.as_bytes(), lower.as_bytes());
        if self.words.find(hash, same).is_some() {
            return false;
        }
        let owned = match upper {
            true => Cow::Owned(lower.to_string()),
            false => Cow::Borrowed(word),
        };
        self.words.insert_unique(hash, (hash, owned), |(h, _)| *h);
        true
    }
}

/// The words' hasher: fixed, since the words are sorted before they are written.
const WORD_HASH: foldhash::fast::FixedState = foldhash::fast::FixedState::with_seed(0x776f_7264);

/// Whether `a` and `b` are the same bytes: words up to 16 bytes long are compared in two
/// loads each (which may overlap), without a call to `memcmp`.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let load8 =
        |s: &[u8], at: usize| u64::from_le_bytes(s[at..at + 8].try_into().unwrap_or_default());
    let load4 =
        |s: &[u8], at: usize| u32::from_le_bytes(s[at..at + 4].try_into().unwrap_or_default());
    match n {
        0..4 => a == b,
        4..8 => load4(a, 0) == load4(b, 0) && load4(a, n - 4) == load4(b, n - 4),
        8..=16 => load8(a, 0) == load8(b, 0) && load8(a, n - 8) == load8(b, n - 8),
        _ => a == b,
    }
}

/// The first eight bytes of `word` as a number that orders as the bytes do (a shorter
/// word is padded with zeros, so it comes before the words it starts).
fn sort_prefix(word: &str) -> u64 {
    let mut bytes = [0u8; 8];
    let n = word.len().min(8);
    bytes[..n].copy_from_slice(&word.as_bytes()[..n]);
    u64::from_be_bytes(bytes)
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

    /// What [`tokens`] must give: the runs of alphanumeric characters, lower-cased when
    /// one is upper case (as it was written before it read bytes).
    fn tokens_by_chars(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .map(|t| match t.chars().any(char::is_uppercase) {
                true => t.to_lowercase(),
                false => t.to_string(),
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn words_are_the_runs_of_letters_and_digits_lower_cased(
            text in "[a-zA-Z0-9 .,'\\-_\u{e9}\u{c9}\u{df}\u{130}\u{663}\u{301}\u{a0}\u{2003}\u{1f600}]{0,40}",
        ) {
            let got: Vec<String> = tokens(&text).map(|t| t.into_owned()).collect();
            proptest::prop_assert_eq!(got, tokens_by_chars(&text));
        }
    }

    #[test]
    fn words_are_read_eight_bytes_at_a_time_and_end_where_they_end() {
        // Runs longer than eight bytes, ending at each place in a block of eight, with
        // upper case, digits and other characters before and after a block's end.
        let text = "abcdefgh abcdefghi abcdefghijklmnoP Abcdefgh0123456789x \
                    schedulingÉtape straße,ABCDEFGHIJKLMNOPQ zz9zz9zz9@Zz";
        let got: Vec<String> = tokens(text).map(|t| t.into_owned()).collect();
        assert_eq!(got, tokens_by_chars(text));
        assert_eq!(got[2], "abcdefghijklmnop");
        assert_eq!(got[4], "schedulingétape");
        assert_eq!(got[6], "abcdefghijklmnopq");
    }

    #[test]
    fn the_index_lists_records_then_articles_then_pages_as_arrays() {
        let content = site(&[
            (
                Kind::Record,
                "content/certifications/a.yaml",
                "name: Alpha Lead\nacronym: AL\n",
            ),
            (
                Kind::Article,
                "content/articles/x.md",
                "---\ntitle: X\ndate: 2026-01-01\n---\nSome words.\n",
            ),
            (
                Kind::Page,
                "content/pages/p.md",
                "---\ntitle: P\n---\nAbout.\n",
            ),
        ]);
        let made: Vec<Vec<u8>> = sources(&content, &[0], &[0])
            .iter()
            .map(|(s, _)| s.entry_json("/"))
            .collect();
        let join = |made: &[Vec<u8>]| {
            let all = [JOINTS.head, &made.join(JOINTS.sep), JOINTS.tail].concat();
            file(std::sync::Arc::new(all))
        };
        let index: serde_json::Value = serde_json::from_slice(&join(&made).bytes).expect("JSON");
        assert_eq!(index["version"], 1);
        assert_eq!(
            index["fields"],
            serde_json::json!(["kind", "title", "url", "summary", "words"])
        );
        let got = entries(&join(&made));
        let kinds: Vec<&str> = got.iter().map(|e| e[0].as_str().unwrap_or("")).collect();
        assert_eq!(kinds, ["certification", "article", "page"]);
        assert_eq!(got[1][2], "/articles/x/");
        assert_eq!(entries(&join(&[])).len(), 0);
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

    /// What [`words`] must give, written plainly: the title's words and the others as
    /// ordered sets, compared as strings.
    fn words_by_sets(title: &str, sources: &[&str], body: &str) -> String {
        use std::collections::BTreeSet;
        let in_title: BTreeSet<String> = tokens_by_chars(title).into_iter().collect();
        let mut seen = in_title.clone();
        sources
            .iter()
            .flat_map(|s| tokens_by_chars(s))
            .for_each(|w| _ = seen.insert(w));
        let before = seen.len();
        for w in tokens_by_chars(body) {
            if seen.len() - before >= BODY_WORDS {
                break;
            }
            seen.insert(w);
        }
        let all: Vec<&String> = seen.iter().collect();
        let kept: Vec<&str> = (0..all.len())
            .filter(|&i| {
                !all.get(i + 1)
                    .is_some_and(|n| n.starts_with(all[i].as_str()))
            })
            .filter(|&i| !in_title.contains(all[i]))
            .map(|i| all[i].as_str())
            .collect();
        kept.join(" ")
    }

    proptest::proptest! {
        #[test]
        fn the_kept_words_are_those_of_the_plain_sets(
            title in "[a-zA-Z \u{e9}]{0,12}",
            source in "[a-cA-C0-9 \u{e9}\u{df}]{0,60}",
            body in "[a-dA-D \u{e9}]{0,200}",
            // Long words that share their first eight bytes: ordered past the prefix.
            long in "[ab]{7,11}( [ab]{7,11}){0,8}",
        ) {
            let sources = [source.as_str(), long.as_str()];
            proptest::prop_assert_eq!(
                words(&title, &sources, &body),
                words_by_sets(&title, &sources, &body)
            );
        }

        #[test]
        fn same_bytes_is_equality(
            a in proptest::collection::vec(0u8..4, 0..24),
            at in 0usize..24,
            byte in 0u8..4,
            cut in 0usize..2,
        ) {
            // `b` is `a` with at most one byte changed, or one byte shorter.
            let mut b = a.clone();
            if let Some(slot) = b.get_mut(at) {
                *slot = byte;
            }
            b.truncate(a.len().saturating_sub(cut));
            proptest::prop_assert_eq!(same_bytes(&a, &b), a == b);
        }
    }

    proptest::proptest! {
        /// The entry as `serde_json` writes it, whatever the text its parts come from.
        #[test]
        fn an_entry_is_the_json_serde_writes(
            title in "[a-zA-Z \"\\\\\u{1}\u{1f}\u{e9}\u{2028}<&]{0,20}",
            body in "[a-zA-Z0-9 \"\\\\\u{1}\n\t\u{e9}\u{df}\u{2028}\u{663}]{0,80}",
        ) {
            let entry = Entry("article", title.clone(), format!("/a/{title}/"), snippet(&body), words(&title, &[], &body));
            let by_serde = serde_json::to_vec(&entry).expect("JSON");
            let ours = entry.to_json();
            proptest::prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&by_serde));
        }
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
