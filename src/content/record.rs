//! Certification records: `content/certifications/ID.yaml`, one per file.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::fields::Rule;
use super::{Date, LinkHook, LoadOptions, Positions};
use crate::diagnostics::{Diagnostic, Pos};
use crate::markdown;
use crate::url;
use crate::yaml;

/// The levels a record may have.
pub const LEVELS: [&str; 3] = ["foundation", "professional", "expert"];

/// What kind of value a record field holds (for facets, columns and sorting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    Number,
    List,
    Bool,
    /// `YYYY-MM-DD`, read as text.
    Date,
}

/// A record as its YAML is written. A new field goes here, in [`Record`], in [`parse`],
/// and in the table of fields (`fields.rs`), which every other reader of fields follows.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRecord {
    name: Spanned<String>,
    acronym: Spanned<String>,
    provider: Option<RawProvider>,
    url: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
    audience: Option<Vec<String>>,
    level: Option<Spanned<String>>,
    delivery: Option<Vec<String>>,
    cost: Option<RawCost>,
    effort: Option<RawEffort>,
    exam: Option<RawExam>,
    experience_years: Option<Spanned<f64>>,
    prerequisites: Option<Vec<String>>,
    renewal: Option<RawRenewal>,
    skills: Option<Vec<String>>,
    pros: Option<Vec<Spanned<String>>>,
    cons: Option<Vec<Spanned<String>>>,
    verified: Option<Spanned<String>>,
    draft: Option<bool>,
    extra: Option<RawExtra>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvider {
    name: String,
    url: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCost {
    amount: Option<Spanned<f64>>,
    currency: Option<String>,
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEffort {
    hours: Option<Spanned<f64>>,
    weeks: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExam {
    required: Option<bool>,
    format: Option<String>,
    questions: Option<Spanned<f64>>,
    minutes: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRenewal {
    every_years: Option<Spanned<f64>>,
    requirement: Option<String>,
}

/// A certification's provider.
#[derive(Debug, Clone)]
pub struct Provider {
    pub name: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Cost {
    pub amount: Option<f64>,
    pub currency: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Effort {
    pub hours: Option<f64>,
    pub weeks: Option<f64>,
}

#[derive(Debug, Clone, Default)]
pub struct Exam {
    pub required: Option<bool>,
    pub format: Option<String>,
    pub questions: Option<f64>,
    pub minutes: Option<f64>,
}

#[derive(Debug, Clone, Default)]
pub struct Renewal {
    pub every_years: Option<f64>,
    pub requirement: Option<String>,
}

/// One certification record, parsed and checked on its own.
#[derive(Debug, Clone)]
pub struct Record {
    /// The file stem.
    pub id: String,
    /// Source path relative to the site root.
    pub path: PathBuf,
    pub name: String,
    pub acronym: String,
    pub acronym_pos: Pos,
    pub provider: Option<Provider>,
    pub url: Option<String>,
    pub summary: Option<String>,
    pub summary_html: Option<String>,
    /// The summary as plain text (meta descriptions, the search index); empty without one.
    pub summary_text: String,
    pub audience: Vec<String>,
    pub level: Option<String>,
    pub delivery: Vec<String>,
    pub cost: Option<Cost>,
    pub effort: Option<Effort>,
    pub exam: Option<Exam>,
    pub experience_years: Option<f64>,
    pub prerequisites: Vec<String>,
    pub renewal: Option<Renewal>,
    pub skills: Vec<String>,
    pub pros: Vec<String>,
    pub pros_html: Vec<String>,
    pub cons: Vec<String>,
    pub cons_html: Vec<String>,
    pub verified: Option<Date>,
    /// Where `verified:` is written (or the file's start when it is missing).
    pub verified_pos: Pos,
    pub draft: bool,
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Links from the record's markdown to other sources, for the link check.
    pub links: Vec<super::LinkRef>,
}

/// A field's value, looked up by path (`cost.amount`), for facets, columns and data files.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Missing,
    Text(String),
    Number(f64),
    List(Vec<String>),
    Bool(bool),
}

impl Record {
    /// The value at a field path such as `provider.name` (read by its entry in
    /// [`RECORD_FIELDS`](super::RECORD_FIELDS)) or `extra.board` (from `extra`).
    pub fn field(&self, path: &str) -> FieldValue {
        if let Some(field) = super::record_field(path) {
            return (field.get)(self);
        }
        match path.strip_prefix("extra.") {
            Some(key) => json_field(self.extra.get(key)),
            None => FieldValue::Missing,
        }
    }
}

fn json_field(v: Option<&serde_json::Value>) -> FieldValue {
    use serde_json::Value;
    match v {
        None | Some(Value::Null) => FieldValue::Missing,
        Some(Value::Bool(b)) => FieldValue::Bool(*b),
        Some(Value::Number(n)) => n.as_f64().map_or(FieldValue::Missing, FieldValue::Number),
        Some(Value::String(s)) => FieldValue::Text(s.clone()),
        Some(Value::Array(items)) => FieldValue::List(
            items
                .iter()
                .map(|i| match i {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect(),
        ),
        Some(other) => FieldValue::Text(other.to_string()),
    }
}

/// The largest magnitude of a number in `extra` (which a facet or column may name): every
/// whole number up to it is exact in a float, in Rust and in the browser alike.
pub const EXTRA_NUMBER_MAX: f64 = 1e15;

/// Checks a record number against its field's [`Rule::Range`]; the message says the range.
fn check_number(key: &str, v: f64) -> Result<f64, String> {
    let (max, whole, zero) = match super::record_field(key).map(|f| f.rule) {
        Some(Rule::Range {
            max,
            whole,
            zero_allowed,
        }) => (max, whole, zero_allowed),
        _ => (f64::MAX, false, true),
    };
    // Below a thousandth nothing a record counts makes sense (and a subnormal step would
    // never add up), so "more than zero" starts there.
    let least = if zero { 0.0 } else { 1e-3 };
    if !(v.is_finite() && v >= least && v <= max) {
        let from = if zero { "zero" } else { "more than zero" };
        return Err(format!(
            "`{key}` must be a number from {from} to {}, not {}",
            crate::render::views::grouped(max),
            readable(v)
        ));
    }
    if whole && v.fract() != 0.0 {
        return Err(format!(
            "`{key}` must be a whole number, not {}",
            readable(v)
        ));
    }
    Ok(v)
}

/// A number as a person would write it: `1.7e308`, not 309 digits.
fn readable(v: f64) -> String {
    if v != 0.0 && v.is_finite() && !(1e-3..1e9).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        crate::render::views::number(v)
    }
}

/// `extra:` as written: free-form data, but with two rules the YAML layer cannot see. Keys
/// that read the same as text (`1` and `"1"`) are a duplicate, not a silent overwrite; and
/// a number (which a facet or column may name) is at most [`EXTRA_NUMBER_MAX`] in size.
#[derive(Debug, Default)]
struct RawExtra {
    map: serde_json::Map<String, serde_json::Value>,
    /// Top-level keys met a second time, where they are written (reported there).
    duplicates: Vec<Spanned<String>>,
}

impl<'de> Deserialize<'de> for RawExtra {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Top;
        impl<'de> serde::de::Visitor<'de> for Top {
            type Value = RawExtra;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping (`key: value` lines)")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawExtra, A::Error> {
                let mut out = RawExtra::default();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    let ExtraValue(value) = map.next_value()?;
                    if out.map.contains_key(&key.value) {
                        out.duplicates.push(key);
                    } else {
                        out.map.insert(key.value, value);
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(Top)
    }
}

/// One value of `extra`, checked as [`RawExtra`] says.
struct ExtraValue(serde_json::Value);

impl<'de> Deserialize<'de> for ExtraValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ExtraVisitor).map(ExtraValue)
    }
}

struct ExtraVisitor;

impl<'de> serde::de::Visitor<'de> for ExtraVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.visit_f64(v as f64).map(|_| v.into())
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.visit_f64(v as f64).map(|_| v.into())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        match serde_json::Number::from_f64(v) {
            Some(n) if v.abs() <= EXTRA_NUMBER_MAX => Ok(n.into()),
            _ => Err(E::custom(format!(
                "the number {} is larger than extra data may hold (at most {EXTRA_NUMBER_MAX:e} \
                 either side of zero); write it in quotes if it is not a quantity",
                readable(v)
            ))),
        }
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(ExtraValue(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(items.into())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let ExtraValue(value) = map.next_value()?;
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "duplicate key `{key}` in extra: keys that read the same as text (`1` and \
                     \"1\") are the same key; each key may appear once"
                )));
            }
            out.insert(key, value);
        }
        Ok(out.into())
    }
}

/// Parses and checks one record file. Problems go to `diags`; `None` when the file could
/// not be parsed at all.
pub(super) fn parse(
    text: &str,
    path: &Path,
    id: String,
    opts: &LoadOptions,
    diags: &mut Vec<Diagnostic>,
) -> Option<Record> {
    let raw: RawRecord = match yaml::parse(text, path, 0) {
        Ok(r) => r,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let at = |s_pos: Pos, msg: String| Diagnostic::at(path, s_pos, msg);
    let non_empty = |s: &Spanned<String>, key: &str, diags: &mut Vec<Diagnostic>| {
        if s.value.trim().is_empty() {
            diags.push(at(
                yaml::pos(s, 0),
                format!("`{key}` is empty; it is required"),
            ));
        }
    };
    non_empty(&raw.name, "name", diags);
    non_empty(&raw.acronym, "acronym", diags);

    let check_url = |s: &Option<Spanned<String>>, diags: &mut Vec<Diagnostic>| {
        let s = s.as_ref()?;
        match url::check_safe(&s.value) {
            Ok(()) => Some(s.value.trim().to_string()),
            Err(msg) => {
                diags.push(at(yaml::pos(s, 0), msg));
                None
            }
        }
    };
    let url = check_url(&raw.url, diags);
    let provider = raw.provider.map(|p| Provider {
        name: p.name,
        url: check_url(&p.url, diags),
    });

    let level = raw.level.and_then(|l| {
        if LEVELS.contains(&l.value.as_str()) {
            Some(l.value.clone())
        } else {
            diags.push(at(
                yaml::pos(&l, 0),
                format!(
                    "unknown level `{}`{}; expected one of: {}",
                    l.value,
                    yaml::did_you_mean(&l.value, &LEVELS),
                    LEVELS.join(", ")
                ),
            ));
            None
        }
    });

    let verified_pos = raw
        .verified
        .as_ref()
        .map_or(Pos::START, |v| yaml::pos(v, 0));
    let verified = raw.verified.and_then(|v| match Date::parse(&v.value) {
        Ok(d) => Some(d),
        Err(msg) => {
            diags.push(at(yaml::pos(&v, 0), msg));
            None
        }
    });

    let mut number = |n: Option<Spanned<f64>>, key: &str| -> Option<f64> {
        let n = n?;
        match check_number(key, n.value) {
            Ok(v) => Some(v),
            Err(msg) => {
                diags.push(at(yaml::pos(&n, 0), msg));
                None
            }
        }
    };
    let cost = raw.cost.map(|c| Cost {
        amount: number(c.amount, "cost.amount"),
        currency: c.currency,
        note: c.note,
    });
    let effort = raw.effort.map(|e| Effort {
        hours: number(e.hours, "effort.hours"),
        weeks: number(e.weeks, "effort.weeks"),
    });
    let exam = raw.exam.map(|e| Exam {
        required: e.required,
        format: e.format,
        questions: number(e.questions, "exam.questions"),
        minutes: number(e.minutes, "exam.minutes"),
    });
    let experience_years = number(raw.experience_years, "experience_years");
    let renewal = raw.renewal.map(|r| Renewal {
        every_years: number(r.every_years, "renewal.every_years"),
        requirement: r.requirement,
    });
    let extra = raw.extra.unwrap_or_default();
    for key in &extra.duplicates {
        diags.push(at(
            yaml::pos(key, 0),
            format!(
                "duplicate key `{}` in extra: keys that read the same as text (`1` and \
                 \"1\") are one key; each key may appear once",
                key.value
            ),
        ));
    }

    // Markdown fields: summary, pros and cons.
    let mut links = Vec::new();
    let mut md = |s: &Spanned<String>, diags: &mut Vec<Diagnostic>| {
        let mut hook = LinkHook::new(path, &opts.base_path, Positions::Fixed(yaml::pos(s, 0)));
        let rendered = markdown::render_inline(
            &s.value,
            opts.allow_raw_html,
            super::THEME_IDS,
            &mut |site| hook.visit(site),
        );
        diags.append(&mut hook.diags);
        links.append(&mut hook.refs);
        rendered
    };
    let (summary_html, summary_text) = match raw.summary.as_ref().map(|s| md(s, diags)) {
        Some(r) => (Some(r.html), r.text),
        None => (None, String::new()),
    };
    let pros = raw.pros.unwrap_or_default();
    let cons = raw.cons.unwrap_or_default();
    let pros_html = pros.iter().map(|p| md(p, diags).html).collect();
    let cons_html = cons.iter().map(|c| md(c, diags).html).collect();

    Some(Record {
        id,
        path: path.to_path_buf(),
        name: raw.name.value.trim().to_string(),
        acronym: raw.acronym.value.trim().to_string(),
        acronym_pos: yaml::pos(&raw.acronym, 0),
        provider,
        url,
        summary: raw.summary.map(|s| s.value),
        summary_html,
        summary_text,
        audience: raw.audience.unwrap_or_default(),
        level,
        delivery: raw.delivery.unwrap_or_default(),
        cost,
        effort,
        exam,
        experience_years,
        prerequisites: raw.prerequisites.unwrap_or_default(),
        renewal,
        skills: raw.skills.unwrap_or_default(),
        pros: pros.into_iter().map(|p| p.value).collect(),
        pros_html,
        cons: cons.into_iter().map(|c| c.value).collect(),
        cons_html,
        verified,
        verified_pos,
        draft: raw.draft.unwrap_or(false),
        extra: extra.map,
        links,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> LoadOptions {
        LoadOptions {
            base_path: "/".into(),
            drafts: false,
            allow_raw_html: false,
            max_total_bytes: u64::MAX,
        }
    }

    fn parse_str(text: &str) -> (Option<Record>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let r = parse(
            text,
            Path::new("content/certifications/r.yaml"),
            "r".into(),
            &opts(),
            &mut diags,
        );
        (r, diags)
    }

    #[test]
    fn a_full_record_parses() {
        let (r, diags) = parse_str(
            "name: Certified Call Center Manager\nacronym: CCCM\nprovider: { name: P, url: https://p.example }\n\
             cost: { amount: 1495, currency: USD }\nlevel: professional\nverified: 2026-11-01\n\
             pros: [\"Links [ROI](../articles/roi.md#payback)\"]\nextra: { board: 3 }\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let r = r.unwrap();
        assert_eq!(r.field("cost.amount"), FieldValue::Number(1495.0));
        assert_eq!(r.field("provider.name"), FieldValue::Text("P".into()));
        assert_eq!(r.field("effort.hours"), FieldValue::Missing);
        assert_eq!(r.field("extra.board"), FieldValue::Number(3.0));
        assert!(r.pros_html[0].contains(r#"href="/articles/roi/#payback""#));
        assert_eq!(r.links.len(), 1);
        assert_eq!(r.links[0].target, PathBuf::from("content/articles/roi.md"));
    }

    #[test]
    fn every_field_problem_is_reported_at_its_value() {
        let (_, diags) = parse_str(
            "name: N\nacronym: A\nlevel: profesional\nverified: 2026-02-30\nurl: javascript:alert(1)\n\
             cost:\n  amount: -5\n",
        );
        let at: Vec<(usize, usize)> = diags.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(at, [(5, 6), (3, 8), (4, 11), (7, 11)], "{diags:?}");
        assert!(diags[1].message.contains("did you mean `professional`"));
    }
}
