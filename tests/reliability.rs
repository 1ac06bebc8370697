//! Hostile and careless input (issue 11): each test is one way a build could hang, lose
//! work, or break on a contributor's everyday files, and each failed before its fix. Sites
//! start from the `basic` fixture.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Site;

/// Runs `certguide ARGS` in the site, killing it after `limit`: a hang fails the test
/// instead of hanging the suite.
fn run_bounded(site: &Site, args: &[&str], limit: Duration) -> common::Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_certguide"))
        .args(args)
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the certguide binary runs");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("certguide {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    common::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const LIMIT: Duration = Duration::from_secs(30);

fn failing(site: &Site, args: &[&str]) -> common::Run {
    let run = run_bounded(site, args, LIMIT);
    assert_eq!(run.code, 1, "expected failure; stderr:\n{}", run.stderr);
    run
}

// 1. A finite but huge number used to hang the chart's tick loop.
#[test]
fn huge_finite_numbers_are_errors_at_their_value_and_nothing_hangs() {
    let site = Site::fixture("basic");
    site.write(
        "content/certifications/beta.yaml",
        "name: Beta\nacronym: BQA\ncost: { amount: 300 }\neffort:\n  hours: 1.7e308\n",
    );
    for cmd in ["build", "check"] {
        let run = failing(&site, &[cmd]);
        run.assert_error(
            "content/certifications/beta.yaml:5:10",
            "`effort.hours` must be a number from zero to 100,000, not 1.7e308",
        );
    }
    assert!(!site.path("public").exists());
    site.write(
        "content/certifications/beta.yaml",
        "name: Beta\nacronym: BQA\ncost: { amount: 1e12 }\neffort: { hours: 5e-324 }\n\
         exam: { questions: 1e5, minutes: 100001 }\nexperience_years: -0.5\n",
    );
    let run = failing(&site, &["build"]);
    // Between zero and a thousandth: 1e12 over it was a cost per study hour no integer
    // holds, an error in the template instead of at the value.
    run.assert_error(
        "content/certifications/beta.yaml:4:18",
        "`effort.hours` must be zero or at least 0.001, not 5e-324",
    );
    run.assert_error(
        "content/certifications/beta.yaml:5:34",
        "`exam.minutes` must be a number from zero to 100,000, not 100001",
    );
    run.assert_error(
        "content/certifications/beta.yaml:6:19",
        "`experience_years` must be a number from zero to 100",
    );
    assert_eq!(run.errors().len(), 3, "{}", run.stderr);
    // Zero itself is a number of hours.
    site.write(
        "content/certifications/beta.yaml",
        "name: Beta\nacronym: BQA\ncost: { amount: 1e12 }\neffort: { hours: 0 }\n",
    );
    assert_eq!(site.run(&["check"]).code, 0);
}

// 2. Two builds at once used to delete each other's temporary folder.
#[test]
fn two_builds_at_once_both_publish_the_whole_site() {
    let site = Site::example();
    let reference = Site::example();
    assert_eq!(
        run_bounded(&reference, &["build"], Duration::from_secs(120)).code,
        0
    );
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_certguide"))
            .arg("build")
            .current_dir(site.root())
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    for _ in 0..3 {
        let (a, b) = (spawn(), spawn());
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
        assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
        assert_eq!(
            listing(&site.path("public")),
            listing(&reference.path("public")),
            "the output differs from a single build's"
        );
    }
    let litter: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("certguide-"))
        .collect();
    assert!(litter.is_empty(), "left behind: {litter:?}");
}

/// Every file under `dir`, relative, sorted, with its size.
fn listing(dir: &Path) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                e.metadata().unwrap().len(),
            )
        })
        .collect();
    out.sort();
    out.retain(|(p, _)| !p.ends_with("atom.xml") && !p.ends_with("sitemap.xml"));
    out
}

// 3. Repeated headings used to take cubic time (10,000: minutes).
#[test]
fn ten_thousand_identical_headings_build_quickly() {
    let site = Site::fixture("basic");
    let body = "## Notes\n\ntext\n\n".repeat(10_000);
    site.write(
        "content/articles/many.md",
        format!("---\ntitle: Many\ndate: 2026-11-01\n---\n{body}"),
    );
    let run = run_bounded(&site, &["build"], LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.read("public/articles/many/index.html");
    assert!(html.contains(r#"id="notes-9999""#));
}

// 4. Editor files in content/, templates/ and static/ used to break every build.
#[test]
fn editor_files_are_skipped_everywhere() {
    let site = Site::fixture("basic");
    for dir in ["content/articles", "templates", "static"] {
        std::fs::create_dir_all(site.path(dir)).unwrap();
        // Emacs' lock file: a dangling symbolic link.
        std::os::unix::fs::symlink(
            "user@host.1234:1700000000",
            site.path(&format!("{dir}/.#roi.md")),
        )
        .unwrap();
        for name in ["roi.md~", ".roi.md.swp", "4913", "draft.tmp", "#roi.md#"] {
            site.write(
                &format!("{dir}/{name}"),
                "\u{0}\u{ff} not a source {{ broken",
            );
        }
    }
    let run = run_bounded(&site, &["build"], LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.errors().is_empty(), "{}", run.stderr);
    for name in ["4913", "draft.tmp", "roi.md~"] {
        assert!(
            !site.path(&format!("public/{name}")).exists(),
            "{name} published"
        );
    }
    let run = run_bounded(&site, &["check"], LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

// 5. Duplicate HTML ids used to pass build and check.
#[test]
fn duplicate_and_theme_heading_ids_are_errors_at_their_line() {
    let site = Site::fixture("basic");
    site.write(
        "content/articles/ids.md",
        "---\ntitle: Ids\ndate: 2026-11-01\n---\n## A\n\n## Payback {#a}\n\n## X {#x}\n\n\
         ## Y {#x}\n\n## Facts {#facts}\n\n## Main\n",
    );
    let run = failing(&site, &["build"]);
    run.assert_error("content/articles/ids.md:7:1", "duplicate heading id `a`");
    run.assert_error("content/articles/ids.md:11:1", "duplicate heading id `x`");
    run.assert_error(
        "content/articles/ids.md:13:1",
        "duplicate heading id `facts`: the theme uses this id",
    );
    assert_eq!(run.errors().len(), 3, "{}", run.stderr);
    // An automatic id steps around the theme's.
    site.write(
        "content/articles/ids.md",
        "---\ntitle: Ids\ndate: 2026-11-01\n---\n## Main\n\n## Payback\n",
    );
    let run = run_bounded(&site, &["build"], LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        site.read("public/articles/ids/index.html")
            .contains(r#"<h2 id="main-1">"#)
    );
}

#[test]
fn check_reports_a_duplicate_id_in_a_rendered_page() {
    let site = Site::fixture("basic");
    // A site template that repeats an id the theme's base already has.
    let base =
        std::fs::read_to_string(common::repo().join("themes/default/templates/page.html")).unwrap();
    site.write(
        "templates/page.html",
        base.replace("</article>", "<p id=\"main\">again</p></article>"),
    );
    let run = failing(&site, &["check"]);
    assert!(
        run.errors()
            .iter()
            .any(|l| l.contains("two elements with the id `main`")),
        "{}",
        run.stderr
    );
}

// 8. `1` and `"1"` in extra used to keep one value silently.
#[test]
fn extra_keys_equal_as_text_are_a_duplicate() {
    let site = Site::fixture("basic");
    site.write(
        "content/certifications/beta.yaml",
        "name: Beta\nacronym: BQA\nextra:\n  1: one\n  \"1\": two\n",
    );
    let run = failing(&site, &["build"]);
    let line = run
        .errors()
        .into_iter()
        .find(|l| l.contains("duplicate key `1` in extra"))
        .unwrap_or_else(|| panic!("{}", run.stderr))
        .to_string();
    assert!(
        line.starts_with("content/certifications/beta.yaml:5:"),
        "{line}"
    );
    site.write(
        "content/certifications/beta.yaml",
        "name: Beta\nacronym: BQA\nextra:\n  big: 1e300\n",
    );
    let run = failing(&site, &["build"]);
    assert!(
        run.errors()
            .iter()
            .any(|l| l.starts_with("content/certifications/beta.yaml:4:") && l.contains("1e300")),
        "{}",
        run.stderr
    );
}

// 9. renewal.every_years of 0 or 1e-300 used to pass (or fail in the theme).
#[test]
fn renewal_interval_must_be_positive_and_at_most_a_century() {
    let site = Site::fixture("basic");
    for (value, col) in [("0", 25), ("1e-300", 25), ("101", 25)] {
        site.write(
            "content/certifications/beta.yaml",
            format!("name: Beta\nacronym: BQA\nrenewal: {{ every_years: {value} }}\n"),
        );
        let run = failing(&site, &["build"]);
        run.assert_error(
            &format!("content/certifications/beta.yaml:3:{col}"),
            "`renewal.every_years` must be a number from more than zero to 100",
        );
        assert!(!run.stderr.contains("template"), "{}", run.stderr);
    }
}

// 12. An unreadable folder used to cascade into false broken-link errors.
#[test]
fn an_unreadable_folder_is_reported_once_without_a_cascade() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::fixture("basic");
    // Root reads any folder whatever its permissions: as root, run certguide as `nobody`
    // (setpriv), with the site readable to it.
    let as_root = runs_as_root();
    if as_root {
        for entry in walkdir::WalkDir::new(site.root()).into_iter().flatten() {
            let mode = if entry.file_type().is_dir() {
                0o755
            } else {
                0o644
            };
            std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode)).unwrap();
        }
    }
    let dir = site.path("content/certifications");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o000)).unwrap();
    let mut command = if as_root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_certguide"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_certguide"))
    };
    let out = command
        .args(["check", "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .output()
        .expect("certguide runs");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(
        errors[0].starts_with("content/certifications:1:1: error: cannot read this folder"),
        "{stderr}"
    );
}

/// Whether this process runs as root (files it creates are owned by uid 0).
fn runs_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    let probe = std::env::temp_dir().join(format!("certguide-uid-{}", std::process::id()));
    let root = std::fs::write(&probe, b"").is_ok()
        && std::fs::metadata(&probe).is_ok_and(|m| m.uid() == 0);
    let _ = std::fs::remove_file(&probe);
    root
}

// 13. Author styles, classes and theme ids used to survive sanitising.
#[test]
fn raw_html_cannot_cover_the_page_or_claim_theme_ids() {
    let site = Site::fixture("basic");
    site.write(
        "content/articles/raw.md",
        "---\ntitle: Raw\ndate: 2026-11-01\n---\n| a |\n|---|\n| x |\n\n\
         <table><tr><td style=\"position:fixed;inset:0;background:url(https://evil.example/x.png)\">\
         y</td></tr></table>\n\n<div id=\"main\" class=\"compare-bar\">z</div>\n",
    );
    let run = run_bounded(&site, &["build"], LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.read("public/articles/raw/index.html");
    let body = html.split("<h1").nth(1).unwrap_or(&html);
    for bad in ["position:fixed", "evil.example", "compare-bar"] {
        assert!(!body.contains(bad), "{bad} survived");
    }
    assert_eq!(html.matches(r#"id="main""#).count(), 1);
}

// 19. A verified date in the future used to pass silently.
#[test]
fn a_verified_date_in_the_future_is_a_warning() {
    let site = Site::fixture("basic");
    site.write(
        "content/certifications/beta.yaml",
        "name: Beta\nacronym: BQA\nverified: 2999-01-01\n",
    );
    let run = run_bounded(&site, &["build"], LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.lines().any(|l| l
            .starts_with("content/certifications/beta.yaml:3:11: warning: `verified: 2999-01-01` is in the future")),
        "{}",
        run.stderr
    );
    assert_eq!(run_bounded(&site, &["check", "--strict"], LIMIT).code, 1);
}

// 20. `X.YAML` used to be ignored silently.
#[test]
fn upper_case_extensions_are_sources() {
    let site = Site::fixture("basic");
    site.write(
        "content/certifications/delta.YAML",
        "name: Delta\nacronym: DLT\n",
    );
    let run = run_bounded(&site, &["build"], LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.path("public/certifications/delta/index.html").exists());
}

// 6. A partial that includes a partial, or a site template that includes a theme partial,
// used to be refused as "Unknown template".
#[test]
fn templates_include_partials_of_the_theme_and_of_each_other() {
    let site = Site::fixture("basic");
    site.write(
        "themes/default/templates/partials/outer.html",
        "<b class=\"outer\">{% include \"partials/inner.html\" %}</b>",
    );
    site.write("themes/default/templates/partials/inner.html", "inner-text");
    let page =
        std::fs::read_to_string(common::repo().join("themes/default/templates/page.html")).unwrap();
    site.write(
        "templates/page.html",
        page.replace(
            "</article>",
            "{% include \"partials/outer.html\" %}</article>",
        ),
    );
    let run = run_bounded(&site, &["build"], LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.read("public/about/index.html").contains("inner-text"));
    // An include of a template nobody has is still an error, at the include.
    site.write(
        "templates/partials/x.html",
        "\n{% include \"partials/nope.html\" %}",
    );
    let run = failing(&site, &["build"]);
    run.assert_error(
        "templates/partials/x.html:2:12",
        "Unknown template `partials/nope.html`",
    );
}

// 7. A static file and a page on one path used to fail late, naming the temporary folder.
#[test]
fn a_static_file_on_a_page_path_is_named_up_front() {
    let site = Site::fixture("basic");
    site.write("static/about/index.html", "static");
    let run = failing(&site, &["build"]);
    run.assert_error(
        "content/pages/about.md:1:1",
        "the static file `static/about/index.html` is published at `about/index.html`",
    );
    assert!(!run.stderr.contains("certguide-tmp"), "{}", run.stderr);
    std::fs::remove_dir_all(site.path("static/about")).unwrap();
    site.write("static/certifications", "a file where a folder goes");
    let run = failing(&site, &["check"]);
    run.assert_error(
        "content/certifications/alpha.yaml:1:1",
        "the static file `static/certifications`",
    );
}

// 10. `--output ROOT/schema` used to replace the site's own schema folder.
#[test]
fn output_into_a_folder_the_site_owns_is_refused() {
    let site = Site::fixture("basic");
    for dir in ["schema", "i18n", "content", "static", "templates", "themes"] {
        site.write(&format!("{dir}/keep.txt"), "mine");
        let out = site.path(dir);
        let run = run_bounded(&site, &["build", "--output", out.to_str().unwrap()], LIMIT);
        assert_eq!(run.code, 1, "{dir}: {}", run.stderr);
        assert!(
            run.stderr.contains("refusing to build into this folder"),
            "{}",
            run.stderr
        );
        assert_eq!(site.read(&format!("{dir}/keep.txt")), "mine");
    }
}

// 11. Two YAML documents in one file used to be called "too large or too deeply nested".
#[test]
fn a_second_yaml_document_is_named() {
    let site = Site::fixture("basic");
    site.write(
        "content/certifications/beta.yaml",
        "name: Beta\nacronym: BQA\n---\nname: Again\n",
    );
    let run = failing(&site, &["build"]);
    run.assert_error(
        "content/certifications/beta.yaml:3:1",
        "a second YAML document starts here",
    );
    assert!(!run.stderr.contains("too large"), "{}", run.stderr);
}

// 14. U+FFFE and U+FFFF in a title or body used to make atom.xml ill-formed.
#[test]
fn feed_and_sitemap_are_well_formed_xml_whatever_the_text() {
    let site = Site::fixture("basic");
    site.write(
        "content/articles/odd.md",
        "---\ntitle: \"Odd \\uFFFE title \\uFFFF & <more>\"\ndate: 2026-11-30\nsummary: \"a \\u0001 b\"\n---\n\
         Body \u{fffe} with \u{ffff} and \u{b} <b>bold</b> & ]]> done.\n",
    );
    let run = run_bounded(&site, &["build"], LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for file in ["public/atom.xml", "public/sitemap.xml"] {
        let text = site.read(file);
        if let Err(e) = roxmltree::Document::parse(&text) {
            panic!("{file} is not well-formed: {e}\n{text}");
        }
    }
    let atom = site.read("public/atom.xml");
    let doc = roxmltree::Document::parse(&atom).unwrap();
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert!(titles.contains(&"Odd  title  & <more>"), "{titles:?}");
}

// 15. An unclosed bracket used to be reported where the parser gave up.
#[test]
fn an_unclosed_bracket_is_reported_where_it_opens() {
    let site = Site::fixture("basic");
    site.write(
        "site.yaml",
        "title: Fixture guide\nbase_url: https://fixture.example/\nfacets: [\n  { field: level, kind: choice }\ncolumns: [acronym, name]\n",
    );
    let run = failing(&site, &["build"]);
    run.assert_error("site.yaml:3:9", "this bracket `[` is never closed");
}

// 16. A file name with a line break used to split a diagnostic over two lines.
#[test]
fn control_characters_in_file_names_are_escaped() {
    let site = Site::fixture("basic");
    site.write("content/articles/bad\nname.md", "---\ntitle: x\n---\n");
    let run = failing(&site, &["build"]);
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains("bad\\nname.md"))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(
        line.starts_with("content/articles/bad\\nname.md:1:1: error: "),
        "{line}"
    );
}

// 17. Output-stage errors used to print `PATH: error:` in build but `PATH:1:1:` in serve.
#[test]
fn output_errors_have_the_one_diagnostic_format() {
    let site = Site::fixture("basic");
    // A file where the output folder's parent must be.
    site.write("blocker", "a file");
    let out = site.path("blocker/public");
    let run = run_bounded(&site, &["build", "--output", out.to_str().unwrap()], LIMIT);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = run.errors()[0];
    let (path, rest) = line
        .split_once(":1:1: error: ")
        .unwrap_or_else(|| panic!("{line}"));
    assert!(path.ends_with("blocker"), "{line}");
    assert!(rest.starts_with("cannot create folder"), "{line}");
}

// 1. The property: whatever finite numbers a record holds, `check` (which renders every
// page, the chart included) ends within a bounded time with pages or diagnostics, and
// never panics.
mod arbitrary_numbers {
    use super::*;
    use proptest::prelude::*;

    fn number() -> impl Strategy<Value = f64> {
        prop_oneof![
            Just(f64::MAX),
            Just(-f64::MAX),
            Just(f64::MIN_POSITIVE),
            Just(5e-324),
            Just(0.0),
            Just(-0.0),
            Just(1e-3),
            Just(100.0),
            any::<f64>().prop_filter("finite", |v| v.is_finite()),
            (0.0..2e5f64),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
        #[test]
        fn records_with_any_finite_numbers_check_or_fail_cleanly(
            nums in proptest::collection::vec(number(), 8)
        ) {
            let site = shared_site();
            let yaml = format!(
                "name: Prop\nacronym: PRP\ncost: {{ amount: {:?} }}\n\
                 effort: {{ hours: {:?}, weeks: {:?} }}\n\
                 exam: {{ questions: {:?}, minutes: {:?} }}\nexperience_years: {:?}\n\
                 renewal: {{ every_years: {:?} }}\nextra: {{ n: {:?} }}\n",
                nums[0], nums[1], nums[2], nums[3], nums[4], nums[5], nums[6], nums[7]
            );
            let root = site.root().to_path_buf();
            std::fs::write(root.join("content/certifications/prop.yaml"), &yaml).unwrap();
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let result = std::panic::catch_unwind(|| {
                    certguide::check(&root, &certguide::LoadOptions::default())
                });
                let _ = tx.send(result);
            });
            let result = rx
                .recv_timeout(Duration::from_secs(20))
                .unwrap_or_else(|_| panic!("check did not finish within 20 s on\n{yaml}"));
            match result {
                Err(_) => panic!("check panicked on\n{yaml}"),
                Ok(Ok(_)) => {}
                Ok(Err(diags)) => {
                    prop_assert!(!diags.is_empty());
                    for d in &diags {
                        prop_assert!(
                            d.path.ends_with("prop.yaml") && d.line >= 3,
                            "unexpected diagnostic {d} on\n{yaml}"
                        );
                    }
                }
            }
        }
    }

    /// One fixture site for every case (copying the theme per case would dominate).
    fn shared_site() -> &'static Site {
        static SITE: std::sync::OnceLock<Site> = std::sync::OnceLock::new();
        SITE.get_or_init(|| Site::fixture("basic"))
    }
}
