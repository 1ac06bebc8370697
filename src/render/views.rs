//! What templates and data files see of the content: records, articles and pages turned
//! into plain, display-ready values (see docs/templates.md for the contract).

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;
use tera::value::{Key, Map};

use crate::config::{Config, FacetKind, Labels, Money, default_label, label_of};
use crate::content::{Content, Date, Document, FieldType, FieldValue, Record, record_field};
use crate::i18n::Strings;
use crate::markdown::Heading;
use crate::routes::Route;
use crate::validate::{Freshness, freshness_of};

/// Shown wherever a value is unknown.
pub const MISSING: &str = "—";

/// A number that serialises as an integer when it is whole (`1495`, not `1495.0`), so
/// templates can use it where Tera wants an integer (`pluralize`) and data files read well.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Num(pub f64);

impl Serialize for Num {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let n = self.0;
        if n.fract() == 0.0 && n.abs() < 9.0e15 {
            s.serialize_i64(n as i64)
        } else {
            s.serialize_f64(n)
        }
    }
}

fn num(n: Option<f64>) -> Option<Num> {
    n.map(Num)
}

#[derive(Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: String,
    pub base_path: String,
    pub nav: Vec<NavItem>,
    pub generator: String,
    /// Records verified longer ago are stale (none when site.yaml does not say).
    pub stale_after_months: Option<u32>,
    /// site.yaml's `currency:` block (`base`, `as_of`, `rates`), or none.
    pub currency: Option<CurrencyView>,
    /// The years `total_cost` counts.
    pub horizon_years: u32,
    /// site.yaml's `notice:`, shown on every page in a banner; none when not set.
    pub notice: Option<String>,
    /// Where the theme's words for scripts are (`data/words.js`).
    pub words_url: String,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
pub struct CurrencyView {
    pub base: String,
    pub as_of: Option<String>,
    pub rates: BTreeMap<String, f64>,
}

#[derive(Serialize)]
pub struct NavItem {
    pub title: String,
    pub url: String,
}

/// A page's `nav_current`: for each item of `site.nav` (at `nav_urls`), what the page at
/// `url`, of kind `kind`, is to it, as `aria-current` says it: `page` when the item is this
/// page, `true` when the page is in the item's part of the site (under its URL; for the
/// home item, a record's page), else empty. Made per page in Rust: the same test in the
/// template (`page_url is starting_with(pat=item.url)` for each item) was a Tera call with
/// its arguments for each item of each page, ~18,000 instructions a page.
pub fn nav_current(nav_urls: &[String], base_path: &str, url: &str, kind: &str) -> Value {
    let current = |item: &str| match item == url {
        true => "page",
        false if item != base_path && url.starts_with(item) => "true",
        false if item == base_path && kind == "certification" => "true",
        false => "",
    };
    Value::from(
        nav_urls
            .iter()
            .map(|item| Value::from(current(item)))
            .collect::<Vec<_>>(),
    )
}

/// `site.generator`: what made the site, with its version.
pub fn generator() -> String {
    format!("certguide {}", env!("CARGO_PKG_VERSION"))
}

pub fn site(config: &Config, content: &Content, strings: &Strings) -> SiteView {
    let base = &config.base_path;
    let mut nav = vec![
        NavItem {
            title: strings.or("nav.certifications", "Certifications").into(),
            url: base.clone(),
        },
        NavItem {
            title: strings.or("nav.compare", "Compare").into(),
            url: format!("{base}compare/"),
        },
        NavItem {
            title: strings.or("nav.articles", "Articles").into(),
            url: format!("{base}articles/"),
        },
    ];
    let mut pages: Vec<&Document> = content.pages.iter().collect();
    pages.sort_by(|a, b| a.weight.cmp(&b.weight).then_with(|| a.title.cmp(&b.title)));
    nav.extend(pages.iter().map(|p| NavItem {
        title: p.title.clone(),
        url: Route::Page(&p.slug).url(base),
    }));
    SiteView {
        title: config.title.clone(),
        description: config.description.clone(),
        language: config.language.clone(),
        base_url: config.base_url.clone(),
        base_path: config.base_path.clone(),
        nav,
        generator: generator(),
        stale_after_months: config.stale_after_months,
        currency: config.money.currency.as_ref().map(|c| CurrencyView {
            base: c.base.clone(),
            as_of: c.as_of.map(|d| d.to_string()),
            rates: c.rates.clone(),
        }),
        horizon_years: config.money.horizon_years,
        notice: config.notice.clone(),
        words_url: Route::Data(crate::routes::DataFile::ScriptWords).url(base),
        extra: config.extra.clone(),
    }
}

#[derive(Serialize, Clone)]
pub struct ProviderView {
    pub name: String,
    pub url: Option<String>,
}

#[derive(Serialize, Clone)]
pub struct CostView {
    pub amount: Option<Num>,
    pub currency: Option<String>,
    pub note: Option<String>,
    pub text: String,
    /// The amount in the base currency; published only on a site that uses the money
    /// keys (`Money::totals`), absent when the currency has no rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_base: Option<Num>,
}

/// An amount with its currency (`renewal.cost`).
#[derive(Serialize, Clone)]
pub struct AmountView {
    pub amount: Num,
    pub currency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_base: Option<Num>,
    /// As written, with the base amount beside it when they differ.
    pub text: String,
}

/// `total_cost`: the cost over `years`, and how it was counted.
#[derive(Serialize, Clone)]
pub struct TotalCostView {
    pub years: u32,
    pub amount: Num,
    pub currency: Option<String>,
    pub renewals: u32,
    pub complete: bool,
    /// `1,795 USD`, or `at least 1,495 USD — renewal cost unknown`.
    pub text: String,
    /// How it was counted: `1,495 USD + 1 renewal × 300 USD (every 3 years) over 5 years`.
    pub how: String,
}

/// One entry of a record's `sources`.
#[derive(Serialize, Clone)]
pub struct SourceView {
    pub url: String,
    pub title: Option<String>,
    pub accessed: Option<String>,
    pub covers: Vec<String>,
    /// `covers` as people read it: each field's label (`Renewal (years)`), each group's
    /// name (`Exam`).
    pub covers_labels: Vec<String>,
}

#[derive(Serialize, Clone)]
pub struct EffortView {
    pub hours: Option<Num>,
    pub weeks: Option<Num>,
    pub text: String,
}

#[derive(Serialize, Clone)]
pub struct ExamView {
    pub required: Option<bool>,
    pub format: Option<String>,
    pub questions: Option<Num>,
    pub minutes: Option<Num>,
    pub text: String,
}

#[derive(Serialize, Clone)]
pub struct RenewalView {
    pub every_years: Option<Num>,
    pub requirement: Option<String>,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<AmountView>,
}

/// One entry of a record's `extra` map as its page shows it under "More details".
#[derive(Serialize, Clone)]
pub struct ExtraItem {
    pub key: String,
    /// The key as people read it (`acronym_note` → "Acronym note").
    pub label: String,
    /// The value as one line of text (lists joined with "; "), for filters and tables.
    pub value: String,
    /// A list's items (or a map's "Key: value" entries) shown as a list; empty for a
    /// single value.
    pub items: Vec<ExtraValue>,
    /// A single value that is a web address, to show as a link.
    pub href: Option<String>,
}

/// One item of an `extra` list: its text, and its address when it is one.
#[derive(Serialize, Clone)]
pub struct ExtraValue {
    pub text: String,
    pub href: Option<String>,
}

/// A record as `data/certifications.json` publishes it (and templates see it, with
/// [`CertExtras`]). Written out by hand rather than from the table of fields: it is a
/// published format, documented in docs/templates.md, with its own order of keys, a
/// display `text` in each group, `url:` published as `official_url`, and `[]` rather than
/// `null` for an empty list. A test checks that every field of
/// [`RECORD_FIELDS`](crate::content::RECORD_FIELDS) is here, with the value the table reads.
#[derive(Serialize, Clone)]
pub struct RecordData {
    pub id: String,
    pub url: String,
    pub official_url: Option<String>,
    pub name: String,
    pub acronym: String,
    pub provider: Option<ProviderView>,
    pub summary: Option<String>,
    pub audience: Vec<String>,
    pub level: Option<String>,
    pub delivery: Vec<String>,
    pub cost: Option<CostView>,
    pub effort: Option<EffortView>,
    pub exam: Option<ExamView>,
    pub experience_years: Option<Num>,
    pub prerequisites: Vec<String>,
    pub renewal: Option<RenewalView>,
    pub skills: Vec<String>,
    pub pros: Vec<String>,
    pub cons: Vec<String>,
    pub verified: Option<String>,
    pub verified_label: String,
    /// `verified`, `stale` (verified longer ago than `stale_after_months`) or `unverified`.
    pub freshness: &'static str,
    pub draft: bool,
    /// Absent without a cost, or on a site that uses none of the money keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_cost: Option<TotalCostView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceView>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A record as `data/certifications.json` and `data/certifications/ID.json` publish it:
/// its data, then `compare`, the compare page's cells (not in the template's `cert`, which
/// has the facts themselves). The cells are made as the record is written, not kept: at
/// 10,000 records they were 70 MB held through the render.
#[derive(Serialize)]
pub struct Published<'a> {
    #[serde(flatten)]
    pub data: &'a RecordData,
    pub compare: BTreeMap<&'static str, CompareCell>,
}

impl RecordData {
    /// The record `r` (which this is made from) as the data files publish it.
    pub fn published<'a>(&'a self, r: &Record, rc: RecordContext<'_>) -> Published<'a> {
        Published {
            data: self,
            compare: compare_cells(r, rc),
        }
    }
}

/// The compare page's cells of `r`, by row.
pub fn compare_cells(r: &Record, rc: RecordContext<'_>) -> BTreeMap<&'static str, CompareCell> {
    compare_rows(rc.money)
        .map(|row| {
            let mut cell = (row.cell)(r, rc.money);
            if record_field(row.key).is_some_and(|f| f.labelled()) {
                cell.relabel(|v| value_label(rc.labels, rc.strings, row.key, v));
            }
            cell.cites = cites(r, row.key);
            (row.key, cell)
        })
        .collect()
}

/// What a record's `cert` variable adds to its [`RecordData`]: rendered markdown and table
/// cells. Templates see one map ([`merge`]d), with `articles` (the related articles'
/// summaries) besides.
#[derive(Serialize)]
pub struct CertExtras<'a> {
    /// The summary as plain text (meta descriptions), and rendered.
    pub summary_text: &'a str,
    pub summary_html: Option<&'a str>,
    /// "Edit this page" link (when `edit_url` is set in site.yaml).
    pub edit_url: Option<String>,
    pub pros_html: &'a [String],
    pub cons_html: &'a [String],
    /// Replaces the data's `extra` map with its items, in order.
    #[serde(rename = "extra")]
    pub extra_items: Vec<ExtraItem>,
    pub cells: Vec<Cell>,
    /// The value filters and range facets use for each field that has one other than its
    /// own (money: the base amount; `total_cost`), by path; `null` when unknown.
    pub compared: BTreeMap<&'static str, Option<Num>>,
    /// Citation markers (HTML) for each fact a source covers, by top-level key and field
    /// path: links to the page's `#source-N`. Facts without a source have no entry.
    pub cites: BTreeMap<String, String>,
    /// Renewals due strictly before year `horizon_years`, as `total_cost` counts them;
    /// none without a renewal interval.
    pub renewals_due: Option<u32>,
    /// The cost of a study hour, written as the cost is (see [`per_hour`]).
    pub per_hour: Option<String>,
}

/// How `r`'s values read, for each field whose values are words from a small set
/// (`level`, `audience`, `delivery`, `prerequisites`, `skills`): what
/// `label(field=..., value=...)` gives, made once per record. A list field is there even
/// when empty; a field with one value only when the record has it. A template that reads
/// these instead of calling `label()` for each value saves Tera's call (~5,000 instructions
/// with its arguments: 4 % of a build's with the default theme). Made into a template value
/// at once: the record's `cert` takes it as it is.
pub fn value_labels(r: &Record, labels: &Labels, strings: &Strings) -> Value {
    let fields = crate::content::RECORD_FIELDS
        .iter()
        .filter(|f| f.labelled());
    let made = fields.filter_map(|f| {
        let label = |v: &str| Value::from(value_label(labels, strings, f.path, v));
        let made = match (f.get)(r) {
            FieldValue::Text(v) => label(&v),
            FieldValue::List(items) => {
                Value::from(items.iter().map(|v| label(v)).collect::<Vec<_>>())
            }
            _ if f.ty == FieldType::List => Value::from(Vec::<Value>::new()),
            _ => return None,
        };
        Some((f.path, made))
    });
    Value::from(map_of(made))
}

/// Renewals `r` is due strictly before year `horizon_years` (the count `total_cost` uses).
pub fn renewals_due(r: &Record, money: &Money) -> Option<u32> {
    let every = r.renewal.as_ref()?.every_years?;
    Some(crate::content::record::renewals_before(
        money.horizon_years,
        every,
    ))
}

/// What an hour of `r`'s study costs, rounded and written as its cost is: in the cost's
/// currency, with the base amount beside it when that is another (`2,500 JPY (≈ 17
/// USD)`); none without a cost amount and a number of hours.
pub fn per_hour(r: &Record, money: &Money) -> Option<String> {
    let cost = r.cost.as_ref()?;
    let hours = r.effort.as_ref()?.hours.filter(|h| *h != 0.0)?;
    let each = cost.amount? / hours;
    let base = cost
        .amount_base
        .map(|b| b / hours)
        .filter(|b| b.is_finite());
    each.is_finite()
        .then(|| amount_text(each.round(), cost.currency.as_deref(), base, money))
}

/// The citation markers of the sources that back `key` (see [`cites`]), linking to
/// `page` (`""`: this page) `#source-N`; empty when none does.
pub fn cite_markers(r: &Record, key: &str, page: &str) -> String {
    cites(r, key)
        .into_iter()
        .map(|n| {
            format!(
                "<sup class=\"cite\"><a href=\"{}#source-{n}\" aria-label=\"Source {n}\">[{n}]</a></sup>",
                crate::markdown::escape_attr(page)
            )
        })
        .collect()
}

/// The `cites` variable of a record: [`cite_markers`] for every top-level key and field
/// path that has any.
pub fn cite_map(r: &Record) -> BTreeMap<String, String> {
    if r.sources.is_empty() {
        return BTreeMap::new();
    }
    let fields = crate::content::RECORD_FIELDS.iter();
    let keys = fields.flat_map(|f| [f.top_level_key().to_string(), f.path.to_string()]);
    // And `extra.KEY` for each key of the record's free-form data.
    let extra = r.extra.keys().map(|k| format!("extra.{k}"));
    keys.chain(extra)
        .filter_map(|k| {
            let html = cite_markers(r, &k, "");
            (!html.is_empty()).then_some((k, html))
        })
        .collect()
}

/// `base` (a map) with the entries of `more` (a map) and `fields` added; an entry with a
/// name already there replaces it. Views are made into template values once and
/// shared, so a page's variable is put together from values already made instead of
/// serialising the same data again.
pub fn merge(base: Value, more: Value, fields: Vec<(&'static str, Value)>) -> Value {
    let mut map = base.into_map().unwrap_or_default();
    map.extend(more.into_map().unwrap_or_default());
    map.extend(map_of(fields));
    Value::from(map)
}

/// The fields of `first`, then those of `second`, then `more`, serialised as one struct:
/// made into a template value, one map built in one pass (a field named again replaces the
/// earlier one, as [`merge`] does), where merging the values made of each would
/// hash every key of the map again.
pub struct Joined<'a, A, B> {
    pub first: &'a A,
    pub second: &'a B,
    pub more: &'a [(&'static str, Value)],
    /// Room for this many fields in the map from the start.
    pub capacity: usize,
}

impl<A: Serialize, B: Serialize> Serialize for Joined<'_, A, B> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut fields = serializer.serialize_struct("Joined", self.capacity)?;
        self.first.serialize(Splice(&mut fields))?;
        self.second.serialize(Splice(&mut fields))?;
        for (name, value) in self.more {
            fields.serialize_field(name, value)?;
        }
        fields.end()
    }
}

/// A serializer that takes a struct's fields into another struct being serialised
/// ([`Joined`]); anything but a struct is an error.
struct Splice<'a, S>(&'a mut S);

/// What [`Splice`] says of anything but a struct.
fn not_a_struct<E: serde::ser::Error>() -> E {
    E::custom("only a struct's fields can be joined into another struct")
}

/// [`Splice`]'s methods for what is not a struct: each an error.
macro_rules! not_structs {
    ($($method:ident($($arg:ty),*) -> $ok:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ok, Self::Error> {
            Err(not_a_struct())
        })*
    };
}

impl<S: serde::ser::SerializeStruct> serde::Serializer for Splice<'_, S> {
    type Ok = ();
    type Error = S::Error;
    type SerializeSeq = serde::ser::Impossible<(), S::Error>;
    type SerializeTuple = serde::ser::Impossible<(), S::Error>;
    type SerializeTupleStruct = serde::ser::Impossible<(), S::Error>;
    type SerializeTupleVariant = serde::ser::Impossible<(), S::Error>;
    type SerializeMap = serde::ser::Impossible<(), S::Error>;
    type SerializeStruct = Self;
    type SerializeStructVariant = serde::ser::Impossible<(), S::Error>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, S::Error> {
        Ok(self)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), S::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), S::Error> {
        Err(not_a_struct())
    }

    not_structs! {
        serialize_bool(bool) -> ();
        serialize_i8(i8) -> ();
        serialize_i16(i16) -> ();
        serialize_i32(i32) -> ();
        serialize_i64(i64) -> ();
        serialize_u8(u8) -> ();
        serialize_u16(u16) -> ();
        serialize_u32(u32) -> ();
        serialize_u64(u64) -> ();
        serialize_f32(f32) -> ();
        serialize_f64(f64) -> ();
        serialize_char(char) -> ();
        serialize_str(&str) -> ();
        serialize_bytes(&[u8]) -> ();
        serialize_none() -> ();
        serialize_unit() -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_unit_variant(&'static str, u32, &'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }
}

impl<S: serde::ser::SerializeStruct> serde::ser::SerializeStruct for Splice<'_, S> {
    type Ok = ();
    type Error = S::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        self.0.serialize_field(name, value)
    }

    fn skip_field(&mut self, name: &'static str) -> Result<(), S::Error> {
        self.0.skip_field(name)
    }

    fn end(self) -> Result<(), S::Error> {
        Ok(())
    }
}

/// A template map of named values.
pub fn map_of(fields: impl IntoIterator<Item = (&'static str, Value)>) -> Map {
    fields.into_iter().map(|(k, v)| (Key::Str(k), v)).collect()
}

#[derive(Serialize, Clone)]
pub struct Cell {
    pub text: String,
    pub sort: SortKey,
    pub missing: bool,
}

#[derive(Serialize, Clone, PartialEq, PartialOrd)]
#[serde(untagged)]
pub enum SortKey {
    Number(Num),
    Text(String),
    /// Shown but not comparable (an amount in a currency without a rate): `null`.
    None,
}

#[derive(Serialize, Clone)]
pub struct ColumnView {
    pub field: String,
    pub label: String,
    pub numeric: bool,
    pub link: bool,
}

/// A record in the plain list of every certification (`certifications.html`).
#[derive(Serialize)]
pub struct ListEntry<'a> {
    pub url: &'a str,
    pub acronym: &'a str,
    pub name: &'a str,
    pub provider: Option<&'a str>,
}

#[derive(Serialize, Clone)]
pub struct FacetView {
    pub field: String,
    pub label: String,
    pub kind: FacetKind,
    pub unit: Option<String>,
    pub values: Vec<FacetValue>,
    pub min: Option<Num>,
    pub max: Option<Num>,
}

#[derive(Serialize, Clone)]
pub struct FacetValue {
    /// The value as records write it (the checkbox's value, in links).
    pub value: String,
    /// As it is shown: site.yaml's `labels:`, or the value made readable.
    pub label: String,
    pub count: usize,
}

#[derive(Serialize, Clone)]
pub struct RecordRef {
    pub id: String,
    pub acronym: String,
    pub name: String,
    pub url: String,
}

#[derive(Serialize, Clone)]
pub struct ArticleSummary {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub date: String,
    pub date_display: String,
    pub summary: Option<String>,
    pub category: Option<&'static str>,
    pub category_label: Option<String>,
    /// The category's page.
    pub category_url: Option<String>,
    pub tags: Vec<String>,
    /// Each tag with its page (tags that make no URL are left out).
    pub tag_links: Vec<TagLink>,
    pub reading_minutes: usize,
    /// `reading_minutes` as the language says it (`article.reading`): made once, not on
    /// every list the article is in.
    pub reading: String,
    pub certifications: Vec<RecordRef>,
    pub draft: bool,
}

/// A tag as articles show it: its words and its page.
#[derive(Serialize, Clone)]
pub struct TagLink {
    pub name: String,
    pub slug: String,
    pub url: String,
}

/// A tag on the tags page: its page and how many articles carry it.
#[derive(Serialize, Clone)]
pub struct TagEntry {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub count: usize,
}

/// The `paginator` of a list page: where the list continues.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Paginator {
    /// This page's number, from 1.
    pub current: usize,
    /// How many pages the list has.
    pub total: usize,
    /// How many entries the whole list has.
    pub entries: usize,
    pub first_url: String,
    pub last_url: String,
    pub previous_url: Option<String>,
    pub next_url: Option<String>,
    /// The page numbers to offer: the first, the last and the two either side of this
    /// one, with `gap` between numbers that do not follow each other.
    pub pages: Vec<PageLink>,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Pages are left out before this one.
    pub gap: bool,
}

/// The paginator of page `current` of `total`, each page's URL from `url_of`.
pub fn paginator(
    current: usize,
    total: usize,
    entries: usize,
    url_of: &dyn Fn(usize) -> String,
) -> Paginator {
    let mut shown: Vec<usize> = [1, total]
        .into_iter()
        .chain(current.saturating_sub(2).max(1)..=(current + 2).min(total))
        .collect();
    shown.sort_unstable();
    shown.dedup();
    let mut last = 0;
    let pages = shown
        .into_iter()
        .map(|n| {
            let link = PageLink {
                number: n,
                url: url_of(n),
                current: n == current,
                gap: n > last + 1,
            };
            last = n;
            link
        })
        .collect();
    Paginator {
        current,
        total,
        entries,
        first_url: url_of(1),
        last_url: url_of(total),
        previous_url: (current > 1).then(|| url_of(current - 1)),
        next_url: (current < total).then(|| url_of(current + 1)),
        pages,
    }
}

/// What an article's or page's variable adds to its [`ArticleSummary`] (merged, see
/// [`merge`]).
#[derive(Serialize)]
pub struct DocumentExtras<'a> {
    /// "Edit this page" link (when `edit_url` is set in site.yaml).
    pub edit_url: Option<String>,
    pub content_html: &'a str,
    pub toc: &'a [Heading],
}

/// A row of the compare page as the template sees it (`compare_fields`).
#[derive(Serialize, Clone)]
pub struct CompareField {
    pub key: &'static str,
    pub label: String,
    /// How its cells read: `text`, `list` (items), `html` (items of rendered markdown),
    /// `date` (the verified date, worded as on the record page) or `sources`.
    pub kind: &'static str,
    /// For a numeric row, which value is best: `low` or `high`.
    pub best: Option<&'static str>,
    /// What the best value means, shown beside it in words (`Lowest cost`).
    pub best_label: Option<String>,
}

/// How a compare row's cells read.
#[derive(Clone, Copy, PartialEq)]
pub enum CompareKind {
    Text,
    List,
    Html,
    Date,
    Sources,
}

impl CompareKind {
    fn name(self) -> &'static str {
        match self {
            CompareKind::Text => "text",
            CompareKind::List => "list",
            CompareKind::Html => "html",
            CompareKind::Date => "date",
            CompareKind::Sources => "sources",
        }
    }
}

/// Which value of a numeric row is best, and what that means in words.
#[derive(Clone, Copy)]
pub struct Best {
    pub high: bool,
    pub label: &'static str,
}

const fn low(label: &'static str) -> Option<Best> {
    Some(Best { high: false, label })
}

/// One cell of the compare page: a record's value in one row, as its `compare` map in
/// `data/certifications.json` publishes it.
#[derive(Serialize, Clone, Default)]
pub struct CompareCell {
    /// The value as text (`—` when the record lacks it); what "Show only differences"
    /// compares.
    pub text: String,
    /// A list's items (labels, not slugs; rendered markdown for pros and cons).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<String>>,
    /// A numeric row's value, in the base currency for money: what "best" compares.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Num>,
    /// The verified date (`YYYY-MM-DD`), which the page words as the record page does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The sources (numbered from 1, in the record's `sources`) that back this row.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cites: Vec<usize>,
    /// A line under the value: how a total was counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl CompareCell {
    fn text(text: String) -> CompareCell {
        CompareCell {
            text,
            ..CompareCell::default()
        }
    }

    fn number(text: String, value: Option<f64>) -> CompareCell {
        CompareCell {
            value: value.map(Num),
            ..CompareCell::text(text)
        }
    }

    fn list(items: Vec<String>) -> CompareCell {
        CompareCell {
            text: list_text(&items),
            items: (!items.is_empty()).then_some(items),
            ..CompareCell::default()
        }
    }

    /// Shows each value (a list's items, or the text) as `label` names it.
    fn relabel(&mut self, label: impl Fn(&str) -> String) {
        if let Some(items) = &mut self.items {
            for item in items.iter_mut() {
                *item = label(item);
            }
            self.text = list_text(items);
        } else if self.text != MISSING {
            self.text = label(&self.text);
        }
    }
}

/// One row of the compare page: a field path (`effort.hours`) or a top-level key of a
/// record, which is a field (`level`) or a group of fields (`cost`) of
/// [`RECORD_FIELDS`](crate::content::RECORD_FIELDS) (a test checks), or `sources`; its
/// label, and how a record's cell reads (`—` when the record lacks it).
pub struct CompareRow {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: CompareKind,
    pub best: Option<Best>,
    pub cell: fn(&Record, &Money) -> CompareCell,
}

/// `facts` followed by `sep` and `more` — or whichever of the two there is ("—" if none).
fn then(facts: String, sep: &str, more: Option<&String>) -> String {
    match more {
        Some(more) if facts != MISSING => format!("{facts}{sep}{more}"),
        Some(more) => more.clone(),
        None => facts,
    }
}

/// How `value` of `field` is shown: site.yaml's `labels:`, else the theme's words for it
/// (`level.expert` in `i18n/LANG.yaml`), else the value made readable ([`label_of`]).
pub fn value_label(labels: &Labels, strings: &Strings, field: &str, value: &str) -> String {
    if let Some(label) = labels.get(field, value) {
        return label.to_string();
    }
    match strings.get(&[field, ".", value].concat()) {
        Some(words) => words.to_string(),
        None => label_of(value),
    }
}

/// The rows of the compare page, in order (`total_cost` only on a site that uses the money
/// keys). Each record's cells are published as its `compare` map in
/// `data/certifications.json`, by key.
pub const COMPARE_ROWS: &[CompareRow] = &[
    CompareRow {
        key: "provider",
        label: "Provider",
        kind: CompareKind::Text,
        best: None,
        cell: |r, _| CompareCell::text(or_missing(r.provider.as_ref().map(|p| p.name.as_str()))),
    },
    CompareRow {
        key: "level",
        label: "Level",
        kind: CompareKind::Text,
        best: None,
        cell: |r, _| CompareCell::text(or_missing(r.level.as_deref())),
    },
    CompareRow {
        key: "audience",
        label: "Audience",
        kind: CompareKind::List,
        best: None,
        cell: |r, _| CompareCell::list(r.audience.clone()),
    },
    CompareRow {
        key: "delivery",
        label: "Delivery",
        kind: CompareKind::List,
        best: None,
        cell: |r, _| CompareCell::list(r.delivery.clone()),
    },
    CompareRow {
        key: "cost",
        label: "Cost",
        kind: CompareKind::Text,
        best: low("Lowest cost"),
        cell: |r, money| {
            let Some(c) = &r.cost else {
                return CompareCell::text(MISSING.into());
            };
            CompareCell::number(
                then(cost_text(c, money), " · ", c.note.as_ref()),
                c.amount_base,
            )
        },
    },
    CompareRow {
        key: "total_cost",
        label: "Total cost",
        kind: CompareKind::Text,
        best: low("Lowest total"),
        cell: |r, money| match &r.total_cost {
            Some(t) => {
                let view = total_cost_view(t, money);
                // An incomplete total ("at least ...") cannot be the lowest.
                CompareCell {
                    note: Some(view.how),
                    ..CompareCell::number(view.text, t.complete.then_some(t.amount))
                }
            }
            None => CompareCell::text(MISSING.into()),
        },
    },
    CompareRow {
        key: "effort.hours",
        label: "Study hours",
        kind: CompareKind::Text,
        best: low("Fewest hours"),
        cell: |r, money| {
            let hours = r.effort.as_ref().and_then(|e| e.hours);
            let text = hours.map_or(MISSING.into(), |h| {
                plural(money, "hours", h, "hour", "hours")
            });
            CompareCell::number(text, hours)
        },
    },
    CompareRow {
        key: "effort.weeks",
        label: "Weeks",
        kind: CompareKind::Text,
        best: low("Fewest weeks"),
        cell: |r, money| {
            let weeks = r.effort.as_ref().and_then(|e| e.weeks);
            let text = weeks.map_or(MISSING.into(), |w| {
                plural(money, "weeks", w, "week", "weeks")
            });
            CompareCell::number(text, weeks)
        },
    },
    CompareRow {
        key: "exam",
        label: "Exam",
        kind: CompareKind::Text,
        best: low("Shortest exam"),
        cell: |r, money| {
            let Some(exam) = &r.exam else {
                return CompareCell::text(MISSING.into());
            };
            // The facts, then the format: `Required · 100 questions · Online`.
            CompareCell::number(
                then(exam_text(exam, money), " · ", exam.format.as_ref()),
                exam.minutes,
            )
        },
    },
    CompareRow {
        key: "experience_years",
        label: "Experience required",
        kind: CompareKind::Text,
        best: low("Least experience"),
        cell: |r, money| {
            let years = r.experience_years;
            CompareCell::number(
                years.map_or(MISSING.into(), |y| {
                    plural(money, "years", y, "year", "years")
                }),
                years,
            )
        },
    },
    CompareRow {
        key: "prerequisites",
        label: "Prerequisites",
        kind: CompareKind::List,
        best: None,
        cell: |r, _| CompareCell::list(r.prerequisites.clone()),
    },
    CompareRow {
        key: "renewal",
        label: "Renewal",
        kind: CompareKind::Text,
        best: Some(Best {
            high: true,
            label: "Longest interval",
        }),
        cell: |r, money| {
            let Some(renewal) = &r.renewal else {
                return CompareCell::text(MISSING.into());
            };
            // How often, then what it takes: `Every 3 years: 30 hours of study`.
            let mut text = then(
                renewal_text(renewal, money),
                ": ",
                renewal.requirement.as_ref(),
            );
            if let Some(c) = &renewal.cost {
                let cost = amount_text(c.amount, c.currency.as_deref(), c.amount_base, money);
                text = then(text, " · ", Some(&format!("{cost} each")));
            }
            CompareCell::number(text, renewal.every_years)
        },
    },
    CompareRow {
        key: "skills",
        label: "Skills",
        kind: CompareKind::List,
        best: None,
        cell: |r, _| CompareCell::list(r.skills.clone()),
    },
    CompareRow {
        key: "pros",
        label: "Pros",
        kind: CompareKind::Html,
        best: None,
        cell: |r, _| CompareCell {
            items: (!r.pros_html.is_empty()).then(|| r.pros_html.clone()),
            ..CompareCell::text(list_text(&r.pros))
        },
    },
    CompareRow {
        key: "cons",
        label: "Cons",
        kind: CompareKind::Html,
        best: None,
        cell: |r, _| CompareCell {
            items: (!r.cons_html.is_empty()).then(|| r.cons_html.clone()),
            ..CompareCell::text(list_text(&r.cons))
        },
    },
    CompareRow {
        key: "verified",
        label: "Last verified",
        kind: CompareKind::Date,
        best: None,
        cell: |r, _| CompareCell {
            date: r.verified.map(|d| d.to_string()),
            ..CompareCell::text(
                r.verified
                    .map_or_else(|| "Unverified".into(), |d| format!("Verified {d}")),
            )
        },
    },
    CompareRow {
        key: "sources",
        label: "Sources",
        kind: CompareKind::Sources,
        best: None,
        cell: |r, _| {
            let titles: Vec<String> = r
                .sources
                .iter()
                .map(|s| s.title.clone().unwrap_or_else(|| s.url.clone()))
                .collect();
            CompareCell::text(list_text(&titles))
        },
    },
];

/// The compare rows a site shows: every row but `total_cost` on a site that does not use
/// the money keys.
pub fn compare_rows(money: &Money) -> impl Iterator<Item = &'static CompareRow> + '_ {
    COMPARE_ROWS
        .iter()
        .filter(move |row| money.totals || row.key != "total_cost")
}

/// The sources of `r` (numbered from 1) that back the row or fact `key`: a source that
/// covers it, its group, or a field inside it.
pub fn cites(r: &Record, key: &str) -> Vec<usize> {
    r.sources
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            s.covers.iter().any(|c| {
                crate::content::covers(c, key)
                    || c.strip_prefix(key)
                        .is_some_and(|rest| rest.starts_with('.'))
            })
        })
        .map(|(i, _)| i + 1)
        .collect()
}

/// A fact (a field path, a group or `total_cost`) of a record as its page shows it;
/// `None` when the record lacks it.
pub fn fact_text(r: &Record, name: &str, money: &Money) -> Option<String> {
    let text = match name {
        "provider" => r.provider.as_ref().map(|p| p.name.clone()),
        "cost" => r.cost.as_ref().map(|c| cost_text(c, money)),
        "effort" => r.effort.as_ref().map(|e| effort_text(e, money)),
        "exam" => r.exam.as_ref().map(|e| exam_text(e, money)),
        "renewal" => r.renewal.as_ref().map(|x| renewal_text(x, money)),
        "total_cost" => r
            .total_cost
            .as_ref()
            .map(|t| total_cost_view(t, money).text),
        "experience_years" => r.experience_years.map(|y| match y {
            0.0 => money.format.word("none", "None").to_string(),
            y => plural(money, "years", y, "year", "years"),
        }),
        "verified" => r.verified.map(|d| d.to_string()),
        "renewal.cost" => r
            .renewal
            .as_ref()
            .and_then(|x| x.cost.as_ref())
            .map(|c| amount_text(c.amount, c.currency.as_deref(), c.amount_base, money)),
        "cost.amount" => r.cost.as_ref().and_then(|c| {
            let a = c.amount?;
            Some(amount_text(a, c.currency.as_deref(), c.amount_base, money))
        }),
        path => match r.field(path) {
            FieldValue::Missing => None,
            FieldValue::Text(t) => Some(t),
            FieldValue::Number(n) => Some(number(n)),
            FieldValue::List(l) => Some(l.join(", ")),
            FieldValue::Bool(b) => Some(if b { "Yes" } else { "No" }.to_string()),
        },
    };
    text.filter(|t| t != MISSING && !t.is_empty())
}

/// The `compare_fields` variable: the compare page's rows, in order.
pub fn compare_fields(money: &Money, strings: &Strings) -> Vec<CompareField> {
    compare_rows(money)
        .map(|row| CompareField {
            key: row.key,
            label: strings
                .or(&format!("compare.row.{}", row.key), row.label)
                .to_string(),
            kind: row.kind.name(),
            best: row.best.map(|b| if b.high { "high" } else { "low" }),
            best_label: row.best.map(|b| {
                strings
                    .or(&format!("compare.best.{}", row.key), b.label)
                    .to_string()
            }),
        })
        .collect()
}

/// `1495` → `1495`, `12.5` → `12.5`.
pub fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        itoa::Buffer::new().format(n as i64).to_string()
    } else {
        let s = format!("{n:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// `1495` → `1,495`.
pub fn grouped(n: f64) -> String {
    crate::config::group_digits(&number(n), ",", ".")
}

/// `n` with its unit, in the site's language (`fact.KEY.one`/`.other` of the theme's
/// strings), English (`one`, `many`) without them.
fn plural(money: &Money, key: &str, n: f64, one: &str, many: &str) -> String {
    money.format.counted(key, n, one, many)
}

fn cost_text(c: &crate::content::record::Cost, money: &Money) -> String {
    match c.amount {
        Some(a) => amount_text(a, c.currency.as_deref(), c.amount_base, money),
        None => MISSING.into(),
    }
}

/// An amount as written, with its currency: `1,495 USD` (`1,495` without one).
pub fn money_text(amount: f64, currency: Option<&str>, money: &Money) -> String {
    money.format.money(amount, currency)
}

/// An amount as written, and the base amount beside it when the currency is another:
/// `150,000 JPY (≈ 1,005 USD)`.
pub fn amount_text(
    amount: f64,
    currency: Option<&str>,
    base: Option<f64>,
    money: &Money,
) -> String {
    // An amount without a currency is in the base currency, when the site has one.
    let written = money_text(amount, currency.or(money.base()), money);
    match (money.base(), currency, base) {
        (Some(b), Some(cur), Some(v)) if cur != b => {
            format!("{written} (≈ {})", money_text(v.round(), Some(b), money))
        }
        _ => written,
    }
}

/// `renewal.cost` shown.
fn amount_view(a: &crate::content::Amount, money: &Money) -> AmountView {
    AmountView {
        amount: Num(a.amount),
        currency: a.currency.clone(),
        amount_base: money.totals.then_some(a.amount_base).flatten().map(Num),
        text: amount_text(a.amount, a.currency.as_deref(), a.amount_base, money),
    }
}

/// `total_cost` shown: the total (or its known part), and how it was counted.
pub fn total_cost_view(t: &crate::content::TotalCost, money: &Money) -> TotalCostView {
    let cur = t.currency.as_deref();
    let total = money_text(t.amount.round(), cur, money);
    let every = t
        .every_years
        .map(|e| plural(money, "every", e, "every year", "every {n} years"));
    let renewals = plural(
        money,
        "renewals",
        f64::from(t.renewals),
        "renewal",
        "renewals",
    );
    let first = money_text(t.first.round(), cur, money);
    let years = plural(money, "years", f64::from(t.years), "year", "years");
    let fill = |key: &str, english: &str, each: &str| {
        crate::i18n::fill(money.format.word(key, english), |name| match name {
            "total" => Some(total.as_str()),
            "first" => Some(first.as_str()),
            "years" => Some(years.as_str()),
            "renewals" => Some(renewals.as_str()),
            "every" => Some(every.as_deref().unwrap_or_default()),
            "each" => Some(each),
            _ => None,
        })
    };
    let (text, how) = match (&every, t.renewal_each) {
        (None, _) => (
            fill(
                "at_least_interval",
                "at least {total} — renewal interval unknown",
                "",
            ),
            fill(
                "how_interval_unknown",
                "{first} first cost; how often it must be renewed is unknown",
                "",
            ),
        ),
        (Some(_), _) if t.renewals == 0 => (
            total.clone(),
            fill(
                "how_none_due",
                "{first} first cost; no renewal due within {years} (renewal {every})",
                "",
            ),
        ),
        (Some(_), Some(each)) => (
            total.clone(),
            fill(
                "how_each",
                "{first} + {renewals} × {each} (renewal {every}) over {years}",
                &money_text(each.round(), cur, money),
            ),
        ),
        (Some(_), None) => (
            fill(
                "at_least_cost",
                "at least {total} — renewal cost unknown",
                "",
            ),
            fill(
                "how_cost_unknown",
                "{first} + {renewals} (renewal {every}) of unknown cost over {years}",
                "",
            ),
        ),
    };
    TotalCostView {
        years: t.years,
        amount: Num(t.amount),
        currency: t.currency.clone(),
        renewals: t.renewals,
        complete: t.complete,
        text,
        how,
    }
}

fn effort_text(e: &crate::content::record::Effort, money: &Money) -> String {
    match (e.hours, e.weeks) {
        (Some(h), Some(w)) => crate::i18n::fill(
            money.format.word("effort", "{hours} over {weeks}"),
            |name| match name {
                "hours" => Some(plural(money, "hours", h, "hour", "hours")),
                "weeks" => Some(plural(money, "weeks", w, "week", "weeks")),
                _ => None,
            },
        ),
        (Some(h), None) => plural(money, "hours", h, "hour", "hours"),
        (None, Some(w)) => plural(money, "weeks", w, "week", "weeks"),
        (None, None) => MISSING.into(),
    }
}

fn exam_text(e: &crate::content::record::Exam, money: &Money) -> String {
    let mut parts = Vec::new();
    match e.required {
        Some(true) => parts.push(money.format.word("exam_required", "Required").to_string()),
        Some(false) => parts.push(money.format.word("no_exam", "No exam").to_string()),
        None => {}
    }
    if let Some(q) = e.questions {
        parts.push(plural(money, "questions", q, "question", "questions"));
    }
    if let Some(m) = e.minutes {
        parts.push(plural(money, "minutes", m, "minute", "minutes"));
    }
    if parts.is_empty() {
        MISSING.into()
    } else {
        parts.join(" · ")
    }
}

fn renewal_text(r: &crate::content::record::Renewal, money: &Money) -> String {
    match r.every_years {
        Some(y) => plural(money, "renewal_every", y, "Every year", "Every {n} years"),
        None => MISSING.into(),
    }
}

fn list_text(l: &[String]) -> String {
    if l.is_empty() {
        MISSING.into()
    } else {
        l.join(", ")
    }
}

fn or_missing(s: Option<&str>) -> String {
    s.filter(|s| !s.is_empty()).unwrap_or(MISSING).to_string()
}

/// What a record's view depends on besides the record: the base path, and the date and
/// limit that decide whether it is stale.
#[derive(Debug, Clone, Copy)]
pub struct RecordContext<'a> {
    pub base_path: &'a str,
    pub stale_after_months: Option<u32>,
    pub today: Date,
    /// Currencies and totals (site.yaml `currency:`, `horizon_years:`).
    pub money: &'a Money,
    /// How values are shown (site.yaml `labels:`, the theme's words).
    pub labels: &'a Labels,
    pub strings: &'a Strings,
}

impl<'a> RecordContext<'a> {
    /// The context of the site's records on `today`.
    pub fn of_site(config: &'a Config, strings: &'a Strings, today: Date) -> RecordContext<'a> {
        RecordContext {
            base_path: &config.base_path,
            stale_after_months: config.stale_after_months,
            today,
            money: &config.money,
            labels: &config.labels,
            strings,
        }
    }
}

/// A record's [`RecordData`].
pub fn record_data(r: &Record, rc: RecordContext<'_>) -> RecordData {
    let base_path = rc.base_path;
    let money = rc.money;
    let cost = r.cost.as_ref().map(|c| CostView {
        amount: num(c.amount),
        currency: c.currency.clone(),
        note: c.note.clone(),
        text: cost_text(c, money),
        amount_base: money.totals.then_some(c.amount_base).flatten().map(Num),
    });
    let effort = r.effort.as_ref().map(|e| EffortView {
        hours: num(e.hours),
        weeks: num(e.weeks),
        text: effort_text(e, money),
    });
    let exam = r.exam.as_ref().map(|e| ExamView {
        required: e.required,
        format: e.format.clone(),
        questions: num(e.questions),
        minutes: num(e.minutes),
        text: exam_text(e, money),
    });
    let renewal = r.renewal.as_ref().map(|x| RenewalView {
        every_years: num(x.every_years),
        requirement: x.requirement.clone(),
        text: renewal_text(x, money),
        cost: x.cost.as_ref().map(|c| amount_view(c, money)),
    });
    let verified = r.verified.map(|d| d.to_string());
    let freshness = freshness_of(r, rc.stale_after_months, rc.today);
    let verified_label = match (&verified, freshness) {
        (Some(d), Freshness::Stale { .. }) => money
            .format
            .word("stale_verified", "Stale: verified {date}")
            .replace("{date}", d),
        (Some(d), _) => money
            .format
            .word("verified", "Verified {date}")
            .replace("{date}", d),
        (None, _) => money.format.word("unverified", "Unverified").to_string(),
    };
    let provider = r.provider.as_ref().map(|p| ProviderView {
        name: p.name.clone(),
        url: p.url.clone(),
    });
    RecordData {
        id: r.id.clone(),
        url: Route::Record(&r.id).url(base_path),
        official_url: r.url.clone(),
        name: r.name.clone(),
        acronym: r.acronym.clone(),
        provider,
        summary: r.summary.clone(),
        audience: r.audience.clone(),
        level: r.level.clone(),
        delivery: r.delivery.clone(),
        cost,
        effort,
        exam,
        experience_years: num(r.experience_years),
        prerequisites: r.prerequisites.clone(),
        renewal,
        skills: r.skills.clone(),
        pros: r.pros.clone(),
        cons: r.cons.clone(),
        verified,
        verified_label,
        freshness: match freshness {
            Freshness::Unverified => "unverified",
            Freshness::Stale { .. } => "stale",
            Freshness::Verified { .. } => "verified",
        },
        draft: r.draft,
        total_cost: r.total_cost.as_ref().map(|t| total_cost_view(t, rc.money)),
        sources: r
            .sources
            .iter()
            .map(|s| SourceView {
                url: s.url.clone(),
                title: s.title.clone(),
                accessed: s.accessed.map(|d| d.to_string()),
                covers: s.covers.clone(),
                covers_labels: s
                    .covers
                    .iter()
                    .map(|c| match (record_field(c), c.strip_prefix("extra.")) {
                        (Some(f), _) => f.label.to_string(),
                        (None, Some(key)) => label_of(key),
                        (None, None) => label_of(c),
                    })
                    .collect(),
            })
            .collect(),
        extra: r.extra.clone(),
    }
}

/// A field's name for people in the site's language (`field.PATH` of the theme's
/// strings), or `english` when the theme has none.
pub fn field_label(path: &str, english: &str, strings: &Strings) -> String {
    strings.or(&format!("field.{path}"), english).to_string()
}

pub fn columns(config: &Config, strings: &Strings) -> Vec<ColumnView> {
    let link_field = config
        .columns
        .iter()
        .find(|c| c.value == "acronym" || c.value == "name")
        .map(|c| c.value.clone());
    config
        .columns
        .iter()
        .map(|c| {
            // A field of the table has its label and type there; `extra.KEY` has neither.
            let field = record_field(&c.value);
            ColumnView {
                field: c.value.clone(),
                label: field_label(
                    &c.value,
                    &field.map_or_else(|| default_label(&c.value), |f| f.label.into()),
                    strings,
                ),
                numeric: field.is_some_and(|f| f.ty.is_numeric()),
                link: Some(&c.value) == link_field.as_ref(),
            }
        })
        .collect()
}

/// What filters, sorting and range facets compare for each field that has a value of its
/// own for that (`Field::base`, and the computed `total_cost`), by path: the `compared`
/// variable of a record.
pub fn compared(r: &Record) -> BTreeMap<&'static str, Option<Num>> {
    crate::content::RECORD_FIELDS
        .iter()
        .filter(|f| f.base.is_some() || !f.written())
        .map(|f| {
            let v = match f.compared(r) {
                FieldValue::Number(n) => Some(Num(n)),
                _ => None,
            };
            (f.path, v)
        })
        .collect()
}

/// A money cell's text: the amount as written, with the base amount beside it when the
/// currency is another (`150,000 JPY (≈ 1,005 USD)`); a total with "at least" when a
/// part is unknown.
fn money_cell(r: &Record, field: &str, n: f64, money: &Money) -> String {
    match field {
        // On a site with a base currency every amount says its currency, as totals do.
        "cost.amount" => match r.cost.as_ref() {
            Some(c) if money.base().is_some() => {
                amount_text(n, c.currency.as_deref(), c.amount_base, money)
            }
            _ => money.format.number(n),
        },
        "renewal.cost" => match r.renewal.as_ref().and_then(|x| x.cost.as_ref()) {
            Some(c) => amount_text(c.amount, c.currency.as_deref(), c.amount_base, money),
            None => money.format.number(n),
        },
        "total_cost" => match r.total_cost.as_ref() {
            Some(t) if !t.complete => {
                format!(
                    "at least {}",
                    money_text(n.round(), t.currency.as_deref(), money)
                )
            }
            Some(t) => money_text(n.round(), t.currency.as_deref(), money),
            None => money.format.number(n),
        },
        _ => money.format.number(n),
    }
}

/// The table cells of one record, in column order.
pub fn cells(r: &Record, columns: &[ColumnView], config: &Config, strings: &Strings) -> Vec<Cell> {
    let money = &config.money;
    columns
        .iter()
        .map(|col| {
            let field = record_field(&col.field);
            let value = r.field(&col.field);
            let missing = value == FieldValue::Missing;
            let (text, sort) = match value {
                FieldValue::Missing => (MISSING.to_string(), SortKey::Text(String::new())),
                FieldValue::Number(n)
                    if field.is_some_and(|f| f.base.is_some() || !f.written()) =>
                {
                    let sort = match field.map(|f| f.compared(r)) {
                        Some(FieldValue::Number(b)) => SortKey::Number(Num(b)),
                        _ => SortKey::None,
                    };
                    (money_cell(r, &col.field, n, money), sort)
                }
                FieldValue::Number(n) => (number(n), SortKey::Number(Num(n))),
                FieldValue::Text(t) => {
                    // A labelled value sorts by the value itself, which themes also use
                    // as a class (`level-expert`).
                    let key = t.to_lowercase();
                    let t = match field.is_some_and(|f| f.labelled()) {
                        true => value_label(&config.labels, strings, &col.field, &t),
                        false => t,
                    };
                    (t, SortKey::Text(key))
                }
                FieldValue::List(l) => {
                    let t = l
                        .iter()
                        .map(|v| value_label(&config.labels, strings, &col.field, v))
                        .collect::<Vec<_>>()
                        .join(", ");
                    (t.clone(), SortKey::Text(t.to_lowercase()))
                }
                FieldValue::Bool(b) => {
                    let t = if b { "Yes" } else { "No" };
                    (t.to_string(), SortKey::Text(t.to_lowercase()))
                }
            };
            Cell {
                text,
                sort,
                missing,
            }
        })
        .collect()
}

pub fn facets(config: &Config, records: &[Record], strings: &Strings) -> Vec<FacetView> {
    config
        .facets
        .iter()
        .map(|f| {
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            let mut unknown = 0;
            let (mut min, mut max): (Option<f64>, Option<f64>) = (None, None);
            for r in records {
                match r.compared(&f.field.value) {
                    FieldValue::Missing => unknown += 1,
                    FieldValue::List(items) => {
                        let mut seen: Vec<&String> = Vec::new();
                        for i in &items {
                            if !seen.contains(&i) {
                                *counts.entry(i.clone()).or_default() += 1;
                                seen.push(i);
                            }
                        }
                    }
                    FieldValue::Number(n) => {
                        min = Some(min.map_or(n, |m| m.min(n)));
                        max = Some(max.map_or(n, |m| m.max(n)));
                        *counts.entry(number(n)).or_default() += 1;
                    }
                    FieldValue::Text(t) => *counts.entry(t).or_default() += 1,
                    FieldValue::Bool(b) => {
                        *counts
                            .entry(if b { "yes" } else { "no" }.into())
                            .or_default() += 1
                    }
                }
            }
            let boolean = record_field(&f.field.value).is_some_and(|t| t.ty == FieldType::Bool);
            let label = |value: &str| match value {
                "yes" | "no" if boolean => strings.or(&format!("facet.{value}"), value).into(),
                _ => value_label(&config.labels, strings, &f.field.value, value),
            };
            let mut values: Vec<FacetValue> = if f.kind == FacetKind::Range {
                Vec::new()
            } else {
                counts
                    .into_iter()
                    .map(|(value, count)| FacetValue {
                        label: label(&value),
                        value,
                        count,
                    })
                    .collect()
            };
            if f.kind != FacetKind::Range && unknown > 0 {
                values.push(FacetValue {
                    value: "unknown".into(),
                    label: strings.or("facet.unknown", "Unknown").into(),
                    count: unknown,
                });
            }
            FacetView {
                field: f.field.value.clone(),
                label: if f.label_written {
                    f.label.clone()
                } else {
                    field_label(&f.field.value, &f.label, strings)
                },
                kind: f.kind,
                unit: f.unit.clone(),
                values,
                min: num(min),
                max: num(max),
            }
        })
        .collect()
}

pub fn extra_items(extra: &serde_json::Map<String, serde_json::Value>) -> Vec<ExtraItem> {
    use serde_json::Value;
    let value = |text: String| ExtraValue {
        href: web_address(&text),
        text,
    };
    extra
        .iter()
        .map(|(k, v)| {
            let items = match v {
                Value::Array(list) => list.iter().map(|v| value(json_text(v))).collect(),
                Value::Object(map) => map
                    .iter()
                    .map(|(k, v)| ExtraValue {
                        text: format!("{}: {}", label_of(k), json_text(v)),
                        href: None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let text = json_text(v);
            ExtraItem {
                key: k.clone(),
                label: label_of(k),
                href: if items.is_empty() {
                    web_address(&text)
                } else {
                    None
                },
                value: text,
                items,
            }
        })
        .collect()
}

/// `text` when it is a whole http(s) address, as a link target.
fn web_address(text: &str) -> Option<String> {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))?;
    let plain = !rest.is_empty() && !rest.chars().any(|c| c.is_whitespace() || c == '"');
    plain.then(|| text.to_string())
}

fn json_text(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => MISSING.into(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), number),
        Value::Array(items) => items.iter().map(json_text).collect::<Vec<_>>().join("; "),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{k}: {}", json_text(v)))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

pub fn record_ref(r: &Record, base_path: &str) -> RecordRef {
    RecordRef {
        id: r.id.clone(),
        acronym: r.acronym.clone(),
        name: r.name.clone(),
        url: Route::Record(&r.id).url(base_path),
    }
}

/// A category's name for people, in the site's language.
pub fn category_label(c: crate::content::Category, strings: &Strings) -> String {
    strings
        .or(&format!("category.{}", c.name()), c.label())
        .to_string()
}

pub fn document_summary(
    d: &Document,
    records: &[Record],
    related: &[usize],
    base_path: &str,
    strings: &Strings,
) -> ArticleSummary {
    let reading_minutes = d.words.div_ceil(220).max(1);
    ArticleSummary {
        slug: d.slug.clone(),
        url: Route::source(d.kind, &d.slug).url(base_path),
        title: d.title.clone(),
        date: d.date.map(|x| x.to_string()).unwrap_or_default(),
        date_display: d.date.map(|x| strings.date(x)).unwrap_or_default(),
        summary: d.summary.clone(),
        category: d.category.map(|c| c.name()),
        category_label: d.category.map(|c| category_label(c, strings)),
        category_url: d
            .category
            .map(|c| Route::Category(c.name(), 1).url(base_path)),
        tags: d.tags.clone(),
        tag_links: d
            .tags
            .iter()
            .filter_map(|t| {
                let slug = crate::content::taxonomy::tag_slug(t);
                (!slug.is_empty()).then(|| TagLink {
                    name: t.clone(),
                    url: Route::Tag(&slug, 1).url(base_path),
                    slug,
                })
            })
            .collect(),
        reading_minutes,
        reading: strings
            .count_phrase("article.reading", reading_minutes as f64)
            .unwrap_or_default(),
        certifications: related
            .iter()
            .map(|&i| record_ref(&records[i], base_path))
            .collect(),
        draft: d.draft,
    }
}

/// Articles grouped by category, in the fixed category order, uncategorised last, as the
/// `categories` variable: `name`, `label` and `articles` (given as values, in order).
pub fn categories(
    articles: &[(&ArticleSummary, Value)],
    base_path: &str,
    strings: &Strings,
) -> Value {
    let named = crate::content::Category::ALL
        .iter()
        .map(|&c| (c.name(), category_label(c, strings), Some(c.name())));
    let groups = named
        .chain([(
            "other",
            strings.or("category.other", "Other").to_string(),
            None,
        )])
        .filter_map(|(name, label, category)| {
            let members: Vec<Value> = articles
                .iter()
                .filter(|(a, _)| a.category == category)
                .map(|(_, v)| v.clone())
                .collect();
            (!members.is_empty()).then(|| {
                let url = match category {
                    Some(c) => Value::from(Route::Category(c, 1).url(base_path)),
                    None => Value::none(),
                };
                Value::from(map_of([
                    ("name", Value::from(name)),
                    ("label", Value::from(label)),
                    ("url", url),
                    ("articles", Value::from(members)),
                ]))
            })
        });
    Value::from(groups.collect::<Vec<_>>())
}

/// Sorts articles newest first (ties by slug), returning the order as indices.
pub fn newest_first(articles: &[Document]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..articles.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&articles[a], &articles[b]);
        b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug))
    });
    order
}

/// The "Edit this page" link of a source file, when site.yaml sets `edit_url`.
pub fn edit_url(config: &Config, source: &std::path::Path) -> Option<String> {
    let prefix = config.edit_url.as_ref()?;
    let path = crate::diagnostics::display_path(source);
    Some(if prefix.ends_with('/') {
        format!("{prefix}{path}")
    } else {
        format!("{prefix}/{path}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_and_joined_add_fields_and_replace_same_names() {
        #[derive(Serialize)]
        struct A {
            a: u32,
            extra: &'static str,
            #[serde(skip_serializing_if = "Option::is_none")]
            gone: Option<u32>,
            z: u32,
        }
        #[derive(Serialize)]
        struct B {
            extra: Vec<u32>,
            b: u32,
        }
        let a = A {
            a: 1,
            extra: "map",
            gone: None,
            z: 26,
        };
        let b = B {
            extra: vec![7],
            b: 2,
        };
        let more = [("c", Value::from(3)), ("a", Value::from(10))];
        let merged = merge(
            Value::from_serializable(&a),
            Value::from_serializable(&b),
            more.to_vec(),
        );
        let joined = Value::from_serializable(&Joined {
            first: &a,
            second: &b,
            more: &more,
            capacity: 0,
        });
        for value in [merged, joined] {
            let map = value.as_map().expect("a map");
            // Tera's maps keep no order (docs/templates.md): the names, sorted.
            let mut keys: Vec<&str> = map.keys().filter_map(|k| k.as_str()).collect();
            keys.sort_unstable();
            assert_eq!(keys, ["a", "b", "c", "extra", "z"]);
            let json = serde_json::to_value(&value).expect("serialises");
            assert_eq!(
                json,
                serde_json::json!({"a": 10, "extra": [7], "z": 26, "b": 2, "c": 3})
            );
        }
        // Only structs' fields can be joined.
        let list = Joined {
            first: &a,
            second: &vec![1],
            more: &[],
            capacity: 0,
        };
        assert!(serde_json::to_value(&list).is_err());
    }

    /// A record's data as `data/certifications.json` publishes it.
    fn published(r: &Record) -> serde_json::Value {
        let rc = RecordContext {
            base_path: "/",
            stale_after_months: None,
            today: Date::parse("2027-01-01").expect("a date"),
            money: &Money {
                totals: true,
                ..Money::default()
            },
            labels: &Default::default(),
            strings: &Default::default(),
        };
        serde_json::to_value(record_data(r, rc).published(r, rc)).expect("serialises")
    }

    #[test]
    fn the_published_record_has_every_field_of_the_table() {
        let r = crate::content::fields::tests::full_record();
        let data = published(&r);
        for f in crate::content::RECORD_FIELDS {
            // README, "Output": the record's own `url:` is published as `official_url`.
            let pointer = match f.path {
                "url" => "/official_url".to_string(),
                // Money and totals are published as objects with the amount inside.
                path if f.ty == crate::content::FieldType::Money || !f.written() => {
                    format!("/{}/amount", path.replace('.', "/"))
                }
                path => format!("/{}", path.replace('.', "/")),
            };
            let expected = match (f.get)(&r) {
                FieldValue::Missing => serde_json::Value::Null,
                FieldValue::Text(t) => t.into(),
                FieldValue::Number(n) => serde_json::to_value(Num(n)).expect("a number"),
                FieldValue::List(l) => l.into(),
                FieldValue::Bool(b) => b.into(),
            };
            assert_eq!(
                data.pointer(&pointer),
                Some(&expected),
                "`{}` is not published at {pointer} as the table reads it",
                f.path
            );
        }
    }

    #[test]
    fn every_compare_row_is_a_field_or_a_top_level_key_of_the_table() {
        let tops: Vec<&str> = crate::content::RECORD_FIELDS
            .iter()
            .map(|f| f.top_level_key())
            .collect();
        let mut keys = std::collections::HashSet::new();
        for row in COMPARE_ROWS {
            assert!(
                tops.contains(&row.key) || record_field(row.key).is_some() || row.key == "sources",
                "compare row `{}` is no field or group of the table",
                row.key
            );
            assert!(keys.insert(row.key), "compare row `{}` twice", row.key);
            assert_ne!(
                row.key, "name",
                "the column headers name the records already"
            );
        }
        let r = crate::content::fields::tests::full_record();
        let compare = &published(&r)["compare"];
        assert_eq!(
            compare.as_object().map(|m| m.len()),
            Some(COMPARE_ROWS.len())
        );
        assert_eq!(
            compare["exam"],
            serde_json::json!({"text": "Required · 100 questions · 120 minutes · Online proctored",
                "value": 120, "cites": [1]})
        );
        assert_eq!(
            compare["renewal"]["text"],
            "Every 3 years: 30 hours of study · 250 USD each"
        );
        assert_eq!(compare["renewal"]["cites"], serde_json::json!([1]));
        assert_eq!(compare["experience_years"]["text"], "2 years");
        assert_eq!(
            compare["audience"]["items"],
            serde_json::json!(["Manager", "Supervisor"])
        );
        assert_eq!(compare["verified"]["date"], "2026-11-01");
        assert!(
            compare["cost"].get("cites").is_none(),
            "no source covers the cost"
        );
    }

    #[test]
    fn an_hour_of_study_costs_the_amount_over_the_hours_written_as_the_cost_is() {
        let money = Money::default();
        let mut r = crate::content::fields::tests::full_record();
        let cost = r.cost.as_mut().expect("a cost");
        cost.amount = Some(14_950.0);
        cost.currency = Some("USD".into());
        r.effort.as_mut().expect("an effort").hours = Some(10.0);
        assert_eq!(per_hour(&r, &money).as_deref(), Some("1,495 USD"));
        r.effort.as_mut().expect("an effort").hours = Some(3.0);
        assert_eq!(
            per_hour(&r, &money).as_deref(),
            Some("4,983 USD"),
            "rounded"
        );
        r.cost.as_mut().expect("a cost").currency = None;
        assert_eq!(per_hour(&r, &money).as_deref(), Some("4,983"));
        r.effort.as_mut().expect("an effort").hours = Some(0.0);
        assert_eq!(per_hour(&r, &money), None, "zero hours");
        r.effort.as_mut().expect("an effort").hours = None;
        assert_eq!(per_hour(&r, &money), None, "no hours");
        r.effort.as_mut().expect("an effort").hours = Some(10.0);
        r.cost.as_mut().expect("a cost").amount = None;
        assert_eq!(per_hour(&r, &money), None, "no amount");
    }

    #[test]
    fn a_records_labels_are_what_label_gives_for_each_value() {
        let strings = Strings::from_map(
            "en",
            BTreeMap::from([("level.professional".to_string(), "Pro".to_string())]),
        );
        let labels = Labels::default();
        let mut r = crate::content::fields::tests::full_record();
        r.delivery.clear();
        let made = value_labels(&r, &labels, &strings);
        let made = made.as_map().expect("a map");
        let text = |v: &Value| v.as_str().expect("a string").to_string();
        assert_eq!(
            made.get(&Key::Str("level")).map(text).as_deref(),
            Some("Pro")
        );
        let list = |field: &'static str| -> Vec<String> {
            let items = made.get(&Key::Str(field)).and_then(Value::as_array);
            items.expect("a list").iter().map(text).collect()
        };
        assert_eq!(list("audience"), ["Manager", "Supervisor"]);
        assert_eq!(
            list("delivery"),
            Vec::<String>::new(),
            "an empty list is there"
        );
        for f in crate::content::RECORD_FIELDS
            .iter()
            .filter(|f| f.labelled())
        {
            let one_by_one: Vec<String> = match (f.get)(&r) {
                FieldValue::Text(v) => vec![value_label(&labels, &strings, f.path, &v)],
                FieldValue::List(items) => items
                    .iter()
                    .map(|v| value_label(&labels, &strings, f.path, v))
                    .collect(),
                _ => Vec::new(),
            };
            let got = match f.ty {
                FieldType::List => list(f.path),
                _ => made.get(&Key::Str(f.path)).map(text).into_iter().collect(),
            };
            assert_eq!(got, one_by_one, "`{}`", f.path);
        }
        r.level = None;
        let made = value_labels(&r, &labels, &strings);
        assert!(
            made.as_map()
                .is_some_and(|m| !m.contains_key(&Key::Str("level")))
        );
    }

    #[test]
    fn the_nav_says_which_item_is_the_page_and_which_holds_it() {
        let nav: Vec<String> = ["/g/", "/g/compare/", "/g/articles/", "/g/about/"]
            .map(String::from)
            .to_vec();
        let current = |url: &str, kind: &str| -> Vec<String> {
            let v = nav_current(&nav, "/g/", url, kind);
            let items = v.as_array().expect("a list");
            items
                .iter()
                .map(|i| i.as_str().unwrap_or("?").to_string())
                .collect()
        };
        assert_eq!(current("/g/", "home"), ["page", "", "", ""]);
        assert_eq!(current("/g/articles/", "articles"), ["", "", "page", ""]);
        assert_eq!(current("/g/articles/roi/", "article"), ["", "", "true", ""]);
        assert_eq!(current("/g/tags/roi/", "tag"), ["", "", "", ""]);
        // A record's page is under the home item, though its URL is under every item's.
        assert_eq!(
            current("/g/certifications/cccm/", "certification"),
            ["true", "", "", ""]
        );
        assert_eq!(current("/g/about/", "page"), ["", "", "", "page"]);
    }

    #[test]
    fn slugs_read_as_labels() {
        assert_eq!(label_of("workforce-management"), "Workforce management");
        assert_eq!(label_of("in-person"), "In person");
        assert_eq!(
            label_of("Two years leading a team"),
            "Two years leading a team"
        );
        assert_eq!(label_of("QA"), "QA");
        assert_eq!(label_of("ß-level"), "SS level");
        assert_eq!(label_of("_x"), " x");
    }

    proptest::proptest! {
        /// As a slug's dashes and underscores made spaces, then its first character upper
        /// case; other text as it is.
        #[test]
        fn labels_are_slugs_spaced_and_capitalised(value in "[a-z0-9_\\-\u{e9}\u{df}A ]{0,12}") {
            let spaced = value.replace(['-', '_'], " ");
            let mut chars = spaced.chars();
            let slug = !value.is_empty()
                && value.chars().all(|c| c.is_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
            let expected: String = match (slug, chars.next()) {
                (true, Some(c)) => c.to_uppercase().chain(chars).collect(),
                _ => value.clone(),
            };
            proptest::prop_assert_eq!(label_of(&value), expected);
        }
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(grouped(1495.0), "1,495");
        assert_eq!(grouped(1234567.5), "1,234,567.5");
        assert_eq!(grouped(200.0), "200");
        assert_eq!(number(12.25), "12.25");
    }
}
