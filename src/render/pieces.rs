//! Data files made of one piece per source — a record's object in
//! `data/certifications.json`, its CSV row, an entry of the search index — joined in
//! order. `serve` keeps each piece with a print of what it is made from ([`Pieces`]), so a
//! rebuild makes again only the pieces of the sources that changed and joins the rest: the
//! cost of an edit follows the edit, not the size of the site.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

/// One piece's bytes, shared between renders.
pub type Piece = Arc<[u8]>;

/// Pieces kept from one render to the next, by file and key (the source's path): the
/// print of what each was made from, and its bytes.
#[derive(Default)]
pub struct Pieces(HashMap<&'static str, HashMap<String, (u64, Piece)>>);

/// How to make one file's pieces: for each item its key and print (when the caller keeps
/// pieces), and the piece itself.
pub struct Spec<'a, T> {
    /// The file the pieces belong to (a key of [`Pieces`]).
    pub file: &'static str,
    pub items: &'a [T],
    /// The item's key and the print of what its piece is made from; `None` when the
    /// sink keeps no pieces.
    pub print: &'a (dyn Fn(&T) -> Option<(String, u64)> + Sync),
    pub make: &'a (dyn Fn(&T) -> Vec<u8> + Sync),
}

impl<T: Sync> Spec<'_, T> {
    /// Every item's piece, in order: kept ones from `kept`, the others made (in parallel).
    /// With `kept`, it holds afterwards this file's pieces as made now.
    pub fn make(&self, kept: Option<&std::sync::Mutex<Pieces>>) -> Vec<Piece> {
        let old = kept.map(|k| std::mem::take(super::lock(k).0.entry(self.file).or_default()));
        let made: Vec<(Option<(String, u64)>, Piece)> = self
            .items
            .par_iter()
            .map(|item| {
                let print = kept.and_then(|_| (self.print)(item));
                if let (Some((key, p)), Some(old)) = (&print, &old)
                    && let Some((q, piece)) = old.get(key)
                    && q == p
                {
                    return (print, piece.clone());
                }
                (print, Piece::from((self.make)(item)))
            })
            .collect();
        if let Some(k) = kept {
            let mine: HashMap<String, (u64, Piece)> = made
                .iter()
                .filter_map(|(print, piece)| {
                    let (key, p) = print.as_ref()?;
                    Some((key.clone(), (*p, piece.clone())))
                })
                .collect();
            super::lock(k).0.insert(self.file, mine);
        }
        super::drop_later(old);
        made.into_iter().map(|(_, piece)| piece).collect()
    }
}

/// `head`, the pieces separated by `sep`, then `tail`.
pub fn join(head: &[u8], pieces: &[Piece], sep: &[u8], tail: &[u8]) -> Vec<u8> {
    let size = pieces.iter().map(|p| p.len() + sep.len()).sum::<usize>() + head.len() + tail.len();
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(head);
    for (i, p) in pieces.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(sep);
        }
        out.extend_from_slice(p);
    }
    out.extend_from_slice(tail);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn only_changed_pieces_are_made_again() {
        let kept = Mutex::new(Pieces::default());
        let made = AtomicUsize::new(0);
        let run = |items: &[(&str, u64)]| {
            let pieces = Spec {
                file: "f",
                items,
                print: &|(k, p): &(&str, u64)| Some((k.to_string(), *p)),
                make: &|(k, p): &(&str, u64)| {
                    made.fetch_add(1, Ordering::Relaxed);
                    format!("{k}{p}").into_bytes()
                },
            }
            .make(Some(&kept));
            join(b"[", &pieces, b",", b"]")
        };
        assert_eq!(run(&[("a", 1), ("b", 1)]), b"[a1,b1]");
        assert_eq!(made.swap(0, Ordering::Relaxed), 2);
        assert_eq!(run(&[("b", 2), ("a", 1)]), b"[b2,a1]");
        assert_eq!(made.swap(0, Ordering::Relaxed), 1, "only b changed");
        assert_eq!(run(&[]), b"[]");
        assert_eq!(run(&[("a", 1)]), b"[a1]");
        assert_eq!(
            made.load(Ordering::Relaxed),
            1,
            "a was dropped with the empty file"
        );
    }
}
