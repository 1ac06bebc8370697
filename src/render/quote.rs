//! Facts quoted in articles and pages, put in place of their markers
//! ([`crate::content::quote`]): each value formatted as the record page shows it, each
//! `compare` table as the compare page shows its rows.

use std::borrow::Cow;
use std::collections::HashMap;

use super::views::{self, COMPARE_ROWS, MISSING};
use crate::config::Money;
use crate::content::quote::{self, Quote};
use crate::content::{Record, record_field};
use crate::markdown::escape_attr;
use crate::routes::Route;

/// Where each record is in the content's list, by id: what quotes look records up in.
pub type ById = HashMap<String, usize>;

/// [`ById`] of `records`, or an empty map when no document quotes anything.
pub fn index(content: &crate::content::Content) -> ById {
    let quotes = content
        .articles
        .iter()
        .chain(&content.pages)
        .any(|d| !d.quotes.is_empty());
    if !quotes {
        return ById::new();
    }
    let ids = content.records.iter().enumerate();
    ids.map(|(i, r)| (r.id.clone(), i)).collect()
}

/// The section of a record's page that shows a fact (links to the fact go there).
fn section_of(name: &str) -> &'static str {
    match name.split('.').next().unwrap_or(name) {
        "renewal" => "renewal",
        "pros" | "cons" => "pros-cons",
        "name" | "acronym" | "provider" | "url" | "summary" | "level" | "verified" => "overview",
        _ => "facts",
    }
}

/// `html` with every quote marker replaced by what it quotes (`html` itself when it has
/// none).
pub fn resolve<'h>(
    html: &'h str,
    quotes: &[Quote],
    (records, by_id): (&[Record], &ById),
    base: &str,
    money: &Money,
) -> Cow<'h, str> {
    if quotes.is_empty() {
        return Cow::Borrowed(html);
    }
    let find = |id: &str| by_id.get(id).and_then(|&i| records.get(i));
    let mut out = String::with_capacity(html.len() + 256 * quotes.len());
    let mut last = 0;
    for (n, range) in quote::markers(html) {
        let Some(q) = quotes.get(n) else { continue };
        let (start, end) = match q {
            // A block: the paragraph markdown put around it goes.
            Quote::Compare { .. }
                if html[..range.start].ends_with("<p>")
                    && html[range.end..].starts_with("</p>") =>
            {
                (range.start - 3, range.end + 4)
            }
            _ => (range.start, range.end),
        };
        if start < last {
            continue;
        }
        out.push_str(&html[last..start]);
        match q {
            Quote::Fact { id, field } => {
                // Inside a link's text, a link of its own would nest `<a>` (invalid): the
                // value alone.
                let before = &html[..start];
                let opened = before.rfind("<a ").max(before.rfind("<a>"));
                let in_link = opened.is_some_and(|o| before.rfind("</a>").is_none_or(|c| c < o));
                out.push_str(&fact(find(&id.value), &field.value, base, money, in_link))
            }
            Quote::Compare { ids, fields } => {
                let chosen: Vec<&Record> = ids.iter().filter_map(|id| find(&id.value)).collect();
                let names: Vec<&str> = fields.iter().map(|f| f.value.as_str()).collect();
                out.push_str(&table(&chosen, &names, base, money));
            }
        }
        last = end;
    }
    out.push_str(&html[last..]);
    Cow::Owned(out)
}

/// One fact, inline: the value as the record page shows it, linked to its section there,
/// with the record's citation markers; `—` when the record lacks it.
fn fact(r: Option<&Record>, name: &str, base: &str, money: &Money, plain: bool) -> String {
    let Some(r) = r else {
        return format!("<span class=\"quoted-fact is-missing\">{MISSING}</span>");
    };
    match views::fact_text(r, name, money) {
        Some(text) if plain => format!("<span class=\"quoted-fact\">{}</span>", escape_attr(&text)),
        Some(text) => {
            let url = Route::Record(&r.id).url(base);
            format!(
                "<a class=\"quoted-fact\" href=\"{}#{}\">{}</a>{}",
                escape_attr(&url),
                section_of(name),
                escape_attr(&text),
                views::cite_markers(r, name, &url)
            )
        }
        None => format!("<span class=\"quoted-fact is-missing\">{MISSING}</span>"),
    }
}

/// One cell of a `compare` block.
struct Cell {
    text: String,
    items: Option<Vec<String>>,
    /// Whether `items` are HTML already (pros and cons, rendered from markdown and
    /// sanitised when the record was read), not text.
    html: bool,
    /// The number "best" compares.
    value: Option<f64>,
    note: Option<String>,
}

/// A `compare` block: one column per record, one row per field, formatted as on the
/// compare page (best values marked in words).
fn table(records: &[&Record], names: &[&str], base: &str, money: &Money) -> String {
    let acronyms: Vec<&str> = records.iter().map(|r| r.acronym.as_str()).collect();
    let mut html = format!(
        "<div class=\"table-scroll fact-compare\" role=\"region\" aria-label=\"Comparison of {}\" tabindex=\"0\">\
         <table class=\"compare-table\"><thead><tr><th scope=\"col\"><span class=\"visually-hidden\">Field</span></th>",
        escape_attr(&acronyms.join(", "))
    );
    for r in records {
        html.push_str(&format!(
            "<th scope=\"col\"><a class=\"cmp-acronym\" href=\"{}\">{}</a><span class=\"cmp-name\">{}</span></th>",
            escape_attr(&Route::Record(&r.id).url(base)),
            escape_attr(&r.acronym),
            escape_attr(&r.name)
        ));
    }
    html.push_str("</tr></thead><tbody>");
    for name in names {
        let row = COMPARE_ROWS.iter().find(|row| row.key == *name);
        let label = row
            .map(|r| r.label)
            .or_else(|| record_field(name).map(|f| f.label));
        let label = label.map_or_else(|| crate::config::label_of(name), str::to_string);
        // Each record's cell: text (or items), and the number "best" compares.
        let cells: Vec<Cell> = records
            .iter()
            .map(|r| match row {
                Some(row) => {
                    let cell = (row.cell)(r, money);
                    Cell {
                        text: cell.text,
                        items: cell.items,
                        html: matches!(row.kind, views::CompareKind::Html),
                        value: cell.value.map(|v| v.0),
                        note: cell.note,
                    }
                }
                None => {
                    let value = match r.compared(name) {
                        crate::content::FieldValue::Number(n) => Some(n),
                        _ => None,
                    };
                    Cell {
                        text: views::fact_text(r, name, money).unwrap_or_else(|| MISSING.into()),
                        items: None,
                        html: false,
                        value,
                        note: None,
                    }
                }
            })
            .collect();
        let best = row.and_then(|row| row.best).and_then(|b| {
            let values: Vec<f64> = cells.iter().filter_map(|c| c.value).collect();
            let pick = if b.high { f64::max } else { f64::min };
            let best = values.iter().copied().reduce(pick)?;
            (values.len() >= 2 && values.iter().any(|v| *v != best)).then_some((best, b.label))
        });
        html.push_str(&format!(
            "<tr><th scope=\"row\">{}</th>",
            escape_attr(&label)
        ));
        for (r, cell) in records.iter().zip(&cells) {
            let missing = cell.text == MISSING;
            let is_best = best.is_some_and(|(b, _)| cell.value == Some(b));
            let class = match (missing, is_best) {
                (true, _) => " class=\"is-missing\"",
                (false, true) => " class=\"is-best\"",
                _ => "",
            };
            html.push_str(&format!("<td{class}>"));
            if let (true, Some((_, label))) = (is_best, best) {
                html.push_str(&format!(
                    "<span class=\"best-mark\"><span aria-hidden=\"true\">★ </span>{label}</span> "
                ));
            }
            match &cell.items {
                Some(items) if !missing => {
                    html.push_str("<ul class=\"cmp-list\">");
                    for item in items {
                        let item = match cell.html {
                            true => std::borrow::Cow::Borrowed(item.as_str()),
                            false => escape_attr(item).into(),
                        };
                        html.push_str(&format!("<li>{item}</li>"));
                    }
                    html.push_str("</ul>");
                }
                _ => html.push_str(&escape_attr(&cell.text)),
            }
            if !missing {
                html.push_str(&views::cite_markers(
                    r,
                    name,
                    &Route::Record(&r.id).url(base),
                ));
            }
            if let Some(note) = cell.note.as_ref().filter(|_| !missing) {
                html.push_str(&format!(
                    "<span class=\"fact-note\">{}</span>",
                    escape_attr(note)
                ));
            }
            html.push_str("</td>");
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table></div>");
    html
}
