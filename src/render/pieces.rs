//! Data files made of one piece per source — a record's object in
//! `data/certifications.json`, its CSV row, an entry of the search index — joined in
//! order. `serve` keeps each such file with where each piece is in it and a print of what
//! the piece was made from ([`Pieces`]), so a rebuild makes again only the pieces of the
//! sources that changed and copies the rest: the cost of an edit follows the edit, and no
//! piece is held twice.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use super::Bytes;

/// Files made of pieces, kept from one render to the next, by file.
#[derive(Default)]
pub struct Pieces(HashMap<&'static str, Kept>);

/// A file as last made, and each piece in the file's order: its key (the source's path),
/// the print of what it was made from and where it is in the file.
#[derive(Default)]
struct Kept {
    file: Bytes,
    at: Vec<(String, u64, Range<usize>)>,
}

/// How a file is joined: what comes before the pieces, between them, and after.
pub struct Joints {
    pub head: &'static [u8],
    pub sep: &'static [u8],
    pub tail: &'static [u8],
}

/// A piece's key and the print of what it is made from.
pub type KeyPrint<'a> = Option<(Cow<'a, str>, u64)>;

/// How to make one file's pieces: for each item its key and print (when the caller keeps
/// pieces), and the piece itself.
pub struct Spec<'a, 'k, T> {
    /// The file the pieces belong to (a key of [`Pieces`]).
    pub file: &'static str,
    pub items: &'a [T],
    /// The item's key and the print of what its piece is made from; `None` when the
    /// sink keeps no pieces. The key is borrowed: asked for every item on every rebuild.
    pub print: &'a (dyn Fn(&T) -> KeyPrint<'k> + Sync),
    pub make: &'a (dyn Fn(&T) -> Vec<u8> + Sync),
}

/// How many pieces are made before they are joined into the file.
const CHUNK: usize = 1024;

/// How many pieces are made before they are written out, when the file is not kept: a
/// megabyte of records' JSON, in parallel.
const WRITTEN_CHUNK: usize = 256;

/// A piece: copied from the file as last made, or made now.
enum Piece {
    Kept(Range<usize>),
    Made(Vec<u8>),
}

impl<T: Sync> Spec<'_, '_, T> {
    /// The file: every item's piece in order, joined with `joints`. Pieces whose print
    /// is the one `kept` holds are copied from the file as last made; the others are made
    /// (in parallel). With `kept`, it holds afterwards this file as made now.
    ///
    /// A piece is found where it was last time (the same key at the same place: any edit
    /// that adds, removes or moves no source), else by its key.
    pub fn join(&self, joints: &Joints, kept: Option<&std::sync::Mutex<Pieces>>) -> Bytes {
        let mut old = kept
            .map(|k| std::mem::take(super::lock(k).0.entry(self.file).or_default()))
            .unwrap_or_default();
        let by_key: OnceLock<HashMap<&str, usize>> = OnceLock::new();
        let find = |i: usize, key: &str| -> Option<usize> {
            match old.at.get(i) {
                Some((k, ..)) if k == key => Some(i),
                _ => by_key
                    .get_or_init(|| {
                        let at = old.at.iter().enumerate();
                        at.map(|(j, (k, ..))| (k.as_str(), j)).collect()
                    })
                    .get(key)
                    .copied(),
            }
        };
        // Made a chunk at a time (in parallel within it), each piece dropped once copied:
        // all the pieces at once beside the file they make were 35 MB more at the peak of
        // a build of 10,000 records.
        let mut out = Vec::new();
        let mut at = Vec::with_capacity(if kept.is_some() { self.items.len() } else { 0 });
        let mut taken = Vec::new();
        out.extend_from_slice(joints.head);
        for (c, chunk) in self.items.chunks(CHUNK).enumerate() {
            // Each item's print, and the index of its piece in the old file (when kept).
            let pieces: Vec<(KeyPrint, Option<usize>, Piece)> = chunk
                .par_iter()
                .enumerate()
                .map(|(k, item)| {
                    let print = kept.and_then(|_| (self.print)(item));
                    if let Some((key, p)) = &print
                        && let Some(j) = find(c * CHUNK + k, key)
                        && old.at[j].1 == *p
                    {
                        let range = old.at[j].2.clone();
                        return (print, Some(j), Piece::Kept(range));
                    }
                    (print, None, Piece::Made((self.make)(item)))
                })
                .collect();
            for (k, (print, from, piece)) in pieces.into_iter().enumerate() {
                if c + k > 0 {
                    out.extend_from_slice(joints.sep);
                }
                let start = out.len();
                match piece {
                    Piece::Kept(r) => out.extend_from_slice(&old.file[r]),
                    Piece::Made(b) => out.extend_from_slice(&b),
                }
                if let Some((key, p)) = print {
                    // The key kept last time is taken over rather than copied (once
                    // nothing looks keys up any more, below).
                    let key = match from {
                        Some(j) => {
                            taken.push((at.len(), j));
                            String::new()
                        }
                        None => key.into_owned(),
                    };
                    at.push((key, p, start..out.len()));
                }
            }
        }
        drop(by_key);
        for (i, j) in taken {
            at[i].0 = std::mem::take(&mut old.at[j].0);
        }
        out.extend_from_slice(joints.tail);
        let file: Bytes = Arc::new(out);
        if let Some(k) = kept {
            let next = Kept {
                file: file.clone(),
                at,
            };
            super::lock(k).0.insert(self.file, next);
        }
        super::drop_later(old);
        file
    }

    /// The file [`Spec::join`] makes without kept pieces, written to `out` a chunk at a
    /// time instead of held whole: whole, the data files were 59 MB of the peak memory of
    /// a build of 10,000 records.
    pub fn write_to(&self, joints: &Joints, out: &mut dyn Write) -> io::Result<()> {
        let mut buf = joints.head.to_vec();
        for (c, chunk) in self.items.chunks(WRITTEN_CHUNK).enumerate() {
            let pieces: Vec<Vec<u8>> = chunk.par_iter().map(|item| (self.make)(item)).collect();
            for (k, piece) in pieces.iter().enumerate() {
                if c + k > 0 {
                    buf.extend_from_slice(joints.sep);
                }
                buf.extend_from_slice(piece);
            }
            out.write_all(&buf)?;
            buf.clear();
        }
        buf.extend_from_slice(joints.tail);
        out.write_all(&buf)
    }
}

/// A [`Spec`] whatever its items are: what the code that publishes the files needs.
pub trait Join: Sync {
    /// See [`Spec::join`].
    fn join(&self, joints: &Joints, kept: Option<&std::sync::Mutex<Pieces>>) -> Bytes;
    /// See [`Spec::write_to`].
    fn write_to(&self, joints: &Joints, out: &mut dyn Write) -> io::Result<()>;
}

impl<T: Sync> Join for Spec<'_, '_, T> {
    fn join(&self, joints: &Joints, kept: Option<&std::sync::Mutex<Pieces>>) -> Bytes {
        Spec::join(self, joints, kept)
    }

    fn write_to(&self, joints: &Joints, out: &mut dyn Write) -> io::Result<()> {
        Spec::write_to(self, joints, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Joins `items` (key, print) with `joints`, each piece `KEY:PRINT`, counting in
    /// `made` the pieces made rather than copied.
    fn join_counted<K: AsRef<str> + Sync>(
        items: &[(K, u64)],
        joints: &Joints,
        kept: Option<&Mutex<Pieces>>,
        made: &AtomicUsize,
    ) -> String {
        let spec = Spec {
            file: "f",
            items,
            print: &|(k, p): &(K, u64)| Some((k.as_ref().to_string().into(), *p)),
            make: &|(k, p): &(K, u64)| {
                made.fetch_add(1, Ordering::Relaxed);
                format!("{}:{p}", k.as_ref()).into_bytes()
            },
        };
        String::from_utf8(spec.join(joints, kept).to_vec()).expect("text")
    }

    #[test]
    fn only_changed_pieces_are_made_again() {
        let kept = Mutex::new(Pieces::default());
        let made = AtomicUsize::new(0);
        let joints = Joints {
            head: b"[",
            sep: b",",
            tail: b"]",
        };
        let run = |items: &[(&str, u64)], kept| join_counted(items, &joints, kept, &made);
        assert_eq!(run(&[("a", 1), ("b", 1)], Some(&kept)), "[a:1,b:1]");
        assert_eq!(made.swap(0, Ordering::Relaxed), 2);
        assert_eq!(run(&[("b", 2), ("a", 1)], Some(&kept)), "[b:2,a:1]");
        assert_eq!(made.swap(0, Ordering::Relaxed), 1, "only b changed");
        assert_eq!(
            run(&[("c", 1), ("a", 1), ("b", 2)], Some(&kept)),
            "[c:1,a:1,b:2]"
        );
        assert_eq!(made.swap(0, Ordering::Relaxed), 1, "only c is new");
        assert_eq!(run(&[], Some(&kept)), "[]");
        assert_eq!(run(&[("a", 1)], Some(&kept)), "[a:1]");
        assert_eq!(
            made.swap(0, Ordering::Relaxed),
            1,
            "a was dropped with the empty file"
        );
        // Without a cache, everything is made.
        assert_eq!(run(&[("a", 1)], None), "[a:1]");
        assert_eq!(made.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn a_file_written_in_chunks_is_the_file_joined_whole() {
        let joints = Joints {
            head: b"<",
            sep: b"|",
            tail: b">",
        };
        for n in [0, 1, WRITTEN_CHUNK, WRITTEN_CHUNK + 1, CHUNK * 2 + 7] {
            let items: Vec<usize> = (0..n).collect();
            let spec = Spec {
                file: "f",
                items: &items,
                print: &|_| None,
                make: &|i: &usize| format!("p{i}").into_bytes(),
            };
            let mut written = Vec::new();
            spec.write_to(&joints, &mut written).expect("written");
            assert_eq!(written, *spec.join(&joints, None), "{n} pieces");
        }
    }

    #[test]
    fn files_of_many_chunks_are_joined_in_order() {
        let kept = Mutex::new(Pieces::default());
        let made = AtomicUsize::new(0);
        let joints = Joints {
            head: b"<",
            sep: b"|",
            tail: b">",
        };
        let run = |items: &[(String, u64)]| join_counted(items, &joints, Some(&kept), &made);
        let mut items: Vec<(String, u64)> =
            (0..CHUNK * 2 + 7).map(|i| (format!("k{i}"), 1)).collect();
        let whole = |items: &[(String, u64)]| {
            let parts: Vec<String> = items.iter().map(|(k, p)| format!("{k}:{p}")).collect();
            format!("<{}>", parts.join("|"))
        };
        assert_eq!(run(&items), whole(&items));
        // One piece changed past the first chunk, two moved across a chunk's edge.
        items[CHUNK + 3].1 = 2;
        items.swap(CHUNK - 1, CHUNK);
        made.store(0, Ordering::Relaxed);
        assert_eq!(run(&items), whole(&items));
        assert_eq!(made.load(Ordering::Relaxed), 1);
        // And again: the keys taken over from the last file are all there.
        made.store(0, Ordering::Relaxed);
        assert_eq!(run(&items), whole(&items));
        assert_eq!(made.load(Ordering::Relaxed), 0);
    }
}
