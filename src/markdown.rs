//! Markdown to HTML with pulldown-cmark.
//!
//! Owns the markdown dialect (tables, footnotes, strikethrough, task lists, heading
//! attributes), the heading ids that anchors point at (GitHub's rule, so links written for
//! a forge preview keep working), and the hook through which every link destination passes,
//! so the caller can rewrite links to source files into page URLs and record them for
//! checking. It knows nothing about the site's layout.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// A heading of a document, for anchors and tables of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// What a link hook decides for one destination.
pub enum LinkAction {
    /// Leave the destination as written.
    Keep,
    /// Replace the destination with this URL.
    Rewrite(String),
}

/// A link destination as the hook sees it.
pub struct LinkSite<'a> {
    /// The destination as written (`roi.md#payback`).
    pub dest: &'a str,
    /// Byte offset of the destination (or of the link, when the destination is elsewhere)
    /// in the rendered text.
    pub offset: usize,
    /// True for images, false for links.
    pub image: bool,
}

/// The result of rendering one document.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    /// Whether the markdown held raw HTML (which [`sanitize`] then has to clean).
    pub raw_html: bool,
    /// The start of the document as plain text (see [`plain_text`]), gathered in the same
    /// pass, up to [`TEXT_GATHERED`] bytes before whitespace is collapsed.
    pub text: String,
    /// Explicit heading ids (`{#id}`) that repeat an earlier id or claim a reserved one.
    pub id_clashes: Vec<IdClash>,
}

/// An explicit heading id that cannot be used as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdClash {
    /// Byte offset of the heading in the rendered text.
    pub offset: usize,
    pub id: String,
    /// True when the id is one the caller reserved, false when an earlier heading has it.
    pub reserved: bool,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Renders `text`, passing every link and image destination through `hook`. Automatic
/// heading ids avoid `reserved` (ids the page around the text uses) and each other.
pub fn render(
    text: &str,
    reserved: &[&str],
    hook: &mut dyn FnMut(LinkSite<'_>) -> LinkAction,
) -> Rendered {
    let mut events: Vec<Event<'_>> = Vec::with_capacity(text.len() / 8);
    let mut headings = Vec::new();
    let mut ids = HeadingIds::new(reserved);
    let mut id_clashes = Vec::new();
    // Index in `events` of the open heading's Start, and the heading's offset in `text`,
    // while inside a heading.
    let mut open_heading: Option<(usize, usize)> = None;
    let mut heading_text = String::new();
    let mut raw_html = false;
    let mut gathered = PlainText::new(TEXT_GATHERED);

    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = apply(hook, text, &range, dest_url, false);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = apply(hook, text, &range, dest_url, true);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            other => other,
        };
        gathered.push(&event);
        match &event {
            Event::Html(_) | Event::InlineHtml(_) => raw_html = true,
            Event::Start(Tag::Heading { .. }) => {
                open_heading = Some((events.len(), range.start));
                heading_text.clear();
            }
            Event::Text(t) | Event::Code(t) if open_heading.is_some() => heading_text.push_str(t),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((start, offset)) = open_heading.take()
                    && let Event::Start(Tag::Heading { level, id, .. }) = &mut events[start]
                {
                    let chosen = match id {
                        Some(explicit) => {
                            if let Err(reserved) = ids.claim(explicit) {
                                id_clashes.push(IdClash {
                                    offset,
                                    id: explicit.to_string(),
                                    reserved,
                                });
                            }
                            explicit.to_string()
                        }
                        None => ids.unique(slug(&heading_text)),
                    };
                    *id = Some(CowStr::from(chosen.clone()));
                    headings.push(Heading {
                        level: heading_level(*level),
                        id: chosen,
                        title: heading_text.trim().to_string(),
                    });
                }
            }
            _ => {}
        }
        events.push(event);
    }

    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Rendered {
        html,
        headings,
        raw_html,
        text: gathered.finish(),
        id_clashes,
    }
}

/// Cleans HTML rendered from markdown that held raw HTML: no `<script>`, `<style>`,
/// `<iframe>`, event-handler attributes or `javascript:` URLs, no `style` but the table
/// alignment markdown writes, no classes but the ones markdown writes (so content cannot
/// borrow the theme's), and no id in `reserved`; what markdown itself makes (heading ids,
/// footnotes, task lists, code languages, table alignment) is kept.
pub fn sanitize(html: &str, reserved: &[&str]) -> String {
    let reserved: Vec<String> = reserved.iter().map(|s| s.to_string()).collect();
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class"])
        .add_tags([
            "input",
            "details",
            "summary",
            "figure",
            "figcaption",
            "mark",
        ])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("ol", ["start"])
        .url_schemes(crate::url::SAFE_SCHEMES.into_iter().collect())
        .link_rel(None)
        .strip_comments(true)
        .attribute_filter(move |_element, attribute, value| match attribute {
            "style" => matches!(
                value,
                "text-align: left" | "text-align: center" | "text-align: right"
            )
            .then_some(value.into()),
            "class" => {
                let kept: Vec<&str> = value
                    .split_whitespace()
                    .filter(|c| MARKDOWN_CLASSES.iter().any(|p| c.starts_with(p)))
                    .collect();
                (!kept.is_empty()).then(|| kept.join(" ").into())
            }
            "id" => (!reserved.iter().any(|r| r == value)).then_some(value.into()),
            _ => Some(value.into()),
        });
    b.clean(html).to_string()
}

/// The class prefixes pulldown-cmark writes: footnotes, GitHub alerts, code languages.
const MARKDOWN_CLASSES: [&str; 3] = ["footnote-", "markdown-alert-", "language-"];

/// Renders `text` and cleans the result when it held raw HTML and `allow_raw_html` is off.
pub fn render_safe(
    text: &str,
    allow_raw_html: bool,
    reserved: &[&str],
    hook: &mut dyn FnMut(LinkSite<'_>) -> LinkAction,
) -> Rendered {
    let mut r = render(text, reserved, hook);
    if r.raw_html && !allow_raw_html {
        r.html = sanitize(&r.html, reserved);
    }
    r
}

/// Renders a short text (a summary, a pro or con): a single paragraph loses its `<p>`.
/// The plain text comes with it (see [`Rendered::text`]). A text no markdown rule reads
/// ([`is_plain`]) is its own HTML, without a parser.
pub fn render_inline(
    text: &str,
    allow_raw_html: bool,
    reserved: &[&str],
    hook: &mut dyn FnMut(LinkSite<'_>) -> LinkAction,
) -> Rendered {
    match is_plain(text) {
        true => plain_inline(text),
        false => parse_inline(text, allow_raw_html, reserved, hook),
    }
}

/// Whether `text` renders as itself, in one paragraph: one line that starts with a letter,
/// ends with no whitespace, and holds no character markdown reads (`*`, `_`, `` ` ``, `[`,
/// `<`, `&`, `\`, `#`, `|`, `~`, `!`, ...): only letters, digits, spaces, the characters
/// of [`PLAIN`] and characters that are not ASCII. Nothing in it can be a link, a heading
/// or HTML.
fn is_plain(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_alphabetic)
        && !text.ends_with(char::is_whitespace)
        && text
            .bytes()
            .all(|b| !b.is_ascii() || b.is_ascii_alphanumeric() || PLAIN.contains(&b))
}

/// The ASCII punctuation [`is_plain`] lets through: none of it means anything to markdown
/// inside a line that starts with a letter.
const PLAIN: &[u8] = b" ,.;:'\"?()/%$+=-";

/// What [`parse_inline`] makes of a text that [`is_plain`].
fn plain_inline(text: &str) -> Rendered {
    Rendered {
        html: text.to_string(),
        text: collapse_whitespace(text, usize::MAX),
        ..Rendered::default()
    }
}

fn parse_inline(
    text: &str,
    allow_raw_html: bool,
    reserved: &[&str],
    hook: &mut dyn FnMut(LinkSite<'_>) -> LinkAction,
) -> Rendered {
    let mut r = render_safe(text, allow_raw_html, reserved, hook);
    let trimmed = r.html.trim_end();
    if let Some(inner) = trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        && !inner.contains("<p>")
    {
        r.html = inner.to_string();
    }
    r
}

/// The text of a markdown snippet without any markup (for meta descriptions and feeds).
pub fn plain_text(text: &str) -> String {
    let mut collect = PlainText::new(usize::MAX);
    for event in Parser::new_ext(text, options()) {
        collect.push(&event);
    }
    collect.finish()
}

/// Gathers the plain text of a stream of events: text and code, with a space wherever a
/// block, cell or line ends, whitespace collapsed; stops gathering after `limit` bytes.
struct PlainText {
    out: String,
    limit: usize,
}

impl PlainText {
    fn new(limit: usize) -> Self {
        PlainText {
            out: String::new(),
            limit,
        }
    }

    fn push(&mut self, event: &Event<'_>) {
        if self.out.len() >= self.limit {
            return;
        }
        match event {
            Event::Text(t) | Event::Code(t) => self.out.push_str(t),
            Event::SoftBreak | Event::HardBreak => self.out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::Heading(_)
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => self.out.push(' '),
            _ => {}
        }
    }

    fn finish(self) -> String {
        collapse_whitespace(&self.out, usize::MAX)
    }
}

/// `text` with each run of whitespace made one space and none at either end. Stops after
/// the word that takes it past `max_chars` characters, so a caller cutting the result to
/// `max_chars` can still tell whether there was more.
///
/// Whitespace is Unicode's (as `str::split_whitespace` reads it). ASCII is read a run of
/// bytes at a time and copied whole (a word at a time, this was 3.5% of a build's
/// instructions); without a limit, whole stretches of words are ([`collapse_all`]).
pub fn collapse_whitespace(text: &str, max_chars: usize) -> String {
    if max_chars == usize::MAX {
        return collapse_all(text);
    }
    let bytes = text.as_bytes();
    let mut collapsed = String::with_capacity(text.len().min(max_chars.saturating_mul(4)));
    let mut chars = 0;
    // Whether whitespace came since the last character copied (or none was copied yet).
    let mut at_word_start = true;
    let mut i = 0;
    while i < bytes.len() {
        // The next run of non-whitespace ASCII, or one other character.
        let (start, end, run_chars, space) = if bytes[i].is_ascii() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii() && !is_ascii_space(bytes[i]) {
                i += 1;
            }
            match i == start {
                true => (start, start + 1, 1, true),
                false => (start, i, i - start, false),
            }
        } else {
            let c = char_at(text, i);
            (i, i + c.len_utf8(), 1, c.is_whitespace())
        };
        i = end;
        if space {
            at_word_start = true;
            continue;
        }
        if at_word_start {
            if chars > max_chars {
                break;
            }
            if !collapsed.is_empty() {
                collapsed.push(' ');
                chars += 1;
            }
            at_word_start = false;
        }
        collapsed.push_str(&text[start..end]);
        chars += run_chars;
    }
    collapsed
}

/// [`collapse_whitespace`] of a whole text: words one space apart, as most of a text's are,
/// are copied together (a word at a time, this was 2.5% of a build's instructions).
fn collapse_all(text: &str) -> String {
    if text.is_ascii() {
        return collapse_ascii(text);
    }
    let bytes = text.as_bytes();
    let mut collapsed = String::with_capacity(text.len());
    // Whether byte `i` starts a character that is not whitespace, and its length.
    let word_char = |i: usize| match bytes[i] {
        b if b.is_ascii() => (!is_ascii_space(b)).then_some(1),
        _ => {
            let c = char_at(text, i);
            (!c.is_whitespace()).then_some(c.len_utf8())
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let Some(len) = word_char(i) else {
            i += char_at(text, i).len_utf8();
            continue;
        };
        // A stretch of words one ASCII space apart, from the word at `i`.
        let start = i;
        i += len;
        while let Some(&b) = bytes.get(i) {
            if ASCII_WORD[usize::from(b)] {
                i += 1;
            } else if b == b' ' {
                match bytes.get(i + 1) {
                    Some(&n) if ASCII_WORD[usize::from(n)] => i += 2,
                    Some(n) if !n.is_ascii() && word_char(i + 1).is_some() => i += 1,
                    _ => break,
                }
            } else if let Some(len) = word_char(i).filter(|_| !b.is_ascii()) {
                i += len;
            } else {
                break;
            }
        }
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(&text[start..i]);
    }
    collapsed
}

/// [`collapse_all`] of an ASCII text: a stretch of words one space apart is found 32 bytes
/// at a time, each byte tested by arithmetic on it and the next, which the compiler reads
/// many at once (the byte loop of `collapse_all`: 10 instructions a byte).
fn collapse_ascii(text: &str) -> String {
    let bytes = text.as_bytes();
    let n = bytes.len();
    // Whether byte `a`, followed by `b`, continues a stretch: a word's, or a space between
    // two words' (`b` is a space past the end).
    let within = |a: u8, b: u8| !is_ascii_space(a) | ((a == b' ') & !is_ascii_space(b));
    let mut collapsed = String::with_capacity(n);
    let mut i = 0;
    loop {
        while i < n && is_ascii_space(bytes[i]) {
            i += 1;
        }
        if i == n {
            return collapsed;
        }
        let start = i;
        while let Some(chunk) = bytes.get(i..i + 33) {
            let pairs = chunk[..32].iter().zip(&chunk[1..]);
            if !pairs.fold(true, |all, (&a, &b)| all & within(a, b)) {
                break;
            }
            i += 32;
        }
        while i < n && within(bytes[i], bytes.get(i + 1).copied().unwrap_or(b' ')) {
            i += 1;
        }
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(&text[start..i]);
    }
}

/// How many words `text` has, as `text.split_whitespace().count()` counts them, without
/// decoding ASCII into `char`s (which cost 1 % of a build, every article's body).
pub fn count_words(text: &str) -> usize {
    if text.is_ascii() {
        // Most bodies: a word starts at the first byte if it is not whitespace, and at each
        // byte that is not after one that is. The pairs of bytes are tested by arithmetic
        // and counted in a byte per 255 of them, so the compiler reads many at once: 18.5 →
        // 6.2 M instructions at 1,000 articles (a table, or a count in `usize`s: 8 and 15
        // instructions a byte).
        let bytes = text.as_bytes();
        let word = |b: u8| !is_ascii_space(b);
        let first = bytes.first().is_some_and(|&b| word(b));
        let mut starts = usize::from(first);
        let mut at = 1;
        while at < bytes.len() {
            let end = (at + 255).min(bytes.len());
            let pairs = bytes[at - 1..end - 1].iter().zip(&bytes[at..end]);
            let n = pairs.fold(0u8, |n, (&a, &b)| n + u8::from(!word(a) & word(b)));
            starts += usize::from(n);
            at = end;
        }
        return starts;
    }
    let bytes = text.as_bytes();
    let (mut words, mut in_word, mut i) = (0, false, 0);
    while let Some(&b) = bytes.get(i) {
        let (len, word) = match b.is_ascii() {
            true => (1, ASCII_WORD[usize::from(b)]),
            false => {
                let c = char_at(text, i);
                (c.len_utf8(), !c.is_whitespace())
            }
        };
        words += usize::from(word && !in_word);
        in_word = word;
        i += len;
    }
    words
}

/// The character that starts at byte `i` of `text` (a space past its end), for the
/// byte-at-a-time readers of text here and in the search index.
pub fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().unwrap_or(' ')
}

/// The ASCII bytes that are not whitespace, by byte.
const ASCII_WORD: [bool; 256] = {
    let mut word = [false; 256];
    let mut b = 0;
    while b < 128 {
        word[b] = !is_ascii_space(b as u8);
        b += 1;
    }
    word
};

/// ASCII whitespace as `char::is_whitespace` reads it (tab to carriage return, space).
const fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// How much raw text [`render`] gathers into [`Rendered::text`] (before whitespace is
/// collapsed): enough for the 3,000 characters the search index keeps of a body.
pub const TEXT_GATHERED: usize = 16 * 1024;

fn apply<'a>(
    hook: &mut dyn FnMut(LinkSite<'_>) -> LinkAction,
    text: &str,
    range: &std::ops::Range<usize>,
    dest: CowStr<'a>,
    image: bool,
) -> CowStr<'a> {
    // Point at the destination itself when it is written inside the link.
    let offset = text
        .get(range.clone())
        .and_then(|src| src.find(dest.as_ref()))
        .filter(|_| !dest.is_empty())
        .map_or(range.start, |i| range.start + i);
    match hook(LinkSite {
        dest: &dest,
        offset,
        image,
    }) {
        LinkAction::Keep => dest,
        LinkAction::Rewrite(url) => CowStr::from(url),
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// GitHub's heading anchor: lower case; letters, digits, `-` and `_` kept; spaces become
/// `-`; everything else dropped. `Time, money & schedule` → `time-money--schedule`.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
}

/// The heading ids of one text: every id given out, and for each automatic base the next
/// number to try, so that N identical headings take linear time, not cubic.
struct HeadingIds<'a> {
    reserved: &'a [&'a str],
    used: std::collections::HashSet<String>,
    next: std::collections::HashMap<String, usize>,
}

impl<'a> HeadingIds<'a> {
    fn new(reserved: &'a [&'a str]) -> Self {
        HeadingIds {
            reserved,
            used: Default::default(),
            next: Default::default(),
        }
    }

    fn taken(&self, id: &str) -> bool {
        self.used.contains(id) || self.reserved.contains(&id)
    }

    /// Takes an explicit id; `Err(reserved)` when it cannot be had (it is still used as
    /// written, and the caller reports it).
    fn claim(&mut self, id: &str) -> Result<(), bool> {
        if self.reserved.contains(&id) {
            return Err(true);
        }
        if !self.used.insert(id.to_string()) {
            return Err(false);
        }
        Ok(())
    }

    /// GitHub's rule: the slug, or the slug with `-1`, `-2`, ... when taken.
    fn unique(&mut self, base: String) -> String {
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        let chosen = if self.taken(&base) {
            let mut n = self.next.get(&base).copied().unwrap_or(1);
            let mut candidate = format!("{base}-{n}");
            while self.taken(&candidate) {
                n += 1;
                candidate = format!("{base}-{n}");
            }
            self.next.insert(base, n + 1);
            candidate
        } else {
            base
        };
        self.used.insert(chosen.clone());
        chosen
    }
}

/// Text made safe for HTML, in content and in quoted attribute values.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep(_: LinkSite<'_>) -> LinkAction {
        LinkAction::Keep
    }

    /// What [`collapse_whitespace`] must give: its words joined by one space, up to the
    /// word that takes the count past `max_chars`.
    fn collapsed_by_words(text: &str, max_chars: usize) -> String {
        let mut out = String::new();
        let mut chars = 0;
        for word in text.split_whitespace() {
            if chars > max_chars {
                break;
            }
            if !out.is_empty() {
                out.push(' ');
                chars += 1;
            }
            out.push_str(word);
            chars += word.chars().count();
        }
        out
    }

    #[test]
    fn whitespace_collapses_as_words_split() {
        let cases = [
            "",
            "   ",
            "one",
            "  one  two\n\nthree\t",
            "caf\u{e9}\u{a0}na\u{ef}ve\u{2003}\u{3000}end",
            "a\u{85}b\u{1c}c\u{b}d\u{c}e",
            "\u{2028}lead and trail\u{2029}",
            "mixed\u{e9}\u{e9}ascii\u{1f600}emoji  x",
        ];
        for text in cases {
            for max in [0, 1, 3, 5, 8, 12, usize::MAX] {
                assert_eq!(
                    collapse_whitespace(text, max),
                    collapsed_by_words(text, max),
                    "{text:?} at {max}"
                );
            }
        }
    }

    proptest::proptest! {
        // Pairs of marks (`*a b*`) are rare among the texts made: many cases.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]
        #[test]
        fn a_plain_text_renders_as_the_parser_renders_it(
            // Mostly what a plain text may hold (web addresses too), now and then
            // something markdown reads.
            text in "(https?://|www\\.|[A-Za-z\u{e9}])?[a-zA-Z0-9 ,.;:'\"?()/%$+=\\-\u{e9}\u{df}\u{a0}\u{85}\u{2028}\u{3000}]{0,30}([*_\\[\\]<>&!#|~{}`\n\t\\\\][a-z ]{0,3}){0,3}",
        ) {
            let mut calls = 0;
            let parsed = parse_inline(&text, false, &["main"], &mut |_| {
                calls += 1;
                LinkAction::Keep
            });
            if is_plain(&text) {
                let plain = plain_inline(&text);
                proptest::prop_assert_eq!(&plain.html, &parsed.html);
                proptest::prop_assert_eq!(&plain.text, &parsed.text);
                proptest::prop_assert!(!parsed.raw_html && parsed.headings.is_empty());
                proptest::prop_assert!(parsed.id_clashes.is_empty() && calls == 0);
            }
        }
    }

    proptest::proptest! {
        /// The ASCII texts most bodies are, read by their own paths: words mostly one
        /// space apart, in stretches long enough to be read 32 bytes at a time.
        #[test]
        fn ascii_words_count_and_collapse_as_words_split(
            text in "([a-z.\u{1c}]{1,9}( | | | |  |\t|\n|\r\n|\u{b}|\u{c})){0,24}[a-z]{0,3}",
        ) {
            proptest::prop_assert_eq!(count_words(&text), text.split_whitespace().count());
            proptest::prop_assert_eq!(
                collapse_whitespace(&text, usize::MAX),
                collapsed_by_words(&text, usize::MAX)
            );
        }

        #[test]
        fn whitespace_collapses_as_words_split_for_any_text(
            text in "[a-z\u{e9}\u{a0}\u{2003} \t\n\r\u{b}\u{1c}]{0,40}",
            max in 0usize..30,
        ) {
            proptest::prop_assert_eq!(collapse_whitespace(&text, max), collapsed_by_words(&text, max));
            proptest::prop_assert_eq!(count_words(&text), text.split_whitespace().count());
            proptest::prop_assert_eq!(
                collapse_whitespace(&text, usize::MAX),
                collapsed_by_words(&text, usize::MAX)
            );
        }
    }

    #[test]
    fn headings_get_github_ids_and_duplicates_are_numbered() {
        let r = render(
            "## Time, money & schedule\n\n## Notes\n\n## Notes\n\n## Custom {#own}\n",
            &[],
            &mut keep,
        );
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["time-money--schedule", "notes", "notes-1", "own"]);
        assert!(
            r.html.contains(r#"<h2 id="time-money--schedule">"#),
            "{}",
            r.html
        );
        assert_eq!(r.headings[3].title, "Custom");
    }

    #[test]
    fn extensions_are_on() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ new[^1]\n\n- [x] done\n\n[^1]: note\n",
            &[],
            &mut keep,
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("footnote"));
        assert!(r.html.contains("checkbox"));
    }

    #[test]
    fn the_hook_sees_destinations_with_offsets_and_can_rewrite() {
        let text = "See [ROI](roi.md#payback) and ![x](a.png).";
        let mut seen = Vec::new();
        let r = render(text, &[], &mut |site: LinkSite<'_>| {
            seen.push((site.dest.to_string(), site.offset, site.image));
            if site.dest.starts_with("roi.md") {
                LinkAction::Rewrite("/articles/roi/#payback".into())
            } else {
                LinkAction::Keep
            }
        });
        assert_eq!(seen[0], ("roi.md#payback".to_string(), 10, false));
        assert_eq!(seen[1], ("a.png".to_string(), 35, true));
        assert!(r.html.contains(r#"href="/articles/roi/#payback""#));
    }

    #[test]
    fn raw_html_is_cleaned_unless_allowed() {
        let text = "## Title\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> \
                    <a href=\"javascript:alert(1)\">x</a> <iframe src=\"https://x\"></iframe>\n\n\
                    - [x] done\n\n| a |\n|--:|\n| 1 |\n\nNote[^1]\n\n[^1]: n\n";
        let clean = render_safe(text, false, &[], &mut keep).html;
        for bad in ["<script", "onerror", "javascript:", "<iframe"] {
            assert!(!clean.contains(bad), "{bad} survived:\n{clean}");
        }
        for kept in [
            r#"<h2 id="title">"#,
            r#"type="checkbox""#,
            r#"style="text-align: right""#,
            r#"class="footnote-definition""#,
            "<img src=\"x\">",
        ] {
            assert!(clean.contains(kept), "{kept} lost:\n{clean}");
        }
        let raw = render_safe(text, true, &[], &mut keep).html;
        assert!(raw.contains("<script>alert(1)</script>"));
        // No raw HTML: nothing to clean, the output is untouched.
        let plain = render_safe("Just *text*", false, &[], &mut keep);
        assert!(!plain.raw_html);
    }

    #[test]
    fn render_gathers_the_same_plain_text_as_plain_text() {
        let text = "# Title\n\nSome *text* and `code`.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> quoted\n\n<b>raw</b>\n";
        assert_eq!(render(text, &[], &mut keep).text, plain_text(text));
        assert_eq!(
            plain_text(text),
            "Title Some text and code. a b 1 2 quoted raw"
        );
    }

    #[test]
    fn inline_rendering_drops_the_paragraph() {
        assert_eq!(
            render_inline("Fast *and* cheap", false, &[], &mut keep).html,
            "Fast <em>and</em> cheap"
        );
        assert_eq!(
            plain_text("Fast *and* [cheap](x)\n\nyes"),
            "Fast and cheap yes"
        );
        // Table cells and code blocks stay separate words.
        assert_eq!(
            plain_text("| a | b |\n| - | - |\n| c | d |\n\n```\ncode\n```\nend"),
            "a b c d code end"
        );
    }

    #[test]
    fn many_identical_headings_take_linear_time() {
        let text = "## Same\n\n".repeat(10_000);
        let started = std::time::Instant::now();
        let r = render(&text, &[], &mut keep);
        assert_eq!(r.headings.len(), 10_000);
        assert_eq!(r.headings[9_999].id, "same-9999");
        let mut ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 10_000, "ids repeat");
        // Cubic time took minutes here; linear takes milliseconds. The bound is loose so a
        // slow machine passes, a quadratic or worse rule does not.
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }

    #[test]
    fn explicit_ids_that_repeat_or_are_reserved_are_reported_and_automatic_ids_avoid_them() {
        let text = "## A\n\n## B {#a}\n\n## C {#x}\n\n## D {#x}\n\n## Main\n\n## E {#main}\n";
        let r = render(text, &["main", "facts"], &mut keep);
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a", "a", "x", "x", "main-1", "main"]);
        let clashes: Vec<(usize, &str, bool)> = r
            .id_clashes
            .iter()
            .map(|c| (c.offset, c.id.as_str(), c.reserved))
            .collect();
        assert_eq!(
            clashes,
            [(6, "a", false), (28, "x", false), (48, "main", true)],
            "{text:?}"
        );
    }

    #[test]
    fn sanitising_keeps_markdown_attributes_and_drops_the_authors() {
        let text = "| a |\n|:-:|\n| <span style=\"position:fixed\">x</span> |\n\n\
                    <td style=\"position:fixed;background:url(https://x)\">y</td>\n\n\
                    <div id=\"main\" class=\"compare-bar footnote-definition\">z</div>\n\n\
                    <p id=\"mine\">w</p>\n\n```rust\nfn x() {}\n```\n";
        let clean = render_safe(text, false, &["main"], &mut keep).html;
        assert!(clean.contains(r#"style="text-align: center""#), "{clean}");
        assert!(!clean.contains("position"), "{clean}");
        assert!(!clean.contains("url("), "{clean}");
        assert!(!clean.contains(r#"id="main""#), "{clean}");
        assert!(!clean.contains("compare-bar"), "{clean}");
        assert!(clean.contains(r#"class="footnote-definition""#), "{clean}");
        assert!(clean.contains(r#"id="mine""#), "{clean}");
        assert!(clean.contains(r#"class="language-rust""#), "{clean}");
    }
}
