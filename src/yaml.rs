//! YAML parsing for `site.yaml`, records and front matter.
//!
//! A thin layer over serde-saphyr that owns two decisions: the resource budget every
//! document is parsed under (alias bombs, deep nesting and huge documents end in an error,
//! not a hang), and turning parser errors into [`Diagnostic`]s at the offending key's own
//! line, with a "did you mean" suggestion for unknown keys.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::{Error, MessageFormatter, Spanned, UserMessageFormatter};

use crate::diagnostics::{Diagnostic, Pos};

/// The deepest nesting a document may have; records need four levels.
pub const MAX_DEPTH: usize = 32;

/// The most nodes (scalars, lists, maps) a document may have.
pub const MAX_NODES: usize = 100_000;

/// Parses `text` (a whole file, or front matter starting `line_offset` lines into the file)
/// into `T`. Errors are reported against `path`, with lines counted from the top of the file.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    path: &Path,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    parse_with(
        text,
        path,
        line_offset,
        serde_saphyr::NonFiniteFloatPolicy::Default,
    )
}

/// [`parse`], with `.inf`, `.nan` and numbers too large for a float (`1e999`) read as
/// non-finite numbers where the type takes any value, so that the caller can report them
/// at their own position with its own message (site.yaml's rates) instead of the parser
/// giving up on the file.
pub fn parse_keeping_non_finite<T: DeserializeOwned>(
    text: &str,
    path: &Path,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    parse_with(
        text,
        path,
        line_offset,
        serde_saphyr::NonFiniteFloatPolicy::PassThrough,
    )
}

fn parse_with<T: DeserializeOwned>(
    text: &str,
    path: &Path,
    line_offset: usize,
    non_finite: serde_saphyr::NonFiniteFloatPolicy,
) -> Result<T, Diagnostic> {
    let budget = serde_saphyr::budget! {
        max_depth: MAX_DEPTH,
        flow_nesting_limit: MAX_DEPTH,
        max_nodes: MAX_NODES,
        max_events: 400_000,
        max_aliases: 1_000,
        max_anchors: 1_000,
        max_recorded_anchor_events: 100_000,
        max_documents: 1,
    };
    let options = serde_saphyr::options! {
        budget: budget,
        strict_booleans: true,
        non_finite_float_policy: non_finite,
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 100_000,
        },
    };
    serde_saphyr::from_str_with_options(text, options)
        .map_err(|e| to_diagnostic(&e, path, text, line_offset))
}

/// A value and where it is written (where it starts, counted from the top of the file):
/// what serde-saphyr's `Spanned` gives, in a form that `content::record`'s
/// fast reader can make too (a `Spanned`'s location cannot be made outside serde-saphyr).
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub pos: Pos,
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for At<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Spanned::<T>::deserialize(d)?;
        let pos = pos(&s, 0);
        Ok(At {
            value: s.value,
            pos,
        })
    }
}

/// Where a spanned value starts, counted from the top of the file.
pub fn pos<T>(s: &Spanned<T>, line_offset: usize) -> Pos {
    let loc = s.referenced;
    Pos::new(loc.line() as usize, loc.column() as usize).down(line_offset)
}

fn to_diagnostic(err: &Error, path: &Path, text: &str, line_offset: usize) -> Diagnostic {
    let at = err
        .location()
        .map(|l| Pos::new(l.line() as usize, l.column() as usize))
        .unwrap_or(Pos::new(1, 1));
    let msg = message(err);
    if msg.contains("Documents {") {
        return Diagnostic::at(
            path,
            at.down(line_offset),
            "a second YAML document starts here (`---`): a file holds one document; remove \
             this line and what follows, or move it into a file of its own",
        );
    }
    // A syntax error far from its cause: a bracket or quote opened earlier and never
    // closed. Point at the opening, and say where the parser gave up.
    let is_serde = matches!(
        err.without_snippet(),
        Error::SerdeUnknownField { .. }
            | Error::SerdeMissingField { .. }
            | Error::SerdeUnknownVariant { .. }
    );
    if !is_serde
        && !msg.starts_with("unclosed")
        && let Some((opener, open_at)) = unclosed_before(text, at)
    {
        let what = if opener == '"' || opener == '\'' {
            "quote"
        } else {
            "bracket"
        };
        return Diagnostic::at(
            path,
            open_at.down(line_offset),
            format!(
                "this {what} `{opener}` is never closed (the YAML parser gave up at {}:{}: {msg})",
                at.down(line_offset).line,
                at.column
            ),
        );
    }
    Diagnostic::at(path, at.down(line_offset), msg)
}

/// The innermost flow bracket (`[`, `{`) or quote opened before `stop` and still open
/// there. An approximation of YAML's own scanner that only runs once the parser has
/// failed: openers count at the start of a value (after indentation, `- `, `: `, and inside
/// brackets after `[`, `{` or `,`); comments and quoted text are skipped.
fn unclosed_before(text: &str, stop: Pos) -> Option<(char, Pos)> {
    let mut stack: Vec<(char, Pos)> = Vec::new();
    let mut quote: Option<(char, Pos)> = None;
    for (i, line) in text.lines().enumerate().take(stop.line) {
        let line_no = i + 1;
        let chars: Vec<char> = line.chars().collect();
        let end = if line_no == stop.line {
            (stop.column.saturating_sub(1)).min(chars.len())
        } else {
            chars.len()
        };
        let mut value_start = true;
        let mut col = 0;
        while col < end {
            let c = chars[col];
            let pos = Pos::new(line_no, col + 1);
            if let Some((q, _)) = quote {
                if c == '\\' && q == '"' {
                    col += 2;
                    continue;
                }
                if c == q {
                    if q == '\'' && chars.get(col + 1) == Some(&'\'') {
                        col += 2;
                        continue;
                    }
                    quote = None;
                    value_start = false;
                }
                col += 1;
                continue;
            }
            match c {
                ' ' | '\t' => {}
                '#' if col == 0 || chars[col - 1] == ' ' => break,
                '[' | '{' if value_start => {
                    stack.push((c, pos));
                    value_start = true;
                    col += 1;
                    continue;
                }
                ']' | '}' if !stack.is_empty() => {
                    stack.pop();
                    value_start = false;
                }
                '"' | '\'' if value_start => quote = Some((c, pos)),
                ',' if !stack.is_empty() => {
                    value_start = true;
                    col += 1;
                    continue;
                }
                ':' | '-' if chars.get(col + 1).is_none_or(|n| *n == ' ') => {
                    value_start = true;
                    col += 1;
                    continue;
                }
                _ => value_start = false,
            }
            col += 1;
        }
    }
    quote.or_else(|| stack.pop())
}

fn message(err: &Error) -> String {
    match err.without_snippet() {
        Error::SerdeUnknownField {
            field, expected, ..
        } => unknown_key_message(field, expected),
        Error::SerdeMissingField { field, .. } => format!("missing required key `{field}`"),
        Error::SerdeUnknownVariant {
            variant, expected, ..
        } => format!(
            "unknown value `{variant}`{}; expected one of: {}",
            did_you_mean(variant, expected),
            expected.join(", ")
        ),
        Error::NullIntoString { .. } => {
            "this value is empty; write some text, or remove the key".to_string()
        }
        Error::DuplicateMappingKey { .. } => {
            let base = UserMessageFormatter.format_message(err).into_owned();
            format!("{base} (each key may appear once)")
        }
        Error::Eof { .. } => "the document is empty or ends too early".to_string(),
        other => {
            let text = UserMessageFormatter.format_message(other).into_owned();
            match text.as_str() {
                "expected sequence start" => {
                    "expected a list here (`[a, b]` or `- a` lines)".into()
                }
                "expected mapping start" | "expected struct mapping start" => {
                    "expected a mapping here (`key: value` lines)".into()
                }
                "expected string scalar" => "expected text here, not a list or mapping".into(),
                t if t.contains("budget breached") || t.contains("too large or too complex") => {
                    format!(
                        "the YAML is too large or too deeply nested to be a guide entry ({t}); \
                         aliases may not expand to more than a few thousand values"
                    )
                }
                _ => text,
            }
        }
    }
}

/// "unknown key `nmae`; did you mean `name`? (expected one of: ...)"
pub fn unknown_key_message(field: &str, expected: &[&str]) -> String {
    let hint = did_you_mean(field, expected);
    if hint.is_empty() {
        format!(
            "unknown key `{field}`; expected one of: {}",
            expected.join(", ")
        )
    } else {
        format!("unknown key `{field}`{hint}")
    }
}

/// `"; did you mean `x`?"` when one of `candidates` is close to `word`, else `""`.
pub fn did_you_mean(word: &str, candidates: &[&str]) -> String {
    closest(word, candidates)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word_lc = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (strsim::osa_distance(&word_lc, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.chars().count().max(word.chars().count()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        name: String,
        cost: Option<Cost>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Cost {
        amount: Option<f64>,
        currency: Option<String>,
    }

    #[test]
    fn unknown_nested_key_is_reported_on_its_own_line_with_a_suggestion() {
        let err = parse::<Doc>(
            "name: A\ncost:\n  amount: 5\n  curency: USD\n",
            "a.yaml".as_ref(),
            0,
        )
        .unwrap_err();
        assert_eq!((err.line, err.column), (4, 3));
        assert!(
            err.message.contains("did you mean `currency`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn front_matter_lines_count_from_the_top_of_the_file() {
        let err = parse::<Doc>("nmae: A\n", "a.md".as_ref(), 1).unwrap_err();
        assert_eq!((err.line, err.column), (2, 1));
        assert!(
            err.message.contains("did you mean `name`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn alias_bombs_end_in_an_error() {
        let mut text = String::from("name: x\ncost:\n  currency: &a [1,1,1,1,1,1,1,1,1,1]\n");
        for (i, c) in "bcdefghij".chars().enumerate() {
            let prev = (b'a' + i as u8) as char;
            text.push_str(&format!("x{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        let err = parse::<serde_json::Value>(&text, "a.yaml".as_ref(), 0).unwrap_err();
        assert!(err.message.contains("too large"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_ends_in_an_error() {
        let text = format!("name: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let err = parse::<serde_json::Value>(&text, "a.yaml".as_ref(), 0).unwrap_err();
        assert_eq!(err.line, 1);
    }

    #[test]
    fn suggestions_need_a_close_match() {
        assert_eq!(closest("acronim", &["name", "acronym"]), Some("acronym"));
        assert_eq!(closest("zzzz", &["name", "acronym"]), None);
        assert_eq!(closest("naem", &["name"]), Some("name"));
    }

    #[test]
    fn an_unclosed_bracket_is_reported_where_it_opens() {
        let err = parse::<serde_json::Value>(
            "title: x\nfacets: [\n  { field: audience }\ncolumns: [a, b]\n",
            "site.yaml".as_ref(),
            0,
        )
        .unwrap_err();
        assert_eq!((err.line, err.column), (2, 9), "{}", err.message);
        assert!(
            err.message.contains("`[` is never closed"),
            "{}",
            err.message
        );
        assert!(err.message.contains("gave up at 4:"), "{}", err.message);
        // Front matter: lines count from the top of the file.
        let err = parse::<serde_json::Value>(
            "title: x\ntags: [a, b\ndate: 2026-01-01\n",
            "a.md".as_ref(),
            1,
        )
        .unwrap_err();
        assert_eq!((err.line, err.column), (3, 7), "{}", err.message);
        assert_eq!(
            unclosed_before("a: 'it''s [ok'\nb: \"x # y\"\n", Pos::new(3, 1)),
            None
        );
    }

    #[test]
    fn a_second_document_is_named_as_such() {
        let err = parse::<serde_json::Value>("name: a\n---\nname: b\n", "a.yaml".as_ref(), 0)
            .unwrap_err();
        assert_eq!((err.line, err.column), (2, 1));
        assert!(
            err.message.contains("a second YAML document"),
            "{}",
            err.message
        );
    }
}
