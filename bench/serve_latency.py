#!/usr/bin/env python3
"""Save-to-reload latency of `certguide serve`.

  bench/serve_latency.py                 # example site and the 1000+1000 synthetic site
  bench/serve_latency.py --edits 20

Starts the release binary's `serve` on a free port, opens the reload event stream like a
browser does, then saves a file (an article, then a record) and measures the time from the
end of the save to the `reload` event arriving. Prints the median and the worst of N edits
for each site and kind of edit. Targets: article edit on the example site under 50 ms, on the
1000-record/1000-article site under 200 ms.
"""
import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def generator():
    shared = os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py")
    return shared if os.path.exists(shared) else os.path.join(HERE, "gen_corpus.py")


class Serve:
    def __init__(self, binary, root):
        self.proc = subprocess.Popen([binary, "serve", "--port", "0", "--root", root],
                                     stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        for line in self.proc.stderr:
            m = re.match(r"Serving http://127\.0\.0\.1:(\d+)/", line)
            if m:
                self.port = int(m.group(1))
                break
        else:
            sys.exit("serve did not start")
        self.sock = socket.create_connection(("127.0.0.1", self.port))
        self.sock.sendall(f"GET /__certguide/events HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                          "Accept: text/event-stream\r\n\r\n".encode())
        self.buf = b""
        self.wait_for(b"errors")  # the state every new connection hears first

    def wait_for(self, name, timeout=10.0):
        deadline = time.perf_counter() + timeout
        needle = b"event: " + name + b"\n"
        while time.perf_counter() < deadline:
            i = self.buf.find(needle)
            if i >= 0:
                self.buf = self.buf[i + len(needle):]
                return time.perf_counter()
            self.sock.settimeout(max(0.001, deadline - time.perf_counter()))
            self.buf += self.sock.recv(65536)
        raise TimeoutError(f"no {name!r} event")

    def close(self):
        self.proc.terminate()
        self.proc.wait()


def measure(serve, path, edit, n):
    times = []
    original = open(path, encoding="utf-8").read()
    for i in range(n):
        with open(path, "w", encoding="utf-8") as f:
            f.write(edit(original, i))
        saved = time.perf_counter()
        got = serve.wait_for(b"reload")
        times.append((got - saved) * 1000)
        time.sleep(0.15)  # let the page settle, as a person would
    return times


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--edits", type=int, default=15)
    ap.add_argument("--size", type=int, default=1000, help="records (= articles) of the synthetic site")
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    binary = os.path.join(REPO, "target", "release", "certguide")

    work = tempfile.mkdtemp(prefix="certguide-latency-")
    example = os.path.join(work, "example")
    os.makedirs(example)
    for part in ("site.yaml", "content", "themes"):
        src = os.path.join(REPO, part)
        (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, os.path.join(example, part))
    synthetic = os.path.join(work, "synthetic")
    subprocess.run([sys.executable, generator(), "--records", str(args.size), "--articles", str(args.size),
                    "--out", synthetic, "--theme-from", os.path.join(REPO, "themes")],
                   check=True, stdout=subprocess.DEVNULL)

    def article_edit(text, i):
        return text.replace("\n---\n", f"\n---\n\nEdit number {i}.\n", 1)

    def record_edit(text, i):
        return re.sub(r"^name: .*$", f"name: \"Edited record {i}\"", text, count=1, flags=re.M)

    sites = [
        ("example", example, "content/articles/roi-of-certification.md", "content/certifications/cccm.yaml"),
        (f"synthetic {args.size}+{args.size}", synthetic, "content/articles/article-00001.md",
         "content/certifications/cert-00001.yaml"),
    ]
    print(f"{args.edits} saves each; time from the end of the save to the reload event\n")
    print("| site | edit | median | worst |")
    print("| --- | --- | ---: | ---: |")
    try:
        for name, root, article, record in sites:
            serve = Serve(binary, root)
            try:
                for kind, rel, edit in (("article", article, article_edit), ("record", record, record_edit)):
                    t = measure(serve, os.path.join(root, rel), edit, args.edits)
                    print(f"| {name} | {kind} | {statistics.median(t):.1f} ms | {max(t):.1f} ms |", flush=True)
            finally:
                serve.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
