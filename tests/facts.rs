//! Facts quoted in articles and pages (DESIGN.md Part 2, "Facts in articles"): inline
//! `fact`, block `compare`, formatted as the record and compare pages format them, code
//! and `\{{` left alone, a missing fact shown as "—" with a warning, and quoting relating
//! the article and the record both ways. Unknown ids and fields are in `errors.rs`.

mod common;

use common::Site;

fn built() -> (Site, common::Run) {
    let site = Site::fixture("facts");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    (site, run)
}

#[test]
fn an_inline_fact_reads_as_on_the_record_page_and_links_there() {
    let (site, _) = built();
    let html = site.read("public/articles/quotes/index.html");
    assert!(
        html.contains("Alpha costs <a class=\"quoted-fact\" href=\"/certifications/alpha/#facts\">1,495 USD</a><sup class=\"cite\"><a href=\"/certifications/alpha/#source-1\" aria-label=\"Source 1\">[1]</a></sup> and takes <a class=\"quoted-fact\" href=\"/certifications/alpha/#facts\">40</a> hours."),
        "{html}"
    );
    // The record page says the same.
    let record = site.read("public/certifications/alpha/index.html");
    assert!(record.contains("<span class=\"fact-value\">1,495 USD</span>"));
    // Pages quote too; a group reads as its text.
    let about = site.read("public/about/index.html");
    assert!(about.contains(">10 hours</a>"), "{about}");
    // Inside a link's text the value stands alone: no link (nor citation) inside a link.
    assert!(
        about.contains("<a href=\"https://alpha.example/fees\">the fees, <span class=\"quoted-fact\">1,495 USD</span></a>"),
        "{about}"
    );
}

#[test]
fn a_compare_block_is_a_table_formatted_like_the_compare_page() {
    let (site, _) = built();
    let html = site.read("public/articles/quotes/index.html");
    let start = html
        .find("<div class=\"table-scroll fact-compare\"")
        .expect("the table");
    let table = &html[start..start + html[start..].find("</div>").expect("end")];
    assert!(
        !html[..start].ends_with("<p>"),
        "a block, not inside a paragraph"
    );
    assert!(table.contains(
        "<th scope=\"col\"><a class=\"cmp-acronym\" href=\"/certifications/alpha/\">AM</a>"
    ));
    // Cost: as written with the base amount beside it; best value marked in words.
    assert!(
        table.contains("<th scope=\"row\">Cost</th><td>1,495 USD"),
        "{table}"
    );
    assert!(table.contains("<td class=\"is-best\"><span class=\"best-mark\"><span aria-hidden=\"true\">★ </span>Lowest cost</span> 300 EUR (≈ 324 USD)</td>"), "{table}");
    // Total cost: alpha renews once in 5 years at 150 USD; beta has no renewal interval.
    assert!(
        table.contains(
            "1,645 USD<span class=\"fact-note\">1,495 USD + 1 renewal × 150 USD (renewal every 3 years) over 5 years</span>"
        ),
        "{table}"
    );
    assert!(
        table.contains("at least 324 USD — renewal interval unknown"),
        "{table}"
    );
    assert!(table.contains("<th scope=\"row\">Study hours</th>"));
    // Pros and cons as lists, as the record page renders them (markdown kept).
    assert!(
        table.contains(
            "<ul class=\"cmp-list\"><li>Recognised <em>widely</em></li><li>A short exam</li></ul>"
        ),
        "{table}"
    );
}

#[test]
fn code_and_escaped_braces_are_left_as_written() {
    let (site, _) = built();
    let html = site.read("public/articles/quotes/index.html");
    assert!(html.contains("Write <code>{{ fact(\"alpha\", \"cost\") }}</code> in an article, or {{ fact(\"alpha\", \"cost\") }} to show it."), "{html}");
    assert!(html.contains("<pre><code>{{ fact(\"alpha\", \"cost\") }}\n</code></pre>"));
}

#[test]
fn a_fact_the_record_lacks_shows_a_dash_with_a_warning() {
    let (site, run) = built();
    let html = site.read("public/articles/quotes/index.html");
    assert!(
        html.contains("Beta’s exam: <span class=\"quoted-fact is-missing\">—</span>.")
            || html.contains("Beta's exam: <span class=\"quoted-fact is-missing\">—</span>."),
        "{html}"
    );
    assert!(
        run.stderr.lines().any(|l| l == "content/articles/quotes.md:15:31: warning: `beta` has no `exam`: the quote shows “—”"),
        "{}",
        run.stderr
    );
    assert_eq!(site.run(&["check", "--strict"]).code, 1);
}

#[test]
fn quoting_relates_the_article_and_the_record_both_ways() {
    let (site, _) = built();
    let record = site.read("public/certifications/beta/index.html");
    let articles = &record[record.find("id=\"articles\"").expect("related articles")..];
    assert!(articles.contains("/articles/quotes/"), "{articles}");
    let article = site.read("public/articles/quotes/index.html");
    assert!(article.contains("href=\"/certifications/beta/\""));
}

#[test]
fn a_record_edit_changes_every_quote_of_it() {
    let site = Site::fixture("facts");
    site.write(
        "content/certifications/alpha.yaml",
        site.read("content/certifications/alpha.yaml")
            .replace("1495", "1795"),
    );
    assert_eq!(site.build().code, 0);
    let html = site.read("public/articles/quotes/index.html");
    assert!(html.contains(">1,795 USD</a>"), "{html}");
    let feed = site.read("public/atom.xml");
    assert!(feed.contains("1,795 USD"), "the feed quotes the same");
}

/// `serve` keeps pages whose variables did not change: a page that quotes a record must
/// count the record among them, so that editing the record shows in the quote.
#[test]
fn serve_renders_a_quoting_page_again_when_the_record_changes() {
    use certguide::incremental::Incremental;
    let site = Site::fixture("facts");
    let root = site.root();
    let opts = certguide::LoadOptions {
        base_url: Some("http://127.0.0.1:1111/".into()),
        drafts: false,
    };
    let (mut inc, first) = Incremental::new(root, opts);
    let files = first.result.expect("builds");
    let page = |files: &certguide::incremental::Files| {
        String::from_utf8_lossy(&files["articles/quotes/index.html"].bytes()).into_owned()
    };
    assert!(page(&files).contains(">1,495 USD</a>"));
    site.write(
        "content/certifications/alpha.yaml",
        site.read("content/certifications/alpha.yaml")
            .replace("1495", "1795"),
    );
    let rebuild = inc.update(&[root.join("content/certifications/alpha.yaml")]);
    let files = rebuild.result.expect("builds");
    assert!(page(&files).contains(">1,795 USD</a>"), "{}", page(&files));
    // The about page quotes beta only, and still reads the same.
    let about = String::from_utf8_lossy(&files["about/index.html"].bytes()).into_owned();
    assert!(about.contains(">10 hours</a>"));
}
