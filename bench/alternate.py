#!/usr/bin/env python3
"""Two or more certguide binaries built alternately on one site: what a change to the
build's speed or memory bought, measured the way bench/compare.py measures the tools.

  bench/alternate.py SITE OLD_BINARY NEW_BINARY [MORE...] [--rounds N]
  bench/alternate.py /tmp/c10k /tmp/certguide-old target/release/certguide --rounds 5

Each round builds SITE once with each binary in turn, into a fresh output folder (the
output folder is deleted after each build, outside the timing). Prints each binary's median
time and peak memory over the rounds, and the median of its round-by-round time ratios to
the first binary: on a machine whose speed drifts, the ratio of neighbouring runs is the
figure to trust. For output written by the new binary's own theme, give each binary a
site with its theme (`--sites`).
"""
import argparse
import os
import shutil
import statistics
import sys
import tempfile

from compare import run_measured


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", help="site to build (or the first binary's, with --sites)")
    ap.add_argument("binaries", nargs="+", help="certguide binaries, the first is the baseline")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--sites", nargs="*", default=None,
                    help="one site per binary after the first (each with its own theme)")
    args = ap.parse_args()
    sites = [args.site] + (args.sites or [args.site] * (len(args.binaries) - 1))
    if len(sites) != len(args.binaries):
        sys.exit("--sites needs one site per binary after the first")
    work = tempfile.mkdtemp(prefix="certguide-alternate-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    times = [[] for _ in args.binaries]
    peaks = [[] for _ in args.binaries]
    try:
        for r in range(args.rounds):
            line = []
            for i, (binary, site) in enumerate(zip(args.binaries, sites)):
                out = os.path.join(work, f"out{i}")
                t, mib = run_measured([binary, "build", "--quiet", "--root", site, "--output", out])
                shutil.rmtree(out, ignore_errors=True)
                times[i].append(t)
                peaks[i].append(mib)
                line.append(f"{t:.3f}s")
            print(f"round {r + 1}: " + "  ".join(line), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for i, binary in enumerate(args.binaries):
        ratio = statistics.median(t / b for t, b in zip(times[i], times[0]))
        print(f"{binary}: median {statistics.median(times[i]):.3f} s, peak {max(peaks[i]):.0f} MiB, "
              f"time / first {ratio:.3f}")


if __name__ == "__main__":
    main()
