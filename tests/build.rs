//! What a successful build writes: every output DESIGN.md lists, the comparison table in
//! the HTML, relations in both directions, rewritten links, escaping, drafts, base URLs,
//! template overrides, and atomic replacement of the output folder.

mod common;

use common::{Site, snapshot_tree};

fn built() -> Site {
    Site::built("basic")
}

#[test]
fn build_writes_every_output_design_lists() {
    let site = built();
    for rel in [
        "index.html",
        "certifications/alpha/index.html",
        "certifications/beta/index.html",
        "certifications/gamma/index.html",
        "compare/index.html",
        "articles/index.html",
        "articles/roi/index.html",
        "articles/policy/index.html",
        "about/index.html",
        "data/certifications.json",
        "data/certifications.csv",
        "data/search.json",
        "data/table.json",
        "certifications/index.html",
        "search/index.html",
        "sitemap.xml",
        "atom.xml",
        "404.html",
        "style.css",
    ] {
        assert!(
            site.path("public").join(rel).is_file(),
            "missing public/{rel}"
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .expect("read root")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("certguide-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left: {leftovers:?}"
    );
}

#[test]
fn home_table_is_in_the_html_with_the_configured_columns() {
    let site = built();
    let html = site.read("public/index.html");
    let table = &html[html.find("id=\"cert-table\"").expect("table")..];
    let headers: Vec<&str> = [
        "Acronym",
        "Certification",
        "Provider",
        "Cost",
        "Hours",
        "Level",
    ]
    .into_iter()
    .filter(|h| table.contains(&format!(">{h}<")) || table.contains(&format!(">{h} ")))
    .collect();
    assert_eq!(headers.len(), 6, "column headers missing in:\n{table}");
    // Rows in acronym order, one per record, with formatted cost and unknowns as a dash.
    let a = table.find("data-id=\"alpha\"").expect("alpha row");
    let b = table.find("data-id=\"beta\"").expect("beta row");
    let g = table.find("data-id=\"gamma\"").expect("gamma row");
    assert!(a < b && b < g, "rows not sorted by acronym");
    assert!(table.contains("1,495"));
    assert!(table.contains("aria-sort"));
    assert!(html.contains("role=\"status\""));
    assert!(html.contains("<legend>Audience</legend>") || html.contains("<legend>Audience<"));
}

#[test]
fn records_and_articles_link_both_ways() {
    let site = built();
    let alpha = site.read("public/certifications/alpha/index.html");
    assert!(
        alpha.contains("href=\"/articles/roi/\""),
        "alpha lacks its article"
    );
    assert!(
        !alpha.contains("href=\"/articles/policy/\""),
        "alpha lists an unrelated article"
    );
    let gamma = site.read("public/certifications/gamma/index.html");
    assert!(gamma.contains("href=\"/articles/policy/\""));
    let roi = site.read("public/articles/roi/index.html");
    assert!(roi.contains("href=\"/certifications/alpha/\""));
    assert!(roi.contains("href=\"/certifications/beta/\""));
}

#[test]
fn links_to_sources_become_page_urls() {
    let site = built();
    let roi = site.read("public/articles/roi/index.html");
    assert!(
        roi.contains("href=\"/certifications/alpha/#facts\""),
        "{roi}"
    );
    assert!(roi.contains("href=\"/articles/policy/\""));
    assert!(roi.contains("<h2 id=\"payback\">"));
    // Markdown extensions: table, footnote, strikethrough, task list.
    assert!(roi.contains("<table>") && roi.contains("<del>") && roi.contains("checkbox"));
    assert!(roi.contains("footnote"));
    let policy = site.read("public/articles/policy/index.html");
    assert!(policy.contains("href=\"/articles/roi/#payback\""));
    let alpha = site.read("public/certifications/alpha/index.html");
    assert!(
        alpha.contains("href=\"/articles/roi/#payback\""),
        "record summary link"
    );
    for id in [
        "overview",
        "facts",
        "pros-cons",
        "renewal",
        "articles",
        "extra",
    ] {
        assert!(
            alpha.contains(&format!("id=\"{id}\"")),
            "record page lacks #{id}"
        );
    }
}

#[test]
fn data_files_hold_every_published_record() {
    let site = built();
    let json: serde_json::Value =
        serde_json::from_str(&site.read("public/data/certifications.json")).expect("valid JSON");
    let records = json.as_array().expect("an array");
    assert_eq!(records.len(), 3);
    let alpha = records.iter().find(|r| r["id"] == "alpha").expect("alpha");
    assert_eq!(alpha["url"], "/certifications/alpha/");
    assert_eq!(alpha["official_url"], "https://alpha.example/accm");
    assert_eq!(alpha["cost"]["amount"], 1495);
    assert_eq!(alpha["verified"], "2026-11-01");
    let gamma = records.iter().find(|r| r["id"] == "gamma").expect("gamma");
    assert!(gamma["cost"].is_null());
    assert_eq!(gamma["compare"]["cost"]["text"], "—");
    // One file per record, the same object as in the whole file.
    for record in records {
        let id = record["id"].as_str().expect("an id");
        let one: serde_json::Value =
            serde_json::from_str(&site.read(&format!("public/data/certifications/{id}.json")))
                .expect("valid JSON");
        assert_eq!(&one, record, "data/certifications/{id}.json");
    }
    let files = std::fs::read_dir(site.root().join("public/data/certifications")).expect("dir");
    assert_eq!(
        files.count(),
        records.len(),
        "no file for a record that is not published"
    );

    let csv = site.read("public/data/certifications.csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines[0].starts_with("id,url,acronym,name"));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("alpha,") && l.contains(",1495,USD,"))
    );
}

#[test]
fn feeds_use_absolute_urls() {
    let site = built();
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://fixture.example/certifications/alpha/</loc>"));
    assert!(sitemap.contains("<loc>https://fixture.example/about/</loc>"));
    assert!(
        sitemap.contains("<loc>https://fixture.example/certifications/</loc>"),
        "the plain list of every record"
    );
    let atom = site.read("public/atom.xml");
    assert!(atom.contains("<id>https://fixture.example/articles/roi/</id>"));
    let roi = atom.find("Estimating ROI").expect("roi entry");
    let policy = atom.find("Tuition policy").expect("policy entry");
    assert!(roi < policy, "feed is newest first");
}

#[test]
fn content_values_are_escaped_and_markdown_is_rendered() {
    let site = Site::fixture("basic");
    site.write(
        "content/certifications/gamma.yaml",
        "name: \"<script>alert(1)</script> & Co\"\nacronym: \"G<b>SB\"\nsummary: \"Some *markdown* here\"\n\
         prerequisites: [\"<img src=x onerror=alert(1)>\"]\n",
    );
    assert_eq!(site.build().code, 0);
    let page = site.read("public/certifications/gamma/index.html");
    assert!(!page.contains("<script>alert(1)"), "raw script in page");
    assert!(!page.contains("<img src=x"), "raw img in page");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"));
    assert!(page.contains("<em>markdown</em>"));
    let home = site.read("public/index.html");
    assert!(!home.contains("G<b>SB"));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::fixture("basic");
    site.write(
        "content/certifications/delta.yaml",
        "name: Delta\nacronym: DLT\ndraft: true\n",
    );
    assert_eq!(site.build().code, 0);
    assert!(!site.path("public/certifications/delta").exists());
    assert!(
        !site
            .read("public/data/certifications.json")
            .contains("\"delta\"")
    );
    let run = site.run(&["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        site.path("public/certifications/delta/index.html")
            .is_file()
    );
}

#[test]
fn a_link_to_a_draft_says_so() {
    let site = Site::fixture("basic");
    site.write(
        "content/articles/policy.md",
        "---\ntitle: P\ndate: 2026-11-10\ndraft: true\n---\nDraft.\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    run.assert_error("content/articles/roi.md:10:79", "points at a draft");
    assert_eq!(site.run(&["build", "--drafts"]).code, 0);
}

#[test]
fn base_url_with_a_sub_path_prefixes_every_link() {
    let site = Site::fixture("basic");
    let run = site.run(&[
        "build",
        "--base-url",
        "https://intranet.example/guides/certs/",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = site.read("public/index.html");
    assert!(home.contains("href=\"/guides/certs/certifications/alpha/\""));
    assert!(home.contains("/guides/certs/style.css"));
    assert!(
        !home.contains("href=\"/certifications/"),
        "an unprefixed link remains"
    );
    let roi = site.read("public/articles/roi/index.html");
    assert!(roi.contains("href=\"/guides/certs/certifications/alpha/#facts\""));
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://intranet.example/guides/certs/articles/roi/</loc>"));
    let json = site.read("public/data/certifications.json");
    assert!(json.contains("\"url\":\"/guides/certs/certifications/alpha/\""));
}

#[test]
fn site_templates_override_the_theme() {
    let site = Site::fixture("basic");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<p>Custom not-found page</p>{% endblock main %}",
    );
    assert_eq!(site.build().code, 0);
    let page = site.read("public/404.html");
    assert!(page.contains("Custom not-found page"));
    assert!(
        page.contains("Fixture guide"),
        "the theme's base.html still applies"
    );
}

#[test]
fn a_theme_outside_the_site_is_found_through_themes_dir() {
    // The site in `guide/`, the themes beside it: site.yaml says where they are.
    let top = tempfile::tempdir().expect("tmp");
    let site = top.path().join("guide");
    common::copy_dir(&common::repo().join("tests/fixtures/basic"), &site);
    common::copy_dir(
        &common::repo().join("themes"),
        &top.path().join("shared-themes"),
    );
    let config = std::fs::read_to_string(site.join("site.yaml")).expect("site.yaml");
    std::fs::write(
        site.join("site.yaml"),
        format!("{config}themes_dir: ../shared-themes\n"),
    )
    .expect("write");
    let run = common::run_in(&site, &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = common::run_in(&site, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Templates and static files both come from there; a site template still wins.
    assert!(
        site.join("public/certifications/alpha/index.html")
            .is_file()
    );
    assert_eq!(
        std::fs::read(site.join("public/style.css")).expect("style.css"),
        std::fs::read(common::repo().join("themes/default/static/style.css")).expect("theme")
    );
    std::fs::create_dir_all(site.join("templates")).expect("mkdir");
    std::fs::write(
        site.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block main %}<p>Own 404</p>{% endblock main %}",
    )
    .expect("write");
    assert_eq!(common::run_in(&site, &["build"]).code, 0);
    assert!(
        std::fs::read_to_string(site.join("public/404.html"))
            .expect("404")
            .contains("Own 404")
    );
    // The build never writes into the themes folder it reads.
    for bad in ["../shared-themes", "../shared-themes/default/static", ".."] {
        let run = common::run_in(&site, &["build", "--output", bad]);
        assert_eq!(run.code, 1, "--output {bad} was accepted");
        assert!(run.stderr.contains("refusing"), "{}", run.stderr);
    }
    assert!(
        top.path()
            .join("shared-themes/default/static/style.css")
            .is_file()
    );
}

#[test]
fn the_notice_is_a_banner_on_every_page_only_when_set() {
    let site = Site::fixture("basic");
    assert_eq!(site.build().code, 0);
    for (path, page) in common::html_pages(&site.path("public")) {
        assert!(!page.contains("site-notice"), "{path} has a banner");
    }
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        format!("{config}notice: \"Demo <content> & fiction\"\n"),
    );
    assert_eq!(site.build().code, 0);
    let banner = "<aside class=\"site-notice\" aria-label=\"Notice\">\n    \
                  <p class=\"wrap site-notice-inner\">Demo &lt;content&gt; &amp; fiction</p>";
    let pages = common::html_pages(&site.path("public"));
    assert!(pages.len() >= 10, "{} pages", pages.len());
    for (path, page) in pages {
        assert_eq!(page.matches(banner).count(), 1, "{path}:\n{page}");
    }
}

#[test]
fn output_option_and_refusal_to_overwrite_sources() {
    let site = Site::fixture("basic");
    let out = tempfile::tempdir().expect("tmp");
    let target = out.path().join("site");
    let run = site.run(&["build", "--output", target.to_str().expect("utf-8 path")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(target.join("index.html").is_file());
    assert!(!site.path("public").exists());

    for bad in [".", "content", ".."] {
        let run = site.run(&["build", "--output", bad]);
        assert_eq!(run.code, 1, "--output {bad} was accepted");
        assert!(run.stderr.contains("refusing"), "{}", run.stderr);
    }
    assert!(site.path("content/certifications/alpha.yaml").is_file());
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_for_byte() {
    let site = built();
    let before = snapshot_tree(&site.path("public"));
    assert!(before.len() > 10);
    // Change one page and break another file: nothing of the change may appear.
    site.write(
        "content/articles/policy.md",
        "---\ntitle: Changed title\ndate: 2026-11-10\n---\nNew body.\n",
    );
    site.write(
        "content/certifications/beta.yaml",
        "name: Beta\nacronym: [\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    assert_eq!(
        snapshot_tree(&site.path("public")),
        before,
        "public/ changed"
    );
    // A template error (found later, while rendering) must not touch it either.
    site.write(
        "content/certifications/beta.yaml",
        "name: Beta\nacronym: BQA\n",
    );
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ nope.nope }}{% endblock main %}",
    );
    assert_eq!(site.build().code, 1);
    assert_eq!(
        snapshot_tree(&site.path("public")),
        before,
        "public/ changed"
    );
}

#[test]
fn a_rebuild_replaces_the_whole_output() {
    let site = built();
    site.write("public/stale.html", "old");
    site.remove("content/certifications/beta.yaml");
    site.write(
        "content/articles/roi.md",
        "---\ntitle: ROI\ndate: 2026-11-20\n---\n## Payback\n",
    );
    assert_eq!(site.build().code, 0);
    assert!(!site.path("public/certifications/beta").exists());
    assert!(!site.path("public/stale.html").exists());
}

#[test]
fn verification_is_labelled() {
    let site = built();
    assert!(
        site.read("public/certifications/alpha/index.html")
            .contains("Verified <time datetime=\"2026-11-01\">2026-11-01</time>")
    );
    assert!(
        site.read("public/certifications/gamma/index.html")
            .contains("Unverified")
    );
}

#[test]
fn the_example_guide_builds_and_checks_cleanly() {
    let example = Site::example();
    let dir = &example.dir;
    let run = common::run_in(dir.path(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = common::run_in(dir.path(), &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for id in ["cccm", "swmp", "qamc", "cccs"] {
        assert!(
            dir.path()
                .join(format!("public/certifications/{id}/index.html"))
                .is_file()
        );
    }
}

#[test]
fn help_and_version() {
    let dir = tempfile::tempdir().expect("tmp");
    let run = common::run_in(dir.path(), &["--version"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("certguide "));
    for cmd in ["build", "check"] {
        let run = common::run_in(dir.path(), &[cmd, "--help"]);
        assert_eq!(run.code, 0);
        assert!(run.stdout.contains("--root"), "{cmd} --help lacks --root");
    }
}

#[test]
fn verbose_build_times_every_phase() {
    let site = Site::example();
    let run = site.run(&["build", "--verbose"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let phases: Vec<(&str, f64)> = run
        .stderr
        .lines()
        .filter_map(|l| {
            let (name, ms) = l.trim().strip_suffix(" ms")?.rsplit_once(' ')?;
            Some((name.trim(), ms.parse().ok()?))
        })
        .collect();
    let names: Vec<&str> = phases.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        [
            "read+parse",
            "validate+link",
            "views",
            "render+write",
            "(of which templates, summed over threads)",
            "(of which writing, summed over threads)",
            "swap"
        ],
        "{}",
        run.stderr
    );
    // Something was read and written, so those phases took some time.
    assert!(
        phases[0].1 > 0.0 && phases[3].1 > 0.0 && phases[4].1 > 0.0,
        "{phases:?}"
    );
}

/// A record page reads as prose: "More details" with readable keys, lists as lists and
/// addresses as links; renewal said once (in the key facts); a section with nothing in it
/// has no heading, only its anchor and a line saying so.
#[test]
fn record_pages_show_details_readably_and_no_empty_sections() {
    let site = Site::fixture("basic");
    site.write(
        "content/certifications/beta.yaml",
        "name: Beta Quality Analyst\nacronym: BQA\nprovider: { name: Beta Academy }\n\
         summary: Only some fields are known.\nrenewal: { every_years: 2, requirement: 20 hours of training }\n\
         extra:\n  exam_attempts: 3\n  study_guides: [Official handbook, \"https://beta.example/guide\"]\n  \
         policy_page: \"https://beta.example/policy\"\n",
    );
    site.write(
        "content/articles/policy.md",
        "---\ntitle: Tuition policy\ndate: 2026-11-10\n---\n\nAbout no record.\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let beta = site.read("public/certifications/beta/index.html");
    assert!(beta.contains("<dt>Exam attempts</dt>"), "readable key");
    assert!(!beta.contains("exam_attempts</dt>"));
    assert!(
        beta.contains("<li>Official handbook</li>")
            && beta.contains(
                "<li><a href=\"https://beta.example/guide\" rel=\"external\">https://beta.example/guide</a></li>"
            ),
        "a list as a list, its address as a link"
    );
    assert!(
        beta.contains("<a href=\"https://beta.example/policy\" rel=\"external\">"),
        "an address as a link"
    );
    assert_eq!(beta.matches("<dt>Renewal</dt>").count(), 1);
    assert!(!beta.contains(">Renewal</h2>"), "renewal once");
    assert!(beta.contains("What it takes: 20 hours of training"));
    // Beta has no pros or cons, gamma no articles and no extra facts: no headings for
    // them, the anchors stay.
    assert!(!beta.contains("Pros and cons</h2>") && beta.contains("id=\"pros-cons\""));
    let gamma = site.read("public/certifications/gamma/index.html");
    assert!(!gamma.contains("Articles about") && gamma.contains("id=\"articles\""));
    assert!(gamma.contains("No articles mention"));
    assert!(!gamma.contains("More details") && gamma.contains("id=\"extra\""));
    let check = site.check();
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn the_table_index_holds_what_the_filter_script_needs() {
    let site = built();
    let index: serde_json::Value =
        serde_json::from_str(&site.read("public/data/table.json")).expect("valid JSON");
    let index = index.as_array().expect("an array");
    let ids: Vec<&str> = index.iter().filter_map(|e| e[0].as_str()).collect();
    assert_eq!(ids, ["alpha", "beta", "gamma"], "in the table's order");
    let alpha = &index[0];
    assert_eq!(alpha[1], "/certifications/alpha/");
    assert_eq!(alpha[2], "ACCM");
    let search = alpha[3].as_str().expect("search text");
    assert!(search.starts_with("accm "), "{search}");
    assert_eq!(search, search.to_lowercase());
    // One value per facet (site.yaml's facets), one cell per column: [text, sort key].
    let facets = alpha[4].as_array().expect("facets");
    let cells = alpha[5].as_array().expect("cells");
    assert_eq!(cells.len(), 6);
    assert!(!facets.is_empty());
    assert!(
        cells
            .iter()
            .any(|c| c[0] == "1,495" && c[1].as_f64() == Some(1495.0)),
        "{cells:?}"
    );
    // A missing fact is null: gamma has no cost.
    let gamma = &index[2];
    assert!(
        gamma[5]
            .as_array()
            .expect("cells")
            .iter()
            .any(|c| c.is_null())
    );
    assert_eq!(alpha[6], site_record_name(&site, "alpha"));
}

fn site_record_name(site: &Site, id: &str) -> serde_json::Value {
    let json: serde_json::Value =
        serde_json::from_str(&site.read("public/data/certifications.json")).expect("valid JSON");
    json.as_array()
        .expect("array")
        .iter()
        .find(|r| r["id"] == id)
        .map(|r| r["name"].clone())
        .expect("record")
}

#[test]
fn every_record_is_reachable_without_javascript() {
    let site = Site::fixture("basic");
    for i in 0..520 {
        std::fs::write(
            site.path(&format!("content/certifications/gen-{i:03}.yaml")),
            format!("name: Generated {i}\nacronym: GEN{i:03}\n"),
        )
        .expect("write a record");
    }
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = site.read("public/index.html");
    // The home page holds the first 500 rows and links to the plain list.
    assert_eq!(home.matches("<tr id=\"cert-").count(), 500);
    assert!(
        home.contains("href=\"/certifications/\""),
        "no link to the list"
    );
    assert!(home.contains("The table lists the first 500"));
    let list = site.read("public/certifications/index.html");
    for id in ["alpha", "beta", "gamma", "gen-000", "gen-519"] {
        assert!(
            list.contains(&format!("<a href=\"/certifications/{id}/\">")),
            "{id} not in the list"
        );
    }
    assert_eq!(list.matches("<li><a href=\"/certifications/").count(), 523);
    // The index has them all, the home page's HTML no inline copy of it.
    let index: serde_json::Value =
        serde_json::from_str(&site.read("public/data/table.json")).expect("valid JSON");
    assert_eq!(index.as_array().map(Vec::len), Some(523));
    assert!(!home.contains("id=\"cert-index\""));
}

/// site.yaml's `labels:` names how a field's values are shown, in the facets, the table,
/// the compare data and the record pages; a value without one reads as words
/// (`quality-assurance` → "Quality assurance"); naming a field whose values are not
/// labelled is an error at its key.
#[test]
fn labels_name_values_wherever_they_are_shown() {
    let site = Site::fixture("basic");
    let config = site.read("site.yaml");
    site.write(
        "site.yaml",
        format!(
            "{config}labels:\n  audience:\n    supervisor: Team leads\n  level:\n    professional: Senior\n"
        ),
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = site.read("public/index.html");
    // Facets: the label, the value itself in the checkbox; the default reads as words.
    assert!(
        home.contains("value=\"supervisor\""),
        "the checkbox keeps the value"
    );
    assert!(home.contains("<span class=\"facet-value\">Team leads</span>"));
    assert!(home.contains("<span class=\"facet-value\">Senior</span>"));
    assert!(home.contains("<span class=\"facet-value\">Quality assurance</span>"));
    // The table: the level's badge says the label, its class the value.
    assert!(
        home.contains("<span class=\"badge badge-level level-professional\">Senior</span>"),
        "table cell"
    );
    let table = site.read("public/data/table.json");
    assert!(table.contains("\"Senior\""), "{table}");
    // The compare data.
    let data: serde_json::Value =
        serde_json::from_str(&site.read("public/data/certifications.json")).expect("JSON");
    let alpha = data
        .as_array()
        .and_then(|a| a.iter().find(|r| r["id"] == "alpha"))
        .expect("alpha");
    assert_eq!(
        alpha["compare"]["audience"]["items"],
        serde_json::json!(["Manager", "Team leads"])
    );
    assert_eq!(alpha["compare"]["level"]["text"], "Senior");
    // The published fields stay as written.
    assert_eq!(alpha["level"], "professional");
    // The record page.
    let page = site.read("public/certifications/alpha/index.html");
    assert!(page.contains("<dd>Manager, Team leads"), "record page");
    assert!(page.contains("level-professional\">Senior</span>"));

    // Labels for a field whose values are not labelled, or no field at all.
    site.write(
        "site.yaml",
        format!("{config}labels:\n  audiense:\n    x: Y\n  name:\n    a: B\n"),
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    let line = config.lines().count() + 2;
    run.assert_error(
        &format!("site.yaml:{line}:3"),
        "`labels` names `audiense`, which has no values to label (labels apply to level, audience",
    );
    run.assert_error(
        &format!("site.yaml:{line}:3"),
        "or extra.KEY); did you mean `audience`?",
    );
    run.assert_error(
        &format!("site.yaml:{}:3", line + 2),
        "`labels` names `name`, which has no values to label",
    );
}

/// The home page has one search of the site (in the header) and one filter of the table,
/// named differently.
#[test]
fn the_table_filter_and_the_site_search_are_named_apart() {
    let site = built();
    let home = site.read("public/index.html");
    assert!(home.contains("<label for=\"cert-search\">Filter the table by text</label>"));
    assert!(home.contains(">Search the guide</label>"));
    assert_eq!(home.matches(">Search the guide<").count(), 1);
}
