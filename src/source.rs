//! Reading input files without trusting them.
//!
//! Every file the build reads goes through [`read`]: only regular files (a FIFO or device
//! would hang the build), at most [`MAX_FILE_BYTES`], valid UTF-8 (the error names the line
//! and column of the first bad byte). Each failure is a [`Diagnostic`] for that file.

use std::fs;
use std::io::Read;
use std::path::Path;

use crate::diagnostics::{Diagnostic, LineIndex};

/// The largest input file accepted: 10 MiB. A guide entry is a few kilobytes.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

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
}
