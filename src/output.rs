//! Writing the built site to disk, atomically.
//!
//! Everything goes into a temporary sibling of the output folder first; only when every
//! file is written is the old folder swapped out and the new one renamed into place. A
//! build that fails anywhere before that leaves the previous output byte-for-byte as it was.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::Output;

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteStats {
    pub rendered: usize,
    pub copied: usize,
}

/// A failure to write the output; not a content problem.
#[derive(Debug)]
pub struct OutputError {
    pub path: PathBuf,
    pub message: String,
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: error: {}", self.path.display(), self.message)
    }
}

fn err(path: &Path, what: &str, e: io::Error) -> OutputError {
    OutputError {
        path: path.to_path_buf(),
        message: format!("{what}: {e}"),
    }
}

/// Refuses output folders whose replacement would destroy sources: the site root, a
/// folder above it, or one of the site's own folders.
pub fn check_target(root: &Path, out_dir: &Path) -> Result<(), OutputError> {
    let canon = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let root_c = canon(root);
    // The output may not exist yet: canonicalize its parent.
    let out_c = match (out_dir.parent(), out_dir.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            canon(parent).join(name)
        }
        _ => canon(out_dir),
    };
    let protected = ["content", "themes", "templates", "static", "src", ".git"];
    let bad =
        root_c.starts_with(&out_c) || protected.iter().any(|p| out_c.starts_with(root_c.join(p)));
    if bad {
        return Err(OutputError {
            path: out_dir.to_path_buf(),
            message: "refusing to build into this folder: it holds the site's sources, and \
                      the build replaces its output folder entirely"
                .into(),
        });
    }
    Ok(())
}

/// Writes `output` (rendered files plus static folders under `root`) to `out_dir`,
/// replacing it only once everything is written.
pub fn write(root: &Path, out_dir: &Path, output: &Output) -> Result<WriteStats, OutputError> {
    check_target(root, out_dir)?;
    let name = out_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| err(&parent, "cannot create folder", e))?;
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.certguide-tmp-{pid}"));
    let old = parent.join(format!(".{name}.certguide-old-{pid}"));
    for stale in [&tmp, &old] {
        if stale.exists() {
            fs::remove_dir_all(stale).map_err(|e| err(stale, "cannot remove", e))?;
        }
    }
    let result = fill(root, &tmp, output);
    let stats = match result {
        Ok(s) => s,
        Err(e) => {
            let _ = fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    swap(&tmp, out_dir, &old)?;
    Ok(stats)
}

/// Moves `tmp` into place at `out_dir`, keeping the old folder until the new one is in.
fn swap(tmp: &Path, out_dir: &Path, old: &Path) -> Result<(), OutputError> {
    let had_old = match fs::symlink_metadata(out_dir) {
        Ok(m) if m.is_dir() => {
            fs::rename(out_dir, old)
                .map_err(|e| err(out_dir, "cannot move the old output aside", e))?;
            true
        }
        Ok(_) => {
            let _ = fs::remove_dir_all(tmp);
            return Err(OutputError {
                path: out_dir.to_path_buf(),
                message: "exists and is not a folder; remove it or choose another --output".into(),
            });
        }
        Err(_) => false,
    };
    if let Err(e) = fs::rename(tmp, out_dir) {
        if had_old {
            let _ = fs::rename(old, out_dir);
        }
        let _ = fs::remove_dir_all(tmp);
        return Err(err(out_dir, "cannot move the new output into place", e));
    }
    if had_old {
        // The new site is in place; failing to delete the old one only leaves litter.
        let _ = fs::remove_dir_all(old);
    }
    Ok(())
}

/// The static files of the output: path in the output (with `/`) → file to copy. Later
/// folders override earlier ones (rendered files override them all when written).
pub fn static_files(
    root: &Path,
    static_dirs: &[PathBuf],
) -> Result<BTreeMap<String, PathBuf>, OutputError> {
    let mut statics = BTreeMap::new();
    let root_c = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    for sdir in static_dirs {
        let full = root.join(sdir);
        for entry in walkdir::WalkDir::new(&full)
            .follow_links(true)
            .max_depth(32)
        {
            let entry = entry.map_err(|e| OutputError {
                path: sdir.clone(),
                message: format!("cannot read static files: {e}"),
            })?;
            if entry.file_type().is_file()
                && let Ok(rel) = entry.path().strip_prefix(&full)
            {
                // A symbolic link may not publish (or serve) a file from outside the site.
                if entry.path_is_symlink()
                    && !fs::canonicalize(entry.path()).is_ok_and(|c| c.starts_with(&root_c))
                {
                    return Err(OutputError {
                        path: sdir.join(rel),
                        message: "a symbolic link to a file outside the site; copy the file \
                                  into the site instead"
                            .into(),
                    });
                }
                statics.insert(
                    crate::diagnostics::display_path(rel),
                    entry.path().to_path_buf(),
                );
            }
        }
    }
    Ok(statics)
}

fn fill(root: &Path, dir: &Path, output: &Output) -> Result<WriteStats, OutputError> {
    fs::create_dir(dir).map_err(|e| err(dir, "cannot create folder", e))?;
    let mut statics = static_files(root, &output.static_dirs)?;
    let rendered: BTreeSet<&str> = output.files.iter().map(|f| f.path.as_str()).collect();
    statics.retain(|rel, _| !rendered.contains(rel.as_str()));

    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    for rel in statics.keys() {
        if let Some(p) = Path::new(rel).parent() {
            dirs.insert(dir.join(p));
        }
    }
    for f in &output.files {
        if let Some(p) = Path::new(&f.path).parent() {
            dirs.insert(dir.join(p));
        }
    }
    for d in &dirs {
        fs::create_dir_all(d).map_err(|e| err(d, "cannot create folder", e))?;
    }

    statics.par_iter().try_for_each(|(rel, src)| {
        fs::copy(src, dir.join(rel))
            .map(|_| ())
            .map_err(|e| err(src, "cannot copy", e))
    })?;
    output.files.par_iter().try_for_each(|f| {
        let target = dir.join(&f.path);
        fs::write(&target, &f.bytes).map_err(|e| err(&target, "cannot write", e))
    })?;
    Ok(WriteStats {
        rendered: output.files.len(),
        copied: statics.len(),
    })
}
