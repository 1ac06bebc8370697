//! An article: front-matter splitting, YAML, dates and categories, then the markdown body.
#![no_main]

use std::path::Path;

use certguide::content::{Kind, LoadOptions, parse_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let opts = LoadOptions {
        base_path: "/guide/".into(),
        drafts: false,
        allow_raw_html: false,
        max_total_bytes: u64::MAX,
        money: Default::default(),
    };
    let file = parse_text(Kind::Article, Path::new("content/articles/fuzz.md"), text, &opts);
    for d in &file.diags {
        assert!(d.line >= 1 && d.column >= 1);
    }
});
