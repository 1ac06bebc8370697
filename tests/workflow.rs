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
