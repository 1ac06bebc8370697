//! The demo guide, `examples/demo/`: built in place with the real binary from the
//! repository's own theme (`themes_dir: ../../themes`), checked with `--strict`, and held
//! to what it is for: about 40 plainly fictional records in three currencies with renewals
//! and sources, ten articles that quote them, and a banner on every page saying so.
//! (tests/browser.rs runs axe-core and the Nu HTML Checker over every page of it.)

mod common;

use std::collections::BTreeSet;

use serde_json::Value;

fn demo() -> std::path::PathBuf {
    common::repo().join("examples/demo")
}

/// The demo built into a temporary folder (never into examples/demo/public).
fn built() -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("tmp");
    let run = common::build_demo(&out.path().join("public"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    out
}

/// site.yaml's `notice:` as the pages print it (HTML-escaped).
fn notice() -> String {
    let config = std::fs::read_to_string(demo().join("site.yaml")).expect("site.yaml");
    let start = config.find("notice: >-\n").expect("a folded notice") + "notice: >-\n".len();
    let text: Vec<&str> = config[start..]
        .lines()
        .take_while(|l| l.starts_with("  "))
        .map(str::trim)
        .collect();
    assert!(!text.is_empty(), "notice has text");
    text.join(" ")
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[test]
fn the_demo_passes_check_strict_with_the_repository_theme() {
    let run = common::run_in(
        &common::repo(),
        &["check", "--strict", "--root", "examples/demo"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    // The theme is the repository's, not a copy.
    assert!(
        !demo().join("themes").exists(),
        "examples/demo has its own themes/"
    );
    assert!(!demo().join("templates").exists());
    assert!(!demo().join("static").exists());
}

#[test]
fn every_page_of_the_demo_says_it_is_fictional() {
    let out = built();
    let public = out.path().join("public");
    let banner = format!(
        "<aside class=\"site-notice\" aria-label=\"Notice\">\n    \
         <p class=\"wrap site-notice-inner\">{}</p>\n  </aside>",
        notice()
    );
    assert!(notice().contains("fictional"), "{}", notice());
    let pages = common::html_pages(&public);
    assert!(pages.len() >= 55, "{} pages", pages.len());
    for (path, page) in &pages {
        assert_eq!(page.matches(&banner).count(), 1, "{path}: no banner");
        // Before the header, right after the skip link, so it is the first thing read.
        let at = page.find(&banner).expect("banner");
        let header = page.find("<header class=\"site-header\">").expect("header");
        assert!(at < header, "{path}: the banner is not above the header");
    }
    // The theme's own static files were published from ../../themes.
    assert_eq!(
        std::fs::read(public.join("style.css")).expect("style.css"),
        std::fs::read(common::repo().join("themes/default/static/style.css")).expect("theme"),
    );
}

#[test]
fn the_demo_has_what_it_demonstrates() {
    let out = built();
    let public = out.path().join("public");
    let data = std::fs::read_to_string(public.join("data/certifications.json")).expect("data");
    let records: Vec<Value> = serde_json::from_str(&data).expect("array");
    assert!(
        (38..=45).contains(&records.len()),
        "{} records",
        records.len()
    );

    let currencies: BTreeSet<&str> = records
        .iter()
        .filter_map(|r| r["cost"]["currency"].as_str())
        .collect();
    assert_eq!(currencies, BTreeSet::from(["EUR", "GBP", "USD"]));
    let levels: BTreeSet<&str> = records.iter().filter_map(|r| r["level"].as_str()).collect();
    assert_eq!(levels.len(), 3, "{levels:?}");
    let renewals_with_cost = records
        .iter()
        .filter(|r| r["renewal"]["cost"]["amount"].is_number())
        .count();
    assert!(
        renewals_with_cost >= 25,
        "{renewals_with_cost} renewals with a cost"
    );
    // Some facts are missing on purpose: a cost, study hours, a renewal's cost.
    assert!(records.iter().any(|r| r["cost"].is_null()));
    assert!(records.iter().any(|r| r["effort"]["hours"].is_null()));
    assert!(
        records
            .iter()
            .any(|r| r["total_cost"]["complete"] == Value::Bool(false))
    );
    for r in &records {
        let id = r["id"].as_str().expect("id");
        let sources = r["sources"].as_array().expect("sources");
        assert!(!sources.is_empty(), "{id} has no sources");
        for s in sources {
            assert!(
                s["covers"].as_array().is_some_and(|c| !c.is_empty()),
                "{id}"
            );
        }
        // Plainly fictional: every address is on a reserved example domain.
        for url in [&r["official_url"], &r["provider"]["url"]]
            .into_iter()
            .chain(sources.iter().map(|s| &s["url"]))
            .filter_map(Value::as_str)
        {
            let host = url
                .strip_prefix("https://")
                .and_then(|u| u.split('/').next())
                .unwrap_or(url);
            assert!(
                host.ends_with(".example.com") || host.ends_with(".example.org"),
                "{id}: {url} is not an example domain"
            );
        }
        assert!(
            r["summary_html"]
                .as_str()
                .or(r["summary"].as_str())
                .is_some_and(|s| s.contains("fictional")),
            "{id}: the summary does not say it is fictional"
        );
    }

    // Ten articles, each quoting facts from the records.
    let articles: Vec<_> = std::fs::read_dir(demo().join("content/articles"))
        .expect("articles")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    assert_eq!(articles.len(), 10, "{articles:?}");
    for a in &articles {
        let text = std::fs::read_to_string(a).expect("article");
        assert!(
            text.contains("{{ fact(\""),
            "{} quotes no fact",
            a.display()
        );
        let slug = a.file_stem().expect("stem").to_string_lossy();
        let page = std::fs::read_to_string(public.join(format!("articles/{slug}/index.html")))
            .expect("article page");
        assert!(!page.contains("{{"), "{slug}: a quote was not replaced");
    }
    assert!(public.join("about/index.html").is_file());
}
