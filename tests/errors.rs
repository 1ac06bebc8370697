//! One test per class of bad input: each must end in a `PATH:LINE:COL: error: ...` line at
//! the right place, exit code 1, and no output written. Sites start from the `basic`
//! fixture; each test breaks one thing.

mod common;

use common::Site;

/// Builds, expects failure, and checks that nothing was written.
fn failing_build(site: &Site) -> common::Run {
    let run = site.build();
    assert_eq!(run.code, 1, "build should fail; stderr:\n{}", run.stderr);
    assert!(
        !site.path("public").exists(),
        "a failed build wrote public/"
    );
    run
}

#[test]
fn the_fixture_itself_builds_cleanly() {
    let site = Site::fixture("basic");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.errors().is_empty());
}

#[test]
fn unknown_key_points_at_the_key_and_suggests_the_right_one() {
    let site = Site::fixture("basic");
    site.write(
        "content/certifications/beta.yaml",
        "name: Beta\nacronym: BQA\ncost:\n  amount: 300\n  curency: USD\n",
    );
    let run = failing_build(&site);
    run.assert_error(
        "content/certifications/beta.yaml:5:3",
        "unknown key `curency`; did you mean `currency`?",
    );
}

#[test]
fn unknown_front_matter_key_counts_lines_from_the_top_of_the_file() {
    let site = Site::fixture("basic");
    site.write(
        "content/articles/policy.md",
        "---\ntitle: Tuition policy\ndate: 2026-11-10\ncategroy: policy\n---\nBody.\n",
    );
    let run = failing_build(&site);
    run.assert_error("content/articles/policy.md:4:1", "did you mean `category`?");
}

#[test]
fn missing_required_fields() {
    let site = Site::fixture("basic");
    site.write("content/certifications/gamma.yaml", "name: Gamma\n");
    site.write(
        "content/articles/policy.md",
        "---\ntitle: No date\n---\nBody.\n",
    );
    let run = failing_build(&site);
    run.assert_error(
        "content/certifications/gamma.yaml:1:1",
        "missing required key `acronym`",
    );
    run.assert_error(
        "content/articles/policy.md:2:1",
        "missing required key `date`",
    );
}

#[test]
fn wrong_types() {
    let site = Site::fixture("basic");
    site.write(
        "content/certifications/beta.yaml",
        "name: Beta\nacronym: BQA\ncost:\n  amount: lots\n",
    );
    site.write(
        "content/certifications/gamma.yaml",
        "name: Gamma\nacronym: GSB\nskills: forecasting\n",
    );
    let run = failing_build(&site);
    run.assert_error("content/certifications/beta.yaml:4:11", "");
    run.assert_error("content/certifications/gamma.yaml:3:9", "expected a list");
}

#[test]
fn invalid_dates() {
    let site = Site::fixture("basic");
    site.write(
        "content/certifications/gamma.yaml",
        "name: Gamma\nacronym: GSB\nverified: 2026-02-30\n",
    );
    site.write(
        "content/articles/policy.md",
        "---\ntitle: Tuition policy\ndate: 20 Nov 2026\n---\nBody.\n",
    );
    let run = failing_build(&site);
    run.assert_error(
        "content/certifications/gamma.yaml:3:11",
        "February 2026 has 28 days",
    );
    run.assert_error("content/articles/policy.md:3:7", "write it as YYYY-MM-DD");
}

#[test]
fn invalid_values() {
    let site = Site::fixture("basic");
    site.write(
        "content/certifications/gamma.yaml",
        "name: Gamma\nacronym: GSB\nlevel: profesional\ncost: { amount: -3 }\n",
    );
    site.write(
        "content/articles/policy.md",
        "---\ntitle: Tuition policy\ndate: 2026-11-10\ncategory: polcy\n---\nBody.\n",
    );
    let run = failing_build(&site);
    run.assert_error(
        "content/certifications/gamma.yaml:3:8",
        "did you mean `professional`?",
    );
    run.assert_error(
        "content/certifications/gamma.yaml:4:17",
        "must be a number from zero to",
    );
    run.assert_error("content/articles/policy.md:4:11", "did you mean `policy`?");
}

#[test]
fn duplicate_acronyms_name_both_files() {
    let site = Site::fixture("basic");
    site.write(
        "content/certifications/delta.yaml",
        "name: Delta\nacronym: accm\n",
    );
    let run = failing_build(&site);
    run.assert_error(
        "content/certifications/delta.yaml:2:10",
        "duplicate acronym `accm`: content/certifications/alpha.yaml:2:10 uses it already",
    );
}

#[test]
fn duplicate_ids_name_both_files() {
    let site = Site::fixture("basic");
    site.write(
        "content/certifications/more/beta.yaml",
        "name: Other Beta\nacronym: OB\n",
    );
    let run = failing_build(&site);
    let line = run
        .errors()
        .into_iter()
        .find(|l| l.contains("duplicate certification id `beta`"))
        .unwrap_or_else(|| panic!("no duplicate id error:\n{}", run.stderr))
        .to_string();
    assert!(line.contains("content/certifications/beta.yaml"), "{line}");
    assert!(
        line.contains("content/certifications/more/beta.yaml"),
        "{line}"
    );
}

#[test]
fn related_certifications_must_exist() {
    let site = Site::fixture("basic");
    site.write(
        "content/articles/policy.md",
        "---\ntitle: Tuition policy\ndate: 2026-11-10\ncertifications: [gamma, alpah]\n---\nBody.\n",
    );
    let run = failing_build(&site);
    run.assert_error(
        "content/articles/policy.md:4:25",
        "no certification with id `alpah`; did you mean `alpha`?",
    );
}

#[test]
fn facets_and_columns_must_name_record_fields() {
    let site = Site::fixture("basic");
    site.write(
        "site.yaml",
        "title: T\nfacets:\n  - { field: audeince, kind: tags }\n  - { field: cost.amount, kind: tags }\ncolumns: [acronym, cost.amout]\n",
    );
    let run = failing_build(&site);
    run.assert_error("site.yaml:3:14", "did you mean `audience`?");
    run.assert_error("site.yaml:4:14", "use `kind: range` for a numeric field");
    run.assert_error("site.yaml:5:20", "did you mean `cost.amount`?");
}

#[test]
fn links_to_missing_sources_and_anchors() {
    let site = Site::fixture("basic");
    site.write(
        "content/articles/policy.md",
        "---\ntitle: Tuition policy\ndate: 2026-11-10\n---\n\nSee [x](missing.md) and\n[pay](roi.md#paybak) and [top](#nowhere).\n",
    );
    let run = failing_build(&site);
    run.assert_error(
        "content/articles/policy.md:6:9",
        "broken link `missing.md`: there is no file content/articles/missing.md",
    );
    run.assert_error(
        "content/articles/policy.md:7:7",
        "has no anchor `#paybak`; did you mean `payback`?",
    );
    run.assert_error("content/articles/policy.md:7:32", "`#nowhere`");
}

#[test]
fn record_pages_have_fixed_anchors() {
    let site = Site::fixture("basic");
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\n\n[ok](../certifications/gamma.yaml#pros-cons) [bad](../certifications/gamma.yaml#costs)\n",
    );
    let run = failing_build(&site);
    assert_eq!(run.errors().len(), 1, "{}", run.stderr);
    run.assert_error("content/pages/about.md:5:52", "has no anchor `#costs`");
}

#[test]
fn unsafe_url_schemes_are_refused() {
    let site = Site::fixture("basic");
    site.write(
        "content/certifications/gamma.yaml",
        "name: Gamma\nacronym: GSB\nurl: \"javascript:alert(1)\"\n",
    );
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\n\n[click](javascript:alert(1))\n",
    );
    let run = failing_build(&site);
    run.assert_error(
        "content/certifications/gamma.yaml:3:6",
        "unsafe URL scheme `javascript:`",
    );
    run.assert_error("content/pages/about.md:5:9", "unsafe URL scheme");
}

#[test]
fn malformed_yaml() {
    let site = Site::fixture("basic");
    site.write(
        "content/certifications/gamma.yaml",
        "name: Gamma\nacronym: [GSB\nlevel: expert\n",
    );
    let run = failing_build(&site);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with("content/certifications/gamma.yaml:2:"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_and_unclosed_front_matter() {
    let site = Site::fixture("basic");
    site.write("content/articles/policy.md", "# Just a heading\n");
    site.write("content/pages/about.md", "---\ntitle: About\n\nBody\n");
    let run = failing_build(&site);
    run.assert_error("content/articles/policy.md:1:1", "missing front matter");
    run.assert_error("content/pages/about.md:1:1", "not closed");
}

#[test]
fn invalid_utf8_points_at_the_bad_byte() {
    let site = Site::fixture("basic");
    site.write(
        "content/certifications/gamma.yaml",
        b"name: Gamma\nacronym: G\xffSB\n".as_slice(),
    );
    let run = failing_build(&site);
    run.assert_error("content/certifications/gamma.yaml:2:11", "invalid UTF-8");
}

#[test]
fn files_over_the_size_limit_are_refused() {
    let site = Site::fixture("basic");
    let mut big = String::from("---\ntitle: Big\ndate: 2026-11-10\n---\n");
    big.push_str(&"word ".repeat(2_300_000));
    site.write("content/articles/big.md", big);
    let run = failing_build(&site);
    run.assert_error("content/articles/big.md:1:1", "file is too large");
}

#[test]
fn yaml_alias_bombs_are_refused() {
    let site = Site::fixture("basic");
    let mut text =
        String::from("name: Bomb\nacronym: BMB\nextra:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (prev, c) in "abcdefgh".chars().zip("bcdefghi".chars()) {
        let refs = vec![format!("*{prev}"); 10].join(", ");
        text.push_str(&format!("  {c}: &{c} [{refs}]\n"));
    }
    site.write("content/certifications/bomb.yaml", text);
    let start = std::time::Instant::now();
    let run = failing_build(&site);
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    let errors = run.errors();
    assert!(
        errors
            .iter()
            .any(|l| l.starts_with("content/certifications/bomb.yaml:") && l.contains("too large")),
        "{}",
        run.stderr
    );
}

#[test]
fn deep_nesting_is_refused() {
    let site = Site::fixture("basic");
    let text = format!(
        "name: Deep\nacronym: DP\nextra:\n  x: {}{}\n",
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    site.write("content/certifications/deep.yaml", text);
    let run = failing_build(&site);
    assert!(
        run.errors()
            .iter()
            .any(|l| l.starts_with("content/certifications/deep.yaml:4:")),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported() {
    let site = Site::fixture("basic");
    std::os::unix::fs::symlink("..", site.path("content/articles/loop")).expect("symlink");
    let run = failing_build(&site);
    run.assert_error("content/articles/loop:1:1", "symbolic link loop");
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_reported() {
    let site = Site::fixture("basic");
    // A dangling link: readable by no one, root included.
    std::os::unix::fs::symlink(
        "nowhere.yaml",
        site.path("content/certifications/dangling.yaml"),
    )
    .expect("symlink");
    let run = failing_build(&site);
    assert!(
        run.errors()
            .iter()
            .any(|l| l.starts_with("content/certifications/dangling.yaml:1:1: error: cannot read")),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_does_not_hang_the_build() {
    let site = Site::fixture("basic");
    let fifo = site.path("content/articles/pipe.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.map(|s| s.success()).unwrap_or(false) {
        eprintln!("skipped: mkfifo not available");
        return;
    }
    let run = failing_build(&site);
    run.assert_error("content/articles/pipe.md:1:1", "not a regular file");
}

#[test]
fn template_errors_name_the_template_file_and_line() {
    let site = Site::fixture("basic");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title }</h1>\n{% endblock main %}\n",
    );
    let run = failing_build(&site);
    let errors = run.errors();
    assert!(
        errors
            .iter()
            .any(|l| l.starts_with("templates/page.html:3:")),
        "{}",
        run.stderr
    );
}

#[test]
fn every_broken_template_is_reported_and_a_missing_include_too() {
    let site = Site::fixture("basic");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title }</h1>\n{% endblock main %}\n",
    );
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{% if %}\n{% endblock main %}\n",
    );
    let run = failing_build(&site);
    let errors = run.errors();
    for file in ["templates/page.html:3:", "templates/404.html:3:"] {
        assert!(
            errors.iter().any(|l| l.starts_with(file)),
            "{file}\n{}",
            run.stderr
        );
    }
    // Each template parses alone; together they name one that is not there.
    let site = Site::fixture("basic");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{% include \"nowhere.html\" %}\n{% endblock main %}\n",
    );
    let run = failing_build(&site);
    assert!(run.stderr.contains("nowhere.html"), "{}", run.stderr);
}

#[test]
fn template_render_errors_name_the_template() {
    let site = Site::fixture("basic");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ missing_variable.field }}\n{% endblock main %}\n",
    );
    let run = failing_build(&site);
    assert!(
        run.errors()
            .iter()
            .any(|l| l.starts_with("templates/404.html:3:")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_render_error_after_folded_words_is_at_its_column_in_the_file() {
    // `{{ t(key="...") }}` is replaced by its text before the template is parsed: the
    // error's column is still the one of the file as written.
    let site = Site::fixture("basic");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ t(key=\"nav.compare\") }} {{ missing_variable.field }}</p>\n{% endblock main %}\n",
    );
    let run = failing_build(&site);
    run.assert_error("templates/404.html:3:34", "template error");
}

#[test]
fn a_missing_theme_points_at_site_yaml() {
    let site = Site::fixture("basic");
    site.write("site.yaml", "title: T\ntheme: fancy\n");
    let run = failing_build(&site);
    run.assert_error("site.yaml:2:8", "theme `fancy` not found");
}

#[test]
fn themes_dir_and_notice_errors_point_at_their_value() {
    let site = Site::fixture("basic");
    // A themes folder that is not there: at `themes_dir`, naming the folder looked in.
    site.write(
        "site.yaml",
        "title: T\ntheme: default\nthemes_dir: ../nowhere\n",
    );
    let run = failing_build(&site);
    run.assert_error(
        "site.yaml:3:13",
        "theme `default` not found: no folder ../nowhere/default/templates/",
    );
    // The folder is there but lacks the theme: at `theme`, listing what it has.
    site.write("site.yaml", "title: T\ntheme: fancy\nthemes_dir: themes\n");
    let run = failing_build(&site);
    run.assert_error("site.yaml:2:8", "themes available: default");
    site.write("site.yaml", "title: T\nthemes_dir: \"\"\n");
    failing_build(&site).assert_error("site.yaml:2:13", "`themes_dir` is empty");
    // The notice is one line of text.
    site.write("site.yaml", "title: T\nnotice:\n  - Demo\n");
    failing_build(&site).assert_error("site.yaml:3:3", "expected text here");
    site.write("site.yaml", "title: T\nnotice: { text: Demo }\n");
    failing_build(&site).assert_error("site.yaml:2:9", "expected text here");
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let site = Site::fixture("basic");
    site.write(
        "content/certifications/beta.yaml",
        "name: Beta\nacronym: BQA\nlevle: expert\n",
    );
    site.write(
        "content/certifications/gamma.yaml",
        "name: Gamma\nacronym: GSB\nverified: 2026-13-01\n",
    );
    site.write(
        "content/articles/policy.md",
        "---\ntitle: P\ndate: 2026-11-10\ncertifications: [nope]\n---\n[x](gone.md)\n",
    );
    let run = failing_build(&site);
    assert_eq!(run.errors().len(), 4, "{}", run.stderr);
    assert!(run.stderr.contains("4 errors found"));
}

#[test]
fn no_site_yaml() {
    let dir = tempfile::tempdir().expect("tmp");
    let run = common::run_in(dir.path(), &["build"]);
    assert_eq!(run.code, 1);
    run.assert_error("site.yaml:1:1", "is this a certguide site?");
}

#[test]
fn usage_errors_exit_with_2() {
    let dir = tempfile::tempdir().expect("tmp");
    let run = common::run_in(dir.path(), &["build", "--no-such-flag"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = common::run_in(dir.path(), &["frobnicate"]);
    assert_eq!(run.code, 2);
    let run = common::run_in(dir.path(), &["build", "--base-url", "ftp://x.example/"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("not a valid base URL"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_finds_the_same_problems_and_writes_nothing() {
    let site = Site::fixture("basic");
    site.write(
        "content/certifications/gamma.yaml",
        "name: Gamma\nacronym: GSB\nlevel: master\n",
    );
    let run = site.check();
    assert_eq!(run.code, 1);
    run.assert_error(
        "content/certifications/gamma.yaml:3:8",
        "unknown level `master`",
    );
    assert!(!site.path("public").exists());
}

#[test]
fn check_finds_broken_links_in_templates() {
    let site = Site::fixture("basic");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<a href=\"{{ site.base_path }}no-such-page/\">x</a>\n{% endblock main %}\n",
    );
    assert_eq!(site.build().code, 0, "build does not crawl rendered pages");
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.errors()
            .iter()
            .any(|l| l.starts_with("templates/404.html:") && l.contains("no-such-page")),
        "{}",
        run.stderr
    );
}

#[test]
fn template_and_content_errors_are_reported_together() {
    let site = Site::fixture("basic");
    site.write(
        "content/certifications/beta.yaml",
        "name: B\nacronym: BQA\nlevl: x\n",
    );
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ page.title | frobnicate }}\n{% endblock main %}\n",
    );
    let run = failing_build(&site);
    run.assert_error(
        "content/certifications/beta.yaml:3:1",
        "did you mean `level`?",
    );
    run.assert_error(
        "templates/page.html:3:17",
        "template error: Unknown filter `frobnicate`",
    );
}

/// The basic fixture with a content limit of 1 MiB and four articles of 400 KB.
fn site_over_the_content_limit() -> Site {
    let site = Site::fixture("basic");
    site.configure("max_content_mib: 1");
    for i in 0..4 {
        let body = "word ".repeat(80_000);
        site.write(
            &format!("content/articles/big-{i}.md"),
            format!("---\ntitle: Big {i}\ndate: 2026-11-10\n---\n{body}\n"),
        );
    }
    site
}

#[test]
fn total_content_over_the_limit_is_refused() {
    let site = site_over_the_content_limit();
    let run = failing_build(&site);
    let over: Vec<&str> = run
        .errors()
        .into_iter()
        .filter(|l| l.contains("over the 1 MiB limit"))
        .collect();
    assert_eq!(
        over.len(),
        1,
        "exactly one error for the limit:\n{}",
        run.stderr
    );
    assert!(over[0].starts_with("content/articles/big-"), "{}", over[0]);
    assert!(over[0].contains(":1:1: error: "), "{}", over[0]);
}

/// Over the limit, what was read is what the threads reached first: the build says only
/// that, not what a site missing the rest would be wrong about. On one thread the files
/// are read in path order, so the article that names a record is read and the records,
/// after the big articles, are not: this failed with "no certification with id `alpha`".
#[test]
fn content_over_the_limit_is_the_only_error_whatever_was_read_first() {
    let site = site_over_the_content_limit();
    site.write(
        "content/articles/a-first.md",
        "---\ntitle: First\ndate: 2026-11-10\ncertifications: [alpha]\n---\nHello.\n",
    );
    let run = common::run_env(site.root(), &["build"], &[("RAYON_NUM_THREADS", "1")]);
    assert_eq!(run.code, 1, "build should fail; stderr:\n{}", run.stderr);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "one error:\n{}", run.stderr);
    assert!(errors[0].contains("over the 1 MiB limit"), "{}", errors[0]);
}

#[test]
fn currency_codes_and_rates_are_checked_where_they_are_written() {
    let site = Site::fixture("basic");
    site.write(
        "site.yaml",
        "title: T\ncurrency:\n  base: usd\n  rates: { EUR: 1.08 }\nhorizon_years: 2.5\n",
    );
    let run = failing_build(&site);
    site.write(
        "site.yaml",
        "title: T\ncurrency: { base: USD, as_of: 2026-13-01 }\nhorizon_years: 0\n",
    );
    let dates = failing_build(&site);
    dates.assert_error("site.yaml:2:31", "2026-13-01");
    dates.assert_error("site.yaml:3:16", "from 1 to 100, not 0");
    run.assert_error(
        "site.yaml:3:9",
        "`currency.base` `usd` is not a currency code",
    );
    run.assert_error(
        "site.yaml:5:16",
        "`horizon_years` must be a whole number of years",
    );

    site.write(
        "site.yaml",
        "title: T\ncurrency:\n  base: USD\n  rates: { EUR: 0, Yen: 0.0067, GBP: .inf }\n",
    );
    let run = failing_build(&site);
    run.assert_error(
        "site.yaml:4:17",
        "the rate of EUR must be a positive, finite number",
    );
    run.assert_error(
        "site.yaml:4:20",
        "the rate's currency `Yen` is not a currency code",
    );
    run.assert_error(
        "site.yaml:4:38",
        "the rate of GBP must be a positive, finite number",
    );
    // Values that are not numbers at all get the same message at the value, and the
    // parser does not give up on the line: the code after them is still checked.
    site.write(
        "site.yaml",
        "title: T\ncurrency:\n  base: USD\n  rates: { AUD: \"abc\", SEK: 1e999, Yen: 1 }\n\
         horizon_years: 5\nrequire_sources: false\nextra: { a: 1 }\n",
    );
    let run = failing_build(&site);
    run.assert_error(
        "site.yaml:4:17",
        "the rate of AUD must be a positive, finite number",
    );
    run.assert_error(
        "site.yaml:4:29",
        "the rate of SEK must be a positive, finite number",
    );
    run.assert_error(
        "site.yaml:4:36",
        "the rate's currency `Yen` is not a currency code",
    );
    site.write(
        "site.yaml",
        "title: T\ncurrency:\n  base: USD\n  rates: { AUD: abc, NZD: [1], Yen: 1 }\n",
    );
    let run = failing_build(&site);
    run.assert_error(
        "site.yaml:4:17",
        "the rate of AUD must be a positive, finite number",
    );
    run.assert_error(
        "site.yaml:4:27",
        "the rate of NZD must be a positive, finite number",
    );
    run.assert_error(
        "site.yaml:4:32",
        "the rate's currency `Yen` is not a currency code",
    );

    site.write("site.yaml", "title: T\n");
    site.write(
        "content/certifications/beta.yaml",
        "name: Beta\nacronym: BQA\ncost: { amount: 300, currency: dollars }\n\
         renewal:\n  every_years: 2\n  cost: { amount: 50, currency: us }\n",
    );
    site.write(
        "content/certifications/gamma.yaml",
        "name: Gamma\nacronym: GSB\nrenewal: { cost: { amount: -50 } }\n",
    );
    let run = failing_build(&site);
    run.assert_error(
        "content/certifications/beta.yaml:3:32",
        "`cost.currency` `dollars` is not a currency code",
    );
    run.assert_error(
        "content/certifications/beta.yaml:6:33",
        "`renewal.cost.currency` `us` is not a currency code",
    );
    run.assert_error(
        "content/certifications/gamma.yaml:3:28",
        "`renewal.cost` must be a number from zero",
    );
}

#[test]
fn a_currency_without_a_rate_is_a_warning_at_the_code_and_strict_check_fails() {
    let site = Site::fixture("basic");
    site.write(
        "site.yaml",
        "title: T\ncurrency: { base: USD, rates: { EUR: 1.08 } }\n",
    );
    site.write(
        "content/certifications/beta.yaml",
        "name: Beta\nacronym: BQA\nverified: 2026-11-01\ncost:\n  amount: 300\n  currency: CHF\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.lines().any(|l| l.starts_with(
            "content/certifications/beta.yaml:6:13: warning: currency `CHF` has no rate"
        )),
        "{}",
        run.stderr
    );
    let strict = site.run(&["check", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(
        strict
            .stderr
            .contains("beta.yaml:6:13: warning: currency `CHF`")
    );
}

#[test]
fn mixed_currencies_without_a_currency_block_are_a_warning() {
    let site = Site::fixture("basic");
    // alpha.yaml and beta.yaml are in USD: the yen amount is the odd one out.
    site.write(
        "content/certifications/gamma.yaml",
        "name: Gamma\nacronym: GSB\nverified: 2026-11-01\ncost: { amount: 150000, currency: JPY }\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.lines().any(|l| l.starts_with(
            "content/certifications/gamma.yaml:4:35: warning: currency `JPY` has no rate"
        ) && l.contains("no `currency:` block")),
        "{}",
        run.stderr
    );
    assert_eq!(site.run(&["check", "--strict"]).code, 1);
}

#[test]
fn a_source_covering_no_field_is_an_error_with_a_suggestion() {
    let site = Site::fixture("basic");
    site.write(
        "content/certifications/beta.yaml",
        "name: Beta\nacronym: BQA\nsources:\n  - url: https://beta.example/\n    covers: [exam, renewal.every_year]\n  - url: https://beta.example/2\n    accessed: 2026-02-30\n  - url: \"javascript:alert(1)\"\n",
    );
    let run = failing_build(&site);
    run.assert_error(
        "content/certifications/beta.yaml:5:20",
        "`covers` names `renewal.every_year`, which is no record field or group; did you mean `renewal.every_years`?",
    );
    run.assert_error(
        "content/certifications/beta.yaml:7:15",
        "February 2026 has 28 days",
    );
    run.assert_error("content/certifications/beta.yaml:8:10", "unsafe URL scheme");
}

#[test]
fn quotes_of_unknown_records_and_fields_are_errors_with_suggestions() {
    let site = Site::fixture("basic");
    site.write(
        "content/articles/policy.md",
        "---\ntitle: Policy\ndate: 2026-11-10\n---\nAlpha: {{ fact(\"alpah\", \"cost\") }} and {{ fact(\"alpha\", \"efort.hours\") }}.\n\n\
         {{ compare(\"alpha\", \"bet\", fields=[\"cost\", \"total_cots\"]) }}\n\nBad: {{ fact(\"alpha\") }}\n",
    );
    let run = failing_build(&site);
    run.assert_error(
        "content/articles/policy.md:5:17",
        "no certification with id `alpah`; did you mean `alpha`?",
    );
    run.assert_error(
        "content/articles/policy.md:5:58",
        "no record field `efort.hours`; did you mean `effort.hours`?",
    );
    run.assert_error(
        "content/articles/policy.md:7:22",
        "no certification with id `bet`; did you mean `beta`?",
    );
    run.assert_error(
        "content/articles/policy.md:7:45",
        "no record field `total_cots`; did you mean `total_cost`?",
    );
    run.assert_error(
        "content/articles/policy.md:9:6",
        "`fact` takes a record id and a field",
    );
}
