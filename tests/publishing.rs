//! The publishing features every guide expects (DESIGN.md Part 2): tag and category pages,
//! paginated lists of articles, and aliases that redirect old addresses.

mod common;

use common::Site;

/// Replaces the fixture's articles with `n` generated ones, all tagged `bulk` and in the
/// category `guide`, dated one day apart (article 1 newest).
fn with_articles(site: &Site, n: usize) {
    for name in ["roi.md", "policy.md"] {
        let _ = std::fs::remove_file(site.path(&format!("content/articles/{name}")));
    }
    // The records' summaries link to the ROI article; they lose the link.
    let alpha = site.read("content/certifications/alpha.yaml");
    site.write(
        "content/certifications/alpha.yaml",
        alpha.replace(" See [the ROI article](../articles/roi.md#payback).", ""),
    );
    let about = site.read("content/pages/about.md");
    site.write("content/pages/about.md", about);
    for i in 1..=n {
        let day = 1_000 - i;
        let date = format!("2024-{:02}-{:02}", 1 + (day / 28) % 12, 1 + day % 28);
        let year = 2020 + (day / (28 * 12));
        site.write(
            &format!("content/articles/a{i:03}.md"),
            format!(
                "---\ntitle: Article {i}\ndate: {}\ncategory: guide\ntags: [bulk]\n---\nBody {i}.\n",
                date.replacen("2024", &year.to_string(), 1)
            ),
        );
    }
}

fn built(site: &Site) {
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// The `<li>` entries of a list page's articles.
fn entries(html: &str) -> usize {
    html.matches("<li class=\"article-item\">").count()
}

#[test]
fn tags_and_categories_lead_to_their_pages() {
    let site = Site::fixture("publishing");
    built(&site);
    // The tags page: every tag, once per slug (`Budget` and `budget` are one tag).
    let tags = site.read("public/tags/index.html");
    assert!(
        tags.contains(r#"<a href="/tags/budget/">Budget <span class="count">(2)</span></a>"#),
        "{tags}"
    );
    assert!(
        tags.contains(r#"<a href="/tags/tuition/">tuition <span class="count">(1)</span></a>"#)
    );
    // A tag's page lists its articles, newest first.
    let budget = site.read("public/tags/budget/index.html");
    assert_eq!(entries(&budget), 2);
    let (roi, policy) = (
        budget.find("/articles/roi/").unwrap(),
        budget.find("/articles/policy/").unwrap(),
    );
    assert!(roi < policy, "newest first");
    // A category's page lists the articles in it.
    let category = site.read("public/categories/policy/index.html");
    assert_eq!(entries(&category), 1);
    assert!(category.contains("Tuition policy"));
    // Articles link their tags and category there.
    let article = site.read("public/articles/policy/index.html");
    assert!(
        article.contains(r#"<a class="tag" href="/tags/budget/">Budget</a>"#),
        "{article}"
    );
    assert!(article.contains(r#"<li><a href="/categories/policy/">Policy</a></li>"#));
    let list = site.read("public/articles/index.html");
    assert!(list.contains(r#"href="/categories/roi/">ROI</a>"#));
    // The sitemap lists them.
    let sitemap = site.read("public/sitemap.xml");
    for url in [
        "tags/",
        "tags/budget/",
        "tags/tuition/",
        "categories/roi/",
        "categories/policy/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>https://fixture.example/{url}</loc>")),
            "{url}"
        );
    }
    // `check` crawls them: a broken link on a tag page would fail it.
    let run = site.check();
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn pagination_boundaries() {
    for (n, pages) in [(0, 1), (1, 1), (50, 1), (51, 2)] {
        let site = Site::fixture("publishing");
        with_articles(&site, n);
        built(&site);
        let first = site.read("public/articles/index.html");
        assert_eq!(entries(&first), n.min(50), "{n} articles");
        let second = site.path("public/articles/page/2/index.html");
        assert_eq!(second.is_file(), pages == 2, "{n} articles");
        assert!(
            !site.path("public/articles/page/1/index.html").exists(),
            "page 1 is the list"
        );
        if pages == 1 {
            assert!(!first.contains("rel=\"next\""), "{n}");
            assert!(!first.contains("aria-label=\"Pages\""), "{n}");
        } else {
            assert!(first.contains(r#"<link rel="next" href="/articles/page/2/">"#));
            assert!(first.contains(r#"<a href="/articles/page/2/" rel="next">"#));
            assert!(!first.contains("rel=\"prev\""));
            let second = site.read("public/articles/page/2/index.html");
            assert_eq!(entries(&second), 1);
            assert!(second.contains("Article 51"), "the oldest is last");
            assert!(second.contains(r#"<link rel="prev" href="/articles/">"#));
            assert!(!second.contains("rel=\"next\""));
            assert!(second.contains(r#"<a href="/articles/page/2/" aria-current="page">"#));
            assert!(second.contains(
                r#"<link rel="canonical" href="https://fixture.example/articles/page/2/">"#
            ));
            // The tag and the category continue the same way.
            let tag = site.read("public/tags/bulk/page/2/index.html");
            assert!(tag.contains(r#"<link rel="prev" href="/tags/bulk/">"#));
            assert!(
                site.path("public/categories/guide/page/2/index.html")
                    .is_file()
            );
            let sitemap = site.read("public/sitemap.xml");
            assert!(sitemap.contains("<loc>https://fixture.example/articles/page/2/</loc>"));
            assert!(sitemap.contains("<loc>https://fixture.example/tags/bulk/page/2/</loc>"));
        }
        let tag = site.path("public/tags/bulk/index.html");
        assert_eq!(
            tag.is_file(),
            n > 0,
            "{n}: a tag exists once an article has it"
        );
        let run = site.check();
        assert_eq!(run.code, 0, "{n}: {}", run.stderr);
    }
}

#[test]
fn articles_per_page_comes_from_site_yaml() {
    let site = Site::fixture("publishing");
    with_articles(&site, 5);
    let config = site.read("site.yaml");
    site.write("site.yaml", format!("{config}articles_per_page: 2\n"));
    built(&site);
    assert!(site.path("public/articles/page/3/index.html").is_file());
    assert!(!site.path("public/articles/page/4/index.html").exists());
    let third = site.read("public/articles/page/3/index.html");
    assert_eq!(entries(&third), 1);
    // Page numbers around the current one.
    assert!(
        third.contains(r#"<a href="/articles/">Page 1</a>"#),
        "{third}"
    );
    site.write("site.yaml", format!("{config}articles_per_page: 0\n"));
    let run = site.build();
    assert_eq!(run.code, 1);
    let line = config.lines().count() + 1;
    run.assert_error(
        &format!("site.yaml:{line}:20"),
        "`articles_per_page` must be a whole number",
    );
}

#[test]
fn slugs_that_collide_with_list_pages_are_errors() {
    let site = Site::fixture("publishing");
    site.write(
        "content/articles/page.md",
        "---\ntitle: Page\ndate: 2026-01-01\n---\nx\n",
    );
    site.write("content/pages/tags.md", "---\ntitle: Tags\n---\nx\n");
    site.write(
        "content/pages/categories.md",
        "---\ntitle: Categories\n---\nx\n",
    );
    site.write(
        "content/articles/odd.md",
        "---\ntitle: Odd\ndate: 2026-01-01\ntags: [ok, \"?!\"]\n---\nx\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    run.assert_error(
        "content/articles/page.md:1:1",
        "an article cannot be named `page`",
    );
    run.assert_error("content/pages/tags.md:1:1", "a page cannot be named `tags`");
    run.assert_error(
        "content/pages/categories.md:1:1",
        "a page cannot be named `categories`",
    );
    run.assert_error(
        "content/articles/odd.md:4:12",
        "the tag `?!` has no letter or digit",
    );
}

#[test]
fn aliases_write_redirect_pages_listed_nowhere_else() {
    let site = Site::fixture("publishing");
    built(&site);
    for (alias, target) in [
        (
            "certifications/old-alpha/index.html",
            "/certifications/alpha/",
        ),
        ("accm.html", "/certifications/alpha/"),
        ("articles/tuition/index.html", "/articles/policy/"),
        ("about-us/index.html", "/about/"),
    ] {
        let html = site.read(&format!("public/{alias}"));
        assert!(
            html.contains(&format!(
                r#"<meta http-equiv="refresh" content="0; url={target}">"#
            )),
            "{alias}: {html}"
        );
        assert!(
            html.contains(&format!(
                r#"<link rel="canonical" href="https://fixture.example{target}">"#
            )),
            "{alias}"
        );
        assert!(html.contains(&format!(r#"<a href="{target}">"#)), "{alias}");
    }
    let sitemap = site.read("public/sitemap.xml");
    let search = site.read("public/data/search.json");
    for old in ["old-alpha", "accm.html", "articles/tuition", "about-us"] {
        assert!(!sitemap.contains(old), "{old} in the sitemap");
        assert!(!search.contains(old), "{old} in the search index");
    }
    let data = site.read("public/data/certifications.json");
    assert!(
        !data.contains("old-alpha"),
        "aliases are not published data"
    );
    let run = site.check();
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn alias_collisions_are_errors_at_the_alias() {
    let site = Site::fixture("publishing");
    // Line 6 of the policy article: `aliases: [articles/tuition/]`.
    site.write(
        "content/articles/policy.md",
        site.read("content/articles/policy.md").replace(
            "aliases: [articles/tuition/]",
            "aliases: [articles/roi/, /about-us, ../up, tags/]",
        ),
    );
    site.write("static/moved.html", "a static file");
    let gamma = site.read("content/certifications/gamma.yaml");
    site.write(
        "content/certifications/gamma.yaml",
        format!("{gamma}aliases: [moved.html]\n"),
    );
    let line = gamma.lines().count() + 1;
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_error(
        "content/articles/policy.md:6:11",
        "the alias `articles/roi/` is the address of a page",
    );
    // The second of two aliases of one address is the error, naming the first.
    run.assert_error(
        "content/pages/about.md:4:11",
        "the alias `about-us` is already an alias at content/articles/policy.md:6:26",
    );
    run.assert_error("content/articles/policy.md:6:37", "`../up` is not an alias");
    run.assert_error(
        "content/articles/policy.md:6:44",
        "the alias `tags/` is the address of a page",
    );
    run.assert_error(
        &format!("content/certifications/gamma.yaml:{line}:11"),
        "the static file `static/moved.html`",
    );
    assert!(!site.path("public").exists(), "nothing written");
}
