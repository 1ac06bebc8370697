//! Loading the theme's Tera templates, with the site's `templates/` overriding them by
//! name, and turning Tera's errors into diagnostics that name the template file and line.

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
            let text = serde_json::to_string(&v).unwrap_or_else(|_| "null".into());
            tera::Value::safe_string(&script_safe_json(&text))
        },
    );
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
            let field: String = kwargs.must_get("field")?;
            let value: String = kwargs.must_get("value")?;
            Ok(tera::Value::from(super::views::value_label(
                &labels, &strings, &field, &value,
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
    // Parse each template alone first, so that every syntax error is reported, not only
    // the first one of the batch.
    for (name, text) in &sources {
        let mut alone = Tera::new();
        register_filters(&mut alone);
        crate::i18n::register(&mut alone, strings.clone());
        register_label(&mut alone, config, &strings);
        if let Err(e) = alone.add_raw_template(name, text)
            && !matches!(e.kind(), ErrorKind::MissingParent { .. })
            && !names_a_known_template(&e, &files)
        {
            diags.push(to_diagnostic(&e, &files, name));
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    register_filters(&mut tera);
    crate::i18n::register(&mut tera, strings.clone());
    register_label(&mut tera, config, &strings);
    if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        let any = files.keys().next().cloned().unwrap_or_default();
        return Err(vec![to_diagnostic(&e, &files, &any)]);
    }
    Ok(Templates {
        tera,
        files,
        strings,
        warnings,
    })
}

/// Whether an error met parsing a template alone is only that it includes another
/// template of the set (a partial that includes a partial, a site template that includes
/// the theme's): the whole set, parsed next, resolves it.
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
        to_diagnostic(err, &self.files, template)
    }
}

fn to_diagnostic(
    err: &tera::Error,
    files: &BTreeMap<String, PathBuf>,
    current: &str,
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
            Diagnostic::at(
                file_of(name),
                Pos::new(span.start_line, span.start_col + 1),
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
