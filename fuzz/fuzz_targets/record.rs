//! A certification record: YAML parsing, typed fields, per-file checks, and the markdown of
//! its summary, pros and cons with link rewriting. Must never panic or hang.
#![no_main]

use std::path::Path;

use certguide::content::{Kind, LoadOptions, parse_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let opts = LoadOptions {
        base_path: "/".into(),
        drafts: true,
        allow_raw_html: false,
        max_total_bytes: u64::MAX,
        money: Default::default(),
    };
    let file = parse_text(
        Kind::Record,
        Path::new("content/certifications/fuzz.yaml"),
        text,
        &opts,
    );
    for d in &file.diags {
        assert!(d.line >= 1 && d.column >= 1);
    }
});
