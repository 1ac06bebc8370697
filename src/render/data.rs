//! Machine-readable outputs: `data/certifications.json`, `data/certifications.csv`,
//! `sitemap.xml` and `atom.xml`.

use std::fmt::Write as _;

use super::OutputFile;
use super::views::{self, RecordData, number};
use crate::config::Config;
use crate::content::{Content, Kind};

pub fn files(
    config: &Config,
    content: &Content,
    records: &[&RecordData],
    article_order: &[usize],
) -> Vec<OutputFile> {
    let schemas = crate::schema::files()
        .into_iter()
        .map(|(name, value)| OutputFile {
            path: format!("schema/{name}"),
            bytes: serde_json::to_vec_pretty(&value).unwrap_or_default().into(),
            source: None,
        });
    // The four files are independent: made in parallel.
    let ((json, csv), (sitemap, atom)) = rayon::join(
        || rayon::join(|| json(records), || csv(records)),
        || {
            rayon::join(
                || sitemap(config, content, records),
                || atom(config, content, article_order),
            )
        },
    );
    let file = |path: &str, bytes: Vec<u8>| OutputFile {
        path: path.into(),
        bytes: bytes.into(),
        source: None,
    };
    let mut files = vec![
        file("data/certifications.json", json),
        file("data/certifications.csv", csv.into_bytes()),
        file("sitemap.xml", sitemap.into_bytes()),
        file("atom.xml", atom.into_bytes()),
    ];
    files.extend(schemas);
    files
}

fn json(records: &[&RecordData]) -> Vec<u8> {
    // Serialising plain structs to a Vec cannot fail.
    serde_json::to_vec(records).unwrap_or_else(|_| b"[]".to_vec())
}

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

fn csv(records: &[&RecordData]) -> String {
    let mut out = String::with_capacity(records.len() * 256 + 256);
    out.push_str(&CSV_HEADER.join(","));
    out.push_str("\r\n");
    let num = |n: Option<views::Num>| n.map(|n| number(n.0)).unwrap_or_default();
    let opt = |s: Option<&String>| s.cloned().unwrap_or_default();
    for r in records {
        let row = [
            r.id.clone(),
            r.url.clone(),
            r.acronym.clone(),
            r.name.clone(),
            opt(r.provider.as_ref().map(|p| &p.name)),
            opt(r.provider.as_ref().and_then(|p| p.url.as_ref())),
            opt(r.official_url.as_ref()),
            opt(r.level.as_ref()),
            r.audience.join("; "),
            r.delivery.join("; "),
            num(r.cost.as_ref().and_then(|c| c.amount)),
            opt(r.cost.as_ref().and_then(|c| c.currency.as_ref())),
            num(r.effort.as_ref().and_then(|e| e.hours)),
            num(r.effort.as_ref().and_then(|e| e.weeks)),
            r.exam
                .as_ref()
                .and_then(|e| e.required)
                .map(|b| if b { "yes" } else { "no" }.to_string())
                .unwrap_or_default(),
            num(r.exam.as_ref().and_then(|e| e.questions)),
            num(r.exam.as_ref().and_then(|e| e.minutes)),
            num(r.experience_years),
            num(r.renewal.as_ref().and_then(|x| x.every_years)),
            r.prerequisites.join("; "),
            r.skills.join("; "),
            opt(r.verified.as_ref()),
        ];
        let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
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

pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The absolute URL of a root-relative one (which already carries the base path).
fn absolute(config: &Config, url: &str) -> String {
    let origin = config
        .base_url
        .strip_suffix(&config.base_path)
        .unwrap_or(&config.base_url);
    format!("{origin}{url}")
}

fn sitemap(config: &Config, content: &Content, records: &[&RecordData]) -> String {
    let base = &config.base_path;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut entry = |url: &str, lastmod: Option<String>| {
        let _ = write!(
            out,
            "  <url><loc>{}</loc>",
            xml_escape(&absolute(config, url))
        );
        if let Some(d) = lastmod {
            let _ = write!(out, "<lastmod>{d}</lastmod>");
        }
        out.push_str("</url>\n");
    };
    entry(base, None);
    entry(&format!("{base}compare/"), None);
    entry(&format!("{base}articles/"), None);
    for r in records {
        entry(&r.url, r.verified.clone());
    }
    for d in content.articles.iter().chain(&content.pages) {
        entry(&d.kind.url(base, &d.slug), d.date.map(|x| x.to_string()));
    }
    out.push_str("</urlset>\n");
    out
}

/// How many articles the feed carries.
const FEED_ENTRIES: usize = 50;

fn atom(config: &Config, content: &Content, article_order: &[usize]) -> String {
    let base = &config.base_path;
    let updated = article_order
        .first()
        .and_then(|&i| content.articles[i].date)
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <subtitle>{}</subtitle>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <id>{}</id>\n  <updated>{updated}</updated>\n  <generator>certguide</generator>\n",
        xml_escape(&config.language),
        xml_escape(&config.title),
        xml_escape(&config.description),
        xml_escape(&absolute(config, &format!("{base}atom.xml"))),
        xml_escape(&absolute(config, base)),
        xml_escape(&absolute(config, base)),
    );
    for &i in article_order.iter().take(FEED_ENTRIES) {
        let a = &content.articles[i];
        let url = absolute(config, &Kind::Article.url(base, &a.slug));
        let date = a
            .date
            .map(|d| d.rfc3339())
            .unwrap_or_else(|| updated.clone());
        let _ = write!(
            out,
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <id>{}</id>\n    <published>{date}</published>\n    <updated>{date}</updated>\n    <author><name>{}</name></author>\n",
            xml_escape(&a.title),
            xml_escape(&url),
            xml_escape(&url),
            xml_escape(&config.title),
        );
        if let Some(s) = &a.summary {
            let _ = writeln!(out, "    <summary>{}</summary>", xml_escape(s));
        }
        let _ = write!(
            out,
            "    <content type=\"html\">{}</content>\n  </entry>\n",
            xml_escape(&a.html)
        );
    }
    out.push_str("</feed>\n");
    out
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
    fn xml_is_escaped() {
        assert_eq!(xml_escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
