//! Snapshots of rendered pages and data files of the basic fixture. A change to the theme
//! or to the views shows up here as a diff to review (`cargo insta review`, or set
//! `INSTA_UPDATE=always` and inspect `git diff`).

mod common;

use common::Site;

fn built() -> Site {
    Site::built("basic")
}

#[test]
fn rendered_pages() {
    let site = built();
    for (name, rel) in [
        ("home", "public/index.html"),
        (
            "certification_full",
            "public/certifications/alpha/index.html",
        ),
        (
            "certification_sparse",
            "public/certifications/gamma/index.html",
        ),
        ("article", "public/articles/roi/index.html"),
        ("articles_index", "public/articles/index.html"),
        ("page", "public/about/index.html"),
        ("compare", "public/compare/index.html"),
        ("search", "public/search/index.html"),
    ] {
        insta::assert_snapshot!(name, site.read(rel));
    }
}

#[test]
fn data_files() {
    let site = built();
    let json: serde_json::Value =
        serde_json::from_str(&site.read("public/data/certifications.json")).expect("JSON");
    insta::assert_snapshot!(
        "certifications_json",
        serde_json::to_string_pretty(&json).expect("pretty")
    );
    insta::assert_snapshot!(
        "certifications_csv",
        site.read("public/data/certifications.csv")
    );
    let search: serde_json::Value =
        serde_json::from_str(&site.read("public/data/search.json")).expect("JSON");
    insta::assert_snapshot!(
        "search_json",
        serde_json::to_string_pretty(&search).expect("pretty")
    );
    insta::assert_snapshot!("sitemap", site.read("public/sitemap.xml"));
    insta::assert_snapshot!("atom", site.read("public/atom.xml"));
}
