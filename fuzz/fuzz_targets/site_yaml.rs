//! `site.yaml`: keys, facets, columns, base URL, theme name.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (config, diags) = certguide::config::parse(text);
    assert!(config.base_path.starts_with('/') && config.base_path.ends_with('/'));
    for d in &diags {
        assert!(d.line >= 1 && d.column >= 1);
    }
});
