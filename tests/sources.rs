//! Sources (DESIGN.md Part 2, "Sources"): where each fact came from, cited beside it on the
//! record page, listed under `#sources`, published in the data files, marked on the
//! compare page, and required when site.yaml says so. The `sources` fixture has a record
//! with two sources (alpha) and one whose source has only a URL (beta).

mod common;

use common::Site;
use serde_json::Value;

#[test]
fn covered_facts_carry_a_marker_linking_to_their_source() {
    let site = Site::fixture("sources");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.read("public/certifications/alpha/index.html");
    let marker = |n: usize| {
        format!(
            "<sup class=\"cite\"><a href=\"#source-{n}\" aria-label=\"Source {n}\">[{n}]</a></sup>"
        )
    };
    // `exam` (a group) and `renewal.every_years` by the first source; `cost` and `level`
    // by the second.
    assert!(
        html.contains(&format!("Required · 120 minutes</span>{}", marker(1))),
        "{html}"
    );
    assert!(html.contains(&format!("1,495 USD</span>{}", marker(2))));
    assert!(html.contains(&format!("Professional</span>{}", marker(2))));
    assert!(html.contains(&format!("Every 3 years</span>{}", marker(1))));
    // What no source covers has no marker.
    assert!(
        html.contains("What it takes: Thirty credits</span></dd>"),
        "{html}"
    );
    // The list, under the fixed anchor, each entry where its markers point.
    let list = &html[html
        .find("<section class=\"cert-section\" id=\"sources\"")
        .expect("#sources")..];
    assert!(list.contains(
        "<li id=\"source-1\"><a href=\"https://provider.example/exam\" rel=\"external\">Provider: before you start the exam</a>, read on <time datetime=\"2026-10-30\">2026-10-30</time>. Supports: Exam, Renewal (years).</li>"
    ), "{list}");
    assert!(list.contains("<li id=\"source-2\">"));
    // A source without a title shows its address.
    let beta = site.read("public/certifications/beta/index.html");
    assert!(beta.contains(">https://beta.example/price</a>"), "{beta}");
    // A fact of the record's own data (`extra.KEY`, as in `columns`) is cited too.
    assert!(beta.contains(&format!("<dd>3{}</dd>", marker(1))), "{beta}");
    assert!(beta.contains("Supports: Cost, Attempts."), "{beta}");
    // An article's link to the list resolves (check crawls it).
    assert_eq!(site.check().code, 0);
}

#[test]
fn sources_are_published_and_the_compare_cells_cite_them() {
    let site = Site::fixture("sources");
    assert_eq!(site.build().code, 0);
    let json: Value =
        serde_json::from_str(&site.read("public/data/certifications.json")).expect("JSON");
    let alpha = json
        .as_array()
        .and_then(|a| a.iter().find(|r| r["id"] == "alpha"))
        .expect("alpha");
    assert_eq!(
        alpha["sources"][0],
        serde_json::json!({"url": "https://provider.example/exam",
            "title": "Provider: before you start the exam", "accessed": "2026-10-30",
            "covers": ["exam", "renewal.every_years"],
            "covers_labels": ["Exam", "Renewal (years)"]})
    );
    assert_eq!(alpha["compare"]["exam"]["cites"], serde_json::json!([1]));
    assert_eq!(alpha["compare"]["cost"]["cites"], serde_json::json!([2]));
    assert_eq!(alpha["compare"]["renewal"]["cites"], serde_json::json!([1]));
    assert!(alpha["compare"]["provider"].get("cites").is_none());
}

#[test]
fn require_sources_warns_about_each_fact_without_one_and_strict_check_fails() {
    let site = Site::fixture("sources");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": warning: "))
        .collect();
    // alpha's requirement is the one fact no source covers (at its group's line).
    assert_eq!(
        warnings,
        [
            "content/certifications/alpha.yaml:6:1: warning: `renewal.requirement` has no source: add a source whose `covers` names it (or `renewal`) to `sources` (site.yaml sets require_sources)"
        ],
        "{}",
        run.stderr
    );
    assert_eq!(site.run(&["check", "--strict"]).code, 1);
    // Covered, the warning goes; without require_sources, nothing is asked.
    let alpha = site.read("content/certifications/alpha.yaml").replace(
        "covers: [exam, renewal.every_years]",
        "covers: [exam, renewal]",
    );
    site.write("content/certifications/alpha.yaml", alpha);
    assert_eq!(site.run(&["check", "--strict"]).code, 0);
    site.write(
        "content/certifications/beta.yaml",
        "name: Beta Analyst\nacronym: BA\ncost: { amount: 300 }\nlevel: expert\nverified: 2026-11-01\n",
    );
    let run = site.run(&["check", "--strict"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("beta.yaml:3:1: warning: `cost.amount` has no source"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("beta.yaml:4:1: warning: `level` has no source: add a source whose `covers` names it to `sources`"));
    site.write(
        "site.yaml",
        site.read("site.yaml")
            .replace("require_sources: true\n", ""),
    );
    assert_eq!(site.run(&["check", "--strict"]).code, 0);
}
