//! A reader of the plain YAML records and front matter are written in — `key: value`
//! lines, nested maps and `- item` lists by indentation, one-line flow collections
//! (`{ amount: 610, currency: GBP }`, `[a, b]`), quoted or plain one-line scalars — into a
//! tree of [`Node`]s, without serde; [`Read`] and `read_struct!` make typed values from
//! it. It is the fast path of `content::record` and `content::document`'s front
//! matter: serde-saphyr spent ~140 instructions a byte in its parser and as much again in
//! its serde layer, a fifth of a build's instructions.
//!
//! It reads a strict subset and gives up (`None`) on anything else: anchors, aliases,
//! tags, block scalars, multi-line scalars, escapes, comments after a value, tabs,
//! carriage returns, document markers, nesting deeper than `MAX_DEPTH`, more nodes than
//! [`crate::yaml::MAX_NODES`]; and [`Read`] gives up on any value it cannot take exactly as
//! serde-saphyr would. The caller then parses the text with [`crate::yaml::parse`], which
//! has every rule, budget and error message: every error still comes from there. Its work
//! is one pass over the lines, so no input makes it slow.

use crate::diagnostics::Pos;
use crate::yaml::At;

/// Nesting deeper than records have gives up (a record's is at most four).
const MAX_DEPTH: usize = 8;

/// A node of the tree.
#[derive(Debug)]
pub enum Node<'a> {
    Scalar(Scalar<'a>),
    Seq(Vec<Node<'a>>),
    Map(Vec<(Scalar<'a>, Node<'a>)>),
}

/// A scalar as written: its text (without quotes), whether it was quoted, and where it
/// starts (its opening quote, when quoted).
#[derive(Debug, Clone, Copy)]
pub struct Scalar<'a> {
    pub text: &'a str,
    pub quoted: bool,
    pub pos: Pos,
}

impl Scalar<'_> {
    /// A plain scalar that YAML reads as null (`~`, `null`, or nothing at all).
    pub fn is_null(&self) -> bool {
        !self.quoted && matches!(self.text, "" | "~" | "null" | "Null" | "NULL")
    }
}

/// One line with content: its number, indentation (spaces) and text after it.
#[derive(Clone, Copy)]
struct Line<'a> {
    number: usize,
    indent: usize,
    text: &'a str,
}

/// The document `text` as a tree, or `None` when it is not in the subset this reads.
pub fn parse(text: &str) -> Option<Node<'_>> {
    // Bytes, not characters (a search for a set of characters decodes each one), all of
    // them: a search that stops at the first reads one byte at a time, 4 instructions
    // each, where this is read many at once.
    let tab_or_cr = text
        .bytes()
        .fold(false, |seen, b| seen | (b == b'\t') | (b == b'\r'));
    if tab_or_cr || text.starts_with('\u{feff}') {
        return None;
    }
    let mut lines = Vec::new();
    // The lines as `split('\n')` gives them, found by memchr's SIMD search.
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]);
    let mut start = 0;
    for (i, end) in ends.enumerate() {
        let raw = &text[start..end];
        start = end + 1;
        let body = raw.trim_start_matches(' ');
        let content = body.trim_end_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if content.starts_with("---") || content.starts_with("...") || content.starts_with('%') {
            return None;
        }
        lines.push(Line {
            number: i + 1,
            indent: raw.len() - body.len(),
            text: content,
        });
    }
    let mut reader = Reader { lines, at: 0 };
    let first = *reader.lines.first()?;
    if first.indent != 0 {
        return None;
    }
    let node = reader.block(0, 0)?;
    // A document over the node budget is left to serde-saphyr, which reports it.
    let whole = reader.at == reader.lines.len() && node.count() <= crate::yaml::MAX_NODES;
    whole.then_some(node)
}

impl Node<'_> {
    /// The nodes in this one, itself included.
    fn count(&self) -> usize {
        1 + match self {
            Node::Scalar(_) => 0,
            Node::Seq(items) => items.iter().map(Node::count).sum(),
            Node::Map(entries) => entries.iter().map(|(_, v)| 1 + v.count()).sum(),
        }
    }
}

struct Reader<'a> {
    lines: Vec<Line<'a>>,
    at: usize,
}

fn is_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<Line<'a>> {
        self.lines.get(self.at).copied()
    }

    /// The map or list that starts at the current line, indented `indent`.
    fn block(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let line = self.peek()?;
        if line.indent != indent {
            return None;
        }
        match is_item(line.text) {
            true => self.seq(indent, depth),
            false => self.map(indent, depth),
        }
    }

    fn map(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        let mut entries = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent || is_item(line.text) {
                return None;
            }
            let (key, rest, rest_column) = split_key(line)?;
            self.at += 1;
            let value = if rest.is_empty() {
                match self.peek() {
                    Some(next) if next.indent > indent => self.block(next.indent, depth + 1)?,
                    // A list may sit at its key's own indentation.
                    Some(next) if next.indent == indent && is_item(next.text) => {
                        self.seq(indent, depth + 1)?
                    }
                    _ => Node::Scalar(Scalar {
                        text: "",
                        quoted: false,
                        pos: Pos::new(line.number, rest_column),
                    }),
                }
            } else {
                value(rest, line.number, rest_column)?
            };
            entries.push((key, value));
        }
        Some(Node::Map(entries))
    }

    fn seq(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        let mut items = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent < indent || (line.indent == indent && !is_item(line.text)) {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let after = line.text.strip_prefix('-')?.trim_start_matches(' ');
            if after.is_empty() {
                return None;
            }
            // Where the item starts, as an indentation: a map's further keys line up there.
            let item_indent = line.indent + (line.text.len() - after.len());
            if split_key(Line {
                text: after,
                ..line
            })
            .is_some()
            {
                // `- key: value`: the item is a map whose first line is this one's rest.
                self.lines[self.at] = Line {
                    indent: item_indent,
                    text: after,
                    ..line
                };
                items.push(self.map(item_indent, depth + 1)?);
            } else {
                self.at += 1;
                items.push(value(after, line.number, item_indent + 1)?);
            }
        }
        Some(Node::Seq(items))
    }
}

/// `key: rest` (or `key:`): the key, the rest and the column it starts at. Only keys of
/// letters, digits and `_` are read here.
fn split_key(line: Line<'_>) -> Option<(Scalar<'_>, &str, usize)> {
    let colon = line.text.find(':')?;
    let key = &line.text[..colon];
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    let after = &line.text[colon + 1..];
    if !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    let rest = after.trim_start_matches(' ');
    let key = Scalar {
        text: key,
        quoted: false,
        pos: Pos::new(line.number, line.indent + 1),
    };
    // Keys are ASCII: bytes are characters up to the rest.
    let rest_column = line.indent + line.text.len() - rest.len() + 1;
    Some((key, rest, rest_column))
}

/// A one-line value that is all of `text`, starting at `column` of line `number`: a
/// scalar, or a flow collection (`{ a: 1, b: [x, y] }`) on one line.
fn value(text: &str, number: usize, column: usize) -> Option<Node<'_>> {
    if !text.starts_with(['{', '[']) {
        return scalar(text, number, column).map(Node::Scalar);
    }
    let mut flow = Flow {
        text,
        at: 0,
        number,
        column,
        counted: (0, 0),
    };
    let node = flow.node(0)?;
    flow.spaces();
    (flow.at == text.len()).then_some(node)
}

/// A flow collection being read: `text` from byte `at`, which starts at `column`.
struct Flow<'a> {
    text: &'a str,
    at: usize,
    number: usize,
    column: usize,
    /// Characters counted up to byte `counted.0` (`counted.1` of them): positions are
    /// counted on from the last, so a long line is read in one pass.
    counted: (usize, usize),
}

impl<'a> Flow<'a> {
    fn spaces(&mut self) {
        let rest = &self.text[self.at..];
        self.at += rest.len() - rest.trim_start_matches(' ').len();
    }

    fn pos(&mut self) -> Pos {
        let (from, chars) = self.counted;
        let chars = chars + self.text[from..self.at].chars().count();
        self.counted = (self.at, chars);
        Pos::new(self.number, self.column + chars)
    }

    /// Takes `c` when it is next (after spaces).
    fn eat(&mut self, c: u8) -> bool {
        self.spaces();
        let next = self.text.as_bytes().get(self.at) == Some(&c);
        self.at += usize::from(next);
        next
    }

    fn node(&mut self, depth: usize) -> Option<Node<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.spaces();
        if self.eat(b'{') {
            let mut entries = Vec::new();
            while !self.eat(b'}') {
                if !entries.is_empty() && !self.eat(b',') {
                    return None;
                }
                self.spaces();
                let pos = self.pos();
                let rest = &self.text[self.at..];
                let len = rest
                    .bytes()
                    .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                    .count();
                if len == 0 || !rest[len..].starts_with(": ") {
                    return None;
                }
                let key = Scalar {
                    text: &rest[..len],
                    quoted: false,
                    pos,
                };
                self.at += len + 1;
                entries.push((key, self.node(depth + 1)?));
            }
            return Some(Node::Map(entries));
        }
        if self.eat(b'[') {
            let mut items = Vec::new();
            while !self.eat(b']') {
                if !items.is_empty() && !self.eat(b',') {
                    return None;
                }
                items.push(self.node(depth + 1)?);
            }
            return Some(Node::Seq(items));
        }
        // A scalar: quoted up to its closing quote, or plain up to `,`, `]` or `}`.
        let pos = self.pos();
        let rest = &self.text[self.at..];
        let len = match rest.as_bytes().first()? {
            q @ (b'"' | b'\'') => rest[1..].find(char::from(*q))? + 2,
            _ => rest.find([',', ']', '}']).unwrap_or(rest.len()),
        };
        let text = rest[..len].trim_end_matches(' ');
        self.at += len;
        let plain_in_flow = text.starts_with(['"', '\'']) || !text.contains(['[', '{']);
        plain_in_flow
            .then(|| scalar(text, pos.line, pos.column))
            .flatten()
            .map(Node::Scalar)
    }
}

/// A one-line scalar that is all of `text`, starting at `column` of line `number`.
fn scalar(text: &str, number: usize, column: usize) -> Option<Scalar<'_>> {
    let pos = Pos::new(number, column);
    let quoted = |q: char| -> Option<Scalar<'_>> {
        let inner = text.strip_prefix(q)?.strip_suffix(q)?;
        (!inner.contains(q) && !inner.contains('\\')).then_some(Scalar {
            text: inner,
            quoted: true,
            pos,
        })
    };
    match text.as_bytes().first()? {
        b'"' => quoted('"'),
        b'\'' => quoted('\''),
        b'-' if text.len() > 1 && !text[1..].starts_with(' ') => plain(text, pos),
        b'-' | b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!'
        | b'|' | b'>' | b'%' | b'@' | b'`' => None,
        _ => plain(text, pos),
    }
}

fn plain(text: &str, pos: Pos) -> Option<Scalar<'_>> {
    let simple = !text.contains(": ") && !text.contains(" #") && !text.ends_with(':');
    simple.then_some(Scalar {
        text,
        quoted: false,
        pos,
    })
}

/// A value read from a [`Node`] (a record's, a front matter's); `None` when it is not
/// in the form the fast path reads exactly as serde-saphyr would.
pub trait Read: Sized {
    fn read(node: &Node<'_>) -> Option<Self>;
    /// The value of a key that is not written: `None` (the full way) unless optional.
    fn absent() -> Option<Self> {
        None
    }
}

fn scalar_of<'n>(node: &'n Node<'_>) -> Option<&'n Scalar<'n>> {
    match node {
        Node::Scalar(s) => Some(s),
        _ => None,
    }
}

impl Read for String {
    fn read(node: &Node<'_>) -> Option<String> {
        let s = scalar_of(node)?;
        (!s.is_null()).then(|| s.text.to_string())
    }
}

impl Read for f64 {
    /// Only plain decimals (`60`, `-1.5`): other numbers' forms are the full way's.
    fn read(node: &Node<'_>) -> Option<f64> {
        decimal(node, true)?.parse().ok()
    }
}

impl Read for i64 {
    /// Only plain decimal integers (`3`, `-10`).
    fn read(node: &Node<'_>) -> Option<i64> {
        decimal(node, false)?.parse().ok()
    }
}

/// A plain (unquoted) decimal number, with a fraction when `fraction` allows it: an
/// optional `-`, then digits with no leading zero (serde-saphyr rejects `01` as an
/// integer), at most 15 characters in all.
fn decimal<'n>(node: &'n Node<'_>, fraction: bool) -> Option<&'n str> {
    let s = scalar_of(node)?;
    let digits = s.text.strip_prefix('-').unwrap_or(s.text);
    let (whole, part) = match digits.split_once('.') {
        Some((whole, part)) if fraction => (whole, part),
        Some(_) => return None,
        None => (digits, "0"),
    };
    let plain = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    let simple = !s.quoted
        && plain(whole)
        && plain(part)
        && (whole == "0" || !whole.starts_with('0'))
        && digits.len() <= 15;
    simple.then_some(s.text)
}

impl Read for bool {
    fn read(node: &Node<'_>) -> Option<bool> {
        let s = scalar_of(node)?;
        match (s.quoted, s.text) {
            (false, "true") => Some(true),
            (false, "false") => Some(false),
            _ => None,
        }
    }
}

impl<T: Read> Read for At<T> {
    fn read(node: &Node<'_>) -> Option<At<T>> {
        let pos = scalar_of(node)?.pos;
        Some(At {
            value: T::read(node)?,
            pos,
        })
    }
}

impl<T: Read> Read for Vec<T> {
    fn read(node: &Node<'_>) -> Option<Vec<T>> {
        match node {
            Node::Seq(items) => items.iter().map(T::read).collect(),
            _ => None,
        }
    }
}

impl<T: Read> Read for Option<T> {
    fn read(node: &Node<'_>) -> Option<Option<T>> {
        match node {
            Node::Scalar(s) if s.is_null() => Some(None),
            _ => T::read(node).map(Some),
        }
    }
    fn absent() -> Option<Option<T>> {
        Some(None)
    }
}

/// `Read` for a struct: each key once, each one of its fields, no other key.
macro_rules! read_struct {
    ($ty:ident { $($field:ident),* $(,)? }) => {
        impl $crate::block_yaml::Read for $ty {
            fn read(node: &$crate::block_yaml::Node<'_>) -> Option<$ty> {
                let $crate::block_yaml::Node::Map(entries) = node else { return None };
                $(let mut $field = None;)*
                for (key, value) in entries {
                    match key.text {
                        $(stringify!($field) => {
                            if $field.is_some() {
                                return None;
                            }
                            $field = Some($crate::block_yaml::Read::read(value)?);
                        })*
                        _ => return None,
                    }
                }
                Some($ty {
                    $($field: match $field {
                        Some(v) => v,
                        None => $crate::block_yaml::Read::absent()?,
                    },)*
                })
            }
        }
    };
}

pub(crate) use read_struct;

#[cfg(test)]
pub(crate) mod edits {
    //! Edits of a document's lines, for tests that compare the fast path with
    //! serde-saphyr.

    /// Values an edit writes in place of a line's value: every form the fast path must
    /// read as serde-saphyr does, or leave to it.
    pub const VALUES: &[&str] = &[
        "",
        "~",
        "null",
        "NULL",
        "Null",
        "true",
        "false",
        "yes",
        "no",
        "True",
        "0",
        "12",
        "-5",
        "1.5",
        "1.50",
        "01",
        "0.5",
        ".5",
        "1e3",
        "1_000",
        "0x1F",
        "+3",
        "-",
        "- x",
        "2026-03-27",
        "'single'",
        "\"double\"",
        "\"\"",
        "''",
        "plain words",
        "a:b",
        "x-y",
        "\"quote\" after",
        "é ü",
        "\"é\"",
        "[1]",
        "{}",
        "&a 1",
        "1.",
        "-0",
        "9007199254740993",
        "{ a: 1 }",
        "[a, b]",
        "[ ]",
        "{x: 1}",
        "[a,b]",
        "{ amount: 5, currency: EUR }",
        "[\"a, b\", c]",
        "[a, 'b']",
        "{ }",
        "[a, ]",
        "{ name: x, name: y }",
        "[[a]]",
        "{ a: [1, 2] }",
        "'it''s'",
        "\"a\\\"b\"",
        "!!str 5",
        "*x",
        "|",
        "> x",
        "a # c",
    ];

    /// `base` with line `line` edited: its value replaced by `value` (op 0), the line
    /// dropped (1), repeated (2), indented one more space (3) or no longer indented (4).
    pub fn edited(base: &str, edits: &[(usize, usize, &str)]) -> String {
        let mut lines: Vec<String> = base.lines().map(str::to_string).collect();
        for &(line, op, value) in edits {
            let i = line % lines.len();
            match op {
                0 => {
                    let l = &lines[i];
                    let cut = l.find(": ").or_else(|| l.find("- ")).map(|c| c + 2);
                    if let Some(cut) = cut {
                        lines[i] = format!("{}{value}", &l[..cut]);
                    }
                }
                1 if lines.len() > 1 => {
                    lines.remove(i);
                }
                2 => lines.insert(i, lines[i].clone()),
                3 => lines[i] = format!(" {}", lines[i]),
                _ => lines[i] = lines[i].trim_start_matches(' ').to_string(),
            }
        }
        lines.join("\n") + "\n"
    }

    /// When the fast path reads `yaml` as a `T`, it reads what serde-saphyr reads (the
    /// YAML starting `line_offset` lines into its file).
    pub fn same_as_serde<T>(yaml: &str, line_offset: usize) -> Result<bool, String>
    where
        T: super::Read + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let Some(fast) = super::parse(yaml).and_then(|n| T::read(&n)) else {
            return Ok(false);
        };
        let path = std::path::Path::new("a.yaml");
        match crate::yaml::parse::<T>(yaml, path, line_offset) {
            Ok(full) if full == fast => Ok(true),
            other => Err(format!("{yaml}\nfast: {fast:?}\nfull: {other:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(n: &Node) -> String {
        match n {
            Node::Scalar(s) => format!("{}@{}:{}", s.text, s.pos.line, s.pos.column),
            Node::Seq(items) => format!(
                "[{}]",
                items.iter().map(shape).collect::<Vec<_>>().join(",")
            ),
            Node::Map(entries) => format!(
                "{{{}}}",
                entries
                    .iter()
                    .map(|(k, v)| format!("{}={}", k.text, shape(v)))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        }
    }

    #[test]
    fn reads_maps_lists_and_scalars_with_their_positions() {
        let text = "name: \"A B\"\nlist:\n  - x\n  - 'y'\nsame:\n- z\nnested:\n  k: 1\nsources:\n  - url: u\n    covers:\n      - c\nempty:\n";
        let node = parse(text).expect("in the subset");
        assert_eq!(
            shape(&node),
            "{name=A B@1:7,list=[x@3:5,y@4:5],same=[z@6:3],nested={k=1@8:6},\
             sources=[{url=u@10:10,covers=[c@12:9]}],empty=@13:7}"
        );
    }

    #[test]
    fn reads_flow_collections_on_one_line() {
        let text = "p: { name: A, url: \"https://x/\" }\nl: [a, 'b c', d.e]\n\
                    r: { every: 3, cost: { amount: 85 } }\ne: []\n";
        let node = parse(text).expect("in the subset");
        assert_eq!(
            shape(&node),
            "{p={name=A@1:12,url=https://x/@1:20},l=[a@2:5,b c@2:8,d.e@2:15],\
             r={every=3@3:13,cost={amount=85@3:32}},e=[]}"
        );
    }

    #[test]
    fn a_long_line_is_read_in_one_pass() {
        // Positions counted from the line's start for each item made this quadratic.
        let items = vec!["é"; 90_000].join(", ");
        let text = format!(
            "a: [{items}]\nb: {{ {} }}\n",
            "k: 1, ".repeat(3).trim_end_matches(", ")
        );
        let Some(Node::Map(entries)) = parse(&text) else {
            panic!("in the subset")
        };
        let Node::Seq(list) = &entries[0].1 else {
            panic!("a list")
        };
        assert_eq!(list.len(), 90_000);
        let Node::Scalar(last) = &list[89_999] else {
            panic!("a scalar")
        };
        assert_eq!(last.pos, Pos::new(1, 5 + 89_999 * 3));
        // Past the node budget, serde-saphyr reads it (and reports the budget).
        let items = vec!["x"; crate::yaml::MAX_NODES].join(", ");
        assert!(parse(&format!("a: [{items}]\n")).is_none());
    }

    #[test]
    fn gives_up_outside_the_subset() {
        for text in [
            "a: [1, 2\n",
            "a: { b: 1 } x\n",
            "a: [x, [y\n",
            "a: {b:1}\n",
            "a: [a b: c]\n",
            "a: &x 1\nb: *x\n",
            "a: !tag 1\n",
            "a: |\n  text\n",
            "a: one\n  two\n",
            "a: \"esc\\n\"\n",
            "a: 1 # note\n",
            "a:\tb\n",
            "---\na: 1\n",
            "a: 1\r\n",
            " a: 1\n",
            "a: \"open\n",
            "a:\n  - x\n   - y\n",
            "\"a\": 1\n",
        ] {
            assert!(parse(text).is_none(), "{text:?}");
        }
    }
}
