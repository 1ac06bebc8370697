//! A whole tiny site around one fuzzed record: load, validate, link, render every page
//! (the chart, facets, data files, the compare page) and check the links, as
//! `certguide check` does. Numbers reach arithmetic here, so a value that hangs the chart or
//! panics a formatter is found. Must never panic or hang.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

/// One site folder for the whole run: the repository's theme, a site.yaml whose facets and
/// columns use every number, a second record so facets and the chart have a range, and an
/// article related to both.
fn site() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("certguide-fuzz-site-{}", std::process::id()));
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let _ = std::fs::remove_dir_all(&root);
        copy(&repo.join("themes"), &root.join("themes"));
        let write = |rel: &str, text: &str| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write(
            "site.yaml",
            "title: Fuzz\nbase_url: https://fuzz.example/\nfacets:\n\
             - { field: audience, kind: tags }\n- { field: level, kind: choice }\n\
             - { field: cost.amount, kind: range, unit: USD }\n\
             - { field: effort.hours, kind: range }\n- { field: extra.n, kind: range }\n\
             columns: [acronym, name, cost.amount, effort.hours, effort.weeks, exam.minutes, \
             experience_years, renewal.every_years, extra.n]\n",
        );
        write(
            "content/certifications/other.yaml",
            "name: Other\nacronym: OTH\ncost: { amount: 300 }\neffort: { hours: 20 }\n\
             extra: { n: 2 }\nverified: 2026-11-01\n",
        );
        write(
            "content/articles/a.md",
            "---\ntitle: A\ndate: 2026-11-01\ncertifications: [fuzz, other]\n---\nSee \
             [fuzz](../certifications/fuzz.yaml).\n",
        );
        root
    })
}

fn copy(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let root = site();
    // Invalid UTF-8 is an input too: the reader must report it.
    std::fs::write(root.join("content/certifications/fuzz.yaml"), data).unwrap();
    match certguide::check(root, &certguide::LoadOptions::default()) {
        Ok(_) => {}
        Err(diags) => {
            assert!(!diags.is_empty());
            for d in &diags {
                assert!(d.line >= 1 && d.column >= 1, "{d}");
            }
        }
    }
});
