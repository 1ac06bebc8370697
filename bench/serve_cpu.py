#!/usr/bin/env python3
"""CPU time of serve's rebuilds, which a loaded machine disturbs less than wall time.

  bench/serve_cpu.py BINARY SITE N

SITE is a synthetic site from the shared corpus generator (it is edited: use a copy).
Starts `BINARY serve --verbose` on it, then saves N article body edits
(content/articles/article-00001.md) and N record name edits
(content/certifications/cert-00000.yaml), each 1.5 s after the last rebuild, and prints per
kind the median of serve's own "Built in" time and of the CPU time the process used for
the edit (utime + stime from /proc, threads that free the last site included), then the
phases of the last rebuilds. Linux only.
"""
import os, re, subprocess, sys, time, statistics, threading
binary, site, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
tick = os.sysconf("SC_CLK_TCK")
p = subprocess.Popen([binary, "serve", "--verbose", "--port", "0", "--root", site],
                     stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
lines = []
def reader():
    for l in p.stderr: lines.append(l)
threading.Thread(target=reader, daemon=True).start()
while not any("Serving" in l for l in lines): time.sleep(0.2)
time.sleep(3)
def cpu():
    f = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 1000 / tick
def built_count(): return sum(1 for l in lines if l.startswith("Built in"))
art = os.path.join(site, "content/articles/article-00001.md")
rec = os.path.join(site, "content/certifications/cert-00000.yaml")
res = {"article": [], "record": []}
for kind in ("article", "record"):
    path = art if kind == "article" else rec
    orig = open(path).read()
    for i in range(n):
        c0, b0 = cpu(), built_count()
        if kind == "article":
            text = orig.replace("\n---\n", f"\n---\n\nEdit number {i}.\n", 1)
        else:
            text = re.sub(r'^name: "(.*)"$', lambda m: f'name: "{m.group(1)} (edited {i})"', orig, count=1, flags=re.M)
        open(path, "w").write(text)
        while built_count() == b0: time.sleep(0.01)
        time.sleep(1.5)  # dropping and other threads settle
        wall = float(re.search(r"Built in (\d+)", [l for l in lines if l.startswith("Built in")][-1]).group(1))
        res[kind].append((wall, cpu() - c0))
p.terminate(); p.wait()
for kind, r in res.items():
    print(f"{os.path.basename(binary)} {kind}: wall median {statistics.median(w for w,_ in r):.0f} ms, cpu median {statistics.median(c for _,c in r):.0f} ms  walls={[int(w) for w,_ in r]} cpus={[int(c) for _,c in r]}")
phase = [l.rstrip() for l in lines if l.startswith("  ")][-12:]
print("\n".join(phase))
