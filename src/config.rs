//! The site configuration, `site.yaml`: title, base URL, theme, facets and table columns.
//!
//! Loading checks only what `site.yaml` can tell on its own (keys, types, the base URL);
//! whether facets and columns name real record fields is checked by [`crate::validate`].

use std::collections::BTreeMap;
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

/// Where themes are looked for when site.yaml sets no `themes_dir`.
pub const DEFAULT_THEMES_DIR: &str = "themes";

/// `site.yaml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: Option<Spanned<String>>,
    description: Option<String>,
    language: Option<String>,
    theme: Option<Spanned<String>>,
    themes_dir: Option<Spanned<String>>,
    notice: Option<String>,
    facets: Option<Vec<RawFacet>>,
    columns: Option<Vec<Spanned<String>>>,
    stale_after_months: Option<u32>,
    edit_url: Option<Spanned<String>>,
    allow_raw_html: Option<bool>,
    max_content_mib: Option<u64>,
    currency: Option<RawCurrency>,
    horizon_years: Option<Spanned<f64>>,
    require_sources: Option<bool>,
    articles_per_page: Option<Spanned<i64>>,
    labels: Option<std::collections::HashMap<Spanned<String>, BTreeMap<String, String>>>,
    extra: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCurrency {
    base: Spanned<String>,
    as_of: Option<Spanned<String>>,
    rates: Option<std::collections::HashMap<Spanned<String>, Spanned<RawRate>>>,
}

/// A rate as written: anything but a number is reported at the value, as a rate that is
/// not a positive, finite number, with the other problems of the file.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawRate {
    Number(f64),
    Text(String),
    Other(serde::de::IgnoredAny),
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

/// site.yaml `labels:`: the words a field's values are shown as, by field and value
/// (`labels: { audience: { workforce-management: Workforce management } }`), in facets,
/// the table, the compare page and record pages. A value without one is shown in the
/// theme's words for it (`level.expert`), or else as [`label_of`] writes it.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    by_field: BTreeMap<String, BTreeMap<String, String>>,
    /// The fields as site.yaml names them, for the check that each is a field with values
    /// to label.
    pub fields: Vec<Located<String>>,
}

impl Labels {
    /// The label site.yaml gives `value` of `field`, if any.
    pub fn get(&self, field: &str, value: &str) -> Option<&str> {
        self.by_field.get(field)?.get(value).map(String::as_str)
    }
}

/// A value written as a slug (`workforce-management`) as people read it
/// (`Workforce management`); other text as it is.
pub fn label_of(value: &str) -> String {
    let slug = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !slug {
        return value.to_string();
    }
    // Built a piece at a time rather than a char at a time: labels are made for every
    // value of every record's cells.
    let mut chars = value.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut label = String::with_capacity(value.len() + 2);
    label.extend(
        match first {
            '-' | '_' => ' ',
            c => c,
        }
        .to_uppercase(),
    );
    for (i, piece) in chars.as_str().split(['-', '_']).enumerate() {
        if i > 0 {
            label.push(' ');
        }
        label.push_str(piece);
    }
    label
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
    /// Whether site.yaml writes the label (else it is the field's, in the site's language).
    pub label_written: bool,
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
    /// The folder holding the themes (`themes_dir:`, Hugo's `themesDir`), relative to the
    /// site root unless absolute; `themes` by default. A site outside the repository of its
    /// theme (the demo guide under `examples/demo/`) points at it with `../../themes`.
    pub themes_dir: PathBuf,
    /// Where site.yaml writes `themes_dir`, when it does.
    pub themes_dir_pos: Option<Pos>,
    /// A line shown on every page in a banner (`notice:`), such as "All content is
    /// fictional"; none by default.
    pub notice: Option<String>,
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
    /// Currencies, conversion and cost over time (`currency:`, `horizon_years:`).
    pub money: Money,
    /// Every fact of a record should have a source (`check --strict` fails without).
    pub require_sources: bool,
    /// How many articles the articles list, a tag's page and a category's page show
    /// before continuing at `.../page/2/` (default [`DEFAULT_ARTICLES_PER_PAGE`]).
    pub articles_per_page: usize,
    /// `labels:` (see [`Labels`]).
    pub labels: std::sync::Arc<Labels>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// site.yaml's `currency:` block: the currency amounts are compared in, and the rates
/// that convert the others into it.
#[derive(Debug, Clone, PartialEq)]
pub struct Currency {
    /// An ISO 4217 code (`USD`).
    pub base: String,
    /// When the rates were taken.
    pub as_of: Option<crate::content::Date>,
    /// 1 unit of the code = this many base units; positive and finite.
    pub rates: std::collections::BTreeMap<String, f64>,
}

/// What the site says about money: how amounts convert, and over how many years the cost
/// of a certification is counted (`total_cost`).
#[derive(Debug, Clone, PartialEq)]
pub struct Money {
    /// `None` without a `currency:` block: amounts are compared as written, unless the
    /// records use more than one currency (see `assumed_base`).
    pub currency: Option<Currency>,
    /// Without a `currency:` block, when the records write more than one currency: the
    /// currency most amounts are written in, taken as the base (amounts in the others have
    /// no rate and are left out of filters, sorting, the chart and totals). Set once the
    /// records are loaded ([`crate::content::assumed_base`]).
    pub assumed_base: Option<String>,
    /// `horizon_years` (default [`DEFAULT_HORIZON_YEARS`]).
    pub horizon_years: u32,
    /// How amounts and numbers are written in the site's language (from the theme's
    /// strings, set once they are read, like `assumed_base`).
    pub format: NumberFormat,
    /// Whether the site uses the money keys (a `currency:` block, `horizon_years:`, or
    /// `total_cost` in its columns or facets): only then are base amounts and totals
    /// published, so a site that uses none of them is built as before.
    pub totals: bool,
}

/// How many articles a list page shows when site.yaml does not say.
pub const DEFAULT_ARTICLES_PER_PAGE: usize = 50;

/// The years `total_cost` counts when site.yaml does not say.
pub const DEFAULT_HORIZON_YEARS: u32 = 5;

/// How a language writes numbers and amounts: `1,495.5` and `1,495 USD` in English,
/// `1.495,5` and `1.495 $` in German (the theme's `number.*` and `money.pattern`).
#[derive(Debug, Clone, PartialEq)]
pub struct NumberFormat {
    pub group: String,
    pub decimal: String,
    /// `{amount} {code}` or `{amount} {symbol}`.
    pub money: String,
    /// The words a record's facts are written with (the theme's `fact.*` strings, without
    /// the prefix: `hours.one` → `{n} Stunde`); English where a key is missing.
    pub words: std::collections::BTreeMap<String, String>,
}

impl Default for NumberFormat {
    fn default() -> NumberFormat {
        NumberFormat {
            group: ",".into(),
            decimal: ".".into(),
            money: "{amount} {code}".into(),
            words: Default::default(),
        }
    }
}

/// `plain` (a number as [`crate::render::views::number`] writes it) with `group` between
/// groups of three digits and `decimal` for the decimal point: `1234567.5` → `1,234,567.5`.
pub fn group_digits(plain: &str, group: &str, decimal: &str) -> String {
    let (int, frac) = plain.split_once('.').unwrap_or((plain, ""));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let groups = digits.len().saturating_sub(1) / 3;
    let mut out = String::with_capacity(plain.len() + groups * group.len() + decimal.len());
    out.push_str(sign);
    // The digits are ASCII: a group mark goes before every third digit from the end.
    for (i, d) in digits.char_indices() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push_str(group);
        }
        out.push(d);
    }
    if !frac.is_empty() {
        out.push_str(decimal);
        out.push_str(frac);
    }
    out
}

impl NumberFormat {
    /// `n` with digit groups and the decimal mark: `1,495.5`.
    pub fn number(&self, n: f64) -> String {
        group_digits(&crate::render::views::number(n), &self.group, &self.decimal)
    }

    /// The words of `fact.KEY`, or `english`.
    pub fn word<'a>(&'a self, key: &str, english: &'a str) -> &'a str {
        self.words.get(key).map_or(english, String::as_str)
    }

    /// `n` with its unit: `fact.KEY.one` for 1, `fact.KEY.other` otherwise (`{n}` is the
    /// number); in English `one` / `many` with `{n}` filled, as they are when they are a
    /// phrase (`Every year`), else after the number (`3 hours`).
    pub fn counted(&self, key: &str, n: f64, one: &str, many: &str) -> String {
        let form = if n == 1.0 { ".one" } else { ".other" };
        let number = self.number(n);
        let mut word_key = String::with_capacity(key.len() + form.len());
        word_key.push_str(key);
        word_key.push_str(form);
        match self.words.get(&word_key) {
            Some(text) => crate::i18n::fill(text, |name| (name == "n").then_some(&number)),
            None => {
                let english = if n == 1.0 { one } else { many };
                if english.contains("{n}") {
                    crate::i18n::fill(english, |name| (name == "n").then_some(&number))
                } else if english.contains(' ') {
                    english.to_string()
                } else {
                    [number.as_str(), " ", english].concat()
                }
            }
        }
    }

    /// An amount with its currency: `1,495 USD`, or the number alone without one.
    pub fn money(&self, amount: f64, code: Option<&str>) -> String {
        let amount_text = self.number(amount);
        match code {
            None => amount_text,
            Some(code) => crate::i18n::fill(&self.money, |name| match name {
                "amount" => Some(amount_text.as_str()),
                "code" => Some(code),
                "symbol" => Some(crate::i18n::symbol(code)),
                _ => None,
            }),
        }
    }
}

impl Default for Money {
    fn default() -> Money {
        Money {
            currency: None,
            assumed_base: None,
            format: NumberFormat::default(),
            horizon_years: DEFAULT_HORIZON_YEARS,
            totals: false,
        }
    }
}

impl Money {
    /// The base currency's code: the `currency:` block's, or without one the currency
    /// assumed when the records write more than one.
    pub fn base(&self) -> Option<&str> {
        match &self.currency {
            Some(c) => Some(c.base.as_str()),
            None => self.assumed_base.as_deref(),
        }
    }

    /// `amount` of `currency` (the base when `None`) in the base currency: `None` when the
    /// code has no rate. Without a `currency:` block amounts are taken as written, unless
    /// the records use several currencies: then only those in the assumed base are.
    pub fn to_base(&self, amount: f64, currency: Option<&str>) -> Option<f64> {
        let Some(c) = &self.currency else {
            return match (currency, &self.assumed_base) {
                (Some(code), Some(base)) if code != base => None,
                _ => Some(amount),
            };
        };
        match currency {
            None => Some(amount),
            Some(code) if code == c.base => Some(amount),
            Some(code) => c.rates.get(code).map(|rate| cents(amount * rate)),
        }
    }
}

/// `x` rounded to hundredths: a converted amount or a total is published and compared
/// without float noise (`972.0000000000001` → `972`).
pub fn cents(x: f64) -> f64 {
    let r = (x * 100.0).round() / 100.0;
    if r.is_finite() { r } else { x }
}

/// Whether `code` looks like an ISO 4217 code: three capital letters.
pub fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
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
            themes_dir: PathBuf::from(DEFAULT_THEMES_DIR),
            themes_dir_pos: None,
            notice: None,
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
            money: Money::default(),
            require_sources: false,
            articles_per_page: DEFAULT_ARTICLES_PER_PAGE,
            labels: Default::default(),
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
    let raw: RawConfig = match yaml::parse_keeping_non_finite(text, &path, 0) {
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
    if let Some(dir) = raw.themes_dir {
        if dir.value.trim().is_empty() {
            diags.push(Diagnostic::at(
                &path,
                yaml::pos(&dir, 0),
                "`themes_dir` is empty: write the folder holding the themes, relative to \
                 the site root (such as `../../themes`), or leave the key out for `themes`",
            ));
        } else {
            config.themes_dir_pos = Some(yaml::pos(&dir, 0));
            config.themes_dir = PathBuf::from(dir.value);
        }
    }
    config.notice = raw.notice.filter(|n| !n.trim().is_empty());
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
            let label_written = f.label.is_some();
            let label = f.label.unwrap_or_else(|| default_label(&f.field.value));
            config.facets.push(Facet {
                field: Located {
                    pos: yaml::pos(&f.field, 0),
                    value: f.field.value,
                },
                label,
                label_written,
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
    config.require_sources = raw.require_sources.unwrap_or(false);
    if let Some(n) = raw.articles_per_page {
        match usize::try_from(n.value) {
            Ok(v) if (1..=100_000).contains(&v) => config.articles_per_page = v,
            _ => diags.push(Diagnostic::at(
                &path,
                yaml::pos(&n, 0),
                format!(
                    "`articles_per_page` must be a whole number from 1 to 100000, not {}",
                    n.value
                ),
            )),
        }
    }
    config.money = money(raw.currency, raw.horizon_years, &mut diags);
    config.money.totals |= config.columns.iter().any(|c| c.value == "total_cost")
        || config.facets.iter().any(|f| f.field.value == "total_cost");
    if let Some(labels) = raw.labels {
        let mut fields: Vec<_> = labels.into_iter().collect();
        fields.sort_by(|a, b| a.0.value.cmp(&b.0.value));
        let mut out = Labels::default();
        for (field, values) in fields {
            out.fields.push(Located {
                pos: yaml::pos(&field, 0),
                value: field.value.clone(),
            });
            out.by_field.insert(field.value, values);
        }
        config.labels = std::sync::Arc::new(out);
    }
    config.extra = raw.extra.unwrap_or_default();
    (config, diags)
}

/// The `currency:` block and `horizon_years:`, checked: codes are three capital letters,
/// rates positive and finite, the horizon a whole number of years from 1 to 100.
fn money(
    raw: Option<RawCurrency>,
    horizon: Option<Spanned<f64>>,
    diags: &mut Vec<Diagnostic>,
) -> Money {
    let path = std::path::Path::new(CONFIG_FILE);
    let mut money = Money {
        totals: raw.is_some() || horizon.is_some(),
        ..Money::default()
    };
    if let Some(h) = horizon {
        let v = h.value;
        if v.fract() == 0.0 && (1.0..=100.0).contains(&v) {
            money.horizon_years = v as u32;
        } else {
            diags.push(Diagnostic::at(
                path,
                yaml::pos(&h, 0),
                format!(
                    "`horizon_years` must be a whole number of years from 1 to 100, not {}",
                    crate::render::views::number(v)
                ),
            ));
        }
    }
    let Some(raw) = raw else {
        return money;
    };
    let code = |s: &Spanned<String>, what: &str, diags: &mut Vec<Diagnostic>| -> bool {
        let ok = is_currency_code(&s.value);
        if !ok {
            diags.push(Diagnostic::at(
                path,
                yaml::pos(s, 0),
                format!(
                    "{what} `{}` is not a currency code: write three capital letters (ISO 4217), \
                     such as USD or EUR",
                    s.value
                ),
            ));
        }
        ok
    };
    if !code(&raw.base, "`currency.base`", diags) {
        return money;
    }
    let as_of = raw
        .as_of
        .and_then(|d| match crate::content::Date::parse(&d.value) {
            Ok(date) => Some(date),
            Err(msg) => {
                diags.push(Diagnostic::at(path, yaml::pos(&d, 0), msg));
                None
            }
        });
    let mut rates = std::collections::BTreeMap::new();
    let mut written: Vec<(Spanned<String>, Spanned<RawRate>)> =
        raw.rates.unwrap_or_default().into_iter().collect();
    written.sort_by_key(|(k, _)| yaml::pos(k, 0));
    for (key, rate) in written {
        if !code(&key, "the rate's currency", diags) {
            continue;
        }
        let (value, shown) = match &rate.value {
            RawRate::Number(v) => (Some(*v), v.to_string()),
            RawRate::Text(t) if t.trim().parse::<f64>().is_ok() => (
                None,
                format!("the text `{t}` (write a number without quotes)"),
            ),
            RawRate::Text(t) => (None, format!("`{t}`")),
            RawRate::Other(_) => (None, "a list or mapping".to_string()),
        };
        match value {
            Some(v) if v.is_finite() && v > 0.0 => {
                rates.insert(key.value, v);
            }
            _ => diags.push(Diagnostic::at(
                path,
                yaml::pos(&rate, 0),
                format!(
                    "the rate of {} must be a positive, finite number (1 {} = N {}), not {shown}",
                    key.value, key.value, raw.base.value
                ),
            )),
        }
    }
    money.currency = Some(Currency {
        base: raw.base.value,
        as_of,
        rates,
    });
    money
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
        "renewal.cost" => "Renewal cost".into(),
        "total_cost" => "Total cost".into(),
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
    fn digits_are_grouped_in_threes_from_the_decimal_mark() {
        let de = |plain: &str| group_digits(plain, ".", ",");
        assert_eq!(de("-1234567.25"), "-1.234.567,25");
        assert_eq!(de("999"), "999");
        assert_eq!(de("1000"), "1.000");
        assert_eq!(de("-100"), "-100");
        assert_eq!(de("100000.5"), "100.000,5");
        assert_eq!(group_digits("12345", "\u{202f}", "."), "12\u{202f}345");
        let en = NumberFormat::default();
        assert_eq!(en.number(-1495.0), "-1,495");
        assert_eq!(en.number(0.5), "0.5");
        assert_eq!(en.number(1e15), "1,000,000,000,000,000");
        assert_eq!(en.counted("hours", 1.0, "hour", "hours"), "1 hour");
        assert_eq!(en.counted("hours", 1200.0, "hour", "hours"), "1,200 hours");
    }

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
    fn notice_and_themes_dir() {
        let (config, diags) = parse("title: T\n");
        assert!(diags.is_empty());
        assert_eq!(config.notice, None);
        assert_eq!(config.themes_dir, PathBuf::from("themes"));
        assert_eq!(config.themes_dir_pos, None);
        let text = "title: T\nnotice: Fictional content\nthemes_dir: ../../themes\n";
        let (config, diags) = parse(text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(config.notice.as_deref(), Some("Fictional content"));
        assert_eq!(config.themes_dir, PathBuf::from("../../themes"));
        // A blank notice is no notice; a blank themes_dir is an error at its value.
        let (config, diags) = parse("title: T\nnotice: \"  \"\nthemes_dir: \"\"\n");
        assert_eq!(config.notice, None);
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].line, diags[0].column), (3, 13));
        assert!(diags[0].message.contains("`themes_dir` is empty"));
    }

    #[test]
    fn default_labels() {
        assert_eq!(default_label("experience_years"), "Experience (years)");
        assert_eq!(default_label("extra.board_hours"), "Board hours");
    }
}
