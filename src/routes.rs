//! Where every output lives: the path a file is written to (relative to the output folder)
//! and the URL it is reached at (carrying the site's base path). No other module spells
//! an output path or URL; the reserved page slugs and the number of files a build writes
//! are derived from the routes here.

use crate::content::Kind;

/// One output of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route<'a> {
    /// The guide's home page: the comparison table.
    Home,
    /// The side-by-side comparison.
    Compare,
    /// A plain list of every certification, linked from the home page: every record is
    /// reachable without JavaScript however long the table.
    AllRecords,
    /// The list of articles.
    Articles,
    /// Where the header's search form lands without JavaScript.
    Search,
    /// The page a static host shows for a missing URL.
    NotFound,
    /// A certification record's page.
    Record(&'a str),
    /// An article's page.
    Article(&'a str),
    /// A free page.
    Page(&'a str),
    /// A machine-readable file.
    Data(DataFile),
    /// One record as `data/certifications.json` publishes it, by id.
    RecordData(&'a str),
    /// A JSON Schema, by file name (`certification.schema.json`).
    Schema(&'a str),
    /// Page N (from 2) of the list of articles; page 1 is [`Route::Articles`].
    ArticlesPage(usize),
    /// Every tag, with how many articles carry it.
    Tags,
    /// Page N (from 1) of the articles with a tag, by the tag's slug.
    Tag(&'a str, usize),
    /// Page N (from 1) of the articles in a category, by the category's name.
    Category(&'a str, usize),
    /// A redirect page at an old address (`aliases:`), by its folder or file as written
    /// (site-relative, no leading `/`: `certifications/old-id/`, `old.html`).
    Alias(&'a str),
}

/// The path segment before a list's page number: `articles/page/2/`.
pub const PAGE_SEGMENT: &str = "page";

/// The machine-readable files every build writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFile {
    CertificationsJson,
    CertificationsCsv,
    SearchIndex,
    /// The home table's index: per record what the filter script needs to filter, sort
    /// and draw its row (the HTML holds only the first rows).
    TableIndex,
    Sitemap,
    Atom,
    /// The theme's words for its scripts (`js.*` of the language file), loaded by every
    /// page: one cached file instead of the same few kilobytes in each page.
    ScriptWords,
}

impl DataFile {
    pub const ALL: [DataFile; 7] = [
        DataFile::CertificationsJson,
        DataFile::CertificationsCsv,
        DataFile::SearchIndex,
        DataFile::TableIndex,
        DataFile::Sitemap,
        DataFile::Atom,
        DataFile::ScriptWords,
    ];

    fn path(self) -> &'static str {
        match self {
            DataFile::CertificationsJson => "data/certifications.json",
            DataFile::CertificationsCsv => "data/certifications.csv",
            DataFile::SearchIndex => "data/search.json",
            DataFile::TableIndex => "data/table.json",
            DataFile::Sitemap => "sitemap.xml",
            DataFile::Atom => "atom.xml",
            DataFile::ScriptWords => "data/words.js",
        }
    }
}

/// The pages every site has, whatever its content.
pub const FIXED_PAGES: [Route<'static>; 7] = [
    Route::Home,
    Route::Compare,
    Route::AllRecords,
    Route::Articles,
    Route::Search,
    Route::NotFound,
    Route::Tags,
];

impl Route<'_> {
    /// The route of the page built from the source of this kind with this id.
    pub fn source(kind: Kind, id: &str) -> Route<'_> {
        match kind {
            Kind::Record => Route::Record(id),
            Kind::Article => Route::Article(id),
            Kind::Page => Route::Page(id),
        }
    }

    /// Where the file is written, relative to the output folder (`/`-separated).
    pub fn path(&self) -> String {
        match self {
            Route::NotFound => "404.html".into(),
            Route::Data(f) => f.path().into(),
            Route::RecordData(id) => ["data/certifications/", id, ".json"].concat(),
            Route::Schema(name) => ["schema/", name].concat(),
            Route::Alias(at) if !at.ends_with('/') => (*at).to_string(),
            folder => folder.dir_in("", "index.html"),
        }
    }

    /// The URL of the file under `base_path` (`/` or `/guides/certs/`): a folder URL
    /// (`.../compare/`) for pages, the file itself otherwise.
    pub fn url(&self, base_path: &str) -> String {
        match self {
            Route::NotFound | Route::Data(_) | Route::RecordData(_) | Route::Schema(_) => {
                [base_path, &self.path()].concat()
            }
            Route::Alias(at) if !at.ends_with('/') => [base_path, at].concat(),
            folder => folder.dir_in(base_path, ""),
        }
    }

    /// The folder of a page, relative to the output folder (empty for the home page),
    /// between `before` and `after`. Made for every page on every `serve` rebuild: one
    /// allocation, no formatting.
    fn dir_in(&self, before: &str, after: &str) -> String {
        let paged = |parts: &[&str], n: usize| {
            if n <= 1 {
                [&[before], parts, &[after]].concat().concat()
            } else {
                let n = n.to_string();
                [&[before], parts, &[PAGE_SEGMENT, "/", &n, "/", after]]
                    .concat()
                    .concat()
            }
        };
        match self {
            Route::Home => [before, after].concat(),
            Route::Compare => [before, "compare/", after].concat(),
            Route::AllRecords => [before, "certifications/", after].concat(),
            Route::Articles => [before, "articles/", after].concat(),
            Route::Search => [before, "search/", after].concat(),
            Route::Record(id) => [before, "certifications/", id, "/", after].concat(),
            Route::Article(id) => [before, "articles/", id, "/", after].concat(),
            Route::Page(id) => [before, id, "/", after].concat(),
            Route::ArticlesPage(n) => paged(&["articles/"], *n),
            Route::Tags => [before, "tags/", after].concat(),
            Route::Tag(slug, n) => paged(&["tags/", slug, "/"], *n),
            Route::Category(name, n) => paged(&["categories/", name, "/"], *n),
            Route::Alias(at) => [before, at, after].concat(),
            Route::NotFound | Route::Data(_) | Route::RecordData(_) | Route::Schema(_) => {
                [before, after].concat()
            }
        }
    }
}

/// A list of articles shown `per_page` at a time: its pages' routes, page 1 first (a list
/// with no entries still has its first page).
pub fn pages_of(total: usize, per_page: usize) -> usize {
    total.div_ceil(per_page.max(1)).max(1)
}

/// The route of page `n` of the articles list (page 1 is the list's own URL).
pub fn articles_page(n: usize) -> Route<'static> {
    if n <= 1 {
        Route::Articles
    } else {
        Route::ArticlesPage(n)
    }
}

/// An alias as written (`/certifications/old-id`, `old.html`) as the site-relative place
/// of its redirect page: no leading `/`, a folder ending in `/` unless it names an
/// `.html` file. An error message for what cannot be such a place.
pub fn alias_place(written: &str) -> Result<String, String> {
    let trimmed = written.trim().trim_start_matches('/');
    let bad = trimmed.is_empty()
        || trimmed.contains("://")
        || trimmed.contains(['?', '#', '\\', '"', '<', '>'])
        || trimmed.chars().any(char::is_whitespace)
        || trimmed.contains("//")
        || trimmed.split('/').any(|s| s == ".." || s == ".");
    if bad {
        return Err(format!(
            "`{written}` is not an alias: write a path inside the site, such as \
             `certifications/old-id/` (no `..`, query, fragment, spaces or host)"
        ));
    }
    if trimmed.ends_with('/') || trimmed.ends_with(".html") {
        Ok(trimmed.to_string())
    } else {
        Ok(format!("{trimmed}/"))
    }
}

/// The site-relative URL (under `/`) at which the output file at `path` is reached: a
/// folder URL for `index.html` pages (`articles/roi/index.html` → `/articles/roi/`).
pub fn url_of_path(path: &str) -> String {
    if path == "index.html" {
        "/".into()
    } else if let Some(dir) = path.strip_suffix("/index.html") {
        format!("/{dir}/")
    } else {
        format!("/{path}")
    }
}

/// The first path segments the site's own outputs use: a free page may not take one as
/// its slug (`content/pages/compare.md` would collide with the compare page).
pub fn reserved_slugs() -> Vec<String> {
    let mut taken: Vec<String> = FIXED_PAGES
        .iter()
        .chain(&[
            Route::Record("x"),
            Route::RecordData("x"),
            Route::Schema("x"),
            Route::Tag("x", 1),
            Route::Category("x", 1),
        ])
        .chain(&DataFile::ALL.map(Route::Data))
        .map(|r| {
            let path = r.path();
            let first = path.split('/').next().unwrap_or_default();
            // `sitemap.xml` takes `sitemap`, `404.html` takes `404`, `index.html` `index`.
            first.split('.').next().unwrap_or_default().to_string()
        })
        .collect();
    taken.sort();
    taken.dedup();
    taken
}

/// The slugs an article may not take: the articles list's pages live at
/// `articles/page/N/`.
pub fn reserved_article_slugs() -> [&'static str; 1] {
    [PAGE_SEGMENT]
}

/// How many HTML pages a site with this content has, without its tag and category pages
/// and aliases (see [`list_page_count`]).
pub fn page_count(records: usize, articles: usize, pages: usize) -> usize {
    FIXED_PAGES.len() + records + articles + pages
}

/// How many pages the articles list, the tag pages and the category pages add beyond the
/// first page of the articles list: `lists` holds how many articles each tag and category
/// lists.
pub fn list_page_count(articles: usize, lists: &[usize], per_page: usize) -> usize {
    pages_of(articles, per_page) - 1 + lists.iter().map(|&n| pages_of(n, per_page)).sum::<usize>()
}

/// How many files a build writes besides the pages: the data files, one data file per
/// record, and the schemas.
pub fn data_file_count(records: usize) -> usize {
    DataFile::ALL.len() + records + crate::schema::files().len()
}

/// The absolute URL of `url`, a root-relative URL that already carries the base path, on a
/// site at `base_url` (which ends with `base_path`).
pub fn absolute(base_url: &str, base_path: &str, url: &str) -> String {
    let origin = base_url.strip_suffix(base_path).unwrap_or(base_url);
    [origin, url].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_urls_keep_the_base_path_once() {
        let url = Route::Record("cccm").url("/g/");
        assert_eq!(
            absolute("https://x.example/g/", "/g/", &url),
            "https://x.example/g/certifications/cccm/"
        );
        assert_eq!(
            absolute("https://x.example/", "/", "/"),
            "https://x.example/"
        );
    }

    #[test]
    fn paths_and_urls() {
        let cases = [
            (Route::Home, "index.html", "/g/"),
            (Route::Compare, "compare/index.html", "/g/compare/"),
            (
                Route::AllRecords,
                "certifications/index.html",
                "/g/certifications/",
            ),
            (Route::Articles, "articles/index.html", "/g/articles/"),
            (Route::Search, "search/index.html", "/g/search/"),
            (Route::NotFound, "404.html", "/g/404.html"),
            (
                Route::Record("cccm"),
                "certifications/cccm/index.html",
                "/g/certifications/cccm/",
            ),
            (
                Route::RecordData("cccm"),
                "data/certifications/cccm.json",
                "/g/data/certifications/cccm.json",
            ),
            (
                Route::Article("roi"),
                "articles/roi/index.html",
                "/g/articles/roi/",
            ),
            (Route::Page("about"), "about/index.html", "/g/about/"),
            (
                Route::Data(DataFile::CertificationsJson),
                "data/certifications.json",
                "/g/data/certifications.json",
            ),
            (Route::Data(DataFile::Atom), "atom.xml", "/g/atom.xml"),
            (
                Route::Data(DataFile::TableIndex),
                "data/table.json",
                "/g/data/table.json",
            ),
            (
                Route::Schema("page.schema.json"),
                "schema/page.schema.json",
                "/g/schema/page.schema.json",
            ),
        ];
        for (route, path, url) in cases {
            assert_eq!(route.path(), path, "{route:?}");
            assert_eq!(route.url("/g/"), url, "{route:?}");
        }
    }

    #[test]
    fn output_paths_map_back_to_their_urls() {
        for route in [
            Route::Home,
            Route::Article("roi"),
            Route::NotFound,
            Route::Page("a"),
        ] {
            assert_eq!(url_of_path(&route.path()), route.url("/"), "{route:?}");
        }
        assert_eq!(url_of_path("fooindex.html"), "/fooindex.html");
    }

    #[test]
    fn reserved_slugs_come_from_the_routes() {
        assert_eq!(
            reserved_slugs(),
            [
                "404",
                "articles",
                "atom",
                "categories",
                "certifications",
                "compare",
                "data",
                "index",
                "schema",
                "search",
                "sitemap",
                "tags"
            ]
        );
        assert_eq!(data_file_count(0), 10);
        assert_eq!(data_file_count(4), 14);
        assert_eq!(page_count(2, 3, 1), 13);
        assert_eq!(list_page_count(51, &[50, 0, 101], 50), 1 + 1 + 1 + 3);
    }

    #[test]
    fn lists_continue_at_page_n() {
        let cases = [
            (articles_page(1), "articles/index.html", "/g/articles/"),
            (
                articles_page(2),
                "articles/page/2/index.html",
                "/g/articles/page/2/",
            ),
            (Route::Tags, "tags/index.html", "/g/tags/"),
            (Route::Tag("roi", 1), "tags/roi/index.html", "/g/tags/roi/"),
            (
                Route::Tag("roi", 3),
                "tags/roi/page/3/index.html",
                "/g/tags/roi/page/3/",
            ),
            (
                Route::Category("policy", 2),
                "categories/policy/page/2/index.html",
                "/g/categories/policy/page/2/",
            ),
            (
                Route::Alias("certifications/old/"),
                "certifications/old/index.html",
                "/g/certifications/old/",
            ),
            (Route::Alias("old.html"), "old.html", "/g/old.html"),
        ];
        for (route, path, url) in cases {
            assert_eq!(route.path(), path, "{route:?}");
            assert_eq!(route.url("/g/"), url, "{route:?}");
        }
        assert_eq!(alias_place("/old").unwrap(), "old/");
        assert_eq!(alias_place("a/b.html").unwrap(), "a/b.html");
        assert!(alias_place("../x").is_err());
        assert!(alias_place("https://x.example/").is_err());
        assert!(alias_place("/").is_err());
        assert_eq!(pages_of(0, 50), 1);
        assert_eq!(pages_of(1, 50), 1);
        assert_eq!(pages_of(50, 50), 1);
        assert_eq!(pages_of(51, 50), 2);
    }
}
