//! The synthetic corpus that benchmarks use (200 records, 200 articles, written by
//! `gen_corpus.py` with the repository's themes) must build and check cleanly, and two
//! builds of it must give byte-identical output (no time stamps, no hash-map order).

mod common;

use std::path::PathBuf;
use std::process::Command;

/// The shared generator when this checkout sits beside `shared/`, else the copy in bench/.
fn generator() -> PathBuf {
    let shared = common::repo().join("../shared/bench/gen_corpus.py");
    if shared.is_file() {
        shared
    } else {
        common::repo().join("bench/gen_corpus.py")
    }
}

#[test]
fn the_synthetic_corpus_builds_cleanly() {
    let dir = tempfile::tempdir().expect("tmp");
    let site = dir.path().join("site");
    let status = Command::new("python3")
        .arg(generator())
        .args(["--records", "200", "--articles", "200", "--out"])
        .arg(&site)
        .arg("--theme-from")
        .arg(common::repo().join("themes"))
        .output();
    let status = match status {
        Ok(s) => s,
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!("SKIPPED: python3 is not available ({e})");
            return;
        }
        Err(e) => panic!("python3 is needed in CI: {e}"),
    };
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );

    let run = common::run_in(&site, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.errors().is_empty(), "{}", run.stderr);
    let public = site.join("public");
    let pages = walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .filter(|e| {
            let rel = e.path().strip_prefix(&public).expect("inside");
            !rel.starts_with("tags")
                && !rel.starts_with("categories")
                && !rel.starts_with("articles/page")
        })
        .count();
    // Home, compare, the list of certifications, articles index, search, 200 records and 200 articles; besides them
    // the lists: 200 articles at 50 a page end on page 4.
    assert_eq!(pages, 405);
    assert!(public.join("articles/page/4/index.html").is_file());
    assert!(!public.join("articles/page/5").exists());
    assert!(public.join("tags/index.html").is_file());
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(site.join("public/data/certifications.json")).expect("json"),
    )
    .expect("valid JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(200));

    let run = common::run_in(&site, &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // Reproducible: a second build, scheduled differently, gives the same bytes.
    let again = dir.path().join("again");
    let run = common::run_env(
        &site,
        &["build", "--output", again.to_str().expect("utf-8")],
        &[("RAYON_NUM_THREADS", "1")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let first = common::snapshot_tree(&site.join("public"));
    let second = common::snapshot_tree(&again);
    assert_eq!(first.len(), second.len(), "different numbers of files");
    for ((path_a, bytes_a), (path_b, bytes_b)) in first.iter().zip(&second) {
        assert_eq!(path_a, path_b);
        assert!(
            bytes_a == bytes_b,
            "{path_a} differs between two builds of the same files"
        );
    }
}
