#!/usr/bin/env python3
"""Instructions a cold build executes, counted by callgrind: a figure a busy machine does
not disturb, for comparing two binaries when wall times are noise.

  bench/instructions.py SITE BINARY [BINARY...]
  bench/instructions.py /tmp/c1k target/release/certguide /tmp/old-certguide --top 25
  bench/instructions.py /tmp/c1k OLD NEW --only 'certguide::markdown::count_words*'

SITE is a synthetic site (`gen_corpus.py --records 1000 --articles 1000 --out SITE
--theme-from themes`); 1000+1000 takes about a minute per binary under valgrind. Each
binary builds SITE once into a fresh folder with one rayon thread (so the count does not
depend on scheduling), under `valgrind --tool=callgrind`. Prints each binary's total in
millions of instructions and its ratio to the first; with --top N, the N functions with
the most instructions, callees included (callgrind_annotate --inclusive), of each. With
--only FUNCTION, only what runs inside FUNCTION and what it calls is counted (callgrind's
--toggle-collect; `*` ends a name with anything): one function's cost, before and after
a change to it.

Instructions are not time: a system call or a page fault counts little here and costs
much, so confirm a change with bench/compare.py on an idle machine. Needs valgrind.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile


def count(binary, site, top, only=None):
    # On tmpfs: thousands of files deleted on this disk slow every file created on it for
    # minutes after (see compare.py's DISK_RECOVERY_SECONDS), a later disk benchmark included.
    work = tempfile.mkdtemp(prefix="certguide-instr-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    try:
        out_file = os.path.join(work, "callgrind.out")
        env = dict(os.environ, RAYON_NUM_THREADS="1")
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}"]
            + ([f"--toggle-collect={only}"] if only else [])
            + [binary, "build", "--quiet", "--root", site, "--output", os.path.join(work, "public")],
            env=env, capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"{binary} failed under valgrind:\n{run.stderr[-2000:]}")
        total = int(re.search(r"Collected : (\d+)", run.stderr).group(1))
        lines = []
        if top:
            annotated = subprocess.run(
                ["callgrind_annotate", "--inclusive=yes", out_file],
                capture_output=True, text=True).stdout
            for line in annotated.splitlines():
                m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)", line)
                if not m or "PROGRAM TOTALS" in line:
                    continue
                name = m.group(2).split(":", 1)[-1].split(" [")[0]
                # Thread starts and rayon's plumbing include everything: not informative.
                if re.search(r"rayon|thread_start|start_thread|backtrace|call_once|call_mut|"
                             r"catch_unwind|::main$|lang_start", name):
                    continue
                if any(name == seen for _, seen in lines):
                    continue  # the same function again, through an inlined copy
                lines.append((int(m.group(1).replace(",", "")), name))
                if len(lines) == top:
                    break
        return total, lines
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site")
    ap.add_argument("binaries", nargs="+")
    ap.add_argument("--top", type=int, default=0, help="list the N costliest functions")
    ap.add_argument("--only", metavar="FUNCTION",
                    help="count only inside FUNCTION (callgrind's --toggle-collect)")
    args = ap.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("needs valgrind (Debian: apt-get install valgrind)")
    first = None
    for binary in args.binaries:
        total, lines = count(binary, args.site, args.top, args.only)
        first = first or total
        inside = f" inside {args.only}" if args.only else ""
        print(f"{binary}: {total / 1e6:,.1f} M instructions{inside} ({total / first:.3f} of the first)")
        for n, name in lines:
            print(f"  {100 * n / total:5.1f}%  {name[:110]}")


if __name__ == "__main__":
    main()
