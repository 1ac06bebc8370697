//! Every way content could smuggle script into a page: raw HTML in markdown (articles,
//! pages, record summaries, pros and cons), `javascript:` and `data:` links, and values from
//! records, front matter and site.yaml that reach templates. Raw HTML is sanitised unless
//! site.yaml says `allow_raw_html: true`; every other value is escaped or refused.

mod common;

use common::Site;

/// The tags of `html` (real ones: `<...>`, not escaped `&lt;...&gt;` text).
fn tags(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

/// A tag with its quoted attribute values blanked out, and the values of `href`/`src`.
fn split_tag(tag: &str) -> (String, Vec<String>) {
    let mut names = String::new();
    let mut urls = Vec::new();
    let mut chars = tag.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '"' || c == '\'' {
            let start = i + 1;
            let mut end = tag.len();
            for (j, d) in chars.by_ref() {
                if d == c {
                    end = j;
                    break;
                }
            }
            let before = names.trim_end().to_ascii_lowercase();
            if before.ends_with("href=") || before.ends_with("src=") {
                urls.push(tag[start..end].to_string());
            }
            names.push_str("\"\"");
        } else {
            names.push(c);
        }
    }
    (names.to_ascii_lowercase(), urls)
}

/// Asserts no tag of the page runs script from content.
fn assert_no_script_from_content(html: &str, what: &str) {
    for tag in tags(html) {
        let (names, urls) = split_tag(tag);
        assert!(
            !names.starts_with("<script>"),
            "{what}: inline script tag {tag}"
        );
        for bad in [
            " onerror",
            " onload",
            " onclick",
            " onmouseover",
            "<iframe",
            "<object",
            "<embed",
            "<style",
        ] {
            assert!(!names.contains(bad), "{what}: `{bad}` in tag {tag}");
        }
        for url in urls {
            let squashed: String = url.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(
                !squashed.to_ascii_lowercase().starts_with("javascript:"),
                "{what}: javascript URL in {tag}"
            );
        }
    }
}

const RAW: &str = "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n\
<a href=\"javascript:alert(3)\">click</a> <iframe src=\"https://evil.example\"></iframe>\n\n\
<div onmouseover=\"alert(4)\" style=\"background:url(javascript:alert(5))\">hover</div>\n\n\
<object data=\"x.swf\"></object><embed src=\"x.swf\"><style>body{display:none}</style>\n";

#[test]
fn raw_html_in_markdown_is_sanitised_everywhere() {
    let site = Site::fixture("basic");
    site.write(
        "content/articles/policy.md",
        format!(
            "---\ntitle: Policy\ndate: 2026-11-10\n---\n\n## Kept heading\n\n{RAW}\nText after.\n"
        ),
    );
    site.write(
        "content/pages/about.md",
        format!("---\ntitle: About\n---\n\n{RAW}"),
    );
    site.write(
        "content/certifications/gamma.yaml",
        "name: Gamma\nacronym: GSB\nsummary: \"Hi <script>alert(6)</script><img src=x onerror=alert(7)>\"\n\
         pros: [\"<b onclick=alert(8)>bold</b>\"]\ncons: [\"<a href='javascript:alert(9)'>x</a>\"]\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in [
        "public/articles/policy/index.html",
        "public/about/index.html",
        "public/certifications/gamma/index.html",
        "public/index.html",
    ] {
        assert_no_script_from_content(&site.read(page), page);
    }
    let article = site.read("public/articles/policy/index.html");
    assert!(
        article.contains("<h2 id=\"kept-heading\">"),
        "markdown's own HTML was lost"
    );
    assert!(article.contains("Text after."));
    assert!(
        article.contains(">hover</div>"),
        "harmless raw HTML was dropped"
    );
    let gamma = site.read("public/certifications/gamma/index.html");
    assert!(
        gamma.contains("<b>bold</b>"),
        "harmless markup in a pro was dropped"
    );
    // The feed carries article HTML too, escaped as text.
    let atom = site.read("public/atom.xml");
    assert!(!atom.contains("<script"), "raw script in the feed");
}

#[test]
fn allow_raw_html_keeps_it_as_written() {
    let site = Site::fixture("basic");
    site.configure("allow_raw_html: true");
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\n\n<div class=\"widget\" data-x=\"1\"><script>window.trusted = 1</script></div>\n",
    );
    assert_eq!(site.build().code, 0);
    let page = site.read("public/about/index.html");
    assert!(page.contains("<script>window.trusted = 1</script>"));
    assert!(page.contains("data-x=\"1\""));
}

#[test]
fn unsafe_link_schemes_fail_the_build() {
    for (rel, text, at) in [
        (
            "content/pages/about.md",
            "---\ntitle: A\n---\n[x](JaVaScRiPt:alert(1))\n",
            "content/pages/about.md:4:5",
        ),
        (
            "content/pages/about.md",
            "---\ntitle: A\n---\n![x](data:text/html;base64,PHNjcmlwdD4=)\n",
            "content/pages/about.md:4:6",
        ),
        (
            "content/pages/about.md",
            "---\ntitle: A\n---\n<vbscript:msgbox(1)>\n",
            "content/pages/about.md:4:",
        ),
        (
            "content/certifications/gamma.yaml",
            "name: G\nacronym: GSB\nprovider: { name: P, url: \"javascript:alert(1)\" }\n",
            "content/certifications/gamma.yaml:3:",
        ),
        (
            "content/certifications/gamma.yaml",
            "name: G\nacronym: GSB\nsummary: \"[x](javascript:alert(1))\"\n",
            "content/certifications/gamma.yaml:3:",
        ),
        (
            "site.yaml",
            "title: T\nedit_url: \"javascript:alert(1)\"\n",
            "site.yaml:2:",
        ),
    ] {
        let site = Site::fixture("basic");
        site.write(rel, text);
        let run = site.build();
        assert_eq!(run.code, 1, "{rel}: {text}\n{}", run.stderr);
        assert!(
            run.errors()
                .iter()
                .any(|l| l.starts_with(at) && l.contains("unsafe URL scheme")),
            "expected an unsafe-scheme error at {at}:\n{}",
            run.stderr
        );
    }
}

#[test]
fn values_reaching_templates_are_escaped() {
    let site = Site::fixture("basic");
    let evil = "<script>alert(1)</script>\\\" onmouseover=\\\"alert(2)";
    site.write(
        "site.yaml",
        format!("title: \"{evil}\"\ndescription: \"{evil}\"\n"),
    );
    site.write(
        "content/certifications/gamma.yaml",
        format!(
            "name: \"{evil}\"\nacronym: \"G{evil}\"\nprovider: {{ name: \"{evil}\" }}\naudience: [\"{evil}\"]\n\
             skills: [\"{evil}\"]\nprerequisites: [\"{evil}\"]\ncost: {{ amount: 5, currency: USD, note: \"{evil}\" }}\n\
             renewal: {{ requirement: \"{evil}\" }}\nextra: {{ \"{evil}\": \"{evil}\" }}\n"
        ),
    );
    site.write(
        "content/articles/policy.md",
        format!(
            "---\ntitle: \"{evil}\"\ndate: 2026-11-10\nsummary: \"{evil}\"\ntags: [\"{evil}\"]\ncertifications: [gamma]\n---\nBody.\n"
        ),
    );
    // A currency is three capital letters (anything else is an error before any template
    // sees it); a source's title is free text.
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in [
        "public/index.html",
        "public/certifications/gamma/index.html",
        "public/articles/policy/index.html",
        "public/articles/index.html",
        "public/compare/index.html",
        "public/404.html",
    ] {
        let html = site.read(page);
        assert_no_script_from_content(&html, page);
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
                || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{page}: the value should appear, escaped"
        );
    }
}
