//! Site search: the index the build writes (data/search.json) and the search box every page
//! carries (search.js), in headless Chromium through chromedriver (tests/webdriver/mod.rs).
//!
//! The site is tests/fixtures/browser plus a few articles and pages (one a draft, one with
//! accents) and 60 generated records, published under the sub-path /guide/. Expected results
//! come from the published index through a small reference matcher written from the rules
//! (every query word starts a word of the title or of `words`, case and accents ignored;
//! entries with more query words in the title first), never from the page under test.
//!
//! Needs chromium and chromium-driver, and npm (axe-core) for the audit; where one is
//! missing a test prints "SKIPPED: ..." and passes, unless `CI` is set.

mod common;
mod webdriver;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::{Value, json};
use webdriver::{Browser, fold, skip};

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const ESCAPE: &str = "\u{E00C}";
const DOWN: &str = "\u{E015}";
const UP: &str = "\u{E013}";
const BACKSPACE: &str = "\u{E003}";

/// How many results the panel lists before "Show all".
const PANEL_LIMIT: usize = 20;
/// Generated records, all matching the query "widget".
const GENERATED: usize = 60;

/// One entry of data/search.json.
#[derive(Debug, Clone)]
struct Entry {
    kind: String,
    title: String,
    url: String,
    words: String,
}

struct Fixture {
    root: PathBuf,
    /// The site's home page, e.g. `http://127.0.0.1:PORT/guide/`.
    url: String,
    entries: Vec<Entry>,
}

/// Extra content on top of tests/fixtures/browser.
fn add_content(root: &Path) {
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    write(
        "content/articles/cafe.md",
        "---\ntitle: Café culture and coaching\ndate: 2026-10-02\n\
         summary: Why a coaching café helps new supervisors.\ncategory: benefits\n\
         tags: [morale]\ncertifications: [epsilon]\n---\n\n\
         Teams that meet weekly keep their habits.\n\n## Résumé tips\n\n\
         Put the certificate on your résumé, with the quarter you earned it.\n",
    );
    write(
        "content/articles/secret.md",
        "---\ntitle: Zanzibar plans\ndate: 2026-10-03\ndraft: true\n---\n\nZanzibar only.\n",
    );
    write(
        "content/pages/help.md",
        "---\ntitle: Help with forecasting\nsummary: Where to start.\nweight: 2\n---\n\n\
         Ask the workforce team.\n",
    );
    for i in 0..GENERATED {
        write(
            &format!("content/certifications/gen-{i:03}.yaml"),
            &format!("name: Generated Widget {i}\nacronym: GW{i:03}\n"),
        );
    }
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let root = webdriver::scratch().join("search-site");
        common::copy_dir(&common::repo().join("tests/fixtures/browser"), &root);
        common::copy_dir(&common::repo().join("themes"), &root.join("themes"));
        add_content(&root);
        let run = common::run_in(
            &root,
            &[
                "build",
                "--quiet",
                "--output",
                "www/guide",
                "--base-url",
                "https://browser.example/guide/",
            ],
        );
        assert_eq!(run.code, 0, "building the search fixture: {}", run.stderr);
        let served = webdriver::serve(&root.join("www"));
        let entries = read_index(&root.join("www/guide/data/search.json"));
        Fixture {
            root,
            url: format!("{served}guide/"),
            entries,
        }
    })
}

fn read_index(path: &Path) -> Vec<Entry> {
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("search.json")).expect("JSON");
    let fields: Vec<&str> = index["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f.as_str().expect("a field name"))
        .collect();
    let at = |name: &str| fields.iter().position(|f| *f == name).expect(name);
    index["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            let text = |name: &str| e[at(name)].as_str().expect(name).to_string();
            Entry {
                kind: text("kind"),
                title: text("title"),
                url: text("url"),
                words: text("words"),
            }
        })
        .collect()
}

// ---- The reference matcher --------------------------------------------------------------

fn words_of(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

/// The URLs the search should list for `query`, in order.
fn expected(entries: &[Entry], query: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for t in words_of(query) {
        if !terms.contains(&t) {
            terms.push(t);
        }
    }
    if terms.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<(usize, usize, usize, &Entry)> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let title = words_of(&e.title);
        let other = words_of(&e.words);
        let starts = |list: &[String], t: &str| list.iter().any(|w| w.starts_with(t));
        if !terms.iter().all(|t| starts(&title, t) || starts(&other, t)) {
            continue;
        }
        let in_title = terms.iter().filter(|t| starts(&title, t)).count();
        let whole = terms
            .iter()
            .filter(|t| starts(&title, t) && title.contains(t))
            .count();
        found.push((in_title, whole, i, e));
    }
    found.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    found.into_iter().map(|f| f.3.url.clone()).collect()
}

fn count_text(n: usize, query: &str) -> String {
    match n {
        0 => format!("No results for “{}”", query.trim()),
        1 => "1 result".into(),
        n if n > PANEL_LIMIT => format!("{n} results, the first {PANEL_LIMIT} shown"),
        n => format!("{n} results"),
    }
}

// ---- Reading the page ---------------------------------------------------------------------

fn open(b: &Browser, page: &str) {
    b.goto(&format!("{}{page}", fixture().url));
    b.wait_for(
        "the search script",
        "return document.documentElement.classList.contains('has-search-js')",
        json!([]),
    );
}

/// The result links the panel shows, in order (empty when it is closed).
fn shown(b: &Browser) -> Vec<String> {
    let v = b.js(
        "const p = document.getElementById('site-search-panel');
         if (!p || p.hidden) return [];
         return Array.from(p.querySelectorAll('.search-result-link')).map(a => a.getAttribute('href'))",
        json!([]),
    );
    serde_json::from_value(v).expect("a list of links")
}

/// Empties the search box, then types `query` into it.
fn search_for(b: &Browser, query: &str) {
    b.clear("#site-search-input");
    b.type_into("#site-search-input", query);
}

/// Waits until the panel shows the results of `query`, then checks them and the
/// announced count.
fn check_results(b: &Browser, fx: &Fixture, query: &str) -> Vec<String> {
    let want = expected(&fx.entries, query);
    let text = count_text(want.len(), query);
    b.wait_for(
        &format!("the count `{text}`"),
        "const c = document.querySelector('#site-search-panel:not([hidden]) .site-search-count');
         return c && c.textContent === arguments[0]",
        json!([text]),
    );
    let want_shown: Vec<String> = want.iter().take(PANEL_LIMIT).cloned().collect();
    assert_eq!(shown(b), want_shown, "results of `{query}`");
    b.wait_for(
        &format!("the status to announce `{text}`"),
        "const s = document.querySelector('#site-search-status[role=status]');
         return s && s.textContent === arguments[0]",
        json!([text]),
    );
    want
}

fn focused(b: &Browser) -> Value {
    b.js(
        "const a = document.activeElement;
         return [a.id, a.getAttribute('href'), a.matches(':focus-visible')]",
        json!([]),
    )
}

// ---- The index ----------------------------------------------------------------------------

#[test]
fn the_index_has_one_entry_per_published_record_article_and_page() {
    let fx = fixture();
    let data: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(fx.root.join("www/guide/data/certifications.json")).expect("data"),
    )
    .expect("JSON");
    // What is published, from the sources: every file that is not a draft.
    let mut want: BTreeSet<(String, String)> = BTreeSet::new();
    for (dir, kind, url) in [
        ("certifications", "certification", "/guide/certifications/"),
        ("articles", "article", "/guide/articles/"),
        ("pages", "page", "/guide/"),
    ] {
        for f in std::fs::read_dir(fx.root.join("content").join(dir)).expect("content") {
            let path = f.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("source");
            if text.contains("\ndraft: true") {
                continue;
            }
            let stem = path.file_stem().expect("stem").to_string_lossy();
            want.insert((kind.to_string(), format!("{url}{stem}/")));
        }
    }
    let got: Vec<(String, String)> = fx
        .entries
        .iter()
        .map(|e| (e.kind.clone(), e.url.clone()))
        .collect();
    assert_eq!(got.len(), want.len(), "one entry each: {got:?}");
    assert_eq!(got.into_iter().collect::<BTreeSet<_>>(), want);
    assert_eq!(
        want.iter().filter(|(k, _)| k == "article").count(),
        2,
        "the draft is left out"
    );
    assert!(
        fx.entries
            .iter()
            .all(|e| !e.title.contains("Zanzibar") && !e.words.contains("zanzibar")),
        "no trace of the draft"
    );
    // A record's title is "ACRONYM — name"; its words have its provider and skills.
    for r in &data {
        let url = r["url"].as_str().expect("url");
        let e = fx.entries.iter().find(|e| e.url == url).expect("an entry");
        let title = format!(
            "{} — {}",
            r["acronym"].as_str().expect("acronym"),
            r["name"].as_str().expect("name")
        );
        assert_eq!(e.title, title);
        for skill in r["skills"].as_array().into_iter().flatten() {
            for w in words_of(skill.as_str().expect("skill")) {
                assert!(
                    expected(&fx.entries, &w).contains(&e.url),
                    "{url}: skill word `{w}`"
                );
            }
        }
    }
    // Headings and body text of articles are searchable.
    let cafe = "/guide/articles/cafe/".to_string();
    for q in ["resume", "quarter", "morale", "benefits"] {
        assert!(expected(&fx.entries, q).contains(&cafe), "`{q}`");
    }
    // With --drafts the draft is published, and indexed.
    let run = common::run_in(
        &fx.root,
        &["build", "--quiet", "--drafts", "--output", "drafts-out"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let with_drafts = read_index(&fx.root.join("drafts-out/data/search.json"));
    assert_eq!(with_drafts.len(), fx.entries.len() + 1);
    assert!(with_drafts.iter().any(|e| e.title == "Zanzibar plans"));
}

// ---- In the browser -----------------------------------------------------------------------

/// Queries, each with a reason to be there.
const CASES: [&str; 9] = [
    "alpha",           // a provider: two records, one in the title; an article's body
    "forecast",        // a skill prefix, and a page title
    "cafe",            // without its accent: a skill and an article title
    "CAFÉ coach",      // two words, both needed, upper case with an accent
    "resume",          // a heading with accents, in an article
    "zanzibar",        // only in a draft: nothing
    "manager  coach ", // extra spaces
    "widget",          // more results than the panel lists
    "gw01",            // acronyms by prefix
];

#[test]
fn typing_shows_exactly_the_matching_entries() {
    let Some(b) = Browser::get("typing_shows_exactly_the_matching_entries") else {
        return;
    };
    let fx = fixture();
    for query in CASES {
        open(&b, "articles/");
        b.type_into("#site-search-input", query);
        let want = check_results(&b, fx, query);
        if query == "zanzibar" {
            assert!(want.is_empty());
        } else {
            assert!(!want.is_empty(), "`{query}` should find something");
        }
        if query == "widget" {
            assert_eq!(want.len(), GENERATED);
            let all = b.js(
                "const a = document.querySelector('.site-search-all a'); return a && [a.textContent, a.getAttribute('href')]",
                json!([]),
            );
            assert_eq!(
                all,
                json!([
                    format!("Show all {GENERATED} results"),
                    "/guide/search/?q=widget"
                ])
            );
        }
    }
    // Title matches come first: "alpha" lists ACCM (Alpha in its title) before ECX.
    let alpha = expected(&fx.entries, "alpha");
    assert_eq!(alpha[0], "/guide/certifications/alpha/");
    assert!(alpha.contains(&"/guide/certifications/epsilon/".to_string()));

    // Results follow every key: type, then delete.
    open(&b, "");
    let typed = "forec";
    for end in 1..=typed.len() {
        b.type_into("#site-search-input", &typed[end - 1..end]);
        check_results(&b, fx, &typed[..end]);
    }
    b.keys(BACKSPACE);
    b.keys(BACKSPACE);
    check_results(&b, fx, "for");
    b.type_into("#site-search-input", " scheduling");
    let both = check_results(&b, fx, "for scheduling");
    assert_eq!(both, ["/guide/certifications/delta/"]);
    // An empty box closes the panel.
    for _ in 0.."for scheduling".len() {
        b.keys(BACKSPACE);
    }
    b.wait_for(
        "the panel to close",
        "return document.getElementById('site-search-panel').hidden",
        json!([]),
    );
}

#[test]
fn the_search_page_lists_every_result_and_says_what_it_needs_without_javascript() {
    let Some(b) = Browser::get("the_search_page_lists_every_result") else {
        return;
    };
    let fx = fixture();
    // With JavaScript, search/?q= lists every result, 50 at a time.
    open(&b, "search/?q=widget");
    let want = expected(&fx.entries, "widget");
    let listed = || -> Vec<String> {
        serde_json::from_value(b.js(
            "return Array.from(document.querySelectorAll('.search-page-results .search-result-link')).map(a => a.getAttribute('href'))",
            json!([]),
        ))
        .expect("links")
    };
    b.wait_for(
        "the first results",
        "return document.querySelectorAll('.search-page-results li').length === 50",
        json!([]),
    );
    assert_eq!(listed(), want[..50]);
    b.click(".search-more");
    b.wait_for(
        "every result",
        "return document.querySelectorAll('.search-page-results li').length === arguments[0]",
        json!([want.len()]),
    );
    assert_eq!(listed(), want);
    let state = b.js(
        "return [document.querySelector('.search-more').hidden, document.querySelector('.search-page-count').textContent,
                 getComputedStyle(document.querySelector('.search-nojs')).display]",
        json!([]),
    );
    assert_eq!(state, json!([true, format!("{GENERATED} results"), "none"]));

    // Without JavaScript the form goes to the search page, which says search needs it and
    // links to the table and the articles.
    b.cdp(
        "Emulation.setScriptExecutionDisabled",
        json!({"value": true}),
    )
    .expect("turn scripts off");
    b.goto(&format!("{}articles/", fx.url));
    b.type_into("#site-search-input", &format!("coach{ENTER}"));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !b.url().contains("/search/") {
        assert!(
            std::time::Instant::now() < deadline,
            "the form went nowhere"
        );
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    assert_eq!(b.url(), format!("{}search/?q=coach", fx.url));
    // Scripts back on to read the page (the page's own scripts stay unrun).
    b.cdp(
        "Emulation.setScriptExecutionDisabled",
        json!({"value": false}),
    )
    .expect("turn scripts on");
    let page = b.js(
        "return [document.documentElement.classList.contains('has-search-js'), document.querySelector('.search-page .lead').textContent,
           Array.from(document.querySelectorAll('.search-page a')).map(a => a.getAttribute('href'))]",
        json!([]),
    );
    assert_eq!(page[0], json!(false), "search.js did not run");
    assert!(
        page[1].as_str().unwrap_or("").contains("needs JavaScript"),
        "{page}"
    );
    assert_eq!(page[2], json!(["/guide/", "/guide/articles/"]));
}

#[test]
fn search_works_from_the_keyboard_alone() {
    let Some(b) = Browser::get("search_works_from_the_keyboard_alone") else {
        return;
    };
    let fx = fixture();
    open(&b, "certifications/beta/");
    // Tab from the top of the page to the box (its focus visible), type.
    let mut reached = false;
    for _ in 0..30 {
        b.keys(TAB);
        let f = focused(&b);
        if f[0] == json!("site-search-input") {
            assert_eq!(f[2], json!(true), "focus is visible on the box");
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab never reached the search box");
    b.keys("coach");
    let want = check_results(&b, fx, "coach");
    assert!(want.len() >= 3, "{want:?}");

    // Tab goes from the box into the results, in order.
    b.keys(TAB);
    let f = focused(&b);
    assert_eq!(f[1], json!(want[0]), "Tab to the first result");
    assert_eq!(f[2], json!(true), "focus is visible on a result");
    b.keys(TAB);
    assert_eq!(focused(&b)[1], json!(want[1]), "Tab to the second result");
    // The arrow keys move through them too, and Up from the first goes back to the box.
    b.keys(DOWN);
    assert_eq!(focused(&b)[1], json!(want[2]));
    b.keys(UP);
    b.keys(UP);
    assert_eq!(focused(&b)[1], json!(want[0]));
    b.keys(UP);
    assert_eq!(focused(&b)[0], json!("site-search-input"));
    b.keys(DOWN);
    b.keys(DOWN);
    assert_eq!(focused(&b)[1], json!(want[1]));
    // Escape closes the panel and gives the focus back to the box, its text kept.
    b.keys(ESCAPE);
    let state = b.js(
        "return [document.activeElement.id, document.getElementById('site-search-panel').hidden, document.activeElement.value]",
        json!([]),
    );
    assert_eq!(state, json!(["site-search-input", true, "coach"]));
    // Typing opens it again; Enter on a result opens that page.
    b.keys("i");
    let want = check_results(&b, fx, "coachi");
    b.keys(DOWN);
    b.keys(DOWN);
    assert_eq!(focused(&b)[1], json!(want[1]));
    b.keys(ENTER);
    b.wait_for(
        "the second result's page",
        "return location.pathname === arguments[0]",
        json!([want[1]]),
    );
    // Enter in the box opens the first result.
    open(&b, "");
    b.type_into("#site-search-input", "zeta");
    let want = check_results(&b, fx, "zeta");
    b.keys(ENTER);
    b.wait_for(
        "the first result's page",
        "return location.pathname === arguments[0]",
        json!([want[0]]),
    );
    // Leaving the search with Tab closes the panel.
    open(&b, "");
    b.type_into("#site-search-input", "alpha");
    let want = check_results(&b, fx, "alpha");
    for _ in 0..want.len() + 1 {
        b.keys(TAB);
    }
    let state = b.js(
        "return [document.getElementById('site-search-panel').hidden, document.getElementById('site-search-panel').contains(document.activeElement)]",
        json!([]),
    );
    assert_eq!(state, json!([true, false]));
}

#[test]
fn search_logs_no_console_errors_and_stays_on_narrow_screens_and_off_paper() {
    let Some(b) = Browser::get("search_logs_no_console_errors") else {
        return;
    };
    let fx = fixture();
    let mut problems = Vec::new();
    for page in [
        "",
        "certifications/alpha/",
        "articles/cafe/",
        "help/",
        "search/?q=cafe",
        "compare/?ids=alpha,beta",
    ] {
        open(&b, page);
        search_for(&b, "coach");
        check_results(&b, fx, "coach");
        for (level, message) in b.console() {
            if level == "SEVERE" || level == "WARNING" {
                problems.push(format!("{page}: {level}: {message}"));
            }
        }
    }
    assert!(problems.is_empty(), "console:\n{}", problems.join("\n"));

    // On a phone the box and the open panel fit the screen.
    b.set_size(375, 800);
    open(&b, "");
    b.type_into("#site-search-input", "alpha");
    check_results(&b, fx, "alpha");
    let fit = b.js(
        "const r = document.getElementById('site-search-panel').getBoundingClientRect();
         return [document.documentElement.scrollWidth <= document.documentElement.clientWidth,
                 r.left >= 0 && r.right <= document.documentElement.clientWidth]",
        json!([]),
    );
    assert_eq!(fit, json!([true, true]), "the panel fits a 375px screen");

    // Printed, the search box is not there.
    b.set_size(1280, 900);
    b.emulate("print", &[]);
    open(&b, "articles/");
    let printed = b.js(
        "return document.querySelector('.site-search').getClientRects().length",
        json!([]),
    );
    assert_eq!(printed, json!(0), "the search box is not printed");
}

#[test]
fn axe_finds_no_serious_violation_with_the_results_open() {
    let tools = match webdriver::npm_tools() {
        Ok(t) => t,
        Err(reason) => {
            return skip(
                "axe_finds_no_serious_violation_with_the_results_open",
                &reason,
            );
        }
    };
    let Some(b) = Browser::get("axe_finds_no_serious_violation_with_the_results_open") else {
        return;
    };
    let source = std::fs::read_to_string(tools.join("axe-core/axe.min.js")).expect("axe.min.js");
    let fx = fixture();
    let mut problems = Vec::new();
    let mut audit = |b: &Browser, label: &str| {
        let found = webdriver::axe(b, &source);
        problems.extend(found.into_iter().map(|v| format!("{label}: {v}")));
    };
    for scheme in ["light", "dark"] {
        b.emulate("", &[("prefers-color-scheme", scheme)]);
        for (page, query) in [
            ("", "alpha"),
            ("articles/", "cafe"),
            ("certifications/beta/", "widget"),
        ] {
            open(&b, page);
            b.type_into("#site-search-input", query);
            check_results(&b, fx, query);
            // A result focused, as when someone moves through them.
            b.keys(DOWN);
            audit(&b, &format!("/{page} `{query}` ({scheme})"));
        }
        open(&b, "search/?q=cafe");
        b.wait_for(
            "the search page's results",
            "return document.querySelector('.search-page-results li')",
            json!([]),
        );
        audit(&b, &format!("/search/?q=cafe ({scheme})"));
    }
    b.emulate("", &[]);
    b.set_size(375, 800);
    open(&b, "");
    b.type_into("#site-search-input", "coach");
    check_results(&b, fx, "coach");
    audit(&b, "/ `coach` (375 px wide)");
    assert!(problems.is_empty(), "axe-core:\n{}", problems.join("\n"));
}
