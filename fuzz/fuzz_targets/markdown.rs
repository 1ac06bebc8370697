//! Markdown rendering with link rewriting (as a free page, so the body is all markdown),
//! with and without the raw-HTML sanitiser. The sanitised output may hold no script.
#![no_main]

use std::path::Path;

use certguide::content::{Kind, LoadOptions, Parsed, parse_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let text = format!("---\ntitle: Fuzz\n---\n{body}");
    for allow_raw_html in [false, true] {
        let opts = LoadOptions {
            base_path: "/".into(),
            drafts: false,
            allow_raw_html,
            max_total_bytes: u64::MAX,
            money: Default::default(),
        };
        let file = parse_text(Kind::Page, Path::new("content/pages/fuzz.md"), &text, &opts);
        if let (false, Some(Parsed::Document(doc))) = (allow_raw_html, &file.parsed) {
            let lower = doc.html.to_ascii_lowercase();
            assert!(!lower.contains("<script"), "script survived sanitising");
        }
    }
});
