//! Machine-readable outputs: `data/certifications.json`, `data/certifications.csv`,
//! `data/table.json` (the home table's index), `sitemap.xml` and `atom.xml`.

use super::OutputFile;
use super::pieces::Joints;
use super::views::{Published, RecordData, number};
use crate::config::Config;
use crate::content::{Content, Field, FieldValue, RECORD_FIELDS, Record};
use crate::routes::{DataFile, Route};

/// How `data/certifications.json` is joined from each record's object ([`record_json`]).
pub const JSON: Joints = Joints {
    head: b"[",
    sep: b",",
    tail: b"]",
};

/// What a record's JSON takes, about, at most (the kept bytes are trimmed to their length).
const RECORD_JSON_BYTES: usize = 4096;

/// A record's object in `data/certifications.json`.
pub fn record_json(record: &Published) -> Vec<u8> {
    // Room for most records at once: grown from serde_json's 128 bytes, a record's JSON was
    // copied five times on the way to its 2-5 KB.
    let mut json = Vec::with_capacity(RECORD_JSON_BYTES);
    // Serialising plain structs to a Vec cannot fail.
    let _ = serde_json::to_writer(&mut json, record);
    json.shrink_to_fit();
    json
}

/// How `data/certifications.csv` is joined from each record's row ([`csv_row`]): after
/// the header line.
pub fn csv_joints() -> Joints {
    static HEAD: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let head = HEAD.get_or_init(|| format!("{}\r\n", CSV_HEADER.join(",")).into_bytes());
    Joints {
        head,
        sep: b"",
        tail: b"",
    }
}

/// `data/words.js`: the theme's words for its scripts (`js.*`, without the prefix, and the
/// language), as `window.certguideStrings`, which `strings.js` reads.
pub fn words_file(strings: &crate::i18n::Strings) -> OutputFile {
    // Plain strings in a map cannot fail to serialise.
    let json = serde_json::to_string(&strings.for_scripts()).unwrap_or_else(|_| "{}".into());
    let text = format!(
        "window.certguideStrings = {};\n",
        super::templates::script_safe_json(&json)
    );
    file(DataFile::ScriptWords, text.into_bytes())
}

/// A data file of the records, made of pieces joined elsewhere.
pub fn records_file(route: DataFile, bytes: super::Bytes) -> OutputFile {
    records_file_at(Route::Data(route).path(), bytes)
}

/// A data file of the records at `path` (from [`Route::path`]).
pub fn records_file_at(path: String, bytes: super::Bytes) -> OutputFile {
    OutputFile {
        path,
        bytes,
        source: None,
    }
}

/// The files made from the whole site: `sitemap.xml` and `atom.xml`.
pub fn sitemap_file(config: &Config, content: &Content, records: &[&RecordData]) -> OutputFile {
    file(
        DataFile::Sitemap,
        sitemap(config, content, records).into_bytes(),
    )
}

/// `atom.xml`: the newest articles (`article_order`).
pub fn atom_file(config: &Config, content: &Content, article_order: &[usize]) -> OutputFile {
    file(
        DataFile::Atom,
        atom(config, content, article_order).into_bytes(),
    )
}

/// Every alias of the site's records, articles and pages that makes a place
/// ([`crate::routes::alias_place`]; the others are reported), with the URL it leads to.
pub fn aliases(content: &Content, base: &str) -> Vec<(String, String)> {
    let records = content
        .records
        .iter()
        .map(|r| (Route::Record(&r.id), &r.aliases));
    let docs = content
        .articles
        .iter()
        .chain(&content.pages)
        .map(|d| (Route::source(d.kind, &d.slug), &d.aliases));
    records
        .chain(docs)
        .flat_map(|(route, list)| {
            list.iter().filter_map(move |(alias, _)| {
                let place = crate::routes::alias_place(alias).ok()?;
                Some((place, route.url(base)))
            })
        })
        .collect()
}

/// The redirect page at `path` to the page at `target` (a URL under the base path): a
/// meta refresh, the canonical link to the page, and a plain link for people. Not listed
/// in the sitemap or the search index, and kept out of search engines.
pub fn alias_file(
    config: &Config,
    strings: &crate::i18n::Strings,
    path: &str,
    target: &str,
) -> OutputFile {
    let canonical = absolute(config, target);
    let attr = |s: &str| {
        s.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let (canonical, target) = (attr(&canonical), attr(target));
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<link rel=\"canonical\" href=\"{canonical}\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n\
         <p><a href=\"{target}\">{link}</a></p>\n</body>\n</html>\n",
        lang = attr(&config.language),
        title = attr(strings.or("redirect.title", "This page has moved")),
        link = attr(strings.or("redirect.link", "Go to the page's new address")),
    );
    OutputFile {
        path: path.to_string(),
        bytes: html.into_bytes().into(),
        source: None,
    }
}

/// The JSON Schemas published for editors.
pub fn schema_files() -> Vec<OutputFile> {
    crate::schema::files()
        .into_iter()
        .map(|(name, value)| OutputFile {
            path: Route::Schema(name).path(),
            bytes: serde_json::to_vec_pretty(&value).unwrap_or_default().into(),
            source: None,
        })
        .collect()
}

fn file(route: DataFile, bytes: Vec<u8>) -> OutputFile {
    OutputFile {
        path: Route::Data(route).path(),
        bytes: bytes.into(),
        source: None,
    }
}

/// The columns of `data/certifications.csv`, in order: the record's `id` and page `url`,
/// then record fields, each named by the `csv` of its entry in [`RECORD_FIELDS`] (a test
/// checks that every such name is here once). Spreadsheets read columns by position, so
/// the order is part of the published file: a new column goes at the end.
const CSV_HEADER: [&str; 22] = [
    "id",
    "url",
    "acronym",
    "name",
    "provider",
    "provider_url",
    "official_url",
    "level",
    "audience",
    "delivery",
    "cost_amount",
    "cost_currency",
    "effort_hours",
    "effort_weeks",
    "exam_required",
    "exam_questions",
    "exam_minutes",
    "experience_years",
    "renewal_every_years",
    "prerequisites",
    "skills",
    "verified",
];

/// Where a CSV column's cells come from.
#[derive(Clone, Copy)]
enum CsvColumn {
    Id,
    PageUrl,
    Field(&'static Field),
    /// A name that is neither (a test keeps [`CSV_HEADER`] free of them): empty cells.
    Unknown,
}

fn csv_column(name: &str) -> CsvColumn {
    match name {
        "id" => CsvColumn::Id,
        "url" => CsvColumn::PageUrl,
        _ => RECORD_FIELDS
            .iter()
            .find(|f| f.csv == Some(name))
            .map_or(CsvColumn::Unknown, CsvColumn::Field),
    }
}

/// A field's value in a CSV cell: numbers plain (`1495`), lists joined with `; `, yes or
/// no, and an empty cell when missing.
fn csv_text(value: FieldValue) -> String {
    match value {
        FieldValue::Missing => String::new(),
        FieldValue::Text(t) => t,
        FieldValue::Number(n) => number(n),
        FieldValue::List(l) => l.join("; "),
        FieldValue::Bool(b) => if b { "yes" } else { "no" }.to_string(),
    }
}

/// A record's row in `data/certifications.csv` (line break included): `data` as
/// published, and the record it was made from, whose fields the cells read.
pub fn csv_row(data: &RecordData, record: &Record) -> Vec<u8> {
    let cells: Vec<String> = CSV_HEADER
        .iter()
        .map(|name| {
            let text = match csv_column(name) {
                CsvColumn::Id => data.id.clone(),
                CsvColumn::PageUrl => data.url.clone(),
                CsvColumn::Field(f) => csv_text((f.get)(record)),
                CsvColumn::Unknown => String::new(),
            };
            csv_cell(&text)
        })
        .collect();
    let mut row = cells.join(",");
    row.push_str("\r\n");
    row.into_bytes()
}

/// Quotes a CSV cell when needed, and defuses text a spreadsheet would run as a formula.
fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Text for XML (the chart's SVG, feeds): escaped by quick-xml, and without the
/// characters XML 1.0 forbids (controls but tab and line breaks, U+FFFE, U+FFFF), which a
/// title or body may hold and which would make the whole document unreadable to a parser.
pub fn xml_escape(s: &str) -> String {
    quick_xml::escape::escape(xml_chars(s).as_ref()).into_owned()
}

/// `s` without the characters XML 1.0 does not allow in a document.
fn xml_chars(s: &str) -> std::borrow::Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{fffe}' | '\u{ffff}'))
    };
    if s.chars().all(allowed) {
        s.into()
    } else {
        s.chars().filter(|&c| allowed(c)).collect::<String>().into()
    }
}

/// An XML document written with quick-xml: declaration first, indented by two spaces.
/// Writing into a `Vec` cannot fail.
fn xml_document(body: impl FnOnce(&mut XmlWriter) -> std::io::Result<()>) -> String {
    let mut w = quick_xml::Writer::new_with_indent(Vec::new(), b' ', 2);
    let _ = w.write_event(quick_xml::events::Event::Decl(
        quick_xml::events::BytesDecl::new("1.0", Some("UTF-8"), None),
    ));
    let _ = body(&mut w);
    let mut out = String::from_utf8(w.into_inner()).unwrap_or_default();
    out.push('\n');
    out
}

type XmlWriter = quick_xml::Writer<Vec<u8>>;

/// `<name>text</name>`, the text cleaned of forbidden characters and escaped.
fn text_element(w: &mut XmlWriter, name: &str, text: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(quick_xml::events::BytesText::new(&xml_chars(text)))?;
    Ok(())
}

/// The absolute URL of a root-relative one (which already carries the base path).
fn absolute(config: &Config, url: &str) -> String {
    crate::routes::absolute(&config.base_url, &config.base_path, url)
}

fn sitemap(config: &Config, content: &Content, records: &[&RecordData]) -> String {
    let base = &config.base_path;
    let mut urls: Vec<(String, Option<String>)> = [
        Route::Home,
        Route::Compare,
        Route::AllRecords,
        Route::Articles,
    ]
    .iter()
    .map(|r| (r.url(base), None))
    .collect();
    urls.extend(records.iter().map(|r| (r.url.clone(), r.verified.clone())));
    urls.extend(content.articles.iter().chain(&content.pages).map(|d| {
        let url = Route::source(d.kind, &d.slug).url(base);
        (url, d.date.map(|x| x.to_string()))
    }));
    // The lists: the articles list's further pages, the tags page, each tag's and each
    // category's pages.
    let order = super::views::newest_first(&content.articles);
    let per_page = config.articles_per_page;
    let pages = crate::routes::pages_of;
    let mut lists: Vec<Route> = (2..=pages(content.articles.len(), per_page))
        .map(Route::ArticlesPage)
        .collect();
    let tags = crate::content::taxonomy::tags(&content.articles, &order);
    lists.push(Route::Tags);
    for t in &tags {
        lists.extend((1..=pages(t.articles.len(), per_page)).map(|n| Route::Tag(&t.slug, n)));
    }
    for (c, members) in crate::content::taxonomy::categories(&content.articles, &order) {
        lists.extend((1..=pages(members.len(), per_page)).map(|n| Route::Category(c.name(), n)));
    }
    urls.extend(lists.iter().map(|r| (r.url(base), None)));
    xml_document(|w| {
        w.create_element("urlset")
            .with_attribute(("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"))
            .write_inner_content(|w| {
                for (url, lastmod) in &urls {
                    w.create_element("url").write_inner_content(|w| {
                        text_element(w, "loc", &absolute(config, url))?;
                        if let Some(d) = lastmod {
                            text_element(w, "lastmod", d)?;
                        }
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
        Ok(())
    })
}

/// How many articles the feed carries.
pub const FEED_ENTRIES: usize = 50;

fn atom(config: &Config, content: &Content, article_order: &[usize]) -> String {
    let base = &config.base_path;
    let updated = article_order
        .first()
        .and_then(|&i| content.articles[i].date)
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let home = absolute(config, base);
    let quoted = super::quote::index(content);
    let link = |w: &mut XmlWriter, rel: &str, kind: &str, href: &str| -> std::io::Result<()> {
        w.create_element("link")
            .with_attribute(("rel", rel))
            .with_attribute(("type", kind))
            .with_attribute(("href", xml_chars(href).as_ref()))
            .write_empty()?;
        Ok(())
    };
    xml_document(|w| {
        w.create_element("feed")
            .with_attribute(("xmlns", "http://www.w3.org/2005/Atom"))
            .with_attribute(("xml:lang", xml_chars(&config.language).as_ref()))
            .write_inner_content(|w| {
                text_element(w, "title", &config.title)?;
                text_element(w, "subtitle", &config.description)?;
                let feed_url = absolute(config, &Route::Data(DataFile::Atom).url(base));
                link(w, "self", "application/atom+xml", &feed_url)?;
                link(w, "alternate", "text/html", &home)?;
                text_element(w, "id", &home)?;
                text_element(w, "updated", &updated)?;
                text_element(w, "generator", "certguide")?;
                for &i in article_order.iter().take(FEED_ENTRIES) {
                    let a = &content.articles[i];
                    let url = absolute(config, &Route::Article(&a.slug).url(base));
                    let date = a.date.map_or_else(|| updated.clone(), |d| d.rfc3339());
                    w.create_element("entry").write_inner_content(|w| {
                        text_element(w, "title", &a.title)?;
                        link(w, "alternate", "text/html", &url)?;
                        text_element(w, "id", &url)?;
                        text_element(w, "published", &date)?;
                        text_element(w, "updated", &date)?;
                        w.create_element("author")
                            .write_inner_content(|w| text_element(w, "name", &config.title))?;
                        if let Some(s) = &a.summary {
                            text_element(w, "summary", s)?;
                        }
                        w.create_element("content")
                            .with_attribute(("type", "html"))
                            .write_text_content(quick_xml::events::BytesText::new(&xml_chars(
                                &super::quote::resolve(
                                    &a.html,
                                    &a.quotes,
                                    (&content.records, &quoted),
                                    base,
                                    &config.money,
                                ),
                            )))?;
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
        Ok(())
    })
}

/// How `data/table.json` is joined from each record's entry ([`table_entry`]).
pub const TABLE: Joints = JSON;

/// A record's entry in `data/table.json`, the home table's index, made from its template
/// value `cert` (what the table's rows are rendered from): `[id, url, acronym, search
/// text, [value per facet], [cell per column], name]`, where the search text is the acronym, name,
/// provider and skills in lower case, a facet's value is what its checkboxes or range
/// test (as the template's `compared` map, `extra` or the record gives it), and a cell is
/// `null` when the fact is missing, else `[display text, sort key]`.
pub fn table_entry(cert: &tera::Value, config: &Config) -> Vec<u8> {
    use serde_json::Value as Json;
    fn get<'a>(v: &'a tera::Value, key: &str) -> Option<&'a tera::Value> {
        v.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }
    let json = |v: Option<&tera::Value>| {
        v.filter(|v| !v.is_undefined())
            .and_then(|v| serde_json::to_value(v).ok())
            .unwrap_or(Json::Null)
    };
    let text = |key: &str| get(cert, key).and_then(|v| v.as_str()).unwrap_or_default();
    let mut search = format!("{} {}", text("acronym"), text("name"));
    if let Some(provider) = get(cert, "provider").and_then(|p| get(p, "name")?.as_str()) {
        search.push(' ');
        search.push_str(provider);
    }
    let skills: Vec<&str> = get(cert, "skills")
        .and_then(|s| s.as_array())
        .map(|s| s.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    if !skills.is_empty() {
        search.push(' ');
        search.push_str(&skills.join(" "));
    }
    let facets: Vec<Json> = config
        .facets
        .iter()
        .map(|f| {
            let field = f.field.value.as_str();
            if let Some(v) = get(cert, "compared").and_then(|c| get(c, field)) {
                return json(Some(v));
            }
            let mut parts = field.splitn(2, '.');
            match (parts.next().unwrap_or_default(), parts.next()) {
                ("extra", Some(key)) => json(
                    get(cert, "extra")
                        .and_then(|e| e.as_array())
                        .and_then(|items| {
                            items
                                .iter()
                                .rev()
                                .find(|i| get(i, "key").and_then(|k| k.as_str()) == Some(key))
                        })
                        .and_then(|i| get(i, "value")),
                ),
                (first, None) => json(get(cert, first)),
                (first, Some(rest)) => json(get(cert, first).and_then(|v| get(v, rest))),
            }
        })
        .collect();
    let cells: Vec<Json> = get(cert, "cells")
        .and_then(|c| c.as_array())
        .map(|cells| {
            cells
                .iter()
                .map(|c| {
                    if get(c, "missing").and_then(|m| m.as_bool()) == Some(true) {
                        Json::Null
                    } else {
                        Json::Array(vec![json(get(c, "text")), json(get(c, "sort"))])
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let entry = Json::Array(vec![
        json(get(cert, "id")),
        json(get(cert, "url")),
        json(get(cert, "acronym")),
        Json::from(search.to_lowercase()),
        Json::Array(facets),
        Json::Array(cells),
        json(get(cert, "name")),
    ]);
    serde_json::to_vec(&entry).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a, b"), "\"a, b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }

    #[test]
    fn every_csv_column_has_a_source_and_every_csv_field_a_column() {
        for name in CSV_HEADER {
            assert!(
                !matches!(csv_column(name), CsvColumn::Unknown),
                "CSV column `{name}` is no field's `csv` in the table"
            );
            assert_eq!(
                CSV_HEADER.iter().filter(|n| **n == name).count(),
                1,
                "CSV column `{name}` twice"
            );
        }
        for f in RECORD_FIELDS {
            if let Some(name) = f.csv {
                assert!(
                    CSV_HEADER.contains(&name),
                    "`{}` goes into the CSV as `{name}`, which CSV_HEADER lacks",
                    f.path
                );
            }
        }
    }

    #[test]
    fn a_csv_row_has_a_cell_per_column() {
        let r = crate::content::fields::tests::full_record();
        let rc = crate::render::views::RecordContext {
            base_path: "/",
            stale_after_months: None,
            today: crate::content::Date::parse("2027-01-01").expect("a date"),
            money: &Default::default(),
            labels: &Default::default(),
            strings: &Default::default(),
        };
        let data = crate::render::views::record_data(&r, rc);
        let joints = csv_joints();
        let csv = [joints.head, &csv_row(&data, &r)].concat();
        let csv = String::from_utf8_lossy(&csv);
        let lines: Vec<&str> = csv.split_terminator("\r\n").collect();
        assert_eq!(lines.len(), 2, "{csv}");
        // The full record's values hold no comma or quote: every comma parts two cells.
        let header = lines[0].split(',').count();
        assert_eq!(header, CSV_HEADER.len());
        assert_eq!(lines[1].split(',').count(), header, "{csv}");
        assert!(
            lines[1].starts_with("cccm,/certifications/cccm/,CCCM,Certified Call Center Manager,"),
            "{csv}"
        );
        assert!(
            lines[1].contains(
                ",1495,USD,40,6,yes,100,120,2,3,A degree,forecasting; coaching,2026-11-01"
            ),
            "{csv}"
        );
    }

    #[test]
    fn xml_is_escaped() {
        assert_eq!(
            xml_escape("a<b & \"c\"\u{1}\u{fffe}\u{ffff}'"),
            "a&lt;b &amp; &quot;c&quot;&apos;"
        );
    }
}
