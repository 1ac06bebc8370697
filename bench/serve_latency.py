#!/usr/bin/env python3
"""Save-to-screen latency of `certguide serve`.

  bench/serve_latency.py                    # example site and the 1000+1000 synthetic site
  bench/serve_latency.py --sizes 1000,10000 # and the 10000+10000 one
  bench/serve_latency.py --edits 20
  bench/serve_latency.py --events           # the event stream only, no browser

Starts the release binary's `serve` on a free port and saves a file over and over: an
article's body (with its page open), then a record's name (with the home page open: it
changes the record's row in the table). Prints the median and the worst of N edits for each
site and kind of edit.

Browser mode (the default when chromium and chromedriver are installed): opens the page in
headless Chromium through chromedriver's W3C WebDriver HTTP API and measures from the end of
the save to the new text being on screen: an async script polls the page (no
MutationObserver) until the text is in the element that shows it, then waits for the next
frame, and answers with the page's clock (performance.timeOrigin + performance.now()),
which is set against the wall clock around the save. When the page reloads instead of
patching itself (the home page after a record edit: the filter index changed), a script
Chromium runs at the start of every document does the same polling on the new page. The
`how` column says which happened.

Event-stream mode (--events, or when the browser tools are missing): opens the reload event
stream like a browser does and measures from the end of the save to the `reload` event.
Targets for the event: article edit on the example site under 50 ms, on the 1000+1000 site
under 200 ms.
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
import threading
import time
import urllib.request

from webdriver import WebDriver  # bench/ is on sys.path when a script runs

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def generator():
    shared = os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py")
    return shared if os.path.exists(shared) else os.path.join(HERE, "gen_corpus.py")


class Serve:
    def __init__(self, binary, root, events):
        self.proc = subprocess.Popen([binary, "serve", "--port", "0", "--root", root],
                                     stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        for line in self.proc.stderr:
            m = re.match(r"Serving http://127\.0\.0\.1:(\d+)/", line)
            if m:
                self.port = int(m.group(1))
                break
        else:
            sys.exit("serve did not start")
        # Keep reading stderr so the server never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in self.proc.stderr], daemon=True).start()
        self.base = f"http://127.0.0.1:{self.port}"
        self.sock = None
        if events:
            self.sock = socket.create_connection(("127.0.0.1", self.port))
            self.sock.sendall(f"GET /__certguide/events HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                              "Accept: text/event-stream\r\n\r\n".encode())
            self.buf = b""
            self.wait_for(b"errors")  # the state every new connection hears first

    def get(self, path):
        with urllib.request.urlopen(self.base + path, timeout=60) as res:
            return res.read().decode("utf-8", "replace")

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
        if self.sock:
            self.sock.close()
        self.proc.terminate()
        self.proc.wait()


# The poll, shared by the async script (the page open now) and the script Chromium runs at
# the start of every new document (the page after a reload). `spec` is [selector, needle];
# `found(ms)` gets the page clock once the text is in the element and a frame has passed.
POLL = r"""
function certguideBenchPoll(spec, found) {
  (function check() {
    var el = document.querySelector(spec[0]);
    if (el && el.textContent.indexOf(spec[1]) >= 0) {
      requestAnimationFrame(function () {
        setTimeout(function () { found(performance.timeOrigin + performance.now()); }, 0);
      });
      return;
    }
    setTimeout(check, 1);
  })();
}
"""

# Runs first in every document: when a wait is under way (the page reloaded meanwhile),
# polls this page and leaves the time in sessionStorage.
ON_NEW_DOCUMENT = POLL + r"""
(function () {
  var spec = sessionStorage.getItem("certguide-bench-wait");
  if (!spec) return;
  certguideBenchPoll(JSON.parse(spec), function (t) {
    sessionStorage.removeItem("certguide-bench-wait");
    sessionStorage.setItem("certguide-bench-seen", String(t));
  });
})();
"""

WAIT = POLL + r"""
var spec = [arguments[0], arguments[1]];
var done = arguments[arguments.length - 1];
sessionStorage.removeItem("certguide-bench-seen");
sessionStorage.setItem("certguide-bench-wait", JSON.stringify(spec));
certguideBenchPoll(spec, function (t) {
  sessionStorage.removeItem("certguide-bench-wait");
  done(t);
});
"""

CLOCK = "return performance.timeOrigin + performance.now();"


def page_ready(wd):
    """Waits for the page to load and its event stream to connect."""
    deadline = time.time() + 120
    while True:
        try:
            if wd.js("return document.readyState === 'complete';"):
                break
        except RuntimeError:
            pass  # navigating
        if time.time() > deadline:
            raise TimeoutError("the page did not load")
        time.sleep(0.02)
    time.sleep(0.4)  # the reload script connects to the event stream


def clock_offset(wd):
    """The page clock minus the wall clock (ms), and the uncertainty of that."""
    best = None
    for _ in range(3):
        before = time.time() * 1000
        page = wd.js(CLOCK)
        after = time.time() * 1000
        if best is None or after - before < best[1]:
            best = (page - (before + after) / 2, (after - before) / 2)
    return best


def measure_browser(wd, path, edit, selector, needle, n):
    """Edit-to-screen times (ms) of n saves, and how the page took them."""
    times, hows = [], []
    original = open(path, encoding="utf-8").read()
    for i in range(n):
        offset, _ = clock_offset(wd)
        wd.js("window.__certguideBench = 'before the edit'; return true;")
        answer = {}

        def wait():
            try:
                answer["seen"] = wd.js_async(WAIT, selector, needle(i))
            except RuntimeError as e:  # the page went away: it reloaded
                answer["error"] = str(e)

        waiter = threading.Thread(target=wait)
        waiter.start()
        time.sleep(0.05)  # the async script is running
        with open(path, "w", encoding="utf-8") as f:
            f.write(edit(original, i))
        saved = time.time() * 1000
        waiter.join(60)
        seen = answer.get("seen")
        if seen is None:
            deadline = time.time() + 60
            while seen is None:
                try:
                    value = wd.js("return sessionStorage.getItem('certguide-bench-seen');")
                    seen = float(value) if value else None
                except RuntimeError:
                    pass  # still navigating
                if time.time() > deadline:
                    raise TimeoutError(f"edit {i}: {needle(i)!r} never showed in {selector}")
                time.sleep(0.01)
            offset, _ = clock_offset(wd)  # a new document, a new time origin
        times.append(seen - offset - saved)
        page_ready(wd)
        kept = wd.js("return window.__certguideBench === 'before the edit';")
        hows.append("patched" if kept else "reloaded")
    return times, hows


def measure_events(serve, path, edit, n):
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


def article_edit(text, i):
    return text.replace("\n---\n", f"\n---\n\nEdit number {i}.\n", 1)


def record_edit(text, i):
    """Appends to the record's name (the table is sorted by acronym: the row stays put)."""
    def rename(m):
        value = m.group(1).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            return f"name: {value[:-1]} (edited {i}){value[-1]}"
        return f"name: \"{value} (edited {i})\""
    return re.sub(r"^name: (.*)$", rename, text, count=1, flags=re.M)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--edits", type=int, help="saves per site and kind of edit (default 10 in the "
                    "browser, at least 8; 15 on the event stream)")
    ap.add_argument("--sizes", default="1000",
                    help="records (= articles) of the synthetic sites, comma-separated (e.g. 1000,10000)")
    ap.add_argument("--events", action="store_true", help="time the reload event only, without a browser")
    ap.add_argument("--kinds", default="article,record",
                    help="which edits to time, comma-separated (default: article,record)")
    ap.add_argument("--no-example", action="store_true", help="leave out the example site")
    ap.add_argument("--binary", help="a certguide binary to time (default: cargo build --release, then its binary)")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    ap.add_argument("--chromedriver", default=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    browser = not args.events
    if browser and not (os.path.exists(args.chromium) and os.path.exists(args.chromedriver)):
        print("chromium or chromedriver missing: timing the reload event only (--events)\n", file=sys.stderr)
        browser = False
    edits = args.edits or (10 if browser else 15)
    if browser and edits < 8:
        sys.exit("--edits: at least 8 in the browser")

    binary = args.binary
    if not binary:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        binary = os.path.join(REPO, "target", "release", "certguide")

    work = tempfile.mkdtemp(prefix="certguide-latency-")
    example = os.path.join(work, "example")
    os.makedirs(example)
    for part in ("site.yaml", "content", "themes"):
        src = os.path.join(REPO, part)
        (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, os.path.join(example, part))
    sites = [] if args.no_example else [("example", example, "content/articles/roi-of-certification.md", "cccm")]
    for size in sizes:
        root = os.path.join(work, f"synthetic-{size}")
        subprocess.run([sys.executable, generator(), "--records", str(size), "--articles", str(size),
                        "--out", root, "--theme-from", os.path.join(REPO, "themes")],
                       check=True, stdout=subprocess.DEVNULL)
        sites.append((f"synthetic {size}+{size}", root, "content/articles/article-00001.md", None))

    if browser:
        print(f"{edits} saves each; time from the end of the save to the new text on screen in "
              "headless Chromium\n")
        print("| site | edit | how | median | worst |")
        print("| --- | --- | --- | ---: | ---: |")
    else:
        print(f"{edits} saves each; time from the end of the save to the reload event\n")
        print("| site | edit | median | worst |")
        print("| --- | --- | ---: | ---: |")
    wd = None
    try:
        if browser:
            wd = WebDriver(args.chromedriver, args.chromium, os.path.join(work, "profile"))
            wd.on_new_document(ON_NEW_DOCUMENT)
        for name, root, article, record in sites:
            serve = Serve(binary, root, events=not browser)
            try:
                if record is None:  # the first row of the home table
                    record = re.search(r'<tr id="cert-[^"]*" data-id="([^"]+)"', serve.get("/")).group(1)
                stem = os.path.splitext(os.path.basename(article))[0]
                edits_of = [
                    ("article", article, article_edit, f"/articles/{stem}/", ".doc-body",
                     lambda i: f"Edit number {i}."),
                    ("record", f"content/certifications/{record}.yaml", record_edit, "/",
                     f'#cert-table tr[data-id="{record}"]', lambda i: f"(edited {i})"),
                ]
                kinds = [k.strip() for k in args.kinds.split(",")]
                edits_of = [e for e in edits_of if e[0] in kinds]
                for kind, rel, edit, url, selector, needle in edits_of:
                    path = os.path.join(root, rel)
                    if browser:
                        wd.goto(serve.base + url)
                        page_ready(wd)
                        t, hows = measure_browser(wd, path, edit, selector, needle, edits)
                        how = "/".join(sorted(set(hows)))
                        print(f"| {name} | {kind} | {how} | {statistics.median(t):.1f} ms | {max(t):.1f} ms |",
                              flush=True)
                    else:
                        t = measure_events(serve, path, edit, edits)
                        print(f"| {name} | {kind} | {statistics.median(t):.1f} ms | {max(t):.1f} ms |", flush=True)
            finally:
                serve.close()
    finally:
        if wd:
            wd.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
