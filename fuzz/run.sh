#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 150) each, starting from the seeds.
#   fuzz/run.sh 600
# Needs `cargo install cargo-fuzz`. The machine's toolchain is stable: RUSTC_BOOTSTRAP lets
# cargo-fuzz pass its few unstable flags; no sanitizer (the code is safe Rust), so the
# targets look for panics, hangs (10 s) and memory blow-ups (2 GiB).
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-150}"
for t in record front_matter markdown site_yaml site; do
  mkdir -p "corpus/$t"
  RUSTC_BOOTSTRAP=1 cargo fuzz run -s none "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 2>&1 |
    grep -E "^Done|ERROR|panicked|deadly" || true
done
