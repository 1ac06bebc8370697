//! JSON Schemas of certification records and article/page front matter, for editors that
//! validate and complete YAML while you type (`# yaml-language-server: $schema=...`).
//!
//! The schemas describe exactly what [`crate::content`] accepts: the same keys, required
//! fields, types, allowed values and date format. A test runs the fixtures through both.

use serde_json::{Value, json};

use crate::content::{Category, LEVELS};

/// The schema files: name → schema. `certguide schema --write` puts them in `schema/` at
/// the site root; the build publishes them in `public/schema/`.
pub fn files() -> Vec<(&'static str, Value)> {
    vec![
        ("certification.schema.json", certification()),
        ("article.schema.json", front_matter(true)),
        ("page.schema.json", front_matter(false)),
    ]
}

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

fn amount(description: &str) -> Value {
    json!({ "type": ["number", "null"], "minimum": 0, "description": description })
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

fn url(description: &str) -> Value {
    json!({
        "type": ["string", "null"],
        "pattern": URL_PATTERN,
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

/// The schema of `content/certifications/ID.yaml`.
pub fn certification() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "certification.schema.json",
        "title": "certguide certification record",
        "description": "One certification; the file name is its id. Leave unknown values out.",
        "type": "object",
        "required": ["name", "acronym"],
        "additionalProperties": false,
        "properties": {
            "name": { "type": "string", "pattern": "\\S", "description": "Full name. Required." },
            "acronym": { "type": "string", "pattern": "\\S", "description": "Short name, unique across the guide. Required." },
            "provider": object("Who awards it.", json!({
                "name": { "type": "string", "description": "The provider's name. Required when provider is given." },
                "url": url("The provider's web site."),
            }), &["name"]),
            "url": url("The certification's official page."),
            "summary": text("One paragraph; markdown allowed."),
            "audience": list("Roles it is for, e.g. manager, supervisor."),
            "level": {
                "enum": LEVELS.iter().map(|l| Value::from(*l)).chain([Value::Null]).collect::<Vec<_>>(),
                "description": "foundation, professional or expert.",
            },
            "delivery": list("How it is taught, e.g. online, in-person, self-paced."),
            "cost": object("What it costs.", json!({
                "amount": amount("Price, a number."),
                "currency": text("Currency code, e.g. USD."),
                "note": text("What the price includes."),
            }), &[]),
            "effort": object("Study time.", json!({
                "hours": amount("Hours of study."),
                "weeks": amount("Weeks it usually takes."),
            }), &[]),
            "exam": object("The exam.", json!({
                "required": { "type": ["boolean", "null"], "description": "Whether there is an exam." },
                "format": text("How the exam is taken."),
                "questions": { "type": ["integer", "null"], "minimum": 0, "description": "Number of questions." },
                "minutes": amount("Time allowed."),
            }), &[]),
            "experience_years": amount("Years of experience required."),
            "prerequisites": list("What a candidate needs first."),
            "renewal": object("Keeping it valid.", json!({
                "every_years": amount("Renewal interval in years."),
                "requirement": text("What renewal takes."),
            }), &[]),
            "skills": list("Skills it covers."),
            "pros": list("Reasons to pay for it; markdown allowed."),
            "cons": list("Reasons not to; markdown allowed."),
            "verified": date("YYYY-MM-DD: when someone last checked the facts against the provider."),
            "draft": { "type": ["boolean", "null"], "description": "true keeps it out of the site." },
            "extra": { "type": ["object", "null"], "description": "Any other facts, shown on the page." },
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
        },
    })
}
