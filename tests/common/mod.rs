//! Helpers shared by the integration tests: fixture sites copied to temporary folders,
//! and the real `certguide` binary run on them.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (the example site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What a run of the binary printed and returned.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The `PATH:LINE:COL: error: ...` lines of stderr.
    pub fn errors(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.contains(": error: "))
            .collect()
    }

    /// Asserts an error line starts with `prefix` (`PATH:LINE:COL`) and contains `text`.
    pub fn assert_error(&self, prefix: &str, text: &str) {
        let found = self
            .errors()
            .iter()
            .any(|l| l.starts_with(&format!("{prefix}: error: ")) && l.contains(text));
        assert!(
            found,
            "expected an error `{prefix}: error: ...{text}...`; stderr was:\n{}",
            self.stderr
        );
    }
}

/// Runs `certguide ARGS` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_env(dir, args, &[])
}

/// Builds the demo guide (`examples/demo`) into `public`, never into its own folder.
pub fn build_demo(public: &Path) -> Run {
    let out = public.to_str().expect("utf-8 path");
    run_in(
        &repo(),
        &["build", "--root", "examples/demo", "--output", out],
    )
}

/// Runs `certguide ARGS` in `dir` with extra environment variables.
pub fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_certguide"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .expect("the certguide binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A fixture site copied into a temporary folder, with the repository's themes.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// Copies `tests/fixtures/NAME` (and the default theme, unless the fixture has
    /// themes of its own).
    pub fn fixture(name: &str) -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&repo().join("tests/fixtures").join(name), dir.path());
        if !dir.path().join("themes").exists() {
            copy_dir(&repo().join("themes"), &dir.path().join("themes"));
        }
        Site { dir }
    }

    /// A copy of the repository's own example guide (site.yaml, content, themes).
    pub fn example() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        for part in ["site.yaml", "content", "themes"] {
            let from = repo().join(part);
            if from.is_dir() {
                copy_dir(&from, &dir.path().join(part));
            } else {
                fs::copy(&from, dir.path().join(part)).expect("copy");
            }
        }
        Site { dir }
    }

    /// A fixture copied and built; panics if the build fails.
    pub fn built(name: &str) -> Site {
        let site = Site::fixture(name);
        let run = site.build();
        assert_eq!(run.code, 0, "{}", run.stderr);
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes (or replaces) a file of the site.
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().expect("has a parent")).expect("mkdir");
        fs::write(p, text).expect("write");
        self
    }

    /// Adds top-level settings to a fixture's site.yaml, after its `title:` line (a
    /// YAML line, or several).
    pub fn configure(&self, settings: &str) -> &Self {
        let config = self.read("site.yaml");
        assert!(
            config.contains("title: Fixture guide"),
            "not a fixture's site.yaml"
        );
        let config = config.replacen(
            "title: Fixture guide",
            &format!("title: Fixture guide\n{settings}"),
            1,
        );
        self.write("site.yaml", config)
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    pub fn remove(&self, rel: &str) -> &Self {
        fs::remove_file(self.path(rel)).expect("remove");
        self
    }

    /// Runs `certguide ARGS --root SITE` from the site's folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.root(), args)
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    pub fn check(&self) -> Run {
        self.run(&["check"])
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(from).expect("under from");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every file under `dir` with its bytes, sorted by path.
pub fn snapshot_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("under dir")
                .to_string_lossy()
                .into_owned();
            (rel, fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

/// Every HTML page under `dir`: its path (relative) and text.
pub fn html_pages(dir: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("under dir");
            (
                rel.display().to_string(),
                std::fs::read_to_string(e.path()).expect("page"),
            )
        })
        .collect()
}
