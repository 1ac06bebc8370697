//! `certguide init` and `certguide new`: a new site, and ready-to-edit records and
//! articles with every field present and explained. Nothing is ever overwritten.

use std::path::{Path, PathBuf};

use crate::content::{Date, Kind};
use crate::schema;

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// Where `init` and `new` put the JSON Schemas editors read.
pub const SCHEMA_DIR: &str = "schema";

/// A URL-safe file name from a title: `Is the CCCS worth it?` → `is-the-cccs-worth-it`.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-')
        .chars()
        .take(80)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

/// The initials of the capitalised words: `Certified Contact Center Supervisor` → `CCCS`.
pub fn acronym(name: &str) -> String {
    let initials: String = name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect();
    if initials.is_empty() {
        name.chars()
            .filter(|c| c.is_alphanumeric())
            .take(6)
            .collect::<String>()
            .to_uppercase()
    } else {
        initials
    }
}

/// Writes `text` to `path`, refusing to overwrite.
fn create(path: &Path, text: &[u8]) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("{}: cannot create folder: {e}", parent.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                format!("{} already exists; nothing was written", path.display())
            }
            _ => format!("{}: cannot create: {e}", path.display()),
        })?;
    std::io::Write::write_all(&mut file, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes the JSON Schemas into `root/schema/` where missing (or always, with `force`).
pub fn write_schemas(root: &Path, force: bool) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for (name, value) in schema::files() {
        let path = root.join(SCHEMA_DIR).join(name);
        if path.exists() && !force {
            continue;
        }
        let text = serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("{}: cannot create folder: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// The text of a new record named `name`, with every field present and commented.
pub fn certification_text(name: &str) -> String {
    let name = yaml_string(name);
    let acronym = yaml_string(&acronym(name.trim_matches('"')));
    format!(
        r#"# yaml-language-server: $schema=../../schema/certification.schema.json
# A certification record. The file name is its id and the end of its page's address.
# Leave out (or leave empty) anything you do not know: the site shows "—" for it.

# Full name, as the provider writes it. Required.
name: {name}
# Short name, unique across the guide. Required.
acronym: {acronym}
# Who awards it, e.g. {{ name: Example Institute, url: https://example.org }}
provider:
# The certification's official page.
url:
# One paragraph on what it is; markdown allowed.
summary:
# Roles it is for: manager, supervisor, workforce-management, quality-assurance, trainer, analyst.
audience: []
# foundation, professional or expert.
level:
# online, in-person, self-paced, virtual-classroom.
delivery: []
# e.g. {{ amount: 1495, currency: USD, note: "exam included" }}; the currency defaults to
# site.yaml's currency.base, and other currencies are converted at its rates.
cost:
# e.g. {{ hours: 40, weeks: 6 }}
effort:
# e.g. {{ required: true, format: "proctored online", questions: 100, minutes: 120 }}
exam:
# Years of experience a candidate needs.
experience_years:
prerequisites: []
# e.g. {{ every_years: 3, requirement: "30 continuing-education credits",
#        cost: {{ amount: 150, currency: USD }} }}
# With the renewal cost, the site shows the cost over site.yaml's horizon_years.
renewal:
skills: []
# Reasons to pay for it, and reasons not to; markdown allowed.
pros: []
cons: []
# YYYY-MM-DD: set it only when you have checked the facts against the provider's pages.
verified:
# true keeps the record out of the published site.
draft: false
# Where the facts come from; `covers` names the fields each page supports (as in
# site.yaml's columns, e.g. exam.minutes, or a group such as exam):
#   - {{ url: https://example.org/exam, title: "Exam guide", accessed: 2026-10-30, covers: [exam] }}
sources: []
# Old addresses of this page that redirect here, e.g. after renaming the file:
# [certifications/old-id/]
aliases: []
# Any other facts, shown on the page: {{ key: value }}.
extra: {{}}
"#
    )
}

/// The text of a new article titled `title`, dated `date`.
pub fn article_text(title: &str, date: Date) -> String {
    let title = yaml_string(title);
    format!(
        r#"---
# yaml-language-server: $schema=../../schema/article.schema.json
title: {title}
date: {date}
# One sentence, shown in lists and in the feed.
summary:
# benefits, drawbacks, roi, policy or guide.
category:
tags: []
# Ids of related certifications (file names in content/certifications/); the article is
# listed on their pages.
certifications: []
# true keeps the article out of the published site.
draft: false
# Old addresses of this article that redirect here, e.g. [articles/old-name/].
aliases: []
---

<!-- Write the article here, in markdown. Link to other articles and certifications by
their files, for example `[the ROI article](roi.md)` or
`[CCCM](../certifications/cccm.yaml#facts)`: the build checks that they exist. -->
"#
    )
}

/// A YAML scalar for `s`: plain when safe, double-quoted otherwise.
fn yaml_string(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || " -_.()/'&".contains(c))
        && !s.starts_with(['-', '&', '\'', ' '])
        && !s.ends_with(' ')
        && !matches!(
            s.to_lowercase().as_str(),
            "yes" | "no" | "true" | "false" | "null" | "on" | "off" | "~"
        );
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
    }
}

/// `certguide new certification NAME`: returns the file written.
pub fn new_certification(root: &Path, name: &str) -> Result<PathBuf, String> {
    new_source(root, Kind::Record, name, certification_text(name))
}

/// `certguide new article TITLE`: returns the file written.
pub fn new_article(root: &Path, title: &str) -> Result<PathBuf, String> {
    new_source(
        root,
        Kind::Article,
        title,
        article_text(title, Date::today()),
    )
}

/// Writes a new source of `kind` named after `title`, and the schemas its header names.
fn new_source(root: &Path, kind: Kind, title: &str, text: String) -> Result<PathBuf, String> {
    let id = slug(title);
    if id.is_empty() {
        return Err(format!(
            "`{title}` gives no usable file name; use letters or digits"
        ));
    }
    let ext = if kind == Kind::Record { "yaml" } else { "md" };
    let path = root.join(kind.dir()).join(format!("{id}.{ext}"));
    create(&path, text.as_bytes())?;
    write_schemas(root, false)?;
    Ok(path)
}

const SITE_YAML: &str = r#"# certguide site configuration: see the README for every key.
title: Certification guide
description: Which certifications are worth paying for? What each one costs, asks and gives.
# Where the site is published; a sub-path works too (https://intranet.example/guides/certs/).
base_url: https://guide.example/
# The theme's words, and how numbers, money and dates are written: en or de
# (themes/default/i18n/LANG.yaml; README, "Languages").
language: en
theme: default

# Filters on the home page. kind: tags (lists), choice (single values), range (numbers).
facets:
  - { field: audience, label: Audience, kind: tags }
  - { field: level, label: Level, kind: choice }
  - { field: delivery, label: Delivery, kind: tags }
  - { field: cost.amount, label: Cost, kind: range, unit: USD }

# Columns of the comparison table, in order.
columns: [acronym, name, provider.name, cost.amount, effort.hours, level]
"#;

const EXAMPLE_RECORD: &str = r#"# yaml-language-server: $schema=../../schema/certification.schema.json
# An example record: replace it with a real certification. Its figures are made up, so it
# has no `verified:` date and the site labels it "Unverified".
name: Example Contact Center Certification
acronym: ECCC
provider: { name: Example Institute }
summary: An *example* record that shows how a certification looks in the guide.
audience: [supervisor]
level: foundation
delivery: [online]
cost: { amount: 500, currency: USD, note: "illustrative figure" }
effort: { hours: 20, weeks: 4 }
pros: ["Shows every part of a record page"]
cons: ["Not a real certification"]
"#;

const EXAMPLE_ARTICLE: &str = r#"---
# yaml-language-server: $schema=../../schema/article.schema.json
title: Welcome to the guide
date: 2026-01-01
summary: What this guide is for and how to add to it.
category: guide
certifications: [example]
---

This guide compares certifications by what they cost, ask and give. Each one has a page,
like the [example certification](../certifications/example.yaml).

## Adding to it

Run `certguide new certification "Name"` or `certguide new article "Title"`, edit the file,
and preview it with `certguide serve`.
"#;

/// `certguide init DIR`: writes a new site that builds at once. Refuses a folder that
/// already holds a site.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if dir.join(crate::config::CONFIG_FILE).exists() {
        return Err(format!(
            "{} already holds a site (site.yaml exists); nothing was written",
            dir.display()
        ));
    }
    let mut files: Vec<(PathBuf, &[u8])> = vec![
        (PathBuf::from("site.yaml"), SITE_YAML.as_bytes()),
        (PathBuf::from(".gitignore"), b"/public\n"),
        (
            PathBuf::from("content/certifications/example.yaml"),
            EXAMPLE_RECORD.as_bytes(),
        ),
        (
            PathBuf::from("content/articles/welcome.md"),
            EXAMPLE_ARTICLE.as_bytes(),
        ),
    ];
    for (rel, bytes) in DEFAULT_THEME {
        files.push((Path::new("themes/default").join(rel), bytes));
    }
    // Check first, so a refusal writes nothing at all.
    for (rel, _) in &files {
        if dir.join(rel).exists() {
            return Err(format!(
                "{} already exists; nothing was written",
                dir.join(rel).display()
            ));
        }
    }
    let mut written = Vec::new();
    for (rel, bytes) in files {
        let path = dir.join(rel);
        create(&path, bytes)?;
        written.push(path);
    }
    written.extend(write_schemas(dir, false)?);
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_acronyms() {
        assert_eq!(slug("Is the CCCS worth it?"), "is-the-cccs-worth-it");
        assert_eq!(slug("  Café & co. -- 2026 "), "caf-co-2026");
        assert_eq!(slug("???"), "");
        assert_eq!(acronym("Certified Contact Center Supervisor"), "CCCS");
        assert_eq!(acronym("quality assurance"), "QUALIT");
    }

    #[test]
    fn yaml_strings_are_quoted_when_needed() {
        assert_eq!(yaml_string("Certified Manager"), "Certified Manager");
        assert_eq!(yaml_string("Is it worth it?"), "\"Is it worth it?\"");
        assert_eq!(yaml_string("Yes"), "\"Yes\"");
        assert_eq!(yaml_string("a: b"), "\"a: b\"");
    }
}
