//! Tags and categories: which articles each tag and each category gathers. The tag pages,
//! the category pages, the sitemap, the page count and the checks all read these lists.

use super::{Category, Document};

/// One tag and the articles that carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Its URL segment: the tag's words through [`crate::scaffold::slug`] (`Return on
    /// investment` → `return-on-investment`). Spellings with the same slug (`ROI`, `roi`)
    /// are one tag.
    pub slug: String,
    /// How it is shown: the first of its spellings in alphabetical order.
    pub name: String,
    /// Indices into the site's articles, in `order` (newest first).
    pub articles: Vec<usize>,
}

/// A tag's URL segment (empty for a tag with no letter or digit: an error, see
/// [`crate::validate`]).
pub fn tag_slug(tag: &str) -> String {
    crate::scaffold::slug(tag)
}

/// Every tag of `articles`, by slug, each with its articles in `order`. Tags whose slug is
/// empty are left out (they are reported).
pub fn tags(articles: &[Document], order: &[usize]) -> Vec<Tag> {
    // Made on every `serve` rebuild: each spelling is made a slug once, not once per
    // article that uses it.
    let mut list: Vec<Tag> = Vec::new();
    let mut by_slug: foldhash::HashMap<String, usize> = Default::default();
    let mut by_name: foldhash::HashMap<&str, Option<usize>> = Default::default();
    for &i in order {
        for name in &articles[i].tags {
            let at = *by_name.entry(name.as_str()).or_insert_with(|| {
                let slug = tag_slug(name);
                if slug.is_empty() {
                    return None;
                }
                Some(*by_slug.entry(slug.clone()).or_insert_with(|| {
                    list.push(Tag {
                        slug,
                        name: name.clone(),
                        articles: Vec::new(),
                    });
                    list.len() - 1
                }))
            });
            let Some(at) = at else {
                continue;
            };
            let tag = &mut list[at];
            if name < &tag.name {
                tag.name = name.clone();
            }
            if tag.articles.last() != Some(&i) {
                tag.articles.push(i);
            }
        }
    }
    list.sort_unstable_by(|a, b| a.slug.cmp(&b.slug));
    list
}

/// Every category that has articles, in the fixed category order, each with its articles
/// in `order`.
pub fn categories(articles: &[Document], order: &[usize]) -> Vec<(Category, Vec<usize>)> {
    Category::ALL
        .iter()
        .map(|&c| {
            let members = order
                .iter()
                .copied()
                .filter(|&i| articles[i].category == Some(c))
                .collect::<Vec<_>>();
            (c, members)
        })
        .filter(|(_, members)| !members.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_with_one_slug_are_one_tag() {
        assert_eq!(tag_slug("Return on investment"), "return-on-investment");
        assert_eq!(tag_slug("?!"), "");
    }
}
