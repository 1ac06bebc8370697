//! The site configuration, `site.yaml`: title, base URL, theme, facets and table columns.
//!
//! Loading checks only what `site.yaml` can tell on its own (keys, types, the base URL);
//! whether facets and columns name real record fields is checked by [`crate::validate`].

use std::path::PathBuf;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diagnostics::{Diagnostic, Pos};
use crate::yaml;

/// The default cap on all content read by a build: 1 GiB (a 10,000-record, 10,000-article
/// guide is about 40 MiB).
pub const DEFAULT_MAX_CONTENT_MIB: u64 = 1024;

/// The configuration file's name, at the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// `site.yaml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: Option<Spanned<String>>,
    description: Option<String>,
    language: Option<String>,
    theme: Option<Spanned<String>>,
    facets: Option<Vec<RawFacet>>,
    columns: Option<Vec<Spanned<String>>>,
    stale_after_months: Option<u32>,
    edit_url: Option<Spanned<String>>,
    allow_raw_html: Option<bool>,
    max_content_mib: Option<u64>,
    extra: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFacet {
    field: Spanned<String>,
    label: Option<String>,
    kind: Spanned<String>,
    unit: Option<String>,
}

/// How a facet filters the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FacetKind {
    /// Multi-valued field (a list): one checkbox per value, OR inside the facet.
    Tags,
    /// Single-valued field: one checkbox per value.
    Choice,
    /// Numeric field: minimum and maximum inputs.
    Range,
}

impl FacetKind {
    pub const NAMES: [&'static str; 3] = ["tags", "choice", "range"];

    fn parse(s: &str) -> Option<FacetKind> {
        match s {
            "tags" => Some(FacetKind::Tags),
            "choice" => Some(FacetKind::Choice),
            "range" => Some(FacetKind::Range),
            _ => None,
        }
    }
}

/// A named place in `site.yaml`, kept so later stages can point at it.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub value: T,
    pub pos: Pos,
}

/// One facet filter of the home page.
#[derive(Debug, Clone)]
pub struct Facet {
    /// A record field path such as `cost.amount`.
    pub field: Located<String>,
    pub label: String,
    pub kind: FacetKind,
    pub unit: Option<String>,
}

/// The loaded site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub language: String,
    /// Absolute URL of the published site, ending with `/`.
    pub base_url: String,
    /// Path part of `base_url`: starts and ends with `/`.
    pub base_path: String,
    pub theme: String,
    pub theme_pos: Pos,
    pub facets: Vec<Facet>,
    pub columns: Vec<Located<String>>,
    /// Records verified longer ago than this are labelled stale (and `check` warns).
    pub stale_after_months: Option<u32>,
    /// Prefix of "Edit this page" links; the source path (e.g. `content/articles/roi.md`)
    /// is appended.
    pub edit_url: Option<String>,
    /// Keep raw HTML in markdown unsanitised (off by default).
    pub allow_raw_html: bool,
    /// The most content (all sources together) a build reads, in MiB.
    pub max_content_mib: u64,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

const DEFAULT_COLUMNS: [&str; 6] = [
    "acronym",
    "name",
    "provider.name",
    "cost.amount",
    "effort.hours",
    "level",
];

impl Config {
    /// The configuration used when `site.yaml` cannot be read, so the rest of the site can
    /// still be checked and every problem reported in one run.
    pub fn fallback() -> Config {
        Config {
            title: "Certification guide".into(),
            description: String::new(),
            language: "en".into(),
            base_url: "/".into(),
            base_path: "/".into(),
            theme: "default".into(),
            theme_pos: Pos::START,
            facets: Vec::new(),
            columns: DEFAULT_COLUMNS
                .iter()
                .map(|c| Located {
                    value: c.to_string(),
                    pos: Pos::START,
                })
                .collect(),
            stale_after_months: None,
            edit_url: None,
            allow_raw_html: false,
            max_content_mib: DEFAULT_MAX_CONTENT_MIB,
            extra: serde_json::Map::new(),
        }
    }

    /// Overrides `base_url` (the `--base-url` option).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let (base_url, base_path) = split_base_url(url)?;
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(())
    }
}

/// Parses the text of `site.yaml`. On failure returns the fallback configuration together
/// with the problems found.
pub fn parse(text: &str) -> (Config, Vec<Diagnostic>) {
    let path = PathBuf::from(CONFIG_FILE);
    let raw: RawConfig = match yaml::parse(text, &path, 0) {
        Ok(raw) => raw,
        Err(d) => return (Config::fallback(), vec![d]),
    };
    let mut diags = Vec::new();
    let mut config = Config::fallback();
    config.title = raw.title;
    config.description = raw.description.unwrap_or_default();
    config.language = raw.language.unwrap_or_else(|| "en".into());
    if let Some(url) = raw.base_url {
        match split_base_url(&url.value) {
            Ok((base_url, base_path)) => {
                config.base_url = base_url;
                config.base_path = base_path;
            }
            Err(msg) => diags.push(Diagnostic::at(&path, yaml::pos(&url, 0), msg)),
        }
    }
    if let Some(theme) = raw.theme {
        config.theme_pos = yaml::pos(&theme, 0);
        if theme.value.is_empty()
            || theme.value.contains(['/', '\\'])
            || theme.value.starts_with('.')
        {
            diags.push(Diagnostic::at(
                &path,
                config.theme_pos,
                format!(
                    "`{}` is not a theme name (a folder under themes/)",
                    theme.value
                ),
            ));
        } else {
            config.theme = theme.value;
        }
    }
    if let Some(facets) = raw.facets {
        config.facets.clear();
        for f in facets {
            let Some(kind) = FacetKind::parse(&f.kind.value) else {
                diags.push(Diagnostic::at(
                    &path,
                    yaml::pos(&f.kind, 0),
                    format!(
                        "unknown facet kind `{}`{}; expected one of: {}",
                        f.kind.value,
                        yaml::did_you_mean(&f.kind.value, &FacetKind::NAMES),
                        FacetKind::NAMES.join(", ")
                    ),
                ));
                continue;
            };
            let label = f.label.unwrap_or_else(|| default_label(&f.field.value));
            config.facets.push(Facet {
                field: Located {
                    pos: yaml::pos(&f.field, 0),
                    value: f.field.value,
                },
                label,
                kind,
                unit: f.unit,
            });
        }
    }
    if let Some(columns) = raw.columns {
        config.columns = columns
            .into_iter()
            .map(|c| Located {
                pos: yaml::pos(&c, 0),
                value: c.value,
            })
            .collect();
    }
    config.stale_after_months = raw.stale_after_months;
    config.allow_raw_html = raw.allow_raw_html.unwrap_or(false);
    config.max_content_mib = raw.max_content_mib.unwrap_or(DEFAULT_MAX_CONTENT_MIB);
    if let Some(url) = raw.edit_url {
        match crate::url::check_safe(&url.value) {
            Ok(()) => config.edit_url = Some(url.value),
            Err(msg) => diags.push(Diagnostic::at(&path, yaml::pos(&url, 0), msg)),
        }
    }
    config.extra = raw.extra.unwrap_or_default();
    (config, diags)
}

/// Checks a base URL as `--base-url` or `base_url:` may give it.
pub fn check_base_url(url: &str) -> Result<String, String> {
    split_base_url(url).map(|_| url.to_string())
}

/// `https://host/sub/` → (`https://host/sub/`, `/sub/`); `/` → (`/`, `/`).
fn split_base_url(url: &str) -> Result<(String, String), String> {
    let url = url.trim();
    let path = if let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        match rest.find('/') {
            Some(i) if i > 0 => &rest[i..],
            None if !rest.is_empty() => "/",
            _ => return Err(format!("`{url}` is not a valid base URL (no host)")),
        }
    } else if url.starts_with('/') {
        url
    } else {
        return Err(format!(
            "`{url}` is not a valid base URL: use an absolute http(s) URL such as \
             `https://intranet.example/guide/`, or a path starting with `/`"
        ));
    };
    if path.contains(['?', '#', '"', '<', '>', ' ']) {
        return Err(format!(
            "`{url}` is not a valid base URL: no query, fragment, quotes or spaces"
        ));
    }
    let mut base_path = path.to_string();
    if !base_path.ends_with('/') {
        base_path.push('/');
    }
    let mut base_url = url.to_string();
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    Ok((base_url, base_path))
}

/// The label a column or facet gets when `site.yaml` gives none.
pub fn default_label(field: &str) -> String {
    match field {
        "acronym" => "Acronym".into(),
        "name" => "Certification".into(),
        "provider.name" => "Provider".into(),
        "provider.url" => "Provider site".into(),
        "url" => "Official page".into(),
        "cost.amount" => "Cost".into(),
        "cost.currency" => "Currency".into(),
        "effort.hours" => "Hours".into(),
        "effort.weeks" => "Weeks".into(),
        "exam.required" => "Exam".into(),
        "exam.questions" => "Questions".into(),
        "exam.minutes" => "Exam minutes".into(),
        "experience_years" => "Experience (years)".into(),
        "renewal.every_years" => "Renewal (years)".into(),
        other => {
            let last = other.rsplit('.').next().unwrap_or(other).replace('_', " ");
            let mut chars = last.chars();
            match chars.next() {
                Some(c) => c.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_sub_paths() {
        assert_eq!(
            split_base_url("https://intranet.example/guides/certs").unwrap(),
            (
                "https://intranet.example/guides/certs/".to_string(),
                "/guides/certs/".to_string()
            )
        );
        assert_eq!(split_base_url("https://x.example").unwrap().1, "/");
        assert!(split_base_url("ftp://x").is_err());
        assert!(split_base_url("https:///x").is_err());
    }

    #[test]
    fn unknown_facet_kind_points_at_the_kind() {
        let text = "title: T\nfacets:\n  - { field: level, kind: choise }\n";
        let (_, diags) = parse(text);
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].line, diags[0].column), (3, 27));
        assert!(diags[0].message.contains("did you mean `choice`"));
    }

    #[test]
    fn default_labels() {
        assert_eq!(default_label("experience_years"), "Experience (years)");
        assert_eq!(default_label("extra.board_hours"), "Board hours");
    }
}
