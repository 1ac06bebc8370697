//! The table of a certification record's fields: [`RECORD_FIELDS`].
//!
//! A record's shape is written as types in `record.rs` (`RawRecord`, what the YAML may
//! hold, and [`Record`], the checked value) and once more here: one [`Field`] per value a
//! record holds, by its path (`level`, `cost.amount`). Everything that goes over a record
//! field by field reads this table instead of naming the fields again:
//!
//! | reader | what it takes from an entry |
//! | --- | --- |
//! | [`Record::field`] (facets, table columns) | `get` |
//! | `validate` (site.yaml's facets and columns) | `selectable`, `ty` |
//! | `render::views::columns` (the home table) | `label`, `ty` |
//! | `render::data` (`data/certifications.csv`) | `csv`, `get` |
//! | `render::search` (a record's search entry and its fingerprint) | `search`, `get` |
//! | `schema` (`certification.schema.json`) | `description`, `rule`, `ty`, and [`GROUPS`] |
//! | `record::check_number` (the ranges of numbers) | `rule` |
//! | `views::cells`, `views::facets`, the chart (what is compared) | `base` (money: the base amount) |
//! | `validate` (`require_sources`) | `sourced` |
//! | a source's `covers`, quoted facts (`fact`, `compare`) | `path`, [`GROUPS`], `rule` (`Computed` fields are not written) |
//!
//! Adding a field: give it a type in `RawRecord` and `Record` (and a line in `record::parse`
//! that turns the one into the other), then one entry here. What stays by hand, each
//! guarded by a unit test that walks this table: the field in `data/certifications.json`
//! (`render::views::RecordData`, the published JSON), a row on the compare page if it should
//! have one (`render::views::COMPARE_ROWS`), the position of its CSV column
//! (`render::data::CSV_HEADER`), and, for a label other than the one made from its name,
//! `config::default_label` (which labels facets).

use super::record::{FieldType, FieldValue, LEVELS, Record};

/// One field of a record: where it is written, what it holds, and how every part of the
/// site that lists fields treats it.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// Where the value is written: a top-level key (`level`) or `group.key`
    /// (`cost.amount`, under the [`Group`] `cost`). Facets and columns in site.yaml name
    /// fields by this path.
    pub path: &'static str,
    /// What kind of value it holds: which facets fit it, how columns sort it.
    pub ty: FieldType,
    /// Its name for people: a column's or facet's heading when site.yaml gives none.
    pub label: &'static str,
    /// What to write there: editors show it from the JSON Schema while you type.
    pub description: &'static str,
    /// What the value must be beyond its type (required, a link, a word from a list, a
    /// number in a range).
    pub rule: Rule,
    /// Reads the value from a record; [`FieldValue::Missing`] when the record lacks it.
    pub get: fn(&Record) -> FieldValue,
    /// Whether site.yaml's `facets` and `columns` may name it.
    pub selectable: bool,
    /// The name of its column in `data/certifications.csv`, or `None` when the CSV leaves
    /// it out.
    pub csv: Option<&'static str>,
    /// Whether its words go into the record's entry of the search index (and, for a record
    /// without a summary, into the snippet shown under the result).
    pub search: bool,
    /// For an amount of money: its value in the site's base currency, which filters,
    /// sorting and range facets use instead of `get` (so a yen price is never compared
    /// with a dollar price). `None`: they use `get`.
    pub base: Option<fn(&Record) -> FieldValue>,
    /// Whether it is a fact a source should back: with `require_sources: true` in
    /// site.yaml, a record that has it without a source that `covers` it gets a warning.
    pub sourced: bool,
}

/// What a field's value must be beyond its [`FieldType`]. The JSON Schema says the same;
/// `record::parse` checks it (a test in `tests/workflow.rs` runs cases through both).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    /// May be left out, or hold any value of its type.
    Optional,
    /// Must be written (in its group, when the group is written), but may be blank.
    Required,
    /// Must be written and hold more than white space.
    NonBlank,
    /// A link with a scheme links may use (`http`, `https`, `mailto`, `tel`) or none.
    Url,
    /// A currency code: three capital letters (ISO 4217).
    Currency,
    /// One of these words.
    OneOf(&'static [&'static str]),
    /// A number from zero (or, without `zero_allowed`, from more than zero) to `max`,
    /// never between zero and a thousandth,
    /// whole when `whole`. Every number that reaches arithmetic has one, so nothing meets
    /// an infinity, a NaN or a value whose float steps stop adding up (README, "Limits").
    Range {
        max: f64,
        whole: bool,
        zero_allowed: bool,
    },
    /// Made by certguide from other fields (`total_cost`), never written in a record: no
    /// key in the record's YAML or its JSON Schema.
    Computed,
}

impl Rule {
    /// Whether the key must be written.
    pub fn required(self) -> bool {
        matches!(self, Rule::Required | Rule::NonBlank)
    }
}

/// Fields written together under one key: `cost: { amount, currency, note }`.
#[derive(Debug, Clone, Copy)]
pub struct Group {
    /// The key, and the first part of its fields' paths.
    pub key: &'static str,
    /// What the mapping is, for the JSON Schema.
    pub description: &'static str,
}

/// Every group of fields, in the order they are written in a record.
pub const GROUPS: &[Group] = &[
    Group {
        key: "provider",
        description: "Who awards it.",
    },
    Group {
        key: "cost",
        description: "What it costs.",
    },
    Group {
        key: "effort",
        description: "Study time.",
    },
    Group {
        key: "exam",
        description: "The exam.",
    },
    Group {
        key: "renewal",
        description: "Keeping it valid.",
    },
];

impl Field {
    /// Whether its values are words from a small set, shown through site.yaml's `labels:`
    /// (`level`, and list fields such as `audience`): what facets offer as checkboxes.
    pub fn labelled(&self) -> bool {
        self.selectable && (self.ty == FieldType::List || matches!(self.rule, Rule::OneOf(_)))
    }

    /// The group it is written in (`cost` for `cost.amount`), or `None` at the top level.
    pub fn group(&self) -> Option<&'static str> {
        self.path.split_once('.').map(|(group, _)| group)
    }

    /// Its key inside its group (`amount` for `cost.amount`); the path at the top level.
    pub fn key(&self) -> &'static str {
        self.path.split_once('.').map_or(self.path, |(_, key)| key)
    }

    /// The top-level key it is written under: its group, or its own key.
    pub fn top_level_key(&self) -> &'static str {
        self.group().unwrap_or(self.path)
    }

    /// Whether a record's YAML holds it (every field but the computed ones).
    pub fn written(&self) -> bool {
        self.rule != Rule::Computed
    }

    /// The value filters, sorting and range facets use: [`Field::base`], else `get`.
    pub fn compared(&self, r: &Record) -> FieldValue {
        (self.base.unwrap_or(self.get))(r)
    }
}

/// The names a source's `covers` may use: every written field's path, and every group.
pub fn coverable() -> Vec<&'static str> {
    let fields = RECORD_FIELDS.iter().filter(|f| f.written()).map(|f| f.path);
    fields.chain(GROUPS.iter().map(|g| g.key)).collect()
}

/// Whether a source that covers `name` (a field path or a group) backs the field `path`.
pub fn covers(name: &str, path: &str) -> bool {
    name == path || path.split_once('.').is_some_and(|(group, _)| group == name)
}

fn renewal_cost(r: &Record) -> Option<&super::record::Amount> {
    r.renewal.as_ref()?.cost.as_ref()
}

/// The entry of a field path (`cost.amount`), if the table has one. `extra.KEY` has none:
/// [`Record::field`] looks those up in the record's free-form data.
pub fn record_field(path: &str) -> Option<&'static Field> {
    RECORD_FIELDS.iter().find(|f| f.path == path)
}

/// A text value, `Missing` when there is none.
fn text(s: Option<&String>) -> FieldValue {
    s.map_or(FieldValue::Missing, |s| FieldValue::Text(s.clone()))
}

/// A number, `Missing` when there is none.
fn num(n: Option<f64>) -> FieldValue {
    n.map_or(FieldValue::Missing, FieldValue::Number)
}

/// A list, `Missing` when it is empty.
fn list(l: &[String]) -> FieldValue {
    if l.is_empty() {
        FieldValue::Missing
    } else {
        FieldValue::List(l.to_vec())
    }
}

/// Every field of a record, in the order a record is written (README, "A certification
/// record"; `level` before `audience`, the order of a search result's facts). site.yaml's
/// error messages list fields in this order. `extra` is not in it: it holds any keys,
/// which facets and columns name as `extra.KEY`.
pub const RECORD_FIELDS: &[Field] = &[
    Field {
        path: "name",
        ty: FieldType::Text,
        label: "Certification",
        description: "Full name. Required.",
        rule: Rule::NonBlank,
        get: |r| FieldValue::Text(r.name.clone()),
        selectable: true,
        csv: Some("name"),
        search: false, // in the entry's title
        base: None,
        sourced: false,
    },
    Field {
        path: "acronym",
        ty: FieldType::Text,
        label: "Acronym",
        description: "Short name, unique across the guide. Required.",
        rule: Rule::NonBlank,
        get: |r| FieldValue::Text(r.acronym.clone()),
        selectable: true,
        csv: Some("acronym"),
        search: false, // in the entry's title
        base: None,
        sourced: false,
    },
    Field {
        path: "provider.name",
        ty: FieldType::Text,
        label: "Provider",
        description: "The provider's name. Required when provider is given.",
        rule: Rule::Required,
        get: |r| text(r.provider.as_ref().map(|p| &p.name)),
        selectable: true,
        csv: Some("provider"),
        search: true,
        base: None,
        sourced: true,
    },
    Field {
        path: "provider.url",
        ty: FieldType::Text,
        label: "Provider site",
        description: "The provider's web site.",
        rule: Rule::Url,
        get: |r| text(r.provider.as_ref().and_then(|p| p.url.as_ref())),
        selectable: true,
        csv: Some("provider_url"),
        search: false,
        base: None,
        sourced: false,
    },
    Field {
        path: "url",
        ty: FieldType::Text,
        label: "Official page",
        description: "The certification's official page.",
        rule: Rule::Url,
        get: |r| text(r.url.as_ref()),
        selectable: true,
        csv: Some("official_url"),
        search: false,
        base: None,
        sourced: false,
    },
    Field {
        path: "summary",
        ty: FieldType::Text,
        label: "Summary",
        description: "One paragraph; markdown allowed.",
        rule: Rule::Optional,
        get: |r| text(r.summary.as_ref()),
        selectable: true,
        csv: None,
        search: false, // searched as plain text, and shown, by `render::search` itself
        base: None,
        sourced: false,
    },
    Field {
        path: "level",
        ty: FieldType::Text,
        label: "Level",
        description: "foundation, professional or expert.",
        rule: Rule::OneOf(&LEVELS),
        get: |r| text(r.level.as_ref()),
        selectable: true,
        csv: Some("level"),
        search: true,
        base: None,
        sourced: true,
    },
    Field {
        path: "audience",
        ty: FieldType::List,
        label: "Audience",
        description: "Roles it is for, e.g. manager, supervisor.",
        rule: Rule::Optional,
        get: |r| list(&r.audience),
        selectable: true,
        csv: Some("audience"),
        search: true,
        base: None,
        sourced: true,
    },
    Field {
        path: "delivery",
        ty: FieldType::List,
        label: "Delivery",
        description: "How it is taught, e.g. online, in-person, self-paced.",
        rule: Rule::Optional,
        get: |r| list(&r.delivery),
        selectable: true,
        csv: Some("delivery"),
        search: false,
        base: None,
        sourced: true,
    },
    Field {
        path: "cost.amount",
        ty: FieldType::Number,
        label: "Cost",
        description: "Price, a number.",
        rule: Rule::Range {
            max: 1e12,
            whole: false,
            zero_allowed: true,
        },
        get: |r| num(r.cost.as_ref().and_then(|c| c.amount)),
        selectable: true,
        csv: Some("cost_amount"),
        search: false,
        base: Some(|r| num(r.cost.as_ref().and_then(|c| c.amount_base))),
        sourced: true,
    },
    Field {
        path: "cost.currency",
        ty: FieldType::Text,
        label: "Currency",
        description: "Currency code, e.g. USD.",
        rule: Rule::Currency,
        get: |r| text(r.cost.as_ref().and_then(|c| c.currency.as_ref())),
        selectable: true,
        csv: Some("cost_currency"),
        search: false,
        base: None,
        sourced: false,
    },
    Field {
        path: "cost.note",
        ty: FieldType::Text,
        label: "Note",
        description: "What the price includes.",
        rule: Rule::Optional,
        get: |r| text(r.cost.as_ref().and_then(|c| c.note.as_ref())),
        selectable: true,
        csv: None,
        search: false,
        base: None,
        sourced: false,
    },
    Field {
        path: "effort.hours",
        ty: FieldType::Number,
        label: "Hours",
        description: "Hours of study.",
        rule: Rule::Range {
            max: 100_000.0,
            whole: false,
            zero_allowed: true,
        },
        get: |r| num(r.effort.as_ref().and_then(|e| e.hours)),
        selectable: true,
        csv: Some("effort_hours"),
        search: false,
        base: None,
        sourced: true,
    },
    Field {
        path: "effort.weeks",
        ty: FieldType::Number,
        label: "Weeks",
        description: "Weeks it usually takes.",
        rule: Rule::Range {
            max: 5_200.0,
            whole: false,
            zero_allowed: true,
        },
        get: |r| num(r.effort.as_ref().and_then(|e| e.weeks)),
        selectable: true,
        csv: Some("effort_weeks"),
        search: false,
        base: None,
        sourced: true,
    },
    Field {
        path: "exam.required",
        ty: FieldType::Bool,
        label: "Exam",
        description: "Whether there is an exam.",
        rule: Rule::Optional,
        get: |r| {
            let required = r.exam.as_ref().and_then(|e| e.required);
            required.map_or(FieldValue::Missing, FieldValue::Bool)
        },
        selectable: true,
        csv: Some("exam_required"),
        search: false,
        base: None,
        sourced: true,
    },
    Field {
        path: "exam.format",
        ty: FieldType::Text,
        label: "Format",
        description: "How the exam is taken.",
        rule: Rule::Optional,
        get: |r| text(r.exam.as_ref().and_then(|e| e.format.as_ref())),
        selectable: true,
        csv: None,
        search: false,
        base: None,
        sourced: true,
    },
    Field {
        path: "exam.questions",
        ty: FieldType::Number,
        label: "Questions",
        description: "Number of questions.",
        rule: Rule::Range {
            max: 100_000.0,
            whole: true,
            zero_allowed: true,
        },
        get: |r| num(r.exam.as_ref().and_then(|e| e.questions)),
        selectable: true,
        csv: Some("exam_questions"),
        search: false,
        base: None,
        sourced: true,
    },
    Field {
        path: "exam.minutes",
        ty: FieldType::Number,
        label: "Exam minutes",
        description: "Time allowed.",
        rule: Rule::Range {
            max: 100_000.0,
            whole: false,
            zero_allowed: true,
        },
        get: |r| num(r.exam.as_ref().and_then(|e| e.minutes)),
        selectable: true,
        csv: Some("exam_minutes"),
        search: false,
        base: None,
        sourced: true,
    },
    Field {
        path: "experience_years",
        ty: FieldType::Number,
        label: "Experience (years)",
        description: "Years of experience required.",
        rule: Rule::Range {
            max: 100.0,
            whole: false,
            zero_allowed: true,
        },
        get: |r| num(r.experience_years),
        selectable: true,
        csv: Some("experience_years"),
        search: false,
        base: None,
        sourced: true,
    },
    Field {
        path: "prerequisites",
        ty: FieldType::List,
        label: "Prerequisites",
        description: "What a candidate needs first.",
        rule: Rule::Optional,
        get: |r| list(&r.prerequisites),
        selectable: true,
        csv: Some("prerequisites"),
        search: false,
        base: None,
        sourced: true,
    },
    Field {
        path: "renewal.every_years",
        ty: FieldType::Number,
        label: "Renewal (years)",
        description: "Renewal interval in years.",
        rule: Rule::Range {
            max: 100.0,
            whole: false,
            zero_allowed: false,
        },
        get: |r| num(r.renewal.as_ref().and_then(|x| x.every_years)),
        selectable: true,
        csv: Some("renewal_every_years"),
        search: false,
        base: None,
        sourced: true,
    },
    Field {
        path: "renewal.requirement",
        ty: FieldType::Text,
        label: "Requirement",
        description: "What renewal takes.",
        rule: Rule::Optional,
        get: |r| text(r.renewal.as_ref().and_then(|x| x.requirement.as_ref())),
        selectable: true,
        csv: None,
        search: false,
        base: None,
        sourced: true,
    },
    Field {
        path: "renewal.cost",
        ty: FieldType::Money,
        label: "Renewal cost",
        description: "What each renewal costs: { amount, currency }; currency defaults to site.yaml's currency.base.",
        rule: Rule::Range {
            max: 1e12,
            whole: false,
            zero_allowed: true,
        },
        get: |r| num(renewal_cost(r).map(|c| c.amount)),
        selectable: true,
        csv: None,
        search: false,
        base: Some(|r| num(renewal_cost(r).and_then(|c| c.amount_base))),
        sourced: true,
    },
    Field {
        path: "skills",
        ty: FieldType::List,
        label: "Skills",
        description: "Skills it covers.",
        rule: Rule::Optional,
        get: |r| list(&r.skills),
        selectable: true,
        csv: Some("skills"),
        search: true,
        base: None,
        sourced: true,
    },
    Field {
        path: "pros",
        ty: FieldType::List,
        label: "Pros",
        description: "Reasons to pay for it; markdown allowed.",
        rule: Rule::Optional,
        get: |r| list(&r.pros),
        // Markdown: shown rendered on the record and compare pages, not in the table.
        selectable: false,
        csv: None,
        search: false,
        base: None,
        sourced: false,
    },
    Field {
        path: "cons",
        ty: FieldType::List,
        label: "Cons",
        description: "Reasons not to; markdown allowed.",
        rule: Rule::Optional,
        get: |r| list(&r.cons),
        selectable: false,
        csv: None,
        search: false,
        base: None,
        sourced: false,
    },
    Field {
        path: "verified",
        ty: FieldType::Date,
        label: "Verified",
        description: "YYYY-MM-DD: when someone last checked the facts against the provider.",
        rule: Rule::Optional,
        get: |r| {
            r.verified
                .map_or(FieldValue::Missing, |d| FieldValue::Text(d.to_string()))
        },
        selectable: true,
        csv: Some("verified"),
        search: false,
        base: None,
        sourced: false,
    },
    Field {
        path: "draft",
        ty: FieldType::Bool,
        label: "Draft",
        description: "true keeps it out of the site.",
        rule: Rule::Optional,
        get: |r| FieldValue::Bool(r.draft),
        // Drafts are left out of the site (unless built with --drafts): nothing to filter.
        selectable: false,
        csv: None,
        search: false,
        base: None,
        sourced: false,
    },
    Field {
        path: "total_cost",
        ty: FieldType::Number,
        label: "Total cost",
        description: "Made by certguide, not written: the cost plus each renewal due before horizon_years, in the base currency.",
        rule: Rule::Computed,
        get: |r| num(r.total_cost.as_ref().map(|t| t.amount)),
        selectable: true,
        csv: None,
        search: false,
        base: None,
        sourced: false,
    },
];

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::content::{Kind, LoadOptions, assemble, parse_text};
    use std::collections::HashSet;
    use std::path::Path;

    /// A record with every field written, each value different from the others.
    const FULL_RECORD: &str = "\
name: Certified Call Center Manager
acronym: CCCM
provider: { name: Provider Inc, url: https://provider.example/ }
url: https://provider.example/cccm
summary: Runs a *contact center*.
audience: [manager, supervisor]
level: professional
delivery: [online, self-paced]
cost: { amount: 1495, currency: USD, note: Exam included }
effort: { hours: 40, weeks: 6 }
exam: { required: true, format: Online proctored, questions: 100, minutes: 120 }
experience_years: 2
prerequisites: [A degree]
renewal: { every_years: 3, requirement: 30 hours of study, cost: { amount: 250, currency: USD } }
skills: [forecasting, coaching]
pros: [Widely known]
cons: [Costly]
verified: 2026-11-01
draft: true
sources:
  - { url: https://provider.example/exam, title: Exam page, accessed: 2026-10-30, covers: [exam, renewal.every_years] }
extra: { board: 3 }
";

    /// [`FULL_RECORD`], parsed (drafts kept).
    pub(crate) fn full_record() -> Record {
        let opts = LoadOptions {
            base_path: "/".into(),
            drafts: true,
            allow_raw_html: false,
            max_total_bytes: u64::MAX,
            money: crate::config::Money {
                totals: true,
                ..Default::default()
            },
        };
        let path = Path::new("content/certifications/cccm.yaml");
        let source = parse_text(Kind::Record, path, FULL_RECORD, &opts);
        let (mut content, diags) = assemble([source], true);
        assert!(diags.is_empty(), "{diags:?}");
        content.records.remove(0)
    }

    #[test]
    fn the_table_is_well_formed() {
        let mut seen = HashSet::new();
        for f in RECORD_FIELDS {
            assert!(seen.insert(f.path), "`{}` is in the table twice", f.path);
            assert!(
                f.key().chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    && f.path.matches('.').count() <= 1,
                "`{}`: a path is `key` or `group.key`, in lower case",
                f.path
            );
            if let Some(group) = f.group() {
                assert!(
                    GROUPS.iter().any(|g| g.key == group),
                    "`{}`: its group has no entry in GROUPS",
                    f.path
                );
            }
            let is_range = matches!(f.rule, Rule::Range { .. });
            assert_eq!(
                is_range,
                f.ty.is_numeric() && f.written(),
                "`{}`: every number written has a range, and only numbers do",
                f.path
            );
            assert!(
                f.written() || (f.group().is_none() && !f.sourced && f.csv.is_none()),
                "`{}`: a computed field is top-level, needs no source and has no CSV column",
                f.path
            );
            assert!(
                !f.description.is_empty() && !f.label.is_empty(),
                "{}",
                f.path
            );
        }
        for g in GROUPS {
            assert!(
                RECORD_FIELDS.iter().any(|f| f.group() == Some(g.key)),
                "group `{}` has no fields",
                g.key
            );
        }
        // A group's fields are written together, so the schema (and a reader) meets each
        // group once.
        let tops: Vec<&str> = RECORD_FIELDS.iter().map(Field::top_level_key).collect();
        let mut runs = tops.clone();
        runs.dedup();
        let distinct: HashSet<&str> = tops.iter().copied().collect();
        assert_eq!(
            runs.len(),
            distinct.len(),
            "a group's fields are apart: {tops:?}"
        );
    }

    #[test]
    fn every_path_resolves_with_record_field() {
        let r = full_record();
        for f in RECORD_FIELDS {
            let value = r.field(f.path);
            assert_ne!(value, FieldValue::Missing, "`{}` of a full record", f.path);
            assert_eq!(value, (f.get)(&r), "`{}`", f.path);
            let fits = matches!(
                (&value, f.ty),
                (FieldValue::Text(_), FieldType::Text | FieldType::Date)
                    | (FieldValue::Number(_), FieldType::Number | FieldType::Money)
                    | (FieldValue::List(_), FieldType::List)
                    | (FieldValue::Bool(_), FieldType::Bool)
            );
            assert!(fits, "`{}` is a {:?} but reads {value:?}", f.path, f.ty);
            assert_eq!(record_field(f.path).map(|e| e.path), Some(f.path));
        }
        assert_eq!(r.field("extra.board"), FieldValue::Number(3.0));
        assert_eq!(
            r.field("cost"),
            FieldValue::Missing,
            "a group is not a field"
        );
        assert_eq!(r.field("nope"), FieldValue::Missing);
    }

    #[test]
    fn labels_agree_with_the_labels_site_yaml_gets() {
        // config::default_label gives a facet its label; the table gives a column its own.
        for f in RECORD_FIELDS {
            assert_eq!(
                crate::config::default_label(f.path),
                f.label,
                "`{}`: config::default_label and the table disagree",
                f.path
            );
        }
    }

    #[test]
    fn the_schema_has_every_top_level_key_and_nothing_else() {
        let schema = crate::schema::certification();
        let properties = schema["properties"].as_object().expect("properties");
        let mut tops: Vec<&str> = RECORD_FIELDS
            .iter()
            .filter(|f| f.written())
            .map(Field::top_level_key)
            .collect();
        tops.dedup();
        tops.extend(["sources", "aliases", "extra"]);
        let mut keys: Vec<&str> = properties.keys().map(String::as_str).collect();
        keys.sort_unstable();
        tops.sort_unstable();
        assert_eq!(keys, tops);
        assert!(
            !properties.contains_key("total_cost"),
            "a computed field is not written"
        );
        for f in RECORD_FIELDS.iter().filter(|f| f.group().is_some()) {
            let group = &properties[f.top_level_key()];
            assert_eq!(
                group["properties"][f.key()]["description"],
                f.description,
                "`{}` in the schema",
                f.path
            );
        }
    }
}
