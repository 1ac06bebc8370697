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
/// A cold build's files, read back from disk.
type Built = BTreeMap<String, Arc<Vec<u8>>>;

fn cold(root: &Path) -> Result<Built, Vec<Diagnostic>> {
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
    let mut files: Built = BTreeMap::new();
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
        // A body edit alone (the feed and the search index show bodies; lists do not).
        Just(Edit::Write("content/articles/roi.md", article("ROI again", "2026-11-20", "alpha, beta", "## Payback\n\nA body edited, nothing else."))),
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

fn same(incremental: &Result<Arc<Files>, Vec<Diagnostic>>, cold: &Result<Built, Vec<Diagnostic>>) {
    match (incremental, cold) {
        (Ok(a), Ok(b)) => {
            let mut a_paths: Vec<&str> = a.keys().map(|k| &**k).collect();
            a_paths.sort_unstable();
            let b_paths: Vec<&str> = b.keys().map(String::as_str).collect();
            assert_eq!(a_paths, b_paths, "different files");
            for (path, bytes) in b {
                assert!(
                    a[path.as_str()].bytes() == *bytes,
                    "{path} differs from a cold build"
                );
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

/// The paths a rebuild says changed (what the reload event names) are exactly those whose
/// bytes differ from the site it started from, gone ones included.
fn differences_named(rebuild: &certguide::incremental::Rebuild) {
    let (Ok(files), Some((from, named))) = (&rebuild.result, &rebuild.changes) else {
        return;
    };
    let mut expected: Vec<&str> = files
        .iter()
        .filter(|(k, v)| from.get(&***k).is_none_or(|w| w.bytes() != v.bytes()))
        .map(|(k, _)| &**k)
        .chain(
            from.keys()
                .filter(|k| !files.contains_key(&***k))
                .map(|k| &**k),
        )
        .collect();
    expected.sort_unstable();
    let mut named: Vec<&str> = named.iter().map(|k| &**k).collect();
    named.sort_unstable();
    assert_eq!(named, expected, "the changed paths named");
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
            differences_named(&rebuild);
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
    // The files that do not show bodies are not made again (the very same bytes); the
    // feed and the search index, which do, are.
    let (before, after) = (first.result.expect("built"), rebuild.result.expect("built"));
    for path in [
        "data/certifications.json",
        "data/certifications.csv",
        "sitemap.xml",
        "schema/page.schema.json",
    ] {
        assert!(before[path].ptr_eq(&after[path]), "{path} made again");
    }
    for path in ["atom.xml", "data/search.json"] {
        assert!(before[path] != after[path], "{path} shows the new body");
    }

    let changed = apply(
        root,
        &Edit::Write(
            "content/articles/policy.md",
            "---\ntitle: Tuition policy, revised\ndate: 2026-11-10\ncategory: policy\ncertifications: [gamma]\n---\n\nBody.\n".into(),
        ),
    );
    let rebuild = inc.update(&[changed]);
    // Its page, the home page (latest articles), the articles index, its category's page
    // and gamma's page.
    assert_eq!(rebuild.rendered, 5, "pages re-rendered");
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
    assert_eq!(&*files["extra.css"].bytes(), b"a { color: red }");
    let unrelated = inc.update(&[root.join("README.txt")]);
    assert_eq!(unrelated.change, ChangeKind::None);
}

/// Applies `edits` one after the other and checks, after each, that the incremental
/// rebuild equals the real cold build; `changed` are the paths the watcher reports.
/// One step of [`parity`]: the paths the watcher reports, and the edit that makes them.
type Step<'a> = (&'a [PathBuf], &'a dyn Fn(&Path));

fn parity(site: &common::Site, steps: &[Step<'_>]) {
    let root = site.root();
    let (mut inc, first) = Incremental::new(root, options());
    same(&first.result, &cold(root));
    for (changed, edit) in steps {
        edit(root);
        let rebuild = inc.update(changed);
        same(&rebuild.result, &cold(root));
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn content_crossing_max_content_mib_fails_in_serve_as_in_build() {
    let site = common::Site::fixture("basic");
    let root = site.root().to_path_buf();
    let config = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    let big = format!(
        "---\ntitle: Big\ndate: 2026-11-01\n---\n{}\n",
        // Under the limit alone, over it with the rest of the site: the budget must count
        // the files already held, not only the one read again.
        "word ".repeat((1024 * 1024 - 1024) / 5)
    );
    let big_path = [root.join("content/articles/big.md")];
    let site_yaml = [root.join("site.yaml")];
    let limited = format!("{config}max_content_mib: 1\n");
    let cfg = config.clone();
    parity(
        &site,
        &[
            (&site_yaml, &|r| write(r, "site.yaml", &limited)),
            // Over the limit: an error in both.
            (&big_path, &|r| write(r, "content/articles/big.md", &big)),
            // Back under it.
            (&big_path, &|r| {
                write(
                    r,
                    "content/articles/big.md",
                    "---\ntitle: Big\ndate: 2026-11-01\n---\nsmall\n",
                )
            }),
            // The limit raised with the big file back.
            (&big_path, &|r| write(r, "content/articles/big.md", &big)),
            (&site_yaml, &|r| write(r, "site.yaml", &cfg)),
        ],
    );
}

/// A study hour's cost (`cert.per_hour`) is made from the record and site.yaml's rates:
/// under `serve`, editing either gives the record's page a build would write.
#[test]
fn a_study_hours_cost_follows_the_rates_and_the_hours_as_a_build_does() {
    let site = common::Site::fixture("money");
    let root = site.root().to_path_buf();
    let config = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    let rerated = config.replace("JPY: 0.0067", "JPY: 0.0134");
    let record = std::fs::read_to_string(root.join("content/certifications/beta.yaml")).unwrap();
    let fewer_hours = record.replace("hours: 60", "hours: 30");
    let site_yaml = [root.join("site.yaml")];
    let beta = [root.join("content/certifications/beta.yaml")];
    parity(
        &site,
        &[
            (&site_yaml, &|r| write(r, "site.yaml", &rerated)),
            (&beta, &|r| {
                write(r, "content/certifications/beta.yaml", &fewer_hours)
            }),
        ],
    );
    let page = &cold(&root).expect("builds")["certifications/beta/index.html"];
    let page = String::from_utf8_lossy(page);
    // 150,000 JPY over 30 hours, at twice the rate the fixture has.
    assert!(page.contains("<dd>5,000 JPY (≈ 67 USD)</dd>"), "{page}");
}

#[test]
fn site_yaml_theme_rename_and_static_files_keep_parity() {
    let site = common::Site::fixture("basic");
    let root = site.root().to_path_buf();
    let theme = root.join("themes/default");
    let static_new = [root.join("static/new.txt")];
    let static_dir = [root.join("static/sub")];
    let site_yaml = [root.join("site.yaml")];
    let config = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    let renamed = config.replace("title: Fixture guide", "title: Renamed by an edit");
    let themes = [root.join("themes/default"), root.join("themes/old")];
    parity(
        &site,
        &[
            (&site_yaml, &|r| write(r, "site.yaml", &renamed)),
            (&static_new, &|r| write(r, "static/new.txt", "new")),
            (&static_dir, &|r| write(r, "static/sub/deep.txt", "deep")),
            (&static_new, &|r| {
                std::fs::remove_file(r.join("static/new.txt")).unwrap()
            }),
            (&static_dir, &|r| {
                std::fs::remove_dir_all(r.join("static/sub")).unwrap()
            }),
            // The theme folder replaced by a rename, as `git checkout` or a theme update does.
            (&themes, &|r| {
                let copy = r.join("themes/new");
                common::copy_dir(&theme, &copy);
                let base = copy.join("templates/base.html");
                let html = std::fs::read_to_string(&base).unwrap();
                std::fs::write(&base, html.replace("</body>", "<!-- new theme --></body>"))
                    .unwrap();
                std::fs::rename(&theme, r.join("themes/old")).unwrap();
                std::fs::rename(&copy, &theme).unwrap();
            }),
        ],
    );
}

#[test]
fn a_site_broken_at_start_builds_once_fixed() {
    let site = common::Site::fixture("basic");
    let root = site.root().to_path_buf();
    write(
        &root,
        "content/certifications/beta.yaml",
        "name: Beta\nacronym: BQA\nlevl: x\n",
    );
    let (mut inc, first) = Incremental::new(&root, options());
    assert!(first.result.is_err());
    assert!(inc.last_good().is_none());
    write(
        &root,
        "content/certifications/beta.yaml",
        "name: Beta\nacronym: BQA\n",
    );
    let rebuild = inc.update(&[root.join("content/certifications/beta.yaml")]);
    same(&rebuild.result, &cold(&root));
    assert!(inc.last_good().is_some());
}

#[test]
fn a_body_edit_alone_updates_the_feed_and_the_search_index() {
    let site = common::Site::fixture("basic");
    let root = site.root().to_path_buf();
    let roi = [root.join("content/articles/roi.md")];
    let text = |body: &str| {
        format!(
            "---\ntitle: ROI\ndate: 2026-11-20\ncertifications: [alpha]\n---\n## Payback\n\n{body}\n"
        )
    };
    let (one, two) = (text("First body."), text("Second body, same length"));
    parity(
        &site,
        &[
            (&roi, &|r| write(r, "content/articles/roi.md", &one)),
            (&roi, &|r| write(r, "content/articles/roi.md", &two)),
        ],
    );
}

#[test]
fn a_temporary_file_renamed_over_a_source_is_not_a_new_folder() {
    // `sed -i` and many editors write a temporary file beside the source and rename it
    // over the source: the watcher reports both paths. The temporary one (gone by then,
    // and never a source) must not make the loader walk the whole content again.
    let site = common::Site::fixture("basic");
    let root = site.root();
    let (mut inc, first) = Incremental::new(root, options());
    assert!(first.result.is_ok());
    let temp = root.join("content/certifications/sedX1b2c3");
    write(
        root,
        "content/certifications/sedX1b2c3",
        "name: Beta\nacronym: BQA\n",
    );
    assert_eq!(
        inc.update(std::slice::from_ref(&temp)).change,
        ChangeKind::None
    );
    std::fs::rename(&temp, root.join("content/certifications/beta.yaml")).expect("rename");
    let rebuild = inc.update(&[temp, root.join("content/certifications/beta.yaml")]);
    assert_eq!(rebuild.change, ChangeKind::Pages);
    same(&rebuild.result, &cold(root));
    // A new folder is still found.
    write(
        root,
        "content/articles/2026/new.md",
        "---\ntitle: New\ndate: 2026-11-02\n---\nHi.\n",
    );
    let rebuild = inc.update(&[root.join("content/articles/2026")]);
    same(&rebuild.result, &cold(root));
    assert!(
        rebuild
            .result
            .expect("built")
            .contains_key("articles/new/index.html")
    );
}

#[test]
fn tags_categories_pagination_and_aliases_keep_parity() {
    let site = common::Site::fixture("publishing");
    let root = site.root().to_path_buf();
    let policy = [root.join("content/articles/policy.md")];
    let extra = [root.join("content/articles/extra.md")];
    let gamma = [root.join("content/certifications/gamma.yaml")];
    let renamed = [
        root.join("content/certifications/gamma.yaml"),
        root.join("content/certifications/delta.yaml"),
    ];
    let site_yaml = [root.join("site.yaml")];
    let i18n = [root.join("i18n/en.yaml")];
    let config = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    let text = std::fs::read_to_string(root.join("content/articles/policy.md")).unwrap();
    let gamma_text =
        std::fs::read_to_string(root.join("content/certifications/gamma.yaml")).unwrap();
    parity(
        &site,
        &[
            // A tag renamed: its old page goes, the new one comes.
            (&policy, &|r| {
                write(
                    r,
                    "content/articles/policy.md",
                    &text.replace("tuition", "fees"),
                )
            }),
            // A body edit: the tag pages keep their summaries.
            (&policy, &|r| {
                write(
                    r,
                    "content/articles/policy.md",
                    &text
                        .replace("tuition", "fees")
                        .replace("A service", "One service"),
                )
            }),
            // A third article over two per page: the lists continue on page 2.
            (&site_yaml, &|r| {
                write(r, "site.yaml", &format!("{config}articles_per_page: 2\n"))
            }),
            (&extra, &|r| {
                write(
                    r,
                    "content/articles/extra.md",
                    "---\ntitle: Extra\ndate: 2026-01-01\ncategory: roi\ntags: [budget]\n---\nx\n",
                )
            }),
            // An alias added, then a record renamed with its old id as an alias.
            (&gamma, &|r| {
                write(
                    r,
                    "content/certifications/gamma.yaml",
                    &format!("{gamma_text}aliases: [old-gamma/]\n"),
                )
            }),
            (&renamed, &|r| {
                std::fs::remove_file(r.join("content/certifications/gamma.yaml")).unwrap();
                write(
                    r,
                    "content/certifications/delta.yaml",
                    &format!("{gamma_text}aliases: [certifications/gamma/]\n"),
                )
            }),
            // A site's own language file: every page's words again.
            (&i18n, &|r| {
                write(r, "i18n/en.yaml", "articles.title: Reading\n")
            }),
            (&i18n, &|r| {
                std::fs::remove_file(r.join("i18n/en.yaml")).unwrap()
            }),
            // Labels: site.yaml names a level, then a language file names another.
            (&site_yaml, &|r| {
                write(
                    r,
                    "site.yaml",
                    &format!("{config}labels: {{ level: {{ professional: Senior }} }}\n"),
                )
            }),
            (&i18n, &|r| {
                write(r, "i18n/en.yaml", "level.foundation: Entry\n")
            }),
            // An alias that collides: the same error as a cold build.
            (&extra, &|r| {
                write(
                    r,
                    "content/articles/extra.md",
                    "---\ntitle: Extra\ndate: 2026-01-01\naliases: [tags/budget/]\n---\nx\n",
                )
            }),
        ],
    );
}

/// `serve` reuses the site-wide checks (validation, links) while no source changes what
/// they read; what they found must still be where build finds it. A body edit that moves
/// a quoted fact's warning down a line, an edit elsewhere, a heading renamed under a link
/// from another article: warnings and errors as `check` gives them, each time.
#[test]
fn reused_site_checks_find_what_build_finds_where_build_finds_it() {
    let site = common::Site::fixture("basic");
    let root = site.root();
    let quoting = |above: &str| {
        format!(
            "---\ntitle: Tuition policy\ndate: 2026-11-10\ncategory: policy\ncertifications: [gamma]\n---\n\n{above}Beta renews {{{{ fact(\"beta\", \"renewal\") }}}}. Back to [payback](roi.md#payback).\n"
        )
    };
    write(root, "content/articles/policy.md", &quoting(""));
    let (mut inc, first) = Incremental::new(root, options());
    let warnings = |root: &Path| certguide::check(root, &options()).map(|r| r.warnings);
    assert!(first.result.is_ok());
    let found = warnings(root).expect("builds");
    assert!(
        found.iter().any(|w| w.message.contains("has no `renewal`")),
        "the fixture quotes a missing fact: {found:?}"
    );
    assert_eq!(first.warnings, found);
    let policy = [root.join("content/articles/policy.md")];
    let roi = [root.join("content/articles/roi.md")];
    let roi_text = std::fs::read_to_string(root.join("content/articles/roi.md")).unwrap();
    type Edit<'a> = Box<dyn Fn(&Path) + 'a>;
    let steps: Vec<(&[PathBuf], Edit)> = vec![
        // The quote moves down two lines: the same problem, somewhere else.
        (
            &policy,
            Box::new(|r| {
                write(
                    r,
                    "content/articles/policy.md",
                    &quoting("A new first paragraph.\n\n"),
                )
            }),
        ),
        // Another article's body: nothing the checks read changes.
        (
            &roi,
            Box::new(|r| {
                write(
                    r,
                    "content/articles/roi.md",
                    &format!("{roi_text}\nOne more line.\n"),
                )
            }),
        ),
        // The heading policy.md links to is renamed: a broken link in policy.md.
        (
            &roi,
            Box::new(|r| {
                write(
                    r,
                    "content/articles/roi.md",
                    &roi_text.replace("## Payback", "## Pay back"),
                )
            }),
        ),
        (
            &roi,
            Box::new(|r| write(r, "content/articles/roi.md", &roi_text)),
        ),
    ];
    for (changed, edit) in &steps {
        edit(root);
        let rebuild = inc.update(changed);
        match (&rebuild.result, warnings(root)) {
            (Ok(_), Ok(expected)) => assert_eq!(rebuild.warnings, expected),
            (Err(errors), Err(expected)) => assert_eq!(errors, &expected),
            (a, b) => panic!("serve {:?}, build {:?}", a.as_ref().err(), b.err()),
        }
    }
}
