//! The theme's words in the site's language: `themes/NAME/i18n/LANG.yaml`, picked by
//! `language:` in site.yaml, with single strings overridden by the site's own
//! `i18n/LANG.yaml`; English (`en.yaml`) fills any key the language lacks, with a warning
//! naming it. Templates read the strings through `t(key="...")`, scripts through the JSON
//! that `script_strings()` puts in every page, and numbers, money and dates are written
//! the language's way ([`Strings::number`], [`Strings::money`], [`Strings::date`]).
//!
//! A language file is a flat mapping of keys to text. `{name}` in a text is replaced by
//! the argument of that name (`t(key="list.count", n=3)`), escaped for HTML; a key with
//! `.one` and `.other` (and optionally `.zero`) variants is picked by `n`. The formats are strings too:
//! `number.group`, `number.decimal`, `money.pattern` (`{amount} {code}` or
//! `{amount} {symbol}`), `date.long` (`{day} {month} {year}`) and `month.1` to `month.12`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::{CONFIG_FILE, Config};
use crate::content::Date;
use crate::diagnostics::Diagnostic;

/// The folder of language files, in a theme and at the site root.
pub const DIR: &str = "i18n";

/// The language every theme must complete, and the one missing keys fall back to.
pub const FALLBACK: &str = "en";

/// The prefix of the keys the theme's scripts read from the page.
pub const SCRIPT_PREFIX: &str = "js.";

/// The theme's strings in one language, with English under them.
#[derive(Debug, Clone, Default)]
pub struct Strings {
    /// The language (`en`, `de`), as site.yaml gives it.
    pub language: String,
    /// Looked up for every label of every record's cells: hashed (a `BTreeMap` of a few
    /// hundred keys compared strings nine times a lookup).
    map: foldhash::HashMap<String, String>,
    /// [`Strings::number_format`], made on first use: every number on every page is
    /// written through it.
    format: std::sync::OnceLock<crate::config::NumberFormat>,
}

/// Equal when the words are: the cached format follows from them.
impl PartialEq for Strings {
    fn eq(&self, other: &Strings) -> bool {
        self.language == other.language && self.map == other.map
    }
}

/// The files read for a language, in the order they override each other.
pub fn files(config: &Config) -> Vec<PathBuf> {
    let theme = crate::render::theme_dir(config).join(DIR);
    let lang = format!("{}.yaml", config.language);
    let mut files = vec![theme.join(format!("{FALLBACK}.yaml"))];
    if config.language != FALLBACK {
        files.push(theme.join(&lang));
    }
    files.push(Path::new(DIR).join(lang));
    files
}

/// A language file's keys and texts.
type Words = BTreeMap<String, String>;

/// Reads one language file: a flat mapping of keys to text, and the text itself.
fn read(root: &Path, rel: &Path) -> Result<Option<(Words, String)>, Diagnostic> {
    if !root.join(rel).is_file() {
        return Ok(None);
    }
    let text = crate::source::read(root, rel)?;
    crate::yaml::parse::<Option<BTreeMap<String, String>>>(&text, rel, 0)
        .map(|m| Some((m.unwrap_or_default(), text)))
}

/// The line of a language file where `key` is written (`key:` or `"key":` at the start of
/// a line), or 1.
fn key_line(text: &str, key: &str) -> usize {
    let plain = format!("{key}:");
    let quoted = format!("\"{key}\":");
    text.lines()
        .position(|l| l.starts_with(&plain) || l.starts_with(&quoted))
        .map_or(1, |i| i + 1)
}

/// `t(key="...", NAME=VALUE...)` in templates: the text of the key (for the count `n`
/// when given), each `{NAME}` replaced by its value (numbers the language's way, text
/// escaped for HTML). Safe: the text is the theme's or the site's own, like a template's.
pub struct Translate {
    strings: std::sync::Arc<Strings>,
    /// Every text as the value `t()` gives when it has nothing to fill in: made once, so
    /// the common call (`t(key="nav.compare")`) is a lookup and a cheap clone.
    plain: foldhash::HashMap<String, tera::Value>,
}

impl Translate {
    pub fn new(strings: std::sync::Arc<Strings>) -> Translate {
        let plain = strings
            .map
            .iter()
            .filter(|(_, text)| !text.contains('{'))
            .map(|(k, text)| (k.clone(), tera::Value::safe_string(text)))
            .collect();
        Translate { strings, plain }
    }
}

impl tera::Function<tera::TeraResult<tera::Value>> for Translate {
    fn call(&self, kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<tera::Value> {
        let key: &str = kwargs.must_get("key")?;
        let n = kwargs.iter().find(|(k, _)| k.as_str() == Some("n"));
        if n.is_none()
            && let Some(v) = self.plain.get(key)
        {
            return Ok(v.clone());
        }
        let text = match n.and_then(|(_, v)| v.as_f64()) {
            Some(n) => self.strings.counted(key, n),
            None => self.strings.get(key),
        };
        let Some(text) = text else {
            return Err(tera::Error::message(format!(
                "no string `{key}` in the theme's i18n/{FALLBACK}.yaml"
            )));
        };
        let out = fill(text, |name| {
            let (_, v) = kwargs
                .iter()
                .find(|(k, _)| name != "key" && k.as_str() == Some(name))?;
            Some(match (v.as_f64(), v.as_str()) {
                (Some(f), _) if v.is_number() => self.strings.number(f),
                (_, Some(s)) => escaped(s),
                _ => escaped(&v.to_string()),
            })
        });
        Ok(tera::Value::safe_string(&out))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `text` with each `{NAME}` that `value` gives a value for replaced by it, in one pass:
/// a value is not read again for placeholders (one replacement after another re-read
/// them, and made each value's text whether its placeholder was there or not). The one
/// way the theme's and certguide's phrases are filled in.
pub fn fill<S: AsRef<str>>(text: &str, value: impl Fn(&str) -> Option<S>) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let shown = after[name_len..]
            .starts_with('}')
            .then(|| value(&after[..name_len]))
            .flatten();
        match shown {
            Some(shown) => {
                out.push_str(&rest[..open]);
                out.push_str(shown.as_ref());
                rest = &after[name_len + 1..];
            }
            None => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text escaped as Tera escapes a value it prints.
pub(crate) fn escaped(s: &str) -> String {
    let mut buf = Vec::with_capacity(s.len());
    let _ = tera::escape_html(s, &mut buf);
    String::from_utf8(buf).unwrap_or_default()
}

/// Registers `t()`, `script_strings()` and the filters `format_number`, `format_money`
/// (`| format_money(currency="USD")`) and `format_date` (a `YYYY-MM-DD` text).
pub fn register(tera: &mut tera::Tera, strings: std::sync::Arc<Strings>) {
    tera.register_function("t", Translate::new(strings.clone()));
    // The same for every page: made once.
    let for_scripts = tera::Value::from_serializable(&strings.for_scripts());
    tera.register_function("script_strings", move |_: tera::Kwargs, _: &tera::State| {
        for_scripts.clone()
    });
    let s = strings.clone();
    tera.register_filter(
        "format_number",
        move |v: tera::Value, _: tera::Kwargs, _: &tera::State| match v.as_f64() {
            Some(n) => tera::Value::from(s.number(n)),
            None => v,
        },
    );
    let s = strings.clone();
    tera.register_filter(
        "format_money",
        move |v: tera::Value, kw: tera::Kwargs, _: &tera::State| {
            let code: Option<String> = kw.get("currency").ok().flatten();
            match v.as_f64() {
                Some(n) => tera::Value::from(s.money(n, code.as_deref())),
                None => v,
            }
        },
    );
    let s = strings;
    tera.register_filter(
        "format_date",
        move |v: tera::Value, _: tera::Kwargs, _: &tera::State| match v
            .as_str()
            .and_then(|d| Date::parse(d).ok())
        {
            Some(d) => tera::Value::from(s.date(d)),
            None => v,
        },
    );
}

impl Strings {
    /// The strings of `config.language` for `config.theme`: English, the theme's language
    /// file over it, the site's over that. Warnings for every key the language lacks (and
    /// for a language the theme does not have), errors for files that do not parse.
    pub fn load(root: &Path, config: &Config) -> (Strings, Vec<Diagnostic>) {
        let files = files(config);
        let mut diags = Vec::new();
        let mut layers: Vec<Option<BTreeMap<String, String>>> = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        for f in &files {
            let (layer, text) = match read(root, f) {
                Ok(Some((m, text))) => (Some(m), text),
                Ok(None) => (None, String::new()),
                Err(d) => {
                    diags.push(d);
                    (None, String::new())
                }
            };
            layers.push(layer);
            texts.push(text);
        }
        let english = layers[0].clone().unwrap_or_default();
        let mut map = english.clone();
        if config.language != FALLBACK && !english.is_empty() {
            match &layers[1] {
                None if layers[2].is_none() => diags.push(Diagnostic::warning(
                    CONFIG_FILE,
                    1,
                    1,
                    format!(
                        "the theme has no strings for language `{}` ({} is missing); its \
                         words are shown in English",
                        config.language,
                        crate::diagnostics::display_path(&files[1])
                    ),
                )),
                _ => {
                    let theirs = layers[1].as_ref();
                    let site = layers[2].as_ref();
                    for key in english.keys() {
                        let has = |m: Option<&BTreeMap<String, String>>| {
                            m.is_some_and(|m| m.contains_key(key))
                        };
                        if !has(theirs) && !has(site) {
                            let shown = if layers[1].is_some() {
                                &files[1]
                            } else {
                                &files[2]
                            };
                            diags.push(Diagnostic::warning(
                                shown,
                                1,
                                1,
                                format!(
                                    "no `{key}` in language `{}`: the English string is shown; \
                                     add `{key}: ...` to {}",
                                    config.language,
                                    crate::diagnostics::display_path(&files[2])
                                ),
                            ));
                        }
                    }
                }
            }
        }
        let last = layers.len() - 1;
        for (i, layer) in layers.into_iter().enumerate().skip(1) {
            let Some(layer) = layer else { continue };
            for (k, v) in layer {
                if i == last && !english.is_empty() && !english.contains_key(&k) {
                    let known: Vec<&str> = english.keys().map(String::as_str).collect();
                    diags.push(Diagnostic::warning(
                        &files[i],
                        key_line(&texts[i], &k),
                        1,
                        format!(
                            "`{k}` is not a string of the theme{}; it is not used",
                            crate::yaml::did_you_mean(&k, &known)
                        ),
                    ));
                }
                map.insert(k, v);
            }
        }
        let strings = Strings::from_map(&config.language, map);
        (strings, diags)
    }

    /// English strings alone (tests, and formatting before the theme is read).
    pub fn from_map(language: &str, map: BTreeMap<String, String>) -> Strings {
        Strings {
            language: language.to_string(),
            map: map.into_iter().collect(),
            format: Default::default(),
        }
    }

    /// The text of `key`, if the theme has it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.map.get(key).map(String::as_str)
    }

    /// The text of `key`, or `fallback` when the theme lacks it (a theme without
    /// language files keeps certguide's English words).
    pub fn or<'a>(&'a self, key: &str, fallback: &'a str) -> &'a str {
        self.get(key).unwrap_or(fallback)
    }

    /// The text of `key` for the count `n`: `KEY.zero` for 0 (when the theme has it),
    /// `KEY.one` for 1, `KEY.other` otherwise, or `KEY` itself.
    pub fn counted(&self, key: &str, n: f64) -> Option<&str> {
        let zero = (n == 0.0)
            .then(|| self.get(&format!("{key}.zero")))
            .flatten();
        let form = if n == 1.0 { "one" } else { "other" };
        zero.or_else(|| self.get(&format!("{key}.{form}")))
            .or_else(|| self.get(key))
    }

    /// `key`'s text for the count `n`, filled in as `t(key=KEY, n=N)` fills it.
    pub fn count_phrase(&self, key: &str, n: f64) -> Option<String> {
        let text = self.counted(key, n)?;
        Some(fill(text, |name| (name == "n").then(|| self.number(n))))
    }

    /// Every key the scripts read (`js.*`), without the prefix, with the number format.
    pub fn for_scripts(&self) -> BTreeMap<String, String> {
        let mut out: BTreeMap<String, String> = self
            .map
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix(SCRIPT_PREFIX)?.to_string(), v.clone())))
            .collect();
        out.insert("lang".into(), self.language.clone());
        // Numbers the build's way (strings.js), without loading the browser's locale data.
        let format = self.number_format();
        out.insert("number_group".into(), format.group.clone());
        out.insert("number_decimal".into(), format.decimal.clone());
        out
    }

    /// How the language writes numbers and amounts (`number.*`, `money.pattern`).
    pub fn number_format(&self) -> &crate::config::NumberFormat {
        self.format.get_or_init(|| self.make_number_format())
    }

    fn make_number_format(&self) -> crate::config::NumberFormat {
        let d = crate::config::NumberFormat::default();
        crate::config::NumberFormat {
            group: self.or("number.group", &d.group).to_string(),
            decimal: self.or("number.decimal", &d.decimal).to_string(),
            money: self.or("money.pattern", &d.money).to_string(),
            words: self
                .map
                .iter()
                .filter_map(|(k, v)| Some((k.strip_prefix("fact.")?.to_string(), v.clone())))
                .collect(),
        }
    }

    /// `n` with the language's digit grouping and decimal mark: `1,495.5` / `1.495,5`.
    pub fn number(&self, n: f64) -> String {
        self.number_format().number(n)
    }

    /// An amount with its currency, the language's way: `1,495 USD` / `1.495 $`.
    pub fn money(&self, amount: f64, code: Option<&str>) -> String {
        self.number_format().money(amount, code)
    }

    /// A date written out: `3 November 2026` / `3. November 2026`.
    pub fn date(&self, d: Date) -> String {
        let english = d.display_long();
        let Some(pattern) = self.get("date.long") else {
            return english;
        };
        let month_key = format!("month.{}", d.month);
        let month = self
            .get(&month_key)
            .map(str::to_string)
            .unwrap_or_else(|| english.split(' ').nth(1).unwrap_or_default().to_string());
        fill(pattern, |name| match name {
            "day" => Some(d.day.to_string()),
            "month" => Some(month.clone()),
            "year" => Some(d.year.to_string()),
            _ => None,
        })
    }
}

/// The sign of a currency where the language writes one (`$`, `€`), else its code.
pub fn symbol(code: &str) -> &str {
    match code {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn german() -> Strings {
        let map = [
            ("number.group", "."),
            ("number.decimal", ","),
            ("money.pattern", "{amount} {symbol}"),
            ("date.long", "{day}. {month} {year}"),
            ("month.11", "November"),
            ("month.3", "März"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        Strings::from_map("de", map)
    }

    #[test]
    fn placeholders_are_filled_in_one_pass() {
        let value = |name: &str| match name {
            "n" => Some("4".to_string()),
            "years" => Some("5".to_string()),
            "acronym" => Some("{n}".to_string()),
            _ => None,
        };
        assert_eq!(
            fill(
                "{n} renewals due in the first {years} years, {n} in all",
                value
            ),
            "4 renewals due in the first 5 years, 4 in all"
        );
        // Without a value, or not a name: as written.
        assert_eq!(
            fill("{missing} {} {a b} { {n", value),
            "{missing} {} {a b} { {n"
        );
        assert_eq!(fill("", value), "");
        assert_eq!(fill("é{n}ü{years}", value), "é4ü5");
        // A value is not read again for placeholders.
        assert_eq!(fill("For {acronym} ({n})", value), "For {n} (4)");
    }

    #[test]
    fn numbers_money_and_dates_the_language_s_way() {
        let de = german();
        assert_eq!(de.number(1495.0), "1.495");
        assert_eq!(de.number(1234567.5), "1.234.567,5");
        assert_eq!(de.money(1495.0, Some("USD")), "1.495 $");
        assert_eq!(de.money(150000.0, Some("CHF")), "150.000 CHF");
        assert_eq!(
            de.date(Date::parse("2026-11-03").unwrap()),
            "3. November 2026"
        );
        assert_eq!(de.date(Date::parse("2026-03-14").unwrap()), "14. März 2026");
        let en = Strings::default();
        assert_eq!(en.number(1495.0), "1,495");
        assert_eq!(en.money(1495.0, Some("USD")), "1,495 USD");
        assert_eq!(
            en.date(Date::parse("2026-11-03").unwrap()),
            "3 November 2026"
        );
    }
}
