//! Lower bounds for the build phases, measured on a built site:
//!
//!   cargo run --release --example bounds -- SITE_ROOT
//!
//! SITE_ROOT must have been built (its `public/` is read back). Prints the time of:
//! reading every source file; pulldown-cmark alone over every article body; loading the
//! content (parse + markdown + per-file checks); and writing the bytes of `public/` again
//! with the build's own writer (no rendering).

use std::path::{Path, PathBuf};
use std::time::Instant;

use certguide::render::OutputFile;
use rayon::prelude::*;

fn main() {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let sources: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();

    let t = Instant::now();
    let texts: Vec<String> = sources
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect();
    report("read sources (1 thread)", t, sources.len());

    let bodies: Vec<&str> = texts
        .iter()
        .filter_map(|t| {
            let rest = t.strip_prefix("---\n")?;
            let end = rest.find("\n---\n")?;
            Some(&rest[end + 5..])
        })
        .collect();
    let t = Instant::now();
    let mut bytes = 0;
    for b in &bodies {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(b));
        bytes += html.len();
    }
    report(
        &format!(
            "pulldown-cmark alone, {} KiB of HTML (1 thread)",
            bytes / 1024
        ),
        t,
        bodies.len(),
    );

    let t = Instant::now();
    let site = certguide::load::Loader::load_once(&root, &certguide::LoadOptions::default());
    let [parse, _] = site.times;
    let count = site
        .site
        .as_ref()
        .map_or(0, |s| s.content.records.len() + s.content.articles.len());
    report(
        &format!(
            "load (read, YAML, markdown, per-file checks: {:.1} ms; then validate and link; all cores)",
            parse.as_secs_f64() * 1000.0
        ),
        t,
        count,
    );

    let public = root.join("public");
    let files: Vec<OutputFile> = walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| OutputFile {
            path: rel(&public, e.path()),
            bytes: std::fs::read(e.path()).unwrap_or_default().into(),
            source: None,
        })
        .collect();
    let total: usize = files.iter().map(|f| f.bytes.len()).sum();
    let out_dir = root.join("public-bounds");
    let _ = std::fs::remove_dir_all(&out_dir);
    let n = files.len();
    let t = Instant::now();
    let written = certguide::output::Writer::begin(&root, &out_dir).and_then(|w| {
        files.par_iter().for_each(|f| {
            w.write(f);
        });
        w.commit()
    });
    if let Err(e) = written {
        eprintln!("{e}");
        std::process::exit(1);
    }
    report(
        &format!(
            "write the same {} MiB again, no rendering (all cores)",
            total >> 20
        ),
        t,
        n,
    );
    let _ = std::fs::remove_dir_all(&out_dir);
}

fn rel(base: &Path, p: &Path) -> String {
    certguide::diagnostics::display_path(p.strip_prefix(base).unwrap_or(p))
}

fn report(what: &str, start: Instant, items: usize) {
    println!(
        "  {:>8.1} ms  {what} ({items} items)",
        start.elapsed().as_secs_f64() * 1000.0
    );
}
