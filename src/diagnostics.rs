//! Problems found in a site, reported as `PATH:LINE:COL: error: MESSAGE`.
//!
//! [`Diagnostic`] is the one error type for content problems: every stage of the pipeline
//! (loading, validation, link checking, rendering) reports through it, and `build`, `check`
//! and `serve` print it the same way. Paths are relative to the site root; lines and
//! columns are 1-based, columns counted in characters.

use std::fmt;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// How bad a problem is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem at one place in one file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators.
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    /// An error at `line:column` of `path`.
    pub fn error(
        path: impl Into<PathBuf>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            line: line.max(1),
            column: column.max(1),
            severity: Severity::Error,
            message: message.into(),
        }
    }

    /// A warning at `line:column` of `path`.
    pub fn warning(
        path: impl Into<PathBuf>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, column, message)
        }
    }

    /// An error about a whole file (reported at 1:1).
    pub fn file_error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic::error(path, 1, 1, message)
    }

    /// An error at a [`Pos`] of `path`.
    pub fn at(path: impl Into<PathBuf>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic::error(path, pos.line, pos.column, message)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            escape_controls(&display_path(&self.path)),
            self.line,
            self.column,
            self.severity,
            escape_controls(&self.message)
        )
    }
}

/// A position in a source file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, column: 1 };

    pub fn new(line: usize, column: usize) -> Pos {
        Pos {
            line: line.max(1),
            column: column.max(1),
        }
    }

    /// The same position moved down by `lines` (for YAML front matter inside a file).
    pub fn down(self, lines: usize) -> Pos {
        Pos {
            line: self.line + lines,
            column: self.column,
        }
    }
}

/// Maps byte offsets of a text to 1-based line/column positions.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { text, starts }
    }

    /// The position of byte `offset` (clamped to the text, snapped to a char boundary).
    pub fn pos(&self, offset: usize) -> Pos {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = self.text[start..offset].chars().count() + 1;
        Pos::new(line, column)
    }
}

/// A path as it appears in messages: relative, with `/` separators on every platform.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        s.into_owned()
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// `text` with control characters written as escapes (`\n`, `\u{1b}`), so that a file name
/// holding a line break or an escape sequence still makes one plain line of output.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// Sorts diagnostics by file and position, dropping exact repeats.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort();
    diags.dedup();
}

/// Prints diagnostics to stderr. When stderr is a terminal (and `NO_COLOR` is unset) each
/// line is followed by a snippet of the source around the problem, read from `root`.
pub fn print(root: &Path, diags: &[Diagnostic]) {
    let stderr = io::stderr();
    let snippets = stderr.is_terminal();
    let color = snippets && std::env::var_os("NO_COLOR").is_none();
    let mut out = stderr.lock();
    for d in diags {
        let _ = writeln!(out, "{d}");
        if snippets && let Some(s) = snippet(root, d, color) {
            let _ = writeln!(out, "{s}");
        }
    }
}

/// The largest file a snippet is read from; bigger files get no snippet.
const SNIPPET_FILE_LIMIT: u64 = 10 * 1024 * 1024;

/// A rendered source snippet for `d`, or `None` when the file cannot be read as text.
pub fn snippet(root: &Path, d: &Diagnostic, color: bool) -> Option<String> {
    use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
    let full = root.join(&d.path);
    if std::fs::metadata(&full).ok()?.len() > SNIPPET_FILE_LIMIT {
        return None;
    }
    let text = std::fs::read_to_string(&full).ok()?;
    let lines: Vec<&str> = text.split('\n').collect();
    let idx = d.line.checked_sub(1)?;
    let line = lines.get(idx)?.trim_end_matches('\r');
    // Byte range of the problem: from the column to the end of the word there.
    let start = line
        .char_indices()
        .nth(d.column - 1)
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let len = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | ']' | ')' | '}'))
        .unwrap_or(rest.len())
        .max(rest.chars().next().map_or(0, char::len_utf8));
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let path = display_path(&d.path);
    let report = level.primary_title("").element(
        Snippet::source(line)
            .line_start(d.line)
            .path(path.as_str())
            .annotation(AnnotationKind::Primary.span(start..start + len)),
    );
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let rendered = renderer.render(&[report]);
    // Drop the empty title line: the PATH:LINE:COL line above already says what is wrong.
    Some(
        rendered
            .lines()
            .skip_while(|l| !l.contains("-->") && !l.contains('|'))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_characters() {
        let idx = LineIndex::new("ab\ncé d\n");
        assert_eq!(idx.pos(0), Pos::new(1, 1));
        assert_eq!(idx.pos(3), Pos::new(2, 1));
        // 'é' is two bytes; the space after it is the third character.
        assert_eq!(idx.pos(6), Pos::new(2, 3));
        assert_eq!(idx.pos(100), Pos::new(3, 1));
    }

    #[test]
    fn display_has_the_contract_shape() {
        let d = Diagnostic::error("content/a.yaml", 3, 5, "boom");
        assert_eq!(d.to_string(), "content/a.yaml:3:5: error: boom");
    }
}
