//! JSON Schemas of certification records and article/page front matter, for editors that
//! validate and complete YAML while you type (`# yaml-language-server: $schema=...`).
//!
//! The schemas describe exactly what [`crate::content`] accepts: the same keys, required
//! fields, types, allowed values and date format. A test runs the fixtures through both.
//! The record's schema is made from the table of record fields
//! ([`crate::content::RECORD_FIELDS`]); the front matter's is written out here.

use serde_json::{Map, Value, json};

use crate::content::{Category, Field, FieldType, GROUPS, RECORD_FIELDS, Rule};

/// The schema files: name → schema. `certguide schema --write` puts them in `schema/` at
/// the site root; the build publishes them in `public/schema/`.
pub fn files() -> Vec<(&'static str, Value)> {
    vec![
        ("certification.schema.json", certification()),
        ("article.schema.json", front_matter(true)),
        ("page.schema.json", front_matter(false)),
    ]
}

/// A currency code: three capital letters (ISO 4217).
static CURRENCY: std::sync::LazyLock<Value> = std::sync::LazyLock::new(|| {
    json!({
        "type": ["string", "null"],
        "pattern": "^[A-Z]{3}$",
        "description": "ISO 4217 code, e.g. USD; defaults to site.yaml's currency.base.",
    })
});

fn text(description: &str) -> Value {
    json!({ "type": ["string", "null"], "description": description })
}

fn list(description: &str) -> Value {
    json!({
        "type": ["array", "null"],
        "items": { "type": "string" },
        "description": description,
    })
}

/// `YYYY-MM-DD` with a month that exists and a day that can exist in it (the schema
/// cannot know leap years: 29 February always passes it).
pub const DATE_PATTERN: &str = "^[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-9]))$";

/// A URL with a scheme links may use (http, https, mailto, tel), or none (relative).
pub const URL_PATTERN: &str = "^(?:(?:[Hh][Tt][Tt][Pp][Ss]?|[Mm][Aa][Ii][Ll][Tt][Oo]|[Tt][Ee][Ll]):|(?![A-Za-z][A-Za-z0-9+.-]*:))";

fn date(description: &str) -> Value {
    json!({
        "type": ["string", "null"],
        "pattern": DATE_PATTERN,
        "description": description,
    })
}

fn object(description: &str, properties: Value, required: &[&str]) -> Value {
    json!({
        "type": ["object", "null"],
        "description": description,
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// The schema of one record field, from its entry in the table of fields: its type, its
/// [`Rule`], and its description. A key that must be written may not be `null`.
fn field(f: &Field) -> Value {
    let of_type = |name: &str| match f.rule.required() {
        true => json!(name),
        false => json!([name, "null"]),
    };
    let mut schema = match (f.ty, f.rule) {
        (_, Rule::OneOf(words)) => json!({
            "enum": words.iter().map(|w| Value::from(*w)).chain([Value::Null]).collect::<Vec<_>>(),
        }),
        // `minimum: 0` also where the record wants more than zero (`zero_allowed: false`):
        // what the published schema has always said.
        (FieldType::Number, Rule::Range { whole, .. }) => json!({
            "type": of_type(if whole { "integer" } else { "number" }),
            "minimum": 0,
        }),
        (FieldType::Number, _) => json!({ "type": of_type("number") }),
        (FieldType::Money, Rule::Range { whole, .. }) => json!({
            "type": of_type("object"),
            "properties": {
                "amount": { "type": if whole { "integer" } else { "number" }, "minimum": 0 },
                "currency": CURRENCY.clone(),
            },
            "required": ["amount"],
            "additionalProperties": false,
        }),
        (FieldType::Money, _) => json!({ "type": of_type("object") }),
        (FieldType::Text, _) => json!({ "type": of_type("string") }),
        (FieldType::Date, _) => json!({ "type": of_type("string"), "pattern": DATE_PATTERN }),
        (FieldType::List, _) => json!({ "type": of_type("array"), "items": { "type": "string" } }),
        (FieldType::Bool, _) => json!({ "type": of_type("boolean") }),
    };
    match f.rule {
        Rule::NonBlank => schema["pattern"] = json!("\\S"),
        Rule::Url => schema["pattern"] = json!(URL_PATTERN),
        Rule::Currency => schema["pattern"] = json!("^[A-Z]{3}$"),
        _ => {}
    }
    schema["description"] = json!(f.description);
    schema
}

/// The schema of `content/certifications/ID.yaml`: a property per field of
/// [`RECORD_FIELDS`] (an object per [`GROUPS`] entry for the fields written in a group),
/// and `extra`, which holds any keys.
pub fn certification() -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for f in RECORD_FIELDS.iter().filter(|f| f.written()) {
        let top = f.top_level_key();
        if properties.contains_key(top) {
            continue; // a group, made whole at its first field
        }
        let value = match GROUPS.iter().find(|g| g.key == top) {
            Some(group) => {
                let members = || {
                    RECORD_FIELDS
                        .iter()
                        .filter(|m| m.group() == Some(top) && m.written())
                };
                let fields: Map<String, Value> =
                    members().map(|m| (m.key().into(), field(m))).collect();
                let needed: Vec<&str> = members()
                    .filter(|m| m.rule.required())
                    .map(|m| m.key())
                    .collect();
                object(group.description, fields.into(), &needed)
            }
            None => {
                if f.rule.required() {
                    required.push(top);
                }
                field(f)
            }
        };
        properties.insert(top.into(), value);
    }
    properties.insert("sources".into(), sources());
    properties.insert("aliases".into(), aliases());
    properties.insert(
        "extra".into(),
        json!({ "type": ["object", "null"], "description": "Any other facts, shown on the page." }),
    );
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "certification.schema.json",
        "title": "certguide certification record",
        "description": "One certification; the file name is its id. Leave unknown values out.",
        "type": "object",
        "required": required,
        "additionalProperties": false,
        "properties": properties,
    })
}

/// The schema of `aliases` (records, articles, pages): old addresses that redirect.
fn aliases() -> Value {
    json!({
        "type": ["array", "null"],
        "items": { "type": "string", "pattern": "^[^?#\\s]+$" },
        "description": "Old addresses of this page, relative to the site (certifications/old-id/): each gets a page that redirects here.",
    })
}

/// The schema of a record's `sources`: where its facts come from.
fn sources() -> Value {
    let names: Vec<Value> = crate::content::coverable()
        .into_iter()
        .map(Value::from)
        .collect();
    json!({
        "type": ["array", "null"],
        "description": "Where the facts come from: each source's page, and the fields it supports.",
        "items": {
            "type": "object",
            "required": ["url"],
            "additionalProperties": false,
            "properties": {
                "url": { "type": "string", "pattern": URL_PATTERN, "description": "The page the facts were taken from." },
                "title": text("What the page is, e.g. \"Provider: before you start the exam\"."),
                "accessed": date("YYYY-MM-DD: when the page was read."),
                "covers": {
                    "type": ["array", "null"],
                    "items": { "anyOf": [
                        { "enum": names },
                        { "type": "string", "pattern": "^extra\\..+" },
                    ] },
                    "description": "Record fields (as in columns: exam.minutes, extra.KEY) or groups (exam) this source supports.",
                },
            },
        },
    })
}

/// The schema of an article's (or page's) front matter.
pub fn front_matter(article: bool) -> Value {
    let mut required = vec!["title"];
    if article {
        required.push("date");
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": if article { "article.schema.json" } else { "page.schema.json" },
        "title": if article { "certguide article front matter" } else { "certguide page front matter" },
        "type": "object",
        "required": required,
        "additionalProperties": false,
        "properties": {
            "title": { "type": "string", "pattern": "\\S", "description": "Required." },
            "date": if article {
                json!({ "type": "string", "pattern": DATE_PATTERN, "description": "YYYY-MM-DD. Required for articles." })
            } else {
                date("YYYY-MM-DD.")
            },
            "summary": text("One sentence for lists and feeds."),
            "category": {
                "enum": Category::NAMES.iter().map(|c| Value::from(*c)).chain([Value::Null]).collect::<Vec<_>>(),
                "description": "benefits, drawbacks, roi, policy or guide.",
            },
            "tags": list("Free tags."),
            "certifications": list("Ids of related certifications (file names in content/certifications/)."),
            "draft": { "type": ["boolean", "null"], "description": "true keeps it out of the site." },
            "weight": { "type": ["integer", "null"], "description": "Pages: order in the navigation, lower first." },
            "aliases": aliases(),
        },
    })
}
