#!/usr/bin/env python3
"""serve's memory and rebuild times against a cold build's, on one synthetic site.

  bench/serve_memory.py                 # 10000 records + 10000 articles
  bench/serve_memory.py --size 1000 --binary target/release/certguide

Generates the site with the shared corpus generator (or reuses --root), then:
1. a cold `certguide build` into a temporary folder: its maximum RSS (`wait4`);
2. `certguide serve --verbose` on the same site: three article body edits (appended
   lines) and three record edits (the name changed with `sed -i`, which saves through a
   temporary file renamed over the record, as many editors do), a few seconds apart;
   serve's peak RSS (VmHWM from /proc) after each group and every rebuild's phases.
Prints the peak ratio (issue 12's target: at most 1.5x) and the rebuild lines.
Linux only (/proc, wait4).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def generator():
    shared = os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py")
    return shared if os.path.exists(shared) else os.path.join(HERE, "gen_corpus.py")


def peak(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=10000, help="records and articles (default 10000)")
    ap.add_argument("--root", help="an existing site to use (it is edited)")
    ap.add_argument("--binary", help="a certguide binary (default: cargo build --release, then its binary)")
    args = ap.parse_args()

    binary = args.binary
    if not binary:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        binary = os.path.join(REPO, "target", "release", "certguide")
    work = tempfile.mkdtemp(prefix="certguide-memory-")
    try:
        root = args.root
        if not root:
            root = os.path.join(work, "site")
            subprocess.run([sys.executable, generator(), "--records", str(args.size),
                            "--articles", str(args.size), "--out", root,
                            "--theme-from", os.path.join(REPO, "themes")],
                           check=True, stdout=subprocess.DEVNULL)
        cold = subprocess.Popen([binary, "build", "--quiet", "--root", root,
                                 "--output", os.path.join(work, "out")])
        _, status, usage = os.wait4(cold.pid, 0)
        if status != 0:
            sys.exit("the cold build failed")
        cold_mb = usage.ru_maxrss // 1024

        serve = subprocess.Popen([binary, "serve", "--verbose", "--port", "0", "--root", root],
                                 stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        lines = []
        for line in serve.stderr:
            lines.append(line.rstrip())
            if line.startswith("Serving "):
                break
        first = peak(serve.pid)
        articles = sorted(os.listdir(os.path.join(root, "content", "articles")))
        records = sorted(os.listdir(os.path.join(root, "content", "certifications")))
        article = os.path.join(root, "content", "articles", articles[len(articles) // 2])
        record = os.path.join(root, "content", "certifications", records[len(records) // 2])
        for i in range(3):
            with open(article, "a") as f:
                f.write(f"\nEdit number {i}.\n")
            time.sleep(3)
        after_articles = peak(serve.pid)
        for i in range(3):
            subprocess.run(["sed", "-i", r's/^name: "\(.*\)"/name: "\1 x"/', record], check=True)
            time.sleep(6)
        after_records = peak(serve.pid)
        serve.terminate()
        _, rest = serve.communicate(timeout=30)
        lines += rest.splitlines()

        print(f"site: {args.root or f'{args.size}+{args.size} synthetic'}")
        print(f"cold build max RSS: {cold_mb} MB")
        print(f"serve VmHWM: {first} MB after the first build, {after_articles} MB after 3 article "
              f"edits, {after_records} MB after 3 record edits")
        print(f"ratio (peak / cold): {after_records / cold_mb:.2f}x (target <= 1.5x)\n")
        print("serve --verbose:")
        for line in lines:
            if line.startswith("Built in") or re.match(r"^  \S", line):
                print(line)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
