//! Time to make every entry of the search index (`data/search.json`) of a site, on one
//! thread, with nothing else running beside it:
//!
//!   cargo run --release --example search_entries -- SITE_ROOT [PASSES]
//!
//! Loads the site once, then makes each record's, article's and page's entry PASSES times
//! (default 7) and prints the fastest and the median pass, and the time per entry. The
//! entries are most of a search index's cost (its `words`, each text's tokens looked up in
//! a set); a whole build's wall time hides a change to them in its noise.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use certguide::render::{search, views};

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let passes: usize = args.next().and_then(|p| p.parse().ok()).unwrap_or(7).max(1);
    let site = match certguide::load(&root, &certguide::LoadOptions::default()) {
        Ok(site) => site,
        Err(diags) => {
            for d in diags {
                eprintln!("{d}");
            }
            std::process::exit(1);
        }
    };
    let content = &site.content;
    let records: Vec<usize> = (0..content.records.len()).collect();
    let articles = views::newest_first(&content.articles);
    let sources = search::sources(content, &records, &articles);
    let base = site.config.base_path.as_str();
    let mut times: Vec<Duration> = Vec::with_capacity(passes);
    let mut bytes = 0;
    for _ in 0..passes {
        let t = Instant::now();
        bytes = sources
            .iter()
            .map(|(source, _)| std::hint::black_box(source.entry_json(base)).len())
            .sum::<usize>();
        times.push(t.elapsed());
    }
    times.sort();
    let median = times[times.len() / 2];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{} entries, {} KiB: fastest {:.1} ms, median {:.1} ms of {passes} passes ({:.2} µs an entry)",
        sources.len(),
        bytes / 1024,
        ms(times[0]),
        ms(median),
        ms(median) * 1000.0 / sources.len().max(1) as f64,
    );
}
