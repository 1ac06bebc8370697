//! Facts quoted from records in an article's or page's markdown (DESIGN.md Part 2, "Facts in
//! articles"): `{{ fact("cccm", "cost") }}` inline, and on a line of its own
//! `{{ compare("cccm", "swmp", fields=["cost", "effort.hours"]) }}`.
//!
//! Parsing a document finds the calls outside code spans and code blocks (`\{{` is left
//! for markdown, which writes it as a literal `{{`) and replaces each with a marker of the
//! same length, so that every later offset still points at the same place in the file.
//! The markers pass through markdown as text; rendering puts the quoted values in their
//! place ([`crate::render`]), once every record is loaded. Whether the ids and fields exist
//! is checked site-wide ([`crate::validate`]).

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::diagnostics::{LineIndex, Pos};

/// The characters a marker starts and ends with (private use: no text holds them).
pub const OPEN: char = '\u{F8F0}';
pub const CLOSE: char = '\u{F8F1}';

/// A name as written in a call, with where.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub value: String,
    pub pos: Pos,
}

/// One call.
#[derive(Debug, Clone, PartialEq)]
pub enum Quote {
    /// `fact("id", "field")`: one value, inline.
    Fact { id: Named, field: Named },
    /// `compare("a", "b", fields=[...])`: a table of records and fields, a block.
    Compare { ids: Vec<Named>, fields: Vec<Named> },
}

impl Quote {
    /// The record ids it names.
    pub fn ids(&self) -> Vec<&Named> {
        match self {
            Quote::Fact { id, .. } => vec![id],
            Quote::Compare { ids, .. } => ids.iter().collect(),
        }
    }

    /// The field names it names.
    pub fn fields(&self) -> Vec<&Named> {
        match self {
            Quote::Fact { field, .. } => vec![field],
            Quote::Compare { fields, .. } => fields.iter().collect(),
        }
    }
}

/// What [`extract`] found: the body with markers, the calls (marker `N` is `quotes[N]`),
/// and the problems with calls that could not be read, each with where.
#[derive(Debug, Default)]
pub struct Extracted {
    pub body: String,
    pub quotes: Vec<Quote>,
    pub problems: Vec<(Pos, String)>,
}

/// The names `fact` and `compare` may quote: every field path and group (as in `covers`),
/// and the computed `total_cost`.
pub fn quotable() -> Vec<&'static str> {
    let mut names = super::fields::coverable();
    names.extend(
        super::RECORD_FIELDS
            .iter()
            .filter(|f| !f.written())
            .map(|f| f.path),
    );
    names
}

/// Finds the calls in `body` (which starts at byte `start` of the file `index` covers).
pub fn extract(body: &str, index: &LineIndex<'_>, start: usize) -> Extracted {
    let mut out = Extracted::default();
    if !body.contains("{{") {
        out.body = body.to_string();
        return out;
    }
    let code = code_ranges(body);
    let in_code = |at: usize| code.iter().any(|r| r.contains(&at));
    let mut text = String::with_capacity(body.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = body[from..].find("{{") {
        let at = from + found;
        from = at + 2;
        let escaped = body[..at].ends_with('\\');
        if escaped || in_code(at) {
            continue;
        }
        let rest = &body[at + 2..];
        let name = rest.trim_start();
        if !(name.starts_with("fact(") || name.starts_with("compare(")) {
            continue;
        }
        let pos_of = |offset: usize| index.pos(start + offset);
        match parse_call(body, at, &pos_of) {
            Ok((quote, end)) => {
                if let Quote::Compare { .. } = quote
                    && !alone_on_its_line(body, at, end)
                {
                    out.problems.push((
                        pos_of(at),
                        "`compare(...)` makes a table: put it on a line of its own".into(),
                    ));
                }
                text.push_str(&body[copied..at]);
                text.push_str(&marker(out.quotes.len(), end - at));
                copied = end;
                from = end;
                out.quotes.push(quote);
            }
            Err((offset, msg)) => out.problems.push((pos_of(offset), msg)),
        }
    }
    text.push_str(&body[copied..]);
    out.body = text;
    out
}

/// The marker of quote `n`, `len` bytes long (at least 7 and the digits of `n`).
fn marker(n: usize, len: usize) -> String {
    let digits = n.to_string();
    let width = len.saturating_sub(OPEN.len_utf8() + CLOSE.len_utf8());
    format!("{OPEN}{digits:0>width$}{CLOSE}")
}

/// The quote numbers of the markers in `text`, with their byte ranges.
pub fn markers(text: &str) -> Vec<(usize, std::ops::Range<usize>)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(OPEN) {
        let start = from + i;
        let digits_at = start + OPEN.len_utf8();
        let digits = text[digits_at..]
            .find(|c: char| !c.is_ascii_digit())
            .map_or(&text[digits_at..], |e| &text[digits_at..digits_at + e]);
        let end = digits_at + digits.len();
        if text[end..].starts_with(CLOSE)
            && let Ok(n) = digits.parse::<usize>()
        {
            found.push((n, start..end + CLOSE.len_utf8()));
            from = end + CLOSE.len_utf8();
        } else {
            from = digits_at;
        }
    }
    found
}

/// `text` without its markers (plain text for the search index).
pub fn strip_markers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (_, range) in markers(text) {
        out.push_str(&text[last..range.start]);
        last = range.end;
    }
    out.push_str(&text[last..]);
    out
}

/// The byte ranges of code spans and code blocks in `body`.
fn code_ranges(body: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut block: Option<usize> = None;
    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Code(_) => ranges.push(range),
            Event::Start(Tag::CodeBlock(_)) => block = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(s) = block.take() {
                    ranges.push(s..range.end.max(s));
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

fn alone_on_its_line(body: &str, start: usize, end: usize) -> bool {
    let line_start = body[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = body[end..].find('\n').map_or(body.len(), |i| end + i);
    body[line_start..start].trim().is_empty() && body[end..line_end].trim().is_empty()
}

type CallError = (usize, String);

/// Reads `{{ name(args) }}` starting at `at` (the first `{`). Returns the call and the
/// offset just after its `}}`.
fn parse_call(
    body: &str,
    at: usize,
    pos_of: &dyn Fn(usize) -> Pos,
) -> Result<(Quote, usize), CallError> {
    let mut p = Cursor { body, at: at + 2 };
    p.skip_ws();
    let name = p.ident();
    p.expect('(')?;
    let mut strings: Vec<Named> = Vec::new();
    let mut fields: Option<Vec<Named>> = None;
    loop {
        p.skip_ws();
        if p.eat(')') {
            break;
        }
        if !strings.is_empty() || fields.is_some() {
            p.expect(',')?;
            p.skip_ws();
            if p.eat(')') {
                break;
            }
        }
        if p.peek() == Some('"') || p.peek() == Some('\'') {
            if fields.is_some() {
                return Err((p.at, "`fields=[...]` comes after the record ids".into()));
            }
            strings.push(p.string(pos_of)?);
        } else {
            let key_at = p.at;
            let key = p.ident();
            if key != "fields" || name != "compare" {
                return Err((
                    key_at,
                    format!(
                        "expected a quoted value{}, not `{}`",
                        if name == "compare" {
                            " or `fields=[...]`"
                        } else {
                            ""
                        },
                        p.snippet(key_at)
                    ),
                ));
            }
            p.skip_ws();
            p.expect('=')?;
            p.skip_ws();
            p.expect('[')?;
            let mut list = Vec::new();
            loop {
                p.skip_ws();
                if p.eat(']') {
                    break;
                }
                if !list.is_empty() {
                    p.expect(',')?;
                    p.skip_ws();
                    if p.eat(']') {
                        break;
                    }
                }
                list.push(p.string(pos_of)?);
            }
            fields = Some(list);
        }
    }
    p.skip_ws();
    if !p.body[p.at..].starts_with("}}") {
        return Err((p.at, "expected `}}` to close the quote".into()));
    }
    let end = p.at + 2;
    let quote = match name {
        "fact" => {
            let [id, field]: [Named; 2] = strings.try_into().map_err(|_| {
                (
                    at,
                    "`fact` takes a record id and a field: `{{ fact(\"cccm\", \"cost\") }}`"
                        .to_string(),
                )
            })?;
            Quote::Fact { id, field }
        }
        _ => {
            let fields = fields.unwrap_or_default();
            if strings.is_empty() || fields.is_empty() {
                return Err((
                    at,
                    "`compare` takes record ids and fields: `{{ compare(\"cccm\", \"swmp\", \
                     fields=[\"cost\", \"effort.hours\"]) }}`"
                        .into(),
                ));
            }
            Quote::Compare {
                ids: strings,
                fields,
            }
        }
    };
    Ok((quote, end))
}

struct Cursor<'a> {
    body: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<char> {
        self.body[self.at..].chars().next()
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.peek().filter(|c| c.is_whitespace()) {
            self.at += c.len_utf8();
        }
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.at += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<(), CallError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err((
                self.at,
                format!("expected `{c}` here, not `{}`", self.snippet(self.at)),
            ))
        }
    }

    fn ident(&mut self) -> &'a str {
        let start = self.at;
        while let Some(c) = self
            .peek()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        {
            self.at += c.len_utf8();
        }
        &self.body[start..self.at]
    }

    fn snippet(&self, at: usize) -> String {
        let rest = &self.body[at..];
        let end = rest
            .char_indices()
            .nth(12)
            .map_or(rest.len(), |(i, _)| i)
            .min(rest.find('\n').unwrap_or(rest.len()));
        if end == 0 {
            "the end of the line".into()
        } else {
            rest[..end].to_string()
        }
    }

    /// A string in double or single quotes, on one line.
    fn string(&mut self, pos_of: &dyn Fn(usize) -> Pos) -> Result<Named, CallError> {
        let start = self.at;
        let quote = match self.peek() {
            Some(q @ ('"' | '\'')) => q,
            _ => {
                return Err((
                    start,
                    format!(
                        "expected a quoted value here, not `{}`",
                        self.snippet(start)
                    ),
                ));
            }
        };
        self.at += 1;
        let rest = &self.body[self.at..];
        match rest.find([quote, '\n']) {
            Some(i) if rest[i..].starts_with(quote) => {
                let value = rest[..i].to_string();
                self.at += i + 1;
                Ok(Named {
                    value,
                    pos: pos_of(start + 1),
                })
            }
            _ => Err((start, format!("this quoted value has no closing {quote}"))),
        }
    }
}

/// Whether a record has the fact `name` (a field path, a group or `total_cost`).
pub fn present(r: &super::Record, name: &str) -> bool {
    use super::FieldValue;
    super::RECORD_FIELDS
        .iter()
        .filter(|f| f.path == name || f.group() == Some(name))
        .any(|f| (f.get)(r) != FieldValue::Missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> Extracted {
        let index = LineIndex::new(body);
        extract(body, &index, 0)
    }

    #[test]
    fn calls_become_markers_of_the_same_length() {
        let body = "Costs {{ fact(\"cccm\", \"cost\") }} today.\n\n{{ compare('a', \"b\", fields=[\"cost\", \"total_cost\"]) }}\n";
        let out = run(body);
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        assert_eq!(out.body.len(), body.len());
        assert_eq!(out.quotes.len(), 2);
        match &out.quotes[0] {
            Quote::Fact { id, field } => {
                assert_eq!((id.value.as_str(), field.value.as_str()), ("cccm", "cost"));
                assert_eq!((id.pos.line, id.pos.column), (1, 16));
                assert_eq!((field.pos.line, field.pos.column), (1, 24));
            }
            other => panic!("{other:?}"),
        }
        let found = markers(&out.body);
        assert_eq!(found.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(strip_markers(&out.body), "Costs  today.\n\n\n");
    }

    #[test]
    fn code_and_escapes_are_left_alone() {
        let body = "`{{ fact(\"a\", \"cost\") }}` and \\{{ fact(\"a\", \"cost\") }}\n\n```\n{{ fact(\"a\", \"cost\") }}\n```\n\n    {{ fact(\"a\", \"cost\") }}\n\n{{ other }}\n";
        let out = run(body);
        assert!(out.quotes.is_empty(), "{:?}", out.quotes);
        assert!(out.problems.is_empty());
        assert_eq!(out.body, body);
    }

    #[test]
    fn malformed_calls_are_reported_where_they_go_wrong() {
        let out = run(
            "A {{ fact(\"a\") }}\nB {{ fact(\"a\", cost) }}\nC {{ compare(\"a\", fields=[\"cost\"]) }}\n",
        );
        let at: Vec<(usize, usize)> = out
            .problems
            .iter()
            .map(|(p, _)| (p.line, p.column))
            .collect();
        assert_eq!(at, [(1, 3), (2, 16), (3, 3)], "{:?}", out.problems);
        assert!(out.problems[2].1.contains("line of its own"));
    }
}
