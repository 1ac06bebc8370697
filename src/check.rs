//! The extra check of `certguide check`: every internal link and asset reference in the
//! rendered pages (templates included) points at a file the site has, and every `#anchor`
//! on a rendered page exists there.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, LineIndex, Pos};
use crate::render::OutputFile;
use crate::url;

/// Checks the links of every rendered HTML page (`files`; `statics` only count as link
/// targets). Returns how many were checked, or the
/// broken ones.
pub fn internal_links(
    root: &Path,
    base_path: &str,
    files: &[OutputFile],
    statics: &[OutputFile],
) -> Result<usize, Vec<Diagnostic>> {
    let existing: HashSet<String> = files
        .iter()
        .chain(statics)
        .map(|f| f.path.clone())
        .collect();
    let html: Vec<&OutputFile> = files.iter().filter(|f| f.path.ends_with(".html")).collect();
    let ids: HashMap<&str, HashSet<String>> = html
        .iter()
        .map(|f| {
            (
                f.path.as_str(),
                attribute_values(&f.bytes, "id")
                    .into_iter()
                    .map(|(v, _)| v)
                    .collect(),
            )
        })
        .collect();

    let mut checked = 0;
    let mut diags = Vec::new();
    for page in &html {
        let mut seen = HashSet::new();
        for (id, _) in attribute_values(&page.bytes, "id") {
            if !seen.insert(id.clone()) {
                diags.push(locate(
                    root,
                    page.source.as_deref(),
                    &id,
                    format!(
                        "the page /{} has two elements with the id `{id}`; links to \
                         `#{id}` reach only the first",
                        page_url(&page.path)
                    ),
                ));
            }
        }
    }
    for page in &html {
        for attr in ["href", "src"] {
            for (value, _) in attribute_values(&page.bytes, attr) {
                let Some((target, anchor)) = resolve(&page.path, base_path, &value) else {
                    continue;
                };
                checked += 1;
                let problem = match find(&existing, &target) {
                    None => Some(format!(
                        "the page /{} links to `{value}`, which is not part of the built site",
                        page_url(&page.path)
                    )),
                    Some(file) => match (&anchor, ids.get(file.as_str())) {
                        (Some(a), Some(found)) if !a.is_empty() && !found.contains(a) => {
                            Some(format!(
                                "the page /{} links to `{value}`, but that page has no id `{a}`",
                                page_url(&page.path)
                            ))
                        }
                        _ => None,
                    },
                };
                if let Some(msg) = problem {
                    diags.push(locate(root, page.source.as_deref(), &value, msg));
                }
            }
        }
    }
    if diags.is_empty() {
        Ok(checked)
    } else {
        crate::diagnostics::sort(&mut diags);
        Err(diags)
    }
}

fn page_url(path: &str) -> &str {
    path.strip_suffix("index.html").unwrap_or(path)
}

/// The output file a link target names: itself, or its `index.html`.
fn find(existing: &HashSet<String>, target: &str) -> Option<String> {
    let candidates = if target.is_empty() || target.ends_with('/') {
        vec![format!("{target}index.html")]
    } else {
        vec![target.to_string(), format!("{target}/index.html")]
    };
    candidates.into_iter().find(|c| existing.contains(c))
}

/// An internal link as (output path, anchor); `None` for external links and for
/// `#anchor`-only links to the same page (checked as the page's own path).
fn resolve(page: &str, base_path: &str, value: &str) -> Option<(String, Option<String>)> {
    let value = value.trim();
    if value.is_empty() || url::is_external(value) || value.starts_with("data:") {
        return None;
    }
    let (path, anchor) = match value.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (value, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
    let joined = if path.is_empty() {
        page.to_string()
    } else if let Some(rest) = path.strip_prefix(base_path) {
        rest.to_string()
    } else if path.starts_with('/') {
        // Root-relative but outside the base path: cannot be ours.
        return Some((format!("..{path}"), anchor));
    } else if dir.is_empty() {
        path.to_string()
    } else {
        format!("{dir}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    Some((parts.join("/"), anchor))
}

/// Values of `name="..."` attributes in an HTML text, with their byte offsets.
fn attribute_values(html: &[u8], name: &str) -> Vec<(String, usize)> {
    let text = String::from_utf8_lossy(html);
    let mut out = Vec::new();
    for quote in ['"', '\''] {
        let needle = format!(" {name}={quote}");
        let mut from = 0;
        while let Some(i) = text[from..].find(&needle) {
            let start = from + i + needle.len();
            let Some(len) = text[start..].find(quote) else {
                break;
            };
            out.push((decode_entities(&text[start..start + len]), start));
            from = start + len;
        }
    }
    out
}

fn decode_entities(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// A diagnostic at the place in `source` (template or content file) where `value` is
/// written, or at its start when it is not written there literally.
fn locate(root: &Path, source: Option<&Path>, value: &str, msg: String) -> Diagnostic {
    let path = source
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("templates"));
    let pos = std::fs::read_to_string(root.join(&path))
        .ok()
        .and_then(|text| {
            let offset = text.find(value)?;
            Some(LineIndex::new(&text).pos(offset))
        })
        .unwrap_or(Pos::START);
    Diagnostic::at(path, pos, msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_against_the_page_and_base_path() {
        let r = |v| resolve("articles/a/index.html", "/guide/", v);
        assert_eq!(r("/guide/articles/b/"), Some(("articles/b/".into(), None)));
        assert_eq!(r("../b/#x"), Some(("articles/b/".into(), Some("x".into()))));
        assert_eq!(
            r("#top"),
            Some(("articles/a/index.html".into(), Some("top".into())))
        );
        assert_eq!(r("https://x.example/"), None);
        assert_eq!(r("/other/"), Some(("../other/".into(), None)));
    }

    #[test]
    fn attributes_are_found_in_both_quote_styles() {
        let v = attribute_values(
            br#"<a href="/a/">x</a><img src='/b.png'><a class="x" href="/c/?q=1&amp;r=2">"#,
            "href",
        );
        let values: Vec<&str> = v.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(values, ["/a/", "/c/?q=1&r=2"]);
    }
}
