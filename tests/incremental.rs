//! The property `serve` relies on: after any sequence of edits, the incrementally rebuilt
//! site is exactly what a cold build of the same files gives (the same files with the same
//! bytes, or the same errors).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use certguide::LoadOptions;
use certguide::diagnostics::Diagnostic;
use certguide::incremental::{ChangeKind, Files, Incremental};
use proptest::prelude::*;

fn options() -> LoadOptions {
    LoadOptions {
        base_url: Some("http://127.0.0.1:1111/".into()),
        drafts: false,
    }
}

/// What the real cold `build` of `root` writes, read back from its output folder.
fn cold(root: &Path) -> Result<Files, Vec<Diagnostic>> {
    let out = tempfile::tempdir().expect("temp dir");
    let dir = out.path().join("public");
    let opts = certguide::BuildOptions {
        load: options(),
        output: Some(dir.clone()),
        progress: None,
    };
    match certguide::build(root, &opts) {
        Ok(_) => {}
        Err(certguide::Error::Content(diags)) => return Err(diags),
        Err(certguide::Error::Output(e)) => return Err(vec![e.into()]),
    }
    let mut files: Files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&dir) {
        let entry = entry.expect("walk the output");
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&dir).expect("inside");
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.insert(rel, std::fs::read(entry.path()).expect("read").into());
        }
    }
    Ok(files)
}

/// One edit to the site, as a file written or removed.
#[derive(Debug, Clone)]
enum Edit {
    Write(&'static str, String),
    Remove(&'static str),
}

fn edits() -> impl Strategy<Value = Edit> {
    let article = |title: &str, date: &str, certs: &str, body: &str| {
        format!("---\ntitle: {title}\ndate: {date}\ncertifications: [{certs}]\n---\n{body}\n")
    };
    prop_oneof![
        // Articles: retitled, re-dated, re-related, broken, linking around.
        Just(Edit::Write("content/articles/policy.md", article("Policy v2", "2026-11-21", "alpha", "## Service\n\nSee [payback](roi.md#payback)."))),
        Just(Edit::Write("content/articles/policy.md", article("Policy v3", "2026-11-01", "beta, gamma", "Plain body."))),
        Just(Edit::Write("content/articles/policy.md", "---\ntitle: [broken\n---\n".into())),
        Just(Edit::Write("content/articles/new.md", article("A new article", "2026-11-22", "gamma", "Links to [the policy](policy.md)."))),
        Just(Edit::Remove("content/articles/new.md")),
        Just(Edit::Write("content/articles/roi.md", article("ROI again", "2026-11-20", "alpha, beta", "## Payback\n\nShorter."))),
        // Records: changed, broken, duplicated acronym, added, removed.
        Just(Edit::Write("content/certifications/beta.yaml", "name: Beta Quality Analyst II\nacronym: BQA\ncost: { amount: 350, currency: USD }\nlevel: expert\n".into())),
        Just(Edit::Write("content/certifications/beta.yaml", "name: Beta\nacronym: BQA\nlevle: expert\n".into())),
        Just(Edit::Write("content/certifications/delta.yaml", "name: Delta\nacronym: DLT\naudience: [trainer]\n".into())),
        Just(Edit::Write("content/certifications/delta.yaml", "name: Delta\nacronym: GSB\n".into())),
        Just(Edit::Remove("content/certifications/delta.yaml")),
        Just(Edit::Write("content/certifications/gamma.yaml", "name: Gamma Supervisor Basics\nacronym: GSB\nverified: 2026-10-01\n".into())),
        // Pages (their titles are in every page's navigation).
        Just(Edit::Write("content/pages/about.md", "---\ntitle: About us\nweight: 2\n---\nHello.\n".into())),
        Just(Edit::Write("content/pages/help.md", "---\ntitle: Help\nweight: 1\n---\nHelp text.\n".into())),
        Just(Edit::Remove("content/pages/help.md")),
        // Configuration, templates, static files.
        Just(Edit::Write("site.yaml", "title: Renamed guide\nbase_url: https://fixture.example/\ncolumns: [acronym, name, level]\n".into())),
        Just(Edit::Write("templates/page.html", "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1>{{ page.content_html | safe }}{% endblock main %}".into())),
        Just(Edit::Write("templates/page.html", "{% extends \"base.html\" %}{% block main %}{{ page.title }{% endblock main %}".into())),
        Just(Edit::Remove("templates/page.html")),
        Just(Edit::Write("static/extra.css", "body { color: red; }".into())),
        Just(Edit::Write("static/style.css", "/* the site's own stylesheet */".into())),
    ]
}

fn apply(root: &Path, edit: &Edit) -> PathBuf {
    let (rel, result) = match edit {
        Edit::Write(rel, text) => {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            (rel, std::fs::write(&p, text))
        }
        Edit::Remove(rel) => (rel, std::fs::remove_file(root.join(rel)).or(Ok(()))),
    };
    result.expect("edit applied");
    root.join(rel)
}

fn same(incremental: &Result<Arc<Files>, Vec<Diagnostic>>, cold: &Result<Files, Vec<Diagnostic>>) {
    match (incremental, cold) {
        (Ok(a), Ok(b)) => {
            let a_paths: Vec<&String> = a.keys().collect();
            let b_paths: Vec<&String> = b.keys().collect();
            assert_eq!(a_paths, b_paths, "different files");
            for (path, bytes) in b {
                assert!(a[path] == *bytes, "{path} differs from a cold build");
            }
        }
        (Err(a), Err(b)) => assert_eq!(a, b, "different errors"),
        (a, b) => panic!(
            "incremental {} but cold build {}",
            if a.is_ok() { "succeeded" } else { "failed" },
            if b.is_ok() { "succeeded" } else { "failed" }
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn incremental_rebuilds_equal_cold_builds(steps in proptest::collection::vec(edits(), 1..7)) {
        let site = common::Site::fixture("basic");
        let root = site.root();
        let (mut inc, first) = Incremental::new(root, options());
        same(&first.result, &cold(root));
        for edit in &steps {
            let changed = apply(root, edit);
            let rebuild = inc.update(&[changed]);
            same(&rebuild.result, &cold(root));
        }
    }
}

#[test]
fn an_article_edit_re_renders_only_the_pages_that_show_it() {
    let site = common::Site::fixture("basic");
    let root = site.root();
    let (mut inc, first) = Incremental::new(root, options());
    assert!(first.result.is_ok());
    let changed = apply(
        root,
        &Edit::Write(
            "content/articles/policy.md",
            "---\ntitle: Tuition policy\ndate: 2026-11-10\ncategory: policy\ncertifications: [gamma]\n---\n\nA commitment of 3 years. Back to [payback](roi.md#payback).\n".into(),
        ),
    );
    let rebuild = inc.update(&[changed]);
    assert!(rebuild.result.is_ok());
    assert_eq!(rebuild.change, ChangeKind::Pages);
    // Its own page only: the body is not shown anywhere else.
    assert_eq!(rebuild.rendered, 1, "pages re-rendered");

    let changed = apply(
        root,
        &Edit::Write(
            "content/articles/policy.md",
            "---\ntitle: Tuition policy, revised\ndate: 2026-11-10\ncategory: policy\ncertifications: [gamma]\n---\n\nBody.\n".into(),
        ),
    );
    let rebuild = inc.update(&[changed]);
    // Its page, the home page (latest articles), the articles index, and gamma's page.
    assert_eq!(rebuild.rendered, 4, "pages re-rendered");
}

#[test]
fn a_css_change_is_a_css_change() {
    let site = common::Site::fixture("basic");
    let root = site.root();
    let (mut inc, _) = Incremental::new(root, options());
    let changed = apply(
        root,
        &Edit::Write("static/extra.css", "a { color: red }".into()),
    );
    let rebuild = inc.update(&[changed]);
    assert_eq!(rebuild.change, ChangeKind::Css);
    assert_eq!(rebuild.rendered, 0);
    let files = rebuild.result.expect("builds");
    assert_eq!(&*files["extra.css"], b"a { color: red }");
    let unrelated = inc.update(&[root.join("README.txt")]);
    assert_eq!(unrelated.change, ChangeKind::None);
}
