//! Loading the theme's Tera templates, with the site's `templates/` overriding them by
//! name, and turning Tera's errors into diagnostics that name the template file and line.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{ErrorKind, Tera};

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostics::{Diagnostic, Pos};
use crate::source;

/// The templates a theme must provide (directly or through the site's `templates/`).
pub const REQUIRED: [&str; 12] = [
    "base.html",
    "index.html",
    "certifications.html",
    "certification.html",
    "compare.html",
    "articles.html",
    "article.html",
    "page.html",
    "search.html",
    "404.html",
    "tags.html",
    "taxonomy.html",
];

/// Parsed templates, and where each came from (for error messages).
pub struct Templates {
    pub tera: Tera,
    files: BTreeMap<String, PathBuf>,
    /// The theme's words in the site's language (read with the templates).
    pub strings: std::sync::Arc<crate::i18n::Strings>,
    /// Problems with the language files that do not stop the build (missing keys).
    pub warnings: Vec<Diagnostic>,
    /// Where each template's words were folded in (see [`fold_words`]), to give errors
    /// the positions of the file as written.
    folds: BTreeMap<String, Vec<Fold>>,
}

/// One `{{ t(key="...") }}` replaced by its text: on `line`, text from column `after`
/// (in characters, counted from 0 as Tera counts, in the folded template) was `delta`
/// characters further right in the file (left, when the text is longer than the call).
#[derive(Debug, Clone, Copy)]
struct Fold {
    line: usize,
    after: usize,
    delta: isize,
}

/// What every page would print for `{{ t(key="KEY") }}` when the key's text has nothing to
/// fill in: the text itself (`t()` returns it as written, like a template's own text). A
/// record page has some forty of them; folded once here, each is no longer a function call
/// on every page (6% of a build's instructions). So is `{{ t(key="KEY", NAME=site.FIELD) }}`
/// for the `site` fields in `site` (their values are the same on every page, and the
/// templates are loaded again when site.yaml changes): the text filled in as `t()` fills
/// it. Only those exact forms are folded, only texts without braces (which could read as
/// template syntax) or white space at either end, and no template with a `raw` block (where
/// the call is text). Returns the template and where it moved text.
fn fold_words(
    text: &str,
    strings: &crate::i18n::Strings,
    site: &[(&str, &str)],
) -> (String, Vec<Fold>) {
    const OPEN: &str = "{{ t(key=\"";
    const CLOSE: &str = "\") }}";
    const ARG: &str = "\", ";
    const ARG_CLOSE: &str = ") }}";
    let has_raw = text.match_indices("{%").any(|(i, _)| {
        text[i + 2..]
            .trim_start_matches(['-', ' ', '\t', '\n', '\r'])
            .starts_with("raw")
    });
    let mut out = String::with_capacity(text.len());
    let mut folds = Vec::new();
    if has_raw {
        return (text.to_string(), folds);
    }
    // Line and column (in characters) of the end of `out`.
    let (mut line, mut col) = (1, 0);
    let advance = |piece: &str, line: &mut usize, col: &mut usize| {
        for c in piece.chars() {
            if c == '\n' {
                *line += 1;
                *col = 0;
            } else {
                *col += 1;
            }
        }
    };
    let mut rest = text;
    while let Some(i) = rest.find(OPEN) {
        let after_open = &rest[i + OPEN.len()..];
        let folded = after_open.find('"').and_then(|end| {
            let (key, tail) = after_open.split_at(end);
            let (word, call) = if tail.starts_with(CLOSE) {
                (Cow::Borrowed(strings.get(key)?), end + CLOSE.len())
            } else {
                // `, NAME=site.FIELD) }}`, with a field whose value is known now.
                let args = tail.strip_prefix(ARG)?;
                let (arg, _) = args.split_once(ARG_CLOSE)?;
                let (name, field) = arg.split_once('=')?;
                let value = site.iter().find(|(f, _)| *f == field)?.1;
                let valid =
                    !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
                // `n` picks a plural form; `key` is never filled in.
                let text = strings
                    .get(key)
                    .filter(|_| valid && !matches!(name, "n" | "key"))?;
                let filled =
                    crate::i18n::fill(text, |p| (p == name).then(|| crate::i18n::escaped(value)));
                (
                    Cow::Owned(filled),
                    end + ARG.len() + arg.len() + ARG_CLOSE.len(),
                )
            };
            // A text with white space at an end is not folded: a neighbouring `-%}` or
            // `{%-` would trim it as template text, where it trims no call's output.
            let plain =
                !key.contains('\n') && !word.contains(['{', '}', '\n']) && word.trim() == word;
            (plain && !rest[..i].ends_with('{')).then_some((word, OPEN.len() + call))
        });
        let (keep, skip, word) = match folded {
            Some((word, call)) => (i, call, Some(word)),
            None => (i + OPEN.len(), 0, None),
        };
        out.push_str(&rest[..keep]);
        advance(&rest[..keep], &mut line, &mut col);
        if let Some(word) = word {
            out.push_str(&word);
            advance(&word, &mut line, &mut col);
            let call = &rest[keep..keep + skip];
            folds.push(Fold {
                line,
                after: col,
                delta: call.chars().count() as isize - word.chars().count() as isize,
            });
        }
        rest = &rest[keep + skip..];
    }
    out.push_str(rest);
    (out, folds)
}

/// The column (from 0) in the file as written of `col` on `line` of the folded template.
fn unfold(folds: &[Fold], line: usize, col: usize) -> usize {
    let moved: isize = folds
        .iter()
        .filter(|f| f.line == line && f.after <= col)
        .map(|f| f.delta)
        .sum();
    col.saturating_add_signed(moved)
}

/// The folder holding a theme, relative to the site root (`themes_dir` joined with the
/// theme's name).
pub fn theme_dir(config: &Config) -> PathBuf {
    config.themes_dir.join(&config.theme)
}

/// Filters certguide adds to Tera's own.
fn register_filters(tera: &mut Tera) {
    // `{{ value | json }}`: the value as JSON, safe to print inside a `<script>` element.
    tera.register_filter(
        "json",
        |v: tera::Value, _: tera::Kwargs, _: &tera::State| {
            let text = serde_json::to_string(&Canonical(&v)).unwrap_or_else(|_| "null".into());
            tera::Value::safe_string(&script_safe_json(&text))
        },
    );
}

/// A template value serialised with every map's keys in order. Tera's maps keep no order
/// (the `preserve_order` feature would keep insertion order, at the price of SipHash on
/// every key built and looked up: 7 % of a cold build's instructions), so whatever is made
/// of a value's serialised form (the `json` filter, `serve`'s fingerprints) goes through
/// this to come out the same every time.
pub struct Canonical<'a>(pub &'a tera::Value);

impl serde::Serialize for Canonical<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        if let Some(map) = self.0.as_map() {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            let mut m = serializer.serialize_map(Some(entries.len()))?;
            for (k, v) in entries {
                m.serialize_entry(k, &Canonical(v))?;
            }
            m.end()
        } else if let Some(items) = self.0.as_array() {
            let mut seq = serializer.serialize_seq(Some(items.len()))?;
            for v in items {
                seq.serialize_element(&Canonical(v))?;
            }
            seq.end()
        } else {
            serde::Serialize::serialize(self.0, serializer)
        }
    }
}

/// JSON that cannot close a `<script>` element or open a comment inside one.
pub fn script_safe_json(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("files", &self.files)
            .finish()
    }
}

impl Templates {
    /// Reads and parses every template of the site's theme and `templates/` folder. All
    /// problems are returned together.
    pub fn load(root: &Path, config: &Config) -> Result<Templates, Vec<Diagnostic>> {
        load(root, config)
    }
}

/// `label(field="audience", value=v)`: how a record's value is shown (site.yaml's
/// `labels:`, the theme's words, or the value made readable), as facets and tables show it.
fn register_label(
    tera: &mut Tera,
    config: &Config,
    strings: &std::sync::Arc<crate::i18n::Strings>,
) {
    let labels = config.labels.clone();
    let strings = strings.clone();
    tera.register_function(
        "label",
        move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<tera::Value> {
            let field: &str = kwargs.must_get("field")?;
            let value: &str = kwargs.must_get("value")?;
            Ok(tera::Value::from(super::views::value_label(
                &labels, &strings, field, value,
            )))
        },
    );
}

fn load(root: &Path, config: &Config) -> Result<Templates, Vec<Diagnostic>> {
    let theme_templates = theme_dir(config).join("templates");
    if !root.join(&theme_templates).is_dir() {
        let mut available: Vec<String> = std::fs::read_dir(root.join(&config.themes_dir))
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .filter(|e| e.path().join("templates").is_dir())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        available.sort();
        let listed = if available.is_empty() {
            format!(
                "there is no theme under {}/",
                crate::diagnostics::display_path(&config.themes_dir)
            )
        } else {
            format!("themes available: {}", available.join(", "))
        };
        // At `themes_dir` when site.yaml names a folder that is not there, else at `theme`.
        let pos = match config.themes_dir_pos {
            Some(p) if !root.join(&config.themes_dir).is_dir() => p,
            _ => config.theme_pos,
        };
        return Err(vec![Diagnostic::at(
            CONFIG_FILE,
            pos,
            format!(
                "theme `{}` not found: no folder {}/ ({listed})",
                config.theme,
                crate::diagnostics::display_path(&theme_templates)
            ),
        )]);
    }

    // Name → file; the site's own templates/ wins over the theme's.
    let mut files: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut diags = Vec::new();
    for dir in [theme_templates, PathBuf::from("templates")] {
        let full = root.join(&dir);
        if !full.is_dir() {
            continue;
        }
        let walk = source::walk(root, &dir, 8);
        diags.extend(walk.problems);
        for rel in walk.files {
            if let Ok(name) = rel.strip_prefix(&dir) {
                files.insert(crate::diagnostics::display_path(name), rel.clone());
            }
        }
    }
    for name in REQUIRED {
        if !files.contains_key(name) {
            diags.push(Diagnostic::at(
                CONFIG_FILE,
                config.theme_pos,
                format!(
                    "theme `{}` has no template `{name}`; add templates/{name} to the site or \
                     to the theme",
                    config.theme
                ),
            ));
        }
    }

    let (strings, string_diags) = crate::i18n::Strings::load(root, config);
    let strings = std::sync::Arc::new(strings);
    let (string_errors, warnings): (Vec<_>, Vec<_>) =
        string_diags.into_iter().partition(|d| d.is_error());
    diags.extend(string_errors);

    let mut sources = Vec::with_capacity(files.len());
    for (name, rel) in &files {
        match source::read(root, rel) {
            Ok(text) => sources.push((name.clone(), text)),
            Err(d) => diags.push(d),
        }
    }
    let generator = super::views::generator();
    let site = [
        ("site.title", config.title.as_str()),
        ("site.generator", generator.as_str()),
    ];
    // The whole set is parsed first; only when something is wrong is each template parsed
    // alone, so that every syntax error is reported, not only the first one of the set.
    let mut folds = BTreeMap::new();
    let set = diags.is_empty().then(|| {
        let mut tera = with_functions(config, &strings);
        let folded: Vec<(&str, String)> = sources
            .iter()
            .map(|(name, text)| {
                let (text, moved) = fold_words(text, &strings, &site);
                folds.insert(name.clone(), moved);
                (name.as_str(), text)
            })
            .collect();
        tera.add_raw_templates(folded.iter().map(|(n, t)| (*n, t.as_str())))
            .map(|()| tera)
    });
    let set_error = match set {
        Some(Ok(tera)) => {
            return Ok(Templates {
                tera,
                files,
                strings,
                warnings,
                folds,
            });
        }
        Some(Err(e)) => Some(e),
        None => None,
    };
    for (name, text) in &sources {
        let mut alone = with_functions(config, &strings);
        if let Err(e) = alone.add_raw_template(name, text)
            && !matches!(e.kind(), ErrorKind::MissingParent { .. })
            && !names_a_known_template(&e, &files)
        {
            diags.push(to_diagnostic(&e, &files, name, &BTreeMap::new()));
        }
    }
    if diags.is_empty()
        && let Some(e) = set_error
    {
        // No template is wrong alone: the set is (a parent or include that is not there).
        let any = files.keys().next().cloned().unwrap_or_default();
        diags.push(to_diagnostic(&e, &files, &any, &folds));
    }
    Err(diags)
}

/// A Tera with certguide's filters and functions, escaping what HTML and XML templates
/// print: the one the site renders with, and the one each template is parsed alone in.
fn with_functions(config: &Config, strings: &std::sync::Arc<crate::i18n::Strings>) -> Tera {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    register_filters(&mut tera);
    crate::i18n::register(&mut tera, strings.clone());
    register_label(&mut tera, config, strings);
    tera
}

/// Whether an error met parsing a template alone is only that it includes another
/// template of the set (a partial that includes a partial, a site template that includes
/// the theme's): the whole set resolves it.
fn names_a_known_template(err: &tera::Error, files: &BTreeMap<String, PathBuf>) -> bool {
    // Tera joins its checks' reports into one message, each starting `error: `.
    let text = err.to_string();
    let mut problems = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("error:"))
        .peekable();
    problems.peek().is_some()
        && problems.all(|p| {
            p.trim()
                .strip_prefix("Unknown template `")
                .and_then(|rest| rest.split('`').next())
                .is_some_and(|name| files.contains_key(name))
        })
}

impl Templates {
    /// The file a template was read from, relative to the site root.
    pub fn file_of(&self, name: &str) -> Option<PathBuf> {
        self.files.get(name).cloned()
    }

    /// A diagnostic for an error raised while rendering `template`.
    pub fn error(&self, err: &tera::Error, template: &str) -> Diagnostic {
        to_diagnostic(err, &self.files, template, &self.folds)
    }
}

/// `folds`: where the templates as parsed differ from their files (see [`fold_words`]).
fn to_diagnostic(
    err: &tera::Error,
    files: &BTreeMap<String, PathBuf>,
    current: &str,
    folds: &BTreeMap<String, Vec<Fold>>,
) -> Diagnostic {
    let file_of = |name: &str| {
        files
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from("templates").join(name))
    };
    match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let name = if report.filename().is_empty() {
                current
            } else {
                report.filename()
            };
            let span = report.span();
            let moved = folds.get(name).map(Vec::as_slice).unwrap_or_default();
            let col = unfold(moved, span.start_line, span.start_col);
            Diagnostic::at(
                file_of(name),
                Pos::new(span.start_line, col + 1),
                format!("template error: {}", report.message()),
            )
        }
        ErrorKind::MissingParent { current, parent } => Diagnostic::file_error(
            file_of(current),
            format!("template extends `{parent}`, which does not exist"),
        ),
        ErrorKind::TemplateNotFound(name) => {
            Diagnostic::file_error(file_of(current), format!("template `{name}` not found"))
        }
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            Diagnostic::file_error(file_of(tpl), format!("template error: {}", err.kind()))
        }
        other => {
            // Tera reports some problems (an unknown filter, say) as text; find the
            // template and line in it when it names them.
            let text = other.to_string();
            let (name, pos) =
                locate_in_report(&text, files).unwrap_or((current.to_string(), Pos::START));
            let moved = folds.get(&name).map(Vec::as_slice).unwrap_or_default();
            let pos = Pos::new(pos.line, unfold(moved, pos.line, pos.column.max(1) - 1) + 1);
            let first = text.lines().next().unwrap_or("").trim();
            let first = first.strip_prefix("error:").unwrap_or(first).trim();
            Diagnostic::at(file_of(&name), pos, format!("template error: {first}"))
        }
    }
}

/// Finds `NAME:LINE:COL` of a known template in a textual report.
fn locate_in_report(text: &str, files: &BTreeMap<String, PathBuf>) -> Option<(String, Pos)> {
    for name in files.keys() {
        let needle = format!("{name}:");
        if let Some(i) = text.find(&needle) {
            let rest = &text[i + needle.len()..];
            let mut nums = rest
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .map(|s| s.parse::<usize>().unwrap_or(1));
            let line = nums.next().unwrap_or(1);
            let col = nums.next().unwrap_or(1);
            return Some((name.clone(), Pos::new(line, col)));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings() -> crate::i18n::Strings {
        let words = [
            ("nav.home", "Home"),
            ("cert.years", "{n} years"),
            ("odd", "a } b"),
            ("spaced", " (optional)"),
            ("long", "A much longer text than the call"),
            ("feed", "{site}: articles"),
            ("two", "{site} and {other}"),
            ("keyed", "{key} here"),
        ];
        let map = words
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        crate::i18n::Strings::from_map("en", map)
    }

    /// Twenty keys, inserted in the order given.
    fn map_of(keys: impl Iterator<Item = usize>) -> tera::Value {
        let mut map = tera::Map::new();
        for k in keys {
            map.insert(format!("k{k:02}").into(), tera::Value::from(k));
        }
        tera::Value::from(map)
    }

    #[test]
    fn maps_serialise_and_loop_with_their_keys_in_order_however_they_were_built() {
        // Tera's maps keep no order: two maps built from the same keys, inserted in
        // opposite orders, must still print the same `json`, and a loop over their sorted
        // keys (docs/templates.md) the same text.
        let mut tera = Tera::default();
        register_filters(&mut tera);
        tera.add_raw_template("json", "{{ m | json }}").unwrap();
        tera.add_raw_template(
            "loop",
            "{% for k in m | keys | sort %}{{ k }}={{ m[k] }};{% endfor %}",
        )
        .unwrap();
        let up = map_of(0..20);
        let down = map_of((0..20).rev());
        let render = |name: &str, m: &tera::Value| {
            let mut ctx = tera::Context::new();
            ctx.insert_value("m", m.clone());
            tera.render(name, &ctx).unwrap()
        };
        let expected: Vec<String> = (0..20).map(|k| format!("\"k{k:02}\":{k}")).collect();
        assert_eq!(render("json", &up), format!("{{{}}}", expected.join(",")));
        assert_eq!(render("json", &down), render("json", &up));
        assert_eq!(render("loop", &down), render("loop", &up));
        assert!(render("loop", &up).starts_with("k00=0;k01=1;"));
    }

    #[test]
    fn plain_words_are_folded_into_the_template() {
        let (out, _) = fold_words(
            "<a>{{ t(key=\"nav.home\") }}</a>{{ t(key=\"cert.years\") }}{{ t(key=\"odd\") }}\
             {{- t(key=\"nav.home\") }}{{ t(key=\"nope\") }}{% if x -%} {{ t(key=\"spaced\") }}",
            &strings(),
            &[],
        );
        // Texts to fill in, with braces or white space at an end, unknown keys and other
        // spellings stay calls.
        assert_eq!(
            out,
            "<a>Home</a>{{ t(key=\"cert.years\") }}{{ t(key=\"odd\") }}\
             {{- t(key=\"nav.home\") }}{{ t(key=\"nope\") }}{% if x -%} {{ t(key=\"spaced\") }}"
        );
        // In a raw block the call is text: a template with one is left alone.
        let raw = "{% raw %}{{ t(key=\"nav.home\") }}{% endraw %}{{ t(key=\"nav.home\") }}";
        assert_eq!(fold_words(raw, &strings(), &[]).0, raw);
    }

    #[test]
    fn calls_with_a_site_field_known_at_load_are_folded_as_t_fills_them() {
        let site = [("site.title", "Guides & <more>")];
        let (out, _) = fold_words(
            "<a title=\"{{ t(key=\"feed\", site=site.title) }}\">\
             {{ t(key=\"feed\", site=site.base_url) }}{{ t(key=\"two\", site=site.title) }}\
             {{ t(key=\"feed\", site=site.title | upper) }}{{ t(key=\"feed\", n=site.title) }}\
             {{ t(key=\"keyed\", key=site.title) }}",
            &strings(),
            &site,
        );
        // The value is escaped, as t() escapes it; other fields, texts left with a
        // placeholder, filters, `n` and `key` stay calls.
        assert_eq!(
            out,
            "<a title=\"Guides &amp; &lt;more&gt;: articles\">\
             {{ t(key=\"feed\", site=site.base_url) }}{{ t(key=\"two\", site=site.title) }}\
             {{ t(key=\"feed\", site=site.title | upper) }}{{ t(key=\"feed\", n=site.title) }}\
             {{ t(key=\"keyed\", key=site.title) }}"
        );
    }

    #[test]
    fn positions_after_a_folded_call_are_those_of_the_file() {
        let file = "{{ t(key=\"nav.home\") }} {{ t(key=\"long\") }} {{ x }}\n{{ y }}";
        let (out, folds) = fold_words(file, &strings(), &[]);
        assert_eq!(
            out,
            "Home A much longer text than the call {{ x }}\n{{ y }}"
        );
        let col = |text: &str, line: usize, what: &str| {
            text.lines()
                .nth(line - 1)
                .and_then(|l| l.find(what))
                .expect("there")
        };
        assert_eq!(
            unfold(&folds, 1, col(&out, 1, "{{ x")),
            col(file, 1, "{{ x")
        );
        assert_eq!(unfold(&folds, 2, 0), 0);
    }

    #[test]
    fn the_json_filter_cannot_break_out_of_a_script_element() {
        let mut tera = Tera::new();
        register_filters(&mut tera);
        tera.autoescape_on(vec![".html"]);
        tera.add_raw_template("t.html", "<script>{{ v | json }}</script>")
            .expect("parses");
        let mut ctx = tera::Context::new();
        ctx.insert("v", &serde_json::json!({"label": "</script><b>&"}));
        let out = tera.render("t.html", &ctx).expect("renders");
        assert_eq!(
            out,
            r#"<script>{"label":"\u003c/script\u003e\u003cb\u003e\u0026"}</script>"#
        );
    }
}
