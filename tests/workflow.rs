//! The contributor workflow: `init` makes a site that builds at once, `new` writes files
//! that build and refuse to overwrite, and the JSON Schemas agree with the validator.

mod common;

use std::path::Path;

use common::{Site, run_in};

#[test]
fn init_writes_a_site_that_builds_at_once() {
    let dir = tempfile::tempdir().expect("tmp");
    let site = dir.path().join("guide");
    let run = run_in(dir.path(), &["init", "guide"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for rel in [
        "site.yaml",
        ".gitignore",
        "content/certifications/example.yaml",
        "content/articles/welcome.md",
        "themes/default/templates/base.html",
        "themes/default/static/style.css",
        "schema/certification.schema.json",
    ] {
        assert!(site.join(rel).is_file(), "init did not write {rel}");
    }
    assert!(
        std::fs::read_to_string(site.join(".gitignore"))
            .expect("read")
            .contains("/public")
    );
    let run = run_in(&site, &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = run_in(&site, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        site.join("public/certifications/example/index.html")
            .is_file()
    );
    assert!(
        site.join("public/schema/certification.schema.json")
            .is_file()
    );

    // A second init refuses, and changes nothing.
    let before = std::fs::read(site.join("site.yaml")).expect("read");
    let run = run_in(dir.path(), &["init", "guide"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("already"), "{}", run.stderr);
    assert_eq!(std::fs::read(site.join("site.yaml")).expect("read"), before);
}

#[test]
fn new_files_build_at_once_and_are_never_overwritten() {
    let site = Site::fixture("basic");
    let run = site.run(&[
        "new",
        "certification",
        "Certified Contact Center Supervisor",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let record = site.read("content/certifications/certified-contact-center-supervisor.yaml");
    assert!(
        record
            .starts_with("# yaml-language-server: $schema=../../schema/certification.schema.json")
    );
    assert!(record.contains("name: Certified Contact Center Supervisor"));
    assert!(record.contains("acronym: CCCS"));
    // Every field of the schema is present in the file.
    for key in certguide::schema::certification()["properties"]
        .as_object()
        .expect("properties")
        .keys()
    {
        assert!(
            record.contains(&format!("\n{key}:")),
            "`{key}` missing from the new record"
        );
    }

    let run = site.run(&["new", "article", "Is the CCCS worth it?"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let article = site.read("content/articles/is-the-cccs-worth-it.md");
    assert!(article.contains("title: \"Is the CCCS worth it?\""));
    assert!(site.path("schema/article.schema.json").is_file());

    let run = site.build();
    assert_eq!(
        run.code, 0,
        "new files must build as they are:\n{}",
        run.stderr
    );
    assert!(
        site.path("public/articles/is-the-cccs-worth-it/index.html")
            .is_file()
    );

    site.write("content/articles/is-the-cccs-worth-it.md", "mine");
    let run = site.run(&["new", "article", "Is the CCCS worth it?"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert_eq!(
        site.read("content/articles/is-the-cccs-worth-it.md"),
        "mine"
    );
}

#[test]
fn schema_prints_every_schema() {
    let run = run_in(Path::new("."), &["schema"]);
    assert_eq!(run.code, 0);
    let all: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    for name in [
        "certification.schema.json",
        "article.schema.json",
        "page.schema.json",
    ] {
        assert!(all[name]["properties"].is_object(), "{name}");
    }
}

/// Whether the build's validator accepts a record or front matter, judged by running the
/// real binary on a one-file change of the basic fixture.
fn validator_accepts(rel: &str, text: &str) -> bool {
    let site = Site::fixture("basic");
    site.write(rel, text);
    site.check().code == 0
}

fn schema_accepts(schema: &serde_json::Value, yaml: &str) -> bool {
    let value: serde_json::Value = serde_saphyr::from_str(yaml).expect("YAML for the schema test");
    let validator = jsonschema::validator_for(schema).expect("a valid schema");
    validator.is_valid(&value)
}

#[test]
fn the_schemas_agree_with_the_validator() {
    let record_cases = [
        "name: A\nacronym: AB\n",
        "name: A\nacronym: AB\nlevel: expert\ncost: { amount: 10, currency: USD }\nverified: 2026-11-01\n",
        "name: A\nacronym: AB\nprovider:\nlevel:\naudience: []\nextra: {}\n",
        "name: A\nacronym: AB\nexam: { required: true, questions: 100, minutes: 90.5 }\n",
        "name: A\nacronym: AB\nurl: https://example.org/\nprovider: { name: P, url: mailto:a@example.org }\n",
        "name: A\nacronym: AB\ncost: { amount: 10, currency: EUR }\nrenewal: { every_years: 2, cost: { amount: 5, currency: USD } }\n",
        "name: A\nacronym: AB\nrenewal: { cost: { amount: 5 } }\n",
        "name: A\nacronym: AB\nsources:\n  - { url: https://p.example/exam, title: Exam, accessed: 2026-10-30, covers: [exam, renewal.every_years, cost.amount] }\n  - { url: https://p.example/ }\n",
        // Each of these is wrong in one way.
        "name: A\n",
        "name: A\nacronym: AB\nnmae: x\n",
        "name: A\nacronym: AB\nlevel: Expert\n",
        "name: A\nacronym: AB\ncost: { amount: -1 }\n",
        "name: A\nacronym: AB\ncost: { amount: lots }\n",
        "name: A\nacronym: AB\ncost: { amout: 3 }\n",
        "name: A\nacronym: AB\nexam: { questions: 10.5 }\n",
        "name: A\nacronym: AB\nverified: 2026-13-01\n",
        "name: A\nacronym: AB\nverified: 2026-04-31\n",
        "name: A\nacronym: AB\nskills: forecasting\n",
        "name: A\nacronym: AB\nprovider: { url: https://x.example }\n",
        "name: A\nacronym: AB\nurl: javascript:alert(1)\n",
        "name: \"  \"\nacronym: AB\n",
        "name: A\nacronym: AB\ncost: { amount: 10, currency: usd }\n",
        "name: A\nacronym: AB\nrenewal: { cost: { currency: USD } }\n",
        "name: A\nacronym: AB\nrenewal: { cost: { amount: -5 } }\n",
        "name: A\nacronym: AB\nrenewal: { cost: 150 }\n",
        "name: A\nacronym: AB\ntotal_cost: 150\n",
        "name: A\nacronym: AB\nsources: [{ url: https://p.example/, covers: [exma] }]\n",
        "name: A\nacronym: AB\nsources: [{ title: No URL }]\n",
        "name: A\nacronym: AB\nsources: [{ url: https://p.example/, accessed: 2026-02-30 }]\n",
        "name: A\nacronym: AB\nsources: [{ url: \"javascript:alert(1)\" }]\n",
    ];
    let schema = certguide::schema::certification();
    for case in record_cases {
        let by_validator = validator_accepts("content/certifications/gamma.yaml", case);
        let by_schema = schema_accepts(&schema, case);
        assert_eq!(
            by_schema, by_validator,
            "schema and validator disagree on:\n{case}"
        );
    }

    let front_cases = [
        "title: T\ndate: 2026-11-10\n",
        "title: T\ndate: 2026-11-10\ncategory: roi\ntags: [a]\ncertifications: [gamma]\ndraft: false\n",
        "title: T\n",
        "title: T\ndate: 2026-11-10\ncategory: ROI\n",
        "title: T\ndate: 2026-11-10\ncategroy: roi\n",
        "title: T\ndate: 10 November 2026\n",
        "date: 2026-11-10\n",
        "title: T\ndate: 2026-11-10\nweight: first\n",
    ];
    let schema = certguide::schema::front_matter(true);
    for case in front_cases {
        let by_validator = validator_accepts(
            "content/articles/policy.md",
            &format!("---\n{case}---\nBody.\n"),
        );
        let by_schema = schema_accepts(&schema, case);
        assert_eq!(
            by_schema, by_validator,
            "schema and validator disagree on:\n{case}"
        );
    }
}

/// 1 June 2027, as seconds since the epoch: builds below run "on" that day.
const JUNE_2027: &str = "1811808000";

#[test]
fn stale_and_unverified_records_are_labelled_and_warned_about() {
    let site = Site::fixture("basic");
    site.configure("stale_after_months: 6");
    let env = [("SOURCE_DATE_EPOCH", JUNE_2027)];
    // alpha was verified on 2026-11-01: seven months before.
    let run = common::run_env(site.root(), &["check"], &env);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let alpha = run.stderr.lines().find(|l| {
        l.starts_with(
            "content/certifications/alpha.yaml:18:11: warning: stale: verified 7 months ago",
        )
    });
    assert!(alpha.is_some(), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/certifications/gamma.yaml:1:1: warning: unverified")
    );
    assert!(run.stderr.contains("3 warnings"), "{}", run.stderr);

    let strict = common::run_env(site.root(), &["check", "--strict"], &env);
    assert_eq!(strict.code, 1, "{}", strict.stderr);

    assert_eq!(common::run_env(site.root(), &["build"], &env).code, 0);
    let page = site.read("public/certifications/alpha/index.html");
    assert!(page.contains("Stale: verified"), "no stale label");
    assert!(page.contains("data-stale-after=\"6\""));
    let data = site.read("public/data/certifications.json");
    assert!(data.contains("\"freshness\":\"stale\""));

    // The same day without a limit: verified, not stale.
    let run = common::run_env(
        site.root(),
        &["check", "--strict", "--root", "."],
        &[("SOURCE_DATE_EPOCH", "1793491200")],
    );
    assert_eq!(run.code, 1, "beta and gamma are still unverified");
    assert!(!run.stderr.contains("alpha.yaml"), "{}", run.stderr);
}

#[test]
fn edit_links_point_at_the_source_file() {
    let site = Site::fixture("basic");
    site.configure("edit_url: https://git.example/guide/edit/main/");
    assert_eq!(site.build().code, 0);
    assert!(
        site.read("public/articles/roi/index.html")
            .contains("href=\"https://git.example/guide/edit/main/content/articles/roi.md\"")
    );
    assert!(
        site.read("public/certifications/alpha/index.html")
            .contains(
                "href=\"https://git.example/guide/edit/main/content/certifications/alpha.yaml\""
            )
    );
    assert!(
        site.read("public/about/index.html")
            .contains("href=\"https://git.example/guide/edit/main/content/pages/about.md\"")
    );
    // Without edit_url there is no such link.
    let plain = Site::fixture("basic");
    assert_eq!(plain.build().code, 0);
    assert!(
        !plain
            .read("public/articles/roi/index.html")
            .contains("Edit this page")
    );
}

/// Every `href`/`src` of every HTML page under `public`, with the page it is on.
fn links_of(public: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.path().extension().is_none_or(|x| x != "html") {
            continue;
        }
        let html = std::fs::read_to_string(e.path()).expect("read page");
        let page = e
            .path()
            .strip_prefix(public)
            .expect("under public")
            .to_string_lossy()
            .into_owned();
        for attr in ["href=\"", "src=\""] {
            let mut rest = html.as_str();
            while let Some(i) = rest.find(attr) {
                rest = &rest[i + attr.len()..];
                let end = rest.find('"').unwrap_or(rest.len());
                out.push((page.clone(), rest[..end].replace("&amp;", "&")));
                rest = &rest[end..];
            }
        }
    }
    out
}

#[test]
fn under_a_sub_path_every_internal_link_of_the_example_resolves() {
    let example = Site::example();
    let dir = &example.dir;
    let base = "https://intranet.example/guides/certs/";
    let run = run_in(dir.path(), &["build", "--base-url", base]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let public = dir.path().join("public");
    let links = links_of(&public);
    assert!(links.len() > 100, "too few links found: {}", links.len());
    let mut checked = 0;
    for (page, link) in &links {
        if link.starts_with("http://")
            || link.starts_with("https://")
            || link.starts_with("mailto:")
            || link.starts_with("tel:")
        {
            continue;
        }
        let path = link.split(['#', '?']).next().unwrap_or("");
        if path.is_empty() {
            continue;
        }
        assert!(
            path.starts_with("/guides/certs/"),
            "{page} links to `{link}`, outside the base path"
        );
        let rel = &path["/guides/certs/".len()..];
        let target = public.join(rel);
        let exists = if rel.is_empty() || rel.ends_with('/') {
            target.join("index.html").is_file()
        } else {
            target.is_file() || target.join("index.html").is_file()
        };
        assert!(
            exists,
            "{page} links to `{link}`, which is not in the built site"
        );
        checked += 1;
    }
    assert!(checked > 100, "only {checked} internal links checked");
    // Feeds and sitemap carry absolute URLs under the sub-path.
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).expect("sitemap");
    assert!(
        sitemap.contains("<loc>https://intranet.example/guides/certs/certifications/cccm/</loc>")
    );
    // And `check` agrees.
    let run = run_in(dir.path(), &["check", "--base-url", base]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_second_theme_can_be_selected() {
    let site = Site::fixture("basic");
    let base = "<!doctype html><html lang=\"{{ site.language }}\"><head><title>{% block title %}{{ site.title }}{% endblock title %}</title></head><body>{% block main %}{% endblock main %}</body></html>";
    site.write("themes/plain/templates/base.html", base);
    for (name, body) in [
        (
            "index.html",
            "<h1>Plain: {{ site.title }}</h1>{% for c in certifications %}<p>{{ c.acronym }}</p>{% endfor %}",
        ),
        (
            "certification.html",
            "<h1>Plain cert {{ cert.acronym }}</h1>",
        ),
        ("compare.html", "<h1>Plain compare</h1>"),
        ("certifications.html", "<h1>Plain list</h1>"),
        ("articles.html", "<h1>Plain articles</h1>"),
        ("article.html", "<h1>Plain article {{ article.title }}</h1>"),
        ("page.html", "<h1>Plain page {{ page.title }}</h1>"),
        ("search.html", "<h1>Plain search</h1>"),
        ("404.html", "<h1>Plain 404</h1>"),
        ("tags.html", "<h1>Plain tags</h1>"),
        ("taxonomy.html", "<h1>Plain {{ taxonomy.label }}</h1>"),
    ] {
        site.write(
            &format!("themes/plain/templates/{name}"),
            format!("{{% extends \"base.html\" %}}{{% block main %}}{body}{{% endblock main %}}"),
        );
    }
    site.write("themes/plain/static/plain.css", "body { font: 16px serif }");
    site.configure("theme: plain");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        site.read("public/index.html")
            .contains("<h1>Plain: Fixture guide</h1>")
    );
    assert!(
        site.read("public/certifications/alpha/index.html")
            .contains("Plain cert ACCM")
    );
    assert!(site.path("public/plain.css").is_file());
    assert!(
        !site.path("public/style.css").exists(),
        "the default theme's files leaked in"
    );
    // A site template still overrides the selected theme's.
    site.write("templates/404.html", "site's own 404");
    assert_eq!(site.build().code, 0);
    assert_eq!(site.read("public/404.html"), "site's own 404");
}
