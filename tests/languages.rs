//! The theme's words in the site's language (DESIGN.md Part 2): the default theme's
//! `i18n/en.yaml` and `de.yaml`, a site's overrides, the English fallback with its
//! warning, and numbers, money and dates written the language's way.

mod common;

use std::collections::BTreeMap;

use common::Site;

/// A flat language file: key → text.
fn strings(rel: &str) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(common::repo().join(rel)).expect("language file");
    let mut map = BTreeMap::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (k, v) = line.split_once(": ").expect("key: value");
        let v: String = serde_json::from_str(v).unwrap_or_else(|_| v.to_string());
        map.insert(k.to_string(), v);
    }
    map
}

/// The words a built site hands its scripts: `data/words.js`, one text per line.
fn script_words(site: &Site) -> String {
    let js = site.read("public/data/words.js");
    let json = js
        .strip_prefix("window.certguideStrings = ")
        .and_then(|j| j.trim_end().strip_suffix(';'))
        .expect("data/words.js sets window.certguideStrings");
    let map: BTreeMap<String, String> = serde_json::from_str(json).expect("words JSON");
    map.into_values().collect::<Vec<_>>().join("\n")
}

/// What a reader of the page sees or hears: text outside tags (without scripts and
/// styles), the attributes read out or shown (`title`, `aria-label`, `placeholder`, `alt`,
/// `content`). The strings the scripts show are in `data/words.js` ([`script_words`]).
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    let mut text = String::new();
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        text.push(' ');
        let tag_end = rest[lt..].find('>').map_or(rest.len(), |e| lt + e + 1);
        let tag = &rest[lt..tag_end];
        for attr in [
            "title=\"",
            "aria-label=\"",
            "placeholder=\"",
            "alt=\"",
            "content=\"",
        ] {
            if let Some(i) = tag.find(attr) {
                let v = &tag[i + attr.len()..];
                out.push_str(&v[..v.find('"').unwrap_or(v.len())]);
                out.push('\n');
            }
        }
        rest = &rest[tag_end..];
        for element in ["<script", "<style"] {
            if tag.starts_with(element) {
                let close = format!("</{}>", &element[1..]);
                rest = rest.find(&close).map_or("", |i| &rest[i..]);
            }
        }
    }
    text.push_str(rest);
    out + &text
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// Whether `word` occurs in `text` as a whole word (not inside a longer one, nor, with
/// `names`, inside a `class-name`, `key_name` or `.suffix`).
fn has_word_in(text: &str, word: &str, names: bool) -> bool {
    let part = |c: char| c.is_alphabetic() || (names && (c == '-' || c == '_'));
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(|c| part(c) || (names && c == '.')) && !after.is_some_and(part)
    })
}

fn has_word(text: &str, word: &str) -> bool {
    has_word_in(text, word, false)
}

/// The English words of every string that German words differently: each text cut at
/// its `{placeholders}`, pieces of three letters or more.
fn english_words() -> Vec<(String, String)> {
    let (en, de) = (
        strings("themes/default/i18n/en.yaml"),
        strings("themes/default/i18n/de.yaml"),
    );
    let mut words = Vec::new();
    for (key, text) in &en {
        let german = &de[key];
        if german == text {
            // Words German writes the same; any other key left in English is a miss.
            let same = ["month.4", "month.8", "month.9", "month.11", "home.filter"];
            let same = [
                &same[..],
                &["home.minimum", "home.maximum", "field.exam.format"],
            ]
            .concat();
            assert!(
                same.contains(&key.as_str()),
                "`{key}` is not translated: {text}"
            );
            continue;
        }
        for piece in text.split(['{', '}']).step_by(2) {
            let piece = piece.trim_matches(|c: char| " .,:;()←→“”".contains(c));
            if piece.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !german.contains(piece) {
                words.push((key.clone(), piece.to_string()));
            }
        }
    }
    words
}

#[test]
fn en_and_de_have_every_key_and_templates_use_only_keys_they_have() {
    let en = strings("themes/default/i18n/en.yaml");
    let de = strings("themes/default/i18n/de.yaml");
    let missing: Vec<&String> = en.keys().filter(|k| !de.contains_key(*k)).collect();
    let extra: Vec<&String> = de.keys().filter(|k| !en.contains_key(*k)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing in de: {missing:?}; not in en: {extra:?}"
    );
    for entry in walkdir::WalkDir::new(common::repo().join("themes/default/templates")) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for (i, _) in text.match_indices("t(key=\"") {
            let key = &text[i + 7..];
            let key = &key[..key.find('"').unwrap()];
            let counted = [".zero", ".one", ".other"]
                .iter()
                .any(|f| en.contains_key(&format!("{key}{f}")));
            assert!(
                en.contains_key(key) || counted,
                "{}: no `{key}` in en.yaml",
                entry.path().display()
            );
        }
    }
}

#[test]
fn a_german_site_shows_no_english_theme_string() {
    let site = Site::fixture("german");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !run.stderr.contains("warning"),
        "every key is there: {}",
        run.stderr
    );
    let words = english_words();
    assert!(
        words.len() > 150,
        "the test looks for every string ({})",
        words.len()
    );
    let mut found = Vec::new();
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(site.path("public")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        pages += 1;
        let html = std::fs::read_to_string(entry.path()).unwrap();
        assert!(
            html.contains("<html lang=\"de\">"),
            "{}",
            entry.path().display()
        );
        let seen = visible(&html);
        for (key, word) in &words {
            if has_word(&seen, word) {
                found.push(format!("{}: `{word}` ({key})", entry.path().display()));
            }
        }
    }
    assert!(pages >= 12, "{pages} pages");
    let scripts_show = script_words(&site);
    assert!(scripts_show.contains("Vergleichen"), "{scripts_show}");
    for (key, word) in &words {
        if has_word(&scripts_show, word) {
            found.push(format!("data/words.js: `{word}` ({key})"));
        }
    }
    assert!(
        found.is_empty(),
        "English on a German site:\n{}",
        found.join("\n")
    );
    // The scripts carry no English of their own: their words come from the page.
    for script in [
        "strings.js",
        "guide.js",
        "compare.js",
        "search.js",
        "certification.js",
    ] {
        // Values of attributes, not words (`aria-sort`).
        let tokens = ["ascending", "descending"];
        let literals: Vec<String> = string_literals(&site.read(&format!("public/{script}")))
            .into_iter()
            .filter(|l| !tokens.contains(&l.as_str()))
            .collect();
        let literals = literals.join("\n");
        // Not words of three letters alone ("for", "and"): code is full of them.
        for (key, word) in &words {
            if key.starts_with("js.") && (word.len() > 3 || word.contains(' ')) {
                assert!(
                    !has_word_in(&literals, word, true),
                    "{script}: `{word}` ({key}) is written in the script"
                );
            }
        }
    }
}

/// The text of a script's string literals ('...', "..." and `...`), without its comments
/// (which may be English) and regular expressions.
fn string_literals(code: &str) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    // The last character that is not space or comment: whether a `/` starts a regex.
    let mut last = ';';
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '"' || c == '\'' || c == '`' {
            let mut text = String::new();
            i += 1;
            while i < chars.len() && chars[i] != c {
                if chars[i] == '\\' {
                    i += 1;
                }
                if let Some(&ch) = chars.get(i) {
                    text.push(ch);
                }
                i += 1;
            }
            i += 1;
            out.push(text);
            last = c;
        } else if c == '/' && "(,=:[!&|?{};+-*%<>~^".contains(last) {
            let mut class = false;
            i += 1;
            while i < chars.len() && (chars[i] != '/' || class) {
                match chars[i] {
                    '\\' => i += 1,
                    '[' => class = true,
                    ']' => class = false,
                    _ => {}
                }
                i += 1;
            }
            i += 1;
            last = 'r';
        } else {
            if !c.is_whitespace() {
                last = c;
            }
            i += 1;
        }
    }
    out
}

#[test]
fn the_script_literal_reader_sees_strings_not_comments_or_regexes() {
    let code = "/* \"Compare\" */ var a = 'one \\' two'; // \"three\"\nx = y.replace(/[\"']/g, \"four\") / 2 + `five`;";
    assert_eq!(string_literals(code), ["one ' two", "four", "five"]);
}

#[test]
fn numbers_money_and_dates_are_written_the_german_way() {
    let site = Site::fixture("german");
    assert_eq!(site.build().code, 0);
    let article = site.read("public/articles/rendite/index.html");
    assert!(
        article.contains(r#"<time datetime="2026-11-03">3. November 2026</time>"#),
        "{article}"
    );
    assert!(article.contains("<span>1 Min. Lesezeit</span>"));
    let cert = site.read("public/certifications/zkl/index.html");
    assert!(
        cert.contains(r#"<span class="fact-value">1.495 $</span>"#),
        "{cert}"
    );
    // The cost of a study hour is written as the cost is.
    assert!(cert.contains("<dd>37 $</dd>"), "{cert}");
    let home = site.read("public/index.html");
    assert!(home.contains(">1.495<"), "the table's cost cell: {home}");
    assert!(home.contains("Von 300 bis 1.495 USD"), "{home}");
    assert!(home.contains("2 Zertifizierungen angezeigt"));
    assert!(
        home.contains(r#"<th scope="col""#) && home.contains(">Kürzel<"),
        "column labels"
    );
    let redirect = site.read("public/tags/budget/index.html");
    assert!(redirect.contains("Schlagwort: budget"));
}

#[test]
fn a_site_overrides_single_strings_and_missing_keys_fall_back_to_english() {
    let site = Site::fixture("german");
    site.write(
        "i18n/de.yaml",
        "articles.title: Beiträge\nartcle.all: Alle\n",
    );
    // The theme's German lacks a key: English is shown, with a warning naming it.
    let de = site.read("themes/default/i18n/de.yaml");
    let without: String = de
        .lines()
        .filter(|l| !l.starts_with("tags.title:"))
        .map(|l| format!("{l}\n"))
        .collect();
    site.write("themes/default/i18n/de.yaml", without);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("themes/default/i18n/de.yaml:1:1: warning: no `tags.title` in language `de`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("i18n/de.yaml:2:1: warning: `artcle.all` is not a string of the theme; did you mean `article.all`?"),
        "{}",
        run.stderr
    );
    let list = site.read("public/articles/index.html");
    assert!(list.contains("<h1>Beiträge</h1>"), "the site's own string");
    assert!(
        list.contains("Nutzen, Nachteile"),
        "the theme's German elsewhere"
    );
    let tags = site.read("public/tags/index.html");
    assert!(
        tags.contains("<h1>Tags</h1>"),
        "English for the missing key"
    );
    // check --strict fails on the warnings.
    let run = site.run(&["check", "--strict"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

#[test]
fn a_language_the_theme_lacks_is_english_with_a_warning() {
    let site = Site::fixture("german");
    let config = site
        .read("site.yaml")
        .replace("language: de", "language: fr");
    site.write("site.yaml", config);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("site.yaml:1:1: warning: the theme has no strings for language `fr`"),
        "{}",
        run.stderr
    );
    let home = site.read("public/index.html");
    assert!(home.contains("<html lang=\"fr\">"));
    assert!(home.contains("2 certifications shown"), "{home}");
}

#[test]
fn an_english_site_uses_no_placeholder_or_key_text() {
    let site = Site::fixture("basic");
    assert_eq!(site.build().code, 0);
    let names = [
        "{n}",
        "{site}",
        "{acronym}",
        "{name}",
        "{min}",
        "{max}",
        "{base}",
        "{years}",
    ];
    for page in [
        "index.html",
        "articles/roi/index.html",
        "certifications/alpha/index.html",
        "tags/index.html",
    ] {
        // The strings handed to the scripts (data/words.js) keep their placeholders;
        // the pages do not.
        let rest = site.read(&format!("public/{page}"));
        for name in names {
            assert!(!rest.contains(name), "{page}: `{name}` left");
        }
    }
    assert!(
        site.read("public/index.html")
            .contains("3 certifications shown")
    );
}
