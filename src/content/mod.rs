//! The site's content: certification records, articles and free pages.
//!
//! [`discover`] finds the source files (through [`crate::source::walk`]); [`crate::load::Loader`]
//! reads them through [`crate::source`] and hands each text to [`parse_text`], which
//! parses records and front matter into typed structs, renders their markdown (rewriting
//! links to source files into page URLs and remembering each one for the link check), and
//! checks what each file can tell on its own: required fields, types, allowed values, dates
//! and URL schemes. Problems that need the whole site (duplicates, references between files,
//! link targets) are left to [`crate::validate`] and [`crate::links`].

mod date;
mod document;
pub(crate) mod fields;
pub mod quote;
pub(crate) mod record;
pub mod taxonomy;

use std::path::{Component, Path, PathBuf};

pub use date::Date;
pub use document::{Category, Document, FRONT_MATTER_KEYS, TEXT_CHARS, cut_text};
pub use fields::{Field, GROUPS, Group, RECORD_FIELDS, Rule, coverable, covers, record_field};
pub use record::{Amount, Cost, Effort, Exam, Renewal, Source, TotalCost};
pub use record::{FieldType, FieldValue, LEVELS, Record};

/// Without a `currency:` block, the currency taken as the base when the records write
/// more than one (`cost.currency`, `renewal.cost.currency`): the one most amounts are
/// written in, the first in alphabetical order on a tie. `None` when they write at most
/// one, so a single-currency site is compared as written.
pub fn assumed_base(records: &[Record]) -> Option<String> {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for r in records {
        let cost = r.cost.as_ref().and_then(|c| c.currency.as_deref());
        let renewal = r
            .renewal
            .as_ref()
            .and_then(|x| x.cost.as_ref())
            .and_then(|c| c.currency.as_deref());
        for code in cost.into_iter().chain(renewal) {
            *counts.entry(code).or_default() += 1;
        }
    }
    if counts.len() < 2 {
        return None;
    }
    counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(c, _)| c.to_string())
}

use crate::diagnostics::{Diagnostic, LineIndex, Pos};
use crate::markdown::{LinkAction, LinkSite};
use crate::source;
use crate::url;

/// The ids the theme's pages use around content (`docs/templates.md` lists them for theme
/// authors): automatic heading ids step around them, an explicit `{#id}` that claims one
/// is an error, and sanitised raw HTML loses them, so a link to `#main` or `#sources`
/// always reaches the theme's element.
pub const THEME_IDS: &[&str] = &[
    "main",
    "overview",
    "facts",
    "facts-heading",
    "sources",
    "sources-heading",
    "renewal",
    "renewal-heading",
    "pros-cons",
    "pros-cons-heading",
    "pros-heading",
    "cons-heading",
    "extra",
    "extra-heading",
    "articles",
    "articles-heading",
    "cg-related-heading",
    "cg-toc-heading",
    "compare",
    "chart",
    "cert-table",
    "cert-filters",
    "search-page",
    "site-search-input",
];

/// The three kinds of source file, each in its own folder under `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Record,
    Article,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Record, Kind::Article, Kind::Page];

    /// The folder holding this kind, relative to the site root.
    pub fn dir(self) -> &'static str {
        match self {
            Kind::Record => "content/certifications",
            Kind::Article => "content/articles",
            Kind::Page => "content/pages",
        }
    }

    /// Whether a file with this extension is a source of this kind (`X.YAML` and `x.yml`
    /// count as much as `x.yaml`).
    fn accepts(self, ext: &str) -> bool {
        let ext = ext.to_ascii_lowercase();
        match self {
            Kind::Record => ext == "yaml" || ext == "yml",
            Kind::Article | Kind::Page => ext == "md",
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            Kind::Record => "certification",
            Kind::Article => "article",
            Kind::Page => "page",
        }
    }
}

/// A link found in markdown that points at a source file or an anchor, to be checked
/// once every file is loaded.
#[derive(Debug, Clone)]
pub struct LinkRef {
    /// Where the link is written.
    pub pos: Pos,
    /// The destination as written.
    pub dest: String,
    /// The source file it points at, relative to the site root (the linking file itself for
    /// `#anchor` links).
    pub target: PathBuf,
    pub anchor: Option<String>,
}

/// Everything under `content/`, parsed; each list in path order.
#[derive(Debug, Default, Clone)]
pub struct Content {
    pub records: Vec<Record>,
    pub articles: Vec<Document>,
    pub pages: Vec<Document>,
    /// Source files left out because they are drafts (`--drafts` not given): links to them
    /// get a precise error instead of "not found".
    pub skipped_drafts: Vec<PathBuf>,
    /// Source files that could not be read or parsed. Their own error is reported; links
    /// and references to them are not reported again.
    pub unparsed: Vec<PathBuf>,
    /// Folders that could not be read (reported once): links into them are not reported.
    pub unreadable_dirs: Vec<PathBuf>,
    /// The hash of each parsed source's text ([`text_hash`]), for the views `serve` keeps.
    /// Keyed by the path as text: hashing a `Path` walks its components, and this map is
    /// looked up once per source on every rebuild.
    pub hashes: PathMap<u64>,
}

impl Content {
    /// Whether `path` lies in a folder that could not be read (its error is reported once;
    /// what it would have held is not reported missing again).
    pub fn unreadable(&self, path: &Path) -> bool {
        self.unreadable_dirs.iter().any(|d| path.starts_with(d))
    }

    /// Whether some records may be missing because a folder of records could not be read.
    pub fn records_unreadable(&self) -> bool {
        let dir = Path::new(Kind::Record.dir());
        self.unreadable_dirs
            .iter()
            .any(|d| d.starts_with(dir) || dir.starts_with(d))
    }
}

/// What the loader needs to know about the build.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub base_path: String,
    pub drafts: bool,
    /// Keep raw HTML in markdown as written (site.yaml `allow_raw_html: true`); by default
    /// it is sanitised.
    pub allow_raw_html: bool,
    /// The most content the loader reads in all (site.yaml `max_content_mib`).
    pub max_total_bytes: u64,
    /// Currencies and totals (site.yaml `currency:`, `horizon_years:`): records convert
    /// their amounts into the base currency as they are parsed.
    pub money: crate::config::Money,
}

/// One source file: what parsed of it, and its own problems.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub kind: Kind,
    /// Relative to the site root.
    pub path: PathBuf,
    pub parsed: Option<Parsed>,
    pub diags: Vec<Diagnostic>,
    /// Bytes of text read (counted against `max_content_mib`).
    pub len: u64,
    /// A hash of the text read: what was made of the file changes only when it changes.
    pub hash: u64,
}

/// A parsed source file.
#[derive(Debug, Clone)]
pub enum Parsed {
    Record(Box<Record>),
    Document(Box<Document>),
}

impl Content {
    /// Makes room for this many more records, articles and pages.
    pub fn reserve(&mut self, records: usize, articles: usize, pages: usize) {
        self.records.reserve(records);
        self.articles.reserve(articles);
        self.pages.reserve(pages);
    }

    /// Puts one parsed source file in its place (path order), replacing what the same path
    /// held before. Returns the file's own problems. Drafts are set aside unless `drafts`.
    pub fn put(&mut self, file: SourceFile, drafts: bool) -> Vec<Diagnostic> {
        self.remove(&file.path);
        self.hashes.insert(path_key(&file.path), file.hash);
        fn insert<T>(list: &mut Vec<T>, item: T, path: fn(&T) -> &Path) {
            // A cold load puts the files in order: the common case is one comparison.
            if list.last().is_none_or(|x| path(x) < path(&item)) {
                return list.push(item);
            }
            let at = list.partition_point(|x| path(x) < path(&item));
            list.insert(at, item);
        }
        let by_path: fn(&PathBuf) -> &Path = PathBuf::as_path;
        match file.parsed {
            Some(Parsed::Record(r)) if r.draft && !drafts => {
                insert(&mut self.skipped_drafts, r.path, by_path)
            }
            Some(Parsed::Document(d)) if d.draft && !drafts => {
                insert(&mut self.skipped_drafts, d.path, by_path)
            }
            Some(Parsed::Record(r)) => insert(&mut self.records, *r, |r| r.path.as_path()),
            Some(Parsed::Document(d)) if d.kind == Kind::Article => {
                insert(&mut self.articles, *d, |d| d.path.as_path())
            }
            Some(Parsed::Document(d)) => insert(&mut self.pages, *d, |d| d.path.as_path()),
            None => insert(&mut self.unparsed, file.path, by_path),
        }
        file.diags
    }

    /// Forgets whatever the source file at `path` gave.
    pub fn remove(&mut self, path: &Path) {
        fn drop_from<T>(list: &mut Vec<T>, path: &Path, of: fn(&T) -> &Path) {
            let at = list.partition_point(|x| of(x) < path);
            if list.get(at).is_some_and(|x| of(x) == path) {
                list.remove(at);
            }
        }
        // Every file put has a hash: none means there is nothing to forget.
        if self.hashes.remove(path_key(path).as_str()).is_none() {
            return;
        }
        drop_from(&mut self.records, path, |r| r.path.as_path());
        drop_from(&mut self.articles, path, |d| d.path.as_path());
        drop_from(&mut self.pages, path, |d| d.path.as_path());
        drop_from(&mut self.skipped_drafts, path, PathBuf::as_path);
        drop_from(&mut self.unparsed, path, PathBuf::as_path);
    }
}

/// Puts parsed files together into [`Content`], in path order whatever the order given.
pub fn assemble(
    sources: impl IntoIterator<Item = SourceFile>,
    drafts: bool,
) -> (Content, Vec<Diagnostic>) {
    let mut sources: Vec<SourceFile> = sources.into_iter().collect();
    sources.sort_by(|a, b| a.path.cmp(&b.path));
    let mut content = Content::default();
    let mut diags = Vec::new();
    for file in sources {
        diags.extend(content.put(file, drafts));
    }
    (content, diags)
}

/// A map keyed by source paths as text ([`path_key`]), with a fast hasher.
pub type PathMap<V> = std::collections::HashMap<String, V, foldhash::fast::RandomState>;

/// The key of a path in a [`PathMap`].
pub fn path_key(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// A fast hash of a source text, the same for the same text within a process.
pub fn text_hash(text: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x6365_7274_6775_6964).hash_one(text)
}

/// Parses the text of a source file of the given kind, found at `rel`.
pub fn parse_text(kind: Kind, rel: &Path, text: &str, opts: &LoadOptions) -> SourceFile {
    let mut file = SourceFile {
        kind,
        path: rel.to_path_buf(),
        parsed: None,
        diags: Vec::new(),
        len: text.len() as u64,
        hash: text_hash(text),
    };
    let id = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Err(msg) = check_id(&id) {
        file.diags.push(Diagnostic::file_error(rel, msg));
    }
    file.parsed = match kind {
        Kind::Record => {
            record::parse(text, rel, id, opts, &mut file.diags).map(|r| Parsed::Record(Box::new(r)))
        }
        Kind::Article | Kind::Page => document::parse(text, rel, kind, id, opts, &mut file.diags)
            .map(|d| Parsed::Document(Box::new(d))),
    };
    file
}

/// The kind of source a path (relative to the site root) would be, if it is one: in a
/// content folder, with that folder's extension, and not an editor's file
/// ([`source::is_ignored`]).
pub fn source_kind(rel: &Path) -> Option<Kind> {
    let ext = rel.extension()?.to_str()?;
    if source::is_ignored_path(rel) {
        return None;
    }
    Kind::ALL
        .into_iter()
        .find(|k| rel.starts_with(k.dir()) && k.accepts(ext))
}

/// Ids become URLs: keep them to lower-case letters, digits, `-` and `_`.
fn check_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && !id.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "the file name `{id}` cannot be used as an id: use lower-case letters, digits, \
             `-` and `_` (it becomes the page's URL)"
        ))
    }
}

/// Lists the source files of every kind, sorted, with problems met while walking
/// (unreadable folders, symlink loops) and the folders that could not be read.
pub fn discover(root: &Path) -> Discovered {
    let mut found = Discovered::default();
    for kind in Kind::ALL {
        if !root.join(kind.dir()).exists() {
            continue;
        }
        let walk = source::walk(root, Path::new(kind.dir()), 16);
        // What `source_kind` asks, less what the walk made sure of: every file is under the
        // kind's folder, and no name below it is ignored.
        let accepted = |rel: &PathBuf| {
            rel.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| kind.accepts(e))
        };
        debug_assert!(
            walk.files
                .iter()
                .all(|rel| accepted(rel) == (source_kind(rel) == Some(kind)))
        );
        found.files.extend(
            walk.files
                .into_iter()
                .filter(accepted)
                .map(|rel| (kind, rel)),
        );
        found.problems.extend(walk.problems);
        found.unreadable_dirs.extend(walk.unreadable_dirs);
    }
    found
}

/// What [`discover`] found.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<(Kind, PathBuf)>,
    pub problems: Vec<Diagnostic>,
    pub unreadable_dirs: Vec<PathBuf>,
}

/// Rewrites the links of one markdown text and remembers the ones to check.
///
/// `positions` maps byte offsets of the rendered text to file positions: a [`LineIndex`] of
/// the file for article bodies, or one fixed position for markdown inside a YAML value.
pub(crate) struct LinkHook<'a> {
    pub file: &'a Path,
    pub base_path: &'a str,
    pub positions: Positions<'a>,
    pub refs: Vec<LinkRef>,
    pub diags: Vec<Diagnostic>,
}

pub(crate) enum Positions<'a> {
    /// Offsets are into the file from `start` (the markdown body starts there).
    Body {
        index: &'a LineIndex<'a>,
        start: usize,
    },
    /// Every offset maps to this position (markdown in a YAML value).
    Fixed(Pos),
}

impl<'a> LinkHook<'a> {
    pub fn new(file: &'a Path, base_path: &'a str, positions: Positions<'a>) -> Self {
        LinkHook {
            file,
            base_path,
            positions,
            refs: Vec::new(),
            diags: Vec::new(),
        }
    }

    fn pos(&self, offset: usize) -> Pos {
        match &self.positions {
            Positions::Body { index, start } => index.pos(start + offset),
            Positions::Fixed(p) => *p,
        }
    }

    /// The markdown link hook.
    pub fn visit(&mut self, site: LinkSite<'_>) -> LinkAction {
        let dest = site.dest.trim();
        if let Err(msg) = url::check_safe(dest) {
            self.diags
                .push(Diagnostic::at(self.file, self.pos(site.offset), msg));
            return LinkAction::Rewrite("#".into());
        }
        if dest.is_empty() || url::is_external(dest) {
            return LinkAction::Keep;
        }
        let (path_part, anchor) = match dest.split_once('#') {
            Some((p, a)) => (p, Some(a.to_string())),
            None => (dest, None),
        };
        let path_part = path_part.split('?').next().unwrap_or("");
        if path_part.is_empty() {
            // `#anchor` on the same page.
            self.refs.push(LinkRef {
                pos: self.pos(site.offset),
                dest: dest.to_string(),
                target: self.file.to_path_buf(),
                anchor,
            });
            return LinkAction::Keep;
        }
        let ext = Path::new(path_part)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("");
        if !matches!(ext, "md" | "yaml" | "yml") || site.image {
            return LinkAction::Keep;
        }
        let target = match resolve_source_path(self.file, path_part) {
            Some(t) => t,
            None => {
                self.diags.push(Diagnostic::at(
                    self.file,
                    self.pos(site.offset),
                    format!("link `{dest}` points outside the site"),
                ));
                return LinkAction::Keep;
            }
        };
        let Some((kind, id)) = classify(&target) else {
            self.diags.push(Diagnostic::at(
                self.file,
                self.pos(site.offset),
                format!(
                    "link `{dest}` points at `{}`, which is not a certification \
                     (content/certifications/*.yaml), article (content/articles/*.md) \
                     or page (content/pages/*.md)",
                    crate::diagnostics::display_path(&target)
                ),
            ));
            return LinkAction::Keep;
        };
        let mut url = crate::routes::Route::source(kind, &id).url(self.base_path);
        if let Some(a) = &anchor {
            url.push('#');
            url.push_str(a);
        }
        self.refs.push(LinkRef {
            pos: self.pos(site.offset),
            dest: dest.to_string(),
            target,
            anchor,
        });
        LinkAction::Rewrite(url)
    }
}

/// `../certifications/cccm.yaml` written in `content/articles/a.md` →
/// `content/certifications/cccm.yaml`. A leading `/` means the site root. `None` when the
/// path climbs out of the site.
fn resolve_source_path(from_file: &Path, dest: &str) -> Option<PathBuf> {
    // `my%20notes.md` and `caf%C3%A9.md` name files with a space and an accent.
    let decoded = percent_encoding::percent_decode_str(dest)
        .decode_utf8_lossy()
        .into_owned();
    let (base, rest): (PathBuf, &str) = match decoded.strip_prefix('/') {
        Some(rest) => (PathBuf::new(), rest),
        None => (
            from_file
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default(),
            decoded.as_str(),
        ),
    };
    let mut out: Vec<std::ffi::OsString> = base
        .components()
        .map(|c| c.as_os_str().to_os_string())
        .collect();
    for comp in Path::new(rest).components() {
        match comp {
            Component::Normal(c) => out.push(c.to_os_string()),
            Component::ParentDir => {
                out.pop()?;
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out.iter().collect())
}

/// The kind and id of a source path, if it lies in one of the content folders.
pub fn classify(path: &Path) -> Option<(Kind, String)> {
    let kind = source_kind(path)?;
    Some((kind, path.file_stem()?.to_string_lossy().into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_paths_resolve_relative_to_the_linking_file() {
        let from = Path::new("content/articles/a.md");
        assert_eq!(
            resolve_source_path(from, "../certifications/cccm.yaml").unwrap(),
            PathBuf::from("content/certifications/cccm.yaml")
        );
        assert_eq!(
            resolve_source_path(from, "./roi.md").unwrap(),
            PathBuf::from("content/articles/roi.md")
        );
        assert_eq!(resolve_source_path(from, "../../../x.md"), None);
        assert_eq!(
            resolve_source_path(from, "caf%C3%A9%20notes.md").unwrap(),
            PathBuf::from("content/articles/café notes.md")
        );
        assert_eq!(
            classify(Path::new("content/certifications/cccm.yaml")),
            Some((Kind::Record, "cccm".into()))
        );
        assert_eq!(classify(Path::new("content/other/x.md")), None);
    }

    #[test]
    fn ids_must_be_url_safe() {
        assert!(check_id("cert-00001").is_ok());
        assert!(check_id("My Cert").is_err());
        assert!(check_id("").is_err());
    }
}
