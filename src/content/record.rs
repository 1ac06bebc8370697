//! Certification records: `content/certifications/ID.yaml`, one per file.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::fields::Rule;
use super::{Date, LinkHook, LoadOptions, Positions};
use crate::block_yaml::{self, Node, Read, read_struct};
use crate::diagnostics::{Diagnostic, Pos};
use crate::markdown;
use crate::url;
use crate::yaml::{self, At};

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
    /// An amount of money written with its currency (`{ amount, currency }`); read as
    /// the amount, compared in the base currency ([`Field::base`](super::Field::base)).
    Money,
}

impl FieldType {
    /// Whether its values are numbers: range facets, numeric columns.
    pub fn is_numeric(self) -> bool {
        matches!(self, FieldType::Number | FieldType::Money)
    }
}

/// A record as its YAML is written. A new field goes here, in its `read_struct!` below
/// (the fast path), in [`Record`], in [`parse`], and in the table of fields (`fields.rs`),
/// which every other reader of fields follows.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRecord {
    name: At<String>,
    acronym: At<String>,
    provider: Option<RawProvider>,
    url: Option<At<String>>,
    summary: Option<At<String>>,
    audience: Option<Vec<String>>,
    level: Option<At<String>>,
    delivery: Option<Vec<String>>,
    cost: Option<RawCost>,
    effort: Option<RawEffort>,
    exam: Option<RawExam>,
    experience_years: Option<At<f64>>,
    prerequisites: Option<Vec<String>>,
    renewal: Option<RawRenewal>,
    skills: Option<Vec<String>>,
    pros: Option<Vec<At<String>>>,
    cons: Option<Vec<At<String>>>,
    verified: Option<At<String>>,
    draft: Option<bool>,
    sources: Option<Vec<RawSource>>,
    aliases: Option<Vec<At<String>>>,
    extra: Option<RawExtra>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    url: At<String>,
    title: Option<String>,
    accessed: Option<At<String>>,
    covers: Option<Vec<At<String>>>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAmount {
    amount: At<f64>,
    currency: Option<At<String>>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvider {
    name: String,
    url: Option<At<String>>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCost {
    amount: Option<At<f64>>,
    currency: Option<At<String>>,
    note: Option<String>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEffort {
    hours: Option<At<f64>>,
    weeks: Option<At<f64>>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExam {
    required: Option<bool>,
    format: Option<String>,
    questions: Option<At<f64>>,
    minutes: Option<At<f64>>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRenewal {
    every_years: Option<At<f64>>,
    requirement: Option<String>,
    cost: Option<RawAmount>,
}

/// The fast path: a [`RawRecord`] read from [`block_yaml`]'s tree, or `None` for
/// anything it does not read exactly as serde-saphyr would (an unknown or repeated key,
/// a value of another type, `extra:`), which [`parse`] then reads the full way. A test
/// checks the two give the same record on every record they both read.
fn read_fast(text: &str) -> Option<RawRecord> {
    RawRecord::read(&block_yaml::parse(text)?)
}

impl Read for RawExtra {
    /// Free-form: always the full way.
    fn read(_: &Node<'_>) -> Option<RawExtra> {
        None
    }
}

read_struct!(RawRecord {
    name,
    acronym,
    provider,
    url,
    summary,
    audience,
    level,
    delivery,
    cost,
    effort,
    exam,
    experience_years,
    prerequisites,
    renewal,
    skills,
    pros,
    cons,
    verified,
    draft,
    sources,
    aliases,
    extra,
});
read_struct!(RawSource {
    url,
    title,
    accessed,
    covers
});
read_struct!(RawAmount { amount, currency });
read_struct!(RawProvider { name, url });
read_struct!(RawCost {
    amount,
    currency,
    note
});
read_struct!(RawEffort { hours, weeks });
read_struct!(RawExam {
    required,
    format,
    questions,
    minutes
});
read_struct!(RawRenewal {
    every_years,
    requirement,
    cost
});

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
    /// `amount` in the site's base currency (site.yaml `currency:`); `None` when its
    /// currency has no rate. Without a `currency:` block, the amount as written.
    pub amount_base: Option<f64>,
    /// Where `currency` is written.
    pub currency_pos: Option<Pos>,
}

/// An amount of money with its currency (`renewal.cost`).
#[derive(Debug, Clone, Default)]
pub struct Amount {
    pub amount: f64,
    pub currency: Option<String>,
    /// `amount` in the base currency, as for [`Cost::amount_base`].
    pub amount_base: Option<f64>,
    pub currency_pos: Option<Pos>,
}

/// The cost of a certification over `horizon_years` (site.yaml): its cost, plus one
/// renewal cost for each renewal due strictly before the horizon. In the base currency.
#[derive(Debug, Clone, PartialEq)]
pub struct TotalCost {
    pub years: u32,
    /// The total, or the part of it that is known (`complete: false`).
    pub amount: f64,
    /// The base currency (the cost's own without a `currency:` block).
    pub currency: Option<String>,
    /// Renewals due before the horizon (0 when the interval is unknown).
    pub renewals: u32,
    /// Whether every part is known: the renewal interval, and the renewal cost when
    /// renewals are due.
    pub complete: bool,
    /// The first cost and one renewal's cost, in the base currency.
    pub first: f64,
    pub renewal_each: Option<f64>,
    /// The renewal interval, when known.
    pub every_years: Option<f64>,
}

/// Where a fact came from: one entry of a record's `sources`.
#[derive(Debug, Clone)]
pub struct Source {
    pub url: String,
    pub title: Option<String>,
    pub accessed: Option<Date>,
    /// The record fields (paths such as `exam.minutes`) or groups (`exam`) it supports.
    pub covers: Vec<String>,
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
    pub cost: Option<Amount>,
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
    /// `cost` plus renewals over `horizon_years`, when the site uses the money keys
    /// (`Money::totals`) and the record has a cost in a currency that converts.
    pub total_cost: Option<TotalCost>,
    pub sources: Vec<Source>,
    /// Old addresses that redirect to the record's page, as written, with where.
    pub aliases: Vec<(String, Pos)>,
    /// Where each top-level key of a field is written (for warnings about a fact as a
    /// whole), by the field's own name: no text kept per key of every record.
    pub key_pos: Vec<(&'static str, Pos)>,
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

impl Record {
    /// The value filters, sorting and range facets use at a field path: the base amount
    /// of money ([`Field::base`](super::Field::base)), else what [`Record::field`] reads.
    pub fn compared(&self, path: &str) -> FieldValue {
        match super::record_field(path) {
            Some(field) => field.compared(self),
            None => self.field(path),
        }
    }

    /// The base amounts and `total_cost` this record has under `money`: what parsing it
    /// with `money` gives.
    fn converted(
        &self,
        money: &crate::config::Money,
    ) -> (Option<f64>, Option<f64>, Option<TotalCost>) {
        let cost = self
            .cost
            .as_ref()
            .and_then(|c| money.to_base(c.amount?, c.currency.as_deref()));
        let renewal = self
            .renewal
            .as_ref()
            .and_then(|r| r.cost.as_ref())
            .and_then(|c| money.to_base(c.amount, c.currency.as_deref()));
        let mut cost_now = self.cost.clone();
        let mut renewal_now = self.renewal.clone();
        if let Some(c) = &mut cost_now {
            c.amount_base = cost;
        }
        if let Some(c) = renewal_now.as_mut().and_then(|r| r.cost.as_mut()) {
            c.amount_base = renewal;
        }
        let total = money
            .totals
            .then(|| total_cost(cost_now.as_ref(), renewal_now.as_ref(), money))
            .flatten();
        (cost, renewal, total)
    }

    /// Whether the base amounts (or the total) were counted under other money settings
    /// than `money`: the base the site assumes without a `currency:` block depends on
    /// every record, so it is applied once they are all loaded.
    pub fn needs_conversion(&self, money: &crate::config::Money) -> bool {
        let (cost, renewal, total) = self.converted(money);
        cost != self.cost.as_ref().and_then(|c| c.amount_base)
            || renewal
                != self
                    .renewal
                    .as_ref()
                    .and_then(|r| r.cost.as_ref())
                    .and_then(|c| c.amount_base)
            || total != self.total_cost
    }

    /// Counts the base amounts and the total again under `money`.
    pub fn convert(&mut self, money: &crate::config::Money) {
        let (cost, renewal, total) = self.converted(money);
        if let Some(c) = &mut self.cost {
            c.amount_base = cost;
        }
        if let Some(c) = self.renewal.as_mut().and_then(|r| r.cost.as_mut()) {
            c.amount_base = renewal;
        }
        self.total_cost = total;
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
    // never add up), so "more than zero" starts there; where zero is allowed, a number is
    // zero or starts there too (2e-308 hours made the cost per study hour too large for
    // any integer).
    if zero && v > 0.0 && v < 1e-3 {
        return Err(format!(
            "`{key}` must be zero or at least 0.001, not {}",
            readable(v)
        ));
    }
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
#[derive(Debug, Default, PartialEq)]
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

/// A currency code as written: three capital letters (an error otherwise), with a rate
/// unless it is the base (a warning otherwise: the amount is left out of comparisons).
fn currency(
    code: Option<At<String>>,
    key: &str,
    path: &Path,
    money: &crate::config::Money,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let code = code?;
    let at = code.pos;
    if !crate::config::is_currency_code(&code.value) {
        diags.push(Diagnostic::at(
            path,
            at,
            format!(
                "`{key}` `{}` is not a currency code: write three capital letters (ISO 4217), \
                 such as USD or EUR",
                code.value
            ),
        ));
        return None;
    }
    if let Some(c) = &money.currency
        && code.value != c.base
        && !c.rates.contains_key(&code.value)
    {
        diags.push(Diagnostic::warning(
            path,
            at.line,
            at.column,
            format!(
                "currency `{}` has no rate in site.yaml's `currency.rates` (base {}): this \
                 amount is left out of filters, sorting, the chart and totals; add `{}: N` \
                 (1 {} = N {})",
                code.value, c.base, code.value, code.value, c.base
            ),
        ));
    }
    Some(code.value)
}

/// Where each top-level key of a field ([`RECORD_FIELDS`](super::RECORD_FIELDS)) is
/// written in a record's YAML: `key:` at the start of a line.
fn key_positions(text: &str) -> Vec<(&'static str, Pos)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let (key, _) = line.split_once(':')?;
            let plain = !key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
            if !plain {
                return None;
            }
            let known = super::RECORD_FIELDS
                .iter()
                .map(super::Field::top_level_key)
                .find(|k| *k == key)?;
            Some((known, Pos::new(i + 1, 1)))
        })
        .collect()
}

/// Renewals due strictly before year `years` when one is due every `every` years: every
/// year over 5 → 4 (years 1 to 4), every 3 over 5 → 1, every 5 over 5 → 0.
pub fn renewals_before(years: u32, every: f64) -> u32 {
    if !(every.is_finite() && every > 0.0) {
        return 0;
    }
    let q = f64::from(years) / every;
    // A renewal that falls on the horizon itself is not before it; float steps (5 / 0.1)
    // must not add or lose one.
    let n = if (q - q.round()).abs() < 1e-9 {
        q.round() - 1.0
    } else {
        q.floor()
    };
    n.clamp(0.0, f64::from(u32::MAX)) as u32
}

/// [`TotalCost`] of a record's cost and renewal, in the base currency.
fn total_cost(
    cost: Option<&Cost>,
    renewal: Option<&Renewal>,
    money: &crate::config::Money,
) -> Option<TotalCost> {
    let cost = cost?;
    let first = cost.amount_base?;
    let years = money.horizon_years;
    let currency = money
        .base()
        .map(str::to_string)
        .or_else(|| cost.currency.clone());
    let every_years = renewal.and_then(|r| r.every_years);
    let renewals = every_years.map_or(0, |e| renewals_before(years, e));
    let renewal_each = renewal.and_then(|r| r.cost.as_ref()?.amount_base);
    let (amount, complete) = match (every_years, renewal_each) {
        (None, _) => (first, false),
        (Some(_), _) if renewals == 0 => (first, true),
        (Some(_), Some(each)) => (
            crate::config::cents(first + f64::from(renewals) * each),
            true,
        ),
        (Some(_), None) => (first, false),
    };
    Some(TotalCost {
        years,
        amount,
        currency,
        renewals,
        complete,
        first,
        renewal_each,
        every_years,
    })
}

/// One entry of `sources`, checked: a safe URL, a real date, and `covers` naming record
/// fields or groups.
fn source(s: RawSource, path: &Path, diags: &mut Vec<Diagnostic>) -> Option<Source> {
    let mut ok = true;
    if let Err(msg) = url::check_safe(&s.url.value) {
        diags.push(Diagnostic::at(path, s.url.pos, msg));
        ok = false;
    }
    let accessed = s.accessed.and_then(|d| match Date::parse(&d.value) {
        Ok(date) => Some(date),
        Err(msg) => {
            diags.push(Diagnostic::at(path, d.pos, msg));
            None
        }
    });
    let names = super::fields::coverable();
    let mut covers = Vec::new();
    for c in s.covers.unwrap_or_default() {
        // `extra.KEY` as in `columns`: a fact of the record's own free-form data.
        let extra = c
            .value
            .strip_prefix("extra.")
            .is_some_and(|k| !k.is_empty());
        if extra || names.contains(&c.value.as_str()) {
            covers.push(c.value);
        } else {
            diags.push(Diagnostic::at(
                path,
                c.pos,
                format!(
                    "`covers` names `{}`, which is no record field or group{}; fields are \
                     named as in `columns` (`exam.minutes`, `extra.KEY`), groups by their key \
                     (`exam`)",
                    c.value,
                    yaml::did_you_mean(&c.value, &names)
                ),
            ));
        }
    }
    ok.then(|| Source {
        url: s.url.value.trim().to_string(),
        title: s.title.filter(|t| !t.trim().is_empty()),
        accessed,
        covers,
    })
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
    let fast = read_fast(text).map(Ok);
    let raw: RawRecord = match fast.unwrap_or_else(|| yaml::parse(text, path, 0)) {
        Ok(r) => r,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let at = |s_pos: Pos, msg: String| Diagnostic::at(path, s_pos, msg);
    let non_empty = |s: &At<String>, key: &str, diags: &mut Vec<Diagnostic>| {
        if s.value.trim().is_empty() {
            diags.push(at(s.pos, format!("`{key}` is empty; it is required")));
        }
    };
    non_empty(&raw.name, "name", diags);
    non_empty(&raw.acronym, "acronym", diags);

    let check_url = |s: &Option<At<String>>, diags: &mut Vec<Diagnostic>| {
        let s = s.as_ref()?;
        match url::check_safe(&s.value) {
            Ok(()) => Some(s.value.trim().to_string()),
            Err(msg) => {
                diags.push(at(s.pos, msg));
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
                l.pos,
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

    let verified_pos = raw.verified.as_ref().map_or(Pos::START, |v| v.pos);
    let verified = raw.verified.and_then(|v| match Date::parse(&v.value) {
        Ok(d) => Some(d),
        Err(msg) => {
            diags.push(at(v.pos, msg));
            None
        }
    });

    let mut number = |n: Option<At<f64>>, key: &str| -> Option<f64> {
        let n = n?;
        match check_number(key, n.value) {
            Ok(v) => Some(v),
            Err(msg) => {
                diags.push(at(n.pos, msg));
                None
            }
        }
    };
    let money = &opts.money;
    // Currency problems, apart while `number` holds `diags`.
    let mut money_diags = Vec::new();
    let cost = raw.cost.map(|c| {
        let amount = number(c.amount, "cost.amount");
        let currency_pos = c.currency.as_ref().map(|c| c.pos);
        let currency = currency(c.currency, "cost.currency", path, money, &mut money_diags);
        Cost {
            amount_base: amount.and_then(|a| money.to_base(a, currency.as_deref())),
            amount,
            currency,
            currency_pos,
            note: c.note,
        }
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
        cost: r.cost.and_then(|c| {
            let amount = number(Some(c.amount), "renewal.cost")?;
            let currency_pos = c.currency.as_ref().map(|c| c.pos);
            let currency = currency(
                c.currency,
                "renewal.cost.currency",
                path,
                money,
                &mut money_diags,
            );
            Some(Amount {
                amount_base: money.to_base(amount, currency.as_deref()),
                amount,
                currency,
                currency_pos,
            })
        }),
    });
    diags.append(&mut money_diags);
    let total_cost = money
        .totals
        .then(|| total_cost(cost.as_ref(), renewal.as_ref(), money))
        .flatten();
    let sources = raw
        .sources
        .unwrap_or_default()
        .into_iter()
        .filter_map(|s| source(s, path, diags))
        .collect();
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
    let mut md = |s: &At<String>, diags: &mut Vec<Diagnostic>| {
        let mut hook = LinkHook::new(path, &opts.base_path, Positions::Fixed(s.pos));
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
        acronym_pos: raw.acronym.pos,
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
        total_cost,
        sources,
        aliases: raw
            .aliases
            .unwrap_or_default()
            .into_iter()
            .map(|a| (a.value, a.pos))
            .collect(),
        key_pos: key_positions(text),
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
            money: Default::default(),
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

    /// The records the fast path must read as serde-saphyr does: every record of the
    /// fixtures and the demo, and the synthetic corpus's shape.
    fn sample_records() -> Vec<String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<String> = walkdir::WalkDir::new(root.join("tests/fixtures"))
            .into_iter()
            .chain(walkdir::WalkDir::new(root.join("examples")))
            .filter_map(Result::ok)
            .filter(|e| {
                let p = e.path().to_string_lossy();
                p.contains("/certifications/") && p.ends_with(".yaml")
            })
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect();
        texts.push(SYNTHETIC.to_string());
        texts
    }

    /// A record as `bench/gen_corpus.py` writes them.
    const SYNTHETIC: &str = r#"name: "Certified Chat Schedule Professional 0"
acronym: "CLEN0"
provider:
  name: "Institute C"
  url: "https://provider0.example/"
url: "https://provider0.example/certs/0"
summary: "Metric schedule."
audience:
  - "supervisor"
  - "trainer"
level: "foundation"
delivery:
  - "online"
cost:
  amount: 3365
  currency: "USD"
effort:
  hours: 60
  weeks: 16
exam:
  required: true
  format: "multiple choice, proctored online"
  questions: 94
  minutes: 120
experience_years: 3
prerequisites:
  - "Manager training."
renewal:
  every_years: 1
  requirement: "Investment exam."
skills:
  - "coaching"
pros:
  - "Scorecard omnichannel."
cons:
  - "Budget backlog."
sources:
  - url: "https://provider0.example/exam"
    title: "Exam"
    covers:
      - "exam"
verified: 2026-03-27
"#;

    /// A record written with flow collections, as the demo's are.
    const FLOW: &str = r#"name: Escalations Specialist
acronym: AWL-ESC
provider: { name: Adventure Works Learning, url: https://adventureworks.example.com/ }
summary: "A fictional certification, made up for this demo guide."
audience: [supervisor, team-lead]
cost: { amount: 610, currency: GBP, note: "Exam only; the course is optional" }
exam: { required: true, format: "Online and open-book.", questions: 55, minutes: 75 }
prerequisites: ["2 years in a contact-center role"]
renewal: { every_years: 3, requirement: "A case-review session", cost: { amount: 85, currency: GBP } }
pros:
  - "Recognised across the invented provider's partner network."
verified: 2026-10-23
sources:
  - url: https://adventureworks.example.com/certifications/esc
    title: "Adventure Works Learning: Escalations Specialist (fictional page)"
    accessed: 2026-10-22
    covers: [name, provider.name, level]
"#;

    /// When the fast path reads `text`, it reads what serde-saphyr reads.
    fn same_as_serde(text: &str) -> Result<bool, String> {
        block_yaml::edits::same_as_serde::<RawRecord>(text, 0)
    }

    #[test]
    fn the_fast_path_reads_the_common_records_as_serde_saphyr_does() {
        let texts = sample_records();
        let mut fast = 0;
        for text in &texts {
            if same_as_serde(text).unwrap_or_else(|e| panic!("{e}")) {
                fast += 1;
            }
        }
        // It is worth having only if the usual records take it.
        assert!(read_fast(SYNTHETIC).is_some());
        assert!(read_fast(FLOW).is_some());
        assert!(fast * 2 > texts.len(), "{fast} of {}", texts.len());
    }

    #[test]
    fn the_fast_path_agrees_with_serde_saphyr_on_every_single_edit() {
        for base in [SYNTHETIC, FLOW] {
            for line in 0..base.lines().count() {
                let values = block_yaml::edits::VALUES.iter().map(|v| (0, *v));
                for (op, value) in values.chain((1..5).map(|op| (op, ""))) {
                    if let Err(e) =
                        same_as_serde(&block_yaml::edits::edited(base, &[(line, op, value)]))
                    {
                        panic!("{e}");
                    }
                }
            }
        }
    }

    proptest::proptest! {
        /// Several edits at once. Whatever the fast path reads, it reads as serde-saphyr
        /// does.
        #[test]
        fn the_fast_path_agrees_with_serde_saphyr_on_edited_records(
            flow in proptest::bool::ANY,
            edits in proptest::collection::vec((0usize..64, 0usize..5, 0usize..64), 2..5),
        ) {
            let base = if flow { FLOW } else { SYNTHETIC };
            let edits: Vec<(usize, usize, &str)> = edits
                .into_iter()
                .map(|(line, op, value)| (line, op, block_yaml::edits::VALUES[value % block_yaml::edits::VALUES.len()]))
                .collect();
            if let Err(e) = same_as_serde(&block_yaml::edits::edited(base, &edits)) {
                proptest::prop_assert!(false, "{}", e);
            }
        }
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
    fn renewals_are_counted_strictly_before_the_horizon() {
        assert_eq!(renewals_before(5, 1.0), 4);
        assert_eq!(renewals_before(5, 3.0), 1);
        assert_eq!(renewals_before(5, 5.0), 0);
        assert_eq!(renewals_before(5, 2.0), 2);
        assert_eq!(
            renewals_before(5, 0.1),
            49,
            "float steps neither add nor lose one"
        );
        assert_eq!(renewals_before(5, 7.0), 0);
        assert_eq!(renewals_before(5, f64::NAN), 0);
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
