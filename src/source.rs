//! Reading input files without trusting them.
//!
//! Every file the build reads goes through [`read`]: only regular files (a FIFO or device
//! would hang the build), at most [`MAX_FILE_BYTES`], valid UTF-8 (the error names the line
//! and column of the first bad byte). Each failure is a [`Diagnostic`] for that file.
//!
//! It also owns which files are sources at all: [`is_ignored`] is the one rule for hidden
//! and editor files in `content/`, `templates/` and `static/`, and [`walk`] the one way
//! those folders are listed.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, LineIndex};

/// The largest input file accepted: 10 MiB. A guide entry is a few kilobytes.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Whether a file or folder name is an editor's or the system's, never a source: hidden
/// names (`.git`, Emacs' `.#roi.md` lock link, vim's `.roi.md.swp`), backups (`roi.md~`,
/// `#roi.md#`), temporary files (`*.tmp`, `*.swp`, `*.swx`, `*.bak`) and vim's write test
/// file `4913`. Applied before anything reads the file, so a dangling lock link never
/// breaks a build.
pub fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with('#')
        || name == "4913"
        || matches!(ext.as_deref(), Some("tmp" | "swp" | "swo" | "swx" | "bak"))
}

/// Whether any part of a path relative to the site root is ignored (see [`is_ignored`]).
pub fn is_ignored_path(rel: &Path) -> bool {
    rel.components()
        .any(|c| matches!(c, std::path::Component::Normal(n) if is_ignored(n)))
}

/// The files under `root/dir` (following symbolic links, skipping ignored names), as paths
/// relative to `root`, in name order; with the problems met on the way, each once: an
/// unreadable folder, a symbolic link loop, a broken link. Folders that could not be read
/// are listed too, so that callers can tell "not there" from "not readable".
pub fn walk(root: &Path, dir: &Path, max_depth: usize) -> Walk {
    let mut out = Walk::default();
    let full = root.join(dir);
    let canonical_dir = fs::canonicalize(&full).unwrap_or_else(|_| full.clone());
    let rel_of = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    let mut walker = walkdir::WalkDir::new(&full)
        .follow_links(true)
        .max_depth(max_depth)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name()));
    while let Some(entry) = walker.next() {
        match entry {
            Ok(e) if e.file_type().is_dir() => {
                // A link to a folder above this one would walk the tree again (walkdir
                // only catches loops back into the walked folder).
                if e.path_is_symlink()
                    && let Ok(target) = fs::canonicalize(e.path())
                    && canonical_dir.starts_with(&target)
                {
                    out.problems.push(Diagnostic::file_error(
                        rel_of(e.path()),
                        "symbolic link loop: this link points to a folder that contains it; \
                         remove the link",
                    ));
                    walker.skip_current_dir();
                }
            }
            Ok(e) => out.files.push(rel_of(e.path())),
            Err(err) => {
                // Errors skip walkdir's filter: a dangling `.#name` lock link ends here.
                if err.path().and_then(Path::file_name).is_some_and(is_ignored) {
                    continue;
                }
                let path = err.path().map_or_else(|| dir.to_path_buf(), rel_of);
                if let Some(ancestor) = err.loop_ancestor() {
                    out.problems.push(Diagnostic::file_error(
                        path,
                        format!(
                            "symbolic link loop: this link points back to `{}`; remove the link",
                            crate::diagnostics::display_path(&rel_of(ancestor))
                        ),
                    ));
                    continue;
                }
                let unreadable_dir = err
                    .io_error()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::PermissionDenied)
                    && fs::symlink_metadata(root.join(&path)).is_ok_and(|m| m.is_dir());
                let diag = match err.io_error() {
                    Some(io) if unreadable_dir => Diagnostic::file_error(
                        &path,
                        format!(
                            "cannot read this folder ({}); nothing in it is part of the site \
                             until its permissions allow reading",
                            io.kind()
                        ),
                    ),
                    Some(io) => io_error(&path, io),
                    None => Diagnostic::file_error(&path, format!("cannot read: {err}")),
                };
                if unreadable_dir {
                    out.unreadable_dirs.push(path);
                }
                out.problems.push(diag);
            }
        }
    }
    out
}

/// What [`walk`] found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Files, relative to the site root.
    pub files: Vec<PathBuf>,
    /// Folders that could not be read, relative to the site root.
    pub unreadable_dirs: Vec<PathBuf>,
    pub problems: Vec<Diagnostic>,
}

/// The largest static file published (and held in memory by `serve`): 64 MiB.
pub const MAX_STATIC_BYTES: u64 = 64 * 1024 * 1024;

/// The static files of the output: path in the output (with `/`) → file relative to the
/// root. Later folders override earlier ones. Every file is a regular file inside the site
/// or inside one of `also_inside` (folders relative to the root: a theme that site.yaml's
/// `themes_dir` places outside it) — a symbolic link out of them is refused — of at most
/// [`MAX_STATIC_BYTES`].
pub fn static_files(
    root: &Path,
    static_dirs: &[PathBuf],
    also_inside: &[PathBuf],
) -> Result<BTreeMap<String, PathBuf>, Diagnostic> {
    let mut statics = BTreeMap::new();
    let root_c = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let allowed: Vec<PathBuf> = std::iter::once(root_c)
        .chain(
            also_inside
                .iter()
                .filter_map(|d| fs::canonicalize(root.join(d)).ok()),
        )
        .collect();
    for sdir in static_dirs {
        let walk = walk(root, sdir, 32);
        if let Some(problem) = walk.problems.into_iter().next() {
            return Err(problem);
        }
        for rel_to_root in walk.files {
            let Ok(rel) = rel_to_root.strip_prefix(sdir) else {
                continue;
            };
            let full = root.join(&rel_to_root);
            // A symbolic link may not publish (or serve) a file from outside the site.
            if !fs::canonicalize(&full).is_ok_and(|c| allowed.iter().any(|a| c.starts_with(a))) {
                return Err(Diagnostic::file_error(
                    &rel_to_root,
                    "a symbolic link to a file outside the site; copy the file into the \
                     site instead",
                ));
            }
            let len = fs::metadata(&full)
                .map_err(|e| io_error(&rel_to_root, &e))?
                .len();
            if len > MAX_STATIC_BYTES {
                return Err(Diagnostic::file_error(
                    &rel_to_root,
                    format!(
                        "static file is too large ({:.1} MiB); the limit is {} MiB per file",
                        len as f64 / 1024.0 / 1024.0,
                        MAX_STATIC_BYTES >> 20
                    ),
                ));
            }
            statics.insert(crate::diagnostics::display_path(rel), rel_to_root);
        }
    }
    Ok(statics)
}

/// Reads a static file (relative to the root) whole, within [`MAX_STATIC_BYTES`].
pub fn read_static(root: &Path, rel: &Path) -> Result<Vec<u8>, Diagnostic> {
    let file = fs::File::open(root.join(rel)).map_err(|e| io_error(rel, &e))?;
    let mut bytes = Vec::new();
    file.take(MAX_STATIC_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(rel, &e))?;
    if bytes.len() as u64 > MAX_STATIC_BYTES {
        return Err(Diagnostic::file_error(
            rel,
            format!(
                "static file is too large; the limit is {} MiB per file",
                MAX_STATIC_BYTES >> 20
            ),
        ));
    }
    Ok(bytes)
}

/// Reads `root/rel` as text. `rel` is the path used in messages.
pub fn read(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let full = root.join(rel);
    let meta = fs::metadata(&full).map_err(|e| io_error(rel, &e))?;
    if !meta.is_file() {
        return Err(Diagnostic::file_error(
            rel,
            "not a regular file (a directory, pipe or device); only plain files are read",
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(rel, meta.len()));
    }
    let file = fs::File::open(&full).map_err(|e| io_error(rel, &e))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may grow between stat and read: never read past the limit.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(rel, &e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(rel, bytes.len() as u64));
    }
    text(rel, bytes)
}

/// Turns bytes into text, dropping a UTF-8 byte-order mark.
pub fn text(rel: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            // Valid up to `valid` by construction.
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            let pos = LineIndex::new(prefix).pos(valid);
            Err(Diagnostic::at(
                rel,
                pos,
                format!(
                    "invalid UTF-8 (byte 0x{:02x}); save the file as UTF-8",
                    bytes[valid]
                ),
            ))
        }
    }
}

fn too_large(rel: &Path, len: u64) -> Diagnostic {
    Diagnostic::file_error(
        rel,
        format!(
            "file is too large ({:.1} MiB); the limit is {} MiB per file",
            len as f64 / 1024.0 / 1024.0,
            MAX_FILE_BYTES / 1024 / 1024
        ),
    )
}

/// A readable message for an I/O error on `rel`.
pub fn io_error(rel: &Path, e: &std::io::Error) -> Diagnostic {
    use std::io::ErrorKind;
    let what = match e.kind() {
        ErrorKind::NotFound => "cannot read: not found (a broken symbolic link?)".to_string(),
        ErrorKind::PermissionDenied => "cannot read: permission denied".to_string(),
        _ if e.raw_os_error() == Some(40) => {
            "cannot read: too many levels of symbolic links (a symlink loop?)".to_string()
        }
        _ => format!("cannot read: {e}"),
    };
    Diagnostic::file_error(rel, what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_points_at_the_bad_byte() {
        let d = text(Path::new("a.md"), b"ok\nab\xffc".to_vec()).unwrap_err();
        assert_eq!((d.line, d.column), (2, 3));
        assert!(d.message.contains("0xff"));
    }

    #[test]
    fn bom_is_dropped() {
        assert_eq!(
            text(Path::new("a"), b"\xef\xbb\xbfhi".to_vec()).unwrap(),
            "hi"
        );
    }

    #[test]
    fn editor_files_are_ignored() {
        for name in [
            ".#roi.md",
            "roi.md~",
            ".roi.md.swp",
            "4913",
            "x.tmp",
            "#roi.md#",
            ".git",
            "a.SWP",
        ] {
            assert!(is_ignored(name.as_ref()), "{name}");
        }
        for name in ["roi.md", "cccm.yaml", "style.css", "4913.md", "x.tmpl"] {
            assert!(!is_ignored(name.as_ref()), "{name}");
        }
        assert!(is_ignored_path(Path::new("content/.drafts/a.md")));
    }
}
